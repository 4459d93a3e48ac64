"""Exercise checks for notebook 10 (streaming and the Responses API).

Each check runs the learner's function against fresh simulators, with prompts it has not seen, and compares
what it returns with what the simulator really sent. Nothing here can raise into the notebook.
"""

from __future__ import annotations

import openai

from ..i18n import translated
from ._say import _say


def _fresh(key="sk-demo-ok", *, seed=0, faults=None):
    from ..simulator import Simulator, make_client

    sim = Simulator(seed=seed, faults=faults or {})
    return sim, make_client(key, sim, max_retries=0)


def _plain_reply(model: str, messages: list) -> str:
    _, client = _fresh()
    return client.chat.completions.create(model=model, messages=messages).choices[0].message.content


def _drops_once_seed(model: str, share: float) -> int:
    """A seed whose first streamed request of `model` is dropped and whose second is not."""
    from ..simulator import Simulator

    for seed in range(1000):
        sim = Simulator(seed=seed, faults={model: {"drop_share": share}})
        first, second = (sim.faults.after_admission(sim.world.models[model], 0.0, "x").drop for _ in range(2))
        if first and not second:
            return seed
    raise RuntimeError("no seed drops once")  # pragma: no cover - the search space is wide


def _call(fn, *args, **kwargs):
    """(result, exception): the learner's code may raise anything."""
    try:
        return fn(*args, **kwargs), None
    except Exception as exc:  # never a traceback from a check
        return None, exc


def _streamed(sim) -> bool:
    return bool(sim.log) and all(entry.stream for entry in sim.log)


def check_stream_text(stream_text) -> None:
    """Exercise in notebook 10: restart a chat stream that broke after its 200, keep only the full text."""
    if not callable(stream_text):
        return _say(
            False,
            translated(
                "checks",
                "stream_text.not_a_function",
                "stream_text should be a function: def stream_text(client, model, messages, attempts=3).",
            ),
        )
    messages = [{"role": "user", "content": "A prompt the checker made up: what is a token bucket?"}]
    sim, client = _fresh()
    text, error = _call(stream_text, client, "gpt-4o", messages)
    if error is not None:
        return _say(
            False,
            translated(
                "checks",
                "stream_text.reliable_raised",
                "Against a reliable model, your function raised {error}",
                error=f"{type(error).__name__}: {error}",
            ),
        )
    if not _streamed(sim):
        return _say(
            False,
            translated(
                "checks",
                "stream_text.not_streamed",
                "Your function sent no streamed request: call create(..., stream=True) and read the chunks.",
            ),
        )
    if text != _plain_reply("gpt-4o", messages):
        return _say(
            False,
            translated(
                "checks",
                "stream_text.reliable_wrong",
                "Against a reliable model you returned {text!r}: join every chunk's delta.content.",
                text=text,
            ),
        )
    seed = _drops_once_seed("gpt-4o-mini", 0.5)
    sim, client = _fresh(seed=seed, faults={"gpt-4o-mini": {"drop_share": 0.5}})
    text, error = _call(stream_text, client, "gpt-4o-mini", messages)
    expected = _plain_reply("gpt-4o-mini", messages)
    if error is not None:
        return _say(
            False,
            translated(
                "checks",
                "stream_text.dropped_raised",
                "A stream that dropped once raised {name} from your function. Catch openai.APIConnectionError (and "
                "APITimeoutError) around the loop over the chunks, and start again.",
                name=type(error).__name__,
            ),
        )
    if text != expected:
        if text and len(text) > len(expected):
            said = translated(
                "checks",
                "stream_text.partial_kept",
                "After one dropped stream you returned {text!r}. The partial text of the broken stream is still in "
                "there: start each attempt with an empty list.",
                text=text,
            )
        else:
            said = translated(
                "checks", "stream_text.after_drop", "After one dropped stream you returned {text!r}.", text=text
            )
        return _say(False, said)
    if len(sim.log) != 2:
        return _say(
            False,
            translated(
                "checks",
                "stream_text.requests",
                "One dropped stream, then a good one, should take 2 requests; yours took {count}.",
                count=len(sim.log),
            ),
        )
    for model, exc_class, label in (
        (
            "gpt-demo-dropped",
            openai.APIConnectionError,
            translated("checks", "stream_text.case.dropped", "a model whose streams always drop"),
        ),
        (
            "gpt-demo-midstream",
            openai.APIError,
            translated("checks", "stream_text.case.midstream", "a model whose streams always fail with an error event"),
        ),
    ):
        sim, client = _fresh()
        text, error = _call(stream_text, client, model, messages, attempts=2)
        if error is None:
            return _say(
                False,
                translated(
                    "checks",
                    "stream_text.swallowed",
                    "Against {label}, your function returned {text!r}; after the last attempt, raise.",
                    label=label,
                    text=text,
                ),
            )
        if not isinstance(error, exc_class) or isinstance(error, openai.APIStatusError):
            return _say(
                False,
                translated(
                    "checks",
                    "stream_text.other_error",
                    "Against {label}, let the SDK's {expected} through, not {name}.",
                    label=label,
                    expected=exc_class.__name__,
                    name=type(error).__name__,
                ),
            )
        if len(sim.log) != 2:
            return _say(
                False,
                translated(
                    "checks",
                    "stream_text.attempts",
                    "Against {label} with attempts=2, your function sent {count} requests, not 2.",
                    label=label,
                    count=len(sim.log),
                ),
            )
    sim, client = _fresh("sk-demo-typo")
    _, error = _call(stream_text, client, "gpt-4o-mini", messages)
    if not isinstance(error, openai.AuthenticationError) or len(sim.log) != 1:
        return _say(
            False,
            translated(
                "checks",
                "stream_text.wrong_key",
                "A wrong key should raise AuthenticationError after one request: restart only streams that broke "
                "after the 200, never errors that create() raised (the SDK already retried those that can succeed).",
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "stream_text.passed",
            "Full text after a dropped stream, the partial text thrown away, errors passed on after the last "
            "attempt, and a wrong key sent once. That is a safe stream retry.",
        ),
    )


def check_stream_answer(stream_answer) -> None:
    """Exercise in notebook 10: the end of a Responses stream as (status, text or error code)."""
    if not callable(stream_answer):
        return _say(
            False,
            translated(
                "checks",
                "stream_answer.not_a_function",
                "stream_answer should be a function: def stream_answer(client, model, prompt, max_output_tokens=None).",
            ),
        )
    prompt = "The checker asks: why do streams need their own retry?"
    _, plain = _fresh()
    full = plain.responses.create(model="gpt-4o", input=prompt)
    short = plain.responses.create(model="gpt-4o", input=prompt, max_output_tokens=5)
    big = "x" * 60_000
    cases = [
        (
            translated("checks", "stream_answer.case.normal", "a normal answer"),
            "sk-demo-ok",
            ("gpt-4o", prompt),
            {},
            ("completed", full.output_text),
            1,
        ),
        (
            "max_output_tokens=5",
            "sk-demo-ok",
            ("gpt-4o", prompt),
            {"max_output_tokens": 5},
            ("incomplete", short.output_text),
            1,
        ),
        ("gpt-demo-midstream", "sk-demo-ok", ("gpt-demo-midstream", prompt), {}, ("failed", "server_error"), 1),
        (
            translated("checks", "stream_answer.case.rate_limit", "a rate limit met inside the stream"),
            "sk-demo-free",
            ("gpt-4o-mini", big),
            {"max_output_tokens": 16000},
            ("failed", "rate_limit_exceeded"),
            2,
        ),
    ]
    for label, key, args, kwargs, expected, times in cases:
        sim, client = _fresh(key)
        for _ in range(times):
            answer, error = _call(stream_answer, client, *args, **kwargs)
        if error is not None:
            values = dict(label=label, error=f"{type(error).__name__}: {str(error).rstrip('.')}")
            if isinstance(error, openai.APIError) and not isinstance(error, openai.APIStatusError):
                said = translated(
                    "checks",
                    "stream_answer.error_event",
                    "For {label}, your function raised {error}. The SDK raises APIError for the `error` event: catch "
                    "it and return ('failed', error.code).",
                    **values,
                )
            else:
                said = translated(
                    "checks", "stream_answer.raised", "For {label}, your function raised {error}.", **values
                )
            return _say(False, said)
        if not _streamed(sim):
            return _say(
                False,
                translated(
                    "checks",
                    "stream_answer.not_streamed",
                    "For {label}, your function sent no streamed request: use stream=True.",
                    label=label,
                ),
            )
        if answer != expected:
            return _say(
                False,
                translated(
                    "checks",
                    "stream_answer.wrong",
                    "For {label} you returned {answer!r}; the stream said {expected!r}.",
                    label=label,
                    answer=answer,
                    expected=expected,
                ),
            )
    return _say(
        True,
        translated(
            "checks",
            "stream_answer.passed",
            "completed, incomplete (with the text so far), failed with server_error, and the rate limit that arrived "
            "after the 200 as an error event: every way a Responses stream can end.",
        ),
    )

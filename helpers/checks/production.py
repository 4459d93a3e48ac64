"""Exercise checks for notebook 09 (production checklist)."""

from __future__ import annotations

import openai

from ..i18n import translated
from ._demo import demo_client
from ._say import _say


def check_retrying(make_retrying) -> None:
    """Exercise in notebook 09: a tenacity Retrying done right (4 attempts, classified, virtual sleeps)."""
    from ..simulator import Simulator

    def run(key, model, faults=None):
        sim = Simulator(seed=5, faults=faults or {})
        client = demo_client(key, sim)
        try:
            retrying = make_retrying(sim)
            retrying(client.chat.completions.create, model=model, messages=[{"role": "user", "content": "Hi"}])
        except openai.APIError:
            pass
        except Exception as exc:  # the learner's configuration may raise anything: explain, never a traceback
            return None, f"{type(exc).__name__}: {exc}"
        return sim, None

    quota, problem = run("sk-demo-broke", "gpt-4o-mini")
    if problem:
        return _say(
            False,
            translated(
                "checks",
                "retrying.raised",
                "Calling your Retrying raised {problem}. Return a tenacity Retrying(...) object.",
                problem=problem,
            ),
        )
    if len(quota.log) != 1:
        return _say(
            False,
            translated(
                "checks",
                "retrying.quota_retried",
                "A quota error was sent {n} times. Pass `retry=retry_if_exception(...)` "
                "with a predicate that says no to errors that cannot succeed (try is_retryable).",
                n=len(quota.log),
            ),
        )
    failing, problem = run("sk-demo-ok", "gpt-demo-flaky", {"gpt-demo-flaky": {"server_error_share": 1.0}})
    if problem:
        if problem.startswith("RetryError"):  # tenacity's own error when it gives up, unless reraise=True
            return _say(
                False,
                translated(
                    "checks",
                    "retrying.failing_retry_error",
                    "Against a model that always fails, calling your Retrying raised {problem}. Pass "
                    "`reraise=True` so that the API's own error comes through.",
                    problem=problem,
                ),
            )
        return _say(
            False,
            translated(
                "checks",
                "retrying.failing_raised",
                "Against a model that always fails, calling your Retrying raised {problem}.",
                problem=problem,
            ),
        )
    if len(failing.log) != 4:
        return _say(
            False,
            translated(
                "checks",
                "retrying.attempts",
                "Against a model that always fails, your Retrying sent {n} requests; "
                "stop after 4 attempts with `stop=stop_after_attempt(4)`.",
                n=len(failing.log),
            ),
        )
    if failing.clock.now() <= 0:
        return _say(
            False,
            translated(
                "checks",
                "retrying.no_wait",
                "No simulated time passed between the attempts: add jittered waits "
                "(`wait=wait_random_exponential(...)`) and `sleep=sim.clock.sleep`.",
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "retrying.passed",
            "One request for the quota error, four for the failing model, with "
            "{seconds:.1f} simulated seconds of backoff between them. One layer, done right.",
            seconds=failing.clock.now(),
        ),
    )


def check_nested_worst_case(requests_per_call, worst_case_s) -> None:
    """Exercise in notebook 09: tenacity's 3 attempts around the SDK's max_retries=3, timeout 45 s."""
    if requests_per_call == 3 + 3:
        return _say(
            False,
            translated(
                "checks",
                "nested_worst_case.added",
                "Layers multiply, they do not add: each of tenacity's attempts runs the SDK's own retries.",
            ),
        )
    if requests_per_call != 12:
        return _say(
            False,
            translated(
                "checks",
                "nested_worst_case.requests",
                "{requests!r} requests? The SDK makes max_retries + 1 = 4 attempts, and "
                "tenacity calls it up to 3 times.",
                requests=requests_per_call,
            ),
        )
    if worst_case_s != 12 * 45:
        return _say(
            False,
            translated(
                "checks",
                "nested_worst_case.time",
                "{requests} requests is right. For the time, each request can wait the full 45 s timeout.",
                requests=requests_per_call,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "nested_worst_case.passed",
            "12 requests and 9 minutes of waiting for one call. Pick one layer, and a timeout "
            "that matches what the caller can wait.",
        ),
    )

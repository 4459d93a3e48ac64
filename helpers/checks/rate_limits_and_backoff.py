"""Exercise checks for notebooks 03 (rate limits) and 06 (the backoff lab)."""

from __future__ import annotations

import math
from itertools import pairwise

import openai

from ..i18n import translated
from ._demo import MESSAGES, demo_client
from ._say import _say
from .runner import Case, borrows_from_course, close, equal_number, is_number, run_cases

# Helpers for these checks are prefixed _rl_ (rate limits) and _bl_ (backoff lab).


def _rl_explain_try_again_in(case, answer) -> str:
    limit, used, requested = case.args
    window = case.kwargs.get("window_s", 60)
    excess = used + requested - limit
    if not is_number(answer):
        return translated(
            "checks",
            "try_again_in.not_number",
            "For {label} you return {answer!r}; return a number of seconds (a float).",
            label=case.label,
            answer=answer,
        )
    if case.expected == 0:
        hint = translated(
            "checks",
            "try_again_in.fits",
            "used + requested is within the limit, so the request fits now: return 0 (never a negative wait)",
        )
    elif math.isinf(case.expected):
        hint = translated(
            "checks",
            "try_again_in.never_fits",
            "a request larger than the whole limit can never fit, however long you wait: return math.inf when "
            "requested > limit",
        )
    elif close(answer, excess):
        hint = translated(
            "checks",
            "try_again_in.units",
            "{answer:g} is the excess in units, not seconds: divide it by the refill rate, limit / window_s",
            answer=answer,
        )
    elif close(answer, requested / (limit / window)):
        hint = translated(
            "checks",
            "try_again_in.whole_request",
            "only the excess has to refill, not the whole request: (used + requested − limit) / (limit / window_s)",
        )
    elif window != 60 and close(answer, excess / (limit / 60)):
        hint = translated(
            "checks",
            "try_again_in.per_day",
            "this limit is per day: use window_s (86,400 s here) for the refill rate, not 60",
        )
    else:
        hint = translated(
            "checks",
            "try_again_in.expected",
            "expected {expected:g} s = (used + requested − limit) / (limit / window_s)",
            expected=case.expected,
        )
    return translated(
        "checks",
        "try_again_in.wrong",
        "For {label} you return {answer!r}: {hint}.",
        label=case.label,
        answer=answer,
        hint=hint,
    )


def _rl_drawn_waits():
    """Three full buckets drawn at random: new numbers every time, each with a wait to work out."""
    import random

    rng = random.Random()
    cases = []
    for _ in range(3):
        limit = rng.choice((3, 60, 500, 10_000, 30_000, 150_000))
        requested = rng.randint(1, limit)
        used = rng.randint(limit - requested + 1, limit)
        label = translated(
            "checks",
            "try_again_in.case.drawn",
            "a bucket drawn at random (limit {limit:,}, used {used:,}, requested {requested:,})",
            limit=limit,
            used=used,
            requested=requested,
        )
        cases.append(Case(label, (limit, used, requested), (used + requested - limit) / (limit / 60)))
    return cases


def check_try_again_in(try_again_in) -> None:
    """Exercise 1 in notebook 03: the wait a 429 quotes, from its Limit, Used and Requested; the text's examples
    and buckets drawn at random."""
    from ..ratelimit import Bucket, format_duration

    cases = [
        Case(
            translated(
                "checks", "try_again_in.case.worked", "the worked example (TPM 10,000, used 8,554, requested 3,082)"
            ),
            (10_000, 8_554, 3_082),
            9.816,
        ),
        Case(
            translated("checks", "try_again_in.case.free", "the free tier's 4th request (RPM 3, used 3, requested 1)"),
            (3, 3, 1),
            20.0,
        ),
        Case(
            translated(
                "checks", "try_again_in.case.overshoot", "a small overshoot (TPM 40,000, used 39,000, requested 3,000)"
            ),
            (40_000, 39_000, 3_000),
            3.0,
        ),
        Case(
            translated(
                "checks", "try_again_in.case.daily", "a daily limit (RPD 200, used 200, requested 1, window_s=86_400)"
            ),
            (200, 200, 1),
            432.0,
            kwargs={"window_s": 86_400},
        ),
        Case(
            translated(
                "checks", "try_again_in.case.fits", "a request that fits (TPM 30,000, used 1,000, requested 500)"
            ),
            (30_000, 1_000, 500),
            0.0,
        ),
        Case(
            translated(
                "checks",
                "try_again_in.case.too_large",
                "a request larger than the whole limit (TPM 10,000, used 0, requested 12,000)",
            ),
            (10_000, 0, 12_000),
            math.inf,
        ),
        *_rl_drawn_waits(),
    ]
    if borrows_from_course(
        try_again_in,
        [Bucket],
        "try_again_in",
        translated(
            "checks",
            "try_again_in.borrows",
            "Work it out from the formula: (used + requested − limit) ÷ (limit ÷ window).",
        ),
    ):
        return
    run_cases(
        try_again_in,
        cases,
        _rl_explain_try_again_in,
        same=close,
        not_a_function=translated(
            "checks",
            "try_again_in.not_a_function",
            "`try_again_in` should be a function: `def try_again_in(limit, used, requested, window_s=60): ...`.",
        ),
        raised=translated(  # run_cases fills in {label} and {error}: keep them as they are
            "checks",
            "try_again_in.raised",
            "For {label}, try_again_in raised {error}.",
            label="{label}",
            error="{error}",
        ),
        passed=translated(
            "checks",
            "try_again_in.passed",
            "All {count} cases right. Formatted like the API, the worked example gives {formatted!r}: the message "
            "said 'Please try again in 9.816s'.",
            count=len(cases),
            formatted=format_duration(cases[0].expected),
        ),
    )


def _rl_headers(limit_requests, remaining_requests, limit_tokens, remaining_tokens):
    """Rate-limit headers as the simulator writes them (an httpx.Headers, as `exc.response.headers` is)."""
    import httpx

    from ..ratelimit import format_duration

    return httpx.Headers(
        {
            "x-ratelimit-limit-requests": str(limit_requests),
            "x-ratelimit-limit-tokens": str(limit_tokens),
            "x-ratelimit-remaining-requests": str(remaining_requests),
            "x-ratelimit-remaining-tokens": str(remaining_tokens),
            "x-ratelimit-reset-requests": format_duration(
                (limit_requests - remaining_requests) / (limit_requests / 60)
            ),
            "x-ratelimit-reset-tokens": format_duration((limit_tokens - remaining_tokens) / (limit_tokens / 60)),
        }
    )


def _rl_waits(headers, tokens):
    """(seconds until the tokens are back, seconds until one request is back), both refilling per minute."""
    limit_r, left_r = int(headers["x-ratelimit-limit-requests"]), int(headers["x-ratelimit-remaining-requests"])
    limit_t, left_t = int(headers["x-ratelimit-limit-tokens"]), int(headers["x-ratelimit-remaining-tokens"])
    return max(0, tokens - left_t) / (limit_t / 60), max(0, 1 - left_r) / (limit_r / 60)


def _rl_until_fits(headers, tokens):
    if tokens > int(headers["x-ratelimit-limit-tokens"]):
        return math.inf
    return max(_rl_waits(headers, tokens))


def _rl_near(answer, expected) -> bool:
    return close(answer, expected, 5e-3, 5e-3)  # the headers' reset times are rounded


def _rl_resets(headers):
    """The reset headers in seconds, each alone and the longer of the two."""
    from ..ratelimit import parse_duration

    tokens, requests = (parse_duration(headers[f"x-ratelimit-reset-{name}"]) for name in ("tokens", "requests"))
    return tokens, requests, max(tokens, requests)


def _rl_explain_until_fits(case, answer) -> str:
    headers, tokens = case.args
    limit_t, left_t = int(headers["x-ratelimit-limit-tokens"]), int(headers["x-ratelimit-remaining-tokens"])
    wait_t, wait_r = _rl_waits(headers, tokens)
    if not is_number(answer):
        return translated(
            "checks",
            "seconds_until_fits.not_number",
            "For {label} you return {answer!r}; return a number of seconds.",
            label=case.label,
            answer=answer,
        )
    if math.isinf(case.expected):
        hint = translated(
            "checks",
            "seconds_until_fits.never_fits",
            "more tokens than the whole per-minute limit can never fit: return math.inf when tokens > limit",
        )
    elif case.expected == 0:
        hint = translated(
            "checks",
            "seconds_until_fits.fits",
            "the request fits right now: return 0, never a negative number",
        )
    elif _rl_near(answer, wait_t) and wait_r > wait_t:
        hint = translated(
            "checks",
            "seconds_until_fits.requests",
            "the tokens are there, but x-ratelimit-remaining-requests is 0: a request also needs one request from "
            "the requests bucket. Work out both waits and return the longer one",
        )
    elif any(_rl_near(answer, reset) for reset in _rl_resets(headers)):
        hint = translated(
            "checks",
            "seconds_until_fits.reset",
            "that is an x-ratelimit-reset-* header, the time until the bucket is completely full again. Your "
            "request needs only its own tokens (and one request) back, which is usually much sooner",
        )
    elif _rl_near(answer, wait_t + wait_r):
        hint = translated(
            "checks",
            "seconds_until_fits.sum",
            "both buckets refill at the same time: take the longer of the two waits (max), not their sum",
        )
    elif _rl_near(answer, tokens / (limit_t / 60)):
        hint = translated(
            "checks",
            "seconds_until_fits.whole_request",
            "only the missing tokens (tokens − remaining) have to refill, not the whole request",
        )
    elif _rl_near(answer, (tokens - left_t) / limit_t):
        hint = translated(
            "checks",
            "seconds_until_fits.per_minute",
            "the limit is per minute: the refill rate is limit / 60 tokens per second",
        )
    else:
        hint = translated(
            "checks",
            "seconds_until_fits.expected",
            "expected {expected:g} s: missing tokens ÷ (token limit / 60), or one missing request ÷ "
            "(request limit / 60), whichever is longer",
            expected=case.expected,
        )
    return translated(
        "checks",
        "seconds_until_fits.wrong",
        "For {label} you return {answer!r}: {hint}.",
        label=case.label,
        answer=answer,
        hint=hint,
    )


def _rl_until_fits_labels() -> dict[int, str]:
    """The labels of the text's examples, by the tokens each asks for."""
    return {
        3_082: translated(
            "checks", "seconds_until_fits.case.example", "3,082 tokens with 1,446 left of 30,000 per minute"
        ),
        1_000: translated("checks", "seconds_until_fits.case.plenty", "1,000 tokens with plenty of everything left"),
        51: translated(
            "checks",
            "seconds_until_fits.case.no_request",
            "51 tokens when no request is left (the free tier after 3 requests)",
        ),
        2_000: translated(
            "checks", "seconds_until_fits.case.nothing_left", "2,000 tokens with no tokens and no requests left"
        ),
        40_000: translated(
            "checks",
            "seconds_until_fits.case.too_large",
            "40,000 tokens against a limit of 30,000 tokens per minute",
        ),
    }


def check_seconds_until_fits(seconds_until_fits) -> None:
    """Exercise 2 in notebook 03: from the x-ratelimit-* headers, how long until a request of N tokens fits.
    Besides the examples, a few limits drawn at random each time."""
    import random

    rng = random.Random()
    drawn = []
    for _ in range(3):
        limit_r, limit_t = rng.choice((3, 60, 500, 5_000)), rng.choice((10_000, 40_000, 200_000))
        left_r, left_t = rng.randint(0, limit_r), rng.randint(0, limit_t - 2)
        tokens = rng.randint(left_t + 1, limit_t)  # never fits at once: there is always a wait to work out
        label = translated(
            "checks",
            "seconds_until_fits.case.drawn",
            "{tokens:,} tokens with {tokens_left:,} of {token_limit:,} tokens and {requests_left} of "
            "{request_limit} requests left",
            tokens=tokens,
            tokens_left=left_t,
            token_limit=limit_t,
            requests_left=left_r,
            request_limit=limit_r,
        )
        drawn.append((label, _rl_headers(limit_r, left_r, limit_t, left_t), tokens))
    labels = _rl_until_fits_labels()
    cases = [
        Case(label, (headers, tokens), _rl_until_fits(headers, tokens))
        for label, headers, tokens in [
            (labels[3_082], _rl_headers(500, 499, 30_000, 1_446), 3_082),
            (labels[1_000], _rl_headers(500, 400, 200_000, 150_000), 1_000),
            (labels[51], _rl_headers(3, 0, 40_000, 39_847), 51),
            (labels[2_000], _rl_headers(60, 0, 10_000, 0), 2_000),
            (labels[40_000], _rl_headers(500, 499, 30_000, 30_000), 40_000),
            *drawn,
        ]
    ]
    if not run_cases(
        seconds_until_fits,
        cases,
        _rl_explain_until_fits,
        same=_rl_near,
        not_a_function=translated(
            "checks",
            "seconds_until_fits.not_a_function",
            "`seconds_until_fits` should be a function: `def seconds_until_fits(headers, tokens): ...`.",
        ),
        raised=translated(  # run_cases fills in {label} and {error}: keep them as they are
            "checks",
            "seconds_until_fits.raised",
            "For {label}, your function raised {error}. Header values are text: convert them with "
            "int(headers['x-ratelimit-remaining-tokens']).",
            label="{label}",
            error="{error}",
        ),
    ):
        return
    # and against the simulator: wait as long as the function says, then the request must go through
    client = demo_client("sk-demo-free")
    messages = [{"role": "user", "content": "ping"}]
    raw = None
    for _ in range(3):
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages, max_tokens=50)
    tokens = client.simulator.log[-1].tokens
    try:
        wait = seconds_until_fits(raw.headers, tokens)
    except Exception as exc:
        return _say(
            False,
            translated(
                "checks",
                "seconds_until_fits.real.raised",
                "On real headers from the simulator your function raised {error}.",
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    if not is_number(wait) or not math.isfinite(wait) or wait < 0:
        return _say(
            False,
            translated(
                "checks",
                "seconds_until_fits.real.not_number",
                "On real headers from the free tier you return {wait!r}; expected about 20 seconds.",
                wait=wait,
            ),
        )
    client.simulator.clock.advance(wait)
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=50)
    except openai.RateLimitError:
        return _say(
            False,
            translated(
                "checks",
                "seconds_until_fits.real.too_short",
                "On real headers from the free tier you said {wait:g} s, but after waiting that long the request "
                "was still refused. Expected about 20 seconds.",
                wait=wait,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "seconds_until_fits.passed",
            "All {count} cases right, and on the free tier your answer ({wait:g} s) was long enough: the next "
            "request went straight through.",
            count=len(cases),
            wait=wait,
        ),
    )


def _rl_explain_tokens(case, answer) -> str:
    messages, max_tokens = case.args
    n = case.kwargs["n"]
    prompt = sum(math.ceil(len(m["content"]) / 4) for m in messages)
    characters = sum(len(m["content"]) for m in messages)
    if not is_number(answer):
        hint = translated("checks", "rate_limit_tokens.not_number", "return a whole number of tokens")
    elif answer == prompt:
        hint = translated(
            "checks",
            "rate_limit_tokens.prompt_only",
            "that is only the prompt: add max_tokens × n, which the simulator counts before the answer exists",
        )
    elif answer == prompt + max_tokens and n > 1:
        hint = translated(
            "checks",
            "rate_limit_tokens.n",
            "with n answers the simulator counts max_tokens for each of them: add max_tokens × n",
        )
    elif answer == math.ceil(characters / 4) + max_tokens * n:
        hint = translated(
            "checks",
            "rate_limit_tokens.each_message",
            "round up for each message separately: sum(math.ceil(len(m['content']) / 4) for m in messages)",
        )
    elif answer == characters / 4 + max_tokens * n:
        hint = translated(
            "checks",
            "rate_limit_tokens.round_up",
            "round each message's characters ÷ 4 up to a whole number: math.ceil(...)",
        )
    else:
        hint = translated(
            "checks",
            "rate_limit_tokens.formula",
            "characters ÷ 4, rounded up, for each message, plus max_tokens × n",
        )
    return translated(
        "checks",
        "rate_limit_tokens.wrong",
        "For {label} you say {answer!r} tokens, but the simulator counted {expected}: {hint}.",
        label=case.label,
        answer=answer,
        expected=case.expected,
        hint=hint,
    )


def check_rate_limit_tokens(rate_limit_tokens) -> None:
    """Exercise 3 in notebook 03: the tokens a request counts against TPM, before it is answered."""
    requests = [
        (
            translated("checks", "rate_limit_tokens.case.short", "one short message, max_tokens=50"),
            [{"role": "user", "content": "Hello there!"}],
            50,
            1,
        ),
        (
            translated(
                "checks",
                "rate_limit_tokens.case.two_messages",
                "a system and a user message of 5 characters each, max_tokens=20",
            ),
            [{"role": "system", "content": "Be ok"}, {"role": "user", "content": "Hi yo"}],
            20,
            1,
        ),
        (
            translated("checks", "rate_limit_tokens.case.long", "a long prompt, max_tokens=4000"),
            [{"role": "user", "content": "Summarise this. " * 250}],
            4000,
            1,
        ),
        (
            translated("checks", "rate_limit_tokens.case.n", "three answers at once (n=3), max_tokens=100"),
            [{"role": "user", "content": "Name a colour."}],
            100,
            3,
        ),
    ]
    from ..retry.throttle import estimate_tokens

    if borrows_from_course(
        rate_limit_tokens,
        [estimate_tokens],
        "rate_limit_tokens",
        translated(
            "checks",
            "rate_limit_tokens.borrows",
            "Count it yourself: characters ÷ 4, rounded up, for each message, plus max_tokens × n.",
        ),
    ):
        return
    client = demo_client("sk-demo-ok")
    cases = []
    for label, messages, max_tokens, n in requests:  # the expected count is what the simulator counts
        client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=max_tokens, n=n)
        cases.append(Case(label, (messages, max_tokens), client.simulator.log[-1].tokens, kwargs={"n": n}))
    run_cases(
        rate_limit_tokens,
        cases,
        _rl_explain_tokens,
        same=equal_number,
        not_a_function=translated(
            "checks",
            "rate_limit_tokens.not_a_function",
            "`rate_limit_tokens` should be a function: `def rate_limit_tokens(messages, max_tokens, n=1): ...`.",
        ),
        raised=translated(  # run_cases fills in {label} and {error}: keep them as they are
            "checks",
            "rate_limit_tokens.raised",
            "For {label}, your function raised {error}. `messages` is a list of dicts: read each `message['content']`.",
            label="{label}",
            error="{error}",
        ),
        passed=translated(
            "checks",
            "rate_limit_tokens.passed",
            "All {count} requests counted exactly as the simulator counts them. Notice that the long prompt with "
            "max_tokens=4000 holds back 5,000 tokens of your limit, whatever the answer's real length.",
            count=len(cases),
        ),
    )


# -- notebook 06 -------------------------------------------------------------------------------------------------


def check_full_jitter(full_jitter) -> None:
    """Exercise 1 in notebook 06: full jitter, a uniform draw between 0 and the capped exponential."""
    import random

    from ..retry import FullJitter

    if not callable(full_jitter):
        return _say(
            False,
            translated(
                "checks",
                "full_jitter.not_a_function",
                "`full_jitter` should be a function: `def full_jitter(n, base, cap, rng): ...`.",
            ),
        )
    if borrows_from_course(
        full_jitter,
        [FullJitter],
        "full_jitter",
        translated("checks", "full_jitter.borrows", "Draw it yourself: rng.uniform(0, min(cap, base · 2^(n − 1)))."),
    ):
        return None
    for base, cap in ((0.5, 8.0), (1.0, 30.0)):
        for n in range(1, 10):
            ceiling = min(cap, base * 2 ** (n - 1))
            rng = random.Random(1000 * n + int(cap))
            call = f"full_jitter({n}, {base:g}, {cap:g}, rng)"
            try:
                values = [full_jitter(n, base, cap, rng) for _ in range(2000)]
            except Exception as exc:
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.raised",
                        "{call} raised {error}.",
                        call=call,
                        error=f"{type(exc).__name__}: {exc}",
                    ),
                )
            odd = next((v for v in values if not is_number(v) or math.isnan(v)), None)
            if odd is not None or any(v is None for v in values):
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.not_number",
                        "{call} returned {value!r}; return a number of seconds.",
                        call=call,
                        value=odd,
                    ),
                )
            low, top, mean = min(values), max(values), sum(values) / len(values)
            if all(math.isclose(v, ceiling) for v in values):
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.no_jitter",
                        "{call} always returns {ceiling:g}, the ceiling itself: that is plain capped exponential "
                        "backoff. Full jitter draws a random delay between 0 and the ceiling: rng.uniform(0, ceiling).",
                        call=call,
                        ceiling=ceiling,
                    ),
                )
            if low < 0:
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.negative",
                        "{call} returned {low:g}: a delay is never negative. Draw between 0 and the ceiling.",
                        call=call,
                        low=low,
                    ),
                )
            if top > ceiling + 1e-9:
                if n == 1 and top <= 2 * base + 1e-9:
                    hint = translated(
                        "checks",
                        "full_jitter.first_retry",
                        "the first retry (n = 1) may wait at most `base`: use base · 2^(n − 1), not base · 2^n",
                    )
                elif top > cap + 1e-9:
                    hint = translated(
                        "checks",
                        "full_jitter.above_cap",
                        "some delays are above the cap: take min(cap, base · 2^(n − 1)) first, then draw",
                    )
                else:
                    hint = translated(
                        "checks",
                        "full_jitter.above_ceiling",
                        "no delay should be above min(cap, base · 2^(n − 1)) = {ceiling:g}",
                        ceiling=ceiling,
                    )
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.too_long",
                        "{call} returned {top:g}: {hint}.",
                        call=call,
                        top=top,
                        hint=hint,
                    ),
                )
            if low > 0.4 * ceiling:
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.equal_jitter",
                        "{call} never went below {low:.3g} (the ceiling is {ceiling:g}). Never less than half is "
                        "equal jitter; full jitter may pick anything from 0 up to the ceiling.",
                        call=call,
                        low=low,
                        ceiling=ceiling,
                    ),
                )
            if not 0.42 * ceiling <= mean <= 0.58 * ceiling:
                return _say(
                    False,
                    translated(
                        "checks",
                        "full_jitter.mean",
                        "The delays of {call} average {mean:.3g}, but draws spread evenly between 0 and {ceiling:g} "
                        "average about {half:g}. Use rng.uniform(0, ceiling).",
                        call=call,
                        mean=mean,
                        ceiling=ceiling,
                        half=ceiling / 2,
                    ),
                )
    same_a = [full_jitter(3, 0.5, 8.0, random.Random(42)) for _ in range(3)]
    rng_b = random.Random(42)
    again = [full_jitter(3, 0.5, 8.0, random.Random(42)) for _ in range(3)]
    if same_a != again or len({full_jitter(3, 0.5, 8.0, rng_b) for _ in range(5)}) == 1:
        return _say(
            False,
            translated(
                "checks",
                "full_jitter.not_rng",
                "The delays do not come from the `rng` you are given: two generators with the same seed should give "
                "the same delays. Use rng.uniform(...) or rng.random(), not the random module.",
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "full_jitter.passed",
            "Right: every delay lies between 0 and min(cap, base · 2^(n − 1)), they average half of it, and the same "
            "seed gives the same delays. That is exactly helpers.retry.FullJitter.",
        ),
    )


class _BLStop(BaseException):
    """Stops a learner's retry loop from inside (a BaseException, so `except Exception` cannot swallow it)."""


def _bl_run(loop, send, clock, **options):
    """Run the learner's loop once: ('result', value) or ('raised', exception) or ('stopped', reason)."""
    import threading
    import time

    real_sleep, checker = time.sleep, threading.get_ident()

    def no_real_sleep(seconds):
        if threading.get_ident() != checker:  # other threads (the kernel's own) sleep as usual
            return real_sleep(seconds)
        raise _BLStop("real sleep")

    time.sleep = no_real_sleep
    try:
        return "result", loop(send, clock, **options)
    except _BLStop as stop:
        return "stopped", str(stop)
    except Exception as exc:  # the learner's loop may raise anything: that is an outcome, not a crash
        return "raised", exc
    finally:
        time.sleep = real_sleep


def _bl_counting(send, limit=40):
    """Wrap `send` so that a loop that never stops is stopped after `limit` calls."""
    calls = []

    def wrapped():
        calls.append(1)
        if len(calls) > limit:
            raise _BLStop("too many attempts")
        return send()

    return wrapped, calls


def check_retry_loop(call_with_retries) -> None:
    """Exercise 2 in notebook 06: a retry loop that stops on errors that never succeed and honours Retry-After."""
    import random
    import time

    from ..experiments import lab_world
    from ..retry import Kind
    from ..simulator import Simulator

    if not callable(call_with_retries):
        return _say(
            False,
            translated(
                "checks",
                "retry_loop.not_a_function",
                "`call_with_retries` should be a function: `def call_with_retries(send, clock, rng, max_attempts=6, "
                "base=0.5, cap=30.0): ...`.",
            ),
        )

    def setup(key="sk-demo-ok", model="gpt-4o-mini", sim=None, before=0, **extra):
        sim = sim or Simulator()
        client = demo_client(key, sim)
        for _ in range(before):
            client.chat.completions.create(model=model, messages=MESSAGES, max_tokens=50)
        start = len(sim.log)

        def send():
            return client.chat.completions.create(model=model, messages=MESSAGES, **extra)

        return sim, send, start

    flaky = Simulator(faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
    long_wait = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
    small = Simulator(lab_world(rpm=60, tpm=10_000))
    never = "(classify_exception(exc).retryable is False)"
    scenarios = [  # (label, setup, Kind.OK or the exception that must come through, attempts, Retry-After, hint)
        (
            translated("checks", "retry_loop.case.free", "the free tier's 4th request (429, Retry-After: 20)"),
            setup("sk-demo-free", before=3, max_tokens=50),
            Kind.OK,
            2,
            20.0,
            translated("checks", "retry_loop.hint.free", "a rate-limit 429 clears once the bucket refills"),
        ),
        (
            translated("checks", "retry_loop.case.busy", "an overloaded model (503, Retry-After: 5)"),
            setup(model="gpt-demo-busy"),
            Kind.OK,
            2,
            5.0,
            translated("checks", "retry_loop.hint.busy", "a 503 is an openai.InternalServerError and is worth a retry"),
        ),
        (
            translated("checks", "retry_loop.case.flaky", "a model that always fails (500, no Retry-After)"),
            setup(sim=flaky, model="gpt-demo-flaky"),
            openai.InternalServerError,
            4,
            None,
            translated("checks", "retry_loop.hint.flaky", "a 500 is worth retrying, up to max_attempts attempts"),
        ),
        (
            translated("checks", "retry_loop.case.quota", "an organization out of quota (429 insufficient_quota)"),
            setup("sk-demo-broke"),
            openai.RateLimitError,
            1,
            None,
            translated(
                "checks", "retry_loop.hint.quota", "a billing error never clears by waiting {never}", never=never
            ),
        ),
        (
            translated("checks", "retry_loop.case.key", "a wrong key (401)"),
            setup("sk-demo-typo"),
            openai.AuthenticationError,
            1,
            None,
            translated("checks", "retry_loop.hint.key", "the same key fails every time {never}", never=never),
        ),
        (
            translated(
                "checks",
                "retry_loop.case.too_large",
                "a request larger than the whole TPM limit (429 Request too large)",
            ),
            setup("sk-lab", sim=small, max_tokens=12_000),
            openai.RateLimitError,
            1,
            None,
            translated(
                "checks",
                "retry_loop.hint.too_large",
                "it can never fit, however long you wait (classify_exception says so)",
            ),
        ),
        (
            translated(
                "checks",
                "retry_loop.case.long_wait",
                "an overloaded model asking for 300 s (more than the SDK's 120 s)",
            ),
            setup(sim=long_wait, model="gpt-demo-busy"),
            openai.InternalServerError,
            1,
            None,
            translated(
                "checks",
                "retry_loop.hint.long_wait",
                "give up when the server asks for more than 120 s (classify_exception says retryable=False)",
            ),
        ),
    ]
    options = dict(max_attempts=4, base=0.5, cap=2.0)
    for label, (sim, send, start), expected, attempts_expected, retry_after, hint in scenarios:
        counted, calls = _bl_counting(send)
        began = time.perf_counter()
        outcome, value = _bl_run(call_with_retries, counted, sim.clock, rng=random.Random(7), **options)
        log = sim.log[start:]
        if (outcome == "stopped" and value == "real sleep") or time.perf_counter() - began > 2:
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.real_sleep",
                    "Your loop called time.sleep, which would really wait. Use clock.sleep(seconds): the simulator's "
                    "clock is virtual, so a minute passes at once.",
                ),
            )
        if outcome == "stopped":
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.endless",
                    "For {label}, your loop sent more than 40 attempts. Stop after max_attempts attempts (the check "
                    "passes max_attempts=4).",
                    label=label,
                ),
            )
        if outcome == "raised" and isinstance(value, TypeError) and not log:
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.signature",
                    "Calling your loop raised TypeError: {error}. The check calls call_with_retries(send, clock, "
                    "rng=..., max_attempts=4, base=0.5, cap=2.0).",
                    error=value,
                ),
            )
        if expected is Kind.OK:
            if len(log) >= 2:
                gap = log[1].time - log[0].time
                if gap < retry_after - 1e-6:
                    return _say(
                        False,
                        translated(
                            "checks",
                            "retry_loop.too_early",
                            "For {label}, your second attempt went out {gap:.2f} s after the first, but the server "
                            "asked for {retry_after:g} s. Wait at least the Retry-After "
                            "(classify_exception(exc).retry_after holds it, in seconds).",
                            label=label,
                            gap=gap,
                            retry_after=retry_after,
                        ),
                    )
                if gap > retry_after + options["cap"] + 1e-6:
                    return _say(
                        False,
                        translated(
                            "checks",
                            "retry_loop.too_late",
                            "For {label}, your loop waited {gap:.1f} s, though the server said {retry_after:g} s. "
                            "Wait max(Retry-After, backoff), not more.",
                            label=label,
                            gap=gap,
                            retry_after=retry_after,
                        ),
                    )
            if outcome == "raised":
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.gave_up",
                        "For {label}, your loop raised {name} after {count} attempt(s): {hint}. Retry it.",
                        label=label,
                        name=type(value).__name__,
                        count=len(log),
                        hint=hint,
                    ),
                )
            if value is None:
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.none",
                        "For {label}, your loop returned None. Return what send() returned.",
                        label=label,
                    ),
                )
            if len(log) != attempts_expected:
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.attempts",
                        "For {label}, your loop needed {count} attempts; waiting the Retry-After once gets there "
                        "in {expected}.",
                        label=label,
                        count=len(log),
                        expected=attempts_expected,
                    ),
                )
            continue
        if outcome == "result":
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.returned_error",
                    "For {label}, your loop returned the {name} instead of raising it. When you give up, re-raise "
                    "the last exception (a bare `raise` inside the except block).",
                    label=label,
                    name=type(value).__name__,
                ),
            )
        if not isinstance(value, expected):
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.other_error",
                    "For {label}, your loop raised {name}: {error}. Expected the API's {expected} to come through "
                    "unchanged.",
                    label=label,
                    name=type(value).__name__,
                    error=value,
                    expected=expected.__name__,
                ),
            )
        if len(log) != attempts_expected:
            if attempts_expected == 1:
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.one_is_enough",
                        "For {label}, your loop sent {count} requests; one is enough: {hint}.",
                        label=label,
                        count=len(log),
                        hint=hint,
                    ),
                )
            return _say(
                False,
                translated(
                    "checks",
                    "retry_loop.send_four",
                    "For {label}, your loop sent {count} requests; with max_attempts=4 it should send 4: {hint}.",
                    label=label,
                    count=len(log),
                    hint=hint,
                ),
            )
        if attempts_expected > 1:
            waits = [b.time - a.time for a, b in pairwise(log)]
            ceilings = [min(options["cap"], options["base"] * 2 ** (n - 1)) for n in range(1, len(waits) + 1)]
            if sum(waits) <= 0:
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.no_wait",
                        "For {label}, your loop retried without waiting at all. Without a Retry-After, wait "
                        "full_jitter(n, base, cap, rng) before retry n.",
                        label=label,
                    ),
                )
            if any(w > c + 1e-6 for w, c in zip(waits, ceilings)):
                return _say(
                    False,
                    translated(
                        "checks",
                        "retry_loop.waits_too_long",
                        "For {label} your loop waited {waits} s; without a Retry-After, retry n should wait "
                        "full_jitter(n, base, cap, rng): at most min(cap, base · 2^(n − 1)).",
                        label=label,
                        waits=", ".join(f"{w:.2f}" for w in waits),
                    ),
                )
    # the larger of the two: a short Retry-After (1 s) under a long backoff (up to 8 s before the first retry)
    short_hint = Simulator(lab_world(rpm=60, tpm=1_000_000))
    sim, send, start = setup("sk-lab", sim=short_hint, before=60, max_tokens=50)
    outcome, value = _bl_run(call_with_retries, send, sim.clock, rng=random.Random(7), max_attempts=4, base=8, cap=30)
    log = sim.log[start:]
    if len(log) >= 2 and abs((log[1].time - log[0].time) - 1.0) < 0.05:
        return _say(
            False,
            translated(
                "checks",
                "retry_loop.retry_after_only",
                "For a 429 with Retry-After: 1 and base=8, your loop waited exactly the 1 s the server asked for. "
                "Retry-After is a minimum, not the whole wait: sleep max(Retry-After, full_jitter(n, base, cap, rng)), "
                "so a crowd told the same second does not come back together.",
            ),
        )
    # one more: a bug in the caller's own code is not retried
    calls = []

    def buggy():
        calls.append(1)
        raise ValueError("a bug in my code")

    outcome, value = _bl_run(call_with_retries, buggy, Simulator().clock, rng=random.Random(7), **options)
    if outcome != "raised" or not isinstance(value, ValueError) or len(calls) != 1:
        if len(calls) != 1:
            what = translated("checks", "retry_loop.bug.calls", "called send() {count} times", count=len(calls))
        else:
            what = translated(
                "checks", "retry_loop.bug.ended", "ended with {outcome} {value!r}", outcome=outcome, value=value
            )
        return _say(
            False,
            translated(
                "checks",
                "retry_loop.bug",
                "When send() raises a ValueError (a bug in your own code), your loop {what}. Do not retry it: "
                "classify_exception(exc).retryable is False, so re-raise it at once.",
                what=what,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "retry_loop.passed",
            "All {count} cases right: your loop waits the larger of Retry-After and its backoff, backs off with full "
            "jitter when there is none, gives up after max_attempts, and never retries an error that cannot succeed.",
            count=len(scenarios) + 2,
        ),
    )

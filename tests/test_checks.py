"""Every exercise check: the notebook's solution passes, a typical mistake gets a specific hint, a learner's
exception gets a friendly message naming the case (never a traceback), and nothing comes back for Jupyter to echo.

The solutions are the notebooks' own, read from their plain-text sources (tests/notebook_code.py).
"""

from __future__ import annotations

import math
import random

import openai
import pytest
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_none, wait_random_exponential

from helpers import checks
from helpers.catalog import load_catalog
from helpers.checks import quota_and_server_errors
from helpers.checks.runner import Case, close, run_cases
from helpers.retry import (
    BILLING_CODES,
    Budget,
    FullJitter,
    Kind,
    MaxAttempts,
    RetryPolicy,
    RetryQuota,
    classify_exception,
)
from helpers.simulator import Simulator, make_client

from .notebook_code import definitions


def said(capsys, check, *args) -> str:
    """Run a check and return its one line; it must print a verdict and return None."""
    assert check(*args) is None, "a check returns None, so Jupyter echoes nothing"
    out = capsys.readouterr().out
    assert out.startswith(("✅ ", "🤔 ")) and out.count("\n") == 1, out
    assert "Traceback" not in out
    return out


def passes(capsys, check, *args) -> None:
    out = said(capsys, check, *args)
    assert out.startswith("✅") and "🤔" not in out, out


def fails(capsys, fragment, check, *args) -> None:
    out = said(capsys, check, *args)
    assert out.startswith("🤔") and fragment in out, out


def learner_bug(*args, **kwargs):
    raise ZeroDivisionError("a bug in the learner's code")


# -- the runner --------------------------------------------------------------------------------------------------

SQUARES = [Case("two", (2,), 4, "2 × 2"), Case("three", (3,), 9, "3 × 3"), Case("minus one", (-1,), 1, "−1 × −1")]


def _explain(case, answer):
    return f"For {case.label} you said {answer!r}: {case.hint}."


def test_runner_says_passed_when_every_case_is_right(capsys):
    assert run_cases(lambda x: x * x, SQUARES, _explain, passed="All squares.") is True
    assert capsys.readouterr().out == "✅ All squares.\n"


def test_runner_stays_quiet_on_success_without_a_passed_text(capsys):
    assert run_cases(lambda x: x * x, SQUARES, _explain) is True
    assert capsys.readouterr().out == ""


def test_runner_explains_the_first_wrong_answer_and_stops_there(capsys):
    calls = []

    def doubles(x):
        calls.append(x)
        return x + x

    assert run_cases(doubles, SQUARES, _explain, passed="never said") is False
    assert capsys.readouterr().out == "🤔 For three you said 6: 3 × 3.\n"
    assert calls == [2, 3]


def test_runner_with_a_tally_tries_every_case_and_counts_the_wrong_ones(capsys):
    run_cases(lambda x: x + x, SQUARES, _explain, tally="square")
    assert capsys.readouterr().out == "🤔 2 of 3 squares are wrong. The first: For three you said 6: 3 × 3.\n"
    run_cases(lambda x: abs(x) * x, SQUARES, _explain, tally="square")
    assert capsys.readouterr().out.startswith("🤔 1 of 3 squares is wrong. The first: For minus one")


def test_runner_turns_a_learners_exception_into_a_message_naming_the_case(capsys):
    assert run_cases(lambda x: x * x / (x - 3) * (x - 3), SQUARES, _explain) is False
    assert capsys.readouterr().out == "🤔 For three, your function raised ZeroDivisionError: division by zero.\n"
    run_cases(learner_bug, SQUARES, _explain, raised="square({label}) broke: {error}.")
    assert capsys.readouterr().out == "🤔 square(two) broke: ZeroDivisionError: a bug in the learner's code.\n"


def test_runner_treats_an_answer_that_cannot_be_compared_as_wrong(capsys):
    class Weird:
        def __eq__(self, other):
            raise ValueError("ambiguous")

        def __repr__(self):
            return "Weird()"

    assert run_cases(lambda x: Weird(), SQUARES, _explain) is False
    assert capsys.readouterr().out == "🤔 For two you said Weird(): 2 × 2.\n"


def test_runner_refuses_what_is_not_a_function(capsys):
    assert run_cases(42, SQUARES, _explain, not_a_function="Pass a function.") is False
    assert capsys.readouterr().out == "🤔 Pass a function.\n"


def test_runner_passes_keyword_arguments_and_uses_the_given_comparison(capsys):
    cases = [Case("a day", (200,), 432.0, kwargs={"window_s": 86_400})]
    assert run_cases(lambda limit, window_s=60: window_s / limit + 1e-9, cases, _explain, same=close) is True
    assert run_cases(lambda limit, window_s=60: window_s / limit, cases, _explain) is True  # 432.0 == 432.0
    assert capsys.readouterr().out == ""


def test_close_wants_a_real_number_near_the_expected_one():
    assert close(1.0000001, 1.0) and close(math.inf, math.inf)
    assert not close(2.0, 1.0) and not close(True, 1.0) and not close("1", 1.0) and not close(math.nan, 1.0)
    assert not close(1e308, math.inf) and not close(-math.inf, math.inf)


# -- notebook 00 -------------------------------------------------------------------------------------------------


def first_rate_limit(key="sk-demo-free"):
    free_client = make_client(key, max_retries=0)
    error = None
    for _ in range(10):
        try:
            free_client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
        except openai.APIStatusError as exc:
            error = exc
            break
    return error


def test_first_rate_limit(capsys):
    passes(capsys, checks.check_first_rate_limit, first_rate_limit())
    fails(capsys, "`error` is still None", checks.check_first_rate_limit, None)
    fails(capsys, "not an error from the API", checks.check_first_rate_limit, ValueError("mine"))
    fails(capsys, "Use the key sk-demo-free", checks.check_first_rate_limit, first_rate_limit("sk-demo-typo"))


def test_notebook_zero_reads_the_wait_without_a_retry_after_header():
    import httpx

    how_long = definitions("00")["how_long"]
    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions")

    def rate_limit(message, headers=None):
        body = {"message": message, "type": "requests", "code": "rate_limit_exceeded"}
        response = httpx.Response(429, headers=headers or {}, request=request)
        return openai.RateLimitError(message, response=response, body=body)

    quoted = "Rate limit reached ... Please try again in 1m26.4s. Visit https://platform.openai.com/account/rate-limits"
    assert how_long(rate_limit(quoted, {"retry-after": "87"})) == "Retry-After: 87 s"
    assert how_long(rate_limit(quoted)) == "the message says: try again in 1m26.4s"
    assert how_long(rate_limit("Too many requests")) == "no hint: back off"
    assert how_long(first_rate_limit()).startswith("Retry-After: ")


def test_first_rate_limit_refuses_a_hand_built_error(capsys):
    import httpx

    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions")
    body = {"message": "Rate limit reached for gpt-4o-mini", "type": "requests", "code": "rate_limit_exceeded"}
    made = openai.RateLimitError("Error code: 429", response=httpx.Response(429, request=request), body=body)
    fails(capsys, "not sent by the simulated API", checks.check_first_rate_limit, made)


# -- notebook 01 -------------------------------------------------------------------------------------------------

diagnose = definitions("01")["diagnose"]


def test_diagnosis(capsys):
    check = checks.check_diagnosis
    passes(capsys, check, diagnose)
    fails(capsys, "none of the keys", check, lambda exc: {})
    fails(capsys, "should return a dict", check, lambda exc: None)
    fails(capsys, "missing 'retry'", check, lambda exc: {k: v for k, v in diagnose(exc).items() if k != "retry"})
    fails(capsys, "the SDK's summary", check, lambda exc: {**diagnose(exc), "message": exc.message})
    fails(capsys, "the class *name*", check, lambda exc: {**diagnose(exc), "exception": type(exc)})
    fails(capsys, "as an int", check, lambda exc: {**diagnose(exc), "status": str(exc.status_code)})
    fails(capsys, "a retry can never help here", check, lambda exc: {**diagnose(exc), "retry": True})
    fails(capsys, "For a mistyped key (401), `diagnose` raised ZeroDivisionError", check, learner_bug)
    fails(capsys, "`diagnose` should be a function", check, "diagnose")


def test_wasted_retries(capsys):
    catalog = load_catalog()
    wasted = [e.id for e in catalog if e.sdk_retries and not e.retryable]
    check = checks.check_wasted_retries
    passes(capsys, check, wasted)
    passes(capsys, check, [e for e in catalog if e.sdk_retries and not e.retryable])  # entries will do too
    fails(capsys, "`wasted` is empty", check, [])
    fails(capsys, "should be a list of ids", check, "quota_exceeded")
    fails(capsys, "not catalog ids", check, wasted + ["no_such_error"])
    fails(capsys, "more entr", check, wasted[:1])
    retryable = next(e.id for e in catalog if e.retryable)
    fails(capsys, "a retry can succeed there", check, wasted + [retryable])


# -- notebook 02 -------------------------------------------------------------------------------------------------

mask = definitions("02")["mask"]


def test_mask_key(capsys):
    check = checks.check_mask_key
    passes(capsys, check, mask)
    fails(capsys, "the API would show 'sk-demo-***oked'", check, lambda key: key)
    fails(capsys, "12 characters or fewer", check, lambda key: key[:8] + "*" * (len(key) - 12) + key[-4:])
    fails(capsys, "one star per hidden character", check, lambda key: key[:8] + "***" + key[-4:])
    fails(capsys, "it should return a string", check, lambda key: None)
    fails(capsys, "mask('sk-demo-revoked') raised ZeroDivisionError", check, learner_bug)


def test_mask_key_is_not_answered_by_the_course_or_by_the_example(capsys):
    import helpers.simulator
    from helpers.simulator import mask_key

    check = checks.check_mask_key
    fails(capsys, "the course's own `mask_key`", check, mask_key)
    fails(capsys, "the course's own `mask_key`", check, lambda key: mask_key(key))
    fails(capsys, "the course's own `mask_key`", check, lambda key: helpers.simulator.mask_key(key))
    example = {"sk-demo-revoked": "sk-demo-***oked"}  # only the notebook's example, hard-coded
    fails(capsys, "mask('sk-", check, lambda key: example.get(key, key))


diagnose_401 = definitions("02")["diagnose_401"]


def test_diagnose_401(capsys):
    check = checks.check_diagnose_401
    passes(capsys, check, diagnose_401)
    fails(capsys, "its code is None, so read the message", check, lambda exc: exc.code)
    fails(
        capsys,
        "check `exc.status_code` first",
        check,
        lambda exc: diagnose_401(exc) if exc.status_code == 401 else exc.code,
    )
    fails(
        capsys,
        "look at `exc.code`, which is 'no_organization'",
        check,
        lambda exc: "invalid_api_key" if exc.code else diagnose_401(exc),
    )
    fails(capsys, "For no key at all, `diagnose_401` raised ZeroDivisionError", check, learner_bug)


def test_diagnose_401_accepts_both_names_for_a_missing_scope_and_refuses_tables_of_demo_keys(capsys):
    check = checks.check_diagnose_401
    old_name = {"missing_scope": "insufficient_permissions"}
    passes(capsys, check, lambda exc: old_name.get(diagnose_401(exc), diagnose_401(exc)))
    demo_keys = {
        "sk-demo-typo": "invalid_api_key",
        "sk-demo-revoked": "invalid_api_key",
        "sk-demo-no-org": "no_organization",
        "sk-demo-readonly": "missing_scope",
        "sk-demo-abroad": "not_401",
    }

    def table(exc):
        if exc.code in ("mismatched_organization", "invalid_organization", "model_not_found") or exc.code is None:
            return diagnose_401(exc)
        return demo_keys.get(exc.request.headers["authorization"].removeprefix("Bearer "), "?")

    fails(capsys, "For a key that was never issued you answered '?'", check, table)
    fails(capsys, "the course's own `classify_exception`", check, lambda exc: classify_exception(exc).kind.value)


# -- notebook 03 -------------------------------------------------------------------------------------------------

try_again_in = definitions("03")["try_again_in"]


def test_try_again_in(capsys):
    check = checks.check_try_again_in
    passes(capsys, check, try_again_in)
    fails(
        capsys,
        "never a negative wait",
        check,
        lambda limit, used, requested, window_s=60: (used + requested - limit) / (limit / window_s),
    )
    fails(capsys, "is the excess in units", check, lambda limit, used, requested, window_s=60: used + requested - limit)
    fails(
        capsys,
        "only the excess has to refill",
        check,
        lambda limit, used, requested, window_s=60: requested / (limit / window_s),
    )
    fails(
        capsys,
        "this limit is per day",
        check,
        lambda limit, used, requested, window_s=60: try_again_in(limit, used, requested),
    )
    fails(
        capsys,
        "return math.inf",
        check,
        lambda limit, used, requested, window_s=60: max(0.0, (used + requested - limit) / (limit / window_s)),
    )
    fails(capsys, "return a number of seconds", check, lambda *args, **kwargs: "9.8s")
    fails(capsys, "try_again_in raised ZeroDivisionError", check, learner_bug)


seconds_until_fits = definitions("03")["seconds_until_fits"]


def _token_wait(headers, tokens):
    left, limit = int(headers["x-ratelimit-remaining-tokens"]), int(headers["x-ratelimit-limit-tokens"])
    return math.inf if tokens > limit else max(0, tokens - left) / (limit / 60)


def _request_wait(headers):
    left, limit = int(headers["x-ratelimit-remaining-requests"]), int(headers["x-ratelimit-limit-requests"])
    return max(0, 1 - left) / (limit / 60)


def test_seconds_until_fits(capsys):
    check = checks.check_seconds_until_fits
    passes(capsys, check, seconds_until_fits)
    fails(capsys, "x-ratelimit-remaining-requests is 0", check, _token_wait)
    fails(capsys, "not their sum", check, lambda headers, tokens: _token_wait(headers, tokens) + _request_wait(headers))
    fails(
        capsys,
        "Header values are text",
        check,
        lambda headers, tokens: max(0, tokens - headers["x-ratelimit-remaining-tokens"]),
    )
    fails(capsys, "your function raised ZeroDivisionError", check, learner_bug)


def test_seconds_until_fits_names_the_reset_header_mistake_and_refuses_the_examples_alone(capsys):
    from helpers.ratelimit import parse_duration

    check = checks.check_seconds_until_fits

    def until_full(headers, tokens):
        return max(
            parse_duration(headers["x-ratelimit-reset-tokens"]), parse_duration(headers["x-ratelimit-reset-requests"])
        )

    fails(capsys, "that is an x-ratelimit-reset-* header", check, until_full)
    examples = {3_082: 1_636 / 500, 1_000: 0, 51: 20, 2_000: 12, 40_000: math.inf}  # the text's cases, by heart
    fails(capsys, "For ", check, lambda headers, tokens: examples.get(tokens, 0))


rate_limit_tokens = definitions("03")["rate_limit_tokens"]


def test_rate_limit_tokens(capsys):
    check = checks.check_rate_limit_tokens
    passes(capsys, check, rate_limit_tokens)
    fails(capsys, "that is only the prompt", check, lambda messages, max_tokens, n=1: rate_limit_tokens(messages, 0))
    fails(capsys, "with n answers", check, lambda messages, max_tokens, n=1: rate_limit_tokens(messages, max_tokens))
    fails(
        capsys,
        "round up for each message separately",
        check,
        lambda messages, max_tokens, n=1: math.ceil(sum(len(m["content"]) for m in messages) / 4) + max_tokens * n,
    )
    fails(capsys, "`messages` is a list of dicts", check, learner_bug)


# -- notebook 04 -------------------------------------------------------------------------------------------------

NB04 = definitions("04")
is_billing_error, NB_BILLING_CODES = NB04["is_billing_error"], NB04["BILLING_CODES"]


def test_notebook_04_teaches_the_billing_codes_that_helpers_retry_knows():
    assert NB_BILLING_CODES == BILLING_CODES


def test_is_billing_error(capsys):
    check = checks.check_is_billing_error
    passes(capsys, check, is_billing_error)
    fails(
        capsys,
        "should say False. A 429 status alone is not enough: a rate limit is also a 429",
        check,
        lambda exc: isinstance(exc, openai.RateLimitError),
    )
    fails(
        capsys,
        "In 2023 the code was None: also accept `exc.type == 'insufficient_quota'`",
        check,
        lambda exc: isinstance(exc, openai.RateLimitError) and exc.code in NB_BILLING_CODES,
    )
    fails(
        capsys,
        "Compare `exc.code` with BILLING_CODES",
        check,
        lambda exc: isinstance(exc, openai.RateLimitError) and exc.code == "insufficient_quota",
    )
    fails(
        capsys,
        "1 of 11 examples is wrong. The first: for a plain ValueError",
        check,
        lambda exc: is_billing_error(exc) or isinstance(exc, ValueError),
    )
    fails(capsys, "Check the exception's type first", check, lambda exc: exc.code in NB_BILLING_CODES)
    demo_billing_keys = {"sk-demo-broke", "sk-demo-prepaid", "sk-demo-org-capped", "sk-demo-project-capped"}

    def by_key(exc):  # a table of the demo keys instead of reading the error
        if isinstance(exc, openai.RateLimitError) and exc.code is None:
            return True
        sent = getattr(getattr(exc, "request", None), "headers", {}).get("authorization", "")
        return sent.removeprefix("Bearer ") in demo_billing_keys | {"sk-demo-usage-limit"}

    fails(capsys, "with code 'insufficient_quota'", check, by_key)


def test_sent_once(capsys):
    check = checks.check_sent_once
    messages = [{"role": "user", "content": "Write a haiku about budgets."}]

    def caught(client):
        try:
            client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        except openai.RateLimitError as exc:
            return exc

    broke_client = make_client("sk-demo-broke")
    passes(capsys, check, broke_client, caught(broke_client.with_options(max_retries=0)))
    broke_client = make_client("sk-demo-broke")
    fails(capsys, "the SDK retried", check, broke_client, caught(broke_client))
    broke_client = make_client("sk-demo-broke")
    fails(capsys, "`error` is still None", check, broke_client, None)
    fails(capsys, "No request reached", check, broke_client, caught(make_client("sk-demo-broke", max_retries=0)))
    fails(capsys, "Pass `broke_client`", check, None, caught(make_client("sk-demo-broke", max_retries=0)))
    fails(capsys, "expected the openai.RateLimitError", check, broke_client, ValueError("mine"))


PRICES, cost_usd, BudgetGuard = NB04["PRICES"], NB04["cost_usd"], NB04["BudgetGuard"]
worst_case_usd = NB04["worst_case_usd"]


def test_cost_usd(capsys):
    check = checks.check_cost_usd
    passes(capsys, check, cost_usd)
    fails(capsys, "a million times too much", check, lambda model, usage: cost_usd(model, usage) * 1_000_000)
    fails(
        capsys,
        "Input and output prices are swapped",
        check,
        lambda model, usage: (
            (usage.prompt_tokens * PRICES[model][1] + usage.completion_tokens * PRICES[model][0]) / 1_000_000
        ),
    )
    fails(capsys, "expected 0.0075 USD", check, lambda model, usage: 0.001)
    fails(capsys, "`usage` is the SDK's object", check, lambda model, usage: usage["prompt_tokens"])


def test_budget_guard(capsys):
    check = checks.check_budget_guard

    class NoCap(BudgetGuard):
        def send(self, client, *, model, messages, max_tokens):
            reply = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens)
            self.spent_usd += cost_usd(model, reply.usage)
            return reply

    class CountsWorstCase(BudgetGuard):
        def send(self, client, *, model, messages, max_tokens):
            if self.spent_usd + worst_case_usd(model, messages, max_tokens) > self.cap_usd:
                return None
            reply = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens)
            self.spent_usd += worst_case_usd(model, messages, max_tokens)
            return reply

    class Refuses(BudgetGuard):
        def send(self, client, **request):
            return None

    class Raises(BudgetGuard):
        send = learner_bug

    passes(capsys, check, BudgetGuard)
    fails(capsys, "past the 0.01 USD cap", check, NoCap)
    fails(capsys, "not the worst-case estimate", check, CountsWorstCase)
    fails(capsys, "refused the very first call", check, Refuses)
    fails(capsys, "Return None to refuse instead of raising", check, Raises)
    fails(capsys, "the class itself", check, BudgetGuard(0.01))


# -- notebook 05 -------------------------------------------------------------------------------------------------

NB05 = definitions("05")
worst_case_seconds, should_retry = NB05["worst_case_seconds"], NB05["should_retry"]


def test_worst_case_seconds(capsys):
    check = checks.check_worst_case_seconds
    passes(capsys, check, worst_case_seconds)
    fails(capsys, "now add the sleeps", check, lambda timeout, retries: (retries + 1) * timeout)
    fails(capsys, "one timeout short", check, lambda timeout, retries: worst_case_seconds(timeout, retries) - timeout)
    fails(
        capsys,
        "caps each sleep at 8 s",
        check,
        lambda timeout, retries: (retries + 1) * timeout + sum(0.5 * 2 ** (k - 1) for k in range(1, retries + 1)),
    )
    fails(capsys, "worst_case_seconds(2, 2) raised ZeroDivisionError", check, learner_bug)


billed_count = definitions("05")["billed_count"]


def test_billed_count(capsys):
    check = checks.check_billed_count
    slow_client = make_client("sk-demo-ok", timeout=5)
    with pytest.raises(openai.APITimeoutError):
        slow_client.chat.completions.create(model="gpt-demo-slow", messages=[{"role": "user", "content": "Hi"}])
    attempts = len(slow_client.simulator.log)
    passes(capsys, check, billed_count, slow_client)
    fails(capsys, "returns None", check, lambda log: None, slow_client)
    fails(capsys, "you counted every entry", check, len, slow_client)  # attempts are not billed completions
    fails(capsys, "For mixed log 1 (", check, lambda log: attempts, slow_client)  # the 3 of the text, by heart
    fails(capsys, "should be a function", check, 3, slow_client)
    fails(capsys, "Pass `slow_client`", check, billed_count, None)
    fails(capsys, "`billed_count` raised ZeroDivisionError", check, learner_bug, slow_client)


def test_should_retry(capsys):
    check = checks.check_should_retry
    passes(capsys, check, should_retry)
    fails(
        capsys,
        "should say True. A slow_down clears once you wait",
        check,
        lambda exc: isinstance(exc, openai.APIStatusError) and exc.status_code >= 500,
    )
    fails(capsys, "Billing errors never clear by waiting", check, lambda exc: True)
    fails(
        capsys,
        "above 120 s give up",
        check,
        lambda exc: should_retry(exc) or (isinstance(exc, openai.APIStatusError) and exc.status_code == 503),
    )
    fails(capsys, "1 of 15 cases is wrong", check, lambda exc: should_retry(exc) or isinstance(exc, ValueError))
    fails(capsys, "the course's own `classify_exception`", check, lambda exc: classify_exception(exc).retryable)

    def codes_only(exc):  # the billing codes, but not the 2023 shape whose code is None
        if isinstance(exc, openai.APIStatusError) and exc.status_code == 429 and exc.code is None:
            return True
        return should_retry(exc)

    fails(capsys, "Older quota errors had no code", check, codes_only)

    def retry_after_only_on_503(exc):
        if isinstance(exc, openai.RateLimitError) and exc.code == "rate_limit_exceeded":
            return True
        return should_retry(exc)

    fails(capsys, "A Retry-After above 120 s means give up now", check, retry_after_only_on_503)
    fails(capsys, "Only `openai.APIStatusError` has `.status_code`", check, lambda exc: exc.status_code >= 500)


# -- notebook 06 -------------------------------------------------------------------------------------------------

NB06 = definitions("06")
full_jitter, call_with_retries = NB06["full_jitter"], NB06["call_with_retries"]


def test_full_jitter(capsys):
    check = checks.check_full_jitter
    passes(capsys, check, full_jitter)
    fails(capsys, "plain capped exponential backoff", check, lambda n, base, cap, rng: min(cap, base * 2 ** (n - 1)))
    fails(
        capsys,
        "equal jitter",
        check,
        lambda n, base, cap, rng: min(cap, base * 2 ** (n - 1)) / 2 + rng.uniform(0, min(cap, base * 2 ** (n - 1)) / 2),
    )
    fails(
        capsys,
        "use base · 2^(n − 1), not base · 2^n",
        check,
        lambda n, base, cap, rng: rng.uniform(0, min(cap, base * 2**n)),
    )
    fails(capsys, "some delays are above the cap", check, lambda n, base, cap, rng: rng.uniform(0, base * 2 ** (n - 1)))
    fails(
        capsys,
        "do not come from the `rng`",
        check,
        lambda n, base, cap, rng: random.uniform(0, min(cap, base * 2 ** (n - 1))),
    )
    fails(capsys, "full_jitter(1, 0.5, 8, rng) raised ZeroDivisionError", check, learner_bug)


def test_retry_loop(capsys):
    check = checks.check_retry_loop

    def loop_waiting(wait, stop_when_hopeless=True):
        """A retry loop whose wait before a retry is wait(verdict, backoff): each wrong answer differs only there."""

        def loop(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
            attempt = 1
            while True:
                try:
                    return send()
                except Exception as exc:
                    verdict = classify_exception(exc)
                    give_up = attempt >= max_attempts or (stop_when_hopeless and not verdict.retryable)
                    if give_up:
                        raise
                clock.sleep(wait(verdict, full_jitter(attempt, base, cap, rng)))
                attempt += 1

        return loop

    retries_everything = loop_waiting(lambda v, backoff: max(backoff, v.retry_after or 0), stop_when_hopeless=False)
    ignores_retry_after = loop_waiting(lambda v, backoff: backoff)
    only_retry_after = loop_waiting(lambda v, backoff: backoff if v.retry_after is None else v.retry_after)

    def sleeps_for_real(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
        import time

        try:
            return send()
        except openai.APIError:
            time.sleep(20)
            return send()

    passes(capsys, check, call_with_retries)
    fails(
        capsys,
        "a rate-limit 429 clears once the bucket refills",
        check,
        lambda send, clock, rng, max_attempts=6, base=0.5, cap=30.0: send(),
    )
    fails(capsys, "one is enough: a billing error never clears by waiting", check, retries_everything)
    fails(capsys, "but the server asked for 20 s", check, ignores_retry_after)
    fails(capsys, "Use clock.sleep(seconds)", check, sleeps_for_real)

    fails(capsys, "Retry-After is a minimum, not the whole wait", check, only_retry_after)
    fails(capsys, "your loop raised ZeroDivisionError", check, learner_bug)


def test_checks_refuse_answers_that_hand_the_work_to_the_course(capsys):
    from helpers.ratelimit import Bucket
    from helpers.retry.throttle import estimate_tokens

    def via_bucket(limit, used, requested, window_s=60):
        bucket = Bucket(limit=limit, window=window_s)
        bucket.take(used, now=0)
        return bucket.check(requested, now=0).wait

    def via_estimate(messages, max_tokens, n=1):
        return estimate_tokens({"messages": messages, "max_tokens": max_tokens, "n": n})

    fails(capsys, "the course's own `Bucket`", checks.check_try_again_in, via_bucket)
    fails(capsys, "the course's own `estimate_tokens`", checks.check_rate_limit_tokens, via_estimate)
    fails(
        capsys,
        "the course's own `FullJitter`",
        checks.check_full_jitter,
        lambda n, base, cap, rng: FullJitter(base, cap).wait(n, rng),
    )
    fails(
        capsys,
        "the course's own `classify_exception`",
        checks.check_is_billing_error,
        lambda exc: classify_exception(exc).kind is Kind.QUOTA,
    )


def test_try_again_in_tries_buckets_the_text_never_showed(capsys):
    by_heart = {(10_000, 8_554, 3_082): 9.816, (3, 3, 1): 20.0, (40_000, 39_000, 3_000): 3.0, (200, 200, 1): 432.0}

    def from_the_text(limit, used, requested, window_s=60):
        if requested > limit:
            return math.inf
        return by_heart.get((limit, used, requested), 0.0)

    fails(capsys, "a bucket drawn at random", checks.check_try_again_in, from_the_text)


# -- notebook 07 -------------------------------------------------------------------------------------------------


def test_retry_budget(capsys):
    check = checks.check_retry_budget

    class Broken(Budget):
        def allows(self, retry, verdict):
            raise ZeroDivisionError("a bug in the learner's budget")

    passes(capsys, check, RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4), RetryQuota(capacity=20, retry_cost=5))))
    fails(capsys, "add a budget that runs dry", check, RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),)))
    fails(capsys, "Your policy never retries", check, RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(1),)))
    fails(capsys, "That is a budget, not a policy", check, RetryQuota(capacity=20))
    fails(capsys, "should be a RetryPolicy", check, "my policy")
    fails(capsys, "raised ZeroDivisionError", check, RetryPolicy(FullJitter(0.5, 8), (Broken(),)))


worst_case_requests = definitions("07")["worst_case_requests"]


def test_nested_attempts(capsys):
    check = checks.check_nested_attempts
    passes(capsys, check, worst_case_requests)
    fails(capsys, "you added the layers", check, lambda layers: sum(r + 1 for r in layers))
    fails(capsys, "r + 1 attempts", check, lambda layers: math.prod(layers))
    fails(capsys, "one call is one request", check, lambda layers: math.prod(r + 1 for r in layers) if layers else 0)
    fails(capsys, "a number of requests", check, lambda layers: "18")
    fails(capsys, "worst_case_requests([2]) raised ZeroDivisionError", check, learner_bug)


# -- notebook 08 -------------------------------------------------------------------------------------------------

Pacer = definitions("08")["Pacer"]


def test_pacer(capsys):
    check = checks.check_pacer

    class NoWait(Pacer):
        def wait_for(self, tokens):
            return 0.0

    class Uncapped(Pacer):
        def _refill(self):
            now = self.clock.now()
            self.level += (now - self.updated) * self.rate
            self.updated = now

    class DoesNotSleep(Pacer):
        def wait_for(self, tokens):
            self._refill()
            wait = max(0.0, (tokens - self.level) / self.rate)
            self.level -= tokens
            return wait

    class Raises(Pacer):
        wait_for = learner_bug

    class BadInit(Pacer):
        __init__ = learner_bug

    passes(capsys, check, Pacer)
    fails(capsys, "expected 10 s: the bucket is now empty", check, NoWait)
    fails(capsys, "cap the level at `self.capacity`", check, Uncapped)
    fails(capsys, "the clock did not move", check, DoesNotSleep)
    fails(capsys, "`wait_for(600)` raised ZeroDivisionError", check, Raises)
    fails(capsys, "`Pacer(600, clock)` raised ZeroDivisionError", check, BadInit)
    fails(capsys, "Pass the class itself", check, Pacer(600, Simulator().clock))


def test_batch_settings(capsys):
    check = checks.check_batch_settings
    passes(capsys, check, 4, 0.8)
    fails(capsys, "lower HEADROOM", check, 4, 1.0)
    fails(capsys, "raise MAX_CONCURRENCY", check, 1, 0.8)
    fails(capsys, "MAX_CONCURRENCY should be a whole number", check, 0, 0.8)
    fails(capsys, "HEADROOM should be a share", check, 4, 80)


# -- notebook 09 -------------------------------------------------------------------------------------------------

NB09 = definitions("09")
is_retryable, make_retrying = NB09["is_retryable"], NB09["make_retrying"]


def test_retrying(capsys):
    check = checks.check_retrying
    passes(capsys, check, make_retrying)
    fails(capsys, "stop after 4 attempts", check, lambda sim: Retrying(stop=stop_after_attempt(1), reraise=True))
    fails(
        capsys,
        "Pass `retry=retry_if_exception(...)`",
        check,
        lambda sim: Retrying(
            stop=stop_after_attempt(4),
            wait=wait_random_exponential(multiplier=0.5, max=20),
            sleep=sim.clock.sleep,
            reraise=True,
        ),
    )
    fails(
        capsys,
        "No simulated time passed",
        check,
        lambda sim: Retrying(
            stop=stop_after_attempt(4), wait=wait_none(), retry=retry_if_exception(is_retryable), reraise=True
        ),
    )
    fails(capsys, "Calling your Retrying raised ZeroDivisionError", check, learner_bug)
    fails(
        capsys,
        "Pass `reraise=True`",
        check,
        lambda sim: Retrying(stop=stop_after_attempt(4), retry=retry_if_exception(is_retryable), sleep=sim.clock.sleep),
    )


def test_nested_worst_case(capsys):
    check = checks.check_nested_worst_case
    passes(capsys, check, 12, 12 * 45)
    fails(capsys, "Layers multiply", check, 6, 6 * 45)
    fails(capsys, "tenacity calls it up to 3 times", check, 4, 4 * 45)
    fails(capsys, "the full 45 s timeout", check, 12, 45)


# -- notebook 10 -------------------------------------------------------------------------------------------------

NB10 = definitions("10")


def _text_of(stream) -> str:
    return "".join(ch.choices[0].delta.content or "" for ch in stream if ch.choices)


def keeps_partial_text(client, model, messages, attempts=3):
    pieces = []
    for attempt in range(attempts):
        try:
            for chunk in client.chat.completions.create(model=model, messages=messages, stream=True):
                if chunk.choices and chunk.choices[0].delta.content:
                    pieces.append(chunk.choices[0].delta.content)
            return "".join(pieces)
        except openai.APIError:
            if attempt == attempts - 1:
                raise


def never_restarts(client, model, messages, attempts=3):
    return _text_of(client.chat.completions.create(model=model, messages=messages, stream=True))


def retries_everything(client, model, messages, attempts=3):
    for attempt in range(attempts):
        try:
            return _text_of(client.chat.completions.create(model=model, messages=messages, stream=True))
        except openai.APIError:
            if attempt == attempts - 1:
                raise


def swallows_errors(client, model, messages, attempts=3):
    try:
        return NB10["stream_text"](client, model, messages, attempts)
    except openai.APIError:
        return ""


def test_stream_text(capsys):
    check = checks.check_stream_text
    passes(capsys, check, NB10["stream_text"])
    fails(capsys, "sent no streamed request", check, lambda c, m, ms, attempts=3: "Simulated reply")
    fails(capsys, "start each attempt with an empty list", check, keeps_partial_text)
    fails(capsys, "Catch", check, never_restarts)
    fails(capsys, "after one request", check, retries_everything)
    fails(capsys, "after the last attempt, raise", check, swallows_errors)
    fails(capsys, "raised ZeroDivisionError", check, learner_bug)
    fails(capsys, "should be a function", check, "stream_text")


def no_error_event(client, model, prompt, max_output_tokens=None):
    options = {} if max_output_tokens is None else {"max_output_tokens": max_output_tokens}
    for event in client.responses.create(model=model, input=prompt, stream=True, **options):
        if event.type in ("response.completed", "response.incomplete", "response.failed"):
            status = event.response.status
            return status, event.response.error.code if status == "failed" else event.response.output_text


def streams_but_says_nothing(client, model, prompt, max_output_tokens=None):
    list(client.responses.create(model=model, input=prompt, stream=True))
    return "completed", ""


def plain_call(client, model, prompt, max_output_tokens=None):
    response = client.responses.create(model=model, input=prompt, max_output_tokens=max_output_tokens)
    return response.status, response.output_text


def test_stream_answer(capsys):
    check = checks.check_stream_answer
    passes(capsys, check, NB10["stream_answer"])
    fails(capsys, "catch it and return ('failed', error.code)", check, no_error_event)
    fails(capsys, "sent no streamed request", check, plain_call)
    fails(capsys, "you returned ('completed', '')", check, streams_but_says_nothing)
    fails(capsys, "raised ZeroDivisionError", check, learner_bug)
    fails(capsys, "should be a function", check, None)


def test_the_tables_agree_with_the_one_home_of_each_rule():
    """The checks' expected answers say what helpers.retry says: billing codes, kinds and retryability."""
    billing = quota_and_server_errors._qb_cases()
    assert {case.args[0].code for case in billing if case.expected} - {None} == BILLING_CODES
    for case in billing:
        assert case.expected == (classify_exception(case.args[0]).kind is Kind.QUOTA), case.label
    for case in quota_and_server_errors._se_cases():
        assert case.expected == classify_exception(case.args[0]).retryable, case.label


def test_every_exported_check_is_tested():
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert {name.removeprefix("check_") for name in checks.__all__} <= tested

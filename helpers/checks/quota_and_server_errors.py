"""Exercise checks for notebooks 04 (quota and billing) and 05 (server errors)."""

from __future__ import annotations

import openai

from ..i18n import translated
from ._demo import MESSAGES, demo_client, fresh_world, last_error
from ._say import _say, said_what_is_wrong_with
from .runner import Case, borrows_from_course, close, equal_number, run_cases

# Helpers for these checks are prefixed _qb_ (quota/billing) and _se_ (server errors).


def _qb_status_error(cls, status, error_body, headers=None):
    """Build an SDK exception from a hand-written body (for shapes the demo world does not send)."""
    import httpx

    request = httpx.Request("POST", "https://simulated.openai.invalid/v1/chat/completions")
    response = httpx.Response(status, headers=headers or {}, json={"error": error_body}, request=request)
    return cls(error_body["message"], response=response, body=error_body)


def _says_wrongly(case, answer) -> str:
    """The first wrong answer of a yes-or-no classifier, and why."""
    return translated(
        "checks",
        "quota_server.says_wrongly",
        "for {label} your function says {answer}, but it should say {expected}. {hint}.",
        label=case.label,
        answer=bool(answer),
        expected=case.expected,
        hint=case.hint,
    )


def _same_truth(answer, expected) -> bool:
    return bool(answer) == expected


def _qb_cases():
    """For the is_billing_error check: a 429 for each billing code, the 2023 shape, and look-alikes that are not.
    The billing keys are fresh twins of the demo keys, so a table of the demo keys does not pass."""
    import random

    from ..simulator import Simulator
    from ..simulator.wire import PROJECT_QUOTA as QUOTA_2023  # the 2023 quota message is the same sentence

    demo_keys = (
        "sk-demo-broke",
        "sk-demo-prepaid",
        "sk-demo-org-capped",
        "sk-demo-project-capped",
        "sk-demo-usage-limit",
    )
    world, twin = fresh_world(random.Random(), demo_keys)
    sim = Simulator(world=world)
    billing = {twin[key]: last_error(demo_client(twin[key], sim)) for key in demo_keys}
    rate_limit = last_error(demo_client("sk-demo-free"), times=4)
    slow_down = last_error(demo_client("sk-demo-ok"), model="gpt-demo-ramp", times=6)
    compare = translated("checks", "is_billing_error.hint_code", "Compare `exc.code` with BILLING_CODES")
    return [
        *(
            Case(
                translated("checks", "is_billing_error.case_code", "a 429 with code {code!r}", code=exc.code),
                (exc,),
                True,
                compare,
            )
            for exc in billing.values()
        ),
        Case(
            translated(
                "checks",
                "is_billing_error.case_2023",
                "a 2023-style quota 429: type 'insufficient_quota' but code None",
            ),
            (
                _qb_status_error(
                    openai.RateLimitError,
                    429,
                    {"message": QUOTA_2023, "type": "insufficient_quota", "param": None, "code": None},
                ),
            ),
            True,
            translated(
                "checks",
                "is_billing_error.hint_2023",
                "In 2023 the code was None: also accept `exc.type == 'insufficient_quota'`",
            ),
        ),
        Case(
            translated(
                "checks", "is_billing_error.case_rate_limit", "an ordinary rate limit (429, code 'rate_limit_exceeded')"
            ),
            (rate_limit,),
            False,
            translated(
                "checks",
                "is_billing_error.hint_rate_limit",
                "A 429 status alone is not enough: a rate limit is also a 429, and waiting does fix that one",
            ),
        ),
        Case(
            translated("checks", "is_billing_error.case_slow_down", "a slow-down (429, code 'slow_down')"),
            (slow_down,),
            False,
            translated(
                "checks",
                "is_billing_error.hint_slow_down",
                "A 429 status alone is not enough: a slow-down is also a 429, and waiting does fix that one",
            ),
        ),
        Case(
            translated("checks", "is_billing_error.case_busy", "an overloaded model (503)"),
            (last_error(demo_client("sk-demo-ok"), model="gpt-demo-busy"),),
            False,
            translated(
                "checks",
                "is_billing_error.hint_busy",
                "Billing errors are always 429s (`openai.RateLimitError`); a 503 is the model being busy",
            ),
        ),
        Case(
            translated("checks", "is_billing_error.case_wrong_key", "a wrong key (401)"),
            (last_error(demo_client("sk-demo-typo")),),
            False,
            translated(
                "checks",
                "is_billing_error.hint_wrong_key",
                "Billing errors are always 429s (`openai.RateLimitError`); a 401 is about the key, not money",
            ),
        ),
        Case(
            translated("checks", "is_billing_error.case_value_error", "a plain ValueError (not from the API at all)"),
            (ValueError("not an API error"),),
            False,
            translated(
                "checks",
                "is_billing_error.hint_value_error",
                "Only the API's errors can be billing errors: check `isinstance(exc, openai.RateLimitError)` first",
            ),
        ),
    ]


def check_is_billing_error(is_billing_error) -> None:
    """Exercise in notebook 04: a function that tells billing and quota 429s from everything else."""
    from ..retry import classify, classify_exception

    if borrows_from_course(
        is_billing_error,
        [classify_exception, classify],
        "is_billing_error",
        translated(
            "checks",
            "is_billing_error.advice",
            "Read the exception yourself: is it a RateLimitError, and is its code one of BILLING_CODES, or its type "
            "'insufficient_quota'?",
        ),
    ):
        return None
    cases = _qb_cases()
    run_cases(
        is_billing_error,
        cases,
        _says_wrongly,
        same=_same_truth,
        tally=translated("checks", "is_billing_error.noun", "example"),
        not_a_function=translated(
            "checks",
            "is_billing_error.not_a_function",
            "`is_billing_error` should be a function that takes an exception and returns True or False.",
        ),
        raised=lambda **values: translated(
            "checks",
            "is_billing_error.raised",
            "For {label}, your function raised {error}. Check the exception's type first (e.g. "
            "`isinstance(exc, openai.RateLimitError)`) before you read `.code` or `.type`.",
            **values,
        ),
        passed=translated(
            "checks",
            "is_billing_error.passed",
            "All {n} examples sorted correctly: the five billing codes and the 2023 shape are "
            "billing errors; rate limits, slow-downs, 503s, 401s and other exceptions are not.",
            n=len(cases),
        ),
    )


def check_sent_once(client, error) -> None:
    """Exercise in notebook 04: one call to a broke organization, and only one request on the wire."""
    if said_what_is_wrong_with(
        error,
        openai.RateLimitError,
        when_none=translated(
            "checks",
            "sent_once.none",
            "`error` is still None. Send a chat completion with `broke_client` inside try/except and keep "
            "the `openai.RateLimitError` you catch in `error`.",
        ),
        when_other=lambda **values: translated(
            "checks",
            "sent_once.other",
            "`error` holds a {name}; expected the openai.RateLimitError that sk-demo-broke gets.",
            **values,
        ),
    ):
        return
    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(
            False,
            translated(
                "checks",
                "sent_once.no_client",
                "Pass `broke_client` (the client made in the exercise cell) to the check.",
            ),
        )
    counts = [entry.retry_count for entry in log]
    if not counts:
        return _say(
            False,
            translated(
                "checks",
                "sent_once.no_request",
                "No request reached broke_client's simulator. Did you send it with another client? A new "
                "client gets a simulator of its own; use `broke_client.with_options(...)`.",
            ),
        )
    if len(counts) > 1:
        return _say(
            False,
            translated(
                "checks",
                "sent_once.retried",
                "The server saw {n} requests (x-stainless-retry-count {counts}): the SDK retried "
                "a request that can never succeed. Send it with `broke_client.with_options(max_retries=0)`. "
                "Re-run the exercise cell first: it starts a fresh simulator.",
                n=len(counts),
                counts=counts,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "sent_once.passed",
            "One request, one answer ({code}), no pointless retries. In real life that is about a "
            "second less waiting and two fewer doomed requests per call.",
            code=error.code,
        ),
    )


def _qb_usage(prompt, completion):
    from openai.types import CompletionUsage

    return CompletionUsage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _qb_prices():
    from ..world import load_world

    return {m.id: (m.usd_per_1m_input, m.usd_per_1m_output) for m in load_world().models.values()}


def _qb_same_usd(answer, expected) -> bool:
    return close(answer, expected, abs_tol=1e-12)  # a cent is 1e-2: amounts this small must still be exact


def _qb_explain_cost(case, answer) -> str:
    model, usage = case.args
    price_in, price_out = _qb_prices()[model]
    if _qb_same_usd(answer, case.expected * 1_000_000):
        return translated(
            "checks",
            "cost_usd.million",
            "For {label} you return {answer}, a million times too much: prices are per million tokens, so "
            "divide by 1_000_000.",
            label=case.label,
            answer=answer,
        )
    if _qb_same_usd(answer, (usage.prompt_tokens * price_out + usage.completion_tokens * price_in) / 1_000_000):
        return translated(
            "checks",
            "cost_usd.swapped",
            "Input and output prices are swapped: prompt tokens use the input price (the first number in "
            "PRICES[model]), completion tokens the output price.",
        )
    return translated(
        "checks",
        "cost_usd.wrong",
        "For {label} you return {answer!r}; expected {expected:.8g} USD (prompt × input price + "
        "completion × output price, per million tokens).",
        label=case.label,
        answer=answer,
        expected=case.expected,
    )


def check_cost_usd(cost_usd) -> None:
    """Exercise in notebook 04: the cost of one response, from its usage and the price table."""
    from ..simulator import Simulator

    prices = _qb_prices()
    cases = [
        Case(
            translated(
                "checks",
                "cost_usd.case",
                "{model} with {prompt} prompt and {completion} completion tokens",
                model=model,
                prompt=prompt,
                completion=completion,
            ),
            (model, _qb_usage(prompt, completion)),
            (prompt * prices[model][0] + completion * prices[model][1]) / 1_000_000,
        )
        for model, prompt, completion in (
            ("gpt-4o", 1000, 500),
            ("gpt-4o-mini", 2_000_000, 1_000_000),
            ("gpt-4o", 0, 0),
        )
    ]
    sim = Simulator()
    reply = demo_client("sk-demo-ok", sim).chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=50)
    billed = sim.spend["org-demo"] - Simulator().spend["org-demo"]
    cases.append(
        Case(translated("checks", "cost_usd.case_real", "a real gpt-4o reply"), ("gpt-4o", reply.usage), billed)
    )
    run_cases(
        cost_usd,
        cases,
        _qb_explain_cost,
        same=_qb_same_usd,
        not_a_function=translated(
            "checks",
            "cost_usd.not_a_function",
            "`cost_usd` should be a function `cost_usd(model, usage)` that returns US dollars.",
        ),
        raised=lambda **values: translated(
            "checks",
            "cost_usd.raised",
            "For {label}, cost_usd raised {error}. `usage` is the SDK's object: read `usage.prompt_tokens` "
            "and `usage.completion_tokens` (attributes, not dictionary keys).",
            **values,
        ),
        passed=translated(
            "checks",
            "cost_usd.passed",
            "Right to the last digit: a real gpt-4o reply cost {billed:.8f} USD, exactly what the simulator billed.",
            billed=billed,
        ),
    )


def check_budget_guard(BudgetGuard) -> None:
    """Exercise in notebook 04: a guard that refuses a request once its worst case could pass the cap."""
    import math

    from ..simulator import Simulator

    if not isinstance(BudgetGuard, type):
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.not_class",
                "`BudgetGuard` should be the class itself (do not call it before passing it to the check).",
            ),
        )
    cap = 0.01
    model, max_tokens = "gpt-4o", 200
    messages = [{"role": "user", "content": "Summarise: " + "the budget guard says no " * 80}]
    price_in, price_out = _qb_prices()[model]
    worst = (sum(math.ceil(len(m["content"]) / 4) for m in messages) * price_in + max_tokens * price_out) / 1e6
    sim = Simulator()
    client = demo_client("sk-demo-ok", sim)
    start = sim.spend["org-demo"]
    try:
        guard = BudgetGuard(cap_usd=cap)
    except Exception as exc:
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.init_raised",
                "`BudgetGuard(cap_usd={cap})` raised {error}.",
                cap=cap,
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    sent = refused = 0
    for _ in range(12):
        spent_before, requests_before = sim.spend["org-demo"] - start, len(sim.log)
        try:
            reply = guard.send(client, model=model, messages=messages, max_tokens=max_tokens)
        except Exception as exc:
            return _say(
                False,
                translated(
                    "checks",
                    "budget_guard.send_raised",
                    "`guard.send(client, model=..., messages=..., max_tokens=...)` raised {error}. Return None to "
                    "refuse instead of raising.",
                    error=f"{type(exc).__name__}: {exc}",
                ),
            )
        went_out = len(sim.log) - requests_before
        if reply is None:
            if went_out:
                return _say(
                    False,
                    translated(
                        "checks",
                        "budget_guard.sent_anyway",
                        "send() returned None, but a request still went to the server. Decide before "
                        "you send: return None without calling the API.",
                    ),
                )
            recorded = getattr(guard, "spent_usd", None)
            if not refused and not _qb_same_usd(recorded, spent_before):
                return _say(
                    False,
                    translated(
                        "checks",
                        "budget_guard.recorded_so_far",
                        "The calls so far really cost {spent:.8f} USD, but `guard.spent_usd` says "
                        "{recorded!r}. After each call add the real cost, `cost_usd(model, reply.usage)`, "
                        "not the worst-case estimate.",
                        spent=spent_before,
                        recorded=recorded,
                    ),
                )
            if not refused and not sent:
                return _say(
                    False,
                    translated(
                        "checks",
                        "budget_guard.refused_first",
                        "The guard refused the very first call, whose worst case is only {worst:.5f} "
                        "USD under a {cap} USD cap. Refuse only when spent_usd + worst case would be "
                        "more than the cap; otherwise send the request and return the reply.",
                        worst=worst,
                        cap=cap,
                    ),
                )
            if not refused and spent_before + worst <= cap * (1 + 1e-9):
                return _say(
                    False,
                    translated(
                        "checks",
                        "budget_guard.too_early",
                        "The guard refused too early: {spent:.5f} USD spent, the next call costs at "
                        "most {worst:.5f} USD, so it still fits under the {cap} USD cap.",
                        spent=spent_before,
                        worst=worst,
                        cap=cap,
                    ),
                )
            refused += 1
            continue
        if refused:
            return _say(
                False,
                translated(
                    "checks",
                    "budget_guard.let_through",
                    "After refusing a call, the guard let the same call through again. Once the next "
                    "call could pass the cap it should keep saying no.",
                ),
            )
        if not went_out:
            return _say(
                False,
                translated(
                    "checks",
                    "budget_guard.nothing_sent",
                    "send() returned something, but no request reached the server. Send it with "
                    "`client.chat.completions.create(...)` and return the reply.",
                ),
            )
        sent += 1
    spent = sim.spend["org-demo"] - start
    if sent == 0:
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.refused_all",
                "The guard refused every call, even the first one (worst case {worst:.5f} USD under a "
                "{cap} USD cap). Refuse only when spent + worst case would be more than the cap.",
                worst=worst,
                cap=cap,
            ),
        )
    if spent > cap:
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.past_cap",
                "Spending reached {spent:.5f} USD, past the {cap} USD cap. Check *before* sending: "
                "refuse when spent_usd + worst_case_usd(...) > cap_usd.",
                spent=spent,
                cap=cap,
            ),
        )
    if not refused:
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.never_refused",
                "The guard never refused, yet twelve calls would pass the cap. Compare spent + worst "
                "case with the cap before each call.",
            ),
        )
    recorded = getattr(guard, "spent_usd", None)
    if not _qb_same_usd(recorded, spent):
        return _say(
            False,
            translated(
                "checks",
                "budget_guard.recorded",
                "The calls really cost {spent:.8f} USD, but `guard.spent_usd` says {recorded!r}. After "
                "each call add the real cost: `cost_usd(model, reply.usage)`.",
                spent=spent,
                recorded=recorded,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "budget_guard.passed",
            "The guard sent {sent} calls ({spent:.5f} USD, real cost from usage) and then refused, "
            "because one more could cost up to {worst:.5f} USD and pass the {cap} USD cap.",
            sent=sent,
            spent=spent,
            worst=worst,
            cap=cap,
        ),
    )


def _se_cases():
    """For the should_retry check: what is worth another try, and what never is."""
    from ..simulator import Simulator
    from ..simulator.wire import PROJECT_QUOTA as QUOTA_2023  # the 2023 quota message is the same sentence

    def ok(sim=None, **options):
        return demo_client("sk-demo-ok", sim, **options)

    flaky = ok()
    server_error = None
    for _ in range(20):
        server_error = last_error(flaky, model="gpt-demo-flaky")
        if server_error is not None:
            break
    long_wait = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
    return [
        Case(
            translated("checks", "should_retry.case_server_error", "a 500 server error"),
            (server_error,),
            True,
            translated(
                "checks", "should_retry.hint_server_error", "5xx errors are usually passing faults on the server's side"
            ),
        ),
        Case(
            translated("checks", "should_retry.case_old_503", "a 503 in the old style (type server_error)"),
            (last_error(ok(Simulator(overload_style="legacy")), model="gpt-demo-busy"),),
            True,
            translated("checks", "should_retry.hint_old_503", "A 503 is an InternalServerError too: overload passes"),
        ),
        Case(
            translated("checks", "should_retry.case_overloaded", "a 503 server_is_overloaded"),
            (last_error(ok(), model="gpt-demo-busy"),),
            True,
            translated("checks", "should_retry.hint_overloaded", "Overload passes; wait Retry-After and try again"),
        ),
        Case(
            translated("checks", "should_retry.case_slow_down", "a 429 slow_down"),
            (last_error(ok(), model="gpt-demo-ramp", times=6),),
            True,
            translated("checks", "should_retry.hint_slow_down", "A slow_down clears once you wait and slow down"),
        ),
        Case(
            translated("checks", "should_retry.case_rate_limit", "a 429 rate_limit_exceeded"),
            (last_error(demo_client("sk-demo-free"), times=4),),
            True,
            translated("checks", "should_retry.hint_rate_limit", "The allowance refills, so a later retry succeeds"),
        ),
        Case(
            translated("checks", "should_retry.case_timeout", "a timeout (APITimeoutError)"),
            (last_error(ok(timeout=1), model="gpt-demo-slow"),),
            True,
            translated(
                "checks",
                "should_retry.hint_timeout",
                "APITimeoutError is a subclass of APIConnectionError; both are worth another try",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_dropped", "a dropped connection (APIConnectionError)"),
            (last_error(ok(), model="gpt-demo-dropped"),),
            True,
            translated("checks", "should_retry.hint_dropped", "A dropped connection is often a passing network fault"),
        ),
        Case(
            translated("checks", "should_retry.case_insufficient_quota", "a 429 insufficient_quota"),
            (last_error(demo_client("sk-demo-broke")),),
            False,
            translated(
                "checks",
                "should_retry.hint_insufficient_quota",
                "Billing errors never clear by waiting; check the code (and type) against the billing codes",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_credit_exhausted", "a 429 credit_balance_exhausted"),
            (last_error(demo_client("sk-demo-prepaid")),),
            False,
            translated(
                "checks",
                "should_retry.hint_credit_exhausted",
                "Billing errors never clear by waiting; check `exc.code` against BILLING_CODES",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_wrong_key", "a 401 wrong key"),
            (last_error(demo_client("sk-demo-typo")),),
            False,
            translated(
                "checks",
                "should_retry.hint_wrong_key",
                "The same key will fail again; only 408, 409, 429 and 5xx are worth retrying",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_model_not_found", "a 404 model_not_found"),
            (last_error(ok(), model="gpt-does-not-exist"),),
            False,
            translated(
                "checks",
                "should_retry.hint_model_not_found",
                "The model will not appear by waiting; only 408, 409, 429 and 5xx are worth retrying",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_long_503", "a 503 whose Retry-After asks for 300 s"),
            (last_error(ok(long_wait), model="gpt-demo-busy"),),
            False,
            translated(
                "checks",
                "should_retry.hint_long_503",
                "Read `exc.response.headers.get('retry-after')`; above 120 s give up, as the SDK does",
            ),
        ),
        Case(
            translated(
                "checks",
                "should_retry.case_quota_2023",
                "a 429 in the 2023 quota shape (type insufficient_quota, code None)",
            ),
            (
                _qb_status_error(
                    openai.RateLimitError,
                    429,
                    {"message": QUOTA_2023, "type": "insufficient_quota", "param": None, "code": None},
                ),
            ),
            False,
            translated(
                "checks",
                "should_retry.hint_quota_2023",
                "Older quota errors had no code: check `exc.type == 'insufficient_quota'` as well as the code",
            ),
        ),
        Case(
            translated(
                "checks", "should_retry.case_long_429", "a 429 rate_limit_exceeded whose Retry-After asks for 300 s"
            ),
            (
                _qb_status_error(
                    openai.RateLimitError,
                    429,
                    {
                        "message": "Rate limit reached.",
                        "type": "requests",
                        "param": None,
                        "code": "rate_limit_exceeded",
                    },
                    headers={"retry-after": "300"},
                ),
            ),
            False,
            translated(
                "checks",
                "should_retry.hint_long_429",
                "A Retry-After above 120 s means give up now, whatever the status: check it before the status",
            ),
        ),
        Case(
            translated("checks", "should_retry.case_value_error", "a plain ValueError (a bug in your own code)"),
            (ValueError("a bug in my code"),),
            False,
            translated(
                "checks", "should_retry.hint_value_error", "Only exceptions from the openai package should be retried"
            ),
        ),
    ]


def check_should_retry(should_retry) -> None:
    """Exercise in notebook 05: retry or not, for each kind of failure."""
    from ..retry import classify, classify_exception, sdk_retries

    if borrows_from_course(
        should_retry,
        [classify_exception, classify, sdk_retries],
        "should_retry",
        translated(
            "checks",
            "should_retry.advice",
            "This exercise builds it: decide from the exception yourself, from its class, `exc.status_code`, "
            "`exc.code`, `exc.type` and the retry-after header.",
        ),
    ):
        return None
    cases = _se_cases()
    run_cases(
        should_retry,
        cases,
        _says_wrongly,
        same=_same_truth,
        tally=translated("checks", "should_retry.noun", "case"),
        not_a_function=translated(
            "checks",
            "should_retry.not_a_function",
            "`should_retry` should be a function that takes an exception and returns True or False.",
        ),
        raised=lambda **values: translated(
            "checks",
            "should_retry.raised",
            "For {label}, your function raised {error}. Only `openai.APIStatusError` has `.status_code` and "
            "`.response`; check the type first.",
            **values,
        ),
        passed=translated(
            "checks",
            "should_retry.passed",
            "All {n} cases right: retry 5xx, 429 rate limits and slow-downs, timeouts and dropped "
            "connections; never billing errors, 4xx mistakes, long Retry-After or your own bugs.",
            n=len(cases),
        ),
    )


def _se_worst_case(timeout, max_retries):
    """Every attempt times out, and before each retry the SDK sleeps its longest backoff."""
    from ..retry import OpenAISDK

    longest_sleep = OpenAISDK().bounds
    return (max_retries + 1) * timeout + sum(longest_sleep(k)[1] for k in range(1, max_retries + 1))


def _se_explain_worst_case(case, answer) -> str:
    timeout, retries = case.args
    if close(answer, (retries + 1) * timeout) and retries:
        return translated(
            "checks",
            "worst_case_seconds.no_sleeps",
            "{label} gives {answer}: the timeouts are right, now add the sleeps between attempts, up to "
            "min(0.5 · 2^(k−1), 8) s before retry k.",
            label=case.label,
            answer=answer,
        )
    if close(answer, case.expected - timeout):
        return translated(
            "checks",
            "worst_case_seconds.one_short",
            "{label} gives {answer}, one timeout short: a call makes max_retries + 1 attempts (the first "
            "one plus the retries).",
            label=case.label,
            answer=answer,
        )
    if retries >= 5 and close(answer, (retries + 1) * timeout + sum(0.5 * 2 ** (k - 1) for k in range(1, retries + 1))):
        return translated(
            "checks",
            "worst_case_seconds.no_cap",
            "{label} gives {answer}: the SDK caps each sleep at 8 s, so use min(0.5 · 2^(k−1), 8).",
            label=case.label,
            answer=answer,
        )
    return translated(
        "checks",
        "worst_case_seconds.wrong",
        "{label} gives {answer!r}; expected {expected:g} s = {attempts} attempts × {timeout} s + the "
        "longest sleeps before each retry.",
        label=case.label,
        answer=answer,
        expected=case.expected,
        attempts=retries + 1,
        timeout=timeout,
    )


def check_worst_case_seconds(worst_case_seconds) -> None:
    """Exercise in notebook 05: the longest a call can take when the server never answers."""
    cases = [
        Case(f"worst_case_seconds({timeout}, {retries})", (timeout, retries), _se_worst_case(timeout, retries))
        for timeout, retries in ((2, 2), (30, 2), (600, 2), (10, 0), (5, 5), (1, 8))
    ]
    run_cases(
        worst_case_seconds,
        cases,
        _se_explain_worst_case,
        same=close,
        not_a_function=translated(
            "checks",
            "worst_case_seconds.not_a_function",
            "`worst_case_seconds` should be a function `worst_case_seconds(timeout, max_retries)`.",
        ),
        raised=lambda **values: translated("checks", "worst_case_seconds.raised", "{label} raised {error}.", **values),
        passed=translated(
            "checks",
            "worst_case_seconds.passed",
            "Right for every case. With the defaults (timeout 600 s, max_retries 2) a silent server costs "
            "{seconds:g} s: half an hour.",
            seconds=_se_worst_case(600, 2),
        ),
    )


def _se_mixed_log(rng):
    """A fresh log with completions among refusals: timed-out completions (200), dropped connections (None),
    the free tier's 429s, and maybe a 500; how many of each is drawn at random."""
    from ..simulator import Simulator

    sim = Simulator(seed=rng.randrange(10_000))
    ok = demo_client("sk-demo-ok", sim, timeout=5)
    last_error(ok, model="gpt-demo-slow", times=rng.randint(1, 3))
    last_error(ok, model="gpt-demo-dropped", times=rng.randint(1, 2))
    last_error(ok, model="gpt-demo-flaky", times=rng.randint(0, 6))
    last_error(demo_client("sk-demo-free", sim), times=rng.randint(4, 7))
    return list(sim.log)


def _se_explain_billed(case, answer) -> str:
    log = case.args[0]
    if answer is None:
        return translated(
            "checks",
            "billed_count.none",
            "`billed_count` returns None. Count the entries of the log whose `status` is 200.",
        )
    if answer == len(log):
        return translated(
            "checks",
            "billed_count.every_entry",
            "For {label} you counted every entry ({answer}), but only {expected} have status 200. The "
            "others were attempts the server refused or never answered: nothing was produced, nothing billed.",
            label=case.label,
            answer=answer,
            expected=case.expected,
        )
    return translated(
        "checks",
        "billed_count.wrong",
        "For {label} you counted {answer!r}; {expected} entries have status 200.",
        label=case.label,
        answer=answer,
        expected=case.expected,
    )


def check_billed_count(billed_count, client) -> None:
    """Exercise 2 in notebook 05: how many completions the server did (and billed), from its log: the call that
    timed out, then fresh logs where completions sit among refusals and dropped connections."""
    import random

    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(
            False,
            translated(
                "checks",
                "billed_count.no_client",
                "Pass `slow_client` (the client made in the exercise cell) to the check.",
            ),
        )
    if not callable(billed_count):
        return _say(
            False,
            translated(
                "checks",
                "billed_count.not_a_function",
                "`billed_count` should be a function: `def billed_count(log): ...`.",
            ),
        )
    rng = random.Random()
    done = sum(1 for entry in log if entry.status == 200)
    cases = [Case(translated("checks", "billed_count.case_timed_out", "the call that timed out"), (list(log),), done)]
    for n in range(1, 4):
        mixed = _se_mixed_log(rng)
        label = translated(
            "checks", "billed_count.case_mixed", "mixed log {n} ({requests} requests)", n=n, requests=len(mixed)
        )
        cases.append(Case(label, (mixed,), sum(e.status == 200 for e in mixed)))
    if not run_cases(
        billed_count,
        cases,
        _se_explain_billed,
        same=equal_number,
        raised=lambda **values: translated(
            "checks",
            "billed_count.raised",
            "For {label}, `billed_count` raised {error}. Each entry has a `.status` (None when the connection "
            "was dropped).",
            **values,
        ),
    ):
        return None
    if done == 0:
        return _say(
            False,
            translated(
                "checks",
                "billed_count.rerun",
                "The call that timed out left no completed request in the log: run its cell again.",
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "billed_count.passed",
            "{done} completions done and billed for the call that timed out, and your program received none of "
            "them: the timeout was on your side, the work still happened on the server. And in the mixed logs you "
            "told the completions from the refused and dropped attempts.",
            done=done,
        ),
    )

"""Exercise checks for notebooks 04 (quota and billing) and 05 (server errors)."""

from __future__ import annotations

import openai

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
    return f"for {case.label} your function says {bool(answer)}, but it should say {case.expected}. {case.hint}."


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
    not_money = "A 429 status alone is not enough: a {} is also a 429, and waiting does fix that one"
    return [
        *(
            Case(f"a 429 with code {exc.code!r}", (exc,), True, "Compare `exc.code` with BILLING_CODES")
            for exc in billing.values()
        ),
        Case(
            "a 2023-style quota 429: type 'insufficient_quota' but code None",
            (
                _qb_status_error(
                    openai.RateLimitError,
                    429,
                    {"message": QUOTA_2023, "type": "insufficient_quota", "param": None, "code": None},
                ),
            ),
            True,
            "In 2023 the code was None: also accept `exc.type == 'insufficient_quota'`",
        ),
        Case(
            "an ordinary rate limit (429, code 'rate_limit_exceeded')",
            (rate_limit,),
            False,
            not_money.format("rate limit"),
        ),
        Case("a slow-down (429, code 'slow_down')", (slow_down,), False, not_money.format("slow-down")),
        Case(
            "an overloaded model (503)",
            (last_error(demo_client("sk-demo-ok"), model="gpt-demo-busy"),),
            False,
            "Billing errors are always 429s (`openai.RateLimitError`); a 503 is the model being busy",
        ),
        Case(
            "a wrong key (401)",
            (last_error(demo_client("sk-demo-typo")),),
            False,
            "Billing errors are always 429s (`openai.RateLimitError`); a 401 is about the key, not money",
        ),
        Case(
            "a plain ValueError (not from the API at all)",
            (ValueError("not an API error"),),
            False,
            "Only the API's errors can be billing errors: check `isinstance(exc, openai.RateLimitError)` first",
        ),
    ]


def check_is_billing_error(is_billing_error) -> None:
    """Exercise in notebook 04: a function that tells billing and quota 429s from everything else."""
    from ..retry import classify, classify_exception

    if borrows_from_course(
        is_billing_error,
        [classify_exception, classify],
        "is_billing_error",
        "Read the exception yourself: is it a RateLimitError, and is its code one of BILLING_CODES, or its type "
        "'insufficient_quota'?",
    ):
        return None
    cases = _qb_cases()
    run_cases(
        is_billing_error,
        cases,
        _says_wrongly,
        same=_same_truth,
        tally="example",
        not_a_function="`is_billing_error` should be a function that takes an exception and returns True or False.",
        raised="For {label}, your function raised {error}. Check the exception's type first (e.g. "
        "`isinstance(exc, openai.RateLimitError)`) before you read `.code` or `.type`.",
        passed=f"All {len(cases)} examples sorted correctly: the five billing codes and the 2023 shape are "
        "billing errors; rate limits, slow-downs, 503s, 401s and other exceptions are not.",
    )


def check_sent_once(client, error) -> None:
    """Exercise in notebook 04: one call to a broke organization, and only one request on the wire."""
    if said_what_is_wrong_with(
        error,
        openai.RateLimitError,
        when_none="`error` is still None. Send a chat completion with `broke_client` inside try/except and keep "
        "the `openai.RateLimitError` you catch in `error`.",
        when_other="`error` holds a {name}; expected the openai.RateLimitError that sk-demo-broke gets.",
    ):
        return
    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(False, "Pass `broke_client` (the client made in the exercise cell) to the check.")
    counts = [entry.retry_count for entry in log]
    if not counts:
        return _say(
            False,
            "No request reached broke_client's simulator. Did you send it with another client? A new "
            "client gets a simulator of its own; use `broke_client.with_options(...)`.",
        )
    if len(counts) > 1:
        return _say(
            False,
            f"The server saw {len(counts)} requests (x-stainless-retry-count {counts}): the SDK retried "
            "a request that can never succeed. Send it with `broke_client.with_options(max_retries=0)`. "
            "Re-run the exercise cell first: it starts a fresh simulator.",
        )
    return _say(
        True,
        f"One request, one answer ({error.code}), no pointless retries. In real life that is about a "
        "second less waiting and two fewer doomed requests per call.",
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
        return (
            f"For {case.label} you return {answer}, a million times too much: prices are per million tokens, so "
            "divide by 1_000_000."
        )
    if _qb_same_usd(answer, (usage.prompt_tokens * price_out + usage.completion_tokens * price_in) / 1_000_000):
        return (
            "Input and output prices are swapped: prompt tokens use the input price (the first number in "
            "PRICES[model]), completion tokens the output price."
        )
    return (
        f"For {case.label} you return {answer!r}; expected {case.expected:.8g} USD (prompt × input price + "
        "completion × output price, per million tokens)."
    )


def check_cost_usd(cost_usd) -> None:
    """Exercise in notebook 04: the cost of one response, from its usage and the price table."""
    from ..simulator import Simulator

    prices = _qb_prices()
    cases = [
        Case(
            f"{model} with {prompt} prompt and {completion} completion tokens",
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
    cases.append(Case("a real gpt-4o reply", ("gpt-4o", reply.usage), billed))
    run_cases(
        cost_usd,
        cases,
        _qb_explain_cost,
        same=_qb_same_usd,
        not_a_function="`cost_usd` should be a function `cost_usd(model, usage)` that returns US dollars.",
        raised="For {label}, cost_usd raised {error}. `usage` is the SDK's object: read `usage.prompt_tokens` "
        "and `usage.completion_tokens` (attributes, not dictionary keys).",
        passed=f"Right to the last digit: a real gpt-4o reply cost {billed:.8f} USD, exactly what the simulator "
        "billed.",
    )


def check_budget_guard(BudgetGuard) -> None:
    """Exercise in notebook 04: a guard that refuses a request once its worst case could pass the cap."""
    import math

    from ..simulator import Simulator

    if not isinstance(BudgetGuard, type):
        return _say(False, "`BudgetGuard` should be the class itself (do not call it before passing it to the check).")
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
        return _say(False, f"`BudgetGuard(cap_usd={cap})` raised {type(exc).__name__}: {exc}.")
    sent = refused = 0
    for _ in range(12):
        spent_before, requests_before = sim.spend["org-demo"] - start, len(sim.log)
        try:
            reply = guard.send(client, model=model, messages=messages, max_tokens=max_tokens)
        except Exception as exc:
            return _say(
                False,
                f"`guard.send(client, model=..., messages=..., max_tokens=...)` raised "
                f"{type(exc).__name__}: {exc}. Return None to refuse instead of raising.",
            )
        went_out = len(sim.log) - requests_before
        if reply is None:
            if went_out:
                return _say(
                    False,
                    "send() returned None, but a request still went to the server. Decide before "
                    "you send: return None without calling the API.",
                )
            recorded = getattr(guard, "spent_usd", None)
            if not refused and not _qb_same_usd(recorded, spent_before):
                return _say(
                    False,
                    f"The calls so far really cost {spent_before:.8f} USD, but `guard.spent_usd` says "
                    f"{recorded!r}. After each call add the real cost, `cost_usd(model, reply.usage)`, "
                    "not the worst-case estimate.",
                )
            if not refused and not sent:
                return _say(
                    False,
                    f"The guard refused the very first call, whose worst case is only {worst:.5f} "
                    f"USD under a {cap} USD cap. Refuse only when spent_usd + worst case would be "
                    "more than the cap; otherwise send the request and return the reply.",
                )
            if not refused and spent_before + worst <= cap * (1 + 1e-9):
                return _say(
                    False,
                    f"The guard refused too early: {spent_before:.5f} USD spent, the next call costs at "
                    f"most {worst:.5f} USD, so it still fits under the {cap} USD cap.",
                )
            refused += 1
            continue
        if refused:
            return _say(
                False,
                "After refusing a call, the guard let the same call through again. Once the next "
                "call could pass the cap it should keep saying no.",
            )
        if not went_out:
            return _say(
                False,
                "send() returned something, but no request reached the server. Send it with "
                "`client.chat.completions.create(...)` and return the reply.",
            )
        sent += 1
    spent = sim.spend["org-demo"] - start
    if sent == 0:
        return _say(
            False,
            f"The guard refused every call, even the first one (worst case {worst:.5f} USD under a "
            f"{cap} USD cap). Refuse only when spent + worst case would be more than the cap.",
        )
    if spent > cap:
        return _say(
            False,
            f"Spending reached {spent:.5f} USD, past the {cap} USD cap. Check *before* sending: "
            "refuse when spent_usd + worst_case_usd(...) > cap_usd.",
        )
    if not refused:
        return _say(
            False,
            "The guard never refused, yet twelve calls would pass the cap. Compare spent + worst "
            "case with the cap before each call.",
        )
    recorded = getattr(guard, "spent_usd", None)
    if not _qb_same_usd(recorded, spent):
        return _say(
            False,
            f"The calls really cost {spent:.8f} USD, but `guard.spent_usd` says {recorded!r}. After "
            "each call add the real cost: `cost_usd(model, reply.usage)`.",
        )
    return _say(
        True,
        f"The guard sent {sent} calls ({spent:.5f} USD, real cost from usage) and then refused, "
        f"because one more could cost up to {worst:.5f} USD and pass the {cap} USD cap.",
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
    not_again = "only 408, 409, 429 and 5xx are worth retrying"
    return [
        Case("a 500 server error", (server_error,), True, "5xx errors are usually passing faults on the server's side"),
        Case(
            "a 503 in the old style (type server_error)",
            (last_error(ok(Simulator(overload_style="legacy")), model="gpt-demo-busy"),),
            True,
            "A 503 is an InternalServerError too: overload passes",
        ),
        Case(
            "a 503 server_is_overloaded",
            (last_error(ok(), model="gpt-demo-busy"),),
            True,
            "Overload passes; wait Retry-After and try again",
        ),
        Case(
            "a 429 slow_down",
            (last_error(ok(), model="gpt-demo-ramp", times=6),),
            True,
            "A slow_down clears once you wait and slow down",
        ),
        Case(
            "a 429 rate_limit_exceeded",
            (last_error(demo_client("sk-demo-free"), times=4),),
            True,
            "The allowance refills, so a later retry succeeds",
        ),
        Case(
            "a timeout (APITimeoutError)",
            (last_error(ok(timeout=1), model="gpt-demo-slow"),),
            True,
            "APITimeoutError is a subclass of APIConnectionError; both are worth another try",
        ),
        Case(
            "a dropped connection (APIConnectionError)",
            (last_error(ok(), model="gpt-demo-dropped"),),
            True,
            "A dropped connection is often a passing network fault",
        ),
        Case(
            "a 429 insufficient_quota",
            (last_error(demo_client("sk-demo-broke")),),
            False,
            "Billing errors never clear by waiting; check the code (and type) against the billing codes",
        ),
        Case(
            "a 429 credit_balance_exhausted",
            (last_error(demo_client("sk-demo-prepaid")),),
            False,
            "Billing errors never clear by waiting; check `exc.code` against BILLING_CODES",
        ),
        Case(
            "a 401 wrong key",
            (last_error(demo_client("sk-demo-typo")),),
            False,
            f"The same key will fail again; {not_again}",
        ),
        Case(
            "a 404 model_not_found",
            (last_error(ok(), model="gpt-does-not-exist"),),
            False,
            f"The model will not appear by waiting; {not_again}",
        ),
        Case(
            "a 503 whose Retry-After asks for 300 s",
            (last_error(ok(long_wait), model="gpt-demo-busy"),),
            False,
            "Read `exc.response.headers.get('retry-after')`; above 120 s give up, as the SDK does",
        ),
        Case(
            "a 429 in the 2023 quota shape (type insufficient_quota, code None)",
            (
                _qb_status_error(
                    openai.RateLimitError,
                    429,
                    {"message": QUOTA_2023, "type": "insufficient_quota", "param": None, "code": None},
                ),
            ),
            False,
            "Older quota errors had no code: check `exc.type == 'insufficient_quota'` as well as the code",
        ),
        Case(
            "a 429 rate_limit_exceeded whose Retry-After asks for 300 s",
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
            "A Retry-After above 120 s means give up now, whatever the status: check it before the status",
        ),
        Case(
            "a plain ValueError (a bug in your own code)",
            (ValueError("a bug in my code"),),
            False,
            "Only exceptions from the openai package should be retried",
        ),
    ]


def check_should_retry(should_retry) -> None:
    """Exercise in notebook 05: retry or not, for each kind of failure."""
    from ..retry import classify, classify_exception, sdk_retries

    if borrows_from_course(
        should_retry,
        [classify_exception, classify, sdk_retries],
        "should_retry",
        "This exercise builds it: decide from the exception yourself, from its class, `exc.status_code`, "
        "`exc.code`, `exc.type` and the retry-after header.",
    ):
        return None
    cases = _se_cases()
    run_cases(
        should_retry,
        cases,
        _says_wrongly,
        same=_same_truth,
        tally="case",
        not_a_function="`should_retry` should be a function that takes an exception and returns True or False.",
        raised="For {label}, your function raised {error}. Only `openai.APIStatusError` has `.status_code` and "
        "`.response`; check the type first.",
        passed=f"All {len(cases)} cases right: retry 5xx, 429 rate limits and slow-downs, timeouts and dropped "
        "connections; never billing errors, 4xx mistakes, long Retry-After or your own bugs.",
    )


def _se_worst_case(timeout, max_retries):
    """Every attempt times out, and before each retry the SDK sleeps its longest backoff."""
    from ..retry import OpenAISDK

    longest_sleep = OpenAISDK().bounds
    return (max_retries + 1) * timeout + sum(longest_sleep(k)[1] for k in range(1, max_retries + 1))


def _se_explain_worst_case(case, answer) -> str:
    timeout, retries = case.args
    if close(answer, (retries + 1) * timeout) and retries:
        return (
            f"{case.label} gives {answer}: the timeouts are right, now add the sleeps between attempts, up to "
            "min(0.5 · 2^(k−1), 8) s before retry k."
        )
    if close(answer, case.expected - timeout):
        return (
            f"{case.label} gives {answer}, one timeout short: a call makes max_retries + 1 attempts (the first "
            "one plus the retries)."
        )
    if retries >= 5 and close(answer, (retries + 1) * timeout + sum(0.5 * 2 ** (k - 1) for k in range(1, retries + 1))):
        return f"{case.label} gives {answer}: the SDK caps each sleep at 8 s, so use min(0.5 · 2^(k−1), 8)."
    return (
        f"{case.label} gives {answer!r}; expected {case.expected:g} s = {retries + 1} attempts × {timeout} s + the "
        "longest sleeps before each retry."
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
        not_a_function="`worst_case_seconds` should be a function `worst_case_seconds(timeout, max_retries)`.",
        raised="{label} raised {error}.",
        passed="Right for every case. With the defaults (timeout 600 s, max_retries 2) a silent server costs "
        f"{_se_worst_case(600, 2):g} s: half an hour.",
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
        return "`billed_count` returns None. Count the entries of the log whose `status` is 200."
    if answer == len(log):
        return (
            f"For {case.label} you counted every entry ({answer}), but only {case.expected} have status 200. The "
            "others were attempts the server refused or never answered: nothing was produced, nothing billed."
        )
    return f"For {case.label} you counted {answer!r}; {case.expected} entries have status 200."


def check_billed_count(billed_count, client) -> None:
    """Exercise 2 in notebook 05: how many completions the server did (and billed), from its log: the call that
    timed out, then fresh logs where completions sit among refusals and dropped connections."""
    import random

    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(False, "Pass `slow_client` (the client made in the exercise cell) to the check.")
    if not callable(billed_count):
        return _say(False, "`billed_count` should be a function: `def billed_count(log): ...`.")
    rng = random.Random()
    done = sum(1 for entry in log if entry.status == 200)
    cases = [Case("the call that timed out", (list(log),), done)]
    for n in range(1, 4):
        mixed = _se_mixed_log(rng)
        cases.append(Case(f"mixed log {n} ({len(mixed)} requests)", (mixed,), sum(e.status == 200 for e in mixed)))
    if not run_cases(
        billed_count,
        cases,
        _se_explain_billed,
        same=equal_number,
        raised="For {label}, `billed_count` raised {error}. Each entry has a `.status` (None when the connection "
        "was dropped).",
    ):
        return None
    if done == 0:
        return _say(False, "The call that timed out left no completed request in the log: run its cell again.")
    return _say(
        True,
        f"{done} completions done and billed for the call that timed out, and your program received none of "
        "them: the timeout was on your side, the work still happened on the server. And in the mixed logs you "
        "told the completions from the refused and dropped attempts.",
    )

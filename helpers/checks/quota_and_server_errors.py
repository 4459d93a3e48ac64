"""Exercise checks for notebooks 04 (quota and billing) and 05 (server errors)."""

from __future__ import annotations

import openai

from ._say import _say


# Helpers for these checks are prefixed _qb_ (quota/billing) and _se_ (server errors); imports stay local so that
# this block can be appended without touching the top of the file.

_QB_BILLING_CODES = frozenset({
    "insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded", "organization_usage_limit_exceeded",
})
_QB_MESSAGES = [{"role": "user", "content": "Hello from the checker"}]


def _qb_client(key, simulator=None, **options):
    """A simulated client without SDK retries that ignores OPENAI_ORG_ID / OPENAI_PROJECT_ID in the environment
    (the SDK would send them, and the demo world would answer 401)."""
    import os

    from ..simulator import Simulator, make_client

    saved = {name: os.environ.pop(name) for name in ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID") if name in os.environ}
    try:
        return make_client(key, simulator or Simulator(), max_retries=0, **options)
    finally:
        os.environ.update(saved)


def _qb_raised(client, *, model="gpt-4o-mini", times=1, messages=None, **extra):
    """Send `times` requests and return the last exception (or None)."""
    error = None
    for _ in range(times):
        try:
            client.chat.completions.create(model=model, messages=messages or _QB_MESSAGES, **extra)
            error = None
        except Exception as exc:  # the checker collects whatever the SDK raises
            error = exc
    return error


def _qb_of(wrong: int, total: int, noun: str) -> str:
    """'1 of 11 examples is' / '3 of 11 examples are'."""
    return f"{wrong} of {total} {noun}s {'is' if wrong == 1 else 'are'}"


def _qb_status_error(cls, status, error_body, headers=None):
    """Build an SDK exception from a hand-written body (for shapes the demo world does not send)."""
    import httpx

    request = httpx.Request("POST", "https://simulated.openai.invalid/v1/chat/completions")
    response = httpx.Response(status, headers=headers or {}, json={"error": error_body}, request=request)
    return cls(error_body["message"], response=response, body=error_body)


def _qb_cases():
    """(description, exception, is it a billing error) for the is_billing_error check."""

    cases = []
    for key, code in (("sk-demo-broke", "insufficient_quota"), ("sk-demo-prepaid", "credit_balance_exhausted"),
                      ("sk-demo-org-capped", "organization_spend_limit_exceeded"),
                      ("sk-demo-project-capped", "project_spend_limit_exceeded"),
                      ("sk-demo-usage-limit", "organization_usage_limit_exceeded")):
        cases.append((f"a 429 with code {code!r} (key {key})", _qb_raised(_qb_client(key)), True))
    cases.append(("a 2023-style quota 429: type 'insufficient_quota' but code None",
                  _qb_status_error(openai.RateLimitError, 429, {
                      "message": "You exceeded your current quota, please check your plan and billing details.",
                      "type": "insufficient_quota", "param": None, "code": None}), True))
    cases.append(("an ordinary rate limit (429, code 'rate_limit_exceeded')",
                  _qb_raised(_qb_client("sk-demo-free"), times=4), False))
    cases.append(("a slow-down (429, code 'slow_down')",
                  _qb_raised(_qb_client("sk-demo-ok"), model="gpt-demo-ramp", times=6), False))
    cases.append(("an overloaded model (503)",
                  _qb_raised(_qb_client("sk-demo-ok"), model="gpt-demo-busy"), False))
    cases.append(("a wrong key (401)", _qb_raised(_qb_client("sk-demo-typo")), False))
    cases.append(("a plain ValueError (not from the API at all)", ValueError("not an API error"), False))
    return cases


def check_is_billing_error(is_billing_error) -> None:
    """Exercise in notebook 04: a function that tells billing and quota 429s from everything else."""
    if not callable(is_billing_error):
        return _say(False, "`is_billing_error` should be a function that takes an exception and returns True or False.")
    try:
        cases = _qb_cases()
    except Exception as exc:  # the simulator should never fail here; say so rather than show a traceback
        return _say(False, f"The checker could not build its examples ({type(exc).__name__}: {exc}). "
                           "Restart the kernel and run the notebook from the top.")
    wrong = []
    for description, error, expected in cases:
        try:
            answer = is_billing_error(error)
        except Exception as exc:
            return _say(False, f"For {description}, your function raised {type(exc).__name__}: {exc}. "
                               "Check the exception's type first (e.g. `isinstance(exc, openai.RateLimitError)`) "
                               "before you read `.code` or `.type`.")
        if bool(answer) != expected:
            wrong.append((description, bool(answer), expected))
    if not wrong:
        return _say(True, f"All {len(cases)} examples sorted correctly: the five billing codes and the 2023 shape "
                          "are billing errors; rate limits, slow-downs, 503s, 401s and other exceptions are not.")
    description, answer, expected = wrong[0]
    if expected:
        hint = ("Compare `exc.code` with BILLING_CODES" if "code None" not in description else
                "In 2023 the code was None: also accept `exc.type == 'insufficient_quota'`")
    else:
        hint = "A 429 status alone is not enough: a rate limit is also a 429, and waiting does fix that one"
    return _say(False, f"{_qb_of(len(wrong), len(cases), 'example')} sorted wrongly. The first: for {description} your "
                       f"function says {answer}, but it should say {expected}. {hint}.")


def check_sent_once(client, error) -> None:
    """Exercise in notebook 04: one call to a broke organization, and only one request on the wire."""

    if error is None:
        return _say(False, "`error` is still None. Send a chat completion with `broke_client` inside try/except and "
                           "keep the `openai.RateLimitError` you catch in `error`.")
    if not isinstance(error, openai.RateLimitError):
        return _say(False, f"`error` holds a {type(error).__name__}; expected the openai.RateLimitError that "
                           "sk-demo-broke gets.")
    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(False, "Pass `broke_client` (the client made in the exercise cell) to the check.")
    counts = [entry.retry_count for entry in log]
    if not counts:
        return _say(False, "No request reached broke_client's simulator. Did you send it with another client? A new "
                           "client gets a simulator of its own; use `broke_client.with_options(...)`.")
    if len(counts) > 1:
        return _say(False, f"The server saw {len(counts)} requests (x-stainless-retry-count {counts}): the SDK retried "
                           "a request that can never succeed. Send it with `broke_client.with_options(max_retries=0)`. "
                           "Re-run the exercise cell first: it starts a fresh simulator.")
    return _say(True, f"One request, one answer ({error.code}), no pointless retries. In real life that is about a "
                      "second less waiting and two fewer doomed requests per call.")


def _qb_usage(prompt, completion):
    from openai.types import CompletionUsage

    return CompletionUsage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _qb_prices():
    from ..world import load_world

    return {m.id: (m.usd_per_1m_input, m.usd_per_1m_output) for m in load_world().models.values()}


def _qb_close(a, b) -> None:
    import math

    return isinstance(a, (int, float)) and not isinstance(a, bool) and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def check_cost_usd(cost_usd) -> None:
    """Exercise in notebook 04: the cost of one response, from its usage and the price table."""
    from ..simulator import Simulator

    if not callable(cost_usd):
        return _say(False, "`cost_usd` should be a function `cost_usd(model, usage)` that returns US dollars.")
    prices = _qb_prices()
    for model, prompt, completion in (("gpt-4o", 1000, 500), ("gpt-4o-mini", 2_000_000, 1_000_000), ("gpt-4o", 0, 0)):
        price_in, price_out = prices[model]
        expected = (prompt * price_in + completion * price_out) / 1_000_000
        try:
            got = cost_usd(model, _qb_usage(prompt, completion))
        except Exception as exc:
            return _say(False, f"cost_usd({model!r}, usage) raised {type(exc).__name__}: {exc}. `usage` is the SDK's "
                               "object: read `usage.prompt_tokens` and `usage.completion_tokens` (attributes, not "
                               "dictionary keys).")
        if _qb_close(got, expected):
            continue
        if isinstance(got, (int, float)) and _qb_close(got, expected * 1_000_000):
            return _say(False, f"For {model} with {prompt} prompt and {completion} completion tokens you return {got}, "
                               "a million times too much: prices are per million tokens, so divide by 1_000_000.")
        swapped = (prompt * price_out + completion * price_in) / 1_000_000
        if _qb_close(got, swapped):
            return _say(False, "Input and output prices are swapped: prompt tokens use the input price (the first "
                               "number in PRICES[model]), completion tokens the output price.")
        return _say(False, f"For {model} with {prompt} prompt and {completion} completion tokens you return {got!r}; "
                           f"expected {expected:.6f} USD (prompt × input price + completion × output price, per "
                           "million tokens).")
    sim = Simulator()
    client = _qb_client("sk-demo-ok", sim)
    reply = client.chat.completions.create(model="gpt-4o", messages=_QB_MESSAGES, max_tokens=50)
    billed = sim.spend["org-demo"] - Simulator().spend["org-demo"]
    try:
        mine = cost_usd("gpt-4o", reply.usage)
    except Exception as exc:
        return _say(False, f"On a real response, cost_usd raised {type(exc).__name__}: {exc}.")
    if not _qb_close(mine, billed):
        return _say(False, f"On a real response you say {mine!r} USD, but the simulator billed {billed:.8f} USD.")
    return _say(True, f"Right to the last digit: a real gpt-4o reply cost {mine:.8f} USD, exactly what the simulator "
                      "billed.")


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
    client = _qb_client("sk-demo-ok", sim)
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
            return _say(False, f"`guard.send(client, model=..., messages=..., max_tokens=...)` raised "
                               f"{type(exc).__name__}: {exc}. Return None to refuse instead of raising.")
        went_out = len(sim.log) - requests_before
        if reply is None:
            if went_out:
                return _say(False, "send() returned None, but a request still went to the server. Decide before "
                                   "you send: return None without calling the API.")
            recorded = getattr(guard, "spent_usd", None)
            if not refused and not _qb_close(recorded, spent_before):
                return _say(False, f"The calls so far really cost {spent_before:.8f} USD, but `guard.spent_usd` says "
                                   f"{recorded!r}. After each call add the real cost, `cost_usd(model, reply.usage)`, "
                                   "not the worst-case estimate.")
            if not refused and not sent:
                return _say(False, f"The guard refused the very first call, whose worst case is only {worst:.5f} "
                                   f"USD under a {cap} USD cap. Refuse only when spent_usd + worst case would be "
                                   "more than the cap; otherwise send the request and return the reply.")
            if not refused and spent_before + worst <= cap * (1 + 1e-9):
                return _say(False, f"The guard refused too early: {spent_before:.5f} USD spent, the next call costs at "
                                   f"most {worst:.5f} USD, so it still fits under the {cap} USD cap.")
            refused += 1
            continue
        if refused:
            return _say(False, "After refusing a call, the guard let the same call through again. Once the next "
                               "call could pass the cap it should keep saying no.")
        if not went_out:
            return _say(False, "send() returned something, but no request reached the server. Send it with "
                               "`client.chat.completions.create(...)` and return the reply.")
        sent += 1
    spent = sim.spend["org-demo"] - start
    if sent == 0:
        return _say(False, f"The guard refused every call, even the first one (worst case {worst:.5f} USD under a "
                           f"{cap} USD cap). Refuse only when spent + worst case would be more than the cap.")
    if spent > cap:
        return _say(False, f"Spending reached {spent:.5f} USD, past the {cap} USD cap. Check *before* sending: "
                           "refuse when spent_usd + worst_case_usd(...) > cap_usd.")
    if not refused:
        return _say(False, "The guard never refused, yet twelve calls would pass the cap. Compare spent + worst "
                           "case with the cap before each call.")
    recorded = getattr(guard, "spent_usd", None)
    if not _qb_close(recorded, spent):
        return _say(False, f"The calls really cost {spent:.8f} USD, but `guard.spent_usd` says {recorded!r}. After "
                           "each call add the real cost: `cost_usd(model, reply.usage)`.")
    return _say(True, f"The guard sent {sent} calls ({spent:.5f} USD, real cost from usage) and then refused, "
                      f"because one more could cost up to {worst:.5f} USD and pass the {cap} USD cap.")


def _se_cases():
    """(description, exception, should it be retried) for the should_retry check in notebook 05."""
    from ..simulator import Simulator

    ok = lambda sim=None, **kw: _qb_client("sk-demo-ok", sim, **kw)  # noqa: E731
    flaky = ok()
    server_error = None
    for _ in range(20):
        server_error = _qb_raised(flaky, model="gpt-demo-flaky")
        if server_error is not None:
            break
    long_wait = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
    return [
        ("a 500 server error", server_error, True),
        ("a 503 in the old style (type server_error)", _qb_raised(ok(Simulator(overload_style="legacy")),
                                                                  model="gpt-demo-busy"), True),
        ("a 503 server_is_overloaded", _qb_raised(ok(), model="gpt-demo-busy"), True),
        ("a 429 slow_down", _qb_raised(ok(), model="gpt-demo-ramp", times=6), True),
        ("a 429 rate_limit_exceeded", _qb_raised(_qb_client("sk-demo-free"), times=4), True),
        ("a timeout (APITimeoutError)", _qb_raised(ok(timeout=1), model="gpt-demo-slow"), True),
        ("a dropped connection (APIConnectionError)", _qb_raised(ok(), model="gpt-demo-dropped"), True),
        ("a 429 insufficient_quota", _qb_raised(_qb_client("sk-demo-broke")), False),
        ("a 429 credit_balance_exhausted", _qb_raised(_qb_client("sk-demo-prepaid")), False),
        ("a 401 wrong key", _qb_raised(_qb_client("sk-demo-typo")), False),
        ("a 404 model_not_found", _qb_raised(ok(), model="gpt-does-not-exist"), False),
        ("a 503 whose Retry-After asks for 300 s", _qb_raised(ok(long_wait), model="gpt-demo-busy"), False),
        ("a plain ValueError (a bug in your own code)", ValueError("a bug in my code"), False),
    ]


_SE_HINTS = {
    "a 500 server error": "5xx errors are usually passing faults on the server's side",
    "a 503 in the old style (type server_error)": "a 503 is an InternalServerError too: overload passes",
    "a 503 server_is_overloaded": "overload passes; wait Retry-After and try again",
    "a 429 slow_down": "slow_down clears once you wait and slow down",
    "a 429 rate_limit_exceeded": "the allowance refills, so a later retry succeeds",
    "a timeout (APITimeoutError)": "APITimeoutError is a subclass of APIConnectionError; both are worth another try",
    "a dropped connection (APIConnectionError)": "a dropped connection is often a passing network fault",
    "a 429 insufficient_quota": "billing errors never clear by waiting; check the code (and type) against the "
                                "billing codes",
    "a 429 credit_balance_exhausted": "billing errors never clear by waiting; check `exc.code` against BILLING_CODES",
    "a 401 wrong key": "the same key will fail again; only 408, 409, 429 and 5xx are worth retrying",
    "a 404 model_not_found": "the model will not appear by waiting; only 408, 409, 429 and 5xx are worth retrying",
    "a 503 whose Retry-After asks for 300 s": "read `exc.response.headers.get('retry-after')`; above 120 s give up, "
                                              "as the SDK does",
    "a plain ValueError (a bug in your own code)": "only exceptions from the openai package should be retried",
}


def check_should_retry(should_retry) -> None:
    """Exercise in notebook 05: retry or not, for each kind of failure."""
    if not callable(should_retry):
        return _say(False, "`should_retry` should be a function that takes an exception and returns True or False.")
    try:
        cases = _se_cases()
    except Exception as exc:
        return _say(False, f"The checker could not build its examples ({type(exc).__name__}: {exc}). "
                           "Restart the kernel and run the notebook from the top.")
    wrong = []
    for description, error, expected in cases:
        try:
            answer = should_retry(error)
        except Exception as exc:
            return _say(False, f"For {description}, your function raised {type(exc).__name__}: {exc}. Only "
                               "`openai.APIStatusError` has `.status_code` and `.response`; check the type first.")
        if bool(answer) != expected:
            wrong.append((description, bool(answer), expected))
    if not wrong:
        return _say(True, f"All {len(cases)} cases right: retry 5xx, 429 rate limits and slow-downs, timeouts and "
                          "dropped connections; never billing errors, 4xx mistakes, long Retry-After or your own bugs.")
    description, answer, expected = wrong[0]
    return _say(False, f"{_qb_of(len(wrong), len(cases), 'case')} wrong. The first: for {description} your function says "
                       f"{answer}, but it should say {expected}: {_SE_HINTS[description]}.")


def _se_worst_case(timeout, max_retries):
    return (max_retries + 1) * timeout + sum(min(0.5 * 2 ** (k - 1), 8.0) for k in range(1, max_retries + 1))


def check_worst_case_seconds(worst_case_seconds) -> None:
    """Exercise in notebook 05: the longest a call can take when the server never answers."""
    import math

    if not callable(worst_case_seconds):
        return _say(False, "`worst_case_seconds` should be a function `worst_case_seconds(timeout, max_retries)`.")
    for timeout, retries in ((2, 2), (30, 2), (600, 2), (10, 0), (5, 5), (1, 8)):
        expected = _se_worst_case(timeout, retries)
        try:
            got = worst_case_seconds(timeout, retries)
        except Exception as exc:
            return _say(False, f"worst_case_seconds({timeout}, {retries}) raised {type(exc).__name__}: {exc}.")
        if isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(got, expected, abs_tol=1e-6):
            continue
        call = f"worst_case_seconds({timeout}, {retries})"
        if isinstance(got, (int, float)):
            if math.isclose(got, (retries + 1) * timeout, abs_tol=1e-6) and retries:
                return _say(False, f"{call} gives {got}: the timeouts are right, now add the sleeps between "
                                   "attempts, up to min(0.5 · 2^(k−1), 8) s before retry k.")
            if math.isclose(got, expected - timeout, abs_tol=1e-6):
                return _say(False, f"{call} gives {got}, one timeout short: a call makes max_retries + 1 attempts "
                                   "(the first one plus the retries).")
            if retries >= 5 and math.isclose(got, (retries + 1) * timeout
                                             + sum(0.5 * 2 ** (k - 1) for k in range(1, retries + 1)), abs_tol=1e-6):
                return _say(False, f"{call} gives {got}: the SDK caps each sleep at 8 s, so use "
                                   "min(0.5 · 2^(k−1), 8).")
        return _say(False, f"{call} gives {got!r}; expected {expected:g} s = {retries + 1} attempts × {timeout} s "
                           "+ the longest sleeps before each retry.")
    return _say(True, "Right for every case. With the defaults (timeout 600 s, max_retries 2) a silent server costs "
                      f"{_se_worst_case(600, 2):g} s: half an hour.")


def check_billed_count(billed, client) -> None:
    """Exercise in notebook 05: how many completions the server did for a call that timed out."""
    log = getattr(getattr(client, "simulator", None), "log", None)
    if log is None:
        return _say(False, "Pass `slow_client` (the client made in the exercise cell) to the check.")
    done = sum(1 for entry in log if entry.status == 200)
    if billed is None:
        return _say(False, "`billed` is still None. Count the entries of `slow_client.simulator.log` whose "
                           "`status` is 200.")
    if billed == 0:
        return _say(False, "The client got no reply, but that is not what the server saw. Look at the `status` of "
                           "each entry in `slow_client.simulator.log`.")
    if billed != done:
        return _say(False, f"You counted {billed!r}; the log holds {done} answers with status 200 (of {len(log)} "
                           "requests). Count the entries whose `status` is 200.")
    return _say(True, f"{done} completions done and billed, and your program received none of them: the timeout "
                      "was on your side, the work still happened on the server.")

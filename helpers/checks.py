"""Friendly checkers for the exercises: they say what is right, or what to try next. Never a traceback."""

from __future__ import annotations

import openai


def _say(ok: bool, text: str) -> bool:
    print(("✅ " if ok else "🤔 ") + text)
    return ok


def check_first_rate_limit(error) -> bool:
    """Exercise in notebook 00: catch the free tier's 429 and keep it in `error`."""
    if error is None:
        return _say(False, "`error` is still None. Send a few requests with the free-tier client and keep the "
                           "exception you catch (hint: `except openai.RateLimitError as exc: error = exc`).")
    if not isinstance(error, openai.APIStatusError):
        return _say(False, f"`error` holds a {type(error).__name__}, not an error from the API. Catch "
                           "`openai.RateLimitError`.")
    if error.status_code != 429 or error.code != "rate_limit_exceeded":
        return _say(False, f"That is a {error.status_code} with code {error.code!r}. Use the key sk-demo-free, "
                           "which may send only 3 requests per minute.")
    return _say(True, f"Well done: a 429 rate_limit_exceeded. The API says: {error.body['message'][:95]}...")


# --- notebooks 01 and 02 -------------------------------------------------------------------------------

_SDK_ENV_VARS = ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID")


def _demo_client(key, simulator, **options):
    """A simulated client that ignores OPENAI_ORG_ID / OPENAI_PROJECT_ID, which the SDK would otherwise send."""
    import os

    from .simulator import make_client

    saved = {name: os.environ.pop(name) for name in _SDK_ENV_VARS if name in os.environ}
    try:
        return make_client(key, simulator, max_retries=0, **options)
    finally:
        os.environ.update(saved)


def _demo_error(key, model="gpt-4o-mini", *, organization=None, repeat=1, call="chat", **body):
    """Send a request (`repeat` times) to a fresh simulator and return the exception of the last one."""
    from .simulator import Simulator

    client = _demo_client(key, Simulator(seed=7), organization=organization)
    error = None
    for _ in range(repeat):
        try:
            if call == "models":
                client.models.list()
            else:
                client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hello"}], **body)
            error = None
        except openai.APIStatusError as exc:
            error = exc
    return error


def _call_learner(fn, arg):
    """Run the learner's function; return (result, None) or (None, a friendly description of what it raised)."""
    try:
        return fn(arg), None
    except Exception as exc:  # the learner's code may raise anything: report it, never a traceback
        return None, f"{type(exc).__name__}: {exc}"


def check_diagnosis(diagnose) -> bool:
    """Exercise 1 in notebook 01: `diagnose(exc)` turns an APIStatusError into a small dict."""
    if not callable(diagnose):
        return _say(False, "`diagnose` should be a function: `def diagnose(exc): ...`.")
    cases = {
        "a mistyped key (401)": _demo_error("sk-demo-typo"),
        "max_tokens sent as text (400)": _demo_error("sk-demo-ok", max_tokens="20"),
        "an unknown model (404)": _demo_error("sk-demo-ok", "gpt-5-turbo-preview"),
        "a call from an unsupported region (403)": _demo_error("sk-demo-abroad"),
        "the 4th request in a minute on the free tier (429)": _demo_error("sk-demo-free", repeat=4),
        "an organization out of quota (429)": _demo_error("sk-demo-broke"),
        "an overloaded model (503)": _demo_error("sk-demo-ok", "gpt-demo-busy"),
    }
    keys = ("status", "exception", "type", "code", "message", "request_id", "retry")
    for label, exc in cases.items():
        got, crash = _call_learner(diagnose, exc)
        if crash:
            return _say(False, f"For {label}, `diagnose` raised {crash}. Remember that `exc.body` is already the "
                               "inner error object: `exc.body['message']`.")
        if not isinstance(got, dict):
            return _say(False, f"`diagnose` should return a dict, but for {label} it returned "
                               f"{type(got).__name__} {got!r}.")
        missing = [k for k in keys if k not in got]
        if len(missing) == len(keys):
            return _say(False, f"The dict has none of the keys yet. It needs: {', '.join(keys)}.")
        if missing:
            return _say(False, f"The dict is missing {', '.join(repr(k) for k in missing)}. "
                               f"It needs all of: {', '.join(keys)}.")
        quota = "insufficient_quota" in (exc.type, exc.code)
        status = exc.status_code
        expected = {
            "status": status, "exception": type(exc).__name__, "type": exc.type, "code": exc.code,
            "message": exc.body["message"], "request_id": exc.request_id,
            "retry": status in (408, 409) or status >= 500 or (status == 429 and not quota),
        }
        for key in keys:
            if got[key] == expected[key] and type(got[key]) is type(expected[key]):
                continue
            if key == "message" and got[key] == exc.message:
                hint = ("that is the SDK's summary (`exc.message`, which starts with 'Error code'); the API's own "
                        "sentence is `exc.body['message']`")
            elif key == "exception" and got[key] is type(exc):
                hint = "return the class *name*, a string: `type(exc).__name__`"
            elif key == "status" and str(got[key]) == str(status):
                hint = "return the status as an int (`exc.status_code`), not a string"
            elif key == "retry":
                hint = (f"a retry {'can' if expected['retry'] else 'can never'} help here (status {status}, type "
                        f"{exc.type!r}, code {exc.code!r}); retry is True for 408, 409, 500 and above, and for a 429 "
                        "unless its type or code is 'insufficient_quota'")
            else:
                hint = f"expected {expected[key]!r}"
            return _say(False, f"For {label}, '{key}' is {got[key]!r}: {hint}.")
    return _say(True, f"Well done: all {len(cases)} diagnoses are right, including the two 429s: the rate limit is "
                      "worth a retry, the empty quota never is.")


def check_wasted_retries(wasted) -> bool:
    """Exercise 2 in notebook 01: the catalog entries the SDK retries although no retry can succeed."""
    from .catalog import load_catalog

    catalog = {e.id: e for e in load_catalog()}
    if isinstance(wasted, str) or not hasattr(wasted, "__iter__"):
        return _say(False, "`wasted` should be a list of ids, such as ['quota_exceeded', ...].")
    given = [getattr(item, "id", item) for item in wasted]  # Entry objects are fine too
    expected = {i for i, e in catalog.items() if e.sdk_retries and not e.retryable}
    if not given:
        return _say(False, "`wasted` is empty. Look for entries where `e.sdk_retries` is True and `e.retryable` is "
                           "False, and keep their `e.id`.")
    unknown = [i for i in given if i not in catalog]
    if unknown:
        return _say(False, f"These are not catalog ids: {unknown}. Use `e.id` (for example 'quota_exceeded').")
    for item in given:
        if item not in expected:
            e = catalog[item]
            why = ("a retry can succeed there (retryable is True)" if e.retryable
                   else "the SDK does not retry it anyway (SDK retries is False)")
            return _say(False, f"'{item}' should not be in the list: {why}.")
    missing = expected - set(given)
    if missing:
        return _say(False, f"Right so far, but {len(missing)} more entr{'y is' if len(missing) == 1 else 'ies are'} "
                           "missing. Check every entry, not only the first ones.")
    statuses = sorted({catalog[i].status for i in expected})
    return _say(True, f"Exactly: by default the SDK retries these {len(expected)} errors twice although they can never "
                      f"succeed (status {', '.join(map(str, statuses))}): {', '.join(sorted(expected))}.")


def check_mask_key(mask) -> bool:
    """Exercise 1 in notebook 02: mask a key the way the API echoes it."""
    from .simulator import mask_key

    if not callable(mask):
        return _say(False, "`mask` should be a function: `def mask(key): ...`.")
    keys = ["sk-demo-revoked", "sk-proj-EXAMPLEnotARealKey0000000000wxyz", "sk-demo-typo0", "sk-demo-typo",
            "sk-demo-ok", "sk-" + "x" * 30 + "9876"]
    for key in keys:
        got, crash = _call_learner(mask, key)
        if crash:
            return _say(False, f"mask({key!r}) raised {crash}.")
        expected = mask_key(key)
        if got == expected:
            continue
        if not isinstance(got, str):
            return _say(False, f"mask({key!r}) returned {got!r}; it should return a string.")
        if len(key) <= 12:
            return _say(False, f"mask({key!r}) returned {got!r}. A key of 12 characters or fewer has nothing left to "
                               "hide once the first 8 and last 4 are shown: return it unchanged.")
        if len(got) != len(key):
            return _say(False, f"mask({key!r}) returned {got!r} ({len(got)} characters for a key of {len(key)}). "
                               "Use one star per hidden character.")
        return _say(False, f"mask({key!r}) returned {got!r}; the API would show {expected!r} (first 8 and last "
                           "4 characters kept).")
    return _say(True, f"Well done: mask('sk-demo-revoked') gives {mask('sk-demo-revoked')!r}, just as the API "
                      "shows it, and short keys come back whole.")


def check_diagnose_401(diagnose_401) -> bool:
    """Exercise 2 in notebook 02: name the cause of an authentication error."""
    if not callable(diagnose_401):
        return _say(False, "`diagnose_401` should be a function: `def diagnose_401(exc): ...`.")
    cases = [
        ("no key at all", _demo_error(None), "missing_key"),
        ("the mistyped key sk-demo-typo", _demo_error("sk-demo-typo"), "invalid_api_key"),
        ("the revoked key sk-demo-revoked", _demo_error("sk-demo-revoked"), "invalid_api_key"),
        ("sk-demo-no-org", _demo_error("sk-demo-no-org"), "no_organization"),
        ("organization='org-elsewhere'", _demo_error("sk-demo-ok", organization="org-elsewhere"),
         "mismatched_organization"),
        ("organization='org-nowhere'", _demo_error("sk-demo-ok", organization="org-nowhere"), "invalid_organization"),
        ("the restricted key sk-demo-readonly calling a model", _demo_error("sk-demo-readonly"),
         "insufficient_permissions"),
        ("sk-demo-abroad (a 403)", _demo_error("sk-demo-abroad"), "not_401"),
        ("an unknown model (a 404)", _demo_error("sk-demo-ok", "gpt-5-turbo-preview"), "not_401"),
    ]
    for label, exc, expected in cases:
        got, crash = _call_learner(diagnose_401, exc)
        if crash:
            return _say(False, f"For {label}, `diagnose_401` raised {crash}. Note that `exc.code` can be None, and "
                               "that the message is `exc.body['message']`.")
        if got == expected:
            continue
        if expected == "not_401":
            hint = f"it is a {exc.status_code}, not a 401: check `exc.status_code` first"
        elif exc.code is None:
            hint = f"its code is None, so read the message, which starts {exc.body['message'][:45]!r}"
        else:
            hint = f"look at `exc.code`, which is {exc.code!r}"
        return _say(False, f"For {label} you answered {got!r}, but the cause is {expected!r}: {hint}.")
    return _say(True, f"Well done: all {len(cases)} cases diagnosed. Notice that a revoked key and a mistyped key "
                      "look the same from outside: only the masked key in the message tells them apart.")


# --- notebooks 04 and 05: quota and billing, server errors -------------------------------------------------------
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

    from .simulator import Simulator, make_client

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
    import openai

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


def check_is_billing_error(is_billing_error) -> bool:
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


def check_sent_once(client, error) -> bool:
    """Exercise in notebook 04: one call to a broke organization, and only one request on the wire."""
    import openai

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
    from .world import load_world

    return {m.id: (m.usd_per_1m_input, m.usd_per_1m_output) for m in load_world().models.values()}


def _qb_close(a, b) -> bool:
    import math

    return isinstance(a, (int, float)) and not isinstance(a, bool) and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def check_cost_usd(cost_usd) -> bool:
    """Exercise in notebook 04: the cost of one response, from its usage and the price table."""
    from .simulator import Simulator

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


def check_budget_guard(BudgetGuard) -> bool:
    """Exercise in notebook 04: a guard that refuses a request once its worst case could pass the cap."""
    import math

    from .simulator import Simulator

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
    from .simulator import Simulator

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


def check_should_retry(should_retry) -> bool:
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


def check_worst_case_seconds(worst_case_seconds) -> bool:
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


def check_billed_count(billed, client) -> bool:
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


# --- notebook 09 -----------------------------------------------------------------------------------------

def check_retrying(make_retrying) -> bool:
    """Exercise in notebook 09: a tenacity Retrying done right (4 attempts, classified, virtual sleeps)."""
    from .simulator import Simulator, make_client

    def run(key, model, faults=None):
        sim = Simulator(seed=5, faults=faults or {})
        client = make_client(key, sim, max_retries=0)
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
        return _say(False, f"Calling your Retrying raised {problem}. Return a tenacity Retrying(...) object.")
    if len(quota.log) != 1:
        return _say(False, f"A quota error was sent {len(quota.log)} times. Pass `retry=retry_if_exception(...)` "
                           "with a predicate that says no to errors that cannot succeed (try is_retryable).")
    failing, _ = run("sk-demo-ok", "gpt-demo-flaky", {"gpt-demo-flaky": {"server_error_share": 1.0}})
    if len(failing.log) != 4:
        return _say(False, f"Against a model that always fails, your Retrying sent {len(failing.log)} requests; "
                           "stop after 4 attempts with `stop=stop_after_attempt(4)`.")
    if failing.clock.now() <= 0:
        return _say(False, "No simulated time passed between the attempts: add jittered waits "
                           "(`wait=wait_random_exponential(...)`) and `sleep=sim.clock.sleep`.")
    return _say(True, f"One request for the quota error, four for the failing model, with "
                      f"{failing.clock.now():.1f} simulated seconds of backoff between them. One layer, done right.")


def check_nested_worst_case(requests_per_call, worst_case_s) -> bool:
    """Exercise in notebook 09: tenacity's 3 attempts around the SDK's max_retries=3, timeout 45 s."""
    if requests_per_call == 3 + 3:
        return _say(False, "Layers multiply, they do not add: each of tenacity's attempts runs the SDK's own "
                           "retries.")
    if requests_per_call != 12:
        return _say(False, f"{requests_per_call!r} requests? The SDK makes max_retries + 1 = 4 attempts, and "
                           "tenacity calls it up to 3 times.")
    if worst_case_s != 12 * 45:
        return _say(False, f"{requests_per_call} requests is right. For the time, each request can wait the "
                           "full 45 s timeout.")
    return _say(True, "12 requests and 9 minutes of waiting for one call. Pick one layer, and a timeout "
                      "that matches what the caller can wait.")


# --- notebooks 03 and 06: rate limits, the backoff lab ----------------------------------------------------------
# Helpers for these checks are prefixed _rl_ (rate limits) and _bl_ (backoff lab); imports stay local so that
# this block can be appended without touching the top of the file.

def _rl_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _rl_close(got, expected, tol=1e-6) -> bool:
    import math

    if not _rl_number(got) or math.isnan(got):
        return False
    if math.isinf(expected):
        return math.isinf(got) and got > 0
    return math.isclose(got, expected, rel_tol=tol, abs_tol=tol)


def check_try_again_in(try_again_in) -> bool:
    """Exercise 1 in notebook 03: the wait a 429 quotes, from its Limit, Used and Requested."""
    import math

    from .ratelimit import format_duration

    if not callable(try_again_in):
        return _say(False, "`try_again_in` should be a function: `def try_again_in(limit, used, requested, "
                           "window_s=60): ...`.")
    cases = [
        ("the worked example (TPM 10,000, used 8,554, requested 3,082)", (10_000, 8_554, 3_082), {}, 9.816),
        ("the free tier's 4th request (RPM 3, used 3, requested 1)", (3, 3, 1), {}, 20.0),
        ("a small overshoot (TPM 40,000, used 39,000, requested 3,000)", (40_000, 39_000, 3_000), {}, 3.0),
        ("a daily limit (RPD 200, used 200, requested 1, window_s=86_400)", (200, 200, 1), {"window_s": 86_400},
         432.0),
        ("a request that fits (TPM 30,000, used 1,000, requested 500)", (30_000, 1_000, 500), {}, 0.0),
        ("a request larger than the whole limit (TPM 10,000, used 0, requested 12,000)", (10_000, 0, 12_000), {},
         math.inf),
    ]
    for label, args, kwargs, expected in cases:
        try:
            got = try_again_in(*args, **kwargs)
        except Exception as exc:  # the learner's code may raise anything: report it, never a traceback
            return _say(False, f"For {label}, try_again_in raised {type(exc).__name__}: {exc}.")
        if _rl_close(got, expected):
            continue
        limit, used, requested = args
        window = kwargs.get("window_s", 60)
        excess = used + requested - limit
        if not _rl_number(got):
            return _say(False, f"For {label} you return {got!r}; return a number of seconds (a float).")
        if expected == 0:
            hint = "used + requested is within the limit, so the request fits now: return 0 (never a negative wait)"
        elif math.isinf(expected):
            hint = ("a request larger than the whole limit can never fit, however long you wait: return math.inf "
                    "when requested > limit")
        elif _rl_close(got, excess):
            hint = f"{got:g} is the excess in units, not seconds: divide it by the refill rate, limit / window_s"
        elif _rl_close(got, requested / (limit / window)):
            hint = ("only the excess has to refill, not the whole request: "
                    "(used + requested − limit) / (limit / window_s)")
        elif window != 60 and _rl_close(got, excess / (limit / 60)):
            hint = "this limit is per day: use window_s (86,400 s here) for the refill rate, not 60"
        else:
            hint = f"expected {expected:g} s = (used + requested − limit) / (limit / window_s)"
        return _say(False, f"For {label} you return {got!r}: {hint}.")
    shown = format_duration(try_again_in(10_000, 8_554, 3_082))
    return _say(True, f"All {len(cases)} cases right. Formatted like the API, the worked example gives {shown!r}: "
                      "the message said 'Please try again in 9.816s'.")


def _rl_headers(limit_requests, remaining_requests, limit_tokens, remaining_tokens):
    """Rate-limit headers as the simulator writes them (an httpx.Headers, as `exc.response.headers` is)."""
    import httpx

    from .ratelimit import format_duration

    return httpx.Headers({
        "x-ratelimit-limit-requests": str(limit_requests), "x-ratelimit-limit-tokens": str(limit_tokens),
        "x-ratelimit-remaining-requests": str(remaining_requests),
        "x-ratelimit-remaining-tokens": str(remaining_tokens),
        "x-ratelimit-reset-requests": format_duration((limit_requests - remaining_requests) / (limit_requests / 60)),
        "x-ratelimit-reset-tokens": format_duration((limit_tokens - remaining_tokens) / (limit_tokens / 60)),
    })


def _rl_until_fits(headers, tokens):
    import math

    limit_r, left_r = int(headers["x-ratelimit-limit-requests"]), int(headers["x-ratelimit-remaining-requests"])
    limit_t, left_t = int(headers["x-ratelimit-limit-tokens"]), int(headers["x-ratelimit-remaining-tokens"])
    if tokens > limit_t:
        return math.inf
    return max(max(0, tokens - left_t) / (limit_t / 60), max(0, 1 - left_r) / (limit_r / 60))


def check_seconds_until_fits(seconds_until_fits) -> bool:
    """Exercise 2 in notebook 03: from the x-ratelimit-* headers, how long until a request of N tokens fits."""
    import math

    import openai

    from .simulator import make_client

    if not callable(seconds_until_fits):
        return _say(False, "`seconds_until_fits` should be a function: `def seconds_until_fits(headers, tokens): ...`.")
    cases = [
        ("3,082 tokens with 1,446 left of 30,000 per minute", _rl_headers(500, 499, 30_000, 1_446), 3_082),
        ("1,000 tokens with plenty of everything left", _rl_headers(500, 400, 200_000, 150_000), 1_000),
        ("51 tokens when no request is left (the free tier after 3 requests)", _rl_headers(3, 0, 40_000, 39_847), 51),
        ("2,000 tokens with no tokens and no requests left", _rl_headers(60, 0, 10_000, 0), 2_000),
        ("40,000 tokens against a limit of 30,000 tokens per minute", _rl_headers(500, 499, 30_000, 30_000), 40_000),
    ]
    for label, headers, tokens in cases:
        expected = _rl_until_fits(headers, tokens)
        try:
            got = seconds_until_fits(headers, tokens)
        except TypeError as exc:
            return _say(False, f"For {label}, your function raised TypeError: {exc}. Header values are text: "
                               "convert them with int(headers['x-ratelimit-remaining-tokens']).")
        except Exception as exc:
            return _say(False, f"For {label}, your function raised {type(exc).__name__}: {exc}.")
        if _rl_close(got, expected, tol=5e-3):
            continue
        if not _rl_number(got):
            return _say(False, f"For {label} you return {got!r}; return a number of seconds.")
        limit_r, left_r = int(headers["x-ratelimit-limit-requests"]), int(headers["x-ratelimit-remaining-requests"])
        limit_t, left_t = int(headers["x-ratelimit-limit-tokens"]), int(headers["x-ratelimit-remaining-tokens"])
        wait_t = max(0, tokens - left_t) / (limit_t / 60)
        wait_r = max(0, 1 - left_r) / (limit_r / 60)
        if math.isinf(expected):
            hint = "more tokens than the whole per-minute limit can never fit: return math.inf when tokens > limit"
        elif expected == 0:
            hint = "the request fits right now: return 0, never a negative number"
        elif _rl_close(got, wait_t, 5e-3) and wait_r > wait_t:
            hint = ("the tokens are there, but x-ratelimit-remaining-requests is 0: a request also needs one request "
                    "from the requests bucket. Work out both waits and return the longer one")
        elif _rl_close(got, wait_t + wait_r, 5e-3):
            hint = "both buckets refill at the same time: take the longer of the two waits (max), not their sum"
        elif _rl_close(got, tokens / (limit_t / 60), 5e-3):
            hint = "only the missing tokens (tokens − remaining) have to refill, not the whole request"
        elif _rl_close(got, (tokens - left_t) / limit_t, 5e-3):
            hint = "the limit is per minute: the refill rate is limit / 60 tokens per second"
        else:
            hint = (f"expected {expected:g} s: missing tokens ÷ (token limit / 60), or one missing request ÷ "
                    "(request limit / 60), whichever is longer")
        return _say(False, f"For {label} you return {got!r}: {hint}.")
    # and against the simulator: wait as long as the function says, then the request must go through
    client = make_client("sk-demo-free", max_retries=0)
    messages = [{"role": "user", "content": "ping"}]
    raw = None
    for _ in range(3):
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages, max_tokens=50)
    tokens = client.simulator.log[-1].tokens
    try:
        wait = seconds_until_fits(raw.headers, tokens)
    except Exception as exc:
        return _say(False, f"On real headers from the simulator your function raised {type(exc).__name__}: {exc}.")
    if not _rl_number(wait) or not math.isfinite(wait) or wait < 0:
        return _say(False, f"On real headers from the free tier you return {wait!r}; expected about 20 seconds.")
    client.simulator.clock.advance(wait)
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=50)
    except openai.RateLimitError:
        return _say(False, f"On real headers from the free tier you said {wait:g} s, but after waiting that long the "
                           "request was still refused. Expected about 20 seconds.")
    return _say(True, f"All {len(cases)} cases right, and on the free tier your answer ({wait:g} s) was long enough: "
                      "the next request went straight through.")


def check_rate_limit_tokens(rate_limit_tokens) -> bool:
    """Exercise 3 in notebook 03: the tokens a request counts against TPM, before it is answered."""
    import math

    from .simulator import make_client

    if not callable(rate_limit_tokens):
        return _say(False, "`rate_limit_tokens` should be a function: `def rate_limit_tokens(messages, max_tokens, "
                           "n=1): ...`.")
    cases = [
        ("one short message, max_tokens=50", [{"role": "user", "content": "Hello there!"}], 50, 1),
        ("a system and a user message of 5 characters each, max_tokens=20",
         [{"role": "system", "content": "Be ok"}, {"role": "user", "content": "Hi yo"}], 20, 1),
        ("a long prompt, max_tokens=4000", [{"role": "user", "content": "Summarise this. " * 250}], 4000, 1),
        ("three answers at once (n=3), max_tokens=100", [{"role": "user", "content": "Name a colour."}], 100, 3),
    ]
    client = make_client("sk-demo-ok", max_retries=0)
    for label, messages, max_tokens, n in cases:
        client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=max_tokens, n=n)
        counted = client.simulator.log[-1].tokens
        try:
            got = rate_limit_tokens(messages, max_tokens, n=n)
        except Exception as exc:
            return _say(False, f"For {label}, your function raised {type(exc).__name__}: {exc}. `messages` is a list "
                               "of dicts: read each `message['content']`.")
        if got == counted and _rl_number(got):
            continue
        prompt = sum(math.ceil(len(m["content"]) / 4) for m in messages)
        if not _rl_number(got):
            hint = "return a whole number of tokens"
        elif got == prompt:
            hint = "that is only the prompt: add max_tokens × n, which the API reserves before the answer exists"
        elif got == prompt + max_tokens and n > 1:
            hint = "with n answers the API reserves max_tokens for each of them: add max_tokens × n"
        elif got == math.ceil(sum(len(m["content"]) for m in messages) / 4) + max_tokens * n:
            hint = "round up for each message separately: sum(math.ceil(len(m['content']) / 4) for m in messages)"
        elif got == sum(len(m["content"]) for m in messages) / 4 + max_tokens * n:
            hint = "round each message's characters ÷ 4 up to a whole number: math.ceil(...)"
        else:
            hint = "characters ÷ 4, rounded up, for each message, plus max_tokens × n"
        return _say(False, f"For {label} you say {got!r} tokens, but the simulator counted {counted}: {hint}.")
    return _say(True, f"All {len(cases)} requests counted exactly as the simulator counts them. Notice that the long "
                      "prompt with max_tokens=4000 holds back 5,000 tokens of your limit, whatever the answer's real "
                      "length.")


# -- notebook 06 -------------------------------------------------------------------------------------------------

def check_full_jitter(full_jitter) -> bool:
    """Exercise 1 in notebook 06: full jitter, a uniform draw between 0 and the capped exponential."""
    import math
    import random

    if not callable(full_jitter):
        return _say(False, "`full_jitter` should be a function: `def full_jitter(n, base, cap, rng): ...`.")
    for base, cap in ((0.5, 8.0), (1.0, 30.0)):
        for n in range(1, 10):
            ceiling = min(cap, base * 2 ** (n - 1))
            rng = random.Random(1000 * n + int(cap))
            call = f"full_jitter({n}, {base:g}, {cap:g}, rng)"
            try:
                values = [full_jitter(n, base, cap, rng) for _ in range(2000)]
            except Exception as exc:
                return _say(False, f"{call} raised {type(exc).__name__}: {exc}.")
            odd = next((v for v in values if not _rl_number(v) or math.isnan(v)), None)
            if odd is not None or any(v is None for v in values):
                return _say(False, f"{call} returned {odd!r}; return a number of seconds.")
            low, top, mean = min(values), max(values), sum(values) / len(values)
            if all(math.isclose(v, ceiling) for v in values):
                return _say(False, f"{call} always returns {ceiling:g}, the ceiling itself: that is plain capped "
                                   "exponential backoff. Full jitter draws a random delay between 0 and the ceiling: "
                                   "rng.uniform(0, ceiling).")
            if low < 0:
                return _say(False, f"{call} returned {low:g}: a delay is never negative. Draw between 0 and the "
                                   "ceiling.")
            if top > ceiling + 1e-9:
                if n == 1 and top <= 2 * base + 1e-9:
                    hint = "the first retry (n = 1) may wait at most `base`: use base · 2^(n − 1), not base · 2^n"
                elif top > cap + 1e-9:
                    hint = "some delays are above the cap: take min(cap, base · 2^(n − 1)) first, then draw"
                else:
                    hint = f"no delay should be above min(cap, base · 2^(n − 1)) = {ceiling:g}"
                return _say(False, f"{call} returned {top:g}: {hint}.")
            if low > 0.4 * ceiling:
                return _say(False, f"{call} never went below {low:.3g} (the ceiling is {ceiling:g}). Never less than "
                                   "half is equal jitter; full jitter may pick anything from 0 up to the ceiling.")
            if not 0.42 * ceiling <= mean <= 0.58 * ceiling:
                return _say(False, f"The delays of {call} average {mean:.3g}, but draws spread evenly between 0 and "
                                   f"{ceiling:g} average about {ceiling / 2:g}. Use rng.uniform(0, ceiling).")
    same_a = [full_jitter(3, 0.5, 8.0, random.Random(42)) for _ in range(3)]
    rng_b = random.Random(42)
    again = [full_jitter(3, 0.5, 8.0, random.Random(42)) for _ in range(3)]
    if same_a != again or len({full_jitter(3, 0.5, 8.0, rng_b) for _ in range(5)}) == 1:
        return _say(False, "The delays do not come from the `rng` you are given: two generators with the same seed "
                           "should give the same delays. Use rng.uniform(...) or rng.random(), not the random module.")
    return _say(True, "Right: every delay lies between 0 and min(cap, base · 2^(n − 1)), they average half of it, "
                      "and the same seed gives the same delays. That is exactly helpers.retry.FullJitter.")


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


def check_retry_loop(call_with_retries) -> bool:
    """Exercise 2 in notebook 06: a retry loop that stops on errors that never succeed and honours Retry-After."""
    import random
    import time

    import openai

    from .experiments import lab_world
    from .simulator import Simulator, make_client

    if not callable(call_with_retries):
        return _say(False, "`call_with_retries` should be a function: `def call_with_retries(send, clock, rng, "
                           "max_attempts=6, base=0.5, cap=30.0): ...`.")
    messages = [{"role": "user", "content": "Hello from the checker"}]

    def setup(key="sk-demo-ok", model="gpt-4o-mini", sim=None, before=0, **extra):
        sim = sim or Simulator()
        client = make_client(key, sim, max_retries=0)
        for _ in range(before):
            client.chat.completions.create(model=model, messages=messages, max_tokens=50)
        start = len(sim.log)
        send = lambda: client.chat.completions.create(model=model, messages=messages, **extra)  # noqa: E731
        return sim, send, start

    flaky = Simulator(faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
    long_wait = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
    small = Simulator(lab_world(rpm=60, tpm=10_000))
    # (label, setup, expect "ok" or an exception class, attempts expected, Retry-After the server gives or None)
    scenarios = [
        ("the free tier's 4th request (429, Retry-After: 20)", setup("sk-demo-free", before=3, max_tokens=50),
         "ok", 2, 20.0),
        ("an overloaded model (503, Retry-After: 5)", setup(model="gpt-demo-busy"), "ok", 2, 5.0),
        ("a model that always fails (500, no Retry-After)", setup(sim=flaky, model="gpt-demo-flaky"),
         openai.InternalServerError, 4, None),
        ("an organization out of quota (429 insufficient_quota)", setup("sk-demo-broke"), openai.RateLimitError, 1,
         None),
        ("a wrong key (401)", setup("sk-demo-typo"), openai.AuthenticationError, 1, None),
        ("a request larger than the whole TPM limit (429 Request too large)",
         setup("sk-lab", sim=small, max_tokens=12_000), openai.RateLimitError, 1, None),
        ("an overloaded model asking for 300 s (more than the SDK's 120 s)",
         setup(sim=long_wait, model="gpt-demo-busy"), openai.InternalServerError, 1, None),
    ]
    hints = {
        "the free tier's 4th request (429, Retry-After: 20)": "a rate-limit 429 clears once the bucket refills",
        "an overloaded model (503, Retry-After: 5)": "a 503 is an openai.InternalServerError and is worth a retry",
        "a model that always fails (500, no Retry-After)": "a 500 is worth retrying, up to max_attempts attempts",
        "an organization out of quota (429 insufficient_quota)": "a billing error never clears by waiting "
                                                                 "(classify_exception(exc).retryable is False)",
        "a wrong key (401)": "the same key fails every time (classify_exception(exc).retryable is False)",
        "a request larger than the whole TPM limit (429 Request too large)": "it can never fit, however long you wait "
                                                                             "(classify_exception says so)",
        "an overloaded model asking for 300 s (more than the SDK's 120 s)": "give up when the server asks for more "
                                                                            "than 120 s (classify_exception says "
                                                                            "retryable=False)",
    }
    options = dict(max_attempts=4, base=0.5, cap=2.0)
    for label, (sim, send, start), expected, attempts_expected, retry_after in scenarios:
        counted, calls = _bl_counting(send)
        began = time.perf_counter()
        outcome, value = _bl_run(call_with_retries, counted, sim.clock, rng=random.Random(7), **options)
        log = sim.log[start:]
        if (outcome == "stopped" and value == "real sleep") or time.perf_counter() - began > 2:
            return _say(False, "Your loop called time.sleep, which would really wait. Use clock.sleep(seconds): the "
                               "simulator's clock is virtual, so a minute passes at once.")
        if outcome == "stopped":
            return _say(False, f"For {label}, your loop sent more than 40 attempts. Stop after max_attempts attempts "
                               "(the check passes max_attempts=4).")
        if outcome == "raised" and isinstance(value, TypeError) and not log:
            return _say(False, f"Calling your loop raised TypeError: {value}. The check calls "
                               "call_with_retries(send, clock, rng=..., max_attempts=4, base=0.5, cap=2.0).")
        if expected == "ok":
            if len(log) >= 2:
                gap = log[1].time - log[0].time
                if gap < retry_after - 1e-6:
                    return _say(False, f"For {label}, your second attempt went out {gap:.2f} s after the first, but "
                                       f"the server asked for {retry_after:g} s. Wait at least the Retry-After "
                                       "(classify_exception(exc).retry_after holds it, in seconds).")
                if gap > retry_after + options["cap"] + 1e-6:
                    return _say(False, f"For {label}, your loop waited {gap:.1f} s, though the server said "
                                       f"{retry_after:g} s. Wait max(Retry-After, backoff), not more.")
            if outcome == "raised":
                return _say(False, f"For {label}, your loop raised {type(value).__name__} after {len(log)} "
                                   f"attempt(s): {hints[label]}. Retry it.")
            if value is None:
                return _say(False, f"For {label}, your loop returned None. Return what send() returned.")
            if len(log) != attempts_expected:
                return _say(False, f"For {label}, your loop needed {len(log)} attempts; waiting the Retry-After "
                                   f"once gets there in {attempts_expected}.")
            continue
        if outcome == "result":
            return _say(False, f"For {label}, your loop returned the {type(value).__name__} instead of raising it. "
                               "When you give up, re-raise the last exception (a bare `raise` inside the except "
                               "block).")
        if not isinstance(value, expected):
            return _say(False, f"For {label}, your loop raised {type(value).__name__}: {value}. Expected the API's "
                               f"{expected.__name__} to come through unchanged.")
        if len(log) != attempts_expected:
            if attempts_expected == 1:
                return _say(False, f"For {label}, your loop sent {len(log)} requests; one is enough: "
                                   f"{hints[label]}.")
            return _say(False, f"For {label}, your loop sent {len(log)} requests; with max_attempts=4 it should send "
                               f"4: {hints[label]}.")
        if attempts_expected > 1:
            waits = [b.time - a.time for a, b in zip(log, log[1:])]
            ceilings = [min(options["cap"], options["base"] * 2 ** (n - 1)) for n in range(1, len(waits) + 1)]
            if sum(waits) <= 0:
                return _say(False, f"For {label}, your loop retried without waiting at all. Without a Retry-After, "
                                   "wait full_jitter(n, base, cap, rng) before retry n.")
            if any(w > c + 1e-6 for w, c in zip(waits, ceilings)):
                shown = ", ".join(f"{w:.2f}" for w in waits)
                return _say(False, f"For {label} your loop waited {shown} s; without a Retry-After, retry n should "
                                   "wait full_jitter(n, base, cap, rng): at most min(cap, base · 2^(n − 1)).")
    # one more: a bug in the caller's own code is not retried
    calls = []

    def buggy():
        calls.append(1)
        raise ValueError("a bug in my code")

    outcome, value = _bl_run(call_with_retries, buggy, Simulator().clock, rng=random.Random(7), **options)
    if outcome != "raised" or not isinstance(value, ValueError) or len(calls) != 1:
        what = f"called send() {len(calls)} times" if len(calls) != 1 else f"ended with {outcome} {value!r}"
        return _say(False, f"When send() raises a ValueError (a bug in your own code), your loop {what}. Do not retry "
                           "it: classify_exception(exc).retryable is False, so re-raise it at once.")
    return _say(True, f"All {len(scenarios) + 1} cases right: your loop waits at least the Retry-After, backs off with "
                      "full jitter when there is none, gives up after max_attempts, and never retries an error that "
                      "cannot succeed.")


# --- notebooks 07 and 08: many clients, staying under the limit --------------------------------------------------
# Helpers for these checks are prefixed _mc_ (many clients) and _su_ (staying under); imports stay local so that
# this block can be appended without touching the top of the file.

def _mc_day(policy, failure_share, seed=0):
    """Notebook 07's scenario: 5 clients × 40 requests against a model failing `failure_share` of the time."""
    from .experiments import lab_world, run_load
    from .simulator import Simulator

    simulator = Simulator(lab_world(rpm=6_000, tpm=10_000_000), seed=seed,
                          faults={"gpt-4o-mini": {"server_error_share": failure_share}})
    return run_load(clients=5, requests_per_client=40, rpm=6_000, tpm=10_000_000, policy=policy,
                    simulator=simulator, seed=seed).metrics


def check_retry_budget(policy) -> bool:
    """Exercise 1 in notebook 07: outage load at most 1.2 attempts per request, bad day at least 95 % success."""
    from .retry import Budget, RetryPolicy

    if isinstance(policy, Budget) or (isinstance(policy, (tuple, list)) and policy
                                      and all(isinstance(b, Budget) for b in policy)):
        return _say(False, "That is a budget, not a policy. Wrap it: `RetryPolicy(FullJitter(0.5, 8), "
                           "(MaxAttempts(4), ...))` (the budgets go in a tuple).")
    if not isinstance(policy, RetryPolicy):
        return _say(False, f"`my_policy` should be a RetryPolicy, got {type(policy).__name__}. Start from "
                           "`RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),))`.")
    try:
        outage, bad = _mc_day(policy, 1.0), _mc_day(policy, 0.2)
    except Exception as exc:  # a learner's policy may be anything: report, never a traceback
        return _say(False, f"Running the two days with your policy raised {type(exc).__name__}: {exc}.")
    load, success = outage.attempts / outage.requests, bad.successes / bad.requests
    bad_load = bad.attempts / bad.requests
    if load > 1.2 + 1e-9:
        return _say(False, f"In the outage your policy sends {load:.2f} attempts per request (at most 1.2 allowed). "
                           "A cap on attempts alone multiplies the load by the cap; add a budget that runs dry, "
                           "such as RetryRatio(0.1) or a small RetryQuota(capacity=...).")
    if bad_load <= 1.0 + 1e-9:
        return _say(False, f"Your policy never retries, so on the bad day only {success:.0%} of the requests succeed "
                           "(95 % needed). Let some retries through: MaxAttempts(1) allows none.")
    if success < 0.95:
        return _say(False, f"The outage stays at {load:.2f}× — good — but on the bad day only {success:.0%} of the "
                           "requests succeed (95 % needed). A retry ratio refuses retries even when they would work. "
                           "A RetryQuota refills with every success: try a small one, e.g. capacity=20.")
    return _say(True, f"Outage: {load:.2f} attempts per request instead of 6. Bad day: {success:.0%} succeed with "
                      f"{bad_load:.2f} attempts per request. The budget stops retries when they cannot help and allows "
                      "them when they can.")


def _mc_product(values):
    total = 1
    for value in values:
        total *= value
    return total


def _mc_worst(retries):
    return _mc_product(r + 1 for r in retries)


def check_nested_attempts(worst_case_requests) -> bool:
    """Exercise 2 in notebook 07: worst-case HTTP requests of nested retry layers."""
    if not callable(worst_case_requests):
        return _say(False, "`worst_case_requests` should be a function that takes a list of retries per layer.")
    cases = [[2], [5, 2], [10, 2], [5, 0], [3, 3, 3], [3, 5, 2], [], [0, 0, 0], [2, 5, 2, 1]]
    for layers in cases:
        expected = _mc_worst(layers)
        call = f"worst_case_requests({layers})"
        try:
            got = worst_case_requests(list(layers))
        except Exception as exc:
            return _say(False, f"{call} raised {type(exc).__name__}: {exc}.")
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return _say(False, f"{call} returned {got!r}; it should return a number of requests.")
        if got == expected:
            continue
        if layers and got == sum(r + 1 for r in layers):
            return _say(False, f"{call} gives {got}: you added the layers. They multiply: every attempt of the "
                               "layer above runs all the attempts of the layer below.")
        if layers and got == _mc_product(layers):
            return _say(False, f"{call} gives {got}: a layer with r retries makes r + 1 attempts (the first one "
                               "plus the retries).")
        if not layers:
            return _say(False, f"{call} gives {got}: with no retrying layer at all, one call is one request.")
        product = " = " + " × ".join(str(r + 1) for r in layers) if len(layers) > 1 else ""
        return _say(False, f"{call} gives {got!r}; expected {expected}{product}.")
    return _say(True, f"Right: 6 × 3 = 18 for tenacity over the SDK, 11 × 3 = 33 for the Cookbook's decorator, "
                      f"and {_mc_worst([3, 5, 2])} for the job queue → tenacity → SDK stack. One call, "
                      f"{_mc_worst([3, 5, 2])} requests: retry at one layer only.")


def check_pacer(Pacer) -> bool:
    """Exercise 1 in notebook 08: a token-bucket pacer whose wait_for(tokens) sleeps until the tokens are there."""
    import math

    import openai

    from .clock import VirtualClock
    from .experiments import lab_world
    from .retry.throttle import estimate_tokens
    from .simulator import Simulator, make_client

    if not isinstance(Pacer, type):
        return _say(False, "Pass the class itself to the check: `check_pacer(Pacer)`.")
    clock = VirtualClock()
    try:
        pacer = Pacer(600, clock)
    except Exception as exc:
        return _say(False, f"`Pacer(600, clock)` raised {type(exc).__name__}: {exc}. Keep the `__init__` given in "
                           "the exercise.")
    steps = [  # (idle seconds before, tokens, expected wait, why); 600 a minute is 10 tokens a second
        (0, 600, 0.0, "the bucket starts full, so the first 600 tokens need no wait"),
        (0, 100, 10.0, "the bucket is now empty and refills 10 tokens a second, so 100 tokens need 10 s"),
        (0, 50, 5.0, "right after that, 50 more tokens need 5 s"),
        (2, 50, 3.0, "after 2 s of idling (20 tokens back), 50 tokens need 3 s more"),
        (600, 600, 0.0, "after a long idle the bucket is full again"),
        (0, 60, 6.0, "the bucket holds at most 600 tokens, so after spending them 60 tokens need 6 s; cap the level at "
                     "`self.capacity` when you refill"),
    ]
    for idle, tokens, expected, why in steps:
        clock.advance(idle)
        start = clock.now()
        try:
            got = pacer.wait_for(tokens)
        except Exception as exc:
            return _say(False, f"`wait_for({tokens})` raised {type(exc).__name__}: {exc}.")
        slept = clock.now() - start
        if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got):
            return _say(False, f"`wait_for({tokens})` returned {got!r}; it should return the seconds it slept.")
        if not math.isclose(slept, expected, abs_tol=1e-6):
            if slept == 0 and got > 0:
                return _say(False, f"`wait_for({tokens})` returned {got:g} but the clock did not move. Sleep with "
                                   "`self.clock.sleep(seconds)`.")
            return _say(False, f"`wait_for({tokens})` slept {slept:g} s; expected {expected:g} s: {why}.")
        if not math.isclose(got, slept, abs_tol=1e-6):
            return _say(False, f"`wait_for({tokens})` slept {slept:g} s but returned {got!r}. Return the seconds slept.")
    simulator = Simulator(lab_world(rpm=10_000, tpm=3_000))
    client = make_client("sk-lab", simulator, max_retries=0)
    body = {"model": "gpt-4o-mini", "max_tokens": 280, "messages": [{"role": "user", "content": "x" * 100}]}
    tokens = estimate_tokens(body)
    try:
        pacer = Pacer(3_000, simulator.clock)
        refused = 0
        for _ in range(20):
            pacer.wait_for(tokens)
            try:
                client.chat.completions.create(**body)
            except openai.RateLimitError:
                refused += 1
    except Exception as exc:
        return _say(False, f"Pacing 20 requests against the simulator raised {type(exc).__name__}: {exc}.")
    ideal = (20 * tokens - 3_000) / (3_000 / 60)
    if refused:
        return _say(False, f"Against a limit of 3,000 tokens a minute, {refused} of 20 paced requests were still "
                           "refused: the pacer let them go too early.")
    if simulator.clock.now() > ideal + 1:
        return _say(False, f"No 429s, but 20 requests took {simulator.clock.now():.1f} s where {ideal:.1f} s is enough: "
                           "the pacer waits longer than it needs to.")
    return _say(True, f"Your pacer sent 20 requests of {tokens} tokens against 3,000 tokens a minute with no 429, in "
                      f"{simulator.clock.now():.1f} s, as fast as the limit allows. That is all a throttle is.")


_SU_RPM, _SU_TPM, _SU_LATENCY_S, _SU_NEIGHBOUR_EVERY_S, _SU_DEADLINE_S = 30, 40_000, 2.0, 6.0, 110.0


def _su_batch(max_concurrency, headroom):
    """Notebook 08's batch: 60 jobs through process_all against 30 RPM, 2 s answers, a neighbour every 6 s."""
    import asyncio

    from .clock import ConcurrentVirtualClock
    from .experiments import lab_world
    from .experiments.sdk_load import run_coroutine
    from .retry import FullJitter, MaxAttempts, RetryAfter, RetryPolicy
    from .retry.processor import process_all
    from .retry.throttle import Throttle
    from .simulator import Simulator, async_http_client

    jobs = [{"model": "gpt-4o-mini", "max_tokens": 200,
             "messages": [{"role": "user", "content": f"Summarise document {i}: " + "lorem ipsum " * 30}]}
            for i in range(60)]
    neighbour_request = {"model": "gpt-4o-mini", "max_tokens": 50,
                         "messages": [{"role": "user", "content": "Status report, please."}]}
    policy = RetryPolicy(RetryAfter(FullJitter(0.5, 8)), (MaxAttempts(6),))
    clock = ConcurrentVirtualClock()
    simulator = Simulator(lab_world(rpm=_SU_RPM, tpm=_SU_TPM), clock=clock,
                          faults={"gpt-4o-mini": {"latency_s": _SU_LATENCY_S}})
    http = async_http_client(simulator, headers={"Authorization": "Bearer sk-lab"})
    throttle = Throttle(rpm=_SU_RPM, tpm=_SU_TPM, headroom=headroom)
    finished = []

    async def batch():
        results = await process_all(jobs, lambda body: http.post("/chat/completions", json=body), policy=policy,
                                    clock=clock, throttle=throttle, max_concurrency=max_concurrency)
        finished.append(clock.now())
        return results

    async def neighbour():
        while not finished:
            await http.post("/chat/completions", json=neighbour_request)
            await clock.asleep(_SU_NEIGHBOUR_EVERY_S)

    async def main():
        results, _ = await asyncio.gather(batch(), neighbour())
        await http.aclose()
        return results

    return run_coroutine(main()), simulator, finished[0]


def check_batch_settings(max_concurrency, headroom) -> bool:
    """Exercise 2 in notebook 08: 60 jobs, no 429 for anyone on the key, done within 110 simulated seconds."""
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
        return _say(False, f"MAX_CONCURRENCY should be a whole number of at least 1, got {max_concurrency!r}.")
    if isinstance(headroom, bool) or not isinstance(headroom, (int, float)) or not 0 < headroom <= 1:
        return _say(False, f"HEADROOM should be a share of the limit between 0 (excluded) and 1, got {headroom!r}; "
                           "0.9 means 90 %.")
    try:
        results, simulator, finished = _su_batch(max_concurrency, headroom)
    except Exception as exc:
        return _say(False, f"The batch could not run with these settings ({type(exc).__name__}: {exc}).")
    done = sum(r.ok for r in results)
    refused = sum(entry.status == 429 for entry in simulator.log)
    planned = headroom * _SU_RPM
    if refused:
        return _say(False, f"{refused} request{'s were' if refused > 1 else ' was'} refused with 429 on the key. "
                           f"Your throttle plans for {planned:g} "
                           f"of the {_SU_RPM} requests a minute, but the neighbour also takes about "
                           f"{60 / _SU_NEIGHBOUR_EVERY_S:g}: lower HEADROOM.")
    if done < len(results):
        return _say(False, f"Only {done} of {len(results)} jobs were done. Run `try_settings(MAX_CONCURRENCY, HEADROOM)` "
                           "to see what happened.")
    if finished > _SU_DEADLINE_S:
        most = int(max_concurrency * _SU_DEADLINE_S / _SU_LATENCY_S)
        if most < len(results):
            hint = (f"with {max_concurrency} request{'s' if max_concurrency > 1 else ''} in flight and "
                    f"{_SU_LATENCY_S:g} s per answer, at most {most} answers can arrive in {_SU_DEADLINE_S:g} s, "
                    "whatever the throttle allows: raise MAX_CONCURRENCY")
        else:
            hint = (f"your throttle plans for only {planned:g} of the {_SU_RPM} requests a minute, leaving capacity "
                    "unused: raise HEADROOM a little")
        return _say(False, f"No 429s, well done, but the batch finished at {finished:.0f} s, after the "
                           f"{_SU_DEADLINE_S:g} s deadline: {hint}.")
    return _say(True, f"All {done} jobs done at {finished:.0f} s with no 429 for you or the neighbour: "
                      f"{max_concurrency} in flight, planning for {planned:g} of {_SU_RPM} requests a minute.")

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

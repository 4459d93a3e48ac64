"""Exercise checks for notebooks 01 (anatomy of an error) and 02 (authentication)."""

from __future__ import annotations

import openai

from ._say import _say


def _demo_client(key, simulator, **options):
    """A simulated client without the SDK's own retries (make_client already ignores OPENAI_ORG_ID)."""
    from ..simulator import make_client

    return make_client(key, simulator, max_retries=0, **options)


def _demo_error(key, model="gpt-4o-mini", *, organization=None, repeat=1, call="chat", **body):
    """Send a request (`repeat` times) to a fresh simulator and return the exception of the last one."""
    from ..simulator import Simulator

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


def check_diagnosis(diagnose) -> None:
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


def check_wasted_retries(wasted) -> None:
    """Exercise 2 in notebook 01: the catalog entries the SDK retries although no retry can succeed."""
    from ..catalog import load_catalog

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


def check_mask_key(mask) -> None:
    """Exercise 1 in notebook 02: mask a key the way the API echoes it."""
    from ..simulator import mask_key

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


def check_diagnose_401(diagnose_401) -> None:
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

"""Exercise checks for notebooks 01 (anatomy of an error) and 02 (authentication)."""

from __future__ import annotations

import random

from ..i18n import translated
from ._demo import demo_error, fresh_secret, fresh_world
from ._say import _say
from .runner import Case, borrows_from_course, run_cases

_DIAGNOSIS_KEYS = ("status", "exception", "type", "code", "message", "request_id", "retry")


def _diagnosis(exc) -> dict:
    """What `diagnose(exc)` should return. Retry follows the notebook's first rule of thumb: whatever the SDK
    retries (judged by status alone, as the learner does), except a quota error."""
    from ..retry import Kind, classify_exception, sdk_retries

    return {
        "status": exc.status_code,
        "exception": type(exc).__name__,
        "type": exc.type,
        "code": exc.code,
        "message": exc.body["message"],
        "request_id": exc.request_id,
        "retry": sdk_retries(exc.status_code) and classify_exception(exc).kind is not Kind.QUOTA,
    }


def _same_value(answer, expected) -> bool:
    """Right, and of the right type too (the status as an int, not "401")."""
    return answer == expected and type(answer) is type(expected)


def _same_fields(answer, expected) -> bool:
    return isinstance(answer, dict) and all(k in answer and _same_value(answer[k], v) for k, v in expected.items())


def _explain_diagnosis(case, answer) -> str:
    if not isinstance(answer, dict):
        return translated(
            "checks",
            "diagnosis.not_dict",
            "`diagnose` should return a dict, but for {label} it returned {type} {answer!r}.",
            label=case.label,
            type=type(answer).__name__,
            answer=answer,
        )
    missing = [k for k in _DIAGNOSIS_KEYS if k not in answer]
    if len(missing) == len(_DIAGNOSIS_KEYS):
        return translated(
            "checks",
            "diagnosis.no_keys",
            "The dict has none of the keys yet. It needs: {keys}.",
            keys=", ".join(_DIAGNOSIS_KEYS),
        )
    if missing:
        return translated(
            "checks",
            "diagnosis.missing",
            "The dict is missing {missing}. It needs all of: {keys}.",
            missing=", ".join(repr(k) for k in missing),
            keys=", ".join(_DIAGNOSIS_KEYS),
        )
    exc, expected = case.args[0], case.expected
    key = next(k for k in _DIAGNOSIS_KEYS if not _same_value(answer[k], expected[k]))
    if key == "message" and answer[key] == exc.message:
        hint = translated(
            "checks",
            "diagnosis.hint_message",
            "that is the SDK's summary (`exc.message`, which starts with 'Error code'); the API's own "
            "sentence is `exc.body['message']`",
        )
    elif key == "exception" and answer[key] is type(exc):
        hint = translated(
            "checks", "diagnosis.hint_exception", "return the class *name*, a string: `type(exc).__name__`"
        )
    elif key == "status" and str(answer[key]) == str(exc.status_code):
        hint = translated(
            "checks", "diagnosis.hint_status", "return the status as an int (`exc.status_code`), not a string"
        )
    elif key == "retry" and expected["retry"]:
        hint = translated(
            "checks",
            "diagnosis.hint_retry_can",
            "a retry can help here (status {status}, type {type!r}, code {code!r}); retry is True for 408, 409, "
            "500 and above, and for a 429 unless its type or code is 'insufficient_quota'",
            status=exc.status_code,
            type=exc.type,
            code=exc.code,
        )
    elif key == "retry":
        hint = translated(
            "checks",
            "diagnosis.hint_retry_never",
            "a retry can never help here (status {status}, type {type!r}, code {code!r}); retry is True for 408, "
            "409, 500 and above, and for a 429 unless its type or code is 'insufficient_quota'",
            status=exc.status_code,
            type=exc.type,
            code=exc.code,
        )
    else:
        hint = translated("checks", "diagnosis.hint_expected", "expected {expected!r}", expected=expected[key])
    return translated(
        "checks",
        "diagnosis.wrong",
        "For {label}, '{field}' is {answer!r}: {hint}.",
        label=case.label,
        field=key,
        answer=answer[key],
        hint=hint,
    )


def check_diagnosis(diagnose) -> None:
    """Exercise 1 in notebook 01: `diagnose(exc)` turns an APIStatusError into a small dict."""
    errors = {
        translated("checks", "diagnosis.case_typo", "a mistyped key (401)"): demo_error("sk-demo-typo"),
        translated("checks", "diagnosis.case_text", "max_tokens sent as text (400)"): demo_error(
            "sk-demo-ok", max_tokens="20"
        ),
        translated("checks", "diagnosis.case_model", "an unknown model (404)"): demo_error(
            "sk-demo-ok", "gpt-5-turbo-preview"
        ),
        translated("checks", "diagnosis.case_region", "a call from an unsupported region (403)"): demo_error(
            "sk-demo-abroad"
        ),
        translated("checks", "diagnosis.case_free", "the 4th request in a minute on the free tier (429)"): demo_error(
            "sk-demo-free", times=4
        ),
        translated("checks", "diagnosis.case_quota", "an organization out of quota (429)"): demo_error("sk-demo-broke"),
        translated("checks", "diagnosis.case_busy", "an overloaded model (503)"): demo_error(
            "sk-demo-ok", "gpt-demo-busy"
        ),
    }
    cases = [Case(label, (exc,), _diagnosis(exc)) for label, exc in errors.items()]
    run_cases(
        diagnose,
        cases,
        _explain_diagnosis,
        same=_same_fields,
        not_a_function=translated(
            "checks", "diagnosis.not_a_function", "`diagnose` should be a function: `def diagnose(exc): ...`."
        ),
        raised=lambda **values: translated(
            "checks",
            "diagnosis.raised",
            "For {label}, `diagnose` raised {error}. Remember that `exc.body` is already the inner error "
            "object: `exc.body['message']`.",
            **values,
        ),
        passed=translated(
            "checks",
            "diagnosis.passed",
            "Well done: all {n} diagnoses are right, including the two 429s: the rate limit is "
            "worth a retry, the empty quota never is.",
            n=len(cases),
        ),
    )


def check_wasted_retries(wasted) -> None:
    """Exercise 2 in notebook 01: the catalog entries the SDK retries although no retry can succeed."""
    from ..catalog import load_catalog

    catalog = {e.id: e for e in load_catalog()}
    if isinstance(wasted, str) or not hasattr(wasted, "__iter__"):
        return _say(
            False,
            translated(
                "checks",
                "wasted_retries.not_a_list",
                "`wasted` should be a list of ids, such as ['quota_exceeded', ...].",
            ),
        )
    given = [getattr(item, "id", item) for item in wasted]  # Entry objects are fine too
    expected = {i for i, e in catalog.items() if e.sdk_retries and not e.retryable}
    if not given:
        return _say(
            False,
            translated(
                "checks",
                "wasted_retries.empty",
                "`wasted` is empty. Look for entries where `e.sdk_retries` is True and `e.retryable` is "
                "False, and keep their `e.id`.",
            ),
        )
    unknown = [i for i in given if not isinstance(i, str) or i not in catalog]
    if unknown:
        return _say(
            False,
            translated(
                "checks",
                "wasted_retries.unknown",
                "These are not catalog ids: {unknown}. Use `e.id` (for example 'quota_exceeded').",
                unknown=unknown,
            ),
        )
    for item in given:
        if item not in expected:
            e = catalog[item]
            if e.retryable:
                why = translated(
                    "checks", "wasted_retries.why_retryable", "a retry can succeed there (retryable is True)"
                )
            else:
                why = translated(
                    "checks",
                    "wasted_retries.why_no_sdk_retry",
                    "the SDK does not retry it anyway (SDK retries is False)",
                )
            return _say(
                False,
                translated(
                    "checks",
                    "wasted_retries.should_not",
                    "'{item}' should not be in the list: {why}.",
                    item=item,
                    why=why,
                ),
            )
    missing = expected - set(given)
    if missing:
        if len(missing) == 1:
            return _say(
                False,
                translated(
                    "checks",
                    "wasted_retries.missing_one",
                    "Right so far, but {n} more entry is missing. Check every entry, not only the first ones.",
                    n=len(missing),
                ),
            )
        return _say(
            False,
            translated(
                "checks",
                "wasted_retries.missing_many",
                "Right so far, but {n} more entries are missing. Check every entry, not only the first ones.",
                n=len(missing),
            ),
        )
    statuses = sorted({catalog[i].status for i in expected})
    return _say(
        True,
        translated(
            "checks",
            "wasted_retries.passed",
            "Exactly: by default the SDK retries these {n} errors twice although they can never "
            "succeed (status {statuses}): {ids}.",
            n=len(expected),
            statuses=", ".join(map(str, statuses)),
            ids=", ".join(sorted(expected)),
        ),
    )


def _explain_mask(case, answer) -> str:
    key = case.args[0]
    if not isinstance(answer, str):
        return translated(
            "checks",
            "mask_key.not_str",
            "mask({api_key!r}) returned {answer!r}; it should return a string.",
            api_key=key,
            answer=answer,
        )
    if len(key) <= 12:
        return translated(
            "checks",
            "mask_key.short",
            "mask({api_key!r}) returned {answer!r}. A key of 12 characters or fewer has nothing left to hide once "
            "the first 8 and last 4 are shown: return it unchanged.",
            api_key=key,
            answer=answer,
        )
    if len(answer) != len(key):
        return translated(
            "checks",
            "mask_key.length",
            "mask({api_key!r}) returned {answer!r} ({got} characters for a key of {length}). "
            "Use one star per hidden character.",
            api_key=key,
            answer=answer,
            got=len(answer),
            length=len(key),
        )
    return translated(
        "checks",
        "mask_key.wrong",
        "mask({api_key!r}) returned {answer!r}; the API would show {expected!r} (first 8 and last 4 characters kept).",
        api_key=key,
        answer=answer,
        expected=case.expected,
    )


def check_mask_key(mask) -> None:
    """Exercise 1 in notebook 02: mask a key the way the API echoes it."""
    from ..simulator import mask_key

    if borrows_from_course(
        mask,
        [mask_key],
        "mask",
        translated(
            "checks",
            "mask_key.advice",
            "Write it yourself: keep the first 8 and last 4 characters and put one star for each character in between.",
        ),
    ):
        return None
    rng = random.Random()
    lengths = (rng.randint(20, 60), 16, 13, rng.randint(20, 60), 12, 10)  # whole keys, "sk-" included
    fresh = [fresh_secret(rng, length - 3) for length in lengths]
    keys = ["sk-demo-revoked", *fresh]  # the first is the notebook's example; the rest are new each time
    cases = [Case(f"mask({key!r})", (key,), mask_key(key)) for key in keys]
    run_cases(
        mask,
        cases,
        _explain_mask,
        not_a_function=translated(
            "checks", "mask_key.not_a_function", "`mask` should be a function: `def mask(key): ...`."
        ),
        raised=lambda **values: translated("checks", "mask_key.raised", "{label} raised {error}.", **values),
        passed=translated(
            "checks",
            "mask_key.passed",
            "Well done: mask('sk-demo-revoked') gives {masked!r}, just as the API shows it, and "
            "short keys come back whole.",
            masked=cases[0].expected,
        ),
    )


def _explain_401(case, answer) -> str:
    exc = case.args[0]
    if case.expected == "not_401":
        hint = translated(
            "checks",
            "diagnose_401.hint_not_401",
            "it is a {status}, not a 401: check `exc.status_code` first",
            status=exc.status_code,
        )
    elif exc.code is None:
        hint = translated(
            "checks",
            "diagnose_401.hint_no_code",
            "its code is None, so read the message, which starts {start!r}",
            start=exc.body["message"][:45],
        )
    else:
        hint = translated("checks", "diagnose_401.hint_code", "look at `exc.code`, which is {code!r}", code=exc.code)
    return translated(
        "checks",
        "diagnose_401.wrong",
        "For {label} you answered {answer!r}, but the cause is {expected!r}: {hint}.",
        label=case.label,
        answer=answer,
        expected=case.expected,
        hint=hint,
    )


_SCOPE_NAMES = ("missing_scope", "insufficient_permissions")  # 2026's code, or the name for older captures


def _same_401(answer, expected) -> bool:
    return answer in _SCOPE_NAMES if expected == "missing_scope" else answer == expected


def check_diagnose_401(diagnose_401) -> None:
    """Exercise 2 in notebook 02: name the cause of an authentication error. The keys and organizations are
    made up afresh each time (a twin of each demo key under a new name), so a table of the demo keys fails."""
    from ..retry import classify, classify_exception, sdk_retries
    from ..simulator import Simulator

    if borrows_from_course(
        diagnose_401,
        [classify_exception, classify, sdk_retries],
        "diagnose_401",
        translated(
            "checks",
            "diagnose_401.advice",
            "Read the error yourself: `exc.status_code`, `exc.code`, and `exc.body['message']` when the code is None.",
        ),
    ):
        return None
    rng = random.Random()
    world, twin = fresh_world(rng)
    sim = Simulator(world=world, seed=rng.randrange(1000))
    unknown_org = "org-" + fresh_secret(rng, 24)[3:]
    unknown_model = f"gpt-{rng.randint(6, 99)}-preview"

    def error(key, **options):
        return (demo_error(key, simulator=sim, **options),)

    cases = [
        Case(translated("checks", "diagnose_401.case_no_key", "no key at all"), error(None), "missing_key"),
        Case(
            translated("checks", "diagnose_401.case_never_issued", "a key that was never issued"),
            error(fresh_secret(rng)),
            "invalid_api_key",
        ),
        Case(
            translated("checks", "diagnose_401.case_revoked", "a revoked key"),
            error(twin["sk-demo-revoked"]),
            "invalid_api_key",
        ),
        Case(
            translated("checks", "diagnose_401.case_no_org", "a key whose owner is in no organization"),
            error(twin["sk-demo-no-org"]),
            "no_organization",
        ),
        Case(
            translated("checks", "diagnose_401.case_elsewhere", "a good key sent with organization='org-elsewhere'"),
            error("sk-demo-ok", organization="org-elsewhere"),
            "mismatched_organization",
        ),
        Case(f"organization={unknown_org!r}", error("sk-demo-ok", organization=unknown_org), "invalid_organization"),
        Case(
            translated("checks", "diagnose_401.case_restricted", "a restricted key calling a model"),
            error(twin["sk-demo-readonly"]),
            "missing_scope",
        ),
        Case(
            translated("checks", "diagnose_401.case_region", "a key used from an unsupported region (a 403)"),
            error(twin["sk-demo-abroad"]),
            "not_401",
        ),
        Case(
            translated("checks", "diagnose_401.case_model", "the unknown model {model} (a 404)", model=unknown_model),
            error("sk-demo-ok", model=unknown_model),
            "not_401",
        ),
    ]
    run_cases(
        diagnose_401,
        cases,
        _explain_401,
        same=_same_401,
        not_a_function=translated(
            "checks",
            "diagnose_401.not_a_function",
            "`diagnose_401` should be a function: `def diagnose_401(exc): ...`.",
        ),
        raised=lambda **values: translated(
            "checks",
            "diagnose_401.raised",
            "For {label}, `diagnose_401` raised {error}. Note that `exc.code` can be None, and that the "
            "message is `exc.body['message']`.",
            **values,
        ),
        passed=translated(
            "checks",
            "diagnose_401.passed",
            "Well done: all {n} cases diagnosed, with keys your function had never seen. Notice "
            "that a revoked key and a mistyped key look the same from outside: only the masked key in the message "
            "tells them apart.",
            n=len(cases),
        ),
    )

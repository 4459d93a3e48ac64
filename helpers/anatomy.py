"""An SDK error's anatomy on a few lines: the fields notebook 01 takes apart one by one, printed the same way
in every later notebook, so a learner's eye finds the status, type and code in the same place each time."""

from __future__ import annotations

from collections.abc import Iterable


def error_fields(exc: BaseException, headers: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(label, value) rows: the exception class; for an HTTP answer its status, type, code and the API's own
    message, then each header asked for ("none" when it is absent); without an answer, what the SDK said."""
    rows = [("exception", type(exc).__name__)]
    status = getattr(exc, "status_code", None)
    if status is None:
        return [*rows, ("status", "none: no HTTP answer arrived"), ("message", str(exc))]
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else body
    rows += [("status", str(status)), ("type", str(exc.type)), ("code", str(exc.code)), ("message", str(message))]
    return rows + [(name, exc.response.headers.get(name, "none")) for name in headers]


def show_error(exc: BaseException, headers: Iterable[str] = ()) -> None:
    """Print `error_fields`, labels aligned."""
    rows = error_fields(exc, headers)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}} : {value}")

"""How every check speaks: one line, a tick or a thinking face, and nothing returned for Jupyter to echo."""

from __future__ import annotations


def _say(ok: bool, text: str) -> None:
    print(("✅ " if ok else "🤔 ") + text)


def said_what_is_wrong_with(error, expected_class, *, when_none: str, when_other: str) -> bool:
    """For exercises that keep a caught exception in `error`: say so if it is still None or of another class
    (`when_other` may name that class as {name}). True when something was said."""
    if error is None:
        _say(False, when_none)
    elif not isinstance(error, expected_class):
        _say(False, when_other.format(name=type(error).__name__))
    else:
        return False
    return True

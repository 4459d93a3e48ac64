"""How every check speaks: one line, a tick or a thinking face, and nothing returned for Jupyter to echo."""

from __future__ import annotations

from collections.abc import Callable


def _fill(text: str | Callable[..., str], **values) -> str:
    """A template with its {names} filled in, or what a function makes of the same values: a caller whose text
    is translated passes `lambda **values: translated("ns", "id", "English {name}", **values)`, since
    translated() fills in the values at once."""
    return text(**values) if callable(text) else text.format(**values)


def _say(ok: bool, text: str) -> None:
    print(("✅ " if ok else "🤔 ") + text)


def said_what_is_wrong_with(error, expected_class, *, when_none: str, when_other: str | Callable[..., str]) -> bool:
    """For exercises that keep a caught exception in `error`: say so if it is still None or of another class
    (`when_other`, a template or a function given name=, may name that class as {name}). True when something
    was said."""
    if error is None:
        _say(False, when_none)
    elif not isinstance(error, expected_class):
        _say(False, _fill(when_other, name=type(error).__name__))
    else:
        return False
    return True

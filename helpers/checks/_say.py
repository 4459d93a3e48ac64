"""How every check speaks: one line, a tick or a thinking face, and nothing returned for Jupyter to echo."""

from __future__ import annotations


def _say(ok: bool, text: str) -> None:
    print(("✅ " if ok else "🤔 ") + text)

"""Translations as data: `data/translations/<lang>.json`, one section per namespace, each text keyed by an id.

English stays in the code beside its use and is the fallback: a text with no translation shows in English
rather than not at all, and rewording the English never loses its translation, since both share the id.
"""

from __future__ import annotations

import json
from functools import lru_cache

from .world import DATA_DIR

TRANSLATIONS_DIR = DATA_DIR / "translations"
ENGLISH = "en"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """English and every language with a file in data/translations/."""
    return (ENGLISH, *sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.json")))


@lru_cache(maxsize=8)
def translations(lang: str) -> dict[str, dict[str, str]]:
    """Every text translated into `lang`, by namespace, then id (empty for English or an unknown language).
    Cached and shared: do not change what it returns."""
    if lang == ENGLISH or lang not in languages():
        return {}
    return json.loads((TRANSLATIONS_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def translate(lang: str, namespace: str, key: str, english: str) -> str:
    """The text `key` of `namespace` in `lang`; `english` when it has no translation there."""
    return translations(lang).get(namespace, {}).get(key, english)


__all__ = ["ENGLISH", "languages", "translate", "translations"]

"""Translations as data: `data/translations/<lang>.json`, one section per namespace, each text keyed by an id.

English stays in the code beside its use and is the fallback: a text with no translation shows in English
rather than not at all, and rewording the English never loses its translation, since both share the id.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from .world import DATA_DIR

TRANSLATIONS_DIR = DATA_DIR / "translations"
GLOSSARY_PATH = DATA_DIR / "glossary.json"
ENGLISH = "en"
LANGUAGE_ENV = "COURSE_LANG"  # set it to choose the language for every notebook, whatever its folder

_chosen: str | None = None  # what set_language() chose, if anything


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


def language() -> str:
    """The language the course speaks now. The one switch: set_language() if called, else $COURSE_LANG, else the
    notebook's folder (a Jupyter kernel starts in its notebook's folder, so the notebooks in notebooks/zh/ speak
    Chinese), else English."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get(LANGUAGE_ENV, "").strip()
    if wanted in languages():
        return wanted
    folder = Path.cwd().name
    return folder if folder in languages() else ENGLISH


def set_language(lang: str) -> str:
    """Make the checks, the install check, the dashboards and the plots speak `lang` ("en", "zh") from now on.
    Returns the language set; an unknown one is refused with the list of known ones."""
    global _chosen
    if lang not in languages():
        raise ValueError(f"No course language {lang!r}; choose one of {', '.join(languages())}.")
    _chosen = lang
    return lang


def translated(namespace: str, key: str, english: str, **values) -> str:
    """`english`, or its translation (same id) in the language the course speaks now, with `values` filled in
    by str.format. The English is a format template too, so both texts take the same {names}."""
    return translate(language(), namespace, key, english).format(**values)


@lru_cache(maxsize=1)
def glossary() -> dict:
    """data/glossary.json: for each language, its terms (preferred word, rejected variants) and the words kept
    apart from a topic. Cached and shared: do not change what it returns."""
    return json.loads(GLOSSARY_PATH.read_text(encoding="utf-8"))


def term_problems(text: str, lang: str, topic: str | None = None) -> list[str]:
    """Where `text`, written in `lang`, departs from the glossary: each rejected variant it uses, and, when the
    text is about `topic` (such as "rate_limit"), each word the glossary keeps apart from that topic. Empty when
    it follows the glossary."""
    words = glossary().get(lang, {})
    problems = [
        f"{variant!r}: say {term['preferred']!r} ({term['en']})"
        for term in words.get("terms", [])
        for variant in term["rejected"]
        if variant in text
    ]
    for rule in words.get("kept_apart", []):
        if topic == rule["topic"]:
            problems += [f"{word!r} in a text about {topic}: {rule['why']}" for word in rule["words"] if word in text]
    return problems


__all__ = [
    "ENGLISH",
    "LANGUAGE_ENV",
    "glossary",
    "language",
    "languages",
    "set_language",
    "term_problems",
    "translate",
    "translated",
    "translations",
]

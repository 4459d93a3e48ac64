"""data/glossary.json holds the course's words per language; the catalog and the translations follow it.

The Chinese notebooks and their solutions run through the same `term_problems`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.catalog import load_catalog
from helpers.i18n import glossary, term_problems, translations

RATE_LIMIT_TYPES = ("requests", "tokens", "rate_limit_error")


def topic_of(entry) -> str | None:
    """What a catalog entry is about, for the words kept apart."""
    return "rate_limit" if entry.type in RATE_LIMIT_TYPES else None


def zh_texts(entry):
    return {field: getattr(entry, field)["zh"] for field in ("title", "cause", "fix", "retry")}


ENTRIES = load_catalog()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_catalog_chinese_follows_the_glossary(entry):
    for field, text in zh_texts(entry).items():
        assert term_problems(text, "zh", topic_of(entry)) == [], f"{entry.id}.{field}.zh"


def _says(english: str, term: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", english, re.I) is not None


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_catalog_chinese_uses_the_preferred_word_where_the_english_names_the_idea(entry):
    one_word = [t for t in glossary()["zh"]["terms"] if "/" not in t["preferred"] and "," not in t["en"]]
    for field in ("title", "cause", "fix", "retry"):
        english, chinese = getattr(entry, field)["en"], getattr(entry, field)["zh"]
        for term in one_word:
            if _says(english, term["en"]):
                assert term["preferred"] in chinese, f"{entry.id}.{field}: {term['en']!r} should be {term['preferred']}"


def test_translations_follow_the_glossary():
    for namespace, texts in translations("zh").items():
        for key, text in texts.items():
            topic = "rate_limit" if key in ("rate_limit", "slow_down") else None
            assert term_problems(text, "zh", topic) == [], f"{namespace}.{key}"


def test_a_rejected_variant_and_a_word_out_of_place_are_caught():
    assert term_problems("在演示世界中", "zh") and "演示环境" in term_problems("在演示世界中", "zh")[0]
    assert term_problems("额度会持续恢复", "zh", "rate_limit")
    assert term_problems("额度会持续恢复", "zh") == []  # credits may run out in a billing text
    assert term_problems("anything", "fr") == []  # a language without a glossary has nothing to follow


def test_the_glossary_is_consistent():
    for lang, words in glossary().items():
        if lang == "about":
            continue
        for term in words["terms"]:
            assert term["rejected"], term
            assert not any(term["preferred"] in variant for variant in term["rejected"]), term
        preferred = {t["preferred"] for t in words["terms"]}
        for rule in words["kept_apart"]:
            assert set(rule["words"]) <= preferred | {w for t in words["terms"] for w in t["preferred"].split(" / ")}


ZH_SOURCES = sorted(Path(__file__).resolve().parent.parent.joinpath("notebooks", "zh").rglob("*.py"))


@pytest.mark.parametrize("path", ZH_SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in ZH_SOURCES])
def test_chinese_notebooks_and_solutions_follow_the_glossary(path):
    assert term_problems(path.read_text(encoding="utf-8"), "zh") == [], path.name

"""Translations as data: every text has one, none is orphaned, placeholders agree, rewording English keeps them."""

from __future__ import annotations

import re
import string

import pytest

from helpers import i18n
from helpers.retry.classify import REASONS, Kind, Verdict
from helpers.widgets.explorer import TEXTS, reason_text, text

ENGLISH = {"reasons": REASONS, "explorer": TEXTS}  # each namespace of data/translations/ and its English
ZH = i18n.translations("zh")
TEXT_IDS = [(namespace, key) for namespace, texts in ENGLISH.items() for key in texts]


def placeholders(template: str) -> list[tuple[str, str]]:
    """The {name:spec} fields of a template, so `{hint:g}` must stay `{hint:g}` in every language."""
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name is not None)


def test_languages_are_english_and_the_files():
    assert i18n.languages() == ("en", "zh")


def test_every_namespace_is_known():
    assert ZH.keys() == ENGLISH.keys()


@pytest.mark.parametrize("namespace", ENGLISH)
def test_every_text_is_translated_and_no_translation_is_orphaned(namespace):
    missing = ENGLISH[namespace].keys() - ZH[namespace].keys()
    orphans = ZH[namespace].keys() - ENGLISH[namespace].keys()
    assert not missing, f"no Chinese for {sorted(missing)}"
    assert not orphans, f"Chinese for ids that no longer exist: {sorted(orphans)}"


@pytest.mark.parametrize("namespace, key", TEXT_IDS)
def test_placeholders_match_and_the_text_is_chinese(namespace, key):
    assert placeholders(ZH[namespace][key]) == placeholders(ENGLISH[namespace][key])
    assert re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", ZH[namespace][key])


def test_rewording_the_english_keeps_the_chinese(monkeypatch):
    verdict = Verdict.of(True, Kind.CONFLICT, "transient_status", status=409)
    chinese = reason_text(verdict, "zh")
    monkeypatch.setitem(REASONS, "transient_status", "{status} comes and goes: try again")
    monkeypatch.setitem(TEXTS, "raw", "What went over the wire")
    assert verdict.reason == "409 comes and goes: try again" == reason_text(verdict, "en")
    assert reason_text(verdict, "zh") == chinese == "409 是暂时性错误：SDK 也会重试它"
    assert text("en", "raw") == "What went over the wire"
    assert text("zh", "raw") == "原始 HTTP 交互"


def test_missing_translations_fall_back_to_english():
    assert i18n.translate("zh", "explorer", "no-such-id", "in English") == "in English"
    assert i18n.translate("zh", "no-such-namespace", "raw", "in English") == "in English"
    assert i18n.translate("fr", "explorer", "raw", "in English") == "in English"
    assert i18n.translate("../world", "explorer", "raw", "in English") == "in English"  # a language, not a path
    assert text("fr", "raw") == "Raw HTTP exchange"

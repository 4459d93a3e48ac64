"""Translations as data: every text has one, none is orphaned, placeholders agree, rewording English keeps them."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from helpers import i18n
from helpers.plots import OTHER, OUTCOMES
from helpers.retry.classify import REASONS, Kind, Verdict
from helpers.retry.strategies import STRATEGIES
from helpers.widgets.explorer import TEXTS, reason_text, text

HELPERS = Path(i18n.__file__).parent


def texts_in_code() -> dict[str, dict[str, str]]:
    """Every `translated("namespace", "id", "English", ...)` call in helpers/, as namespace -> id -> English.
    An id used twice must carry the same English, so one text has one home."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(HELPERS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "translated":
                namespace, key, english = (ast.literal_eval(arg) for arg in node.args[:3])
                seen = found.setdefault(namespace, {}).setdefault(key, english)
                assert seen == english, f"{path.name}: {namespace}.{key} has two English texts"
    return found


# each namespace of data/translations/ and its English: tables, and the texts written beside their use
IN_CODE = texts_in_code()
ENGLISH = {
    "reasons": REASONS,
    "explorer": TEXTS,
    "strategies": {f"{s.name}.label": s.label for s in STRATEGIES.values()},  # the registry's labels
    **IN_CODE,
    # the outcome kinds' legend labels, kept in plots.OUTCOMES beside their colours and markers
    "plots": {
        **IN_CODE["plots"],
        **{f"outcome.{kind.value}": label for kind, (label, _, _) in OUTCOMES.items()},
        "outcome.other": OTHER[0],
    },
}
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


def test_the_switch_follows_the_notebook_folder_then_the_environment_then_set_language(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path)
    assert i18n.language() == "en"
    monkeypatch.chdir(tmp_path / "zh")  # where a kernel of notebooks/zh/NN_name.ipynb starts
    assert i18n.language() == "zh"
    assert i18n.translated("reasons", "transient_status", "{status} is transient", status=503).startswith("503 ")
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "en")
    assert i18n.language() == "en"
    assert i18n.set_language("zh") == "zh" and i18n.language() == "zh"
    with pytest.raises(ValueError, match="choose one of en, zh"):
        i18n.set_language("klingon")
    assert i18n.language() == "zh"


def test_a_verdicts_reason_and_a_policys_description_follow_the_course_language(monkeypatch):
    from helpers.retry import MaxAttempts, RetryPolicy

    verdict = Verdict.of(True, Kind.CONFLICT, "transient_status", status=409)
    assert verdict.reason.startswith("409 ") and not re.search(r"[\u4e00-\u9fff]", verdict.reason)
    monkeypatch.setattr(i18n, "_chosen", "zh")
    assert verdict.reason == "409 是暂时性错误：SDK 也会重试它"
    described = RetryPolicy(budgets=[MaxAttempts(4)]).describe()
    assert "最多尝试 4 次" in described and "等待" in described, described

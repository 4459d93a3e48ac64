"""The error explorer, driven from code: every catalog entry, both languages, your own request, bad input."""

from __future__ import annotations

import html
import re

import openai
import pytest

from helpers.catalog import load_catalog
from helpers.retry.classify import classify_exception
from helpers.widgets.explorer import ErrorExplorer, reason_text, text

ENTRIES = load_catalog()
BY_ID = {entry.id: entry for entry in ENTRIES}
LONG_KEY = "sk-proj-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKm0p"  # 48 characters, not a demo key


@pytest.fixture(scope="module")
def explorer() -> ErrorExplorer:
    return ErrorExplorer()


@pytest.fixture
def fresh() -> ErrorExplorer:
    return ErrorExplorer()


def shown(explorer: ErrorExplorer) -> str:
    """What the explorer shows about the request (everything but the static hint)."""
    return "\n".join(view.value for view in explorer.views if view is not explorer.hint)


def custom(explorer: ErrorExplorer, key="sk-demo-ok", model="gpt-4o-mini", organization="") -> None:
    explorer.mode.value = "custom"
    explorer.key.value, explorer.model.value, explorer.organization.value = key, model, organization


# -- every catalog entry -----------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_entry_in_english(explorer, entry):
    explorer.language.value = "en"
    explorer.mode.value = "catalog"
    explorer.entry.value = entry.id
    page = shown(explorer)
    assert explorer.message == ""
    assert type(explorer.error).__name__ == entry.sdk_exception
    assert entry.sdk_exception in explorer.exception_view.value
    if entry.trigger.get("json", {}).get("stream"):  # the error came after a 200 and part of a stream
        assert explorer.exchange["response"]["status"] == 200
    elif entry.status is None:
        assert explorer.exchange["response"] is None
        assert "No response" in explorer.raw_view.value
    else:
        assert explorer.exchange["response"]["status"] == entry.status
        assert f"HTTP/1.1 {entry.status} " in explorer.raw_view.value
    assert explorer.exchange["request"]["line"].startswith(entry.trigger.get("method", "POST") + " /v1/")
    assert html.escape(entry.text("title", "en")) in page
    assert html.escape(entry.text("cause", "en")) in explorer.advice_view.value
    assert html.escape(entry.text("fix", "en")) in explorer.advice_view.value
    assert html.escape(entry.text("retry", "en")) in explorer.advice_view.value
    verdict = classify_exception(explorer.error)
    assert explorer.verdict == verdict
    assert ("Yes, a retry can help" if verdict.retryable else "No, a retry cannot help") in explorer.advice_view.value
    sdk_line = (
        "sdk.no.retries"
        if not entry.sdk_retries
        else ("sdk.retries.helpful" if verdict.retryable else "sdk.retries.wasted")
    )
    assert html.escape(text("en", sdk_line)) in explorer.advice_view.value


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_entry_in_chinese(explorer, entry):
    explorer.mode.value = "catalog"
    explorer.entry.value = entry.id
    explorer.language.value = "zh"
    try:
        page = shown(explorer)
        assert html.escape(entry.text("cause", "zh")) in page
        assert html.escape(entry.text("fix", "zh")) in page
        assert html.escape(entry.text("cause", "en")) not in page
        assert "原始 HTTP 交互" in page and "Raw HTTP exchange" not in page
        assert "重试有用吗？" in page and "Can a retry help?" not in page
        if entry.status is None and not entry.trigger.get("json", {}).get("stream"):
            assert "没有响应" in page
        # the verdict's reason is translated too, not left in English
        assert html.escape(reason_text(explorer.verdict, "zh")) in page
        assert reason_text(explorer.verdict, "zh") != explorer.verdict.reason
    finally:
        explorer.language.value = "en"


def test_entries_with_repeat_show_the_last_attempt(explorer):
    explorer.mode.value = "catalog"
    explorer.entry.value = "rate_limit_reached"
    assert explorer.exchange["attempts"] == BY_ID["rate_limit_reached"].trigger["repeat"]
    assert explorer.exchange["response"]["status"] == 429
    headers = dict((k.lower(), v) for k, v in explorer.exchange["request"]["headers"])
    assert headers["x-stainless-retry-count"] == "0"  # max_retries=0: no hidden SDK retries


def test_missing_key_entry_sends_no_authorization(explorer):
    explorer.mode.value = "catalog"
    explorer.entry.value = "missing_api_key"
    names = [name.lower() for name, _ in explorer.exchange["request"]["headers"]]
    assert "authorization" not in names


def test_long_bodies_are_cut_and_say_so(explorer):
    explorer.language.value = "en"
    explorer.mode.value = "catalog"
    explorer.entry.value = "context_length_exceeded"
    request = explorer.exchange["request"]
    assert request["truncated"] and len(request["body"]) <= 2_000 < request["body_chars"]
    assert "cut here" in explorer.raw_view.value
    assert len(explorer.raw_view.value) < 20_000


# -- language ------------------------------------------------------------------------------------------------
def test_language_switch_relabels_controls_and_keeps_the_selection(fresh):
    fresh.entry.value = "quota_exceeded"
    fresh.language.value = "zh"
    assert fresh.entry.value == "quota_exceeded"
    assert fresh.mode.value == "catalog"
    assert [label for label, _ in fresh.entry.options] == [e.text("title", "zh") for e in ENTRIES]
    assert fresh.entry.description == "错误"
    assert fresh.key.description == "API 密钥" and fresh.model.description == "模型"
    assert "目录中的错误" in [label for label, _ in fresh.mode.options]
    fresh.language.value = "en"
    assert [label for label, _ in fresh.entry.options] == [e.text("title", "en") for e in ENTRIES]
    assert fresh.entry.value == "quota_exceeded"


def test_start_in_chinese():
    explorer = ErrorExplorer(lang="zh")
    assert explorer.language.value == "zh"
    assert "原始 HTTP 交互" in explorer.raw_view.value


# -- your own request ----------------------------------------------------------------------------------------
def test_custom_success(fresh):
    custom(fresh)
    assert fresh.error is None and fresh.message == ""
    assert fresh.exchange["response"]["status"] == 200
    assert "HTTP/1.1 200 OK" in fresh.raw_view.value
    reply = fresh.result.choices[0].message.content
    assert reply and html.escape(reply) in fresh.exception_view.value
    assert "Status 200: no error" in fresh.exception_view.value
    assert "Cause" not in fresh.advice_view.value


def test_custom_unknown_model_matches_the_catalog(fresh):
    custom(fresh, model="gpt-9-imaginary")
    assert isinstance(fresh.error, openai.NotFoundError)
    assert fresh.error.status_code == 404 and fresh.error.code == "model_not_found"
    entry = BY_ID["model_not_found"]
    assert html.escape(entry.text("cause", "en")) in fresh.advice_view.value
    assert html.escape(entry.text("fix", "en")) in fresh.advice_view.value
    assert "gpt-9-imaginary" in fresh.raw_view.value
    fresh.language.value = "zh"
    assert html.escape(entry.text("cause", "zh")) in fresh.advice_view.value


def test_long_key_is_masked_everywhere(fresh):
    custom(fresh, key=LONG_KEY)
    assert isinstance(fresh.error, openai.AuthenticationError)
    assert LONG_KEY not in fresh.html
    for language in ("en", "zh"):
        fresh.language.value = language
        assert LONG_KEY not in fresh.html
    masked = "sk-proj-" + "*" * (len(LONG_KEY) - 12) + LONG_KEY[-4:]
    assert f"Bearer {masked}" in fresh.raw_view.value
    assert dict((k.lower(), v) for k, v in fresh.exchange["request"]["headers"])["authorization"] == f"Bearer {masked}"
    assert LONG_KEY not in repr(fresh.exchange)


def test_custom_empty_key_sends_no_authorization(fresh):
    custom(fresh, key="")
    assert isinstance(fresh.error, openai.AuthenticationError)
    assert "authorization" not in [name.lower() for name, _ in fresh.exchange["request"]["headers"]]
    assert html.escape(BY_ID["missing_api_key"].text("cause", "en")) in fresh.advice_view.value


def test_custom_organization_header(fresh):
    custom(fresh, organization="org-elsewhere")
    assert fresh.error.code == "mismatched_organization"
    headers = dict((k.lower(), v) for k, v in fresh.exchange["request"]["headers"])
    assert headers["openai-organization"] == "org-elsewhere"
    assert html.escape(BY_ID["mismatched_organization"].text("cause", "en")) in fresh.advice_view.value


def test_custom_dropped_connection_has_no_response(fresh):
    custom(fresh, model="gpt-demo-dropped")
    assert isinstance(fresh.error, openai.APIConnectionError)
    assert fresh.exchange["response"] is None
    assert "No response" in fresh.raw_view.value
    assert html.escape(BY_ID["connection_error"].text("cause", "en")) in fresh.advice_view.value


def test_mode_switch_shows_the_right_controls(fresh):
    assert fresh.custom_box.layout.display == "none" and fresh.catalog_box.layout.display != "none"
    fresh.mode.value = "custom"
    assert fresh.catalog_box.layout.display == "none" and fresh.custom_box.layout.display != "none"
    fresh.mode.value = "catalog entry"  # the English label works as an alias
    assert fresh.mode.value == "catalog"


# -- bad input -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "key, model, organization, words",
    [
        ("sk-demo-ok", "", "", "Type a model name"),
        ("sk-demo-ok", "   ", "", "Type a model name"),
        ("sk-demo-ok", "gpt 4o mini", "", "no spaces"),
        ("sk-demo-ok", "gpt-4o\nmini", "", "no spaces"),
        ("sk-demo-ok", "m" * 5_000, "", "model names are short"),
        ("x" * 10_000, "gpt-4o-mini", "", "10,000 characters"),
        ("sk-demo ok", "gpt-4o-mini", "", "plain ASCII"),
        ("sk-démo-ok", "gpt-4o-mini", "", "plain ASCII"),
        ("sk-demo-ok\x00", "gpt-4o-mini", "", "plain ASCII"),
        ("sk-demo-ok", "gpt-4o-mini", "org demo", "organization ID"),
    ],
)
def test_bad_custom_input_gives_an_inline_message(fresh, key, model, organization, words):
    custom(fresh, key=key, model=model, organization=organization)
    assert words in fresh.message
    assert html.escape(fresh.message) in fresh.notice.value
    assert fresh.exchange is None and fresh.error is None
    assert fresh.raw_view.value == ""
    assert key.strip() not in fresh.html or len(key.strip()) <= 12
    fresh.language.value = "zh"
    assert fresh.message and re.search(r"[\u4e00-\u9fff]", fresh.message)
    fresh.language.value = "en"
    custom(fresh)  # still usable: a good request works again and the message goes away
    assert fresh.message == "" and fresh.notice.value == ""
    assert fresh.exchange["response"]["status"] == 200


def test_unknown_entry_from_code(fresh):
    fresh.entry.value = "server_error"
    fresh.entry.value = "no_such_entry"
    assert fresh.entry.value == "server_error"
    assert "no_such_entry" in fresh.message
    assert "no_such_entry" in fresh.notice.value
    assert type(fresh.error).__name__ == BY_ID["server_error"].sdk_exception
    fresh.entry.value = "quota_exceeded"
    assert fresh.message == ""
    assert isinstance(fresh.error, openai.RateLimitError)


def test_no_entry_selected(fresh):
    fresh.entry.value = None
    assert fresh.message == "Pick an error from the list."
    assert fresh.error is None and fresh.exchange is None


def test_unknown_language_and_mode(fresh):
    fresh.language.value = "fr"
    assert fresh.language.value == "en"
    assert "'fr'" in fresh.message
    fresh.mode.value = 42
    assert fresh.mode.value == "catalog" and "42" in fresh.message
    explorer = ErrorExplorer(lang="klingon")
    assert explorer.language.value == "en" and "klingon" in explorer.message


def test_unexpected_failure_is_shown_not_raised(fresh, monkeypatch):
    monkeypatch.setattr(fresh, "_run_catalog", lambda: 1 / 0)
    fresh.entry.value = "timeout"
    assert "ZeroDivisionError" in fresh.message
    monkeypatch.undo()
    fresh.entry.value = "server_error"
    assert fresh.message == ""


# -- display -------------------------------------------------------------------------------------------------
def test_shows_itself_in_a_notebook(fresh, monkeypatch):
    import IPython.display

    shown_objects = []
    monkeypatch.setattr(IPython.display, "display", shown_objects.append)
    fresh._ipython_display_()
    assert shown_objects == [fresh.widget]


def test_same_choice_same_answer():
    first, second = ErrorExplorer(), ErrorExplorer()
    for explorer in (first, second):
        explorer.entry.value = "server_error"
    assert first.exchange == second.exchange


def test_the_explorer_starts_in_the_course_language_unless_told(monkeypatch):
    from helpers import i18n

    monkeypatch.setattr(i18n, "_chosen", "zh")
    assert ErrorExplorer().language.value == "zh"
    assert ErrorExplorer(lang="en").language.value == "en"

"""The error explorer's parts alone: HTML from hand-made stories, the SDK's retry rule read off exceptions,
the exchange capture's masking and cutting. No widgets here."""

from __future__ import annotations

import httpx
import openai
import pytest

from helpers.catalog import get_entry
from helpers.retry import Kind, Verdict, classify
from helpers.simulator import make_client
from helpers.widgets.explorer import render
from helpers.widgets.explorer.capture import BODY_LIMIT, Recorder, mask_authorization
from helpers.widgets.explorer.story import Failure, Story, sdk_would_retry
from helpers.widgets.explorer.widget import check_custom

REQUEST = {
    "method": "POST",
    "url": "https://x/v1/chat/completions",
    "path": "/v1/chat/completions",
    "line": "POST /v1/chat/completions HTTP/1.1",
    "headers": [("Authorization", "Bearer sk-demo***ok")],
    "body": '{"model": "<b>gpt</b>"}',
    "body_chars": 24,
    "truncated": False,
}
RESPONSE = {
    "status": 429,
    "reason": "Too Many Requests",
    "line": "HTTP/1.1 429 Too Many Requests",
    "headers": [("retry-after", "20")],
    "body": "",
    "body_chars": 0,
    "truncated": False,
}
QUOTA = Failure("openai.RateLimitError", (("status_code", 429), ("type", "insufficient_quota"), ("code", None)))


def failed(failure=QUOTA, response=RESPONSE, **fields) -> Story:
    verdict = fields.pop("verdict", classify(429, {}, {"type": "insufficient_quota"}))
    exchange = {"request": REQUEST, "response": response, "attempts": 1}
    return Story(exchange=exchange, failure=failure, verdict=verdict, **fields)


# -- rendering ----------------------------------------------------------------------------------------------
def test_nothing_sent_shows_nothing():
    assert render.views(Story(), "en") == ("", "", "", "")
    assert render.notice_html("") == ""
    assert "&lt;x&gt;" in render.notice_html("<x>")


def test_the_raw_exchange_is_escaped_and_says_when_there_is_no_body():
    page = render.raw_html(failed(), "en")
    assert "POST /v1/chat/completions HTTP/1.1" in page and "Authorization: Bearer sk-demo***ok" in page
    assert "&lt;b&gt;gpt&lt;/b&gt;" in page and "<b>gpt</b>" not in page
    assert "HTTP/1.1 429 Too Many Requests" in page and "(no body)" in page
    assert "（没有正文）" in render.raw_html(failed(), "zh")


def test_a_cut_body_says_how_much_is_shown():
    part = {**REQUEST, "body": "x" * 10, "body_chars": 12_345, "truncated": True}
    assert "showing the first 10 of 12,345 characters" in render.message_pre(part, "en")
    assert "共 12,345 个字符，只显示前 10 个" in render.message_pre(part, "zh")


@pytest.mark.parametrize(
    "kind, timeout, lang, words",
    [
        (Kind.TIMEOUT, 2.0, "en", "read timeout after 2 s"),
        (Kind.TIMEOUT, 2.5, "zh", "时限 2.5 秒"),
        (Kind.TIMEOUT, None, "en", "read timeout after ? s"),
        (Kind.CONNECTION, None, "en", "the connection closed"),
        (Kind.SERVER_ERROR, None, "en", "No response was received"),
    ],
)
def test_no_response_says_why(kind, timeout, lang, words):
    story = failed(response=None, verdict=Verdict.of(True, kind, "no_answer"), timeout=timeout)
    assert words in render.raw_html(story, lang)
    assert "No response" in render.summary_html(story, "en")


def test_no_request_at_all():
    assert "raised before sending anything" in render.raw_html(Story(failure=QUOTA), "en")


def test_the_exception_table_shows_reprs_and_the_cause():
    failure = Failure(
        "openai.APITimeoutError",
        (("status_code", None), ("message", "Request timed out.")),
        "httpx.ReadTimeout: <slow>",
    )
    page = render.exception_html(Story(failure=failure), "en")
    assert "openai.APITimeoutError" in page
    assert "<code>message</code>" in page and "&#x27;Request timed out.&#x27;" in page
    assert "__cause__" in page and "httpx.ReadTimeout: &lt;slow&gt;" in page
    assert ">属性<" in render.exception_html(Story(failure=failure), "zh")


def test_success_shows_the_reply_and_nothing_to_retry():
    story = Story(
        exchange={"request": REQUEST, "response": {**RESPONSE, "status": 200, "reason": "OK"}},
        answered=True,
        reply="Hi <there>",
    )
    summary, _, exception, advice = render.views(story, "en")
    assert "HTTP 200 OK → Success" in summary
    assert "Status 200: no error" in exception and "Hi &lt;there&gt;" in exception
    assert "nothing to retry" in advice and "Cause" not in advice


def test_a_catalog_entry_that_did_not_fail_this_time_says_so():
    entry = get_entry("server_error")
    advice = render.advice_html(Story(answered=True, entry=entry, seed=7), "en")
    assert "drawn by chance from the seed (7)" in advice
    assert entry.text("fix", "en").split(" ")[0] in advice


def test_a_billing_error_cannot_be_retried_and_the_sdk_retries_it_anyway():
    entry = get_entry("quota_exceeded")
    advice = render.advice_html(failed(entry=entry, sdk_retries=True), "en")
    assert "<b>No, a retry cannot help</b>: a billing or quota error: retrying cannot restore access." in advice
    assert "which cannot help" in advice and "The catalog says: " in advice
    zh = render.advice_html(failed(entry=entry, sdk_retries=True), "zh")
    assert "<b>没用，重试无济于事</b>：这是账单或配额错误：重试无法恢复访问。" in zh


def test_a_retryable_error_with_retry_after():
    verdict = classify(429, {"retry-after": "20"}, {"type": "requests", "code": "rate_limit_exceeded"})
    advice = render.verdict_html(failed(verdict=verdict, sdk_retries=True), None, "en")
    assert "Yes, a retry can help" in advice and "waiting 20 s" in advice and "retries this error by itself" in advice
    assert "The catalog says" not in advice
    assert "does not retry it" in render.verdict_html(failed(verdict=verdict), None, "en")


def test_your_own_request_names_the_matching_entries_or_says_none_matches():
    first, second = get_entry("invalid_authentication"), get_entry("incorrect_api_key")
    advice = render.advice_html(failed(matches=(first, second)), "en")
    assert "The closest catalog entry is “401 – Invalid Authentication”" in advice
    assert "Other entries with the same status, type and code: " + second.text("title", "en") in advice
    assert first.text("cause", "en")[:40] in advice
    none = render.advice_html(failed(), "en")
    assert "No catalog entry matches this error (status 429, type insufficient_quota, code None)" in none


def test_the_hint_lists_keys_and_models_as_code():
    hint = render.hint_html("zh", ["sk-demo-ok", "sk-<b>"], ["gpt-4o-mini"], "Hello")
    assert "<code>sk-demo-ok</code>、<code>sk-&lt;b&gt;</code>" in hint and "<code>gpt-4o-mini</code>" in hint
    assert "“Hello”" in render.hint_html("en", [], [], "Hello")


def test_repeated_requests_say_the_exchange_is_the_last():
    assert "sends 3 requests in a row" in render.summary_html(
        failed(repeat=3, entry=get_entry("rate_limit_reached")), "en"
    )


# -- reading the SDK's objects --------------------------------------------------------------------------------
def _status_error(status: int, headers: dict) -> openai.APIStatusError:
    response = httpx.Response(status, headers=headers, request=httpx.Request("POST", "https://x/v1/chat/completions"))
    return openai.APIStatusError("boom", response=response, body=None)


@pytest.mark.parametrize(
    "status, headers, retried",
    [
        (500, {}, True),
        (429, {}, True),
        (409, {}, True),
        (400, {}, False),
        (401, {}, False),
        (500, {"x-should-retry": "false"}, False),
        (400, {"x-should-retry": "true"}, True),
    ],
)
def test_the_sdk_rule_is_read_off_the_exception(status, headers, retried):
    assert sdk_would_retry(_status_error(status, headers)) is retried


def test_the_sdk_retries_timeouts_and_dropped_connections_but_not_other_errors():
    request = httpx.Request("POST", "https://x")
    assert sdk_would_retry(openai.APITimeoutError(request))
    assert sdk_would_retry(openai.APIConnectionError(request=request))
    assert not sdk_would_retry(ValueError("not from the SDK"))


# -- capture and input checks ---------------------------------------------------------------------------------
def test_capture_masks_the_key_and_cuts_long_bodies():
    recorder = Recorder()
    client = make_client("sk-proj-abcdefghijklmnopqrstuvwxyz", max_retries=0, event_hooks=recorder.hooks)
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "y" * 5_000}])
    exchange = recorder.exchange()
    assert "abcdefghijklmnopqrstuvwxyz" not in repr(exchange)
    assert {k.lower(): v for k, v in exchange["request"]["headers"]}["authorization"] == "Bearer " + mask_authorization(
        "sk-proj-abcdefghijklmnopqrstuvwxyz"
    )
    assert exchange["request"]["truncated"] and len(exchange["request"]["body"]) == BODY_LIMIT
    assert exchange["response"]["status"] == 401 and exchange["attempts"] == 1
    assert Recorder().exchange() is None


@pytest.mark.parametrize(
    "key, model, organization, problem",
    [
        ("x" * 10_000, "gpt-4o-mini", "", "msg.key.long"),
        ("sk-demo-ok", "", "", "msg.model.empty"),
        ("sk-demo-ok", "gpt 4o", "", "msg.model.space"),
        ("sk-demo-ok", "gpt-4o-mini", "org\x00", "msg.organization"),
        ("", "anything-at-all", "", None),  # an empty key and an unknown model are worth sending: the API answers
    ],
)
def test_your_own_request_is_checked_before_it_is_sent(key, model, organization, problem):
    found = check_custom(key, model, organization)
    assert (found and found[0]) == problem

"""Every catalog entry, triggered with the official SDK (sync and async), in-process and over real HTTP."""

from __future__ import annotations

import contextlib
import re

import openai
import pytest

from helpers.catalog import atrigger, client_options, load_catalog, trigger

from .conftest import sdk_client

ENTRIES = load_catalog()
REQUEST_ID = re.compile(r"req_[0-9a-f]{32}\Z")
BILLING_TYPES = {"insufficient_quota"}


def _check(entry, error) -> None:
    assert error is not None, f"{entry.id}: no error was raised"
    assert type(error).__name__ == entry.sdk_exception, f"{entry.id}: got {type(error).__name__}: {error}"
    assert isinstance(error, getattr(openai, entry.sdk_exception))
    if entry.status is None and entry.sdk_exception == "APIError":  # an error event after the 200
        assert not isinstance(error, openai.APIStatusError) and not hasattr(error, "status_code")
        assert (error.type, error.code, error.param) == (entry.type, entry.code, entry.param)
        assert entry.message_pattern().match(error.message), f"{entry.id}: {error.message!r}"
        assert error.body["message"] == error.message
        return
    if entry.status is None:  # no response at all, or one cut short: timeout or dropped connection
        assert isinstance(error, openai.APIConnectionError)
        assert error.message == entry.message
        return
    assert error.status_code == entry.status
    assert error.code == entry.code
    assert error.type == entry.type
    assert error.param == entry.param
    body_message = error.body["message"]
    assert entry.message_pattern().match(body_message), f"{entry.id}: {body_message!r}"
    if "{request_id}" in entry.message:
        assert error.request_id in body_message
    expected_str = f"Error code: {entry.status} - {body_message}" if body_message else f"Error code: {entry.status}"
    assert error.message == expected_str
    assert REQUEST_ID.match(error.request_id)
    headers = error.response.headers
    assert headers["x-request-id"] == error.request_id
    assert headers["content-type"] == "application/json"
    assert headers["openai-version"] == "2020-10-01"
    assert headers["openai-processing-ms"].isdigit()
    _check_headers(entry, headers)


def _check_headers(entry, headers) -> None:
    temporary_429 = entry.status == 429 and entry.type not in BILLING_TYPES and entry.retryable
    if entry.type in ("requests", "tokens"):
        for name in ("limit", "remaining", "reset"):
            assert f"x-ratelimit-{name}-requests" in headers and f"x-ratelimit-{name}-tokens" in headers
    if entry.type in BILLING_TYPES:
        assert not any(h.startswith("x-ratelimit-") for h in headers), "billing 429s carry no rate-limit headers"
        assert "retry-after" not in headers
    if temporary_429 or entry.code == "server_is_overloaded":
        assert int(headers["retry-after"]) >= 1
        assert int(headers["retry-after-ms"]) >= 1
    if entry.status not in (401, 404, 405, 413) or entry.id == "insufficient_permissions":
        assert headers.get("openai-organization", "").startswith("org-") or entry.status in (400, 401)


@pytest.mark.parametrize("where", ["inprocess", "server"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_entry_sync(entry, where):
    with contextlib.ExitStack() as stack:
        options = client_options(entry)
        client = sdk_client(where, "sync", simulator_options=entry.trigger.get("simulator"), stack=stack, **options)
        _check(entry, trigger(entry, client))


@pytest.mark.parametrize("where", ["inprocess", "server"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
async def test_entry_async(entry, where):
    with contextlib.ExitStack() as stack:
        options = client_options(entry)
        client = sdk_client(where, "async", simulator_options=entry.trigger.get("simulator"), stack=stack, **options)
        _check(entry, await atrigger(entry, client))
        await client.close()


def test_catalog_starts_with_the_original_guide():
    originals = [e.id for e in ENTRIES if e.original_guide]
    assert originals == [e.id for e in ENTRIES[:7]]
    assert [e.status for e in ENTRIES[:7]] == [401, 401, 401, 429, 429, 500, 503]


def test_ids_are_unique_and_texts_are_complete():
    assert len({e.id for e in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        for field in ("title", "cause", "fix", "retry"):
            assert entry.text(field, "en").strip(), (entry.id, field)
            assert re.search(r"[\u4e00-\u9fff]", entry.text(field, "zh")), (entry.id, field)

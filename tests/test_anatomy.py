"""show_error prints the same rows for every SDK error: HTTP answers and errors without one."""

from __future__ import annotations

import openai
import pytest

from helpers.anatomy import error_fields, show_error
from helpers.simulator import make_client

MESSAGES = [{"role": "user", "content": "Hello"}]


def _raised(client, model="gpt-4o-mini"):
    with pytest.raises(openai.APIError) as info:
        client.chat.completions.create(model=model, messages=MESSAGES)
    return info.value


def test_an_http_error_shows_status_type_code_the_api_message_and_named_headers(capsys):
    error = _raised(make_client("sk-demo-broke", max_retries=0))
    rows = dict(error_fields(error, headers=["retry-after", "x-request-id"]))
    assert rows["exception"] == "RateLimitError" and rows["status"] == "429"
    assert rows["type"] == rows["code"] == "insufficient_quota"
    assert rows["message"].startswith("You exceeded your current quota")
    assert rows["retry-after"] == "none" and rows["x-request-id"] == error.request_id
    show_error(error)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "exception : RateLimitError" and len({line.index(":") for line in lines}) == 1


def test_an_error_without_an_answer_says_so():
    error = _raised(make_client("sk-demo-ok", max_retries=0, timeout=0.5), model="gpt-demo-slow")
    rows = dict(error_fields(error, headers=["retry-after"]))
    assert rows["exception"] == "APITimeoutError" and rows["status"].startswith("none")
    assert "retry-after" not in rows

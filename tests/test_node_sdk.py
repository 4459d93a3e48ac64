"""The official Node SDK (npm `openai`, pinned in tests/node/package-lock.json) against the served simulator.

`.ci/run` installs it with `npm ci`; without Node or that install, these tests are skipped and say why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.simulator.server import running_server

NODE_DIR = Path(__file__).resolve().parent / "node"


@pytest.fixture(scope="module")
def node_results():
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "openai").is_dir():
        pytest.skip("the Node SDK is not installed: run `npm ci` in tests/node (as .ci/run does)")
    with running_server(seed=0) as srv:
        done = subprocess.run(
            [node, str(NODE_DIR / "scenarios.mjs"), srv.base_url], capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_node_chat_streams(node_results):
    plain = node_results["chat_plain"]["got"][0]
    got = node_results["chat_stream"]["got"]
    assert node_results["chat_stream"]["error"] is None
    assert "".join(g for g in got if isinstance(g, str)) == plain and got[-1]["usage"] > 0


def test_node_errors_before_the_stream(node_results):
    assert node_results["chat_stream_401"]["error"]["class"] == "AuthenticationError"
    assert node_results["chat_stream_401"]["error"]["code"] == "invalid_api_key"
    assert node_results["chat_stream_404"]["error"]["status"] == 404
    unknown = node_results["chat_unknown_argument"]["error"]
    assert unknown["class"] == "BadRequestError" and unknown["message"].endswith(
        "Unrecognized request argument supplied: foo"
    )


def test_node_errors_after_the_200(node_results):
    mid = node_results["chat_midstream"]
    assert mid["error"]["class"] == "APIError" and mid["error"]["status"] is None
    assert mid["error"]["type"] == "server_error" and mid["error"]["message"].startswith("The server had an error")
    assert mid["got"] == ["", "Simulated", " reply", " from"]
    dropped = node_results["chat_dropped"]
    assert dropped["error"] is not None and dropped["got"] == ["", "Simulated", " reply", " from"]


def test_node_responses(node_results):
    status, text = node_results["responses_plain"]["got"]
    assert status == "completed" and text.startswith("Simulated reply")
    events = node_results["responses_stream"]["got"]
    assert events[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert events[-1] == "response.completed" and "".join(events[4:-4]) == text
    assert node_results["responses_failed"]["got"][-1] == "response.failed"
    assert node_results["responses_incomplete"]["got"][-1] == "response.incomplete"
    unknown = node_results["responses_unknown_parameter"]["error"]
    assert (unknown["status"], unknown["code"], unknown["param"]) == (400, "unknown_parameter", "foo")
    missing = node_results["responses_previous_missing"]["error"]
    assert (missing["status"], missing["code"]) == (400, "previous_response_not_found")


def test_node_rate_limit_inside_a_responses_stream(node_results):
    assert node_results["responses_rate_limit_first"]["error"] is None
    second = node_results["responses_rate_limit_second"]
    assert second["got"] == ["response.created", "response.in_progress"]
    assert second["error"]["class"] == "APIError" and second["error"]["code"] == "rate_limit_exceeded"
    assert "Please try again in" in second["error"]["message"]

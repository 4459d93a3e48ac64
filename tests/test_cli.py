"""`python -m helpers.simulator serve` (contract 3): the official SDK against the real command reproduces
every row of contract 1, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest

from helpers.simulator import connect

ROOT = Path(__file__).resolve().parent.parent
HELLO = [{"role": "user", "content": "Hello"}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.simulator", "serve", "--port", str(port), "--seed", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    banner = proc.stdout.readline()
    assert f"http://127.0.0.1:{port}/v1" in banner
    yield proc, f"http://127.0.0.1:{port}/v1"
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _error(base_url, key, model="gpt-4o-mini", **options):
    client = connect(base_url, key, max_retries=0, **options)
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model=model, messages=HELLO)
    return info.value


def test_contract_one_over_the_served_api(served):
    _, url = served
    assert connect(url, "sk-demo-ok").chat.completions.create(model="gpt-4o-mini", messages=HELLO).choices
    cases = [
        (dict(key=None), 401, None),
        (dict(key="sk-demo-typo"), 401, "invalid_api_key"),
        (dict(key="sk-demo-revoked"), 401, "invalid_api_key"),
        (dict(key="sk-demo-no-org"), 401, "no_organization"),
        (dict(key="sk-demo-ok", organization="org-elsewhere"), 401, "mismatched_organization"),
        (dict(key="sk-demo-readonly"), 401, "missing_scope"),
        (dict(key="sk-demo-abroad"), 403, "unsupported_country_region_territory"),
        (dict(key="sk-demo-broke"), 429, "insufficient_quota"),
        (dict(key="sk-demo-ok", model="gpt-5-nope"), 404, "model_not_found"),
    ]
    for kwargs, status, code in cases:
        error = _error(url, **kwargs)
        assert (error.status_code, error.code) == (status, code), kwargs
    assert "insufficient permissions" in _error(url, "sk-demo-readonly").body["message"]
    assert "You didn't provide an API key" in _error(url, None).body["message"]

    free = connect(url, "sk-demo-free", max_retries=0)
    for _ in range(3):
        free.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert _error(url, "sk-demo-free").code == "rate_limit_exceeded"

    ok = connect(url, "sk-demo-ok", max_retries=0)
    flaky = []
    for _ in range(10):
        try:
            ok.chat.completions.create(model="gpt-demo-flaky", messages=HELLO)
            flaky.append(200)
        except openai.InternalServerError as exc:
            flaky.append(exc.status_code)
    assert flaky[1] == 500 and flaky.count(200) >= 5  # seed 0: the second request to the flaky model fails

    deadline = time.monotonic() + 16  # busy during the first 5 s of every 15 s since the server started
    while True:
        try:
            ok.chat.completions.create(model="gpt-demo-busy", messages=HELLO)
        except openai.InternalServerError as exc:
            assert exc.status_code == 503 and exc.code == "server_is_overloaded"
            assert 1 <= int(exc.response.headers["retry-after"]) <= 5
            break
        assert time.monotonic() < deadline, "gpt-demo-busy never answered 503"
        time.sleep(0.5)


def test_ctrl_c_stops_the_server_cleanly(served):
    proc, _ = served
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Stopped." in out and "Traceback" not in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["serve", "--port", "70000"], "--port must be between 0 and 65535"),
        (["serve", "--world", "/no/such/world.json"], "Cannot load the world"),
    ],
)
def test_bad_arguments_get_a_friendly_message(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "helpers.simulator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_serve_log_file_writes_a_json_line_per_request(tmp_path):
    port, log = _free_port(), tmp_path / "requests.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.simulator", "serve", "--port", str(port), "--log-file", str(log)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        proc.stdout.readline()
        client = connect(f"http://127.0.0.1:{port}/v1", "sk-demo-ok", max_retries=0)
        list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
        with pytest.raises(openai.APIConnectionError):
            list(client.chat.completions.create(model="gpt-demo-dropped", messages=HELLO, stream=True))
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err
    ok, dropped = (json.loads(line) for line in log.read_text().splitlines())
    assert ok["stream"] and ok["status"] == 200 and ok["gave_up"] is None and ok["chunks"] > 3
    assert dropped["model"] == "gpt-demo-dropped" and dropped["chunks"] == 4 and dropped["retry_count"] == 0

"""The SDK's own retry behaviour, seen in the simulator's log and played out in virtual time."""

from __future__ import annotations

import contextlib
import time

import openai
import pytest

from helpers.simulator import Simulator, make_async_client, make_client

HELLO = [{"role": "user", "content": "Hello"}]


def _attempts(sim):
    return [entry.retry_count for entry in sim.log]


@pytest.mark.parametrize(
    "model, key, status",
    [
        ("gpt-demo-busy", "sk-demo-ok", 503),  # at t=0 the busy model is inside its overload window
        ("gpt-4o-mini", "sk-demo-broke", 429),
    ],
)
def test_default_max_retries_gives_three_attempts(model, key, status):
    sim = Simulator(seed=0, faults={"gpt-demo-busy": {"overload_busy_s": 15}})  # busy all the time
    client = make_client(key, sim)
    started = time.perf_counter()
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model=model, messages=HELLO)
    assert info.value.status_code == status
    assert _attempts(sim) == [0, 1, 2]
    assert time.perf_counter() - started < 1.0, "retries must not sleep in real time"


def test_server_errors_retried_with_the_sdk_backoff_schedule():
    sim = Simulator(seed=0, faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
    client = make_client("sk-demo-ok", sim)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="gpt-demo-flaky", messages=HELLO)
    assert _attempts(sim) == [0, 1, 2]
    first, second = client.retry_sleeps
    assert 0.375 < first <= 0.5 and 0.75 < second <= 1.0  # min(0.5 * 2^k, 8) * (1 - 0.25 r)
    times = [entry.time for entry in sim.log]
    assert times[1] - times[0] == pytest.approx(first) and times[2] - times[1] == pytest.approx(second)


def test_retry_after_is_honoured_and_the_retry_succeeds():
    sim = Simulator(seed=0)
    client = make_client("sk-demo-free", sim)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    reply = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=HELLO)
    assert reply.retries_taken == 1
    assert [e.status for e in sim.log] == [200, 200, 200, 429, 200]
    assert client.retry_sleeps == [20.0]  # Retry-After: 20 (retry-after-ms 20000), taken exactly
    assert sim.log[-1].time - sim.log[-2].time == pytest.approx(20.0)


def test_billing_429_is_retried_pointlessly():
    sim = Simulator(seed=0)
    client = make_client("sk-demo-broke", sim)
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert info.value.code == "insufficient_quota"
    assert [e.code for e in sim.log] == ["insufficient_quota"] * 3


def test_x_should_retry_false_stops_the_sdk_on_billing_errors():
    sim = Simulator(seed=0, billing_should_retry_header=True)
    with pytest.raises(openai.RateLimitError):
        make_client("sk-demo-broke", sim).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert _attempts(sim) == [0]


def test_max_retries_zero_gives_one_attempt():
    sim = Simulator(seed=0)
    with pytest.raises(openai.RateLimitError):
        make_client("sk-demo-broke", sim, max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert _attempts(sim) == [0]


def test_with_options_keeps_virtual_time():
    sim = Simulator(seed=0)
    client = make_client("sk-demo-broke", sim).with_options(max_retries=4)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert _attempts(sim) == [0, 1, 2, 3, 4]
    assert sim.clock.now() > 0.375 + 0.75 + 1.5 + 3.0


def test_non_retryable_errors_are_sent_once():
    sim = Simulator(seed=0)
    with pytest.raises(openai.AuthenticationError):
        make_client("sk-demo-typo", sim).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(openai.NotFoundError):
        make_client("sk-demo-ok", sim).chat.completions.create(model="gpt-nope", messages=HELLO)
    assert _attempts(sim) == [0, 0]


def test_timeouts_are_retried_and_cost_virtual_time():
    sim = Simulator(seed=0)
    client = make_client("sk-demo-ok", sim, timeout=2.0)
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model="gpt-demo-slow", messages=HELLO)
    assert _attempts(sim) == [0, 1, 2]
    assert sim.clock.now() == pytest.approx(3 * 2.0 + sum(client.retry_sleeps))


def test_same_seed_same_sdk_jitter():
    def run():
        sim = Simulator(seed=7, faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
        client = make_client("sk-demo-ok", sim, seed=7)
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="gpt-demo-flaky", messages=HELLO)
        return [e.time for e in sim.log]

    assert run() == run()


async def test_async_client_retries_in_virtual_time():
    sim = Simulator(seed=0)
    client = make_async_client("sk-demo-broke", sim)
    started = time.perf_counter()
    with pytest.raises(openai.RateLimitError):
        await client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert _attempts(sim) == [0, 1, 2]
    assert sim.clock.now() > 0.375 + 0.75
    assert time.perf_counter() - started < 1.0
    await client.close()


def test_a_learners_real_organization_settings_never_reach_the_simulator(monkeypatch):
    monkeypatch.setenv("OPENAI_ORG_ID", "org-learners-real-org")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_real")
    sim = Simulator(seed=0)
    captured = []
    client = make_client("sk-demo-ok", sim, event_hooks={"request": [lambda r: captured.append(dict(r.headers))]})
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert "openai-organization" not in captured[0] and "openai-project" not in captured[0]


def test_retries_are_logged_like_the_sdk_logs_them(caplog):
    sim = Simulator(seed=0)
    with caplog.at_level("INFO", logger="openai"):
        with pytest.raises(openai.RateLimitError):
            make_client("sk-demo-broke", sim).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    lines = [r.getMessage() for r in caplog.records if r.name == "openai._base_client"]
    assert [line.split(" (")[1] for line in lines if line.startswith("Retrying request in")] == [
        "retry 1 of 2)",
        "retry 2 of 2)",
    ]


async def test_the_user_agent_is_the_sdks_own():
    seen = []

    async def hook(request):
        seen.append(request.headers["user-agent"])

    make_client("sk-demo-ok", event_hooks={"request": [lambda r: seen.append(r.headers["user-agent"])]}).models.list()
    await make_async_client("sk-demo-ok", event_hooks={"request": [hook]}).models.list()
    assert [agent.split("/")[0] for agent in seen] == ["OpenAI", "AsyncOpenAI"]
    assert seen[0] == f"OpenAI/Python {openai.__version__}"


@pytest.mark.parametrize("key", ["sk-demo-ok", None])
def test_event_hooks_see_the_wire_and_no_key_means_no_authorization(key):
    sent, statuses = [], []
    hooks = {
        "request": [lambda r: sent.append(dict(r.headers))],
        "response": [lambda r: statuses.append(r.status_code)],
    }
    client = make_client(key, max_retries=0, event_hooks=hooks)
    with pytest.raises(openai.AuthenticationError) if key is None else contextlib.nullcontext():
        client.models.list()
    assert ("authorization" in sent[0]) == (key is not None)
    assert statuses == [401 if key is None else 200]
    assert len(hooks["request"]) == 1  # the caller's hooks are not changed


@pytest.mark.parametrize("key", ["sk-demo-ok", None])
async def test_async_event_hooks_see_the_wire_and_no_key_means_no_authorization(key):
    sent, statuses = [], []

    async def on_request(request):
        sent.append(dict(request.headers))

    async def on_response(response):
        statuses.append(response.status_code)

    client = make_async_client(key, max_retries=0, event_hooks={"request": [on_request], "response": [on_response]})
    with pytest.raises(openai.AuthenticationError) if key is None else contextlib.nullcontext():
        await client.models.list()
    assert ("authorization" in sent[0]) == (key is not None)
    assert statuses == [401 if key is None else 200]

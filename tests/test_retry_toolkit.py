"""Classification, budgets, the retry loop (sync and async), the throttle and the parallel processor,
against the simulated API."""

from __future__ import annotations

import asyncio
import random

import openai
import pytest

from helpers.catalog import client_options, load_catalog, trigger
from helpers.clock import ConcurrentVirtualClock, VirtualClock
from helpers.experiments.engine import lab_world
from helpers.retry import (
    Constant,
    FullJitter,
    Kind,
    MaxAttempts,
    NoBackoff,
    RetryAfter,
    RetryPolicy,
    RetryQuota,
    RetryRatio,
    asend_with_retries,
    classify,
    classify_entry,
    classify_exception,
    send_with_retries,
)
from helpers.retry.processor import process_all
from helpers.retry.throttle import Throttle, estimate_tokens
from helpers.simulator import Simulator, async_http_client, http_client, make_client

HELLO = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
ENTRIES = load_catalog()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_catalog_entry_is_classified_as_the_catalog_says(entry):
    assert classify_entry(entry).retryable == entry.retryable
    simulator = Simulator(seed=0, **entry.trigger.get("simulator", {}))
    error = trigger(entry, make_client(simulator=simulator, max_retries=0, **client_options(entry)))
    verdict = classify_exception(error)
    assert verdict.retryable == entry.retryable, verdict
    assert verdict.reason


def test_the_server_can_overrule_and_long_waits_are_refused():
    rate_limited = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}
    assert classify(429, {}, rate_limited).retryable
    assert not classify(429, {"x-should-retry": "false"}, rate_limited).retryable
    assert classify(400, {"x-should-retry": "true"}, {"error": {"message": "x"}}).retryable
    assert not classify(429, {"retry-after": "121"}, rate_limited).retryable
    assert classify(429, {"retry-after-ms": "120000"}, rate_limited).retry_after == 120
    assert classify(503, {"retry-after": "nonsense"}, None).retryable


def _post(client, key):
    return lambda: client.post("/chat/completions", json=HELLO, headers={"Authorization": f"Bearer {key}"})


def test_max_attempts_caps_the_loop_and_every_attempt_is_recorded():
    sim = Simulator(faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
    seen = []
    client = http_client(sim)

    def send():
        return client.post(
            "/chat/completions",
            json={**HELLO, "model": "gpt-demo-flaky"},
            headers={"Authorization": "Bearer sk-demo-ok"},
        )

    outcome = send_with_retries(send, RetryPolicy(Constant(2.0), (MaxAttempts(4),)), sim.clock, on_retry=seen.append)
    assert not outcome.ok and len(outcome.attempts) == 4 and len(sim.log) == 4
    assert [a.time for a in outcome.attempts] == [0.0, 2.0, 4.0, 6.0]
    assert [a.wait for a in outcome.attempts] == [2.0, 2.0, 2.0, None]
    assert len(seen) == 3 and all(a.kind == "server_error" for a in seen)
    assert outcome.result.status_code == 500


def test_retry_after_is_honoured_by_the_loop():
    sim = Simulator()
    client = http_client(sim)
    for _ in range(3):
        client.post("/chat/completions", json=HELLO, headers={"Authorization": "Bearer sk-demo-free"})
    outcome = send_with_retries(
        _post(client, "sk-demo-free"), RetryPolicy(RetryAfter(NoBackoff(), jitter=0.0)), sim.clock
    )
    assert outcome.ok and [a.status for a in outcome.attempts] == [429, 200]
    assert outcome.attempts[0].wait == 20.0 and outcome.attempts[1].time == pytest.approx(20.0)


def test_quota_errors_are_never_retried():
    sim = Simulator()
    outcome = send_with_retries(_post(http_client(sim), "sk-demo-broke"), RetryPolicy(FullJitter()), sim.clock)
    assert len(outcome.attempts) == 1 and outcome.attempts[0].kind is Kind.QUOTA and len(sim.log) == 1


def test_retry_ratio_budget_stops_retries_for_the_client():
    sim = Simulator(faults={"gpt-4o-mini": {"server_error_share": 1.0}})
    policy = RetryPolicy(Constant(0.1), (MaxAttempts(10), RetryRatio(0.5)))
    client = http_client(sim)
    totals = [len(send_with_retries(_post(client, "sk-demo-ok"), policy, sim.clock).attempts) for _ in range(6)]
    assert sum(totals) - 6 <= 0.5 * 6  # retries never exceed half the requests
    assert totals[0] == 1  # the very first request has no retry to spend yet


def test_retry_quota_runs_dry_and_refills_on_success():
    quota = RetryQuota(capacity=10, retry_cost=5, success_reward=1)
    sim = Simulator(faults={"gpt-4o-mini": {"server_error_share": 1.0}})
    policy = RetryPolicy(Constant(0.1), (MaxAttempts(10), quota))
    outcome = send_with_retries(_post(http_client(sim), "sk-demo-ok"), policy, sim.clock)
    assert len(outcome.attempts) == 3 and quota.tokens == 0  # two retries at 5 tokens each
    quota.record_success(0)
    assert quota.tokens == 1


def test_the_loop_wraps_sdk_calls_and_unwrap_raises_the_last_error():
    sim = Simulator()
    sdk = make_client("sk-demo-typo", sim, max_retries=0)
    outcome = send_with_retries(lambda: sdk.models.list(), RetryPolicy(FullJitter()), sim.clock)
    assert outcome.attempts[0].kind == "auth" and outcome.attempts[0].status == 401
    with pytest.raises(openai.AuthenticationError):
        outcome.unwrap()


async def test_async_loop_in_virtual_time():
    sim = Simulator(faults={"gpt-demo-flaky": {"server_error_share": 1.0}})
    client = async_http_client(sim)

    async def send():
        return await client.post(
            "/chat/completions",
            json={**HELLO, "model": "gpt-demo-flaky"},
            headers={"Authorization": "Bearer sk-demo-ok"},
        )

    outcome = await asend_with_retries(send, RetryPolicy(Constant(5.0), (MaxAttempts(3),)), sim.clock)
    assert [a.time for a in outcome.attempts] == [0.0, 5.0, 10.0]
    await client.aclose()


def test_estimate_matches_what_the_server_charges():
    sim = Simulator()
    body = {**HELLO, "max_tokens": 40, "n": 2, "messages": [{"role": "user", "content": "y" * 101}]}
    response = http_client(sim).post("/chat/completions", json=body, headers={"Authorization": "Bearer sk-demo-ok"})
    assert 200_000 - int(response.headers["x-ratelimit-remaining-tokens"]) == estimate_tokens(body) == 26 + 80


def test_throttle_books_distinct_slots_and_learns_from_headers():
    throttle = Throttle(rpm=60, tpm=1_000_000)
    for _ in range(60):
        assert throttle.reserve(10, 0.0) == 0
    waits = [throttle.reserve(10, 0.0) for _ in range(3)]
    assert waits == pytest.approx([1.0, 2.0, 3.0])  # one request per second, each in its own slot
    fresh = Throttle(rpm=60, tpm=1_000_000)
    fresh.observe({"x-ratelimit-remaining-requests": "2", "x-ratelimit-remaining-tokens": "50"}, 0.0)
    assert fresh.wait_time(10, 0.0) == 0 and fresh.wait_time(100, 0.0) > 0
    with pytest.raises(ValueError, match="never fit"):
        fresh.acquire(2_000_000, VirtualClock())


def test_throttle_acquire_waits_on_the_clock():
    clock = VirtualClock()
    throttle = Throttle(rpm=3, tpm=100_000)
    waits = [throttle.acquire(10, clock) for _ in range(5)]
    assert waits == pytest.approx([0, 0, 0, 20, 20]) and clock.now() == pytest.approx(40)


def _processor_run(key: str, throttled: bool):
    clock = ConcurrentVirtualClock()
    sim = Simulator(lab_world(20, 100_000), clock=clock)
    http = async_http_client(sim, headers={"Authorization": f"Bearer {key}"})
    bodies = [{**HELLO, "max_tokens": 20, "messages": [{"role": "user", "content": f"job {i}"}]} for i in range(40)]
    throttle = Throttle(20, 100_000, headroom=0.9) if throttled else None

    async def main():
        return await process_all(
            bodies,
            lambda body: http.post("/chat/completions", json=body),
            policy=RetryPolicy(RetryAfter(FullJitter()), (MaxAttempts(8),)),
            clock=clock,
            throttle=throttle,
            max_concurrency=8,
        )

    return asyncio.run(main()), sim


def test_processor_with_throttle_gets_everything_through_without_a_429():
    results, sim = _processor_run("sk-lab", throttled=True)
    assert all(r.ok for r in results) and [r.index for r in results] == list(range(40))
    assert len(sim.log) == 40 and not any(e.status == 429 for e in sim.log)


def test_processor_without_throttle_hits_the_limit():
    results, sim = _processor_run("sk-lab", throttled=False)
    assert sum(e.status == 429 for e in sim.log) > 40


def test_processor_stops_the_batch_on_a_quota_error():
    results, sim = _processor_run("sk-demo-broke", throttled=True)
    assert not any(r.ok for r in results)
    assert len(sim.log) <= 8  # the first wave only: nothing is retried, nothing more is sent
    assert sum(1 for r in results if r.skipped) >= 32 and "quota" in results[-1].skipped


def test_concurrent_virtual_clock_overlaps_waits():
    clock = ConcurrentVirtualClock()

    async def sleeper(seconds):
        for _ in range(3):
            await clock.asleep(seconds)
        return clock.now()

    async def main():
        return await asyncio.gather(*(sleeper(s) for s in (1, 2, 5)))

    assert asyncio.run(main()) == [3.0, 6.0, 15.0] and clock.now() == 15.0


def test_a_retry_refused_by_a_later_budget_is_not_charged_to_an_earlier_one():
    quota = RetryQuota(capacity=10, retry_cost=5)
    policy = RetryPolicy(Constant(0.1), (quota, MaxAttempts(1)))  # the quota agrees, then MaxAttempts refuses
    sim = Simulator(faults={"gpt-4o-mini": {"server_error_share": 1.0}})
    outcome = send_with_retries(_post(http_client(sim), "sk-demo-ok"), policy, sim.clock)
    assert len(outcome.attempts) == 1 and quota.tokens == 10


def test_a_retry_the_backoff_refuses_is_not_charged():
    ratio = RetryRatio(1.0)
    policy = RetryPolicy(RetryAfter(Constant(0.1), cap=5), (ratio,))
    policy.start_request()
    over_cap = classify(
        429, {"retry-after": "60"}, {"error": {"message": "Rate limit reached", "code": None}}, max_retry_after=600
    )
    assert policy.next_wait(1, over_cap, random.Random(0), None) is None  # 60 s is above the backoff's 5 s cap
    assert ratio.retries == 0
    within = classify(429, {"retry-after": "2"}, {"error": {"message": "Rate limit reached", "code": None}})
    assert policy.next_wait(1, within, random.Random(0), None) is not None and ratio.retries == 1

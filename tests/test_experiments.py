"""The virtual-time engine's invariants, its metrics, the SDK under load, and the nesting trap."""

from __future__ import annotations

from collections import Counter

import pytest

from helpers.experiments.engine import run_load
from helpers.experiments.sdk_load import measure_nesting, run_sdk_load
from helpers.ratelimit import Bucket
from helpers.retry import Exponential, FullJitter, MaxAttempts, NoBackoff, RetryAfter, RetryPolicy, RetryQuota


def _policy(backoff, attempts=8, *extra):
    return RetryPolicy(backoff, (MaxAttempts(attempts), *extra))


@pytest.mark.parametrize(
    "backoff",
    [NoBackoff(), Exponential(0.5, 30), FullJitter(0.5, 30), RetryAfter(FullJitter(0.5, 30))],
    ids=lambda b: b.name,
)
@pytest.mark.parametrize("throttle", [False, True])
def test_every_request_ends_exactly_once_and_nothing_exceeds_the_limit(backoff, throttle):
    result = run_load(
        clients=40,
        requests_per_client=3,
        rpm=30,
        tpm=1_000_000,
        policy=_policy(backoff),
        throttle=throttle,
        stagger_s=5.0,
        seed=2,
    )
    finals = Counter((row.client, row.request) for row in result.trace if row.final)
    assert all(count == 1 for count in finals.values())
    m = result.metrics
    assert m.successes + m.gave_up + m.unfinished == m.requests == 120 and m.unfinished == 0
    assert m.attempts == len(result.trace)
    for row in result.trace:  # attempts of a request are numbered 1, 2, ... and only the last is final
        assert (row.wait is None) == row.final
    # replay the admitted requests through a bucket with the server's limit: it must admit every one
    referee = Bucket(30, 60.0)
    for row in sorted((r for r in result.trace if r.kind == "ok"), key=lambda r: r.time):
        assert referee.take(1, row.time).admitted
    if throttle:
        assert m.rate_limited == 0 and m.successes == 120


def test_same_seed_same_trace_and_another_seed_another():
    run = lambda seed: run_load(clients=30, rpm=20, policy=_policy(FullJitter(0.5, 20)), seed=seed).trace  # noqa
    assert run(4) == run(4)
    assert run(4) != run(5)


def test_jitter_beats_no_backoff_on_work_and_the_sdk_numbers_add_up():
    none = run_load(clients=60, requests_per_client=1, rpm=30, tpm=1_000_000, policy=_policy(NoBackoff(), 20)).metrics
    jitter = run_load(
        clients=60, requests_per_client=1, rpm=30, tpm=1_000_000, policy=_policy(FullJitter(1, 60), 20)
    ).metrics
    assert jitter.successes > none.successes
    assert jitter.amplification < none.amplification
    assert none.latency_p50 <= none.latency_p95 <= none.latency_p99


def test_quota_errors_are_wasted_calls_and_never_retried():
    result = run_load(clients=5, requests_per_client=2, key="sk-demo-broke", policy=_policy(FullJitter()))
    m = result.metrics
    assert m.successes == 0 and m.quota_errors == m.attempts == m.wasted == 10 and m.gave_up == 10


def test_a_retry_quota_budget_caps_total_retries():
    quota = RetryQuota(capacity=50, retry_cost=5)
    result = run_load(
        clients=50,
        requests_per_client=1,
        rpm=10,
        tpm=1_000_000,
        policy=RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(10), quota)),
    )
    # the quota is per client (each gets a fresh copy): at most 10 retries each
    per_client = Counter(row.client for row in result.trace)
    assert max(per_client.values()) <= 1 + 50 // 5


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(clients=0), "clients"),
        (dict(requests_per_client=-1), "requests_per_client"),
        (dict(rpm=0), "rpm"),
        (dict(prompt_tokens=-5), "prompt_tokens"),
        (dict(horizon_s=0), "horizon_s"),
        (dict(clients=2.5), "clients"),
    ],
)
def test_bad_parameters_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        run_load(**kwargs)


def test_an_experiment_that_would_take_minutes_refuses_and_says_how():
    with pytest.raises(ValueError, match="allow_large=True"):
        run_load(clients=5000, requests_per_client=100)


def test_horizon_leaves_requests_unfinished():
    m = run_load(
        clients=10, requests_per_client=10, rpm=5, policy=_policy(Exponential(1, 60), 50), horizon_s=30
    ).metrics
    assert m.unfinished > 0 and m.drain_time_s <= 31


def test_the_sdk_under_load_retries_in_virtual_time():
    result = run_sdk_load(clients=40, calls_per_client=2, rpm=20, seed=1)
    assert result.calls == 80
    assert result.succeeded + sum(result.errors.values()) == 80
    assert set(result.errors) <= {"RateLimitError"}
    retry_counts = Counter(e.retry_count for e in result.simulator.log)
    assert set(retry_counts) <= {0, 1, 2} and retry_counts[0] == 80  # each call: first attempt + up to 2 retries
    assert result.http_attempts == 80 + result.retries <= 3 * 80
    again = run_sdk_load(clients=40, calls_per_client=2, rpm=20, seed=1)
    assert (again.succeeded, again.http_attempts, again.finished_at) == (
        result.succeeded,
        result.http_attempts,
        result.finished_at,
    )


def test_nesting_multiplies_attempts():
    assert measure_nesting(6, 2).http_calls == 18  # tenacity-style 6 attempts x the SDK's 3
    assert measure_nesting(11, 2).http_calls == 33  # the Cookbook's hand-written decorator x 3
    assert measure_nesting(6, 0).http_calls == 6  # the fix: max_retries=0 under your own loop


def test_a_workload_of_mixed_sizes_is_charged_by_tokens():
    result = run_load(
        clients=4, rpm=1000, tpm=10_000, workload=[(100, 100), (4000, 1000), (100, 100)], policy=_policy(NoBackoff(), 1)
    )
    sizes = {row.request: row.tokens for row in result.trace}
    assert sizes == {0: 200, 1: 5000, 2: 200}
    assert result.metrics.by_kind.get("rate_limit", 0) >= 1  # two 5000-token requests fill a 10,000 TPM bucket
    with pytest.raises(ValueError, match="workload"):
        run_load(workload=[])

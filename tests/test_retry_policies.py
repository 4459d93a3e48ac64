"""Backoff policies: delays within their bounds, means as the formulas say, seeded, and refusing nonsense."""

from __future__ import annotations

import random
import statistics

import pytest

from helpers.retry import (
    Constant,
    DecorrelatedJitter,
    EqualJitter,
    Exponential,
    FullJitter,
    NoBackoff,
    OpenAISDK,
    RetryAfter,
    make_backoff,
)

POLICIES = [
    NoBackoff(),
    Constant(1.5),
    Exponential(0.5, 8),
    FullJitter(0.5, 8),
    EqualJitter(0.5, 8),
    DecorrelatedJitter(0.5, 8),
    OpenAISDK(),
    FullJitter(5, 2000, first_exponent=1),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_delay_lies_within_the_bounds(policy):
    for n in range(1, 12):
        low, high = policy.bounds(n)
        for delay in policy.samples(n, count=200, seed=n):
            assert low - 1e-9 <= delay <= high + 1e-9, (n, delay, low, high)
    assert policy.formula


@pytest.mark.parametrize(
    "policy, n, expected_mean",
    [
        (FullJitter(0.5, 8), 3, 1.0),  # U(0, 2)
        (FullJitter(0.5, 8), 9, 4.0),  # capped: U(0, 8)
        (EqualJitter(0.5, 8), 3, 1.5),  # 1 + U(0, 1)
        (OpenAISDK(), 1, 0.4375),  # 0.5 · U(0.75, 1]
        (OpenAISDK(), 6, 7.0),  # 8 · U(0.75, 1]
        (FullJitter(5, 2000, first_exponent=1), 1, 5.0),  # Brooker: the first retry's window is 2·base
    ],
)
def test_means_match_the_formulas(policy, n, expected_mean):
    assert statistics.fmean(policy.samples(n, count=20_000, seed=7)) == pytest.approx(expected_mean, rel=0.03)


def test_exponential_without_jitter_doubles_then_caps():
    policy = Exponential(0.5, 8)
    assert [policy.delay(n, random.Random()) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 8, 8]
    assert Exponential(5, 2000, first_exponent=1).delay(1, random.Random()) == 10


def test_decorrelated_jitter_grows_from_the_previous_delay():
    policy, rng = DecorrelatedJitter(1, 100), random.Random(3)
    for previous in (1.0, 4.0, 30.0):
        delays = [policy.delay(2, rng, previous) for _ in range(2000)]
        assert min(delays) >= 1 and max(delays) <= min(100, 3 * previous)


def test_same_seed_same_delays():
    for policy in POLICIES:
        assert policy.samples(4, 50, seed=11) == policy.samples(4, 50, seed=11)


def test_openai_sdk_schedule_honours_retry_after_like_the_sdk():
    sdk, rng = OpenAISDK(), random.Random(0)
    assert sdk.delay(1, rng, retry_after=20) == 20
    assert sdk.delay(1, rng, retry_after=120) == 120
    assert sdk.delay(1, rng, retry_after=121) is None  # above 120 s the SDK does not retry at all
    assert 0.375 < sdk.delay(1, rng, retry_after=0) <= 0.5
    assert 0.375 < sdk.delay(1, rng, retry_after=-10) <= 0.5


def test_retry_after_wrapper_waits_at_least_the_hint_and_stops_above_its_cap():
    policy, rng = RetryAfter(FullJitter(0.5, 8), cap=30, jitter=0.1), random.Random(0)
    waits = [policy.delay(1, rng, retry_after=20) for _ in range(500)]
    assert min(waits) >= 20 and max(waits) <= 22
    assert policy.delay(1, rng, retry_after=31) is None
    assert 0 <= policy.delay(1, rng) <= 0.5  # no hint: the inner policy


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: FullJitter(-1, 8), "base"),
        (lambda: FullJitter(10, 8), "base"),
        (lambda: Exponential(0.5, -2), "cap"),
        (lambda: Constant(-0.1), "delay"),
        (lambda: EqualJitter(float("nan"), 1), "base"),
        (lambda: make_backoff("linear"), "strategy"),
        (lambda: RetryAfter(FullJitter(), cap=-5), "cap"),
    ],
)
def test_bad_parameters_raise_a_clear_value_error(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_make_backoff_by_name():
    assert isinstance(make_backoff("full_jitter", 1, 10), FullJitter)
    assert isinstance(make_backoff("openai_sdk"), OpenAISDK)
    assert make_backoff("none").delay(1, random.Random()) == 0

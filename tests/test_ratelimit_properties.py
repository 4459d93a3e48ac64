"""Property tests for the continuous-refill bucket and the API's duration format."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.ratelimit import Bucket, format_duration

arrivals = st.lists(st.tuples(st.floats(0, 30, allow_nan=False), st.integers(1, 50)), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(limit=st.integers(1, 200), window=st.sampled_from([1.0, 60.0, 86_400.0]), events=arrivals)
def test_never_admits_more_than_capacity_plus_refill(limit, window, events):
    bucket = Bucket(limit, window)
    now, admitted = 0.0, []
    for gap, cost in events:
        now += gap
        if bucket.take(cost, now).admitted:
            admitted.append((now, cost))
    for i, (start, _) in enumerate(admitted):
        total = 0
        for t, cost in admitted[i:]:
            total += cost
            assert total <= limit + (t - start) * limit / window + 1e-6


@settings(max_examples=300, deadline=None)
@given(limit=st.integers(1, 100_000), used=st.integers(0, 100_000), requested=st.integers(1, 100_000))
def test_try_again_in_is_exact(limit, used, requested):
    used = min(used, limit)
    bucket = Bucket(limit, 60.0)
    if used:
        bucket.take(used, 0.0)
    decision = bucket.check(requested, 0.0)
    if requested > limit:
        assert decision.never_fits
        return
    if used + requested <= limit:
        assert decision.admitted
        return
    assert (decision.used, decision.limit, decision.requested) == (used, limit, requested)
    expected = (used + requested - limit) / (limit / 60.0)
    assert decision.wait == pytest.approx(expected, rel=1e-12)
    # waiting exactly that long is enough, and a millisecond less is not
    assert bucket.check(requested, decision.wait + 1e-9).admitted
    if decision.wait > 0.002:
        assert not bucket.check(requested, decision.wait - 0.001).admitted


def test_the_worked_example_from_the_reference():
    bucket = Bucket(10_000, 60.0)
    bucket.take(8_554, 0.0)
    decision = bucket.check(3_082, 0.0)
    assert format_duration(decision.wait) == "9.816s"


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0.002, "2ms"),
        (0.00264, "2ms"),
        (0.008, "8ms"),
        (0.12, "120ms"),
        (0.174, "174ms"),
        (0.644, "644ms"),
        (1, "1s"),
        (3, "3s"),
        (20, "20s"),
        (3.89, "3.89s"),
        (8.64, "8.64s"),
        (9.816, "9.816s"),
        (26.604, "26.604s"),
        (86.4, "1m26.4s"),
        (360, "6m0s"),
        (252.172, "4m12.172s"),
        (83_909.144, "23h18m29.144s"),
        (0, "0s"),
        (0.0004, "0s"),
        (3600, "1h0m0s"),
    ],
)
def test_durations_match_the_wire_examples(seconds, text):
    assert format_duration(seconds) == text


GO_DURATION = re.compile(r"(0s|[1-9]\d{0,2}ms|((\d+h)?\d+m)?\d+(\.\d{1,3})?s)\Z")


@given(st.floats(0, 10 * 86_400, allow_nan=False))
def test_every_duration_is_well_formed_and_truncated(seconds):
    text = format_duration(seconds)
    assert GO_DURATION.match(text), text
    assert _parse(text) <= seconds + 1e-9
    assert seconds - _parse(text) < 0.001 + 1e-9


def _parse(text: str) -> float:
    if text.endswith("ms"):
        return int(text[:-2]) / 1000
    total = 0.0
    for number, unit in re.findall(r"([\d.]+)([hms])", text):
        total += float(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def test_drain_never_goes_below_empty_and_refills():
    bucket = Bucket(3, 60.0)
    for _ in range(3):
        assert bucket.take(1, 0.0).admitted
    bucket.drain(5, 0.0)
    assert bucket.level(0.0) == 0
    assert bucket.remaining(20.0) == 1
    assert bucket.reset_after(20.0) == pytest.approx(40.0)


@pytest.mark.parametrize("kwargs", [dict(limit=0), dict(limit=-1), dict(limit=5, window=0), dict(limit=5, capacity=0)])
def test_bad_parameters_are_refused_clearly(kwargs):
    with pytest.raises(ValueError, match="must be positive"):
        Bucket(**kwargs)


def test_quantized_capacity_refuses_bursts_below_the_minute_rate():
    bucket = Bucket(60, 60.0, capacity=1)
    assert bucket.take(1, 0.0).admitted
    assert not bucket.take(1, 0.5).admitted
    assert bucket.take(1, 1.0).admitted
    assert math.isinf(bucket.check(2, 5.0).wait)

"""Brooker's contended-row (OCC) experiment: the blog's orderings, reproducibility, the CLI (contract 4) and
friendly refusals. Sizes are kept small enough that every test takes a second or two."""

from __future__ import annotations

import heapq
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.experiments import occ
from helpers.experiments.occ import BROOKER_STRATEGIES, contention_backoff, run_contention, simulate, sweep

ROOT = Path(__file__).resolve().parent.parent
JITTERED = ("equal_jitter", "full_jitter", "decorrelated_jitter")


@pytest.fixture(scope="module")
def at_100():
    """100 clients, 30 runs, seed 0, every strategy: {strategy: result}."""
    return {r.strategy: r for r in run_contention(100, 30, seed=0)}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers.experiments", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# --- what the blog concluded, at 100 clients -------------------------------------------------------------


def test_results_come_in_the_contract_order(at_100):
    assert list(at_100) == list(BROOKER_STRATEGIES)
    assert all(r.clients == 100 and r.runs == 30 and len(r.writes) == 30 for r in at_100.values())


def test_no_backoff_does_far_more_writes_than_full_jitter(at_100):
    assert at_100["none"].mean_writes > 3 * at_100["full_jitter"].mean_writes


def test_exponential_without_jitter_takes_far_longer_than_every_jittered_strategy(at_100):
    for name in JITTERED:
        assert at_100["exponential"].mean_completion_ms > 2 * at_100[name].mean_completion_ms, name
    assert at_100["exponential"].mean_completion_ms > 2 * at_100["none"].mean_completion_ms


def test_full_and_equal_jitter_do_less_work_than_exponential(at_100):
    for name in ("full_jitter", "equal_jitter"):
        assert at_100[name].mean_writes < at_100["exponential"].mean_writes, name


def test_jitter_cuts_the_work_of_both_unjittered_approaches(at_100):
    for name in JITTERED:
        assert at_100[name].mean_writes < 0.6 * at_100["exponential"].mean_writes, name
        assert at_100[name].mean_writes < 0.6 * at_100["none"].mean_writes, name


def test_full_and_equal_jitter_do_about_the_same_work_and_decorrelated_more(at_100):
    full, equal = at_100["full_jitter"].mean_writes, at_100["equal_jitter"].mean_writes
    assert abs(full - equal) < 0.1 * full
    assert at_100["decorrelated_jitter"].mean_writes > 1.1 * full


def test_equal_jitter_finishes_last_among_the_jittered(at_100):
    assert at_100["equal_jitter"].mean_completion_ms > 1.2 * at_100["full_jitter"].mean_completion_ms
    assert at_100["equal_jitter"].mean_completion_ms > 1.2 * at_100["decorrelated_jitter"].mean_completion_ms


def test_without_backoff_work_grows_about_quadratically_and_time_about_linearly():
    small, large = (run_contention(n, 20, seed=0, strategies=["none"])[0] for n in (25, 50))
    assert large.mean_writes > 3 * small.mean_writes  # doubling the clients: ×4 for N², ×2 for N
    assert 1.4 < large.mean_completion_ms / small.mean_completion_ms < 2.2


# --- the setup ----------------------------------------------------------------------------------------------


def test_a_lone_client_writes_once_after_four_network_trips():
    for strategy in BROOKER_STRATEGIES:
        (result,) = run_contention(1, 50, seed=3, strategies=[strategy])
        assert result.writes == (1,) * 50
        assert all(20 < t < 60 for t in result.completion_ms)  # four trips of about 10 ms each
        assert 37 < result.mean_completion_ms < 43


def test_every_client_writes_successfully_once():
    for result in run_contention(20, 10, seed=1):
        assert all(w >= 20 for w in result.writes)
        assert all(t > 0 for t in result.completion_ms)


def test_brooker_indexing_first_retry_window_is_twice_the_base():
    assert contention_backoff("full_jitter").bounds(1) == (0.0, 10.0)
    assert contention_backoff("equal_jitter").bounds(1) == (5.0, 10.0)
    assert contention_backoff("exponential").bounds(1) == (10.0, 10.0)
    assert contention_backoff("exponential").bounds(9) == (2000.0, 2000.0)  # 5·2⁹ = 2560 is capped


class _Spy(occ.Backoff):
    """Decorrelated jitter that records every call (retry number, previous delay) and what it returned."""

    def __init__(self):
        self.inner = contention_backoff("decorrelated_jitter")
        self.calls = []

    def delay(self, n, rng, previous=None, retry_after=None):
        out = self.inner.delay(n, rng, previous)
        self.calls.append((n, previous, out))
        return out


def test_each_client_counts_its_own_attempts_and_keeps_its_own_backoff_state():
    spy = _Spy()
    writes, _ = simulate(30, spy, random.Random(7))
    assert len(spy.calls) == writes - 30  # one backoff per failed write
    firsts = [c for c in spy.calls if c[0] == 1]
    assert len(firsts) > 1
    assert all(previous is None for n, previous, _ in firsts)  # a fresh state for every client
    assert all(previous is not None for n, previous, _ in spy.calls if n > 1)
    returned = {out for _, _, out in spy.calls}
    assert all(previous in returned for n, previous, _ in spy.calls if n > 1)


def _message_by_message(clients: int, strategy: str, rng: random.Random) -> tuple[int, float]:
    """An independent check of the engine: one heap event per message, the way the blog's simulator works."""
    policy = contention_backoff(strategy)

    def net():
        return abs(rng.gauss(10.0, 2.0))

    version, writes, now, seq = 0, 0, 0.0, 0
    attempts, previous = [0] * clients, [None] * clients
    queue = []

    def send(at, kind, client, payload=None):
        nonlocal seq
        seq += 1
        heapq.heappush(queue, (at, seq, kind, client, payload))

    for client in range(clients):
        send(net(), "read", client)
    while queue:
        at, _, kind, client, payload = heapq.heappop(queue)
        assert at >= now
        now = at
        if kind == "read":  # at the server
            send(now + net(), "read_reply", client, version)
        elif kind == "read_reply":  # at the client
            send(now + net(), "write", client, payload)
        elif kind == "write":  # at the server
            writes += 1
            ok = payload == version
            if ok:
                version += 1
            send(now + net(), "write_reply", client, ok)
        elif not payload:  # a failed write's answer, at the client
            attempts[client] += 1
            previous[client] = policy.delay(attempts[client], rng, previous[client])
            send(now + net() + previous[client], "read", client)
    return writes, now


@pytest.mark.parametrize("strategy", BROOKER_STRATEGIES)
def test_engine_agrees_with_a_message_by_message_simulation(strategy):
    runs = 150
    reference = [_message_by_message(20, strategy, random.Random(f"reference/{strategy}/{i}")) for i in range(runs)]
    (ours,) = run_contention(20, runs, seed=0, strategies=[strategy])
    ref_writes = sum(w for w, _ in reference) / runs
    ref_time = sum(t for _, t in reference) / runs
    assert ours.mean_writes == pytest.approx(ref_writes, rel=0.06)
    assert ours.mean_completion_ms == pytest.approx(ref_time, rel=0.08)


# --- reproducibility ---------------------------------------------------------------------------------------


def test_same_seed_same_numbers_and_different_seed_different_numbers():
    first = run_contention(30, 5, seed=11)
    assert run_contention(30, 5, seed=11) == first
    other = run_contention(30, 5, seed=12)
    for a, b in zip(first, other):
        assert (a.writes, a.completion_ms) != (b.writes, b.completion_ms)


def test_sweep_is_run_contention_at_each_count():
    results = sweep([5, 15], runs=3, seed=2, strategies=["none", "full_jitter"])
    assert [(r.clients, r.strategy) for r in results] == [
        (5, "none"),
        (5, "full_jitter"),
        (15, "none"),
        (15, "full_jitter"),
    ]
    assert results[2:] == run_contention(15, 3, seed=2, strategies=["none", "full_jitter"])


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(clients=0), "clients"),
        (dict(clients=2.5), "clients"),
        (dict(runs=0), "runs"),
        (dict(runs=-3), "runs"),
        (dict(strategies=["full_jitter", "bogus"]), "strategies"),
        (dict(strategies=[]), "strategies"),
        (dict(base_ms=-1.0), "base_ms"),
        (dict(base_ms=float("nan")), "base_ms"),
        (dict(cap_ms=-5.0), "cap_ms"),
        (dict(base_ms=50.0, cap_ms=20.0), "base_ms"),
        (dict(seed="zero"), "seed"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    args = {"clients": 5, "runs": 2, **kwargs}
    with pytest.raises(ValueError, match=name):
        run_contention(**args)


def test_too_large_is_refused_with_a_way_to_run_it_anyway(monkeypatch):
    with pytest.raises(ValueError, match="allow_large=True") as info:
        run_contention(5000, 1000)
    assert "--allow-large" in str(info.value)
    with pytest.raises(ValueError, match="allow_large"):
        sweep(range(10, 200, 10), runs=100)  # Brooker's full sweep
    monkeypatch.setattr(occ, "MAX_WORK", 10)
    with pytest.raises(ValueError, match="allow_large"):
        run_contention(5, 1)
    assert len(run_contention(5, 1, allow_large=True)) == len(BROOKER_STRATEGIES)


def test_the_largest_blog_point_is_within_the_limit():
    assert occ.estimate_work(190, 100, len(BROOKER_STRATEGIES)) <= occ.MAX_WORK
    assert occ.estimate_work(5000, 1000, len(BROOKER_STRATEGIES)) > occ.MAX_WORK


# --- the command line (contract 4) -------------------------------------------------------------------------


def test_cli_json_has_the_contract_keys():
    done = _cli("contention", "--clients", "12", "--runs", "4", "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {k: data[k] for k in ("experiment", "clients", "runs", "seed", "base_ms", "cap_ms")} == {
        "experiment": "contention",
        "clients": 12,
        "runs": 4,
        "seed": 3,
        "base_ms": 5.0,
        "cap_ms": 2000.0,
    }
    names = [r["strategy"] for r in data["results"]]
    assert names == list(occ.contention_strategies()) and set(BROOKER_STRATEGIES) <= set(names)
    assert "openai_sdk" not in names  # a fixed schedule in seconds means nothing in milliseconds
    expected = run_contention(12, 4, seed=3, strategies=names)
    for row, result in zip(data["results"], expected):
        assert set(row) == {"strategy", "mean_writes", "mean_completion_ms"}
        assert isinstance(row["mean_writes"], float) and isinstance(row["mean_completion_ms"], float)
        assert (row["mean_writes"], row["mean_completion_ms"]) == (result.mean_writes, result.mean_completion_ms)


def test_cli_table_names_every_strategy():
    done = _cli("contention", "--clients", "8", "--runs", "3")
    assert done.returncode == 0, done.stderr
    for name in BROOKER_STRATEGIES:
        assert name in done.stdout
    assert "mean writes" in done.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["contention", "--clients", "0", "--runs", "3"], "--clients"),
        (["contention", "--runs", "0"], "--runs"),
        (["contention", "--clients", "many"], "--clients"),
        (["contention", "--base-ms", "-2"], "--base-ms"),
        (["contention", "--base-ms", "30", "--cap-ms", "10"], "--cap-ms"),
        (["contention", "--clients", "5000", "--runs", "1000", "--json"], "--allow-large"),
        (["contention", "--frobnicate"], "--frobnicate"),
        (["no-such-experiment"], "no-such-experiment"),
        ([], "required"),
    ],
)
def test_cli_bad_arguments_give_one_friendly_line(args, needle):
    done = _cli(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert needle in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""

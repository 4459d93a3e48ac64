"""The contended-row (OCC) experiment: our engine against a minimal heapq loop written out inline.

The baseline below does the same experiment with nothing around it: no policy objects, no validation, no
result objects, the backoff formulas typed in place. It uses the same event model (one heap entry per write
attempt) and draws the same random numbers in the same order, so it must reproduce our means exactly; the
benchmark checks that before it times anything.
"""

from __future__ import annotations

import heapq
import random
import time

from helpers.experiments.occ import BROOKER_STRATEGIES, run_contention, sweep

from .common import report

CLIENTS, RUNS = 100, 40
SWEEP_CLIENTS, SWEEP_RUNS = range(10, 191, 30), 10
ROUNDS = 3


def minimal_run(clients: int, strategy: str, rng: random.Random) -> tuple[int, float]:
    g = rng.gauss
    u = rng.random
    kind = BROOKER_STRATEGIES.index(strategy)
    heap = []
    for c in range(clients):
        r = abs(g(10.0, 2.0))
        heap.append((r + abs(g(10.0, 2.0)) + abs(g(10.0, 2.0)), r, c))
    heapq.heapify(heap)
    tries = [0] * clients
    sleep = [5.0] * clients
    last = -1.0
    writes = 0
    end = 0.0
    while heap:
        t, r, c = heapq.heappop(heap)
        writes += 1
        if r > last:
            last = t
            done = t + abs(g(10.0, 2.0))
            if done > end:
                end = done
            continue
        n = tries[c] = tries[c] + 1
        if kind == 0:
            b = 0.0
        elif kind == 1:
            b = min(2000.0, 5.0 * 2.0**n)
        elif kind == 2:
            half = min(2000.0, 5.0 * 2.0**n) / 2
            b = half + half * u()
        elif kind == 3:
            b = min(2000.0, 5.0 * 2.0**n) * u()
        else:
            b = sleep[c] = min(2000.0, 5.0 + (3 * sleep[c] - 5.0) * u())
        r = t + abs(g(10.0, 2.0)) + abs(g(10.0, 2.0)) + b
        heapq.heappush(heap, (r + abs(g(10.0, 2.0)) + abs(g(10.0, 2.0)), r, c))
    return writes, end


def minimal_means(clients: int, runs: int, seed: int = 0) -> list[tuple[str, float, float]]:
    out = []
    for name in BROOKER_STRATEGIES:
        total_writes = total_time = 0.0
        for i in range(runs):
            w, e = minimal_run(clients, name, random.Random(f"occ/{seed}/{name}/{clients}/{i}"))
            total_writes += w
            total_time += e
        out.append((name, total_writes / runs, total_time / runs))
    return out


def minimal_sweep() -> list[tuple[str, float, float]]:
    return [row for clients in SWEEP_CLIENTS for row in minimal_means(clients, SWEEP_RUNS)]


def ours() -> list[tuple[str, float, float]]:
    return [(r.strategy, r.mean_writes, r.mean_completion_ms) for r in run_contention(CLIENTS, RUNS, seed=0)]


def ours_sweep() -> list[tuple[str, float, float]]:
    return [(r.strategy, r.mean_writes, r.mean_completion_ms) for r in sweep(SWEEP_CLIENTS, runs=SWEEP_RUNS, seed=0)]


def best_seconds(fns: dict, rounds: int = ROUNDS) -> tuple[dict[str, float], dict[str, object]]:
    """The best of `rounds` timings of each function, taking turns so that machine noise hits all alike;
    also what each returned (the same every round)."""
    best, results = dict.fromkeys(fns, float("inf")), {}
    for _ in range(rounds):
        for name, fn in fns.items():
            started = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - started)
    return best, results


def run() -> None:
    secs, results = best_seconds({"minimal": lambda: minimal_means(CLIENTS, RUNS), "ours": ours})
    assert results["ours"] == results["minimal"], "the engine and the minimal loop disagree"
    report(
        "occ_ratio",
        secs["ours"] / secs["minimal"],
        "x",
        1.0,
        f"minimal-heapq-loop {secs['minimal']:.3f}s vs run_contention {secs['ours']:.3f}s "
        f"({CLIENTS}-clients x {RUNS}-runs x 5-strategies; target<=1.5)",
    )

    secs, results = best_seconds({"minimal": minimal_sweep, "ours": ours_sweep}, rounds=2)
    assert results["ours"] == results["minimal"], "the engine and the minimal loop disagree on the sweep"
    report(
        "occ_sweep_s",
        secs["ours"],
        "s",
        secs["minimal"],
        f"minimal-heapq-loop-same-sweep ({secs['minimal']:.2f}s; clients-10..190-step-30 x "
        f"{SWEEP_RUNS}-runs x 5-strategies; target<=5s)",
    )


if __name__ == "__main__":
    run()

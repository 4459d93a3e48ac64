"""The rate-limit experiment engine: 100 clients over 60 simulated seconds with full jitter."""

from __future__ import annotations

import json
import time

from helpers.experiments.engine import lab_world, run_load
from helpers.retry import FullJitter, MaxAttempts, RetryPolicy
from helpers.simulator import SimRequest, Simulator

from .common import report

SETTINGS = dict(clients=100, requests_per_client=3, rpm=120, tpm=1_000_000, horizon_s=60.0)


def _engine_run():
    policy = RetryPolicy(FullJitter(0.5, 8.0), (MaxAttempts(12),))
    return run_load(policy=policy, seed=0, **SETTINGS)


def _bare_simulator(attempts: int) -> None:
    """The same number of answers from the simulator core, with no engine around it."""
    sim = Simulator(lab_world(SETTINGS["rpm"], SETTINGS["tpm"]))
    body = json.dumps(
        {"model": "gpt-4o-mini", "max_tokens": 100, "messages": [{"role": "user", "content": "x" * 400}]}
    ).encode()
    request = SimRequest("POST", "/v1/chat/completions", {"authorization": "Bearer sk-lab"}, body)
    for i in range(attempts):
        sim.handle(request, now=i * 60.0 / attempts)


def run() -> None:
    best_engine, best_bare, result = float("inf"), float("inf"), None
    for _ in range(5):
        started = time.perf_counter()
        result = _engine_run()
        best_engine = min(best_engine, time.perf_counter() - started)
        started = time.perf_counter()
        _bare_simulator(result.metrics.attempts)
        best_bare = min(best_bare, time.perf_counter() - started)
    simulated = result.metrics.drain_time_s
    report(
        "ratelimit_experiment_ms",
        best_engine * 1000,
        "ms",
        best_bare * 1000,
        f"the simulator core answering the same {result.metrics.attempts} requests in a bare loop "
        f"({best_bare * 1000:.0f} ms); {simulated:.0f} simulated s at {simulated / best_engine:,.0f} "
        "simulated s per wall s",
    )


if __name__ == "__main__":
    run()

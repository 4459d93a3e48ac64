"""Notebook 08's batch: 60 summaries sent through `process_all` against 30 requests a minute, each answer
taking 2 s, optionally beside a neighbour that shares the key. The notebook and its exercise check run the
very same experiment from here."""

from __future__ import annotations

import asyncio
from typing import NamedTuple

from ..clock import ConcurrentVirtualClock
from ..retry import FullJitter, MaxAttempts, RetryAfter, RetryPolicy
from ..retry.processor import JobResult, process_all
from ..retry.throttle import Throttle
from ..simulator import Simulator, async_http_client
from .engine import lab_world
from .sdk_load import run_coroutine

RPM, TPM, LATENCY_S = 30, 40_000, 2.0
JOBS = [
    {
        "model": "gpt-4o-mini",
        "max_tokens": 200,
        "messages": [{"role": "user", "content": f"Summarise document {i}: " + "lorem ipsum " * 30}],
    }
    for i in range(60)
]
POLICY = RetryPolicy(RetryAfter(FullJitter(0.5, 8)), (MaxAttempts(6),))
NEIGHBOUR_REQUEST = {
    "model": "gpt-4o-mini",
    "max_tokens": 50,
    "messages": [{"role": "user", "content": "Status report, please."}],
}


class BatchRun(NamedTuple):
    results: list[JobResult]
    simulator: Simulator  # its log holds every request, the neighbour's too
    finished_s: float  # simulated seconds until the last job ended


def run_batch(
    max_concurrency: int, headroom: float | None = None, *, key: str = "sk-lab", neighbour_every: float | None = None
) -> BatchRun:
    """Send the JOBS with `process_all`, at most `max_concurrency` at a time. `headroom=None` sends without
    a throttle; otherwise a throttle plans for that share of the limit. `neighbour_every=s` adds another
    program on the same key that sends one request every s seconds until the batch is done."""
    clock = ConcurrentVirtualClock()  # shared by the simulator, the throttle and the retry loops
    simulator = Simulator(lab_world(rpm=RPM, tpm=TPM), clock=clock, faults={"gpt-4o-mini": {"latency_s": LATENCY_S}})
    http = async_http_client(simulator, headers={"Authorization": f"Bearer {key}"})
    throttle = None if headroom is None else Throttle(rpm=RPM, tpm=TPM, headroom=headroom)
    finished: list[float] = []

    async def batch():
        results = await process_all(
            JOBS,
            lambda body: http.post("/chat/completions", json=body),
            policy=POLICY,
            clock=clock,
            throttle=throttle,
            max_concurrency=max_concurrency,
        )
        finished.append(clock.now())
        return results

    async def neighbour():
        while not finished:
            await http.post("/chat/completions", json=NEIGHBOUR_REQUEST)
            await clock.asleep(neighbour_every)

    async def main():
        results, *_ = await asyncio.gather(batch(), *([neighbour()] if neighbour_every else []))
        await http.aclose()
        return results

    return BatchRun(run_coroutine(main()), simulator, finished[0])

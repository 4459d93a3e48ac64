"""The official SDK under load: many `AsyncOpenAI` clients with their built-in retries, all at once, in
virtual time against one simulator. And the nesting trap: a retry loop wrapped around the SDK's own."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass

import openai

from ..clock import ConcurrentVirtualClock
from ..retry.budgets import MaxAttempts
from ..retry.loop import send_with_retries
from ..retry.policies import FullJitter
from ..retry.policy import RetryPolicy
from ..simulator import Simulator, make_async_client, make_client
from .engine import LAB_KEY, lab_world


@dataclass
class SDKLoadResult:
    calls: int  # logical calls made by the application
    succeeded: int
    errors: dict[str, int]  # exception class -> count
    http_attempts: int  # requests the simulator saw
    retries: int  # attempts with x-stainless-retry-count > 0
    finished_at: float  # simulated seconds when the last call returned
    simulator: Simulator

    @property
    def amplification(self) -> float:
        return self.http_attempts / self.calls


def run_coroutine(coro):
    """Run a coroutine to completion, also from inside Jupyter (whose own event loop is already running)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", asyncio.run(coro)))
    thread.start()
    thread.join()
    return box["result"]


async def arun_sdk_load(
    *,
    clients: int = 20,
    calls_per_client: int = 3,
    rpm: int = 60,
    tpm: int = 100_000,
    max_retries: int = 2,
    model: str = "gpt-4o-mini",
    key: str = LAB_KEY,
    seed: int = 0,
) -> SDKLoadResult:
    if clients < 1 or calls_per_client < 1:
        raise ValueError(f"clients and calls_per_client must be at least 1, got {clients} and {calls_per_client}")
    sim = Simulator(lab_world(rpm, tpm), seed=seed, clock=ConcurrentVirtualClock())
    outcomes: Counter = Counter()
    finished = [0.0]

    async def one_client(index: int) -> None:
        client = make_async_client(key, sim, max_retries=max_retries, seed=seed * 100_003 + index)
        for _ in range(calls_per_client):
            try:
                await client.chat.completions.create(
                    model=model, max_tokens=50, messages=[{"role": "user", "content": f"client {index}"}]
                )
                outcomes["ok"] += 1
            except openai.APIError as exc:
                outcomes[type(exc).__name__] += 1
        finished[0] = max(finished[0], sim.clock.now())
        await client.close()

    await asyncio.gather(*(one_client(i) for i in range(clients)))
    ok = outcomes.pop("ok", 0)
    return SDKLoadResult(
        calls=clients * calls_per_client,
        succeeded=ok,
        errors=dict(outcomes),
        http_attempts=len(sim.log),
        retries=sum(1 for e in sim.log if (e.retry_count or 0) > 0),
        finished_at=finished[0],
        simulator=sim,
    )


def run_sdk_load(**kwargs) -> SDKLoadResult:
    """`arun_sdk_load`, callable from plain code and from notebooks alike."""
    return run_coroutine(arun_sdk_load(**kwargs))


@dataclass
class NestingResult:
    outer_attempts: int
    sdk_attempts_per_call: int
    http_calls: int  # what the server received for ONE logical call


def measure_nesting(outer_attempts: int = 6, sdk_max_retries: int = 2, seed: int = 0) -> NestingResult:
    """Wrap a retry loop of `outer_attempts` attempts around an SDK client that keeps its own retries, against
    a model that is always overloaded, and count what reaches the server for a single logical call."""
    sim = Simulator(seed=seed, faults={"gpt-demo-busy": {"overload_period_s": 1.0, "overload_busy_s": 1.0}})
    sdk = make_client("sk-demo-ok", sim, max_retries=sdk_max_retries, seed=seed)
    policy = RetryPolicy(FullJitter(1.0, 60.0), (MaxAttempts(outer_attempts),))
    send_with_retries(
        lambda: sdk.chat.completions.create(model="gpt-demo-busy", messages=[{"role": "user", "content": "Hello"}]),
        policy,
        sim.clock,
        seed=seed,
    )
    return NestingResult(outer_attempts, sdk_max_retries + 1, len(sim.log))

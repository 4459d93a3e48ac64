"""What every benchmark shares: the output line, a timer, and a world whose limits never get in the way."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from helpers.world import DEFAULT_WORLD_PATH, World, world_from_dict

CHAT_BODY = {"model": "gpt-4o-mini", "max_tokens": 20, "messages": [{"role": "user", "content": "Hello there"}]}


def report(name: str, value: float, unit: str, baseline_value: float, baseline: str) -> None:
    ratio = value / baseline_value if baseline_value else float("nan")
    print(f"BENCH {name} {value:.4g} {unit} ratio={ratio:.3f} baseline={baseline}", flush=True)


def rate(fn: Callable[[], object], count: int) -> float:
    """Calls per second of `fn`, after a short warm-up."""
    for _ in range(min(50, count)):
        fn()
    started = time.perf_counter()
    for _ in range(count):
        fn()
    return count / (time.perf_counter() - started)


def best_rates(fns: dict[str, Callable[[], object]], count: int, rounds: int = 5) -> dict[str, float]:
    """The best of `rounds` rates for each function, taking turns so that machine noise hits all alike."""
    best = dict.fromkeys(fns, 0.0)
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = max(best[name], rate(fn, count // rounds))
    return best


def unlimited_world_dict() -> dict:
    """The default world with rate limits and spend caps lifted, so throughput measures the happy path."""
    raw = json.loads(DEFAULT_WORLD_PATH.read_text(encoding="utf-8"))
    for tier in raw["tiers"].values():
        for limits in tier["limits"].values():
            for kind in list(limits):
                limits[kind] = 10**12
    for org in raw["organizations"].values():
        org["limit_usd"] = None
    return raw


def unlimited_world() -> World:
    return world_from_dict(unlimited_world_dict())

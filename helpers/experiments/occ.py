"""The contended-row experiment (Brooker, AWS Architecture Blog, 2015): many clients race to update one row.

Setup (../shared/reference/backoff.md §2.1): one row holds a version number, and an optimistic-concurrency
(OCC) server guards it. Every client starts at t = 0 and wants to update the row exactly once:

1. it sends a read; the server answers with the current version;
2. on the answer it sends a write carrying that version; the server, when the write *arrives*, counts one
   write call and accepts it only if the version is still the same (then it increments the version);
3. the server's answer travels back; on success the client is done, on failure it increments its attempt
   counter and then sleeps ``network delay + backoff(attempt)`` before its next read reaches the server
   (as in the published simulator, that network delay is the trip of the new read request).

Every one-way message takes ``abs(normal(10 ms, 2 ms))``. Backoff: base 5 ms, cap 2,000 ms, Brooker's
indexing (the first retry's window is 2·base), one backoff state per client. Per run we record the write
calls the server received (reads are not counted: that is the "work") and the completion time, the moment
the last client receives its successful answer. Results are means over independent, seeded runs.

The engine is a small discrete-event loop on a binary heap, specialised for this one experiment. A read
needs no event of its own: a write succeeds exactly when no other write succeeded between its read reaching
the server and the write reaching it, so each attempt is one heap entry (write arrival, read arrival,
client) and the server only remembers when it last accepted a write. The timings and outcomes are the same
as those of a loop with one event per message.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from heapq import heapify, heappop, heapreplace

from ..retry.policies import Backoff
from ..retry.strategies import STRATEGIES, make_backoff

NETWORK_MEAN_MS = 10.0
NETWORK_SD_MS = 2.0
BASE_MS = 5.0
CAP_MS = 2000.0

#: The strategies of the blog post, in its order: the defaults of `run_contention` and `sweep`.
BROOKER_STRATEGIES: tuple[str, ...] = ("none", "exponential", "equal_jitter", "full_jitter", "decorrelated_jitter")


def contention_strategies() -> tuple[str, ...]:
    """Every registered strategy that a base and cap in milliseconds mean something to, in registry order."""
    return tuple(name for name, strategy in STRATEGIES.items() if strategy.scales)


#: Above this many units of estimated work (clients² × runs × strategies, summed over a sweep) an experiment
#: would run for the better part of a minute or more, so it is refused unless the caller insists. A unit costs
#: roughly 0.3 µs here, so 190 clients × 100 runs × 5 strategies (1.8e7, about 6 s) is allowed, while
#: Brooker's whole sweep (10 to 190 clients step 10, 100 runs: about 1.2e8) needs allow_large=True.
MAX_WORK = 10**8


def contention_backoff(strategy: str, base_ms: float = BASE_MS, cap_ms: float = CAP_MS) -> Backoff:
    """The registered strategy in milliseconds, with Brooker's indexing (the first retry's window is 2·base)."""
    return make_backoff(strategy, base_ms, cap_ms, first_exponent=1)


def run_rng(seed: int, strategy: str, clients: int, run: int) -> random.Random:
    """The generator of one run, derived from (seed, strategy, clients, run index); it drives the network
    delays and the jitter alike. String seeds are hashed with SHA-512, so this is stable across processes."""
    return random.Random(f"occ/{seed}/{strategy}/{clients}/{run}")


def simulate(clients: int, policy: Backoff, rng: random.Random) -> tuple[int, float]:
    """One run: (write calls received by the server, completion time in ms).

    Low level: no checks. `policy.delay` must always return a number of ms (never None)."""
    gauss = rng.gauss
    delay = policy.delay
    mean, sd = NETWORK_MEAN_MS, NETWORK_SD_MS
    # One heap entry per client in flight: (write arrives at server, its read arrived at server, client).
    heap = []
    for client in range(clients):
        read_at = abs(gauss(mean, sd))
        heap.append((read_at + abs(gauss(mean, sd)) + abs(gauss(mean, sd)), read_at, client))
    heapify(heap)
    attempts = [0] * clients
    previous: list[float | None] = [None] * clients  # each client's last backoff (decorrelated jitter's state)
    last_accepted = -math.inf  # when the server last accepted a write, i.e. last changed the version
    now = 0.0
    writes = 0
    finished = 0.0
    while heap:
        at, read_at, client = heap[0]
        if at < now:
            raise RuntimeError(f"time ran backwards: {at} < {now}")
        now = at
        writes += 1
        if read_at > last_accepted:  # the version the client read is still current: the write succeeds
            last_accepted = at
            answered = at + abs(gauss(mean, sd))
            if answered > finished:
                finished = answered
            heappop(heap)
        else:  # conflict: the answer travels back, the client backs off, then reads again
            attempt = attempts[client] + 1
            attempts[client] = attempt
            pause = delay(attempt, rng, previous[client])
            previous[client] = pause
            read_at = at + abs(gauss(mean, sd)) + abs(gauss(mean, sd)) + pause
            heapreplace(heap, (read_at + abs(gauss(mean, sd)) + abs(gauss(mean, sd)), read_at, client))
    return writes, finished


@dataclass(frozen=True)
class ContentionResult:
    """Means over `runs` runs for one strategy at one client count, with the per-run values."""

    strategy: str
    clients: int
    runs: int
    mean_writes: float
    mean_completion_ms: float
    writes: tuple[int, ...]
    completion_ms: tuple[float, ...]

    def summary(self) -> dict:
        """The per-strategy entry of the CLI's JSON (contract 4)."""
        return {
            "strategy": self.strategy,
            "mean_writes": self.mean_writes,
            "mean_completion_ms": self.mean_completion_ms,
        }


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


def _check_ms(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of milliseconds, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return float(value)


def _check_strategies(strategies: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(strategies, str):
        strategies = (strategies,)
    try:
        names = tuple(strategies)
    except TypeError:
        raise ValueError(f"strategies must be a list of names, got {strategies!r}") from None
    known = contention_strategies()
    if not names:
        raise ValueError(f"strategies must name at least one of {', '.join(known)}")
    for name in names:
        if name not in known:
            raise ValueError(f"strategies: unknown strategy {name!r}; choose from {', '.join(known)}")
    return names


def _check_common(runs, seed, strategies, base_ms, cap_ms):
    runs = _check_count("runs", runs)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    names = _check_strategies(strategies)
    base, cap = _check_ms("base_ms", base_ms), _check_ms("cap_ms", cap_ms)
    if base > cap:
        raise ValueError(f"base_ms ({base:g}) must not be above cap_ms ({cap:g})")
    return runs, names, base, cap


def estimate_work(clients: int, runs: int, strategies: int) -> int:
    """A rough cost: without backoff the clients collide about clients² / 2 times per run."""
    return clients * clients * runs * strategies


def _refuse_if_large(work: int, what: str) -> None:
    if work > MAX_WORK:
        raise ValueError(
            f"{what} is too large to run quickly (estimated work clients² × runs × strategies = {work:.2g}, "
            f"limit {MAX_WORK:.2g}); it would take minutes or longer. Use fewer clients or runs, or run it anyway with "
            f"allow_large=True (command line: --allow-large)."
        )


def _run_point(
    clients: int, runs: int, seed: int, names: Sequence[str], base: float, cap: float
) -> list[ContentionResult]:
    results = []
    for name in names:
        policy = contention_backoff(name, base, cap)
        writes, times = [], []
        for run in range(runs):
            count, finished = simulate(clients, policy, run_rng(seed, name, clients, run))
            writes.append(count)
            times.append(finished)
        results.append(
            ContentionResult(name, clients, runs, sum(writes) / runs, sum(times) / runs, tuple(writes), tuple(times))
        )
    return results


def run_contention(
    clients: int,
    runs: int,
    seed: int = 0,
    strategies: str | Iterable[str] = BROOKER_STRATEGIES,
    base_ms: float = BASE_MS,
    cap_ms: float = CAP_MS,
    allow_large: bool = False,
) -> list[ContentionResult]:
    """The contended-row experiment at one client count: one result per strategy, in the order given.

    The same arguments always give the same numbers. Raises ValueError, naming the parameter, on bad input,
    and refuses experiments that would take minutes unless `allow_large` is true.
    """
    clients = _check_count("clients", clients)
    runs, names, base, cap = _check_common(runs, seed, strategies, base_ms, cap_ms)
    if not allow_large:
        _refuse_if_large(
            estimate_work(clients, runs, len(names)), f"{clients} clients × {runs} runs × {len(names)} strategies"
        )
    return _run_point(clients, runs, seed, names, base, cap)


def sweep(
    client_counts: Iterable[int] = range(10, 200, 10),
    runs: int = 100,
    seed: int = 0,
    strategies: str | Iterable[str] = BROOKER_STRATEGIES,
    base_ms: float = BASE_MS,
    cap_ms: float = CAP_MS,
    allow_large: bool = False,
) -> list[ContentionResult]:
    """run_contention over several client counts (Brooker's: 10, 20, ..., 190), concatenated in order.

    The size check applies to the whole sweep; Brooker's full sweep with 100 runs needs allow_large=True.
    """
    try:
        counts = [_check_count("client_counts", c) for c in client_counts]
    except TypeError:
        raise ValueError(f"client_counts must be a list of whole numbers, got {client_counts!r}") from None
    if not counts:
        raise ValueError("client_counts must hold at least one client count")
    runs, names, base, cap = _check_common(runs, seed, strategies, base_ms, cap_ms)
    if not allow_large:
        _refuse_if_large(
            sum(estimate_work(c, runs, len(names)) for c in counts),
            f"a sweep over {len(counts)} client counts × {runs} runs × {len(names)} strategies",
        )
    results = []
    for clients in counts:
        results.extend(_run_point(clients, runs, seed, names, base, cap))
    return results

"""The virtual-time engine: many clients, each with a workload and a retry policy, against the simulated
API. A heap of timestamped client wake-ups drives the simulator core directly, so minutes of traffic take
milliseconds. Returns the trace (every attempt) and the metrics computed from it.
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..retry.budgets import MaxAttempts
from ..retry.classify import OK, Kind, Verdict, classify
from ..retry.policies import FullJitter
from ..retry.policy import RetryPolicy
from ..retry.throttle import Throttle
from ..simulator import SimRequest, Simulator
from ..world import DEFAULT_WORLD_PATH, World, world_from_dict
from .metrics import Metrics, compute_metrics

LAB_KEY, LAB_ORG, LAB_MODEL = "sk-lab", "org-lab", "gpt-4o-mini"
DROPPED = Verdict.of(True, Kind.CONNECTION, "dropped")
MAX_ATTEMPTS_WITHOUT_ASKING = 200_000  # beyond this a run takes seconds to minutes: refuse unless allowed


@dataclass(frozen=True)
class TraceRow:
    """One attempt: who sent it, when, what came back, and how long the client then waited."""

    client: int
    request: int  # index in the client's workload
    attempt: int  # 1 for the first attempt
    time: float  # seconds of simulated time
    status: int | None
    kind: Kind
    wait: float | None  # backoff before the next attempt; None when the request ended here
    tokens: int
    final: bool  # the request ended with this attempt (success or given up)
    ready: float = 0.0  # when the request was ready to go (waiting for a throttle counts as latency)


@dataclass
class LoadResult:
    trace: list[TraceRow]
    metrics: Metrics
    params: dict
    simulator: Simulator = field(repr=False)


def lab_world(rpm: int, tpm: int, rpd: int | None = None) -> World:
    """The default world plus one organization whose limits are exactly `rpm` and `tpm` (key `sk-lab`)."""
    raw = json.loads(DEFAULT_WORLD_PATH.read_text(encoding="utf-8"))
    limits = {"rpm": rpm, "tpm": tpm, **({"rpd": rpd} if rpd else {})}
    raw["tiers"]["lab"] = {"payment_method": True, "limits": {"default": limits}}
    raw["organizations"][LAB_ORG] = {
        "name": "Lab",
        "tier": "lab",
        "spend_usd": 0.0,
        "limit_usd": None,
        "billing_code": "insufficient_quota",
    }
    raw["keys"][LAB_KEY] = {"user": "user-ada", "org": LAB_ORG}
    raw["users"]["user-ada"]["orgs"].append(LAB_ORG)
    return world_from_dict(raw)


def _check_params(clients, requests_per_client, prompt_tokens, max_tokens, rpm, tpm, horizon_s, stagger_s):
    for name, value, low in (
        ("clients", clients, 1),
        ("requests_per_client", requests_per_client, 1),
        ("max_tokens", max_tokens, 1),
        ("rpm", rpm, 1),
        ("tpm", tpm, 1),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    for name, value in (("prompt_tokens", prompt_tokens), ("horizon_s", horizon_s), ("stagger_s", stagger_s)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a number of at least 0, got {value!r}")
    if horizon_s <= 0:
        raise ValueError(f"horizon_s must be positive, got {horizon_s!r}")


def run_load(
    *,
    clients: int = 20,
    requests_per_client: int = 3,
    prompt_tokens: int = 100,
    max_tokens: int = 100,
    rpm: int = 60,
    tpm: int = 40_000,
    policy: RetryPolicy | None = None,
    throttle: bool = False,
    throttle_headroom: float = 0.9,
    stagger_s: float = 0.0,
    latency_s: float = 0.5,
    error_latency_s: float = 0.05,
    horizon_s: float = 3600.0,
    model: str = LAB_MODEL,
    seed: int = 0,
    simulator: Simulator | None = None,
    key: str = LAB_KEY,
    workload: Sequence[tuple[int, int]] | None = None,
    allow_large: bool = False,
    progress: Callable[[float], None] | None = None,
) -> LoadResult:
    """Run `clients` clients, each sending `requests_per_client` chat requests one after another.

    `workload`, a list of (prompt_tokens, max_tokens), gives every client requests of those sizes instead.
    `progress`, if given, hears the share of requests finished now and then (for a progress bar).
    Clients start together (`stagger_s=0`) or spread uniformly over `stagger_s` seconds. A success takes
    `latency_s`, an error `error_latency_s`. With `throttle`, all clients share one client-side throttle fed
    by the server's headers (a process pacing its workers). Nothing is scheduled after `horizon_s`.
    """
    _check_params(clients, requests_per_client, prompt_tokens, max_tokens, rpm, tpm, horizon_s, stagger_s)
    if workload is None:
        workload = [(prompt_tokens, max_tokens)] * requests_per_client
    else:
        workload = [(int(p), int(m)) for p, m in workload]
        if not workload or any(p < 0 or m < 1 for p, m in workload):
            raise ValueError("workload must be a non-empty list of (prompt_tokens >= 0, max_tokens >= 1) pairs")
        requests_per_client = len(workload)
    policy = policy or RetryPolicy(FullJitter(0.5, 8.0), (MaxAttempts(6),))
    expected = clients * requests_per_client * _attempt_bound(policy)
    if expected > MAX_ATTEMPTS_WITHOUT_ASKING and not allow_large:
        raise ValueError(
            f"this experiment could make up to {expected:,} attempts and take minutes; use fewer clients or "
            "requests, a tighter attempt budget, or pass allow_large=True to run it anyway"
        )
    sim = simulator or Simulator(lab_world(rpm, tpm), seed=seed)
    rng = random.Random(seed)
    requests = {size: _request(model, key, *size) for size in set(workload)}
    shared_throttle = Throttle(rpm, tpm, headroom=throttle_headroom) if throttle else None

    policies = [policy.fresh() for _ in range(clients)]
    heap = [(rng.uniform(0, stagger_s) if stagger_s else 0.0, c) for c in range(clients)]
    state = [[0, 0, None, at] for at, _ in heap]  # request index, attempts so far, previous wait, ready at
    heapq.heapify(heap)
    for c in range(clients):
        policies[c].start_request()
    trace: list[TraceRow] = []
    booked: set[int] = set()
    total, events = clients * requests_per_client, 0
    while heap:
        events += 1
        if progress is not None and events % 500 == 0:
            progress(sum(1 for row in trace if row.final) / total)
        now, c = heapq.heappop(heap)
        if now > horizon_s:
            continue
        req_index, attempts, previous, ready = state[c]
        size = workload[req_index]
        tokens = size[0] + size[1]
        if shared_throttle is not None and c not in booked and tokens <= tpm:
            wait = shared_throttle.reserve(tokens, now)
            if wait > 0:
                booked.add(c)  # it holds a slot: when it wakes it sends without asking again
                heapq.heappush(heap, (now + wait, c))
                continue
        booked.discard(c)
        response = sim.handle(requests[size], now=now)
        attempts += 1
        if response.drop:
            verdict = DROPPED
        elif response.status < 400:
            verdict = OK
        else:
            verdict = classify(response.status, response.headers, response.json())
        if shared_throttle is not None and not response.drop:
            shared_throttle.observe(response.headers, now)
        if verdict.ok:
            policies[c].record_success(attempts - 1)
            trace.append(TraceRow(c, req_index, attempts, now, response.status, Kind.OK, None, tokens, True, ready))
            _next_request(heap, state, policies, c, now + latency_s + response.latency, requests_per_client)
            continue
        wait = policies[c].next_wait(attempts, verdict, rng, previous)
        status = None if response.drop else response.status
        trace.append(TraceRow(c, req_index, attempts, now, status, verdict.kind, wait, tokens, wait is None, ready))
        if wait is None:
            _next_request(heap, state, policies, c, now + error_latency_s, requests_per_client)
        else:
            state[c] = [req_index, attempts, wait, ready]
            heapq.heappush(heap, (now + error_latency_s + wait, c))
    if progress is not None:
        progress(1.0)
    params = dict(
        clients=clients,
        requests_per_client=requests_per_client,
        workload=workload,
        rpm=rpm,
        tpm=tpm,
        policy=policy.describe(),
        throttle=throttle,
        stagger_s=stagger_s,
        latency_s=latency_s,
        horizon_s=horizon_s,
        model=model,
        seed=seed,
    )
    metrics = compute_metrics(trace, clients * requests_per_client, rpm=rpm, latency_s=latency_s)
    return LoadResult(trace, metrics, params, sim)


def _request(model: str, key: str, prompt_tokens: int, max_tokens: int) -> SimRequest:
    body = json.dumps(
        {"model": model, "max_tokens": max_tokens, "messages": [{"role": "user", "content": "x" * (prompt_tokens * 4)}]}
    ).encode()
    return SimRequest("POST", "/v1/chat/completions", {"authorization": f"Bearer {key}"}, body)


def _next_request(heap, state, policies, c, at, requests_per_client) -> None:
    req_index = state[c][0] + 1
    state[c] = [req_index, 0, None, at]
    if req_index < requests_per_client:
        policies[c].start_request()
        heapq.heappush(heap, (at, c))


def _attempt_bound(policy: RetryPolicy) -> int:
    caps = [b.attempts for b in policy.budgets if hasattr(b, "attempts")]
    return min(caps) if caps else 50

"""Metrics of a load experiment, computed from its trace: did the work get done, at what cost, how fast."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ..retry.classify import Kind


@dataclass
class Metrics:
    requests: int  # logical requests in the workload
    successes: int
    gave_up: int  # requests that ended in an error
    unfinished: int  # requests still pending when the horizon came
    attempts: int
    by_kind: dict[Kind, int]  # attempts per outcome kind
    rate_limited: int  # 429 rate limits and slow-downs received
    quota_errors: int
    amplification: float  # attempts per success (work amplification)
    goodput_rps: float  # successes per second, first attempt to last answer
    limit_rps: float  # the requests-per-minute limit, per second
    goodput_share: float  # successes as a share of what the limit allowed meanwhile (full bucket + refill)
    latency_p50: float  # seconds from a request being ready (throttle waits included) to its answer; successes
    latency_p95: float
    latency_p99: float
    drain_time_s: float  # when the last request ended
    wasted: int  # attempts spent on errors that can never succeed


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def compute_metrics(trace, requests: int, *, rpm: float, latency_s: float = 0.0) -> Metrics:
    kinds = Counter(row.kind for row in trace)
    latencies, successes, gave_up, end, start = [], 0, 0, 0.0, math.inf
    for row in trace:
        start = min(start, row.ready)
        if not row.final:
            continue
        end = max(end, row.time + (latency_s if row.kind is Kind.OK else 0.0))
        if row.kind is Kind.OK:
            successes += 1
            latencies.append(row.time - row.ready + latency_s)
        else:
            gave_up += 1
    span = end - start if trace else 0.0
    goodput = successes / span if span > 0 else 0.0
    limit_rps = rpm / 60.0
    return Metrics(
        requests=requests,
        successes=successes,
        gave_up=gave_up,
        unfinished=requests - successes - gave_up,
        attempts=len(trace),
        by_kind=dict(kinds),
        rate_limited=sum(n for k, n in kinds.items() if k.rate_limited),
        quota_errors=kinds[Kind.QUOTA],
        amplification=len(trace) / successes if successes else math.inf,
        goodput_rps=goodput,
        limit_rps=limit_rps,
        goodput_share=successes / (rpm + limit_rps * span),
        latency_p50=percentile(latencies, 50),
        latency_p95=percentile(latencies, 95),
        latency_p99=percentile(latencies, 99),
        drain_time_s=end,
        wasted=sum(n for k, n in kinds.items() if k.never_succeeds),
    )

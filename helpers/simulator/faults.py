"""Seeded, scheduled faults: the 500s, 503s, slow-downs, slow answers and dropped connections that a
model in the world is configured to produce. Never left to chance: the same seed gives the same faults.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from ..ratelimit import format_duration
from ..world import Model
from . import wire
from .limiter import retry_after_headers
from .wire import ApiError

FAULT_KNOBS = (
    "server_error_share",  # share of requests answered 500
    "drop_share",  # share of connections closed without an answer
    "latency_s",  # how long the server takes to answer
    "overload_period_s",
    "overload_busy_s",  # 503 during the first busy_s of every period_s
    "slow_down_window_s",
    "slow_down_max_requests",  # 429 slow_down above this many requests per window
    "midstream_error_after",  # streams fail after this many content pieces
    "ttft_s",  # seconds before a stream's first piece
    "tokens_per_s",  # pace of a stream's pieces
)


@dataclass
class Outcome:
    """What the faults decided for one admitted request."""

    error: ApiError | None = None
    drop: bool = False
    latency: float = 0.0


class Faults:
    def __init__(
        self,
        seed: int,
        start: float,
        *,
        legacy_overload: bool = False,
        overrides: dict[str, dict[str, float]] | None = None,
    ):
        self.seed = seed
        self.start = start
        self.legacy_overload = legacy_overload
        self.overrides = overrides or {}
        for model, knobs in self.overrides.items():
            unknown = set(knobs) - set(FAULT_KNOBS)
            if unknown:
                raise ValueError(f"unknown fault knob(s) for {model}: {sorted(unknown)}; known: {list(FAULT_KNOBS)}")
        self._rngs: dict[str, random.Random] = {}
        self._recent: dict[tuple[str, str], deque[float]] = {}

    def knobs(self, model: Model) -> dict[str, float]:
        return {**model.faults, **self.overrides.get(model.id, {})}

    def slow_down(self, model: Model, org: str, now: float) -> ApiError | None:
        """429 slow_down when more requests than the model allows arrive within its window."""
        knobs = self.knobs(model)
        window, cap = knobs.get("slow_down_window_s"), knobs.get("slow_down_max_requests")
        if not window or not cap:
            return None
        recent = self._recent.setdefault((org, model.id), deque())
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) >= cap:
            wait = recent[0] + window - now
            message = wire.SLOW_DOWN.format(duration=format_duration(wait))
            return ApiError(429, message, "rate_limit_error", code="slow_down", headers=retry_after_headers(wait))
        recent.append(now)
        return None

    def after_admission(self, model: Model, now: float, request_id: str) -> Outcome:
        knobs = self.knobs(model)
        outcome = Outcome(latency=float(knobs.get("latency_s", 0.0)))
        draw = self._rng(model.id).random()  # one draw per request, so the schedule depends on order only
        if draw < knobs.get("drop_share", 0.0):
            outcome.drop = True
            return outcome
        period, busy = knobs.get("overload_period_s"), knobs.get("overload_busy_s")
        if period and busy:
            phase = (now - self.start) % period
            if phase < busy:
                headers = retry_after_headers(busy - phase)
                outcome.error = wire.overloaded(self.legacy_overload, request_id, headers)
                return outcome
        if draw < knobs.get("server_error_share", 0.0):
            outcome.error = wire.server_error(request_id)
        return outcome

    def _rng(self, model: str) -> random.Random:
        rng = self._rngs.get(model)
        if rng is None:
            rng = self._rngs[model] = random.Random(f"{self.seed}/{model}")
        return rng

"""Continuous-refill buckets, the model that reproduces the API's 429 messages and x-ratelimit headers.

One bucket per limit (requests or tokens, per minute or per day). The same class serves the simulated
server and the client-side throttle that learners build, so both sides agree on what "full" means.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

WINDOW_SECONDS = {"min": 60.0, "day": 86_400.0}
_EPS = 1e-9


@dataclass(frozen=True)
class Decision:
    """What a bucket said about one request: admitted or not, and the numbers the 429 message quotes."""

    admitted: bool
    limit: int
    used: int  # units in use when the request arrived (limit minus level, rounded up)
    requested: int
    wait: float  # seconds until this request would fit; 0 if admitted; inf if it never can

    @property
    def never_fits(self) -> bool:
        return math.isinf(self.wait)


class Bucket:
    """Holds up to `capacity` units and refills continuously at `limit / window` units per second.

    `capacity` defaults to `limit`. A smaller capacity (say one second's worth) mimics the API's
    "quantized" limits, where bursts fail well below the per-minute figure.
    """

    def __init__(self, limit: float, window: float = 60.0, *, now: float = 0.0, capacity: float | None = None):
        if not limit > 0:
            raise ValueError(f"limit must be positive, got {limit!r}")
        if not window > 0:
            raise ValueError(f"window must be positive, got {window!r}")
        self.limit = limit
        self.window = float(window)
        self.capacity = float(limit if capacity is None else capacity)
        if not self.capacity > 0:
            raise ValueError(f"capacity must be positive, got {capacity!r}")
        self.rate = limit / self.window
        self._level = self.capacity
        self._updated = now

    def level(self, now: float) -> float:
        """Units available at `now` (never more than capacity)."""
        elapsed = now - self._updated
        if elapsed <= 0:
            return self._level
        return min(self.capacity, self._level + elapsed * self.rate)

    def _refill(self, now: float) -> None:
        """Bring the stored level up to `now`; observably nothing changes."""
        if now > self._updated:
            self._level = min(self.capacity, self._level + (now - self._updated) * self.rate)
            self._updated = now

    def check(self, cost: float, now: float) -> Decision:
        """Would a request of `cost` units fit now? Changes nothing."""
        level = self.level(now)
        used = max(0, math.ceil(self.capacity - level - _EPS))
        if cost > self.capacity + _EPS:
            return Decision(False, int(self.limit), used, int(cost), math.inf)
        if level + _EPS >= cost:
            return Decision(True, int(self.limit), used, int(cost), 0.0)
        return Decision(False, int(self.limit), used, int(cost), (cost - level) / self.rate)

    def take(self, cost: float, now: float) -> Decision:
        """Admit the request and spend `cost` units if they are there; otherwise spend nothing."""
        decision = self.check(cost, now)
        if decision.admitted:
            self.spend(cost, now)
        return decision

    def spend(self, cost: float, now: float) -> None:
        """Spend `cost` units already checked to be there (see `check`)."""
        self._refill(now)
        self._level -= cost

    def drain(self, cost: float, now: float) -> None:
        """Spend up to `cost` units without asking (a failed request that still counts); never below zero."""
        self._refill(now)
        self._level = max(0.0, self._level - cost)

    def set_level(self, level: float, now: float) -> None:
        """Overwrite what is available (a client learning the truth from the server's headers)."""
        self._refill(now)
        self._level = min(self.capacity, max(0.0, level))

    def remaining(self, now: float) -> int:
        return max(0, math.floor(self.level(now) + _EPS))

    def reset_after(self, now: float) -> float:
        """Seconds until the bucket is full again."""
        return max(0.0, (self.capacity - self.level(now)) / self.rate)

    def __repr__(self) -> str:
        return f"Bucket(limit={self.limit}, window={self.window:g}s, level={self._level:.3f} at t={self._updated:.3f})"


def parse_duration(text: str) -> float:
    """Seconds in a Go-style duration such as `6m0s`, `1m26.4s`, `174ms` (the inverse of format_duration)."""
    text = text.strip()
    if text.endswith("ms") and text[:-2].replace(".", "", 1).isdigit():
        return float(text[:-2]) / 1000
    match = _GO_DURATION.fullmatch(text)
    if not match or not text:
        raise ValueError(f"not a duration: {text!r}")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


_GO_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?")


def format_duration(seconds: float) -> str:
    """Format a wait as the API does (Go's time.Duration text): `174ms`, `9.816s`, `1m26.4s`, `6m0s`.

    Sub-millisecond remainders are dropped, not rounded, as the wire examples show.
    """
    if not seconds > 0 or math.isinf(seconds):
        return "0s"
    total_ms = math.floor(round(seconds * 1000, 6))
    if total_ms == 0:
        return "0s"
    if total_ms < 1000:
        return f"{total_ms}ms"
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, frac = divmod(rest, 1000)
    text = f"{hours}h" if hours else ""
    if hours or minutes:
        text += f"{minutes}m"
    text += str(whole)
    if frac:
        text += "." + f"{frac:03d}".rstrip("0")
    return text + "s"

"""Retry budgets: limits on how many retries a request or a client may spend (backoff.md §3).

Each budget answers `allow(retry, verdict)` before a retry is sent (and spends from itself if it says yes),
hears about each new request and each success, and can make a fresh copy for another client.
"""

from __future__ import annotations

import copy


class Budget:
    name = "budget"

    def start_request(self) -> None:
        """A new logical request begins (its first attempt is about to go out)."""

    def allow(self, retry: int, verdict) -> bool:
        """May retry number `retry` (1 for the first retry) go out?"""
        return True

    def record_success(self, retries: int) -> None:
        """The current request succeeded after `retries` retries."""

    def fresh(self) -> Budget:
        return copy.deepcopy(self)


class MaxAttempts(Budget):
    """At most `attempts` attempts per request, the first included (Google SRE suggests 3)."""

    def __init__(self, attempts: int = 3):
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            raise ValueError(f"attempts must be a whole number of at least 1, got {attempts!r}")
        self.attempts = attempts
        self.name = f"at most {attempts} attempts"

    def allow(self, retry, verdict):
        return retry + 1 <= self.attempts


class RetryRatio(Budget):
    """Per client: retry only while retries stay under `ratio` × requests (Google SRE: 10 %)."""

    def __init__(self, ratio: float = 0.1):
        if not 0 <= ratio:
            raise ValueError(f"ratio must not be negative, got {ratio!r}")
        self.ratio, self.requests, self.retries = ratio, 0, 0
        self.name = f"retries ≤ {ratio:.0%} of requests"

    def start_request(self):
        self.requests += 1

    def allow(self, retry, verdict):
        if self.retries + 1 > self.ratio * self.requests:
            return False
        self.retries += 1
        return True


class RetryQuota(Budget):
    """A token bucket of retries, like the AWS SDKs': a retry costs `retry_cost` tokens (`timeout_cost` for
    timeouts and dropped connections); a first-try success earns `success_reward`; a success after retries
    refunds what its last retry cost. No tokens, no retry."""

    def __init__(self, capacity: float = 500, retry_cost: float = 5, timeout_cost: float = 10,
                 success_reward: float = 1):
        for name, value in (("capacity", capacity), ("retry_cost", retry_cost), ("timeout_cost", timeout_cost),
                            ("success_reward", success_reward)):
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value!r}")
        self.capacity, self.tokens = capacity, capacity
        self.retry_cost, self.timeout_cost, self.success_reward = retry_cost, timeout_cost, success_reward
        self._last_cost = 0.0
        self.name = f"retry quota of {capacity:g} tokens"

    def allow(self, retry, verdict):
        cost = self.timeout_cost if getattr(verdict, "kind", "") in ("timeout", "connection") else self.retry_cost
        if self.tokens < cost:
            return False
        self.tokens -= cost
        self._last_cost = cost
        return True

    def record_success(self, retries):
        refund = self.success_reward if retries == 0 else self._last_cost
        self.tokens = min(self.capacity, self.tokens + refund)

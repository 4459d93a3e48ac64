"""Retry budgets: limits on how many retries a request or a client may spend (backoff.md §3).

Each budget answers `allows(retry, verdict)` before a retry is sent, without spending anything; only once
every budget agrees and the retry really goes out does the policy call `spend(retry, verdict)` on each. Asking
and spending are apart so that a retry refused by a later budget (or by the backoff) costs nothing. Budgets
also hear about each new request and each success, and can make a fresh copy for another client.
"""

from __future__ import annotations

import copy

from ..i18n import translated
from .classify import Verdict


class Budget:
    name = "budget"

    def start_request(self) -> None:
        """A new logical request begins (its first attempt is about to go out)."""

    def allows(self, retry: int, verdict: Verdict) -> bool:
        """May retry number `retry` (1 for the first retry) go out? Asking spends nothing."""
        return True

    def spend(self, retry: int, verdict: Verdict) -> None:
        """Retry number `retry` is going out: charge it."""

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
        self.name = translated("budgets", "max_attempts", "at most {attempts} attempts", attempts=attempts)

    def allows(self, retry, verdict):
        return retry + 1 <= self.attempts


class RetryRatio(Budget):
    """Per client: retry only while retries stay under `ratio` × requests (Google SRE: 10 %)."""

    def __init__(self, ratio: float = 0.1):
        if not 0 <= ratio:
            raise ValueError(f"ratio must not be negative, got {ratio!r}")
        self.ratio, self.requests, self.retries = ratio, 0, 0
        self.name = translated("budgets", "retry_ratio", "retries ≤ {ratio:.0%} of requests", ratio=ratio)

    def start_request(self):
        self.requests += 1

    def allows(self, retry, verdict):
        return self.retries + 1 <= self.ratio * self.requests

    def spend(self, retry, verdict):
        self.retries += 1


class RetryQuota(Budget):
    """A token bucket of retries, like the AWS SDKs': a retry costs `retry_cost` tokens (`timeout_cost` for
    timeouts and dropped connections); a first-try success earns `success_reward`; a success after retries
    refunds what its last retry cost. No tokens, no retry."""

    def __init__(
        self, capacity: float = 500, retry_cost: float = 5, timeout_cost: float = 10, success_reward: float = 1
    ):
        for name, value in (
            ("capacity", capacity),
            ("retry_cost", retry_cost),
            ("timeout_cost", timeout_cost),
            ("success_reward", success_reward),
        ):
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value!r}")
        self.capacity, self.tokens = capacity, capacity
        self.retry_cost, self.timeout_cost, self.success_reward = retry_cost, timeout_cost, success_reward
        self._last_cost = 0.0
        self.name = translated("budgets", "retry_quota", "retry quota of {capacity:g} tokens", capacity=capacity)

    def cost(self, verdict: Verdict) -> float:
        return self.timeout_cost if verdict.kind.no_answer else self.retry_cost

    def allows(self, retry, verdict):
        return self.tokens >= self.cost(verdict)

    def spend(self, retry, verdict):
        self._last_cost = self.cost(verdict)
        self.tokens -= self._last_cost

    def record_success(self, retries):
        refund = self.success_reward if retries == 0 else self._last_cost
        self.tokens = min(self.capacity, self.tokens + refund)

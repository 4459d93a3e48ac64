"""A retry policy: a backoff schedule plus budgets. It decides, for each failure, whether and how long to wait."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..i18n import translated
from .budgets import Budget, MaxAttempts
from .classify import Verdict
from .policies import Backoff, FullJitter


@dataclass
class RetryPolicy:
    backoff: Backoff = field(default_factory=FullJitter)
    budgets: tuple[Budget, ...] = (MaxAttempts(4),)

    def fresh(self) -> RetryPolicy:
        """A copy with untouched budgets, for another client."""
        return RetryPolicy(self.backoff, tuple(b.fresh() for b in self.budgets))

    def start_request(self) -> None:
        for budget in self.budgets:
            budget.start_request()

    def record_success(self, retries: int) -> None:
        for budget in self.budgets:
            budget.record_success(retries)

    def next_wait(self, retry: int, verdict: Verdict, rng: random.Random, previous: float | None) -> float | None:
        """Seconds to wait before retry number `retry`, or None to give up."""
        if not verdict.retryable:
            return None
        if not all(budget.allows(retry, verdict) for budget in self.budgets):
            return None
        wait = self.backoff.delay(retry, rng, previous, verdict.retry_after)
        if wait is not None:  # the retry goes out: only now is it charged, to every budget
            for budget in self.budgets:
                budget.spend(retry, verdict)
        return wait

    def describe(self) -> str:
        limits = "; ".join(b.name for b in self.budgets) or translated("budgets", "none", "no budget")
        return translated(
            "budgets",
            "policy",
            "{backoff}: wait {formula}; {limits}",
            backoff=self.backoff.name,
            formula=self.backoff.formula,
            limits=limits,
        )

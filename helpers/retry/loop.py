"""A retry loop you would use in production, for httpx (sync and async) or any call that raises SDK
errors: a policy decides, a clock sleeps, a hook hears about each retry, and every attempt is recorded.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..clock import Clock
from .classify import OK, Kind, Verdict, classify_exception, classify_response
from .policy import RetryPolicy


@dataclass(frozen=True)
class Attempt:
    number: int  # 1 for the first attempt
    time: float  # clock time when it was sent
    status: int | None  # None: no HTTP answer (timeout, dropped connection, other error)
    kind: Kind
    reason: str
    wait: float | None  # seconds slept before the next attempt; None if there was none
    request_id: str | None = None


@dataclass
class RetryOutcome:
    result: Any = None  # what the last attempt returned (an httpx.Response, an SDK object, ...)
    error: BaseException | None = None  # what the last attempt raised, if anything
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.attempts) and self.attempts[-1].kind is Kind.OK

    def unwrap(self):
        """The result, or raise what the last attempt raised (as the SDK would)."""
        if self.error is not None:
            raise self.error
        return self.result


class _Run:
    """The loop's decisions, shared by the sync and async versions."""

    def __init__(self, policy: RetryPolicy, clock: Clock, rng: random.Random, on_retry):
        self.policy, self.clock, self.rng, self.on_retry = policy, clock, rng, on_retry
        self.outcome = RetryOutcome()
        self.previous: float | None = None
        policy.start_request()

    def after(self, sent_at: float, result: Any, error: BaseException | None) -> float | None:
        """Record an attempt; return the wait before the next one, or None when done."""
        verdict, status, request_id = _judge(result, error)
        self.outcome.result, self.outcome.error = result, error
        number = len(self.outcome.attempts) + 1
        if verdict.ok:
            self.outcome.attempts.append(Attempt(number, sent_at, status, Kind.OK, verdict.reason, None, request_id))
            self.policy.record_success(number - 1)
            return None
        wait = self.policy.next_wait(number, verdict, self.rng, self.previous)
        attempt = Attempt(number, sent_at, status, verdict.kind, verdict.reason, wait, request_id)
        self.outcome.attempts.append(attempt)
        if wait is not None:
            self.previous = wait
            if self.on_retry:
                self.on_retry(attempt)
        return wait


def _judge(result: Any, error: BaseException | None) -> tuple[Verdict, int | None, str | None]:
    if error is not None:
        response = getattr(error, "response", None)
        status = getattr(response, "status_code", None) if response is not None else None
        request_id = response.headers.get("x-request-id") if response is not None else None
        return classify_exception(error), status, request_id
    if isinstance(result, httpx.Response):
        return classify_response(result), result.status_code, result.headers.get("x-request-id")
    return OK, 200, None  # the SDK returned an object: it only does that for a successful answer


_CATCH = (Exception,)  # every failure is classified; the verdict decides whether another try is worth it


def send_with_retries(
    send: Callable[[], Any],
    policy: RetryPolicy,
    clock: Clock,
    *,
    seed: int = 0,
    rng: random.Random | None = None,
    on_retry: Callable[[Attempt], None] | None = None,
) -> RetryOutcome:
    """Call `send()` until it succeeds or the policy gives up. HTTP errors come back as responses (httpx)
    or exceptions (the SDK); both are classified. Returns every attempt; `.unwrap()` gives the result."""
    run = _Run(policy, clock, rng or random.Random(seed), on_retry)
    while True:
        sent_at = clock.now()
        try:
            wait = run.after(sent_at, send(), None)
        except _CATCH as exc:
            wait = run.after(sent_at, None, exc)
        if wait is None:
            return run.outcome
        clock.sleep(wait)


async def asend_with_retries(
    send: Callable[[], Awaitable[Any]],
    policy: RetryPolicy,
    clock: Clock,
    *,
    seed: int = 0,
    rng: random.Random | None = None,
    on_retry: Callable[[Attempt], None] | None = None,
) -> RetryOutcome:
    """The async twin of `send_with_retries`: `send()` returns an awaitable; waits use `clock.asleep`."""
    run = _Run(policy, clock, rng or random.Random(seed), on_retry)
    while True:
        sent_at = clock.now()
        try:
            wait = run.after(sent_at, await send(), None)
        except _CATCH as exc:
            wait = run.after(sent_at, None, exc)
        if wait is None:
            return run.outcome
        await clock.asleep(wait)

"""Process many requests concurrently without melting the limit: the Cookbook's parallel-processor idea,
done right. Every attempt waits for the client-side throttle, which reads the server's headers; retries
follow a policy (no blind global pause); a quota or billing error stops the batch instead of being retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from ..clock import Clock
from ..i18n import translated
from .classify import Kind
from .loop import RetryOutcome, asend_with_retries
from .policy import RetryPolicy
from .throttle import Throttle, estimate_tokens


@dataclass
class JobResult:
    index: int
    outcome: RetryOutcome | None  # None when the job was never sent
    skipped: str = ""  # why it was not sent

    @property
    def ok(self) -> bool:
        return self.outcome is not None and self.outcome.ok


async def process_all(
    bodies: Sequence[Mapping],
    send: Callable[[Mapping], Awaitable],
    *,
    policy: RetryPolicy,
    clock: Clock,
    throttle: Throttle | None = None,
    max_concurrency: int = 8,
    seed: int = 0,
) -> list[JobResult]:
    """Send every body with `send(body)` (an async call returning an httpx.Response), at most
    `max_concurrency` at a time. Results come back in the order of `bodies`."""
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency!r}")
    gate = asyncio.Semaphore(max_concurrency)
    stop: list[str] = []

    async def job(index: int, body: Mapping) -> JobResult:
        async with gate:
            if stop:
                return JobResult(index, None, stop[0])
            tokens = estimate_tokens(body)

            async def attempt():
                if throttle is not None:
                    await throttle.aacquire(tokens, clock)
                response = await send(body)
                if throttle is not None:
                    throttle.observe(response.headers, clock.now())
                return response

            outcome = await asend_with_retries(attempt, policy, clock, seed=seed + index)
            if outcome.attempts and outcome.attempts[-1].kind is Kind.QUOTA:
                stop.append(
                    translated("processor", "quota_stop", "not sent: the quota ran out, and retrying cannot restore it")
                )
            return JobResult(index, outcome)

    return list(await asyncio.gather(*(job(i, body) for i, body in enumerate(bodies))))

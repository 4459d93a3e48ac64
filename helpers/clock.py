"""Clocks: every part of `helpers` takes time from one of these, so experiments can run in virtual time."""

from __future__ import annotations

import asyncio
import heapq
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class RealClock:
    """Wall-clock time, for the HTTP server and for the optional 'going live' section."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class VirtualClock:
    """Simulated time: sleeping moves the clock forward at once, so a minute of backoff takes microseconds."""

    simulated_total = 0.0  # simulated seconds that all virtual clocks in this process have moved (for benchmarks)

    def __init__(self, start: float = 0.0):
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds != seconds or seconds < 0:  # NaN or negative: nothing to wait for
            return
        self._now += seconds
        VirtualClock.simulated_total += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Let time pass without anyone sleeping (a learner 'waiting a minute')."""
        self.sleep(seconds)

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now:.3f})"


class ConcurrentVirtualClock(VirtualClock):
    """Virtual time shared by many asyncio tasks: `asleep` parks a task, and once every task is parked the
    clock jumps to the earliest wake-up. So a hundred clients backing off concurrently take as long as the
    longest wait, not the sum of them, and nothing sleeps for real. Tasks must not wait on real threads or
    real I/O: while they do, the clock would see everyone parked and move on without them."""

    def __init__(self, start: float = 0.0):
        super().__init__(start)
        self._sleepers: list[tuple[float, int, asyncio.Future]] = []
        self._count = 0
        self._driver: asyncio.Task | None = None

    async def asleep(self, seconds: float) -> None:
        if not seconds > 0:  # zero, negative or NaN: just let others run
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        wake = loop.create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, self._count, wake))
        self._count += 1
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive())
        await wake

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        while self._sleepers:
            await _until_others_are_parked(loop)
            if not self._sleepers:
                break
            wake_at = self._sleepers[0][0]
            VirtualClock.simulated_total += max(0.0, wake_at - self._now)
            self._now = max(self._now, wake_at)
            while self._sleepers and self._sleepers[0][0] <= wake_at:
                _, _, wake = heapq.heappop(self._sleepers)
                if not wake.done():
                    wake.set_result(None)


async def _until_others_are_parked(loop: asyncio.AbstractEventLoop) -> None:
    """Yield until no other callback is ready to run (CPython's loop exposes its ready queue)."""
    ready = getattr(loop, "_ready", None)
    for _ in range(10_000):
        await asyncio.sleep(0)
        if ready is not None and not ready:
            return
    # without a visible ready queue we fall back to many rounds of yielding, which is enough in practice

"""Clocks: every part of `helpers` takes time from one of these, so experiments can run in virtual time."""

from __future__ import annotations

import asyncio
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

    def __init__(self, start: float = 0.0):
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds != seconds or seconds < 0:  # NaN or negative: nothing to wait for
            return
        self._now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Let time pass without anyone sleeping (a learner 'waiting a minute')."""
        self.sleep(seconds)

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now:.3f})"

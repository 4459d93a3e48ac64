"""A client-side throttle: pace requests before they fail, with the same buckets as the server, kept in
step with the server's `x-ratelimit-*` headers, and a token estimate for each request."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..clock import Clock
from ..ratelimit import Bucket

CHARS_PER_TOKEN = 4


def estimate_tokens(body: Mapping, default_max_tokens: int = 256) -> int:
    """What a chat request will be charged against TPM: prompt characters / 4, plus max_tokens for each choice."""
    chars = 0
    for message in body.get("messages") or ():
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, str):
            chars += len(content)
        elif isinstance(content, list):
            chars += sum(len(p.get("text", "")) for p in content if isinstance(p, Mapping))
    max_tokens = body.get("max_completion_tokens") or body.get("max_tokens") or default_max_tokens
    return math.ceil(chars / CHARS_PER_TOKEN) + max_tokens * (body.get("n") or 1)


class Throttle:
    """Requests-per-minute and tokens-per-minute buckets on the client's side.

    `headroom` keeps a safety margin (0.9 uses 90 % of the limits). `observe` reads the server's headers after
    each answer, so other processes sharing the same organization's limit are accounted for."""

    def __init__(self, rpm: float, tpm: float, *, headroom: float = 1.0, now: float = 0.0):
        if not 0 < headroom <= 1:
            raise ValueError(f"headroom must be in (0, 1], got {headroom!r}")
        self.requests = Bucket(rpm * headroom, 60.0, now=now)
        self.tokens = Bucket(tpm * headroom, 60.0, now=now)
        self.headroom = headroom

    def wait_time(self, tokens: int, now: float) -> float:
        """Seconds until a request of `tokens` fits both buckets (inf if it never can)."""
        return max(self.requests.check(1, now).wait, self.tokens.check(tokens, now).wait)

    def reserve(self, tokens: int, now: float) -> float:
        """Book the next free slot for a request and return how long until it starts (0: go now).

        The buckets may go into debt, so many waiting clients get distinct slots, one after another,
        instead of all waking at once to fight over the same token."""
        wait = self._wait_or_refuse(tokens, now)
        self.take(tokens, now)
        return wait

    def take(self, tokens: int, now: float) -> None:
        self.requests.spend(1, now)
        self.tokens.spend(tokens, now)

    def acquire(self, tokens: int, clock: Clock) -> float:
        """Book a slot, sleep (on `clock`) until it comes; returns the seconds waited."""
        wait = self.reserve(tokens, clock.now())
        clock.sleep(wait)
        return wait

    async def aacquire(self, tokens: int, clock: Clock) -> float:
        wait = self.reserve(tokens, clock.now())
        await clock.asleep(wait)
        return wait

    def _wait_or_refuse(self, tokens: int, now: float) -> float:
        wait = self.wait_time(tokens, now)
        if math.isinf(wait):
            raise ValueError(
                f"a request of {tokens} tokens can never fit a limit of {self.tokens.limit:g} "
                "tokens per minute: make it smaller"
            )
        return wait

    def observe(self, headers: Mapping[str, str], now: float) -> None:
        """Trust the server when it says less is left than we thought."""
        for bucket, name in ((self.requests, "requests"), (self.tokens, "tokens")):
            remaining = headers.get(f"x-ratelimit-remaining-{name}")
            if remaining is None:
                continue
            try:
                server_level = float(remaining) * self.headroom
            except ValueError:
                continue
            if server_level < bucket.level(now):
                bucket.set_level(server_level, now)

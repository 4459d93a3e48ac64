"""Backoff policies: how long to wait before retry number n (n = 1 for the first retry).

Each policy is a small object with `delay(n, rng, previous, retry_after)`; randomness always comes from
the `rng` the caller passes, so a seed fixes every delay. `formula` shows the rule in plain notation.
Formulas follow ../shared/reference/backoff.md §1. `first_exponent` shifts the exponent: 0 gives the
libraries' convention (the first retry waits up to `base`), 1 gives Brooker's (the first waits up to 2·base).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from ..i18n import translated


def _check_non_negative(**values: float) -> None:
    for name, value in values.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
            raise ValueError(f"{name} must be a number, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")


def _check_base_cap(base: float, cap: float) -> None:
    _check_non_negative(base=base, cap=cap)
    if base > cap:
        raise ValueError(f"base ({base!r}) must not be above cap ({cap!r})")


class Backoff:
    """The shared interface. Subclasses set `name` and `formula` and implement `delay`."""

    name = "backoff"
    formula = ""

    def delay(
        self, n: int, rng: random.Random, previous: float | None = None, retry_after: float | None = None
    ) -> float | None:
        """Seconds to wait before retry n; None means: do not retry."""
        raise NotImplementedError

    def bounds(self, n: int) -> tuple[float, float]:
        """The smallest and largest delay retry n can get (for plots of the schedule)."""
        raise NotImplementedError

    def samples(self, n: int, count: int = 1000, seed: int = 0) -> list[float]:
        """`count` delays for retry n, each from a fresh client (for stateful policies), under one seed."""
        rng = random.Random(seed)
        out = []
        for _ in range(count):
            previous = None
            for k in range(1, n + 1):
                previous = self.delay(k, rng, previous)
            out.append(previous)
        return out

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class NoBackoff(Backoff):
    name, formula = "none", "0"

    def delay(self, n, rng, previous=None, retry_after=None):
        return 0.0

    def bounds(self, n):
        return 0.0, 0.0


class Constant(Backoff):
    name = "constant"

    def __init__(self, delay: float = 1.0):
        _check_non_negative(delay=delay)
        self.seconds = float(delay)
        self.formula = f"{self.seconds:g}"

    def delay(self, n, rng, previous=None, retry_after=None):
        return self.seconds

    def bounds(self, n):
        return self.seconds, self.seconds


class _Exponential(Backoff):
    def __init__(self, base: float = 0.5, cap: float = 8.0, first_exponent: int = 0):
        _check_base_cap(base, cap)
        if first_exponent not in (0, 1):
            raise ValueError(f"first_exponent must be 0 or 1, got {first_exponent!r}")
        self.base, self.cap, self.first_exponent = float(base), float(cap), first_exponent
        self._power = "n" if first_exponent else "n−1"
        self.formula = self.template.format(base=f"{self.base:g}", cap=f"{self.cap:g}", power=self._power)

    def ceiling(self, n: int) -> float:
        """min(cap, base·2^(n−1+first_exponent)), without overflow for huge n."""
        exponent = min(n - 1 + self.first_exponent, 1000)
        return min(self.cap, self.base * 2.0**exponent)


class Exponential(_Exponential):
    name, template = "exponential", "min({cap}, {base}·2^({power}))"

    def delay(self, n, rng, previous=None, retry_after=None):
        return self.ceiling(n)

    def bounds(self, n):
        return self.ceiling(n), self.ceiling(n)


class FullJitter(_Exponential):
    name, template = "full jitter", "U(0, min({cap}, {base}·2^({power})))"

    def delay(self, n, rng, previous=None, retry_after=None):
        return rng.uniform(0.0, self.ceiling(n))

    def bounds(self, n):
        return 0.0, self.ceiling(n)


class EqualJitter(_Exponential):
    name, template = "equal jitter", "t/2 + U(0, t/2), t = min({cap}, {base}·2^({power}))"

    def delay(self, n, rng, previous=None, retry_after=None):
        half = self.ceiling(n) / 2
        return half + rng.uniform(0.0, half)

    def bounds(self, n):
        return self.ceiling(n) / 2, self.ceiling(n)


class DecorrelatedJitter(Backoff):
    """Stateful per client: the next delay grows from the previous one (`previous`), starting at base."""

    name = "decorrelated jitter"

    def __init__(self, base: float = 0.5, cap: float = 8.0):
        _check_base_cap(base, cap)
        self.base, self.cap = float(base), float(cap)
        self.formula = f"s₀ = {self.base:g}; sₙ = min({self.cap:g}, U({self.base:g}, 3·sₙ₋₁))"

    def delay(self, n, rng, previous=None, retry_after=None):
        last = self.base if previous is None else previous
        return min(self.cap, rng.uniform(self.base, max(self.base, 3 * last)))

    def bounds(self, n):
        return self.base, min(self.cap, self.base * 3.0 ** min(n, 700))


MAX_SDK_RETRY_AFTER = 120.0


class OpenAISDK(Backoff):
    """The official Python SDK's schedule (≥2.52): the server's Retry-After if 0 < RA ≤ 120 s, exactly;
    above 120 s no retry at all; otherwise min(0.5·2^(n−1), 8)·U(0.75, 1]."""

    name = "openai sdk"

    @property
    def formula(self) -> str:
        return translated(
            "formulas", "openai_sdk", "Retry-After if 0 < RA ≤ 120 s; else min(8, 0.5·2^(n−1))·U(0.75, 1]"
        )

    def delay(self, n, rng, previous=None, retry_after=None):
        if retry_after is not None and math.isfinite(retry_after):
            if retry_after > MAX_SDK_RETRY_AFTER:
                return None
            if retry_after > 0:
                return retry_after
        return min(0.5 * 2.0 ** min(n - 1, 1000), 8.0) * (1 - 0.25 * rng.random())

    def bounds(self, n):
        top = min(0.5 * 2.0 ** min(n - 1, 1000), 8.0)
        return 0.75 * top, top


@dataclass
class RetryAfter(Backoff):
    """Honour the server's Retry-After up to `cap` seconds, plus a little jitter (a share of the hint);
    above the cap, stop rather than retry early; without a hint, use `inner`."""

    inner: Backoff
    cap: float = MAX_SDK_RETRY_AFTER
    jitter: float = 0.1

    def __post_init__(self):
        _check_non_negative(cap=self.cap, jitter=self.jitter)
        self.name = f"retry-after + {self.inner.name}"
        self.formula = translated(
            "formulas",
            "retry_after",
            "RA + U(0, {jitter:g}·RA) if 0 < RA ≤ {cap:g} s; stop if RA > {cap:g} s; else {inner}",
            jitter=self.jitter,
            cap=self.cap,
            inner=self.inner.formula,
        )

    def delay(self, n, rng, previous=None, retry_after=None):
        if retry_after is not None and math.isfinite(retry_after) and retry_after > 0:
            if retry_after > self.cap:
                return None
            return retry_after + rng.uniform(0.0, self.jitter * retry_after)
        return self.inner.delay(n, rng, previous)

    def bounds(self, n):
        return self.inner.bounds(n)

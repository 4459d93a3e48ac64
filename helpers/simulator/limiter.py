"""The API's rate limits: a bucket per organization, model and limit, the 429s they give, and the
`x-ratelimit-*` headers that report them.
"""

from __future__ import annotations

import math

from ..ratelimit import WINDOW_SECONDS, Bucket, Decision, format_duration
from ..world import World
from . import wire
from .wire import ApiError

KINDS = ("rpm", "tpm", "rpd", "tpd")  # checked in this order; the first that refuses is named in the 429


def ceil_clean(x: float) -> int:
    """Round up, ignoring float noise (20 * 1000 must give 20000, not 20001)."""
    return math.ceil(round(x, 6))


def retry_after_headers(wait: float) -> dict[str, str]:
    return {"retry-after": str(max(1, ceil_clean(wait))), "retry-after-ms": str(max(1, ceil_clean(wait * 1000)))}


class Limiter:
    """Per-organization, per-model buckets for RPM, TPM, RPD and TPD.

    `count_rejected`: a request refused with a 429 still uses one unit of RPM (the docs say failed requests
    count); the bucket never goes below empty, and the 429 quotes the wait as it stands after that.
    `burst_fraction`: per-minute buckets hold only this share of the limit (at least one unit), to mimic
    limits enforced over shorter periods (1/60 is "one second's worth").
    """

    def __init__(self, world: World, *, count_rejected: bool = True, burst_fraction: float | None = None):
        self.world = world
        self.count_rejected = count_rejected
        self.burst_fraction = burst_fraction
        self._buckets: dict[tuple[str, str], dict[str, Bucket]] = {}

    def buckets(self, org: str, model: str, now: float) -> dict[str, Bucket]:
        group = self._buckets.get((org, model))
        if group is None:
            limits = self.world.limits(org, model)
            group = {}
            for kind in KINDS:
                limit = getattr(limits, kind)
                if limit:
                    capacity = None
                    if self.burst_fraction and _window(kind) == "min":  # quantized: a share of the minute at once
                        capacity = max(1.0, limit * self.burst_fraction)
                    group[kind] = Bucket(limit, WINDOW_SECONDS[_window(kind)], now=now, capacity=capacity)
            self._buckets[(org, model)] = group
        return group

    def admit(self, org: str, model: str, tokens: int, now: float) -> ApiError | None:
        """Spend one request and `tokens` tokens if every limit allows; otherwise the 429 to answer with."""
        group = self.buckets(org, model, now)
        costs = {"rpm": 1, "rpd": 1, "tpm": tokens, "tpd": tokens}
        for kind in ("tpm", "tpd"):
            if kind in group and tokens > group[kind].capacity:
                self.charge_failed(org, model, now)
                return self._too_large(org, model, kind, group[kind], tokens)
        for kind, bucket in group.items():
            if not bucket.check(costs[kind], now).admitted:
                self.charge_failed(org, model, now)
                decision = bucket.check(costs[kind], now)  # quote the wait as it stands once this refusal counted
                if decision.never_fits:
                    return self._too_large(org, model, kind, bucket, costs[kind])
                return self._rate_limited(org, model, kind, decision)
        for kind, bucket in group.items():
            bucket.spend(costs[kind], now)
        return None

    def charge_failed(self, org: str, model: str, now: float) -> None:
        if self.count_rejected and "rpm" in (group := self.buckets(org, model, now)):
            group["rpm"].drain(1, now)

    def headers(self, org: str, model: str, now: float) -> dict[str, str]:
        group = self.buckets(org, model, now)
        out = {}
        for kind, name in (("rpm", "requests"), ("tpm", "tokens")):
            if kind in group:
                out[f"x-ratelimit-limit-{name}"] = str(int(group[kind].limit))
        for kind, name in (("rpm", "requests"), ("tpm", "tokens")):
            if kind in group:
                out[f"x-ratelimit-remaining-{name}"] = str(group[kind].remaining(now))
        for kind, name in (("rpm", "requests"), ("tpm", "tokens")):
            if kind in group:
                out[f"x-ratelimit-reset-{name}"] = format_duration(group[kind].reset_after(now))
        return out

    def _rate_limited(self, org: str, model: str, kind: str, d: Decision) -> ApiError:
        message = wire.RATE_LIMIT.format(
            model=model,
            org=org,
            limit_name=wire.LIMIT_NAMES[kind],
            limit=d.limit,
            used=d.used,
            requested=d.requested,
            duration=format_duration(d.wait),
        )
        if not self.world.tiers[self.world.organizations[org].tier].payment_method:
            message += wire.RATE_LIMIT_FREE_SUFFIX
        error_type = "requests" if kind in ("rpm", "rpd") else "tokens"
        return ApiError(429, message, error_type, code="rate_limit_exceeded", headers=retry_after_headers(d.wait))

    def _too_large(self, org: str, model: str, kind: str, bucket: Bucket, tokens: int) -> ApiError:
        message = wire.REQUEST_TOO_LARGE.format(model=model, org=org, limit=int(bucket.limit), requested=tokens)
        if kind == "tpd":
            message = message.replace(wire.LIMIT_NAMES["tpm"], wire.LIMIT_NAMES["tpd"])
        return ApiError(429, message, "tokens", code="rate_limit_exceeded")


def _window(kind: str) -> str:
    return "min" if kind in ("rpm", "tpm") else "day"

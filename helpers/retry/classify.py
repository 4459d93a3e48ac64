"""Retry or not, and why: one verdict per answer (or failure to get one), following the API's rules.

Never retry billing or quota errors, 400/401/403/404, or a request too large to ever fit; retry rate-limit
429s, slow-downs, 408/409, 5xx, timeouts and dropped connections. Like the SDK, honour `x-should-retry`
and refuse a Retry-After longer than the cap (120 s by default, as the SDK does).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

BILLING_CODES = frozenset({
    "insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded", "organization_usage_limit_exceeded",
})
DEFAULT_MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class Verdict:
    retryable: bool
    kind: str  # ok, rate_limit, slow_down, too_large, quota, auth, forbidden, not_found, bad_request,
    #            conflict, server_error, overloaded, timeout, connection, other
    reason: str
    retry_after: float | None = None  # the server's hint, in seconds

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


OK = Verdict(False, "ok", "success")


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The server's delay hint: `retry-after-ms` first, then `retry-after` in (possibly fractional) seconds."""
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            continue
        if math.isnan(seconds):
            continue
        return seconds
    return None


def classify(status: int, headers: Mapping[str, str] | None = None, body: Mapping | None = None, *,
             max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> Verdict:
    """Verdict for an HTTP answer. `body` is the parsed JSON (with or without the outer "error" key)."""
    if status < 400:
        return OK
    error = (body or {}).get("error", body) if isinstance(body, Mapping) else {}
    error = error if isinstance(error, Mapping) else {}
    code, etype, message = error.get("code"), error.get("type"), str(error.get("message") or "")
    hint = retry_after_seconds(headers)
    headers = headers or {}
    kind, retryable, reason = _by_status(status, code, etype, message)
    should = headers.get("x-should-retry")
    if should == "false":
        return Verdict(False, kind, "the server says x-should-retry: false", hint)
    if hint is not None and math.isfinite(hint) and hint > max_retry_after:
        return Verdict(False, kind, f"the server asks to wait {hint:g} s, more than the {max_retry_after:g} s cap", hint)
    if should == "true":
        return Verdict(True, kind, "the server says x-should-retry: true", hint)
    return Verdict(retryable, kind, reason, hint)


def _by_status(status: int, code, etype, message: str) -> tuple[str, bool, str]:
    if status == 429:
        if etype == "insufficient_quota" or code in BILLING_CODES:
            return "quota", False, "a billing or quota error: retrying cannot restore access"
        if message.startswith("Request too large"):
            return "too_large", False, "the request is larger than the whole limit: it can never fit"
        if code == "slow_down":
            return "slow_down", True, "traffic grew too fast: wait, then ramp up slowly"
        return "rate_limit", True, "a temporary rate limit: the allowance refills"
    if status == 401:
        return "auth", False, "authentication failed: the same credentials will fail again"
    if status == 403:
        return "forbidden", False, "access is forbidden: retrying changes nothing"
    if status == 404:
        return "not_found", False, "the model or URL does not exist for this key"
    if status in (408, 409):
        return "conflict", True, f"{status} is transient: the SDK retries it too"
    if status == 503:
        return "overloaded", True, "the model is overloaded for now"
    if status >= 500:
        return "server_error", True, "a fault on the server's side, usually transient"
    return "bad_request", False, f"{status}: the request itself is wrong; fix it before sending again"


def classify_exception(exc: BaseException, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> Verdict:
    """Verdict for an exception from the `openai` SDK or from httpx."""
    import httpx
    import openai

    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, Mapping) else None
        return classify(exc.status_code, exc.response.headers, body, max_retry_after=max_retry_after)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return Verdict(True, "timeout", "no answer in time: the server may be slow or the network busy")
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
        return Verdict(True, "connection", "the connection failed: often a passing network fault")
    return Verdict(False, "other", f"{type(exc).__name__} is not an API error: do not retry blindly")


def classify_response(response, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> Verdict:
    """Verdict for an `httpx.Response`."""
    if response.status_code < 400:
        return OK
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    return classify(response.status_code, response.headers, body, max_retry_after=max_retry_after)


def classify_entry(entry) -> Verdict:
    """Verdict for a catalog entry, from what it says the API answers."""
    if entry.status is None:
        kind = "timeout" if entry.sdk_exception == "APITimeoutError" else "connection"
        return Verdict(True, kind, "no answer at all: worth another try after a pause")
    body = {"message": entry.message, "type": entry.type, "param": entry.param, "code": entry.code}
    return classify(entry.status, {}, body)

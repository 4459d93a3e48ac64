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
from enum import Enum

from ..i18n import language, translate

#: The codes of 429s that are about money, not speed: waiting never clears them (openai-api.md §3).
BILLING_CODES = frozenset(
    {
        "insufficient_quota",
        "credit_balance_exhausted",
        "organization_spend_limit_exceeded",
        "project_spend_limit_exceeded",
        "organization_usage_limit_exceeded",
    }
)
DEFAULT_MAX_RETRY_AFTER = 120.0


class Kind(str, Enum):
    """What an attempt came to. Plots, metrics, budgets, the explorer and the checks all speak in these."""

    OK = "ok"
    RATE_LIMIT = "rate_limit"
    SLOW_DOWN = "slow_down"
    TOO_LARGE = "too_large"
    QUOTA = "quota"
    AUTH = "auth"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    CONFLICT = "conflict"
    SERVER_ERROR = "server_error"
    OVERLOADED = "overloaded"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    OTHER = "other"

    __str__ = str.__str__  # print and format as the plain name ("rate_limit"), on every Python version
    __format__ = str.__format__

    @property
    def refused_by_limit(self) -> bool:
        """A 429 from the rate limiter (not billing): the request did not fit the allowance."""
        return self in (Kind.RATE_LIMIT, Kind.SLOW_DOWN, Kind.TOO_LARGE)

    @property
    def rate_limited(self) -> bool:
        """A 429 that clears by waiting."""
        return self in (Kind.RATE_LIMIT, Kind.SLOW_DOWN)

    @property
    def never_succeeds(self) -> bool:
        """Sending the same request again can never succeed: every retry of it is waste."""
        return self in (Kind.QUOTA, Kind.TOO_LARGE, Kind.AUTH, Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.BAD_REQUEST)

    @property
    def no_answer(self) -> bool:
        """The server never answered (a timeout or a dropped connection)."""
        return self in (Kind.TIMEOUT, Kind.CONNECTION)


#: Why a verdict is what it is, by id. Translations (data/translations/) are keyed by the same ids, so
#: rewording a reason here never loses its translation.
REASONS = {
    "success": "success",
    "billing": "a billing or quota error: retrying cannot restore access",
    "too_large": "the request is larger than the whole limit: it can never fit",
    "slow_down": "traffic grew too fast: wait, then ramp up slowly",
    "rate_limit": "a temporary rate limit: the allowance refills",
    "auth": "authentication failed: the same credentials will fail again",
    "forbidden": "access is forbidden: retrying changes nothing",
    "not_found": "the model or URL does not exist for this key",
    "transient_status": "{status} is transient: the SDK retries it too",
    "overloaded": "the model is overloaded for now",
    "server_error": "a fault on the server's side, usually transient",
    "bad_request": "{status}: the request itself is wrong; fix it before sending again",
    "server_says_no": "the server says x-should-retry: false",
    "server_says_yes": "the server says x-should-retry: true",
    "wait_over_cap": "the server asks to wait {hint:g} s, more than the {cap:g} s cap",
    "timeout": "no answer in time: the server may be slow or the network busy",
    "connection": "the connection failed: often a passing network fault",
    "dropped": "the connection was dropped",
    "no_answer": "no answer at all: worth another try after a pause",
    "stream_error": "the stream failed after the 200: start it again",
    "not_api_error": "{name} is not an API error: do not retry blindly",
}


@dataclass(frozen=True)
class Verdict:
    retryable: bool
    kind: Kind
    why: str  # an id in REASONS
    values: tuple[tuple[str, object], ...] = ()  # what the reason's {placeholders} are filled with
    retry_after: float | None = None  # the server's hint, in seconds

    @property
    def ok(self) -> bool:
        return self.kind is Kind.OK

    @property
    def reason(self) -> str:
        """Why, in the language the course speaks now (English by default)."""
        return translate(language(), "reasons", self.why, REASONS[self.why]).format(**dict(self.values))

    @classmethod
    def of(cls, retryable: bool, kind: Kind, why: str, retry_after: float | None = None, **values) -> Verdict:
        if why not in REASONS:
            raise ValueError(f"unknown reason {why!r}; add it to REASONS (and its translations)")
        return cls(retryable, kind, why, tuple(values.items()), retry_after)


OK = Verdict.of(False, Kind.OK, "success")


def sdk_retries(status: int, headers: Mapping[str, str] | None = None) -> bool:
    """The official SDK's own rule (its `_should_retry`): x-should-retry decides when present; otherwise
    408, 409, 429 and every 5xx are retried. Timeouts and connection errors are retried too."""
    should = (headers or {}).get("x-should-retry")
    if should in ("true", "false"):
        return should == "true"
    return status in (408, 409, 429) or status >= 500


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


def classify(
    status: int,
    headers: Mapping[str, str] | None = None,
    body: Mapping | None = None,
    *,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
) -> Verdict:
    """Verdict for an HTTP answer. `body` is the parsed JSON (with or without the outer "error" key)."""
    if status < 400:
        return OK
    error = (body or {}).get("error", body) if isinstance(body, Mapping) else {}
    error = error if isinstance(error, Mapping) else {}
    code, etype, message = error.get("code"), error.get("type"), str(error.get("message") or "")
    hint = retry_after_seconds(headers)
    headers = headers or {}
    kind, retryable, why = _by_status(status, code, etype, message)
    should = headers.get("x-should-retry")
    if should == "false":
        return Verdict.of(False, kind, "server_says_no", hint)
    if hint is not None and math.isfinite(hint) and hint > max_retry_after:
        return Verdict.of(False, kind, "wait_over_cap", hint, hint=hint, cap=max_retry_after)
    if should == "true":
        return Verdict.of(True, kind, "server_says_yes", hint)
    return Verdict.of(retryable, kind, why, hint, status=status)


def _by_status(status: int, code, etype, message: str) -> tuple[Kind, bool, str]:
    if status == 429:
        if etype == "insufficient_quota" or code in BILLING_CODES:
            return Kind.QUOTA, False, "billing"
        if message.startswith("Request too large"):
            return Kind.TOO_LARGE, False, "too_large"
        if code == "slow_down":
            return Kind.SLOW_DOWN, True, "slow_down"
        return Kind.RATE_LIMIT, True, "rate_limit"
    if status == 401:
        return Kind.AUTH, False, "auth"
    if status == 403:
        return Kind.FORBIDDEN, False, "forbidden"
    if status == 404:
        return Kind.NOT_FOUND, False, "not_found"
    if status in (408, 409):
        return Kind.CONFLICT, True, "transient_status"
    if status == 503:
        return Kind.OVERLOADED, True, "overloaded"
    if status >= 500:
        return Kind.SERVER_ERROR, True, "server_error"
    return Kind.BAD_REQUEST, False, "bad_request"


def classify_exception(exc: BaseException, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> Verdict:
    """Verdict for an exception from the `openai` SDK or from httpx."""
    import httpx
    import openai

    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, Mapping) else None
        return classify(exc.status_code, exc.response.headers, body, max_retry_after=max_retry_after)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return Verdict.of(True, Kind.TIMEOUT, "timeout")
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
        return Verdict.of(True, Kind.CONNECTION, "connection")
    if isinstance(exc, openai.APIError):  # an error event in a stream, after the 200
        return _stream_error(exc.code)
    return Verdict.of(False, Kind.OTHER, "not_api_error", name=type(exc).__name__)


def classify_response(response, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> Verdict:
    """Verdict for an `httpx.Response`."""
    if response.status_code < 400:
        return OK
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    return classify(response.status_code, response.headers, body, max_retry_after=max_retry_after)


def _stream_error(code: str | None) -> Verdict:
    """An error event after the 200: the stream is lost, but starting again can work (a rate limit after its wait)."""
    if code == "rate_limit_exceeded":
        return Verdict.of(True, Kind.RATE_LIMIT, "rate_limit")
    return Verdict.of(True, Kind.SERVER_ERROR, "stream_error")


def classify_entry(entry) -> Verdict:
    """Verdict for a catalog entry, from what it says the API answers."""
    if entry.status is None and entry.sdk_exception == "APIError":
        return _stream_error(entry.code)
    if entry.status is None:
        kind = Kind.TIMEOUT if entry.sdk_exception == "APITimeoutError" else Kind.CONNECTION
        return Verdict.of(True, kind, "no_answer")
    body = {"message": entry.message, "type": entry.type, "param": entry.param, "code": entry.code}
    return classify(entry.status, {}, body)

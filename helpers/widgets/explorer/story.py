"""What one request came to, as plain data (`Story`), read out of what the SDK returned or raised.

This is the one place that looks inside SDK objects; rendering gets only the story, so it can be tested
with hand-made ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai

from ...catalog import Entry, load_catalog
from ...retry.classify import Verdict, classify_exception, sdk_retries

ATTRIBUTES = ("status_code", "type", "code", "param", "request_id", "message")  # what the SDK's errors carry


@dataclass(frozen=True)
class Failure:
    """An exception, as shown: its class name, its attributes and what caused it."""

    name: str  # "openai.RateLimitError"; other classes by their bare name
    attributes: tuple[tuple[str, Any], ...] = ()  # (name, value) for each of ATTRIBUTES
    cause: str | None = None  # "httpx.ReadTimeout: The read operation timed out"

    def get(self, name: str) -> Any:
        return dict(self.attributes).get(name)


@dataclass(frozen=True)
class Story:
    """Everything the explorer shows about one request. Empty (`sent` false) when nothing was sent."""

    exchange: dict[str, Any] | None = None  # see capture.Recorder.exchange
    failure: Failure | None = None  # what the SDK raised, if it raised
    answered: bool = False  # the call returned
    reply: str | None = None  # the model's words, when the answer has any
    verdict: Verdict | None = None  # can a retry help (for failures)
    entry: Entry | None = None  # the catalog entry chosen; None for your own request
    matches: tuple[Entry, ...] = ()  # your own request's failure: the entries that describe it, best first
    sdk_retries: bool = False  # the official SDK retries this failure by itself
    timeout: float | None = None  # the client's read timeout, in seconds, when one was set
    repeat: int = 1  # requests sent in a row; the exchange is the last one
    seed: int = 0

    @property
    def sent(self) -> bool:
        return self.exchange is not None or self.failure is not None or self.answered


def tell(error: BaseException | None, result: Any, catalog: tuple[Entry, ...], **context) -> Story:
    """The story of a call that returned `result` or raised `error`; `context` fills the other fields."""
    if error is None:
        return Story(answered=result is not None, reply=reply_text(result), **context)
    matches = () if context.get("entry") is not None else tuple(matching_entries(error, catalog))
    return Story(
        failure=failure_of(error),
        verdict=classify_exception(error),
        matches=matches,
        sdk_retries=sdk_would_retry(error),
        **context,
    )


def failure_of(error: BaseException) -> Failure:
    cause = error.__cause__ or error.__context__
    return Failure(
        class_name(error),
        tuple((name, getattr(error, name, None)) for name in ATTRIBUTES),
        None if cause is None else f"{class_name(cause)}: {cause}",
    )


def class_name(error: BaseException) -> str:
    """`openai.X` and `httpx.X` by their public module; anything else by its bare name."""
    cls = type(error)
    module = cls.__module__.split(".")[0]
    return f"{module}.{cls.__name__}" if module in ("openai", "httpx") else cls.__name__


def reply_text(result: Any) -> str | None:
    try:
        return result.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        return None


def after_the_200(error: BaseException) -> bool:
    """Raised while a stream was read: an error event, or a transport error the simulator marked as such."""
    if isinstance(error, openai.APIStatusError):
        return False
    if isinstance(error, openai.APIError) and not isinstance(error, openai.APIConnectionError):
        return True
    return bool(getattr(error.__cause__, "after_headers", False))


def sdk_would_retry(error: BaseException) -> bool:
    """Whether the official SDK retries this error by default: `retry.sdk_retries` for an answer; timeouts
    and connection errors always, unless they came after the 200 of a stream."""
    if after_the_200(error):
        return False
    if isinstance(error, openai.APIStatusError):
        return sdk_retries(error.status_code, error.response.headers)
    return isinstance(error, openai.APIConnectionError)  # timeouts included


def matching_entries(error: BaseException, catalog: tuple[Entry, ...] | None = None) -> list[Entry]:
    """Catalog entries that describe this error, best first (an empty list when none does)."""
    catalog = load_catalog() if catalog is None else catalog
    if isinstance(error, openai.APIStatusError):
        found = [e for e in catalog if (e.status, e.type, e.code) == (error.status_code, error.type, error.code)]
        body = error.body if isinstance(error.body, dict) else {}
        message = str(body.get("message") or "")
        found.sort(key=lambda e: not e.message_pattern().match(message))  # stable: catalog order otherwise
        return found
    found = [e for e in catalog if e.status is None and e.sdk_exception == type(error).__name__]
    streamed = after_the_200(error)
    found.sort(key=lambda e: bool(e.trigger.get("json", {}).get("stream")) != streamed)
    if isinstance(error, openai.APIError) and streamed:
        found.sort(key=lambda e: (e.type, e.code) != (error.type, error.code))
    return found


__all__ = ["Failure", "Story", "class_name", "failure_of", "matching_entries", "reply_text", "sdk_would_retry", "tell"]

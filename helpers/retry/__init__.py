"""The retry toolkit: backoff policies, budgets, classification, a retry loop and a client-side throttle."""

from .budgets import Budget, MaxAttempts, RetryQuota, RetryRatio
from .classify import (
    BILLING_CODES,
    Kind,
    Verdict,
    classify,
    classify_entry,
    classify_exception,
    classify_response,
    sdk_retries,
)
from .loop import Attempt, RetryOutcome, asend_with_retries, send_with_retries
from .policies import (
    Backoff,
    Constant,
    DecorrelatedJitter,
    EqualJitter,
    Exponential,
    FullJitter,
    NoBackoff,
    OpenAISDK,
    RetryAfter,
)
from .policy import RetryPolicy
from .strategies import STRATEGIES, Strategy, get_strategy, make_backoff

__all__ = [
    "BILLING_CODES",
    "STRATEGIES",
    "Attempt",
    "Backoff",
    "Budget",
    "Constant",
    "DecorrelatedJitter",
    "EqualJitter",
    "Exponential",
    "FullJitter",
    "Kind",
    "MaxAttempts",
    "NoBackoff",
    "OpenAISDK",
    "RetryAfter",
    "RetryOutcome",
    "RetryPolicy",
    "RetryQuota",
    "RetryRatio",
    "Strategy",
    "Verdict",
    "asend_with_retries",
    "classify",
    "classify_entry",
    "classify_exception",
    "classify_response",
    "get_strategy",
    "make_backoff",
    "sdk_retries",
    "send_with_retries",
]

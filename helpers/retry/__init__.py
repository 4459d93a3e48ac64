"""The retry toolkit: backoff policies, budgets, classification, a retry loop and a client-side throttle."""

from .budgets import Budget, MaxAttempts, RetryQuota, RetryRatio
from .classify import Verdict, classify, classify_entry, classify_exception, classify_response
from .loop import Attempt, RetryOutcome, asend_with_retries, send_with_retries
from .policies import (Backoff, Constant, DecorrelatedJitter, EqualJitter, Exponential, FullJitter, NoBackoff,
                       OpenAISDK, RetryAfter, make_backoff)
from .policy import RetryPolicy

__all__ = [
    "Attempt", "Backoff", "Budget", "Constant", "DecorrelatedJitter", "EqualJitter", "Exponential", "FullJitter",
    "MaxAttempts", "NoBackoff", "OpenAISDK", "RetryAfter", "RetryOutcome", "RetryPolicy", "RetryQuota",
    "RetryRatio", "Verdict", "asend_with_retries", "classify", "classify_entry", "classify_exception",
    "classify_response", "make_backoff", "send_with_retries",
]

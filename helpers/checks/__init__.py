"""Friendly checkers for the exercises: they say what is right, or what to try next. Never a traceback.

One module per pair of notebooks; every check is importable from here.
"""

from .errors_and_auth import check_diagnose_401, check_diagnosis, check_mask_key, check_wasted_retries
from .many_clients_and_pacing import check_batch_settings, check_nested_attempts, check_pacer, check_retry_budget
from .production import check_nested_worst_case, check_retrying
from .quota_and_server_errors import (
    check_billed_count,
    check_budget_guard,
    check_cost_usd,
    check_is_billing_error,
    check_sent_once,
    check_should_retry,
    check_worst_case_seconds,
)
from .rate_limits_and_backoff import (
    check_full_jitter,
    check_rate_limit_tokens,
    check_retry_loop,
    check_seconds_until_fits,
    check_try_again_in,
)
from .start_here import check_first_rate_limit
from .streaming import check_stream_answer, check_stream_text

__all__ = [
    "check_batch_settings",
    "check_billed_count",
    "check_budget_guard",
    "check_cost_usd",
    "check_diagnose_401",
    "check_diagnosis",
    "check_first_rate_limit",
    "check_full_jitter",
    "check_is_billing_error",
    "check_mask_key",
    "check_nested_attempts",
    "check_nested_worst_case",
    "check_pacer",
    "check_rate_limit_tokens",
    "check_retry_budget",
    "check_retry_loop",
    "check_retrying",
    "check_seconds_until_fits",
    "check_sent_once",
    "check_stream_answer",
    "check_stream_text",
    "check_should_retry",
    "check_try_again_in",
    "check_wasted_retries",
    "check_worst_case_seconds",
]

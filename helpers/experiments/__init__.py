"""Experiments in virtual time: many clients, a backoff policy, a contended resource, and the metrics."""

from .engine import LoadResult, TraceRow, lab_world, run_load
from .metrics import Metrics
from .occ import BROOKER_STRATEGIES, ContentionResult, run_contention, sweep
from .sdk_load import NestingResult, SDKLoadResult, measure_nesting, run_sdk_load

__all__ = [
    "BROOKER_STRATEGIES",
    "ContentionResult",
    "LoadResult",
    "Metrics",
    "NestingResult",
    "SDKLoadResult",
    "TraceRow",
    "lab_world",
    "measure_nesting",
    "run_contention",
    "run_load",
    "run_sdk_load",
    "sweep",
]

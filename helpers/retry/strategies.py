"""The one registry of backoff strategies: every dashboard, the contended-row experiment and its CLI read it.

Register a strategy here and it shows up everywhere: in the backoff lab's and the race's dropdowns, in the
throttle lab, and in `python -m helpers.experiments contention`. A strategy is built from a base and a cap
in whatever unit the caller uses (seconds in the dashboards, milliseconds in the contended-row experiment).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import language, translate
from .policies import Backoff, Constant, DecorrelatedJitter, EqualJitter, Exponential, FullJitter, NoBackoff, OpenAISDK


@dataclass(frozen=True)
class Strategy:
    name: str  # the stable id: command lines, `make_backoff`, `lab.set(strategy=...)`
    label: str  # what a learner reads in a dropdown, a legend or a table
    formula: str  # the rule in words of base and cap, for a legend
    build: Callable[[float, float, int], Backoff]  # (base, cap, first_exponent) -> a fresh policy
    scales: bool = True  # False when base and cap mean nothing to it (a fixed schedule in seconds)
    honours_retry_after: bool = False  # it reads Retry-After by itself: wrapping it in RetryAfter adds nothing

    def backoff(self, base: float = 0.5, cap: float = 8.0, first_exponent: int = 0) -> Backoff:
        """A fresh policy. `first_exponent=1` is Brooker's indexing (the first retry waits up to 2·base)."""
        return self.build(base, cap, first_exponent)


STRATEGIES: dict[str, Strategy] = {}


def register(strategy: Strategy) -> Strategy:
    if strategy.name in STRATEGIES or any(s.label == strategy.label for s in STRATEGIES.values()):
        raise ValueError(f"a strategy named {strategy.name!r} or labelled {strategy.label!r} is already registered")
    STRATEGIES[strategy.name] = strategy
    return strategy


def get_strategy(name: str) -> Strategy:
    """The strategy registered under `name` (or under that label); ValueError naming the known ones."""
    for strategy in STRATEGIES.values():
        if name in (strategy.name, strategy.label):
            return strategy
    raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}; got {name!r}")


def _known_as(name: str) -> Strategy | None:
    for strategy in STRATEGIES.values():
        if name in (strategy.name, strategy.label, strategy.name.replace("_", " ")):
            return strategy
    return None


def shown_label(name: str, english: str | None = None) -> str:
    """Strategy `name` (its name, its label, or its name with spaces as a backoff policy calls itself) as a
    learner reads it in the course's language: `english` (by default its label) in English, its label's
    translation (namespace "strategies", id "<name>.label") in another language. A name no strategy is known
    by stays as it is; "retry-after + <name>" (a policy wrapped to honour Retry-After) keeps its prefix."""
    prefix = "retry-after + "
    if name.startswith(prefix):
        rest = english[len(prefix) :] if english is not None and english.startswith(prefix) else None
        return prefix + shown_label(name[len(prefix) :], rest)
    strategy = _known_as(name)
    fallback = english if english is not None else (strategy.label if strategy else name)
    if strategy is None:
        return fallback
    return translate(language(), "strategies", f"{strategy.name}.label", fallback)


def make_backoff(strategy: str, base: float = 0.5, cap: float = 8.0, first_exponent: int = 0) -> Backoff:
    """A policy by strategy name, e.g. make_backoff("full_jitter", 1, 10)."""
    return get_strategy(strategy).backoff(base, cap, first_exponent)


for _strategy in (
    Strategy("none", "retry at once", "0", lambda base, cap, first: NoBackoff()),
    Strategy("constant", "constant", "base", lambda base, cap, first: Constant(base)),
    Strategy(
        "exponential",
        "exponential",
        "min(cap, base·2^(n−1))",
        lambda base, cap, first: Exponential(base, cap, first_exponent=first),
    ),
    Strategy(
        "equal_jitter",
        "equal jitter",
        "t/2 + U(0, t/2), t = min(cap, base·2^(n−1))",
        lambda base, cap, first: EqualJitter(base, cap, first_exponent=first),
    ),
    Strategy(
        "full_jitter",
        "full jitter",
        "U(0, min(cap, base·2^(n−1)))",
        lambda base, cap, first: FullJitter(base, cap, first_exponent=first),
    ),
    Strategy(
        "decorrelated_jitter",
        "decorrelated jitter",
        "min(cap, U(base, 3·previous))",
        lambda base, cap, first: DecorrelatedJitter(base, cap),
    ),
    Strategy(
        "openai_sdk",
        "the OpenAI SDK's schedule",
        OpenAISDK().formula,
        lambda base, cap, first: OpenAISDK(),
        scales=False,
        honours_retry_after=True,
    ),
):
    register(_strategy)

"""One tested loop for the checks that try a learner's function on cases it has not seen.

A check then reads as a table of cases plus the sentences that explain a wrong answer. The loop is the only
place that calls the learner's function, so a learner's bug always becomes a friendly message that names the
case, never a traceback from helpers.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..i18n import translated
from ._say import _fill, _say


@dataclass(frozen=True)
class Case:
    """One example: how feedback names it, what the learner's function gets, and the right answer."""

    label: str
    args: tuple
    expected: Any
    hint: str = ""  # why `expected` is right, for the explanation of a wrong answer
    kwargs: dict = field(default_factory=dict)


def run_cases(
    fn,
    cases: Sequence[Case],
    explain: Callable[[Case, Any], str],
    *,
    passed: str | None = None,
    not_a_function: str | None = None,
    same: Callable[[Any, Any], bool] = operator.eq,
    raised: str | Callable[..., str] | None = None,
    tally: str | None = None,
) -> bool:
    """Call `fn` on each case and say `explain(case, answer)` for the first wrong answer, or `passed` when all
    are right (None when the caller has more to check). True when all are right.

    `not_a_function` is what to say if `fn` cannot be called at all; `raised`, what to say when it raises: a
    template whose {label} and {error} are filled in, or a function given label= and error= (so that a caller
    can pass `lambda **values: translated(..., **values)`); by default "For {label}, your function raised
    {error}." in the course's language. With `tally` (a noun such as "case", already in the course's language)
    every case is tried, and the message counts the wrong ones before it explains the first.
    """
    if not_a_function is not None and not callable(fn):
        _say(False, not_a_function)
        return False
    wrong = []
    for case in cases:
        try:
            answer = fn(*case.args, **case.kwargs)
        except Exception as exc:  # the learner's code may raise anything: name the case, never a traceback
            error = f"{type(exc).__name__}: {exc}"
            if raised is None:
                text = translated(
                    "checks",
                    "runner.raised",
                    "For {label}, your function raised {error}.",
                    label=case.label,
                    error=error,
                )
            else:
                text = _fill(raised, label=case.label, error=error)
            _say(False, text)
            return False
        if not _agrees(same, answer, case.expected):
            wrong.append((case, answer))
            if tally is None:
                break
    if wrong:
        text = explain(*wrong[0])
        if tally is not None:
            counts = {"wrong": len(wrong), "total": len(cases), "noun": tally, "first": text}
            if len(wrong) == 1:
                text = translated(
                    "checks", "runner.tally.one", "{wrong} of {total} {noun}s is wrong. The first: {first}", **counts
                )
            else:
                text = translated(
                    "checks", "runner.tally.many", "{wrong} of {total} {noun}s are wrong. The first: {first}", **counts
                )
        _say(False, text)
        return False
    if passed is not None:
        _say(True, passed)
    return True


def _agrees(same, answer, expected) -> bool:
    """`same(answer, expected)`, where an answer that cannot even be compared (say, an array) is simply wrong."""
    try:
        return bool(same(answer, expected))
    except Exception:  # the answer's own == or bool() failed: that is a wrong answer, not a crash
        return False


def is_number(value) -> bool:
    """An int or float answer (True and False are not numbers of seconds or tokens)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def equal_number(answer, expected) -> bool:
    """Exactly `expected`, and a number (a count of tokens or requests)."""
    return is_number(answer) and answer == expected


def close(answer, expected, rel_tol=1e-6, abs_tol=1e-6) -> bool:
    """`answer` is a number near `expected`; an infinite `expected` wants +inf."""
    if not is_number(answer) or math.isnan(answer):
        return False
    if math.isinf(expected):
        return answer == expected
    return math.isclose(answer, expected, rel_tol=rel_tol, abs_tol=abs_tol)


def borrows_from_course(fn, forbidden, fn_name: str, advice: str) -> bool:
    """Say so, and return True, when the learner's `fn` is or calls one of the course's own functions in
    `forbidden` (the ones that would answer the exercise for it). `advice` says what to do instead."""
    borrowed = course_helper_in(fn, forbidden)
    if borrowed:
        _say(
            False,
            translated(
                "checks",
                "runner.borrows",
                "`{fn_name}` hands the work to the course's own `{borrowed}`. {advice}",
                fn_name=fn_name,
                borrowed=borrowed,
                advice=advice,
            ),
        )
    return borrowed is not None


def course_helper_in(fn, forbidden) -> str | None:
    """The name of one of the course's own functions in `forbidden` that the learner's `fn` is, or calls (by
    name, or through a `helpers` module), or None. An exercise that rebuilds one of them is not answered by
    handing the course's version back."""
    forbidden = {f.__name__: f for f in forbidden}
    if any(fn is f for f in forbidden.values()):
        return fn.__name__
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    scope = dict(getattr(fn, "__globals__", {}))
    for name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or ()):
        try:
            scope[name] = cell.cell_contents
        except ValueError:  # a cell not filled yet
            pass
    through_module = any(_is_course_module(value) for value in scope.values())
    for name in _names(code) | set(code.co_freevars):
        if name in forbidden and (scope.get(name) is forbidden[name] or through_module):
            return name
    return None


def _names(code) -> set[str]:
    """Every global or attribute name a code object (and the functions defined inside it) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names


def _is_course_module(value) -> bool:
    name = getattr(value, "__name__", "")
    return type(value).__name__ == "module" and (name == "helpers" or name.startswith("helpers."))

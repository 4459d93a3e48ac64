"""Exercise checks for notebooks 07 (many clients) and 08 (staying under the limit)."""

from __future__ import annotations

import math

import openai

from ..i18n import translated
from ._demo import demo_client
from ._say import _say
from .runner import Case, equal_number, is_number, run_cases

# Helpers for these checks are prefixed _mc_ (many clients) and _su_ (staying under).


def _mc_day(policy, failure_share, seed=0):
    """Notebook 07's scenario: 5 clients × 40 requests against a model failing `failure_share` of the time."""
    from ..experiments import lab_world, run_load
    from ..simulator import Simulator

    simulator = Simulator(
        lab_world(rpm=6_000, tpm=10_000_000), seed=seed, faults={"gpt-4o-mini": {"server_error_share": failure_share}}
    )
    return run_load(
        clients=5, requests_per_client=40, rpm=6_000, tpm=10_000_000, policy=policy, simulator=simulator, seed=seed
    ).metrics


def check_retry_budget(policy) -> None:
    """Exercise 1 in notebook 07: outage load at most 1.2 attempts per request, bad day at least 95 % success."""
    from ..retry import Budget, RetryPolicy

    if isinstance(policy, Budget) or (
        isinstance(policy, (tuple, list)) and policy and all(isinstance(b, Budget) for b in policy)
    ):
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.a_budget",
                "That is a budget, not a policy. Wrap it: `RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4), ...))` "
                "(the budgets go in a tuple).",
            ),
        )
    if not isinstance(policy, RetryPolicy):
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.not_a_policy",
                "`my_policy` should be a RetryPolicy, got {name}. Start from "
                "`RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),))`.",
                name=type(policy).__name__,
            ),
        )
    try:
        outage, bad = _mc_day(policy, 1.0), _mc_day(policy, 0.2)
    except Exception as exc:  # a learner's policy may be anything: report, never a traceback
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.raised",
                "Running the two days with your policy raised {error}.",
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    load, success = outage.attempts / outage.requests, bad.successes / bad.requests
    bad_load = bad.attempts / bad.requests
    if load > 1.2 + 1e-9:
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.outage",
                "In the outage your policy sends {load:.2f} attempts per request (at most 1.2 allowed). A cap on "
                "attempts alone multiplies the load by the cap; add a budget that runs dry, such as RetryRatio(0.1) "
                "or a small RetryQuota(capacity=...).",
                load=load,
            ),
        )
    if bad_load <= 1.0 + 1e-9:
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.never_retries",
                "Your policy never retries, so on the bad day only {success:.0%} of the requests succeed (95 % "
                "needed). Let some retries through: MaxAttempts(1) allows none.",
                success=success,
            ),
        )
    if success < 0.95:
        return _say(
            False,
            translated(
                "checks",
                "retry_budget.bad_day",
                "The outage stays at {load:.2f}× — good — but on the bad day only {success:.0%} of the requests "
                "succeed (95 % needed). A retry ratio refuses retries even when they would work. A RetryQuota "
                "refills with every success: try a small one, e.g. capacity=20.",
                load=load,
                success=success,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "retry_budget.passed",
            "Outage: {load:.2f} attempts per request instead of 6. Bad day: {success:.0%} succeed with "
            "{bad_load:.2f} attempts per request. The budget stops retries when they cannot help and allows them "
            "when they can.",
            load=load,
            success=success,
            bad_load=bad_load,
        ),
    )


def _mc_worst(retries):
    """Each layer makes retries + 1 attempts, and runs the layer below in full for each of them."""
    return math.prod(r + 1 for r in retries)


def _mc_explain_nested(case, answer) -> str:
    layers = case.args[0]
    if not is_number(answer):
        return translated(
            "checks",
            "nested_attempts.not_number",
            "{label} returned {answer!r}; it should return a number of requests.",
            label=case.label,
            answer=answer,
        )
    if layers and answer == sum(r + 1 for r in layers):
        return translated(
            "checks",
            "nested_attempts.added",
            "{label} gives {answer}: you added the layers. They multiply: every attempt of the layer above runs all "
            "the attempts of the layer below.",
            label=case.label,
            answer=answer,
        )
    if layers and answer == math.prod(layers):
        return translated(
            "checks",
            "nested_attempts.retries_not_attempts",
            "{label} gives {answer}: a layer with r retries makes r + 1 attempts (the first one plus the retries).",
            label=case.label,
            answer=answer,
        )
    if not layers:
        return translated(
            "checks",
            "nested_attempts.no_layer",
            "{label} gives {answer}: with no retrying layer at all, one call is one request.",
            label=case.label,
            answer=answer,
        )
    product = " = " + " × ".join(str(r + 1) for r in layers) if len(layers) > 1 else ""
    return translated(
        "checks",
        "nested_attempts.expected",
        "{label} gives {answer!r}; expected {expected}{product}.",
        label=case.label,
        answer=answer,
        expected=case.expected,
        product=product,
    )


def check_nested_attempts(worst_case_requests) -> None:
    """Exercise 2 in notebook 07: worst-case HTTP requests of nested retry layers."""
    layers = [[2], [5, 2], [10, 2], [5, 0], [3, 3, 3], [3, 5, 2], [], [0, 0, 0], [2, 5, 2, 1]]
    cases = [Case(f"worst_case_requests({retries})", (list(retries),), _mc_worst(retries)) for retries in layers]
    run_cases(
        worst_case_requests,
        cases,
        _mc_explain_nested,
        same=equal_number,
        not_a_function=translated(
            "checks",
            "nested_attempts.not_a_function",
            "`worst_case_requests` should be a function that takes a list of retries per layer.",
        ),
        raised=translated(  # run_cases fills in {label} and {error}: keep them as they are
            "checks", "nested_attempts.raised", "{label} raised {error}.", label="{label}", error="{error}"
        ),
        passed=translated(
            "checks",
            "nested_attempts.passed",
            "Right: 6 × 3 = 18 for tenacity over the SDK, 11 × 3 = 33 for the Cookbook's decorator, and {stack} for "
            "the job queue → tenacity → SDK stack. One call, {stack} requests: retry at one layer only.",
            stack=_mc_worst([3, 5, 2]),
        ),
    )


def check_pacer(Pacer) -> None:
    """Exercise 1 in notebook 08: a token-bucket pacer whose wait_for(tokens) sleeps until the tokens are there."""
    from ..clock import VirtualClock
    from ..experiments import lab_world
    from ..retry.throttle import estimate_tokens
    from ..simulator import Simulator

    if not isinstance(Pacer, type):
        return _say(
            False,
            translated("checks", "pacer.not_a_class", "Pass the class itself to the check: `check_pacer(Pacer)`."),
        )
    clock = VirtualClock()
    try:
        pacer = Pacer(600, clock)
    except Exception as exc:
        return _say(
            False,
            translated(
                "checks",
                "pacer.init_raised",
                "`Pacer(600, clock)` raised {error}. Keep the `__init__` given in the exercise.",
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    steps = [  # (idle seconds before, tokens, expected wait, why); 600 a minute is 10 tokens a second
        (
            0,
            600,
            0.0,
            translated("checks", "pacer.step.full", "the bucket starts full, so the first 600 tokens need no wait"),
        ),
        (
            0,
            100,
            10.0,
            translated(
                "checks",
                "pacer.step.empty",
                "the bucket is now empty and refills 10 tokens a second, so 100 tokens need 10 s",
            ),
        ),
        (0, 50, 5.0, translated("checks", "pacer.step.more", "right after that, 50 more tokens need 5 s")),
        (
            2,
            50,
            3.0,
            translated("checks", "pacer.step.idle", "after 2 s of idling (20 tokens back), 50 tokens need 3 s more"),
        ),
        (600, 600, 0.0, translated("checks", "pacer.step.long_idle", "after a long idle the bucket is full again")),
        (
            0,
            60,
            6.0,
            translated(
                "checks",
                "pacer.step.capacity",
                "the bucket holds at most 600 tokens, so after spending them 60 tokens need 6 s; cap the level at "
                "`self.capacity` when you refill",
            ),
        ),
    ]
    for idle, tokens, expected, why in steps:
        clock.advance(idle)
        start = clock.now()
        try:
            got = pacer.wait_for(tokens)
        except Exception as exc:
            return _say(
                False,
                translated(
                    "checks",
                    "pacer.raised",
                    "`wait_for({tokens})` raised {error}.",
                    tokens=tokens,
                    error=f"{type(exc).__name__}: {exc}",
                ),
            )
        slept = clock.now() - start
        if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got):
            return _say(
                False,
                translated(
                    "checks",
                    "pacer.not_number",
                    "`wait_for({tokens})` returned {got!r}; it should return the seconds it slept.",
                    tokens=tokens,
                    got=got,
                ),
            )
        if not math.isclose(slept, expected, abs_tol=1e-6):
            if slept == 0 and got > 0:
                return _say(
                    False,
                    translated(
                        "checks",
                        "pacer.no_sleep",
                        "`wait_for({tokens})` returned {got:g} but the clock did not move. Sleep with "
                        "`self.clock.sleep(seconds)`.",
                        tokens=tokens,
                        got=got,
                    ),
                )
            return _say(
                False,
                translated(
                    "checks",
                    "pacer.wrong_wait",
                    "`wait_for({tokens})` slept {slept:g} s; expected {expected:g} s: {why}.",
                    tokens=tokens,
                    slept=slept,
                    expected=expected,
                    why=why,
                ),
            )
        if not math.isclose(got, slept, abs_tol=1e-6):
            return _say(
                False,
                translated(
                    "checks",
                    "pacer.wrong_return",
                    "`wait_for({tokens})` slept {slept:g} s but returned {got!r}. Return the seconds slept.",
                    tokens=tokens,
                    slept=slept,
                    got=got,
                ),
            )
    simulator = Simulator(lab_world(rpm=10_000, tpm=3_000))
    client = demo_client("sk-lab", simulator)
    body = {"model": "gpt-4o-mini", "max_tokens": 280, "messages": [{"role": "user", "content": "x" * 100}]}
    tokens = estimate_tokens(body)
    try:
        pacer = Pacer(3_000, simulator.clock)
        refused = 0
        for _ in range(20):
            pacer.wait_for(tokens)
            try:
                client.chat.completions.create(**body)
            except openai.RateLimitError:
                refused += 1
    except Exception as exc:
        return _say(
            False,
            translated(
                "checks",
                "pacer.simulator_raised",
                "Pacing 20 requests against the simulator raised {error}.",
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    ideal = (20 * tokens - 3_000) / (3_000 / 60)
    if refused:
        return _say(
            False,
            translated(
                "checks",
                "pacer.refused",
                "Against a limit of 3,000 tokens a minute, {refused} of 20 paced requests were still refused: the "
                "pacer let them go too early.",
                refused=refused,
            ),
        )
    if simulator.clock.now() > ideal + 1:
        return _say(
            False,
            translated(
                "checks",
                "pacer.too_slow",
                "No 429s, but 20 requests took {took:.1f} s where {ideal:.1f} s is enough: the pacer waits longer "
                "than it needs to.",
                took=simulator.clock.now(),
                ideal=ideal,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "pacer.passed",
            "Your pacer sent 20 requests of {tokens} tokens against 3,000 tokens a minute with no 429, in {took:.1f} "
            "s, as fast as the limit allows. That is all a throttle is.",
            tokens=tokens,
            took=simulator.clock.now(),
        ),
    )


_SU_NEIGHBOUR_EVERY_S, _SU_DEADLINE_S = 6.0, 110.0


def check_batch_settings(max_concurrency, headroom) -> None:
    """Exercise 2 in notebook 08: 60 jobs, no 429 for anyone on the key, done within 110 simulated seconds."""
    from ..experiments.batch import LATENCY_S, RPM, run_batch

    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
        return _say(
            False,
            translated(
                "checks",
                "batch_settings.concurrency",
                "MAX_CONCURRENCY should be a whole number of at least 1, got {value!r}.",
                value=max_concurrency,
            ),
        )
    if isinstance(headroom, bool) or not isinstance(headroom, (int, float)) or not 0 < headroom <= 1:
        return _say(
            False,
            translated(
                "checks",
                "batch_settings.headroom",
                "HEADROOM should be a share of the limit between 0 (excluded) and 1, got {value!r}; 0.9 means 90 %.",
                value=headroom,
            ),
        )
    try:
        results, simulator, finished = run_batch(max_concurrency, headroom, neighbour_every=_SU_NEIGHBOUR_EVERY_S)
    except Exception as exc:
        return _say(
            False,
            translated(
                "checks",
                "batch_settings.raised",
                "The batch could not run with these settings ({error}).",
                error=f"{type(exc).__name__}: {exc}",
            ),
        )
    done = sum(r.ok for r in results)
    refused = sum(entry.status == 429 for entry in simulator.log)
    planned = headroom * RPM
    if refused:
        values = dict(refused=refused, planned=planned, rpm=RPM, neighbour=60 / _SU_NEIGHBOUR_EVERY_S)
        if refused == 1:
            text = translated(
                "checks",
                "batch_settings.refused_one",
                "{refused} request was refused with 429 on the key. Your throttle plans for {planned:g} of the {rpm} "
                "requests a minute, but the neighbour also takes about {neighbour:g}: lower HEADROOM.",
                **values,
            )
        else:
            text = translated(
                "checks",
                "batch_settings.refused_many",
                "{refused} requests were refused with 429 on the key. Your throttle plans for {planned:g} of the "
                "{rpm} requests a minute, but the neighbour also takes about {neighbour:g}: lower HEADROOM.",
                **values,
            )
        return _say(False, text)
    if done < len(results):
        return _say(
            False,
            translated(
                "checks",
                "batch_settings.unfinished",
                "Only {done} of {total} jobs were done. Run `try_settings(MAX_CONCURRENCY, HEADROOM)` to see what "
                "happened.",
                done=done,
                total=len(results),
            ),
        )
    if finished > _SU_DEADLINE_S:
        most = int(max_concurrency * _SU_DEADLINE_S / LATENCY_S)
        if most < len(results):
            values = dict(concurrency=max_concurrency, latency=LATENCY_S, most=most, deadline=_SU_DEADLINE_S)
            if max_concurrency == 1:
                hint = translated(
                    "checks",
                    "batch_settings.concurrency_one",
                    "with {concurrency} request in flight and {latency:g} s per answer, at most {most} answers can "
                    "arrive in {deadline:g} s, whatever the throttle allows: raise MAX_CONCURRENCY",
                    **values,
                )
            else:
                hint = translated(
                    "checks",
                    "batch_settings.concurrency_many",
                    "with {concurrency} requests in flight and {latency:g} s per answer, at most {most} answers can "
                    "arrive in {deadline:g} s, whatever the throttle allows: raise MAX_CONCURRENCY",
                    **values,
                )
        else:
            hint = translated(
                "checks",
                "batch_settings.unused",
                "your throttle plans for only {planned:g} of the {rpm} requests a minute, leaving capacity unused: "
                "raise HEADROOM a little",
                planned=planned,
                rpm=RPM,
            )
        return _say(
            False,
            translated(
                "checks",
                "batch_settings.late",
                "No 429s, well done, but the batch finished at {finished:.0f} s, after the {deadline:g} s deadline: "
                "{hint}.",
                finished=finished,
                deadline=_SU_DEADLINE_S,
                hint=hint,
            ),
        )
    return _say(
        True,
        translated(
            "checks",
            "batch_settings.passed",
            "All {done} jobs done at {finished:.0f} s with no 429 for you or the neighbour: {concurrency} in flight, "
            "planning for {planned:g} of {rpm} requests a minute.",
            done=done,
            finished=finished,
            concurrency=max_concurrency,
            planned=planned,
            rpm=RPM,
        ),
    )

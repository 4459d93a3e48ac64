# %% [markdown]
# # Many clients: herds, budgets and retries that multiply
#
# Up to now there was one program with one retry loop. In production there are many: workers, containers,
# users' browsers, scheduled jobs. They share one rate limit, one database row or one struggling server. A retry
# strategy that is harmless for one client can turn into a storm when a hundred clients run it together.
#
# **What you will learn in this notebook**
# - why clients that back off the same way come back **together** (the *thundering herd*), and how jitter
#   breaks the waves up;
# - how to reproduce Marc Brooker's 2015 **contended-row experiment**, and check his conclusions against your
#   own numbers;
# - how **retry budgets** (a cap on attempts, a retry ratio, a retry token bucket) stop an outage from
#   multiplying the load;
# - why retries **multiply across layers** (6 × 3 = 18 requests for one call) and how to retry at one layer only;
# - what the SDK's own retries do when many clients run at once.
#
# **Time to learn:** about 35 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Rate limits (429), `Retry-After`, the `x-ratelimit-*` headers | needed | notebook 03 |
# | Backoff with and without jitter; `RetryPolicy`, `MaxAttempts` | needed | notebook 06 |
# | 500 and 503 errors, and the SDK's built-in retries | helpful | notebook 05 |

# %% [markdown]
# ## Setup
#
# Everything in this notebook runs in simulated time: a minute of backing off takes a few milliseconds.
# `lab_world(rpm=..., tpm=...)` is the demo world plus an organization whose limits are exactly the ones you
# ask for; its key is `sk-lab`. `run_load` runs many clients against it and returns every attempt (`.trace`)
# and a summary (`.metrics`).

# %%
import math
from collections import Counter

from helpers import plots
from helpers.experiments import lab_world, measure_nesting, run_load, run_sdk_load, sweep
from helpers.retry import Exponential, FullJitter, MaxAttempts, RetryPolicy, RetryQuota, RetryRatio
from helpers.simulator import Simulator


def gets(n):
    return f"{n} get{'s' if n == 1 else ''} through"


def side_by_side(results, rows):
    """Print a small table: one column per result, one line per (label, function of the metrics)."""
    names = list(results)
    print(f"{'':32}" + "".join(f"{name:>22}" for name in names))
    for label, value in rows:
        print(f"{label:32}" + "".join(f"{value(results[name].metrics):>22}" for name in names))


# %% [markdown]
# ---
# ## 1. The thundering herd
#
# Forty workers start the same job at the same moment: a scheduled task fires, a deployment restarts them, a queue
# refills. They share one organization's limit of **120 requests per minute**. OpenAI says a limit may be enforced
# over shorter periods, so 120 a minute can behave like **2 a second**. The simulator does that with
# `burst_fraction=1/60`: the bucket holds one second's worth of requests. (So keep such a limit at 60 requests a
# minute or more: a bucket must hold at least one whole request.)
#
# Each worker sends one request and retries with **plain exponential backoff, no jitter**: 1 s, 2 s, 4 s, …
# (capped at 32 s), at most 8 attempts.


# %%
def herd(backoff, seed=0):
    """40 clients, one request each, against 120 requests/min enforced as 2 per second."""
    simulator = Simulator(lab_world(rpm=120, tpm=1_000_000), burst_fraction=1 / 60, seed=seed)
    return run_load(
        clients=40,
        requests_per_client=1,
        rpm=120,
        tpm=1_000_000,
        seed=seed,
        policy=RetryPolicy(backoff, (MaxAttempts(8),)),
        simulator=simulator,
    )


lockstep = herd(Exponential(base=1, cap=32))
plots.show(plots.retry_timeline(lockstep))

# %% [markdown]
# Each row is a worker, each mark an attempt. The refusals line up in vertical stripes: everybody was refused at
# the same moment, waited exactly as long as everybody else, and came back at the same moment. Count what happens
# in each wave:

# %%
arrived = Counter(round(row.time) for row in lockstep.trace)
got_in = Counter(round(row.time) for row in lockstep.trace if row.kind == "ok")
for second in sorted(arrived):
    print(f"t ≈ {second:3d} s: {arrived[second]:2d} requests arrive, {gets(got_in[second])}")

# %% [markdown]
# Each wave gets in only as many requests as the bucket holds; the rest bounce off. Between the waves the bucket
# refills, but it cannot hold more than one second's worth, so most of that refill is simply lost. The herd wastes
# both its own attempts and the limit's capacity.
#
# Now the same workers with **full jitter**: each wait is drawn at random between 0 and the exponential value.

# %%
spread = herd(FullJitter(base=1, cap=32))
plots.show(plots.retry_timeline(spread))

# %%
herds = {"exponential, no jitter": lockstep, "full jitter": spread}
side_by_side(
    herds,
    [
        ("requests that succeeded", lambda m: f"{m.successes} of {m.requests}"),
        ("attempts", lambda m: m.attempts),
        ("429s received", lambda m: m.rate_limited),
        ("attempts per success", lambda m: f"{m.amplification:.1f}"),
        ("requests given up", lambda m: m.gave_up),
        ("time to drain (s)", lambda m: f"{m.drain_time_s:.0f}"),
    ],
)


# %% [markdown]
# With jitter the retries arrive one by one, so the bucket's refill is used as it comes in, and far more workers
# finish before their attempts run out, with fewer attempts per success.
#
# ### A twist: jitter cannot create capacity
#
# Jitter fixes *collisions*. It does not make a limit bigger. Take a limit that lets a whole minute's worth of
# requests through at once (no `burst_fraction`) but is simply too small: 40 workers against **20 requests per
# minute**.


# %%
def too_small(backoff, seed=0):
    """40 clients, one request each, against 20 requests/min with a bucket that holds the whole minute."""
    return run_load(
        clients=40,
        requests_per_client=1,
        rpm=20,
        tpm=1_000_000,
        seed=seed,
        policy=RetryPolicy(backoff, (MaxAttempts(8),)),
    )


side_by_side(
    {"exponential, no jitter": too_small(Exponential(1, 32)), "full jitter": too_small(FullJitter(1, 32))},
    [
        ("requests that succeeded", lambda m: f"{m.successes} of {m.requests}"),
        ("attempts", lambda m: m.attempts),
        ("attempts per success", lambda m: f"{m.amplification:.1f}"),
    ],
)

# %% [markdown]
# Here the result turns around. Two things work against jitter: full jitter waits only half as long on average, so
# within 8 attempts less of the limit refills; and a refused request still counts against the limit (OpenAI says
# failed requests count; how much they use up is the simulator's assumption), so a steady trickle of jittered retries keeps eating the refill before it adds up to a whole
# request. Plain exponential backoff leaves the bucket alone between its waves.
#
# That result is this simulator's: it rests on how much a refused request uses up here, which OpenAI does not
# publish. Take from it only that jitter is no cure-all against a rate limit.
#
# A separate and more general point comes from Marc Brooker (*What is backoff for?*, 2022): backoff helps a crowd
# through a **short spike**, but with a large or unbounded population of independent clients it does **not** lower
# the long-run load, it only moves the work later. Only **fewer retries** do that. That is what retry budgets
# (section 3) are for, and pacing (notebook 08) keeps the first tries under the limit.

# %% [markdown]
# ---
# ## 2. Brooker's contended-row experiment
#
# In 2015 Marc Brooker published *Exponential Backoff And Jitter* on the AWS Architecture Blog. His experiment is
# small enough to rerun here:
#
# - A database **row** holds a version number and is guarded by *optimistic concurrency*: a client reads the
#   version, then writes with it; the write succeeds only if nobody else wrote in between.
# - **N clients** all start at t = 0 and each wants to update the row once. After a failed write a client backs
#   off, then reads again and retries.
# - Every message takes about 10 ms (± 2 ms) each way. Backoff base 5 ms, cap 2 s.
# - Strategies: **none**, plain **exponential**, **equal** jitter, **full** jitter, **decorrelated** jitter.
# - Two measures: **writes** the server received (the work) and the **completion time** until the last client
#   is done.
#
# Brooker ran 100 runs for each of 19 client counts. We run 20 runs at 10, 50 and 100 clients, which takes about a
# second. (His whole grid, `sweep(range(10, 200, 10), runs=100, allow_large=True)`, takes well under a minute. The
# experiment is also on the command line:
# `python -m helpers.experiments contention --clients 100 --runs 20 --seed 0 --json`.)

# %%
results = sweep([10, 50, 100], runs=20, seed=0)
plots.show(plots.occ_results(results))

# %%
STRATEGIES = list(dict.fromkeys(r.strategy for r in results))
COUNTS = sorted({r.clients for r in results})
for title, value in (
    ("writes (mean per run)", lambda r: f"{r.mean_writes:.0f}"),
    ("completion time (s)", lambda r: f"{r.mean_completion_ms / 1000:.2f}"),
):
    print(f"{title:24}" + "".join(f"{f'{n} clients':>13}" for n in COUNTS))
    for strategy in STRATEGIES:
        cells = {r.clients: r for r in results if r.strategy == strategy}
        print(f"  {strategy:22}" + "".join(f"{value(cells[n]):>13}" for n in COUNTS))
    print()

top = max(COUNTS)
at_top = [r for r in results if r.clients == top]
print(
    f"At {top} clients, '{min(at_top, key=lambda r: r.mean_completion_ms).strategy}' finishes first and "
    f"'{min(at_top, key=lambda r: r.mean_writes).strategy}' does the least work."
)

# %% [markdown]
# Notice who finishes first. Backing off costs the *clients* time; not backing off costs the *server* work. Brooker
# cared about the work: on a shared server, every wasted write slows everyone else down.

# %% [markdown]
# ### Held against the post, point by point
#
# The blog states its conclusions in words (the figures are images). Below, each one is checked against the numbers
# you just produced. The verdicts are computed, so if you change the runs or the seed they follow.

# %%
point = {(r.clients, r.strategy): r for r in results}


def writes(n, s):
    return point[n, s].mean_writes


def seconds(n, s):
    return point[n, s].mean_completion_ms / 1000


def growth(f, s):
    return math.log(f(100, s) / f(50, s), 2)  # exponent k in "grows like N^k", from 50 to 100 clients


JITTERED = ("equal_jitter", "full_jitter", "decorrelated_jitter")


def verdict(claim, holds, partly, evidence):
    mark = "✔ holds       " if holds else ("≈ holds partly" if partly else "✘ not here    ")
    print(f"{mark}  {claim}\n                {evidence}\n")


k_work, k_time = growth(writes, "none"), growth(seconds, "none")
verdict(
    "Without backoff, work grows like N² and completion time like N.",
    k_work > 1.7 and 0.7 < k_time < 1.3,
    k_work > 1.3,
    f"from 50 to 100 clients, writes grow like N^{k_work:.2f} and time like N^{k_time:.2f}",
)

saved = 1 - writes(100, "exponential") / writes(100, "none")
versus_full = writes(100, "exponential") / writes(100, "full_jitter")
verdict(
    "Plain exponential backoff barely reduces the work.",
    saved < 0.1,
    saved < 0.5,
    f"at 100 clients it saves {saved:.0%} of the writes, but still does {versus_full:.1f}× the work of full jitter",
)

slowest_other = max(seconds(100, s) for s in ("none", *JITTERED))
verdict(
    "Plain exponential backoff is by far the slowest.",
    seconds(100, "exponential") > 3 * slowest_other,
    seconds(100, "exponential") > slowest_other,
    f"at 100 clients it takes {seconds(100, 'exponential'):.1f} s; the next slowest {slowest_other:.1f} s",
)

gap = {n: min(writes(n, "none"), writes(n, "exponential")) / max(writes(n, s) for s in JITTERED) for n in (50, 100)}
verdict(
    "Every jittered variant does much less work than either un-jittered one.",
    all(g > 1.5 for g in gap.values()),
    all(g > 1 for g in gap.values()),
    "the un-jittered ones do at least " + ", ".join(f"{g:.1f}× (at {n})" for n, g in gap.items()) + " the work",
)

full_vs_equal = abs(writes(100, "equal_jitter") / writes(100, "full_jitter") - 1)
decorrelated_more = writes(100, "decorrelated_jitter") > writes(100, "full_jitter")
verdict(
    "Full and equal jitter do about the same work; decorrelated does somewhat more.",
    full_vs_equal < 0.15 and decorrelated_more,
    full_vs_equal < 0.15 or decorrelated_more,
    f"at 100 clients: full {writes(100, 'full_jitter'):.0f}, equal {writes(100, 'equal_jitter'):.0f}, "
    f"decorrelated {writes(100, 'decorrelated_jitter'):.0f} writes",
)

equal_slowest = [n for n in (50, 100) if max(JITTERED, key=lambda s: seconds(n, s)) == "equal_jitter"]
verdict(
    "Among the jittered variants, equal jitter takes the longest.",
    len(equal_slowest) == 2,
    len(equal_slowest) == 1,
    "; ".join(f"at {n}: " + ", ".join(f"{s.split('_')[0]} {seconds(n, s):.1f} s" for s in JITTERED) for n in (50, 100)),
)

close_call = [
    n
    for n in (50, 100)
    if writes(n, "full_jitter") < writes(n, "decorrelated_jitter")
    and seconds(n, "full_jitter") > seconds(n, "decorrelated_jitter")
]
verdict(
    "Full vs decorrelated is a close call: full does less work but takes a little longer.",
    len(close_call) == 2,
    len(close_call) == 1,
    "; ".join(
        f"at {n}: full {writes(n, 'full_jitter'):.0f} writes / {seconds(n, 'full_jitter'):.1f} s, "
        f"decorrelated {writes(n, 'decorrelated_jitter'):.0f} / {seconds(n, 'decorrelated_jitter'):.1f} s"
        for n in (50, 100)
    ),
)

exponents = {s: growth(writes, s) for s in dict.fromkeys(r.strategy for r in results)}
verdict(
    "No strategy changes the fact that the work grows faster than the number of clients.",
    all(k > 1 for k in exponents.values()),
    sum(k > 1 for k in exponents.values()) >= 3,
    "growth of the writes: " + ", ".join(f"{s.split('_')[0]} N^{k:.2f}" for s, k in exponents.items()),
)


# %% [markdown]
# Most of the post holds up. The one that only partly holds is the harshest: plain exponential backoff *does* save
# some work once contention is high, yet it still does far more work than any jittered variant (the verdict gives
# the factor), and it is by far the slowest, because all the blocked clients sleep the same time and collide again.
# Small runs are noisy: try `runs=50` or another `seed`, and see which verdicts are stable.
#
# What came after the post is worth knowing too. Brooker later pointed out (2022) that backoff only *delays* work:
# with an open-ended crowd of independent clients, only doing **fewer retries** lowers the long-run load. The AWS
# Builders' Library adds that retries are *selfish* (each client buys its own success with the server's time), that
# they can keep an outage going after its cause is fixed, and that you should **retry at one layer only**. The next
# two sections are about exactly those two ideas.

# %% [markdown]
# ---
# ## 3. Retry budgets: a cap for the bad days
#
# During an outage every request fails, so every client spends *all* its attempts. With `MaxAttempts(6)` the
# struggling server receives six times its normal load, just when it can least take it. A **retry budget** limits
# how much retrying a client may do in total, not just per request:
#
# | Budget | Rule | From |
# |---|---|---|
# | `MaxAttempts(n)` | at most `n` attempts per request | everyone; Google SRE suggests 3 |
# | `RetryRatio(0.1)` | per client, retries stay under 10 % of its requests | Google SRE book |
# | `RetryQuota(capacity=500, retry_cost=5)` | a bucket of tokens: each retry costs 5, each first-try success earns 1, a success after retries refunds the cost; empty bucket, no retry | AWS SDKs (legacy mode: 5, or 10 for a timeout; from 2026: 5 for throttling, 14 for other errors) |
#
# `run_load` gives **each client its own copy** of the budgets, as a real client would have. The budgets that count
# requests need a client to send many of them, so here 5 clients send 40 requests each, on two days:
#
# - an **outage**: every request fails with a 500 (`server_error_share` 1.0);
# - a **bad day**: one request in five fails (`server_error_share` 0.2), and retries are what save it.
#
# We measure the **load**: attempts per request. (The metrics' `amplification` is attempts per *success*, which is
# infinite when nothing succeeds.)


# %%
def day(policy, failure_share, seed=0):
    """5 clients × 40 requests against a model that fails `failure_share` of the time (limits out of the way)."""
    simulator = Simulator(
        lab_world(rpm=6_000, tpm=10_000_000), seed=seed, faults={"gpt-4o-mini": {"server_error_share": failure_share}}
    )
    return run_load(
        clients=5, requests_per_client=40, rpm=6_000, tpm=10_000_000, policy=policy, simulator=simulator, seed=seed
    ).metrics


backoff = FullJitter(0.5, 8)
budgets = {
    "6 attempts": RetryPolicy(backoff, (MaxAttempts(6),)),
    "3 attempts": RetryPolicy(backoff, (MaxAttempts(3),)),
    "6 attempts + ratio 10 %": RetryPolicy(backoff, (MaxAttempts(6), RetryRatio(0.1))),
    "6 attempts + quota of 500": RetryPolicy(backoff, (MaxAttempts(6), RetryQuota(capacity=500))),
    "6 attempts + quota of 50": RetryPolicy(backoff, (MaxAttempts(6), RetryQuota(capacity=50))),
}
print(f"{'policy':28}{'outage: load':>14}{'bad day: succeeded':>20}{'bad day: load':>15}")
for name, policy in budgets.items():
    outage, bad = day(policy, 1.0), day(policy, 0.2)
    print(
        f"{name:28}{outage.attempts / outage.requests:13.2f}×"
        f"{bad.successes / bad.requests:19.0%}{bad.attempts / bad.requests:14.2f}×"
    )

# %% [markdown]
# What the table shows:
#
# - A cap on attempts alone multiplies the outage load by exactly that cap. Fewer attempts help, but only so far.
# - The **retry ratio** holds the outage load near 1.1× whatever happens, but on the bad day it also refuses
#   retries that would have worked.
# - A **retry quota** adapts: successes refill it, so on a bad day it lets retries through, while in an outage it
#   runs dry and the retries stop. Its size matters, though: 500 tokens at 5 per retry is 100 retries, and these
#   clients only spend them all halfway through their 40 requests, so the outage load is only halved. The AWS SDKs
#   size it for long-lived clients that send many requests; scale it to your own traffic.
#
# ### Exercise 1: a budget for the bad days
#
# Build `my_policy`, a `RetryPolicy`, such that
#
# 1. in the **outage**, the load stays at **1.2 attempts per request or less**, and
# 2. on the **bad day**, at least **95 %** of the requests still succeed.
#
# Use `day(my_policy, 1.0)` and `day(my_policy, 0.2)` to try your ideas before you run the check.

# %% tags=["exercise"]
my_policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),))  # change the budgets

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/07_retry_budget.py

# %%
from helpers.checks import check_retry_budget

check_retry_budget(my_policy)

# %% [markdown]
# ---
# ## 4. Retries multiply across layers
#
# A popular recipe (the OpenAI Cookbook shows it) wraps each API call in a retry decorator such as tenacity's
# `@retry(stop=stop_after_attempt(6))`. But the SDK underneath *also* retries: `max_retries=2` by default, so each
# of those 6 attempts is up to 3 HTTP requests. The layers multiply:
#
# - tenacity with 6 attempts × the SDK's 3 = **18** requests for one call;
# - the Cookbook's hand-written decorator, 10 retries (11 attempts) × 3 = **33**.
#
# `measure_nesting` wraps a retry loop of `outer_attempts` around an SDK client with its own retries, sends
# **one** logical call to a model that is overloaded all the time, and counts what reaches the server:

# %%
for outer, sdk_retries in [(6, 2), (11, 2), (6, 0)]:
    nested = measure_nesting(outer_attempts=outer, sdk_max_retries=sdk_retries)
    print(
        f"your loop: {outer:2} attempts × the SDK: {nested.sdk_attempts_per_call} attempt(s) per call "
        f"→ the server received {nested.http_calls:2} requests for one call"
    )


# %% [markdown]
# The fix is to **retry at one layer only**. If you run your own loop (to honour budgets, log retries or skip
# quota errors), switch the SDK's retries off: `openai.OpenAI(max_retries=0)`, in this course
# `make_client(..., max_retries=0)`. Or write no loop and let the SDK retry. The last line above shows the result:
# 6 requests, as many as your loop asked for.
#
# Stacks can be deeper than two layers: a job queue that re-runs failed jobs, your retry decorator, the SDK, maybe
# a proxy. The SRE book's example: three layers that each make 4 attempts give 4 × 4 × 4 = 64 requests at the bottom.
#
# ### Exercise 2: the worst case of nested layers
#
# Write `worst_case_requests(retries_per_layer)`. It takes a list with the number of **retries** each layer makes
# (like the SDK's `max_retries`, so `2` means 3 attempts) and returns how many HTTP requests one logical call can
# cause when every attempt fails. Then use it for this stack: a job queue that re-runs a failed job 3 times, a
# tenacity decorator with 5 retries, and the SDK's default 2.


# %% tags=["exercise"]
def worst_case_requests(retries_per_layer):
    """HTTP requests one call can cause when every attempt fails; one number of retries per layer."""
    # Your code here
    return 0


print("job queue (3) → tenacity (5) → SDK (2):", worst_case_requests([3, 5, 2]), "requests")


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/07_nested_attempts.py

# %%
from helpers.checks import check_nested_attempts

check_nested_attempts(worst_case_requests)

# %% [markdown]
# ---
# ## 5. The SDK under load
#
# Last, the official SDK itself, many copies at once: 20 `AsyncOpenAI` clients, each making 3 calls, all sharing
# **20 requests per minute**. Each client keeps the default `max_retries=2`. `run_sdk_load` runs them concurrently,
# in simulated time, with the SDK's real retry code.

# %%
crowd = run_sdk_load(clients=20, calls_per_client=3, rpm=20, max_retries=2)
print(f"calls made by the application : {crowd.calls}")
print(f"calls that succeeded          : {crowd.succeeded}")
print(f"calls that raised             : {crowd.errors}")
print(f"HTTP requests the server saw  : {crowd.http_attempts} ({crowd.retries} of them retries)")
print(f"requests per call             : {crowd.amplification:.2f}")

# %% [markdown]
# Many calls failed anyway, after using up their retries. Look at *when* the requests arrived:

# %%
arrived = Counter(round(entry.time, 1) for entry in crowd.simulator.log)
answered = Counter(round(entry.time, 1) for entry in crowd.simulator.log if entry.status == 200)
for moment in sorted(arrived):
    print(f"t = {moment:5.1f} s: {arrived[moment]:3d} requests arrive, {gets(answered[moment])}")

# %% [markdown]
# A herd again, this time made by the SDK itself. The SDK waits **exactly** as long as `Retry-After` says, without
# jitter, and every client refused at the same moment is told the same wait. So they all come back at the same
# moment, one gets in, and the rest are refused together once more.
#
# More retries per call buy a few more successes, at the price of much more load. Compare:

# %%
print(f"{'max_retries':>11}{'succeeded':>11}{'HTTP requests':>15}{'requests per call':>19}")
for retries in (0, 2, 5):
    run = run_sdk_load(clients=20, calls_per_client=3, rpm=20, max_retries=retries)
    print(f"{retries:11}{f'{run.succeeded} of {run.calls}':>11}{run.http_attempts:15}{run.amplification:19.2f}")

# %% [markdown]
# Each SDK client retries on its own, with no idea that 19 others share its limit. What the crowd needs is
# coordination: one **throttle**, shared by every worker, that spaces the requests out before they are sent. That is
# the subject of the next notebook.
#
# ---
# ## Key points
#
# - Clients that back off on the same schedule come back **together**. Against a limit enforced over short periods
#   (and against a contended resource), each wave gets only what fits and wastes the rest: add **jitter**.
# - Brooker's experiment holds up: the jittered strategies do far less work than no backoff or plain exponential
#   backoff, and plain exponential is by far the slowest. It does save *some* work at high contention, but still
#   does far more than the jittered ones.
# - Jitter prevents collisions; it cannot create capacity. When demand stays above the limit, only **fewer
#   requests** help.
# - **Retry budgets** cap the damage of an outage: a cap on attempts multiplies the load by that cap; a retry ratio
#   holds it near 1.1×; a retry token bucket also adapts, letting retries through on a bad day and stopping them
#   in an outage.
# - Retries **multiply across layers**: 6 × 3 = 18, 11 × 3 = 33, 4 × 4 × 4 = 64. Retry at one layer only, and set
#   `max_retries=0` on the SDK under your own loop.
# - The SDK honours `Retry-After` exactly, so a crowd of SDK clients sharing a limit retries in lockstep. Share one
#   throttle instead.
#
# **Next:** [08 — Staying under the limit](08_staying_under_the_limit.ipynb)

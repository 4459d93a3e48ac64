# %% [markdown]
# # The backoff lab
#
# A retry loop looks like three lines of code, and most of them in the wild are wrong in one of a few ways: they
# retry at once, they wait the same time again and again, they never stop, or they retry errors that can never
# succeed. In this notebook you build a retry loop from scratch, one improvement at a time, and measure each
# version against the simulated API. Then you test your ideas on a whole crowd of clients in the backoff lab.
#
# **What you will learn in this notebook**
# - why retrying at once, or after a fixed pause, fails against a rate limit;
# - how exponential backoff works, what its cap is for, and how to choose one;
# - what jitter is (full, equal and decorrelated), what it does to a crowd of clients, and what it cannot do;
# - how to write a retry loop you could ship: it stops on errors that never succeed, honours `Retry-After`, and
#   gives up in time;
# - how to use the course's ready-made `send_with_retries` and `RetryPolicy`;
# - how to explore strategies with the **backoff lab** and the **strategy race** widgets, and read their metrics.
#
# **Time to learn:** about 45 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Rate limits, the refilling bucket, `Retry-After`, refused requests counting | needed | notebook 03 |
# | Which errors are worth a retry (`classify_exception`) | helpful | notebooks 04 and 05 |
# | Python: functions, `lambda`, `try`/`except`, `raise` | needed | |

# %% [markdown]
# ## Setup
#
# Everything this notebook uses, in one cell. As in every notebook, the API and the clock are simulated: a retry
# loop that waits five minutes finishes in a blink.

# %%
import random

import openai
from matplotlib.figure import Figure

from helpers import plots
from helpers.experiments import run_load
from helpers.retry import (
    DecorrelatedJitter,
    EqualJitter,
    Exponential,
    FullJitter,
    MaxAttempts,
    RetryAfter,
    RetryPolicy,
    classify_exception,
    send_with_retries,
)
from helpers.simulator import Simulator, make_client
from helpers.widgets import BackoffLab, StrategyRace

# %% [markdown]
# ---
# ## 1. The job
#
# A small batch job: eight prompts, sent one after another with the free-tier key `sk-demo-free`, which may send
# **3 requests per minute** (one request refills every 20 seconds). We turn off the SDK's own retries
# (`max_retries=0`) because we want to do the retrying ourselves.
#
# `run_batch` is our retry loop. It tries each prompt up to `max_attempts` times. Before retry number `n` (1 for
# the first retry) it asks a function, `wait_before_retry(n, exc)`, how many seconds to wait, where `exc` is the
# error it just got. Everything we change in this section is that one function.
#
# The wait uses `sim.clock.sleep(seconds)`: the simulator's clock moves forward by that much, at once.

# %%
PROMPTS = [f"Give me a fun fact about the number {n}." for n in range(1, 9)]


def ask(client, prompt):
    return client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=50, messages=[{"role": "user", "content": prompt}]
    )


def run_batch(name, wait_before_retry, max_attempts=8):
    """Send every prompt with the free-tier key, each with up to `max_attempts` attempts, and report."""
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)  # no SDK retries: the loop below is ours
    done = 0
    for prompt in PROMPTS:
        for attempt in range(1, max_attempts + 1):
            try:
                ask(client, prompt)
                done += 1
                break  # this prompt is done
            except openai.RateLimitError as exc:
                if attempt < max_attempts:
                    sim.clock.sleep(wait_before_retry(attempt, exc))  # virtual time: returns at once
    refused = sum(entry.status == 429 for entry in sim.log)
    print(
        f"{name:26} {done}/{len(PROMPTS)} prompts done, {len(sim.log):2} attempts, {refused:2} refused, "
        f"{sim.clock.now():3.0f} s of simulated time"
    )


# %% [markdown]
# ---
# ## 2. Retry at once
#
# The first idea everyone has: if it failed, try again straight away.

# %%
run_batch("retry at once", lambda n, exc: 0)

# %% [markdown]
# The first three prompts went through (the bucket was full), and the other five used their eight attempts within
# the same instant, all refused. Forty wasted requests, and the job finished no sooner for it.

# %% [markdown]
# ---
# ## 3. Wait a fixed time
#
# Next idea: pause between tries. But how long?

# %%
run_batch("constant 5 s", lambda n, exc: 5)
run_batch("constant 20 s", lambda n, exc: 20)

# %% [markdown]
# Five seconds gets **nothing** more through, even though the seven pauses of 5 seconds between a prompt's eight tries
# add up to 35 seconds, more than the 20 seconds one request needs to refill. Remember from notebook 03 that refused requests count: each
# refused try uses up the quarter of a request that had refilled, so the bucket never holds a whole one.
#
# Twenty seconds works perfectly, because it is exactly the refill time of this limit. But you only know that number
# if you know the limit, and a different key, model or tier has a different one.

# %% [markdown]
# ---
# ## 4. Exponential backoff
#
# Exponential backoff does not need to know the limit: it **doubles** the wait after every failure, so sooner or
# later the wait is long enough. With a base of 1 second, retry `n` waits `1 · 2^(n−1)`: 1, 2, 4, 8, 16, 32 seconds…
#
# Doubling forever would soon mean waits of hours, so real code adds a **cap**: `min(cap, base · 2^(n−1))`.

# %%
run_batch("exponential, no cap", lambda n, exc: 1 * 2 ** (n - 1))
run_batch("exponential, cap 10 s", lambda n, exc: min(10, 1 * 2 ** (n - 1)))
run_batch("exponential, cap 30 s", lambda n, exc: min(30, 1 * 2 ** (n - 1)))

# %% [markdown]
# Exponential backoff gets every prompt through without knowing the limit, at a price: each prompt wastes a run of
# short tries (1, 2, 4, 8, 16 s) before a wait is long enough, so the job takes three times as long as the
# 20-second pause.
#
# The cap of 10 seconds is a trap: no wait is ever long enough for a request to refill, so nothing more gets
# through. **A cap must be longer than the time your limit needs to give you a request back.**

# %% [markdown]
# ---
# ## 5. Jitter
#
# *Jitter* means choosing the wait at random. The best-known form, **full jitter**, picks a wait anywhere between 0
# and the exponential ceiling: `uniform(0, min(cap, base · 2^(n−1)))`. We take the random numbers from a seeded
# generator, so the run repeats exactly.

# %%
rng = random.Random(1)
run_batch("full jitter, cap 60 s", lambda n, exc: rng.uniform(0, min(60, 1 * 2 ** (n - 1))))

# %% [markdown]
# With a single client, jitter has nothing to spread out: it only makes the waits shorter on average (half the
# ceiling), so it needs more tries, and here one prompt even ran out of its eight attempts. Jitter is meant for
# **crowds** of clients; section 7 shows one.

# %% [markdown]
# ---
# ## 6. Ask the server
#
# All of the above guess. But a rate-limit 429 can *tell* you how long to wait, in its `retry-after` header. The
# simulator always sends it on rate-limit 429s; the real API sends it only sometimes, and then the message's
# "Please try again in" (notebook 03) or plain backoff has to do:

# %%
run_batch("wait Retry-After", lambda n, exc: float(exc.response.headers["retry-after"]))

# %% [markdown]
# Every prompt through, with at most one refused try each, and the job took as long as the limit allows: the best a
# single client can do. (This simple version would crash on an error without a `retry-after` header, which the real
# API does send at times; section 9 fixes that.)
#
# | Strategy | Knows the limit? | Result on the free tier |
# |---|---|---|
# | retry at once, or a short constant | no | burns attempts, gets nothing more through |
# | constant 20 s | yes, you hard-coded it | perfect, until the limit changes |
# | exponential with a cap above the refill time | no | gets there, with wasted tries |
# | `Retry-After` | the server tells you | best for a single client |

# %% [markdown]
# ---
# ## 7. A crowd of clients
#
# One client is easy. What happens when twenty of them share a limit? To run a crowd we use the course's
# experiment engine, `run_load`: each client sends its requests one after another with a retry policy, against the
# simulator, in virtual time. A `RetryPolicy` is a backoff (how long to wait) plus budgets (when to give up).
#
# Twenty clients send three requests each (60 in all) to a limit of 30 requests per minute, so half of the work
# has to wait. Every client backs off exponentially (base 0.5 s, cap 16 s) and gives up after 6 attempts; the only
# difference between the two runs is jitter.

# %%
crowd = dict(clients=20, requests_per_client=3, rpm=30, tpm=40_000, prompt_tokens=200, max_tokens=100, seed=0)
waves = run_load(**crowd, policy=RetryPolicy(Exponential(0.5, 16), (MaxAttempts(6),)))
spread = run_load(**crowd, policy=RetryPolicy(FullJitter(0.5, 16), (MaxAttempts(6),)))

for label, result in [("Exponential backoff, no jitter:", waves), ("Exponential backoff with full jitter:", spread)]:
    print(label)
    figure = plots.retry_timeline(result)
    figure.axes[0].set_ylim(-0.5, 24)  # leave room above the rows for the legend
    plots.show(figure)

# %% [markdown]
# Without jitter, the clients move in **waves**: they were refused together, so they wait the same time and come
# back together (the columns of orange crosses). With full jitter, the same retries are **spread** over time.
#
# Now the numbers. Which did better?

# %%
print(f"{'':22}{'no jitter':>12}{'full jitter':>13}")
for label, field in [
    ("requests succeeded", "successes"),
    ("requests given up", "gave_up"),
    ("attempts", "attempts"),
    ("429s received", "rate_limited"),
    ("time to drain (s)", "drain_time_s"),
]:
    print(f"{label:22}{getattr(waves.metrics, field):>12.0f}{getattr(spread.metrics, field):>13.0f}")

# %% [markdown]
# Surprised? Articles on backoff usually show jitter winning by a mile, and in some places it does: wherever the
# harm comes from requests arriving **at the same moment**, spreading them out is exactly what helps. A limit that
# is enforced per second rather than per minute (OpenAI says limits may be), a database row that several clients
# try to update at once, a server that falls over under a spike: notebook 07 runs those experiments.
#
# A rate limit is different. It does not care *when* requests arrive; it counts them. In a wave, the first request
# takes the slot that refilled during the quiet gap and the others are refused. When retries are spread out,
# somebody is knocking all the time, and every refused knock uses up the part of a slot that had refilled. On top of
# that, full jitter waits only half the ceiling on average, so with the same six attempts a client gives up sooner.
#
# This rests on how the simulator counts refusals: OpenAI only says that failed requests count against the
# limit, and the simulator lets each refusal use up whatever had refilled. Against a limit enforced over short
# periods (notebook 07, section 1) jitter wins clearly. Either way, jitter is not a cure for a rate limit: no way of
# arranging retries creates capacity. What helps is sending
# fewer attempts (longer waits, fewer retries), or never sending faster than the limit in the first place (a
# client-side throttle, notebook 08). Keep jitter in real code all the same: real servers also overload, and jitter
# stops a fleet of clients from falling into step.

# %% [markdown]
# ---
# ## 8. The formulas
#
# Every strategy is one formula for the wait before retry `n` (1 for the first retry), with a base `b` and a cap
# `c`:
#
# | Strategy | Wait before retry `n` | In `helpers.retry` |
# |---|---|---|
# | none | 0 | `NoBackoff()` |
# | constant | `d` | `Constant(d)` |
# | exponential (capped) | `min(c, b · 2^(n−1))` | `Exponential(b, c)` |
# | full jitter | `uniform(0, min(c, b · 2^(n−1)))` | `FullJitter(b, c)` |
# | equal jitter | `t/2 + uniform(0, t/2)` with `t = min(c, b · 2^(n−1))` | `EqualJitter(b, c)` |
# | decorrelated jitter | `min(c, uniform(b, 3 · previous wait))`, starting from `b` | `DecorrelatedJitter(b, c)` |
# | the OpenAI SDK | `Retry-After` if 0 < it ≤ 120 s, else `min(8, 0.5 · 2^(n−1)) · uniform(0.75, 1)` | `OpenAISDK()` |
#
# `plots.backoff_schedule` draws a policy: for each retry number, the range of possible waits, where most sampled
# waits fall, and their mean.

# %%
figure = Figure(figsize=(plots.WIDTH_IN, 10), layout="constrained")
descriptions = []
for policy, ax in zip(
    [Exponential(0.5, 16), FullJitter(0.5, 16), EqualJitter(0.5, 16), DecorrelatedJitter(0.5, 16)],
    figure.subplots(4, 1, sharex=True),
    strict=True,
):
    plots.backoff_schedule(policy, ax=ax)
    descriptions.append(figure.alt_text)
for ax in figure.axes[:-1]:
    ax.set_xlabel("")  # the panels share the retry numbers at the bottom
figure.suptitle("Same base and cap, different spread:\njitter turns one wait into a range of waits", fontsize=10)
figure.alt_text = " ".join(descriptions)
plots.show(figure)


# %% [markdown]
# Exponential has no spread at all. Full jitter spreads from 0 to the ceiling, so its mean is half the ceiling.
# Equal jitter never waits less than half the ceiling. Decorrelated jitter grows from the previous wait, so its
# spread is widest.
#
# ### Exercise 1: full jitter
#
# Write `full_jitter(n, base, cap, rng)`: the wait in seconds before retry `n` (1 for the first retry), drawn
# uniformly between 0 and `min(cap, base · 2^(n−1))`. Take the random number from `rng` (a `random.Random`), for
# example with `rng.uniform(...)`, so that a seed repeats the same waits.


# %% tags=["exercise"]
def full_jitter(n, base, cap, rng):
    """Seconds to wait before retry n (n = 1 for the first retry), with full jitter."""
    # Your code here
    return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/06_full_jitter.py

# %%
from helpers.checks import check_full_jitter

check_full_jitter(full_jitter)


# %% [markdown]
# ---
# ## 9. A retry loop you could ship
#
# The loop in `run_batch` only handles rate limits, and its `Retry-After` version crashes when the header is
# missing. A loop for real programs follows a few rules:
#
# 1. **Retry only what can succeed.** Rate limits, overloads (503), server errors (500), timeouts and dropped
#    connections: yes. Billing errors, bad keys, unknown models, *Request too large*, and bugs in your own code: never.
#    `classify_exception(exc)` (from notebooks 04 and 05) makes that call; its `.retryable` says yes or no.
# 2. **Never retry sooner than the server asks.** `classify_exception(exc).retry_after` holds the server's
#    `Retry-After` in seconds (or `None`). It is a minimum, not a promise: it says when *one* request will fit. So
#    wait the larger of it and your backoff; if the retry is refused again, the backoff grows and so does the wait.
#    Without a `Retry-After`, back off with full jitter.
# 3. **Give up in time**, after `max_attempts` attempts, by re-raising the last error, so the caller sees what went
#    wrong.
# 4. **Sleep on the clock you are given**, never `time.sleep` directly, so the loop can be tested in virtual time.
#
# ### Exercise 2: your own retry loop
#
# Write `call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0)`. It calls `send()` (a function
# with no arguments that makes the API call) until it succeeds, and returns what `send()` returned. When the error
# cannot succeed, or when `max_attempts` attempts have been made, it re-raises the last error. Before retry `n` it
# sleeps `clock.sleep(...)` for the larger of the server's `Retry-After` and `full_jitter(n, base, cap, rng)`.


# %% tags=["exercise"]
def call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
    """Call send() until it succeeds and return its result; re-raise the last error when giving up."""
    # Your code here
    return send()


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/06_retry_loop.py

# %%
from helpers.checks import check_retry_loop

check_retry_loop(call_with_retries)

# %% [markdown]
# Your loop on the batch job, and on an organization that has run out of quota:

# %%
sim = Simulator()
client = make_client("sk-demo-free", sim, max_retries=0)
loop_rng = random.Random(0)
try:
    for prompt in PROMPTS:
        call_with_retries(lambda: ask(client, prompt), sim.clock, loop_rng)  # noqa: B023 (called before the loop moves on)
    print(f"free tier: all {len(PROMPTS)} prompts done with {len(sim.log)} attempts in {sim.clock.now():.0f} s")
except openai.RateLimitError:
    print(
        "call_with_retries gave up on a 429 it could have waited out. Finish the exercise above, then run this again."
    )

broke = make_client("sk-demo-broke", max_retries=0)
try:
    call_with_retries(lambda: ask(broke, PROMPTS[0]), broke.simulator.clock, loop_rng)
except openai.RateLimitError as exc:
    print(f"out of quota: gave up after {len(broke.simulator.log)} attempt, with {exc.code}")

# %% [markdown]
# ---
# ## 10. The toolkit's version
#
# The course's `helpers.retry` package has the same loop, ready-made and with a few extras: `send_with_retries(send,
# policy, clock, seed=...)`. The policy is a `RetryPolicy`: a backoff from the table in section 8, plus budgets such
# as `MaxAttempts(6)`. `RetryAfter(inner)` waits the server's `Retry-After` plus a little jitter (up to 10 % more),
# gives up if the server asks for more than its `cap` (120 s unless you say otherwise, like the SDK), and falls back to `inner`
# when there is no `Retry-After`. The loop returns a `RetryOutcome` that records every attempt, and
# `on_retry` lets you log each retry as it happens.

# %%
policy = RetryPolicy(RetryAfter(FullJitter(0.5, 30)), (MaxAttempts(6),))
print(policy.describe())

sim = Simulator()
client = make_client("sk-demo-free", sim, max_retries=0)
for prompt in PROMPTS[:3]:
    ask(client, prompt)  # empty the bucket

outcome = send_with_retries(
    lambda: ask(client, PROMPTS[3]),
    policy,
    sim.clock,
    seed=0,
    on_retry=lambda attempt: print(f"  retrying after {attempt.kind}: wait {attempt.wait:.1f} s"),
)
for attempt in outcome.attempts:
    print(f"attempt {attempt.number} at t = {attempt.time:5.1f} s: {attempt.kind} ({attempt.reason})")
print("ok:", outcome.ok, "->", outcome.unwrap().choices[0].message.content[:50], "...")

# %% [markdown]
# `outcome.unwrap()` returns the result, or raises the last error if the loop gave up, just as your function does.

# %% [markdown]
# ---
# ## 11. The backoff lab
#
# The lab runs the crowd experiment of section 7 again every time you move a control, and shows every attempt
# against the limit (top), successes and attempts per second against the limit (bottom), and a table of metrics.
# Its default: 20 clients × 3 requests against 30 requests per minute, exponential backoff with full jitter, base
# 0.5 s, cap 16 s, at most 6 attempts.
#
# **Try this**, one step at a time, and watch the table:
#
# 1. **Retry at once**: set *strategy* to "retry at once". How many requests are given up, and how many attempts per
#    success did that cost?
# 2. **Waves**: set *strategy* to "exponential" (no jitter). Find the columns in the timeline. Compare
#    *requests that succeeded* with "full jitter".
# 3. **Other jitters**: try "equal jitter" and "decorrelated jitter". Which gives up the fewest requests here?
# 4. **Honour Retry-After**: back to "full jitter", and tick the box. Every refused client now hears a wait of 2 seconds or less (the time one
#    request takes to refill), and the whole crowd comes back at about the same moment. Look at *requests given up*.
# 5. **Patience**: untick it, and raise *max attempts* to 10 and *cap* to 60 s. Does everything get through now? What
#    happens to *time to drain*?
# 6. **Room to spare**: set *limit (req/min)* to 60. All 60 requests fit in the bucket: no retry strategy beats
#    not needing one.
# 7. Change the **seed** to see how much of a difference is luck.

# %%
lab = BackoffLab()
lab

# %% [markdown]
# You can drive the lab from code too: `lab.set(...)` moves controls by name and redraws at once, so right after
# it `lab.result` is the experiment's result, and `lab.result.metrics` holds the numbers of the table. Here is
# step 2, from code:

# %%
lab.set(strategy="exponential")
m = lab.result.metrics
print(
    f"{m.successes} of {m.requests} succeeded, {m.gave_up} given up, {m.attempts} attempts "
    f"({m.amplification:.1f} per success), {m.rate_limited} 429s, drained after {m.drain_time_s:.0f} s"
)
plots.show(lab.figure)

# %% [markdown]
# And steps 1, 2 and 4 side by side, reading the same metrics:

# %%
steps = {
    "retry at once": dict(strategy="none", retry_after=False),
    "exponential, no jitter": dict(strategy="exponential", retry_after=False),
    "exponential, full jitter": dict(strategy="full_jitter", retry_after=False),
    "full jitter + Retry-After": dict(strategy="full_jitter", retry_after=True),
}
print(f"{'':28}{'succeeded':>10}{'given up':>10}{'attempts':>10}{'per success':>13}")
for name, settings in steps.items():
    lab.set(**settings)
    m = lab.result.metrics
    print(f"{name:28}{m.successes:>10}{m.gave_up:>10}{m.attempts:>10}{m.amplification:>13.1f}")

# %% [markdown]
# Honouring `Retry-After` is the best thing one client can do (section 6), yet here the crowd does no better than
# retrying at once. The server tells every refused client when the bucket will hold **one** request; they all come
# back at about that moment, and the refusals of the others use up what refills, so even that one rarely fits:
# here not a single retry got in. No retry rule can
# make 60 requests fit into a limit of 30 per minute any sooner. What helps a crowd is sending less in the first
# place: a shared client-side throttle, in notebook 08.

# %% [markdown]
# ---
# ## 12. The strategy race
#
# The race runs two to four strategies on exactly the same load and seed, and puts them side by side: how quickly
# requests were answered (top), attempts per success and time to drain (bottom). Pick the strategies in the
# drop-downs, then change the load as in the lab.

# %%
race = StrategyRace(
    strategy1="exponential", strategy2="full jitter", strategy3="equal jitter", strategy4="the OpenAI SDK's schedule"
)
race

# %%
for name, result in race.result.items():
    m = result.metrics
    print(
        f"{name:28} {m.successes:>3} of {m.requests} succeeded, {m.amplification:4.1f} attempts per success, "
        f"drained after {m.drain_time_s:5.1f} s"
    )

# %% [markdown]
# A few races worth running: *full jitter* against *full jitter + Retry-After*; *exponential* against *equal
# jitter* with 50 clients; any strategy with *max attempts* at 3 and then at 10. Each time, ask which number you
# care about: requests that got through, attempts wasted, or how long the slowest request waited.

# %% [markdown]
# ---
# ## Key points
#
# - Retrying **at once**, or after a **short fixed pause**, fails against a rate limit: refused requests count, so the
#   bucket never refills. A fixed pause only works if you hard-code the limit.
# - **Exponential backoff**, `min(cap, base · 2^(n−1))`, finds a long-enough wait without knowing the limit. The
#   **cap** must be longer than the time the limit needs to give a request back, or nothing gets through.
# - **Jitter** randomises the wait: full jitter `uniform(0, min(cap, base · 2^(n−1)))`, equal jitter, decorrelated
#   jitter. It spreads a crowd out, which matters when simultaneous requests hurt; against a rate limit it creates no
#   capacity, and in this lab un-jittered waves did as well or better. Keep it anyway: it stops clients falling into
#   step.
# - **`Retry-After`**, when the server sends it (the real API does not always), is the best wait for a single
#   client, and a **minimum** for everyone: never retry sooner. But
#   it says when *one* request will fit, and a crowd all hears the same number: what saves a crowd is sending less
#   (a throttle, notebook 08), not a cleverer retry.
# - A loop you can ship **classifies** each error, never retries what cannot succeed, waits
#   `max(Retry-After, backoff)`, gives up after a few attempts by **re-raising**, and sleeps on an injected clock.
#   Retry in one layer only: `max_retries=0` on the SDK when you run your own loop.
# - `helpers.retry` has it ready-made: `send_with_retries(send, RetryPolicy(backoff, budgets), clock)`. The
#   **backoff lab** and the **strategy race** let you test a strategy on a crowd before your users do.
#
# **Next:** [07 — Many clients](07_many_clients.ipynb)

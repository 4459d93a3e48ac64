# %% [markdown]
# # Staying under the limit: throttling, batching and bounded concurrency
#
# Backoff *reacts*: you send, you get a 429, you wait, you try again. Every refused request costs you an attempt,
# and the API counts it against your limit. This notebook is about the other way round: know how much of the limit
# is left and wait **before** you send, so the 429 never comes.
#
# **What you will learn in this notebook**
# - how to read your remaining allowance from the `x-ratelimit-*` headers and pace requests with a client-side
#   **throttle**;
# - how to estimate what a request costs in **tokens**, and check the estimate against the server's count;
# - how **batching** several prompts into one request saves requests (but not tokens);
# - how to run many requests **concurrently** with asyncio without tripping the limit, and how much
#   **headroom** to leave for others who share it;
# - what the OpenAI Cookbook's parallel processor gets right, and what doing it right adds: headers read, quota
#   errors never retried;
# - how proactive throttling compares with reactive backoff on goodput and waste.
#
# **Time to learn:** about 30 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Rate limits (429), the token bucket, the `x-ratelimit-*` headers | needed | notebook 03 |
# | `RetryPolicy`, backoff with jitter, `Retry-After` | needed | notebook 06 |
# | Many clients sharing a limit; retry budgets | helpful | notebook 07 |
# | `async` / `await` in Python | helpful | section 5 only |

# %% [markdown]
# ## Setup
#
# `lab_world(rpm=..., tpm=...)` is the demo world plus an organization whose limits are exactly the ones you choose;
# its key is `sk-lab`. Time is simulated, so waiting a minute for the limit to refill takes microseconds.

# %%
import openai

from helpers import plots
from helpers.experiments import lab_world, run_load
from helpers.experiments.batch import JOBS, run_batch
from helpers.retry import FullJitter, MaxAttempts, RetryAfter, RetryPolicy
from helpers.retry.throttle import Throttle, estimate_tokens
from helpers.simulator import Simulator, make_client
from helpers.widgets import ThrottleLab

QUESTION = {"model": "gpt-4o-mini", "max_tokens": 100, "messages": [{"role": "user", "content": "Name three colours."}]}

# %% [markdown]
# ---
# ## 1. The server tells you your budget
#
# Every successful answer carries the state of your limits (some real 429s come without these headers, so a
# client must cope when they are missing). Here is one request against a limit of 20 requests and 10,000
# tokens per minute:

# %%
client = make_client("sk-lab", Simulator(lab_world(rpm=20, tpm=10_000)), max_retries=0)
raw = client.chat.completions.with_raw_response.create(**QUESTION)
for name in sorted(raw.headers):
    if name.startswith("x-ratelimit"):
        print(f"{name:32} {raw.headers[name]}")

# %% [markdown]
# One request used, 19 left; 105 tokens used (more on that number in section 3); and the `reset` values say how
# long until the allowance is full again. With this you can plan instead of guess.
#
# ---
# ## 2. A client-side throttle
#
# `Throttle(rpm, tpm, headroom=0.9)` keeps the same two buckets as the server, requests and tokens, filled to 90 %
# of your limits (the other 10 % is a safety margin). Three methods:
#
# - `reserve(tokens, now)` books the next free slot for a request and returns how long to wait before sending it
#   (0: send now). Many workers asking at once get different slots, one after another, instead of waking together;
# - `acquire(tokens, clock)` does the same and also waits (on the simulated clock);
# - `observe(headers, now)` reads `x-ratelimit-remaining-*` after each answer: if the server says less is left than
#   the throttle thought (someone else uses the same key), the throttle believes the server.

# %%
throttle = Throttle(rpm=20, tpm=10_000, headroom=0.9)
waits = [throttle.reserve(estimate_tokens(QUESTION), now=0.0) for _ in range(22)]
print("waits for 22 requests asked at t = 0:", [round(w, 1) for w in waits])


# %% [markdown]
# The first 18 go at once (90 % of 20), then one every 3.3 s: 18 requests a minute. Now 30 requests in a loop,
# first as fast as possible, then through the throttle. The SDK's own retries are off (`max_retries=0`), so every
# 429 reaches us:


# %%
def send_all(n, throttle=None):
    """Send QUESTION n times in a row; with a throttle, wait for it before each request."""
    simulator = Simulator(lab_world(rpm=20, tpm=10_000))
    client = make_client("sk-lab", simulator, max_retries=0)
    refused = 0
    for _ in range(n):
        if throttle is not None:
            throttle.acquire(estimate_tokens(QUESTION), simulator.clock)
        try:
            raw = client.chat.completions.with_raw_response.create(**QUESTION)
            if throttle is not None:
                throttle.observe(raw.headers, simulator.clock.now())
        except openai.RateLimitError:
            refused += 1
    print(f"{n - refused} answered, {refused} refused with 429, finished at {simulator.clock.now():.1f} s")


send_all(30)
send_all(30, Throttle(rpm=20, tpm=10_000, headroom=0.9))


# %% [markdown]
# Without the throttle, the requests beyond the limit were refused. With it, all 30 were answered and none was
# refused: the throttle spent the waiting time *before* each request, where it costs nothing.
#
# ### Exercise 1: a tiny token-bucket pacer
#
# Write the heart of a throttle yourself. `Pacer` holds up to `per_minute` tokens and refills continuously at
# `per_minute / 60` tokens per second, never above `per_minute`. Complete `wait_for(tokens)`:
#
# 1. refill: add `(now - self.updated) * self.rate` to `self.level`, but not above `self.capacity`;
# 2. if fewer than `tokens` are there, sleep on `self.clock` until there are enough;
# 3. spend the tokens, remember the time, and return how many seconds you slept.
#
# (You may assume `tokens` is never more than `per_minute`.)


# %% tags=["exercise"]
class Pacer:
    """A token bucket on the client's side: holds up to per_minute tokens, refills per_minute / 60 each second."""

    def __init__(self, per_minute, clock):
        self.capacity = per_minute
        self.rate = per_minute / 60  # tokens per second
        self.clock = clock
        self.level = per_minute  # it starts full
        self.updated = clock.now()

    def wait_for(self, tokens):
        """Sleep on self.clock until `tokens` are available, spend them, and return the seconds slept."""
        # Your code here
        return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/08_pacer.py

# %%
from helpers.checks import check_pacer

check_pacer(Pacer)

# %% [markdown]
# ---
# ## 3. What does a request cost?
#
# The token limit is charged **before** the model answers, so the server cannot know how long the answer will be.
# It charges an estimate. OpenAI documents it as the **larger** of `max_tokens` and an estimate from the prompt's
# characters, without publishing the estimator. The simulator uses the Cookbook's rule instead, the prompt's tokens
# **plus** `max_tokens` for every answer asked for (`n`): each part shows in the numbers, and it never charges less
# than the documented rule, so a client that fits here fits there. `estimate_tokens(body)` follows the simulator
# (prompt characters ÷ 4, plus `max_tokens` × `n`). Let's compare it
# with what the server takes off `x-ratelimit-remaining-tokens`, and with what the answer really used:

# %%
document = "lorem ipsum " * 170  # about 2,000 characters
bodies = {
    "short question, max_tokens=100": QUESTION,
    "2,000-character document, max_tokens=200": {
        "model": "gpt-4o-mini",
        "max_tokens": 200,
        "messages": [{"role": "user", "content": "Summarise: " + document}],
    },
    "short question, no max_tokens": {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Name three colours."}],
    },
    "short question, n=3, max_tokens=100": {**QUESTION, "n": 3},
}
client = make_client("sk-lab", Simulator(lab_world(rpm=1_000, tpm=100_000)), max_retries=0)
before = 100_000  # the token bucket starts full; no simulated time passes between these requests
print(f"{'request':42}{'estimate':>9}{'charged':>9}{'really used':>13}")
for label, body in bodies.items():
    raw = client.chat.completions.with_raw_response.create(**body)
    after = int(raw.headers["x-ratelimit-remaining-tokens"])
    print(f"{label:42}{estimate_tokens(body):9}{before - after:9}{raw.parse().usage.total_tokens:13}")
    before = after


# %% [markdown]
# Three things to notice:
#
# - The estimate matches the charge, because `estimate_tokens` follows the simulator's rule. The real API documents
#   only the shape of its rule (the larger of the two), and real tokenizers do not count exactly 4 characters per
#   token. That is one reason to keep some headroom.
# - The charge is far above what the answers really used: `max_tokens` is charged **in full**, here and under the
#   documented rule alike. A generous `max_tokens` eats your tokens-per-minute even when answers are short. Set it
#   to what you need.
# - Leaving `max_tokens` out does not make a request free: the simulator then charges a default (256 tokens), and
#   `n=3` charges `max_tokens` three times.
#
# ---
# ## 4. Batching: fewer requests for the same work
#
# Say you have 60 short tasks (classify a review, translate a line): each prompt is about 50 tokens and each answer
# at most 50. Sent one per request, that is 60 requests. Put ten tasks in one request ("answer each of these ten,
# as a numbered list") and it is 6 requests, for the same tokens. Both buckets start full and then refill continuously, at their per-minute rate, not once a
# minute, so the shortest time the limits allow is:


# %%
def minimum_seconds(requests, tokens, rpm, tpm):
    """Shortest time the limits allow: both buckets start full, then refill at their per-minute rate."""
    return 60 * max(0, (requests - rpm) / rpm, (tokens - tpm) / tpm)


for tpm in (40_000, 3_000):
    one_each = minimum_seconds(requests=60, tokens=60 * 100, rpm=20, tpm=tpm)
    ten_each = minimum_seconds(requests=6, tokens=6 * 1_000, rpm=20, tpm=tpm)
    print(f"20 RPM, {tpm:6,} TPM: one task per request ≥ {one_each:5.1f} s, ten per request ≥ {ten_each:5.1f} s")

# %% [markdown]
# And the same with the experiment engine: 3 clients share the work, either as 20 small requests each or as 2
# batched requests each, with a shared throttle (`throttle=True`; `throttle_headroom=1.0` uses the whole limit):

# %%
one_task = [(50, 50)] * 20  # (prompt tokens, max_tokens) for each request of one client
ten_tasks = [(500, 500)] * 2
policy = RetryPolicy(RetryAfter(FullJitter(0.5, 16)), (MaxAttempts(8),))
for tpm in (40_000, 3_000):
    for label, workload in (("one task per request", one_task), ("ten tasks per request", ten_tasks)):
        m = run_load(
            clients=3, workload=workload, rpm=20, tpm=tpm, policy=policy, throttle=True, throttle_headroom=1.0
        ).metrics
        print(
            f"20 RPM, {tpm:6,} TPM, {label:22}: {m.attempts:2} requests, {m.rate_limited} × 429, "
            f"done at {m.drain_time_s:5.1f} s"
        )

# %% [markdown]
# Batching saves **requests, not tokens**: when the requests-per-minute limit is the one that binds, it helps a lot;
# when the token limit binds, it helps only as far as the token limit allows. The costs: one failed request now
# fails ten tasks, the answer must be split up again (ask for a structured format), and each request takes longer.
# For large offline jobs that can wait hours, OpenAI also offers a separate Batch API with its own limits.
#
# ---
# ## 5. Many requests at once: bounded concurrency
#
# With asyncio it is tempting to write `await asyncio.gather(*(call(job) for job in jobs))`. Sixty requests leave
# at the same instant, and a flood of 429s and timeouts comes back: a common complaint on the SDK's issue tracker.
# Two things fix it:
#
# - a **semaphore** that lets at most `max_concurrency` requests be in flight at once;
# - a **throttle** that every request waits for before it is sent.
#
# `process_all(bodies, send, policy=..., clock=..., throttle=..., max_concurrency=...)` does both. Every attempt
# waits for the throttle, every answer's headers go to `throttle.observe`, failures are retried per job with the
# policy, and results come back in order. Everything shares one `ConcurrentVirtualClock`: when all the tasks are
# waiting, it jumps to the earliest wake-up, so nothing sleeps for real.
#
# Our batch: 60 summaries of about 300 tokens each, against **30 requests per minute**; each answer takes **2 s**.

# `run_batch(max_concurrency, headroom=None, neighbour_every=None)` from `helpers.experiments.batch` sends that
# batch and returns the results, the simulator (whose log holds every request) and the finish time. Its heart is
# one call:
#
# ```python
# results = await process_all(JOBS, lambda body: http.post("/chat/completions", json=body), policy=POLICY,
#                             clock=clock, throttle=throttle, max_concurrency=max_concurrency)
# ```
#
# with `throttle = Throttle(rpm=30, tpm=40_000, headroom=headroom)`, or no throttle when `headroom` is None, and
# `POLICY` a full-jitter backoff that honours `Retry-After`, at most 6 attempts. Read the whole function in
# `helpers/experiments/batch.py`: it is short.


# %%
def report(label, results, simulator, finished):
    done = sum(r.ok for r in results)
    refused = sum(entry.status == 429 for entry in simulator.log)
    print(f"{label:40} {done:2} of {len(results)} done, {refused:3} × 429, finished at {finished:5.1f} s")


# %%
report("60 at once, no throttle", *run_batch(max_concurrency=60))
report("8 at a time, no throttle", *run_batch(max_concurrency=8))
report("1 at a time, no throttle", *run_batch(max_concurrency=1))
report("8 at a time, throttle at 90%", *run_batch(max_concurrency=8, headroom=0.9))

# %% [markdown]
# - **60 at once** and **8 at a time** both flood the limit: the retries run out, and many jobs are never done.
# - **1 at a time** gets through without a single 429, and that is no accident. Requests per second ≈ requests in
#   flight ÷ seconds per request: 1 ÷ 2 s is 30 a minute, exactly the limit. A concurrency cap *is* a rate limit
#   once you know how long requests take. But it is a fragile one: faster answers would break it.
# - **The throttle** holds the rate, whatever the concurrency and whatever the answer time, with zero 429s.
#
# ---
# ## 6. Sharing the limit: how much headroom?
#
# Limits belong to the organization (and project), not to your program. Suppose another service of your company
# uses the same key, sending one request every 6 seconds. Your throttle cannot see it, except through the headers.

# %%
for headroom in (1.0, 0.9, 0.7):
    report(
        f"8 at a time, throttle at {headroom:.0%}, neighbour",
        *run_batch(max_concurrency=8, headroom=headroom, neighbour_every=6),
    )


# %% [markdown]
# Planning for the whole limit leaves no room for the neighbour, and both of you collect 429s. Planning for too
# little wastes capacity and the batch takes longer.
#
# ### Exercise 2: tune the batch
#
# Your batch must finish **all 60 jobs** with **no 429 at all** (for you or the neighbour) within **110 simulated
# seconds**, while the neighbour sends a request every 6 s. Choose `MAX_CONCURRENCY` and `HEADROOM`. Use
# `try_settings` to experiment before you run the check.


# %% tags=["exercise"]
def try_settings(max_concurrency, headroom):
    report(
        f"{max_concurrency} at a time, throttle at {headroom:.0%}",
        *run_batch(max_concurrency, headroom, neighbour_every=6),
    )


MAX_CONCURRENCY = 1  # change these two
HEADROOM = 1.0
try_settings(MAX_CONCURRENCY, HEADROOM)

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/08_batch_settings.py

# %%
from helpers.checks import check_batch_settings

check_batch_settings(MAX_CONCURRENCY, HEADROOM)

# %% [markdown]
# ---
# ## 7. The Cookbook's parallel processor, done right
#
# The OpenAI Cookbook ships `api_request_parallel_processor.py`, a script for large batches. Its core idea is the
# one above: two client-side buckets (requests and tokens), an estimate of each request's tokens, many requests in
# flight. Where it falls short:
#
# - it **never reads** the `x-ratelimit-*` headers or `Retry-After`, so it cannot notice other users of the key;
# - after any rate-limit error it pauses **everything for a fixed 15 seconds**, however long the server asked for;
# - it re-queues **every** failed request, including quota errors, which can never succeed;
# - it needs a real key and real time, and shows no metrics.
#
# `process_all` keeps the idea and fixes those points: the throttle reads the headers after every answer; each job
# retries on its own with a policy that honours `Retry-After` (no blind global pause); and a **quota error stops the
# batch**. Here is the same batch with the key of an organization that has run out of money:

# %%
results, simulator, _ = run_batch(max_concurrency=8, headroom=0.9, key="sk-demo-broke")
sent = [r for r in results if r.outcome is not None]
skipped = [r for r in results if r.skipped]
last = sent[0].outcome.attempts[-1]
print(f"jobs sent          : {len(sent)} (the first wave: at most max_concurrency = 8)")
print(f"retries            : {sum(len(r.outcome.attempts) - 1 for r in sent)}")
print(f"what they got      : {last.status} {last.kind} ({last.reason})")
print(f"jobs never sent    : {len(skipped)} ({skipped[0].skipped})")
print(f"a processor that re-queues every failure for 5 attempts would have sent {5 * len(JOBS)} doomed requests")

# %% [markdown]
# ---
# ## 8. Reactive backoff against proactive throttling
#
# The same load twice: 20 clients, 3 requests each, against 30 requests per minute. First every client just backs
# off after 429s (full jitter, at most 6 attempts); then all clients share one throttle fed by the headers.

# %%
load = dict(
    clients=20,
    requests_per_client=3,
    rpm=30,
    tpm=40_000,
    prompt_tokens=200,
    policy=RetryPolicy(FullJitter(0.5, 16), (MaxAttempts(6),)),
)
compared = {"reactive": run_load(**load), "proactive": run_load(**load, throttle=True)}

print(f"{'':34}{'reactive':>12}{'proactive':>12}")
for label, value in [
    ("requests that succeeded", lambda m: f"{m.successes} of {m.requests}"),
    ("requests given up", lambda m: m.gave_up),
    ("attempts", lambda m: m.attempts),
    ("attempts that did no work", lambda m: m.attempts - m.successes),
    ("429s received", lambda m: m.rate_limited),
    ("attempts per success", lambda m: f"{m.amplification:.2f}"),
    ("goodput (share of the limit)", lambda m: f"{m.goodput_share:.0%}"),
    ("time to drain (s)", lambda m: f"{m.drain_time_s:.0f}"),
]:
    print(f"{label:34}" + "".join(f"{value(r.metrics):>12}" for r in compared.values()))
print(f"\nthe limit allows the 60 requests in {minimum_seconds(60, 60 * 300, 30, 40_000):.0f} s at best")
plots.show(plots.work_and_drain(compared))

# %% [markdown]
# The reactive clients finish sooner only because many of them **gave up**: the work was not done. Every 429 they
# received was an attempt that also counted against the limit. The throttled clients sent exactly one attempt per
# request, got everything done, and took about as long as the limit allows (a little longer, because the throttle
# keeps 10 % in reserve).
#
# A caution when you read latency figures: the metrics count a request's latency from its **first attempt**, so time
# spent waiting in the throttle *before* that attempt does not show up there. For a batch, time to drain is the
# honest number.
#
# ---
# ## 9. The throttle lab
#
# The widget runs both strategies on the same load and seed and draws, for each, the attempts per second (offered
# load) and the successes per second (goodput) against the limit. Move the sliders: more clients, a smaller limit,
# another backoff, less headroom.

# %%
lab = ThrottleLab()
lab

# %% [markdown]
# You can drive it from code too: `set` moves the controls and redraws at once, and `result` holds the two runs.

# %%
lab.set(clients=40, rpm=60, headroom=0.8)
for label, result in lab.result.items():
    m = result.metrics
    print(
        f"{label:38} {m.successes:3} of {m.requests} done, {m.rate_limited:3} × 429, drained at {m.drain_time_s:5.0f} s"
    )

# %% [markdown]
# ---
# ## Key points
#
# - Every successful answer tells you your remaining allowance (`x-ratelimit-remaining-*`, `x-ratelimit-reset-*`). A
#   client-side **throttle** with the same buckets as the server waits *before* sending, so the 429 never comes;
#   `observe` keeps it honest when others share the key.
# - The token limit is charged up front, before the answer exists. OpenAI documents the **larger** of `max_tokens`
#   and a character-based prompt estimate; the simulator charges the prompt **plus** `max_tokens` × `n` (the
#   Cookbook's rule, never lower). Either way, keep `max_tokens` to what you need, estimate before sending, and
#   leave some headroom: the real estimator is not published.
# - **Batching** several tasks into one request saves requests, not tokens: it helps when RPM binds.
# - Don't `gather` everything at once. **Bound the concurrency** with a semaphore, and pace with a throttle: in
#   flight ÷ seconds per request is a rate, but a fragile one.
# - The limit belongs to the organization: leave **headroom** for neighbours you cannot see.
# - A parallel processor done right reads the headers, retries per job with `Retry-After` (no global pause), and
#   **stops the batch on a quota error** instead of retrying it.
# - Against reactive backoff, proactive throttling gets **all** the work done with one attempt per request and no
#   waste; reactive clients look faster only because they give up.
#
# **Next:** [09 — Production checklist](09_production_checklist.ipynb)

# %% [markdown]
# # Production checklist: shipping code that survives the API
#
# You have met every error and every remedy. This last notebook puts them together the way you would in a
# real service, and ends with a checklist to take home.
#
# **What you will learn**
# - how to configure the official SDK: `max_retries`, `timeout`, and per-call `with_options`;
# - how to use tenacity *well*: one retry layer, the right exceptions, a bounded budget;
# - how to log and count retries, so you can see them in production;
# - what a circuit breaker adds, and how to build a small one;
# - (optional) how to point the same code at the real API safely.
#
# **Time to learn:** about 25 minutes. **Prerequisites:** notebooks 02 to 08, or at least 03, 05 and 06.

# %% [markdown]
# ## 1. Configure the SDK on purpose
#
# The SDK's defaults are `max_retries=2` (three attempts, that is two retries) and a timeout of **600 seconds**
# (of which at most 5 seconds to connect). Both deserve a decision. The worst case for one call is roughly `attempts × timeout + the backoff sleeps`, so the
# defaults can hold a request for half an hour against a server that never answers.

# %%
import httpx
import openai

from helpers.simulator import Simulator, make_client


def worst_case_seconds(timeout, max_retries, backoff_cap=8.0):
    attempts = max_retries + 1
    sleeps = sum(min(0.5 * 2**k, backoff_cap) for k in range(max_retries))  # the SDK's longest sleeps
    return attempts * timeout + sleeps


for timeout, retries in [(600, 2), (30, 2), (10, 1)]:
    print(f"timeout={timeout:>3} s, max_retries={retries}: up to {worst_case_seconds(timeout, retries):6.1f} s")

# %% [markdown]
# Set a client-wide policy, and tighten it per call where a caller is waiting. `httpx.Timeout` separates the
# time to connect from the time to read the answer. In virtual time we can watch a slow model use it all up:

# %%
sim = Simulator()
client = make_client("sk-demo-ok", sim, max_retries=1, timeout=httpx.Timeout(10.0, connect=2.0))
interactive = client.with_options(max_retries=0, timeout=5.0)  # a user is waiting: fail fast

for name, c in [("client default", client), ("interactive call", interactive)]:
    start = sim.clock.now()
    try:
        c.chat.completions.create(model="gpt-demo-slow", messages=[{"role": "user", "content": "Hi"}])
    except openai.APITimeoutError:
        print(f"{name}: timed out after {sim.clock.now() - start:.1f} simulated seconds")

# %% [markdown]
# ## 2. tenacity, done right
#
# tenacity is a fine retry library, and the most common way to misuse it is to wrap it *around* the SDK's own
# retries: six tenacity attempts × three SDK attempts = eighteen requests for one call (notebook 07). Done
# right means:
#
# 1. **one retry layer**: `max_retries=0` on the client that tenacity wraps;
# 2. **retry only what can succeed**: never quota or billing errors, never 400/401/403/404;
# 3. **a budget**: a bounded number of attempts, and jittered exponential waits;
# 4. **honest sleeps**: here tenacity's `sleep=` hook points at the simulator's clock, so nothing waits for real.

# %%
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from helpers.retry import classify_exception


def is_retryable(exc):
    return classify_exception(exc).retryable


def call_with_tenacity(client, model, sim):
    retrying = Retrying(
        stop=stop_after_attempt(4),
        wait=wait_random_exponential(multiplier=0.5, max=20),
        retry=retry_if_exception(is_retryable),
        sleep=sim.clock.sleep,
        reraise=True,
    )
    return retrying(client.chat.completions.create, model=model, messages=[{"role": "user", "content": "Hello"}])


for key, model in [("sk-demo-ok", "gpt-demo-flaky"), ("sk-demo-broke", "gpt-4o-mini")]:
    sim = Simulator(seed=0, faults={"gpt-demo-flaky": {"server_error_share": 0.6}})
    client = make_client(key, sim, max_retries=0)
    try:
        call_with_tenacity(client, model, sim)
        outcome = "succeeded"
    except openai.APIError as exc:
        outcome = f"failed with {type(exc).__name__} ({exc.code})"
    print(f"{key} on {model}: {outcome} after {len(sim.log)} request(s): {[e.status for e in sim.log]}")


# %% [markdown]
# The flaky model got a few tries and came through; the quota error was sent **once**, because retrying it
# can never help.
#
# ### Exercise: tenacity for your service
#
# Write `make_retrying(sim)` that returns a tenacity `Retrying` object done right: at most **4** attempts,
# jittered exponential waits, **no retries for errors that cannot succeed**, and sleeps on `sim.clock.sleep`
# (without `sleep=`, tenacity sleeps for real, and the check takes a few real seconds).
# The check calls it around a client with `max_retries=0`, against a quota error and against a failing model.


# %% tags=["exercise"]
def make_retrying(sim):
    # Your code here: return Retrying(...)
    return Retrying(stop=stop_after_attempt(1), reraise=True)


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/09_retrying.py

# %%
from helpers.checks import check_retrying

check_retrying(make_retrying)

# %% [markdown]
# ## 3. See your retries: logging and metrics
#
# Retries you cannot see will surprise you in production. Two cheap habits:
#
# - turn on the SDK's own log (`OPENAI_LOG=info`, or the `openai` logger at INFO): it writes one line per
#   retry, with the wait;
# - count retries by kind and keep the `x-request-id` of failures, so support can find them.
#
# The SDK's retry line says how long it will wait, but not what went wrong. An httpx *response hook* sees each
# answer before the SDK does, so it can remember the status, code and request id, and a logging *filter* adds them
# to the SDK's line. Set this up once, where your program starts; here it prints to the notebook.

# %%
import logging
import sys
from collections import Counter

last_answer = {}


def remember(response):
    """httpx response hook: what the last answer was, for the retry line that may follow it."""
    response.read()
    try:
        code = response.json().get("error", {}).get("code")
    except ValueError:  # not JSON
        code = None
    last_answer.update(status=response.status_code, code=code, request_id=response.headers.get("x-request-id"))


class RetryDetails(logging.Filter):
    """Keep only the SDK's retry lines, and add what the last answer was to each."""

    def filter(self, record):
        message = record.getMessage()
        if not message.startswith("Retrying"):
            return False
        record.msg = "{} | status {status} code {code} request {request_id}".format(message, **last_answer)
        record.args = ()
        return True


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
handler.addFilter(RetryDetails())
sdk_log = logging.getLogger("openai")  # the SDK's own logger
sdk_log.addHandler(handler)
sdk_log.setLevel(logging.INFO)
try:
    sim = Simulator(faults={"gpt-demo-busy": {"overload_busy_s": 15}})  # busy all the time
    client = make_client("sk-demo-ok", sim, event_hooks={"response": [remember]})
    try:
        client.chat.completions.create(model="gpt-demo-busy", messages=[{"role": "user", "content": "Hi"}])
    except openai.InternalServerError as exc:
        print("gave up with", exc.status_code, exc.code, "request id", exc.request_id)
finally:  # a notebook runs many demos; a program would keep its logging set up
    sdk_log.removeHandler(handler)
    sdk_log.setLevel(logging.WARNING)

# %%
from helpers.retry import FullJitter, MaxAttempts, RetryPolicy, send_with_retries
from helpers.simulator import http_client

retry_counts = Counter()
failed_ids = []


def on_retry(attempt):
    retry_counts[attempt.kind] += 1


sim = Simulator(seed=1)
http = http_client(sim, headers={"Authorization": "Bearer sk-demo-ok"})
policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4),))
for model in ["gpt-demo-flaky"] * 20 + ["gpt-demo-busy"] * 3:
    outcome = send_with_retries(
        lambda: http.post("/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "x"}]}),  # noqa: B023
        policy,
        sim.clock,
        on_retry=on_retry,
    )
    if not outcome.ok:
        failed_ids.append(outcome.attempts[-1].request_id)

print("retries by kind:", dict(retry_counts))
print("requests that failed for good:", len(failed_ids), failed_ids[:2])


# %% [markdown]
# ## 4. Circuit breaking: stop knocking on a closed door
#
# Retries help with short blips. During a long outage, every caller retrying on its own keeps the server
# busy with requests that will fail. A **circuit breaker** notices a run of failures and, for a while, fails
# calls at once without sending them (*open*); then it lets calls through again on probation (*half-open*; a real one lets a single probe through) and closes again
# if it succeeds. The Builders' Library warns that breakers make behaviour modal and harder to test, and a
# retry budget (notebook 07) often does the job; but a breaker is useful in front of a dependency that goes
# down for minutes.


# %%
class CircuitBreaker:
    def __init__(self, clock, failures_to_open=3, open_for_s=10.0):
        self.clock, self.failures_to_open, self.open_for_s = clock, failures_to_open, open_for_s
        self.failures, self.opened_at = 0, None

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock.now() - self.opened_at >= self.open_for_s else "open"

    def call(self, fn):
        if self.state == "open":
            raise RuntimeError("circuit open: not calling")
        try:
            result = fn()
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                self.failures += 1
                if self.state == "half-open" or self.failures >= self.failures_to_open:
                    self.opened_at = self.clock.now()
            raise
        self.failures, self.opened_at = 0, None
        return result


sim = Simulator()  # gpt-demo-busy is overloaded during the first 5 s of every 15 s
client = make_client("sk-demo-ok", sim, max_retries=0)
breaker = CircuitBreaker(sim.clock, failures_to_open=3, open_for_s=4.0)
timeline = []
for _ in range(20):
    try:
        breaker.call(
            lambda: client.chat.completions.create(model="gpt-demo-busy", messages=[{"role": "user", "content": "Hi"}])
        )
        timeline.append("ok")
    except openai.InternalServerError:
        timeline.append("503")
    except RuntimeError:
        timeline.append("skipped")
    sim.clock.advance(0.5)

print(" ".join(timeline))
print(f"{timeline.count('skipped')} calls never reached the server; it saw {len(sim.log)} requests")

# %% [markdown]
# ## 5. The checklist
#
# Take this list to your code review:
#
# 1. **Keys** come from the environment or a secret store; never in code, notebooks or logs.
# 2. **Timeouts** are set on purpose (connect and read), and per call where a user is waiting.
# 3. **One retry layer.** If you wrap calls in your own retries, set `max_retries=0` on the SDK.
# 4. **Classify before retrying.** Quota and billing 429s, 400, 401, 403 and 404 are never retried;
#    "Request too large" is never retried.
# 5. **Honour `Retry-After`** (and `retry-after-ms`), and give up if it asks for longer than you can wait.
# 6. **Jittered, capped exponential backoff** with a bounded number of attempts for everything else.
# 7. **A retry budget** (attempts per request, retries per client, or a retry token bucket).
# 8. **Pace proactively** from the `x-ratelimit-*` headers when you send many requests; estimate tokens,
#    and set `max_tokens` to what you need.
# 9. **Bound concurrency**: a semaphore, not an unbounded `asyncio.gather`.
# 10. **Watch it**: log retries, count them by kind, keep the `x-request-id` of failures, alert on quota.
# 11. **Stop early on quota**: one billing error means the rest of the batch will fail too.
# 12. **Think about idempotency**: a timed-out request may still have run (and been billed).
#
# ### Exercise: the worst case
#
# A colleague configured `timeout=45` and `max_retries=3` and wraps each call in tenacity with
# `stop_after_attempt(3)`. Assign `requests_per_call` (how many requests one call can send) and
# `worst_case_s` (the longest a call can take, counting only the timeouts, not the sleeps).

# %% tags=["exercise"]
requests_per_call = 0
worst_case_s = 0

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/09_nested_worst_case.py

# %%
from helpers.checks import check_nested_worst_case

check_nested_worst_case(requests_per_call, worst_case_s)

# %% [markdown]
# ## 6. Optional: going live
#
# Everything in this course runs against the simulator. If you want to see the real API answer, the cell below
# points the *same* code at the real API — but only if you change `GO_LIVE` to `True` yourself. It asks for
# your key without echoing it, never prints it, sends two tiny requests (20 tokens each), and
# turns off the SDK's retries so nothing runs away. It costs a fraction of a cent.

# %%
GO_LIVE = False  # change to True, and run this cell, to try the real API

if GO_LIVE:
    import getpass
    import os

    from helpers.simulator import mask_key

    key = os.environ.get("OPENAI_API_KEY") or getpass.getpass("OpenAI API key (not shown): ")
    live = openai.OpenAI(api_key=key, max_retries=0, timeout=20)
    print("using key", mask_key(key))
    for prompt in ["Say hi in three words.", "And in French?"]:
        try:
            reply = live.chat.completions.create(
                model="gpt-4o-mini", max_tokens=20, messages=[{"role": "user", "content": prompt}]
            )
            print("200:", reply.choices[0].message.content)
        except openai.APIError as exc:
            print(type(exc).__name__, getattr(exc, "status_code", ""), getattr(exc, "code", ""))
    del key, live
else:
    print("Going live is switched off: everything stays in the simulator.")

# %% [markdown]
# ## Key points
#
# - Decide `timeout` and `max_retries`; compute the worst case; tighten per call with `with_options`.
# - Retry in **one** layer, only what can succeed, with jittered backoff and a budget.
# - Log and count retries; keep request ids; stop a batch at the first quota error.
# - A circuit breaker saves a struggling dependency from pointless calls during a long outage.
#
# **Next:** [10 — Streaming and the Responses API](10_streaming_and_responses.ipynb): the errors that arrive
# after the 200. Or go back to [00 — Start here](00_start_here.ipynb) for the map,
# or open [06 — The backoff lab](06_backoff_lab.ipynb) and try your own settings.

# %% [markdown]
# # Server errors (500, 503), timeouts and dropped connections
#
# So far every error was about *you*: your key, your rate, your money. This notebook is about the errors where
# your request was fine and something went wrong on the way or on the other side: the server failed, the model
# was too busy, the answer took too long, or the connection broke. Most of these are worth a retry — but not all,
# and not blindly.
#
# **What you will learn in this notebook**
# - what a **500** and the two forms of **503** look like, why they happen, and what to do about them;
# - how the SDK retries them, how it honours **`Retry-After`**, and when it gives up;
# - how to tell a **429 `slow_down`** from the other 429s;
# - how **timeouts** work, why the SDK retries them, and how long one call can take in the worst case;
# - what a **connection error** looks like;
# - what is safe to retry — and why a timeout does not mean the server did nothing.
#
# **Time to learn:** about 35 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Running cells, `make_client`, reading an `openai` exception | needed | notebook 00 |
# | `client.with_options(...)`, the simulator's log | helpful | notebook 04 |
# | Ordinary rate limits and `Retry-After` | helpful | notebook 03 |

# %% [markdown]
# ## Setup
#
# Everything this notebook uses, in one cell. `show_log` prints what the simulated server saw: one line per request,
# with the virtual time it arrived and the SDK's retry counter (`x-stainless-retry-count`).

# %%
import ipywidgets as widgets
import openai

from helpers.anatomy import show_error
from helpers.retry import classify_exception
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Tell me a fact about servers."}]


def show_log(simulator):
    """One line per request the simulated server answered."""
    for entry in simulator.log:
        answer = entry.status if entry.status is not None else "no answer"
        print(f"  t={entry.time:6.2f} s  retry #{entry.retry_count}  {entry.model:16}  {answer} {entry.code or ''}")


# %% [markdown]
# ---
# ## 1. 500 — "The server had an error while processing your request"
#
# ### What you see
#
# The demo model `gpt-demo-flaky` fails about one request in five, on a seeded (so repeatable) schedule. We send
# ten requests with `max_retries=0`, so each failure reaches us:

# %%
flaky = make_client("sk-demo-ok", max_retries=0)
outcomes = []
for _ in range(10):
    try:
        flaky.chat.completions.create(model="gpt-demo-flaky", messages=MESSAGES)
        outcomes.append("200")
    except openai.InternalServerError as exc:
        outcomes.append(str(exc.status_code))
        server_error = exc
print(" ".join(outcomes))

# %%
show_error(server_error, headers=["x-request-id"])
print("exc.request_id:", server_error.request_id)

# %% [markdown]
# ### Why it happens
#
# Something broke on OpenAI's side while handling a request that was itself fine. The error guide titles it *"The
# server had an error while processing your request"*; the message you receive says much the same and apologises.
#
# ### How to diagnose it
#
# - `openai.InternalServerError`, status **500**, `type` **`server_error`**, `code` **`None`**.
# - The message carries a **request id**, the same as the `x-request-id` header and `exc.request_id`. Log it: it
#   is what support will ask for.
# - One 500 now and then is normal. Many in a row mean an incident: check the OpenAI status page.
#
# ### How to fix it, and does a retry help?
#
# There is nothing to fix in your request. **Retry after a short pause** — and that is exactly what the SDK does by
# itself. The same ten requests with the default `max_retries=2`:

# %%
flaky = make_client("sk-demo-ok")  # default: max_retries=2
for _ in range(10):
    flaky.chat.completions.create(model="gpt-demo-flaky", messages=MESSAGES)
print("all 10 calls succeeded; the server saw", len(flaky.simulator.log), "requests:")
show_log(flaky.simulator)

# %% [markdown]
# Each 500 was followed, about 0.4 s later, by a retry (`retry #1`) that worked; that pause is the SDK's own
# backoff. Your code never saw the errors. (Several calls share a time stamp because virtual time only moves while
# someone waits.) Keep the number of attempts bounded, though: during a real outage every retry fails too.

# %% [markdown]
# ---
# ## 2. 503 — the model is overloaded
#
# The demo model `gpt-demo-busy` is overloaded during the **first 5 seconds of every 15** (counted from the moment
# the simulator starts). The 503 it sends comes in two forms, an older one and today's.
#
# ### What you see: the older form ("engine overloaded")
#
# The first error guide called it *"The engine is currently overloaded, please try again later"*. The body that
# actually arrived looked like this (the simulator plays it with `overload_style="legacy"`):

# %%
legacy = make_client("sk-demo-ok", Simulator(overload_style="legacy"), max_retries=0)
try:
    legacy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    legacy_503 = exc

show_error(legacy_503, headers=["retry-after"])  # none: no Retry-After was documented or captured for it

# %% [markdown]
# ### What you see: today's form (`server_is_overloaded`)

# %%
busy = make_client("sk-demo-ok", Simulator(), max_retries=0)
try:
    busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    current_503 = exc

show_error(current_503, headers=["retry-after"])  # in seconds

# %% [markdown]
# Both are **`openai.InternalServerError`**, not `RateLimitError`. A handler that only catches `RateLimitError`
# to "deal with throttling" lets every 503 through.
#
# ### Why it happens
#
# Nothing is wrong with your request or your account: at that moment the model has no spare capacity, because of
# everyone's traffic together. Here is the demo model's schedule, one request per second for 15 seconds of
# virtual time:

# %%
sim = Simulator()
busy = make_client("sk-demo-ok", sim, max_retries=0)
for _ in range(15):
    try:
        busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
    except openai.InternalServerError:
        pass
    sim.clock.advance(1)  # let one second of virtual time pass

print("time (s):", " ".join(f"{e.time:3.0f}" for e in sim.log))
print("status  :", " ".join(f"{e.status:3}" for e in sim.log))


# %% [markdown]
# ### How to diagnose it
#
# - Status **503**; today `type="service_unavailable_error"` with `code="server_is_overloaded"`, in the older form
#   `type="server_error"` with `code=None` and the "currently overloaded" message.
# - A **`retry-after`** header *may* say how long to wait (OpenAI's guide says it may be present; the demo sends
#   one with today's form, none with the 2023 form).
#
# ### How to fix it, and does a retry help?
#
# Yes: overload passes. **Wait at least `retry-after`, then retry.** If the model stays busy for long, do what
# today's message suggests and **fall back to another model**:


# %%
def ask_with_fallback(client, messages, models=("gpt-demo-busy", "gpt-4o-mini")):
    for model in models:
        try:
            return client.chat.completions.create(model=model, messages=messages)
        except openai.InternalServerError as exc:
            print(f"{model}: {exc.status_code} {exc.code or exc.type}; trying the next model")
    raise RuntimeError("every model is overloaded")


reply = ask_with_fallback(make_client("sk-demo-ok", max_retries=0), MESSAGES)
print("answered by", reply.model)

# %% [markdown]
# The SDK retries 503s itself, and it waits exactly as long as `retry-after` says. Here the first request arrives
# 1.3 s into a busy phase that lasts until 5 s:

# %%
sim = Simulator()
busy = make_client("sk-demo-ok", sim)  # default: max_retries=2
sim.clock.advance(1.3)
busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
show_log(sim)
print("the SDK slept:", busy.retry_sleeps, "s")

# %% [markdown]
# ---
# ## 3. `Retry-After` and `retry-after-ms`
#
# Why 3.7 s, when the `retry-after` header can only hold whole seconds? Let's send the same request at the same
# moment, 1.3 s into the busy phase, without retries, and read both headers the server sent:

# %%
sim = Simulator()
sim.clock.advance(1.3)
try:
    make_client("sk-demo-ok", sim, max_retries=0).chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    print("retry-after   :", exc.response.headers.get("retry-after"), "(whole seconds, rounded up)")
    print("retry-after-ms:", exc.response.headers.get("retry-after-ms"), "(milliseconds: the SDK reads this one first)")

# %% [markdown]
# How the SDK (openai-python 2.52 and later) turns these into a wait before a retry:
#
# | The response says | The SDK waits | Does it retry? |
# |---|---|---|
# | `retry-after-ms` (read first), or `retry-after` in seconds or as a date: above 0 and at most 120 s | **exactly** that long, no jitter | yes |
# | nothing usable (absent, 0, negative, not a number) | its own backoff: about 0.5 s, then 1 s, 2 s, … up to 8 s, minus up to 25 % jitter | yes |
# | more than **120 s** | — | **no**: it raises the error at once |
#
# The last row matters: if the server asks for more than two minutes, the SDK does not retry early; it gives up
# and leaves the decision to you. Let's make the busy model busy for five minutes at a time:

# %%
sim = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
patient = make_client("sk-demo-ok", sim)  # default: max_retries=2
try:
    patient.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    print("raised at once; the server asked for", exc.response.headers.get("retry-after"), "s")
print(len(sim.log), "request sent; the SDK slept", patient.retry_sleeps)

# %% [markdown]
# One more thing to keep in mind: because the SDK waits *exactly* `retry-after`, clients that were refused together
# come back together. Notebook 07 shows why that hurts, and notebook 08 how pacing on the client side avoids it.

# %% [markdown]
# ---
# ## 4. 429 `slow_down`: you sped up too fast
#
# ### What you see
#
# `gpt-demo-ramp` accepts at most 5 requests in any 10 seconds. (OpenAI documents `slow_down` but has not said
# how it decides, and no real message has been captured yet: the rule and the message text here are the
# simulator's stand-ins. The status, `type` and `code` are the real ones.) A burst of 7 requests, half a second
# apart:

# %%
sim = Simulator()
ramp = make_client("sk-demo-ok", sim, max_retries=0)
for n in range(1, 8):
    try:
        ramp.chat.completions.create(model="gpt-demo-ramp", messages=MESSAGES)
        print(f"request {n}: 200")
    except openai.RateLimitError as exc:
        wait = exc.response.headers["retry-after"]
        print(f"request {n}: {exc.status_code} type={exc.type} code={exc.code} retry-after={wait} s")
        slow_down = exc
    sim.clock.advance(0.5)
print("message:", slow_down.body["message"])

# %% [markdown]
# ### Why it happens
#
# Your traffic grew too quickly. To protect capacity that everyone shares, OpenAI throttles sudden jumps — even
# when you are still under your requests-per-minute and tokens-per-minute limits.
#
# ### How to diagnose it
#
# It is a 429 `RateLimitError`, like a rate limit and like a billing error. Only the body tells them apart:
#
# | `type` | `code` | Meaning | Retry? |
# |---|---|---|---|
# | `requests` or `tokens` | `rate_limit_exceeded` | over your RPM / TPM allowance | yes, after `retry-after` |
# | `rate_limit_error` | `slow_down` | you ramped up too fast | yes, after `retry-after`, and then go slower |
# | `insufficient_quota` | a billing code | out of money (notebook 04) | never |
#
# ### How to fix it, and does a retry help?
#
# Wait for `retry-after`, then **drop back to your earlier request rate and increase it gradually**. For big
# workloads OpenAI suggests growing by at most about half every 15 minutes. A retry helps, but a retry at the same
# burst rate just triggers the next `slow_down`.

# %% [markdown]
# ---
# ## 5. Timeouts
#
# ### What you see
#
# `gpt-demo-slow` takes 30 seconds to answer. A client that waits at most 2 seconds (`timeout=2`) gives up first:

# %%
slow = make_client("sk-demo-ok", timeout=2, max_retries=0)
try:
    slow.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError as exc:
    timeout_error = exc

print("exception    :", type(timeout_error).__name__, "-", timeout_error)
print("status code  :", getattr(timeout_error, "status_code", "none: no HTTP answer arrived"))
print("caused by    :", repr(timeout_error.__cause__))
print("also counts as APIConnectionError?", isinstance(timeout_error, openai.APIConnectionError))

# %% [markdown]
# No status, no body, no headers: a timeout happens on **your** side, before any answer arrives.
# `APITimeoutError` is a subclass of `APIConnectionError`, so `except openai.APIConnectionError` catches both.
#
# ### Why it happens
#
# The answer takes longer than you are willing to wait: a long output, a large `max_tokens`, a busy model, a slow
# network — or a timeout set too short for the job. The SDK's default is **600 seconds** in all, of which at most 5 seconds to connect.
#
# ### The SDK retries timeouts
#
# With the default `max_retries=2`, one call makes three attempts, each waiting the full timeout, with a short
# backoff sleep between them:

# %%
slow = make_client("sk-demo-ok", timeout=2)  # default: max_retries=2
try:
    slow.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError:
    print("the call raised APITimeoutError after", round(slow.simulator.clock.now(), 2), "s of (virtual) time")
print("backoff sleeps:", [round(s, 2) for s in slow.retry_sleeps], "s")
show_log(slow.simulator)


# %% [markdown]
# **Total time = attempts × timeout + backoff sleeps** = 3 × 2 s + 0.39 s + 0.81 s = 7.2 s. With the default
# 600-second timeout, a server that never answers keeps one call busy for half an hour.
#
# (The `200` in the log is not a mistake: the server *did* finish each request — after 30 s, long after the client
# had stopped waiting. Section 7 comes back to that.)
#
# ### How to fix it
#
# Choose a timeout that fits the job, and set it where it belongs:
#
# - for every call of a client: `make_client(..., timeout=20)` — with the real SDK, `openai.OpenAI(timeout=20)`;
# - for some calls: `client.with_options(timeout=5, max_retries=1).chat.completions.create(...)`;
# - for one call: `client.chat.completions.create(..., timeout=5)`.
#
# If answers are long, lower `max_tokens` or stream the response, so tokens arrive as they are produced.
#
# ### Exercise 1: the worst case
#
# Write `worst_case_seconds(timeout, max_retries)`: the longest one call can take when the server never answers.
# Count `max_retries + 1` attempts of `timeout` seconds each, plus the longest sleep the SDK can take before each
# retry: before retry *k* (k = 1, 2, …) that is `min(0.5 · 2**(k - 1), 8)` seconds.


# %% tags=["exercise"]
def worst_case_seconds(timeout, max_retries):
    """The longest a call can take if the server never answers: every attempt times out."""
    # Your code here
    return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/05_worst_case_seconds.py

# %%
from helpers.checks import check_worst_case_seconds

check_worst_case_seconds(worst_case_seconds)


# %% [markdown]
# Now try it: move the sliders, and the cell below sends one call to `gpt-demo-slow` with those settings and
# compares the virtual time it took with your formula. (The SDK's real sleeps carry some jitter, so the measured
# time is a little under the worst case.)


# %%
def timeout_lab(timeout, max_retries):
    client = make_client("sk-demo-ok", timeout=timeout, max_retries=max_retries)
    try:
        client.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
        print(f"answered after {client.simulator.clock.now():.1f} s (the model needs 30 s)")
    except openai.APITimeoutError:
        print(f"{len(client.simulator.log)} attempts, APITimeoutError after {client.simulator.clock.now():.1f} s")
    try:
        print(f"your worst_case_seconds says: {worst_case_seconds(timeout, max_retries):.1f} s")
    except Exception as exc:
        print(f"your worst_case_seconds raised {type(exc).__name__}: {exc}")


widgets.interact(
    timeout_lab,
    timeout=widgets.IntSlider(value=2, min=1, max=40, description="timeout (s)"),
    max_retries=widgets.IntSlider(value=2, min=0, max=6, description="max_retries"),
)
# %% [markdown]
# ---
# ## 6. Connection errors
#
# ### What you see
#
# `gpt-demo-dropped` closes every connection without answering:

# %%
dropped = make_client("sk-demo-ok")  # default: max_retries=2
try:
    dropped.chat.completions.create(model="gpt-demo-dropped", messages=MESSAGES)
except openai.APIConnectionError as exc:
    connection_error = exc

print("exception:", type(connection_error).__name__, "-", connection_error)
print("caused by:", repr(connection_error.__cause__))
show_log(dropped.simulator)

# %% [markdown]
# ### Why it happens, and how to diagnose it
#
# The client never completed an exchange with the server: no network, a DNS failure, a proxy or firewall in the
# way, a TLS certificate problem, or a connection that dropped before the answer came. The SDK's message is just
# *"Connection error."*; **the real reason is in `exc.__cause__`**: here httpx's `RemoteProtocolError`, because
# the course hands the SDK an `httpx` client; with the SDK's own client (SDK 3.57 uses the `httpx2` package) it is
# `httpx2.RemoteProtocolError`. Setting
# the environment variable `OPENAI_LOG=debug` makes the SDK log every attempt.
#
# ### How to fix it, and does a retry help?
#
# The SDK retried twice, as it does for timeouts. That helps with a passing network glitch. A lasting cause — a
# wrong proxy setting, a blocked host, a wrong `base_url` — fails every time, so check the network and the
# configuration instead of adding retries.

# %% [markdown]
# ---
# ## 7. What is safe to retry?
#
# "Retry on error" assumes that a failed request did nothing. For a timeout that is often false. Look again at the
# timeout from section 5: the log shows that the server **finished all three attempts**, and the organization paid
# for each of them:

# %%
sim = slow.simulator  # the client with timeout=2 and max_retries=2 from section 5
completed = [entry for entry in sim.log if entry.status == 200]
print(f"the client received 0 answers; the server completed {len(completed)} requests")
print(f"and billed {sim.spend['org-demo']:.6f} USD for them")

# %% [markdown]
# - A **timeout or dropped connection does not mean the server did nothing.** It may have done the work (and
#   billed it) after you stopped listening.
# - So a retried chat completion can be **paid for twice** (here: three times). The OpenAI SDK sends no
#   idempotency key to the API, and the API does not recognise a retried chat completion as a repeat.
# - For a chat completion that costs only money, retrying is usually fine. It is **not** fine when the request,
#   or what your code does with the answer, has side effects: sending an e-mail, charging a customer, writing to a
#   database, calling a tool. Make those steps idempotent yourself — give each job an id and check whether it was
#   already done before acting again.
# - Errors that arrive **with a status** (500, 503, 429) come with no output. In the simulator they cost
#   nothing; only answers that were actually produced are billed.
#
# ### Exercise 2: count what the server did
#
# The call below times out three times. Write `billed_count(log)`: from a simulator's log (such as
# `slow_client.simulator.log`), count how many requests the server actually **completed** (status 200), each one
# billed. Not every entry is one: the check also hands your function logs with refused requests (429), server
# errors and dropped connections (status `None`) in between.

# %% tags=["exercise"]
slow_client = make_client("sk-demo-ok", timeout=5)  # default: max_retries=2
try:
    slow_client.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError:
    print("timed out: the client received no answer at all")


def billed_count(log):
    # Your code here: count the entries of the log whose status is 200
    return None


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/05_billed_count.py

# %%
from helpers.checks import check_billed_count

check_billed_count(billed_count, slow_client)
# %% [markdown]
# ### Exercise 3: retry or not?
#
# Put the whole notebook together (and notebook 04). Write `should_retry(exc)`. It returns `True` when another try
# can succeed:
#
# - 500 and 503 (`openai.InternalServerError`), 429 rate limits and `slow_down`, timeouts and dropped connections
#   (`openai.APIConnectionError`, which includes `APITimeoutError`);
# - 408 (request timeout) and 409 (conflict), which pass with time too: the SDK retries them as well;
#
# and `False` otherwise:
#
# - billing errors (the `BILLING_CODES`, or `type == "insufficient_quota"`), other 4xx errors such as 401 or 404;
# - any response whose `retry-after` header asks for **more than 120 seconds** (give up, as the SDK does);
# - exceptions that do not come from the API at all (a bug in your own code should not be retried).
#
# Only API status errors (`openai.APIStatusError`) have `.status_code`, `.code` and `.response.headers`.
# The check also tries shapes this notebook did not show you (such as the 2023 quota error, whose `code` is
# `None`), and it wants your own decision: an answer that asks `classify_exception` does not count.

# %% tags=["exercise"]
from helpers.retry import BILLING_CODES  # the five codes of notebook 04


def should_retry(exc):
    """True if trying the same request again later can succeed."""
    # Your code here
    return False


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/05_should_retry.py

# %%
from helpers.checks import check_should_retry

check_should_retry(should_retry)
# %% [markdown]
# The course toolkit's `classify_exception` makes the same decisions, and also says why. You will use it to
# drive your own retry loop in the backoff lab. Here it is on the errors of this notebook, plus one from notebook 04:

# %%
try:
    make_client("sk-demo-broke", max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    quota_error = exc

for exc in [server_error, legacy_503, current_503, slow_down, timeout_error, connection_error, quota_error]:
    verdict = classify_exception(exc)
    print(f"{type(exc).__name__:22} retry? {verdict.retryable!s:5}  {verdict.kind:12} {verdict.reason}")

# %% [markdown]
# ---
# ## Key points
#
# - **500** (`server_error`) and **503** (today `server_is_overloaded`, in the older form `server_error` with an
#   "overloaded" message) are faults on the server's side. Both raise **`openai.InternalServerError`** — not
#   `RateLimitError`. Retrying helps; the SDK does it by itself.
# - The SDK waits **exactly** `retry-after-ms` / `Retry-After` when it is between 0 and 120 s, uses its own short
#   backoff when there is none, and **does not retry at all** when the server asks for more than 120 s.
# - **429 `slow_down`** (`type` `rate_limit_error`) means you ramped up too fast: wait, drop back, grow slowly.
# - A **timeout** is `APITimeoutError` (a kind of `APIConnectionError`), with no status and no body. The SDK
#   retries it, so a call can take `(max_retries + 1) × timeout + backoff` — half an hour with the defaults.
# - A **connection error** is `APIConnectionError`; the real reason is in `exc.__cause__`.
# - A timeout does not mean the server did nothing: a retried chat completion **may be billed twice**, and side
#   effects must be made idempotent on your side.
#
# **Next:** [06 — The backoff lab](06_backoff_lab.ipynb)

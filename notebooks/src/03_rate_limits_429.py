# %% [markdown]
# # Rate limits (429)
#
# Every organization may send only so many requests, and so many tokens, each minute. Go over and the API answers
# **429 Too Many Requests**. It is the error you will meet most often, and also the friendliest one: nothing is
# broken, you only have to slow down. This notebook shows how the limits are counted, how to read what the API
# tells you about them, and what the `openai` SDK does about them on its own.
#
# **What you will learn in this notebook**
# - what RPM, TPM and RPD are, and which of them refuses a request;
# - how the limit refills, and how to work out the API's *"Please try again in …"* yourself;
# - how to read the `x-ratelimit-*` headers and `Retry-After`, and how to turn them into a wait;
# - the whole story of *"429 Rate limit reached for requests"*: what you see, why it happens, how to diagnose it,
#   how to fix it, and when a retry helps;
# - why `max_tokens` eats into your token limit even when the answer is short, and why *"Request too large"* must
#   never be retried;
# - why retrying too soon makes things worse, and what the SDK's built-in retries do.
#
# **Time to learn:** about 35 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Running cells, `make_client`, catching an `openai` exception | needed | notebook 00 |
# | The parts of an API error: status, body (`message`, `type`, `code`), headers | helpful | notebook 01 |
# | Python: functions, `try`/`except`, dictionaries | needed | |

# %% [markdown]
# ## Setup
#
# Everything this notebook uses, in one cell. The API is simulated, and so is time: when a cell below waits a
# minute, the wait takes a few microseconds.

# %%
import math
import re

import openai

from helpers import plots
from helpers.anatomy import show_error
from helpers.experiments import lab_world, run_load
from helpers.experiments.sdk_load import run_sdk_load
from helpers.ratelimit import Bucket, format_duration, parse_duration
from helpers.retry import MaxAttempts, OpenAISDK, RetryPolicy
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Tell me a short joke about queues."}]


def short(message):
    """An API message without the link at its end."""
    return message.split(" Visit https://")[0]


# %% [markdown]
# ---
# ## 1. Three limits, and the first one to run out says no
#
# The API counts what each **organization** sends, separately for each **model** (some model families share one
# pool). It does not count per key: all the keys of an organization share the same allowance.
#
# - **RPM**, requests per minute: every request counts one, however small.
# - **TPM**, tokens per minute: every request counts the tokens it *might* use (section 5 shows how that is
#   estimated).
# - **RPD**, requests per day (and sometimes **TPD**, tokens per day).
#
# A request has to fit into **all** of them. The first limit that has no room left refuses it, and the 429 tells
# you which one it was. The limits grow with your usage tier; here are the ones of the demo world:

# %%
world = Simulator().world
for org_id in ["org-demo-free", "org-demo"]:
    tier = world.organizations[org_id].tier
    for model in ["gpt-4o-mini", "gpt-4o"]:
        limits = world.limits(org_id, model)
        print(
            f"{org_id:14} tier {tier:7} {model:12}  RPM {limits.rpm:>4}   TPM {limits.tpm:>7,}   RPD {limits.rpd:>6,}"
        )


# %% [markdown]
# The key `sk-demo-free` belongs to `org-demo-free`, a free organization with only **3 requests per minute**. The
# key `sk-demo-ok` belongs to `org-demo`, which pays and gets far more.
#
# To see *which* limit says no, we can build a small world of our own: `lab_world(rpm, tpm, rpd)` adds an
# organization with exactly those limits, and the key `sk-lab` to use it. Below, one lab organization is short of
# tokens and another is short of requests per day.


# %%
def first_refusal(max_tokens, **limits):
    """Send requests until one is refused; return how many went through and the 429."""
    client = make_client("sk-lab", Simulator(lab_world(**limits)), max_retries=0)
    for sent in range(100):
        try:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=max_tokens)
        except openai.RateLimitError as exc:
            return sent, exc


for max_tokens, limits in [(400, dict(rpm=600, tpm=1_000)), (20, dict(rpm=600, tpm=100_000, rpd=5))]:
    sent, exc = first_refusal(max_tokens, **limits)
    print(f"limits {limits}: {sent} requests went through, then type={exc.type!r}")
    print("   ", short(exc.body["message"]))

# %% [markdown]
# The first organization still had 598 of its 600 requests for the minute, but not enough **tokens**, so the error's
# `type` is `tokens` and the message names *tokens per min (TPM)*. The second ran out of **requests per day**, and the
# wait is printed in hours: `4h48m0s`.

# %% [markdown]
# ---
# ## 2. "429 Rate limit reached for requests"
#
# This is the classic one, the error the official guide lists as *Rate limit reached for requests*. We take it
# apart the way the course takes apart every error.
#
# ### What you see
#
# The free-tier key may send 3 requests per minute, so we send 4. (`max_retries=0` stops the SDK from retrying
# by itself; section 7 shows what it does otherwise.)

# %%
free = make_client("sk-demo-free", max_retries=0)
for n in range(1, 5):
    try:
        free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        print(f"request {n}: 200 OK")
    except openai.RateLimitError as exc:
        rate_error = exc
        print(f"request {n}: {exc.status_code} {exc.code}")

# %%
show_error(rate_error)

# %% [markdown]
# The message packs in a lot: the model, the organization, **which limit** (*requests per min (RPM)*), the numbers
# (**Limit 3, Used 3, Requested 1**), **how long to wait** (*Please try again in 20s*), and, because this
# organization is on the free tier, a last sentence about adding a payment method.
#
# The headers say the same in a form a program can read:

# %%
for name, value in rate_error.response.headers.items():
    if name.startswith(("x-ratelimit", "retry-after")):
        print(f"{name}: {value}")

# %% [markdown]
# ### Why it happens
#
# The organization's request allowance is empty: three requests went out in the same instant, and the bucket of 3
# needs 20 seconds to refill by one (3 per 60 seconds). Nothing is wrong with the request itself, or with the key.
#
# ### How to diagnose it
#
# 1. **429 and `openai.RateLimitError`**, with `code` **`rate_limit_exceeded`**. (If the code or type is
#    `insufficient_quota` or another billing code, it is not a rate limit: see notebook 04.)
# 2. **`type` says which kind of limit**: `requests` or `tokens`. The message names the exact one: RPM, TPM, RPD.
# 3. **Limit, Used, Requested** in the message tell you how far over you are.
# 4. **`x-ratelimit-remaining-requests: 0`** (or `…-tokens` too low) confirms it. The simulator also sends
#    **`retry-after`**, the seconds until the request would fit; the real API sends it only sometimes (some real
#    429s carry no `retry-after` and no `x-ratelimit-*` at all), so the "Please try again in" of the message is
#    the hint you can count on, and backoff (notebook 06) is the fallback when even that is missing.
#
# Reading the numbers out of the message takes one regular expression:

# %%
RATE_LIMIT = re.compile(
    r" on (?P<limit_name>[^:]+): Limit (?P<limit>\d+), Used (?P<used>\d+), "
    r"Requested (?P<requested>\d+)\. Please try again in (?P<wait>\S+?)\.(?: |$)"
)

found = RATE_LIMIT.search(rate_error.body["message"])
print(found.groupdict())
print("as seconds:", parse_duration(found["wait"]))

# %% [markdown]
# ### How to fix it
#
# - **Wait**, then send again: `Retry-After` says how long when it is sent, otherwise "Please try again in".
# - **Pace** your requests so that you never go over: with 3 RPM, one request every 20 seconds.
# - **Send fewer, bigger requests**: several questions in one prompt count as one request.
# - **Ask for less**: a smaller `max_tokens` helps with token limits (section 5).
# - **Move up a tier**: adding a payment method (as the message suggests) lifts the free tier's limits.
#
# Here is the first fix: let 20 seconds pass (virtual seconds, so no real waiting) and send the same request again.

# %%
free.simulator.clock.advance(20)
reply = free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
print(f"t = {free.simulator.clock.now():.0f} s: 200 OK ->", reply.choices[0].message.content)

# %% [markdown]
# ### Retry or not?
#
# **Yes, after waiting.** A rate limit is temporary: the allowance refills by itself. The catch is the *after
# waiting*: section 6 shows that retrying too early not only fails, it pushes your success further away.

# %% [markdown]
# ---
# ## 3. The bucket: how the limit refills
#
# "3 requests per minute" does not mean a counter that resets at the top of each minute. OpenAI does not publish
# how it enforces limits, but every captured message and header fits a **bucket** model, so the simulator uses one,
# and the API *behaves as if* it were a bucket that holds up to 3 requests and refills **continuously**, at 3 per 60 seconds, that is one every 20
# seconds. A request takes one out; if the bucket holds less than one, the request is refused. (OpenAI also says
# limits may be *quantized*, enforced over shorter periods: 60,000 per minute can act like 1,000 per second, so a
# burst can be refused below the per-minute rate. The simulator's buckets are not quantized unless you ask.)
#
# `helpers.ratelimit.Bucket` is the same bucket the simulator uses. Empty it, then watch it refill:

# %%
bucket = Bucket(limit=3, window=60)  # the free tier's 3 requests per minute
for _ in range(3):
    bucket.take(1, now=0)

for t in [0, 5, 10, 20, 40, 60, 90]:
    decision = bucket.check(1, now=t)
    verdict = "fits" if decision.admitted else f"refused: try again in {format_duration(decision.wait)}"
    print(f"t = {t:2} s: {bucket.level(t):4.2f} requests in the bucket -> a request {verdict}")

# %% [markdown]
# The bucket never holds more than its limit: after 60 seconds it is full, and waiting longer gains nothing.
#
# ### The "try again in" formula
#
# When a request does not fit, the wait is the time the bucket needs to refill the part that is missing:
#
# $$\text{wait} = \frac{\text{Used} + \text{Requested} - \text{Limit}}{\text{Limit} / \text{window}}$$
#
# The top is how many units are missing; the bottom is the refill rate (units per second). A real 429 message makes a
# good example: a TPM limit of 10,000, with 8,554 tokens used and a request of 3,082. The refill rate
# is 10,000 / 60 ≈ 166.67 tokens per second and 8,554 + 3,082 − 10,000 = 1,636 tokens are missing, so the wait is
# 1,636 / 166.67 = **9.816 s**. The bucket agrees:

# %%
tokens = Bucket(limit=10_000, window=60)
tokens.take(8_554, now=0)
decision = tokens.check(3_082, now=0)
print(decision)
print("formatted as the API does:", format_duration(decision.wait))

# %% [markdown]
# And so does the simulated API. A lab organization with a TPM of 10,000 gets a first request worth 8,554 tokens,
# then a second one worth 3,082 (section 5 explains how a request's tokens are counted; here the prompt is
# 8,054 tokens of filler plus `max_tokens=500`):

# %%
client = make_client("sk-lab", Simulator(lab_world(rpm=60, tpm=10_000)), max_retries=0)
client.chat.completions.create(
    model="gpt-4o-mini", max_tokens=500, messages=[{"role": "user", "content": "x" * 4 * 8_054}]
)
try:
    client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=500, messages=[{"role": "user", "content": "x" * 4 * 2_582}]
    )
except openai.RateLimitError as exc:
    tpm_error = exc

print(short(tpm_error.body["message"]))
print("retry-after   :", tpm_error.response.headers["retry-after"])
print("retry-after-ms:", tpm_error.response.headers["retry-after-ms"])


# %% [markdown]
# Notice the two headers: `retry-after` is rounded **up** to whole seconds (10), `retry-after-ms` is exact (9816).
# The SDK reads `retry-after-ms` first when it is there. Both are the simulator's choice here: the real API sends
# them on some 429s and not on others, and the message's "try again in" is what you can rely on.
#
# ### Exercise 1: work out "try again in"
#
# Write `try_again_in(limit, used, requested, window_s=60)`: the seconds until the request fits, using the formula
# above. Two special cases: return `0` when the request fits already, and `math.inf` when it is larger than the whole
# limit (it can never fit).


# %% tags=["exercise"]
def try_again_in(limit, used, requested, window_s=60):
    """Seconds until a request of `requested` units fits a bucket of `limit` per `window_s` with `used` in use."""
    # Your code here
    return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/03_try_again_in.py

# %%
from helpers.checks import check_try_again_in

check_try_again_in(try_again_in)

# %% [markdown]
# Now your function against the real messages: read the numbers out of each 429 and compare your wait with the one
# the API printed.

# %%
for exc in [rate_error, tpm_error]:
    found = RATE_LIMIT.search(exc.body["message"])
    mine = try_again_in(int(found["limit"]), int(found["used"]), int(found["requested"]))
    print(f"{found['limit_name']:24} the API says {found['wait']:7}  you say {format_duration(mine)}")

# %% [markdown]
# ---
# ## 4. The `x-ratelimit-*` headers
#
# Answers about a model, a success as well as a rate-limit 429, carry six headers about the limits of that model.
# (Answers that never got that far carry none: an authentication error, a billing 429. Some real 429s lack them too,
# so read them when they are there.)
#
# | Header | Meaning |
# |---|---|
# | `x-ratelimit-limit-requests`, `x-ratelimit-limit-tokens` | the limits that apply to this request (here the per-minute RPM and TPM) |
# | `x-ratelimit-remaining-requests`, `x-ratelimit-remaining-tokens` | what is left right now |
# | `x-ratelimit-reset-requests`, `x-ratelimit-reset-tokens` | how long until the bucket is **full** again |
#
# Three things trip people up:
#
# - The values are **text**, even the numbers: convert them with `int(...)`.
# - The reset times are written like Go durations: `120ms`, `20s`, `1m0s`, `6m0s`, `1m26.4s`.
#   `parse_duration` turns them into seconds.
# - A reset time is the wait until the bucket is **completely full**, not until the next request fits. A reset of
#   `40s` with one request remaining means you can send one request right now.
#
# Here are the headers of an ordinary success from the paying organization:

# %%
ok = make_client("sk-demo-ok", max_retries=0)
raw = ok.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
for name, value in raw.headers.items():
    if name.startswith("x-ratelimit"):
        parsed = f"  = {parse_duration(value):g} s" if "reset" in name else ""
        print(f"{name:32} {value:>8}{parsed}")

# %% [markdown]
# And the free tier after two requests: one request remains, and it will take 40 seconds to refill the two that were
# used.

# %%
free = make_client("sk-demo-free", max_retries=0)
for _ in range(2):
    raw = free.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
print("remaining-requests:", raw.headers["x-ratelimit-remaining-requests"])
print("reset-requests    :", raw.headers["x-ratelimit-reset-requests"])


# %% [markdown]
# Since a bucket refills at `limit / 60` units per second, the headers are enough to work out how long to wait
# before a request of a given size fits: the missing units divided by the refill rate.
#
# ### Exercise 2: wait until it fits
#
# Write `seconds_until_fits(headers, tokens)`: the seconds until a request of `tokens` tokens fits, from the
# headers of the last answer. A request needs **one request** from the requests bucket **and** `tokens` from the
# tokens bucket, so work out both waits and return the longer one. Return `0` if it fits now, and `math.inf` if
# `tokens` is more than the whole token limit.


# %% tags=["exercise"]
def seconds_until_fits(headers, tokens):
    """Seconds until one request of `tokens` tokens fits, from the x-ratelimit-* headers of the last answer."""
    # Your code here
    return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/03_seconds_until_fits.py

# %%
from helpers.checks import check_seconds_until_fits

check_seconds_until_fits(seconds_until_fits)

# %% [markdown]
# With that function a program can pace itself: before each request, wait as long as the last headers say. Six
# requests on the free tier, and not a single 429:

# %%
free = make_client("sk-demo-free", max_retries=0)
headers = None
try:
    for n in range(1, 7):
        if headers is not None:
            tokens = free.simulator.log[-1].tokens  # what the last request was charged: prompt estimate + max_tokens
            free.simulator.clock.sleep(seconds_until_fits(headers, tokens))
        raw = free.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        headers = raw.headers
        print(f"t = {free.simulator.clock.now():5.1f} s  request {n}: {raw.status_code}")
except openai.RateLimitError:
    print(
        f"request {n} got a 429: seconds_until_fits waited too little. Finish the exercise above, then run this again."
    )
print("429s received:", sum(entry.status == 429 for entry in free.simulator.log))

# %% [markdown]
# The first three go out at once (the bucket was full), then one every 20 seconds: exactly the limit, never more.
# Notebook 08 builds this idea into a proper client-side throttle.

# %% [markdown]
# ---
# ## 5. Why `max_tokens` counts
#
# When a request arrives, the API has to decide whether it fits **before** the model has written a single word of
# the answer. So it counts what the request *could* use. OpenAI's rate-limit guide says it takes the **larger** of
# `max_tokens` and an estimate from the prompt's characters; the real estimator is not published.
#
# The simulator uses a simpler rule, the one the OpenAI Cookbook's parallel processor uses:
#
# - the prompt, estimated from its length (for each message, its characters ÷ 4, rounded up), **plus**
# - `max_tokens` for each answer you ask for (`n` answers, 1 by default).
#
# We chose it because each part is visible in the numbers, and it is never lower than the documented rule, so a
# client that fits the simulator fits the real API too. The lesson is the same under both rules. Watch
# what a large `max_tokens` does to the remaining tokens, for the same short question and the same short answer:

# %%
for max_tokens in [50, 4_000]:
    client = make_client("sk-demo-ok", max_retries=0)  # a fresh simulator each time: a full bucket
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, max_tokens=max_tokens)
    usage = raw.parse().usage
    print(
        f"max_tokens={max_tokens:5}: the answer used {usage.completion_tokens} tokens and the prompt "
        f"{usage.prompt_tokens}, but remaining-tokens went from {raw.headers['x-ratelimit-limit-tokens']} "
        f"to {raw.headers['x-ratelimit-remaining-tokens']}"
    )


# %% [markdown]
# The answer was just as short both times, yet the request with `max_tokens=4000` held back over 4,000 tokens of
# the 30,000 per minute. Set `max_tokens` close to what you really need: a generous value quietly divides how many
# requests fit in a minute.
#
# ### Exercise 3: count like the API
#
# Write `rate_limit_tokens(messages, max_tokens, n=1)`: the tokens a chat request counts against TPM. Use the
# simulator's rule: for each message, `math.ceil(len(content) / 4)`; add `max_tokens` for each of the `n` answers.
# The check compares your count with the simulator's for a few requests.


# %% tags=["exercise"]
def rate_limit_tokens(messages, max_tokens, n=1):
    """Tokens a chat request counts against the TPM limit before it is answered."""
    # Your code here
    return 0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/03_rate_limit_tokens.py

# %%
from helpers.checks import check_rate_limit_tokens

check_rate_limit_tokens(rate_limit_tokens)

# %% [markdown]
# ### "Request too large": the 429 that never clears
#
# If a request counts more tokens than the **whole** limit, no amount of waiting helps: even a full bucket is too
# small. `org-demo` may send `gpt-4o` 30,000 tokens per minute. A long document with a generous `max_tokens`:

# %%
document = [{"role": "user", "content": "Summarise this report: " + "lorem ipsum " * 5_000}]
print("this request counts", rate_limit_tokens(document, 16_000), "tokens")

big = make_client("sk-demo-ok", max_retries=0)
try:
    big.chat.completions.create(model="gpt-4o", messages=document, max_tokens=16_000)
except openai.RateLimitError as exc:
    too_large = exc

print(type(too_large).__name__, too_large.status_code, too_large.type, too_large.code)
print(short(too_large.body["message"]))
print("retry-after:", too_large.response.headers.get("retry-after"))

# %% [markdown]
# - **What you see:** a 429 `RateLimitError` with code `rate_limit_exceeded`, like any rate limit. The message starts
#   with **"Request too large"**; it has no *Used* and no *Please try again in*, and there is **no `retry-after`**.
# - **Why:** the request counts more tokens (prompt estimate + `max_tokens` × `n`) than the limit holds.
# - **How to diagnose it:** the message starts with "Request too large", and *Requested* is bigger than *Limit*.
# - **How to fix it:** a smaller `max_tokens`, a shorter prompt, or split the work into several requests. A higher
#   tier, or a model with a larger limit, raises the ceiling.
# - **Retry or not?** **Never**: it fails the same way every time. But the SDK only looks at the status code, so it
#   retries it anyway. With its default settings:

# %%
big = make_client("sk-demo-ok")  # the default: max_retries=2
try:
    big.chat.completions.create(model="gpt-4o", messages=document, max_tokens=16_000)
except openai.RateLimitError:
    pass
for entry in big.simulator.log:
    print(f"t = {entry.time:4.2f} s  retry_count={entry.retry_count}  {entry.status} {entry.code}")


# %% [markdown]
# Three requests for nothing. A retry loop of your own should check for this case and give up at once
# (`helpers.retry.classify_exception` does, and you will use it in notebook 06).
#
# ### Not to be confused with: 400 `context_length_exceeded`
#
# A request can also be too big for the **model**, whatever your limits. Every model has a *context window*: the
# prompt plus `max_tokens` must fit in it. Asking for more gives a **400** `BadRequestError` with code
# `context_length_exceeded`, before any rate limit is looked at:

# %%
huge = [{"role": "user", "content": "x" * 4 * 125_000}]  # about 125,000 tokens, for a window of 128,000
try:
    make_client("sk-demo-ok", max_retries=0).chat.completions.create(
        model="gpt-4o-mini", messages=huge, max_tokens=4_000
    )
except openai.BadRequestError as exc:
    print(type(exc).__name__, exc.status_code, exc.code, exc.param)
    print(short(exc.body["message"]))

# %% [markdown]
# | | 429 token rate limit (TPM) | 429 *Request too large* | 400 `context_length_exceeded` |
# |---|---|---|---|
# | what is too big | your tokens **per minute**, all requests together | this request, for your **TPM limit** | this request, for the **model's window** |
# | depends on | your organization's tier and traffic | your tier | the model only |
# | does waiting help? | yes: the bucket refills | never | never |
# | the fix | wait, pace, smaller `max_tokens` | smaller request, or a higher tier | shorter prompt, smaller `max_tokens`, or a model with a larger window |
#
# The SDK does not retry the 400, since 400 is not among the statuses it retries.

# %% [markdown]
# ---
# ## 6. Refused requests count too
#
# OpenAI's documentation warns that requests that fail still count against your per-minute limit, so sending the
# same request again and again does not work. The simulator does the same: a refused request uses up whatever part
# of a request had refilled.
#
# Two free-tier programs have just used their 3 requests. The impatient one tries again every second; the patient
# one waits the 20 seconds the API asked for.


# %%
def after_three_requests():
    """A free-tier client whose bucket has just been emptied."""
    client = make_client("sk-demo-free", max_retries=0)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
    return client


def try_once(client):
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        return True
    except openai.RateLimitError:
        return False


impatient = after_three_requests()
for tries in range(1, 61):  # once a second, for a minute  # noqa: B007 (`tries` is read after the loop)
    got_in = try_once(impatient)
    if got_in:
        break
    impatient.simulator.clock.sleep(1)
print(f"impatient: {tries} tries in {impatient.simulator.clock.now():.0f} s, got through: {got_in}")

patient = after_three_requests()
patient.simulator.clock.sleep(20)
print(f"patient  : 1 try after {patient.simulator.clock.now():.0f} s, got through: {try_once(patient)}")

# %% [markdown]
# The impatient program knocked 60 times in a minute and never got in. Each second, a twentieth of a request
# refilled, and each refused try used it up again, so the bucket never reached one whole request. The patient
# program needed a single try.
#
# How much a refused request costs is not documented; OpenAI only says that unsuccessful requests count towards
# your per-minute limit. The simulator takes that literally: a refusal uses up whatever had refilled. The wait
# quoted in the 429 already includes that, so "try again in 20s" holds, as long as nobody (you included) knocks
# again in between.

# %% [markdown]
# ---
# ## 7. The SDK retries for you
#
# By default the `openai` SDK retries a 429 twice (`max_retries=2`), so one call can send up to three requests. It
# waits exactly as long as `retry-after-ms` or `Retry-After` says (if that is at most 120 seconds), and otherwise
# a short random backoff of about half a second, then one second. It never reads the `x-ratelimit-*` headers, and it
# never reads the body.
#
# In this course the SDK's waits run on the simulator's clock, so we can watch them without waiting. The free tier
# again, now with the default settings:

# %%
free = make_client("sk-demo-free")  # default: max_retries=2
for n in range(1, 5):
    free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
    print(f"call {n} returned at t = {free.simulator.clock.now():.0f} s")

print()
print("what the server saw:")
for entry in free.simulator.log:
    print(f"  t = {entry.time:4.1f} s  status {entry.status}  retry_count={entry.retry_count}")
print("the SDK slept:", free.retry_sleeps, "seconds")

# %% [markdown]
# The fourth call did not fail: the SDK caught the 429, slept **exactly 20 seconds** (from `retry-after-ms:
# 20000`), and sent the request again with `x-stainless-retry-count: 1` (the log's `retry_count`). Your code only
# noticed that the call took 20 seconds.
#
# Two retries are not always enough. Here six programs share one organization with a limit of 3 requests per minute,
# and each makes a single call at the same moment. (`run_sdk_load` runs them concurrently, each with its own
# `AsyncOpenAI` client, in virtual time.)

# %%
crowd = run_sdk_load(clients=6, calls_per_client=1, rpm=3)
for entry in crowd.simulator.log:
    print(f"t = {entry.time:4.1f} s  status {entry.status}  retry_count={entry.retry_count}")
print(f"{crowd.succeeded} of {crowd.calls} calls succeeded; errors raised: {crowd.errors}")

# %% [markdown]
# Three calls got through at once. The other three were told to wait 20 seconds and all came back together at
# t = 20 s (`retry_count=1`), where there was room for one. The remaining two came back at t = 40 s
# (`retry_count=2`); one got in, and for the last one the SDK had run out of retries, so your code got the
# `RateLimitError` after all.
#
# Also remember the 120-second rule. It is about the **header**: when `Retry-After` (or `retry-after-ms`) asks for
# more than 120 seconds, the SDK does not retry and raises the 429 at once. The SDK never reads the message, so a
# daily limit's `4h48m0s` in the text changes nothing by itself: if that 429 comes **without** the header, the SDK
# waits its half-second and one-second backoff and retries twice, in vain, before your code sees the error.

# %% [markdown]
# ---
# ## 8. Watching retries against the limit
#
# To see a whole crowd at once, the course has an experiment engine, `run_load`: many clients, each sending requests
# one after another with a retry policy, against the simulator, in virtual time. Here 6 clients send 4 requests each
# to a limit of 12 requests per minute (one refills every 5 seconds), and retry exactly like the SDK: its waits, and
# at most 3 attempts per request.

# %%
sdk_like = RetryPolicy(OpenAISDK(), (MaxAttempts(3),))
result = run_load(clients=6, requests_per_client=4, rpm=12, tpm=40_000, policy=sdk_like, seed=0)
print(
    result.metrics.successes,
    "of",
    result.metrics.requests,
    "requests succeeded;",
    result.metrics.gave_up,
    "were given up after",
    result.metrics.attempts,
    "attempts in all",
)
plots.show(plots.retry_timeline(result))

later = [row for row in result.trace if row.time > 1]  # everything after the first burst
print(f"after the first second: {sum(r.kind == 'ok' for r in later)} successes in {len(later)} attempts")

# %% [markdown]
# How to read it: each row is a client and each mark an attempt (green circle: success; orange cross: 429). The grey
# lines are the waits before a retry, and the faint vertical lines show when the bucket gains a request (every 5 s).
#
# The first two requests of every client fit in the full bucket. After that, the clients are told the same wait
# and come back **together**, in columns. At each column there is room for one request at most, and every refused
# attempt uses up what had refilled, so the next column finds the bucket empty again: the clients spend their three
# attempts and give up, as the count printed above the plot shows.
#
# The same wait for everyone is the problem here: `Retry-After` tells *one* client when there will be room for *one*
# request. The fix is not a smarter retry but fewer attempts: pace the requests (as in section 4, or with the
# throttle of notebook 08) or spread the work over time. Notebook 06 compares retry strategies in exactly this kind
# of experiment.

# %% [markdown]
# ---
# ## Key points
#
# - Limits belong to the **organization** (and project), per model: **RPM**, **TPM**, **RPD** (and TPD). A request
#   must fit them all; the first that has no room refuses it, and the 429's `type` and message say which.
# - Each limit is a **bucket** that refills continuously at `limit / window`. The wait in the message is
#   `(Used + Requested − Limit) / (Limit / window)`: TPM 10,000, used 8,554, requested 3,082 gives `9.816s`.
# - Answers about a model carry `x-ratelimit-limit/remaining/reset-*` headers (text; resets as Go durations,
#   meaning "until full"). A rate-limit 429 may add `retry-after` (whole seconds) and `retry-after-ms` (exact); the
#   real API does not always, so fall back to the message's "try again in", then to backoff.
# - *429 Rate limit reached for requests*: code `rate_limit_exceeded`, type `requests`; wait as told, pace, batch,
#   or move up a tier. A retry helps, **after** the wait.
# - Tokens are counted **before** the answer exists. The real estimator is not documented; the simulator charges the
#   prompt estimate + `max_tokens` × `n`, the Cookbook's rule. Either way, keep `max_tokens` tight.
#   *Request too large* can never fit: never retry it (the SDK sends it three times). Too big for the *model's*
#   window is another error, a 400 `context_length_exceeded`, which no wait and no tier changes.
# - Refused requests count too: retrying too soon keeps the bucket empty.
# - The SDK retries 429s twice by default, waiting exactly `Retry-After` (up to 120 s; a longer one stops the retries,
#   and with no header at all it backs off briefly, so a daily limit costs two retries in vain). Clients told the same wait
#   come back together, so in a crowd two retries may not be enough.
#
# **Next:** [04 — Quota and billing (429)](04_quota_and_billing_429.ipynb)

# %% [markdown]
# # Quota and billing errors (429)
#
# Some 429s go away if you wait a few seconds. The ones in this notebook never do: they mean your organization
# (or your project) has run out of money to spend. They share a status code and an exception class with the
# ordinary rate limit, which is exactly why so many programs handle them badly.
#
# **What you will learn in this notebook**
# - how to recognise `insufficient_quota` (*"You exceeded your current quota, please check your plan and billing
#   details"*) and the four newer billing codes, and how to tell them from a rate limit;
# - why a retry can never fix them, why the `openai` SDK retries them anyway, and how to stop it;
# - how to work out what each call costs from the `usage` in the response;
# - how to write a small budget guard that refuses to send a request that could take you past a spending cap.
#
# **Time to learn:** about 20 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Running cells, `make_client`, reading an `openai` exception | needed | notebook 00 |
# | The four fields of an error body (`message`, `type`, `param`, `code`) | helpful | notebook 01 |
# | Ordinary rate limits (429 `rate_limit_exceeded`) | helpful | notebook 03 |
# | Python: `try`/`except`, a small class | needed | |

# %% [markdown]
# ## Setup
#
# Everything this notebook uses, in one cell. As always, the API is simulated: no key, no network, no money.

# %%
import math

import openai

from helpers.anatomy import show_error
from helpers.retry import classify_exception
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Write a haiku about budgets."}]

# %% [markdown]
# ---
# ## 1. What you see
#
# The demo key `sk-demo-broke` belongs to the organization `org-demo-broke`, which has already spent its whole
# monthly limit. We set `max_retries=0` for now, so that the SDK sends the request once and hands us the error
# straight away. (Section 5 shows what it does with its default settings.)

# %%
broke = make_client("sk-demo-broke", max_retries=0)
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    quota_error = exc

show_error(quota_error)

# %% [markdown]
# That message is the famous one: *"You exceeded your current quota, please check your plan and billing
# details."* Notice that **`type` and `code` both say `insufficient_quota`** — nothing in them says "rate limit".
#
# Now the headers. Look at what is **missing**:

# %%
for name, value in quota_error.response.headers.items():
    print(f"{name}: {value}")

# %% [markdown]
# No `retry-after` and no `x-ratelimit-*` headers: the server is not telling you to wait, because waiting would
# not help. (That is what the simulator does, following real quota 429s captured in 2023, which had neither.
# OpenAI does not promise it, so treat a missing header as a hint and let `code` decide.) Compare with an ordinary rate limit, which the free-tier key `sk-demo-free` gets on its 4th request in
# a minute:

# %%
free = make_client("sk-demo-free", max_retries=0)
for _ in range(4):
    try:
        free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    except openai.RateLimitError as exc:
        rate_error = exc


def waiting_hints(exc):
    headers = exc.response.headers
    return {name: headers[name] for name in headers if name.startswith(("retry-after", "x-ratelimit-remaining"))}


for label, exc in [("rate limit", rate_error), ("quota", quota_error)]:
    print(f"{label:10}  {type(exc).__name__} {exc.status_code}  type={exc.type!r}  code={exc.code!r}")
    print(f"{'':10}  headers about waiting: {waiting_hints(exc) or 'none'}")

# %% [markdown]
# Same exception class, same status code. The difference is in the body (`type`, `code`) and in the headers.

# %% [markdown]
# ---
# ## 2. Why it happens
#
# Every organization has a ceiling on what it can spend. Depending on how it pays, the ceiling is:
#
# - **prepaid credits** that have run out;
# - a **monthly budget** that the organization (or one of its projects) set for itself;
# - a **monthly usage limit** that OpenAI assigned to the organization.
#
# Once spending reaches the ceiling, **every request from every key of that organization** is refused until the
# billing situation changes. Quota belongs to the organization, not to a key: making a new key does not help.
#
# The simulator keeps track of what each organization has spent in `sim.spend`. Here is the broke one:

# %%
sim = broke.simulator
org = sim.world.organizations["org-demo-broke"]
print(f"{org.name}: spent {sim.spend[org.id]:.2f} USD of its {org.limit_usd:.2f} USD limit")

# %% [markdown]
# Let's watch a healthy organization run into its ceiling. `org-demo` (key `sk-demo-ok`) has a 100 USD limit;
# we pretend it is the end of a busy month and it has already spent 99.98 USD. Each request below sends a long
# prompt to `gpt-4o`, which costs about 1.5 cents.

# %%
sim = Simulator()
client = make_client("sk-demo-ok", sim, max_retries=0)
sim.spend["org-demo"] = 99.98  # the end of a busy month
long_prompt = [{"role": "user", "content": "Summarise this report: " + "lorem ipsum " * 2000}]

for n in range(1, 5):
    try:
        client.chat.completions.create(model="gpt-4o", messages=long_prompt, max_tokens=100)
        outcome = "200 OK"
    except openai.RateLimitError as exc:
        outcome = f"429 {exc.code}"
    print(f"call {n}: {outcome:24}  spent so far: {sim.spend['org-demo']:.4f} USD")

# %% [markdown]
# Two things to notice:
#
# - The switch is sudden: one call works, the next one fails, and so does every call after it.
# - Spending ended **above** 100 USD. The check happens before a request is served, and the cost is only known
#   afterwards, so the last request that gets through can overshoot the cap a little. The real API behaves the
#   same way: spend limits are not enforced to the cent.

# %% [markdown]
# ---
# ## 3. The newer billing codes
#
# In 2026 OpenAI split "out of money" into more precise codes. The catch: **`type` may still say
# `insufficient_quota`**, so the field to read is **`code`**.
#
# | `code` | What ran out | Demo key | Who can fix it, and how |
# |---|---|---|---|
# | `insufficient_quota` | credits, or the monthly spend maximum (the classic error) | `sk-demo-broke` | an owner: add credits or a payment method, or raise the budget |
# | `credit_balance_exhausted` | prepaid credits | `sk-demo-prepaid` | an owner: buy credits (turn on auto-recharge to avoid a repeat) |
# | `organization_spend_limit_exceeded` | the monthly budget the organization set itself | `sk-demo-org-capped` | an owner: raise or remove the budget, or wait for next month |
# | `project_spend_limit_exceeded` | the monthly budget of *this project* | `sk-demo-project-capped` | a project or organization owner: raise the project's budget |
# | `organization_usage_limit_exceeded` | the monthly limit OpenAI assigned | `sk-demo-usage-limit` | ask OpenAI for a higher limit |
#
# Only the classic message and the project one were ever captured; for the other codes the simulator writes its own
# stand-in (the two organization codes reuse the classic message), which is one more reason to read `code`, not the
# message. Let's ask each of them:

# %%
BILLING_KEYS = [
    "sk-demo-broke",
    "sk-demo-prepaid",
    "sk-demo-org-capped",
    "sk-demo-project-capped",
    "sk-demo-usage-limit",
]

for key in BILLING_KEYS:
    try:
        make_client(key, max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    except openai.RateLimitError as exc:
        print(f"{key:23} {exc.status_code}  type={exc.type:18}  code={exc.code}")
        message = exc.body["message"]
        print(f"{'':23} {message if len(message) <= 80 else message[:77] + '...'}")

# %% [markdown]
# All five are a 429 `RateLimitError` with `type="insufficient_quota"`; only `code` tells them apart. Some of the
# messages are even identical, so do not match on the message text.
#
# A project cap blocks **only that project**. The key `sk-demo-ok` belongs to another project of the same
# organization, and it keeps working:

# %%
shared = Simulator()
for key in ["sk-demo-project-capped", "sk-demo-ok"]:
    project = shared.world.keys[key].project
    try:
        make_client(key, shared, max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        print(f"{key:23} (project {project}): 200 OK")
    except openai.RateLimitError as exc:
        print(f"{key:23} (project {project}): 429 {exc.code}")

# %% [markdown]
# ---
# ## 4. How to diagnose a billing error
#
# 1. **Status 429 alone tells you nothing.** Rate limits, slow-downs and billing errors all arrive as 429
#    `openai.RateLimitError`.
# 2. **Read `exc.code`** and compare it with the five billing codes above. Also accept
#    `exc.type == "insufficient_quota"`: in 2023 the quota error came with `code` set to `None`, and only the type
#    said what it was.
# 3. **A hint from the headers**: a billing 429 carries no `retry-after`. Only a hint: some real rate-limit 429s lack it too, so `code` and `type` decide.
# 4. **Then look at the dashboard**, not at your code: the *Billing* page (credits, payment method), the *Limits*
#    page (organization budget and usage limit), the project's settings (project budget), and the *Usage* page
#    (what used the money).
#
# ### Exercise 1: is it a billing error?
#
# Write `is_billing_error(exc)`: it returns `True` for a quota or billing error and `False` for anything else —
# including other 429s, other API errors, and exceptions that do not come from the API at all.

# %% tags=["exercise"]
BILLING_CODES = {
    "insufficient_quota",
    "credit_balance_exhausted",
    "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded",
    "organization_usage_limit_exceeded",
}


def is_billing_error(exc):
    """True if `exc` is a quota or billing error from the API, False for anything else."""
    # Your code here
    return False


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/04_is_billing_error.py

# %%
from helpers.checks import check_is_billing_error

check_is_billing_error(is_billing_error)
# %% [markdown]
# ---
# ## 5. Retrying cannot help — but the SDK retries anyway
#
# A rate limit is a question of *time*: the allowance refills, so a later try succeeds. A billing error is a
# question of *money*: nothing changes until a person changes the billing settings, so every retry gets the same
# answer.
#
# The `openai` SDK decides whether to retry from the **status code and headers only; it never reads the body**.
# A 429 is on its list of things to retry, so a billing error gets the same treatment as a rate limit. Here is a
# client with the SDK's default settings (`max_retries=2`):

# %%
broke = make_client("sk-demo-broke")  # the default: max_retries=2
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("the call finally raised:", exc.code)

print("\nwhat the server saw:")
for entry in broke.simulator.log:
    print(f"  t={entry.time:4.2f} s  status={entry.status}  code={entry.code}  retry_count={entry.retry_count}")
print("the SDK slept", [round(s, 2) for s in broke.retry_sleeps], "seconds between them")

# %% [markdown]
# One call, **three requests** (`retry_count` 0, 1, 2 is the `x-stainless-retry-count` header the SDK sends), and
# about 1.2 seconds of waiting that could never pay off. Here that time is simulated; in your program it is real.
# It gets worse if you wrap the call in your own retry decorator: 6 attempts of yours × 3 of the SDK's is 18
# doomed requests per call.

# %% [markdown]
# ### How to stop it
#
# **a) Turn off the SDK's retries for that call** with `client.with_options(max_retries=0)`. It makes a copy of
# the client with other settings; the original keeps its own.

# %%
broke = make_client("sk-demo-broke")
try:
    broke.with_options(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("raised at once:", exc.code)
print(len(broke.simulator.log), "request reached the server")

# %% [markdown]
# The price: that call also loses the SDK's retries for the 429s that *are* worth retrying. That is why many
# programs set `max_retries=0` on the client and run **their own retry loop**, which classifies each error first.
#
# **b) Classify the error yourself.** Your `is_billing_error` does that; the course toolkit has a fuller version,
# `classify_exception`, which you will use in the backoff lab (notebook 06):

# %%
for exc in [rate_error, quota_error]:
    verdict = classify_exception(exc)
    print(f"{exc.code:20} retry? {verdict.retryable!s:5}  ({verdict.kind}: {verdict.reason})")

# %% [markdown]
# **c) The server can say so.** The SDK obeys a response header `x-should-retry: false` and then does not retry,
# whatever the status. No capture shows the real OpenAI API sending it on billing errors, but a proxy or gateway in
# front of it could. The simulator can send it, to show the effect:

# %%
sim = Simulator(billing_should_retry_header=True)
broke = make_client("sk-demo-broke", sim)  # default max_retries=2 again
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("x-should-retry:", exc.response.headers.get("x-should-retry"))
print(len(sim.log), "request reached the server, even with max_retries=2")

# %% [markdown]
# ### Exercise 2: one call, one request
#
# `broke_client` below has the SDK's default settings. Send **one** chat completion with it so that only **one**
# request reaches the server, and keep the `openai.RateLimitError` in `error`.

# %% tags=["exercise"]
broke_client = make_client("sk-demo-broke")  # default settings: max_retries=2
error = None
# Your code here: send a chat completion with broke_client so that only ONE request reaches the server,
# and keep the openai.RateLimitError you catch in `error`.

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/04_sent_once.py

# %%
from helpers.checks import check_sent_once

check_sent_once(broke_client, error)
# %% [markdown]
# ---
# ## 6. How to fix it (for real)
#
# The fix is never in the request; it is in the billing settings, and usually someone else has to make it:
#
# - **Out of credits** (`insufficient_quota`, `credit_balance_exhausted`): add credits or a payment method on the
#   Billing page. Auto-recharge stops it happening again.
# - **Your own budget** (`organization_spend_limit_exceeded`, `project_spend_limit_exceeded`): raise or remove the
#   budget, or wait for it to reset at the start of the next month.
# - **OpenAI's usage limit** (`organization_usage_limit_exceeded`): ask for a higher limit.
#
# In your program, the right reaction is to **stop and tell a human**: log the code and the request id, alert
# whoever owns billing, and fail the job clearly instead of retrying.
#
# In the simulator, "someone bought credits" or "a new month started" is just a change to `sim.spend`. The same
# request with the same key then works:

# %%
sim = Simulator()
broke = make_client("sk-demo-broke", sim, max_retries=0)
sim.spend["org-demo-broke"] = 0.0  # what a top-up, or the monthly reset, does on OpenAI's side
reply = broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
print("200 OK:", reply.choices[0].message.content)

# %% [markdown]
# ---
# ## 7. Track what you spend
#
# Better than reacting to a billing error is never hitting one by surprise. Every successful response tells you
# how many tokens it used, in `usage`; multiply by the model's price and you know what the call cost.
#
# Prices are quoted in US dollars **per million tokens**, with one price for input (prompt) tokens and another for
# output (completion) tokens. Here is the price list of the demo world (the real one is on OpenAI's pricing page,
# and it changes, so keep prices in configuration rather than in code):

# %%
PRICES = {model.id: (model.usd_per_1m_input, model.usd_per_1m_output) for model in Simulator().world.models.values()}

for name in ["gpt-4o-mini", "gpt-4o"]:
    price_in, price_out = PRICES[name]
    print(f"{name:12} input {price_in:5.2f} USD / 1M tokens   output {price_out:5.2f} USD / 1M tokens")

# %%
client = make_client("sk-demo-ok", max_retries=0)
reply = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=100)
print("prompt tokens    :", reply.usage.prompt_tokens)
print("completion tokens:", reply.usage.completion_tokens)


# %% [markdown]
# ### Exercise 3: what did that call cost?
#
# Write `cost_usd(model, usage)`: the cost in US dollars of one response, from its `usage` (the SDK's object, with
# attributes `prompt_tokens` and `completion_tokens`) and the `PRICES` table above.


# %% tags=["exercise"]
def cost_usd(model, usage):
    """US dollars for one response: prompt tokens at the input price, completion tokens at the output price."""
    # Your code here
    return 0.0


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/04_cost_usd.py

# %%
from helpers.checks import check_cost_usd

check_cost_usd(cost_usd)
# %% [markdown]
# Now keep a running total and compare it with what the simulator billed. On the real platform the Usage page
# lags behind by minutes or more; your own count is up to date after every call.

# %%
sim = client.simulator
before = sim.spend["org-demo"]
total = 0.0
for topic in ["budgets", "quotas", "invoices"]:
    reply = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": f"Tell me about {topic}."}], max_tokens=100
    )
    total += cost_usd("gpt-4o", reply.usage)

print(f"our running total     : {total:.8f} USD")
print(f"what the server billed: {sim.spend['org-demo'] - before:.8f} USD")


# %% [markdown]
# ---
# ## 8. A budget guard
#
# A billing 429 arrives *after* the money is gone — for every program in your organization at once. A budget
# guard stops **your** program first, at a cap you choose. The idea:
#
# 1. Before sending, work out the **worst case**: the prompt's tokens at the input price, plus `max_tokens` at the
#    output price. You cannot know how long the answer will be, but it will not be longer than `max_tokens`.
# 2. If what you have spent plus that worst case would pass the cap, **refuse**, and send nothing.
# 3. Otherwise send, and add the **real** cost (from `usage`) to what you have spent.
#
# Counting prompt tokens exactly needs a tokenizer (`tiktoken`); a common rough rule is about 4 characters per
# token for English text. The simulator counts exactly that way, so the rule is exact here:


# %%
def estimate_prompt_tokens(messages):
    """A rough count: about 4 characters per token. (The real API adds a few tokens per message.)"""
    return sum(math.ceil(len(message["content"]) / 4) for message in messages)


def worst_case_usd(model, messages, max_tokens):
    """The most a call can cost: the whole prompt, and an answer as long as max_tokens."""
    price_in, price_out = PRICES[model]
    return (estimate_prompt_tokens(messages) * price_in + max_tokens * price_out) / 1_000_000


print(f"worst case of a short gpt-4o call: {worst_case_usd('gpt-4o', MESSAGES, 100):.6f} USD")


# %% [markdown]
# ### Exercise 4: write the guard
#
# Complete `send` so that the guard follows the three steps above. When it refuses, `send` returns `None` and
# sends nothing. Use `worst_case_usd` and your `cost_usd`.


# %% tags=["exercise"]
class BudgetGuard:
    """Refuses to send a request once its worst case could take spending past `cap_usd`."""

    def __init__(self, cap_usd):
        self.cap_usd = cap_usd
        self.spent_usd = 0.0  # the real cost of the calls sent so far

    def send(self, client, *, model, messages, max_tokens):
        """Send the chat completion and return it; or return None, sending nothing, if it might pass the cap."""
        # Your code here:
        # 1. refuse (return None) if self.spent_usd plus the worst case would be more than self.cap_usd
        # 2. otherwise send it with client.chat.completions.create(model=..., messages=..., max_tokens=...)
        # 3. add the real cost of the reply to self.spent_usd, and return the reply
        return None


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/04_budget_guard.py

# %%
from helpers.checks import check_budget_guard

check_budget_guard(BudgetGuard)
# %% [markdown]
# Here is your guard at work: a cap of one cent, and a prompt that costs about a sixth of a cent per call (and up to a third in the
# worst case).

# %%
guard = BudgetGuard(cap_usd=0.01)
client = make_client("sk-demo-ok", max_retries=0)
report = [{"role": "user", "content": "Summarise: " + "quarterly numbers " * 120}]

for n in range(1, 9):
    reply = guard.send(client, model="gpt-4o", messages=report, max_tokens=200)
    status = "sent   " if reply is not None else "REFUSED"
    print(f"call {n}: {status}  spent {guard.spent_usd:.5f} of {guard.cap_usd} USD")
print(len(client.simulator.log), "requests reached the server")

# %% [markdown]
# The guard stops while there is still a little room under the cap, because the *next* call could use all of it.
# In a real program you would give each job its own guard (or share one across a batch), and make refusal loud:
# log it and tell someone, just as you would for a billing 429.

# %% [markdown]
# ---
# ## Key points
#
# - A quota or billing error is a **429 `openai.RateLimitError`**, just like a rate limit — but it usually has **no
#   `retry-after`** (captured ones had none), and waiting never fixes it.
# - Read **`exc.code`**: `insufficient_quota`, `credit_balance_exhausted`, `organization_spend_limit_exceeded`,
#   `project_spend_limit_exceeded` or `organization_usage_limit_exceeded`. The `type` may say
#   `insufficient_quota` for all of them (and in 2023 `code` was `None`, so check `type` too).
# - The SDK never reads the body, so it **retries billing errors** like any 429 (3 requests per call by default).
#   Stop it with `client.with_options(max_retries=0)` or your own classification; a server can also send
#   `x-should-retry: false`.
# - The fix is in the billing settings (credits, budgets, limits), usually made by an owner: stop and tell a human.
# - Cost of a call = prompt tokens × input price + completion tokens × output price (per million tokens). A budget
#   guard checks the **worst case** before sending and adds the **real** cost after.
#
# **Next:** [05 — Server errors (500, 503), timeouts and dropped connections](05_server_errors_500_503.ipynb)

# %% [markdown]
# # Start here: surviving the errors of the OpenAI API
#
# Welcome! In this course you meet every error the OpenAI API can give you — wrong keys, rate limits,
# exhausted quotas, overloaded servers — and learn the retry, backoff and throttling techniques that keep a
# program running through them.
#
# **What you will learn in this notebook**
# - how to run the notebooks and their interactive widgets;
# - how to check that your setup works;
# - how to send your first request to the *simulated* OpenAI API, and read your first error.
#
# **Time to learn:** about 10 minutes. **Prerequisites:** basic Python (functions, `try`/`except`).
#
# **Got an error right now?** The [fast track](#Fast-track:-I-have-an-error-right-now) below is a 30-minute
# path to the parts of the course that fix it.

# %% [markdown]
# ## How this course works
#
# Run a cell with **Shift + Enter**. Run them in order, top to bottom; if something looks odd, use
# *Kernel → Restart Kernel and Run All Cells*.
#
# **Exercises** come in threes: a cell for your answer, a cell that can load our solution, and a check that tells
# you how you did. The solution never runs by itself, not even with *Run All Cells*, so your answer stays yours.
# Stuck? In the solution cell, delete the `# ` in front of `%load` and run the cell: the solution appears in it.
# Read it, or run the cell once more to use it.
#
# You need **no API key, no network and no money**. Every request goes to a *simulated* OpenAI API that lives
# inside this notebook. Its status codes, headers and JSON bodies are modelled on what the real service sends
# (from its documentation and from public captures), so the official `openai` Python package cannot tell the
# difference and raises the exceptions it would raise in production. Where nobody has captured the real text,
# the simulator uses its own stand-in; `data/README.md` lists them.
#
# Time is simulated too: when the code below waits a minute for a rate limit to clear, the wait takes a few
# microseconds of real time.

# %% [markdown]
# ## Check your setup
#
# This cell checks that the packages are installed and that the simulated API answers. Every line should
# start with `OK`. If one says `FAIL`, it tells you how to fix it.

# %%
try:
    from helpers.install_check import run_checks
except ImportError:
    print("FAIL helpers: the course's package is not importable in this kernel.")
    print("     how to fix: run `make lab` from the repository (or `pip install -e .` there), then choose")
    print("     the 'Python 3' kernel and restart it.")
else:
    for check in run_checks():
        print(check.line())

# %% [markdown]
# ## Your first request
#
# `make_client` gives you a real `openai.OpenAI` client whose requests go to the simulator. The demo key
# `sk-demo-ok` belongs to a paying organization, `org-demo`.

# %%
import openai

from helpers.simulator import make_client

client = make_client("sk-demo-ok")
reply = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Say hello to the learner."}],
    max_tokens=50,
)
print(reply.choices[0].message.content)
print(reply.usage.total_tokens, "tokens used")

# %% [markdown]
# Every response carries headers. Two matter a lot in this course: `x-request-id` (quote it when you ask for
# help) and the `x-ratelimit-*` family, which tells you how much of your allowance is left.

# %%
raw = client.chat.completions.with_raw_response.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi again"}], max_tokens=20
)
for name, value in raw.headers.items():
    if name.startswith(("x-request-id", "x-ratelimit", "openai-")):
        print(f"{name}: {value}")

# %% [markdown]
# ## Your first error
#
# Now a key with a typo. The API answers **401**, and the SDK turns that into an `openai.AuthenticationError`
# whose attributes hold everything the API said.

# %%
bad_client = make_client("sk-demo-typo")
try:
    bad_client.models.list()
except openai.AuthenticationError as exc:
    print("status :", exc.status_code)
    print("code   :", exc.code)
    print("message:", exc.body["message"])
    print("request:", exc.request_id)

# %% [markdown]
# ## How the widgets work
#
# Some cells show *widgets*: sliders and buttons that re-run an experiment as you move them. Try this one:
# it sends a burst of requests with the free-tier key `sk-demo-free`, which may send only **3 requests per
# minute**, and shows what each request got back, with how long it is asked to wait.
#
# The simulator sends a `Retry-After` header on its rate-limit 429s, but the real API only sometimes does, so
# `how_long` falls back to the "Please try again in ..." of the message, and then to "back off" (notebook 06).

# %%
import re

import ipywidgets as widgets

from helpers.simulator import Simulator


def how_long(exc):
    """The wait a 429 asks for: Retry-After when sent, else the message's "try again in", else back off."""
    header = exc.response.headers.get("retry-after")
    if header is not None:
        return f"Retry-After: {header} s"
    found = re.search(r"try again in ([0-9.hms]+)\.", exc.body.get("message", "") if isinstance(exc.body, dict) else "")
    return f"the message says: try again in {found[1]}" if found else "no hint: back off"


def burst(requests):
    free = make_client("sk-demo-free", Simulator(), max_retries=0)
    for n in range(1, requests + 1):
        try:
            free.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
            print(f"request {n}: 200 OK")
        except openai.RateLimitError as exc:
            print(f"request {n}: 429 {exc.code} ({how_long(exc)})")


widgets.interactive(burst, requests=widgets.IntSlider(value=4, min=1, max=8, description="requests"))
# %% [markdown]
# ## Exercise: catch your first rate limit
#
# Send requests with `free_client` until the API refuses one, and keep the exception in `error`.
# We set `max_retries=0` so that the SDK does not retry on its own — notebook 03 shows what it does when
# you let it.

# %% tags=["exercise"]
free_client = make_client("sk-demo-free", max_retries=0)
error = None
# Your code here: send requests with free_client and keep the openai.RateLimitError in `error`.

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/00_first_rate_limit.py

# %%
from helpers.checks import check_first_rate_limit

check_first_rate_limit(error)

# %% [markdown]
# ## The course map
#
# | # | Notebook | Minutes |
# |---|---|---|
# | 00 | Start here (this notebook) | 10 |
# | 01 | [Anatomy of an API error](01_anatomy_of_an_api_error.ipynb) | 20 |
# | 02 | [Authentication errors (401, 403)](02_authentication_401.ipynb) | 25 |
# | 03 | [Rate limits (429)](03_rate_limits_429.ipynb) | 35 |
# | 04 | [Quota and billing (429)](04_quota_and_billing_429.ipynb) | 20 |
# | 05 | [Server errors (500, 503), timeouts](05_server_errors_500_503.ipynb) | 35 |
# | 06 | [The backoff lab](06_backoff_lab.ipynb) | 45 |
# | 07 | [Many clients](07_many_clients.ipynb) | 35 |
# | 08 | [Staying under the limit](08_staying_under_the_limit.ipynb) | 30 |
# | 09 | [Production checklist](09_production_checklist.ipynb) | 25 |
# | 10 | [Streaming and the Responses API](10_streaming_and_responses.ipynb) | 30 |
#
# About five hours in all. Each notebook ends with a link to the next.

# %% [markdown]
# ## Fast track: I have an error right now
#
# Find your error in the first column, read the rows in order, and skip everything else for now. Each path
# takes about 30 minutes; the rest of the course is there when the fire is out.
#
# | You see | Read, in this order | Minutes |
# |---|---|---|
# | **429** with `code` `rate_limit_exceeded` (or type `requests` / `tokens`) | 03 §2–4 (read the message and the headers), 03 §7 (what the SDK already retries), 06 §9 (a retry loop that waits the larger of the server's hint and backoff), 08 §2 (pace yourself) | 30 |
# | **429** with `insufficient_quota` or another billing code | 04 §1–6: this one is about money, and no retry will ever fix it | 20 |
# | **401** or **403** | 02 "How the API checks who you are", then the section named like your message; 02 "Check your own setup" | 20 |
# | **500**, **503**, a timeout or a dropped connection | 05 §1–3 and §5–7, then 06 §9 | 30 |
# | Anything else | 01 "The error catalog": find it by status and code | 10 |
#
# In every case, first print `exc.status_code`, `exc.code` and `exc.body["message"]` (notebook 01 shows how):
# the status alone does not tell a rate limit from an empty quota.

# %% [markdown]
# ## Key points
#
# - The simulated API is modelled on the real one, so the `openai` SDK raises the real exceptions — with no key.
# - An API error carries a status code, a JSON body (`message`, `type`, `param`, `code`) and useful headers.
# - The free tier allows 3 requests per minute: the fourth gets a **429**. Here it carries a `Retry-After` header;
#   the real API sends one only sometimes, so fall back to the message's "try again in", or to backoff.
#
# **Next:** [01 — Anatomy of an API error](01_anatomy_of_an_api_error.ipynb)

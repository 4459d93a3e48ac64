# %% [markdown]
# # Anatomy of an API error
#
# When a call to the OpenAI API fails, the answer still tells you a lot: a status code, a few headers and a
# small JSON body. The `openai` package then wraps all of that in an exception. This notebook takes one
# error apart piece by piece, so that every later notebook can simply say "look at the `code`".
#
# **What you will learn**
# - what a request and its response look like on the wire, and where the error details sit;
# - the four fields of the JSON error body: `message`, `type`, `param` and `code`;
# - which attributes of an SDK exception hold those details (`status_code`, `code`, `request_id`, `body`, ...);
# - which HTTP status becomes which exception class, and which errors have no status at all;
# - how to read the course's error catalog, and how to spot retries that can never succeed.
#
# **Time to learn:** about 20 minutes.
#
# **Prerequisites:** [00 — Start here](00_start_here.ipynb); Python dictionaries and `try`/`except`. No API
# key is needed: everything talks to the simulated API.

# %% [markdown]
# ## Setup
#
# All the imports of this notebook live in this one cell. Run it first (**Shift + Enter**).
#
# We create one simulator, `sim`, and share it between every client below, so that each request gets its
# own request id and the simulator's log (`sim.log`) records them all.

# %%
from html import escape

import openai
from IPython.display import HTML, display

from helpers.anatomy import show_error
from helpers.catalog import load_catalog
from helpers.retry.classify import classify_exception
from helpers.simulator import Simulator, http_client, make_client

sim = Simulator(seed=1)
raw = http_client(sim)  # a plain httpx.Client: you see the HTTP exchange as it is


def show_response(response):
    """Print the three parts of an HTTP response: status line, headers, body."""
    print("status :", response.status_code, response.reason_phrase)
    print("headers:")
    for name, value in response.headers.items():
        print(f"    {name}: {value}")
    print("body   :")
    print(response.text)


print("ready: the simulated API answers at", raw.base_url)

# %% [markdown]
# ---
# ## A request and its response
#
# Under every SDK call there is one HTTP request. It names a method and a path, carries your key in the
# `Authorization` header, and sends a JSON body. Let us send one by hand with `httpx`, using the demo key
# `sk-demo-ok`, and look at what comes back: a **status line**, **headers**, and a **body**.

# %%
request_body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 20}
response = raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-ok"})
show_response(response)

# %% [markdown]
# A few headers are worth knowing by name:
#
# | Header | What it tells you |
# |---|---|
# | `x-request-id` | a unique id for this request: quote it whenever you ask for help |
# | `openai-organization` | the organization that was billed for the call |
# | `x-ratelimit-*` | how much of your rate limit is left, and when it refills (notebook 03) |

# %% [markdown]
# ---
# ## The same request, gone wrong
#
# Now change one thing: the key. `sk-demo-typo` was never issued, so the API refuses the request with
# status **401**. Read the three parts again.

# %%
response = raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-typo"})
show_response(response)

# %% [markdown]
# The body of every API error has the same shape: one key, `error`, holding four fields. All four are
# always present; the ones that do not apply are `null`.
#
# | Field | What it holds | Here |
# |---|---|---|
# | `message` | a sentence for humans; it may change wording over the years | "Incorrect API key provided: ..." |
# | `type` | a broad family of errors | `invalid_request_error` |
# | `param` | the request parameter at fault, when there is one | `null` |
# | `code` | a short, stable name for this exact error: **match on this in your code** | `invalid_api_key` |
#
# Notice what is *missing* from the headers: no `x-ratelimit-*` and no `openai-organization`. The API
# stopped before it even knew who you were.
#
# Here are two more errors, so that you see `param` filled in and another `code`:

# %%
mistakes = {
    "max_tokens sent as text": {**request_body, "max_tokens": "20"},
    "a model that does not exist": {**request_body, "model": "gpt-5-turbo-preview"},
}
for label, body in mistakes.items():
    response = raw.post("/chat/completions", json=body, headers={"Authorization": "Bearer sk-demo-ok"})
    error = response.json()["error"]
    print(f"{label}: HTTP {response.status_code}")
    for field in ("message", "type", "param", "code"):
        print(f"    {field:8}= {error[field]!r}")

# %% [markdown]
# ---
# ## The SDK exception
#
# With the `openai` package you never parse that JSON yourself. For any status of 400 or more the SDK
# raises an exception whose attributes hold each piece. `make_client` returns a real `openai.OpenAI`
# client that talks to our simulator.

# %%
typo_client = make_client("sk-demo-typo", sim)
try:
    typo_client.chat.completions.create(**request_body)
except openai.APIStatusError as exc:
    error = exc

print("class        :", type(error).__name__)
print("status_code  :", error.status_code)
print("type         :", error.type)
print("code         :", error.code)
print("param        :", error.param)
print("request_id   :", error.request_id)
print("body         :", error.body)
print("message      :", error.message)
print("content-type :", error.response.headers["content-type"])


# %% [markdown]
# Two things trip people up here:
#
# - `error.body` is the **inner** object (the four fields), not the whole JSON: write `error.body["message"]`,
#   not `error.body["error"]["message"]`.
# - `error.message` is the SDK's own summary, `Error code: 401 - ...`. The API's sentence is
#   `error.body["message"]`.
#
# `error.response` is the full HTTP response, so every header is there too, and `error.request_id` is simply
# its `x-request-id` header.
#
# Later notebooks print the fields that matter most in one call, `show_error(error)` from `helpers.anatomy`:
# the class, the status, `type`, `code` and the API's message, plus any headers you name.

# %%
show_error(error, headers=["x-request-id"])

# %% [markdown]
# ---
# ## Raw HTTP beside the SDK
#
# Is the SDK hiding anything? Let us send the same bad request both ways and put what each one saw side by
# side. The two request ids differ because these are two separate requests; everything else matches.


# %%
def from_http(response):
    error = response.json()["error"]
    return {
        "status": response.status_code,
        "type": error["type"],
        "code": error["code"],
        "param": error["param"],
        "request id": response.headers["x-request-id"],
    }


def from_sdk(exc):
    return {
        "status": exc.status_code,
        "type": exc.type,
        "code": exc.code,
        "param": exc.param,
        "request id": exc.request_id,
    }


http_view = from_http(
    raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-typo"})
)
try:
    typo_client.chat.completions.create(**request_body)
except openai.APIStatusError as exc:
    sdk_view = from_sdk(exc)

print(f"{'':12} {'raw httpx':38} {'openai SDK':38}")
for field in http_view:
    same = "same" if http_view[field] == sdk_view[field] else "differs"
    print(f"{field:12} {str(http_view[field]):38} {str(sdk_view[field]):38} {same}")

# %% [markdown]
# The simulator wrote both requests in its log. Each log entry records the time (in simulated seconds), the
# path, the key (masked the way the API masks keys), the status and the error code. (`sk-demo-typo` is so
# short that the mask hides nothing; notebook 02 shows a longer one.)

# %%
for entry in sim.log[-2:]:
    print(f"t={entry.time:.3f}s  {entry.method} {entry.path}  key={entry.key}  ->  {entry.status} {entry.code}")


# %% [markdown]
# ---
# ## The exception family
#
# Nearly all SDK exceptions come from `openai.OpenAIError` (the odd one out is `InvalidWebhookSignatureError`,
# raised when a webhook's signature does not check out: it is a plain `ValueError`). The ones about talking to
# the API sit under `openai.APIError`. Here is that branch, read straight from the installed package:


# %%
def print_tree(cls, depth=0):
    print("    " * depth + cls.__name__)
    for subclass in sorted(cls.__subclasses__(), key=lambda c: c.__name__):
        print_tree(subclass, depth + 1)


print_tree(openai.APIError)

# %% [markdown]
# (`OAuthError` is a special 401 for a newer, token-based way of signing in; you will not meet it in this
# course.)

# %% [markdown]
# How the SDK picks a class:
#
# | What happened | Exception |
# |---|---|
# | 400 | `BadRequestError` |
# | 401 | `AuthenticationError` |
# | 403 | `PermissionDeniedError` |
# | 404 | `NotFoundError` |
# | 409 | `ConflictError` |
# | 422 | `UnprocessableEntityError` |
# | 429 | `RateLimitError` — for rate limits **and** for an empty wallet alike |
# | 500 and above (500, 503, ...) | `InternalServerError` |
# | any other status of 400 or more | plain `APIStatusError` |
# | no answer in time | `APITimeoutError` |
# | no answer at all | `APIConnectionError` |
#
# The last two never received a response, so they have **no status code, no body and no request id**.
# Let us make both happen: the model `gpt-demo-slow` takes 30 simulated seconds to answer (we only wait
# half a second), and `gpt-demo-dropped` hangs up without answering. With `max_retries=0` the SDK gives up
# at once instead of retrying.

# %%
impatient = make_client("sk-demo-ok", sim, max_retries=0, timeout=0.5)

for model in ("gpt-demo-slow", "gpt-demo-dropped"):
    try:
        impatient.chat.completions.create(**{**request_body, "model": model})
    except openai.APIConnectionError as exc:  # APITimeoutError is a kind of APIConnectionError
        print(f"{model}: {type(exc).__name__}: {exc.message}")
        print(f"    has a status_code? {hasattr(exc, 'status_code')}   body: {exc.body}")
        print(f"    what httpx saw underneath: {exc.__cause__!r}")


# %% [markdown]
# Because `APITimeoutError` is a subclass of `APIConnectionError`, order your `except` clauses from the most
# specific to the most general, or the general one catches everything first:
#
# ```python
# try:
#     ...
# except openai.APITimeoutError:       # first: the specific one
#     ...
# except openai.APIConnectionError:    # then its parent
#     ...
# except openai.APIStatusError as exc: # any answer with a status of 400 or more
#     ...
# ```

# %% [markdown]
# ---
# ## The error catalog
#
# The course keeps one record per error in `data/catalog.json`. `load_catalog()` returns them as `Entry`
# objects with fields such as `status`, `type`, `code`, `sdk_exception`, `retryable` (can a retry *ever*
# succeed?) and `sdk_retries` (does the SDK retry it by default?), plus a title, a cause and a fix in
# English and Chinese (`entry.text("fix", "en")`).
#
# No pandas needed: a list of dictionaries and a small HTML helper make a readable table.


# %%
def show_table(rows, columns):
    """Show a list of dicts as an HTML table (one row per dict, one column per key in `columns`)."""
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in columns)
    lines = [
        "<tr>" + "".join(f"<td style='text-align:left'>{escape(str(row[c]))}</td>" for c in columns) + "</tr>"
        for row in rows
    ]
    display(HTML(f"<table><tr>{head}</tr>{''.join(lines)}</table>"))


catalog = load_catalog()
rows = [
    {
        "id": e.id,
        "status": e.status,
        "type": e.type,
        "code": e.code,
        "exception": e.sdk_exception,
        "retryable": e.retryable,
        "SDK retries": e.sdk_retries,
    }
    for e in catalog
]
print(len(rows), "errors in the catalog")
show_table(rows, ["id", "status", "type", "code", "exception", "retryable", "SDK retries"])

# %% [markdown]
# Each entry also explains itself. Here is the one we met above:

# %%
entry = next(e for e in catalog if e.id == "incorrect_api_key")
print(entry.text("title"))
print()
print("Why  :", entry.text("cause"))
print()
print("Fix  :", entry.text("fix"))
print()
print("Retry:", entry.text("retry"))

# %% [markdown]
# ### The error explorer
#
# The explorer below does all of this at once. Pick an entry (or choose *your own request* and type a key and a
# model): it sends the request to a fresh simulator and shows the raw HTTP exchange, the SDK exception and its
# attributes, the cause, the fix and whether a retry can help. The **中文** button switches the texts to Chinese.

# %%
from helpers.widgets import ErrorExplorer

explorer = ErrorExplorer()
explorer.entry.value = "rate_limit_reached"
explorer

# %% [markdown]
# The course's helpers can also judge a live exception: `classify_exception` says whether a retry can help,
# and why.

# %%
verdict = classify_exception(error)
print(f"retry can help: {verdict.retryable}   kind: {verdict.kind}   why: {verdict.reason}")


# %% [markdown]
# ---
# ## Exercise 1: a one-line diagnosis
#
# Write `diagnose(exc)`, which turns an `openai.APIStatusError` into a small dictionary you could write to a
# log. It must have these keys:
#
# | Key | Value |
# |---|---|
# | `"status"` | the HTTP status, an `int` |
# | `"exception"` | the class name, e.g. `"AuthenticationError"` |
# | `"type"`, `"code"` | from the error body (either may be `None`) |
# | `"message"` | the **API's** sentence (not the SDK's `Error code: ...` summary) |
# | `"request_id"` | the `x-request-id` |
# | `"retry"` | `True` if a retry could ever help: status 408, 409 or 500 and above, or a 429 whose `type` and `code` are both *not* `"insufficient_quota"`; otherwise `False`. (A first rule of thumb: it still calls a 429 *Request too large* retryable, which can never fit; exercise 2 and `classify_exception` get that right.) |
#
# The check sends a handful of different bad requests to the simulator and compares your dictionaries with
# what it expects.


# %% tags=["exercise"]
def diagnose(exc):
    # Your code here: return a dict with the keys status, exception, type, code, message, request_id, retry.
    return {}


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/01_diagnosis.py

# %%
from helpers.checks import check_diagnosis

check_diagnosis(diagnose)
# %% [markdown]
# ---
# ## Exercise 2: retries that can never succeed
#
# Compare the `retryable` and `SDK retries` columns of the catalog table. For some errors the SDK retries by
# default even though no retry can ever succeed: it spends time (and, on a busy day, part of your rate limit)
# for nothing.
#
# Put the `id` of every such entry in the list `wasted`.

# %% tags=["exercise"]
wasted = []
# Your code here: fill `wasted` with the ids of the entries the SDK retries although they are not retryable.

# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/01_wasted_retries.py

# %%
from helpers.checks import check_wasted_retries

check_wasted_retries(wasted)

# %% [markdown]
# The SDK decides from the status code (and a couple of headers) and never reads the body, so it cannot
# tell "slow down" from "you are out of money": both are 429. Your own code can, by reading `code` and `type`. Notebook 04 comes
# back to this.

# %% [markdown]
# ## Key points
#
# - An API error has three parts: a **status code**, **headers** (always `x-request-id`) and a **JSON body**
#   with `message`, `type`, `param` and `code`.
# - Match on `code` (and `type`) in your programs; the `message` is for humans and may change.
# - The SDK raises one exception class per status (401 → `AuthenticationError`, 429 → `RateLimitError`,
#   5xx → `InternalServerError`, ...). Its `body` is the inner error object and `request_id` the
#   `x-request-id` header.
# - `APITimeoutError` and `APIConnectionError` mean no answer arrived: no status, no body, no request id.
# - The catalog lists every error with whether a retry can help; the SDK retries some 429s that never can.
#
# **Next:** [02 — Authentication errors (401, 403)](02_authentication_401.ipynb)

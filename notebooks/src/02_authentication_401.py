# %% [markdown]
# # Authentication errors (401, 403)
#
# A 401 means "I don't know who you are" or "you are not allowed to act as that". It is the first error most
# people meet, and one of the most confusing, because several different mistakes produce almost the same
# answer. In this notebook you cause each of them on purpose, learn to tell them apart, and fix them.
#
# **What you will learn**
# - the three 401s of OpenAI's error guide — a revoked key, a wrong key, an account with no organization —
#   and the others you will meet in practice: no key at all, the wrong organization, a restricted key;
# - the 403 for an unsupported country or region;
# - how to diagnose each one from the masked key, the `OpenAI-Organization` header and your environment
#   variables (`OPENAI_API_KEY`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`);
# - why retrying never helps, and how to see that the SDK does not retry;
# - how to keep real keys out of notebooks, logs and git.
#
# **Time to learn:** about 25 minutes.
#
# **Prerequisites:** [01 — Anatomy of an API error](01_anatomy_of_an_api_error.ipynb) (status, body fields,
# SDK exception attributes). Only demo keys are used here; never paste a real key into this notebook.

# %% [markdown]
# ## Setup
#
# One cell with every import, one shared simulator `sim`, and two small helpers: `try_chat` sends one chat
# request and returns the exception (or `None` if it worked), and `what_you_see` prints the parts of an error
# that matter for authentication.

# %%
import os

import openai

from helpers.retry.classify import classify_exception
from helpers.simulator import BASE_URL, Simulator, http_client, make_client, mask_key

sim = Simulator(seed=2)
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 20}


def try_chat(client):
    """Send one chat request; return the exception it raised, or None if it worked."""
    try:
        client.chat.completions.create(**CHAT)
    except openai.APIError as exc:
        return exc
    return None


def what_you_see(exc):
    """Print status, exception, body fields and the headers that matter for authentication."""
    print(f"{type(exc).__name__}: HTTP {exc.status_code}")
    print("    type    :", exc.type)
    print("    code    :", exc.code)
    print("    message :", exc.body["message"] or "(empty!)")
    print("    x-request-id       :", exc.request_id)
    print("    openai-organization:", exc.response.headers.get("openai-organization", "(not in the answer)"))


print("ready")

# %% [markdown]
# ---
# ## How the API checks who you are
#
# Every request passes a row of checks, and the first one that fails gives the answer. The real service does
# not publish its order; the simulator uses this one, modelled on what the real API returns:
#
# | # | Check | If it fails |
# |---|---|---|
# | 1 | Is there an `Authorization: Bearer ...` header? | 401, `code` null, "You didn't provide an API key..." |
# | 2 | Was this key issued, and is it still active? | 401 `invalid_api_key` |
# | 3 | Does the key's owner belong to an organization? | 401 `no_organization` |
# | 4 | If an `OpenAI-Organization` header was sent: does that org exist, and is it the key's? | 401 `invalid_organization` / `mismatched_organization` |
# | 5 | Is the caller in a supported country or region? | 403 `unsupported_country_region_territory` |
# | 6 | May this key use this endpoint (its permissions, or *scopes*)? | 401 `missing_scope`, "You have insufficient permissions..." |
#
# Because only the first failure is reported, fixing one error can uncover the next one. That is normal.

# %% [markdown]
# ---
# ## 401 — Invalid Authentication: a revoked key
#
# ### What you see
# `sk-demo-revoked` used to work, but someone revoked it on the API keys page.

# %%
revoked = try_chat(make_client("sk-demo-revoked", sim))
what_you_see(revoked)

# %% [markdown]
# ### Why it happens
# OpenAI's guide gives this row more causes than a revoked key: the key may have been revoked or deleted
# (perhaps by a teammate, perhaps after a leak), it may belong to another organization or project than the one
# you think, or it may lack the rights for this endpoint. The demo shows the revoked key.
#
# ### How to diagnose
# Look closely: the message does **not** say "revoked". It is the very same message as for a mistyped key.
# What it does give you is the **masked key**: `sk-demo-***oked`. The API shows the first 8 and the last 4
# characters of what it received and replaces the rest with one star per hidden character. Compare those
# characters with the list on your API keys page, which shows keys in a similar shortened form. Also note the
# missing `openai-organization` header: the simulator stops before it knows who you are. (Which headers the real
# API sends on a 401 is not well documented; the simulator's choice is listed in `data/README.md`.)
#
# ### How to fix
# Create a new key, then replace the old one **everywhere** it lives: the `OPENAI_API_KEY` environment
# variable, `.env` files, your secret store, CI settings, and any running kernel or server (restart them).
#
# ### Can a retry help?
# Never. A revoked key stays revoked, and the SDK knows it: it does not retry a 401.

# %% [markdown]
# ---
# ## 401 — Incorrect API key provided: a typo
#
# ### What you see

# %%
typo = try_chat(make_client("sk-demo-typo", sim))
what_you_see(typo)

# %% [markdown]
# ### Why it happens
# The API has never issued this exact string. The usual culprits: a character missing or added while
# copying, a space or newline pasted along, quotes kept from a config file, a key from a different account,
# or an old value cached in a shell, a `.env` file or a long-running kernel.
#
# ### How to diagnose
# Again, read the masked key. `sk-demo-typo` is only 12 characters long, so once 8 + 4 characters are shown
# there is nothing left to hide and you see it whole; a real key, dozens of characters long, shows mostly stars.
# The masked key is very good at exposing quotes. Here is a key that was read, quotes and all, from a line
# like `OPENAI_API_KEY="sk-demo-ok"`:

# %%
quoted = try_chat(make_client('"sk-demo-ok"', sim))
print("the API received :", quoted.body["message"].split(". ")[0].removeprefix("Incorrect API key provided: "))
print("your key, masked :", mask_key("sk-demo-ok"))

# %% [markdown]
# The quotes at both ends give it away at once.
#
# ### How to fix
# Copy the key again from the API keys page (or create a new one), strip whitespace and quotes, and check
# that no stale copy wins: a value passed as `api_key=` beats the `OPENAI_API_KEY` variable, and a kernel only
# sees environment variables that existed when it started.
#
# ### Can a retry help?
# No: the same wrong string is rejected every time.

# %% [markdown]
# ---
# ## 401 — You must be a member of an organization to use the API
#
# ### What you see
# `sk-demo-no-org` belongs to a user who is in no organization at all.

# %%
no_org = try_chat(make_client("sk-demo-no-org", sim))
what_you_see(no_org)


# %% [markdown]
# ### Why it happens
# API usage is billed to an organization. The key is genuine, but its owner was removed from their last
# organization, or never joined one.
#
# ### How to diagnose
# This one is easy: the `code` is `no_organization` and the message says so plainly.
#
# ### How to fix
# Ask an owner of your organization to invite you again (or create an organization), then make a new key
# inside it.
#
# ### Can a retry help?
# No. Nothing changes until someone changes your membership.
#
# ### After the fix
# In the demo you can play the organization owner: build a copy of the world in which this user has joined
# `org-demo` and received a new key made there. The old key still fails, because it was created outside any
# organization; the new one works.

# %%
import dataclasses

from helpers.world import Key, load_world

world = load_world()
user = world.keys["sk-demo-no-org"].user
joined = dataclasses.replace(
    world,
    users={**world.users, user: dataclasses.replace(world.users[user], orgs=("org-demo",))},
    keys={**world.keys, "sk-demo-joined": Key("sk-demo-joined", user=user, org="org-demo")},
)
after = Simulator(world=joined)
print("old key:", type(try_chat(make_client("sk-demo-no-org", after))).__name__)
print("new key:", make_client("sk-demo-joined", after).chat.completions.create(**CHAT).choices[0].finish_reason)

# %% [markdown]
# ---
# ## Exercise 1: mask a key like the API does
#
# Write `mask(key)` that returns the key the way the API echoes it: the first 8 characters, then one `*` for
# every hidden character, then the last 4 characters. A key of 12 characters or fewer comes back unchanged
# (there is nothing to hide).
#
# For example `mask("sk-demo-revoked")` is `"sk-demo-***oked"`. Use this whenever you need to *log* which key
# a program used: it identifies the key without giving it away.


# %% tags=["exercise"]
def mask(key):
    # Your code here
    return key


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/02_mask_key.py

# %%
from helpers.checks import check_mask_key

check_mask_key(mask)
# %% [markdown]
# ---
# ## No key at all
#
# ### What you see
# With `key=None`, `make_client` sends requests with **no** `Authorization` header, as a program does when it
# forgot to load its key.

# %%
missing = try_chat(make_client(None, sim))
what_you_see(missing)

# %% [markdown]
# The `code` is `None` here, so the message is your clue. The real SDK never gets this far: with no key, or an
# empty one (`OPENAI_API_KEY=""`), it refuses to create a client at all ("Missing credentials"), so this 401
# comes from hand-written HTTP, such as curl with an unset variable, or a proxy that drops the header.
# This cell removes the variable for a moment, inside `try`/`finally`, so it is always put back:

# %%
saved = {}
try:
    for name in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"):  # the SDK also accepts an admin key
        if name in os.environ:
            saved[name] = os.environ.pop(name)
    openai.OpenAI(api_key=None)
    print("The client started: it found credentials some other way.")
except openai.OpenAIError as exc:
    print(f"{type(exc).__name__}: {exc}")
finally:
    os.environ.update(saved)  # back as it was; the value was never printed

# %% [markdown]
# ### Why it happens
# The program never received a key: the variable was set in another terminal, in a `.env` file nobody
# loaded, or after the Jupyter kernel started. Some HTTP code also builds its headers by hand and forgets
# `Authorization`.
#
# ### How to diagnose
# Is `OPENAI_API_KEY` in `os.environ` *inside the kernel*? (The section "Check your own setup" below does it
# safely.) If you build requests yourself, print the header *names* you send, never their values.
#
# ### How to fix
# Set the variable before starting Jupyter (and restart the kernel if it was already running), or load
# your `.env` file at the top of the notebook.
#
# ### Can a retry help?
# No: a request without a key fails the same way every time.

# %% [markdown]
# ---
# ## The organization header: mismatched or unknown
#
# A key belongs to one organization. You may also name an organization in the `OpenAI-Organization`
# header (the SDK's `organization=` argument), for example when your user is in several. If the header
# names an organization the key does not belong to, the API refuses.
#
# ### What you see

# %%
mismatched = try_chat(make_client("sk-demo-ok", sim, organization="org-elsewhere"))
what_you_see(mismatched)
print("    we sent OpenAI-Organization:", mismatched.request.headers.get("openai-organization"))

# %% [markdown]
# An organization that does not exist at all gets a different code and, surprisingly, an **empty** message (so
# it was in the only captures, from 2023; the simulator copies them).
# The SDK's summary is then just `Error code: 401`, so only `code` tells you what went wrong:

# %%
unknown = try_chat(make_client("sk-demo-ok", sim, organization="org-nowhere"))
what_you_see(unknown)
print("    str(exc):", str(unknown))

# %% [markdown]
# ### Why it happens
# The organization id is wrong (a typo, or an old one), or it is right but the key was made in another
# organization. And very often nobody wrote `organization=` at all: **the SDK reads `OPENAI_ORG_ID` from the
# environment** and sends it on every request (and `OPENAI_PROJECT_ID` as the `OpenAI-Project` header).
#
# `make_client` deliberately ignores those two variables, so that settings from your real account never
# disturb the demo keys. To see what your own programs do, this cell builds a plain `openai.OpenAI` client
# aimed at the simulator, with the variable set for a moment:

# %%
saved = os.environ.get("OPENAI_ORG_ID")
try:
    os.environ["OPENAI_ORG_ID"] = "org-elsewhere"  # e.g. left over in a shell profile
    client = openai.OpenAI(api_key="sk-demo-ok", base_url=BASE_URL, http_client=http_client(sim))
    print("no organization= argument, yet the client will send:", client.organization)
    what_you_see(try_chat(client))
finally:
    if saved is None:
        os.environ.pop("OPENAI_ORG_ID", None)
    else:
        os.environ["OPENAI_ORG_ID"] = saved

# %% [markdown]
# ### How to diagnose
# - `exc.request.headers.get("openai-organization")` shows what was actually sent; `client.organization`
#   shows what the client will send. The same goes for `OpenAI-Project` and `client.project`
#   (`OPENAI_PROJECT_ID`).
# - On a **successful** call the answer's `openai-organization` header names the organization that was
#   billed: compare it with what you expected.

# %%
right = make_client("sk-demo-ok", sim, organization="org-demo").chat.completions.with_raw_response.create(**CHAT)
print("HTTP", right.status_code, "- billed to:", right.headers["openai-organization"])

# %% [markdown]
# ### How to fix
# Either send no organization at all (the key's own organization is used), or send the one the key belongs
# to, as the cell above does. Remove stale `OPENAI_ORG_ID` / `OPENAI_PROJECT_ID` values from your
# environment.
#
# ### Can a retry help?
# No: the header and the key disagree on every attempt.

# %% [markdown]
# ---
# ## A restricted key: allowed to look, not to use
#
# A key can be limited to some permissions. `sk-demo-readonly` may read the list of models, but not call
# them.
#
# ### What you see

# %%
readonly = make_client("sk-demo-readonly", sim)
models = readonly.models.list()
print("listing models works:", [m.id for m in models.data][:3], "...")

what_you_see(try_chat(readonly))

# %% [markdown]
# ### Why it happens
# The key was created as *restricted* or *read only*, so it lacks the permission ("scope") the endpoint
# needs. The key itself is fine, which is why other calls succeed.
#
# ### How to diagnose
# The `code` is `missing_scope`, as in public captures from 2026 (older captures had no code at all, so code
# that must also work with them reads the message too); the message starts "You have insufficient
# permissions" and names the missing scope
# (`model.request` here). A key that works for one endpoint and fails for another points the same way.
#
# ### How to fix
# Give the key the permission on the API keys page, or use a key meant for this job. Keep restricted keys
# for programs that only need a little: it limits the harm if one leaks.
#
# ### Can a retry help?
# No: the key's permissions do not change between attempts.

# %% [markdown]
# ---
# ## 403 — Country, region, or territory not supported
#
# ### What you see
# `sk-demo-abroad` belongs to a user calling from a place where the API is not offered. This is not a 401
# and the SDK raises `PermissionDeniedError`.

# %%
abroad = try_chat(make_client("sk-demo-abroad", sim))
what_you_see(abroad)

# %% [markdown]
# ### Why it happens
# The API accepted the key (see the `openai-organization` header: it knows who you are), but refuses to serve
# requests from that location.
#
# ### How to diagnose
# Status 403, `type` `request_forbidden`, `code` `unsupported_country_region_territory`. Nothing in your key
# or code is wrong.
#
# ### How to fix
# Check OpenAI's list of supported countries and regions and run the program from a supported location
# (for example a server hosted in one). Hiding your location to get around the rule breaks the terms of use.
#
# ### Can a retry help?
# No.

# %% [markdown]
# ---
# ## Does the SDK retry any of these? Ask the log
#
# The SDK retries a failed request up to `max_retries` times (2 by default), but only for statuses where a
# retry might help: 408, 409, 429 and 500 or more (and a response header `x-should-retry: true` or `false`
# overrides the status, in either direction). Authentication errors are not among them. Let us count
# the requests that really reached the simulator for each case, with retries allowed. For contrast, the last
# row is a 429 from an organization that has run out of quota.

# %%
cases = {
    "no key": dict(key=None),
    "revoked key": dict(key="sk-demo-revoked"),
    "mistyped key": dict(key="sk-demo-typo"),
    "no organization": dict(key="sk-demo-no-org"),
    "mismatched organization": dict(key="sk-demo-ok", organization="org-elsewhere"),
    "unknown organization": dict(key="sk-demo-ok", organization="org-nowhere"),
    "restricted key": dict(key="sk-demo-readonly"),
    "unsupported region": dict(key="sk-demo-abroad"),
    "out of quota (contrast)": dict(key="sk-demo-broke"),
}
print(f"{'case':25} {'status':6} {'code':38} {'attempts':8} retry can help?")
for label, options in cases.items():
    before = len(sim.log)
    exc = try_chat(make_client(options["key"], sim, organization=options.get("organization"), max_retries=2))
    attempts = len(sim.log) - before
    print(f"{label:25} {exc.status_code:<6} {str(exc.code):38} {attempts:<8} {classify_exception(exc).retryable}")

# %% [markdown]
# Every authentication error reached the simulator exactly **once**: the SDK gave up straight away, which is
# right, because no retry can help. The quota error was sent three times, and failed three times — notebook
# 04 shows how to stop that waste.
#
# Here is the log entry of the revoked key, to see what the simulator recorded (the key is masked, as in the
# API's message; `retry_count` 0 means it was a first attempt):

# %%
entry = next(e for e in sim.log if e.key == "sk-demo-***oked")
print(entry)


# %% [markdown]
# ---
# ## Exercise 2: name the cause
#
# Write `diagnose_401(exc)` that takes an `openai.APIStatusError` and returns one of these strings:
#
# | Return | When |
# |---|---|
# | `"missing_key"` | no key was sent |
# | `"invalid_api_key"` | the key is wrong or revoked |
# | `"no_organization"` | the key's owner is in no organization |
# | `"mismatched_organization"` | the organization header names another organization |
# | `"invalid_organization"` | the organization header names an organization that does not exist |
# | `"missing_scope"` | a restricted key without the needed permission (`"insufficient_permissions"` is fine too) |
# | `"not_401"` | anything whose status is not 401 (such as the 403 above) |
#
# Hint: trust `exc.code` when it is set; when it is `None`, read `exc.body["message"]`. The check tries your
# function on keys it makes up, so a table of the demo keys will not do.


# %% tags=["exercise"]
def diagnose_401(exc):
    # Your code here
    return None


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/02_diagnose_401.py

# %%
from helpers.checks import check_diagnose_401

check_diagnose_401(diagnose_401)


# %% [markdown]
# ---
# ## Check your own setup
#
# When a real program meets a 401, the first question is: which key, organization and project did it send?
# This cell looks at the variables the SDK reads, **without printing the key**. It only says whether the key
# is set and whether it has a common defect.


# %%
def key_health(value):
    """Describe an API key without revealing any of it."""
    if value is None:
        return "not set"
    problems = []
    if value != value.strip():
        problems.append("spaces or a newline at one end")
    if value.strip()[:1] in ("'", '"'):
        problems.append("quotes around it")
    if not value.strip().strip("'\"").startswith("sk-"):
        problems.append("does not start with 'sk-'")
    return "set" + (" — but it has: " + "; ".join(problems) if problems else ", and looks well formed")


print("OPENAI_API_KEY   :", key_health(os.environ.get("OPENAI_API_KEY")))
print("OPENAI_ORG_ID    :", os.environ.get("OPENAI_ORG_ID", "not set (the key's own organization is used)"))
print("OPENAI_PROJECT_ID:", os.environ.get("OPENAI_PROJECT_ID", "not set (the key's own project is used)"))
print()
for sample in ("sk-demo-ok", " sk-demo-ok\n", '"sk-demo-ok"'):
    print(f"key_health({sample!r}): {key_health(sample)}")

# %% [markdown]
# ---
# ## Handling keys safely
#
# A 401 is annoying; a leaked key is worse, because someone else spends your money. A few habits:
#
# - **Never print or log a key**, not even "just to check". Log `mask(key)` instead. Beware of logging
#   request headers wholesale: `exc.request.headers` holds the `Authorization` value (its printed form hides
#   it, but the value is there).
# - **Never put a key in a notebook or in code.** Ask for it when you need it:
#
#   ```python
#   from getpass import getpass
#   os.environ["OPENAI_API_KEY"] = getpass("OpenAI API key: ")   # typed, not shown, not saved in the notebook
#   ```
#
# - Or keep it in a **`.env` file** with a line `OPENAI_API_KEY=...` (without quotes: some tools keep them), load it with the
#   `python-dotenv` package (`from dotenv import load_dotenv; load_dotenv()`), and add `.env` to
#   **`.gitignore`** *before* your first commit.
# - **Rotate** a key that may have leaked (pushed to git, pasted in a chat, shown on a screen share): revoke
#   it, create a new one and switch every program to it. If the leak was public, revoke first and fix the
#   programs afterwards. Deleting the commit is not enough: the key has already been copied.
# - Give each program its own key, restricted to what it needs, so one leak does not open everything.

# %% [markdown]
# ## Key points
#
# - All authentication failures except the region block are **401** and raise `openai.AuthenticationError`;
#   tell them apart by `code`, and by the message when `code` is `None`.
# - A revoked key and a mistyped key give the **same** `invalid_api_key` error; the masked key (first 8 +
#   last 4 characters) shows which key was really sent.
# - The organization header can come from `OPENAI_ORG_ID` without you writing it: check
#   `client.organization` and `exc.request.headers`.
# - A restricted key can succeed on one endpoint and fail on another; a **403**
#   `unsupported_country_region_territory` is about location, not the key.
# - No retry ever fixes these, and the SDK does not retry them: fix the credentials instead.
# - Keep keys out of notebooks, logs and git; use `getpass` or an ignored `.env`, and rotate any key that leaks.
#
# **Next:** [03 — Rate limits (429)](03_rate_limits_429.ipynb)

# %% [markdown]
# # Streaming and the Responses API
#
# With `stream=True` the answer arrives word by word instead of all at once. That feels faster, and it changes
# how errors reach you. Some errors still come **before** the stream starts, as the same HTTP errors you met in
# notebooks 01 to 05. Others come **after** the server has already said 200 and sent part of the answer, and
# the SDK cannot retry those for you. This notebook shows both kinds, for Chat Completions and for the newer
# Responses API.
#
# **What you will learn in this notebook**
# - what a stream looks like on the wire, and how the SDK turns it into chunks and events;
# - which errors come before the first chunk (the usual HTTP errors) and which come during the stream;
# - why the SDK never retries a stream that has started, and how to retry one safely yourself;
# - how to set a first-token timeout;
# - how a Responses stream ends: `response.completed`, `response.incomplete`, `response.failed`, or an `error`
#   event;
# - how to run many streams at once with `AsyncOpenAI` and a semaphore.
#
# **Time to learn:** about 30 minutes.
#
# **Prerequisites**
#
# | What | How much | Where |
# |---|---|---|
# | Running cells, `make_client`, reading an `openai` exception | needed | notebook 00 |
# | Rate limits and `Retry-After` | helpful | notebook 03 |
# | Timeouts and dropped connections | helpful | notebook 05 |

# %% [markdown]
# ## Setup
#
# Everything this notebook uses, in one cell. The simulator streams in virtual time: a stream that would take
# 30 seconds on the real service takes a few milliseconds here.

# %%
import asyncio

import httpx
import openai

from helpers.clock import ConcurrentVirtualClock
from helpers.simulator import Simulator, make_async_client, make_client
from helpers.simulator.transport import http_client

HELLO = [{"role": "user", "content": "Say hello"}]

# %% [markdown]
# ## 1. A stream on the wire
#
# A streamed answer is one HTTP response with status 200 and `content-type: text/event-stream`. Its body is a
# series of *server-sent events*: each is a line `data: <json>` followed by a blank line. Chat Completions ends
# the stream with `data: [DONE]`. Here are the raw bytes, read with plain httpx:

# %%
with http_client(Simulator(), headers={"authorization": "Bearer sk-demo-ok"}) as http:
    body = {"model": "gpt-4o-mini", "messages": HELLO, "stream": True}
    raw = http.post("/chat/completions", json=body)
print(raw.status_code, raw.headers["content-type"])
print(raw.text[:700], "...")

# %% [markdown]
# The first chunk carries the role, the next ones one piece of text each in `delta.content`, and the last one
# says why the answer stopped (`finish_reason`). The SDK parses each `data:` line into a `ChatCompletionChunk`:

# %%
client = make_client()
stream = client.chat.completions.create(
    model="gpt-4o-mini", messages=HELLO, stream=True, stream_options={"include_usage": True}
)
for chunk in stream:
    if chunk.choices:
        print(repr(chunk.choices[0].delta.content), chunk.choices[0].finish_reason)
    else:  # with include_usage, one last chunk has no choices, only the usage
        print("usage:", chunk.usage.total_tokens, "tokens")

# %% [markdown]
# Notice the last chunk: with `include_usage` its `choices` list is **empty**. Code that always reads
# `chunk.choices[0]` crashes on it with an `IndexError`, so check `chunk.choices` first.
#
# ## 2. Errors before the first chunk
#
# Everything the API checks before it answers (your key, the body, the model, your quota, your rate limits)
# is checked before a stream starts too. The answer is then an ordinary JSON error, and `create()` raises the
# same exception as without `stream=True`, before you read a single chunk. The SDK retries 429s and 5xx here as
# usual, because nothing has been sent yet.

# %%
for key, model in [("sk-demo-typo", "gpt-4o-mini"), ("sk-demo-broke", "gpt-4o-mini"), ("sk-demo-ok", "gpt-nope")]:
    try:
        make_client(key).chat.completions.create(model=model, messages=HELLO, stream=True)
    except openai.APIStatusError as exc:
        print(f"{key:14} {model:12} -> {type(exc).__name__} {exc.status_code} {exc.code}")

# %% [markdown]
# Two errors are about streaming itself. `stream_options` without `stream=True`, and a parameter the API
# does not know, are refused with a 400 (through `extra_body` the SDK sends anything you give it):

# %%
for extra in [{"stream_options": {"include_usage": True}}, {"extra_body": {"strem": True}}]:
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, **extra)
    except openai.BadRequestError as exc:
        print(exc)

# %% [markdown]
# ## 3. Errors during the stream
#
# Once the 200 has arrived, the server cannot change the status any more. Three things can still go wrong:
#
# | What happens | Demo model | What the SDK raises while you iterate |
# |---|---|---|
# | the server sends an error event: `data: {"error": {...}}` | `gpt-demo-midstream` | `openai.APIError` (no status code) |
# | the connection closes in the middle | `gpt-demo-dropped` | `openai.APIConnectionError` |
# | the next chunk takes longer than your read timeout | `gpt-demo-slow` | `openai.APITimeoutError` |
#
# In every case you already hold part of the answer.


# %%
def read_chunks(client, model):
    """Stream a chat completion and return (the text received, the exception or None)."""
    text = ""
    try:
        for chunk in client.chat.completions.create(model=model, messages=HELLO, stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
    except openai.APIError as exc:
        return text, exc
    return text, None


for model in ["gpt-demo-midstream", "gpt-demo-dropped", "gpt-demo-slow"]:
    sim = Simulator()
    c = make_client("sk-demo-ok", sim, max_retries=2, timeout=5.0)
    text, exc = read_chunks(c, model)
    print(f"{model:18} {type(exc).__name__:18} requests sent: {len(sim.log)}   received: {text!r}")

# %% [markdown]
# All three clients had `max_retries=2`, and each sent **one** request. The SDK's retries only cover the
# moment before the response arrives: `create()` returned as soon as the 200 came in, and the errors above
# were raised later, inside your `for` loop. The SDK cannot know what you did with the chunks you already
# got (printed them? saved them?), so it leaves the decision to you.
#
# The error event of `gpt-demo-midstream` has no HTTP status, so its exception is a plain `APIError`. Its
# `type` and `message` come from the event:

# %%
text, exc = read_chunks(make_client(), "gpt-demo-midstream")
print(type(exc).__name__, "| type:", exc.type, "| code:", exc.code)
print(isinstance(exc, openai.APIStatusError), "<- no status_code to look at")

# %% [markdown]
# ## 4. Retrying a stream safely
#
# A stream that broke can only be retried by **starting again**: a new request, and a new answer from the
# start. Decide what happens to the partial text:
#
# - **discard it**: start again with an empty buffer. This is the safe default, because a new answer is not
#   guaranteed to start with the same words;
# - **keep it deliberately**: for example, show it to the user with a note that it was cut off, and ask again.
#   Never glue two attempts together without saying so.
#
# Restart only what broke *after* the 200. An error that `create()` raised is an ordinary HTTP error: the SDK
# has already retried it if a retry could help (notebook 05), and a loop of yours around it would multiply
# the attempts (notebook 07).
#
# ### Exercise: restart a broken stream
#
# Write `stream_text(client, model, messages, attempts=3)` that streams a chat completion and returns the full
# text. If the stream breaks after the 200 (an `APIError` that is not an `APIStatusError`), start again with
# an empty buffer, up to `attempts` requests in all, and raise the last error if every attempt broke. Let
# errors from `create()` itself (`APIStatusError`) through at once. The check runs it against a model that
# drops once, models that always fail, and a wrong key.


# %% tags=["exercise"]
def stream_text(client, model, messages, attempts=3):
    # Your code here
    return ""


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/10_stream_text.py

# %%
from helpers.checks import check_stream_text

check_stream_text(stream_text)

# %% [markdown]
# ## 5. A first-token timeout
#
# The SDK's default timeout is 600 seconds, and for a stream it counts the time **between** two pieces of data,
# not the whole stream. A model that is slow to start can keep a user waiting ten minutes before anything
# fails. If your users should see the first words within, say, 10 seconds, set the read timeout to that:

# %%
sim = Simulator()
impatient = make_client("sk-demo-ok", sim, max_retries=0, timeout=httpx.Timeout(10.0, connect=2.0))
start = sim.clock.now()
text, exc = read_chunks(impatient, "gpt-demo-slow")
print(f"{type(exc).__name__} after {sim.clock.now() - start:.1f} simulated seconds; received {text!r}")
print("what the server logged:", sim.log[-1].chunks, "chunk(s) read, the client", sim.log[-1].gave_up)

# %% [markdown]
# `gpt-demo-slow` answers 200 at once and then thinks for 30 seconds before its first chunk. The timeout hits
# after the 200, so it is an `APITimeoutError` raised while you iterate, and the SDK does not retry it. Once text is flowing, a 10-second read timeout is generous: pieces arrive many times a second.
#
# ## 6. The Responses API
#
# `client.responses.create(...)` is the newer API. It takes `input` (a string or a list of messages) and
# `instructions`, and answers with a `Response` whose `output_text` joins all the text:

# %%
client = make_client()
response = client.responses.create(model="gpt-4o-mini", input="Say hello", instructions="Be brief.")
print(response.status, "|", response.output_text, "|", response.usage.total_tokens, "tokens")
follow_up = client.responses.create(model="gpt-4o-mini", input="And again", previous_response_id=response.id)
print("chained to", follow_up.previous_response_id)
try:
    client.responses.create(model="gpt-4o-mini", input="Hi", previous_response_id="resp_never_stored")
except openai.BadRequestError as exc:
    print(exc.status_code, exc.code, "-", exc.body["message"])

# %% [markdown]
# Streamed, the Responses API sends named events, each with a `sequence_number`. The text arrives in
# `response.output_text.delta` events, and the stream ends with **one** of three events:

# %%
for event in client.responses.create(model="gpt-4o-mini", input="Say hello", stream=True):
    detail = repr(event.delta) if event.type == "response.output_text.delta" else ""
    print(event.sequence_number, event.type, detail)

# %% [markdown]
# | Last event | Means | `response.status` |
# |---|---|---|
# | `response.completed` | the whole answer | `completed` |
# | `response.incomplete` | cut short, e.g. `max_output_tokens` ran out (`incomplete_details.reason`) | `incomplete` |
# | `response.failed` | the model failed after the 200; `response.error.code` says why | `failed` |
#
# None of these raise: they are events, and your code has to look at them. A plain (non-streamed) call that
# runs out of `max_output_tokens` is also a 200 with `status="incomplete"`, not an exception.

# %%
for model, options in [("gpt-4o-mini", {"max_output_tokens": 4}), ("gpt-demo-midstream", {})]:
    events = list(client.responses.create(model=model, input="Say hello", stream=True, **options))
    last = events[-1]
    print(model, "->", last.type, last.response.incomplete_details or last.response.error)

# %% [markdown]
# The `client.responses.stream(...)` helper collects the events for you, but its `get_final_response()`
# raises a `RuntimeError` unless the stream ended with `response.completed`.
#
# ### The `error` event: what the docs say and what the service sends
#
# The API reference documents the `error` event with its fields at the top level:
# `{"type": "error", "code": ..., "message": ..., "param": ...}`. The live service has been seen sending them
# **nested** instead: `{"type": "error", "error": {"type": ..., "code": ..., "message": ..., "param": ...}}`,
# usually right after `response.in_progress` and followed by `response.failed`. The simulator sends the nested
# form, like the service. The difference matters: the SDK raises `openai.APIError` for any event with an
# `error` object inside, so the nested form arrives as an exception, while the documented flat form would
# arrive as an ordinary event.
#
# A rate limit reached after the 200 arrives this way. Two big requests from the free tier go over its
# 40,000 tokens per minute:

# %%
free = make_client("sk-demo-free", max_retries=2)
big = "x" * 60_000  # about 15,000 tokens, plus 16,000 asked for the answer
for attempt in (1, 2):
    seen = []
    try:
        for event in free.responses.create(model="gpt-4o-mini", input=big, max_output_tokens=16000, stream=True):
            seen.append(event.type)
        print(attempt, "ok:", seen[-1])
    except openai.APIError as exc:
        print(attempt, type(exc).__name__, exc.code, "after", seen)
        print("  ", exc.message[:150], "...")

# %% [markdown]
# The message still says "Please try again in …", but there is no `Retry-After` header to read: the 200 was
# sent long before. If you retry, take the wait from the message (notebook 03 showed how).
#
# ### Exercise: how did the Responses stream end?
#
# Write `stream_answer(client, model, prompt, max_output_tokens=None)` that streams a response and returns a
# pair:
#
# - `("completed", the full text)`,
# - `("incomplete", the text received)`,
# - `("failed", the error code)`, both for `response.failed` and for the `error` event that the SDK raises
#   as `openai.APIError` (use the exception's `code`).
#
# Pass `max_output_tokens` on only when it is not None. The check tries it on prompts and models it has not
# seen, including a rate limit inside the stream.


# %% tags=["exercise"]
def stream_answer(client, model, prompt, max_output_tokens=None):
    # Your code here
    return "completed", ""


# %% tags=["solution"]
# Stuck? Delete the "# " before %load and run this cell: it loads our solution into it.
# # %load solutions/10_stream_answer.py

# %%
from helpers.checks import check_stream_answer

check_stream_answer(stream_answer)

# %% [markdown]
# ## 7. Many streams at once
#
# Streams spend most of their time waiting for the next piece, so a program usually runs many of them at once
# with `AsyncOpenAI`. A semaphore keeps the number in flight under control: without one, 50 streams start
# together, and every one of them counts against your rate limits at the same moment. Streams count like any
# other request: one request against RPM, and the prompt plus `max_tokens` against TPM.
#
# Here 20 streams run with at most 5 at a time, on a shared virtual clock:

# %%
sim = Simulator(clock=ConcurrentVirtualClock())
aclient = make_async_client("sk-demo-ok", sim)
limit = asyncio.Semaphore(5)


async def one_stream(i):
    async with limit:
        text = ""
        stream = await aclient.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"Question {i}"}], stream=True
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
        return len(text)


lengths = await asyncio.gather(*(one_stream(i) for i in range(20)))  # noqa: F704 (Jupyter runs top-level await)
print(f"20 streams, {sum(lengths)} characters, {sim.clock.now():.1f} simulated seconds, {len(sim.log)} requests")

# %% [markdown]
# Each stream takes a second or two; five at a time, twenty take a few seconds, not twenty times one. In a real program, wrap
# each stream in the retry of section 4, so one broken stream does not take the others down.
#
# ## Key points
#
# - Errors before the first chunk are the usual HTTP errors, raised by `create()`, and the SDK retries them as
#   usual. Streams count against your rate limits like any request.
# - After the 200, errors arrive while you iterate: `APIError` for an error event, `APIConnectionError` for a
#   dropped connection, `APITimeoutError` for a stall. The SDK never retries them.
# - To retry a stream, start again; throw the partial text away, or keep it on purpose and say so.
# - The read timeout is the time between pieces: set it to how long a user may wait for the first words.
# - A Responses stream ends with `response.completed`, `response.incomplete` or `response.failed` (events, not
#   exceptions), or with an `error` event, which the SDK raises as `APIError`.
#
# **Next:** go back to [00 — Start here](00_start_here.ipynb) for the map of the course, or run the simulator
# as a server (`make serve`) and point your own streaming code at it.

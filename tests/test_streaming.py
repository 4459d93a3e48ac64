"""Streaming and the Responses API with the official SDK: sync and async, in-process and over HTTP.

Each scenario asserts the exception class, status, code, message and what arrived before the failure, as
../shared/reference/streaming.md describes them for SDK 3.57.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json

import httpx
import openai
import pytest

from helpers.simulator import Simulator, make_client
from helpers.simulator.server import running_server

from .conftest import sdk_client

WHERE = pytest.mark.parametrize("where", ["inprocess", "server"])
FLAVOUR = pytest.mark.parametrize("flavour", ["sync", "async"])
HI = [{"role": "user", "content": "hi"}]


def _sync_drain(obj):
    items = []
    try:
        if hasattr(obj, "__enter__") and not hasattr(obj, "__iter__"):
            with obj as stream:
                items.extend(stream)
        elif hasattr(obj, "__iter__") and not isinstance(obj, (dict, str)) and hasattr(obj, "response"):
            items.extend(obj)
        else:
            items.append(obj)
    except Exception as error:  # noqa: BLE001 - the test looks at which one
        return items, error
    return items, None


async def _async_drain(obj):
    items = []
    try:
        if hasattr(obj, "__aenter__") and not hasattr(obj, "__aiter__"):
            async with obj as stream:
                async for item in stream:
                    items.append(item)
            return items, None
        obj = await obj
        if hasattr(obj, "__aiter__"):
            async for item in obj:
                items.append(item)
        else:
            items.append(obj)
    except Exception as error:  # noqa: BLE001
        return items, error
    return items, None


def outcomes(flavour: str, client, *calls, results=None):
    """Run each call (a function of the client) and drain what it returns: [(items, error), ...]. Calls may
    read `results` (pass a list) to use what the earlier ones got, all in one event loop."""
    results = [] if results is None else results

    async def run():
        for call in calls:
            try:
                obj = call(client)
            except Exception as error:  # noqa: BLE001
                results.append(([], error))
                continue
            results.append(_sync_drain(obj) if flavour == "sync" else await _async_drain(obj))
        return results

    return asyncio.run(run())


def run_all(where, flavour, *calls, **client_options):
    """A fresh client for `where` and `flavour`, then `outcomes` of the calls."""
    with contextlib.ExitStack() as stack:
        return outcomes(flavour, sdk_client(where, flavour, stack=stack, **client_options), *calls)


def one(where, flavour, call, **client_options):
    return run_all(where, flavour, call, **client_options)[0]


def chat_stream(model="gpt-4o-mini", **kwargs):
    return lambda c: c.chat.completions.create(model=model, messages=HI, stream=True, **kwargs)


def text_of(chunks) -> str:
    return "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)


# -- Chat Completions ------------------------------------------------------------------------------------------
@WHERE
@FLAVOUR
def test_chat_stream_delivers_the_same_text_as_a_plain_call(where, flavour):
    plain = make_client().chat.completions.create(model="gpt-4o-mini", messages=HI).choices[0].message.content
    chunks, error = one(where, flavour, chat_stream(stream_options={"include_usage": True}))
    assert error is None
    assert text_of(chunks) == plain
    first, finish, usage = chunks[0], chunks[-2], chunks[-1]
    assert first.object == "chat.completion.chunk" and first.choices[0].delta.role == "assistant"
    assert first.usage is None and finish.choices[0].finish_reason == "stop"
    assert usage.choices == [] and usage.usage.total_tokens == usage.usage.prompt_tokens + usage.usage.completion_tokens
    assert len({ch.id for ch in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")


@WHERE
@FLAVOUR
def test_chat_stream_helper(where, flavour):
    call = lambda c: c.chat.completions.stream(model="gpt-4o-mini", messages=HI)  # noqa: E731
    events, error = one(where, flavour, call)
    assert error is None
    assert events[-1].type == "content.done" and events[-1].content.startswith("Simulated reply")


PRE_STREAM = [
    ("sk-demo-typo", "gpt-4o-mini", {}, openai.AuthenticationError, "invalid_api_key"),
    ("sk-demo-ok", "gpt-nope", {}, openai.NotFoundError, "model_not_found"),
    ("sk-demo-broke", "gpt-4o-mini", {}, openai.RateLimitError, "insufficient_quota"),
    ("sk-demo-ok", "gpt-4o-mini", {"extra_body": {"foo": 1}}, openai.BadRequestError, None),
]


@WHERE
@FLAVOUR
@pytest.mark.parametrize(("key", "model", "extra", "cls", "code"), PRE_STREAM)
def test_errors_before_the_stream_are_the_plain_http_errors(where, flavour, key, model, extra, cls, code):
    plain = make_client(key)
    with pytest.raises(cls) as expected:
        plain.chat.completions.create(model=model, messages=HI, **extra)
    chunks, error = one(where, flavour, chat_stream(model, **extra), key=key)
    assert chunks == [] and type(error) is cls
    assert error.status_code == expected.value.status_code and error.code == code
    assert error.body["message"] == expected.value.body["message"]
    assert error.response.headers["content-type"] == "application/json"


def test_unknown_chat_arguments_and_stream_options_without_stream():
    client = make_client()
    with pytest.raises(openai.BadRequestError) as one_arg:
        client.chat.completions.create(model="gpt-4o-mini", messages=HI, extra_body={"foo": 1})
    assert str(one_arg.value) == "Error code: 400 - Unrecognized request argument supplied: foo"
    assert one_arg.value.param is None and one_arg.value.code is None
    with pytest.raises(openai.BadRequestError) as two:
        client.chat.completions.create(model="gpt-4o-mini", messages=HI, extra_body={"foo": 1, "bar": 2})
    assert two.value.body["message"] == "Unrecognized request arguments supplied: foo, bar"
    with pytest.raises(openai.BadRequestError) as options:
        client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream_options={"include_usage": True})
    assert options.value.body == {
        "message": "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        "type": "invalid_request_error",
        "param": "stream_options",
        "code": None,
    }


@WHERE
@FLAVOUR
@pytest.mark.parametrize("helper", [False, True])
def test_midstream_error_raises_api_error_and_is_not_retried(where, flavour, helper):
    if helper:
        call = lambda c: c.chat.completions.stream(model="gpt-demo-midstream", messages=HI)  # noqa: E731
    else:
        call = chat_stream("gpt-demo-midstream")
    with contextlib.ExitStack() as stack:
        log = io.StringIO()
        if where == "server":
            srv = stack.enter_context(running_server(seed=0, log_file=log))
            from helpers.simulator import connect

            client = connect(srv.base_url, asynchronous=flavour == "async", max_retries=2)
        else:
            client = sdk_client(where, flavour, max_retries=2)
        items, error = outcomes(flavour, client, call)[0]
    assert type(error) is openai.APIError and not isinstance(error, openai.APIStatusError)
    assert str(error).startswith("The server had an error processing your request.")
    assert error.type == "server_error" and error.code is None and error.body["type"] == "server_error"
    if not helper:
        assert len(items) == 4 and text_of(items) == " ".join(text_of(items).split(" ")[:3])
    requests = [json.loads(line) for line in log.getvalue().splitlines()] if where == "server" else client.simulator.log
    assert len(requests) == 1  # never retried


@WHERE
@FLAVOUR
def test_dropped_stream_is_a_connection_error_after_some_chunks(where, flavour):
    chunks, error = one(where, flavour, chat_stream("gpt-demo-dropped"), max_retries=2)
    assert type(error) is openai.APIConnectionError and str(error) == "Connection error."
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert "incomplete chunked read" in str(error.__cause__)
    assert len(chunks) == 4 and text_of(chunks)


@WHERE
@FLAVOUR
def test_slow_first_token_times_out_mid_stream(where, flavour):
    chunks, error = one(where, flavour, chat_stream("gpt-demo-slow"), timeout=1.0, max_retries=2)
    assert type(error) is openai.APITimeoutError and str(error) == "Request timed out."
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert chunks == []  # the 200 came at once, the first chunk never did


def test_in_process_log_records_streams_and_who_gave_up():
    client = make_client(max_retries=2)
    list(client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True))
    with pytest.raises(openai.APITimeoutError):
        list(client.with_options(timeout=2).chat.completions.create(model="gpt-demo-slow", messages=HI, stream=True))
    ok, slow = client.simulator.log
    assert ok.stream and ok.gave_up is None and ok.chunks > 3
    assert slow.stream and slow.gave_up == "timed_out" and slow.chunks == 0


def test_virtual_time_a_long_stream_takes_no_real_time():
    sim = Simulator(seed=0, faults={"gpt-4o-mini": {"tokens_per_s": 0.5}})
    client = make_client(simulator=sim)
    start = sim.clock.now()
    assert text_of(list(client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True)))
    assert sim.clock.now() - start > 20  # seconds of virtual time


def test_streams_are_deterministic_with_a_seed():
    def raw_bytes(seed):
        from helpers.simulator.transport import http_client

        with http_client(Simulator(seed=seed), headers={"authorization": "Bearer sk-demo-ok"}) as http:
            body = {"model": "gpt-4o-mini", "messages": HI, "stream": True}
            return http.post("/chat/completions", json=body).read()

    assert raw_bytes(3) == raw_bytes(3)
    assert raw_bytes(3) != raw_bytes(4)
    assert raw_bytes(3).endswith(b"data: [DONE]\n\n")


def test_streams_count_against_the_rate_limit():
    client = make_client("sk-demo-free")
    for _ in range(3):
        list(client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True))
    with pytest.raises(openai.RateLimitError) as error:
        client.with_options(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True)
    assert error.value.code == "rate_limit_exceeded" and error.value.response.headers["retry-after"]


def test_log_says_how_a_stream_ended():
    client = make_client("sk-demo-free", max_retries=0)
    big = "x" * 60_000
    for _ in range(2):
        with contextlib.suppress(openai.APIError):
            list(client.responses.create(model="gpt-4o-mini", input=big, max_output_tokens=16000, stream=True))
    with contextlib.suppress(openai.APIError):
        list(client.chat.completions.create(model="gpt-demo-midstream", messages=HI, stream=True))
    ok, limited, failed = client.simulator.log
    assert ok.code is None and ok.error_type is None and ok.status == 200
    assert (limited.status, limited.code, limited.error_type) == (200, "rate_limit_exceeded", "tokens")
    assert (failed.status, failed.error_type) == (200, "server_error")


def test_nohint_key_gets_429s_without_retry_after():
    client = make_client("sk-demo-nohint", max_retries=0)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    with pytest.raises(openai.RateLimitError) as error:
        client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    headers = error.value.response.headers
    assert "retry-after" not in headers and "retry-after-ms" not in headers
    assert "x-ratelimit-remaining-requests" in headers and "Please try again in" in error.value.body["message"]


# -- The Responses API -----------------------------------------------------------------------------------------
def responses(model="gpt-4o-mini", **kwargs):
    return lambda c: c.responses.create(model=model, input="hello", **kwargs)


EXPECTED_EVENTS = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
]


def _squash(types):
    return [t for i, t in enumerate(types) if i == 0 or t != types[i - 1]]


@WHERE
@FLAVOUR
def test_responses_plain_stored_and_chained(where, flavour):
    results = []

    def first_id():
        return results[0][0][0].id

    with contextlib.ExitStack() as stack:
        client = sdk_client(where, flavour, stack=stack)
        outcomes(
            flavour,
            client,
            responses(),
            lambda c: c.responses.retrieve(first_id()),
            lambda c: responses(previous_response_id=first_id(), instructions="Be brief.", temperature=0.5)(c),
            responses(previous_response_id="resp_unknown"),
            responses(extra_body={"foo": 1}),
            results=results,
        )
    (first,), error = results.pop(0)
    assert error is None and first.status == "completed" and first.output_text.startswith("Simulated reply")
    assert first.id.startswith("resp_") and first.usage.total_tokens > 0 and first._request_id.startswith("req_")
    (again,), _ = results[0]
    assert again.id == first.id and again.output_text == first.output_text
    (chained,), _ = results[1]
    assert chained.previous_response_id == first.id and chained.instructions == "Be brief."
    _, missing = results[2]
    assert type(missing) is openai.BadRequestError and missing.code == "previous_response_not_found"
    assert missing.param == "previous_response_id"
    assert str(missing) == "Error code: 400 - Previous response with id 'resp_unknown' not found."
    _, unknown = results[3]
    assert type(unknown) is openai.BadRequestError and unknown.code == "unknown_parameter" and unknown.param == "foo"
    assert unknown.body["message"] == "Unknown parameter: 'foo'."


@WHERE
@FLAVOUR
def test_responses_stream_raw_and_helper(where, flavour):
    raw, helper = run_all(
        where, flavour, responses(stream=True), lambda c: c.responses.stream(model="gpt-4o-mini", input="hello")
    )
    events, error = raw
    assert error is None
    assert _squash([e.type for e in events]) == [*EXPECTED_EVENTS, "response.completed"]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    final = events[-1].response
    assert final.status == "completed" and final.output_text == "".join(
        e.delta for e in events if e.type == "response.output_text.delta"
    )
    assert {e.response.id for e in events if e.type in ("response.created", "response.in_progress")} == {final.id}
    helper_events, error = helper
    assert error is None and helper_events[-1].type == "response.completed"


@WHERE
@FLAVOUR
def test_responses_failed_and_incomplete_are_events_not_exceptions(where, flavour):
    failed, incomplete = run_all(
        where,
        flavour,
        responses("gpt-demo-midstream", stream=True),
        responses(stream=True, max_output_tokens=3),
        max_retries=2,
    )
    events, error = failed
    assert error is None and events[-1].type == "response.failed"
    assert events[-1].response.error.code == "server_error" and events[-1].response.status == "failed"
    assert sum(e.type == "response.output_text.delta" for e in events) == 3
    events, error = incomplete
    assert error is None and events[-1].type == "response.incomplete"
    assert events[-1].response.incomplete_details.reason == "max_output_tokens"
    assert events[-2].type == "response.output_item.done" and events[-2].item.status == "incomplete"


def test_responses_helper_get_final_response_refuses_a_failed_stream():
    client = make_client()
    with client.responses.stream(model="gpt-demo-midstream", input="hello") as stream:
        events = list(stream)
        with pytest.raises(RuntimeError, match="response.completed"):
            stream.get_final_response()
    assert events[-1].type == "response.failed"


def test_responses_plain_incomplete_is_a_200():
    response = make_client().responses.create(model="gpt-4o-mini", input="hello", max_output_tokens=3)
    assert response.status == "incomplete" and response.incomplete_details.reason == "max_output_tokens"
    assert response.output[0].status == "incomplete"


@WHERE
@FLAVOUR
def test_responses_rate_limit_inside_the_stream(where, flavour):
    big = "x" * 60_000  # 15,000 tokens, plus 16,000 asked for: two of these exceed 40,000 TPM
    call = lambda c: c.responses.create(model="gpt-4o-mini", input=big, max_output_tokens=16000, stream=True)  # noqa: E731
    first, second = run_all(where, flavour, call, call, key="sk-demo-free", max_retries=2)
    assert first[1] is None
    events, error = second
    assert type(error) is openai.APIError and error.code == "rate_limit_exceeded" and error.type == "tokens"
    assert "Please try again in" in str(error) and "tokens per min (TPM)" in str(error)
    assert [e.type for e in events] == ["response.created", "response.in_progress"]


@WHERE
@FLAVOUR
def test_responses_dropped_and_slow(where, flavour):
    dropped, slow = run_all(
        where, flavour, responses("gpt-demo-dropped", stream=True), responses("gpt-demo-slow", stream=True), timeout=1.0
    )
    assert type(dropped[1]) is openai.APIConnectionError
    assert sum(e.type == "response.output_text.delta" for e in dropped[0]) == 3
    assert type(slow[1]) is openai.APITimeoutError
    assert [e.type for e in slow[0]][-1] == "response.content_part.added"


def test_served_log_file_lines():
    log = io.StringIO()
    with running_server(seed=0, log_file=log) as srv:
        from helpers.simulator import connect

        client = connect(srv.base_url, "sk-demo-ok", max_retries=0)
        list(client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True))
        with pytest.raises(openai.AuthenticationError):
            connect(srv.base_url, "sk-demo-typo-1234567", max_retries=0).models.list()
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    assert lines[0]["stream"] is True and lines[0]["status"] == 200 and lines[0]["chunks"] > 3
    assert lines[0]["gave_up"] is None and lines[0]["retry_count"] == 0 and lines[0]["key"] == "sk-demo-ok"
    assert lines[0]["error_type"] is None
    assert lines[1]["status"] == 401 and lines[1]["code"] == "invalid_api_key" and "*" in lines[1]["key"]


def test_hardening_embeddings_bounds_and_lone_surrogates():
    client = make_client()
    with pytest.raises(openai.BadRequestError) as too_many:
        client.embeddings.create(model="text-embedding-3-small", input=[str(i) for i in range(2049)])
    assert too_many.value.code == "array_above_max_length" and too_many.value.param == "input"
    with pytest.raises(openai.BadRequestError) as too_big:
        client.embeddings.create(model="text-embedding-3-small", input=["word " * 6000] * 50)
    assert "max 300000 tokens per request" in too_big.value.body["message"]
    from helpers.simulator.transport import http_client

    body = b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "\\ud800"}]}'
    with http_client(client.simulator, headers={"authorization": "Bearer sk-demo-ok"}) as http:
        answer = http.post("/chat/completions", content=body)
    assert answer.status_code == 400 and "lone surrogate" in answer.json()["error"]["message"]
    assert client.simulator.internal_errors == 0


def test_responses_streams_are_deterministic_with_a_seed():
    from helpers.simulator.transport import http_client

    def raw(seed):
        with http_client(Simulator(seed=seed), headers={"authorization": "Bearer sk-demo-ok"}) as http:
            return http.post("/responses", json={"model": "gpt-4o-mini", "input": "hi", "stream": True}).read()

    assert raw(5) == raw(5) and raw(5) != raw(6)
    assert raw(5).startswith(b"event: response.created\ndata: ")

"""Streamed answers as the API sends them: Server-Sent Events for Chat Completions (`data:` lines ending in
`data: [DONE]`) and for the Responses API (`event:` + `data:` with a `sequence_number`), plus the Response
object itself. Pure functions: each returns the pieces of a stream with the delay before each one.

The shapes follow ../shared/reference/streaming.md (§1 chat chunks, §2 the Response, §3 its events).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from . import wire
from .endpoints import chat_usage

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass
class Timing:
    """When the pieces leave: the first after `ttft` seconds, then one token every 1/tokens_per_s."""

    ttft: float = 0.4
    tokens_per_s: float = 50.0
    first_delta_delay: float = 0.0  # extra wait before the first content piece (gpt-demo-slow)


@dataclass
class Plan:
    """What goes wrong in a stream, decided before it starts (seeded)."""

    error_after: int | None = None  # content pieces sent before the failure
    failure: str | None = None  # "error" (an error frame / response.failed), "drop" (connection closed)
    rate_limit: wire.ApiError | None = None  # Responses: a rate limit reached inside the stream


@dataclass
class Stream:
    """The pieces of a streamed body: (seconds to wait before it, bytes). `drop`: close without ending."""

    pieces: list[tuple[float, bytes]] = field(default_factory=list)
    drop: bool = False
    completion_tokens: int = 0


def _dumps(payload: dict) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def split_tokens(text: str) -> list[str]:
    """The text in the pieces a model would stream: a word and the space before it."""
    return re.findall(r"\s*\S+", text) or [text]


def obfuscation(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return "".join(_ALNUM[b % len(_ALNUM)] for b in digest[: 4 + digest[-1] % 8])


def _delay(piece: str, timing: Timing) -> float:
    return max(1, len(piece) // 4) / timing.tokens_per_s


# -- Chat Completions ---------------------------------------------------------------------------------------
@dataclass
class ChatStreamSpec:
    completion_id: str
    created: int
    model: str
    choices: list[tuple[str, int, str]]  # (text, tokens, finish_reason)
    prompt_tokens: int
    include_usage: bool = False
    include_obfuscation: bool = True


def chat_stream(spec: ChatStreamSpec, timing: Timing, plan: Plan, request_id: str) -> Stream:
    head = {
        "id": spec.completion_id,
        "object": "chat.completion.chunk",
        "created": spec.created,
        "model": spec.model,
        "service_tier": "default",
        "system_fingerprint": "fp_simulated",
    }
    out = Stream()
    sent = 0

    def chunk(choices: list, delay: float, usage: object = None, final: bool = False, salt: str = "") -> None:
        payload = {**head, "choices": choices}
        if spec.include_usage:
            payload["usage"] = usage
        if spec.include_obfuscation and not final:
            payload["obfuscation"] = obfuscation(spec.completion_id, str(len(out.pieces)), salt)
        out.pieces.append((delay, f"data: {_dumps(payload)}\n\n".encode()))

    used = 0
    for index, (text, tokens, finish) in enumerate(spec.choices):
        role = {"role": "assistant", "content": "", "refusal": None}
        first = timing.ttft if index == 0 else 0.0
        chunk([{"index": index, "delta": role, "logprobs": None, "finish_reason": None}], first)
        for piece in split_tokens(text):
            if plan.error_after is not None and sent >= plan.error_after:
                return _chat_failure(out, plan, request_id)
            delay = _delay(piece, timing) + (timing.first_delta_delay if sent == 0 else 0.0)
            chunk(
                [{"index": index, "delta": {"content": piece}, "logprobs": None, "finish_reason": None}],
                delay,
                salt=piece,
            )
            sent += 1
        used += tokens
        chunk([{"index": index, "delta": {}, "logprobs": None, "finish_reason": finish}], 0.0)
    if plan.error_after is not None:  # fewer pieces than planned: fail at the end of the text
        return _chat_failure(out, plan, request_id)
    if spec.include_usage:
        usage = chat_usage(spec.prompt_tokens, used, spec.prompt_tokens + used)
        chunk([], 0.0, usage=usage, final=True)
    out.pieces.append((0.0, b"data: [DONE]\n\n"))
    out.completion_tokens = used
    return out


def _chat_failure(out: Stream, plan: Plan, request_id: str) -> Stream:
    if plan.failure == "drop":
        out.drop = True
        return out
    error = wire.ApiError(500, wire.SERVER_ERROR.format(request_id=request_id), "server_error")
    out.pieces.append((0.0, f"data: {_dumps(error.body())}\n\n".encode()))
    return out


# -- The Responses API ---------------------------------------------------------------------------------------
@dataclass
class ResponseSpec:
    response_id: str
    message_id: str
    created_at: int
    model: str
    text: str  # the whole answer
    limit_tokens: int | None  # max_output_tokens
    input_tokens: int
    instructions: str | None = None
    temperature: float | None = None
    previous_response_id: str | None = None
    store: bool = True
    include_obfuscation: bool = True


def _usage(spec: ResponseSpec, output_tokens: int) -> dict:
    return {
        "input_tokens": spec.input_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": spec.input_tokens + output_tokens,
    }


def response_object(spec: ResponseSpec, status: str, output: list, usage: dict | None, **extra) -> dict:
    """The Response as the API sends it, keys in the order of the live captures."""
    body = {
        "id": spec.response_id,
        "object": "response",
        "created_at": spec.created_at,
        "status": status,
        "background": False,
        "error": extra.get("error"),
        "incomplete_details": extra.get("incomplete_details"),
        "instructions": spec.instructions,
        "max_output_tokens": spec.limit_tokens,
        "max_tool_calls": None,
        "model": spec.model,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": spec.previous_response_id,
        "prompt_cache_key": None,
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": spec.store,
        "temperature": 1.0 if spec.temperature is None else spec.temperature,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }
    if status == "completed":
        body["completed_at"] = spec.created_at + 1
    return body


def _answer_tokens(spec: ResponseSpec) -> tuple[list[str], bool]:
    """The pieces of the answer that fit in max_output_tokens, and whether it was cut short."""
    pieces, used = [], 0
    for piece in split_tokens(spec.text):
        cost = max(1, len(piece) // 4)
        if spec.limit_tokens is not None and used + cost > spec.limit_tokens:
            return pieces, True
        pieces.append(piece)
        used += cost
    return pieces, False


def _message(spec: ResponseSpec, text: str | None, status: str) -> dict:
    content = [] if text is None else [{"type": "output_text", "annotations": [], "logprobs": [], "text": text}]
    return {"id": spec.message_id, "type": "message", "status": status, "content": content, "role": "assistant"}


def _tokens(pieces: list[str]) -> int:
    return sum(max(1, len(p) // 4) for p in pieces)


def final_response(spec: ResponseSpec) -> tuple[dict, int]:
    """The non-streamed answer (completed, or incomplete when max_output_tokens ran out) and its output tokens."""
    pieces, cut = _answer_tokens(spec)
    text, used = "".join(pieces), _tokens(pieces)
    status = "incomplete" if cut else "completed"
    details = {"reason": "max_output_tokens"} if cut else None
    output = [_message(spec, text, status)]
    return response_object(spec, status, output, _usage(spec, used), incomplete_details=details), used


FAILED_MESSAGE = "The model failed to generate a response."  # the spec's example of response.failed


def response_stream(spec: ResponseSpec, timing: Timing, plan: Plan) -> Stream:
    out = Stream()
    seq = 0

    def event(kind: str, payload: dict, delay: float = 0.0) -> None:
        nonlocal seq
        data = {"type": kind, "sequence_number": seq, **payload}
        out.pieces.append((delay, f"event: {kind}\ndata: {_dumps(data)}\n\n".encode()))
        seq += 1

    start = response_object(spec, "in_progress", [], None)
    event("response.created", {"response": start}, timing.ttft)
    event("response.in_progress", {"response": start})
    if plan.rate_limit is not None:
        return _rate_limited(out, spec, plan.rate_limit, event)
    where = {"item_id": spec.message_id, "output_index": 0, "content_index": 0}
    event("response.output_item.added", {"output_index": 0, "item": _message(spec, None, "in_progress")})
    part = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    event("response.content_part.added", {**where, "part": part})
    pieces, cut = _answer_tokens(spec)
    for n, piece in enumerate(pieces):
        if plan.error_after is not None and n >= plan.error_after:
            break
        delta = {**where, "delta": piece, "logprobs": []}
        if spec.include_obfuscation:
            delta["obfuscation"] = obfuscation(spec.response_id, str(n), piece)
        event("response.output_text.delta", delta, _delay(piece, timing) + (timing.first_delta_delay if n == 0 else 0))
    if plan.error_after is not None:
        sent = pieces[: plan.error_after]
        if plan.failure == "drop":
            out.drop = True
            return out
        error = {"code": "server_error", "message": FAILED_MESSAGE}
        failed = response_object(spec, "failed", [_message(spec, "".join(sent), "in_progress")], None, error=error)
        event("response.failed", {"response": failed})
        return out
    text, used = "".join(pieces), _tokens(pieces)
    status = "incomplete" if cut else "completed"
    done_part = {**part, "text": text}
    event("response.output_text.done", {**where, "text": text, "logprobs": []})
    event("response.content_part.done", {**where, "part": done_part})
    item = _message(spec, text, status)
    event("response.output_item.done", {"output_index": 0, "item": item})
    details = {"reason": "max_output_tokens"} if cut else None
    final = response_object(spec, status, [item], _usage(spec, used), incomplete_details=details)
    event("response.incomplete" if cut else "response.completed", {"response": final})
    out.completion_tokens = used
    return out


def _rate_limited(out: Stream, spec: ResponseSpec, error: wire.ApiError, event) -> Stream:
    """A rate limit met after the 200: the `error` event nested as the live service sends it, then
    `response.failed` with the same code and message (reference §3.4)."""
    nested = {"type": error.type, "code": error.code, "message": error.message, "param": None}
    event("error", {"error": nested})
    failed = response_object(spec, "failed", [], None, error={"code": error.code, "message": error.message})
    event("response.failed", {"response": failed})
    return out

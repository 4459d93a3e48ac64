"""What each endpoint accepts and answers: request validation with the API's 400 messages, and
deterministic success bodies (same request, same reply) for chat completions, embeddings and models.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import struct
from dataclasses import dataclass
from functools import lru_cache

from ..world import Model, World
from . import wire
from .wire import ApiError, invalid_request

ROLES = ("system", "assistant", "user", "function", "tool", "developer")
SERVICE_TIERS = ("auto", "default", "flex", "priority", "scale")
CHARS_PER_TOKEN = 4
MAX_EMBEDDING_INPUTS = 2048  # the API's documented maximum array length for embeddings input
MAX_EMBEDDING_TOKENS = 300_000  # simulated: our bound on the tokens of one embeddings request
# The top-level fields each endpoint knows (SDK 3.57's create params, plus stream); others get the API's 400.
CHAT_PARAMETERS = frozenset(
    "audio frequency_penalty function_call functions logit_bias logprobs max_completion_tokens max_tokens messages "
    "metadata modalities model moderation n parallel_tool_calls prediction presence_penalty prompt_cache_key "
    "prompt_cache_options prompt_cache_retention reasoning_effort response_format safety_identifier seed "
    "service_tier stop store stream stream_options temperature tool_choice tools top_logprobs top_p user "
    "verbosity web_search_options".split()
)
RESPONSES_PARAMETERS = frozenset(
    "access_programs background background_options context_management conversation image include input "
    "instructions max_output_tokens max_tool_calls metadata model moderation parallel_tool_calls "
    "previous_response_id prompt prompt_cache_key prompt_cache_options prompt_cache_retention reasoning "
    "safety_identifier service_tier store stream stream_options temperature text tool_choice tools top_logprobs "
    "top_p truncation user".split()
)


@dataclass
class Call:
    """A validated model request: what the limiter charges and what the reply is made from."""

    model: Model
    prompt_tokens: int
    max_tokens: int  # per choice, as asked or the world's default
    n: int
    texts: list[str]  # prompt texts (chat: the messages; embeddings: each input)
    encoding_format: str = "float"
    dimensions: int = 0
    stream: bool = False
    include_usage: bool = False
    include_obfuscation: bool = True
    explicit_max: int | None = None  # max_tokens / max_output_tokens as asked (None: not asked)
    extra: dict | None = None  # Responses: instructions, temperature, previous_response_id, store

    @property
    def rate_limit_tokens(self) -> int:
        """Tokens charged against TPM: prompt estimate plus max tokens for every choice."""
        if self.model.kind == "embedding":
            return self.prompt_tokens
        return self.prompt_tokens + self.max_tokens * self.n


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _wrong_type(param: str, expected: str, value: object) -> ApiError:
    return invalid_request(
        400, wire.INVALID_TYPE.format(param=param, expected=expected, got=_kind(value)), param, "invalid_type"
    )


def _missing(param: str) -> ApiError:
    return invalid_request(400, wire.MISSING_PARAMETER.format(param=param), param, "missing_required_parameter")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_param(body: dict, name: str, low: int, high: int | None = None) -> int | None | ApiError:
    value = body.get(name)
    if value is None:
        return None
    if not _is_int(value):
        return _wrong_type(name, "an integer", value)
    if value < low:
        return invalid_request(
            400,
            f"Invalid '{name}': integer below minimum value. Expected a value >= {low}, but got {value} instead.",
            name,
            "integer_below_min_value",
        )
    if high is not None and value > high:
        return invalid_request(
            400,
            f"Invalid '{name}': integer above maximum value. Expected a value <= {high}, but got {value} instead.",
            name,
            "integer_above_max_value",
        )
    return value


def resolve_model(body: dict, world: World, kind: str) -> Model | ApiError:
    name = body.get("model")
    if name is None:
        return invalid_request(400, "you must provide a model parameter")
    if not isinstance(name, str):
        return _wrong_type("model", "a string", name)
    model = world.models.get(name)
    if model is None:
        return wire.model_not_found(name)
    if model.kind != kind:
        endpoint = "v1/chat/completions" if kind == "chat" else "v1/embeddings"
        return invalid_request(404, f"This model ({name}) is not supported in the {endpoint} endpoint.", "model")
    return model


def _message_text(message: dict, index: int) -> str | ApiError:
    where = f"messages[{index}]"
    role = message.get("role")
    if role is None:
        return _missing(f"{where}.role")
    if role not in ROLES:
        supported = ", ".join(f"'{r}'" for r in ROLES[:-1]) + f", and '{ROLES[-1]}'"
        shown = role if isinstance(role, str) else _kind(role)
        return invalid_request(
            400, f"Invalid value: '{shown}'. Supported values are: {supported}.", f"{where}.role", "invalid_value"
        )
    content = message.get("content")
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, dict):
                return _wrong_type(f"{where}.content", "one of a string or array of objects", content)
            text = part.get("text", "")
            parts.append(text if isinstance(text, str) else "")
        return "".join(parts)
    return _wrong_type(f"{where}.content", "one of a string or array of objects", content)


def parse_chat(body: dict, world: World, allowed_tiers: tuple[str, ...]) -> Call | ApiError:
    model = unknown_chat_arguments(body) or resolve_model(body, world, "chat")
    if isinstance(model, ApiError):
        return model
    messages = body.get("messages")
    if messages is None:
        return _missing("messages")
    if not isinstance(messages, list):
        return _wrong_type("messages", "an array of objects", messages)
    if not messages:
        return invalid_request(
            400,
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
            "messages",
            "empty_array",
        )
    texts = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            return _wrong_type(f"messages[{i}]", "an object", message)
        text = _message_text(message, i)
        if isinstance(text, ApiError):
            return text
        texts.append(text)
    asked = {}
    for name, high in (("max_tokens", None), ("max_completion_tokens", None), ("n", 128)):
        value = _int_param(body, name, 1, high)
        if isinstance(value, ApiError):
            return value
        asked[name] = value
    error = _check_temperature(body.get("temperature"))
    if error:
        return error
    stream = _stream_options(body)
    if isinstance(stream, ApiError):
        return stream
    tier_error = _check_service_tier(body.get("service_tier"), allowed_tiers)
    if tier_error:
        return tier_error
    max_tokens = asked["max_completion_tokens"] or asked["max_tokens"]
    ceiling = model.max_output_tokens
    if max_tokens and ceiling and max_tokens > ceiling:
        name = "max_completion_tokens" if asked["max_completion_tokens"] else "max_tokens"
        return invalid_request(
            400,
            f"{name} is too large: {max_tokens}. This model supports at most {ceiling} completion tokens, "
            f"whereas you provided {max_tokens}.",
            name,
            "invalid_value",
        )
    prompt = sum(estimate_tokens(t) for t in texts)
    call = Call(model, prompt, max_tokens or world.default_max_tokens, asked["n"] or 1, texts, **stream)
    return _check_context(call, explicit_max=max_tokens) or call


def _check_temperature(temperature: object) -> ApiError | None:
    if temperature is None:
        return None
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool):
        return _wrong_type("temperature", "a decimal", temperature)
    if not 0 <= temperature <= 2:
        side, bound = ("below minimum", ">= 0") if temperature < 0 else ("above maximum", "<= 2")
        return invalid_request(
            400,
            wire.DECIMAL_OUT_OF_RANGE.format(param="temperature", side=side, bound=bound, value=temperature),
            "temperature",
            "decimal_" + side.replace(" ", "_") + "_value",
        )
    return None


def _stream_options(body: dict) -> dict | ApiError:
    """`stream` and `stream_options` as the API checks them; the Call fields they set."""
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        return _wrong_type("stream", "a boolean", stream)
    options = body.get("stream_options")
    if options is not None and not stream:
        return invalid_request(400, wire.STREAM_OPTIONS_WITHOUT_STREAM, "stream_options")
    if options is not None and not isinstance(options, dict):
        return _wrong_type("stream_options", "an object", options)
    options = options or {}
    return {
        "stream": bool(stream),
        "include_usage": options.get("include_usage") is True,
        "include_obfuscation": options.get("include_obfuscation") is not False,
    }


def unknown_chat_arguments(body: dict) -> ApiError | None:
    unknown = [name for name in body if name not in CHAT_PARAMETERS]
    if not unknown:
        return None
    if len(unknown) == 1:
        return invalid_request(400, wire.UNRECOGNIZED_ARGUMENT.format(names=unknown[0]))
    return invalid_request(400, wire.UNRECOGNIZED_ARGUMENTS.format(names=", ".join(unknown)))


def unknown_responses_parameter(body: dict) -> ApiError | None:
    for name in body:
        if name not in RESPONSES_PARAMETERS:
            return invalid_request(400, wire.UNKNOWN_PARAMETER.format(param=name), name, "unknown_parameter")
    return None


def _input_texts(raw: object) -> list[str] | ApiError:
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, list):
        return _wrong_type("input", "one of a string or array of input items", raw)
    texts = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            return _wrong_type(f"input[{i}]", "an object", item)
        text = _message_text(item, i) if "role" in item else item.get("text", "")
        if isinstance(text, ApiError):
            text.message = text.message.replace(f"messages[{i}]", f"input[{i}]")
            text.param = (text.param or "").replace(f"messages[{i}]", f"input[{i}]")
            return text
        texts.append(text if isinstance(text, str) else "")
    return texts


def parse_responses(body: dict, world: World) -> Call | ApiError:
    """POST /v1/responses: the unknown-parameter check first, then the model, the input and the options."""
    model = unknown_responses_parameter(body) or resolve_model(body, world, "chat")
    if isinstance(model, ApiError):
        return model
    if "input" not in body:
        return _missing("input")
    texts = _input_texts(body["input"])
    if isinstance(texts, ApiError):
        return texts
    instructions = body.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        return _wrong_type("instructions", "a string", instructions)
    limit = _int_param(body, "max_output_tokens", 1, model.max_output_tokens)
    if isinstance(limit, ApiError):
        return limit
    temperature = body.get("temperature")
    error = _check_temperature(temperature)
    if error:
        return error
    for name in ("store",):
        if body.get(name) is not None and not isinstance(body[name], bool):
            return _wrong_type(name, "a boolean", body[name])
    previous = body.get("previous_response_id")
    if previous is not None and not isinstance(previous, str):
        return _wrong_type("previous_response_id", "a string", previous)
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        return _wrong_type("stream", "a boolean", stream)
    options = body.get("stream_options") if isinstance(body.get("stream_options"), dict) else {}
    prompt = sum(estimate_tokens(t) for t in [*texts, instructions or ""])
    extra = {
        "instructions": instructions,
        "temperature": temperature,
        "previous_response_id": previous,
        "store": body.get("store") is not False,
    }
    call = Call(
        model,
        prompt,
        limit or world.default_max_tokens,
        1,
        texts,
        stream=bool(stream),
        include_obfuscation=options.get("include_obfuscation") is not False,
        explicit_max=limit,
        extra=extra,
    )
    return _check_context(call, explicit_max=limit) or call


def _check_service_tier(tier: object, allowed: tuple[str, ...]) -> ApiError | None:
    if tier is None:
        return None
    if tier not in SERVICE_TIERS:
        supported = ", ".join(f"'{t}'" for t in SERVICE_TIERS)
        shown = tier if isinstance(tier, str) else _kind(tier)
        return invalid_request(
            400, f"Invalid value: '{shown}'. Supported values are: {supported}.", "service_tier", "invalid_value"
        )
    if tier not in allowed:
        return invalid_request(400, wire.SERVICE_TIER_NOT_ALLOWED, "service_tier")
    return None


def _check_context(call: Call, explicit_max: int | None) -> ApiError | None:
    ctx = call.model.context_window
    if explicit_max is None or call.prompt_tokens > ctx:
        if call.prompt_tokens <= ctx:
            return None
        return invalid_request(
            400, wire.CONTEXT_CHAT.format(ctx=ctx, n=call.prompt_tokens), "messages", "context_length_exceeded"
        )
    total = call.prompt_tokens + explicit_max
    if total <= ctx:
        return None
    message = wire.CONTEXT_SPLIT.format(ctx=ctx, total=total, prompt=call.prompt_tokens, completion=explicit_max)
    return invalid_request(400, message, "messages", "context_length_exceeded")


def parse_embeddings(body: dict, world: World) -> Call | ApiError:
    model = resolve_model(body, world, "embedding")
    if isinstance(model, ApiError):
        return model
    raw = body.get("input")
    if raw is None:
        return _missing("input")
    inputs = raw if isinstance(raw, list) else [raw]
    if not inputs or any(not isinstance(x, (str, list)) or x == "" or x == [] for x in inputs):
        return _wrong_type("input", "a non-empty string or array", raw)
    if len(inputs) > MAX_EMBEDDING_INPUTS:
        return invalid_request(
            400,
            wire.ARRAY_TOO_LONG.format(param="input", limit=MAX_EMBEDDING_INPUTS, n=len(inputs)),
            "input",
            "array_above_max_length",
        )
    texts = [x if isinstance(x, str) else " ".join(str(t) for t in x) for x in inputs]
    token_counts = [estimate_tokens(x) if isinstance(x, str) else len(x) for x in inputs]
    if sum(token_counts) > MAX_EMBEDDING_TOKENS:
        return invalid_request(
            400, wire.EMBEDDING_TOKENS.format(n=sum(token_counts), limit=MAX_EMBEDDING_TOKENS), "input"
        )
    longest = max(token_counts)
    if longest > model.context_window:
        return invalid_request(
            400,
            wire.CONTEXT_EMBEDDINGS.format(ctx=model.context_window, n=longest),
        )
    fmt = body.get("encoding_format", "float")
    if fmt not in ("float", "base64"):
        shown = fmt if isinstance(fmt, str) else _kind(fmt)
        return invalid_request(
            400,
            f"Invalid value: '{shown}'. Supported values are: 'float' and 'base64'.",
            "encoding_format",
            "invalid_value",
        )
    dims = _int_param(body, "dimensions", 1, model.dimensions)
    if isinstance(dims, ApiError):
        return dims
    return Call(model, sum(token_counts), 0, 1, texts, fmt, dims or model.dimensions)


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


WORDS = (
    "retry backoff jitter limit bucket token request minute quota budget header server client wait window "
    "error status policy throttle success"
).split()


def reply_text(call: Call, choice: int) -> str:
    """A short, deterministic reply: the same prompt always gets the same words."""
    digest = _digest(call.model.id, str(choice), *call.texts)
    count = 6 + digest[0] % 9
    words = " ".join(WORDS[b % len(WORDS)] for b in digest[1 : 1 + count])
    return f"Simulated reply from {call.model.id}: {words}."


def choices(call: Call) -> list[tuple[str, int, str]]:
    """(text, tokens, finish_reason) for each choice, cut at max_tokens."""
    out = []
    for i in range(call.n):
        text = reply_text(call, i)
        tokens, finish = estimate_tokens(text), "stop"
        if tokens > call.max_tokens:
            text, tokens, finish = text[: call.max_tokens * CHARS_PER_TOKEN], call.max_tokens, "length"
        out.append((text, tokens, finish))
    return out


def chat_usage(prompt_tokens, used, total) -> dict:
    """The usage object of a chat completion (and of a stream's last chunk)."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": used,
        "total_tokens": total,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _chat_dict(completion_id, created, model, choices, prompt_tokens, used, total) -> dict:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": i,
                "message": {"role": "assistant", "content": text, "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": finish,
            }
            for i, (text, _, finish) in enumerate(choices)
        ],
        "usage": chat_usage(prompt_tokens, used, total),
        "service_tier": "default",
        "system_fingerprint": "fp_simulated",
    }


def _slot(name: str) -> str:
    return "\x00" + name


# The one-choice body, indented once; answers fill its slots (json.dumps with indent is pure Python and slow).
_ONE_CHOICE = json.dumps(
    _chat_dict(
        _slot("id"),
        _slot("created"),
        _slot("model"),
        [(_slot("content"), 0, _slot("finish"))],
        _slot("prompt"),
        _slot("used"),
        _slot("total"),
    ),
    indent=2,
)


def chat_json(call: Call, completion_id: str, created: int) -> tuple[str, int]:
    """The chat.completion body as the API sends it (2-space indented JSON), and the completion tokens used."""
    picked = choices(call)
    used = sum(tokens for _, tokens, _ in picked)
    if call.n != 1:
        body = _chat_dict(
            completion_id, created, call.model.id, picked, call.prompt_tokens, used, call.prompt_tokens + used
        )
        return json.dumps(body, indent=2), used
    text, _, finish = picked[0]
    slots = {
        "id": json.dumps(completion_id),
        "created": str(created),
        "model": json.dumps(call.model.id),
        "content": json.dumps(text),
        "finish": json.dumps(finish),
        "prompt": str(call.prompt_tokens),
        "used": str(used),
        "total": str(call.prompt_tokens + used),
    }
    body = _ONE_CHOICE
    for name, value in slots.items():
        body = body.replace('"\\u0000' + name + '"', value, 1)
    return body, used


@lru_cache(maxsize=4096)
def embedding_vector(model: str, text: str, dims: int) -> tuple[float, ...]:
    """A deterministic unit vector for the text: one draw of random bits, not one Gaussian per dimension, so a
    request of 2,048 inputs stays quick (the simulator answers one request at a time)."""
    bits = random.Random(_digest(model, text)).getrandbits(16 * dims).to_bytes(2 * dims, "little")
    vec = [v - 32767.5 for v in struct.unpack(f"<{dims}H", bits)]
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return tuple(round(v / norm, 6) for v in vec)


def embeddings_body(call: Call) -> dict:
    data = []
    for i, text in enumerate(call.texts):
        vec = embedding_vector(call.model.id, text, call.dimensions)
        if call.encoding_format == "base64":
            vec = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode("ascii")
        data.append({"object": "embedding", "index": i, "embedding": list(vec) if isinstance(vec, tuple) else vec})
    return {
        "object": "list",
        "data": data,
        "model": call.model.id,
        "usage": {"prompt_tokens": call.prompt_tokens, "total_tokens": call.prompt_tokens},
    }


def model_object(model: Model, created: int) -> dict:
    return {"id": model.id, "object": "model", "created": created, "owned_by": "system"}

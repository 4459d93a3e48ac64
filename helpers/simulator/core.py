"""The simulated OpenAI API: a plain function of (request, time) to response, with no I/O.

Adapters in `transport.py` and `server.py` carry it over httpx and over real HTTP. The order of checks
follows the real service: route, authentication, body, model, billing, rate limits, then faults.
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import random
import re
import string
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from ..clock import Clock, RealClock, VirtualClock
from ..world import World, load_world
from . import endpoints, streaming, wire
from .faults import Faults
from .limiter import Limiter
from .wire import ApiError, invalid_request

log = logging.getLogger(__name__)

OPENAI_VERSION = "2020-10-01"
DEFAULT_EPOCH = 1_790_000_000  # 'created' of the first answer in virtual time (September 2026)
MAX_BODY_BYTES = 2 * 1024 * 1024
SCOPES = {
    "chat": "model.request",
    "embeddings": "model.request",
    "responses": "model.request",
    "response": "model.request",
    "models": "api.model.read",
    "model": "api.model.read",
}
RATE_LIMIT_TYPES = ("requests", "tokens")  # error.type of the rate-limit 429s (billing 429s are insufficient_quota)
_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True)
class SimRequest:
    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)  # names in any case
    body: bytes = b""

    def __post_init__(self):
        object.__setattr__(self, "_lower", {k.lower(): v for k, v in self.headers.items()})

    def header(self, name: str) -> str | None:
        return self._lower.get(name.lower())


@dataclass
class SimResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    latency: float = 0.0  # seconds the server takes before answering
    drop: bool = False  # close the connection instead of answering
    stream: streaming.Stream | None = None  # a streamed body: its pieces replace `body`
    render: Callable[[], dict] | None = None  # a body to build once the simulator's lock is released
    request_id: str = ""
    payload: dict | None = None  # an error's body as data, so in-process callers need not parse `body` back

    def json(self):
        return json.loads(self.body) if self.payload is None else self.payload


class LogEntry(NamedTuple):
    """One request the simulator answered, for plots and for counting retries."""

    time: float
    method: str
    path: str
    key: str | None  # masked as the API masks keys
    org: str | None
    model: str | None
    status: int | None  # None when the connection was dropped
    code: str | None  # error.code of the answer (None for successes and for errors without a code)
    retry_count: int | None  # the SDK's x-stainless-retry-count
    request_id: str
    tokens: int = 0  # what the request was charged against TPM (prompt estimate + max_tokens × n)
    error_type: str | None = None  # error.type of the answer; "connection_dropped" when there was none
    stream: bool = False  # a streamed answer (text/event-stream)
    chunks: int = 0  # pieces of the stream the client received
    gave_up: str | None = None  # "timed_out" or "disconnected" when the client stopped reading early


class Simulator:
    """The simulated API over a world. Same seed and same requests at the same times give the same bytes."""

    def __init__(
        self,
        world: World | str | None = None,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        overload_style: str = "current",
        faults: dict[str, dict[str, float]] | None = None,
        count_rejected: bool = True,
        burst_fraction: float | None = None,
        billing_should_retry_header: bool = False,
        max_body_bytes: int = MAX_BODY_BYTES,
    ):
        if overload_style not in ("current", "legacy"):
            raise ValueError(f"overload_style must be 'current' or 'legacy', got {overload_style!r}")
        self.world = world if isinstance(world, World) else load_world(world)
        self.seed = seed
        self.clock = clock or VirtualClock()
        self.start = self.clock.now()
        self.wall_offset = 0.0 if isinstance(self.clock, RealClock) else DEFAULT_EPOCH - self.start
        self.faults = Faults(seed, self.start, legacy_overload=overload_style == "legacy", overrides=faults)
        self.limiter = Limiter(self.world, count_rejected=count_rejected, burst_fraction=burst_fraction)
        self.billing_should_retry_header = billing_should_retry_header
        self.max_body_bytes = max_body_bytes
        self.spend = {org.id: org.spend_usd for org in self.world.organizations.values()}
        self.project_spend = {p.id: p.spend_usd for p in self.world.projects.values()}
        self.log: list[LogEntry] = []
        self.stored: dict[str, dict] = {}  # Responses API: stored responses by id
        self._log_index: dict[str, int] = {}
        self.internal_errors = 0
        self._ids = random.Random(seed)
        self._lock = threading.Lock()

    # -- the one entry point -------------------------------------------------------------------------
    def handle(self, request: SimRequest, now: float | None = None) -> SimResponse:
        with self._lock:
            now = self.clock.now() if now is None else now
            request_id = f"req_{self._ids.getrandbits(128):032x}"
            ctx = _Context(request, now, request_id)
            try:
                response = self._answer(ctx)
            except Exception:  # a bug of ours must still look like the API, never a traceback
                log.exception("simulator failed on %s %s", request.method, request.path)
                self.internal_errors += 1
                response = self._error(ctx, wire.server_error(request_id))
            self.log.append(
                LogEntry(
                    now,
                    request.method,
                    ctx.path,
                    ctx.masked_key,
                    ctx.org,
                    ctx.model,
                    None if response.drop else response.status,
                    ctx.code,
                    _retry_count(request),
                    request_id,
                    ctx.tokens,
                    ctx.error_type,
                    response.stream is not None,
                    len(response.stream.pieces) if response.stream else 0,
                )
            )
            self._log_index[request_id] = len(self.log) - 1
            response.request_id = request_id
        if response.render is not None:
            response.body = json.dumps(response.render(), indent=2).encode()
            response.render = None
        return response

    # These two take no lock: the log only grows, one item assignment is atomic, and a stream can be closed by
    # the garbage collector in the middle of `handle`, on the thread that holds the lock.
    def entry(self, request_id: str) -> LogEntry | None:
        index = self._log_index.get(request_id)
        return self.log[index] if index is not None and index < len(self.log) else None

    def stream_ended(self, request_id: str, chunks: int, gave_up: str | None) -> None:
        """The adapters report how a stream went: pieces the client received, and whether it gave up."""
        index = self._log_index.get(request_id)
        if index is not None and index < len(self.log):
            self.log[index] = self.log[index]._replace(chunks=chunks, gave_up=gave_up)

    def reject(self, request: SimRequest, status: int, message: str) -> SimResponse:
        """An OpenAI-shaped answer to a request the HTTP layer could not even parse."""
        with self._lock:
            request_id = f"req_{self._ids.getrandbits(128):032x}"
            ctx = _Context(request, self.clock.now(), request_id)
            response = self._error(ctx, invalid_request(status, message))
            self.log.append(
                LogEntry(
                    ctx.now,
                    request.method,
                    ctx.path,
                    None,
                    None,
                    None,
                    status,
                    None,
                    None,
                    request_id,
                    0,
                    "invalid_request_error",
                )
            )
            return response

    # -- the pipeline --------------------------------------------------------------------------------
    def _answer(self, ctx: _Context) -> SimResponse:
        req = ctx.request
        if len(req.body) > self.max_body_bytes:
            message = wire.BODY_TOO_LARGE.format(size=len(req.body), limit=self.max_body_bytes)
            return self._error(ctx, invalid_request(413, message))
        route = self._route(ctx)
        if isinstance(route, ApiError):
            return self._error(ctx, route)
        key = self._authenticate(ctx, route)
        if isinstance(key, ApiError):
            return self._error(ctx, key)
        if route == "models":
            created = int(self.start + self.wall_offset)
            data = [endpoints.model_object(m, created) for m in self.world.models.values()]
            return self._ok(ctx, {"object": "list", "data": data})
        if route == "model":
            model = self.world.models.get(ctx.model_path)
            if model is None:
                return self._error(ctx, wire.model_not_found(ctx.model_path))
            ctx.model = model.id
            return self._ok(ctx, endpoints.model_object(model, int(self.start + self.wall_offset)))
        if route == "response":
            stored = self.stored.get(ctx.model_path)
            if stored is None:
                message = wire.RESPONSE_NOT_FOUND.format(response_id=ctx.model_path)
                return self._error(ctx, invalid_request(404, message))
            ctx.model = stored["model"]
            return self._ok(ctx, stored)
        return self._call_model(ctx, route)

    def _route(self, ctx: _Context) -> str | ApiError:
        method = ctx.request.method.upper()
        path = ctx.path
        if path in ("/v1/chat/completions", "/v1/embeddings", "/v1/responses"):
            expected, route = "POST", path.rsplit("/", 1)[1]
            route = "chat" if route == "completions" else route
        elif path.startswith("/v1/responses/") and len(path) > len("/v1/responses/"):
            expected, route = "GET", "response"
            ctx.model_path = unquote(path[len("/v1/responses/") :])
        elif path == "/v1/models":
            expected, route = "GET", "models"
        elif path.startswith("/v1/models/") and len(path) > len("/v1/models/"):
            expected, route = "GET", "model"
            ctx.model_path = unquote(path[len("/v1/models/") :])
        else:
            return invalid_request(404, wire.INVALID_URL.format(method=method, path=path))
        if method != expected:
            return invalid_request(405, wire.INVALID_METHOD.format(method=method, path=path))
        return route

    def _authenticate(self, ctx: _Context, route: str):
        header = (ctx.request.header("authorization") or "").strip()
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            return wire.missing_key()
        ctx.masked_key = wire.mask_key(secret)
        key = self.world.keys.get(secret)
        if key is None or key.revoked:
            return wire.incorrect_key(secret)
        if key.org is None:
            return wire.no_organization()
        asked_org = (ctx.request.header("openai-organization") or "").strip()
        if asked_org and asked_org not in self.world.organizations:
            return wire.invalid_organization()
        if asked_org and asked_org != key.org:
            return wire.mismatched_organization()
        ctx.org = key.org
        if self.world.users[key.user].country in self.world.unsupported_countries:
            return wire.unsupported_region()
        if SCOPES[route] not in key.scopes:
            return wire.insufficient_permissions(SCOPES[route])
        ctx.key = key
        return key

    def _call_model(self, ctx: _Context, route: str) -> SimResponse:
        try:
            body = json.loads(ctx.request.body) if ctx.request.body.strip() else None
        except (ValueError, UnicodeDecodeError, RecursionError):
            return self._error(ctx, invalid_request(400, wire.INVALID_JSON))
        if _SURROGATE.search(ctx.request.body) and _has_lone_surrogate(body):
            return self._error(ctx, invalid_request(400, wire.INVALID_UNICODE))
        if not isinstance(body, dict):
            return self._error(
                ctx,
                invalid_request(
                    400, wire.INVALID_JSON if body is None else "Invalid request body: expected a JSON object."
                ),
            )
        if isinstance(body.get("model"), str):
            ctx.model = body["model"]
        if route == "chat":
            call = endpoints.parse_chat(body, self.world, self.world.allowed_service_tiers)
        elif route == "responses":
            call = endpoints.parse_responses(body, self.world)
            previous = call.extra["previous_response_id"] if isinstance(call, endpoints.Call) else None
            if previous is not None and previous not in self.stored:
                message = wire.PREVIOUS_RESPONSE_NOT_FOUND.format(response_id=previous)
                call = invalid_request(400, message, "previous_response_id", "previous_response_not_found")
        else:
            call = endpoints.parse_embeddings(body, self.world)
        if isinstance(call, ApiError):
            if ctx.model in self.world.models:
                self.limiter.charge_failed(ctx.org, ctx.model, ctx.now)
                ctx.limited_model = ctx.model
            return self._error(ctx, call)
        ctx.limited_model = call.model.id
        ctx.tokens = call.rate_limit_tokens
        refusal = (
            self._billing(ctx)
            or self.faults.slow_down(call.model, ctx.org, ctx.now)
            or self.limiter.admit(ctx.org, call.model.id, call.rate_limit_tokens, ctx.now)
        )
        if refusal:
            if refusal.type == "insufficient_quota":
                ctx.limited_model = None  # billing 429s carry no rate-limit headers
            if refusal.type in RATE_LIMIT_TYPES and not ctx.key.retry_hint:
                refusal.headers = {}  # sk-demo-nohint: the real API only sometimes sends Retry-After
            if route == "responses" and call.stream and refusal.type == "tokens":
                return self._stream(ctx, route, call, streaming.Plan(rate_limit=refusal), 0.0)
            return self._error(ctx, refusal)
        outcome = self.faults.after_admission(call.model, ctx.now, ctx.request_id)
        if call.stream and not outcome.error:
            knobs = self.faults.knobs(call.model)
            after = knobs.get("midstream_error_after")
            plan = streaming.Plan()
            if outcome.drop:
                plan = streaming.Plan(error_after=int(after or 3), failure="drop")
            elif after:
                plan = streaming.Plan(error_after=int(after), failure="error")
            return self._stream(ctx, route, call, plan, outcome.latency)
        if outcome.drop:
            ctx.error_type = "connection_dropped"
            return SimResponse(0, {}, b"", latency=outcome.latency, drop=True)
        if outcome.error:
            response = self._error(ctx, outcome.error)
            response.latency = outcome.latency
            return response
        created = int(ctx.now + self.wall_offset)
        if route == "chat":
            payload, completion = endpoints.chat_json(call, self._completion_id(), created)
        elif route == "responses":
            spec = self._response_spec(call, created)
            payload, completion = streaming.final_response(spec)
            if spec.store:
                self.stored[spec.response_id] = payload
        else:  # the vectors are made after the lock is released (handle), so big requests block no one
            payload, completion = "", 0
        self._charge(ctx, call, completion)
        response = self._ok(ctx, payload, processing_ms=120 + 8 * completion)
        response.latency = outcome.latency
        if route == "embeddings":
            response.render = functools.partial(endpoints.embeddings_body, call)
        return response

    def _stream(self, ctx: _Context, route: str, call: endpoints.Call, plan: streaming.Plan, late: float):
        """A 200 with a streamed body. `late` (a slow model's latency) delays a chat stream's first chunk, and a
        Responses stream's first text (its response.created leaves at once, as the live service's does)."""
        created = int(ctx.now + self.wall_offset)
        knobs = self.faults.knobs(call.model)
        ttft = float(knobs.get("ttft_s", streaming.Timing.ttft))
        timing = streaming.Timing(
            ttft=ttft + late if route == "chat" else ttft,
            tokens_per_s=float(knobs.get("tokens_per_s", streaming.Timing.tokens_per_s)),
            first_delta_delay=0.0 if route == "chat" else late,
        )
        if route == "chat":
            spec = streaming.ChatStreamSpec(
                self._completion_id(),
                created,
                call.model.id,
                endpoints.choices(call),
                call.prompt_tokens,
                call.include_usage,
                call.include_obfuscation,
            )
            stream = streaming.chat_stream(spec, timing, plan, ctx.request_id)
        else:
            spec = self._response_spec(call, created)
            stream = streaming.response_stream(spec, timing, plan)
            if spec.store and plan.error_after is None and plan.rate_limit is None:
                self.stored[spec.response_id] = streaming.final_response(spec)[0]
        if plan.rate_limit is None:
            self._charge(ctx, call, stream.completion_tokens)
        response = self._ok(ctx, "", processing_ms=120)
        if plan.rate_limit is not None:  # the log tells what the stream ended with
            ctx.code, ctx.error_type = plan.rate_limit.code, plan.rate_limit.type
        elif plan.failure:
            ctx.error_type = "connection_dropped" if plan.failure == "drop" else "server_error"
        response.headers["content-type"] = "text/event-stream; charset=utf-8"
        response.stream = stream
        return response

    def _response_spec(self, call: endpoints.Call, created: int) -> streaming.ResponseSpec:
        suffix = f"{self._ids.getrandbits(192):048x}"
        return streaming.ResponseSpec(
            response_id="resp_" + suffix,
            message_id="msg_" + f"{self._ids.getrandbits(192):048x}",
            created_at=created,
            model=call.model.id,
            text=endpoints.reply_text(call, 0),
            limit_tokens=call.explicit_max,
            input_tokens=call.prompt_tokens,
            include_obfuscation=call.include_obfuscation,
            **call.extra,
        )

    def _billing(self, ctx: _Context) -> ApiError | None:
        org = self.world.organizations[ctx.org]
        error = None
        if org.limit_usd is not None and self.spend[org.id] >= org.limit_usd:
            error = wire.quota(org.billing_code)
        project = self.world.projects.get(ctx.key.project) if ctx.key.project else None
        if (
            error is None
            and project
            and project.limit_usd is not None
            and self.project_spend[project.id] >= project.limit_usd
        ):
            error = wire.quota("project_spend_limit_exceeded")
        if error and self.billing_should_retry_header:
            error.headers["x-should-retry"] = "false"
        return error

    def _charge(self, ctx: _Context, call: endpoints.Call, completion_tokens: int) -> None:
        usd = (
            call.prompt_tokens * call.model.usd_per_1m_input + completion_tokens * call.model.usd_per_1m_output
        ) / 1e6
        self.spend[ctx.org] += usd
        if ctx.key.project:
            self.project_spend[ctx.key.project] += usd

    # -- building responses --------------------------------------------------------------------------
    def _headers(self, ctx: _Context, processing_ms: int) -> dict[str, str]:
        headers = {
            "content-type": "application/json",
            "date": _http_date(int(ctx.now + self.wall_offset)),
            "x-request-id": ctx.request_id,
        }
        if ctx.org:
            headers["openai-organization"] = ctx.org
        headers["openai-processing-ms"] = str(processing_ms)
        headers["openai-version"] = OPENAI_VERSION
        if ctx.limited_model:
            headers["openai-model"] = ctx.limited_model
            headers.update(self.limiter.headers(ctx.org, ctx.limited_model, ctx.now))
        return headers

    def _ok(self, ctx: _Context, payload: dict | str, processing_ms: int = 25) -> SimResponse:
        ctx.code = None
        body = (payload if isinstance(payload, str) else json.dumps(payload, indent=2)).encode()
        return SimResponse(200, self._headers(ctx, processing_ms), body)

    def _error(self, ctx: _Context, error: ApiError) -> SimResponse:
        ctx.code, ctx.error_type = error.code, error.type
        headers = self._headers(ctx, processing_ms=4)
        headers.update(error.headers)
        payload = error.body()
        return SimResponse(error.status, headers, json.dumps(payload, indent=4).encode(), payload=payload)

    def _completion_id(self) -> str:
        return "chatcmpl-" + "".join(self._ids.choices(_ALNUM, k=29))


class _Context:
    """What the pipeline learned about one request so far."""

    def __init__(self, request: SimRequest, now: float, request_id: str):
        self.request = request
        self.now = now
        self.request_id = request_id
        self.path = request.path.split("?", 1)[0] or "/"
        self.masked_key: str | None = None
        self.key = None
        self.org: str | None = None
        self.model: str | None = None
        self.model_path = ""
        self.limited_model: str | None = None
        self.code: str | None = None
        self.error_type: str | None = None
        self.tokens = 0


@lru_cache(maxsize=4)
def _http_date(seconds: int) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


_SURROGATE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _has_lone_surrogate(body: object) -> bool:
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _retry_count(request: SimRequest) -> int | None:
    value = request.header("x-stainless-retry-count")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None

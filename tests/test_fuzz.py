"""Random and malformed requests get only OpenAI-shaped answers; the server stays healthy afterwards."""

from __future__ import annotations

import http.client
import json
import random
import socket

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.simulator import SimRequest, Simulator, connect

PATHS = [
    "/v1/chat/completions",
    "/v1/embeddings",
    "/v1/models",
    "/v1/models/gpt-4o-mini",
    "/v1/responses",
    "/v1/responses/resp_nope",
    "/v1/models/",
    "/v1/models/%ZZ",
    "/",
    "",
    "/v1",
    "/v2/chat/completions",
    "/v1/chat/completions?x=1",
    "//",
    "/v1/../etc",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "BREW"]
KEYS = [
    None,
    "",
    "Bearer",
    "Bearer ",
    "Bearer sk-demo-ok",
    "Bearer sk-demo-free",
    "Bearer sk-demo-broke",
    "Basic abc",
    "Bearer sk-demo-ok extra",
    "bearer sk-demo-ok",
    "Bearer " + "x" * 500,
    "Bearer sk-démo",
]
MODELS = [
    "gpt-4o-mini",
    "gpt-demo-flaky",
    "gpt-demo-busy",
    "gpt-demo-ramp",
    "gpt-demo-midstream",
    "gpt-demo-dropped",
    "text-embedding-3-small",
    "nope",
    7,
    None,
    [],
    {},
    "",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
chat_bodies = st.fixed_dictionaries(
    {"model": st.sampled_from(MODELS)},
    optional={
        "messages": st.one_of(
            json_values,
            st.lists(
                st.fixed_dictionaries(
                    {"role": st.sampled_from(["user", "system", "robot", 3, None])}, optional={"content": json_values}
                ),
                max_size=3,
            ),
        ),
        "max_tokens": json_values | st.integers(-5, 300_000),
        "max_completion_tokens": json_values,
        "n": st.integers(-2, 200) | json_values,
        "temperature": json_values,
        "stream": json_values | st.just(True),
        "stream_options": st.sampled_from([{"include_usage": True}, {"include_obfuscation": False}, 3]),
        "instructions": json_values,
        "max_output_tokens": json_values | st.integers(-2, 50),
        "previous_response_id": json_values,
        "store": json_values,
        "service_tier": st.sampled_from(["auto", "priority", "flex", "bogus", 1]),
        "input": json_values,
        "dimensions": json_values,
        "encoding_format": st.sampled_from(["float", "base64", "hex", None]),
    },
)
bodies = st.one_of(
    chat_bodies.map(lambda b: json.dumps(b).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"[" * 5000 + b"]" * 5000),
    chat_bodies.map(lambda b: json.dumps({**b, "messages": [{"role": "user", "content": "\ud800"}]}).encode()),
    st.sampled_from(["\\ud800", "\\uDFFF", "\\ud83d\\ude00", "\\ud83d"]).map(
        lambda u: (
            '{"model":"gpt-4o-mini","input":"' + u + '","messages":[{"role":"user","content":"' + u + '"}]}'
        ).encode()
    ),
)
header_sets = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.sampled_from([k for k in KEYS if k is not None]) | st.text(max_size=30),
        "OpenAI-Organization": st.sampled_from(["org-demo", "org-elsewhere", "org-nowhere", "", "ORG"]),
        "x-stainless-retry-count": st.sampled_from(["0", "1", "-3", "x", ""]),
        "Content-Type": st.sampled_from(["application/json", "text/plain", ""]),
    },
)


def assert_sse(headers, stream) -> None:
    """A streamed 200: every piece an SSE event whose data is JSON (or the chat's [DONE])."""
    assert headers["content-type"].startswith("text/event-stream")
    for _, piece in stream.pieces:
        text = piece.decode()
        assert text.endswith("\n\n")
        data = [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]
        assert len(data) == 1
        if data[0] != "[DONE]":
            json.loads(data[0])


def assert_openai_shaped(status: int, headers, body: bytes) -> None:
    assert 200 <= status < 600
    assert headers["content-type"] == "application/json"
    assert headers["x-request-id"].startswith("req_")
    payload = json.loads(body)
    if status == 200:
        assert "error" not in payload
        return
    error = payload["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert isinstance(error["message"], str) and isinstance(error["type"], str)
    assert error["param"] is None or isinstance(error["param"], str)
    assert error["code"] is None or isinstance(error["code"], str)


@settings(max_examples=2500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    method=st.sampled_from(METHODS) | st.text(max_size=8),
    path=st.sampled_from(PATHS) | st.text(max_size=30),
    headers=header_sets,
    body=bodies,
    now=st.floats(0, 10**7, allow_nan=False),
)
def test_the_core_answers_anything_like_the_api(method, path, headers, body, now):
    sim = _shared_sim()
    response = sim.handle(SimRequest(method, path, headers, body), now=max(now, sim.log[-1].time if sim.log else 0))
    if response.drop:
        return
    if response.stream is not None:
        assert_sse(response.headers, response.stream)
    else:
        assert_openai_shaped(response.status, response.headers, response.body)
    assert sim.internal_errors == 0


_SIM: list[Simulator] = []


def _shared_sim() -> Simulator:
    """One simulator across examples, so state (buckets, spend, faults) accumulates as under real traffic."""
    if not _SIM:
        _SIM.append(Simulator(seed=3))
    return _SIM[0]


def _raw_exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /v1/models HTTP/9.9\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer sk-demo-ok\r\n\r\n"
    b'5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n',
    b"GET /v1/models HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n",
    b"GET /v1/models HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",
    b"GET " + b"/v1/" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(40)) + b"\r\n\r\n",  # a TLS hello
]


def test_the_server_survives_malformed_http_and_random_requests(server):
    port = server.server_address[1]
    for payload in MALFORMED:
        answer = _raw_exchange(port, payload)
        if not answer:
            continue  # the connection was closed before a request line arrived: nothing to answer
        head, _, body = answer.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
        headers = {k.decode().lower(): v.decode() for k, v in headers.items()}
        assert_openai_shaped(status, headers, body)

    rng = random.Random(11)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(1000):
        method = rng.choice(["GET", "POST", "POST", "DELETE", "PUT"])
        path = rng.choice(PATHS[:6])
        headers = {"Authorization": rng.choice([k for k in KEYS if k])}
        body = json.dumps(
            {
                "model": rng.choice(MODELS[:5]),
                "messages": rng.choice([[{"role": "user", "content": "hi"}], "oops", [], None]),
                "max_tokens": rng.choice([5, -1, "x", None]),
                "input": "hi",
                "stream": rng.random() < 0.2,
            }
        )
        if rng.random() < 0.2:
            body = body[: rng.randrange(len(body))]
        conn.request(method, path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        payload = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        if headers["content-type"].startswith("text/event-stream"):
            for event in payload.split(b"\n\n")[:-1]:
                data = event.split(b"data: ", 1)[1]
                assert data == b"[DONE]" or isinstance(json.loads(data), dict)
            continue
        assert_openai_shaped(response.status, headers, payload)
        if response.getheader("connection") == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()

    assert server.simulator.internal_errors == 0
    healthy = connect(server.base_url, "sk-demo-ok", max_retries=0).models.retrieve("gpt-4o-mini")
    assert healthy.id == "gpt-4o-mini"

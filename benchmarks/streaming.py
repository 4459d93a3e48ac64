"""Streams over loopback: chunks per second that 8 clients read from the served simulator, against a minimal
server that writes the same stream bytes at once (no pacing, no simulator)."""

from __future__ import annotations

import http.client
import json
import tempfile
import threading
import time
from pathlib import Path

from .common import CHAT_BODY, report, unlimited_world_dict
from .server import _serve

CLIENTS, PER_CLIENT = 8, 100
STREAM_BODY = {**CHAT_BODY, "stream": True}

MINIMAL_STREAM_SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = open(sys.argv[2], "rb").read()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        head = f"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {len(BODY)}\r\n\r\n"
        self.wfile.write(head.encode() + BODY)

    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def _fast_world() -> dict:
    """The unlimited world with streams unpaced: no time to first token, no wait between pieces."""
    raw = unlimited_world_dict()
    raw["models"]["gpt-4o-mini"]["faults"] = {"ttft_s": 0, "tokens_per_s": 1e9}
    return raw


def _load(port: int) -> float:
    """Chunks (SSE events) per second read by CLIENTS threads, each streaming PER_CLIENT times on one connection."""
    body = json.dumps(STREAM_BODY).encode()
    headers = {"Authorization": "Bearer sk-demo-ok", "Content-Type": "application/json"}
    counts, errors = [], []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        chunks = 0
        for _ in range(PER_CLIENT):
            conn.request("POST", "/v1/chat/completions", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(str(response.status))
            chunks += data.count(b"data: ")
        counts.append(chunks)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} streams failed, e.g. {errors[0]}")
    return sum(counts) / elapsed


def _sample_stream(world: dict) -> bytes:
    from helpers.simulator import SimRequest, Simulator
    from helpers.world import world_from_dict

    sim = Simulator(world_from_dict(world))
    request = SimRequest(
        "POST", "/v1/chat/completions", {"Authorization": "Bearer sk-demo-ok"}, json.dumps(STREAM_BODY).encode()
    )
    return b"".join(piece for _, piece in sim.handle(request).stream.pieces)


def run() -> None:
    world = _fast_world()
    with tempfile.TemporaryDirectory() as tmp:
        world_file = Path(tmp, "world.json")
        world_file.write_text(json.dumps(world))
        script, body = Path(tmp, "minimal_stream_server.py"), Path(tmp, "stream.txt")
        script.write_text(MINIMAL_STREAM_SERVER)
        body.write_bytes(_sample_stream(world))
        results = {}
        for name, make_args in (
            ("minimal", lambda p: [str(script), str(p), str(body)]),
            ("simulator", lambda p: ["-m", "helpers.simulator", "serve", "--port", str(p), "--world", str(world_file)]),
        ):
            proc, port = _serve(make_args)
            try:
                _load(port)  # warm-up round, not counted
                results[name] = _load(port)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    report(
        "server_stream_chunks_per_s",
        results["simulator"],
        "chunks/s",
        results["minimal"],
        f"a minimal server writing the same stream in one piece ({results['minimal']:.0f} chunks/s), {CLIENTS} clients",
    )


if __name__ == "__main__":
    run()

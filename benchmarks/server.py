"""The real HTTP server under 8 concurrent keep-alive clients, against a minimal server on the same stack."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .common import CHAT_BODY, report, unlimited_world_dict

CLIENTS, PER_CLIENT = 8, 400
ROOT = Path(__file__).resolve().parent.parent

MINIMAL_SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = open(sys.argv[2], "rb").read()
CONTENT_TYPE = sys.argv[3] if len(sys.argv) > 3 else "application/json"

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        head = (f"HTTP/1.1 200 OK\r\ncontent-type: {CONTENT_TYPE}\r\ncontent-length: {len(BODY)}\r\n\r\n").encode()
        self.wfile.write(head + BODY)

    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start within 20 s")


def _load(port: int, request: dict = CHAT_BODY, per_client: int = PER_CLIENT, units=lambda data: 1) -> float:
    """Units per second (by default answers) from CLIENTS threads, each sending `per_client` requests on one
    connection; `units(body)` counts what one answer is worth."""
    body = json.dumps(request).encode()
    headers = {"Authorization": "Bearer sk-demo-ok", "Content-Type": "application/json"}
    errors: list[str] = []
    counts: list[int] = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_client):
            conn.request("POST", "/v1/chat/completions", body=body, headers=headers)
            response = conn.getresponse()
            counts.append(units(response.read()))
            if response.status != 200:
                errors.append(str(response.status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. {errors[0]}")
    return sum(counts) / elapsed


def _serve(args: list[str]) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, *args(port)] if callable(args) else args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_until_up(port, proc)
    return proc, port


def measure_servers(servers: dict, load) -> dict[str, float]:
    """Start each server (name: its arguments for a port), warm it up, then measure `load(port)` once."""
    results = {}
    for name, make_args in servers.items():
        proc, port = _serve(make_args)
        try:
            load(port)  # warm-up round, not counted
            results[name] = load(port)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return results


def against_minimal(world: dict, sample, load, content_type: str = "application/json") -> dict[str, float]:
    """`load` on the simulator serving `world`, and on the minimal server answering `sample(world)` every time."""
    with tempfile.TemporaryDirectory() as tmp:
        world_file, script, body = Path(tmp, "world.json"), Path(tmp, "minimal_server.py"), Path(tmp, "body")
        world_file.write_text(json.dumps(world))
        script.write_text(MINIMAL_SERVER)
        body.write_bytes(sample(world))
        simulator = ["-m", "helpers.simulator", "serve", "--world", str(world_file), "--port"]
        return measure_servers(
            {
                "minimal": lambda p: [str(script), str(p), str(body), content_type],
                "simulator": lambda p: [*simulator, str(p)],
            },
            load,
        )


def run() -> None:
    results = against_minimal(unlimited_world_dict(), _sample_body, _load)
    report(
        "server_rps",
        results["simulator"],
        "req/s",
        results["minimal"],
        f"minimal ThreadingHTTPServer with a canned answer ({results['minimal']:.0f} req/s), {CLIENTS} clients",
    )


def _sample_body(world: dict) -> bytes:
    from helpers.simulator import SimRequest, Simulator
    from helpers.world import world_from_dict

    sim = Simulator(world_from_dict(world))
    request = SimRequest(
        "POST", "/v1/chat/completions", {"Authorization": "Bearer sk-demo-ok"}, json.dumps(CHAT_BODY).encode()
    )
    return sim.handle(request).body


if __name__ == "__main__":
    run()

"""The simulator as a real HTTP server on 127.0.0.1, with the real clock, serving concurrent clients.

Use it to point any HTTP client (curl, the SDK, another language) at the simulated API. Malformed HTTP
gets an OpenAI-shaped JSON error, not the standard library's HTML page.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..clock import RealClock
from .core import SimRequest, SimResponse, Simulator
from .wire import BODY_TOO_LARGE

DISCARD_LIMIT = 64 * 1024 * 1024  # beyond this we answer 413 without reading the body at all


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "simulated-openai"
    sys_version = ""
    disable_nagle_algorithm = True
    server: SimulatorServer

    def __getattr__(self, name: str):
        if name.startswith("do_"):  # every method goes to the simulator, which answers 404 or 405
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        simulator = self.server.simulator
        request = SimRequest(self.command, self.path, dict(self.headers.items()))
        body = self._read_body(simulator, request)
        if isinstance(body, SimResponse):
            self._write(body)
            return
        response = simulator.handle(SimRequest(self.command, self.path, request.headers, body))
        simulator.clock.sleep(response.latency)
        if response.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._write(response)

    def _read_body(self, simulator: Simulator, request: SimRequest) -> bytes | SimResponse:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked(simulator, request)
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            return simulator.reject(request, 400, f"Invalid Content-Length header: {raw!r}.")
        if length > simulator.max_body_bytes:
            return self._too_large(simulator, request, length)
        return self.rfile.read(length)

    def _read_chunked(self, simulator: Simulator, request: SimRequest) -> bytes | SimResponse:
        chunks, total = [], 0
        try:
            while True:
                size = int(self.rfile.readline(100).split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(1000) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > simulator.max_body_bytes:
                    return self._too_large(simulator, request, total, discard=False)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(10)
        except ValueError:
            self.close_connection = True
            return simulator.reject(request, 400, "Malformed chunked request body.")

    def _too_large(self, simulator: Simulator, request: SimRequest, size: int, discard: bool = True) -> SimResponse:
        """Refuse the body; read it away first (without keeping it) so the client can read our answer."""
        self.close_connection = True
        remaining = size if discard and size <= DISCARD_LIMIT else 0
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        return simulator.reject(request, 413, BODY_TOO_LARGE.format(size=size, limit=simulator.max_body_bytes))

    def _write(self, response: SimResponse) -> None:
        """Status line, headers and body in one write: no Nagle delay between them."""
        phrase = self.responses.get(response.status, ("",))[0]
        lines = [f"{self.protocol_version} {response.status} {phrase}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        lines.append(f"content-length: {len(response.body)}")
        if self.close_connection:
            lines.append("connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed request line or headers: answer like the API would, in JSON."""
        self.close_connection = True
        self.request_version = self.protocol_version  # answer with a status line even to garbage
        path = getattr(self, "path", "") or "/"
        request = SimRequest(getattr(self, "command", None) or "GET", path if path.startswith("/") else "/")
        status = code if 400 <= code < 500 else 400
        self._write(self.server.simulator.reject(request, status, f"Bad request: {message or 'malformed HTTP'}."))

    def log_message(self, format: str, *args) -> None:  # the simulator keeps its own log
        pass


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0):
        self.simulator = simulator
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"


def make_server(
    simulator: Simulator | None = None, *, host: str = "127.0.0.1", port: int = 0, seed: int = 0, **options
) -> SimulatorServer:
    """A server for the default world on the real clock; port 0 picks a free port."""
    simulator = simulator or Simulator(seed=seed, clock=RealClock(), **options)
    return SimulatorServer(simulator, host, port)


@contextmanager
def running_server(simulator: Simulator | None = None, **kwargs):
    """Serve in a background thread for the duration of a `with` block; yields the server."""
    server = make_server(simulator, **kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

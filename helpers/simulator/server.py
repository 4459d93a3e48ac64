"""The simulator as a real HTTP server on 127.0.0.1, with the real clock, serving concurrent clients.

Use it to point any HTTP client (curl, the SDK, another language) at the simulated API. Malformed HTTP
gets an OpenAI-shaped JSON error, not the standard library's HTML page.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..clock import RealClock
from .core import SimRequest, SimResponse, Simulator
from .wire import BODY_TOO_LARGE

DISCARD_LIMIT = 64 * 1024 * 1024  # beyond this we answer 413 without reading the body at all
log = logging.getLogger(__name__)
IDLE_TIMEOUT_S = 30  # a connection that sends nothing for this long is closed


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "simulated-openai"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_S
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
            self._hang_up()
        elif response.stream is not None:
            self._write_stream(response, request)
        else:
            self._write(response)
        self.server.record(response.request_id)

    def _hang_up(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _client_left(self, seconds: float) -> bool:
        """Wait `seconds` (real time), watching the socket: True as soon as the client has closed it."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], min(left, 0.25))
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return True
                except OSError:
                    return True
                time.sleep(min(left, 0.05))  # a pipelined request waits its turn
        return False

    def _write_stream(self, response: SimResponse, request: SimRequest) -> None:
        """Headers, then each piece as an HTTP chunk after its delay; a dropped stream ends without the last
        chunk. A client that leaves is logged as having given up: timed out when it left during a gap longer
        than the read timeout it announced (x-stainless-read-timeout), else disconnected."""
        simulator, stream = self.server.simulator, response.stream
        phrase = self.responses.get(response.status, ("",))[0]
        lines = [f"{self.protocol_version} {response.status} {phrase}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        lines.append("transfer-encoding: chunked")
        sent, gave_up = 0, None
        try:
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            for delay, data in stream.pieces:
                if delay >= 0.001 and self._client_left(delay):  # shorter waits: just write
                    gave_up = _gave_up(request, delay)
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                sent += 1
            else:
                if stream.drop:
                    self._hang_up()
                else:
                    self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client closed the connection: one quiet log line, no traceback
            gave_up = "disconnected"
        if gave_up:
            self.close_connection = True
        simulator.stream_ended(response.request_id, sent, gave_up)

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


def _gave_up(request: SimRequest, gap: float) -> str:
    try:
        announced = float(request.header("x-stainless-read-timeout") or "inf")
    except ValueError:
        announced = float("inf")
    return "timed_out" if gap > announced else "disconnected"


def log_line(entry) -> str:
    """One request of the log as a JSON line: what `serve --log-file` writes."""
    return json.dumps(
        {
            "time": round(entry.time, 3),
            "method": entry.method,
            "path": entry.path,
            "key": entry.key,
            "model": entry.model,
            "stream": entry.stream,
            "status": entry.status,
            "code": entry.code,
            "error_type": entry.error_type,
            "retry_count": entry.retry_count,
            "chunks": entry.chunks,
            "gave_up": entry.gave_up,
            "request_id": entry.request_id,
        }
    )


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0, log_file=None):
        self.simulator = simulator
        self.log_file = log_file  # an open text file, or None
        self._log_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def record(self, request_id: str) -> None:
        if self.log_file is None or not request_id:
            return
        entry = self.simulator.entry(request_id)
        if entry is not None:
            with self._log_lock:
                self.log_file.write(log_line(entry) + "\n")
                self.log_file.flush()

    def handle_error(self, request, client_address) -> None:
        """A client that vanished is not our failure: one quiet log line, no traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.info("client %s:%s disconnected", *client_address[:2])
            return
        super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"


def make_server(
    simulator: Simulator | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 0,
    log_file=None,
    **options,
) -> SimulatorServer:
    """A server for the default world on the real clock; port 0 picks a free port."""
    simulator = simulator or Simulator(seed=seed, clock=RealClock(), **options)
    return SimulatorServer(simulator, host, port, log_file=log_file)


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

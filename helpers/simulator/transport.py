"""The simulator as an httpx transport, in-process: no socket, works on Binder and anywhere.

Slow answers and dropped connections are played out here, on the simulator's clock, so httpx (and the
SDK above it) see a real `ReadTimeout` or `RemoteProtocolError`.
"""

from __future__ import annotations

import httpx

from .core import SimRequest, SimResponse, Simulator

BASE_URL = "https://simulated.openai.invalid/v1"  # .invalid never resolves: nothing can leak to a real host


def _to_sim(request: httpx.Request, body: bytes) -> SimRequest:
    return SimRequest(request.method, request.url.raw_path.decode("ascii", "replace"), dict(request.headers), body)


def _read_timeout(request: httpx.Request) -> float | None:
    return (request.extensions.get("timeout") or {}).get("read")


DROPPED_MID_STREAM = "peer closed connection without sending complete message body (incomplete chunked read)"


class _Pieces:
    """A streamed body played out on the simulator's clock: each piece after its delay; a gap longer than the
    read timeout is a `ReadTimeout`, a dropped stream a `RemoteProtocolError`, as httpx raises them."""

    def __init__(self, simulator: Simulator, response: SimResponse, request: httpx.Request):
        self.simulator, self.response, self.request = simulator, response, request
        self.timeout = _read_timeout(request)
        self.sent = 0
        self.gave_up: str | None = "disconnected"  # until the last piece is read

    def _step(self, delay: float) -> float:
        """The wait before the next piece; raises ReadTimeout (after waiting the timeout) when too late."""
        if self.timeout is not None and delay > self.timeout:
            self.gave_up = "timed_out"
            return -self.timeout
        return delay

    def _count(self) -> None:
        self.sent += 1
        if self.sent == len(self.response.stream.pieces) and not self.response.stream.drop:
            self.gave_up = None  # the client has it all, even if it stops reading at [DONE]

    def _end(self) -> None:
        if self.response.stream.drop:
            self.gave_up = None
            raise _after_headers(httpx.RemoteProtocolError(DROPPED_MID_STREAM, request=self.request))
        self.gave_up = None

    def close(self) -> None:
        if self.response.request_id:
            self.simulator.stream_ended(self.response.request_id, self.sent, self.gave_up)
            self.response.request_id = ""


def _after_headers(error: httpx.TransportError) -> httpx.TransportError:
    """Mark a transport error raised while a stream was read: the SDK had the 200 already and will not retry."""
    error.after_headers = True
    return error


class _SyncPieces(_Pieces, httpx.SyncByteStream):
    def __iter__(self):
        clock = self.simulator.clock
        for delay, data in self.response.stream.pieces:
            wait = self._step(delay)
            clock.sleep(abs(wait))
            if wait < 0:
                raise _after_headers(httpx.ReadTimeout("The read operation timed out", request=self.request))
            self._count()
            yield data
        self._end()


class _AsyncPieces(_Pieces, httpx.AsyncByteStream):
    async def __aiter__(self):
        clock = self.simulator.clock
        for delay, data in self.response.stream.pieces:
            wait = self._step(delay)
            await clock.asleep(abs(wait))
            if wait < 0:
                raise _after_headers(httpx.ReadTimeout("The read operation timed out", request=self.request))
            self._count()
            yield data
        self._end()

    async def aclose(self) -> None:
        self.close()


def _to_httpx(response: SimResponse, request: httpx.Request, simulator: Simulator, asynchronous=False):
    headers = list(response.headers.items())
    if response.stream is not None:
        pieces = (_AsyncPieces if asynchronous else _SyncPieces)(simulator, response, request)
        return httpx.Response(response.status, headers=headers, stream=pieces, request=request)
    return httpx.Response(response.status, headers=headers, content=response.body, request=request)


class SimulatorTransport(httpx.BaseTransport):
    def __init__(self, simulator: Simulator):
        self.simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.simulator.handle(_to_sim(request, request.read()))
        clock, timeout = self.simulator.clock, _read_timeout(request)
        if timeout is not None and response.latency > timeout:
            clock.sleep(timeout)
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        clock.sleep(response.latency)
        if response.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return _to_httpx(response, request, self.simulator)


class AsyncSimulatorTransport(httpx.AsyncBaseTransport):
    def __init__(self, simulator: Simulator):
        self.simulator = simulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = self.simulator.handle(_to_sim(request, await request.aread()))
        clock, timeout = self.simulator.clock, _read_timeout(request)
        if timeout is not None and response.latency > timeout:
            await clock.asleep(timeout)
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        await clock.asleep(response.latency)
        if response.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return _to_httpx(response, request, self.simulator, asynchronous=True)


def http_client(simulator: Simulator, **kwargs) -> httpx.Client:
    """A plain httpx client whose requests go to the simulator: `client.post("/chat/completions", ...)`."""
    return httpx.Client(transport=SimulatorTransport(simulator), base_url=BASE_URL, **kwargs)


def async_http_client(simulator: Simulator, **kwargs) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncSimulatorTransport(simulator), base_url=BASE_URL, **kwargs)

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


def _to_httpx(response: SimResponse, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        response.status, headers=list(response.headers.items()), content=response.body, request=request
    )


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
        return _to_httpx(response, request)


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
        return _to_httpx(response, request)


def http_client(simulator: Simulator, **kwargs) -> httpx.Client:
    """A plain httpx client whose requests go to the simulator: `client.post("/chat/completions", ...)`."""
    return httpx.Client(transport=SimulatorTransport(simulator), base_url=BASE_URL, **kwargs)


def async_http_client(simulator: Simulator, **kwargs) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncSimulatorTransport(simulator), base_url=BASE_URL, **kwargs)

"""The simulated OpenAI API: the core (`Simulator`), its httpx transports, SDK clients and HTTP server."""

from .core import LogEntry, SimRequest, SimResponse, Simulator
from .sdk import SimulatedAsyncOpenAI, SimulatedOpenAI, connect, make_async_client, make_client
from .transport import BASE_URL, AsyncSimulatorTransport, SimulatorTransport, async_http_client, http_client
from .wire import mask_key

__all__ = [
    "BASE_URL",
    "AsyncSimulatorTransport",
    "LogEntry",
    "SimRequest",
    "SimResponse",
    "SimulatedAsyncOpenAI",
    "SimulatedOpenAI",
    "Simulator",
    "SimulatorTransport",
    "async_http_client",
    "connect",
    "http_client",
    "make_async_client",
    "make_client",
    "mask_key",
]

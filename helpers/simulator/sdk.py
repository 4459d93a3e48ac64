"""The official `openai` SDK wired to the simulator, with its own retries played out in virtual time.

The SDK sleeps between retries with `time.sleep` / `anyio.sleep` and offers no clock to inject, so these
subclasses send that one sleep to the simulator's clock instead. Everything else is the SDK's own code:
the retry decision, the Retry-After handling and the backoff schedule.
"""

from __future__ import annotations

import functools
import random
import threading
from collections.abc import Mapping
from contextlib import contextmanager

import httpx
import openai
from openai import _base_client

from .core import Simulator
from .transport import BASE_URL, AsyncSimulatorTransport, SimulatorTransport, async_http_client, http_client

_JITTER_LOCK = threading.Lock()


@contextmanager
def _seeded_sdk_jitter(rng: random.Random):
    """Let the SDK draw its backoff jitter from our seeded generator, so runs repeat exactly."""
    if not hasattr(_base_client, "random"):
        yield
        return
    with _JITTER_LOCK:
        saved = _base_client.random
        _base_client.random = rng.random
        try:
            yield
        finally:
            _base_client.random = saved


class _VirtualRetries:
    simulator: Simulator
    retry_sleeps: list[float]

    def _attach(self, simulator: Simulator, seed: int) -> None:
        self.simulator = simulator
        self.retry_sleeps = []
        self._jitter = random.Random(seed)

    def _retry_delay(self, retries_taken: int, max_retries: int, options, response) -> float:
        headers = response.headers if response is not None else None
        with _seeded_sdk_jitter(self._jitter):
            delay = self._calculate_retry_timeout(max_retries - retries_taken, options, headers)
        self.retry_sleeps.append(delay)
        # the SDK's own INFO line (logger "openai._base_client"), so OPENAI_LOG=info shows retries as usual
        _base_client.log.info("Retrying request in %f seconds (retry %i of %s)", delay, retries_taken + 1, max_retries)
        return delay

    @property
    def user_agent(self) -> str:
        """What the SDK sends: `OpenAI/Python x.y.z` or `AsyncOpenAI/Python x.y.z`, not our subclass's name."""
        base = "AsyncOpenAI" if isinstance(self, openai.AsyncOpenAI) else "OpenAI"
        return f"{base}/Python {self._version}"

    def copy(self, *args, **kwargs):
        clone = super().copy(*args, **kwargs)
        clone._attach(self.simulator, self._jitter.randrange(2**32))
        clone.retry_sleeps = self.retry_sleeps  # one record per simulator, whichever copy slept
        return clone

    with_options = copy


class SimulatedOpenAI(_VirtualRetries, openai.OpenAI):
    """`openai.OpenAI` whose retry sleeps advance the simulator's clock."""

    def _sleep_for_retry(self, *, retries_taken, max_retries, options, response) -> None:
        self.simulator.clock.sleep(self._retry_delay(retries_taken, max_retries, options, response))


class SimulatedAsyncOpenAI(_VirtualRetries, openai.AsyncOpenAI):
    """`openai.AsyncOpenAI` whose retry sleeps advance the simulator's clock."""

    async def _sleep_for_retry(self, *, retries_taken, max_retries, options, response) -> None:
        await self.simulator.clock.asleep(self._retry_delay(retries_taken, max_retries, options, response))


def _client_kwargs(key: str | None, organization: str | None, extra: dict) -> dict:
    # The SDK refuses to start without a key; with key=None we give it a placeholder and strip the header
    # on the way out (see _without_authorization), so the wire carries no key at all.
    return dict(api_key=key or "no-key", organization=organization, base_url=BASE_URL, **extra)


def _ignore_environment(client, organization: str | None):
    """The SDK fills organization and project from OPENAI_ORG_ID / OPENAI_PROJECT_ID when not given; a
    learner's real settings must not leak into simulated requests."""
    client.organization = organization
    client.project = None
    return client


def _without_authorization(request) -> None:
    request.headers.pop("Authorization", None)


async def _async_without_authorization(request) -> None:
    _without_authorization(request)


def _hooks(key: str | None, strip, event_hooks: Mapping[str, list] | None = None) -> dict:
    """httpx `event_hooks`: the caller's, after `strip` when key is None, so every hook sees what is sent."""
    hooks = {name: list(functions) for name, functions in (event_hooks or {}).items()}
    if key is None:
        hooks["request"] = [strip, *hooks.get("request", [])]
    return {"event_hooks": hooks} if hooks else {}


def make_client(
    key: str | None = "sk-demo-ok",
    simulator: Simulator | None = None,
    *,
    organization: str | None = None,
    max_retries: int = 2,
    seed: int = 0,
    event_hooks: Mapping[str, list] | None = None,
    **kwargs,
) -> SimulatedOpenAI:
    """An `openai.OpenAI` client talking to the simulator in-process. `client.simulator` is the simulator.

    `event_hooks` are httpx's (`{"request": [...], "response": [...]}`): a way to watch the wire.
    """
    simulator = simulator or Simulator(seed=seed)
    client = SimulatedOpenAI(
        http_client=http_client(simulator, **_hooks(key, _without_authorization, event_hooks)),
        max_retries=max_retries,
        **_client_kwargs(key, organization, kwargs),
    )
    client._attach(simulator, seed)
    return _ignore_environment(client, organization)


def make_async_client(
    key: str | None = "sk-demo-ok",
    simulator: Simulator | None = None,
    *,
    organization: str | None = None,
    max_retries: int = 2,
    seed: int = 0,
    event_hooks: Mapping[str, list] | None = None,
    **kwargs,
) -> SimulatedAsyncOpenAI:
    """The async twin of `make_client` (its event hooks are async functions)."""
    simulator = simulator or Simulator(seed=seed)
    client = SimulatedAsyncOpenAI(
        http_client=async_http_client(simulator, **_hooks(key, _async_without_authorization, event_hooks)),
        max_retries=max_retries,
        **_client_kwargs(key, organization, kwargs),
    )
    client._attach(simulator, seed)
    # The async SDK looks up the platform in a worker thread on its first request; a real thread would let
    # virtual time jump while it runs, so we look it up here, once, and the same seed gives the same run.
    client._platform = _platform()
    return _ignore_environment(client, organization)


@functools.lru_cache(maxsize=1)
def _platform():
    return _base_client.get_platform()


def connect(base_url: str, key: str | None = "sk-demo-ok", *, asynchronous: bool = False, **kwargs):
    """A plain `openai.OpenAI` (or `AsyncOpenAI`) for a simulator served over HTTP, on the real clock."""
    organization = kwargs.pop("organization", None)
    options = {**_client_kwargs(key, organization, kwargs), "base_url": base_url}
    if asynchronous:
        client = openai.AsyncOpenAI(
            http_client=httpx.AsyncClient(**_hooks(key, _async_without_authorization)), **options
        )
    else:
        client = openai.OpenAI(http_client=httpx.Client(**_hooks(key, _without_authorization)), **options)
    return _ignore_environment(client, organization)


__all__ = [
    "AsyncSimulatorTransport",
    "SimulatedAsyncOpenAI",
    "SimulatedOpenAI",
    "SimulatorTransport",
    "connect",
    "make_async_client",
    "make_client",
]

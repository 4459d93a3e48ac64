"""Shared fixtures: a fresh simulator, a real server on 127.0.0.1, and SDK clients for either."""

from __future__ import annotations

import pytest

from helpers.simulator import Simulator, connect, make_async_client, make_client
from helpers.simulator.server import running_server


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=0)


@pytest.fixture
def server():
    with running_server(seed=0) as srv:
        yield srv


def sdk_client(
    where: str,
    flavour: str,
    *,
    key="sk-demo-ok",
    organization=None,
    simulator_options=None,
    max_retries=0,
    stack=None,
    **kwargs,
):
    """An SDK client for `where` in ('inprocess', 'server') and `flavour` in ('sync', 'async').

    For 'server', `stack` (an ExitStack) owns the server's lifetime.
    """
    options = simulator_options or {}
    if where == "inprocess":
        factory = make_client if flavour == "sync" else make_async_client
        return factory(key, Simulator(seed=0, **options), organization=organization, max_retries=max_retries, **kwargs)
    srv = stack.enter_context(running_server(seed=0, **options))
    return connect(
        srv.base_url, key, organization=organization, max_retries=max_retries, asynchronous=flavour == "async", **kwargs
    )

"""The demo errors the checks show to a learner's function, each one fresh from the simulator."""

from __future__ import annotations

import openai

MESSAGES = [{"role": "user", "content": "Hello from the checker"}]


def demo_client(key, simulator=None, **options):
    """A simulated client without the SDK's own retries, so that each request is exactly one on the wire."""
    from ..simulator import Simulator, make_client

    return make_client(key, simulator or Simulator(), max_retries=0, **options)


def last_error(client, *, model="gpt-4o-mini", times=1, **body):
    """Send `times` chat requests and return the exception of the last one (None if it succeeded)."""
    error = None
    for _ in range(times):
        try:
            client.chat.completions.create(model=model, messages=MESSAGES, **body)
            error = None
        except openai.APIError as exc:  # status errors, timeouts and dropped connections alike
            error = exc
    return error


def demo_error(key, model="gpt-4o-mini", *, organization=None, times=1, **body):
    """The exception a fresh simulator answers for `key` and `model` (after `times` requests)."""
    return last_error(demo_client(key, organization=organization), model=model, times=times, **body)

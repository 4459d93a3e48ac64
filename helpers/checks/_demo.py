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


def demo_error(key, model="gpt-4o-mini", *, organization=None, times=1, simulator=None, **body):
    """The exception a fresh simulator (or `simulator`) answers for `key` and `model` (after `times` requests)."""
    client = demo_client(key, simulator, organization=organization)
    return last_error(client, model=model, times=times, **body)


def fresh_secret(rng, length=None) -> str:
    """A key the learner has never seen: `sk-` and random letters and digits."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "sk-" + "".join(rng.choice(alphabet) for _ in range(length or rng.randint(12, 48)))


SPECIAL_KEYS = ("sk-demo-revoked", "sk-demo-no-org", "sk-demo-readonly", "sk-demo-abroad")


def fresh_world(rng, demo_keys=SPECIAL_KEYS):
    """The demo world plus a fresh copy of each of `demo_keys` (by default the special ones: revoked, no
    organization, read-only, abroad), under new names. Returns (world, {demo key: its fresh twin})."""
    import dataclasses

    from ..world import load_world

    world = load_world()
    twins = {demo: fresh_secret(rng) for demo in demo_keys}
    keys = dict(world.keys)
    for demo, twin in twins.items():
        keys[twin] = dataclasses.replace(world.keys[demo], secret=twin)
    return dataclasses.replace(world, keys=keys), twins

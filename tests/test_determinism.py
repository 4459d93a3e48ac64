"""Same seed and the same requests at the same times: byte-identical responses."""

from __future__ import annotations

import json
import random

from helpers.simulator import SimRequest, Simulator


def _requests(n: int, seed: int):
    rng = random.Random(seed)
    keys = ["sk-demo-ok", "sk-demo-free", "sk-demo-broke", "sk-demo-typo", None]
    models = ["gpt-4o-mini", "gpt-demo-flaky", "gpt-demo-busy", "gpt-demo-ramp", "text-embedding-3-small", "nope"]
    now = 0.0
    for _ in range(n):
        now += rng.expovariate(5.0)
        model = rng.choice(models)
        key = rng.choice(keys)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        if model.startswith("text-"):
            path, body = "/v1/embeddings", {"model": model, "input": f"text {rng.random()}", "dimensions": 8}
        else:
            path, body = (
                "/v1/chat/completions",
                {
                    "model": model,
                    "n": rng.randint(1, 2),
                    "max_tokens": rng.choice([5, 50, 500]),
                    "messages": [{"role": "user", "content": "x" * rng.randint(1, 400)}],
                },
            )
        yield now, SimRequest("POST", path, headers, json.dumps(body).encode())


def _run(seed: int):
    sim = Simulator(seed=seed)
    out = []
    for now, request in _requests(600, seed=99):
        r = sim.handle(request, now=now)
        out.append((r.status, tuple(r.headers.items()), r.body, r.drop, r.latency))
    return out


def test_same_seed_gives_byte_identical_responses():
    first, second = _run(5), _run(5)
    assert first == second
    assert len({status for status, *_ in first}) >= 5, "the sequence exercises many kinds of answer"


def test_another_seed_changes_ids_and_faults():
    assert _run(5) != _run(6)

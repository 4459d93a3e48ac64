"""Streams over loopback: chunks per second that 8 clients read from the served simulator, against a minimal
server that writes the same stream bytes at once (no pacing, no simulator)."""

from __future__ import annotations

import json

from . import server
from .common import CHAT_BODY, report, unlimited_world_dict

CLIENTS, PER_CLIENT = 8, 100
STREAM_BODY = {**CHAT_BODY, "stream": True}


def _fast_world() -> dict:
    """The unlimited world with streams unpaced: no time to first token, no wait between pieces."""
    raw = unlimited_world_dict()
    raw["models"]["gpt-4o-mini"]["faults"] = {"ttft_s": 0, "tokens_per_s": 1e9}
    return raw


def _load(port: int) -> float:
    """Chunks (SSE events) per second read by CLIENTS threads, each streaming PER_CLIENT times on one connection."""
    return server._load(port, STREAM_BODY, PER_CLIENT, units=lambda data: data.count(b"data: "))


def _sample_stream(world: dict) -> bytes:
    from helpers.simulator import SimRequest, Simulator
    from helpers.world import world_from_dict

    sim = Simulator(world_from_dict(world))
    request = SimRequest(
        "POST", "/v1/chat/completions", {"Authorization": "Bearer sk-demo-ok"}, json.dumps(STREAM_BODY).encode()
    )
    return b"".join(piece for _, piece in sim.handle(request).stream.pieces)


def run() -> None:
    results = server.against_minimal(_fast_world(), _sample_stream, _load, "text/event-stream")
    report(
        "server_stream_chunks_per_s",
        results["simulator"],
        "chunks/s",
        results["minimal"],
        f"a minimal server writing the same stream in one piece ({results['minimal']:.0f} chunks/s), {CLIENTS} clients",
    )


if __name__ == "__main__":
    run()

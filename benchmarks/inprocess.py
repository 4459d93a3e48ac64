"""The in-process path: httpx + the simulator transport, and the official SDK on top of it."""

from __future__ import annotations

import httpx
import openai

from helpers.simulator import Simulator, make_client
from helpers.simulator.transport import BASE_URL, SimulatorTransport

from .common import CHAT_BODY, best_rates, report, unlimited_world

COUNT = 3000


class CannedTransport(httpx.BaseTransport):
    """The least a transport can do: read the request, return a fixed answer of the same size."""

    def __init__(self, response_body: bytes, headers: dict[str, str]):
        self.body, self.headers = response_body, list(headers.items())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, headers=self.headers, content=self.body, request=request)


def run() -> None:
    sim = Simulator(unlimited_world(), seed=0)
    auth = {"Authorization": "Bearer sk-demo-ok"}
    sim_client = httpx.Client(transport=SimulatorTransport(sim), base_url=BASE_URL)
    sample = sim_client.post("/chat/completions", json=CHAT_BODY, headers=auth)
    assert sample.status_code == 200, sample.text
    bare_client = httpx.Client(transport=CannedTransport(sample.content, dict(sample.headers)), base_url=BASE_URL)

    def via(client):
        return lambda: client.post("/chat/completions", json=CHAT_BODY, headers=auth)

    rates = best_rates({"bare": via(bare_client), "sim": via(sim_client)}, COUNT)
    report(
        "sim_inprocess_ratio",
        rates["sim"] / rates["bare"],
        "x",
        1.0,
        f"httpx+canned-transport {rates['bare']:.0f} req/s vs httpx+simulator {rates['sim']:.0f} req/s",
    )

    sdk = make_client("sk-demo-ok", Simulator(unlimited_world(), seed=0))
    canned_sdk = openai.OpenAI(
        api_key="sk-demo-ok",
        base_url=BASE_URL,
        http_client=httpx.Client(transport=CannedTransport(sample.content, dict(sample.headers))),
    )
    rates = best_rates(
        {
            "canned": lambda: canned_sdk.chat.completions.create(**CHAT_BODY),
            "sim": lambda: sdk.chat.completions.create(**CHAT_BODY),
        },
        COUNT,
    )
    report(
        "sim_sdk_rps",
        rates["sim"],
        "req/s",
        rates["canned"],
        f"the same SDK over a canned transport ({rates['canned']:.0f} req/s), the SDK's own ceiling",
    )

    stream_body = {**CHAT_BODY, "stream": True}

    def streamed():
        for _ in sdk.chat.completions.create(**stream_body):
            pass

    rates = best_rates({"plain": lambda: sdk.chat.completions.create(**CHAT_BODY), "stream": streamed}, COUNT // 2)
    # What the SDK itself needs to parse the same chunks: the same stream bytes from a canned transport.
    stream_sample = sim_client.post("/chat/completions", json=stream_body, headers=auth)
    canned_stream_sdk = openai.OpenAI(
        api_key="sk-demo-ok",
        base_url=BASE_URL,
        http_client=httpx.Client(transport=CannedTransport(stream_sample.content, dict(stream_sample.headers))),
    )

    def canned_streamed():
        for _ in canned_stream_sdk.chat.completions.create(**stream_body):
            pass

    rates["canned_stream"] = best_rates({"canned_stream": canned_streamed}, COUNT // 2)["canned_stream"]
    report(
        "sim_stream_vs_canned",
        rates["stream"],
        "req/s",
        rates["canned_stream"],
        f"the same SDK reading the same stream from a canned transport ({rates['canned_stream']:.0f} req/s)",
    )
    report(
        "sim_stream_rps",
        rates["stream"],
        "req/s",
        rates["plain"],
        f"non-streamed SDK requests to the same simulator in this run ({rates['plain']:.0f} req/s); target >= 0.5",
    )


if __name__ == "__main__":
    run()

"""The simulator's own behaviour: success bodies, headers, accounting, the log, and bad configuration."""

from __future__ import annotations

import json

import openai
import pytest

from helpers.simulator import SimRequest, Simulator, endpoints, make_client
from helpers.world import DEFAULT_WORLD_PATH, load_world, world_from_dict

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.mark.parametrize(
    "n, content, max_tokens",
    [
        (1, "Hello", 50),
        (1, 'quotes " and \\ and ünïcödé 🙂 and \u0000', 3),
        (3, "Hi", 50),
        (2, "x" * 999, 1),
    ],
)
def test_chat_body_is_exactly_indented_json(n, content, max_tokens):
    world = load_world()
    call = endpoints.parse_chat(
        {"model": "gpt-4o-mini", "n": n, "max_tokens": max_tokens, "messages": [{"role": "user", "content": content}]},
        world,
        ("auto",),
    )
    text, used = endpoints.chat_json(call, "chatcmpl-abc", 1_790_000_000)
    body = json.loads(text)
    assert text == json.dumps(body, indent=2)
    assert body["usage"]["completion_tokens"] == used
    assert body["usage"]["total_tokens"] == call.prompt_tokens + used
    assert len(body["choices"]) == n
    assert all(c["finish_reason"] in ("stop", "length") for c in body["choices"])


def test_sdk_parses_success_bodies_and_replies_are_deterministic():
    client = make_client()
    first = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=50, n=2)
    again = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=50, n=2)
    assert first.object == "chat.completion" and first.id.startswith("chatcmpl-") and len(first.id) == 38
    assert [c.message.content for c in first.choices] == [c.message.content for c in again.choices]
    assert first.choices[0].message.content != first.choices[1].message.content
    assert first.usage.prompt_tokens == 2  # "Hello" is 5 characters: ceil(5 / 4)


def test_embeddings_in_float_and_base64_through_the_sdk():
    client = make_client()
    default = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])  # SDK asks for base64
    floats = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"], encoding_format="float")
    assert len(default.data) == 2 and len(default.data[0].embedding) == 1536
    assert default.data[0].embedding == pytest.approx(floats.data[0].embedding, abs=1e-6)
    short = client.embeddings.create(model="text-embedding-3-small", input="a", dimensions=8)
    assert len(short.data[0].embedding) == 8


def test_models_list_and_retrieve():
    client = make_client()
    ids = [m.id for m in client.models.list()]
    assert "gpt-4o-mini" in ids and "gpt-demo-flaky" in ids
    assert client.models.retrieve("gpt-demo-busy").id == "gpt-demo-busy"
    with pytest.raises(openai.NotFoundError) as info:
        client.models.retrieve("gpt-nope")
    assert info.value.code == "model_not_found"


def test_rate_limit_headers_report_the_buckets():
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=HELLO, max_tokens=10)
    h = raw.headers
    assert (h["x-ratelimit-limit-requests"], h["x-ratelimit-limit-tokens"]) == ("3", "40000")
    assert h["x-ratelimit-remaining-requests"] == "2"
    assert h["x-ratelimit-remaining-tokens"] == str(40000 - 2 - 10)
    assert h["x-ratelimit-reset-requests"] == "20s"  # one request refills in 60 s / 3
    assert h["x-ratelimit-reset-tokens"] == "18ms"  # 12 tokens at 40000 per minute
    assert h["openai-organization"] == "org-demo-free" and h["openai-model"] == "gpt-4o-mini"


def test_free_tier_fourth_request_message_is_exact():
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert info.value.body["message"] == (
        "Rate limit reached for gpt-4o-mini in organization org-demo-free on requests per min (RPM): Limit 3, "
        "Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to "
        "learn more. You can increase your rate limit by adding a payment method to your account at "
        "https://platform.openai.com/account/billing."
    )
    headers = info.value.response.headers
    assert (headers["retry-after"], headers["retry-after-ms"]) == ("20", "20000")


def test_failed_requests_count_against_requests_per_minute():
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=0)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)


def test_spend_is_accounted_until_the_hard_limit():
    raw = json.loads(DEFAULT_WORLD_PATH.read_text())
    raw["organizations"]["org-demo"]["limit_usd"] = 0.0001
    sim = Simulator(world_from_dict(raw))
    client = make_client("sk-demo-ok", sim, max_retries=0)
    calls = 0
    with pytest.raises(openai.RateLimitError) as info:
        while calls < 1000:
            client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x" * 400}])
            calls += 1
    assert info.value.code == "insufficient_quota"
    assert 0 < calls < 1000 and sim.spend["org-demo"] >= 0.0001
    assert "x-ratelimit-limit-requests" not in info.value.response.headers


def test_log_records_every_answer_with_masked_keys():
    sim = Simulator()
    make_client("sk-demo-ok", sim).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(openai.AuthenticationError):
        make_client("sk-proj-averyrealisticlookingsecret1234", sim).models.list()
    ok, bad = sim.log
    assert (ok.status, ok.key, ok.org, ok.model, ok.retry_count, ok.code) == (
        200,
        "sk-demo-ok",
        "org-demo",
        "gpt-4o-mini",
        0,
        None,
    )
    assert bad.key == "sk-proj-" + "*" * 27 + "1234" and bad.code == "invalid_api_key"
    assert "averyrealistic" not in repr(sim.log)


def test_overload_window_follows_the_clock():
    sim = Simulator()
    client = make_client("sk-demo-ok", sim, max_retries=0)
    with pytest.raises(openai.InternalServerError) as info:
        client.chat.completions.create(model="gpt-demo-busy", messages=HELLO)
    assert info.value.response.headers["retry-after"] == "5"
    sim.clock.advance(5.0)
    client.chat.completions.create(model="gpt-demo-busy", messages=HELLO)
    sim.clock.advance(10.0)  # t = 15 s: the next busy window
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="gpt-demo-busy", messages=HELLO)


def test_flaky_model_fails_about_one_in_five():
    sim = Simulator(seed=1)
    statuses = [
        sim.handle(
            SimRequest(
                "POST",
                "/v1/chat/completions",
                {"Authorization": "Bearer sk-demo-ok"},
                json.dumps({"model": "gpt-demo-flaky", "messages": HELLO}).encode(),
            ),
            now=i * 0.5,
        ).status
        for i in range(400)
    ]
    assert 0.14 < statuses.count(500) / len(statuses) < 0.26
    assert set(statuses) == {200, 500}


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(overload_style="ancient"), "overload_style"),
        (dict(faults={"gpt-4o-mini": {"explode": 1}}), "unknown fault knob"),
    ],
)
def test_bad_options_are_refused_clearly(options, message):
    with pytest.raises(ValueError, match=message):
        Simulator(**options)


def test_inconsistent_world_is_refused_clearly():
    raw = json.loads(DEFAULT_WORLD_PATH.read_text())
    raw["keys"]["sk-demo-ok"]["org"] = "org-missing"
    with pytest.raises(ValueError, match="org-missing"):
        world_from_dict(raw)
    del raw["models"]
    with pytest.raises(ValueError, match="missing required key 'models'"):
        world_from_dict(raw)


def test_per_day_limits_quote_waits_in_hours():
    raw = json.loads(DEFAULT_WORLD_PATH.read_text())
    raw["tiers"]["tier-1"]["limits"]["default"] = {"rpm": 100, "tpm": 100000, "rpd": 2, "tpd": 1000}
    client = make_client("sk-demo-ok", Simulator(world_from_dict(raw)), max_retries=0)
    for _ in range(2):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=10)
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=10)
    assert (
        "on requests per day (RPD): Limit 2, Used 2, Requested 1. Please try again in 12h0m0s."
        in info.value.body["message"]
    )
    assert info.value.type == "requests" and info.value.response.headers["retry-after"] == "43200"
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=2000)
    assert info.value.body["message"].startswith(
        "Request too large for gpt-4o-mini in organization org-demo on tokens per day (TPD): Limit 1000"
    )


def test_the_quoted_wait_is_enough_even_when_the_refusal_counts():
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    sim.clock.advance(10.0)  # half a request has refilled; the refused request spends it
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    wait = int(info.value.response.headers["retry-after-ms"]) / 1000
    assert "Please try again in 20s." in info.value.body["message"] and wait == 20.0
    sim.clock.advance(wait)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)


def test_quantized_limits_never_crash_on_tiny_limits():
    raw = json.loads(DEFAULT_WORLD_PATH.read_text())
    raw["tiers"]["free"]["limits"]["default"] = {"rpm": 20, "tpm": 40000}
    sim = Simulator(world_from_dict(raw), burst_fraction=1 / 60)
    client = make_client("sk-demo-free", sim, max_retries=0)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # one request fits at once
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert info.value.response.headers["retry-after"] == "3"  # 20 per minute: one every 3 s
    assert sim.internal_errors == 0

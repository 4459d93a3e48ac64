"""The error catalog (`data/catalog.json`): one entry per error, with how to trigger it in the demo world.

Tests, widgets and notebooks iterate over it; `trigger` reproduces an entry with the official SDK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .datafile import DATA_DIR, check, display, read_json, schema

CATALOG_PATH = DATA_DIR / "catalog.json"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Entry:
    id: str
    original_guide: bool
    status: int | None
    type: str | None
    code: str | None
    param: str | None
    sdk_exception: str
    retryable: bool
    sdk_retries: bool
    message: str  # the wire message; {placeholders} stand for parts that vary (request id, waits)
    trigger: dict[str, Any]
    title: dict[str, str]
    cause: dict[str, str]
    fix: dict[str, str]
    retry: dict[str, str]

    def text(self, field: str, lang: str = "en") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
        return getattr(self, field)[lang]

    def message_pattern(self) -> re.Pattern:
        """The message as a regex: placeholders match anything, the rest must match exactly."""
        parts = re.split(r"\{[a-z_]+\}", self.message)
        return re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z")


@lru_cache(maxsize=4)
def load_catalog(path: str | Path | None = None) -> tuple[Entry, ...]:
    """The catalog's entries, checked against `data/schema/catalog.schema.json` (once: the result is cached)."""
    path = Path(path or CATALOG_PATH)
    raw = read_json(path)
    check(raw, schema("catalog"), display(path))
    return tuple(Entry(**entry) for entry in raw["entries"])


def get_entry(entry_id: str) -> Entry:
    for entry in load_catalog():
        if entry.id == entry_id:
            return entry
    known = ", ".join(e.id for e in load_catalog())
    raise KeyError(f"no catalog entry {entry_id!r}; known entries: {known}")


def client_options(entry: Entry) -> dict[str, Any]:
    """Keyword arguments for a client that reproduces the entry (key, organization, timeout)."""
    trig = entry.trigger
    options = {"key": trig.get("key"), "organization": trig.get("organization")}
    if "timeout" in trig:
        options["timeout"] = trig["timeout"]
    return options


def _request(entry: Entry) -> tuple[str, str, bytes | None, dict | None]:
    trig = entry.trigger
    body = trig.get("json")
    if "prompt_chars" in trig:  # a long prompt, made here rather than stored in the catalog
        body = {**body, "messages": [{"role": "user", "content": "x" * trig["prompt_chars"]}]}
    path = trig.get("path", "/v1/chat/completions")
    content = None
    if "raw_body_bytes" in trig:
        content = b"x" * trig["raw_body_bytes"]
    elif "raw_body" in trig:
        content = trig["raw_body"].encode()
    return trig.get("method", "POST"), path.removeprefix("/v1"), content, body


def _send(client, entry: Entry):
    method, path, content, body = _request(entry)
    if method == "GET":
        return client.get(path, cast_to=object)
    if content is not None:
        return client.post(path, cast_to=object, content=content)
    if entry.trigger.get("low_level"):  # the SDK's typed methods would refuse this body before sending it
        return client.post(path, cast_to=object, body=body)
    if path == "/chat/completions":
        return client.chat.completions.create(**body)
    if path == "/embeddings":
        return client.embeddings.create(**body)
    return client.post(path, cast_to=object, body=body)


def trigger(entry: Entry, client) -> Exception | None:
    """Send the entry's request(s) with an `openai.OpenAI` client; return what the last one raised."""
    error = None
    for _ in range(entry.trigger.get("repeat", 1)):
        try:
            _send(client, entry)
            error = None
        except Exception as exc:  # the point is to catch whatever the SDK raises
            error = exc
    return error


async def atrigger(entry: Entry, client) -> Exception | None:
    """The same with an `openai.AsyncOpenAI` client."""
    error = None
    for _ in range(entry.trigger.get("repeat", 1)):
        try:
            await _send(client, entry)
            error = None
        except Exception as exc:
            error = exc
    return error

"""The error catalog (`data/catalog.json`): one entry per error, with how to trigger it in the demo world.

Tests, widgets and notebooks iterate over it; `trigger` reproduces an entry with the official SDK.
An entry names the simulator's text in `helpers/simulator/wire.py` (`wire`) rather than copying it, so
the catalog says what the simulator sends, word for word, even after a wording change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import openai

from .datafile import DATA_DIR, DataError, check, display, read_json, schema
from .i18n import language

CATALOG_PATH = DATA_DIR / "catalog.json"
LANGUAGES = ("en", "zh")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


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

    def text(self, field: str, lang: str | None = None) -> str:
        """The entry's `field` (title, cause, fix, retry) in `lang`, by default the language the course speaks."""
        lang = language() if lang is None else lang
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
        return getattr(self, field)[lang]

    def message_pattern(self) -> re.Pattern:
        """The message as a regex: placeholders match anything, the rest must match exactly."""
        parts = PLACEHOLDER.split(self.message)[::2]  # split keeps the captured names at odd positions
        return re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z")


@lru_cache(maxsize=4)
def load_catalog(path: str | Path | None = None) -> tuple[Entry, ...]:
    """The catalog's entries, checked against `data/schema/catalog.schema.json` and with their wire texts filled in."""
    path = Path(path or CATALOG_PATH)
    source = display(path)
    texts = _wire_texts()
    catalog_schema = schema("catalog")
    catalog_schema["$defs"]["wire_name"]["enum"] = sorted(texts)  # a wire name must exist in wire.py
    raw = read_json(path)
    check(raw, catalog_schema, source)
    entries = []
    for entry in raw["entries"]:
        entry = dict(entry)
        if "wire" in entry:
            where = f"{source}: entries[id={entry['id']}].fill"
            entry["message"] = _fill(entry.pop("wire"), entry.pop("fill", {}), texts, where)
        entries.append(Entry(**entry))
    return tuple(entries)


def _wire_texts() -> dict[str, str]:
    """The texts `helpers/simulator/wire.py` defines, by name (imported here, when the catalog is first loaded)."""
    from .simulator import wire

    return {name: value for name, value in vars(wire).items() if name.isupper() and isinstance(value, str)}


def _fill(names: str | list[str], fill: dict[str, str | int], texts: dict[str, str], where: str) -> str:
    """The named wire texts, joined, with the placeholders the trigger fixes filled in and the others kept."""
    names = [names] if isinstance(names, str) else names
    text = "".join(texts[name] for name in names)
    known = PLACEHOLDER.findall(text)
    unknown = [key for key in fill if key not in known]
    if unknown:
        raise DataError(
            f"{where}: unknown placeholder {', '.join(map(repr, unknown))} "
            f"({' + '.join(names)} has: {', '.join(known) or 'none'})"
        )
    return PLACEHOLDER.sub(lambda m: str(fill.get(m[1], m[0])), text)


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
        if trig.get("path") == "/v1/responses":
            body = {**body, "input": "x" * trig["prompt_chars"]}
        else:
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
    if path == "/responses":
        return client.responses.create(**body)
    if path == "/embeddings":
        return client.embeddings.create(**body)
    return client.post(path, cast_to=object, body=body)


def trigger(entry: Entry, client) -> Exception | None:
    """Send the entry's request(s) with an `openai.OpenAI` client; return what the last one raised."""
    error = None
    for _ in range(entry.trigger.get("repeat", 1)):
        try:
            answer = _send(client, entry)
            if isinstance(answer, openai.Stream):  # errors after the 200 come while the stream is read
                for _ in answer:
                    pass
            error = None
        except Exception as exc:  # the point is to catch whatever the SDK raises
            error = exc
    return error


async def atrigger(entry: Entry, client) -> Exception | None:
    """The same with an `openai.AsyncOpenAI` client."""
    error = None
    for _ in range(entry.trigger.get("repeat", 1)):
        try:
            answer = await _send(client, entry)
            if isinstance(answer, openai.AsyncStream):
                async for _ in answer:
                    pass
            error = None
        except Exception as exc:
            error = exc
    return error

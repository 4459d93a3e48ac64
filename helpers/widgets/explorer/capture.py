"""The HTTP exchange as the explorer shows it: httpx event hooks keep the last request and its response, and
snapshots turn them into plain dicts, with the Authorization secret masked and bodies cut to a limit, so
that no real key can land in what is shown and a huge body cannot flood the page."""

from __future__ import annotations

import json
from typing import Any

from ...simulator.wire import mask_key

BODY_LIMIT = 2_000  # characters of a body shown before it is cut


def mask_authorization(value: str) -> str:
    """An Authorization header value with its secret masked as the API masks keys."""
    scheme, space, secret = value.strip().partition(" ")
    if not space:
        return mask_key(scheme)
    return f"{scheme} {mask_key(secret.strip())}"


def _headers(headers) -> list[tuple[str, str]]:
    """Header pairs as sent, with the Authorization value masked."""
    pairs = []
    for raw_name, raw_value in headers.raw:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name.lower() == "authorization":
            value = mask_authorization(value)
        pairs.append((name, value))
    return pairs


def _body_text(content: bytes) -> tuple[str, int]:
    """A body as text to show (pretty JSON when it is JSON, cut at BODY_LIMIT) and its full length."""
    if not content:
        return "", 0
    raw = content.decode("utf-8", "replace")
    try:
        pretty = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        pretty = raw
    return pretty[:BODY_LIMIT], len(pretty)


def _content(message) -> bytes:
    try:
        return message.content
    except Exception:  # a stream nobody read: read it now
        try:
            return message.read()
        except Exception:
            return b""


def _snapshot(message, line: str) -> dict[str, Any]:
    """What requests and responses share: the first line, the headers and the body."""
    body, total = _body_text(_content(message))
    return {
        "line": line,
        "headers": _headers(message.headers),
        "body": body,
        "body_chars": total,
        "truncated": total > len(body),
    }


def snapshot_request(request) -> dict[str, Any]:
    path = request.url.raw_path.decode("ascii", "replace")
    return {
        "method": request.method,
        "url": str(request.url),
        "path": path,
        **_snapshot(request, f"{request.method} {path} HTTP/1.1"),
    }


def snapshot_response(response) -> dict[str, Any]:
    version = getattr(response, "http_version", None) or "HTTP/1.1"
    line = f"{version} {response.status_code} {response.reason_phrase}".rstrip()
    return {"status": response.status_code, "reason": response.reason_phrase, **_snapshot(response, line)}


class Recorder:
    """httpx event hooks (`make_client(event_hooks=recorder.hooks)`) that keep the last request and its
    response (None when none came back)."""

    def __init__(self):
        self.request = None
        self.response = None
        self.attempts = 0
        self.hooks = {"request": [self._on_request], "response": [self._on_response]}

    def _on_request(self, request) -> None:
        self.request, self.response = request, None
        self.attempts += 1

    def _on_response(self, response) -> None:
        self.response = response

    def exchange(self) -> dict[str, Any] | None:
        """The last exchange as plain data: request, response (None when none came) and attempts; None when
        nothing was sent. Take it once the call is over, when the bodies have been read."""
        if self.request is None:
            return None
        response = None if self.response is None else snapshot_response(self.response)
        return {"request": snapshot_request(self.request), "response": response, "attempts": self.attempts}


__all__ = ["BODY_LIMIT", "Recorder", "mask_authorization", "snapshot_request", "snapshot_response"]

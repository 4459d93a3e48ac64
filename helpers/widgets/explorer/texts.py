"""The explorer's words: its English texts, by id, and the way to any of them (or a verdict's reason) in a
language. Translations live in `data/translations/` under the same ids (namespaces "explorer" and "reasons");
English stays here, next to the code that uses it, and is what shows when a translation is missing."""

from __future__ import annotations

from typing import Any

from ...i18n import translate
from ...retry.classify import REASONS, Verdict

#: The explorer's own texts in English, by id; `{placeholders}` are filled by `text`.
TEXTS: dict[str, str] = {
    "language": "Language",
    "mode": "Show",
    "mode.catalog": "A catalog entry",
    "mode.custom": "Your own request",
    "entry": "Error",
    "key": "API key",
    "key.placeholder": "empty = no Authorization header",
    "model": "Model",
    "model.placeholder": "e.g. gpt-4o-mini",
    "organization": "Organization",
    "organization.placeholder": "optional, e.g. org-demo",
    "hint": (
        "Your request is one chat completion (“{prompt}”) sent to the simulated API, never to OpenAI. "
        "Use demo keys only, never a real one. Keys to try: {keys}, or leave the key empty. "
        "Models to try: {models}, or any name the world does not know. "
        "Press Enter or leave a field to send."
    ),
    "raw": "Raw HTTP exchange",
    "request": "Request",
    "response": "Response",
    "no.body": "(no body)",
    "truncated": "… [cut here: showing the first {shown:,} of {total:,} characters]",
    "no.response.timeout": (
        "No response: the client stopped waiting (read timeout after {seconds} s) before "
        "the server answered. So there is no status line, no headers and no body."
    ),
    "no.response.connection": (
        "No response: the connection closed before any answer arrived. So there is "
        "no status line, no headers and no body."
    ),
    "no.response.short": "No response",
    "no.response": "No response was received, so there is no status line, no headers and no body.",
    "no.request": "The SDK raised before sending anything, so there is no HTTP exchange to show.",
    "repeat": "This entry sends {n} requests in a row on a fresh simulator; the exchange below is the last one.",
    "exception": "SDK exception",
    "raised": "The SDK raised:",
    "attribute": "attribute",
    "value": "value",
    "caused.by": "caused by",
    "success": "Success",
    "success.text": "Status {status}: no error. The model replied:",
    "success.retry": "Nothing failed, so there is nothing to retry.",
    "not.reproduced": (
        "This time the request did not fail: this fault is drawn by chance from the seed "
        "({seed}). The catalog texts below still describe the error."
    ),
    "cause": "Cause",
    "fix": "Fix",
    "retry": "Can a retry help?",
    "retry.yes": "Yes, a retry can help",
    "retry.no": "No, a retry cannot help",
    "retry.after": "The server suggests waiting {seconds} s before the next try (Retry-After).",
    "catalog.says": "The catalog says: ",
    "sdk.retries.helpful": "The official SDK retries this error by itself (2 retries by default).",
    "sdk.retries.wasted": (
        "The official SDK retries it anyway (2 more tries by default), which cannot help: catch it and stop instead."
    ),
    "sdk.no.retries": "The official SDK does not retry it.",
    "matched": "The closest catalog entry is “{title}” (matched on status, type and code).",
    "also": "Other entries with the same status, type and code: {titles}.",
    "no.match": (
        "No catalog entry matches this error (status {status}, type {type}, code {code}), so there "
        "is no cause or fix to show."
    ),
    "msg.pick": "Pick an error from the list.",
    "msg.unknown.entry": "There is no catalog entry {value}. Pick one from the list; still showing the last one.",
    "msg.unknown.language": "The language {value} is not available: choose en (English) or zh (中文).",
    "msg.unknown.mode": "There is no mode {value}: choose catalog or custom.",
    "msg.model.empty": "Type a model name, for example gpt-4o-mini.",
    "msg.model.space": "A model name has no spaces or line breaks: {value}. Try gpt-4o-mini.",
    "msg.model.long": "That model name is {n:,} characters long; model names are short, like gpt-4o-mini.",
    "msg.key.long": (
        "That key is {n:,} characters long; real API keys are far shorter (well under "
        "{limit}). Check what you pasted; nothing was sent."
    ),
    "msg.key.chars": (
        "An API key is plain ASCII text without spaces or line breaks; this one is not. Check "
        "what you pasted; nothing was sent."
    ),
    "msg.organization": (
        "An organization ID looks like org-demo: plain ASCII text without spaces, at most "
        "{limit} characters. Nothing was sent."
    ),
    "msg.internal": "The explorer could not show this ({error}). Try another entry or change the input.",
    "comma": ", ",
    "colon": ": ",
    "stop": ".",
}


def text(lang: str, key: str, **values: Any) -> str:
    """One of the explorer's texts in `lang` (English when it has no translation)."""
    shown = translate(lang, "explorer", key, TEXTS[key])
    return shown.format(**values) if values else shown


def reason_text(verdict: Verdict, lang: str) -> str:
    """Why a verdict is what it is, in `lang`: its reason found by id, so rewording the English keeps this."""
    return translate(lang, "reasons", verdict.why, REASONS[verdict.why]).format(**dict(verdict.values))


__all__ = ["TEXTS", "reason_text", "text"]

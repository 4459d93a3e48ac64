"""The explorer's HTML, from plain data to strings: a `Story` and a language in, markup out. No widgets and
no SDK calls, so every part can be tested on a hand-made story.

Colours are Okabe-Ito (safe for the common kinds of colour blindness) and each comes with a symbol and words.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from ...catalog import Entry
from ...retry import Kind
from .story import Story
from .texts import reason_text, text

BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
MONO = "font-family: var(--jp-code-font-family, monospace); font-size: 12px;"
PRE = (
    MONO + " white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 10px 0; padding: 6px 8px;"
    " background: rgba(127, 127, 127, 0.12); border-radius: 4px; max-height: 320px; overflow: auto;"
)
H4 = "<h4 style='margin: 10px 0 4px 0;'>{}</h4>"


def _t(lang: str, key: str, **values: Any) -> str:
    """An explorer text, escaped for HTML."""
    return html.escape(text(lang, key, **values))


def box(inner_html: str, colour: str, symbol: str) -> str:
    """A note with a coloured bar and a symbol (hidden from screen readers: the words say it all)."""
    return (
        f"<div style='border-left: 4px solid {colour}; padding: 4px 8px; margin: 4px 0;'>"
        f"<span style='color: {colour}; font-weight: bold;' aria-hidden='true'>{symbol}</span> {inner_html}</div>"
    )


def notice_html(message: str) -> str:
    return box(html.escape(message), ORANGE, "⚠") if message else ""


def hint_html(lang: str, keys: Iterable[str], models: Iterable[str], prompt: str) -> str:
    """What to type in your own request, with the demo keys and models as code."""
    comma = text(lang, "comma")
    keys_html = comma.join(f"<code>{html.escape(k)}</code>" for k in keys)
    models_html = comma.join(f"<code>{html.escape(m)}</code>" for m in models)
    hint = html.escape(text(lang, "hint", prompt=prompt, keys="\x00K", models="\x00M"))
    hint = hint.replace("\x00K", keys_html).replace("\x00M", models_html)
    return f'<div style="font-size: 12px; opacity: 0.85; margin: 2px 0 6px 0;">{hint}</div>'


def views(story: Story, lang: str) -> tuple[str, str, str, str]:
    """The summary, the raw exchange, the exception and the advice; all empty when nothing was sent."""
    if not story.sent:
        return "", "", "", ""
    return summary_html(story, lang), raw_html(story, lang), exception_html(story, lang), advice_html(story, lang)


def summary_html(story: Story, lang: str) -> str:
    parts = []
    if story.entry is not None:
        parts.append(f"<h3 style='margin: 6px 0;'>{html.escape(story.entry.text('title', lang))}</h3>")
    response = (story.exchange or {}).get("response")
    line = html.escape(f"HTTP {response['status']} {response['reason']}") if response else _t(lang, "no.response.short")
    if story.failure is not None:
        line += f" → <code>{html.escape(story.failure.name)}</code>"
    elif story.answered or response is not None:
        line += " → " + _t(lang, "success")
    parts.append(f"<div style='{MONO} font-size: 14px; font-weight: bold;'>{line}</div>")
    if story.repeat > 1:
        parts.append(f"<div style='font-size: 12px;'>{_t(lang, 'repeat', n=story.repeat)}</div>")
    return "".join(parts)


def raw_html(story: Story, lang: str) -> str:
    out = [H4.format(_t(lang, "raw"))]
    if story.exchange is None:
        out.append(f"<p>{_t(lang, 'no.request')}</p>")
        return "".join(out)
    response = story.exchange["response"]
    out += [
        f"<b>{_t(lang, 'request')}</b>",
        message_pre(story.exchange["request"], lang),
        f"<b>{_t(lang, 'response')}</b>",
    ]
    if response is None:
        out.append(box(html.escape(no_response_text(story, lang)), VERMILLION, "∅"))
    else:
        out.append(message_pre(response, lang))
    return "".join(out)


def message_pre(part: dict[str, Any], lang: str) -> str:
    """A request or response snapshot (see capture) as it goes over the wire: first line, headers, body."""
    lines = [f"<b>{html.escape(part['line'])}</b>"]
    lines += [html.escape(f"{name}: {value}") for name, value in part["headers"]]
    lines.append("")
    if part["body"]:
        lines.append(html.escape(part["body"]))
        if part["truncated"]:
            lines.append(_t(lang, "truncated", shown=len(part["body"]), total=part["body_chars"]))
    else:
        lines.append(_t(lang, "no.body"))
    return f"<pre style='{PRE}'>" + "\n".join(lines) + "</pre>"


def no_response_text(story: Story, lang: str) -> str:
    kind = story.verdict.kind if story.verdict is not None else None
    if kind is Kind.TIMEOUT:
        return text(lang, "no.response.timeout", seconds="?" if story.timeout is None else f"{story.timeout:g}")
    if kind is Kind.CONNECTION:
        return text(lang, "no.response.connection")
    return text(lang, "no.response")


def exception_html(story: Story, lang: str) -> str:
    out = [H4.format(_t(lang, "exception"))]
    failure = story.failure
    if failure is None:
        response = (story.exchange or {}).get("response") or {}
        out.append(box(_t(lang, "success.text", status=response.get("status", 200)), GREEN, "✔"))
        if story.reply is not None:
            out.append(f"<pre style='{PRE}'>{html.escape(story.reply)}</pre>")
        return "".join(out)
    out.append(
        f"<div>{_t(lang, 'raised')} <code style='{MONO} font-weight: bold;'>{html.escape(failure.name)}</code></div>"
    )
    rows = [(name, repr(value)) for name, value in failure.attributes]
    if failure.cause is not None:
        rows.append(("__cause__", failure.cause))
    cells = "".join(
        f"<tr><td style='padding: 2px 10px 2px 0; vertical-align: top;'><code>{html.escape(name)}</code></td>"
        f"<td style='padding: 2px 0; {MONO} overflow-wrap: anywhere;'>{html.escape(shown)}</td></tr>"
        for name, shown in rows
    )
    head = (
        f"<tr><th style='text-align: left; padding-right: 10px;'>{_t(lang, 'attribute')}</th>"
        f"<th style='text-align: left;'>{_t(lang, 'value')}</th></tr>"
    )
    out.append(f"<table style='border-collapse: collapse; margin: 4px 0;'>{head}{cells}</table>")
    return "".join(out)


def advice_html(story: Story, lang: str) -> str:
    """Cause and fix from the catalog, then whether a retry can help."""
    out, entry = [], story.entry
    if story.failure is None:
        if entry is not None:  # a catalog entry that did not fail this time
            out.append(box(_t(lang, "not.reproduced", seed=story.seed), ORANGE, "⚠"))
            out += entry_texts(entry, lang)
        return "".join(out) + H4.format(_t(lang, "retry")) + f"<p>{_t(lang, 'success.retry')}</p>"
    if entry is None:  # your own request: the catalog entry that describes it, if any
        out.append(matched_html(story, lang))
        entry = story.matches[0] if story.matches else None
    if entry is not None:
        out += entry_texts(entry, lang)
    return "".join(out) + H4.format(_t(lang, "retry")) + verdict_html(story, entry, lang)


def matched_html(story: Story, lang: str) -> str:
    """Which catalog entry your own request's failure matched, or that none did."""
    if not story.matches:
        failure = story.failure
        said = text(
            lang, "no.match", status=failure.get("status_code"), type=failure.get("type"), code=failure.get("code")
        )
        return box(html.escape(said), ORANGE, "?")
    first, others = story.matches[0], story.matches[1:]
    said = text(lang, "matched", title=first.text("title", lang))
    if others:
        said += " " + text(lang, "also", titles="; ".join(other.text("title", lang) for other in others))
    return f"<p>{html.escape(said)}</p>"


def entry_texts(entry: Entry, lang: str) -> list[str]:
    return [
        H4.format(_t(lang, "cause")),
        f"<p>{html.escape(entry.text('cause', lang))}</p>",
        H4.format(_t(lang, "fix")),
        f"<p>{html.escape(entry.text('fix', lang))}</p>",
    ]


def verdict_html(story: Story, entry: Entry | None, lang: str) -> str:
    """Can a retry help, and why; what the catalog says; whether the SDK retries it by itself."""
    verdict = story.verdict
    if verdict is None:
        return ""
    answer = _t(lang, "retry.yes" if verdict.retryable else "retry.no")
    line = f"<b>{answer}</b>{_t(lang, 'colon')}{html.escape(reason_text(verdict, lang))}{_t(lang, 'stop')}"
    if verdict.retry_after is not None:
        line += " " + _t(lang, "retry.after", seconds=f"{verdict.retry_after:g}")
    parts = [box(line, BLUE if verdict.retryable else VERMILLION, "↻" if verdict.retryable else "✕")]
    if entry is not None:
        parts.append(f"<p>{_t(lang, 'catalog.says')}{html.escape(entry.text('retry', lang))}</p>")
    key = "sdk.no.retries"
    if story.sdk_retries:
        key = "sdk.retries.helpful" if verdict.retryable else "sdk.retries.wasted"
    parts.append(f"<p>{_t(lang, key)}</p>")
    return "".join(parts)


__all__ = [
    "advice_html",
    "box",
    "exception_html",
    "hint_html",
    "message_pre",
    "notice_html",
    "raw_html",
    "summary_html",
    "verdict_html",
    "views",
]

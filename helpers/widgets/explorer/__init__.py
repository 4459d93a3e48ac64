"""The error explorer: pick a catalog entry (or type a key and a model) and see the whole story of one request.

It shows the raw HTTP exchange (request, status, headers, body), the exception the official SDK raises and
its attributes, the cause, the fix and whether a retry can help, in English or Chinese. Every change
re-renders at once, and everything can be driven from code::

    explorer = ErrorExplorer()
    explorer.entry.value = "quota_exceeded"
    explorer.language.value = "zh"
    explorer            # in a notebook: shows the widget

Each render sends the request(s) to a fresh simulator through the official SDK (no retries), so the same
choice always gives the same answer. Keys are masked as the API masks them wherever they are shown.

Modules: `capture` records the HTTP exchange, `story` reads what the SDK returned or raised into plain data,
`render` turns that into HTML, `texts` holds the words, `controls` and `widget` are the dashboard itself.
"""

from .capture import mask_authorization
from .story import matching_entries, sdk_would_retry
from .texts import TEXTS, reason_text, text
from .widget import ErrorExplorer

__all__ = ["TEXTS", "ErrorExplorer", "mask_authorization", "matching_entries", "reason_text", "sdk_would_retry", "text"]

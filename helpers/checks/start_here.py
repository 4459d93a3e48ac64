"""Exercise checks for notebook 00 (start here)."""

from __future__ import annotations

import openai

from ._say import _say, said_what_is_wrong_with


def check_first_rate_limit(error) -> None:
    """Exercise in notebook 00: catch the free tier's 429 and keep it in `error`."""
    if said_what_is_wrong_with(
        error,
        openai.APIStatusError,
        when_none="`error` is still None. Send a few requests with the free-tier client and keep the exception "
        "you catch (hint: `except openai.RateLimitError as exc: error = exc`).",
        when_other="`error` holds a {name}, not an error from the API. Catch `openai.RateLimitError`.",
    ):
        return
    if error.status_code != 429 or error.code != "rate_limit_exceeded":
        return _say(
            False,
            f"That is a {error.status_code} with code {error.code!r}. Use the key sk-demo-free, "
            "which may send only 3 requests per minute.",
        )
    first_sentences = error.body["message"].split(" Visit ")[0]
    return _say(True, f"Well done: a 429 rate_limit_exceeded. The API says: {first_sentences}")

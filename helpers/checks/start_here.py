"""Exercise checks for notebook 00 (start here)."""

from __future__ import annotations

import openai

from ..i18n import translated
from ._say import _say, said_what_is_wrong_with


def check_first_rate_limit(error) -> None:
    """Exercise in notebook 00: catch the free tier's 429 and keep it in `error`."""
    if said_what_is_wrong_with(
        error,
        openai.APIStatusError,
        when_none=translated(
            "checks",
            "first_rate_limit.none",
            "`error` is still None. Send a few requests with the free-tier client and keep the exception "
            "you catch (hint: `except openai.RateLimitError as exc: error = exc`).",
        ),
        when_other=lambda **values: translated(
            "checks",
            "first_rate_limit.other",
            "`error` holds a {name}, not an error from the API. Catch `openai.RateLimitError`.",
            **values,
        ),
    ):
        return
    if error.status_code != 429 or error.code != "rate_limit_exceeded":
        return _say(
            False,
            translated(
                "checks",
                "first_rate_limit.wrong_error",
                "That is a {status} with code {code!r}. Use the key sk-demo-free, "
                "which may send only 3 requests per minute.",
                status=error.status_code,
                code=error.code,
            ),
        )
    if not _came_from_the_simulator(error):
        return _say(
            False,
            translated(
                "checks",
                "first_rate_limit.not_simulated",
                "That 429 was not sent by the simulated API: it has no request id, no rate-limit headers or no "
                "request with the key sk-demo-free. Catch the error that `free_client` raises instead of building "
                "one.",
            ),
        )
    first_sentences = error.body["message"].split(" Visit ")[0]
    return _say(
        True,
        translated(
            "checks",
            "first_rate_limit.passed",
            "Well done: a 429 rate_limit_exceeded. The API says: {message}",
            message=first_sentences,
        ),
    )


def _came_from_the_simulator(error) -> bool:
    """The marks of a real answer: the request that went out with the free key, the request id the server gave
    it, the free tier's limit in the headers, and the API's own sentence."""
    try:
        headers = error.response.headers
        sent = error.response.request.headers.get("authorization", "")
        return (
            sent.strip() == "Bearer sk-demo-free"
            and headers.get("x-request-id", "").startswith("req_")
            and headers.get("x-ratelimit-limit-requests") == "3"
            and isinstance(error.body, dict)
            and str(error.body.get("message", "")).startswith("Rate limit reached for ")
        )
    except Exception:  # a hand-made object may lack any of these
        return False

def should_retry(exc):
    """True if trying the same request again later can succeed."""
    if isinstance(exc, openai.APIConnectionError):  # timeouts and dropped connections
        return True
    if not isinstance(exc, openai.APIStatusError):  # not from the API: probably a bug of ours
        return False
    retry_after = exc.response.headers.get("retry-after")
    try:
        if retry_after is not None and float(retry_after) > 120:
            return False
    except ValueError:  # a date instead of a number: ignore it here
        pass
    if exc.status_code == 429:
        return exc.code not in BILLING_CODES and exc.type != "insufficient_quota"
    return exc.status_code >= 500 or exc.status_code in (408, 409)

def is_billing_error(exc):
    """True if `exc` is a quota or billing error from the API, False for anything else."""
    if not isinstance(exc, openai.RateLimitError):  # billing errors are always 429s
        return False
    return exc.code in BILLING_CODES or exc.type == "insufficient_quota"

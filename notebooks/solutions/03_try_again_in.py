def try_again_in(limit, used, requested, window_s=60):
    """Seconds until a request of `requested` units fits a bucket of `limit` per `window_s` with `used` in use."""
    if requested > limit:
        return math.inf  # larger than the whole bucket: it can never fit
    missing = used + requested - limit
    return max(0.0, missing / (limit / window_s))

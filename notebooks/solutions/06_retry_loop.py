def call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
    """Call send() until it succeeds and return its result; re-raise the last error when giving up."""
    for attempt in range(1, max_attempts + 1):
        try:
            return send()
        except Exception as exc:
            verdict = classify_exception(exc)
            if not verdict.retryable or attempt == max_attempts:
                raise  # it can never succeed, or we are out of attempts: let the caller see the error
            wait = full_jitter(attempt, base, cap, rng)
            if verdict.retry_after is not None:
                wait = max(wait, verdict.retry_after)  # never sooner than the server asked
            clock.sleep(wait)

def worst_case_seconds(timeout, max_retries):
    """The longest a call can take if the server never answers: every attempt times out."""
    attempts = max_retries + 1
    sleeps = sum(min(0.5 * 2 ** (k - 1), 8.0) for k in range(1, max_retries + 1))
    return attempts * timeout + sleeps

def worst_case_seconds(timeout, max_retries):
    """服务器一直不回答、每次尝试都超时的时候，一次调用最长要花多少秒。"""
    attempts = max_retries + 1
    sleeps = sum(min(0.5 * 2 ** (k - 1), 8.0) for k in range(1, max_retries + 1))
    return attempts * timeout + sleeps

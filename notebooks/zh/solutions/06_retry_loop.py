def call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
    """反复调用 send() 直到成功，并返回它的结果；放弃时重新抛出最后一个错误。"""
    for attempt in range(1, max_attempts + 1):
        try:
            return send()
        except Exception as exc:
            verdict = classify_exception(exc)
            if not verdict.retryable or attempt == max_attempts:
                raise  # 这个错误永远不会成功，或者尝试次数已用完：让调用方看到这个错误
            wait = full_jitter(attempt, base, cap, rng)
            if verdict.retry_after is not None:
                wait = max(wait, verdict.retry_after)  # 绝不早于服务器要求的时间
            clock.sleep(wait)

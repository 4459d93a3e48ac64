def seconds_until_fits(headers, tokens):
    """根据上一个响应的 x-ratelimit-* 响应头，算出一个 `tokens` 个 token 的请求还要等几秒才放得下。"""
    limit_requests = int(headers["x-ratelimit-limit-requests"])
    left_requests = int(headers["x-ratelimit-remaining-requests"])
    limit_tokens = int(headers["x-ratelimit-limit-tokens"])
    left_tokens = int(headers["x-ratelimit-remaining-tokens"])
    if tokens > limit_tokens:
        return math.inf
    wait_requests = max(0, 1 - left_requests) / (limit_requests / 60)
    wait_tokens = max(0, tokens - left_tokens) / (limit_tokens / 60)
    return max(wait_requests, wait_tokens)

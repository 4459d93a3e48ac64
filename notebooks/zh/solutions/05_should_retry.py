def should_retry(exc):
    """稍后再发一次同样的请求有可能成功时，返回 True。"""
    if isinstance(exc, openai.APIConnectionError):  # 超时和连接中断
        return True
    if not isinstance(exc, openai.APIStatusError):  # 不是 API 抛出的：多半是我们自己的 bug
        return False
    retry_after = exc.response.headers.get("retry-after")
    try:
        if retry_after is not None and float(retry_after) > 120:
            return False
    except ValueError:  # 写的是日期而不是数字：这里先不管它
        pass
    if exc.status_code == 429:
        return exc.code not in BILLING_CODES and exc.type != "insufficient_quota"
    return exc.status_code >= 500 or exc.status_code in (408, 409)

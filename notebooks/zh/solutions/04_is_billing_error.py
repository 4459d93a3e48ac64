def is_billing_error(exc):
    """`exc` 是 API 返回的配额或账单错误时返回 True，其他情况一律返回 False。"""
    if not isinstance(exc, openai.RateLimitError):  # 账单错误一定是 429
        return False
    return exc.code in BILLING_CODES or exc.type == "insufficient_quota"

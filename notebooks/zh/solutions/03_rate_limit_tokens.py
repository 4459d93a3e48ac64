def rate_limit_tokens(messages, max_tokens, n=1):
    """一个对话请求在得到回答之前，按 TPM 限制要计多少个 token。"""
    prompt = sum(math.ceil(len(message["content"]) / 4) for message in messages)
    return prompt + max_tokens * n

def rate_limit_tokens(messages, max_tokens, n=1):
    """Tokens a chat request counts against the TPM limit before it is answered."""
    prompt = sum(math.ceil(len(message["content"]) / 4) for message in messages)
    return prompt + max_tokens * n

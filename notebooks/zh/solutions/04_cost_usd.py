def cost_usd(model, usage):
    """一次响应花了多少美元：提示词 token 按输入单价算，补全 token 按输出单价算。"""
    price_in, price_out = PRICES[model]
    return (usage.prompt_tokens * price_in + usage.completion_tokens * price_out) / 1_000_000

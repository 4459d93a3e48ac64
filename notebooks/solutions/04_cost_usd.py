def cost_usd(model, usage):
    """US dollars for one response: prompt tokens at the input price, completion tokens at the output price."""
    price_in, price_out = PRICES[model]
    return (usage.prompt_tokens * price_in + usage.completion_tokens * price_out) / 1_000_000

class BudgetGuard:
    """只要某个请求的最坏情况可能让花费超过 `cap_usd`，就拒绝发送。"""

    def __init__(self, cap_usd):
        self.cap_usd = cap_usd
        self.spent_usd = 0.0  # 已发出的调用实际花掉的钱

    def send(self, client, *, model, messages, max_tokens):
        """发送 chat completion 并返回结果；如果它可能让花费超出上限，就什么都不发，返回 None。"""
        if self.spent_usd + worst_case_usd(model, messages, max_tokens) > self.cap_usd:
            return None
        reply = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens)
        self.spent_usd += cost_usd(model, reply.usage)
        return reply

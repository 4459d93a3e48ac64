class BudgetGuard:
    """Refuses to send a request once its worst case could take spending past `cap_usd`."""

    def __init__(self, cap_usd):
        self.cap_usd = cap_usd
        self.spent_usd = 0.0  # the real cost of the calls sent so far

    def send(self, client, *, model, messages, max_tokens):
        """Send the chat completion and return it; or return None, sending nothing, if it might pass the cap."""
        if self.spent_usd + worst_case_usd(model, messages, max_tokens) > self.cap_usd:
            return None
        reply = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens)
        self.spent_usd += cost_usd(model, reply.usage)
        return reply

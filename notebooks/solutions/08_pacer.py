class Pacer:
    """A token bucket on the client's side: holds up to per_minute tokens, refills per_minute / 60 each second."""

    def __init__(self, per_minute, clock):
        self.capacity = per_minute
        self.rate = per_minute / 60  # tokens per second
        self.clock = clock
        self.level = per_minute  # it starts full
        self.updated = clock.now()

    def _refill(self):
        now = self.clock.now()
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def wait_for(self, tokens):
        """Sleep on self.clock until `tokens` are available, spend them, and return the seconds slept."""
        self._refill()
        wait = max(0.0, (tokens - self.level) / self.rate)
        self.clock.sleep(wait)
        self._refill()
        self.level -= tokens
        return wait

class Pacer:
    """客户端的令牌桶：最多装 per_minute 个令牌，每秒补充 per_minute / 60 个。"""

    def __init__(self, per_minute, clock):
        self.capacity = per_minute
        self.rate = per_minute / 60  # 每秒补充的令牌数
        self.clock = clock
        self.level = per_minute  # 一开始是满的
        self.updated = clock.now()

    def _refill(self):
        now = self.clock.now()
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def wait_for(self, tokens):
        """在 self.clock 上等到有 `tokens` 个令牌可用，扣掉它们，返回等待的秒数。"""
        self._refill()
        wait = max(0.0, (tokens - self.level) / self.rate)
        self.clock.sleep(wait)
        self._refill()
        self.level -= tokens
        return wait

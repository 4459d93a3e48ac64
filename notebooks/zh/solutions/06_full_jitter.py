def full_jitter(n, base, cap, rng):
    """第 n 次重试之前要等待的秒数（第一次重试时 n = 1），使用完全抖动。"""
    ceiling = min(cap, base * 2 ** (n - 1))
    return rng.uniform(0, ceiling)

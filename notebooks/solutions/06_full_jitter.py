def full_jitter(n, base, cap, rng):
    """Seconds to wait before retry n (n = 1 for the first retry), with full jitter."""
    ceiling = min(cap, base * 2 ** (n - 1))
    return rng.uniform(0, ceiling)

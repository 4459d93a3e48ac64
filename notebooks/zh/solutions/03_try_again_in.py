def try_again_in(limit, used, requested, window_s=60):
    """要放进一个每 `window_s` 秒补满 `limit`、已用 `used` 的桶，`requested` 个单位的请求还要等几秒。"""
    if requested > limit:
        return math.inf  # 比整个桶还大：永远放不下
    missing = used + requested - limit
    return max(0.0, missing / (limit / window_s))

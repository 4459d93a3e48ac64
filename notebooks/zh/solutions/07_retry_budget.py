# 重试的“存款”少一点：令牌桶 20 个令牌、每次重试花 5 个，每个客户端只够重试 4 次，服务中断时桶就空了
# （40 个请求多出 4 次尝试 = 1.1 倍）。坏日子里，每次首次尝试就成功都会赚回一个令牌，
# 重试后成功则退还重试花掉的令牌，所以桶永远不会空。
my_policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4), RetryQuota(capacity=20, retry_cost=5)))

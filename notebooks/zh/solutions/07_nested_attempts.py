def worst_case_requests(retries_per_layer):
    """每次尝试都失败时，一次调用最多产生的 HTTP 请求数；每层给出一个重试次数。"""
    total = 1
    for retries in retries_per_layer:
        total *= retries + 1  # 上一层的每次尝试，都会把这一层的尝试完整地跑一遍
    return total


print("任务队列 (3) → tenacity (5) → SDK (2)：", worst_case_requests([3, 5, 2]), "个请求")

def billed_count(log):
    """服务器处理完（并计了费）的请求有几个：也就是 status 为 200 的条目。"""
    return sum(1 for entry in log if entry.status == 200)

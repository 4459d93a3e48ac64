# Few retries in the bank: 20 tokens at 5 per retry is 4 retries per client before the bucket runs dry in an
# outage (4 extra attempts on 40 requests = 1.1×). On a bad day every first-try success earns a token back,
# and a success after retries refunds the retry, so the bucket never runs dry.
my_policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4), RetryQuota(capacity=20, retry_cost=5)))

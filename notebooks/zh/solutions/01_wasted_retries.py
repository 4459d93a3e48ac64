wasted = [e.id for e in catalog if e.sdk_retries and not e.retryable]

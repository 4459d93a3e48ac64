def make_retrying(sim):
    return Retrying(
        stop=stop_after_attempt(4),
        wait=wait_random_exponential(multiplier=0.5, max=20),
        retry=retry_if_exception(is_retryable),
        sleep=sim.clock.sleep,
        reraise=True,
    )

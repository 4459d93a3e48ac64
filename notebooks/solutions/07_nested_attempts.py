def worst_case_requests(retries_per_layer):
    """HTTP requests one call can cause when every attempt fails; one number of retries per layer."""
    total = 1
    for retries in retries_per_layer:
        total *= retries + 1  # each attempt of the layer above runs this layer's attempts in full
    return total


print("job queue (3) → tenacity (5) → SDK (2):", worst_case_requests([3, 5, 2]), "requests")

def billed_count(log):
    """How many requests the server completed (and billed): the entries with status 200."""
    return sum(1 for entry in log if entry.status == 200)

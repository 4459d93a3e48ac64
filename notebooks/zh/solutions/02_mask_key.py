def mask(key):
    hidden = len(key) - 12
    if hidden <= 0:
        return key
    return key[:8] + "*" * hidden + key[-4:]

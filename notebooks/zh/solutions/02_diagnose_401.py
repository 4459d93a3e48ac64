def diagnose_401(exc):
    if exc.status_code != 401:
        return "not_401"
    if exc.code:
        return exc.code
    message = exc.body["message"] if isinstance(exc.body, dict) else str(exc.body)
    if message.startswith("You didn't provide an API key"):
        return "missing_key"
    if "insufficient permissions" in message:
        return "insufficient_permissions"
    return "unknown"

def diagnose(exc):
    status = exc.status_code
    quota = "insufficient_quota" in (exc.type, exc.code)
    return {
        "status": status,
        "exception": type(exc).__name__,
        "type": exc.type,
        "code": exc.code,
        "message": exc.body["message"] if isinstance(exc.body, dict) else str(exc.body),
        "request_id": exc.request_id,
        "retry": status in (408, 409) or status >= 500 or (status == 429 and not quota),
    }

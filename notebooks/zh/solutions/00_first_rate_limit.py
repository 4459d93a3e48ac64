for _ in range(10):
    try:
        free_client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
    except openai.RateLimitError as exc:
        error = exc
        break

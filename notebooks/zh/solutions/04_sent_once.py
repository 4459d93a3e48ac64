try:
    broke_client.with_options(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    error = exc

def stream_answer(client, model, prompt, max_output_tokens=None):
    options = {} if max_output_tokens is None else {"max_output_tokens": max_output_tokens}
    text = []
    try:
        for event in client.responses.create(model=model, input=prompt, stream=True, **options):
            if event.type == "response.output_text.delta":
                text.append(event.delta)
            elif event.type == "response.completed":
                return "completed", event.response.output_text
            elif event.type == "response.incomplete":
                return "incomplete", "".join(text)
            elif event.type == "response.failed":
                return "failed", event.response.error.code
    except openai.APIStatusError:
        raise  # refused before the stream started
    except openai.APIError as exc:  # the `error` event, as the live service sends it
        return "failed", exc.code
    return "failed", None  # the stream ended without saying how

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
        raise  # 流开始之前就被拒了
    except openai.APIError as exc:  # error 事件，线上服务就是这样发送的
        return "failed", exc.code
    return "failed", None  # 流结束了，却没说是怎么结束的

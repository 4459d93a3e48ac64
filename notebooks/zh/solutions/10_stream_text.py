def stream_text(client, model, messages, attempts=3):
    for attempt in range(1, attempts + 1):
        pieces = []  # 每次都从头开始：断掉的流收到的那部分文本直接丢掉
        try:
            stream = client.chat.completions.create(model=model, messages=messages, stream=True)
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    pieces.append(chunk.choices[0].delta.content)
            return "".join(pieces)
        except openai.APIStatusError:
            raise  # 流开始之前就被拒了：能重试成功的，SDK 已经重试过
        except openai.APIError:  # 在 200 之后断开：连接断了、超时了，或者收到了 error 事件
            if attempt == attempts:
                raise

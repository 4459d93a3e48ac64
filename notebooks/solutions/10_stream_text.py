def stream_text(client, model, messages, attempts=3):
    for attempt in range(1, attempts + 1):
        pieces = []  # a fresh start: the partial text of a broken stream is thrown away
        try:
            stream = client.chat.completions.create(model=model, messages=messages, stream=True)
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    pieces.append(chunk.choices[0].delta.content)
            return "".join(pieces)
        except openai.APIStatusError:
            raise  # refused before the stream: the SDK has already retried what can succeed
        except openai.APIError:  # broke after the 200: dropped, timed out, or an error event
            if attempt == attempts:
                raise

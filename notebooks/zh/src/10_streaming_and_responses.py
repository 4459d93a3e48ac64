# %% [markdown]
# # 流式输出与 Responses API
#
# 加上 `stream=True`，回答就不再一次性返回，而是一个词一个词地到达。用户会觉得更快，但错误找上你的方式也变了。
#
# 有些错误仍然出现在流**开始之前**，就是你在第 01 到 05 课见过的那些 HTTP 错误。另一些则出现在服务器已经回了 200、
# 已经发出一部分回答**之后**，这类错误 SDK 没法替你重试。本课把这两类错误都演示一遍，Chat Completions 和较新的 Responses API 各来一次。
#
# **本课你将学到**
# - 一个流在 HTTP 层面长什么样，SDK 又是怎么把它变成一个个数据块和事件的；
# - 哪些错误出现在第一个数据块之前（常见的 HTTP 错误），哪些出现在流的中途；
# - 为什么 SDK 从不重试已经开始的流，以及怎样自己安全地重试；
# - 怎样设置首 token 超时，也就是等第一段文字最多等多久；
# - Responses 流有哪几种结局：`response.completed`、`response.incomplete`、`response.failed`，或者一个 `error` 事件；
# - 怎样用 `AsyncOpenAI` 加一个信号量同时跑很多个流。
#
# **学习时间**：约 30 分钟
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 运行单元格、`make_client`、读懂 `openai` 异常 | 必需 | 第 00 课 |
# | 速率限制和 `Retry-After` | 有帮助 | 第 03 课 |
# | 超时和连接中断 | 有帮助 | 第 05 课 |

# %% [markdown]
# ## 准备工作
#
# 本课用到的东西都在下面这个单元格里。模拟器的流跑在虚拟时间里：在真实服务上要 30 秒的流，这里只要几毫秒。

# %%
import asyncio

import httpx
import openai

from helpers.clock import ConcurrentVirtualClock
from helpers.simulator import Simulator, make_async_client, make_client
from helpers.simulator.transport import http_client

HELLO = [{"role": "user", "content": "Say hello"}]

# %% [markdown]
# ## 1. 流的原始字节
#
# 流式回答就是一个 HTTP 响应，状态码 200，`content-type: text/event-stream`。它的响应体是一串 *server-sent events*（SSE）：
# 每个事件是一行 `data: <json>`，后面跟一个空行。Chat Completions 用 `data: [DONE]` 结束整个流。
# 下面用普通的 httpx 读出原始字节：

# %%
with http_client(Simulator(), headers={"authorization": "Bearer sk-demo-ok"}) as http:
    body = {"model": "gpt-4o-mini", "messages": HELLO, "stream": True}
    raw = http.post("/chat/completions", json=body)
print(raw.status_code, raw.headers["content-type"])
print(raw.text[:700], "...")

# %% [markdown]
# 第一个数据块带着角色（role），之后每块的 `delta.content` 里是一小段文本，最后一块用 `finish_reason` 说明回答为什么结束。
# SDK 会把每一行 `data:` 解析成一个 `ChatCompletionChunk`：

# %%
client = make_client()
stream = client.chat.completions.create(
    model="gpt-4o-mini", messages=HELLO, stream=True, stream_options={"include_usage": True}
)
for chunk in stream:
    if chunk.choices:
        print(repr(chunk.choices[0].delta.content), chunk.choices[0].finish_reason)
    else:  # 开了 include_usage 时，最后会多一个数据块：没有 choices，只有 usage
        print("usage：", chunk.usage.total_tokens, "个 token")

# %% [markdown]
# 留意最后一个数据块：开了 `include_usage`，它的 `choices` 列表是**空的**。如果代码每次都直接读 `chunk.choices[0]`，
# 到这里就会因 `IndexError` 崩掉。所以要先检查 `chunk.choices`。
#
# ## 2. 第一个数据块之前的错误
#
# API 回答之前要检查的东西（你的 API 密钥、请求体、模型、配额、速率限制），流开始之前照样会检查。
# 检查不通过，返回的就是一个普通的 JSON 错误：`create()` 抛出的异常和不加 `stream=True` 时完全一样，这时你一个数据块都还没读到。
# 既然什么都还没发出来，SDK 照常会重试 429 和 5xx。

# %%
for key, model in [("sk-demo-typo", "gpt-4o-mini"), ("sk-demo-broke", "gpt-4o-mini"), ("sk-demo-ok", "gpt-nope")]:
    try:
        make_client(key).chat.completions.create(model=model, messages=HELLO, stream=True)
    except openai.APIStatusError as exc:
        print(f"{key:14} {model:12} -> {type(exc).__name__} {exc.status_code} {exc.code}")

# %% [markdown]
# 跟流式输出本身有关的错误有两种，都会得到 400：一是给了 `stream_options` 却没有 `stream=True`；二是传了 API 不认识的参数
# （比如把 `stream` 拼错）。放在 `extra_body` 里的内容，SDK 会原样发出去，不替你检查。

# %%
for extra in [{"stream_options": {"include_usage": True}}, {"extra_body": {"strem": True}}]:
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, **extra)
    except openai.BadRequestError as exc:
        print(exc)

# %% [markdown]
# ## 3. 流中途的错误
#
# 200 一旦发出，服务器就改不了状态码了。可之后仍有三种情况会出问题：
#
# | 发生了什么 | 演示模型 | 遍历时 SDK 抛出的异常 |
# |---|---|---|
# | 服务器发来一个错误事件：`data: {"error": {...}}` | `gpt-demo-midstream` | `openai.APIError`（没有状态码） |
# | 连接在中途断开 | `gpt-demo-dropped` | `openai.APIConnectionError` |
# | 下一个数据块迟迟不来，超过了读取超时 | `gpt-demo-slow` | `openai.APITimeoutError` |
#
# 不管哪种情况，你手里都已经有了一部分回答。


# %%
def read_chunks(client, model):
    """以流式方式调用一次 Chat Completions，返回（收到的文本，异常或 None）。"""
    text = ""
    try:
        for chunk in client.chat.completions.create(model=model, messages=HELLO, stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
    except openai.APIError as exc:
        return text, exc
    return text, None


for model in ["gpt-demo-midstream", "gpt-demo-dropped", "gpt-demo-slow"]:
    sim = Simulator()
    c = make_client("sk-demo-ok", sim, max_retries=2, timeout=5.0)
    text, exc = read_chunks(c, model)
    print(f"{model:18} {type(exc).__name__:18} 发出的请求数：{len(sim.log)}   收到的文本：{text!r}")

# %% [markdown]
# 三个客户端都设了 `max_retries=2`，却都只发了**一个**请求。SDK 的重试只管到响应到达为止：200 一到，`create()`
# 就返回了，上面这些错误是后来在你的 `for` 循环里抛出的。已经收到的数据块你拿去做了什么（打印了？存起来了？），SDK 无从知道，
# 所以要不要重来，由你决定。
#
# `gpt-demo-midstream` 的错误事件没有 HTTP 状态码，所以它的异常只是一个普通的 `APIError`。异常的 `type` 和 `message`
# 都来自那个事件：

# %%
text, exc = read_chunks(make_client(), "gpt-demo-midstream")
print(type(exc).__name__, "| type:", exc.type, "| code:", exc.code)
print(isinstance(exc, openai.APIStatusError), "<- 没有 status_code 可看")

# %% [markdown]
# ## 4. 安全地重试一个流
#
# 断掉的流只能**从头再来**：发一个新请求，拿一个从头开始的新回答。已经收到的那部分文本怎么处理，你得拿主意：
#
# - **丢掉**：清空缓冲区，从头开始。这是稳妥的默认做法，因为新回答不一定以同样的话开头；
# - **有意保留**：比如先把它展示给用户，注明回答被截断了，然后再问一次。千万不要不声不响地把两次的回答拼在一起。
#
# 只有在 200 *之后*才断掉的流，才需要你自己从头再来。`create()` 抛出的错误是普通的 HTTP 错误：如果重试有用，SDK 已经重试过了（第 05 课）；
# 你再在外面套一层循环，尝试次数就会成倍增加（第 07 课）。
#
# ### 练习：重新开始一个断掉的流
#
# 写一个函数 `stream_text(client, model, messages, attempts=3)`，以流式方式调用一次 Chat Completions，返回完整的文本。要求：
#
# - 流在 200 之后断了（是 `APIError` 但不是 `APIStatusError`），就清空缓冲区从头再来，总共最多发 `attempts` 个请求；
#   如果每次都断，抛出最后一次的错误；
# - `create()` 本身抛出的错误（`APIStatusError`）直接放行，不要拦。
#
# 检查程序会拿几种情况来测：一个会断一次的模型、几个总是失败的模型，还有一个错误的 API 密钥。


# %% tags=["exercise"]
def stream_text(client, model, messages, attempts=3):
    # 在这里写你的代码
    return ""


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/10_stream_text.py

# %%
from helpers.checks import check_stream_text

check_stream_text(stream_text)

# %% [markdown]
# ## 5. 首 token 超时
#
# SDK 默认的超时是 600 秒。对流来说，这个时间限的是两段数据**之间**的间隔，不是整个流的时长。
# 所以一个迟迟不开口的模型，可能让用户干等十分钟才报错。如果你希望用户在 10 秒之内看到第一批文字，就把读取超时设成 10 秒：

# %%
sim = Simulator()
impatient = make_client("sk-demo-ok", sim, max_retries=0, timeout=httpx.Timeout(10.0, connect=2.0))
start = sim.clock.now()
text, exc = read_chunks(impatient, "gpt-demo-slow")
print(f"{sim.clock.now() - start:.1f} 个模拟秒后出现 {type(exc).__name__}；收到的文本：{text!r}")
print("服务器的日志：读了", sim.log[-1].chunks, "个数据块，客户端放弃的原因：", sim.log[-1].gave_up)

# %% [markdown]
# `gpt-demo-slow` 立刻回 200，然后要“想”30 秒才发出第一个数据块。超时发生在 200 之后，所以 `APITimeoutError`
# 是在你遍历时抛出的，SDK 不会重试。而文字一旦开始往外流，10 秒的读取超时就绰绰有余了：每秒都会来好几段。
#
# ## 6. Responses API
#
# `client.responses.create(...)` 是较新的 API。它接收 `input`（一个字符串或一组消息）和 `instructions`，
# 返回一个 `Response`，其中 `output_text` 把所有文本拼在了一起：

# %%
client = make_client()
response = client.responses.create(model="gpt-4o-mini", input="Say hello", instructions="Be brief.")
print(response.status, "|", response.output_text, "|", response.usage.total_tokens, "个 token")
follow_up = client.responses.create(model="gpt-4o-mini", input="And again", previous_response_id=response.id)
print("接在这个响应后面：", follow_up.previous_response_id)
try:
    client.responses.create(model="gpt-4o-mini", input="Hi", previous_response_id="resp_never_stored")
except openai.BadRequestError as exc:
    print(exc.status_code, exc.code, "-", exc.body["message"])

# %% [markdown]
# Responses API 以流式方式调用时，发来的是一个个有类型名的事件，每个事件都带一个 `sequence_number`。文本装在
# `response.output_text.delta` 事件里，整个流以下面三种事件中的**一种**结束：

# %%
for event in client.responses.create(model="gpt-4o-mini", input="Say hello", stream=True):
    detail = repr(event.delta) if event.type == "response.output_text.delta" else ""
    print(event.sequence_number, event.type, detail)

# %% [markdown]
# | 最后一个事件 | 含义 | `response.status` |
# |---|---|---|
# | `response.completed` | 回答完整 | `completed` |
# | `response.incomplete` | 回答被截断，比如 `max_output_tokens` 用完了（原因见 `incomplete_details.reason`） | `incomplete` |
# | `response.failed` | 模型在 200 之后失败了，原因见 `response.error.code` | `failed` |
#
# 这三种都不会抛异常：它们只是事件，得由你的代码去检查。不用流式的普通调用如果用完了 `max_output_tokens`，
# 同样是返回 200，`status="incomplete"`，而不是抛异常。

# %%
for model, options in [("gpt-4o-mini", {"max_output_tokens": 4}), ("gpt-demo-midstream", {})]:
    events = list(client.responses.create(model=model, input="Say hello", stream=True, **options))
    last = events[-1]
    print(model, "->", last.type, last.response.incomplete_details or last.response.error)

# %% [markdown]
# 辅助方法 `client.responses.stream(...)` 会替你收集这些事件，不过只要流不是以 `response.completed` 结束，
# 它的 `get_final_response()` 就会抛出 `RuntimeError`。
#
# ### `error` 事件：文档怎么写，服务实际怎么发
#
# API 参考文档里，`error` 事件的字段都在顶层：`{"type": "error", "code": ..., "message": ..., "param": ...}`。
# 但实际观察到，线上服务发的是**嵌套**的形式：`{"type": "error", "error": {"type": ..., "code": ..., "message": ..., "param": ...}}`，
# 通常紧跟在 `response.in_progress` 之后，随后再来一个 `response.failed`。模拟器和线上服务一样，发送嵌套形式。
#
# 这个区别很要紧：只要事件里带有 `error` 对象，SDK 就会抛出 `openai.APIError`。所以嵌套形式会变成一个异常抛出来，
# 而文档里那种平铺的形式只会是一个普通事件。
#
# 200 之后才触发的速率限制，就是这样到来的。下面从免费层级发两个大请求，超出它每分钟 40,000 个 token 的限制：

# %%
free = make_client("sk-demo-free", max_retries=2)
big = "x" * 60_000  # 约 15,000 个 token，再加上为回答预留的 16,000 个
for attempt in (1, 2):
    seen = []
    try:
        for event in free.responses.create(model="gpt-4o-mini", input=big, max_output_tokens=16000, stream=True):
            seen.append(event.type)
        print(attempt, "正常结束于", seen[-1])
    except openai.APIError as exc:
        print(attempt, type(exc).__name__, exc.code, "出现在这些事件之后：", seen)
        print("  ", exc.message[:150], "...")

# %% [markdown]
# 消息里照样写着“Please try again in …”，却没有 `Retry-After` 响应头可读：响应头早在 200 时就发出去了。
# 如果要重试，就从消息里取等待时间（第 03 课讲过怎么做）。
#
# ### 练习：Responses 流是怎么结束的？
#
# 写一个函数 `stream_answer(client, model, prompt, max_output_tokens=None)`，以流式方式请求一个响应，返回一个二元组：
#
# - `("completed", 完整文本)`；
# - `("incomplete", 已收到的文本)`；
# - `("failed", 错误码)`：`response.failed` 事件和 SDK 以 `openai.APIError` 抛出的 `error` 事件都算这一种
#   （错误码取异常的 `code`）。
#
# `max_output_tokens` 只在不为 None 时才传下去。检查程序会用你的函数没见过的提示词和模型来测试，其中包括流中途触发的速率限制。


# %% tags=["exercise"]
def stream_answer(client, model, prompt, max_output_tokens=None):
    # 在这里写你的代码
    return "completed", ""


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/10_stream_answer.py

# %%
from helpers.checks import check_stream_answer

check_stream_answer(stream_answer)

# %% [markdown]
# ## 7. 同时跑很多个流
#
# 流的大部分时间都花在等下一段数据上，所以程序通常会用 `AsyncOpenAI` 同时跑很多个流。用一个信号量控制同时进行的数量：
# 不加控制的话，50 个流会一起开始，每一个都在同一时刻占用你的速率限制。流和其他请求的计数方式一样：
# RPM 算一个请求，TPM 算提示词加上 `max_tokens`。
#
# 下面在一个共享的虚拟时钟上跑 20 个流，同一时间最多 5 个：

# %%
sim = Simulator(clock=ConcurrentVirtualClock())
aclient = make_async_client("sk-demo-ok", sim)
limit = asyncio.Semaphore(5)


async def one_stream(i):
    async with limit:
        text = ""
        stream = await aclient.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"Question {i}"}], stream=True
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
        return len(text)


lengths = await asyncio.gather(*(one_stream(i) for i in range(20)))  # noqa: F704 (Jupyter runs top-level await)
print(f"20 个流，共 {sum(lengths)} 个字符，用了 {sim.clock.now():.1f} 个模拟秒，发出 {len(sim.log)} 个请求")

# %% [markdown]
# 每个流要一两秒；一次跑五个，二十个流也就几秒钟，而不是一个流的二十倍。在真实的程序里，给每个流都套上第 4 节的重试，
# 这样一个流断了，不会把其他流也拖下水。
#
# ## 要点回顾
#
# - 第一个数据块之前的错误就是常见的 HTTP 错误，由 `create()` 抛出，SDK 照常重试。流和其他请求一样占用你的速率限制。
# - 200 之后，错误会在你遍历时到来：错误事件是 `APIError`，连接断开是 `APIConnectionError`，卡住不动是 `APITimeoutError`。
#   SDK 从不重试这些错误。
# - 要重试一个流，只能从头再来：已收到的文本要么丢掉，要么有意保留并明确说明。
# - 读取超时限的是两段数据之间的间隔：把它设成用户最多愿意等第一批文字的时间。
# - Responses 流以 `response.completed`、`response.incomplete` 或 `response.failed` 结束（这些是事件，不是异常），
#   或者以一个 `error` 事件结束，SDK 会把它作为 `APIError` 抛出。
#
# **下一步**：[00 — 从这里开始：应对 OpenAI API 的各种错误](00_start_here.ipynb)，回到开头看看整门课程的地图；或者把模拟器作为服务器运行（`make serve`），让你自己写的流式代码连上它试试。

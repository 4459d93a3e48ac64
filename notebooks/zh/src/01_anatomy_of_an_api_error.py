# %% [markdown]
# # 剖析一个 API 错误
#
# 调用 OpenAI API 失败时，返回的东西信息量不小：一个状态码、几个响应头，外加一小段 JSON 响应体，
# `openai` 包再把它们统统装进一个异常。本课把一个错误拆开，一块一块地看。
# 看明白之后，后面每一课只要说一句“看 `code`”，你就知道该去哪里找。
#
# **本课你将学到**
# - 请求和响应在网络上传输时长什么样，错误详情放在哪里；
# - JSON 错误体的四个字段：`message`、`type`、`param` 和 `code`；
# - SDK 异常的哪些属性保存着这些信息（`status_code`、`code`、`request_id`、`body` 等）；
# - 哪个 HTTP 状态码对应哪个异常类，哪些错误压根没有状态码；
# - 怎样查本课程的错误目录，怎样揪出那些注定白费的重试。
#
# **学习时间**：约 20 分钟。
#
# **前置知识**：[00 从这里开始：应对 OpenAI API 的各种错误](00_start_here.ipynb)；Python 字典和 `try`/`except`。
# 不需要 API 密钥，所有请求都发给模拟的 API。

# %% [markdown]
# ## 准备工作
#
# 本课要用的 import 都集中在这个单元格里，先运行它（**Shift + Enter**）。
#
# 我们只创建一个模拟器 `sim`，下面所有客户端都用它。这样每个请求都有自己的请求 ID，
# 模拟器的日志（`sim.log`）也会把所有请求都记下来。

# %%
from html import escape

import openai
from IPython.display import HTML, display

from helpers.anatomy import show_error
from helpers.catalog import load_catalog
from helpers.retry.classify import classify_exception
from helpers.simulator import Simulator, http_client, make_client

sim = Simulator(seed=1)
raw = http_client(sim)  # 一个普通的 httpx.Client：HTTP 往来原样呈现在你眼前


def show_response(response):
    """打印 HTTP 响应的三个部分：状态行、响应头、响应体。"""
    print("状态行：", response.status_code, response.reason_phrase)
    print("响应头：")
    for name, value in response.headers.items():
        print(f"    {name}: {value}")
    print("响应体：")
    print(response.text)


print("准备就绪，模拟的 API 地址：", raw.base_url)

# %% [markdown]
# ---
# ## 一个请求和它的响应
#
# 每次调用 SDK，底层都是一个 HTTP 请求：写明方法和路径，在 `Authorization` 请求头里带上你的密钥，
# 再附上一段 JSON 请求体。下面用 `httpx` 手动发一个，密钥用演示密钥 `sk-demo-ok`。
# 返回的内容分三部分：一个**状态行**、一组**响应头**和一个**响应体**。

# %%
request_body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 20}
response = raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-ok"})
show_response(response)

# %% [markdown]
# 有几个响应头值得记住名字：
#
# | 响应头 | 它告诉你什么 |
# |---|---|
# | `x-request-id` | 这个请求独一无二的 ID，找人求助时一定要附上 |
# | `openai-organization` | 这次调用记在哪个组织的账上 |
# | `x-ratelimit-*` | 速率限制还剩多少、什么时候恢复（第 03 课） |

# %% [markdown]
# ---
# ## 同一个请求，出错了
#
# 这次只改一处：密钥。`sk-demo-typo` 从来没有签发过，所以 API 拒绝了这个请求，状态码是 **401**。
# 同样的三个部分，再看一遍。

# %%
response = raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-typo"})
show_response(response)

# %% [markdown]
# 所有 API 错误的响应体结构都一样：只有一个键 `error`，里面是四个字段。
# 这四个字段总是都在，用不上的值为 `null`。
#
# | 字段 | 内容 | 本例中的值 |
# |---|---|---|
# | `message` | 一句写给人看的话，措辞可能随时间调整 | "Incorrect API key provided: ..." |
# | `type` | 错误所属的大类 | `invalid_request_error` |
# | `param` | 出问题的请求参数（如果有的话） | `null` |
# | `code` | 这个错误简短、固定不变的名字：**代码里要按它来判断** | `invalid_api_key` |
#
# 再留意响应头里*少了*什么：没有 `x-ratelimit-*`，也没有 `openai-organization`。
# API 还没弄清你是谁，就把请求挡了回去。
#
# 再看两个错误。这回 `param` 有了值，`code` 也不一样了：

# %%
mistakes = {
    "max_tokens 传成了字符串": {**request_body, "max_tokens": "20"},
    "用了一个不存在的模型": {**request_body, "model": "gpt-5-turbo-preview"},
}
for label, body in mistakes.items():
    response = raw.post("/chat/completions", json=body, headers={"Authorization": "Bearer sk-demo-ok"})
    error = response.json()["error"]
    print(f"{label}：HTTP {response.status_code}")
    for field in ("message", "type", "param", "code"):
        print(f"    {field:8}= {error[field]!r}")

# %% [markdown]
# ---
# ## SDK 抛出的异常
#
# 用 `openai` 包的话，这段 JSON 不用你自己解析：只要状态码在 400 及以上，SDK 就抛出异常，
# 每一部分都放在异常的属性里。`make_client` 返回的是一个货真价实的 `openai.OpenAI` 客户端，
# 只是它连的是我们的模拟器。

# %%
typo_client = make_client("sk-demo-typo", sim)
try:
    typo_client.chat.completions.create(**request_body)
except openai.APIStatusError as exc:
    error = exc

print("class        :", type(error).__name__)
print("status_code  :", error.status_code)
print("type         :", error.type)
print("code         :", error.code)
print("param        :", error.param)
print("request_id   :", error.request_id)
print("body         :", error.body)
print("message      :", error.message)
print("content-type :", error.response.headers["content-type"])


# %% [markdown]
# 这里有两个坑，很容易踩：
#
# - `error.body` 是**里层**的那个对象（也就是那四个字段），不是整段 JSON。
#   要写 `error.body["message"]`，而不是 `error.body["error"]["message"]`。
# - `error.message` 是 SDK 自己拼出来的摘要，形如 `Error code: 401 - ...`。
#   API 原本的那句话在 `error.body["message"]` 里。
#
# `error.response` 是完整的 HTTP 响应，所有响应头都能从这里拿到；`error.request_id` 其实就是其中的
# `x-request-id` 响应头。
#
# 后面几课会用 `helpers.anatomy` 里的 `show_error(error)`，一次打印出最要紧的几项：
# 异常类、状态码、`type`、`code` 和 API 返回的消息，再加上你点名要看的响应头。

# %%
show_error(error, headers=["x-request-id"])

# %% [markdown]
# ---
# ## 原始 HTTP 和 SDK 对照看
#
# SDK 有没有藏掉什么信息？把同一个出错的请求用两种方式各发一次，两边看到的内容并排摆出来比一比。
# 请求 ID 不一样，因为这是两个独立的请求；其余各项完全相同。


# %%
def from_http(response):
    error = response.json()["error"]
    return {
        "status": response.status_code,
        "type": error["type"],
        "code": error["code"],
        "param": error["param"],
        "request id": response.headers["x-request-id"],
    }


def from_sdk(exc):
    return {
        "status": exc.status_code,
        "type": exc.type,
        "code": exc.code,
        "param": exc.param,
        "request id": exc.request_id,
    }


http_view = from_http(
    raw.post("/chat/completions", json=request_body, headers={"Authorization": "Bearer sk-demo-typo"})
)
try:
    typo_client.chat.completions.create(**request_body)
except openai.APIStatusError as exc:
    sdk_view = from_sdk(exc)

print(f"{'':12} {'raw httpx':38} {'openai SDK':38}")
for field in http_view:
    same = "一致" if http_view[field] == sdk_view[field] else "不同"
    print(f"{field:12} {str(http_view[field]):38} {str(sdk_view[field]):38} {same}")

# %% [markdown]
# 这两个请求都记在模拟器的日志里。每条日志有时间（模拟的秒数）、路径、密钥（按 API 的方式打了码）、
# 状态码和错误码。（`sk-demo-typo` 太短，打码后什么也没遮住；第 02 课有个长一些的例子。）

# %%
for entry in sim.log[-2:]:
    print(f"t={entry.time:.3f}s  {entry.method} {entry.path}  key={entry.key}  ->  {entry.status} {entry.code}")


# %% [markdown]
# ---
# ## 异常家族
#
# SDK 的异常几乎都派生自 `openai.OpenAIError`，唯一的例外是 `InvalidWebhookSignatureError`：
# 它在 webhook 签名校验不通过时抛出，只是个普通的 `ValueError`。
# 调用 API 出的错都归在 `openai.APIError` 之下。下面直接从已安装的包里读出这一支的继承树：


# %%
def print_tree(cls, depth=0):
    print("    " * depth + cls.__name__)
    for subclass in sorted(cls.__subclasses__(), key=lambda c: c.__name__):
        print_tree(subclass, depth + 1)


print_tree(openai.APIError)

# %% [markdown]
# （`OAuthError` 是一种特殊的 401，来自一种较新的、基于 token 的登录方式，本课程用不到。）

# %% [markdown]
# SDK 按下面的规则挑选异常类：
#
# | 发生了什么 | 异常 |
# |---|---|
# | 400 | `BadRequestError` |
# | 401 | `AuthenticationError` |
# | 403 | `PermissionDeniedError` |
# | 404 | `NotFoundError` |
# | 409 | `ConflictError` |
# | 422 | `UnprocessableEntityError` |
# | 429 | `RateLimitError`：速率限制用它，钱包空了**也**用它 |
# | 500 及以上（500、503 等） | `InternalServerError` |
# | 其他大于等于 400 的状态码 | 普通的 `APIStatusError` |
# | 没能及时收到响应 | `APITimeoutError` |
# | 根本没收到响应 | `APIConnectionError` |
#
# 最后两种压根没收到响应，所以**没有状态码、没有响应体，也没有请求 ID**。
# 下面把这两种情况都制造出来：模型 `gpt-demo-slow` 要过 30 秒（模拟时间）才应答，而我们只等半秒；
# `gpt-demo-dropped` 则一声不吭就断开连接。设了 `max_retries=0`，SDK 会立即放弃，不再重试。

# %%
impatient = make_client("sk-demo-ok", sim, max_retries=0, timeout=0.5)

for model in ("gpt-demo-slow", "gpt-demo-dropped"):
    try:
        impatient.chat.completions.create(**{**request_body, "model": model})
    except openai.APIConnectionError as exc:  # APITimeoutError 是 APIConnectionError 的一种
        print(f"{model}: {type(exc).__name__}: {exc.message}")
        print(f"    有 status_code 属性吗？{hasattr(exc, 'status_code')}   body：{exc.body}")
        print(f"    底层 httpx 看到的异常：{exc.__cause__!r}")


# %% [markdown]
# `APITimeoutError` 是 `APIConnectionError` 的子类，所以 `except` 子句要先写具体的，再写宽泛的。
# 顺序反了，宽泛的那个会抢先把所有异常都接走：
#
# ```python
# try:
#     ...
# except openai.APITimeoutError:       # 先写具体的
#     ...
# except openai.APIConnectionError:    # 再写它的父类
#     ...
# except openai.APIStatusError as exc: # 所有状态码大于等于 400 的响应
#     ...
# ```

# %% [markdown]
# ---
# ## 错误目录
#
# 本课程给每种错误都建了一条记录，放在 `data/catalog.json` 里。`load_catalog()` 把它们读成 `Entry` 对象，
# 字段有 `status`、`type`、`code`、`sdk_exception`、`retryable`（重试*有没有可能*成功？）
# 和 `sdk_retries`（SDK 默认会不会重试它？），还有英文、中文两个版本的标题、原因和解决办法
# （例如 `entry.text("fix", "en")`）。
#
# 用不着 pandas：一个字典列表，加一个小小的 HTML 辅助函数，就能排出一张清楚的表格。


# %%
def show_table(rows, columns):
    """把字典列表显示成 HTML 表格（每个字典一行，`columns` 里的每个键一列）。"""
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in columns)
    lines = [
        "<tr>" + "".join(f"<td style='text-align:left'>{escape(str(row[c]))}</td>" for c in columns) + "</tr>"
        for row in rows
    ]
    display(HTML(f"<table><tr>{head}</tr>{''.join(lines)}</table>"))


catalog = load_catalog()
rows = [
    {
        "id": e.id,
        "status": e.status,
        "type": e.type,
        "code": e.code,
        "exception": e.sdk_exception,
        "retryable": e.retryable,
        "SDK retries": e.sdk_retries,
    }
    for e in catalog
]
print(len(rows), "种错误收录在目录里")
show_table(rows, ["id", "status", "type", "code", "exception", "retryable", "SDK retries"])

# %% [markdown]
# 表中 `retryable` 一列表示重试有没有可能成功，`SDK retries` 一列表示 SDK 默认会不会重试。
#
# 每条记录还附有说明。下面是前面碰到的那个错误的说明：

# %%
entry = next(e for e in catalog if e.id == "incorrect_api_key")
print(entry.text("title"))
print()
print("原因：", entry.text("cause"))
print()
print("解决：", entry.text("fix"))
print()
print("重试：", entry.text("retry"))

# %% [markdown]
# ### 错误浏览器
#
# 错误浏览器把上面这些步骤合在了一起。从目录里选一条记录，或者切到“自己发请求”，填上密钥和模型。
# 它会把请求发给一个全新的模拟器，然后列出原始的 HTTP 往来、SDK 抛出的异常及其属性、错误原因、
# 解决办法，以及重试有没有用。用 **English** / **中文** 按钮可以切换说明文字的语言。

# %%
from helpers.widgets import ErrorExplorer

explorer = ErrorExplorer()
explorer.entry.value = "rate_limit_reached"
explorer

# %% [markdown]
# 本课程的辅助函数还能直接判断一个真实抛出的异常：`classify_exception` 告诉你重试有没有用，并给出理由。

# %%
verdict = classify_exception(error)
print(f"重试有用吗：{verdict.retryable}   类别：{verdict.kind}   原因：{verdict.reason}")


# %% [markdown]
# ---
# ## 练习 1：一行说清一个错误
#
# 写一个函数 `diagnose(exc)`，把一个 `openai.APIStatusError` 变成一个能直接写进日志的小字典，
# 字典里必须有这些键：
#
# | 键 | 值 |
# |---|---|
# | `"status"` | HTTP 状态码，`int` 类型 |
# | `"exception"` | 异常类名，例如 `"AuthenticationError"` |
# | `"type"`、`"code"` | 取自错误体（两者都可能是 `None`） |
# | `"message"` | **API 返回的**那句话（不是 SDK 拼出来的 `Error code: ...` 摘要） |
# | `"request_id"` | `x-request-id` 的值 |
# | `"retry"` | 重试有可能成功就是 `True`，否则是 `False`。有可能成功的情况：状态码是 408、409 或 500 及以上；或者是 429，并且 `type` 和 `code` 都*不是* `"insufficient_quota"`。（这只是粗略的第一版规则：它仍然会把 429 *Request too large* 判为可重试，可这么大的请求永远超出限制，重试多少次都没用；练习 2 和 `classify_exception` 会把它判对。） |
#
# 检查单元格会向模拟器发几种会出错的请求，把你返回的字典逐一和预期结果比对。


# %% tags=["exercise"]
def diagnose(exc):
    # 在这里写你的代码：返回一个字典，包含 status、exception、type、code、message、request_id、retry 这几个键。
    return {}


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/01_diagnosis.py

# %%
from helpers.checks import check_diagnosis

check_diagnosis(diagnose)
# %% [markdown]
# ---
# ## 练习 2：注定白费的重试
#
# 对比目录表格里的 `retryable` 和 `SDK retries` 两列。有些错误重试多少次都不可能成功，
# SDK 默认却照样重试：白白浪费时间，赶上繁忙的时候，还会占掉你一部分速率限制。
#
# 把所有这类记录的 `id` 放进列表 `wasted`。

# %% tags=["exercise"]
wasted = []
# 在这里写你的代码：把 SDK 会重试、实际上却不可重试的那些记录的 id 放进 `wasted`。

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/01_wasted_retries.py

# %%
from helpers.checks import check_wasted_retries

check_wasted_retries(wasted)

# %% [markdown]
# SDK 只看状态码（外加一两个响应头）做决定，从不读响应体，所以它分不清“请慢一点”和“你没钱了”：
# 两者都是 429。你自己的代码却分得清，读一下 `code` 和 `type` 就行。第 04 课还会回到这个话题。

# %% [markdown]
# ## 要点回顾
#
# - 一个 API 错误由三部分组成：**状态码**、**响应头**（一定有 `x-request-id`）和 **JSON 响应体**，
#   响应体里有 `message`、`type`、`param` 和 `code`。
# - 程序里要按 `code`（以及 `type`）来判断；`message` 是写给人看的，措辞可能会变。
# - SDK 为每种状态码抛出对应的异常类（401 → `AuthenticationError`，429 → `RateLimitError`，
#   5xx → `InternalServerError` 等）。异常的 `body` 是里层的错误对象，`request_id` 就是 `x-request-id` 响应头。
# - `APITimeoutError` 和 `APIConnectionError` 表示根本没收到响应：没有状态码、没有响应体，也没有请求 ID。
# - 错误目录列出了每种错误，并注明重试有没有用；有些 429 重试永远不会成功，SDK 却照样重试。
#
# **下一步**：[02 — 认证错误（401、403）](02_authentication_401.ipynb)

# %% [markdown]
# # 从这里开始：应对 OpenAI API 的各种错误
#
# 欢迎！调用 OpenAI API 可能碰到的各种错误，这门课会带你逐一见识：密钥写错、撞上速率限制、配额用光、服务器过载……
# 你还会学会重试、退避和限流这几招，让程序碰到这些错误也能接着跑。
#
# **本课你将学到**
# - 怎样运行 notebook，怎样使用里面的交互控件；
# - 怎样确认环境已经装好；
# - 怎样向*模拟的* OpenAI API 发出第一个请求，并看懂你遇到的第一个错误。
#
# **学习时间**：约 10 分钟。**前置知识**：Python 基础（函数、`try`/`except`）。
#
# **手上正有报错**？直接跳到下面的[急救通道](#fast-track)：只读课程里能解决你这个错误的几节，大约 30 分钟。

# %% [markdown]
# ## 这门课怎么学
#
# 按 **Shift + Enter** 运行一个单元格。请从上到下依次运行；要是结果看着不对劲，就选
# *Kernel → Restart Kernel and Run All Cells*，重启内核，从头全部重跑一遍。
#
# **练习**都是三个单元格一组：第一个写你的答案，第二个可以载入参考答案，第三个检查你做得对不对。
# 参考答案不会自己运行，点了 *Run All Cells* 也不会，所以跑出来的始终是你自己的答案。
# 卡住了？在参考答案单元格里删掉 `%load` 前面的 `# `，运行这个单元格，答案就会载入进来。
# 可以只读一读，也可以再运行一次，直接用它。
#
# 整门课**不需要 API 密钥，不需要联网，也不花一分钱**。所有请求都发给一个*模拟的* OpenAI API，它就跑在这个
# notebook 里。它返回的状态码、响应头和 JSON 响应体都照着真实服务做，依据是官方文档和公开的抓包记录，
# 所以官方的 `openai` Python 包分辨不出来，抛出的异常和生产环境里一模一样。
# 有些报错文本没人抓到过原文，模拟器就用自己拟的文字代替，这些地方都列在 `data/README.md` 里。
#
# 时间也是模拟的：下面的代码等速率限制恢复，哪怕要等上一分钟，实际也只花几微秒。

# %% [markdown]
# ## 检查环境
#
# 运行下面这个单元格，检查依赖包装好没有、模拟的 API 能不能应答。每一行都应该以 `OK` 开头；
# 如果有一行以 `FAIL` 开头，那一行会告诉你怎么解决。

# %%
try:
    from helpers.install_check import run_checks
except ImportError:
    print("FAIL helpers：当前内核导入不了本课程的包。")
    print("     解决办法：在仓库目录下运行 `make lab`（或在那里执行 `pip install -e .`），然后选择")
    print("     “Python 3” 内核并重启它。")
else:
    for check in run_checks():
        print(check.line())

# %% [markdown]
# ## 第一个请求
#
# `make_client` 返回一个货真价实的 `openai.OpenAI` 客户端，只是它的请求都发往模拟器。
# 演示密钥 `sk-demo-ok` 属于付费组织 `org-demo`。

# %%
import openai

from helpers.simulator import make_client

client = make_client("sk-demo-ok")
reply = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "跟正在学习的同学打个招呼。"}],
    max_tokens=50,
)
print(reply.choices[0].message.content)
print(reply.usage.total_tokens, "个 token 已消耗")

# %% [markdown]
# 每个响应都带有响应头，其中两类在这门课里特别重要：`x-request-id`（找人求助时记得附上它），
# 和 `x-ratelimit-*` 这一组（告诉你速率限制还剩多少余量）。

# %%
raw = client.chat.completions.with_raw_response.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "又见面了"}], max_tokens=20
)
for name, value in raw.headers.items():
    if name.startswith(("x-request-id", "x-ratelimit", "openai-")):
        print(f"{name}: {value}")

# %% [markdown]
# ## 第一个错误
#
# 这次换一把拼错了的密钥。API 返回 **401**，SDK 随即抛出 `openai.AuthenticationError`，
# API 说的每一项都能在这个异常的属性里找到。

# %%
bad_client = make_client("sk-demo-typo")
try:
    bad_client.models.list()
except openai.AuthenticationError as exc:
    print("状态码  :", exc.status_code)
    print("错误码  :", exc.code)
    print("消息    :", exc.body["message"])
    print("请求 ID :", exc.request_id)

# %% [markdown]
# ## 交互控件怎么用
#
# 有些单元格会显示*控件*，比如滑块和按钮：拖一拖、点一点，实验就会重新运行。试试下面这个：
# 它用免费层级的密钥 `sk-demo-free` 一口气发出一批请求，而这把密钥**每分钟只能发 3 个请求**。
# 控件会列出每个请求的结果，以及 API 让它等多久。
#
# 模拟器因速率限制返回 429 时，总会带上 `Retry-After` 响应头，真实的 API 却只是有时才带。
# 所以 `how_long` 先看这个响应头；没有的话，就去错误消息里找“Please try again in ...”；
# 再找不到，就只能退避（第 06 课会讲）。

# %%
import re

import ipywidgets as widgets

from helpers.simulator import Simulator


def how_long(exc):
    """429 要求等多久：有 Retry-After 就用它，否则看消息里的 "try again in"，都没有就退避。"""
    header = exc.response.headers.get("retry-after")
    if header is not None:
        return f"Retry-After: {header} 秒"
    found = re.search(r"try again in ([0-9.hms]+)\.", exc.body.get("message", "") if isinstance(exc.body, dict) else "")
    return f"消息里写着：try again in {found[1]}" if found else "没有提示：只能退避"


def burst(requests):
    free = make_client("sk-demo-free", Simulator(), max_retries=0)
    for n in range(1, requests + 1):
        try:
            free.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
            print(f"第 {n} 个请求：200 OK")
        except openai.RateLimitError as exc:
            print(f"第 {n} 个请求：429 {exc.code}（{how_long(exc)}）")


widgets.interactive(burst, requests=widgets.IntSlider(value=4, min=1, max=8, description="请求数"))
# %% [markdown]
# ## 练习：抓住你的第一个速率限制错误
#
# 用 `free_client` 一直发请求，直到 API 拒绝其中一个，把抛出的异常存进 `error`。
# 这里设了 `max_retries=0`，免得 SDK 自己悄悄重试；不关掉的话 SDK 会怎么做，第 03 课会演示。

# %% tags=["exercise"]
free_client = make_client("sk-demo-free", max_retries=0)
error = None
# 在这里写你的代码：用 free_client 发请求，把捕获到的 openai.RateLimitError 存进 `error`。

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/00_first_rate_limit.py

# %%
from helpers.checks import check_first_rate_limit

check_first_rate_limit(error)

# %% [markdown]
# ## 课程地图
#
# | 编号 | 课程 | 时长（分钟） |
# |---|---|---|
# | 00 | 从这里开始（就是本课） | 10 |
# | 01 | [剖析一个 API 错误](01_anatomy_of_an_api_error.ipynb) | 20 |
# | 02 | [认证错误（401、403）](02_authentication_401.ipynb) | 25 |
# | 03 | [速率限制（429）](03_rate_limits_429.ipynb) | 35 |
# | 04 | [配额与账单错误（429）](04_quota_and_billing_429.ipynb) | 20 |
# | 05 | [服务器错误（500、503）、超时与连接中断](05_server_errors_500_503.ipynb) | 35 |
# | 06 | [退避实验室](06_backoff_lab.ipynb) | 45 |
# | 07 | [多个客户端：惊群、重试预算与成倍放大的重试](07_many_clients.ipynb) | 35 |
# | 08 | [不超过速率限制：限流、批处理与并发上限](08_staying_under_the_limit.ipynb) | 30 |
# | 09 | [上线检查清单：写出扛得住 API 错误的代码](09_production_checklist.ipynb) | 25 |
# | 10 | [流式输出与 Responses API](10_streaming_and_responses.ipynb) | 30 |
#
# 全部学完大约要 5 小时。每一课末尾都有链接，点一下就进入下一课。

# %% [markdown]
# <a id="fast-track"></a>
#
# ## 急救通道：手上正有一个报错
#
# 在第一列找到你遇到的错误，按顺序读完那一行列出的几节，其余内容先跳过。每条路线大约 30 分钟；
# 等火扑灭了，再回来把整门课补上。
#
# | 你看到的错误 | 按这个顺序读 | 时长（分钟） |
# |---|---|---|
# | **429**，`code` 是 `rate_limit_exceeded`（或者 `type` 是 `requests` / `tokens`） | 第 03 课第 2–4 节（读懂错误消息和响应头）→ 第 03 课第 7 节（SDK 已经替你重试了什么）→ 第 06 课第 9 节（能上线的重试循环：服务器提示的等待和退避时间，取较长的那个）→ 第 08 课第 2 节（客户端限流器：主动控制发送节奏） | 30 |
# | **429**，`code` 是 `insufficient_quota` 或其他账单相关的错误码 | 第 04 课第 1–6 节：这是钱的问题，重试多少次都解决不了 | 20 |
# | **401** 或 **403** | 第 02 课的“API 怎样确认你是谁”→ 标题和你的报错消息对得上的那一节 → 第 02 课的“检查你自己的环境” | 20 |
# | **500**、**503**、超时或连接中断 | 第 05 课第 1–3 节和第 5–7 节 → 第 06 课第 9 节 | 30 |
# | 其他错误 | 第 01 课的“错误目录”：按状态码和错误码查找 | 10 |
#
# 不管遇到哪种错误，都先把 `exc.status_code`、`exc.code` 和 `exc.body["message"]` 打印出来（第 01 课会教你怎么做）：
# 光看状态码，分不清是撞上了速率限制，还是配额已经用光。

# %% [markdown]
# ## 要点回顾
#
# - 模拟的 API 以真实 API 为蓝本，所以哪怕没有密钥，`openai` SDK 抛出的也是真实的异常。
# - 一个 API 错误包含状态码、JSON 响应体（`message`、`type`、`param`、`code`）和一些有用的响应头。
# - 免费层级每分钟只能发 3 个请求，第 4 个会收到 **429**。模拟器这时会带上 `Retry-After` 响应头；
#   真实的 API 只是有时才带，所以没有这个响应头时，就看消息里的“try again in”，再没有就退避。
#
# **下一步**：[01 — 剖析一个 API 错误](01_anatomy_of_an_api_error.ipynb)

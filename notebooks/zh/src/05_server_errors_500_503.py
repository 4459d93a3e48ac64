# %% [markdown]
# # 服务器错误（500、503）、超时与连接中断
#
# 前面几课的错误，问题都出在*你*这边：你的密钥、你的请求速率、你的钱。本课不一样：请求本身没问题，是半路上
# 或者对面出了岔子。可能是服务器出错了，可能是模型忙不过来，可能是回答太慢，也可能是连接断了。这些错误大多
# 值得重试，但不是全部，而且不能闭着眼睛重试。
#
# **本课你将学到**
# - **500** 和两种形式的 **503** 长什么样，为什么会出现，该怎么处理；
# - SDK 怎样重试它们，怎样遵守 **`Retry-After`**，什么时候会放弃；
# - 怎样把 **429 `slow_down`** 和其他 429 区分开；
# - **超时**是怎么回事，SDK 为什么会重试超时，一次调用在最坏情况下要花多久；
# - **连接错误**长什么样；
# - 哪些请求可以放心重试，以及为什么超时不代表服务器什么都没做。
#
# **学习时间**：约 35 分钟。
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 运行单元格、`make_client`、看懂 `openai` 抛出的异常 | 必需 | 第 00 课 |
# | `client.with_options(...)`、模拟器的日志 | 有帮助 | 第 04 课 |
# | 普通的速率限制和 `Retry-After` | 有帮助 | 第 03 课 |

# %% [markdown]
# ## 准备工作
#
# 本课要用的东西都在下面这个单元格里。`show_log` 会打印模拟的服务器收到了哪些请求：每个请求一行，包括它到达时
# 的虚拟时间，以及 SDK 的重试计数（`x-stainless-retry-count`，输出里写作 `重试 #0`、`重试 #1`……）。

# %%
import ipywidgets as widgets
import openai

from helpers.anatomy import show_error
from helpers.retry import classify_exception
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Tell me a fact about servers."}]


def show_log(simulator):
    """模拟的服务器每应答一个请求，就打印一行。"""
    for entry in simulator.log:
        answer = entry.status if entry.status is not None else "无应答"
        print(f"  t={entry.time:6.2f} s  重试 #{entry.retry_count}  {entry.model:16}  {answer} {entry.code or ''}")


# %% [markdown]
# ---
# ## 1. 500：“The server had an error while processing your request”
#
# ### 你会看到什么
#
# 演示模型 `gpt-demo-flaky` 大约五个请求里会失败一个。失败的时机由固定的随机种子决定，所以每次运行结果都一样。
# 我们用 `max_retries=0` 发十个请求，这样每次失败都会原样交到我们手上：

# %%
flaky = make_client("sk-demo-ok", max_retries=0)
outcomes = []
for _ in range(10):
    try:
        flaky.chat.completions.create(model="gpt-demo-flaky", messages=MESSAGES)
        outcomes.append("200")
    except openai.InternalServerError as exc:
        outcomes.append(str(exc.status_code))
        server_error = exc
print(" ".join(outcomes))

# %%
show_error(server_error, headers=["x-request-id"])
print("exc.request_id:", server_error.request_id)

# %% [markdown]
# ### 为什么会这样
#
# 请求本身没问题，是 OpenAI 那边在处理它的时候出了故障。错误指南给它起的标题是 *"The server had an error while
# processing your request"*（服务器在处理你的请求时出错）。你实际收到的消息也是这个意思，还会顺带道个歉。
#
# ### 怎样诊断
#
# - `openai.InternalServerError`，状态码 **500**，`type` 为 **`server_error`**，`code` 为 **`None`**。
# - 消息里带着一个**请求 ID**，和 `x-request-id` 响应头、`exc.request_id` 是同一个值。记得把它写进日志：找技术
#   支持时，对方要的就是它。
# - 偶尔出一个 500 很正常。要是接连出现一大串，那就是出事故了，去看看 OpenAI 的状态页。
#
# ### 怎样解决，重试有没有用？
#
# 你的请求没什么要改的，**稍等片刻再重试**就行，而 SDK 自己就会这么做。还是那十个请求，这次用默认的
# `max_retries=2`：

# %%
flaky = make_client("sk-demo-ok")  # 默认：max_retries=2
for _ in range(10):
    flaky.chat.completions.create(model="gpt-demo-flaky", messages=MESSAGES)
print("10 次调用全部成功；服务器一共收到", len(flaky.simulator.log), "个请求：")
show_log(flaky.simulator)

# %% [markdown]
# 每个 500 出现后，大约过 0.4 秒就有一次重试（`重试 #1`），而且都成功了。这段停顿是 SDK 自带的退避。
# 你的代码压根没看到这些错误。（有好几次调用的时间戳相同，是因为虚拟时间只在有人等待时才往前走。）
#
# 不过，尝试次数一定要设上限：真的发生故障时，每次重试也都会失败。

# %% [markdown]
# ---
# ## 2. 503：模型过载
#
# 演示模型 `gpt-demo-busy` 在**每 15 秒中的前 5 秒**处于过载状态（从模拟器启动那一刻算起）。它返回的 503
# 有两种形式：旧的和现在的。
#
# ### 你会看到什么：旧形式（“engine overloaded”）
#
# 最早的错误指南管它叫 *"The engine is currently overloaded, please try again later"*（引擎当前过载，请稍后
# 再试）。当时实际收到的错误体是下面这样的（模拟器用 `overload_style="legacy"` 重现它）：

# %%
legacy = make_client("sk-demo-ok", Simulator(overload_style="legacy"), max_retries=0)
try:
    legacy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    legacy_503 = exc

show_error(legacy_503, headers=["retry-after"])  # 没有：文档里没写过，抓包也从没见它带过 Retry-After

# %% [markdown]
# ### 你会看到什么：现在的形式（`server_is_overloaded`）

# %%
busy = make_client("sk-demo-ok", Simulator(), max_retries=0)
try:
    busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    current_503 = exc

show_error(current_503, headers=["retry-after"])  # 单位是秒

# %% [markdown]
# 两种形式都是 **`openai.InternalServerError`**，而不是 `RateLimitError`。如果你那段“应对限流”的代码只捕获
# `RateLimitError`，每一个 503 都会从它手里漏过去。
#
# ### 为什么会这样
#
# 你的请求和账号都没问题：只是此刻所有人的流量加在一起，模型已经没有多余的算力了。下面是演示模型的过载时间表：
# 在 15 秒的虚拟时间里，每秒发一个请求：

# %%
sim = Simulator()
busy = make_client("sk-demo-ok", sim, max_retries=0)
for _ in range(15):
    try:
        busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
    except openai.InternalServerError:
        pass
    sim.clock.advance(1)  # 让虚拟时间过去一秒

print("时间（秒）：", " ".join(f"{e.time:3.0f}" for e in sim.log))
print("状态码    ：", " ".join(f"{e.status:3}" for e in sim.log))


# %% [markdown]
# ### 怎样诊断
#
# - 状态码 **503**。现在的形式是 `type="service_unavailable_error"`、`code="server_is_overloaded"`；旧形式是
#   `type="server_error"`、`code=None`，消息里写着“currently overloaded”。
# - **`retry-after`** 响应头*可能*会告诉你要等多久。OpenAI 的指南说它可能出现；在演示环境里，现在的形式会带上它，
#   2023 年的旧形式则不带。
#
# ### 怎样解决，重试有没有用？
#
# 有用，过载总会过去。**至少等够 `retry-after` 再重试**。如果模型长时间都很忙，就照新版消息里的建议，
# **回退到另一个模型**。


# %%
def ask_with_fallback(client, messages, models=("gpt-demo-busy", "gpt-4o-mini")):
    for model in models:
        try:
            return client.chat.completions.create(model=model, messages=messages)
        except openai.InternalServerError as exc:
            print(f"{model}：{exc.status_code} {exc.code or exc.type}，换下一个模型试试")
    raise RuntimeError("所有模型都过载了")


reply = ask_with_fallback(make_client("sk-demo-ok", max_retries=0), MESSAGES)
print("回答来自", reply.model)

# %% [markdown]
# SDK 自己就会重试 503，而且等待的时间和 `retry-after` 说的分毫不差。下面的第一个请求到达时，过载期已经开始了
# 1.3 秒，而过载要到第 5 秒才结束：

# %%
sim = Simulator()
busy = make_client("sk-demo-ok", sim)  # 默认：max_retries=2
sim.clock.advance(1.3)
busy.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
show_log(sim)
print("SDK 等待了：", busy.retry_sleeps, "秒")

# %% [markdown]
# ---
# ## 3. `Retry-After` 与 `retry-after-ms`
#
# `retry-after` 响应头只能写整数秒，那 SDK 为什么等了 3.7 秒？我们在同一时刻（过载期开始后 1.3 秒）再发一次
# 同样的请求，这次不重试，把服务器发来的两个响应头都读出来：

# %%
sim = Simulator()
sim.clock.advance(1.3)
try:
    make_client("sk-demo-ok", sim, max_retries=0).chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    print("retry-after   :", exc.response.headers.get("retry-after"), "（整数秒，向上取整）")
    print("retry-after-ms:", exc.response.headers.get("retry-after-ms"), "（毫秒：SDK 会优先读这个）")

# %% [markdown]
# SDK（openai-python 2.52 及以后的版本）是这样把它们换算成重试前的等待时间的：
#
# | 响应里写的是 | SDK 等多久 | 重试吗？ |
# |---|---|---|
# | `retry-after-ms`（优先读取），或者用秒数、日期表示的 `retry-after`：大于 0 且不超过 120 秒 | **正好**这么久，不加抖动 | 重试 |
# | 没有能用的值（缺失、0、负数、不是数字） | 用自己的退避：约 0.5 秒，然后 1 秒、2 秒……最多 8 秒，再随机减去最多 25% 作为抖动 | 重试 |
# | 超过 **120 秒** | — | **不重试**：立即抛出错误 |
#
# 最后一行很关键：服务器要你等两分钟以上时，SDK 不会提前重试，而是直接放弃，把决定权交给你。我们让这个模型
# 每次一忙就是五分钟，看看会怎样：

# %%
sim = Simulator(faults={"gpt-demo-busy": {"overload_period_s": 600, "overload_busy_s": 300}})
patient = make_client("sk-demo-ok", sim)  # 默认：max_retries=2
try:
    patient.chat.completions.create(model="gpt-demo-busy", messages=MESSAGES)
except openai.InternalServerError as exc:
    print("立即抛出；服务器要求等待", exc.response.headers.get("retry-after"), "秒")
print(len(sim.log), "个请求已发送；SDK 的等待记录：", patient.retry_sleeps)

# %% [markdown]
# 还有一点要记住：因为 SDK 会*正好*等 `retry-after` 那么久，一起被拒绝的客户端，也会一起涌回来。第 07 课会讲
# 这为什么是个问题，第 08 课则讲怎样在客户端控制发送节奏来避免它。

# %% [markdown]
# ---
# ## 4. 429 `slow_down`：你加速太猛了
#
# ### 你会看到什么
#
# `gpt-demo-ramp` 在任意 10 秒内最多接受 5 个请求。（OpenAI 的文档里有 `slow_down`，但没说明它是怎么判定的，
# 目前也还没人抓到过真实的消息：这里的规则和消息文本都是模拟器的替代品。状态码、`type` 和 `code` 则是真实的。）
# 我们连发 7 个请求，每隔半秒一个：

# %%
sim = Simulator()
ramp = make_client("sk-demo-ok", sim, max_retries=0)
for n in range(1, 8):
    try:
        ramp.chat.completions.create(model="gpt-demo-ramp", messages=MESSAGES)
        print(f"第 {n} 个请求：200")
    except openai.RateLimitError as exc:
        wait = exc.response.headers["retry-after"]
        print(f"第 {n} 个请求：{exc.status_code} type={exc.type} code={exc.code} retry-after={wait} 秒")
        slow_down = exc
    sim.clock.advance(0.5)
print("消息：", slow_down.body["message"])

# %% [markdown]
# ### 为什么会这样
#
# 你的流量涨得太快了。大家共用同一批算力，为了保护它，OpenAI 会压住突然暴涨的流量，哪怕你还没超出每分钟
# 请求数（RPM）和每分钟 token 数（TPM）的限制。
#
# ### 怎样诊断
#
# 它是 429 `RateLimitError`，和速率限制、账单错误一样。只有错误体能把三者区分开：
#
# | `type` | `code` | 含义 | 要重试吗？ |
# |---|---|---|---|
# | `requests` 或 `tokens` | `rate_limit_exceeded` | 超出了你的 RPM / TPM 限制 | 要，等够 `retry-after` 之后 |
# | `rate_limit_error` | `slow_down` | 你加速太猛了 | 要，等够 `retry-after`，之后放慢速度 |
# | `insufficient_quota` | 某个账单错误码 | 没钱了（第 04 课） | 永远不要 |
#
# ### 怎样解决，重试有没有用？
#
# 等够 `retry-after`，然后**把请求速率降回之前的水平，再慢慢往上加**。如果任务的流量很大，OpenAI 建议每 15 分钟
# 最多增长一半左右。重试是有用的，可如果重试时还是原来那样一阵一阵地猛发，只会招来下一个 `slow_down`。

# %% [markdown]
# ---
# ## 5. 超时
#
# ### 你会看到什么
#
# `gpt-demo-slow` 要 30 秒才回答。而客户端最多只等 2 秒（`timeout=2`），所以它先放弃了：

# %%
slow = make_client("sk-demo-ok", timeout=2, max_retries=0)
try:
    slow.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError as exc:
    timeout_error = exc

print("异常    ：", type(timeout_error).__name__, "-", timeout_error)
print("状态码  ：", getattr(timeout_error, "status_code", "无：没有收到任何 HTTP 应答"))
print("起因    ：", repr(timeout_error.__cause__))
print("也算 APIConnectionError 吗？", isinstance(timeout_error, openai.APIConnectionError))

# %% [markdown]
# 没有状态码，没有错误体，也没有响应头：超时是**你这一边**的事，发生在任何应答到达之前。`APITimeoutError` 是
# `APIConnectionError` 的子类，所以 `except openai.APIConnectionError` 能把两者一网打尽。
#
# ### 为什么会这样
#
# 回答花的时间超出了你愿意等的时间。原因可能是输出很长、`max_tokens` 很大、模型很忙、网络很慢，也可能是超时
# 时间对这个任务来说设得太短了。SDK 默认的超时是总共 **600 秒**，其中连接最多 5 秒。
#
# ### SDK 会重试超时
#
# 在默认的 `max_retries=2` 下，一次调用会尝试三次，每次都等满超时时间，中间还有短暂的退避等待：

# %%
slow = make_client("sk-demo-ok", timeout=2)  # 默认：max_retries=2
try:
    slow.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError:
    print("经过", round(slow.simulator.clock.now(), 2), "秒（虚拟时间）后，调用抛出了 APITimeoutError")
print("退避等待：", [round(s, 2) for s in slow.retry_sleeps], "秒")
show_log(slow.simulator)


# %% [markdown]
# **总时间 = 尝试次数 × 超时时间 + 退避等待** = 3 × 2 秒 + 0.39 秒 + 0.81 秒 = 7.2 秒。如果用默认的 600 秒超时，
# 而服务器一直不回答，一次调用就要耗上半个小时。
#
# （日志里的 `200` 不是写错了：服务器*确实*把每个请求都处理完了，只不过是在 30 秒之后，那时客户端早就不等了。
# 第 7 节会再回到这一点。）
#
# ### 怎样解决
#
# 按任务选一个合适的超时时间，并设在合适的地方：
#
# - 对一个客户端的所有调用：`make_client(..., timeout=20)`，用真实 SDK 时是 `openai.OpenAI(timeout=20)`；
# - 对部分调用：`client.with_options(timeout=5, max_retries=1).chat.completions.create(...)`；
# - 对单次调用：`client.chat.completions.create(..., timeout=5)`。
#
# 如果回答很长，就调小 `max_tokens`，或者改用流式输出，让 token 一生成就陆续送过来。
#
# ### 练习 1：最坏情况
#
# 写一个 `worst_case_seconds(timeout, max_retries)`：服务器一直不回答时，一次调用最长要花多少秒。
#
# 一共有 `max_retries + 1` 次尝试，每次 `timeout` 秒；再加上 SDK 每次重试前可能等待的最长时间：第 *k* 次重试
# （k = 1, 2, …）之前，最多等 `min(0.5 · 2**(k - 1), 8)` 秒。


# %% tags=["exercise"]
def worst_case_seconds(timeout, max_retries):
    """服务器一直不回答、每次尝试都超时的时候，一次调用最长要花多少秒。"""
    # 在这里写你的代码
    return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/05_worst_case_seconds.py

# %%
from helpers.checks import check_worst_case_seconds

check_worst_case_seconds(worst_case_seconds)


# %% [markdown]
# 接下来动手试试：拖动滑块，下面的单元格会按滑块的设置给 `gpt-demo-slow` 发一次调用，再拿实际花掉的
# 虚拟时间和你的公式对比。（SDK 真实的等待时间带有抖动，所以测得的时间会比最坏情况略短一点。）


# %%
def timeout_lab(timeout, max_retries):
    client = make_client("sk-demo-ok", timeout=timeout, max_retries=max_retries)
    try:
        client.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
        print(f"{client.simulator.clock.now():.1f} 秒后收到回答（这个模型需要 30 秒）")
    except openai.APITimeoutError:
        print(f"尝试了 {len(client.simulator.log)} 次，{client.simulator.clock.now():.1f} 秒后抛出 APITimeoutError")
    try:
        print(f"你的 worst_case_seconds 算出：{worst_case_seconds(timeout, max_retries):.1f} 秒")
    except Exception as exc:
        print(f"你的 worst_case_seconds 抛出了 {type(exc).__name__}: {exc}")


widgets.interact(
    timeout_lab,
    timeout=widgets.IntSlider(value=2, min=1, max=40, description="超时（秒）"),
    max_retries=widgets.IntSlider(value=2, min=0, max=6, description="max_retries"),
)
# %% [markdown]
# ---
# ## 6. 连接错误
#
# ### 你会看到什么
#
# `gpt-demo-dropped` 不回答任何请求，每次都直接断开连接：

# %%
dropped = make_client("sk-demo-ok")  # 默认：max_retries=2
try:
    dropped.chat.completions.create(model="gpt-demo-dropped", messages=MESSAGES)
except openai.APIConnectionError as exc:
    connection_error = exc

print("异常：", type(connection_error).__name__, "-", connection_error)
print("起因：", repr(connection_error.__cause__))
show_log(dropped.simulator)

# %% [markdown]
# ### 为什么会这样，怎样诊断
#
# 客户端始终没能和服务器完成一次完整的收发。可能是没有网络、DNS 解析失败、代理或防火墙挡在中间、TLS 证书有问题，
# 也可能是连接在回答到达之前就断了。
#
# SDK 给出的消息只有一句 *"Connection error."*，**真正的原因在 `exc.__cause__` 里**。这里是 httpx 的
# `RemoteProtocolError`，因为本课程交给 SDK 的是一个 `httpx` 客户端；如果用的是 SDK 自己的客户端（SDK 3.57 用的是
# `httpx2` 包），那就是 `httpx2.RemoteProtocolError`。
#
# 设置环境变量 `OPENAI_LOG=debug`，SDK 就会把每一次尝试都记进日志。
#
# ### 怎样解决，重试有没有用？
#
# 和超时一样，SDK 重试了两次。如果只是网络一时出了故障，这样做有用。但如果原因一直都在，比如代理设置错了、
# 主机被屏蔽了、`base_url` 写错了，那每次都会失败。这时该去检查网络和配置，而不是再多加几次重试。

# %% [markdown]
# ---
# ## 7. 哪些请求可以放心重试？
#
# “出错就重试”有个前提：失败的请求什么都没做。对超时来说，这个前提常常不成立。回头看看第 5 节的那次超时：
# 日志显示，服务器**三次尝试全都处理完了**，而组织为每一次都付了钱：

# %%
sim = slow.simulator  # 第 5 节那个 timeout=2、max_retries=2 的客户端
completed = [entry for entry in sim.log if entry.status == 200]
print(f"客户端收到 0 个回答；服务器却处理完了 {len(completed)} 个请求")
print(f"并为它们收了 {sim.spend['org-demo']:.6f} USD")

# %% [markdown]
# - **超时或连接中断，不代表服务器什么都没做**。在你不再等待之后，它可能已经把活干完了（而且计了费）。
# - 所以重试一次 chat completion，可能要**付两次钱**（这里是三次）。OpenAI SDK 不会向 API 发送幂等键，API 也
#   认不出重试的 chat completion 其实是同一个请求。
# - 如果一次 chat completion 的代价只是花点钱，重试通常没问题。但如果请求本身，或者你的代码拿到回答后要做的事
#   有副作用，比如发邮件、向客户扣款、写数据库、调用工具，那就**不能**随便重试。这些步骤得由你自己保证幂等：
#   给每个任务分配一个 ID，再次执行之前，先查一查它是不是已经做过了。
# - **带着状态码**返回的错误（500、503、429）不会产出任何内容。在模拟器里它们不花钱，只有真正生成出来的回答
#   才会计费。
#
# ### 练习 2：数一数服务器做了什么
#
# 下面这次调用会超时三次。写一个 `billed_count(log)`：从模拟器的日志（比如 `slow_client.simulator.log`）里，
# 数出服务器实际**处理完**（状态码 200）、因而都计了费的请求有几个。
#
# 注意，日志里的条目并不都算数：检查程序还会拿别的日志来测你的函数，里面夹杂着被拒绝的请求（429）、服务器错误，
# 以及断开的连接（状态码为 `None`）。

# %% tags=["exercise"]
slow_client = make_client("sk-demo-ok", timeout=5)  # 默认：max_retries=2
try:
    slow_client.chat.completions.create(model="gpt-demo-slow", messages=MESSAGES)
except openai.APITimeoutError:
    print("超时了：客户端一个回答也没收到")


def billed_count(log):
    # 在这里写你的代码：数出日志里 status 为 200 的条目
    return None


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/05_billed_count.py

# %%
from helpers.checks import check_billed_count

check_billed_count(billed_count, slow_client)
# %% [markdown]
# ### 练习 3：重试，还是不重试？
#
# 把本课（还有第 04 课）学到的东西串起来，写一个 `should_retry(exc)`。再试一次有可能成功时，它返回 `True`：
#
# - 500 和 503（`openai.InternalServerError`）、429 速率限制和 `slow_down`、超时和连接中断
#   （`openai.APIConnectionError`，包括 `APITimeoutError`）；
# - 408（请求超时）和 409（冲突）：这两种错误过一会儿也会自己消失，SDK 同样会重试它们；
#
# 其他情况返回 `False`：
#
# - 账单错误（错误码在 `BILLING_CODES` 里，或者 `type == "insufficient_quota"`），以及 401、404 之类的其他
#   4xx 错误；
# - `retry-after` 响应头要求等待**超过 120 秒**的任何响应（像 SDK 那样直接放弃）；
# - 根本不是 API 抛出的异常（你自己代码里的 bug，重试也没用）。
#
# 只有 API 状态错误（`openai.APIStatusError`）才有 `.status_code`、`.code` 和 `.response.headers`。检查程序还会
# 拿一些本课没展示过的错误来测（比如 2023 年的配额错误，它的 `code` 是 `None`）。另外，它要的是你自己的判断：
# 直接去问 `classify_exception` 可不算数。

# %% tags=["exercise"]
from helpers.retry import BILLING_CODES  # 第 04 课的五个账单错误码


def should_retry(exc):
    """稍后再发一次同样的请求有可能成功时，返回 True。"""
    # 在这里写你的代码
    return False


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/05_should_retry.py

# %%
from helpers.checks import check_should_retry

check_should_retry(should_retry)
# %% [markdown]
# 课程工具包里的 `classify_exception` 做的是同样的判断，还会说明理由。到了退避实验室，你会用它来驱动自己写的
# 重试循环。下面把它用在本课遇到的各个错误上，外加第 04 课的一个：

# %%
try:
    make_client("sk-demo-broke", max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    quota_error = exc

for exc in [server_error, legacy_503, current_503, slow_down, timeout_error, connection_error, quota_error]:
    verdict = classify_exception(exc)
    print(f"{type(exc).__name__:22} 可重试：{verdict.retryable!s:5}  {verdict.kind:12} {verdict.reason}")

# %% [markdown]
# ---
# ## 要点回顾
#
# - **500**（`server_error`）和 **503**（现在是 `server_is_overloaded`，旧形式是带“overloaded”消息的
#   `server_error`）都是服务器那边的故障。两者抛出的都是 **`openai.InternalServerError`**，而不是
#   `RateLimitError`。重试有用，SDK 会自动重试。
# - `retry-after-ms` / `Retry-After` 在 0 到 120 秒之间时，SDK 会**正好**等这么久；没有这个值时，用自己的短退避；
#   服务器要求等待超过 120 秒时，SDK **完全不重试**。
# - **429 `slow_down`**（`type` 为 `rate_limit_error`）表示你加速太猛了：先等待，降回原来的速率，再慢慢往上加。
# - **超时**是 `APITimeoutError`（`APIConnectionError` 的一种），没有状态码，也没有错误体。SDK 会重试它，所以
#   一次调用可能要花 `(max_retries + 1) × timeout + 退避等待`，用默认值就是半个小时。
# - **连接错误**是 `APIConnectionError`，真正的原因在 `exc.__cause__` 里。
# - 超时不代表服务器什么都没做：重试的 chat completion **可能要付两次钱**，有副作用的操作要由你自己保证幂等。
#
# **下一步**：[06 — 退避实验室](06_backoff_lab.ipynb)

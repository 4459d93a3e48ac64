# %% [markdown]
# # 上线检查清单：写出扛得住 API 错误的代码
#
# 各种错误和对应的解法，你都已经见过了。最后这一课把它们串起来，按真实服务的写法走一遍，
# 再给你一份检查清单，带回自己的项目里用。
#
# **本课你将学到**
# - 怎样配置官方 SDK：`max_retries`、`timeout`，以及针对单次调用的 `with_options`；
# - 怎样*用好* tenacity：只要一层重试、只重试值得重试的异常、给重试定好预算；
# - 怎样记录和统计重试，让它们在生产环境里看得见；
# - 熔断器能带来什么，以及怎样自己写一个简单的熔断器；
# - （选学）怎样安全地让同一份代码对接真实的 API。
#
# **学习时间**：约 25 分钟。**前置知识**：第 02 到 08 课，至少要学过 03、05 和 06。

# %% [markdown]
# ## 1. 想清楚再配置 SDK
#
# SDK 的默认值是 `max_retries=2`（共尝试三次，也就是重试两次），超时是 **600 秒**（其中建立连接最多 5 秒）。
# 这两个值都该由你自己拍板，别直接用默认值。一次调用最坏要花的时间大约是 `尝试次数 × 超时 + 退避等待的时间`。
# 照默认值，碰上一个始终不应答的服务器，一个请求最长会卡住半小时。

# %%
import httpx
import openai

from helpers.simulator import Simulator, make_client


def worst_case_seconds(timeout, max_retries, backoff_cap=8.0):
    attempts = max_retries + 1
    sleeps = sum(min(0.5 * 2**k, backoff_cap) for k in range(max_retries))  # SDK 最长的几次等待
    return attempts * timeout + sleeps


for timeout, retries in [(600, 2), (30, 2), (10, 1)]:
    print(f"timeout={timeout:>3} 秒，max_retries={retries}：最长 {worst_case_seconds(timeout, retries):6.1f} 秒")

# %% [markdown]
# 先给整个客户端定一套策略；有用户在等结果的调用，再单独收紧。`httpx.Timeout` 可以给建立连接和读取响应分别设超时。
# 时间是虚拟的，所以我们可以放心地看着一个慢吞吞的模型把超时耗光：

# %%
sim = Simulator()
client = make_client("sk-demo-ok", sim, max_retries=1, timeout=httpx.Timeout(10.0, connect=2.0))
interactive = client.with_options(max_retries=0, timeout=5.0)  # 有用户在等：尽快失败

for name, c in [("客户端默认设置", client), ("交互式调用", interactive)]:
    start = sim.clock.now()
    try:
        c.chat.completions.create(model="gpt-demo-slow", messages=[{"role": "user", "content": "Hi"}])
    except openai.APITimeoutError:
        print(f"{name}：{sim.clock.now() - start:.1f} 秒（模拟时间）后超时")

# %% [markdown]
# ## 2. 用对 tenacity
#
# tenacity 是个不错的重试库。最常见的误用，是在 SDK 自带的重试*外面*再套一层：
# tenacity 尝试 6 次 × SDK 每次尝试 3 次，一次调用就是 18 个请求（见第 07 课）。正确的用法是：
#
# 1. **只要一层重试**：tenacity 包住的那个客户端要设 `max_retries=0`；
# 2. **只重试有可能成功的错误**：配额和账单错误一律不重试，400/401/403/404 也一律不重试；
# 3. **定好预算**：尝试次数有上限，等待时间用加抖动的指数退避；
# 4. **等待走模拟时钟**：这里把 tenacity 的 `sleep=` 钩子指向模拟器的时钟，所以不会真的干等。

# %%
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from helpers.retry import classify_exception


def is_retryable(exc):
    return classify_exception(exc).retryable


def call_with_tenacity(client, model, sim):
    retrying = Retrying(
        stop=stop_after_attempt(4),
        wait=wait_random_exponential(multiplier=0.5, max=20),
        retry=retry_if_exception(is_retryable),
        sleep=sim.clock.sleep,
        reraise=True,
    )
    return retrying(client.chat.completions.create, model=model, messages=[{"role": "user", "content": "Hello"}])


for key, model in [("sk-demo-ok", "gpt-demo-flaky"), ("sk-demo-broke", "gpt-4o-mini")]:
    sim = Simulator(seed=0, faults={"gpt-demo-flaky": {"server_error_share": 0.6}})
    client = make_client(key, sim, max_retries=0)
    try:
        call_with_tenacity(client, model, sim)
        outcome = "成功"
    except openai.APIError as exc:
        outcome = f"失败，抛出 {type(exc).__name__}（{exc.code}）"
    print(f"{key} 调用 {model}：{outcome}，共发出 {len(sim.log)} 个请求，状态码依次为 {[e.status for e in sim.log]}")


# %% [markdown]
# 不稳定的那个模型多试了几次，最后成功了；配额错误只发了**一次**请求，因为重试它永远没用。
#
# ### 练习：给你的服务配上 tenacity
#
# 写一个 `make_retrying(sim)`，返回一个配置得当的 tenacity `Retrying` 对象：最多尝试 **4** 次，
# 等待时间用加抖动的指数退避，**不可能成功的错误一律不重试**，等待交给 `sim.clock.sleep`
# （不传 `sleep=` 的话，tenacity 会真的 sleep，检查就要多花几秒真实时间）。
# 检查单元格会用它包住一个 `max_retries=0` 的客户端，分别拿一个配额错误和一个总是出错的模型来测。


# %% tags=["exercise"]
def make_retrying(sim):
    # 在这里写你的代码：返回 Retrying(...)
    return Retrying(stop=stop_after_attempt(1), reraise=True)


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/09_retrying.py

# %%
from helpers.checks import check_retrying

check_retrying(make_retrying)

# %% [markdown]
# ## 3. 让重试看得见：日志和指标
#
# 看不见的重试，迟早会在生产环境里给你“惊喜”。养成两个成本很低的习惯：
#
# - 打开 SDK 自带的日志（设置 `OPENAI_LOG=info`，或者把 `openai` 这个 logger 设成 INFO 级别）：
#   每次重试它都会写一行，注明要等多久；
# - 按类别统计重试次数，并保留失败请求的 `x-request-id`，找技术支持时用得上。
#
# SDK 的重试日志只说要等多久，不说出了什么错。httpx 的*响应钩子*（response hook）比 SDK 先看到每个响应，
# 可以在这里记下状态码、错误码和请求 ID；再用一个 logging *过滤器*（filter）把它们补到 SDK 那行日志的末尾。
# 这些设置在程序启动时做一次就行；这里让日志直接打印在 notebook 里。

# %%
import logging
import sys
from collections import Counter

last_answer = {}


def remember(response):
    """httpx 响应钩子：记下最近一次响应的情况，供紧随其后的重试日志使用。"""
    response.read()
    try:
        code = response.json().get("error", {}).get("code")
    except ValueError:  # 不是 JSON
        code = None
    last_answer.update(status=response.status_code, code=code, request_id=response.headers.get("x-request-id"))


class RetryDetails(logging.Filter):
    """只保留 SDK 的重试日志，并在每一行后面补上最近一次响应的情况。"""

    def filter(self, record):
        message = record.getMessage()
        if not message.startswith("Retrying"):
            return False
        record.msg = "{} | 状态码 {status}，错误码 {code}，请求 ID {request_id}".format(message, **last_answer)
        record.args = ()
        return True


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
handler.addFilter(RetryDetails())
sdk_log = logging.getLogger("openai")  # SDK 自己的 logger
sdk_log.addHandler(handler)
sdk_log.setLevel(logging.INFO)
try:
    sim = Simulator(faults={"gpt-demo-busy": {"overload_busy_s": 15}})  # 一直处于繁忙状态
    client = make_client("sk-demo-ok", sim, event_hooks={"response": [remember]})
    try:
        client.chat.completions.create(model="gpt-demo-busy", messages=[{"role": "user", "content": "Hi"}])
    except openai.InternalServerError as exc:
        print("放弃了，最后一次收到", exc.status_code, exc.code, "请求 ID", exc.request_id)
finally:  # notebook 里要跑很多个演示，所以用完就撤掉；真正的程序会一直保留这套日志设置
    sdk_log.removeHandler(handler)
    sdk_log.setLevel(logging.WARNING)

# %% [markdown]
# 日志里 `Retrying request in N seconds (retry 1 of 2)` 这一段是 SDK 自己写的，意思是“N 秒后重试，这是 2 次重试中的第 1 次”；
# `|` 后面的状态码、错误码和请求 ID，是我们的过滤器补上去的。
#
# 下面换用本课程自己的重试工具 `send_with_retries`，借助 `on_retry` 回调，按类别统计重试次数，
# 并记下最终仍然失败的请求 ID：

# %%
from helpers.retry import FullJitter, MaxAttempts, RetryPolicy, send_with_retries
from helpers.simulator import http_client

retry_counts = Counter()
failed_ids = []


def on_retry(attempt):
    retry_counts[attempt.kind] += 1


sim = Simulator(seed=1)
http = http_client(sim, headers={"Authorization": "Bearer sk-demo-ok"})
policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(4),))
for model in ["gpt-demo-flaky"] * 20 + ["gpt-demo-busy"] * 3:
    outcome = send_with_retries(
        lambda: http.post("/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "x"}]}),  # noqa: B023
        policy,
        sim.clock,
        on_retry=on_retry,
    )
    if not outcome.ok:
        failed_ids.append(outcome.attempts[-1].request_id)

print("各类重试的次数：", dict(retry_counts))
print("重试后仍然失败的请求：", len(failed_ids), failed_ids[:2])


# %% [markdown]
# ## 4. 熔断：门关着，就别再敲了
#
# 重试能应付一闪而过的小故障。可遇上长时间的故障，每个调用方还各自不停地重试，服务器就只能忙着处理注定失败的请求。
# **熔断器**（circuit breaker）发现连续失败后，会在一段时间内让调用直接失败，根本不把请求发出去，
# 这叫*打开*（open）状态。这段时间过后，它会试探着放调用过去，这叫*半开*（half-open）状态，
# 真正的熔断器这时只放一个探测请求过去；探测成功，熔断器就重新*关闭*（closed）。
#
# The Builders' Library 提醒过：有了熔断器，系统会在几种状态之间切换，行为更难测试；很多时候，重试预算（第 07 课）就够用了。
# 不过，如果某个依赖一挂就是好几分钟，在它前面放一个熔断器还是值得的。


# %%
class CircuitBreaker:
    def __init__(self, clock, failures_to_open=3, open_for_s=10.0):
        self.clock, self.failures_to_open, self.open_for_s = clock, failures_to_open, open_for_s
        self.failures, self.opened_at = 0, None

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock.now() - self.opened_at >= self.open_for_s else "open"

    def call(self, fn):
        if self.state == "open":
            raise RuntimeError("熔断器已打开：不发送请求")
        try:
            result = fn()
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                self.failures += 1
                if self.state == "half-open" or self.failures >= self.failures_to_open:
                    self.opened_at = self.clock.now()
            raise
        self.failures, self.opened_at = 0, None
        return result


sim = Simulator()  # gpt-demo-busy 每 15 秒里的前 5 秒处于过载状态
client = make_client("sk-demo-ok", sim, max_retries=0)
breaker = CircuitBreaker(sim.clock, failures_to_open=3, open_for_s=4.0)
timeline = []
for _ in range(20):
    try:
        breaker.call(
            lambda: client.chat.completions.create(model="gpt-demo-busy", messages=[{"role": "user", "content": "Hi"}])
        )
        timeline.append("ok")
    except openai.InternalServerError:
        timeline.append("503")
    except RuntimeError:
        timeline.append("skipped")
    sim.clock.advance(0.5)

print(" ".join(timeline))
print(f"有 {timeline.count('skipped')} 次调用根本没到服务器；服务器一共收到 {len(sim.log)} 个请求")

# %% [markdown]
# 时间线里，`ok` 表示调用成功，`503` 表示服务器过载，`skipped` 表示熔断器处于打开状态，请求根本没发出去。
#
# ## 5. 检查清单
#
# 代码评审时，拿这份清单对一遍：
#
# 1. **密钥**从环境变量或密钥管理服务里读取；绝不出现在代码、notebook 或日志里。
# 2. **超时**自己定（连接超时和读取超时都要定），有用户在等的调用再单独设。
# 3. **只要一层重试**。如果你自己给调用包了重试，就把 SDK 的 `max_retries` 设为 0。
# 4. **先分类，再重试**。配额和账单相关的 429，以及 400、401、403、404，一律不重试；
#    “Request too large”也一律不重试。
# 5. **遵守 `Retry-After`**（以及 `retry-after-ms`）；如果它要求等的时间超出你能接受的范围，就放弃。
# 6. 其余错误一律用**带上限、加抖动的指数退避**，并限制尝试次数。
# 7. **设好重试预算**（每个请求最多尝试几次、每个客户端最多重试几次，或者用重试令牌桶）。
# 8. 要发大量请求时，根据 `x-ratelimit-*` 响应头**主动控制节奏**；预先估算 token 数，
#    `max_tokens` 按实际需要来设。
# 9. **限制并发**：用信号量，而不是毫无节制的 `asyncio.gather`。
# 10. **做好监控**：记录重试，按类别统计次数，保留失败请求的 `x-request-id`，配额出问题时发告警。
# 11. **配额一出错就尽早停下**：出现一个账单错误，就意味着这一批里剩下的请求也都会失败。
# 12. **考虑幂等性**：一个超时的请求，可能其实已经执行了（而且已经计费）。
#
# ### 练习：最坏情况
#
# 一位同事设置了 `timeout=45` 和 `max_retries=3`，又用 tenacity 的 `stop_after_attempt(3)` 把每次调用包了一层。
# 请给 `requests_per_call`（一次调用最多会发出几个请求）和 `worst_case_s`（一次调用最长要花多少秒，
# 只算超时，不算等待）赋值。

# %% tags=["exercise"]
requests_per_call = 0
worst_case_s = 0

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/09_nested_worst_case.py

# %%
from helpers.checks import check_nested_worst_case

check_nested_worst_case(requests_per_call, worst_case_s)

# %% [markdown]
# ## 6. 选学：接入真实的 API
#
# 这门课的所有内容都跑在模拟器上。想看看真实的 API 怎么应答，可以用下面这个单元格让*同一份*代码改连真实的 API，
# 前提是你亲手把 `GO_LIVE` 改成 `True`。它会让你输入密钥：输入时不回显，也绝不打印出来。
# 它只发两个很小的请求（每个 20 个 token），还关掉了 SDK 的重试，免得失控。花费不到一美分。

# %%
GO_LIVE = False  # 想试试真实的 API，就改成 True 再运行本单元格

if GO_LIVE:
    import getpass
    import os

    from helpers.simulator import mask_key

    key = os.environ.get("OPENAI_API_KEY") or getpass.getpass("OpenAI API 密钥（输入时不显示）：")
    live = openai.OpenAI(api_key=key, max_retries=0, timeout=20)
    print("使用的密钥：", mask_key(key))
    for prompt in ["用三个词打个招呼。", "用法语再说一遍？"]:
        try:
            reply = live.chat.completions.create(
                model="gpt-4o-mini", max_tokens=20, messages=[{"role": "user", "content": prompt}]
            )
            print("200:", reply.choices[0].message.content)
        except openai.APIError as exc:
            print(type(exc).__name__, getattr(exc, "status_code", ""), getattr(exc, "code", ""))
    del key, live
else:
    print("真实 API 的开关没有打开：所有请求仍然发给模拟器。")

# %% [markdown]
# ## 要点回顾
#
# - 自己决定 `timeout` 和 `max_retries`，算一算最坏情况；需要时用 `with_options` 针对单次调用收紧。
# - 重试只放在**一**层里，只重试有可能成功的错误，用加抖动的退避，并定好预算。
# - 记录并统计重试，保留请求 ID；遇到第一个配额错误就停下整批任务。
# - 遇上长时间的故障，熔断器能替已经不堪重负的依赖挡掉那些毫无意义的调用。
#
# **下一步**：[10 — 流式输出与 Responses API](10_streaming_and_responses.ipynb)：拿到 200 之后才冒出来的错误。
# 也可以回到 [00 从这里开始：应对 OpenAI API 的各种错误](00_start_here.ipynb) 看看课程地图，
# 或者打开 [06 退避实验室](06_backoff_lab.ipynb)，用你自己的参数试一试。

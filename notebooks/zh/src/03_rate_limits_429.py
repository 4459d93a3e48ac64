# %% [markdown]
# # 速率限制（429）
#
# 每个组织每分钟能发多少请求、用多少 token，都有上限。超了，API 就回你一个 **429 Too Many Requests**。
#
# 这是你最常碰到的错误，也是最好对付的：什么都没坏，慢下来就行。本课讲清楚三件事：这些限制怎么计数，
# API 在错误里告诉了你什么、该怎么读，以及 `openai` SDK 自己会怎么处理。
#
# **本课你将学到**
# - RPM、TPM、RPD 分别是什么，请求被拒时卡在了哪一项上；
# - 用掉的量怎么补回来，怎样自己算出 API 提示的等待时间（*"Please try again in …"*）；
# - 怎么读 `x-ratelimit-*` 和 `Retry-After` 响应头，并换算成要等的时间；
# - *"429 Rate limit reached for requests"* 的来龙去脉：你会看到什么、为什么会这样、怎样诊断、怎样解决、要不要重试；
# - 为什么回答再短，`max_tokens` 也会照样占掉 TPM，以及为什么 *"Request too large"* 绝对不能重试；
# - 为什么重试得太早反而更糟，以及 SDK 内置的重试做了什么。
#
# **学习时间**：约 35 分钟
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 运行单元格、`make_client`、捕获 `openai` 异常 | 必需 | 第 00 课 |
# | API 错误的组成：状态码、错误体（`message`、`type`、`code`）、响应头 | 有帮助 | 第 01 课 |
# | Python：函数、`try`/`except`、字典 | 必需 | |

# %% [markdown]
# ## 准备工作
#
# 本课要用的东西都在下面这个单元格里。API 是模拟的，时间也是模拟的：后面哪个单元格要等一分钟，实际只花几微秒。

# %%
import math
import re

import openai

from helpers import plots
from helpers.anatomy import show_error
from helpers.experiments import lab_world, run_load
from helpers.experiments.sdk_load import run_sdk_load
from helpers.ratelimit import Bucket, format_duration, parse_duration
from helpers.retry import MaxAttempts, OpenAISDK, RetryPolicy
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Tell me a short joke about queues."}]


def short(message):
    """去掉 API 消息末尾的链接。"""
    return message.split(" Visit https://")[0]


# %% [markdown]
# ---
# ## 1. 三项限制，哪项先见底就卡在哪项
#
# API 按**组织**统计你发了多少，而且每个**模型**分开算（有些模型系列共用一份）。它不按 API 密钥计数：
# 同一个组织下的所有密钥共用同一份速率限制。
#
# - **RPM**，每分钟请求数：每个请求都算一个，再小也一样。
# - **TPM**，每分钟 token 数：每个请求按它*可能*用到的 token 数计（第 5 节讲怎么估算）。
# - **RPD**，每天请求数（有时还有 **TPD**，每天 token 数）。
#
# 一个请求必须**同时**满足所有这些限制。哪一项先没了余量，请求就卡在哪一项，429 会告诉你是哪一项。
# 使用层级越高，限制越宽。下面是演示环境里的限制：

# %%
world = Simulator().world
for org_id in ["org-demo-free", "org-demo"]:
    tier = world.organizations[org_id].tier
    for model in ["gpt-4o-mini", "gpt-4o"]:
        limits = world.limits(org_id, model)
        print(
            f"{org_id:14} 层级 {tier:7} {model:12}  RPM {limits.rpm:>4}   TPM {limits.tpm:>7,}   RPD {limits.rpd:>6,}"
        )


# %% [markdown]
# 密钥 `sk-demo-free` 属于 `org-demo-free`，这是个免费组织，每分钟只能发 **3 个请求**。
# 密钥 `sk-demo-ok` 属于付费组织 `org-demo`，限制要宽松得多。
#
# 想看清到底是*哪一项*限制在拒绝请求，可以自己搭个小环境：`lab_world(rpm, tpm, rpd)` 会添加一个组织，限制就是你给的
# 这几个数，用密钥 `sk-lab` 访问。下面两个实验组织，一个缺 token，一个缺每天的请求数。


# %%
def first_refusal(max_tokens, **limits):
    """一直发请求，直到有一个被拒；返回成功发出的个数和那个 429。"""
    client = make_client("sk-lab", Simulator(lab_world(**limits)), max_retries=0)
    for sent in range(100):
        try:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=max_tokens)
        except openai.RateLimitError as exc:
            return sent, exc


for max_tokens, limits in [(400, dict(rpm=600, tpm=1_000)), (20, dict(rpm=600, tpm=100_000, rpd=5))]:
    sent, exc = first_refusal(max_tokens, **limits)
    print(f"限制 {limits}：成功发出 {sent} 个请求，接着收到 type={exc.type!r}")
    print("   ", short(exc.body["message"]))

# %% [markdown]
# 第一个组织这一分钟的 600 个请求还剩 598 个，缺的是 **token**，所以错误的 `type` 是 `tokens`，
# 消息里写着 *tokens per min (TPM)*。第二个组织用完的是**每天请求数**，要等的时间得按小时算：`4h48m0s`。

# %% [markdown]
# ---
# ## 2. “429 Rate limit reached for requests”
#
# 这是最典型的 429，官方指南里叫它 *Rate limit reached for requests*。下面按本课程分析错误的固定套路，一项一项来看。
#
# ### 你会看到什么
#
# 免费层级的密钥每分钟能发 3 个请求，我们偏发 4 个。（`max_retries=0` 让 SDK 不要自己重试；不关掉会怎样，见第 7 节。）

# %%
free = make_client("sk-demo-free", max_retries=0)
for n in range(1, 5):
    try:
        free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        print(f"第 {n} 个请求：200 OK")
    except openai.RateLimitError as exc:
        rate_error = exc
        print(f"第 {n} 个请求：{exc.status_code} {exc.code}")

# %%
show_error(rate_error)

# %% [markdown]
# 这条消息信息量很大：模型、组织、**是哪项限制**（*requests per min (RPM)*）、具体数字（**Limit 3, Used 3, Requested 1**，
# 即上限 3、已用 3、本次请求 1）、**要等多久**（*Please try again in 20s*）。这个组织在免费层级，所以最后还有一句，建议你添加付款方式。
#
# 响应头里也是这些信息，只是换成了程序好读的格式：

# %%
for name, value in rate_error.response.headers.items():
    if name.startswith(("x-ratelimit", "retry-after")):
        print(f"{name}: {value}")

# %% [markdown]
# ### 为什么会这样
#
# 这个组织能用的请求数已经用光了：三个请求同时发了出去，而容量为 3 的桶要 20 秒才补回一个（每 60 秒补 3 个）。
# 请求本身没问题，密钥也没问题。
#
# ### 怎样诊断
#
# 1. 状态码 **429**，异常是 **`openai.RateLimitError`**，`code` 为 **`rate_limit_exceeded`**。（如果 code 或 type 是
#    `insufficient_quota` 或别的账单相关的 code，那就不是速率限制，见第 04 课。）
# 2. **`type` 说明是哪类限制**：`requests` 还是 `tokens`。消息里会写出具体是哪一项：RPM、TPM 还是 RPD。
# 3. 消息里的 **Limit、Used、Requested** 告诉你超了多少。
# 4. **`x-ratelimit-remaining-requests: 0`**（或者 `…-tokens` 太低）可以印证这一点。模拟器还会发
#    **`retry-after`**，表示再过几秒这个请求就放得下。真实 API 只是有时候发它（有些真实的 429 既没有 `retry-after`，
#    也没有任何 `x-ratelimit-*`），所以消息里的“Please try again in”才是靠得住的提示；连它也没有，就用退避兜底（第 06 课）。
#
# 用一个正则表达式就能把消息里的数字读出来：

# %%
RATE_LIMIT = re.compile(
    r" on (?P<limit_name>[^:]+): Limit (?P<limit>\d+), Used (?P<used>\d+), "
    r"Requested (?P<requested>\d+)\. Please try again in (?P<wait>\S+?)\.(?: |$)"
)

found = RATE_LIMIT.search(rate_error.body["message"])
print(found.groupdict())
print("换算成秒是", parse_duration(found["wait"]))

# %% [markdown]
# ### 怎样解决
#
# - **等一等**再发：有 `Retry-After` 就按它等，没有就按“Please try again in”。
# - **控制节奏**，让请求永远不超限：3 RPM 就是每 20 秒一个请求。
# - **少发几个、每个大一点**：把几个问题放进同一个提示词，只算一个请求。
# - **少要一点**：调小 `max_tokens` 能缓解 token 限制（第 5 节）。
# - **升级使用层级**：按消息的建议添加付款方式，离开免费层级，限制就会提高。
#
# 先试第一种：让 20 秒过去（模拟的秒，不用真等），再把同一个请求发一次。

# %%
free.simulator.clock.advance(20)
reply = free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
print(f"t = {free.simulator.clock.now():.0f} 秒：200 OK ->", reply.choices[0].message.content)

# %% [markdown]
# ### 要不要重试？
#
# **要，但得先等**。速率限制是暂时的，可用的请求数会自己恢复。关键就在“先等”：第 6 节会看到，重试得太早不光会失败，
# 还会让你离成功更远。

# %% [markdown]
# ---
# ## 3. 桶：用掉的请求怎么补回来
#
# “每分钟 3 个请求”并不是一个每到整分钟就清零的计数器。OpenAI 没有公开它怎样执行限制，但抓到的每一条消息、每一个响应头，
# 都和**桶**模型对得上，所以模拟器用的就是桶。API 的表现*就好像*有一个最多装 3 个请求的桶，按每 60 秒 3 个的速度**持续**往里补，
# 也就是每 20 秒补一个。每个请求从桶里拿走一个；桶里不够一个，请求就会被拒。
#
# （OpenAI 还提到，限制可能是*量化*执行的，也就是切成更短的时间段来算：每分钟 60,000 可能实际按每秒 1,000 来算，
# 所以一波突发请求哪怕没到每分钟的速率，也可能被拒。模拟器的桶不量化，除非你特意要求。）
#
# `helpers.ratelimit.Bucket` 就是模拟器用的那个桶。先把它清空，再看它怎么补回来：

# %%
bucket = Bucket(limit=3, window=60)  # 免费层级：每分钟 3 个请求
for _ in range(3):
    bucket.take(1, now=0)

for t in [0, 5, 10, 20, 40, 60, 90]:
    decision = bucket.check(1, now=t)
    verdict = "放得下" if decision.admitted else f"被拒绝，请在 {format_duration(decision.wait)} 后重试"
    print(f"t = {t:2} 秒：桶里有 {bucket.level(t):4.2f} 个请求 -> 再来一个请求：{verdict}")

# %% [markdown]
# 桶里的量永远不会超过上限：60 秒后桶就满了，再等也不会多出来。
#
# ### “try again in”是怎么算出来的
#
# 请求放不下时，要等的时间就是桶补上缺口所需的时间：
#
# $$\text{wait} = \frac{\text{Used} + \text{Requested} - \text{Limit}}{\text{Limit} / \text{window}}$$
#
# 分子是缺了多少个单位，分母是补充速度（每秒补几个单位）。拿一条真实的 429 消息来验算：TPM 上限 10,000，
# 已用 8,554 个 token，本次请求 3,082 个。
#
# - 补充速度是 10,000 / 60 ≈ 166.67 个 token/秒；
# - 缺口是 8,554 + 3,082 − 10,000 = 1,636 个 token；
# - 所以要等 1,636 / 166.67 = **9.816 秒**。
#
# 用桶来算，结果相同：

# %%
tokens = Bucket(limit=10_000, window=60)
tokens.take(8_554, now=0)
decision = tokens.check(3_082, now=0)
print(decision)
print("按 API 的格式写作", format_duration(decision.wait))

# %% [markdown]
# 模拟的 API 给出的结果也一样。一个 TPM 为 10,000 的实验组织先收到一个计 8,554 个 token 的请求，再收到一个计 3,082 个的。
# （请求的 token 怎么算，第 5 节再讲；这里第一个请求的提示词是 8,054 个 token 的填充内容，再加上 `max_tokens=500`。）

# %%
client = make_client("sk-lab", Simulator(lab_world(rpm=60, tpm=10_000)), max_retries=0)
client.chat.completions.create(
    model="gpt-4o-mini", max_tokens=500, messages=[{"role": "user", "content": "x" * 4 * 8_054}]
)
try:
    client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=500, messages=[{"role": "user", "content": "x" * 4 * 2_582}]
    )
except openai.RateLimitError as exc:
    tpm_error = exc

print(short(tpm_error.body["message"]))
print("retry-after   :", tpm_error.response.headers["retry-after"])
print("retry-after-ms:", tpm_error.response.headers["retry-after-ms"])


# %% [markdown]
# 注意这两个响应头：`retry-after` **向上**取整到整秒（10），`retry-after-ms` 是精确值（9816）。两个都有时，
# SDK 优先读 `retry-after-ms`。这里发不发这两个响应头，是模拟器决定的：真实 API 的 429 有的带、有的不带，靠得住的是消息里的“try again in”。
#
# ### 练习 1：算出“try again in”
#
# 写一个函数 `try_again_in(limit, used, requested, window_s=60)`，用上面的公式算出请求还要等几秒才放得下。
# 有两种特殊情况：
#
# - 请求现在就放得下，返回 `0`；
# - 请求比整个上限还大（永远放不下），返回 `math.inf`。


# %% tags=["exercise"]
def try_again_in(limit, used, requested, window_s=60):
    """要放进一个每 `window_s` 秒补满 `limit`、已用 `used` 的桶，`requested` 个单位的请求还要等几秒。"""
    # 在这里写你的代码
    return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/03_try_again_in.py

# %%
from helpers.checks import check_try_again_in

check_try_again_in(try_again_in)

# %% [markdown]
# 再拿真实的消息检验一下你的函数：从每个 429 里读出数字，把你算出的等待时间和 API 给的比一比。

# %%
for exc in [rate_error, tpm_error]:
    found = RATE_LIMIT.search(exc.body["message"])
    mine = try_again_in(int(found["limit"]), int(found["used"]), int(found["requested"]))
    print(f"{found['limit_name']:24} API 说 {found['wait']:7}  你算的是 {format_duration(mine)}")

# %% [markdown]
# ---
# ## 4. `x-ratelimit-*` 响应头
#
# 只要请求走到了按模型计数这一步，不管最后是成功，还是因速率限制收到 429，响应里都有六个响应头，报告这个模型的限制情况。
# （没走到这一步的响应就没有这些响应头，比如认证错误、账单相关的 429。有些真实的 429 也不带，所以先看有没有，再读。）
#
# | 响应头 | 含义 |
# |---|---|
# | `x-ratelimit-limit-requests`、`x-ratelimit-limit-tokens` | 适用于这个请求的上限（这里是每分钟的 RPM 和 TPM） |
# | `x-ratelimit-remaining-requests`、`x-ratelimit-remaining-tokens` | 此刻还剩多少 |
# | `x-ratelimit-reset-requests`、`x-ratelimit-reset-tokens` | 还要多久桶才重新**装满** |
#
# 有三个地方容易踩坑：
#
# - 值都是**字符串**，数字也不例外：要用 `int(...)` 转换。
# - 重置时间的写法和 Go 的时长一样：`120ms`、`20s`、`1m0s`、`6m0s`、`1m26.4s`。
#   `parse_duration` 能把它们换算成秒。
# - 重置时间指的是桶**完全装满**还要多久，而不是下一个请求还要等多久才放得下。重置时间是 `40s`、还剩一个请求，
#   意思是你现在就能发一个请求。
#
# 下面是付费组织一次普通成功请求的响应头：

# %%
ok = make_client("sk-demo-ok", max_retries=0)
raw = ok.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
for name, value in raw.headers.items():
    if name.startswith("x-ratelimit"):
        parsed = f"  = {parse_duration(value):g} 秒" if "reset" in name else ""
        print(f"{name:32} {value:>8}{parsed}")

# %% [markdown]
# 再看免费层级发了两个请求之后：还剩一个请求，用掉的两个要 40 秒才能补回来。

# %%
free = make_client("sk-demo-free", max_retries=0)
for _ in range(2):
    raw = free.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
print("remaining-requests:", raw.headers["x-ratelimit-remaining-requests"])
print("reset-requests    :", raw.headers["x-ratelimit-reset-requests"])


# %% [markdown]
# 桶每秒补 `limit / 60` 个单位，所以光凭响应头，就能算出一个给定大小的请求还要等多久才放得下：缺的单位数除以补充速度。
#
# ### 练习 2：等到放得下
#
# 写一个函数 `seconds_until_fits(headers, tokens)`：根据上一个响应的响应头，算出一个 `tokens` 个 token 的请求还要等几秒才放得下。
#
# 一个请求既要从请求桶里拿走**一个请求**，**又**要从 token 桶里拿走 `tokens` 个 token，所以两边的等待时间都要算，返回较长的那个。
# 现在就放得下时返回 `0`；`tokens` 比整个 token 上限还大时返回 `math.inf`。


# %% tags=["exercise"]
def seconds_until_fits(headers, tokens):
    """根据上一个响应的 x-ratelimit-* 响应头，算出一个 `tokens` 个 token 的请求还要等几秒才放得下。"""
    # 在这里写你的代码
    return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/03_seconds_until_fits.py

# %%
from helpers.checks import check_seconds_until_fits

check_seconds_until_fits(seconds_until_fits)

# %% [markdown]
# 有了这个函数，程序就能自己控制节奏：每发一个请求，先按上一次的响应头等够时间。这样在免费层级上发六个请求，一个 429 都没有：

# %%
free = make_client("sk-demo-free", max_retries=0)
headers = None
try:
    for n in range(1, 7):
        if headers is not None:
            tokens = free.simulator.log[-1].tokens  # 上一个请求计了多少 token：提示词估算值 + max_tokens
            free.simulator.clock.sleep(seconds_until_fits(headers, tokens))
        raw = free.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        headers = raw.headers
        print(f"t = {free.simulator.clock.now():5.1f} 秒  第 {n} 个请求：{raw.status_code}")
except openai.RateLimitError:
    print(f"第 {n} 个请求收到了 429：seconds_until_fits 等得不够久。先完成上面的练习，再运行一次。")
print("一共收到 429 的次数：", sum(entry.status == 429 for entry in free.simulator.log))

# %% [markdown]
# 前三个请求一起发出（桶是满的），之后每 20 秒一个：恰好用满限制，一点不多。第 08 课会把这个思路做成一个完整的客户端限流器。

# %% [markdown]
# ---
# ## 5. 为什么 `max_tokens` 也要算进去
#
# 请求一到，API 就得判断它放不放得下，而这时模型连回答的第一个字都还没写，所以只能按请求*可能*用到的量来算。
# OpenAI 的速率限制指南说，它取 `max_tokens` 和按提示词字符数估算出的 token 数中**较大**的那个；具体怎么估算，没有公开。
#
# 模拟器用的是一条更简单的规则，和 OpenAI Cookbook 里的并行处理脚本一样：
#
# - 提示词按长度估算（每条消息的字符数 ÷ 4，向上取整），**加上**
# - 你要的每个回答各算一份 `max_tokens`（回答数是 `n`，默认 1）。
#
# 选它，是因为每一部分都能从数字里直接看出来，而且它算出的量从不低于文档里的规则：在模拟器里放得下的客户端，在真实 API 上也放得下。
# 不管用哪种规则，结论都一样。下面问同一个简短的问题，得到同样简短的回答，看看 `max_tokens` 设大了，剩余的 token 会怎样：

# %%
for max_tokens in [50, 4_000]:
    client = make_client("sk-demo-ok", max_retries=0)  # 每次都用新的模拟器：桶是满的
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, max_tokens=max_tokens)
    usage = raw.parse().usage
    print(
        f"max_tokens={max_tokens:5}：回答用了 {usage.completion_tokens} 个 token，提示词用了 "
        f"{usage.prompt_tokens} 个，remaining-tokens 却从 {raw.headers['x-ratelimit-limit-tokens']} "
        f"降到了 {raw.headers['x-ratelimit-remaining-tokens']}"
    )


# %% [markdown]
# 两次的回答一样短，可 `max_tokens=4000` 的那个请求在每分钟 30,000 个 token 里占掉了 4,000 多个。
# `max_tokens` 要设得贴近你真正需要的量：设得宽松，每分钟能放进的请求数就会悄悄少一大截。
#
# ### 练习 3：像 API 一样计数
#
# 写一个函数 `rate_limit_tokens(messages, max_tokens, n=1)`，算出一个对话请求按 TPM 要计多少个 token。
# 用模拟器的规则：每条消息计 `math.ceil(len(content) / 4)`，再为 `n` 个回答各加一份 `max_tokens`。
# 检查单元格会拿几个请求，把你的结果和模拟器算的比一比。


# %% tags=["exercise"]
def rate_limit_tokens(messages, max_tokens, n=1):
    """一个对话请求在得到回答之前，按 TPM 限制要计多少个 token。"""
    # 在这里写你的代码
    return 0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/03_rate_limit_tokens.py

# %%
from helpers.checks import check_rate_limit_tokens

check_rate_limit_tokens(rate_limit_tokens)

# %% [markdown]
# ### “Request too large”：永远不会消失的 429
#
# 如果一个请求要计的 token 比**整个**上限还多，等多久都没用：桶装满了也放不下它。
# `org-demo` 调用 `gpt-4o` 每分钟能用 30,000 个 token。下面是一份长文档，再配上一个很大的 `max_tokens`：

# %%
document = [{"role": "user", "content": "Summarise this report: " + "lorem ipsum " * 5_000}]
print("这个请求要计", rate_limit_tokens(document, 16_000), "个 token")

big = make_client("sk-demo-ok", max_retries=0)
try:
    big.chat.completions.create(model="gpt-4o", messages=document, max_tokens=16_000)
except openai.RateLimitError as exc:
    too_large = exc

print(type(too_large).__name__, too_large.status_code, too_large.type, too_large.code)
print(short(too_large.body["message"]))
print("retry-after:", too_large.response.headers.get("retry-after"))

# %% [markdown]
# - **你会看到什么**：和所有速率限制一样，是 429 `RateLimitError`，code 为 `rate_limit_exceeded`。但消息以
#   **"Request too large"** 开头，没有 *Used*，也没有 *Please try again in*，而且**没有 `retry-after`**。
# - **为什么会这样**：这个请求要计的 token（提示词估算值 + `max_tokens` × `n`）比整个上限还多。
# - **怎样诊断**：消息以“Request too large”开头，*Requested* 大于 *Limit*。
# - **怎样解决**：调小 `max_tokens`、缩短提示词，或者把工作拆成几个请求。升到更高的使用层级，或者换一个上限更高的模型，也能抬高天花板。
# - **要不要重试**？**绝对不要**：每次都会以同样的方式失败。可 SDK 只看状态码，照样会重试。用默认设置试试：

# %%
big = make_client("sk-demo-ok")  # 默认设置：max_retries=2
try:
    big.chat.completions.create(model="gpt-4o", messages=document, max_tokens=16_000)
except openai.RateLimitError:
    pass
for entry in big.simulator.log:
    print(f"t = {entry.time:4.2f} 秒  retry_count={entry.retry_count}  {entry.status} {entry.code}")


# %% [markdown]
# 白白发了三个请求。你自己写的重试循环应该专门认出这种情况，一碰到就立刻放弃
# （`helpers.retry.classify_exception` 就是这么做的，第 06 课会用到它）。
#
# ### 别和它搞混：400 `context_length_exceeded`
#
# 请求也可能是对**模型**来说太大，这跟你的速率限制无关。每个模型都有一个上下文窗口，提示词加上 `max_tokens` 必须装得下。
# 超出的话，就会收到 **400** `BadRequestError`，code 为 `context_length_exceeded`，这时根本还没轮到检查速率限制：

# %%
huge = [{"role": "user", "content": "x" * 4 * 125_000}]  # 约 125,000 个 token，而上下文窗口是 128,000
try:
    make_client("sk-demo-ok", max_retries=0).chat.completions.create(
        model="gpt-4o-mini", messages=huge, max_tokens=4_000
    )
except openai.BadRequestError as exc:
    print(type(exc).__name__, exc.status_code, exc.code, exc.param)
    print(short(exc.body["message"]))

# %% [markdown]
# | | 429 token 速率限制（TPM） | 429 *Request too large* | 400 `context_length_exceeded` |
# |---|---|---|---|
# | 什么太大了 | 你**每分钟**的 token 数，所有请求加在一起 | 这一个请求，相对于你的 **TPM 上限** | 这一个请求，相对于**模型的上下文窗口** |
# | 取决于 | 你的组织的使用层级和流量 | 你的使用层级 | 只取决于模型 |
# | 等一等有用吗？ | 有用：桶会补回来 | 永远没用 | 永远没用 |
# | 怎样解决 | 等待、控制节奏、调小 `max_tokens` | 缩小请求，或升到更高的使用层级 | 缩短提示词、调小 `max_tokens`，或换上下文窗口更大的模型 |
#
# SDK 不会重试这个 400，因为 400 不在它会重试的状态码之列。

# %% [markdown]
# ---
# ## 6. 被拒的请求也算数
#
# OpenAI 的文档提醒过：失败的请求同样计入每分钟的限制，所以把同一个请求一遍遍地发没有用。
# 模拟器也是这样：一个被拒的请求，会把刚补回来的那一点用掉。
#
# 两个免费层级的程序都刚用完 3 个请求。性急的那个每秒重试一次；耐心的那个照 API 说的，等 20 秒。


# %%
def after_three_requests():
    """一个免费层级的客户端，桶刚被用空。"""
    client = make_client("sk-demo-free", max_retries=0)
    for _ in range(3):
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
    return client


def try_once(client):
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
        return True
    except openai.RateLimitError:
        return False


impatient = after_three_requests()
for tries in range(1, 61):  # 每秒一次，持续一分钟  # noqa: B007 (`tries` is read after the loop)
    got_in = try_once(impatient)
    if got_in:
        break
    impatient.simulator.clock.sleep(1)
print(f"性急的：{impatient.simulator.clock.now():.0f} 秒内试了 {tries} 次，成功了吗：{got_in}")

patient = after_three_requests()
patient.simulator.clock.sleep(20)
print(f"耐心的：等了 {patient.simulator.clock.now():.0f} 秒后试 1 次，成功了吗：{try_once(patient)}")

# %% [markdown]
# 性急的程序一分钟里敲了 60 次门，一次也没进去。每过一秒，桶里补回二十分之一个请求，可紧接着那次被拒的尝试又把它用掉了，
# 桶里始终攒不够一整个请求。耐心的程序只试了一次。
#
# 被拒的请求到底算多少，文档没写，OpenAI 只说失败的请求也计入每分钟的限制。模拟器就照字面意思来：一次被拒，会用掉已经补回来的全部。
# 429 里给出的等待时间已经算上了这一点，所以只要中途没人（包括你自己）再去敲门，“try again in 20s”就是准的。

# %% [markdown]
# ---
# ## 7. SDK 会替你重试
#
# `openai` SDK 默认会把 429 重试两次（`max_retries=2`），所以一次调用最多会发出三个请求。
# 响应里有 `retry-after-ms` 或 `Retry-After`，而且不超过 120 秒，它就严格按这个时间等；否则随机退避，第一次半秒左右，第二次一秒左右。
# 它从不读 `x-ratelimit-*` 响应头，也从不读错误体。
#
# 在本课程里，SDK 的等待走的是模拟器的时钟，所以不用真等就能看清楚。还是免费层级，这次用默认设置：

# %%
free = make_client("sk-demo-free")  # 默认设置：max_retries=2
for n in range(1, 5):
    free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)
    print(f"第 {n} 次调用在 t = {free.simulator.clock.now():.0f} 秒时返回")

print()
print("服务器看到的：")
for entry in free.simulator.log:
    print(f"  t = {entry.time:4.1f} 秒  状态码 {entry.status}  retry_count={entry.retry_count}")
print("SDK 重试前等待了", free.retry_sleeps, "秒")

# %% [markdown]
# 第四次调用并没有失败：SDK 接住了 429，按 `retry-after-ms: 20000` **不多不少睡了 20 秒**，
# 再带着 `x-stainless-retry-count: 1`（也就是日志里的 `retry_count`）把请求重发了一次。在你的代码看来，只是这次调用花了 20 秒。
#
# 重试两次并不总是够。下面六个程序共用一个每分钟限 3 个请求的组织，每个程序都在同一时刻发起一次调用。
# （`run_sdk_load` 在模拟时间里并发运行它们，每个程序有自己的 `AsyncOpenAI` 客户端。）

# %%
crowd = run_sdk_load(clients=6, calls_per_client=1, rpm=3)
for entry in crowd.simulator.log:
    print(f"t = {entry.time:4.1f} 秒  状态码 {entry.status}  retry_count={entry.retry_count}")
print(f"{crowd.calls} 次调用中成功 {crowd.succeeded} 次；抛出的错误：{crowd.errors}")

# %% [markdown]
# 三次调用立刻成功。另外三次都被告知等 20 秒，于是在 t = 20 秒时一起回来（`retry_count=1`），可这时只空出了一个位置。
# 剩下两次在 t = 40 秒时又一起回来（`retry_count=2`），其中一个进去了；最后那个的重试次数已经用完，你的代码终究还是收到了
# `RateLimitError`。
#
# 还要记住 120 秒这条规则，它只看**响应头**：`Retry-After`（或 `retry-after-ms`）要求等 120 秒以上时，SDK 不重试，
# 直接抛出 429。SDK 从不读消息正文，所以每天限制的 429 哪怕在文本里写着 `4h48m0s`，SDK 也不会因此改变做法：只要这个 429
# **没带**上述响应头，SDK 就照常退避半秒、一秒，白白重试两次，然后你的代码才看到这个错误。

# %% [markdown]
# ---
# ## 8. 观察重试如何撞上限制
#
# 要同时观察一大群客户端，可以用本课程的实验引擎 `run_load`：许多客户端按同一个重试策略，各自一个接一个地发请求，
# 在模拟时间里对着模拟器跑。下面 6 个客户端各发 4 个请求，限制是每分钟 12 个请求（每 5 秒补回一个）。
# 它们的重试方式和 SDK 完全一样：等待时间相同，每个请求最多尝试 3 次。

# %%
sdk_like = RetryPolicy(OpenAISDK(), (MaxAttempts(3),))
result = run_load(clients=6, requests_per_client=4, rpm=12, tpm=40_000, policy=sdk_like, seed=0)
print(
    result.metrics.successes,
    "个请求成功（共",
    result.metrics.requests,
    "个），有",
    result.metrics.gave_up,
    "个被放弃；总共尝试了",
    result.metrics.attempts,
    "次",
)
plots.show(plots.retry_timeline(result))

later = [row for row in result.trace if row.time > 1]  # 第一波突发之后的所有尝试
print(f"第一秒之后：{len(later)} 次尝试中成功 {sum(r.kind == 'ok' for r in later)} 次")

# %% [markdown]
# 怎么看这张图：每一行是一个客户端，每个标记是一次尝试（绿色圆点表示成功，橙色叉号表示 429）。灰线是重试前的等待，
# 淡淡的竖线标出桶补回一个请求的时刻（每 5 秒一次）。
#
# 每个客户端的头两个请求都放进了满满的桶。之后，所有客户端拿到相同的等待时间，于是**一起**回来，在图上排成一列一列。
# 每一列最多只有一个请求的空位，而每次被拒的尝试又会用掉刚补回来的部分，所以下一列来时桶又是空的。
# 结果客户端把三次尝试都用光，只能放弃，图上方打印出的统计就是这么来的。
#
# 问题出在所有人拿到的等待时间都一样：`Retry-After` 告诉的是*一个*客户端，什么时候会空出*一个*请求的位置。
# 解决办法不是更聪明的重试，而是更少的尝试：控制请求的节奏（像第 4 节那样，或用第 08 课的限流器），或者把工作分摊到更长的时间里。
# 第 06 课会用这类实验比较各种重试策略。

# %% [markdown]
# ---
# ## 要点回顾
#
# - 限制属于**组织**（和项目），按模型分开计：**RPM**、**TPM**、**RPD**（还有 TPD）。请求必须同时满足所有限制；
#   第一个没有余量的限制会拒绝它，429 的 `type` 和消息会告诉你是哪一个。
# - 每项限制都是一个**桶**，按 `limit / window` 的速度持续补充。消息里的等待时间等于
#   `(Used + Requested − Limit) / (Limit / window)`：TPM 10,000、已用 8,554、请求 3,082，算出来是 `9.816s`。
# - 走到按模型计数这一步的响应都带有 `x-ratelimit-limit/remaining/reset-*` 响应头（值是字符串；重置时间是 Go 时长格式，
#   意思是“到装满为止”）。因速率限制返回的 429 可能还带 `retry-after`（整秒）和 `retry-after-ms`（精确值），
#   但真实 API 不一定发，所以没有时就看消息里的“try again in”，再没有就用退避。
# - *429 Rate limit reached for requests*：code 为 `rate_limit_exceeded`，type 为 `requests`。按提示等待、控制节奏、合并请求，
#   或者升级使用层级。重试有用，但要**等够了**再重试。
# - token 是在回答生成**之前**计的。真实的估算方法没有公开；模拟器按提示词估算值 + `max_tokens` × `n` 计，也就是 Cookbook 的规则。
#   不管哪种规则，`max_tokens` 都要设得紧一些。*Request too large* 永远放不下，绝对不要重试（SDK 会把它发三遍）。
#   对*模型的*上下文窗口来说太大是另一种错误：400 `context_length_exceeded`，等多久、升什么层级都没用。
# - 被拒的请求也算数：重试得太早，桶就一直是空的。
# - SDK 默认把 429 重试两次，严格按 `Retry-After` 等待（最多 120 秒；更长就不再重试；完全没有这个响应头时只做短暂退避，
#   所以碰上不带响应头的每天限制，它会白白重试两次）。拿到相同等待时间的客户端会一起回来，所以客户端一多，两次重试可能不够。
#
# **下一步**：[04 — 配额与账单错误（429）](04_quota_and_billing_429.ipynb)

# %% [markdown]
# # 配额与账单错误（429）
#
# 有些 429 等上几秒就自己好了，本课要讲的几种却永远不会好：它们说明你的组织（或项目）没钱可花了。
# 它们和普通的速率限制共用同一个状态码、同一个异常类，很多程序正是栽在这里。
#
# **本课你将学到**
# - 怎样认出 `insufficient_quota`（消息是 *"You exceeded your current quota, please check your plan and billing
#   details"*，即“你已超出当前配额，请检查套餐和账单信息”）和另外四个较新的账单错误码，并把它们和速率限制区分开；
# - 为什么重试永远救不了它们，为什么 `openai` SDK 还是会重试，以及怎样让它停手；
# - 怎样根据响应里的 `usage` 算出每次调用花了多少钱；
# - 怎样写一个小小的预算守卫：只要某个请求有可能让花费超出上限，就不发送。
#
# **学习时间**：约 20 分钟。
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 运行单元格、`make_client`、看懂 `openai` 抛出的异常 | 必需 | 第 00 课 |
# | 错误体的四个字段（`message`、`type`、`param`、`code`） | 有帮助 | 第 01 课 |
# | 普通的速率限制（429 `rate_limit_exceeded`） | 有帮助 | 第 03 课 |
# | Python：`try`/`except`、写一个简单的类 | 必需 | |

# %% [markdown]
# ## 准备工作
#
# 本课要用的东西都在下面这个单元格里。和前面几课一样，API 是模拟的：不需要密钥，不联网，也不花钱。

# %%
import math

import openai

from helpers.anatomy import show_error
from helpers.retry import classify_exception
from helpers.simulator import Simulator, make_client

MESSAGES = [{"role": "user", "content": "Write a haiku about budgets."}]

# %% [markdown]
# ---
# ## 1. 你会看到什么
#
# 演示密钥 `sk-demo-broke` 属于组织 `org-demo-broke`，这个组织本月能花的钱已经全部花完了。这里先设
# `max_retries=0`，让 SDK 只发一次请求，出错就马上把错误交给我们。（SDK 在默认设置下会怎么做，留到第 5 节再看。）

# %%
broke = make_client("sk-demo-broke", max_retries=0)
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    quota_error = exc

show_error(quota_error)

# %% [markdown]
# 这就是那条鼎鼎大名的报错：*"You exceeded your current quota, please check your plan and billing details."*
# 注意，**`type` 和 `code` 都是 `insufficient_quota`**，没有一处提到速率限制。
#
# 再来看响应头。这次要留意的是**少了什么**：

# %%
for name, value in quota_error.response.headers.items():
    print(f"{name}: {value}")

# %% [markdown]
# 没有 `retry-after`，也没有任何 `x-ratelimit-*` 响应头：服务器没叫你等，因为等了也白等。
#
# 模拟器这样做，是照着 2023 年抓到的真实配额 429 来的，那些响应里这两类响应头都没有。不过 OpenAI 并没有保证
# 一直如此，所以缺少这些响应头只能算一条线索，最终还是要看 `code`。
#
# 拿普通的速率限制来对比一下：免费层级的密钥 `sk-demo-free` 在一分钟内发到第 4 个请求，就会碰上它：

# %%
free = make_client("sk-demo-free", max_retries=0)
for _ in range(4):
    try:
        free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    except openai.RateLimitError as exc:
        rate_error = exc


def waiting_hints(exc):
    headers = exc.response.headers
    return {name: headers[name] for name in headers if name.startswith(("retry-after", "x-ratelimit-remaining"))}


for label, exc in [("速率限制", rate_error), ("配额错误", quota_error)]:
    print(f"{label}  {type(exc).__name__} {exc.status_code}  type={exc.type!r}  code={exc.code!r}")
    print(f"{'':8}  和等待有关的响应头：{waiting_hints(exc) or '无'}")

# %% [markdown]
# 两者异常类相同，状态码也相同，区别只在错误体（`type`、`code`）和响应头里。

# %% [markdown]
# ---
# ## 2. 为什么会这样
#
# 每个组织能花的钱都有一个天花板。按付费方式不同，这个天花板可能是：
#
# - 已经用完的**预付额度**；
# - 组织（或它的某个项目）给自己定的**每月预算**；
# - OpenAI 给组织分配的**每月使用上限**。
#
# 花费一旦到顶，在账单情况发生变化之前，服务器会拒绝**这个组织名下所有密钥发出的所有请求**。配额属于组织，
# 不属于某个密钥，所以新建一个密钥也没用。
#
# 模拟器把每个组织花了多少钱记在 `sim.spend` 里。看看这个已经没钱的组织：

# %%
sim = broke.simulator
org = sim.world.organizations["org-demo-broke"]
print(f"{org.name}：已花 {sim.spend[org.id]:.2f} USD，上限 {org.limit_usd:.2f} USD")

# %% [markdown]
# 再来看一个正常的组织怎样一头撞上天花板。`org-demo`（密钥 `sk-demo-ok`）的上限是 100 USD。假设现在是忙碌的
# 月底，它已经花掉了 99.98 USD。下面每个请求都给 `gpt-4o` 发一段很长的提示词，每次大约花 1.5 美分。

# %%
sim = Simulator()
client = make_client("sk-demo-ok", sim, max_retries=0)
sim.spend["org-demo"] = 99.98  # 忙碌的月底
long_prompt = [{"role": "user", "content": "Summarise this report: " + "lorem ipsum " * 2000}]

for n in range(1, 5):
    try:
        client.chat.completions.create(model="gpt-4o", messages=long_prompt, max_tokens=100)
        outcome = "200 OK"
    except openai.RateLimitError as exc:
        outcome = f"429 {exc.code}"
    print(f"第 {n} 次调用：{outcome:24}  累计花费：{sim.spend['org-demo']:.4f} USD")

# %% [markdown]
# 有两点值得注意：
#
# - 变化来得很突然：上一次调用还好好的，下一次就失败了，之后每一次都失败。
# - 最终花费**超过**了 100 USD。服务器在处理请求之前做检查，而费用要等处理完才知道，所以最后放行的那个请求
#   可能让花费稍稍越过上限。真实的 API 也是这样：消费上限不会精确到分。

# %% [markdown]
# ---
# ## 3. 较新的账单错误码
#
# 2026 年，OpenAI 把“没钱了”拆成了几个更精确的错误码。要小心的是：**`type` 可能仍然写着 `insufficient_quota`**，
# 真正要看的字段是 **`code`**。
#
# | `code` | 用完的是什么 | 演示密钥 | 谁来解决，怎么解决 |
# |---|---|---|---|
# | `insufficient_quota` | 额度，或每月消费上限（经典错误） | `sk-demo-broke` | 所有者：充值、添加付款方式，或提高预算 |
# | `credit_balance_exhausted` | 预付额度 | `sk-demo-prepaid` | 所有者：购买额度（开启自动充值，免得再来一次） |
# | `organization_spend_limit_exceeded` | 组织给自己定的每月预算 | `sk-demo-org-capped` | 所有者：提高或取消预算，或者等到下个月 |
# | `project_spend_limit_exceeded` | *这个项目*的每月预算 | `sk-demo-project-capped` | 项目或组织的所有者：提高项目预算 |
# | `organization_usage_limit_exceeded` | OpenAI 分配的每月使用上限 | `sk-demo-usage-limit` | 向 OpenAI 申请提高上限 |
#
# 真实环境里只抓到过经典错误和项目错误这两条消息。其余错误码的消息是模拟器自己写的替代文本（两个组织级错误码
# 直接沿用了经典消息）。这也是该读 `code`、别读消息文本的又一个理由。下面逐个试一遍：

# %%
BILLING_KEYS = [
    "sk-demo-broke",
    "sk-demo-prepaid",
    "sk-demo-org-capped",
    "sk-demo-project-capped",
    "sk-demo-usage-limit",
]

for key in BILLING_KEYS:
    try:
        make_client(key, max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    except openai.RateLimitError as exc:
        print(f"{key:23} {exc.status_code}  type={exc.type:18}  code={exc.code}")
        message = exc.body["message"]
        print(f"{'':23} {message if len(message) <= 80 else message[:77] + '...'}")

# %% [markdown]
# 五个都是 429 `RateLimitError`，`type` 也都是 `"insufficient_quota"`，只有 `code` 能把它们区分开。有几条消息
# 甚至一字不差，所以千万别靠匹配消息文本来判断。
#
# 项目级的上限**只挡住这一个项目**。密钥 `sk-demo-ok` 属于同一组织下的另一个项目，照样能用：

# %%
shared = Simulator()
for key in ["sk-demo-project-capped", "sk-demo-ok"]:
    project = shared.world.keys[key].project
    try:
        make_client(key, shared, max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        print(f"{key:23}（项目 {project}）：200 OK")
    except openai.RateLimitError as exc:
        print(f"{key:23}（项目 {project}）：429 {exc.code}")

# %% [markdown]
# ---
# ## 4. 怎样诊断账单错误
#
# 1. **光看 429 说明不了任何问题**。速率限制、要求你放慢速度的 `slow_down` 和账单错误，到你手里都是 429
#    `openai.RateLimitError`。
# 2. **读 `exc.code`**，和上面五个账单错误码逐一比对。`exc.type == "insufficient_quota"` 也要算上：2023 年的
#    配额错误 `code` 为 `None`，只能靠 `type` 认出它。
# 3. **响应头能给点线索**：账单 429 不带 `retry-after`。但也只是线索，有些真实的速率限制 429 同样没有它，
#    所以最终由 `code` 和 `type` 说了算。
# 4. **接着去看控制台，而不是翻代码**：*Billing* 页面（额度、付款方式）、*Limits* 页面（组织预算和使用上限）、
#    项目设置（项目预算），还有 *Usage* 页面（钱花在了哪里）。
#
# ### 练习 1：这是账单错误吗？
#
# 写一个 `is_billing_error(exc)`：遇到配额或账单错误返回 `True`，其他情况一律返回 `False`。“其他情况”包括
# 别的 429、别的 API 错误，以及根本不是 API 抛出的异常。

# %% tags=["exercise"]
BILLING_CODES = {
    "insufficient_quota",
    "credit_balance_exhausted",
    "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded",
    "organization_usage_limit_exceeded",
}


def is_billing_error(exc):
    """`exc` 是 API 返回的配额或账单错误时返回 True，其他情况一律返回 False。"""
    # 在这里写你的代码
    return False


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/04_is_billing_error.py

# %%
from helpers.checks import check_is_billing_error

check_is_billing_error(is_billing_error)
# %% [markdown]
# ---
# ## 5. 重试没用，SDK 却照样重试
#
# 速率限制是*时间*问题：限额会随时间恢复，过一会儿再试就能成功。账单错误是*钱*的问题：在有人改账单设置之前，
# 什么都不会变，每次重试得到的都是同一个答复。
#
# `openai` SDK 判断要不要重试，**只看状态码和响应头，从来不读错误体**。429 在它的重试名单上，于是账单错误
# 也享受了和速率限制一样的待遇。下面这个客户端用的是 SDK 的默认设置（`max_retries=2`）：

# %%
broke = make_client("sk-demo-broke")  # 默认设置：max_retries=2
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("调用最终抛出：", exc.code)

print("\n服务器收到的请求：")
for entry in broke.simulator.log:
    print(f"  t={entry.time:4.2f} s  status={entry.status}  code={entry.code}  retry_count={entry.retry_count}")
print("SDK 在请求之间分别等待了", [round(s, 2) for s in broke.retry_sleeps], "秒")

# %% [markdown]
# 一次调用，发出了**三个请求**（`retry_count` 依次为 0、1、2，对应 SDK 发送的 `x-stainless-retry-count`
# 请求头），还搭上了约 1.2 秒注定白等的时间。这里的时间是模拟的，放在你的程序里可就是实打实的等待了。
#
# 如果你在调用外面又套了一层自己的重试装饰器，情况还会更糟：你的 6 次尝试 × SDK 的 3 次，每次调用就是
# 18 个注定失败的请求。

# %% [markdown]
# ### 怎样让它停手
#
# **a) 只对这次调用关掉 SDK 的重试**：用 `client.with_options(max_retries=0)`。它会复制出一个换了设置的客户端，
# 原来的客户端保留自己的设置。

# %%
broke = make_client("sk-demo-broke")
try:
    broke.with_options(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("立即抛出：", exc.code)
print(len(broke.simulator.log), "个请求到达了服务器")

# %% [markdown]
# 代价是：这次调用碰到*值得*重试的 429 时，也没有 SDK 帮你重试了。所以很多程序干脆给客户端设上
# `max_retries=0`，再**自己写重试循环**，每次先判断是哪类错误，再决定要不要重试。
#
# **b) 自己给错误分类**。你写的 `is_billing_error` 做的就是这件事。课程工具包里还有个更完整的版本
# `classify_exception`，到了退避实验室（第 06 课）你会用上它：

# %%
for exc in [rate_error, quota_error]:
    verdict = classify_exception(exc)
    print(f"{exc.code:20}  可重试：{verdict.retryable!s:5}  {verdict.kind:10}  {verdict.reason}")

# %% [markdown]
# **c) 服务器也可以直接叫停**。只要响应头里有 `x-should-retry: false`，不管状态码是什么，SDK 都会照办，不再重试。
# 目前没有任何抓包显示真实的 OpenAI API 会在账单错误上发送这个响应头，但挡在 API 前面的代理或网关可以发。
# 模拟器也能发，正好用来看看效果：

# %%
sim = Simulator(billing_should_retry_header=True)
broke = make_client("sk-demo-broke", sim)  # 又是默认的 max_retries=2
try:
    broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
except openai.RateLimitError as exc:
    print("x-should-retry:", exc.response.headers.get("x-should-retry"))
print(len(sim.log), "个请求到达了服务器，尽管 max_retries=2")

# %% [markdown]
# ### 练习 2：一次调用，只发一个请求
#
# 下面的 `broke_client` 用的是 SDK 的默认设置。用它发送**一次** chat completion，并且只让**一个**请求到达
# 服务器；把捕获到的 `openai.RateLimitError` 存进 `error`。

# %% tags=["exercise"]
broke_client = make_client("sk-demo-broke")  # 默认设置：max_retries=2
error = None
# 在这里写你的代码：用 broke_client 发送一次 chat completion，只让一个请求到达服务器，
# 并把捕获到的 openai.RateLimitError 存进 `error`。

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/04_sent_once.py

# %%
from helpers.checks import check_sent_once

check_sent_once(broke_client, error)
# %% [markdown]
# ---
# ## 6. 怎样真正解决
#
# 问题从来不在请求里，而在账单设置里，而且通常得由别人来改：
#
# - **额度用完了**（`insufficient_quota`、`credit_balance_exhausted`）：到 Billing 页面充值或添加付款方式。
#   开启自动充值，就不会再出现这种情况。
# - **你们自己定的预算到顶了**（`organization_spend_limit_exceeded`、`project_spend_limit_exceeded`）：提高或
#   取消预算，或者等到下个月初预算重置。
# - **OpenAI 的使用上限到顶了**（`organization_usage_limit_exceeded`）：申请提高上限。
#
# 在程序里，正确的做法是**停下来，找人处理**：把错误码和请求 ID 记进日志，通知负责账单的人，让任务明明白白地
# 失败，而不是一遍遍重试。
#
# 在模拟器里，“有人充了值”或“新的一个月开始了”，只不过是改一下 `sim.spend`。之后用同一个密钥发同一个请求，
# 就能成功了：

# %%
sim = Simulator()
broke = make_client("sk-demo-broke", sim, max_retries=0)
sim.spend["org-demo-broke"] = 0.0  # 相当于在 OpenAI 那边充了值，或者到了每月重置的时候
reply = broke.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
print("200 OK:", reply.choices[0].message.content)

# %% [markdown]
# ---
# ## 7. 记下你花了多少钱
#
# 与其等账单错误找上门，不如平时就把账记清楚，免得被它打个措手不及。每个成功的响应都会在 `usage` 里
# 告诉你用了多少 token，乘上模型的单价，就知道这次调用花了多少钱。
#
# 价格以美元计，按**每百万 token** 报价；输入（提示词）token 和输出（补全）token 各有各的价格。下面是演示环境
# 的价目表。真实价格在 OpenAI 的定价页面上，而且会调整，所以价格应该放在配置里，别写死在代码里：

# %%
PRICES = {model.id: (model.usd_per_1m_input, model.usd_per_1m_output) for model in Simulator().world.models.values()}

for name in ["gpt-4o-mini", "gpt-4o"]:
    price_in, price_out = PRICES[name]
    print(f"{name:12} 输入 {price_in:5.2f} USD / 百万 token   输出 {price_out:5.2f} USD / 百万 token")

# %%
client = make_client("sk-demo-ok", max_retries=0)
reply = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=100)
print("提示词 token：", reply.usage.prompt_tokens)
print("补全 token  ：", reply.usage.completion_tokens)


# %% [markdown]
# ### 练习 3：这次调用花了多少钱？
#
# 写一个 `cost_usd(model, usage)`：根据一次响应的 `usage`（SDK 的对象，有 `prompt_tokens` 和 `completion_tokens`
# 两个属性）和上面的 `PRICES` 表，算出这次响应花了多少美元。


# %% tags=["exercise"]
def cost_usd(model, usage):
    """一次响应花了多少美元：提示词 token 按输入单价算，补全 token 按输出单价算。"""
    # 在这里写你的代码
    return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/04_cost_usd.py

# %%
from helpers.checks import check_cost_usd

check_cost_usd(cost_usd)
# %% [markdown]
# 接下来把每次的花费累加起来，和模拟器实际扣的钱对一对。在真实平台上，Usage 页面的数据会滞后几分钟甚至更久；
# 而你自己记的账，每次调用之后都是最新的。

# %%
sim = client.simulator
before = sim.spend["org-demo"]
total = 0.0
for topic in ["budgets", "quotas", "invoices"]:
    reply = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": f"Tell me about {topic}."}], max_tokens=100
    )
    total += cost_usd("gpt-4o", reply.usage)

print(f"我们自己累计的花费：{total:.8f} USD")
print(f"服务器实际扣的钱  ：{sim.spend['org-demo'] - before:.8f} USD")


# %% [markdown]
# ---
# ## 8. 预算守卫
#
# 账单 429 是在钱花光*之后*才来的，而且会同时落到你们组织里的每一个程序头上。预算守卫则在你自己定的上限处，
# 先让**你的**程序停下来。思路如下：
#
# 1. 发送之前，先算出**最坏情况**：提示词的 token 按输入单价算，加上 `max_tokens` 按输出单价算。回答有多长没法
#    提前知道，但不会超过 `max_tokens`。
# 2. 如果已经花的钱加上这个最坏情况会超过上限，就**拒绝**，什么都不发。
# 3. 否则就发送，再把**实际**费用（由 `usage` 算出）加到已花的钱里。
#
# 要精确统计提示词的 token 数，得用分词器（`tiktoken`）。常见的粗略估算是：英文文本大约每 4 个字符算一个 token。
# 模拟器恰好就是这么计数的，所以在这里，这个估算是精确的：


# %%
def estimate_prompt_tokens(messages):
    """粗略估算：大约每 4 个字符一个 token。（真实 API 还会给每条消息额外加几个 token。）"""
    return sum(math.ceil(len(message["content"]) / 4) for message in messages)


def worst_case_usd(model, messages, max_tokens):
    """一次调用最多花多少钱：整段提示词，加上一个长达 max_tokens 的回答。"""
    price_in, price_out = PRICES[model]
    return (estimate_prompt_tokens(messages) * price_in + max_tokens * price_out) / 1_000_000


print(f"一次简短的 gpt-4o 调用，最坏情况下花费：{worst_case_usd('gpt-4o', MESSAGES, 100):.6f} USD")


# %% [markdown]
# ### 练习 4：写出这个守卫
#
# 补全 `send`，让守卫按上面三步工作。拒绝时，`send` 返回 `None`，什么都不发送。用上 `worst_case_usd` 和你写的
# `cost_usd`。


# %% tags=["exercise"]
class BudgetGuard:
    """只要某个请求的最坏情况可能让花费超过 `cap_usd`，就拒绝发送。"""

    def __init__(self, cap_usd):
        self.cap_usd = cap_usd
        self.spent_usd = 0.0  # 已发出的调用实际花掉的钱

    def send(self, client, *, model, messages, max_tokens):
        """发送 chat completion 并返回结果；如果它可能让花费超出上限，就什么都不发，返回 None。"""
        # 在这里写你的代码：
        # 1. 如果 self.spent_usd 加上最坏情况会超过 self.cap_usd，就拒绝（返回 None）
        # 2. 否则用 client.chat.completions.create(model=..., messages=..., max_tokens=...) 发送
        # 3. 把这次回答的实际费用加到 self.spent_usd 上，然后返回回答
        return None


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/04_budget_guard.py

# %%
from helpers.checks import check_budget_guard

check_budget_guard(BudgetGuard)
# %% [markdown]
# 来看看你的守卫实际干活的样子：上限是 1 美分，每次调用的提示词大约花 1/6 美分（最坏情况下最多 1/3 美分）。

# %%
guard = BudgetGuard(cap_usd=0.01)
client = make_client("sk-demo-ok", max_retries=0)
report = [{"role": "user", "content": "Summarise: " + "quarterly numbers " * 120}]

for n in range(1, 9):
    reply = guard.send(client, model="gpt-4o", messages=report, max_tokens=200)
    status = "已发送" if reply is not None else "已拒绝"
    print(f"第 {n} 次调用：{status}  已花 {guard.spent_usd:.5f} / {guard.cap_usd} USD")
print(len(client.simulator.log), "个请求到达了服务器")

# %% [markdown]
# 守卫停下来的时候，离上限其实还有一点余量，因为*下一次*调用有可能把这点余量全部用完。
#
# 在真实的程序里，你可以给每个任务配一个自己的守卫（或者让一批任务共用一个），并且拒绝时别悄无声息：要记进日志、
# 通知相关的人，就像对待账单 429 那样。

# %% [markdown]
# ---
# ## 要点回顾
#
# - 配额或账单错误是 **429 `openai.RateLimitError`**，和速率限制一样；但它通常**不带 `retry-after`**
#   （抓到的真实响应里都没有），而且等多久都没用。
# - 要读 **`exc.code`**：`insufficient_quota`、`credit_balance_exhausted`、`organization_spend_limit_exceeded`、
#   `project_spend_limit_exceeded` 或 `organization_usage_limit_exceeded`。它们的 `type` 可能全都是
#   `insufficient_quota`（2023 年时 `code` 还是 `None`，所以 `type` 也要检查）。
# - SDK 从不读错误体，所以它会像对待其他 429 一样**重试账单错误**（默认每次调用发 3 个请求）。可以用
#   `client.with_options(max_retries=0)` 或自己的错误分类来阻止它；服务器也可以发送 `x-should-retry: false`。
# - 解决办法在账单设置里（额度、预算、上限），通常要由所有者来改：停下来，找人处理。
# - 一次调用的费用 = 提示词 token 数 × 输入单价 + 补全 token 数 × 输出单价（单价按每百万 token 计）。预算守卫在
#   发送前检查**最坏情况**，发送后累加**实际**费用。
#
# **下一步**：[05 — 服务器错误（500、503）、超时与连接中断](05_server_errors_500_503.ipynb)

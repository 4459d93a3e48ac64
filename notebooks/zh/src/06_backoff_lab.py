# %% [markdown]
# # 退避实验室
#
# 重试循环看上去不过三行代码，可真实项目里的写法大多有问题，而且错来错去就那几种：失败了马上重试；每次都等同样长的时间；
# 永远不放弃；或者去重试那些注定不会成功的错误。
#
# 本课从零写一个重试循环，每次只改进一处，并且每个版本都拿模拟的 API 实测一遍。最后再把这些想法放到一大群客户端上，
# 在退避实验室里验证。
#
# **本课你将学到**
# - 为什么面对速率限制时，立即重试或固定间隔重试都不管用；
# - 指数退避的原理，它的上限是干什么用的，又该怎么定；
# - 抖动是什么（完全抖动、均等抖动、去相关抖动），它对一群客户端有什么作用，又有什么做不到；
# - 怎样写一个能直接上线的重试循环：遇到不可能成功的错误就停，遵守 `Retry-After`，并且及时放弃；
# - 怎样使用课程现成的 `send_with_retries` 和 `RetryPolicy`；
# - 怎样用**退避实验室**和**策略赛跑**这两个 widget 探索各种策略，并看懂它们给出的指标。
#
# **学习时间**：约 45 分钟。
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 速率限制、会自动补充的令牌桶、`Retry-After`、被拒绝的请求也算数 | 必需 | 第 03 课 |
# | 哪些错误值得重试（`classify_exception`） | 有帮助 | 第 04、05 课 |
# | Python：函数、`lambda`、`try`/`except`、`raise` | 必需 | |

# %% [markdown]
# ## 准备工作
#
# 本课用到的东西都在下面这个单元格里。和其他各课一样，API 和时钟都是模拟的：一个要等五分钟的重试循环，眨眼间就能跑完。

# %%
import random

import openai
from matplotlib.figure import Figure

from helpers import plots
from helpers.experiments import run_load
from helpers.retry import (
    DecorrelatedJitter,
    EqualJitter,
    Exponential,
    FullJitter,
    MaxAttempts,
    RetryAfter,
    RetryPolicy,
    classify_exception,
    send_with_retries,
)
from helpers.simulator import Simulator, make_client
from helpers.widgets import BackoffLab, StrategyRace

# %% [markdown]
# ---
# ## 1. 要跑的任务
#
# 一个小小的批处理任务：8 个提示词，用免费层级的密钥 `sk-demo-free` 依次发出。这把密钥**每分钟只能发 3 个请求**，
# 也就是每 20 秒才补回一个请求。我们把 SDK 自带的重试关掉（`max_retries=0`），因为这次要自己动手写重试。
#
# `run_batch` 就是我们的重试循环。每个提示词最多尝试 `max_attempts` 次。在第 `n` 次重试之前（第一次重试时 `n` 为 1），
# 它会调用函数 `wait_before_retry(n, exc)` 来决定等几秒，其中 `exc` 是刚刚收到的错误。接下来要改的，
# 自始至终只有这一个函数。
#
# 等待用的是 `sim.clock.sleep(seconds)`：模拟器的时钟会一下子往前拨这么多秒，不用真的干等。

# %%
PROMPTS = [f"Give me a fun fact about the number {n}." for n in range(1, 9)]


def ask(client, prompt):
    return client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=50, messages=[{"role": "user", "content": prompt}]
    )


def run_batch(name, wait_before_retry, max_attempts=8):
    """用免费层级的密钥发送所有提示词，每个最多尝试 `max_attempts` 次，然后汇报结果。"""
    sim = Simulator()
    client = make_client("sk-demo-free", sim, max_retries=0)  # 关掉 SDK 的重试：重试由下面的循环负责
    done = 0
    for prompt in PROMPTS:
        for attempt in range(1, max_attempts + 1):
            try:
                ask(client, prompt)
                done += 1
                break  # 这个提示词完成了
            except openai.RateLimitError as exc:
                if attempt < max_attempts:
                    sim.clock.sleep(wait_before_retry(attempt, exc))  # 虚拟时间：立刻返回
    refused = sum(entry.status == 429 for entry in sim.log)
    print(
        f"{name}：完成 {done}/{len(PROMPTS)} 个提示词，尝试 {len(sim.log):2} 次，被拒 {refused:2} 次，"
        f"模拟时间 {sim.clock.now():3.0f} 秒"
    )


# %% [markdown]
# ---
# ## 2. 立即重试
#
# 人人都会先想到这一招：失败了就马上再试一次。

# %%
run_batch("立即重试", lambda n, exc: 0)

# %% [markdown]
# 前三个提示词顺利通过（令牌桶一开始是满的）。剩下五个提示词在同一瞬间把 8 次尝试全部用光，全都被拒。
# 白白浪费了 40 个请求，任务也没有因此早一点完成。

# %% [markdown]
# ---
# ## 3. 固定等待
#
# 下一个想法：两次尝试之间停一会儿。可是该停多久？

# %%
run_batch("固定等待 5 秒", lambda n, exc: 5)
run_batch("固定等待 20 秒", lambda n, exc: 20)

# %% [markdown]
# 等 5 秒，**成功数一个也没增加**。按说每个提示词试 8 次，中间停 7 次、每次 5 秒，加起来有 35 秒，
# 比补回一个请求所需的 20 秒还长。原因在第 03 课讲过：被拒绝的请求也算数。每次被拒的尝试都会把刚补回的那 1/4 个请求用掉，
# 所以桶里永远攒不满一整个请求。
#
# 等 20 秒则完美通过，因为这正好是这项限制补回一个请求的时间。问题是，只有知道限制是多少，你才知道这个数。
# 换一把密钥、换一个模型或换一个使用层级，这个数就变了。

# %% [markdown]
# ---
# ## 4. 指数退避
#
# 指数退避不需要知道限制是多少：每失败一次，等待时间就**翻一倍**，总有一次会等得足够久。
# 以 1 秒为基数，第 `n` 次重试等待 `1 · 2^(n−1)` 秒：1、2、4、8、16、32 秒……
#
# 一直翻倍下去，很快就要等上几个小时，所以实际代码都会加一个**上限**：`min(cap, base · 2^(n−1))`。

# %%
run_batch("指数退避，无上限", lambda n, exc: 1 * 2 ** (n - 1))
run_batch("指数退避，上限 10 秒", lambda n, exc: min(10, 1 * 2 ** (n - 1)))
run_batch("指数退避，上限 30 秒", lambda n, exc: min(30, 1 * 2 ** (n - 1)))

# %% [markdown]
# 指数退避不用知道限制，也能让所有提示词都通过，但要付出代价：每个提示词都要先经历一串太短的等待（1、2、4、8、16 秒），
# 白白被拒好几次，才等到一次足够长的。结果整个任务花的时间是固定等 20 秒的三倍。
#
# 上限设成 10 秒是个陷阱：没有哪次等待长到能补回一个请求，所以成功数同样一个也没增加。
# **上限必须比速率限制补回一个请求所需的时间更长**。

# %% [markdown]
# ---
# ## 5. 抖动
#
# *抖动*（jitter）就是随机选择等待时间。最常见的一种叫**完全抖动**（full jitter）：在 0 到指数退避的上界之间随机取一个值，
# 即 `uniform(0, min(cap, base · 2^(n−1)))`。随机数来自一个设了种子的生成器，所以每次运行的结果都完全一样。

# %%
rng = random.Random(1)
run_batch("完全抖动，上限 60 秒", lambda n, exc: rng.uniform(0, min(60, 1 * 2 ** (n - 1))))

# %% [markdown]
# 只有一个客户端时，抖动没有什么可以错开的。它只会让平均等待变短（只有上界的一半），于是要多试几次；
# 这次甚至有一个提示词把 8 次尝试全用光了。抖动是为**一大群**客户端准备的，第 7 节会演示。

# %% [markdown]
# ---
# ## 6. 问服务器
#
# 上面这些办法全靠猜。其实，速率限制触发的 429 可以直接*告诉*你该等多久，答案就在 `retry-after` 响应头里。
# 模拟器在每个速率限制 429 中都会带上它；真实的 API 只是有时才带。没有的时候，就只能靠错误消息里的
# “Please try again in”（见第 03 课），或者老老实实地退避：

# %%
run_batch("按 Retry-After 等待", lambda n, exc: float(exc.response.headers["retry-after"]))

# %% [markdown]
# 所有提示词都通过了，每个最多只被拒一次，总耗时也正好是速率限制允许的最短时间。单个客户端最多也就能做到这样了。
# （不过这个简单版本碰到不带 `retry-after` 响应头的错误就会崩溃，而真实的 API 有时确实不带。第 9 节会解决这个问题。）
#
# | 策略 | 需要知道限制吗？ | 在免费层级上的结果 |
# |---|---|---|
# | 立即重试，或者等一小段固定时间 | 不需要 | 白白耗掉尝试次数，成功数一个也没增加 |
# | 固定等 20 秒 | 需要，你把它写死了 | 完美，直到限制发生变化 |
# | 指数退避，上限超过补回一个请求的时间 | 不需要 | 能完成，但浪费一些尝试 |
# | `Retry-After` | 服务器会告诉你 | 单个客户端的最佳选择 |

# %% [markdown]
# ---
# ## 7. 一大群客户端
#
# 一个客户端好对付。要是二十个客户端共用同一个速率限制呢？要模拟一群客户端，就用课程的实验引擎 `run_load`：
# 每个客户端按给定的重试策略，依次发出自己的请求，全部在模拟器上用虚拟时间运行。`RetryPolicy` 由两部分组成：
# 一个退避（等多久），加上若干预算（什么时候放弃）。
#
# 二十个客户端各发 3 个请求，一共 60 个，而速率限制是每分钟 30 个请求，所以一半的请求得排队等。
# 每个客户端都用指数退避（基数 0.5 秒，上限 16 秒），最多尝试 6 次。两次运行唯一的区别就是有没有抖动。

# %%
crowd = dict(clients=20, requests_per_client=3, rpm=30, tpm=40_000, prompt_tokens=200, max_tokens=100, seed=0)
waves = run_load(**crowd, policy=RetryPolicy(Exponential(0.5, 16), (MaxAttempts(6),)))
spread = run_load(**crowd, policy=RetryPolicy(FullJitter(0.5, 16), (MaxAttempts(6),)))

for label, result in [("指数退避，不加抖动：", waves), ("指数退避，加完全抖动：", spread)]:
    print(label)
    figure = plots.retry_timeline(result)
    figure.axes[0].set_ylim(-0.5, 24)  # 在各行上方给图例留出空间
    plots.show(figure)

# %% [markdown]
# 不加抖动时，客户端会**成波**行动：它们一起被拒，等同样长的时间，又一起回来（图中一列列橙色的叉）。
# 加了完全抖动，同样多的重试就被**分散**到了不同时刻。
#
# 再来看数字。哪一种表现更好？

# %%
print(f"{'':28}{'不加抖动':>8}{'完全抖动':>9}")
for label, field in [
    ("成功的请求数", "successes"),
    ("放弃的请求数", "gave_up"),
    ("尝试的总次数", "attempts"),
    ("收到的 429 响应数", "rate_limited"),
    ("总耗时（秒）", "drain_time_s"),
]:
    print(f"{label:22}{getattr(waves.metrics, field):>12.0f}{getattr(spread.metrics, field):>13.0f}")

# %% [markdown]
# 意外吗？讲退避的文章通常会展示抖动遥遥领先，在某些场景下也确实如此：只要问题出在请求**同时到达**，
# 把它们错开正好对症。比如按秒而不是按分钟执行的速率限制（OpenAI 说速率限制可能这样执行），
# 几个客户端同时去更新的同一行数据库记录，或者一遇到流量尖峰就扛不住的服务器。这些实验放在第 07 课。
#
# 速率限制却不一样。它不关心请求*什么时候*到，只管数数。成波到达时，第一个请求拿走安静间隙里补回的那个名额，其余的被拒。
# 而重试一旦分散开，就时时刻刻都有人在敲门，每一次被拒的敲门都会把刚补回的那一点名额用掉。
# 再加上完全抖动的平均等待只有上界的一半，同样是 6 次尝试，客户端会更早放弃。
#
# 这个结论取决于模拟器怎么计算被拒的请求。OpenAI 只说失败的请求也计入速率限制；模拟器的做法是，每次被拒都用掉当时已补回的全部余量。
# 如果速率限制是按很短的时间段执行的（第 07 课第 1 节），抖动就明显占优。但无论哪种情况，抖动都治不了速率限制：
# 重试怎么安排，都变不出更多的容量。真正有用的是少发几次尝试（等得更久、重试得更少），
# 或者从一开始就不要发得比限制还快（在客户端限流，见第 08 课）。
#
# 尽管如此，实际代码里还是要保留抖动：真实的服务器也会过载，而抖动能防止一大批客户端步调一致地同进同退。

# %% [markdown]
# ---
# ## 8. 各种公式
#
# 每种策略都可以写成一个公式，算出第 `n` 次重试（第一次重试时 `n` 为 1）之前要等多久。其中 `b` 是基数，`c` 是上限：
#
# | 策略 | 第 `n` 次重试前的等待 | 在 `helpers.retry` 中 |
# |---|---|---|
# | 不等待 | 0 | `NoBackoff()` |
# | 固定等待 | `d` | `Constant(d)` |
# | 指数退避（带上限） | `min(c, b · 2^(n−1))` | `Exponential(b, c)` |
# | 完全抖动 | `uniform(0, min(c, b · 2^(n−1)))` | `FullJitter(b, c)` |
# | 均等抖动 | `t/2 + uniform(0, t/2)`，其中 `t = min(c, b · 2^(n−1))` | `EqualJitter(b, c)` |
# | 去相关抖动 | `min(c, uniform(b, 3 · 上一次的等待))`，从 `b` 开始 | `DecorrelatedJitter(b, c)` |
# | OpenAI SDK | 如果 0 < `Retry-After` ≤ 120 秒，就等 `Retry-After`；否则等 `min(8, 0.5 · 2^(n−1)) · uniform(0.75, 1)` | `OpenAISDK()` |
#
# `plots.backoff_schedule` 可以把一个策略画出来：对每个重试序号，画出等待时间可能的范围、大多数抽样落在哪里，以及平均值。

# %%
figure = Figure(figsize=(plots.WIDTH_IN, 10), layout="constrained")
descriptions = []
for policy, ax in zip(
    [Exponential(0.5, 16), FullJitter(0.5, 16), EqualJitter(0.5, 16), DecorrelatedJitter(0.5, 16)],
    figure.subplots(4, 1, sharex=True),
    strict=True,
):
    plots.backoff_schedule(policy, ax=ax)
    descriptions.append(figure.alt_text)
for ax in figure.axes[:-1]:
    ax.set_xlabel("")  # 几个子图共用最下方的重试序号
figure.suptitle("基数和上限相同，分散程度不同：\n抖动把一个固定的等待变成了一段范围", fontsize=10)
figure.alt_text = " ".join(descriptions)
plots.show(figure)


# %% [markdown]
# 指数退避完全没有分散。完全抖动从 0 一直分散到上界，所以平均值是上界的一半。均等抖动的等待不会少于上界的一半。
# 去相关抖动以上一次的等待为基础往上涨，所以分散得最开。
#
# ### 练习 1：完全抖动
#
# 写一个函数 `full_jitter(n, base, cap, rng)`，返回第 `n` 次重试（第一次重试时 `n` 为 1）之前要等待的秒数：
# 在 0 到 `min(cap, base · 2^(n−1))` 之间均匀随机取值。随机数要从 `rng`（一个 `random.Random` 对象）里取，
# 比如用 `rng.uniform(...)`，这样同一个种子就能得到同样的等待序列。


# %% tags=["exercise"]
def full_jitter(n, base, cap, rng):
    """第 n 次重试之前要等待的秒数（第一次重试时 n = 1），使用完全抖动。"""
    # 在这里写你的代码：
    return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/06_full_jitter.py

# %%
from helpers.checks import check_full_jitter

check_full_jitter(full_jitter)


# %% [markdown]
# ---
# ## 9. 一个能上线的重试循环
#
# `run_batch` 里的循环只处理速率限制，而且它那个按 `Retry-After` 等待的版本，一碰到没有这个响应头的错误就会崩溃。
# 真正用在程序里的循环要遵守几条规则：
#
# 1. **只重试有可能成功的错误**。速率限制、过载（503）、服务器错误（500）、超时和连接中断：要重试。
#    账单错误、无效的密钥、不存在的模型、*Request too large*，以及你自己代码里的 bug：绝不重试。
#    这个判断交给 `classify_exception(exc)`（第 04、05 课介绍过），它的 `.retryable` 会告诉你该不该重试。
# 2. **不要比服务器要求的更早重试**。`classify_exception(exc).retry_after` 里是服务器给出的 `Retry-After` 秒数
#    （没有就是 `None`）。它是下限，不是保证：它只说明*一个*请求什么时候能放得进去。所以要在它和你的退避时间之间取较大的那个；
#    如果重试又被拒，退避时间变长，等待也就跟着变长。没有 `Retry-After` 时，就用完全抖动来退避。
# 3. **及时放弃**。尝试满 `max_attempts` 次后，把最后一个错误重新抛出，让调用方知道出了什么问题。
# 4. **用传进来的时钟睡眠**，不要直接调用 `time.sleep`，这样才能在虚拟时间里测试这个循环。
#
# ### 练习 2：自己写重试循环
#
# 写一个函数 `call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0)`。它反复调用 `send()`
# （一个不带参数、负责调用 API 的函数），直到成功为止，然后返回 `send()` 的返回值。如果错误不可能靠重试成功，
# 或者已经尝试了 `max_attempts` 次，就把最后一个错误重新抛出。在第 `n` 次重试之前，
# 用 `clock.sleep(...)` 睡眠，时长取服务器的 `Retry-After` 和 `full_jitter(n, base, cap, rng)` 两者中较大的那个。


# %% tags=["exercise"]
def call_with_retries(send, clock, rng, max_attempts=6, base=0.5, cap=30.0):
    """反复调用 send() 直到成功，并返回它的结果；放弃时重新抛出最后一个错误。"""
    # 在这里写你的代码：
    return send()


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/06_retry_loop.py

# %%
from helpers.checks import check_retry_loop

check_retry_loop(call_with_retries)

# %% [markdown]
# 用你的循环跑一遍上面的批处理任务，再对一个配额已经用完的组织试一试：

# %%
sim = Simulator()
client = make_client("sk-demo-free", sim, max_retries=0)
loop_rng = random.Random(0)
try:
    for prompt in PROMPTS:
        call_with_retries(lambda: ask(client, prompt), sim.clock, loop_rng)  # noqa: B023 （在循环进入下一轮之前就已调用）
    print(f"免费层级：{len(PROMPTS)} 个提示词全部完成，共尝试 {len(sim.log)} 次，用时 {sim.clock.now():.0f} 秒")
except openai.RateLimitError:
    print("call_with_retries 在一个本来可以等过去的 429 上放弃了。先完成上面的练习，再重新运行这个单元格。")

broke = make_client("sk-demo-broke", max_retries=0)
try:
    call_with_retries(lambda: ask(broke, PROMPTS[0]), broke.simulator.clock, loop_rng)
except openai.RateLimitError as exc:
    print(f"配额已用完：尝试 {len(broke.simulator.log)} 次后放弃，错误码 {exc.code}")

# %% [markdown]
# ---
# ## 10. 工具包里的现成版本
#
# 课程的 `helpers.retry` 包里有同样的循环，现成可用，还多了几项功能：`send_with_retries(send, policy, clock, seed=...)`。
# 其中 policy 是一个 `RetryPolicy`：一个退避（取自第 8 节的表格），加上若干预算，比如 `MaxAttempts(6)`。
#
# `RetryAfter(inner)` 会按服务器的 `Retry-After` 等待，再加一点抖动（最多多等 10 %）。如果服务器要求的等待超过它的 `cap`
# （默认 120 秒，和 SDK 一样），它就放弃；没有 `Retry-After` 时，则改用 `inner`。
#
# 循环返回一个 `RetryOutcome`，里面记录了每一次尝试；通过 `on_retry` 还可以在每次重试发生时把它记到日志里。

# %%
policy = RetryPolicy(RetryAfter(FullJitter(0.5, 30)), (MaxAttempts(6),))
print(policy.describe())

sim = Simulator()
client = make_client("sk-demo-free", sim, max_retries=0)
for prompt in PROMPTS[:3]:
    ask(client, prompt)  # 先把桶里的请求用光

outcome = send_with_retries(
    lambda: ask(client, PROMPTS[3]),
    policy,
    sim.clock,
    seed=0,
    on_retry=lambda attempt: print(f"  因 {attempt.kind} 重试：等待 {attempt.wait:.1f} 秒"),
)
for attempt in outcome.attempts:
    print(f"第 {attempt.number} 次尝试，t = {attempt.time:5.1f} 秒：{attempt.kind}（{attempt.reason}）")
print("是否成功：", outcome.ok, "->", outcome.unwrap().choices[0].message.content[:50], "...")

# %% [markdown]
# `outcome.unwrap()` 会返回结果；如果循环已经放弃，它就抛出最后一个错误，和你写的函数一样。

# %% [markdown]
# ---
# ## 11. 退避实验室
#
# 每动一下控件，实验室就把第 7 节那个“一群客户端”的实验重跑一遍。上图画出每一次尝试，下图画出每秒的成功数和尝试数，
# 两张图都以速率限制作对照；另外还有一张指标表。
# 默认设置是：20 个客户端 × 3 个请求，速率限制每分钟 30 个请求，指数退避加完全抖动，基数 0.5 秒，上限 16 秒，最多尝试 6 次。
#
# **动手试试**：一步一步来，每一步都留意指标表的变化。
#
# 1. **立即重试**：把*策略*设为“立即重试”。有多少请求被放弃了？平均每次成功要花掉多少次尝试？
# 2. **成波重试**：把*策略*设为“指数退避”（不加抖动）。在时间线里找出那一列列的重试，
#    再拿*成功*这一项和“完全抖动”比一比。
# 3. **其他抖动**：试试“均等抖动”和“去相关抖动”。在这里，哪一种放弃的请求最少？
# 4. **遵守 Retry-After**：改回“完全抖动”，勾选*遵守 Retry-After*。现在每个被拒的客户端听到的等待时间都不超过
#    2 秒（也就是补回一个请求所需的时间），于是整群客户端几乎在同一时刻回来。看看*放弃*这一项。
# 5. **耐心一点**：取消勾选，把*最多尝试次数*调到 10，*上限*调到 60 秒。
#    现在所有请求都能通过吗？*全部完成用时*又有什么变化？
# 6. **绰绰有余**：把*RPM 限制*设为 60。60 个请求全都装得进桶里：再好的重试策略，也比不上根本不需要重试。
# 7. 改一改**随机种子**（在“更多设置”里），看看差异里有多少是运气。

# %%
lab = BackoffLab()
lab

# %% [markdown]
# 实验室也可以用代码来操作：`lab.set(...)` 按名字设置控件，并立即重绘。控件名和选项值用的是代码里的英文名，
# 比如 `strategy`（取值 `"none"`、`"exponential"`、`"full_jitter"` 等）、`retry_after`、`max_attempts`、`cap`、`rpm`、`seed`。
# 调用之后，`lab.result` 就是这次实验的结果，`lab.result.metrics` 里是指标表中的那些数字。下面用代码完成第 2 步：

# %%
lab.set(strategy="exponential")
m = lab.result.metrics
print(
    f"{m.requests} 个请求中成功 {m.successes} 个，放弃 {m.gave_up} 个，尝试 {m.attempts} 次"
    f"（平均每次成功尝试 {m.amplification:.1f} 次），收到 {m.rate_limited} 个 429，{m.drain_time_s:.0f} 秒后全部处理完"
)
plots.show(lab.figure)

# %% [markdown]
# 再把第 1、2、4 步放在一起，读的是同样的指标：

# %%
steps = {
    "立即重试": dict(strategy="none", retry_after=False),
    "指数退避": dict(strategy="exponential", retry_after=False),
    "完全抖动": dict(strategy="full_jitter", retry_after=False),
    "完全抖动 + Retry-After": dict(strategy="full_jitter", retry_after=True),
}
print(f"{'':32}{'成功':>8}{'放弃':>8}{'尝试':>8}{'尝试 ÷ 成功':>9}")
for name, settings in steps.items():
    lab.set(**settings)
    m = lab.result.metrics
    print(f"{name:28}{m.successes:>10}{m.gave_up:>10}{m.attempts:>10}{m.amplification:>13.1f}")

# %% [markdown]
# 对单个客户端来说，遵守 `Retry-After` 是最好的做法（第 6 节）；可放到一群客户端身上，它并不比立即重试强。
# 服务器告诉每个被拒的客户端：桶里什么时候能放下**一个**请求。于是大家差不多都在那个时刻回来，
# 其他人被拒时又把补回的余量用掉了，连那一个请求也很少能挤进去：这里一次重试都没成功。
#
# 不管什么重试规则，都没法让 60 个请求更快地塞进每分钟 30 个的速率限制。对一群客户端真正有用的，是从一开始就少发：
# 在客户端做一个共享的限流，这是第 08 课的内容。

# %% [markdown]
# ---
# ## 12. 策略赛跑
#
# 赛跑会让两到四种策略在完全相同的负载和种子下各跑一遍，然后并排比较：请求得到回答的快慢（上图），
# 每次成功的尝试次数，以及全部完成用时（下图）。在下拉框里选好策略，再像在实验室里那样调整负载。

# %%
race = StrategyRace(
    strategy1="exponential", strategy2="full jitter", strategy3="equal jitter", strategy4="the OpenAI SDK's schedule"
)
race

# %%
for name, result in race.result.items():
    m = result.metrics
    print(
        f"{name}：{m.requests} 个中成功 {m.successes:>3} 个，每次成功 {m.amplification:4.1f} 次尝试，"
        f"{m.drain_time_s:5.1f} 秒后全部完成"
    )

# %% [markdown]
# 几组值得一跑的比赛：*完全抖动*对*完全抖动 + Retry-After*；50 个客户端时的*指数退避*对*均等抖动*；
# 任选一种策略，先把*最多尝试次数*设为 3，再设为 10。每次都问问自己：你最在乎的是哪个数字？
# 是通过的请求数、浪费的尝试次数，还是最慢的那个请求等了多久？

# %% [markdown]
# ---
# ## 要点回顾
#
# - 面对速率限制，**立即重试**或**等一小段固定时间**再试都没用：被拒绝的请求也算数，桶永远补不满。
#   固定等待只有在你把限制写死在代码里时才管用。
# - **指数退避** `min(cap, base · 2^(n−1))` 不用知道限制，也能找到一个足够长的等待。
#   但**上限**必须比速率限制补回一个请求的时间更长，否则一个请求也过不去。
# - **抖动**让等待时间随机化：完全抖动 `uniform(0, min(cap, base · 2^(n−1)))`、均等抖动、去相关抖动。
#   它能把一群客户端错开，这在请求同时到达会出问题时很重要；但面对速率限制，它变不出容量，
#   在本实验里，不加抖动的成波重试表现得一样好，甚至更好。不过还是要保留抖动：它能防止客户端步调一致。
# - **`Retry-After`**，只要服务器发了（真实的 API 并不总发），就是单个客户端的最佳等待时间，
#   对所有客户端来说也都是一个**下限**：绝不要提前重试。但它只说明*一个*请求什么时候能放进去，
#   而一群客户端听到的是同一个数字。救一群客户端靠的是少发请求（限流，见第 08 课），而不是更聪明的重试。
# - 能上线的循环先给每个错误**分类**，从不重试不可能成功的错误；等待 `max(Retry-After, 退避时间)`；
#   试过几次仍不成功，就**重新抛出**错误，就此放弃；睡眠用的是传进来的时钟。
#   只在一层重试：自己写循环时，给 SDK 设置 `max_retries=0`。
# - `helpers.retry` 里有现成的版本：`send_with_retries(send, RetryPolicy(backoff, budgets), clock)`。
#   **退避实验室**和**策略赛跑**让你在用户撞上问题之前，先拿一群客户端检验你的策略。
#
# **下一步**：[07 — 多个客户端：惊群、重试预算与成倍放大的重试](07_many_clients.ipynb)

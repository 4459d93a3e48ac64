# %% [markdown]
# # 多个客户端：惊群、重试预算与成倍放大的重试
#
# 到目前为止，我们面对的都是一个程序、一个重试循环。生产环境里却有很多个：worker、容器、用户的浏览器、定时任务……
# 它们共用同一个速率限制、同一行数据库记录，或者同一台快撑不住的服务器。
# 一个重试策略，单个客户端用着毫无问题；一百个客户端同时用，就可能掀起一场风暴。
#
# **本课你将学到**
# - 为什么以同样方式退避的客户端会**一起**回来（即*惊群效应*，thundering herd），以及抖动怎样把这一波波的重试打散；
# - 怎样复现 Marc Brooker 2015 年的**争用同一行记录实验**，并用你自己跑出的数字检验他的结论；
# - **重试预算**（限制尝试次数、限制重试比例、重试令牌桶）怎样防止一次故障把负载成倍放大；
# - 为什么重试会**逐层相乘**（一次调用 6 × 3 = 18 个请求），以及怎样只在一层重试；
# - 很多客户端同时运行时，SDK 自带的重试会怎样表现。
#
# **学习时间**：约 35 分钟。
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 速率限制（429）、`Retry-After`、`x-ratelimit-*` 响应头 | 必需 | 第 03 课 |
# | 加抖动和不加抖动的退避；`RetryPolicy`、`MaxAttempts` | 必需 | 第 06 课 |
# | 500 和 503 错误，以及 SDK 内置的重试 | 有帮助 | 第 05 课 |

# %% [markdown]
# ## 准备工作
#
# 本课的一切都在模拟时间里运行：退避一分钟，只需要几毫秒。
#
# `lab_world(rpm=..., tpm=...)` 给出一个演示环境，里面多了一个组织：它的速率限制正好是你指定的值，密钥是 `sk-lab`。
# `run_load` 让许多客户端同时对它发请求，返回每一次尝试（`.trace`）和一份汇总（`.metrics`）。

# %%
import math
from collections import Counter

from helpers import plots
from helpers.experiments import lab_world, measure_nesting, run_load, run_sdk_load, sweep
from helpers.retry import Exponential, FullJitter, MaxAttempts, RetryPolicy, RetryQuota, RetryRatio
from helpers.simulator import Simulator


def gets(n):
    return f"成功 {n} 个"


def side_by_side(results, rows):
    """打印一张小表：每个结果占一列，每个（标签，从指标取值的函数）占一行。"""
    names = list(results)
    print(f"{'':32}" + "".join(f"{name:>22}" for name in names))
    for label, value in rows:
        print(f"{label:32}" + "".join(f"{value(results[name].metrics):>22}" for name in names))


# %% [markdown]
# ---
# ## 1. 惊群效应
#
# 四十个 worker 在同一时刻开始干同一件事：可能是定时任务触发了，可能是部署把它们全重启了，也可能是队列里又堆满了任务。
# 它们共用同一个组织的速率限制：**每分钟 120 个请求**。OpenAI 说速率限制可能按更短的时间段执行，
# 所以每分钟 120 个，实际上可能相当于**每秒 2 个**。模拟器用 `burst_fraction=1/60` 来实现这一点：桶里只装得下一秒钟的请求量。
# （所以这样设置时，速率限制至少要有每分钟 60 个请求：桶至少得装得下一个完整的请求。）
#
# 每个 worker 发一个请求，用**不加抖动的普通指数退避**重试：1 秒、2 秒、4 秒……（上限 32 秒），最多尝试 8 次。


# %%
def herd(backoff, seed=0):
    """40 个客户端，各发一个请求；速率限制为每分钟 120 个请求，按每秒 2 个执行。"""
    simulator = Simulator(lab_world(rpm=120, tpm=1_000_000), burst_fraction=1 / 60, seed=seed)
    return run_load(
        clients=40,
        requests_per_client=1,
        rpm=120,
        tpm=1_000_000,
        seed=seed,
        policy=RetryPolicy(backoff, (MaxAttempts(8),)),
        simulator=simulator,
    )


lockstep = herd(Exponential(base=1, cap=32))
plots.show(plots.retry_timeline(lockstep))

# %% [markdown]
# 每一行是一个 worker，每个标记是一次尝试。被拒的尝试排成了一道道竖条：大家在同一时刻被拒，等了一样长的时间，
# 又在同一时刻回来。数一数每一波发生了什么：

# %%
arrived = Counter(round(row.time) for row in lockstep.trace)
got_in = Counter(round(row.time) for row in lockstep.trace if row.kind == "ok")
for second in sorted(arrived):
    print(f"t ≈ {second:3d} 秒：到达 {arrived[second]:2d} 个请求，{gets(got_in[second])}")

# %% [markdown]
# 每一波能进去的请求，最多只有桶里装得下的那么几个，其余的全被弹回。两波之间桶会补充，
# 但它最多只能装一秒钟的量，所以补回来的大部分容量都白白浪费了。惊群既浪费了自己的尝试次数，也浪费了速率限制的容量。
#
# 现在让同样的 worker 用**完全抖动**：每次的等待时间在 0 到指数退避的值之间随机抽取。

# %%
spread = herd(FullJitter(base=1, cap=32))
plots.show(plots.retry_timeline(spread))

# %%
herds = {"不加抖动": lockstep, "完全抖动": spread}
side_by_side(
    herds,
    [
        ("成功的请求数", lambda m: f"{m.successes} / {m.requests}"),
        ("尝试的总次数", lambda m: m.attempts),
        ("收到的 429 响应数", lambda m: m.rate_limited),
        ("尝试数 ÷ 成功数", lambda m: f"{m.amplification:.1f}"),
        ("放弃的请求数", lambda m: m.gave_up),
        ("总耗时（秒）", lambda m: f"{m.drain_time_s:.0f}"),
    ],
)


# %% [markdown]
# 加了抖动，重试一个接一个地到达，桶里补回多少就用掉多少。于是在尝试次数用完之前完成的 worker 多了很多，
# 每次成功花掉的尝试次数也更少。
#
# ### 反转：抖动变不出容量
#
# 抖动解决的是*撞车*问题，它不会让速率限制变大。换一个速率限制：它允许一整分钟的请求一次性通过（不设 `burst_fraction`），
# 但就是太小了：40 个 worker，对**每分钟 20 个请求**。


# %%
def too_small(backoff, seed=0):
    """40 个客户端，各发一个请求；速率限制为每分钟 20 个请求，桶里装得下一整分钟的量。"""
    return run_load(
        clients=40,
        requests_per_client=1,
        rpm=20,
        tpm=1_000_000,
        seed=seed,
        policy=RetryPolicy(backoff, (MaxAttempts(8),)),
    )


side_by_side(
    {"不加抖动": too_small(Exponential(1, 32)), "完全抖动": too_small(FullJitter(1, 32))},
    [
        ("成功的请求数", lambda m: f"{m.successes} / {m.requests}"),
        ("尝试的总次数", lambda m: m.attempts),
        ("尝试数 ÷ 成功数", lambda m: f"{m.amplification:.1f}"),
    ],
)

# %% [markdown]
# 这次结果反过来了。有两个因素对抖动不利：
#
# - 完全抖动的平均等待只有普通指数退避的一半，所以在 8 次尝试之内，速率限制补回的量更少；
# - 被拒绝的请求依然计入速率限制（OpenAI 说失败的请求也算数；至于具体用掉多少，是这个模拟器的假设），
#   所以一股接连不断的抖动重试，会在补回的量攒够一个完整请求之前就把它吃掉。
#
# 普通的指数退避则不同：在两波之间，它让桶安安静静地补充。
#
# 这个结果是这个模拟器特有的：它取决于被拒的请求在这里用掉多少余量，而 OpenAI 并没有公布这一点。
# 从中只需要记住一点：面对速率限制，抖动不是万能药。
#
# 另一个更普遍的观点来自 Marc Brooker（*What is backoff for?*，2022 年）：退避能帮一群客户端熬过**短暂的尖峰**；
# 但如果独立的客户端数量很多、甚至没有上限，退避**并不能**降低长期负载，只是把工作往后推。
# 只有**减少重试**才能降低负载。这正是重试预算（第 3 节）的用途；而让第一次尝试就不超过速率限制，靠的是控制发送节奏（第 08 课）。

# %% [markdown]
# ---
# ## 2. Brooker 的争用同一行记录实验
#
# 2015 年，Marc Brooker 在 AWS Architecture Blog 上发表了*Exponential Backoff And Jitter*。他的实验规模不大，在这里就能重跑一遍：
#
# - 数据库里有一行**记录**，带一个版本号，用*乐观并发控制*保护：客户端先读出版本号，再带着它写入；
#   只有在这期间没有别人写过，写入才会成功。
# - **N 个客户端**都在 t = 0 时启动，每个都要更新这行记录一次。写入失败后，客户端先退避，再重新读取，然后重试。
# - 每条消息单程大约需要 10 毫秒（± 2 毫秒）。退避基数 5 毫秒，上限 2 秒。
# - 比较的策略：**不退避**（`none`）、普通的**指数退避**（`exponential`）、**均等抖动**（`equal_jitter`）、
#   **完全抖动**（`full_jitter`）和**去相关抖动**（`decorrelated_jitter`）。下面的表和判定里用的是括号里的名字。
# - 两个指标：服务器收到的**写入次数**（工作量），以及直到最后一个客户端完成的**完成时间**。
#
# Brooker 对 19 种客户端数量各跑了 100 次。我们在 10、50、100 个客户端下各跑 20 次，大约一秒钟就能跑完。
# （他的完整网格 `sweep(range(10, 200, 10), runs=100, allow_large=True)` 用不了一分钟。这个实验也可以在命令行里运行：
# `python -m helpers.experiments contention --clients 100 --runs 20 --seed 0 --json`。）

# %%
results = sweep([10, 50, 100], runs=20, seed=0)
plots.show(plots.occ_results(results))

# %%
STRATEGIES = list(dict.fromkeys(r.strategy for r in results))
COUNTS = sorted({r.clients for r in results})
for title, value in (
    ("写入次数", lambda r: f"{r.mean_writes:.0f}"),
    ("用时（秒）", lambda r: f"{r.mean_completion_ms / 1000:.2f}"),
):
    print(f"{title:24}" + "".join(f"{f'N = {n}':>13}" for n in COUNTS))
    for strategy in STRATEGIES:
        cells = {r.clients: r for r in results if r.strategy == strategy}
        print(f"  {strategy:22}" + "".join(f"{value(cells[n]):>13}" for n in COUNTS))
    print()

top = max(COUNTS)
at_top = [r for r in results if r.clients == top]
print(
    f"{top} 个客户端时，'{min(at_top, key=lambda r: r.mean_completion_ms).strategy}' 最先完成，"
    f"'{min(at_top, key=lambda r: r.mean_writes).strategy}' 的工作量最少。"
)

# %% [markdown]
# 表里的数字都是每次运行的平均值，N 是客户端数量。
#
# 注意是谁最先完成的。退避花的是*客户端*的时间；不退避，花的是*服务器*的工作量。Brooker 在意的是工作量：
# 在一台共享的服务器上，每一次白费的写入都会拖慢其他所有人。

# %% [markdown]
# ### 逐条对照原文
#
# 那篇博客的结论是用文字写的（图都是图片）。下面把每条结论都拿来和你刚跑出的数字对照。
# 判定结果是算出来的，所以你改了运行次数或种子，结论也会跟着变。

# %%
point = {(r.clients, r.strategy): r for r in results}


def writes(n, s):
    return point[n, s].mean_writes


def seconds(n, s):
    return point[n, s].mean_completion_ms / 1000


def growth(f, s):
    return math.log(f(100, s) / f(50, s), 2)  # 从 50 到 100 个客户端，“按 N^k 增长”中的指数 k


JITTERED = ("equal_jitter", "full_jitter", "decorrelated_jitter")


def verdict(claim, holds, partly, evidence):
    mark = "✔ 成立      " if holds else ("≈ 部分成立  " if partly else "✘ 这里不成立")
    print(f"{mark}  {claim}\n              {evidence}\n")


k_work, k_time = growth(writes, "none"), growth(seconds, "none")
verdict(
    "不退避时，工作量按 N² 增长，完成时间按 N 增长。",
    k_work > 1.7 and 0.7 < k_time < 1.3,
    k_work > 1.3,
    f"从 50 到 100 个客户端，写入次数按 N^{k_work:.2f} 增长，时间按 N^{k_time:.2f} 增长",
)

saved = 1 - writes(100, "exponential") / writes(100, "none")
versus_full = writes(100, "exponential") / writes(100, "full_jitter")
verdict(
    "普通指数退避几乎没有减少工作量。",
    saved < 0.1,
    saved < 0.5,
    f"100 个客户端时，它省下了 {saved:.0%} 的写入，但工作量仍是完全抖动的 {versus_full:.1f} 倍",
)

slowest_other = max(seconds(100, s) for s in ("none", *JITTERED))
verdict(
    "普通指数退避是最慢的，而且慢得多。",
    seconds(100, "exponential") > 3 * slowest_other,
    seconds(100, "exponential") > slowest_other,
    f"100 个客户端时，它用了 {seconds(100, 'exponential'):.1f} 秒；第二慢的用了 {slowest_other:.1f} 秒",
)

gap = {n: min(writes(n, "none"), writes(n, "exponential")) / max(writes(n, s) for s in JITTERED) for n in (50, 100)}
verdict(
    "每一种加抖动的策略，工作量都比两种不加抖动的少得多。",
    all(g > 1.5 for g in gap.values()),
    all(g > 1 for g in gap.values()),
    "两种不加抖动的策略，工作量至少是任何一种加抖动策略的 "
    + "、".join(f"{g:.1f} 倍（{n} 个客户端时）" for n, g in gap.items())
    + "。",
)

full_vs_equal = abs(writes(100, "equal_jitter") / writes(100, "full_jitter") - 1)
decorrelated_more = writes(100, "decorrelated_jitter") > writes(100, "full_jitter")
verdict(
    "完全抖动和均等抖动的工作量差不多；去相关抖动稍多一些。",
    full_vs_equal < 0.15 and decorrelated_more,
    full_vs_equal < 0.15 or decorrelated_more,
    f"100 个客户端时的写入次数：完全抖动 {writes(100, 'full_jitter'):.0f}，均等抖动 {writes(100, 'equal_jitter'):.0f}，"
    f"去相关抖动 {writes(100, 'decorrelated_jitter'):.0f}",
)

equal_slowest = [n for n in (50, 100) if max(JITTERED, key=lambda s: seconds(n, s)) == "equal_jitter"]
verdict(
    "在加抖动的策略里，均等抖动用时最长。",
    len(equal_slowest) == 2,
    len(equal_slowest) == 1,
    "；".join(f"{n} 个客户端时：" + "，".join(f"{s} {seconds(n, s):.1f} 秒" for s in JITTERED) for n in (50, 100)),
)

close_call = [
    n
    for n in (50, 100)
    if writes(n, "full_jitter") < writes(n, "decorrelated_jitter")
    and seconds(n, "full_jitter") > seconds(n, "decorrelated_jitter")
]
verdict(
    "完全抖动和去相关抖动难分高下：完全抖动工作量更少，但用时稍长。",
    len(close_call) == 2,
    len(close_call) == 1,
    "；".join(
        f"{n} 个客户端时：完全抖动写入 {writes(n, 'full_jitter'):.0f} 次、用时 {seconds(n, 'full_jitter'):.1f} 秒，"
        f"去相关抖动 {writes(n, 'decorrelated_jitter'):.0f} 次、{seconds(n, 'decorrelated_jitter'):.1f} 秒"
        for n in (50, 100)
    ),
)

exponents = {s: growth(writes, s) for s in dict.fromkeys(r.strategy for r in results)}
verdict(
    "无论哪种策略，工作量的增长都比客户端数量快。",
    all(k > 1 for k in exponents.values()),
    sum(k > 1 for k in exponents.values()) >= 3,
    "写入次数的增长：" + "，".join(f"{s} N^{k:.2f}" for s, k in exponents.items()),
)


# %% [markdown]
# 这篇文章的大部分结论都站得住。只有一条部分成立，恰恰是措辞最重的那条：在争用激烈时，普通指数退避*确实*能省下一些工作量，
# 但它的工作量仍远多于任何一种加抖动的策略（倍数见上面的判定），而且它是最慢的，慢得多：
# 所有被挡住的客户端都睡同样长的时间，醒来又撞在一起。
#
# 跑的次数少，结果就会有噪声：试试 `runs=50` 或换一个 `seed`，看看哪些判定是稳定的。
#
# 这篇文章之后的进展也值得了解。Brooker 后来（2022 年）指出，退避只是把工作*推迟*：
# 面对数量不设限的独立客户端，只有**减少重试**才能降低长期负载。AWS Builders' Library 还补充了几点：
# 重试是*自私的*（每个客户端都在用服务器的时间换自己的成功）；重试可能让一次故障在根源修好之后还持续下去；
# 以及应该**只在一层重试**。接下来两节讲的正是这两个观点。

# %% [markdown]
# ---
# ## 3. 重试预算：为出问题的日子设个上限
#
# 服务中断时，每个请求都会失败，于是每个客户端都会把*所有*尝试次数用光。用 `MaxAttempts(6)` 的话，
# 那台本来就在挣扎的服务器，会在它最扛不住的时候收到平时六倍的负载。**重试预算**限制的是一个客户端总共能重试多少，
# 而不只是每个请求能重试几次：
#
# | 预算 | 规则 | 出处 |
# |---|---|---|
# | `MaxAttempts(n)` | 每个请求最多尝试 `n` 次 | 人人都用；Google SRE 建议 3 次 |
# | `RetryRatio(0.1)` | 每个客户端的重试次数保持在其请求数的 10 % 以下 | Google 的 SRE 一书 |
# | `RetryQuota(capacity=500, retry_cost=5)` | 一个令牌桶：每次重试花 5 个令牌；第一次尝试就成功的请求赚回 1 个，重试后才成功的请求退还重试花掉的令牌；桶空了就不再重试 | AWS SDK（旧版模式：5 个，超时为 10 个；2026 年起：限流错误 5 个，其他错误 14 个） |
#
# `run_load` 会给**每个客户端一份独立的**预算，和真实的客户端一样。按请求数计算的预算，需要客户端发出很多请求才看得出效果，
# 所以这里让 5 个客户端各发 40 个请求，分别放在两种日子里：
#
# - **服务中断**：每个请求都以 500 失败（`server_error_share` 为 1.0）；
# - **坏日子**：每五个请求有一个失败（`server_error_share` 为 0.2），靠重试才能挽回。
#
# 我们衡量的是**负载**：每个请求平均产生多少次尝试。（指标里的 `amplification` 是每次*成功*的尝试次数，
# 一个都没成功时它是无穷大。）


# %%
def day(policy, failure_share, seed=0):
    """5 个客户端 × 40 个请求，模型有 `failure_share` 比例的请求会失败（速率限制放得足够宽，不碍事）。"""
    simulator = Simulator(
        lab_world(rpm=6_000, tpm=10_000_000), seed=seed, faults={"gpt-4o-mini": {"server_error_share": failure_share}}
    )
    return run_load(
        clients=5, requests_per_client=40, rpm=6_000, tpm=10_000_000, policy=policy, simulator=simulator, seed=seed
    ).metrics


backoff = FullJitter(0.5, 8)
budgets = {
    "最多尝试 6 次": RetryPolicy(backoff, (MaxAttempts(6),)),
    "最多尝试 3 次": RetryPolicy(backoff, (MaxAttempts(3),)),
    "6 次 + 重试比例 10 %": RetryPolicy(backoff, (MaxAttempts(6), RetryRatio(0.1))),
    "6 次 + 令牌桶 500 个": RetryPolicy(backoff, (MaxAttempts(6), RetryQuota(capacity=500))),
    "6 次 + 令牌桶 50 个": RetryPolicy(backoff, (MaxAttempts(6), RetryQuota(capacity=50))),
}
print(f"{'策略':31}{'中断：负载':>9}{'坏日子：成功率':>12}{'坏日子：负载':>9}")
for name, policy in budgets.items():
    outage, bad = day(policy, 1.0), day(policy, 0.2)
    print(
        f"{name:28}{outage.attempts / outage.requests:13.2f}×"
        f"{bad.successes / bad.requests:19.0%}{bad.attempts / bad.requests:14.2f}×"
    )

# %% [markdown]
# 从表里可以看出：
#
# - 只限制尝试次数，服务中断时的负载就正好乘上这个次数。减少尝试次数有帮助，但作用有限。
# - **重试比例**无论如何都能把中断时的负载压在 1.1 倍左右，但在坏日子里，它也会拒绝那些本来能成功的重试。
# - **重试令牌桶**会自动适应：成功会往桶里补充令牌，所以在坏日子里它放行重试；而服务中断时桶会被掏空，重试随之停止。
#   不过桶的大小很关键：500 个令牌、每次重试花 5 个，就是 100 次重试。这几个客户端要到 40 个请求发了一半时才把它花光，
#   所以中断时的负载只降了一半。AWS SDK 的这个大小是为长期运行、发送大量请求的客户端设计的；你要按自己的流量来定。
#
# ### 练习 1：为出问题的日子定一个预算
#
# 构造一个 `RetryPolicy`，命名为 `my_policy`，满足：
#
# 1. **服务中断**时，负载不超过**每个请求 1.2 次尝试**；
# 2. **坏日子**里，至少 **95 %** 的请求仍然成功。
#
# 运行检查之前，可以先用 `day(my_policy, 1.0)` 和 `day(my_policy, 0.2)` 试试你的想法。

# %% tags=["exercise"]
my_policy = RetryPolicy(FullJitter(0.5, 8), (MaxAttempts(6),))  # 在这里写你的代码：修改预算

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/07_retry_budget.py

# %%
from helpers.checks import check_retry_budget

check_retry_budget(my_policy)

# %% [markdown]
# ---
# ## 4. 重试会逐层相乘
#
# 有一种流行的写法（OpenAI Cookbook 里就有）：给每次 API 调用套上一个重试装饰器，比如 tenacity 的
# `@retry(stop=stop_after_attempt(6))`。可底下的 SDK *也*会重试：默认 `max_retries=2`，所以这 6 次尝试里，
# 每一次最多会变成 3 个 HTTP 请求。各层的次数是相乘的：
#
# - tenacity 尝试 6 次 × SDK 的 3 次 = 一次调用**18**个请求；
# - Cookbook 里手写的装饰器，重试 10 次（即尝试 11 次）× 3 = **33**个。
#
# `measure_nesting` 会在一个自带重试的 SDK 客户端外面，再套一个尝试 `outer_attempts` 次的重试循环，
# 然后向一个一直过载的模型发送**一次**逻辑调用，数一数到达服务器的请求有多少：

# %%
for outer, sdk_retries in [(6, 2), (11, 2), (6, 0)]:
    nested = measure_nesting(outer_attempts=outer, sdk_max_retries=sdk_retries)
    print(
        f"你的循环：{outer:2} 次尝试 × SDK：每次调用 {nested.sdk_attempts_per_call} 次尝试 "
        f"→ 一次调用，服务器收到 {nested.http_calls:2} 个请求"
    )


# %% [markdown]
# 解决办法是**只在一层重试**。如果你自己写了循环（为了执行预算、记录重试日志，或者跳过配额错误），
# 就把 SDK 的重试关掉：`openai.OpenAI(max_retries=0)`，在本课程里是 `make_client(..., max_retries=0)`。
# 或者干脆不写循环，让 SDK 去重试。上面最后一行就是关掉之后的结果：6 个请求，正好是你的循环要求的次数。
#
# 调用栈可能不止两层：一个会重跑失败任务的任务队列、你的重试装饰器、SDK，也许还有一层代理。
# SRE 一书里的例子：三层各尝试 4 次，最底层就会收到 4 × 4 × 4 = 64 个请求。
#
# ### 练习 2：多层嵌套的最坏情况
#
# 写一个函数 `worst_case_requests(retries_per_layer)`。它接收一个列表，列出每一层的**重试**次数
# （和 SDK 的 `max_retries` 一样，`2` 表示尝试 3 次），返回每次尝试都失败时，一次逻辑调用最多会产生多少个 HTTP 请求。
# 然后用它算一算这样一个调用栈：任务队列对失败的任务重跑 3 次，tenacity 装饰器重试 5 次，SDK 用默认的 2 次。


# %% tags=["exercise"]
def worst_case_requests(retries_per_layer):
    """每次尝试都失败时，一次调用最多产生的 HTTP 请求数；每层给出一个重试次数。"""
    # 在这里写你的代码：
    return 0


print("任务队列 (3) → tenacity (5) → SDK (2)：", worst_case_requests([3, 5, 2]), "个请求")


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/07_nested_attempts.py

# %%
from helpers.checks import check_nested_attempts

check_nested_attempts(worst_case_requests)

# %% [markdown]
# ---
# ## 5. 负载下的 SDK
#
# 最后来看官方 SDK 本身，而且是很多个同时运行：20 个 `AsyncOpenAI` 客户端，每个调用 3 次，共用**每分钟 20 个请求**的速率限制。
# 每个客户端都保留默认的 `max_retries=2`。`run_sdk_load` 让它们在模拟时间里并发运行，用的是 SDK 真正的重试代码。

# %%
crowd = run_sdk_load(clients=20, calls_per_client=3, rpm=20, max_retries=2)
print(f"应用发起的调用        ：{crowd.calls}")
print(f"成功的调用            ：{crowd.succeeded}")
print(f"抛出异常的调用        ：{crowd.errors}")
print(f"服务器收到的 HTTP 请求：{crowd.http_attempts}（其中 {crowd.retries} 个是重试）")
print(f"每次调用的请求数      ：{crowd.amplification:.2f}")

# %% [markdown]
# 即便有重试，还是有很多调用在用完重试次数后失败了。看看这些请求是*什么时候*到达的：

# %%
arrived = Counter(round(entry.time, 1) for entry in crowd.simulator.log)
answered = Counter(round(entry.time, 1) for entry in crowd.simulator.log if entry.status == 200)
for moment in sorted(arrived):
    print(f"t = {moment:5.1f} 秒：到达 {arrived[moment]:3d} 个请求，{gets(answered[moment])}")

# %% [markdown]
# 惊群又出现了，这次是 SDK 自己造成的。SDK 会**不多不少**地按 `Retry-After` 等待，不加抖动；
# 而在同一时刻被拒的客户端，听到的等待时间都一样。于是它们在同一时刻回来，只有一个能进去，其余的又一起被拒。
#
# 给每次调用更多的重试次数，能多换来几个成功，代价却是多得多的负载。比较一下：

# %%
print(f"{'max_retries':>11}{'成功':>9}{'HTTP 请求':>13}{'每次调用的请求数':>11}")
for retries in (0, 2, 5):
    run = run_sdk_load(clients=20, calls_per_client=3, rpm=20, max_retries=retries)
    print(f"{retries:11}{f'{run.succeeded} / {run.calls}':>11}{run.http_attempts:15}{run.amplification:19.2f}")

# %% [markdown]
# 每个 SDK 客户端都是各自重试，并不知道还有 19 个客户端和它共用同一个速率限制。这群客户端需要的是协调：
# 一个由所有 worker 共享的**限流器**，在请求发出之前就把它们的间隔拉开。这就是下一课的主题。
#
# ---
# ## 要点回顾
#
# - 按同一时间表退避的客户端会**一起**回来。如果速率限制按很短的时间段执行（或者大家在争用同一个资源），
#   每一波只有装得下的那几个能成功，其余的都浪费了：加上**抖动**。
# - Brooker 的实验经得起检验：加抖动的策略，工作量远少于不退避或普通指数退避，而普通指数退避是最慢的，慢得多。
#   争用激烈时它*确实*能省下一些工作量，但仍比加抖动的策略多得多。
# - 抖动能避免撞车，却变不出容量。需求持续超过速率限制时，只有**减少请求**才有用。
# - **重试预算**能限制服务中断造成的破坏：只限制尝试次数，负载就乘上这个次数；限制重试比例，负载保持在 1.1 倍左右；
#   重试令牌桶还能自动适应，在坏日子里放行重试，在服务中断时停止重试。
# - 重试会**逐层相乘**：6 × 3 = 18，11 × 3 = 33，4 × 4 × 4 = 64。只在一层重试；在你自己的循环下面，
#   给 SDK 设置 `max_retries=0`。
# - SDK 会不多不少地按 `Retry-After` 等待，所以共用一个速率限制的一群 SDK 客户端会步调一致地重试，
#   应该改用一个共享的限流器。
#
# **下一步**：[08 — 不超过速率限制：限流、批处理与并发上限](08_staying_under_the_limit.ipynb)

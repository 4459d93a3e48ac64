# %% [markdown]
# # 不超过速率限制：限流、批处理与并发上限
#
# 退避是*事后*补救：先发请求，收到 429，等一会儿，再试。每个被拒的请求都白占一次尝试，API 还照样把它计入你的
# 速率限制。
#
# 本课反过来做：先弄清速率限制还剩多少，在发送**之前**就等够时间，让 429 根本不出现。
#
# **本课你将学到**
# - 怎样从 `x-ratelimit-*` 响应头读出还剩多少可用量，并用客户端的**限流器**控制请求的节奏；
# - 怎样估算一个请求要消耗多少 **token**，再拿估算值和服务器的计数对照；
# - 把几个提示词合进一个请求（**批处理**），为什么能省下请求数，却省不了 token；
# - 怎样用 asyncio **并发**发送大量请求而不触发速率限制，以及要给共用这个限制的其他人留多少**余量**；
# - OpenAI Cookbook 的并行处理脚本哪里做对了，要真正做对还得补上哪两点：读取响应头，配额错误绝不重试；
# - 主动限流和被动退避在有效吞吐（goodput）和浪费上的对比。
#
# **学习时间**：约 30 分钟
#
# **前置知识**
#
# | 内容 | 要求 | 在哪里学 |
# |---|---|---|
# | 速率限制（429）、令牌桶、`x-ratelimit-*` 响应头 | 必需 | 第 03 课 |
# | `RetryPolicy`、带抖动的退避、`Retry-After` | 必需 | 第 06 课 |
# | 多个客户端共用一个速率限制；重试预算 | 有帮助 | 第 07 课 |
# | Python 的 `async` / `await` | 有帮助 | 只有第 5 节用到 |

# %% [markdown]
# ## 准备工作
#
# `lab_world(rpm=..., tpm=...)` 在演示环境的基础上加了一个组织，它的速率限制完全由你指定；这个组织的密钥是
# `sk-lab`。时间是模拟的，所以等一分钟让限制恢复，实际只要几微秒。

# %%
import openai

from helpers import plots
from helpers.experiments import lab_world, run_load
from helpers.experiments.batch import JOBS, run_batch
from helpers.retry import FullJitter, MaxAttempts, RetryAfter, RetryPolicy
from helpers.retry.throttle import Throttle, estimate_tokens
from helpers.simulator import Simulator, make_client
from helpers.widgets import ThrottleLab

QUESTION = {"model": "gpt-4o-mini", "max_tokens": 100, "messages": [{"role": "user", "content": "Name three colours."}]}

# %% [markdown]
# ---
# ## 1. 服务器会告诉你还剩多少
#
# 每个成功的响应都会带上你各项限制的当前状态。（有些真实的 429 不带这些响应头，所以客户端得能应付它们缺失的情况。）
# 下面在每分钟 20 个请求、10,000 个 token 的限制下发一个请求：

# %%
client = make_client("sk-lab", Simulator(lab_world(rpm=20, tpm=10_000)), max_retries=0)
raw = client.chat.completions.with_raw_response.create(**QUESTION)
for name in sorted(raw.headers):
    if name.startswith("x-ratelimit"):
        print(f"{name:32} {raw.headers[name]}")

# %% [markdown]
# 用掉 1 个请求，还剩 19 个；用掉 105 个 token（这个数怎么来的，第 3 节再讲）；`reset` 的值是离完全恢复还有多久。
# 有了这些信息，你就能提前规划，不用再靠猜。
#
# ---
# ## 2. 客户端限流器
#
# `Throttle(rpm, tpm, headroom=0.9)` 维护着和服务器一样的两个桶，一个管请求数，一个管 token 数，但容量只按限制的
# 90% 来设（剩下的 10% 留作安全余量）。它有三个方法：
#
# - `reserve(tokens, now)` 给请求预订下一个空闲的发送时刻，返回发送前要等多久（0 表示马上发）。很多 worker 同时来
#   申请时，会依次排到不同的时刻，不会一起醒来；
# - `acquire(tokens, clock)` 做的事一样，但会真的等下去（在模拟时钟上等）；
# - `observe(headers, now)` 在每次收到响应后读取 `x-ratelimit-remaining-*`：服务器报的剩余量如果比限流器算的少
#   （说明还有别人在用同一把密钥），就以服务器为准。

# %%
throttle = Throttle(rpm=20, tpm=10_000, headroom=0.9)
waits = [throttle.reserve(estimate_tokens(QUESTION), now=0.0) for _ in range(22)]
print("t = 0 时同时申请 22 个请求，各自要等的秒数：", [round(w, 1) for w in waits])


# %% [markdown]
# 前 18 个马上就能发（20 的 90%），之后每 3.3 秒发一个，也就是每分钟 18 个。
#
# 接下来在循环里发 30 个请求：第一遍能发多快就发多快，第二遍让限流器把关。SDK 自带的重试已经关掉
# （`max_retries=0`），所以每个 429 都会原样交到我们手上：


# %%
def send_all(n, throttle=None):
    """连续发送 n 次 QUESTION；如果给了限流器，每个请求发出前都先等它放行。"""
    simulator = Simulator(lab_world(rpm=20, tpm=10_000))
    client = make_client("sk-lab", simulator, max_retries=0)
    refused = 0
    for _ in range(n):
        if throttle is not None:
            throttle.acquire(estimate_tokens(QUESTION), simulator.clock)
        try:
            raw = client.chat.completions.with_raw_response.create(**QUESTION)
            if throttle is not None:
                throttle.observe(raw.headers, simulator.clock.now())
        except openai.RateLimitError:
            refused += 1
    print(f"{n - refused} 个得到回答，{refused} 个被 429 拒绝，在第 {simulator.clock.now():.1f} 秒结束")


send_all(30)
send_all(30, Throttle(rpm=20, tpm=10_000, headroom=0.9))


# %% [markdown]
# 不用限流器时，超出限制的请求都被拒绝了。用了限流器，30 个请求全部得到回答，一个都没被拒：限流器把等待挪到了
# 每个请求发出*之前*，在那里等不花任何代价。
#
# ### 练习 1：自己写一个迷你令牌桶
#
# 限流器的核心部分，你可以自己写一遍。`Pacer` 最多装 `per_minute` 个令牌，以每秒 `per_minute / 60` 个的速度持续补充，
# 但不会超过 `per_minute`。请补全 `wait_for(tokens)`：
#
# 1. 补充：给 `self.level` 加上 `(now - self.updated) * self.rate`，但不能超过 `self.capacity`；
# 2. 如果令牌不够 `tokens` 个，就在 `self.clock` 上等待，直到够了为止；
# 3. 扣掉这些令牌，记下当前时间，返回等了多少秒。
#
# （可以假设 `tokens` 永远不会超过 `per_minute`。）


# %% tags=["exercise"]
class Pacer:
    """客户端的令牌桶：最多装 per_minute 个令牌，每秒补充 per_minute / 60 个。"""

    def __init__(self, per_minute, clock):
        self.capacity = per_minute
        self.rate = per_minute / 60  # 每秒补充的令牌数
        self.clock = clock
        self.level = per_minute  # 一开始是满的
        self.updated = clock.now()

    def wait_for(self, tokens):
        """在 self.clock 上等到有 `tokens` 个令牌可用，扣掉它们，返回等待的秒数。"""
        # 在这里写你的代码
        return 0.0


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/08_pacer.py

# %%
from helpers.checks import check_pacer

check_pacer(Pacer)

# %% [markdown]
# ---
# ## 3. 一个请求要算多少 token？
#
# token 限制是在模型回答**之前**扣的。这时服务器还不知道回答有多长，只能按估算值扣。
#
# OpenAI 的文档说，扣的是 `max_tokens` 和按提示词字符数估算出的 token 数两者中**较大**的那个，但没有公开估算方法。
# 模拟器用的是 Cookbook 的规则：提示词的 token 数，**加上** `max_tokens` 乘以要求的回答数 `n`。这样每一部分在
# 数字里都看得出来；而且它扣的从不比文档规则少，所以在这里不超限的客户端，到了真实 API 上也不会超限。
#
# `estimate_tokens(body)` 的算法和模拟器一致（提示词字符数 ÷ 4，加上 `max_tokens` × `n`）。下面拿它和两个数对比：
# 服务器从 `x-ratelimit-remaining-tokens` 里扣掉的量，以及回答实际用掉的量：

# %%
document = "lorem ipsum " * 170  # 约 2000 个字符
bodies = {
    "短问题，max_tokens=100": QUESTION,
    "2000 字符的文档，max_tokens=200": {
        "model": "gpt-4o-mini",
        "max_tokens": 200,
        "messages": [{"role": "user", "content": "Summarise: " + document}],
    },
    "短问题，不设 max_tokens": {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Name three colours."}],
    },
    "短问题，n=3，max_tokens=100": {**QUESTION, "n": 3},
}
client = make_client("sk-lab", Simulator(lab_world(rpm=1_000, tpm=100_000)), max_retries=0)
before = 100_000  # token 桶一开始是满的；这几个请求之间，模拟时间没有流逝
print(f"{'请求':42}{'估算':>9}{'实扣':>9}{'实际用量':>13}")
for label, body in bodies.items():
    raw = client.chat.completions.with_raw_response.create(**body)
    after = int(raw.headers["x-ratelimit-remaining-tokens"])
    print(f"{label:42}{estimate_tokens(body):9}{before - after:9}{raw.parse().usage.total_tokens:13}")
    before = after


# %% [markdown]
# 有三点值得注意：
#
# - 估算值和实扣的量完全一致，因为 `estimate_tokens` 用的就是模拟器的规则。真实 API 的文档只交代了规则的大致形式
#   （取两者中较大的），而且真实的分词器也不会正好 4 个字符算 1 个 token。这正是要留一些余量的原因之一。
# - 实扣的量远远超过回答真正用掉的：`max_tokens` 是**全额**扣除的，模拟器如此，文档里的规则也一样。`max_tokens`
#   设得太大，即使回答很短，也会吃掉你每分钟的 token 数。需要多少，就设多少。
# - 不设 `max_tokens`，请求也不会因此免费：这时模拟器按默认值（256 个 token）扣；而 `n=3` 会把 `max_tokens` 扣
#   三次。
#
# ---
# ## 4. 批处理：用更少的请求做同样的事
#
# 假设你有 60 个小任务（给一条评论分类、翻译一行文字），每个提示词约 50 个 token，每个回答最多 50 个。一个请求
# 放一个任务，就要 60 个请求。把十个任务放进一个请求（“逐一回答下面十个问题，用编号列表给出”），就只要 6 个
# 请求，token 数不变。
#
# 两个桶一开始都是满的，之后按各自的每分钟速率持续补充，不是每过一分钟一次补满。所以速率限制允许的最短用时是：


# %%
def minimum_seconds(requests, tokens, rpm, tpm):
    """限制允许的最短用时：两个桶一开始都是满的，之后按各自的每分钟速率补充。"""
    return 60 * max(0, (requests - rpm) / rpm, (tokens - tpm) / tpm)


for tpm in (40_000, 3_000):
    one_each = minimum_seconds(requests=60, tokens=60 * 100, rpm=20, tpm=tpm)
    ten_each = minimum_seconds(requests=6, tokens=6 * 1_000, rpm=20, tpm=tpm)
    print(f"20 RPM，{tpm:6,} TPM：每个请求一个任务 ≥ {one_each:5.1f} 秒，每个请求十个任务 ≥ {ten_each:5.1f} 秒")

# %% [markdown]
# 再用实验引擎跑一遍：3 个客户端分担这些工作，每个客户端要么发 20 个小请求，要么发 2 个批量请求，大家共用一个
# 限流器（`throttle=True`；`throttle_headroom=1.0` 表示用满整个限制）：

# %%
one_task = [(50, 50)] * 20  # 一个客户端的每个请求：(提示词 token 数, max_tokens)
ten_tasks = [(500, 500)] * 2
policy = RetryPolicy(RetryAfter(FullJitter(0.5, 16)), (MaxAttempts(8),))
for tpm in (40_000, 3_000):
    for label, workload in (("每个请求一个任务", one_task), ("每个请求十个任务", ten_tasks)):
        m = run_load(
            clients=3, workload=workload, rpm=20, tpm=tpm, policy=policy, throttle=True, throttle_headroom=1.0
        ).metrics
        print(
            f"20 RPM，{tpm:6,} TPM，{label:22}：{m.attempts:2} 个请求，{m.rate_limited} 次 429，"
            f"在第 {m.drain_time_s:5.1f} 秒完成"
        )

# %% [markdown]
# 批处理省的是**请求数，不是 token**：卡住你的是每分钟请求数时，它帮助很大；卡住你的是 token 限制时，它最多
# 只能快到 token 限制允许的程度。
#
# 它也有代价：一个请求失败，十个任务跟着失败；回答还得重新拆开（最好让模型按结构化格式回答）；每个请求的
# 耗时也更长。如果是能等上几个小时的大型离线任务，OpenAI 还另外提供了 Batch API，它有自己的一套限制。
#
# ---
# ## 5. 同时发很多请求：给并发设上限
#
# 用 asyncio 时，很容易顺手写出 `await asyncio.gather(*(call(job) for job in jobs))`。六十个请求在同一瞬间发出，
# 换回来的是一大堆 429 和超时——SDK 的 issue 区里经常有人抱怨这个。解决它要两样东西：
#
# - 一个**信号量**（semaphore），保证同时在途的请求不超过 `max_concurrency` 个；
# - 一个**限流器**，每个请求发出前都要等它放行。
#
# `process_all(bodies, send, policy=..., clock=..., throttle=..., max_concurrency=...)` 两样都做了：
#
# - 每次尝试前都先等限流器；
# - 每个响应的响应头都交给 `throttle.observe`；
# - 失败的任务按策略各自重试；
# - 结果按原来的顺序返回。
#
# 所有任务共用一个 `ConcurrentVirtualClock`。大家都在等的时候，它直接跳到最早的唤醒时刻，所以谁也不会真的
# 干等。
#
# 我们要跑的这批任务：60 篇摘要，每篇约 300 个 token，速率限制是**每分钟 30 个请求**，每个回答耗时 **2 秒**。
#
# `helpers.experiments.batch` 里的 `run_batch(max_concurrency, headroom=None, neighbour_every=None)` 负责发送这批
# 任务，返回三样东西：结果、模拟器（它的日志记录了每个请求）和完成时间。它的核心只有一个调用：
#
# ```python
# results = await process_all(JOBS, lambda body: http.post("/chat/completions", json=body), policy=POLICY,
#                             clock=clock, throttle=throttle, max_concurrency=max_concurrency)
# ```
#
# 其中 `throttle = Throttle(rpm=30, tpm=40_000, headroom=headroom)`，`headroom` 为 None 时不用限流器；`POLICY`
# 是遵守 `Retry-After` 的完全抖动（full jitter）退避，最多尝试 6 次。完整的函数在 `helpers/experiments/batch.py`
# 里，很短，值得读一读。


# %%
def report(label, results, simulator, finished):
    done = sum(r.ok for r in results)
    refused = sum(entry.status == 429 for entry in simulator.log)
    print(f"{label:40} 完成 {done:2} 个（共 {len(results)} 个），{refused:3} 次 429，在第 {finished:5.1f} 秒结束")


# %%
report("并发 60，不限流", *run_batch(max_concurrency=60))
report("并发 8，不限流", *run_batch(max_concurrency=8))
report("并发 1，不限流", *run_batch(max_concurrency=1))
report("并发 8，限流到 90%", *run_batch(max_concurrency=8, headroom=0.9))

# %% [markdown]
# - **并发 60** 和**并发 8** 都把限制冲垮了：重试次数用光，很多任务始终没能完成。
# - **并发 1** 一个 429 都没收到，这不是巧合。每秒请求数 ≈ 在途请求数 ÷ 每个请求的秒数：1 ÷ 2 秒，正好每分钟
#   30 个，恰好等于限制。只要知道请求要花多久，并发上限*本身*就是一种速率限制。但它很脆弱：回答一变快，它就
#   失效了。
# - **限流器**则能稳住速率：不管并发数是多少、回答要多久，都没有一个 429。
#
# ---
# ## 6. 共用一个限制：该留多少余量？
#
# 速率限制属于组织（和项目），不属于你的某个程序。假设公司里另一个服务也在用同一把密钥，每 6 秒发一个请求。
# 你的限流器看不见它，只能从响应头里察觉到它。

# %%
for headroom in (1.0, 0.9, 0.7):
    report(
        f"并发 8，限流到 {headroom:.0%}，有邻居",
        *run_batch(max_concurrency=8, headroom=headroom, neighbour_every=6),
    )


# %% [markdown]
# 按整个限制来规划，就没给邻居留位置，你们俩都会收到 429。给自己规划得太少，又浪费了容量，这批任务就得跑更久。
#
# ### 练习 2：调好这批任务
#
# 邻居每 6 秒发一个请求。在这种情况下，你的这批任务要在**模拟时间 110 秒**内完成**全部 60 个任务**，而且**一个
# 429 都不能有**（你和邻居都不能有）。请选定 `MAX_CONCURRENCY` 和 `HEADROOM`。运行检查之前，可以先用
# `try_settings` 做做实验。


# %% tags=["exercise"]
def try_settings(max_concurrency, headroom):
    report(
        f"并发 {max_concurrency}，限流到 {headroom:.0%}",
        *run_batch(max_concurrency, headroom, neighbour_every=6),
    )


MAX_CONCURRENCY = 1  # 改这两个值
HEADROOM = 1.0
try_settings(MAX_CONCURRENCY, HEADROOM)

# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/08_batch_settings.py

# %%
from helpers.checks import check_batch_settings

check_batch_settings(MAX_CONCURRENCY, HEADROOM)

# %% [markdown]
# ---
# ## 7. Cookbook 的并行处理脚本，怎样做才对
#
# OpenAI Cookbook 里有一个 `api_request_parallel_processor.py`，专门用来跑大批量任务。它的核心思路和上面一样：
# 在客户端维护两个桶（请求数和 token 数），估算每个请求的 token 数，让很多请求同时在途。它的不足在于：
#
# - 它**从不读取** `x-ratelimit-*` 响应头和 `Retry-After`，所以发现不了还有别人在用这把密钥；
# - 遇到任何速率限制错误，它都会让**所有请求暂停固定的 15 秒**，不管服务器要求等多久；
# - 它会把**每一个**失败的请求重新排队，包括永远不可能成功的配额错误；
# - 它只能用真实的密钥、按真实的时间跑，也不提供任何指标。
#
# `process_all` 保留了它的思路，并修正了这几点：
#
# - 限流器在每次收到响应后读取响应头；
# - 每个任务按遵守 `Retry-After` 的策略各自重试（没有一刀切的全局暂停）；
# - **一遇到配额错误，整批任务就停下**。
#
# 下面换一把密钥，把同一批任务再跑一遍。这把密钥所属的组织已经没钱了：

# %%
results, simulator, _ = run_batch(max_concurrency=8, headroom=0.9, key="sk-demo-broke")
sent = [r for r in results if r.outcome is not None]
skipped = [r for r in results if r.skipped]
last = sent[0].outcome.attempts[-1]
print(f"发出的任务    ：{len(sent)} 个（只有第一波：最多 max_concurrency = 8 个）")
print(f"重试次数      ：{sum(len(r.outcome.attempts) - 1 for r in sent)}")
print(f"得到的结果    ：{last.status} {last.kind}（{last.reason}）")
print(f"没发出的任务  ：{len(skipped)} 个（{skipped[0].skipped}）")
print(f"如果处理脚本把每个失败的请求都重新排队、最多尝试 5 次，就会发出 {5 * len(JOBS)} 个注定失败的请求")

# %% [markdown]
# ---
# ## 8. 被动退避与主动限流
#
# 同样的负载跑两遍：20 个客户端，每个发 3 个请求，限制是每分钟 30 个请求。
#
# - 第一遍：每个客户端只在收到 429 之后退避（完全抖动，最多尝试 6 次）；
# - 第二遍：所有客户端共用一个限流器，限流器根据响应头随时校准。

# %%
load = dict(
    clients=20,
    requests_per_client=3,
    rpm=30,
    tpm=40_000,
    prompt_tokens=200,
    policy=RetryPolicy(FullJitter(0.5, 16), (MaxAttempts(6),)),
)
compared = {"reactive": run_load(**load), "proactive": run_load(**load, throttle=True)}

print(f"{'':34}{'被动退避':>12}{'主动限流':>12}")
for label, value in [
    ("成功的请求", lambda m: f"{m.successes} / {m.requests}"),
    ("放弃的请求", lambda m: m.gave_up),
    ("尝试次数", lambda m: m.attempts),
    ("白费的尝试", lambda m: m.attempts - m.successes),
    ("收到的 429", lambda m: m.rate_limited),
    ("每次成功的尝试次数", lambda m: f"{m.amplification:.2f}"),
    ("有效吞吐（占速率限制的比例）", lambda m: f"{m.goodput_share:.0%}"),
    ("全部完成用时（秒）", lambda m: f"{m.drain_time_s:.0f}"),
]:
    print(f"{label:34}" + "".join(f"{value(r.metrics):>12}" for r in compared.values()))
print(f"\n按这个限制，60 个请求最快也要 {minimum_seconds(60, 60 * 300, 30, 40_000):.0f} 秒")
plots.show(plots.work_and_drain(compared))

# %% [markdown]
# 被动退避的客户端先结束，只是因为其中很多**放弃了**：活并没有干完。它们收到的每个 429 都是一次尝试，同样
# 计入了速率限制。共用限流器的客户端每个请求只发一次，活全干完了，用时也接近速率限制允许的最短时间（稍长一点，
# 因为限流器留了 10% 的余量）。
#
# 看延迟数据时要当心：指标里一个请求的延迟从它的**第一次尝试**算起，在那之前等限流器的时间不算在内。
# 对批量任务来说，全部完成用时才是靠得住的数字。
#
# ---
# ## 9. 限流实验台
#
# 这个 widget 用同样的负载和随机种子，把两种做法各跑一遍，画出每秒的尝试数（压到 API 上的负载）和每秒的成功数
# （有效吞吐），和速率限制放在一起对比。拖动滑块试试：调大“客户端数”，调小“RPM 限制”，换一种“退避”，
# 或者调低“限流余量”。

# %%
lab = ThrottleLab()
lab

# %% [markdown]
# 也可以用代码操作它：`set` 会调整控件并立即重画，`result` 里保存着两次运行的结果。

# %%
lab.set(clients=40, rpm=60, headroom=0.8)
for label, result in lab.result.items():
    m = result.metrics
    print(
        f"{label:38} 成功 {m.successes:3} 个（共 {m.requests} 个），{m.rate_limited:3} 次 429，在第 {m.drain_time_s:5.0f} 秒跑完"
    )

# %% [markdown]
# ---
# ## 要点回顾
#
# - 每个成功的响应都会告诉你还剩多少可用量（`x-ratelimit-remaining-*`、`x-ratelimit-reset-*`）。客户端的**限流器**
#   维护着和服务器一样的桶，在发送*之前*就等好，429 就不会出现；有别人共用密钥时，`observe` 让它的账始终和服务器
#   对得上。
# - token 限制是预先扣的，那时回答还没生成。OpenAI 文档写的是取 `max_tokens` 和按字符估算的提示词 token 数中
#   **较大**的那个；模拟器扣的是提示词**加上** `max_tokens` × `n`（Cookbook 的规则，只会比文档规则多扣，不会少扣）。不管哪种，
#   都要把 `max_tokens` 设成真正需要的大小，发送前先估算，再留一些余量：真实的估算方法并没有公开。
# - **批处理**把几个任务合进一个请求，省的是请求数，不是 token：RPM 是瓶颈时才有用。
# - 不要一口气 `gather` 所有请求。用信号量**限制并发数**，再用限流器控制节奏：在途请求数 ÷ 每个请求的秒数确实是
#   一种速率，但很脆弱。
# - 速率限制属于组织：给你看不见的邻居留出**余量**。
# - 正确的并行处理脚本会读取响应头，每个任务按 `Retry-After` 各自重试（没有全局暂停），遇到配额错误时**停下整批
#   任务**，而不是重试。
# - 和被动退避相比，主动限流能把活**全部**干完，每个请求只尝试一次，没有浪费；被动退避的客户端看上去更快，只是
#   因为它们放弃了。
#
# **下一步**：[09 — 上线检查清单：写出扛得住 API 错误的代码](09_production_checklist.ipynb)

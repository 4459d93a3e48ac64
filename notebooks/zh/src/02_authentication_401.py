# %% [markdown]
# # 认证错误（401、403）
#
# 401 的意思是“我不知道你是谁”，或者“你无权以这个身份操作”。大多数人碰到的第一个错误就是它，它也是最让人
# 摸不着头脑的错误之一：好几种完全不同的失误，得到的报错却几乎一模一样。
#
# 本课会故意把每种情况都触发一遍，教你分辨它们，再逐个修好。
#
# **本课你将学到**
# - OpenAI 错误指南里列出的三种 401：密钥已撤销、密钥不对、账号不属于任何组织；还有实际工作中常碰到的几种：
#   根本没带密钥、组织不对、受限密钥；
# - 所在国家或地区不受支持时返回的 403；
# - 怎样借助打码后的密钥、`OpenAI-Organization` 请求头和环境变量（`OPENAI_API_KEY`、`OPENAI_ORG_ID`、
#   `OPENAI_PROJECT_ID`）诊断每一种错误；
# - 为什么重试永远没用，怎样亲眼确认 SDK 没有重试；
# - 怎样让真实的密钥远离 notebook、日志和 git。
#
# **学习时间**：约 25 分钟
#
# **前置知识**：[01 — 剖析一个 API 错误](01_anatomy_of_an_api_error.ipynb)（状态码、错误体的字段、SDK 异常的属性）。
# 本课只用演示密钥。千万不要把真实密钥粘贴到这个 notebook 里。

# %% [markdown]
# ## 准备工作
#
# 准备工作都在下面这一个单元格里：导入要用的模块，创建大家共用的模拟器 `sim`，再定义两个小工具函数：
#
# - `try_chat` 发送一次聊天请求，返回抛出的异常（成功则返回 `None`）；
# - `what_you_see` 打印错误里与认证有关的部分。

# %%
import os

import openai

from helpers.retry.classify import classify_exception
from helpers.simulator import BASE_URL, Simulator, http_client, make_client, mask_key

sim = Simulator(seed=2)
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 20}


def try_chat(client):
    """发送一次聊天请求；返回抛出的异常，成功则返回 None。"""
    try:
        client.chat.completions.create(**CHAT)
    except openai.APIError as exc:
        return exc
    return None


def what_you_see(exc):
    """打印状态码、异常类型、错误体的字段，以及与认证有关的响应头。"""
    print(f"{type(exc).__name__}: HTTP {exc.status_code}")
    print("    type    :", exc.type)
    print("    code    :", exc.code)
    print("    message :", exc.body["message"] or "（空！）")
    print("    x-request-id       :", exc.request_id)
    print("    openai-organization:", exc.response.headers.get("openai-organization", "（响应里没有）"))


print("准备就绪")

# %% [markdown]
# ---
# ## API 怎样确认你是谁
#
# 每个请求都要依次过几道检查，卡在哪一道，就返回哪一道的错误。真实服务没有公开检查的先后顺序，
# 模拟器参照真实 API 的实际表现，按下面的顺序检查：
#
# | # | 检查什么 | 没通过时 |
# |---|---|---|
# | 1 | 有没有 `Authorization: Bearer ...` 请求头？ | 401，`code` 为 null，"You didn't provide an API key..." |
# | 2 | 这把密钥签发过吗？现在还有效吗？ | 401 `invalid_api_key` |
# | 3 | 密钥的主人属于某个组织吗？ | 401 `no_organization` |
# | 4 | 如果带了 `OpenAI-Organization` 请求头：这个组织存在吗？是密钥所属的组织吗？ | 401 `invalid_organization` / `mismatched_organization` |
# | 5 | 调用方在受支持的国家或地区吗？ | 403 `unsupported_country_region_territory` |
# | 6 | 这把密钥有没有权限（即 *scope*）调用这个端点？ | 401 `missing_scope`，"You have insufficient permissions..." |
#
# API 只报告第一道没过的检查，所以修好一个错误后，下一个可能紧跟着冒出来。这很正常。

# %% [markdown]
# ---
# ## 401 — Invalid Authentication：密钥已撤销
#
# ### 你会看到什么
# `sk-demo-revoked` 以前能用，后来有人在 API 密钥页面上把它撤销了。

# %%
revoked = try_chat(make_client("sk-demo-revoked", sim))
what_you_see(revoked)

# %% [markdown]
# ### 为什么会这样
# 按 OpenAI 错误指南的说法，这个错误不一定是密钥被撤销了：
#
# - 密钥可能已被撤销或删除（可能是队友删的，也可能是密钥泄露后撤销的）；
# - 它可能属于另一个组织或项目，而不是你以为的那个；
# - 它也可能没有调用这个端点的权限。
#
# 这里演示的是已撤销的密钥。
#
# ### 怎样诊断
# 仔细看：消息里**根本没提** “revoked”（已撤销），和输错密钥时的消息一字不差。
#
# 真正的线索是**打码后的密钥**：`sk-demo-***oked`。API 只露出它收到的密钥的前 8 个和后 4 个字符，中间每
# 藏起一个字符，就显示一个星号。拿这几个字符去和 API 密钥页面上的列表对一对，那里显示的也是类似的缩写。
#
# 另外，响应里没有 `openai-organization` 响应头：模拟器还没弄清你是谁就停下了。（真实 API 的 401 带哪些
# 响应头，文档里没写清楚；模拟器的做法列在 `data/README.md` 里。）
#
# ### 怎样解决
# 新建一把密钥，然后把旧密钥出现的**所有**地方都换掉：`OPENAI_API_KEY` 环境变量、`.env` 文件、密钥管理服务、CI
# 配置，还有所有正在运行的内核或服务（记得重启）。
#
# ### 重试有用吗？
# 永远没用。撤销了的密钥不会复活，SDK 也明白这一点：它不重试 401。

# %% [markdown]
# ---
# ## 401 — Incorrect API key provided：密钥输错了
#
# ### 你会看到什么

# %%
typo = try_chat(make_client("sk-demo-typo", sim))
what_you_see(typo)

# %% [markdown]
# ### 为什么会这样
# API 从来没有签发过这个字符串。常见的原因有：
#
# - 复制时少了或多了一个字符；
# - 连带粘进了空格或换行；
# - 配置文件里的引号也被带了进来；
# - 用了另一个账号的密钥；
# - shell、`.env` 文件或长时间运行的内核里还留着旧值。
#
# ### 怎样诊断
# 还是看打码后的密钥。`sk-demo-typo` 只有 12 个字符，露出前 8 个和后 4 个之后就没什么可藏了，所以你看到的是
# 完整的密钥；真实的密钥有几十个字符，显示出来大部分是星号。
#
# 多余的引号在打码后的密钥里特别显眼。下面这把密钥是从 `OPENAI_API_KEY="sk-demo-ok"` 这样一行里连引号一起读出来的：

# %%
quoted = try_chat(make_client('"sk-demo-ok"', sim))
print("API 收到的密钥：", quoted.body["message"].split(". ")[0].removeprefix("Incorrect API key provided: "))
print("你的密钥打码后：", mask_key("sk-demo-ok"))

# %% [markdown]
# 两头的引号一眼就能看出来。
#
# ### 怎样解决
# 从 API 密钥页面重新复制密钥（或者新建一把），去掉首尾的空白和引号。再确认没有哪个过时的旧值抢先生效：
#
# - 通过 `api_key=` 传入的值优先于 `OPENAI_API_KEY` 环境变量；
# - 内核只能看到它启动时就已存在的环境变量。
#
# ### 重试有用吗？
# 没用：同一个错误的字符串，每次都会被拒绝。

# %% [markdown]
# ---
# ## 401 — You must be a member of an organization to use the API
#
# ### 你会看到什么
# `sk-demo-no-org` 的主人不属于任何组织。

# %%
no_org = try_chat(make_client("sk-demo-no-org", sim))
what_you_see(no_org)


# %% [markdown]
# ### 为什么会这样
# API 的用量要记在某个组织的账上。这把密钥是真的，但它的主人已经不在任何组织里了：要么被移出了最后一个组织，
# 要么从来没加入过。
#
# ### 怎样诊断
# 这个最简单：`code` 是 `no_organization`，消息也说得明明白白。
#
# ### 怎样解决
# 请组织的所有者重新邀请你（或者自己创建一个组织），然后在这个组织里新建一把密钥。
#
# ### 重试有用吗？
# 没用。只要没人改动你的组织成员身份，结果就不会变。
#
# ### 修好之后
# 在演示环境里，你可以扮演组织所有者：复制一份演示环境，在副本里让这个用户加入 `org-demo`，再给他一把在
# `org-demo` 里新建的密钥。旧密钥照样失败，因为它是在用户还不属于任何组织时创建的；新密钥就能正常用了。

# %%
import dataclasses

from helpers.world import Key, load_world

world = load_world()
user = world.keys["sk-demo-no-org"].user
joined = dataclasses.replace(
    world,
    users={**world.users, user: dataclasses.replace(world.users[user], orgs=("org-demo",))},
    keys={**world.keys, "sk-demo-joined": Key("sk-demo-joined", user=user, org="org-demo")},
)
after = Simulator(world=joined)
print("旧密钥：", type(try_chat(make_client("sk-demo-no-org", after))).__name__)
print("新密钥：", make_client("sk-demo-joined", after).chat.completions.create(**CHAT).choices[0].finish_reason)

# %% [markdown]
# ---
# ## 练习 1：像 API 那样给密钥打码
#
# 写一个函数 `mask(key)`，把密钥变成 API 回显时的样子：前 8 个字符照抄，中间每个藏起来的字符换成一个 `*`，
# 最后是后 4 个字符。不超过 12 个字符的密钥原样返回（没什么可藏的）。
#
# 例如 `mask("sk-demo-revoked")` 返回 `"sk-demo-***oked"`。以后要在日志里*记下*程序用的是哪把密钥，就用这个函数：
# 认得出是哪一把，又不会把密钥泄露出去。


# %% tags=["exercise"]
def mask(key):
    # 在这里写你的代码
    return key


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/02_mask_key.py

# %%
from helpers.checks import check_mask_key

check_mask_key(mask)
# %% [markdown]
# ---
# ## 根本没带密钥
#
# ### 你会看到什么
# 传入 `key=None` 时，`make_client` 发出的请求**不带** `Authorization` 请求头，就像程序忘了加载密钥一样。

# %%
missing = try_chat(make_client(None, sim))
what_you_see(missing)

# %% [markdown]
# 这里 `code` 是 `None`，线索只能从消息里找。
#
# 真实的 SDK 走不到这一步：没有密钥，或者密钥是空字符串（`OPENAI_API_KEY=""`），它在创建客户端时就会报错
# （“Missing credentials”）。所以这种 401 来自手写的 HTTP 请求，比如 curl 引用了一个没设置的变量，或者某个代理把
# 这个请求头弄丢了。
#
# 下面这个单元格会临时删掉环境变量。代码放在 `try`/`finally` 里，保证变量最后一定恢复原样：

# %%
saved = {}
try:
    for name in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"):  # SDK 也接受管理员密钥
        if name in os.environ:
            saved[name] = os.environ.pop(name)
    openai.OpenAI(api_key=None)
    print("客户端创建成功了：它从别的地方找到了凭据。")
except openai.OpenAIError as exc:
    print(f"{type(exc).__name__}: {exc}")
finally:
    os.environ.update(saved)  # 恢复原样；整个过程从没打印过密钥的值

# %% [markdown]
# ### 为什么会这样
# 程序根本没拿到密钥：变量设在了另一个终端里，或者写在一个没人加载的 `.env` 文件里，又或者是 Jupyter 内核
# 启动之后才设置的。还有些 HTTP 代码自己拼请求头，却漏了 `Authorization`。
#
# ### 怎样诊断
# 先确认：*在内核里*，`os.environ` 中有没有 `OPENAI_API_KEY`？（后面“检查你自己的环境”那一节会安全地做这项检查。）
# 如果请求是你自己拼的，就打印发出的请求头的*名字*，千万别打印它们的值。
#
# ### 怎样解决
# 在启动 Jupyter 之前设置好环境变量（内核已经在运行的话，重启它），或者在 notebook 开头加载 `.env` 文件。
#
# ### 重试有用吗？
# 没用：不带密钥的请求，每次都以同样的方式失败。

# %% [markdown]
# ---
# ## 组织请求头：对不上，或者组织不存在
#
# 一把密钥只属于一个组织。你也可以在 `OpenAI-Organization` 请求头里指定组织（对应 SDK 的 `organization=` 参数），
# 比如你的账号同时属于好几个组织时。请求头里写的如果不是密钥所属的组织，API 就会拒绝。
#
# ### 你会看到什么

# %%
mismatched = try_chat(make_client("sk-demo-ok", sim, organization="org-elsewhere"))
what_you_see(mismatched)
print("    我们发送的 OpenAI-Organization：", mismatched.request.headers.get("openai-organization"))

# %% [markdown]
# 如果指定的组织根本不存在，得到的是另一个 code，而且消息竟然是**空的**。仅有的一份抓包记录（2023 年）就是这样，
# 模拟器照搬了过来。这时 SDK 的摘要只有一句 `Error code: 401`，能说明哪里出错的只剩 `code`：

# %%
unknown = try_chat(make_client("sk-demo-ok", sim, organization="org-nowhere"))
what_you_see(unknown)
print("    str(exc):", str(unknown))

# %% [markdown]
# ### 为什么会这样
# 组织 ID 写错了（拼写错误，或者是个旧 ID）；或者 ID 没错，但密钥是在另一个组织里创建的。
#
# 很多时候，根本没人写过 `organization=`：**SDK 会读取环境变量 `OPENAI_ORG_ID`**，然后在每个请求里都带上它
# （`OPENAI_PROJECT_ID` 也一样，作为 `OpenAI-Project` 请求头发出）。
#
# `make_client` 故意不理这两个变量，免得你真实账号的设置干扰演示密钥。想知道你自己的程序会碰到什么，就运行下面
# 这个单元格：它临时设置这个环境变量，再创建一个普通的 `openai.OpenAI` 客户端，连到模拟器：

# %%
saved = os.environ.get("OPENAI_ORG_ID")
try:
    os.environ["OPENAI_ORG_ID"] = "org-elsewhere"  # 比如 shell 配置文件里遗留的设置
    client = openai.OpenAI(api_key="sk-demo-ok", base_url=BASE_URL, http_client=http_client(sim))
    print("没有传 organization= 参数，客户端却会发送：", client.organization)
    what_you_see(try_chat(client))
finally:
    if saved is None:
        os.environ.pop("OPENAI_ORG_ID", None)
    else:
        os.environ["OPENAI_ORG_ID"] = saved

# %% [markdown]
# ### 怎样诊断
# - `exc.request.headers.get("openai-organization")` 是实际发出的值，`client.organization` 是客户端
#   将要发送的值。`OpenAI-Project` 和 `client.project`（`OPENAI_PROJECT_ID`）也是一样。
# - 调用**成功**时，响应里的 `openai-organization` 响应头写着这次费用记到了哪个组织：和你预想的对一对。

# %%
right = make_client("sk-demo-ok", sim, organization="org-demo").chat.completions.with_raw_response.create(**CHAT)
print("HTTP", right.status_code, "- 费用记到了", right.headers["openai-organization"])

# %% [markdown]
# ### 怎样解决
# 要么干脆不指定组织（API 就用密钥自己所属的组织），要么指定密钥所属的那个组织，就像上面的单元格那样。
# 再把环境里过时的 `OPENAI_ORG_ID` / `OPENAI_PROJECT_ID` 清理掉。
#
# ### 重试有用吗？
# 没用：无论尝试多少次，请求头和密钥都对不上。

# %% [markdown]
# ---
# ## 受限密钥：能看，不能用
#
# 密钥可以只有一部分权限。`sk-demo-readonly` 能读取模型列表，却不能调用模型。
#
# ### 你会看到什么

# %%
readonly = make_client("sk-demo-readonly", sim)
models = readonly.models.list()
print("列出模型没问题：", [m.id for m in models.data][:3], "...")

what_you_see(try_chat(readonly))

# %% [markdown]
# ### 为什么会这样
# 这把密钥创建时设成了*受限*（restricted）或*只读*（read only），没有这个端点需要的权限（scope）。密钥本身
# 没问题，所以别的调用都能成功。
#
# ### 怎样诊断
# `code` 是 `missing_scope`，和 2026 年的公开抓包记录一致。更早的抓包记录里根本没有 code，代码如果也要兼容
# 那种情况，就得同时看消息：消息以 “You have insufficient permissions” 开头，并写明缺了哪项权限（这里是
# `model.request`）。另外，同一把密钥在一个端点上能用、在另一个端点上失败，也说明问题出在权限上。
#
# ### 怎样解决
# 在 API 密钥页面给这把密钥加上权限，或者换一把专门干这件事的密钥。只需要少量权限的程序，就给它受限密钥：
# 万一泄露，损失也有限。
#
# ### 重试有用吗？
# 没用：两次尝试之间，密钥的权限不会变。

# %% [markdown]
# ---
# ## 403 — Country, region, or territory not supported
#
# ### 你会看到什么
# `sk-demo-abroad` 的用户所在的地方不提供 API 服务。这回不是 401，SDK 抛出的是 `PermissionDeniedError`。

# %%
abroad = try_chat(make_client("sk-demo-abroad", sim))
what_you_see(abroad)

# %% [markdown]
# ### 为什么会这样
# API 接受了这把密钥（`openai-organization` 响应头说明它认出了你是谁），但不为来自那个地方的请求提供服务。
#
# ### 怎样诊断
# 状态码 403，`type` 为 `request_forbidden`，`code` 为 `unsupported_country_region_territory`。你的密钥和代码都
# 没有问题。
#
# ### 怎样解决
# 查一下 OpenAI 支持的国家和地区列表，在受支持的地方运行程序（比如用部署在那里的服务器）。隐藏真实位置来绕开
# 这条规定，违反使用条款。
#
# ### 重试有用吗？
# 没用。

# %% [markdown]
# ---
# ## SDK 会重试这些错误吗？看日志就知道
#
# SDK 对失败的请求最多重试 `max_retries` 次（默认 2 次），但只重试那些重试可能有用的状态码：408、409、429，
# 以及 500 及以上。（响应头里有 `x-should-retry: true` 或 `false` 时，以它为准，不看状态码。）认证错误不在
# 其中。
#
# 下面打开重试，数一数每种情况实际到达模拟器的请求有几个。最后一行用来对照：换成一个配额已用完的组织，
# 它收到的是 429。

# %%
cases = {
    "没带密钥": dict(key=None),
    "密钥已撤销": dict(key="sk-demo-revoked"),
    "密钥输错": dict(key="sk-demo-typo"),
    "不属于任何组织": dict(key="sk-demo-no-org"),
    "组织对不上": dict(key="sk-demo-ok", organization="org-elsewhere"),
    "组织不存在": dict(key="sk-demo-ok", organization="org-nowhere"),
    "受限密钥": dict(key="sk-demo-readonly"),
    "地区不受支持": dict(key="sk-demo-abroad"),
    "配额用完（对照）": dict(key="sk-demo-broke"),
}
print(f"{'情况':25} {'status':6} {'code':38} {'尝试次数':8} 重试有用吗？")
for label, options in cases.items():
    before = len(sim.log)
    exc = try_chat(make_client(options["key"], sim, organization=options.get("organization"), max_retries=2))
    attempts = len(sim.log) - before
    print(f"{label:25} {exc.status_code:<6} {str(exc.code):38} {attempts:<8} {classify_exception(exc).retryable}")

# %% [markdown]
# 每种认证错误都只到达模拟器**一次**：SDK 立刻放弃了。这样做是对的，因为重试帮不上忙。配额错误却发了三次，也失败了
# 三次，第 04 课会讲怎样避免这种浪费。
#
# 下面是已撤销密钥的那条日志，看看模拟器记下了什么。密钥打了码，和 API 消息里一样；`retry_count` 为 0，表示这是
# 第一次尝试：

# %%
entry = next(e for e in sim.log if e.key == "sk-demo-***oked")
print(entry)


# %% [markdown]
# ---
# ## 练习 2：说出原因
#
# 写一个函数 `diagnose_401(exc)`：参数是一个 `openai.APIStatusError`，返回下面的某一个字符串：
#
# | 返回值 | 什么情况下 |
# |---|---|
# | `"missing_key"` | 没有发送密钥 |
# | `"invalid_api_key"` | 密钥不对，或者已撤销 |
# | `"no_organization"` | 密钥的主人不属于任何组织 |
# | `"mismatched_organization"` | 组织请求头写的是另一个组织 |
# | `"invalid_organization"` | 组织请求头写的组织不存在 |
# | `"missing_scope"` | 受限密钥缺少所需的权限（返回 `"insufficient_permissions"` 也算对） |
# | `"not_401"` | 状态码不是 401 的任何错误（比如上面的 403） |
#
# 提示：`exc.code` 有值时，直接信它；为 `None` 时，读 `exc.body["message"]`。检查函数会用临时编出来的密钥测试你的
# 函数，所以照着演示密钥列一张对照表是行不通的。


# %% tags=["exercise"]
def diagnose_401(exc):
    # 在这里写你的代码
    return None


# %% tags=["solution"]
# 卡住了？删掉下一行 %load 前面的 "# "，再运行本单元格，参考答案就会载入到这里。
# # %load solutions/02_diagnose_401.py

# %%
from helpers.checks import check_diagnose_401

check_diagnose_401(diagnose_401)


# %% [markdown]
# ---
# ## 检查你自己的环境
#
# 真实的程序遇到 401 时，第一个问题是：它发出的到底是哪把密钥、哪个组织、哪个项目？
#
# 下面这个单元格查看 SDK 会读取的几个环境变量，**但不打印密钥**，只告诉你密钥设置了没有、有没有常见的毛病。


# %%
def key_health(value):
    """检查一把 API 密钥，但不透露它的任何一个字符。"""
    if value is None:
        return "未设置"
    problems = []
    if value != value.strip():
        problems.append("开头或结尾有空格、换行")
    if value.strip()[:1] in ("'", '"'):
        problems.append("两边带着引号")
    if not value.strip().strip("'\"").startswith("sk-"):
        problems.append("不是以 'sk-' 开头")
    return "已设置" + ("，但有问题：" + "；".join(problems) if problems else "，格式看起来没问题")


print("OPENAI_API_KEY   :", key_health(os.environ.get("OPENAI_API_KEY")))
print("OPENAI_ORG_ID    :", os.environ.get("OPENAI_ORG_ID", "未设置（使用密钥自己所属的组织）"))
print("OPENAI_PROJECT_ID:", os.environ.get("OPENAI_PROJECT_ID", "未设置（使用密钥自己所属的项目）"))
print()
for sample in ("sk-demo-ok", " sk-demo-ok\n", '"sk-demo-ok"'):
    print(f"key_health({sample!r}): {key_health(sample)}")

# %% [markdown]
# ---
# ## 安全地保管密钥
#
# 401 只是烦人；密钥泄露才真要命，因为别人会花你的钱。养成下面几个习惯：
#
# - **永远不要打印密钥，也不要把它写进日志**，哪怕“只是看一眼”。日志里记 `mask(key)` 就够了。别把请求头整个
#   写进日志：`exc.request.headers` 里就有 `Authorization` 的值（打印出来时会把它遮住，但值确实在里面）。
# - **永远不要把密钥写进 notebook 或代码**。需要的时候再让人输入：
#
#   ```python
#   from getpass import getpass
#   os.environ["OPENAI_API_KEY"] = getpass("OpenAI API 密钥：")   # 输入时不显示，也不会保存到 notebook 里
#   ```
#
# - 或者把它放进 **`.env` 文件**，写成一行 `OPENAI_API_KEY=...`（不要加引号：有些工具会把引号原样保留），用
#   `python-dotenv` 包加载（`from dotenv import load_dotenv; load_dotenv()`），并且在*第一次*提交*之前*就把
#   `.env` 加进 **`.gitignore`**。
# - 密钥可能泄露了（推送到了 git、贴进了聊天、共享屏幕时露了出来），就要**轮换**：撤销旧密钥，新建一把，再让
#   所有程序改用新密钥。如果是公开泄露，先撤销，再去改程序。光删掉那次提交没用：密钥早就被人复制走了。
# - 每个程序用自己的密钥，只给它需要的权限。这样一把密钥泄露了，也不至于全线失守。

# %% [markdown]
# ## 要点回顾
#
# - 除了地区限制，所有认证失败都是 **401**，SDK 抛出 `openai.AuthenticationError`。靠 `code` 区分它们；`code` 为
#   `None` 时看消息。
# - 已撤销的密钥和输错的密钥得到的是**同一个** `invalid_api_key` 错误；打码后的密钥（前 8 个加后 4 个字符）能告诉你
#   实际发出的是哪一把。
# - 组织请求头可能来自 `OPENAI_ORG_ID`：你一行代码没写，它也照样发出去。排查时检查 `client.organization` 和
#   `exc.request.headers`。
# - 受限密钥可能在一个端点上成功、在另一个端点上失败；**403** `unsupported_country_region_territory` 关乎所在地，
#   与密钥无关。
# - 这些错误重试永远修不好，SDK 也不会重试它们：要做的是把凭据改对。
# - 别让密钥出现在 notebook、日志和 git 里：用 `getpass`，或者用已加入 `.gitignore` 的 `.env` 文件；密钥一旦泄露，
#   立即轮换。
#
# **下一步**：[03 — 速率限制（429）](03_rate_limits_429.ipynb)

"""The error explorer: pick a catalog entry (or type a key and a model) and see the whole story of one request.

It shows the raw HTTP exchange (request, status, headers, body), the exception the official SDK raises and
its attributes, the cause, the fix and whether a retry can help, in English or Chinese. Every change
re-renders at once, and everything can be driven from code::

    explorer = ErrorExplorer()
    explorer.entry.value = "quota_exceeded"
    explorer.language.value = "zh"
    explorer            # in a notebook: shows the widget

Each render sends the request(s) to a fresh simulator through the official SDK (no retries), so the same
choice always gives the same answer. Keys are masked as the API masks them wherever they are shown.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

import ipywidgets as widgets
import openai
from traitlets import validate

from ..catalog import Entry, client_options, load_catalog, trigger
from ..retry.classify import Verdict, classify_exception
from ..simulator.core import Simulator
from ..simulator.sdk import SimulatedOpenAI
from ..simulator.transport import BASE_URL, http_client
from ..simulator.wire import mask_key
from ..world import load_world

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh")
MODES = ("catalog", "custom")
BODY_LIMIT = 2_000  # characters of a body shown before it is cut
MAX_KEY_CHARS = 256  # real keys are far shorter; anything longer is a paste gone wrong
MAX_MODEL_CHARS = 200
PROMPT = "Hello"

# Okabe-Ito colours: safe for the common kinds of colour blindness; every colour also comes with words.
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
MONO = "font-family: var(--jp-code-font-family, monospace); font-size: 12px;"
PRE = (MONO + " white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 10px 0; padding: 6px 8px;"
       " background: rgba(127, 127, 127, 0.12); border-radius: 4px; max-height: 320px; overflow: auto;")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "language": "Language",
        "mode": "Show",
        "mode.catalog": "A catalog entry",
        "mode.custom": "Your own request",
        "entry": "Error",
        "key": "API key",
        "key.placeholder": "empty = no Authorization header",
        "model": "Model",
        "model.placeholder": "e.g. gpt-4o-mini",
        "organization": "Organization",
        "organization.placeholder": "optional, e.g. org-demo",
        "hint": ("Your request is one chat completion (“{prompt}”) sent to the simulated API, never to OpenAI. "
                 "Use demo keys only, never a real one. Keys to try: {keys}, or leave the key empty. "
                 "Models to try: {models}, or any name the world does not know. "
                 "Press Enter or leave a field to send."),
        "raw": "Raw HTTP exchange",
        "request": "Request",
        "response": "Response",
        "no.body": "(no body)",
        "truncated": "… [cut here: showing the first {shown:,} of {total:,} characters]",
        "no.response.timeout": ("No response: the client stopped waiting (read timeout after {timeout}) before "
                                "the server answered. So there is no status line, no headers and no body."),
        "no.response.connection": ("No response: the connection closed before any answer arrived. So there is "
                                   "no status line, no headers and no body."),
        "no.response.short": "No response",
        "no.response": "No response was received, so there is no status line, no headers and no body.",
        "no.request": "The SDK raised before sending anything, so there is no HTTP exchange to show.",
        "repeat": "This entry sends {n} requests in a row on a fresh simulator; the exchange below is the last one.",
        "exception": "SDK exception",
        "raised": "The SDK raised:",
        "attribute": "attribute",
        "value": "value",
        "caused.by": "caused by",
        "success": "Success",
        "success.text": "Status {status}: no error. The model replied:",
        "success.retry": "Nothing failed, so there is nothing to retry.",
        "not.reproduced": ("This time the request did not fail: this fault is drawn by chance from the seed "
                           "({seed}). The catalog texts below still describe the error."),
        "cause": "Cause",
        "fix": "Fix",
        "retry": "Can a retry help?",
        "retry.yes": "Yes, a retry can help",
        "retry.no": "No, a retry cannot help",
        "retry.after": "The server suggests waiting {seconds} s before the next try (Retry-After).",
        "catalog.says": "The catalog says: ",
        "sdk.retries.helpful": "The official SDK retries this error by itself (2 retries by default).",
        "sdk.retries.wasted": ("The official SDK retries it anyway (2 more tries by default), which cannot help: "
                               "catch it and stop instead."),
        "sdk.no.retries": "The official SDK does not retry it.",
        "matched": "The closest catalog entry is “{title}” (matched on status, type and code).",
        "also": "Other entries with the same status, type and code: {titles}.",
        "no.match": ("No catalog entry matches this error (status {status}, type {type}, code {code}), so there "
                     "is no cause or fix to show."),
        "msg.pick": "Pick an error from the list.",
        "msg.unknown.entry": "There is no catalog entry {value}. Pick one from the list; still showing the last one.",
        "msg.unknown.language": "The language {value} is not available: choose en (English) or zh (中文).",
        "msg.unknown.mode": "There is no mode {value}: choose catalog or custom.",
        "msg.model.empty": "Type a model name, for example gpt-4o-mini.",
        "msg.model.space": "A model name has no spaces or line breaks: {value}. Try gpt-4o-mini.",
        "msg.model.long": "That model name is {n:,} characters long; model names are short, like gpt-4o-mini.",
        "msg.key.long": ("That key is {n:,} characters long; real API keys are far shorter (well under "
                         "{limit}). Check what you pasted; nothing was sent."),
        "msg.key.chars": ("An API key is plain ASCII text without spaces or line breaks; this one is not. Check "
                          "what you pasted; nothing was sent."),
        "msg.organization": ("An organization ID looks like org-demo: plain ASCII text without spaces, at most "
                             "{limit} characters. Nothing was sent."),
        "msg.internal": "The explorer could not show this ({error}). Try another entry or change the input.",
    },
    "zh": {
        "language": "语言",
        "mode": "显示",
        "mode.catalog": "目录中的错误",
        "mode.custom": "自己发请求",
        "entry": "错误",
        "key": "API 密钥",
        "key.placeholder": "留空 = 不发送 Authorization 请求头",
        "model": "模型",
        "model.placeholder": "例如 gpt-4o-mini",
        "organization": "组织",
        "organization.placeholder": "可选，例如 org-demo",
        "hint": ("你的请求是一次聊天补全（内容为“{prompt}”），发往模拟的 API，绝不会发到 OpenAI。"
                 "请只使用演示密钥，切勿输入真实密钥。可以试试这些密钥：{keys}，也可以把密钥留空。"
                 "可以试试这些模型：{models}，或者任何演示世界里没有的名称。"
                 "按回车键或离开输入框即可发送。"),
        "raw": "原始 HTTP 交互",
        "request": "请求",
        "response": "响应",
        "no.body": "（没有正文）",
        "truncated": "……［到此截断：共 {total:,} 个字符，只显示前 {shown:,} 个］",
        "no.response.timeout": ("没有响应：服务器还没回答，客户端就已停止等待（读取超时，时限 {timeout}）。"
                                "因此没有状态行，没有响应头，也没有响应体。"),
        "no.response.connection": "没有响应：在收到任何回答之前，连接就已断开。因此没有状态行，没有响应头，也没有响应体。",
        "no.response.short": "没有响应",
        "no.response": "没有收到响应，因此没有状态行，没有响应头，也没有响应体。",
        "no.request": "SDK 在发送任何内容之前就抛出了异常，因此没有可显示的 HTTP 交互。",
        "repeat": "这个条目会在一个全新的模拟器上连续发送 {n} 次请求；下面显示的是最后一次。",
        "exception": "SDK 异常",
        "raised": "SDK 抛出的异常：",
        "attribute": "属性",
        "value": "值",
        "caused.by": "起因",
        "success": "成功",
        "success.text": "状态码 {status}：没有出错。模型的回复：",
        "success.retry": "没有失败，也就无需重试。",
        "not.reproduced": "这一次请求没有失败：这种故障是按随机种子（{seed}）抽取的。下面目录中的说明仍然适用于这个错误。",
        "cause": "原因",
        "fix": "解决方法",
        "retry": "重试有用吗？",
        "retry.yes": "有用，重试有望成功",
        "retry.no": "没用，重试无济于事",
        "retry.after": "服务器建议等待 {seconds} 秒后再试（Retry-After）。",
        "catalog.says": "错误目录的说明：",
        "sdk.retries.helpful": "官方 SDK 会自动重试这个错误（默认重试 2 次）。",
        "sdk.retries.wasted": "官方 SDK 仍会自动重试（默认再试 2 次），但这毫无帮助：应当捕获异常并停止。",
        "sdk.no.retries": "官方 SDK 不会重试这个错误。",
        "matched": "最接近的目录条目是“{title}”（按状态码、type 和 code 匹配）。",
        "also": "状态码、type 和 code 相同的其他条目：{titles}。",
        "no.match": "目录中没有与这个错误（状态码 {status}，type {type}，code {code}）对应的条目，因此无法给出原因和解决方法。",
        "msg.pick": "请从列表中选择一个错误。",
        "msg.unknown.entry": "目录中没有 {value} 这一项。请从列表中选择；下面仍显示上一次的条目。",
        "msg.unknown.language": "没有 {value} 这种语言：请选择 en（English）或 zh（中文）。",
        "msg.unknown.mode": "没有 {value} 这种模式：请选择 catalog 或 custom。",
        "msg.model.empty": "请输入模型名称，例如 gpt-4o-mini。",
        "msg.model.space": "模型名称里不能有空格或换行：{value}。试试 gpt-4o-mini。",
        "msg.model.long": "这个模型名称长达 {n:,} 个字符；模型名称都很短，比如 gpt-4o-mini。",
        "msg.key.long": "这个密钥长达 {n:,} 个字符，而真实的 API 密钥要短得多（远少于 {limit} 个）。请检查粘贴的内容；没有发送任何请求。",
        "msg.key.chars": "API 密钥是不含空格和换行的纯 ASCII 文本，而这个不是。请检查粘贴的内容；没有发送任何请求。",
        "msg.organization": "组织 ID 形如 org-demo：不含空格的纯 ASCII 文本，最多 {limit} 个字符。没有发送任何请求。",
        "msg.internal": "错误浏览器无法显示这一项（{error}）。请换一个条目或修改输入。",
    },
}

# The verdict's reason comes from helpers.retry.classify in English; these give the same words in Chinese.
# A reason not listed here is shown in English rather than not at all.
_REASONS_ZH: tuple[tuple[str, str], ...] = (
    (r"success", "成功"),
    (r"a billing or quota error: retrying cannot restore access", "这是账单或配额错误：重试无法恢复访问"),
    (r"the request is larger than the whole limit: it can never fit", "请求比整个限额还大：无论等多久都放不下"),
    (r"traffic grew too fast: wait, then ramp up slowly", "流量增长过快：先等待，再慢慢提高请求速率"),
    (r"a temporary rate limit: the allowance refills", "这是暂时的速率限制：额度会逐渐恢复"),
    (r"authentication failed: the same credentials will fail again", "身份验证失败：用同样的凭据再试还会失败"),
    (r"access is forbidden: retrying changes nothing", "访问被禁止：重试改变不了什么"),
    (r"the model or URL does not exist for this key", "对这个密钥而言，该模型或 URL 不存在"),
    (r"(\d+) is transient: the SDK retries it too", r"\1 是暂时性错误：SDK 也会重试它"),
    (r"the model is overloaded for now", "模型暂时过载"),
    (r"a fault on the server's side, usually transient", "这是服务器端的故障，通常是暂时的"),
    (r"(\d+): the request itself is wrong; fix it before sending again", r"\1：请求本身有误，改正后再发送"),
    (r"the server says x-should-retry: false", "服务器通过 x-should-retry: false 表示不应重试"),
    (r"the server says x-should-retry: true", "服务器通过 x-should-retry: true 表示可以重试"),
    (r"the server asks to wait (\S+) s, more than the (\S+) s cap", r"服务器要求等待 \1 秒，超过了 \2 秒的上限"),
    (r"no answer in time: the server may be slow or the network busy", "没有按时收到回答：服务器可能很慢，或者网络繁忙"),
    (r"the connection failed: often a passing network fault", "连接失败：往往只是暂时的网络故障"),
    (r"no answer at all: worth another try after a pause", "完全没有回答：稍等片刻再试一次是值得的"),
    (r"(\w+) is not an API error: do not retry blindly", r"\1 不是 API 错误：不要盲目重试"),
)


def text(lang: str, key: str, **values: Any) -> str:
    """One of the explorer's own texts, in `lang` (English when the language is unknown)."""
    table = TEXTS.get(lang, TEXTS["en"])
    return table[key].format(**values) if values else table[key]


def reason_text(reason: str, lang: str) -> str:
    """A verdict's reason in `lang`."""
    if lang != "zh":
        return reason
    for pattern, chinese in _REASONS_ZH:
        match = re.fullmatch(pattern, reason)
        if match:
            return match.expand(chinese)
    return reason


def _short_repr(value: Any, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def mask_authorization(value: str) -> str:
    """An Authorization header value with its secret masked as the API masks keys."""
    scheme, space, secret = value.strip().partition(" ")
    if not space:
        return mask_key(scheme)
    return f"{scheme} {mask_key(secret.strip())}"


def _headers(headers) -> list[tuple[str, str]]:
    """Header pairs as sent, with the Authorization value masked."""
    pairs = []
    for raw_name, raw_value in headers.raw:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name.lower() == "authorization":
            value = mask_authorization(value)
        pairs.append((name, value))
    return pairs


def _body_text(content: bytes) -> tuple[str, int]:
    """A body as text to show (pretty JSON when it is JSON, cut at BODY_LIMIT) and its full length."""
    if not content:
        return "", 0
    raw = content.decode("utf-8", "replace")
    try:
        pretty = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        pretty = raw
    return pretty[:BODY_LIMIT], len(pretty)


def _content(message) -> bytes:
    try:
        return message.content
    except Exception:  # a stream nobody read: read it now
        try:
            return message.read()
        except Exception:
            return b""


def snapshot_request(request) -> dict[str, Any]:
    body, total = _body_text(_content(request))
    path = request.url.raw_path.decode("ascii", "replace")
    return {
        "method": request.method, "url": str(request.url), "path": path,
        "line": f"{request.method} {path} HTTP/1.1", "headers": _headers(request.headers),
        "body": body, "body_chars": total, "truncated": total > len(body),
    }


def snapshot_response(response) -> dict[str, Any]:
    body, total = _body_text(_content(response))
    version = getattr(response, "http_version", None) or "HTTP/1.1"
    return {
        "status": response.status_code, "reason": response.reason_phrase,
        "line": f"{version} {response.status_code} {response.reason_phrase}".rstrip(),
        "headers": _headers(response.headers), "body": body, "body_chars": total, "truncated": total > len(body),
    }


class _Recorder:
    """httpx event hooks that keep the last request and its response (None when none came back)."""

    def __init__(self, strip_authorization: bool):
        self.strip_authorization = strip_authorization
        self.request = None
        self.response = None
        self.attempts = 0

    def on_request(self, request) -> None:
        if self.strip_authorization:  # key=None: the wire carries no key at all, as with make_client
            request.headers.pop("Authorization", None)
        self.request, self.response = request, None
        self.attempts += 1

    def on_response(self, response) -> None:
        self.response = response


def sdk_would_retry(error: BaseException) -> bool:
    """Whether the official SDK retries this error by default (the rules of its `_should_retry`)."""
    if isinstance(error, openai.APIStatusError):
        should = error.response.headers.get("x-should-retry")
        if should in ("true", "false"):
            return should == "true"
        status = error.status_code
        return status in (408, 409, 429) or status >= 500
    return isinstance(error, openai.APIConnectionError)  # timeouts included


def matching_entries(error: BaseException, catalog: tuple[Entry, ...] | None = None) -> list[Entry]:
    """Catalog entries that describe this error, best first (an empty list when none does)."""
    catalog = load_catalog() if catalog is None else catalog
    if isinstance(error, openai.APIStatusError):
        found = [e for e in catalog if (e.status, e.type, e.code) == (error.status_code, error.type, error.code)]
        body = error.body if isinstance(error.body, dict) else {}
        message = str(body.get("message") or "")
        found.sort(key=lambda e: not e.message_pattern().match(message))  # stable: catalog order otherwise
        return found
    return [e for e in catalog if e.status is None and e.sdk_exception == type(error).__name__]


class _Forgiving:
    """A selection widget that never raises on a value outside its options.

    It maps aliases (such as a label) to values, keeps its current value when given an unknown one, and
    reports the unknown one to `on_reject` so the explorer can say so.
    """

    def __init__(self, *args, aliases: dict[str, Any] | None = None, on_reject=None, **kwargs):
        self._aliases = dict(aliases or {})
        self._on_reject = on_reject
        super().__init__(*args, **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        if value is None:
            return None
        if isinstance(value, str):
            value = self._aliases.get(value, value)
        for option in self._options_values:
            if self.equals(option, value):
                return option
        if self._on_reject is not None:
            self._on_reject(self, proposal.value)
        return self.value


class _Dropdown(_Forgiving, widgets.Dropdown):
    pass


class _ToggleButtons(_Forgiving, widgets.ToggleButtons):
    pass


class ErrorExplorer:
    """See one request's whole story: raw exchange, SDK exception, cause, fix and retry advice.

    Controls (public, drivable from code): `mode` ("catalog" or "custom"), `entry` (catalog entry id),
    `key`, `model`, `organization` (for your own request) and `language` ("en" or "zh").
    Outputs: the HTML widgets `notice`, `summary`, `raw_view`, `exception_view`, `advice_view`, and the
    state `exchange`, `error`, `result`, `verdict`, `message`.
    """

    def __init__(self, lang: str = "en", seed: int = 0):
        self.seed = seed
        self.catalog = load_catalog()
        self._by_id = {entry.id: entry for entry in self.catalog}
        world = load_world()
        self._demo_keys = sorted(world.keys)
        self._demo_models = sorted(world.models)
        self._busy = True  # no renders until everything exists
        self._pending: tuple[str, dict] | None = None
        self._shown_lang: str | None = None

        self.exchange: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.result: Any = None
        self.verdict: Verdict | None = None
        self.message = ""
        self.shown_entry: Entry | None = None

        if lang not in LANGUAGES:
            self._pending = ("msg.unknown.language", {"value": _short_repr(lang)})
            lang = "en"
        style = {"description_width": "initial"}
        self.language = _ToggleButtons(
            options=[("English", "en"), ("中文", "zh")], value=lang, description="Language / 语言", style=style,
            aliases={"English": "en", "中文": "zh", "EN": "en", "ZH": "zh"}, on_reject=self._rejected,
        )
        mode_aliases = {text(lg, f"mode.{m}"): m for lg in LANGUAGES for m in MODES}
        mode_aliases.update({"catalog entry": "catalog", "your own request": "custom"})
        self.mode = _ToggleButtons(options=self._mode_options(lang), value="catalog", style=style,
                                   aliases=mode_aliases, on_reject=self._rejected)
        self.entry = _Dropdown(options=self._entry_options(lang), value=self.catalog[0].id, style=style,
                               layout=widgets.Layout(width="max-content", max_width="100%"),
                               on_reject=self._rejected)
        text_layout = widgets.Layout(width="auto", min_width="240px")
        self.key = widgets.Text(value="sk-demo-ok", continuous_update=False, style=style, layout=text_layout)
        self.model = widgets.Text(value="gpt-4o-mini", continuous_update=False, style=style, layout=text_layout)
        self.organization = widgets.Text(value="", continuous_update=False, style=style, layout=text_layout)

        self.hint = widgets.HTML()
        self.notice = widgets.HTML()
        self.summary = widgets.HTML()
        self.raw_view = widgets.HTML()
        self.exception_view = widgets.HTML()
        self.advice_view = widgets.HTML()
        self.views = (self.hint, self.notice, self.summary, self.raw_view, self.exception_view, self.advice_view)

        self.catalog_box = widgets.VBox([self.entry])
        self.custom_box = widgets.VBox([widgets.HBox([self.key, self.model, self.organization],
                                                     layout=widgets.Layout(flex_flow="row wrap")), self.hint])
        self.widget = widgets.VBox(
            [widgets.HBox([self.language, self.mode], layout=widgets.Layout(flex_flow="row wrap")),
             self.catalog_box, self.custom_box, self.notice, self.summary, self.raw_view, self.exception_view,
             self.advice_view],
        )
        for control in (self.language, self.mode, self.entry, self.key, self.model, self.organization):
            control.observe(self._changed, names="value")
        self._busy = False
        self.render()

    # -- display ---------------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def lang(self) -> str:
        return self.language.value if self.language.value in LANGUAGES else "en"

    @property
    def html(self) -> str:
        """Everything the explorer currently shows as HTML, joined (handy for tests and checks)."""
        return "\n".join(view.value for view in self.views)

    # -- events ----------------------------------------------------------------------------------------
    def _changed(self, change) -> None:
        if not self._busy:
            self.render()

    def _rejected(self, widget, value) -> None:
        if self._busy:
            return
        key = {id(self.language): "msg.unknown.language", id(self.mode): "msg.unknown.mode"}.get(
            id(widget), "msg.unknown.entry")
        self._pending = (key, {"value": _short_repr(value)})
        self.render()

    # -- options and labels --------------------------------------------------------------------------
    def _mode_options(self, lang: str) -> list[tuple[str, str]]:
        return [(text(lang, f"mode.{m}"), m) for m in MODES]

    def _entry_options(self, lang: str) -> list[tuple[str, str]]:
        return [(entry.text("title", lang), entry.id) for entry in self.catalog]

    def _relabel(self, lang: str) -> None:
        """Put every label in `lang`; changing options resets a selection, so values are put back."""
        if self._shown_lang == lang:
            return
        mode, entry = self.mode.value, self.entry.value
        self.mode.options = self._mode_options(lang)
        self.mode.value = mode
        self.entry.options = self._entry_options(lang)
        self.entry.value = entry
        self.mode.description = text(lang, "mode")
        self.entry.description = text(lang, "entry")
        for control, name in ((self.key, "key"), (self.model, "model"), (self.organization, "organization")):
            control.description = text(lang, name)
            control.placeholder = text(lang, f"{name}.placeholder")
        self.hint.value = self._hint_html(lang)
        self._shown_lang = lang

    # -- the work --------------------------------------------------------------------------------------
    def render(self) -> None:
        """Send the chosen request to a fresh simulator and show what happened. Never raises."""
        if self._busy:
            return
        self._busy = True
        try:
            lang = self.lang
            self._reset()
            try:
                self._relabel(lang)
                custom = self.mode.value == "custom"
                self.catalog_box.layout.display = "none" if custom else None
                self.custom_box.layout.display = None if custom else "none"
                notice = self._pending
                self._pending = None
                problem = self._run_custom() if custom else self._run_catalog()
                notice = notice or problem
                self.message = text(lang, notice[0], **notice[1]) if notice else ""
                self._paint(lang)
            except Exception as exc:  # the explorer must stay usable whatever happens
                log.exception("error explorer failed to render")
                self._reset()
                self.message = text(lang, "msg.internal", error=f"{type(exc).__name__}: {exc}")
                self._paint(lang)
        finally:
            self._busy = False

    def _reset(self) -> None:
        self.exchange = self.error = self.result = self.verdict = self.shown_entry = None
        self._recorder = None
        self._timeout = None
        self._repeat = 1
        self.message = ""

    def _run_catalog(self) -> tuple[str, dict] | None:
        entry = self._by_id.get(self.entry.value)
        if entry is None:
            return ("msg.pick", {})
        self.shown_entry = entry
        options = client_options(entry)
        simulator = Simulator(seed=self.seed, **entry.trigger.get("simulator", {}))
        self._repeat = int(entry.trigger.get("repeat", 1))
        self._send(simulator, options["key"], options["organization"], options.get("timeout"),
                   lambda client: _raise(trigger(entry, client)))
        return None

    def _run_custom(self) -> tuple[str, dict] | None:
        key = self.key.value.strip()
        model = self.model.value.strip()
        organization = self.organization.value.strip()
        if len(key) > MAX_KEY_CHARS:
            return ("msg.key.long", {"n": len(key), "limit": MAX_KEY_CHARS})
        if not _plain_ascii(key):
            return ("msg.key.chars", {})
        if len(organization) > MAX_KEY_CHARS or not _plain_ascii(organization):
            return ("msg.organization", {"limit": MAX_KEY_CHARS})
        if not model:
            return ("msg.model.empty", {})
        if len(model) > MAX_MODEL_CHARS:
            return ("msg.model.long", {"n": len(model)})
        if any(ch.isspace() for ch in model):
            return ("msg.model.space", {"value": _short_repr(model)})
        messages = [{"role": "user", "content": PROMPT}]
        self._send(Simulator(seed=self.seed), key or None, organization or None, None,
                   lambda client: client.chat.completions.create(model=model, messages=messages))
        return None

    def _send(self, simulator: Simulator, key: str | None, organization: str | None, timeout, call) -> None:
        recorder = _Recorder(strip_authorization=key is None)
        hooks = {"request": [recorder.on_request], "response": [recorder.on_response]}
        extra = {} if timeout is None else {"timeout": timeout}
        client = SimulatedOpenAI(http_client=http_client(simulator, event_hooks=hooks), max_retries=0,
                                 api_key=key or "no-key", organization=organization, base_url=BASE_URL, **extra)
        client._attach(simulator, self.seed)
        self._timeout = timeout
        try:
            try:
                self.result = call(client)
            except Exception as exc:  # whatever the SDK raises is what we came to see
                self.error = exc
            if recorder.request is not None:
                self.exchange = {
                    "request": snapshot_request(recorder.request),
                    "response": None if recorder.response is None else snapshot_response(recorder.response),
                    "attempts": recorder.attempts,
                }
            if self.error is not None:
                self.verdict = classify_exception(self.error)
        finally:
            client.close()

    # -- painting --------------------------------------------------------------------------------------
    def _paint(self, lang: str) -> None:
        self.notice.value = _box(html.escape(self.message), ORANGE, "⚠") if self.message else ""
        sent = self.exchange is not None or self.error is not None or self.result is not None
        if not sent:
            self.summary.value = self.raw_view.value = self.exception_view.value = self.advice_view.value = ""
            return
        self.summary.value = self._summary_html(lang)
        self.raw_view.value = self._raw_html(lang)
        self.exception_view.value = self._exception_html(lang)
        self.advice_view.value = self._advice_html(lang)

    def _hint_html(self, lang: str) -> str:
        comma = "、" if lang == "zh" else ", "
        keys = comma.join(f"<code>{html.escape(k)}</code>" for k in self._demo_keys)
        models = comma.join(f"<code>{html.escape(m)}</code>" for m in self._demo_models)
        hint = text(lang, "hint", prompt=html.escape(PROMPT), keys="\x00K", models="\x00M")
        hint = html.escape(hint).replace("\x00K", keys).replace("\x00M", models)
        return f'<div style="font-size: 12px; opacity: 0.85; margin: 2px 0 6px 0;">{hint}</div>'

    def _summary_html(self, lang: str) -> str:
        parts = []
        if self.shown_entry is not None:
            parts.append(f"<h3 style='margin: 6px 0;'>{html.escape(self.shown_entry.text('title', lang))}</h3>")
        response = (self.exchange or {}).get("response")
        status = f"HTTP {response['status']} {response['reason']}" if response else text(lang, "no.response.short")
        line = html.escape(status)
        if self.error is not None:
            line += f" → <code>{html.escape(_class_name(self.error))}</code>"
        elif self.result is not None or response is not None:
            line += " → " + html.escape(text(lang, "success"))
        parts.append(f"<div style='{MONO} font-size: 14px; font-weight: bold;'>{line}</div>")
        if self._repeat > 1:
            parts.append(f"<div style='font-size: 12px;'>{html.escape(text(lang, 'repeat', n=self._repeat))}</div>")
        return "".join(parts)

    def _raw_html(self, lang: str) -> str:
        out = [f"<h4 style='margin: 10px 0 4px 0;'>{html.escape(text(lang, 'raw'))}</h4>"]
        if self.exchange is None:
            out.append(f"<p>{html.escape(text(lang, 'no.request'))}</p>")
            return "".join(out)
        request, response = self.exchange["request"], self.exchange["response"]
        out.append(f"<b>{html.escape(text(lang, 'request'))}</b>")
        out.append(_message_pre(request, lang))
        out.append(f"<b>{html.escape(text(lang, 'response'))}</b>")
        if response is None:
            out.append(_box(html.escape(self._no_response_text(lang)), VERMILLION, "∅"))
        else:
            out.append(_message_pre(response, lang))
        return "".join(out)

    def _no_response_text(self, lang: str) -> str:
        if isinstance(self.error, openai.APITimeoutError):
            timeout = "?" if self._timeout is None else f"{self._timeout:g} s"
            if lang == "zh" and self._timeout is not None:
                timeout = f"{self._timeout:g} 秒"
            return text(lang, "no.response.timeout", timeout=timeout)
        if isinstance(self.error, openai.APIConnectionError):
            return text(lang, "no.response.connection")
        return text(lang, "no.response")

    def _exception_html(self, lang: str) -> str:
        out = [f"<h4 style='margin: 10px 0 4px 0;'>{html.escape(text(lang, 'exception'))}</h4>"]
        if self.error is None:
            reply = _reply_text(self.result)
            status = (self.exchange or {}).get("response", {}) or {}
            out.append(_box(html.escape(text(lang, "success.text", status=status.get("status", 200))), GREEN, "✔"))
            if reply is not None:
                out.append(f"<pre style='{PRE}'>{html.escape(reply)}</pre>")
            return "".join(out)
        error = self.error
        out.append(f"<div>{html.escape(text(lang, 'raised'))} <code style='{MONO} font-weight: bold;'>"
                   f"{html.escape(_class_name(error))}</code></div>")
        rows = [(name, getattr(error, name, None))
                for name in ("status_code", "type", "code", "param", "request_id", "message")]
        cause = error.__cause__ or error.__context__
        if cause is not None:
            rows.append(("__cause__", f"{_class_name(cause)}: {cause}"))
        cells = "".join(
            f"<tr><td style='padding: 2px 10px 2px 0; vertical-align: top;'><code>{html.escape(name)}</code></td>"
            f"<td style='padding: 2px 0; {MONO} overflow-wrap: anywhere;'>"
            f"{html.escape(value if name == '__cause__' else repr(value))}</td></tr>"
            for name, value in rows
        )
        head = (f"<tr><th style='text-align: left; padding-right: 10px;'>{html.escape(text(lang, 'attribute'))}</th>"
                f"<th style='text-align: left;'>{html.escape(text(lang, 'value'))}</th></tr>")
        out.append(f"<table style='border-collapse: collapse; margin: 4px 0;'>{head}{cells}</table>")
        return "".join(out)

    def _advice_html(self, lang: str) -> str:
        h4 = "<h4 style='margin: 10px 0 4px 0;'>{}</h4>"
        out = []
        if self.error is None:
            if self.shown_entry is not None:  # a catalog entry that did not fail this time
                out.append(_box(html.escape(text(lang, "not.reproduced", seed=self.seed)), ORANGE, "⚠"))
                out.extend(self._entry_texts(self.shown_entry, lang, h4))
            out.append(h4.format(html.escape(text(lang, "retry"))))
            out.append(f"<p>{html.escape(text(lang, 'success.retry'))}</p>")
            return "".join(out)
        entry, others = self.shown_entry, []
        if entry is None:  # your own request: find the catalog entry that describes it
            found = matching_entries(self.error, self.catalog)
            if found:
                entry, others = found[0], found[1:]
                out.append(f"<p>{html.escape(text(lang, 'matched', title=entry.text('title', lang)))}"
                           + (" " + html.escape(text(lang, "also", titles="; ".join(
                               o.text("title", lang) for o in others))) if others else "") + "</p>")
            else:
                out.append(_box(html.escape(text(
                    lang, "no.match", status=getattr(self.error, "status_code", None),
                    type=getattr(self.error, "type", None), code=getattr(self.error, "code", None))), ORANGE, "?"))
        if entry is not None:
            out.extend(self._entry_texts(entry, lang, h4))
        out.append(h4.format(html.escape(text(lang, "retry"))))
        out.append(self._verdict_html(lang, entry))
        return "".join(out)

    def _entry_texts(self, entry: Entry, lang: str, h4: str) -> list[str]:
        return [h4.format(html.escape(text(lang, "cause"))), f"<p>{html.escape(entry.text('cause', lang))}</p>",
                h4.format(html.escape(text(lang, "fix"))), f"<p>{html.escape(entry.text('fix', lang))}</p>"]

    def _verdict_html(self, lang: str, entry: Entry | None) -> str:
        verdict = self.verdict
        if verdict is None:
            return ""
        answer = text(lang, "retry.yes" if verdict.retryable else "retry.no")
        colon, stop = ("：", "。") if lang == "zh" else (": ", ".")
        line = f"<b>{html.escape(answer)}</b>{colon}{html.escape(reason_text(verdict.reason, lang))}{stop}"
        if verdict.retry_after is not None:
            line += " " + html.escape(text(lang, "retry.after", seconds=f"{verdict.retry_after:g}"))
        parts = [_box(line, BLUE if verdict.retryable else VERMILLION, "↻" if verdict.retryable else "✕")]
        if entry is not None:
            parts.append(f"<p>{html.escape(text(lang, 'catalog.says'))}{html.escape(entry.text('retry', lang))}</p>")
        sdk_retries = entry.sdk_retries if entry is not None else sdk_would_retry(self.error)
        key = "sdk.no.retries"
        if sdk_retries:
            key = "sdk.retries.helpful" if verdict.retryable else "sdk.retries.wasted"
        parts.append(f"<p>{html.escape(text(lang, key))}</p>")
        return "".join(parts)


def _raise(error: Exception | None) -> None:
    if error is not None:
        raise error


def _plain_ascii(value: str) -> bool:
    return all(33 <= ord(ch) <= 126 for ch in value)


def _class_name(error: BaseException) -> str:
    cls = type(error)
    module = cls.__module__.split(".")[0]
    return f"{module}.{cls.__name__}" if module in ("openai", "httpx") else cls.__name__


def _reply_text(result: Any) -> str | None:
    try:
        return result.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        return None


def _box(inner_html: str, colour: str, symbol: str) -> str:
    return (f"<div style='border-left: 4px solid {colour}; padding: 4px 8px; margin: 4px 0;'>"
            f"<span style='color: {colour}; font-weight: bold;' aria-hidden='true'>{symbol}</span> {inner_html}</div>")


def _message_pre(part: dict[str, Any], lang: str) -> str:
    lines = [f"<b>{html.escape(part['line'])}</b>"]
    lines += [html.escape(f"{name}: {value}") for name, value in part["headers"]]
    lines.append("")
    if part["body"]:
        lines.append(html.escape(part["body"]))
        if part["truncated"]:
            lines.append(html.escape(text(lang, "truncated", shown=len(part["body"]), total=part["body_chars"])))
    else:
        lines.append(html.escape(text(lang, "no.body")))
    return f"<pre style='{PRE}'>" + "\n".join(lines) + "</pre>"


__all__ = ["ErrorExplorer", "mask_authorization", "matching_entries", "reason_text", "sdk_would_retry", "text"]

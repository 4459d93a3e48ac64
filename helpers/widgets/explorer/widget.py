"""The explorer widget: controls wired to sending one request (capture) and showing its story (render)."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from ...catalog import Entry, client_options, load_catalog, trigger
from ...i18n import language
from ...retry.classify import Verdict
from ...simulator import Simulator, make_client
from ...world import load_world
from . import render
from .capture import Recorder
from .controls import Dropdown, ToggleButtons
from .story import Story, tell
from .texts import text

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh")
MODES = ("catalog", "custom")
MAX_KEY_CHARS = 256  # real keys are far shorter; anything longer is a paste gone wrong
MAX_MODEL_CHARS = 200
PROMPT = "Hello"


class ErrorExplorer:
    """See one request's whole story: raw exchange, SDK exception, cause, fix and retry advice.

    Controls (public, drivable from code): `mode` ("catalog" or "custom"), `entry` (catalog entry id),
    `key`, `model`, `organization` (for your own request) and `language` ("en" or "zh").
    Outputs: the HTML widgets `notice`, `summary`, `raw_view`, `exception_view`, `advice_view`, and the
    state `exchange`, `error`, `result`, `verdict`, `message` (and `story`, all of it as plain data).
    """

    def __init__(self, lang: str | None = None, seed: int = 0):
        """`lang` ("en" or "zh") is the language it starts in; by default the course's (`helpers.i18n.language()`)."""
        if lang is None:
            lang = language() if language() in LANGUAGES else "en"
        self.seed = seed
        self.catalog = load_catalog()
        self._by_id = {entry.id: entry for entry in self.catalog}
        world = load_world()
        self._demo_keys = sorted(world.keys)
        self._demo_models = sorted(world.models)
        self._busy = True  # no renders until everything exists
        self._pending: tuple[str, dict] | None = None
        self._shown_lang: str | None = None
        self._reset()

        if lang not in LANGUAGES:
            self._pending = ("msg.unknown.language", {"value": _short_repr(lang)})
            lang = "en"
        style = {"description_width": "initial"}
        self.language = ToggleButtons(
            options=[("English", "en"), ("中文", "zh")],
            value=lang,
            description="Language / 语言",
            style=style,
            aliases={"English": "en", "中文": "zh", "EN": "en", "ZH": "zh"},
            on_reject=self._rejected,
        )
        mode_aliases = {text(lg, f"mode.{m}"): m for lg in LANGUAGES for m in MODES}
        mode_aliases.update({"catalog entry": "catalog", "your own request": "custom"})
        self.mode = ToggleButtons(
            options=self._mode_options(lang),
            value="catalog",
            style=style,
            aliases=mode_aliases,
            on_reject=self._rejected,
        )
        self.entry = Dropdown(
            options=self._entry_options(lang),
            value=self.catalog[0].id,
            style=style,
            layout=widgets.Layout(width="max-content", max_width="100%"),
            on_reject=self._rejected,
        )
        text_layout = widgets.Layout(width="auto", min_width="240px")
        self.key = widgets.Text(value="sk-demo-ok", continuous_update=False, style=style, layout=text_layout)
        self.model = widgets.Text(value="gpt-4o-mini", continuous_update=False, style=style, layout=text_layout)
        self.organization = widgets.Text(value="", continuous_update=False, style=style, layout=text_layout)

        self.hint, self.notice, self.summary = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.raw_view, self.exception_view, self.advice_view = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.views = (self.hint, self.notice, self.summary, self.raw_view, self.exception_view, self.advice_view)

        self.catalog_box = widgets.VBox([self.entry])
        self.custom_box = widgets.VBox(
            [
                widgets.HBox([self.key, self.model, self.organization], layout=widgets.Layout(flex_flow="row wrap")),
                self.hint,
            ]
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.language, self.mode], layout=widgets.Layout(flex_flow="row wrap")),
                self.catalog_box,
                self.custom_box,
                *self.views[1:],
            ],
        )
        for control in (self.language, self.mode, self.entry, self.key, self.model, self.organization):
            control.observe(self._changed, names="value")
        self._busy = False
        self.render()

    # -- display ---------------------------------------------------------------------------------------
    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

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
            id(widget), "msg.unknown.entry"
        )
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
        self.hint.value = render.hint_html(lang, self._demo_keys, self._demo_models, PROMPT)
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
        self.exchange: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.result: Any = None
        self.verdict: Verdict | None = None
        self.shown_entry: Entry | None = None
        self.story = Story()
        self.message = ""

    def _run_catalog(self) -> tuple[str, dict] | None:
        entry = self._by_id.get(self.entry.value)
        if entry is None:
            return ("msg.pick", {})
        self.shown_entry = entry
        options = client_options(entry)
        simulator = Simulator(seed=self.seed, **entry.trigger.get("simulator", {}))
        self._send(
            simulator,
            options,
            lambda client: _raise(trigger(entry, client)),
            entry=entry,
            repeat=int(entry.trigger.get("repeat", 1)),
        )
        return None

    def _run_custom(self) -> tuple[str, dict] | None:
        key, model, organization = self.key.value.strip(), self.model.value.strip(), self.organization.value.strip()
        problem = check_custom(key, model, organization)
        if problem is None:
            messages = [{"role": "user", "content": PROMPT}]
            self._send(
                Simulator(seed=self.seed),
                {"key": key or None, "organization": organization or None},
                lambda client: client.chat.completions.create(model=model, messages=messages),
            )
        return problem

    def _send(self, simulator: Simulator, options: dict[str, Any], call, **context) -> None:
        """Make the call through the SDK (no retries), keeping the exchange, the outcome and its story."""
        recorder = Recorder()
        client = make_client(simulator=simulator, max_retries=0, seed=self.seed, event_hooks=recorder.hooks, **options)
        try:
            try:
                self.result = call(client)
            except Exception as exc:  # whatever the SDK raises is what we came to see
                self.error = exc
            self.exchange = recorder.exchange()
        finally:
            client.close()
        self.story = tell(
            self.error,
            self.result,
            self.catalog,
            exchange=self.exchange,
            timeout=options.get("timeout"),
            seed=self.seed,
            **context,
        )
        self.verdict = self.story.verdict

    def _paint(self, lang: str) -> None:
        tag = {"zh": "zh-Hans"}.get(lang, lang)  # so the browser picks a font made for the script

        def marked(markup: str) -> str:
            return f'<div lang="{tag}">{markup}</div>' if markup else ""

        self.notice.value = marked(render.notice_html(self.message))
        views = [marked(view) for view in render.views(self.story, lang)]
        self.summary.value, self.raw_view.value, self.exception_view.value, self.advice_view.value = views


def check_custom(key: str, model: str, organization: str) -> tuple[str, dict] | None:
    """What is wrong with your own request before sending it (a text id and its values), or None."""
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
    return None


def _raise(error: Exception | None) -> None:
    if error is not None:
        raise error


def _plain_ascii(value: str) -> bool:
    return all(33 <= ord(ch) <= 126 for ch in value)


def _short_repr(value: Any, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


__all__ = ["LANGUAGES", "MODES", "ErrorExplorer", "check_custom"]

"""What the dashboards share: controls that wrap, an inline message with the Run button beside it, an
"updating" sign, a figure drawn at the size it is shown (and updated in place), a compact table below it, and
results cached by their settings."""

from __future__ import annotations

import asyncio
import html
from collections import OrderedDict
from collections.abc import Callable, Mapping

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..fonts import CJK_FONTS
from ..i18n import translated
from ..plots import DPI, WIDTH_PX, html_lang  # DPI, WIDTH_PX: the size figures are drawn and shown at

DEBOUNCE_S = 0.0  # sliders send their value when a drag ends (continuous_update=False); keys and clicks act at once
CACHE_SIZE = 32

# Theme variables of JupyterLab, so the tables, messages and dimmed state read in the light and the dark theme.
STYLE = """<style>
.dash-output { display: flex !important; flex-flow: row wrap !important; align-items: flex-start; column-gap: 16px; }
.dash-output .widget-html-content { line-height: 1.35; }
.dash-output { transition: opacity 0.1s; }
.dash-grid { display: grid !important; grid-template-columns: repeat(auto-fill, 290px); column-gap: 8px; }
.dash-stale { opacity: 0.35; filter: grayscale(0.6); }
.dash-status { font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color2, #555); min-height: 1.4em; }
.dash-table { border-collapse: collapse; font-size: var(--jp-ui-font-size1, 13px);
  color: var(--jp-ui-font-color1, #222); font-variant-numeric: tabular-nums; margin: 4px 0; }
.dash-table caption { text-align: left; color: var(--jp-ui-font-color2, #555); padding: 2px 0; }
.dash-table th, .dash-table td { padding: 2px 10px; border-bottom: 1px solid var(--jp-border-color2, #ddd);
  white-space: nowrap; }
.dash-table th { text-align: left; font-weight: 600; }
.dash-table td { text-align: right; }
.dash-output > .widget-html { min-width: 0; max-width: 100%; }
.dash-output .widget-html-content { max-width: 100%; }
.dash-scroll { overflow-x: auto; max-width: 100%; }
.dash-scroll .dash-table tr > th:first-child { position: sticky; left: 0; background: var(--jp-layout-color0, #fff); }
.dash-figure img { display: block; background: #fff; border-radius: 2px; }
.jp-mod-dark .dash-figure img, [data-jp-theme-light="false"] .dash-figure img { filter: brightness(0.88); }
.dash-controls .widget-readout { min-width: 4.5em; }
.dash-toggle .widget-toggle-button.mod-active, .dash-toggle button.mod-active {
  outline: 2px solid var(--jp-brand-color1, #1976d2); font-weight: 600; }
</style>"""


def cjk_style() -> str:
    """For a dashboard in Chinese: its controls' labels (which cannot carry a lang attribute) in a Simplified
    Chinese font, listed after JupyterLab's own, so the browser draws the mainland forms."""
    fonts = ", ".join(f'"{font}"' for font in CJK_FONTS)
    return f"<style>.dash-zh, .dash-zh * {{ font-family: var(--jp-ui-font-family), {fonts}, sans-serif; }}</style>"


class Debounced:
    """Call `fn` once the controls have been still for `delay` seconds; a burst of moves gives one render with
    the last values, never a queue of stale ones. Outside a running event loop (tests, plain scripts) or with
    delay 0 it calls at once."""

    def __init__(self, fn: Callable[[], None], delay: float = DEBOUNCE_S):
        self.fn, self.delay = fn, delay
        self._pending: asyncio.TimerHandle | None = None

    def __call__(self, *_ignored) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or self.delay <= 0:
            self.fn()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._pending = None
        self.fn()


def message_html(text: str, kind: str = "warning") -> str:
    if not text:
        return ""
    colour = {"warning": "#D55E00", "info": "#0072B2"}[kind]
    return (
        f'<div role="alert"{html_lang()} style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0;'
        f'color:var(--jp-ui-font-color1,#222)">{html.escape(text)}</div>'
    )


def _status_html(status: str) -> str:
    lang = html_lang()
    return f"<span{lang}>{html.escape(status)}</span>" if lang else html.escape(status)


def table_html(rows: Mapping[str, Mapping[str, str]] | list[tuple[str, str]], caption: str = "") -> str:
    """A compact table: either (label, value) pairs, or {column: {label: value}} for side-by-side columns."""
    head = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    table = f'<table class="dash-table"{html_lang()}>'
    if isinstance(rows, list):
        body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"{table}{head}{body}</table>"
    columns = list(rows)
    labels = list(dict.fromkeys(label for col in rows.values() for label in col))
    header = "<tr><th></th>" + "".join(f'<th style="text-align:right">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        f"<tr><th>{html.escape(label)}</th>"
        + "".join(f"<td>{html.escape(rows[c].get(label, ''))}</td>" for c in columns)
        + "</tr>"
        for label in labels
    )
    # side by side, the columns may be wider than a narrow notebook: scroll them under a label column that stays
    return f'<div class="dash-scroll">{table}{head}{header}</tr>{body}</table></div>'


def metrics_rows(metrics) -> list[tuple[str, str]]:
    """The metrics of a load run as (label, value) pairs for a table, in the course's language."""

    def number(x: float) -> str:
        return "–" if x != x else f"{x:.1f}"

    def seconds(x: float) -> str:
        return "–" if x != x else f"{x:.1f} s"

    return [
        (
            translated("dashboards", "metrics.succeeded", "succeeded"),
            translated(
                "dashboards",
                "metrics.succeeded.value",
                "{successes:,} of {requests:,}",
                successes=metrics.successes,
                requests=metrics.requests,
            ),
        ),
        (translated("dashboards", "metrics.given_up", "given up"), f"{metrics.gave_up:,}"),
        (translated("dashboards", "metrics.unfinished", "unfinished"), f"{metrics.unfinished:,}"),
        (translated("dashboards", "metrics.attempts", "attempts"), f"{metrics.attempts:,}"),
        (translated("dashboards", "metrics.rate_limited", "429s received"), f"{metrics.rate_limited:,}"),
        (
            translated("dashboards", "metrics.amplification", "attempts per success"),
            "∞" if metrics.amplification == float("inf") else f"{metrics.amplification:.2f}",
        ),
        (translated("dashboards", "metrics.goodput", "goodput (share of limit)"), f"{metrics.goodput_share:.0%}"),
        (
            translated("dashboards", "metrics.latency", "latency p50 / p95 / p99"),
            " / ".join(f"{v:.1f}" for v in (metrics.latency_p50, metrics.latency_p95))
            + " / "
            + seconds(metrics.latency_p99),
        ),
        (translated("dashboards", "metrics.drain", "time to drain"), seconds(metrics.drain_time_s)),
        (translated("dashboards", "metrics.wasted", "calls wasted (never succeed)"), f"{metrics.wasted:,}"),
    ]


def control_style(width: str = "290px") -> dict:
    """Keyword arguments for a control: a fixed width so that the controls wrap in columns, aligned labels."""
    import ipywidgets as w

    return dict(style={"description_width": "125px"}, layout=w.Layout(width=width))


def slider_style() -> dict:
    """A slider that sends its value when a drag ends (one render per drag) and on every key step at once."""
    return dict(continuous_update=False, **control_style())


def clear_axes(ax: Axes) -> None:
    """Remove what a plot drew on `ax` but keep the axes, its ticks and its spines, so that redrawing into it
    costs less than a new figure."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    ax.set_prop_cycle(None)
    ax.set_autoscale_on(True)
    ax.relim()
    ax.set_title("")
    ax.set_yscale("linear")


class Dashboard:
    """The shape every dashboard shares: controls that re-render, an inline message with the Run button beside
    it, an "updating" sign, one figure updated in place with alt text, and a table below it. While an update is
    pending, or when the settings cannot run, the last figure and table are dimmed and marked out of date.

    Subclasses build their controls, then implement `compute` (raise ValueError for settings that cannot run),
    `axes(fig)` (the figure's panels, made once), `draw(result, axes)` and `table`."""

    FIGSIZE, DPI = (WIDTH_PX / DPI, 4.4), DPI  # inches; WIDTH_PX wide as shown

    def _setup(self, controls: list, debounce: float, main: list, more: list = (), extra: list = ()) -> None:
        """`main` are shown, `more` are folded under "more settings"; `extra` (buttons, progress) sit beside the
        message. All of `controls` re-render on change."""
        import ipywidgets as w

        self.controls = controls
        self.message = w.HTML()
        self.status = w.HTML()
        self.status.add_class("dash-status")
        self.figure_html = w.HTML()
        self.figure_html.add_class("dash-figure")
        self.table_html = w.HTML()
        self.result = None
        self.figure = None
        self._axes = None
        self.renders = 0
        self._cache: OrderedDict = OrderedDict()
        # a grid of fixed-width cells: as many columns as fit (3 at 1366 px, 2 at 1024 px), labels aligned
        boxes = [w.Box(list(main)), w.Box(list(more))]
        for box in boxes:
            box.add_class("dash-grid")
        chinese = bool(html_lang())
        parts = [w.HTML(STYLE + cjk_style() if chinese else STYLE), boxes[0]]
        if more:
            folded = w.Accordion(children=[boxes[1]], selected_index=None)
            folded.set_title(0, translated("dashboards", "dashboard.more_settings", "more settings"))
            parts.append(folded)
        parts.append(
            w.HBox([*extra, self.message, self.status], layout=w.Layout(align_items="center", flex_flow="row wrap"))
        )
        self.output = w.Box([self.figure_html, self.table_html])  # the table beside the figure if it fits
        self.output.add_class("dash-output")
        self.widget = w.VBox(parts + [self.output])
        self.widget.add_class("dash-controls")
        if chinese:
            self.widget.add_class("dash-zh")
        self._quiet = False
        self._changed = Debounced(self._on_change, debounce)
        for control in controls:
            control.observe(self._control_moved, names="value")

    def _control_moved(self, _change) -> None:
        if self._quiet:
            return
        self.mark_stale(translated("dashboards", "dashboard.updating", "updating…"))
        self._changed()

    def mark_stale(self, status: str | None = None) -> None:
        """Dim the figure and table and say why (by default: they are out of date)."""
        if status is None:
            status = translated(
                "dashboards", "dashboard.stale", "out of date: the figure and table show the last settings that ran"
            )
        self.output.add_class("dash-stale")
        self.status.value = _status_html(status)

    def _mark_current(self) -> None:
        self.output.remove_class("dash-stale")
        self.status.value = ""

    def _start(self, values: dict) -> None:
        """The first render, with any starting values."""
        if values:
            self.set(**values)
        else:
            self._on_change()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def set(self, **values) -> None:
        """Set controls by name, then re-render once, at once: after `set`, `.result` and the figure are
        up to date."""
        import ipywidgets as w

        for name in values:
            control = getattr(self, name, None)
            if not isinstance(control, w.ValueWidget) or control not in self.controls:
                names = ", ".join(n for n, v in vars(self).items() if v in self.controls)
                raise ValueError(f"no control called {name!r}; the controls are: {names}")
        self._quiet = True
        try:
            for name, value in values.items():
                getattr(self, name).value = value
        finally:
            self._quiet = False
        if values:
            self._on_change()

    def _on_change(self, *_ignored) -> None:
        self.render()

    def settings(self) -> tuple:
        """What the result depends on: the value of every control."""
        return tuple(control.value for control in self.controls)

    def _compute_cached(self):
        key = self.settings()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = self.compute()
        self._cache[key] = result
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def render(self) -> None:
        from .. import plots

        self.status.value = _status_html(translated("dashboards", "dashboard.updating", "updating…"))
        try:
            self.result = self._compute_cached()
        except ValueError as exc:
            self.message.value = message_html(
                translated("dashboards", "dashboard.cannot_run", "These settings cannot run: {error}", error=exc)
            )
            self.mark_stale()
            return
        self.message.value = ""
        self.figure = self.redraw(self.result)
        self.figure_html.value = plots.to_html(self.figure, dpi=DPI, width=WIDTH_PX)
        self.table_html.value = self.table(self.result)
        self.renders += 1
        self._mark_current()

    def fresh_figure(self, result) -> Figure:
        """The figure of `result` drawn on a new figure: what `redraw` must equal."""
        fig = Figure(figsize=self.FIGSIZE, dpi=DPI)
        self.draw(result, self.axes(fig))
        return fig

    def redraw(self, result) -> Figure:
        """Draw `result` into the dashboard's one figure, keeping its axes (made on the first call)."""
        if self._axes is None:
            self._fig = Figure(figsize=self.FIGSIZE, dpi=DPI)
            self._axes = self.axes(self._fig)
        else:
            for ax in self._axes:
                clear_axes(ax)
            for legend in list(self._fig.legends):
                legend.remove()
        self.draw(result, self._axes)
        return self._fig

    def compute(self):
        raise NotImplementedError

    def axes(self, fig: Figure) -> list[Axes]:
        raise NotImplementedError

    def draw(self, result, axes: list[Axes]) -> None:
        raise NotImplementedError

    def table(self, result) -> str:
        raise NotImplementedError

"""What the dashboards share: debounced re-rendering without a backlog, inline messages, tables."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable, Mapping

DEBOUNCE_S = 0.15


class Debounced:
    """Call `fn` once the controls have been still for `delay` seconds; a burst of slider moves gives one
    render with the last values, never a queue of stale ones. Outside a running event loop (tests, plain
    scripts) or with delay 0 it calls at once."""

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
        f'<div role="alert" style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0">'
        f"{html.escape(text)}</div>"
    )


def table_html(rows: Mapping[str, Mapping[str, str]] | list[tuple[str, str]], caption: str = "") -> str:
    """A small table: either (label, value) pairs, or {column: {label: value}} for side-by-side columns."""
    style = 'style="border-collapse:collapse;font-size:90%"'
    cell = 'style="padding:2px 10px;border-bottom:1px solid #ddd;text-align:{}"'
    head = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    if isinstance(rows, list):
        body = "".join(
            f"<tr><th {cell.format('left')}>{html.escape(k)}</th><td {cell.format('right')}>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table {style}>{head}{body}</table>"
    columns = list(rows)
    labels = list(dict.fromkeys(label for col in rows.values() for label in col))
    header = "<tr><th></th>" + "".join(f"<th {cell.format('right')}>{html.escape(c)}</th>" for c in columns) + "</tr>"
    body = "".join(
        f"<tr><th {cell.format('left')}>{html.escape(label)}</th>"
        + "".join(f"<td {cell.format('right')}>{html.escape(rows[c].get(label, ''))}</td>" for c in columns)
        + "</tr>"
        for label in labels
    )
    return f"<table {style}>{head}{header}{body}</table>"


def metrics_rows(metrics) -> list[tuple[str, str]]:
    """The metrics of a load run as (label, value) pairs for a table."""

    def seconds(x: float) -> str:
        return "–" if x != x else f"{x:.1f} s"

    return [
        ("requests that succeeded", f"{metrics.successes} of {metrics.requests}"),
        ("requests given up", str(metrics.gave_up)),
        ("requests unfinished", str(metrics.unfinished)),
        ("attempts", str(metrics.attempts)),
        ("429 rate limits received", str(metrics.rate_limited)),
        ("attempts per success", "∞" if metrics.amplification == float("inf") else f"{metrics.amplification:.2f}"),
        ("goodput (share of the limit)", f"{metrics.goodput_share:.0%}"),
        (
            "latency p50 / p95 / p99",
            " / ".join(seconds(v) for v in (metrics.latency_p50, metrics.latency_p95, metrics.latency_p99)),
        ),
        ("time to drain", seconds(metrics.drain_time_s)),
        ("calls wasted on errors that never succeed", str(metrics.wasted)),
    ]


class Dashboard:
    """The shape every dashboard shares: controls that re-render (debounced), an inline message line, a
    figure with alt text and a table. Subclasses build their controls, then implement `compute` (raise
    ValueError for settings that cannot run), `draw` and `table`."""

    FIGSIZE, DPI = (8.5, 6.5), 72

    def _setup(self, controls: list, debounce: float, layout: Callable[[list], object]) -> None:
        import ipywidgets as w

        self.controls = controls
        self.message = w.HTML()
        self.figure_html = w.HTML()
        self.table_html = w.HTML()
        self.result = None
        self.figure = None
        self.renders = 0
        self.widget = w.VBox([layout(controls), self.message, w.HBox([self.figure_html, self.table_html])])
        self._quiet = False
        self._changed = Debounced(self._on_change, debounce)
        for control in controls:
            control.observe(lambda change: None if self._quiet else self._changed(), names="value")

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
        up to date (a learner's own moves are debounced instead)."""
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

    def render(self) -> None:
        from .. import plots

        try:
            self.result = self.compute()
        except ValueError as exc:
            self.message.value = message_html(f"These settings cannot run: {exc}")
            return
        self.message.value = ""
        self.figure = self.draw(self.result)
        self.figure_html.value = plots.to_html(self.figure, dpi=self.DPI)
        self.table_html.value = self.table(self.result)
        self.renders += 1

    def compute(self):
        raise NotImplementedError

    def draw(self, result):
        raise NotImplementedError

    def table(self, result) -> str:
        raise NotImplementedError

"""The backoff lab: choose a retry strategy and a load, and watch every retry land against the limit.

Plots and metrics follow every change at once (a slider sends its value when a drag ends, so a drag gives one
render, not a queue). Small experiments run at once; large ones wait for the Run button and show a progress
bar. Invalid settings show a message, never a traceback, and dim the last figure. Everything can be driven from
code: `lab.set(clients=50)`.
"""

from __future__ import annotations

import ipywidgets as w
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from ..i18n import translated
from ..retry import STRATEGIES, MaxAttempts, RetryAfter, RetryPolicy, get_strategy
from ..retry.strategies import shown_label
from .common import DEBOUNCE_S, Dashboard, control_style, message_html, metrics_rows, slider_style, table_html

LARGE = 2500  # clients × requests × attempts above which the lab waits for the Run button

# Ranges over orders of magnitude move in round, roughly logarithmic steps.
BASES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
CAPS = (0.5, 1.0, 2.0, 5.0, 10.0, 16.0, 30.0, 50.0, 60.0, 120.0, 300.0)
RPMS = (6, 10, 20, 30, 60, 100, 200, 300, 600)
TPMS = (1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 100_000, 200_000, 500_000, 1_000_000)
TOKENS = (10, 20, 50, 100, 200, 500, 1_000, 2_000, 4_000, 8_000)


def preset_slider(description: str, values, value, unit: str = ""):
    """A slider over round values spread over orders of magnitude, its readout with thousands separators."""
    options = [(f"{v:,g}{unit}", v) for v in values]
    return w.SelectionSlider(description=description, options=options, value=value, **slider_style())


def dashboard_policy(strategy: str, base: float, cap: float, max_attempts: int, retry_after: bool) -> RetryPolicy:
    """A retry policy from a dashboard's choices: a registered strategy (by name or label), optionally wrapped
    to honour Retry-After, and a cap on attempts. Raises ValueError, naming the parameter, for nonsense."""
    chosen = get_strategy(strategy)
    try:
        backoff = chosen.backoff(base, cap)
    except ValueError as exc:
        if base > cap:  # the policy's rule, said in the course's language
            raise ValueError(
                translated(
                    "dashboards",
                    "backoff.base_above_cap",
                    "base ({base!r}) must not be above cap ({cap!r})",
                    base=base,
                    cap=cap,
                )
            ) from exc
        raise
    if retry_after and not chosen.honours_retry_after:
        backoff = RetryAfter(backoff)
    return RetryPolicy(backoff, (MaxAttempts(max_attempts),))


MAX_TOKENS = 100  # the completion tokens every dashboard request asks for


def load_kwargs(dashboard) -> dict:
    """The arguments of `run_load` that a dashboard's load controls (from `load_controls`) stand for."""
    return dict(
        clients=dashboard.clients.value,
        requests_per_client=dashboard.requests.value,
        prompt_tokens=dashboard.tokens.value,
        max_tokens=MAX_TOKENS,
        rpm=dashboard.rpm.value,
        tpm=dashboard.tpm.value,
        seed=dashboard.seed.value,
    )


def load_controls() -> dict:
    """Sliders for the load and the limits, shared by the dashboards."""
    return dict(
        clients=w.IntSlider(
            description=translated("dashboards", "load.clients", "clients"), value=20, min=1, max=100, **slider_style()
        ),
        requests=w.IntSlider(
            description=translated("dashboards", "load.requests", "requests each"),
            value=3,
            min=1,
            max=5,
            **slider_style(),
        ),
        rpm=preset_slider(translated("dashboards", "load.rpm", "limit (req/min)"), RPMS, 30),
        tpm=preset_slider(translated("dashboards", "load.tpm", "limit (tokens/min)"), TPMS, 40_000),
        tokens=preset_slider(translated("dashboards", "load.tokens", "prompt (tokens)"), TOKENS, 200),
        seed=w.IntText(description=translated("dashboards", "load.seed", "seed"), value=0, **control_style("200px")),
    )


def max_attempts_slider():
    return w.IntSlider(
        description=translated("dashboards", "backoff.max_attempts", "max attempts"),
        value=6,
        min=1,
        max=10,
        **slider_style(),
    )


def backoff_controls() -> dict:
    return dict(
        strategy=w.Dropdown(
            description=translated("dashboards", "backoff.strategy", "strategy"),
            value="full_jitter",
            options=[(shown_label(s.name), s.name) for s in STRATEGIES.values()],
            **control_style(),
        ),
        retry_after=w.Checkbox(
            description=translated("dashboards", "backoff.retry_after", "honour Retry-After"),
            value=False,
            indent=False,
            layout=w.Layout(width="290px"),
        ),
        base=preset_slider(translated("dashboards", "backoff.base", "base"), BASES, 0.5, " s"),
        cap=preset_slider(translated("dashboards", "backoff.cap", "cap"), CAPS, 16.0, " s"),
        max_attempts=max_attempts_slider(),
    )


class BackoffLab(Dashboard):
    SLIDERS = ("base", "cap", "max_attempts", "clients", "requests", "rpm", "tpm", "tokens")
    LOAD_SLIDERS = ("max_attempts", "clients", "requests", "tokens")
    FIGSIZE = (6.0, 4.6)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        backoff, load = backoff_controls(), load_controls()
        for name, control in {**backoff, **load}.items():
            setattr(self, name, control)
        self.throttle = w.Checkbox(
            description=translated("dashboards", "backoff.throttle", "client-side throttle"),
            value=False,
            indent=False,
            layout=w.Layout(width="290px"),
        )
        self.run_button = w.Button(
            description=translated("dashboards", "backoff.run", "Run"),
            button_style="primary",
            icon="play",
            layout=w.Layout(display="none", width="80px"),
        )
        self.progress = w.FloatProgress(
            min=0,
            max=1,
            description=translated("dashboards", "backoff.running", "running"),
            layout=w.Layout(display="none"),
        )
        main = [backoff[n] for n in ("strategy", "retry_after", "base", "cap", "max_attempts")]
        main += [load[n] for n in ("clients", "requests", "rpm")]
        more = [load["tpm"], load["tokens"], self.throttle, load["seed"]]
        self._setup(main + more, debounce, main, more, extra=[self.run_button, self.progress])
        self.run_button.on_click(lambda _: self.render())
        self._start(values)

    def policy(self) -> RetryPolicy:
        return dashboard_policy(
            self.strategy.value, self.base.value, self.cap.value, self.max_attempts.value, self.retry_after.value
        )

    def run_kwargs(self) -> dict:
        """The arguments of `run_load` that the current settings stand for."""
        return dict(
            **load_kwargs(self),
            policy=self.policy(),
            throttle=self.throttle.value,
        )

    @property
    def size(self) -> int:
        return self.clients.value * self.requests.value * self.max_attempts.value

    def _on_change(self, *_ignored) -> None:
        large = self.size > LARGE
        self.run_button.layout.display = "" if large else "none"
        if large and self.settings() not in self._cache:
            self.message.value = message_html(
                translated(
                    "dashboards",
                    "backoff.large",
                    "A large experiment (up to {size:,} attempts): press Run when your settings are ready.",
                    size=self.size,
                ),
                "info",
            )
            self.mark_stale()
            return
        self.render()

    def compute(self):
        kwargs = self.run_kwargs()
        if self.size <= LARGE:
            return run_load(**kwargs)
        self.progress.layout.display = ""
        try:
            return run_load(**kwargs, allow_large=True, progress=self._show_progress)
        finally:
            self.progress.layout.display = "none"

    def _show_progress(self, share: float) -> None:
        self.progress.value = share

    def axes(self, fig: Figure) -> list[Axes]:
        top, bottom = fig.subplots(2, 1, height_ratios=[2, 1], sharex=True)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.86, bottom=0.1, hspace=0.55)
        return [top, bottom]

    def draw(self, result, axes: list[Axes]) -> None:
        top, bottom = axes
        fig = top.figure
        plots.retry_timeline(result, ax=top)
        timeline_alt = fig.alt_text
        plots.goodput(result, ax=bottom)
        fig.alt_text = f"{timeline_alt} {fig.alt_text}"
        top.set_xlabel("")
        top.tick_params(labelbottom=True)
        for ax in (top, bottom):  # fewer ticks: each one costs a little on every render
            ax.locator_params(axis="x", nbins=6)
        bottom.locator_params(axis="y", nbins=4)

    def table(self, result) -> str:
        return table_html(metrics_rows(result.metrics), caption=self.caption())

    def caption(self) -> str:
        """The policy the table is about, in the course's language (in English, what `policy().describe()` says)."""
        backoff = self.policy().backoff
        return translated(
            "dashboards",
            "backoff.caption",
            "{strategy}: wait {formula}; at most {attempts} attempts",
            strategy=shown_label(backoff.name, backoff.name),
            formula=backoff.formula,
            attempts=self.max_attempts.value,
        )

"""The backoff lab: choose a retry strategy and a load, and watch every retry land against the limit.

Plots and metrics follow every change (debounced, so a fast slider gives one render, not a queue). Small
experiments run at once; large ones wait for the Run button and show a progress bar. Invalid settings
show a message, never a traceback. Everything can be driven from code: `lab.set(clients=50)`.
"""

from __future__ import annotations

import ipywidgets as w
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from ..retry import STRATEGIES, MaxAttempts, RetryAfter, RetryPolicy, get_strategy
from .common import DEBOUNCE_S, Dashboard, message_html, metrics_rows, table_html

LARGE = 2500  # clients × requests × attempts above which the lab waits for the Run button
STYLE = dict(style={"description_width": "150px"}, layout=w.Layout(width="420px"))


def dashboard_policy(strategy: str, base: float, cap: float, max_attempts: int, retry_after: bool) -> RetryPolicy:
    """A retry policy from a dashboard's choices: a registered strategy (by name or label), optionally wrapped
    to honour Retry-After, and a cap on attempts. Raises ValueError, naming the parameter, for nonsense."""
    chosen = get_strategy(strategy)
    backoff = chosen.backoff(base, cap)
    if retry_after and not chosen.honours_retry_after:
        backoff = RetryAfter(backoff)
    return RetryPolicy(backoff, (MaxAttempts(max_attempts),))


def load_controls() -> dict:
    """Sliders for the load and the limits, shared by the dashboards."""
    return dict(
        clients=w.IntSlider(description="clients", value=20, min=1, max=100, **STYLE),
        requests=w.IntSlider(description="requests per client", value=3, min=1, max=5, **STYLE),
        rpm=w.IntSlider(description="limit (requests/min)", value=30, min=6, max=600, step=6, **STYLE),
        tpm=w.IntSlider(description="limit (tokens/min)", value=40_000, min=1_000, max=1_000_000, step=1_000, **STYLE),
        tokens=w.IntSlider(description="prompt size (tokens)", value=200, min=10, max=8_000, step=10, **STYLE),
        seed=w.IntText(description="seed", value=0, style=STYLE["style"], layout=w.Layout(width="250px")),
    )


def backoff_controls() -> dict:
    return dict(
        strategy=w.Dropdown(
            description="strategy",
            value="full_jitter",
            options=[(s.label, s.name) for s in STRATEGIES.values()],
            **STYLE,
        ),
        retry_after=w.Checkbox(description="honour Retry-After", value=False, indent=False),
        base=w.FloatSlider(description="base (s)", value=0.5, min=0.05, max=10, step=0.05, **STYLE),
        cap=w.FloatSlider(description="cap (s)", value=16, min=1, max=300, step=1, **STYLE),
        max_attempts=w.IntSlider(description="max attempts", value=6, min=1, max=10, **STYLE),
    )


class BackoffLab(Dashboard):
    SLIDERS = ("base", "cap", "max_attempts", "clients", "requests", "rpm", "tpm", "tokens")
    LOAD_SLIDERS = ("max_attempts", "clients", "requests", "tokens")

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        backoff, load = backoff_controls(), load_controls()
        for name, control in {**backoff, **load}.items():
            setattr(self, name, control)
        self.throttle = w.Checkbox(description="client-side throttle", value=False, indent=False)
        self.run_button = w.Button(
            description="Run", button_style="primary", icon="play", layout=w.Layout(display="none")
        )
        self.progress = w.FloatProgress(min=0, max=1, description="running", layout=w.Layout(display="none"))
        left = list(backoff.values())
        right = [load[n] for n in ("clients", "requests", "rpm", "tpm", "tokens")] + [self.throttle, self.seed]
        self._setup(
            left + right, debounce, lambda _: w.HBox([w.VBox(left), w.VBox(right + [self.run_button, self.progress])])
        )
        self.run_button.on_click(lambda _: self.render())
        self._start(values)

    def policy(self) -> RetryPolicy:
        return dashboard_policy(
            self.strategy.value, self.base.value, self.cap.value, self.max_attempts.value, self.retry_after.value
        )

    def run_kwargs(self) -> dict:
        """The arguments of `run_load` that the current settings stand for."""
        return dict(
            clients=self.clients.value,
            requests_per_client=self.requests.value,
            prompt_tokens=self.tokens.value,
            max_tokens=100,
            rpm=self.rpm.value,
            tpm=self.tpm.value,
            policy=self.policy(),
            throttle=self.throttle.value,
            seed=self.seed.value,
        )

    @property
    def size(self) -> int:
        return self.clients.value * self.requests.value * self.max_attempts.value

    def _on_change(self, *_ignored) -> None:
        large = self.size > LARGE
        self.run_button.layout.display = "" if large else "none"
        if large:
            self.message.value = message_html(
                f"A large experiment (up to {self.size:,} attempts): press Run when your settings are ready.", "info"
            )
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

    def draw(self, result) -> Figure:
        fig = Figure(figsize=self.FIGSIZE)  # fixed margins: constrained layout would double the render time
        top, bottom = fig.subplots(2, 1, height_ratios=[2, 1])
        fig.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.08, hspace=0.32)
        plots.retry_timeline(result, ax=top)
        timeline_alt = fig.alt_text
        plots.goodput(result, ax=bottom)
        fig.alt_text = f"{timeline_alt} {fig.alt_text}"
        for ax in (top, bottom):  # fewer ticks: each one costs a little on every render
            ax.locator_params(axis="x", nbins=6)
        bottom.locator_params(axis="y", nbins=4)
        return fig

    def table(self, result) -> str:
        return table_html(metrics_rows(result.metrics), caption=self.policy().describe())

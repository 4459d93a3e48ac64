"""Throttle lab: reacting to 429s with backoff, against pacing requests before they fail (a client-side
throttle fed by the server's headers), on the same load and seed."""

from __future__ import annotations

import ipywidgets as w
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from .backoff_lab import MAX_TOKENS, dashboard_policy, load_controls, load_kwargs
from .common import DEBOUNCE_S, Dashboard, control_style, metrics_rows, slider_style, table_html
from .race import strategy_choices

LABELS = ("reactive: backoff after 429s", "proactive: throttle from the headers")


class ThrottleLab(Dashboard):
    FIGSIZE = (6.0, 4.6)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        self.backoff = w.Dropdown(
            description="backoff", value="full jitter", options=list(strategy_choices()), **control_style()
        )
        self.headroom = w.FloatSlider(
            description="throttle headroom", value=0.9, min=0.5, max=1.0, step=0.05, **slider_style()
        )
        self.max_attempts = w.IntSlider(description="max attempts", value=6, min=1, max=10, **slider_style())
        load = load_controls()
        for name, control in load.items():
            setattr(self, name, control)
        main = [self.backoff, self.headroom, self.max_attempts, load["clients"], load["requests"], load["rpm"]]
        more = [load[n] for n in ("tpm", "tokens", "seed")]
        self._setup(main + more, debounce, main, more)
        self._start(values)

    def compute(self) -> dict:
        strategy, retry_after = strategy_choices()[self.backoff.value]
        common = dict(**load_kwargs(self), throttle_headroom=self.headroom.value)
        if self.tokens.value + MAX_TOKENS > self.tpm.value:
            raise ValueError(
                f"a request of {self.tokens.value + MAX_TOKENS} tokens can never fit {self.tpm.value} tokens "
                "per minute; make the prompt smaller or the limit larger"
            )
        results = {}
        for label, throttle in zip(LABELS, (False, True)):
            policy = dashboard_policy(strategy, 0.5, 16.0, self.max_attempts.value, retry_after)
            results[label] = run_load(policy=policy, throttle=throttle, **common)
        return results

    def axes(self, fig: Figure) -> list[Axes]:
        axes = fig.subplots(2, 1, sharex=True, sharey=True)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.1, hspace=0.75)
        return list(axes)

    def draw(self, results: dict, axes: list[Axes]) -> None:
        fig = axes[0].figure
        alts = []
        for ax, (label, result) in zip(axes, results.items()):
            plots.goodput(result, ax=ax, title=label)
            alts.append(f"{label}: {fig.alt_text}")
        top = max(ax.get_ylim()[1] for ax in axes)  # the same scale for both, so they compare at a glance
        axes[0].set_ylim(0, top)
        axes[0].tick_params(labelbottom=True)
        axes[0].set_xlabel("")
        fig.alt_text = " ".join(alts)

    def table(self, results: dict) -> str:
        columns = {name.split(":")[0]: dict(metrics_rows(result.metrics)) for name, result in results.items()}
        return table_html(columns, caption="same load, same seed")

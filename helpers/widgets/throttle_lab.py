"""Throttle lab: reacting to 429s with backoff, against pacing requests before they fail (a client-side
throttle fed by the server's headers), on the same load and seed."""

from __future__ import annotations

import ipywidgets as w
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from .backoff_lab import STYLE, dashboard_policy, load_controls
from .common import DEBOUNCE_S, Dashboard, metrics_rows, table_html
from .race import strategy_choices

LABELS = ("reactive: backoff after 429s", "proactive: throttle from the headers")


class ThrottleLab(Dashboard):
    FIGSIZE = (9.5, 6.5)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        self.backoff = w.Dropdown(description="backoff", value="full jitter", options=list(strategy_choices()), **STYLE)
        self.headroom = w.FloatSlider(description="throttle headroom", value=0.9, min=0.5, max=1.0, step=0.05, **STYLE)
        self.max_attempts = w.IntSlider(description="max attempts", value=6, min=1, max=10, **STYLE)
        load = load_controls()
        for name, control in load.items():
            setattr(self, name, control)
        left = [self.backoff, self.headroom, self.max_attempts, load["seed"]]
        right = [load[n] for n in ("clients", "requests", "rpm", "tpm", "tokens")]
        self._setup(left + right, debounce, lambda _: w.HBox([w.VBox(left), w.VBox(right)]))
        self._start(values)

    def compute(self) -> dict:
        strategy, retry_after = strategy_choices()[self.backoff.value]
        common = dict(
            clients=self.clients.value,
            requests_per_client=self.requests.value,
            prompt_tokens=self.tokens.value,
            max_tokens=100,
            rpm=self.rpm.value,
            tpm=self.tpm.value,
            seed=self.seed.value,
            throttle_headroom=self.headroom.value,
        )
        if self.tokens.value + 100 > self.tpm.value:
            raise ValueError(
                f"a request of {self.tokens.value + 100} tokens can never fit {self.tpm.value} tokens "
                "per minute; make the prompt smaller or the limit larger"
            )
        results = {}
        for label, throttle in zip(LABELS, (False, True)):
            policy = dashboard_policy(strategy, 0.5, 16.0, self.max_attempts.value, retry_after)
            results[label] = run_load(policy=policy, throttle=throttle, **common)
        return results

    def draw(self, results: dict) -> Figure:
        fig = Figure(figsize=self.FIGSIZE)
        axes = fig.subplots(2, 1, sharex=True)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.94, bottom=0.08, hspace=0.3)
        alts = []
        for ax, (label, result) in zip(axes, results.items()):
            plots.goodput(result, ax=ax)
            ax.set_title(f"{label}: {ax.get_title()}", fontsize=9)
            alts.append(f"{label}: {fig.alt_text}")
        fig.alt_text = " ".join(alts)
        return fig

    def table(self, results: dict) -> str:
        columns = {name.split(":")[0]: dict(metrics_rows(result.metrics)) for name, result in results.items()}
        return table_html(columns, caption="Same load, same seed")

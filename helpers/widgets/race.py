"""Strategy race: two to four retry strategies side by side, on the same seed and the same load."""

from __future__ import annotations

import ipywidgets as w
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from ..retry import STRATEGIES
from .backoff_lab import STYLE, dashboard_policy, load_controls
from .common import DEBOUNCE_S, Dashboard, metrics_rows, table_html


def strategy_choices() -> dict[str, tuple[str, bool]]:
    """What a lane can run, from the registry: label -> (strategy name, honour Retry-After). Each strategy
    that does not read Retry-After by itself also comes in a variant that does."""
    plain = {s.label: (s.name, False) for s in STRATEGIES.values()}
    wrapped = {f"{s.label} + Retry-After": (s.name, True) for s in STRATEGIES.values() if not s.honours_retry_after}
    return {**plain, **wrapped}


NONE = "—"


class StrategyRace(Dashboard):
    FIGSIZE = (9.5, 6.5)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        defaults = ["exponential", "full jitter", NONE, NONE]
        self.lanes = [
            w.Dropdown(
                description=f"strategy {i + 1}",
                value=v,
                options=list(strategy_choices()) + ([NONE] if i >= 2 else []),
                **STYLE,
            )
            for i, v in enumerate(defaults)
        ]
        for i, lane in enumerate(self.lanes):
            setattr(self, f"strategy{i + 1}", lane)
        self.base = w.FloatSlider(description="base (s)", value=0.5, min=0.05, max=10, step=0.05, **STYLE)
        self.cap = w.FloatSlider(description="cap (s)", value=16, min=1, max=300, step=1, **STYLE)
        self.max_attempts = w.IntSlider(description="max attempts", value=6, min=1, max=10, **STYLE)
        load = load_controls()
        for name, control in load.items():
            setattr(self, name, control)
        left = [*self.lanes, self.base, self.cap, self.max_attempts]
        right = [load[n] for n in ("clients", "requests", "rpm", "tpm", "tokens", "seed")]
        self._setup(left + right, debounce, lambda _: w.HBox([w.VBox(left), w.VBox(right)]))
        self._start(values)

    def chosen(self) -> list[str]:
        names = [lane.value for lane in self.lanes if lane.value != NONE]
        return list(dict.fromkeys(names))  # the same strategy twice runs once

    def compute(self) -> dict:
        names = self.chosen()
        if len(names) < 2:
            raise ValueError("choose at least two different strategies to race")
        choices = strategy_choices()
        results = {}
        for name in names:
            strategy, retry_after = choices[name]
            policy = dashboard_policy(strategy, self.base.value, self.cap.value, self.max_attempts.value, retry_after)
            results[name] = run_load(
                clients=self.clients.value,
                requests_per_client=self.requests.value,
                prompt_tokens=self.tokens.value,
                max_tokens=100,
                rpm=self.rpm.value,
                tpm=self.tpm.value,
                policy=policy,
                seed=self.seed.value,
            )
        return results

    def draw(self, results: dict) -> Figure:
        fig = Figure(figsize=self.FIGSIZE)
        grid = fig.add_gridspec(2, 2, height_ratios=[1.2, 1])
        cdf = fig.add_subplot(grid[0, :])
        bars = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])]
        fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.1, hspace=0.45, wspace=0.25)
        plots.latency_cdf(results, ax=cdf)
        cdf_alt = fig.alt_text
        plots.work_and_drain(results, axes=bars)
        fig.alt_text = f"{cdf_alt}. {fig.alt_text}"
        return fig

    def table(self, results: dict) -> str:
        columns = {name: dict(metrics_rows(result.metrics)) for name, result in results.items()}
        return table_html(columns, caption="Same load, same seed")

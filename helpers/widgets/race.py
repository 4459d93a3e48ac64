"""Strategy race: two to four retry strategies side by side, on the same seed and the same load."""

from __future__ import annotations

import ipywidgets as w
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from ..i18n import translated
from ..retry import STRATEGIES
from ..retry.strategies import shown_label
from .backoff_lab import BASES, CAPS, dashboard_policy, load_controls, load_kwargs, max_attempts_slider, preset_slider
from .common import DEBOUNCE_S, Dashboard, control_style, metrics_rows, table_html


def strategy_choices() -> dict[str, tuple[str, bool]]:
    """What a lane can run, from the registry: label -> (strategy name, honour Retry-After). Each strategy
    that does not read Retry-After by itself also comes in a variant that does."""
    plain = {s.label: (s.name, False) for s in STRATEGIES.values()}
    wrapped = {f"{s.label} + Retry-After": (s.name, True) for s in STRATEGIES.values() if not s.honours_retry_after}
    return {**plain, **wrapped}


def choice_options(choices) -> list[tuple[str, str]]:
    """Dropdown options for `strategy_choices()` (or some of them): each shown in the course's language, its value
    the English label, so `set(strategy1="full jitter")` works in every language."""
    return [(shown_choice(choice), choice) for choice in choices]


def shown_choice(choice: str) -> str:
    """A choice of `strategy_choices()` as a learner reads it in the course's language."""
    name, retry_after = strategy_choices().get(choice, (choice, False))
    return shown_label(name) + (" + Retry-After" if retry_after else "")


NONE = "—"


class StrategyRace(Dashboard):
    FIGSIZE = (6.0, 4.8)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        defaults = ["exponential", "full jitter", NONE, NONE]
        self.lanes = [
            w.Dropdown(
                description=translated("dashboards", "race.lane", "strategy {number}", number=i + 1),
                value=v,
                options=choice_options(strategy_choices()) + ([(NONE, NONE)] if i >= 2 else []),
                **control_style(),
            )
            for i, v in enumerate(defaults)
        ]
        for i, lane in enumerate(self.lanes):
            setattr(self, f"strategy{i + 1}", lane)
        self.base = preset_slider(translated("dashboards", "backoff.base", "base"), BASES, 0.5, " s")
        self.cap = preset_slider(translated("dashboards", "backoff.cap", "cap"), CAPS, 16.0, " s")
        self.max_attempts = max_attempts_slider()
        load = load_controls()
        for name, control in load.items():
            setattr(self, name, control)
        main = [*self.lanes, self.base, self.cap, self.max_attempts, load["clients"], load["requests"], load["rpm"]]
        more = [load[n] for n in ("tpm", "tokens", "seed")]
        self._setup(main + more, debounce, main, more)
        self._start(values)

    def chosen(self) -> list[str]:
        names = [lane.value for lane in self.lanes if lane.value != NONE]
        return list(dict.fromkeys(names))  # the same strategy twice runs once

    def compute(self) -> dict:
        names = self.chosen()
        if len(names) < 2:
            raise ValueError(
                translated("dashboards", "race.too_few", "choose at least two different strategies to race")
            )
        choices = strategy_choices()
        results = {}
        for name in names:
            strategy, retry_after = choices[name]
            policy = dashboard_policy(strategy, self.base.value, self.cap.value, self.max_attempts.value, retry_after)
            results[shown_choice(name)] = run_load(**load_kwargs(self), policy=policy)
        return results

    def axes(self, fig: Figure) -> list[Axes]:
        cdf = fig.add_subplot(fig.add_gridspec(1, 1, left=0.1, right=0.97, top=0.93, bottom=0.56)[0])
        grid = fig.add_gridspec(1, 2, left=0.34, right=0.97, top=0.38, bottom=0.1, wspace=0.1)
        left = fig.add_subplot(grid[0])
        right = fig.add_subplot(grid[1], sharey=left)
        return [cdf, left, right]

    def draw(self, results: dict, axes: list[Axes]) -> None:
        cdf, *bars = axes
        fig = cdf.figure
        plots.latency_cdf(results, ax=cdf)
        cdf_alt = fig.alt_text
        plots.work_and_drain(results, axes=bars)
        fig.suptitle("")  # the CDF's title says it; the table holds the numbers
        fig.alt_text = f"{cdf_alt}. {fig.alt_text}"

    def table(self, results: dict) -> str:
        columns = {name: dict(metrics_rows(result.metrics)) for name, result in results.items()}
        return table_html(columns, caption=translated("dashboards", "race.caption", "same load, same seed"))

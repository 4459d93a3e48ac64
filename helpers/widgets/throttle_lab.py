"""Throttle lab: reacting to 429s with backoff, against pacing requests before they fail (a client-side
throttle fed by the server's headers), on the same load and seed."""

from __future__ import annotations

import ipywidgets as w
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plots
from ..experiments.engine import run_load
from ..i18n import translated
from .backoff_lab import MAX_TOKENS, dashboard_policy, load_controls, load_kwargs, max_attempts_slider
from .common import DEBOUNCE_S, Dashboard, control_style, metrics_rows, slider_style, table_html
from .race import choice_options, strategy_choices


def labels() -> tuple[tuple[str, str], tuple[str, str]]:
    """The two runs as (label, short name for the table's columns), in the course's language."""
    return (
        (
            translated("dashboards", "throttle.reactive", "reactive: backoff after 429s"),
            translated("dashboards", "throttle.reactive.short", "reactive"),
        ),
        (
            translated("dashboards", "throttle.proactive", "proactive: throttle from the headers"),
            translated("dashboards", "throttle.proactive.short", "proactive"),
        ),
    )


class ThrottleLab(Dashboard):
    FIGSIZE = (6.0, 4.6)

    def __init__(self, *, debounce: float = DEBOUNCE_S, **values):
        self.backoff = w.Dropdown(
            description=translated("dashboards", "throttle.backoff", "backoff"),
            value="full jitter",
            options=choice_options(strategy_choices()),
            **control_style(),
        )
        self.headroom = w.FloatSlider(
            description=translated("dashboards", "throttle.headroom", "throttle headroom"),
            value=0.9,
            min=0.5,
            max=1.0,
            step=0.05,
            **slider_style(),
        )
        self.max_attempts = max_attempts_slider()
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
                translated(
                    "dashboards",
                    "throttle.never_fits",
                    "a request of {tokens} tokens can never fit {tpm} tokens per minute; make the prompt smaller or "
                    "the limit larger",
                    tokens=self.tokens.value + MAX_TOKENS,
                    tpm=self.tpm.value,
                )
            )
        results = {}
        for (label, _), throttle in zip(labels(), (False, True)):
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
            alts.append(translated("dashboards", "throttle.alt", "{label}: {alt}", label=label, alt=fig.alt_text))
        top = max(ax.get_ylim()[1] for ax in axes)  # the same scale for both, so they compare at a glance
        axes[0].set_ylim(0, top)
        axes[0].tick_params(labelbottom=True)
        axes[0].set_xlabel("")
        fig.alt_text = " ".join(alts)

    def table(self, results: dict) -> str:
        short = dict(labels())
        columns = {short.get(name, name): dict(metrics_rows(result.metrics)) for name, result in results.items()}
        return table_html(columns, caption=translated("dashboards", "race.caption", "same load, same seed"))

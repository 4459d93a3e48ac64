"""The dashboards' responsiveness in the kernel: from a value change to the figure rendered to PNG and the table
written (what the browser then receives). Each new seed is a cache miss: the experiment really runs."""

from __future__ import annotations

import statistics
import time

from matplotlib.figure import Figure

from helpers import plots
from helpers.widgets import BackoffLab, StrategyRace, ThrottleLab

from .common import report

CHANGES = 30


def _empty_render_ms() -> float:
    """Rendering an empty figure of the dashboards' size: the floor any update pays."""
    times = []
    for _ in range(10):
        started = time.perf_counter()
        fig = Figure(figsize=BackoffLab.FIGSIZE)
        fig.subplots(2, 1)
        plots.to_html(fig, dpi=BackoffLab.DPI)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _update_ms(board, values) -> list[float]:
    times = []
    for value in values:
        started = time.perf_counter()
        board.seed.value = value  # a value change: the dashboard re-runs the experiment and re-renders
        times.append((time.perf_counter() - started) * 1000)
    return times


def _top(slider):
    """A slider's largest value, for plain and preset sliders alike."""
    return slider.options[-1][1] if hasattr(slider, "options") else slider.max


def run() -> None:
    empty = _empty_render_ms()
    baseline = f"an empty figure of the same size ({empty:.0f} ms)"
    for cls, name in ((BackoffLab, "widget_update"), (StrategyRace, "race_update"), (ThrottleLab, "throttle_update")):
        board = cls(debounce=0)
        times = _update_ms(board, range(1, CHANGES + 1))
        assert board.renders == CHANGES + 1
        report(f"{name}_median_ms", statistics.median(times), "ms", empty, baseline)
        report(f"{name}_p95_ms", sorted(times)[int(0.95 * (len(times) - 1))], "ms", empty, baseline)
        revisit = _update_ms(board, range(1, 11))  # settings seen before come from the cache
        report(f"{name}_cached_median_ms", statistics.median(revisit), "ms", empty, baseline)
    largest = BackoffLab(debounce=0)
    largest.set(**{name: _top(getattr(largest, name)) for name in BackoffLab.SLIDERS})
    largest.render()  # large settings wait for the Run button; this is that click
    worst = BackoffLab(debounce=0)
    worst.set(
        **{
            **{name: _top(getattr(worst, name)) for name in BackoffLab.LOAD_SLIDERS},
            "rpm": worst.rpm.options[0][1],
            "tokens": worst.tokens.options[0][1],
        }
    )
    worst.render()
    for lab_at, label in (
        (largest, "every slider at its maximum"),
        (worst, "maximum load, the lowest requests-per-minute limit"),
    ):
        times = []
        for seed in range(1, 6):
            lab_at._quiet = True  # set the seed without rendering, then time one render (a click on Run)
            lab_at.seed.value = seed
            lab_at._quiet = False
            started = time.perf_counter()
            lab_at.render()
            times.append((time.perf_counter() - started) * 1000)
        name = "widget_update_max_settings_ms" if lab_at is largest else "widget_update_worst_case_ms"
        report(
            name,
            statistics.median(times),
            "ms",
            empty,
            f"an empty figure ({empty:.0f} ms); {label}, {lab_at.result.metrics.attempts} attempts",
        )


if __name__ == "__main__":
    run()

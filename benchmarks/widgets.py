"""The backoff lab's responsiveness: from a value change to the figure rendered to PNG."""

from __future__ import annotations

import statistics
import time

from matplotlib.figure import Figure

from helpers import plots
from helpers.widgets.backoff_lab import BackoffLab

from .common import report

CHANGES = 30


def _empty_render_ms() -> float:
    """Rendering an empty figure of the lab's size: the floor any update pays."""
    times = []
    for _ in range(10):
        started = time.perf_counter()
        fig = Figure(figsize=BackoffLab.FIGSIZE)
        fig.subplots(2, 1)
        plots.to_html(fig, dpi=BackoffLab.DPI)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _update_ms(lab: BackoffLab, values) -> list[float]:
    times = []
    for value in values:
        started = time.perf_counter()
        lab.seed.value = value  # a value change: the lab re-runs the experiment and re-renders
        times.append((time.perf_counter() - started) * 1000)
    return times


def run() -> None:
    lab = BackoffLab(debounce=0)
    empty = _empty_render_ms()
    times = _update_ms(lab, range(1, CHANGES + 1))
    assert lab.renders == CHANGES + 1
    median = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    report("widget_update_median_ms", median, "ms", empty, f"an empty figure of the same size ({empty:.0f} ms)")
    report("widget_update_p95_ms", p95, "ms", empty, f"an empty figure of the same size ({empty:.0f} ms)")
    largest = BackoffLab(debounce=0)
    largest.set(**{name: getattr(largest, name).max for name in BackoffLab.SLIDERS})
    largest.render()  # large settings wait for the Run button; this is that click
    worst = BackoffLab(debounce=0)
    worst.set(
        **{
            **{name: getattr(worst, name).max for name in BackoffLab.LOAD_SLIDERS},
            "rpm": worst.rpm.min,
            "tokens": worst.tokens.min,
        }
    )
    worst.render()
    for lab_at, label in (
        (largest, "every slider at its maximum"),
        (worst, "maximum load, the lowest requests-per-minute limit"),
    ):
        times = []
        for seed in range(1, 6):
            lab_at.seed.value = seed
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

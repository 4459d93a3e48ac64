"""The whole course, executed headless: total time, the simulated time it covers, and peak kernel memory."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from .common import report

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import resource\nfrom helpers.clock import VirtualClock\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, VirtualClock.simulated_total)"
)


def _execute(nb) -> tuple[float, float, float]:
    """(wall seconds, peak kernel MB, simulated seconds) for one notebook, with a probe cell appended."""
    nb.cells.append(new_code_cell(PROBE))
    started = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    wall = time.perf_counter() - started
    rss_kb, simulated = nb.cells[-1].outputs[-1]["text"].split()
    return wall, int(rss_kb) / 1024, float(simulated)


def run() -> None:
    empty_wall, empty_mb, _ = _execute(
        new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    )
    total_wall, peak_mb, simulated = 0.0, 0.0, 0.0
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        wall, mb, sim = _execute(nbformat.read(path, as_version=4))
        total_wall, peak_mb, simulated = total_wall + wall, max(peak_mb, mb), simulated + sim
    count = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    report(
        "notebooks_total_s",
        total_wall,
        "s",
        empty_wall * count,
        f"{count} empty notebooks, kernel start included ({empty_wall * count:.1f} s); the course covers "
        f"{simulated:,.0f} simulated seconds ({simulated / 3600:.1f} h)",
    )
    report("kernel_peak_mb", peak_mb, "MB", empty_mb, f"a kernel that ran an empty notebook ({empty_mb:.0f} MB)")


if __name__ == "__main__":
    run()

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


def _execute(nb, folder: Path = ROOT / "notebooks") -> tuple[float, float, float]:
    """(wall seconds, peak kernel MB, simulated seconds) for one notebook run in `folder`, with a probe cell
    appended."""
    nb.cells.append(new_code_cell(PROBE))
    started = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    wall = time.perf_counter() - started
    rss_kb, simulated = nb.cells[-1].outputs[-1]["text"].split()
    return wall, int(rss_kb) / 1024, float(simulated)


def run() -> None:
    empty_wall, empty_mb, _ = _execute(
        new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    )
    peak_mb = 0.0
    for name, folder in (("notebooks_total_s", ROOT / "notebooks"), ("notebooks_zh_total_s", ROOT / "notebooks/zh")):
        paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
        total_wall, simulated = 0.0, 0.0
        for path in paths:
            wall, mb, sim = _execute(nbformat.read(path, as_version=4), folder)
            total_wall, peak_mb, simulated = total_wall + wall, max(peak_mb, mb), simulated + sim
        report(
            name,
            total_wall,
            "s",
            empty_wall * len(paths),
            f"{len(paths)} empty notebooks, kernel start included ({empty_wall * len(paths):.1f} s); the course "
            f"covers {simulated:,.0f} simulated seconds ({simulated / 3600:.1f} h)",
        )
    report("kernel_peak_mb", peak_mb, "MB", empty_mb, f"a kernel that ran an empty notebook ({empty_mb:.0f} MB)")


if __name__ == "__main__":
    run()

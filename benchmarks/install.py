"""First install: `make venv` in a fresh clone, with uv (the Makefile's fast path) against plain pip (its
fallback) in the same run. Both use this machine's download caches, as a second course install would. About a
minute, so `python -m benchmarks` leaves it out: run `python -m benchmarks.install` (needs git, make, network)."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from .common import report

ROOT = Path(__file__).resolve().parent.parent


def fresh_install(*make_args: str) -> float:
    """Seconds for `make venv` in a fresh clone of the committed repository."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        started = time.perf_counter()
        subprocess.run(["make", "venv", *make_args], cwd=clone, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started


def run() -> None:
    fast = fresh_install()
    pip = fresh_install("INSTALLER=pip")
    report("install_s", fast, "s", pip, f"plain pip in the same run ({pip:.1f} s)")


if __name__ == "__main__":
    run()

"""Build the course notebooks: python tools/build_notebooks.py [NN ...]

Each notebook's cells live in tools/notebooks/nbNN_name.py (a list called CELLS); this script writes
notebooks/NN_name.ipynb from it, without outputs and with the python3 kernel. Notebook JSON is never
edited by hand: change the cells, rebuild, and execute before committing (the tests do).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent / "notebooks"
sys.path.insert(0, str(TOOLS.parent))


def sources() -> dict[str, str]:
    """notebook file name -> module name, for every tools/notebooks/nbNN_*.py."""
    return {p.stem[2:] + ".ipynb": f"tools.notebooks.{p.stem}" for p in sorted((TOOLS / "notebooks").glob("nb[0-9][0-9]_*.py"))}


def build(only: list[str] | None = None) -> list[Path]:
    written = []
    for name, module in sources().items():
        if only and not any(name.startswith(prefix) for prefix in only):
            continue
        cells = importlib.import_module(module).CELLS
        for index, cell in enumerate(cells):
            cell.id = f"cell-{index:03d}"  # stable ids: rebuilding an unchanged notebook changes nothing
        nb = new_notebook(cells=cells, metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        })
        path = ROOT / name
        nbformat.write(nb, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(sys.argv[1:] or None):
        print("wrote", path.relative_to(ROOT.parent))

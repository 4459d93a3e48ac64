"""Write each notebooks/NN_name.ipynb from its source notebooks/src/NN_name.py, and likewise each translation
of the course (notebooks/zh/src/NN_name.py -> notebooks/zh/NN_name.ipynb).

    python tools/sync_notebooks.py           # write every notebook from its source
    python tools/sync_notebooks.py --check   # exit 1, naming each committed notebook that its source would change

Why: the sources are jupytext percent-format Python, so they diff as text, ruff lints them and nobody edits
notebook JSON. The notebooks are what learners open; this script makes them reproducible: no outputs, the
python3 kernel, and cell ids taken from a hash of each cell's text, so regenerating an unchanged notebook
changes nothing and inserting a cell changes no other cell's id. (`jupytext --sync`, paired by
jupytext.toml, also works but gives new cells random ids: run this script after it.)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def render(source: Path) -> str:
    """The .ipynb text that a percent-format source produces."""
    cells = jupytext.read(source, fmt="py:percent").cells
    seen: set[str] = set()
    for cell in cells:
        cell.metadata.pop("lines_to_next_cell", None)  # jupytext's note on blank lines, no use in a notebook
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        cell.id, n = digest, 1
        while cell.id in seen:  # identical cells: the second one gets "-2", and so on
            n += 1
            cell.id = f"{digest}-{n}"
        seen.add(cell.id)
    nb = new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def course_folders() -> list[Path]:
    """notebooks/ (English), then each translation's folder, named by its language: notebooks/zh/, ..."""
    return [NOTEBOOKS, *sorted(d for d in NOTEBOOKS.iterdir() if (d / "src").is_dir())]


def pairs() -> dict[Path, Path]:
    """source -> notebook, for every NN_name.py in the src/ folder of each course folder."""
    return {
        src: folder / f"{src.stem}.ipynb"
        for folder in course_folders()
        for src in sorted((folder / "src").glob("[0-9][0-9]_*.py"))
    }


def stale() -> list[Path]:
    """The notebooks that differ from what their source produces (missing ones included)."""
    return [nb for src, nb in pairs().items() if not nb.exists() or nb.read_text(encoding="utf-8") != render(src)]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        differing = stale()
        for nb in differing:
            print(f"{nb.relative_to(NOTEBOOKS.parent)} differs from its source: run python tools/sync_notebooks.py")
        return 1 if differing else 0
    if argv:
        print(__doc__)
        return 2
    for src, nb in pairs().items():
        text = render(src)
        if not nb.exists() or nb.read_text(encoding="utf-8") != text:
            nb.write_text(text, encoding="utf-8", newline="\n")
            print("wrote", nb.relative_to(NOTEBOOKS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The notebooks' own definitions, for tests: the solutions and the helpers they lean on, read from the
plain-text sources, so a test exercises the code learners see instead of a copy of it that could drift."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import jupytext

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = NOTEBOOKS / "src"
LOAD = re.compile(r"^#\s*%load\s+(\S+)", re.M)


def solution_file(cell_source: str, folder: Path = NOTEBOOKS) -> Path:
    """The file a solution cell offers to load (`# %load solutions/NN_name.py`), relative to the notebook's
    folder (notebooks/, or notebooks/zh/ for the Chinese course)."""
    match = LOAD.search(cell_source)
    return folder / match[1] if match else folder / "solutions" / "(no %load line)"


_STUBS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DEFINITIONS = (ast.Import, ast.ImportFrom, *_STUBS)


def _is_definition(node: ast.stmt) -> bool:
    """An import, a def, a class, or an UPPER_CASE constant: what later cells lean on, nothing that runs."""
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)
    return isinstance(node, _DEFINITIONS)


@cache
def definitions(notebook: str) -> dict:
    """Run, in notebook order, the definitions in the code cells of notebooks/src/<notebook>*.py, skipping
    every statement that does something and the stubs of the exercises (an exercise's imports and constants
    are kept); a solution cell contributes the solution file it loads. Return the namespace."""
    path = next(SOURCES.glob(f"{notebook}*.py"))
    namespace: dict = {"__name__": f"notebook_{path.stem}"}
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        stub = "exercise" in tags
        code = solution_file(cell.source).read_text(encoding="utf-8") if "solution" in tags else cell.source
        for node in ast.parse(code).body:
            if not _is_definition(node) or (stub and isinstance(node, _STUBS)):
                continue
            try:
                exec(compile(ast.Module([node], []), path.name, "exec"), namespace)
            except NameError:  # a constant computed from an experiment's results: not a definition after all
                if not isinstance(node, ast.Assign):
                    raise
    return namespace

"""The floors of ARCHITECTURE.md hold: no module of `helpers` imports from a floor above its own, lazy imports
inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
FLOORS = [  # lowest first, as in ARCHITECTURE.md
    {"clock", "ratelimit", "datafile", "world", "i18n", "anatomy"},
    {"simulator"},
    {"catalog"},
    {"retry"},
    {"experiments"},
    {"fonts", "plots", "widgets", "checks", "install_check"},
]


def floor(top: str) -> int:
    return next(i for i, names in enumerate(FLOORS) if top in names)


def _top(path: Path) -> str:
    return path.relative_to(HELPERS).parts[0].removesuffix(".py")


def _imported_tops(path: Path, helpers: Path = HELPERS) -> set[str]:
    """The first name under `helpers` of everything `path` imports, relative or absolute."""
    package = path.relative_to(helpers.parent).with_suffix("").parts[:-1]
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                parts = [*base, *(node.module.split(".") if node.module else [])]
                names = [parts] if node.module else [[*parts, alias.name] for alias in node.names]
            else:
                names = [node.module.split(".")] if node.module else []
            tops |= {p[1] for p in names if len(p) > 1 and p[0] == "helpers"}
        elif isinstance(node, ast.Import):
            tops |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return tops


MODULES = sorted(p for p in HELPERS.rglob("*.py") if p.name != "__init__.py" or p.parent != HELPERS)


def test_every_module_has_a_floor():
    for path in MODULES:
        floor(_top(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(HELPERS)))
def test_no_import_runs_upward(path):
    own = floor(_top(path))
    upward = {top for top in _imported_tops(path) if floor(top) > own}
    assert not upward, f"{path.relative_to(HELPERS)} (floor {own}) imports from above: {sorted(upward)}"


def test_the_check_sees_upward_imports_lazy_relative_and_absolute(tmp_path):
    helpers = tmp_path / "helpers"
    (helpers / "retry").mkdir(parents=True)
    lazy = helpers / "clock.py"
    lazy.write_text("def f():\n    from .widgets import BackoffLab\n")
    relative = helpers / "retry" / "loop.py"
    relative.write_text("from ..experiments import run_load\nfrom . import policy\nfrom .. import plots\n")
    absolute = helpers / "world.py"
    absolute.write_text("import helpers.simulator.wire\nfrom helpers.catalog import load_catalog\n")
    assert _imported_tops(lazy, helpers) == {"widgets"}
    assert _imported_tops(relative, helpers) == {"experiments", "retry", "plots"}
    assert _imported_tops(absolute, helpers) == {"simulator", "catalog"}

"""environment.yml (Binder, conda) stays in step with pyproject.toml."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _env_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                if item.startswith("-e"):
                    continue
                name, version = re.split(r"==", item)
                pins[name] = version
        elif "=" in dep:
            name, version = dep.split("=", 1)
            pins[name] = version
    return pins


def test_every_runtime_dependency_is_pinned_to_a_minor_version_that_pyproject_accepts():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _env_pins()
    for spec in project["dependencies"]:
        req = Requirement(spec)
        assert req.name in pins, f"{req.name} is missing from environment.yml"
        pinned = pins[req.name].rstrip(".*")
        assert re.fullmatch(r"\d+\.\d+", pinned), f"pin {req.name} to a minor version, not {pins[req.name]!r}"
        assert req.specifier.contains(pinned + ".0") or req.specifier.contains(pinned + ".99"), (req.name, pinned)


def test_the_package_itself_is_installed_on_binder():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    assert "-e ." in pip

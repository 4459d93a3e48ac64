"""Install environment.yml's pins with pip into a fresh virtual environment, import the course's packages there
and load its data (checked against its schemas): proof that what Binder installs from conda-forge also exists,
and works, on PyPI."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = (
    "import jupyterlab, ipywidgets, matplotlib, httpx, openai, tenacity, jsonschema, fastjsonschema, "
    "helpers.simulator, helpers.widgets, helpers.catalog; helpers.catalog.load_catalog(); helpers.simulator.Simulator()"
)


def pip_requirements() -> list[str]:
    """environment.yml's dependencies as pip requirements (`name=4.6` becomes `name==4.6.*`)."""
    requirements, in_pip, in_dependencies = [], False, False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        item = line.strip()
        if not line.startswith(" ") and item.endswith(":"):
            in_dependencies = item == "dependencies:"
            continue
        if not in_dependencies:
            continue
        if item == "- pip:":
            in_pip = True
            continue
        if not item.startswith("- "):
            continue
        item = item[2:].strip()
        if item in ("pip", "-e .") or item.startswith("python="):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)=(\d+\.\d+)", item)
        requirements.append(f"{match[1]}=={match[2]}.*" if match and not in_pip else item)
    return requirements


def main() -> int:
    requirements = pip_requirements()
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", *requirements, "-e", str(ROOT)], check=True)
        subprocess.run([python, "-c", IMPORTS], check=True, cwd=tmp)
    print("environment.yml pins install with pip:", ", ".join(requirements))
    return 0


if __name__ == "__main__":
    sys.exit(main())

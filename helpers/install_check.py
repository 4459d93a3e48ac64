"""Install check: is everything the course needs here, and does the simulator answer?

Run `python -m helpers.install_check`, or call `run_checks()` from notebook 00. Each problem comes with its fix.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGES = {  # import name -> distribution name
    "openai": "openai",
    "httpx": "httpx",
    "ipywidgets": "ipywidgets",
    "matplotlib": "matplotlib",
    "jupyterlab": "jupyterlab",
    "jupyterlab_widgets": "jupyterlab_widgets",
}
# Server-side packages the kernel never imports: found on the path is enough (importing jupyterlab takes a second).
FOUND_ONLY = {"jupyterlab"}
FIX_INSTALL = "run `make lab` from the repository, or `pip install -e .` in this environment, then restart the kernel"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "OK  " if self.ok else "FAIL"
        text = f"{mark} {self.name}: {self.detail}"
        return text if self.ok else f"{text}\n     how to fix: {self.fix}"


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Check("Python", ok, version, "use Python 3.10 or newer")


def check_package(module: str, dist: str) -> Check:
    try:
        if module not in FOUND_ONLY:
            importlib.import_module(module)
        elif importlib.util.find_spec(module) is None:
            raise ImportError(f"No module named {module!r}")
        return Check(module, True, metadata.version(dist))
    except Exception as exc:  # ImportError, or a broken install raising something else
        return Check(module, False, f"cannot import ({exc.__class__.__name__}: {exc})", FIX_INSTALL)


def check_widget_versions() -> Check:
    """ipywidgets 8 needs the JupyterLab side of the same generation (jupyterlab_widgets 3); a mismatch shows
    "Error displaying widget" in the browser while everything looks fine in Python."""
    try:
        python_side, lab_side = metadata.version("ipywidgets"), metadata.version("jupyterlab_widgets")
    except metadata.PackageNotFoundError as exc:
        return Check("widget versions", False, f"{exc.name} is not installed", FIX_INSTALL)
    expected = {"7": "1", "8": "3"}.get(python_side.split(".")[0])
    ok = expected == lab_side.split(".")[0]
    return Check(
        "widget versions",
        ok,
        f"ipywidgets {python_side} with jupyterlab_widgets {lab_side}",
        "install matching versions: pip install 'ipywidgets>=8.1,<9' 'jupyterlab_widgets>=3,<4', "
        "then restart JupyterLab (not just the kernel)",
    )


def check_kernel() -> Check:
    """The notebooks ask for the `python3` kernel: it must be this very Python, the one with the course installed."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec("python3")
    except Exception as exc:  # no jupyter_client, or no python3 kernel at all
        return Check(
            "python3 kernel",
            False,
            f"not found ({exc.__class__.__name__})",
            "python -m ipykernel install --user --name python3  (run it with the course's Python)",
        )
    command = spec.argv[0] if spec.argv else ""
    if command in ("python", "python3", "{python}"):
        return Check("python3 kernel", True, "the default Python kernel")
    same = Path(command).resolve() == Path(sys.executable).resolve()
    return Check(
        "python3 kernel",
        same,
        f"runs {command}",
        f"the python3 kernel runs another Python than this one ({sys.executable}); run "
        f"`{sys.executable} -m ipykernel install --sys-prefix --name python3`, or start JupyterLab "
        "with `make lab`",
    )


def check_simulator() -> Check:
    try:
        from .simulator import make_client

        reply = make_client("sk-demo-ok").chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Are you there?"}]
        )
        return Check("simulated API", True, f"answered: {reply.choices[0].message.content[:40]}...")
    except Exception as exc:
        return Check("simulated API", False, f"{exc.__class__.__name__}: {exc}", FIX_INSTALL)


def interpreter_checks() -> list[Check]:
    """This Python and the course's packages in it: quick, and enough to tell whether it is the right Python."""
    return [check_python(), *(check_package(m, d) for m, d in PACKAGES.items())]


def slower_checks():
    """The rest, one by one, each run when asked for, so that its line can be printed as soon as it is known."""
    yield check_widget_versions()
    yield check_kernel()
    yield check_simulator()


def run_checks():
    """Every check, yielded as it finishes, so that notebook 00 prints each line as soon as it is known."""
    yield from interpreter_checks()
    yield from slower_checks()


ROOT = Path(__file__).resolve().parent.parent


def course_pythons() -> list[str]:
    """How to reach the interpreters that hold the course: the `.venv` that `make lab` builds (or would build),
    and the conda environment of environment.yml."""
    ways = []
    for venv_python in (ROOT / ".venv" / "bin" / "python", ROOT / ".venv" / "Scripts" / "python.exe"):
        if venv_python.exists():
            ways.append(f"run `{venv_python} -m helpers.install_check`")
    if not ways:
        ways.append("run `make lab` once (it creates .venv), then `.venv/bin/python -m helpers.install_check`")
    env_file = ROOT / "environment.yml"
    if env_file.exists():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            if line.startswith("name:"):
                ways.append(f"with conda, `conda activate {line.split(':', 1)[1].strip()}` first")
    return ways


def wrong_interpreter(checks: list[Check]) -> str | None:
    """When none of the course's packages imports, the problem is not nine packages but one interpreter: this
    Python is not the course's. Then the one sentence that says so, naming the right one; else None."""
    packages = [c for c in checks if c.name in PACKAGES]
    if any(c.ok for c in packages):
        return None
    here = Path(sys.executable)
    if ROOT / ".venv" in here.parents:
        return None  # this is the course's own .venv, just broken: the checks say what to fix
    return (
        f"This Python ({sys.executable}) is not the course's environment: none of the course's packages is "
        f"installed in it. Instead, {'; or, '.join(course_pythons())}."
    )


def main() -> int:
    checks = interpreter_checks()
    elsewhere = wrong_interpreter(checks)
    if elsewhere:
        print(elsewhere)
        return 1
    for check in checks:
        print(check.line(), flush=True)
    for check in slower_checks():
        print(check.line(), flush=True)
        checks.append(check)
    failed = [c for c in checks if not c.ok]
    print("All good: the course is ready." if not failed else f"{len(failed)} problem(s) to fix first.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Install check: is everything the course needs here, and does the simulator answer?

Run `python -m helpers.install_check`, or call `run_checks()` from notebook 00. Each problem comes with its fix.
The lines speak the course's language (helpers.i18n); each starts with `OK` or `FAIL`, in every language.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .i18n import language, translated

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


def fix_install() -> str:
    return translated(
        "install_check",
        "fix.install",
        "run `make lab` from the repository, or `pip install -e .` in this environment, then restart the kernel",
    )


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "OK  " if self.ok else "FAIL"  # the same in every language: notebooks and tests look for them
        text = translated(
            "install_check", "line", "{mark} {name}: {detail}", mark=mark, name=self.name, detail=self.detail
        )
        if self.ok:
            return text
        return text + "\n     " + translated("install_check", "line.fix", "how to fix: {fix}", fix=self.fix)


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Check("Python", ok, version, translated("install_check", "python.fix", "use Python 3.10 or newer"))


def check_package(module: str, dist: str) -> Check:
    try:
        if module not in FOUND_ONLY:
            importlib.import_module(module)
        elif importlib.util.find_spec(module) is None:
            raise ImportError(f"No module named {module!r}")
        return Check(module, True, metadata.version(dist))
    except Exception as exc:  # ImportError, or a broken install raising something else
        error = f"{exc.__class__.__name__}: {exc}"
        return Check(
            module,
            False,
            translated("install_check", "package.cannot_import", "cannot import ({error})", error=error),
            fix_install(),
        )


def check_widget_versions() -> Check:
    """ipywidgets 8 needs the JupyterLab side of the same generation (jupyterlab_widgets 3); a mismatch shows
    "Error displaying widget" in the browser while everything looks fine in Python."""
    name = translated("install_check", "widgets", "widget versions")
    try:
        python_side, lab_side = metadata.version("ipywidgets"), metadata.version("jupyterlab_widgets")
    except metadata.PackageNotFoundError as exc:
        return Check(
            name,
            False,
            translated("install_check", "widgets.missing", "{package} is not installed", package=exc.name),
            fix_install(),
        )
    expected = {"7": "1", "8": "3"}.get(python_side.split(".")[0])
    ok = expected == lab_side.split(".")[0]
    return Check(
        name,
        ok,
        translated(
            "install_check",
            "widgets.versions",
            "ipywidgets {python_side} with jupyterlab_widgets {lab_side}",
            python_side=python_side,
            lab_side=lab_side,
        ),
        translated(
            "install_check",
            "widgets.fix",
            "install matching versions: pip install 'ipywidgets>=8.1,<9' 'jupyterlab_widgets>=3,<4', "
            "then restart JupyterLab (not just the kernel)",
        ),
    )


def check_kernel() -> Check:
    """The notebooks ask for the `python3` kernel: it must be this very Python, the one with the course installed."""
    name = translated("install_check", "kernel", "python3 kernel")
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec("python3")
    except Exception as exc:  # no jupyter_client, or no python3 kernel at all
        return Check(
            name,
            False,
            translated("install_check", "kernel.not_found", "not found ({error})", error=exc.__class__.__name__),
            translated(
                "install_check",
                "kernel.install",
                "python -m ipykernel install --user --name python3  (run it with the course's Python)",
            ),
        )
    command = spec.argv[0] if spec.argv else ""
    if command in ("python", "python3", "{python}"):
        return Check(name, True, translated("install_check", "kernel.default", "the default Python kernel"))
    same = Path(command).resolve() == Path(sys.executable).resolve()
    return Check(
        name,
        same,
        translated("install_check", "kernel.runs", "runs {command}", command=command),
        translated(
            "install_check",
            "kernel.other_python",
            "the python3 kernel runs another Python than this one ({python}); run "
            "`{python} -m ipykernel install --sys-prefix --name python3`, or start JupyterLab with `make lab`",
            python=sys.executable,
        ),
    )


def check_simulator() -> Check:
    name = translated("install_check", "simulator", "simulated API")
    try:
        from .simulator import make_client

        reply = make_client("sk-demo-ok").chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Are you there?"}]
        )
        content = reply.choices[0].message.content[:40]
        return Check(
            name, True, translated("install_check", "simulator.answered", "answered: {reply}...", reply=content)
        )
    except Exception as exc:
        return Check(name, False, f"{exc.__class__.__name__}: {exc}", fix_install())


def check_language() -> Check:
    """Not a problem to find but a line to read: the language the course speaks, and how to switch."""
    if language() == "zh":
        switch = 'from helpers.i18n import set_language; set_language("en")'
    else:
        switch = 'from helpers.i18n import set_language; set_language("zh")'
    return Check(
        translated("install_check", "language", "course language"),
        True,
        translated(
            "install_check",
            "language.detail",
            "English (to switch to Chinese, run `{switch}`)",
            switch=switch,
        ),
    )


def interpreter_checks() -> list[Check]:
    """This Python and the course's packages in it: quick, and enough to tell whether it is the right Python."""
    return [check_python(), *(check_package(m, d) for m, d in PACKAGES.items())]


def slower_checks():
    """The rest, one by one, each run when asked for, so that its line can be printed as soon as it is known."""
    yield check_widget_versions()
    yield check_kernel()
    yield check_simulator()
    yield check_language()


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
            ways.append(
                translated("install_check", "way.venv", "run `{python} -m helpers.install_check`", python=venv_python)
            )
    if not ways:
        ways.append(
            translated(
                "install_check",
                "way.make_lab",
                "run `make lab` once (it creates .venv), then `.venv/bin/python -m helpers.install_check`",
            )
        )
    env_file = ROOT / "environment.yml"
    if env_file.exists():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            if line.startswith("name:"):
                name = line.split(":", 1)[1].strip()
                ways.append(
                    translated("install_check", "way.conda", "with conda, `conda activate {env}` first", env=name)
                )
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
    return translated(
        "install_check",
        "wrong_python",
        "This Python ({python}) is not the course's environment: none of the course's packages is installed in it. "
        "Instead, {ways}.",
        python=sys.executable,
        ways=translated("install_check", "wrong_python.or", "; or, ").join(course_pythons()),
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
    if failed:
        print(translated("install_check", "summary.failed", "{n} problem(s) to fix first.", n=len(failed)))
    else:
        print(translated("install_check", "summary.ok", "All good: the course is ready."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m helpers.install_check` and notebook 00 catch the known install failures and say how to fix each."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from helpers import install_check

ROOT = Path(__file__).resolve().parent.parent


def test_everything_passes_here():
    result = subprocess.run(
        [sys.executable, "-m", "helpers.install_check"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All good" in result.stdout and "FAIL" not in result.stdout


def test_a_missing_widget_extension_is_caught(monkeypatch):
    real = metadata.version

    def fake_version(name):
        if name == "jupyterlab_widgets":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(install_check.metadata, "version", fake_version)
    result = install_check.check_widget_versions()
    assert not result.ok and "jupyterlab_widgets" in result.detail and "pip install" in result.fix


def test_mismatched_widget_versions_are_caught(monkeypatch):
    versions = {"ipywidgets": "8.1.9", "jupyterlab_widgets": "1.1.0"}
    monkeypatch.setattr(install_check.metadata, "version", lambda name: versions[name])
    result = install_check.check_widget_versions()
    assert not result.ok and "restart JupyterLab" in result.fix


def test_a_missing_package_is_caught_with_its_fix():
    result = install_check.check_package("no_such_module_here", "no-such-dist")
    assert not result.ok and "make lab" in result.fix and "FAIL" in result.line()


def test_a_kernel_running_another_python_is_caught(monkeypatch):
    class Spec:
        argv = ["/usr/bin/some-other-python", "-m", "ipykernel_launcher"]

    class Manager:
        def get_kernel_spec(self, name):
            return Spec()

    import jupyter_client.kernelspec

    monkeypatch.setattr(jupyter_client.kernelspec, "KernelSpecManager", Manager)
    result = install_check.check_kernel()
    assert not result.ok and "ipykernel install" in result.fix


def test_notebook_zero_explains_a_missing_helpers_package(tmp_path):
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    cell = next(c.source for c in nb.cells if c.cell_type == "code" and "run_checks" in c.source)
    # -I -S: no site-packages and not the repository on the path, so `helpers` cannot be imported
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", cell], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "FAIL helpers" in result.stdout and "make lab" in result.stdout


def test_a_python_outside_the_environment_is_named_once_with_the_right_interpreter(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python3"))
    monkeypatch.setattr(install_check, "PACKAGES", {"no_such_module_here": "no-such-dist"})
    assert install_check.main() == 1
    out = capsys.readouterr().out
    assert "is not the course's environment" in out and str(tmp_path) in out
    assert "FAIL" not in out and out.count("\n") == 1
    assert ".venv" in out or "conda" in out


def test_a_broken_course_environment_still_lists_its_problems(monkeypatch, capsys):
    monkeypatch.setattr(install_check, "PACKAGES", {"no_such_module_here": "no-such-dist"})
    monkeypatch.setattr(sys, "executable", str(install_check.ROOT / ".venv" / "bin" / "python"))
    assert install_check.wrong_interpreter(install_check.run_checks()) is None


def test_a_package_found_only_on_the_path_is_checked_without_importing_it(monkeypatch):
    monkeypatch.setattr(install_check, "FOUND_ONLY", {"no_such_module_here"})
    result = install_check.check_package("no_such_module_here", "no-such-dist")
    assert not result.ok and "cannot import" in result.detail
    assert install_check.check_package("jupyterlab", "jupyterlab").ok


def test_the_lines_speak_chinese_and_keep_their_markers(monkeypatch):
    from helpers import i18n

    assert install_check.check_language().line() == (
        "OK   course language: English (to switch to Chinese, run "
        '`from helpers.i18n import set_language; set_language("zh")`)'
    )
    monkeypatch.setattr(i18n, "_chosen", "zh")
    assert install_check.check_python().line().startswith("OK   Python：3.")
    assert install_check.check_language().line() == (
        'OK   课程语言：中文（想换成英文，运行 `from helpers.i18n import set_language; set_language("en")`）'
    )
    failed = install_check.check_package("no_such_module_here", "no-such-dist").line()
    assert failed.startswith("FAIL no_such_module_here：无法导入（ModuleNotFoundError: ")
    assert "\n     修复方法：在仓库里运行 `make lab`" in failed
    assert "ipywidgets" in install_check.check_widget_versions().line()

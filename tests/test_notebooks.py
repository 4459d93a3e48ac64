"""Every notebook runs headless from a fresh kernel, solutions included, and follows the course skeleton."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools.sync_notebooks import pairs, render, stale

from .notebook_code import solution_file

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
ZH_DIR = NOTEBOOK_DIR / "zh"  # the Chinese course: same code, its own text
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")) + sorted(ZH_DIR.glob("[0-9][0-9]_*.ipynb"))
ENGLISH = [p for p in NOTEBOOKS if p.parent == NOTEBOOK_DIR]
# The headings of the course skeleton in each language (the notebooks in notebooks/<lang>/ use that language's).
SKELETON = {
    "notebooks": ("What you will learn", "Time to learn", "Prerequisites", "Key points", "Next"),
    "zh": ("你将学到", "学习时间", "前置知识", "要点回顾", "下一步"),
}


def notebook_id(path: Path) -> str:
    return path.name if path.parent == NOTEBOOK_DIR else f"{path.parent.name}/{path.name}"


def test_there_is_a_first_notebook():
    assert NOTEBOOK_DIR.joinpath("00_start_here.ipynb") in NOTEBOOKS
    assert ZH_DIR.joinpath("00_start_here.ipynb") in NOTEBOOKS


def test_every_notebook_is_what_its_source_produces():
    assert sorted(pairs().values()) == sorted(NOTEBOOKS), "each notebook has a source in its src/, and vice versa"
    differing = [p.name for p in stale()]
    assert not differing, f"edited without regenerating: {differing}; run python tools/sync_notebooks.py"


def test_inserting_a_cell_changes_no_other_cell_id(tmp_path):
    source = NOTEBOOK_DIR / "src" / "03_rate_limits_429.py"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    middle = headers[len(headers) // 2]
    copy = tmp_path / source.name
    copy.write_text(
        "".join(lines[:middle] + ["# %%\n", "print('a new cell')\n", "\n"] + lines[middle:]), encoding="utf-8"
    )
    before = [cell["id"] for cell in json.loads(render(source))["cells"]]
    after = [cell["id"] for cell in json.loads(render(copy))["cells"]]
    new = after.pop(len(headers) // 2)
    assert after == before and new not in before
    assert len(set(before)) == len(before), "ids are unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def test_committed_clean_with_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit notebooks without outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def test_follows_the_teaching_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].source.startswith("# ")
    for heading in SKELETON[path.parent.name]:
        assert heading in text, f"{path.name} lacks '{heading}'"
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    exercises = [i for i, t in enumerate(tags) if "exercise" in t]
    assert exercises, f"{path.name} has no exercise"
    for i in exercises:
        assert "solution" in tags[i + 1], "each exercise is followed by its solution"
        solution = nb.cells[i + 1].source
        code = [line for line in solution.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert not code, f"a solution cell only offers to load the solution, it never runs one: {code}"
        assert solution_file(solution, path.parent).is_file(), f"{path.name}: the solution cell names a missing file"
        assert re.search(r"\bcheck_\w+\(", nb.cells[i + 2].source), "and then by a check"


def with_solutions(nb, folder: Path):
    """The notebook as a learner who loaded every solution would have it."""
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            cell.source = solution_file(cell.source, folder).read_text(encoding="utf-8")
    return nb


def _execute(nb, folder: Path):
    """Run in the notebook's own folder, as JupyterLab does: that folder chooses the course's language."""
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def test_executes_headless_with_solutions(path):
    outputs = _execute(with_solutions(nbformat.read(path, as_version=4), path.parent), path.parent)
    assert "FAIL" not in outputs and "Traceback" not in outputs
    assert "🤔" not in outputs, "every check passes once the solutions have run"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def test_run_all_never_answers_for_the_learner(path):
    """Run All with the exercises untouched: no solution runs, so every check still asks for an answer, and
    nothing breaks on the way."""
    nb = nbformat.read(path, as_version=4)
    outputs = _execute(nb, path.parent)
    assert "Traceback" not in outputs
    checks = sum(len(re.findall(r"\bcheck_\w+\(", c.source)) for c in nb.cells if c.cell_type == "code")
    assert outputs.count("🤔") == checks and "✅" not in outputs


LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)\)")


def test_links_between_notebooks_resolve_and_every_notebook_links_onward():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for target in LINK.findall(text):
            assert (path.parent / target).exists(), f"{notebook_id(path)} links to missing {target}"
        next_word = SKELETON[path.parent.name][-1]
        next_line = next(line for line in reversed(text.splitlines()) if next_word in line)
        assert LINK.search(next_line), f"{notebook_id(path)}: the {next_word} line has no link"
    names = {p.name for p in ENGLISH}
    assert len(names) == 11 and names >= {"00_start_here.ipynb", "10_streaming_and_responses.ipynb"}
    assert {p.name for p in NOTEBOOKS if p.parent == ZH_DIR} == names, "every notebook has its Chinese twin"


def test_links_within_a_page_land_on_their_target():
    """JupyterLab scrolls to `#Some-heading` for an ASCII heading, but not to a Chinese one (it compares the
    link percent-encoded): a Chinese notebook links to an `<a id="...">` placed above the heading instead."""
    for path in NOTEBOOKS:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        for anchor in re.findall(r"\]\(#([^)]+)\)", text):
            assert anchor.isascii(), f"{notebook_id(path)}: link to #{anchor}; use an <a id> with an ASCII name"
            heading = anchor.replace("-", " ").lower()  # how JupyterLab names a heading's anchor, undone
            assert f'<a id="{anchor}">' in text or heading in text.lower(), (
                f"{notebook_id(path)}: nothing on the page is called #{anchor}"
            )


SLEEPS = re.compile(r"\btime\.sleep\(\s*([0-9.]+)")


def test_no_cell_sleeps_for_real_beyond_the_allowance():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                total = sum(float(s) for s in SLEEPS.findall(cell.source))
                assert total < 5, f"{path.name} sleeps {total} s for real in one cell"
                assert "time.sleep(" not in cell.source or SLEEPS.search(cell.source), (
                    f"{path.name}: a real sleep of unknown length"
                )


def _unrendered_bold(markdown: str) -> list[str]:
    """The lines whose `**` CommonMark leaves as asterisks. In Chinese this happens when the bold ends in
    full-width punctuation and a character follows (`**学习时间：**约`): write `**学习时间**：约` instead."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    stray = []
    for token in parser.parse(markdown):
        for child in token.children or []:
            if child.type == "text" and "**" in child.content:
                stray.append(child.content)
    return stray


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[notebook_id(p) for p in NOTEBOOKS])
def test_every_bold_renders(path):
    nb = nbformat.read(path, as_version=4)
    stray = [line for cell in nb.cells if cell.cell_type == "markdown" for line in _unrendered_bold(cell.source)]
    assert not stray, f"{notebook_id(path)}: bold left as asterisks in {stray[:3]}"


def test_a_bold_ending_in_full_width_punctuation_is_caught():
    assert _unrendered_bold("**学习时间：**约 10 分钟") and not _unrendered_bold("**学习时间**：约 10 分钟")

"""Real JupyterLab in headless Chromium: notebooks run, widgets render (no "Error displaying widget"), a
slider moved through its readout changes the plot and the metrics, and the error explorer speaks Chinese.

Skipped, with the reason shown, only where Chromium is missing; CI installs it (.ci/run)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools import jupyterlab
from tools.jupyterlab import CHROMIUM, FLAGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
WIDGET_ERRORS = ("Error displaying widget", "Failed to load model class", "model not found")

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a temporary token, serving copies of the notebooks (never the originals:
    JupyterLab saves outputs into what it opens)."""
    root = tmp_path_factory.mktemp("lab")
    for name in ("00_start_here.ipynb", "06_backoff_lab.ipynb"):
        if (ROOT / "notebooks" / name).exists():
            shutil.copy(ROOT / "notebooks" / name, root / name)
    shutil.copytree(ROOT / "notebooks" / "solutions", root / "solutions")
    (root / "zh").mkdir()  # the Chinese course in its own folder, which makes its kernel speak Chinese
    shutil.copy(ROOT / "notebooks" / "zh" / "00_start_here.ipynb", root / "zh" / "00_start_here.ipynb")
    shutil.copytree(ROOT / "notebooks" / "zh" / "solutions", root / "zh" / "solutions")
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("from helpers.widgets import BackoffLab, ErrorExplorer\nlab = BackoffLab()\nlab"),
                new_code_cell('explorer = ErrorExplorer()\nexplorer.entry.value = "quota_exceeded"\nexplorer'),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        root / "widgets_check.ipynb",
    )
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("from helpers.widgets import BackoffLab, StrategyRace, ThrottleLab"),
                new_code_cell("BackoffLab()"),
                new_code_cell(  # four strategies side by side, as notebook 06 shows them
                    'StrategyRace(strategy1="exponential", strategy2="full jitter", strategy3="equal jitter", '
                    'strategy4="the OpenAI SDK\'s schedule")'
                ),
                new_code_cell("ThrottleLab()"),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        root / "dashboards_check.ipynb",
    )
    home = tmp_path_factory.mktemp("jupyter-home")
    try:
        base, token, server = jupyterlab.start(root, home)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield base, token, home
    jupyterlab.stop(server)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _open(browser, lab, name: str):
    base, token, _home = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}", wait_until="domcontentloaded")  # no restored tabs
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    # the kernel must be up before we run anything, or JupyterLab asks which kernel to start
    page.get_by_text(re.compile(r"Python 3 \| Idle")).first.wait_for(timeout=60_000)
    return page


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel:visible", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(  # every code cell has run: its prompt shows a number (hidden inputs show none)
        r"""() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
                   return p.some(t => /\[\d+\]/.test(t)) && p.every(t => /\[\d+\]/.test(t) || t.trim() === ''); }""",
        timeout=int(os.environ.get("BROWSER_RUN_TIMEOUT_MS", "120000")),
    )


def _no_widget_errors(page) -> None:
    text = page.inner_text(".jp-Notebook")
    for error in WIDGET_ERRORS:
        assert error not in text, error
    assert "Traceback" not in text


def test_start_here_runs_and_its_widget_renders(browser, lab, tmp_path):
    page = _open(browser, lab, "00_start_here.ipynb")
    _run_all(page)
    page.wait_for_selector(".jp-OutputArea .widget-slider", timeout=30_000)
    _no_widget_errors(page)
    assert "OK   simulated API" in page.inner_text(".jp-Notebook")
    page.screenshot(path=str(tmp_path / "00_start_here.png"), full_page=True)


def test_the_chinese_notebook_runs_and_its_widget_speaks_chinese_in_a_cjk_font(browser, lab, tmp_path):
    page = _open(browser, lab, "zh/00_start_here.ipynb")
    _run_all(page)
    page.wait_for_selector(".jp-OutputArea .widget-slider", timeout=30_000)
    _no_widget_errors(page)
    text = page.inner_text(".jp-Notebook")
    assert re.search(r"OK +[^\n]*[\u4e00-\u9fff]", text), "the install check speaks the notebook's language"
    assert "🤔" in text, "the exercise's check asks for an answer"
    _chinese_glyphs_come_from_a_cjk_font(page, ".jp-OutputArea .widget-slider .widget-label")
    page.screenshot(path=str(tmp_path / "zh_00_start_here.png"), full_page=True)


def test_backoff_lab_slider_changes_plot_and_metrics_and_explorer_speaks_chinese(browser, lab, tmp_path):
    started = time.monotonic()
    page = _open(browser, lab, "widgets_check.ipynb")
    _run_all(page)
    image = page.locator(".jp-OutputArea img[alt]").first
    image.wait_for(timeout=60_000)
    print(f"backoff lab: first figure {time.monotonic() - started:.1f} s after opening the notebook")
    _no_widget_errors(page)
    before_src, before_table = image.get_attribute("src"), page.inner_text(".jp-OutputArea table >> nth=0")
    assert image.get_attribute("alt").startswith("Timeline of")

    readout = page.locator(".widget-slider:has(.widget-label:text-is('clients')) .widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "src => { const i = document.querySelector('.jp-OutputArea img[alt]'); return i && i.src !== src; }",
        arg=before_src,
        timeout=30_000,
    )
    after_table = page.inner_text(".jp-OutputArea table >> nth=0")
    assert after_table != before_table and "of 135" in after_table  # 45 clients × 3 requests
    page.screenshot(path=str(tmp_path / "backoff_lab.png"), full_page=True)

    explorer_text = page.locator(".jp-Cell").nth(1).inner_text()
    assert "quota" in explorer_text.lower()
    page.locator(".jp-Cell").nth(1).locator("button:has-text('中文')").click()
    page.wait_for_function(
        "() => /[\\u4e00-\\u9fff]{6,}/.test(document.querySelectorAll('.jp-Cell')[1].innerText)", timeout=15_000
    )
    assert page.locator(".jp-Cell").nth(1).inner_text() != explorer_text
    _chinese_glyphs_come_from_a_cjk_font(page)
    _no_widget_errors(page)
    page.screenshot(path=str(tmp_path / "explorer_zh.png"), full_page=True)


def test_a_solution_never_runs_with_run_all_and_loads_when_asked(browser, lab):
    page = _open(browser, lab, "00_start_here.ipynb")
    _run_all(page)
    check = page.locator(".jp-CodeCell", has_text="check_first_rate_limit(error)")
    assert "🤔" in check.inner_text(), "Run All ran no solution: the check still waits for an answer"
    offer = page.locator(".jp-CodeCell", has_text="%load solutions/00_first_rate_limit.py")
    offer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("%load solutions/00_first_rate_limit.py")
    page.keyboard.press("Shift+Enter")
    loaded = offer.filter(has_text="except openai.RateLimitError as exc:")
    loaded.wait_for(timeout=30_000)  # IPython's %load replaced the cell's text with the solution
    loaded.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")  # run the solution; the check cell is next
    page.keyboard.press("Shift+Enter")  # run the check
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell')].some("
        "c => c.innerText.includes('check_first_rate_limit(error)') && c.innerText.includes('✅'))",
        timeout=30_000,
    )
    _no_widget_errors(page)


def _cjk_families() -> set[str]:
    """The font families installed here that cover Chinese, as fontconfig reports them."""
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def _chinese_glyphs_come_from_a_cjk_font(page, selector: str = "[lang='zh-Hans'] h3") -> None:
    """Ask Chromium (DevTools protocol) which fonts drew the Chinese text of the first element matching
    `selector` (by default the explorer's title): reading the text would pass even when every character is a box."""
    families = _cjk_families()
    assert families, "no font covers Chinese here: install fonts-wqy-zenhei or fonts-noto-cjk (.ci/run does)"
    text = page.locator(selector).first.inner_text()
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert han >= 2, text
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})
    found = cdp.send("DOM.performSearch", {"query": selector})
    assert found["resultCount"] >= 1
    ids = cdp.send("DOM.getSearchResults", {"searchId": found["searchId"], "fromIndex": 0, "toIndex": 1})
    node = {"nodeId": ids["nodeIds"][0]}
    child = cdp.send("DOM.describeNode", {"nodeId": node["nodeId"], "depth": 1})["node"]["children"][0]
    text_node = cdp.send("DOM.pushNodesByBackendIdsToFrontend", {"backendNodeIds": [child["backendNodeId"]]})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": text_node["nodeIds"][0]})["fonts"]
    from_cjk = sum(f["glyphCount"] for f in fonts if f["familyName"] in families)
    assert from_cjk >= han, f"Chinese drawn with {fonts}, none of the CJK fonts {sorted(families)}"


@pytest.mark.parametrize(
    "viewport,theme", [((1366, 768), "light"), ((1024, 700), "light"), ((1024, 700), "dark")], ids=str
)
def test_dashboards_read_well_and_dim_what_is_out_of_date(browser, lab, viewport, theme, tmp_path):
    base, token, home = lab
    jupyterlab.set_theme(home, theme)
    try:
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.goto(f"{base}/lab/tree/dashboards_check.ipynb?reset&token={token}", wait_until="domcontentloaded")
        page.get_by_text(re.compile(r"Python 3 \| Idle")).first.wait_for(timeout=60_000)
        if not page.locator(".jp-FileBrowser").is_visible():  # as learners have it: the file browser open
            page.locator(".lm-TabBar-tab[data-id='filebrowser']").click()
            page.locator(".jp-FileBrowser").wait_for(state="visible", timeout=10_000)
        _run_all(page)
        page.wait_for_function("document.querySelectorAll('.jp-OutputArea img[alt]').length >= 3", timeout=60_000)
        _no_widget_errors(page)
        if theme == "dark":
            assert page.evaluate("document.body.dataset.jpThemeLight") == "false"
        # figures drawn at the size shown: the image's pixels are CSS pixels, so 8-point text at 100 dpi is 11 px
        sizes = page.evaluate(
            "[...document.querySelectorAll('.jp-OutputArea img[alt]')].map(i => "
            "[i.naturalWidth, i.getBoundingClientRect().width])"
        )
        assert sizes and all(natural == shown for natural, shown in sizes), sizes
        # nothing clipped: every control inside its output, no label or readout cut short
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('.jp-OutputArea-output')].flatMap(out => {
                 const box = out.getBoundingClientRect();
                 return [...out.querySelectorAll('.widget-slider, .widget-dropdown, .widget-checkbox')].filter(c => {
                   const r = c.getBoundingClientRect();
                   const cut = [...c.querySelectorAll('.widget-label, .widget-readout')]
                       .some(e => e.scrollWidth > e.clientWidth + 1);
                   return r.width > 0 && (r.right > box.right + 1 || cut);
                 }).map(c => c.innerText);
               })"""
        )
        assert clipped == [], clipped
        # a table wider than the notebook scrolls inside its own box, which fits; it never runs off the edge
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.dash-table')].filter(t => {
                 const out = t.closest('.jp-Notebook').getBoundingClientRect();  // outputs grow with their content
                 const box = (t.closest('.dash-scroll') || t).getBoundingClientRect();
                 return box.right > out.right + 1;
               }).map(t => t.innerText.slice(0, 40))"""
        )
        assert overflowing == [], overflowing
        # settings that cannot run: the old figure and table dim and say they are out of date
        throttle = page.locator(".jp-Cell-outputArea").nth(3)
        throttle.get_by_text("more settings").click()
        for label, key in (("limit (tokens/min)", "Home"), ("prompt (tokens)", "End")):
            handle = throttle.locator(f".widget-slider:has(.widget-label:text-is('{label}')) .noUi-handle")
            handle.focus()
            page.keyboard.press(key)
        throttle.get_by_text(re.compile("can never fit")).wait_for(timeout=30_000)
        throttle.locator(".dash-output.dash-stale").wait_for(timeout=5_000)
        assert "out of date" in throttle.locator(".dash-status").inner_text()
        # the dimming fades in over 0.1 s: wait for it to finish rather than read it mid-way
        throttle.locator(".dash-output").evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")
        opacity = throttle.locator(".dash-output").evaluate("e => getComputedStyle(e).opacity")
        assert float(opacity) < 0.5
        page.screenshot(path=str(tmp_path / f"dashboards_{viewport[0]}_{theme}.png"))
    finally:
        jupyterlab.set_theme(home, "light")

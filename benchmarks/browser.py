"""What a learner waits for: from a key press on a dashboard's slider to the new figure painted, measured in real
JupyterLab in headless Chromium (skipped, with a line saying so, when Chromium or Playwright is missing).

Each step moves the `clients` slider one to the right, so every step is a new setting (no cached result)."""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from tools import jupyterlab

from .common import report

DASHBOARDS = ("BackoffLab", "StrategyRace", "ThrottleLab")
STEPS = int(os.environ.get("BENCH_BROWSER_STEPS", "15"))
ISSUE_BEFORE_MS = {"BackoffLab": 400, "StrategyRace": 530, "ThrottleLab": 400}  # issue 12, measured by hand

# Resolves with the time from the key press (seen by a capturing listener) to two animation frames after the
# new image of the dashboard in output `index` has loaded: the frame that shows it has been painted.
WATCH = """([index]) => ({done: new Promise(resolve => {
  const area = document.querySelectorAll('.jp-Cell-outputArea')[index];
  const old = area.querySelector('img[alt]').src;
  const painted = () => requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve(performance.now() - window.__keyAt)));
  const observer = new MutationObserver(() => {
    const image = area.querySelector('img[alt]');
    if (image && image.src !== old) {
      observer.disconnect();
      image.complete ? painted() : image.addEventListener('load', painted, {once: true});
    }
  });
  observer.observe(area, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  setTimeout(() => { observer.disconnect(); resolve(NaN); }, 10000);
})})"""  # wrapped in an object: Playwright would otherwise wait for the promise before the key is pressed


def _page(browser, base: str, token: str):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base}/lab/tree/dashboards.ipynb?reset&token={token}", wait_until="domcontentloaded")
    page.get_by_text(re.compile(r"Python 3 \| Idle")).first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel:visible", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(f"document.querySelectorAll('.jp-OutputArea img[alt]').length >= {len(DASHBOARDS)}")
    page.evaluate("document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, true)")
    return page


def _steps(page, index: int) -> list[float]:
    handle = (
        page.locator(".jp-Cell-outputArea")
        .nth(index)
        .locator(".widget-slider:has(.widget-label:text-is('clients')) .noUi-handle")
    )
    handle.scroll_into_view_if_needed()
    handle.focus()
    times = []
    for _ in range(STEPS):
        waiting = page.evaluate_handle(WATCH, [index])
        page.keyboard.press("ArrowRight")
        elapsed = page.evaluate("watch => watch.done", waiting)
        if elapsed != elapsed:
            raise RuntimeError("the figure did not change within 10 s of a key press")
        times.append(elapsed)
        time.sleep(0.2)  # let the kernel fall idle between steps, as between a learner's key presses
    return times


def run() -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("BENCH widget_browser_latency_ms skipped: playwright is not installed", flush=True)
        return
    if not Path(jupyterlab.CHROMIUM).exists():
        print("BENCH widget_browser_latency_ms skipped: Chromium is not installed", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root, home = Path(tmp, "root"), Path(tmp, "home")
        root.mkdir()
        cells = ["from helpers.widgets import " + ", ".join(DASHBOARDS)] + [f"{d}()" for d in DASHBOARDS]
        nbformat.write(
            new_notebook(
                cells=[new_code_cell(c) for c in cells],
                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            ),
            root / "dashboards.ipynb",
        )
        base, token, server = jupyterlab.start(root, home)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=jupyterlab.CHROMIUM, args=jupyterlab.FLAGS)
                page = _page(browser, base, token)
                for index, name in enumerate(DASHBOARDS, start=1):
                    times = sorted(_steps(page, index))
                    before = ISSUE_BEFORE_MS[name]
                    baseline = f"{before} ms measured by hand before issue 12"
                    report(f"widget_browser_latency_ms[{name}]", statistics.median(times), "ms", before, baseline)
                    p95 = times[int(0.95 * (len(times) - 1))]
                    report(f"widget_browser_latency_p95_ms[{name}]", p95, "ms", before, baseline)
                browser.close()
        finally:
            jupyterlab.stop(server)


if __name__ == "__main__":
    run()

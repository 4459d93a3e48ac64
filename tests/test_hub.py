"""The workshop on a real JupyterHub (make hub's configuration, on free ports of 127.0.0.1): a learner logs in in
Chromium, follows the nbgitpuller link, runs notebook 00 and sees its widget; the load driver runs a room of three
learners through the hub's and the servers' REST and websocket APIs, and one learner's dead kernel harms nobody else.

Skipped, with the reason shown, only where JupyterHub or the proxy is missing; `make test` and CI install both."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow]

pytest.importorskip("jupyterhub", reason="the hub extra is not installed (pip install -e '.[hub]'; make test does)")
pytest.importorskip("nbgitpuller", reason="the hub extra is not installed")
from benchmarks import workshop  # noqa: E402 (after the skips: it needs the hub extra)
from hub.link import COURSE_DIR, course_link  # noqa: E402

if not workshop.PROXY.exists():
    pytest.skip("the proxy is not installed: cd hub && npm ci (make test does)", allow_module_level=True)


@pytest.fixture(scope="module")
def hub():
    with workshop.Hub() as running:
        yield running
    # stopping the hub stops everything under it: proxy, culler, servers, kernels
    left = [p.pid for p in running.seen.values() if _alive(p)]
    assert not left, left
    assert len(running.seen) > 3 and not Path(running.state).exists()


def _alive(process) -> bool:
    try:
        return process.is_running() and process.status() != "zombie"
    except Exception:  # gone between the two questions
        return False


def test_a_room_of_three_runs_the_course_and_one_dead_kernel_harms_nobody(hub):
    result = asyncio.run(workshop.Room(hub, 3, kill_one=True).run())
    for learner in result["per_learner"]:
        assert learner["failures"] == [], learner
        assert set(learner["notebook_s"]) == set(workshop.NOTEBOOKS)
        assert len(learner["widget_update_ms"]) == len(workshop.SLIDER_MOVES)
        assert learner["server_mb"] > 0 and learner["kernel_mb"] > 0
        assert {"login", "spawn", "pull", "kernel"} <= set(learner["phases_s"])
    assert result["all_ok"]
    resilience = result["resilience"]
    assert resilience["kernel_processes_killed"] >= 1
    assert resilience["others_untouched"] and resilience["rerun_00_ok"] and resilience["fresh_after_restart"]


def test_a_learner_logs_in_follows_the_link_and_sees_notebook_00_work(hub, tmp_path):
    from .test_browser import CHROMIUM, FLAGS, _no_widget_errors, _run_all, sync_api

    name = "browser-learner"
    # render every cell, not just those on screen, so the page holds all outputs for the assertions
    settings = Path(hub.state) / "homes" / name / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(course_link(hub.url), wait_until="domcontentloaded")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", workshop.PASSWORD)
            page.click("input[type=submit], button[type=submit]")
            # the hub starts the server, nbgitpuller clones the course, then JupyterLab opens notebook 00
            page.wait_for_url(re.compile(rf"/lab/tree/{COURSE_DIR}/notebooks/00_start_here\.ipynb"), timeout=180_000)
            page.wait_for_selector(".jp-Notebook", timeout=120_000)
            page.get_by_text(re.compile(r"Python 3 \| Idle")).first.wait_for(timeout=120_000)
            _run_all(page)
            page.wait_for_selector(".jp-OutputArea .widget-slider", timeout=60_000)
            _no_widget_errors(page)
            assert "OK   simulated API" in page.inner_text(".jp-Notebook")
            page.screenshot(path=str(tmp_path / "hub_00_start_here.png"), full_page=True)
        finally:
            browser.close()
    assert (Path(hub.state) / "homes" / name / COURSE_DIR / "notebooks" / "00_start_here.ipynb").is_file()

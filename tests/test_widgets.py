"""The dashboards driven from code: a change updates the output, the metrics equal a direct run with the
same parameters, invalid values give a message and no traceback."""

from __future__ import annotations

import asyncio
import html

import pytest

from helpers.experiments import run_load
from helpers.widgets import BackoffLab, StrategyRace, ThrottleLab
from helpers.widgets.common import Debounced


def test_backoff_lab_updates_on_change_and_matches_a_direct_run():
    lab = BackoffLab(debounce=0)
    first_png, renders = lab.figure_html.value, lab.renders
    lab.set(clients=35, strategy="equal_jitter", rpm=60)
    assert lab.renders > renders and lab.figure_html.value != first_png
    assert 'alt="' in lab.figure_html.value
    direct = run_load(**lab.run_kwargs())
    assert lab.result.metrics == direct.metrics
    assert str(direct.metrics.successes) in lab.table_html.value


def test_backoff_lab_explains_what_cannot_run():
    lab = BackoffLab(debounce=0)
    lab.set(cap=0.5)
    renders = lab.renders
    lab.set(base=10.0)
    assert "cannot run" in lab.message.value and "must not be above cap" in lab.message.value
    assert lab.renders == renders
    lab.set(cap=50.0)
    assert lab.message.value == "" and lab.renders == renders + 1
    lab.set(clients=0)
    assert lab.clients.value == 1  # the slider itself keeps values within its range


def test_backoff_lab_waits_for_run_on_large_settings_and_shows_progress():
    lab = BackoffLab(debounce=0)
    renders = lab.renders
    seen = []
    lab.progress.observe(lambda change: seen.append(change["new"]), names="value")
    lab.set(clients=100, requests=5, max_attempts=10)
    assert lab.run_button.layout.display == "" and "press Run" in lab.message.value
    rendered_before_run = lab.renders
    lab.run_button.click()
    assert lab.renders == rendered_before_run + 1 > renders
    assert seen and seen[-1] == 1.0


def test_unknown_controls_are_refused_clearly():
    with pytest.raises(ValueError, match="no control called 'speed'"):
        BackoffLab(debounce=0).set(speed=3)


def test_debounce_coalesces_a_burst_into_one_render():
    calls = []

    async def burst():
        debounced = Debounced(lambda: calls.append(1), delay=0.01)
        for _ in range(50):
            debounced()
        await asyncio.sleep(0.05)

    asyncio.run(burst())
    assert calls == [1]


def test_strategy_race_compares_on_the_same_load():
    race = StrategyRace(debounce=0)
    assert list(race.result) == ["exponential", "full jitter"]
    race.set(strategy3="retry at once", strategy4="the OpenAI SDK's schedule", clients=30)
    assert list(race.result) == ["exponential", "full jitter", "retry at once", "the OpenAI SDK's schedule"]
    for name in race.result:
        assert html.escape(name) in race.table_html.value
    params = {r.params["clients"] for r in race.result.values()} | {r.params["seed"] for r in race.result.values()}
    assert params == {30, 0}
    race.set(strategy2="exponential", strategy3="—", strategy4="—")
    assert "at least two" in race.message.value


def test_throttle_lab_proactive_pacing_avoids_429s():
    lab = ThrottleLab(debounce=0)
    reactive, proactive = lab.result.values()
    assert reactive.metrics.rate_limited > 0
    assert proactive.metrics.rate_limited == 0 and proactive.metrics.successes == proactive.metrics.requests
    lab.set(tokens=8000, tpm=1000)
    assert "can never fit" in lab.message.value


@pytest.mark.parametrize("dashboard", [BackoffLab, StrategyRace, ThrottleLab])
def test_an_update_in_place_draws_what_a_fresh_figure_draws(dashboard):
    from helpers import plots

    board = dashboard(debounce=0)
    board.set(clients=35, seed=3)
    board.set(clients=12, seed=5)  # the same figure, drawn over twice
    fresh = board.fresh_figure(board.result)
    assert board.figure is not fresh
    assert plots.to_png(board.figure, 100) == plots.to_png(fresh, 100)
    assert board.figure.alt_text == fresh.alt_text


def test_results_are_cached_by_settings_and_stale_output_is_marked():
    lab = BackoffLab(debounce=0)
    first = lab.result
    lab.set(seed=1)
    lab.set(seed=0)
    assert lab.result is first  # back to settings seen before: no re-run
    assert "dash-stale" not in lab.output._dom_classes and lab.status.value == ""
    lab.set(cap=0.5, base=10.0)
    assert "dash-stale" in lab.output._dom_classes and "out of date" in lab.status.value
    lab.set(clients=100, requests=5, max_attempts=10, cap=16.0, base=0.5)
    assert "dash-stale" in lab.output._dom_classes and "press Run" in lab.message.value
    lab.run_button.click()
    assert "dash-stale" not in lab.output._dom_classes


def test_figures_are_drawn_at_the_size_shown():
    from helpers.widgets.common import DPI, WIDTH_PX

    for dashboard in (BackoffLab, StrategyRace, ThrottleLab):
        board = dashboard(debounce=0)
        assert round(board.figure.get_figwidth() * DPI) == WIDTH_PX
        assert f'width="{WIDTH_PX}"' in board.figure_html.value and "max-width:none" in board.figure_html.value


def test_every_text_in_a_dashboard_figure_shows_at_10_px_or_more():
    from matplotlib.text import Text

    from helpers.widgets.common import DPI

    for dashboard in (BackoffLab, StrategyRace, ThrottleLab):
        figure = dashboard(debounce=0).figure
        texts = [t for t in figure.findobj(Text) if t.get_text() and t.get_visible()]
        assert texts and min(t.get_fontsize() * DPI / 72 for t in texts) >= 10


def test_the_dashboards_speak_chinese_when_the_course_does(monkeypatch):
    import warnings

    import matplotlib
    from matplotlib.text import Text

    from helpers import fonts, i18n, plots

    monkeypatch.setattr(i18n, "_chosen", "zh")
    monkeypatch.setitem(matplotlib.rcParams, "font.family", list(matplotlib.rcParams["font.family"]))
    lab = BackoffLab(debounce=0)
    assert lab.clients.description == "客户端数" and lab.run_button.description == "运行"
    assert ("完全抖动", "full_jitter") in lab.strategy.options and lab.strategy.value == "full_jitter"
    assert "dash-zh" in lab.widget._dom_classes and '"Noto Sans CJK SC"' in lab.widget.children[0].value
    table = lab.table_html.value
    assert 'lang="zh-Hans"' in table and "<th>成功</th>" in table
    assert "完全抖动：等待 U(0, min(16, 0.5·2^(n−1)))；最多尝试 6 次" in table
    lab.set(cap=0.5, base=10.0)
    assert (
        "这组设置无法运行：基数（10.0）不能大于上限（0.5）" in lab.message.value
        and 'lang="zh-Hans"' in lab.message.value
    )
    assert "已过时" in lab.status.value and 'lang="zh-Hans"' in lab.status.value
    lab.set(cap=16.0, base=0.5, clients=100, requests=5, max_attempts=10)
    assert "设置好后按“运行”" in lab.message.value

    race = StrategyRace(debounce=0, strategy3="full jitter + Retry-After")  # values stay English: same code
    assert list(race.result) == ["指数退避", "完全抖动", "完全抖动 + Retry-After"]
    assert "同样的负载，同样的随机种子" in race.table_html.value
    race.set(strategy2="exponential", strategy3="—")
    assert "至少选两种不同的策略来比较" in race.message.value

    throttle = ThrottleLab(debounce=0)
    assert list(throttle.result) == ["被动：收到 429 后退避", "主动：按响应头限流"]
    assert throttle.figure.axes[0].get_title("left") == "被动：收到 429 后退避"
    assert '<th style="text-align:right">被动</th>' in throttle.table_html.value
    if fonts.installed_cjk_font():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a box drawn for a missing glyph warns
            plots.to_png(throttle.figure)
        assert all(
            any(font in t.get_fontfamily() for font in fonts.CJK_FONTS)
            for t in throttle.figure.findobj(Text)
            if fonts.CJK.search(t.get_text())
        )

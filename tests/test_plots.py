"""Each plot on a real trace: labelled axes with units, a legend entry per outcome present, the limit where
it belongs, a takeaway title and alt text."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from helpers import fonts, plots
from helpers.experiments import run_contention, run_load
from helpers.retry import Exponential, FullJitter, MaxAttempts, NoBackoff, OpenAISDK, RetryPolicy

UNIT_WORDS = ("seconds", "(s", "%", "per second", "per run", "per success", "share of")


@pytest.fixture(scope="module")
def mixed():
    """A run with successes, rate limits and server errors."""
    from helpers.experiments.engine import lab_world
    from helpers.simulator import Simulator

    sim = Simulator(lab_world(20, 100_000), faults={"gpt-4o-mini": {"server_error_share": 0.2}})
    return run_load(
        clients=25,
        requests_per_client=2,
        rpm=20,
        tpm=100_000,
        simulator=sim,
        policy=RetryPolicy(FullJitter(0.5, 16), (MaxAttempts(6),)),
    )


def _axes_ok(fig: Figure):
    for ax in fig.axes:
        shared = ax.get_shared_y_axes().get_siblings(ax)
        assert ax.get_xlabel() and any(other.get_ylabel() for other in shared)  # panels sharing y label it once
        assert any(word in ax.get_xlabel() + ax.get_ylabel() for word in UNIT_WORDS)
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")]
    titles += [fig._suptitle.get_text() if fig._suptitle else ""]
    assert any(len(t) > 20 for t in titles), "a title states the takeaway"
    assert len(fig.alt_text) > 30
    assert plots.to_png(fig).startswith(b"\x89PNG")
    assert 'alt="' in plots.to_html(fig)


def test_retry_timeline_marks_every_outcome_and_the_limit(mixed):
    fig = plots.retry_timeline(mixed)
    _axes_ok(fig)
    ax = fig.axes[0]
    labels = ax.get_legend().get_texts()
    present = {row.kind for row in mixed.trace}
    assert {"ok", "rate_limit", "server_error"} <= present
    legend = [t.get_text() for t in labels]
    for kind in present:
        assert plots.OUTCOMES[kind][0] in legend
    assert any("20 RPM" in text for text in legend)
    attempts = [
        line for line in ax.get_lines() if line.get_linestyle() == "None" and line.get_label() != "given up here"
    ]
    assert sum(len(line.get_xdata()) for line in attempts) == len(mixed.trace)
    rings = [line for line in ax.get_lines() if line.get_label() == "given up here"]
    given_up = sum(row.final and row.kind != "ok" for row in mixed.trace)
    assert sum(len(line.get_xdata()) for line in rings) == given_up


def test_bucket_level_marks_the_refusals(mixed):
    fig = plots.bucket_level(mixed)
    _axes_ok(fig)
    assert fig.axes[0].get_ylim()[1] >= 100
    refused = sum(1 for row in mixed.trace if row.kind == "rate_limit")
    assert f"{refused} requests refused" in fig.axes[0].get_title()


def test_goodput_draws_the_limit_line(mixed):
    fig = plots.goodput(mixed)
    _axes_ok(fig)
    limit_lines = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("limit")]
    assert limit_lines and limit_lines[0].get_ydata()[0] == pytest.approx(20 / 60)


def test_comparisons_have_one_series_per_strategy():
    results = {
        name: run_load(clients=20, rpm=20, policy=RetryPolicy(backoff, (MaxAttempts(6),)))
        for name, backoff in (
            ("none", NoBackoff()),
            ("exponential", Exponential(0.5, 16)),
            ("full jitter", FullJitter(0.5, 16)),
        )
    }
    cdf = plots.latency_cdf(results)
    _axes_ok(cdf)
    labels = [t.get_text() for t in cdf.axes[0].texts]  # each curve labelled at its end, no legend over the data
    assert cdf.axes[0].get_legend() is None and all(any(t.startswith(name) for t in labels) for name in results)
    bars = plots.work_and_drain(results)
    _axes_ok(bars)
    assert [t.get_text() for t in bars.axes[0].get_yticklabels()] == list(results)  # names, the first on top


@pytest.mark.parametrize("policy", [FullJitter(0.5, 8), Exponential(0.5, 8), OpenAISDK()], ids=lambda p: p.name)
def test_backoff_schedule_shows_the_band(policy):
    fig = plots.backoff_schedule(policy, retries=6)
    _axes_ok(fig)
    assert policy.formula in fig.axes[0].get_title()


def test_occ_results_plot_writes_and_time_against_clients():
    results = [r for clients in (10, 40) for r in run_contention(clients, 3)]
    fig = plots.occ_results(results)
    _axes_ok(fig)
    assert len(fig.axes[0].get_lines()) == 5 and fig.axes[1].get_yscale() == "log"


def test_plots_draw_into_a_given_axes(mixed):
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.goodput(mixed, ax=ax) is fig


def test_show_draws_every_figure_at_the_size_shown_with_text_of_10_px_or_more(mixed, monkeypatch):
    from IPython import display as ipd
    from matplotlib.text import Text

    shown = []
    monkeypatch.setattr(ipd, "display", shown.append)
    results = {"none": mixed, "full jitter": mixed}
    contention = [r for clients in (10, 40) for r in run_contention(clients, 3)]
    wide = Figure(figsize=(14, 4), layout="constrained")  # a figure drawn too wide is narrowed, not shrunk
    plots.goodput(mixed, ax=wide.add_subplot())
    figures = [
        plots.retry_timeline(mixed),
        plots.bucket_level(mixed),
        plots.goodput(mixed),
        plots.latency_cdf(results),
        plots.work_and_drain(results),
        plots.backoff_schedule(FullJitter(0.5, 8)),
        plots.occ_results(contention),
        wide,
    ]
    for fig in figures:
        plots.show(fig)
        assert round(fig.get_figwidth() * plots.DPI) == plots.WIDTH_PX
        texts = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
        assert min(t.get_fontsize() * plots.DPI / 72 for t in texts) >= 10
        box = fig.get_tightbbox(fig._get_renderer())  # nothing drawn outside the figure
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.get_figwidth() and box.y1 <= fig.get_figheight()
    for output in shown:
        assert f'width="{plots.WIDTH_PX}"' in output.data and "max-width:none" in output.data


# -- in Chinese --------------------------------------------------------------------------------------------------
@pytest.fixture
def chinese(monkeypatch):
    """The course speaking Chinese for one test; matplotlib's fonts restored after it."""
    import matplotlib

    from helpers import i18n

    monkeypatch.setattr(i18n, "_chosen", "zh")
    monkeypatch.setitem(matplotlib.rcParams, "font.family", list(matplotlib.rcParams["font.family"]))


def glyphs_found(text) -> bool:
    """Whether the fonts matplotlib picks for `text` (its family list, glyph by glyph) have every character."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    fonts = [FT2Font(path) for path in font_manager.fontManager._find_fonts_by_props(text.get_fontproperties())]
    return all(any(font.get_char_index(ord(c)) for font in fonts) for c in text.get_text() if not c.isspace())


def test_a_figure_in_chinese_has_chinese_titles_legends_and_alt_text(mixed, chinese):
    fig = plots.retry_timeline(mixed)
    ax = fig.axes[0]
    assert fonts.CJK.search(ax.get_title("left")) and ax.get_xlabel() == "时间（模拟秒）"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "200 成功" in legend and "429 速率限制" in legend and any("补充：每 3 秒补回 1 个请求" in t for t in legend)
    assert fig.alt_text.startswith("25 个客户端在") and "个请求被放弃。" in fig.alt_text
    assert 'lang="zh-Hans"' in plots.to_html(fig)
    schedule = plots.backoff_schedule(FullJitter(0.5, 16))
    assert schedule.axes[0].get_title().startswith("完全抖动：抖动把客户端错开了\nU(0, min(16, 0.5·2^(n−1)))")


def test_chinese_text_is_drawn_with_a_cjk_font(mixed, chinese):
    import warnings

    if fonts.installed_cjk_font() is None:
        pytest.skip("no CJK font installed here (Debian/Ubuntu: apt-get install fonts-noto-cjk)")
    from matplotlib.text import Text

    fig = plots.goodput(mixed)
    title = fig.axes[0]._left_title  # the takeaway title, set with loc="left"
    assert fonts.CJK.search(title.get_text()) and glyphs_found(title)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for every box it draws
        plots.to_png(fig)
    texts = [t for t in fig.findobj(Text) if fonts.CJK.search(t.get_text())]
    assert texts and all(glyphs_found(t) for t in texts)


def test_without_a_cjk_font_the_fix_is_given_once(mixed, chinese, monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONTS", ())
    monkeypatch.setattr(fonts, "_cjk", {})
    with pytest.warns(UserWarning) as warned:
        plots.retry_timeline(mixed)
        plots.goodput(mixed)
        plots.to_png(plots.goodput(mixed))
    said = [str(w.message) for w in warned if "Chinese" in str(w.message)]
    assert len(said) == 1 and "fonts-noto-cjk" in said[0] and "apt.txt" in said[0]


def test_english_figures_add_no_font(mixed, monkeypatch):
    import matplotlib

    from helpers import i18n

    monkeypatch.setattr(i18n, "_chosen", "en")
    monkeypatch.setattr(fonts, "_cjk", {})
    monkeypatch.setattr(fonts, "installed_cjk_font", lambda: pytest.fail("an English figure looked for a CJK font"))
    families = list(matplotlib.rcParams["font.family"])
    plots.to_png(plots.retry_timeline(mixed))
    assert matplotlib.rcParams["font.family"] == families
    assert 'lang="' not in plots.to_html(plots.goodput(mixed))

"""Figures from experiment traces: every retry against the limit, bucket levels, goodput, latency, work,
backoff schedules and the contended-row results.

Every function returns a matplotlib Figure, accepts an Axes to draw into, labels its axes with units,
states the takeaway in its title and sets `fig.alt_text`, a sentence for screen readers (`to_html`
puts it in the image's alt attribute). Colours are the Okabe–Ito palette, safe for colour-blind readers,
and every outcome also has its own marker shape.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections import Counter
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .fonts import cjk_fallback, needs_cjk, use_cjk_font
from .i18n import language, translate, translated
from .ratelimit import Bucket
from .retry.classify import Kind
from .retry.policies import Backoff
from .retry.strategies import shown_label

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
SERIES = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black", "yellow")]
# outcome kind -> (legend label, colour, marker); the label shows through `outcome_label`, in the course's language
OUTCOMES = {
    Kind.OK: ("200 success", OKABE_ITO["green"], "o"),
    Kind.RATE_LIMIT: ("429 rate limit", OKABE_ITO["orange"], "X"),
    Kind.SLOW_DOWN: ("429 slow down", OKABE_ITO["yellow"], "v"),
    Kind.QUOTA: ("429 quota", OKABE_ITO["vermillion"], "s"),
    Kind.TOO_LARGE: ("429 request too large", OKABE_ITO["purple"], "D"),
    Kind.SERVER_ERROR: ("500 server error", OKABE_ITO["blue"], "P"),
    Kind.OVERLOADED: ("503 overloaded", OKABE_ITO["sky"], "^"),
    Kind.CONNECTION: ("connection dropped", OKABE_ITO["grey"], "x"),
    Kind.TIMEOUT: ("timeout", OKABE_ITO["grey"], "+"),
}
OTHER = ("other error", OKABE_ITO["black"], ".")


def outcome_label(kind) -> str:
    """The legend label of an outcome kind in the course's language (namespace "plots", id "outcome.<kind>")."""
    label = OUTCOMES.get(kind, OTHER)[0]
    return translate(language(), "plots", f"outcome.{kind.value if kind in OUTCOMES else 'other'}", label)


def _listed(items) -> str:
    return translated("plots", "list.separator", ", ").join(items)


# Figures are drawn at the size they are shown (1 figure pixel = 1 CSS pixel, never shrunk): WIDTH_PX fits the
# notebook column at 1024 px with the file browser open, and 8 pt text shows at 11 px. Notebooks and dashboards.
WIDTH_PX = 600
DPI = 100
WIDTH_IN = WIDTH_PX / DPI


def html_lang() -> str:
    """` lang="zh-Hans"` when the course speaks Chinese, to put in the opening tag of the HTML it shows, so the
    browser picks a font made for the script (and a screen reader the right voice); empty in English."""
    tag = {"zh": "zh-Hans"}.get(language())
    return f' lang="{tag}"' if tag else ""


def _figure(ax: Axes | None, size=(WIDTH_IN, 3.8)) -> tuple[Figure, Axes]:
    use_cjk_font()
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _finish(fig: Figure, alt: str) -> Figure:
    fig.alt_text = alt
    return fig


def to_png(fig: Figure, dpi: int = 80) -> bytes:
    cjk_fallback(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})  # fast beats small here
    return buffer.getvalue()


def to_html(fig: Figure, dpi: int = 80, width: int | None = None) -> str:
    """An <img> with the figure inline and its alt text, for HTML widgets and notebooks. With `width` (CSS
    pixels, drawn at that size) the image keeps its size and never shrinks; without, it fits the output."""
    data = base64.b64encode(to_png(fig, dpi)).decode("ascii")
    alt = html.escape(getattr(fig, "alt_text", "") or translated("plots", "figure", "figure"), quote=True)
    lang = html_lang()  # so that a screen reader reads Chinese alt text as Chinese
    if width is None:
        return f'<img{lang} src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'
    height = round(fig.get_figheight() * dpi)
    return (
        f'<img{lang} src="data:image/png;base64,{data}" alt="{alt}" width="{width}" height="{height}" '
        f'style="width:{width}px;height:{height}px;max-width:none">'
    )


def show(fig: Figure) -> None:
    """Display a figure in a notebook with its alt text, drawn at the size it is shown: WIDTH_PX wide (a wider
    figure is narrowed to that width, keeping its height, and its layout redone), never shrunk by the browser."""
    from IPython.display import HTML, display

    display(HTML(to_html(fit_width(fig), dpi=DPI, width=WIDTH_PX)))


def fit_width(fig: Figure) -> Figure:
    """Make `fig` WIDTH_PX wide at DPI, keeping its height; the figure shown by `show`."""
    if round(fig.get_figwidth() * DPI) != WIDTH_PX:
        fig.set_size_inches(WIDTH_IN, fig.get_figheight())
    return fig


def legend_above(ax: Axes, handles=None, labels=None, ncols: int = 3) -> float:
    """A legend in a row above the axes, outside the data (the title, if any, goes above it)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=ncols,
        fontsize=8,
        frameon=False,
        borderaxespad=0.2,
        handlelength=1.5,
        columnspacing=1.0,
    )
    rows = math.ceil(len(labels) / ncols)
    row = 16 if needs_cjk(*labels) else 12  # a CJK font's lines are taller
    return 4 + row * rows  # the title's pad, in points, to sit above the legend


# -- the retry timeline ---------------------------------------------------------------------------------
def _timeline_title(m) -> str:
    if m.rate_limited == 0:
        return translated("plots", "timeline.title.fit", "Every request fit under the limit")
    if m.gave_up:
        return translated("plots", "timeline.title.gave_up", "Retries pile onto the limit and some requests give up")
    if m.rate_limited > m.successes:
        return translated(
            "plots", "timeline.title.most_refused", "Most attempts are refused, but every request gets through"
        )
    return translated("plots", "timeline.title.few_refused", "A few attempts are refused; every request gets through")


def retry_timeline(result, ax: Axes | None = None, max_clients: int = 40) -> Figure:
    """Every attempt as a mark at its time, one row per client; waits as lines; requests given up ringed; the
    limit's refills as ticks along the time axis."""
    fig, ax = _figure(ax, (WIDTH_IN, 4.6))
    rows = [row for row in result.trace if row.client < max_clients]
    m, rpm = result.metrics, result.params["rpm"]
    waits = [((row.time, row.client), (row.time + row.wait, row.client)) for row in rows if row.wait is not None]
    ax.add_collection(LineCollection(waits, colors=OKABE_ITO["grey"], linewidths=0.8, alpha=0.6, zorder=1))
    for kind in sorted({row.kind for row in rows}, key=lambda k: list(OUTCOMES).index(k) if k in OUTCOMES else 99):
        _, colour, marker = OUTCOMES.get(kind, OTHER)
        label = outcome_label(kind)
        points = [(row.time, row.client) for row in rows if row.kind == kind]
        ax.plot(
            *zip(*points),
            linestyle="none",
            marker=marker,
            markersize=5,
            color=colour,
            label=label,
            zorder=3,
            markeredgecolor="black" if marker in "os^vDP" else colour,
            markeredgewidth=0.3,
        )
    given_up = [(row.time, row.client) for row in rows if row.final and row.kind is not Kind.OK]
    if given_up:
        ax.plot(
            *zip(*given_up),
            linestyle="none",
            marker="o",
            markersize=10,
            markerfacecolor="none",
            markeredgecolor=OKABE_ITO["vermillion"],
            markeredgewidth=1.5,
            zorder=4,
            label=translated("plots", "timeline.given_up", "given up here"),
        )
    end = max((row.time for row in rows), default=1.0)
    interval = 60.0 / rpm
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color=OKABE_ITO["grey"], linewidth=0.8))
    labels.append(translated("plots", "timeline.wait", "wait"))
    if end / interval <= 150:  # a tick under the axis per refilled request, where there is room to see them
        ticks = [k * interval for k in range(1, int(end / interval) + 1)]
        ax.vlines(ticks, 0, 0.025, transform=ax.get_xaxis_transform(), colors=OKABE_ITO["black"], linewidths=1.0)
        handles.append(Line2D([], [], color=OKABE_ITO["black"], linewidth=1.0, marker="|", linestyle="none"))
        labels.append(
            translated(
                "plots",
                "timeline.refill",
                "refill: 1 request per {interval:g} s ({rpm} RPM)",
                interval=interval,
                rpm=rpm,
            )
        )
    pad = legend_above(ax, handles, labels, ncols=3)
    shown_clients = min(max_clients, result.params["clients"])
    ax.set_ylim(-0.7, shown_clients - 0.3)
    ax.set_xlim(left=-0.02 * max(end, 1.0))
    ax.set_xlabel(translated("plots", "axis.time", "time (simulated seconds)"))
    ax.set_ylabel(translated("plots", "timeline.client", "client"))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    shown = (
        translated("plots", "timeline.first_clients", " (first {clients} clients)", clients=max_clients)
        if result.params["clients"] > max_clients
        else ""
    )
    ax.set_title(_timeline_title(m) + shown, fontsize=10, loc="left", pad=pad)
    alt = translated(
        "plots",
        "timeline.alt",
        "Timeline of {attempts} attempts by {clients} clients over {seconds:.0f} simulated seconds against a limit "
        "of {rpm} requests per minute. Outcomes: {outcomes}; {given_up} requests given up.",
        attempts=m.attempts,
        clients=result.params["clients"],
        seconds=end,
        rpm=rpm,
        outcomes=_listed(f"{n} × {outcome_label(k)}" for k, n in Counter(r.kind for r in rows).items()),
        given_up=len(given_up),
    )
    return _finish(fig, alt)


# -- the bucket's level -------------------------------------------------------------------------------
def _level_path(points: list, bucket: Bucket, t: float, take, units: float) -> float:
    """Extend a level path to time t: the linear refill (with its corner where it reaches capacity), then the
    drop where `take(units, t)` (the bucket's spend or drain) takes units at t. Returns the level just before."""
    if points:
        last_t, last_level = points[-1]
        full_at = last_t + (bucket.capacity - last_level) / bucket.rate
        if last_level < bucket.capacity and full_at < t:
            points.append((full_at, bucket.capacity))
    before = bucket.level(t)
    points.append((t, before))
    take(units, t)
    points.append((t, bucket.level(t)))
    return before


def bucket_level(result, ax: Axes | None = None) -> Figure:
    """Requests and tokens left in the server's buckets over time, replayed from the trace; 429s marked."""
    fig, ax = _figure(ax)
    rpm, tpm = result.params["rpm"], result.params["tpm"]
    requests, tokens = Bucket(rpm, 60.0), Bucket(tpm, 60.0)
    req_path, tok_path, refused, empty = [], [], [], 0
    for row in sorted(result.trace, key=lambda r: r.time):
        if row.kind is Kind.OK:
            before = _level_path(req_path, requests, row.time, requests.spend, 1)
            _level_path(tok_path, tokens, row.time, tokens.spend, row.tokens)
        elif row.kind.refused_by_limit:
            # refused requests still count against requests per minute
            before = _level_path(req_path, requests, row.time, requests.drain, 1)
            refused.append((row.time, before / rpm * 100))
        else:
            continue
        empty += before < 1
    for path, bucket, colour, style, label in (
        (
            req_path,
            requests,
            SERIES[0],
            "-",
            translated("plots", "bucket.requests_left", "requests left (of {rpm} per minute)", rpm=rpm),
        ),
        (
            tok_path,
            tokens,
            SERIES[1],
            "--",
            translated("plots", "bucket.tokens_left", "tokens left (of {tpm:,} per minute)", tpm=tpm),
        ),
    ):
        if path:
            ax.plot(
                [t for t, _ in path],
                [lv / bucket.capacity * 100 for _, lv in path],
                color=colour,
                linestyle=style,
                label=label,
            )
    if refused:
        _, colour, marker = OUTCOMES[Kind.RATE_LIMIT]
        ax.plot(
            *zip(*refused),
            linestyle="none",
            color=colour,
            marker=marker,
            markersize=6,
            zorder=3,
            label=translated("plots", "bucket.refused", "429: the request did not fit"),
        )
    ax.set_ylim(-3, 105)
    ax.set_xlabel(translated("plots", "axis.time", "time (simulated seconds)"))
    ax.set_ylabel(translated("plots", "bucket.level", "bucket level (% of capacity)"))
    ax.legend(loc="center right", fontsize=8)
    arrivals = len(refused) + sum(1 for row in result.trace if row.kind is Kind.OK)
    ax.set_title(
        translated(
            "plots",
            "bucket.title",
            "Less than one request was left at {empty} of {arrivals} arrivals: {refused} requests refused",
            empty=empty,
            arrivals=arrivals,
            refused=len(refused),
        ),
        fontsize=10,
    )
    alt = translated(
        "plots",
        "bucket.alt",
        "Bucket levels over time: requests left of {rpm} per minute and tokens left of {tpm} per minute, "
        "refilling steadily between arrivals, with {refused} refused requests marked.",
        rpm=rpm,
        tpm=tpm,
        refused=len(refused),
    )
    return _finish(fig, alt)


# -- goodput against the limit -----------------------------------------------------------------------
def _bin_seconds(limit_rps: float) -> float:
    """A bin long enough to hold about two requests at the limit, in round steps: 1, 2, 5, 10, 20, 30, 60 s."""
    for step in (1.0, 2.0, 5.0, 10.0, 20.0, 30.0):
        if step * limit_rps >= 2:
            return step
    return 60.0


def goodput(result, ax: Axes | None = None, bin_s: float | None = None, title: str | None = None) -> Figure:
    """Successes per second (goodput) and attempts per second (offered load) against the limit line. The y axis
    is scaled to the limit, so goodput and the limit read clearly; what rises above (the burst a full bucket lets
    through at the start, a storm of retries) is clipped and its peak written on the plot. Bins are long enough
    to hold a couple of requests at the limit (`bin_s` chooses)."""
    fig, ax = _figure(ax)
    use_cjk_font(title or "")
    if not result.trace:
        return _finish(fig, translated("plots", "goodput.no_attempts", "No attempts were made."))
    limit = result.metrics.limit_rps
    bin_s = bin_s or _bin_seconds(limit)
    end = max(row.time for row in result.trace)
    bins = max(1, math.ceil((end + 1e-9) / bin_s))
    offered, good = [0] * bins, [0] * bins
    for row in result.trace:
        index = min(bins - 1, int(row.time / bin_s))
        offered[index] += 1
        good[index] += row.kind is Kind.OK
    starts = [i * bin_s for i in range(bins + 1)]
    per_s = 1.0 / bin_s
    offered_rate = [o * per_s for o in offered]
    good_rate = [g * per_s for g in good]
    ax.stairs(
        offered_rate, starts, color=SERIES[1], label=translated("plots", "goodput.offered", "offered load (attempts/s)")
    )
    ax.stairs(
        good_rate,
        starts,
        color=SERIES[2],
        linewidth=2,
        label=translated("plots", "goodput.good", "goodput (successes/s)"),
    )
    ax.axhline(
        limit,
        color=OKABE_ITO["black"],
        linestyle=":",
        label=translated("plots", "goodput.limit", "limit ({per_minute:g} requests/min)", per_minute=limit * 60),
    )
    top = 4 * limit
    ax.set_ylim(0, top)
    clipped = [
        (
            translated("plots", "goodput.offered_peak", "offered load up to {peak:.3g}/s", peak=max(offered_rate)),
            SERIES[1],
            max(offered_rate),
        ),
        (
            translated("plots", "goodput.start_burst", "start: a full bucket lets {n} through", n=good[0]),
            SERIES[2],
            max(good_rate),
        ),
    ]
    notes = [(text, colour) for text, colour, peak in clipped if peak > top]
    for k, (text, colour) in enumerate(notes):
        ax.text(
            0.99, 0.96 - 0.14 * k, "↑ " + text, transform=ax.transAxes, ha="right", va="top", fontsize=8, color=colour
        )
    ax.set_xlabel(translated("plots", "axis.time", "time (simulated seconds)"))
    ax.set_ylabel(translated("plots", "goodput.per_second", "requests per second"))
    pad = legend_above(ax, ncols=3)
    share = result.metrics.goodput_share
    if title is None:
        title = (
            translated("plots", "goodput.title.keeps_up", "Goodput keeps up with the limit")
            if share >= 0.9
            else translated("plots", "goodput.title.short", "Goodput falls short of what the limit allows")
        )
    ax.set_title(title, fontsize=10, loc="left", pad=pad)
    wasted = sum(offered) - sum(good)
    alt = translated(
        "plots",
        "goodput.alt",
        "Offered load and goodput per {bin_s:g} s against a limit of {limit:.2f} requests per second; "
        "{successes} successes out of {attempts} attempts, {wasted} refused or failed; the successes used "
        "{share:.0%} of what the limit allowed.",
        bin_s=bin_s,
        limit=limit,
        successes=sum(good),
        attempts=sum(offered),
        wasted=wasted,
        share=share,
    )
    return _finish(fig, alt)


# -- comparisons between strategies ------------------------------------------------------------------
def _latencies(result) -> list[float]:
    latency_s = result.params["latency_s"]
    return sorted(row.time - row.ready + latency_s for row in result.trace if row.kind is Kind.OK)


def latency_cdf(results: Mapping[str, object], ax: Axes | None = None, xmax: float | None = None) -> Figure:
    """For each strategy, the share of requests answered within a given time (successes only); each curve is
    labelled at its end, where the share it reached can be read."""
    fig, ax = _figure(ax)
    use_cjk_font(*results)
    medians, answered, ends = {}, {}, []
    for i, (name, result) in enumerate(results.items()):
        values = _latencies(result)
        answered[name] = len(values) / max(1, result.metrics.requests)
        if not values:
            continue
        shares = [(k + 1) / result.metrics.requests for k in range(len(values))]
        colour = SERIES[i % len(SERIES)]
        ax.step(
            values,
            shares,
            where="post",
            color=colour,
            label=name,
            linestyle=("-", "--", "-.", ":")[i % 4],
            linewidth=1.8,
        )
        ends.append([values[-1], shares[-1], name, colour])
        medians[name] = values[len(values) // 2]
    right = xmax if xmax is not None else max((e[0] for e in ends), default=1.0) * 1.02
    ax.set_xlim(0, right)
    ax.set_ylim(0, 1.02)
    ends.sort(key=lambda e: e[1])
    for k in range(1, len(ends)):  # keep labels of curves that end at the same height apart
        ends[k][1] = max(ends[k][1], ends[k - 1][1] + 0.07)
    for x, y, name, colour in ends:
        ax.annotate(
            f"{name} ({answered[name]:.0%})",
            xy=(min(x, right), y),
            xytext=(-3, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color=colour,
            fontweight="bold",
        )
    ax.set_xlabel(translated("plots", "cdf.xlabel", "time from first attempt to answer (simulated seconds)"))
    ax.set_ylabel(translated("plots", "cdf.ylabel", "share of requests answered"))
    most = max(answered, key=answered.get) if answered else translated("plots", "cdf.none", "none")
    ax.set_title(
        translated("plots", "cdf.title", "'{most}' answers the most requests", most=most), fontsize=10, loc="left"
    )
    alt = translated(
        "plots",
        "cdf.alt",
        "Cumulative latency per strategy: {strategies}",
        strategies=translated("plots", "alt.separator", "; ").join(
            translated(
                "plots",
                "cdf.alt.one",
                "{name} median {median:.1f} s, {share:.0%} answered",
                name=n,
                median=v,
                share=answered[n],
            )
            for n, v in medians.items()
        ),
    )
    return _finish(fig, alt)


def work_and_drain(results: Mapping[str, object], axes: Sequence[Axes] | None = None) -> Figure:
    """Two panels: work amplification (attempts per success) and time to drain, per strategy."""
    if axes is None:
        fig = Figure(figsize=(WIDTH_IN, 3.4), layout="constrained")
        axes = fig.subplots(1, 2, sharey=True)
    fig = axes[0].figure
    use_cjk_font(*results)
    names = list(results)
    amplification = [min(results[n].metrics.amplification, 1e6) for n in names]
    drain = [results[n].metrics.drain_time_s for n in names]
    colours = [SERIES[i % len(SERIES)] for i in range(len(names))]
    hatches = ["", "//", "..", "xx"]
    positions = list(range(len(names)))[::-1]  # the first strategy on top, as in the table
    for ax, values, label, title in (
        (
            axes[0],
            amplification,
            translated("plots", "work.attempts_per_success", "attempts per success"),
            translated("plots", "work.title", "work (less is better)"),
        ),
        (
            axes[1],
            drain,
            translated("plots", "work.seconds", "simulated seconds"),
            translated("plots", "work.drain_title", "time to drain (less is better)"),
        ),
    ):
        bars = ax.barh(positions, values, color=colours, edgecolor="black", height=0.6)
        for bar, hatch in zip(bars, hatches * 4):
            bar.set_hatch(hatch)
        ax.bar_label(bars, fmt="%.1f", fontsize=8, padding=2)
        ax.set_xlabel(label)
        ax.set_xlim(0, max(values, default=1) * 1.25 or 1)
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_yticks(positions, names, fontsize=8)
    axes[0].set_ylabel(translated("plots", "work.strategy", "strategy"))
    axes[1].tick_params(labelleft=False)
    cheapest = names[amplification.index(min(amplification))]
    fastest = names[drain.index(min(drain))]
    gave_up = results[fastest].metrics.gave_up
    caveat = translated("plots", "work.caveat", ", but gives up on some requests") if gave_up else ""
    fig.suptitle(
        translated(
            "plots",
            "work.suptitle",
            "'{cheapest}' wastes the fewest attempts;\n'{fastest}' ends first{caveat}",
            cheapest=cheapest,
            fastest=fastest,
            caveat=caveat,
        ),
        fontsize=10,
    )
    alt = translated(
        "plots",
        "work.alt",
        "Work amplification and time to drain per strategy: {strategies}",
        strategies=translated("plots", "alt.separator", "; ").join(
            translated(
                "plots",
                "work.alt.one",
                "{name}: {attempts:.1f} attempts per success, drained in {seconds:.0f} s",
                name=n,
                attempts=a,
                seconds=d,
            )
            for n, a, d in zip(names, amplification, drain)
        ),
    )
    return _finish(fig, alt)


# -- backoff schedules ---------------------------------------------------------------------------------
def backoff_schedule(
    policy: Backoff, retries: int = 8, ax: Axes | None = None, samples: int = 400, seed: int = 0
) -> Figure:
    """Delay against retry number: the mean, the 5–95 % band of sampled delays, and the policy's bounds."""
    fig, ax = _figure(ax, (WIDTH_IN, 3.6))
    ns = list(range(1, retries + 1))
    lows, highs, means, p5, p95 = [], [], [], [], []
    for n in ns:
        low, high = policy.bounds(n)
        values = sorted(policy.samples(n, samples, seed))
        lows.append(low), highs.append(high), means.append(sum(values) / len(values))
        p5.append(values[int(0.05 * (len(values) - 1))]), p95.append(values[int(0.95 * (len(values) - 1))])
    ax.fill_between(
        ns, lows, highs, color=SERIES[0], alpha=0.12, label=translated("plots", "schedule.range", "possible range")
    )
    ax.fill_between(
        ns, p5, p95, color=SERIES[0], alpha=0.3, label=translated("plots", "schedule.band", "5–95 % of sampled delays")
    )
    ax.plot(ns, means, color=SERIES[0], marker="o", label=translated("plots", "schedule.mean", "mean delay"))
    ax.set_xlabel(translated("plots", "schedule.retry_number", "retry number"))
    ax.set_ylabel(translated("plots", "schedule.delay", "delay before the retry (seconds)"))
    ax.set_xticks(ns)
    ax.legend(loc="upper left", fontsize=8)
    spread = (
        translated("plots", "schedule.no_spread", "no spread: every client waits the same")
        if max(h - lo for h, lo in zip(highs, lows)) == 0
        else translated("plots", "schedule.spread", "jitter spreads the clients out")
    )
    name = shown_label(policy.name, policy.name)
    ax.set_title(
        translated(
            "plots", "schedule.title", "{name}: {spread}\n{formula}", name=name, spread=spread, formula=policy.formula
        ),
        fontsize=9,
    )
    alt = translated(
        "plots",
        "schedule.alt",
        "Backoff schedule of {name} for retries 1 to {retries}: mean delays {means} seconds.",
        name=name,
        retries=retries,
        means=_listed(f"{m:.2f}" for m in means),
    )
    return _finish(fig, alt)


# -- the contended-row experiment ----------------------------------------------------------------------
def _occ_name(strategy: str) -> str:
    """A strategy's name as the contended-row figure shows it: with spaces in English, its label in Chinese."""
    return shown_label(strategy, strategy.replace("_", " "))


def occ_results(results: Sequence, axes: Sequence[Axes] | None = None) -> Figure:
    """Writes and completion time against clients, per strategy (Brooker's two charts)."""
    if axes is None:
        fig = Figure(figsize=(WIDTH_IN, 6.4), layout="constrained")
        axes = fig.subplots(2, 1)  # one above the other: each panel as wide as the column
    fig = axes[0].figure
    use_cjk_font()
    strategies = list(dict.fromkeys(r.strategy for r in results))
    markers = ["o", "s", "^", "D", "v"]
    for i, name in enumerate(strategies):
        points = sorted((r.clients, r.mean_writes, r.mean_completion_ms) for r in results if r.strategy == name)
        clients = [p[0] for p in points]
        style = dict(color=SERIES[i % len(SERIES)], marker=markers[i % 5], label=_occ_name(name))
        axes[0].plot(clients, [p[1] for p in points], **style)
        axes[1].plot(clients, [p[2] / 1000 for p in points], **style)
    axes[0].set_ylabel(translated("plots", "occ.writes", "writes (mean per run)"))
    axes[1].set_ylabel(translated("plots", "occ.completion", "completion time (seconds,\nmean per run; log scale)"))
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xlabel(translated("plots", "occ.clients", "clients"))
    axes[0].legend(fontsize=8)
    top = max(r.clients for r in results)
    at_top = {r.strategy: r for r in results if r.clients == top}
    least = min(at_top, key=lambda s: at_top[s].mean_writes)
    slowest = max(at_top, key=lambda s: at_top[s].mean_completion_ms)
    fig.suptitle(
        translated(
            "plots",
            "occ.suptitle",
            "At {clients} clients '{least}' does the least work;\n'{slowest}' takes by far the longest",
            clients=top,
            least=_occ_name(least),
            slowest=_occ_name(slowest),
        ),
        fontsize=10,
    )
    alt = translated(
        "plots",
        "occ.alt",
        "Contended-row experiment at {clients} clients: {strategies}",
        clients=top,
        strategies=translated("plots", "alt.separator", "; ").join(
            translated(
                "plots",
                "occ.alt.one",
                "{name} {writes:.0f} writes, {seconds:.1f} s",
                name=shown_label(s, s),
                writes=r.mean_writes,
                seconds=r.mean_completion_ms / 1000,
            )
            for s, r in at_top.items()
        ),
    )
    return _finish(fig, alt)

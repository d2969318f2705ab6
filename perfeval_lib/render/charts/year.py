"""Charts across the units of a year (or several years): grades, rate against score, gaps, findings, ranks.

Each function takes a plain DataFrame (never modified) and returns a report figure
(:func:`~perfeval_lib.render.charts.style.new_figure`), or ``None`` when there is nothing to draw.
Rates are fractions in the data (0.95) and shown as percent (95%); scores are in points.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ...core.errors import InputError
from ...core.vocab import GRADES, SEVERITY_NAMES, SEVERITY_ORDER
from ..chartdata import (MAX_BARS, check_columns, is_empty, numbers, shorten, signed_label, texts, unit_labels,
                         wrap)
from ..palette import BLUE, DARK, GREY, ORANGE, RED, SEVERITY_COLOURS
from ._shared import percent_axis, year_axis
from .style import HEIGHT, MAX_LINES, MAX_YEARS, bar_height, new_figure, setup_fonts

__all__ = ["grade_counts", "rate_vs_score", "score_gaps", "findings_by_kind", "ranks_over_years"]


def grade_counts(results: pd.DataFrame) -> Figure | None:
    """Number of units per grade, 复核 beside 自评, in the order 优 良 中 差.

    A missing recomputed grade is counted as 无复核 and a missing claimed grade as 无自评 (each
    shown only when it occurs); any other grade text is shown after 差.

    Parameters
    ----------
    results : DataFrame
        Columns ``grade`` (优/良/中/差 or missing) and ``claimed_grade``.

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no grade at all.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"grade": ["优", "良", "良", None], "claimed_grade": ["优", "优", "良", "良"]})
    >>> fig = grade_counts(r)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['优', '良', '中', '差', '无复核']
    """
    setup_fonts()
    if is_empty(results):
        return None
    check_columns(results, ["grade", "claimed_grade"], "grade_counts")
    recomputed = texts(results, "grade").str.strip().replace("", np.nan)
    claimed = texts(results, "claimed_grade").str.strip().replace("", np.nan)
    if recomputed.isna().all() and claimed.isna().all():
        return None
    others = sorted((set(recomputed.dropna()) | set(claimed.dropna())) - set(GRADES))
    categories = [*GRADES, *others]
    counts_recomputed = [int((recomputed == c).sum()) for c in categories]
    counts_claimed = [int((claimed == c).sum()) for c in categories]
    if recomputed.isna().any():
        categories.append("无复核")
        counts_recomputed.append(int(recomputed.isna().sum()))
        counts_claimed.append(0)
    if claimed.isna().any():
        categories.append("无自评")
        counts_recomputed.append(0)
        counts_claimed.append(int(claimed.isna().sum()))

    fig = new_figure()
    ax = fig.subplots()
    x = np.arange(len(categories))
    width = 0.38
    for offset, counts, colour, name in ((-width / 2, counts_recomputed, BLUE, "复核"),
                                         (width / 2, counts_claimed, ORANGE, "自评")):
        bars = ax.bar(x + offset, counts, width=width, color=colour, label=name)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=2, fontsize=9, color=DARK)
    ax.set_xticks(x, categories)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(max(counts_recomputed), max(counts_claimed), 1) * 1.18)
    ax.set_ylabel("单位数")
    ax.set_title("复核与自评等级分布")
    ax.legend(loc="upper right")
    return fig


#: Where a point's label may go, tried in this order: (ha, va, dx, dy) with the offset in points.
_LABEL_SPOTS = tuple((ha, va, dx * k, dy * k) for k in (1.0, 2.2) for ha, va, dx, dy in (
    ("left", "bottom", 3, 2), ("right", "bottom", -3, 2), ("left", "top", 3, -2), ("right", "top", -3, -2),
    ("center", "bottom", 0, 5), ("center", "top", 0, -5), ("left", "center", 5, 0), ("right", "center", -5, 0)))


def place_labels(ax, xs, ys, labels, fontsize: float = 7.5) -> list[bool]:
    """Put each label beside its point where it overlaps no other label and no other point; else leave it out.

    The figure's layout is computed first and then kept (the layout engine is switched off), so what is
    measured here is what the PNG shows; offsets are in points, so the picture keeps them at any dpi.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes with the points drawn.
    xs, ys : sequence of float
        The points, in data coordinates.
    labels : sequence of str
        One short label per point, tried in this order.
    fontsize : float
        Label size in points.

    Returns
    -------
    list of bool
        Per point: was its label placed. Placed labels never overlap one another nor any point, and
        stay inside the axes.

    Examples
    --------
    >>> fig = new_figure(); ax = fig.subplots(); _ = ax.scatter([0.5, 0.5], [50, 50])
    >>> place_labels(ax, [0.5, 0.5], [50, 50], ["1", "2"])     # two labels for one spot: both fit around it
    [True, True]
    """
    fig = ax.figure
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    to_pixels = ax.transData.transform
    frame = ax.get_window_extent()
    radius = 3.5 * fig.dpi / 72  # a marker's half size, in pixels
    points = [to_pixels((x, y)) for x, y in zip(xs, ys)]
    taken: list = []
    placed = []
    for i, (x, y, label) in enumerate(zip(xs, ys, labels)):
        note = ax.annotate(str(label), (x, y), xytext=(0, 0), textcoords="offset points", fontsize=fontsize,
                           color=DARK, annotation_clip=False)
        fits = False
        for ha, va, dx, dy in _LABEL_SPOTS:
            note.set_horizontalalignment(ha)
            note.set_verticalalignment(va)
            note.xyann = (dx, dy)
            box = note.get_window_extent().expanded(1.08, 1.1)
            inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1)
            clear = not any(box.overlaps(other) for other in taken)
            free = not any(j != i and box.x0 - radius <= px <= box.x1 + radius and box.y0 - radius <= py <= box.y1 + radius
                           for j, (px, py) in enumerate(points))
            if inside and clear and free:
                taken.append(box)
                fits = True
                break
        if not fits:
            note.remove()
        placed.append(fits)
    return placed


def rate_vs_score(results: pd.DataFrame, bands: Iterable[tuple[float, str]] = ()) -> Figure | None:
    """Scatter of 预算执行率 against 复核得分, with the grade bands; each point numbered where there is room.

    Points are numbered with their ``label`` (a short key, e.g. the unit's row in a table shown beside
    the chart) by :func:`place_labels`, so labels never overlap; a point whose label has no room stays
    unnumbered (the table beside still lists it). ``fig.labelled`` holds the labels placed.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``execution_rate`` (fraction) and ``score``; ``label`` (optional, default
        the row's position from 1).
    bands : iterable of (float, str)
        The ruleset's grade bands as ``(lowest total, grade word)``, e.g. ``Ruleset.grade_bands``;
        a dotted line is drawn at each lower bound above 0. Empty: no band lines.

    Returns
    -------
    Figure or None
        ``None`` when no row has both a rate and a score.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_name": ["财政局", "教育局", "卫健委"], "execution_rate": [0.97, 0.85, 0.92],
    ...                   "score": [93.0, 74.5, 85.0]})
    >>> fig = rate_vs_score(r, bands=[(90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差")])
    >>> fig.axes[0].get_title(), fig.labelled
    ('预算执行率与复核得分', ['1', '2', '3'])
    """
    setup_fonts()
    if is_empty(results):
        return None
    check_columns(results, ["unit_name", "execution_rate", "score"], "rate_vs_score")
    labels = texts(results, "label") if "label" in results.columns else pd.Series(
        [str(i + 1) for i in range(len(results))], index=results.index)
    data = pd.DataFrame({"label": labels.fillna("").to_numpy(), "rate": numbers(results, "execution_rate"),
                         "score": numbers(results, "score")}).dropna(subset=["rate", "score"])
    if data.empty:
        return None

    fig = new_figure()
    ax = fig.subplots()
    ax.scatter(data["rate"], data["score"], s=28, color=BLUE, alpha=0.8, edgecolors="white",
               linewidths=0.5, zorder=3)
    ax.axvline(0.9, linestyle="--", color=DARK, linewidth=1)
    for level, word in bands:
        if level <= 0:
            continue
        text = f"{word} ≥{level:g}"
        ax.axhline(level, linestyle=":", color="#999999", linewidth=0.8)
        ax.text(1.0, level, text, transform=ax.get_yaxis_transform(), ha="right", va="bottom",
                fontsize=8, color="#777777")
    rates = data["rate"].to_numpy()
    scores = data["score"].to_numpy()
    span = max(float(rates.max()), 0.9) - min(float(rates.min()), 0.9)
    pad = max(span * 0.08, 0.02)
    ax.set_xlim(min(float(rates.min()), 0.9) - pad, max(float(rates.max()), 0.9) + pad * 2)
    ax.set_ylim(min(float(scores.min()), 60.0) - 5, max(float(scores.max()), 100.0) + 3)
    percent_axis(ax.xaxis)
    ax.grid(axis="x")
    ax.set_xlabel("预算执行率（%）")
    ax.set_ylabel("复核得分")
    ax.set_title("预算执行率与复核得分")
    placed = place_labels(ax, rates, scores, data["label"].tolist())
    fig.labelled = [label for label, ok in zip(data["label"], placed) if ok]
    return fig


def score_gaps(results: pd.DataFrame, n: int = 10) -> Figure | None:
    """Horizontal bars of the ``n`` largest gaps 自评得分 − 复核得分, largest on top.

    A positive gap (自评高于复核) is drawn red, a negative one blue; units with no gap are left out.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``score`` (recomputed) and ``claimed_score``; with a ``year``
        column holding several years, the year is added to the names.
    n : int, default 10
        How many units to show.

    Returns
    -------
    Figure or None
        ``None`` when no unit has both scores and a non-zero gap.

    Raises
    ------
    InputError
        When a column named above is missing.
    ValueError
        When ``n`` is not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_name": ["财政局", "教育局", "卫健委"], "score": [93.0, 74.5, 85.0],
    ...                   "claimed_score": [95.0, 90.0, 83.0]})
    >>> fig = score_gaps(r)
    >>> fig.axes[0].get_title(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('自评与复核得分差异最大的单位', ['教育局', '财政局', '卫健委'])
    """
    setup_fonts()
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, not {n!r}")
    if is_empty(results):
        return None
    check_columns(results, ["unit_name", "score", "claimed_score"], "score_gaps")
    gap = numbers(results, "claimed_score") - numbers(results, "score")
    data = pd.DataFrame({"name": unit_labels(results).to_numpy(), "gap": gap})
    data = data[np.isfinite(data["gap"]) & (data["gap"].abs() > 1e-9)]
    if data.empty:
        return None
    data = data.assign(size=data["gap"].abs()).sort_values("size", ascending=False, kind="stable").head(int(n))

    fig = new_figure(bar_height(len(data)))
    ax = fig.subplots()
    y = np.arange(len(data))
    gaps = data["gap"].to_numpy()
    colours = [RED if g > 0 else BLUE for g in gaps]
    bars = ax.barh(y, gaps, color=colours, height=0.6)
    ax.bar_label(bars, labels=[signed_label(g) for g in gaps], padding=3, fontsize=8, color=DARK)
    ax.axvline(0, color=DARK, linewidth=0.8)
    ax.set_yticks(y, [wrap(name, 14) for name in data["name"]])
    ax.invert_yaxis()
    reach = float(np.abs(gaps).max())
    ax.set_xlim(min(float(gaps.min()), 0.0) - reach * 0.18, max(float(gaps.max()), 0.0) + reach * 0.18)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("自评得分 - 复核得分（分）")
    ax.set_title("自评与复核得分差异最大的单位")
    ax.legend(handles=[Patch(color=RED, label="自评高于复核"), Patch(color=BLUE, label="自评低于复核")],
              loc="lower right")
    return fig


def findings_by_kind(findings: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Figure | None:
    """Horizontal bars of the number of findings per ``code``, coloured by severity.

    A code found with several severities takes the most severe one; at most 15 codes are drawn
    (the most frequent).

    Parameters
    ----------
    findings : DataFrame
        Columns ``code`` and ``severity`` (``error`` / ``warning`` / ``info``).
    labels : mapping, optional
        Chinese label for each code; codes without one are shown as they are.

    Returns
    -------
    Figure or None
        ``None`` when there are no findings with a code.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"code": ["bad_value", "bad_value", "claim_gap"], "severity": ["error", "error", "warning"]})
    >>> fig = findings_by_kind(f, labels={"bad_value": "数值无效"})
    >>> fig.axes[0].get_title(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('审核发现按类型统计', ['数值无效', 'claim_gap'])
    """
    setup_fonts()
    if is_empty(findings):
        return None
    check_columns(findings, ["code", "severity"], "findings_by_kind")
    data = pd.DataFrame({"code": texts(findings, "code").to_numpy(),
                         "severity": texts(findings, "severity").str.strip().str.lower().to_numpy()})
    data = data.dropna(subset=["code"])
    if data.empty:
        return None
    data = data.assign(order=data["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER)))
    table = (data.groupby("code", sort=False)
             .agg(count=("code", "size"), order=("order", "min"))
             .reset_index()
             .sort_values(["count", "order"], ascending=[False, True], kind="stable"))
    left_out = max(len(table) - MAX_BARS, 0)
    table = table.head(MAX_BARS)
    by_order = {order: severity for severity, order in SEVERITY_ORDER.items()}
    severities = [by_order.get(int(order), "other") for order in table["order"]]
    labels = dict(labels or {})

    fig = new_figure(bar_height(len(table)))
    ax = fig.subplots()
    y = np.arange(len(table))
    counts = table["count"].to_numpy()
    bars = ax.barh(y, counts, height=0.6, color=[SEVERITY_COLOURS.get(s, GREY) for s in severities])
    ax.bar_label(bars, padding=3, fontsize=8, color=DARK)
    ax.set_yticks(y, [wrap(labels.get(code, code), 16) for code in table["code"]])
    ax.invert_yaxis()
    ax.set_xlim(0, counts.max() * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("条数" + (f"（仅显示最多的 {MAX_BARS} 类，另有 {left_out} 类）" if left_out else ""))
    ax.set_title("审核发现按类型统计")
    shown = [s for s in (*SEVERITY_ORDER, "other") if s in severities]
    ax.legend(handles=[Patch(color=SEVERITY_COLOURS.get(s, GREY), label=SEVERITY_NAMES.get(s, "其他"))
                       for s in shown], loc="lower right")
    return fig


def ranks_over_years(results: pd.DataFrame, unit_codes: Iterable[str] | None = None) -> Figure | None:
    """Each unit's rank (1 = best 复核得分 of that year) over the years; rank 1 at the top.

    Ranks are taken among all units of a year (ties share the better rank), then the chosen units
    are drawn — at most 12, the best ranked in their latest year, over at most the latest 10 years
    (the axis label says when some were left out).

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score``; one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw; default all.

    Returns
    -------
    Figure or None
        ``None`` when no row has a year and a score, or none of ``unit_codes`` has one.

    Raises
    ------
    InputError
        When a column named above is missing, or a unit appears twice in one year.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_name": ["财政局", "教育局"] * 2,
    ...                   "year": [2022, 2022, 2023, 2023], "score": [91.0, 85.0, 84.0, 88.0]})
    >>> fig = ranks_over_years(r)
    >>> fig.axes[0].get_title(), bool(fig.axes[0].yaxis_inverted())
    ('各单位历年得分排名', True)
    """
    setup_fonts()
    if is_empty(results):
        return None
    check_columns(results, ["unit_code", "unit_name", "year", "score"], "ranks_over_years")
    data = pd.DataFrame({"code": texts(results, "unit_code").to_numpy(),
                         "name": texts(results, "unit_name").to_numpy(),
                         "year": numbers(results, "year"), "score": numbers(results, "score")})
    data = data.dropna(subset=["code", "year", "score"])
    if data.empty:
        return None
    data = data.assign(year=data["year"].round().astype("int64"))
    doubled = data[data.duplicated(["code", "year"])]
    if len(doubled):
        raise InputError(column="unit_code", value=f"{doubled['code'].iloc[0]} {doubled['year'].iloc[0]}",
                         expected="每个单位每年一行 / one row per unit and year",
                         message="单位年度重复 / a unit appears twice in one year")
    data = data.assign(rank=data.groupby("year")["score"].rank(method="min", ascending=False).astype("int64"))
    if unit_codes is not None:
        wanted = {str(code) for code in unit_codes}
        data = data[data["code"].isin(wanted)]
        if data.empty:
            return None
    years = sorted(data["year"].unique())
    early_years = max(len(years) - MAX_YEARS, 0)
    data = data[data["year"] >= years[early_years]]
    latest = data.sort_values("year").groupby("code", sort=False).tail(1)
    order = latest.sort_values(["rank", "code"])["code"].tolist()
    left_out = max(len(order) - MAX_LINES, 0)
    order = order[:MAX_LINES]

    fig = new_figure(4.0 if len(order) > 6 else HEIGHT)
    ax = fig.subplots()
    colours = mpl.colormaps["tab20"].colors
    markersize = 5.0 if data["year"].nunique() <= 6 else 3.5
    for i, code in enumerate(order):
        unit = data[data["code"] == code].sort_values("year")
        names = unit["name"].dropna()
        name = names.iloc[-1] if len(names) else code
        ax.plot(unit["year"], unit["rank"], marker="o", markersize=markersize, linewidth=1.5,
                color=colours[(2 * i) % 20 + (i // 10)], label=shorten(name))
    ax.invert_yaxis()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top_rank = int(data.loc[data["code"].isin(order), "rank"].max())
    ax.set_ylim(top_rank + 0.5, 0.5)
    year_axis(ax, data["year"])
    ax.grid(axis="x")
    ax.set_ylabel("排名（1 = 得分最高）")
    notes = ([f"最近 {MAX_YEARS} 年"] if early_years else []) + (
        [f"按最新排名显示前 {MAX_LINES} 个单位，另有 {left_out} 个"] if left_out else [])
    ax.set_xlabel("年度" + (f"（{'；'.join(notes)}）" if notes else ""))
    ax.set_title("各单位历年得分排名")
    fig.legend(loc="outside right upper", fontsize=8)
    return fig


"""Charts of one unit: its budget lines, its spending over the months, its scores, its years.

Each function takes a plain DataFrame (never modified) and returns a report figure
(:func:`~perfeval_lib.render.charts.style.new_figure`), or ``None`` when there is nothing to draw.
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%); scores in points.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...core import formatting
from ...core.errors import InputError
from ._shared import (check_columns, is_empty, money_axis, num_label, numbers, percent_axis, texts, wrap,
                      year_axis)
from .style import BLUE, DARK, GREY, MAX_BARS, ORANGE, bar_height, new_figure, setup_fonts

__all__ = ["budget_vs_executed", "spending_curve", "score_by_level1", "trend"]


def budget_vs_executed(lines: pd.DataFrame) -> Figure | None:
    """Grouped horizontal bars of 全年预算数 and 执行数 per budget line, with the execution rate.

    Rows with the same ``label`` are added up; at most the 15 lines with the largest budget are
    drawn (the axis label says how many were left out).

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (e.g. ``"基本支出·财政拨款"``), ``budget_final`` and ``executed`` (万元).

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no amounts.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"label": ["基本支出·财政拨款", "项目支出·财政拨款"],
    ...                       "budget_final": [1200.0, 800.0], "executed": [1180.0, 640.0]})
    >>> fig = budget_vs_executed(lines)
    >>> fig.axes[0].get_title()
    '预算数与执行数（万元）'
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['98.3%', '80.0%']
    """
    setup_fonts()
    if is_empty(lines):
        return None
    check_columns(lines, ["label", "budget_final", "executed"], "budget_vs_executed")
    data = pd.DataFrame({"label": texts(lines, "label").fillna("（未命名）").to_numpy(),
                         "budget": numbers(lines, "budget_final"),
                         "executed": numbers(lines, "executed")})
    data = data[data[["budget", "executed"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.groupby("label", sort=False).sum(min_count=1).reset_index()
    left_out = max(len(data) - MAX_BARS, 0)
    if left_out:
        data = data.loc[data["budget"].fillna(-np.inf).nlargest(MAX_BARS).index.sort_values()]
    n = len(data)
    budget = data["budget"].to_numpy()
    executed = data["executed"].to_numpy()
    valid = np.isfinite(budget) & (budget != 0)
    rate = np.full(n, np.nan)
    np.divide(executed, budget, out=rate, where=valid)

    fig = new_figure(bar_height(n * 1.6))
    ax = fig.subplots()
    y = np.arange(n)
    bar = 0.38
    has_budget = np.isfinite(budget)
    has_executed = np.isfinite(executed)
    ax.barh(y[has_budget] - bar / 2, budget[has_budget], height=bar, color=GREY, label="全年预算数")
    ax.barh(y[has_executed] + bar / 2, executed[has_executed], height=bar, color=BLUE, label="执行数")
    end = np.fmax(np.nan_to_num(budget, nan=0.0), np.nan_to_num(executed, nan=0.0))
    top = float(np.max(end)) if np.max(end) > 0 else 1.0
    for i in range(n):
        text = formatting.rate(rate[i]) if np.isfinite(rate[i]) else "—"
        ax.text(max(end[i], 0.0) + top * 0.01, y[i], text, va="center", fontsize=9, color=DARK)
    ax.set_yticks(y, [wrap(label, 12) for label in data["label"]])
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, float(np.nanmin(np.append(budget, executed)))) * 1.1, top * 1.15)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    money_axis(ax.xaxis)
    ax.set_xlabel("万元" + (f"（仅显示预算最大的 {MAX_BARS} 项，另有 {left_out} 项）" if left_out else "")
                  + "；条末为执行率")
    ax.set_title("预算数与执行数（万元）")
    ax.legend(loc="lower right")
    return fig


def spending_curve(progress: pd.DataFrame) -> Figure | None:
    """Monthly cumulative spending progress against the 序时进度 line, for one unit-year.

    Parameters
    ----------
    progress : DataFrame
        Columns ``month`` (1–12), ``progress`` (cumulative executed / budget, a fraction) and
        ``target`` (the progress line, a fraction) — one row per month, as from
        :func:`perfeval_lib.review.metrics.spending_progress` filtered to one unit and year.

    Returns
    -------
    Figure or None
        ``None`` when there is no month with a progress or target value.

    Raises
    ------
    InputError
        When a column named above is missing, or a month appears twice (several units or years mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"month": [3, 6, 9, 12], "progress": [0.2, 0.45, 0.7, 0.98],
    ...                   "target": [0.25, 0.5, 0.75, 1.0]})
    >>> fig = spending_curve(p)
    >>> fig.axes[0].get_title(), fig.axes[0].get_xticklabels()[0].get_text()
    ('月度累计支出进度', '1月')
    """
    setup_fonts()
    if is_empty(progress):
        return None
    check_columns(progress, ["month", "progress", "target"], "spending_curve")
    data = pd.DataFrame({"month": numbers(progress, "month"), "progress": numbers(progress, "progress"),
                         "target": numbers(progress, "target")})
    data = data[data["month"].between(1, 12) & data[["progress", "target"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.assign(month=data["month"].round().astype("int64")).sort_values("month")
    doubled = data["month"][data["month"].duplicated()]
    if len(doubled):
        raise InputError(column="month", value=int(doubled.iloc[0]),
                         expected="每月一行（一个单位、一个年度） / one row per month",
                         message="月份重复 / a month appears twice")

    fig = new_figure()
    ax = fig.subplots()
    line = data.dropna(subset=["progress"])
    goal = data.dropna(subset=["target"])
    if len(line):
        ax.plot(line["month"], line["progress"], marker="o", color=BLUE, linewidth=2, label="累计支出进度")
        last = line.iloc[-1]
        ax.annotate(formatting.rate(last['progress']), (last["month"], last["progress"]), xytext=(0, 8),
                    textcoords="offset points", ha="center", fontsize=9, color=BLUE)
    if len(goal):
        ax.plot(goal["month"], goal["target"], linestyle="--", color=DARK, linewidth=1.2, label="序时进度")
    ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
    ax.set_xlim(0.5, 12.5)
    highest = float(np.nanmax(data[["progress", "target"]].to_numpy()))
    ax.set_ylim(0, max(1.0, highest) * 1.1)
    percent_axis(ax.yaxis)
    ax.set_ylabel("占全年预算")
    ax.set_title("月度累计支出进度")
    ax.legend(loc="upper left")
    return fig


def score_by_level1(frame: pd.DataFrame) -> Figure | None:
    """Bars of 分值, 复核得分 and 自评得分 for each 一级指标.

    Rows with the same ``level1`` (for example one row per indicator) are added up; a missing
    score is left out (no bar), not drawn as 0.

    Parameters
    ----------
    frame : DataFrame
        Columns ``level1``, ``weight``, ``score`` (recomputed) and ``claimed_score``.

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no numbers.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"level1": ["决策", "过程", "产出", "效益"], "weight": [20.0, 20.0, 30.0, 30.0],
    ...                   "score": [18.0, 17.5, 27.0, None], "claimed_score": [20.0, 19.0, 29.0, 28.0]})
    >>> score_by_level1(f).axes[0].get_title()
    '各一级指标得分与分值'
    """
    setup_fonts()
    if is_empty(frame):
        return None
    columns = ["weight", "score", "claimed_score"]
    check_columns(frame, ["level1", *columns], "score_by_level1")
    data = pd.DataFrame({"level1": texts(frame, "level1").fillna("（未分类）").to_numpy(),
                         **{c: numbers(frame, c) for c in columns}})
    data = data[data[columns].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.groupby("level1", sort=False).sum(min_count=1).reset_index()

    fig = new_figure()
    ax = fig.subplots()
    x = np.arange(len(data))
    width = 0.26
    for offset, column, colour, name in ((-width, "weight", GREY, "分值"), (0.0, "score", BLUE, "复核得分"),
                                         (width, "claimed_score", ORANGE, "自评得分")):
        values = data[column].to_numpy()
        shown = np.isfinite(values)
        bars = ax.bar(x[shown] + offset, values[shown], width=width, color=colour, label=name)
        ax.bar_label(bars, labels=[num_label(v) for v in values[shown]], padding=2, fontsize=8,
                     color=DARK)
    ax.set_xticks(x, [wrap(name, 6) for name in data["level1"]])
    highest = float(np.nanmax(data[columns].to_numpy()))
    ax.set_ylim(0, max(highest, 1.0) * 1.18)
    ax.set_ylabel("分")
    ax.set_title("各一级指标得分与分值")
    ax.legend(loc="upper left", ncols=3)
    return fig


def trend(history: pd.DataFrame) -> Figure | None:
    """Two panels over the years: 预算执行率, and 复核得分 beside 自评得分 (one unit).

    Parameters
    ----------
    history : DataFrame
        Columns ``year`` (int), ``execution_rate`` (fraction), ``score`` and ``claimed_score``;
        one row per year.

    Returns
    -------
    Figure or None
        ``None`` when fewer than two years have any value.

    Raises
    ------
    InputError
        When a column named above is missing, or a year appears twice (several units mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"year": [2021, 2022, 2023], "execution_rate": [0.91, 0.95, 0.97],
    ...                   "score": [86.0, 90.5, 92.0], "claimed_score": [92.0, 94.0, 95.0]})
    >>> fig = trend(h)
    >>> fig.get_suptitle(), [ax.get_title() for ax in fig.axes]
    ('历年预算执行率与得分', ['预算执行率', '复核得分与自评得分'])
    >>> trend(h.head(1)) is None
    True
    """
    setup_fonts()
    if is_empty(history):
        return None
    columns = ["execution_rate", "score", "claimed_score"]
    check_columns(history, ["year", *columns], "trend")
    data = pd.DataFrame({"year": numbers(history, "year"), **{c: numbers(history, c) for c in columns}})
    data = data[data["year"].notna() & data[columns].notna().any(axis=1)]
    data = data.assign(year=data["year"].round().astype("int64")).sort_values("year")
    doubled = data["year"][data["year"].duplicated()]
    if len(doubled):
        raise InputError(column="year", value=int(doubled.iloc[0]),
                         expected="每年一行（一个单位） / one row per year",
                         message="年度重复 / a year appears twice")
    if len(data) < 2:
        return None

    fig = new_figure()
    left, right = fig.subplots(1, 2)
    rates = data.dropna(subset=["execution_rate"])
    if len(rates):
        left.plot(rates["year"], rates["execution_rate"], marker="o", color=BLUE, linewidth=2)
        low = min(float(rates["execution_rate"].min()), 0.9)
        high = max(float(rates["execution_rate"].max()), 1.0)
        left.set_ylim(low - 0.05, high + 0.03)
        left.axhline(0.9, linestyle=":", color=DARK, linewidth=0.8)
    else:
        left.text(0.5, 0.5, "无数据", transform=left.transAxes, ha="center", va="center", color=DARK)
    percent_axis(left.yaxis)
    left.set_title("预算执行率")
    plotted = False
    for column, colour, style, name in (("score", BLUE, "-", "复核得分"),
                                        ("claimed_score", ORANGE, "--", "自评得分")):
        points = data.dropna(subset=[column])
        if len(points):
            right.plot(points["year"], points[column], marker="o", linestyle=style, color=colour,
                       linewidth=2, label=name)
            plotted = True
    if plotted:
        right.legend(loc="lower right")
        scores = data[["score", "claimed_score"]].to_numpy()
        right.set_ylim(min(float(np.nanmin(scores)), 80.0) - 5, max(float(np.nanmax(scores)), 100.0) + 2)
    else:
        right.text(0.5, 0.5, "无数据", transform=right.transAxes, ha="center", va="center", color=DARK)
    right.set_ylabel("分")
    right.set_title("复核得分与自评得分")
    for ax in (left, right):
        year_axis(ax, data["year"])
        ax.set_xlabel("年度")
    fig.suptitle("历年预算执行率与得分")
    return fig

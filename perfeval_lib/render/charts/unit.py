"""Charts of one unit as PNG figures for the Word draft: its budget lines, its spending over the months, its scores.

Each function takes a plain DataFrame (never modified) and returns a report figure
(:func:`~perfeval_lib.render.charts.style.new_figure`), or ``None`` when there is nothing to draw.
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%); scores in points.
What is drawn comes from :mod:`perfeval_lib.render.chartdata`, as for the pages' vector charts
(:mod:`perfeval_lib.render.svg.unit`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...core import formatting
from ..chartdata import MAX_BARS, budget_bars, level1_scores, monthly_progress, num_label, wrap
from ..palette import BLUE, DARK, GREY, ORANGE
from ._shared import money_axis, percent_axis
from .style import bar_height, new_figure, setup_fonts

__all__ = ["budget_vs_executed", "spending_curve", "score_by_level1"]


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
    bars = budget_bars(lines)
    if bars is None:
        return None
    data, left_out = bars.frame, bars.left_out
    n = len(data)
    budget = data["budget"].to_numpy()
    executed = data["executed"].to_numpy()
    rate = data["rate"].to_numpy()

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
    data = monthly_progress(progress)
    if data is None:
        return None

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
    data = level1_scores(frame)
    if data is None:
        return None
    columns = ["weight", "score", "claimed_score"]

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

"""Charts of one unit for its HTML report, as SVG: budget lines, spending over the months, scores, years.

Each function takes a plain DataFrame (never modified) and returns an :class:`~perfeval_lib.render.svg.canvas.SvgChart`,
or ``None`` when there is nothing to draw (the page then says why). What is drawn comes from
:mod:`perfeval_lib.render.chartdata` — the same numbers as the Word draft's PNG charts
(:mod:`perfeval_lib.render.charts.unit`), in the same colours (:mod:`perfeval_lib.render.palette`).
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%); scores in points.
A unit's page draws all four in a few milliseconds, so no chart is left out for speed.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...core import formatting
from ..chartdata import MAX_BARS, budget_bars, level1_scores, monthly_progress, num_label, wrap, yearly
from ..palette import BLUE, DARK, GREY, ORANGE
from .canvas import (LABEL_SIZE, TICK_SIZE, VALUE_SIZE, WIDTH, Box, Canvas, Scale, SvgChart, block_width, finite,
                     nice_ticks, percent_label)

__all__ = ["budget_vs_executed", "spending_curve", "score_by_level1", "trend"]


def budget_vs_executed(lines: pd.DataFrame) -> SvgChart | None:
    """Grouped horizontal bars of 全年预算数 and 执行数 per budget line, with the execution rate at the end.

    Rows with the same ``label`` are added up; at most the 15 lines with the largest budget are drawn
    (the axis label says how many were left out), as :func:`perfeval_lib.render.chartdata.budget_bars` gives them.

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (e.g. ``"基本支出·财政拨款"``), ``budget_final`` and ``executed`` (万元).

    Returns
    -------
    SvgChart or None
        ``None`` when there are no rows or no amounts.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = budget_vs_executed(pd.DataFrame({"label": ["基本支出·财政拨款", "项目支出·财政拨款"],
    ...                                          "budget_final": [1200.0, 800.0], "executed": [1180.0, 640.0]}))
    >>> chart.title, "98.3%" in chart.svg, "80.0%" in chart.svg
    ('预算数与执行数（万元）', True, True)
    """
    bars = budget_bars(lines)
    if bars is None:
        return None
    data = bars.frame
    labels = [wrap(label, 12) for label in data["label"]]
    budget, executed, rate = (data[c].to_numpy() for c in ("budget", "executed", "rate"))
    row = max(34.0, max(label.count("\n") + 1 for label in labels) * TICK_SIZE * 1.2 + 8)
    box = Box(16 + max(block_width(label, TICK_SIZE) for label in labels), 62, WIDTH - 56, 62 + row * len(data))
    amounts = finite(np.append(budget, executed))
    ticks = nice_ticks(min(0.0, *amounts), max(0.0, *amounts) or 1.0)
    x = Scale(ticks[0], ticks[-1], box.left, box.right)
    title = "预算数与执行数（万元）"
    canvas = Canvas(WIDTH, box.bottom + 52, title)
    canvas.heading()
    canvas.legend(box.right, 42, [("全年预算数", GREY, "bar"), ("执行数", BLUE, "bar")])
    canvas.value_axis_x(box, x, ticks, lambda v: f"{v:,.0f}")
    zero, bar = x(0.0), min(13.0, row * 0.36)
    for i, label in enumerate(labels):
        centre = box.top + row * (i + 0.5)
        ends = [zero]
        if math.isfinite(budget[i]):
            canvas.rect(zero, centre - bar - 1, x(budget[i]) - zero, bar, GREY)
            ends.append(x(budget[i]))
        if math.isfinite(executed[i]):
            canvas.rect(zero, centre + 1, x(executed[i]) - zero, bar, BLUE)
            ends.append(x(executed[i]))
        canvas.text(max(ends) + 4, centre, formatting.rate(rate[i]) if math.isfinite(rate[i]) else "—", VALUE_SIZE)
        canvas.text(box.left - 8, centre, label, TICK_SIZE, "end")
    canvas.line(zero, box.top, zero, box.bottom)
    left_out = f"（仅显示预算最大的 {MAX_BARS} 项，另有 {bars.left_out} 项）" if bars.left_out else ""
    canvas.text((box.left + box.right) / 2, box.bottom + 36, f"万元{left_out}；条末为执行率", TICK_SIZE, "middle")
    return canvas.chart()


def spending_curve(progress: pd.DataFrame) -> SvgChart | None:
    """Monthly cumulative spending progress against the 序时进度 line, for one unit-year.

    Parameters
    ----------
    progress : DataFrame
        Columns ``month`` (1–12), ``progress`` (cumulative executed / budget, a fraction) and
        ``target`` (the progress line, a fraction) — one row per month, as from
        :func:`perfeval_lib.review.metrics.spending_progress` filtered to one unit and year.

    Returns
    -------
    SvgChart or None
        ``None`` when there is no month with a progress or target value.

    Raises
    ------
    InputError
        When a column named above is missing, or a month appears twice (several units or years mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> chart = spending_curve(pd.DataFrame({"month": [3, 6, 9, 12], "progress": [0.2, 0.45, 0.7, 0.98],
    ...                                      "target": [0.25, 0.5, 0.75, 1.0]}))
    >>> chart.title, "1月" in chart.svg, "98.0%" in chart.svg
    ('月度累计支出进度', True, True)
    """
    data = monthly_progress(progress)
    if data is None:
        return None
    title = "月度累计支出进度"
    canvas = Canvas(WIDTH, 340, title)
    box = Box(64, 62, WIDTH - 24, 300)
    x = Scale(0.5, 12.5, box.left, box.right)
    highest = max(finite(data[["progress", "target"]].to_numpy().ravel()))
    ticks = nice_ticks(0.0, max(1.0, highest) * 1.05, intervals=6)
    y = Scale(ticks[0], ticks[-1], box.bottom, box.top)
    canvas.heading()
    canvas.legend(box.right, 42, [("累计支出进度", BLUE, "line"), ("序时进度", DARK, "dash")])
    canvas.value_axis_y(box, y, ticks, percent_label)
    canvas.category_axis_x(box, [x(m) for m in range(1, 13)], [f"{m}月" for m in range(1, 13)])
    canvas.text(18, (box.top + box.bottom) / 2, "占全年预算", TICK_SIZE, "middle", rotate=-90)
    goal = data.dropna(subset=["target"])
    canvas.polyline([(x(m), y(v)) for m, v in zip(goal["month"], goal["target"])], DARK, 1.2, "6 4")
    line = data.dropna(subset=["progress"])
    points = [(x(m), y(v)) for m, v in zip(line["month"], line["progress"])]
    canvas.polyline(points, BLUE, 2.0, markers=True)
    if points:
        canvas.text(points[-1][0], points[-1][1] - 14, formatting.rate(line["progress"].iloc[-1]), VALUE_SIZE,
                    "middle", BLUE)
    return canvas.chart()


def score_by_level1(frame: pd.DataFrame) -> SvgChart | None:
    """Bars of 分值, 复核得分 and 自评得分 for each 一级指标, each bar labelled with its points.

    Rows with the same ``level1`` (for example one row per indicator) are added up; a missing
    score is left out (no bar), not drawn as 0.

    Parameters
    ----------
    frame : DataFrame
        Columns ``level1``, ``weight``, ``score`` (recomputed) and ``claimed_score`` (points).

    Returns
    -------
    SvgChart or None
        ``None`` when there are no rows or no numbers.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = score_by_level1(pd.DataFrame({"level1": ["决策", "产出"], "weight": [20.0, 30.0],
    ...                                       "score": [18.0, None], "claimed_score": [20.0, 28.0]}))
    >>> chart.title, chart.svg.count("<rect") - 1   # the background, then 3 legend keys and 5 bars
    ('各一级指标得分与分值', 8)
    """
    data = level1_scores(frame)
    if data is None:
        return None
    columns = (("weight", GREY, "分值"), ("score", BLUE, "复核得分"), ("claimed_score", ORANGE, "自评得分"))
    labels = [wrap(name, 6) for name in data["level1"]]
    lines = max(label.count("\n") + 1 for label in labels)
    height = 330 + lines * TICK_SIZE * 1.2
    box = Box(56, 62, WIDTH - 16, height - 14 - lines * TICK_SIZE * 1.2)
    values = finite(data[[c for c, _, _ in columns]].to_numpy().ravel())
    ticks = nice_ticks(min(0.0, *values), max(1.0, *values) * 1.12)
    y = Scale(ticks[0], ticks[-1], box.bottom, box.top)
    title = "各一级指标得分与分值"
    canvas = Canvas(WIDTH, height, title)
    canvas.heading()
    canvas.legend(box.right, 42, [(name, colour, "bar") for _, colour, name in columns])
    canvas.value_axis_y(box, y, ticks, lambda v: f"{v:g}")
    canvas.text(18, (box.top + box.bottom) / 2, "分", TICK_SIZE, "middle")
    slot = (box.right - box.left) / len(data)
    width = min(slot * 0.26, 40.0)
    centres = [box.left + slot * (i + 0.5) for i in range(len(data))]
    for centre, (_, row) in zip(centres, data.iterrows()):
        for offset, (column, colour, _) in zip((-1, 0, 1), columns):
            value = row[column]
            if not math.isfinite(value):
                continue
            middle = centre + offset * width
            canvas.rect(middle - width / 2, y(value), width, y(0.0) - y(value), colour)
            canvas.text(middle, y(max(value, 0.0)) - 8, num_label(value), VALUE_SIZE, "middle")
    canvas.category_axis_x(box, centres, labels)
    return canvas.chart()


def trend(history: pd.DataFrame) -> SvgChart | None:
    """Two panels over the years: 预算执行率 (with the 90 % line), and 复核得分 beside 自评得分.

    Parameters
    ----------
    history : DataFrame
        Columns ``year`` (int), ``execution_rate`` (fraction), ``score`` and ``claimed_score``;
        one row per year (one unit, or the district's means).

    Returns
    -------
    SvgChart or None
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
    >>> chart = trend(h)
    >>> chart.title, "预算执行率" in chart.svg, "复核得分与自评得分" in chart.svg
    ('历年预算执行率与得分', True, True)
    >>> trend(h.head(1)) is None
    True
    """
    data = yearly(history)
    if data is None:
        return None
    years = data["year"].tolist()
    title = "历年预算执行率与得分"
    canvas = Canvas(WIDTH, 330, title)
    canvas.heading()
    left, right = Box(60, 86, 335, 270), Box(410, 86, WIDTH - 16, 270)

    x = canvas.year_panel(left, years, "预算执行率")
    rates = data.dropna(subset=["execution_rate"])
    if len(rates):
        ticks = nice_ticks(min(rates["execution_rate"].min(), 0.9) - 0.05, max(rates["execution_rate"].max(), 1.0) + 0.03)
        y = Scale(ticks[0], ticks[-1], left.bottom, left.top)
        canvas.value_axis_y(left, y, ticks, percent_label)
        canvas.line(left.left, y(0.9), left.right, y(0.9), DARK, 0.8, "2 3")
        canvas.polyline([(x(a), y(b)) for a, b in zip(rates["year"], rates["execution_rate"])], BLUE, 2.0, markers=True)
    else:
        canvas.text((left.left + left.right) / 2, (left.top + left.bottom) / 2, "无数据", LABEL_SIZE, "middle")

    x = canvas.year_panel(right, years, "复核得分与自评得分")
    series = (("score", BLUE, "", "复核得分"), ("claimed_score", ORANGE, "6 4", "自评得分"))
    scores = finite(data[["score", "claimed_score"]].to_numpy().ravel())
    if scores:
        ticks = nice_ticks(min(*scores, 80.0) - 5, max(*scores, 100.0) + 2)
        y = Scale(ticks[0], ticks[-1], right.bottom, right.top)
        canvas.value_axis_y(right, y, ticks, lambda v: f"{v:g}")
        canvas.text(right.left - 40, (right.top + right.bottom) / 2, "分", TICK_SIZE, "middle")
        canvas.legend(right.right, right.top - 14,
                      [(name, colour, "dash" if dash else "line") for column, colour, dash, name in series
                       if data[column].notna().any()])
        for column, colour, dash, _ in series:
            points = data.dropna(subset=[column])
            canvas.polyline([(x(a), y(b)) for a, b in zip(points["year"], points[column])], colour, 2.0, dash,
                            markers=True)
    else:
        canvas.text((right.left + right.right) / 2, (right.top + right.bottom) / 2, "无数据", LABEL_SIZE, "middle")
    return canvas.chart()

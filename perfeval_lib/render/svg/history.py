"""Charts of several units over the years for the trends page, as SVG: one line per unit, and ranks.

Each function takes a plain DataFrame (never modified) and returns an :class:`~perfeval_lib.render.svg.canvas.SvgChart`,
or ``None`` when there is nothing to draw. What is drawn comes from :mod:`perfeval_lib.render.chartdata_history`;
a unit keeps one colour of :data:`perfeval_lib.render.palette.SERIES` in a chart. Rates are fractions in the
data (0.95) and shown as percent (95%); scores are in points; rank 1 is the best 复核得分 of the year.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ..chartdata import shorten
from ..chartdata_history import MAX_LINES, MAX_YEARS, rank_grid, rank_lines, unit_years
from ..palette import AXIS, BLUE, DARK, GREY, GRID, SERIES
from .canvas import (LABEL_SIZE, TICK_SIZE, WIDTH, Box, Canvas, Scale, SvgChart, finite, fit_text, nice_ticks,
                     percent_label, text_width, ticks_within)

__all__ = ["unit_lines", "ranks_over_years", "rank_panels"]

#: Text in the small panels of :func:`rank_panels` (pixels).
PANEL_SIZE = 10


def _rank_ticks(bottom: int, y: Scale, size: float, intervals: int = 5) -> list[float]:
    """Whole ranks from 1 to ``bottom`` — 1, then round ones — at least a line of text (1.2 × ``size``) apart on ``y``."""
    kept: list[float] = []
    for tick in sorted({1.0, *(t for t in ticks_within(1, bottom, intervals, integer=True) if t >= 1)}):
        if not kept or abs(y(tick) - y(kept[-1])) >= 1.2 * size:
            kept.append(tick)
    return kept


def _two_lines(text: str, width: float, size: float) -> str:
    """A panel's title in at most two lines of ``width`` pixels, the second cut (…) when even two are too short."""
    text = str(text)
    fits = max((k for k in range(len(text) + 1) if text_width(text[:k], size) <= width), default=0)
    return text if fits == len(text) else f"{text[:fits]}\n{fit_text(text[fits:], width, size)}"


def unit_colours(codes) -> dict[str, str]:
    """Each unit's colour of :data:`~perfeval_lib.render.palette.SERIES`, by its code's place among ``codes``
    sorted: the same units keep the same colours in every chart of a page, whatever order each draws them in.

    Examples
    --------
    >>> unit_colours(["D009", "D001"]) == {"D001": SERIES[0], "D009": SERIES[1]}
    True
    """
    return {code: SERIES[i % len(SERIES)] for i, code in enumerate(sorted(set(codes)))}


def unit_lines(results: pd.DataFrame) -> SvgChart | None:
    """Two panels over the years, one line per unit: 预算执行率 (with the 90 % line), and 复核得分.

    For a few chosen units (at most :data:`~perfeval_lib.render.chartdata_history.MAX_LINES`), each drawn
    in its own colour and named in the legend under the panels; for many units draw an aggregate instead
    (:func:`perfeval_lib.render.svg.trend`).

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year``, ``execution_rate`` (fraction) and ``score``; one row
        per unit and year.

    Returns
    -------
    SvgChart or None
        ``None`` when fewer than two years have a value.

    Raises
    ------
    InputError
        When a column named above is missing, a unit appears twice in one year, or there are more than
        ``MAX_LINES`` units.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "A", "B", "B"], "unit_name": ["财政局", "财政局", "教育局", "教育局"],
    ...                   "year": [2022, 2023, 2022, 2023], "execution_rate": [0.9, 0.95, 0.8, 0.99],
    ...                   "score": [91.0, 93.0, 85.0, 88.0]})
    >>> chart = unit_lines(r)
    >>> chart.title, chart.svg.count("<polyline"), "教育局" in chart.svg
    ('各单位历年预算执行率与复核得分', 4, True)
    """
    data = unit_years(results)
    if data is None:
        return None
    years = sorted(int(y) for y in data["year"].unique())
    codes = list(dict.fromkeys(data["code"]))
    title = "各单位历年预算执行率与复核得分"
    canvas = Canvas(WIDTH, 400, title)
    canvas.heading()
    left, right = Box(64, 86, 335, 270), Box(410, 86, WIDTH - 16, 270)
    colours = unit_colours(codes)
    units = [(code, data[data["code"] == code], colours[code]) for code in codes]
    for box, column, name in ((left, "rate", "预算执行率"), (right, "score", "复核得分")):
        x = canvas.year_panel(box, years, name)
        values = finite(data[column])
        if not values:
            canvas.text((box.left + box.right) / 2, (box.top + box.bottom) / 2, "无数据", LABEL_SIZE, "middle")
            continue
        if column == "rate":
            ticks = nice_ticks(min(*values, 0.9) - 0.05, max(*values, 1.0) + 0.03)
            y = Scale(ticks[0], ticks[-1], box.bottom, box.top)
            canvas.value_axis_y(box, y, ticks, percent_label)
            canvas.line(box.left, y(0.9), box.right, y(0.9), DARK, 0.8, "2 3")
        else:
            ticks = nice_ticks(min(*values, 80.0) - 5, max(*values, 100.0) + 2)
            y = Scale(ticks[0], ticks[-1], box.bottom, box.top)
            canvas.value_axis_y(box, y, ticks, lambda v: f"{v:g}")
            canvas.text(box.left - 40, (box.top + box.bottom) / 2, "分", TICK_SIZE, "middle")
        for _, unit, colour in units:
            points = unit.dropna(subset=[column])
            canvas.polyline([(x(a), y(b)) for a, b in zip(points["year"], points[column])], colour, 1.8,
                            markers=True, radius=3.0)
    legend = [(shorten(unit["name"].iloc[-1], 40), colour, "line") for _, unit, colour in units]
    bottom = canvas.legend_rows(16, WIDTH - 16, left.bottom + (58 if len(years) > 6 else 46), legend)
    canvas.set_height(bottom + 12)
    return canvas.chart()


def ranks_over_years(results: pd.DataFrame, unit_codes: Iterable[str] | None = None) -> SvgChart | None:
    """Each unit's rank (1 = best 复核得分 of that year) over the years; rank 1 at the top.

    Ranks are taken among all units of a year (ties share the better rank), then the chosen units are drawn
    — at most 12, the best ranked in their latest year, over at most the latest 10 years (the axis label
    says when some were left out), as :func:`perfeval_lib.render.chartdata_history.rank_lines` gives them.
    The legend under the chart names each line.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score``; one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw; default all.

    Returns
    -------
    SvgChart or None
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
    >>> chart = ranks_over_years(r)
    >>> chart.title, chart.svg.count("<polyline")
    ('各单位历年得分排名', 2)
    """
    lines = rank_lines(results, unit_codes)
    if lines is None:
        return None
    data = lines.frame
    years = sorted(int(y) for y in data["year"].unique())
    top_rank = int(data["rank"].max())
    title = "各单位历年得分排名"
    canvas = Canvas(WIDTH, 400, title)
    canvas.heading()
    box = Box(64, 40, WIDTH - 16, 290 if len(lines.order) > 6 else 250)
    notes = ([f"最近 {MAX_YEARS} 年"] if lines.early_years else []) + (
        [f"按最新排名显示前 {MAX_LINES} 个单位，另有 {lines.left_out} 个"] if lines.left_out else [])
    x = canvas.year_panel(box, years, label="年度" + (f"（{'；'.join(notes)}）" if notes else ""))
    y = Scale(0.5, top_rank + 0.5, box.top, box.bottom)
    canvas.value_axis_y(box, y, _rank_ticks(top_rank, y, TICK_SIZE), lambda v: f"{v:g}")
    for year in years:
        canvas.line(x(year), box.top, x(year), box.bottom, GRID, 0.8)
    canvas.text(20, (box.top + box.bottom) / 2, "排名（1 = 得分最高）", TICK_SIZE, "middle", rotate=-90)
    radius = 3.0 if len(years) <= 6 else 2.2
    legend = []
    colours = unit_colours(lines.order)
    for code in lines.order:
        colour = colours[code]
        unit = data[data["code"] == code]
        canvas.polyline([(x(a), y(b)) for a, b in zip(unit["year"], unit["rank"])], colour, 1.5, markers=True,
                        radius=radius)
        legend.append((shorten(lines.names[code], 40), colour, "line"))
    bottom = canvas.legend_rows(16, WIDTH - 16, box.bottom + (58 if len(years) > 6 else 46), legend)
    canvas.set_height(bottom + 12)
    return canvas.chart()


def rank_panels(results: pd.DataFrame, unit_codes=None) -> SvgChart | None:
    """Small multiples: one small panel per unit with its rank (1 = best 复核得分 of the year) over the years.

    Ranks are taken among all rows of a year (pass the whole district), ties sharing the better rank; every
    panel has the same axes (rank 1 at the top, the district's last rank at the bottom, a grey band over the
    first three), so 24 units stay readable where 24 crossing lines would not. Each line ends in its last
    rank. At most 30 panels, six to a row, in the order given
    (:func:`perfeval_lib.render.chartdata_history.rank_grid`); a name too long for its panel is cut (…).

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score``; one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw, in this order; default all, by code.

    Returns
    -------
    SvgChart or None
        ``None`` when fewer than two years have a score, or none of ``unit_codes`` has one.

    Raises
    ------
    InputError
        When a column named above is missing, or a unit appears twice in one year.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_name": ["财政局", "教育局"] * 2,
    ...                   "year": [2022, 2022, 2023, 2023], "score": [91.0, 85.0, 84.0, 88.0]})
    >>> chart = rank_panels(r)
    >>> chart.title, chart.svg.count("<polyline")
    ('各单位历年全区排名（2022–2023，灰带为前三名）', 2)
    """
    grid = rank_grid(results, unit_codes)
    if grid is None:
        return None
    first, last = grid.years[0], grid.years[-1]
    columns = min(len(grid.codes), 6)
    rows = math.ceil(len(grid.codes) / columns)
    left, gap, row_height = 64.0, 14.0, 116.0
    width = (WIDTH - left - 12 - gap * (columns - 1)) / columns
    title = f"各单位历年全区排名（{first}–{last}，灰带为前三名）"
    canvas = Canvas(WIDTH, max(44 + rows * row_height, 190), title)
    canvas.heading()
    for i, code in enumerate(grid.codes):
        row, column = divmod(i, columns)
        panel_left = left + column * (width + gap)
        top = 44 + row * row_height
        box = Box(panel_left, top + 32, panel_left + width, top + 90)
        canvas.text(box.left + width / 2, top + 14, _two_lines(grid.names[code], width, PANEL_SIZE), PANEL_SIZE,
                    "middle")
        x = Scale(first, last, box.left + 8, box.right - 20)
        y = Scale(0.5, grid.bottom + 0.5, box.top, box.bottom)
        ticks = _rank_ticks(grid.bottom, y, PANEL_SIZE, 3)
        canvas.rect(box.left, y(0.5), width, y(min(3.5, grid.bottom + 0.5)) - y(0.5), GREY, 0.45)
        for tick in ticks:
            canvas.line(box.left, y(tick), box.right, y(tick), GRID, 0.6)
            if column == 0:
                canvas.text(box.left - 4, y(tick), f"{tick:g}", PANEL_SIZE, "end")
        canvas.line(box.left, box.top, box.left, box.bottom, AXIS)
        canvas.line(box.left, box.bottom, box.right, box.bottom, AXIS)
        for year in (first, last):
            canvas.text(x(year), box.bottom + 10, str(year), PANEL_SIZE, "middle")
        unit = grid.frame[grid.frame["code"] == code]
        points = [(x(a), y(b)) for a, b in zip(unit["year"], unit["rank"])]
        canvas.polyline(points, BLUE, 1.5, markers=True, radius=2.0)
        canvas.text(points[-1][0] + 5, points[-1][1], str(int(unit["rank"].iloc[-1])), PANEL_SIZE, colour=DARK)
    canvas.text(16, 44 + rows * row_height / 2, "全区排名（1 = 得分最高）", TICK_SIZE, "middle", rotate=-90)
    return canvas.chart()

"""Charts across the units of a year for the overview page, as SVG: grades, rate against score, gaps, findings.

Each function takes a plain DataFrame (never modified) and returns an :class:`~perfeval_lib.render.svg.canvas.SvgChart`,
or ``None`` when there is nothing to draw (the page then says why). What is drawn comes from
:mod:`perfeval_lib.render.chartdata` (counted, sorted, grouped there), in the colours of
:mod:`perfeval_lib.render.palette`. Rates are fractions in the data (0.95) and shown as percent (95%);
scores are in points.

The scatter numbers its points where a number has room (:func:`place_labels`): text widths are estimated
as everywhere in the kit (a Chinese character one em, any other 0.6 em), so what is checked for overlaps
is what the page shows.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ...core.vocab import SEVERITY_NAMES, SEVERITY_ORDER
from ..chartdata import (MAX_BARS, finding_kinds, grade_tally, largest_gaps, rate_score_points, signed_label,
                         wrap)
from ..palette import BLUE, DARK, GREY, MUTED, ORANGE, RED, SEVERITY_COLOURS
from .canvas import (TICK_SIZE, VALUE_SIZE, WIDTH, Box, Canvas, Scale, SvgChart, block_width, nice_ticks,
                     percent_label, text_width, ticks_within)

__all__ = ["NumberedChart", "grade_counts", "rate_vs_score", "place_labels", "label_box", "score_gaps",
           "findings_by_kind", "POINT_RADIUS"]

#: The radius of a scatter point, in pixels.
POINT_RADIUS = 3.5
#: How much nearer (pixels) a number must be to its own point than to any other, so it is read as that point's.
LABEL_MARGIN = 3.0

#: Where a point's number may go, tried in this order: (horizontal side, vertical side, dx, dy) in pixels,
#: dy upwards — beside the point at a corner, above, below, left or right; then the same farther out.
_LABEL_SPOTS = tuple((ha, va, dx * k, dy * k) for k in (1.0, 2.2) for ha, va, dx, dy in (
    ("left", "bottom", 4, 3), ("right", "bottom", -4, 3), ("left", "top", 4, -3), ("right", "top", -4, -3),
    ("center", "bottom", 0, 7), ("center", "top", 0, -7), ("left", "center", 7, 0), ("right", "center", -7, 0)))


@dataclass(frozen=True)
class NumberedChart(SvgChart):
    """An :class:`SvgChart` whose points carry numbers; ``labelled`` lists the numbers placed, in order."""

    labelled: list[str] = field(default_factory=list)


def _bars_title(canvas: Canvas, legend: list[tuple[str, str, str]], right: float) -> None:
    canvas.heading()
    canvas.legend(right, 42, legend)


def grade_counts(results) -> SvgChart | None:
    """Number of units per grade, 复核 beside 自评, in the order 优 良 中 差.

    A missing recomputed grade is counted as 无复核 and a missing claimed grade as 无自评 (each shown only
    when it occurs); any other grade text is shown after 差 (:func:`perfeval_lib.render.chartdata.grade_tally`).
    Each bar is labelled with its count (a zero bar has no label).

    Parameters
    ----------
    results : DataFrame
        Columns ``grade`` (优/良/中/差 or missing) and ``claimed_grade``.

    Returns
    -------
    SvgChart or None
        ``None`` when there are no rows or no grade at all.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = grade_counts(pd.DataFrame({"grade": ["优", "良", "良", None], "claimed_grade": ["优", "优", "良", "良"]}))
    >>> chart.title, "无复核" in chart.svg, "无自评" in chart.svg
    ('复核与自评等级分布', True, False)
    """
    data = grade_tally(results)
    if data is None:
        return None
    title = "复核与自评等级分布"
    canvas = Canvas(WIDTH, 330, title)
    box = Box(64, 62, WIDTH - 16, 296)
    highest = max(int(data["recomputed"].max()), int(data["claimed"].max()), 1)
    ticks = nice_ticks(0.0, highest * 1.18, integer=True)
    y = Scale(ticks[0], ticks[-1], box.bottom, box.top)
    _bars_title(canvas, [("复核", BLUE, "bar"), ("自评", ORANGE, "bar")], box.right)
    canvas.value_axis_y(box, y, ticks, lambda v: f"{v:g}")
    canvas.text(20, (box.top + box.bottom) / 2, "单位数", TICK_SIZE, "middle", rotate=-90)
    slot = (box.right - box.left) / len(data)
    width = min(slot * 0.38, 44.0)
    centres = [box.left + slot * (i + 0.5) for i in range(len(data))]
    for centre, (_, row) in zip(centres, data.iterrows()):
        for offset, column, colour in ((-0.5, "recomputed", BLUE), (0.5, "claimed", ORANGE)):
            count = int(row[column])
            middle = centre + offset * width
            canvas.rect(middle - width / 2, y(count), width, y(0.0) - y(count), colour)
            if count:
                canvas.text(middle, y(count) - 8, str(count), VALUE_SIZE, "middle")
    canvas.category_axis_x(box, centres, data["grade"].tolist())
    return canvas.chart()


def label_box(x: float, y: float, text: str, size: float = VALUE_SIZE) -> Box:
    """The box a point's number takes when drawn centred on (x, y): its estimated width, 1.2 em high.

    Examples
    --------
    >>> label_box(100, 50, "12")                 # two digits at 10 px: 12 px wide, 12 px high
    Box(left=94.0, top=44.0, right=106.0, bottom=56.0)
    """
    width, height = text_width(text, size), size * 1.2
    return Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _distance(box: Box, x: float, y: float) -> float:
    """Pixels from the point to the nearest edge of the box (0 inside it)."""
    return math.hypot(max(box.left - x, 0.0, x - box.right), max(box.top - y, 0.0, y - box.bottom))


def _nearest_is_own(box: Box, i: int, points: list[tuple[float, float]]) -> bool:
    """Whether the label's box is nearer its own point than any point elsewhere, by a clear margin (a reader
    takes a number for the nearest dot's); points in the very same place share it."""
    own_x, own_y = points[i]
    own = _distance(box, own_x, own_y) + LABEL_MARGIN
    return all(_distance(box, x, y) > own for j, (x, y) in enumerate(points)
               if j != i and math.hypot(x - own_x, y - own_y) > 0.5)


def place_labels(points: list[tuple[float, float]], labels: list[str], frame: Box, size: float = VALUE_SIZE,
                 obstacles: Iterable[Box] = ()) -> list[Box | None]:
    """Put each label beside its point where it overlaps no other label, no other point and no obstacle.

    The spots of ``_LABEL_SPOTS`` are tried in order (corners first, then above, below, beside; then the same
    farther out); a label with no free spot inside ``frame`` is left out.

    Parameters
    ----------
    points : list of (float, float)
        The points, in pixels.
    labels : list of str
        One short label per point, tried in this order.
    frame : Box
        The plotting area: a label stays wholly inside it.
    size : float
        Font size in pixels.
    obstacles : iterable of Box
        Text already drawn inside the frame, which labels must not cover.

    Returns
    -------
    list of Box or None
        Per point: the box of its label (see :func:`label_box`), or ``None`` when it had no room. Placed
        boxes, grown by one pixel, never overlap one another nor an obstacle, hold no other point (nor a
        ring of :data:`POINT_RADIUS` around it), and are nearer their own point than any other point by
        :data:`LABEL_MARGIN` pixels at least.

    Examples
    --------
    >>> first, second = place_labels([(100, 100), (100, 100)], ["1", "2"], Box(0, 0, 200, 200))
    >>> first                  # two points in one place: a corner would touch the other point, so above …
    Box(left=97.0, top=81.0, right=103.0, bottom=93.0)
    >>> second                 # … and below
    Box(left=97.0, top=107.0, right=103.0, bottom=119.0)
    """
    taken = [Box(b.left - 1, b.top - 1, b.right + 1, b.bottom + 1) for b in obstacles]
    placed: list[Box | None] = []
    for i, ((x, y), label) in enumerate(zip(points, labels)):
        width, height = text_width(str(label), size), size * 1.2
        found = None
        for ha, va, dx, dy in _LABEL_SPOTS:
            left = x + dx if ha == "left" else x + dx - width if ha == "right" else x - width / 2
            top = y - dy - height if va == "bottom" else y - dy if va == "top" else y - height / 2
            box = Box(left, top, left + width, top + height)
            grown = Box(left - 1, top - 1, left + width + 1, top + height + 1)
            if (box.within(frame) and not any(grown.overlaps(other) for other in taken)
                    and not any(j != i and grown.contains(px, py, POINT_RADIUS) for j, (px, py) in enumerate(points))
                    and _nearest_is_own(box, i, points)):
                found = box
                taken.append(grown)
                break
        placed.append(found)
    return placed


def rate_vs_score(results, bands: Iterable[tuple[float, str]] = ()) -> NumberedChart | None:
    """Scatter of 预算执行率 against 复核得分, with the grade bands; each point numbered where there is room.

    Points are numbered with their ``label`` (a short key, e.g. the unit's row in a table shown beside the
    chart) by :func:`place_labels`, so numbers never overlap one another, a point or a band's name; a point
    whose number has no room stays unnumbered (the table beside still lists it). ``chart.labelled`` holds
    the numbers placed. A dashed line marks the 90 % rate.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``execution_rate`` (fraction) and ``score``; ``label`` (optional, default the
        row's position from 1).
    bands : iterable of (float, str)
        The ruleset's grade bands as ``(lowest total, grade word)``, e.g. ``Ruleset.grade_bands``; a dotted
        line named ``优 ≥90`` is drawn at each lower bound above 0 inside the score axis. Empty: no band lines.

    Returns
    -------
    NumberedChart or None
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
    >>> chart = rate_vs_score(r, bands=[(90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差")])
    >>> chart.title, chart.labelled, "优 ≥90" in chart.svg
    ('预算执行率与复核得分', ['1', '2', '3'], True)
    """
    data = rate_score_points(results)
    if data is None:
        return None
    rates, scores = data["rate"].to_numpy(), data["score"].to_numpy()
    low, high = min(float(rates.min()), 0.9), max(float(rates.max()), 0.9)
    pad = max((high - low) * 0.08, 0.02)
    bottom, top = min(float(scores.min()), 60.0) - 5, max(float(scores.max()), 100.0) + 3
    title = "预算执行率与复核得分"
    canvas = Canvas(WIDTH, 430, title)
    box = Box(64, 44, WIDTH - 20, 376)
    x = Scale(low - pad, high + pad * 2, box.left, box.right)
    y = Scale(bottom, top, box.bottom, box.top)
    canvas.heading()
    canvas.value_axis_y(box, y, ticks_within(bottom, top, 6), lambda v: f"{v:g}")
    canvas.value_axis_x(box, x, ticks_within(low - pad, high + pad * 2, 6), percent_label)
    canvas.text((box.left + box.right) / 2, box.bottom + 36, "预算执行率（%）", TICK_SIZE, "middle")
    canvas.text(20, (box.top + box.bottom) / 2, "复核得分", TICK_SIZE, "middle", rotate=-90)
    obstacles = []
    for level, word in bands:
        if level <= 0 or not bottom <= level < top:
            continue
        name = f"{word} ≥{level:g}"
        canvas.line(box.left, y(level), box.right, y(level), "#999999", 0.8, "1 3")
        canvas.text(box.right - 2, y(level) - 7, name, VALUE_SIZE, "end", MUTED)
        obstacles.append(Box(box.right - 2 - text_width(name, VALUE_SIZE), y(level) - 7 - VALUE_SIZE * 0.6,
                             box.right - 2, y(level) - 7 + VALUE_SIZE * 0.6))
    canvas.line(x(0.9), box.top, x(0.9), box.bottom, DARK, 1.0, "6 4")
    points = [(x(r), y(s)) for r, s in zip(rates, scores)]
    for px, py in points:
        canvas.circle(px, py, POINT_RADIUS, BLUE, 0.8, "white")
    labels = data["label"].tolist()
    boxes = place_labels(points, labels, box, VALUE_SIZE, obstacles)
    for label, spot in zip(labels, boxes):
        if spot is not None:
            canvas.text((spot.left + spot.right) / 2, (spot.top + spot.bottom) / 2, label, VALUE_SIZE, "middle",
                        kind="pe-point-label")
    chart = canvas.chart()
    return NumberedChart(chart.svg, chart.title, [label for label, spot in zip(labels, boxes) if spot is not None])


def _horizontal_bars(canvas: Canvas, box: Box, row: float, labels: list[str], values: list[float],
                     colours: list[str], texts: list[str], integer: bool = False) -> None:
    """Bars from the zero line, one per row, each with its text beyond its end; the value axis under the box,
    spread so that the texts fit inside the box."""
    widths = [text_width(t, VALUE_SIZE) + 8 for t in texts]
    right = max([w for w, v in zip(widths, values) if v > 0], default=8.0)
    left = max([w for w, v in zip(widths, values) if v < 0], default=8.0)
    low, high = min(min(values), 0.0), max(max(values), 0.0)
    x = Scale(low, high, box.left + left, box.right - right)
    per_pixel = (high - low) / (x.end - x.start)
    edge_low, edge_high = low - left * per_pixel, high + right * per_pixel
    canvas.value_axis_x(box, x, ticks_within(edge_low, edge_high, 6, integer), lambda v: f"{v:g}")
    bar = min(16.0, row * 0.6)
    zero = x(0.0)
    for i, (label, value, colour, text) in enumerate(zip(labels, values, colours, texts)):
        centre = box.top + row * (i + 0.5)
        canvas.rect(zero, centre - bar / 2, x(value) - zero, bar, colour)
        if value < 0:
            canvas.text(x(value) - 4, centre, text, VALUE_SIZE, "end")
        else:
            canvas.text(x(value) + 4, centre, text, VALUE_SIZE)
        canvas.text(box.left - 8, centre, label, TICK_SIZE, "end")
    canvas.line(zero, box.top, zero, box.bottom, DARK, 0.8)


def _bar_rows(labels: list[str], width: float = 0.0) -> tuple[Box, float]:
    """The plotting box of a chart of horizontal bars with these (wrapped) labels, and the height of a row."""
    row = max(30.0, max(label.count("\n") + 1 for label in labels) * TICK_SIZE * 1.2 + 8)
    return Box(16 + max(width, max(block_width(label, TICK_SIZE) for label in labels)), 62, WIDTH - 16,
               62 + row * len(labels)), row


def score_gaps(results, n: int = 10) -> SvgChart | None:
    """Horizontal bars of the ``n`` largest gaps 自评得分 − 复核得分, largest on top.

    A positive gap (自评高于复核) is drawn red, a negative one blue, each labelled with its signed points
    (+2.00); units with no gap are left out (:func:`perfeval_lib.render.chartdata.largest_gaps`).

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``score`` (recomputed) and ``claimed_score``; with a ``year`` column holding
        several years, the year is added to the names.
    n : int, default 10
        How many units to show.

    Returns
    -------
    SvgChart or None
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
    >>> chart = score_gaps(r)
    >>> chart.title, chart.svg.index("教育局") < chart.svg.index("财政局") < chart.svg.index("卫健委")
    ('自评与复核得分差异最大的单位', True)
    """
    data = largest_gaps(results, n)
    if data is None:
        return None
    labels = [wrap(name, 14) for name in data["name"]]
    box, row = _bar_rows(labels)
    title = "自评与复核得分差异最大的单位"
    canvas = Canvas(WIDTH, box.bottom + 52, title)
    _bars_title(canvas, [("自评高于复核", RED, "bar"), ("自评低于复核", BLUE, "bar")], box.right)
    gaps = data["gap"].tolist()
    _horizontal_bars(canvas, box, row, labels, gaps, [RED if g > 0 else BLUE for g in gaps],
                     [signed_label(g) for g in gaps])
    canvas.text((box.left + box.right) / 2, box.bottom + 36, "自评得分 - 复核得分（分）", TICK_SIZE, "middle")
    return canvas.chart()


def findings_by_kind(findings, labels: Mapping[str, str] | None = None) -> SvgChart | None:
    """Horizontal bars of the number of findings per ``code``, coloured by severity, the most frequent on top.

    A code found with several severities takes the most severe one; at most 15 codes are drawn (the most
    frequent; the axis label says how many were left out), as
    :func:`perfeval_lib.render.chartdata.finding_kinds` gives them.

    Parameters
    ----------
    findings : DataFrame
        Columns ``code`` and ``severity`` (``error`` / ``warning`` / ``info``).
    labels : mapping, optional
        Chinese label for each code; codes without one are shown as they are.

    Returns
    -------
    SvgChart or None
        ``None`` when there are no findings with a code.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"code": ["bad_value", "bad_value", "claim_gap"], "severity": ["error", "error", "warning"]})
    >>> chart = findings_by_kind(f, labels={"bad_value": "数值无效"})
    >>> chart.title, "数值无效" in chart.svg, "claim_gap" in chart.svg
    ('审核发现按类型统计', True, True)
    """
    kinds = finding_kinds(findings)
    if kinds is None:
        return None
    data = kinds.frame
    names = dict(labels or {})
    shown = [s for s in (*SEVERITY_ORDER, "other") if s in set(data["severity"])]
    legend = [(SEVERITY_NAMES.get(s, "其他"), SEVERITY_COLOURS.get(s, GREY), "bar") for s in shown]
    bar_labels = [wrap(names.get(code, code), 16) for code in data["code"]]
    box, row = _bar_rows(bar_labels)
    title = "审核发现按类型统计"
    canvas = Canvas(WIDTH, box.bottom + 52, title)
    _bars_title(canvas, legend, box.right)
    counts = [float(c) for c in data["count"]]
    _horizontal_bars(canvas, box, row, bar_labels, counts, [SEVERITY_COLOURS.get(s, GREY) for s in data["severity"]],
                     [str(int(c)) for c in counts], integer=True)
    left_out = f"（仅显示最多的 {MAX_BARS} 类，另有 {kinds.left_out} 类）" if kinds.left_out else ""
    canvas.text((box.left + box.right) / 2, box.bottom + 36, "条数" + left_out, TICK_SIZE, "middle")
    return canvas.chart()

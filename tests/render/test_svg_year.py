"""SVG charts of the year overview: what each shows, read back from the drawing; geometry against the axes'
own ticks; numbers on crowded points never overlapping (in pixel boxes); hostile text. What every SVG chart
must do (valid SVG, None cases, missing columns, no text leaving the canvas or covering another) is in
test_svg_contract.py; the inputs are in tests/kits/chart_inputs.py."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from perfeval_lib.render import chartdata, svg
from perfeval_lib.render.svg.canvas import Box
from perfeval_lib.render.svg.year import POINT_RADIUS, place_labels

from ..kits.chart_inputs import FINDING_LABELS, NAMES, findings_frame, grades_frame
from ..kits.svg import (circles, linear, lines, overlapping_texts, parse, problems_outside, rects, text_boxes, texts,
                        ticks)

BLUE, ORANGE, RED, DARK, GRID = "#3B6FB6", "#E08A3C", "#C8453A", "#555555", "#E3E3E3"
ERROR, WARNING, INFO = "#C8453A", "#E0A030", "#5B8DB8"


def integer(text: str) -> bool:
    return re.fullmatch(r"-?\d+", text) is not None


# ---------------------------------------------------------------------------------------------
# grade_counts

def test_grade_counts_order_counts_and_bar_heights():
    root = parse(svg.grade_counts(grades_frame()))
    shown = texts(root)
    categories = ["优", "良", "中", "差", "无复核", "无自评"]
    assert [t for t in shown if t in categories] == categories
    assert {"复核", "自评", "单位数"} <= set(shown)
    # the count axis: whole numbers only, from 0; a bar of n units is n times as tall as a bar of 1
    axis = ticks(root, "end", integer, int)
    assert [v for v, _ in axis] == [0, 1, 2, 3]
    to_pixel = linear(axis)
    unit = to_pixel(0) - to_pixel(1)
    blue = [float(r["height"]) for r in rects(root, BLUE)[1:]]      # the first is the legend key
    orange = [float(r["height"]) for r in rects(root, ORANGE)[1:]]
    assert blue == pytest.approx([unit * n for n in (1, 2, 0, 1, 1, 0)], abs=0.11)
    assert orange == pytest.approx([unit * n for n in (2, 2, 0, 0, 0, 1)], abs=0.11)
    for r in rects(root, BLUE)[1:] + rects(root, ORANGE)[1:]:       # bars stand on the zero line
        assert float(r["y"]) + float(r["height"]) == pytest.approx(to_pixel(0), abs=0.11)
    counts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
              if t.get("text-anchor") == "middle" and integer(t.text or "")]
    assert sorted(counts) == ["1", "1", "1", "1", "2", "2", "2"]       # each bar's count, none on a 0 bar


def test_grade_counts_keeps_other_grade_words_after_差_and_trims_spaces():
    frame = pd.DataFrame({"grade": [" 优 ", "合格", "合格"], "claimed_grade": ["优", "优", ""]})
    shown = texts(parse(svg.grade_counts(frame)))
    assert [t for t in shown if t in ("优", "良", "中", "差", "合格", "无自评", "无复核")] == ["优", "良", "中", "差", "合格", "无自评"]
    assert chartdata.grade_tally(frame).to_dict("list") == {
        "grade": ["优", "良", "中", "差", "合格", "无自评"], "recomputed": [1, 0, 0, 0, 2, 0], "claimed": [2, 0, 0, 0, 0, 1]}


# ---------------------------------------------------------------------------------------------
# rate_vs_score

def _plot_box(root) -> Box:
    """The plotting area, from its grid lines: horizontal ones span it left to right, vertical ones top to bottom."""
    grid = lines(root, GRID)
    across = [g for g in grid if g[1] == g[3]]
    down = [g for g in grid if g[0] == g[2]]
    return Box(min(g[0] for g in across), min(g[1] for g in down), max(g[2] for g in across), max(g[3] for g in down))


def _number_boxes(root) -> list[tuple[str, Box]]:
    """The points' numbers as drawn (centred on x, y), in boxes estimated by hand: 0.6 em a digit, 1.2 em high."""
    found = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        if t.get("class") == "pe-point-label":
            x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
            assert t.get("text-anchor") == "middle"
            width, height = 0.6 * size * len(t.text), 1.2 * size
            found.append((t.text, Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)))
    return found


def test_rate_vs_score_places_points_on_the_axes_and_marks_the_lines():
    frame = pd.DataFrame({"unit_name": NAMES[:8], "execution_rate": np.linspace(0.8, 1.0, 8),
                          "score": [95.0, 62.0, 88.0, 71.0, 93.0, 55.0, 80.5, 79.0]})
    bands = ((85.0, "A"), (70.0, "B"), (50.0, "C"), (0.0, "D"))   # a ruleset's own bands, not the usual 90/80/60
    chart = svg.rate_vs_score(frame, bands=bands)
    root = parse(chart)
    shown = texts(root)
    assert chart.labelled == [str(i) for i in range(1, 9)] == [t for t, _ in _number_boxes(root)]  # spread out: all
    assert {"A ≥85", "B ≥70", "C ≥50", "预算执行率（%）", "复核得分"} <= set(shown) and "D ≥0" not in shown
    # the points sit where the axes' own tick labels say: rate on x (percent), score on y
    x_axis = ticks(root, "middle", lambda t: t.endswith("%"), lambda t: float(t[:-1]) / 100)
    y_axis = ticks(root, "end", integer, float)
    assert len(x_axis) >= 3 and len(y_axis) >= 3
    to_x, to_y = linear(x_axis), linear(y_axis)
    points = circles(root, BLUE)
    assert [(round(cx, 1), round(cy, 1)) for cx, cy, _ in points] == [
        (pytest.approx(to_x(r), abs=0.15), pytest.approx(to_y(s), abs=0.15))
        for r, s in zip(frame["execution_rate"], frame["score"])]
    # the axes leave room: scores from 50 (55 − 5) to 103 (100 + 3); rates from 0.78 to 1.04 (a pad of 8 % of
    # the span 0.2 is 0.016, below the least pad 0.02: 0.02 to the left, twice that to the right)
    box = _plot_box(root)
    assert to_y(50.0) == pytest.approx(box.bottom, abs=0.15) and to_y(103.0) == pytest.approx(box.top, abs=0.15)
    assert to_x(0.78) == pytest.approx(box.left, abs=0.15) and to_x(1.04) == pytest.approx(box.right, abs=0.15)
    # the 90 % line is dashed and vertical; each band's lower bound above 0 is a dotted horizontal line
    vertical = [line for line in lines(root, DARK) if line[0] == line[2]]
    assert len(vertical) == 1 and vertical[0][0] == pytest.approx(to_x(0.9), abs=0.15)
    bands_drawn = sorted(round(line[1], 1) for line in lines(root, "#999999"))
    assert bands_drawn == [pytest.approx(to_y(level), abs=0.15) for level in (85.0, 70.0, 50.0)]


def test_rate_vs_score_uses_the_label_column_and_skips_rows_without_both_values():
    frame = pd.DataFrame({"unit_name": NAMES[:3], "execution_rate": [0.9, 1.0, np.nan], "score": [80.0, 95.0, 90.0],
                          "label": ["7", "12", "13"]})
    chart = svg.rate_vs_score(frame)
    assert chart.labelled == ["7", "12"] and len(circles(parse(chart), BLUE)) == 2
    assert not lines(parse(chart), "#999999")                           # no bands given: no band lines


@pytest.mark.parametrize("n, seed", [(24, 1), (60, 2), (40, 3)])
def test_rate_vs_score_labels_never_overlap_even_when_points_crowd(n, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"unit_name": [f"单位{i}" for i in range(n)],
                          "execution_rate": np.round(rng.uniform(0.93, 1.0, n), 3),
                          "score": np.round(rng.uniform(94.0, 100.0, n), 1)})
    chart = svg.rate_vs_score(frame, bands=((90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差")))
    root = parse(chart)
    numbers = _number_boxes(root)
    assert [t for t, _ in numbers] == chart.labelled and len(numbers) >= 5
    assert len(numbers) < n                                            # crowded: some had no room
    box = _plot_box(root)
    for i, (label, a) in enumerate(numbers):
        assert a.within(box), f"label {label} leaves the plot"
        assert all(not a.overlaps(b) for _, b in numbers[i + 1:]), f"label {label} overlaps another"
    points = circles(root, BLUE)
    assert len(points) == n
    for label, a in numbers:
        others = [(x, y) for j, (x, y, _) in enumerate(points) if str(j + 1) != label]
        assert not any(a.contains(x, y, POINT_RADIUS) for x, y in others), f"label {label} covers a point"
        own_x, own_y, _ = points[int(label) - 1]
        own = _gap(a, own_x, own_y)
        assert all(_gap(a, x, y) > own + 1.0 for x, y in others
                   if (x, y) != (own_x, own_y)), f"label {label} is nearer another point than its own"
    bands = [b for t, *b in text_boxes(root) if "≥" in t]
    assert len(bands) == 3
    for label, a in numbers:
        assert not any(a.overlaps(Box(*b)) for b in bands), f"label {label} covers a band's name"


def _gap(box: Box, x: float, y: float) -> float:
    """Pixels from a point to a box, by hand: 0 inside, else the straight-line distance to its nearest edge."""
    dx = max(box.left - x, 0.0, x - box.right)
    dy = max(box.top - y, 0.0, y - box.bottom)
    return (dx * dx + dy * dy) ** 0.5


def test_a_number_goes_where_it_reads_as_its_own_points():
    # "1" (6 × 12 px) up and to the right of (100, 100) would end 6 px from the point at (116, 96) and 5 px from
    # its own: a reader would give it to the other point, so it goes up and to the left, 20 px from the other
    first, second = place_labels([(100, 100), (116, 96)], ["1", "2"], Box(0, 0, 200, 200))
    assert first == Box(90.0, 85.0, 96.0, 97.0)
    assert second.left >= 116                                          # "2" up and right of its own point


def test_place_labels_by_hand():
    frame = Box(0, 0, 200, 100)
    # near the right edge the first spot (right of the point) leaves the frame: the label goes left, above
    assert place_labels([(195, 50)], ["12"], frame) == [Box(179.0, 35.0, 191.0, 47.0)]
    # a label with no room anywhere is left out
    assert place_labels([(5, 5)], ["1"], Box(0, 0, 10, 10)) == [None]
    # an obstacle over everything above the point: the label goes below, right
    assert place_labels([(100, 50)], ["3"], frame, obstacles=[Box(0, 0, 200, 49)]) == [Box(104.0, 53.0, 110.0, 65.0)]
    # right of the first point and above, the label would touch the second point (within 3.5 px of it):
    # it goes left; the second point's label takes its own first spot
    placed = place_labels([(100, 50), (112, 44)], ["1", "2"], frame)
    assert placed == [Box(90.0, 35.0, 96.0, 47.0), Box(116.0, 29.0, 122.0, 41.0)]


# ---------------------------------------------------------------------------------------------
# score_gaps

def test_score_gaps_largest_first_coloured_by_sign_and_as_long_as_the_gap():
    frame = pd.DataFrame({"unit_name": NAMES[:5], "score": [90.0, 70.0, 85.0, 60.0, 88.0],
                          "claimed_score": [92.0, 90.0, 80.0, 60.0, np.nan]})
    root = parse(svg.score_gaps(frame, n=10))
    shown = texts(root)
    assert [t for t in shown if t in NAMES] == [NAMES[1], NAMES[2], NAMES[0]]
    assert [t for t in shown if re.fullmatch(r"[+-]\d+\.\d\d", t)] == ["+20.00", "-5.00", "+2.00"]
    assert {"自评高于复核", "自评低于复核", "自评得分 - 复核得分（分）"} <= set(shown)
    red, blue = rects(root, RED)[1:], rects(root, BLUE)[1:]               # after the legend keys
    assert len(red) == 2 and len(blue) == 1
    zero = [line for line in lines(root, DARK) if line[0] == line[2]][0][0]
    widths = {20.0: float(red[0]["width"]), -5.0: float(blue[0]["width"]), 2.0: float(red[1]["width"])}
    assert widths[-5.0] / widths[20.0] == pytest.approx(0.25, abs=0.01) and widths[2.0] / widths[20.0] == pytest.approx(0.1, abs=0.01)
    assert float(red[0]["x"]) == pytest.approx(zero, abs=0.11)                               # right of zero
    assert float(blue[0]["x"]) + float(blue[0]["width"]) == pytest.approx(zero, abs=0.11)   # left of zero
    assert float(red[0]["y"]) < float(blue[0]["y"]) < float(red[1]["y"])                   # largest on top
    x_axis = ticks(root, "middle", lambda t: re.fullmatch(r"-?\d+(\.\d+)?", t) is not None, float)
    assert linear(x_axis)(0.0) == pytest.approx(zero, abs=0.15)                             # the axis agrees


def test_score_gaps_n_and_nothing_to_show():
    frame = pd.DataFrame({"unit_name": NAMES[:3], "score": [90.0, 70.0, 85.0], "claimed_score": [92.0, 90.0, 80.0]})
    assert len(rects(parse(svg.score_gaps(frame, n=1)), RED)) == 2          # the legend key and one bar
    for bad in (0, -1, 2.5, True, "3"):
        with pytest.raises(ValueError):
            svg.score_gaps(frame, n=bad)
    same = pd.DataFrame({"unit_name": NAMES[:2], "score": [90.0, 80.0], "claimed_score": [90.0, 80.0]})
    assert svg.score_gaps(same) is None


def test_score_gaps_name_the_year_when_several_years_are_shown():
    frame = pd.DataFrame({"unit_name": ["财政局", "财政局"], "year": [2022, 2023], "score": [90.0, 80.0],
                          "claimed_score": [92.0, 90.0]})
    assert {"财政局（2022）", "财政局（2023）"} <= set(texts(parse(svg.score_gaps(frame))))


# ---------------------------------------------------------------------------------------------
# findings_by_kind

def test_findings_by_kind_labels_counts_and_severity_colours():
    root = parse(svg.findings_by_kind(findings_frame(), labels=FINDING_LABELS))
    shown = texts(root)
    assert [t for t in shown if t in {*FINDING_LABELS.values(), "note"}] == ["数值无效", "自评得分偏高", "缺少月度数据", "note"]
    legend = sorted((float(t.get("x")), t.text) for t in root.iter("{http://www.w3.org/2000/svg}text")
                    if t.text in ("错误", "警告", "提示"))
    assert [name for _, name in legend] == ["错误", "警告", "提示"]
    bars = [r for r in root.findall("{http://www.w3.org/2000/svg}rect") if r.get("fill") in (ERROR, WARNING, INFO)][3:]
    assert [r.get("fill") for r in bars] == [ERROR, WARNING, WARNING, INFO]
    widths = [float(r.get("width")) for r in bars]
    assert [w / widths[3] for w in widths] == pytest.approx([4, 3, 2, 1], abs=0.01)
    x_axis = ticks(root, "middle", integer, int)
    assert x_axis[0][0] == 0 and all(b - a >= 1 for (a, _), (b, _) in zip(x_axis, x_axis[1:]))
    assert linear(x_axis)(4) - linear(x_axis)(0) == pytest.approx(widths[0], abs=0.15)
    plain = texts(parse(svg.findings_by_kind(findings_frame())))
    assert "bad_value" in plain and "数值无效" not in plain


def test_findings_by_kind_draws_the_15_most_frequent_and_counts_the_rest():
    findings = pd.DataFrame({"code": [f"rule_{i:02d}" for i in range(20) for _ in range(i + 1)],
                             "severity": "warning"})
    shown = texts(parse(svg.findings_by_kind(findings)))
    assert "rule_19" in shown and "rule_05" in shown and "rule_04" not in shown
    assert "条数（仅显示最多的 15 类，另有 5 类）" in shown


def test_finding_kinds_take_the_most_severe_and_break_ties_by_severity():
    findings = pd.DataFrame({"code": ["b", "a", "a", "b", "c"], "severity": [" Warning", "info", "ERROR", "warning", "odd"]})
    kinds = chartdata.finding_kinds(findings)
    assert kinds.frame.to_dict("list") == {"code": ["a", "b", "c"], "count": [2, 2, 1], "severity": ["error", "warning", "other"]}
    shown = texts(parse(svg.findings_by_kind(findings)))
    assert "其他" in shown


# ---------------------------------------------------------------------------------------------
# hostile text

@pytest.mark.parametrize("name", ["$a^{$", r"$\frac{1}{$", "<script>alert(1)</script>", "A&B \"引号\"", "控制\x07字符"])
def test_a_name_is_drawn_as_typed(name):
    frame = pd.DataFrame({"unit_name": [name, "示例区档案馆"], "execution_rate": [0.9, 0.95], "score": [88.0, 92.0],
                          "claimed_score": [99.0, 93.0]})
    chart = svg.score_gaps(frame)
    assert "<script" not in chart.svg and "\x07" not in chart.svg
    wanted = "".join(ch for ch in name if ch >= " ")
    assert any(wanted in t for t in texts(parse(chart)))
    findings = pd.DataFrame({"code": ["x"], "severity": ["error"]})
    assert any(wanted in t for t in texts(parse(svg.findings_by_kind(findings, labels={"x": name}))))


def test_a_300_character_name_is_cut_wrapped_and_stays_on_the_canvas():
    name = "很长的单位名称" * 43
    frame = pd.DataFrame({"unit_name": [name, "短"], "score": [80.0, 90.0], "claimed_score": [85.0, 91.0]})
    root = parse(svg.score_gaps(frame))
    label = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if len(t.findall("{http://www.w3.org/2000/svg}tspan")) == 4)
    assert "".join(label.itertext()).endswith("…")
    assert problems_outside(root) == [] and overlapping_texts(root) == []

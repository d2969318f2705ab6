"""What every SVG chart of the HTML pages must do, checked on each (unit page, year overview, trends page):
well-formed SVG of the report's width in the report's font, its title as ``<title>`` and drawn, shown as it is
in a notebook; its input left alone; ``None`` for empty input and for all-missing values; a missing column
named; nothing leaving the canvas and no text covering another. The Word draft's PNG charts, drawn from the
same inputs, are held to the same input contract here (``None`` cases, the missing column).

What each chart shows is tested in its own file: test_svg.py (unit page), test_svg_year.py (year overview),
test_svg_history.py (trends page), test_charts.py (PNG). The inputs are the hand-made frames of
tests/kits/chart_inputs.py."""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval_lib.core.errors import InputError
from perfeval_lib.render import charts, svg
from perfeval_lib.render.svg.canvas import Canvas

from ..kits.chart_inputs import (FINDING_LABELS, NONE_KINDS, findings_frame, grades_frame, history_frame, level1_frame,
                                 lines_frame, none_inputs, progress_frame, results_frame, two_units, year_frame)
from ..kits.svg import SVG, overlapping_texts, parse, problems_outside, texts

BANDS = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差"))

# name -> (function, input factory, keyword arguments, expected title, columns to blank: the first must be named
# when it is missing)
CASES = {
    # a unit's page
    "budget_vs_executed": (svg.budget_vs_executed, lines_frame, {}, "预算数与执行数（万元）", ["budget_final", "executed"]),
    "spending_curve": (svg.spending_curve, progress_frame, {}, "月度累计支出进度", ["progress", "target"]),
    "score_by_level1": (svg.score_by_level1, level1_frame, {}, "各一级指标得分与分值", ["weight", "score", "claimed_score"]),
    "trend": (svg.trend, history_frame, {}, "历年预算执行率与得分", ["execution_rate", "score", "claimed_score"]),
    # the year overview
    "grade_counts": (svg.grade_counts, grades_frame, {}, "复核与自评等级分布", ["grade", "claimed_grade"]),
    "rate_vs_score": (svg.rate_vs_score, year_frame, {"bands": BANDS}, "预算执行率与复核得分", ["execution_rate", "score"]),
    "score_gaps": (svg.score_gaps, year_frame, {"n": 4}, "自评与复核得分差异最大的单位", ["score", "claimed_score"]),
    "findings_by_kind": (svg.findings_by_kind, findings_frame, {"labels": FINDING_LABELS}, "审核发现按类型统计", ["code"]),
    # the trends page
    "unit_lines": (svg.unit_lines, two_units, {}, "各单位历年预算执行率与复核得分", ["execution_rate", "score"]),
    "ranks_over_years": (svg.ranks_over_years, results_frame, {}, "各单位历年得分排名", ["score"]),
    "rank_panels": (svg.rank_panels, results_frame, {}, "各单位历年全区排名（2021–2023，灰带为前三名）", ["score"]),
}

# The Word draft's PNG charts draw the unit page's first three charts from the same inputs: they keep the same
# input contract (what they draw is tested in test_charts.py).
PNG_CASES = {f"{f.__name__} (PNG)": (f, *CASES[f.__name__][1:])
             for f in (charts.budget_vs_executed, charts.spending_curve, charts.score_by_level1)}


def test_every_chart_is_in_the_tables():
    assert sorted(CASES) == sorted(name for name in svg.__all__ if name[0].islower())
    assert sorted(PNG_CASES) == sorted(f"{name} (PNG)" for name in charts.__all__
                                       if name not in ("setup_fonts", "figure_png"))


@pytest.mark.parametrize("name", CASES)
def test_chart_is_well_formed_svg_with_its_title_and_leaves_the_input_alone(name):
    function, make, kwargs, title, _ = CASES[name]
    frame = make()
    before = frame.copy()
    chart = function(frame, **kwargs)
    assert isinstance(chart, svg.SvgChart)
    root = parse(chart)                                                      # fails unless well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == "pe-chart"
    assert chart.title == title
    assert root.find(f"{SVG}title").text == title                            # what a screen reader says
    assert title in texts(root)                                              # and what the eye reads
    assert root.get("width") == "700"
    assert float(root.get("height")) > 0 and root.get("viewBox") == f"0 0 700 {root.get('height')}"
    assert "Noto Sans SC" in root.get("font-family") and "sans-serif" in root.get("font-family")
    assert chart._repr_svg_() == chart.svg == str(chart)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("kind", NONE_KINDS)
@pytest.mark.parametrize("name", [*CASES, *PNG_CASES])
def test_chart_is_none_for_empty_input_and_all_missing_values(name, kind):
    function, make, kwargs, _, blank = {**CASES, **PNG_CASES}[name]
    frame = none_inputs(make(), blank)[kind]
    before = frame.copy()
    assert function(frame, **kwargs) is None
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", [*CASES, *PNG_CASES])
def test_chart_names_the_missing_column(name):
    function, make, kwargs, _, blank = {**CASES, **PNG_CASES}[name]
    with pytest.raises(InputError, match=blank[0]):
        function(make().drop(columns=blank[0]), **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_nothing_leaves_the_canvas_and_no_text_covers_another(name):
    function, make, kwargs, _, _ = CASES[name]
    root = parse(function(make(), **kwargs))
    assert problems_outside(root) == []
    assert overlapping_texts(root) == []


# ---------------------------------------------------------------------------------------------
# the canvas checks are real

def test_the_canvas_checks_catch_a_text_off_the_canvas_and_two_texts_on_one_spot():
    canvas = Canvas(200, 100, "检查")
    canvas.text(195, 50, "右边出界的文字", 12, "start")                        # starts 5 px from the right edge
    canvas.text(40, 80, "重叠", 12, "middle")
    canvas.text(44, 82, "重叠", 12, "middle")
    root = parse(canvas.chart())
    assert [p for p in problems_outside(root) if "右边出界的文字" in p]
    assert overlapping_texts(root) == [("重叠", "重叠")]
    canvas = Canvas(200, 100, "检查")
    canvas.text(100, 50, "居中", 12, "middle")
    canvas.text(100, 80, "居中", 12, "middle")                                 # 30 px apart: no overlap
    root = parse(canvas.chart())
    assert problems_outside(root) == [] and overlapping_texts(root) == []

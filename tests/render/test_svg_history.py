"""SVG charts of the trends page: lines per unit and ranks, read back from the drawing (rank and score
values recovered through the axes' own ticks); None cases, missing columns, limits, hostile text, and no
text leaving the canvas or covering another."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from perfeval_lib.core.errors import InputError
from perfeval_lib.render import svg
from perfeval_lib.render.chartdata_history import rank_grid, rank_lines, unit_years

from ..kits.svg import linear, overlapping_texts, parse, polylines, problems_outside, texts, ticks

NAMES = ["财政局", "教育局", "卫生健康委员会", "公安局", "自然资源和规划局", "住房和城乡建设局", "交通运输局",
         "农业农村局", "文化广电旅游局", "市场监督管理局", "生态环境局", "民政局", "人力资源和社会保障局", "司法局"]
SVG = "{http://www.w3.org/2000/svg}"


def results_frame() -> pd.DataFrame:
    """Six units over 2021–2023; D06 has no 2023 score. Ranks by hand:
    2021: D06 95 (1), D01 91 (2), D05 88 (3), D02 85 (4), D03 72 (5), D04 58 (6)
    2022: D01 93 (1), D06 91 (2), D02 88 (3), D05 86 (4), D03 79 (5), D04 66 (6)
    2023: D01 95 (1), D05 90 (2), D02 84 (3), D03 81 (4), D04 70 (5)"""
    scores = {"D01": [91.0, 93.0, 95.0], "D02": [85.0, 88.0, 84.0], "D03": [72.0, 79.0, 81.0],
              "D04": [58.0, 66.0, 70.0], "D05": [88.0, 86.0, 90.0], "D06": [95.0, 91.0, np.nan]}
    rates = {"D01": [0.98, 0.97, 0.99], "D02": [0.93, 0.9, 0.95], "D03": [0.86, 0.88, 0.9], "D04": [0.79, 0.8, 0.82],
             "D05": [0.95, 0.96, 0.97], "D06": [0.91, 0.92, np.nan]}
    rows = [{"unit_code": code, "unit_name": NAMES[i], "year": year, "score": scores[code][j],
             "execution_rate": rates[code][j]}
            for i, code in enumerate(scores) for j, year in enumerate((2021, 2022, 2023))]
    return pd.DataFrame(rows)


def two_units() -> pd.DataFrame:
    return results_frame().query("unit_code in ['D01', 'D04']").reset_index(drop=True)


# name -> (function, input factory, keyword arguments, expected title, columns to blank)
CASES = {
    "unit_lines": (svg.unit_lines, two_units, {}, "各单位历年预算执行率与复核得分", ["execution_rate", "score"]),
    "ranks_over_years": (svg.ranks_over_years, results_frame, {}, "各单位历年得分排名", ["score"]),
    "rank_panels": (svg.rank_panels, results_frame, {}, "各单位历年全区排名（2021–2023，灰带为前三名）", ["score"]),
}


def legend_names(root, names) -> list[str]:
    return [t for t in texts(root) if t in names]


def ranks_of(root, line) -> list[float]:
    """A polyline's points read back as ranks, through the rank axis's own tick labels."""
    to_pixel = linear(ticks(root, "end", lambda t: t.isdigit(), int))
    one, five = to_pixel(1), to_pixel(5)
    return [round(1 + (y - one) / (five - one) * 4, 2) for _, y in line]


# ---------------------------------------------------------------------------------------------
# every chart

@pytest.mark.parametrize("name", CASES)
def test_chart_is_well_formed_svg_with_its_title_and_leaves_the_input_alone(name):
    function, make, kwargs, title, _ = CASES[name]
    frame = make()
    before = frame.copy()
    chart = function(frame, **kwargs)
    root = parse(chart)
    assert root.get("class") == "pe-chart" and chart.title == title and title in texts(root)
    assert root.get("width") == "700" and root.get("viewBox") == f"0 0 700 {root.get('height')}"
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", CASES)
def test_chart_is_none_for_empty_input_all_missing_values_and_one_year(name):
    function, make, kwargs, _, blank = CASES[name]
    assert function(make().iloc[0:0], **kwargs) is None
    assert function(pd.DataFrame(columns=make().columns), **kwargs) is None
    frame = make()
    assert function(frame.assign(**{c: pd.Series([None] * len(frame), dtype="object") for c in blank}), **kwargs) is None
    if name != "ranks_over_years":                      # ranks of one year are a chart; lines over one year are not
        assert function(make().query("year == 2023"), **kwargs) is None


@pytest.mark.parametrize("name", CASES)
def test_chart_names_the_missing_column_and_refuses_a_unit_twice_in_a_year(name):
    function, make, kwargs, _, blank = CASES[name]
    with pytest.raises(InputError, match=blank[0]):
        function(make().drop(columns=blank[0]), **kwargs)
    with pytest.raises(InputError, match="单位年度重复"):
        function(pd.concat([make(), make()]), **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_nothing_leaves_the_canvas_and_no_text_covers_another(name):
    function, make, kwargs, _, _ = CASES[name]
    root = parse(function(make(), **kwargs))
    assert problems_outside(root) == []
    assert overlapping_texts(root) == []


# ---------------------------------------------------------------------------------------------
# unit_lines

def test_unit_lines_one_line_per_unit_in_each_panel_at_its_values():
    chart = svg.unit_lines(two_units())
    root = parse(chart)
    shown = texts(root)
    assert {"预算执行率", "复核得分", "分"} <= set(shown) and shown.count("年度") == 2
    assert legend_names(root, NAMES) == ["财政局", "公安局"]
    rate_d01, rate_d04, score_d01, score_d04 = polylines(root)
    to_score = linear(ticks(root, "end", lambda t: t.isdigit(), int))        # the score panel's axis
    assert [round(y, 1) for _, y in score_d04] == [pytest.approx(to_score(v), abs=0.15) for v in (58.0, 66.0, 70.0)]
    to_rate = linear(ticks(root, "end", lambda t: t.endswith("%"), lambda t: float(t[:-1]) / 100))
    assert [round(y, 1) for _, y in rate_d01] == [pytest.approx(to_rate(v), abs=0.15) for v in (0.98, 0.97, 0.99)]
    assert [x for x, _ in rate_d01] == [x for x, _ in rate_d04]                 # the same years, the same x
    colours = [line.get("stroke") for line in root.findall(f"{SVG}polyline")]
    assert colours[0] == colours[2] != colours[1] == colours[3]                # a unit keeps its colour
    # the 90 % line
    ninety = [line for line in root.findall(f"{SVG}line") if line.get("stroke-dasharray") == "2 3"]
    assert len(ninety) == 1 and float(ninety[0].get("y1")) == pytest.approx(to_rate(0.9), abs=0.15)


def test_unit_lines_limits_and_gaps():
    many = pd.concat([results_frame().assign(unit_code=lambda f, i=i: f["unit_code"] + f"-{i}") for i in range(3)])
    with pytest.raises(InputError, match="at most 12 units"):
        svg.unit_lines(many)                                                 # 18 units
    frame = two_units().assign(execution_rate=np.nan)
    assert "无数据" in texts(parse(svg.unit_lines(frame)))                     # no rate: that panel says so
    assert unit_years(two_units())["name"].tolist() == ["财政局"] * 3 + ["公安局"] * 3


# ---------------------------------------------------------------------------------------------
# ranks_over_years

def test_ranks_over_years_best_is_one_and_on_top():
    root = parse(svg.ranks_over_years(results_frame()))
    order = ["财政局", "自然资源和规划局", "住房和城乡建设局", "教育局", "卫生健康委员会", "公安局"]
    assert legend_names(root, NAMES) == order                            # by latest rank, ties by code
    ranks = dict(zip(order, (ranks_of(root, line) for line in polylines(root))))
    assert ranks == {"财政局": [2, 1, 1], "自然资源和规划局": [3, 4, 2], "住房和城乡建设局": [1, 2],
                     "教育局": [4, 3, 3], "卫生健康委员会": [5, 5, 4], "公安局": [6, 6, 5]}
    assert [t for t in texts(root) if t in ("2021", "2022", "2023")] == ["2021", "2022", "2023"]
    assert {"排名（1 = 得分最高）", "年度"} <= set(texts(root))
    chosen = parse(svg.ranks_over_years(results_frame(), unit_codes=["D02", "D04"]))
    assert legend_names(chosen, NAMES) == ["教育局", "公安局"]
    assert [ranks_of(chosen, line) for line in polylines(chosen)] == [[4, 3, 3], [6, 6, 5]]  # district ranks
    assert svg.ranks_over_years(results_frame(), unit_codes=["nobody"]) is None


def test_ranks_over_years_keeps_12_units_over_the_latest_10_years_and_says_so():
    rng = np.random.default_rng(7)
    years = list(range(2009, 2024))
    many = pd.DataFrame({"unit_code": [f"D{i:02d}" for i in range(14)] * len(years), "unit_name": NAMES * len(years),
                         "year": np.repeat(years, 14), "score": rng.uniform(50, 99, 14 * len(years))})
    root = parse(svg.ranks_over_years(many))
    assert len(polylines(root)) == 12 and len(set(l.get("stroke") for l in root.findall(f"{SVG}polyline"))) == 12
    shown = texts(root)
    assert [t for t in shown if re.fullmatch(r"20\d\d", t)] == [str(y) for y in years[-10:]]
    assert "年度（最近 10 年；按最新排名显示前 12 个单位，另有 2 个）" in shown
    slanted = [t for t in root.iter(f"{SVG}text") if t.text == "2023"]
    assert all("rotate(-45" in t.get("transform", "") for t in slanted)
    lines = rank_lines(many)
    latest = many[many["year"] == 2023].assign(rank=lambda f: f["score"].rank(ascending=False))
    assert lines.order == latest.sort_values("rank")["unit_code"].head(12).tolist()
    assert (lines.early_years, lines.left_out) == (5, 2)
    assert problems_outside(root) == [] and overlapping_texts(root) == []


# ---------------------------------------------------------------------------------------------
# rank_panels

def test_rank_panels_one_panel_per_unit_in_the_order_given():
    root = parse(svg.rank_panels(results_frame(), ["D04", "D01", "nobody", "D04"]))
    shown = texts(root)
    assert legend_names(root, NAMES) == ["公安局", "财政局"]
    lines = polylines(root)
    assert len(lines) == 2
    # every panel has the same rank axis: 1 at the top, the district's last rank (6) at the bottom
    assert ranks_of(root, lines[0]) == [6, 6, 5]
    tops = sorted({round(y, 1) for line in lines for _, y in line})
    assert len(tops) == 4                                         # ranks 1, 2, 5 and 6 on one axis
    # each line ends in its last rank, right of its last point
    last = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "start" and t.text in ("5", "1")]
    assert [t.text for t in last] == ["5", "1"]
    assert float(last[0].get("x")) > lines[0][-1][0] and float(last[0].get("y")) == pytest.approx(lines[0][-1][1])
    assert {"2021", "2023", "全区排名（1 = 得分最高）"} <= set(shown) and "2022" not in shown


def test_rank_panels_cut_long_names_and_stop_at_30():
    long_name = "示例区人力资源和社会保障局退役军人事务局"
    frame = results_frame().assign(unit_name=lambda f: f["unit_name"].where(f["unit_code"] != "D01", long_name))
    root = parse(svg.rank_panels(frame))
    cut = [t for t in texts(root) if t.startswith("示例区人力") and t.endswith("…")]
    assert cut and len(cut[0]) < len(long_name)
    assert problems_outside(root) == [] and overlapping_texts(root) == []
    rng = np.random.default_rng(3)
    many = pd.DataFrame({"unit_code": [f"U{i:02d}" for i in range(40)] * 2, "unit_name": [f"单位{i}" for i in range(40)] * 2,
                         "year": [2022] * 40 + [2023] * 40, "score": rng.uniform(60, 99, 80)})
    grid = rank_grid(many)
    assert len(grid.codes) == 30 and grid.bottom == 40 and grid.years == [2022, 2023]
    root = parse(svg.rank_panels(many))
    assert len(polylines(root)) == 30
    assert problems_outside(root) == [] and overlapping_texts(root) == []


# ---------------------------------------------------------------------------------------------
# hostile text

@pytest.mark.parametrize("name", ["$a^{$", r"$\frac{1}{$", "$x_{$项目", "<b>粗</b>", "A&B"])
def test_a_unit_name_is_drawn_as_typed(name):
    frame = two_units().assign(unit_name=lambda f: f["unit_name"].where(f["unit_code"] != "D01", name))
    for chart in (svg.unit_lines(frame), svg.ranks_over_years(frame), svg.rank_panels(frame)):
        assert "<b>" not in chart.svg
        assert any(name in t for t in texts(parse(chart)))

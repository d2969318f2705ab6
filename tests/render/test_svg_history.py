"""SVG charts of the trends page: lines per unit and ranks, read back from the drawing (rank and score
values recovered through the axes' own ticks); one year and a unit twice in a year; limits, hostile text.
What every SVG chart must do (valid SVG, None cases, missing columns, no text leaving the canvas or covering
another) is in test_svg_contract.py; the inputs (results_frame's ranks by hand) are in tests/kits/chart_inputs.py."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from perfeval_lib.core.errors import InputError
from perfeval_lib.render import svg
from perfeval_lib.render.chartdata_history import rank_grid, rank_lines, unit_years

from ..kits.chart_inputs import NAMES, results_frame, two_units
from ..kits.svg import SVG, linear, overlapping_texts, parse, polylines, problems_outside, texts, ticks


def legend_names(root, names) -> list[str]:
    return [t for t in texts(root) if t in names]


def ranks_of(root, line) -> list[float]:
    """A polyline's points read back as ranks, through the rank axis's own tick labels."""
    to_pixel = linear(ticks(root, "end", lambda t: t.isdigit(), int))
    one, five = to_pixel(1), to_pixel(5)
    return [round(1 + (y - one) / (five - one) * 4, 2) for _, y in line]


# ---------------------------------------------------------------------------------------------
# what only the trends page's charts refuse

@pytest.mark.parametrize("function, make", [(svg.unit_lines, two_units), (svg.rank_panels, results_frame)])
def test_lines_over_one_year_are_no_chart(function, make):
    """A line needs two years; ranks of one year are still a chart (ranks_over_years draws them)."""
    assert function(make().query("year == 2023")) is None
    assert function(make().query("year >= 2022")) is not None


def test_ranks_of_one_year_are_a_chart():
    root = parse(svg.ranks_over_years(results_frame().query("year == 2023")))
    assert [t for t in texts(root) if t in ("2021", "2022", "2023")] == ["2023"]


@pytest.mark.parametrize("function, make", [(svg.unit_lines, two_units), (svg.ranks_over_years, results_frame),
                                            (svg.rank_panels, results_frame)])
def test_a_unit_twice_in_a_year_is_refused(function, make):
    with pytest.raises(InputError, match="单位年度重复"):
        function(pd.concat([make(), make()]))


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


def test_a_panel_title_wraps_to_a_second_line_before_it_is_cut():
    # six panels a row: each (700 − 64 − 12 − 5 × 14) / 6 = 92.3 px wide, nine 10-px characters a line
    names = ["示例区市场监督管理局", "示例区" + "很长的单位名称" * 6, "财政局", "教育局", "民政局", "司法局"]
    frame = pd.DataFrame([{"unit_code": f"U{i}", "unit_name": name, "year": year, "score": 80.0 + i + (year - 2022)}
                          for i, name in enumerate(names) for year in (2022, 2023)])
    root = parse(svg.rank_panels(frame))
    titles = {"".join(t.itertext()): [s.text for s in t] for t in root.iter(f"{SVG}text") if len(list(t)) == 2}
    assert titles["示例区市场监督管理局"] == ["示例区市场监督管理", "局"]          # whole, on two lines
    (long_title,) = [lines for text, lines in titles.items() if text.startswith("示例区很长")]
    assert long_title[0] == "示例区很长的单位名" and long_title[1].endswith("…")
    assert "财政局" in texts(root)                                          # a short name stays one line
    assert problems_outside(root) == [] and overlapping_texts(root) == []

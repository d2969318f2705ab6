"""SVG charts of a unit's page: what each chart shows (read back from the drawing), geometry computed by hand,
hostile text, and the drawing kit's ticks and text widths. What every SVG chart must do (valid SVG, None cases,
missing columns, nothing off the canvas) is in test_svg_contract.py; the inputs are in tests/kits/chart_inputs.py."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from perfeval_lib.core.errors import InputError
from perfeval_lib.render import svg
from perfeval_lib.render.svg.canvas import Canvas, Scale, block_width, nice_ticks, text_width

from ..kits.chart_inputs import history_frame, level1_frame, lines_frame, progress_frame
from ..kits.svg import NS, parse, rects, texts

# ---------------------------------------------------------------------------------------------
# what each chart shows, read back from the drawing

def test_budget_bars_are_as_long_as_their_amounts_and_end_in_the_rate():
    root = parse(svg.budget_vs_executed(lines_frame()))
    shown = texts(root)
    assert [t for t in shown if t.endswith("%")] == ["98.3%", "80.0%", "0.0%"]
    assert {"基本支出·财政拨款", "项目支出·财政拨款", "项目支出·其他资金", "全年预算数", "执行数"} <= set(shown)
    # the axis runs 0 … 1,250 (ticks of 250): a bar of 1,200 is 1200/1250 of the axis, one of 640 is 640/1250
    assert [t for t in shown if re.fullmatch(r"[\d,]+", t)] == ["0", "250", "500", "750", "1,000", "1,250"]
    grey = [float(r["width"]) for r in rects(root, "#C9CED6")][1:]    # the first is the legend key
    blue = [float(r["width"]) for r in rects(root, "#3B6FB6")][1:]
    axis = grey[0] / (1200 / 1250)
    assert grey[1] == pytest.approx(axis * 800 / 1250, abs=0.11)
    assert blue[:2] == [pytest.approx(axis * 1180 / 1250, abs=0.11), pytest.approx(axis * 640 / 1250, abs=0.11)]
    assert blue[2] == 0.0                                             # executed 0: no length, still a row


def test_budget_chart_adds_up_repeated_labels_marks_a_zero_budget_and_says_what_it_left_out():
    frame = pd.DataFrame({"label": ["基本支出", "基本支出", "项目支出"], "budget_final": [60.0, 40.0, 0.0],
                          "executed": [50.0, 40.0, 5.0]})
    assert [t for t in texts(parse(svg.budget_vs_executed(frame))) if t.endswith("%") or t == "—"] == ["90.0%", "—"]
    many = pd.DataFrame({"label": [f"项目{i:02d}" for i in range(18)], "budget_final": [float(i + 1) for i in range(18)],
                         "executed": [1.0] * 18})
    shown = texts(parse(svg.budget_vs_executed(many)))
    assert "项目00" not in shown and "项目03" in shown and "项目17" in shown       # the 15 largest
    assert any("仅显示预算最大的 15 项，另有 3 项" in t for t in shown)


def test_a_negative_amount_draws_left_of_the_zero_line():
    frame = pd.DataFrame({"label": ["冲减", "项目"], "budget_final": [100.0, 100.0], "executed": [-30.0, 90.0]})
    root = parse(svg.budget_vs_executed(frame))
    assert "-50" in texts(root)                                        # the axis starts below zero
    zero_line = [line for line in root.findall("s:line", NS) if line.get("x1") == line.get("x2")][-1]
    negative = rects(root, "#3B6FB6")[1]
    assert float(negative["x"]) + float(negative["width"]) == pytest.approx(float(zero_line.get("x1")), abs=0.11)


def test_spending_curve_points_follow_the_months_and_the_target_is_dashed():
    root = parse(svg.spending_curve(progress_frame().sample(frac=1.0, random_state=3)))
    shown = texts(root)
    assert [f"{m}月" for m in range(1, 13)] == [t for t in shown if t.endswith("月")]
    assert {"0%", "20%", "40%", "60%", "80%", "100%", "120%"} <= set(shown) and "97.0%" in shown
    target, progress = root.findall("s:polyline", NS)
    assert target.get("stroke-dasharray") and not progress.get("stroke-dasharray")
    points = [tuple(map(float, p.split(","))) for p in progress.get("points").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert xs == sorted(xs) and len(xs) == 12
    steps = np.diff(xs)
    assert steps == pytest.approx([steps[0]] * 11, abs=0.11)           # months evenly spaced
    # y is linear in progress: (0.05 → 0.97) spans 0.92 of the value, so 0.45 sits 0.4/0.92 of the way up
    assert (ys[0] - ys[5]) / (ys[0] - ys[11]) == pytest.approx(0.40 / 0.92, abs=0.002)
    with pytest.raises(InputError, match="月份重复"):
        svg.spending_curve(pd.concat([progress_frame(), progress_frame()]))


def test_score_bars_skip_a_missing_score_and_are_labelled_with_their_points():
    root = parse(svg.score_by_level1(level1_frame()))
    shown = texts(root)
    assert len(rects(root, "#C9CED6")) - 1 == 4 and len(rects(root, "#3B6FB6")) - 1 == 3
    assert len(rects(root, "#E08A3C")) - 1 == 4
    assert ["决策", "过程", "产出", "效益"] == [t for t in shown if t in ("决策", "过程", "产出", "效益")]
    assert {"18.00", "17.50", "27.00", "28.00", "分值", "复核得分", "自评得分"} <= set(shown)
    heights = [float(r["height"]) for r in rects(root, "#C9CED6")[1:]]
    assert heights[2] / heights[0] == pytest.approx(30 / 20, abs=0.01)


def test_score_bars_add_up_indicator_rows():
    rows = pd.DataFrame({"level1": ["决策", "决策", "过程"], "weight": [10.0, 10.0, 20.0],
                         "score": [8.0, 9.5, 17.0], "claimed_score": [10.0, 10.0, 20.0]})
    assert {"17.50", "17.00"} <= set(texts(parse(svg.score_by_level1(rows))))


def test_trend_panels_years_percent_and_legend():
    root = parse(svg.trend(history_frame()))
    shown = texts(root)
    assert {"预算执行率", "复核得分与自评得分", "复核得分", "自评得分", "年度"} <= set(shown)
    assert [t for t in shown if t in ("2021", "2022", "2023")] == ["2021", "2022", "2023"] * 2
    assert "90%" in shown and "100%" in shown
    assert len(root.findall("s:polyline", NS)) == 3                    # rate, score, claimed score
    assert svg.trend(history_frame().head(1)) is None
    blank = history_frame().assign(execution_rate=[0.9, np.nan, np.nan], score=[90.0, np.nan, np.nan],
                                   claimed_score=[91.0, np.nan, np.nan])
    assert svg.trend(blank) is None
    with pytest.raises(InputError, match="年度重复"):
        svg.trend(pd.concat([history_frame(), history_frame()]))


def test_trend_without_rates_says_so_in_its_panel():
    shown = texts(parse(svg.trend(history_frame().assign(execution_rate=np.nan))))
    assert "无数据" in shown and "复核得分" in shown


def test_many_years_are_slanted():
    history = pd.DataFrame({"year": range(2014, 2024), "execution_rate": [0.9] * 10, "score": [90.0] * 10,
                            "claimed_score": [92.0] * 10})
    root = parse(svg.trend(history))
    years = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text == "2014"]
    assert years and all("rotate(-45" in t.get("transform", "") for t in years)


# ---------------------------------------------------------------------------------------------
# hostile text

@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "A&B \"引号\" 'x'", "$a^{$", "控制\x07字符\x1b[31m"])
def test_a_label_is_text_escaped_by_the_xml_writer(name):
    frame = pd.DataFrame({"label": [name, "项目"], "budget_final": [10.0, 20.0], "executed": [5.0, 20.0]})
    chart = svg.budget_vs_executed(frame)
    root = parse(chart)                                                # still well-formed XML
    assert "<script" not in chart.svg
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", chart.svg)
    wanted = "".join(ch for ch in name if ch >= " ")
    assert any(wanted in t.replace("\n", "") for t in texts(root))


def test_a_300_character_label_is_cut_and_wrapped():
    name = "很长的预算项目名称" * 34
    root = parse(svg.budget_vs_executed(pd.DataFrame({"label": [name], "budget_final": [1.0], "executed": [1.0]})))
    label = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if len(t.findall("s:tspan", NS)) == 4)
    assert "".join(label.itertext()).endswith("…")
    assert all(len(span.text) <= 12 for span in label.findall("s:tspan", NS))


# ---------------------------------------------------------------------------------------------
# the drawing kit

@pytest.mark.parametrize("low, high, expected", [
    (0, 1180, [0, 250, 500, 750, 1000, 1250]),
    (0, 1.05, [0, 0.25, 0.5, 0.75, 1.0, 1.25]),
    (0, 100, [0, 20, 40, 60, 80, 100]),
    (75, 102, [70, 80, 90, 100, 110]),
    (-30, 120, [-50, 0, 50, 100, 150]),
    (0.85, 1.03, [0.85, 0.9, 0.95, 1.0, 1.05]),
    (0, 0.001, [0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001]),
    (3, 3, [2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75]),
    (0, 0, [-1, -0.5, 0, 0.5, 1]),
    (10, 0, [0, 2, 4, 6, 8, 10]),
])
def test_nice_ticks_cover_the_range_with_round_steps(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_nice_ticks_survive_infinities_and_nan():
    assert nice_ticks(float("nan"), 5) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert nice_ticks(0, float("inf")) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])


def test_text_width_counts_full_width_characters_as_one_em():
    assert text_width("预算执行率", 12) == 60.0
    assert text_width("2023年", 10) == pytest.approx(4 * 6 + 10)
    assert text_width("（）", 10) == 20.0                                 # full-width brackets
    assert block_width("一二三\n一二三四五", 10) == 50.0
    assert text_width("", 10) == 0.0


def test_scale_maps_linearly_and_survives_an_empty_domain():
    assert Scale(0, 10, 100, 200)(2.5) == 125.0
    assert Scale(0, 10, 300, 100)(10) == 100.0                        # y axes run upwards
    assert Scale(5, 5, 100, 200)(5) == 100.0


def test_multiline_text_is_centred_on_its_point():
    canvas = Canvas(100, 100, "t")
    canvas.text(50, 50, "第一行\n第二行\n第三行")
    spans = ET.fromstring(canvas.chart().svg).findall("s:text/s:tspan", NS)
    assert [s.get("dy") for s in spans] == ["-1.20em", "1.20em", "1.20em"]

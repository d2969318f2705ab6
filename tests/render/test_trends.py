"""Trends on the shipped demo district: one line per chosen unit, district ranks, recurring problems."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from perfeval_lib.core.errors import PerfevalError
from perfeval_lib.render import overview as ov
from perfeval_lib.render import svg
from perfeval_lib.render.trends import MAX_MOVERS, as_list

from ..kits.svg import linear, overlapping_texts, parse, polylines, problems_outside, texts, ticks


@pytest.mark.parametrize("value, kind, expected", [
    ('["D001", "D009"]', str, ["D001", "D009"]), ("D001,D009", str, ["D001", "D009"]),
    (" D001 ，D009 ", str, ["D001", "D009"]), (["D001"], str, ["D001"]), ("", str, None), ([], str, None),
    (None, str, None), ("2021,2023", int, [2021, 2023]), ("[2021, 2022]", int, [2021, 2022]),
    (2023, int, [2023]), ([2022.0], int, [2022])])
def test_units_and_years_as_papermill_passes_them(value, kind, expected):
    assert as_list(value, "units" if kind is str else "years", kind) == expected


@pytest.mark.parametrize("value, kind", [('["D001", ', str), ({"a": 1}, str), ("2021,x", int), ("[2021.5]", int)])
def test_a_bad_list_says_how_to_pass_one(value, kind):
    name = "units" if kind is str else "years"
    with pytest.raises(PerfevalError, match=f"papermill -p {name}"):
        as_list(value, name, kind)


def test_ranks_are_taken_in_the_whole_district(demo_processed):
    everyone = ov.trends(processed_dir=demo_processed).results.set_index(["unit_code", "year"])["rank"]
    two = ov.trends(units="D001,D009", processed_dir=demo_processed)
    assert two.units == ["D001", "D009"] and two.years == [2019, 2020, 2021, 2022, 2023]
    for row in two.results.itertuples():
        assert row.rank == everyone[(row.unit_code, row.year)]
    ranks = dict(zip(zip(two.results["unit_code"], two.results["year"]), two.results["rank"]))
    assert ranks[("D009", 2019)] == 1 and ranks[("D009", 2022)] == 24    # best and last of 24 scored units
    assert ranks[("D001", 2019)] == 19


def test_two_units_draw_two_lines(demo_processed):
    t = ov.trends(units=["D001", "D009"], processed_dir=demo_processed)
    root = parse(svg.unit_lines(t.results[["unit_code", "unit_name", "year", "execution_rate", "score"]]))
    assert [name for name in texts(root) if name.startswith("示例区")] == ["示例区教育局", "示例区交通运输局"]
    rate_d001, rate_d009, score_d001, score_d009 = polylines(root)
    to_score = linear(ticks(root, "end", lambda text: text.isdigit(), int))
    back = [80 + (y - to_score(80)) / (to_score(100) - to_score(80)) * 20 for _, y in score_d009]   # pixels → points
    assert back == pytest.approx([99.58, 92.25, 91.71, 88.91, 99.40], abs=0.02)
    fragment = ov.chart_trend(t)
    assert "每个单位一条线" in fragment and fragment.count('class="pe-chart"') == 1
    assert "整体执行率与平均得分" in ov.chart_trend(ov.trends(processed_dir=demo_processed))


def test_the_rank_chart_stays_readable_with_24_units(demo_processed):
    t = ov.trends(years=[2019, 2023], processed_dir=demo_processed)
    fragment = ov.chart_ranks(t)
    assert "按排名变化从大到小" in fragment
    root = parse(svg.rank_panels(t.district[["unit_code", "unit_name", "year", "score"]], t.units))
    assert len(t.units) == 24 and len(polylines(root)) == 24 and all(len(line) == 2 for line in polylines(root))
    assert problems_outside(root) == [] and overlapping_texts(root) == []
    few = ov.trends(units=["D001", "D009"], processed_dir=demo_processed)
    assert "所选单位在全区的复核得分排名" in ov.chart_ranks(few) and len(few.units) <= MAX_MOVERS


def test_the_rank_caption_counts_the_panels_drawn_and_says_who_has_no_score(demo_processed):
    every = ov.trends(processed_dir=demo_processed)                      # 25 units; 海珠区妇联 has no score
    fragment = ov.chart_ranks(every)
    drawn = svg.SvgChart(re.search(r"<svg.*?</svg>", fragment, re.S)[0], "")
    assert len(every.units) == 25 and len(polylines(parse(drawn))) == 24
    assert "图2 各单位全区排名（24 个单位，按排名变化从大到小；1 个单位没有复核得分，未画出）" in fragment


def test_table_has_chinese_headers_and_rounded_values(demo_processed):
    t = ov.trends(units=["D016"], years="2020", processed_dir=demo_processed)
    table = t.table
    assert list(table.columns) == ["单位编码", "单位名称", "年度", "全年预算数（万元）", "执行数（万元）", "执行率（%）", "复核得分",
                                   "复核等级", "自评得分", "自评等级", "自评−复核", "全区排名", "问题数"]
    row = table.iloc[0]
    raw = t.results.iloc[0]
    assert row["复核得分"] == round(raw["score"], 2) == 90.62 and row["执行率（%）"] == round(raw["execution_rate"] * 100, 1)
    assert row["自评−复核"] == round(raw["score_gap"], 2)


def test_recurring_problems_and_persistent_overclaims_of_the_demo(demo_processed):
    t = ov.trends(processed_dir=demo_processed)
    html = ov.recurring(t)
    assert "四、反复出现的问题" in html
    assert "<td>支出进度滞后</td><td>示例区教育局</td><td>2019–2023</td>" in html          # planted every year
    assert "<td>未达标却自评满分</td><td>示例区档案馆</td><td>2022–2023</td>" in html
    claims = ov.overclaims(t)
    assert "<td>示例区图书馆</td><td>2021–2022</td><td>2021 年 +2.33；2022 年 +4.46</td>" in claims


def test_trends_under_a_variant_rescore_its_family(demo_processed):
    t = ov.trends(units=["D016", "D003"], years=[2020], processed_dir=demo_processed, ruleset="mof-2020-strict")
    grades = dict(zip(t.results["unit_code"], t.results["grade"]))
    assert grades == {"D016": "良", "D003": "优"}   # D003 is mof-2013-dept: unchanged
    assert "按 mof-2020-strict 重新计分" in ov.trends_title(t)


def test_unknown_units_and_years_are_messages(demo_processed):
    with pytest.raises(PerfevalError, match="unknown unit codes: X1"):
        ov.trends(units="D001,X1", processed_dir=demo_processed)
    with pytest.raises(PerfevalError, match="no results for: 1999"):
        ov.trends(years="1999", processed_dir=demo_processed)


def test_a_unit_keeps_its_colour_in_both_charts_of_a_page(demo_processed):
    t = ov.trends(units=["D001", "D009"], processed_dir=demo_processed)   # D009 ranks above D001 in 2023
    district = t.district[["unit_code", "unit_name", "year", "score"]]
    lines = svg.unit_lines(t.results[["unit_code", "unit_name", "year", "execution_rate", "score"]])
    ranks = svg.ranks_over_years(district, t.units)

    def legend_colours(chart) -> dict[str, str]:
        children = list(parse(chart))
        return {"".join(node.itertext()): children[i - 1].get("stroke") for i, node in enumerate(children)
                if node.tag.endswith("text") and "".join(node.itertext()) in names}

    names = set(t.results["unit_name"])
    assert len(names) == 2 and legend_colours(lines) == legend_colours(ranks)
    assert len(set(legend_colours(lines).values())) == 2                 # two units, two colours


@pytest.mark.parametrize("years, said", [([2021, 2022, 2023], "2021–2023 年"), ([2021, 2023], "2021、2023 年"),
                                         ([2023], "2023 年"), ([], "无数据")])
def test_the_title_names_the_years_shown_a_range_only_when_they_follow_one_another(years, said):
    from perfeval_lib.render.trends import Trends, trends_title

    html = str(trends_title(Trends(pd.DataFrame(), ["A", "B"], years)))
    assert f"2 个单位 · {said}" in html and "2023–2023" not in html and ("–" in html) == ("–" in said)

"""No two sentences of a draft disagree about a fact: every demo unit-year's draft is read and checked."""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval_lib import extract
from perfeval_lib.narrate.document import Draft, Paragraph, Section
from perfeval_lib.render import report

from ..kits.consistency import contradictions


@pytest.fixture(scope="module")
def drafts(demo_processed):
    return {(r.unit_code, r.year): (r, report.draft(r)) for r in report.unit_reports(demo_processed)}


def test_every_demo_unit_year_has_a_draft(drafts, demo_processed):
    results = pd.read_parquet(demo_processed / "results.parquet")
    assert set(drafts) == set(zip(results["unit_code"], results["year"])) and len(drafts) == 121


def test_no_draft_contradicts_itself(drafts):
    bad = {key: found for key, (_, d) in drafts.items() if (found := contradictions(d))}
    assert bad == {}


def test_the_report_speaks_the_claimed_score_and_the_annex_holds_the_review(drafts):
    for (code, year), (r, d) in drafts.items():
        claimed = r.result["claimed_score"]
        conclusion = d.sections[1].subsections[0].blocks
        assert conclusion[0].kind == "text" and f"自评结果为 {claimed:.2f} 分" in conclusion[0].text, (code, year)
        assert all(b.kind == "review" for b in conclusion[1:]), (code, year)
        assert "未发现问题" not in d.text()
        assert d.annex is not None and {b.kind for b in d.annex.blocks if isinstance(b, Paragraph)} == {"review"}
        report_part = d.text().split(d.annex.heading)[0]
        assert "经复核" not in report_part and "自评却扣分" not in report_part, (code, year)


def test_the_step_rule_case_of_the_issue_is_stated_once(drafts):
    # D009 2022: 预算完成率 77.94 % against =100 % is missed everywhere, and its reason is quoted, never "未说明原因"
    _, d = drafts[("D009", 2022)]
    text = d.text()
    assert "「预算完成率」（目标 =100%，实际 77.94%）" in text and "「预算完成率」年度指标值 =100%，实际完成 77.94%" in text
    assert "单位说明：农村公路养护项目因招标延期" in text and "未说明原因" not in text


@pytest.mark.parametrize("paragraphs, expected", [
    (["过程共 2 项，达到年度指标值 1 项；未达到：「预算完成率」（目标 =100%，实际 98.85%）。",
      "（一）扣分依据不明：「预算完成率」已达到年度指标值，自评却扣分（5.80/6.00），扣分依据不明。"], "「预算完成率」: met and missed"),
    (["（二）预算执行率偏低：预算执行率 77.9%，低于 90%。单位说明：项目因招标延期。",
      "（一）执行率低且未说明原因：预算执行率 77.9%，低于 90%，但未说明原因。"], "execution explained and not"),
    (["共设置绩效指标 3 项，其中定量指标 3 项、定性指标 0 项；3 项达到年度指标值。",
      "产出指标共 3 项，达到年度指标值 2 项；未达到：「培训场次」（目标 ≥10，实际 8）。"], "met counts"),
    (["三、经复核，未发现问题。"], "未发现问题"),
])
def test_the_reader_catches_each_kind_of_contradiction(paragraphs, expected):
    d = Draft("t", "", [Section("一、基本情况", 1, subsections=[
        Section("（二）各项工作任务绩效目标完成情况分析", 2, [Paragraph(p) for p in paragraphs])])])
    assert any(expected in found for found in contradictions(d))


def test_extract_reads_back_every_units_claimed_score_and_grade(drafts):
    for (code, year), (r, d) in drafts.items():
        got = extract.extract_text(d.text(), file=f"{code}_{year}.txt")
        assert got.self_score is not None and float(got.self_score) == round(r.result["claimed_score"], 2), (code, year)
        assert got.grade == (r.result["claimed_grade"] or r.ruleset.grade(r.result["claimed_score"])), (code, year)


@pytest.mark.parametrize("unit, year", [("D009", 2022), ("HZFL", 2022), ("D014", 2021)])
def test_the_drafts_checked_are_the_ones_perfeval_draft_writes(drafts, demo_processed, unit, year):
    # the district-wide reports (one evaluation) give the same draft as one unit's report (its own evaluation)
    alone = report.draft(report.unit_report(unit, year, processed_dir=demo_processed))
    assert alone.text() == drafts[(unit, year)][1].text()

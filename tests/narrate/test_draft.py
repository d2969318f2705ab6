"""The 自评报告 draft: exact sentences on hand-made cases, the four sections, the Word file."""
from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pandas as pd
import pytest

from perfeval_lib.narrate import sentences as narrative
from perfeval_lib.render import draft_figures, report
from perfeval_lib.cli import main
from perfeval_lib.core.vocab import PLACEHOLDER
from perfeval_lib.narrate.draft import Paragraph, Table
from perfeval_lib.review.rulesets import load_ruleset
from perfeval_lib.render.word import build_document, write_docx


MOF2020 = load_ruleset("mof-2020")


@pytest.mark.parametrize("budget, executed, rate, sentence", [
    (507.02, 507.02, 1.0,
     "全年预算数 507.02 万元，执行数 507.02 万元，完成预算的 100.0%，预算完成情况较好，收支规模、支出进度处于合理水平。"),
    (200.0, 0.0, 0.0, "全年预算数 200.00 万元，执行数 0.00 万元，完成预算的 0.0%，预算执行进度较慢，需加快支出进度。"),
    (69.06, 76.36, 76.36 / 69.06,
     "全年预算数 69.06 万元，执行数 76.36 万元，完成预算的 110.6%，执行数超过预算数，含其他资金列支，需说明资金来源。"),
    (100.0, 92.0, 0.92, "全年预算数 100.00 万元，执行数 92.00 万元，完成预算的 92.0%，预算完成情况基本达到要求。"),
    (0.0, 5.0, None, "全年预算数为 0，执行数 5.00 万元，预算执行率无法计算。"),
])
def test_figures_sentence(budget, executed, rate, sentence):
    result = {"budget_final": budget, "executed": executed, "execution_rate": rate}
    assert narrative.figures_sentence(result, MOF2020) == sentence


def test_conclusion_headline_only_states_the_claim_and_why_it_is_not_recomputed():
    result = {"score": None, "claimed_score": 98.0, "claimed_grade": "优", "score_status": "no_indicators"}
    assert narrative.conclusion_sentences(result, 2022, MOF2020) == [
        "按照《部门整体支出绩效自评表》的评价指标，2022年本部门整体支出绩效自评结果为 98.00 分，达到“优”等级。"]
    assert narrative.review_note(result, pd.DataFrame(), MOF2020) == (
        "复核意见：未提供绩效指标自评表，单位所报结果无法按财政部单位自评评分规则（财预〔2020〕10号）复核。")


def test_conclusion_speaks_the_claim_and_the_reviewer_notes_the_difference():
    scored = pd.DataFrame({"indicator": ["A", "B", "C"], "score": [5.0, 3.0, 10.0], "claimed_score": [8.0, 5.0, 10.0]})
    result = {"score": 84.0, "grade": "良", "claimed_score": 89.0, "claimed_grade": "良", "score_status": "recomputed"}
    assert narrative.conclusion_sentences(result, 2022, MOF2020) == [
        "按照《部门整体支出绩效自评表》的评价指标，2022年本部门整体支出绩效自评结果为 89.00 分，达到“良”等级。"]
    assert narrative.review_note(result, scored, MOF2020) == (
        "复核意见：按财政部单位自评评分规则（财预〔2020〕10号）复核计算为 84.00 分（“良”），比单位所报低 5.00 分，"
        "差异主要在「A」（单位所报 8.00 分，复核 5.00 分）、「B」（单位所报 5.00 分，复核 3.00 分）；详见附件“复核意见”。")


def test_conclusion_claimed_equal_has_no_reviewer_note():
    result = {"score": 96.43, "grade": "优", "claimed_score": 96.5, "score_status": "recomputed"}
    assert narrative.review_note(result, pd.DataFrame(), MOF2020) == ""


def test_conclusion_without_a_claim_asks_for_it_and_never_writes_the_recomputed_score_as_the_units():
    result = {"score": 84.0, "grade": "良", "claimed_score": None, "score_status": "recomputed"}
    sentences = narrative.conclusion_sentences(result, 2022, MOF2020)
    assert sentences == ["【待补充】2022年本部门整体支出绩效自评结果（按《部门整体支出绩效自评表》填写得分和等级）。"]
    assert narrative.review_note(result, pd.DataFrame(), MOF2020).startswith("复核意见：按财政部单位自评评分规则")


# --- the draft of the mini project's units ------------------------------------------------------

def test_full_unit_has_all_four_sections_filled_from_data(project):  # noqa: F811
    d = report.draft(report.unit_report("T01", 2022))
    assert [s.heading for s in d.sections] == ["一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施"]
    assert [s.heading for s in d.sections[0].subsections] == [
        "（一）部门概况", "（二）年度总体工作和重点工作任务", "（三）部门整体收支情况", "（四）部门整体绩效管理情况"]
    finance = d.sections[0].subsections[2].blocks
    assert finance[0].text.startswith("全年预算数 310.20 万元，执行数 154.74 万元，完成预算的 49.9%")
    assert any(isinstance(b, Table) and b.rows[-1][0] == "合计" for b in finance)
    goals = [b.text for b in d.sections[1].subsections[1].blocks if isinstance(b, Paragraph)]
    assert "产出指标共 3 项，达到年度指标值 1 项；未达到：「开展宣讲活动场次」（目标 ≥8，实际 6）、「项目成本控制率」（目标 ≤100%，实际 125%）。" in goals
    # 三 speaks as the unit: its shortfalls with the numbers, then its own account to be written
    problems = [b.text for b in d.sections[2].blocks]
    assert problems == [
        "（一）部分绩效指标未达到年度指标值：「预算执行率」年度指标值 100%，实际完成 76%；「开展宣讲活动场次」年度指标值 ≥8，"
        "实际完成 6（偏差原因：疫情影响）；「项目成本控制率」年度指标值 ≤100%，实际完成 125%；「妇女儿童权益保障」年度指标值 达成，"
        "实际完成 部分达成。",
        "（二）预算执行率偏低：全年预算数 310.20 万元，执行数 154.74 万元，预算执行率 49.9%，低于 90%，年末结转结余 155.46 万元。",
        "（三）支出进度慢于序时进度：截至 6 月底累计支出进度为 19.3%，明显落后于序时进度 50.0%。",
        "【待补充】上述问题的原因，以及本单位自查发现的其他问题。"]
    assert d.sections[2].blocks[-1].kind == "todo"
    assert "经复核" not in d.text().split("附件：复核意见")[0]
    measures = [b.text for b in d.sections[3].blocks]
    assert measures[0].startswith("一是") and any("预算执行进度" in m for m in measures)
    # the review is in its own annex, in the reviewer's voice
    assert d.annex.heading == "附件：复核意见（复核人出具，不属于单位自评报告正文）"
    assert {b.kind for b in d.annex.blocks if isinstance(b, Paragraph)} == {"review"}
    annex = [b.text for b in d.annex.blocks if isinstance(b, Paragraph)]
    assert "复核发现以下事项（按严重程度排列）：" in annex
    assert any("预算执行率 49.9%，低于 90%，但未说明原因" in t for t in annex)


def test_missing_narrative_file_leaves_marked_gaps_not_invented_text(project):  # noqa: F811
    d = report.draft(report.unit_report("T02", 2022))
    profile = d.sections[0].subsections[0].blocks
    assert [b.kind for b in profile] == ["todo"] and profile[0].text.startswith(PLACEHOLDER)


def test_headline_only_draft(project):  # noqa: F811
    d = report.draft(report.unit_report("T03", 2022))
    conclusion = [b.text for b in d.sections[1].subsections[0].blocks]
    assert conclusion == ["按照《部门整体支出绩效自评表》的评价指标，2022年本部门整体支出绩效自评结果为 95.00 分，达到“优”等级。",
                          "复核意见：未提供绩效指标自评表，单位所报结果无法按财政部单位自评评分规则（财预〔2020〕10号）复核。"]
    assert [b.kind for b in d.sections[1].subsections[0].blocks] == ["text", "review"]
    assert "全年预算数 300.00 万元，执行数 290.00 万元，完成预算的 96.7%" in d.text()


# --- Word ---------------------------------------------------------------------------------------

def _docx_headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_draft_command_writes_a_docx_with_headings_tables_and_charts(project, tmp_path):  # noqa: F811
    target = tmp_path / "T01.docx"
    assert main(["draft", "--unit", "T01", "--year", "2022", "-o", str(target)]) == 0
    document = docx.Document(str(target))
    headings = _docx_headings(document)
    assert headings[:5] == ["一、基本情况", "（一）部门概况", "（二）年度总体工作和重点工作任务", "（三）部门整体收支情况",
                            "（四）部门整体绩效管理情况"]
    assert [h for h in headings if "、" in h and not h.startswith("（")] == [
        "一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施"]
    assert headings[-1] == "附件：复核意见（复核人出具，不属于单位自评报告正文）"
    assert len(document.tables) == 3                             # 收支, the unit's 自评表, the annex's 复核表
    budget, claimed, review = document.tables
    assert budget.rows[0].cells[4].text == "全年预算数" and budget.rows[-1].cells[0].text == "合计"
    assert budget.rows[-1].cells[5].text == "154.74"
    assert [c.text for c in claimed.rows[0].cells][-1] == "自评得分" and len(claimed.rows) == 1 + 7
    assert len(review.rows) == 1 + 7 and review.rows[1].cells[2].text == "预算执行率"
    assert review.rows[1].cells[6].text == "4.99" and review.rows[1].cells[8].text == "+5.01"
    assert len(document.inline_shapes) == 3                      # budget, spending, scores (annex)
    # one formatting rule in Word too: every number column (money, rates, scores, differences) as on screen
    numeric = [c for t in document.tables for i, row in enumerate(t.rows[1:]) for j, c in enumerate(row.cells)
               if t.rows[0].cells[j].text in {"年初预算数", "全年预算数", "执行数", "执行率", "分值", "复核得分", "自评得分", "差异"}]
    texts = [c.text for c in numeric]
    assert texts and all(re.fullmatch(r"[+-]?\d+\.\d{2}|\d+\.\d%|—|不计分", t) for t in texts), texts
    assert not {"-0.00", "+0.00"} & set(texts)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    body = document.paragraphs[3].runs[0]
    assert body.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_docx_of_headline_only_unit_states_the_claim(project, tmp_path):  # noqa: F811
    target = tmp_path / "T03.docx"
    write_docx(report.draft(report.unit_report("T03", 2022)), target)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "全年预算数 300.00 万元，执行数 290.00 万元，完成预算的 96.7%" in text
    assert "自评结果为 95.00 分，达到“优”等级" in text


def test_todo_paragraphs_are_highlighted():
    from perfeval_lib.narrate.draft import Draft, Section

    d = Draft("t", "", [Section("一、基本情况", 1, [Paragraph("【待补充】x", "todo"), Paragraph("y")])])
    runs = [p.runs[0] for p in build_document(d).paragraphs if p.text in {"【待补充】x", "y"}]
    assert [r.font.highlight_color is not None for r in runs] == [True, False]


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed")
def test_libreoffice_converts_the_docx_to_pdf(project, tmp_path):  # noqa: F811
    target = tmp_path / "T01.docx"
    write_docx(report.draft(report.unit_report("T01", 2022)), target, draft_figures.figure_pngs(report.unit_report("T01", 2022)))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / "T01.pdf").stat().st_size > 10_000


@pytest.mark.parametrize("unit", ["T01", "T02", "T03"])
def test_extract_on_the_draft_gives_back_the_same_figures(project, tmp_path, unit):  # noqa: F811
    from perfeval_lib import extract

    r = report.unit_report(unit, 2022)
    target = tmp_path / f"{unit}.docx"
    write_docx(report.draft(r), target)
    # the text a reader gets from the Word file (paragraphs and table cells, in order)
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    got = extract.extract_text(text, file=f"{unit}.docx")
    result = r.result
    # the draft is the unit's report: extract reads back the unit's own claimed score and grade
    score, grade = result["claimed_score"], result["claimed_grade"]
    assert (got.unit, got.year) == (r.name, 2022)
    assert (got.budget_wan, got.executed_wan) == (round(result["budget_final"], 2), round(result["executed"], 2))
    assert got.execution_rate_pct == round(result["execution_rate"] * 100, 1)
    assert (got.self_score, got.grade) == (round(score, 2), grade)


def test_a_draft_without_a_claim_gives_extract_no_score():
    from types import SimpleNamespace

    from perfeval_lib import extract
    from perfeval_lib.narrate.draft import build_draft

    scored = pd.DataFrame({"indicator": ["A"], "level1": ["产出指标"], "level2": ["数量指标"], "level3": ["A"],
                           "kind": ["定量"], "direction": ["≥"], "weight": [100.0], "target": [10.0], "actual": [8.4],
                           "target_text": ["≥10"], "actual_text": ["8.4"], "rule": ["linear_capped"], "score": [84.0],
                           "claimed_score": [None]})
    r = SimpleNamespace(year=2022, name="某单位", unit={}, analyst={}, ruleset=MOF2020, lines=pd.DataFrame(),
                        progress=pd.DataFrame(), scored=scored, findings=pd.DataFrame(),
                        result={"score": 84.0, "grade": "良", "claimed_score": None, "score_status": "recomputed",
                                "budget_final": None, "executed": None, "execution_rate": None})
    text = build_draft(r).text()
    assert "复核计算为 84.00 分" in text                      # the review's figure is there, said as the review's
    assert extract.extract_text(text, file="x.txt").self_score is None   # and never read as the unit's own

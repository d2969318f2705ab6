"""The 自评报告 draft as a document: the official sections, written from data, rendered to HTML or Word.

:func:`build_draft` turns a :class:`perfeval_lib.render.report.UnitReport` into a :class:`Draft` — headings
and blocks (paragraphs, tables, figure slots) in the worked example's order (rules.md §5). The unit
report's HTML and the Word file (:mod:`perfeval_lib.render.word`) both render this one object, so every
number in either comes from the same results table. Sentences come from :mod:`perfeval_lib.narrate.sentences`
(jinja2 templates); free text from the analyst's narrative file; what neither can give is marked
``【待补充】`` for the analyst to write.

Examples
--------
>>> from perfeval_lib.render import report
>>> d = build_draft(report.unit_report("HZFL", 2022))                # doctest: +SKIP
>>> [s.heading for s in d.sections]                                  # doctest: +SKIP
['一、基本情况', '二、综合评价分析', '三、存在的主要问题', '四、下一步改进措施']
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import sentences as narrative
from ..core.templating import money, none_if_missing, pct, points, signed
from ..core.vocab import CHINESE_NUMBERS, PLACEHOLDER



@dataclass
class Paragraph:
    """A paragraph; ``kind`` is ``text`` (from data), ``analyst`` (their own words) or ``todo``."""

    text: str
    kind: str = "text"


@dataclass
class Table:
    """A table of display strings; ``numeric`` marks right-aligned columns, ``flagged`` highlighted rows."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    flagged: list[bool] = field(default_factory=list)
    total_last: bool = False


@dataclass
class Figure:
    """A slot for a chart: ``key`` names it (budget, spending, scores), ``caption`` is shown under it."""

    key: str
    caption: str


@dataclass
class Section:
    heading: str
    level: int
    blocks: list = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    subtitle: str
    sections: list[Section]

    def text(self) -> str:
        """The draft as plain text (headings and paragraphs; tables as tab-separated lines)."""
        lines = [self.title, ""]

        def walk(section: Section) -> None:
            lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines.append(block.text)
                elif isinstance(block, Table):
                    lines.append(block.caption)
                    lines.extend("\t".join(row) for row in [block.header, *block.rows])
            for sub in section.subsections:
                walk(sub)
            lines.append("")

        for section in self.sections:
            walk(section)
        return "\n".join(lines)


def _analyst_or_todo(paragraphs: list[str], todo: str) -> list[Paragraph]:
    if paragraphs:
        return [Paragraph(p, "analyst") for p in paragraphs]
    return [Paragraph(f"{PLACEHOLDER}{todo}", "todo")]


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def budget_table(lines: pd.DataFrame) -> Table | None:
    """收支 table: one row per budget line, then the 合计 row."""
    if lines.empty:
        return None
    ordered = lines.sort_values(["category", "funding_source", "project"], na_position="first")
    rows = []
    for line in ordered.itertuples():
        rate = line.executed / line.budget_final if line.budget_final else np.nan
        rows.append([_text(line.category), _text(line.funding_source), _text(line.project),
                     money(line.budget_initial), money(line.budget_final), money(line.executed), pct(rate),
                     _text(line.note)])
    total_last = len(ordered) > 1
    if total_last:
        final, executed = ordered["budget_final"].sum(), ordered["executed"].sum()
        rows.append(["合计", "", "", money(ordered["budget_initial"].sum(min_count=1)), money(final),
                     money(executed), pct(executed / final if final else np.nan), ""])
    return Table("表1 预算执行情况（万元）", ["支出类别", "资金来源", "项目", "年初预算数", "全年预算数", "执行数", "执行率", "说明"],
                 rows, [False, False, False, True, True, True, True, False], total_last=total_last)


def indicator_table(scored: pd.DataFrame) -> Table | None:
    """指标 table: claimed and recomputed score per indicator, rows that differ flagged."""
    if scored.empty:
        return None
    rows, flagged = [], []
    for row in scored.itertuples():
        na = row.rule == "not_applicable"
        gap = row.claimed_score - row.score if pd.notna(row.claimed_score) and pd.notna(row.score) else np.nan
        rows.append([_text(row.level1), _text(row.level2), _text(row.level3), points(row.weight),
                     _text(row.target_text), _text(row.actual_text), "不计分" if na else points(row.score),
                     points(row.claimed_score), signed(gap)])
        flagged.append(bool(pd.notna(gap) and abs(gap) >= 0.05))
    return Table("表2 绩效指标复核表", ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "复核得分",
                                  "自评得分", "差异"],
                 rows, [False, False, False, True, False, False, True, True, True], flagged)


def _text(value) -> str:
    value = none_if_missing(value)
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

def _basic(r) -> Section:
    analyst = r.analyst
    profile = analyst.get("profile") or ([r.unit["profile"]] if r.unit.get("profile") else [])
    finance = [Paragraph(narrative.figures_sentence(r.result, r.ruleset))]
    finance += [Paragraph(s) for s in narrative.category_sentences(r.lines)]
    if len(r.progress):
        finance.append(Paragraph(narrative.progress_sentence(r.progress)))
    table = budget_table(r.lines)
    finance += ([table] if table else [])
    if len(r.lines) and not r.lines["category"].eq("合计").all():
        finance.append(Figure("budget", "图1 预算数与执行数"))
    if len(r.progress):
        finance.append(Figure("spending", "图2 月度累计支出进度与序时进度"))
    management = analyst.get("management") or []
    management_blocks = [Paragraph(p, "analyst") for p in management] + \
        [Paragraph(narrative.management_sentence(r.scored, r.ruleset))]
    if analyst.get("goals"):
        management_blocks += [Paragraph(p, "analyst") for p in analyst["goals"]]
    return Section("一、基本情况", 1, subsections=[
        Section("（一）部门概况", 2, _analyst_or_todo(profile, "部门概况：单位职能、内设机构和人员编制情况。")),
        Section("（二）年度总体工作和重点工作任务", 2,
                _analyst_or_todo(analyst.get("key_work", []), "年度总体工作和重点工作任务。")),
        Section("（三）部门整体收支情况", 2, finance),
        Section("（四）部门整体绩效管理情况", 2, management_blocks),
    ])


def _analysis(r) -> Section:
    goals: list = [Paragraph(line) for line in narrative.goal_lines(r.scored)]
    table = indicator_table(r.scored)
    if table:
        goals += [table, Figure("scores", "图3 各一级指标复核得分、自评得分与分值")]
    else:
        goals = [Paragraph("未提供绩效指标自评表，无法逐项分析绩效目标完成情况。", "todo")]
    projects = r.lines[r.lines["category"].fillna("").str.contains("项目")] if len(r.lines) else r.lines
    project_blocks = [Paragraph(s) for s in narrative.project_sentences(projects)]
    project_blocks += [Paragraph(p, "analyst") for p in r.analyst.get("projects", [])]
    if not project_blocks:
        project_blocks = [Paragraph(f"{PLACEHOLDER}未提供项目支出明细；请补充重点任务项目支出完成情况。", "todo")]
    return Section("二、综合评价分析", 1, subsections=[
        Section("（一）自评结论综述", 2, [Paragraph(s) for s in
                                   narrative.conclusion_sentences(r.result, r.scored, r.year, r.ruleset)]),
        Section("（二）各项工作任务绩效目标完成情况分析", 2, goals),
        Section("（三）各重点任务项目支出完成情况分析", 2, project_blocks),
        Section("（四）主要工作成效", 2, _analyst_or_todo(r.analyst.get("achievements", []), "主要工作成效。")),
    ])


def _problems(r) -> Section:
    blocks = [Paragraph(p, "analyst") for p in r.analyst.get("problems", [])]
    groups = narrative.problem_groups(r.findings)
    if groups:
        blocks.append(Paragraph("经复核，发现以下问题（按严重程度排列）："))
        blocks += [Paragraph(narrative.problem_sentence(i, g)) for i, g in enumerate(groups)]
    elif not blocks:
        blocks.append(Paragraph("经复核，未发现问题。"))
    return Section("三、存在的主要问题", 1, blocks)


def _measures(r) -> Section:
    texts = r.analyst.get("measures", []) + narrative.measures(r.findings)
    return Section("四、下一步改进措施", 1,
                   [Paragraph(f"{_ordinal(i)}是{t}" if not t.startswith(("一是", "二是")) else t)
                    for i, t in enumerate(texts)])


def _ordinal(i: int) -> str:
    return CHINESE_NUMBERS[i] if i < len(CHINESE_NUMBERS) else str(i + 1)


def build_draft(r) -> Draft:
    """The four official sections for one unit-year (see the module docstring)."""
    subtitle = f"{r.unit.get('parent') or ''}"
    return Draft(f"{r.year}年度{r.name}整体支出绩效自评报告", subtitle,
                 [_basic(r), _analysis(r), _problems(r), _measures(r)])

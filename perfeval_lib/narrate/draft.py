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
    """A paragraph; ``kind`` is ``text`` (from data), ``analyst`` (their own words) or ``todo``.

    Attributes
    ----------
    text : str
        The paragraph, one line.
    kind : str, default ``'text'``
        ``'text'`` (written from data), ``'analyst'`` (from the analyst's narrative file) or
        ``'todo'`` (a ``【待补充】`` gap for the analyst); renderers style them apart.

    Examples
    --------
    >>> Paragraph("【待补充】部门概况。", "todo").kind
    'todo'
    """

    text: str
    kind: str = "text"


@dataclass
class Table:
    """A table of display strings; ``numeric`` marks right-aligned columns, ``flagged`` highlighted rows.

    Attributes
    ----------
    caption : str
        Shown above the table (``表1 预算执行情况（万元）``).
    header : list of str
        Column headings.
    rows : list of list of str
        Cells already formatted (money with 2 decimals, rates with 1, scores as given).
    numeric : list of bool
        One per column: right-aligned.
    flagged : list of bool
        One per row (or empty): highlighted.
    total_last : bool
        The last row is a 合计 row.

    Examples
    --------
    >>> t = Table("表1 预算执行情况（万元）", ["支出类别", "执行数"], [["基本支出", "99.00"]], [False, True])
    >>> t.flagged, t.total_last
    ([], False)
    """

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    flagged: list[bool] = field(default_factory=list)
    total_last: bool = False


@dataclass
class Figure:
    """A slot for a chart: ``key`` names it (budget, spending, scores), ``caption`` is shown under it.

    Attributes
    ----------
    key : str
        ``'budget'``, ``'spending'`` or ``'scores'``: the renderer draws the chart it names.
    caption : str
        E.g. ``图1 预算数与执行数``.

    Examples
    --------
    >>> Figure("budget", "图1 预算数与执行数").key
    'budget'
    """

    key: str
    caption: str


@dataclass
class Section:
    """A heading with its blocks and subsections.

    Attributes
    ----------
    heading : str
        As the official report numbers it (``一、基本情况``, ``（三）部门整体收支情况``).
    level : int
        1 for 一、…, 2 for （一）….
    blocks : list
        :class:`Paragraph`, :class:`Table` and :class:`Figure` objects, in order.
    subsections : list of Section

    Examples
    --------
    >>> section = Section("三、存在的主要问题", 1, [Paragraph("经复核，未发现问题。")])
    >>> section.level, section.subsections
    (1, [])
    """

    heading: str
    level: int
    blocks: list = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


@dataclass
class Draft:
    """The whole 自评报告 draft of one unit-year.

    Attributes
    ----------
    title : str
        ``<year>年度<unit name>整体支出绩效自评报告``.
    subtitle : str
        The unit's 主管部门, or ``''``.
    sections : list of Section
        The four official sections (rules.md §5).

    Examples
    --------
    >>> Draft("2022年度甲单位整体支出绩效自评报告", "", []).text()
    '2022年度甲单位整体支出绩效自评报告\\n'
    """

    title: str
    subtitle: str
    sections: list[Section]

    def text(self) -> str:
        """The draft as plain text (headings and paragraphs; tables as tab-separated lines).

        Returns
        -------
        str
            The title, a blank line, then each section: heading, paragraphs, each table as its
            caption and tab-separated rows (header first), subsections, and a blank line. Figures
            are left out.

        Examples
        --------
        >>> d = Draft("2022年度甲单位整体支出绩效自评报告", "", [Section("一、基本情况", 1, [Paragraph("正文")])])
        >>> d.text()
        '2022年度甲单位整体支出绩效自评报告\\n\\n一、基本情况\\n正文\\n'
        """
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
    """收支 table: one row per budget line, then the 合计 row.

    Parameters
    ----------
    lines : pandas.DataFrame
        One unit-year's budget lines; reads ``category, funding_source, project, budget_initial,
        budget_final, executed`` (万元) and ``note``.

    Returns
    -------
    Table or None
        ``表1 预算执行情况（万元）``: lines sorted by category, funding source and project, money with
        2 decimals, the rate executed / 全年预算数 with 1 decimal (``—`` for a zero budget), and a
        合计 row when there is more than one line; None for no lines.

    Examples
    --------
    >>> lines = pd.DataFrame({"category": ["项目支出", "基本支出"], "funding_source": ["财政拨款"] * 2,
    ...     "project": ["档案数字化", None], "budget_initial": [50.0, 100.0], "budget_final": [80.0, 100.0],
    ...     "executed": [70.5, 99.0], "note": [None, None]})
    >>> table = budget_table(lines)
    >>> table.rows[0]
    ['基本支出', '财政拨款', '', '100.00', '100.00', '99.00', '99.0%', '']
    >>> table.rows[-1]
    ['合计', '', '', '150.00', '180.00', '169.50', '94.2%', '']
    """
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
    """指标 table: claimed and recomputed score per indicator, rows that differ flagged.

    Parameters
    ----------
    scored : pandas.DataFrame
        One unit-year's rows from :func:`perfeval_lib.score`; reads ``level1, level2, level3,
        weight, target_text, actual_text, rule, score, claimed_score`` (points).

    Returns
    -------
    Table or None
        ``表2 绩效指标复核表``: one row per indicator with 分值, 复核得分 (``不计分`` for a
        not-applicable row), 自评得分 and 差异 (claimed − recomputed, signed); a row is flagged when
        they differ by 0.05 points or more. None for no rows.

    Examples
    --------
    >>> scored = pd.DataFrame({"level1": ["产出指标"], "level2": ["数量指标"], "level3": ["培训人次"],
    ...     "weight": [10.0], "target_text": ["≥200"], "actual_text": ["180"], "rule": ["linear_capped"],
    ...     "score": [9.0], "claimed_score": [10.0]})
    >>> table = indicator_table(scored)
    >>> table.rows, table.flagged
    ([['产出指标', '数量指标', '培训人次', '10', '≥200', '180', '9', '10', '+1']], [True])
    """
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
    """The four official sections for one unit-year (see the module docstring).

    rules.md §5 (the worked example's shape): 一、基本情况 (（一）部门概况 …（四）部门整体绩效管理情况),
    二、综合评价分析, 三、存在的主要问题, 四、下一步改进措施. Figures, tables, problems and measures
    come from data; 概况, 重点工作 and 成效 from the analyst's file, else a ``【待补充】`` gap.

    Parameters
    ----------
    r : perfeval_lib.render.report.UnitReport or any object with the same attributes
        Reads ``year``, ``name``, ``unit`` (dict: ``parent``, ``profile``), ``analyst`` (dict of lists
        of paragraphs: ``profile, key_work, management, goals, projects, achievements, problems,
        measures``), ``result`` (a results row), ``ruleset``, ``lines`` (budget lines), ``progress``,
        ``scored`` and ``findings`` (DataFrames, may be empty).

    Returns
    -------
    Draft

    Raises
    ------
    AttributeError
        When ``r`` lacks one of the attributes above.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> r = SimpleNamespace(year=2022, name="某区妇女联合会", unit={"parent": "某区人民政府"}, analyst={},
    ...     result={"budget_final": 507.02, "executed": 507.02, "execution_rate": 1.0, "score": None,
    ...             "claimed_score": 98.0, "claimed_grade": "优", "score_status": "no_indicators"},
    ...     ruleset=load_ruleset("mof-2020"), lines=pd.DataFrame(), progress=pd.DataFrame(),
    ...     scored=pd.DataFrame(), findings=pd.DataFrame())
    >>> d = build_draft(r)
    >>> d.title, d.subtitle
    ('2022年度某区妇女联合会整体支出绩效自评报告', '某区人民政府')
    >>> [s.heading for s in d.sections]
    ['一、基本情况', '二、综合评价分析', '三、存在的主要问题', '四、下一步改进措施']
    >>> d.sections[0].subsections[2].blocks[0].text
    '全年预算数 507.02 万元，执行数 507.02 万元，完成预算的 100.0%，预算完成情况较好，收支规模、支出进度处于合理水平。'
    >>> d.sections[0].subsections[0].blocks[0].kind
    'todo'
    """
    subtitle = f"{r.unit.get('parent') or ''}"
    return Draft(f"{r.year}年度{r.name}整体支出绩效自评报告", subtitle,
                 [_basic(r), _analysis(r), _problems(r), _measures(r)])

"""The 自评报告 draft as a document: the official sections, written from data, rendered to HTML or Word.

:func:`build_draft` turns a :class:`perfeval_lib.render.report.UnitReport` into a :class:`Draft` — headings
and blocks (paragraphs, tables, figure slots) in the worked example's order (rules.md §5). The unit
report's HTML and the Word file (:mod:`perfeval_lib.render.word`) both render this one object, so every
number in either comes from the same results table. Sentences come from :mod:`perfeval_lib.narrate.sentences`
and :mod:`perfeval_lib.narrate.problems` (jinja2 templates); free text from the analyst's narrative file;
what neither can give is marked ``【待补充】`` for the analyst to write.

Two voices are kept apart. Sections 一 to 四 speak as the unit: its own score and grade as it claims
them, its targets met and missed, its own shortfalls with the numbers. The review — the recomputed
score where it differs, the audit's findings, the reviewer's recommendations — is a labelled note
(kind ``review``) under 二（一） and the annex :data:`~perfeval_lib.narrate.review.ANNEX_HEADING`
(:mod:`perfeval_lib.narrate.review`). The document model (paragraphs, tables, sections) is
:mod:`perfeval_lib.narrate.document`.

Examples
--------
>>> from perfeval_lib.render import report
>>> d = build_draft(report.unit_report("HZFL", 2022))                # doctest: +SKIP
>>> [s.heading for s in d.sections]                                  # doctest: +SKIP
['一、基本情况', '二、综合评价分析', '三、存在的主要问题', '四、下一步改进措施']
"""
from __future__ import annotations

from . import sentences as narrative
from ..core.vocab import CHINESE_NUMBERS, PLACEHOLDER
from .document import Draft, Figure, Paragraph, Section, Table, budget_table, claims_table  # noqa: F401
from .problems import problem_text, unit_problems
from .review import review_annex


def _analyst_or_todo(paragraphs: list[str], todo: str) -> list[Paragraph]:
    if paragraphs:
        return [Paragraph(p, "analyst") for p in paragraphs]
    return [Paragraph(f"{PLACEHOLDER}{todo}", "todo")]


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

def _basic(r) -> Section:
    analyst = r.analyst
    profile = analyst.get("profile") or ([r.unit["profile"]] if r.unit.get("profile") else [])
    finance = [Paragraph(narrative.figures_sentence(r.result, r.ruleset))]
    finance += [Paragraph(p, "analyst") for p in analyst.get("execution", [])]
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
    table = claims_table(r.scored)
    if table:
        goals.append(table)
    else:
        goals = [Paragraph(f"{PLACEHOLDER}未提供绩效指标自评表；请补充各项绩效目标的完成情况。", "todo")]
    projects = r.lines[r.lines["category"].fillna("").str.contains("项目")] if len(r.lines) else r.lines
    project_blocks = [Paragraph(s) for s in narrative.project_sentences(projects)]
    project_blocks += [Paragraph(p, "analyst") for p in r.analyst.get("projects", [])]
    if not project_blocks:
        project_blocks = [Paragraph(f"{PLACEHOLDER}未提供项目支出明细；请补充重点任务项目支出完成情况。", "todo")]
    conclusion = [Paragraph(s, "text" if r.result.get("claimed_score") is not None else "todo")
                  for s in narrative.conclusion_sentences(r.result, r.year, r.ruleset)]
    note = narrative.review_note(r.result, r.scored, r.ruleset)
    conclusion += [Paragraph(note, "review")] if note else []
    return Section("二、综合评价分析", 1, subsections=[
        Section("（一）自评结论综述", 2, conclusion),
        Section("（二）各项工作任务绩效目标完成情况分析", 2, goals),
        Section("（三）各重点任务项目支出完成情况分析", 2, project_blocks),
        Section("（四）主要工作成效", 2, _analyst_or_todo(r.analyst.get("achievements", []), "主要工作成效。")),
    ])


def _problems(r, problems: list[dict]) -> Section:
    blocks = [Paragraph(p, "analyst") for p in r.analyst.get("problems", [])]
    blocks += [Paragraph(problem_text(i, p)) for i, p in enumerate(problems)]
    ask = ("上述问题的原因，以及本单位自查发现的其他问题。" if problems or blocks
           else "对照年度绩效目标和预算执行情况，说明本单位存在的主要问题及原因。")
    blocks.append(Paragraph(f"{PLACEHOLDER}{ask}", "todo"))
    return Section("三、存在的主要问题", 1, blocks)


def _measures(r, problems: list[dict]) -> Section:
    texts = r.analyst.get("measures", []) + narrative.measures_for({p["code"] for p in problems})
    return Section("四、下一步改进措施", 1,
                   [Paragraph(f"{_ordinal(i)}是{t}" if not t.startswith(("一是", "二是")) else t)
                    for i, t in enumerate(texts)])


def _ordinal(i: int) -> str:
    return CHINESE_NUMBERS[i] if i < len(CHINESE_NUMBERS) else str(i + 1)


def build_draft(r) -> Draft:
    """The four official sections for one unit-year in the unit's voice, and the review's annex.

    rules.md §5 (the worked example's shape): 一、基本情况 (（一）部门概况 …（四）部门整体绩效管理情况),
    二、综合评价分析, 三、存在的主要问题, 四、下一步改进措施. Figures, tables, the unit's problems and
    measures come from data; 概况, 重点工作 and 成效 from the analyst's file, else a ``【待补充】`` gap.
    二（一） states the unit's claimed score (a reviewer's note adds the recomputed one where they
    differ); 三 lists the unit's shortfalls with their numbers, then asks for its own account; the
    audit's findings are in ``annex`` only. No sentence says that nothing is wrong.

    Parameters
    ----------
    r : perfeval_lib.render.report.UnitReport or any object with the same attributes
        Reads ``year``, ``name``, ``unit`` (dict: ``parent``, ``profile``), ``analyst`` (dict of lists
        of paragraphs: ``profile, key_work, management, goals, execution, projects, achievements,
        problems, measures``), ``result`` (a results row), ``ruleset``, ``lines`` (budget lines), ``progress``,
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
    >>> import pandas as pd
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
    >>> [b.text for b in d.sections[1].subsections[0].blocks]
    ['按照《部门整体支出绩效自评表》的评价指标，2022年本部门整体支出绩效自评结果为 98.00 分，达到“优”等级。', '复核意见：未提供绩效指标自评表，单位所报结果无法按财政部单位自评评分规则（财预〔2020〕10号）复核。']
    >>> d.annex.heading
    '附件：复核意见（复核人出具，不属于单位自评报告正文）'
    """
    subtitle = f"{r.unit.get('parent') or ''}"
    problems = unit_problems(r.result, r.scored, r.progress, r.ruleset)
    return Draft(f"{r.year}年度{r.name}整体支出绩效自评报告", subtitle,
                 [_basic(r), _analysis(r), _problems(r, problems), _measures(r, problems)], review_annex(r))

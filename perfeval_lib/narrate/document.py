r"""The draft as a document model: paragraphs, tables, figure slots and sections, rendered to HTML or Word.

Nothing here knows a file format: :mod:`perfeval_lib.render.report` renders a :class:`Draft` as HTML,
:mod:`perfeval_lib.render.word` as Word. The tables are built here from the unit-year's rows, every
number formatted by the one rule (:mod:`perfeval_lib.core.formatting`).

Examples
--------
>>> Draft("2022年度甲单位整体支出绩效自评报告", "", [Section("一、基本情况", 1, [Paragraph("正文")])]).text()
'2022年度甲单位整体支出绩效自评报告\n\n一、基本情况\n正文\n'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.templating import money, none_if_missing, pct, points, signed
from ..core.vocab import SCORE_TOLERANCE


@dataclass
class Paragraph:
    """A paragraph; ``kind`` is ``text`` (from data), ``analyst`` (their own words), ``todo`` or ``review``.

    Attributes
    ----------
    text : str
        The paragraph, one line.
    kind : str, default ``'text'``
        ``'text'`` (written from data, in the unit's voice), ``'analyst'`` (from the analyst's narrative
        file), ``'todo'`` (a ``【待补充】`` gap for the analyst) or ``'review'`` (the reviewer's voice:
        a 复核意见, never the unit's own statement); renderers style them apart.

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
        The four official sections (rules.md §5), in the unit's voice.
    annex : Section or None
        The review's annex (附件：复核意见), in the reviewer's voice; printed after the sections.

    Examples
    --------
    >>> Draft("2022年度甲单位整体支出绩效自评报告", "", []).text()
    '2022年度甲单位整体支出绩效自评报告\\n'
    """

    title: str
    subtitle: str
    sections: list[Section]
    annex: Section | None = None

    def text(self) -> str:
        """The draft as plain text (headings and paragraphs; tables as tab-separated lines).

        Returns
        -------
        str
            The title, a blank line, then each section and the annex: heading, paragraphs, each table
            as its caption and tab-separated rows (header first), subsections, and a blank line.
            Figures are left out.

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

        for section in [*self.sections, *([self.annex] if self.annex else [])]:
            walk(section)
        return "\n".join(lines)


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
    ([['产出指标', '数量指标', '培训人次', '10.00', '≥200', '180', '9.00', '10.00', '+1.00']], [True])
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
        flagged.append(bool(pd.notna(gap) and abs(gap) >= SCORE_TOLERANCE))
    return Table("表2 绩效指标复核表", ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "复核得分",
                                  "自评得分", "差异"],
                 rows, [False, False, False, True, False, False, True, True, True], flagged)


def claims_table(scored: pd.DataFrame) -> Table | None:
    """The unit's own 自评表, as it filled it in: targets, results and claimed scores (no recomputation).

    Parameters
    ----------
    scored : pandas.DataFrame
        One unit-year's indicator rows; reads ``level1, level2, level3, weight, target_text,
        actual_text, claimed_score`` (points).

    Returns
    -------
    Table or None
        ``表2 绩效指标完成情况``: one row per indicator; scores with 2 decimals (``—`` where the unit
        gave none). None for no rows.

    Examples
    --------
    >>> scored = pd.DataFrame({"level1": ["产出指标"], "level2": ["数量指标"], "level3": ["培训人次"],
    ...     "weight": [10.0], "target_text": ["≥200"], "actual_text": ["180"], "claimed_score": [9.0]})
    >>> claims_table(scored).rows
    [['产出指标', '数量指标', '培训人次', '10.00', '≥200', '180', '9.00']]
    """
    if scored.empty:
        return None
    claimed = scored["claimed_score"] if "claimed_score" in scored.columns else pd.Series(np.nan, index=scored.index)
    rows = [[_text(row.level1), _text(row.level2), _text(row.level3), points(row.weight), _text(row.target_text),
             _text(row.actual_text), points(claim)] for row, claim in zip(scored.itertuples(), claimed)]
    return Table("表2 绩效指标完成情况", ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "自评得分"],
                 rows, [False, False, False, True, False, False, True])


def _text(value) -> str:
    value = none_if_missing(value)
    return "" if value is None else str(value)



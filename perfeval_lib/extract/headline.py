"""The headline figures of one report: the prose and the tables put together, each with where it came from.

A funds table read whole (:func:`perfeval_lib.extract.tables.funds_tables`) is the form's own statement
of the budget, the amount executed and the rate, so it comes before the prose; the prose fills what the
table leaves empty, and a difference between the two is a note. The total score comes from the prose's
自评得分 statements, else from a 总分 row; the funds table's 得分 is the execution-rate indicator's,
never the total. Every figure carries its source: the line (``第14行``, ``第2页第5行``) and the words.

Examples
--------
>>> lines = [("第1行", "年初预算数 全年预算数 全年执行数 分值 执行率 得分"), ("第2行", "年度资金总额 880 880 880 10 10")]
>>> locator = Locator(lines, "\\n".join(line for _, line in lines))
>>> locator.where(60)
'第2行'
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from .figures import Statement, plain, stated_statements
from .tables import FundsReading, describe, detached_rate, funds_tables, total_rows

_PROJECT_REPORT = re.compile(r"项目(?:支出)?(?:绩效)?(?:自评|评价)|专项资金(?:绩效)?(?:自评|评价)|项目支出绩效|"
                             r"项目资金(?:申报|使用|安排)|项目名称")
_DEPT_REPORT = re.compile(r"部门整体|(?<!项目)整体支出|单位整体|(?<!项目)整体绩效(?!目标)|机关整体")
#: Further into the head: the words of a whole unit's report (部门基本情况, 基本支出).
_DEPT_HEAD = re.compile(r"(?:部门|单位|机关)(?:基本)?(?:情况|概况)|基本支出|人员经费|公用经费")
#: Further into the head: a fund's or a project's own report (…资金绩效自评报告, 项目概况).
_PROJECT_HEAD = re.compile(r"(?:项目|资金|经费)(?:支出|使用|管理)?(?:情况)?(?:的)?(?:绩效)?(?:自评|评价)|项目名称|项目概况|"
                           r"项目基本情况")


class Locator:
    """Offsets in a text made of lines → where the line came from.

    Parameters
    ----------
    lines : list of (str, str)
        ``(where, line)`` pairs, in order.
    text : str
        The lines joined (with anything between them: each line appears in it verbatim, in order).

    Examples
    --------
    >>> Locator([("第3行", "甲乙"), ("第5行", "丙")], "甲乙丙").where(2)
    '第5行'
    """

    def __init__(self, lines: list[tuple[str, str]], text: str) -> None:
        self.starts: list[int] = []
        self.names: list[str] = []
        self.text = text
        cursor = 0
        for where, line in lines:
            found = text.find(line, cursor)
            if found < 0:
                continue
            self.starts.append(found)
            self.names.append(where)
            cursor = found + len(line)

    def where(self, offset: int) -> str:
        """The source line of an offset (``""`` before the first line).

        Parameters
        ----------
        offset : int

        Returns
        -------
        str
        """
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.names[index] if index >= 0 else ""

    def quote(self, offset: int, length: int = 30) -> str:
        """Where an offset is, with the words from there: ``第14行「全年预算数507.02万元」``.

        Parameters
        ----------
        offset : int
        length : int
            How many characters to quote.

        Returns
        -------
        str
        """
        index = bisect.bisect_right(self.starts, offset)
        end = min(offset + length, self.starts[index] if index < len(self.starts) else len(self.text))
        words = re.sub(r"\s+", " ", self.text[offset:end]).strip()
        return f"{self.where(offset)}「{words}」"


def is_project_report(head: str) -> bool:
    """Whether a report is a project's (项目支出绩效自评) rather than a whole unit's (部门整体支出).

    Parameters
    ----------
    head : str
        The report's first lines (the title in the first 400 characters, the rest up to 1500 read too).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_project_report("项目支出绩效自评表（2022年度）"), is_project_report("部门整体和项目支出绩效自评报告")
    (True, False)
    """
    if _DEPT_REPORT.search(head[:400]):
        return False
    return bool(_PROJECT_REPORT.search(head[:400])) or (bool(_PROJECT_HEAD.search(head))
                                                        and not _DEPT_REPORT.search(head) and not _DEPT_HEAD.search(head))


@dataclass
class Figures:
    """The chosen headline figures and their sources (``{field: where}``)."""

    budget: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None
    score: Decimal | None = None
    table_grade: str | None = None
    sources: dict | None = None
    funds: FundsReading | None = None


def _statement_source(found: Statement, flat: str, sections: dict[str, str], locator: Locator) -> str:
    base = flat.find(sections.get(found.region, "")) if found.region in sections and sections[found.region] else 0
    return locator.quote(max(base, 0) + found.position)


def headline_figures(flat: str, sections: dict[str, str], locator: Locator, stream: str, stream_locator: Locator,
                     declared: str | None, notes: list[str]) -> Figures:
    """Budget, executed, rate and total score from the tables and the prose, with their sources.

    Parameters
    ----------
    flat : str
        The report as one text (:func:`perfeval_lib.extract.sections.find_sections`).
    sections : dict of str
        The report's sections (``finance``, ``conclusion`` …).
    locator : Locator
        For ``flat``.
    stream : str
        The report's lines with their cells apart, joined with ``\\n``.
    stream_locator : Locator
        For ``stream``.
    declared : str or None
        The money unit a ``单位：万元`` line declares.
    notes : list of str
        Appended to for every ambiguity.

    Returns
    -------
    Figures
        Amounts in 万元, the rate in percent as stated, the score in points; ``sources`` maps
        ``budget_wan``, ``executed_wan``, ``execution_rate_pct``, ``self_score`` to where each came from.
    """
    project = is_project_report(flat[:1500])
    stated = stated_statements(flat, sections, notes, project)
    out = Figures(sources={})
    readings = [r for r in funds_tables(stream, declared) if r.budget is not None or r.executed is not None
                or r.rate is not None or r.notes]
    funds = next((r for r in readings if r.budget is not None or r.executed is not None or r.rate is not None), None)
    for reading in readings:
        if reading is funds or funds is None:
            notes.extend(reading.notes)
    if funds is not None:
        out.funds = funds
        others = [r for r in readings if r is not funds and (r.budget, r.executed) != (None, None)
                  and (r.budget, r.executed) != (funds.budget, funds.executed)]
        if others:
            notes.append(f"报告中有 {len(others) + 1} 张资金表，采用第一张（{describe(funds)}） / several funds tables, "
                         f"the first is used")
        if funds.rate is None and (rate := detached_rate(stream, funds)) is not None:
            funds.rate = rate
            notes.append(f"执行率 {plain(rate)}% 不在资金表的行内，与 执行数/预算数 相符，采用 / the rate stands apart "
                         f"from its row and agrees with executed/budget")
    table_source = stream_locator.quote(funds.start, 40) if funds else ""
    for kind, field in (("budget", "budget_wan"), ("executed", "executed_wan"), ("rate", "execution_rate_pct")):
        from_table = getattr(funds, kind) if funds else None
        prose = stated[kind]
        if from_table is not None:
            setattr(out, kind, from_table)
            out.sources[field] = f"资金表 {table_source}"
            if prose is not None and prose.value != from_table:
                notes.append(f"正文「{prose.label}」为 {plain(prose.value)}，与资金表 {plain(from_table)} 不同；采用资金表 / "
                             f"the prose differs from the funds table, the table is used")
        elif prose is not None:
            setattr(out, kind, prose.value)
            out.sources[field] = _statement_source(prose, flat, sections, locator)
    if stated["score"] is not None:
        out.score = stated["score"].value
        out.sources["self_score"] = _statement_source(stated["score"], flat, sections, locator)
    totals = total_rows(stream)
    if totals:
        score, grade, position = totals[0]
        if out.score is None:
            out.score = score
            out.sources["self_score"] = f"总分行 {stream_locator.quote(position)}"
        elif out.score != score:
            notes.append(f"总分行为 {plain(score)}，与正文 {plain(out.score)} 不同；采用正文 / the total row differs "
                         f"from the prose")
        if out.score == score and grade:
            out.table_grade = grade
            out.sources["grade"] = f"总分行 {stream_locator.quote(position)}"
    return out

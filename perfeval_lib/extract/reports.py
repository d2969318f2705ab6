"""Headline figures from published 绩效自评报告 (text, PDF or Word): 部门整体 and 项目支出.

A published self-evaluation report states, in prose, the unit, the year, the whole budget
(全年预算数), what was executed (执行数), the execution rate, the self-assessed score and the grade,
followed by 存在的主要问题 and 下一步改进措施. This module reads those back out of the text — as
stated, never computed: a rate the text does not give stays empty even when budget and executed are
both known, and a grade is never derived from the score.

The flow for one report: normalise characters (full-width digits and signs, Kangxi radicals,
odd spaces) → drop page marks (``— 1 —``, ``- 2 -``, ``第 3 页``) → undo letter-spacing and the
spaces PDF text puts between characters → join the broken lines (also inside numbers:
``507.\\n02``) → find the numbered headings (一、… （一）…) and the sections → read each figure from
the first statement after one of its labels, preferring the 收支情况 section (figures) or the
自评结论 section (score, grade) and then the whole text. Everything ambiguous becomes a note.

The steps live in their own modules: :mod:`.documents` (reading files), :mod:`.text` (characters,
page marks, lines), :mod:`.tables` (flattened funds tables and total rows), :mod:`.sections` (headings
and sections), :mod:`.figures` (labels, amounts, rates, scores), :mod:`.names` (unit, year, grade),
:mod:`.headline` (tables and prose together, with sources) and :mod:`.indicators` (the indicator
table); this module puts them together and writes the tables.

Examples
--------
>>> ex = extract_text("2023年度示例区测试局部门整体支出绩效自评报告\\n"
...                   "全年预算数 120.50万元，执行数 118.09万元，执行率为98.0%。\\n"
...                   "自评得分为 92 分，等级为“优”。")
>>> ex.unit, ex.year, ex.budget_wan, ex.executed_wan, ex.execution_rate_pct, ex.self_score, ex.grade
('示例区测试局', 2023, 120.5, 118.09, 98.0, 92.0, '优')
>>> extract_files(["reports/"])                                    # doctest: +SKIP
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..core.errors import PerfevalError
from ..core import csvout
from .documents import SUFFIXES, Document, Grid, read_document
from .indicators import INDICATOR_COLUMNS, indicator_rows
from .figures import declared_unit, plain
from .headline import Locator, headline_figures
from .names import stated_grade, stated_unit_and_year
from .sections import SECTION_KEYS, find_sections
from .tables import FundsReading
from .text import numbered_clean_lines, numbered_page_lines

#: The columns of :meth:`Extracted.row`, :func:`extract_files` and the CSV, in this order.
COLUMNS = ["file", "unit", "year", "budget_wan", "executed_wan", "execution_rate_pct", "self_score", "grade"]
#: Where each field came from: one column per field.
SOURCE_COLUMNS = [f"{column}_from" for column in COLUMNS[1:]]
#: The columns of the table and the CSV: the fields, where each came from, the notes.
TABLE_COLUMNS = COLUMNS + SOURCE_COLUMNS + ["notes"]
_CID = re.compile(r"\(cid:\d+\)")
_CID_LIMIT = 3                     # undecodable glyphs from which the text is not read at all
#: Chinese labels for the printed table.
DISPLAY = {"file": "文件", "unit": "单位", "year": "年度", "budget_wan": "全年预算数(万元)",
           "executed_wan": "执行数(万元)", "execution_rate_pct": "执行率", "self_score": "自评得分",
           "grade": "自评等级"}


@dataclass
class Extracted:
    """What one report states. Figures the text does not state are ``None`` (never guessed).

    Attributes
    ----------
    file : str
        The file as given (``""`` for :func:`extract_text` without a name).
    unit, year : str or None, int or None
        From the title, else the first mention (then a note says so).
    budget_wan, executed_wan : float or None
        In 万元 (amounts written in 元 or 亿元 are converted). ``budget_wan`` is the 全年/调整后
        budget when the text also states a 年初 one.
    execution_rate_pct : float or None
        As stated, in percent (``100.0`` for "100.0%").
    self_score : float or None
        The unit's own total score.
    grade : str or None
        One of 优 / 良 / 中 / 差 (优秀 → 优, 良好 → 良, 中等/合格 → 中, 较差/不合格 → 差, with a note).
    sections : dict of str
        ``finance`` (部门整体收支情况), ``conclusion`` (自评结论), ``problems`` (存在的主要问题),
        ``measures`` (下一步改进措施): the body text with lines re-joined, ``""`` when not found.
    notes : list of str
        What was ambiguous or could not be read.
    error : str or None
        Set when the file could not be read at all (then only ``file`` is filled).

    Examples
    --------
    >>> Extracted(file="a.txt", budget_wan=1.5).row()["budget_wan"]
    1.5
    """

    file: str = ""
    unit: str | None = None
    year: int | None = None
    budget_wan: float | None = None
    executed_wan: float | None = None
    execution_rate_pct: float | None = None
    self_score: float | None = None
    grade: str | None = None
    sections: dict[str, str] = field(default_factory=lambda: dict.fromkeys(SECTION_KEYS, ""))
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    funds: FundsReading | None = None
    document: Document | None = None
    indicators: list[dict] = field(default_factory=list)
    indicator_notes: list[str] = field(default_factory=list)

    def row(self) -> dict:
        """The CSV row: exactly :data:`COLUMNS`.

        Returns
        -------
        dict
            ``{column: value}`` in the order of :data:`COLUMNS`; ``None`` for what was not stated.

        Examples
        --------
        >>> list(Extracted().row()) == COLUMNS
        True
        """
        return {column: getattr(self, column) for column in COLUMNS}


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------------------------------------
# The extraction

def extract_text(text: str, file: str = "", pages: list[str] | None = None,
                 grids: list[Grid] | None = None) -> Extracted:
    """Read the headline figures and the sections out of one report's text.

    Parameters
    ----------
    text : str
        The whole report (lines broken anywhere, page marks, full-width characters all fine).
    file : str, optional
        Kept in :attr:`Extracted.file` and shown in the notes.
    pages : list of str, optional
        The text of each page when known (as from a PDF): bare page numbers at page edges go too.
    grids : list of Grid, optional
        The real tables of a Word file or a PDF, for the indicator table
        (:attr:`Extracted.indicators`).

    Returns
    -------
    Extracted
        ``None`` for every figure the text does not state: amounts in 万元, the rate in percent as
        the report states it, the score in points, the grade one of 优/良/中/差; the four sections
        and every note.

    Examples
    --------
    >>> ex = extract_text("关于示例县测试局2021年度部门整体支出绩效自评的报告\\n"
    ...                   "年初预算数100万元，调整后预算数 1,200,000.00 元，实际支出 118 万元。")
    >>> ex.unit, ex.year, ex.budget_wan, ex.executed_wan, ex.execution_rate_pct
    ('示例县测试局', 2021, 120.0, 118.0, None)
    >>> print(ex.notes[0].split(" / ")[0])
    预算数有多个不同的数：年初预算数 100、调整后预算数 120；采用 120（调整后预算数）
    """
    ex = Extracted(file=file)
    notes = ex.notes
    cid = len(_CID.findall(text))
    if cid >= _CID_LIMIT:
        notes.append(f"文字层含 {cid} 个 (cid:…) 乱码：字体没有 Unicode 映射，需先 OCR；所有字段留空 / the text layer has "
                     f"undecodable (cid:…) glyphs: run OCR first; every field is left empty")
        return ex
    numbered = numbered_clean_lines(text, pages)
    lines = [line for _, line in numbered]
    flat, ex.sections = find_sections(lines, notes)
    locator = Locator(numbered, flat)

    ex.unit, ex.year = stated_unit_and_year(lines, flat, notes)
    if ex.unit:
        ex.sources["unit"] = locator.quote(max(flat.find(ex.unit), 0), len(ex.unit))
    if ex.year:
        ex.sources["year"] = locator.quote(max(flat.find(str(ex.year)), 0), 8)

    raw = numbered_page_lines(text, pages)
    stream = "\n".join(line for _, line in raw)
    figures = headline_figures(flat, ex.sections, locator, stream, Locator(raw, stream), declared_unit(flat), notes)
    budget, executed, rate, score = figures.budget, figures.executed, figures.rate, figures.score
    ex.budget_wan, ex.executed_wan = _as_float(budget), _as_float(executed)
    ex.execution_rate_pct, ex.self_score = _as_float(rate), _as_float(score)
    ex.sources.update(figures.sources)
    ex.funds = figures.funds
    ex.grade = stated_grade([("conclusion", ex.sections["conclusion"]), ("text", flat)], notes)
    if ex.grade is None and figures.table_grade:
        ex.grade = stated_grade([("text", f"等级为“{figures.table_grade}”")], notes)
    elif ex.grade:
        ex.sources.setdefault("grade", locator.quote(max(flat.find(ex.grade), 0), 12))
    if budget and executed is not None and rate is not None:
        computed = executed / budget * 100
        if abs(computed - rate) > Decimal("0.6"):
            notes.append(f"所写执行率 {plain(rate)}% 与 执行数/预算数 = {computed:.2f}% 不符 / stated rate "
                         f"differs from executed/budget")
    ex.notes = list(dict.fromkeys(notes))
    ex.indicators, ex.indicator_notes = indicator_rows(stream, grids or [], ex.unit, ex.year, None, figures.funds,
                                                       ex.self_score, file, raw)
    return ex


def extract_file(path: str | Path) -> Extracted:
    """:func:`extract_text` of one .txt, .pdf or .docx file; an unreadable file gives ``error`` and a note.

    Never raises for a bad file: the :class:`~perfeval_lib.core.errors.InputError` or ``OSError`` of
    :func:`~perfeval_lib.extract.documents.read_document` (missing, unsupported type, undecodable, a PDF
    without text, a broken Word file), and any internal error on an odd report, become ``error`` and the
    only note. The document read is kept in :attr:`Extracted.document` (its real tables are read by
    :func:`perfeval_lib.extract.indicators.indicator_rows`).

    Parameters
    ----------
    path : str or Path
        A ``.txt`` (UTF-8, UTF-8 with BOM, GBK/GB18030) or ``.pdf`` report.

    Returns
    -------
    Extracted
        The figures as in :func:`extract_text` with ``file`` set to ``str(path)``; for a file that
        could not be read only ``file``, ``error`` and ``notes`` are filled.

    Examples
    --------
    >>> extract_file("no/such/report.txt").error
    'no/such/report.txt: 文件不存在 / file not found'
    """

    name = str(path)
    try:
        document = read_document(path)
    except (PerfevalError, OSError) as error:
        message = str(error) if isinstance(error, PerfevalError) else f"{name}: {error}"
        return Extracted(file=name, notes=[message], error=message)
    try:
        result = extract_text(document.text, file=name, pages=document.pages, grids=document.grids)
        result.document = document
        return result
    except Exception as error:  # a bug: one odd report must not stop a batch, but it is reported as one
        message = (f"{name}: 内部错误，请报告 / internal error, please report ({type(error).__name__}: {error})")
        return Extracted(file=name, notes=[message], error=message)


def report_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into their .txt/.pdf/.docx files (sorted); return the files and the problems.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders. A folder gives its .txt, .pdf and .docx files (:data:`SUFFIXES`, any case,
        mixed, not its subfolders; Word's ``~$`` lock files skipped) sorted by name; anything else is kept as given, even when missing (its
        extraction then reports the error).

    Returns
    -------
    files : list of Path
        In the order given.
    problems : list of str
        One message per folder without a report in it.

    Examples
    --------
    >>> report_files(["no/such/report.txt"])
    ([PosixPath('no/such/report.txt')], [])
    """
    files: list[Path] = []
    problems: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                             and not p.name.startswith("~$")), key=lambda p: p.name)
            if not inside:
                problems.append(f"{path}: 文件夹中没有 .txt、.pdf 或 .docx 文件 / no .txt, .pdf or .docx file in "
                                f"this folder")
            files.extend(inside)
        else:
            files.append(path)  # a missing file becomes a row with the error, like any unreadable file
    return files, problems


def extract_all(paths: Iterable[str | Path]) -> tuple[list[Extracted], list[str]]:
    """:func:`extract_file` of every file (folders expanded); the results and every problem.

    A problem is a file that could not be read (its result has ``error`` set) or a folder with no
    report in it. Never raises for a bad file.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders, as for :func:`report_files`.

    Returns
    -------
    results : list of Extracted
        One per file, in order.
    problems : list of str
        The folders without a report, then the ``error`` of each file that could not be read.

    Examples
    --------
    >>> results, problems = extract_all(["no/such/report.txt"])
    >>> results[0].row()["unit"] is None, len(problems)
    (True, 1)
    """
    files, problems = report_files(paths)
    results = [extract_file(path) for path in files]
    problems.extend(r.error for r in results if r.error)
    return results, problems


def to_frame(results: Iterable[Extracted], sources: bool = False) -> pd.DataFrame:
    """One row per result with :data:`COLUMNS` (year ``Int64``, figures ``float64``), and where each came from.

    Parameters
    ----------
    results : iterable of Extracted
    sources : bool, default False
        Also the columns :data:`SOURCE_COLUMNS` (``budget_wan_from`` …: the line or the table cell
        each field was read from, ``""`` when not stated) and ``notes`` (every note, ``；``-separated).

    Returns
    -------
    pandas.DataFrame
        One row per result, in order, with the columns

        ========================  ========  ==========================================================
        ``file``                  str       the file as given
        ``unit``                  str       the unit's name (missing: NaN)
        ``year``                  Int64     the budget year (missing: ``<NA>``)
        ``budget_wan``            float64   the whole-year budget, 万元 (missing: NaN)
        ``executed_wan``          float64   the amount executed, 万元
        ``execution_rate_pct``    float64   the execution rate in percent, as the report states it
        ``self_score``            float64   the self-assessed total score, points (0–100)
        ``grade``                 str       优 / 良 / 中 / 差
        ========================  ========  ==========================================================

    Examples
    --------
    >>> frame = to_frame([Extracted(file="a.txt", year=2022, budget_wan=507.02, execution_rate_pct=100.0)])
    >>> row = frame.loc[0]
    >>> print(row["year"], row["budget_wan"], row["execution_rate_pct"], frame["unit"].isna().all())
    2022 507.02 100.0 True
    """
    results = list(results)
    frame = pd.DataFrame([r.row() for r in results], columns=COLUMNS)
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    if sources:
        for column in SOURCE_COLUMNS:
            frame[column] = [r.sources.get(column[:-len("_from")], "") for r in results]
        frame["notes"] = ["；".join(r.notes) for r in results]
    for column in ("budget_wan", "executed_wan", "execution_rate_pct", "self_score"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("file", "unit", "grade"):
        frame[column] = frame[column].astype("str")
    return frame


def extract_files(paths: Iterable[str | Path]) -> pd.DataFrame:
    """One row per report file (folders give every .txt/.pdf/.docx inside, sorted), :data:`COLUMNS` only.

    Never raises for a bad file: its row has only ``file``.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders, as for :func:`report_files`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`to_frame` (``file``, ``unit``, ``year``, ``budget_wan`` and
        ``executed_wan`` in 万元, ``execution_rate_pct`` in percent as stated, ``self_score``,
        ``grade``). ``frame.attrs["problems"]`` lists what could not be read (as
        :func:`extract_all`) and ``frame.attrs["notes"]`` maps each file to its notes.

    Examples
    --------
    >>> frame = extract_files(["no/such/report.txt"])
    >>> list(frame.columns) == COLUMNS, frame.attrs["problems"]
    (True, ['no/such/report.txt: 文件不存在 / file not found'])
    """
    results, problems = extract_all(paths)
    frame = to_frame(results)
    frame.attrs["problems"] = problems
    frame.attrs["notes"] = {r.file: list(r.notes) for r in results if r.notes}
    return frame


def indicators_frame(results: Iterable[Extracted]) -> tuple[pd.DataFrame, list[str]]:
    """The indicator tables of the reports, in the columns of the canonical indicators table.

    ``perfeval score`` (:func:`perfeval_lib.ingest.tables.read_table`) loads the CSV of this table as
    it is and recomputes each report; the audit's findings apply to it.

    Parameters
    ----------
    results : iterable of Extracted

    Returns
    -------
    frame : pandas.DataFrame
        One row per indicator read whole (:data:`perfeval_lib.extract.indicators.INDICATOR_COLUMNS`:
        ``unit_code``, ``year``, ``level1``–``level3``, ``kind``, ``weight`` and ``claimed_score`` in
        points, ``target`` and ``actual`` as written, ``measure``, ``note``, then ``unit_name``, ``file``
        and ``source``, where the row came from); a report's total score is a 总分 row.
    notes : list of str
        ``file: note`` for every row left out and every assumption.

    Examples
    --------
    >>> frame, notes = indicators_frame([Extracted(file="a.txt")])
    >>> len(frame), list(frame.columns[:3])
    (0, ['unit_code', 'year', 'level1'])
    """
    results = list(results)
    frame = pd.DataFrame([row for r in results for row in r.indicators], columns=INDICATOR_COLUMNS)
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    notes = [f"{r.file}: {note}" for r in results if not r.error for note in r.indicator_notes]
    return frame, notes


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the table as UTF-8 with BOM (Excel opens it correctly), atomically, no text cell a formula.

    A crash or an error leaves any previous file at ``path`` untouched; missing folders are made.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (:func:`to_frame` or :func:`extract_files`); written without its index.
    path : str or Path
        Where to write the CSV.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        When the folder cannot be made or the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     frame = to_frame([Extracted(file="a.txt", unit="示例局")])
    ...     written = write_csv(frame, Path(folder) / "out" / "x.csv")
    ...     written.read_bytes().decode("utf-8").splitlines()
    ['\ufefffile,unit,year,budget_wan,executed_wan,execution_rate_pct,self_score,grade', 'a.txt,示例局,,,,,,']
    """
    return csvout.write_csv(frame, path)  # the one CSV writer: no cell is a live formula

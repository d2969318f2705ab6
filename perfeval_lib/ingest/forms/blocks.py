"""Where a form's blocks sit on a sheet, and which layout it is.

A form is recognised by its indicator table's header (三级指标, 分值 and two more columns, on one row
or on two rows under merged cells) without 单位编码/年度 columns (a plain table has them), under a
title, a unit-information block or a 预算执行情况 block. The budget block is a header with two money
columns above the indicator table, then its rows down to the first row that is neither a known
label nor figures. :func:`detect_layout` does this on the first rows of each sheet, read fast with
calamine, to tell a form from a plain table before anything is parsed.

Examples
--------
>>> from perfeval_lib.ingest.forms.grid import Grid
>>> grid = Grid.from_rows([["2022年度部门整体支出绩效自评表", "", "", "", ""],
...                        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
...                        ["产出指标", "数量指标", "培训人次", 20, 20]])
>>> blocks = locate_form(grid)
>>> blocks.layout, blocks.header.row, sorted(blocks.header.columns), blocks.budget is None
('guangzhou', 1, ['claimed_score', 'level1', 'level2', 'level3', 'weight'], True)
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ...core.issues import Issue
from ...core.names import to_simplified
from ...core.schema import TABLES
from ..readers import RawSheet
from .grid import Grid
from .words import (INFO_WORDS, MONEY, NUMERIC_TEXT, WEAK_HEADERS, budget_key, budget_row_kind, indicator_key,
                    normalise_label, valueish)

#: File types that may hold an official form.
FORM_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
#: Rows of each sheet :func:`detect_layout` looks at.
SCAN_ROWS = 80
#: A workbook whose every sheet is longer than this is a plain table, not a form (checked from the
#: sheets' ``<dimension>`` before any sheet is parsed, so a 20,000-row table costs no detection time).
MAX_FORM_ROWS = 3000


@dataclass
class IndicatorHeader:
    """The indicator table's header: its rows and which column holds what.

    Parameters
    ----------
    row : int
        The header's (first) row, 0-based.
    two_row : bool
        True when the row below is a second header row (merged 一级/二级 over 名称/分值 …).
    columns : dict
        Key (:func:`~perfeval_lib.ingest.forms.words.indicator_key`) → (column, the header as typed).
    issues : list of perfeval_lib.core.issues.Issue
        Two columns meaning the same field (``duplicate_column``).

    Examples
    --------
    >>> header = IndicatorHeader(4, True, {"level1": (0, "一级指标"), "level3": (2, "三级指标"), "weight": (3, "分值")})
    >>> header.body_start, header.tidy
    (6, False)
    """

    row: int
    two_row: bool
    columns: dict[str, tuple[int, str]]
    issues: list[Issue] = field(default_factory=list)

    @property
    def body_start(self) -> int:
        """The first row under the header."""
        return self.row + (2 if self.two_row else 1)

    @property
    def tidy(self) -> bool:
        """True when the header has 单位编码 or 年度 columns: a plain table, not a form."""
        return "unit_code" in self.columns or "year" in self.columns


@dataclass
class BudgetBlock:
    """The 预算执行情况 block: its header row, columns, label columns and rows.

    Parameters
    ----------
    row : int
        The header row, 0-based.
    columns : dict
        Key (:func:`~perfeval_lib.ingest.forms.words.budget_key`) → (column, the header as typed).
    label_cols : list of int
        The columns left of the first money column, holding the row labels.
    rows : list of int
        The block's non-blank rows under the header.
    end : int
        The row after the block's last row.
    points : float or None
        The block's weight when its label states it (``预算执行情况（万元）（20分）``) and it has no 分值
        column.

    Examples
    --------
    >>> block = BudgetBlock(2, {"budget_final": (1, "全年预算数"), "executed": (2, "全年执行数")}, [0], [3, 4], 5)
    >>> budget_label(Grid.from_rows([[], [], [], ["年度资金总额", 519.8, 512.22]]), block.rows[0], block.label_cols)
    '年度资金总额'
    """

    row: int
    columns: dict[str, tuple[int, str]]
    label_cols: list[int]
    rows: list[int]
    end: int
    points: float | None = None


@dataclass
class FormBlocks:
    """A form found on a sheet (:func:`locate_form`).

    Parameters
    ----------
    layout : str
        A key of :data:`~perfeval_lib.ingest.forms.words.LAYOUTS`.
    header : IndicatorHeader or None
        The indicator table's header; None for a form that has a budget block but no indicator table
        (a form published without it).
    budget : BudgetBlock or None
        The 预算执行情况 block, None when the form has none above the indicator table.

    Examples
    --------
    >>> blocks = FormBlocks("guangzhou", IndicatorHeader(3, False, {}), None)
    >>> blocks.header.body_start
    4
    """

    layout: str
    header: IndicatorHeader | None
    budget: BudgetBlock | None


def _second_header_row(grid: Grid, r: int) -> bool:
    texts = grid.row_texts(r)
    if not texts or any(NUMERIC_TEXT.match(t.replace(" ", "")) for _, t in texts):
        return False
    return any(indicator_key(t) for _, t in texts)


def find_indicator_header(grid: Grid, limit: int | None = None) -> IndicatorHeader | None:
    """The indicator table's header: the row (with the row below when that is a second header row)
    mapping the most indicator columns, at least 三级指标, 分值 or 得分, and two more.

    Parameters
    ----------
    grid : Grid
        The sheet.
    limit : int, optional
        Look only at rows above this one (default: every row).

    Returns
    -------
    IndicatorHeader or None

    Examples
    --------
    >>> grid = Grid.from_rows([["绩效指标", "", "", ""], ["一级指标", "三级指标", "指标分值", "实际完成值"]])
    >>> header = find_indicator_header(grid)
    >>> header.row, header.two_row, header.columns["weight"]
    (1, False, (2, '指标分值'))
    """
    best = None
    for r in range(min(limit or grid.nrows, grid.nrows)):
        own = {indicator_key(t) for _, t in grid.row_texts(r)} - {None}
        if len(own - {"unit_code", "year"}) < 2:
            continue
        two_row = _second_header_row(grid, r + 1)
        found: dict[str, list[tuple[int, str]]] = {}
        for c in range(grid.ncols):
            top, bottom = grid.prose(r, c), grid.prose(r + 1, c) if two_row else ""
            for text in (bottom, top, top + bottom if top and bottom else ""):
                key = indicator_key(text) if text else None
                if key:
                    found.setdefault(key, []).append((c, text))  # the header as typed, for messages
                    break
        enough = "level3" in found and {"weight", "claimed_score"} & set(found) and len(found) >= 4
        if enough and (best is None or len(found) > len(best[1])):
            best = (r, found, two_row)
    if best is None:
        return None
    r, found, two_row = best
    columns, issues = {}, []
    for key, candidates in found.items():
        strong = [x for x in candidates if normalise_label(x[1]) not in WEAK_HEADERS] or candidates
        columns[key] = strong[0]
        for c, text in strong[1:]:
            issues.append(Issue("error", "duplicate_column",
                                f"列重复：「{strong[0][1]}」与「{text}」都表示 {key} / two columns mean {key}",
                                None, grid.name, r + 1, text, expected="每个字段只出现一列 / each field in one column only"))
    return IndicatorHeader(r, two_row, columns, issues)


def budget_label(grid: Grid, r: int, label_cols: list[int]) -> str:
    """A budget row's label: its label cells as clean text (NFKC), joined, without line breaks.

    >>> budget_label(Grid.from_rows([["其中：", "财政拨款", 480]]), 0, [0, 1])
    '其中:财政拨款'
    """
    return "".join(grid.text(r, c) for c in label_cols).replace("\n", "")


def find_budget_block(grid: Grid, limit: int) -> BudgetBlock | None:
    """The 预算执行情况 block above the indicator table: a header with two money columns, then its rows.

    Parameters
    ----------
    grid : Grid
        The sheet.
    limit : int
        The indicator header's row: the block ends above it.

    Returns
    -------
    BudgetBlock or None
        None when no row above ``limit`` has two money headers, one of them 全年预算数 or 全年执行数.

    Examples
    --------
    >>> grid = Grid.from_rows([["", "全年预算数", "全年执行数", "分值"], ["年度资金总额", 519.8, 512.22, 10],
    ...                        ["其中：财政拨款", 495.3, 490.12, ""], ["年度总体目标", "……", "", ""]])
    >>> block = find_budget_block(grid, 4)
    >>> block.row, block.label_cols, block.rows, sorted(block.columns)
    (0, [0], [1, 2], ['budget_final', 'executed', 'weight'])
    """
    for r in range(min(limit, grid.nrows)):
        columns: dict[str, tuple[int, str]] = {}
        for c, text in grid.row_texts(r):
            key = budget_key(text)
            if key and key not in columns:
                columns[key] = (c, grid.prose(r, c))
        money = [k for k in MONEY if k in columns]
        if len(money) < 2 or not {"budget_final", "executed"} & set(money):
            continue
        if any(TABLES["budget"].column_for_header(t) in ("unit_code", "year") for _, t in grid.row_texts(r)):
            return None  # a plain budget table (单位编码, 年度 columns), not a form's block
        first = min(columns[k][0] for k in money)
        label_cols = list(range(first))
        value_cols = [c for k, (c, _) in columns.items() if k in (*MONEY, "rate", "weight", "score")]
        rows, end, row = [], r + 1, r + 1
        while row < limit:
            if grid.blank(row):
                row += 1
                continue
            label = budget_label(grid, row, label_cols)
            has_values = any(valueish(grid.text(row, c)) for c in value_cols)
            kind = budget_row_kind(label) if label else None
            if (label and kind is None and not has_values) or (not label and not has_values):
                break
            rows.append(row)
            row += 1
            end = row
        labels = " ".join(grid.text(r, c) for c in label_cols)
        points = re.search(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]", labels)
        return BudgetBlock(r, columns, label_cols, rows, end, float(points.group(1)) if points else None)
    return None


def locate_form(grid: Grid, limit: int | None = None) -> FormBlocks | None:
    """Where the blocks of a form sit on a sheet, and its layout; None when the sheet is no form.

    The layout is ``chongqing`` when the indicator table has 得分系数 / 是否核心指标 / 年初指标值,
    ``mof10`` (财预〔2020〕10号) when the budget block has a 分值 column (预算执行率 10 分), else
    ``guangzhou``.

    Parameters
    ----------
    grid : Grid
        The sheet.
    limit : int, optional
        Look for the indicator header only above this row.

    Returns
    -------
    FormBlocks or None

    Examples
    --------
    >>> grid = Grid.from_rows([["部门整体绩效自评表", "", "", "", ""],
    ...                        ["一级指标", "三级指标", "分值", "得分系数", "得分"]])
    >>> locate_form(grid).layout
    'chongqing'
    >>> locate_form(Grid.from_rows([["单位编码", "年度", "一级指标", "三级指标", "分值"]])) is None
    True
    """
    header = find_indicator_header(grid, limit)
    if header is not None and header.tidy:
        return None
    top = header.row if header is not None else min(grid.nrows, limit or grid.nrows)
    budget = find_budget_block(grid, top)
    above = [to_simplified(t) for r in range(top) for _, t in grid.row_texts(r)]
    titled = any("自评" in t or "绩效" in t for t in above)
    labelled = any(normalise_label(t) in INFO_WORDS for t in above)
    if header is None:  # a form whose indicator table is missing: its budget block under a title
        if budget is None or not (titled and labelled):
            return None
    elif not (titled or labelled or budget):
        return None
    columns = set(header.columns) if header is not None else set()
    if {"coefficient", "core"} & columns or ("target_initial" in columns and "target" in columns):
        layout = "chongqing"
    elif budget is not None and ("weight" in budget.columns or budget.points is not None):
        layout = "mof10"
    else:
        layout = "guangzhou"
    return FormBlocks(layout, header, budget)


def only_long_sheets(path: Path) -> bool:
    """True when every worksheet says it has more than :data:`MAX_FORM_ROWS` rows.

    Reads only the first 4 KB of each sheet's XML, for its ``<dimension ref="A1:L20001"/>``: a long
    plain table is told apart from a form without parsing it.

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx or .xlsm file.

    Returns
    -------
    bool
        False as soon as one sheet is short or does not state its dimension; False for a workbook
        without sheets.

    Raises
    ------
    zipfile.BadZipFile
        The file is not a zip archive (:func:`detect_layout` treats that as no form).

    Examples
    --------
    >>> from perfeval_lib.core import config
    >>> only_long_sheets(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx")
    False
    """
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in sheets:
            with archive.open(name) as handle:
                head = handle.read(4096).decode("utf-8", "ignore")
            match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
            if match is None or int(match.group(1)) <= MAX_FORM_ROWS:
                return False
    return bool(sheets)


def layout_of_sheets(sheets: list[RawSheet]) -> str | None:
    """The layout of an official form among a workbook's sheets already read, or None: what
    :func:`detect_layout` tells, without opening the workbook again.

    Looks at the first :data:`SCAN_ROWS` rows of every sheet, as the spreadsheet shows them
    (:func:`perfeval_lib.ingest.readers.read_file`: formats applied, hidden rows empty, merges known)
    — as :func:`perfeval_lib.ingest.forms.read_form` will read them — for a form (:func:`locate_form`).
    Sheets all longer than :data:`MAX_FORM_ROWS` rows are a plain table, without a look.

    Parameters
    ----------
    sheets : list of perfeval_lib.ingest.readers.RawSheet
        The visible sheets of a workbook.

    Returns
    -------
    str or None
        A key of :data:`~perfeval_lib.ingest.forms.words.LAYOUTS`, or None.

    Examples
    --------
    >>> import pandas as pd
    >>> form = pd.DataFrame([["2022年度部门整体支出绩效自评表", None, None, None, None],
    ...                      ["一级指标", "二级指标", "三级指标", "分值", "得分"], ["产出指标", "数量指标", "培训人次", 20, 20]])
    >>> layout_of_sheets([RawSheet("f.xlsx", "自评表", form, merges_known=True)])
    'guangzhou'
    >>> layout_of_sheets([RawSheet("b.xlsx", "预算", pd.DataFrame([["单位编码", "年度", "全年预算数"]]))]) is None
    True
    """
    if not sheets or all(len(raw.cells) > MAX_FORM_ROWS for raw in sheets):
        return None
    for raw in sheets:
        blocks = locate_form(Grid.from_raw(replace(raw, cells=raw.cells.iloc[:SCAN_ROWS])))
        if blocks is not None:
            return blocks.layout
    return None


def detect_layout(path: str | Path) -> str | None:
    """The layout of an official 自评表 workbook, or None for anything else (a plain table, a CSV).

    Looks at the first :data:`SCAN_ROWS` rows of every sheet (read with calamine, fast) for a form
    (:func:`locate_form`). Workbooks whose every sheet is longer than :data:`MAX_FORM_ROWS` rows are
    plain tables without a look.

    Parameters
    ----------
    path : str or pathlib.Path
        An .xlsx or .xlsm file; any other suffix, or a missing file, gives None.

    Returns
    -------
    str or None
        A key of :data:`~perfeval_lib.ingest.forms.words.LAYOUTS` (``guangzhou``, ``chongqing``,
        ``mof10``), or None — also for an unreadable file: the table reader reports those.

    Examples
    --------
    >>> from perfeval_lib.core import config
    >>> detect_layout(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx") is None
    True
    >>> detect_layout("自评表.xlsx")                                    # doctest: +SKIP
    'mof10'
    """
    path = Path(path)
    if path.suffix.lower() not in FORM_SUFFIXES or not path.is_file():
        return None
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"} and only_long_sheets(path):
            return None
        book = CalamineWorkbook.from_path(str(path))
        try:
            for info in book.sheets_metadata:
                if info.visible != SheetVisibleEnum.Visible:
                    continue
                name = info.name
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=SCAN_ROWS)
                blocks = locate_form(Grid.from_rows(rows, name))
                if blocks is not None:
                    return blocks.layout
        finally:
            book.close()
    except Exception:  # a corrupt workbook is not a form; tables.read_table reports it as unreadable
        return None
    return None

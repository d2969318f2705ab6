"""A raw sheet → canonical columns: find the header row, map its headers, parse every cell.

The header may sit below a title (within the first :data:`HEADER_SEARCH_ROWS` rows) and use any of the
aliases of :mod:`perfeval_lib.core.schema`; columns are parsed by kind (money into 万元 after the
header's own unit, percents into fractions 0–1, targets kept as text for the indicator normaliser).
A cell that cannot be used is reported with its file, sheet, row and column and its row marked bad;
the other rows still load.

Examples
--------
>>> from perfeval_lib.core.schema import INPUT_TABLES
>>> from perfeval_lib.ingest.readers import RawSheet, csv_cells
>>> cells = csv_cells("2022年预算执行表\\n单位编码,年度,全年预算数（元）,执行数（元）\\nD001,2022,\\"1,000,000\\",950000\\n",
...                   None, "budget.csv")
>>> find_header_row(cells, INPUT_TABLES["budget"])
1
>>> frame, issues = sheet_to_frame(RawSheet("budget.csv", None, cells), INPUT_TABLES["budget"])
>>> frame[["unit_code", "year", "budget_final", "executed", "_row"]].values.tolist()
[['D001', 2022, 100.0, 95.0, 3]]
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.issues import Issue
from ..core.parse import INVISIBLE, clean_column, header_unit, parse_column
from ..core.codes import SAFE_CODE_RULE
from ..core.safetext import has_controls, printable
from ..core.schema import INPUT_TABLES, Table, normalise_header
from .filecheck import max_cell_chars
from .readers import RawSheet

#: How many leading rows may hold a title before the header row.
HEADER_SEARCH_ROWS = 15


# ---------------------------------------------------------------------------------------------
# The header row, and which table a file holds
# ---------------------------------------------------------------------------------------------

def _header_matches(cells: pd.DataFrame, table: Table) -> list[tuple[int, int]]:
    """(row index, number of canonical headers) for the first rows of a sheet."""
    scores = []
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        mapped = {table.column_for_header(v) for v in cells.iloc[i].tolist()} - {None}
        scores.append((i, len(mapped)))
    return scores


def find_header_row(cells: pd.DataFrame, table: Table) -> int | None:
    """The row holding the header: the first row with the most canonical headers (at least 2).

    Parameters
    ----------
    cells : pandas.DataFrame
        A sheet's cells (:attr:`RawSheet.cells`).
    table : perfeval_lib.core.schema.Table
        The canonical table whose header aliases count.

    Returns
    -------
    int or None
        The 0-based row within the first :data:`HEADER_SEARCH_ROWS` rows, or None when no row holds
        two of the table's headers.

    Examples
    --------
    >>> from perfeval_lib.core.schema import INPUT_TABLES
    >>> cells = pd.DataFrame([["单位名册", None], ["单位编码", "单位名称"], ["D001", "示例区教育局"]])
    >>> find_header_row(cells, INPUT_TABLES["units"])
    1
    >>> find_header_row(cells, INPUT_TABLES["spending"]) is None
    True
    """
    best_row, best_count = None, 1
    for row, count in _header_matches(cells, table):
        if count > best_count:
            best_row, best_count = row, count
    return best_row


def detect_table(path: str | Path, sheet: RawSheet | None = None) -> str | None:
    """Which canonical table a file holds: by its name first, then by its headers.

    The file name decides when its stem starts with one of the table's words (``budget``/``预算``,
    ``indicators``/``指标``/``自评表`` …, :attr:`perfeval_lib.core.schema.Table.file_words`); otherwise
    the table with the most headers (at least 3) and all its required columns in ``sheet``.

    Parameters
    ----------
    path : str or pathlib.Path
        The file (only its name is used).
    sheet : RawSheet, optional
        Its first sheet, to look at the headers when the name says nothing.

    Returns
    -------
    str or None
        ``'units'``, ``'budget'``, ``'spending'``, ``'indicators'``, ``'claims'``, or None.

    Examples
    --------
    >>> detect_table("data/raw/x/budget_2021.csv")
    'budget'
    >>> cells = pd.DataFrame([["单位编码", "年度", "月份", "累计支出"], ["D001", "2022", "1", "10"]])
    >>> detect_table("2022年1-12月.csv", RawSheet("2022年1-12月.csv", None, cells))
    'spending'
    """
    stem = normalise_header(Path(path).stem)
    for table in INPUT_TABLES.values():
        if any(stem.startswith(word.lower()) for word in table.file_words):
            return table.name
    if sheet is None:
        return None
    best, best_count = None, 2
    for table in INPUT_TABLES.values():
        count = max((c for _, c in _header_matches(sheet.cells, table)), default=0)
        if count > best_count and all(
                c in _mapped_columns(sheet.cells, table) for c in table.required):
            best, best_count = table.name, count
    return best


def _mapped_columns(cells: pd.DataFrame, table: Table) -> set[str]:
    row = find_header_row(cells, table)
    if row is None:
        return set()
    return {table.column_for_header(v) for v in cells.iloc[row].tolist()} - {None}


def _column_map(header: list, table: Table, sheet: RawSheet, header_row: int, issues: list[Issue]) -> dict:
    """Canonical column → (position, raw header). Duplicated canonical columns are an error."""
    mapping: dict[str, tuple[int, str]] = {}
    for position, raw in enumerate(header):
        name = table.column_for_header(raw)
        if name is None:
            continue
        if name in mapping:
            issues.append(Issue("error", "duplicate_column",
                                f"列重复：「{mapping[name][1]}」与「{raw}」都表示 {name} / two columns mean {name}",
                                sheet.file, sheet.sheet, header_row + 1, str(raw),
                                expected="每个字段只出现一列 / each field in one column only"))
            continue
        mapping[name] = (position, str(raw))
    return mapping


def _no_header(sheet: RawSheet, table: Table) -> InputError:
    """The error for a sheet without a recognisable header: say why if we can tell (mis-decoded text)."""
    required = "、".join(c.label for c in table.columns if c.required)
    repaired = _repair_mojibake(sheet.cells.head(HEADER_SEARCH_ROWS))
    if repaired is not None and find_header_row(repaired, table) is not None:
        return InputError(sheet.file, sheet.sheet, row=1,
                          message="表头是乱码：UTF-8 文字曾被当作 GBK 打开后再保存 / the header is mojibake: UTF-8 text "
                                  "was opened as GBK and saved again",
                          expected="用原始文件，或在 Excel/WPS 中以 UTF-8 编码重新导入后另存 / use the original file, or "
                                   "re-import it as UTF-8 and save again")
    return InputError(sheet.file, sheet.sheet, row=1,
                      message=f"找不到{table.label}表的表头 / no header row of the {table.name} table found",
                      expected=f"前{HEADER_SEARCH_ROWS}行中有一行表头，如：{required} / a header row within the first "
                               f"{HEADER_SEARCH_ROWS} rows")


def _repair(value):
    """UTF-8 text that was decoded as GBK and saved again, decoded back (other values as they are)."""
    if not isinstance(value, str):
        return value
    try:
        return value.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _repair_mojibake(cells: pd.DataFrame) -> pd.DataFrame | None:
    repaired = cells.map(_repair)
    return None if repaired.equals(cells) else repaired


# ---------------------------------------------------------------------------------------------
# The cells under the header
# ---------------------------------------------------------------------------------------------

def _text_column(values: pd.Series) -> pd.Series:
    cleaned = clean_column(values)
    return cleaned.where(cleaned != "", None)


def _cell_checks(sheet: RawSheet, body: pd.DataFrame, rows: np.ndarray, position: int, raw_header: str,
                 issues: list[Issue]) -> np.ndarray:
    """Cells of one column that cannot be used: formulas with no stored result, Excel errors, overlong text.

    Returns the rows (positions in ``body``) to reject.
    """
    rejected = np.zeros(len(body), dtype=bool)
    if sheet.bad_cells:
        where = {int(original): index for index, original in enumerate(body.index)}
        for (row, column), (kind, text) in sorted(sheet.bad_cells.items()):
            if column != position or row not in where:
                continue
            index = where[row]
            message, expected = (
                ("公式没有计算结果（perfeval 不计算公式）/ a formula with no stored result (formulas are never evaluated)",
                 "在 Excel/WPS 中打开并保存（保存计算结果），或粘贴为数值 / open and save it in Excel/WPS, or paste values")
                if kind == "formula" else
                ("单元格是 Excel 错误值 / the cell is an Excel error", "修正公式或填入数值 / fix the formula or type the value"))
            issues.append(Issue("error", "formula_without_value" if kind == "formula" else "excel_error", message,
                                sheet.file, sheet.sheet, int(rows[index]), raw_header, text, expected))
            rejected[index] = True
    limit = max_cell_chars()
    codes, uniques = pd.factorize(body.iloc[:, position])
    long_values = [i for i, v in enumerate(uniques) if isinstance(v, str) and len(v) > limit]
    for index in np.flatnonzero(np.isin(codes, long_values)):
        value = body.iat[index, position]
        issues.append(Issue("error", "cell_too_long",
                            f"单元格内容过长（{len(value)} 个字符，上限 {limit}）/ the cell holds {len(value)} characters",
                            sheet.file, sheet.sheet, int(rows[index]), raw_header, value[:40] + "…",
                            "精简内容，或设置 PERFEVAL_MAX_CELL_CHARS 提高上限 / shorten it, or raise PERFEVAL_MAX_CELL_CHARS"))
        rejected[index] = True
    return rejected


def _invisible_characters(sheet: RawSheet, values: pd.Series, rows: np.ndarray, raw_header: str,
                          issues: list[Issue]) -> None:
    """Zero-width and direction-changing characters are removed from text; say where, once per column."""
    codes, uniques = pd.factorize(values)
    marked = [i for i, v in enumerate(uniques) if isinstance(v, str) and not INVISIBLE.isdisjoint(map(ord, v))]
    hidden = np.isin(codes, marked)
    if hidden.any():
        first = int(np.flatnonzero(hidden)[0])
        issues.append(Issue("warning", "invisible_characters",
                            f"含有不可见字符（零宽或改变文字方向的字符），已删除；共 {int(hidden.sum())} 处 / invisible "
                            "(zero-width or bidirectional) characters were removed",
                            sheet.file, sheet.sheet, int(rows[first]), raw_header, repr(values.iloc[first])[:60]))



def _control_characters(sheet: RawSheet, values: pd.Series, rows: np.ndarray, raw_header: str, issues: list[Issue],
                        code: bool = False) -> np.ndarray:
    """ESC, BEL and other control characters are removed from every cell (core.parse); say where, once per
    column. In a code column (单位编码) they are an error instead: a key is never silently changed.

    Returns the rows (positions) to reject.
    """
    codes, uniques = pd.factorize(values)
    controlled = np.isin(codes, [i for i, v in enumerate(uniques) if has_controls(v)])
    if controlled.any() and code:
        for index in np.flatnonzero(controlled):
            issues.append(Issue("error", "unsafe_code", "单位编码含有不允许的字符（控制字符）/ the code holds control "
                                                        "characters", sheet.file, sheet.sheet, int(rows[index]),
                                raw_header, printable(values.iloc[index])[:60], SAFE_CODE_RULE))
        return controlled
    if controlled.any():
        first = int(np.flatnonzero(controlled)[0])
        issues.append(Issue("warning", "control_characters",
                            f"含有控制字符（如 ESC、BEL），已删除；共 {int(controlled.sum())} 处 / control characters (ESC, "
                            "BEL …) were removed", sheet.file, sheet.sheet, int(rows[first]), raw_header,
                            printable(values.iloc[first])[:60]))
    return np.zeros(len(values), dtype=bool)


def sheet_to_frame(sheet: RawSheet, table: Table) -> tuple[pd.DataFrame, list[Issue]]:
    """Turn one raw sheet into canonical columns plus ``_file``, ``_sheet``, ``_row`` and ``_bad``.

    Blank rows are dropped; every cell is parsed by its column's kind: ``money`` into 万元 (a header
    such as ``全年预算数（元）`` gives the cells' unit, else 万元 unless the cell says 元/亿元),
    ``percent`` into a fraction (95% → 0.95), ``int`` into whole numbers, ``text``/``code`` cleaned
    (NFKC, no invisible characters). ``target`` columns (年度指标值, 实际完成值) are kept as text in
    ``target_raw``/``actual_raw`` for :func:`perfeval_lib.ingest.normalise.normalise_table`.

    Parameters
    ----------
    sheet : RawSheet
        The sheet as read.
    table : perfeval_lib.core.schema.Table
        The canonical table it holds.

    Returns
    -------
    frame : pandas.DataFrame
        In: the cells under the header. Out: one row per non-blank row, a column per mapped canonical
        column (money in 万元, rates as fractions 0–1), ``_file``, ``_sheet``, ``_row`` (1-based, as
        the spreadsheet numbers it), ``_bad`` (True where a cell could not be used) and ``_bad_<column>``
        for each column with such a cell. Unusable cells are left empty.
    issues : list of perfeval_lib.core.issues.Issue
        Every cell that could not be used (``bad_value``, ``formula_without_value``, ``excel_error``,
        ``cell_too_long``), duplicate columns, invisible characters removed, a sheet with no rows.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        No header row is found (the message says when the header is mojibake), or a required column
        is missing.

    Examples
    --------
    >>> from perfeval_lib.core.schema import INPUT_TABLES
    >>> cells = pd.DataFrame([["单位编码", "年度", "月份", "累计支出（元）"], ["D001", "2022", "1", "12,000"],
    ...                       ["D001", "2022", "2", "很多"]])
    >>> frame, issues = sheet_to_frame(RawSheet("spending.csv", None, cells), INPUT_TABLES["spending"])
    >>> frame[["month", "executed_cum", "_row", "_bad"]].values.tolist()
    [[1, 1.2, 2, False], [2, nan, 3, True]]
    >>> [(i.code, i.row, i.column) for i in issues]
    [('bad_value', 3, '累计支出（元）')]
    """
    issues: list[Issue] = []
    cells = sheet.cells
    header_row = find_header_row(cells, table)
    if header_row is None:
        raise _no_header(sheet, table)
    if sheet.merges_known and sheet.merged:
        cells = fill_merged_down(cells, sheet.merged, header_row + 1)
    header = cells.iloc[header_row].tolist()
    mapping = _column_map(header, table, sheet, header_row, issues)
    issues.extend(ignored_columns(header, mapping, sheet, header_row))
    missing = [c for c in table.required if c not in mapping]
    if missing:
        labels = "、".join(table.column(c).label for c in missing)
        raise InputError(sheet.file, sheet.sheet, row=header_row + 1,
                         message=f"缺少必需的列：{labels} / missing required column(s): {', '.join(missing)}",
                         expected="表头包含 / a header with: " + "、".join(table.column(c).label for c in table.required))
    body = cells.iloc[header_row + 1:]
    rows = np.arange(header_row + 2, header_row + 2 + len(body))
    blank = np.logical_and.reduce([clean_column(body.iloc[:, i]).eq("").to_numpy() for i in range(body.shape[1])]) \
        if body.shape[1] else np.zeros(len(body), dtype=bool)
    body, rows = body.iloc[~blank], rows[~blank]
    if body.empty:
        issues.append(Issue("warning", "no_rows", "只有表头，没有数据行 / a header but no rows", sheet.file, sheet.sheet,
                            header_row + 1))

    frame = pd.DataFrame(index=range(len(body)))
    bad = np.zeros(len(body), dtype=bool)
    for name, (position, raw_header) in mapping.items():
        column = table.column(name)
        bad |= _cell_checks(sheet, body, rows, position, raw_header, issues)
        values = body.iloc[:, position].reset_index(drop=True)
        bad |= _control_characters(sheet, values, rows, raw_header, issues, column.kind == "code")
        if column.kind in {"text", "code", "target"}:
            _invisible_characters(sheet, values, rows, raw_header, issues)
            frame[name if column.kind != "target" else name + "_raw"] = _text_column(values)
            continue
        if name == "month":
            values = _months_from_dates(values, body, mapping, sheet, rows, raw_header, issues)
        parsed = parse_column(values, "number" if column.kind == "int" else column.kind,
                              header_unit=header_unit(raw_header) or "万元")
        cell_errors = {i: e.expected for i, e in parsed.errors.items()}
        problem = f"{column.label}不是有效的值 / not a valid {name}"
        if column.kind == "int":
            whole = np.isfinite(parsed.values) & (np.floor(parsed.values) == parsed.values)
            for index in np.flatnonzero(np.isfinite(parsed.values) & ~whole):
                cell_errors[int(index)] = "整数 / a whole number"
            frame[name] = pd.Series(np.where(whole, parsed.values, np.nan)).astype("Int64")
        else:
            frame[name] = parsed.values
        for index, expected in sorted(cell_errors.items()):
            issues.append(Issue("error", "bad_value", problem, sheet.file, sheet.sheet, int(rows[index]),
                                raw_header, values.iloc[index], expected))
        if cell_errors:
            flagged = np.isin(np.arange(len(body)), list(cell_errors))
            frame["_bad_" + name] = flagged
            bad |= flagged
    frame["_file"] = sheet.file
    frame["_sheet"] = sheet.sheet
    frame["_row"] = rows
    frame["_bad"] = bad
    frame["_merges_known"] = sheet.merges_known
    return frame, issues


def _months_from_dates(values: pd.Series, body: pd.DataFrame, mapping: dict, sheet: RawSheet, rows: np.ndarray,
                       raw_header: str, issues: list[Issue]) -> pd.Series:
    """A month typed as a date (Excel shows 3月 for 2023-03-01) is its month number (rules.md §2c); a
    date whose year is not the row's 年度 is a warning."""
    dated = values.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
    if not dated.any():
        return values
    years = body.iloc[:, mapping["year"][0]].reset_index(drop=True) if "year" in mapping else None
    for index in np.flatnonzero(dated.to_numpy()):
        date = values.iloc[index]
        stated = pd.to_numeric(pd.Series([years.iloc[index]]), errors="coerce").iloc[0] if years is not None else np.nan
        if np.isfinite(stated) and int(stated) != date.year:
            issues.append(Issue("warning", "month_date_year",
                                f"月份写成日期 {date:%Y-%m-%d}，其年份与年度 {int(stated)} 不同：按 {date.month} 月读取 / a month "
                                f"typed as a date of another year: read as month {date.month}",
                                sheet.file, sheet.sheet, int(rows[index]), raw_header, f"{date:%Y-%m-%d}"))
    return values.where(~dated, values[dated].map(lambda d: d.month)).astype(object)


def fill_merged_down(cells: pd.DataFrame, merged: list[tuple[int, int, int, int]], first_row: int) -> pd.DataFrame:
    """A new frame with each merged range's value copied down its first column (rows from ``first_row``).

    A workbook stores a merged cell's value in its top-left cell only; the rows below belong to it
    (一级指标 merged over its 二级指标 …). Only ranges the workbook lists are filled: a blank cell
    outside every merge stays blank.

    Parameters
    ----------
    cells : pandas.DataFrame
        A sheet's cells (:attr:`RawSheet.cells`).
    merged : list of (int, int, int, int)
        Merged ranges (first row, first column, last row, last column), 0-based.
    first_row : int
        Rows above this one (the header and what is above it) are left as they are.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> cells = pd.DataFrame([["一级指标", "三级指标"], ["产出指标", "a"], [None, "b"], [None, "c"]])
    >>> fill_merged_down(cells, [(1, 0, 2, 0)], 1)[0].tolist()
    ['一级指标', '产出指标', '产出指标', nan]
    """
    filled = cells.copy()
    for r1, c1, r2, c2 in merged:
        if r2 <= r1 or r2 < first_row or c1 >= filled.shape[1]:
            continue
        value = filled.iat[r1, c1]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        start, stop = max(r1 + 1, first_row), min(r2, len(filled) - 1)
        if start <= stop:
            filled.iloc[start:stop + 1, c1] = value
    return filled


def ignored_columns(header: list, mapping: dict, sheet: RawSheet, header_row: int) -> list[Issue]:
    """A note for each header cell that names no column perfeval uses: nothing disappears silently.

    Parameters
    ----------
    header : list
        The header row's cells.
    mapping : dict
        The canonical columns found (column → (position, header)).
    sheet : RawSheet
        For the file and sheet named in the notes.
    header_row : int
        0-based row of the header.

    Returns
    -------
    list of perfeval_lib.core.issues.Issue
        ``ignored_column`` notes (severity ``info``), one per unused non-empty header.

    Examples
    --------
    >>> sheet = RawSheet("budget.csv", None, pd.DataFrame())
    >>> [(i.code, i.column) for i in ignored_columns(["单位编码", "经办人", None], {"unit_code": (0, "单位编码")},
    ...                                              sheet, 0)]
    [('ignored_column', '经办人')]
    """
    used = {position for position, _ in mapping.values()}
    notes = []
    for position, raw in enumerate(header):
        text = "" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw).strip()
        if text and position not in used:
            notes.append(Issue("info", "ignored_column", f"列「{text}」未使用 / column {text!r} is not used",
                               sheet.file, sheet.sheet, header_row + 1, text))
    return notes

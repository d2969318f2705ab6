r"""Raw files → cells: every sheet of a CSV, workbook or parquet file as the spreadsheet shows it.

Nothing is interpreted here. A CSV is decoded (UTF-8, else GBK/GB18030) and split with its delimiter
guessed; a workbook (.xlsx, .xlsm, old .xls, .ods) is checked first (:mod:`perfeval_lib.ingest.filecheck`:
size, a real .xlsx, not encrypted) and read with calamine, then taken as the spreadsheet shows it
(rules.md §2c, :mod:`~perfeval_lib.ingest.xlsxmeta`): a number with a percent format becomes its percent
text (0.9557 with ``0.00%`` → ``'95.57%'``), one with a literal ``%`` likewise (85.5 with ``0.0"%"`` →
``'85.5%'``), a code formatted ``000000`` keeps its leading zeros; hidden sheets are not read and hidden
rows and columns are left empty, each with a warning; the merged ranges come with the sheet. Formulas
with no stored result and Excel errors are flagged per cell; a parquet file's column names become the
first row. Finding the header and parsing the cells is :mod:`perfeval_lib.ingest.sheets`.

Examples
--------
>>> csv_cells("年度,单位编码\n2022,D001\n", None, "x.csv").values.tolist()
[['年度', '单位编码'], ['2022', 'D001']]
"""
from __future__ import annotations

import csv
import gc
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import numpy as np
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ..core.errors import InputError
from ..core.files import decode_csv_bytes
from ..core.isolation import run_isolated
from ..core.issues import Issue
from .filecheck import check_size, check_workbook, sniff_kind
from .numfmt import shown_value
from .xlsxmeta import SheetMeta

#: A formula that is only a constant: what Excel makes of a typed ``=100%`` or ``=95`` (read as the text
#: typed, never evaluated).
CONSTANT_FORMULA = re.compile(r"^=\s*[+-]?\d[\d,]*(\.\d+)?\s*%?$")

#: Workbook types read with calamine: Office Open XML (with or without macros), old Excel (BIFF), OpenDocument.
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
#: File types :func:`read_file` reads (a folder's other files are not tables); a WPS ``.et`` file is
#: recognised to say what to do with it.
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".parquet", ".et"} | WORKBOOK_SUFFIXES


@dataclass
class RawSheet:
    """One sheet (or a CSV file) as read: every cell as found, nothing interpreted yet.

    Parameters
    ----------
    file : str
        The file's name as shown in messages.
    sheet : str or None
        The sheet's name; None for a CSV or parquet file.
    cells : pandas.DataFrame
        Every cell, columns numbered from 0, no header row taken out: text for a CSV, the values
        calamine reads for a workbook (numbers, dates, text; NaN for an empty cell).
    encoding : str or None
        The encoding a CSV file was decoded with (``'utf-8'``, ``'gb18030'``); None otherwise.
    bad_cells : dict
        Cells perfeval must not read as values: (row, column), 0-based → (kind, text); kind is
        ``formula`` (a formula with no stored result) or ``excel_error`` (#DIV/0!, #N/A …).
    merged : list of (int, int, int, int)
        The workbook's merged ranges (first row, first column, last row, last column), 0-based.
    merges_known : bool
        True when the file states its merges (a workbook): a blank cell outside every merged range is
        truly blank. False for a CSV, where merges are lost and blank cells below a value are filled.
    notes : list of perfeval_lib.core.issues.Issue
        What was not read as it stands: hidden rows and columns left empty (warnings).

    Examples
    --------
    >>> sheet = RawSheet("units.csv", None, csv_cells("单位编码,单位名称\\nD001,示例区教育局\\n", None, "units.csv"))
    >>> sheet.cells.shape
    (2, 2)
    """

    file: str
    sheet: str | None
    cells: pd.DataFrame
    encoding: str | None = None
    bad_cells: dict = field(default_factory=dict)
    merged: list = field(default_factory=list)
    merges_known: bool = False
    notes: list = field(default_factory=list)


def csv_cells(text: str, delimiter: str | None, name: str) -> pd.DataFrame:
    r"""Every CSV cell as text, rows of any length (title lines above the header are often shorter).

    Parameters
    ----------
    text : str
        The decoded file.
    delimiter : str or None
        The field separator; None guesses it from the first 20,000 characters (the most frequent of
        ``,`` ``\t`` ``;`` and the full-width ``，``).
    name : str
        The file's name, for the error message.

    Returns
    -------
    pandas.DataFrame
        One row per line, columns numbered from 0, every cell a string; short rows padded with ``''``.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        The text is not a valid CSV (for instance an unbalanced quote in a field).

    Examples
    --------
    >>> csv_cells("标题\na,b\n1,2\n", None, "x.csv").values.tolist()
    [['标题', ''], ['a', 'b'], ['1', '2']]
    >>> csv_cells("a\tb\n1\t2\n", "\t", "x.tsv").values.tolist()
    [['a', 'b'], ['1', '2']]
    """
    if delimiter is None:
        sample = text[:20_000]
        delimiter = max([",", "\t", ";", "，"], key=sample.count) if sample else ","
    csv.field_size_limit(2**31 - 1)  # the file-size limit bounds memory; overlong cells are reported per cell
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(name, message=f"不是有效的 CSV（{exc}）/ not a valid CSV",
                         expected="逗号分隔、引号成对的 CSV / a comma-separated file with balanced quotes") from None
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def read_file(path: str | Path, shown_as: str | None = None) -> list[RawSheet]:
    """Read every sheet of a CSV/TSV/TXT, workbook (XLSX/XLSM/XLS/ODS) or parquet file without
    interpreting any cell, each cell as the spreadsheet shows it.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; its suffix decides how it is read (see :data:`TABLE_SUFFIXES`).
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).

    Returns
    -------
    list of RawSheet
        One per visible sheet of a workbook (in the workbook's order), one for any other file. A
        hidden sheet is not read: a warning naming it is in the first sheet's ``notes``.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        The file does not exist, is not a regular file, is empty or over the size limit, is not the
        workbook its suffix says (an old .xls or WPS .et renamed, encrypted, truncated), inflates past
        ``PERFEVAL_MAX_INFLATED_MB`` or spans an implausible range
        (:func:`perfeval_lib.ingest.filecheck.check_workbook`), is a WPS .et workbook calamine cannot
        read, has only hidden sheets, cannot be decoded or parsed (a workbook is parsed in a child
        process: out of memory, too slow or crashed is this file's error), or has an unsupported suffix.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = path.write_bytes("单位编码,单位名称\\nD001,示例区教育局\\n".encode("gbk"))
    >>> [(s.sheet, s.encoding, s.cells.shape) for s in read_file(path)]
    [(None, 'gb18030', (2, 2))]
    >>> read_file(path.with_name("missing.csv"), shown_as="missing.csv")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: missing.csv: 文件不存在 / file not found
    """
    path = Path(path)
    name = shown_as or str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(name, message="文件不存在 / file not found")
    check_size(path, name)
    if suffix in {".csv", ".txt", ".tsv"}:
        text, encoding = decode_csv_bytes(path.read_bytes(), name)
        return [RawSheet(name, None, csv_cells(text, "\t" if suffix == ".tsv" else None, name), encoding)]
    if suffix in WORKBOOK_SUFFIXES or suffix == ".et":
        if suffix in {".xlsx", ".xlsm"}:
            check_workbook(path, name)  # bombs, stray cells: one streamed pass, here; remembered for the reader
        return run_isolated(read_workbook, path, name, file=name)  # an abort, a runaway: this file's message
    if suffix == ".parquet":
        frame = run_isolated(pd.read_parquet, path, file=name)  # a column can decompress far beyond the file
        header = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]))
        body = frame.set_axis(range(frame.shape[1]), axis=1)
        return [RawSheet(name, None, pd.concat([header, body], ignore_index=True))]
    raise InputError(name, message="不支持的文件类型 / unsupported file type",
                     expected="CSV、XLSX、XLS、ODS 或 parquet / CSV, XLSX, XLS, ODS or parquet")


_SAVE_AS = "在 Excel/WPS 中“另存为” .xlsx 格式 / open it and “save as” .xlsx"


def _open_workbook(path: Path, name: str, suffix: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own types for corrupt files
        if suffix == ".et":
            raise InputError(name, message="这是 WPS 表格 .et 文件，无法直接读取 / a WPS .et workbook cannot be read",
                             expected=_SAVE_AS) from None
        with open(path, "rb") as handle:
            kind = sniff_kind(handle.read(8))
        if suffix == ".xls" and kind == "zip":
            message = "扩展名是 .xls，内容却是 .xlsx / an .xlsx workbook renamed .xls"
        else:
            message = f"无法读取工作簿 / cannot read the workbook ({type(exc).__name__}: {exc})"
        raise InputError(name, message=message, expected=f"有效的 {suffix} 文件，或{_SAVE_AS}") from None


def _apply_formats(rows: list[list], meta: SheetMeta) -> None:
    """Number formats applied in place: each formatted number becomes what the cell shows (text, dates,
    empties stay as they are); a value shown once is not formatted again."""
    for kind, cells in meta.formats.items():
        shown: dict = {}
        for r, c in cells.tolist():
            row = rows[r] if r < len(rows) else ()
            if c < len(row):
                value = row[c]
                if value.__class__ is float or value.__class__ is int:
                    text = shown.get(value)
                    row[c] = text if text is not None else shown.setdefault(value, shown_value(value, kind))


def _as_shown(rows: list[list], meta: SheetMeta | None, merged: list, name: str, sheet: str
              ) -> tuple[pd.DataFrame, list[Issue]]:
    """A sheet's rows as a frame of cells as the spreadsheet shows them (number formats applied,
    hidden rows and columns emptied)."""
    notes: list[Issue] = []
    if meta is not None:
        _apply_formats(rows, meta)
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else pd.DataFrame()
    if width:  # empty text and missing cells as NaN
        values = cells.to_numpy(copy=True)
        values[(values == "") | pd.isna(values)] = np.nan
        cells = pd.DataFrame(values, columns=range(width), dtype=object)
    if meta is not None and (len(meta.hidden_rows) or len(meta.hidden_cols)):
        filled = cells.notna().to_numpy()
        rows_hidden = [r for r in meta.hidden_rows.tolist() if r < len(cells) and filled[r].any()]
        cols_hidden = [c for c in meta.hidden_cols.tolist() if c < width and filled[:, c].any()]
        if rows_hidden:
            cells.iloc[rows_hidden, :] = np.nan
            shown = "、".join(str(r + 1) for r in rows_hidden[:20]) + ("…" if len(rows_hidden) > 20 else "")
            notes.append(Issue("warning", "hidden_rows",
                               f"隐藏行未读取：第 {shown} 行 / hidden rows were not read (rows {shown})", name, sheet,
                               rows_hidden[0] + 1, expected="要用这些行，请在 Excel/WPS 中取消隐藏 / unhide them to use them"))
        if cols_hidden:
            letters = "、".join(get_column_letter(c + 1) for c in cols_hidden[:20])
            cells.iloc[:, cols_hidden] = np.nan
            notes.append(Issue("warning", "hidden_columns",
                               f"隐藏列未读取：{letters} 列 / hidden columns were not read ({letters})", name, sheet,
                               None, letters, expected="要用这些列，请在 Excel/WPS 中取消隐藏 / unhide them to use them"))
    return cells, notes


@contextmanager
def _collector_paused():
    """The cyclic garbage collector paused while a workbook's cells are built: they form no reference
    cycles, and a collection would only walk every object of the process — in the forked reader, the
    parent's objects too, copying their memory pages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_workbook(path: Path, name: str) -> list[RawSheet]:
    """Every visible sheet of a workbook (.xlsx, .xlsm, .xls, .ods; a WPS .et when calamine reads it),
    as the spreadsheet shows it (see the module's description).

    Parameters
    ----------
    path : pathlib.Path
        The workbook.
    name : str
        Its name in messages.

    Returns
    -------
    list of RawSheet
        With ``merged`` (calamine's merged ranges), ``merges_known`` True, ``bad_cells`` (.xlsx/.xlsm)
        and ``notes`` (hidden rows, columns and sheets).

    Raises
    ------
    perfeval_lib.core.errors.InputError
        As :func:`read_file` says for workbooks.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "自评表.xlsx"
    >>> book = openpyxl.Workbook()
    >>> book.active.append(["三级指标", "实际完成值", "单位编码"])
    >>> book.active.append(["培训覆盖率", 0.9557, 12])
    >>> book.active["B2"].number_format, book.active["C2"].number_format = "0.00%", "000000"
    >>> book.save(path)
    >>> read_workbook(path, "自评表.xlsx")[0].cells.iloc[1].tolist()
    ['培训覆盖率', '95.57%', '000012']
    """
    suffix = path.suffix.lower()
    checked = check_workbook(path, name) if suffix in {".xlsx", ".xlsm"} else None  # bombs, stray cells: one pass
    path = checked.path if checked else path  # the workbook, or its copy without the stray cells
    book = _open_workbook(path, name, suffix)
    sheets, hidden_notes = [], list(checked.issues if checked else [])
    try:
        meta = checked.meta if checked else {}  # read on the check's pass: no sheet is inflated again
        flagged = checked.bad_cells if checked else {}
        with _collector_paused():
            for info in book.sheets_metadata:
                state = meta[info.name].state if info.name in meta else \
                    ("visible" if info.visible == SheetVisibleEnum.Visible else "hidden")
                if state != "visible":
                    hidden_notes.append(Issue("warning", "hidden_sheet",
                                              f"隐藏的工作表「{info.name}」未读取 / the hidden sheet {info.name!r} was not read",
                                              name, info.name, expected="要用这张表，请在 Excel/WPS 中取消隐藏 / unhide it "
                                                                        "to use it"))
                    continue
                try:
                    sheet = book.get_sheet_by_name(info.name)
                    rows = sheet.to_python(skip_empty_area=False)
                    merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
                except Exception as exc:  # a chart sheet, or a sheet calamine cannot parse
                    hidden_notes.append(Issue("warning", "unreadable_sheet",
                                              f"工作表无法读取，已跳过 / the sheet could not be read ({type(exc).__name__})",
                                              name, info.name))
                    continue
                bad = dict(flagged.get(info.name, {}))
                for (r, c), (kind, text) in list(bad.items()):
                    if kind == "formula" and CONSTANT_FORMULA.match(text) and r < len(rows) and c < len(rows[r]):
                        rows[r][c] = text  # =100% typed into a cell: the text typed
                        del bad[(r, c)]
                cells, notes = _as_shown(rows, meta.get(info.name), merged, name, info.name)
                sheets.append(RawSheet(name, info.name, cells, bad_cells=bad, merged=merged, merges_known=True,
                                       notes=notes))
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError(name, message=f"无法读取工作簿 / cannot read the workbook ({type(exc).__name__}: {exc})",
                         expected=f"有效的 {suffix} 文件 / a valid {suffix} file") from None
    finally:
        book.close()
    if not sheets:
        if hidden_notes and all(n.code in ("hidden_sheet", "stray_cell") for n in hidden_notes):
            raise InputError(name, message="工作簿中所有工作表都是隐藏的 / every sheet of the workbook is hidden",
                             expected="取消隐藏要读取的工作表 / unhide the sheet to read")
        raise InputError(name, message="工作簿中没有可读取的工作表 / the workbook has no readable sheet",
                         expected=f"有效的 {suffix} 文件 / a valid {suffix} file")
    sheets[0].notes[:0] = hidden_notes
    return sheets

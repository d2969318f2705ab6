r"""Raw files → cells: every sheet of a CSV, XLSX or parquet file as the spreadsheet shows it.

Nothing is interpreted here. A CSV is decoded (UTF-8, else GBK/GB18030) and split with its delimiter
guessed; a workbook is checked first (:mod:`perfeval_lib.ingest.filecheck`: size, a real .xlsx, not
encrypted) and read with calamine, with its formulas that have no stored result and its Excel errors
flagged per cell; a parquet file's column names become the first row. Finding the header and parsing
the cells is :mod:`perfeval_lib.ingest.sheets`.

Examples
--------
>>> csv_cells("年度,单位编码\n2022,D001\n", None, "x.csv").values.tolist()
[['年度', '单位编码'], ['2022', 'D001']]
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..core.files import decode_csv_bytes
from ..core.isolation import run_isolated
from .filecheck import check_size, check_workbook

#: File types :func:`read_file` reads (a folder's other files are not tables).
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".parquet"}


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
    issues : list of perfeval_lib.core.issues.Issue
        What the check before reading found about this sheet (stray cells far from the table ignored).

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
    issues: list = field(default_factory=list)


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


def workbook_cells(path: Path, name: str) -> dict:
    """Every sheet of a workbook as calamine reads it: sheet name → cells (no header taken out).

    Run in a child process by :func:`read_file` (:func:`perfeval_lib.core.isolation.run_isolated`).

    Parameters
    ----------
    path : pathlib.Path
        The workbook (checked by :func:`perfeval_lib.ingest.filecheck.check_workbook`, or its cleaned copy).
    name : str
        The file's name in messages.

    Returns
    -------
    dict
        Sheet name → pandas.DataFrame of every cell (columns numbered from 0).

    Raises
    ------
    perfeval_lib.core.errors.InputError
        calamine cannot read the file.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "b.xlsx"
    >>> book = openpyxl.Workbook(); book.active.title = "预算"; book.active.append(["单位编码", "年度"]); book.save(path)
    >>> {name: cells.shape for name, cells in workbook_cells(path, "b.xlsx").items()}
    {'预算': (1, 2)}
    """
    try:
        return pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError(name, message=f"无法读取工作簿 / cannot read the workbook ({type(exc).__name__}: {exc})",
                         expected="有效的 .xlsx 文件 / a valid .xlsx file") from None


def read_file(path: str | Path, shown_as: str | None = None) -> list[RawSheet]:
    """Read every sheet of a CSV/TSV/TXT, XLSX/XLSM/XLS or parquet file without interpreting any cell.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; its suffix decides how it is read (see :data:`TABLE_SUFFIXES`).
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).

    Returns
    -------
    list of RawSheet
        One per sheet of a workbook (in the workbook's order), one for any other file.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        The file does not exist, is not a regular file, is empty or over the size limit, is not the
        workbook its suffix says (an old .xls or WPS .et renamed, encrypted, truncated), inflates past
        ``PERFEVAL_MAX_INFLATED_MB`` or spans an implausible range, cannot be decoded or parsed (a
        workbook is parsed in a child process: out of memory, too slow or crashed is this file's
        error), or has an unsupported suffix.

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
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        checked = check_workbook(path, name) if suffix != ".xls" else None  # bombs, stray cells: one streamed pass
        sheets = run_isolated(workbook_cells, checked.path if checked else path, name, file=name)
        flagged = checked.bad_cells if checked else {}
        notes = checked.issues if checked else []
        return [RawSheet(name, str(sheet), cells, bad_cells=flagged.get(str(sheet), {}),
                         issues=[i for i in notes if i.sheet == str(sheet)]) for sheet, cells in sheets.items()]
    if suffix == ".parquet":
        frame = run_isolated(pd.read_parquet, path, file=name)  # a column can decompress far beyond the file
        header = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]))
        body = frame.set_axis(range(frame.shape[1]), axis=1)
        return [RawSheet(name, None, pd.concat([header, body], ignore_index=True))]
    raise InputError(name, message="不支持的文件类型 / unsupported file type",
                     expected="CSV、XLSX 或 parquet / CSV, XLSX or parquet")

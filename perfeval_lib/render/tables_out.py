"""Tables written for people who open them in Excel: CSV with canonical names, or a formatted workbook.

Both are rounded by the one rule (:mod:`perfeval_lib.core.formatting`) — money and scores to 2
decimals, rates (fractions) to 0.001 — so a file read back holds what the screen showed:

- ``.csv``: the canonical column names (``budget_final``, ``score`` …), UTF-8 with BOM (Excel shows
  the Chinese), numbers rounded, missing values empty, text starting with ``=`` ``+`` ``-`` ``@``
  neutralised (:mod:`perfeval_lib.core.csvout`);
- ``.xlsx``: the Chinese headers the screen shows (``全年预算数``, ``复核得分`` …), numbers stored
  rounded with the screen's number formats (``0.00``, ``0.0%``, ``+0.00;-0.00;0.00``), a bold frozen
  header, column widths that fit, text that begins with ``=`` stored as text (never a formula).

Any table can be written so (``results``, ``findings``, ``score``, ``compare`` …): columns are known by
their names (:func:`perfeval_lib.core.formatting.column_kind`), or by ``kinds``.

Examples
--------
>>> import tempfile, pathlib
>>> frame = pd.DataFrame({"unit_code": ["D001"], "budget_final": [3339.6600000000003], "score": [93.0796]})
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_table_file(frame, pathlib.Path(folder) / "r.csv")
...     path.read_text(encoding="utf-8-sig").splitlines()
['unit_code,budget_final,score', 'D001,3339.66,93.08']
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.csvout import write_csv
from ..core.errors import UsageError
from ..core.files import atomic_path
from ..core.formatting import column_kind, display_frame, rounded_frame
from ..core.schema import LABELS

#: Excel number formats of each kind, matching the screen (rates are stored as fractions).
NUMBER_FORMATS = {"money": "0.00", "rate": "0.0%", "score": "0.00", "diff": "+0.00;-0.00;0.00", "count": "0"}

#: What a table file may be.
SUFFIXES = (".csv", ".xlsx")


def write_table_file(frame: pd.DataFrame, path: str | Path, labels: dict | None = None, kinds: dict | None = None,
                     sheet: str = "表") -> Path:
    """Write ``frame`` as CSV or as an Excel workbook (by the suffix of ``path``), atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical columns (money in 万元, rates as fractions, scores in points).
    path : str or Path
        ``*.csv`` or ``*.xlsx``.
    labels : dict, optional
        Column → Chinese header for the workbook (default :data:`perfeval_lib.core.schema.LABELS`, a
        column without one keeps its name). CSV keeps the canonical names.
    kinds : dict, optional
        Column → ``money`` / ``rate`` / ``score`` / ``diff`` / ``count``, for columns whose names do not
        say it.
    sheet : str, default ``'表'``
        The worksheet's name.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    UsageError
        When the suffix is neither ``.csv`` nor ``.xlsx`` (nothing is written).
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> write_table_file(pd.DataFrame(), "out.txt")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.UsageError: 输出文件应为 .csv 或 .xlsx / the output must be a .csv or .xlsx file: out.txt
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"输出文件应为 .csv 或 .xlsx / the output must be a .csv or .xlsx file: {path}")
    rounded = rounded_frame(frame, kinds)
    if suffix == ".csv":
        _csv(rounded, path)
    else:
        _xlsx(rounded, path, labels if labels is not None else LABELS, kinds, sheet)
    return path


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """The CSV itself: UTF-8 with BOM, no index, written atomically, no text cell a live formula."""
    write_csv(frame, path)  # the one CSV writer (perfeval_lib.core.csvout)


def _xlsx(frame: pd.DataFrame, path: Path, labels: dict, kinds: dict | None, sheet: str) -> None:
    """The workbook: Chinese headers, rounded numbers with the screen's formats, text kept as text."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    shown = display_frame(frame, kinds=kinds)  # for the column widths: what the screen shows
    header_fill = PatternFill("solid", fgColor="F2F4F7")
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=1, column=col, value=str(labels.get(name, name)))
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        kind = (kinds or {}).get(name, column_kind(name))
        number_format = NUMBER_FORMATS.get(kind) if pd.api.types.is_numeric_dtype(frame[name]) else None
        for row, value in enumerate(frame[name].tolist(), start=2):
            target = ws.cell(row=row, column=col)
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, str):
                target.value = value
                target.data_type = "s"  # "=…" stays text: a workbook we write never holds a formula
            elif isinstance(value, (bool, int, float)):
                target.value = value
            else:
                target.value = str(value)
                target.data_type = "s"
            if number_format:
                target.number_format = number_format
        widest = max([len(str(labels.get(name, name)))] + [len(str(v)) for v in shown[name].tolist()[:500]])
        ws.column_dimensions[get_column_letter(col)].width = min(max(widest * 1.6 + 2, 8), 60)
    ws.freeze_panes = "A2"
    with atomic_path(path) as temporary:
        book.save(str(temporary))

"""Writing tables as the files a finance office receives: csv and xlsx primitives and the format dirt.
:func:`_write_csv` writes a header and rows in a given encoding; :func:`_save_workbook` saves an openpyxl
workbook with fixed document dates and zip timestamps, so the same seed gives byte-identical xlsx files
(with the same openpyxl/zlib versions); the ``_dirty_*`` helpers write some amounts and indicator values
as people type them (万元 suffixes, thousands separators, full-width digits and ％) and count every piece
of dirt for the README, and :func:`_with_blank_rows` inserts fully blank rows.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from .names import NOT_APPLICABLE

FIXED_TIMESTAMP = datetime(2024, 1, 1)   # xlsx document dates
_ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)   # date of every entry in an xlsx zip

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _dirty_money(value: float, rng, counts: Counter) -> str:
    """Mostly ``1234.50``; sometimes ``1234.50万元``, ``1,234.50`` or full-width ``１２３４．５０``."""
    u = rng.random()
    if u < 0.03:
        counts["金额带“万元”后缀 / amount with 万元 suffix"] += 1
        return f"{value:.2f}万元"
    if u < 0.12 and value >= 1000:
        counts["千分位逗号 / thousands separators"] += 1
        return f"{value:,.2f}"
    if 0.12 <= u < 0.124:
        counts["全角数字 / full-width digits"] += 1
        return f"{value:.2f}".translate(_FULLWIDTH)
    return f"{value:.2f}"


def _xlsx_money(value: float, rng, counts: Counter) -> float | str:
    """An xlsx cell amount: a real number when clean, else the dirty text of :func:`_dirty_money`."""
    text = _dirty_money(value, rng, counts)
    return float(text) if text == f"{value:.2f}" else text  # clean amounts are real numbers


def _dirty_indicator_text(text: str, percent: bool, rng, counts: Counter, actual: bool) -> str:
    """A 年度指标值/实际完成值 as written, sometimes with a full-width ％ or full-width digits."""
    if text in (NOT_APPLICABLE, "") or not any(ch.isdigit() for ch in text):
        return text
    u = rng.random()
    if percent and actual and u < 0.04:  # re-typed by hand: 1 decimal and a full-width ％
        counts["全角百分号 ％（如 100.0％） / full-width percent sign"] += 1
        number = text.rstrip("%")
        return f"{number}{'' if '.' in number else '.0'}％"  # keep every written decimal
    if percent and not actual and u < 0.03:
        counts["全角百分号 ％（如 100.0％） / full-width percent sign"] += 1
        return text.replace("%", "％")
    if 0.04 <= u < 0.046:
        counts["全角数字 / full-width digits"] += 1
        return text.translate(_FULLWIDTH)
    return text


def _with_blank_rows(rows: list[list], n: int, rng, counts: Counter) -> list[list]:
    """``rows`` with ``n`` fully blank rows inserted at random places (never before the first)."""
    width = len(rows[0]) if rows else 1
    rows = list(rows)
    for position in sorted(rng.choice(np.arange(1, len(rows)), size=n, replace=False), reverse=True):
        rows.insert(int(position), [""] * width)
    counts["整行空白 / fully blank rows"] += n
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    """Write ``header`` and ``rows`` as csv in ``encoding``; return ``path``."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _save_workbook(workbook: Workbook, path: Path) -> Path:
    """Save with fixed document dates and zip timestamps, so the bytes never change."""
    workbook.properties.creator = "perfeval_lib.demo"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook() would stamp "modified" with now
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # zipfile stamps each entry with the wall clock: replace it
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    path.write_bytes(out.getvalue())
    return path


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], start_row: int = 1):
    """Fill the active sheet: ``header`` on ``start_row``, then ``rows`` (empty cells left unwritten)."""
    sheet = workbook.active
    sheet.title = title
    for col, name in enumerate(header, start=1):
        sheet.cell(row=start_row, column=col, value=name)
    for r, row in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(row, start=1):
            if value != "" and value is not None:
                cell = sheet.cell(row=r, column=col, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # "=100%" is a target, not a formula
    return sheet

"""How a cell of the official 自评表 looks: 宋体, thin borders, centred wrapped text, number formats.

:class:`Painter` writes a value into a cell or a merged range with that look and grows the row to fit
its text; :func:`cell_value` turns a DataFrame value into one openpyxl can store. Money is shown in 万元
with two decimals (:data:`MONEY_FORMAT`), rates — fractions — as percent (:data:`RATE_FORMAT`), scores
in points.

Examples
--------
>>> import openpyxl
>>> ws = openpyxl.Workbook().active
>>> p = Painter(ws, [10, 30])
>>> p.put(1, 1, "偏差原因分析及改进措施" * 3, to_col=2)
>>> p.finish()
>>> ws.row_dimensions[1].height > 15
True
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side

from ..core.safetext import strip_controls

__all__ = ["Painter", "cell_value", "FONT", "MONEY_FORMAT", "RATE_FORMAT", "SCORE_FORMAT", "REVIEW_FORMAT"]

#: The font of every cell, as the bureaus' forms use it.
FONT = "宋体"
#: Number formats: money in 万元 with two decimals, rates (fractions) as percent, scores as typed,
#: recomputed scores with two decimals.
MONEY_FORMAT = "0.00"
RATE_FORMAT = "0.0%"
SCORE_FORMAT = "General"
REVIEW_FORMAT = "0.00"


def cell_value(value):
    """A value openpyxl can store: NaN/NA → None, numpy scalars → Python.

    Parameters
    ----------
    value : object
        Any cell value from a DataFrame.

    Returns
    -------
    object
        ``None`` for a missing value, a plain Python number for a numpy scalar, text without control
        characters, else ``value``.

    Examples
    --------
    >>> import numpy as np
    >>> cell_value(np.float64(98.5)), cell_value(float("nan")), cell_value(pd.NA), cell_value("优")
    (98.5, None, None, '优')
    """
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str):
        return strip_controls(value)  # ESC, BEL …: not allowed in the workbook's XML
    return value


def _width_of(text: str) -> float:
    """Width of ``text`` in Excel characters: a Chinese character counts two."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text)


class Painter:
    """Cells with the form's look: 宋体, thin borders, centred and wrapped; merged ranges bordered.

    Row heights grow to fit the wrapped text of one-row cells; :meth:`finish` sets them on the sheet.

    Parameters
    ----------
    sheet : openpyxl.worksheet.worksheet.Worksheet
        The sheet to paint.
    widths : list of float
        The width of each column (Excel characters), to estimate how many lines a text takes.

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> p = Painter(ws, [10, 12, 8])
    >>> p.put(1, 1, "单位名称", to_col=2, bold=True)
    >>> p.put(2, 3, 507.02, fmt=MONEY_FORMAT)
    >>> p.finish()
    >>> [str(r) for r in ws.merged_cells.ranges], ws["A1"].font.name, ws["C2"].number_format
    (['A1:B1'], '宋体', '0.00')
    """

    def __init__(self, sheet, widths: list[float]):
        self.ws = sheet
        self.widths = widths
        side = Side(style="thin", color="000000")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.heights: dict[int, float] = {}

    def put(self, row: int, col: int, value=None, *, to_row: int | None = None, to_col: int | None = None,
            fmt: str | None = None, bold: bool = False, size: float = 10, align: str = "center",
            border: bool = True) -> None:
        """Write ``value`` at (``row``, ``col``), merged down to ``to_row`` and across to ``to_col``.

        Parameters
        ----------
        row, col : int
            The top-left cell, counted from 1.
        value : object, optional
            The value (see :func:`cell_value`); a text starting with ``=`` stays text, not a formula.
        to_row, to_col : int, optional
            The last row and column of a merged range (default: the cell alone).
        fmt : str, optional
            A number format, e.g. :data:`MONEY_FORMAT`.
        bold : bool
            Bold text.
        size : float
            Font size in points.
        align : str
            Horizontal alignment: ``"center"``, ``"left"`` or ``"right"``.
        border : bool
            Thin borders around every cell of the range.
        """
        to_row, to_col = to_row or row, to_col or col
        cell = self.ws.cell(row=row, column=col, value=cell_value(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a target such as "=100%" is text, not a formula
        if fmt:
            cell.number_format = fmt
        font = Font(name=FONT, size=size, bold=bold)
        alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        for r in range(row, to_row + 1):
            for c in range(col, to_col + 1):
                target = self.ws.cell(row=r, column=c)
                target.font, target.alignment = font, alignment
                if border:
                    target.border = self.border
        if (to_row, to_col) != (row, col):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=to_row, end_column=to_col)
        text = "" if cell.value is None else str(cell.value)
        if text and to_row == row:
            width = sum(self.widths[c - 1] for c in range(col, to_col + 1))
            lines = sum(max(1, math.ceil(_width_of(part) * size / 10 / max(width - 1, 1))) for part in text.split("\n"))
            self.heights[row] = max(self.heights.get(row, 15), lines * size * 1.45 + 4)

    def finish(self) -> None:
        """Set the row heights the painted texts need."""
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = round(height, 1)

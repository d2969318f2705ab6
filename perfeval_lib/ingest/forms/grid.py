"""A sheet of an official form as a grid of cells, as the spreadsheet shows it (formats, merges, hidden cells).

A form is read cell by cell, not as a table: its blocks sit anywhere, its headers span merged cells
and its figures carry their meaning in number formats (a 96.5% is the number 0.965 with a percent
format). :class:`Grid` keeps each cell's value, which numbers are percent-formatted, and the merged
ranges; its methods give a cell as text, as prose, as a number or as the value the table parsers of
:mod:`perfeval_lib.ingest.sheets` take. :meth:`Grid.from_raw` builds it from a sheet read by
:func:`perfeval_lib.ingest.readers.read_file` (formats already applied: a percent-formatted number
arrives as its percent text).

Examples
--------
>>> grid = Grid.from_rows([["2022年度部门整体支出绩效自评表", ""], ["执行率", 0.965]], name="自评表")
>>> grid.nrows, grid.ncols, grid.text(0, 0), grid.fraction(1, 1, "执行率")
(2, 2, '2022年度部门整体支出绩效自评表', 0.965)
"""
from __future__ import annotations

import numpy as np
from openpyxl.utils import get_column_letter

from ...core.errors import ValueParseError
from ...core.parse import MISSING_TOKENS, clean_text, parse_percent
from ..readers import CONSTANT_FORMULA, RawSheet
from .words import percent_text


def cell_name(r: int, c: int) -> str:
    """The spreadsheet name of a 0-based cell.

    >>> cell_name(0, 0), cell_name(11, 27)
    ('A1', 'AB12')
    """
    return f"{get_column_letter(c + 1)}{r + 1}"


class Grid:
    """Cell values of one sheet, 0-based; merged cells hold their value in the top-left cell only.

    Parameters
    ----------
    values : list of list
        The cells row by row (None for an empty cell); rows may differ in length.
    percent : set of (int, int), optional
        The cells holding a number with a percent format (0.965 shown as 96.5%).
    merged : list of (int, int, int, int), optional
        Merged ranges as (first row, first column, last row, last column), 0-based.
    name : str, optional
        The sheet's name, for messages.

    Examples
    --------
    >>> grid = Grid([["指标", "完成率"], ["培训覆盖率", 0.965]], percent={(1, 1)}, merged=[(0, 0, 0, 1)])
    >>> grid.text(1, 1), grid.raw(1, 1), grid.number(1, 1), grid.row_texts(1)
    ('96.5%', '96.5%', 0.965, [(0, '培训覆盖率'), (1, '96.5%')])
    """

    def __init__(self, values: list[list], percent: set[tuple[int, int]] | None = None,
                 merged: list[tuple[int, int, int, int]] | None = None, name: str = ""):
        self.values = values
        self.nrows = len(values)
        self.ncols = max((len(row) for row in values), default=0)
        self.percent = percent or set()
        self.merged = merged or []
        self.name = name
        self.merges_known = False

    @classmethod
    def from_raw(cls, sheet: RawSheet) -> "Grid":
        """From a sheet as :func:`perfeval_lib.ingest.readers.read_file` reads it: values as shown, the
        workbook's merged ranges; a formula with no stored result is empty, unless it is only a
        constant (``=100%`` typed into a cell), which is read as the text typed.

        >>> import pandas as pd
        >>> raw = RawSheet("f.xlsx", "表", pd.DataFrame([["执行率", None], [None, "95.57%"]]),
        ...                bad_cells={(1, 0): ("formula", "=100%")}, merged=[(0, 0, 0, 1)], merges_known=True)
        >>> grid = Grid.from_raw(raw)
        >>> grid.values, grid.merged, grid.merges_known
        ([['执行率', None], ['=100%', '95.57%']], [(0, 0, 0, 1)], True)
        """
        values = [[None if v is None or (isinstance(v, float) and v != v) else v for v in row]
                  for row in sheet.cells.itertuples(index=False, name=None)]
        for (r, c), (kind, text) in sheet.bad_cells.items():
            if kind == "formula" and r < len(values) and c < len(values[r]) and CONSTANT_FORMULA.match(text):
                values[r][c] = text
        grid = cls(values, merged=list(sheet.merged), name=sheet.sheet or "")
        grid.merges_known = sheet.merges_known
        return grid

    @classmethod
    def from_rows(cls, rows: list[list], name: str = "") -> "Grid":
        """From rows of values (as calamine reads them: ``''`` for an empty cell; no formats, no merges)."""
        return cls([[None if v == "" else v for v in row] for row in rows], name=name)

    def value(self, r: int, c: int):
        """The cell's value as stored, None outside the sheet."""
        if 0 <= r < self.nrows and 0 <= c < len(self.values[r]):
            return self.values[r][c]
        return None

    def text(self, r: int, c: int) -> str:
        """The cell as clean text: a percent-formatted number as ``'95.5%'``, True/False as 是/否."""
        value = self.value(r, c)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if (r, c) in self.percent:
            return percent_text(float(value))
        return clean_text(value)

    def prose(self, r: int, c: int) -> str:
        """A free-text cell as typed (no NFKC folding: full-width punctuation stays)."""
        value = self.value(r, c)
        return value.strip() if isinstance(value, str) else self.text(r, c)

    def row_texts(self, r: int) -> list[tuple[int, str]]:
        """(column, text) of the row's non-empty cells."""
        return [(c, t) for c in range(self.ncols) if (t := self.text(r, c))]

    def blank(self, r: int) -> bool:
        """True when the row has no non-empty cell."""
        return not self.row_texts(r)

    def fill(self, rows: range, level_cols: set[int], down_cols: set[int]) -> None:
        """Copy each merged value into the merged cells of ``rows``.

        Across and down within the 一级/二级/三级 columns (``level_cols``: a name merged over them
        belongs to each), down only in ``down_cols``; a percent format travels with the value.
        """
        for r1, c1, r2, c2 in self.merged:
            if r2 < rows.start or r1 >= rows.stop:
                continue
            value = self.value(r1, c1)
            if value is None:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) == (r1, c1) or r >= self.nrows or c >= len(self.values[r]):
                        continue
                    if (c1 in level_cols and c in level_cols) or (c == c1 and c in down_cols):
                        self.values[r][c] = value
                        if (r1, c1) in self.percent:
                            self.percent.add((r, c))

    def number(self, r: int, c: int | None) -> float:
        """The cell as a number (NaN when it is empty or not a number, or ``c`` is None).

        >>> Grid([["1,234.5", "—", 3]]).number(0, 0), Grid([["1,234.5", "—", 3]]).number(0, 1)
        (1234.5, nan)
        """
        if c is None:
            return np.nan
        value = self.value(r, c)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(self.text(r, c).replace(",", ""))
        except ValueError:
            return np.nan

    def raw(self, r: int, c: int | None):
        """The cell as the table parsers take it: numbers as numbers (unless percent-formatted, then
        their percent text), a constant formula ``=95`` as ``'95'``, else text; None when empty.

        >>> Grid([[95, "=95", "=100%", ""]]).raw(0, 0), Grid([[95, "=95", "=100%"]]).raw(0, 1)
        (95, '95')
        """
        if c is None:
            return None
        value = self.value(r, c)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (r, c) not in self.percent:
            return value
        text = self.text(r, c)
        if CONSTANT_FORMULA.match(text) and not text.endswith("%"):
            return text[1:].strip()  # "=95" typed into a number column
        return text or None

    def fraction(self, r: int, c: int, header: str) -> float:
        """A rate cell (得分系数, 执行率) as a fraction 0–1.

        A percent-formatted number is already a fraction; another number is in percent points when
        the header says ``%`` or it is above 1.5; text is parsed (``95%``, ``0.95``). NaN for an empty
        or unreadable cell.

        >>> Grid([[0.9, 90, "90%", "—"]]).fraction(0, 0, "得分系数"), Grid([[0.9, 90]]).fraction(0, 1, "得分系数")
        (0.9, 0.9)
        """
        value = self.value(r, c)
        if value is None:
            return np.nan
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if (r, c) in self.percent:
                return float(value)
            return float(value) / 100.0 if "%" in clean_text(header) or abs(float(value)) > 1.5 else float(value)
        text = self.text(r, c)
        if text.lower() in MISSING_TOKENS:
            return np.nan
        try:
            return parse_percent(text)
        except ValueParseError:
            return np.nan

    def rate_text(self, r: int, c: int, header: str) -> str | None:
        """A rate cell as the percent text an indicator's 实际完成值 holds (``'96.5%'``).

        A number is in percent points when the header says ``%`` or it is above 2 (96.5), else a
        fraction typed without a percent format (0.965). None for an empty cell or a dash.

        >>> Grid([[96.5, 0.965, "—"]]).rate_text(0, 0, "执行率"), Grid([[96.5, 0.965]]).rate_text(0, 1, "执行率")
        ('96.5%', '96.5%')
        """
        value = self.value(r, c)
        if value is None:
            return None
        if isinstance(value, str) or (r, c) in self.percent:
            text = self.text(r, c)
            return None if text.lower() in MISSING_TOKENS else text
        number = float(value)
        if "%" in clean_text(header) or abs(number) > 2:
            return percent_text(number / 100.0)  # percent points (a 执行率（%） column, or 96.5)
        return percent_text(number)               # a fraction typed without a percent format

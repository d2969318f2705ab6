"""The numbers of a flattened table row: cells apart, glued together, or with an empty cell between.

Published tables reach the web as text in which a row's cells run together: ``880 880 880 10 10``,
``| 0.00 | 3.36 | 3.36 | 100.00% | 10 | |`` or, glued without separators, ``310.2154.741050%5``.
:func:`row_cells` reads the cells of a row from a position in the text; :func:`splits` gives every
way a glued run of digits can be cut into numbers. Which cut and which column each number belongs to
is decided by :mod:`.tables`, from the numbers' agreement.

Examples
--------
>>> [(c.text, c.percent) for c in row_cells("总额 | 0.00 | 3.36 | 100.00% | 10 | | 1.说明", 2)[0]]
[('0.00', False), ('3.36', False), ('100.00', True), ('10', False), ('', False)]
>>> [[str(n) for n in cut] for cut in splits("107.6", 2)]
[['10', '7.6']]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: A number cell: ``507.02``, ``1,200,000.00``, ``100.00%``.
NUMBER_CELL = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(%?)")
_RUN = re.compile(r"[\d.,]+%?")


@dataclass(frozen=True)
class Cell:
    """One run of a row as written: a number, a glued run of numbers, or an empty cell (``text == ""``).

    Attributes
    ----------
    text : str
        The digits as written (without the ``%``); ``""`` for an empty ``| |`` cell.
    percent : bool
        Written with ``%``.
    start, end : int
        Where the run is in the text.
    """

    text: str
    percent: bool
    start: int
    end: int


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n:：|":
        position += 1
    return position


def row_cells(text: str, position: int, label: re.Pattern | None = None) -> tuple[list[Cell], int]:
    """The number cells of one row starting at ``position`` (after an optional row label).

    Reading stops at the first cell that is neither a number nor empty: text, a dash, a list mark
    such as ``1.`` before words.

    Parameters
    ----------
    text : str
        The text, cells apart (spaces or ``|``) or glued.
    position : int
        Where the row starts.
    label : re.Pattern, optional
        A row label allowed before the numbers (``年度资金总额：``); matched at the row start.

    Returns
    -------
    cells : list of Cell
        In order; an empty ``| |`` cell is a :class:`Cell` with ``text == ""``.
    end : int
        Where the row's last cell ends.

    Examples
    --------
    >>> cells, end = row_cells("年度资金总额: 880 880 10 其中", 0, re.compile("年度资金总额"))
    >>> [c.text for c in cells], end
    (['880', '880', '10'], 18)
    """
    position = _skip(text, position)
    if label is not None:
        match = label.match(text, position)
        if match:
            position = match.end()
            while position < len(text) and text[position] in " \t:：":
                position += 1
    cells: list[Cell] = []
    end = position
    after_bar = False                                          # the last thing read was a | between cells
    while position < len(text):
        char = text[position]
        if char == "|":
            if after_bar and cells:
                cells.append(Cell("", False, position, position))
            after_bar = True
            position += 1
            continue
        if char == "\n" and after_bar and cells:
            break                                              # "| 10 |" ends its line: the row ends
        if char in " \t\n:：":
            position += 1
            continue
        if not cells and re.match(r"[A-Za-z](?![A-Za-z])", text[position:position + 2]):
            position += 1                                      # one stray OCR letter before the numbers
            continue
        run = _RUN.match(text, position)
        if not run:
            break
        written = run.group(0)
        if written.endswith(".") or text[run.end():run.end() + 1] == "、":
            break                                              # a list mark: 1. 2、
        digits = written.rstrip("%").strip(",")
        if not re.fullmatch(r"[\d.,]*\d[\d.,]*", digits):
            break
        cells.append(Cell(digits, written.endswith("%"), run.start(), run.end()))
        end = run.end()
        after_bar = False
        position = run.end()
    return cells, end


def _valid(part: str, glued: bool) -> bool:
    if not part or part.startswith(".") or part.endswith(".") or part.count(".") > 1:
        return False
    whole, _, decimals = part.partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        return False
    return not glued or (len(decimals) <= 4 and len(whole) <= 9)


def as_number(text: str) -> Decimal | None:
    """A cell's number (thousands separators allowed), or ``None`` when it is not one.

    Parameters
    ----------
    text : str
        The digits as written.

    Returns
    -------
    Decimal or None

    Examples
    --------
    >>> as_number("215,457.6"), as_number("1.2.3")
    (Decimal('215457.6'), None)
    """
    if not NUMBER_CELL.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def splits(run: str, parts: int) -> list[list[Decimal]]:
    """Every way to cut a glued run of digits into ``parts`` numbers, each written as numbers are.

    A part has at most one decimal point, no leading zero (``0`` and ``0.5`` excepted) and, when
    the run is cut, at most four decimals. A run with a thousands separator is never cut.

    Parameters
    ----------
    run : str
        Digits and decimal points, as written (``"64.864.864.8100"``).
    parts : int
        How many numbers.

    Returns
    -------
    list of list of Decimal
        Each cut, in order of the first part's length (longest first).

    Examples
    --------
    >>> [[str(n) for n in cut] for cut in splits("64.8100", 2)]
    [['64.810', '0'], ['64.8', '100'], ['6', '4.8100']]
    >>> splits("880", 1)
    [[Decimal('880')]]
    """
    if parts == 1:
        number = as_number(run)
        return [[number]] if number is not None else []
    if "," in run:
        return []
    out: list[list[Decimal]] = []

    def cut(rest: str, left: int, done: list[Decimal]) -> None:
        if len(out) > 200:
            return
        if left == 1:
            if _valid(rest, True):
                out.append(done + [Decimal(rest)])
            return
        for size in range(len(rest) - left + 1, 0, -1):
            head = rest[:size]
            if _valid(head, True):
                cut(rest[size:], left - 1, done + [Decimal(head)])

    cut(run, parts, [])
    return out

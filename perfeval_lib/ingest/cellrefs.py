"""``A1``-style cell references and Excel's own limits.

A reference is column letters then a row number (``XFD1048576``: column 16,384, row 1,048,576, the last
cell Excel allows). The sheet pass turns every reference of a piece of XML into numbers at once
(:func:`cell_positions`); messages name cells back (:func:`cell_name`).

Examples
--------
>>> column_number("A"), column_number("XFD"), cell_name(1048576, 16384)
(1, 16384, 'XFD1048576')
"""
from __future__ import annotations

import numpy as np

#: Excel's own limits: a cell beyond them is not a workbook a spreadsheet program wrote.
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384


def column_number(letters: str) -> int:
    """A column's letters as its 1-based number.

    >>> column_number("L")
    12
    """
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """A 1-based column number as its letters.

    >>> column_letters(16384)
    'XFD'
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """``A1``-style name of a 1-based row and column.

    >>> cell_name(3, 2)
    'B3'
    """
    return f"{column_letters(column)}{row}"


def cell_positions(refs: np.ndarray) -> np.ndarray:
    """(row, column), 0-based, of ``A1``-style references, all at once.

    Parameters
    ----------
    refs : numpy.ndarray of bytes
        References: capital letters then digits, at most 10 characters (longer ones are beyond Excel
        anyway: the caller refuses them first).

    Returns
    -------
    numpy.ndarray
        int64, shape (n, 2); a reference of more than 3 letters or 7 digits gives a row or column past
        Excel's (:data:`MAX_ROW`, :data:`MAX_COLUMN`), never a wrapped-around number.

    Examples
    --------
    >>> cell_positions(np.array([b"A1", b"J20001", b"XFD1048576"])).tolist()
    [[0, 0], [20000, 9], [1048575, 16383]]
    """
    width = refs.dtype.itemsize
    codes = np.ascontiguousarray(refs).view(np.uint8).reshape(len(refs), width)  # zero-padded on the right
    row, column = np.zeros(len(refs), dtype=np.int64), np.zeros(len(refs), dtype=np.int64)
    for place in range(width):  # Horner's rule, one character position at a time for every reference
        code = codes[:, place].astype(np.int64)
        column = np.where(code >= 65, column * 26 + code - 64, column)
        row = np.where((code >= 48) & (code <= 57), row * 10 + code - 48, row)
    return np.stack([row - 1, column - 1], axis=1)

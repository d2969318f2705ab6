"""The one CSV writer: every CSV perfeval writes goes through :func:`write_csv`, so no cell is a formula.

A CSV is opened in Excel or WPS by the people it is sent to, and a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) is run as a formula there — ``=HYPERLINK(…)``
leaks data, ``=cmd|' /C calc'!A0`` starts a program (OWASP “CSV injection”). The units' files are not
trusted, so any text cell that starts so is written with a leading apostrophe, which spreadsheet
programs show as text; a text that is just a number (``-3.5``, ``+2%``) is left alone, and real
numbers are written as numbers. Files are UTF-8 with a BOM (so Excel shows the Chinese) and written
atomically.

Examples
--------
>>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-3.5"), neutralise("@SUM(A1)"), neutralise(-3.5)
('\\'=HYPERLINK("http://x")', '-3.5', "'@SUM(A1)", -3.5)
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .files import atomic_path

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def is_formula(text: object) -> bool:
    """Whether a spreadsheet program would read this text cell as a formula (or a DDE command).

    Parameters
    ----------
    text : object
        A cell; only ``str`` can be a formula.

    Returns
    -------
    bool
        True for text starting with one of :data:`FORMULA_STARTS` that is not just a number.

    Examples
    --------
    >>> is_formula("+1+cmd|' /C calc'!A0"), is_formula("+2%"), is_formula("说明"), is_formula(1.5)
    (True, False, False, False)
    """
    return isinstance(text, str) and text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(value):
    """``value`` as a CSV cell that no spreadsheet program runs: formulas get a leading apostrophe.

    Parameters
    ----------
    value : object
        A cell.

    Returns
    -------
    object
        ``"'" + value`` when :func:`is_formula`, else ``value`` unchanged.

    Examples
    --------
    >>> neutralise("\\t=1+2"), neutralise("=1+2")
    ("'\\t=1+2", "'=1+2")
    """
    return "'" + value if is_formula(value) else value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are :func:`neutralise` d.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any columns; only object and string columns are looked at (numbers stay numbers).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not modified.

    Examples
    --------
    >>> neutralised(pd.DataFrame({"name": ["=1+2", "甲"], "gap": [-3.5, 2.0]})).values.tolist()
    [["'=1+2", -3.5], ['甲', 2.0]]
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            mask = np.fromiter((is_formula(v) for v in values), dtype=bool, count=len(values))
            if mask.any():
                out[column] = values.astype(object).where(~mask, values[mask].map(lambda v: "'" + v))
    out.columns = [neutralise(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as a CSV no spreadsheet program runs anything from (UTF-8 with BOM, atomically).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, written without its index; text cells are :func:`neutralise` d, numbers stay numbers.
    path : str or pathlib.Path
        The file (its folder is created when missing).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_csv(pd.DataFrame({"unit_name": ["@SUM(1+1)"], "score_gap": [-2.5]}), Path(folder) / "r.csv")
    ...     written.read_text(encoding="utf-8-sig").splitlines()
    ['unit_name,score_gap', "'@SUM(1+1),-2.5"]
    """
    target = Path(path)
    with atomic_path(target) as temporary:
        neutralised(frame).to_csv(temporary, index=False, encoding="utf-8-sig")
    return target

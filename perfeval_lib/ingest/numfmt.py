r"""Number formats: what a spreadsheet cell shows, not only what it stores (rules.md §2c).

A finance office types 95.57 % and Excel stores 0.9557 with the format ``0.00%``; it types 85.5 into
a cell formatted ``0.0"%"`` and the cell shows 85.5 %; a unit code 001234 formatted ``000000`` is
stored as the number 1234. Reading the stored number alone gets each of these wrong, so a cell's
number format is part of its value: :func:`format_kind` says which formats carry a meaning and
:func:`shown_value` gives the value as the spreadsheet shows it (full precision, never rounded to
the format's decimals).

Examples
--------
>>> format_kind("0.00%"), format_kind('0.0"%"'), format_kind("000000"), format_kind("#,##0.00")
(('percent', 0), ('literal_percent', 0), ('zero_pad', 6), None)
>>> shown_value(0.9557, ("percent", 0)), shown_value(85.5, ("literal_percent", 0)), shown_value(1234.0, ("zero_pad", 6))
('95.57%', '85.5%', '001234')
"""
from __future__ import annotations

import math
import re

#: Excel's built-in number formats that carry a meaning (ids of ECMA-376 §18.8.30).
BUILTIN_FORMATS = {9: "0%", 10: "0.00%"}

_QUOTED = re.compile(r'"[^"]*"')
_ESCAPED = re.compile(r"\\.")
_BRACKETS = re.compile(r"\[[^\]]*\]")


def format_kind(code: str | None) -> tuple[str, int] | None:
    r"""What a number format means for the value, or None when it only changes the look.

    Parameters
    ----------
    code : str or None
        The format code as stored in the workbook (``0.00%``, ``0.0"%"``, ``000000``, ``General``).
        Only its first section (positive numbers) counts.

    Returns
    -------
    tuple or None
        ``('percent', 0)``: the number is a fraction shown as a percentage (0.9557 → 95.57 %);
        ``('literal_percent', 0)``: the number is shown with a typed ``%`` after it (85.5 → 85.5 %);
        ``('zero_pad', n)``: an integer shown with ``n`` digits (a code with leading zeros);
        None for any other format (decimals, thousands separators, dates — dates are read as dates).

    Examples
    --------
    >>> format_kind("0%"), format_kind('#,##0.0\\%'), format_kind("[Red]0.00%;-0.00%"), format_kind("General")
    (('percent', 0), ('literal_percent', 0), ('percent', 0), None)
    """
    if not code:
        return None
    section = code.split(";")[0]
    bare = _BRACKETS.sub("", _ESCAPED.sub("", _QUOTED.sub("", section)))
    if "%" in bare:
        return "percent", 0
    literal = "".join(_QUOTED.findall(section)) + "".join(_ESCAPED.findall(section))
    if "%" in literal or "％" in literal:
        return "literal_percent", 0
    digits = _BRACKETS.sub("", section).strip()
    if len(digits) > 1 and set(digits) == {"0"}:
        return "zero_pad", len(digits)
    return None


def _plain(number: float) -> str:
    """A number written out with up to 10 decimals, no exponent, no trailing zeros."""
    text = repr(round(number, 10))  # the shortest text of the rounded number: fast, and exact for 95.57
    if "e" in text or "n" in text:
        text = f"{number:.10f}".rstrip("0").rstrip(".")
    elif text.endswith(".0"):
        text = text[:-2]
    return "0" if text in ("", "-0") else text


def shown_value(value, kind: tuple[str, int] | None):
    """The value as the spreadsheet shows it, for a cell whose format has a meaning.

    Parameters
    ----------
    value : object
        The stored value (a number for the formats of :func:`format_kind`; anything else is
        returned unchanged).
    kind : tuple or None
        :func:`format_kind` of the cell's format.

    Returns
    -------
    object
        ``'95.57%'`` for 0.9557 with a percent format (every stored decimal kept: 0.95574 →
        ``'95.574%'``), ``'85.5%'`` for 85.5 with a literal ``%``, ``'001234'`` for 1234 with
        ``000000``; the value unchanged otherwise (text, booleans, dates, a non-integer under a
        zero-padded format).

    Examples
    --------
    >>> shown_value(1, ("percent", 0)), shown_value(0.025, ("percent", 0)), shown_value("95%", ("percent", 0))
    ('100%', '2.5%', '95%')
    >>> shown_value(12.5, ("zero_pad", 6)), shown_value(7.0, None)
    (12.5, 7.0)
    """
    if kind is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    number = float(value)
    if not math.isfinite(number):
        return value
    name, width = kind
    if name == "percent":
        return _plain(number * 100.0) + "%"
    if name == "literal_percent":
        return _plain(number) + "%"
    if name == "zero_pad" and number.is_integer() and number >= 0:
        return str(int(number)).zfill(width)
    return value

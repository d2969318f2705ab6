"""One rule for showing numbers, everywhere: terminal, HTML, Word, CSV and Excel.

==============  ====================================  =====================
kind            shown as                              stored in CSV / Excel
==============  ====================================  =====================
money (万元)     2 decimals: ``3339.66``               rounded to 2 decimals
rate (fraction)  percent, 1 decimal: ``98.9%``         rounded to 0.001 (= 0.1 %)
score (points)   2 decimals: ``98.00``, ``7.60``        rounded to 2 decimals
diff (points)    signed, 2 decimals: ``+1.50``, never   rounded to 2 decimals
                 ``-0.00`` or ``+0.00`` (``0.00``)
count            integer: ``3``                        integer
==============  ====================================  =====================

Rounding is half-up on the decimal value as written (98.845 → 98.85, as 四舍五入 in a finance office),
never on the binary float (where 98.845 is 98.8449999…); the string shown and the number stored in a
CSV or workbook are rounded the same way, so a table read back equals the screen. Missing values are
shown as ``—`` and stored empty. Grades are given on the unrounded totals (rules.md §3), not here.

Columns are known by their canonical names (:data:`COLUMN_KINDS`) or by name patterns (``*_rate``,
``*_score``, ``*_gap``), so a new table (``compare``) needs no registration when it follows them.

Examples
--------
>>> money(3339.6600000000003), rate(0.98845), score(98), diff(-0.001), diff(1.5)
('3339.66', '98.8%', '98.00', '0.00', '+1.50')
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd

#: What a missing value is shown as.
MISSING = "—"

#: Decimals kept per kind (rates as fractions: 3 decimals = 1 decimal of a percent).
DECIMALS = {"money": 2, "rate": 3, "score": 2, "diff": 2, "count": 0}

#: The kind of every canonical numeric column shown to users.
COLUMN_KINDS = {
    "budget_initial": "money", "budget_final": "money", "executed": "money", "executed_cum": "money",
    "executed_month": "money", "unspent": "money", "budget_wan": "money", "executed_wan": "money",
    "execution_rate": "rate", "progress": "rate", "lag": "rate",
    "score": "score", "claimed_score": "score", "weight": "score", "weight_total": "score",
    "claimed_detail": "score", "self_score": "score", "mean_score": "score", "mean_claimed": "score",
    "score_gap": "diff", "gap": "diff",
    "n_indicators": "count", "n_findings": "count", "n_not_applicable": "count", "n_unscored": "count",
    "row": "count", "rank": "count",
}


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, (float, np.floating)) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def _decimal(value, decimals: int, scale: int = 1) -> Decimal | None:
    """``value × scale`` rounded half-up to ``decimals`` as a Decimal (no negative zero); None when missing."""
    if _missing(value):
        return None
    try:
        number = Decimal(repr(float(value))) * scale
    except (TypeError, ValueError, InvalidOperation):
        return None
    if not number.is_finite():
        return None
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def round_half_up(value, decimals: int) -> float:
    """``value`` rounded half-up to ``decimals`` places (NaN when missing; never ``-0.0``).

    Parameters
    ----------
    value : float or None
    decimals : int

    Returns
    -------
    float

    Examples
    --------
    >>> round_half_up(98.845, 2), round_half_up(2.675, 2), round_half_up(-0.004, 2), round_half_up(None, 2)
    (98.85, 2.68, 0.0, nan)
    """
    rounded = _decimal(value, decimals)
    return float("nan") if rounded is None else float(rounded)


def money(value, decimals: int = 2) -> str:
    """An amount in 万元 with 2 decimals, no thousands separator: ``507.02``, ``3339.66``; ``—`` when missing.

    rules.md §3 (display): money with 2 decimals (507.02 万元).

    Parameters
    ----------
    value : float or None
        An amount in 万元 (text is shown as missing, never parsed here).
    decimals : int, default 2

    Returns
    -------
    str

    Examples
    --------
    >>> money(1234.5), money(3339.6600000000003), money(-0.001), money(None)
    ('1234.50', '3339.66', '0.00', '—')
    """
    rounded = _decimal(value, decimals)
    return MISSING if rounded is None else f"{rounded:.{decimals}f}"


def rate(value, decimals: int = 1) -> str:
    """A fraction as a percent with 1 decimal: ``0.98845`` → ``98.8%``; ``—`` when missing.

    rules.md §3 (display): rates with 1 decimal (100.0 %).

    Parameters
    ----------
    value : float or None
        A rate as a fraction (may exceed 1).
    decimals : int, default 1
        Decimals of the percent.

    Returns
    -------
    str

    Examples
    --------
    >>> rate(1.0), rate(0.49884), rate(0.98855), rate(-0.0001), rate(None)
    ('100.0%', '49.9%', '98.9%', '0.0%', '—')
    """
    rounded = _decimal(value, decimals, scale=100)
    return MISSING if rounded is None else f"{rounded:.{decimals}f}%"


def score(value, decimals: int = 2) -> str:
    """Points with 2 decimals, always: ``98`` → ``98.00``, ``93.0796`` → ``93.08``; ``—`` when missing.

    Scores, weights and totals are shown alike, so a column never mixes ``98``, ``7.6`` and ``93.08``.

    Parameters
    ----------
    value : float or None
        Points.
    decimals : int, default 2
        0 shows an integer (a rank).

    Returns
    -------
    str

    Examples
    --------
    >>> score(98.0), score(93.079556), score(7.6), score(-0.001), score(3, 0)
    ('98.00', '93.08', '7.60', '0.00', '3')
    """
    rounded = _decimal(value, decimals)
    return MISSING if rounded is None else f"{rounded:.{decimals}f}"


def diff(value, decimals: int = 2) -> str:
    """A difference in points with its sign: ``+1.50``, ``-2.00``; one that rounds to zero is ``0.00``.

    Parameters
    ----------
    value : float or None
        A difference (claimed − recomputed).
    decimals : int, default 2

    Returns
    -------
    str
        Never ``-0.00``, ``+0.00``, ``-0`` or ``+0``.

    Examples
    --------
    >>> diff(3.5), diff(-2.0), diff(0.004), diff(-0.004), diff(2, 0), diff(None)
    ('+3.50', '-2.00', '0.00', '0.00', '+2', '—')
    """
    rounded = _decimal(value, decimals)
    if rounded is None:
        return MISSING
    return ("+" if rounded > 0 else "") + f"{rounded:.{decimals}f}"


def count(value) -> str:
    """A whole number: ``3``; ``—`` when missing.

    Parameters
    ----------
    value : float, int or None
        A count (问题数, 指标数, a rank).

    Returns
    -------
    str

    Examples
    --------
    >>> count(3.0), count(None)
    ('3', '—')
    """
    rounded = _decimal(value, 0)
    return MISSING if rounded is None else f"{rounded:.0f}"


#: The formatter of each kind.
FORMATTERS = {"money": money, "rate": rate, "score": score, "diff": diff, "count": count}


def column_kind(name: str) -> str | None:
    """The kind of a column by its name: :data:`COLUMN_KINDS`, else a pattern, else None (left as is).

    Patterns: ``*_rate`` → rate; ``*_gap`` / ``*_diff`` / ``diff_*`` → diff; ``score*`` / ``*_score`` /
    ``claimed*`` → score; ``budget*`` / ``executed*`` → money; ``n_*`` → count.

    Parameters
    ----------
    name : str

    Returns
    -------
    str or None
        ``'money'``, ``'rate'``, ``'score'``, ``'diff'``, ``'count'`` or None.

    Examples
    --------
    >>> column_kind("execution_rate"), column_kind("score_mof-2020"), column_kind("gap_b_a"), column_kind("unit_name")
    ('rate', 'score', 'diff', None)
    """
    name = str(name)
    if name in COLUMN_KINDS:
        return COLUMN_KINDS[name]
    if name.endswith("_rate"):
        return "rate"
    if name.endswith(("_gap", "_diff")) or name.startswith(("gap_", "diff_")):
        return "diff"
    if name.startswith(("score", "claimed")) or name.endswith("_score"):
        return "score"
    if name.startswith(("budget", "executed")):
        return "money"
    if name.startswith("n_"):
        return "count"
    return None


def _kinds(frame: pd.DataFrame, kinds: dict | None) -> dict[str, str]:
    found = {}
    for column in frame.columns:
        kind = (kinds or {}).get(column, column_kind(column))
        if kind and pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            found[column] = kind
    return found


def _clean_float(value):
    """Another float column: binary noise removed (3339.6600000000003 → 3339.66), 12 significant digits."""
    if _missing(value):
        return value
    return float(f"{float(value):.12g}")


def rounded_frame(frame: pd.DataFrame, kinds: dict | None = None) -> pd.DataFrame:
    """A new frame with every numeric column rounded as it is shown (for CSV and Excel).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table with canonical column names (money in 万元, rates as fractions, scores in points).
    kinds : dict, optional
        Column → kind, for columns :func:`column_kind` does not know.

    Returns
    -------
    pandas.DataFrame
        Same columns: money, scores and differences rounded to 2 decimals, rates (fractions) to 3,
        counts to integers (``Int64``), other float columns cleaned of binary noise (12 significant
        digits); text untouched.

    Examples
    --------
    >>> frame = pd.DataFrame({"budget_final": [3339.6600000000003], "execution_rate": [0.98855],
    ...                       "score": [93.079556], "score_gap": [-0.001], "unit_name": ["甲"]})
    >>> rounded_frame(frame).to_dict("records")
    [{'budget_final': 3339.66, 'execution_rate': 0.989, 'score': 93.08, 'score_gap': 0.0, 'unit_name': '甲'}]
    """
    out = {}
    known = _kinds(frame, kinds)
    for column in frame.columns:
        values = frame[column]
        kind = known.get(column)
        if kind == "count":
            out[column] = pd.array([None if _missing(v) else int(round_half_up(v, 0)) for v in values], dtype="Int64")
        elif kind:
            out[column] = pd.Series([round_half_up(v, DECIMALS[kind]) for v in values], index=values.index,
                                    dtype="float64")
        elif pd.api.types.is_float_dtype(values):
            out[column] = values.map(_clean_float)
        else:
            out[column] = values
    return pd.DataFrame(out, index=frame.index)


def display_frame(frame: pd.DataFrame, labels: dict | None = None, kinds: dict | None = None) -> pd.DataFrame:
    """A new frame of display strings with Chinese headers, as the terminal shows it.

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical columns.
    labels : dict, optional
        Column → header (default: the column name itself).
    kinds : dict, optional
        Column → kind, for columns :func:`column_kind` does not know.

    Returns
    -------
    pandas.DataFrame
        Every cell a string: numbers by :data:`FORMATTERS`, missing values ``—``.

    Examples
    --------
    >>> frame = pd.DataFrame({"score": [98.0, None], "score_gap": [-0.001, 1.2], "unit_code": ["A", None]})
    >>> display_frame(frame, {"score": "复核得分"}).values.tolist()
    [['98.00', '0.00', 'A'], ['—', '+1.20', '—']]
    """
    known = _kinds(frame, kinds)
    shown = {}
    for column in frame.columns:
        kind = known.get(column)
        if kind:
            shown[column] = frame[column].map(FORMATTERS[kind])
        else:
            shown[column] = frame[column].map(lambda v: MISSING if _missing(v) else str(v))
    result = pd.DataFrame(shown, index=frame.index)
    return result.rename(columns=labels or {})

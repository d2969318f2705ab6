"""Execution rate and the other 共性指标 formulas, as DataFrame-in, DataFrame-out functions.

Money is in 万元 and every rate is a fraction (0.95, not 95). A zero or missing denominator gives a
missing rate (never a division by zero); a rate above 1 is kept as it is (executed can exceed the
budget when other funds are counted).

Examples
--------
>>> import pandas as pd
>>> budget = pd.DataFrame({"unit_code": ["A", "A"], "year": [2022, 2022], "budget_initial": [300.0, 10.0],
...                        "budget_final": [400.0, 100.0], "executed": [380.0, 95.0]})
>>> execution_rate(budget)[["budget_final", "executed", "execution_rate"]].values.tolist()
[[500.0, 475.0, 0.95]]
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

BY_UNIT_YEAR = ("unit_code", "year")


def exact_sum(values: pd.Series) -> float:
    """The correctly rounded sum of the values that are there (``math.fsum``); NaN when none is.

    A floating-point sum depends on the order and grouping of its terms; this one does not, so a unit's
    total is the same whether it is added up alone or with the whole district (2852.13 + 200.05 +
    123.97 + 163.51 is 3339.66 one way and 3339.6600000000003 another; this gives the latter, the
    float nearest the exact sum of the four floats, every time).

    Parameters
    ----------
    values : pandas.Series
        Numbers (万元, points …); missing values are skipped.

    Returns
    -------
    float
        The sum, or NaN when every value is missing (as ``sum(min_count=1)``).

    Examples
    --------
    >>> exact_sum(pd.Series([0.1] * 10)), exact_sum(pd.Series([np.nan, np.nan]))
    (1.0, nan)
    """
    present = values.dropna()
    return math.fsum(present) if len(present) else np.nan


def safe_ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator, missing where the denominator is zero or missing.

    rules.md §1: a zero or missing budget leaves the rate undefined — never a division by zero.

    Parameters
    ----------
    numerator, denominator : array-like of float
        Broadcastable to each other (scalars, lists, arrays, Series).

    Returns
    -------
    numpy.ndarray
        float64; NaN where the denominator is 0, NaN or infinite.

    Examples
    --------
    >>> safe_ratio([1.0, 1.0, 2.0], [2.0, 0.0, np.nan]).tolist()
    [0.5, nan, nan]
    """
    numerator = np.asarray(numerator, dtype="float64")
    denominator = np.asarray(denominator, dtype="float64")
    valid = np.isfinite(denominator) & (denominator != 0)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=valid)
    return out


def execution_rate(budget: pd.DataFrame, by=BY_UNIT_YEAR, denominator: str = "budget_final",
                   round_to: float | None = None) -> pd.DataFrame:
    """Budget, executed and execution rate per group (default: per unit and year).

    rules.md §1: rate = 全年执行数 / 全年预算数 (调整后预算数); some places divide by 年初预算数, hence
    ``denominator`` (a ruleset setting, ``execution_rate.denominator``). Executed can exceed the budget
    when other funds are counted (seen: 69.06 budget, 76.36 spent): the raw rate (> 1) is kept here and
    only the score is capped. A zero or missing budget gives a missing rate.

    Parameters
    ----------
    budget : pandas.DataFrame
        Canonical budget lines; reads the ``by`` columns (default ``unit_code, year``),
        ``budget_final (万元)``, ``executed (万元)`` and, when present, ``budget_initial (万元)``.
    by : sequence of str, default ``("unit_code", "year")``
        Columns to group by, e.g. ``("unit_code", "year", "category")``.
    denominator : {'budget_final', 'budget_initial'}, default ``'budget_final'``
        ``budget_final`` (全年/调整后预算数) or ``budget_initial`` (年初预算数). A denominator column the
        table lacks gives missing rates.
    round_to : float, optional
        Round the rate to this step first (``0.01`` = whole percent), as some forms do: rules.md §1,
        seen 154.74 / 310.2 = 49.88 % printed as 50 % and scored 5.0 (ruleset ``round_rate_to``).

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted: the ``by`` columns, the sums ``budget_initial (万元)`` (when
        present), ``budget_final (万元)``, ``executed (万元)`` (missing when every line is missing),
        ``execution_rate`` (fraction, may exceed 1; NaN for a zero or missing denominator) and
        ``over_budget`` (bool: executed > denominator).

    Raises
    ------
    KeyError
        When ``executed`` or a ``by`` column is missing from a non-empty ``budget``.

    Examples
    --------
    >>> b = pd.DataFrame({"unit_code": ["A"], "year": [2022], "budget_final": [310.2], "executed": [154.74]})
    >>> round(float(execution_rate(b, round_to=0.01)["execution_rate"].iloc[0]), 4)
    0.5
    >>> b = pd.DataFrame({"unit_code": ["A", "B"], "year": [2022, 2022], "budget_final": [69.06, 0.0],
    ...                   "executed": [76.36, 5.0]})
    >>> out = execution_rate(b)
    >>> out["execution_rate"].round(4).tolist(), out["over_budget"].tolist()
    ([1.1057, nan], [True, True])
    """
    by = list(by)
    money = [c for c in ("budget_initial", "budget_final", "executed") if c in budget.columns]
    if budget.empty:
        return pd.DataFrame(columns=[*by, *money, "execution_rate", "over_budget"])
    totals = budget.groupby(by, dropna=False, sort=True)[money].agg(exact_sum).reset_index()
    if denominator not in totals.columns:
        totals[denominator] = np.nan
    rate = safe_ratio(totals["executed"], totals[denominator])
    if round_to:
        rate = np.round(rate / round_to) * round_to
    return totals.assign(execution_rate=rate,
                         over_budget=(totals["executed"] > totals[denominator]).fillna(False).astype(bool))


def spending_progress(spending: pd.DataFrame, budget: pd.DataFrame, denominator: str = "budget_final",
                      targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cumulative monthly spending as a share of the year's budget, beside the progress line.

    The progress line defaults to an even one (month / 12); pass ``targets`` (columns ``month``,
    ``target``) for a place that publishes its own monthly targets. rules.md §2: the Guangdong /
    Guangzhou monthly spending-progress targets were not found in any primary text, so the even line
    is a default, not a published rule (unverified).

    Parameters
    ----------
    spending : pandas.DataFrame
        Monthly rows; reads ``unit_code, year, month, executed_cum (万元, cumulative from January)``.
    budget : pandas.DataFrame
        Budget lines; reads ``unit_code, year``, the ``denominator`` column (万元) and ``executed``
        (万元), summed per unit-year by :func:`execution_rate`.
    denominator : {'budget_final', 'budget_initial'}, default ``'budget_final'``
        The budget the spending is measured against.
    targets : pandas.DataFrame, optional
        ``month`` (1–12) and ``target`` (the cumulative share expected by then, a fraction).

    Returns
    -------
    pandas.DataFrame
        The spending rows with the unit-year's ``denominator`` column (万元) and ``progress``
        (executed_cum / budget, fraction), ``target`` (fraction; NaN for a month the line lacks) and
        ``lag`` (target − progress, fraction: positive means behind), each rounded to 10 decimals.
        A unit-year with no budget has missing progress.

    Raises
    ------
    KeyError
        When ``spending`` has no ``executed_cum`` column (only monthly amounts) or ``budget`` lacks
        a column named above.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_code": ["A"] * 2, "year": [2022] * 2, "month": [6, 12], "executed_cum": [30.0, 95.0]})
    >>> b = pd.DataFrame({"unit_code": ["A"], "year": [2022], "budget_final": [100.0], "executed": [95.0]})
    >>> spending_progress(s, b)[["month", "progress", "target", "lag"]].values.tolist()
    [[6.0, 0.3, 0.5, 0.2], [12.0, 0.95, 1.0, 0.05]]
    """
    rates = execution_rate(budget, denominator=denominator)[["unit_code", "year", denominator]]
    merged = spending.merge(rates, on=["unit_code", "year"], how="left")
    line = (targets.set_index("month")["target"] if targets is not None
            else pd.Series(np.arange(1, 13) / 12.0, index=range(1, 13)))
    progress = safe_ratio(merged["executed_cum"], merged[denominator])
    target = merged["month"].map(line).to_numpy(dtype="float64")
    return merged.assign(progress=np.round(progress, 10), target=np.round(target, 10),
                         lag=np.round(target - progress, 10))


def change_rate(current, previous) -> np.ndarray:
    """(current − previous) / previous, e.g. "三公"经费变动率; missing when previous is 0.

    rules.md §2, 部门整体 共性指标 (财预〔2013〕53号 framework, seen in Hunan-derived tables):
    "三公"经费变动率 = (本年 − 上年) / 上年.

    Parameters
    ----------
    current, previous : array-like of float
        This year's and last year's amounts (万元), broadcastable.

    Returns
    -------
    numpy.ndarray
        float64 fractions (negative for a fall); NaN where ``previous`` is 0 or missing.

    Examples
    --------
    >>> change_rate([95.0], [100.0]).round(4).tolist()
    [-0.05]
    """
    current = np.asarray(current, dtype="float64")
    return safe_ratio(current - np.asarray(previous, dtype="float64"), previous)


def staff_control_rate(staff, authorised) -> np.ndarray:
    """在职人员控制率 = 在职人员数 / 编制数.

    rules.md §2, 部门整体 共性指标 (财预〔2013〕53号 framework, seen in Hunan-derived tables).

    Parameters
    ----------
    staff, authorised : array-like of float
        Staff in post (在职人员数) and authorised posts (编制数), broadcastable.

    Returns
    -------
    numpy.ndarray
        float64 fractions; NaN where ``authorised`` is 0 or missing.

    Examples
    --------
    >>> staff_control_rate([48], [50]).tolist()
    [0.96]
    """
    return safe_ratio(staff, authorised)


def carryover_rate(carryover, budget) -> np.ndarray:
    """结转结余率 = 结转结余总额 / 预算数.

    rules.md §2, 部门整体 共性指标 (财预〔2013〕53号 framework, seen in Hunan-derived tables).

    Parameters
    ----------
    carryover, budget : array-like of float
        Carry-over and balance (结转结余总额) and the budget (预算数), both in 万元, broadcastable.

    Returns
    -------
    numpy.ndarray
        float64 fractions; NaN where ``budget`` is 0 or missing.

    Examples
    --------
    >>> carryover_rate([5.0], [100.0]).tolist()
    [0.05]
    """
    return safe_ratio(carryover, budget)

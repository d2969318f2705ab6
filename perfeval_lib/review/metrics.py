"""Execution rate and the other 共性指标 formulas, as DataFrame-in, DataFrame-out functions.

A zero or missing denominator gives a missing rate (never a division by zero); a rate above 1 is
kept as it is (executed can exceed the budget when other funds are counted).

Examples
--------
>>> import pandas as pd
>>> budget = pd.DataFrame({"unit_code": ["A", "A"], "year": [2022, 2022], "budget_initial": [300.0, 10.0],
...                        "budget_final": [400.0, 100.0], "executed": [380.0, 95.0]})
>>> execution_rate(budget)[["budget_final", "executed", "execution_rate"]].values.tolist()
[[500.0, 475.0, 0.95]]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

BY_UNIT_YEAR = ("unit_code", "year")


def safe_ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator, missing where the denominator is zero or missing.

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

    Parameters
    ----------
    budget : canonical budget lines.
    by : columns to group by, e.g. ``("unit_code", "year", "category")``.
    denominator : ``"budget_final"`` (全年/调整后预算数, default) or ``"budget_initial"`` (年初预算数).
    round_to : round the rate to this step first (``0.01`` = whole percent), as some forms do.

    Returns
    -------
    DataFrame with ``by`` columns, ``budget_initial``, ``budget_final``, ``executed``,
    ``execution_rate`` (fraction, may exceed 1) and ``over_budget`` (executed > denominator).

    Examples
    --------
    >>> b = pd.DataFrame({"unit_code": ["A"], "year": [2022], "budget_final": [310.2], "executed": [154.74]})
    >>> round(float(execution_rate(b, round_to=0.01)["execution_rate"].iloc[0]), 4)
    0.5
    """
    by = list(by)
    money = [c for c in ("budget_initial", "budget_final", "executed") if c in budget.columns]
    if budget.empty:
        return pd.DataFrame(columns=[*by, *money, "execution_rate", "over_budget"])
    totals = budget.groupby(by, dropna=False, sort=True)[money].sum(min_count=1).reset_index()
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
    ``target``) for a place that publishes its own monthly targets.

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

    >>> change_rate([95.0], [100.0]).round(4).tolist()
    [-0.05]
    """
    current = np.asarray(current, dtype="float64")
    return safe_ratio(current - np.asarray(previous, dtype="float64"), previous)


def staff_control_rate(staff, authorised) -> np.ndarray:
    """在职人员控制率 = 在职人员数 / 编制数.

    >>> staff_control_rate([48], [50]).tolist()
    [0.96]
    """
    return safe_ratio(staff, authorised)


def carryover_rate(carryover, budget) -> np.ndarray:
    """结转结余率 = 结转结余总额 / 预算数.

    >>> carryover_rate([5.0], [100.0]).tolist()
    [0.05]
    """
    return safe_ratio(carryover, budget)

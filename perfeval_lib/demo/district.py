"""The whole invented district, built in memory: units, plan, budget, spending, indicators and the
claimed totals, with the table of planted errors. :func:`_build` runs every part from its own seeded
stream in a fixed order and returns a :class:`_Demo` holding all tables; :func:`_claims` sums each
unit-year's indicator scores into 自评总分/自评等级 and plants the inflated totals and the inconsistent
grade; :func:`planted_errors` is the public view of the findings an audit should make.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import pandas as pd

from .budget import _budget, _budget_totals, _spending, _unit_year_budget
from .indicators import _indicators
from .names import DEFAULT_N_UNITS, DEFAULT_SEED, DEFAULT_YEARS, YUAN_UNIT, _rng
from .planted import _ERROR_ORDER, _Plan, _error, _plan
from .scoring import _GRADES, grade_of
from .units import _units


def _claims(indicators: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """The claimed totals: unit_code, year, detail_sum (the rows' 自评得分 summed, 1 decimal),
    claimed_total (自评总分; three inflated by 3–6 points, at most 100) and claimed_grade (自评等级; one
    inconsistent with its total)."""
    claims = (indicators.groupby(["unit_code", "year"], sort=False)["claimed_score"].sum().round(1)
              .rename("detail_sum").reset_index())
    claims["claimed_total"] = claims["detail_sum"]
    free = ~pd.Series([k in plan.used for k in zip(claims["unit_code"], claims["year"])], index=claims.index)
    free &= claims["unit_code"].ne(YUAN_UNIT)
    room = claims.index[free & (claims["detail_sum"] <= 97)]  # leaves room for +3 below 100
    if len(room) < 3:
        room = claims[free].nsmallest(3, "detail_sum").index
    inflated = rng.choice(room, size=3, replace=False)
    for index in inflated:
        bump = rng.uniform(3, 6)
        claims.loc[index, "claimed_total"] = round(min(100.0, claims.loc[index, "detail_sum"] + bump), 1)
    claims["claimed_grade"] = claims["claimed_total"].map(grade_of)
    for index in sorted(inflated):
        row = claims.loc[index]
        _error(errors, row["unit_code"], row["year"], "claim_total_inflated",
               f"自评总分 {row['claimed_total']:.1f} 高于指标自评得分之和 {row['detail_sum']:.1f}"
               f"（+{row['claimed_total'] - row['detail_sum']:.1f}）")
    free.loc[inflated] = False
    below = claims.index[free & (claims["claimed_total"] < 90)]
    index = rng.choice(below) if len(below) else rng.choice(claims.index[free])
    right = claims.loc[index, "claimed_grade"]
    grades = [g for _, g in _GRADES]
    wrong = grades[grades.index(right) - 1] if right != "优" else "良"
    claims.loc[index, "claimed_grade"] = wrong
    _error(errors, claims.loc[index, "unit_code"], claims.loc[index, "year"], "claim_grade_inconsistent",
           f"自评总分 {claims.loc[index, 'claimed_total']:.1f} 应为「{right}」，填报为「{wrong}」")
    return claims


@dataclass
class _Demo:
    """Every table of one generated district, before it is written (money in 万元)."""

    units: pd.DataFrame
    lines: pd.DataFrame
    totals: pd.DataFrame
    spending: pd.DataFrame
    indicators: pd.DataFrame
    claims: pd.DataFrame
    errors: pd.DataFrame


def _build(seed: int, n_units: int, years: Sequence[int]) -> _Demo:
    """Generate the whole district in memory; the errors table is sorted by kind (``_ERROR_ORDER``),
    unit and year."""
    years = [int(y) for y in years]
    errors: list[dict] = []
    units = _units(n_units)
    plan = _plan(units, years, _rng(seed, "plan"))
    budget_rng = _rng(seed, "budget")
    lines = _budget(units, years, plan, budget_rng, errors)
    totals = _budget_totals(lines, plan, budget_rng, errors)
    sums = _unit_year_budget(lines)
    spending = _spending(sums, plan, _rng(seed, "spending"), errors)
    indicators = _indicators(units, years, lines, sums, plan, seed, errors)
    claims = _claims(indicators, plan, _rng(seed, "claims"), errors)
    table = pd.DataFrame(errors, columns=["unit_code", "year", "kind", "detail"])
    table["year"] = table["year"].astype("int64")
    rank = table["kind"].map({k: i for i, k in enumerate(_ERROR_ORDER)})
    table = table.assign(_rank=rank).sort_values(["_rank", "unit_code", "year"], kind="stable")
    table = table.drop(columns="_rank").reset_index(drop=True)
    return _Demo(units, lines, totals, spending, indicators, claims, table)


def planted_errors(seed: int = DEFAULT_SEED, n_units: int = DEFAULT_N_UNITS,
                   years: Iterable[int] = DEFAULT_YEARS) -> pd.DataFrame:
    """The deliberate errors :func:`~perfeval_lib.demo.generate` plants, one row per finding an audit
    should make.

    Parameters
    ----------
    seed
        Seed of every random choice, as given to :func:`~perfeval_lib.demo.generate` (default 2023).
    n_units
        Number of units, as given to :func:`~perfeval_lib.demo.generate` (default 24).
    years
        Budget years, as given to :func:`~perfeval_lib.demo.generate` (default 2019–2023).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_code``, ``year`` (int64), ``kind`` and ``detail`` (Chinese, with the
        figures: money in 万元 with 2 decimals, rates in percent). Sorted by kind, then unit and
        year. Kinds: ``budget_total_mismatch``, ``budget_overspend``, ``budget_zero_line``,
        ``low_execution_explained``, ``low_execution_unexplained``, ``slow_spending``,
        ``weights_not_100``, ``full_marks_on_miss``, ``unexplained_deduction``,
        ``claim_total_inflated``, ``claim_grade_inconsistent``.

    Examples
    --------
    >>> errors = planted_errors()
    >>> list(errors.columns)
    ['unit_code', 'year', 'kind', 'detail']
    >>> int((errors["kind"] == "full_marks_on_miss").sum())
    6
    """
    return _build(seed, n_units, list(years)).errors

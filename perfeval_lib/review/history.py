"""Across years: findings that recur, claims that stay above the recomputed score, ranks within the district.

What a bureau acts on is not one year's finding but the same finding year after year: the audit's
codes of a unit in two or more consecutive years (:func:`recurring_findings`), and a unit whose claimed
score stays above the recomputed one (:func:`persistent_overclaims`). Tables in, tables out.

Examples
--------
>>> f = pd.DataFrame({"unit_code": ["A", "A", "A"], "year": [2021, 2022, 2023], "code": ["spending_lag"] * 3,
...                   "severity": ["warning"] * 3})
>>> recurring_findings(f)[["unit_code", "code", "first_year", "last_year", "n_years"]].values.tolist()
[['A', 'spending_lag', 2021, 2023, 3]]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.vocab import SEVERITY_ORDER

#: A claimed score at least this many points above the recomputed one counts as claimed above it
#: (the overview's "自评高于复核 ≥ 0.5 分").
OVERCLAIM_POINTS = 0.5

RECURRING_COLUMNS = ["unit_code", "code", "severity", "first_year", "last_year", "n_years", "n_findings"]
OVERCLAIM_COLUMNS = ["unit_code", "first_year", "last_year", "n_years", "mean_gap", "max_gap", "gaps"]


def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted distinct years: [2019, 2020, 2022] → [[2019, 2020], [2022]]."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def recurring_findings(findings: pd.DataFrame, min_years: int = 2) -> pd.DataFrame:
    """Findings of the same kind (audit code) for a unit in ``min_years`` or more consecutive years.

    Parameters
    ----------
    findings : pandas.DataFrame
        The ``findings`` table: ``unit_code``, ``year``, ``code``, ``severity`` (error / warning / info).
    min_years : int, default 2
        The shortest run of consecutive years that counts.

    Returns
    -------
    pandas.DataFrame
        One row per run, columns :data:`RECURRING_COLUMNS`: ``first_year`` and ``last_year`` of the run,
        ``n_years`` its length, ``n_findings`` the findings of that code in it, ``severity`` the most
        serious one seen; most serious first, then the longest runs, then unit and code. A gap year
        breaks a run (2019, 2020, 2022 gives one run 2019–2020).

    Raises
    ------
    ValueError
        When ``min_years`` is below 2.

    Examples
    --------
    >>> f = pd.DataFrame({"unit_code": ["A", "A", "A", "B"], "year": [2019, 2020, 2022, 2020],
    ...                   "code": ["low_rate_no_note"] * 4, "severity": ["warning"] * 4})
    >>> recurring_findings(f)[["unit_code", "first_year", "last_year", "n_years"]].values.tolist()
    [['A', 2019, 2020, 2]]
    """
    if min_years < 2:
        raise ValueError(f"min_years must be at least 2, not {min_years}")
    if findings is None or findings.empty:
        return pd.DataFrame(columns=RECURRING_COLUMNS)
    rows = []
    ordered = findings.assign(_order=findings["severity"].map(SEVERITY_ORDER).fillna(99))
    for (code_unit, code), group in ordered.groupby(["unit_code", "code"], sort=True):
        for run in _runs(sorted(int(y) for y in group["year"].dropna().unique())):
            if len(run) < min_years:
                continue
            inside = group[group["year"].isin(run)]
            worst = inside.sort_values("_order")["severity"].iloc[0]
            rows.append({"unit_code": code_unit, "code": code, "severity": worst, "first_year": run[0],
                         "last_year": run[-1], "n_years": len(run), "n_findings": len(inside)})
    if not rows:
        return pd.DataFrame(columns=RECURRING_COLUMNS)
    table = pd.DataFrame(rows)
    table["_order"] = table["severity"].map(SEVERITY_ORDER).fillna(99)
    table = table.sort_values(["_order", "n_years", "unit_code", "code"], ascending=[True, False, True, True])
    return table[RECURRING_COLUMNS].reset_index(drop=True)


def persistent_overclaims(results: pd.DataFrame, points: float = OVERCLAIM_POINTS, min_years: int = 2) -> pd.DataFrame:
    """Units whose claimed score stayed ``points`` or more above the recomputed one, year after year.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``results`` table: ``unit_code``, ``year``, ``score_gap`` (claimed − recomputed, points).
    points : float, default 0.5
        The least gap that counts (points).
    min_years : int, default 2
        The shortest run of consecutive years that counts.

    Returns
    -------
    pandas.DataFrame
        One row per unit (its longest run; the latest when two are as long), columns
        :data:`OVERCLAIM_COLUMNS`: ``mean_gap`` and ``max_gap`` in points over the run, ``gaps`` a list
        of (year, gap); longest runs first, then the largest mean gap. A year without both scores
        breaks a run.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["A"] * 4 + ["B"] * 2, "year": [2020, 2021, 2022, 2023, 2022, 2023],
    ...                   "score_gap": [0.2, 2.3, 2.5, 0.1, 0.6, 0.49]})
    >>> persistent_overclaims(r)[["unit_code", "first_year", "last_year", "mean_gap"]].values.tolist()
    [['A', 2021, 2022, 2.4]]
    """
    if results is None or results.empty:
        return pd.DataFrame(columns=OVERCLAIM_COLUMNS)
    above = results[pd.to_numeric(results["score_gap"], errors="coerce") >= points - 1e-9]
    rows = []
    for unit, group in above.groupby("unit_code", sort=True):
        gaps = dict(zip(group["year"].astype(int), group["score_gap"].astype(float)))
        runs = [r for r in _runs(sorted(gaps)) if len(r) >= min_years]
        if not runs:
            continue
        run = max(runs, key=lambda r: (len(r), r[-1]))
        values = np.array([gaps[y] for y in run])
        rows.append({"unit_code": unit, "first_year": run[0], "last_year": run[-1], "n_years": len(run),
                     "mean_gap": round(float(values.mean()), 6), "max_gap": round(float(values.max()), 6),
                     "gaps": [(y, round(gaps[y], 6)) for y in run]})
    if not rows:
        return pd.DataFrame(columns=OVERCLAIM_COLUMNS)
    table = pd.DataFrame(rows).sort_values(["n_years", "mean_gap", "unit_code"], ascending=[False, False, True])
    return table[OVERCLAIM_COLUMNS].reset_index(drop=True)


def district_ranks(results: pd.DataFrame) -> pd.Series:
    """Each unit-year's rank by recomputed score among every unit of that year (1 = best; ties share).

    Parameters
    ----------
    results : pandas.DataFrame
        The ``results`` rows of the whole district (not a selection): ``year``, ``score``.

    Returns
    -------
    pandas.Series
        ``Int64``, aligned with ``results``; missing where the unit-year has no recomputed score.

    Examples
    --------
    >>> r = pd.DataFrame({"year": [2023, 2023, 2023, 2022], "score": [90.0, 95.0, 90.0, None]})
    >>> district_ranks(r).tolist()
    [2, 1, 2, <NA>]
    """
    rank = results.groupby("year")["score"].rank(ascending=False, method="min")
    return pd.Series(pd.array(rank, dtype="Int64"), index=results.index)

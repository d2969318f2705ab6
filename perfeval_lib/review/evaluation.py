"""From the canonical input tables to results and findings, in one pass.

:func:`evaluate` chains the library's steps — execution rates (:mod:`metrics`), indicator scores and
totals (:mod:`scoring`), findings (:mod:`audit`) — and returns everything an analyst or a report needs.
A unit-year with headline figures only (no indicator table) still gets a results row: its claimed
score is kept, its recomputed score stays empty with ``score_status = 'no_indicators'``.

Examples
--------
>>> import perfeval_lib as pe
>>> ev = pe.evaluate(units, budget, indicators, claims)            # doctest: +SKIP
>>> ev.results[["unit_name", "year", "execution_rate", "score", "grade"]]  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import config
from .audit import audit
from .facts import claimed_sums, claimed_totals, execution_explanations, target_met
from .metrics import execution_rate, spending_progress
from .rulesets import Ruleset, grade_by_ruleset, load_ruleset, per_ruleset
from ..core.schema import RESULTS_COLUMNS
from .scoring import score, totals

KEY = ["unit_code", "year"]


@dataclass
class Evaluation:
    """Everything computed for a set of unit-years.

    Attributes
    ----------
    scored : pandas.DataFrame
        Indicator rows with ``rule``, ``score`` (points), ``score_note``, ``actual_used``, ``ruleset``
        (:func:`~perfeval_lib.review.scoring.score`).
    rates : pandas.DataFrame
        Per unit-year ``budget_initial, budget_final, executed`` (万元), ``execution_rate`` (fraction)
        and ``over_budget`` (:func:`~perfeval_lib.review.metrics.execution_rate`).
    results : pandas.DataFrame
        One row per unit-year, columns ``schema.RESULTS_COLUMNS``.
    findings : pandas.DataFrame
        The audit's findings (:func:`~perfeval_lib.review.audit.audit`), most severe first.
    progress : pandas.DataFrame
        Monthly spending progress (:func:`~perfeval_lib.review.metrics.spending_progress`); empty
        without spending data.

    Examples
    --------
    >>> import dataclasses
    >>> [f.name for f in dataclasses.fields(Evaluation)]
    ['scored', 'rates', 'results', 'findings', 'progress']
    """

    scored: pd.DataFrame
    rates: pd.DataFrame
    results: pd.DataFrame
    findings: pd.DataFrame
    progress: pd.DataFrame


def _unit_years(*frames: pd.DataFrame | None) -> pd.DataFrame:
    keys = [f[KEY] for f in frames if f is not None and len(f) and set(KEY) <= set(f.columns)]
    if not keys:
        return pd.DataFrame({"unit_code": pd.Series(dtype="object"), "year": pd.Series(dtype="int64")})
    return pd.concat(keys).drop_duplicates().sort_values(KEY).reset_index(drop=True)


def _rulesets_for(unit_years: pd.DataFrame, units: pd.DataFrame | None, ruleset) -> pd.Series:
    if ruleset is not None:
        return pd.Series(load_ruleset(ruleset).name, index=unit_years.index, dtype="object")
    if units is not None and "ruleset" in units.columns and len(units):
        named = unit_years.merge(units[["unit_code", "ruleset"]], on="unit_code", how="left")["ruleset"]
        return named.fillna(config.DEFAULT_RULESET).set_axis(unit_years.index)
    return pd.Series(config.DEFAULT_RULESET, index=unit_years.index, dtype="object")


def _rates(budget: pd.DataFrame | None, unit_rulesets: pd.DataFrame) -> pd.DataFrame:
    """Per unit-year execution rate, each with the denominator its ruleset names."""
    if budget is None or budget.empty:
        return pd.DataFrame(columns=[*KEY, "budget_initial", "budget_final", "executed", "execution_rate",
                                     "over_budget"])
    denominators = unit_rulesets.assign(
        _denominator=per_ruleset(unit_rulesets["ruleset"], lambda r: r.denominator))
    parts = []
    for denominator, keys in denominators.groupby("_denominator"):
        lines = budget.merge(keys[KEY], on=KEY, how="inner")
        parts.append(execution_rate(lines, denominator=denominator))
    return pd.concat(parts, ignore_index=True).sort_values(KEY).reset_index(drop=True)


def evaluate(units: pd.DataFrame | None, budget: pd.DataFrame | None, indicators: pd.DataFrame | None,
             claims: pd.DataFrame | None = None, spending: pd.DataFrame | None = None,
             ruleset: str | Ruleset | None = None, narratives: pd.DataFrame | None = None) -> Evaluation:
    """Score, total, grade and audit every unit-year found in the inputs.

    The unit-years are those in ``budget``, ``indicators`` and ``claims``. Each is scored under its
    ruleset (execution-rate denominator, rules, grade bands: see :mod:`~perfeval_lib.review.scoring`
    and rules.md §1–3), graded on the unrounded total (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, "财政部预算司
    standard bands") and audited (rules.md §4).

    Parameters
    ----------
    units : pandas.DataFrame or None
        Unit registry; reads ``unit_code, unit_name`` and, when present, ``ruleset``.
    budget : pandas.DataFrame or None
        Budget lines; reads ``unit_code, year, line, budget_initial, budget_final, executed`` (万元)
        and ``note``.
    indicators : pandas.DataFrame or None
        Indicator rows (自评表), as :func:`~perfeval_lib.review.scoring.score` reads them:
        ``unit_code, year, indicator, level1, level2, level3, kind, direction, weight (points), target,
        actual, target_text, actual_text, applicable, claimed_score (points)``.
    claims : pandas.DataFrame, optional
        ``unit_code, year, claimed_score (points), claimed_grade``; where missing, the claimed total
        is the sum of the indicators' claimed scores when every indicator states one (else empty).
    spending : pandas.DataFrame, optional
        ``unit_code, year, month, executed_cum (万元)``, for the progress check.
    ruleset : str, pathlib.Path or Ruleset, optional
        One ruleset for every unit; default: each unit's own, else ``mof-2020``.
    narratives : pandas.DataFrame, optional
        The analyst's narrative table (``unit_code, year, section, text``): a paragraph that explains
        the execution counts as the unit's written explanation
        (:func:`~perfeval_lib.review.facts.execution_explanations`).

    Returns
    -------
    Evaluation
        ``results`` has one row per unit-year (columns of ``schema.RESULTS_COLUMNS``:
        ``budget_final, executed`` in 万元, ``execution_rate`` as a fraction, ``score``,
        ``claimed_score``, ``score_gap`` (claimed − recomputed) in points, ``grade``,
        ``claimed_grade``, ``claimed_basis`` (which claimed total: ``stated``, ``rows`` or
        ``rows_rescaled``, see :func:`~perfeval_lib.review.facts.claimed_totals`), ``rate_note`` (the
        unit's explanation of its execution, or None), ``score_status``, ``n_indicators``,
        ``n_findings``). ``scored`` carries ``met`` (True / False / NA:
        :func:`~perfeval_lib.review.facts.target_met`).

    Raises
    ------
    RulesetError
        When a ruleset (given, or named in ``units``) cannot be loaded.
    KeyError
        When a table lacks a column the steps read.

    Examples
    --------
    >>> budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["1"], "budget_final": [100.0],
    ...                        "executed": [95.0]})
    >>> indicators = pd.DataFrame({"unit_code": ["A"] * 4, "year": [2022] * 4,
    ...     "indicator": ["预算执行率", "培训人次", "服务对象受益情况", "满意度"],
    ...     "level1": ["预算执行率", "产出指标", "效益指标", "满意度指标"],
    ...     "level3": ["预算执行率", "培训人次", "服务对象受益情况", "满意度"],
    ...     "kind": ["定量", "定量", "定性", "定量"], "direction": ["≥", "≥", None, "≥"],
    ...     "weight": [10.0, 50.0, 30.0, 10.0], "target": [1.0, 200.0, np.nan, 0.9],
    ...     "actual": [0.9, 200.0, np.nan, 0.95], "target_text": ["100%", "≥200", "达成", "≥90%"],
    ...     "actual_text": ["90%", "200", "部分达成", "95%"], "applicable": [True] * 4,
    ...     "claimed_score": [10.0, 50.0, 30.0, 10.0]})
    >>> ev = evaluate(None, budget, indicators)
    >>> ev.scored["score"].tolist()
    [9.5, 50.0, 24.0, 10.0]
    >>> ev.results[["execution_rate", "score", "grade", "claimed_score", "score_gap"]].values.tolist()
    [[0.95, 93.5, '优', 100.0, 6.5]]
    """
    unit_years = _unit_years(budget, indicators, claims)
    unit_rulesets = unit_years.assign(ruleset=_rulesets_for(unit_years, units, ruleset))
    rates = _rates(budget, unit_rulesets)

    if indicators is not None and len(indicators):
        tagged = indicators.merge(unit_rulesets, on=KEY, how="left")
        scored = score(tagged, ruleset=ruleset, rates=rates)
        scored = scored.assign(met=target_met(scored))
    else:
        scored = score(pd.DataFrame(), ruleset=ruleset).assign(met=pd.Series(dtype="boolean"))
    per_unit_year = totals(scored)
    sums = claimed_sums(scored, unit_rulesets.assign(total=per_ruleset(unit_rulesets["ruleset"], lambda r: r.total)))

    results = unit_rulesets.merge(rates[[*KEY, "budget_final", "executed", "execution_rate"]], on=KEY, how="left")
    results = results.merge(per_unit_year[[*KEY, "score", "score_status", "n_indicators"]], on=KEY, how="left")
    results["score_status"] = results["score_status"].fillna("no_indicators")
    results["n_indicators"] = results["n_indicators"].fillna(0).astype("int64")
    results = results.merge(claimed_totals(claims, sums), on=KEY, how="left")
    results = results.merge(execution_explanations(budget, narratives), on=KEY, how="left")
    results["grade"] = grade_by_ruleset(results["score"], results["ruleset"])
    results["score_gap"] = np.round(results["claimed_score"] - results["score"], 6)
    if units is not None and len(units):
        results = results.merge(units[["unit_code", "unit_name"]], on="unit_code", how="left")
    else:
        results["unit_name"] = None

    progress = (spending_progress(spending, budget) if spending is not None and len(spending)
                and budget is not None and len(budget) else pd.DataFrame())
    findings = audit(scored, results, rates, budget, progress if len(progress) else None, claimed_detail=sums)
    counts = findings.groupby(KEY).size().rename("n_findings").reset_index()
    results = results.merge(counts, on=KEY, how="left")
    results["n_findings"] = results["n_findings"].fillna(0).astype("int64")
    results["year"] = results["year"].astype("int64")
    return Evaluation(scored, rates, results[RESULTS_COLUMNS], findings, progress)


def results(units, budget, indicators, claims=None, ruleset=None) -> pd.DataFrame:
    """One row per unit-year: budget, executed, rate, recomputed score and grade, claimed score and grade.

    The ``results`` table of :func:`evaluate` (which see for the columns read).

    Parameters
    ----------
    units, budget, indicators : pandas.DataFrame or None
        As for :func:`evaluate`.
    claims : pandas.DataFrame, optional
    ruleset : str, pathlib.Path or Ruleset, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``schema.RESULTS_COLUMNS``: money in 万元, ``execution_rate`` as a fraction, scores
        in points.

    Raises
    ------
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["1"], "budget_final": [200.0],
    ...                        "executed": [150.0]})
    >>> claims = pd.DataFrame({"unit_code": ["A"], "year": [2022], "claimed_score": [88.0], "claimed_grade": ["良"]})
    >>> results(None, budget, None, claims)[["execution_rate", "score_status", "claimed_score", "grade"]].values.tolist()
    [[0.75, 'no_indicators', 88.0, None]]
    """
    return evaluate(units, budget, indicators, claims, ruleset=ruleset).results

"""Indicator scores, totals and grades under an explicit ruleset.

Scores and weights are in points, rates and rate-like targets are fractions (0.95, not 95). The rule
catalogue (see ``shared/rules.md`` §2), each vectorised over numpy arrays:

==================== =====================================================================
linear_capped        min(actual / target, 1) × w
reverse_linear       w when actual ≤ target (also actual = 0), else min(target / actual, 1) × w
per_point_deduction  w when value ≤ threshold, else max(0, w − k × percentage points over)
step_deduction       max(0, w − points × floor(shortfall / step))
bands                a table of (upper bound, share of w) on |value|
qualitative_band     达成 / 部分达成 / 未达成 → the ruleset's coefficient × w
not_applicable       dropped; the other indicators are rescaled to the ruleset's total
==================== =====================================================================

No score exceeds its weight. Grades are given on the unrounded total (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差).

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"unit_code": ["A"], "year": [2022], "indicator": ["预算执行率"], "level1": ["预算执行率"],
...     "level3": ["预算执行率"], "kind": ["定量"], "direction": ["≥"], "weight": [10.0], "target": [1.0],
...     "actual": [0.76], "applicable": [True]})
>>> float(score(rows, ruleset="mof-2020")["score"].iloc[0])
7.6
>>> grade(89.99), grade(90.0)
('良', '优')
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import InputError
from ..core.names import name_key
from .directions import resolve_directions
from .qualitative import claimed_in_band, judge, judge_all  # noqa: F401 (judge is part of this API)
from .rulesets import RULES, Ruleset, load_ruleset, per_ruleset

#: Decimal places kept on indicator scores: enough to be exact for any published score, few enough
#: that 0.76 × 10 is 7.6 and a total of 90 is not 89.99999999999999.
SCORE_DECIMALS = 6


# ---------------------------------------------------------------------------------------------
# The rule catalogue
# ---------------------------------------------------------------------------------------------

def _clip_score(raw: np.ndarray, weight: np.ndarray) -> np.ndarray:
    # round first, then clip: rounding must never lift a full score above its weight
    return np.clip(np.round(raw, SCORE_DECIMALS), 0.0, weight)


def linear_capped(actual, target, weight) -> np.ndarray:
    """min(actual / target, 1) × weight; a target of 0 (or less) is met by any actual ≥ target.

    rules.md §2 ``linear_capped``, for positive quantitative indicators (≥, =) and the execution rate:
    "财预〔2020〕10号 单位自评: rate × weight, capped at the weight" (rules.md §1; seen 76 % → 7.6 of 10).

    Parameters
    ----------
    actual, target : array-like of float
        Actual and target values in the same unit (rates as fractions).
    weight : array-like of float
        The indicators' weights, in points.

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight, rounded to :data:`SCORE_DECIMALS`; NaN where the actual
        or the target is missing.

    Examples
    --------
    >>> linear_capped([0.76, 1.2, 0.0], [1.0, 1.0, 1.0], [10, 10, 10]).tolist()
    [7.6, 10.0, 0.0]
    """
    actual, target, weight = (np.asarray(x, dtype="float64") for x in (actual, target, weight))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(target > 0, actual / target, np.where(actual >= target, 1.0, 0.0))
    ratio = np.where(np.isnan(actual) | np.isnan(target), np.nan, ratio)
    return _clip_score(np.minimum(ratio, 1.0) * weight, weight)


def reverse_linear(actual, target, weight) -> np.ndarray:
    """Full marks when actual ≤ target (also actual = 0), else min(target / actual, 1) × weight.

    rules.md §2 ``reverse_linear``, for reverse quantitative indicators (≤: 事故率, 超支率 …).

    Parameters
    ----------
    actual, target : array-like of float
        Actual and target values in the same unit (rates as fractions).
    weight : array-like of float
        Weights in points.

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight; a negative target counts as 0 (no marks above it);
        NaN where the actual or the target is missing.

    Examples
    --------
    >>> reverse_linear([0.02, 0.04, 0.0], [0.02, 0.02, 0.02], [5, 5, 5]).tolist()
    [5.0, 2.5, 5.0]
    """
    actual, target, weight = (np.asarray(x, dtype="float64") for x in (actual, target, weight))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(actual <= target, 1.0, np.where(actual > 0, np.maximum(target, 0.0) / actual, 0.0))
    ratio = np.where(np.isnan(actual) | np.isnan(target), np.nan, ratio)
    return _clip_score(ratio * weight, weight)


def per_point_deduction(value, threshold, weight, k: float) -> np.ndarray:
    """Full marks when value ≤ threshold, else weight − k per percentage point over (not below 0).

    Values are fractions: 0.985 against 0.95 is 3.5 points over. rules.md §2: per_point_deduction seen
    in 部门整体 共性指标 (财预〔2013〕53号) for 在职人员控制率 (k 0.5 or 0.1) and "三公"经费变动率
    (k 0.8 / 0.5 / 0.3); k varies by place (a ruleset parameter).

    Parameters
    ----------
    value, threshold, weight : array-like of float
        The indicator's value and the threshold, as fractions; weights in points.
    k : float
        Points deducted per percentage point over the threshold.

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight; NaN where the value or threshold is missing.

    Examples
    --------
    >>> per_point_deduction([0.95, 0.985, 1.5], [0.95, 0.95, 0.95], [5, 5, 5], k=0.5).tolist()
    [5.0, 3.25, 0.0]
    """
    value, threshold, weight = (np.asarray(x, dtype="float64") for x in (value, threshold, weight))
    over_points = np.maximum(np.round((value - threshold) * 100.0, 9), 0.0)
    return _clip_score(weight - float(k) * over_points, weight)


def step_deduction(actual, target, weight, step: float, points: float) -> np.ndarray:
    """weight − points × floor(shortfall / step): "每低于5%扣2分" is step 0.05, points 2.

    rules.md §2 ``step_deduction``, seen for 预算完成率 in 部门整体 tables: 100 % full marks,
    "每低于5%扣2分" (99.27 % kept full marks: a shortfall under one step deducts nothing).

    Parameters
    ----------
    actual, target, weight : array-like of float
        Actual and target as fractions (shortfall = target − actual, 0 when met); weights in points.
    step, points : float
        Each whole ``step`` of shortfall (a fraction) costs ``points`` points.

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight; NaN where the actual or the target is missing.

    Examples
    --------
    >>> step_deduction([0.9927, 0.94, 0.80], [1.0, 1.0, 1.0], [10, 10, 10], step=0.05, points=2).tolist()
    [10.0, 8.0, 2.0]
    """
    actual, target, weight = (np.asarray(x, dtype="float64") for x in (actual, target, weight))
    shortfall = np.maximum(np.round(target - actual, 9), 0.0)
    steps = np.floor(np.round(shortfall / float(step), 9))
    return _clip_score(weight - float(points) * steps, weight)


def bands(value, weight, table, above: float = 0.0) -> np.ndarray:
    """Share of weight from a table of (upper bound, share), applied to |value|; ``above`` past the last.

    rules.md §2 ``bands``, seen for 预算控制率: 0 → 5; (0, 10 %] → 4; (10, 20 %] → 3; (20, 30 %] → 2;
    > 30 % → 0 (of 5 points). An upper bound is included in its band.

    Parameters
    ----------
    value, weight : array-like of float
        The indicator's value as a fraction (its absolute value is looked up); weights in points.
    table : sequence of (float, float)
        (upper bound, share of the weight), bounds ascending.
    above : float, default 0.0
        The share past the last bound.

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight; NaN where the value is missing.

    Examples
    --------
    >>> bands([0.0, 0.05, 0.15, 0.25, 0.4], [5] * 5, [[0.0, 1.0], [0.1, 0.8], [0.2, 0.6], [0.3, 0.4]]).tolist()
    [5.0, 4.0, 3.0, 2.0, 0.0]
    """
    value, weight = np.abs(np.asarray(value, dtype="float64")), np.asarray(weight, dtype="float64")
    uppers = np.array([float(u) for u, _ in table])
    shares = np.array([float(s) for _, s in table] + [float(above)])
    position = np.searchsorted(uppers, np.round(value, 9), side="left")
    share = np.where(np.isnan(value), np.nan, shares[np.minimum(position, len(shares) - 1)])
    return _clip_score(share * weight, weight)


def qualitative_band(actual_text, target_text, weight, coefficients: dict, bands: dict | None = None,
                     claimed=None) -> np.ndarray:
    """The ruleset's coefficient of the judgement × weight, or the unit's own share when inside its band.

    rules.md §2 ``qualitative_band``: 达成 → 80–100 % of the weight, 部分达成 → 60–80 %, 未达成 → 0–60 %
    (unverified), "default: top of band, or the analyst's stated coefficient". The default is the
    ruleset's ``qualitative`` coefficient (presets: 1.0 / 0.8 / 0); a claimed score whose share of the
    weight lies inside the band of its judgement (``qualitative_bands``) is that stated coefficient and
    is scored as claimed — consistent, not a finding.

    Parameters
    ----------
    actual_text, target_text : array-like
        实际完成值 and 年度指标值 texts, judged by :func:`~perfeval_lib.review.qualitative.judge_all`.
    weight : array-like of float
        Weights in points.
    coefficients : dict of str to float
        Default share of the weight per judgement (``{"达成": 1.0, "部分达成": 0.8, "未达成": 0.0}``).
    bands : dict of str to (float, float), optional
        Shares a stated coefficient may take per judgement (``{"部分达成": (0.6, 0.8)}``).
    claimed : array-like of float, optional
        The unit's claimed scores in points (NaN where none).

    Returns
    -------
    numpy.ndarray
        Scores in points, 0 ≤ score ≤ weight; NaN where the judgement is unclear or has no
        coefficient.

    Examples
    --------
    >>> qualitative_band(["达成", "部分达成", "x"], ["达成"] * 3, [10] * 3, {"达成": 1.0, "部分达成": 0.8}).tolist()
    [10.0, 8.0, nan]
    >>> qualitative_band(["部分达成", "部分达成", "未达成"], ["达成"] * 3, [10] * 3,
    ...                  {"达成": 1.0, "部分达成": 0.8, "未达成": 0.0},
    ...                  {"部分达成": (0.6, 0.8), "未达成": (0.0, 0.6)}, claimed=[6.5, 9.0, 0.0]).tolist()
    [6.5, 8.0, 0.0]
    """
    verdicts = judge_all(actual_text, target_text)
    share = pd.Series(verdicts, dtype="object").map(coefficients).to_numpy(dtype="float64", na_value=np.nan)
    weight = np.asarray(weight, dtype="float64")
    if bands and claimed is not None:
        inside = claimed_in_band(verdicts, claimed, weight, bands)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(inside, np.asarray(claimed, dtype="float64") / weight, share)
    return _clip_score(share * weight, weight)


# ---------------------------------------------------------------------------------------------
# Applying a ruleset
# ---------------------------------------------------------------------------------------------

def _match_mask(frame: pd.DataFrame, match: dict) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for key, wanted in match.items():
        column = frame[key] if key in frame.columns else pd.Series(None, index=frame.index, dtype="object")
        if key in {"level1", "level2", "level3"}:
            codes, uniques = pd.factorize(column.fillna(""))
            hits = np.array([bool(re.search(str(wanted), str(u)) or re.search(str(wanted), name_key(u)))
                             for u in uniques], dtype=bool)
            mask &= hits[codes] if len(uniques) else np.zeros(len(frame), dtype=bool)
        else:
            mask &= column.fillna("").astype(str).eq(str(wanted)).to_numpy()
    return mask


def assign_rules(indicators: pd.DataFrame, ruleset: Ruleset) -> np.ndarray:
    """Index into ``ruleset.rules`` of the first entry matching each row.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Indicator rows; reads the columns the ruleset's ``match`` entries name (``level1``,
        ``level2``, ``level3`` searched as regular expressions; ``kind``, ``direction`` compared
        exactly). A missing column matches nothing but an empty pattern.
    ruleset : Ruleset

    Returns
    -------
    numpy.ndarray
        int, one per row: the first matching entry's position (-1 for none; a loaded ruleset's last
        entry matches every row).

    Examples
    --------
    >>> rows = pd.DataFrame({"level3": ["在职人员控制率", "重点工作办结率"], "kind": ["定量", "定量"],
    ...                      "direction": ["≤", "≥"]})
    >>> assign_rules(rows, load_ruleset("mof-2013-dept")).tolist()
    [0, 6]
    """
    assigned = np.full(len(indicators), -1)
    for position, entry in enumerate(ruleset.rules):
        free = assigned < 0
        if not free.any():
            break
        assigned[free & _match_mask(indicators, entry.match)] = position
    return assigned


def _score_one_ruleset(frame: pd.DataFrame, ruleset: Ruleset, rates: pd.DataFrame | None) -> pd.DataFrame:
    frame = resolve_directions(frame, ruleset)
    n = len(frame)
    weight = frame["weight"].to_numpy(dtype="float64")
    target = frame["target"].to_numpy(dtype="float64")
    actual = frame["actual"].to_numpy(dtype="float64").copy()
    applicable = frame["applicable"].to_numpy(dtype=bool) if "applicable" in frame.columns else np.ones(n, bool)
    scores = np.full(n, np.nan)
    rule_names = np.full(n, None, dtype=object)
    notes = np.full(n, None, dtype=object)

    entry_index = assign_rules(frame, ruleset)
    override = frame["rule"].fillna("").astype(str).to_numpy() if "rule" in frame.columns else np.full(n, "")

    from_rate = np.array([entry.actual_from == "execution_rate" for entry in ruleset.rules])[entry_index]
    if rates is not None and len(rates) and from_rate.any():
        merged = frame[["unit_code", "year"]].merge(rates[["unit_code", "year", "execution_rate"]],
                                                    on=["unit_code", "year"], how="left")
        recomputed = merged["execution_rate"].to_numpy(dtype="float64")
        use = from_rate & np.isfinite(recomputed)
        actual[use] = recomputed[use]
    if ruleset.round_rate_to:
        step = float(ruleset.round_rate_to)
        actual[from_rate] = np.round(actual[from_rate] / step) * step

    for position, entry in enumerate(ruleset.rules):
        rows = (entry_index == position) & ~np.isin(override, RULES)
        _apply(entry.rule, entry.params, rows, weight, target, actual, frame, ruleset, scores)
        rule_names[rows] = entry.describe()
    for name in RULES:
        rows = override == name
        if rows.any():
            _apply(name, {}, rows, weight, target, actual, frame, ruleset, scores)
            rule_names[rows] = name

    not_applicable = ~applicable | (override == "not_applicable")
    scores[not_applicable] = np.nan
    rule_names[not_applicable] = "not_applicable"
    notes[not_applicable] = "不涉及，不计分 / not applicable"
    unscored = ~not_applicable & np.isnan(scores)
    notes[unscored] = "无法计分：缺少年度指标值或实际完成值，或定性结论无法识别 / cannot score: target or actual missing or unclear"
    notes[unscored & np.isnan(weight)] = "无法计分：没有分值 / cannot score: no weight"
    assumed = pd.isna(notes) & pd.notna(frame["direction_note"].to_numpy(dtype=object))
    notes[assumed] = frame["direction_note"].to_numpy(dtype=object)[assumed]
    return frame.drop(columns="direction_note").assign(rule=rule_names, score=scores, score_note=notes, actual_used=actual)


def _apply(rule: str, params: dict, rows: np.ndarray, weight, target, actual, frame, ruleset, scores) -> None:
    if not rows.any():
        return
    w, t, a = weight[rows], target[rows], actual[rows]
    if rule == "linear_capped":
        scores[rows] = linear_capped(a, t, w)
    elif rule == "reverse_linear":
        scores[rows] = reverse_linear(a, t, w)
    elif rule == "per_point_deduction":
        threshold = np.full(len(w), float(params["threshold"])) if "threshold" in params else t
        scores[rows] = per_point_deduction(a, threshold, w, k=params.get("k", 0.5))
    elif rule == "step_deduction":
        scores[rows] = step_deduction(a, t, w, step=params.get("step", 0.05), points=params.get("points", 2))
    elif rule == "bands":
        scores[rows] = bands(a, w, params.get("bands", [[0.0, 1.0]]), params.get("above", 0.0))
    elif rule == "qualitative_band":
        claimed = (frame["claimed_score"].to_numpy(dtype="float64", na_value=np.nan)[rows]
                   if "claimed_score" in frame.columns else None)
        scores[rows] = qualitative_band(frame["actual_text"].to_numpy(dtype=object)[rows],
                                        frame["target_text"].to_numpy(dtype=object)[rows], w, ruleset.qualitative,
                                        ruleset.qualitative_bands, claimed)


class RulesetOverride(UserWarning):
    """An explicit ruleset scores units registered under another one (their 评价体系)."""


#: The columns scoring cannot do without (a table loaded by ``pe.load_indicators`` has them).
REQUIRED = ("unit_code", "year", "weight", "target", "actual")


def score(indicators: pd.DataFrame, ruleset: str | Ruleset | None = None,
          rates: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score every indicator row; return the rows with ``rule``, ``score`` and ``score_note`` added.

    Each row gets the first ruleset entry that matches it (:func:`assign_rules`), unless its own
    ``rule`` column names a rule of :data:`~perfeval_lib.review.rulesets.RULES` (then that rule with
    default parameters). The formulas and their sources are in the module docstring and rules.md §2;
    no score exceeds its weight.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Canonical indicator rows (see :func:`perfeval_lib.load_indicators`); reads ``unit_code, year,
        weight (points), target, actual`` (rates as fractions), ``level1, level2, level3, kind,
        direction`` (for matching), ``target_text, actual_text`` (for qualitative rows), and, when
        present, ``applicable`` (bool; False → not applicable), ``rule`` (a per-row override) and
        ``ruleset``.
    ruleset : str, pathlib.Path or Ruleset, optional
        A ruleset for every row; when None, each row's ``ruleset`` column is used where present, else
        the default (``mof-2020``).
    rates : pandas.DataFrame, optional
        Per unit-year ``unit_code, year, execution_rate (fraction)`` recomputed from the budget
        (:func:`perfeval_lib.execution_rate`); rules marked ``actual_from: execution_rate`` use it
        instead of the typed-in actual value (rounded first when the ruleset sets ``round_rate_to``).
    units : pandas.DataFrame, optional
        The unit registry (``unit_code, ruleset``): each unit is scored under its own ruleset
        (评价体系) unless ``ruleset`` is given — then a :class:`RulesetOverride` warning names the
        units registered under another one.

    Returns
    -------
    pandas.DataFrame
        A new DataFrame: the input plus ``rule`` (applied, with its parameters), ``score`` (points,
        0–weight; NaN when not applicable — its weight is rescaled in :func:`totals` — or unscorable),
        ``score_note`` (why no score), ``actual_used`` (the actual scored) and ``ruleset``. An empty
        input gets ``rule, score, score_note, ruleset`` only.

    Raises
    ------
    RulesetError
        When a ruleset cannot be loaded.
    InputError
        When a column of :data:`REQUIRED` is missing — a table read as it is (Chinese headers, targets
        as text) instead of loaded with :func:`perfeval_lib.load_indicators`.
    KeyError
        When a qualitative row has no ``target_text`` / ``actual_text``.

    Warns
    -----
    RulesetOverride
        When ``ruleset`` is given and some units are registered (``units`` or the rows' ``ruleset``
        column) under another ruleset.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit_code": ["A"], "year": [2022], "indicator": ["x"], "level1": ["产出指标"],
    ...     "level3": ["x"], "kind": ["定量"], "direction": ["≤"], "weight": [5.0], "target": [0.02],
    ...     "actual": [0.04], "applicable": [True]})
    >>> score(rows, "mof-2020")[["rule", "score"]].values.tolist()
    [['reverse_linear', 2.5]]
    >>> score(rows.assign(applicable=False), "mof-2020")[["rule", "score"]].values.tolist()
    [['not_applicable', nan]]
    """
    if indicators.empty:
        return indicators.assign(rule=pd.Series(dtype="object"), score=pd.Series(dtype="float64"),
                                 score_note=pd.Series(dtype="object"), ruleset=pd.Series(dtype="object"))
    _check_loaded(indicators)
    if units is not None and len(units) and "ruleset" in units.columns and "ruleset" not in indicators.columns:
        own = dict(zip(units["unit_code"], units["ruleset"]))
        indicators = indicators.assign(ruleset=indicators["unit_code"].map(own))
    if ruleset is not None and "ruleset" in indicators.columns:
        _warn_override(indicators, load_ruleset(ruleset).name)
    if ruleset is not None or "ruleset" not in indicators.columns:
        chosen = load_ruleset(ruleset or config.DEFAULT_RULESET)
        return _score_one_ruleset(indicators, chosen, rates).assign(ruleset=chosen.name)
    names = indicators["ruleset"].fillna(config.DEFAULT_RULESET)
    parts = [_score_one_ruleset(indicators[names == name], load_ruleset(name), rates).assign(ruleset=name)
             for name in names.unique()]
    return pd.concat(parts).loc[indicators.index]


def _check_loaded(indicators: pd.DataFrame) -> None:
    """A table read as it is (not loaded by ``pe.load_indicators``) is an error that says what to do."""
    missing = [c for c in REQUIRED if c not in indicators.columns]
    if missing:
        headers = "、".join(str(c) for c in list(indicators.columns)[:6])
        raise InputError(column=", ".join(missing), message=(
            f"指标表缺少规范列 {', '.join(missing)}（现有列：{headers}…）：请先用 pe.load_indicators(path) 或 "
            f"pe.read_table(path, \"indicators\") 载入，它们识别中文表头并拆分年度指标值 / the indicator table lacks "
            f"the canonical columns {', '.join(missing)}: load it first with pe.load_indicators(path)"),
            expected="pe.load_indicators / pe.read_table 载入的指标表 / a table loaded by pe.load_indicators")


def _warn_override(indicators: pd.DataFrame, chosen: str) -> None:
    """Warn when ``chosen`` scores units registered under another ruleset."""
    own = indicators[["unit_code", "ruleset"]].dropna().drop_duplicates("unit_code")
    other = own[own["ruleset"] != chosen]
    if len(other):
        listed = "、".join(f"{r.unit_code}（{r.ruleset}）" for r in other.head(8).itertuples())
        more = f" 等 {len(other)} 个" if len(other) > 8 else ""
        warnings.warn(f"规则集 {chosen} 覆盖了这些单位自己的规则集：{listed}{more} / ruleset {chosen} overrides the "
                      f"units' own rulesets; leave ruleset out to score each unit under its own", RulesetOverride,
                      stacklevel=3)


def totals(scored: pd.DataFrame, ruleset: str | Ruleset | None = None) -> pd.DataFrame:
    """Per unit-year total score, rescaled for not-applicable indicators, with its status.

    ``score_status`` is ``'recomputed'``, ``'weights_invalid'`` (weights do not add up to the
    ruleset's total: no total is given) or ``'incomplete'`` (an indicator could not be scored).

    rules.md §3: total = sum of indicator scores (100 points), after rescaling for not-applicable
    indicators (§2 ``not_applicable``: drop the indicator, rescale the rest to 100):
    total = Σ score × ruleset total / (ruleset total − weight of not-applicable rows).

    Parameters
    ----------
    scored : pandas.DataFrame
        Rows from :func:`score`; reads ``unit_code, year, weight (points), score (points), rule`` and
        ``ruleset`` when present.
    ruleset : str, pathlib.Path or Ruleset, optional
        Whose ``total`` the weights must add up to; default each row's ``ruleset`` (else mof-2020).

    Returns
    -------
    pandas.DataFrame
        One row per unit-year and ruleset: ``unit_code, year, ruleset, weight_total (points),
        n_indicators, n_not_applicable, n_unscored, score`` (points, unrounded apart from 6 decimals;
        NaN unless the status is ``'recomputed'``) and ``score_status``: ``'weights_invalid'`` (weights
        do not add up to the total within 0.01), ``'incomplete'`` (an applicable row has no score),
        ``'no_applicable_indicators'`` or ``'recomputed'``, checked in that order.

    Raises
    ------
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit_code": ["A"] * 2, "year": [2022] * 2, "weight": [50.0, 50.0],
    ...     "score": [45.0, np.nan], "rule": ["linear_capped", "not_applicable"], "ruleset": ["mof-2020"] * 2})
    >>> totals(rows)[["score", "score_status"]].values.tolist()
    [[90.0, 'recomputed']]
    >>> totals(rows.assign(weight=[50.0, 40.0]))[["weight_total", "score", "score_status"]].values.tolist()
    [[90.0, nan, 'weights_invalid']]
    """
    if scored.empty:
        return pd.DataFrame(columns=["unit_code", "year", "ruleset", "score", "weight_total", "n_indicators",
                                     "n_not_applicable", "n_unscored", "score_status"])
    na = scored["rule"].eq("not_applicable")
    frame = scored.assign(
        _w_na=np.where(na, scored["weight"], 0.0),
        _unscored=(~na & scored["score"].isna()).astype(int),
        _na=na.astype(int),
        ruleset=scored["ruleset"] if "ruleset" in scored.columns else (ruleset or config.DEFAULT_RULESET),
    )
    grouped = frame.groupby(["unit_code", "year", "ruleset"], sort=True).agg(
        raw=("score", "sum"), weight_total=("weight", "sum"), w_na=("_w_na", "sum"),
        n_indicators=("weight", "size"), n_not_applicable=("_na", "sum"), n_unscored=("_unscored", "sum"),
    ).reset_index()
    expected = (pd.Series(load_ruleset(ruleset).total, index=grouped.index) if ruleset
                else per_ruleset(grouped["ruleset"], lambda r: r.total))
    weights_ok = np.isclose(grouped["weight_total"], expected, atol=0.01)
    scorable_weight = expected - grouped["w_na"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rescaled = np.where(scorable_weight > 0, grouped["raw"] * expected / scorable_weight, np.nan)
    status = np.select([~weights_ok, grouped["n_unscored"] > 0, scorable_weight <= 0],
                       ["weights_invalid", "incomplete", "no_applicable_indicators"], "recomputed")
    total = np.where(status == "recomputed", np.round(rescaled, SCORE_DECIMALS), np.nan)
    return grouped.assign(score=total, score_status=status).drop(columns=["raw", "w_na"])


def grade(total, ruleset: str | Ruleset | None = None):
    """Grade of an unrounded total (a number or a Series): 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.

    rules.md §3: grade bands 优 ≥ 90 (90 included), 良 80–<90, 中 60–<80, 差 < 60 on the unrounded
    total — "财政部预算司 standard bands" 90-100 / 80-89 / 60-79 / 0-59. The bands are read from the
    ruleset (``grades``), not from code.

    Parameters
    ----------
    total : float or pandas.Series
        Total score(s) in points.
    ruleset : str, pathlib.Path or Ruleset, optional
        Default ``mof-2020``.

    Returns
    -------
    str or None, or pandas.Series
        The grade word (None for a missing total); a Series (object dtype, same index) for a Series.

    Raises
    ------
    RulesetError
        When the ruleset cannot be loaded.

    Examples
    --------
    >>> grade(90.0), grade(89.99), grade(80.0), grade(60.0), grade(59.99)
    ('优', '良', '良', '中', '差')
    >>> grade(pd.Series([95.0, np.nan])).tolist()
    ['优', None]
    """
    chosen = load_ruleset(ruleset or config.DEFAULT_RULESET)
    if isinstance(total, pd.Series):
        return pd.Series(chosen.grades(total.to_numpy(dtype="float64")), index=total.index, dtype="object")
    return chosen.grade(total)

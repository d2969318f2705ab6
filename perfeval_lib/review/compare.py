"""Rulesets side by side: the same unit-years scored under two rulesets, the grades that change and why.

A grade depends on the ruleset as much as on the data: a deduction of 0.8 instead of 0.5 per percentage
point, 部分达成 at 60 % of the weight instead of 80 %, the execution rate rounded to a whole percent
before scoring (rules.md §1–2). :func:`compare_tables` scores the unit-years of the input tables under
ruleset A and ruleset B and lines them up; :func:`compare` does it for one year of the processed tables.

Which units are compared: a ruleset belongs to a *family* — the preset it is a documented variant of
(``variant_of`` in its file), else itself. Only units whose own ruleset (评价体系) is in the family of A
or B are scored, so ``mof-2020`` against ``mof-2020-strict`` leaves the ``mof-2013-dept`` units out
(their indicator tables do not fit those rules); ``all_units=True`` scores every unit under both.
A side given as ``None`` means each unit's own ruleset.

Examples
--------
>>> c = compare(2023, ["mof-2013-dept", "mof-2013-dept-strict"])          # doctest: +SKIP
>>> c.changed[["unit_code", "score_a", "grade_a", "score_b", "grade_b"]]  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import PerfevalError, UnitNotFound
from ..core.store import processed_tables
from .evaluation import evaluate
from .rulesets import load_ruleset

KEY = ["unit_code", "year"]
#: Shown for a side that scores each unit under its own ruleset.
OWN = "(各单位规则集)"
#: A score change smaller than this (points) is rounding noise, not a difference.
TOLERANCE = 1e-6

#: Columns of :attr:`Comparison.units` (canonical names; CSV keeps them).
UNIT_COLUMNS = ["unit_code", "unit_name", "year", "ruleset_a", "score_a", "grade_a", "ruleset_b", "score_b",
                "grade_b", "score_change", "grade_changed", "claimed_score", "main_indicator"]
#: Columns of :attr:`Comparison.indicators`.
INDICATOR_COLUMNS = ["unit_code", "unit_name", "year", "level1", "indicator", "weight", "target_text", "actual_text",
                     "rule_a", "score_a", "rule_b", "score_b", "score_change"]
#: Chinese headers for the screen (the CSV keeps the canonical names).
COMPARE_LABELS = {"unit_code": "单位编码", "unit_name": "单位名称", "year": "年度", "ruleset_a": "规则集A",
                  "score_a": "A复核得分", "grade_a": "A等级", "ruleset_b": "规则集B", "score_b": "B复核得分",
                  "grade_b": "B等级", "score_change": "B−A", "grade_changed": "等级变化", "claimed_score": "自评得分",
                  "main_indicator": "影响最大的指标", "level1": "一级指标", "indicator": "指标", "weight": "分值",
                  "target_text": "年度指标值", "actual_text": "实际完成值", "rule_a": "A评分规则",
                  "rule_b": "B评分规则", "units": "涉及单位数", "total_change": "得分变化合计"}


@dataclass
class Comparison:
    """Two rulesets side by side (see :func:`compare_tables`).

    Attributes
    ----------
    rulesets : tuple of (str, str)
        The names of rulesets A and B (:data:`OWN` for each unit's own).
    units : pandas.DataFrame
        One row per unit-year compared, columns :data:`UNIT_COLUMNS`: ``score_a`` / ``score_b`` in points
        (unrounded), ``grade_a`` / ``grade_b``, ``score_change`` = B − A, ``grade_changed`` (bool),
        ``main_indicator`` (the indicator whose score moved most, for a unit whose score moved).
    indicators : pandas.DataFrame
        One row per indicator whose score differs, columns :data:`INDICATOR_COLUMNS`, largest change first.
    left_out : pandas.DataFrame
        The units not compared (another family): ``unit_code``, ``unit_name``, ``ruleset``.

    Examples
    --------
    >>> c = Comparison(("mof-2020", "mof-2020-strict"), pd.DataFrame({"grade_changed": [True, False]}))
    >>> len(c.changed)
    1
    """

    rulesets: tuple[str, str]
    units: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INDICATOR_COLUMNS))
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["unit_code", "unit_name", "ruleset"]))

    @property
    def changed(self) -> pd.DataFrame:
        """The unit-years whose grade differs between A and B."""
        return self.units[self.units["grade_changed"].astype(bool)].reset_index(drop=True)

    def drivers(self) -> pd.DataFrame:
        """Per indicator: how many unit-years it moved and by how much in all (most moved first).

        Returns
        -------
        pandas.DataFrame
            ``indicator``, ``units`` (unit-years whose score of it changed), ``total_change`` (points,
            B − A summed), ``rule_a``, ``rule_b`` (the rule of its first row under each side).

        Examples
        --------
        >>> rows = pd.DataFrame({"indicator": ["社会效益", "社会效益", "预算执行率"], "score_change": [-1.0, -0.5, 0.2],
        ...                      "rule_a": ["qualitative_band"] * 2 + ["linear_capped"], "rule_b": ["qualitative_band"] * 2
        ...                      + ["linear_capped"]})
        >>> Comparison(("A", "B"), pd.DataFrame(), rows).drivers()[["indicator", "units", "total_change"]].values.tolist()
        [['社会效益', 2, -1.5], ['预算执行率', 1, 0.2]]
        """
        rows = self.indicators
        if rows.empty:
            return pd.DataFrame(columns=["indicator", "units", "total_change", "rule_a", "rule_b"])
        grouped = rows.groupby("indicator", sort=False).agg(
            units=("score_change", "size"), total_change=("score_change", "sum"), rule_a=("rule_a", "first"),
            rule_b=("rule_b", "first")).reset_index()
        grouped["total_change"] = grouped["total_change"].round(6)
        order = grouped["total_change"].abs().sort_values(ascending=False, kind="stable").index
        return grouped.loc[order].reset_index(drop=True)


def _family(name: str | None) -> str | None:
    """The preset family of a ruleset name (None stays None)."""
    return None if name is None else load_ruleset(name).family


def _own_rulesets(units: pd.DataFrame | None, codes: pd.Series) -> pd.Series:
    """Each unit code's own ruleset name (the default ruleset where the registry names none)."""
    named = {}
    if units is not None and len(units) and "ruleset" in units.columns:
        named = dict(zip(units["unit_code"], units["ruleset"]))
    return codes.map(lambda code: named.get(code) if isinstance(named.get(code), str) and named.get(code)
                     else config.DEFAULT_RULESET)


def _only(frame: pd.DataFrame | None, codes: set[str]) -> pd.DataFrame | None:
    """The rows of ``frame`` whose unit is in ``codes``."""
    if frame is None or frame.empty or "unit_code" not in frame.columns:
        return frame
    return frame[frame["unit_code"].isin(codes)].reset_index(drop=True)


def compare_tables(units: pd.DataFrame | None, budget: pd.DataFrame | None, indicators: pd.DataFrame | None,
                   claims: pd.DataFrame | None, rulesets: Sequence[str | None],
                   all_units: bool = False) -> Comparison:
    """Score every unit-year of the tables under ruleset A and ruleset B and line the results up.

    Parameters
    ----------
    units, budget, indicators, claims : pandas.DataFrame or None
        The canonical tables, as :func:`~perfeval_lib.review.evaluation.evaluate` reads them (money in
        万元, weights and scores in points); ``units.ruleset`` names each unit's own ruleset.
    rulesets : sequence of two str or None
        Rulesets A and B by name or path; ``None`` for each unit's own. Grades on the unrounded total
        under each ruleset's bands (rules.md §3).
    all_units : bool
        Score every unit under both, not only the units of the rulesets' families.

    Returns
    -------
    Comparison
        ``units`` one row per unit-year compared; ``indicators`` the indicator scores that differ;
        ``left_out`` the units of other families.

    Raises
    ------
    PerfevalError
        When ``rulesets`` is not two rulesets, both are ``None``, or no unit belongs to their families.
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> ind = pd.DataFrame({"unit_code": ["A"] * 2, "year": [2023] * 2, "indicator": ["培训人次", "社会效益"],
    ...     "level1": ["产出指标", "效益指标"], "level3": ["培训人次", "社会效益"], "kind": ["定量", "定性"],
    ...     "direction": ["≥", None], "weight": [50.0, 50.0], "target": [100.0, np.nan], "actual": [100.0, np.nan],
    ...     "target_text": ["≥100", "达成"], "actual_text": ["100", "部分达成"], "applicable": [True, True],
    ...     "claimed_score": [50.0, np.nan]})  # no claim: the default coefficient applies
    >>> c = compare_tables(None, None, ind, None, ["mof-2020", "mof-2020-strict"])
    >>> c.units[["score_a", "grade_a", "score_b", "grade_b", "grade_changed"]].values.tolist()
    [[90.0, '优', 80.0, '良', True]]
    >>> c.indicators[["indicator", "score_a", "score_b"]].values.tolist()
    [['社会效益', 40.0, 30.0]]
    """
    sides = list(rulesets)
    if len(sides) != 2:
        raise PerfevalError(f"请给出两个规则集 / give exactly two rulesets (got {len(sides)})")
    if sides[0] is None and sides[1] is None:
        raise PerfevalError("至少指定一个规则集 / name at least one ruleset")
    families = {_family(s) for s in sides if s is not None}
    keys = pd.concat([f[KEY] for f in (budget, indicators, claims) if f is not None and len(f)] or
                     [pd.DataFrame(columns=KEY)]).drop_duplicates()
    codes = pd.Series(sorted(keys["unit_code"].unique()), dtype="object")
    own = _own_rulesets(units, codes)
    own_family = own.map(_family)
    inside = own_family.isin(families) | all_units
    names = dict(zip(units["unit_code"], units["unit_name"])) if units is not None and len(units) and "unit_name" in units.columns else {}
    left_out = pd.DataFrame({"unit_code": codes[~inside], "unit_name": codes[~inside].map(names),
                             "ruleset": own[~inside]}).reset_index(drop=True)
    chosen = set(codes[inside])
    if not chosen:
        shown = "、".join(sorted(families))
        raise PerfevalError(f"没有单位使用 {shown} 或其变体；加 --all-units 可用它给所有单位计分 / no unit uses {shown} "
                            "or a variant of it (all_units=True scores every unit under it)")
    tables = [_only(t, chosen) for t in (units, budget, indicators, claims)]
    a, b = (evaluate(*tables, ruleset=side) for side in sides)
    labels = tuple(OWN if s is None else load_ruleset(s).name for s in sides)
    moved = _indicator_rows(a.scored, b.scored, names)
    return Comparison(labels, _main_indicators(_unit_rows(a.results, b.results, names), moved)[UNIT_COLUMNS], moved,
                      left_out)


def _unit_rows(a: pd.DataFrame, b: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Results under A and B, one row per unit-year."""
    keep = [*KEY, "ruleset", "score", "grade"]
    rows = a[[*keep, "claimed_score", "unit_name"]].merge(b[keep], on=KEY, how="outer", suffixes=("_a", "_b"))
    rows["unit_name"] = rows["unit_name"].fillna(rows["unit_code"].map(names))
    rows["score_change"] = np.round(rows["score_b"] - rows["score_a"], 6)
    grade_a, grade_b = rows["grade_a"].fillna(""), rows["grade_b"].fillna("")
    rows["grade_changed"] = (grade_a != grade_b).astype(bool)
    rows["main_indicator"] = None
    return rows.sort_values(KEY).reset_index(drop=True)


def _indicator_rows(a: pd.DataFrame, b: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Indicator rows whose score differs between A and B, largest change first."""
    if a.empty or b.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    info = [c for c in ("level1", "weight", "target_text", "actual_text") if c in a.columns]
    merged = a[[*KEY, "indicator", *info, "rule", "score"]].merge(
        b[[*KEY, "indicator", "rule", "score"]], on=[*KEY, "indicator"], how="inner", suffixes=("_a", "_b"))
    change = merged["score_b"] - merged["score_a"]
    moved = (change.abs() > TOLERANCE) | (merged["score_a"].isna() != merged["score_b"].isna())
    rows = merged[moved].assign(score_change=np.round(change[moved], 6), unit_name=merged.loc[moved, "unit_code"].map(names))
    for column in INDICATOR_COLUMNS:
        if column not in rows.columns:
            rows[column] = None
    order = rows["score_change"].abs().sort_values(ascending=False, kind="stable").index
    return rows.loc[order, INDICATOR_COLUMNS].reset_index(drop=True)


def _main_indicators(units: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``main_indicator``: per unit-year, the indicator whose score moved most."""
    if indicators.empty:
        return units
    top = indicators.drop_duplicates(KEY)[[*KEY, "indicator"]]  # rows are largest change first
    merged = units.drop(columns="main_indicator").merge(top, on=KEY, how="left")
    return merged.rename(columns={"indicator": "main_indicator"})


def compare(year: int | None = None, rulesets: Sequence[str | None] = (config.DEFAULT_RULESET,),
            units: Sequence[str] | None = None, processed_dir=None, all_units: bool = False) -> Comparison:
    """Rulesets side by side on the processed tables (what ``perfeval compare`` shows).

    Parameters
    ----------
    year : int, optional
        Only this year (default every year).
    rulesets : sequence of one or two str
        ``[A, B]``; one name ``[B]`` compares each unit's own ruleset (A) with B.
    units : sequence of str, optional
        Only these unit codes.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    all_units : bool
        Score every unit under both rulesets, not only the units of their families.

    Returns
    -------
    Comparison
        As :func:`compare_tables`.

    Raises
    ------
    PerfevalError
        When ``rulesets`` has not one or two names, there is no data for ``year``, a unit is unknown, or no
        unit belongs to the rulesets' families.
    RulesetError
        When a ruleset cannot be loaded.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> c = compare(2023, ["mof-2013-dept", "mof-2013-dept-strict"])     # doctest: +SKIP
    >>> c.changed[["unit_code", "grade_a", "grade_b", "main_indicator"]]  # doctest: +SKIP
    """
    names = list(rulesets)
    if len(names) == 1:
        names = [None, names[0]]
    if len(names) != 2:
        raise PerfevalError(f"请给出一个或两个规则集 / give one or two rulesets (got {len(names)})")
    tables = processed_tables(processed_dir)
    picked = {}
    for name in ("budget", "indicators", "claims"):
        frame = tables[name]
        picked[name] = frame[frame["year"] == year] if year is not None and len(frame) else frame
    known = set().union(*(set(f["unit_code"]) for f in picked.values() if len(f)))
    if not known:
        years = "、".join(str(y) for y in sorted(tables["results"]["year"].unique())) or "无"
        raise UnitNotFound(f"没有 {year} 年的数据（已有：{years}）/ no data for {year}")
    if units:
        unknown = sorted(set(units) - known)
        if unknown:
            raise UnitNotFound(f"未知的单位编码 / unknown unit codes: {', '.join(unknown)}")
        picked = {name: frame[frame["unit_code"].isin(units)] if len(frame) else frame for name, frame in picked.items()}
    picked = {name: frame.reset_index(drop=True) for name, frame in picked.items()}
    return compare_tables(tables["units"], picked["budget"], picked["indicators"], picked["claims"], names,
                          all_units=all_units)


def with_variant(units: pd.DataFrame, ruleset: str) -> pd.DataFrame:
    """The unit registry with ``ruleset`` as the ruleset of every unit whose own ruleset is in its family.

    Parameters
    ----------
    units : pandas.DataFrame
        The ``units`` table (``unit_code``, ``ruleset``; a unit without one uses the default ruleset).
    ruleset : str
        A ruleset name or path, e.g. a documented variant (``mof-2020-strict``).

    Returns
    -------
    pandas.DataFrame
        A new frame; the other units keep their own ruleset.

    Raises
    ------
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_code": ["A", "B"], "ruleset": ["mof-2020", "mof-2013-dept"]})
    >>> with_variant(u, "mof-2020-strict")["ruleset"].tolist()
    ['mof-2020-strict', 'mof-2013-dept']
    """
    family = _family(ruleset)
    own = _own_rulesets(units, units["unit_code"])
    return units.assign(ruleset=own.where(own.map(_family) != family, load_ruleset(ruleset).name))

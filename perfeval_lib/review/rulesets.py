"""Rulesets: the scoring settings of a place and year, read from ``params/rulesets/<name>.yaml`` and checked.

A ruleset says which rule scores each indicator, the execution-rate denominator, optional rounding of
the rate, the grade bands and the coefficients of qualitative judgements. Nothing of this is in code.

Examples
--------
>>> ruleset = load_ruleset("mof-2020")
>>> ruleset.total, ruleset.grade_bands[0]
(100.0, (90.0, '优'))
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core import config
from ..core.config import available_rulesets
from ..core.errors import RulesetError

#: The rule catalogue: every name a ruleset or an indicator row may use.
RULES = ("linear_capped", "reverse_linear", "per_point_deduction", "step_deduction", "bands",
         "qualitative_band", "not_applicable")
_MATCH_KEYS = {"level1", "level2", "level3", "kind", "direction"}
_DENOMINATORS = {"budget_final", "budget_initial"}


@dataclass(frozen=True)
class RuleEntry:
    """One line of a ruleset's ``rules`` list: which rows it matches and how they are scored.

    Attributes
    ----------
    rule : str
        A name from :data:`RULES` (rules.md §2).
    match : dict
        Column → wanted value; ``level1``/``level2``/``level3`` are regular expressions searched in
        the indicator's names, ``kind`` and ``direction`` must equal. Empty: matches every row.
    params : dict
        The rule's parameters (``k``, ``threshold``, ``step``, ``points``, ``bands``, ``above``).
    actual_from : str or None
        ``'execution_rate'``: score the rate recomputed from the budget table instead of the
        typed-in actual value.

    Examples
    --------
    >>> RuleEntry("per_point_deduction", {"level3": "在职人员控制率"}, {"k": 0.5}).describe()
    'per_point_deduction(k=0.5)'
    """

    rule: str
    match: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    actual_from: str | None = None

    def describe(self) -> str:
        """The rule with its parameters, as shown in the ``rule`` column of scored rows.

        Returns
        -------
        str
            ``rule`` alone, or ``rule(key=value, …)`` when it has parameters.

        Examples
        --------
        >>> RuleEntry("linear_capped").describe()
        'linear_capped'
        >>> RuleEntry("step_deduction", params={"step": 0.05, "points": 2}).describe()
        'step_deduction(step=0.05, points=2)'
        """
        return self.rule if not self.params else f"{self.rule}({', '.join(f'{k}={v}' for k, v in self.params.items())})"


@dataclass(frozen=True)
class Ruleset:
    """A parsed, checked ruleset. Use :func:`load_ruleset` to get one.

    Attributes
    ----------
    name, title : str
        The ruleset's name (``mof-2020``) and a one-line title.
    total : float
        The points all weights must add up to (100).
    rules : tuple of RuleEntry
        First match wins; the last entry matches everything.
    grade_bands : tuple of (float, str)
        (lowest total, grade), highest first; a total at a band's minimum gets that grade.
        The shipped presets use 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below ("财政部预算司 standard bands"
        90-100 / 80-89 / 60-79 / 0-59, rules.md §3).
    qualitative : dict of str to float
        Default share of the weight for 达成 / 部分达成 / 未达成 (the presets: 1.0 / 0.8 / 0 — a result
        not achieved earns nothing unless the unit states a coefficient inside its band).
    qualitative_bands : dict of str to (float, float)
        The band of each judgement (rules.md §2: 80–100 % / 60–80 % / 0–60 %, unverified): a claimed
        score whose share of the weight lies inside its judgement's band is taken as stated.
    level1_weights : dict or None
        Expected weight (points) per 一级指标 (mof-2020: 预算执行率 10, 产出指标 50, 效益指标 30,
        满意度指标 10, "财预〔2020〕10号 单位自评"); None when weights vary by place.
    level1_names : tuple of str
        The 一级指标 names the ruleset expects (mof-2013-dept: 投入, 过程, 产出, 效果).
    denominator : str
        The execution-rate denominator: ``budget_final`` (全年/调整后预算数) or ``budget_initial``.
    round_rate_to : float or None
        Round the execution rate to this step before scoring (rules.md §1; default none).
    note_required_below : float
        A rate below this (fraction) needs a written explanation (0.90, Sichuan template).
    judgement : tuple of (float, str)
        (lowest rate, words) for the report's figures sentence, highest first.
    path : str
        The YAML file read.
    basis : str
        A short name for sentences: 依据{basis}计分.
    variant_of : str
        The preset this ruleset is a documented variant of (``mof-2020-strict`` → ``mof-2020``); empty
        for a preset. :func:`perfeval_lib.review.compare.compare` pairs them.
    reverse_names : tuple of str
        Regular expressions of reverse-indicator names (事故率, 超支率, 变动率 …), matched on the
        normalised 三级指标 name (:func:`perfeval_lib.core.names.name_key`): used only for a row whose
        form states no direction, and reported as an assumption (rules.md §2b).

    Examples
    --------
    >>> dept = load_ruleset("mof-2013-dept")
    >>> dept.level1_names, dept.level1_weights
    (('投入', '过程', '产出', '效果'), None)
    >>> dept.grade_bands
    ((90.0, '优'), (80.0, '良'), (60.0, '中'), (0.0, '差'))
    """

    name: str
    title: str
    total: float
    rules: tuple[RuleEntry, ...]
    grade_bands: tuple[tuple[float, str], ...]
    qualitative: dict
    level1_weights: dict | None
    level1_names: tuple[str, ...]
    denominator: str
    round_rate_to: float | None
    note_required_below: float
    judgement: tuple[tuple[float, str], ...]
    path: str = ""
    basis: str = ""  # a short name for sentences: 依据{basis}计分
    variant_of: str = ""  # the preset this ruleset varies (mof-2020-strict → mof-2020)

    @property
    def family(self) -> str:
        """The preset a ruleset belongs to: ``variant_of`` when set, else its own name.

        Examples
        --------
        >>> load_ruleset("mof-2020-strict").family, load_ruleset("mof-2020").family
        ('mof-2020', 'mof-2020')
        """
        return self.variant_of or self.name
    reverse_names: tuple[str, ...] = ()
    qualitative_bands: dict = field(default_factory=dict)

    def grade(self, total: float) -> str | None:
        """The grade of an unrounded total under these bands (None for a missing total).

        Parameters
        ----------
        total : float
            A total score in points, not rounded first (89.99 is 良, not 优).

        Returns
        -------
        str or None
            The grade word; a total below the lowest band's minimum gets the lowest grade.

        Examples
        --------
        >>> mof = load_ruleset("mof-2020")
        >>> mof.grade(90.0), mof.grade(89.99), mof.grade(float("nan"))
        ('优', '良', None)
        """
        return self.grades([total])[0]

    def grades(self, totals) -> np.ndarray:
        """Vectorised :meth:`grade`: an object array of grade words (None where a total is missing).

        Parameters
        ----------
        totals : array-like of float
            Unrounded totals in points.

        Returns
        -------
        numpy.ndarray
            object dtype, one grade word (or None) per total.

        Examples
        --------
        >>> load_ruleset("mof-2020").grades([80.0, 60.0, 59.99, np.nan]).tolist()
        ['良', '中', '差', None]
        """
        totals = np.asarray(totals, dtype="float64")
        lows = np.array([low for low, _ in reversed(self.grade_bands)])
        words = np.array([word for _, word in reversed(self.grade_bands)] + [None], dtype=object)
        position = np.clip(np.searchsorted(lows, totals, side="right") - 1, 0, None)
        return np.where(np.isnan(totals), words[-1], words[position])


def _fail(path: Path, what: str) -> RulesetError:
    return RulesetError(f"规则集 {path} 有误 / ruleset {path} is invalid: {what}")


def _entry(raw: dict, path: Path, position: int) -> RuleEntry:
    if not isinstance(raw, dict) or raw.get("rule") not in RULES:
        raise _fail(path, f"rules[{position}]: rule must be one of {', '.join(RULES)}")
    match = raw.get("match") or {}
    unknown = set(match) - _MATCH_KEYS
    if unknown:
        raise _fail(path, f"rules[{position}]: unknown match key(s) {sorted(unknown)}")
    for key in ("level1", "level2", "level3"):
        if key in match:
            try:
                re.compile(str(match[key]))
            except re.error as exc:
                raise _fail(path, f"rules[{position}].match.{key}: bad regular expression ({exc})") from None
    actual_from = raw.get("actual_from")
    if actual_from not in (None, "execution_rate"):
        raise _fail(path, f"rules[{position}]: actual_from must be execution_rate")
    return RuleEntry(raw["rule"], dict(match), dict(raw.get("params") or {}), actual_from)


def ruleset_path(name: str | Path) -> Path:
    """The file of a ruleset given by name (``'mof-2020'``) or by path.

    Parameters
    ----------
    name : str or pathlib.Path
        A name looked up as ``params/rulesets/<name>.yaml``, or the path of an existing ``.yaml`` /
        ``.yml`` file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    RulesetError
        When neither the path nor ``params/rulesets/<name>.yaml`` exists; the message lists the
        available names.

    Examples
    --------
    >>> ruleset_path("mof-2020").name
    'mof-2020.yaml'
    """
    candidate = Path(name)
    if candidate.suffix in {".yaml", ".yml"} and candidate.exists():
        return candidate
    path = config.rulesets_dir() / f"{name}.yaml"
    if not path.exists():
        available = ", ".join(available_rulesets()) or "无 / none"
        raise RulesetError(f"找不到规则集「{name}」/ no ruleset named {name!r}; 可用 available: {available}")
    return path




@functools.lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> Ruleset:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, str(exc)) from None
    if not isinstance(raw, dict):
        raise _fail(path, "not a mapping")
    rate = raw.get("execution_rate") or {}
    if rate.get("denominator", "budget_final") not in _DENOMINATORS:
        raise _fail(path, f"execution_rate.denominator must be one of {sorted(_DENOMINATORS)}")
    rules = tuple(_entry(r, path, i) for i, r in enumerate(raw.get("rules") or []))
    if not rules or rules[-1].match:
        raise _fail(path, "rules must end with a catch-all entry (no match)")
    bands = tuple(sorted(((float(b["min"]), str(b["grade"])) for b in raw.get("grades") or []), reverse=True))
    if not bands:
        raise _fail(path, "grades are missing")
    judgement = tuple(sorted(((float(j["min"]), str(j["word"])) for j in rate.get("judgement") or []), reverse=True))
    qualitative_bands = _bands(raw.get("qualitative_bands") or {}, path)
    return Ruleset(
        name=str(raw.get("name") or path.stem), title=str(raw.get("title") or path.stem),
        total=float(raw.get("total", 100)), rules=rules, grade_bands=bands,
        qualitative={str(k): float(v) for k, v in (raw.get("qualitative") or {}).items()},
        level1_weights=raw.get("level1_weights"), level1_names=tuple(raw.get("level1_names") or ()),
        denominator=rate.get("denominator", "budget_final"), round_rate_to=rate.get("round_rate_to"),
        note_required_below=float(rate.get("note_required_below", 0.9)), judgement=judgement, path=str(path),
        basis=str(raw.get("basis") or raw.get("title") or path.stem), variant_of=str(raw.get("variant_of") or ""),
        reverse_names=_patterns(raw.get("reverse_names") or [], path), qualitative_bands=qualitative_bands)


def _patterns(names: list, path: Path) -> tuple[str, ...]:
    for position, pattern in enumerate(names):
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise _fail(path, f"reverse_names[{position}]: bad regular expression ({exc})") from None
    return tuple(str(p) for p in names)


def _bands(raw, path: Path) -> dict:
    """``qualitative_bands``: judgement → (lowest, highest) share of the weight, 0 ≤ lowest ≤ highest ≤ 1."""
    if not isinstance(raw, dict):
        raise _fail(path, "qualitative_bands must map a judgement to [lowest, highest]")
    bands = {}
    for word, pair in raw.items():
        try:
            low, high = (float(x) for x in pair)
        except (TypeError, ValueError):
            raise _fail(path, f"qualitative_bands.{word} must be [lowest, highest], not {pair!r}") from None
        if not 0.0 <= low <= high <= 1.0:
            raise _fail(path, f"qualitative_bands.{word}: need 0 ≤ {low} ≤ {high} ≤ 1")
        bands[str(word)] = (low, high)
    return bands


def load_ruleset(name: str | Path | Ruleset = config.DEFAULT_RULESET) -> Ruleset:
    """Load (and cache) a ruleset by name or path; a :class:`Ruleset` is passed through.

    The file is read again only when it changes. Rules, grade bands and coefficients come from the
    file, never from code (rules.md: what varies by place or year is a ruleset setting).

    Parameters
    ----------
    name : str, pathlib.Path or Ruleset, default ``'mof-2020'``
        A ruleset name (``params/rulesets/<name>.yaml``), a YAML path, or a loaded ruleset.

    Returns
    -------
    Ruleset

    Raises
    ------
    RulesetError
        When the file does not exist (see :func:`ruleset_path`), is not readable YAML or not a mapping,
        names a rule not in :data:`RULES` or an unknown ``match`` key, has a bad regular expression,
        an ``actual_from`` other than ``execution_rate``, a denominator other than ``budget_final`` /
        ``budget_initial``, no catch-all last rule, or no grade bands.
    KeyError, ValueError, TypeError
        When a ``grades`` or ``judgement`` entry lacks ``min`` or has a ``min`` that is not a number
        (not wrapped in :class:`RulesetError`).

    Examples
    --------
    >>> load_ruleset("mof-2013-dept").rules[0].rule
    'per_point_deduction'
    >>> mof = load_ruleset("mof-2020")
    >>> mof.denominator, mof.level1_weights["产出指标"], mof.qualitative["部分达成"]
    ('budget_final', 50, 0.8)
    """
    if isinstance(name, Ruleset):
        return name
    path = ruleset_path(name)
    return _load(path.resolve(), path.stat().st_mtime)


def per_ruleset(names: pd.Series, attribute) -> pd.Series:
    """``attribute(ruleset)`` for a column of ruleset names, loading each distinct ruleset once.

    Parameters
    ----------
    names : pandas.Series
        Ruleset names (or paths), one per row; missing names allowed.
    attribute : callable
        ``Ruleset → value``, e.g. ``lambda r: r.total``.

    Returns
    -------
    pandas.Series
        Same index as ``names``; NaN where the name is missing.

    Raises
    ------
    RulesetError
        When a name cannot be loaded (see :func:`load_ruleset`).

    Examples
    --------
    >>> per_ruleset(pd.Series(["mof-2020", "mof-2020"]), lambda r: r.total).tolist()
    [100.0, 100.0]
    """
    lookup = {name: attribute(load_ruleset(name)) for name in names.dropna().unique()}
    return names.map(lookup)


def grade_by_ruleset(totals: pd.Series, names: pd.Series) -> pd.Series:
    """Grades of totals, each under the bands of its own ruleset (rows aligned).

    Grades are given on the unrounded total (rules.md §3; presets: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below,
    "财政部预算司 standard bands").

    Parameters
    ----------
    totals : pandas.Series
        Total scores in points.
    names : pandas.Series
        The ruleset name of each row, aligned with ``totals`` by position.

    Returns
    -------
    pandas.Series
        object dtype, index of ``totals``: the grade word, or None where the total or the name is
        missing.

    Raises
    ------
    RulesetError
        When a name cannot be loaded.

    Examples
    --------
    >>> grade_by_ruleset(pd.Series([90.0, 89.99, np.nan]), pd.Series(["mof-2020"] * 3)).tolist()
    ['优', '良', None]
    """
    out = np.full(len(totals), None, dtype=object)
    for name in names.dropna().unique():
        rows = (names == name).to_numpy()
        out[rows] = load_ruleset(name).grades(totals[rows].to_numpy(dtype="float64"))
    return pd.Series(out, index=totals.index, dtype="object")

"""Rulesets: the scoring settings of a place and year, read from ``params/rulesets/<name>.yaml``.

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
    """One line of a ruleset's ``rules`` list: which rows it matches and how they are scored."""

    rule: str
    match: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    actual_from: str | None = None

    def describe(self) -> str:
        return self.rule if not self.params else f"{self.rule}({', '.join(f'{k}={v}' for k, v in self.params.items())})"


@dataclass(frozen=True)
class Ruleset:
    """A parsed, checked ruleset. Use :func:`load_ruleset` to get one."""

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

    def grade(self, total: float) -> str | None:
        """The grade of an unrounded total under these bands (None for a missing total)."""
        return self.grades([total])[0]

    def grades(self, totals) -> np.ndarray:
        """Vectorised :meth:`grade`: an object array of grade words (None where a total is missing)."""
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
    """The file of a ruleset given by name (``'mof-2020'``) or by path."""
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
    return Ruleset(
        name=str(raw.get("name") or path.stem), title=str(raw.get("title") or path.stem),
        total=float(raw.get("total", 100)), rules=rules, grade_bands=bands,
        qualitative={str(k): float(v) for k, v in (raw.get("qualitative") or {}).items()},
        level1_weights=raw.get("level1_weights"), level1_names=tuple(raw.get("level1_names") or ()),
        denominator=rate.get("denominator", "budget_final"), round_rate_to=rate.get("round_rate_to"),
        note_required_below=float(rate.get("note_required_below", 0.9)), judgement=judgement, path=str(path),
        basis=str(raw.get("basis") or raw.get("title") or path.stem))


def load_ruleset(name: str | Path | Ruleset = config.DEFAULT_RULESET) -> Ruleset:
    """Load (and cache) a ruleset by name or path; a :class:`Ruleset` is passed through.

    >>> load_ruleset("mof-2013-dept").rules[0].rule
    'per_point_deduction'
    """
    if isinstance(name, Ruleset):
        return name
    path = ruleset_path(name)
    return _load(path.resolve(), path.stat().st_mtime)


def per_ruleset(names: pd.Series, attribute) -> pd.Series:
    """``attribute(ruleset)`` for a column of ruleset names, loading each distinct ruleset once.

    >>> per_ruleset(pd.Series(["mof-2020", "mof-2020"]), lambda r: r.total).tolist()
    [100.0, 100.0]
    """
    lookup = {name: attribute(load_ruleset(name)) for name in names.dropna().unique()}
    return names.map(lookup)


def grade_by_ruleset(totals: pd.Series, names: pd.Series) -> pd.Series:
    """Grades of totals, each under the bands of its own ruleset (rows aligned).

    >>> grade_by_ruleset(pd.Series([90.0, 89.99, np.nan]), pd.Series(["mof-2020"] * 3)).tolist()
    ['优', '良', None]
    """
    out = np.full(len(totals), None, dtype=object)
    for name in names.dropna().unique():
        rows = (names == name).to_numpy()
        out[rows] = load_ruleset(name).grades(totals[rows].to_numpy(dtype="float64"))
    return pd.Series(out, index=totals.index, dtype="object")

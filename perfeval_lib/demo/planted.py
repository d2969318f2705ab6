"""The plan of planted errors: which unit-years carry which deliberate error, and the catalogue of
error kinds. :func:`_plan` draws, from the seeded ``plan`` stream, disjoint unit-years (never the 元
unit ``D017``) for each budget and indicator error, plus two units that spend slowly; the generating
modules plant the errors and record each one with :func:`_error`, so that
:func:`~perfeval_lib.demo.planted_errors` lists the findings an audit should make, in the order of
``_ERROR_ORDER``, with the file each appears in (``_ERROR_FILES``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .names import CLAIMS_FILE, SPENDING_FILE, YUAN_UNIT


@dataclass
class _Plan:
    """Which unit-years carry which planted error (indicator/claims picks that depend on
    generated values are made later)."""

    total_mismatch: tuple[str, int]
    overspend: tuple[str, int]
    zero_line: tuple[str, int]
    low_explained: list[tuple[str, int]]
    low_unexplained: list[tuple[str, int]]
    weights_95: tuple[str, int]
    full_marks: list[tuple[str, int]]
    deduction: list[tuple[str, int]]
    slow_units: list[str]
    used: set = field(default_factory=set)

    def budget_mode(self, key: tuple[str, int]) -> str:
        """How the budget lines of unit-year ``key`` are drawn: normal, or the error planted there."""
        if key == self.overspend:
            return "overspend"
        if key == self.zero_line:
            return "zero_line"
        if key in self.low_explained:
            return "low_explained"
        if key in self.low_unexplained:
            return "low_unexplained"
        return "normal"


_PLAN_SIZES = {"total_mismatch": 1, "overspend": 1, "zero_line": 1, "low_explained": 2, "low_unexplained": 2,
               "weights_95": 1, "full_marks": 6, "deduction": 3}
_CLAIM_PICKS = 4  # 3 inflated totals + 1 inconsistent grade


def _plan(units: pd.DataFrame, years: Sequence[int], rng: np.random.Generator) -> _Plan:
    """Draw disjoint unit-years for every planted error (and two slow-spending units), never ``D017``.

    Raises ``ValueError`` when there are too few unit-years (21 besides ``D017``) to plant them all.
    """
    codes = [c for c in units["unit_code"] if c != YUAN_UNIT]
    keys = [(c, y) for c in codes for y in years]
    needed = sum(_PLAN_SIZES.values()) + _CLAIM_PICKS
    if len(keys) < needed or len(codes) < 2:
        raise ValueError(f"the demo needs at least {needed} unit-years besides {YUAN_UNIT}; got {len(keys)}")
    order = [keys[i] for i in rng.permutation(len(keys))]
    picks = {}
    for name, size in _PLAN_SIZES.items():
        picks[name], order = order[:size], order[size:]
    slow = sorted(str(c) for c in rng.choice(codes, size=2, replace=False))
    plan = _Plan(picks["total_mismatch"][0], picks["overspend"][0], picks["zero_line"][0],
                 picks["low_explained"], picks["low_unexplained"], picks["weights_95"][0],
                 picks["full_marks"], picks["deduction"], slow)
    plan.used = {k for v in picks.values() for k in v}
    return plan


def _error(errors: list, code: str, year: int, kind: str, detail: str) -> None:
    """Record one planted error (a row of :func:`~perfeval_lib.demo.planted_errors`) in ``errors``."""
    errors.append({"unit_code": code, "year": int(year), "kind": kind, "detail": detail})


#: The order of the kinds in the planted-errors table, and the file each kind is found in.
_ERROR_ORDER = ("budget_total_mismatch", "budget_overspend", "budget_zero_line", "low_execution_explained",
                "low_execution_unexplained", "slow_spending", "weights_not_100", "full_marks_on_miss",
                "unexplained_deduction", "claim_total_inflated", "claim_grade_inconsistent")
_ERROR_FILES = {"budget_total_mismatch": "budget_<year>", "budget_overspend": "budget_<year>",
                "budget_zero_line": "budget_<year>", "low_execution_explained": "budget_<year>",
                "low_execution_unexplained": "budget_<year>", "slow_spending": SPENDING_FILE,
                "weights_not_100": "indicators_<year>", "full_marks_on_miss": "indicators_<year>",
                "unexplained_deduction": "indicators_<year>", "claim_total_inflated": CLAIMS_FILE,
                "claim_grade_inconsistent": CLAIMS_FILE}

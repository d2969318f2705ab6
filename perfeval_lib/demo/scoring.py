"""How the demo writes numbers and scores the rows an honest unit would claim. :func:`_honest_scores`
scores each indicator the simple way the README documents (target met → full 分值; missed → 分值 ×
actual/target, target/actual or min/max by direction; 定性 by the word's share; 不涉及 full; 1 decimal,
halves up), :func:`grade_of` turns a total into 优/良/中/差, and :func:`_fmt_num` writes numbers as people
type them (``96.5``, ``100``, ``+2.3``). The library's own scoring is in :mod:`perfeval_lib.review`;
the generator does not use it.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

_GRADES = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (-math.inf, "差"))


def _fmt_num(value: float, decimals: int, signed: bool = False) -> str:
    """``96.50`` → ``'96.5'``, ``100.0`` → ``'100'``; ``signed`` writes ``+`` before positives."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"+{text}" if signed and value > 0 and not text.startswith("+") and text != "0" else text


def _blank(value: object) -> str:
    """Cell text for an optional value: '' for None/NaN."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def grade_of(total: float) -> str:
    """Grade for a total score: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.

    Parameters
    ----------
    total
        A 自评总分 out of 100 points.

    Returns
    -------
    str
        ``"优"``, ``"良"``, ``"中"`` or ``"差"``.

    Examples
    --------
    >>> grade_of(86.5), grade_of(90)
    ('良', '优')
    """
    return next(grade for floor, grade in _GRADES if total >= floor)


def _direction_codes(direction: Sequence[object]) -> np.ndarray:
    """Direction as int8 codes: ≥ → 0, ≤ → 1, = → 2, anything else (定性, None) → -1."""
    lookup = {"≥": 0, "≤": 1, "=": 2}
    return np.array([lookup.get(d, -1) for d in direction], dtype=np.int8)


def _honest_scores(weight, direction_code, target, actual, qual_factor, applicable):
    """Scores an honest unit would claim, and whether each target was met.

    Met → full 分值. Missed: ≥ → 分值×actual/target; ≤ → 分值×target/actual (0 when the target is
    0, e.g. "三公"经费变动率 ≤0%); = → 分值×min/max. 定性 → 分值 × the word's share. 不涉及 → full.
    Rounded to 1 decimal, halves up.
    """
    weight = np.asarray(weight, dtype=float)
    t = np.asarray(target, dtype=float)
    a = np.asarray(actual, dtype=float)
    eps = 1e-9
    ge, le, eq = direction_code == 0, direction_code == 1, direction_code == 2
    met = (ge & (a >= t - eps)) | (le & (a <= t + eps)) | (eq & (np.abs(a - t) <= eps))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ge, a / t, np.where(le, np.where(t > 0, t / a, 0.0),
                                            np.minimum(a, t) / np.maximum(a, t)))
    ratio = np.clip(np.nan_to_num(ratio, nan=0.0, posinf=0.0, neginf=0.0), 0.0, 1.0)
    factor = np.where(met, 1.0, ratio)
    qualitative = direction_code < 0
    factor = np.where(qualitative, qual_factor, factor)
    met = np.where(qualitative, qual_factor >= 1.0, met)
    factor = np.where(applicable, factor, 1.0)
    met = np.where(applicable, met, True)
    return _round_half_up(weight * factor), met.astype(bool)


def _round_half_up(values) -> np.ndarray:
    """1 decimal, halves up (四舍五入: 9.55 → 9.6), not numpy's round-half-even on binary floats."""
    return np.floor(np.asarray(values, dtype=float) * 10 + 0.5 + 1e-9) / 10

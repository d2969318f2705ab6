"""Large canonical tables, made fast and vectorised, for the benchmarks. :func:`synthetic_indicators`
and :func:`synthetic_budget` skip the raw files and their dirt and return the canonical columns the
library works on (rates as fractions, money in 万元), for any number of invented units ``B000001``…
with five years each, so scoring and batch runs can be timed on tables of any size.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from .names import (BASIC, FISCAL, NOT_APPLICABLE, OTHER, PROJECT, QUAL, QUANT, _LOW_EXECUTION_NOTES, _MISS_REASONS,
                    _rng)
from .scoring import _direction_codes, _fmt_num, _honest_scores
from .specs import _MET_SHARE, _QUAL_PROBS, _QUAL_SCALES
from .units import _GENERIC_PROJECTS

# 30 slots of the mof-2020 structure: (level1, level2, level3, weight, measure, direction, target)
# target: a fraction for "%", (lo, hi) for counts, the word for 定性 (direction None).
_SYNTHETIC_SLOTS = (
    ("预算执行率", "预算执行率", "预算执行率", 10, "%", "≥", 1.0),
    ("产出指标", "数量指标", "开展宣讲活动场次", 4, "场", "≥", (8, 20)),
    ("产出指标", "数量指标", "组织业务培训次数", 4, "次", "≥", (4, 12)),
    ("产出指标", "数量指标", "培训人次", 3, "人次", "≥", (200, 1500)),
    ("产出指标", "数量指标", "服务对象覆盖人数", 3, "人", "≥", (1000, 20000)),
    ("产出指标", "数量指标", "发放宣传资料份数", 3, "份", "≥", (2000, 10000)),
    ("产出指标", "数量指标", "完成督导检查次数", 3, "次", "≥", (6, 24)),
    ("产出指标", "质量指标", "培训合格率", 3, "%", "≥", 0.9),
    ("产出指标", "质量指标", "项目验收合格率", 3, "%", "≥", 0.95),
    ("产出指标", "质量指标", "检查问题整改率", 3, "%", "≥", 0.95),
    ("产出指标", "质量指标", "服务规范达标率", 3, "%", "≥", 0.95),
    ("产出指标", "时效指标", "资金按时拨付率", 3, "%", "=", 1.0),
    ("产出指标", "时效指标", "项目按期完成率", 3, "%", "≥", 0.95),
    ("产出指标", "时效指标", "投诉办结及时率", 3, "%", "≥", 0.95),
    ("产出指标", "成本指标", "项目成本控制率", 3, "%", "≤", 1.0),
    ("产出指标", "成本指标", "人均培训成本", 3, "元", "≤", (300, 800)),
    ("产出指标", "成本指标", "公用经费支出控制率", 3, "%", "≤", 1.0),
    ("效益指标", "社会效益指标", "群众政策知晓率", 3, "%", "≥", 0.85),
    ("效益指标", "社会效益指标", "服务对象权益保障水平", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "公共服务水平提升", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "投诉问题解决率", 3, "%", "≥", 0.9),
    ("效益指标", "社会效益指标", "部门履职能力提升", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "突发事件处置率", 3, "%", "=", 1.0),
    ("效益指标", "可持续影响指标", "长效管理机制建立情况", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "制度建设完善程度", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "数字化管理水平", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "设施设备完好率", 3, "%", "≥", 0.95),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", 3, "%", "≥", 0.9),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", 3, "%", "≥", 0.85),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", 4, "%", "≥", 0.9),
)
_SYNTHETIC_YEARS = np.arange(2019, 2024)
SYNTHETIC_INDICATOR_COLUMNS = ["unit_code", "year", "indicator", "level1", "level2", "level3", "weight", "kind",
                               "direction", "target", "actual", "measure", "claimed_score", "note", "applicable",
                               "target_text", "actual_text"]
SYNTHETIC_BUDGET_COLUMNS = ["unit_code", "year", "line", "category", "funding_source", "project", "budget_initial",
                            "budget_final", "executed", "note"]


def _str_take(values: Sequence[object], codes: np.ndarray) -> pd.arrays.ArrowStringArray:
    """A pandas ``str`` column of ``values[codes]``, built without touching each row in Python."""
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(codes)


def _texts(values: np.ndarray, fmt) -> tuple[list[str], np.ndarray]:
    """Format each distinct value once: (texts, codes) with ``texts[codes]`` the formatted column."""
    uniques, codes = np.unique(values, return_inverse=True)
    return [fmt(v) for v in uniques], codes.ravel()


def synthetic_indicators(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """Canonical indicator rows, fast, for benchmarks (invented; mof-2020 structure).

    Every unit-year has the same 30 indicators (预算执行率 10 / 产出指标 50 / 效益指标 30 /
    满意度指标 10; weights sum to exactly 100). Rates are fractions. To keep every unit-year whole,
    ``ceil(n_rows / 30) * 30`` rows are returned (at most 29 more than asked). Each unit has
    five years, 2019–2023. About 85 % of targets are met; scores are the honest ones except that
    about 1 % of missed targets claim full marks; about 1 % of rows are 不涉及.

    Parameters
    ----------
    n_rows
        Rows wanted (rounded up to whole unit-years).
    seed
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Columns (in ``SYNTHETIC_INDICATOR_COLUMNS`` order) unit_code (``B000001``…), year (int64),
        indicator (the 三级指标 name), level1, level2, level3, weight (float64, points), kind
        (定量/定性), direction (≥/≤/= or NA), target, actual (float64: a fraction for ``%`` rows, so
        0.9 is 90 %, a count for the others; NaN for 定性 and 不涉及), measure (``%``, 场, 元…),
        claimed_score (float64, points), note (偏差原因 or NA), applicable (bool), target_text and
        actual_text (as written: ``≥90%``, ``96.5%``, ``12``, 达成, 不涉及). Text columns are
        pandas ``str``.

    Examples
    --------
    >>> frame = synthetic_indicators(60, seed=1)
    >>> len(frame), frame["unit_code"].iloc[0]
    (60, 'B000001')
    >>> frame.groupby(["unit_code", "year"])["weight"].sum().tolist()
    [100.0, 100.0]
    """
    n_slots = len(_SYNTHETIC_SLOTS)
    n_uy = max(0, math.ceil(n_rows / n_slots))
    n = n_uy * n_slots
    rng = _rng(seed, "synthetic")
    level1, level2, level3, weights, measures, directions, targets = zip(*_SYNTHETIC_SLOTS)
    slot = np.tile(np.arange(n_slots), n_uy)
    uy = np.repeat(np.arange(n_uy), n_slots)

    is_qual = np.array([d is None for d in directions])[slot]
    is_pct = np.array([m == "%" for m in measures])[slot]
    dir_code = _direction_codes(directions)[slot]
    pct_target = np.array([t if isinstance(t, float) else np.nan for t in targets])[slot]
    lo = np.array([t[0] if isinstance(t, tuple) else 0 for t in targets])[slot]
    hi = np.array([t[1] if isinstance(t, tuple) else 0 for t in targets])[slot]
    count_target = rng.integers(lo, hi + 1).astype(float)
    target = np.where(is_pct, pct_target, count_target)

    met = rng.random(n) < _MET_SHARE
    u = rng.random(n)
    ge, le, eq = dir_code == 0, dir_code == 1, dir_code == 2
    pct_actual = np.select(
        [ge & met, ge, eq & met, eq, le & met],
        [target + u * (1 - target), target * (0.85 + 0.149 * u), target, target * (0.85 + 0.149 * u),
         target * (0.88 + 0.12 * u)],
        target * (1.001 + 0.1 * u))
    pct_actual = np.where(slot == 0, 0.88 + 0.13 * u, pct_actual)  # 预算执行率 can exceed 100 %
    pct_actual = np.round(pct_actual, 3)
    count_actual = np.select(
        [ge & met, ge, le & met],
        [target + np.floor(u * (target // 3 + 1)), np.floor(target * (0.6 + 0.39 * u)),
         np.floor(target * (0.8 + 0.2 * u))],
        np.ceil(target * (1.01 + 0.19 * u)))
    actual = np.where(is_pct, pct_actual, count_actual)
    target = np.where(is_qual, np.nan, target)
    actual = np.where(is_qual, np.nan, actual)

    qual_level = np.searchsorted(np.cumsum(_QUAL_PROBS), rng.random(n), side="right").clip(0, 2)
    qual_words = [w for w, _ in _QUAL_SCALES["达成"]]
    qual_factor = np.array([f for _, f in _QUAL_SCALES["达成"]])[qual_level]
    applicable = (rng.random(n) >= 0.01) | (slot == 0)
    target = np.where(applicable, target, np.nan)
    actual = np.where(applicable, actual, np.nan)
    weight = np.array(weights, dtype=float)[slot]
    score, met = _honest_scores(weight, dir_code, target, actual, np.where(is_qual, qual_factor, 0.0), applicable)
    score = np.where(~met & (rng.random(n) < 0.01), weight, score)

    # Text columns: codes into small tables of distinct strings.
    # target_text/actual_text codes: [不涉及, 达成, 部分达成, 未达成, <formatted numbers…>]
    fixed = [NOT_APPLICABLE, *qual_words]
    num_target = np.where(is_pct, np.round(target * 1000), target)  # per-mille or count
    key_t = np.where(is_pct, 0, 1) * 1e9 + np.nan_to_num(num_target) + dir_code * 1e10
    t_texts, t_codes = _texts(np.where(applicable & ~is_qual, key_t, -1), lambda k: _synthetic_text(k, True))
    a_key = np.where(is_pct, 0, 1) * 1e9 + np.nan_to_num(np.where(is_pct, np.round(actual * 1000), actual))
    a_texts, a_codes = _texts(np.where(applicable & ~is_qual, a_key, -1), lambda k: _synthetic_text(k, False))
    base = len(fixed)
    t_codes = np.where(~applicable, 0, np.where(is_qual, 1, t_codes + base))
    a_codes = np.where(~applicable, 0, np.where(is_qual, 1 + qual_level, a_codes + base))

    n_units = math.ceil(n_uy / len(_SYNTHETIC_YEARS)) if n_uy else 0
    unit_codes = [f"B{i + 1:06d}" for i in range(n_units)]
    note_pool = [None, *_MISS_REASONS]
    note_code = np.where(~met & (rng.random(n) < 0.5), 1 + rng.integers(0, len(_MISS_REASONS), n), 0)
    level3_col = _str_take(level3, slot)
    return pd.DataFrame({
        "unit_code": _str_take(unit_codes, uy // len(_SYNTHETIC_YEARS)),
        "year": _SYNTHETIC_YEARS[uy % len(_SYNTHETIC_YEARS)].astype("int64"),
        "indicator": level3_col,
        "level1": _str_take(level1, slot),
        "level2": _str_take(level2, slot),
        "level3": level3_col.copy(),
        "weight": weight,
        "kind": _str_take([QUANT, QUAL], is_qual.astype(np.intp)),
        "direction": _str_take(["≥", "≤", "=", None], np.where(dir_code < 0, 3, dir_code).astype(np.intp)),
        "target": target,
        "actual": actual,
        "measure": _str_take(measures, slot),
        "claimed_score": score.astype("float64"),
        "note": _str_take(note_pool, note_code.astype(np.intp)),
        "applicable": applicable.astype(bool),
        "target_text": _str_take(fixed + t_texts, t_codes.astype(np.intp)),
        "actual_text": _str_take(fixed + a_texts, a_codes.astype(np.intp)),
    }, columns=SYNTHETIC_INDICATOR_COLUMNS)


def _synthetic_text(key: float, with_sign: bool) -> str:
    """Decode a packed (direction, percent-or-count, value) key into ``≥90%`` / ``96.5%`` / ``12``."""
    if key < 0:
        return ""
    direction, rest = divmod(key, 1e10)
    is_count, value = divmod(rest, 1e9)
    sign = ("≥", "≤", "=")[int(direction)] if with_sign and direction < 3 else ""
    if is_count:
        return f"{sign}{_fmt_num(value, 0)}"
    return f"{sign}{_fmt_num(value / 10, 1)}%"


def synthetic_budget(unit_years: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Canonical budget lines, fast, for benchmarks (invented): 4 lines per unit-year.

    Lines: 基本支出/财政拨款, 基本支出/其他资金, 项目支出/财政拨款/<project>,
    项目支出/其他资金/<project>. Money in 万元 with 2 decimals; about 5 % of unit-years execute
    only 60–89 %, the rest 92–100 %.

    Parameters
    ----------
    unit_years
        A frame with ``unit_code`` and ``year`` columns (other columns are ignored; duplicates kept).
    seed
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Columns (in ``SYNTHETIC_BUDGET_COLUMNS`` order) unit_code, year (int64), line (category/
        source[/project]), category (基本支出/项目支出), funding_source (财政拨款/其他资金), project
        (NA for 基本支出), budget_initial, budget_final, executed (float64, 万元), note (NA, or a
        说明 on the first project line of a low-execution unit-year).

    Examples
    --------
    >>> import pandas as pd
    >>> budget = synthetic_budget(pd.DataFrame({"unit_code": ["B000001"], "year": [2023]}), seed=1)
    >>> budget["line"].tolist()[:2]
    ['基本支出/财政拨款', '基本支出/其他资金']
    """
    n_uy = len(unit_years)
    rng = _rng(seed, "synthetic", 1)
    uy = np.repeat(np.arange(n_uy), 4)
    slot = np.tile(np.arange(4), n_uy)
    categories = np.array([0, 0, 1, 1])[slot]
    sources = np.array([0, 1, 0, 1])[slot]
    project = rng.integers(0, len(_GENERIC_PROJECTS) + 4, n_uy)[uy]
    projects = list(_GENERIC_PROJECTS) + ["培训宣传项目", "设备购置项目", "维修改造项目", "专项调研项目"]
    low, high = np.array([300, 50, 50, 50])[slot], np.array([3000, 200, 2000, 300])[slot]
    initial = np.round(np.exp(rng.uniform(np.log(low), np.log(high))), 2)
    final = np.round(initial * rng.uniform(0.9, 1.2, len(slot)), 2)
    slow = (rng.random(n_uy) < 0.05)[uy]
    ratio = np.where(slow, rng.uniform(0.6, 0.89, len(slot)), rng.uniform(0.92, 1.0, len(slot)))
    executed = np.round(final * ratio, 2)
    line_names = [f"{c}/{s}" for c, s in ((BASIC, FISCAL), (BASIC, OTHER))]
    line_names += [f"{PROJECT}/{s}/{p}" for s in (FISCAL, OTHER) for p in projects]
    line_code = np.where(categories == 0, slot, 2 + sources * len(projects) + project)
    note_code = np.where(slow & (slot == 2), 1 + rng.integers(0, len(_LOW_EXECUTION_NOTES), len(slot)), 0)
    return pd.DataFrame({
        "unit_code": pd.array(np.asarray(unit_years["unit_code"], dtype=object), dtype="str").take(uy),
        "year": np.asarray(unit_years["year"], dtype="int64")[uy],
        "line": _str_take(line_names, line_code.astype(np.intp)),
        "category": _str_take([BASIC, PROJECT], categories.astype(np.intp)),
        "funding_source": _str_take([FISCAL, OTHER], sources.astype(np.intp)),
        "project": _str_take([None, *projects], np.where(categories == 0, 0, 1 + project).astype(np.intp)),
        "budget_initial": initial,
        "budget_final": final,
        "executed": executed,
        "note": _str_take([None, *_LOW_EXECUTION_NOTES], note_code.astype(np.intp)),
    }, columns=SYNTHETIC_BUDGET_COLUMNS)

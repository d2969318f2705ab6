"""The indicator self-evaluation tables: each unit's 三级指标 with 分值, 年度指标值, 实际完成值,
自评得分 and 偏差原因, and the indicator errors planted in them. A unit keeps one set of indicators and
targets over the years (its own random stream); actuals are drawn so that about 85 % of quantitative
targets are met (fewer for the weak units), execution-tied rows take their actual from the budget lines,
scores are the honest ones of :func:`~perfeval_lib.demo.scoring._honest_scores`, and then the plan's
full marks on missed targets, unexplained deductions and the unit-year whose 分值 add up to 95 are planted.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .names import (NOT_APPLICABLE, QUAL, QUANT, RULESET_2013, RULESET_2020, _LOW_EXECUTION_NOTES, _MISS_REASONS,
                    _rng)
from .planted import _Plan, _error
from .scoring import _direction_codes, _fmt_num, _honest_scores
from .specs import (_EXECUTION_2020, _LEVEL1_2020, _MET_SHARE, _NA_SHARE_2013, _POOLS_2020, _QUAL_FACTOR,
                    _QUAL_PROBS, _QUAL_SCALES, _SHORTED_LEVEL1, _TEMPLATE_2013, _Spec)
from .units import _met_share

_REASON_SHARE = 0.7      # share of missed targets with a 偏差原因


def _nice_count(value: int) -> int:
    """Round a target count to two significant digits, as people write them (1234 → 1200)."""
    if value < 100:
        return int(value)
    step = 10 ** (len(str(int(value))) - 2)
    return int(round(value / step) * step)


def _split_weight(total: int, shares: np.ndarray) -> np.ndarray:
    """Integer weights ≥ 1 summing to ``total``, proportional to ``shares`` (largest remainder)."""
    n = len(shares)
    raw = np.asarray(shares, dtype=float) / np.sum(shares) * (total - n)
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - n - base.sum()]] += 1
    return base + 1


def _layout_2020(rng) -> tuple[list[tuple[str, str, _Spec]], np.ndarray]:
    """A mof-2020 unit's rows (一级, 二级, spec) drawn from the pools, and random weight shares."""
    rows = [("预算执行率", "预算执行率", _EXECUTION_2020)]
    for level1, pools in _POOLS_2020.items():
        for level2, ((lo, hi), specs) in pools.items():
            n = int(rng.integers(lo, hi + 1))
            rows += [(level1, level2, specs[i]) for i in sorted(rng.choice(len(specs), size=n, replace=False))]
    return rows, rng.dirichlet(np.full(len(rows), 4.0))


def _layout_2013() -> tuple[list[tuple[str, str, _Spec]], np.ndarray]:
    """The fixed mof-2013-dept rows (一级, 二级, spec) and their template weights as shares."""
    rows = [(level1, level2, spec) for level1, level2, spec, _ in _TEMPLATE_2013]
    return rows, np.array([w for *_, w in _TEMPLATE_2013], dtype=float)


def _weights(rows, shares, ruleset: str, short: bool) -> np.ndarray:
    """Integer 分值 per row: each 一级指标's total split by ``shares``; ``short`` takes 5 points off one."""
    totals = dict(_LEVEL1_2020) if ruleset == RULESET_2020 else {"投入": 15, "过程": 55, "产出": 15, "效果": 15}
    if short:
        totals[_SHORTED_LEVEL1[ruleset]] -= 5
    level1 = np.array([r[0] for r in rows])
    weights = np.zeros(len(rows), dtype=int)
    for name, total in totals.items():
        idx = np.flatnonzero(level1 == name)
        weights[idx] = _split_weight(total, shares[idx])
    return weights


def _unit_target(rng, spec: _Spec) -> float | str:
    """A unit's 年度指标值: a drawn, rounded count, or the spec's percent or 定性 target as it is."""
    if isinstance(spec.target, tuple):
        return float(_nice_count(int(rng.integers(spec.target[0], spec.target[1] + 1))))
    return spec.target


def _draw_actual(rng, direction: str, target: float, percent: bool, decimals: int, met: bool,
                 high: float = 100.0) -> float:
    """An actual that meets the target (``met``) or narrowly misses it, rounded to ``decimals``."""
    step = 10.0 ** -decimals
    if not percent:  # counts
        t = int(target)
        if direction == "≥":
            return float(t + rng.integers(0, t // 3 + 1) if met else rng.integers(max(1, int(t * 0.6)), t))
        return float(rng.integers(int(t * 0.8), t + 1) if met else rng.integers(t + 1, int(t * 1.2) + 2))
    if direction == "≥":
        value = rng.uniform(target, max(target, high)) if met else rng.uniform(target * 0.85, target - step)
    elif direction == "=":
        value = target if met else rng.uniform(target * 0.85, target - step)
    elif target <= 0:  # "三公"经费变动率 ≤0%
        value = rng.uniform(-15.0, 0.0) if met else rng.uniform(0.1, 5.0)
    else:
        value = rng.uniform(target * 0.88, target) if met else rng.uniform(target + step, target * 1.08 + step)
    return round(float(value), decimals)


def _miss_badly(rng, direction: str, target: float, percent: bool, decimals: int) -> float:
    """An actual clearly short of the target (for rows scored full marks regardless)."""
    if not percent:
        factor = rng.uniform(0.5, 0.8) if direction == "≥" else rng.uniform(1.2, 1.4)
        return float(int(target * factor) + (direction != "≥"))
    if direction == "≤":
        return round(float(rng.uniform(2.0, 6.0) if target <= 0 else target * rng.uniform(1.1, 1.3)), decimals)
    return round(float(target * rng.uniform(0.7, 0.9)), decimals)


def _indicator_row(rng, spec: _Spec, target, budget: pd.Series, met_share: float = _MET_SHARE) -> dict:
    """One indicator row of a unit-year: kind, target and actual (numbers and texts), before scoring."""
    row = {"level3": spec.level3, "measure": spec.measure, "direction": spec.direction, "decimals": spec.decimals,
           "signed": spec.signed, "percent": spec.measure == "%", "tied": spec.source is not None,
           "applicable": True}
    if spec.direction is None:
        scale = _QUAL_SCALES[target]
        word = scale[int(rng.choice(3, p=_QUAL_PROBS))][0]
        return row | {"kind": QUAL, "target": np.nan, "actual": np.nan, "target_text": target, "actual_text": word}
    if spec.source:
        actual = round(float(budget[spec.source]), spec.decimals)
    else:
        met = rng.random() < met_share
        if not met and met_share < _MET_SHARE and rng.random() < 0.6:  # the weak units miss by a lot
            actual = _miss_badly(rng, spec.direction, target, row["percent"], spec.decimals)
        else:
            actual = _draw_actual(rng, spec.direction, target, row["percent"], spec.decimals, met, spec.high)
    suffix = "%" if row["percent"] else ""
    return row | {"kind": QUANT, "target": float(target), "actual": actual,
                  "target_text": spec.target_text or f"{spec.direction}{_fmt_num(target, spec.decimals)}{suffix}",
                  "actual_text": _fmt_num(actual, spec.decimals, spec.signed) + suffix}


def _indicator_rows(units: pd.DataFrame, years: Sequence[int], sums: pd.DataFrame, plan: _Plan,
                    seed: int) -> pd.DataFrame:
    """Every unit-year's indicator rows, with 分值 (weight) and whether each row applies."""
    rows = []
    for i, (code, ruleset) in enumerate(zip(units["unit_code"], units["ruleset"])):
        rng = _rng(seed, "unit_indicators", i)  # one stream per unit: its indicator set is stable
        layout, shares = _layout_2020(rng) if ruleset == RULESET_2020 else _layout_2013()
        targets = [_unit_target(rng, spec) for _, _, spec in layout]
        for year in years:
            weights = _weights(layout, shares, ruleset, short=(code, year) == plan.weights_95)
            met_share = _met_share(code, year)
            for (level1, level2, spec), target, weight in zip(layout, targets, weights):
                row = _indicator_row(rng, spec, target, sums.loc[(code, year)], met_share)
                na = spec.level3 in _NA_SHARE_2013 and ruleset == RULESET_2013 \
                    and rng.random() < _NA_SHARE_2013[spec.level3]
                rows.append(row | {"unit_code": code, "year": year, "level1": level1, "level2": level2,
                                   "weight": float(weight), "ruleset": ruleset, "applicable": not na})
    return pd.DataFrame(rows)


def _mark_not_applicable(frame: pd.DataFrame, years: Sequence[int], plan: _Plan, rng) -> pd.DataFrame:
    """A few mof-2020 rows per year are 不涉及 (2013 units' 生态/经济效益 already are, often)."""
    for year in years:
        pool = frame[(frame["year"] == year) & (frame["ruleset"] == RULESET_2020) & ~frame["tied"]
                     & frame["level1"].isin(["产出指标", "效益指标"])
                     & ~frame["unit_code"].isin([c for c, y in plan.used if y == year])]
        units = pool["unit_code"].unique()
        for code in rng.choice(units, size=min(2, len(units)), replace=False):
            index = rng.choice(pool.index[pool["unit_code"] == code])
            frame.loc[index, "applicable"] = False
    na = ~frame["applicable"]
    frame.loc[na, ["target_text", "actual_text"]] = NOT_APPLICABLE
    frame.loc[na, ["target", "actual"]] = np.nan
    return frame


def _score(frame: pd.DataFrame, rng) -> pd.DataFrame:
    """Add the honest claimed_score and met, and a 偏差原因 (note) for about 70 % of missed rows."""
    factor = frame["actual_text"].map(_QUAL_FACTOR).astype(float).fillna(0.0).to_numpy()
    score, met = _honest_scores(frame["weight"].to_numpy(), _direction_codes(frame["direction"]),
                                frame["target"].to_numpy(), frame["actual"].to_numpy(), factor,
                                frame["applicable"].to_numpy())
    frame["claimed_score"] = score
    frame["met"] = met
    reasons = rng.choice(_MISS_REASONS, size=len(frame))
    explain = ~met & (rng.random(len(frame)) < _REASON_SHARE)
    frame["note"] = pd.Series(np.where(explain, reasons, None), index=frame.index, dtype=object)
    return frame


def _execution_notes(frame: pd.DataFrame, plan: _Plan, lines: pd.DataFrame) -> pd.DataFrame:
    """The execution-rate row's 偏差原因 agrees with the budget: the budget's 说明 where the unit
    explained its low execution, nothing where it did not."""
    execution = frame["level3"].isin(["预算执行率", "预算完成率"])
    for keys, explained in ((plan.low_explained, True), (plan.low_unexplained, False)):
        for code, year in keys:
            row = execution & (frame["unit_code"] == code) & (frame["year"] == year)
            said = lines.loc[(lines["unit_code"] == code) & (lines["year"] == year), "note"]
            said = said[said.isin(_LOW_EXECUTION_NOTES)]
            frame.loc[row, "note"] = str(said.iloc[0]) if explained and len(said) else None
    return frame


def _plant_indicator_errors(frame: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """Plant full marks on missed targets and unexplained deductions; record them and the 95-point year."""
    candidates = frame["applicable"] & ~frame["tied"]
    for code, year in plan.full_marks:
        pool = frame[candidates & (frame["unit_code"] == code) & (frame["year"] == year) & frame["kind"].eq(QUANT)]
        procurement = pool[pool["level3"] == "政府采购执行率"]
        index = procurement.index[0] if len(procurement) else rng.choice(pool.index)
        row = frame.loc[index]
        actual = _miss_badly(rng, row["direction"], row["target"], row["percent"], row["decimals"])
        text = _fmt_num(actual, row["decimals"], row["signed"]) + ("%" if row["percent"] else "")
        frame.loc[index, ["actual", "actual_text"]] = [actual, text]
        frame.loc[index, ["claimed_score", "met", "note"]] = [row["weight"], False, None]
        _error(errors, code, year, "full_marks_on_miss",
               f"「{row['level3']}」年度指标值 {row['target_text']}，实际完成值 {text}，未达标却自评满分 "
               f"{_fmt_num(row['weight'], 1)}")
    for code, year in plan.deduction:
        # a quantitative row: a qualitative one's 1-point deduction can lie inside its 达成 band (80–100 %)
        pool = frame[candidates & frame["met"] & (frame["unit_code"] == code) & (frame["year"] == year)
                     & (frame["weight"] >= 3) & frame["kind"].eq(QUANT)]
        index = pool.index[np.argmax(pool["weight"].to_numpy())]
        row = frame.loc[index]
        frame.loc[index, ["claimed_score", "note"]] = [row["weight"] - 1, None]
        _error(errors, code, year, "unexplained_deduction",
               f"「{row['level3']}」已达成（{row['target_text']} / {row['actual_text']}），自评得分 "
               f"{_fmt_num(row['weight'] - 1, 1)} / 分值 {_fmt_num(row['weight'], 1)}，无偏差原因")
    code, year = plan.weights_95
    total = frame.loc[(frame["unit_code"] == code) & (frame["year"] == year), "weight"].sum()
    _error(errors, code, year, "weights_not_100", f"分值合计 {_fmt_num(total, 1)}（应为 100）")
    return frame


def _indicators(units, years, lines, sums, plan, seed, errors) -> pd.DataFrame:
    """The indicator table: unit_code, year, ruleset, level1/2/3, kind (定量/定性), direction, measure,
    weight (分值), target and actual (percent points or counts; NaN for 定性 and 不涉及), target_text and
    actual_text as written, applicable, claimed_score, met and note (偏差原因), with errors planted; plus
    the writer's helpers decimals, signed, percent and tied (actual taken from the budget)."""
    rng = _rng(seed, "indicators")
    frame = _indicator_rows(units, years, sums, plan, seed)
    frame = _mark_not_applicable(frame, years, plan, rng)
    frame = _score(frame, rng)
    frame = _execution_notes(frame, plan, lines)
    return _plant_indicator_errors(frame, plan, rng, errors)

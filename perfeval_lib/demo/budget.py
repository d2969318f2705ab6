"""Budget lines and monthly spending, in 万元, with their planted errors. Each unit-year has a 基本支出
line from 财政拨款 and one from 其他资金, one to three 项目支出 lines and sometimes a 其他资金 project;
年初预算数, 全年预算数 and 全年执行数 are drawn per line (execution 92–100 %, or 60–89 % where the plan
wants low execution). The wrong 合计 row, the overspent and the cancelled line, the low execution rates and the two units
that pay almost nothing before July are planted here, each recorded as a planted error.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .names import (BASIC, FISCAL, OTHER, PROJECT, _CANCELLED_NOTE, _LOW_EXECUTION_NOTES, _OVERSPEND_NOTE,
                    _TOP_UP_NOTE)
from .planted import _Plan, _error


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A draw between ``lo`` and ``hi`` whose logarithm is uniform (many small amounts, few large)."""
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _unit_year_lines(rng, code, year, projects, basic_base, mode) -> list[dict]:
    """The budget lines of one unit-year (amounts in 万元), drawn as :meth:`_Plan.budget_mode` says."""
    chosen = [str(p) for p in rng.choice(projects, size=int(rng.integers(1, min(3, len(projects)) + 1)),
                                         replace=False)]
    spec = [(BASIC, FISCAL, None, basic_base * rng.uniform(0.92, 1.12)),
            (BASIC, OTHER, None, _log_uniform(rng, 50, 200))]
    spec += [(PROJECT, FISCAL, name, _log_uniform(rng, 50, 2000)) for name in chosen]
    if rng.random() < 0.3:
        spare = [p for p in projects if p not in chosen]
        spec.append((PROJECT, OTHER, spare[0] if spare else chosen[0], _log_uniform(rng, 50, 300)))
    lines = []
    for category, source, project, initial in spec:
        initial = round(float(np.clip(initial, 50, 5000)), 2)
        final = round(initial * rng.uniform(0.9, 1.2), 2)
        ratio = rng.uniform(0.6, 0.89) if mode.startswith("low") else rng.uniform(0.92, 1.0)
        top_up = final > initial * 1.12 and rng.random() < 0.3
        note = _TOP_UP_NOTE if top_up and mode == "normal" else None  # low-execution 说明 stay unambiguous
        lines.append({"unit_code": code, "year": year, "category": category, "funding_source": source,
                      "project": project, "budget_initial": initial, "budget_final": final,
                      "executed": round(final * ratio, 2), "note": note})
    first_project = next(i for i, line in enumerate(lines) if line["category"] == PROJECT)
    if mode == "low_explained":
        lines[first_project]["note"] = str(rng.choice(_LOW_EXECUTION_NOTES))
    elif mode == "zero_line":
        lines[first_project].update(budget_final=0.0, executed=0.0, note=_CANCELLED_NOTE)
    elif mode == "overspend":
        # every other line fully spent, so the unit-year total also exceeds its budget
        biggest = max((i for i, line in enumerate(lines) if line["category"] == PROJECT),
                      key=lambda i: lines[i]["budget_final"])
        for i, line in enumerate(lines):
            ratio = rng.uniform(1.06, 1.12) if i == biggest else 1.0
            line.update(executed=round(line["budget_final"] * ratio, 2), note=_OVERSPEND_NOTE if i == biggest else None)
    return lines


def _budget(units: pd.DataFrame, years: Sequence[int], plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """All budget lines: unit_code, year, category, funding_source, project (None for 基本支出),
    budget_initial, budget_final, executed (万元, 2 decimals) and note (说明 or None)."""
    rows = []
    for code, projects in zip(units["unit_code"], units["projects"]):
        basic_base = _log_uniform(rng, 300, 3000)
        for year in years:
            rows += _unit_year_lines(rng, code, year, projects, basic_base, plan.budget_mode((code, year)))
    lines = pd.DataFrame(rows)
    _budget_errors(lines, plan, errors)
    return lines


def _budget_errors(lines: pd.DataFrame, plan: _Plan, errors: list) -> None:
    """Record the low-execution, overspend and zero-line errors the plan put in the lines."""
    sums = lines.groupby(["unit_code", "year"])[["budget_final", "executed"]].sum()
    for kind, keys in (("low_execution_explained", plan.low_explained),
                       ("low_execution_unexplained", plan.low_unexplained)):
        for code, year in keys:
            rate = sums.loc[(code, year), "executed"] / sums.loc[(code, year), "budget_final"]
            said = "，说明栏已填写原因" if kind.endswith("_explained") else "，说明栏为空 / no explanation"
            _error(errors, code, year, kind, f"预算执行率 {rate:.1%}{said}")
    code, year = plan.overspend
    line = lines[(lines["unit_code"] == code) & (lines["year"] == year) & lines["note"].eq(_OVERSPEND_NOTE)].iloc[0]
    rate = sums.loc[(code, year), "executed"] / sums.loc[(code, year), "budget_final"]
    _error(errors, code, year, "budget_overspend",
           f"{line['project']}：全年执行数 {line['executed']:.2f} > 全年预算数 {line['budget_final']:.2f} 万元"
           f"（说明：{_OVERSPEND_NOTE}）；单位执行率 {rate:.1%}")
    code, year = plan.zero_line
    line = lines[(lines["unit_code"] == code) & (lines["year"] == year) & lines["note"].eq(_CANCELLED_NOTE)].iloc[0]
    _error(errors, code, year, "budget_zero_line",
           f"{line['project']}：年初预算数 {line['budget_initial']:.2f}，全年预算数 0，执行数 0（执行率无法计算）")


def _budget_totals(lines: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """The 合计 row per unit-year as the unit states it (one deliberately wrong)."""
    money = ["budget_initial", "budget_final", "executed"]
    totals = lines.groupby(["unit_code", "year"], sort=False)[money].sum().round(2).reset_index()
    code, year = plan.total_mismatch
    row = (totals["unit_code"] == code) & (totals["year"] == year)
    true_sum = float(totals.loc[row, "executed"].iloc[0])
    stated = round(true_sum + rng.uniform(2, 8), 2)
    totals.loc[row, "executed"] = stated
    _error(errors, code, year, "budget_total_mismatch",
           f"合计行全年执行数 {stated:.2f} 与明细之和 {true_sum:.2f} 不符（差 {stated - true_sum:.2f} 万元）")
    return totals


def _unit_year_budget(lines: pd.DataFrame) -> pd.DataFrame:
    """True unit-year sums (万元) and rates (percent points: execution, adjustment, carryover) from the
    detail lines, indexed by (unit_code, year)."""
    sums = lines.groupby(["unit_code", "year"], sort=False)[["budget_initial", "budget_final", "executed"]].sum()
    sums["execution"] = sums["executed"] / sums["budget_final"] * 100
    sums["adjustment"] = (sums["budget_final"] - sums["budget_initial"]) / sums["budget_initial"] * 100
    sums["carryover"] = np.maximum(0.0, 100 - sums["execution"])
    return sums


def _spending(sums: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """Cumulative monthly spending: unit_code, year, month (1–12), executed_cum (万元; December equals
    the year's executed). The plan's slow units pay almost nothing before July."""
    rows = []
    for (code, year), executed in sums["executed"].items():
        weights = np.empty(12)
        if code in plan.slow_units:  # almost nothing paid until July, then a rush
            weights[:6] = rng.uniform(0.05, 0.3, 6)
            weights[6:11] = rng.uniform(1.0, 1.6, 5)
            weights[11] = rng.uniform(2.5, 4.0)
        else:
            weights[:11] = rng.uniform(0.6, 1.2, 11)
            weights[11] = rng.uniform(1.5, 3.0)  # December spike, as everywhere
        total = round(float(executed), 2)
        cumulative = np.round(total * np.cumsum(weights) / weights.sum(), 2)
        cumulative = np.minimum(np.maximum.accumulate(cumulative), total)
        cumulative[-1] = total
        rows += [{"unit_code": code, "year": year, "month": m + 1, "executed_cum": float(cumulative[m])}
                 for m in range(12)]
        if code in plan.slow_units:
            _error(errors, code, year, "slow_spending",
                   f"6月末累计支出 {cumulative[5]:.2f} 万元，仅占全年执行数 {cumulative[5] / total:.1%}，"
                   f"低于序时进度 50%")
    return pd.DataFrame(rows)

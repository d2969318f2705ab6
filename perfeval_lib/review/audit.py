"""Findings: what a reviewer of a self-evaluation would point out, from the data, in plain Chinese.

Each check is a small function returning findings rows (``unit_code, year, code, severity, message,
indicator``); :func:`audit` runs them all. Severities: ``error`` (the figures cannot stand),
``warning`` (needs an explanation or a correction), ``info`` (worth a look).

Examples
--------
>>> import pandas as pd
>>> scored = pd.DataFrame({"unit_code": ["A"], "year": [2022], "indicator": ["政府采购执行率"], "weight": [5.0],
...     "score": [3.637], "claimed_score": [5.0], "rule": ["linear_capped"], "target": [1.0], "actual": [0.7274],
...     "direction": ["="], "target_text": ["=100%"], "actual_text": ["72.74%"], "kind": ["定量"], "level1": ["过程"],
...     "applicable": [True]})
>>> sorted(check_indicator_claims(scored)["code"])
['claimed_vs_recomputed', 'full_marks_below_target']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .rulesets import grade_by_ruleset, load_ruleset, per_ruleset
from ..core.schema import FINDINGS_COLUMNS
from .scoring import judge_all
from ..core.vocab import SCORE_TOLERANCE, SEVERITY_ORDER, TOTAL_TOLERANCE

#: Spending that trails the progress line by more than this share of the budget at mid-year.
MID_YEAR_LAG = 0.20
#: Actual at least this multiple of a "≥" target suggests the target was set too easy.
EASY_TARGET_FACTOR = 1.5
_VAGUE_TARGETS = {"改善", "提高", "提升", "加强", "明显", "有所提高", "逐步提高", "进一步提高", "增强", "较好"}


def _findings(frame: pd.DataFrame, code: str, severity: str, message: pd.Series | str,
              indicator: pd.Series | None = None) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    return pd.DataFrame({
        "unit_code": frame["unit_code"].to_numpy(), "year": frame["year"].to_numpy(), "code": code,
        "severity": severity, "message": message if isinstance(message, str) else message.to_numpy(),
        "indicator": None if indicator is None else indicator.to_numpy(), "file": None, "row": None,
    })


def _text(values: pd.Series, format_one) -> pd.Series:
    return pd.Series([format_one(v) for v in values], index=values.index, dtype="object")


def _fmt(values: pd.Series, decimals: int = 2) -> pd.Series:
    """Numbers as short text (98, 7.6, 507.02); '—' when missing."""
    return _text(values, lambda v: "—" if pd.isna(v) else f"{v:.{decimals}f}".rstrip("0").rstrip("."))


def _pct(values: pd.Series) -> pd.Series:
    """Fractions as percent text with one decimal (0.965 → 96.5%)."""
    return _text(values, lambda v: "—" if pd.isna(v) else f"{v * 100:.1f}%")


def missed_target(scored: pd.DataFrame) -> pd.Series:
    """True where the actual value misses the target: below a ≥/= target, above a ≤ target, or a
    qualitative result judged short of 达成.

    >>> rows = pd.DataFrame({"direction": ["≥", "≤", "="], "kind": "定量", "target": [0.9, 0.1, 1.0],
    ...                      "actual": [0.85, 0.05, 1.0], "actual_text": None, "target_text": None})
    >>> missed_target(rows).tolist()
    [True, False, False]
    """
    target = scored["target"].to_numpy(dtype="float64")
    actual = scored["actual_used" if "actual_used" in scored.columns else "actual"].to_numpy(dtype="float64")
    reverse = scored["direction"].fillna("").eq("≤").to_numpy()
    quantitative = np.where(reverse, actual > target + 1e-9, actual < target - 1e-9)
    is_text = scored["kind"].eq("定性").to_numpy() | np.isnan(target)
    missed = quantitative.copy()
    if is_text.any():
        verdicts = judge_all(scored["actual_text"].to_numpy()[is_text], scored["target_text"].to_numpy()[is_text])
        missed[is_text] = (verdicts != "达成") & (verdicts != None)  # noqa: E711 (elementwise on objects)
    return pd.Series(missed, index=scored.index)


def check_indicator_claims(scored: pd.DataFrame) -> pd.DataFrame:
    """Claimed vs recomputed per indicator; full marks for a missed target; unexplained deductions."""
    if scored.empty or "claimed_score" not in scored.columns:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    needed = ["unit_code", "year", "indicator", "weight", "score", "claimed_score", "kind", "direction", "target",
              "actual", "actual_used", "target_text", "actual_text"]
    narrow = scored[[c for c in needed if c in scored.columns]]
    rows = narrow[scored["rule"].ne("not_applicable").to_numpy() & narrow["claimed_score"].notna().to_numpy()
                  & narrow["score"].notna().to_numpy()]
    gap = rows["claimed_score"] - rows["score"]
    differ = rows[gap.abs() > SCORE_TOLERANCE]
    found = [_findings(differ, "claimed_vs_recomputed", "warning",
                       "「" + differ["indicator"] + "」自评得分 " + _fmt(differ["claimed_score"]) + " 分，按规则复核为 "
                       + _fmt(differ["score"]) + " 分（分值 " + _fmt(differ["weight"]) + "）", differ["indicator"])]
    full_but_missed = rows[np.isclose(rows["claimed_score"], rows["weight"]) & missed_target(rows)
                           & (rows["score"] < rows["weight"] - SCORE_TOLERANCE)]
    found.append(_findings(full_but_missed, "full_marks_below_target", "warning",
                           "「" + full_but_missed["indicator"] + "」未达到年度指标值（目标 " + full_but_missed["target_text"].fillna("—")
                           + "，实际 " + full_but_missed["actual_text"].fillna("—") + "）却自评满分",
                           full_but_missed["indicator"]))
    deducted = rows[(rows["claimed_score"] < rows["weight"] - SCORE_TOLERANCE) & np.isclose(rows["score"], rows["weight"])]
    found.append(_findings(deducted, "unexplained_deduction", "info",
                           "「" + deducted["indicator"] + "」已达到年度指标值，自评却扣分（" + _fmt(deducted["claimed_score"])
                           + "/" + _fmt(deducted["weight"]) + "），扣分依据不明", deducted["indicator"]))
    return pd.concat(found, ignore_index=True)


def check_indicator_quality(scored: pd.DataFrame) -> pd.DataFrame:
    """Not-applicable rows that still carry claimed points, vague or too-easy targets, unscorable rows."""
    if scored.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    na = scored[scored["rule"].eq("not_applicable") & scored["claimed_score"].fillna(0).gt(0)]
    found = [_findings(na, "na_with_points", "warning",
                       "「" + na["indicator"] + "」标为不涉及，却计了 " + _fmt(na["claimed_score"]) + " 分", na["indicator"])]
    vague = scored[scored["target_text"].fillna("").isin(_VAGUE_TARGETS)]
    found.append(_findings(vague, "vague_target", "info",
                           "「" + vague["indicator"] + "」的年度指标值「" + vague["target_text"] + "」不可衡量，应设为可量化的值",
                           vague["indicator"]))
    positive = scored["direction"].fillna("≥").isin(["≥", "="]) & scored["kind"].eq("定量")
    easy = scored[positive & (scored["target"] > 0) & (scored["actual"] >= EASY_TARGET_FACTOR * scored["target"])]
    found.append(_findings(easy, "target_too_easy", "info",
                           "「" + easy["indicator"] + "」实际完成值 " + easy["actual_text"].fillna("") + " 远超年度指标值 "
                           + easy["target_text"].fillna("") + "，指标值可能设置偏低", easy["indicator"]))
    unscored = scored[scored["rule"].ne("not_applicable") & scored["score"].isna()]
    found.append(_findings(unscored, "unscorable_indicator", "warning",
                           "「" + unscored["indicator"] + "」无法按规则计分（年度指标值「" + unscored["target_text"].fillna("空")
                           + "」，实际完成值「" + unscored["actual_text"].fillna("空") + "」）", unscored["indicator"]))
    return pd.concat(found, ignore_index=True)


def check_weights(scored: pd.DataFrame) -> pd.DataFrame:
    """Weights that do not add up to the ruleset's total; 一级指标 weights that differ from the ruleset."""
    if scored.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    found = []
    sums = scored.groupby(["unit_code", "year", "ruleset"])["weight"].sum().reset_index()
    sums["expected"] = per_ruleset(sums["ruleset"], lambda r: r.total)
    bad = sums[~np.isclose(sums["weight"], sums["expected"], atol=0.01)]
    found.append(_findings(bad, "weights_not_total", "error",
                           "各指标分值合计 " + _fmt(bad["weight"]) + " 分，不等于 " + _fmt(bad["expected"])
                           + " 分，无法复核总分"))
    level1 = scored.groupby(["unit_code", "year", "ruleset", "level1"])["weight"].sum().reset_index()
    weights_of = per_ruleset(level1["ruleset"], lambda r: r.level1_weights or {})
    expected_l1 = [weights.get(name) for weights, name in zip(weights_of, level1["level1"])]
    level1 = level1.assign(expected=pd.to_numeric(pd.Series(expected_l1, index=level1.index, dtype="object"),
                                                  errors="coerce"))
    off = level1[level1["expected"].notna() & ~np.isclose(level1["weight"], level1["expected"].fillna(0), atol=0.01)]
    found.append(_findings(off, "level1_weight", "warning",
                           "一级指标「" + off["level1"] + "」分值合计 " + _fmt(off["weight"]) + " 分，规则集要求 "
                           + _fmt(off["expected"]) + " 分"))
    return pd.concat(found, ignore_index=True)


def check_execution(rates: pd.DataFrame, notes: pd.DataFrame | None = None, threshold: float = 0.90) -> pd.DataFrame:
    """Zero budget, executed over budget, rate below ``threshold`` with no written explanation."""
    if rates.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    found = []
    zero = rates[rates["execution_rate"].isna()]
    found.append(_findings(zero, "zero_budget", "warning",
                           "全年预算数为 0 或缺失，预算执行率无法计算（执行数 " + _fmt(zero["executed"]) + " 万元）"))
    over = rates[rates["execution_rate"] > 1.0]
    found.append(_findings(over, "executed_over_budget", "warning",
                           "执行数 " + _fmt(over["executed"]) + " 万元超过预算数 " + _fmt(over["budget_final"])
                           + " 万元（执行率 " + _pct(over["execution_rate"]) + "），请说明是否含其他资金；得分按满分封顶"))
    low = rates[rates["execution_rate"] < threshold]
    if notes is not None and len(notes):
        explained = notes.dropna(subset=["note"]).drop_duplicates(["unit_code", "year"])[["unit_code", "year"]]
        low = low.merge(explained.assign(_explained=True), on=["unit_code", "year"], how="left")
        low = low[low["_explained"].isna()]
    found.append(_findings(low, "low_rate_no_note", "warning",
                           "预算执行率 " + _pct(low["execution_rate"]) + "，低于 " + f"{threshold * 100:.0f}%"
                           + "，但未说明原因"))
    return pd.concat(found, ignore_index=True)


def check_budget_lines(budget: pd.DataFrame | None) -> pd.DataFrame:
    """Budget lines with a zero 全年预算数: their own rate is undefined, and executed money there is unplanned."""
    if budget is None or budget.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    zero = budget[budget["budget_final"].fillna(0).eq(0)].reindex(columns=["unit_code", "year", "line",
                                                                          "budget_initial", "executed"])
    return _findings(zero, "zero_budget_line", "info",
                     "预算行「" + zero["line"].astype(str) + "」全年预算数为 0（年初 " + _fmt(zero["budget_initial"])
                     + " 万元，执行 " + _fmt(zero["executed"]) + " 万元），执行率无法计算")


def check_spending(progress: pd.DataFrame) -> pd.DataFrame:
    """Spending that trails the progress line badly at mid-year (June)."""
    if progress.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    june = progress[(progress["month"] == 6) & (progress["lag"] > MID_YEAR_LAG)]
    return _findings(june, "spending_lag", "warning",
                     "6月底累计支出进度 " + _pct(june["progress"]) + "，落后于序时进度 " + _pct(june["target"]))


def check_claims(results: pd.DataFrame, claimed_detail: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claimed total vs recomputed; claimed grade vs claimed score; claimed total vs its detail rows."""
    if results.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    found = []
    both = results[results["claimed_score"].notna() & results["score"].notna()]
    gap = both[(both["claimed_score"] - both["score"]).abs() >= TOTAL_TOLERANCE]
    found.append(_findings(gap, "total_claimed_vs_recomputed", "warning",
                           "自评总分 " + _fmt(gap["claimed_score"]) + " 分，按规则复核为 " + _fmt(gap["score"])
                           + " 分，相差 " + _fmt(gap["claimed_score"] - gap["score"]) + " 分"))
    stated = results[results["claimed_score"].notna() & results["claimed_grade"].notna()]
    implied = grade_by_ruleset(stated["claimed_score"], stated["ruleset"])
    wrong = stated.assign(_implied=implied)
    wrong = wrong[wrong["claimed_grade"] != wrong["_implied"]]
    found.append(_findings(wrong, "claimed_grade_inconsistent", "warning",
                           "自评等级「" + wrong["claimed_grade"] + "」与自评总分 " + _fmt(wrong["claimed_score"])
                           + " 分不符（按等级标准应为「" + wrong["_implied"] + "」）"))
    if claimed_detail is not None and len(claimed_detail):
        merged = results.merge(claimed_detail, on=["unit_code", "year"], how="inner")
        off = merged[merged["claimed_score"].notna() & merged["claimed_detail"].notna()
                     & ((merged["claimed_score"] - merged["claimed_detail"]).abs() >= TOTAL_TOLERANCE)]
        found.append(_findings(off, "claimed_total_vs_detail", "warning",
                               "自评总分 " + _fmt(off["claimed_score"]) + " 分，但各指标自评得分合计为 "
                               + _fmt(off["claimed_detail"]) + " 分"))
    headline = results[results["score_status"].eq("no_indicators")]
    found.append(_findings(headline, "no_indicator_table", "info",
                           "未提供绩效指标自评表，只有总体数字：无法复核得分，自评结果照录"))
    return pd.concat(found, ignore_index=True)


def audit(scored: pd.DataFrame, results: pd.DataFrame, rates: pd.DataFrame, budget: pd.DataFrame | None = None,
          progress: pd.DataFrame | None = None) -> pd.DataFrame:
    """All checks at once: the findings table (most severe first).

    Parameters
    ----------
    scored : indicator rows from :func:`perfeval_lib.score`.
    results : per unit-year results (:func:`perfeval_lib.results`).
    rates : per unit-year execution rates (:func:`perfeval_lib.execution_rate`).
    budget : budget lines, for their written notes (a low rate with a note is explained).
    progress : monthly progress (:func:`perfeval_lib.spending_progress`), optional.

    Examples
    --------
    >>> findings = audit(scored, results, rates, budget)              # doctest: +SKIP
    >>> findings.groupby("code").size()                              # doctest: +SKIP
    """
    claimed_detail = None
    if not scored.empty and "claimed_score" in scored.columns:
        claimed_detail = scored.groupby(["unit_code", "year"])["claimed_score"].sum(min_count=1) \
            .rename("claimed_detail").reset_index()
    notes = budget[["unit_code", "year", "note"]] if budget is not None and "note" in budget.columns else None
    thresholds = results[["unit_code", "year", "ruleset"]].drop_duplicates(["unit_code", "year"])
    parts = [check_indicator_claims(scored), check_indicator_quality(scored), check_weights(scored),
             check_claims(results, claimed_detail), check_budget_lines(budget)]
    with_ruleset = rates.merge(thresholds, on=["unit_code", "year"], how="left")
    for name, group in with_ruleset.groupby("ruleset", dropna=False):
        threshold = load_ruleset(name).note_required_below if isinstance(name, str) else 0.90
        parts.append(check_execution(group, notes, threshold))
    if progress is not None:
        parts.append(check_spending(progress))
    found = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=FINDINGS_COLUMNS)
    order = found["severity"].map(SEVERITY_ORDER)
    found = found.assign(_o=order).sort_values(["_o", "unit_code", "year", "code"], kind="stable").drop(columns="_o")
    found["year"] = found["year"].astype("int64")
    return found.reset_index(drop=True)[FINDINGS_COLUMNS]


#: Chinese names of the finding codes, for grouping and charts.
FINDING_LABELS = {
    "weights_not_total": "分值合计不等于总分", "level1_weight": "一级指标分值与规则不符",
    "claimed_vs_recomputed": "指标自评得分与复核不符", "full_marks_below_target": "未达标却自评满分",
    "unexplained_deduction": "扣分依据不明", "na_with_points": "不涉及指标仍计分",
    "vague_target": "指标值不可衡量", "target_too_easy": "指标值设置偏低", "unscorable_indicator": "指标无法计分",
    "total_claimed_vs_recomputed": "自评总分与复核不符", "claimed_grade_inconsistent": "自评等级与总分不符",
    "claimed_total_vs_detail": "自评总分与明细不符", "no_indicator_table": "未提供指标表",
    "zero_budget": "预算数为零", "zero_budget_line": "预算行为零", "executed_over_budget": "执行数超预算",
    "low_rate_no_note": "执行率低且未说明原因", "spending_lag": "支出进度滞后",
    "total_mismatch": "合计行与明细不符", "bad_value": "数值无法识别", "missing_column": "缺少必需列",
    "duplicate_key": "重复记录", "negative_amount": "金额为负", "out_of_range": "数值超出范围",
    "unsafe_code": "单位编码含非法字符", "missing_value": "必填项为空", "unreadable_file": "文件无法读取",
    "unknown_table": "无法识别的表", "no_header": "找不到表头", "duplicate_column": "列重复",
}

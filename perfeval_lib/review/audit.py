"""Findings: what a reviewer of a self-evaluation would point out, from the data, in plain Chinese.

The checks follow what published forms get wrong (rules.md §4). Each check is a small function
returning findings rows (``unit_code, year, code, severity, message, indicator``); :func:`audit` runs
them all. Severities: ``error`` (the figures cannot stand), ``warning`` (needs an explanation or a
correction), ``info`` (worth a look).

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
from ..core import formatting
from ..core.vocab import SCORE_TOLERANCE, SEVERITY_ORDER, TOTAL_TOLERANCE
from .facts import BASIS_WORDS, claimed_sums, met_of, target_met

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


def _fmt(values: pd.Series) -> pd.Series:
    """Points as text, 2 decimals (98.00, 7.60); '—' when missing (:func:`perfeval_lib.core.formatting.score`)."""
    return _text(values, formatting.score)


def _money(values: pd.Series) -> pd.Series:
    """万元 as text, 2 decimals (507.02); '—' when missing."""
    return _text(values, formatting.money)


def _pct(values: pd.Series) -> pd.Series:
    """Fractions as percent text with one decimal (0.965 → 96.5%)."""
    return _text(values, formatting.rate)


def missed_target(scored: pd.DataFrame) -> pd.Series:
    """True where the actual value misses the target: below a ≥/= target, above a ≤ target, or a
    qualitative result judged short of 达成.

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows; reads ``direction, kind, target, actual`` (``actual_used`` instead when
        present; rates as fractions), ``target_text, actual_text`` (for 定性 rows and rows without a
        numeric target).

    Returns
    -------
    pandas.Series
        bool, index of ``scored``: :func:`perfeval_lib.review.facts.target_met` is False. A missing
        actual, or a qualitative result :func:`judge` cannot read, is not counted as missed.

    Examples
    --------
    >>> rows = pd.DataFrame({"direction": ["≥", "≤", "="], "kind": "定量", "target": [0.9, 0.1, 1.0],
    ...                      "actual": [0.85, 0.05, 1.0], "actual_text": None, "target_text": None})
    >>> missed_target(rows).tolist()
    [True, False, False]
    """
    return target_met(scored).eq(False).fillna(False).astype(bool)


def check_indicator_claims(scored: pd.DataFrame) -> pd.DataFrame:
    """Claimed vs recomputed per indicator; full marks for a missed target; unexplained deductions.

    rules.md §4: "full marks for an indicator that missed its target" (政府采购执行率 72.74 % vs 100 %
    scored full) and "self-deductions that no formula reproduces" (every target met, yet 9/10, 19/20,
    27/30); DESIGN: the claimed score is kept beside the recomputed one and the difference is a
    finding. Scores agree within :data:`~perfeval_lib.core.vocab.SCORE_TOLERANCE` (0.05 points).

    Parameters
    ----------
    scored : pandas.DataFrame
        Rows from :func:`perfeval_lib.score`; reads ``unit_code, year, indicator, rule, weight (points),
        score (points), claimed_score (points)`` and, for the missed-target test, ``kind, direction,
        target, actual`` / ``actual_used``, ``target_text, actual_text``. Not-applicable rows and rows
        without both scores are skipped.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Codes: ``claimed_vs_recomputed`` (warning), ``full_marks_below_target`` (warning),
        ``unexplained_deduction`` (info). No findings when ``claimed_score`` is absent.

    Raises
    ------
    KeyError
        When ``rule`` or another column named above is missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit_code": ["A"], "year": [2022], "indicator": ["培训人次"], "rule": ["linear_capped"],
    ...     "weight": [10.0], "score": [10.0], "claimed_score": [9.0], "kind": ["定量"], "direction": ["≥"],
    ...     "target": [200.0], "actual": [210.0], "target_text": ["≥200"], "actual_text": ["210"]})
    >>> found = check_indicator_claims(rows)
    >>> found["code"].tolist()
    ['claimed_vs_recomputed', 'unexplained_deduction']
    >>> found["message"].iloc[1]
    '「培训人次」已达到年度指标值，自评却扣分（9.00/10.00），扣分依据不明'
    """
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
    met = met_of(scored).loc[rows.index]
    full_but_missed = rows[np.isclose(rows["claimed_score"], rows["weight"]) & met.eq(False).fillna(False).to_numpy()
                           & (rows["score"] < rows["weight"] - SCORE_TOLERANCE)]
    found.append(_findings(full_but_missed, "full_marks_below_target", "warning",
                           "「" + full_but_missed["indicator"] + "」未达到年度指标值（目标 " + full_but_missed["target_text"].fillna("—")
                           + "，实际 " + full_but_missed["actual_text"].fillna("—") + "）却自评满分",
                           full_but_missed["indicator"]))
    deducted = rows[(rows["claimed_score"] < rows["weight"] - SCORE_TOLERANCE) & np.isclose(rows["score"], rows["weight"])
                    & met.eq(True).fillna(False).to_numpy()]
    found.append(_findings(deducted, "unexplained_deduction", "info",
                           "「" + deducted["indicator"] + "」已达到年度指标值，自评却扣分（" + _fmt(deducted["claimed_score"])
                           + "/" + _fmt(deducted["weight"]) + "），扣分依据不明", deducted["indicator"]))
    return pd.concat(found, ignore_index=True)


def check_indicator_quality(scored: pd.DataFrame) -> pd.DataFrame:
    """Not-applicable rows that still carry claimed points, vague or too-easy targets, unscorable rows.

    rules.md §4: vague targets ("改善", "提高") and indicators marked "无/不涉及" that still carry points;
    §2: a target set far below the actual is a finding, not a bonus. "Far below" is this library's
    own threshold, :data:`EASY_TARGET_FACTOR` (actual ≥ 1.5 × a positive ≥/= target), not a published
    rule.

    Parameters
    ----------
    scored : pandas.DataFrame
        Rows from :func:`perfeval_lib.score`; reads ``unit_code, year, indicator, rule, claimed_score
        (points), score (points), kind, direction, target, actual, target_text, actual_text``.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Codes: ``na_with_points`` (warning), ``vague_target`` (info), ``target_too_easy`` (info),
        ``unscorable_indicator`` (warning).

    Raises
    ------
    KeyError
        When a column named above is missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit_code": ["A"] * 3, "year": [2022] * 3,
    ...     "indicator": ["政府采购执行率", "群众满意度", "培训人次"],
    ...     "rule": ["not_applicable", "qualitative_band", "linear_capped"], "claimed_score": [5.0, 10.0, 10.0],
    ...     "score": [np.nan, 10.0, 10.0], "kind": ["定量", "定性", "定量"], "direction": [None, None, "≥"],
    ...     "target": [np.nan, np.nan, 100.0], "actual": [np.nan, np.nan, 300.0],
    ...     "target_text": ["不涉及", "提高", "≥100"], "actual_text": ["不涉及", "提高", "300"]})
    >>> found = check_indicator_quality(rows)
    >>> found["code"].tolist()
    ['na_with_points', 'vague_target', 'target_too_easy']
    >>> found["message"].iloc[0]
    '「政府采购执行率」标为不涉及，却计了 5.00 分'
    """
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
    """Weights that do not add up to the ruleset's total; 一级指标 weights that differ from the ruleset.

    rules.md §4: weights that do not add up to 100. The expected 一级指标 weights are the ruleset's
    ``level1_weights`` (mof-2020, "财预〔2020〕10号 单位自评": 预算执行率 10, 产出指标 50, 效益指标 30,
    满意度指标 10); a ruleset without them (mof-2013-dept: weights vary by place) checks the total only.
    Weights agree within 0.01 points.

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows; reads ``unit_code, year, ruleset, level1, weight (points)``.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Codes: ``weights_not_total`` (error: no total can be recomputed), ``level1_weight`` (warning);
        no indicator name is given.

    Raises
    ------
    RulesetError
        When a ruleset named in ``ruleset`` cannot be loaded.
    KeyError
        When a column named above is missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit_code": ["A"] * 4, "year": [2022] * 4, "ruleset": ["mof-2020"] * 4,
    ...     "level1": ["预算执行率", "产出指标", "效益指标", "满意度指标"], "weight": [10.0, 55.0, 30.0, 10.0]})
    >>> check_weights(rows)["message"].tolist()
    ['各指标分值合计 105.00 分，不等于 100.00 分，无法复核总分', '一级指标「产出指标」分值合计 55.00 分，规则集要求 50.00 分']
    """
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
    """Zero budget, executed over budget, rate below ``threshold`` with no written explanation.

    rules.md §1: a zero or missing budget leaves the rate undefined; executed above the budget (seen:
    69.06 budget, 76.36 spent) keeps its raw rate and needs an explanation; a rate below 90 % needs a
    written explanation (Sichuan template) — the ruleset's ``note_required_below``.

    Parameters
    ----------
    rates : pandas.DataFrame
        Per unit-year rates from :func:`perfeval_lib.execution_rate`; reads ``unit_code, year,
        budget_final (万元), executed (万元), execution_rate (fraction)``.
    notes : pandas.DataFrame, optional
        Budget lines' written notes, ``unit_code, year, note``: a unit-year with any non-empty note
        counts as explained.
    threshold : float, default 0.90
        The rate (fraction) below which an explanation is required.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Codes (all warnings): ``zero_budget``, ``executed_over_budget``, ``low_rate_no_note``.

    Raises
    ------
    KeyError
        When a column named above is missing.

    Examples
    --------
    >>> rates = pd.DataFrame({"unit_code": ["A", "B", "C"], "year": [2022] * 3,
    ...     "budget_final": [69.06, 0.0, 100.0], "executed": [76.36, 5.0, 80.0],
    ...     "execution_rate": [76.36 / 69.06, np.nan, 0.80]})
    >>> check_execution(rates)[["code", "unit_code"]].values.tolist()
    [['zero_budget', 'B'], ['executed_over_budget', 'A'], ['low_rate_no_note', 'C']]
    >>> check_execution(rates)["message"].iloc[2]
    '预算执行率 80.0%，低于 90%，但未说明原因'
    >>> notes = pd.DataFrame({"unit_code": ["C"], "year": [2022], "note": ["项目延期至次年实施"]})
    >>> check_execution(rates, notes)["code"].tolist()
    ['zero_budget', 'executed_over_budget']
    """
    if rates.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    found = []
    zero = rates[rates["execution_rate"].isna()]
    found.append(_findings(zero, "zero_budget", "warning",
                           "全年预算数为 0 或缺失，预算执行率无法计算（执行数 " + _money(zero["executed"]) + " 万元）"))
    over = rates[rates["execution_rate"] > 1.0]
    found.append(_findings(over, "executed_over_budget", "warning",
                           "执行数 " + _money(over["executed"]) + " 万元超过预算数 " + _money(over["budget_final"])
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
    """Budget lines with a zero 全年预算数: their own rate is undefined, and executed money there is unplanned.

    rules.md §1: zero or missing budget — the rate is undefined, never divided by zero.

    Parameters
    ----------
    budget : pandas.DataFrame or None
        Budget lines; reads ``unit_code, year, line, budget_final (万元)`` and, when present,
        ``budget_initial (万元), executed (万元)``. A missing 全年预算数 counts as zero.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Code ``zero_budget_line`` (info), one per line.

    Examples
    --------
    >>> budget = pd.DataFrame({"unit_code": ["A", "A"], "year": [2022, 2022], "line": ["1", "2"],
    ...     "budget_initial": [100.0, 0.0], "budget_final": [100.0, 0.0], "executed": [98.0, 3.5]})
    >>> check_budget_lines(budget)["message"].tolist()
    ['预算行「2」全年预算数为 0（年初 0.00 万元，执行 3.50 万元），执行率无法计算']
    """
    if budget is None or budget.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    zero = budget[budget["budget_final"].fillna(0).eq(0)].reindex(columns=["unit_code", "year", "line",
                                                                          "budget_initial", "executed"])
    return _findings(zero, "zero_budget_line", "info",
                     "预算行「" + zero["line"].astype(str) + "」全年预算数为 0（年初 " + _money(zero["budget_initial"])
                     + " 万元，执行 " + _money(zero["executed"]) + " 万元），执行率无法计算")


def check_spending(progress: pd.DataFrame) -> pd.DataFrame:
    """Spending that trails the progress line badly at mid-year (June).

    rules.md §4: spending that lags the progress line. "Badly" is this library's own threshold,
    :data:`MID_YEAR_LAG` (more than 0.20 of the budget behind at the end of June), not a published
    rule; the line itself defaults to month / 12 (unverified, rules.md §2).

    Parameters
    ----------
    progress : pandas.DataFrame
        From :func:`perfeval_lib.spending_progress`; reads ``unit_code, year, month, progress
        (fraction), target (fraction), lag (fraction)``.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Code ``spending_lag`` (warning).

    Examples
    --------
    >>> progress = pd.DataFrame({"unit_code": ["A", "B"], "year": [2022, 2022], "month": [6, 6],
    ...     "progress": [0.25, 0.40], "target": [0.5, 0.5], "lag": [0.25, 0.10]})
    >>> check_spending(progress)[["unit_code", "message"]].values.tolist()
    [['A', '6月底累计支出进度 25.0%，落后于序时进度 50.0%']]
    """
    if progress.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    june = progress[(progress["month"] == 6) & (progress["lag"] > MID_YEAR_LAG)]
    return _findings(june, "spending_lag", "warning",
                     "6月底累计支出进度 " + _pct(june["progress"]) + "，落后于序时进度 " + _pct(june["target"]))


def _basis(frame: pd.DataFrame) -> pd.Series:
    """'（各指标自评得分合计…）' after a claimed total that the unit did not state itself."""
    if "claimed_basis" not in frame.columns:
        return pd.Series("", index=frame.index, dtype="object")
    return _text(frame["claimed_basis"], lambda b: "" if b in (None, "stated") or pd.isna(b)
                 else f"（{BASIS_WORDS.get(b, b)}）")


def _not_rescaled(frame: pd.DataFrame) -> pd.Series:
    """For a stated total equal to its applicable rows' plain sum: the rows rescaled as the rules do."""
    if "claimed_applicable" not in frame.columns:
        return pd.Series("", index=frame.index, dtype="object")
    unscaled = (frame["weight_not_applicable"].fillna(0) > 0) & frame["claimed_basis"].eq("stated") \
        & ((frame["claimed_score"] - frame["claimed_applicable"]).abs() < TOTAL_TOLERANCE)
    hint = "；单位未将不涉及指标的分值按比例折算到其余指标，折算后为 " + _fmt(frame["claimed_rescaled"]) + " 分"
    return hint.where(unscaled, "")


def check_claims(results: pd.DataFrame, claimed_detail: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claimed total vs recomputed; claimed grade vs claimed score; claimed total vs its detail rows.

    rules.md §4: claimed grade inconsistent with the claimed score; total rows that disagree with
    detail rows. The claimed grade is checked against the ruleset's bands (优 ≥ 90, 良 ≥ 80, 中 ≥ 60,
    "财政部预算司 standard bands"). Totals agree within
    :data:`~perfeval_lib.core.vocab.TOTAL_TOLERANCE` (0.5 points).

    Parameters
    ----------
    results : pandas.DataFrame
        Per unit-year results; reads ``unit_code, year, ruleset, score (points), claimed_score
        (points), claimed_grade, score_status`` and, when present, ``claimed_basis`` (said in the
        message when the claimed total is not the stated one).
    claimed_detail : pandas.DataFrame, optional
        :func:`perfeval_lib.review.facts.claimed_sums`: ``unit_code, year, claimed_detail`` (the sum
        of the indicators' claimed scores, points) and ``claimed_applicable``, ``claimed_rescaled``,
        ``weight_not_applicable``. A stated total that equals either the plain or the rescaled sum
        agrees with its rows.

    Returns
    -------
    pandas.DataFrame
        Findings rows, columns ``unit_code, year, code, severity, message (Chinese), indicator, file,
        row`` (``file`` and ``row`` empty here); empty (with those columns) when nothing is found.
        Codes: ``total_claimed_vs_recomputed``, ``claimed_grade_inconsistent``,
        ``claimed_total_vs_detail`` (warnings), ``no_indicator_table`` (info: headline figures only).

    Raises
    ------
    RulesetError
        When a ruleset named in ``ruleset`` cannot be loaded.

    Examples
    --------
    >>> results = pd.DataFrame({"unit_code": ["A"], "year": [2022], "ruleset": ["mof-2020"], "score": [84.0],
    ...     "claimed_score": [92.0], "claimed_grade": ["良"], "score_status": ["recomputed"]})
    >>> check_claims(results)["message"].tolist()
    ['自评总分 92.00 分，按规则复核为 84.00 分，相差 +8.00 分', '自评等级「良」与自评总分 92.00 分不符（按等级标准应为「优」）']
    """
    if results.empty:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    found = []
    if claimed_detail is not None and len(claimed_detail):
        results = results.merge(claimed_detail, on=["unit_code", "year"], how="left")
    both = results[results["claimed_score"].notna() & results["score"].notna()]
    gap = both[(both["claimed_score"] - both["score"]).abs() >= TOTAL_TOLERANCE]
    found.append(_findings(gap, "total_claimed_vs_recomputed", "warning",
                           "自评总分 " + _fmt(gap["claimed_score"]) + " 分" + _basis(gap) + "，按规则复核为 "
                           + _fmt(gap["score"]) + " 分，相差 " + _text(gap["claimed_score"] - gap["score"], formatting.diff)
                           + " 分" + _not_rescaled(gap)))
    stated = results[results["claimed_score"].notna() & results["claimed_grade"].notna()]
    implied = grade_by_ruleset(stated["claimed_score"], stated["ruleset"])
    wrong = stated.assign(_implied=implied)
    wrong = wrong[wrong["claimed_grade"] != wrong["_implied"]]
    found.append(_findings(wrong, "claimed_grade_inconsistent", "warning",
                           "自评等级「" + wrong["claimed_grade"] + "」与自评总分 " + _fmt(wrong["claimed_score"])
                           + " 分不符（按等级标准应为「" + wrong["_implied"] + "」）"))
    if "claimed_detail" in results.columns:
        rescaled = results["claimed_rescaled"] if "claimed_rescaled" in results.columns else results["claimed_detail"]
        own = results["claimed_basis"].eq("stated") if "claimed_basis" in results.columns else True
        off = results[own & results["claimed_score"].notna() & results["claimed_detail"].notna()
                      & ((results["claimed_score"] - results["claimed_detail"]).abs() >= TOTAL_TOLERANCE)
                      & ~((results["claimed_score"] - rescaled).abs() < TOTAL_TOLERANCE)]
        found.append(_findings(off, "claimed_total_vs_detail", "warning",
                               "自评总分 " + _fmt(off["claimed_score"]) + " 分，但各指标自评得分合计为 "
                               + _fmt(off["claimed_detail"]) + " 分"))
    headline = results[results["score_status"].eq("no_indicators")]
    found.append(_findings(headline, "no_indicator_table", "info",
                           "未提供绩效指标自评表，只有总体数字：无法复核得分，自评结果照录"))
    return pd.concat(found, ignore_index=True)


def audit(scored: pd.DataFrame, results: pd.DataFrame, rates: pd.DataFrame, budget: pd.DataFrame | None = None,
          progress: pd.DataFrame | None = None, claimed_detail: pd.DataFrame | None = None) -> pd.DataFrame:
    """All checks at once: the findings table (most severe first).

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows from :func:`perfeval_lib.score` (columns as :func:`check_indicator_claims`,
        :func:`check_indicator_quality` and :func:`check_weights` read them); may be empty.
    results : pandas.DataFrame
        Per unit-year results (:func:`perfeval_lib.results`); reads ``unit_code, year, ruleset,
        score, claimed_score, claimed_grade, score_status``.
    rates : pandas.DataFrame
        Per unit-year execution rates (:func:`perfeval_lib.execution_rate`): ``unit_code, year,
        budget_final (万元), executed (万元), execution_rate (fraction)``. Each unit-year's threshold
        for a written explanation is its ruleset's ``note_required_below`` (0.90 when it has none).
    budget : pandas.DataFrame, optional
        Budget lines: ``unit_code, year, line, budget_final, budget_initial, executed`` (万元) and
        ``note``. A low rate is explained when the results' ``rate_note`` is filled
        (:func:`perfeval_lib.review.facts.execution_explanations`); without that column, when a
        budget line has a note.
    progress : pandas.DataFrame, optional
        Monthly progress (:func:`perfeval_lib.spending_progress`).
    claimed_detail : pandas.DataFrame, optional
        :func:`perfeval_lib.review.facts.claimed_sums` (computed from ``scored`` when not given).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_code, year (int64), code, severity, message, indicator, file, row``, sorted
        errors first, then warnings, then notes, then by unit, year and code.

    Raises
    ------
    RulesetError
        When a ruleset named in ``results`` cannot be loaded.
    KeyError
        When a table lacks a column its check reads.

    Examples
    --------
    >>> results = pd.DataFrame({"unit_code": ["A"], "year": [2022], "ruleset": ["mof-2020"], "score": [np.nan],
    ...     "score_status": ["no_indicators"], "claimed_score": [98.0], "claimed_grade": ["优"]})
    >>> rates = pd.DataFrame({"unit_code": ["A"], "year": [2022], "budget_final": [100.0], "executed": [80.0],
    ...     "execution_rate": [0.8]})
    >>> audit(pd.DataFrame(), results, rates)[["code", "severity"]].values.tolist()
    [['low_rate_no_note', 'warning'], ['no_indicator_table', 'info']]
    """
    if claimed_detail is None and not scored.empty and "claimed_score" in scored.columns:
        claimed_detail = claimed_sums(scored)
    if "rate_note" in results.columns:
        notes = results[["unit_code", "year", "rate_note"]].rename(columns={"rate_note": "note"})
    else:
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

"""Findings on hand-made cases: each check fires where it should and stays quiet where it should not."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import perfeval_lib as pe


def evaluate_fixture(fixtures, indicators_file, ruleset=None, budget=True, claims=None):
    indicators = pe.load_indicators(fixtures / indicators_file)
    budget_frame = pe.load_budget(fixtures / "budget_small.csv") if budget else None
    return pe.evaluate(None, budget_frame, indicators, claims, ruleset=ruleset)


def codes_for(findings, indicator=None):
    rows = findings if indicator is None else findings[findings["indicator"] == indicator]
    return sorted(rows["code"])


def test_mof2020_fixture_findings(fixtures):
    ev = evaluate_fixture(fixtures, "indicators_mof2020.csv", "mof-2020")
    found = ev.findings
    # the budget says 154.74 / 310.2: the rate indicator is rescored from it
    rate = ev.scored.set_index("indicator").loc["预算执行率"]
    assert rate["score"] == pytest.approx(4.988395, abs=1e-6)
    assert codes_for(found, "预算执行率") == ["claimed_vs_recomputed", "full_marks_below_target"]
    assert codes_for(found, "开展宣讲活动场次") == ["claimed_vs_recomputed", "full_marks_below_target"]
    assert codes_for(found, "培训合格率") == []
    assert codes_for(found, "服务对象满意度") == ["claimed_vs_recomputed", "unexplained_deduction"]
    assert "low_rate_no_note" in set(found["code"])
    message = found.loc[found["code"] == "low_rate_no_note", "message"].iloc[0]
    assert message == "预算执行率 49.9%，低于 90%，但未说明原因"


def test_full_marks_below_target_message(fixtures):
    ev = evaluate_fixture(fixtures, "indicators_dept.csv", "mof-2013-dept", budget=False)
    row = ev.findings[(ev.findings["code"] == "full_marks_below_target")
                      & (ev.findings["indicator"] == "政府采购执行率")].iloc[0]
    assert row["message"] == "「政府采购执行率」未达到年度指标值（目标 =100%，实际 72.74%）却自评满分"
    assert row["severity"] == "warning"


def test_claimed_total_vs_recomputed_and_grades(fixtures):
    claims = pd.DataFrame({"unit_code": ["T01"], "year": [2022], "claimed_score": [92.0], "claimed_grade": ["良"]})
    ev = evaluate_fixture(fixtures, "indicators_mof2020.csv", "mof-2020", budget=False, claims=claims)
    result = ev.results.iloc[0]
    assert result["score"] == pytest.approx(84.0)
    assert result["grade"] == "良"
    assert result["score_gap"] == pytest.approx(8.0)
    codes = set(ev.findings["code"])
    assert {"total_claimed_vs_recomputed", "claimed_grade_inconsistent", "claimed_total_vs_detail"} <= codes
    message = ev.findings.loc[ev.findings["code"] == "claimed_grade_inconsistent", "message"].iloc[0]
    assert message == "自评等级「良」与自评总分 92.00 分不符（按等级标准应为「优」）"


def test_claimed_total_defaults_to_sum_of_indicator_claims(fixtures):
    # no stated total: the rows' claims are summed, and — 生态效益 (10 points) being 不涉及 — rescaled like
    # the recomputed total: (10 + 20 + 15 + 15 + 20 + 9) × 100 / 90
    ev = evaluate_fixture(fixtures, "indicators_mof2020.csv", "mof-2020", budget=False)
    assert ev.results["claimed_score"].tolist() == [pytest.approx(89.0 * 100 / 90, abs=1e-6)]
    assert ev.results["claimed_basis"].tolist() == ["rows_rescaled"]
    assert ev.results["claimed_grade"].isna().all()


def test_na_indicator_with_points_is_a_finding():
    frame = pd.DataFrame({"unit_code": "A", "year": 2022, "indicator": ["x", "y"], "level1": "产出指标", "level3": ["x", "y"],
                          "kind": "定量", "direction": "≥", "weight": [90.0, 10.0], "target": [1.0, np.nan],
                          "actual": [1.0, np.nan], "target_text": ["100%", "不涉及"], "actual_text": ["100%", "不涉及"],
                          "applicable": [True, False], "claimed_score": [90.0, 10.0]})
    ev = pe.evaluate(None, None, frame, ruleset="mof-2020")
    assert codes_for(ev.findings, "y") == ["na_with_points"]
    assert ev.results["score"].tolist() == [100.0]


def test_weights_not_total_is_an_error_and_no_total(fixtures):
    indicators = pe.load_indicators(fixtures / "indicators_mof2020.csv")
    short = indicators[indicators["indicator"] != "培训合格率"]
    ev = pe.evaluate(None, None, short, ruleset="mof-2020")
    assert ev.results["score_status"].tolist() == ["weights_invalid"]
    assert ev.results["score"].isna().all() and ev.results["grade"].isna().all()
    error = ev.findings[ev.findings["code"] == "weights_not_total"].iloc[0]
    assert error["severity"] == "error" and error["message"] == "各指标分值合计 85.00 分，不等于 100.00 分，无法复核总分"
    assert "level1_weight" in set(ev.findings["code"])


@pytest.mark.parametrize("budget_final, executed, code, rate", [
    (0.0, 0.0, "zero_budget", None), (69.06, 76.36, "executed_over_budget", 76.36 / 69.06), (100.0, 95.0, None, 0.95)])
def test_execution_findings(budget_final, executed, code, rate):
    budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["x"], "budget_final": [budget_final],
                           "executed": [executed], "note": [None]})
    ev = pe.evaluate(None, budget, None)
    found = set(ev.findings["code"])
    if code:
        assert code in found
    else:
        assert not found & {"zero_budget", "executed_over_budget", "low_rate_no_note"}
    actual = ev.results["execution_rate"].iloc[0]
    assert (np.isnan(actual) if rate is None else actual == pytest.approx(rate))


def test_low_rate_with_a_note_is_explained():
    budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["x"], "budget_final": [100.0],
                           "executed": [70.0], "note": ["项目延期至次年实施"]})
    assert "low_rate_no_note" not in set(pe.evaluate(None, budget, None).findings["code"])


def test_headline_only_unit_keeps_claim_and_has_no_recomputed_score():
    budget = pd.DataFrame({"unit_code": ["HZ"], "year": [2022], "line": ["合计"], "budget_final": [507.02],
                           "executed": [507.02], "note": [None]})
    claims = pd.DataFrame({"unit_code": ["HZ"], "year": [2022], "claimed_score": [98.0], "claimed_grade": ["优"]})
    result = pe.evaluate(None, budget, None, claims).results.iloc[0]
    assert (result["claimed_score"], result["claimed_grade"], result["score_status"]) == (98.0, "优", "no_indicators")
    assert pd.isna(result["score"]) and result["grade"] is None and pd.isna(result["score_gap"])
    assert result["execution_rate"] == 1.0


def test_spending_lag_at_mid_year():
    spending = pd.DataFrame({"unit_code": "A", "year": 2022, "month": [6, 12], "executed_cum": [20.0, 100.0]})
    budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["x"], "budget_final": [100.0],
                           "executed": [100.0], "note": [None]})
    ev = pe.evaluate(None, budget, None, spending=spending)
    assert ev.findings.loc[ev.findings["code"] == "spending_lag", "message"].tolist() == [
        "6月底累计支出进度 20.0%，落后于序时进度 50.0%"]


def test_inputs_are_not_modified(fixtures):
    indicators = pe.load_indicators(fixtures / "indicators_mof2020.csv")
    before = indicators.copy()
    pe.evaluate(None, None, indicators, ruleset="mof-2020")
    pd.testing.assert_frame_equal(indicators, before)

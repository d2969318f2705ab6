"""Rulesets side by side: hand-computed scores under a preset and its documented variant."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfeval_lib.core.errors import PerfevalError, RulesetError
from perfeval_lib.review.compare import OWN, compare_tables
from perfeval_lib.review.rulesets import available_rulesets, load_ruleset


def _rows(unit, year, rows):
    """Indicator rows: (level1, indicator, kind, direction, weight, target, actual, target_text, actual_text)."""
    frame = pd.DataFrame(rows, columns=["level1", "indicator", "kind", "direction", "weight", "target", "actual",
                                        "target_text", "actual_text"])
    return frame.assign(unit_code=unit, year=year, level3=frame["indicator"], applicable=True, claimed_score=np.nan)


UNITS = pd.DataFrame({"unit_code": ["A", "B", "C"], "unit_name": ["财政局", "档案馆", "统计局"],
                      "ruleset": ["mof-2020", "mof-2013-dept", "mof-2020"]})
# A: 50 points met + 50 points 部分达成 → 50 + 40 = 90 (优) under mof-2020; 50 + 30 = 80 (良) under the variant
A = _rows("A", 2023, [("产出指标", "培训人次", "定量", "≥", 50.0, 100.0, 120.0, "≥100", "120"),
                      ("效益指标", "社会效益", "定性", None, 50.0, np.nan, np.nan, "达成", "部分达成")])
# C: the execution rate 49.884 % → 4.9884 of 10 under mof-2020; rounded to 50 % → 5.0 under the variant
C = _rows("C", 2023, [("预算执行率", "预算执行率", "定量", "≥", 10.0, 1.0, 0.49884, "100%", "49.884%"),
                      ("产出指标", "培训人次", "定量", "≥", 90.0, 100.0, 100.0, "≥100", "100")])
# B (mof-2013-dept): 三公经费变动率 +3 points over 0 → 4 − 0.5 × 3 = 2.5; the variant's k 0.8 → 4 − 2.4 = 1.6
B = _rows("B", 2023, [("投入", "\"三公\"经费变动率", "定量", "≤", 4.0, 0.0, 0.03, "≤0%", "+3%"),
                      ("产出", "实际完成率", "定量", "≥", 96.0, 0.95, 0.95, "≥95%", "95%")])
INDICATORS = pd.concat([A, B, C], ignore_index=True)


def test_each_preset_has_a_documented_variant_that_differs_where_it_says():
    assert {"mof-2020-strict", "mof-2013-dept-strict"} <= set(available_rulesets())
    base, strict = load_ruleset("mof-2020"), load_ruleset("mof-2020-strict")
    assert (strict.family, strict.variant_of, base.family, base.variant_of) == ("mof-2020", "mof-2020", "mof-2020", "")
    assert (base.round_rate_to, strict.round_rate_to) == (None, 0.01)
    assert (base.qualitative["部分达成"], strict.qualitative["部分达成"]) == (0.8, 0.6)
    assert (base.qualitative["未达成"], strict.qualitative["未达成"]) == (0.0, 0.0)   # 未达成 earns nothing in both
    assert (base.qualitative_bands["部分达成"], strict.qualitative_bands["部分达成"]) == ((0.6, 0.8), (0.6, 0.6))
    dept, dept_strict = load_ruleset("mof-2013-dept"), load_ruleset("mof-2013-dept-strict")
    assert dept_strict.family == "mof-2013-dept"
    assert [r.params.get("k") for r in dept.rules[:2]] == [0.5, 0.5]
    assert [r.params.get("k") for r in dept_strict.rules[:2]] == [0.8, 0.8]
    assert dept.grade_bands == dept_strict.grade_bands and dept.rules[2:] == dept_strict.rules[2:]


def test_a_qualitative_partial_moves_a_unit_across_the_grade_line():
    c = compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2020-strict"])
    row = c.units.set_index("unit_code").loc["A"]
    assert (row["score_a"], row["grade_a"], row["score_b"], row["grade_b"]) == (90.0, "优", 80.0, "良")
    assert row["score_change"] == -10.0 and row["grade_changed"] and row["main_indicator"] == "社会效益"
    assert c.changed["unit_code"].tolist() == ["A"]
    moved = c.indicators.set_index(["unit_code", "indicator"])
    assert moved.loc[("A", "社会效益"), ["score_a", "score_b"]].tolist() == [40.0, 30.0]
    assert ("A", "培训人次") not in moved.index          # unchanged indicators are not listed


def test_the_rate_is_rounded_to_a_whole_percent_before_scoring_under_the_variant():
    c = compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2020-strict"])
    row = c.indicators.set_index(["unit_code", "indicator"]).loc[("C", "预算执行率")]
    assert row["score_a"] == pytest.approx(4.9884) and row["score_b"] == pytest.approx(5.0)
    unit = c.units.set_index("unit_code").loc["C"]
    assert unit["score_change"] == pytest.approx(0.0116) and not unit["grade_changed"]


def test_per_point_deduction_of_the_dept_variant():
    c = compare_tables(UNITS, None, INDICATORS, None, ["mof-2013-dept", "mof-2013-dept-strict"])
    assert c.units["unit_code"].tolist() == ["B"]
    row = c.indicators.set_index("indicator").loc["\"三公\"经费变动率"]
    assert (row["score_a"], row["score_b"]) == (pytest.approx(2.5), pytest.approx(1.6))
    assert row["rule_a"] == "per_point_deduction(k=0.5)" and row["rule_b"] == "per_point_deduction(k=0.8)"
    assert c.left_out["unit_code"].tolist() == ["A", "C"] and set(c.left_out["ruleset"]) == {"mof-2020"}


def test_only_the_units_of_the_rulesets_family_unless_all_units():
    c = compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2020-strict"])
    assert c.units["unit_code"].tolist() == ["A", "C"] and c.left_out["unit_code"].tolist() == ["B"]
    everyone = compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2020-strict"], all_units=True)
    assert everyone.units["unit_code"].tolist() == ["A", "B", "C"] and everyone.left_out.empty


def test_own_ruleset_against_a_variant():
    c = compare_tables(UNITS, None, INDICATORS, None, [None, "mof-2020-strict"])
    assert c.rulesets == (OWN, "mof-2020-strict")
    assert c.units.set_index("unit_code").loc["A", "ruleset_a"] == "mof-2020"


def test_units_without_a_score_under_either_do_not_count_as_a_change():
    claims_only = pd.DataFrame({"unit_code": ["A"], "year": [2022], "claimed_score": [95.0], "claimed_grade": ["优"]})
    c = compare_tables(UNITS, None, None, claims_only, ["mof-2020", "mof-2020-strict"])
    row = c.units.iloc[0]
    assert pd.isna(row["score_a"]) and pd.isna(row["score_b"]) and not row["grade_changed"]
    assert c.changed.empty and c.indicators.empty and c.drivers().empty


def test_drivers_sum_the_change_per_indicator():
    c = compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2020-strict"])
    drivers = c.drivers()
    assert drivers["indicator"].tolist() == ["社会效益", "预算执行率"]
    assert drivers["total_change"].tolist() == [-10.0, pytest.approx(0.0116)]


@pytest.mark.parametrize("rulesets, message", [
    (["mof-2020"], "two rulesets"), (["mof-2020", "mof-2020-strict", "mof-2013-dept"], "two rulesets"),
    ([None, None], "at least one ruleset")])
def test_bad_ruleset_lists_are_clear_errors(rulesets, message):
    with pytest.raises(PerfevalError, match=message):
        compare_tables(UNITS, None, INDICATORS, None, rulesets)


def test_no_unit_in_the_family_is_a_clear_error():
    with pytest.raises(PerfevalError, match="没有单位使用 mof-2013-dept"):
        compare_tables(UNITS[UNITS["unit_code"] != "B"], None, A, None, ["mof-2013-dept", "mof-2013-dept-strict"])


def test_an_unknown_ruleset_names_the_available_ones():
    with pytest.raises(RulesetError, match="mof-2020-strict"):
        compare_tables(UNITS, None, INDICATORS, None, ["mof-2020", "mof-2099"])

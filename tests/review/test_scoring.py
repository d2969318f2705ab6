"""Every rule on hand-computed cases (rules.md §2), totals, rescaling and grade boundaries."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import perfeval_lib as pe
from perfeval_lib.review import scoring
from perfeval_lib.review.rulesets import load_ruleset


def rows(**columns) -> pd.DataFrame:
    n = max(len(v) if isinstance(v, list) else 1 for v in columns.values())
    base = {"unit_code": "A", "year": 2022, "level1": "产出指标", "level2": "数量指标", "kind": "定量",
            "direction": "≥", "applicable": True, "target_text": None, "actual_text": None}
    base.update(columns)
    frame = pd.DataFrame({k: v if isinstance(v, list) else [v] * n for k, v in base.items()})
    if "indicator" not in frame:
        frame["indicator"] = frame["level3"] if "level3" in frame else [f"i{i}" for i in range(n)]
    if "level3" not in frame:
        frame["level3"] = frame["indicator"]
    return frame


class TestRules:
    def test_execution_rate_76_percent_scores_7_6_of_10(self):
        assert scoring.linear_capped([0.76], [1.0], [10]).tolist() == [7.6]

    def test_linear_capped_gives_no_bonus_above_target(self):
        assert scoring.linear_capped([1.5476], [1.0], [10]).tolist() == [10.0]

    def test_linear_capped_counts(self):
        # 6 场 of a target of 8 场 → 6/8 × 20
        assert scoring.linear_capped([6], [8], [20]).tolist() == [15.0]

    def test_linear_capped_missing_actual_is_unscored(self):
        assert np.isnan(scoring.linear_capped([np.nan], [1.0], [10])[0])

    def test_reverse_linear(self):
        # cost control ≤ 100 %, actual 125 % → 100/125 × 15 = 12
        assert scoring.reverse_linear([1.25, 0.9, 0.0], [1.0, 1.0, 1.0], [15, 15, 15]).tolist() == [12.0, 15.0, 15.0]

    def test_per_point_deduction_staff_control(self):
        # 103.5 % of 编制, threshold 100 %, 0.5 per point → 5 − 1.75
        assert scoring.per_point_deduction([1.035], [1.0], [5], k=0.5).tolist() == [3.25]

    def test_per_point_deduction_floor_is_zero(self):
        assert scoring.per_point_deduction([0.30], [0.0], [5], k=0.8).tolist() == [0.0]

    def test_step_deduction_99_27_percent_keeps_full_marks(self):
        assert scoring.step_deduction([0.9927], [1.0], [10], step=0.05, points=2).tolist() == [10.0]

    @pytest.mark.parametrize("actual, expected", [(0.95, 8.0), (0.9501, 10.0), (0.90, 6.0), (0.5, 0.0), (1.02, 10.0)])
    def test_step_deduction_every_5_percent_below_costs_2(self, actual, expected):
        assert scoring.step_deduction([actual], [1.0], [10], step=0.05, points=2).tolist() == [expected]

    @pytest.mark.parametrize("variance, points", [(0.0, 5), (0.0001, 4), (0.10, 4), (0.1001, 3), (0.20, 3),
                                                  (0.25, 2), (0.30, 2), (0.31, 0), (-0.15, 3)])
    def test_budget_control_bands(self, variance, points):
        table = load_ruleset("mof-2013-dept").rules[3].params["bands"]
        assert scoring.bands([variance], [5], table, above=0.0).tolist() == [points]

    @pytest.mark.parametrize("actual, target, verdict", [
        ("达成", "达成", "达成"), ("好", "好", "达成"), ("较好", "好", "部分达成"), ("基本达成", "达成", "部分达成"),
        ("未达成", "达成", "未达成"), ("不及时", "及时", "未达成"), ("", "达成", None)])
    def test_judge_qualitative(self, actual, target, verdict):
        assert scoring.judge(actual, target) == verdict


class TestScoreFrame:
    def test_rule_chosen_by_name_kind_and_direction(self):
        frame = rows(level3=["预算执行率", "满意度", "成本", "宣传"], level1=["预算执行率", "满意度指标", "产出指标", "效益指标"],
                     kind=["定量", "定量", "定量", "定性"], direction=["≥", "≥", "≤", None],
                     weight=[10.0, 10.0, 10.0, 10.0], target=[1.0, 0.9, 1.0, np.nan], actual=[0.76, 0.93, 1.25, np.nan],
                     target_text=["100%", "≥90%", "≤100%", "达成"], actual_text=["76%", "93%", "125%", "部分达成"])
        scored = pe.score(frame, ruleset="mof-2020")
        assert scored["rule"].tolist() == ["linear_capped", "linear_capped", "reverse_linear", "qualitative_band"]
        assert scored["score"].tolist() == [7.6, 10.0, 8.0, 8.0]
        assert "score" not in frame.columns  # the input is not modified

    def test_execution_rate_rounded_to_whole_percent_before_scoring(self, tmp_path, monkeypatch):
        # 154.74 / 310.2 = 49.88 % printed as 50 % → 5.0 (rules.md §1)
        source = load_ruleset("mof-2020").path
        text = open(source, encoding="utf-8").read().replace("round_rate_to: null", "round_rate_to: 0.01")
        custom = tmp_path / "rounded.yaml"
        custom.write_text(text.replace("name: mof-2020", "name: rounded"), encoding="utf-8")
        frame = rows(level3="预算执行率", level1="预算执行率", weight=10.0, target=1.0, actual=np.nan)
        budget = pd.DataFrame({"unit_code": ["A"], "year": [2022], "budget_final": [310.2], "executed": [154.74]})
        rates = pe.execution_rate(budget)
        assert pe.score(frame, custom, rates=rates)["score"].tolist() == [5.0]
        assert pe.score(frame, "mof-2020", rates=rates)["score"].round(4).tolist() == [4.9884]

    def test_row_rule_column_overrides_ruleset(self):
        frame = rows(level3="x", weight=10.0, target=1.0, actual=0.5, rule="not_applicable")
        assert pe.score(frame, "mof-2020")["rule"].tolist() == ["not_applicable"]

    def test_vectorised_over_many_rows(self):
        n = 10_000
        frame = rows(level3=[f"i{i}" for i in range(n)], weight=[1.0] * n, target=[1.0] * n,
                     actual=list(np.linspace(0, 2, n)))
        scored = pe.score(frame, "mof-2020")
        assert scored["score"].between(0, 1).all()
        assert scored["score"].is_monotonic_increasing


class TestTotals:
    def test_not_applicable_rescaled_to_100(self):
        frame = pd.DataFrame({"unit_code": "A", "year": 2022, "ruleset": "mof-2020", "weight": [45.0, 45.0, 10.0],
                              "score": [40.0, 41.4, np.nan], "rule": ["linear_capped", "linear_capped", "not_applicable"]})
        total = pe.totals(frame)
        # (40 + 41.4) × 100 / 90
        assert total["score"].round(6).tolist() == [90.444444]
        assert total["score_status"].tolist() == ["recomputed"]

    def test_weights_not_adding_up_give_no_total(self):
        frame = pd.DataFrame({"unit_code": "A", "year": 2022, "ruleset": "mof-2020", "weight": [50.0, 45.0],
                              "score": [50.0, 45.0], "rule": "linear_capped"})
        total = pe.totals(frame)
        assert total["score_status"].tolist() == ["weights_invalid"]
        assert total["score"].isna().all()

    def test_unscorable_indicator_makes_total_incomplete(self):
        frame = pd.DataFrame({"unit_code": "A", "year": 2022, "ruleset": "mof-2020", "weight": [50.0, 50.0],
                              "score": [50.0, np.nan], "rule": "linear_capped"})
        assert pe.totals(frame)["score_status"].tolist() == ["incomplete"]


class TestGrade:
    @pytest.mark.parametrize("total, expected", [(100.0, "优"), (90.0, "优"), (89.99, "良"), (89.999999, "良"),
                                                 (80.0, "良"), (79.99, "中"), (60.0, "中"), (59.99, "差"), (0.0, "差")])
    def test_grade_bands_on_the_unrounded_total(self, total, expected):
        assert pe.grade(total) == expected

    def test_missing_total_has_no_grade(self):
        assert pe.grade(float("nan")) is None

    def test_grade_of_series(self):
        assert pe.grade(pd.Series([90.0, 59.99, np.nan])).tolist() == ["优", "差", None]


class TestFixtures:
    def test_mof2020_unit_year_by_hand(self, fixtures):
        indicators = pe.load_indicators(fixtures / "indicators_mof2020.csv")
        scored = pe.score(indicators, "mof-2020").set_index("indicator")["score"]
        assert scored["预算执行率"] == 7.6
        assert scored["开展宣讲活动场次"] == 15.0
        assert scored["培训合格率"] == 15.0
        assert scored["项目成本控制率"] == 12.0
        assert scored["妇女儿童权益保障"] == 16.0
        assert np.isnan(scored["生态效益"])
        assert scored["服务对象满意度"] == 10.0
        total = pe.totals(pe.score(indicators, "mof-2020"))
        # (7.6 + 15 + 15 + 12 + 16 + 10) × 100 / 90 = 84.0
        assert total["score"].round(6).tolist() == [84.0]

    def test_dept_unit_year_by_hand(self, fixtures):
        indicators = pe.load_indicators(fixtures / "indicators_dept.csv")
        scored = pe.score(indicators, "mof-2013-dept").set_index("indicator")
        expected = {"在职人员控制率": 3.25, '"三公"经费变动率': 5.0, "预算完成率": 10.0, "预算控制率": 3.0,
                    "政府采购执行率": 7.274, "结转结余率": 10.0, "资金使用合规性": 15.0, "实际完成率": 20.0,
                    "社会公众或服务对象满意度": 19.555556}
        assert scored["score"].round(6).to_dict() == expected
        assert scored.loc["在职人员控制率", "rule"] == "per_point_deduction(k=0.5)"
        total = pe.totals(pe.score(indicators, "mof-2013-dept"))["score"].iloc[0]
        assert total == pytest.approx(93.079556, abs=1e-6)
        assert pe.grade(total, "mof-2013-dept") == "优"

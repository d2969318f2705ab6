"""One computed value per fact: met or missed, explained or not, which claimed total; qualitative bands."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import perfeval_lib as pe
from perfeval_lib.core.errors import RulesetError
from perfeval_lib.review.facts import target_met
from perfeval_lib.review.rulesets import load_ruleset


def dept_rows(actual_rate: float, claimed: float) -> pd.DataFrame:
    """A mof-2013-dept unit-year: 预算完成率 (step rule, 6 points) and one 94-point indicator met in full."""
    return pd.DataFrame({
        "unit_code": "A", "year": 2022, "indicator": ["预算完成率", "其他"], "level1": ["过程", "产出"],
        "level3": ["预算完成率", "其他"], "kind": "定量", "direction": ["=", "≥"], "weight": [6.0, 94.0],
        "target": [1.0, 1.0], "actual": [actual_rate, 1.0], "target_text": ["=100%", "≥100%"],
        "actual_text": [f"{actual_rate * 100:.2f}%", "100%"], "applicable": True, "claimed_score": [claimed, 94.0]})


def codes(ev, indicator=None):
    found = ev.findings if indicator is None else ev.findings[ev.findings["indicator"] == indicator]
    return sorted(found["code"])


# --- met / not met (point 4) -----------------------------------------------------------------------

def test_full_marks_under_a_step_rule_is_not_target_met():
    # 98.85 % against =100 %: "每低于5%扣2分" keeps full marks, yet the target was missed
    ev = pe.evaluate(None, None, dept_rows(0.9885, 5.8), ruleset="mof-2013-dept")
    row = ev.scored.set_index("indicator").loc["预算完成率"]
    assert row["score"] == 6.0 and row["met"] == False  # noqa: E712 (a pandas boolean)
    # the claimed 5.8 differs from the recomputed 6: a difference, never "已达到年度指标值，自评却扣分"
    assert codes(ev, "预算完成率") == ["claimed_vs_recomputed"]
    assert not ev.findings["message"].str.contains("已达到年度指标值").any()


def test_a_deduction_where_the_target_was_met_is_still_flagged():
    ev = pe.evaluate(None, None, dept_rows(1.0, 5.8), ruleset="mof-2013-dept")
    assert codes(ev, "预算完成率") == ["claimed_vs_recomputed", "unexplained_deduction"]


def test_target_met_is_true_false_or_unknown():
    rows = pd.DataFrame({"direction": ["≥", "≤", "≥", None, None], "kind": ["定量", "定量", "定量", "定性", "定性"],
                         "target": [0.9, 0.1, 0.9, np.nan, np.nan], "actual": [0.9, 0.12, np.nan, np.nan, np.nan],
                         "target_text": ["≥90%", "≤10%", "≥90%", "达成", "达成"],
                         "actual_text": ["90%", "12%", None, "达成", "无法判断的文字"],
                         "rule": ["linear_capped", "reverse_linear", "linear_capped", "qualitative_band", "not_applicable"]})
    assert target_met(rows).tolist() == [True, False, pd.NA, True, pd.NA]


# --- explained / not explained (point 4) -------------------------------------------------------------

def budget(note=None):
    return pd.DataFrame({"unit_code": ["A"], "year": [2022], "line": ["1"], "budget_final": [100.0],
                         "executed": [80.0], "note": [note]})


@pytest.mark.parametrize("note, narrative, explained", [
    (None, None, False),
    ("项目延期至次年实施", None, True),
    (None, ("projects", "农村公路养护项目因招标延期，部分工程款在次年支付。"), True),
    (None, ("execution", "年底集中采购，资金拨付在决算后完成。"), True),
    (None, ("projects", "全年完成农村公路养护 120 公里。"), False),          # a project's text that gives no reason
    (None, ("achievements", "因地制宜开展宣传。"), False),                    # not a section that explains execution
])
def test_a_low_rate_is_explained_by_a_note_or_the_narrative(note, narrative, explained):
    narratives = (pd.DataFrame({"unit_code": ["A"], "year": [2022], "section": [narrative[0]], "text": [narrative[1]]})
                  if narrative else None)
    ev = pe.evaluate(None, budget(note), None, narratives=narratives)
    assert ("low_rate_no_note" in codes(ev)) is not explained
    assert pd.notna(ev.results["rate_note"].iloc[0]) is explained


# --- 不涉及: like with like (point 6) ----------------------------------------------------------------

def na_rows(claimed_na=np.nan) -> pd.DataFrame:
    """88 points applicable and met in full, a 12-point indicator 不涉及."""
    return pd.DataFrame({
        "unit_code": "A", "year": 2022, "indicator": ["x", "y"], "level1": "产出指标", "level3": ["x", "y"],
        "kind": "定量", "direction": "≥", "weight": [88.0, 12.0], "target": [1.0, np.nan], "actual": [1.0, np.nan],
        "target_text": ["100%", "不涉及"], "actual_text": ["100%", "不涉及"], "applicable": [True, False],
        "claimed_score": [88.0, claimed_na]})


def test_claims_summed_from_rows_are_rescaled_like_the_recomputed_total():
    ev = pe.evaluate(None, None, na_rows(), ruleset="mof-2020")
    result = ev.results.iloc[0]
    assert result["score"] == 100.0 and result["claimed_score"] == 100.0       # 88 × 100 / 88
    assert result["claimed_basis"] == "rows_rescaled" and result["score_gap"] == 0.0
    assert "total_claimed_vs_recomputed" not in codes(ev)                     # no spurious "相差 -12 分"


def test_a_stated_total_is_compared_as_stated_and_a_missing_rescale_is_said():
    claims = pd.DataFrame({"unit_code": ["A"], "year": [2022], "claimed_score": [88.0], "claimed_grade": ["良"]})
    ev = pe.evaluate(None, None, na_rows(), claims, ruleset="mof-2020")
    assert ev.results["claimed_basis"].tolist() == ["stated"]
    message = ev.findings.loc[ev.findings["code"] == "total_claimed_vs_recomputed", "message"].iloc[0]
    assert message == ("自评总分 88.00 分，按规则复核为 100.00 分，相差 -12.00 分；单位未将不涉及指标的分值按比例折算到其余指标，"
                       "折算后为 100.00 分")


def test_a_stated_total_equal_to_its_rescaled_rows_agrees_with_its_detail():
    claims = pd.DataFrame({"unit_code": ["A"], "year": [2022], "claimed_score": [100.0], "claimed_grade": ["优"]})
    ev = pe.evaluate(None, None, na_rows(), claims, ruleset="mof-2020")
    assert not {"claimed_total_vs_detail", "total_claimed_vs_recomputed"} & set(codes(ev))


def test_a_total_summed_from_rows_says_so():
    rows = na_rows().assign(claimed_score=[80.0, np.nan])
    ev = pe.evaluate(None, None, rows, ruleset="mof-2020")
    message = ev.findings.loc[ev.findings["code"] == "total_claimed_vs_recomputed", "message"].iloc[0]
    assert message.startswith("自评总分 90.91 分（各指标自评得分合计，不涉及指标不计分、其余指标按比例折算），按规则复核为 100.00 分")


# --- qualitative bands (point 7) --------------------------------------------------------------------

def qualitative(actual_text: str, claimed: float) -> pd.DataFrame:
    return pd.DataFrame({
        "unit_code": "A", "year": 2022, "indicator": ["q", "rest"], "level1": ["效益指标", "产出指标"],
        "level3": ["q", "rest"], "kind": ["定性", "定量"], "direction": [None, "≥"], "weight": [10.0, 90.0],
        "target": [np.nan, 1.0], "actual": [np.nan, 1.0], "target_text": ["达成", "100%"],
        "actual_text": [actual_text, "100%"], "applicable": True, "claimed_score": [claimed, 90.0]})


@pytest.mark.parametrize("actual, claimed, score, finding", [
    ("未达成", 0.0, 0.0, False),       # an honest 0 is consistent (it was 6 — 60 % — before)
    ("未达成", 5.0, 5.0, False),       # inside 未达成's band 0–60 %: the unit's coefficient
    ("未达成", 7.0, 0.0, True),        # outside it: scored at the default, a finding
    ("部分达成", 6.5, 6.5, False),     # inside 60–80 %
    ("部分达成", 10.0, 8.0, True),     # full marks for a partial result
    ("达成", 8.5, 8.5, False),         # inside 80–100 %
    ("达成", 7.0, 10.0, True),
])
def test_a_claim_inside_its_band_is_consistent(actual, claimed, score, finding):
    ev = pe.evaluate(None, None, qualitative(actual, claimed), ruleset="mof-2020")
    assert ev.scored.set_index("indicator").loc["q", "score"] == pytest.approx(score)
    assert ("claimed_vs_recomputed" in codes(ev, "q")) is finding


def test_presets_score_not_achieved_at_zero_and_keep_the_bands():
    for name in ("mof-2020", "mof-2013-dept"):
        ruleset = load_ruleset(name)
        assert ruleset.qualitative["未达成"] == 0.0
        assert ruleset.qualitative_bands == {"达成": (0.8, 1.0), "部分达成": (0.6, 0.8), "未达成": (0.0, 0.6)}


def test_a_bad_band_is_a_ruleset_error(tmp_path):
    with open(load_ruleset("mof-2020").path, encoding="utf-8") as handle:
        text = handle.read()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("未达成: [0.0, 0.6]", "未达成: [0.7, 0.6]"), encoding="utf-8")
    with pytest.raises(RulesetError, match="qualitative_bands"):
        load_ruleset(bad)

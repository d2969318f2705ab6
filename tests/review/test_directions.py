"""The direction of an indicator (rules.md §2b): explicit column > target words > ruleset name patterns, said."""
from __future__ import annotations

import pytest

from perfeval_lib.batch.score_files import score_files
from perfeval_lib.core.names import name_key
from perfeval_lib.core.parse import parse_target

HEADER = "单位编码,年度,一级指标,三级指标,分值,年度指标值,实际完成值"


def scored(tmp_path, text, ruleset="mof-2020"):
    path = tmp_path / "indicators.csv"
    path.write_text(text, encoding="utf-8")
    return score_files([path], ruleset=ruleset).scores.set_index("level3")


def test_a_direction_column_makes_a_missed_reverse_target_lose_points(tmp_path):
    # 事故发生率 反向, target 2 %, actual 5 %, weight 10 → 10 × 2 / 5 = 4 (not 10)
    rows = scored(tmp_path, HEADER + ",指标方向\nA,2022,产出指标,事故发生率,10,2%,5%,反向\n"
                                     "A,2022,产出指标,培训人次,90,200,180,正向\n")
    assert rows.loc["事故发生率", ["direction", "direction_source", "score", "rule"]].tolist() == [
        "≤", "column", 4.0, "reverse_linear"]
    assert rows.loc["培训人次", ["direction", "score"]].tolist() == ["≥", 81.0]


@pytest.mark.parametrize("header", ["方向", "运算符号", "比较符", "指标值类型"])
def test_each_direction_header_is_read(tmp_path, header):
    rows = scored(tmp_path, f"{HEADER},{header}\nA,2022,产出指标,事故发生率,100,2%,5%,≤\n")
    assert rows.loc["事故发生率", ["direction_source", "score"]].tolist() == ["column", 40.0]


def test_the_column_wins_over_the_target_sign_with_a_warning(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + ",指标方向\nA,2022,产出指标,差错率,100,≥2%,5%,反向\n", encoding="utf-8")
    run = score_files([path])
    assert run.scores["direction"].tolist() == ["≤"] and run.scores["score"].tolist() == [40.0]
    assert [i.code for i in run.issues if i.severity == "warning"] == ["direction_conflict"]


@pytest.mark.parametrize("target, actual, direction, score", [
    ("不超过20个工作日", "25个工作日", "≤", 80.0), ("98%以上", "49%", "≥", 50.0), ("控制在5%以内", "4%", "≤", 100.0),
    ("至少10次", "5次", "≥", 50.0), ("不低于90%", "99%", "≥", 100.0), ("2天以内", "4天", "≤", 50.0),
    ("9月前", "7月", "≤", 100.0), ("低于3%", "6%", "≤", 50.0), ("达到95%以上", "95%", "≥", 100.0),
])
def test_targets_written_in_words_are_understood_and_scored(tmp_path, target, actual, direction, score):
    rows = scored(tmp_path, f"{HEADER}\nA,2022,产出指标,x,100,{target},{actual}\n")
    assert rows.loc["x", ["direction", "direction_source", "score"]].tolist() == [direction, "target", score]


def test_ruleset_reverse_names_are_an_assumption_that_is_said(tmp_path):
    rows = scored(tmp_path, HEADER + "\nA,2022,产出指标,安全事故发生率,50,2%,5%\nA,2022,产出指标,覆盖率,50,90%,45%\n")
    assert rows.loc["安全事故发生率", ["direction", "direction_source", "score"]].tolist() == ["≤", "ruleset", 20.0]
    assert "推定为反向" in rows.loc["安全事故发生率", "score_note"]
    assert rows.loc["覆盖率", ["direction_source", "score"]].tolist() == ["default", 25.0]
    assert "按正向" in rows.loc["覆盖率", "score_note"]


def test_names_match_after_normalising_quotes_brackets_width_and_spaces(tmp_path):
    names = ["“三公”经费变动率", '"三公"经费变动率', "‘三公’经费 变动率", "三公经费变动率", "「三公」經費變動率"]
    assert len({name_key(n) for n in names}) == 1
    assert name_key("足额保障率（参保率）") == name_key("足额保障率(参保率)") == name_key("足额保障率 [参保率]")
    rows = scored(tmp_path, HEADER + "\nA,2022,投入,‘三公’经费 变动率,100,0%,2%\n", ruleset="mof-2013-dept")
    assert rows["rule"].tolist() == ["per_point_deduction(k=0.5)"] and rows["score"].tolist() == [99.0]


def test_parse_target_keeps_units_and_words_as_text_but_reads_the_number():
    assert parse_target("30个工作日").value == 30.0 and parse_target("≥100百分比").value == 1.0
    assert parse_target("有效改善").state == "text" and parse_target("2022年12月31日前").state == "text"

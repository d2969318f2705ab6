"""Real published 自评表 (tests/fixtures/real_forms, see its README): each read alone, with no registry, to
the values a careful analyst reads from it, and scored under mof-2020 by hand.

Indicator rows: (一级, 二级, 三级 without the template's "指标N：" numbering, 分值, 年度指标值 as typed,
实际完成值 as typed, 自评得分, direction, recomputed score). None where the form states nothing.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from perfeval_lib.batch.score_files import score_files
from perfeval_lib.ingest import forms

from ..kits.paths import FIXTURES

REAL = FIXTURES / "real_forms"
N = None
RATE = ("预算执行率", "预算执行率", "预算执行率")

EXPECTED = {
    "01_anhui_jinzhai_chagu_dept_2023": dict(
        unit_name="金寨县茶谷和美丽乡村建设服务中心", unit_label="部门", project=N, year=2023,
        budget=(329.77, 329.77, 338.31), rate=338.31 / 329.77, stated_rate=1.0259, claimed=N, score=N,
        status="weights_invalid",  # the stored page stops inside 成本指标: 70 of 100 points are there
        rows=[("产出指标", "数量指标", "开展精品示范村建设数量", 10, "≤4", "4", 10, "≤", 10),
              ("产出指标", "数量指标", "建设美丽宜居自然村庄数量", 10, "≥200", "202", 10, "≥", 10),
              ("产出指标", "数量指标", "完成农村户用卫生厕所改造数量", 10, "≥2000", "3061", 10, "≥", 10),
              ("产出指标", "数量指标", "新建省级中心村数量", 10, "≥10", "10", 10, "≥", 10),
              ("产出指标", "质量指标", "美丽宜居自然村庄验收通过率", 5, "≥95%", "100%", 5, "≥", 5),
              ("产出指标", "质量指标", "户用卫生厕所改造验收通过率", 5, "≥95%", "100%", 5, "≥", 5),
              ("产出指标", "时效指标", "完成美丽宜居自然村庄验收时间", 5, "9月前", "7月", 5, "≤", 5),
              ("产出指标", "时效指标", "完成户用卫生厕所改造验收时间", 5, "11月前", "10月", 5, "≤", 5),
              (*RATE, 10, "100%", "102.59%", N, N, 10)]),   # 得分 empty in the source; capped at 10
    "02_anhui_tianchang_tanghu_dept": dict(
        unit_name="塘湖镇人民政府", unit_label="单位名称", project=N, year=N,   # no year on the form
        budget=(N, 864.2, N), rate=N, stated_rate=1.0, claimed=100, score=N, status="weights_invalid",
        rows=[("产出指标", "数量指标", "办结信访案件", N, "168起", "168起", 10, N, N),      # no 分值 column:
              ("产出指标", "数量指标", "拆除活人墓、豪华墓", N, "32座", "32座", 20, N, N),  # nothing to score
              ("产出指标", "日效性指标", "解决群众问题时间", N, "2天以内", "2天以内", 10, "≤", N),
              ("效益指标", "社会效益指标", "改善人居环境", N, "有效改善", "有效改善", 10, N, N),
              ("效益指标", "社会效益指标", "提升出行效率", N, "有效提升", "有效提升", 10, N, N),
              ("满意度指标", "群众满意度指标", "群众对政府工作满意度", N, "≧90%", "95%", 20, "≥", N),
              (*RATE, 20, "100%", "100%", 20, N, 20)]),    # 预算执行情况（20分）: 20 × 100 %
    "03_hunan_hengshan_guantang_dept_2023": dict(
        unit_name="衡山县贯塘乡人民政府", unit_label="预算部门、单位名称", project=N, year=2023,
        budget=(861.1, 2030.12, 2030.12), rate=1.0, stated_rate=1.0, claimed=N, score=N, status="weights_invalid",
        rows=[(*RATE, 10, "100%", "100%", 10, N, 10)]),     # the indicator table is not in the source
    "04_anhui_tianchang_shuili_project_2022": dict(
        unit_name="天长市水利局", unit_label="实施单位", project="水旱灾害防御经费", year=2022,
        budget=(880, 880, 880), rate=1.0, stated_rate=N, claimed=100, score=N, status="incomplete",
        rows=[("(50分)", "数量指标", "完成中型灌区节水改造项目数量", 10, "1", "1", 10, N, 10),
              ("(50分)", "数量指标", "完成农业综合水价改革项目", 10, "1", "1", 10, N, 10),
              ("(50分)", "质量指标", "工程质量合格", 10, N, N, 10, N, N),
              ("(50分)", "时效指标", "年度资金支付完成率100%", 10, N, N, 10, N, N),
              ("(50分)", "成本指标", "资金执行在预算范围内", 10, N, N, 10, N, N),
              ("(30分)", "经济效益指标", "全市安全度汛", 10, N, N, 10, N, N),
              ("(30分)", "社会效益指标", "保护全市人口财产不受损失", 10, N, N, 10, N, N),
              ("(30分)", "可持续影响指标", "已建工程良性运行", 10, N, N, 10, N, N),
              ("满意度指标", "服务对象满意度指标", "服务对象满意度", 10, "90%", "100%", 10, N, 10),
              (*RATE, 10, "100%", N, 10, N, 10)]),      # 执行率 empty; 880 / 880 from the budget
    "05_anhui_chizhou_tangxi_project_2022": dict(
        unit_name="池州市贵池区棠溪镇人民政府", unit_label="实施单位", project="委托业务项目", year=2022,
        unit_code="219001",                                  # written before the name: 219001-…
        budget=(90, 89.974, 89.974), rate=1.0, stated_rate=0.0, claimed=N, score=N, status="weights_invalid",
        rows=[("产出指标", "数量指标", "基建工程委托业务项目数量", 8, "≥50个", "50", 8, "≥", 8),
              ("产出指标", "质量指标", "委托业务报告合格率", 8, "≥100百分比", "100", 8, "≥", 8),
              ("产出指标", "质量指标", "经费支出合规性", 8, "严格执行相关制度规定", "达成预期指标", 8, N, 8),
              ("产出指标", "时效指标", "提交报告及时性", 8, "在项目计划完成时间内完成", "达成预期指标", 8, N, 8),
              ("产出指标", "成本指标", "项目总成本", 8, "≤90万元", "90", 8, "≤", 8),
              ("产出指标", "成本指标", "单项业务成本", 10, "符合相关规定", "达成预期指标", 10, N, 10),
              ("效益指标", "社会效益指标", "对维护基建市场公平的影响程度", 10, "效果明显", "达成预期指标", 10, N, 10),
              ("效益指标", "生态效益指标", "对控制基建项目成本影响程度", 10, "效果明显", "达成预期指标", 10, N, 10),
              ("效益指标", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", 10, "效果明显",
               "达成预期指标", 10, N, 10),
              (*RATE, 10, "100%", "0%", 0, N, 10)]),    # the 年度资金总额 row is printed as 0: stated 0, recomputed 10
    "06_sichuan_qingshen_fagaiju_gongzi_project_2023": dict(
        unit_name="青神县发展和改革局", unit_label="实施单位（盖章）", project="工资性支出", year=2023,
        project_code="51000021R000000019951",
        budget=(238.93, 251.89, 251.89), rate=1.0, stated_rate=1.0, claimed=N, score=N, status="incomplete",
        rows=[("产出指标", "数量指标", "发放(缴纳)覆盖率", 60, "100", N, N, "=", N),   # 完成值 empty in the source
              ("效益指标", "社会效益指标", "足额保障率(参保率)", 30, "100", N, N, "=", N),
              (*RATE, 10, "100%", "100.00%", N, N, 10)]),
    "07_sichuan_daying_sifaju_anke_project_2023": dict(
        unit_name="大英县司法局", unit_label="实施单位", project="2023年全县安可替代补助资金项目", year=2023,
        project_code="51092324T000010263357",
        budget=(0, 3.36, 3.36), rate=1.0, stated_rate=1.0, claimed=N, score=N, status="weights_invalid",
        rows=[("产出指标", "质量指标", "完成安可产品购买并按要求支付资金", N, "100", N, N, "=", N),
              (*RATE, 10, "100%", "100.00%", 10, N, 10)]),
    "08_yunnan_lijiang_guchengqu_weipian_project_2020": dict(
        unit_name="麗江市古城區自然資源局", unit_label="實施單位", project="2020年省級自然資源衛片執法補助經費支出績效自評表",
        year=2020, budget=(7.29, 7.29, 7.29), rate=1.0, stated_rate=1.0, claimed=N, score=100.0, grade="优",
        status="scored",   # every target met: 100, though the unit deducted itself to 9, 19, 19, 27
        rows=[("產出指標", "數量指標", "衛片執法補助經費", 10, "72890", "72890", 9, "=", 10),
              ("產出指標", "質量指標", "項目驗收合格率", 20, "100", "100", 19, "=", 20),
              ("產出指標", "時效指標", "項目完成及時率", 20, "100", "100", 19, "=", 20),
              ("效益指標", "社會效益指標", "違法行為責停率", 30, "95", "95", 27, "≥", 30),
              ("滿意度指標", "服務對象滿意度指標", "滿意度", 10, "95", "95", N, "≥", 10),
              (*RATE, 10, "100%", "100%", 10, N, 10)]),
    "09_beijing_haidian_xueyuanlu_project_2016": dict(
        unit_name="北京市海淀区学院路街道城市运行服务中心", unit_label="实施单位",
        project="【体制】自管道路清扫保洁外包工作经费", year=2016,
        budget=(310.2, N, 154.74), rate=154.74 / 310.2, stated_rate=0.5, claimed=N, score=N, status="weights_invalid",
        rows=[("产出指标", "数量指标", "是否完成绩效目标申报表中申报的数量", 12.5, N, N, 12.5, N, N),
              (*RATE, 10, "100%", "50%", 5, N, 5)]),   # no 全年预算数: the printed 50 % is scored
}


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return b is not None and b is not pd.NA and not (isinstance(b, float) and math.isnan(b)) \
            and abs(float(a) - float(b)) < 1e-6
    return a == b


@pytest.fixture(scope="module")
def runs():
    return {name: score_files([REAL / f"{name}.xlsx"], ruleset="mof-2020") for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_form_reads_and_scores_as_an_analyst_reads_it(runs, name):
    want, run = EXPECTED[name], runs[name]
    (summary,) = run.summary.to_dict("records")
    got = {k: summary[k] for k in ("unit_name", "unit_label", "project", "year", "claimed_score", "score", "status")}
    assert [same(want[k], got[k2]) for k, k2 in (("unit_name", "unit_name"), ("unit_label", "unit_label"),
                                                  ("project", "project"), ("year", "year"),
                                                  ("claimed", "claimed_score"), ("score", "score"),
                                                  ("status", "status"))] == [True] * 7, got
    budget = (summary["budget_initial"], summary["budget_final"], summary["executed"])
    assert all(same(w, g) for w, g in zip(want["budget"], budget)), budget
    assert same(want["rate"] if want["rate"] is None else round(want["rate"], 6), summary["execution_rate"])
    assert same(want["stated_rate"], summary["stated_execution_rate"])
    assert same(want.get("grade"), summary["grade"])
    for key in ("unit_code", "project_code"):
        if key in want:
            assert summary[key] == want[key]
    rows = [tuple(r) for r in run.scores[["level1", "level2", "level3", "weight", "target_text", "actual_text",
                                          "claimed_score", "direction", "score"]].itertuples(index=False)]
    assert len(rows) == len(want["rows"])
    for expected, row in zip(want["rows"], rows):
        assert all(same(e, g) for e, g in zip(expected, row)), (expected, row)


def test_every_real_form_is_read_with_no_registry_and_no_error_but_what_the_source_lacks(runs):
    errors = {name: sorted({i.code for i in run.issues if i.severity == "error"}) for name, run in runs.items()}
    assert errors == {name: [] for name in EXPECTED}
    assert {run.summary["unit_code"].iloc[0] for run in runs.values()} >= {"219001"}


def test_real_form_traps_are_said(runs):
    def codes(name):
        return {i.code for i in runs[name].issues}
    assert {"unit_name_mismatch", "no_year", "no_weight"} <= codes("02_anhui_tianchang_tanghu_dept")
    assert "no_indicator_table" in codes("03_hunan_hengshan_guantang_dept_2023")
    assert "level1_without_name" in codes("04_anhui_tianchang_shuili_project_2022")
    assert "total_mismatch" in codes("05_anhui_chizhou_tangxi_project_2022")            # 年度资金总额 printed as 0
    assert "percent_points" in codes("05_anhui_chizhou_tangxi_project_2022")            # "100" beside ≥100百分比
    assert {"indicator_without_values", "level1_points_mismatch"} <= codes("09_beijing_haidian_xueyuanlu_project_2016")
    ignored = [i.column for i in runs["09_beijing_haidian_xueyuanlu_project_2016"].issues if i.code == "ignored_column"]
    assert ignored == ["得分计算方法"]                                                    # once per file
    (mismatch,) = [i for i in runs["02_anhui_tianchang_tanghu_dept"].issues if i.code == "unit_name_mismatch"]
    assert "采用「塘湖镇人民政府」" in mismatch.message and mismatch.value == "塘湖镇政府"


def test_template_prompts_left_in_cells_are_never_values():
    form = forms.read_form(REAL / "06_sichuan_qingshen_fagaiju_gongzi_project_2023.xlsx")
    assert form.budget["note"].isna().all()                    # "1.预算执行率=…（100字以内）…" is a prompt
    assert form.goals == {"target": "严格执行相关政策，保障工资及时、足额发放或社保及时、足额缴纳，预算编制科学合理，减少结余资金。"}
    assert form.claims.empty                                   # 合计 holds the weights' 100, not a score

"""``perfeval extract``: more kinds of wording and layout of published reports, one test (or more) per kind.

Split table headers, rates written as ratios, budgets worded 下达 / 安排 / 到位, 使用率 and 执行金额, summaries of
several funds, enumerated parts, project titles, short unit names, and reports without a title. Every unit,
figure and sentence here is invented; the expected values are worked out by hand in the comments.
"""
from __future__ import annotations

import pytest

from perfeval_lib.extract import extract_text
from perfeval_lib.extract.headline import is_project_report
from perfeval_lib.extract.tables import funds_tables


def figures(result):
    return (result.budget_wan, result.executed_wan, result.execution_rate_pct)


FUND_REPORT = "示例县2023年度农村公路养护专项资金绩效自评报告\n一、项目基本情况\n"
DEPT_REPORT = "示例县交通运输局2023年度部门整体支出绩效自评报告\n一、部门基本情况\n"


# --------------------------------------------------------------------------------------------- 1. split headers

def test_one_cell_a_line_with_each_header_split_over_two_cells():
    # 年初/预算数 全年/预算数 全年/执行数 分值 执行率 得分: six columns, six numbers; 51 / 60 = 85 %, 85 % × 10 = 8.5
    cells = ["项目资金（万元）", "年初", "预算数", "全年", "预算数", "全年", "执行数", "分值", "执行率", "得分",
             "年度资金总额", "56.8", "60", "51", "10", "85%", "8.5", "其中：当年财政拨款", "56.8", "60", "51", "—"]
    result = extract_text("示例县测试馆2023年度项目支出绩效自评表\n" + "\n\n".join(cells))
    assert figures(result) == (60.0, 51.0, 85.0)
    assert (result.funds.weight, result.funds.score) == (10, 8.5)
    assert result.funds.budget_label == "全年预算数"
    assert not any("\n" in note for note in result.notes)


def test_split_header_whose_row_disagrees_is_still_not_used():
    # the same layout, but 80 % against 51 / 60 = 85 %: no reading agrees
    cells = ["年初", "预算数", "全年", "预算数", "全年", "执行数", "执行率", "年度资金总额", "56.8", "60", "51", "80%"]
    result = extract_text("示例县测试馆2023年度项目支出绩效自评表\n" + "\n".join(cells))
    assert figures(result) == (None, None, None)
    assert any("读不通" in note for note in result.notes)


# --------------------------------------------------------------------------------------------- 2. ratios, formulas

def test_glued_row_with_the_rate_as_a_bare_ratio_and_a_weight_in_the_header():
    # 2.48 | 2.48 | 1 | 10: 2.48 / 2.48 = 1 = 100 %; 得分(10分*执行率) = 10 × 1 = 10
    text = ("示例县测试馆2023年度财政项目绩效自评表\n项目资金(万元)预算数(A)执行数(B)执行率(B/A)得分(10分*执行率)"
            "年度财政资金总额2.482.48110")
    result = extract_text(text)
    assert figures(result) == (2.48, 2.48, 100.0)
    assert (result.funds.weight, result.funds.score) == (10, 10)
    assert any("比值" in note for note in result.notes)


def test_ratio_below_one_in_a_spaced_row():
    reading = funds_tables("预算数 执行数 执行率 得分\n合计 50 45 0.9 9", "万元")[0]      # 45 / 50 = 0.9 = 90 %
    assert (reading.budget, reading.executed, reading.rate) == (50, 45, 90)


def test_a_bare_number_that_is_neither_the_percent_nor_the_ratio_is_not_a_rate():
    # 25 / 50 = 50 %: "1" is neither 1 % nor 100 %
    reading = funds_tables("预算数 执行数 执行率 得分\n合计 50 25 1 5", "万元")[0]
    assert (reading.budget, reading.executed, reading.rate) == (None, None, None)
    assert reading.notes


def test_readings_of_a_long_glued_row_are_capped():
    text = ("项目支出绩效自评表\n年初预算数 全年预算数 全年执行数 分值 执行率 得分 权重 执行率得分 决算数\n"
            "年度资金总额 123456789123 987654321987 12345678")
    result = extract_text(text)
    assert figures(result) == (None, None, None)
    assert any("读法超过" in note for note in result.notes)


# --------------------------------------------------------------------------------------------- 3. 下达 / 安排 / 到位

@pytest.mark.parametrize(("sentence", "budget"), [
    ("2023年，省财政厅分两批下达我县农村公路养护专项资金640.00万元，用于县乡道日常养护。", 640.0),
    ("下达我县专项资金640万元，用于县乡道日常养护。", 640.0),
    ("2023年乡村振兴衔接资金共下达286万元，全部用于产业项目。", 286.0),
    ("本项目衔接资金286万元已全部到位。", 286.0),
    ("2023年预算安排我中心专项资金项目共计12个,财政资金455.6万元。", 455.6),
    ("（示财教指〔2023〕18号）下达2023年示例省教育发展专项资金35万元，用于设备购置。", 35.0),
    ("下达专项资金500万元，已拨付财政资金300万元。", 500.0),           # the paid-out funds are not the budget
])
def test_a_funds_report_takes_the_amount_granted_as_its_budget(sentence, budget):
    result = extract_text(FUND_REPORT + sentence)
    assert result.budget_wan == budget
    assert result.unit is None                                       # the title names a region and a fund, no unit


CHROME = "发布机构：示例县财政局\n发布日期：2024-03-18\n" * 15          # web-page lines before the title (> 400 characters)


@pytest.mark.parametrize(("head", "project"), [
    (FUND_REPORT, True),
    (CHROME + "示例县乡村振兴衔接资金使用情况的绩效评价报告\n一、项目概况", True),
    (CHROME + "示例县测试局2023年度绩效自评报告\n一、部门基本情况\n二、项目概况", False),
    ("示例县测试局2023年度部门整体支出绩效自评报告\n项目整体绩效目标", False),
    ("示例县测试馆2023年度项目支出绩效自评报告\n项目整体绩效目标完成情况", True),
])
def test_a_funds_or_projects_report_is_known_by_its_head(head, project):
    assert is_project_report(head[:1500]) is project


@pytest.mark.parametrize("sentence", [
    "下达我县专项资金640万元，用于县乡道日常养护。",
    "2023年乡村振兴衔接资金共下达286万元，全部用于产业项目。",
    "本项目衔接资金286万元已全部到位。",
])
def test_a_whole_units_report_does_not_take_one_funds_amount_as_its_budget(sentence):
    assert extract_text(DEPT_REPORT + sentence).budget_wan is None


# --------------------------------------------------------------------------------------------- 4. several projects, 使用率

def test_amount_for_several_projects_is_the_whole_and_shiyonglu_is_the_rate():
    # traditional characters: 1200 for 6 projects, 1080 paid, 1080 / 1200 = 90 %
    text = ("示例縣農業農村局2023年度項目支出績效自評報告\n一、項目概況\n中央財政專項資金1200萬元,計劃實施6個項目,"
            "包括灌溉渠道修繕等。截至年底實際支付1080萬元,使用率90%。")
    assert figures(extract_text(text)) == (1200.0, 1080.0, 90.0)


def test_several_projects_make_a_project_amount_the_whole_even_in_a_units_report():
    several = extract_text(DEPT_REPORT + "上级下达项目资金1200万元，计划实施6个项目，实际支付1080万元，使用率90%。")
    assert figures(several) == (1200.0, 1080.0, 90.0)
    one = extract_text(DEPT_REPORT + "上级下达项目资金1200万元，实际支付1080万元。")
    assert one.budget_wan is None and any("只找到项目" in note for note in one.notes)


@pytest.mark.parametrize("sentence", ["全年设备使用率95%，场地使用率达到98%。", "办公用房使用率为100%。"])
def test_a_use_rate_of_things_is_not_the_execution_rate(sentence):
    assert extract_text(DEPT_REPORT + sentence).execution_rate_pct is None


@pytest.mark.parametrize("row", ["资金使用率 ≥95% 98% 10 10", "资金使用率 | 100% | 98% | 10 | 10 |", "资金使用率=100%"])
def test_an_indicator_row_of_the_use_rate_gives_no_rate(row):
    # a target (≥95%, =100%) then the actual: an indicator's row, not a statement of the execution rate
    assert extract_text(FUND_REPORT + "三级指标 年度指标值 实际完成值 分值 得分\n" + row).execution_rate_pct is None


@pytest.mark.parametrize(("sentence", "rate"), [("资金使用率为97.5%。", 97.5), ("资金支付率97.5%。", 97.5),
                                                 ("预算支出率97.5%。", 97.5)])
def test_rate_synonyms(sentence, rate):
    assert extract_text(DEPT_REPORT + sentence).execution_rate_pct == rate


# --------------------------------------------------------------------------------------------- 5. 执行金额

def test_a_projects_report_reads_its_projects_executed_amount():
    # 2610 / 3000 = 87 %
    text = "示例市测试局2023年度项目支出绩效自评报告\n我局项目预算数3000万元，我局项目执行金额2610万元，执行率87%。"
    assert figures(extract_text(text)) == (3000.0, 2610.0, 87.0)


def test_in_a_units_report_the_projects_executed_amount_is_a_part():
    whole = extract_text(DEPT_REPORT + "全年预算数5000万元，执行数4800万元。项目执行金额2610万元。")
    assert whole.executed_wan == 4800.0
    assert extract_text(DEPT_REPORT + "项目执行金额2610万元。").executed_wan is None


@pytest.mark.parametrize("sentence", ["实际执行1234.5万元。", "支出金额1234.5万元。", "已使用资金1234.5万元。"])
def test_executed_wordings(sentence):
    assert extract_text(FUND_REPORT + sentence).executed_wan == 1234.5


# --------------------------------------------------------------------------------------------- 6. summaries and parts

def test_a_summary_of_several_funds_gives_no_whole_figure():
    text = ("示例县教育局2023年度项目支出绩效自评报告\n一、项目资金情况\n"
            "“银龄讲学”计划补助经费合计48万元，已于本年度支出48万元，预算完成率100%。"
            "学生资助资金合计260万元，已支出251万元，预算完成率96.5%。校舍维修资金合计90万元，已支出90万元。")
    result = extract_text(text)
    assert figures(result) == (None, None, None)            # 48, 251, 90 and 100 %, 96.5 % compete: none is the whole
    assert any("多个同等" in note for note in result.notes)


def test_funds_in_later_sections_compete_with_the_one_in_the_finance_section():
    text = ("示例县教育局2023年度项目支出绩效自评报告\n一、项目资金使用情况\n“银龄讲学”计划补助经费合计48万元，"
            "已于本年度支出48万元。\n二、项目绩效情况\n学生资助资金已支出251万元。")
    assert extract_text(text).executed_wan is None


def test_an_earlier_statement_does_not_compete_with_the_finance_section():
    text = ("示例县测试局2023年度部门整体支出绩效自评报告\n一、基本情况\n下属单位已支出30万元。\n"
            "二、部门整体收支情况\n全年已支出300万元。")
    assert extract_text(text).executed_wan == 300.0


def test_rates_and_amounts_of_named_things_do_not_compete_with_the_whole():
    # 政府采购执行率, 基本支出执行率 are other rates; a later section of a unit's report does not compete
    text = ("示例县测试局2023年度部门整体支出绩效自评报告\n一、部门整体收支情况\n全年预算数100万元，执行数98.5万元，"
            "执行率98.5%，政府采购执行率100%。\n二、绩效分析\n基本支出执行率99%，项目支出执行率97%。已支出专项经费5万元。")
    assert figures(extract_text(text)) == (100.0, 98.5, 98.5)


def test_a_sentence_opening_with_qizhong_holds_only_parts():
    # 47.6 % and 54.6 % are the parts' rates (其中 opens the sentence); 49.9 % is the whole's
    text = ("示例县测试局2023年度部门整体支出绩效自评报告\n一、部门整体收支情况\n全年预算数 310.20 万元，执行数 154.74 万元，"
            "完成预算的 49.9%。\n其中，基本支出全年预算数 210.00 万元，执行数 100.00 万元，执行率 47.6%，项目支出全年预算数 "
            "100.20 万元，执行数 54.74 万元，执行率 54.6%。")
    assert figures(extract_text(text)) == (310.2, 154.74, 49.9)


def test_the_total_before_its_enumerated_parts_is_the_whole():
    # 3600 = 2400 + 1200; the parts after 一是 / 二是 are not the budget
    text = ("完善基层医疗服务能力项目绩效自评报告\n一、项目基本情况\n2023年安排完善基层医疗服务能力项目预算资金 3600.00 万元，"
            "一是村卫生室建设项目，安排项目预算资金 2400.00 万元；二是乡镇卫生院设备项目，安排项目预算资金 1200.00 万元。")
    result = extract_text(text)
    assert result.budget_wan == 3600.0 and result.unit is None


def test_the_total_before_its_parts_in_sentences_of_their_own_is_the_whole():
    # no 一是 / 二是: the parts are separate sentences, 3600 = 2400 + 1200
    text = ("完善基层医疗服务能力项目绩效自评报告\n一、项目基本情况\n2023年安排完善基层医疗服务能力项目预算资金3600.00万元。"
            "（一）村卫生室建设项目。安排项目预算资金2400.00万元。（二）乡镇卫生院设备项目。安排项目预算资金1200.00万元。")
    assert extract_text(text).budget_wan == 3600.0


def test_a_whole_followed_by_its_parts_at_the_same_rank_is_kept():
    # 300 = 180 + 120: the first is the sum of the others
    result = extract_text(FUND_REPORT + "已支出300万元。道路修补已支出180万元。桥涵维护已支出120万元。")
    assert result.executed_wan == 300.0


# --------------------------------------------------------------------------------------------- 7. project titles

@pytest.mark.parametrize(("text", "unit"), [
    ("完善基层医疗服务能力项目绩效自评报告\n一、项目概况", None),
    ("公立医院综合改革补助资金绩效自评报告\n一、项目概况", None),
    ("2023年度示范学校建设项目绩效自评报告\n一、项目概况", None),
    ("示例县人民医院医疗设备购置项目绩效自评报告\n一、项目概况", "示例县人民医院"),
    ("示例县卫生健康委员会健全现代医院管理制度项目绩效自评报告\n一、项目概况", None),   # 委员会 or 医院: a guess
    ("完善基层医疗服务能力项目绩效自评报告\n实施单位：示例县卫生健康局\n一、项目概况", "示例县卫生健康局"),
])
def test_a_title_naming_a_project_names_no_unit(text, unit):
    assert extract_text(text).unit == unit


# --------------------------------------------------------------------------------------------- 8. full names

@pytest.mark.parametrize("head", [
    "区文化和旅游局关于2023年度专项资金绩效自评情况的报告\n示例市测试区文化和旅游局 | 2024-03-18\n",
    "发布机构：示例市测试区文化和旅游局\n区文化和旅游局关于2023年度专项资金绩效自评情况的报告\n",
])
def test_the_full_name_of_a_unit_named_short_in_the_title(head):
    result = extract_text(head + "一、基本情况\n全年预算数100万元。")
    assert result.unit == "示例市测试区文化和旅游局"
    assert any("全称" in note for note in result.notes)


def test_two_different_full_names_keep_the_short_one():
    text = "区文化和旅游局2023年度部门整体支出绩效自评报告\n甲市东区文化和旅游局\n乙市西区文化和旅游局\n"
    assert extract_text(text).unit == "区文化和旅游局"


# --------------------------------------------------------------------------------------------- 9. no title

def test_unit_introduced_as_the_subject_of_the_body():
    text = ("索引号：001-2024-0012\n发布日期：2024-04-02\n示例市测试运输局是全市主管测试运输工作的政府工作部门，内设6个科室。\n"
            "对我局2023年度部门整体支出进行了绩效自评，全年预算数420万元。")
    result = extract_text(text)
    assert (result.unit, result.year, result.budget_wan) == ("示例市测试运输局", 2023, 420.0)
    assert any("取自正文" in note for note in result.notes)


@pytest.mark.parametrize("text", [
    "根据通知要求，示例市测试管理局（以下简称“市测试局”）对2023年度部门整体支出开展了自评。",
    "根据通知要求，我局（示例市测试管理局）对2023年度部门整体支出开展了自评。",
])
def test_unit_named_for_short_or_beside_wo_ju(text):
    assert extract_text(text).unit == "示例市测试管理局"


@pytest.mark.parametrize("text", [
    "根据县财政局要求，本单位开展了自评。",
    "测试服务中心是全县唯一的测试服务机构。2023年度全年预算数50万元。",          # no place, no 我中心 / 本中心
])
def test_no_unit_without_a_named_subject(text):
    assert extract_text(text).unit is None


def test_the_budget_category_xiangmu_zhichu_is_not_money_spent_in_a_fund_report():
    """部门预算项目支出 names the budget category 项目支出 (a part of the budget), not what was spent."""
    text = ("示例市测试局科技专项资金绩效自评报告\n"
            "示例市测试局主要有部门预算项目支出、专项预算支出二类支出，项目资金总预算为1200.5万元，"
            "其中部门预算项目支出60.5万元，专项预算支出1140万元。\n"
            "2022年部门预算项目支出60.5万元，分别是交流经费5万元，评审费18万元。\n")
    result = extract_text(text)
    assert result.executed_wan is None

"""perfeval_lib.extract: headline figures and sections from published self-evaluation reports.

The fixtures under tests/fixtures/reports/ are invented (see their README); the one real report is
used when ../shared/seeds/ holds it. PDFs are made here with matplotlib (text kept as text with
``pdf.fonttype = 42`` and the bundled CJK font) and read back with pdfplumber.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from perfeval_lib.cli import extract as extract_cli
from perfeval_lib.cli.extract import main
from perfeval_lib.extract.reports import TABLE_COLUMNS
from perfeval_lib.extract import COLUMNS, Extracted, extract_file, extract_files, extract_text, write_csv
from perfeval_lib.extract.sections import SECTION_KEYS
from perfeval_lib.extract.documents import read_report_text
from perfeval_lib.extract.text import clean_lines

from ..kits.paths import FIXTURES, SHARED

REPORTS = FIXTURES / "reports"
HAIZHU = SHARED / "seeds" / "haizhu_fulian_2022_report.txt"
TITLE = "2022年度示例区测试局部门整体支出绩效自评报告\n"

# file → unit, year, budget_wan, executed_wan, execution_rate_pct, self_score, grade
EXPECTED = {
    "a_wording_pagemarks.txt": ("示例市东湖区测试档案馆", 2023, 507.02, 507.02, 100.0, 96.5, "优"),
    "b_fullwidth_yuan.txt": ("示例县农业技术推广测试站", 2021, 507.02, 481.669, 95.0, 87.0, "良"),
    "c_spaced_yi.txt": ("示例市测试交通运输局", 2022, 12500.0, 12000.0, 96.0, 82.0, "良"),
    "d_guanyu_project_first.txt": ("示例区测试街道办事处", 2020, 320.0, 300.8, 94.0, 72.0, "中"),
    "e_not_stated.txt": ("示例县测试文化馆", 2021, None, None, None, None, None),
    "f_rate_not_stated.txt": ("示例市测试体育中心", 2022, 250.0, 237.5, None, 58.0, "差"),
    "g_table.txt": ("示例县测试水利局", 2022, 500.0, 490.5, 98.1, 91.0, "优"),
    "h_unit_in_body.txt": ("示例市测试科学技术协会", 2022, 150.0, 148.5, 99.0, 90.5, "优"),
}
FIELDS = COLUMNS[1:]


def figures(result: Extracted) -> tuple:
    return tuple(getattr(result, name) for name in FIELDS)


def same(actual: tuple, expected: tuple) -> bool:
    return all((a is None and e is None) or (a is not None and e is not None and
                                              (a == e if isinstance(e, str) else math.isclose(a, e, abs_tol=1e-9)))
               for a, e in zip(actual, expected, strict=True))


# --------------------------------------------------------------------------------------------- the real report

@pytest.mark.skipif(not HAIZHU.exists(), reason=f"the real report is not available here ({HAIZHU})")
def test_haizhu_fulian_2022_report_gives_its_published_figures():
    result = extract_file(HAIZHU)
    assert result.error is None
    assert (result.unit, result.year) == ("广州市海珠区妇女联合会", 2022)
    assert (result.budget_wan, result.executed_wan, result.execution_rate_pct) == (507.02, 507.02, 100.0)
    assert (result.self_score, result.grade) == (98, "优")
    assert result.sections["problems"].startswith("从全年的整体支出情况来看")
    assert result.sections["problems"].endswith("还需进一步加强。")
    assert result.sections["measures"].startswith("一是加强绩效管理培训")
    assert "三是强化责任意识" in result.sections["measures"]
    assert "507.02万元" in result.sections["finance"] and "98分" in result.sections["conclusion"]
    assert "四、" not in result.sections["problems"]          # the body stops at the next heading
    assert result.notes == []


# --------------------------------------------------------------------------------------------- fixtures

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_report_figures(name):
    result = extract_file(REPORTS / name)
    assert same(figures(result), EXPECTED[name]), (figures(result), result.notes)
    assert result.sections["problems"] and result.sections["measures"]
    assert "、" not in result.sections["problems"][:3]          # no heading text inside a body


def test_every_fixture_is_covered():
    assert sorted(p.name for p in REPORTS.glob("*.txt")) == sorted(EXPECTED)


def test_both_budgets_stated_takes_the_adjusted_one_and_says_so():
    result = extract_file(REPORTS / "a_wording_pagemarks.txt")
    assert result.budget_wan == 507.02
    assert any("年初预算数 480" in note and "507.02" in note for note in result.notes)
    # the 项目 budget (80) is not the whole budget and is not even mentioned as a rival
    assert not any(" 80" in note for note in result.notes)


def test_grade_words_are_mapped_with_a_note():
    result = extract_file(REPORTS / "c_spaced_yi.txt")
    assert result.grade == "良"
    assert any("良好" in note for note in result.notes)


def test_rate_is_never_computed_from_budget_and_executed():
    result = extract_file(REPORTS / "f_rate_not_stated.txt")
    assert result.budget_wan == 250.0 and result.executed_wan == 237.5
    assert result.execution_rate_pct is None                 # 95% could be computed, but is not stated


def test_figures_not_stated_stay_empty_in_the_row():
    row = extract_file(REPORTS / "e_not_stated.txt").row()
    assert row["unit"] == "示例县测试文化馆" and row["year"] == 2021
    assert [row[c] for c in ("budget_wan", "executed_wan", "execution_rate_pct", "self_score", "grade")] == [None] * 5


def test_table_figures_come_with_a_note():
    result = extract_file(REPORTS / "g_table.txt")
    assert result.budget_wan == 500.0                        # the 合计 row, 全年 not 年初
    assert result.sources["budget_wan"].startswith("资金表 第6行")
    assert result.sources["self_score"].startswith("第12行「自评得分：91。")


def test_sections_are_bodies_without_their_headings():
    result = extract_file(REPORTS / "a_wording_pagemarks.txt")
    assert result.sections["problems"] == "一是档案数字化进度前松后紧，年底集中支付；二是绩效目标细化程度不够。"
    assert result.sections["measures"] == "一是按月跟踪支出进度。二是细化绩效指标，提高可衡量性。"
    assert result.sections["finance"].startswith("本年度年初预算数480.00万元，调整后预算数507.02万元")
    assert "第 3 页" not in result.sections["conclusion"] and "96.5分" in result.sections["conclusion"]


# --------------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_txt_encodings(tmp_path, encoding):
    text = (REPORTS / "b_fullwidth_yuan.txt").read_text(encoding="utf-8")
    path = tmp_path / f"report_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")                  # really not UTF-8
    result = extract_file(path)
    assert result.error is None
    assert same(figures(result), EXPECTED["b_fullwidth_yuan.txt"])
    assert result.sections["problems"] == "部分项目资金拨付滞后，年中调整较多。"


def test_crlf_and_form_feed_pages():
    text = TITLE.replace("\n", "\r\n") + "全年预算数 507.\r\n02万元，执行数\r\n3\f4\r\n500万元。\r\n"
    result = extract_text(text)
    assert (result.budget_wan, result.executed_wan) == (507.02, 500.0)


# --------------------------------------------------------------------------------------------- wordings

@pytest.mark.parametrize(("sentence", "field", "value"), [
    # budget
    ("全年预算数507.02万元。", "budget_wan", 507.02),
    ("预算数为 320万元。", "budget_wan", 320.0),
    ("年初预算 100万元。", "budget_wan", 100.0),
    ("年初预算数100万元。", "budget_wan", 100.0),
    ("调整后预算数120万元。", "budget_wan", 120.0),
    ("全年预算 88.5万元。", "budget_wan", 88.5),
    ("预算总额5,070,200.00元。", "budget_wan", 507.02),
    ("部门整体支出预算为 66万元。", "budget_wan", 66.0),
    ("全年预算数为1.5亿元。", "budget_wan", 15000.0),
    ("全年预算数（万元）：77.7", "budget_wan", 77.7),
    ("年初预算数100万元，全年预算数120万元。", "budget_wan", 120.0),
    ("全年预算数120万元，年初预算数100万元。", "budget_wan", 120.0),
    # executed
    ("全年预算数10万元，执行数9.5万元。", "executed_wan", 9.5),
    ("全年执行数 9万元。", "executed_wan", 9.0),
    ("实际支出 8.25万元。", "executed_wan", 8.25),
    ("预算10万元，支出7万元。", "executed_wan", 7.0),
    ("决算数 4,816,690.00 元。", "executed_wan", 481.669),
    ("全年累计支出 6万元。", "executed_wan", 6.0),
    ("本年实际使用资金 30万元。", "executed_wan", 30.0),
    ("全年预算数、执行数分别为300.00万元、290.00万元。", "executed_wan", 290.0),
    ("全年预算数、执行数分别为300.00、290.00万元。", "budget_wan", 300.0),
    # rate
    ("执行数9万元，完成预算的90%。", "execution_rate_pct", 90.0),
    ("预算执行率为 98.5%。", "execution_rate_pct", 98.5),
    ("执行率达100%。", "execution_rate_pct", 100.0),
    ("执行率为99.99%。", "execution_rate_pct", 99.99),
    ("预算执行率：97%。", "execution_rate_pct", 97.0),
    ("执行数190万元，占全年预算的95%。", "execution_rate_pct", 95.0),
    # score
    ("本部门整体支出绩效自评结果为 98分。", "self_score", 98.0),
    ("自评得分96.5分。", "self_score", 96.5),
    ("综合评分为92分。", "self_score", 92.0),
    ("自评总分：88分。", "self_score", 88.0),
    ("部门整体支出绩效评价得分为 85 分。", "self_score", 85.0),
    ("经自评，综合评分（满分100分）为91分。", "self_score", 91.0),
    ("自评得分：93。", "self_score", 93.0),
    ("经自评，投入指标得分18分，过程指标得分19分，总得分95分。", "self_score", 95.0),
    # grade
    ("自评结果为 98分，达到“优”等级。", "grade", "优"),
    ('自评等级为"良"。', "grade", "良"),
    ("评价等级为'中'。", "grade", "中"),
    ("自评等级：差。", "grade", "差"),
    ("等级为优。", "grade", "优"),
    ("评价等级：良。", "grade", "良"),
    ("评定为“良好”。", "grade", "良"),
    ("评价结果为「优秀」。", "grade", "优"),
    ("自评等级为中等。", "grade", "中"),
    ("达到优秀等级。", "grade", "优"),
    ("等次为『良』。", "grade", "良"),
    ("评价结果为“合格”。", "grade", "中"),
    ("评价结果为“不合格”。", "grade", "差"),
    ("自评结果：98分（优）。", "grade", "优"),
    ("自评等级：√优 □良 □中 □差", "grade", "优"),
    ("在全区年度考核中被评为“优秀”等次。自评等级为良。", "grade", "良"),
])
def test_wording_variants(sentence, field, value):
    result = extract_text(TITLE + sentence)
    assert getattr(result, field) == pytest.approx(value) if isinstance(value, float) else getattr(result, field) == value, \
        (getattr(result, field), result.notes)


@pytest.mark.parametrize(("sentence", "field"), [
    ("2022年，本局全年开展活动36场。", "budget_wan"),              # a year is not a budget
    ("成立100名各行各业的优秀女性组成的宣讲团。", "self_score"),    # 100名 is not a score
    ("各项工作任务绩效目标基本达到100%预期实现值。", "execution_rate_pct"),
    ("绩效目标完成率100%。", "execution_rate_pct"),
    ("预算执行率指标得分10分。", "self_score"),                      # an indicator's score
    ("全年预算数为507.02，执行数为500。", "budget_wan"),            # no unit anywhere: not guessed
    ("其中中国妇女报等媒体报道12次。", "grade"),
    ("突出“家”的主业、丰富“美”的内涵。", "grade"),
    ("全年预算数10万元，执行数9万元。", "execution_rate_pct"),      # never computed
    ("自评得分98分。", "grade"),                                    # never derived from the score
    ("全年接待20万人次。", "executed_wan"),
    ("在全区年度考核中被评为“优秀”等次。", "grade"),                # an appraisal, not the self-evaluation
    ("自评得分率 98%。", "self_score"),
    ("全年收入预算数 600万元。", "budget_wan"),
])
def test_numbers_from_the_wrong_context_are_not_taken(sentence, field):
    assert getattr(extract_text(TITLE + sentence), field) is None


def test_unitless_amount_gets_a_note_but_a_declared_unit_is_used():
    result = extract_text(TITLE + "全年预算数为507.02。")
    assert result.budget_wan is None and any("没有金额单位" in note for note in result.notes)
    assert extract_text(TITLE + "（单位：万元）\n全年预算数为507.02。").budget_wan == 507.02


def test_project_budget_later_in_the_text_is_not_the_whole_budget():
    text = (TITLE + "一、基本情况\n（三）部门整体收支情况\n全年预算数 800万元，执行数 780万元，完成预算的97.5%。\n"
            "二、综合评价分析\n（三）重点项目\n“某某项目”全年预算数 50万元，执行数 40万元，执行率80%。")
    result = extract_text(text)
    assert (result.budget_wan, result.executed_wan, result.execution_rate_pct) == (800.0, 780.0, 97.5)


def test_project_statement_first_without_a_finance_section():
    text = TITLE + "某某项目全年预算数 50万元，执行数 40万元，执行率80%。部门整体全年预算数 800万元，执行数 780万元。"
    result = extract_text(text)
    assert (result.budget_wan, result.executed_wan, result.execution_rate_pct) == (800.0, 780.0, None)


def test_parts_after_qizhong_are_not_the_whole_and_a_project_alone_is_not_used():
    result = extract_text(TITLE + "全年预算数507万元，其中基本支出300万元，项目支出207万元，执行数500万元，执行率98.6%。")
    assert (result.budget_wan, result.executed_wan, result.execution_rate_pct) == (507.0, 500.0, 98.6)
    only = extract_text(TITLE + "某某项目预算数 50万元，支出 45万元。")
    assert (only.budget_wan, only.executed_wan) == (None, None)
    assert any("只找到项目" in note for note in only.notes)


def test_finance_section_is_preferred_over_an_earlier_statement():
    text = (TITLE + "一、基本情况\n本局下属单位全年预算数 30万元。\n（三）部门整体收支情况\n全年预算数 300万元。\n")
    result = extract_text(text)
    assert result.budget_wan == 300.0
    assert any("30" in note and "300" in note for note in result.notes)


def test_two_different_scores_are_noted_and_the_first_is_used():
    result = extract_text(TITLE + "自评得分95分。\n经复核，自评总分为93分。")
    assert result.self_score == 95.0 and any("95" in n and "93" in n for n in result.notes)


def test_stated_rate_that_disagrees_is_kept_with_a_note():
    result = extract_text(TITLE + "全年预算数100万元，执行数90万元，执行率为80%。")
    assert result.execution_rate_pct == 80.0 and any("不符" in note for note in result.notes)


# --------------------------------------------------------------------------------------------- quirks

@pytest.mark.parametrize("text", [
    "全年预算数 507.\n02万元",
    "全年预算数 5\n07.02万元",
    "全年预算数 507.0\n2万元",
    "全年预\n算数 507.02万元",
    "全 年 预 算 数 5 0 7 . 0 2 万 元",
    "全年预算数 507 .02万元",
    "全年预算数 507. 02 万元",
    "全年预算数５０７．０２万元",
    "全年预算数：５，０７０，２００．００元",
    "全年预算数 5,070,200.00元",
    "全年预算数 5,070,\n200.00元",
    "全年预算数 0.050702亿元",
    "全年预算数 507.02 万",
    "全年预算数 507.\n— 2 —\n02万元",
    "全年预算数 507.\n- 2 -\n02万元",
    "全年预算数 507.\n第 2 页\n02万元",
    "全年预算数 507.\n第2页 共5页\n02万元",
    "全年预算数 507.02万元\n3\n，执行数…",
    "全年预算数\u3000507.02万元",
    "全年⽀出预算数 507.02万元",                                      # ⽀ is the Kangxi radical, not 支
])
def test_quirks_still_give_507_02(text):
    assert extract_text(TITLE + text).budget_wan == 507.02


@pytest.mark.parametrize(("title", "unit", "year"), [
    ("2022 年度广州市示例区测试联合会整体支出绩效自评报告", "广州市示例区测试联合会", 2022),
    ("2022 年度示例区测试联合会\n整体支出绩效自评报告", "示例区测试联合会", 2022),
    ("示例区测试局2022年度部门整体支出绩效自评报告", "示例区测试局", 2022),
    ("关于示例区测试局2021年度部门整体支出绩效自评的报告", "示例区测试局", 2021),
    ("示例区测试局关于2021年度部门整体支出绩效自评情况的报告", "示例区测试局", 2021),
    ("2020年示例区测试局部门整体支出绩效自评报告", "示例区测试局", 2020),
    ("示例区测试局部门整体支出绩效自评报告（2019年度）", "示例区测试局", 2019),
    ("二〇二二年度示例区测试局部门整体支出绩效自评报告", "示例区测试局", 2022),
    ("２０２３年度示例区测试局部门整体支出绩效自评报告", "示例区测试局", 2023),
    ("附件1\n示例〔2023〕5号\n示例区测试局2022年度部门整体支出绩效自评报告", "示例区测试局", 2022),
    ("广州市示例区\n测试联合会2022年度整体支出绩效自评报告", "广州市示例区测试联合会", 2022),
])
def test_unit_and_year_from_the_title(title, unit, year):
    result = extract_text(title + "\n一、基本情况\n2019年以来，本单位持续推进改革。\n")
    assert (result.unit, result.year) == (unit, year)


def test_unit_and_year_from_the_first_mention_with_notes():
    result = extract_text("部门整体支出绩效自评报告\n一、基本情况\n（一）部门概况\n示例市测试中心，成立于1990年。"
                          "2022年度，全年预算数10万元。")
    assert (result.unit, result.year) == ("示例市测试中心", 2022)
    assert len(result.notes) == 2


def test_no_unit_and_no_year_stay_empty():
    result = extract_text("本年度工作完成较好。")
    assert (result.unit, result.year) == (None, None)


def test_text_without_line_breaks_still_has_sections():
    result = extract_text("2022年度示例区甲局部门整体支出绩效自评报告 一、基本情况 全年预算数10万元，执行数9万元。"
                          "三、存在的主要问题 问题较多。四、下一步改进措施 继续努力。")
    assert (result.budget_wan, result.executed_wan) == (10.0, 9.0)
    assert (result.sections["problems"], result.sections["measures"]) == ("问题较多。", "继续努力。")


def test_combined_problems_and_measures_heading():
    split = extract_text(TITLE + "三、存在的问题及改进措施\n（一）存在的问题\n问题甲。\n（二）改进措施\n措施乙。\n四、其他")
    assert (split.sections["problems"], split.sections["measures"]) == ("问题甲。", "措施乙。")
    shared = extract_text(TITLE + "三、存在的问题及改进措施\n问题甲，措施乙。\n四、其他")
    assert shared.sections["problems"] == shared.sections["measures"] == "问题甲，措施乙。"
    assert shared.notes


def test_table_of_contents_does_not_hide_the_sections():
    text = (TITLE + "目录\n一、基本情况\n二、综合评价分析\n三、存在的主要问题\n四、下一步改进措施\n"
            "一、基本情况\n（一）部门整体收支情况\n全年预算数100万元。\n二、综合评价分析\n（一）自评结论\n自评得分90分。\n"
            "三、存在的主要问题\n问题甲。\n四、下一步改进措施\n措施乙。\n")
    result = extract_text(text)
    assert result.sections == {"finance": "全年预算数100万元。", "conclusion": "自评得分90分。",
                               "problems": "问题甲。", "measures": "措施乙。"}


def test_unit_from_a_form_line_when_the_title_has_none():
    result = extract_text("财政部门整体支出绩效评价报告\n项目单位: 横县示例办公室\n2018年4月3日\n"
                          "根据通知要求，我办对2017年度部门整体支出绩效进行了评价。")
    assert (result.unit, result.year) == ("横县示例办公室", 2017)


def test_numbered_list_inside_a_section_does_not_end_it():
    result = extract_text(TITLE + "三、存在的主要问题\n问题甲。\n四、下一步改进措施\n一、加强培训。\n二、细化指标。\n"
                          "五、其他需要说明的问题\n无。")
    assert result.sections["measures"] == "一、加强培训。\n二、细化指标。"
    assert result.sections["problems"] == "问题甲。"


def test_clean_lines():
    assert clean_lines("— 1 —\n全 年 预 算 数 ５０７．０２ 万元\n第 2 页\n执行数") == ["全年预算数507.02万元", "执行数"]
    assert clean_lines("甲\n- 12 -\n乙") == ["甲", "乙"]


def test_extract_text_does_not_guess_from_an_empty_text():
    result = extract_text("")
    assert figures(result) == (None,) * 7 and result.sections == dict.fromkeys(SECTION_KEYS, "")


# --------------------------------------------------------------------------------------------- PDF

def make_pdf(path, pages: list[list[str]]) -> None:
    """A small A4 PDF whose text is real text (TrueType, pdf.fonttype 42), one line per string."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from perfeval_lib.render.charts import setup_fonts

    setup_fonts()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                figure.text(0.1, 0.92 - i * 0.04, line, fontsize=12)
            pdf.savefig(figure)
            plt.close(figure)


PDF_PAGES = [
    ["2022 年度示例市测试妇女儿童活动中心", "整体支出绩效自评报告", "一、基本情况", "（三）部门整体收支情况",
     "全年预算数 507.", "02万元，执行数 5", "07.02万元，完成预算的 100.0%。", "— 1 —"],
    ["二、综合评价分析", "（一）自评结论综述", "自 评 结 果 为 9 8 分 ， 达 到 “ 优 ” 等 级 。", "三、存在的主要问题",
     "绩效目标设定不够精细。", "四、下一步改进措施", "加强绩效管理培训。", "2"],
]


def test_pdf_text_really_comes_back_out(tmp_path):
    path = tmp_path / "report.pdf"
    make_pdf(path, PDF_PAGES)
    text, pages = read_report_text(path)
    assert len(pages) == 2
    assert "示例市测试妇女儿童活动中心" in text and "全年预算数 507." in text and "02万元" in text
    assert "达 到 “ 优 ” 等 级" in text


def test_pdf_report_with_numbers_split_across_lines(tmp_path):
    path = tmp_path / "report.pdf"
    make_pdf(path, PDF_PAGES)
    result = extract_file(path)
    assert result.error is None
    assert figures(result) == ("示例市测试妇女儿童活动中心", 2022, 507.02, 507.02, 100.0, 98.0, "优")
    assert result.sections["problems"] == "绩效目标设定不够精细。"
    assert result.sections["measures"] == "加强绩效管理培训。"     # the page number "2" is gone


def test_pdf_without_text_is_a_problem_not_a_crash(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = tmp_path / "scan.pdf"
    figure = plt.figure(figsize=(2, 2))
    figure.add_artist(plt.Line2D([0, 1], [0, 1]))
    figure.savefig(path)
    plt.close(figure)
    result = extract_file(path)
    assert result.error and "没有文字层" in result.error
    assert figures(result) == (None,) * 7


# --------------------------------------------------------------------------------------------- files, CSV, CLI

def bad_files(folder):
    (folder / "broken.pdf").write_bytes(b"this is not a pdf at all")
    (folder / "binary.txt").write_bytes(b"\xff\xfe\xff\x00\x81\xff" * 20)


def test_extract_files_folder_rows_sorted_and_bad_files_kept(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("b_fullwidth_yuan.txt", "a_wording_pagemarks.txt"):
        (folder / name).write_bytes((REPORTS / name).read_bytes())
    (folder / "notes.odt").write_bytes(b"ignored")              # not a report type: not listed
    bad_files(folder)
    frame = extract_files([folder])
    assert list(frame.columns) == COLUMNS
    assert [p.rsplit("/", 1)[-1] for p in frame["file"]] == ["a_wording_pagemarks.txt", "b_fullwidth_yuan.txt",
                                                              "binary.txt", "broken.pdf"]
    assert frame["year"].dtype == "Int64" and frame["budget_wan"].dtype == "float64"
    bad = frame[frame["file"].str.endswith(("binary.txt", "broken.pdf"))]
    assert bad.drop(columns="file").isna().all().all()
    assert len(frame.attrs["problems"]) == 2
    assert frame.loc[0, "budget_wan"] == 507.02


def test_given_file_of_another_type_or_missing_is_a_problem(tmp_path):
    other = tmp_path / "report.odt"
    other.write_bytes(b"PK")
    frame = extract_files([other, tmp_path / "missing.txt"])
    assert len(frame) == 2 and len(frame.attrs["problems"]) == 2
    assert "不支持" in frame.attrs["problems"][0] and "不存在" in frame.attrs["problems"][1]


def test_write_csv_is_utf8_bom_and_atomic(tmp_path):
    frame = extract_files([REPORTS / "a_wording_pagemarks.txt"])
    before = frame.copy()
    target = write_csv(frame, tmp_path / "out" / "extracted.csv")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in target.parent.iterdir()] == ["extracted.csv"]
    pd.testing.assert_frame_equal(frame, before)


def test_main_on_a_folder_writes_the_csv(tmp_path, capsys):
    out = tmp_path / "extracted.csv"
    code = main([str(REPORTS), "-o", str(out)])
    assert code == 0
    back = pd.read_csv(out, encoding="utf-8-sig", dtype={"year": "Int64"})
    assert list(back.columns) == TABLE_COLUMNS                  # the fields, where each came from, the notes
    assert (back["budget_wan_from"].notna() == back["budget_wan"].notna()).all()
    assert len(back) == len(EXPECTED)
    row = back[back["file"].str.endswith("b_fullwidth_yuan.txt")].iloc[0]
    assert (row["unit"], row["year"], row["budget_wan"], row["executed_wan"]) == ("示例县农业技术推广测试站", 2021,
                                                                                 507.02, 481.669)
    empty = back[back["file"].str.endswith("e_not_stated.txt")].iloc[0]
    assert empty[["budget_wan", "executed_wan", "execution_rate_pct", "self_score", "grade"]].isna().all()
    assert "written" in capsys.readouterr().out


def test_main_prints_the_table_and_exits_1_on_an_unreadable_file(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes((REPORTS / "a_wording_pagemarks.txt").read_bytes())
    bad_files(folder)
    code = main([str(folder)])
    captured = capsys.readouterr()
    assert code == 1
    assert "示例市东湖区测试档案馆" in captured.out and "507.02" in captured.out and "100%" in captured.out
    assert "broken.pdf" in captured.err and "binary.txt" in captured.err and "Traceback" not in captured.err


def test_main_on_an_empty_folder_and_bad_usage(tmp_path, capsys):
    assert main([str(tmp_path)]) == 1
    assert "没有 .txt、.pdf 或 .docx" in capsys.readouterr().err
    assert main([]) == 2                                       # argparse: FILE_OR_DIR is required


def test_parser_can_be_a_subcommand():
    import argparse

    parser = argparse.ArgumentParser(prog="perfeval")
    sub = parser.add_subparsers(dest="command")
    extract_cli.add_arguments(sub.add_parser("extract"))
    args = parser.parse_args(["extract", "a.txt", "b/", "-o", "x.csv"])
    assert (args.paths, args.output) == (["a.txt", "b/"], "x.csv")

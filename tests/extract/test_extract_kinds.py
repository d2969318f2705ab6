"""``perfeval extract``: one test per kind of wording and layout that published reports have.

Every unit, figure and sentence here is invented; the expected values are worked out by hand in the
comments. Word and PDF files are built by the tests (python-docx; matplotlib with ruled cells that
pdfplumber finds as a real table).
"""
from __future__ import annotations

import docx
import pandas as pd
import pytest

from perfeval_lib.cli.extract import main
from perfeval_lib.extract import extract_file, extract_files, extract_text
from perfeval_lib.extract.cells import splits
from perfeval_lib.extract.tables import funds_tables, total_rows
from perfeval_lib.ingest.tables import read_table
from perfeval_lib.review.evaluation import evaluate

HEADER = "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分"
PROJECT = "示例县测试馆2023年度项目支出绩效自评表\n"


def figures(result):
    return (result.budget_wan, result.executed_wan, result.execution_rate_pct, result.self_score)


# --------------------------------------------------------------------------------------------- flattened tables

def test_flattened_row_with_a_missing_rate_cell():
    # 6 columns, 5 numbers: the rate is the empty cell (9 = 135/150 × 10 agrees; 9 as a bare rate would not)
    result = extract_text(PROJECT + HEADER + "\n年度资金总额 120 150 135 10 9")
    assert figures(result) == (150.0, 135.0, None, None)      # the row's 得分 is the rate's, not the total
    assert result.funds.weight == 10 and result.funds.score == 9
    assert result.sources["budget_wan"].startswith("资金表 第2行")


def test_flattened_table_one_cell_a_line():
    cells = "\n".join(["年度资金总额", "120", "150", "135", "10", "90%", "9"])
    result = extract_text(PROJECT + "\n".join(HEADER.split()) + "\n" + cells)
    assert figures(result)[:3] == (150.0, 135.0, 90.0)


def test_glued_numbers_are_cut_where_they_agree():
    # 246.8 | 123.4 | 10 | 50% | 5 : 123.4 / 246.8 = 50 %, 50 % × 10 = 5
    text = PROJECT + "项目资金(万元)年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分 年度资金总额:246.8123.41050%5执行率*该指标分值"
    assert figures(extract_text(text))[:3] == (246.8, 123.4, 50.0)


def test_a_row_whose_numbers_do_not_agree_is_not_used():
    # the stated rate 80 % disagrees with 135 / 150 = 90 %: no reading, a note
    result = extract_text(PROJECT + HEADER + "\n年度资金总额 120 150 135 10 80% 8")
    assert figures(result)[:3] == (None, None, None)
    assert any("读不通" in note for note in result.notes)


def test_pipe_cells_and_a_zero_total_row_take_the_qizhong_rows():
    text = (PROJECT + "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "| 年度资金总额 | 0 | 0 | 0 | 10 | 0 | 0 |\n| 其中：本年财政拨款 | 60 | 48.5 | 48.5 | | | |\n"
            "| 上年结转资金 | | | | | | |")
    result = extract_text(text)
    assert figures(result)[:2] == (48.5, 48.5)
    assert any("其中行" in note for note in result.notes)


def test_yuan_header_converts_the_column_and_a_detached_rate_is_taken_only_when_it_agrees():
    # 300000 元 = 30 万元, 246000 元 = 24.6 万元, 82 %; the 82.00% apart from the row agrees
    text = (PROJECT + "年初预算数 全年预算数 全年执行数 分值 执行率 得分 300000.00 300000.00 246,000.00 10 8.2 "
            "项目资金 (元) 年度 总体 目标 82.00% 一级指标 二级指标 完成率 =100% 100%")
    result = extract_text(text)
    assert figures(result)[:3] == (30.0, 24.6, 82.0)
    assert any("换算" in note for note in result.notes)


def test_cuts_of_a_glued_run():
    assert [[str(n) for n in cut] for cut in splits("10.57.5", 2)] == [["10.5", "7.5"]]
    assert [[str(n) for n in cut] for cut in splits("1000800", 2)] == [["100080", "0"], ["1000", "800"]]  # no "00"


# --------------------------------------------------------------------------------------------- template text

@pytest.mark.parametrize("sentence", [
    "预算执行率=预算执行数/调整后预算数，预算执行率未达到90%的需说明原因。",
    "预算完成率以100%为标准，100%计满分，每低于5%扣2分。",
])
def test_instructions_are_not_rates(sentence):
    assert extract_text(PROJECT + sentence).execution_rate_pct is None


def test_weight_total_and_weights_are_not_scores():
    text = PROJECT + "一级指标 二级指标 三级指标 指标值 完成值 权重 得分\n合计 100\n分值 10"
    assert extract_text(text).self_score is None
    assert total_rows("三级指标 分值 得分\n合计 | 100 | | |") == []


def test_total_row_gives_score_and_grade():
    text = PROJECT + "一级指标 二级指标 三级指标 指标值 完成值 分值 得分\n产出指标 数量指标 场次 6 6 50 50\n总分 100 96 优"
    result = extract_text(text)
    assert (result.self_score, result.grade) == (96.0, "优")
    assert result.sources["self_score"].startswith("总分行 第4行")


@pytest.mark.parametrize(("sentence", "grade"), [("自评等级为优秀。", "优"), ("评价等级：良好。", "良"),
                                                  ("自评结果为“优”。", "优"), ("等级为优。", "优")])
def test_grade_wordings(sentence, grade):
    assert extract_text(PROJECT + sentence).grade == grade


def test_grade_bands_of_a_template_are_not_a_grade():
    assert extract_text(PROJECT + "评价等级分为优（90-100分）、良（80-89分）、中、差。").grade is None


def test_execution_rate_score_line_vs_total_score():
    text = PROJECT + HEADER + "\n年度资金总额 100 100 100 10 100% 10\n自评得分为 95 分。"
    result = extract_text(text)
    assert result.self_score == 95.0 and result.funds.score == 10


# --------------------------------------------------------------------------------------------- unit names

@pytest.mark.parametrize(("text", "unit"), [
    ("项目支出绩效自评表（2023年度）\n主管部门 示例县测试局 实施单位 示例县测试局", "示例县测试局"),
    ("项目支出绩效自评表（2023年度）\n主管部门 实施单位 示例县测试中心", "示例县测试中心"),
    ("项目支出绩效自评表（2023年度）\n实施单位 210001-示例县测试镇人民政府", "示例县测试镇人民政府"),
    ("部门(单位)名称示例市测试区发展和改革局预算编码300001", "示例市测试区发展和改革局"),
    ("示例县测试局测试股项目支出绩效自评\n（2023年度）", "示例县测试局"),
    ("附件2:2023年度示例市测试委员会部门整体支出绩效自评表.pdf", "示例市测试委员会"),
    ("《示例县测试中学专项资金绩效自评价报告.docx》", "示例县测试中学"),
    ("示例县2023年度测试资金项目绩效评价报告\n一、项目概况", None),
    ("乡村振兴项目绩效自评报告\n一、基本情况", None),
    ("填报单位: 单位:万元\n2023年", None),
])
def test_unit_names(text, unit):
    assert extract_text(text).unit == unit


def test_unit_from_a_sentence_about_the_whole_unit():
    result = extract_text("根据2023年部门整体支出绩效评价指标体系，示例县测试管理局整体绩效自评分93分。")
    assert (result.unit, result.self_score, result.year) == ("示例县测试管理局", 93.0, 2023)


@pytest.mark.parametrize(("text", "year"), [
    ("评价年度:2022\n填报日期:2023年4月25日", 2022),
    ("报告日期：2024年6月18日\n（二）2023年度绩效目标", 2023),
    ("报告时间: 2024 年7月\n吉财绩〔2024〕8号", None),
])
def test_years_never_from_dates_or_document_numbers(text, year):
    assert extract_text(text).year == year


# --------------------------------------------------------------------------------------------- money and OCR

def test_per_pupil_amount_is_not_the_budget_and_a_project_report_takes_its_project():
    text = ("《示例县测试中学专项资金绩效自评价报告》\n我校2023年按生均800元安排，共计160万元，其中上级资金120万元。"
            "我校2023年财政安排支出共计150.5万元。")
    assert figures(extract_text(text))[:2] == (160.0, 150.5)


def test_traditional_characters_and_pinyin_read_as_labels():
    text = "項(xiàng)目支出績效自評表\n評價年度:2021\n| 年初預算數 | 全年預算數 | 全年執行數 | 執行率 |\n| 年度資金總額 | 20 | 20 | 19 | 95% |"
    result = extract_text(text.replace("| 年初預算數", "項目資金(萬元) | 年初預算數"))
    assert (result.year, result.budget_wan, result.executed_wan, result.execution_rate_pct) == (2021, 20.0, 19.0, 95.0)


def test_cid_text_gives_empty_fields_and_an_ocr_note():
    result = extract_text("(cid:12)(cid:34)(cid:56) 2023年度 全年预算数 100万元 (cid:78)")
    assert figures(result) == (None, None, None, None) and result.year is None
    assert any("OCR" in note for note in result.notes)


# --------------------------------------------------------------------------------------------- Word, PDF, folders

def make_docx(path):
    document = docx.Document()
    document.add_paragraph("示例县测试文化馆2023年度项目支出绩效自评报告")
    document.add_paragraph("一、项目资金情况")
    funds = document.add_table(rows=2, cols=7)
    for i, cell in enumerate(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        funds.rows[0].cells[i].text = cell
    for i, cell in enumerate(["年度资金总额", "40", "50", "45", "10", "90%", "9"]):
        funds.rows[1].cells[i].text = cell
    document.add_paragraph("二、绩效指标完成情况")
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "开展展览次数", "≥10次", "12次", "30", "30"],
            ["产出指标", "质量指标", "展品完好率", "≥98%", "99%", "20", "20"],
            ["效益指标", "社会效益指标", "参观人次", "≥5000人次", "4000人次", "30", "30"],
            ["满意度指标", "服务对象满意度指标", "观众满意度", "≥90%", "93%", "10", "9"],
            ["总分", "", "", "", "", "100", "98"]]
    table = document.add_table(rows=len(rows), cols=7)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.rows[r].cells[c].text = value
    document.add_paragraph("三、自评结论")
    document.add_paragraph("经自评，本项目自评得分98分，等级为“优”。")
    document.save(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "report.docx"
    make_docx(path)
    result = extract_file(path)
    assert result.error is None
    assert (result.unit, result.year) == ("示例县测试文化馆", 2023)
    assert figures(result) == (50.0, 45.0, 90.0, 98.0) and result.grade == "优"
    assert [g.where for g in result.document.grids] == ["表1", "表2"]
    levels = [(r["level3"], r["target"], r["actual"], r["weight"], r["claimed_score"]) for r in result.indicators]
    assert levels[0] == ("预算执行率", "100%", "90%", 10.0, 9.0)              # from the funds table
    assert levels[1] == ("开展展览次数", "≥10", "12", 30.0, 30.0)                  # the unit 次 → measure
    assert result.indicators[1]["measure"] == "次"
    assert levels[-1][0] == "总分" and levels[-1][-1] == 98.0
    assert result.indicators[1]["source"] == "表2第2行"


def make_table_pdf(path, rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from perfeval_lib.render.charts import setup_fonts

    setup_fonts()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        figure = plt.figure(figsize=(8.27, 11.69))
        figure.text(0.1, 0.95, "示例市测试体育中心2022年度项目支出绩效自评表", fontsize=12)
        x0, y0, width, height = 0.05, 0.85, 0.9 / len(rows[0]), 0.03
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                figure.text(x0 + c * width + 0.005, y0 - r * height + 0.008, cell, fontsize=7)
        for r in range(len(rows) + 1):                     # ruled cells: pdfplumber finds the table by its lines
            figure.add_artist(plt.Line2D([x0, x0 + len(rows[0]) * width], [y0 + height - r * height] * 2, lw=0.8))
        for c in range(len(rows[0]) + 1):
            figure.add_artist(plt.Line2D([x0 + c * width] * 2, [y0 + height, y0 + height - len(rows) * height], lw=0.8))
        pdf.savefig(figure)
        plt.close(figure)


def test_pdf_with_a_real_table(tmp_path):
    path = tmp_path / "table.pdf"
    make_table_pdf(path, [["项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                          ["年度资金总额", "200000", "250000", "200000", "10", "80%", "8"]])
    result = extract_file(path)
    assert result.document.grids and result.document.grids[0].where == "第1页表1"
    assert (result.unit, result.year) == ("示例市测试体育中心", 2022)
    assert figures(result)[:3] == (25.0, 20.0, 80.0)           # 元 → 万元: 250000 / 10000, 200000 / 10000


def test_folder_of_mixed_files(tmp_path):
    make_docx(tmp_path / "b.docx")
    (tmp_path / "a.txt").write_text(PROJECT + HEADER + "\n年度资金总额 120 150 135 10 90% 9", encoding="utf-8")
    make_table_pdf(tmp_path / "c.pdf", [["项目资金（万元）", "全年预算数", "全年执行数", "执行率"],
                                        ["年度资金总额", "80", "80", "100%"]])
    (tmp_path / "~$b.docx").write_bytes(b"lock")
    (tmp_path / "notes.odt").write_bytes(b"other")
    frame = extract_files([tmp_path])
    assert [name.rsplit("/", 1)[-1] for name in frame["file"]] == ["a.txt", "b.docx", "c.pdf"]
    assert frame["budget_wan"].tolist() == [150.0, 50.0, 80.0]


# --------------------------------------------------------------------------------------------- extract --indicators → score

FLAT_TABLE = """示例县测试站2023年度项目支出绩效自评表
预算编码 400123
项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 80 100 76 10 76% 7.6
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
产出指标 数量指标 培训场次 ≥8场 6场 20 20 天气影响
质量指标 合格率 ≥90% 95% 15 15
时效指标 完成及时率 100% 100% 15 15
效益指标 社会效益指标 群众知晓率 ≥80% 85% 30 30
满意度指标 服务对象满意度指标 满意度 ≥90% 93% 10 9
总分 100 96.6
"""


def test_extract_indicators_then_score_recomputes_with_findings(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(FLAT_TABLE, encoding="utf-8")
    out = tmp_path / "indicators.csv"
    assert main([str(report), "-o", str(tmp_path / "figures.csv"), "--indicators", str(out), "-q"]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig", dtype={"unit_code": str})
    assert written["unit_code"].unique().tolist() == ["400123"]
    assert written["level3"].tolist() == ["预算执行率", "培训场次", "合格率", "完成及时率", "群众知晓率", "满意度", "总分"]
    assert written.loc[1, "note"] == "天气影响" and written.loc[1, "source"] == "第6行"

    loaded = read_table(out, "indicators")
    assert not loaded.errors and len(loaded.frame) == 6
    assert loaded.claims["claimed_score"].tolist() == [96.6]
    ev = evaluate(None, None, loaded.frame, loaded.claims, ruleset="mof-2020")
    scores = dict(zip(ev.scored["indicator"], ev.scored["score"]))
    # hand-computed: 预算执行率 76 % × 10 = 7.6; 培训场次 6/8 × 20 = 15; the rest full marks; 满意度 93 ≥ 90 → 10
    assert scores["预算执行率"] == pytest.approx(7.6) and scores["培训场次"] == pytest.approx(15.0)
    assert ev.results["score"].iloc[0] == pytest.approx(7.6 + 15 + 15 + 15 + 30 + 10)
    messages = " ".join(ev.findings["message"])
    assert "培训场次" in messages                    # full marks claimed for a missed target


def test_rows_not_readable_whole_are_left_out_with_a_note():
    text = ("示例县测试站2023年度项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标 数量指标 培训场次 ≥8场 8场 50 50\n质量指标 指标1:工程质量合格 10 10\n")
    result = extract_text(text)
    assert [r["level3"] for r in result.indicators] == ["培训场次"]
    assert any("不是完整的指标行" in note for note in result.indicator_notes)


def test_funds_table_alone():
    reading = funds_tables("全年预算数 全年执行数 执行率\n合计 500.00 490.50 98.1%", "万元")[0]
    assert (float(reading.budget), float(reading.executed), float(reading.rate)) == (500.0, 490.5, 98.1)

"""Loading real-looking files: encodings, xlsx layouts, units, totals, and every bad-input kind."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import perfeval_lib as pe
from perfeval_lib.ingest.tables import read_table

from ..kits.paths import write_csv

BUDGET_HEADER = "单位编码,年度,支出类别,资金来源,项目名称,年初预算数（万元）,全年预算数（万元）,全年执行数（万元）,说明\n"


def test_budget_utf8_with_total_row(fixtures):
    budget = pe.load_budget(fixtures / "budget_small.csv")
    assert len(budget) == 3  # the 合计 row agrees with the details and is dropped
    assert budget["budget_final"].sum() == pytest.approx(310.2)
    assert budget["line"].tolist() == ["基本支出/财政拨款", "项目支出/财政拨款/妇女儿童维权服务项目",
                                       "项目支出/其他资金/家庭教育项目"]
    rate = pe.execution_rate(budget)["execution_rate"].iloc[0]
    assert rate == pytest.approx(154.74 / 310.2)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_detected(tmp_path, encoding):
    path = write_csv(tmp_path / "budget.csv", BUDGET_HEADER + "A01,2022,基本支出,财政拨款,,1,2,2,\n", encoding)
    loaded = read_table(path)
    assert loaded.frame["category"].tolist() == ["基本支出"]
    assert any(i.code == "encoding_gbk" for i in loaded.issues) == encoding.startswith("gb")


def test_undecodable_csv_is_a_clear_error(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_bytes(BUDGET_HEADER.encode("utf-16"))
    loaded = read_table(path)
    assert [i.code for i in loaded.errors] == ["unreadable_file"]
    assert "编码" in loaded.errors[0].message and str(path) == loaded.errors[0].file


def test_money_in_yuan_converted_by_header(tmp_path):
    text = ("单位编码,年度,支出类别,资金来源,全年预算数（元）,全年执行数（元）\n"
            "A01,2022,基本支出,财政拨款,\"7,800,000.00\",\"5,070,200.00\"\n")
    budget = pe.load_budget(write_csv(tmp_path / "budget_a01.csv", text))
    assert budget[["budget_final", "executed"]].values.tolist() == [[780.0, 507.02]]


def test_cell_unit_wins_over_header_unit(tmp_path):
    text = "单位编码,年度,支出类别,全年预算数,执行数\nA01,2022,基本支出,507.02万元,\"5,070,200.00元\"\n"
    budget = pe.load_budget(write_csv(tmp_path / "budget.csv", text))
    assert budget[["budget_final", "executed"]].values.tolist() == [[507.02, 507.02]]


def test_headline_only_total_row_is_kept(tmp_path):
    text = "单位编码,年度,支出类别,全年预算数（万元）,全年执行数（万元）\nHZ,2022,合计,507.02,507.02\n"
    budget = pe.load_budget(write_csv(tmp_path / "budget.csv", text))
    assert budget[["line", "budget_final", "executed"]].values.tolist() == [["合计", 507.02, 507.02]]


def test_total_row_that_disagrees_is_a_warning(tmp_path):
    text = BUDGET_HEADER + "A01,2022,基本支出,财政拨款,,1,100,90,\nA01,2022,项目支出,财政拨款,甲,1,50,40,\nA01,2022,合计,,,2,150,0,\n"
    loaded = read_table(write_csv(tmp_path / "budget.csv", text))
    assert not loaded.errors
    warning = next(i for i in loaded.issues if i.code == "total_mismatch")
    assert (warning.row, warning.column, warning.unit_code) == (4, "全年执行数", "A01")
    assert "130.00" in warning.message and "0.00" in warning.message


def test_xlsx_with_title_row_merged_cells_and_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["2022年度部门整体支出绩效自评表"])
    sheet.merge_cells("A1:J1")
    sheet.append(["单位编码", "年度", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "计量单位", "自评得分"])
    sheet.append(["A01", 2022, "产出指标", "数量指标", "场次", 50, "≥8", 8, "场", 50])
    sheet.append([None, None, None, None, "覆盖人数", 40, "≥100", 120, "人", 40])
    sheet.append([])
    sheet.append(["A01", 2022, "满意度指标", "满意度", "满意度", 10, "≥90%", 0.95, None, 10])
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:D4"):
        sheet.merge_cells(cells)
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    indicators = pe.load_indicators(path)
    assert indicators["level1"].tolist() == ["产出指标", "产出指标", "满意度指标"]
    assert indicators["level2"].tolist() == ["数量指标", "数量指标", "满意度"]
    assert indicators["unit_code"].tolist() == ["A01"] * 3
    assert indicators["target"].round(6).tolist() == [8.0, 100.0, 0.9]
    assert indicators["direction"].tolist() == ["≥"] * 3


def test_xlsx_blank_key_cell_outside_any_merge_is_not_filled_from_the_row_above(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位编码", "年度", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值"])
    sheet.append(["A01", 2022, "产出指标", "数量指标", "场次", 50, "≥8", 8])
    sheet.append([None, 2022, "产出指标", None, "覆盖人数", 50, "≥100", 120])
    path = tmp_path / "indicators.xlsx"
    book.save(path)
    loaded = pe.read_table(path)
    assert loaded.frame["indicator"].tolist() == ["场次"]
    assert [(i.code, i.row, i.column) for i in loaded.issues if i.severity != "info"] == [
        ("blank_not_merged", 3, "二级指标"), ("missing_value", 3, "单位编码")]


def test_full_width_and_percent_variants_in_indicators(tmp_path):
    text = ("单位编码,年度,一级指标,三级指标,分值,年度指标值,实际完成值,计量单位\n"
            "A01,２０２２,产出指标,合格率,５０,≥９０％,95%,%\nA01,2022,产出指标,及时率,50,100.0％,100,%\n")
    indicators = pe.load_indicators(write_csv(tmp_path / "indicators.csv", text))
    assert indicators["year"].tolist() == [2022, 2022]
    assert indicators["weight"].tolist() == [50.0, 50.0]
    assert indicators[["target", "actual"]].round(6).values.tolist() == [[0.9, 0.95], [1.0, 1.0]]


# --- bad input: every kind gives one located, bilingual error; valid rows still load -------------------

def test_missing_required_column(tmp_path):
    path = write_csv(tmp_path / "budget.csv", "单位编码,年度,支出类别,全年预算数\nA01,2022,基本支出,1\n")
    loaded = read_table(path)
    (error,) = loaded.errors
    assert error.code == "missing_column" and error.row == 1
    assert "缺少必需的列：全年执行数" in error.message and "missing required column" in error.message
    with pytest.raises(pe.ValidationFailed, match="全年执行数"):
        pe.load_budget(path)


def test_text_where_money_expected(tmp_path):
    text = BUDGET_HEADER + "A01,2022,基本支出,财政拨款,,1,约五百万,2,\nA01,2022,项目支出,财政拨款,乙,1,3,2,\n"
    loaded = read_table(write_csv(tmp_path / "budget.csv", text))
    (error,) = loaded.errors
    assert (error.code, error.row, error.column, error.value) == ("bad_value", 2, "全年预算数（万元）", "约五百万")
    assert "全年预算数不是有效的值" in str(error) and "expected" in str(error)
    assert loaded.frame["line"].tolist() == ["项目支出/财政拨款/乙"]  # the valid row still loads


def test_duplicate_keys(tmp_path):
    text = "单位编码,年度,自评总分,自评等级\nA01,2022,90,优\nA01,2022,85,良\nA02,2022,70,中\n"
    loaded = read_table(write_csv(tmp_path / "claims.csv", text))
    assert [(i.code, i.row) for i in loaded.errors] == [("duplicate_key", 2), ("duplicate_key", 3)]
    assert loaded.errors[0].value == "A01 / 2022"
    assert loaded.frame["unit_code"].tolist() == ["A02"]


def test_negative_budget(tmp_path):
    text = BUDGET_HEADER + "A01,2022,基本支出,财政拨款,,1,-20,2,\n"
    (error,) = read_table(write_csv(tmp_path / "budget.csv", text)).errors
    assert (error.code, error.row, error.column) == ("negative_amount", 2, "全年预算数")
    assert "不能为负数" in error.message


def test_year_not_a_whole_number(tmp_path):
    text = BUDGET_HEADER + "A01,2022.5,基本支出,财政拨款,,1,2,2,\n"
    (error,) = read_table(write_csv(tmp_path / "budget.csv", text)).errors
    assert (error.code, error.column) == ("bad_value", "年度")


def test_unsafe_unit_code(tmp_path):
    text = "单位编码,单位名称\n../etc,甲\nA/B,乙\nOK1,丙\n"
    loaded = read_table(write_csv(tmp_path / "units.csv", text))
    assert [i.code for i in loaded.errors] == ["unsafe_code", "unsafe_code"]
    assert loaded.frame["unit_code"].tolist() == ["OK1"]


def test_no_header_found(tmp_path):
    loaded = read_table(write_csv(tmp_path / "budget.csv", "a,b,c\n1,2,3\n"))
    assert loaded.errors[0].code == "no_header"
    assert "表头" in loaded.errors[0].message


def test_unknown_table(tmp_path):
    loaded = read_table(write_csv(tmp_path / "notes.csv", "a,b,c\n1,2,3\n"))
    assert loaded.errors[0].code == "unknown_table"


def test_load_folder_one_bad_file_does_not_hide_others(tmp_path, fixtures):
    write_csv(tmp_path / "units.csv", "单位编码,单位名称\nT01,甲单位\nT02,乙单位\n")
    write_csv(tmp_path / "budget_bad.csv", "单位编码,年度,支出类别\nT02,2022,基本支出\n")
    (tmp_path / "budget_small.csv").write_bytes((fixtures / "budget_small.csv").read_bytes())
    (tmp_path / "indicators_a.csv").write_bytes((fixtures / "indicators_mof2020.csv").read_bytes())
    tables = pe.load_folder(tmp_path)
    assert [i.code for i in tables["budget"].errors] == ["missing_column"]
    assert tables["budget"].frame["unit_code"].unique().tolist() == ["T01"]
    assert len(tables["indicators"].frame) == 7


def test_same_key_in_two_files(tmp_path):
    write_csv(tmp_path / "claims_a.csv", "单位编码,年度,自评总分\nA01,2022,90\n")
    write_csv(tmp_path / "claims_b.csv", "单位编码,年度,自评总分\nA01,2022,91\n")
    tables = pe.load_folder(tmp_path)
    assert [i.code for i in tables["claims"].errors] == ["duplicate_key", "duplicate_key"]
    assert {i.file for i in tables["claims"].errors} == {str(tmp_path / "claims_a.csv"), str(tmp_path / "claims_b.csv")}


def test_write_table_is_atomic(tmp_path):
    frame = pd.DataFrame({"a": [1, 2]})
    path = pe.write_table(frame, "t", tmp_path)
    assert pd.read_parquet(path)["a"].tolist() == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]  # no temporary left behind

    import pyarrow

    bad = pd.DataFrame({"a": [object()]})  # cannot be written as parquet
    with pytest.raises(pyarrow.ArrowInvalid):
        pe.write_table(bad, "t", tmp_path)
    assert pd.read_parquet(path)["a"].tolist() == [1, 2]  # the previous file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_unknown_ruleset_in_registry(tmp_path):
    text = "单位编码,单位名称,评价体系\nA01,甲,mof-2099\nA02,乙,mof-2013-dept\nA03,丙,\n"
    loaded = read_table(write_csv(tmp_path / "units.csv", text))
    (error,) = loaded.errors
    assert (error.code, error.row, error.column, error.value) == ("unknown_ruleset", 2, "评价体系", "mof-2099")
    assert loaded.frame["unit_code"].tolist() == ["A02", "A03"]

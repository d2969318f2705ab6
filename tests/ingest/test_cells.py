"""Cells as the spreadsheet shows them (rules.md §2c) and the spreadsheet files people send: number formats,
hidden sheets/rows/columns, merged ranges against truly blank cells, .xls, .ods, .xlsm and WPS .et.
Every workbook here is invented and built by the test."""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest

import perfeval_lib as pe
from perfeval_lib.ingest import forms
from perfeval_lib.ingest.numfmt import format_kind, shown_value
from perfeval_lib.ingest.readers import read_file

HEADER = ["单位编码", "年度", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "计量单位", "自评得分"]


@pytest.mark.parametrize("code, stored, shown", [
    ("0%", 0.98, "98%"), ("0.00%", 0.9557, "95.57%"), ("0.0%", 0.025, "2.5%"), ("0%", 1, "100%"),
    ('0.0"%"', 85.5, "85.5%"), ("0.00\\%", 85.5, "85.5%"), ("[Red]0.00%;-0.00%", -0.021, "-2.1%"),
    ("000000", 1234, "001234"), ("00000", 7.0, "00007"),
    ("#,##0.00", 1234.5, 1234.5), ("General", 0.92, 0.92), ("yyyy-mm-dd", 3.0, 3.0),
])
def test_number_formats_give_the_value_excel_shows(code, stored, shown):
    assert shown_value(stored, format_kind(code)) == shown


def _book(rows, formats=None, name="指标"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = name
    for row in rows:
        sheet.append(row)
    for cell, fmt in (formats or {}).items():
        sheet[cell].number_format = fmt
    return book


def test_percent_literal_percent_and_code_formats_in_a_tidy_table(tmp_path):
    book = _book([HEADER, ["1234", 2023, "产出指标", "质量指标", "合格率", 50, 0.95, 0.9557, "%", 50],
                  ["1234", 2023, "效益指标", "社会效益指标", "受益率", 50, "≥90%", 85.5, "%", 47.5]],
                 {"G2": "0%", "H2": "0.00%", "H3": '0.0"%"'})
    book.active["A2"], book.active["A3"] = 1234, 1234
    book.active["A2"].number_format = book.active["A3"].number_format = "000000"
    book.save(path := tmp_path / "indicators.xlsx")
    indicators = pe.load_indicators(path)
    assert indicators["unit_code"].tolist() == ["001234", "001234"]          # leading zeros kept
    assert indicators["target"].round(6).tolist() == [0.95, 0.9]
    assert indicators["actual"].round(6).tolist() == [0.9557, 0.855]         # not 95.57 % of a fraction, not 8550 %
    assert indicators["actual_text"].tolist() == ["95.57%", "85.5%"]


def test_a_general_fraction_in_a_percent_row_is_read_as_fits_the_row_with_a_warning(tmp_path):
    book = _book([HEADER, ["A", 2023, "满意度指标", "满意度", "群众满意度", 100, "≥90%", 0.92, "%", 100],
                  ["B", 2023, "满意度指标", "满意度", "群众满意度", 100, 0.9, 0.92, "%", 100]])
    book.save(path := tmp_path / "indicators.xlsx")
    loaded = pe.read_table(path)
    assert loaded.frame["actual"].round(6).tolist() == [0.92]               # 0.92 beside ≥90 % is 92 %
    (warning,) = [i for i in loaded.issues if i.code == "percent_read_as_fraction"]
    assert (warning.row, warning.column, warning.value) == (2, "实际完成值", "0.92") and "92%" in warning.message
    assert [(e.code, e.row, e.column) for e in loaded.errors] == [          # both bare: nothing to read them by
        ("mixed_percent_scale", 3, "年度指标值"), ("mixed_percent_scale", 3, "实际完成值")]


def test_hidden_sheet_is_not_read_and_said(tmp_path):
    book = _book([["单位编码", "年度", "支出类别", "全年预算数", "全年执行数"], ["H01", 2023, "基本支出", 300, 180]],
                 name="9月旧版")
    book.active.sheet_state = "hidden"
    visible = book.create_sheet("预算执行")
    for row in (["单位编码", "年度", "支出类别", "全年预算数", "全年执行数"], ["H01", 2023, "基本支出", 312.45, 298.6]):
        visible.append(row)
    book.save(path := tmp_path / "budget.xlsx")
    loaded = pe.read_table(path)
    assert loaded.frame[["budget_final", "executed"]].values.tolist() == [[312.45, 298.6]]
    (note,) = [i for i in loaded.issues if i.code == "hidden_sheet"]
    assert note.severity == "warning" and note.sheet == "9月旧版"
    book.active = 1
    book.worksheets[0].sheet_state = "veryHidden"
    book.save(path)
    assert [i.sheet for i in pe.read_table(path).issues if i.code == "hidden_sheet"] == ["9月旧版"]


def test_every_sheet_hidden_is_an_error_that_says_so(tmp_path):
    _book([["单位编码", "年度"], ["H01", 2023]], name="旧版").save(path := tmp_path / "budget.xlsx")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b'state="visible"', b'state="hidden"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    (error,) = pe.read_table(path, "budget").errors
    assert error.code == "unreadable_file" and "隐藏" in error.message


def test_hidden_rows_and_columns_are_not_used_silently(tmp_path):
    book = _book([["单位编码", "年度", "支出类别", "全年预算数", "全年执行数", "说明"],
                  ["H01", 2023, "基本支出", 100, 90, "x"], ["H01", 2023, "项目支出", 999, 1, "旧数"],
                  ["H01", 2023, "其他", 10, 10, "y"]])
    book.active.row_dimensions[3].hidden = True
    book.active.column_dimensions["F"].hidden = True
    book.save(path := tmp_path / "budget.xlsx")
    loaded = pe.read_table(path)
    assert loaded.frame["budget_final"].tolist() == [100.0, 10.0]
    assert loaded.frame["note"].isna().all()
    rows = [i for i in loaded.issues if i.code == "hidden_rows"]
    cols = [i for i in loaded.issues if i.code == "hidden_columns"]
    assert rows[0].row == 3 and "3" in rows[0].message and cols[0].column == "F"


def test_merged_ranges_fill_and_a_blank_outside_them_stays_blank(tmp_path):
    book = _book([HEADER, ["B01", 2023, "产出指标", "数量指标", "次数", 30, "≥10", "12", "次", 30],
                  ["B01", 2023, None, None, "份数", 30, "≥20", "24", "份", 30],
                  ["B01", 2023, None, "质量指标", "合格率", 20, "=100%", "100%", "%", 20],
                  ["B01", 2023, None, None, "按时完成率", 20, "=100%", "80%", "%", 20]])
    for cells in ("C2:C5", "D2:D3"):
        book.active.merge_cells(cells)
    book.save(path := tmp_path / "indicators.xlsx")
    loaded = pe.read_table(path)
    assert loaded.frame["level1"].tolist() == ["产出指标"] * 4
    assert loaded.frame["level2"].tolist() == ["数量指标", "数量指标", "质量指标", None]
    (warning,) = [i for i in loaded.issues if i.code == "blank_not_merged"]
    assert (warning.file, warning.sheet, warning.row, warning.column) == (str(path), "指标", 5, "二级指标")


def test_a_csv_has_no_merges_so_its_blank_cells_are_filled_from_the_row_above(tmp_path):
    (path := tmp_path / "indicators.csv").write_text(
        ",".join(HEADER) + "\nB01,2023,产出指标,数量指标,次数,50,≥10,12,次,50\n,,,,份数,50,≥20,24,份,50\n", encoding="utf-8")
    frame = pe.load_indicators(path)
    assert frame[["unit_code", "level1", "level2"]].values.tolist() == [["B01", "产出指标", "数量指标"]] * 2


def test_old_xls_and_ods_and_xlsm_are_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    rows = [["单位编码", "年度", "支出类别", "全年预算数", "全年执行数"], ["X01", 2023, "基本支出", 120.5, 118.0]]
    book = xlwt.Workbook()
    sheet = book.add_sheet("预算")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "budget.xls"))
    pytest.importorskip("odf")
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(tmp_path / "budget_ods.ods", index=False, engine="odf")
    _book(rows).save(tmp_path / "budget_m.xlsm")
    for name in ("budget.xls", "budget_ods.ods", "budget_m.xlsm"):
        frame = pe.load_budget(tmp_path / name)
        assert frame[["unit_code", "year", "budget_final", "executed"]].values.tolist() == [["X01", 2023, 120.5, 118.0]]


def test_a_form_saved_as_old_xls_is_found_and_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("自评表")
    rows = [["2022年度项目支出绩效自评表", "", "", "", "", ""], ["实施单位", "示例区档案馆", "", "", "", ""],
            ["", "全年预算数", "全年执行数", "分值", "执行率", "得分"], ["年度资金总额", 100, 95, 10, "95%", 9.5],
            ["一级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分"],
            ["产出指标", "档案数字化页数", 90, "≥1000", "1200", 90]]
    sheet.write_merge(0, 0, 0, 5, rows[0][0])
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path := tmp_path / "自评表.xls"))
    assert forms.detect_layout(path) == "mof10"
    form = forms.read_form(path)
    assert form.units["unit_name"].tolist() == ["示例区档案馆"] and not form.errors
    assert form.indicators.set_index("indicator")["weight"].to_dict() == {"档案数字化页数": 90.0, "预算执行率": 10.0}


def test_wps_et_that_calamine_cannot_read_says_save_as_xlsx(tmp_path):
    (path := tmp_path / "自评表.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    loaded = pe.read_table(path, "budget")
    (error,) = loaded.errors
    assert error.code == "unreadable_file" and ".et" in error.message and "另存为" in error.expected


def test_an_xlsx_renamed_xls_says_what_it_is(tmp_path):
    _book([["单位编码", "年度"]]).save(tmp_path / "x.xlsx")
    (tmp_path / "x.xls").write_bytes((tmp_path / "x.xlsx").read_bytes())
    (error,) = pe.read_table(tmp_path / "x.xls", "budget").errors
    assert "读取" in error.message or ".xlsx" in error.message


def test_a_date_formatted_month_is_its_month_number_and_its_year_is_checked(tmp_path):
    book = _book([["单位编码", "年度", "月份", "累计支出"], ["S01", 2023, dt.datetime(2023, 3, 1), 10],
                  ["S01", 2023, dt.datetime(2022, 4, 1), 20], ["S01", 2023, 5, 30]])
    book.active["C2"].number_format = book.active["C3"].number_format = "m月"
    book.save(path := tmp_path / "spending.xlsx")
    loaded = pe.read_table(path)
    assert loaded.frame["month"].tolist() == [3, 4, 5] and not loaded.errors
    (warning,) = [i for i in loaded.issues if i.code == "month_date_year"]
    assert (warning.row, warning.value) == (3, "2022-04-01")


def test_empty_and_instruction_sheets_beside_a_form_are_skipped(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["填表说明：请按财政局要求填写（200字以内）"])
    book.create_sheet("Sheet2")                                   # empty
    form = book.create_sheet("自评表")
    for line in (["2023年度部门整体支出绩效自评表"], ["单位名称", "示例区档案馆"],
                 ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分"],
                 ["产出指标", "数量指标", "档案数字化页数", 100, "≥1000", 900, 90]):
        form.append(line)
    book.save(path := tmp_path / "自评表.xlsx")
    read = forms.read_form(path)
    assert read.sheets == ["自评表"] and not read.errors
    assert read.indicators[["indicator", "weight", "claimed_score"]].values.tolist() == [["档案数字化页数", 100.0, 90.0]]


def test_a_hidden_row_of_a_form_is_not_read_and_said(tmp_path):
    book = openpyxl.Workbook()
    for line in (["2023年度部门整体支出绩效自评表"], ["单位名称", "示例区档案馆"],
                 ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分"],
                 ["产出指标", "数量指标", "档案数字化页数", 50, "≥1000", 900, 45],
                 ["产出指标", "数量指标", "旧指标（已删）", 50, "≥1", 1, 50],
                 ["产出指标", "质量指标", "数字化合格率", 50, "≥95%", "99%", 50]):
        book.active.append(line)
    book.active.row_dimensions[5].hidden = True
    book.save(path := tmp_path / "自评表.xlsx")
    read = forms.read_form(path)
    assert read.indicators["indicator"].tolist() == ["档案数字化页数", "数字化合格率"]
    (note,) = [i for i in read.issues if i.code == "hidden_rows"]
    assert note.row == 5 and note.severity == "warning"

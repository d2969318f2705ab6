"""A workbook is read once: the safety pass that measures every part also reads the number formats,
hidden sheets, rows and columns (rules.md §2c); calamine parses the cells once; nothing inflates or
opens a sheet a second time — in ``read_file`` and in ``load_folder``. Every workbook here is invented
and built by the test."""
from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from perfeval_lib.core import isolation
from perfeval_lib.ingest import filecheck, readers, xlsxmeta, xlsxscan
from perfeval_lib.ingest.folder import load_folder
from perfeval_lib.ingest.forms import blocks, detect_layout, layout_of_sheets
from perfeval_lib.ingest.readers import read_file
from perfeval_lib.ingest.xlsxmeta import SheetMetaReader

from ..kits import hostile
from ..kits.forms import FIXTURE_FORMS, GZ, build
from ..kits.paths import FIXTURES, RAW

SHEET1, SHEET2, STYLES = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"


class Reads:
    """What the readers open, in this process: the children run inline (as in a child), so every call is seen."""

    def __init__(self, monkeypatch):
        self.inflated: list[tuple] = []  # (workbook, zip member) inflated by the safety pass, whole
        self.opened: list[str] = []      # zip members opened through zipfile (a second inflate)
        self.calamine: list[str] = []    # workbooks calamine opened
        monkeypatch.setattr(isolation, "_IN_CHILD", True)
        filecheck.forget_checks()
        real_inflate, real_open = xlsxscan.inflate, zipfile.ZipFile.open

        def inflate(handle, member, budget, name):
            self.inflated.append((Path(name).name, member.filename))
            return real_inflate(handle, member, budget, name)

        def open_member(archive, member, *args, **kwargs):
            self.opened.append(getattr(member, "filename", member))
            return real_open(archive, member, *args, **kwargs)

        monkeypatch.setattr(xlsxscan, "inflate", inflate)
        monkeypatch.setattr(zipfile.ZipFile, "open", open_member)
        for module in (readers, blocks):
            monkeypatch.setattr(module, "CalamineWorkbook", _Calamine(module.CalamineWorkbook, self.calamine))

    def sheets_opened(self) -> list[str]:
        return [name for name in self.opened if name.startswith("xl/worksheets/")]

    def times_inflated(self, member: str) -> dict[str, int]:
        return {book: self.inflated.count((book, member)) for book, name in self.inflated if name == member}


class _Calamine:
    def __init__(self, real, calls):
        self.real, self.calls = real, calls

    def from_path(self, path):
        self.calls.append(Path(path).name)
        return self.real.from_path(path)


def _formatted_budget(path: Path) -> Path:
    """Codes formatted 000000, rates 0.00% and 0.0"%", a hidden row and column, a merge, a hidden sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算执行"
    for row in [["单位编码", "年度", "支出类别", "全年预算数", "全年执行数", "执行率", "说明"],
                [12, 2023, "基本支出", 100, 95.57, 0.9557, "x"], [12, 2023, "项目支出", 999, 1, 0.001, "旧数"],
                [12, 2023, "其他", 10, 8.55, 85.5, "y"], ["合计", None, None, 1109, 105.12, None, None]]:
        sheet.append(row)
    for row in (2, 3, 4):
        sheet[f"A{row}"].number_format = "000000"
    sheet["F2"].number_format = sheet["F3"].number_format = "0.00%"
    sheet["F4"].number_format = '0.0"%"'
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["G"].hidden = True
    sheet.merge_cells("A5:C5")
    old = book.create_sheet("旧版")
    old.append(["单位编码", "全年预算数"])
    old.sheet_state = "hidden"
    book.save(path)
    return path


def _values(cells) -> list[list]:
    return [[None if isinstance(v, float) and math.isnan(v) else v for v in row] for row in cells.values.tolist()]


def test_formats_hidden_cells_and_merges_come_from_the_one_pass(tmp_path, monkeypatch):
    path = _formatted_budget(tmp_path / "budget.xlsx")
    reads = Reads(monkeypatch)
    (sheet,) = read_file(path)
    assert _values(sheet.cells) == [
        ["单位编码", "年度", "支出类别", "全年预算数", "全年执行数", "执行率", None],
        ["000012", 2023.0, "基本支出", 100.0, 95.57, "95.57%", None],      # leading zeros, 0.9557 shown 95.57 %
        [None] * 7,                                                          # the hidden row
        ["000012", 2023.0, "其他", 10.0, 8.55, "85.5%", None],              # 85.5 with a literal %
        ["合计", None, None, 1109.0, 105.12, None, None]]                    # column G hidden
    assert sheet.merged == [(4, 0, 4, 2)]
    assert [(n.code, n.sheet, n.row, n.column) for n in sheet.notes] == [
        ("hidden_sheet", "旧版", None, None), ("hidden_rows", "预算执行", 3, None),
        ("hidden_columns", "预算执行", None, "G")]
    assert [reads.times_inflated(part) for part in (SHEET1, SHEET2, STYLES)] == [{"budget.xlsx": 1}] * 3
    assert reads.sheets_opened() == [] and STYLES not in reads.opened      # never inflated a second time
    assert reads.calamine == ["budget.xlsx"]


def test_the_metadata_survives_the_child_process(tmp_path):
    filecheck.forget_checks()
    (sheet,) = read_file(_formatted_budget(tmp_path / "budget.xlsx"))   # checked here, parsed in a child
    assert sheet.cells.iloc[1].tolist()[:6] == ["000012", 2023.0, "基本支出", 100.0, 95.57, "95.57%"]
    assert sheet.cells.iloc[2].isna().all() and sheet.cells[6].isna().all()


STYLES_XML = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2">'
              '<numFmt numFmtId="164" formatCode="000000"/><numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/>'
              '</numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="10"/><xf numFmtId="164"/>'
              '<xf numFmtId="165"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="10" formatCode="0"/></dxf></dxfs>'
              '</styleSheet>')


def _styled_sheet(cells: str, rows: str = "") -> str:
    return (hostile._SHEET_HEAD + hostile.budget_rows_xml([]) + f'<row r="2">{cells}</row>' + rows
            + "</sheetData></worksheet>")


@pytest.mark.parametrize("cells", [
    '<c r="A2" s="2"><v>12</v></c><c r="E2" s="1"><v>0.9557</v></c><c r="F2" s="3"><v>85.5</v></c>',
    '<c r="A2" t="n" s="2"><v>12</v></c><c r="E2" t="n" s="1"><v>0.9557</v></c><c r="F2" t="n" s="3"><v>85.5</v></c>',
    '<c s="2" r="A2"><v>12</v></c><c t="n" s="1" r="E2"><v>0.9557</v></c><c s="3" t="n" r="F2"><v>85.5</v></c>',
], ids=["style after the reference", "style after another attribute", "style before the reference"])
def test_a_cells_format_is_found_wherever_its_style_attribute_sits(tmp_path, cells):
    path = hostile.write_workbook(tmp_path / "budget.xlsx", _styled_sheet(cells), extra={STYLES: STYLES_XML})
    (sheet,) = read_file(path)
    assert sheet.cells.iloc[1, [0, 4, 5]].tolist() == ["000012", "95.57%", "85.5%"]


def test_formats_and_hidden_rows_across_the_pieces_of_a_long_sheet(tmp_path):
    rows = 40_000   # 3 MB of XML: read in several pieces, cut between elements
    hidden = {r: ' hidden="1"' if r % 5000 == 0 else "" for r in range(2, rows + 2)}
    body = "".join(f'<row r="{r}"{hidden[r]}><c r="A{r}" s="2"><v>{r}</v></c><c r="B{r}"><v>2023</v></c>'
                   f'<c r="E{r}" s="1"><v>0.5</v></c></row>' for r in range(2, rows + 2))
    path = hostile.write_workbook(tmp_path / "budget.xlsx", hostile._SHEET_HEAD + hostile.budget_rows_xml([]) + body
                                  + "</sheetData></worksheet>", extra={STYLES: STYLES_XML})
    filecheck.forget_checks()
    meta = filecheck.workbook_meta(path)["预算执行情况"]
    assert meta.hidden_rows.tolist() == [r - 1 for r in range(5000, rows + 2, 5000)]
    assert {kind: len(cells) for kind, cells in meta.formats.items()} == {("zero_pad", 6): rows, ("percent", 0): rows}
    (sheet,) = read_file(path)
    codes, rates = sheet.cells[0].tolist()[1:], sheet.cells[4].tolist()[1:]
    shown = [r for r in range(2, rows + 2) if r % 5000]
    assert [c for c in codes if isinstance(c, str)] == [f"{r:06d}" for r in shown]
    assert [r for r in rates if isinstance(r, str)] == ["50%"] * len(shown)


def test_a_styles_part_that_cannot_be_parsed_is_said_and_the_cells_read_as_stored(tmp_path):
    bad = '<!DOCTYPE s [<!ENTITY x "0%">]><styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="10"/></cellXfs></styleSheet>'
    path = hostile.write_workbook(tmp_path / "budget.xlsx", _styled_sheet('<c r="E2" s="1"><v>0.9557</v></c>'),
                                  extra={STYLES: bad})
    (sheet,) = read_file(path)
    assert sheet.cells.iloc[1, 4] == 0.9557
    (note,) = [n for n in sheet.notes if n.code == "unreadable_styles"]
    assert note.severity == "warning" and "xl/styles.xml" in note.message and "DTD" in note.value


@pytest.mark.parametrize("plain", [True, False], ids=["plain cells", "cells tag by tag"])
def test_many_meaningful_styles_are_matched_without_a_pattern_per_style(plain):
    styles = {n: ("percent", 0) for n in range(1, 60)}       # more than FEW_STYLES: every styled cell matched
    reader = SheetMetaReader("预算", "visible", styles)
    reader.feed(b'<sheetData><row r="1"><c r="A1" s="59"><v>0.5</v></c><c r="B1" s="0"><v>1</v></c>'
                b'<c r="C1" t="n" s="7"><v>0.25</v></c><c r="D1" s="60"><v>2</v></c></row></sheetData>', plain=plain)
    assert reader.finish().cell_formats() == {(0, 0): ("percent", 0), (0, 2): ("percent", 0)}


@pytest.mark.parametrize("cap, value, styles, error", [
    ("MAX_STYLES", 3, '<styleSheet><cellXfs><xf numFmtId="10"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="10"/>'
                   "</cellXfs></styleSheet>", "more than 3 cell styles"),
    ("MAX_STYLE_TAG", 100, '<styleSheet><cellXfs><xf numFmtId="10"/><xf numFmtId="9" x="' + "y" * 200 + '"/>'
                           "</cellXfs></styleSheet>", "a tag longer than 100 bytes"),
])
def test_a_styles_part_no_program_writes_is_read_only_up_to_the_cap(monkeypatch, cap, value, styles, error):
    monkeypatch.setattr(xlsxmeta, cap, value)
    notes = []
    chunks = [styles[i:i + 30].encode() for i in range(0, len(styles), 30)]
    found = xlsxmeta.number_styles(chunks, "budget.xlsx", notes)
    assert set(found) <= {0, 1, 2} and found.get(0) == ("percent", 0)
    (note,) = notes
    assert note.code == "unreadable_styles" and error in note.value


def test_hidden_column_ranges_are_clipped_to_excel_and_inverted_ones_ignored():
    reader = SheetMetaReader("预算", "visible", {})
    reader.feed(b'<worksheet><cols><col min="3" max="2" hidden="1"/><col min="16383" max="99999999" hidden="1"/>'
                b'<col min="2" max="2" hidden="0"/><col min="5" max="6" hidden="true"/></cols><sheetData>', plain=True)
    reader.feed(b'<col min="1" max="1" hidden="1"/><row r="1"><c r="A1"><v>1</v></c></row></sheetData>', plain=True)
    assert reader.finish().hidden_cols.tolist() == [4, 5, 16382, 16383]


FORM_FILES = sorted(FIXTURE_FORMS)


@pytest.mark.parametrize("name", FORM_FILES)
def test_a_form_is_told_from_its_sheets_as_from_its_file(tmp_path, name):
    path = build(name, tmp_path)
    assert layout_of_sheets(read_file(path)) == detect_layout(path) == FIXTURE_FORMS[name][2]


@pytest.mark.parametrize("path", sorted((FIXTURES / "real_forms").glob("*.xlsx")) + [
    RAW / "demo/indicators_2023.xlsx", RAW / "demo/budget_2023.xlsx", RAW / "demo/spending.xlsx"],
    ids=lambda p: p.name)
def test_real_forms_and_plain_tables_are_told_apart_alike(path):
    assert layout_of_sheets(read_file(path)) == detect_layout(path)


def test_load_folder_opens_each_workbook_once(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text(f"单位编码,单位名称\n{GZ['code']},{GZ['name']}\nB01,示例区预算单位\n", encoding="utf-8")
    hostile.good_budget_workbook(raw / "budget.xlsx", "B01")
    form = build("guangzhou", raw)
    reads = Reads(monkeypatch)
    tables = load_folder(raw)
    assert tables["budget"].frame["unit_code"].tolist().count("B01") == 1
    assert set(tables["indicators"].frame["unit_code"]) == {GZ["code"]}
    assert sorted(reads.calamine) == sorted(["budget.xlsx", form.name])          # one parse each
    assert reads.times_inflated(SHEET1) == {"budget.xlsx": 1, form.name: 1}       # one safety pass each
    assert reads.sheets_opened() == []                                             # no second look at a sheet


def test_load_folder_reads_old_xls_and_ods_workbooks(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text("单位编码,单位名称\nX01,示例区单位一\nX02,示例区单位二\n", encoding="utf-8")
    header = ["单位编码", "年度", "支出类别", "全年预算数", "全年执行数"]
    book = xlwt.Workbook()
    sheet = book.add_sheet("预算")
    for r, row in enumerate([header, ["X01", 2023, "基本支出", 120.5, 118.0]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(raw / "budget_x01.xls"))
    pytest.importorskip("odf")
    pd.DataFrame([["X02", 2023, "基本支出", 80.0, 79.5]], columns=header).to_excel(raw / "budget_x02.ods", index=False,
                                                                                engine="odf")
    tables = load_folder(raw)
    assert sorted(tables["budget"].frame[["unit_code", "budget_final"]].values.tolist()) == [["X01", 120.5],
                                                                                           ["X02", 80.0]]
    assert not [i for i in tables["units"].issues if i.code == "unreadable_file"]

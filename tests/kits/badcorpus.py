"""The bad-input corpus: each case is a folder of raw files and the messages a user must see.

Text cases live in tests/fixtures/bad/; binary ones are built here (workbooks, encodings, a 10 MB note).
"""
from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from .paths import FIXTURES

BAD = FIXTURES / "bad"
BUDGET_HEADER = ["单位编码", "年度", "支出类别", "资金来源", "全年预算数（万元）", "全年执行数（万元）"]


@dataclass
class Case:
    name: str
    build: object  # callable(folder) -> None
    expect: list[str]  # substrings of the printed messages, in any order
    exit_code: int = 1
    env: dict = field(default_factory=dict)


def copy(*names):
    def build(folder: Path) -> None:
        for name in names:
            source = BAD / name
            if source.is_dir():
                shutil.copytree(source, folder, dirs_exist_ok=True)
            else:
                shutil.copy(source, folder / name)
    return build


def _budget_workbook(rows, sheet="预算执行情况") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(BUDGET_HEADER)
    for row in rows:
        ws.append(row)
    return book


def _save(book, path: Path) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def truncated_xlsx(folder: Path) -> None:
    data = _save(_budget_workbook([["A01", 2022, "基本支出", "财政拨款", 10, 9]]), folder / "budget_t.xlsx")
    (folder / "budget_t.xlsx").write_bytes(data[: len(data) // 2])


def garbage_xlsx(folder: Path) -> None:
    (folder / "budget_g.xlsx").write_bytes(b"this is not a workbook at all\n" * 50)


def xls_renamed(folder: Path) -> None:
    # the OLE2 compound-document signature that .xls and WPS .et files start with
    (folder / "budget_old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


def et_renamed(folder: Path) -> None:
    (folder / "budget_wps.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 4090)


def encrypted_xlsx(folder: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    _budget_workbook([["A01", 2022, "基本支出", "财政拨款", 10, 9]]).save(plain)
    plain.seek(0)
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("密码123", encrypted)
    (folder / "budget_locked.xlsx").write_bytes(encrypted.getvalue())


def wrong_sheet(folder: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按模板填写"])
    other = book.create_sheet("Sheet2")
    other.append(["序号", "内容"])
    other.append([1, "无关数据"])
    _save(book, folder / "budget_sheets.xlsx")


def formula_without_value(folder: Path) -> None:
    book = _budget_workbook([["A01", 2022, "基本支出", "财政拨款", 100, "=E2*0.9"],
                             ["A02", 2022, "基本支出", "财政拨款", 50, 45]])
    _save(book, folder / "budget_formula.xlsx")


def excel_error_value(folder: Path) -> None:
    book = _budget_workbook([["A01", 2022, "基本支出", "财政拨款", "#DIV/0!", 9], ["A02", 2022, "基本支出", "财政拨款", 5, 4]])
    book.active["E2"].data_type = "e"
    _save(book, folder / "budget_error.xlsx")


def formula_with_cached_value(folder: Path) -> None:
    """A workbook saved by Excel keeps each formula's result: perfeval uses that value, never evaluates."""
    path = folder / "budget_cached.xlsx"
    _save(_budget_workbook([["A01", 2022, "基本支出", "财政拨款", 100, 90]]), path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b'<c r="F2" t="n"><v>90</v></c>',
                                                        b'<c r="F2"><f>E2*0.9</f><v>90</v></c>')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def gbk_with_utf8_bom(folder: Path) -> None:
    text = ",".join(BUDGET_HEADER) + "\nA01,2022,基本支出,财政拨款,10,9\n"
    (folder / "budget_bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))


def utf8_saved_as_gbk_mojibake(folder: Path) -> None:
    text = ",".join(BUDGET_HEADER) + "\nA01,2022,基本支出,财政拨款,10,9\n"
    mojibake = text.encode("utf-8").decode("gb18030", errors="replace")
    (folder / "budget_mojibake.csv").write_bytes(mojibake.encode("utf-8"))


def undecodable_csv(folder: Path) -> None:
    (folder / "budget_utf16.csv").write_bytes((",".join(BUDGET_HEADER) + "\n").encode("utf-16"))


def huge_note(folder: Path) -> None:
    note = "很长的说明" * (2 * 1024 * 1024)  # 10 M characters
    (folder / "budget_note.csv").write_text(
        "单位编码,年度,支出类别,全年预算数,全年执行数,说明\n"
        f"A01,2022,基本支出,10,9,{note}\nA02,2022,基本支出,10,9,短说明\n", encoding="utf-8")


def too_large(folder: Path) -> None:
    rows = "".join(f"A{i:04d},2022,基本支出,财政拨款,10,9\n" for i in range(3000))
    (folder / "budget_big.csv").write_text(",".join(BUDGET_HEADER) + "\n" + rows, encoding="utf-8")


CASES = [
    Case("text where money is expected", copy("budget_text_in_money.csv"),
         ["budget_text_in_money.csv 第2行 列「全年预算数（万元）」 值「约五百万」: 全年预算数不是有效的值",
          "应为 expected: 数字 / a number"]),
    Case("negative budget", copy("budget_negative.csv"),
         ["budget_negative.csv 第2行 列「全年预算数」 值「-20.0」: 不能为负数 / must not be negative；应为 expected: ≥ 0"]),
    Case("NaN, inf and 1e308", copy("budget_nan_inf_huge.csv"),
         ["budget_nan_inf_huge.csv 第2行 列「全年预算数」 值「nan」: 必填项为空",
          "budget_nan_inf_huge.csv 第3行 列「全年预算数（万元）」 值「inf」: 全年预算数不是有效的值",
          "budget_nan_inf_huge.csv 第4行 列「全年预算数（万元）」 值「1e308」: 全年预算数不是有效的值",
          "有限数字"]),
    Case("a date in a number column", copy("budget_date_in_money.csv"),
         ["budget_date_in_money.csv 第2行 列「全年预算数（万元）」 值「2022-01-05」: 全年预算数不是有效的值"]),
    Case("duplicate units", copy("units_duplicate.csv"),
         ["units_duplicate.csv 第2行 列「单位编码」 值「A01」: 重复的记录（主键重复）",
          "units_duplicate.csv 第3行 列「单位编码」 值「A01」: 重复的记录"]),
    Case("unit codes with path characters", copy("units_path_characters.csv"),
         ["units_path_characters.csv 第2行 列「单位编码」 值「../etc」: 单位编码含有不允许的字符",
          "units_path_characters.csv 第3行 列「单位编码」 值「A/B」",
          "units_path_characters.csv 第4行 列「单位编码」 值「A\\B」"]),
    Case("unit code with a NUL byte", lambda f: (f / "units_nul.csv").write_bytes(
        "单位编码,单位名称\nA\x0001,甲\nA02,乙\n".encode()),
         ["units_nul.csv 第2行 列「单位编码」", "单位编码含有不允许的字符"]),
    Case("unknown ruleset", copy("units_unknown_ruleset.csv"),
         ["units_unknown_ruleset.csv 第2行 列「评价体系」 值「mof-2099」: 没有这个评分规则集",
          "应为 expected: params/rulesets/ 中的规则集名称"]),
    Case("missing required column", copy("claims_missing_column.csv"),
         ["claims_missing_column.csv 第1行: 缺少必需的列：自评总分 / missing required column(s): claimed_score"]),
    Case("grade word and score out of range", copy("claims_bad_grade_and_range.csv"),
         ["claims_bad_grade_and_range.csv 第2行 列「自评等级」 值「特优」: 等级不是优/良/中/差",
          "claims_bad_grade_and_range.csv 第3行 列「自评总分」 值「101.0」: 得分超出范围"]),
    Case("duplicated columns", copy("indicators_duplicated_columns.csv"),
         ["indicators_duplicated_columns.csv 第1行 列「权重」: 列重复：「分值」与「权重」都表示 weight"]),
    Case("percent as 0.95 in one row and 95% in another", copy("indicators_percent_mixed.csv"),
         ["indicators_percent_mixed.csv 第2行 列「实际完成值」 值「0.95」: 计量单位为 %，「0.95」按小数读作 95%（与同行的 90% 相符）",
          "写成带 % 的值"], exit_code=0),
    Case("weight over 100", copy("indicators_weight_over_100.csv"),
         ["indicators_weight_over_100.csv 第2行 列「分值」 值「150.0」: 分值超出范围"]),
    Case("month 13", copy("spending_month_13.csv"),
         ["spending_month_13.csv 第2行 列「月份」 值「13」: 月份超出范围"]),
    Case("header row not in the first lines", copy("budget_header_too_low.csv"),
         ["budget_header_too_low.csv 第1行: 找不到预算执行表的表头", "前15行中有一行表头"]),
    Case("empty file", copy("budget_empty.csv"), ["budget_empty.csv: 文件是空的 / the file is empty"]),
    Case("header only", copy("budget_header_only.csv"),     # no row read: nothing written, exit 1
         ["budget_header_only.csv 第1行: 只有表头，没有数据行", "没有从"], exit_code=1),
    Case("zero-width and right-to-left characters", copy("units_invisible_characters.csv"),
         ["units_invisible_characters.csv 第2行 列「单位编码」", "含有不可见字符（零宽或改变文字方向的字符），已删除"], exit_code=0),
    Case("a file that is no table we know", copy("notes_unknown_table.csv"),
         ["notes_unknown_table.csv: 无法判断这是哪张表"]),
    Case("narrative file that is not YAML, and an unknown section", copy("narratives_bad"),
         ["narratives/A01/2022.yaml: 不是有效的 YAML", "narratives/A01/2023.yaml 列「口号」: 未知栏目「口号」，已忽略"]),
    Case("truncated workbook", truncated_xlsx, ["budget_t.xlsx: 工作簿文件已损坏或不完整", "重新导出或重新下载该文件"]),
    Case("corrupt workbook", garbage_xlsx, ["budget_g.xlsx: 不是 Excel 工作簿"]),
    Case(".xls renamed .xlsx", xls_renamed, ["budget_old.xlsx: 这是旧版 Excel .xls 或 WPS .et 文件，扩展名却是 .xlsx",
                                           "另存为” .xlsx"]),
    Case(".et renamed .xlsx", et_renamed, ["budget_wps.xlsx: 这是旧版 Excel .xls 或 WPS .et 文件"]),
    Case("encrypted workbook", encrypted_xlsx, ["budget_locked.xlsx: 工作簿设置了打开密码（已加密），无法读取",
                                               "去掉打开密码后另存为 .xlsx"]),
    Case("wrong or missing sheet", wrong_sheet, ["budget_sheets.xlsx [填表说明] 第1行: 找不到预算执行表的表头"]),
    Case("formula with no cached value", formula_without_value,
         ["budget_formula.xlsx [预算执行情况] 第2行 列「全年执行数（万元）」 值「=E2*0.9」: "
          "公式没有计算结果（perfeval 不计算公式）", "在 Excel/WPS 中打开并保存"]),
    Case("formula with a cached value is read as its value", formula_with_cached_value, ["读取 1 个文件"], exit_code=0),
    Case("Excel error value", excel_error_value,
         ["budget_error.xlsx [预算执行情况] 第2行 列「全年预算数（万元）」 值「#DIV/0!」: 单元格是 Excel 错误值"]),
    Case("GBK bytes behind a UTF-8 BOM", gbk_with_utf8_bom,
         ["budget_bom.csv: 文件开头标明是 UTF-8（带 BOM）", "整个文件统一另存为 UTF-8 或 GBK"]),
    Case("UTF-8 text saved again as if it were GBK", utf8_saved_as_gbk_mojibake,
         ["budget_mojibake.csv 第1行: 表头是乱码：UTF-8 文字曾被当作 GBK 打开后再保存"]),
    Case("an encoding that is neither UTF-8 nor GBK", undecodable_csv, ["budget_utf16.csv: 文件编码无法识别"]),
    Case("a 10 MB note", huge_note,
         ["budget_note.csv 第2行 列「说明」", "单元格内容过长（10485760 个字符，上限 20000）", "PERFEVAL_MAX_CELL_CHARS"]),
    Case("a file over the size limit", too_large, ["budget_big.csv 值「0.1 MB」: 文件超过大小上限 0 MB", "PERFEVAL_MAX_INPUT_MB"],
         env={"PERFEVAL_MAX_INPUT_MB": "0.05"}),
]

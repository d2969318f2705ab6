"""Workbooks that are small on disk and huge inside: each is one file's message, and every other file still loads.

The bombs are built at test time (tests/kits/hostile.py) and run through `perfeval ingest` in a
subprocess with a 4 GB address-space limit and a timeout, so a reader that aborts or runs away fails
the test instead of the test session.
"""
from __future__ import annotations

import os
import shutil
import time

import pandas as pd
import pytest

from perfeval_lib.core.errors import InputError
from perfeval_lib.ingest import filecheck, readers, xlsxscan
from perfeval_lib.ingest.folder import load_folder

from ..kits import hostile
from ..kits.paths import FIXTURES, SHARED, sha256_tree

UNITS = "单位编码,单位名称\nG01,示例区正常单位\nB01,示例区炸弹单位\n"


def _project(tmp_path, build) -> "Path":  # noqa: F821
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text(UNITS, encoding="utf-8")
    hostile.good_budget_workbook(raw / "budget_good.xlsx", "G01")
    build(raw / "budget_bomb.xlsx")
    return raw


BOMBS = [
    ("one shared string used by 20,000 cells (1.1 GB of text)", hostile.shared_string_bomb, {},
     ["budget_bomb.xlsx [预算执行情况]", "单元格引用的共享字符串展开后超过 200 MB", "PERFEVAL_MAX_INFLATED_MB"]),
    ("3.5 GB of XML whitespace in a 3.6 MB file (a valid zip)",
     lambda p: hostile.filler_bomb(p, b" ", 3500), {},
     ["budget_bomb.xlsx 值「xl/worksheets/sheet1.xml」: 解压后超过 200 MB 上限", "PERFEVAL_MAX_INFLATED_MB"]),
    ("1 GB of XML comments (a valid zip)", lambda p: hostile.filler_bomb(p, hostile.COMMENT, 1000), {},
     ["budget_bomb.xlsx 值「xl/worksheets/sheet1.xml」: 解压后超过 200 MB 上限"]),
    ("a part that declares 2 KB and inflates to 3 MB", lambda p: hostile.filler_bomb(p, b" ", 3, 2048), {},
     ["budget_bomb.xlsx: 工作簿文件已损坏或不完整", "声明 2048 字节，实际解压出 3146"]),
    ("one merged range over the whole sheet", hostile.merged_bomb, {},
     ["budget_bomb.xlsx [预算执行情况] 值「17,179,836,416」: 合并单元格的总面积超过 10,000,000", "PERFEVAL_MAX_SHEET_CELLS"]),
    ("more parts than the cap", lambda p: hostile.many_parts_workbook(p, 60), {"PERFEVAL_MAX_ZIP_PARTS": "50"},
     ["budget_bomb.xlsx 值「66」: 压缩包中的部件过多（上限 50）"]),
    ("a used range that is not a few stray cells", lambda p: hostile.write_workbook(
        p, hostile._SHEET_HEAD + hostile.budget_rows_xml([["B01", 2023, "基本支出", "财政拨款", 1, 1]])
        + "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(5000, 5100))
        + "</sheetData></worksheet>"), {},
     ["budget_bomb.xlsx [预算执行情况] 值「A1:XFD5099」: 工作表的使用范围 A1:XFD5099 不合理：表格外远处有 100 个有内容的单元格"]),
    ("a used range no few cells explain", lambda p: hostile.write_workbook(
        p, hostile._SHEET_HEAD + "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="Z{r}"><v>1</v></c></row>'
                                         for r in range(1, 400_001, 1000)) + "</sheetData></worksheet>"), {},
     ["budget_bomb.xlsx [预算执行情况] 值「A1:Z399001」: 工作表的使用范围 A1:Z399001 不合理", "PERFEVAL_MAX_SHEET_CELLS"]),
]


@pytest.mark.parametrize("build, env, expected", [b[1:] for b in BOMBS], ids=[b[0] for b in BOMBS])
def test_a_bomb_is_that_files_message_and_every_other_file_loads(tmp_path, build, env, expected):
    raw = _project(tmp_path, build)
    before = sha256_tree(raw)
    started = time.perf_counter()
    done = hostile.run_capped(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")], tmp_path, env)
    printed = done.stdout + done.stderr
    assert done.returncode == 1, printed[-3000:]                      # data errors, not a crash (-6) or a bug (3)
    assert "Traceback" not in printed
    for text in expected:
        assert text in printed, f"missing: {text}\n{printed[-3000:]}"
    budget = pd.read_parquet(tmp_path / "out" / "budget.parquet")
    assert budget[["unit_code", "budget_final", "executed"]].values.tolist() == [["G01", 100.0, 95.0]]
    assert len(pd.read_parquet(tmp_path / "out" / "units.parquet")) == 2
    assert sha256_tree(raw) == before
    print(f"{done.args[-5:]}: {time.perf_counter() - started:.1f} s")  # figures for the record, never asserted


def test_a_stray_cell_at_xfd1048576_is_named_and_the_table_loads(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text("单位编码,单位名称\nS02,示例区地方志办\n", encoding="utf-8")
    hostile.stray_cell_workbook(raw / "budget_S02_2023.xlsx")
    done = hostile.run_capped(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")], tmp_path)
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed[-3000:]
    assert "budget_S02_2023.xlsx [预算执行情况] 第1048576行 列「XFD1048576」 值「' '」: 表格外远处的单元格" in printed
    results = pd.read_parquet(tmp_path / "out" / "results.parquet").set_index("unit_code")
    assert results.loc["S02", "budget_final"] == pytest.approx(122.50)
    assert results.loc["S02", "executed"] == pytest.approx(121.30)
    assert results.loc["S02", "execution_rate"] == pytest.approx(121.30 / 122.50)   # 99.02 %
    findings = pd.read_parquet(tmp_path / "out" / "findings.parquet")
    assert "stray_cell" in set(findings["code"])


@pytest.mark.skipif(not (SHARED / "cases/xlsx/02_stray-cell-xfd1048576/raw").is_dir(), reason="../shared not here")
def test_the_shared_stray_cell_case(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SHARED / "cases/xlsx/02_stray-cell-xfd1048576/raw", raw)
    done = hostile.run_capped(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")], tmp_path)
    assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr
    assert "列「XFD1048576」" in done.stdout
    results = pd.read_parquet(tmp_path / "out" / "results.parquet").set_index("unit_code")
    assert results.loc["S01", ["budget_final", "executed"]].tolist() == pytest.approx([164.30, 160.25])
    assert round(results.loc["S01", "execution_rate"] * 100, 2) == 97.53
    assert results.loc["S02", ["budget_final", "executed"]].tolist() == pytest.approx([122.50, 121.30])
    assert round(results.loc["S02", "execution_rate"] * 100, 2) == 99.02


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "AAAA1", "A0", "A12345678901", "ZZZZZZZZZZZZ1"])
@pytest.mark.parametrize("tag", ['<c r="{}"><v>1</v></c>', '<x:c xmlns:x="urn:x" r="{}"><v>1</v></x:c>'],
                         ids=["plain", "prefixed"])
def test_a_cell_beyond_excel_is_refused_before_any_reader(tmp_path, ref, tag):
    path = hostile.write_workbook(tmp_path / "budget.xlsx", hostile._SHEET_HEAD + hostile.budget_rows_xml([])
                                  + '<row r="2">' + tag.format(ref) + "</row></sheetData></worksheet>")
    with pytest.raises(InputError) as refused:
        filecheck.check_workbook(path, "budget.xlsx")
    assert str(refused.value).startswith("budget.xlsx [预算执行情况]: 单元格位置超出 Excel 的范围")


def test_the_last_cell_excel_allows_is_measured_not_refused(tmp_path, monkeypatch):
    path = hostile.write_workbook(tmp_path / "budget.xlsx", hostile._SHEET_HEAD + hostile.budget_rows_xml([])
                                  + '<row r="2"><c r="XFD2"><v>1</v></c></row><row r="1048576"><c r="A1048576">'
                                  "<v>1</v></c></row></sheetData></worksheet>")
    monkeypatch.setenv("PERFEVAL_MAX_SHEET_CELLS", str(1048576 * 16384))
    (scan,) = xlsxscan.scan_workbook(path, "budget.xlsx").sheets
    assert (scan.last_row, scan.last_column, scan.cells, scan.keep) == (1048576, 16384, 6 + 2, None)


def test_a_reader_that_aborts_is_one_files_message(tmp_path, monkeypatch):
    raw = _project(tmp_path, lambda p: hostile.good_budget_workbook(p, "B01"))
    real = readers.read_workbook

    def aborts_on_the_bomb(path, name):
        if "budget_bomb" in name:
            os.abort()          # what calamine does when an allocation fails
        return real(path, name)

    monkeypatch.setattr(readers, "read_workbook", aborts_on_the_bomb)
    tables = load_folder(raw)
    assert tables["budget"].frame["unit_code"].tolist() == ["G01"]
    errors = [str(i) for i in tables["units"].issues if i.code == "unreadable_file"]
    assert len(errors) == 1 and "budget_bomb.xlsx" in errors[0] and "SIGABRT" in errors[0]


def test_a_reader_that_hangs_is_stopped_after_the_timeout(tmp_path, monkeypatch):
    raw = _project(tmp_path, lambda p: hostile.good_budget_workbook(p, "B01"))
    real = readers.read_workbook

    def hangs_on_the_bomb(path, name):
        if "budget_bomb" in name:
            time.sleep(600)
        return real(path, name)

    monkeypatch.setattr(readers, "read_workbook", hangs_on_the_bomb)
    monkeypatch.setenv("PERFEVAL_PARSE_TIMEOUT", "2")
    tables = load_folder(raw)
    assert tables["budget"].frame["unit_code"].tolist() == ["G01"]
    errors = [str(i) for i in tables["units"].issues if i.code == "unreadable_file"]
    assert len(errors) == 1 and "budget_bomb.xlsx: 解析超过 2 秒，已中止" in errors[0] and "PERFEVAL_PARSE_TIMEOUT" in errors[0]


def test_a_workbook_is_inflated_once_per_run(tmp_path, monkeypatch):
    raw = _project(tmp_path, lambda p: hostile.stray_cell_workbook(p))
    calls = []
    real = xlsxscan.scan_workbook
    monkeypatch.setattr(filecheck, "scan_workbook", lambda path, name: calls.append(name) or real(path, name))
    load_folder(raw)
    assert sorted(os.path.basename(c) for c in calls) == ["budget_bomb.xlsx", "budget_good.xlsx"]  # once each


def test_messages_per_file_are_capped(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = "".join(f"B01,2023,项目支出,项目{i},abc{i},1\n" for i in range(500))
    (raw / "budget.csv").write_text("单位编码,年度,支出类别,项目名称,全年预算数,全年执行数\n" + rows + "B01,2023,基本支出,,5,4\n",
                                    encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_MAX_MESSAGES", "20")
    loaded = load_folder(raw)["budget"]
    assert len(loaded.issues) == 21
    assert loaded.issues[-1].code == "more_messages"
    assert loaded.issues[-1].message == "另有 480 条问题未列出（bad_value 480）/ … and 480 more (bad_value 480)"
    assert loaded.frame["budget_final"].tolist() == [5.0]


def test_perfeval_score_refuses_a_bomb_and_scores_the_form_beside_it(tmp_path):
    """`perfeval score` reads workbooks as ingest does: checked, then parsed once in a child process."""
    form = tmp_path / "form.xlsx"
    shutil.copy(FIXTURES / "real_forms" / "08_yunnan_lijiang_guchengqu_weipian_project_2020.xlsx", form)
    bomb = hostile.filler_bomb(tmp_path / "bomb.xlsx", b" ", 3500)
    before = sha256_tree(tmp_path)
    done = hostile.run_capped(["score", str(bomb), str(form), "--summary", str(tmp_path / "summary.csv")], tmp_path)
    printed = done.stdout + done.stderr
    assert done.returncode == 1, printed[-3000:]                      # data errors, not a crash (-6) or a bug (3)
    assert "Traceback" not in printed and "解压后超过 200 MB 上限" in printed
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert summary.loc[summary["file"].str.endswith("bomb.xlsx"), "status"].tolist() == ["unreadable"]
    scored = summary[summary["file"].str.endswith("form.xlsx")]
    assert len(scored) == 1 and scored["score"].iloc[0] == 100.0      # the 丽江 form: 100, 优 (its fixture test)
    after = sha256_tree(tmp_path)
    assert {name: after[name] for name in before} == before           # the inputs are untouched

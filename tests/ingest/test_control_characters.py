"""Control characters (ESC, BEL, C1) in data: removed on the way in with a warning, never printed raw,
and they break neither `form` nor `draft`."""
from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd

from perfeval_lib.cli import main

from ..kits.hostile import hostile_project

TITLE = "\x1b]0;PWNED\x07"          # retitles the terminal
RED, RESET, CLEAR = "\x1b[31m", "\x1b[0m", "\x1b[2J"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x08")


def _raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text(f"单位编码,单位名称,评价体系\nC01,{TITLE}{RED}示例区档案馆{RESET},mof-2020\n", encoding="utf-8")
    (raw / "budget.csv").write_text("单位编码,年度,支出类别,全年预算数,全年执行数,说明\n"
                                    f"C01,2022,基本支出,100,95,{CLEAR}经费\x08\x08\x08正常\n"
                                    f"C01,2022,项目支出,{RED}50,40,\n", encoding="utf-8")
    (raw / "indicators.csv").write_text(
        "单位编码,年度,一级指标,二级指标,三级指标,指标性质,分值,年度指标值,实际完成值,计量单位,自评得分,偏差原因\n"
        "C01,2022,预算执行率,预算执行率,预算执行率,定量,10,100%,95%,%,10,\n"
        "C01,2022,产出指标,数量指标,培训\x07场次\x9b2J,定量,90,≥8,8,场,90,\x1b[8m隐藏的话\n", encoding="utf-8")
    narratives = raw / "narratives" / "C01"
    narratives.mkdir(parents=True)
    (narratives / "2022.yaml").write_text('概况: "本单位\\e[2J负责档案\\a工作。"\n', encoding="utf-8")
    return raw


def test_controls_are_removed_with_a_warning_and_never_printed_raw(tmp_path, monkeypatch, capsys):
    folders = hostile_project(tmp_path / "project", _raw(tmp_path), monkeypatch)
    assert main(["ingest", "--raw", str(folders["raw"]), "--out", str(folders["processed"])]) == 0
    printed = "".join(capsys.readouterr())
    assert not any(c in printed for c in RAW_CONTROLS)
    assert "含有控制字符（如 ESC、BEL），已删除" in printed
    assert "列「全年预算数」 值「\\x1b[31m50」: 含有控制字符" in printed            # shown escaped, and removed
    units = pd.read_parquet(folders["processed"] / "units.parquet")
    assert units["unit_name"].tolist() == ["示例区档案馆"]
    assert pd.read_parquet(folders["processed"] / "budget.parquet")["budget_final"].sum() == 150.0
    indicators = pd.read_parquet(folders["processed"] / "indicators.parquet")
    assert indicators["indicator"].tolist() == ["预算执行率", "培训场次"]
    assert indicators["note"].tolist()[1] == "隐藏的话"
    narratives = pd.read_parquet(folders["processed"] / "narratives.parquet")
    assert narratives["text"].tolist() == ["本单位负责档案工作。"]
    findings = pd.read_parquet(folders["processed"] / "findings.parquet")
    assert "control_characters" in set(findings["code"])
    for table in ("units", "budget", "indicators", "narratives", "findings"):
        frame = pd.read_parquet(folders["processed"] / f"{table}.parquet")
        text = frame.astype(str).to_csv()
        assert not any(c in text for c in RAW_CONTROLS), table


def test_form_and_draft_work_and_the_terminal_sees_no_raw_control(tmp_path, monkeypatch, capsys):
    folders = hostile_project(tmp_path / "project", _raw(tmp_path), monkeypatch)
    assert main(["form", "--unit", "C01", "--year", "2022", "-o", str(tmp_path / "form.xlsx")]) == 0
    assert main(["draft", "--unit", "C01", "--year", "2022", "-o", str(tmp_path / "draft.docx")]) == 0
    assert main(["results"]) == 0
    printed = "".join(capsys.readouterr())
    assert not any(c in printed for c in RAW_CONTROLS) and "示例区档案馆" in printed
    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "form.xlsx").active.iter_rows() for c in row]
    assert "示例区档案馆" in cells
    with zipfile.ZipFile(tmp_path / "draft.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "示例区档案馆" in body and "本单位负责档案工作。" in body

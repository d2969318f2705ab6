"""No CSV perfeval writes holds a live formula: every CSV output is opened and its formulas counted.

The raw folder (tests/fixtures/hostile/formulas) puts =HYPERLINK(…), =cmd|…, @SUM(…), +… and -… in every
text field a CSV output can carry, and a unit coded =1+2.
"""
from __future__ import annotations

import shutil

import pandas as pd

from perfeval_lib.batch.summary import BatchSummary, RunResult, write_runs
from perfeval_lib.cli import main

from ..kits.hostile import hostile_project, live_formulas
from ..kits.paths import FIXTURES

HOSTILE = FIXTURES / "hostile" / "formulas"


def test_no_csv_output_holds_a_live_formula(tmp_path, monkeypatch, capsys):
    folders = hostile_project(tmp_path, HOSTILE, monkeypatch)
    outputs = {name: tmp_path / f"{name}.csv" for name in ("results", "score", "extract", "runs")}
    assert main(["results", "-o", str(outputs["results"])]) == 0
    main(["score", str(HOSTILE / "indicators.csv"), "-o", str(outputs["score"])])
    report = tmp_path / "=cmd|' calc'!A0.txt"
    report.write_text("=HYPERLINK(\"http://example.invalid\")单位2022年度部门整体支出绩效自评报告\n全年预算数100万元，执行数95万元。\n",
                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["extract", report.name, "-o", str(outputs["extract"])])
    units = pd.read_parquet(folders["processed"] / "units.parquet")
    plan = units[["unit_code", "unit_name"]]
    summary = BatchSummary(2022, [RunResult(c, "failed", error="KeyError: '=cmd|'") for c in plan["unit_code"]],
                           tmp_path)
    outputs["runs"] = write_runs(summary, plan)
    capsys.readouterr()
    for name, path in outputs.items():
        assert path.is_file(), name
        assert live_formulas(path) == [], name
    results = pd.read_csv(outputs["results"], encoding="utf-8-sig")
    assert set(results["unit_code"]) == {"F01", "F02"}                   # =1+2 was refused at ingest
    assert results.set_index("unit_code").loc["F01", "unit_name"].startswith("'=HYPERLINK(")
    gaps = results["score_gap"].dropna()
    assert len(gaps) and (gaps < 0).any() and gaps.dtype == float       # real negative numbers stay numbers
    runs = pd.read_csv(outputs["runs"], encoding="utf-8-sig")
    assert runs["unit_name"].str.startswith("'").sum() == 2 and runs["error"].eq("KeyError: '=cmd|'").all()


def test_the_raw_formula_unit_is_refused_with_its_location(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(HOSTILE, raw)
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr().out
    assert "units.csv 第4行 列「单位编码」 值「=1+2」: 单位编码含有不允许的字符或不能用作文件名" in printed

"""Links in data/raw: none is followed out of the folder (loudly), and the inputs table records the real path."""
from __future__ import annotations

import os

import pandas as pd

from perfeval_lib.batch.ingest_run import run_ingest
from perfeval_lib.ingest.folder import load_folder


def _raw(tmp_path):
    raw = tmp_path / "raw"
    (raw / "demo").mkdir(parents=True)
    (raw / "store").mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (raw / "units.csv").write_text("单位编码,单位名称\nS01,示例区统计局\nS02,示例区档案馆\n", encoding="utf-8")
    (outside / "budget.csv").write_text("单位编码,年度,支出类别,全年预算数,全年执行数\nS02,2022,基本支出,999,1\n",
                                        encoding="utf-8")
    (raw / "store" / "budget_s01.csv").write_text("单位编码,年度,支出类别,全年预算数,全年执行数\nS01,2022,基本支出,100,95\n",
                                                  encoding="utf-8")
    os.symlink(outside / "budget.csv", raw / "demo" / "budget_s02.csv")              # leaves data/raw
    os.symlink(raw / "store" / "budget_s01.csv", raw / "demo" / "budget_s01.csv")   # stays inside
    os.symlink(outside, raw / "linked_folder")                                      # a folder leaving it
    os.symlink("/etc/passwd", raw / "claims.csv")
    return raw


def test_links_leaving_the_raw_folder_are_refused_loudly(tmp_path):
    tables = load_folder(_raw(tmp_path))
    assert tables["budget"].frame[["unit_code", "budget_final"]].values.tolist() == [["S01", 100.0]]
    assert tables["claims"].frame.empty
    refused = sorted((i.code, i.file.rsplit("raw/", 1)[-1], i.value) for i in tables["units"].issues
                     if i.code in ("link_outside_raw", "linked_twice"))
    assert [(code, file) for code, file, _ in refused] == [
        ("link_outside_raw", "claims.csv"), ("link_outside_raw", "demo/budget_s02.csv"),
        ("link_outside_raw", "linked_folder"), ("linked_twice", "demo/budget_s01.csv")]
    assert refused[0][2] == "/etc/passwd" and refused[1][2].endswith("elsewhere/budget.csv")
    assert all(i.severity == "error" for i in tables["units"].issues if i.code == "link_outside_raw")


def test_the_inputs_table_records_the_real_path(tmp_path):
    raw = tmp_path / "raw"
    (raw / ".store").mkdir(parents=True)                                             # a hidden folder: not walked
    (raw / "units.csv").write_text("单位编码,单位名称,评价体系\nS01,示例区统计局,mof-2020\n", encoding="utf-8")
    (raw / ".store" / "budget_s01.csv").write_text("单位编码,年度,支出类别,全年预算数,全年执行数\nS01,2022,基本支出,100,95\n",
                                                   encoding="utf-8")
    os.symlink(raw / ".store" / "budget_s01.csv", raw / "budget_link.csv")
    run_ingest(raw, tmp_path / "out")
    inputs = pd.read_parquet(tmp_path / "out" / "inputs.parquet")
    row = inputs[inputs["found_as"].str.endswith("raw/budget_link.csv")].iloc[0]
    assert row["file"].endswith("raw/.store/budget_s01.csv") and len(row["sha256"]) == 64
    assert pd.read_parquet(tmp_path / "out" / "budget.parquet")["budget_final"].tolist() == [100.0]

"""`perfeval score` on forms alone (no registry), and `perfeval ingest` on a folder of forms alone, as a user
runs them."""
from __future__ import annotations

import shutil
import subprocess
import sys

import openpyxl
import pandas as pd

from perfeval_lib.batch.score_files import SCORE_COLUMNS, SUMMARY_COLUMNS

from ..kits.paths import FIXTURES, sha256_tree

REAL = FIXTURES / "real_forms"
REQUIRED_SCORES = ["file", "sheet", "row", "unit_name", "year", "level1", "level2", "level3", "kind", "direction",
                   "weight", "target_text", "actual_text", "claimed_score", "score", "rule"]
REQUIRED_SUMMARY = ["file", "unit_name", "project", "year", "budget_initial", "budget_final", "executed",
                    "execution_rate", "claimed_score", "score", "grade", "claimed_grade", "status"]


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "perfeval_lib.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def test_score_a_form_alone_writes_both_csvs(tmp_path):
    form = REAL / "08_yunnan_lijiang_guchengqu_weipian_project_2020.xlsx"
    before = sha256_tree(REAL)
    done = run_cli("score", form, "-o", tmp_path / "scores.csv", "--summary", tmp_path / "summary.csv")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    scores = pd.read_csv(tmp_path / "scores.csv", encoding="utf-8-sig")
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert set(REQUIRED_SCORES) <= set(scores.columns) and list(scores.columns) == SCORE_COLUMNS
    assert set(REQUIRED_SUMMARY) <= set(summary.columns) and list(summary.columns) == SUMMARY_COLUMNS
    assert len(scores) == 6 and scores["score"].sum() == 100.0
    assert scores.set_index("level3").loc["衛片執法補助經費", ["row", "claimed_score", "score"]].tolist() == [13, 9, 10]
    (row,) = summary.to_dict("records")
    assert (row["unit_name"], row["year"], row["score"], row["grade"], row["status"]) == (
        "麗江市古城區自然資源局", 2020, 100.0, "优", "scored")
    assert row["execution_rate"] == 1.0 and row["budget_final"] == 7.29
    assert "100" in done.stdout and "优" in done.stdout
    assert sha256_tree(REAL) == before                       # the raw form is only read


def test_a_form_the_review_cannot_score_ends_with_status_1_as_ingest_does(tmp_path):
    # the 金寨 form's weights add up to 70: its unit-year has no recomputed total, an error of the review
    done = run_cli("score", REAL / "01_anhui_jinzhai_chagu_dept_2023.xlsx", "--summary", tmp_path / "summary.csv")
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "各指标分值合计 70.00 分，不等于 100.00 分" in done.stdout and "Traceback" not in done.stderr
    assert pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")["status"].tolist() == ["weights_invalid"]


def test_score_several_files_one_broken_the_others_still_scored(tmp_path):
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    good = REAL / "05_anhui_chizhou_tangxi_project_2022.xlsx"
    done = run_cli("score", broken, good, REAL / "09_beijing_haidian_xueyuanlu_project_2016.xlsx",
                   "--summary", tmp_path / "summary.csv")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "坏的.xlsx" in done.stderr
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert summary["status"].tolist() == ["unreadable", "weights_invalid", "weights_invalid"]
    assert summary["unit_name"].tolist()[1:] == ["池州市贵池区棠溪镇人民政府", "北京市海淀区学院路街道城市运行服务中心"]
    assert summary["rate_basis"].tolist()[1:] == ["budget_final", "budget_initial"]   # the Beijing form has no 全年预算数


def test_year_and_unit_from_the_command_line_where_the_form_states_none(tmp_path):
    done = run_cli("score", REAL / "02_anhui_tianchang_tanghu_dept.xlsx", "--year", "2020",
                   "--summary", tmp_path / "summary.csv")
    assert done.returncode == 1, done.stderr                   # the form reached the web cut short: weights 20
    assert "各指标分值合计 20.00 分，不等于 100.00 分" in done.stdout
    (row,) = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig").to_dict("records")
    assert (row["year"], row["year_source"], row["claimed_score"]) == (2020, "option", 100.0)
    book = openpyxl.Workbook()
    for line in (["2022年度部门整体支出绩效自评表"], ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分"],
                 ["产出指标", "数量指标", "培训人次", 100, "≥100", 80, 80]):
        book.active.append(line)
    book.save(nameless := tmp_path / "无名.xlsx")
    done = run_cli("score", nameless, "--summary", tmp_path / "s1.csv")
    (row,) = pd.read_csv(tmp_path / "s1.csv", encoding="utf-8-sig").to_dict("records")
    assert pd.isna(row["unit_name"]) and row["score"] == 80.0 and "没有单位名称" in done.stderr  # not invented
    run_cli("score", nameless, "--unit", "示例区档案馆", "--summary", tmp_path / "s2.csv")
    (row,) = pd.read_csv(tmp_path / "s2.csv", encoding="utf-8-sig").to_dict("records")
    assert row["unit_name"] == "示例区档案馆"


def test_ingest_a_folder_of_forms_alone_then_results(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REAL, raw, ignore=shutil.ignore_patterns("README.md"))
    done = run_cli("ingest", "--raw", raw, "--out", tmp_path / "processed")
    assert done.returncode == 1, done.stderr                 # 02 states no year; the truncated forms' weights
    assert "Traceback" not in done.stdout + done.stderr
    results = pd.read_parquet(tmp_path / "processed" / "results.parquet")
    assert len(results) == 8                                 # every form but the one without a year
    yunnan = results.set_index("unit_name").loc["麗江市古城區自然資源局"]
    assert (yunnan["score"], yunnan["grade"], yunnan["year"]) == (100.0, "优", 2020)
    assert "219001" in set(results["unit_code"])
    shown = run_cli("results", "--processed", tmp_path / "processed")
    assert shown.returncode == 0 and "麗江市古城區自然資源局" in shown.stdout and "Traceback" not in shown.stderr
    assert "找不到年度" in done.stdout

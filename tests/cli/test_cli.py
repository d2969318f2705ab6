"""The command line as a user runs it: exit codes, messages, no traceback."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd

from perfeval_lib.cli import main

from ..kits.paths import RAW, sha256_tree, write_csv


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "perfeval_lib.cli", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=300)


def test_score_command_prints_scores_total_and_grade(fixtures, capsys):
    code = main(["score", str(fixtures / "indicators_dept.csv"), "--ruleset", "mof-2013-dept"])
    out = capsys.readouterr().out
    assert code == 0
    assert "93.08" in out and "优" in out and "政府采购执行率" in out and "7.27" in out


def test_score_command_writes_csv(fixtures, tmp_path):
    target = tmp_path / "scores.csv"
    assert main(["score", str(fixtures / "indicators_mof2020.csv"), "-o", str(target)]) == 0
    scores = pd.read_csv(target, encoding="utf-8-sig")
    assert scores.set_index("indicator").loc["开展宣讲活动场次", "score"] == 15.0


def test_score_command_unknown_ruleset_is_a_usage_error_not_a_traceback(fixtures):
    result = run_cli("score", fixtures / "indicators_dept.csv", "--ruleset", "nope")
    assert result.returncode == 2
    assert "找不到规则集「nope」" in result.stderr and "Traceback" not in result.stderr


def test_results_before_ingest_says_what_to_do(tmp_path):
    result = run_cli("results", "--processed", tmp_path)
    assert result.returncode == 1 and "perfeval ingest" in result.stderr and "Traceback" not in result.stderr


def test_ingest_broken_copy_lists_every_error_and_loads_the_valid_units(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    # three different breakages in three files
    write_csv(raw / "broken" / "budget_broken.csv",
              "单位编码,年度,支出类别,资金来源,全年预算数（万元）,全年执行数（万元）\n"
              "X01,2022,基本支出,财政拨款,abc,1\nX01,2022,项目支出,财政拨款,-5,1\nX02,2022,基本支出,财政拨款,10,9\n")
    write_csv(raw / "broken" / "claims_broken.csv", "单位编码,年度\nX01,2022\n")
    write_csv(raw / "broken" / "units_broken.csv", "单位编码,单位名称\n../../etc,坏单位\nX01,好单位\nX02,另一单位\n")
    before = sha256_tree(raw)
    out = tmp_path / "processed"
    result = run_cli("ingest", "--raw", raw, "--out", out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    text = result.stdout
    assert "budget_broken.csv 第2行 列「全年预算数（万元）」 值「abc」" in text
    assert "budget_broken.csv 第3行 列「全年预算数」 值「-5.0」: 不能为负数" in text
    assert "claims_broken.csv 第1行: 缺少必需的列：自评总分" in text
    assert "units_broken.csv 第2行 列「单位编码」 值「../../etc」" in text
    results = pd.read_parquet(out / "results.parquet")
    assert "X02" in set(results["unit_code"])           # the valid rows of the broken files still load
    assert "HZFL" in set(results["unit_code"])          # and the other datasets are untouched
    assert sha256_tree(raw) == before                   # raw files are never modified
    findings = pd.read_parquet(out / "findings.parquet")
    assert {"bad_value", "negative_amount", "missing_column", "unsafe_code"} <= set(findings["code"])

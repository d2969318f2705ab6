"""``perfeval findings``: what the review and the load found, where the 问题数 column says it is."""
from __future__ import annotations

import pandas as pd

from perfeval_lib.cli import main


def test_findings_lists_every_kept_finding_and_counts_them(demo_processed, capsys):
    assert main(["findings", "--processed", str(demo_processed)]) == 0
    out = capsys.readouterr().out
    findings = pd.read_parquet(demo_processed / "findings.parquet")
    counts = findings["severity"].value_counts()
    assert f"共 {len(findings)} 条" in out
    assert f"错误 error {counts['error']}" in out and f"警告 warning {counts['warning']}" in out
    assert "各指标分值合计 95.00 分，不等于 100.00 分" in out                 # the one error of the demo data


def test_findings_of_a_unit_year_add_up_to_its_count_in_the_results(demo_processed, capsys):
    results = pd.read_parquet(demo_processed / "results.parquet").set_index(["unit_code", "year"])
    assert main(["findings", "--processed", str(demo_processed), "--unit", "d009", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert f"共 {results.loc[('D009', 2022), 'n_findings']} 条" in out
    assert "示例区交通运输局" in out and "D014" not in out


def test_findings_filters_by_severity_and_writes_csv(demo_processed, tmp_path):
    target = tmp_path / "f.csv"
    assert main(["findings", "--processed", str(demo_processed), "--severity", "error", "-o", str(target)]) == 0
    written = pd.read_csv(target, encoding="utf-8-sig")
    assert list(written.columns[:5]) == ["unit_code", "unit_name", "year", "severity", "code"]
    assert set(written["severity"]) == {"error"} and written["code"].tolist() == ["weights_not_total"]

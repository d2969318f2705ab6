"""`perfeval ingest` over everything in data/raw: the demo's planted errors are all found, the
海珠区妇联 row keeps its claim without an invented score, and the demo generator is deterministic."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from perfeval_lib import demo

from ..kits.paths import RAW, sha256_tree

#: Each planted error kind and the finding code the audit must give it.
PLANTED_TO_FINDING = {
    "budget_total_mismatch": "total_mismatch",
    "budget_overspend": "executed_over_budget",
    "budget_zero_line": "zero_budget_line",
    "low_execution_unexplained": "low_rate_no_note",
    "slow_spending": "spending_lag",
    "weights_not_100": "weights_not_total",
    "full_marks_on_miss": "full_marks_below_target",
    "unexplained_deduction": "unexplained_deduction",
    "claim_total_inflated": "claimed_total_vs_detail",
    "claim_grade_inconsistent": "claimed_grade_inconsistent",
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    before = sha256_tree(RAW)
    result = subprocess.run([sys.executable, "-m", "perfeval_lib.cli", "ingest", "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert sha256_tree(RAW) == before, "raw files were modified"
    return result, {name: pd.read_parquet(out / f"{name}.parquet") for name in ("results", "findings", "units")}


def test_ingest_of_shipped_data_lists_its_one_planted_error(ingested):
    result, tables = ingested
    # the demo's only error: D014 2021 whose weights add up to 95; every other problem is a warning
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "[错误 error] D014 2021: 各指标分值合计 95.00 分，不等于 100.00 分，无法复核总分" in result.stdout
    assert "载入时 0 个错误" in result.stdout and "复核 review: " in result.stdout and "错误 error 1、" in result.stdout
    assert "未载入" not in result.stderr                 # no row was dropped: the summary must not say so
    assert len(tables["units"]) == 25
    assert set(tables["results"]["year"]) == {2019, 2020, 2021, 2022, 2023}


def test_haizhu_keeps_its_claim_and_gets_no_invented_score(ingested):
    _, tables = ingested
    row = tables["results"].set_index("unit_code").loc["HZFL"]
    assert (row["year"], row["budget_final"], row["executed"], row["execution_rate"]) == (2022, 507.02, 507.02, 1.0)
    assert (row["claimed_score"], row["claimed_grade"]) == (98.0, "优")
    assert pd.isna(row["score"]) and pd.isna(row["grade"]) and row["score_status"] == "no_indicators"


#: Planted unit-years whose analyst narrative explains what the data leaves unexplained (narratives are
#: hand-written, not generated): D009 2022's 重点项目 says why its spending was slow (因招标延期…).
EXPLAINED_BY_NARRATIVE = {("low_execution_unexplained", "D009", 2022)}


@pytest.mark.parametrize("kind", sorted(PLANTED_TO_FINDING))
def test_every_planted_error_is_found(ingested, kind):
    _, tables = ingested
    findings = tables["findings"]
    planted = demo.planted_errors()
    planted = planted[planted["kind"] == kind]
    planted = planted[[(kind, r.unit_code, r.year) not in EXPLAINED_BY_NARRATIVE for r in planted.itertuples()]]
    assert len(planted), f"nothing of kind {kind} was planted"
    code = PLANTED_TO_FINDING[kind]
    for row in planted.itertuples():
        hits = findings[(findings["unit_code"] == row.unit_code) & (findings["year"] == row.year)
                        & (findings["code"] == code)]
        assert len(hits), f"{kind} planted in {row.unit_code} {row.year} ({row.detail}) was not found as {code}"


def test_full_marks_findings_are_exactly_the_planted_ones(ingested):
    _, tables = ingested
    found = tables["findings"].query("code == 'full_marks_below_target'")[["unit_code", "year"]]
    planted = demo.planted_errors().query("kind == 'full_marks_on_miss'")[["unit_code", "year"]]
    assert sorted(map(tuple, found.values.tolist())) == sorted(map(tuple, planted.values.tolist()))


def test_explained_low_execution_is_not_reported(ingested):
    _, tables = ingested
    explained = demo.planted_errors().query("kind == 'low_execution_explained'")
    low = tables["findings"].query("code == 'low_rate_no_note'")
    assert not set(zip(explained["unit_code"], explained["year"])) & set(zip(low["unit_code"], low["year"]))


def test_a_low_rate_the_narrative_explains_is_explained_everywhere(ingested):
    _, tables = ingested
    row = tables["results"].query("unit_code == 'D009' and year == 2022").iloc[0]
    assert row["execution_rate"] < 0.9 and row["rate_note"].startswith("农村公路养护项目因招标延期")
    low = tables["findings"].query("code == 'low_rate_no_note' and unit_code == 'D009' and year == 2022")
    assert low.empty


def test_unit_with_weights_not_100_has_no_recomputed_total(ingested):
    _, tables = ingested
    row = tables["results"].query("unit_code == 'D014' and year == 2021").iloc[0]
    assert row["score_status"] == "weights_invalid" and pd.isna(row["score"])


def test_demo_generator_is_deterministic(tmp_path):
    demo.generate(tmp_path / "a")
    demo.generate(tmp_path / "b")
    a, b = sha256_tree(tmp_path / "a"), sha256_tree(tmp_path / "b")
    assert a == b
    shipped = {name: digest for name, digest in sha256_tree(RAW / "demo").items()
               if not name.startswith("narratives/")}  # hand-written, not generated
    assert a == shipped, "data/raw/demo is not what the generator makes: rerun python -m perfeval_lib.demo data/raw/demo"

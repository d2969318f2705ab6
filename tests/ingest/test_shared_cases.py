"""The expected results of ../shared/cases/xlsx/README.md (cases 03, 05, 13), read from the shared folder
when it is there (skipped otherwise); the same troubles in other shapes are in test_cells.py."""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval_lib.batch.ingest_run import run_ingest
from perfeval_lib.batch.score_files import score_files

from ..kits.paths import SHARED

CASES = SHARED / "cases" / "xlsx"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="shared/cases/xlsx is not beside the checkout")


def test_03_hidden_stale_sheet_is_not_read_and_the_visible_one_is(tmp_path):
    report = run_ingest(CASES / "03_hidden-stale-sheet" / "raw", tmp_path)
    results = pd.read_parquet(tmp_path / "results.parquet").set_index("unit_code")
    assert results.loc["H01", ["budget_final", "executed"]].round(2).tolist() == [312.45, 298.6]
    assert round(results.loc["H01", "execution_rate"], 4) == 0.9557
    budget = pd.read_parquet(tmp_path / "budget.parquet")
    assert not budget[["budget_final", "executed"]].isin([300.0, 180.0, 240.0, 150.0, 60.0, 30.0]).any().any()
    (note,) = [i for i in report.issues if i.code == "hidden_sheet"]
    assert note.sheet == "预算执行(9月旧版)" and report.n_errors == 0


def test_05_percent_number_formats_are_read_as_shown():
    run = score_files([CASES / "05_percent-in-number-formats" / "自评表_P01_2023.xlsx"], ruleset="mof-2020")
    scores = run.scores.set_index("level3")["score"].round(3).to_dict()
    assert scores == {"预算执行率": 9.557, "培训覆盖率": 20.0, "政府采购执行率": 10.911, "公用经费超支率": 12.0,
                      "服务对象受益率": 28.5, "群众满意度": 10.0}
    (summary,) = run.summary.to_dict("records")
    assert round(summary["score"], 3) == 90.968 and summary["grade"] == "优"
    assert summary["claimed_score"] == 90.97                      # the sum of the claimed scores, which agrees
    (warning,) = [i for i in run.issues if i.code == "percent_read_as_fraction"]
    assert (warning.row, warning.value) == (7, "0.92") and "92%" in warning.message
    assert run.n_errors == 0


def test_13_merged_cells_fill_and_the_blank_level2_stays_blank():
    path = CASES / "13_merged-vs-blank-level2" / "自评表_B01_2023.xlsx"
    run = score_files([path], ruleset="mof-2020")
    assert run.scores["score"].round(3).tolist() == [9.7, 10, 10, 15, 12, 15, 15, 10]
    assert run.scores.set_index("level3").loc["按时完成率", "level2"] is pd.NA or \
        pd.isna(run.scores.set_index("level3").loc["按时完成率", "level2"])
    assert run.scores.set_index("level3").loc["编印宣传资料份数", ["level1", "level2"]].tolist() == ["产出指标", "数量指标"]
    (summary,) = run.summary.to_dict("records")
    assert round(summary["score"], 3) == 96.7 and summary["grade"] == "优"
    (warning,) = [i for i in run.issues if i.code == "blank_not_merged"]
    assert (warning.sheet, warning.row, warning.column) == ("绩效指标", 6, "二级指标") and path.name in warning.file

"""Nothing lost: a missing folder touches nothing, a run that read nothing keeps the tables, tables are
replaced only as a whole; the summary counts what it counts."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from perfeval_lib.batch.ingest_run import run_ingest
from perfeval_lib.cli import main
from perfeval_lib.core.errors import UsageError

from ..kits.paths import FIXTURES, sha256_tree, write_csv
from ..cli.test_cli import run_cli


@pytest.fixture
def built(tmp_path):
    """A processed folder built from the mini fixture (non-empty tables)."""
    out = tmp_path / "processed"
    run_ingest(FIXTURES / "mini", out)
    return out


def test_a_raw_folder_that_does_not_exist_is_a_usage_error_that_touches_nothing(built, tmp_path):
    before = sha256_tree(built)
    result = run_cli("ingest", "--raw", tmp_path / "nosuchdir", "--out", built)
    assert result.returncode == 2 and "nosuchdir" in result.stderr and "不存在" in result.stderr
    assert sha256_tree(built) == before
    with pytest.raises(UsageError):
        run_ingest(tmp_path / "nosuchdir", built)
    assert sha256_tree(built) == before


def test_a_run_that_read_nothing_never_replaces_the_tables(built, tmp_path, capsys):
    before = sha256_tree(built)
    empty = tmp_path / "unmounted"
    empty.mkdir()
    assert main(["ingest", "--raw", str(empty), "--out", str(built)]) == 1
    assert "没有从" in capsys.readouterr().err
    assert sha256_tree(built) == before
    assert len(pd.read_parquet(built / "results.parquet")) == 4


def test_a_folder_of_unreadable_files_reads_nothing_too(built, tmp_path):
    before = sha256_tree(built)
    write_csv(tmp_path / "raw" / "budget.csv", "不是表格\n")
    report = run_ingest(tmp_path / "raw", built)
    assert report.nothing_read and report.written == {} and sha256_tree(built) == before


def test_a_run_failing_while_writing_replaces_no_table(built, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "mini", raw)
    (raw / "claims.csv").write_text("单位编码,年度,自评总分,自评等级\nT01,2022,90,优\n", encoding="utf-8")  # new data
    before = sha256_tree(built)
    written = []
    real = pd.DataFrame.to_parquet

    def disk_full_at_the_sixth(self, path, *args, **kwargs):
        written.append(path)
        if len(written) == 6:
            raise OSError(28, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full_at_the_sixth)
    with pytest.raises(OSError):
        run_ingest(raw, built)
    assert len(written) == 6                                          # five tables were written before it failed…
    assert sha256_tree(built) == before and not list(built.glob(".*.tmp"))   # …and none of them replaced its table


def test_the_summary_counts_the_findings_it_keeps(tmp_path, capsys):
    out = tmp_path / "processed"
    main(["ingest", "--raw", str(FIXTURES / "mini"), "--out", str(out)])
    text = capsys.readouterr()
    findings = pd.read_parquet(out / "findings.parquet")
    results = pd.read_parquet(out / "results.parquet")
    assert f"问题共 {len(findings)} 条" in text.out
    assert f"复核 review: {results['n_findings'].sum()} 条" in text.out
    # nothing was dropped, so the summary must not say rows were not loaded
    assert "未载入" not in text.err and "were not loaded" not in text.err


def test_rows_with_errors_are_said_not_loaded_only_when_some_were(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "mini", raw)
    write_csv(raw / "budget_bad.csv", "单位编码,年度,支出类别,全年预算数（万元）,全年执行数（万元）\nT09,2022,基本支出,abc,1\n")
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    text = capsys.readouterr()
    assert "有错误的行或文件未载入（1 处）" in text.err
    assert "载入时 1 个错误" in text.out

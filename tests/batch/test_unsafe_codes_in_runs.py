"""A unit whose code cannot be a file name fails alone: the run goes on, form and draft refuse it with a message.

Ingest refuses such codes; these tests put them straight into the processed tables (as an older
version or a hand edit would) of the `mini` project.
"""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval_lib.batch.run import run_batch
from perfeval_lib.cli import main

LONG = "Y" * 220


@pytest.fixture(scope="module")
def poisoned(project):  # noqa: F811
    processed = project["processed"]
    saved = {name: pd.read_parquet(processed / f"{name}.parquet") for name in ("units", "results")}
    for name, frame in saved.items():
        model = frame[frame["unit_code"] == "T03"]
        extra = pd.concat([model.assign(unit_code=code) for code in ("CON", "a b", LONG)], ignore_index=True)
        pd.concat([frame, extra], ignore_index=True).to_parquet(processed / f"{name}.parquet")
    yield project
    for name, frame in saved.items():
        frame.to_parquet(processed / f"{name}.parquet")


def test_only_the_offending_units_fail(poisoned, capsys):
    summary = run_batch(2022, units=["T03", "CON", "a b", LONG], jobs=1, progress=False)
    status = {r.unit_code: r.status for r in summary.results}
    assert status == {"T03": "ok", "CON": "failed", "a b": "failed", LONG: "failed"}
    errors = {r.unit_code: r.error for r in summary.results}
    assert "Windows 保留的设备名" in errors["CON"] and "超过 64 个字符" in errors[LONG]
    runs = pd.read_csv(summary.out_dir / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
    assert runs.loc["T03", "status"] == "ok" and runs.loc["CON", "status"] == "failed"
    assert (summary.out_dir / "T03.html").is_file() and not (summary.out_dir / "CON.html").exists()


@pytest.mark.parametrize("command", [["draft"], ["form"]])
def test_form_and_draft_refuse_a_code_that_cannot_be_a_file_name(poisoned, command, capsys):
    assert main([*command, "--unit", LONG, "--year", "2022"]) == 1
    err = capsys.readouterr().err
    assert "不能用作文件名（超过 64 个字符）" in err and "Traceback" not in err


def test_params_writes_the_safe_units_then_names_the_unsafe_one(poisoned, capsys):
    assert main(["params", "--year", "2022", "--force"]) == 1
    assert "单位编码「CON」不能用作文件名" in capsys.readouterr().err
    for code in ("T01", "T02", "T03"):
        assert (poisoned["params"] / "units" / f"{code}.yaml").is_file()
    assert not (poisoned["params"] / "units" / "CON.yaml").exists()

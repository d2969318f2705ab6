"""Raw files are byte-identical after every command (sha256 before and after)."""
from __future__ import annotations

import shutil

from perfeval_lib.cli import main

from ..kits.paths import FIXTURES, sha256_tree


def test_every_command_leaves_raw_files_alone(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "mini", raw)
    shutil.copy(FIXTURES / "reports" / "a_wording_pagemarks.txt", raw / "published_report.txt")
    params = tmp_path / "params"
    shutil.copytree(FIXTURES.parent.parent / "params" / "rulesets", params / "rulesets")
    shutil.copytree(FIXTURES.parent.parent / "params" / "narrative", params / "narrative")
    for name, value in {"PERFEVAL_RAW": raw, "PERFEVAL_PROCESSED": tmp_path / "processed",
                        "PERFEVAL_REPORTS": tmp_path / "reports", "PERFEVAL_PARAMS": params}.items():
        monkeypatch.setenv(name, str(value))
    before = sha256_tree(raw)
    commands = [
        ["ingest"], ["results"], ["score", str(raw / "indicators_t01.csv")],
        ["params", "--year", "2022"], ["run", "--year", "2022", "--units", "T01", "--jobs", "1", "-q"],
        ["draft", "--unit", "T01", "--year", "2022"], ["form", "--unit", "T01", "--year", "2022"], ["extract", str(raw / "published_report.txt"), "-o",
                                                       str(tmp_path / "extracted.csv")],
    ]
    for command in commands:
        assert main(command) in (0, 1), command
        assert sha256_tree(raw) == before, f"perfeval {' '.join(command)} modified a raw file"
    assert "Traceback" not in capsys.readouterr().err

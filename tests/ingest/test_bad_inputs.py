"""Every kind of broken input gets its exact, located message from `perfeval ingest` — never a
traceback — the valid rows still load, and the raw files are never modified."""
from __future__ import annotations

import pytest

from perfeval_lib.cli import main

from ..kits.badcorpus import CASES
from ..kits.paths import sha256_tree


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_message(case, tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    case.build(raw)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    before = sha256_tree(raw)
    code = main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "processed")])
    out, err = capsys.readouterr()
    printed = out + err
    assert "Traceback" not in printed
    for expected in case.expect:
        assert expected in printed, f"missing: {expected}\n--- printed ---\n{printed[:3000]}"
    assert code == case.exit_code
    assert sha256_tree(raw) == before


def test_the_corpus_covers_at_least_25_kinds():
    assert len(CASES) >= 25

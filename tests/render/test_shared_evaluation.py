"""Unit reports share one evaluation of the district from the second report of a process on: the same
reports as a unit evaluated alone, a broken unit failing alone, and a changed ruleset or table read again."""
from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from perfeval_lib.core.errors import PerfevalError
from perfeval_lib.render import report as rp

from ..kits.paths import ROOT

STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")


def page(r: rp.UnitReport) -> str:
    """Everything the unit's page shows, without the time it was made."""
    parts = [rp.title(r), *(rp.section(r, n) for n in range(1, 5)), rp.annex(r), rp.trend(r), rp.footer(r)]
    return STAMP.sub("", "".join(str(p) for p in parts))


def alone(code: str, year: int, processed, monkeypatch) -> rp.UnitReport:
    """The report as the first of a process builds it: its unit evaluated alone."""
    monkeypatch.setattr(rp, "_SHARED", {"key": None, "tables": None, "asked": 0, "evaluation": None})
    return rp.unit_report(code, year, processed_dir=processed)


def test_every_report_from_the_shared_evaluation_equals_its_unit_evaluated_alone(demo_processed, monkeypatch):
    results = pd.read_parquet(demo_processed / "results.parquet")
    pairs = sorted(set(zip(results["unit_code"], results["year"].astype(int))))
    assert len(pairs) >= 70
    expected = {pair: alone(*pair, demo_processed, monkeypatch) for pair in pairs}
    monkeypatch.setattr(rp, "_SHARED", {"key": None, "tables": None, "asked": 0, "evaluation": None})
    for pair in pairs:
        shared = rp.unit_report(*pair, processed_dir=demo_processed)
        own = expected[pair]
        assert shared.result == own.result, pair
        for name in ("history", "scored", "findings", "progress", "lines"):
            if getattr(shared, name).empty and getattr(own, name).empty:   # no rows: the columns do not show
                continue
            pd.testing.assert_frame_equal(getattr(shared, name).reset_index(drop=True),
                                          getattr(own, name).reset_index(drop=True), obj=f"{pair} {name}",
                                          check_dtype=False)   # an all-empty text column: str or object
        assert page(shared) == page(own), pair
    assert rp._SHARED["evaluation"]                        # the reports after the first did share it


def test_a_unit_whose_ruleset_is_broken_fails_alone(demo_processed, tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    shutil.copytree(demo_processed, processed)
    units = pd.read_parquet(processed / "units.parquet")
    units.loc[units["unit_code"] == "D003", "ruleset"] = "no-such-ruleset"
    units.to_parquet(processed / "units.parquet")
    monkeypatch.setattr(rp, "_SHARED", {"key": None, "tables": None, "asked": 0, "evaluation": None})
    assert rp.unit_report("D001", 2023, processed_dir=processed).result["grade"]
    assert rp.unit_report("D002", 2023, processed_dir=processed).result["grade"]   # the district fails: alone
    with pytest.raises(PerfevalError, match="no-such-ruleset"):
        rp.unit_report("D003", 2023, processed_dir=processed)
    assert rp.unit_report("D004", 2023, processed_dir=processed).result["grade"]
    assert rp._SHARED["evaluation"] is False


def test_a_changed_ruleset_file_is_a_new_evaluation(demo_processed, tmp_path, monkeypatch):
    params = tmp_path / "params"
    shutil.copytree(ROOT / "params" / "rulesets", params / "rulesets")
    monkeypatch.setenv("PERFEVAL_PARAMS", str(params))
    monkeypatch.setattr(rp, "_SHARED", {"key": None, "tables": None, "asked": 0, "evaluation": None})
    rp.unit_report("D001", 2023, processed_dir=demo_processed)
    before = rp.unit_report("D002", 2023, processed_dir=demo_processed)
    assert before.result["grade"] == "优" and before.result["score"] < 99    # the demo's D002: 98.67, 优
    ruleset = params / "rulesets" / "mof-2020.yaml"
    ruleset.write_text(ruleset.read_text(encoding="utf-8").replace("{min: 90, grade: 优}", "{min: 99, grade: 优}"),
                       encoding="utf-8")
    after = rp.unit_report("D002", 2023, processed_dir=demo_processed)
    assert after.result["grade"] == "良"


def test_an_explicit_ruleset_evaluates_the_unit_alone(demo_processed, monkeypatch):
    monkeypatch.setattr(rp, "_SHARED", {"key": None, "tables": None, "asked": 0, "evaluation": None})
    for code in ("D001", "D002", "D003"):
        r = rp.unit_report(code, 2023, processed_dir=demo_processed, ruleset="mof-2020-strict")
        assert r.result["ruleset"] == "mof-2020-strict"
    assert rp._SHARED["evaluation"] is None

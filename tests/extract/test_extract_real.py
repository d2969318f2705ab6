"""``perfeval extract`` on real published texts: field accuracy against a hand-read truth, and nothing invented.

Two sets: the development set in ../shared/real/reports (skipped when ../shared is absent) and the 17 real
texts in tests/fixtures/real_reports (sources in its README). Conventions of ``truth.csv``: a value must match
(numbers within 0.01, text without spaces); blank = not stated, so the extraction must stay blank; ``?`` = not
checked.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from perfeval_lib.extract import extract_files

from ..kits.paths import FIXTURES, SHARED

SHARED_REPORTS = SHARED / "real" / "reports"
OWN_REPORTS = FIXTURES / "real_reports"
FIELDS = ["unit", "year", "budget_wan", "executed_wan", "execution_rate_pct", "self_score", "grade"]


def _same(got: str, want: str, field: str) -> bool:
    if field in ("unit", "grade"):
        return got.replace(" ", "") == want.replace(" ", "")
    try:
        return math.isclose(float(got), float(want), abs_tol=0.011)
    except ValueError:
        return False


def accuracy(folder: Path) -> tuple[dict, list[str]]:
    """Right / wrong / missed / invented over the checked fields of ``folder/truth.csv``, and each miss."""
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    frame = extract_files(sorted(folder.glob("*.txt")))
    got = {Path(row["file"]).name: row for _, row in frame.astype(object).iterrows()}
    counts = dict(right=0, wrong=0, missed=0, invented=0)
    misses = []
    for _, row in truth.iterrows():
        for field in FIELDS:
            want = row[field].strip()
            if want == "?":
                continue
            value = got[row["file"]][field]
            value = "" if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in (
                "nan", "<NA>", "None") else str(value)
            if want == "":
                kind = "right" if value == "" else "invented"
            elif value == "":
                kind = "missed"
            else:
                kind = "right" if _same(value, want, field) else "wrong"
            counts[kind] += 1
            if kind != "right":
                misses.append(f"{row['file'][:2]}.{field}: {kind} {value!r} (truth {want!r})")
    return counts, misses


def _report(name: str, counts: dict, misses: list[str]) -> float:
    total = sum(counts.values())
    share = counts["right"] / total
    print(f"\n{name}: {counts['right']}/{total} right ({share:.1%}), {counts['wrong']} wrong, {counts['missed']} missed, "
          f"{counts['invented']} invented" + ("".join(f"\n  {m}" for m in misses)))
    return share


@pytest.mark.skipif(not SHARED_REPORTS.is_dir(), reason=f"../shared is not here ({SHARED_REPORTS})")
def test_development_set_accuracy():
    counts, misses = accuracy(SHARED_REPORTS)
    share = _report("../shared/real/reports", counts, misses)
    assert counts["invented"] == 0, misses
    assert share >= 0.95, misses


def test_real_fixture_reports_accuracy():
    counts, misses = accuracy(OWN_REPORTS)
    share = _report("tests/fixtures/real_reports", counts, misses)
    assert sum(counts.values()) >= 100                 # 17 texts × 7 fields, less the ones not checked
    assert counts["invented"] == 0, misses
    assert share >= 0.95, misses


def test_every_real_fixture_has_a_truth_row_and_a_source():
    truth = pd.read_csv(OWN_REPORTS / "truth.csv", dtype=str, keep_default_na=False)
    texts = sorted(p.name for p in OWN_REPORTS.glob("*.txt"))
    assert sorted(truth["file"]) == texts and len(texts) >= 10
    readme = (OWN_REPORTS / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in texts)
    assert readme.count("http") >= len(texts)

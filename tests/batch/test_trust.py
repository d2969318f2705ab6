"""End to end on a small project: a full run, a partial rerun, a bad --raw — every page still linked,
every table intact, and every shared number formatted by the one rule."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from perfeval_lib.batch.run import run_batch
from perfeval_lib.cli import main

from ..kits.paths import sha256_tree

UNITS = ["T01", "T02", "T03"]


@pytest.fixture(scope="module")
def runs(project, tmp_path_factory):
    full = run_batch(2022, jobs=2, progress=False)
    partial = run_batch(2022, units=["t02"], jobs=1, progress=False, force=True)     # a code typed in lower case
    processed = project["processed"]
    before = sha256_tree(processed)
    with pytest.raises(SystemExit) as bad_raw:                                     # argparse: a usage error
        main(["ingest", "--raw", str(tmp_path_factory.mktemp("x") / "nosuchdir"), "--out", str(processed)])
    empty = tmp_path_factory.mktemp("unmounted")
    empty_raw = main(["ingest", "--raw", str(empty), "--out", str(processed)])
    return {"full": full, "partial": partial, "bad_raw": bad_raw.value.code, "empty_raw": empty_raw, "before": before,
            "after": sha256_tree(processed), "out": full.out_dir, "processed": processed}


def test_the_partial_run_ran_one_unit_and_kept_the_others(runs):
    assert [r.unit_code for r in runs["partial"].results] == ["T02"]
    assert [r.unit_code for r in runs["partial"].kept] == ["T01", "T03"]


def test_every_unit_page_is_still_linked_from_the_index(runs):
    index = (runs["out"] / "index.html").read_text(encoding="utf-8")
    for unit in UNITS:
        assert f'href="{unit}.html"' in index and (runs["out"] / f"{unit}.html").is_file()
    assert 'href="overview.html"' in index and "共 3 个单位" in index


def test_runs_csv_keeps_every_unit(runs):
    record = pd.read_csv(runs["out"] / "runs.csv", encoding="utf-8-sig")
    assert record["unit_code"].tolist() == [*UNITS, "overview"]
    assert set(record["status"]) <= {"ok", "skipped"} and (record.set_index("unit_code").loc[UNITS, "html"]
                                                             == [f"{u}.html" for u in UNITS]).all()


def test_a_bad_raw_folder_leaves_every_table_intact(runs):
    assert runs["bad_raw"] == 2 and runs["empty_raw"] == 1
    assert runs["after"] == runs["before"]
    for name in ("units", "budget", "indicators", "claims", "results", "findings", "scored"):
        assert len(pd.read_parquet(runs["processed"] / f"{name}.parquet")), name


def _numbers_problems(text: str) -> list[str]:
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+|<svg.*?</svg>", "", text, flags=re.S)  # charts: axis ticks
    text = re.sub(r"sha256 <code>[0-9a-f]+</code>|<code>[0-9a-f]{64}</code>", "", text)
    problems = []
    for pattern, what in [(r"(?<![\w.])[+-]0(?:\.0+)?(?![\d.])", "a signed zero"), (r"-0\.0%", "a negative zero rate"),
                          (r"\d+\.\d{5,}", "a long float"), (r"\bnan\b", "nan")]:
        found = re.findall(pattern, text)
        if found:
            problems.append(f"{what}: {found[:3]}")
    return problems


@pytest.mark.parametrize("page", [*UNITS, "overview", "index"])
def test_shared_pages_show_numbers_by_one_rule(runs, page):
    html = (runs["out"] / f"{page}.html").read_text(encoding="utf-8")
    assert _numbers_problems(html) == []
    # scores, weights and totals always with 2 decimals in the tables (no 98 beside 93.08 beside 7.6)
    cells = re.findall(r'<td class="n">([^<]*)</td>', html)
    scores = [c for c in cells if re.fullmatch(r"[+-]?\d+(\.\d+)?", c)]
    assert all(re.fullmatch(r"[+-]?\d+\.\d{2}|\d{1,3}|\d{4}", c) for c in scores), scores


def test_csv_and_terminal_show_numbers_by_one_rule(runs, tmp_path, capsys):
    target = tmp_path / "results.csv"
    assert main(["results", "-o", str(target)]) == 0
    assert main(["results"]) == 0
    assert _numbers_problems(target.read_text(encoding="utf-8-sig")) == []
    assert _numbers_problems(capsys.readouterr().out) == []

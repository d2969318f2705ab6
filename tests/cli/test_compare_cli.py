"""`perfeval compare` on the shipped demo data: a preset against its documented variant."""
from __future__ import annotations

import pandas as pd

from perfeval_lib.cli import main


def test_compare_shows_units_changing_grade(demo_processed, capsys):
    code = main(["compare", "--year", "2023", "--ruleset", "mof-2013-dept", "--ruleset", "mof-2013-dept-strict",
                 "--processed", str(demo_processed)])
    out = capsys.readouterr().out
    assert code == 0
    assert "规则集A / ruleset A: mof-2013-dept    规则集B / ruleset B: mof-2013-dept-strict" in out
    assert "等级变化 / grade changes: 1 个单位年度" in out
    assert 'D021 示例区城市管理局 2023: 优 → 良（-1.48 分，影响最大："三公"经费变动率）' in out
    assert "造成差异的指标" in out and "per_point_deduction(k=0.8)" in out
    assert "未比较" in out and "D001（mof-2020）" in out


def test_one_ruleset_compares_each_units_own_with_it(demo_processed, capsys):
    assert main(["compare", "--year", "2020", "--ruleset", "mof-2020-strict", "--processed", str(demo_processed)]) == 0
    out = capsys.readouterr().out
    assert "规则集A / ruleset A: (各单位规则集)" in out
    assert "D016 示例区疾病预防控制中心 2020: 优 → 良" in out


def test_compare_writes_csv_with_canonical_columns_rounded(demo_processed, tmp_path, capsys):
    target = tmp_path / "compare.csv"
    assert main(["compare", "--year", "2023", "--ruleset", "mof-2013-dept", "--ruleset", "mof-2013-dept-strict",
                 "--processed", str(demo_processed), "-o", str(target)]) == 0
    frame = pd.read_csv(target, encoding="utf-8-sig")
    assert frame.columns.tolist()[:11] == ["unit_code", "unit_name", "year", "ruleset_a", "score_a", "grade_a",
                                           "ruleset_b", "score_b", "grade_b", "score_change", "grade_changed"]
    row = frame.set_index("unit_code").loc["D021"]
    assert (row["score_a"], row["score_b"], row["score_change"]) == (90.56, 89.07, -1.48)
    assert bool(row["grade_changed"]) and (row["grade_a"], row["grade_b"]) == ("优", "良")


def test_bad_compare_arguments_are_messages(demo_processed, tmp_path, capsys):
    processed = ["--processed", str(demo_processed)]
    assert main(["compare", "--ruleset", "mof-2020", "--ruleset", "mof-2020-strict", "--ruleset", "x", *processed]) == 2
    assert "at most twice" in capsys.readouterr().err
    assert main(["compare", "--year", "2023", "--ruleset", "mof-2099", *processed]) == 2
    assert "no ruleset named 'mof-2099'" in capsys.readouterr().err
    assert main(["compare", "--year", "1999", "--ruleset", "mof-2020-strict", *processed]) == 2
    assert "没有 1999 年的数据" in capsys.readouterr().err
    assert main(["compare", "--year", "2023", "--ruleset", "mof-2020-strict", "--unit", "X9", *processed]) == 2
    assert "unknown unit codes: X9" in capsys.readouterr().err
    assert main(["compare", "--year", "2023", "--ruleset", "mof-2020-strict", *processed,
                 "-o", str(tmp_path / "c.txt")]) == 2
    assert "must be a .csv or .xlsx file" in capsys.readouterr().err
    assert not (tmp_path / "c.txt").exists()

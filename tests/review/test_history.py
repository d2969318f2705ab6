"""Across years: recurring findings, claims above the recomputed score year after year, district ranks."""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval_lib.review.history import district_ranks, persistent_overclaims, recurring_findings


def _findings(rows):
    return pd.DataFrame(rows, columns=["unit_code", "year", "code", "severity"])


def test_two_consecutive_years_recur_and_a_gap_breaks_the_run():
    f = _findings([("A", 2019, "spending_lag", "warning"), ("A", 2020, "spending_lag", "warning"),
                   ("A", 2022, "spending_lag", "warning"), ("A", 2023, "spending_lag", "warning"),
                   ("A", 2024, "spending_lag", "warning"), ("B", 2021, "spending_lag", "warning"),
                   ("B", 2023, "spending_lag", "warning")])
    table = recurring_findings(f)
    assert table[["unit_code", "first_year", "last_year", "n_years"]].values.tolist() == [
        ["A", 2022, 2024, 3], ["A", 2019, 2020, 2]]          # longest first; B's years are not consecutive


def test_several_findings_of_one_kind_in_a_year_count_once_per_year_and_in_n_findings():
    f = _findings([("A", 2022, "claimed_vs_recomputed", "warning")] * 3 + [("A", 2023, "claimed_vs_recomputed", "warning")])
    row = recurring_findings(f).iloc[0]
    assert (row["n_years"], row["n_findings"]) == (2, 4)


def test_different_kinds_do_not_make_a_run_and_the_worst_severity_leads():
    f = _findings([("A", 2022, "low_rate_no_note", "warning"), ("A", 2023, "spending_lag", "warning"),
                   ("C", 2022, "weights_not_total", "error"), ("C", 2023, "weights_not_total", "info"),
                   ("D", 2021, "unexplained_deduction", "info"), ("D", 2022, "unexplained_deduction", "info"),
                   ("D", 2023, "unexplained_deduction", "info")])
    table = recurring_findings(f)
    assert table[["unit_code", "code", "severity"]].values.tolist() == [
        ["C", "weights_not_total", "error"], ["D", "unexplained_deduction", "info"]]


def test_one_year_or_nothing_gives_an_empty_table_and_min_years_is_checked():
    assert recurring_findings(_findings([("A", 2022, "spending_lag", "warning")])).empty
    assert recurring_findings(_findings([])).empty
    f = _findings([("A", y, "spending_lag", "warning") for y in (2021, 2022, 2023)])
    assert recurring_findings(f, min_years=3)["n_years"].tolist() == [3]
    assert recurring_findings(f, min_years=4).empty
    with pytest.raises(ValueError, match="at least 2"):
        recurring_findings(f, min_years=1)


def test_overclaims_need_half_a_point_in_consecutive_years():
    r = pd.DataFrame({"unit_code": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
                      "year": [2021, 2022, 2023] * 3,
                      "score_gap": [0.5, 0.5, -1.0,       # A: exactly 0.5 counts → 2021–2022
                                    0.49, 3.0, 3.0,       # B: 2022–2023
                                    1.0, None, 1.0]})     # C: a year without both scores breaks the run
    table = persistent_overclaims(r)
    assert table[["unit_code", "first_year", "last_year", "n_years"]].values.tolist() == [
        ["B", 2022, 2023, 2], ["A", 2021, 2022, 2]]    # equal length: larger mean first
    assert table.iloc[0]["mean_gap"] == 3.0 and table.iloc[1]["gaps"] == [(2021, 0.5), (2022, 0.5)]


def test_overclaims_keep_the_longest_run_of_a_unit():
    r = pd.DataFrame({"unit_code": ["A"] * 6, "year": [2018, 2019, 2020, 2021, 2022, 2023],
                      "score_gap": [1.0, 1.0, 0.0, 2.0, 2.0, 2.0]})
    row = persistent_overclaims(r).iloc[0]
    assert (row["first_year"], row["last_year"], row["max_gap"]) == (2021, 2023, 2.0)
    assert persistent_overclaims(r, points=2.5).empty


def test_district_ranks_share_ties_and_skip_missing_scores():
    r = pd.DataFrame({"year": [2023, 2023, 2023, 2023, 2022], "score": [90.0, 95.0, 90.0, None, 80.0]})
    assert district_ranks(r).tolist() == [2, 1, 2, pd.NA, 1]

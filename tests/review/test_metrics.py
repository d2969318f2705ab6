"""Execution rate and 共性指标 formulas: hand-computed cases, zero budget, execution over 100 %."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import perfeval_lib as pe


def budget(*rows):
    return pd.DataFrame(rows, columns=["unit_code", "year", "budget_initial", "budget_final", "executed"])


def test_rate_sums_lines_per_unit_year():
    rates = pe.execution_rate(budget(("A", 2022, 300.0, 400.0, 380.0), ("A", 2022, 10.0, 100.0, 95.0),
                                     ("B", 2022, 1.0, 50.0, 10.0)))
    assert rates[["unit_code", "budget_final", "executed"]].values.tolist() == [["A", 500.0, 475.0], ["B", 50.0, 10.0]]
    assert rates["execution_rate"].tolist() == [0.95, 0.2]


def test_rate_on_initial_budget():
    rates = pe.execution_rate(budget(("A", 2022, 400.0, 500.0, 380.0)), denominator="budget_initial")
    assert rates["execution_rate"].tolist() == [0.95]


def test_zero_budget_rate_is_missing_not_an_error():
    rates = pe.execution_rate(budget(("A", 2022, 0.0, 0.0, 0.0), ("B", 2022, np.nan, np.nan, 5.0)))
    assert rates["execution_rate"].isna().all()


def test_execution_over_100_percent_is_kept_raw():
    rates = pe.execution_rate(budget(("A", 2022, 69.06, 69.06, 76.36)))
    assert rates["execution_rate"].iloc[0] == pytest.approx(1.10570518)
    assert rates["over_budget"].tolist() == [True]


def test_rate_by_category():
    frame = budget(("A", 2022, 1.0, 100.0, 90.0), ("A", 2022, 1.0, 100.0, 50.0)).assign(category=["基本支出", "项目支出"])
    rates = pe.execution_rate(frame, by=["unit_code", "year", "category"])
    assert rates["execution_rate"].tolist() == [0.9, 0.5]


def test_common_formulas():
    assert pe.change_rate([95.0, 10.0], [100.0, 0.0]).round(6).tolist()[0] == -0.05
    assert np.isnan(pe.change_rate([10.0], [0.0])[0])
    assert pe.safe_ratio([1.0], [4.0]).tolist() == [0.25]

"""One formatting rule: money 2 decimals, rates 1 decimal %, scores 2 decimals, signed differences without ±0."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from perfeval_lib.core import formatting as fmt


@pytest.mark.parametrize("value, shown", [(3339.6600000000003, "3339.66"), (507.02, "507.02"), (1234.5, "1234.50"),
                                          (0.005, "0.01"), (-0.004, "0.00"), (None, "—"), (float("nan"), "—")])
def test_money(value, shown):
    assert fmt.money(value) == shown


@pytest.mark.parametrize("value, shown", [(1.0, "100.0%"), (0.98855, "98.9%"), (0.98845, "98.8%"), (0.49884, "49.9%"),
                                          (1.1057, "110.6%"), (-0.0001, "0.0%"), (None, "—")])
def test_rate(value, shown):
    assert fmt.rate(value) == shown


@pytest.mark.parametrize("value, shown", [(98, "98.00"), (7.6, "7.60"), (93.079556, "93.08"), (98.845, "98.85"),
                                          (2.675, "2.68"), (-0.001, "0.00"), (None, "—")])
def test_score_always_two_decimals_half_up(value, shown):
    assert fmt.score(value) == shown


@pytest.mark.parametrize("value, shown", [(3.5, "+3.50"), (-2.0, "-2.00"), (0.0, "0.00"), (0.004, "0.00"),
                                          (-0.004, "0.00"), (-0.005, "-0.01"), (1e-12, "0.00"), (None, "—")])
def test_diff_signed_without_zero_sign(value, shown):
    assert fmt.diff(value) == shown


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_no_negative_or_signed_zero_and_the_stored_number_is_the_shown_one(value):
    for kind, formatter in fmt.FORMATTERS.items():
        shown = formatter(value)
        assert not shown.startswith(("-0.00", "+0.00", "-0.0%", "-0")) or shown.lstrip("-+").strip("0.%") != ""
        assert shown not in {"-0", "+0", "-0.00", "+0.00", "-0.0%"}
    stored = fmt.round_half_up(value, 2)
    assert fmt.score(stored) == fmt.score(value) and not (stored == 0 and math.copysign(1, stored) < 0)


def test_rounded_frame_rounds_as_shown_and_leaves_text():
    frame = pd.DataFrame({"budget_final": [3339.6600000000003, np.nan], "execution_rate": [0.98855, 1.0],
                          "score": [93.079556, 98.0], "score_gap": [-0.001, 5.0934], "n_findings": [2.0, 0.0],
                          "unit_name": ["甲", None], "target": [0.1 + 0.2, 200.0]})
    rounded = fmt.rounded_frame(frame)
    assert rounded["budget_final"].tolist()[0] == 3339.66 and math.isnan(rounded["budget_final"].iloc[1])
    assert rounded["execution_rate"].tolist() == [0.989, 1.0]
    assert rounded["score"].tolist() == [93.08, 98.0] and rounded["score_gap"].tolist() == [0.0, 5.09]
    assert str(rounded["n_findings"].dtype) == "Int64" and rounded["unit_name"].iloc[0] == "甲"
    assert rounded["unit_name"].isna().iloc[1]
    assert rounded["target"].tolist() == [0.3, 200.0]                     # binary noise gone (0.30000000000000004)
    assert frame["budget_final"].iloc[0] == 3339.6600000000003           # the input is not modified


def test_display_frame_is_the_screen():
    shown = fmt.display_frame(pd.DataFrame({"score": [98.0], "execution_rate": [0.9], "score_gap": [0.0]}))
    assert shown.values.tolist() == [["98.00", "90.0%", "0.00"]]

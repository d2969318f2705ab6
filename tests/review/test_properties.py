"""Properties that must hold for any input (hypothesis): parsers never crash, scores stay in bounds,
rules are monotone in the right direction, totals stay within [0, 100], grade is a step function."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import perfeval_lib as pe
from perfeval_lib.core import parse
from perfeval_lib.review import scoring
from perfeval_lib.core.errors import PerfevalError

FAST = settings(max_examples=300, deadline=None)
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)
weights = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
messy_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789０１２３４５６７８９.,，%％万元≥≤=<>+-—/ 　\u200b\u202e不涉及无达成e", max_size=20),
)


@FAST
@given(messy_text)
def test_value_parsers_return_a_value_or_raise_our_error(text):
    for parser in (parse.parse_money, parse.parse_percent, parse.parse_number):
        try:
            value = parser(text)
        except PerfevalError:
            continue
        number = value.value if isinstance(value, parse.Number) else value
        assert math.isfinite(number)
    target = parse.parse_target(text)
    assert target.state in {"value", "text", "missing", "na"}
    assert (target.value is not None) == (target.state == "value")
    assert isinstance(parse.clean_text(text), str)


@FAST
@given(st.lists(st.one_of(messy_text, numbers, st.none()), max_size=20))
def test_parse_column_never_crashes(values):
    series = pd.Series(values, dtype="object")
    for kind in ("money", "percent", "number"):
        parsed = parse.parse_column(series, kind)
        assert len(parsed.values) == len(values)
        assert set(parsed.state) <= {"value", "missing", "na", "error"}
        finite = parsed.values[~np.isnan(parsed.values)]
        assert np.all(np.abs(finite) <= parse.MAX_ABS_VALUE * 1e4)


@FAST
@given(st.lists(st.tuples(rates, st.floats(min_value=0.0, max_value=2.0), weights), min_size=1, max_size=30))
def test_every_rule_scores_within_zero_and_weight(rows):
    actual, target, weight = (np.array(column, dtype=float) for column in zip(*rows))
    table = [[0.0, 1.0], [0.1, 0.8], [0.2, 0.6], [0.3, 0.4]]
    for result in (scoring.linear_capped(actual, target, weight), scoring.reverse_linear(actual, target, weight),
                   scoring.per_point_deduction(actual, target, weight, k=0.5),
                   scoring.step_deduction(actual, target, weight, step=0.05, points=2),
                   scoring.bands(actual, weight, table)):
        assert np.all((result >= 0) & (result <= weight + 1e-9))


@FAST
@given(st.floats(min_value=0.01, max_value=2.0), weights, st.lists(rates, min_size=2, max_size=20))
def test_positive_rules_are_monotone_and_reverse_rules_antitone(target, weight, values):
    actual = np.sort(np.array(values))
    n = len(actual)
    t, w = np.full(n, target), np.full(n, weight)
    assert np.all(np.diff(scoring.linear_capped(actual, t, w)) >= -1e-9)
    assert np.all(np.diff(scoring.step_deduction(actual, t, w, step=0.05, points=2)) >= -1e-9)
    assert np.all(np.diff(scoring.reverse_linear(actual, t, w)) <= 1e-9)
    assert np.all(np.diff(scoring.per_point_deduction(actual, t, w, k=0.5)) <= 1e-9)
    assert np.all(np.diff(scoring.bands(actual, w, [[0.0, 1.0], [0.1, 0.8], [0.2, 0.6]])) <= 1e-9)


@FAST
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=20), st.floats(min_value=0, max_value=1),
                          st.booleans()), min_size=1, max_size=25))
def test_totals_stay_within_0_and_100(rows):
    raw = np.array([r[0] for r in rows], dtype=float)
    weight = raw * 100.0 / raw.sum()
    weight[-1] = 100.0 - weight[:-1].sum()
    share = np.array([r[1] for r in rows])
    applicable = np.array([r[2] for r in rows])
    applicable[0] = True
    frame = pd.DataFrame({"unit_code": "A", "year": 2022, "ruleset": "mof-2020", "weight": weight,
                          "score": np.where(applicable, share * weight, np.nan),
                          "rule": np.where(applicable, "linear_capped", "not_applicable")})
    total = pe.totals(frame)
    if total["score_status"].iloc[0] == "recomputed":
        assert -1e-6 <= total["score"].iloc[0] <= 100 + 1e-6


@FAST
@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=2, max_size=50))
def test_grade_is_a_step_function_of_the_total(totals):
    ordered = sorted(totals)
    rank = {"差": 0, "中": 1, "良": 2, "优": 3}
    grades = [rank[pe.grade(t)] for t in ordered]
    assert grades == sorted(grades)
    for t in ordered:
        expected = 3 if t >= 90 else 2 if t >= 80 else 1 if t >= 60 else 0
        assert rank[pe.grade(t)] == expected

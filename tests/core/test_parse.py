"""Value parsers: the texts real finance tables contain."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from perfeval_lib.core import parse
from perfeval_lib.core.parse import ValueParseError


@pytest.mark.parametrize("text, expected", [
    ("507.02", 507.02), ("507.02万元", 507.02), ("5,070,200.00元", 507.02), ("１２３", 123.0),
    ("１２３．４５万元", 123.45), (" 1,234.50 ", 1234.5), ("0.5亿元", 5000.0), (507.02, 507.02), ("-3", -3.0),
])
def test_money_in_wan(text, expected):
    assert parse.parse_money(text) == pytest.approx(expected)


def test_money_header_unit_yuan():
    assert parse.parse_money("7,800,000.00", header_unit="元") == 780.0


@pytest.mark.parametrize("text", ["abc", "12..3", "1e308", "inf", "NaN万", "2022-01-05", "10%"])
def test_money_rejects(text):
    with pytest.raises(ValueParseError):
        parse.parse_money(text)


@pytest.mark.parametrize("text, expected", [("100%", 1.0), ("100.0％", 1.0), ("96.5%", 0.965), ("95", 0.95),
                                            ("-3.5%", -0.035), ("５０％", 0.5)])
def test_percent(text, expected):
    assert parse.parse_percent(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, direction, value, state", [
    ("≥90%", "≥", 0.9, "value"), ("≤2%", "≤", 0.02, "value"), ("=100%", "=", 1.0, "value"),
    (">=95%", "≥", 0.95, "value"), ("≥ 8", "≥", 8.0, "value"), ("12", None, 12.0, "value"),
    ("达成", None, None, "text"), ("不涉及", None, None, "na"), ("无", None, None, "na"),
    ("—", None, None, "missing"), ("-", None, None, "missing"), ("/", None, None, "missing"), ("", None, None, "missing"),
])
def test_target_split(text, direction, value, state):
    target = parse.parse_target(text)
    assert (target.direction, target.state) == (direction, state)
    if value is None:
        assert target.value is None
    else:
        assert target.value == pytest.approx(value)


def test_missing_and_not_applicable_kept_distinct():
    parsed = parse.parse_column(pd.Series(["—", "不涉及", "12", "x"]), "number")
    assert parsed.state.tolist() == ["missing", "na", "value", "error"]
    assert list(parsed.errors) == [3]


def test_parse_column_fast_and_slow_paths_agree():
    series = pd.Series(["1", "2.5", "3万元", "4,000.5", "５"])
    assert parse.parse_column(series, "money").values.tolist() == [1.0, 2.5, 3.0, 4000.5, 5.0]


def test_parse_column_from_numeric_dtype_with_yuan_header():
    assert parse.parse_column(pd.Series([5070200.0, math.nan]), "money", "元").values[0] == pytest.approx(507.02)


def test_target_column_bare_number_with_percent_measure():
    parsed = parse.parse_target_column(pd.Series(["95", "≥90%", "8"]), pd.Series([True, True, False]).to_numpy())
    assert parsed["value"].round(6).tolist() == [0.95, 0.9, 8.0]


@pytest.mark.parametrize("header, unit", [("全年预算数（万元）", "万元"), ("执行数(元)", "元"), ("执行数【单位：元】", "元"),
                                          ("执行数", None)])
def test_header_unit(header, unit):
    assert parse.header_unit(header) == unit

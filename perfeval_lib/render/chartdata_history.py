"""What the trend page's charts show: several units over the years, and their ranks within the district.

Like :mod:`perfeval_lib.render.chartdata` (whose readers it uses), nothing here draws: the frames are
checked, read without touching the caller's, and made ready for :mod:`perfeval_lib.render.svg.history`.
A rank is taken among all the rows of a year (pass the whole district): 1 is the best 复核得分 of that
year, ties share the better rank (86, 86, 80 rank 1, 1, 3).

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_name": ["财政局", "教育局"] * 2,
...                   "year": [2022, 2022, 2023, 2023], "score": [91.0, 85.0, 84.0, 88.0]})
>>> lines = rank_lines(r)
>>> lines.order, lines.frame["rank"].tolist()
(['B', 'A'], [1, 2, 2, 1])
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..core.errors import InputError
from .chartdata import check_columns, is_empty, numbers, texts, unit_labels

#: A chart of one line per unit draws at most this many units …
MAX_LINES = 12
#: … over at most this many (latest) years.
MAX_YEARS = 10
#: Small multiples (:func:`rank_grid`) draw at most this many panels.
MAX_PANELS = 30


def _one_row_per_unit_year(data: pd.DataFrame) -> None:
    """Raise InputError when a unit appears twice in one year."""
    doubled = data[data.duplicated(["code", "year"])]
    if len(doubled):
        raise InputError(column="unit_code", value=f"{doubled['code'].iloc[0]} {doubled['year'].iloc[0]}",
                         expected="每个单位每年一行 / one row per unit and year",
                         message="单位年度重复 / a unit appears twice in one year")


def _names(data: pd.DataFrame) -> dict[str, str]:
    """Each unit's name in its latest year that has one (its code when it has none)."""
    names = {code: code for code in data["code"]}
    named = data.dropna(subset=["name"]).sort_values("year", kind="stable")
    names.update(dict(zip(named["code"], named["name"])))
    return names


def _ranked(results: pd.DataFrame, chart: str) -> pd.DataFrame | None:
    """Rows with a code, a year and a score, ``year`` as int64, with ``rank`` within each year."""
    check_columns(results, ["unit_code", "unit_name", "year", "score"], chart)
    data = pd.DataFrame({"code": texts(results, "unit_code").to_numpy(), "name": texts(results, "unit_name").to_numpy(),
                         "year": numbers(results, "year"), "score": numbers(results, "score")})
    data = data.dropna(subset=["code", "year", "score"])
    if data.empty:
        return None
    data = data.assign(year=data["year"].round().astype("int64"))
    _one_row_per_unit_year(data)
    return data.assign(rank=data.groupby("year")["score"].rank(method="min", ascending=False).astype("int64"))


@dataclass(frozen=True)
class RankLines:
    """The ranks a chart of one line per unit draws (see :func:`rank_lines`).

    ``frame``: columns ``code``, ``name``, ``year`` (int64), ``score`` and ``rank`` (int64) of the drawn
    years; ``order``: the units drawn, best latest rank first; ``names``: code → name; ``early_years``: how
    many older years were left out; ``left_out``: how many units were left out.
    """

    frame: pd.DataFrame
    order: list[str]
    names: dict[str, str]
    early_years: int
    left_out: int


def rank_lines(results: pd.DataFrame, unit_codes: Iterable[str] | None = None) -> RankLines | None:
    """Each unit's rank over the years, ready to draw as one line per unit.

    Ranks are taken among all units of a year, then the chosen units are kept — at most
    :data:`MAX_LINES` (12), the best ranked in their latest year (ties: by code), over at most the latest
    :data:`MAX_YEARS` (10) years.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score`` (points); one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw; default all.

    Returns
    -------
    RankLines or None
        ``None`` when no row has a code, a year and a score, or none of ``unit_codes`` has one.

    Raises
    ------
    InputError
        When a column named above is missing, or a unit appears twice in one year.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "B", "C"], "unit_name": ["甲", "乙", "丙"], "year": [2023] * 3,
    ...                   "score": [80.0, 90.0, 85.0]})
    >>> rank_lines(r, ["A", "C"]).frame[["code", "rank"]].to_dict("list")
    {'code': ['A', 'C'], 'rank': [3, 2]}
    """
    if is_empty(results):
        return None
    data = _ranked(results, "ranks_over_years")
    if data is None:
        return None
    if unit_codes is not None:
        data = data[data["code"].isin({str(code) for code in unit_codes})]
        if data.empty:
            return None
    years = sorted(data["year"].unique())
    early_years = max(len(years) - MAX_YEARS, 0)
    data = data[data["year"] >= years[early_years]]
    latest = data.sort_values("year", kind="stable").groupby("code", sort=False).tail(1)
    order = latest.sort_values(["rank", "code"])["code"].tolist()
    left_out = max(len(order) - MAX_LINES, 0)
    order = order[:MAX_LINES]
    data = data[data["code"].isin(order)].sort_values(["code", "year"]).reset_index(drop=True)
    return RankLines(data, order, _names(data), early_years, left_out)


def unit_years(results: pd.DataFrame) -> pd.DataFrame | None:
    """A few units' 预算执行率 and 复核得分 by year, ready to draw as one line per unit.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year``, ``execution_rate`` (fraction) and ``score`` (points);
        one row per unit and year.

    Returns
    -------
    DataFrame or None
        Columns ``code``, ``name`` (the unit's name, its code when it has none), ``year`` (int64), ``rate``
        and ``score`` (NaN where missing), by code and year; rows with neither value left out. ``None``
        when fewer than two years are left.

    Raises
    ------
    InputError
        When a column named above is missing, a unit appears twice in one year, or there are more than
        :data:`MAX_LINES` units.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["B", "A", "A"], "unit_name": ["教育局", None, "财政局"], "year": [2022, 2023, 2022],
    ...                   "execution_rate": [0.8, 0.95, 0.9], "score": [85.0, 93.0, None]})
    >>> unit_years(r)[["code", "name", "year"]].to_dict("list")
    {'code': ['A', 'A', 'B'], 'name': ['财政局', 'A', '教育局'], 'year': [2022, 2023, 2022]}
    """
    if is_empty(results):
        return None
    check_columns(results, ["unit_code", "unit_name", "year", "execution_rate", "score"], "unit_lines")
    data = pd.DataFrame({"code": texts(results, "unit_code").to_numpy(),
                         "name": unit_labels(results.drop(columns="year")).to_numpy(),
                         "year": numbers(results, "year"), "rate": numbers(results, "execution_rate"),
                         "score": numbers(results, "score")}).dropna(subset=["code", "year"])
    data = data[data[["rate", "score"]].notna().any(axis=1)]
    if data.empty or data["year"].round().nunique() < 2:
        return None
    data = data.assign(year=data["year"].round().astype("int64")).sort_values(["code", "year"])
    _one_row_per_unit_year(data)
    units = data["code"].nunique()
    if units > MAX_LINES:
        raise InputError(column="unit_code", value=units, expected=f"至多 {MAX_LINES} 个单位 / at most {MAX_LINES} units",
                         message="单位太多，无法逐一画线 / too many units for one line each")
    return data.reset_index(drop=True)


@dataclass(frozen=True)
class RankGrid:
    """The panels of a small-multiples rank chart (see :func:`rank_grid`).

    ``frame``: columns ``code``, ``name``, ``year`` (int64), ``score`` and ``rank`` (int64) of the units
    drawn; ``codes``: the units, one panel each, in order; ``names``: code → name; ``years``: every year
    with a score, ascending; ``bottom``: the district's last rank (the bottom of every panel).
    """

    frame: pd.DataFrame
    codes: list[str]
    names: dict[str, str]
    years: list[int]
    bottom: int


def rank_grid(results: pd.DataFrame, unit_codes: Iterable[str] | None = None) -> RankGrid | None:
    """Each unit's rank over the years, one panel per unit, every panel on the same axes.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score`` (points); one row per unit and year,
        the whole district (ranks are taken among all rows of a year).
    unit_codes : iterable of str, optional
        The units to draw, in this order (codes without a score are skipped); default all, by code. At most
        :data:`MAX_PANELS` (30).

    Returns
    -------
    RankGrid or None
        ``None`` when fewer than two years have a score, or none of ``unit_codes`` has one.

    Raises
    ------
    InputError
        When a column named above is missing, or a unit appears twice in one year.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_name": ["财政局", "教育局"] * 2,
    ...                   "year": [2022, 2022, 2023, 2023], "score": [91.0, 85.0, 84.0, 88.0]})
    >>> g = rank_grid(r, ["B", "A"])
    >>> g.codes, g.years, g.bottom
    (['B', 'A'], [2022, 2023], 2)
    """
    if is_empty(results):
        return None
    data = _ranked(results, "rank_panels")
    if data is None or data["year"].nunique() < 2:
        return None
    present = set(data["code"])
    codes = list(dict.fromkeys(str(c) for c in unit_codes)) if unit_codes is not None else sorted(present)
    codes = [c for c in codes if c in present][:MAX_PANELS]
    if not codes:
        return None
    bottom = int(data["rank"].max())
    years = sorted(int(y) for y in data["year"].unique())
    shown = data[data["code"].isin(codes)].sort_values(["code", "year"]).reset_index(drop=True)
    return RankGrid(shown, codes, _names(shown), years, bottom)

"""Multi-year trends of chosen units: rates and mean scores over the years, ranks, grade moves.

Like :mod:`perfeval_lib.render.report`, every function returns an HTML fragment or a figure fragment, so the
trends notebook only calls and shows; it reaches them through :mod:`perfeval_lib.render.overview`. Money
is in 万元, rates are fractions (shown as percent), scores in points.

Examples
--------
>>> from perfeval_lib.render import overview as ov
>>> t = ov.trends(units=["D001", "D009"], years=[2021, 2022, 2023])  # doctest: +SKIP
>>> ov.show(ov.trends_title(t), ov.chart_trend(t), ov.rank_changes(t))  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.codes import match_codes
from ..core.errors import UnitNotFound
from ..core.store import processed_tables
from ..core.templating import render_html
from ..core.vocab import GRADES
from . import charts
from .report import Fragment, figure

__all__ = ["Trends", "trends", "trends_title", "chart_trend", "chart_ranks", "rank_changes", "grade_moves"]


@dataclass
class Trends:
    """Results of the chosen units and years (one row per unit-year) with ranks within each year.

    ``table`` holds the ``results`` columns plus ``rank`` (1 = best recomputed score of that year among
    the chosen units), sorted by unit and year; ``units`` and ``years`` the codes and years it holds.

    Examples
    --------
    >>> t = Trends(pd.DataFrame({"unit_code": ["A"], "year": [2023], "rank": [1]}), ["A"], [2023])
    >>> t.units, t.years
    (['A'], [2023])
    """

    table: pd.DataFrame
    units: list[str]
    years: list[int]


def trends(units=None, years=None, processed_dir=None) -> Trends:
    """Select units and years (None = all) from the results table and rank units within each year.

    Parameters
    ----------
    units : list of str, optional
        Unit codes; default every unit.
    years : list of int, optional
        Years; default every year.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    Trends
        The chosen ``results`` rows with ``rank``.

    Raises
    ------
    UnitNotFound
        When a unit code (typed in any case) is not in the results.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> t = trends(units=["D001", "D009"], years=[2021, 2022, 2023])  # doctest: +SKIP
    >>> t.table[["unit_code", "year", "score", "rank"]]               # doctest: +SKIP
    """
    results = processed_tables(processed_dir)["results"]
    if units:
        units, unknown = match_codes(units, results["unit_code"])
        if unknown:
            raise UnitNotFound(f"未知的单位编码 / unknown unit codes: {', '.join(unknown)}")
        results = results[results["unit_code"].isin(units)]
    if years:
        results = results[results["year"].isin(years)]
    rank = results.groupby("year")["score"].rank(ascending=False, method="min")
    table = results.assign(rank=pd.array(rank, dtype="Int64")).sort_values(["unit_code", "year"]).reset_index(drop=True)
    return Trends(table, sorted(table["unit_code"].unique()), sorted(int(y) for y in table["year"].unique()))


def trends_title(t: Trends) -> Fragment:
    """The title of the trends page: how many units, which years.

    Parameters
    ----------
    t : Trends
        The selection.

    Returns
    -------
    Fragment
        HTML.

    Examples
    --------
    >>> "2021" in trends_title(Trends(pd.DataFrame(), ["A", "B"], [2021, 2023]))
    True
    """
    return Fragment(render_html("html/trends_title.html.j2", units=len(t.units), years=t.years))


def _yearly_means(t: Trends) -> pd.DataFrame:
    """Per year: the selection's overall rate (executed / budget) and mean scores."""
    grouped = t.table.groupby("year").agg(budget_final=("budget_final", "sum"), executed=("executed", "sum"),
                                          score=("score", "mean"), claimed_score=("claimed_score", "mean"))
    grouped["execution_rate"] = grouped["executed"] / grouped["budget_final"]
    return grouped.reset_index()[["year", "execution_rate", "score", "claimed_score"]]


def chart_trend(t: Trends) -> Fragment:
    """Execution rate and mean scores of the selection over the years.

    Parameters
    ----------
    t : Trends
        The selection (``budget_final``, ``executed`` in 万元, ``score``, ``claimed_score`` per unit-year).

    Returns
    -------
    Fragment
        图1 (:func:`perfeval_lib.render.charts.trend`), or a note when there are fewer than two years.

    Examples
    --------
    >>> show(chart_trend(trends()))                                   # doctest: +SKIP
    """
    return figure(charts.trend(_yearly_means(t)), "图1 所选单位的整体执行率与平均得分", "所选年份少于两年，无法绘制趋势。")


def chart_ranks(t: Trends) -> Fragment:
    """Each unit's rank by recomputed score over the years (at most 12 units drawn).

    Parameters
    ----------
    t : Trends
        The selection.

    Returns
    -------
    Fragment
        图2 (:func:`perfeval_lib.render.charts.ranks_over_years`), or a note when nothing can be drawn.

    Raises
    ------
    InputError
        When a unit appears twice in one year.

    Examples
    --------
    >>> show(chart_ranks(trends(years=[2022, 2023])))                 # doctest: +SKIP
    """
    return figure(charts.ranks_over_years(t.table[["unit_code", "unit_name", "year", "score"]], t.units[:12]),
                  "图2 各单位复核得分排名变化", "所选年份少于两年，无法绘制排名变化。")


def rank_changes(t: Trends) -> Fragment:
    """Rank in the first and the last selected year, and the change (positive: moved up).

    Parameters
    ----------
    t : Trends
        The selection (``unit_code``, ``unit_name``, ``year``, ``rank``).

    Returns
    -------
    Fragment
        HTML table, the units that moved up most first; a note when fewer than two years are selected.

    Examples
    --------
    >>> table = pd.DataFrame({"unit_code": ["A", "A", "B", "B"], "unit_name": ["财政局", "财政局", "教育局", "教育局"],
    ...                       "year": [2022, 2023, 2022, 2023], "rank": [2, 1, 1, 2]})
    >>> "财政局" in rank_changes(Trends(table, ["A", "B"], [2022, 2023]))
    True
    """
    if len(t.years) < 2:
        return Fragment(render_html("html/note.html.j2", text="所选年份少于两年，没有排名变化。"))
    first, last = t.years[0], t.years[-1]
    pivot = t.table.pivot_table(index=["unit_code", "unit_name"], columns="year", values="rank", aggfunc="first")
    rows = []
    for (code, name), row in pivot.iterrows():
        a, b = row.get(first), row.get(last)
        change = (a - b) if pd.notna(a) and pd.notna(b) else np.nan
        rows.append({"unit_code": code, "unit_name": name, "first": a, "last": b, "change": change})
    rows.sort(key=lambda r: (-(r["change"] if pd.notna(r["change"]) else -999), r["unit_code"]))
    return Fragment(render_html("html/rank_changes.html.j2", rows=rows, first=first, last=last))


def grade_moves(t: Trends) -> Fragment:
    """Units whose recomputed grade changed from one selected year to the next.

    Parameters
    ----------
    t : Trends
        The selection (``unit_code``, ``unit_name``, ``year``, ``grade``).

    Returns
    -------
    Fragment
        HTML list of moves (from year and grade, to year and grade, up or down). A year without a
        recomputed grade (no indicator table, weights that do not add up) is no move.

    Examples
    --------
    >>> table = pd.DataFrame({"unit_code": ["A", "A"], "unit_name": ["财政局"] * 2, "year": [2022, 2023],
    ...                       "grade": ["良", "优"]})
    >>> "财政局" in grade_moves(Trends(table, ["A"], [2022, 2023]))
    True
    >>> "财政局" in grade_moves(Trends(table.assign(grade=[None, "优"]), ["A"], [2022, 2023]))
    False
    """
    moves = []
    for code, group in t.table.sort_values("year").groupby("unit_code"):
        previous = None
        for row in group.itertuples():
            if previous is not None and row.grade in GRADES and previous.grade in GRADES and row.grade != previous.grade:
                moves.append({"unit_code": code, "unit_name": row.unit_name, "from_year": previous.year,
                              "to_year": row.year, "from": previous.grade, "to": row.grade,
                              "up": GRADES.index(row.grade) < GRADES.index(previous.grade)})
            previous = row
    return Fragment(render_html("html/grade_moves.html.j2", moves=moves))

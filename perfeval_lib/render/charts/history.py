"""Charts across years for several units: one line per unit, and ranks as small multiples.

Each function takes a plain DataFrame (never modified) and returns a report figure
(:func:`~perfeval_lib.render.charts.style.new_figure`), or ``None`` when there is nothing to draw.
Rates are fractions in the data (0.95) and shown as percent (95%); scores are in points.
"""
from __future__ import annotations

import math

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from ...core.errors import InputError
from ..chartdata import check_columns, is_empty, numbers, texts, unit_labels
from ..palette import BLUE, DARK, GREY
from ._shared import percent_axis, year_axis
from .style import HEIGHT, MAX_LINES, new_figure, setup_fonts

__all__ = ["unit_lines", "rank_panels"]

#: At most this many panels in :func:`rank_panels`.
MAX_PANELS = 30


def _one_row_per_unit_year(data: pd.DataFrame) -> None:
    """Raise InputError when a unit appears twice in one year."""
    doubled = data[data.duplicated(["code", "year"])]
    if len(doubled):
        raise InputError(column="unit_code", value=f"{doubled['code'].iloc[0]} {doubled['year'].iloc[0]}",
                         expected="每个单位每年一行 / one row per unit and year",
                         message="单位年度重复 / a unit appears twice in one year")


def unit_lines(results: pd.DataFrame) -> Figure | None:
    """Two panels over the years, one line per unit: 预算执行率, and 复核得分.

    For a few chosen units (at most :data:`~perfeval_lib.render.charts.style.MAX_LINES`), each drawn in
    its own colour and named in the legend; for many units use an aggregate instead.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year``, ``execution_rate`` (fraction) and ``score``;
        one row per unit and year.

    Returns
    -------
    Figure or None
        ``None`` when fewer than two years have a value.

    Raises
    ------
    InputError
        When a column named above is missing, a unit appears twice in one year, or there are more
        than ``MAX_LINES`` units.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "A", "B", "B"], "unit_name": ["财政局", "财政局", "教育局", "教育局"],
    ...                   "year": [2022, 2023, 2022, 2023], "execution_rate": [0.9, 0.95, 0.8, 0.99],
    ...                   "score": [91.0, 93.0, 85.0, 88.0]})
    >>> fig = unit_lines(r)
    >>> [sum(not line.get_label().startswith('_') for line in ax.get_lines()) for ax in fig.axes[:2]], fig.get_suptitle()
    ([2, 2], '各单位历年预算执行率与复核得分')
    """
    setup_fonts()
    if is_empty(results):
        return None
    check_columns(results, ["unit_code", "unit_name", "year", "execution_rate", "score"], "unit_lines")
    data = pd.DataFrame({"code": texts(results, "unit_code").to_numpy(), "name": unit_labels(results.drop(columns="year")).to_numpy(),
                         "year": numbers(results, "year"), "rate": numbers(results, "execution_rate"),
                         "score": numbers(results, "score")}).dropna(subset=["code", "year"])
    data = data[data[["rate", "score"]].notna().any(axis=1)]
    if data.empty or data["year"].nunique() < 2:
        return None
    data = data.assign(year=data["year"].round().astype("int64")).sort_values(["code", "year"])
    _one_row_per_unit_year(data)
    codes = list(dict.fromkeys(data["code"]))
    if len(codes) > MAX_LINES:
        raise InputError(column="unit_code", value=len(codes), expected=f"至多 {MAX_LINES} 个单位 / at most {MAX_LINES} units",
                         message="单位太多，无法逐一画线 / too many units for one line each")
    fig = new_figure(4.0 if len(codes) > 4 else HEIGHT)
    left, right = fig.subplots(1, 2)
    colours = mpl.colormaps["tab10"].colors
    for i, code in enumerate(codes):
        unit = data[data["code"] == code]
        colour = colours[i % 10]
        name = unit["name"].iloc[-1]
        rates, scores = unit.dropna(subset=["rate"]), unit.dropna(subset=["score"])
        left.plot(rates["year"], rates["rate"], marker="o", markersize=4, linewidth=1.8, color=colour, label=name)
        right.plot(scores["year"], scores["score"], marker="o", markersize=4, linewidth=1.8, color=colour, label=name)
    rates = data["rate"].dropna()
    if len(rates):
        left.set_ylim(min(float(rates.min()), 0.9) - 0.05, max(float(rates.max()), 1.0) + 0.03)
    left.axhline(0.9, linestyle=":", color=DARK, linewidth=0.8)
    percent_axis(left.yaxis)
    left.set_title("预算执行率")
    scores = data["score"].dropna()
    if len(scores):
        right.set_ylim(min(float(scores.min()), 80.0) - 5, max(float(scores.max()), 100.0) + 2)
    right.set_ylabel("分")
    right.set_title("复核得分")
    for ax in (left, right):
        year_axis(ax, data["year"])
        ax.set_xlabel("年度")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=min(len(codes), 4), fontsize=8)
    fig.suptitle("各单位历年预算执行率与复核得分")
    return fig


def rank_panels(results: pd.DataFrame, unit_codes=None) -> Figure | None:
    """Small multiples: one small panel per unit with its rank (1 = best 复核得分 of the year) over the years.

    Ranks are taken among all rows of a year (pass the whole district), ties sharing the better rank;
    every panel has the same axes (rank 1 at the top, the district's last rank at the bottom), so 24
    units stay readable where 24 crossing lines would not. At most :data:`MAX_PANELS` panels, in the
    order given.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score``; one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw, in this order; default all, by code.

    Returns
    -------
    Figure or None
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
    >>> fig = rank_panels(r)
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()], fig.axes[0].get_lines()[0].get_ydata().tolist()
    (['财政局', '教育局'], [1, 2])
    """
    setup_fonts()
    if is_empty(results):
        return None
    check_columns(results, ["unit_code", "unit_name", "year", "score"], "rank_panels")
    data = pd.DataFrame({"code": texts(results, "unit_code").to_numpy(),
                         "name": texts(results, "unit_name").to_numpy(),
                         "year": numbers(results, "year"), "score": numbers(results, "score")})
    data = data.dropna(subset=["code", "year", "score"])
    if data.empty or data["year"].nunique() < 2:
        return None
    data = data.assign(year=data["year"].round().astype("int64"))
    _one_row_per_unit_year(data)
    data = data.assign(rank=data.groupby("year")["score"].rank(method="min", ascending=False).astype("int64"))
    bottom = int(data["rank"].max())
    codes = list(dict.fromkeys(str(c) for c in unit_codes)) if unit_codes is not None else sorted(data["code"].unique())
    codes = [c for c in codes if c in set(data["code"])][:MAX_PANELS]
    if not codes:
        return None
    columns = min(len(codes), 6)
    rows = math.ceil(len(codes) / columns)
    fig = new_figure(max(HEIGHT * 0.6, 1.35 * rows + 0.5))
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
    years = sorted(data["year"].unique())
    for ax, code in zip(axes, codes):
        unit = data[data["code"] == code].sort_values("year")
        names = unit["name"].dropna()
        name = names.iloc[-1] if len(names) else code
        ax.axhspan(0.5, min(3.5, bottom + 0.5), color=GREY, alpha=0.35, linewidth=0)
        ax.plot(unit["year"], unit["rank"], marker="o", markersize=3, linewidth=1.5, color=BLUE)
        last = unit.iloc[-1]
        ax.annotate(f"{int(last['rank'])}", (last["year"], last["rank"]), xytext=(3, 0), textcoords="offset points",
                    fontsize=7, color=DARK, va="center")
        ax.set_title(name if len(name) <= 9 else name[:8] + "…", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", linewidth=0.4)
    for ax in axes[len(codes):]:
        ax.set_visible(False)
    axes[0].set_ylim(bottom + 0.5, 0.5)
    axes[0].set_xticks([years[0], years[-1]], [str(years[0]), str(years[-1])])
    axes[0].set_xlim(years[0] - 0.4, years[-1] + 0.6)
    fig.supylabel("全区排名（1 = 得分最高）", fontsize=8)
    fig.suptitle(f"各单位历年全区排名（{years[0]}–{years[-1]}，灰带为前三名）")
    return fig

"""What every matplotlib chart does with its axes (a private module of the charts package).

The axes show money (万元, thousands separators), rates (fractions as round percentages) or years.
Reading the input frames is :mod:`perfeval_lib.render.chartdata`'s.
"""
from __future__ import annotations

from collections.abc import Iterable

from matplotlib.ticker import FuncFormatter, MaxNLocator


def year_axis(ax, years: Iterable[int]) -> None:
    """One tick per year (slanted beyond six years), with room on both sides."""
    years = sorted(set(int(y) for y in years))
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 6 else 0)
    if len(years) == 1:
        ax.set_xlim(years[0] - 1, years[0] + 1)
    else:
        ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)


def percent_axis(axis) -> None:
    """Fractions shown as percent, ticks on round percentages (2%, 5%, 10%, …, not 97.5% as 98%)."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{round(value * 100, 6):g}%"))


def money_axis(axis) -> None:
    """万元 with thousands separators and no decimals (1,234)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))

"""What every matplotlib chart does with its axes (a private module of the charts package).

The axes show money (万元, thousands separators) or rates (fractions as round percentages).
Reading the input frames is :mod:`perfeval_lib.render.chartdata`'s.
"""
from __future__ import annotations

from matplotlib.ticker import FuncFormatter, MaxNLocator


def percent_axis(axis) -> None:
    """Fractions shown as percent, ticks on round percentages (2%, 5%, 10%, …, not 97.5% as 98%)."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{round(value * 100, 6):g}%"))


def money_axis(axis) -> None:
    """万元 with thousands separators and no decimals (1,234)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))

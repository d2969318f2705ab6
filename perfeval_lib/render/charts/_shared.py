"""What every chart does with its input frame and its axes (a private module of the charts package).

Inputs are read without touching the caller's frame: a column as float64 (:func:`numbers`) or as
text (:func:`texts`), missing stays missing; a missing column is an :class:`InputError` naming it.
Labels are wrapped for Chinese text, and the axes show money (万元, thousands separators), rates
(fractions as round percentages) or years.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ...core import formatting
from ...core.errors import InputError


def check_columns(frame: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    """Raise :class:`InputError` naming every column of ``columns`` that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(column="、".join(missing), expected="、".join(columns),
                         message=f"图表 {chart} 的数据缺少列 / missing columns")


def is_empty(frame: pd.DataFrame | None) -> bool:
    """No frame, or a frame without rows."""
    return frame is None or len(frame) == 0


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 (text and missing values become NaN), without touching the frame."""
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, missing stays missing (NaN)."""
    values = frame[column]
    text = np.where(values.isna().to_numpy(), None, values.astype("str").to_numpy(dtype=object))
    return pd.Series(text, index=values.index, dtype="str")


def num_label(value: float) -> str:
    """Points as every page shows them (:func:`perfeval_lib.core.formatting.score`): 18.5 -> '18.50'."""
    return formatting.score(value)


def signed_label(value: float) -> str:
    """A difference as every page shows it (:func:`perfeval_lib.core.formatting.diff`): 2.5 -> '+2.50', 0.0 -> '0.00'."""
    return formatting.diff(value)


def wrap(text: str, width: int, max_lines: int = 4) -> str:
    """Break a (Chinese) label into lines of at most ``width`` characters, at most ``max_lines`` of them (…)."""
    text = str(text)
    if len(text) > width * max_lines:  # a 300-character unit name stays a label, not a page of text
        text = text[:width * max_lines - 1] + "…"
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def shorten(text: object, limit: int = 40) -> str:
    """A label of at most ``limit`` characters (…): a legend entry for a 300-character name stays one line."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def unit_labels(frame: pd.DataFrame) -> pd.Series:
    """``unit_name``, with the year added when the frame holds several years."""
    names = texts(frame, "unit_name")
    if "unit_code" in frame.columns:
        names = names.fillna(texts(frame, "unit_code"))
    names = names.fillna("（未命名）")
    if "year" in frame.columns:
        years = pd.to_numeric(frame["year"], errors="coerce")
        if years.nunique() > 1:
            suffix = years.map(lambda y: "" if pd.isna(y) else f"（{int(y)}）")
            names = names + suffix
    return names


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

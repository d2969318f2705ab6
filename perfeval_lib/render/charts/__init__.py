"""matplotlib figures (PNG) for the Word draft and the year and trend pages, with Chinese text that renders on any machine.

The Chinese font is the OFL *Noto Sans SC* shipped by the pip package ``pylopdf-fonts-zh-cn``;
:func:`setup_fonts` registers it with matplotlib and sets a clean report style, and every chart
function calls it first, so nothing needs a system CJK font.

Every chart function takes a plain DataFrame (never modified), returns a
:class:`matplotlib.figure.Figure` about 7 in wide and 3–4 in high, or ``None`` when there is
nothing to draw (no rows, or only missing values) — the caller then writes a sentence instead.
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%); scores in points.

The package: :mod:`~perfeval_lib.render.charts.style` (the font, sizes, colours, rcParams, PNG
encoding), :mod:`~perfeval_lib.render.charts.unit` (charts of one unit for its Word draft: :func:`budget_vs_executed`,
:func:`spending_curve`, :func:`score_by_level1`; a unit's HTML page draws them as SVG, :mod:`perfeval_lib.render.svg`) and :mod:`~perfeval_lib.render.charts.year`
(charts across units: :func:`grade_counts`, :func:`rate_vs_score`, :func:`score_gaps`,
:func:`findings_by_kind`, :func:`ranks_over_years`) and :mod:`~perfeval_lib.render.charts.history` (several
units over the years: :func:`unit_lines`, :func:`rank_panels`); every public name is importable from here.

Backend
-------
This package never touches the matplotlib backend and never uses ``pyplot``: figures are built
directly as :class:`matplotlib.figure.Figure` objects, which need no backend at all (``savefig``
to PNG always renders with Agg). So

* a headless machine (no display) works without ``matplotlib.use("Agg")``;
* a notebook keeps its inline backend (a global ``matplotlib.use`` would break it), and a
  figure is not also registered with pyplot, so it is neither shown twice at the end of a cell
  nor kept alive in pyplot's figure list when a report draws hundreds of charts;
* a figure returned as the last expression of a notebook cell still displays, once, through
  the ``_repr_png_`` of the small :class:`Figure` subclass used here.

Examples
--------
>>> import pandas as pd
>>> fig = grade_counts(pd.DataFrame({"grade": ["优", "良", None], "claimed_grade": ["优", "优", "良"]}))
>>> fig.axes[0].get_title()
'复核与自评等级分布'
>>> len(figure_png(fig)) < 60_000
True
"""
from __future__ import annotations

from .style import setup_fonts, figure_png
from .unit import budget_vs_executed, spending_curve, score_by_level1
from .year import grade_counts, rate_vs_score, score_gaps, findings_by_kind, ranks_over_years
from .history import unit_lines, rank_panels

__all__ = [
    "setup_fonts", "figure_png", "budget_vs_executed", "spending_curve", "score_by_level1",
    "grade_counts", "rate_vs_score", "score_gaps", "findings_by_kind", "ranks_over_years", "unit_lines",
    "rank_panels",
]

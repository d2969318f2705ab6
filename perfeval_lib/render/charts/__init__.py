"""matplotlib figures (PNG) for the Word draft, with Chinese text that renders on any machine.

The Chinese font is the OFL *Noto Sans SC* shipped by the pip package ``pylopdf-fonts-zh-cn``;
:func:`setup_fonts` registers it with matplotlib and sets a clean report style, and every chart
function calls it first, so nothing needs a system CJK font.

Every chart function takes a plain DataFrame (never modified), returns a
:class:`matplotlib.figure.Figure` about 7 in wide and 3–4 in high, or ``None`` when there is
nothing to draw (no rows, or only missing values) — the caller then writes a sentence instead.
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%); scores in points.

The package: :mod:`~perfeval_lib.render.charts.style` (the font, sizes, colours, rcParams, PNG
encoding) and :mod:`~perfeval_lib.render.charts.unit` (charts of one unit for its Word draft: :func:`budget_vs_executed`,
:func:`spending_curve`, :func:`score_by_level1`); every public name is importable from here. The HTML
pages draw every chart as SVG instead (:mod:`perfeval_lib.render.svg`), from the same numbers.

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
>>> fig = score_by_level1(pd.DataFrame({"level1": ["决策", "产出"], "weight": [20.0, 80.0], "score": [18.0, 70.0],
...                                     "claimed_score": [20.0, 78.0]}))
>>> fig.axes[0].get_title()
'各一级指标得分与分值'
>>> len(figure_png(fig)) < 60_000
True
"""
from __future__ import annotations

from .style import setup_fonts, figure_png
from .unit import budget_vs_executed, spending_curve, score_by_level1

__all__ = ["setup_fonts", "figure_png", "budget_vs_executed", "spending_curve", "score_by_level1"]

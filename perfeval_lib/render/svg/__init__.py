"""Vector (SVG) charts for the HTML pages: drawn in milliseconds, sharp at any zoom, their text real text.

:mod:`~perfeval_lib.render.svg.canvas` is the drawing kit (text measured for Chinese, round ticks, one
style); :mod:`~perfeval_lib.render.svg.unit` the charts of a unit's report (:func:`budget_vs_executed`,
:func:`spending_curve`, :func:`score_by_level1`, :func:`trend`); :mod:`~perfeval_lib.render.svg.year` the
year overview's (:func:`grade_counts`, :func:`rate_vs_score`, :func:`score_gaps`, :func:`findings_by_kind`);
:mod:`~perfeval_lib.render.svg.history` the trends page's (:func:`unit_lines`, :func:`ranks_over_years`,
:func:`rank_panels`). Nothing here imports matplotlib: no HTML page needs its import nor its drawing time.
The Word draft's charts stay PNG (:mod:`perfeval_lib.render.charts`), drawn from the same numbers
(:mod:`perfeval_lib.render.chartdata`).

Examples
--------
>>> import pandas as pd
>>> chart = trend(pd.DataFrame({"year": [2022, 2023], "execution_rate": [0.95, 0.97],
...                             "score": [90.0, 92.0], "claimed_score": [94.0, 95.0]}))
>>> chart.svg[:4], chart.title
('<svg', '历年预算执行率与得分')
"""
from __future__ import annotations

from .canvas import SvgChart
from .history import rank_panels, ranks_over_years, unit_lines
from .unit import budget_vs_executed, score_by_level1, spending_curve, trend
from .year import NumberedChart, findings_by_kind, grade_counts, rate_vs_score, score_gaps

__all__ = ["SvgChart", "NumberedChart", "budget_vs_executed", "spending_curve", "score_by_level1", "trend",
           "grade_counts", "rate_vs_score", "score_gaps", "findings_by_kind", "unit_lines", "ranks_over_years",
           "rank_panels"]

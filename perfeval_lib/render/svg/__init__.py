"""Vector (SVG) charts for the HTML pages: drawn in milliseconds, sharp at any zoom, their text real text.

:mod:`~perfeval_lib.render.svg.canvas` is the drawing kit (text measured for Chinese, round ticks, one
style); :mod:`~perfeval_lib.render.svg.unit` the charts of a unit's report (:func:`budget_vs_executed`,
:func:`spending_curve`, :func:`score_by_level1`, :func:`trend`). Nothing here imports matplotlib: a unit's
page needs neither its import nor its drawing time. The Word draft's charts stay PNG
(:mod:`perfeval_lib.render.charts`), drawn from the same numbers (:mod:`perfeval_lib.render.chartdata`).

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
from .unit import budget_vs_executed, score_by_level1, spending_curve, trend

__all__ = ["SvgChart", "budget_vs_executed", "spending_curve", "score_by_level1", "trend"]

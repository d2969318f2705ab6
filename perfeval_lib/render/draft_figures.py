"""The Word draft's charts: the figures the draft asks for, drawn as PNG from the report's data.

The HTML pages draw a unit's charts as SVG (:mod:`perfeval_lib.render.svg`); a Word file holds pictures,
so the draft (:mod:`perfeval_lib.render.word`, and the PDF made from it) gets the same charts from
matplotlib (:mod:`perfeval_lib.render.charts`), from the same data (:data:`perfeval_lib.render.report.FIGURES`).

Examples
--------
>>> from perfeval_lib.render import report
>>> sorted(figure_pngs(report.unit_report("D001", 2023)))          # doctest: +SKIP
['budget', 'scores', 'spending']
"""
from __future__ import annotations

from . import charts
from .report import FIGURES, UnitReport, draft_figures

#: The PNG chart of each figure key.
PNG_CHARTS = {"budget": charts.budget_vs_executed, "spending": charts.spending_curve,
              "scores": charts.score_by_level1}


def figure_pngs(r: UnitReport) -> dict[str, tuple[bytes, str]]:
    """PNG bytes and caption of every chart the draft asks for (for the Word file).

    Parameters
    ----------
    r : UnitReport
        The unit-year (:func:`perfeval_lib.render.report.unit_report`).

    Returns
    -------
    dict
        Figure key (``budget``, ``spending``, ``scores``) → (PNG bytes, caption); a chart with nothing
        to draw is left out.

    Examples
    --------
    >>> from perfeval_lib.render.report import unit_report
    >>> sorted(figure_pngs(unit_report("D001", 2023)))                  # doctest: +SKIP
    ['budget', 'scores', 'spending']
    """
    found = {}
    for key, caption in draft_figures(r):
        png = charts.figure_png(PNG_CHARTS[key](FIGURES[key][0](r)))
        if png is not None:
            found[key] = (png, caption)
    return found

"""The landing page over all years: ``reports/index.html``.

:func:`write_landing` lists every year of the results — its units, the district's budget, executed and
rate, mean scores and units per grade, with links to the year's index and overview when they have been
written — and links the trends page (``reports/trends.html``, :func:`perfeval_lib.batch.trends.run_trends`)
when it is there, and the pages of chosen units, years or rulesets (``reports/trends-*.html``). ``perfeval run`` and ``perfeval trends`` refresh it.

Examples
--------
>>> write_landing()                                                   # doctest: +SKIP
PosixPath('reports/index.html')
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import config
from ..core.files import atomic_path
from ..core.store import read_processed
from ..core.templating import render_html
from ..core.version import __version__
from ..core.vocab import GRADES


def year_rows(results: pd.DataFrame, reports: Path) -> list[dict]:
    """One row per year of the results: units, money and rate, mean scores, grade counts, the year's pages.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``results`` table (``year``, ``unit_code``, ``budget_final`` and ``executed`` in 万元,
        ``score``, ``claimed_score`` in points, ``grade``).
    reports : pathlib.Path
        The reports folder; ``<year>/index.html`` and ``<year>/overview.html`` are linked when they exist.

    Returns
    -------
    list of dict
        Latest year first: ``year``, ``units``, ``scored``, ``budget``, ``executed`` (万元), ``rate``
        (fraction, None without a budget), ``mean_score``, ``mean_claimed``, ``grades`` (grade → units),
        ``index`` and ``overview`` (relative links or None).

    Examples
    --------
    >>> r = pd.DataFrame({"year": [2023, 2023], "unit_code": ["A", "B"], "budget_final": [100.0, 300.0],
    ...                   "executed": [90.0, 270.0], "score": [91.0, 79.5], "claimed_score": [95.0, 80.0],
    ...                   "grade": ["优", "中"]})
    >>> row = year_rows(r, Path("/no/reports"))[0]
    >>> row["units"], row["budget"], row["rate"], row["grades"], row["index"]
    (2, 400.0, 0.9, {'优': 1, '良': 0, '中': 1, '差': 0}, None)
    """
    rows = []
    for year, group in sorted(results.groupby("year"), key=lambda item: -int(item[0])):
        budget, executed = group["budget_final"].sum(min_count=1), group["executed"].sum(min_count=1)
        folder = reports / str(int(year))
        rows.append({
            "year": int(year), "units": int(group["unit_code"].nunique()), "scored": int(group["score"].notna().sum()),
            "budget": None if pd.isna(budget) else float(budget), "executed": None if pd.isna(executed) else float(executed),
            "rate": float(executed / budget) if pd.notna(budget) and pd.notna(executed) and budget else None,
            "mean_score": None if group["score"].isna().all() else float(np.round(group["score"].mean(), 6)),
            "mean_claimed": None if group["claimed_score"].isna().all() else float(np.round(group["claimed_score"].mean(), 6)),
            "grades": {g: int((group["grade"] == g).sum()) for g in GRADES},
            "index": f"{int(year)}/index.html" if (folder / "index.html").is_file() else None,
            "overview": f"{int(year)}/overview.html" if (folder / "overview.html").is_file() else None})
    return rows


def write_landing(reports_dir=None, processed_dir=None) -> Path:
    """``reports/index.html``: every year, the district's totals and grades by year, links to the pages.

    Parameters
    ----------
    reports_dir : str or Path, optional
        The reports folder (default ``reports``).
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    pathlib.Path
        The page, self-contained (no script, nothing fetched), written atomically. It shows no run
        durations or clock times (those are in each year's ``runs.csv``), only the date it was made.

    Raises
    ------
    DataMissing
        When ``results.parquet`` has not been built (run ``perfeval ingest`` first).

    Examples
    --------
    >>> write_landing().name                                          # doctest: +SKIP
    'index.html'
    """
    reports = Path(reports_dir) if reports_dir else config.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    rows = year_rows(read_processed("results", processed_dir), reports)
    html = render_html("html/landing_page.html.j2", title="部门整体支出绩效自评报告", rows=rows, grades=GRADES,
                       trends="trends.html" if (reports / "trends.html").is_file() else None,
                       choices=sorted(page.name for page in reports.glob("trends-*.html")), version=__version__,
                       date=dt.date.today().isoformat())
    target = reports / "index.html"
    with atomic_path(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return target


"""``perfeval trends``: the trends notebook over all years, exported like the other pages, beside the years' folders.

``reports/trends.html`` shows every unit over every year; a choice of units, years or ruleset is written to a
page named after it (:func:`trends_page`), so it never replaces the district's page the landing page links.

Examples
--------
>>> trends_page(["D001", "D009"], [2021, 2022, 2023])
'trends-D001-D009_2021-2023.html'
>>> run_trends().status                                               # doctest: +SKIP
'ok'
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..core import config
from ..core.store import read_processed
from .execute import DEFAULT_CELL_TIMEOUT, run_unit
from .params import safe_name
from .project import notebooks_dir
from .run import base_task
from .site import write_landing
from .summary import RunResult, remove_if_empty

__all__ = ["TRENDS_NOTEBOOK", "run_trends", "trends_page", "trends_task"]

TRENDS_NAV = [["index.html", "历年报告"]]
TRENDS_NOTEBOOK = "trends.ipynb"


def trends_page(units=None, years=None, ruleset: str = "") -> str:
    """The trends page's file name: ``trends.html`` for the whole district, another name for a selection.

    ``reports/trends.html`` is the district's page the landing page links; a page of chosen units, years or
    ruleset is named after the choice, so it never replaces that page nor another choice's.

    Parameters
    ----------
    units : list of str, optional
        Unit codes (each must be a safe file name, :func:`~perfeval_lib.batch.params.safe_name`).
    years : list of int, optional
        Years.
    ruleset : str
        The ruleset the units are re-scored under (a safe name too).

    Returns
    -------
    str
        ``trends.html``, or ``trends-<units>_<years>_<ruleset>.html`` (the parts chosen; years as a range
        ``2021-2023`` when they follow one another, else ``2021+2023``; more than four units are named by the
        first three, their count and a digest of the whole list).

    Raises
    ------
    PerfevalError
        When a unit code or the ruleset is not a safe file name.

    Examples
    --------
    >>> trends_page(), trends_page(["D001", "D009"], [2021, 2022, 2023])
    ('trends.html', 'trends-D001-D009_2021-2023.html')
    >>> trends_page(years=[2023, 2021]), trends_page(ruleset="mof-2020")
    ('trends-2021+2023.html', 'trends-mof-2020.html')
    >>> trends_page([f"D{i:03d}" for i in range(1, 21)])                  # doctest: +ELLIPSIS
    'trends-D001-D002-D003-20个单位-....html'
    """
    codes = [safe_name(str(code)) for code in dict.fromkeys(units or [])]
    parts = []
    if codes:
        whole = "-".join(codes)
        parts.append(whole if len(codes) <= 4 else
                     f"{'-'.join(codes[:3])}-{len(codes)}个单位-{hashlib.sha256(whole.encode()).hexdigest()[:8]}")
    if years:
        chosen = sorted({int(y) for y in years})
        contiguous = chosen == list(range(chosen[0], chosen[-1] + 1))
        parts.append(f"{chosen[0]}-{chosen[-1]}" if contiguous and len(chosen) > 1 else "+".join(map(str, chosen)))
    if ruleset:
        parts.append(safe_name(str(ruleset)))
    return f"trends-{'_'.join(parts)}.html" if parts else "trends.html"


def trends_task(out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None, units=None, years=None,
                ruleset: str = "") -> dict:
    """The task that runs the trends notebook into ``out/``:func:`trends_page` (plain data, as the unit tasks).

    Parameters
    ----------
    out : Path
        The reports folder (the page sits beside the years' folders).
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables; passed on to the notebook when given.
    units, years : list, optional
        Only these units and years (default all).
    ruleset : str
        Re-score the units of this ruleset's family under it (default: each unit's own).

    Returns
    -------
    dict
        Named ``trends``, with ``nav`` back to the landing page.

    Examples
    --------
    >>> trends_task(Path("/srv/reports"), years=[2022, 2023])["parameters"]
    {'units': [], 'years': [2022, 2023], 'ruleset': ''}
    """
    parameters = {"units": [str(u) for u in units or []], "years": [int(y) for y in years or []], "ruleset": ruleset or ""}
    if processed_dir:
        parameters["processed_dir"] = str(Path(processed_dir).resolve())
    return base_task("trends", notebooks_dir() / TRENDS_NOTEBOOK, parameters, out, trends_page(units, years, ruleset),
                      "部门整体支出绩效多年趋势", cell_timeout, 1, TRENDS_NAV)


def run_trends(out_dir=None, units=None, years=None, ruleset: str = "", cell_timeout: int = DEFAULT_CELL_TIMEOUT,
               processed_dir=None) -> RunResult:
    """``reports/trends.html``: the trends notebook for all units and years (or a choice), exported like the other pages.

    A choice of units, years or ruleset is written to its own page (:func:`trends_page`), beside the
    district's ``trends.html``, which it never replaces.

    Runs on a fresh kernel in this process, then refreshes the landing page ``reports/index.html``
    (:func:`perfeval_lib.batch.site.write_landing`) when ``out_dir`` is the default.

    Parameters
    ----------
    out_dir : str or Path, optional
        Where the page goes (default ``reports``).
    units, years : list, optional
        Only these units and years (default all).
    ruleset : str
        Re-score the units of this ruleset's family under it (default: each unit's own).
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    RunResult
        ``ok`` (``html`` is the page's file name), or ``failed`` with the failing cell and the error (the
        executed notebook is kept in ``failed/trends.ipynb``); never raises for a failing notebook.

    Raises
    ------
    PerfevalError
        When a unit code or the ruleset cannot be a file name.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> run_trends().status                                          # doctest: +SKIP
    'ok'
    """
    out = Path(out_dir) if out_dir else config.reports_dir()
    read_processed("results", processed_dir)  # a clear message before a kernel starts
    out.mkdir(parents=True, exist_ok=True)
    result = run_unit(trends_task(out, cell_timeout, processed_dir, units, years, ruleset))
    remove_if_empty(out / ".work")
    if not out_dir:
        write_landing(processed_dir=processed_dir)
    return result

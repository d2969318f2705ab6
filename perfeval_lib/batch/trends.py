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

import pandas as pd

from ..core import config
from ..core.errors import PerfevalError, UnitNotFound, UsageError
from ..core.store import read_processed
from ..render.trends import resolve_choice
from ..review.rulesets import ruleset_path
from .execute import DEFAULT_CELL_TIMEOUT, run_unit
from .params import safe_name
from .project import notebooks_dir
from .run import base_task
from .site import write_landing
from .summary import RunResult, remove_if_empty

__all__ = ["TRENDS_NOTEBOOK", "run_trends", "trends_choice", "trends_page", "trends_task"]

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
        ``trends.html``, or ``trends-<units>_<years>_<ruleset>.html`` (the parts chosen; units sorted, so
        one choice is one page whatever the order typed; years as a range
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
    codes = sorted(safe_name(str(code)) for code in dict.fromkeys(units or []))   # one page whatever the order
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


def trends_choice(results: pd.DataFrame, units=None, years=None, ruleset: str = "") -> tuple[list[str], list[int]]:
    """The units and years chosen, checked against the results: codes as the data spells them, years sorted.

    Parameters
    ----------
    results : DataFrame
        The ``results`` table (``unit_code``, ``year``).
    units : list of str, optional
        Codes as typed (any case; ``D001,D009`` counts as two).
    years : list of int, optional
        Years.
    ruleset : str
        A ruleset to re-score under; it must exist.

    Returns
    -------
    tuple of (list of str, list of int)
        The units (each once, in the order given) and the years (sorted, each once); empty for "all".

    Raises
    ------
    UnitNotFound
        When a unit or a year is not in the results, or the chosen units have no result in the chosen
        years (a usage error: nothing is run).
    UsageError
        When the ruleset does not exist.

    Examples
    --------
    >>> results = pd.DataFrame({"unit_code": ["D001", "D009", "D001"], "year": [2022, 2022, 2023]})
    >>> trends_choice(results, ["d009,D001"], [2023, 2022])
    (['D009', 'D001'], [2022, 2023])
    >>> trends_choice(results, ["D009"], [2023])                           # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.UnitNotFound: 所选单位在所选年度没有结果 ... D009 ... 2023
    """
    codes, chosen_years = resolve_choice(results, ",".join(map(str, units)) if units else None, years)
    codes, chosen_years = codes or [], sorted(set(chosen_years or []))
    rows = results[results["unit_code"].isin(codes) if codes else results["unit_code"].notna()]
    if chosen_years and rows["year"].isin(chosen_years).sum() == 0:
        raise UnitNotFound(f"所选单位在所选年度没有结果 / the units chosen have no result in the years chosen: "
                           f"{', '.join(codes) or '全部 all'} · {', '.join(map(str, chosen_years))}")
    if ruleset:
        try:
            ruleset_path(ruleset)
        except PerfevalError as error:
            raise UsageError(str(error)) from None
    return codes, chosen_years


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
    page = trends_page(units, years, ruleset)
    title = "部门整体支出绩效多年趋势" + ("" if page == "trends.html" else f"（{page[len('trends-'):-len('.html')]}）")
    return base_task("trends", notebooks_dir() / TRENDS_NOTEBOOK, parameters, out, page, title, cell_timeout, 1,
                     TRENDS_NAV)


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
    UnitNotFound
        When a unit or a year chosen is not in the results, or the choice has no result
        (:func:`trends_choice`); nothing is run.
    UsageError
        When the ruleset does not exist.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> run_trends().status                                          # doctest: +SKIP
    'ok'
    """
    out = Path(out_dir) if out_dir else config.reports_dir()
    results = read_processed("results", processed_dir)  # clear messages before a kernel starts
    units, years = trends_choice(results, units, years, ruleset)
    out.mkdir(parents=True, exist_ok=True)
    result = run_unit(trends_task(out, cell_timeout, processed_dir, units, years, ruleset))
    remove_if_empty(out / ".work")
    if not out_dir:
        write_landing(processed_dir=processed_dir)
    return result

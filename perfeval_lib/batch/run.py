"""``perfeval run``: execute the report notebook once per unit with papermill, export HTML, index the year.

For each unit of the year: its parameters (``params/units/<unit_code>.yaml``, checked against the
notebook's ``parameters`` cell before the unit runs; a wrong file fails its unit alone) → papermill
(kernel ``python3``, a per-cell timeout, one retry when the kernel dies) → nbconvert HTML
(code, prompts and the injected-parameters cell removed) → ``reports/<year>/<unit_code>.html``, written
atomically. The overview notebook runs beside the units. One failing unit never stops the others: its
executed notebook is kept in ``reports/<year>/failed/``, ``runs.csv`` names the failing cell and the
error, and its page says so (its last report kept as ``<unit_code>.previous.html``).
A unit whose notebook, parameters, ruleset and data are unchanged since its last successful run is
skipped.

Where the time goes, and why it is fast: this process imports papermill and nbconvert once and
keeps one nbconvert exporter; each of its ``jobs`` threads keeps one kernel warm across units
(:mod:`perfeval_lib.batch.kernels`: reset between units, replaced after a failure and every
``kernel_reuse`` units), so a unit costs about what the report's own computing and charts cost.
The units run on those threads' kernels, or on the workers of a Dask cluster (``scheduler=``), through
the same code (:mod:`perfeval_lib.batch.executors`): a task is a plain dict of strings and numbers, and every
result comes back as a :class:`~perfeval_lib.batch.summary.RunResult`.

The pieces: :mod:`perfeval_lib.batch.params` (a unit's parameter file, checked), this module (the units
of the year, their tasks, the batch), :mod:`perfeval_lib.batch.fingerprints` (when a report is unchanged),
:mod:`perfeval_lib.batch.execute` (one notebook in a worker), :mod:`perfeval_lib.batch.summary`
(``runs.csv``, ``index.html`` and a failed unit's page).

Examples
--------
>>> summary = run_batch(2023, jobs=2)                                # doctest: +SKIP
>>> summary.failed                                                   # doctest: +SKIP
[]
>>> run_batch(2023, scheduler="tcp://10.0.0.5:8786", kernel_reuse=100)  # doctest: +SKIP
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
import time
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from ..core import config
from ..core.codes import match_codes
from ..core.errors import ParamsError, PerfevalError, UnitNotFound
from ..core.files import shown_path
from ..core.store import processed_tables, read_processed
from ..core.version import __version__
from ..review.rulesets import ruleset_path
from . import kernels
from .execute import DEFAULT_CELL_TIMEOUT, DEFAULT_KERNEL_REUSE, notebook_parameters, run_unit
from .executors import open_executor, warm_worker
from .fingerprints import Manifest, data_digests, files_digest, ruleset_digest, sha256_bytes
from .params import check_params, params_path, read_params, safe_name, write_params
from .project import (OVERVIEW_NOTEBOOK, PROJECT_ENV, UNIT_NOTEBOOK, notebook_imports, notebooks_dir, prestart_kernel,
                      project_env)
from .site import write_landing
from .summary import (BatchSummary, RunResult, clear_failed_page, not_run, read_runs, remove_if_empty, remove_leftovers,
                      unsafe_units, write_failed_page, write_index, write_runs)

__all__ = ["PROJECT_ENV", "base_task", "checked_unit_tasks", "overview_task", "plan_units", "run_batch",
           "run_overview", "unit_tasks"]


# ---------------------------------------------------------------------------------------------
# The units and their tasks
# ---------------------------------------------------------------------------------------------

def plan_units(year: int, units: list[str] | None, processed_dir=None) -> pd.DataFrame:
    """The units of ``year`` (results rows), optionally only those named; unknown names are an error.

    Parameters
    ----------
    year : int
        The year evaluated.
    units : list of str or None
        Only these unit codes (typed in any case); ``None`` or empty: every unit of the year.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    DataFrame
        The ``results`` rows of the year, sorted by ``unit_code``: ``unit_code``, ``year``, ``unit_name``,
        ``budget_final`` and ``executed`` (万元), ``execution_rate`` (fraction), ``score`` and
        ``claimed_score`` (points), ``grade``, ``claimed_grade``.

    Raises
    ------
    UnitNotFound
        When there is no data for ``year``, or a named unit is not in it (a usage error).
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> plan_units(2023, ["D001", "D002"])["unit_code"].tolist()         # doctest: +SKIP
    ['D001', 'D002']
    """
    results = read_processed("results", processed_dir)
    rows = results[results["year"] == year]
    if rows.empty:
        years = "、".join(str(y) for y in sorted(results["year"].unique())) or "无"
        raise UnitNotFound(f"没有 {year} 年的数据（已有：{years}）；先运行 perfeval ingest / no data for {year}")
    if units:
        matched, unknown = match_codes(units, rows["unit_code"])
        if unknown:
            raise UnitNotFound(f"{year} 年没有这些单位 / not in {year}: {', '.join(unknown)}")
        rows = rows[rows["unit_code"].isin(matched)]
    return rows.sort_values("unit_code").reset_index(drop=True)


#: The links at the top of each exported page: (href, text), relative to the page.
UNIT_NAV = [["index.html", "本年目录"], ["overview.html", "年度总览"], ["../index.html", "历年报告"]]
OVERVIEW_NAV = [["index.html", "本年目录"], ["../index.html", "历年报告"]]


def _project_context() -> dict:
    """What every task of the project shares: its folder, the environment of its kernels, what they preload."""
    return {"cwd": str(config.project_root()), "env": project_env(),
            # a worker's kernel preloads what a unit report imports: the overview runs first, on this
            # process's kernel (preloaded with both), and elsewhere imports the rest itself
            "preload": notebook_imports(notebooks_dir() / UNIT_NOTEBOOK)}


def base_task(name: str, notebook: Path, parameters: dict, out: Path, html: str, title: str, cell_timeout: int,
              kernel_reuse: int, nav: list | None = None, context: dict | None = None) -> dict:
    """A notebook task as plain data, without its fingerprint yet.

    Parameters
    ----------
    name : str
        The task's name (a unit code, ``overview``, ``trends``): its kept notebook is ``failed/<name>.ipynb``.
    notebook : Path
        The notebook to run.
    parameters : dict
        Its parameters.
    out : Path
        The folder of the page.
    html : str
        The page's file name in ``out``.
    title : str
        The page's title.
    cell_timeout : int
        Seconds a notebook cell may run.
    kernel_reuse : int
        Units a worker's kernel runs before it is replaced.
    nav : list of (href, text), optional
        Links at the top of the page.
    context : dict, optional
        What the project's tasks share (its folder, the kernels' environment and preload), made once
        a batch; default: made now.

    Returns
    -------
    dict
        ``name``, ``notebook``, ``parameters``, ``out_dir``, ``html``, ``title``, ``cell_timeout``,
        ``fingerprint`` (empty), ``kernel_reuse``, ``nav``, ``cwd``, ``env``, ``preload``.

    Examples
    --------
    >>> task = base_task("trends", Path("nb.ipynb"), {}, Path("/srv/reports"), "trends.html", "多年趋势", 600, 1)
    >>> task["out_dir"], task["html"], task["fingerprint"]
    ('/srv/reports', 'trends.html', '')
    """
    return {"name": name, "notebook": str(notebook), "parameters": parameters, "out_dir": str(out), "html": html,
            "title": title, "cell_timeout": int(cell_timeout), "fingerprint": "", "kernel_reuse": int(kernel_reuse),
            "nav": [list(link) for link in nav or []], **(context or _project_context())}


def unit_tasks(year: int, plan: pd.DataFrame, out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
               processed_dir=None, kernel_reuse: int = DEFAULT_KERNEL_REUSE, show_placeholders: bool = False) -> list[dict]:
    """One task per unit of ``plan``, with its checked parameters and its fingerprint; every unit's or none.

    As :func:`checked_unit_tasks`, for a caller that wants all the units or an error: a unit whose
    parameters are wrong raises.

    Parameters
    ----------
    year, plan, out, cell_timeout, processed_dir, kernel_reuse, show_placeholders
        As :func:`checked_unit_tasks`.

    Returns
    -------
    list of dict
        One task per unit, in ``plan``'s order (see :func:`checked_unit_tasks`).

    Raises
    ------
    ParamsError
        Listing every problem of every unit's parameters (no task is made).
    PerfevalError
        When a unit code is not a safe file name.

    Examples
    --------
    >>> tasks = unit_tasks(2023, plan_units(2023), Path("reports/2023"))      # doctest: +SKIP
    >>> tasks[0]["name"], tasks[0]["parameters"]                            # doctest: +SKIP
    ('D001', {'unit_code': 'D001', 'ruleset': '', 'year': 2023})
    """
    tasks, refused = checked_unit_tasks(year, plan, out, cell_timeout, processed_dir, kernel_reuse, show_placeholders)
    if refused:
        raise ParamsError("运行参数有误，未开始运行 / run parameters are invalid, nothing was run:\n  "
                          + "\n  ".join(result.error for result in refused))
    return tasks


def checked_unit_tasks(year: int, plan: pd.DataFrame, out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                       processed_dir=None, kernel_reuse: int = DEFAULT_KERNEL_REUSE,
                       show_placeholders: bool = False) -> tuple[list[dict], list[RunResult]]:
    """One task per unit of ``plan`` whose parameters are right, and a failed result for each other unit.

    A task is plain data (strings, numbers, dicts), so it can be sent to any worker process. Missing
    parameter files are written first (:func:`~perfeval_lib.batch.params.write_params`); each file is then
    read and checked against the notebook's ``parameters`` cell (:func:`~perfeval_lib.batch.params.check_params`).
    A unit whose file is wrong — not YAML, an unknown key, a wrong type, another unit's code — fails alone,
    with every problem of its file named; the other units run. The fingerprint is a digest of the notebook,
    the parameters, the library version, the unit's ruleset file and the unit's rows (up to ``year``) in
    every input table: an unchanged fingerprint means an unchanged report.

    Parameters
    ----------
    year : int
        The year evaluated.
    plan : DataFrame
        The units to run, with ``unit_code`` and ``unit_name`` (:func:`plan_units`).
    out : Path
        The year's report folder.
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``); passed on to the notebooks when given.
    kernel_reuse : int
        Units a worker's kernel runs before it is replaced.
    show_placeholders : bool
        Show the draft's 【待补充】 gaps on the pages (default: hidden, the pages are shared); a unit's
        parameter file may set ``show_placeholders: true`` too.

    Returns
    -------
    tuple of (list of dict, list of RunResult)
        The tasks, in ``plan``'s order: ``name``, ``notebook``, ``parameters``, ``out_dir``, ``html``,
        ``title``, ``cell_timeout``, ``fingerprint``, ``kernel_reuse``, ``cwd``, ``env``, ``nav``; and one
        ``failed`` result per unit left out, its ``error`` one line naming the file and each problem.

    Raises
    ------
    PerfevalError
        When a unit code is not a safe file name.

    Examples
    --------
    >>> tasks, refused = checked_unit_tasks(2023, plan_units(2023), Path("reports/2023"))   # doctest: +SKIP
    >>> [(r.unit_code, r.error[:40]) for r in refused]                                   # doctest: +SKIP
    [('D002', '.../params/units/D002.yaml: 未知参数「rulset」（可用：…')]
    """
    notebook = notebooks_dir() / UNIT_NOTEBOOK
    declared = notebook_parameters(notebook)
    write_params(year, list(plan["unit_code"]), processed_dir=processed_dir)
    context = _project_context()
    tasks, refused = [], []
    for row in plan.itertuples():
        code = safe_name(row.unit_code)
        try:
            params = read_params(code, int(year))
        except ParamsError as error:
            refused.append(_refused(code, [str(error)]))
            continue
        shown = shown_path(params_path(code))
        problems = check_params(params, declared, shown)
        if str(params.get("unit_code", code)).casefold() != code.casefold():   # codes match in any case, as ingest's
            problems.append(f"{shown}: unit_code 应为 {code} / must be {code}")
        if isinstance(params.get("ruleset"), str) and params["ruleset"]:
            try:
                ruleset_path(params["ruleset"])
            except PerfevalError as error:   # a misspelt ruleset: said before the unit runs, naming its file
                problems.append(f"{shown}: {error}")
        if problems:
            refused.append(_refused(code, problems))
            continue
        parameters = {"show_placeholders": False, **params, "unit_code": code, "year": int(year)}
        if show_placeholders:
            parameters["show_placeholders"] = True
        if processed_dir:
            parameters["processed_dir"] = str(Path(processed_dir).resolve())
        tasks.append(base_task(code, notebook, parameters, out, f"{code}.html",
                                f"{year}年度{row.unit_name or code}整体支出绩效自评报告", cell_timeout, kernel_reuse,
                                UNIT_NAV, context))
    if not tasks:
        return tasks, refused
    tables = processed_tables(processed_dir)
    units = tables["units"]
    unit_rulesets = dict(zip(units["unit_code"], units["ruleset"])) if "ruleset" in units.columns else {}
    data = data_digests(tables, [task["name"] for task in tasks], int(year))
    notebook_sha = sha256_bytes(notebook.read_bytes())
    for task in tasks:
        task["fingerprint"] = sha256_bytes(json.dumps({
            "notebook": notebook_sha, "parameters": task["parameters"], "version": __version__,
            "ruleset": ruleset_digest(task["parameters"], unit_rulesets.get(task["name"])),
            "data": data[task["name"]]}, sort_keys=True).encode())
    return tasks, refused


def _refused(code: str, problems: list[str]) -> RunResult:
    """A unit left out for its parameters: failed, the problems on one line."""
    said = "；".join(" ".join(problem.split()) for problem in problems)
    return RunResult(code, "failed", error=f"运行参数有误，未运行 / invalid run parameters, not run: {said}")


def overview_task(year: int, out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None,
                  kernel_reuse: int = DEFAULT_KERNEL_REUSE, second_ruleset: str = "") -> dict:
    """The task that runs the overview notebook of ``year`` into ``overview.html``.

    Parameters
    ----------
    year : int
        The year evaluated.
    out : Path
        The year's report folder.
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables; passed on to the notebook when given.
    kernel_reuse : int
        Units a worker's kernel runs before it is replaced.
    second_ruleset : str
        Rulesets to compare each unit's own with (comma-separated); empty: no comparison section.

    Returns
    -------
    dict
        A task as :func:`unit_tasks` makes them, named ``overview``. Its fingerprint is a digest of
        the notebook, its parameters, the library version, every processed table and every ruleset
        file: the overview shows the whole year, so any change to them means a new overview.

    Examples
    --------
    >>> overview_task(2023, Path("/srv/reports/2023"))["html"]
    'overview.html'
    """
    parameters = {"year": int(year)}
    if processed_dir:
        parameters["processed_dir"] = str(Path(processed_dir).resolve())
    if second_ruleset:
        parameters["second_ruleset"] = str(second_ruleset)
    notebook = notebooks_dir() / OVERVIEW_NOTEBOOK
    task = base_task("overview", notebook, parameters, out, "overview.html", f"{year}年度部门整体支出绩效自评总览",
                      cell_timeout, kernel_reuse, OVERVIEW_NAV)
    tables = Path(processed_dir) if processed_dir else config.processed_dir()
    task["fingerprint"] = sha256_bytes(json.dumps({
        "notebook": files_digest(notebook.parent, notebook.name), "parameters": parameters, "version": __version__,
        "tables": files_digest(tables, "*.parquet"), "rulesets": files_digest(config.rulesets_dir(), "*.yaml")},
        sort_keys=True).encode())
    return task


# ---------------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------------

def _pages_of_failures(results: list[RunResult], plan: pd.DataFrame, out: Path, year: int) -> list[RunResult]:
    """A failed unit's page says it failed (its last report kept aside); a unit that succeeds drops that copy."""
    names = {code: name if isinstance(name, str) and name else code
             for code, name in zip(plan["unit_code"], plan["unit_name"])}
    pages = []
    for result in results:
        if result.status == "ok":
            clear_failed_page(out, result.unit_code)
        elif result.status == "failed" and result.unit_code in names:   # a refused code has no file name
            result = write_failed_page(out, result, names[result.unit_code], year)
        pages.append(result)
    return pages


def _run_all(executor: cf.Executor, due: list[dict], overview: dict, manifest: Manifest, results: list[RunResult],
             year: int, progress: bool) -> RunResult | None:
    """Run every due task on ``executor``, recording each result as it comes (units into ``results``, with a
    progress bar); returns the overview's result when it was due."""
    units = [task for task in due if task is not overview]
    bar = tqdm(total=len(units), desc=f"{year} 单位报告", unit="个", disable=not progress or not units)
    futures = {executor.submit(run_unit, task): task for task in due}
    overview_result = None
    for future in cf.as_completed(futures):
        result = _outcome(future, futures[future])
        manifest.record(result)
        if futures[future] is overview:
            overview_result = result
            continue
        results.append(result)
        bar.update(1)
        bar.set_postfix_str(f"{result.unit_code} {result.status}")
    bar.close()
    return overview_result


def _outcome(future: cf.Future, task: dict) -> RunResult:
    """The task's result, or a failed result when the worker itself died."""
    try:
        return future.result()
    except Exception as exc:  # the task could not run: a Dask worker died, or the cluster lost it
        return RunResult(task["name"], "failed", error=f"{type(exc).__name__}: {exc}"[:500],
                         fingerprint=task["fingerprint"])


def run_batch(year: int, units: list[str] | None = None, jobs: int | None = None, force: bool = False,
              out_dir: str | Path | None = None, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None,
              progress: bool = True, kernel_reuse: int = DEFAULT_KERNEL_REUSE,
              scheduler: str | None = None, show_placeholders: bool = False, second_ruleset: str = "") -> BatchSummary:
    """Run the unit report for every unit of ``year`` (or ``units``), the overview, and write the index.

    Parameters
    ----------
    year : int
        The year evaluated.
    units : list of str, optional
        Only these unit codes (default: every unit of the year).
    jobs : int, optional
        Units run at once (default: the number of cores): kernels, each driven by a thread of this
        process, no more than there are notebooks due (none started when nothing changed); ignored
        with ``scheduler``.
    force : bool
        Rerun units whose notebook, parameters, ruleset and data are unchanged — and the overview too
        when ``units`` is not given (the overview otherwise runs only when the year's data, the
        rulesets or its notebook changed, or its page is missing).
    out_dir : str or Path, optional
        Where the reports go (default ``reports/<year>``).
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    progress : bool
        Show a progress bar.
    kernel_reuse : int
        Units a worker's kernel runs before it is replaced (1: a fresh kernel for every unit).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) whose workers run the notebooks instead of
        local processes; they need the project, its data and the venv at the same paths.
    show_placeholders : bool
        Show the draft's 【待补充】 gaps on the unit pages (default: hidden).
    second_ruleset : str
        Rulesets the overview compares each unit's own with (comma-separated); empty: none.

    Returns
    -------
    BatchSummary
        One result per unit run and the overview's; ``runs.csv`` and ``index.html`` are written in
        ``out_dir`` and list every unit of the year — with ``units``, the others keep their last
        record (``kept``) — and the landing page ``reports/index.html`` over all years when ``out_dir``
        is the default. A failing unit is a failed result, never an exception — also a unit whose
        parameter file is wrong (it is not run; its error names the file and every problem in it).

    Raises
    ------
    PerfevalError
        When ``kernel_reuse`` is not a positive integer, there is no data for ``year`` or a named unit is
        not in it, or the Dask scheduler cannot be reached.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> summary = run_batch(2023, units=["D001", "D002"], jobs=2, force=True)   # doctest: +SKIP
    >>> [(r.unit_code, r.status) for r in summary.results]                      # doctest: +SKIP
    [('D001', 'ok'), ('D002', 'ok')]
    """
    started = time.perf_counter()
    if isinstance(kernel_reuse, bool) or not isinstance(kernel_reuse, int) or kernel_reuse < 1:
        raise PerfevalError(f"--kernel-reuse 应为正整数 / must be a positive integer, not {kernel_reuse!r}")
    if not scheduler:
        prestart_kernel(units_only=bool(units))   # this process runs units too: its kernel boots while the run is planned
    everyone = plan_units(year, units, processed_dir)
    refused = unsafe_units(everyone)  # a code that cannot be a file name fails that unit alone
    plan = everyone[~everyone["unit_code"].isin([r.unit_code for r in refused])].reset_index(drop=True)
    out = Path(out_dir) if out_dir else config.reports_dir() / str(year)
    out.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    manifest = Manifest(out)
    overview = overview_task(year, out, cell_timeout, processed_dir, kernel_reuse, second_ruleset)
    # --force reruns the units asked for; the overview too when the whole year is asked for
    overview_due = (force and not units) or not manifest.unchanged(overview)
    summary = BatchSummary(year, [], out)
    if not overview_due:
        summary.overview = RunResult("overview", "skipped", html=overview["html"], fingerprint=overview["fingerprint"])
    # checked and fingerprinted first (≈ 0.15 s for 200 units): kernels start only for what is due
    tasks, invalid = checked_unit_tasks(year, plan, out, cell_timeout, processed_dir, kernel_reuse, show_placeholders)
    results = refused + invalid + [RunResult(t["name"], "skipped", html=t["html"], fingerprint=t["fingerprint"])
                                   for t in tasks if not force and manifest.unchanged(t)]
    for result in invalid:   # a unit left out for its parameters has no current report
        manifest.record(result)
    todo = [t for t in tasks if force or not manifest.unchanged(t)]
    workers = min(jobs or os.cpu_count() or 1, len(todo) + overview_due)
    if workers:
        # the overview goes first: it runs beside the units instead of after the last one
        due = [overview, *todo] if overview_due else todo
        with open_executor(workers, scheduler, warm_worker, overview) as executor:
            summary.overview = _run_all(executor, due, overview, manifest, results, year, progress) or summary.overview
    if not scheduler:
        kernels.kernel_pool().stop(now=True)   # this process's kernel: nothing in it to keep
    summary.results = sorted(_pages_of_failures(results, plan, out, year), key=lambda r: r.unit_code)
    remove_if_empty(out / ".work")
    summary.seconds = round(time.perf_counter() - started, 2)
    if units:  # a partial run merges into the year's index and run record: every unit stays listed and linked
        everyone = plan_units(year, None, processed_dir)
        previous, ran = read_runs(out), {r.unit_code for r in summary.results}
        summary.kept = [previous.get(code) or not_run(out, code) for code in everyone["unit_code"] if code not in ran]
    write_runs(summary, everyone)
    write_index(summary, everyone)
    if not out_dir:
        write_landing(processed_dir=processed_dir)
    return summary


def run_overview(year: int, out: Path, cell_timeout: int, processed_dir=None) -> RunResult:
    """Execute the overview notebook for the year in this process and export ``overview.html``.

    Parameters
    ----------
    year : int
        The year evaluated.
    out : Path
        The year's report folder.
    cell_timeout : int
        Seconds a notebook cell may run.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    RunResult
        As :func:`~perfeval_lib.batch.execute.run_unit` returns it (on a fresh kernel, never raises).

    Examples
    --------
    >>> run_overview(2023, Path("reports/2023"), 600).status                 # doctest: +SKIP
    'ok'
    """
    return run_unit(overview_task(year, out, cell_timeout, processed_dir, kernel_reuse=1))

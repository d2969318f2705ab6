"""What a batch leaves behind: one :class:`RunResult` per notebook, ``runs.csv`` and ``index.html``.

A worker returns a :class:`RunResult` for every unit (never an exception); the batch gathers them in
a :class:`BatchSummary` and writes ``runs.csv`` (status, seconds, failing cell, error, for a scheduler
or a person to read) and ``index.html`` (every unit of the year, its status, rate, scores and grades,
linked to its report).

Examples
--------
>>> ok = RunResult("D001", "ok", seconds=1.2, html="D001.html")
>>> bad = RunResult("D002", "failed", failing_cell=4, error="KeyError: 'score'")
>>> [r.unit_code for r in BatchSummary(2023, [ok, bad], Path("reports/2023")).failed]
['D002']
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from ..core.csvout import write_csv
from ..core.codes import code_problem
from ..core.errors import PerfevalError
from ..core.files import atomic_path
from ..core.templating import records, render_html
from .params import safe_name
from ..core.version import __version__


@dataclasses.dataclass
class RunResult:
    """What happened to one unit (a row of runs.csv).

    Parameters
    ----------
    unit_code : str
        The unit, or ``overview`` for the year's overview.
    status : str
        ``ok``, ``failed`` or ``skipped`` (unchanged since its last successful run).
    seconds : float
        Time taken, in seconds.
    failing_cell : int, optional
        The failing cell, counted from 1 in the source notebook.
    error : str
        One line: the error's type and message.
    html : str
        The report's file name in the year's folder (empty when there is none).
    fingerprint : str
        The digest of the notebook, parameters, ruleset and data the run used.
    attempts : int
        Times the notebook was started (2 when the kernel died once).

    Examples
    --------
    >>> RunResult("D001", "ok", html="D001.html").status
    'ok'
    """

    unit_code: str
    status: str  # ok | failed | skipped
    seconds: float = 0.0
    failing_cell: int | None = None
    error: str = ""
    html: str = ""
    fingerprint: str = ""
    attempts: int = 0


@dataclasses.dataclass
class BatchSummary:
    """The outcome of a batch: one result per unit, and where everything was written.

    Parameters
    ----------
    year : int
        The year evaluated.
    results : list of RunResult
        One per unit, sorted by unit code.
    out_dir : Path
        The year's report folder.
    overview : RunResult, optional
        The overview notebook's result.
    seconds : float
        The whole batch, in seconds.
    kept : list of RunResult
        The other units of the year, not run this time (``perfeval run --units …``): their last record
        from ``runs.csv``, so the index and the run record still list (and link) every unit.

    Examples
    --------
    >>> BatchSummary(2023, [RunResult("D001", "ok")], Path("reports/2023")).failed
    []
    """

    year: int
    results: list[RunResult]
    out_dir: Path
    overview: RunResult | None = None
    seconds: float = 0.0
    kept: list[RunResult] = dataclasses.field(default_factory=list)

    @property
    def failed(self) -> list[RunResult]:
        """The units whose notebook failed in this run (the overview is not counted)."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def every_unit(self) -> list[RunResult]:
        """This run's results and the kept records of the other units, by unit code."""
        return sorted([*self.results, *self.kept], key=lambda r: r.unit_code)


def read_runs(out_dir: Path) -> dict[str, RunResult]:
    """The units' records of the last ``runs.csv`` in ``out_dir`` (empty when there is none or it is unreadable).

    Parameters
    ----------
    out_dir : Path
        The year's report folder.

    Returns
    -------
    dict of str to RunResult
        Unit code → its record (the overview's row left out). A record whose report file is gone is
        marked ``not_run`` with no link.

    Examples
    --------
    >>> import tempfile
    >>> plan = pd.DataFrame({"unit_code": ["D001"], "unit_name": ["财政局"]})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     _ = (Path(out) / "D001.html").write_text("<p>", encoding="utf-8")
    ...     _ = write_runs(BatchSummary(2023, [RunResult("D001", "ok", seconds=1.5, html="D001.html")], Path(out)), plan)
    ...     read_runs(Path(out))["D001"].status
    'ok'
    """
    path = Path(out_dir) / "runs.csv"
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"unit_code": str, "html": str, "error": str})
    except (OSError, ValueError, pd.errors.ParserError):
        return {}
    records = {}
    for row in frame.to_dict("records"):
        code = str(row.get("unit_code"))
        if code == "overview" or code == "nan":
            continue
        html = row.get("html") if isinstance(row.get("html"), str) else ""
        status = str(row.get("status") or "not_run")
        if not html or not (Path(out_dir) / html).is_file():
            html, status = "", ("failed" if status == "failed" else "not_run")
        cell = row.get("failing_cell")
        records[code] = RunResult(code, status, seconds=float(row.get("seconds") or 0.0),
                                  failing_cell=int(cell) if pd.notna(cell) and str(cell).strip() else None,
                                  error=row.get("error") if isinstance(row.get("error"), str) else "", html=html,
                                  attempts=int(row.get("attempts") or 0) if pd.notna(row.get("attempts")) else 0)
    return records


def write_runs(summary: BatchSummary, plan: pd.DataFrame) -> Path:
    """``runs.csv``: one row per unit of the year (and the overview): status, seconds, failing cell, error.

    A partial run (``perfeval run --units …``) merges into it: the units run get their new row, the
    others keep theirs (``summary.kept``).

    Parameters
    ----------
    summary : BatchSummary
        The batch; the file goes to ``summary.out_dir``.
    plan : DataFrame
        The units run, with ``unit_code`` and ``unit_name`` (the ``results`` rows of the year).

    Returns
    -------
    pathlib.Path
        ``runs.csv`` (UTF-8 with BOM, so Excel shows the Chinese; text cells never formulas,
        :func:`perfeval_lib.core.csvout.write_csv`), written atomically; columns
        ``unit_code``, ``unit_name``, ``year``, ``status``, ``seconds``, ``failing_cell``, ``error``,
        ``html``, ``attempts``.

    Examples
    --------
    >>> import tempfile
    >>> plan = pd.DataFrame({"unit_code": ["D001"], "unit_name": ["财政局"]})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     path = write_runs(BatchSummary(2023, [RunResult("D001", "ok", seconds=1.5)], Path(out)), plan)
    ...     pd.read_csv(path, encoding="utf-8-sig")[["unit_code", "unit_name", "status", "seconds"]].values.tolist()
    [['D001', '财政局', 'ok', 1.5]]
    """
    names = dict(zip(plan["unit_code"], plan["unit_name"]))
    rows = [{"unit_code": r.unit_code, "unit_name": names.get(r.unit_code, ""), "year": summary.year,
             "status": r.status, "seconds": r.seconds,
             "failing_cell": "" if r.failing_cell is None else r.failing_cell, "error": r.error, "html": r.html,
             "attempts": r.attempts}
            for r in [*summary.every_unit, *([summary.overview] if summary.overview else [])]]
    return write_csv(pd.DataFrame(rows), summary.out_dir / "runs.csv")  # no cell is a live formula


def write_index(summary: BatchSummary, plan: pd.DataFrame) -> Path:
    """``index.html``: every unit of the year with its status, grade and a link to its report.

    The units not run this time (``summary.kept``) are listed with their last status and still linked.

    Parameters
    ----------
    summary : BatchSummary
        The batch; the page goes to ``summary.out_dir`` and links the overview when there is one.
    plan : DataFrame
        The units run (the ``results`` rows of the year): ``unit_code``, ``unit_name``,
        ``execution_rate`` (fraction), ``score`` and ``claimed_score`` (points), ``grade``,
        ``claimed_grade``.

    Returns
    -------
    pathlib.Path
        ``index.html``, a self-contained page written atomically.

    Examples
    --------
    >>> import tempfile
    >>> plan = pd.DataFrame({"unit_code": ["D001"], "unit_name": ["财政局"], "execution_rate": [0.975],
    ...                      "score": [92.5], "grade": ["优"], "claimed_score": [95.0], "claimed_grade": ["优"]})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     summary = BatchSummary(2023, [RunResult("D001", "ok", html="D001.html")], Path(out))
    ...     "财政局" in write_index(summary, plan).read_text(encoding="utf-8")
    True
    """
    by_code = {r.unit_code: r for r in summary.every_unit}
    rows = []
    for unit in records(plan):
        run = by_code.get(unit["unit_code"])
        rows.append({**unit, "status": run.status if run else "", "html": run.html if run else "",
                     "error": run.error if run else ""})
    html = render_html("html/index_page.html.j2", title=f"{summary.year}年度部门整体支出绩效自评报告目录", year=summary.year,
                       rows=rows, overview=summary.overview,
                       version=__version__, generated_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
                       n_failed=sum(r.status == "failed" for r in summary.every_unit), seconds=summary.seconds)
    target = summary.out_dir / "index.html"
    with atomic_path(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return target


def not_run(out: Path, code: str) -> RunResult:
    """A unit not run this time and without a record: linked when its report is there."""
    html = f"{code}.html" if code_problem(code) is None and (out / f"{code}.html").is_file() else ""
    return RunResult(code, "not_run", html=html)


#: What marks the page :func:`write_failed_page` writes (so a second failure does not keep it as a report).
FAILED_MARK = 'data-perfeval-status="failed"'


def write_failed_page(out: Path, result: RunResult, unit_name: str, year: int) -> RunResult:
    """Put a page saying what failed at ``<unit_code>.html``, keeping the unit's last report beside it.

    The overview and the trends link every unit's ``<unit_code>.html``; left in place, a failed unit's
    earlier report would be shown there as if it were current. It is moved (never deleted) to
    ``<unit_code>.previous.html`` — in the same folder, so its own links still work — unless what is
    there is already such a failure page; :func:`clear_failed_page` removes it when the unit next succeeds.

    Parameters
    ----------
    out : Path
        The year's report folder.
    result : RunResult
        The failed unit's result (``unit_code``, ``error``, ``failing_cell``).
    unit_name : str
        The unit's name, for the title.
    year : int
        The year evaluated.

    Returns
    -------
    RunResult
        ``result`` with ``html`` set to the page (the index links it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = Path(folder)
    ...     _ = (out / "D001.html").write_text("<p>2022 figures</p>", encoding="utf-8")
    ...     failed = write_failed_page(out, RunResult("D001", "failed", error="KeyError: 'x'"), "某局", 2023)
    ...     page = (out / "D001.html").read_text(encoding="utf-8")
    ...     failed.html, "KeyError" in page, (out / "D001.previous.html").read_text(encoding="utf-8")
    ('D001.html', True, '<p>2022 figures</p>')
    """
    code = safe_name(result.unit_code)
    page, previous = out / f"{code}.html", out / f"{code}.previous.html"
    if page.is_file() and FAILED_MARK not in page.read_text(encoding="utf-8", errors="replace"):
        page.replace(previous)
    html = render_html("html/failed_page.html.j2", title=f"{year}年度{unit_name}整体支出绩效自评报告（未生成）",
                       year=year, unit_name=unit_name, error=result.error, cell=result.failing_cell,
                       previous=previous.name if previous.is_file() else None, version=__version__,
                       generated_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"))
    with atomic_path(page) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return dataclasses.replace(result, html=page.name)


def clear_failed_page(out: Path, unit_code: str) -> None:
    """Remove the report kept by :func:`write_failed_page` once the unit has a new one."""
    (out / f"{safe_name(unit_code)}.previous.html").unlink(missing_ok=True)


def remove_leftovers(out: Path) -> None:
    """Temporary files of an earlier run that was killed: never a report, safe to remove."""
    for leftover in [*out.glob(".*.tmp"), *(out / ".work").glob("*.ipynb")]:
        leftover.unlink(missing_ok=True)


def remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` when it is empty (the working folder after a batch)."""
    try:
        folder.rmdir()
    except OSError:
        pass


def unsafe_units(plan: pd.DataFrame) -> list[RunResult]:
    """A failed result for each unit of ``plan`` whose code is not a safe file name (the others run).

    Ingest refuses such codes (:mod:`perfeval_lib.ingest.validate`), so this only meets processed
    tables written by an older version or by hand.

    Parameters
    ----------
    plan : DataFrame
        The units to run (``unit_code``).

    Returns
    -------
    list of RunResult
        Status ``failed``, the error saying which rule the code breaks.

    Examples
    --------
    >>> [r.error[:12] for r in unsafe_units(pd.DataFrame({"unit_code": ["D001", "CON", "a b"]}))]
    ['单位编码「CON」不能用', '单位编码「a b」不能用']
    """
    refused = []
    for code in plan["unit_code"]:
        if code_problem(code) is not None:
            try:
                safe_name(code)
            except PerfevalError as error:
                refused.append(RunResult(str(code), "failed", error=str(error)[:500]))
    return refused

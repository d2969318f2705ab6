"""``perfeval run``: execute the report notebook once per unit with papermill, export HTML, index the year.

For each unit of the year: its parameters (``params/units/<unit_code>.yaml``, checked against the
notebook's ``parameters`` cell before anything runs) → papermill (kernel ``python3``, a per-cell
timeout, one retry when the kernel dies) → nbconvert HTML in the worker (code, prompts and the
injected-parameters cell removed) → ``reports/<year>/<unit_code>.html``, written atomically. Units run
in a bounded pool of worker processes; one failing unit never stops the others: its executed notebook
is kept in ``reports/<year>/failed/`` and ``runs.csv`` names the failing cell and the error. A unit
whose notebook, parameters, ruleset and data are unchanged since its last successful run is skipped.

Examples
--------
>>> summary = run_batch(2023, jobs=2)                                # doctest: +SKIP
>>> summary.failed                                                   # doctest: +SKIP
[]
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import re
import time
from pathlib import Path

import pandas as pd
import yaml

from . import __version__, config
from .errors import PerfevalError
from .io import atomic_path, read_processed
from .templating import records, render_html

UNIT_NOTEBOOK = "unit_report.ipynb"
OVERVIEW_NOTEBOOK = "overview.ipynb"
#: Seconds a single notebook cell may run before the unit fails.
DEFAULT_CELL_TIMEOUT = 600
_SAFE_NAME = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_\-\u4e00-\u9fff.]{0,63}$")
_TYPE_NAMES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}
_DATA_TABLES = ("units", "budget", "spending", "indicators", "claims", "narratives")


class ParamsError(PerfevalError):
    """Run parameters that do not fit the notebook (unknown keys, wrong types); lists every problem."""


def notebooks_dir() -> Path:
    return config.project_root() / "notebooks"


def safe_name(unit_code: str) -> str:
    """The unit code as a file name, refused when it could escape the reports folder.

    >>> safe_name("D001")
    'D001'
    >>> safe_name("../etc")
    Traceback (most recent call last):
    ...
    perfeval_lib.errors.PerfevalError: 单位编码「../etc」不能用作文件名 / unit code '../etc' is not a safe file name
    """
    if not isinstance(unit_code, str) or not _SAFE_NAME.match(unit_code) or ".." in unit_code:
        raise PerfevalError(f"单位编码「{unit_code}」不能用作文件名 / unit code {unit_code!r} is not a safe file name")
    return unit_code


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------

def notebook_parameters(notebook: Path) -> dict:
    """The notebook's declared parameters (name → papermill's description with type and default)."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


def check_params(params: dict, declared: dict, source: str) -> list[str]:
    """Problems of one parameter set against the notebook's declared parameters (empty when fine).

    >>> declared = {"year": {"inferred_type_name": "int"}, "ruleset": {"inferred_type_name": "str"}}
    >>> check_params({"year": "2023", "colour": 1}, declared, "x.yaml")
    ['x.yaml: 参数「year」应为 int，实为 str / year must be int, got str', 'x.yaml: 未知参数「colour」/ unknown parameter (可用 allowed: year, ruleset)']
    """
    problems = []
    for key, value in params.items():
        if key not in declared:
            problems.append(f"{source}: 未知参数「{key}」/ unknown parameter (可用 allowed: {', '.join(declared)})")
            continue
        wanted = _TYPE_NAMES.get(declared[key].get("inferred_type_name") or "")
        if wanted and (not isinstance(value, wanted) or (wanted is int and isinstance(value, bool))):
            problems.append(f"{source}: 参数「{key}」应为 {declared[key]['inferred_type_name']}，实为 "
                            f"{type(value).__name__} / {key} must be {declared[key]['inferred_type_name']}, "
                            f"got {type(value).__name__}")
    return problems


def params_path(unit_code: str) -> Path:
    return config.params_dir() / "units" / f"{safe_name(unit_code)}.yaml"


def read_params(unit_code: str) -> dict:
    """A unit's run parameters from its YAML file ({} when there is none)."""
    path = params_path(unit_code)
    if not path.exists():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: 不是有效的 YAML / not valid YAML: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParamsError(f"{path}: 应为“参数: 值”的映射 / expected a mapping of parameter: value")
    return loaded


def write_params(year: int, units: list[str] | None = None, force: bool = False, processed_dir=None) -> list[Path]:
    """Write ``params/units/<unit_code>.yaml`` for the units of ``year`` (existing files kept unless ``force``).

    >>> write_params(2023)                                           # doctest: +SKIP
    """
    registry = read_processed("units", processed_dir)
    results = read_processed("results", processed_dir)
    codes = sorted(results.loc[results["year"] == year, "unit_code"].unique())
    if units:
        codes = [c for c in codes if c in set(units)]
    names = dict(zip(registry["unit_code"], registry["unit_name"]))
    written = []
    for code in codes:
        path = params_path(code)
        if path.exists() and not force:
            continue
        text = (f"# {names.get(code, code)} — perfeval run 的参数 / run parameters of notebooks/{UNIT_NOTEBOOK}\n"
                f"# 可手工编辑；year 由 perfeval run --year 给出。Editable; the year comes from perfeval run --year.\n"
                f"unit_code: {json.dumps(code, ensure_ascii=False)}\n"
                f"ruleset: \"\"   # 空 = 单位登记的评价体系 / empty: the unit's own ruleset\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------
# Running one notebook
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class RunResult:
    """What happened to one unit (a row of runs.csv)."""

    unit_code: str
    status: str  # ok | failed | skipped
    seconds: float = 0.0
    failing_cell: int | None = None
    error: str = ""
    html: str = ""
    fingerprint: str = ""
    attempts: int = 0


_EXPORTER = None


def html_exporter():
    """One slim HTML exporter per process: outputs only, no prompts, no parameters cells, our template."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(
            template_name="perfeval", extra_template_basedirs=[str(config.PACKAGE_DIR / "templates" / "nbconvert")],
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, exclude_markdown=True,
            exclude_raw=True)
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters", "remove_cell"}), enabled=True)
        _EXPORTER = exporter
    return _EXPORTER


def export_html(notebook, target: Path, title: str) -> int:
    """Write the executed notebook as a self-contained HTML page (atomically); returns its size."""
    notebook.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(notebook)
    with atomic_path(target) as temporary:
        temporary.write_text(body, encoding="utf-8")
    return len(body.encode("utf-8"))


def execute(notebook: Path, parameters: dict, cell_timeout: int, output: Path, retries: int = 1):
    """papermill with kernel ``python3``; one more attempt when the kernel dies. Returns (node, attempts).

    papermill writes the executed notebook to ``output`` (also when a cell fails, up to that cell).
    """
    import papermill
    from nbclient.exceptions import DeadKernelError

    output.parent.mkdir(parents=True, exist_ok=True)
    attempts = 0
    while True:
        attempts += 1
        try:
            node = papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, kernel_name="python3", progress_bar=False,
                log_output=False, cwd=str(config.project_root()), execution_timeout=cell_timeout,
                request_save_on_cell_execute=False, extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
            return node, attempts
        except DeadKernelError:
            if attempts > retries:
                raise


@functools.lru_cache(maxsize=8)
def _parameters_cell(notebook: str) -> int:
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    return next((i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), -1)


def _failure(exc: Exception, notebook: str | None = None) -> tuple[int | None, str]:
    """(failing cell, one-line error) from a papermill or kernel exception.

    The cell is counted from 1 in the source notebook (papermill's index also counts the cell it
    injects after the ``parameters`` cell).
    """
    cell = getattr(exc, "cell_index", None)
    if cell is not None and notebook:
        cell = cell - 1 if cell > _parameters_cell(notebook) >= 0 else cell
        cell += 1
    name = getattr(exc, "ename", None) or type(exc).__name__
    value = getattr(exc, "evalue", None) or str(exc)
    return cell, f"{name}: {value}".strip().splitlines()[0][:500] if value else name


def run_unit(task: dict) -> RunResult:
    """Execute and export one unit (runs in a worker process). Never raises: failures are results."""
    started = time.perf_counter()
    code, out_dir = task["unit_code"], Path(task["out_dir"])
    result = RunResult(code, "failed", fingerprint=task["fingerprint"])
    working = out_dir / ".work" / f"{code}.ipynb"
    failed_copy = out_dir / "failed" / f"{code}.ipynb"
    try:
        node, result.attempts = execute(Path(task["notebook"]), task["parameters"], task["cell_timeout"], working)
        title = f"{task['year']}年度{task['unit_name']}整体支出绩效自评报告"
        export_html(node, out_dir / f"{code}.html", title)
        result.status, result.html = "ok", f"{code}.html"
        failed_copy.unlink(missing_ok=True)
    except Exception as exc:  # a failing cell, a timeout, the kernel dying twice: recorded, never raised
        result.failing_cell, result.error = _failure(exc, task["notebook"])
        _keep_failed(working, failed_copy, exc)
    finally:
        working.unlink(missing_ok=True)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _keep_failed(working: Path, target: Path, exc: Exception) -> None:
    """Keep the executed notebook of a failed run (with outputs up to the failing cell) for inspection."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if working.exists():
        os.replace(working, target)
    else:  # failed before papermill wrote anything: keep the error itself
        target.with_suffix(".error.txt").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------------

def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unit_data_digest(tables: dict[str, pd.DataFrame], code: str, year: int) -> str:
    digest = hashlib.sha256()
    for name in _DATA_TABLES:
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        rows = frame[frame["unit_code"] == code]
        if "year" in rows.columns:
            rows = rows[rows["year"] <= year]
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _ruleset_digest(params: dict, unit_ruleset: str | None) -> str:
    from .rulesets import ruleset_path

    name = params.get("ruleset") or unit_ruleset or config.DEFAULT_RULESET
    try:
        return _sha256_bytes(ruleset_path(name).read_bytes())
    except PerfevalError:  # the unit's own run will fail and say why; the batch goes on
        return f"missing:{name}"


@dataclasses.dataclass
class BatchSummary:
    """The outcome of a batch: one result per unit, and where everything was written."""

    year: int
    results: list[RunResult]
    out_dir: Path
    overview: RunResult | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if r.status == "failed"]


def plan_units(year: int, units: list[str] | None, processed_dir=None) -> pd.DataFrame:
    """The units of ``year`` (results rows), optionally only those named; unknown names are an error."""
    results = read_processed("results", processed_dir)
    rows = results[results["year"] == year]
    if rows.empty:
        years = "、".join(str(y) for y in sorted(results["year"].unique())) or "无"
        raise PerfevalError(f"没有 {year} 年的数据（已有：{years}）；先运行 perfeval ingest / no data for {year}")
    if units:
        unknown = sorted(set(units) - set(rows["unit_code"]))
        if unknown:
            raise PerfevalError(f"{year} 年没有这些单位 / not in {year}: {', '.join(unknown)}")
        rows = rows[rows["unit_code"].isin(units)]
    return rows.sort_values("unit_code").reset_index(drop=True)


def run_batch(year: int, units: list[str] | None = None, jobs: int | None = None, force: bool = False,
              out_dir: str | Path | None = None, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None,
              progress: bool = True) -> BatchSummary:
    """Run the unit report for every unit of ``year`` (or ``units``), then the overview and the index.

    Parameters are validated for every unit before the first notebook runs (:class:`ParamsError`
    lists every problem). Returns a :class:`BatchSummary`; never raises for a failing unit.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    plan = plan_units(year, units, processed_dir)
    out = Path(out_dir) if out_dir else config.reports_dir() / str(year)
    out.mkdir(parents=True, exist_ok=True)
    notebook = notebooks_dir() / UNIT_NOTEBOOK
    declared = notebook_parameters(notebook)
    write_params(year, list(plan["unit_code"]), processed_dir=processed_dir)

    from .report import processed_tables

    tables = processed_tables(processed_dir)
    notebook_sha = _sha256_bytes(notebook.read_bytes())
    manifest_path = out / ".manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    unit_rulesets = dict(zip(tables["units"]["unit_code"], tables["units"]["ruleset"])) \
        if "ruleset" in tables["units"].columns else {}

    tasks, problems = [], []
    for row in plan.itertuples():
        code = safe_name(row.unit_code)
        params = read_params(code)
        problems += check_params(params, declared, str(params_path(code)))
        if params.get("unit_code", code) != code:
            problems.append(f"{params_path(code)}: unit_code 应为 {code} / must be {code}")
        parameters = {**params, "unit_code": code, "year": int(year)}
        if processed_dir:
            parameters["processed_dir"] = str(Path(processed_dir).resolve())
        tasks.append({"unit_code": code, "unit_name": row.unit_name or code, "year": int(year), "parameters": parameters,
                      "notebook": str(notebook), "out_dir": str(out), "cell_timeout": cell_timeout})
    if problems:
        raise ParamsError("运行参数有误，未开始运行 / run parameters are invalid, nothing was run:\n  "
                          + "\n  ".join(problems))
    for task in tasks:
        task["fingerprint"] = _sha256_bytes(json.dumps({
            "notebook": notebook_sha, "parameters": task["parameters"], "version": __version__,
            "ruleset": _ruleset_digest(task["parameters"], unit_rulesets.get(task["unit_code"])),
            "data": _unit_data_digest(tables, task["unit_code"], year)}, sort_keys=True).encode())

    results: list[RunResult] = []
    todo = []
    for task in tasks:
        previous = manifest.get(task["unit_code"])
        if not force and previous == task["fingerprint"] and (out / f"{task['unit_code']}.html").exists():
            results.append(RunResult(task["unit_code"], "skipped", html=f"{task['unit_code']}.html",
                                     fingerprint=task["fingerprint"]))
        else:
            todo.append(task)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    bar = tqdm(total=len(todo), desc=f"{year} 单位报告", unit="个", disable=not progress or not todo)
    if todo:
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(run_unit, task): task for task in todo}
            for future in cf.as_completed(futures):
                task = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker process itself died
                    result = RunResult(task["unit_code"], "failed", error=f"{type(exc).__name__}: {exc}"[:500],
                                       fingerprint=task["fingerprint"])
                results.append(result)
                if result.status == "ok":
                    manifest[result.unit_code] = result.fingerprint
                else:
                    manifest.pop(result.unit_code, None)
                with atomic_path(manifest_path) as temporary:
                    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
                bar.update(1)
                bar.set_postfix_str(f"{result.unit_code} {result.status}")
    bar.close()

    summary = BatchSummary(year, sorted(results, key=lambda r: r.unit_code), out)
    summary.overview = run_overview(year, out, cell_timeout, processed_dir)
    _remove_if_empty(out / ".work")
    summary.seconds = round(time.perf_counter() - started, 2)
    write_runs(summary, plan)
    write_index(summary, plan)
    return summary


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def run_overview(year: int, out: Path, cell_timeout: int, processed_dir=None) -> RunResult:
    """Execute the overview notebook for the year and export ``overview.html``."""
    started = time.perf_counter()
    result = RunResult("overview", "failed")
    parameters = {"year": int(year)}
    if processed_dir:
        parameters["processed_dir"] = str(Path(processed_dir).resolve())
    working = out / ".work" / "overview.ipynb"
    try:
        node, result.attempts = execute(notebooks_dir() / OVERVIEW_NOTEBOOK, parameters, cell_timeout, working)
        export_html(node, out / "overview.html", f"{year}年度部门整体支出绩效自评总览")
        result.status, result.html = "ok", "overview.html"
    except Exception as exc:
        result.failing_cell, result.error = _failure(exc, str(notebooks_dir() / OVERVIEW_NOTEBOOK))
        _keep_failed(working, out / "failed" / "overview.ipynb", exc)
    finally:
        working.unlink(missing_ok=True)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def write_runs(summary: BatchSummary, plan: pd.DataFrame) -> Path:
    """``runs.csv``: one row per unit (and the overview): status, seconds, failing cell, error."""
    names = dict(zip(plan["unit_code"], plan["unit_name"]))
    rows = [{"unit_code": r.unit_code, "unit_name": names.get(r.unit_code, ""), "year": summary.year,
             "status": r.status, "seconds": r.seconds,
             "failing_cell": "" if r.failing_cell is None else r.failing_cell, "error": r.error, "html": r.html,
             "attempts": r.attempts}
            for r in [*summary.results, *([summary.overview] if summary.overview else [])]]
    target = summary.out_dir / "runs.csv"
    with atomic_path(target) as temporary:
        pd.DataFrame(rows).to_csv(temporary, index=False, encoding="utf-8-sig")
    return target


def write_index(summary: BatchSummary, plan: pd.DataFrame) -> Path:
    """``index.html``: every unit of the year with its status, grade and a link to its report."""
    by_code = {r.unit_code: r for r in summary.results}
    rows = []
    for unit in records(plan):
        run = by_code.get(unit["unit_code"])
        rows.append({**unit, "status": run.status if run else "", "html": run.html if run else "",
                     "error": run.error if run else ""})
    html = render_html("html/index_page.html.j2", year=summary.year, rows=rows, overview=summary.overview,
                       version=__version__, generated_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
                       n_failed=len(summary.failed), seconds=summary.seconds)
    target = summary.out_dir / "index.html"
    with atomic_path(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return target

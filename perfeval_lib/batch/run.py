"""``perfeval run``: execute the report notebook once per unit with papermill, export HTML, index the year.

For each unit of the year: its parameters (``params/units/<unit_code>.yaml``, checked against the
notebook's ``parameters`` cell before anything runs) → papermill (kernel ``python3``, a per-cell
timeout, one retry when the kernel dies) → nbconvert HTML in the worker (code, prompts and the
injected-parameters cell removed) → ``reports/<year>/<unit_code>.html``, written atomically. The
overview notebook runs beside the units. One failing unit never stops the others: its executed
notebook is kept in ``reports/<year>/failed/`` and ``runs.csv`` names the failing cell and the error.
A unit whose notebook, parameters, ruleset and data are unchanged since its last successful run is
skipped.

Where the time goes, and why it is fast: each worker process imports papermill and nbconvert once
and keeps one nbconvert exporter, and keeps one kernel warm across units
(:mod:`perfeval_lib.batch.kernels`: reset between units, replaced after a failure and every
``kernel_reuse`` units), so a unit costs about what the report's own computing and charts cost.
Workers are a local process pool, or the workers of a Dask cluster (``scheduler=``), through the
same code (:mod:`perfeval_lib.batch.executors`): a task is a plain dict of strings and numbers, and every
result comes back as a :class:`RunResult`.

Examples
--------
>>> summary = run_batch(2023, jobs=2)                                # doctest: +SKIP
>>> summary.failed                                                   # doctest: +SKIP
[]
>>> run_batch(2023, scheduler="tcp://10.0.0.5:8786", kernel_reuse=100)  # doctest: +SKIP
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core.version import __version__
from ..core import config
from ..core.errors import PerfevalError
from ..core.files import atomic_path
from ..core.store import read_processed
from ..core.templating import records, render_html
from ..core.errors import ParamsError
from ..core.store import processed_tables
from ..review.rulesets import ruleset_path
from .executors import open_executor
from . import kernels

UNIT_NOTEBOOK = "unit_report.ipynb"
OVERVIEW_NOTEBOOK = "overview.ipynb"
#: Seconds a single notebook cell may run before the unit fails.
DEFAULT_CELL_TIMEOUT = 600
#: Notebooks a worker's kernel runs before it is replaced (1: a fresh kernel for every unit).
DEFAULT_KERNEL_REUSE = 50
KERNEL_NAME = "python3"
#: The environment variables that locate a project; a task carries them to the kernels of any worker.
PROJECT_ENV = {"PERFEVAL_ROOT": config.project_root, "PERFEVAL_RAW": config.raw_dir,
               "PERFEVAL_PROCESSED": config.processed_dir, "PERFEVAL_REPORTS": config.reports_dir,
               "PERFEVAL_PARAMS": config.params_dir}
_SAFE_NAME = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_\-\u4e00-\u9fff.]{0,63}$")
_TYPE_NAMES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}
_DATA_TABLES = ("units", "budget", "spending", "indicators", "claims", "narratives")




def notebooks_dir() -> Path:
    return config.project_root() / "notebooks"


def safe_name(unit_code: str) -> str:
    """The unit code as a file name, refused when it could escape the reports folder.

    >>> safe_name("D001")
    'D001'
    >>> safe_name("../etc")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.PerfevalError: 单位编码「../etc」不能用作文件名 / unit code '../etc' is not a safe file name
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
# Running one notebook (in a worker process)
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
            exclude_raw=True, optimistic_validation=True)  # validate once, not after each preprocessor
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


def execute(notebook: Path, parameters: dict, cell_timeout: int, output: Path, retries: int = 1,
            kernel=None, reuse: int = DEFAULT_KERNEL_REUSE):
    """papermill with kernel ``python3``; one more attempt when the kernel dies. Returns (node, attempts).

    papermill writes the executed notebook to ``output`` (also when a cell fails, up to that cell).

    Parameters
    ----------
    notebook, parameters, cell_timeout, output
        The notebook, its parameters, the seconds a cell may run, where the executed notebook goes.
    retries : int
        More attempts after the kernel died.
    kernel : perfeval_lib.batch.kernels.KernelSpec, optional
        Run on this process's warm kernel of that spec (see :mod:`perfeval_lib.batch.kernels`), kept for
        ``reuse`` notebooks; without it papermill starts a kernel for this notebook and stops it.
    reuse : int
        Notebooks the warm kernel runs before it is replaced.

    Examples
    --------
    >>> node, attempts = execute(Path("notebooks/unit_report.ipynb"), {"unit_code": "D001"}, 600,
    ...                          Path("/tmp/D001.ipynb"), kernel=KernelSpec(cwd="."))  # doctest: +SKIP
    """
    import papermill
    from nbclient.exceptions import DeadKernelError

    output.parent.mkdir(parents=True, exist_ok=True)
    options = dict(parameters=parameters, kernel_name=KERNEL_NAME, progress_bar=False, log_output=False,
                   cwd=kernel.cwd if kernel else str(config.project_root()), execution_timeout=cell_timeout,
                   request_save_on_cell_execute=False, extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    attempts = 0
    while True:
        attempts += 1
        try:
            if kernel is None:
                node = papermill.execute_notebook(str(notebook), str(output), **options)
            else:

                node = kernels.kernel_pool().run(
                    lambda km: papermill.execute_notebook(str(notebook), str(output), km=km, **options), kernel, reuse)
            return node, attempts
        except DeadKernelError:  # the warm pool has already dropped the dead kernel
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
    if name == "CellTimeoutError":
        seconds = re.search(r"after (\d+) seconds", value)
        limit = f"{seconds.group(1)} 秒" if seconds else "时限"
        return cell, (f"CellTimeoutError: 单元格运行超过 {limit}，已停止（perfeval run --cell-timeout 可调整）/ "
                      f"a cell ran longer than the limit (--cell-timeout)")
    return cell, f"{name}: {value}".strip().splitlines()[0][:500] if value else name


def _kernel_spec(task: dict):

    return kernels.KernelSpec(name=KERNEL_NAME, cwd=task["cwd"], env=tuple(sorted(task["env"].items())))


def warm_worker(task: dict) -> None:
    """Start this worker's kernel for ``task``'s project in the background (an executor's warm-up).

    The kernel boots while the worker imports papermill and nbconvert for its first task.
    """

    kernels.kernel_pool().prestart(_kernel_spec(task))


def run_unit(task: dict) -> RunResult:
    """Execute and export one notebook task — a unit, or the overview — in a worker. Never raises.

    ``task`` is plain data (see :func:`unit_tasks`): ``name``, ``notebook``, ``parameters``,
    ``out_dir``, ``html``, ``title``, ``cell_timeout``, ``fingerprint``, ``kernel_reuse``, ``cwd`` and
    ``env`` (the project's folders, for the kernel). Failures are results: the executed notebook, up to
    the failing cell, is kept as ``failed/<name>.ipynb``.

    >>> run_unit(unit_tasks(2023, plan_units(2023, ["D001"]), Path("reports/2023"))[0])  # doctest: +SKIP
    RunResult(unit_code='D001', status='ok', ...)
    """
    started = time.perf_counter()
    name, out_dir = task["name"], Path(task["out_dir"])
    result = RunResult(name, "failed", fingerprint=task["fingerprint"])
    working = out_dir / ".work" / f"{name}.ipynb"
    failed_copy = out_dir / "failed" / f"{name}.ipynb"
    try:
        node, result.attempts = execute(Path(task["notebook"]), task["parameters"], task["cell_timeout"], working,
                                        kernel=_kernel_spec(task), reuse=task["kernel_reuse"])
        export_html(node, out_dir / task["html"], task["title"])
        result.status, result.html = "ok", task["html"]
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
# The tasks
# ---------------------------------------------------------------------------------------------

def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _data_digests(tables: dict[str, pd.DataFrame], codes: list[str], year: int) -> dict[str, str]:
    """Per unit: a digest of its rows (up to ``year``) in every input table.

    Rows are hashed once per table, then grouped by unit: linear in the table's size however many
    units there are (a 1,000,000-row indicator table included).
    """
    digests = {code: hashlib.sha256() for code in codes}
    for name in _DATA_TABLES:
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        rows = frame[frame["unit_code"].isin(codes)]
        if "year" in rows.columns:
            rows = rows[rows["year"] <= year]
        hashes = pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy()
        positions = rows.reset_index(drop=True).groupby("unit_code", sort=False).indices
        for code in codes:
            digests[code].update(name.encode())
            digests[code].update(hashes[np.asarray(positions.get(code, []), dtype=np.intp)].tobytes())
    return {code: digest.hexdigest() for code, digest in digests.items()}


@functools.lru_cache(maxsize=32)
def _file_digest(path: Path, mtime_ns: int) -> str:
    return _sha256_bytes(path.read_bytes())


def _ruleset_digest(params: dict, unit_ruleset: str | None) -> str:

    name = params.get("ruleset") or unit_ruleset or config.DEFAULT_RULESET
    try:
        path = ruleset_path(name)
        return _file_digest(path, path.stat().st_mtime_ns)
    except (PerfevalError, OSError):  # the unit's own run will fail and say why; the batch goes on
        return f"missing:{name}"


def _project_env() -> dict[str, str]:
    """The project's folders, resolved here, so a kernel on any worker reads the same project."""
    return {name: str(folder()) for name, folder in PROJECT_ENV.items()}


def _base_task(name: str, notebook: Path, parameters: dict, out: Path, html: str, title: str, cell_timeout: int,
               kernel_reuse: int) -> dict:
    return {"name": name, "notebook": str(notebook), "parameters": parameters, "out_dir": str(out), "html": html,
            "title": title, "cell_timeout": int(cell_timeout), "fingerprint": "", "kernel_reuse": int(kernel_reuse),
            "cwd": str(config.project_root()), "env": _project_env()}


def unit_tasks(year: int, plan: pd.DataFrame, out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
               processed_dir=None, kernel_reuse: int = DEFAULT_KERNEL_REUSE) -> list[dict]:
    """One task per unit of ``plan``, with its checked parameters and its fingerprint.

    A task is plain data (strings, numbers, dicts), so it can be sent to any worker process.
    Raises :class:`ParamsError` listing every problem of every unit's parameters.

    >>> tasks = unit_tasks(2023, plan_units(2023), Path("reports/2023"))      # doctest: +SKIP
    >>> tasks[0]["name"], tasks[0]["parameters"]                            # doctest: +SKIP
    ('D001', {'unit_code': 'D001', 'ruleset': '', 'year': 2023})
    """

    notebook = notebooks_dir() / UNIT_NOTEBOOK
    declared = notebook_parameters(notebook)
    write_params(year, list(plan["unit_code"]), processed_dir=processed_dir)
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
        tasks.append(_base_task(code, notebook, parameters, out, f"{code}.html",
                                f"{year}年度{row.unit_name or code}整体支出绩效自评报告", cell_timeout, kernel_reuse))
    if problems:
        raise ParamsError("运行参数有误，未开始运行 / run parameters are invalid, nothing was run:\n  "
                          + "\n  ".join(problems))
    tables = processed_tables(processed_dir)
    units = tables["units"]
    unit_rulesets = dict(zip(units["unit_code"], units["ruleset"])) if "ruleset" in units.columns else {}
    data = _data_digests(tables, [task["name"] for task in tasks], int(year))
    notebook_sha = _sha256_bytes(notebook.read_bytes())
    for task in tasks:
        task["fingerprint"] = _sha256_bytes(json.dumps({
            "notebook": notebook_sha, "parameters": task["parameters"], "version": __version__,
            "ruleset": _ruleset_digest(task["parameters"], unit_rulesets.get(task["name"])),
            "data": data[task["name"]]}, sort_keys=True).encode())
    return tasks


def overview_task(year: int, out: Path, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None,
                  kernel_reuse: int = DEFAULT_KERNEL_REUSE) -> dict:
    """The task that runs the overview notebook of ``year`` into ``overview.html``.

    >>> overview_task(2023, Path("/srv/reports/2023"))["html"]
    'overview.html'
    """
    parameters = {"year": int(year)}
    if processed_dir:
        parameters["processed_dir"] = str(Path(processed_dir).resolve())
    return _base_task("overview", notebooks_dir() / OVERVIEW_NOTEBOOK, parameters, out, "overview.html",
                      f"{year}年度部门整体支出绩效自评总览", cell_timeout, kernel_reuse)


# ---------------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------------

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


class _Manifest:
    """``.manifest.json``: the fingerprint of every unit's last successful run, saved after each result."""

    def __init__(self, out: Path) -> None:
        self.path = out / ".manifest.json"
        self.entries = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def unchanged(self, task: dict) -> bool:
        return self.entries.get(task["name"]) == task["fingerprint"] and (Path(task["out_dir"]) / task["html"]).exists()

    def record(self, result: RunResult) -> None:
        if result.status == "ok":
            self.entries[result.unit_code] = result.fingerprint
        else:
            self.entries.pop(result.unit_code, None)
        with atomic_path(self.path) as temporary:
            temporary.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")


def _submit_all(executor: cf.Executor, tasks: list[dict]) -> dict[cf.Future, dict]:
    return {executor.submit(run_unit, task): task for task in tasks}


def _outcome(future: cf.Future, task: dict) -> RunResult:
    try:
        return future.result()
    except Exception as exc:  # the worker process itself died (or the cluster lost it)
        return RunResult(task["name"], "failed", error=f"{type(exc).__name__}: {exc}"[:500],
                         fingerprint=task["fingerprint"])


def run_batch(year: int, units: list[str] | None = None, jobs: int | None = None, force: bool = False,
              out_dir: str | Path | None = None, cell_timeout: int = DEFAULT_CELL_TIMEOUT, processed_dir=None,
              progress: bool = True, kernel_reuse: int = DEFAULT_KERNEL_REUSE,
              scheduler: str | None = None) -> BatchSummary:
    """Run the unit report for every unit of ``year`` (or ``units``), the overview, and write the index.

    Parameters
    ----------
    year : int
        The year evaluated.
    units : list of str, optional
        Only these unit codes (default: every unit of the year).
    jobs : int, optional
        Local worker processes (default: the number of cores); ignored with ``scheduler``.
    force : bool
        Rerun units whose notebook, parameters, ruleset and data are unchanged.
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

    Returns
    -------
    BatchSummary
        Never raises for a failing unit; parameters are validated for every unit before the first
        notebook runs (:class:`ParamsError` lists every problem).

    Examples
    --------
    >>> summary = run_batch(2023, units=["D001", "D002"], jobs=2, force=True)   # doctest: +SKIP
    >>> [(r.unit_code, r.status) for r in summary.results]                      # doctest: +SKIP
    [('D001', 'ok'), ('D002', 'ok')]
    """
    from tqdm import tqdm


    started = time.perf_counter()
    if isinstance(kernel_reuse, bool) or not isinstance(kernel_reuse, int) or kernel_reuse < 1:
        raise PerfevalError(f"--kernel-reuse 应为正整数 / must be a positive integer, not {kernel_reuse!r}")
    plan = plan_units(year, units, processed_dir)
    out = Path(out_dir) if out_dir else config.reports_dir() / str(year)
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    overview = overview_task(year, out, cell_timeout, processed_dir, kernel_reuse)
    summary = BatchSummary(year, [], out)
    # workers start (and boot their kernels) while the parameters are checked and fingerprinted
    with open_executor(min(jobs or os.cpu_count() or 1, len(plan) + 1), scheduler, warm_worker, overview) as executor:
        tasks = unit_tasks(year, plan, out, cell_timeout, processed_dir, kernel_reuse)
        manifest = _Manifest(out)
        results = [RunResult(t["name"], "skipped", html=t["html"], fingerprint=t["fingerprint"])
                   for t in tasks if not force and manifest.unchanged(t)]
        todo = [t for t in tasks if force or not manifest.unchanged(t)]
        bar = tqdm(total=len(todo), desc=f"{year} 单位报告", unit="个", disable=not progress or not todo)
        # the overview goes first: it runs beside the units instead of after the last one
        futures = _submit_all(executor, [overview, *todo])
        for future in cf.as_completed(futures):
            result = _outcome(future, futures[future])
            if futures[future] is overview:
                summary.overview = result
                continue
            results.append(result)
            manifest.record(result)
            bar.update(1)
            bar.set_postfix_str(f"{result.unit_code} {result.status}")
        bar.close()
    summary.results = sorted(results, key=lambda r: r.unit_code)
    _remove_if_empty(out / ".work")
    summary.seconds = round(time.perf_counter() - started, 2)
    write_runs(summary, plan)
    write_index(summary, plan)
    return summary


def _remove_leftovers(out: Path) -> None:
    """Temporary files of an earlier run that was killed: never a report, safe to remove."""
    for leftover in [*out.glob(".*.tmp"), *(out / ".work").glob("*.ipynb")]:
        leftover.unlink(missing_ok=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def run_overview(year: int, out: Path, cell_timeout: int, processed_dir=None) -> RunResult:
    """Execute the overview notebook for the year in this process and export ``overview.html``.

    >>> run_overview(2023, Path("reports/2023"), 600).status                 # doctest: +SKIP
    'ok'
    """
    return run_unit(overview_task(year, out, cell_timeout, processed_dir, kernel_reuse=1))


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
    html = render_html("html/index_page.html.j2", title=f"{summary.year}年度部门整体支出绩效自评报告目录", year=summary.year,
                       rows=rows, overview=summary.overview,
                       version=__version__, generated_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
                       n_failed=len(summary.failed), seconds=summary.seconds)
    target = summary.out_dir / "index.html"
    with atomic_path(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return target

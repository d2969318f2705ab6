"""One notebook in a worker: papermill on a warm kernel, nbconvert to HTML, a :class:`RunResult` either way.

:func:`run_unit` is what a batch thread (or a Dask worker) runs for each task (a unit's report, or the year's
overview): :func:`execute` runs the notebook with papermill on the thread's warm kernel
(:mod:`perfeval_lib.batch.kernels`; one more attempt when the kernel dies) and :func:`export_html`
writes it as a self-contained page with the process's one :func:`html_exporter` (no code, no
prompts, no parameters cells). A failure — a cell error, a cell timeout, the kernel dying twice — is
a failed :class:`RunResult` naming the failing cell (counted in the source notebook), and the executed
notebook up to that cell is kept in ``failed/``.

papermill and nbconvert are imported here, and only here: ``perfeval run`` imports them while its first
kernel boots, a Dask worker with its first task while the kernel its warm-up started
(:func:`perfeval_lib.batch.executors.warm_worker`) boots.

Examples
--------
>>> DEFAULT_CELL_TIMEOUT, DEFAULT_KERNEL_REUSE
(600, 200)
>>> result = run_unit(task)                                          # doctest: +SKIP
>>> result.status, result.html                                       # doctest: +SKIP
('ok', 'D001.html')
"""
from __future__ import annotations

import functools
import os
import re
import threading
import time
from pathlib import Path

import nbformat
import papermill
from nbclient.exceptions import DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from ..core import config
from ..core.files import atomic_path
from ..core.templating import bytecode_cache
from . import kernels
from .summary import RunResult

#: Seconds a single notebook cell may run before the unit fails.
DEFAULT_CELL_TIMEOUT = 600
#: Attempts after the first when the kernel dies while running a notebook.
RETRIES = 1
#: Notebooks a worker's kernel runs before it is replaced (1: a fresh kernel for every unit).
DEFAULT_KERNEL_REUSE = kernels.DEFAULT_REUSE


def notebook_parameters(notebook: Path) -> dict:
    """The notebook's declared parameters (name → papermill's description with type and default).

    Parameters
    ----------
    notebook : Path
        A notebook with a cell tagged ``parameters``.

    Returns
    -------
    dict
        Parameter name → dict with ``name``, ``inferred_type_name`` (``int``, ``str``, …), ``default``
        and ``help`` (the inline comment), as :func:`papermill.inspect_notebook` reads them.

    Examples
    --------
    >>> from perfeval_lib.batch.params import UNIT_NOTEBOOK, notebooks_dir
    >>> declared = notebook_parameters(notebooks_dir() / UNIT_NOTEBOOK)
    >>> declared["year"]["inferred_type_name"], "unit_code" in declared
    ('int', True)
    """
    return papermill.inspect_notebook(str(notebook))


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last pass over the page.

    ``HTMLExporter.from_notebook_node`` renders the template, then parses the whole page with
    BeautifulSoup to add an ``alt`` text to images that have none and ``tabindex`` to notebook input
    and output areas, and serialises it again. Our pages have no images (a chart is inline SVG with its
    ``<title>``) and no notebook areas to tab to, so that pass changes nothing but the spelling of the markup
    — for 10 times the cost of the template itself (about 20 ms a report, and 0.3 s the first time, to
    compile its CSS selectors). The rest is ``HTMLExporter``'s own: the same filters and resources. Its
    compiled templates are kept on disk like perfeval's own (:func:`perfeval_lib.core.templating.bytecode_cache`):
    compiling nbconvert's page templates cost every new process ≈ 0.1 s.
    """

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = bytecode_cache("nbconvert")
        return environment

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw):
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code",
                             self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()
_EXPORT_LOCK = threading.Lock()


def html_exporter() -> HTMLExporter:
    """One slim HTML exporter per process: outputs only, no prompts, no parameters cells, our template.

    Returns
    -------
    ReportExporter
        The same exporter on every call in a process (built, and its templates compiled, on the first):
        the ``perfeval`` template,
        inputs, prompts and markdown excluded, cells tagged ``injected-parameters``, ``parameters`` or
        ``remove_cell`` removed.

    Examples
    --------
    >>> html_exporter() is html_exporter(), html_exporter().template_name
    (True, 'perfeval')
    """
    global _EXPORTER
    with _EXPORTER_LOCK:   # built once, whichever thread asks first
        if _EXPORTER is None:
            _EXPORTER = _build_exporter()
        return _EXPORTER


def _build_exporter() -> HTMLExporter:
    exporter = ReportExporter(
        template_name="perfeval", extra_template_basedirs=[str(config.PACKAGE_DIR / "templates" / "nbconvert")],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, exclude_markdown=True,
        exclude_raw=True, optimistic_validation=True)  # validate once, not after each preprocessor
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters", "remove_cell"}), enabled=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())   # load and compile the templates now
    return exporter


def export_html(notebook: nbformat.NotebookNode, target: Path, title: str, nav: list | None = None) -> int:
    """Write the executed notebook as a self-contained HTML page (atomically); returns its size.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook (its ``metadata.title`` is set to ``title``).
    target : Path
        The HTML file; replaced atomically, so a reader never sees half a page.
    title : str
        The page title.
    nav : list of (href, text), optional
        Links shown at the top of the page (back to the year's index, the overview …).

    Returns
    -------
    int
        The page's size in bytes (UTF-8).

    Examples
    --------
    >>> import tempfile
    >>> node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("code is hidden")])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     export_html(node, Path(out) / "x.html", "2023年度报告") > 0
    True
    >>> node.metadata["title"]
    '2023年度报告'
    """
    notebook.metadata["title"] = title
    notebook.metadata["perfeval_nav"] = [list(link) for link in nav or []]
    with _EXPORT_LOCK:   # one exporter per process, and an export registers its filters on it: one at a time
        body, _ = html_exporter().from_notebook_node(notebook)
    with atomic_path(target) as temporary:
        temporary.write_text(body, encoding="utf-8")
    return len(body.encode("utf-8"))


def execute(notebook: Path, parameters: dict, cell_timeout: int, output: Path, retries: int = RETRIES,
            kernel=None, reuse: int = DEFAULT_KERNEL_REUSE):
    """papermill with kernel ``python3``; one more attempt when the kernel dies.

    papermill writes the executed notebook to ``output`` (also when a cell fails, up to that cell).

    Parameters
    ----------
    notebook : Path
        The notebook to run.
    parameters : dict
        Its parameters (injected after its ``parameters`` cell).
    cell_timeout : int
        Seconds a cell may run.
    output : Path
        Where the executed notebook goes (its folder is made).
    retries : int
        More attempts after the kernel died.
    kernel : perfeval_lib.batch.kernels.KernelSpec, optional
        Run on this process's warm kernel of that spec (see :mod:`perfeval_lib.batch.kernels`), kept for
        ``reuse`` notebooks; without it papermill starts a kernel for this notebook and stops it.
    reuse : int
        Notebooks the warm kernel runs before it is replaced.

    Returns
    -------
    tuple of (nbformat.NotebookNode, int)
        The executed notebook and the number of attempts.

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell raises (``cell_index``, ``ename`` and ``evalue`` name it).
    nbclient.exceptions.CellTimeoutError
        When a cell runs longer than ``cell_timeout``.
    nbclient.exceptions.DeadKernelError
        When the kernel died on every attempt.
    KernelError
        When the warm kernel cannot be started.

    Examples
    --------
    >>> node, attempts = execute(Path("notebooks/unit_report.ipynb"), {"unit_code": "D001"}, 600,
    ...                          Path("/tmp/D001.ipynb"), kernel=kernels.KernelSpec(cwd="."))  # doctest: +SKIP
    >>> attempts                                                         # doctest: +SKIP
    1
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    options = dict(parameters=parameters, kernel_name=kernels.KERNEL_NAME, progress_bar=False, log_output=False,
                   # a warm kernel was started in its folder; papermill's cwd= would chdir this whole process,
                   # under the other threads' feet
                   cwd=None if kernel else str(config.project_root()), execution_timeout=cell_timeout,
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
    """The index of the notebook's ``parameters`` cell (-1 when it has none)."""
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


def run_unit(task: dict) -> RunResult:
    """Execute and export one notebook task — a unit, or the overview — in a worker. Never raises.

    Failures are results: the executed notebook, up to the failing cell, is kept as
    ``failed/<name>.ipynb`` (or the error as ``failed/<name>.error.txt`` when papermill wrote nothing);
    a success removes an earlier failed copy.

    Parameters
    ----------
    task : dict
        Plain data (see :func:`perfeval_lib.batch.run.unit_tasks`): ``name``, ``notebook``, ``parameters``,
        ``out_dir``, ``html``, ``title``, ``cell_timeout``, ``fingerprint``, ``kernel_reuse``, ``cwd`` and
        ``env`` (the project's folders, for the kernel).

    Returns
    -------
    RunResult
        ``ok`` with the report ``out_dir/<html>`` written, or ``failed`` with the failing cell and the
        error; ``seconds`` and ``attempts`` either way.

    Examples
    --------
    >>> from perfeval_lib.batch.run import plan_units, unit_tasks
    >>> run_unit(unit_tasks(2023, plan_units(2023, ["D001"]), Path("reports/2023"))[0])  # doctest: +SKIP
    RunResult(unit_code='D001', status='ok', ...)
    """
    started = time.perf_counter()
    name, out_dir = task["name"], Path(task["out_dir"])
    result = RunResult(name, "failed", fingerprint=task["fingerprint"])
    working = out_dir / ".work" / f"{name}.ipynb"
    failed_copy = out_dir / "failed" / f"{name}.ipynb"
    try:
        # the first time in a process, the exporter is built while the kernel boots or runs the notebook
        building = threading.Thread(target=html_exporter, name="perfeval-exporter", daemon=True)
        building.start()
        try:
            node, result.attempts = execute(Path(task["notebook"]), task["parameters"], task["cell_timeout"],
                                            working, kernel=kernels.task_kernel(task), reuse=task["kernel_reuse"])
        finally:
            building.join()
        export_html(node, out_dir / task["html"], task["title"], task.get("nav"))
        result.status, result.html = "ok", task["html"]
        failed_copy.unlink(missing_ok=True)
    except Exception as exc:  # a failing cell, a timeout, the kernel dying twice: recorded, never raised
        result.failing_cell, result.error = _failure(exc, task["notebook"])
        result.attempts = 1 + (RETRIES if isinstance(exc, DeadKernelError) else 0)   # it ran, and failed
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

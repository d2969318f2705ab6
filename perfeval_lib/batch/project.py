"""The project a run works on, as its kernels see it: the notebooks, the folders, the kernel, what to preload.

Everything here is cheap to import (no pandas, no papermill), so ``perfeval run`` can start its first
kernel before it loads anything else (:func:`prestart_kernel`): the kernel boots and imports what the
notebooks import while the run is planned, its parameters checked and papermill loaded.

Examples
--------
>>> (notebooks_dir() / UNIT_NOTEBOOK).name
'unit_report.ipynb'
>>> notebook_imports(notebooks_dir() / UNIT_NOTEBOOK)
['perfeval_lib.render', 'perfeval_lib.render.report']
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from ..core import config
from . import kernels

UNIT_NOTEBOOK = "unit_report.ipynb"
OVERVIEW_NOTEBOOK = "overview.ipynb"

#: The environment variables that locate a project; a task carries them to the kernels of any worker.
PROJECT_ENV = {"PERFEVAL_ROOT": config.project_root, "PERFEVAL_RAW": config.raw_dir,
               "PERFEVAL_PROCESSED": config.processed_dir, "PERFEVAL_REPORTS": config.reports_dir,
               "PERFEVAL_PARAMS": config.params_dir}


def notebooks_dir() -> Path:
    """The project's notebooks: ``<project root>/notebooks``.

    Returns
    -------
    pathlib.Path
        The folder holding :data:`UNIT_NOTEBOOK` and :data:`OVERVIEW_NOTEBOOK`.

    Examples
    --------
    >>> (notebooks_dir() / OVERVIEW_NOTEBOOK).name
    'overview.ipynb'
    """
    return config.project_root() / "notebooks"


def project_env() -> dict[str, str]:
    """The project's folders, resolved here, so a kernel on any worker reads the same project.

    Returns
    -------
    dict
        ``PERFEVAL_ROOT``, ``PERFEVAL_RAW``, ``PERFEVAL_PROCESSED``, ``PERFEVAL_REPORTS``,
        ``PERFEVAL_PARAMS`` → absolute folder.

    Examples
    --------
    >>> sorted(project_env()) == sorted(PROJECT_ENV)
    True
    """
    return {name: str(folder()) for name, folder in PROJECT_ENV.items()}


def project_kernel() -> kernels.KernelSpec:
    """The kernel every task of this project runs on (the one :func:`kernels.task_kernel` gives for its tasks).

    Returns
    -------
    perfeval_lib.batch.kernels.KernelSpec
        ``python3`` in the project root, with :func:`project_env`.

    Examples
    --------
    >>> project_kernel() == kernels.task_kernel({"cwd": str(config.project_root()), "env": project_env()})
    True
    """
    return kernels.task_kernel({"cwd": str(config.project_root()), "env": project_env()})


def notebook_imports(*notebooks: Path) -> list[str]:
    """The modules the notebooks' code cells import at their top level, in order, each once.

    ``from a.b import c`` gives ``a.b`` and ``a.b.c`` (``c`` may be a module or a name: a kernel that
    preloads them imports what it can). Cells that are not Python (magics) are skipped.

    Parameters
    ----------
    *notebooks : Path
        ``.ipynb`` files.

    Returns
    -------
    list of str
        Module names, e.g. ``['perfeval_lib.render', 'perfeval_lib.render.report']``.

    Examples
    --------
    >>> notebook_imports(notebooks_dir() / OVERVIEW_NOTEBOOK)
    ['perfeval_lib.render', 'perfeval_lib.render.overview', 'perfeval_lib.render.explore', 'perfeval_lib.render.explore.explore_overview']
    """
    found: list[str] = []
    for notebook in notebooks:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")]
                else:
                    continue
                found += [name for name in names if name not in found]
    return found


def prestart_kernel(units_only: bool = False) -> None:
    """Start this process's kernel for the project now, preloading what the report notebooks import.

    Returns at once; the kernel boots in the background (see :meth:`kernels.KernelPool.prestart`).
    ``perfeval run`` calls it first, so the kernel is ready by the time the run is planned.

    Parameters
    ----------
    units_only : bool
        Preload what the unit report imports, not what the overview adds (its pages, the comparison and
        the JupyterLab controls): for a run of named units, which rarely runs the overview.

    Examples
    --------
    >>> prestart_kernel(units_only=True)                                   # doctest: +SKIP
    """
    names = (UNIT_NOTEBOOK,) if units_only else (UNIT_NOTEBOOK, OVERVIEW_NOTEBOOK)
    notebooks = [notebooks_dir() / name for name in names]
    try:
        preload = notebook_imports(*(notebook for notebook in notebooks if notebook.is_file()))
    except (OSError, ValueError):   # an unreadable notebook: the run itself says what is wrong with it
        preload = []
    kernels.kernel_pool().prestart(project_kernel(), preload)

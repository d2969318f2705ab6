"""A report from a reused (warm) kernel is the same as one from a fresh kernel.

The same unit runs first on a fresh kernel, then on a kernel that has just run other units (other
data, charts) and had its matplotlib style changed behind the notebook's back; the exported HTML
(without the generation-time line) and the executed notebooks, cell by cell, must be identical.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfeval_lib.batch import execute, kernels
from perfeval_lib.batch import run as batch


TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: ?[+-]\d{2}:?\d{2}|Z)?")
GENERATED_AT = re.compile(r"<tr><th>生成时间</th><td>[^<]*</td></tr>")


@pytest.fixture(scope="module")
def pool():
    """A kernel pool of its own (the process-wide one stays untouched), closed at the end."""
    own = kernels.KernelPool()
    saved, kernels._POOL = kernels._POOL, own
    yield own
    kernels._POOL = saved
    own.close()


@pytest.fixture(scope="module")
def tasks(project):  # noqa: F811
    plan = batch.plan_units(2022, None)
    return {task["name"]: task for task in batch.unit_tasks(2022, plan, project["reports"] / "reuse")}


def run(task: dict, reuse: int, tmp_path, tag: str):
    """Execute one unit on the pool's kernel and export it; the executed notebook and the HTML."""
    node, _ = execute.execute(Path(task["notebook"]), task["parameters"], task["cell_timeout"],
                              tmp_path / f"{tag}.ipynb", kernel=kernels.task_kernel(task), reuse=reuse)
    target = tmp_path / f"{tag}.html"
    execute.export_html(node, target, task["title"])
    return node, target.read_text(encoding="utf-8")


def comparable_cells(node) -> list[dict]:
    """Each cell as the reader gets it: source, execution count, outputs; timings and timestamps removed."""
    cells = []
    for cell in node.cells:
        papermill = cell.metadata.get("papermill", {})
        cells.append({
            "type": cell.cell_type, "source": cell.source, "count": cell.get("execution_count"),
            "status": papermill.get("status"), "exception": papermill.get("exception"),
            "outputs": TIMESTAMP.sub("<time>", repr(cell.get("outputs", [])))})
    return cells


@pytest.fixture(scope="module")
def fresh_then_reused(pool, tasks, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("reuse")
    fresh = run(tasks["T01"], 1, tmp_path, "fresh")
    assert not pool.alive                     # reuse 1: the kernel went away with its only unit
    run(tasks["T02"], 50, tmp_path, "other")  # other data, four charts
    run(tasks["T03"], 50, tmp_path, "third")  # no charts at all
    # what a notebook could leave behind: another chart style, a variable, a warning filter
    pool.evaluate("__import__('matplotlib').rcParams.update({'font.size': 4.0, 'axes.titlesize': 30.0}) "
                  "or get_ipython().user_ns.update(r=None, leftover=1) "
                  "or __import__('warnings').simplefilter('error')")
    reused = run(tasks["T01"], 50, tmp_path, "reused")
    return fresh, reused


def test_reused_kernel_gives_the_same_html(fresh_then_reused):
    (_, fresh_html), (_, reused_html) = fresh_then_reused
    assert 'class="pe-chart"' in fresh_html and GENERATED_AT.search(fresh_html)
    assert GENERATED_AT.sub("", reused_html) == GENERATED_AT.sub("", fresh_html)


def test_reused_kernel_gives_the_same_cells(fresh_then_reused):
    (fresh, _), (reused, _) = fresh_then_reused
    fresh_cells, reused_cells = comparable_cells(fresh), comparable_cells(reused)
    assert [c["count"] for c in reused_cells if c["type"] == "code"] == [1, 2, 3]  # as in a fresh kernel:
    # the parameters cell, papermill's injected cell and the report's cell
    for number, (a, b) in enumerate(zip(fresh_cells, reused_cells, strict=True), start=1):
        assert a == b, f"cell {number} differs"
    assert "parameters" in reused.metadata["papermill"] and reused.metadata["papermill"]["duration"] > 0


def test_one_kernel_ran_all_reused_units_and_read_the_tables_once(fresh_then_reused, pool):
    assert pool.started == 2 and pool.alive and pool.units == 3   # one for the fresh run, one for the rest
    assert pool.evaluate("__import__('perfeval_lib.core.store').core.store._tables.cache_info().misses") == "1"
    assert pool.evaluate("'leftover' in get_ipython().user_ns") == "False"


def test_a_failing_unit_is_kept_and_its_kernel_replaced(pool, tasks, tmp_path):
    broken = {**tasks["T01"], "parameters": {**tasks["T01"]["parameters"], "ruleset": "mof-2099"},
              "out_dir": str(tmp_path)}
    started = pool.started
    result = execute.run_unit(broken)
    assert (result.status, result.failing_cell) == ("failed", 3) and "mof-2099" in result.error
    assert result.attempts == 1                                       # it ran once, and failed (not "never tried")
    assert (tmp_path / "failed" / "T01.ipynb").is_file() and not pool.alive
    again = execute.run_unit({**tasks["T01"], "out_dir": str(tmp_path)})
    assert again.status == "ok" and pool.started == started + 1 and pool.units == 1


def test_a_cell_that_times_out_fails_and_the_next_unit_gets_a_new_kernel(pool, tasks, tmp_path):
    import nbformat

    notebook = tmp_path / "slow.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(30)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    slow = {**tasks["T02"], "notebook": str(notebook), "parameters": {}, "cell_timeout": 1, "out_dir": str(tmp_path)}
    result = execute.run_unit(slow)
    assert result.status == "failed" and "Timeout" in result.error and not pool.alive
    assert "单元格运行超过 1 秒" in result.error and "--cell-timeout" in result.error
    assert execute.run_unit({**tasks["T02"], "out_dir": str(tmp_path)}).status == "ok"


def test_a_kernel_that_dies_is_retried_once_on_a_new_kernel(pool, tasks, tmp_path):
    import nbformat

    notebook = tmp_path / "dies.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos._exit(1)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    pool.stop()
    started = pool.started
    result = execute.run_unit({**tasks["T03"], "notebook": str(notebook), "parameters": {}, "out_dir": str(tmp_path)})
    assert result.status == "failed" and "DeadKernelError" in result.error
    assert pool.started - started == 2 and not pool.alive    # the first kernel died, and so did the retry's

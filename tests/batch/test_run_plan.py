"""What a run starts and what it skips: this process as a worker, the overview only when it changed,
the kernel's preload, and no module in the run that compiles grammars at import."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import nbformat
import pandas as pd
import pytest

from perfeval_lib.batch import execute, executors, kernels, project as batch_project
from perfeval_lib.batch.run import run_batch

from ..kits.paths import ROOT


def _overview_status(year_folder):
    runs = pd.read_csv(year_folder / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
    return runs.loc["overview", "status"]


def test_the_overview_runs_only_when_the_year_changed_or_the_whole_year_is_forced(project):  # noqa: F811
    first = run_batch(2022, jobs=2, progress=False)
    out = first.out_dir
    assert first.overview.status == "ok" and _overview_status(out) == "ok"
    page = (out / "overview.html").read_bytes()

    one_unit = run_batch(2022, units=["T01"], force=True, jobs=2, progress=False)
    assert [(r.unit_code, r.status) for r in one_unit.results] == [("T01", "ok")]
    assert one_unit.overview.status == "skipped" and _overview_status(out) == "skipped"
    assert (out / "overview.html").read_bytes() == page                    # untouched
    assert 'href="overview.html"' in (out / "index.html").read_text(encoding="utf-8")

    assert run_batch(2022, progress=False).overview.status == "skipped"     # nothing changed
    assert run_batch(2022, force=True, jobs=1, progress=False).overview.status == "ok"   # the whole year forced

    units = project["processed"] / "results.parquet"
    before = pd.read_parquet(units)
    try:                                                                    # the year's data changed
        before.assign(unit_name=before["unit_name"] + "（更名）").to_parquet(units)
        again = run_batch(2022, units=["T02"], force=True, jobs=1, progress=False)
        assert again.overview.status == "ok"
        assert "（更名）" in (out / "overview.html").read_text(encoding="utf-8")
    finally:
        before.to_parquet(units)
    (out / "overview.html").unlink()
    assert run_batch(2022, units=["T02"], jobs=1, progress=False).overview.status == "ok"  # page missing


def test_one_unit_runs_in_this_process_with_no_worker_process(project):  # noqa: F811
    code = ("import multiprocessing, sys\n"
            "from perfeval_lib.batch.run import run_batch\n"
            "run_batch(2022, units=['T01'], force=True, progress=False)\n"
            "s = run_batch(2022, units=['T01'], force=True, progress=False)\n"
            "print(s.results[0].status, s.overview.status, len(multiprocessing.active_children()))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["ok", "skipped", "0"]


def test_local_executor_spreads_tasks_over_threads_each_with_its_own_kernel_pool():
    process_pool = kernels.kernel_pool()
    warmed = []
    with executors.LocalExecutor(2, lambda: warmed.append(kernels.kernel_pool())) as pool:
        assert len(warmed) == 1 and warmed[0] is not process_pool   # the second pool warmed as it opens
        seen = list(pool.map(_slow_pool, range(6)))
    assert {id(p) for _, p in seen} == {id(process_pool), id(warmed[0])}   # the first thread: this process's pool
    assert all(len({id(p) for t, p in seen if t == thread}) == 1 for thread in {t for t, _ in seen})
    assert kernels.kernel_pool() is process_pool                            # this thread's is the process's still
    with executors.LocalExecutor(1) as pool:
        assert {p for _, p in pool.map(_slow_pool, range(3))} == {process_pool}
        failing = pool.submit(int, "not a number")
        assert isinstance(failing.exception(), ValueError)
        assert pool.submit(abs, -3).result() == 3                          # a failure frees its place


def test_leaving_the_local_executor_on_an_error_or_ctrl_c_drops_the_units_not_started():
    started = []
    with pytest.raises(KeyboardInterrupt):
        with executors.LocalExecutor(1) as pool:
            futures = [pool.submit(_slow_record, n, started) for n in range(20)]
            raise KeyboardInterrupt
    assert len(started) <= 2 and sum(f.cancelled() for f in futures) >= 18   # not the 4 s of all twenty
    with executors.LocalExecutor(1) as pool:                                 # a normal end runs every one
        futures = [pool.submit(_slow_record, n, []) for n in range(3)]
    assert [f.result() for f in futures] == [0, 1, 2]


def _slow_record(n, started):
    import time

    started.append(n)
    time.sleep(0.2)
    return n


def _slow_pool(_):
    import threading
    import time

    time.sleep(0.2)
    return threading.get_ident(), kernels.kernel_pool()


def test_notebook_imports_are_what_the_kernel_preloads(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "markdown", "source": "import nothing"},
             {"cell_type": "code", "source": ["import json, os.path\n", "from perfeval_lib.render import report as rp\n"]},
             {"cell_type": "code", "source": "%matplotlib inline\nimport never_seen"},        # not Python: skipped
             {"cell_type": "code", "source": "def f():\n    import inside_a_function\nfrom . import relative"}]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert batch_project.notebook_imports(notebook) == ["json", "os.path", "perfeval_lib.render",
                                                        "perfeval_lib.render.report"]
    unit = batch_project.notebooks_dir() / batch_project.UNIT_NOTEBOOK
    assert "perfeval_lib.render.report" in batch_project.notebook_imports(unit)


def test_no_process_of_a_run_compiles_grammars_at_import():
    """jsonschema ≥ 4.25 imports rfc3987-syntax, whose Lark grammars cost ≈ 2 s in every process."""
    code = ("import sys, papermill, nbconvert, nbclient, nbformat, jsonschema\n"
            "import perfeval_lib.batch.run, perfeval_lib.render.report\n"
            "print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "jsonschema==4.24.1" in pins


def test_a_unit_report_loads_no_plotting_library():
    """A unit's page draws its charts as SVG: its kernel imports neither matplotlib nor PIL."""
    code = ("import sys, perfeval_lib.render.report\n"
            "print(sorted(m for m in ('matplotlib', 'PIL') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["perfeval_lib.render.overview", "perfeval_lib.render.trends",
                                    "perfeval_lib.render.explore"])
def test_the_year_and_trend_pages_load_no_plotting_library(module):
    """The overview and trends pages draw their charts as SVG: their kernel imports neither matplotlib nor PIL."""
    code = (f"import sys, {module}\n"
            "print(sorted(m for m in ('matplotlib', 'PIL') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"


def test_a_run_of_named_units_preloads_only_what_the_unit_report_imports(monkeypatch):
    asked = []
    monkeypatch.setattr(batch_project.kernels.KernelPool, "prestart", lambda self, spec, preload=(): asked.append(list(preload)))
    batch_project.prestart_kernel(units_only=True)
    batch_project.prestart_kernel()
    unit = batch_project.notebook_imports(batch_project.notebooks_dir() / batch_project.UNIT_NOTEBOOK)
    assert asked[0] == unit and "perfeval_lib.render.overview" not in asked[0]
    assert "perfeval_lib.render.overview" in asked[1] and set(unit) <= set(asked[1])


def test_the_page_exporter_compiles_its_templates_once_per_machine(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>预算执行率 97.5%</p>"})])])
    first = execute._build_exporter()
    assert first.environment.bytecode_cache is not None
    compiled = sorted(tmp_path.glob("_jinja2-cache-*/__perfeval_nbconvert_*.cache"))
    assert compiled                                                        # written by the first exporter
    second = execute._build_exporter()                                     # a new process: loads them
    assert sorted(tmp_path.glob("_jinja2-cache-*/__perfeval_nbconvert_*.cache")) == compiled
    assert second.from_notebook_node(notebook)[0] == first.from_notebook_node(notebook)[0]
    assert "<p>预算执行率 97.5%</p>" in second.from_notebook_node(notebook)[0]

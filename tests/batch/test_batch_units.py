"""Batch pieces without a kernel: retry on a dead kernel, safe names, failure cells, parameter files."""
from __future__ import annotations

import subprocess
import sys

import pytest

from perfeval_lib.batch import execute, fingerprints, kernels, params
from perfeval_lib.batch import run as batch
from perfeval_lib.core.errors import ParamsError, PerfevalError


def test_dead_kernel_is_retried_once_then_reported(monkeypatch, tmp_path):
    from nbclient.exceptions import DeadKernelError
    import papermill

    calls = []

    def dies_then_works(*args, **kwargs):
        calls.append(kwargs["kernel_name"])
        if len(calls) == 1:
            raise DeadKernelError("Kernel died")
        return "executed"

    monkeypatch.setattr(papermill, "execute_notebook", dies_then_works)
    assert execute.execute(tmp_path / "nb.ipynb", {}, 10, tmp_path / "out.ipynb") == ("executed", 2)
    assert calls == ["python3", "python3"]

    def always_dies(*args, **kwargs):
        calls.append("again")
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", always_dies)
    with pytest.raises(DeadKernelError):
        execute.execute(tmp_path / "nb.ipynb", {}, 10, tmp_path / "out.ipynb")
    assert calls[-2:] == ["again", "again"]


@pytest.mark.parametrize("code", ["../x", "a/b", "a\\b", "", ".hidden", "x\x00y", "a..b", "x" * 80])
def test_unsafe_unit_codes_are_refused_as_file_names(code):
    with pytest.raises(PerfevalError):
        params.safe_name(code)


@pytest.mark.parametrize("code", ["D001", "HZFL", "440105-01", "海珠妇联"])
def test_safe_unit_codes(code):
    assert params.safe_name(code) == code


def test_failing_cell_is_counted_in_the_source_notebook():
    class Failure(Exception):
        cell_index, ename, evalue = 3, "ValueError", "boom"

    notebook = str(params.notebooks_dir() / params.UNIT_NOTEBOOK)
    # papermill's index 3 = source cell 2 (0-based; the injected cell follows the parameters cell at 1) → 3rd cell
    assert execute._failure(Failure(), notebook) == (3, "ValueError: boom")


def test_params_file_must_be_a_mapping(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFEVAL_PARAMS", str(tmp_path))
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "D001.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="映射"):
        params.read_params("D001")
    (tmp_path / "units" / "D001.yaml").write_text("unit_code: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="YAML"):
        params.read_params("D001")


def test_a_warm_kernel_is_lent_to_papermill_and_a_dead_one_retried(monkeypatch, tmp_path):
    from nbclient.exceptions import DeadKernelError
    import papermill

    lent = []

    class Pool:  # stands in for the process's kernel pool: lends a manager, remembers the spec
        def run(self, call, spec, reuse):
            lent.append((spec.name, reuse))
            return call(f"manager-{len(lent)}")

    def dies_then_works(*args, **kwargs):
        if kwargs["km"] == "manager-1":
            raise DeadKernelError("Kernel died")
        return "executed"

    monkeypatch.setattr(kernels, "kernel_pool", Pool)
    monkeypatch.setattr(papermill, "execute_notebook", dies_then_works)
    spec = kernels.KernelSpec(cwd=str(tmp_path))
    assert execute.execute(tmp_path / "nb.ipynb", {}, 10, tmp_path / "out.ipynb", kernel=spec, reuse=7) == ("executed", 2)
    assert lent == [("python3", 7), ("python3", 7)]


def test_tasks_are_plain_data_that_locate_the_project(tmp_path, monkeypatch):
    import json
    import pickle

    monkeypatch.setenv("PERFEVAL_PROCESSED", str(tmp_path / "processed"))
    task = batch.overview_task(2023, tmp_path / "reports", cell_timeout=30, kernel_reuse=5)
    assert json.loads(json.dumps(task)) == task == pickle.loads(pickle.dumps(task))
    assert task["env"]["PERFEVAL_PROCESSED"] == str((tmp_path / "processed").resolve())
    assert set(task["env"]) == set(batch.PROJECT_ENV) and task["kernel_reuse"] == 5
    spec = kernels.task_kernel(task)
    assert spec.environment({})["PERFEVAL_PROCESSED"] == task["env"]["PERFEVAL_PROCESSED"]
    assert spec == kernels.task_kernel(json.loads(json.dumps(task)))   # the same kernel on any worker


@pytest.mark.parametrize("reuse", [0, -1, 1.5, True])
def test_kernel_reuse_must_be_a_positive_integer(reuse):
    with pytest.raises(PerfevalError, match="kernel-reuse"):
        batch.run_batch(2023, kernel_reuse=reuse, progress=False)


def test_data_digests_are_per_unit_and_see_only_their_rows():
    import pandas as pd

    budget = pd.DataFrame({"unit_code": ["A", "B", "A"], "year": [2022, 2022, 2023], "executed": [1.0, 2.0, 3.0]})
    before = fingerprints.data_digests({"budget": budget}, ["A", "B"], 2022)
    changed = budget.assign(executed=[1.0, 9.0, 7.0])                       # B in 2022, A only in 2023
    after = fingerprints.data_digests({"budget": changed}, ["A", "B"], 2022)
    assert before["A"] == after["A"] and before["B"] != after["B"]
    assert fingerprints.data_digests({"budget": budget}, ["A"], 2022)["A"] == before["A"]


def test_a_new_worker_starts_its_kernel_before_it_imports_papermill():
    """The warm-up a new worker runs first must not import papermill or nbconvert: the kernel boots meanwhile."""
    code = ("import pickle, sys; from perfeval_lib.batch import executors; "
            "pickle.loads(pickle.dumps(executors.warm_worker)); "
            "print(sorted(m for m in ('papermill', 'nbconvert', 'nbclient') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"

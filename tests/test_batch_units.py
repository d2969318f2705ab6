"""Batch pieces without a kernel: retry on a dead kernel, safe names, failure cells, parameter files."""
from __future__ import annotations

import pytest

from perfeval_lib import batch
from perfeval_lib.errors import PerfevalError


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
    assert batch.execute(tmp_path / "nb.ipynb", {}, 10, tmp_path / "out.ipynb") == ("executed", 2)
    assert calls == ["python3", "python3"]

    def always_dies(*args, **kwargs):
        calls.append("again")
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", always_dies)
    with pytest.raises(DeadKernelError):
        batch.execute(tmp_path / "nb.ipynb", {}, 10, tmp_path / "out.ipynb")
    assert calls[-2:] == ["again", "again"]


@pytest.mark.parametrize("code", ["../x", "a/b", "a\\b", "", ".hidden", "x\x00y", "a..b", "x" * 80])
def test_unsafe_unit_codes_are_refused_as_file_names(code):
    with pytest.raises(PerfevalError):
        batch.safe_name(code)


@pytest.mark.parametrize("code", ["D001", "HZFL", "440105-01", "海珠妇联"])
def test_safe_unit_codes(code):
    assert batch.safe_name(code) == code


def test_failing_cell_is_counted_in_the_source_notebook():
    class Failure(Exception):
        cell_index, ename, evalue = 3, "ValueError", "boom"

    notebook = str(batch.notebooks_dir() / batch.UNIT_NOTEBOOK)
    # papermill's index 3 = source cell 2 (0-based; the injected cell follows the parameters cell at 1) → 3rd cell
    assert batch._failure(Failure(), notebook) == (3, "ValueError: boom")


def test_params_file_must_be_a_mapping(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFEVAL_PARAMS", str(tmp_path))
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "D001.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(batch.ParamsError, match="映射"):
        batch.read_params("D001")
    (tmp_path / "units" / "D001.yaml").write_text("unit_code: [unclosed\n", encoding="utf-8")
    with pytest.raises(batch.ParamsError, match="YAML"):
        batch.read_params("D001")

"""Kernels that cannot race for a port, and a kernel that dies while starting: retried, then one line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from perfeval_lib.batch import kernels
from perfeval_lib.core.errors import KernelError

from ..kits.paths import FIXTURES, ROOT

FAKE = FIXTURES / "kernels"


def _spec(tmp_path, fails: str) -> kernels.KernelSpec:
    env = (("PYTHONPATH", os.pathsep.join([str(FAKE), str(ROOT)])), ("PERFEVAL_TEST_KERNEL_FAILS", fails))
    return kernels.KernelSpec(cwd=str(tmp_path), env=env)


def test_kernels_talk_over_unix_sockets_in_a_private_folder(tmp_path):
    pool = kernels.KernelPool()
    try:
        info = pool.run(lambda km: (km.get_connection_info(), km.folder), kernels.KernelSpec(cwd=str(tmp_path)))
        connection, folder = info
        assert connection["transport"] == "ipc"                     # no TCP port to take
        assert connection["ip"].startswith(folder) and oct(os.stat(folder).st_mode & 0o777) == "0o700"
        assert pool.evaluate("1 + 1") == "2"
    finally:
        pool.close()
    assert not os.path.exists(folder)                              # removed with its kernel


def test_a_kernel_that_loses_its_start_is_started_again_quietly(tmp_path, capfd):
    pool = kernels.KernelPool()
    try:
        transport = pool.run(lambda km: km.transport, _spec(tmp_path, str(tmp_path / "failed-once")))
        assert transport == "ipc" and pool.started == 1 and pool.failed_starts == 1
        assert pool.evaluate("'works'") == "'works'"
    finally:
        pool.close()
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out and "ZMQError" not in captured.err + captured.out


def test_a_kernel_that_never_starts_is_one_line_after_two_attempts(tmp_path, capfd):
    pool = kernels.KernelPool()
    try:
        with pytest.raises(KernelError) as raised:
            pool.run(lambda km: None, _spec(tmp_path, "always"))
    finally:
        pool.close()
    message = str(raised.value)
    assert "Address already in use" in message and "tried 2 times" in message and "\n" not in message
    assert pool.failed_starts == 2 and pool.started == 0
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_perfeval_run_reports_a_kernel_that_never_starts_in_one_line_and_runs_csv(project):  # noqa: F811
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FAKE), str(ROOT)]), "PERFEVAL_TEST_KERNEL_FAILS": "always"}
    run = subprocess.run([sys.executable, "-m", "perfeval_lib.cli", "run", "--year", "2022", "--force", "-q",
                          "--jobs", "2"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    failures = [line for line in run.stderr.splitlines() if "失败 failed: T0" in line]
    assert len(failures) == 3 and all("Address already in use" in line for line in failures)
    runs = pd.read_csv(project["reports"] / "2022" / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
    assert (runs.loc[["T01", "T02", "T03"], "status"] == "failed").all()
    assert runs.loc["T01", "error"].startswith("KernelError: 内核启动失败") and "tried 2 times" in runs.loc["T01", "error"]
    rerun = subprocess.run([sys.executable, "-m", "perfeval_lib.cli", "run", "--year", "2022", "-q"],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr                        # the next run completes the year
    assert json.loads((project["reports"] / "2022" / ".manifest.json").read_text(encoding="utf-8"))["T01"]


def test_the_folders_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    import tempfile

    from perfeval_lib.batch import kernel_manager

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tempfile.mkdtemp(prefix=f"{kernel_manager.FOLDER_PREFIX}{dead.stdout.strip()}-")
    (Path(orphan) / "k-1").write_text("")
    alive = tempfile.mkdtemp(prefix=f"{kernel_manager.FOLDER_PREFIX}{os.getpid()}-")
    try:
        removed = kernel_manager.remove_orphan_folders()
        assert orphan in removed and not os.path.exists(orphan)
        assert os.path.isdir(alive) and alive not in removed
    finally:
        shutil.rmtree(alive, ignore_errors=True)


def test_a_prestarted_kernel_runs_its_first_notebook_without_a_reset_and_stops_at_once(tmp_path):
    pool = kernels.KernelPool()
    spec = kernels.KernelSpec(cwd=str(tmp_path))
    try:
        pool.prestart(spec, ["json"])
        assert pool.run(lambda km: km.folder, spec) and pool.timings["reset"] == 0.0   # nothing to reset yet
        assert pool.evaluate("__import__('sys').modules.get('json') is not None") == "True"   # preloaded
        pool.run(lambda km: None, spec)
        assert pool.timings["reset"] > 0.0                                 # the second notebook: reset first
        process = pool._manager.provisioner.process
        pool.stop(now=True)
        assert process.poll() is not None                                  # killed and reaped, not left behind
    finally:
        pool.close()


def test_a_reset_clears_warning_registries_without_touching_lazy_module_attributes(tmp_path):
    (tmp_path / "lazy_mod.py").write_text(
        "asked = []\n"
        "def __getattr__(name):\n"
        "    asked.append(name)\n"
        "    raise RuntimeError(f'{name} would be imported here')\n", encoding="utf-8")
    (tmp_path / "warns_mod.py").write_text(
        "import warnings\n"
        "def f():\n"
        "    warnings.warn('shown once per place', UserWarning)\n", encoding="utf-8")
    pool = kernels.KernelPool()
    spec = kernels.KernelSpec(cwd=str(tmp_path))
    try:
        pool.run(lambda km: None, spec)
        assert pool.evaluate("__import__('lazy_mod') and __import__('warns_mod').f() or "
                             "len(__import__('warns_mod').__warningregistry__)") != "0"
        pool.run(lambda km: None, spec, reuse=10)              # the second notebook: the kernel is reset first
        assert pool.started == 1                                # the reset went through: the same kernel
        assert pool.evaluate("len(__import__('warns_mod').__warningregistry__)") == "0"   # it would warn again
        assert pool.evaluate("__import__('lazy_mod').asked") == "[]"   # its __getattr__ was never asked
    finally:
        pool.close()

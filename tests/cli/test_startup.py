"""The command starts light and ends quietly: what `perfeval --version` loads, lazy commands, closed pipes."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

import perfeval_lib
from perfeval_lib.cli import main as cli_main_function
from perfeval_lib.cli.streams import PipeSafeStream, closed_pipes_end_quietly

from ..kits.paths import FIXTURES, ROOT

#: Modules that cost a noticeable part of a second to import: none is needed to print a version.
HEAVY = ("pandas", "numpy", "pyarrow", "matplotlib", "papermill", "nbconvert", "nbformat", "jupyter_client",
         "openpyxl", "pandera", "jinja2", "yaml", "perfeval_lib.cli.form", "perfeval_lib.cli.extract")


def _loaded_after(code: str) -> list[str]:
    """Which HEAVY modules a fresh interpreter has loaded after running ``code`` (SystemExit allowed)."""
    probe = (f"import sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return run.stderr.strip().splitlines()[-1]


def test_version_loads_nothing_heavy():
    assert _loaded_after("from perfeval_lib.cli import main; main(['--version'])") == "[]"


def test_help_lists_every_command_without_loading_their_modules():
    assert _loaded_after("from perfeval_lib.cli import main; main(['--help'])") == "[]"
    run = subprocess.run([sys.executable, "-m", "perfeval_lib.cli", "--help"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    for command in ("ingest", "results", "score", "extract", "form", "draft", "params", "run"):
        assert command in run.stdout


def test_a_module_command_loads_its_own_module_only():
    loaded = _loaded_after("from perfeval_lib.cli import main; main(['form', '--help'])")
    assert "perfeval_lib.cli.form" in loaded and "perfeval_lib.cli.extract" not in loaded


def test_import_perfeval_lib_is_light_and_every_public_name_resolves():
    assert _loaded_after("import perfeval_lib") == "[]"
    from perfeval_lib.review import scoring

    assert perfeval_lib.score is scoring.score and perfeval_lib.grade(89.99) == "良"
    assert set(perfeval_lib.__all__) <= set(dir(perfeval_lib))
    assert all(getattr(perfeval_lib, name) is not None for name in perfeval_lib.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        perfeval_lib.no_such_name  # noqa: B018


def test_every_registered_command_module_has_its_arguments_and_its_function():
    import importlib

    from perfeval_lib.cli.main import COMMAND_MODULES, build_parser

    for name, (target, zh, en, examples) in COMMAND_MODULES.items():
        module_name, function = target.split(":")
        module = importlib.import_module(f"perfeval_lib.cli.{module_name}")
        assert callable(module.add_arguments) and callable(getattr(module, function)) and zh and en and examples
    args = build_parser("form").parse_args(["form", "--unit", "D001", "--year", "2023"])
    assert args.func.__module__ == "perfeval_lib.cli.form" and args.unit == "D001"


# ---------------------------------------------------------------------------------------------
# a closed pipe is a normal end

def test_pipe_safe_stream_silences_a_closed_pipe():
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8")
    safe = PipeSafeStream(stream)
    safe.write("一行\n" * 10_000)
    safe.flush()
    assert safe.closed_pipe
    safe.write("more\n")          # goes to /dev/null now, quietly
    safe.flush()
    stream.close()


def test_streams_are_restored_after_the_block():
    before = sys.stdout, sys.stderr
    with closed_pipes_end_quietly():
        assert isinstance(sys.stdout, PipeSafeStream) and isinstance(sys.stderr, PipeSafeStream)
    assert (sys.stdout, sys.stderr) == before


def _closed_stdout(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``perfeval ARGS`` with its stdout a pipe nobody reads any more (as `| head` leaves it)."""
    process = subprocess.Popen([sys.executable, "-m", "perfeval_lib.cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, **(env or {})})
    process.stdout.close()         # the reader is gone before the first line is written
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, "", stderr)


@pytest.mark.parametrize("args", [
    ["--help"], ["--version"], ["score", str(FIXTURES / "indicators_dept.csv"), "--ruleset", "mof-2013-dept"],
    ["extract", str(FIXTURES / "reports")], ["form", "--help"],
], ids=["help", "version", "score", "extract", "form-help"])
def test_a_closed_pipe_ends_the_output_not_the_command(args):
    run = _closed_stdout(*args)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr and "BrokenPipeError" not in run.stderr
    assert "internal error" not in run.stderr


def test_a_closed_pipe_keeps_the_commands_work_and_status(project, tmp_path):  # noqa: F811
    env = {name: str(project[name.split("_")[1].lower()]) for name in
           ("PERFEVAL_PROCESSED", "PERFEVAL_REPORTS", "PERFEVAL_PARAMS", "PERFEVAL_RAW")}
    run = _closed_stdout("results", env=env)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    target = tmp_path / "out" / "processed"
    run = _closed_stdout("ingest", "--raw", str(project["raw"]), "--out", str(target), env=env)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr
    assert (target / "results.parquet").is_file()            # the work was done and written
    run = _closed_stdout("params", "--year", "2022", env=env)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    draft = tmp_path / "T01.txt"
    run = _closed_stdout("draft", "--unit", "T01", "--year", "2022", "--format", "txt", "-o", str(draft), env=env)
    assert run.returncode == 0 and "Traceback" not in run.stderr and draft.is_file()
    run = _closed_stdout("run", "--year", "2022", "--units", "T01", "--force", "--jobs", "1", env=env)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert (project["reports"] / "2022" / "T01.html").is_file()


def test_main_is_the_command_line_entry_point():
    assert cli_main_function.__module__ == "perfeval_lib.cli.main"


def test_the_command_line_ends_with_its_objects_frozen_out_of_the_collector():
    """The process ends with the command: interpreter shutdown then skips walking every object (≈ 0.25 s)."""
    command = "['results', '--processed', '/nonexistent-folder']"
    for setup, call, expected in ((f"sys.argv = ['perfeval', *{command}]", "main()", "1 True"),
                                  ("", f"main({command})", "1 False")):     # with arguments: a caller goes on
        code = (f"import gc, sys\nfrom perfeval_lib.cli import main\n{setup}\n"
                f"status = {call}\nprint(status, gc.get_freeze_count() > 0, file=sys.stderr)")
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert run.stderr.strip().splitlines()[-1] == expected

"""Every code block of the README runs as written: the Python blocks are executed, every ``perfeval``
command line of the shell blocks is parsed by the real parser (its options exist, its values are accepted)."""
from __future__ import annotations

import re
import shlex
import warnings

import pytest

from perfeval_lib.cli.main import build_parser

from .kits.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)
PYTHON = [code for lang, code in BLOCKS if lang == "python"]
COMMANDS = [line for lang, code in BLOCKS if lang == "sh" for line in code.splitlines()
            if re.match(r"\s*(\.venv/bin/)?perfeval ", line)]


def test_the_readme_has_python_and_command_blocks():
    assert PYTHON and len(COMMANDS) >= 8


@pytest.mark.parametrize("number", range(len(PYTHON)))
def test_python_block_runs_as_written(number, demo_processed, monkeypatch):
    monkeypatch.chdir(ROOT)                                          # the README's paths are the project's
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(demo_processed))     # what `make reports` builds first
    with warnings.catch_warnings():
        warnings.simplefilter("error")                               # a warning would tell a newcomer something is off
        exec(compile(PYTHON[number], f"README.md python block {number + 1}", "exec"), {})


@pytest.mark.parametrize("line", COMMANDS)
def test_command_line_parses(line):
    command = re.sub(r"\s+#.*$", "", line).strip()
    command = re.sub(r"\[[^\[\]]*\]", "", command)                   # optional parts, as [--year 2022]
    words = shlex.split(command)[1:]
    args = build_parser().parse_args(words)
    assert callable(args.func)

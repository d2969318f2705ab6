"""The command line as a newcomer meets it: usage errors exit 2, help in both languages, codes in any case."""
from __future__ import annotations

import re

import pytest

from perfeval_lib.batch.execute import DEFAULT_KERNEL_REUSE
from perfeval_lib.cli import main
from perfeval_lib.cli.main import build_parser

from .test_cli import run_cli

COMMANDS = ["ingest", "results", "findings", "score", "extract", "form", "draft", "params", "run"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_says_it_in_chinese_and_english_with_an_example_and_the_exit_codes(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    text = capsys.readouterr().out
    assert exit_.value.code == 0
    assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r" / [a-z]", text)       # 中文 / English
    assert "示例 example:" in text and f"perfeval {command}" in text.split("示例 example:")[1]
    assert "退出码 exit codes:" in text and "0  正常 / fine" in text and "2  用法错误" in text


@pytest.mark.parametrize("args", [
    ["results", "--unit", "D999"],                          # unknown unit
    ["results", "--year", "2030"],                          # unknown year
    ["results", "--unit", "HZFL", "--year", "2023"],        # a unit without data in that year
    ["findings", "--unit", "D999"],
    ["findings", "--year", "2030"],
    ["draft", "--unit", "D999", "--year", "2022"],
    ["draft", "--unit", "HZFL", "--year", "2030"],
    ["draft", "--unit", "HZFL", "--year", "2022", "--ruleset", "nope"],
    ["form", "--unit", "D999", "--year", "2022"],
    ["form", "--unit", "D009", "--year", "2022", "--layout", "nope"],
    ["run", "--year", "2030", "-q"],
    ["run", "--year", "2022", "--units", "D999", "-q"],
    ["params", "--year", "2022", "--units", "D999"],
    ["ingest", "--ruleset", "nope"],
    ["ingest", "--raw", "/no/such/folder"],
])
def test_usage_errors_exit_2_with_a_message_not_a_table(args, demo_processed, tmp_path):
    if args[0] in {"results", "findings", "draft", "form", "run", "params"}:
        args = [*args, "--processed", str(demo_processed)]
    env_args = {"ingest": ["--out", str(tmp_path / "out")]}.get(args[0], [])
    result = run_cli(*args, *env_args)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Empty DataFrame" not in result.stdout
    assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert not (tmp_path / "out").exists()                   # nothing written


def test_unit_codes_are_matched_in_any_case(demo_processed, tmp_path, capsys):
    assert main(["results", "--processed", str(demo_processed), "--unit", "d009", "--year", "2022"]) == 0
    assert "示例区交通运输局" in capsys.readouterr().out
    target = tmp_path / "hzfl.txt"
    assert main(["draft", "--unit", "hzfl", "--year", "2022", "--format", "txt", "-o", str(target),
                 "--processed", str(demo_processed)]) == 0
    assert "广州市海珠区妇女联合会" in target.read_text(encoding="utf-8")


def test_score_labels_its_warnings_in_chinese_and_english(fixtures, capsys):
    main(["score", str(fixtures / "indicators_dept.csv"), "--ruleset", "mof-2013-dept"])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "[警告 warning]" in out and "[warning]" not in out


def test_the_kernel_reuse_default_is_the_one_the_help_states():
    run = build_parser("run")._subparsers._group_actions[0].choices["run"]
    action = next(a for a in run._actions if a.dest == "kernel_reuse")
    assert action.default is None and f"default {DEFAULT_KERNEL_REUSE};" in action.help


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--jobs", "-3"], ["--kernel-reuse", "0"], ["--kernel-reuse", "-1"],
                                  ["--cell-timeout", "0"], ["--second-ruleset", "nonexistent"],
                                  ["--second-ruleset", "mof-2020-strict,nonexistent"]])
def test_run_refuses_a_bad_count_or_an_unknown_second_ruleset_before_anything_runs(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--year", "2023", *args])
    assert stop.value.code == 2
    said = capsys.readouterr().err
    assert ("应为正整数" in said) or ("找不到规则集「nonexistent」" in said and "可用 available" in said)

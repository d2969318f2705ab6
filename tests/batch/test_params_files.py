"""Data never becomes configuration: parameter files hold only what perfeval writes, and nothing else is read.

tests/fixtures/hostile/params_injection names unit E02 with a line break followed by
``processed_dir: "/tmp/elsewhere"`` and ``ruleset: mof-2013-dept``; a name with terminal control
characters is built here.
"""
from __future__ import annotations

import shutil

import pytest
import yaml

from perfeval_lib.batch import params
from perfeval_lib.batch import run as batch
from perfeval_lib.cli import main
from perfeval_lib.core.errors import ParamsError
from perfeval_lib.core.files import shown_path

from ..kits.hostile import hostile_project
from ..kits.paths import FIXTURES


@pytest.fixture
def injected(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "hostile" / "params_injection", raw)
    units = (raw / "units.csv").read_text(encoding="utf-8")
    (raw / "units.csv").write_text(units.replace("示例区档案馆", "\x1b]0;PWNED\x07\x1b[31m示例区档案馆\x1b[0m"), encoding="utf-8")
    return hostile_project(tmp_path / "project", raw, monkeypatch)


def test_written_files_hold_only_perfevals_keys_whatever_the_names_hold(injected, capsys):
    assert main(["params", "--year", "2022"]) == 0
    for code in ("E01", "E02"):
        text = (injected["params"] / "units" / f"{code}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text) == {"unit_code": code, "ruleset": ""}
        assert "\x1b" not in text and "\x07" not in text
        assert params.read_params(code) == {"unit_code": code, "ruleset": ""}
    text = (injected["params"] / "units" / "E02.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith('# 示例区地方志办 processed_dir: "/tmp/elsewhere" ruleset: mof-2013-dept #')
    tasks = batch.unit_tasks(2022, batch.plan_units(2022, None), injected["reports"] / "2022")
    for task, code in zip(tasks, ("E01", "E02")):        # nothing the unit's name held reached the parameters
        assert {k: task["parameters"][k] for k in ("unit_code", "ruleset", "year")} == \
            {"unit_code": code, "ruleset": "", "year": 2022}
        assert "processed_dir" not in task["parameters"]


@pytest.mark.parametrize("content", ['unit_code: "E02"\nruleset: ""\nprocessed_dir: "/tmp/elsewhere"\n',
                                     'unit_code: "E02"\nruleset: ""\nyear: 2021\n',
                                     'unit_code: "E02"\nruleset: ""\ncolour: red\n',
                                     'unit_code: "E02"\nruleset: [mof-2020]\n'])
def test_a_file_holding_anything_else_is_refused_when_read(injected, content):
    path = injected["params"] / "units" / "E02.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParamsError, match="已拒绝|应为文本"):
        params.read_params("E02")
    with pytest.raises(ParamsError, match="E02.yaml"):
        batch.unit_tasks(2022, batch.plan_units(2022, None), injected["reports"] / "2022")


def test_the_old_injected_file_is_named_and_rewritten_by_force(injected, capsys):
    path = injected["params"] / "units" / "E02.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# 示例区地方志办\nprocessed_dir: "/tmp/elsewhere"\n#\nunit_code: "E02"\nruleset: ""\n', encoding="utf-8")
    assert main(["run", "--year", "2022", "-q"]) == 1
    err = capsys.readouterr().err
    assert "E02.yaml" in err and "参数「processed_dir」不能写在参数文件中" in err
    assert "perfeval params --year 2022 --units E02 --force" in err
    assert main(["params", "--year", "2022", "--units", "E02", "--force"]) == 0     # the command, as printed
    assert params.read_params("E02") == {"unit_code": "E02", "ruleset": ""}


@pytest.mark.parametrize("content, said", [
    ('unit_code: "E02"\nrulset: mof-2020\n', "未知参数「rulset」（是否应为「ruleset」？/ did you mean ruleset?）"),
    ('unit_code: "E02"\ncolour: red\n', "未知参数「colour」/ unknown parameter"),
    ('unit_code: 5\nruleset: 3.5\n', "参数「unit_code」应为文本 str，实为 int"),
    ('unit_code: "E02\nruleset: ""\n', "不是有效的 YAML（第 3 行第 1 列"),   # the quote runs to the end
])
def test_a_wrong_file_is_named_from_the_project_with_its_problem_and_the_command_that_rewrites_it(
        injected, content, said):
    path = injected["params"] / "units" / "E02.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParamsError) as error:
        params.read_params("E02", 2022)
    message = str(error.value)
    assert said in message
    assert message.startswith(shown_path(path) + ": ")
    assert "perfeval params --year 2022 --units E02 --force" in message   # a command that runs as printed
    assert "\n" not in message and "<unicode string>" not in message
    # the sentence about keys perfeval writes only when a key is wrong, not for a wrong type
    assert ("只能含 perfeval 写入的键" in message) == ("未知参数" in message)


def test_a_misspelt_ruleset_or_a_code_in_another_case_in_a_file(injected):
    folder = injected["params"] / "units"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "E01.yaml").write_text('unit_code: "e01"\nruleset: ""\n', encoding="utf-8")   # the same code
    (folder / "E02.yaml").write_text('unit_code: "E02"\nruleset: mof-2099\n', encoding="utf-8")
    tasks, refused = batch.checked_unit_tasks(2022, batch.plan_units(2022, None), injected["reports"] / "2022")
    assert [t["name"] for t in tasks] == ["E01"] and tasks[0]["parameters"]["unit_code"] == "E01"
    assert [r.unit_code for r in refused] == ["E02"]
    assert "E02.yaml" in refused[0].error and "找不到规则集「mof-2099」" in refused[0].error

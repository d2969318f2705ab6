"""Narrative files are data from the units: checked like any raw file, any failure that file's message.

Built here: a 520-byte YAML alias bomb, 10,000-deep nesting, a folder, a FIFO and a link to /dev/zero
where narratives should be, an oversized file and section, another dataset and a hidden folder that
ship text for the same unit. `perfeval ingest` runs in a subprocess with a memory limit and a timeout.
"""
from __future__ import annotations

import os

import pandas as pd
import pytest

from perfeval_lib.ingest.narratives import read_narratives, unit_datasets
from perfeval_lib.ingest.folder import load_folder

from ..kits import hostile

ALIAS_BOMB = "\n".join([
    'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    *(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)),
    f"概况: [{','.join(['*a8'] * 10)}]"]) + "\n"


def _raw(tmp_path):
    raw = tmp_path / "raw"
    main = raw / "main"
    main.mkdir(parents=True)
    (main / "units.csv").write_text("单位编码,单位名称\nT01,示例区妇联\nT02,示例区档案馆\n", encoding="utf-8")
    (main / "budget.csv").write_text("单位编码,年度,支出类别,全年预算数,全年执行数\nT01,2022,基本支出,100,90\n"
                                     "T02,2022,基本支出,100,95\n", encoding="utf-8")
    texts = main / "narratives"
    (texts / "T01").mkdir(parents=True)
    (texts / "T02").mkdir(parents=True)
    (texts / "T01" / "2022.yaml").write_text("概况: 本单位是示例区妇联。\n成效: 培训 120 人次。\n", encoding="utf-8")
    (texts / "T02" / "2019.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    (texts / "T02" / "2020.yaml").write_text("概况: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    (texts / "T02" / "2021.yaml").mkdir()
    os.mkfifo(texts / "T02" / "2022.yaml")
    os.symlink("/dev/zero", texts / "T02" / "2023.yaml")
    (texts / "T02" / "2024.yaml").write_text("概况: " + "很长的文字" * 5_000 + "\n成效: 短文字。\n", encoding="utf-8")
    (texts / "T02" / "2025.yaml").write_text("问题: [" + ", ".join(["一"] * 20_000) + "]\n", encoding="utf-8")
    other = raw / "other" / "narratives" / "T01"
    other.mkdir(parents=True)
    (other / "2022.yaml").write_text("概况: 冒名顶替的文字。\n", encoding="utf-8")
    hidden = raw / ".old" / "narratives" / "T01"
    hidden.mkdir(parents=True)
    (hidden / "2022.yaml").write_text("概况: 隐藏文件夹里的旧文字。\n", encoding="utf-8")
    return raw


def test_every_hostile_narrative_is_its_files_message_and_the_good_one_loads(tmp_path):
    raw = _raw(tmp_path)
    done = hostile.run_capped(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")], tmp_path, timeout=120)
    printed = done.stdout + done.stderr
    assert done.returncode == 1, printed[-3000:]
    assert "Traceback" not in printed
    for expected in ["T02/2019.yaml 第1行: 分析说明中不能使用 YAML 锚点或别名",
                     "T02/2020.yaml 第1行: 嵌套超过 8 层",
                     "T02/2021.yaml: 不是普通文件（文件夹、管道或设备），未读取",
                     "T02/2022.yaml: 不是普通文件（文件夹、管道或设备），未读取",
                     "raw/main/narratives/T02/2023.yaml 值「/dev/zero」: 这个文件是指向原始数据文件夹之外的链接",
                     "T02/2024.yaml 列「概况」 值「",  "栏目内容过长（25000 个字符，上限 20000），已忽略",
                     "T02/2025.yaml 第1行: YAML 节点超过 10000 个",
                     "other/narratives/T01/2022.yaml: 单位 T01 的数据在数据集「main」中，这里的分析说明未读取",
                     ".old/narratives/T01/2022.yaml: 隐藏文件夹中的分析说明未读取"]:
        assert expected in printed, f"missing: {expected}\n{printed[-4000:]}"
    narratives = pd.read_parquet(tmp_path / "out" / "narratives.parquet")
    kept = narratives[["unit_code", "year", "section", "text"]].values.tolist()
    assert kept == [["T01", 2022, "profile", "本单位是示例区妇联。"], ["T01", 2022, "achievements", "培训 120 人次。"],
                    ["T02", 2024, "achievements", "短文字。"]]
    assert len(pd.read_parquet(tmp_path / "out" / "budget.parquet")) == 2


def test_the_shared_alias_bomb_is_refused_within_seconds(tmp_path):
    folder = tmp_path / "narratives" / "T01"
    folder.mkdir(parents=True)
    (folder / "2022.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    narratives, issues = read_narratives(tmp_path)
    assert narratives.empty and [i.code for i in issues] == ["unreadable_file"]


def test_an_oversized_narrative_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "narratives" / "T01"
    folder.mkdir(parents=True)
    (folder / "2022.yaml").write_text("概况: " + "文" * 20_000 + "\n", encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_MAX_INPUT_MB", "0.01")
    narratives, issues = read_narratives(tmp_path)
    assert narratives.empty and "文件超过大小上限" in issues[0].message


def test_a_unit_known_from_two_datasets_takes_neither_silently(tmp_path):
    for dataset in ("a", "b"):
        folder = tmp_path / dataset / "narratives" / "T01"
        folder.mkdir(parents=True)
        (folder / "2022.yaml").write_text(f"概况: 来自 {dataset}。\n", encoding="utf-8")
    narratives, issues = read_narratives(tmp_path)
    assert narratives["text"].tolist() == ["来自 a。"]
    assert [i.code for i in issues] == ["duplicate_narrative"] and "b/narratives/T01/2022.yaml" in issues[0].file


@pytest.mark.parametrize("value", ["[[一]]", "{甲: 乙}"])
def test_a_section_that_is_not_text_is_an_error_not_a_string_of_python(tmp_path, value):
    folder = tmp_path / "narratives" / "T01"
    folder.mkdir(parents=True)
    (folder / "2022.yaml").write_text(f"成效: {value}\n", encoding="utf-8")
    narratives, issues = read_narratives(tmp_path)
    assert narratives.empty and [i.code for i in issues] == ["bad_value"]


def test_owners_come_from_the_unit_registry(tmp_path):
    raw = _raw(tmp_path)
    os.unlink(raw / "main" / "narratives" / "T02" / "2022.yaml")   # the FIFO: not needed here
    owners = unit_datasets(load_folder(raw), raw)
    assert owners == {"T01": {"main"}, "T02": {"main"}}

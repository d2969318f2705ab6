"""The core safety pieces alone: the CSV writer, the child process, control characters, measured zip members."""
from __future__ import annotations

import math
import os
import time
import zipfile

import pandas as pd
import pytest

from perfeval_lib.core.archive import Budget, inflate, zip_members
from perfeval_lib.core.csvout import is_formula, neutralised
from perfeval_lib.core.errors import InputError
from perfeval_lib.core.isolation import run_isolated
from perfeval_lib.core.safetext import printable, strip_controls

from ..kits import hostile


def test_text_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"t": ["=1+2", "+1+cmd|x", "-2+3", "@SUM(A1)", "\t=1", "-3.5", "+2%", "甲", None],
                          "n": [-3.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], "=x": list(range(9))})
    out = neutralised(frame)
    assert out["t"].tolist()[:8] == ["'=1+2", "'+1+cmd|x", "'-2+3", "'@SUM(A1)", "'\t=1", "-3.5", "+2%", "甲"]
    assert pd.isna(out["t"].iloc[8])
    assert out["n"].tolist() == frame["n"].tolist() and list(out.columns) == ["t", "n", "'=x"]
    assert frame["t"].iloc[0] == "=1+2"                                   # the input frame is not modified
    assert not any(is_formula(v) for v in out["t"])


def test_a_reader_out_of_memory_is_one_files_message():
    def hog():
        return [bytearray(64 * 1024 * 1024) for _ in range(64)]

    with pytest.raises(InputError, match="内存超过 256 MB"):
        run_isolated(hog, file="budget_bomb.xlsx", memory_mb=256)


def test_a_child_that_aborts_or_hangs_is_a_message_naming_the_file():
    with pytest.raises(InputError, match="budget.xlsx: 读取程序异常退出（signal SIGABRT）"):
        run_isolated(os.abort, file="budget.xlsx")
    with pytest.raises(InputError, match="budget.xlsx: 解析超过 1 秒"):
        run_isolated(time.sleep, 30, file="budget.xlsx", timeout=1)
    with pytest.raises(ValueError, match="math domain"):
        run_isolated(math.sqrt, -1, file="budget.xlsx")       # the function's own error, as it was


@pytest.mark.parametrize("text, kept", [("\x1b]0;PWNED\x07\x1b[31m红色单位\x1b[0m", "红色单位"), ("甲\x9b2J乙", "甲乙"),
                                        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"), ("\t缩进", "\t缩进"),
                                        ("响铃\x07\x00\x7f\x85", "响铃")])
def test_control_characters_are_stripped(text, kept):
    assert strip_controls(text) == kept


def test_printing_escapes_what_would_drive_a_terminal():
    assert printable("甲\x1b[2J\r伪造\u202e乙") == "甲\\x1b[2J\\r伪造\\u202e乙"
    assert printable("a\nb", keep="\n") == "a\nb"


def test_a_member_is_measured_as_it_inflates_not_as_it_declares(tmp_path):
    path = hostile.filler_bomb(tmp_path / "lying.xlsx", b" ", 3, declared_size=2048)
    member = next(m for m in zip_members(path, "lying.xlsx", 100) if m.filename.endswith("sheet1.xml"))
    assert member.file_size == 2048
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read(member)                          # Python's zipfile stops at the declared 2 KB: it never sees 3 MB
    with open(path, "rb") as handle, pytest.raises(InputError, match="声明 2048 字节，实际解压出 3146"):
        for _ in inflate(handle, member, Budget(10 * 1024 * 1024, "lying.xlsx"), "lying.xlsx"):
            pass
    with open(path, "rb") as handle, pytest.raises(InputError, match="解压后超过 1 MB 上限"):
        for _ in inflate(handle, member, Budget(1024 * 1024, "lying.xlsx"), "lying.xlsx"):
            pass

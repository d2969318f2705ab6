"""One rule for a safe unit code, applied at ingest as a row error (tests/fixtures/hostile/unit_codes)."""
from __future__ import annotations

import pytest

from perfeval_lib.core.codes import MAX_CODE_CHARS, code_problem
from perfeval_lib.ingest.folder import load_folder

from ..kits.paths import FIXTURES

CODES = FIXTURES / "hostile" / "unit_codes"


def test_every_unsafe_code_is_a_located_row_error_and_the_good_unit_loads():
    tables = load_folder(CODES)
    assert tables["units"].frame["unit_code"].tolist() == ["D002"]
    assert tables["budget"].frame["unit_code"].tolist() == ["D002"]
    errors = [(i.code, i.row, i.value) for i in tables["units"].errors]
    assert errors == [("unsafe_code", 2, "D 001"), ("unsafe_code", 3, "D(01)"), ("unsafe_code", 4, "=1+2"),
                      ("unsafe_code", 5, "X" * 65), ("unsafe_code", 6, "Y" * 220), ("unsafe_code", 7, "CON"),
                      ("unsafe_code", 8, "nul.txt"), ("unsafe_code", 9, "COM1"),
                      ("case_clash", 10, "D003"), ("case_clash", 11, "d003")]
    messages = {i.value: i.message for i in tables["units"].errors}
    assert "超过 64 个字符" in messages["X" * 65] and "Windows 保留的设备名" in messages["nul.txt"]
    assert "只有大小写与「d003」不同" in messages["D003"]
    assert len(tables["budget"].errors) == 10


@pytest.mark.parametrize("code", ["D001", "HZFL", "440105-01", "海珠妇联", "A.1", "x" * MAX_CODE_CHARS, "CONSOLE",
                                  "COM10"])
def test_safe_codes(code):
    assert code_problem(code) is None


@pytest.mark.parametrize("code", ["", " D001", "D001 ", "a b", "a=b", "a/b", "a\\b", "..", "a..b", "a.", ".a",
                                  "x" * (MAX_CODE_CHARS + 1), "con", "Aux.csv", "LPT9", "a\x1bb", "a\nb", "（1）",
                                  "D001\u202e", None, 1001])
def test_unsafe_codes(code):
    assert code_problem(code) is not None

"""`perfeval extract` within limits: pages, inflated streams, size, memory and time — each a file's message.

The hostile PDFs are built at test time (tests/kits/hostile.py) and extracted in a subprocess with a
4 GB address-space limit and a timeout, beside a good report that must still be extracted.
"""
from __future__ import annotations

import csv
import os
import time

import pytest

from perfeval_lib.extract import documents, reports
from perfeval_lib.extract.limits import check_docx, inflated_streams

from ..kits import hostile

GOOD = "广州市示例区妇女联合会2022年度部门整体支出绩效自评报告\n全年预算数507.02万元，执行数507.02万元，完成预算的100%。自评得分98分，等级为优。\n"

PDF_BOMBS = [
    ("a 10 MB PDF of 100,000 pages", lambda p: hostile.many_pages_pdf(p, 100_000), {},
     ["bomb.pdf 值「> 500」: PDF 超过 500 页", "PERFEVAL_MAX_PDF_PAGES"]),
    ("a 3 MB PDF whose content stream inflates to 3 GB", lambda p: hostile.flate_bomb_pdf(p, 3000), {},
     ["bomb.pdf 值「offset", "PDF 的压缩流解压后超过 200 MB 上限", "PERFEVAL_MAX_INFLATED_MB"]),
    ("a PDF over the size cap", lambda p: hostile.many_pages_pdf(p, 10), {"PERFEVAL_MAX_INPUT_MB": "0.001"},
     ["bomb.pdf 值「", "文件超过大小上限 1048 bytes", "PERFEVAL_MAX_INPUT_MB"]),
]


@pytest.mark.parametrize("build, env, expected", [b[1:] for b in PDF_BOMBS], ids=[b[0] for b in PDF_BOMBS])
def test_a_hostile_pdf_is_one_files_message(tmp_path, build, env, expected):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    build(folder / "bomb.pdf")
    started = time.perf_counter()
    done = hostile.run_capped(["extract", str(folder), "-o", str(tmp_path / "out.csv")], tmp_path, env)
    printed = done.stdout + done.stderr
    assert done.returncode == 1, printed[-2000:]
    assert "Traceback" not in printed
    for part in expected:
        assert part in printed, f"missing: {part}\n{printed[-2000:]}"
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"].rsplit("/", 1)[-1]: row for row in csv.DictReader(handle)}
    assert rows["good.txt"]["budget_wan"] == "507.02" and rows["good.txt"]["self_score"] == "98.0"
    assert rows["bomb.pdf"]["budget_wan"] == ""
    print(f"{done.args[-4]}: {time.perf_counter() - started:.1f} s")  # for the record, never asserted


def test_a_pdf_parse_that_hangs_is_stopped(tmp_path, monkeypatch):
    hostile.many_pages_pdf(tmp_path / "slow.pdf", 1)

    def hangs(path, name):
        time.sleep(600)

    monkeypatch.setattr(documents, "_read_pdf", hangs)
    monkeypatch.setenv("PERFEVAL_PARSE_TIMEOUT", "2")
    result = reports.extract_file(tmp_path / "slow.pdf")
    assert result.error.endswith("slow.pdf: 解析超过 2 秒，已中止 / parsing took longer than 2 s and was stopped；应为 "
                                 "expected: 检查文件是否异常；确属正常的大文件可设置 PERFEVAL_PARSE_TIMEOUT 延长 / check the file; "
                                 "for a genuinely large one raise PERFEVAL_PARSE_TIMEOUT")


def test_a_report_that_is_a_device_or_a_fifo_is_refused_without_hanging(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.pdf")
    os.mkfifo(tmp_path / "pipe.txt")
    for name in ("zero.pdf", "pipe.txt"):
        result = reports.extract_file(tmp_path / name)
        assert "不是普通文件（文件夹、管道或设备），未读取" in result.error


def test_streams_are_measured_not_trusted(tmp_path):
    pdf = hostile.flate_bomb_pdf(tmp_path / "five.pdf", 5)
    assert inflated_streams(pdf, "five.pdf") == 5 * 1024 * 1024


def test_a_word_report_that_inflates_past_the_cap_is_refused(tmp_path):
    docx = hostile.filler_bomb(tmp_path / "报告.docx", b" ", 300)
    with pytest.raises(Exception, match="解压后超过 200 MB 上限"):
        check_docx(docx, "报告.docx")

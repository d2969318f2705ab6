"""Tables for Excel users: .xlsx with the screen's Chinese headers, formats and rounding; CSV rounded the same."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from perfeval_lib.cli import main
from perfeval_lib.render.tables_out import write_table_file


@pytest.fixture(scope="module")
def processed(demo_processed):
    return demo_processed


def test_results_xlsx_reads_back_with_the_screens_headers_and_rounding(processed, tmp_path, capsys):
    target = tmp_path / "r.xlsx"
    assert main(["results", "--processed", str(processed), "--year", "2022", "-o", str(target)]) == 0
    screen_code = main(["results", "--processed", str(processed), "--year", "2022", "--unit", "D009"])
    screen = capsys.readouterr().out
    assert screen_code == 0
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["单位编码", "单位名称", "年度"] and "复核得分" in header and "执行率" in header
    rows = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    d009 = rows["D009"]
    assert d009["全年预算数"] == 4091.41 and d009["复核得分"] == 88.91 and d009["执行率"] == 0.779
    assert d009["自评−复核"] == 5.09
    for shown in ("4091.41", "77.9%", "88.91", "+5.09"):                  # the same figures on screen
        assert shown in screen
    formats = {header[c.column - 1]: c.number_format for c in sheet[2]}
    assert formats["全年预算数"] == "0.00" and formats["执行率"] == "0.0%" and formats["复核得分"] == "0.00"
    assert formats["自评−复核"] == "+0.00;-0.00;0.00"


def test_results_csv_keeps_canonical_names_rounded_as_on_screen(processed, tmp_path):
    target = tmp_path / "r.csv"
    assert main(["results", "--processed", str(processed), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("unit_code,unit_name,year,")
    frame = pd.read_csv(target, encoding="utf-8-sig")
    for column, decimals in (("budget_final", 2), ("executed", 2), ("score", 2), ("claimed_score", 2),
                             ("score_gap", 2), ("execution_rate", 3)):
        values = frame[column].dropna()
        assert (values.round(decimals) == values).all(), column
    assert "0000000" not in text and "-0.0," not in text


def test_findings_and_score_write_xlsx_too(processed, tmp_path, fixtures):
    assert main(["findings", "--processed", str(processed), "-o", str(tmp_path / "f.xlsx")]) == 0
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "f.xlsx").active[1]]
    assert header[:4] == ["单位编码", "单位名称", "年度", "严重程度"]
    assert main(["score", str(fixtures / "indicators_dept.csv"), "--ruleset", "mof-2013-dept",
                 "-o", str(tmp_path / "s.xlsx")]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    header = [c.value for c in sheet[1]]
    scores = [row[header.index("复核得分")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(round(s, 2) == s for s in scores if s is not None)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    frame = pd.DataFrame({"unit_name": ["=HYPERLINK(\"http://x\",\"点我\")", "+1"], "score": [1.0, 2.0]})
    path = write_table_file(frame, tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_an_output_of_another_kind_is_a_usage_error(processed, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["results", "--processed", str(processed), "-o", str(tmp_path / "r.txt")])
    assert exit_.value.code == 2 and not (tmp_path / "r.txt").exists()

"""Official 自评表 workbooks: detected, read to the same tables as their CSV twins, written back, ingested."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from perfeval_lib.batch.ingest_run import run_ingest
from perfeval_lib.cli import form as form_cli
from perfeval_lib.core.errors import FormError
from perfeval_lib.core.schema import INPUT_TABLES
from perfeval_lib.ingest import folder, forms
from perfeval_lib.ingest.tables import read_table
from perfeval_lib.render import workbook
from perfeval_lib.review.evaluation import evaluate

from ..kits.paths import FIXTURES, RAW
from ..kits.forms import CQ, FIXTURE_FORMS, GZ, TWINS, build, build_chongqing, build_guangzhou, build_mof10

TABLES = ("units", "budget", "indicators", "claims")
RULESETS = {"guangzhou": "mof-2013-dept", "chongqing": "mof-2020", "mof10": "mof-2020"}


def twin(folder: str, table: str) -> pd.DataFrame:
    loaded = read_table(TWINS / folder / f"{table}.csv", table)
    assert not loaded.errors, loaded.errors
    return loaded.frame


def registry(folder: str) -> pd.DataFrame:
    return twin(folder, "units").assign(ruleset=RULESETS[folder])


def assert_same(left: pd.DataFrame, right: pd.DataFrame, table: str, check_dtype: bool = True) -> None:
    key = list(INPUT_TABLES[table].key)
    pd.testing.assert_frame_equal(left.sort_values(key).reset_index(drop=True),
                                  right.sort_values(key).reset_index(drop=True), check_dtype=check_dtype)


def loud(issues) -> list[str]:
    return [str(i) for i in issues if i.severity != "info"]


# --- detection ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FIXTURE_FORMS))
def test_each_fixture_form_is_detected_with_its_layout(tmp_path, name):
    assert forms.detect_layout(build(name, tmp_path)) == FIXTURE_FORMS[name][2]


@pytest.mark.parametrize("path", ["demo/indicators_2023.xlsx", "demo/budget_2023.xlsx", "demo/spending.xlsx",
                                  "demo/units.csv"])
def test_plain_tables_are_not_forms(path):
    assert forms.detect_layout(RAW / path) is None


def test_a_plain_table_under_a_form_title_is_not_a_form(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2022年度部门整体支出绩效自评表"])
    sheet.append(["单位编码", "年度", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "自评得分"])
    sheet.append(["A01", 2022, "产出指标", "数量指标", "场次", 100, "≥8", 8, 100])
    book.save(tmp_path / "自评表.xlsx")
    assert forms.detect_layout(tmp_path / "自评表.xlsx") is None


def test_a_broken_workbook_is_not_a_form_and_read_form_says_why(tmp_path):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert forms.detect_layout(path) is None
    form = forms.read_form(path)
    assert [i.code for i in form.errors] == ["unreadable_file"] and form.indicators.empty


# --- reading: each layout and variant gives its CSV twin ------------------------------------------

@pytest.mark.parametrize("name", sorted(FIXTURE_FORMS))
def test_form_loads_to_the_same_tables_as_its_csv_twin(tmp_path, name):
    _, _, layout, folder = FIXTURE_FORMS[name]
    form = forms.read_form(build(name, tmp_path), registry=registry(folder))
    assert form.layout == layout
    assert loud(form.issues) == []
    for table in TABLES:
        assert len(getattr(form, table)), table
        assert_same(getattr(form, table), twin(folder, table), table)


def test_merged_body_cells_are_filled_down(tmp_path):
    path = build_guangzhou(tmp_path / "gz.xlsx")
    sheet = openpyxl.load_workbook(path).active
    body = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "在职人员控制率"][0]
    assert sheet.cell(body, 1).value == "投入" and sheet.cell(body + 1, 1).value is None  # merged: empty below
    assert sheet.cell(body + 1, 2).value is None
    form = forms.read_form(path)
    assert form.indicators["level1"].tolist() == [row[0] for row in GZ["indicators"]]
    assert form.indicators["level2"].tolist() == [row[1] for row in GZ["indicators"]]
    mof = forms.read_form(build_mof10(tmp_path / "mof.xlsx"))
    # 一级 merged and written "产出指标（50分）", 三级 "指标1：…", the template's empty lines skipped
    counts = mof.indicators["level1"].value_counts().to_dict()
    assert counts == {"预算执行率": 1, "产出指标": 5, "效益指标": 3, "满意度指标": 1}
    assert "举办公益展览场次" in set(mof.indicators["level3"]) and not mof.indicators["level3"].str.contains("指标").any()


def test_money_in_yuan_is_read_as_wan_yuan(tmp_path):
    path = build("gz_yuan", tmp_path)
    sheet = openpyxl.load_workbook(path).active
    typed = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float, str))]
    assert 5198000 in typed and "4,953,000.00" in typed  # as the workbook holds them: 元, numbers and text
    budget = forms.read_form(path).budget.set_index("funding_source")
    assert budget.loc["财政拨款", "budget_final"] == pytest.approx(495.30)
    assert budget.loc["其他资金", "executed"] == pytest.approx(22.10)


def test_a_constant_formula_target_reads_as_typed(tmp_path):
    path = build_guangzhou(tmp_path / "gz.xlsx")
    cells = [c for row in openpyxl.load_workbook(path).active.iter_rows() for c in row if c.value == "=100%"]
    assert cells and all(c.data_type == "f" for c in cells)  # what Excel makes of a typed =100%
    rows = forms.read_form(path).indicators.set_index("indicator")
    assert rows.loc["预算完成率", ["direction", "target", "target_text"]].tolist() == ["=", 1.0, "=100%"]


def test_budget_total_row_that_disagrees_is_a_warning(tmp_path):
    form = forms.read_form(build_guangzhou(tmp_path / "gz.xlsx", total_executed=0))
    (warning,) = [i for i in form.issues if i.code == "total_mismatch"]
    assert warning.severity == "warning" and not form.errors
    assert (warning.file, warning.sheet, warning.row, warning.column) == (str(tmp_path / "gz.xlsx"), "自评表", 7,
                                                                          "全年执行数")
    assert "512.22" in warning.message and "0.00" in warning.message
    assert sorted(form.budget["funding_source"]) == ["其他资金", "财政拨款"]  # the details still load


def test_claimed_total_that_disagrees_with_the_indicators_is_a_warning(tmp_path):
    path = build_guangzhou(tmp_path / "gz.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    total = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "总分")
    sheet.cell(total, 9).value = 99
    book.save(path)
    form = forms.read_form(path)
    (warning,) = [i for i in form.issues if i.code == "total_mismatch"]
    assert warning.row == total and warning.column == "得分" and "96.2" in warning.message
    assert form.claims["claimed_score"].tolist() == [99.0]  # the claim is what the unit stated


def test_a_form_without_code_or_registry_gets_a_stable_code_derived_from_its_name_and_says_so(tmp_path):
    path = build_chongqing(tmp_path / "cq.xlsx")  # no 单位编码 cell
    codes = set()
    for known in (None, registry("guangzhou")):   # no registry, or one without this unit
        form = forms.read_form(path, registry=known, shown_as="raw/cq.xlsx")
        assert not form.errors
        (note,) = [i for i in form.issues if i.code == "unit_code_source"]
        assert (note.file, note.sheet, note.row, note.column, note.value) == (
            "raw/cq.xlsx", "部门整体绩效自评表", 3, "单位名称", CQ["name"])
        assert "由单位名称生成" in note.message
        codes |= set(form.units["unit_code"]) | set(form.indicators["unit_code"])
        assert form.units["unit_name"].tolist() == [CQ["name"]]
    (code,) = codes                               # the same name always gives the same code
    assert code.startswith("N-") and code == forms.info.derived_code(CQ["name"])


def test_a_code_cell_wins_and_the_registry_is_not_needed(tmp_path):
    form = forms.read_form(build("cq_with_code", tmp_path))
    assert form.units["unit_code"].tolist() == ["CQ01"] and not form.errors


def test_chongqing_core_flags_adjusted_targets_and_coefficients(tmp_path):
    form = forms.read_form(build_chongqing(tmp_path / "cq.xlsx"), registry=registry("chongqing"))
    extras = form.extras.set_index("indicator")
    assert extras["core"].dropna().to_dict() == {row[1]: row[10] == "是" for row in CQ["indicators"]}
    assert extras.loc["档案数字化页数", "target_initial"] == "≥300"      # 年初 ≥300, adjusted to ≥280
    assert form.indicators.set_index("indicator").loc["档案数字化页数", "target"] == 280
    assert extras.loc["查档利用服务人次", "coefficient"] == pytest.approx(0.94)
    assert form.goals["target_initial"].startswith("保障档案馆") and form.goals["target"].startswith("全年接收")
    # the form has no 二级 column: level2 stays empty (the 预算执行率 row's own 二级 is not filled down)
    assert form.indicators.set_index("indicator")["level2"].dropna().to_dict() == {"预算执行率": "预算执行率"}
    rate = form.indicators.set_index("indicator").loc["预算执行率"]
    assert (rate["weight"], rate["actual"], rate["claimed_score"], rate["target_text"]) == (10, 0.965, 9.65, "100%")
    mismatch = forms.read_form(build_chongqing(tmp_path / "cq2.xlsx", coefficient_mismatch=True),
                               registry=registry("chongqing"))
    (warning,) = [i for i in mismatch.issues if i.severity != "info"]
    assert (warning.code, warning.indicator, warning.column) == ("coefficient_mismatch", "查档群众满意度", "得分系数（%）")


def test_mof10_budget_rate_row_is_scored_by_mof_2020(tmp_path):
    form = forms.read_form(build_mof10(tmp_path / "mof.xlsx"))
    ev = evaluate(None, form.budget, form.indicators, form.claims, ruleset="mof-2020")
    assert ev.results["score_status"].tolist() == ["recomputed"]
    rate = ev.scored.set_index("indicator").loc["预算执行率"]
    assert rate["score"] == pytest.approx(160.12 / 168.5 * 10, abs=1e-6)  # from the budget, capped linear
    assert form.claims[["claimed_score", "claimed_grade"]].values.tolist() == [[96.5, "优"]]


def test_several_forms_in_one_workbook_are_all_read(tmp_path):
    gz = openpyxl.load_workbook(build_guangzhou(tmp_path / "gz.xlsx"))
    mof = openpyxl.load_workbook(build_mof10(tmp_path / "mof.xlsx")).active
    copy = gz.create_sheet("文化馆")
    for row in mof.iter_rows():
        for cell in row:
            if cell.value is not None and not isinstance(cell, openpyxl.cell.cell.MergedCell):
                copy.cell(cell.row, cell.column, cell.value).number_format = cell.number_format
    for merged in mof.merged_cells.ranges:
        copy.merge_cells(str(merged))
    gz.save(tmp_path / "two.xlsx")
    form = forms.read_form(tmp_path / "two.xlsx")
    assert form.sheets == ["自评表", "文化馆"] and not form.errors
    assert sorted(set(form.indicators["unit_code"])) == ["GZ01", "MF01"] and len(form.claims) == 2


# --- writing ----------------------------------------------------------------------------------------

def written(tmp_path: Path, layout: str) -> tuple[forms.FormData, object, Path]:
    units = registry(layout)
    form = forms.read_form(build(layout, tmp_path), registry=units)
    ev = evaluate(units, form.budget, form.indicators, form.claims)
    path = workbook.write_form(tmp_path / "out" / f"{layout}.xlsx", layout, form.units, form.budget, form.indicators,
                            form.claims, scored=ev.scored, goals=form.goals, extras=form.extras)
    return form, ev, path


@pytest.mark.parametrize("layout", sorted(forms.LAYOUTS))
def test_round_trip_gives_back_the_same_tables(tmp_path, layout):
    form, ev, path = written(tmp_path, layout)
    back = forms.read_form(path, registry=registry(layout))
    assert forms.detect_layout(path) == back.layout == layout
    assert loud(back.issues) == []
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(back, table), getattr(form, table))
    pd.testing.assert_frame_equal(back.extras, form.extras)
    assert back.goals == form.goals
    # the recomputed scores come back apart from the claims
    reviewed = back.reviewed.set_index("indicator")["score"]
    expected = ev.scored.set_index("indicator")["score"].dropna()
    assert reviewed.drop(forms.TOTAL_KEY).sort_index().tolist() == pytest.approx(expected.sort_index().tolist())
    assert reviewed[forms.TOTAL_KEY] == pytest.approx(ev.results["score"].iloc[0], abs=1e-6)


def test_written_form_has_merged_headers_formats_and_print_setup(tmp_path):
    _, _, path = written(tmp_path, "guangzhou")
    sheet = openpyxl.load_workbook(path)["自评表"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "一级指标")
    assert "A1:K1" in merged                                          # the title across the width
    for ref in (f"A{header}:A{header + 1}", f"C{header}:C{header + 1}", f"K{header}:K{header + 1}",  # down two rows
                f"E{header}:F{header}", f"H{header}:J{header}"):                                 # 指标值, 得分情况
        assert ref in merged, ref
    assert [sheet.cell(header + 1, c).value for c in range(5, 11)] == ["年度指标值", "实际完成值", None, "分值", "得分",
                                                                       "复核得分"]
    first = header + 2
    assert f"A{first}:A{first + 2}" in merged and f"B{first}:B{first + 1}" in merged  # 投入 over 3 rows, 预算配置 over 2
    budget = next(r for r in range(1, header) if sheet.cell(r, 1).value == "年度资金总额")
    assert sheet.cell(budget, 5).value == pytest.approx(519.8) and sheet.cell(budget, 5).number_format == "0.00"
    assert sheet.cell(budget, 9).number_format == "0.0%"
    assert sheet.cell(first, 10).number_format == "0.00"               # 复核得分
    assert sheet.cell(first, 1).border.left.style == "thin"
    assert sheet.column_dimensions["C"].width == 24
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"   # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == f"${header}:${header + 1}"  # repeated on every printed page


@pytest.mark.parametrize("layout", sorted(forms.LAYOUTS))
def test_review_column_sits_right_beside_the_claimed_score(tmp_path, layout):
    _, ev, path = written(tmp_path, layout)
    sheet = openpyxl.load_workbook(path).active
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    reviews = [(r, c) for (r, c), v in cells.items() if v == "复核得分"]
    assert reviews
    for r, c in reviews:
        assert cells.get((r, c - 1)) in {"得分", "指标得分（分）", "执行率得分（分）"}
    total = ev.results["score"].iloc[0]
    assert any(isinstance(v, float) and v == pytest.approx(total) for v in cells.values())  # the recomputed total


def test_write_form_refuses_an_unknown_layout_and_several_unit_years(tmp_path):
    form = forms.read_form(build_guangzhou(tmp_path / "gz.xlsx"))
    with pytest.raises(FormError, match="beijing"):
        workbook.write_form(tmp_path / "x.xlsx", "beijing", form.units, form.budget, form.indicators, form.claims)
    two_years = pd.concat([form.indicators, form.indicators.assign(year=2023)])
    with pytest.raises(FormError, match="一个单位的一个年度"):
        workbook.write_form(tmp_path / "x.xlsx", "guangzhou", form.units, form.budget, two_years, form.claims)
    assert not (tmp_path / "x.xlsx").exists()


def test_write_form_replaces_the_file_atomically(tmp_path, monkeypatch):
    form = forms.read_form(build_guangzhou(tmp_path / "gz.xlsx"))
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")

    def broken(self, filename):
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError):
        workbook.write_form(target, "guangzhou", form.units, form.budget, form.indicators, form.claims)
    assert target.read_bytes() == b"previous" and sorted(p.name for p in tmp_path.iterdir()) == ["gz.xlsx", "out.xlsx"]


# --- ingest and the command ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The mini CSV project plus the three fixture forms, ingested."""
    root = tmp_path_factory.mktemp("forms_project")
    raw = root / "raw"
    shutil.copytree(FIXTURES / "mini", raw)
    (raw / "forms").mkdir()
    for name in ("guangzhou", "chongqing", "mof10"):
        build(name, raw / "forms")
    (raw / "units_forms.csv").write_text("单位编码,单位名称,主管部门,评价体系\n"
                                         "GZ01,测试区妇女儿童活动中心,测试区妇女联合会,mof-2013-dept\n"
                                         "CQ01,测试县档案馆,测试县委办公室,mof-2020\n", encoding="utf-8")
    report = run_ingest(raw, root / "processed")
    assert report.n_errors == 0, [str(i) for i in report.issues if i.severity == "error"]
    return root


def test_load_folder_reads_official_workbooks_beside_csvs(project):
    tables = folder.load_folder(project / "raw")
    assert not [i for t in tables.values() for i in t.errors]
    indicators = tables["indicators"].frame
    assert {"T01", "T02", "GZ01", "CQ01", "MF01"} <= set(indicators["unit_code"])
    for name, code in (("guangzhou", "GZ01"), ("chongqing", "CQ01"), ("mof10", "MF01")):
        for table in ("budget", "indicators"):
            frame = tables[table].frame
            assert_same(frame[frame["unit_code"] == code], twin(name, table), table)
    units = tables["units"].frame.set_index("unit_code")
    assert units.loc["CQ01", "ruleset"] == "mof-2020"          # the registry's row, not a second one from the form
    assert units.loc["MF01", "unit_name"] == "测试区文化馆"      # no registry row: the form's
    files = tables["indicators"].provenance.groupby("_file")["_row"].count()
    assert any(f.endswith("forms/guangzhou_自评表.xlsx") for f in files.index)


def test_ingest_scores_the_workbooks(project):
    results = pd.read_parquet(project / "processed" / "results.parquet").set_index("unit_code")
    assert results.loc[["GZ01", "CQ01", "MF01"], "score_status"].tolist() == ["recomputed"] * 3
    assert results.loc["GZ01", "ruleset"] == "mof-2013-dept"
    assert results.loc[["GZ01", "CQ01", "MF01"], "claimed_score"].tolist() == [96.2, 97.05, 96.5]


def test_main_writes_the_form_of_a_unit(project, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(project / "processed"))
    monkeypatch.setenv("PERFEVAL_REPORTS", str(tmp_path / "reports"))
    assert form_cli.main(["--unit", "GZ01", "--year", "2022"]) == 0
    path = tmp_path / "reports" / "2022" / "forms" / "GZ01_2022_自评表.xlsx"
    assert capsys.readouterr().out.strip() == str(path) and path.is_file()
    assert forms.detect_layout(path) == "guangzhou"           # the default for a mof-2013-dept unit
    back = forms.read_form(path)
    processed = pd.read_parquet(project / "processed" / "indicators.parquet")
    mine = processed[processed["unit_code"] == "GZ01"].reset_index(drop=True)
    assert_same(back.indicators, mine.astype(object).where(mine.notna(), None).astype(back.indicators.dtypes.to_dict()),
                "indicators")
    results = pd.read_parquet(project / "processed" / "results.parquet").set_index("unit_code")
    assert back.reviewed.set_index("indicator").loc[forms.TOTAL_KEY, "score"] == pytest.approx(
        results.loc["GZ01", "score"])
    assert form_cli.main(["--unit", "T01", "--year", "2022", "--layout", "chongqing", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert forms.detect_layout(tmp_path / "t.xlsx") == "chongqing"


@pytest.mark.parametrize("argv, message", [
    (["--unit", "NOPE", "--year", "2022"], "不在已处理的数据中"),
    (["--unit", "GZ01", "--year", "2019"], "没有 2019 年的数据"),
    (["--unit", "GZ01", "--year", "2022", "--layout", "beijing"], "未知的自评表版式"),
])
def test_main_errors_are_messages_not_tracebacks(project, tmp_path, monkeypatch, capsys, argv, message):
    # an unknown unit, year or layout is a usage error: exit status 2, as the README says
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(project / "processed"))
    monkeypatch.setenv("PERFEVAL_REPORTS", str(tmp_path / "reports"))
    try:
        code = form_cli.main(argv)
    except SystemExit as exit_:                                 # argparse refuses the layout
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def test_main_without_processed_data_says_run_ingest(tmp_path, capsys):
    assert form_cli.main(["--unit", "GZ01", "--year", "2022", "--processed", str(tmp_path / "none")]) == 1
    assert "perfeval ingest" in capsys.readouterr().err


# --- LibreOffice --------------------------------------------------------------------------------------

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice/libreoffice) is not on PATH")
def test_libreoffice_converts_a_written_form_to_pdf(tmp_path):
    _, _, path = written(tmp_path, "mof10")
    profile = (tmp_path / "lo-profile").resolve().as_uri()  # its own profile: no clash with a running office
    done = subprocess.run([OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180,
                          env=dict(os.environ, HOME=str(tmp_path)))
    pdf = tmp_path / "mof10.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_two_years_of_one_unit_without_registry_give_one_unit_row(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    build_mof10(raw / "mof_2022.xlsx")
    book = openpyxl.load_workbook(build_mof10(tmp_path / "mof.xlsx"))
    book.active["A2"] = "（2023年度）"
    book.save(raw / "mof_2023.xlsx")
    tables = folder.load_folder(raw)
    assert not [str(i) for t in tables.values() for i in t.issues if i.severity != "info"]
    assert tables["units"].frame["unit_code"].tolist() == ["MF01"]
    assert sorted(set(tables["indicators"].frame["year"])) == [2022, 2023]


def test_a_long_data_sheet_does_not_hide_a_form_but_a_long_table_is_skipped_unread(tmp_path):
    path = build_guangzhou(tmp_path / "gz.xlsx")
    book = openpyxl.load_workbook(path)
    data = book.create_sheet("明细")
    for n in range(forms.MAX_FORM_ROWS + 500):
        data.append([n, "支出明细", 1.5])
    book.save(path)
    assert forms.detect_layout(path) == "guangzhou"
    del book["自评表"]
    book.save(tmp_path / "long.xlsx")
    assert forms.only_long_sheets(tmp_path / "long.xlsx") and forms.detect_layout(tmp_path / "long.xlsx") is None

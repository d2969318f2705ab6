"""What shared pages show: no 【待补充】 unless asked, the overview's sources of its own year, the comparison."""
from __future__ import annotations

from perfeval_lib.core.vocab import PLACEHOLDER
from perfeval_lib.narrate.draft import Paragraph, Section, Table
from perfeval_lib.render import overview as ov
from perfeval_lib.render import report as rp

from ..kits.paths import ROOT


def test_without_placeholders_drops_only_the_gaps():
    kept = Paragraph("全年预算数 100.00 万元。")
    table = Table("表1", ["a"], [["1"]], [False])
    section = Section("一、基本情况", 1, [], [
        Section("（一）部门概况", 2, [Paragraph(f"{PLACEHOLDER}部门概况。", "todo")]),
        Section("（三）部门整体收支情况", 2, [kept, table, Paragraph(f"本单位未提供…{PLACEHOLDER}请补充。")])])
    clean = rp.without_placeholders(section)
    assert [(b.text, b.kind) for b in clean.subsections[0].blocks] == [("未提供。", "note")]
    assert clean.subsections[1].blocks == [kept, table]
    assert section.subsections[0].blocks[0].kind == "todo"          # the draft itself is untouched


def test_unit_page_hides_placeholders_unless_asked(demo_processed):
    shared = rp.unit_report("D002", 2023, processed_dir=demo_processed, placeholders=False)
    draft = rp.unit_report("D002", 2023, processed_dir=demo_processed)
    hidden = "".join(rp.section(shared, n) for n in range(1, 5))
    shown = "".join(rp.section(draft, n) for n in range(1, 5))
    assert PLACEHOLDER in shown and PLACEHOLDER not in hidden
    assert "（一）部门概况" in hidden and "未提供。" in hidden
    assert "全年预算数" in hidden                                   # the figures stay


def test_overview_sources_are_those_of_its_year(demo_processed):
    files = ov.year_overview(2023, processed_dir=demo_processed).inputs["file"].tolist()
    assert "data/raw/demo/budget_2023.xlsx" in files and "data/raw/demo/units.csv" in files
    assert not any("2022" in f or "2019" in f or "haizhu_fulian" in f for f in files), files
    html = ov.footer(ov.year_overview(2022, processed_dir=demo_processed))
    assert "haizhu_fulian/budget.csv" in html and "budget_2023.xlsx" not in html


def test_overview_comparison_section(demo_processed):
    assert ov.ruleset_comparison(2023, "", demo_processed) is None
    html = ov.ruleset_comparison(2023, "mof-2020-strict,mof-2013-dept-strict", demo_processed)
    assert html.count("<h3>对比规则集：") == 2
    assert "16 个单位参与对比，0 个等级变化" in html and "8 个单位参与对比，1 个等级变化" in html
    assert '<tr class="pe-flag"><td>示例区城市管理局</td><td class="n">90.56</td><td>优</td><td class="n">89.07</td><td>良</td>' in html
    assert "造成差异的指标" in html and "per_point_deduction(k=0.8)" in html


def test_a_second_ruleset_that_fits_no_unit_is_a_note(demo_processed, tmp_path):
    own = tmp_path / "county-2024.yaml"      # a ruleset of its own family: no demo unit uses it
    own.write_text((ROOT / "params" / "rulesets" / "mof-2020.yaml").read_text(encoding="utf-8")
                   .replace("name: mof-2020", "name: county-2024"), encoding="utf-8")
    html = ov.ruleset_comparison(2023, str(own), demo_processed)
    assert "对比规则集：" in html and "没有单位使用 county-2024" in html

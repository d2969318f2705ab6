"""Text is text in every chart (no math parsing of "$a^{$"), and long names fit the Word draft.

tests/fixtures/hostile/mathtext names a unit and a 一级指标 "$a^{$"; the long names are built here. The
pages' charts are SVG, whose text must show the signs as typed; the Word draft's are PNG (matplotlib),
which must not read them as math.
"""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile

import docx
import pandas as pd
import pytest
from matplotlib.text import Text

from perfeval_lib.cli import main
from perfeval_lib.render import charts, draft_figures, overview, report, svg

from ..kits.hostile import hostile_project
from ..kits.paths import FIXTURES


def _svg_texts(markup: str) -> list[str]:
    """Every text of every SVG chart in an HTML fragment, as a reader sees it."""
    found = []
    for chart in re.findall(r"<svg.*?</svg>", markup, flags=re.S):
        found += ["".join(t.itertext()) for t in ET.fromstring(chart).iter("{http://www.w3.org/2000/svg}text")]
    return found


def test_every_chart_of_the_year_and_the_unit_draws_math_signs_as_text(tmp_path, monkeypatch):
    hostile_project(tmp_path, FIXTURES / "hostile" / "mathtext", monkeypatch)
    o = overview.year_overview(2022)
    fragments = [overview.chart_grades(o), overview.chart_rate_vs_score(o), overview.chart_gaps(o),
                 overview.chart_findings(o)]
    assert [str(f).count('class="pe-chart"') for f in fragments] == [1, 1, 1, 1]
    gaps = _svg_texts(str(fragments[2]))
    assert "$a^{$局" in gaps and r"示例区统计局$\frac{1}{$" in gaps                  # the names as typed
    assert "$a^{$局" in str(fragments[1])                                            # the key beside the scatter
    pngs = draft_figures.figure_pngs(report.unit_report("M02", 2022))
    assert len(pngs) >= 2 and all(png.startswith(b"\x89PNG") for png, _ in pngs.values())


@pytest.mark.parametrize("name", ["$a^{$", r"$\frac{1}{$", "$x_{$项目", "$$", r"\$5 $"])
def test_a_chart_label_keeps_its_dollar_signs(name):
    results = pd.DataFrame({"unit_code": ["M01", "M02"], "unit_name": [name, "示例区档案馆"], "year": [2022, 2022],
                            "execution_rate": [0.9, 0.95], "score": [88.0, 92.0], "claimed_score": [99.0, 93.0]})
    assert svg.rate_vs_score(results).labelled == ["1", "2"]
    two_years = pd.concat([results, results.assign(year=2023)])
    for chart in (svg.score_gaps(results), svg.ranks_over_years(results), svg.unit_lines(two_years),
                  svg.rank_panels(two_years)):                                  # names as labels, legends, titles
        assert any(name in "".join(t.itertext()) for t in ET.fromstring(chart.svg).iter("{http://www.w3.org/2000/svg}text"))
    levels = pd.DataFrame({"level1": [name, "产出指标"], "weight": [10.0, 90.0], "score": [9.0, 80.0],
                           "claimed_score": [10.0, 90.0]})
    assert name in _svg_texts(svg.score_by_level1(levels).svg)                 # a unit page's chart
    fig = charts.score_by_level1(levels)                                        # the Word draft's PNG
    assert any(name in t.get_text().replace("\n", "") for t in fig.findobj(Text))
    assert charts.figure_png(fig).startswith(b"\x89PNG")


def test_a_300_character_unit_name_gives_a_word_draft_and_a_form(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "hostile" / "mathtext", raw)
    name = "示例区" + "很长的单位名称" * 42 + "办公室"                    # 300 characters
    units = (raw / "units.csv").read_text(encoding="utf-8").replace("示例区档案馆", name)
    (raw / "units.csv").write_text(units, encoding="utf-8")
    hostile_project(tmp_path / "project", raw, monkeypatch)
    assert main(["draft", "--unit", "M01", "--year", "2022", "-o", str(tmp_path / "d.docx")]) == 0
    assert main(["form", "--unit", "M01", "--year", "2022", "-o", str(tmp_path / "f.xlsx")]) == 0
    document = docx.Document(str(tmp_path / "d.docx"))
    assert len(document.core_properties.title) == 255 and document.core_properties.title.endswith("…")
    assert name in document.paragraphs[0].text                                # the heading keeps the whole name
    with zipfile.ZipFile(tmp_path / "d.docx") as archive:
        assert name in archive.read("word/document.xml").decode("utf-8")
    assert main(["run", "--year", "2022", "--units", "M01", "--jobs", "1", "-q"]) == 0
    html = (tmp_path / "project" / "reports" / "2022" / "M01.html").read_text(encoding="utf-8")
    assert name in html

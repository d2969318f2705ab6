"""Nothing injected: hostile text in every field of a unit reaches the report, the draft and the
browser as text — never as markup, script or template."""
from __future__ import annotations

import re

import docx
import pytest

from perfeval_lib.render import report
from perfeval_lib.batch.run import run_batch
from perfeval_lib.batch.ingest_run import run_ingest
from perfeval_lib.render.word import write_docx

from ..kits.browser import check_pages, require_chromium
from ..kits.project import make_project

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
LINK = '<a href="javascript:alert(3)">点我</a>'
TEMPLATE = "{{ 7*7 }}{% for x in [1] %}X{% endfor %}"
MARKDOWN = "[链接](javascript:alert(4)) **粗体** ![](http://example.invalid/x.png)"
HOSTILE = f"{SCRIPT}{IMG}{LINK}{TEMPLATE}{MARKDOWN}"


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_hostile_raw(folder):
    h = _csv_cell(HOSTILE)
    (folder / "units.csv").write_text(
        "单位编码,单位名称,主管部门,地区,评价体系,部门概况\n"
        f"X01,{_csv_cell('恶意单位' + HOSTILE)},{h},{h},mof-2020,{h}\n", encoding="utf-8")
    (folder / "budget.csv").write_text(
        "单位编码,年度,支出类别,资金来源,项目名称,全年预算数,全年执行数,说明\n"
        f"X01,2022,基本支出,{h},,100,90,{h}\n"
        f"X01,2022,项目支出,财政拨款,{h},50,20,{h}\n", encoding="utf-8")
    (folder / "indicators.csv").write_text(
        "单位编码,年度,一级指标,二级指标,三级指标,指标性质,分值,年度指标值,实际完成值,计量单位,自评得分,偏差原因\n"
        f"X01,2022,预算执行率,{h},预算执行率,定量,10,100%,90%,%,10,{h}\n"
        f"X01,2022,产出指标,{h},{_csv_cell('场次' + HOSTILE)},定量,50,≥8,6,{h},50,{h}\n"
        f"X01,2022,效益指标,{h},{_csv_cell('效益' + HOSTILE)},定性,30,达成,{h},,30,{h}\n"
        f"X01,2022,满意度指标,满意度,满意度,定量,10,≥90%,95%,%,10,\n", encoding="utf-8")
    narratives = folder / "narratives" / "X01"
    narratives.mkdir(parents=True)
    body = "\n".join(f"{key}: {_yaml(HOSTILE)}" for key in ("概况", "重点工作", "绩效管理", "重点项目", "成效", "问题", "措施"))
    (narratives / "2022.yaml").write_text(body + "\n", encoding="utf-8")


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


EXECUTABLE = [
    (re.compile(r"<script", re.I), "a script element"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"""<[a-z][^<>]*\s(?:href|src)\s*=\s*["']?\s*javascript:""", re.I), "a javascript: URL"),
    (re.compile(r"<(?:img|a|iframe|object|embed)\b[^>]*(?:example\.invalid|alert)", re.I), "an element made from data"),
]


def executable_markup(html: str) -> list[str]:
    return [what for pattern, what in EXECUTABLE if pattern.search(html)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    write_hostile_raw(raw)
    folders = make_project(base, raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PERFEVAL_PROCESSED", str(folders["processed"]))
        patch.setenv("PERFEVAL_REPORTS", str(folders["reports"]))
        patch.setenv("PERFEVAL_PARAMS", str(folders["params"]))
        run_ingest(raw, folders["processed"])
        summary = run_batch(2022, jobs=1, progress=False)
        yield folders, summary


def test_the_hostile_unit_is_reported(hostile):
    _, summary = hostile
    assert [(r.unit_code, r.status) for r in summary.results] == [("X01", "ok")]


@pytest.mark.parametrize("page", ["X01.html", "overview.html", "index.html"])
def test_no_executable_markup_in_the_html(hostile, page):
    _, summary = hostile
    html = (summary.out_dir / page).read_text(encoding="utf-8")
    assert executable_markup(html) == []
    assert "{{ 7*7 }}" in html or page == "index.html" and "恶意单位" in html  # literal, never rendered


def test_the_hostile_text_shows_as_text(hostile):
    _, summary = hostile
    html = (summary.out_dir / "X01.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}{% for x in [1] %}X{% endfor %}" in html and ">49<" not in html


def test_the_word_draft_keeps_it_literal(hostile, tmp_path):
    target = tmp_path / "x.docx"
    r = report.unit_report("X01", 2022)
    write_docx(report.draft(r), target)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert SCRIPT in text and "{{ 7*7 }}" in text


def test_in_a_browser_nothing_runs_and_nothing_is_fetched(hostile):
    require_chromium()
    _, summary = hostile
    checks = check_pages([summary.out_dir / p for p in ("X01.html", "overview.html", "index.html")])
    for check in checks:
        assert check.dialogs == [] and check.console == [] and check.requests == [] and check.page_errors == []
        assert "恶意单位" in check.text

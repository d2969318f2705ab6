"""The pages over the years, end to end on the `mini` project: `perfeval run` and `perfeval trends` as a user runs them."""
from __future__ import annotations

import json
import re

import pytest

from perfeval_lib.cli import main
from perfeval_lib.core.vocab import PLACEHOLDER

from ..kits.project import html_problems

TIME_OF_DAY = re.compile(r"\d{2}:\d{2}:\d{2}|[+-]\d{4}\b|UTC")


@pytest.fixture(scope="module")
def site(project):  # noqa: F811
    assert main(["run", "--year", "2022", "--jobs", "2", "-q"]) == 0
    before_trends = (project["reports"] / "index.html").read_text(encoding="utf-8")
    assert main(["trends"]) == 0
    return project["reports"], before_trends


def _read(path):
    return path.read_text(encoding="utf-8")


def test_landing_page_lists_every_year_with_totals_grades_and_links(site):
    reports, before_trends = site
    html = _read(reports / "index.html")
    assert html_problems(html) == []
    assert '<a href="2022/index.html">目录</a> · <a href="2022/overview.html">总览</a>' in html
    assert "<td>2021</td><td class=\"n\">1</td><td><span class=\"pe-note\">未生成</span>" in html   # T02 only, no pages
    # 2022: T01 310.20 + T02 + T03 300.00 budget; grades of T01 and T02, T03 has no indicator table
    row = re.search(r"<tr><td>2022</td>(.*?)</tr>", html).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[0] == "3" and cells[-1] == "1"
    assert re.fullmatch(r"\d+\.\d{2}", cells[5]) and re.fullmatch(r"\d+\.\d{2}", cells[6])   # mean scores: 2 decimals
    assert '<a href="trends.html">多年趋势 →</a>' in html and "多年趋势页尚未生成" in before_trends
    assert not TIME_OF_DAY.search(html) and "秒" not in html


def test_year_index_is_for_readers(site):
    reports, _ = site
    html = _read(reports / "2022" / "index.html")
    assert "用时" not in html and not TIME_OF_DAY.search(html)
    assert '<a href="../index.html">历年报告</a>' in html and "runs.csv" in html


def test_each_page_links_back(site):
    reports, _ = site
    unit = _read(reports / "2022" / "T01.html")
    assert re.search(r'<nav class="pe-nav"><a href="index.html">本年目录</a><a href="overview.html">年度总览</a>'
                     r'<a href="../index.html">历年报告</a></nav>', unit)
    overview = _read(reports / "2022" / "overview.html")
    assert '<a href="index.html">本年目录</a><a href="../index.html">历年报告</a>' in overview
    assert '<nav class="pe-nav"><a href="index.html">历年报告</a></nav>' in _read(reports / "trends.html")


def test_shared_unit_pages_hide_placeholders_unless_asked(site):
    reports, _ = site
    assert PLACEHOLDER not in _read(reports / "2022" / "T01.html")
    assert main(["run", "--year", "2022", "--units", "T01", "--show-placeholders", "-q"]) == 0
    assert PLACEHOLDER in _read(reports / "2022" / "T01.html")
    assert main(["run", "--year", "2022", "--units", "T01", "-q"]) == 0        # the flag is part of the fingerprint
    assert PLACEHOLDER not in _read(reports / "2022" / "T01.html")


def test_trends_page_is_shareable_and_has_its_sections(site):
    reports, _ = site
    html = _read(reports / "trends.html")
    assert html_problems(html) == []
    for heading in ("一、历年执行率与得分", "二、排名变化（2021 → 2022）", "三、等级变化的单位", "四、反复出现的问题",
                    "五、自评连年高于复核"):
        assert heading in html
    assert "widget" not in html and "t.table" not in html and "explore_trends" not in html
    assert "<title>部门整体支出绩效多年趋势</title>" in html
    assert html.count('class="pe-chart"') == 2 and "data:image/png" not in html   # the trend and the ranks, as SVG
    scores = re.findall(r'<td class="n">(\d+\.\d+) [优良中差]<br><small>自评 (\d+\.\d+)', html)
    assert scores and all(re.fullmatch(r"\d+\.\d{2}", x) for pair in scores for x in pair)    # 2 decimals, as everywhere


def test_overview_with_a_second_ruleset(site):
    reports, _ = site
    assert main(["run", "--year", "2022", "--second-ruleset", "mof-2013-dept-strict", "-q"]) == 0
    html = _read(reports / "2022" / "overview.html")
    assert "六、评分规则对比" in html and "对比规则集：mof-2013-dept-strict" in html and "测试区档案馆" in html
    assert main(["run", "--year", "2022", "-q"]) == 0
    assert "六、评分规则对比" not in _read(reports / "2022" / "overview.html")


@pytest.mark.parametrize("units", ["T01,T02", '["T01", "T02"]'])
def test_trends_notebook_takes_units_as_papermill_strings(project, tmp_path, units):  # noqa: F811
    import papermill

    from perfeval_lib.batch.params import notebooks_dir

    node = papermill.execute_notebook(str(notebooks_dir() / "trends.ipynb"), str(tmp_path / "trends.ipynb"),
                                      parameters={"units": units, "years": "2021,2022"}, kernel_name="python3",
                                      progress_bar=False)
    shown = json.dumps([cell.get("outputs", []) for cell in node.cells], ensure_ascii=False)
    assert "2 个单位 · 2021–2022 年" in shown and "每个单位一条线" in shown
    assert all(not output.get("data", {}).keys() & {"application/vnd.jupyter.widget-view+json"}
               for cell in node.cells for output in cell.get("outputs", []))


def test_a_choice_of_units_gets_its_own_trends_page(site, capsys):
    reports, _ = site
    district = _read(reports / "trends.html")
    assert main(["trends", "--units", "T02", "T01", "--years", "2022", "2021"]) == 0
    said = capsys.readouterr().out
    chosen = reports / "trends-T01-T02_2021-2022.html"   # units sorted: one page whatever the order typed
    assert str(chosen) in said and "trends.html 未改动" in said
    assert "2 个单位 · 2021–2022 年" in _read(chosen) and html_problems(_read(chosen)) == []
    assert _read(reports / "trends.html") == district                        # the district's page is untouched
    landing = _read(reports / "index.html")
    assert '<a href="trends.html">多年趋势 →</a>' in landing                 # still the district's page first
    assert '<a href="trends-T01-T02_2021-2022.html">T01-T02_2021-2022</a>' in landing   # the choice listed too
    assert "<title>部门整体支出绩效多年趋势（T01-T02_2021-2022）</title>" in _read(chosen)
    # the same choice typed another way is the same page
    assert main(["trends", "--units", "t01,T02", "--years", "2021,2022"]) == 0 and str(chosen) in capsys.readouterr().out
    # a unit, year or ruleset not in the data, or a choice without results: a usage error, nothing run
    for wrong, said in ((["--units", "../T01"], "../T01"), (["--units", "T99"], "T99"), (["--years", "1999"], "1999"),
                        (["--ruleset", "mof-2099"], "mof-2099"), (["--units", "T02", "--years", "2022,2019"], "2019")):
        assert main(["trends", *wrong]) == 2, wrong
        assert said in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:                                   # argparse's own usage error
        main(["trends", "--years", "20x1"])
    assert stop.value.code == 2 and "2023 或 2021,2023" in capsys.readouterr().err
    assert not (reports / "failed").exists()
    assert sorted(p.name for p in reports.glob("trends*.html")) == ["trends-T01-T02_2021-2022.html", "trends.html"]


@pytest.mark.parametrize("choice, name", [
    ({}, "trends.html"),
    ({"units": ["D001"]}, "trends-D001.html"),
    ({"units": ["D009", "D001", "D009"]}, "trends-D001-D009.html"),            # each unit once, sorted
    ({"years": [2022]}, "trends-2022.html"),
    ({"years": [2023, 2021, 2022]}, "trends-2021-2023.html"),                 # a run of years as a range
    ({"years": [2019, 2023]}, "trends-2019+2023.html"),                       # not a range: both named
    ({"units": ["D001"], "years": [2023], "ruleset": "mof-2020"}, "trends-D001_2023_mof-2020.html"),
])
def test_trends_page_names_the_choice(choice, name):
    from perfeval_lib.batch.trends import trends_page

    assert trends_page(**choice) == name


def test_trends_pages_of_many_units_differ_when_the_lists_do():
    from perfeval_lib.batch.trends import trends_page

    first = trends_page([f"D{i:03d}" for i in range(1, 21)])
    other = trends_page([f"D{i:03d}" for i in range(1, 20)] + ["D999"])
    assert first.startswith("trends-D001-D002-D003-20个单位-") and first != other and len(first) < 60


def test_trends_without_processed_data_is_a_message(tmp_path, capsys):
    assert main(["trends", "--processed", str(tmp_path / "none"), "--out", str(tmp_path / "out")]) == 1
    assert "perfeval ingest" in capsys.readouterr().err
    assert not (tmp_path / "out" / "trends.html").exists()



MONEY = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d{4,})\.\d{2}(?![\d%])")


@pytest.fixture(scope="module")
def demo_site(demo_processed, tmp_path_factory):
    """Two demo units of 2023, its overview and the landing page: amounts in the thousands of 万元."""
    from perfeval_lib.batch.run import run_batch
    from perfeval_lib.batch.site import write_landing

    from ..kits.project import ENV_NAMES, make_project

    folders = make_project(tmp_path_factory.mktemp("demo_site"))
    with pytest.MonkeyPatch.context() as patch:
        for name in ENV_NAMES:
            patch.delenv(name, raising=False)
        patch.setenv("PERFEVAL_REPORTS", str(folders["reports"]))
        patch.setenv("PERFEVAL_PARAMS", str(folders["params"]))
        patch.setenv("PERFEVAL_PROCESSED", str(demo_processed))
        summary = run_batch(2023, units=["D001", "D009"], jobs=2, progress=False)
        assert [r.status for r in summary.results] == ["ok", "ok"] and summary.overview.status == "ok"
        write_landing()
    return folders["reports"]


def test_money_is_written_the_same_way_on_every_page(demo_site):
    from perfeval_lib.core.templating import money

    seen = 0
    for page in ("index.html", "2023/index.html", "2023/overview.html", "2023/D001.html", "2023/D009.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", html,
                      flags=re.S)
        for token in MONEY.findall(text):
            assert token == money(float(token.replace(",", ""))), f"{page}: {token} is not written as elsewhere"
            seen += 1
    assert seen >= 5

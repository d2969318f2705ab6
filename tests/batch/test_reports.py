"""End to end: papermill + nbconvert over the `mini` fixture, as `perfeval run` does it."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from perfeval_lib.batch.run import run_batch
from perfeval_lib.cli import main

from ..kits.project import HEADINGS, html_problems

MAX_BYTES = 600 * 1024


@pytest.fixture(scope="module")
def batch(project):  # noqa: F811
    return run_batch(2022, jobs=2, progress=False)


def test_every_unit_ok_with_overview_index_and_runs(batch, project):  # noqa: F811
    assert [(r.unit_code, r.status) for r in batch.results] == [("T01", "ok"), ("T02", "ok"), ("T03", "ok")]
    out = project["reports"] / "2022"
    assert batch.out_dir == out
    for name in ("T01.html", "T02.html", "T03.html", "overview.html", "index.html", "runs.csv"):
        assert (out / name).is_file(), name
    runs = pd.read_csv(out / "runs.csv", encoding="utf-8-sig")
    assert runs["unit_code"].tolist() == ["T01", "T02", "T03", "overview"]
    assert set(runs["status"]) == {"ok"} and (runs["seconds"] > 0).all()
    assert not (out / "failed").exists() and not (out / ".work").exists()


@pytest.mark.parametrize("unit", ["T01", "T02", "T03", "overview", "index"])
def test_html_is_safe_to_share(batch, unit):
    html = (batch.out_dir / f"{unit}.html").read_text(encoding="utf-8")
    assert html_problems(html) == []
    assert len(html.encode("utf-8")) <= MAX_BYTES
    assert "@media print" in html and "width=device-width" in html


def test_unit_report_sections_in_order_with_figures(batch):
    html = (batch.out_dir / "T01.html").read_text(encoding="utf-8")
    assert "<title>2022年度测试区妇女联合会整体支出绩效自评报告</title>" in html
    positions = [html.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert html.count('class="pe-chart"') == 3               # budget, spending curve, scores
    assert "全年预算数 310.20 万元，执行数 154.74 万元，完成预算的 49.9%" in html
    assert "「开展宣讲活动场次」" in html and "预算执行率 49.9%，低于 90%，但未说明原因" in html
    # the provenance footer: input files with their sha256, ruleset, parameters, version
    assert re.search(r"fixtures/mini/budget_t01\.csv</td><td class=\"n\">\d+</td><td><code>[0-9a-f]{64}", html)
    assert "mof-2020" in html and "unit_code=T01" in html and "perfeval 0.1.0" in html


def test_unit_with_history_shows_trend(batch):
    html = (batch.out_dir / "T02.html").read_text(encoding="utf-8")
    assert "图3 历年预算执行率与得分" in html and "图4" not in html   # after the draft's 图1 and 图2 (附图 apart)
    assert html.count('class="pe-chart"') == 4  # budget, spending curve, scores, trend


def test_headline_only_report_is_short_and_honest(batch):
    html = (batch.out_dir / "T03.html").read_text(encoding="utf-8")
    assert "data:image/png" not in html and "<svg" not in html  # no empty charts
    assert "无法复核" in html and "本报告缺少" in html and "绩效指标自评表" in html
    assert "自评结果为 95.00 分，达到“优”等级" in html                  # the unit's own claim, in its voice
    assert "复核意见：未提供绩效指标自评表" in html
    assert "全年预算数 300.00 万元，执行数 290.00 万元，完成预算的 96.7%" in html


def test_index_links_every_unit_with_status_and_grade(batch):
    html = (batch.out_dir / "index.html").read_text(encoding="utf-8")
    for code in ("T01", "T02", "T03"):
        assert f'href="{code}.html"' in html
    assert 'href="overview.html"' in html and "已生成" in html


def test_overview_lists_units_and_gaps(batch):
    html = (batch.out_dir / "overview.html").read_text(encoding="utf-8")
    assert "2022年度部门整体支出绩效自评总览" in html
    assert 'href="T01.html"' in html and "测试区统计局" in html
    assert html.count('class="pe-chart"') == 4                # grades, rate vs score, gaps, findings: all SVG
    assert "data:image/png" not in html


def test_rerun_skips_unchanged_units_and_force_reruns(batch, project, monkeypatch):  # noqa: F811
    from perfeval_lib.batch import run as batch_run

    opened = []
    real = batch_run.open_executor
    monkeypatch.setattr(batch_run, "open_executor", lambda *args, **kw: opened.append(args[0]) or real(*args, **kw))
    again = run_batch(2022, jobs=2, progress=False)
    assert {r.status for r in again.results} == {"skipped"} and again.overview.status == "skipped"
    assert opened == []                       # nothing due: no worker process started, no executor at all
    forced = run_batch(2022, units=["T03"], jobs=2, force=True, progress=False)
    assert [(r.unit_code, r.status) for r in forced.results] == [("T03", "ok")]
    assert opened == [1]                      # one unit due: this process alone, whatever --jobs says


def test_a_wrong_parameter_file_fails_its_unit_alone(batch, project, capsys):  # noqa: F811
    path = project["params"] / "units" / "T01.yaml"
    before = path.read_text(encoding="utf-8")
    good_page = (batch.out_dir / "T01.html").read_text(encoding="utf-8")
    path.write_text(before + "colour: red\nyear: '2022'\n", encoding="utf-8")
    try:
        summary = run_batch(2022, force=True, jobs=1, progress=False)
        assert [(r.unit_code, r.status) for r in summary.results] == [("T01", "failed"), ("T02", "ok"), ("T03", "ok")]
        error = summary.results[0].error
        assert "T01.yaml" in error and "未知参数「colour」" in error and "参数「year」不能写在参数文件中" in error
        assert "\n" not in error and summary.results[0].failing_cell is None
        assert main(["run", "--year", "2022", "-q"]) == 1
        said = capsys.readouterr().err
        assert "失败 failed: T01: 运行参数有误" in said and "colour" in said and "failed/T01" not in said
        runs = pd.read_csv(batch.out_dir / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
        assert runs.loc["T01", "status"] == "failed" and "colour" in runs.loc["T01", "error"]
        # the page the overview links says so; the last report is kept beside it, unchanged
        page = (batch.out_dir / "T01.html").read_text(encoding="utf-8")
        assert "本次运行未能生成报告" in page and "colour" in page and 'href="T01.previous.html"' in page
        assert html_problems(page) == []
        assert (batch.out_dir / "T01.previous.html").read_text(encoding="utf-8") == good_page
    finally:
        path.write_text(before, encoding="utf-8")
    again = run_batch(2022, units=["T01"], jobs=1, progress=False)   # the same fingerprint as before: run anyway
    assert [(r.unit_code, r.status) for r in again.results] == [("T01", "ok")]
    assert "本次运行未能生成报告" not in (batch.out_dir / "T01.html").read_text(encoding="utf-8")
    assert not (batch.out_dir / "T01.previous.html").exists()


def test_broken_unit_fails_alone_with_its_cell_and_error(batch, project, capsys):  # noqa: F811
    units_path = project["processed"] / "units.parquet"
    units = pd.read_parquet(units_path)
    try:
        units.assign(ruleset=units["ruleset"].where(units["unit_code"] != "T02", "mof-2099")).to_parquet(units_path)
        code = main(["run", "--year", "2022", "--jobs", "2", "-q"])
        assert code == 1
        runs = pd.read_csv(batch.out_dir / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
        assert runs.loc["T02", "status"] == "failed"
        assert runs.loc["T02", "failing_cell"] == 3   # the 3rd cell of notebooks/unit_report.ipynb builds the report
        assert "mof-2099" in runs.loc["T02", "error"] and "RulesetError" in runs.loc["T02", "error"]
        assert set(runs.drop(index="T02")["status"]) <= {"ok", "skipped"}
        assert (batch.out_dir / "failed" / "T02.ipynb").is_file()   # the executed notebook is kept
        assert "失败 failed: T02" in capsys.readouterr().err
        index = (batch.out_dir / "index.html").read_text(encoding="utf-8")
        assert "失败" in index and "mof-2099" in index and 'href="T02.html"' in index
        page = (batch.out_dir / "T02.html").read_text(encoding="utf-8")
        assert "第 3 个单元格" in page and "mof-2099" in page and "T02.previous.html" in page
        assert "图3 历年预算执行率与得分" in (batch.out_dir / "T02.previous.html").read_text(encoding="utf-8")
        # failing again keeps the last real report, not the failure page
        assert main(["run", "--year", "2022", "--units", "T02", "-q"]) == 1
        assert "图3 历年预算执行率与得分" in (batch.out_dir / "T02.previous.html").read_text(encoding="utf-8")
        capsys.readouterr()
        # a partial run of another unit goes well (exit 0) but says the year still has a failure
        assert main(["run", "--year", "2022", "--units", "T01", "--force", "-q"]) == 0
        assert "另有 1 个单位上次运行失败、本次未运行 / failed in an earlier run, not run now: T02" in capsys.readouterr().err
    finally:
        units.to_parquet(units_path)
    assert main(["run", "--year", "2022", "--units", "T02", "-q"]) == 0
    assert "图3 历年预算执行率与得分" in (batch.out_dir / "T02.html").read_text(encoding="utf-8")
    assert not (batch.out_dir / "T02.previous.html").exists()


@pytest.mark.parametrize("parameters", [{}, {"units": ["T02"], "years": [2021, 2022]}])
def test_trends_notebook_runs_top_to_bottom(project, tmp_path, parameters):  # noqa: F811
    import papermill

    from perfeval_lib.batch.execute import export_html
    from perfeval_lib.batch.params import notebooks_dir

    node = papermill.execute_notebook(str(notebooks_dir() / "trends.ipynb"), str(tmp_path / "trends.ipynb"),
                                      parameters=parameters, kernel_name="python3", progress_bar=False)
    size = export_html(node, tmp_path / "trends.html", "多年趋势")
    html = (tmp_path / "trends.html").read_text(encoding="utf-8")
    assert html_problems(html) == [] and size <= MAX_BYTES
    assert "部门整体支出绩效多年趋势" in html and "排名变化（2021 → 2022）" in html
    assert "测试区档案馆" in html

"""The JupyterLab controls, exercised through their callbacks in plain Python (no browser, no kernel)."""
from __future__ import annotations

import types

import pytest

from perfeval_lib.render import explore
from perfeval_lib.render.explore import OverviewExplorer, TrendsExplorer


def _shown(x) -> str:
    """Everything the output widget holds now, as one HTML string."""
    return "".join(output["data"]["text/html"] for output in x.output.outputs)


def test_trends_controls_redraw_on_every_change(demo_processed):
    x = TrendsExplorer(processed_dir=demo_processed)
    assert x.fragments == []                                # nothing drawn before it is shown or changed
    x.units.value = ("D001", "D009")                        # the callback redraws
    assert "2 个单位 · 2019–2023 年" in x.fragments[0] and "每个单位一条线" in x.fragments[1]
    assert x.trends.units == ["D001", "D009"] and _shown(x) == "".join(x.fragments)
    x.years.value = (2021, 2023)
    assert "2021–2023 年" in x.fragments[0] and "排名变化（2021 → 2023）" in x.fragments[2]
    x.ruleset.value = "mof-2013-dept-strict"
    assert "按 mof-2013-dept-strict 重新计分" in x.fragments[0]
    x.units.value = ("D021",)
    grades = dict(zip(zip(x.trends.results["unit_code"], x.trends.results["year"]), x.trends.results["grade"]))
    assert grades[("D021", 2023)] == "良"                    # 优 under mof-2013-dept (0.8 a point off, not 0.5)
    x.units.value = ()
    assert "25 个单位" in x.fragments[0] and "整体执行率与平均得分" in x.fragments[1]   # with 海珠区妇联 (2022)


def test_trends_controls_start_from_the_notebook_parameters(demo_processed):
    x = TrendsExplorer(processed_dir=demo_processed, units="D016", years="2020,2022", ruleset="mof-2020-strict")
    assert x.units.value == ("D016",) and x.years.value == (2020, 2022) and x.ruleset.value == "mof-2020-strict"
    fragments = x.redraw()
    assert "1 个单位 · 2020–2022 年" in fragments[0] and x.error is None


def test_a_failing_redraw_shows_the_message(demo_processed, monkeypatch):
    x = TrendsExplorer(processed_dir=demo_processed)
    monkeypatch.setattr(explore.ov, "trends", lambda **_: (_ for _ in ()).throw(explore.PerfevalError("没有数据 / no data")))
    x.units.value = ("D001",)
    assert x.error == "没有数据 / no data" and "没有数据" in x.fragments[0] and len(x.fragments) == 1


def test_overview_controls_show_the_comparison_and_switch_year(demo_processed):
    x = OverviewExplorer(processed_dir=demo_processed, year=2023)
    first = x.redraw()
    assert "2023年度部门整体支出绩效自评总览" in first[0] and "六、评分规则对比" not in "".join(first)
    x.second_ruleset.value = "mof-2013-dept-strict"
    comparison = x.fragments[-1]
    assert "六、评分规则对比" in comparison and "对比规则集：mof-2013-dept-strict" in comparison
    assert '<tr class="pe-flag"><td>示例区城市管理局</td>' in comparison      # 优 → 良
    x.year.value = 2020
    assert "2020年度" in x.fragments[0] and "对比规则集：mof-2013-dept-strict" in x.fragments[-1]


def test_controls_only_in_an_interactive_session(demo_processed, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert explore.interactive_session() is False
    assert explore.explore_trends(processed_dir=demo_processed) is None
    assert explore.explore_overview(2023, processed_dir=demo_processed) is None
    monkeypatch.setenv("JPY_SESSION_NAME", "/srv/notebooks/trends.ipynb")
    assert explore.interactive_session() is False            # plain Python: no kernel
    monkeypatch.setattr(explore, "get_ipython", lambda: types.SimpleNamespace(kernel=object()))
    assert explore.interactive_session() is True
    panel = explore.explore_trends("D001", None, demo_processed, "")
    assert isinstance(panel, TrendsExplorer) and panel.units.value == ("D001",)
    assert isinstance(explore.explore_overview(2023, demo_processed, ""), OverviewExplorer)


@pytest.mark.parametrize("choice", ["", "mof-2020-strict"])
def test_every_ruleset_is_offered(demo_processed, choice):
    x = TrendsExplorer(processed_dir=demo_processed, ruleset=choice)
    assert {"", "mof-2020", "mof-2020-strict", "mof-2013-dept", "mof-2013-dept-strict"} <= {v for _, v in x.ruleset.options}
    assert x.ruleset.value == choice

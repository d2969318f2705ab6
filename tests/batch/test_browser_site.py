"""A real browser opens the pages over the years — landing page, trends, the overview with its comparison —
from file://: no request, no console message, KPI values on one line, no sideways scrolling of the page on a
phone (a wide table scrolls in its own box, its unit names not squeezed)."""
from __future__ import annotations

import pytest

from perfeval_lib.batch.run import run_batch
from perfeval_lib.batch.trends import run_trends
from perfeval_lib.batch.site import write_landing

from ..kits.browser import check_pages, require_chromium

PAGES = {"index.html": "各年度报告", "trends.html": "四、反复出现的问题", "2022/overview.html": "六、评分规则对比",
         "2022/index.html": "测试区档案馆", "2022/T01.html": "本年目录"}

#: Per KPI value: its text and how many lines it takes (a multi-value card: each value); the page's overflow.
PROBE = """() => {
  const lines = (e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));
  const values = [...document.querySelectorAll('.pe-v:not(.pe-multi), .pe-v.pe-multi .pe-nowrap')]
    .map(e => [e.textContent.trim(), lines(e), e.scrollWidth <= e.parentElement.clientWidth + 1]);
  const names = [...document.querySelectorAll('.pe-scroll .pe-table td > a')].map(
    a => a.parentElement.getBoundingClientRect().width / parseFloat(getComputedStyle(a.parentElement).fontSize));
  return {values, names, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture(scope="module")
def reports(project):  # noqa: F811
    require_chromium()
    run_batch(2022, jobs=2, progress=False, second_ruleset="mof-2013-dept-strict")
    assert run_trends().status == "ok"
    write_landing()
    return project["reports"]


@pytest.mark.parametrize("width", [1024, 390])
def test_new_pages_open_quietly_with_values_on_one_line(reports, width):
    checks = check_pages([reports / name for name in PAGES], width=width, height=800, probe=PROBE)
    for (name, expected), check in zip(PAGES.items(), checks):
        assert not check.blank, name
        assert expected in check.text, name
        assert check.console == [] and check.page_errors == [] and check.dialogs == [], (name, check.console)
        assert check.requests == [], f"{name} fetched {check.requests}"
        for text, lines, fits in check.probe["values"]:
            assert lines == 1 and fits, f"{name} at {width}px: KPI value {text!r} takes {lines} lines"
        assert check.probe["overflow"] <= 0, f"{name} scrolls sideways at {width}px"
    unit, overview = checks[4], checks[2]
    assert len(unit.probe["values"]) >= 6 and len(overview.probe["values"]) >= 6
    # the league table's unit names keep at least 6 characters a line; the table scrolls inside its box instead
    assert overview.probe["names"] and min(overview.probe["names"]) >= 5.9, overview.probe["names"]

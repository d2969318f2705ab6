"""A real browser opens the reports people receive: from file://, no console message, no request.

Debian's chromium (scripts/install_browser.sh; CI installs it) driven by playwright; the tests skip,
saying why, only when no chromium is found locally (CI sets PERFEVAL_REQUIRE_BROWSER=1 to fail instead).
"""
from __future__ import annotations

import pytest

from perfeval_lib.batch.run import run_batch

from ..kits.browser import check_pages, require_chromium

PAGES = {"T01.html": "测试区妇女联合会", "T03.html": "无法复核", "overview.html": "年度部门整体支出绩效自评总览",
         "index.html": "测试区档案馆"}


@pytest.fixture(scope="module")
def checks(project):  # noqa: F811
    require_chromium()
    summary = run_batch(2022, jobs=2, progress=False)
    paths = [summary.out_dir / name for name in PAGES]
    return dict(zip(PAGES, check_pages(paths, width=1024, height=800)))


@pytest.mark.parametrize("page", list(PAGES))
def test_page_opens_offline_shows_chinese_and_is_quiet(checks, page):
    check = checks[page]
    assert not check.blank, f"{page}: the screenshot is blank"
    assert PAGES[page] in check.text
    assert check.console == [], check.console
    assert check.page_errors == [] and check.dialogs == []
    assert check.requests == [], f"{page} fetched {check.requests}"


def test_unit_report_shows_charts_and_no_code(checks):
    text = checks["T01.html"].text
    assert "图1 预算数与执行数" in text and "附图 各一级指标复核得分、自评得分与分值" in text
    assert "import" not in text and "rp.show" not in text and "unit_code =" not in text


def test_phone_width_has_no_horizontal_page_scroll(project):  # noqa: F811
    require_chromium()
    summary = run_batch(2022, units=["T01"], jobs=1, progress=False)
    (check,) = check_pages([summary.out_dir / "T01.html"], width=390, height=844, full_page=True)
    assert not check.blank and check.console == [] and check.requests == []
    from io import BytesIO

    from PIL import Image

    # a full-page screenshot is as wide as the page: wider than the phone means sideways scrolling
    assert Image.open(BytesIO(check.screenshot)).width == 390

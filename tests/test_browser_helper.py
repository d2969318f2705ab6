"""Tests of tests/browser.py: each detection is shown both to fire and to stay quiet.

The pages are tiny HTML files written to tmp.  Everything that needs a real
browser is skipped (via require_chromium) when chromium is not installed;
run scripts/install_browser.sh to get it.
"""
from __future__ import annotations

import base64
import io
import time

import pytest
from PIL import Image

from .kits.browser import (
    BrowserTimeout,
    PageCheck,
    _pids_with,
    check_page,
    check_pages,
    find_chromium,
    is_blank,
    open_browser,
    require_chromium,
)

ZH_TITLE = "部门整体支出绩效自评"
ZH_TEXT = "项目资金使用情况良好"


def page(folder, name: str, body: str, head: str = "", title: str = "t"):
    """Write a small UTF-8 HTML page and return its path."""
    path = folder / name
    path.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def png_bytes(size=(40, 30), colour=(255, 255, 255), square=None) -> bytes:
    im = Image.new("RGB", size, colour)
    if square:
        x0, y0, x1, y1, fill = square
        for x in range(x0, x1):
            for y in range(y0, y1):
                im.putpixel((x, y), fill)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the whole module (launching costs more than a page)."""
    require_chromium()
    with open_browser(timeout=30) as b:
        yield b


@pytest.fixture
def pages(tmp_path):
    return lambda name, body, **kw: page(tmp_path, name, body, **kw)


# ----------------------------------------------------------------- no browser needed

def test_is_blank_on_pixels():
    assert is_blank(png_bytes())
    assert is_blank(png_bytes(colour=(20, 30, 200)))  # one colour, not white: still blank
    assert not is_blank(png_bytes(square=(5, 5, 25, 25, (200, 0, 0))))
    # a few odd pixels in a million are noise; 25 (a dot of text) are content
    assert is_blank(png_bytes(size=(1000, 1000), square=(0, 0, 2, 2, (0, 0, 0))))
    assert not is_blank(png_bytes(size=(1000, 1000), square=(0, 0, 5, 5, (0, 0, 0))))
    assert is_blank(png_bytes(size=(100, 100), square=(0, 0, 5, 5, (0, 0, 0))), fraction=0.99)


def test_find_chromium_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PERFEVAL_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PERFEVAL_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)


def test_require_chromium_skips_or_fails_when_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("PERFEVAL_CHROMIUM", str(tmp_path / "no-such-browser"))
    monkeypatch.delenv("PERFEVAL_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="run scripts/install_browser.sh"):
        require_chromium()
    monkeypatch.setenv("PERFEVAL_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium not found"):
        require_chromium()


# ----------------------------------------------------------------- rendering

def test_chinese_page_with_colour_is_not_blank(browser, pages):
    path = pages("zh.html", f'<h1>{ZH_TITLE}</h1><p>{ZH_TEXT}</p>'
                 '<div style="width:300px;height:120px;background:#2a7"></div>', title=ZH_TITLE)
    res = browser.check(path)
    assert isinstance(res, PageCheck)
    assert res.screenshot.startswith(b"\x89PNG\r\n\x1a\n")
    assert not res.blank
    assert res.title == ZH_TITLE
    assert ZH_TITLE in res.text and ZH_TEXT in res.text
    assert res.console == [] and res.requests == [] and res.page_errors == [] and res.dialogs == []
    with Image.open(io.BytesIO(res.screenshot)) as im:
        assert im.width == 1024 and im.height >= 800


def test_chinese_glyphs_are_drawn_not_boxes(browser, pages):
    """Without a CJK font every Chinese character is the same empty box, so two
    different strings give identical screenshots.  Fails until fonts-noto-cjk
    (scripts/install_browser.sh) is installed."""
    style = "<style>body{margin:0;font-size:64px}</style>"
    a = browser.check(pages("a.html", "部门整体", head=style), width=400, height=100)
    b = browser.check(pages("b.html", "绩效评价", head=style), width=400, height=100)
    assert not a.blank and not b.blank
    same = a.screenshot == b.screenshot
    assert not same, "Chinese renders as identical boxes: run scripts/install_browser.sh (fonts-noto-cjk)"


def test_empty_white_page_is_blank(browser, pages):
    res = browser.check(pages("empty.html", ""))
    assert res.blank
    assert res.text == ""


def test_page_whose_script_crashes_before_drawing_is_blank(browser, pages):
    res = browser.check(pages("crash.html", '<div id="app"></div><script>'
                              "const data = undefined; document.getElementById('app').textContent = data.rows;"
                              "</script>"))
    assert res.blank
    assert len(res.page_errors) == 1 and res.page_errors[0].startswith("TypeError")


def test_viewport_only_screenshot(browser, pages):
    res = browser.check(pages("tall.html", '<div style="height:3000px;background:#eee">x</div>'),
                        width=640, height=480, full_page=False)
    with Image.open(io.BytesIO(res.screenshot)) as im:
        assert im.size == (640, 480)
    full = browser.check(pages("tall2.html", '<div style="height:3000px;background:#eee">x</div>'),
                         width=640, height=480)
    with Image.open(io.BytesIO(full.screenshot)) as im:
        assert im.width == 640 and im.height >= 3000


# ----------------------------------------------------------------- console and errors

def test_console_error_is_caught(browser, pages):
    res = browser.check(pages("con.html", '<p>ok</p><script>console.error("x")</script>'))
    assert ("error", "x") in res.console
    assert res.console_errors == ["x"]
    assert res.page_errors == []


def test_console_types_and_arguments(browser, pages):
    res = browser.check(pages("con2.html", "<script>console.log('a', 1); console.warn('w');"
                              "console.info('i')</script>"))
    assert res.console == [("log", "a 1"), ("warning", "w"), ("info", "i")]


def test_injected_onerror_handler_shows_in_console(browser, pages):
    # what an HTML injection in a report would look like
    res = browser.check(pages("inj.html", """<p>name: <img src=x onerror="console.log('pwned')"></p>"""))
    assert ("log", "pwned") in res.console
    assert res.requests == []  # "x" is a (missing) local file, not the network


def test_escaped_injection_stays_quiet(browser, pages):
    res = browser.check(pages("esc.html",
                              "<p>name: &lt;img src=x onerror=&quot;console.log('pwned')&quot;&gt;</p>"))
    assert res.console == []
    assert "<img src=x onerror=" in res.text


def test_uncaught_exception_is_a_page_error(browser, pages):
    res = browser.check(pages("err.html", '<p>ok</p><script>throw new Error("boom")</script>'
                              '<script>setTimeout(() => { null.x }, 0)</script>'))
    assert res.page_errors[0] == "Error: boom"
    assert len(res.page_errors) == 2 and res.page_errors[1].startswith("TypeError")
    assert not res.blank


# ----------------------------------------------------------------- network requests

def test_remote_image_is_listed_and_page_still_loads(browser, pages):
    url = "http://example.invalid/x.png"
    res = browser.check(pages("img.html", f'<p>报告正文</p><img src="{url}">'))
    assert res.requests == [url]
    assert "报告正文" in res.text and not res.blank
    assert ("error", "Failed to load resource: net::ERR_FAILED") in res.console


def test_remote_stylesheet_is_listed(browser, pages):
    url = "https://cdn.example.invalid/x.css"
    t0 = time.monotonic()
    res = browser.check(pages("css.html", "<p>styled</p>",
                              head=f'<link rel=stylesheet href="{url}">', title="css"))
    assert res.requests == [url]
    assert res.title == "css" and "styled" in res.text
    assert time.monotonic() - t0 < 10  # aborted at once, not waiting on a network


def test_fetch_and_websocket_are_listed(browser, pages):
    res = browser.check(pages("js.html", "<script>"
                              "fetch('https://api.example.invalid/d').catch(() => {});"
                              "new WebSocket('wss://ws.example.invalid/s');"
                              "</script>"))
    assert sorted(res.requests) == ["https://api.example.invalid/d", "wss://ws.example.invalid/s"]


def test_data_and_local_images_are_not_requests(browser, pages, tmp_path):
    red = base64.b64encode(png_bytes((4, 4), (220, 0, 0))).decode()
    (tmp_path / "local.png").write_bytes(png_bytes((4, 4), (0, 0, 220)))
    res = browser.check(pages("data.html",
                              f'<img src="data:image/png;base64,{red}" width=200 height=200>'
                              '<img src="local.png" width=200 height=200>'))
    assert res.requests == []
    assert res.console == []  # both images loaded
    assert not res.blank
    with Image.open(io.BytesIO(res.screenshot)) as im:
        assert im.convert("RGB").getpixel((100, 100))[0] > 200  # the data: image was drawn


# ----------------------------------------------------------------- dialogs

def test_alert_is_recorded_and_dismissed(browser, pages):
    t0 = time.monotonic()
    res = browser.check(pages("alert.html", "<script>alert(1)</script><p>after the alert</p>"))
    assert res.dialogs == ["alert: 1"]
    assert "after the alert" in res.text  # the page went on: the dialog did not block it
    assert time.monotonic() - t0 < 10


def test_confirm_and_prompt_are_dismissed(browser, pages):
    res = browser.check(pages("confirm.html", "<script>"
                              "const ok = confirm('sure?'); const name = prompt('name', 'x');"
                              "document.body.append(`confirm=${ok} prompt=${name}`)</script>"))
    assert res.dialogs == ["confirm: sure?", "prompt: name"]
    assert "confirm=false prompt=null" in res.text


def test_quiet_page_has_no_dialogs(browser, pages):
    res = browser.check(pages("quiet.html", "<p>quiet</p>"))
    assert res.dialogs == [] and res.console == [] and res.page_errors == []


# ----------------------------------------------------------------- one-shot, many, timeouts

def test_check_page_one_shot(tmp_path):
    require_chromium()
    res = check_page(page(tmp_path, "one.html", "<h1>一次</h1>", title="one"), width=800, height=600)
    assert res.title == "one" and "一次" in res.text and not res.blank


def test_check_pages_reuses_one_browser(tmp_path):
    require_chromium()
    paths = [page(tmp_path, f"p{i}.html", f"<h1>第{i}页</h1>", title=f"p{i}") for i in range(3)]
    paths.append(page(tmp_path, "blank.html", ""))
    results = check_pages(paths)
    assert [r.title for r in results] == ["p0", "p1", "p2", "t"]
    assert [r.blank for r in results] == [False, False, False, True]
    assert "第1页" in results[1].text


def test_missing_file_is_an_error(browser, tmp_path):
    with pytest.raises(FileNotFoundError):
        browser.check(tmp_path / "nope.html")


@pytest.mark.parametrize("script", [
    "while (true) {}",  # never loads: playwright's own goto timeout
    "addEventListener('load', () => setTimeout(() => { while (true) {} }, 0))",  # hangs after load: the watchdog
])
def test_hung_page_times_out_and_the_browser_is_killed(tmp_path, script):
    require_chromium()
    hung = page(tmp_path, "hung.html", f"<p>x</p><script>{script}</script>")
    t0 = time.monotonic()
    with open_browser(timeout=3) as b:
        token = b._token
        with pytest.raises(BrowserTimeout, match="did not finish within 3s"):
            b.check(hung)
        with pytest.raises(RuntimeError, match="closed"):
            b.check(page(tmp_path, "after.html", "<p>x</p>"))
    assert time.monotonic() - t0 < 20
    assert _pids_with(token) == []

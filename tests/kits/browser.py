"""Open local HTML files in a real headless Chromium and report what the page did.

A test helper (not a test file).  It drives Debian's ``chromium`` through the
PyPI package ``playwright`` (its bundled driver, never its browser downloads)
and returns, for each page, a :class:`PageCheck`:

* ``screenshot`` (PNG bytes) and ``blank`` (nearly every pixel one colour);
* ``console``: every console message as ``(type, text)``, e.g. ``("error", "x")``;
  a blocked or missing resource also shows here, as Chromium's own
  ``("error", "Failed to load resource: net::ERR_FAILED")``;
* ``requests``: every URL the page tried to fetch that is not ``file:``,
  ``data:``, ``blob:`` or ``about:`` (plus WebSocket URLs) — i.e. what a
  self-contained report must never do.  Such requests are *recorded and
  aborted*, so a page never reaches the network and never waits for it;
* ``page_errors``: uncaught exceptions, e.g. ``"TypeError: x is undefined"``;
* ``dialogs``: ``alert``/``confirm``/``prompt`` that opened, e.g. ``"alert: 1"``
  (each is dismissed at once, so a dialog never blocks the page);
* ``title`` and ``text`` (``document.body.innerText``).

Usage in a test::

    from tests.kits.browser import check_page, require_chromium

    def test_report_renders(tmp_path):
        require_chromium()
        res = check_page(tmp_path / "report.html")
        assert not res.blank and not res.requests and not res.page_errors

``check_pages(paths)`` and ``open_browser()`` reuse one browser for many pages
(launching costs ~0.4-0.8 s, a small page ~0.3-0.5 s).  Every step runs under a
watchdog: a page (or launch) that exceeds ``timeout`` seconds gets the browser
killed and :class:`BrowserTimeout` raised, so a hung browser cannot hang the
test suite.

Chromium is found by :func:`find_chromium` (``PERFEVAL_CHROMIUM``, then
``/usr/bin/chromium``, then ``chromium``/``chromium-browser`` on ``PATH``) and
installed by ``scripts/install_browser.sh``.  :func:`require_chromium` skips a
test when it (or playwright) is missing — or fails it instead when
``PERFEVAL_REQUIRE_BROWSER=1``, so that CI cannot pass by skipping.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import tempfile
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: Chromium switches used for every launch.  The ``--disable-*-networking``,
#: ``-component-update`` and ``-sync`` ones stop Chromium's own background
#: traffic (on a closed network it would otherwise spam refused connections).
#: Playwright adds a fresh, empty ``--user-data-dir`` itself (it refuses one in
#: ``args``), inside the private TMPDIR its driver gets below.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)

#: URL schemes that are local; any other request counts as a network request.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

#: A screenshot is blank when at least this share of its pixels has the single
#: most common colour.  An empty Chromium page is exactly one colour; at
#: 1024x800 this allows 8 odd pixels, while one 16px letter ("x") is ~50.
BLANK_FRACTION = 0.99999

SKIP_REASON = "chromium not found: run scripts/install_browser.sh (CI installs it)"


class BrowserTimeout(RuntimeError):
    """The browser did not finish launching or checking a page in time (it was killed)."""


@dataclass
class PageCheck:
    """What one page did in the browser; see the module docstring."""

    url: str
    screenshot: bytes
    blank: bool
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    title: str = ""
    text: str = ""
    probe: object = None

    @property
    def console_errors(self) -> list[str]:
        """Texts of the console messages of type ``error``."""
        return [text for kind, text in self.console if kind == "error"]

    def save_screenshot(self, path: str | os.PathLike) -> Path:
        """Write the PNG to ``path`` (handy when a test fails: look at it)."""
        path = Path(path)
        path.write_bytes(self.screenshot)
        return path


# --------------------------------------------------------------------------- finding

def find_chromium() -> str | None:
    """Path of a Chromium executable, or None.

    ``PERFEVAL_CHROMIUM`` (a path or a name on PATH) wins when set and non-empty;
    if it names nothing executable the answer is None (no silent fallback).
    Then ``/usr/bin/chromium``, then ``chromium`` / ``chromium-browser`` on PATH.
    """
    env = os.environ.get("PERFEVAL_CHROMIUM", "").strip()
    if env:
        return _executable(env)
    if _executable("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _executable(name: str) -> str | None:
    if os.sep in name:
        return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
    return shutil.which(name)


def _playwright_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright not importable ({exc}): pip install -r requirements-dev.txt"
    return None


def require_chromium() -> str:
    """Skip the calling test unless Chromium and playwright are available; return Chromium's path.

    With ``PERFEVAL_REQUIRE_BROWSER=1`` a missing browser fails the test instead.
    """
    exe = find_chromium()
    problem = None
    if exe is None:
        problem = SKIP_REASON
        if os.environ.get("PERFEVAL_CHROMIUM", "").strip():
            problem += f" (PERFEVAL_CHROMIUM={os.environ['PERFEVAL_CHROMIUM']!r} is not executable)"
    else:
        problem = _playwright_missing()
    if problem:
        if os.environ.get("PERFEVAL_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(problem + " [PERFEVAL_REQUIRE_BROWSER is set]")
        pytest.skip(problem)
    return exe


# --------------------------------------------------------------------------- pixels

def is_blank(png: bytes, fraction: float = BLANK_FRACTION) -> bool:
    """True when at least ``fraction`` of the PNG's pixels share one colour.

    Alpha is ignored (the image is flattened to RGB first).
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        rgb = im.convert("RGB")
    total = rgb.width * rgb.height
    if total == 0:
        return True
    colours = rgb.getcolors(maxcolors=total)
    top = max(count for count, _ in colours)
    return top >= fraction * total


# --------------------------------------------------------------------------- watchdog

def _pids_with(token: str) -> list[int]:
    """PIDs whose command line contains ``token`` (Linux /proc)."""
    needle = token.encode()
    pids = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return pids
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if needle in fh.read():
                    pids.append(int(entry))
        except OSError:
            continue
    return pids


def _kill_browser(token: str) -> None:
    """SIGKILL the browser launched with ``token`` and its process group (never ours)."""
    own_group = os.getpgrp()
    for pid in _pids_with(token):
        try:
            group = os.getpgid(pid)
            if group != own_group and group == pid:
                os.killpg(group, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class _Watchdog:
    """Kill the browser if the block takes longer than ``seconds``; then raise BrowserTimeout."""

    def __init__(self, token: str, seconds: float, what: str):
        self.token, self.seconds, self.what = token, seconds, what
        self.fired = threading.Event()

    def _fire(self) -> None:
        self.fired.set()
        _kill_browser(self.token)

    def __enter__(self) -> _Watchdog:
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._timer.cancel()
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        if self.fired.is_set() or (exc is not None and isinstance(exc, PlaywrightTimeout)):
            self.fired.set()
            _kill_browser(self.token)
            raise BrowserTimeout(
                f"{self.what} did not finish within {self.seconds:g}s; the browser was killed"
            ) from exc
        return False


# --------------------------------------------------------------------------- the browser

def _is_local(url: str) -> bool:
    return url.startswith(LOCAL_SCHEMES)


def _file_url(path: str | os.PathLike) -> str:
    text = os.fspath(path)
    if "://" in text or text.startswith(("file:", "data:", "about:")):
        return text
    return Path(text).resolve().as_uri()


def _error_text(error) -> str:
    name = getattr(error, "name", "") or ""
    message = getattr(error, "message", "") or str(error)
    return f"{name}: {message}" if name and not message.startswith(name) else message


# Playwright's sync API allows one running instance (driver) per thread, so all
# sessions of a thread share one, started with the first and stopped with the last.
# The driver gets a TMPDIR of its own, removed when it stops: the browser profiles
# and artifact folders it makes there are otherwise left behind when a browser
# is killed.
_shared = threading.local()


def _acquire_playwright():
    if getattr(_shared, "users", 0) == 0:
        from playwright.sync_api import sync_playwright

        tmp = tempfile.mkdtemp(prefix="perfeval-playwright-")
        old = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = tmp  # read once, when the driver starts
        try:
            _shared.pw = sync_playwright().start()
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        finally:
            if old is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = old
        _shared.tmp = tmp
        _shared.users = 0
    _shared.users += 1
    return _shared.pw


def _release_playwright() -> None:
    _shared.users -= 1
    if _shared.users == 0:
        pw, _shared.pw = _shared.pw, None
        try:
            pw.stop()
        except Exception:
            pass
        shutil.rmtree(_shared.tmp, ignore_errors=True)


# Two animation frames and a short pause after `load`, so work that pages
# schedule on load (charts drawn in requestAnimationFrame/setTimeout) is done.
_SETTLE_JS = """ms => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => setTimeout(done, ms))))"""


class BrowserSession:
    """One running Chromium; ``check(path)`` opens a page in a fresh context each time.

    Use through :func:`open_browser`.  Not thread-safe (playwright's sync API).
    """

    def __init__(self, executable: str | None = None, timeout: float = 30.0):
        exe = executable or find_chromium()
        if exe is None:
            raise FileNotFoundError(SKIP_REASON)
        self.executable = exe
        self.timeout = timeout
        self._token = f"--perfeval-browser-check={uuid.uuid4().hex}"
        self._home = tempfile.TemporaryDirectory(prefix="perfeval-browser-")
        self._pw = None
        self._browser = None
        try:
            with _Watchdog(self._token, timeout, f"launching {exe}"):
                self._pw = _acquire_playwright()
                self._browser = self._pw.chromium.launch(
                    executable_path=exe,
                    args=[*CHROMIUM_ARGS, self._token],
                    timeout=timeout * 1000,
                    # keep Chromium's crash-report and config files out of $HOME
                    env={**os.environ, "XDG_CONFIG_HOME": self._home.name,
                         "XDG_CACHE_HOME": self._home.name},
                )
        except BaseException:
            self.close()
            raise

    @property
    def version(self) -> str:
        return self._browser.version if self._browser else ""

    def check(self, path: str | os.PathLike, width: int = 1024, height: int = 800,
              full_page: bool = True, timeout: float | None = None,
              settle_ms: int = 50, probe: str | None = None) -> PageCheck:
        """Open ``path`` (a local file, or a ``file:`` URL), wait for load, and report; see :class:`PageCheck`.

        ``probe``: a JavaScript function (``"() => …"``) evaluated in the page by the test (the page's own
        policy does not apply to it); its JSON result is ``PageCheck.probe``.
        """
        if self._browser is None:
            raise RuntimeError("browser is closed (or was killed after a timeout)")
        timeout = self.timeout if timeout is None else timeout
        url = _file_url(path)
        if url != os.fspath(path) and not Path(path).exists():
            raise FileNotFoundError(path)

        try:
            return self._check(url, width, height, full_page, timeout, settle_ms, probe)
        except BrowserTimeout:
            self._browser = None  # it was killed; later checks fail fast
            raise

    def _check(self, url: str, width: int, height: int, full_page: bool,
               timeout: float, settle_ms: int, probe: str | None = None) -> PageCheck:
        console: list[tuple[str, str]] = []
        requests: list[str] = []
        page_errors: list[str] = []
        dialogs: list[str] = []

        def on_dialog(dialog) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_websocket(route) -> None:
            requests.append(route.url)
            route.close()

        with _Watchdog(self._token, timeout, f"checking {url}"):
            context = self._browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                service_workers="block",
            )
            try:
                context.set_default_timeout(timeout * 1000)
                context.on("console", lambda msg: console.append((msg.type, msg.text)))
                context.on("request", lambda req: None if _is_local(req.url) else requests.append(req.url))
                context.on("weberror", lambda err: page_errors.append(_error_text(err.error)))
                context.on("dialog", on_dialog)
                # record (above) and abort every non-local request: no network, no waiting
                context.route(lambda u: not _is_local(u), lambda route: route.abort())
                context.route_web_socket(lambda u: True, on_websocket)

                page = context.new_page()
                page.goto(url, wait_until="load", timeout=timeout * 1000)
                page.evaluate(_SETTLE_JS, settle_ms)
                title = page.title()
                text = page.evaluate("() => document.body ? document.body.innerText : ''")
                probed = page.evaluate(probe) if probe else None
                png = page.screenshot(full_page=full_page, type="png", timeout=timeout * 1000)
            finally:
                try:
                    context.close()
                except Exception:  # a killed browser: the watchdog reports it
                    pass
        return PageCheck(url=url, screenshot=png, blank=is_blank(png), console=console,
                         requests=requests, page_errors=page_errors, dialogs=dialogs,
                         title=title, text=text, probe=probed)

    def close(self) -> None:
        """Close the browser (killing it if it does not close in time) and the driver."""
        browser, self._browser = self._browser, None
        if browser is not None:
            try:
                with _Watchdog(self._token, min(self.timeout, 10.0), "closing the browser"):
                    browser.close()
            except Exception:
                pass
        _kill_browser(self._token)  # no-op when it closed; never leave one running
        if self._pw is not None:
            self._pw = None
            _release_playwright()
        self._home.cleanup()

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_browser(executable: str | None = None, timeout: float = 30.0) -> BrowserSession:
    """A running browser for several checks: ``with open_browser() as b: b.check(p)``.

    Close it (the ``with`` does) on the thread that opened it.
    """
    # A plain object, not a @contextmanager generator: a generator dropped
    # unclosed would run the playwright shutdown inside the garbage collector,
    # which spins forever.
    return BrowserSession(executable, timeout)


def check_page(path: str | os.PathLike, width: int = 1024, height: int = 800,
               full_page: bool = True, timeout: float = 30.0) -> PageCheck:
    """Open one local HTML file in a fresh headless Chromium and report; see :class:`PageCheck`.

    Raises :class:`BrowserTimeout` when launching or the page takes over ``timeout`` seconds.
    """
    with open_browser(timeout=timeout) as browser:
        return browser.check(path, width=width, height=height, full_page=full_page)


def check_pages(paths: Iterable[str | os.PathLike], width: int = 1024, height: int = 800,
                full_page: bool = True, timeout: float = 30.0, probe: str | None = None) -> list[PageCheck]:
    """Like :func:`check_page` for many files, in one browser (``timeout`` is per page; ``probe`` as in
    :meth:`BrowserSession.check`)."""
    with open_browser(timeout=timeout) as browser:
        return [browser.check(p, width=width, height=height, full_page=full_page, probe=probe) for p in paths]

"""`make test` ends with one line: how many tests were skipped, what they need, the one command that runs them."""
from __future__ import annotations

import os
import subprocess
import sys

from .kits.paths import ROOT
from .kits.skips import skip_line

BROWSER = "chromium not found: run scripts/install_browser.sh (CI installs it)"
OFFICE = "LibreOffice (soffice/libreoffice) is not on PATH"


def test_the_line_counts_each_need_and_names_the_command():
    line = skip_line([BROWSER] * 3 + [OFFICE] + ["all tests skipped by +SKIP option"] * 2)
    assert line.startswith("6 tests skipped (3 need Chromium, 1 needs LibreOffice, 2: docstring examples")
    assert line.endswith("— to run them: make browser office && make test")
    assert skip_line([BROWSER]) == ("1 test skipped (1 needs Chromium) — to run them: make browser && make test")
    assert skip_line(["the real report is not available here"]) == (
        "1 test skipped (1: the real report is not available here)")
    assert skip_line([]) is None


def test_a_run_with_skips_ends_with_that_line(tmp_path):
    (tmp_path / "test_some.py").write_text(
        "import pytest\n"
        "def test_runs():\n    pass\n"
        f"@pytest.mark.skipif(True, reason={BROWSER!r})\ndef test_browser():\n    pass\n"
        f"@pytest.mark.parametrize('n', [1, 2])\ndef test_office(n):\n    pytest.skip({OFFICE!r})\n",
        encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q",
                          "-rfE", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert lines[-2] == "3 tests skipped (2 need LibreOffice, 1 needs Chromium) — to run them: make browser office && make test"
    assert "1 passed, 3 skipped" in lines[-1]
    assert "SKIPPED" not in run.stdout                               # no reason scattered through the log

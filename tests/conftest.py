"""Fixtures every test folder shares: the fixture folder, an empty processed folder, a small ingested project."""
from __future__ import annotations

from pathlib import Path

import pytest

from perfeval_lib.batch.ingest_run import run_ingest

from .kits.paths import FIXTURES, RAW
from .kits.project import make_project
from .kits.skips import reason_of, skip_line


@pytest.fixture
def fixtures() -> Path:
    """``tests/fixtures``."""
    return FIXTURES


@pytest.fixture
def processed(tmp_path, monkeypatch) -> Path:
    """An empty processed-data folder, so tests never touch data/processed."""
    out = tmp_path / "processed"
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(out))
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A module-wide temporary project with the `mini` data ingested and the environment pointing at it."""
    base = tmp_path_factory.mktemp("project")
    folders = make_project(base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PERFEVAL_PROCESSED", str(folders["processed"]))
        patch.setenv("PERFEVAL_REPORTS", str(folders["reports"]))
        patch.setenv("PERFEVAL_PARAMS", str(folders["params"]))
        patch.setenv("PERFEVAL_RAW", str(folders["raw"]))
        run_ingest(folders["raw"], folders["processed"])
        yield folders


@pytest.fixture(scope="session")
def demo_processed(tmp_path_factory) -> Path:
    """The shipped data (data/raw: the invented demo district and 海珠区妇联) ingested once into a temporary folder."""
    out = tmp_path_factory.mktemp("demo_processed")
    run_ingest(RAW, out)
    return out


def pytest_terminal_summary(terminalreporter) -> None:
    """End the run with one line: how many tests were skipped, what they need, the command that runs them."""
    line = skip_line(reason_of(report) for report in terminalreporter.stats.get("skipped", []))
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)

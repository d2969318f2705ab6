"""Set-up shared by the report tests: a small project (the `mini` fixture) ingested into a temporary folder."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

#: Environment variables that point perfeval at a temporary project.
ENV_NAMES = ("PERFEVAL_PROCESSED", "PERFEVAL_REPORTS", "PERFEVAL_PARAMS", "PERFEVAL_RAW")


def make_project(base: Path, raw: Path = FIXTURES / "mini") -> dict[str, Path]:
    """Copy params (rulesets, measures) into ``base``; return the folders of the project."""
    folders = {"raw": raw, "processed": base / "processed", "reports": base / "reports", "params": base / "params"}
    shutil.copytree(ROOT / "params" / "rulesets", folders["params"] / "rulesets")
    shutil.copytree(ROOT / "params" / "narrative", folders["params"] / "narrative")
    return folders


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A module-wide temporary project with the `mini` data ingested and the env pointing at it."""
    base = tmp_path_factory.mktemp("project")
    folders = make_project(base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PERFEVAL_PROCESSED", str(folders["processed"]))
        patch.setenv("PERFEVAL_REPORTS", str(folders["reports"]))
        patch.setenv("PERFEVAL_PARAMS", str(folders["params"]))
        patch.setenv("PERFEVAL_RAW", str(folders["raw"]))
        from perfeval_lib.batch.ingest_run import run_ingest

        run_ingest(folders["raw"], folders["processed"])
        yield folders


HEADINGS = ["一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施"]


def html_problems(html: str) -> list[str]:
    """What must never be in a shared report: code, prompts, tracebacks, scripts, network resources, NaN."""
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", html)  # images are not text
    problems = []
    for pattern, what in [(r"<script", "a script"), (r"Traceback", "a traceback"), (r"\bnan\b", "nan"),
                          (r"class=\"[^\"]*jp-(?:InputArea|InputPrompt|OutputPrompt)|In&nbsp;\[", "an input cell or prompt"),
                          (r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", "a network resource"),
                          (r"@import|url\(\s*['\"]?(?:https?:)?//", "a network stylesheet or font"),
                          (r"injected-parameters|papermill", "the injected-parameters cell"),
                          (r"&lt;(?:figure|img|div|p|table|section)\b", "escaped markup shown as text")]:
        if re.search(pattern, html):
            problems.append(what)
    return problems

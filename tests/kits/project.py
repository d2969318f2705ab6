"""The small report project (the `mini` fixture) and what a shared report must never contain."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .paths import FIXTURES, ROOT

#: Environment variables that point perfeval at a temporary project.
ENV_NAMES = ("PERFEVAL_PROCESSED", "PERFEVAL_REPORTS", "PERFEVAL_PARAMS", "PERFEVAL_RAW")


def make_project(base: Path, raw: Path = FIXTURES / "mini") -> dict[str, Path]:
    """Copy params (rulesets, measures) into ``base``; return the folders of the project."""
    folders = {"raw": raw, "processed": base / "processed", "reports": base / "reports", "params": base / "params"}
    shutil.copytree(ROOT / "params" / "rulesets", folders["params"] / "rulesets")
    shutil.copytree(ROOT / "params" / "narrative", folders["params"] / "narrative")
    return folders




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

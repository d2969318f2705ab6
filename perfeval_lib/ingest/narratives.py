"""Analyst narratives: ``data/raw/<dataset>/narratives/<unit_code>/<year>.yaml`` read into a table.

What data cannot say (部门概况, 重点工作, 成效 …) comes from the analyst's own file per unit and year;
this module only reads and checks those files (the sentences are :mod:`perfeval_lib.narrate`).

Examples
--------
>>> import pathlib, tempfile
>>> raw = pathlib.Path(tempfile.mkdtemp())
>>> (raw / "demo/narratives/D001").mkdir(parents=True)
>>> _ = (raw / "demo/narratives/D001/2022.yaml").write_text("概况: 示例区教育局主管全区教育。\\n"
...                                                         "问题:\\n  - 项目支出进度偏慢。\\n", encoding="utf-8")
>>> narratives, issues = read_narratives(raw)
>>> analyst_text(narratives, "D001", 2022)
{'profile': ['示例区教育局主管全区教育。'], 'problems': ['项目支出进度偏慢。']}
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from ..core import config
from ..core.files import shown_path
from ..core.issues import Issue


#: The sections of the analyst's narrative file: YAML key → canonical name.
ANALYST_SECTIONS = {"概况": "profile", "部门概况": "profile", "重点工作": "key_work", "年度总体工作和重点工作任务": "key_work",
                    "绩效管理": "management", "部门整体绩效管理情况": "management", "成效": "achievements",
                    "主要工作成效": "achievements", "问题": "problems", "存在的主要问题": "problems",
                    "执行说明": "execution", "预算执行说明": "execution",
                    "措施": "measures", "下一步改进措施": "measures", "重点项目": "projects",
                    "重点任务项目支出": "projects", "绩效目标": "goals", "年度绩效目标": "goals"}


#: Where the analyst's narrative files are, below a raw-data folder.
NARRATIVE_GLOB = "**/narratives/*/*.yaml"


def read_narratives(raw: str | Path | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """Every ``narratives/<unit_code>/<year>.yaml`` below ``raw`` as rows.

    Keys may be Chinese (概况, 重点工作, 绩效管理, 成效, 问题, 措施, 重点项目, and the long titles of the
    report's chapters, :data:`ANALYST_SECTIONS`) or the canonical names; values are text or lists of
    paragraphs. The spaces YAML leaves where a folded Chinese line was broken are removed.

    Parameters
    ----------
    raw : str or pathlib.Path, optional
        The raw-data folder (default :func:`perfeval_lib.core.config.raw_dir`, ``data/raw``).

    Returns
    -------
    narratives : pandas.DataFrame
        ``unit_code``, ``year`` (int64), ``section`` (a canonical name), ``text`` (paragraphs joined
        by newlines), ``file`` (as shown in messages); one row per file and section.
    issues : list of perfeval_lib.core.issues.Issue
        A file name that is not a year, a file that is not valid UTF-8 YAML or not a mapping (errors,
        the file skipped), a key we do not know (a warning, the key skipped). Nothing is raised.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> (raw / "narratives/D001").mkdir(parents=True)
    >>> _ = (raw / "narratives/D001/2022.yaml").write_text("成效: 完成校舍改造 12 所。\\n心得: 无\\n", encoding="utf-8")
    >>> narratives, issues = read_narratives(raw)
    >>> narratives[["unit_code", "year", "section", "text"]].values.tolist(), [i.code for i in issues]
    ([['D001', 2022, 'achievements', '完成校舍改造 12 所。']], ['unknown_section'])
    """
    raw = Path(raw) if raw else config.raw_dir()
    rows, issues = [], []
    for path in sorted(raw.glob(NARRATIVE_GLOB)):
        unit_code, year_text = path.parent.name, path.stem
        shown = shown_path(path)
        if not year_text.isdigit():
            issues.append(Issue("error", "bad_value", "文件名应为年份，如 2022.yaml / the file name must be a year", shown))
            continue
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            issues.append(Issue("error", "unreadable_file", f"不是有效的 YAML（UTF-8）/ not valid YAML: {exc}", shown))
            continue
        if not isinstance(content, dict):
            issues.append(Issue("error", "bad_value", "内容应为“栏目: 文字”的映射 / expected a mapping of section: text", shown))
            continue
        for key, value in content.items():
            section = ANALYST_SECTIONS.get(str(key), str(key) if str(key) in ANALYST_SECTIONS.values() else None)
            if section is None:
                issues.append(Issue("warning", "unknown_section", f"未知栏目「{key}」，已忽略 / unknown section ignored",
                                    shown, column=str(key),
                                    expected="、".join(k for k in ANALYST_SECTIONS if len(k) <= 4)))
                continue
            paragraphs = value if isinstance(value, list) else [value]
            text = "\n".join(_join_cjk(str(p).strip()) for p in paragraphs if p is not None and str(p).strip())
            if text:
                rows.append({"unit_code": unit_code, "year": int(year_text), "section": section, "text": text,
                             "file": shown})
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "section", "text", "file"])
    return frame.astype({"year": "int64"}), issues


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def _join_cjk(text: str) -> str:
    """Drop the spaces YAML puts where a folded Chinese line was broken (Chinese has no word spaces).

    >>> _join_cjk("妇女全面发展。 机关设办公室")
    '妇女全面发展。机关设办公室'
    """
    return _SPACE_BETWEEN_CJK.sub("", text)


def analyst_text(narratives: pd.DataFrame, unit_code: str, year: int) -> dict[str, list[str]]:
    """The analyst's sections for one unit-year.

    Parameters
    ----------
    narratives : pandas.DataFrame or None
        The table of :func:`read_narratives`.
    unit_code : str
        The unit.
    year : int
        The evaluated year.

    Returns
    -------
    dict
        Section (``profile``, ``key_work`` …) → its non-empty paragraphs; empty when the analyst wrote
        nothing for the unit-year.

    Examples
    --------
    >>> narratives = pd.DataFrame({"unit_code": ["D001"], "year": [2022], "section": ["measures"],
    ...                            "text": ["加快项目支出进度。\\n\\n完善绩效目标。"], "file": ["2022.yaml"]})
    >>> analyst_text(narratives, "D001", 2022), analyst_text(narratives, "D001", 2023)
    ({'measures': ['加快项目支出进度。', '完善绩效目标。']}, {})
    """
    if narratives is None or narratives.empty:
        return {}
    rows = narratives[(narratives["unit_code"] == unit_code) & (narratives["year"] == year)]
    return {r.section: [p for p in r.text.split("\n") if p.strip()] for r in rows.itertuples()}

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

import os
import re
import stat
from pathlib import Path

import pandas as pd
import yaml

from ..core import config
from ..core.codes import SAFE_CODE_RULE, code_problem
from ..core.errors import InputError
from ..core.files import shown_path
from ..core.issues import Issue
from ..core.limits import limit, max_bytes
from ..core.safetext import printable, strip_controls
from .filecheck import link_issue


#: The sections of the analyst's narrative file: YAML key → canonical name.
ANALYST_SECTIONS = {"概况": "profile", "部门概况": "profile", "重点工作": "key_work", "年度总体工作和重点工作任务": "key_work",
                    "绩效管理": "management", "部门整体绩效管理情况": "management", "成效": "achievements",
                    "主要工作成效": "achievements", "问题": "problems", "存在的主要问题": "problems",
                    "执行说明": "execution", "预算执行说明": "execution",
                    "措施": "measures", "下一步改进措施": "measures", "重点项目": "projects",
                    "重点任务项目支出": "projects", "绩效目标": "goals", "年度绩效目标": "goals"}


#: Where the analyst's narrative files are, below a raw-data folder (the pattern; links and hidden folders
#: are handled by :func:`narrative_files`).
NARRATIVE_GLOB = "**/narratives/*/*.yaml"
#: Deepest nesting of a narrative file (a section: a list of paragraphs is depth 2).
MAX_YAML_DEPTH = 8


def dataset_of(relative: Path) -> str:
    """The dataset a raw file belongs to: the first folder below the raw folder (``''`` at its top).

    >>> dataset_of(Path("demo/narratives/D001/2022.yaml")), dataset_of(Path("narratives/D001/2022.yaml"))
    ('demo', '')
    >>> dataset_of(Path("demo/units.csv")), dataset_of(Path("units.csv"))
    ('demo', '')
    """
    parts = relative.parts
    if len(parts) < 2 or parts[0] == "narratives":
        return ""
    return parts[0]


def narrative_files(raw: Path) -> tuple[list[Path], list[Issue]]:
    """Every ``narratives/<unit_code>/<year>.yaml`` below ``raw`` that may be read, and why others may not.

    Links are never followed out of ``raw`` (an error naming the link and its target); a folder, a
    FIFO or a device where a narrative file should be is an error (read, a FIFO would hang the run);
    a narrative inside a hidden folder is not read (a warning: it must not replace the real one
    unnoticed).

    Parameters
    ----------
    raw : pathlib.Path
        The raw-data folder.

    Returns
    -------
    files : list of pathlib.Path
        Regular files (or links to regular files inside ``raw``), sorted.
    issues : list of perfeval_lib.core.issues.Issue
        One per entry refused.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> (raw / "demo/narratives/D001/2022.yaml").mkdir(parents=True)
    >>> files, issues = narrative_files(raw)
    >>> files, [i.code for i in issues]
    ([], ['not_a_file'])
    """
    raw = Path(raw)
    root = raw.resolve()
    files, issues = [], []
    for current, folders, _ in os.walk(raw, followlinks=False):
        here = Path(current)
        folders.sort()
        if here.name != "narratives":
            continue
        hidden = any(part.startswith(".") for part in here.relative_to(raw).parts)
        for unit in sorted(here.iterdir()):
            if unit.is_symlink() or not unit.is_dir():
                continue
            for entry in sorted(unit.iterdir()):
                if entry.suffix.lower() != ".yaml" or entry.name.startswith("."):
                    continue
                shown = shown_path(entry)
                if hidden:
                    issues.append(Issue("warning", "hidden_narrative", "隐藏文件夹中的分析说明未读取 / a narrative in a "
                                                                       "hidden folder was not read", shown,
                                        expected="放在 data/raw/<数据集>/narratives/ 下 / keep it in "
                                                 "data/raw/<dataset>/narratives/"))
                    continue
                if entry.is_symlink() and root not in entry.resolve().parents:
                    issues.append(link_issue(entry, entry.resolve(), "file", False))
                    continue
                try:
                    regular = stat.S_ISREG(entry.stat().st_mode)
                except OSError:
                    regular = False
                if not regular:
                    issues.append(Issue("error", "not_a_file", "不是普通文件（文件夹、管道或设备），未读取 / not a regular "
                                                               "file (a folder, a pipe or a device): not read", shown,
                                        expected="一个 UTF-8 YAML 文本文件 / a UTF-8 YAML text file"))
                    continue
                files.append(entry)
        folders[:] = []  # nothing below narratives/<unit>/ is a narrative
    return sorted(files), issues


def read_narratives(raw: str | Path | None = None, owners: dict[str, set[str]] | None = None
                    ) -> tuple[pd.DataFrame, list[Issue]]:
    """Every ``narratives/<unit_code>/<year>.yaml`` below ``raw`` as rows.

    Keys may be Chinese (概况, 重点工作, 绩效管理, 成效, 问题, 措施, 重点项目, and the long titles of the
    report's chapters, :data:`ANALYST_SECTIONS`) or the canonical names; values are text or lists of
    paragraphs. The spaces YAML leaves where a folded Chinese line was broken are removed.

    The files are data from the units, checked like any raw file: only regular files inside ``raw``
    (:func:`narrative_files`), at most ``PERFEVAL_MAX_INPUT_MB``, UTF-8 YAML without anchors or aliases
    (a few hundred bytes of aliases expand to gigabytes), nested at most :data:`MAX_YAML_DEPTH` deep
    and at most ``PERFEVAL_MAX_YAML_NODES`` nodes; a section at most ``PERFEVAL_MAX_CELL_CHARS``
    characters; control characters removed with a warning. Any failure is that file's (or that
    section's) message. A unit's narratives are taken from its own dataset folder only: with
    ``owners``, a file in another dataset is not read (a warning), and two files for one unit-year are
    an error.

    Parameters
    ----------
    raw : str or pathlib.Path, optional
        The raw-data folder (default :func:`perfeval_lib.core.config.raw_dir`, ``data/raw``).
    owners : dict, optional
        Unit code → the datasets (:func:`dataset_of`) its data comes from (:func:`unit_datasets`).

    Returns
    -------
    narratives : pandas.DataFrame
        ``unit_code``, ``year`` (int64), ``section`` (a canonical name), ``text`` (paragraphs joined
        by newlines), ``file`` (as shown in messages); one row per file and section.
    issues : list of perfeval_lib.core.issues.Issue
        A file name that is not a year, a folder that is not a safe unit code, a file that is not a
        regular file, too large, not valid UTF-8 YAML, a YAML bomb or not a mapping (errors, the file
        skipped), an overlong or malformed section (an error, the section skipped), a key we do not
        know or control characters removed (warnings). Nothing is raised.

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
    paths, issues = narrative_files(raw)
    rows: list[dict] = []
    taken: dict[tuple[str, int], str] = {}
    for path in paths:
        unit_code, year_text = path.parent.name, path.stem
        shown = shown_path(path)
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
            issues.append(Issue("error", "bad_value", "文件名应为年份，如 2022.yaml / the file name must be a year", shown))
            continue
        if code_problem(unit_code) is not None:
            issues.append(Issue("error", "unsafe_code", "文件夹名不是有效的单位编码 / the folder name is not a safe unit "
                                                        "code", shown, value=unit_code, expected=SAFE_CODE_RULE))
            continue
        dataset = dataset_of(path.relative_to(raw))
        if owners is not None and unit_code in owners and dataset not in owners[unit_code]:
            home = "、".join(sorted(d or "data/raw" for d in owners[unit_code]))
            issues.append(Issue("warning", "foreign_narrative",
                                f"单位 {unit_code} 的数据在数据集「{home}」中，这里的分析说明未读取 / the unit's data is in "
                                f"{home}: a narrative from another dataset was not read", shown, unit_code=unit_code,
                                year=int(year_text)))
            continue
        key = (unit_code, int(year_text))
        if key in taken:
            issues.append(Issue("error", "duplicate_narrative", f"同一单位年度有两个分析说明文件（另见 {taken[key]}），本文件未读取 "
                                                                f"/ two narratives for one unit-year (see {taken[key]}): "
                                                                "this one was not read", shown, unit_code=unit_code,
                                year=key[1]))
            continue
        try:
            content = _load_yaml(path, shown)
        except InputError as error:
            issues.append(Issue.from_error(error, "unreadable_file"))
            continue
        if not isinstance(content, dict):
            issues.append(Issue("error", "bad_value", "内容应为“栏目: 文字”的映射 / expected a mapping of section: text", shown))
            continue
        taken[key] = shown
        rows += _sections(content, unit_code, key[1], shown, issues)
    frame = pd.DataFrame(rows, columns=["unit_code", "year", "section", "text", "file"])
    return frame.astype({"year": "int64"}), issues


def unit_datasets(tables: dict, raw: str | Path) -> dict[str, set[str]]:
    """Unit code → the datasets (:func:`dataset_of`) its rows come from, for :func:`read_narratives`.

    The unit registry decides when it names the unit; otherwise every table that has rows for it.

    Parameters
    ----------
    tables : dict
        Table name → :class:`~perfeval_lib.ingest.tables.Loaded` (as :func:`perfeval_lib.ingest.folder.load_folder`
        returns them), with their provenance (``_file`` as shown in messages).
    raw : str or pathlib.Path
        The raw-data folder they were read from.

    Returns
    -------
    dict
        Unit code → set of dataset names (``''`` for files at the top of ``raw``).

    Examples
    --------
    >>> unit_datasets({}, "data/raw")
    {}
    """
    raw = Path(raw)
    where: dict[str, str] = {}
    for current, _, names in os.walk(raw, followlinks=False):
        for name in names:
            path = Path(current) / name
            where[shown_path(path)] = dataset_of(path.relative_to(raw))

    def datasets(loaded) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        if loaded is None or loaded.provenance is None or loaded.frame.empty:
            return found
        for code, file in zip(loaded.frame["unit_code"], loaded.provenance["_file"]):
            if file in where:
                found.setdefault(code, set()).add(where[file])
        return found

    registered = datasets(tables.get("units"))
    owners = {code: set(found) for code, found in registered.items()}
    for name, loaded in tables.items():
        if name == "units":
            continue
        for code, found in datasets(loaded).items():
            if code not in registered:
                owners.setdefault(code, set()).update(found)
    return owners


def _load_yaml(path: Path, shown: str):
    """A narrative file as YAML, refused before it can explode (size, aliases, depth, nodes)."""
    limit_bytes = max_bytes("PERFEVAL_MAX_INPUT_MB")
    with open(path, "rb") as handle:
        data = handle.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        raise InputError(shown, message=f"文件超过大小上限 {limit_bytes / 1024 / 1024:.0f} MB / the file is larger than "
                                        "the limit", expected="精简内容，或设置 PERFEVAL_MAX_INPUT_MB / shorten it, or raise "
                                                              "PERFEVAL_MAX_INPUT_MB")
    try:
        text = data.decode("utf-8-sig")
        _check_events(text, shown)
        return yaml.safe_load(text) or {}
    except UnicodeDecodeError as exc:
        raise InputError(shown, message=f"不是 UTF-8 文本 / not UTF-8 text: {exc.reason} at byte {exc.start}",
                         expected="UTF-8 编码的 YAML / YAML saved as UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, message=f"不是有效的 YAML（UTF-8）/ not valid YAML: {exc}",
                         expected="“栏目: 文字”的 YAML / YAML of section: text") from None


def _check_events(text: str, shown: str) -> None:
    """Walk the YAML events (no objects built): refuse anchors and aliases, deep nesting, too many nodes."""
    depth, nodes, cap = 0, 0, limit("PERFEVAL_MAX_YAML_NODES")
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError(shown, row=event.start_mark.line + 1,
                             message="分析说明中不能使用 YAML 锚点或别名（&、*）/ YAML anchors and aliases (&, *) are "
                                     "refused in a narrative (a few hundred bytes of them expand to gigabytes)",
                             expected="直接写出文字 / write the text out")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InputError(shown, row=event.start_mark.line + 1,
                                 message=f"嵌套超过 {MAX_YAML_DEPTH} 层 / nested more than {MAX_YAML_DEPTH} deep",
                                 expected="“栏目: 文字”或“栏目: [段落, …]” / section: text, or a list of paragraphs")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > cap:
                raise InputError(shown, row=event.start_mark.line + 1,
                                 message=f"YAML 节点超过 {cap} 个 / more than {cap} YAML nodes",
                                 expected="精简内容，或设置 PERFEVAL_MAX_YAML_NODES / shorten it, or raise "
                                          "PERFEVAL_MAX_YAML_NODES")


def _sections(content: dict, unit_code: str, year: int, shown: str, issues: list[Issue]) -> list[dict]:
    """The rows of one narrative file: known sections only, each checked (paragraphs, length, characters)."""
    rows, cap = [], limit("PERFEVAL_MAX_CELL_CHARS")
    for key, value in content.items():
        name = _plain(str(key))
        section = ANALYST_SECTIONS.get(name, name if name in ANALYST_SECTIONS.values() else None)
        if section is None:
            issues.append(Issue("warning", "unknown_section", f"未知栏目「{name[:40]}」，已忽略 / unknown section ignored",
                                shown, column=name[:40], expected="、".join(k for k in ANALYST_SECTIONS if len(k) <= 4)))
            continue
        paragraphs = value if isinstance(value, list) else [value]
        if any(isinstance(p, (list, dict)) for p in paragraphs):
            issues.append(Issue("error", "bad_value", "栏目应为文字或段落列表，已忽略 / a section must be text or a list of "
                                                      "paragraphs: ignored", shown, column=name,
                                expected="栏目: 文字，或 栏目: [段落, …] / section: text, or a list of paragraphs"))
            continue
        text = "\n".join(_join_cjk(str(p).strip()) for p in paragraphs if p is not None and str(p).strip())
        cleaned = strip_controls(text)
        if cleaned != text:
            issues.append(Issue("warning", "control_characters", "含有控制字符（如 ESC、BEL），已删除 / control characters "
                                                                 "(ESC, BEL …) were removed", shown, column=name,
                                value=printable(text[:60])))
        if len(cleaned) > cap:
            issues.append(Issue("error", "cell_too_long", f"栏目内容过长（{len(cleaned)} 个字符，上限 {cap}），已忽略 / the "
                                                          f"section holds {len(cleaned)} characters: ignored", shown,
                                column=name, value=cleaned[:40] + "…",
                                expected="精简内容，或设置 PERFEVAL_MAX_CELL_CHARS 提高上限 / shorten it, or raise "
                                         "PERFEVAL_MAX_CELL_CHARS"))
            continue
        if cleaned:
            rows.append({"unit_code": unit_code, "year": year, "section": section, "text": cleaned, "file": shown})
    return rows


def _plain(text: str) -> str:
    return strip_controls(text).strip()


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

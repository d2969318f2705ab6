"""The part of a form above its tables: unit information, goals, the year and the money unit.

A form names its unit and year in free layout: ``单位名称：XX`` in one cell, a label with its value
to the right, a row of labels over a row of values, the year in the title (``2022年度…自评表``). The
unit is its 单位编码 when the form has one, else the registry unit with the same 单位名称 — a code is
never invented.

Examples
--------
>>> from perfeval_lib.ingest.forms.grid import Grid
>>> grid = Grid.from_rows([["2022年度部门整体支出绩效自评表", "", ""],
...                        ["单位名称：示例区妇女联合会", "", "联系电话"], ["", "", "020-12345678"]])
>>> info, where, goals = scan_labels(grid, [0, 1, 2])
>>> info, find_year(grid, [0, 1, 2], info)
({'unit_name': '示例区妇女联合会', 'phone': '020-12345678'}, 2022)
"""
from __future__ import annotations

import re

import pandas as pd

from ...core.issues import Issue
from ...core.parse import clean_text, header_unit
from .blocks import BudgetBlock
from .grid import Grid, cell_name
from .words import GOAL_WORDS, INFO_WORDS, MONEY_STATEMENT, YEAR, any_label, normalise_label


def scan_labels(grid: Grid, rows: list[int]) -> tuple[dict, dict, dict]:
    """Label → value pairs of the unit information, and the goals' texts, with where each value sits.

    Parameters
    ----------
    grid : Grid
        The sheet.
    rows : list of int
        The rows to scan (above the indicator table, outside the budget block).

    Returns
    -------
    info : dict
        Key of :data:`~perfeval_lib.ingest.forms.words.INFO_WORDS` (``unit_name``, ``unit_code``,
        ``parent``, ``claimed_score`` …) → value as typed (``''`` for a label without a value); a
        ``money_unit`` other than 元/万元/亿元 is dropped.
    where : dict
        Key → (row, column) of its value, and ``<key>_label`` → (row, column) of its label.
    goals : dict
        ``target``, ``target_initial``, ``actual``, ``reason`` → the goals block's text.

    Examples
    --------
    >>> grid = Grid.from_rows([["单位编码", "单位名称"], ["D001", "示例区教育局"], ["年度总体目标", "完成全年任务。"]])
    >>> info, where, goals = scan_labels(grid, [0, 1, 2])
    >>> info, where["unit_code"], goals
    ({'unit_code': 'D001', 'unit_name': '示例区教育局'}, (1, 0), {'target': '完成全年任务。'})
    """
    info: dict[str, str] = {}
    where: dict[str, tuple[int, int]] = {}
    goals: dict[str, str] = {}
    row_set = set(rows)
    for r in rows:
        for c, text in grid.row_texts(r):
            one_cell = re.match(r"^([^:：]{1,16})[:：]\s*(.+)$", text, re.S)
            if one_cell and (normalise_label(one_cell.group(1)) in INFO_WORDS
                             or normalise_label(one_cell.group(1)) in GOAL_WORDS):
                typed = re.match(r"^[^:：]{1,16}[:：]\s*(.+)$", grid.prose(r, c), re.S)
                label, at = normalise_label(one_cell.group(1)), (r, c)
                value = (typed.group(1) if typed else one_cell.group(2)).strip()
            else:
                label = normalise_label(text)
                if label not in INFO_WORDS and label not in GOAL_WORDS:
                    continue
                value, at = _value_beside(grid, r, c, row_set)
            key = INFO_WORDS.get(label) or GOAL_WORDS.get(label)
            if label in GOAL_WORDS:
                if value and key not in goals:
                    goals[key] = value
                continue
            if key not in info or (not info[key] and value):
                info[key], where[key] = value or "", at if value else (r, c)
            where.setdefault(key + "_label", (r, c))
    if info.get("money_unit") not in (None, "", "万元", "元", "亿元"):
        info.pop("money_unit")
    return info, where, goals


def _value_beside(grid: Grid, r: int, c: int, rows: set[int]) -> tuple[str, tuple[int, int]]:
    """The value of a label cell: the next filled cell to the right unless that is another label
    (a row of labels over a row of values), else the cell below."""
    for cc in range(c + 1, grid.ncols):
        text = grid.text(r, cc)
        if text:
            if not any_label(text):
                return grid.prose(r, cc), (r, cc)
            break
    below = grid.text(r + 1, c)
    if r + 1 in rows and below and not any_label(below):
        return grid.prose(r + 1, c), (r + 1, c)
    return "", (r, c)


def find_year(grid: Grid, rows: list[int], info: dict) -> int | None:
    """The evaluated year: of the title (``2022年度…自评表``), else of a ``（2022年度）`` line, else of
    a 年度 cell.

    Parameters
    ----------
    grid : Grid
        The sheet.
    rows : list of int
        The rows above the tables.
    info : dict
        The unit information (:func:`scan_labels`), for its ``year``.

    Returns
    -------
    int or None

    Examples
    --------
    >>> find_year(Grid.from_rows([["部门整体支出绩效自评表"], ["（2023年度）"]]), [0, 1], {})
    2023
    >>> find_year(Grid.from_rows([["部门整体支出绩效自评表"]]), [0], {"year": "2021"})
    2021
    """
    texts = [t for r in rows for _, t in grid.row_texts(r)]
    titles = [t for t in texts if "自评" in t and len(t) <= 60]
    alone = [t for t in texts if re.fullmatch(r"[(（]?\s*(19|20)\d{2}\s*年度?\s*[)）]?", t)]
    for text in titles + alone:
        match = YEAR.search(text)
        if match:
            return int(match.group(1))
    match = re.search(r"(19|20)\d{2}", info.get("year") or "")
    return int(match.group(0)) if match else None


def money_unit(grid: Grid, budget: BudgetBlock, info: dict) -> str:
    """The unit the budget block's figures are in: 万元, 元 or 亿元.

    From the label header (``项目（万元）``), else a ``单位：万元`` line in the two rows above the
    block, else a 金额单位 cell, else 万元.

    Parameters
    ----------
    grid : Grid
        The sheet.
    budget : BudgetBlock
        The budget block.
    info : dict
        The unit information (:func:`scan_labels`), for its ``money_unit``.

    Returns
    -------
    str

    Examples
    --------
    >>> from perfeval_lib.ingest.forms.blocks import find_budget_block
    >>> grid = Grid.from_rows([["单位：元", "", ""], ["项目", "全年预算数", "全年执行数"], ["合计", 5198000, 5122200]])
    >>> money_unit(grid, find_budget_block(grid, 3), {})
    '元'
    """
    texts = [grid.text(budget.row, c) for c in budget.label_cols]
    texts += [t for r in range(max(0, budget.row - 2), budget.row) for _, t in grid.row_texts(r)]
    for text in texts:
        unit = header_unit(text)
        if unit is None and (match := MONEY_STATEMENT.search(clean_text(text))):
            unit = match.group(1)
        if unit:
            return unit
    return info.get("money_unit") or "万元"


def identify_unit(info: dict, where: dict, registry: pd.DataFrame | None, file: str, sheet: str
                  ) -> tuple[str | None, list[Issue]]:
    """The form's unit code: its 单位编码 cell, else the registry unit whose 单位名称 matches.

    A name matches with spaces removed, or without a code prefix (``D001-示例区教育局``); only a
    single match counts. A code is never invented.

    Parameters
    ----------
    info, where : dict
        The unit information and where it sits (:func:`scan_labels`).
    registry : pandas.DataFrame or None
        The canonical ``units`` table (``unit_code``, ``unit_name``).
    file, sheet : str
        For the issues.

    Returns
    -------
    unit_code : str or None
        None when the unit cannot be identified.
    issues : list of perfeval_lib.core.issues.Issue
        ``unit_name_mismatch`` (warning) when the form's code and name disagree with the registry;
        ``unknown_unit`` (error, naming the cell) when no code is found.

    Examples
    --------
    >>> registry = pd.DataFrame({"unit_code": ["D001"], "unit_name": ["示例区教育局"]})
    >>> identify_unit({"unit_name": "示例区 教育局"}, {}, registry, "form.xlsx", "自评表")
    ('D001', [])
    >>> code, issues = identify_unit({"unit_name": "示例区卫生健康局"}, {"unit_name": (2, 1)}, registry, "form.xlsx", "自评表")
    >>> code, issues[0].code, issues[0].row
    (None, 'unknown_unit', 3)
    """
    code = clean_text(info.get("unit_code"))
    name = clean_text(info.get("unit_name"))
    if code:
        issues = []
        if registry is not None and len(registry) and name:
            known = registry.loc[registry["unit_code"] == code, "unit_name"]
            if len(known) and clean_text(known.iloc[0]) != name:
                r, c = where.get("unit_name", (None, None))
                issues.append(Issue("warning", "unit_name_mismatch",
                                    f"单位名称与单位名册不一致：名册为「{known.iloc[0]}」/ the unit name differs from the "
                                    f"registry ({known.iloc[0]})", file, sheet, None if r is None else r + 1, "单位名称",
                                    name, unit_code=code))
        return code, issues
    if name and registry is not None and len(registry):
        names = registry["unit_name"].map(clean_text).str.replace(r"\s+", "", regex=True)
        wanted = {re.sub(r"\s+", "", name), re.sub(r"^[0-9A-Za-z]+[-－—_\s]+", "", name)}
        matches = registry.loc[names.isin(wanted).to_numpy(), "unit_code"].drop_duplicates()
        if len(matches) == 1:
            return str(matches.iloc[0]), []
    r, c = where.get("unit_name", where.get("unit_name_label", (None, None)))
    cell = f"（单元格 {cell_name(r, c)}）" if r is not None else ""
    cell_en = f" (cell {cell_name(r, c)})" if r is not None else ""
    if name:
        message = (f"无法识别单位：表中没有单位编码，单位名称「{name}」也不在单位名册中{cell} / cannot identify the unit: "
                   f"no 单位编码 cell and the name is not in the unit registry{cell_en}")
    else:
        message = "无法识别单位：表中既没有单位编码也没有单位名称 / cannot identify the unit: no 单位编码 and no 单位名称 cell"
    return None, [Issue("error", "unknown_unit", message, file, sheet, None if r is None else r + 1, "单位名称",
                        name or None, expected="在表中填写单位编码，或在单位名册（units.csv）中登记这个单位名称 / "
                                               "add a 单位编码 cell, or register this unit name in units.csv")]

"""The part of a form above its tables: unit information, goals, the year and the money unit.

A form names its unit and year in free layout: ``单位名称：XX`` in one cell, a label with its value
to the right, a row of labels over a row of values, the year in the title (``2022年度…自评表``). The
unit's name is the most specific label's (实施单位 / 项目单位 over 单位名称 / 预算单位 / 部门, and 主管部门
only when nothing else names it), its code the form's 单位编码 cell, else a code written before the name
(``219001-…``), else the registry's for that name, else a stable code derived from the name — each
choice said in a note. A form that does not state a thing leaves it empty, with a message.

Examples
--------
>>> from perfeval_lib.ingest.forms.grid import Grid
>>> grid = Grid.from_rows([["2022年度部门整体支出绩效自评表", "", ""],
...                        ["单位名称：示例区妇女联合会", "", "联系电话"], ["", "", "020-12345678"]])
>>> info, where, goals = scan_labels(grid, [0, 1, 2])
>>> info, find_year(grid, [0, 1, 2], info)
({'unit_name': '示例区妇女联合会', 'phone': '020-12345678'}, (2022, 'title'))
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pandas as pd

from ...core.issues import Issue
from ...core.names import name_key, to_simplified
from ...core.parse import MISSING_TOKENS, clean_text, header_unit
from .blocks import BudgetBlock
from .grid import Grid
from .words import GOAL_WORDS, INFO_WORDS, MONEY_STATEMENT, UNIT_LABEL_RANK, YEAR, any_label, instruction, \
    normalise_label


@dataclass(frozen=True)
class FormContext:
    """What the command line says about forms that do not say it themselves.

    Parameters
    ----------
    unit_name : str, optional
        ``--unit``: the unit's name, used where a form names none.
    year : int, optional
        ``--year``: used where neither the form, its sheet's name nor the file's name states one.
    file_name : str
        The file's name, searched for a year (``…2022年….xlsx``).
    placeholder_year : int, optional
        A year to key the rows of a form that states none, so that it can still be scored alone (the
        caller shows the year as empty); None: such a form is not loaded (an error says why).

    Examples
    --------
    >>> FormContext(year=2022).year
    2022
    """

    unit_name: str | None = None
    year: int | None = None
    file_name: str = ""
    placeholder_year: int | None = None


#: A code written before a name: ``219001-池州市贵池区棠溪镇人民政府``, ``51000021R000000019951-工资性支出``.
CODE_PREFIX = re.compile(r"^\s*([0-9][0-9A-Za-z]{1,29})\s*[-－—_]+\s*(\S.*)$")
_INLINE_CUT = re.compile(r"\s{2,}\S{1,8}[:：]|\s+(?:填报日期|填表日期|日期|联系人|联系电话)[:：]")


def split_code(text: str | None) -> tuple[str | None, str | None]:
    """A name with the code written before it, split: (code, name); (None, text) when there is none.

    >>> split_code("219001-池州市贵池区棠溪镇人民政府"), split_code("青神县发展和改革局")
    (('219001', '池州市贵池区棠溪镇人民政府'), (None, '青神县发展和改革局'))
    """
    if not text:
        return None, text or None
    match = CODE_PREFIX.match(text)
    return (match.group(1), match.group(2).strip()) if match else (None, text.strip())


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
        Key → (row, column) of its value, ``<key>_label`` → (row, column) of its label, ``<key>_typed``
        → the label as typed, and ``_conflicts`` → (key, value kept, other value, where) for a label
        given twice with different values (a value in its own cell wins over ``单位名称：X`` in one).
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
    inline: set[str] = set()
    row_set = set(rows)
    for r in rows:
        for c, text in grid.row_texts(r):
            one_cell = re.match(r"^([^:：]{1,16})[:：]\s*(.+)$", text, re.S)
            if one_cell and (normalise_label(one_cell.group(1)) in INFO_WORDS
                             or normalise_label(one_cell.group(1)) in GOAL_WORDS):
                typed = re.match(r"^[^:：]{1,16}[:：]\s*(.+)$", grid.prose(r, c), re.S)
                label, at = normalise_label(one_cell.group(1)), (r, c)
                value = (typed.group(1) if typed else one_cell.group(2)).strip()
                if label in INFO_WORDS:
                    value = _INLINE_CUT.split(value)[0].strip()  # 单位名称：X      填报日期：…
                from_cell = False
            else:
                label = normalise_label(text)
                if label not in INFO_WORDS and label not in GOAL_WORDS:
                    continue
                value, at = _value_beside(grid, r, c, row_set)
                from_cell = True
            if value and (instruction(value) or value.lower() in MISSING_TOKENS):
                value = ""  # a template prompt (…（100字以内）) or a dash is not a value
            key = INFO_WORDS.get(label) or GOAL_WORDS.get(label)
            if label in GOAL_WORDS:
                if value and key not in goals:
                    goals[key] = value
                continue
            better = key not in info or (not info[key] and value) or (key in inline and from_cell and value)
            if better:
                if key in info and info[key] and value and name_key(info[key]) != name_key(value):
                    where.setdefault("_conflicts", []).append((key, value, info[key], where[key]))
                info[key], where[key] = value or "", at if value else (r, c)
                where[key + "_label"] = (r, c)
                where[key + "_typed"] = re.sub(r"\s+", "", grid.prose(r, c) if from_cell else one_cell.group(1))
                inline.discard(key)
                if not from_cell:
                    inline.add(key)
            elif value and info.get(key) and name_key(info[key]) != name_key(value):
                where.setdefault("_conflicts", []).append((key, value, info[key], where[key]))
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


def find_year(grid: Grid, rows: list[int], info: dict, context: FormContext | None = None
              ) -> tuple[int | None, str | None]:
    """The evaluated year and where it was read: the title (``2022年度…自评表``, or a ``（2022年度）``
    line), else a 年度 cell, else the sheet's name, else the file's name, else ``--year``.

    Parameters
    ----------
    grid : Grid
        The sheet.
    rows : list of int
        The rows above the tables.
    info : dict
        The unit information (:func:`scan_labels`), for its ``year``.
    context : FormContext, optional
        The file's name and ``--year``.

    Returns
    -------
    year : int or None
        None when nothing states it.
    source : str or None
        ``'title'``, ``'cell'``, ``'sheet'``, ``'file'`` or ``'option'``.

    Examples
    --------
    >>> find_year(Grid.from_rows([["部门整体支出绩效自评表"], ["（2023年度）"]]), [0, 1], {})
    (2023, 'title')
    >>> find_year(Grid.from_rows([["部门整体支出绩效自评表"]]), [0], {"year": "2021"})
    (2021, 'cell')
    >>> find_year(Grid.from_rows([["自评表"]]), [0], {}, FormContext(file_name="塘湖镇2020年自评表.xlsx", year=2019))
    (2020, 'file')
    """
    texts = [t for r in rows for _, t in grid.row_texts(r)]
    titles = [t for t in texts if "自评" in to_simplified(t) and len(t) <= 60]
    alone = [t for t in texts if re.fullmatch(r"[(（]?\s*(19|20)\d{2}\s*年度?\s*[)）]?", t)]
    for text in titles + alone:
        match = YEAR.search(text)
        if match:
            return int(match.group(1)), "title"
    match = re.search(r"(19|20)\d{2}", info.get("year") or "")
    if match:
        return int(match.group(0)), "cell"
    context = context or FormContext()
    for source, text in (("sheet", grid.name), ("file", context.file_name)):
        match = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text or "")
        if match:
            return int(match.group(1)), source
    return (context.year, "option") if context.year else (None, None)


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


def derived_code(name: str) -> str:
    """A stable unit code made from a unit's name (the same name, however written, gives the same code).

    >>> derived_code("塘湖镇人民政府") == derived_code("塘湖镇 人民政府"), derived_code("塘湖镇人民政府")[:2]
    (True, 'N-')
    """
    return "N-" + hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:10].upper()


def unit_name_of(info: dict, where: dict) -> tuple[str | None, str | None]:
    """The unit's name and the label it was read from: the most specific label that has a value
    (:data:`~perfeval_lib.ingest.forms.words.UNIT_LABEL_RANK`: 实施单位/项目单位, then 单位名称/预算单位/部门,
    then 主管部门).

    >>> unit_name_of({"parent": "某区财政局", "unit_impl": "某区档案馆"}, {"unit_impl_typed": "实施单位"})
    ('某区档案馆', '实施单位')
    """
    for key in UNIT_LABEL_RANK:
        value = clean_text(info.get(key))
        if value:
            return value, where.get(key + "_typed") or key
    return None, None


def identify_unit(info: dict, where: dict, registry: pd.DataFrame | None, file: str, sheet: str,
                  context: FormContext | None = None) -> tuple[str, str | None, list[Issue]]:
    """The form's unit: its code and name, and notes saying where each came from.

    The name is the most specific label's (:func:`unit_name_of`), without a code written before it;
    ``--unit`` gives it where the form names none. The code is, in order: the form's 单位编码 cell; the
    code written before the name (``219001-…``); the registry unit whose name matches (after
    :func:`~perfeval_lib.core.names.name_key`, one match only); a stable code derived from the name
    (:func:`derived_code`); for a form that names no unit at all, one derived from the file and sheet.

    Parameters
    ----------
    info, where : dict
        The unit information and where it sits (:func:`scan_labels`).
    registry : pandas.DataFrame or None
        The canonical ``units`` table (``unit_code``, ``unit_name``).
    file, sheet : str
        For the issues.
    context : FormContext, optional
        ``--unit``.

    Returns
    -------
    unit_code : str
    unit_name : str or None
        None when neither the form nor ``--unit`` names the unit.
    issues : list of perfeval_lib.core.issues.Issue
        Notes (``info``) saying which label named the unit and where its code came from;
        ``unit_name_mismatch`` (warning) when the form's code and name disagree with the registry, or
        the form names its unit twice differently; ``no_unit_name`` (warning) when nothing names it.

    Examples
    --------
    >>> registry = pd.DataFrame({"unit_code": ["D001"], "unit_name": ["示例区教育局"]})
    >>> identify_unit({"unit_name": "示例区 教育局"}, {}, registry, "form.xlsx", "自评表")[:2]
    ('D001', '示例区 教育局')
    >>> code, name, issues = identify_unit({"unit_impl": "219001-示例镇人民政府"}, {"unit_impl_typed": "实施单位"},
    ...                                    None, "form.xlsx", "自评表")
    >>> code, name, [i.code for i in issues]
    ('219001', '示例镇人民政府', ['unit_name_source', 'unit_code_source'])
    """
    context = context or FormContext()
    issues: list[Issue] = []
    typed_name, label = unit_name_of(info, where)
    prefix_code, name = split_code(typed_name)
    key = next((k for k in ("unit_impl", "unit_name", "parent") if clean_text(info.get(k)) == typed_name), "unit_name")
    r, c = where.get(key, where.get(key + "_label", (None, None)))
    row = None if r is None else r + 1

    def note(code: str, message: str) -> None:
        issues.append(Issue("info", code, message, file, sheet, row, label or "单位名称", typed_name))

    for conflict_key, kept, other, at in where.get("_conflicts", []):
        if conflict_key in ("unit_impl", "unit_name"):
            issues.append(Issue("warning", "unit_name_mismatch",
                                f"表中两处单位名称不一致：采用「{kept}」，另一处为「{other}」/ the form names the unit "
                                f"twice differently: {kept!r} is used", file, sheet, at[0] + 1, "单位名称", other))
    if name:
        note("unit_name_source", f"单位名称取自「{label}」/ unit name from the {label} label")
    elif context.unit_name:
        name = clean_text(context.unit_name)
        issues.append(Issue("info", "unit_name_source", "表中没有单位名称，取自 --unit / the form names no unit: "
                                                        "the name given with --unit is used", file, sheet))
    code = clean_text(info.get("unit_code"))
    if code:
        if registry is not None and len(registry) and name:
            known = registry.loc[registry["unit_code"] == code, "unit_name"]
            if len(known) and name_key(known.iloc[0]) != name_key(name):
                issues.append(Issue("warning", "unit_name_mismatch",
                                    f"单位名称与单位名册不一致：名册为「{known.iloc[0]}」/ the unit name differs from the "
                                    f"registry ({known.iloc[0]})", file, sheet, row, "单位名称", name, unit_code=code))
        return code, name, issues
    if prefix_code:
        note("unit_code_source", f"单位编码取自单位名称前的编号 {prefix_code} / unit code written before the name")
        return prefix_code, name, issues
    if name and registry is not None and len(registry):
        names = registry["unit_name"].map(name_key)
        matches = registry.loc[names.eq(name_key(name)).to_numpy(), "unit_code"].drop_duplicates()
        if len(matches) == 1:
            return str(matches.iloc[0]), name, issues
    if name:
        code = derived_code(name)
        note("unit_code_source", f"表中没有单位编码，单位名册中也没有这个单位：编码 {code} 由单位名称生成 / no unit code: "
                                 f"{code} is derived from the unit name")
        return code, name, issues
    code = "F-" + hashlib.sha1(f"{file}|{sheet}".encode("utf-8")).hexdigest()[:10].upper()
    issues.append(Issue("warning", "no_unit_name",
                        f"表中没有单位名称（单位名称、实施单位、预算单位、主管部门…）：单位名称留空，编码 {code} 由文件名生成 / "
                        f"the form names no unit: the name stays empty, the code {code} is derived from the file",
                        file, sheet, None, "单位名称", None,
                        expected="在表中填写单位名称，或用 --unit 指定 / add the unit name, or give --unit"))
    return code, None, issues

"""The official 自评表 workbook: read the finance bureau's layout into canonical tables, and write it back.

Finance offices keep the 部门整体支出绩效自评表 as an Excel workbook in the layout their finance
bureau issued: a title, a unit-information block, the 预算执行情况 block, the goals block and the
indicator table with a two-row merged header, merged 一级/二级 cells and a 总分 row. This module

* finds those blocks wherever they sit (other column order, blank rows and columns, several sheets,
  other header wording — the header aliases of :mod:`perfeval_lib.core.schema` plus the words below);
* turns them into the canonical ``units``, ``budget``, ``indicators`` and ``claims`` tables through the
  same parsing and validation as a CSV file (:func:`perfeval_lib.ingest.tables.sheet_to_frame` and
  :func:`perfeval_lib.ingest.tables.finish_table`), so a form and its CSV twin load to the same rows;
* writes a unit-year back in the same layout, with the recomputed score (复核得分) beside the claimed one.

Layouts (:data:`LAYOUTS`): ``guangzhou`` (部门整体支出绩效自评表: 投入/过程/产出/效果 or 产出/效益/满意度),
``chongqing`` (部门整体绩效自评表 with 得分系数 and 是否核心指标) and ``mof10`` (财预〔2020〕10号: 预算执行率 10
in the budget block + 绩效指标 90).

Examples
--------
>>> from perfeval_lib.core import config
>>> from perfeval_lib.ingest import forms
>>> forms.detect_layout(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx") is None  # a plain table
True
>>> sorted(forms.LAYOUTS)
['chongqing', 'guangzhou', 'mof10']
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import config
from . import tables as pio
from ..core.errors import InputError, PerfevalError
from ..core.issues import Issue
from ..core.parse import MISSING_TOKENS, clean_text, header_unit, parse_percent
from ..core.errors import ValueParseError
from ..core.schema import INDICATOR_COLUMNS, INPUT_TABLES, TABLES, normalise_header

#: File types that may hold an official form (openpyxl reads them with their number formats).
FORM_SUFFIXES = {".xlsx", ".xlsm"}
#: Rows of each sheet :func:`detect_layout` looks at.
SCAN_ROWS = 80
#: A workbook whose every sheet is longer than this is a plain table, not a form (checked from the
#: sheets' ``<dimension>`` before any sheet is parsed, so a 20,000-row table costs no detection time).
MAX_FORM_ROWS = 3000
#: The indicator row made from the budget block's 预算执行率 (分值 / 执行率 / 得分) cells.
RATE_INDICATOR = "预算执行率"
RATE_TARGET = "100%"
#: ``claims.source`` of a claimed total read from a form: the indicator table's total row, so a
#: separate claims file for the same unit-year wins, as it does over a CSV indicator table's 合计 row.
CLAIM_SOURCE = "指标表合计行"
#: ``FormData.reviewed`` holds the recomputed total under this indicator name.
TOTAL_KEY = "总分"
EXTRAS_COLUMNS = ["unit_code", "year", "indicator", "core", "coefficient", "target_initial"]
REVIEWED_COLUMNS = ["unit_code", "year", "indicator", "score"]
MONEY = ("budget_initial", "budget_final", "executed")




@dataclass(frozen=True)
class Layout:
    """One official layout: its name, title and what it holds beyond the common blocks."""

    name: str
    title: str
    description: str
    budget_scored: bool  # the 预算执行率 分值/执行率/得分 cells sit in the budget block


LAYOUTS = {
    "guangzhou": Layout("guangzhou", "{year}年度部门整体支出绩效自评表",
                        "广州式部门整体支出绩效自评表：单位信息、预算执行情况（按资金来源）、年度绩效目标、"
                        "一级/二级/三级指标表（指标性质、计量单位）与总分、自评等级", budget_scored=False),
    "chongqing": Layout("chongqing", "{year}年度部门整体绩效自评表",
                        "重庆式部门整体绩效自评表：自评总分在表头，预算执行率（执行率权重、执行率得分），"
                        "年初/全年（调整）绩效目标，指标表含年初/调整指标值、得分系数、是否核心指标", budget_scored=True),
    "mof10": Layout("mof10", "部门整体支出绩效自评表",
                    "财预〔2020〕10号附件式自评表：项目资金（预算执行率10分）、年度总体目标、"
                    "绩效指标（产出50、效益30、满意度10）与总分", budget_scored=True),
}


# ---------------------------------------------------------------------------------------------
# Words: headers, labels and row names real forms use
# ---------------------------------------------------------------------------------------------

_BRACKET_TAIL = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]$")


def _norm(text: object) -> str:
    """Header or label text reduced for matching: :func:`schema.normalise_header`, then without a
    trailing colon or bracketed note (``全年预算数(A)``, ``指标权重（分）``, ``填报单位（盖章）：``)."""
    norm = normalise_header(text).rstrip(":：")
    previous = None
    while norm != previous:
        previous = norm
        norm = _BRACKET_TAIL.sub("", norm).rstrip(":：")
    return norm


def _lookup(words: dict[str, str]) -> dict[str, str]:
    return {_norm(word): key for word, key in words.items()}


#: Indicator-table headers beyond the schema's aliases (keys outside the canonical columns are extras).
_INDICATOR_WORDS = _lookup({
    "指标权重": "weight", "指标分值": "weight", "标准分": "weight", "指标得分": "claimed_score", "评价得分": "claimed_score",
    "得分系数": "coefficient", "完成系数": "coefficient", "是否核心指标": "core", "核心指标": "core",
    "复核得分": "reviewed", "复核分": "reviewed", "年初指标值": "target_initial", "调整指标值": "target",
    "全年(调整)指标值": "target", "调整后指标值": "target", "全年指标值": "target",
    "偏差原因分析及改进措施": "note", "偏差原因及改进措施": "note",
})
#: A section label of the 10号 form that is also an alias of 三级指标: used only when nothing better maps.
_WEAK_HEADERS = {"绩效指标"}
#: Budget-block headers beyond the schema's money aliases.
_BUDGET_WORDS = _lookup({
    "执行率": "rate", "预算执行率": "rate", "资金执行率": "rate", "全年执行率": "rate",
    "分值": "weight", "执行率权重": "weight", "执行率分值": "weight", "权重": "weight",
    "得分": "score", "执行率得分": "score", "自评得分": "score", "复核得分": "reviewed",
})
_BUDGET_ROW_TOTAL = {"年度资金总额", "资金总额", "合计", "总计", "年度支出总额", "支出总额", "总额", "部门整体支出",
                     "年度部门整体支出", "预算支出合计", "年度部门整体支出规模"}
_BUDGET_ROW_SOURCE = {"财政拨款": "财政拨款", "本年财政拨款": "财政拨款", "财政拨款资金": "财政拨款", "当年财政拨款": "财政拨款",
                      "财政资金": "财政拨款", "上年结转": "上年结转资金", "上年结转资金": "上年结转资金",
                      "其他资金": "其他资金", "其他来源资金": "其他资金"}
_BUDGET_ROW_CATEGORY = {"基本支出", "项目支出", "人员经费", "公用经费"}

_INFO_WORDS = _lookup({
    "单位名称": "unit_name", "部门名称": "unit_name", "部门(单位)名称": "unit_name", "单位(部门)名称": "unit_name",
    "预算单位": "unit_name", "实施单位": "unit_name", "填报单位": "unit_name", "单位全称": "unit_name",
    "单位编码": "unit_code", "单位代码": "unit_code", "部门编码": "unit_code", "部门代码": "unit_code",
    "预算编码": "unit_code", "预算单位编码": "unit_code", "单位编号": "unit_code",
    "主管部门": "parent", "主管单位": "parent", "上级主管部门": "parent",
    "联系人": "contact", "部门联系人": "contact", "填报人": "contact", "经办人": "contact",
    "联系电话": "phone", "电话": "phone", "财政处室": "office", "业务处室": "office",
    "自评总分": "claimed_score", "自评得分": "claimed_score", "自评等级": "claimed_grade", "评价等级": "claimed_grade",
    "项目名称": "project", "年度": "year", "评价年度": "year", "预算年度": "year", "金额单位": "money_unit",
    # written by perfeval beside the claims: labels, so they are never read as a claim's value
    "复核总分": "reviewed_total", "复核得分": "reviewed", "复核等级": "reviewed_grade",
})
_GOAL_WORDS = _lookup({
    "年度总体目标": "target", "年度绩效目标": "target", "预期目标": "target", "年度目标": "target", "总体目标": "target",
    "年度整体绩效目标": "target", "整体绩效目标": "target", "全年(调整)绩效目标": "target", "全年绩效目标": "target",
    "年度主要任务": "target", "年初绩效目标": "target_initial",
    "实际完成情况": "actual", "全年目标实际完成情况": "actual", "年度总体目标完成情况": "actual",
    "整体绩效目标完成情况": "actual", "目标完成情况": "actual", "全年实际完成情况": "actual", "实际完成": "actual",
    "未完成原因": "reason", "未能完成原因": "reason", "未完成原因分析": "reason", "目标未完成原因": "reason",
    "偏差原因": "reason",
})
_TOTAL_ROW = {_norm(w) for w in ("总分", "合计", "总计", "得分合计", "合计得分", "总得分", "自评总分", "综合得分")}
_SUBTOTAL_ROW = {"小计"}
_STOP_PREFIXES = ("注", "说明", "备注", "填表", "填报", "审核", "单位负责人", "负责人", "联系人", "自评等级", "评价等级",
                  "复核等级")
_GRADE_WORDS = {"优秀": "优", "良好": "良"}
_LEVEL_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]\s*")
_LEVEL_POINTS = re.compile(r"\s*[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
_PLACEHOLDERS = {"……", "…", "...", "......", "指标"} | MISSING_TOKENS
_MONEY_STATEMENT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
#: A formula that is only a constant: what Excel makes of a typed ``=100%`` (read as the text typed).
_CONSTANT_FORMULA = re.compile(r"^=\s*[+-]?\d[\d,]*(\.\d+)?\s*%?$")
_NUMERIC = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def _valueish(text: str) -> bool:
    """A cell of the budget block holding a figure (or a dash for none), not words."""
    text = text.replace(" ", "")
    return bool(text) and (text.lower() in MISSING_TOKENS or bool(_NUMERIC.match(re.sub(r"(万元|亿元|元)$", "", text))))


def _indicator_key(text: object) -> str | None:
    norm = _norm(text)
    if not norm:
        return None
    return _INDICATOR_WORDS.get(norm) or TABLES["indicators"].column_for_header(norm)


def _budget_key(text: object) -> str | None:
    norm = _norm(text)
    if not norm:
        return None
    if norm in _BUDGET_WORDS:
        return _BUDGET_WORDS[norm]
    key = TABLES["budget"].column_for_header(norm)
    return key if key in (*MONEY, "note") else None


def _any_label(text: str) -> bool:
    norm = _norm(text)
    return bool(norm) and (norm in _INFO_WORDS or norm in _GOAL_WORDS or _budget_key(norm) is not None
                           or _indicator_key(norm) is not None)


def _percent_text(value: float) -> str:
    """A fraction written as the percent text a form shows: 0.9503 → ``'95.03%'``.

    >>> _percent_text(0.9503), _percent_text(1.0), _percent_text(-0.021)
    ('95.03%', '100%', '-2.1%')
    """
    text = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    return ("0" if text in ("", "-0") else text) + "%"


# ---------------------------------------------------------------------------------------------
# A sheet as a grid of cells (from openpyxl with formats and merges, or from calamine values)
# ---------------------------------------------------------------------------------------------

class _Grid:
    """Cell values of one sheet, 0-based; merged cells hold their value in the top-left cell only."""

    def __init__(self, values: list[list], percent: set[tuple[int, int]] | None = None,
                 merged: list[tuple[int, int, int, int]] | None = None, name: str = ""):
        self.values = values
        self.nrows = len(values)
        self.ncols = max((len(row) for row in values), default=0)
        self.percent = percent or set()
        self.merged = merged or []
        self.name = name

    @classmethod
    def from_openpyxl(cls, sheet, cached=None) -> "_Grid":
        """From a sheet loaded with its formulas; ``cached`` is the same sheet loaded with
        ``data_only=True`` (the values Excel saved), needed only when a cell holds a real formula."""
        # sheet._cells holds only the cells present in the file; iterating the public API would
        # create every empty cell up to the used range.
        present = []
        for (r, c), cell in sheet._cells.items():
            value = cell.value
            if cell.data_type == "f":
                text = str(value) if isinstance(value, str) else ""
                if not _CONSTANT_FORMULA.match(text):
                    value = cached.cell(row=r, column=c).value if cached is not None else None
            if value is not None and value != "":
                present.append((r, c, value, cell.number_format))
        nrows = max((r for r, *_ in present), default=0)
        ncols = max((c for _, c, *_ in present), default=0)
        values = [[None] * ncols for _ in range(nrows)]
        percent = set()
        for r, c, value, number_format in present:
            values[r - 1][c - 1] = value
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (number_format or ""):
                percent.add((r - 1, c - 1))
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        return cls(values, percent, merged, sheet.title)

    @classmethod
    def from_rows(cls, rows: list[list], name: str = "") -> "_Grid":
        return cls([[None if v == "" else v for v in row] for row in rows], name=name)

    def value(self, r: int, c: int):
        if 0 <= r < self.nrows and 0 <= c < len(self.values[r]):
            return self.values[r][c]
        return None

    def text(self, r: int, c: int) -> str:
        """The cell as text: a percent-formatted number as ``'95.5%'``, True/False as 是/否."""
        value = self.value(r, c)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if (r, c) in self.percent:
            return _percent_text(float(value))
        return clean_text(value)

    def prose(self, r: int, c: int) -> str:
        """A free-text cell as typed (no NFKC folding: full-width punctuation stays)."""
        value = self.value(r, c)
        return value.strip() if isinstance(value, str) else self.text(r, c)

    def row_texts(self, r: int) -> list[tuple[int, str]]:
        return [(c, t) for c in range(self.ncols) if (t := self.text(r, c))]

    def blank(self, r: int) -> bool:
        return not self.row_texts(r)

    def fill(self, rows: range, level_cols: set[int], down_cols: set[int]) -> None:
        """Copy each merged value into the merged cells: across and down within the 一级/二级/三级
        columns (a name merged over them belongs to each), down only in ``down_cols``."""
        for r1, c1, r2, c2 in self.merged:
            if r2 < rows.start or r1 >= rows.stop:
                continue
            value = self.value(r1, c1)
            if value is None:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) == (r1, c1) or r >= self.nrows or c >= len(self.values[r]):
                        continue
                    if (c1 in level_cols and c in level_cols) or (c == c1 and c in down_cols):
                        self.values[r][c] = value
                        if (r1, c1) in self.percent:
                            self.percent.add((r, c))


def _cell_name(r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(c + 1)}{r + 1}"


# ---------------------------------------------------------------------------------------------
# Finding the blocks
# ---------------------------------------------------------------------------------------------

@dataclass
class _Header:
    """The indicator table's header: its rows and which column holds what."""

    row: int
    two_row: bool
    columns: dict[str, tuple[int, str]]  # key → (column, header text)
    issues: list[Issue] = field(default_factory=list)

    @property
    def body_start(self) -> int:
        return self.row + (2 if self.two_row else 1)

    @property
    def tidy(self) -> bool:
        return "unit_code" in self.columns or "year" in self.columns


@dataclass
class _Budget:
    row: int
    columns: dict[str, tuple[int, str]]
    label_cols: list[int]
    rows: list[int]
    end: int


@dataclass
class _Spot:
    layout: str
    header: _Header
    budget: _Budget | None


def _second_header_row(grid: _Grid, r: int) -> bool:
    texts = grid.row_texts(r)
    if not texts or any(_NUMERIC.match(t.replace(" ", "")) for _, t in texts):
        return False
    return any(_indicator_key(t) for _, t in texts)


def _find_header(grid: _Grid, limit: int | None = None) -> _Header | None:
    """The indicator header: the row (with the row below when that is a second header row) mapping
    the most indicator columns, at least 三级指标, 分值 and two more."""
    best = None
    for r in range(min(limit or grid.nrows, grid.nrows)):
        own = {_indicator_key(t) for _, t in grid.row_texts(r)} - {None}
        if len(own - {"unit_code", "year"}) < 2:
            continue
        two_row = _second_header_row(grid, r + 1)
        found: dict[str, list[tuple[int, str]]] = {}
        for c in range(grid.ncols):
            top, bottom = grid.prose(r, c), grid.prose(r + 1, c) if two_row else ""
            for text in (bottom, top, top + bottom if top and bottom else ""):
                key = _indicator_key(text) if text else None
                if key:
                    found.setdefault(key, []).append((c, text))  # the header as typed, for messages
                    break
        if {"level3", "weight"} <= set(found) and len(found) >= 4 and (best is None or len(found) > len(best[1])):
            best = (r, found, two_row)
    if best is None:
        return None
    r, found, two_row = best
    columns, issues = {}, []
    for key, candidates in found.items():
        strong = [x for x in candidates if _norm(x[1]) not in _WEAK_HEADERS] or candidates
        columns[key] = strong[0]
        for c, text in strong[1:]:
            issues.append(Issue("error", "duplicate_column",
                                f"列重复：「{strong[0][1]}」与「{text}」都表示 {key} / two columns mean {key}",
                                None, grid.name, r + 1, text, expected="每个字段只出现一列 / each field in one column only"))
    return _Header(r, two_row, columns, issues)


def _budget_label(grid: _Grid, r: int, label_cols: list[int]) -> str:
    return "".join(grid.text(r, c) for c in label_cols).replace("\n", "")


def _budget_row_kind(label: str) -> tuple[str, str | None] | None:
    norm = _norm(label)
    norm = re.sub(r"^(其中|包括)[:：,，、]?", "", norm)
    norm = re.sub(r"^([(（]?[一二三四五六七八九十\d]+[)）、.．]|[-—])", "", norm).strip(":：")
    if norm in _BUDGET_ROW_TOTAL:
        return "total", None
    if norm in _BUDGET_ROW_SOURCE:
        return "source", _BUDGET_ROW_SOURCE[norm]
    if norm in _BUDGET_ROW_CATEGORY:
        return "category", norm
    return None


def _find_budget(grid: _Grid, limit: int) -> _Budget | None:
    """The 预算执行情况 block above the indicator table: a header with two money columns, then its rows."""
    for r in range(min(limit, grid.nrows)):
        columns: dict[str, tuple[int, str]] = {}
        for c, text in grid.row_texts(r):
            key = _budget_key(text)
            if key and key not in columns:
                columns[key] = (c, grid.prose(r, c))
        money = [k for k in MONEY if k in columns]
        if len(money) < 2 or not {"budget_final", "executed"} & set(money):
            continue
        first = min(columns[k][0] for k in money)
        label_cols = list(range(first))
        value_cols = [c for k, (c, _) in columns.items() if k in (*MONEY, "rate", "weight", "score")]
        rows, end, row = [], r + 1, r + 1
        while row < limit:
            if grid.blank(row):
                row += 1
                continue
            label = _budget_label(grid, row, label_cols)
            has_values = any(_valueish(grid.text(row, c)) for c in value_cols)
            kind = _budget_row_kind(label) if label else None
            if (label and kind is None and not has_values) or (not label and not has_values):
                break
            rows.append(row)
            row += 1
            end = row
        return _Budget(r, columns, label_cols, rows, end)
    return None


def _locate(grid: _Grid, limit: int | None = None) -> _Spot | None:
    """Where the blocks of a form sit on a sheet, and its layout; None when the sheet is no form."""
    header = _find_header(grid, limit)
    if header is None or header.tidy:
        return None
    budget = _find_budget(grid, header.row)
    above = [t for r in range(header.row) for _, t in grid.row_texts(r)]
    titled = any("自评" in t or "绩效" in t for t in above)
    labelled = any(_norm(t) in _INFO_WORDS for t in above)
    if not (titled or labelled or budget):
        return None
    if {"coefficient", "core"} & set(header.columns) or "target_initial" in header.columns:
        layout = "chongqing"
    elif budget is not None and "weight" in budget.columns:
        layout = "mof10"
    else:
        layout = "guangzhou"
    return _Spot(layout, header, budget)


def _only_long_sheets(path: Path) -> bool:
    """True when every worksheet says (in its ``<dimension ref="A1:L20001"/>``) it has more than
    :data:`MAX_FORM_ROWS` rows. Reads only the first bytes of each sheet's XML."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in sheets:
            with archive.open(name) as handle:
                head = handle.read(4096).decode("utf-8", "ignore")
            match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
            if match is None or int(match.group(1)) <= MAX_FORM_ROWS:
                return False
    return bool(sheets)


def detect_layout(path: str | Path) -> str | None:
    """The layout of an official 自评表 workbook, or None for anything else (a plain table, a CSV).

    Looks at the first :data:`SCAN_ROWS` rows of every sheet (read with calamine, fast): a sheet is a
    form when it holds an indicator table header without 单位编码/年度 columns (a plain table has them)
    under a title, a unit-information block or a budget block. The layout is ``chongqing`` when the
    indicator table has 得分系数 / 是否核心指标 / 年初指标值, ``mof10`` when the budget block has a 分值
    column (预算执行率 10 分), else ``guangzhou``.

    Parameters
    ----------
    path : an .xlsx or .xlsm file.

    Returns
    -------
    str or None
        A key of :data:`LAYOUTS`, or None (also for unreadable files: the table reader reports those).

    Examples
    --------
    >>> detect_layout(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx") is None
    True
    >>> detect_layout("自评表.xlsx")                                    # doctest: +SKIP
    'mof10'
    """
    path = Path(path)
    if path.suffix.lower() not in FORM_SUFFIXES or not path.is_file():
        return None
    try:
        if _only_long_sheets(path):
            return None
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        try:
            for name in book.sheet_names:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=SCAN_ROWS)
                spot = _locate(_Grid.from_rows(rows, name))
                if spot is not None:
                    return spot.layout
        finally:
            book.close()
    except Exception:  # a corrupt workbook is not a form; io.read_table reports it as unreadable
        return None
    return None


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

@dataclass
class FormData:
    """What an official form holds, as canonical tables plus the form's own parts.

    ``units``, ``budget``, ``indicators`` and ``claims`` have exactly the columns of
    :func:`perfeval_lib.ingest.tables.canonical_columns` (``indicators``: :data:`schema.INDICATOR_COLUMNS`).
    ``extras`` holds, per indicator row, what only some layouts have: ``core`` (是否核心指标, True/False),
    ``coefficient`` (得分系数, a fraction) and ``target_initial`` (年初指标值 when an adjusted target
    replaced it). ``reviewed`` holds a 复核得分 column found on the form (one written by perfeval) —
    never mixed into the claims; the recomputed total has indicator :data:`TOTAL_KEY`. ``goals`` maps
    ``target`` / ``target_initial`` / ``actual`` / ``reason`` to the goals block's text, ``info`` the
    unit-information labels to their values.
    """

    layout: str
    units: pd.DataFrame
    budget: pd.DataFrame
    indicators: pd.DataFrame
    claims: pd.DataFrame
    goals: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    extras: pd.DataFrame = field(default_factory=lambda: _empty(EXTRAS_COLUMNS))
    reviewed: pd.DataFrame = field(default_factory=lambda: _empty(REVIEWED_COLUMNS))
    info: dict = field(default_factory=dict)
    file: str = ""
    sheets: list[str] = field(default_factory=list)
    #: Per table: ``_file``, ``_sheet``, ``_row`` of each row (same order as the table).
    provenance: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name."""
        return {"units": self.units, "budget": self.budget, "indicators": self.indicators, "claims": self.claims}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class _SheetRead:
    layout: str
    loaded: dict[str, pio.Loaded]
    goals: dict
    info: dict
    extras: pd.DataFrame
    reviewed: pd.DataFrame
    issues: list[Issue]


def _through_io(table: str, header: list[str], rows: list[list], excel_rows: list[int], shown: dict[str, str],
                file: str, sheet: str) -> tuple[pio.Loaded, list[Issue]]:
    """Parse and validate rows exactly as a CSV with ``header`` would be, then put back the form's
    own rows (1-based) and header texts into the provenance and the issues."""
    if not rows:
        return pio.Loaded(table, pio.empty_table(table), [], [file], provenance=_empty(["_file", "_sheet", "_row"])), []
    cells = pd.DataFrame([header, *rows], dtype=object)
    frame, issues = pio.sheet_to_frame(pio.RawSheet(file, sheet, cells), INPUT_TABLES[table])
    rowmap = {i + 2: r for i, r in enumerate(excel_rows)}
    frame = frame.assign(_row=frame["_row"].map(rowmap))
    for issue in issues:
        issue.row = rowmap.get(issue.row, issue.row)
        issue.column = shown.get(issue.column, issue.column)
    loaded = pio.finish_table(table, frame, [], [file])
    for issue in loaded.issues:
        issue.column = shown.get(issue.column, issue.column)
    return loaded, issues + loaded.issues


def _scan_labels(grid: _Grid, rows: list[int]):
    """Label → value pairs (unit information) and the goals' texts, with where each value sits."""
    info: dict[str, str] = {}
    where: dict[str, tuple[int, int]] = {}
    goals: dict[str, str] = {}
    row_set = set(rows)
    for r in rows:
        for c, text in grid.row_texts(r):
            one_cell = re.match(r"^([^:：]{1,16})[:：]\s*(.+)$", text, re.S)
            if one_cell and (_norm(one_cell.group(1)) in _INFO_WORDS or _norm(one_cell.group(1)) in _GOAL_WORDS):
                typed = re.match(r"^[^:：]{1,16}[:：]\s*(.+)$", grid.prose(r, c), re.S)
                label, at = _norm(one_cell.group(1)), (r, c)
                value = (typed.group(1) if typed else one_cell.group(2)).strip()
            else:
                label = _norm(text)
                if label not in _INFO_WORDS and label not in _GOAL_WORDS:
                    continue
                value, at = _value_beside(grid, r, c, row_set)
            key = _INFO_WORDS.get(label) or _GOAL_WORDS.get(label)
            if label in _GOAL_WORDS:
                if value and key not in goals:
                    goals[key] = value
                continue
            if key not in info or (not info[key] and value):
                info[key], where[key] = value or "", at if value else (r, c)
            where.setdefault(key + "_label", (r, c))
    if info.get("money_unit") not in (None, "", "万元", "元", "亿元"):
        info.pop("money_unit")
    return info, where, goals


def _value_beside(grid: _Grid, r: int, c: int, rows: set[int]) -> tuple[str, tuple[int, int]]:
    """The value of a label cell: the next filled cell to the right unless that is another label
    (a row of labels over a row of values), else the cell below."""
    for cc in range(c + 1, grid.ncols):
        text = grid.text(r, cc)
        if text:
            if not _any_label(text):
                return grid.prose(r, cc), (r, cc)
            break
    below = grid.text(r + 1, c)
    if r + 1 in rows and below and not _any_label(below):
        return grid.prose(r + 1, c), (r + 1, c)
    return "", (r, c)


def _find_year(grid: _Grid, rows: list[int], info: dict) -> int | None:
    """The year of the title (``2022年度…自评表``), else of a ``（2022年度）`` line, else of a 年度 cell."""
    texts = [t for r in rows for _, t in grid.row_texts(r)]
    titles = [t for t in texts if "自评" in t and len(t) <= 60]
    alone = [t for t in texts if re.fullmatch(r"[(（]?\s*(19|20)\d{2}\s*年度?\s*[)）]?", t)]
    for text in titles + alone:
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    match = re.search(r"(19|20)\d{2}", info.get("year") or "")
    return int(match.group(0)) if match else None


def _money_unit(grid: _Grid, budget: _Budget, info: dict) -> str:
    texts = [grid.text(budget.row, c) for c in budget.label_cols]
    texts += [t for r in range(max(0, budget.row - 2), budget.row) for _, t in grid.row_texts(r)]
    for text in texts:
        unit = header_unit(text)
        if unit is None and (match := _MONEY_STATEMENT.search(clean_text(text))):
            unit = match.group(1)
        if unit:
            return unit
    return info.get("money_unit") or "万元"


def _identify_unit(info: dict, where: dict, registry: pd.DataFrame | None, file: str, sheet: str
                   ) -> tuple[str | None, list[Issue]]:
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
    cell = f"（单元格 {_cell_name(r, c)}）" if r is not None else ""
    cell_en = f" (cell {_cell_name(r, c)})" if r is not None else ""
    if name:
        message = (f"无法识别单位：表中没有单位编码，单位名称「{name}」也不在单位名册中{cell} / cannot identify the unit: "
                   f"no 单位编码 cell and the name is not in the unit registry{cell_en}")
    else:
        message = "无法识别单位：表中既没有单位编码也没有单位名称 / cannot identify the unit: no 单位编码 and no 单位名称 cell"
    return None, [Issue("error", "unknown_unit", message, file, sheet, None if r is None else r + 1, "单位名称",
                        name or None, expected="在表中填写单位编码，或在单位名册（units.csv）中登记这个单位名称 / "
                                               "add a 单位编码 cell, or register this unit name in units.csv")]


def _level_text(text: str) -> str | None:
    text = text.replace("\n", "").replace("\r", "")
    text = _LEVEL_POINTS.sub("", _LEVEL_PREFIX.sub("", text)).strip()
    return text or None


def _rate_text(grid: _Grid, r: int, c: int, header: str) -> str | None:
    value = grid.value(r, c)
    if value is None:
        return None
    if isinstance(value, str) or (r, c) in grid.percent:
        text = grid.text(r, c)
        return None if text.lower() in MISSING_TOKENS else text
    number = float(value)
    if "%" in clean_text(header) or abs(number) > 2:
        return _percent_text(number / 100.0)  # percent points (a 执行率（%） column, or 96.5)
    return _percent_text(number)               # a fraction typed without a percent format


def _fraction(grid: _Grid, r: int, c: int, header: str) -> float:
    value = grid.value(r, c)
    if value is None:
        return np.nan
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if (r, c) in grid.percent:
            return float(value)
        return float(value) / 100.0 if "%" in clean_text(header) or abs(float(value)) > 1.5 else float(value)
    text = grid.text(r, c)
    if text.lower() in MISSING_TOKENS:
        return np.nan
    try:
        return parse_percent(text)
    except ValueParseError:
        return np.nan


def _number(grid: _Grid, r: int, c: int | None) -> float:
    if c is None:
        return np.nan
    value = grid.value(r, c)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(grid.text(r, c).replace(",", ""))
    except ValueError:
        return np.nan


def _raw(grid: _Grid, r: int, c: int | None):
    """A cell as io's parsers take it: numbers as numbers (unless percent-formatted), else text."""
    if c is None:
        return None
    value = grid.value(r, c)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and (r, c) not in grid.percent:
        return value
    text = grid.text(r, c)
    if _CONSTANT_FORMULA.match(text) and not text.endswith("%"):
        return text[1:].strip()  # "=95" typed into a number column
    return text or None


_CORE_TRUE = {"是", "y", "yes", "true", "√", "核心", "核心指标"}
_CORE_FALSE = {"否", "n", "no", "false", "×", "非核心", "一般"}


def _read_sheet(grid: _Grid, spot: _Spot, file: str, registry: pd.DataFrame | None) -> _SheetRead:
    sheet = grid.name
    header, budget = spot.header, spot.budget
    issues = [Issue(i.severity, i.code, i.message, file, sheet, i.row, i.column, i.value, i.expected)
              for i in header.issues]
    cols = {k: c for k, (c, _) in header.columns.items()}
    shown_headers = {k: t.replace("\n", "") for k, (_, t) in header.columns.items()}
    budget_rows = set(range(budget.row, budget.end)) if budget else set()
    upper = [r for r in range(header.row) if r not in budget_rows]
    info, where, goals = _scan_labels(grid, upper)
    year = _find_year(grid, upper, info)
    unit_code, unit_issues = _identify_unit(info, where, registry, file, sheet)
    issues += unit_issues
    if year is None:
        issues.append(Issue("error", "no_year", "找不到年度：标题中应有“2022年度”之类的年份 / no year found in the title",
                            file, sheet, 1, expected="标题如“2022年度部门整体支出绩效自评表” / a title with the year"))
    empty = {name: pio.Loaded(name, pio.empty_table(name), [], [file], provenance=_empty(["_file", "_sheet", "_row"]))
             for name in ("units", "budget", "indicators", "claims")}
    if unit_code is None or year is None:
        return _SheetRead(spot.layout, empty, goals, info, _empty(EXTRAS_COLUMNS), _empty(REVIEWED_COLUMNS), issues)
    loaded = dict(empty)

    # --- the unit ---------------------------------------------------------------------------------
    if info.get("unit_name"):
        r = where.get("unit_name", (0, 0))[0]
        loaded["units"], more = _through_io("units", ["单位编码", "单位名称", "主管部门"],
                                            [[unit_code, info.get("unit_name"), info.get("parent") or None]], [r + 1],
                                            {}, file, sheet)
        issues += more

    # --- the budget block and its 预算执行率 row ---------------------------------------------------------
    indicator_rows: list[list] = []
    indicator_at: list[int] = []
    rate_rows: list[list] = []  # the 预算执行率 row goes last: io fills 二级指标 down, and its 二级 must not spread
    rate_at: list[int] = []
    extras_at: dict[int, dict] = {}
    reviewed: list[dict] = []
    if budget is not None:
        unit = _money_unit(grid, budget, info)
        bcols = {k: c for k, (c, _) in budget.columns.items()}
        money_headers = {k: f"{TABLES['budget'].column(k).label}（{header_unit(t) or unit}）"
                         for k, (_, t) in budget.columns.items() if k in MONEY}
        shown = {money_headers[k]: t for k, (_, t) in budget.columns.items() if k in MONEY}
        header_row = ["单位编码", "年度", "支出类别", "资金来源", *money_headers.values(), "说明"]
        rows, excel_rows, total_row = [], [], None
        for r in budget.rows:
            label = _budget_label(grid, r, budget.label_cols)
            kind = _budget_row_kind(label) if label else ("total", None)
            kind = kind or ("source", label)
            if kind[0] == "total" and total_row is None:
                total_row = r
            money = [_raw(grid, r, bcols[k]) for k in money_headers]
            if all(m is None or clean_text(m).lower() in MISSING_TOKENS for m in money):
                continue
            category = "合计" if kind[0] == "total" else kind[1] if kind[0] == "category" else None
            source = kind[1] if kind[0] == "source" else None
            rows.append([unit_code, year, category, source, *money, _raw(grid, r, bcols.get("note"))])
            excel_rows.append(r + 1)
        loaded["budget"], more = _through_io("budget", header_row, rows, excel_rows, shown, file, sheet)
        issues += more
        rate_row = total_row if total_row is not None else (budget.rows[0] if budget.rows else None)
        if rate_row is not None and "weight" in bcols and grid.text(rate_row, bcols["weight"]).lower() \
                not in MISSING_TOKENS:
            rate_header = budget.columns.get("rate", (None, ""))[1]
            actual = _rate_text(grid, rate_row, bcols["rate"], rate_header) if "rate" in bcols else None
            rate_rows.append([unit_code, year, RATE_INDICATOR, RATE_INDICATOR, RATE_INDICATOR, "定量",
                              _raw(grid, rate_row, bcols["weight"]), RATE_TARGET, actual, "%",
                              _raw(grid, rate_row, bcols.get("score")), None])
            rate_at.append(rate_row + 1)
            if "reviewed" in bcols and np.isfinite(_number(grid, rate_row, bcols["reviewed"])):
                reviewed.append({"_row": rate_row + 1, "score": _number(grid, rate_row, bcols["reviewed"])})

    # --- the indicator table ---------------------------------------------------------------------------
    level_cols = {cols[k] for k in ("level1", "level2", "level3") if k in cols}
    down_cols = level_cols | ({cols["note"]} if "note" in cols else set())
    grid.fill(range(header.body_start, grid.nrows), level_cols, down_cols)
    value_keys = [k for k in ("weight", "target", "target_initial", "actual", "claimed_score") if k in cols]
    first_value_col = min((cols[k] for k in value_keys), default=grid.ncols)
    total_at, grade_at = None, None
    r = header.body_start
    while r < grid.nrows:
        texts = grid.row_texts(r)
        if not texts:
            r += 1
            continue
        leading = [_norm(t) for c, t in texts if c < first_value_col]
        if any(t in _TOTAL_ROW for t in leading):
            total_at = r
            break
        if texts[0][1].startswith(_STOP_PREFIXES):
            break
        if any(t in _SUBTOTAL_ROW for t in leading):
            r += 1
            continue
        level3 = _level_text(grid.text(r, cols["level3"]))
        values = [grid.text(r, cols[k]) for k in value_keys]
        if (level3 is None or level3 in _PLACEHOLDERS) and all(v.lower() in _PLACEHOLDERS | {""} for v in values):
            r += 1  # an empty 指标2： / …… line of the printed template
            continue
        target = grid.text(r, cols["target"]) if "target" in cols else ""
        initial = grid.text(r, cols["target_initial"]) if "target_initial" in cols else ""
        indicator_rows.append([
            unit_code, year,
            _level_text(grid.text(r, cols["level1"])) if "level1" in cols else None,
            _level_text(grid.text(r, cols["level2"])) if "level2" in cols else None,
            level3,
            grid.text(r, cols["kind"]) or None if "kind" in cols else None,
            _raw(grid, r, cols["weight"]),
            target or initial or None,
            grid.text(r, cols["actual"]) or None if "actual" in cols else None,
            grid.text(r, cols["measure"]) or None if "measure" in cols else None,
            _raw(grid, r, cols.get("claimed_score")),
            grid.text(r, cols["note"]) or None if "note" in cols else None,
        ])
        indicator_at.append(r + 1)
        extra = {}
        if "core" in cols:
            word = grid.text(r, cols["core"]).lower()
            extra["core"] = True if word in _CORE_TRUE else False if word in _CORE_FALSE else None
            if word and extra["core"] is None:
                issues.append(Issue("warning", "bad_value", "是否核心指标应填“是”或“否” / 是否核心指标 should be 是 or 否",
                                    file, sheet, r + 1, shown_headers["core"], grid.text(r, cols["core"]), "是 / 否"))
        if "coefficient" in cols:
            extra["coefficient"] = _fraction(grid, r, cols["coefficient"], shown_headers["coefficient"])
            weight, claimed = _number(grid, r, cols["weight"]), _number(grid, r, cols.get("claimed_score"))
            if all(np.isfinite([extra["coefficient"], weight, claimed])) and \
                    abs(extra["coefficient"] * weight - claimed) > 0.011:
                issues.append(Issue(
                    "warning", "coefficient_mismatch",
                    f"得分系数 × 分值 ≠ 得分：{_percent_text(extra['coefficient'])} × {weight:g} = "
                    f"{extra['coefficient'] * weight:.2f}，表中得分 {claimed:g} / score coefficient × weight "
                    f"({extra['coefficient'] * weight:.2f}) differs from the stated score ({claimed:g})",
                    file, sheet, r + 1, shown_headers["coefficient"], grid.text(r, cols["coefficient"]),
                    unit_code=unit_code, year=year, indicator=level3))
        if target and initial and clean_text(initial) != clean_text(target):
            extra["target_initial"] = initial
        extras_at[r + 1] = extra
        if "reviewed" in cols and np.isfinite(_number(grid, r, cols["reviewed"])):
            reviewed.append({"_row": r + 1, "score": _number(grid, r, cols["reviewed"])})
        r += 1
    after = range(total_at + 1 if total_at is not None else r, grid.nrows)
    for rr in after:
        if any(_norm(t) in {"自评等级", "评价等级", "等级"} for _, t in grid.row_texts(rr)):
            grade_at = rr
            break

    names = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "kind": "指标性质", "weight": "分值",
             "target": "年度指标值", "actual": "实际完成值", "measure": "计量单位", "claimed_score": "自评得分",
             "note": "偏差原因"}
    shown = {label: shown_headers.get(key) or (shown_headers.get("target_initial") if key == "target" else None)
             or label for key, label in names.items()}
    loaded["indicators"], more = _through_io("indicators", ["单位编码", "年度", *names.values()],
                                             indicator_rows + rate_rows, indicator_at + rate_at, shown, file, sheet)
    issues += more
    indicators = loaded["indicators"].frame
    rows_of = loaded["indicators"].provenance["_row"].tolist() if len(indicators) else []

    # --- the claim: the 总分 row (or the 自评总分 label), the 自评等级 cell ----------------------------------
    claim_score, claim_grade, claim_row = None, None, None
    claim_col = cols.get("claimed_score")
    if total_at is not None and claim_col is not None and grid.text(total_at, claim_col):
        claim_score, claim_row = _raw(grid, total_at, claim_col), total_at + 1
        stated_weight = _number(grid, total_at, cols["weight"])
        weights = indicators["weight"].sum() if len(indicators) else np.nan
        if np.isfinite(stated_weight) and np.isfinite(weights) and abs(stated_weight - weights) > 0.011:
            issues.append(Issue("warning", "total_mismatch",
                                f"总分行的分值 {stated_weight:g} 与各指标分值之和 {weights:g} 不符 / the total row's weight "
                                f"{stated_weight:g} differs from the sum of the indicators' weights {weights:g}",
                                file, sheet, total_at + 1, shown_headers["weight"], f"{stated_weight:g}",
                                unit_code=unit_code, year=year))
    if info.get("claimed_score"):
        r_label = where.get("claimed_score", (0, 0))[0]
        stated = _number(grid, *where["claimed_score"]) if "claimed_score" in where else np.nan
        if claim_score is None:
            claim_score, claim_row = info["claimed_score"], r_label + 1
        elif np.isfinite(stated) and abs(stated - _number(grid, total_at, claim_col)) > 0.011:
            issues.append(Issue("warning", "total_mismatch",
                                f"表头自评总分 {stated:g} 与总分行 {_number(grid, total_at, claim_col):g} 不符 / the stated "
                                f"total differs from the total row", file, sheet, r_label + 1, "自评总分", f"{stated:g}",
                                unit_code=unit_code, year=year))
    if grade_at is not None:
        claim_grade = grid.text(grade_at, claim_col) if claim_col is not None else ""
        if not claim_grade:
            grade_labels = {"自评等级", "评价等级", "等级"}
            label_col = next(c for c, t in grid.row_texts(grade_at) if _norm(t) in grade_labels)
            nxt = next(((c, t) for c, t in grid.row_texts(grade_at) if c > label_col and _norm(t) not in grade_labels),
                       None)
            if nxt and nxt[0] != cols.get("reviewed") and not _any_label(nxt[1]):
                claim_grade = nxt[1]
    claim_grade = claim_grade or info.get("claimed_grade") or None
    claim_grade = _GRADE_WORDS.get(claim_grade, claim_grade)
    if claim_score is not None:
        loaded["claims"], more = _through_io("claims", ["单位编码", "年度", "自评总分", "自评等级", "来源"],
                                             [[unit_code, year, claim_score, claim_grade, CLAIM_SOURCE]], [claim_row],
                                             {"自评总分": shown_headers.get("claimed_score", "自评总分")}, file, sheet)
        issues += more
        claims = loaded["claims"].frame
        summed = indicators["claimed_score"].sum(min_count=1) if len(indicators) else np.nan
        if len(claims) and np.isfinite(summed) and abs(claims["claimed_score"].iloc[0] - summed) > 0.011:
            issues.append(Issue("warning", "total_mismatch",
                                f"自评总分 {claims['claimed_score'].iloc[0]:g} 与各指标自评得分之和 {summed:g} 不符 / the claimed "
                                f"total differs from the sum of the indicators' claimed scores ({summed:g})",
                                file, sheet, claim_row, shown_headers.get("claimed_score", "自评总分"),
                                f"{claims['claimed_score'].iloc[0]:g}", unit_code=unit_code, year=year))

    # --- what only the form has: extras and the 复核得分 column -----------------------------------------
    extras = pd.DataFrame({
        "unit_code": indicators["unit_code"] if len(indicators) else pd.Series(dtype="object"),
        "year": indicators["year"] if len(indicators) else pd.Series(dtype="int64"),
        "indicator": indicators["indicator"] if len(indicators) else pd.Series(dtype="object"),
        "core": pd.Series([extras_at.get(r, {}).get("core") for r in rows_of], dtype="object"),
        "coefficient": pd.Series([extras_at.get(r, {}).get("coefficient", np.nan) for r in rows_of], dtype="float64"),
        "target_initial": pd.Series([extras_at.get(r, {}).get("target_initial") for r in rows_of], dtype="object"),
    })
    by_row = dict(zip(rows_of, indicators["indicator"])) if len(indicators) else {}
    review = [{"unit_code": unit_code, "year": year, "indicator": by_row[x["_row"]], "score": x["score"]}
              for x in reviewed if x["_row"] in by_row]
    if total_at is not None and "reviewed" in cols and np.isfinite(_number(grid, total_at, cols["reviewed"])):
        review.append({"unit_code": unit_code, "year": year, "indicator": TOTAL_KEY,
                       "score": _number(grid, total_at, cols["reviewed"])})
    if not any(x["indicator"] == TOTAL_KEY for x in review) and "reviewed_total" in where:
        stated = _number(grid, *where["reviewed_total"])
        if np.isfinite(stated):
            review.append({"unit_code": unit_code, "year": year, "indicator": TOTAL_KEY, "score": stated})
    reviewed_frame = pd.DataFrame(review, columns=REVIEWED_COLUMNS) if review else _empty(REVIEWED_COLUMNS)
    return _SheetRead(spot.layout, loaded, goals, info, extras, reviewed_frame, issues)


def read_form(path: str | Path, registry: pd.DataFrame | None = None, shown_as: str | None = None) -> FormData:
    """Read an official 自评表 workbook into canonical tables, checked like any input file.

    Every sheet that holds a form is read (填表说明, 目录 and other sheets are skipped). The unit is the
    form's 单位编码 cell when it has one, else the ``registry`` unit whose 单位名称 matches the form's;
    otherwise an error names the cell and nothing is loaded (a code is never invented). The year comes
    from the title. 财政拨款 / 其他资金 rows become budget lines and the 合计 (年度资金总额) row is
    checked against them; a budget block with 分值 (the 10号 and Chongqing forms) also gives the
    indicator row 预算执行率 (target 100%, actual the stated rate). The 总分 row (or a 自评总分 cell) is
    the claim, with 自评等级 when the form has it.

    Parameters
    ----------
    path : the workbook (.xlsx / .xlsm).
    registry : the unit registry (canonical ``units`` table) to resolve a unit named without a code.
    shown_as : the file's name in messages (default: ``path`` as given).

    Returns
    -------
    FormData
        The canonical ``units``, ``budget``, ``indicators``, ``claims`` (valid rows only), ``goals``,
        ``layout``, ``extras``, ``reviewed`` and every ``issue`` (file, sheet, row, column, value).

    Examples
    --------
    >>> form = read_form("自评表.xlsx", registry=units)                   # doctest: +SKIP
    >>> form.layout, form.indicators[["indicator", "weight", "claimed_score"]]   # doctest: +SKIP
    """
    import openpyxl

    import warnings

    name = shown_as or str(path)
    try:
        with warnings.catch_warnings():  # "Data Validation extension is not supported" and the like
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        error = InputError(name, message=f"无法读取工作簿 / cannot read the workbook ({type(exc).__name__}: {exc})",
                           expected="有效的 .xlsx 文件 / a valid .xlsx file")
        return _nothing(name, [Issue.from_error(error, "unreadable_file")])
    reads: list[_SheetRead] = []
    sheets: list[str] = []
    cached_book = None
    for sheet in book.worksheets:
        formulas = any(cell.data_type == "f" and not _CONSTANT_FORMULA.match(str(cell.value))
                       for cell in sheet._cells.values())
        if formulas and cached_book is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cached_book = openpyxl.load_workbook(path, data_only=True)
        grid = _Grid.from_openpyxl(sheet, cached_book[sheet.title] if formulas else None)
        spot = _locate(grid)
        if spot is not None:
            reads.append(_read_sheet(grid, spot, name, registry))
            sheets.append(sheet.title)
    if not reads:
        return _nothing(name, [Issue("error", "no_form", "工作簿中没有找到自评表（指标表表头）/ no self-evaluation form "
                                     "(indicator table header) found in the workbook", name,
                                     expected="含一级指标、三级指标、分值等表头的自评表 / a form with an indicator table")])
    tables, provenance, issues = {}, {}, [i for read in reads for i in read.issues]
    for table in ("units", "budget", "indicators", "claims"):
        parts = [read.loaded[table] for read in reads]
        if len(parts) == 1:
            tables[table], provenance[table] = parts[0].frame, parts[0].provenance
            continue
        located = [pd.concat([p.frame, p.provenance], axis=1) for p in parts if len(p.frame)]
        frame = pd.concat(located, ignore_index=True) if located else pio.empty_table(table)
        valid, more = pio.validate(frame, table, key_only=True)
        issues += more
        tables[table] = pio.canonical_columns(valid, table)
        provenance[table] = valid.reindex(columns=["_file", "_sheet", "_row"]).reset_index(drop=True)
    extras = pd.concat([r.extras for r in reads], ignore_index=True) if len(reads) > 1 else reads[0].extras
    if len(reads) > 1:
        keep = tables["indicators"][["unit_code", "year", "indicator"]]
        extras = keep.merge(extras.drop_duplicates(["unit_code", "year", "indicator"]), how="left")
    reviewed = pd.concat([r.reviewed for r in reads], ignore_index=True) if len(reads) > 1 else reads[0].reviewed
    return FormData(reads[0].layout, tables["units"], tables["budget"], tables["indicators"], tables["claims"],
                    reads[0].goals, issues, extras, reviewed, reads[0].info, name, sheets, provenance)


def _nothing(name: str, issues: list[Issue]) -> FormData:
    return FormData("", pio.empty_table("units"), pio.empty_table("budget"), pio.empty_table("indicators"),
                    pio.empty_table("claims"), {}, issues, file=name)


def read_form_tables(path: str | Path, registry: pd.DataFrame | None = None,
                     shown_as: str | None = None) -> dict[str, pio.Loaded]:
    """A form as :class:`perfeval_lib.ingest.tables.Loaded` parts per table, for :func:`perfeval_lib.ingest.tables.load_folder`.

    The form's unit row is left out when the registry already holds that unit (the registry wins;
    two rows for one unit would be a duplicate key). All the form's issues travel with ``indicators``.

    >>> parts = read_form_tables("data/raw/forms/自评表.xlsx", registry)   # doctest: +SKIP
    >>> sorted(parts)                                                      # doctest: +SKIP
    ['budget', 'claims', 'indicators', 'units']
    """
    form = read_form(path, registry, shown_as)
    name = form.file
    parts = {}
    for table, frame in form.tables().items():
        provenance = form.provenance.get(table, _empty(["_file", "_sheet", "_row"]))
        if table == "units" and registry is not None and len(registry) and len(frame):
            new = ~frame["unit_code"].isin(set(registry["unit_code"])).to_numpy()
            frame, provenance = frame[new].reset_index(drop=True), provenance[new].reset_index(drop=True)
        parts[table] = pio.Loaded(table, frame, form.issues if table == "indicators" else [], [name],
                                  provenance=provenance)
    return parts


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------



































# ---------------------------------------------------------------------------------------------
# perfeval form
# ---------------------------------------------------------------------------------------------

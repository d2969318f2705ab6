"""How the official 自评表 sheet looks, layout by layout: columns, cells, the top block, the indicator table.

:data:`COLUMNS` lists the indicator table's columns of each layout (header words, widths);
:data:`TOP_BLOCKS` paints, per layout, everything above
the indicator table (title, unit, budget execution with its 执行率, goals) and :func:`indicator_table`
the two-row header and one row per indicator, with 一级/二级 cells merged over their rows. The layouts'
titles and words are those the reader knows (:mod:`perfeval_lib.ingest.forms`); money is in 万元,
rates are fractions shown as ``0.0%``, scores in points. :func:`perfeval_lib.render.workbook.write_form`
puts the pieces together; a cell's look is :class:`perfeval_lib.render.workbook_paint.Painter`.

Examples
--------
>>> import openpyxl
>>> from perfeval_lib.render.workbook_paint import Painter
>>> ws = openpyxl.Workbook().active
>>> p = Painter(ws, [c.width for c in COLUMNS["mof10"]])
>>> TOP_BLOCKS["mof10"](p, ncols=len(COLUMNS["mof10"]), code="D001", year=2023, unit={"unit_name": "财政局"},
...                    total={"budget_final": 100.0, "executed": 97.5}, lines=[], goals={}, rate_indicator=None,
...                    reviewed={})
13
>>> ws["C3"].value, ws["H7"].value, ws["H7"].number_format
('财政局部门整体支出', 0.975, '0.0%')
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..core.parse import clean_text
from ..ingest.forms import LAYOUTS, NUMERIC_TEXT, RATE_INDICATOR, percent_text
from .workbook_paint import MONEY_FORMAT, RATE_FORMAT, REVIEW_FORMAT, SCORE_FORMAT, Painter, cell_value

__all__ = ["Column", "COLUMNS", "TOP_BLOCKS", "indicator_table", "rate_cell"]


@dataclass(frozen=True)
class Column:
    """One column of the indicator table: the canonical ``key`` it shows, its header words, its width.

    ``top`` is the first header row; ``bottom`` the second (``None``: ``top`` spans both rows, and
    neighbours with the same ``top`` share one merged cell above their ``bottom`` words). ``width`` is
    in Excel characters.
    """

    key: str
    top: str
    bottom: str | None = None
    width: float = 10


#: The indicator table's columns, per layout (a key of :data:`perfeval_lib.ingest.forms.LAYOUTS`).
COLUMNS = {
    "guangzhou": (
        Column("level1", "一级指标", None, 10), Column("level2", "二级指标", None, 12), Column("level3", "三级指标", None, 24),
        Column("kind", "指标性质", None, 8), Column("target", "指标值", "年度指标值", 12),
        Column("actual", "指标值", "实际完成值", 12), Column("measure", "计量单位", None, 8),
        Column("weight", "得分情况", "分值", 7), Column("claimed_score", "得分情况", "得分", 7),
        Column("reviewed", "得分情况", "复核得分", 8), Column("note", "偏差原因分析及改进措施", None, 30)),
    "chongqing": (
        Column("level1", "一级指标", None, 10), Column("level2", "二级指标", None, 10), Column("level3", "指标名称", None, 20),
        Column("measure", "计量单位", None, 7),
        Column("kind", "指标性质", None, 8), Column("target_initial", "指标值", "年初指标值", 10),
        Column("target", "指标值", "调整指标值", 10), Column("actual", "指标值", "全年完成值", 10),
        Column("coefficient", "得分系数（%）", None, 8), Column("weight", "指标权重（分）", None, 8),
        Column("claimed_score", "指标得分（分）", None, 8), Column("reviewed", "复核得分", None, 8),
        Column("core", "是否核心指标", None, 7), Column("note", "偏差原因", None, 24)),
    "mof10": (
        Column("section", "绩效指标", None, 6), Column("level1", "一级指标", None, 14), Column("level2", "二级指标", None, 12),
        Column("level3", "三级指标", None, 24), Column("target", "指标值", "年度指标值", 12),
        Column("actual", "指标值", "实际完成值", 12), Column("weight", "分值", None, 7), Column("claimed_score", "得分", None, 7),
        Column("reviewed", "复核得分", None, 8), Column("note", "偏差原因分析及改进措施", None, 28)),
}



def rate_cell(rate_indicator: pd.Series | None, total: dict) -> tuple[object, str | None]:
    """The 执行率 cell: the stated rate of the 预算执行率 indicator (a number when that gives the same
    text back, else its text), or the rate from the budget when there is no such indicator.

    Parameters
    ----------
    rate_indicator : Series or None
        The indicator row of 预算执行率 (``actual`` a fraction, ``actual_text`` as the form states it),
        or ``None``.
    total : dict
        The budget total: ``budget_final`` and ``executed`` in 万元.

    Returns
    -------
    tuple
        ``(value, number format)``: a fraction with :data:`RATE_FORMAT`, a text with ``None``, or
        ``(None, None)`` when there is no rate (no stated rate, or no budget above 0).

    Examples
    --------
    >>> rate_cell(None, {"budget_final": 507.02, "executed": 507.02})
    (1.0, '0.0%')
    >>> rate_cell(pd.Series({"actual": 0.95, "actual_text": "约95%"}), {})
    ('约95%', None)
    """
    if rate_indicator is not None:
        text = clean_text(rate_indicator["actual_text"])
        if not text:
            return None, None
        value = rate_indicator["actual"]
        if pd.notna(value) and percent_text(float(value)) == text:
            return float(value), RATE_FORMAT
        return text, None
    final, executed = total.get("budget_final"), total.get("executed")
    if final is not None and executed is not None and pd.notna(final) and pd.notna(executed) and final > 0:
        return float(executed) / float(final), RATE_FORMAT
    return None, None



def _text(value) -> str:
    """A cell value as text ("" when missing)."""
    value = cell_value(value)
    return "" if value is None else str(value)


def _top_guangzhou(p: Painter, ncols, code, year, unit, total, lines, goals, **_) -> int:
    p.put(1, 1, LAYOUTS["guangzhou"].title.format(year=year), to_col=ncols, bold=True, size=16, border=False)
    p.heights[1] = 30
    p.put(2, 1, "（部门整体支出）", to_col=ncols - 3, border=False, align="left")
    p.put(2, ncols - 2, "金额单位：万元", to_col=ncols, border=False, align="right")
    p.put(3, 1, "单位名称", bold=True)
    p.put(3, 2, unit.get("unit_name"), to_col=5)
    p.put(3, 6, "单位编码", to_col=7, bold=True)
    p.put(3, 8, code, to_col=ncols)
    p.put(4, 1, "主管部门", bold=True)
    p.put(4, 2, unit.get("parent"), to_col=5)
    p.put(4, 6, "联系人", to_col=7, bold=True)
    p.put(4, 8, None)
    p.put(4, 9, "联系电话", bold=True)
    p.put(4, 10, None, to_col=ncols)
    p.put(6, 1, "一、预算执行情况", to_col=ncols, bold=True, align="left", border=False)
    row = 7
    p.put(row, 1, "资金来源", to_col=2, bold=True)
    for col, label in ((3, "年初预算数"), (5, "全年预算数"), (7, "全年执行数")):
        p.put(row, col, label, to_col=col + 1, bold=True)
    p.put(row, 9, "执行率", to_col=ncols, bold=True)
    for label, values in [("年度资金总额", total)] + [
            ("其中：" + s if i == 0 else s, v) for i, (s, v) in enumerate(lines)]:
        row += 1
        p.put(row, 1, label, to_col=2)
        for col, key in ((3, "budget_initial"), (5, "budget_final"), (7, "executed")):
            p.put(row, col, values.get(key), to_col=col + 1, fmt=MONEY_FORMAT)
        rate, fmt = rate_cell(None, values)
        p.put(row, 9, rate, to_col=ncols, fmt=fmt)
    row += 2
    p.put(row, 1, "二、年度绩效目标完成情况", to_col=ncols, bold=True, align="left", border=False)
    row += 1
    p.put(row, 1, "年度绩效目标", to_col=4, bold=True)
    p.put(row, 5, "实际完成情况", to_col=8, bold=True)
    p.put(row, 9, "未完成原因", to_col=ncols, bold=True)
    row += 1
    p.put(row, 1, goals.get("target"), to_col=4, align="left")
    p.put(row, 5, goals.get("actual"), to_col=8, align="left")
    p.put(row, 9, goals.get("reason"), to_col=ncols, align="left")
    p.heights[row] = max(p.heights.get(row, 15), 60)
    row += 2
    p.put(row, 1, "三、绩效指标完成情况", to_col=ncols, bold=True, align="left", border=False)
    return row + 1


def _top_chongqing(p: Painter, ncols, code, year, unit, total, claim, goals, rate_indicator, reviewed,
                   review_total, review_grade, **_) -> int:
    p.put(1, 1, LAYOUTS["chongqing"].title.format(year=year), to_col=ncols, bold=True, size=16, border=False)
    p.heights[1] = 30
    p.put(2, 1, "主管部门", bold=True)
    p.put(2, 2, unit.get("parent"), to_col=4)
    p.put(2, 5, "财政处室", bold=True)
    p.put(2, 6, None, to_col=7)
    p.put(2, 8, "自评总分（分）", to_col=9, bold=True)
    p.put(2, 10, claim.get("claimed_score"), fmt=SCORE_FORMAT, bold=True)
    p.put(2, 11, "复核总分", bold=True)
    p.put(2, 12, "—" if review_total is None else review_total, to_col=ncols, fmt=REVIEW_FORMAT, bold=True)
    p.put(3, 1, "单位名称", bold=True)
    p.put(3, 2, unit.get("unit_name"), to_col=4)
    p.put(3, 5, "单位编码", bold=True)
    p.put(3, 6, code, to_col=7)
    p.put(3, 8, "自评等级", to_col=9, bold=True)
    p.put(3, 10, claim.get("claimed_grade"), bold=True)
    p.put(3, 11, "复核等级", bold=True)
    p.put(3, 12, review_grade or "—", to_col=ncols, bold=True)
    p.put(4, 1, "部门联系人", bold=True)
    p.put(4, 2, None, to_col=4)
    p.put(4, 5, "联系电话", bold=True)
    p.put(4, 6, None, to_col=ncols)
    p.put(5, 1, "部门预算执行情况（万元）", to_row=6, bold=True)
    heads = (("年初预算数", 2, 3), ("全年（调整）预算数", 4, 5), ("全年执行数", 6, 7), ("执行率（%）", 8, 8),
             ("执行率权重", 9, 9), ("执行率得分（分）", 10, 10), ("复核得分", 11, 11))
    for label, start, end in heads:
        p.put(5, start, label, to_col=end, bold=True)
    p.put(5, 12, None, to_col=ncols, to_row=6)
    p.put(6, 2, total.get("budget_initial"), to_col=3, fmt=MONEY_FORMAT)
    p.put(6, 4, total.get("budget_final"), to_col=5, fmt=MONEY_FORMAT)
    p.put(6, 6, total.get("executed"), to_col=7, fmt=MONEY_FORMAT)
    rate, fmt = rate_cell(rate_indicator, total)
    p.put(6, 8, rate, fmt=fmt)
    p.put(6, 9, None if rate_indicator is None else rate_indicator["weight"], fmt=SCORE_FORMAT)
    p.put(6, 10, None if rate_indicator is None else rate_indicator["claimed_score"], fmt=SCORE_FORMAT)
    p.put(6, 11, None if rate_indicator is None else reviewed.get(rate_indicator["indicator"]), fmt=REVIEW_FORMAT)
    p.put(7, 1, "当年绩效目标", to_row=8, bold=True)
    p.put(7, 2, "年初绩效目标", to_col=5, bold=True)
    p.put(7, 6, "全年（调整）绩效目标", to_col=9, bold=True)
    p.put(7, 10, "全年目标实际完成情况", to_col=ncols, bold=True)
    p.put(8, 2, goals.get("target_initial"), to_col=5, align="left")
    p.put(8, 6, goals.get("target"), to_col=9, align="left")
    p.put(8, 10, goals.get("actual"), to_col=ncols, align="left")
    p.heights[8] = max(p.heights.get(8, 15), 60)
    return 10


def _top_mof10(p: Painter, ncols, code, year, unit, total, lines, goals, rate_indicator, reviewed, **_) -> int:
    p.put(1, 1, LAYOUTS["mof10"].title, to_col=ncols, bold=True, size=16, border=False)
    p.heights[1] = 30
    p.put(2, 1, f"（{year}年度）", to_col=ncols, border=False)
    p.put(3, 1, "项目名称", to_col=2, bold=True)
    p.put(3, 3, f"{unit.get('unit_name') or code}部门整体支出", to_col=ncols)
    p.put(4, 1, "主管部门", to_col=2, bold=True)
    p.put(4, 3, unit.get("parent"), to_col=4)
    p.put(4, 5, "实施单位", bold=True)
    p.put(4, 6, unit.get("unit_name"), to_col=ncols)
    p.put(5, 1, "单位编码", to_col=2, bold=True)
    p.put(5, 3, code, to_col=4)
    p.put(5, 5, "联系电话", bold=True)
    p.put(5, 6, None, to_col=ncols)
    sources = {s: v for s, v in lines}
    fixed = [("本年财政拨款", sources.pop("财政拨款", {})), ("上年结转资金", sources.pop("上年结转资金", {})),
             ("其他资金", sources.pop("其他资金", {}))] + list(sources.items())
    first, last = 6, 7 + len(fixed)
    p.put(first, 1, "项目资金（万元）", to_row=last, bold=True)
    p.put(first, 2, None, to_col=3)
    for col, label in ((4, "年初预算数"), (5, "全年预算数"), (6, "全年执行数"), (7, "分值"), (8, "执行率"), (9, "得分"),
                       (10, "复核得分")):
        p.put(first, col, label, bold=True)
    row = first + 1
    p.put(row, 2, "年度资金总额", to_col=3)
    for col, key in ((4, "budget_initial"), (5, "budget_final"), (6, "executed")):
        p.put(row, col, total.get(key), fmt=MONEY_FORMAT)
    rate, fmt = rate_cell(rate_indicator, total)
    p.put(row, 7, None if rate_indicator is None else rate_indicator["weight"], fmt=SCORE_FORMAT)
    p.put(row, 8, rate, fmt=fmt)
    p.put(row, 9, None if rate_indicator is None else rate_indicator["claimed_score"], fmt=SCORE_FORMAT)
    p.put(row, 10, None if rate_indicator is None else reviewed.get(rate_indicator["indicator"]), fmt=REVIEW_FORMAT)
    for i, (label, values) in enumerate(fixed):
        row += 1
        p.put(row, 2, ("其中：" if i == 0 else "") + label, to_col=3)
        for col, key in ((4, "budget_initial"), (5, "budget_final"), (6, "executed")):
            p.put(row, col, values.get(key), fmt=MONEY_FORMAT)
        for col in (7, 8, 9, 10):
            p.put(row, col, "—")
    row += 1
    p.put(row, 1, "年度总体目标", to_row=row + 1, bold=True)
    p.put(row, 2, "预期目标", to_col=5, bold=True)
    p.put(row, 6, "实际完成情况", to_col=ncols, bold=True)
    p.put(row + 1, 2, goals.get("target"), to_col=5, align="left")
    p.put(row + 1, 6, goals.get("actual"), to_col=ncols, align="left")
    p.heights[row + 1] = max(p.heights.get(row + 1, 15), 60)
    return row + 2


#: Per layout, the painter of everything above the indicator table; it returns the table's first row.
#: Called with keywords: ``p`` (a :class:`Painter`), ``ncols``, ``code``, ``year``, ``unit`` (the unit's
#: row as a dict), ``total`` and ``lines`` (the budget total and one ``(资金来源, amounts)`` per source,
#: 万元), ``claim`` (claimed total and grade), ``goals``, ``rate_indicator``, ``reviewed``,
#: ``review_total``, ``review_grade`` (each block takes what it shows and ignores the rest).
TOP_BLOCKS: dict[str, Callable[..., int]] = {"guangzhou": _top_guangzhou, "chongqing": _top_chongqing,
                                             "mof10": _top_mof10}


def indicator_table(p: Painter, start: int, columns: tuple[Column, ...], rows: pd.DataFrame, reviewed: dict,
                    extra_of: dict, layout: str) -> int:
    """Paint the indicator table: the two-row header at ``start``, then one row per indicator.

    一级 and 二级 cells are merged over their rows (``rows`` must come grouped by them); on the 10号
    form (``mof10``) the 一级 label carries its points and a percent target or actual keeps its ``%``.

    Parameters
    ----------
    p : Painter
        The sheet's painter.
    start : int
        The first header row.
    columns : tuple of Column
        The layout's columns, :data:`COLUMNS` ``[layout]``.
    rows : DataFrame
        Indicator rows (the canonical ``indicators`` table: ``indicator``, ``level1``–``level3``, ``kind``,
        ``measure``, ``target_text``, ``actual_text``, ``weight`` and ``claimed_score`` in points, ``note``).
    reviewed : dict
        复核得分 per ``indicator`` (points, or a word such as 不涉及).
    extra_of : dict
        Per ``indicator``, the row of extras (``core``, ``coefficient`` as a fraction, ``target_initial``).
    layout : str
        A key of :data:`COLUMNS`.

    Returns
    -------
    int
        The last body row (the header's second row when there are no indicators).

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> cols = COLUMNS["guangzhou"]
    >>> rows = pd.DataFrame({"indicator": ["I1", "I2"], "level1": ["产出", "产出"], "level2": ["数量", "质量"],
    ...                      "level3": ["培训人次", "合格率"], "kind": "定量", "measure": ["人次", "%"],
    ...                      "target_text": ["≥500", "≥95"], "actual_text": ["520", "97"], "weight": [10.0, 10.0],
    ...                      "claimed_score": [10.0, 10.0], "note": None})
    >>> indicator_table(Painter(ws, [c.width for c in cols]), 1, cols, rows, {"I1": 10.0, "I2": 9.5}, {},
    ...                 "guangzhou")
    4
    >>> ws["A3"].value, ws["J4"].value, "A3:A4" in {str(r) for r in ws.merged_cells.ranges}
    ('产出', 9.5, True)
    """
    first = start + 2
    last = first + len(rows) - 1
    i = 0
    while i < len(columns):
        col = columns[i]
        if col.bottom is None:
            # the 10号 form's 绩效指标 label runs down the whole table
            p.put(start, i + 1, col.top, to_row=max(last, start + 1) if col.key == "section" else start + 1, bold=True)
            i += 1
            continue
        j = i
        while j + 1 < len(columns) and columns[j + 1].top == col.top and columns[j + 1].bottom is not None:
            j += 1
        p.put(start, i + 1, col.top, to_col=j + 1, bold=True)
        for k in range(i, j + 1):
            p.put(start + 1, k + 1, columns[k].bottom, bold=True)
        i = j + 1
    col_of = {c.key: i for i, c in enumerate(columns, start=1)}
    weights1 = rows.groupby(rows["level1"].fillna(""), sort=False)["weight"].sum() if len(rows) else {}
    for n, (_, row) in enumerate(rows.iterrows()):
        r = first + n
        extra = extra_of.get(row["indicator"])
        for key, c in col_of.items():
            if key in ("level1", "level2", "section"):
                continue
            value, fmt, align = None, None, "center"
            if key == "level3":
                value, align = row["level3"], "left"
            elif key in ("kind", "measure"):
                value = row[key]
            elif key == "target":
                value = row["target_text"]
                if layout == "mof10" and row["measure"] == "%" and NUMERIC_TEXT.match(clean_text(value) or "x") \
                        and not clean_text(value).endswith("%"):
                    value = clean_text(value) + "%"  # no 计量单位 column here: keep the percent in the value
            elif key == "target_initial":
                initial = None if extra is None else cell_value(extra.get("target_initial"))
                value = initial if initial is not None else row["target_text"]
            elif key == "actual":
                value = row["actual_text"]
                if layout == "mof10" and row["measure"] == "%" and NUMERIC_TEXT.match(clean_text(value) or "x") \
                        and not clean_text(value).endswith("%"):
                    value = clean_text(value) + "%"
            elif key in ("weight", "claimed_score"):
                value, fmt = row[key], SCORE_FORMAT
            elif key == "reviewed":
                value, fmt = reviewed.get(row["indicator"]), REVIEW_FORMAT
            elif key == "coefficient":
                stated = None if extra is None else cell_value(extra.get("coefficient"))
                if stated is None and pd.notna(row["claimed_score"]) and pd.notna(row["weight"]) and row["weight"] > 0:
                    stated = round(float(row["claimed_score"]) / float(row["weight"]), 6)
                value, fmt = stated, RATE_FORMAT
            elif key == "core":
                core = None if extra is None else cell_value(extra.get("core"))
                value = None if core is None else "是" if core else "否"
            elif key == "note":
                value, align = row["note"], "left"
            p.put(r, c, cell_value(value), fmt=fmt, align=align)
    # merged 一级 / 二级 cells over their rows
    for key in ("level1", "level2"):
        if key not in col_of:
            continue
        c = col_of[key]
        n = 0
        while n < len(rows):
            m = n
            same = (lambda a, b: rows["level1"].iloc[a] == rows["level1"].iloc[b]) if key == "level1" else \
                (lambda a, b: rows["level1"].iloc[a] == rows["level1"].iloc[b]
                 and rows["level2"].iloc[a] == rows["level2"].iloc[b] and pd.notna(rows["level2"].iloc[a]))
            while m + 1 < len(rows) and same(n, m + 1):
                m += 1
            value = rows[key].iloc[n]
            if key == "level1" and layout == "mof10" and pd.notna(value) and value != RATE_INDICATOR:
                value = f"{value}（{weights1[_text(rows['level1'].iloc[n])]:g}分）"
            p.put(first + n, c, cell_value(value), to_row=first + m)
            n = m + 1
    return max(last, start + 1)

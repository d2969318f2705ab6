"""The official 自评表 workbook written back: the recomputed self-evaluation in the bureau's layout.

The layouts and their words are shared with the reader (:mod:`perfeval_lib.ingest.forms`); this module
paints one unit-year — merged headers, number formats, column widths, A4 print set-up — with 复核得分
beside 得分 and the recomputed total beside the claimed one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import math
import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import FormError, UnitNotFound
from ..core.files import atomic_path
from ..core.parse import clean_text
from ..core.schema import INDICATOR_COLUMNS
from ..core.store import processed_tables
from ..ingest.narratives import analyst_text
from ..review.evaluation import evaluate
from ..review.rulesets import grade_by_ruleset
from ..review.scoring import totals
from ..ingest.forms import LAYOUTS, MONEY, NUMERIC_TEXT, RATE_INDICATOR, RATE_TARGET, percent_text


FONT = "宋体"


MONEY_FORMAT = "0.00"


RATE_FORMAT = "0.0%"


SCORE_FORMAT = "General"


REVIEW_FORMAT = "0.00"


@dataclass(frozen=True)
class _Col:
    key: str
    top: str
    bottom: str | None = None
    width: float = 10


_COLUMNS = {
    "guangzhou": (
        _Col("level1", "一级指标", None, 10), _Col("level2", "二级指标", None, 12), _Col("level3", "三级指标", None, 24),
        _Col("kind", "指标性质", None, 8), _Col("target", "指标值", "年度指标值", 12),
        _Col("actual", "指标值", "实际完成值", 12), _Col("measure", "计量单位", None, 8),
        _Col("weight", "得分情况", "分值", 7), _Col("claimed_score", "得分情况", "得分", 7),
        _Col("reviewed", "得分情况", "复核得分", 8), _Col("note", "偏差原因分析及改进措施", None, 30)),
    "chongqing": (
        _Col("level1", "一级指标", None, 10), _Col("level2", "二级指标", None, 10), _Col("level3", "指标名称", None, 20),
        _Col("measure", "计量单位", None, 7),
        _Col("kind", "指标性质", None, 8), _Col("target_initial", "指标值", "年初指标值", 10),
        _Col("target", "指标值", "调整指标值", 10), _Col("actual", "指标值", "全年完成值", 10),
        _Col("coefficient", "得分系数（%）", None, 8), _Col("weight", "指标权重（分）", None, 8),
        _Col("claimed_score", "指标得分（分）", None, 8), _Col("reviewed", "复核得分", None, 8),
        _Col("core", "是否核心指标", None, 7), _Col("note", "偏差原因", None, 24)),
    "mof10": (
        _Col("section", "绩效指标", None, 6), _Col("level1", "一级指标", None, 14), _Col("level2", "二级指标", None, 12),
        _Col("level3", "三级指标", None, 24), _Col("target", "指标值", "年度指标值", 12),
        _Col("actual", "指标值", "实际完成值", 12), _Col("weight", "分值", None, 7), _Col("claimed_score", "得分", None, 7),
        _Col("reviewed", "复核得分", None, 8), _Col("note", "偏差原因分析及改进措施", None, 28)),
}


def _xl(value):
    """A value openpyxl can store: NaN/NA → None, numpy scalars → Python."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    return value


def _width_of(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text)


class _Painter:
    """Cells with the form's look: 宋体, thin borders, centred and wrapped; merged ranges bordered."""

    def __init__(self, sheet, widths: list[float]):
        from openpyxl.styles import Alignment, Border, Font, Side

        self.ws = sheet
        self.widths = widths
        side = Side(style="thin", color="000000")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.Font, self.Alignment = Font, Alignment
        self.heights: dict[int, float] = {}

    def put(self, row: int, col: int, value=None, *, to_row: int | None = None, to_col: int | None = None,
            fmt: str | None = None, bold: bool = False, size: float = 10, align: str = "center",
            border: bool = True) -> None:
        to_row, to_col = to_row or row, to_col or col
        cell = self.ws.cell(row=row, column=col, value=_xl(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # a target such as "=100%" is text, not a formula
        if fmt:
            cell.number_format = fmt
        font = self.Font(name=FONT, size=size, bold=bold)
        alignment = self.Alignment(horizontal=align, vertical="center", wrap_text=True)
        for r in range(row, to_row + 1):
            for c in range(col, to_col + 1):
                target = self.ws.cell(row=r, column=c)
                target.font, target.alignment = font, alignment
                if border:
                    target.border = self.border
        if (to_row, to_col) != (row, col):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=to_row, end_column=to_col)
        text = "" if cell.value is None else str(cell.value)
        if text and to_row == row:
            width = sum(self.widths[c - 1] for c in range(col, to_col + 1))
            lines = sum(max(1, math.ceil(_width_of(part) * size / 10 / max(width - 1, 1))) for part in text.split("\n"))
            self.heights[row] = max(self.heights.get(row, 15), lines * size * 1.45 + 4)

    def finish(self) -> None:
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = round(height, 1)


def _one_unit_year(*frames: pd.DataFrame | None) -> tuple[str, int]:
    keys = set()
    for frame in frames:
        if frame is not None and len(frame) and {"unit_code", "year"} <= set(frame.columns):
            keys |= set(zip(frame["unit_code"], frame["year"].astype(int)))
    if len(keys) != 1:
        raise FormError(f"一张自评表只写一个单位的一个年度，这里有 {len(keys)} 个 / a form holds one unit-year; got "
                        f"{sorted(keys)[:5]}")
    code, year = keys.pop()
    return str(code), int(year)


def _is_rate_row(row: pd.Series) -> bool:
    """The 预算执行率 indicator as the budget block can hold it: target 100%, no 偏差原因 (the block has
    no column for either). Otherwise the row stays in the indicator table, so nothing is lost."""
    return row["level1"] == RATE_INDICATOR and row["level3"] == RATE_INDICATOR and \
        clean_text(row["target_text"]) in ("", RATE_TARGET) and not clean_text(row["note"]) and \
        clean_text(row["measure"]) in ("", "%")


def _grouped(indicators: pd.DataFrame) -> pd.DataFrame:
    """Rows grouped by 一级 then 二级 (in order of first appearance), so their cells can be merged."""
    if indicators.empty:
        return indicators
    level1 = indicators["level1"].fillna("")
    level2 = indicators["level2"].fillna("")
    first1 = level1.map({v: i for i, v in reversed(list(enumerate(level1)))})
    pair = level1 + "\x1f" + level2
    first2 = pair.map({v: i for i, v in reversed(list(enumerate(pair)))})
    order = pd.DataFrame({"a": first1, "b": first2, "c": range(len(indicators))}).sort_values(["a", "b", "c"]).index
    return indicators.loc[order].reset_index(drop=True)


def _budget_lines(budget: pd.DataFrame) -> tuple[dict, list[tuple[str, dict]]]:
    """The budget as the form shows it: the total, and one line per 资金来源."""
    money = list(MONEY)
    if budget is None or budget.empty:
        return {}, []
    is_total = budget["category"].eq("合计").fillna(False).to_numpy(dtype=bool)
    details = budget[~is_total]
    if len(details):
        total = {k: details[k].sum(min_count=1) for k in money}
        sources = details["funding_source"].fillna("未注明资金来源")
        lines = [(source, {k: part[k].sum(min_count=1) for k in money})
                 for source, part in details.groupby(sources, sort=False)]
    else:
        total = {k: budget.loc[is_total, k].sum(min_count=1) for k in money}
        lines = []
    return total, lines


def _rate_cell(rate_indicator: pd.Series | None, total: dict):
    """The 执行率 cell: the stated rate of the 预算执行率 indicator (a number when that gives the same
    text back, else its text), or the rate from the budget when there is no such indicator."""
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


def write_form(path: str | Path, layout: str, units: pd.DataFrame | None, budget: pd.DataFrame | None,
               indicators: pd.DataFrame | None, claims: pd.DataFrame | None, scored: pd.DataFrame | None = None,
               goals: dict | None = None, extras: pd.DataFrame | None = None) -> Path:
    """Write one unit-year as an official 自评表 workbook, with the recomputed scores beside the claimed.

    The sheet has the layout's merged title and headers, the two-row indicator header, merged 一级/二级
    cells, money as ``0.00`` (万元), rates as ``0.0%``, column widths, borders and an A4 landscape print
    set-up fitted to the page width. The 复核得分 column (``scored["score"]``, e.g. from
    :func:`perfeval_lib.review.evaluation.evaluate`) sits right beside 得分, and the recomputed total and grade
    beside the claimed ones. :func:`read_form` gives back the same canonical tables (复核得分 is kept
    apart, in ``FormData.reviewed``). The file is replaced atomically.

    Parameters
    ----------
    path : the .xlsx to write.
    layout : a key of :data:`LAYOUTS`.
    units, budget, indicators, claims : canonical tables holding one unit-year (other units' rows in
        ``units`` are ignored).
    scored : indicator rows with ``score`` (and ``rule``/``ruleset``): the 复核得分 column and total.
    goals : ``target`` / ``target_initial`` / ``actual`` / ``reason`` texts of the goals block.
    extras : per indicator ``core`` / ``coefficient`` / ``target_initial`` (``FormData.extras``).

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> ev = evaluate(units, budget, indicators, claims)                  # doctest: +SKIP
    >>> write_form("out.xlsx", "guangzhou", units, budget, indicators, claims, scored=ev.scored)  # doctest: +SKIP
    PosixPath('out.xlsx')
    """
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if layout not in LAYOUTS:
        raise FormError(f"未知的自评表版式「{layout}」，可用：{'、'.join(LAYOUTS)} / unknown layout {layout!r}; "
                        f"available: {', '.join(LAYOUTS)}")
    code, year = _one_unit_year(budget, indicators, claims)
    spec = LAYOUTS[layout]
    columns = _COLUMNS[layout]
    goals = goals or {}
    unit = {}
    if units is not None and len(units):
        rows = units[units["unit_code"] == code]
        if len(rows):
            unit = {k: _xl(v) for k, v in rows.iloc[0].to_dict().items()}
    lines_frame = None
    if budget is not None and len(budget):
        lines_frame = budget[(budget["unit_code"] == code) & (budget["year"] == year)]
    total, lines = _budget_lines(lines_frame)
    rows = pd.DataFrame(columns=INDICATOR_COLUMNS) if indicators is None else \
        indicators[(indicators["unit_code"] == code) & (indicators["year"] == year)]
    rate_indicator = None
    if spec.budget_scored and len(rows):
        rate_mask = rows.apply(_is_rate_row, axis=1).to_numpy(dtype=bool)
        if rate_mask.any():
            first = int(np.flatnonzero(rate_mask)[0])
            rate_indicator = rows.iloc[first]
            rows = rows.drop(index=rows.index[first])
    rows = _grouped(rows.reset_index(drop=True))
    claim = {}
    if claims is not None and len(claims):
        match = claims[(claims["unit_code"] == code) & (claims["year"] == year)]
        if len(match):
            claim = {k: _xl(v) for k, v in match.iloc[0].to_dict().items()}
    reviewed, review_total, review_grade, ruleset_name = {}, None, None, None
    if scored is not None and len(scored):
        mine = scored[(scored["unit_code"] == code) & (scored["year"] == year)]
        rules = mine["rule"] if "rule" in mine.columns else pd.Series(None, index=mine.index, dtype="object")
        reviewed = {k: v if pd.notna(v) else "不涉及" if rule == "not_applicable" else "—"
                    for k, v, rule in zip(mine["indicator"], mine["score"], rules)}
        if len(mine) and "rule" in mine.columns:
            summary = totals(mine)
            if len(summary):
                review_total = _xl(summary["score"].iloc[0])
                ruleset_name = summary["ruleset"].iloc[0]
                review_grade = _xl(grade_by_ruleset(summary["score"], summary["ruleset"]).iloc[0])
    extra_of = {}
    if extras is not None and len(extras):
        mine = extras[(extras["unit_code"] == code) & (extras["year"] == year)]
        extra_of = {r["indicator"]: r for _, r in mine.iterrows()}

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    widths = [c.width for c in columns]
    ncols = len(columns)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    p = _Painter(ws, widths)
    col_of = {c.key: i for i, c in enumerate(columns, start=1)}
    money_unit = "万元"
    context = dict(p=p, ncols=ncols, code=code, year=year, unit=unit, total=total, lines=lines, claim=claim,
                   goals=goals, rate_indicator=rate_indicator, reviewed=reviewed, review_total=review_total,
                   review_grade=review_grade, money_unit=money_unit)
    row = {"guangzhou": _top_guangzhou, "chongqing": _top_chongqing, "mof10": _top_mof10}[layout](**context)
    header_row = row
    body_end = _indicator_table(p, row, columns, rows, reviewed, extra_of, layout)
    row = body_end + 1
    if layout in ("guangzhou", "mof10"):
        label_to = col_of["weight"] - 1
        label_from = 2 if layout == "mof10" else 1
        if layout == "mof10":
            p.put(row, 1, None, to_row=row + 1)
        weights = rows["weight"].sum() + (rate_indicator["weight"] if rate_indicator is not None else 0) \
            if len(rows) or rate_indicator is not None else None
        p.put(row, label_from, "总分", to_col=label_to, bold=True)
        p.put(row, col_of["weight"], weights, fmt=SCORE_FORMAT)
        p.put(row, col_of["claimed_score"], claim.get("claimed_score"), fmt=SCORE_FORMAT, bold=True)
        p.put(row, col_of["reviewed"], "—" if review_total is None else review_total, fmt=REVIEW_FORMAT, bold=True)
        p.put(row, col_of["note"], None, to_col=ncols)
        row += 1
        p.put(row, label_from, "自评等级", to_col=label_to, bold=True)
        p.put(row, col_of["weight"], None)
        p.put(row, col_of["claimed_score"], claim.get("claimed_grade"), bold=True)
        p.put(row, col_of["reviewed"], review_grade or "—", bold=True)
        p.put(row, col_of["note"], None, to_col=ncols)
        row += 1
    note = (f"注：“复核得分”由 perfeval 按评分规则 {ruleset_name} 根据本表数据重新计算，供复核参考；金额单位：万元。"
            if ruleset_name else "注：金额单位：万元。")
    p.put(row + 1, 1, note, to_col=ncols, align="left", border=False, size=9)
    if "core" in col_of and len(rows):
        check = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        letter = get_column_letter(col_of["core"])
        check.add(f"{letter}{header_row + 2}:{letter}{body_end}")
        ws.add_data_validation(check)
    p.finish()
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{row + 1}"
    book.properties.title = spec.title.format(year=year)
    book.properties.creator = "perfeval"
    target = Path(path)
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target


def _text(value) -> str:
    value = _xl(value)
    return "" if value is None else str(value)


def _top_guangzhou(p: _Painter, ncols, code, year, unit, total, lines, goals, **_) -> int:
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
        rate, fmt = _rate_cell(None, values)
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


def _top_chongqing(p: _Painter, ncols, code, year, unit, total, claim, goals, rate_indicator, reviewed,
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
    rate, fmt = _rate_cell(rate_indicator, total)
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


def _top_mof10(p: _Painter, ncols, code, year, unit, total, lines, goals, rate_indicator, reviewed, **_) -> int:
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
    rate, fmt = _rate_cell(rate_indicator, total)
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


def _indicator_table(p: _Painter, start: int, columns, rows: pd.DataFrame, reviewed: dict, extra_of: dict,
                     layout: str) -> int:
    """The two-row header and the body; returns the last body row (the header's second row when empty)."""
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
                initial = None if extra is None else _xl(extra.get("target_initial"))
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
                stated = None if extra is None else _xl(extra.get("coefficient"))
                if stated is None and pd.notna(row["claimed_score"]) and pd.notna(row["weight"]) and row["weight"] > 0:
                    stated = round(float(row["claimed_score"]) / float(row["weight"]), 6)
                value, fmt = stated, RATE_FORMAT
            elif key == "core":
                core = None if extra is None else _xl(extra.get("core"))
                value = None if core is None else "是" if core else "否"
            elif key == "note":
                value, align = row["note"], "left"
            p.put(r, c, _xl(value), fmt=fmt, align=align)
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
            p.put(first + n, c, _xl(value), to_row=first + m)
            n = m + 1
    return max(last, start + 1)


def default_layout(ruleset: str | None) -> str:
    """The layout for a unit's ruleset: 部门整体共性指标 (mof-2013-dept) → ``guangzhou``, else ``mof10``.

    >>> default_layout("mof-2013-dept"), default_layout("mof-2020")
    ('guangzhou', 'mof10')
    """
    return "guangzhou" if ruleset == "mof-2013-dept" else "mof10"


def unit_form(unit_code: str, year: int, layout: str | None = None, output: str | Path | None = None,
              processed_dir: str | Path | None = None) -> Path:
    """Write the form of one unit-year from the processed tables, with its recomputed scores.

    The unit's rows are evaluated as :func:`perfeval_lib.render.report.unit_report` does; the default file is
    ``reports/<year>/forms/<unit_code>_<year>_自评表.xlsx``.

    >>> unit_form("D001", 2023)                                          # doctest: +SKIP
    PosixPath('.../reports/2023/forms/D001_2023_自评表.xlsx')
    """
    if layout is not None and layout not in LAYOUTS:
        raise FormError(f"未知的自评表版式「{layout}」，可用：{'、'.join(LAYOUTS)} / unknown layout {layout!r}; "
                        f"available: {', '.join(LAYOUTS)}")
    tables = processed_tables(processed_dir)

    def of_unit(name: str) -> pd.DataFrame:
        frame = tables.get(name, pd.DataFrame())
        if frame.empty or "unit_code" not in frame.columns:
            return frame
        return frame[frame["unit_code"] == unit_code].reset_index(drop=True)

    units, results = of_unit("units"), of_unit("results")
    if units.empty and results.empty:
        raise UnitNotFound(f"单位「{unit_code}」不在已处理的数据中 / unit {unit_code!r} is not in the processed data")
    known = sorted(set(results["year"].astype(int))) if len(results) else []
    if year not in known:
        shown = "、".join(map(str, known)) or "无"
        raise UnitNotFound(f"单位「{unit_code}」没有 {year} 年的数据（已有：{shown}）/ no data for {unit_code} in {year}")
    picked = {name: of_unit(name) for name in ("budget", "indicators", "claims", "spending")}
    ev = evaluate(units if len(units) else None, picked["budget"], picked["indicators"], picked["claims"],
                  picked["spending"] if len(picked["spending"]) else None)

    def this_year(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["year"] == year] if len(frame) else frame

    ruleset = units["ruleset"].iloc[0] if len(units) and "ruleset" in units.columns else None
    layout = layout or default_layout(ruleset if isinstance(ruleset, str) else None)
    texts = {}
    narratives = tables.get("narratives", pd.DataFrame())
    if len(narratives):
        analyst = analyst_text(narratives, unit_code, year)
        texts = {"target": "\n".join(analyst.get("goals", [])), "actual": "\n".join(analyst.get("achievements", []))}
    target = Path(output) if output else config.reports_dir() / str(year) / "forms" / f"{unit_code}_{year}_自评表.xlsx"
    budget = this_year(picked["budget"])
    indicators = this_year(picked["indicators"])
    claims = this_year(picked["claims"])
    if budget.empty and indicators.empty and claims.empty:
        raise UnitNotFound(f"单位「{unit_code}」{year} 年没有预算、指标或自评数据 / no budget, indicators or claims for "
                           f"{unit_code} in {year}")
    return write_form(target, layout, units, budget, indicators, claims, scored=this_year(ev.scored),
                      goals={k: v for k, v in texts.items() if v})

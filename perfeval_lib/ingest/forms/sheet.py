"""One sheet of an official form → canonical rows, checked like a CSV file, plus what only the form has.

Each block becomes the rows a tidy CSV would hold and goes through the same parsing and validation
(:func:`perfeval_lib.ingest.sheets.sheet_to_frame`, :func:`perfeval_lib.ingest.tables.finish_table`),
so a form and its CSV twin load to the same rows; the issues then name the form's own rows and
header texts. The budget block's rows become budget lines (money in 万元 after the block's unit); its
预算执行率 cells (分值 / 执行率 / 得分), where the layout scores the rate there, the indicator row
:data:`~perfeval_lib.ingest.forms.words.RATE_INDICATOR`; the 总分 row (or a 自评总分 cell) the claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core.issues import Issue
from ...core.parse import MISSING_TOKENS, clean_text, header_unit
from ...core.schema import INPUT_TABLES, TABLES
from ..readers import RawSheet
from ..sheets import sheet_to_frame
from ..tables import PROVENANCE_COLUMNS, Loaded, empty_table, finish_table
from .blocks import BudgetBlock, FormBlocks, IndicatorHeader, budget_label
from .grid import Grid
from .checks import check_level_points, ignored_in_block, value_text
from .info import FormContext, find_year, identify_unit, money_unit, scan_labels, split_code, unit_name_of
from .words import (CLAIM_SOURCE, CORE_FALSE, CORE_TRUE, GRADE_LABELS, GRADE_WORDS, MONEY, PLACEHOLDERS,
                    RATE_INDICATOR, RATE_TARGET, STOP_PREFIXES, SUBTOTAL_ROW, TOTAL_KEY, TOTAL_ROW, any_label,
                    budget_row_kind, instruction, level_text, normalise_label, percent_text)

#: The canonical tables a form holds.
FORM_TABLES = ("units", "budget", "indicators", "claims")
#: ``FormData.extras``: per indicator row, what only some layouts have.
EXTRAS_COLUMNS = ["unit_code", "year", "indicator", "core", "coefficient", "target_initial"]
#: ``FormData.reviewed``: a 复核得分 column found on the form, per indicator and :data:`TOTAL_KEY`.
REVIEWED_COLUMNS = ["unit_code", "year", "indicator", "score"]
#: The indicator table as a CSV would give it: key → header (the canonical table's labels).
_INDICATOR_HEADERS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "kind": "指标性质",
                      "direction": "指标方向", "weight": "分值", "target": "年度指标值", "actual": "实际完成值", "measure": "计量单位",
                      "claimed_score": "自评得分", "note": "偏差原因"}
#: Scores that differ by more than this (points) are reported as not matching.
_SCORE_SLACK = 0.011


def blank_frame(columns: list[str]) -> pd.DataFrame:
    """A frame with ``columns`` (of dtype object) and no rows.

    >>> blank_frame(["unit_code", "score"]).shape
    (0, 2)
    """
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _nothing_loaded(table: str, file: str) -> Loaded:
    return Loaded(table, empty_table(table), [], [file], provenance=blank_frame(PROVENANCE_COLUMNS))


def table_from_rows(table: str, header: list[str], rows: list[list], excel_rows: list[int], shown: dict[str, str],
                    file: str, sheet: str, merges_known: bool = False) -> tuple[Loaded, list[Issue]]:
    """Parse and validate rows exactly as a CSV with ``header`` would be, then put back the form's
    own rows and header texts into the provenance and the issues.

    Parameters
    ----------
    table : str
        The canonical table.
    header : list of str
        A CSV header for the rows (canonical labels such as 单位编码, 全年预算数（万元）).
    rows : list of list
        The rows' cells as :meth:`Grid.raw` gives them.
    excel_rows : list of int
        Each row's 1-based row on the form.
    shown : dict
        Header of ``header`` → the header as the form has it, for messages.
    file, sheet : str
        Where the rows come from.
    merges_known : bool, default False
        True when the rows come from a workbook whose merged ranges were filled already: a blank
        一级/二级 cell is then not filled from the row above.

    Returns
    -------
    loaded : perfeval_lib.ingest.tables.Loaded
        The valid rows (money in 万元, rates as fractions 0–1), ``provenance`` with the form's rows.
    issues : list of perfeval_lib.core.issues.Issue
        Parsing and validation issues, naming the form's rows and headers.

    Examples
    --------
    >>> loaded, issues = table_from_rows("claims", ["单位编码", "年度", "自评总分"], [["D001", 2022, "九十"]], [31],
    ...                                  {"自评总分": "得分"}, "form.xlsx", "自评表")
    >>> len(loaded.frame), [(i.code, i.row, i.column) for i in issues]
    (0, [('bad_value', 31, '得分')])
    """
    if not rows:
        return _nothing_loaded(table, file), []
    cells = pd.DataFrame([header, *rows], dtype=object)
    frame, issues = sheet_to_frame(RawSheet(file, sheet, cells, merges_known=merges_known), INPUT_TABLES[table])
    issues = [i for i in issues if i.code != "ignored_column"]  # the form's own headers are checked by the reader
    rowmap = {i + 2: r for i, r in enumerate(excel_rows)}
    frame = frame.assign(_row=frame["_row"].map(rowmap))
    for issue in issues:
        issue.row = rowmap.get(issue.row, issue.row)
        issue.column = shown.get(issue.column, issue.column)
    loaded = finish_table(table, frame, [], [file])
    for issue in loaded.issues:
        issue.column = shown.get(issue.column, issue.column)
    return loaded, issues + loaded.issues


@dataclass
class SheetRead:
    """What one sheet of a form gave (:func:`read_sheet`).

    Parameters
    ----------
    layout : str
        A key of :data:`~perfeval_lib.ingest.forms.words.LAYOUTS`.
    loaded : dict
        Each table of :data:`FORM_TABLES` → :class:`~perfeval_lib.ingest.tables.Loaded`.
    goals, info : dict
        The goals block's texts and the unit information (:func:`~perfeval_lib.ingest.forms.info.scan_labels`).
    extras, reviewed : pandas.DataFrame
        Columns :data:`EXTRAS_COLUMNS` and :data:`REVIEWED_COLUMNS` (see
        :class:`~perfeval_lib.ingest.forms.read.FormData`).
    issues : list of perfeval_lib.core.issues.Issue
        Every issue of the sheet.
    form : dict
        What was read about the form: ``unit_code``, ``unit_name``, ``unit_label`` (the label naming the
        unit), ``parent``, ``project`` and ``project_code`` (split from 项目名称), ``year``,
        ``year_source`` (``title``/``cell``/``sheet``/``file``/``option``, None), ``sheet``, ``layout`` and
        ``budget``: the figures the budget block states on its total row (``budget_initial``,
        ``budget_final``, ``executed`` in 万元, ``stated_rate`` a fraction, ``rate_weight``,
        ``rate_score`` in points; NaN where not stated).

    Examples
    --------
    >>> empty = SheetRead("guangzhou", {}, {}, {}, blank_frame(EXTRAS_COLUMNS), blank_frame(REVIEWED_COLUMNS), [])
    >>> list(empty.reviewed)
    ['unit_code', 'year', 'indicator', 'score']
    """

    layout: str
    loaded: dict[str, Loaded]
    goals: dict
    info: dict
    extras: pd.DataFrame
    reviewed: pd.DataFrame
    issues: list[Issue]
    form: dict = field(default_factory=dict)


@dataclass
class _Reading:
    """One sheet being read for one unit-year: the indicator table's columns by key, their headers as
    typed, and the issues found so far (each part of the reading appends its own)."""

    grid: Grid
    file: str
    unit_code: str
    year: int
    cols: dict[str, int]
    shown: dict[str, str]
    issues: list[Issue]
    level1_unnamed: set = field(default_factory=set)

    @property
    def sheet(self) -> str:
        return self.grid.name

    def load(self, table: str, header: list[str], rows: list[list], excel_rows: list[int],
             shown: dict[str, str]) -> Loaded:
        loaded, issues = table_from_rows(table, header, rows, excel_rows, shown, self.file, self.sheet,
                                         self.grid.merges_known)
        self.issues += issues
        return loaded

    def warn(self, code: str, message: str, row: int, column: str | None, value, expected: str | None = None,
             **about) -> None:
        self.issues.append(Issue("warning", code, message, self.file, self.sheet, row, column, value, expected,
                                 **about))


def _stated(value) -> bool:
    return value is not None and clean_text(value).lower() not in MISSING_TOKENS and not instruction(clean_text(value))


def _read_budget(reading: _Reading, budget: BudgetBlock, info: dict) -> tuple[Loaded, list[list], list[int],
                                                                                list[dict], dict]:
    """The budget block's lines, its 预算执行率 row (when the block has 分值, or its label states the
    points) as an indicator row, and the figures the block states on its total (or first) row.

    A line missing 全年预算数 or 全年执行数 is not loaded (a warning says so); the block's stated
    figures keep whatever it states."""
    grid, unit_code, year = reading.grid, reading.unit_code, reading.year
    unit = money_unit(grid, budget, info)
    bcols = {k: c for k, (c, _) in budget.columns.items()}
    money_headers = {k: f"{TABLES['budget'].column(k).label}（{header_unit(t) or unit}）"
                     for k, (_, t) in budget.columns.items() if k in MONEY}
    shown = {money_headers[k]: t for k, (_, t) in budget.columns.items() if k in MONEY}
    header_row = ["单位编码", "年度", "支出类别", "资金来源", *money_headers.values(), "说明"]
    rows, excel_rows, total_row = [], [], None
    for r in budget.rows:
        label = budget_label(grid, r, budget.label_cols)
        kind = budget_row_kind(label) if label else ("total", None)
        kind = kind or ("source", label)
        if kind[0] == "total" and total_row is None:
            total_row = r
        money = [grid.raw(r, bcols[k]) for k in money_headers]
        if not any(_stated(m) for m in money):
            continue
        missing = [budget.columns[k][1] if k in budget.columns else TABLES["budget"].column(k).label
                   for k in ("budget_final", "executed") if k not in bcols or not _stated(grid.raw(r, bcols[k]))]
        if missing:
            reading.warn("budget_line_incomplete",
                         f"预算行未载入：没有{'、'.join(missing)} / budget line not loaded: no {', '.join(missing)}",
                         r + 1, missing[0], label or None, unit_code=unit_code, year=year)
            continue
        category = "合计" if kind[0] == "total" else kind[1] if kind[0] == "category" else None
        source = kind[1] if kind[0] == "source" else None
        note = grid.raw(r, bcols.get("note"))
        rows.append([unit_code, year, category, source, *money, note if _stated(note) else None])
        excel_rows.append(r + 1)
    loaded = reading.load("budget", header_row, rows, excel_rows, shown)
    rate_row = total_row if total_row is not None else (budget.rows[0] if budget.rows else None)
    stated = _stated_figures(grid, budget, rate_row, unit)
    rate_rows, rate_at, reviewed = [], [], []
    weight = grid.raw(rate_row, bcols["weight"]) if rate_row is not None and "weight" in bcols else budget.points
    if rate_row is not None and _stated(weight):
        rate_header = budget.columns.get("rate", (None, ""))[1]
        actual = grid.rate_text(rate_row, bcols["rate"], rate_header) if "rate" in bcols else None
        score = grid.raw(rate_row, bcols.get("score"))
        rate_rows.append([unit_code, year, RATE_INDICATOR, RATE_INDICATOR, RATE_INDICATOR, "定量", None,
                          weight, RATE_TARGET, actual, "%", score if _stated(score) else None, None])
        rate_at.append(rate_row + 1)
        if "reviewed" in bcols and np.isfinite(grid.number(rate_row, bcols["reviewed"])):
            reviewed.append({"_row": rate_row + 1, "score": grid.number(rate_row, bcols["reviewed"])})
    return loaded, rate_rows, rate_at, reviewed, stated


def _stated_figures(grid: Grid, budget: BudgetBlock, r: int | None, unit: str) -> dict:
    """What the budget block's total (or first) row states: money in 万元, the rate as a fraction, its
    分值 and 得分 — as typed, for the summary (NaN where the form states nothing)."""
    bcols = {k: c for k, (c, _) in budget.columns.items()}
    factor = {"万元": 1.0, "元": 1e-4, "亿元": 1e4}
    figures = {k: np.nan for k in (*MONEY, "stated_rate", "rate_weight", "rate_score")}
    if r is None:
        return figures
    for key in MONEY:
        if key in bcols:
            column_unit = header_unit(budget.columns[key][1]) or unit
            figures[key] = round(grid.number(r, bcols[key]) * factor.get(column_unit, 1.0), 6)
    if "rate" in bcols:
        figures["stated_rate"] = grid.fraction(r, bcols["rate"], budget.columns["rate"][1])
    figures["rate_weight"] = grid.number(r, bcols["weight"]) if "weight" in bcols else \
        (budget.points if budget.points is not None else np.nan)
    figures["rate_score"] = grid.number(r, bcols.get("score"))
    return figures


def _extra(reading: _Reading, r: int, level3: str | None, target: str, initial: str) -> dict:
    """The row's 是否核心指标, 得分系数 (checked: 系数 × 分值 = 得分) and replaced 年初指标值."""
    grid, cols, shown = reading.grid, reading.cols, reading.shown
    extra = {}
    if "core" in cols:
        word = grid.text(r, cols["core"]).lower()
        extra["core"] = True if word in CORE_TRUE else False if word in CORE_FALSE else None
        if word and extra["core"] is None:
            reading.warn("bad_value", "是否核心指标应填“是”或“否” / 是否核心指标 should be 是 or 否",
                         r + 1, shown["core"], grid.text(r, cols["core"]), "是 / 否")
    if "coefficient" in cols:
        extra["coefficient"] = grid.fraction(r, cols["coefficient"], shown["coefficient"])
        weight, claimed = grid.number(r, cols.get("weight")), grid.number(r, cols.get("claimed_score"))
        if all(np.isfinite([extra["coefficient"], weight, claimed])) and \
                abs(extra["coefficient"] * weight - claimed) > _SCORE_SLACK:
            reading.warn("coefficient_mismatch",
                         f"得分系数 × 分值 ≠ 得分：{percent_text(extra['coefficient'])} × {weight:g} = "
                         f"{extra['coefficient'] * weight:.2f}，表中得分 {claimed:g} / score coefficient × weight "
                         f"({extra['coefficient'] * weight:.2f}) differs from the stated score ({claimed:g})",
                         r + 1, shown["coefficient"], grid.text(r, cols["coefficient"]),
                         unit_code=reading.unit_code, year=reading.year, indicator=level3)
    if target and initial and clean_text(initial) != clean_text(target):
        extra["target_initial"] = initial
    return extra


def _read_indicator_rows(reading: _Reading, header: IndicatorHeader
                         ) -> tuple[list[list], list[int], dict[int, dict], list[dict], int | None, int]:
    """The indicator table's rows down to its 总分 row or the notes under it.

    Returns the rows as a CSV would hold them, their 1-based rows, the extras and 复核得分 by row, the
    total row (0-based, None when the table has none) and the row where reading stopped.
    """
    grid, cols = reading.grid, reading.cols
    level_cols = {cols[k] for k in ("level1", "level2", "level3") if k in cols}
    down_cols = level_cols | ({cols["note"]} if "note" in cols else set())
    grid.fill(range(header.body_start, grid.nrows), level_cols, down_cols)
    value_keys = [k for k in ("weight", "target", "target_initial", "actual", "claimed_score") if k in cols]
    first_value_col = min((cols[k] for k in value_keys), default=grid.ncols)
    rows, at, extras_at, reviewed, total_at, level_points = [], [], {}, [], None, {}
    r = header.body_start
    while r < grid.nrows:
        texts = grid.row_texts(r)
        if not texts:
            r += 1
            continue
        leading = [normalise_label(t) for c, t in texts if c < first_value_col]
        if any(t in TOTAL_ROW for t in leading):
            total_at = r
            break
        if texts[0][1].startswith(STOP_PREFIXES):
            break
        if any(t in SUBTOTAL_ROW for t in leading):
            r += 1
            continue
        level3 = level_text(grid.text(r, cols["level3"]))
        values = [value_text(grid.text(r, cols[k])) for k in value_keys]
        if (level3 is None or level3 in PLACEHOLDERS) and all(v.lower() in PLACEHOLDERS | {""} for v in values):
            r += 1  # an empty 指标2： / …… line of the printed template
            continue
        if not any(values):
            reading.warn("indicator_without_values", f"指标行只有名称「{level3}」，没有分值、指标值、完成值或得分：未读入 / "
                         "an indicator row with a name only: not read", r + 1, reading.shown["level3"], level3)
            r += 1
            continue
        target = value_text(grid.text(r, cols["target"])) if "target" in cols else ""
        initial = value_text(grid.text(r, cols["target_initial"])) if "target_initial" in cols else ""
        level1_text = grid.text(r, cols["level1"]) if "level1" in cols else ""
        level1 = level_text(level1_text) or (level1_text.strip() or None)
        if level1_text and not level_text(level1_text) and level1_text not in reading.level1_unnamed:
            reading.level1_unnamed.add(level1_text)
            reading.warn("level1_without_name", f"一级指标只写了分值「{level1_text}」，没有名称：照原样保留 / the 一级指标 "
                         "cell states its points but no name: kept as written", r + 1, reading.shown["level1"],
                         level1_text)
        rows.append([
            reading.unit_code, reading.year, level1,
            level_text(grid.text(r, cols["level2"])) if "level2" in cols else None,
            level3,
            grid.text(r, cols["kind"]) or None if "kind" in cols else None,
            grid.text(r, cols["direction"]) or None if "direction" in cols else None,
            grid.raw(r, cols.get("weight")),
            target or initial or None,
            value_text(grid.text(r, cols["actual"])) or None if "actual" in cols else None,
            grid.text(r, cols["measure"]) or None if "measure" in cols else None,
            grid.raw(r, cols.get("claimed_score")),
            value_text(grid.text(r, cols["note"])) or None if "note" in cols else None,
        ])
        level_points[r + 1] = level1_text
        at.append(r + 1)
        extras_at[r + 1] = _extra(reading, r, level3, target, initial)
        if "reviewed" in cols and np.isfinite(grid.number(r, cols["reviewed"])):
            reviewed.append({"_row": r + 1, "score": grid.number(r, cols["reviewed"])})
        r += 1
    check_level_points(reading, rows, at, level_points)
    return rows, at, extras_at, reviewed, total_at, r


def _grade_row(grid: Grid, start: int) -> int | None:
    """The 自评等级 row at or below ``start``."""
    for r in range(start, grid.nrows):
        if any(normalise_label(t) in GRADE_LABELS for _, t in grid.row_texts(r)):
            return r
    return None


def _read_claim(reading: _Reading, info: dict, where: dict, total_at: int | None, grade_at: int | None,
                indicators: pd.DataFrame) -> Loaded | None:
    """The claim: the 总分 row's 得分 (or the 自评总分 label's value) and the 自评等级, checked against the
    indicators' 分值 and 得分; None when the form states no total."""
    grid, cols, shown = reading.grid, reading.cols, reading.shown
    about = {"unit_code": reading.unit_code, "year": reading.year}
    claim_score, claim_grade, claim_row = None, None, None
    claim_col = cols.get("claimed_score")
    if total_at is not None and claim_col is not None and not grid.text(total_at, claim_col):
        claim_col = _merged_over(grid, total_at, claim_col)  # 总分 | 100分 written across the row's cells
    if total_at is not None and claim_col is not None and grid.text(total_at, claim_col):
        claim_score, claim_row = grid.raw(total_at, claim_col), total_at + 1
        if isinstance(claim_score, str) and re.fullmatch(r"\d+(\.\d+)?\s*分", claim_score.strip()):
            claim_score = claim_score.strip().rstrip("分").strip()  # 100分
        stated_weight = grid.number(total_at, cols.get("weight"))
        weights = indicators["weight"].sum() if len(indicators) else np.nan
        if np.isfinite(stated_weight) and np.isfinite(weights) and abs(stated_weight - weights) > _SCORE_SLACK:
            reading.warn("total_mismatch",
                         f"总分行的分值 {stated_weight:g} 与各指标分值之和 {weights:g} 不符 / the total row's weight "
                         f"{stated_weight:g} differs from the sum of the indicators' weights {weights:g}",
                         total_at + 1, shown["weight"], f"{stated_weight:g}", **about)
    if info.get("claimed_score"):
        r_label = where.get("claimed_score", (0, 0))[0]
        stated = grid.number(*where["claimed_score"]) if "claimed_score" in where else np.nan
        if claim_score is None:
            claim_score, claim_row = info["claimed_score"], r_label + 1
        elif np.isfinite(stated) and abs(stated - grid.number(total_at, claim_col)) > _SCORE_SLACK:
            reading.warn("total_mismatch",
                         f"表头自评总分 {stated:g} 与总分行 {grid.number(total_at, claim_col):g} 不符 / the stated "
                         f"total differs from the total row", r_label + 1, "自评总分", f"{stated:g}", **about)
    if grade_at is not None:
        claim_grade = grid.text(grade_at, claim_col) if claim_col is not None else ""
        if not claim_grade:
            label_col = next(c for c, t in grid.row_texts(grade_at) if normalise_label(t) in GRADE_LABELS)
            nxt = next(((c, t) for c, t in grid.row_texts(grade_at)
                        if c > label_col and normalise_label(t) not in GRADE_LABELS), None)
            if nxt and nxt[0] != cols.get("reviewed") and not any_label(nxt[1]):
                claim_grade = nxt[1]
    claim_grade = claim_grade or info.get("claimed_grade") or None
    claim_grade = GRADE_WORDS.get(claim_grade, claim_grade)
    if claim_score is None:
        return None
    loaded = reading.load("claims", ["单位编码", "年度", "自评总分", "自评等级", "来源"],
                          [[reading.unit_code, reading.year, claim_score, claim_grade, CLAIM_SOURCE]], [claim_row],
                          {"自评总分": shown.get("claimed_score", "自评总分")})
    claims = loaded.frame
    summed = indicators["claimed_score"].sum(min_count=1) if len(indicators) else np.nan
    if len(claims) and np.isfinite(summed) and abs(claims["claimed_score"].iloc[0] - summed) > _SCORE_SLACK:
        reading.warn("total_mismatch",
                     f"自评总分 {claims['claimed_score'].iloc[0]:g} 与各指标自评得分之和 {summed:g} 不符 / the claimed "
                     f"total differs from the sum of the indicators' claimed scores ({summed:g})",
                     claim_row, shown.get("claimed_score", "自评总分"), f"{claims['claimed_score'].iloc[0]:g}", **about)
    return loaded


def _merged_over(grid: Grid, r: int, c: int) -> int | None:
    """The column holding the value of the merged range that covers cell (r, c) from the same row."""
    for r1, c1, r2, c2 in grid.merged:
        if r1 == r and c1 <= c <= c2 and r <= r2:
            return c1
    return c


def _form_only(reading: _Reading, indicators: pd.DataFrame, rows_of: list[int],
               extras_at: dict[int, dict], reviewed: list[dict], total_at: int | None, where: dict
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What only the form has: the extras per indicator row, and the 复核得分 column with its total."""
    grid, cols, unit_code, year = reading.grid, reading.cols, reading.unit_code, reading.year
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
    if total_at is not None and "reviewed" in cols and np.isfinite(grid.number(total_at, cols["reviewed"])):
        review.append({"unit_code": unit_code, "year": year, "indicator": TOTAL_KEY,
                       "score": grid.number(total_at, cols["reviewed"])})
    if not any(x["indicator"] == TOTAL_KEY for x in review) and "reviewed_total" in where:
        stated = grid.number(*where["reviewed_total"])
        if np.isfinite(stated):
            review.append({"unit_code": unit_code, "year": year, "indicator": TOTAL_KEY, "score": stated})
    return extras, pd.DataFrame(review, columns=REVIEWED_COLUMNS) if review else blank_frame(REVIEWED_COLUMNS)


def read_sheet(grid: Grid, blocks: FormBlocks, file: str, registry: pd.DataFrame | None,
               context: FormContext | None = None) -> SheetRead:
    """Read one sheet holding a form into canonical tables, checked like any input file.

    Parameters
    ----------
    grid : Grid
        The sheet (its merged 一级/二级/三级 cells are filled in place).
    blocks : FormBlocks
        Where its blocks sit (:func:`~perfeval_lib.ingest.forms.blocks.locate_form`).
    file : str
        The file's name in messages.
    registry : pandas.DataFrame or None
        The canonical ``units`` table, to identify a unit named without a code.
    context : FormContext, optional
        ``--unit``, ``--year``, the file's name; a ``placeholder_year`` lets a form stating no year be
        read all the same (for scoring it alone).

    Returns
    -------
    SheetRead
        ``loaded`` holds the valid rows of ``units``, ``budget`` (万元), ``indicators`` (with the
        预算执行率 row last) and ``claims``, their provenance in the form's rows; ``form`` what was
        read about the form itself. Nothing is loaded, with a ``no_year`` error, when no year is found.

    Examples
    --------
    A 财预〔2020〕10号 form: 预算执行率 scored in the budget block (分值 10), 绩效指标 below.

    >>> from perfeval_lib.ingest.forms.blocks import locate_form
    >>> grid = Grid.from_rows([
    ...     ["2022年度部门整体支出绩效自评表", "", "", "", "", ""],
    ...     ["单位编码", "D001", "单位名称", "示例区教育局", "", ""],
    ...     ["", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ...     ["年度资金总额", 200, 190, 10, "95%", 9.5],
    ...     ["一级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分"],
    ...     ["产出指标", "培训人次", 50, "≥500", "520", 50],
    ...     ["效益指标", "满意度", 40, "≥90%", "93%", 40],
    ...     ["总分", "", 100, "", "", 99.5]], name="自评表")
    >>> blocks = locate_form(grid)
    >>> read = read_sheet(grid, blocks, "form.xlsx", None)
    >>> blocks.layout, [i.code for i in read.issues if i.severity != "info"]
    ('mof10', [])
    >>> read.loaded["indicators"].frame[["indicator", "weight", "target", "actual", "claimed_score"]].values.tolist()
    [['培训人次', 50.0, 500.0, 520.0, 50.0], ['满意度', 40.0, 0.9, 0.93, 40.0], ['预算执行率', 10.0, 1.0, 0.95, 9.5]]
    >>> read.loaded["budget"].frame[["line", "budget_final", "executed"]].values.tolist()
    [['合计', 200.0, 190.0]]
    >>> read.loaded["claims"].frame[["claimed_score", "source"]].values.tolist()
    [[99.5, '指标表合计行']]
    """
    sheet = grid.name
    context = context or FormContext()
    header, budget = blocks.header, blocks.budget
    issues = [Issue(i.severity, i.code, i.message, file, sheet, i.row, i.column, i.value, i.expected)
              for i in (header.issues if header is not None else [])]
    budget_rows = set(range(budget.row, budget.end)) if budget else set()
    top = header.row if header is not None else (budget.end if budget is not None else grid.nrows)
    upper = [r for r in range(top) if r not in budget_rows]
    info, where, goals = scan_labels(grid, upper)
    year, year_source = find_year(grid, upper, info, context)
    unit_code, unit_name, unit_issues = identify_unit(info, where, registry, file, sheet, context)
    issues += unit_issues
    project_code, project = split_code(clean_text(info.get("project")) or None)
    form = {"unit_code": unit_code, "unit_name": unit_name, "unit_label": unit_name_of(info, where)[1],
            "parent": split_code(clean_text(info.get("parent")) or None)[1], "project": project,
            "project_code": project_code, "year": year, "year_source": year_source, "sheet": sheet,
            "layout": blocks.layout, "budget": {}}
    if context.year and year and year_source != "option" and context.year != year:
        issues.append(Issue("warning", "year_mismatch", f"表中年度为 {year}，与 --year {context.year} 不同：采用表中年度 / "
                            f"the form states {year}, not --year {context.year}: the form's year is used", file, sheet))
    if year_source in ("sheet", "file", "option"):
        issues.append(Issue("info", "year_source", {"sheet": "年度取自工作表名称 / year from the sheet's name",
                                                    "file": "年度取自文件名 / year from the file's name",
                                                    "option": "表中没有年度，取自 --year / year from --year"}[year_source],
                            file, sheet, value=year))
    if year is None:
        severity = "warning" if context.placeholder_year else "error"
        issues.append(Issue(severity, "no_year", "找不到年度：标题、年度栏、工作表名和文件名都没有写明年度 / no year: neither "
                            "the title, a 年度 cell, the sheet's name nor the file's name states it", file, sheet, 1,
                            expected="标题如“2022年度部门整体支出绩效自评表”，或用 --year 指定 / a title with the year, "
                                     "or give --year"))
        year = context.placeholder_year
    loaded = {name: _nothing_loaded(name, file) for name in FORM_TABLES}
    if year is None:
        return SheetRead(blocks.layout, loaded, goals, info, blank_frame(EXTRAS_COLUMNS),
                         blank_frame(REVIEWED_COLUMNS), issues, form)
    columns = header.columns if header is not None else {}
    reading = _Reading(grid, file, unit_code, year, {k: c for k, (c, _) in columns.items()},
                       {k: t.replace("\n", "") for k, (_, t) in columns.items()}, issues)
    if unit_name:
        r = where.get("unit_impl", where.get("unit_name", (0, 0)))[0]
        loaded["units"] = reading.load("units", ["单位编码", "单位名称", "主管部门"],
                                       [[unit_code, unit_name, form["parent"]]], [r + 1], {})
    # the 预算执行率 row goes last: the indicator normaliser fills 二级指标 down, and its 二级 must not spread
    rate_rows, rate_at, reviewed = [], [], []
    if budget is not None:
        loaded["budget"], rate_rows, rate_at, reviewed, form["budget"] = _read_budget(reading, budget, info)
        reading.issues += ignored_in_block(grid, budget.row, None, {c for c, _ in budget.columns.values()},
                                           range(budget.row + 1, budget.end), set(budget.label_cols), file)
    if header is None:
        rows, at, extras_at, total_at, stop = [], [], {}, None, top
        reading.issues.append(Issue("warning", "no_indicator_table", "表中没有绩效指标表：只读取了预算执行情况 / the form "
                                    "has no indicator table: only its budget block was read", file, sheet, top + 1))
    else:
        rows, at, extras_at, table_reviewed, total_at, stop = _read_indicator_rows(reading, header)
        reviewed += table_reviewed
        reading.issues += ignored_in_block(grid, header.row, header.row + 1 if header.two_row else None,
                                           {c for c, _ in header.columns.values()},
                                           range(header.body_start, total_at if total_at is not None else stop),
                                           set(), file)
    grade_at = _grade_row(grid, total_at + 1 if total_at is not None else stop)
    shown = {label: reading.shown.get(key) or (reading.shown.get("target_initial") if key == "target" else None)
             or label for key, label in _INDICATOR_HEADERS.items()}
    loaded["indicators"] = reading.load("indicators", ["单位编码", "年度", *_INDICATOR_HEADERS.values()],
                                        rows + rate_rows, at + rate_at, shown)
    indicators = loaded["indicators"].frame
    rows_of = loaded["indicators"].provenance["_row"].tolist() if len(indicators) else []
    claims = _read_claim(reading, info, where, total_at, grade_at, indicators)
    if claims is not None:
        loaded["claims"] = claims
    extras, reviewed_frame = _form_only(reading, indicators, rows_of, extras_at, reviewed, total_at, where)
    return SheetRead(blocks.layout, loaded, goals, info, extras, reviewed_frame, reading.issues, form)

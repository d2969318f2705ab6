"""The official 自评表 workbook written back: the recomputed self-evaluation in the bureau's layout.

The layouts and their words are shared with the reader (:mod:`perfeval_lib.ingest.forms`); this module
picks one unit-year out of the canonical tables and writes it — merged headers, number formats, column
widths, A4 print set-up — with 复核得分 beside 得分 and the recomputed total beside the claimed one.
How each layout looks (columns, the block above the indicator table, the table) is
:mod:`perfeval_lib.render.workbook_layouts`; how a cell looks, :mod:`perfeval_lib.render.workbook_paint`. Money in 万元, rates as fractions (shown ``0.0%``), scores in
points.

Examples
--------
>>> default_layout("mof-2020")
'mof10'
>>> unit_form("D001", 2023)                                          # doctest: +SKIP
PosixPath('.../reports/2023/forms/D001_2023_自评表.xlsx')
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core import config
from ..core.codes import match_codes, safe_code
from ..core.errors import FormError, UnitNotFound
from ..core.files import atomic_path
from ..core.parse import clean_text
from ..core.schema import INDICATOR_COLUMNS
from ..core.store import processed_tables
from ..ingest.narratives import analyst_text
from ..review.evaluation import evaluate
from ..review.rulesets import grade_by_ruleset
from ..review.scoring import totals
from ..ingest.forms import LAYOUTS, MONEY, RATE_INDICATOR, RATE_TARGET
from .workbook_layouts import COLUMNS, TOP_BLOCKS, indicator_table
from .workbook_paint import REVIEW_FORMAT, SCORE_FORMAT, Painter, cell_value


def _one_unit_year(*frames: pd.DataFrame | None) -> tuple[str, int]:
    """The one (unit_code, year) the frames hold; :class:`FormError` when they hold none or several."""
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


def write_form(path: str | Path, layout: str, units: pd.DataFrame | None, budget: pd.DataFrame | None,
               indicators: pd.DataFrame | None, claims: pd.DataFrame | None, scored: pd.DataFrame | None = None,
               goals: dict | None = None, extras: pd.DataFrame | None = None) -> Path:
    """Write one unit-year as an official 自评表 workbook, with the recomputed scores beside the claimed.

    The sheet has the layout's merged title and headers, the two-row indicator header, merged 一级/二级
    cells, money as ``0.00`` (万元), rates as ``0.0%``, column widths, borders and an A4 landscape print
    set-up fitted to the page width. The 复核得分 column (``scored["score"]``, e.g. from
    :func:`perfeval_lib.review.evaluation.evaluate`) sits right beside 得分, and the recomputed total and grade
    beside the claimed ones.
    :func:`perfeval_lib.ingest.forms.read_form` gives back the same canonical tables (复核得分 is kept
    apart, in ``FormData.reviewed``). The file is replaced atomically.

    Parameters
    ----------
    path : str or Path
        The .xlsx to write (its folder is made when missing).
    layout : str
        A key of :data:`perfeval_lib.ingest.forms.LAYOUTS`: ``guangzhou``, ``chongqing`` or ``mof10``.
    units : DataFrame or None
        The canonical ``units`` table (``unit_code``, ``unit_name``, ``parent``); other units' rows are
        ignored.
    budget : DataFrame or None
        Budget lines of the unit-year: ``unit_code``, ``year``, ``category``, ``funding_source``,
        ``budget_initial``, ``budget_final``, ``executed`` (万元).
    indicators : DataFrame or None
        Indicator rows of the unit-year (the canonical ``indicators`` table with ``target_text`` and
        ``actual_text``; ``weight`` and ``claimed_score`` in points).
    claims : DataFrame or None
        The unit-year's claimed total: ``unit_code``, ``year``, ``claimed_score`` (points), ``claimed_grade``.
    scored : DataFrame, optional
        Indicator rows with ``indicator``, ``score`` (points) and ``rule`` / ``ruleset``, e.g.
        ``Evaluation.scored``: the 复核得分 column, the recomputed total and grade.
    goals : dict, optional
        ``target`` / ``target_initial`` / ``actual`` / ``reason`` texts of the goals block.
    extras : DataFrame, optional
        Per ``indicator``: ``core`` (bool), ``coefficient`` (fraction), ``target_initial``
        (``FormData.extras``).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    FormError
        When ``layout`` is unknown, or the tables hold no unit-year or more than one.

    Examples
    --------
    >>> ev = evaluate(units, budget, indicators, claims)                  # doctest: +SKIP
    >>> write_form("out.xlsx", "guangzhou", units, budget, indicators, claims, scored=ev.scored)  # doctest: +SKIP
    PosixPath('out.xlsx')
    """
    if layout not in LAYOUTS:
        raise FormError(f"未知的自评表版式「{layout}」，可用：{'、'.join(LAYOUTS)} / unknown layout {layout!r}; "
                        f"available: {', '.join(LAYOUTS)}")
    code, year = _one_unit_year(budget, indicators, claims)
    spec = LAYOUTS[layout]
    columns = COLUMNS[layout]
    goals = goals or {}
    unit = {}
    if units is not None and len(units):
        rows = units[units["unit_code"] == code]
        if len(rows):
            unit = {k: cell_value(v) for k, v in rows.iloc[0].to_dict().items()}
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
            claim = {k: cell_value(v) for k, v in match.iloc[0].to_dict().items()}
    reviewed, review_total, review_grade, ruleset_name = {}, None, None, None
    if scored is not None and len(scored):
        mine = scored[(scored["unit_code"] == code) & (scored["year"] == year)]
        rules = mine["rule"] if "rule" in mine.columns else pd.Series(None, index=mine.index, dtype="object")
        reviewed = {k: v if pd.notna(v) else "不涉及" if rule == "not_applicable" else "—"
                    for k, v, rule in zip(mine["indicator"], mine["score"], rules)}
        if len(mine) and "rule" in mine.columns:
            summary = totals(mine)
            if len(summary):
                review_total = cell_value(summary["score"].iloc[0])
                ruleset_name = summary["ruleset"].iloc[0]
                review_grade = cell_value(grade_by_ruleset(summary["score"], summary["ruleset"]).iloc[0])
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
    p = Painter(ws, widths)
    col_of = {c.key: i for i, c in enumerate(columns, start=1)}
    row = TOP_BLOCKS[layout](p=p, ncols=ncols, code=code, year=year, unit=unit, total=total, lines=lines,
                             claim=claim, goals=goals, rate_indicator=rate_indicator, reviewed=reviewed,
                             review_total=review_total, review_grade=review_grade)
    header_row = row
    body_end = indicator_table(p, row, columns, rows, reviewed, extra_of, layout)
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


def default_layout(ruleset: str | None) -> str:
    """The layout for a unit's ruleset: 部门整体共性指标 (mof-2013-dept) → ``guangzhou``, else ``mof10``.

    Parameters
    ----------
    ruleset : str or None
        The unit's ruleset name (``params/rulesets/<name>.yaml``), or ``None`` when it has none.

    Returns
    -------
    str
        A key of :data:`perfeval_lib.ingest.forms.LAYOUTS`.

    Examples
    --------
    >>> default_layout("mof-2013-dept"), default_layout("mof-2020")
    ('guangzhou', 'mof10')
    """
    return "guangzhou" if ruleset == "mof-2013-dept" else "mof10"


def unit_form(unit_code: str, year: int, layout: str | None = None, output: str | Path | None = None,
              processed_dir: str | Path | None = None) -> Path:
    """Write the form of one unit-year from the processed tables, with its recomputed scores.

    The unit's rows are evaluated as :func:`perfeval_lib.render.report.unit_report` does; the goals block
    takes the analyst's narrative (goals, achievements) when there is one.

    Parameters
    ----------
    unit_code : str
        The unit.
    year : int
        The year evaluated.
    layout : str, optional
        A key of :data:`perfeval_lib.ingest.forms.LAYOUTS`; default :func:`default_layout` of the unit's ruleset.
    output : str or Path, optional
        The .xlsx to write; default ``reports/<year>/forms/<unit_code>_<year>_自评表.xlsx``.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    pathlib.Path
        The written file (see :func:`write_form`).

    Raises
    ------
    FormError
        When ``layout`` is unknown.
    UnitNotFound
        When the unit is not in the processed data, has no results for ``year``, or has no budget,
        indicators or claims that year.

    Examples
    --------
    >>> unit_form("D001", 2023)                                          # doctest: +SKIP
    PosixPath('.../reports/2023/forms/D001_2023_自评表.xlsx')
    """
    if layout is not None and layout not in LAYOUTS:
        raise FormError(f"未知的自评表版式「{layout}」，可用：{'、'.join(LAYOUTS)} / unknown layout {layout!r}; "
                        f"available: {', '.join(LAYOUTS)}")
    if output is None:
        safe_code(str(unit_code).strip())  # the default file name is made from the code: refuse one that cannot be
    tables = processed_tables(processed_dir)
    known_codes = set(tables["results"]["unit_code"]) | (set(tables["units"]["unit_code"]) if len(tables["units"]) else set())
    matched, _ = match_codes([unit_code], known_codes)
    unit_code = matched[0] if matched else unit_code

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

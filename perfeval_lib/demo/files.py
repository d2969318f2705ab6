"""Writing the demo folder: :func:`generate` builds the district and writes every raw file and the
README. It writes the unit register, the budget execution tables (one per year, csv in UTF-8 or GBK or
xlsx with a merged title row, and ``D017``'s own file in 元), the monthly spending workbook, the
indicator tables (csv, and xlsx for 2023) and the claimed totals, with format dirt drawn from the seeded
``dirt`` stream. The narratives under ``narratives/`` are written by hand and never touched here.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

import pandas as pd
from openpyxl import Workbook

from .district import _Demo, _build
from .formats import (_dirty_indicator_text, _dirty_money, _save_workbook, _sheet, _with_blank_rows,
                      _write_csv, _xlsx_money)
from .names import (BUDGET_HEADER, BUDGET_HEADER_YUAN, BUDGET_SHEET, BUDGET_TITLE, CLAIMS_FILE, CLAIMS_HEADER,
                    DEFAULT_N_UNITS, DEFAULT_SEED, DEFAULT_YEARS, GBK_YEAR, INDICATOR_HEADER, INDICATOR_SHEET,
                    SPENDING_FILE, SPENDING_HEADER, SPENDING_SHEET, TOTAL, UNITS_FILE, UNITS_HEADER, XLSX_YEAR,
                    YUAN_BUDGET_FILE, YUAN_UNIT, _rng)
from .readme import _readme
from .scoring import _blank, _fmt_num


def _budget_table_rows(lines: pd.DataFrame, totals: pd.DataFrame, money, as_text: bool) -> list[list]:
    """Detail rows then the 合计 row, per unit-year; ``money(value)`` formats an amount."""
    out = []
    for (code, year), group in lines.groupby(["unit_code", "year"], sort=False):
        for line in group.itertuples():
            out.append([code, int(year), line.category, line.funding_source, _blank(line.project),
                        money(line.budget_initial), money(line.budget_final), money(line.executed),
                        _blank(line.note)])
        total = totals[(totals["unit_code"] == code) & (totals["year"] == year)].iloc[0]
        out.append([code, int(year), TOTAL, "", "", money(total["budget_initial"]), money(total["budget_final"]),
                    money(total["executed"]), ""])
    if as_text:
        out = [[str(v) for v in row] for row in out]
    return out


def _indicator_table_rows(frame: pd.DataFrame, rng, counts: Counter, as_text: bool) -> list[list]:
    """Rows of an indicator table in ``INDICATOR_HEADER`` order, with the targets' and actuals' dirt."""
    out = []
    for row in frame.itertuples():
        if not row.applicable:
            counts["“不涉及”指标（分值保留，自评给满分） / 不涉及 rows"] += 1
        target = _dirty_indicator_text(row.target_text, row.percent, rng, counts, actual=False)
        actual = _dirty_indicator_text(row.actual_text, row.percent, rng, counts, actual=True)
        weight, score = row.weight, row.claimed_score
        if as_text:
            weight, score = _fmt_num(weight, 1), _fmt_num(score, 1)
        else:
            weight = int(weight) if float(weight).is_integer() else float(weight)
            score = int(score) if float(score).is_integer() else float(score)
        out.append([row.unit_code, int(row.year), row.level1, row.level2, row.level3, row.kind, weight,
                    target, actual, row.measure, score, _blank(row.note)])
    if as_text:
        out = [[str(v) for v in r] for r in out]
    return out


def _write_units(out: Path, units: pd.DataFrame) -> Path:
    """``units.csv``, UTF-8 with BOM."""
    rows = units[["unit_code", "unit_name", "parent", "region", "ruleset"]].to_numpy().tolist()
    return _write_csv(out / UNITS_FILE, UNITS_HEADER, rows, encoding="utf-8-sig")


def _write_budgets(out: Path, demo: _Demo, rng, counts: dict) -> list[Path]:
    """One budget table per year (csv with dirt, GBK in 2020, xlsx in 2023) and ``D017``'s in 元."""
    paths = []
    lines, totals = demo.lines, demo.totals
    in_yuan = lines["unit_code"].eq(YUAN_UNIT)
    for year in sorted(lines["year"].unique()):
        yearly = lines[(lines["year"] == year) & ~in_yuan]
        if year == XLSX_YEAR:
            name = f"budget_{year}.xlsx"
            tally = counts.setdefault(name, Counter())
            rows = _budget_table_rows(yearly, totals, lambda v: _xlsx_money(v, rng, tally), as_text=False)
            rows = _with_blank_rows(rows, 2, rng, tally)
            workbook = Workbook()
            sheet = _sheet(workbook, BUDGET_SHEET, BUDGET_HEADER, rows, start_row=2)
            sheet.cell(row=1, column=1, value=BUDGET_TITLE.format(year=year))
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(BUDGET_HEADER))
            tally["标题行合并单元格，表头在第 2 行 / merged title row, header on row 2"] += 1
            paths.append(_save_workbook(workbook, out / name))
            continue
        name = f"budget_{year}.csv"
        tally = counts.setdefault(name, Counter())
        rows = _budget_table_rows(yearly, totals, lambda v: _dirty_money(v, rng, tally), as_text=True)
        rows = _with_blank_rows(rows, int(rng.integers(1, 3)), rng, tally)
        encoding = "gbk" if year == GBK_YEAR else "utf-8"
        if encoding == "gbk":
            tally["GBK 编码 / GBK encoded"] += 1
        paths.append(_write_csv(out / name, BUDGET_HEADER, rows, encoding=encoding))
    yuan = lines[in_yuan]
    if len(yuan):
        tally = counts.setdefault(YUAN_BUDGET_FILE, Counter())
        rows = _budget_table_rows(yuan, totals, lambda v: f"{v * 10000:,.2f}", as_text=True)
        tally["金额单位为元（表头“（元）”），千分位逗号 / amounts in 元 with separators"] += 1
        paths.append(_write_csv(out / YUAN_BUDGET_FILE, BUDGET_HEADER_YUAN, rows))
    return paths


def _write_spending(out: Path, spending: pd.DataFrame) -> Path:
    """``spending.xlsx``: cumulative monthly spending in 万元, clean numbers."""
    rows = [[code, int(year), int(month), float(value)] for code, year, month, value
            in spending[["unit_code", "year", "month", "executed_cum"]].itertuples(index=False)]
    workbook = Workbook()
    _sheet(workbook, SPENDING_SHEET, SPENDING_HEADER, rows)
    return _save_workbook(workbook, out / SPENDING_FILE)


def _write_indicators(out: Path, indicators: pd.DataFrame, rng, counts: dict) -> list[Path]:
    """One indicator table per year: csv as text, xlsx in 2023 with numbers for 分值 and 自评得分."""
    paths = []
    for year in sorted(indicators["year"].unique()):
        yearly = indicators[indicators["year"] == year]
        xlsx = year == XLSX_YEAR
        name = f"indicators_{year}.{'xlsx' if xlsx else 'csv'}"
        tally = counts.setdefault(name, Counter())
        rows = _indicator_table_rows(yearly, rng, tally, as_text=not xlsx)
        rows = _with_blank_rows(rows, int(rng.integers(1, 3)), rng, tally)
        if xlsx:
            workbook = Workbook()
            _sheet(workbook, INDICATOR_SHEET, INDICATOR_HEADER, rows)
            paths.append(_save_workbook(workbook, out / name))
        else:
            paths.append(_write_csv(out / name, INDICATOR_HEADER, rows))
    return paths


def _write_claims(out: Path, claims: pd.DataFrame) -> Path:
    """``claims.csv``: 自评总分 (1 decimal) and 自评等级 per unit-year."""
    rows = [[code, int(year), f"{total:.1f}", grade] for code, year, total, grade
            in claims[["unit_code", "year", "claimed_total", "claimed_grade"]].itertuples(index=False)]
    return _write_csv(out / CLAIMS_FILE, CLAIMS_HEADER, rows)


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED, n_units: int = DEFAULT_N_UNITS,
             years: Iterable[int] = DEFAULT_YEARS) -> list[Path]:
    """Write the invented 示例区 raw files (and their README) into ``out_dir``.

    Everything random comes from ``numpy.random.default_rng`` seeded by ``seed`` (one independent
    stream per part) and xlsx files carry fixed dates, so the same seed gives byte-identical files
    (with the same openpyxl/zlib versions). Hand-written files already in ``out_dir`` (such as
    ``narratives/``) are left alone.

    Parameters
    ----------
    out_dir
        Folder to write into; created if missing. Existing files of the same names are replaced.
    seed
        Seed of every random choice; the same seed gives byte-identical files.
    n_units
        Number of units (D001…). The planted errors need 21 unit-years besides D017 (e.g. 6 units
        over 5 years); beyond the 24 catalogued names, units are called 示例区第N服务中心.
    years
        Budget years. The budget for 2020 is written in GBK; 2023 budget and indicators as xlsx.

    Returns
    -------
    list of pathlib.Path
        The files written, in this order: ``units.csv`` (单位编码, 单位名称, 主管部门, 地区, 评价体系);
        ``budget_<year>.csv|xlsx`` (detail lines and a 合计 row per unit-year; 年初预算数, 全年预算数
        and 全年执行数 in 万元); ``budget_D017.csv`` (the same for D017, in 元); ``spending.xlsx``
        (累计支出 per month, 万元); ``indicators_<year>.csv|xlsx`` (分值 and 自评得分 in points,
        年度指标值 and 实际完成值 as written, e.g. ``≥90%``, ``96.5%``, ``1200``); ``claims.csv``
        (自评总分, 自评等级); and ``README.md`` last.

    Examples
    --------
    >>> import tempfile
    >>> paths = generate(tempfile.mkdtemp(), seed=2023)
    >>> [p.name for p in paths][:2]
    ['units.csv', 'budget_2019.csv']
    >>> paths[-1].name
    'README.md'
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    demo = _build(seed, n_units, list(years))
    dirt = _rng(seed, "dirt")
    counts: dict[str, Counter] = {}
    paths = [_write_units(out, demo.units)]
    paths += _write_budgets(out, demo, dirt, counts)
    paths.append(_write_spending(out, demo.spending))
    paths += _write_indicators(out, demo.indicators, dirt, counts)
    paths.append(_write_claims(out, demo.claims))
    paths.append(_readme(out, demo, paths, counts, seed))
    return paths

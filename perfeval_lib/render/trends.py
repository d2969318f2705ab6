"""Multi-year trends: chosen units over the years, ranks within the district, recurring problems.

Like :mod:`perfeval_lib.render.report`, every function returns an HTML fragment or a figure fragment, so the
trends notebook only calls and shows; it reaches them through :mod:`perfeval_lib.render.overview`. Money
is in 万元, rates are fractions (shown as percent), scores in points. Ranks are always taken among every
unit of the district in that year, whichever units are chosen.

Examples
--------
>>> from perfeval_lib.render import overview as ov
>>> t = ov.trends(units=["D001", "D009"], years=[2021, 2022, 2023])  # doctest: +SKIP
>>> ov.show(ov.trends_title(t), ov.chart_trend(t), ov.rank_changes(t))  # doctest: +SKIP
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.codes import match_codes
from ..core.errors import PerfevalError, UnitNotFound
from ..core.schema import LABELS
from ..core.store import processed_tables
from ..core.templating import records, render_html
from ..core.vocab import GRADES
from ..review.audit import FINDING_LABELS
from ..review.compare import with_variant
from ..review.evaluation import evaluate
from ..review.history import district_ranks, persistent_overclaims, recurring_findings
from . import svg
from .chartdata_history import rank_grid
from .fragments import Fragment, figure

__all__ = ["Trends", "as_list", "trends", "trends_title", "chart_trend", "yearly_table", "chart_ranks", "rank_changes",
           "grade_moves", "recurring", "overclaims", "MAX_UNIT_LINES", "MAX_MOVERS"]

#: Up to this many chosen units, the trend chart draws one line per unit (more: the district's aggregate).
MAX_UNIT_LINES = 8
#: Up to this many units share one rank chart; more are drawn as small multiples.
MAX_MOVERS = 8

#: ``Trends.table``: canonical column → Chinese header, in this order.
TABLE_COLUMNS = {"unit_code": LABELS.get("unit_code", "单位编码"), "unit_name": LABELS.get("unit_name", "单位名称"),
                 "year": "年度", "budget_final": "全年预算数（万元）", "executed": "执行数（万元）",
                 "execution_rate": "执行率（%）", "score": "复核得分", "grade": "复核等级", "claimed_score": "自评得分",
                 "claimed_grade": "自评等级", "score_gap": "自评−复核", "rank": "全区排名", "n_findings": "问题数"}


@dataclass
class Trends:
    """The chosen units and years (one row per unit-year), ranked within the whole district.

    Attributes
    ----------
    results : pandas.DataFrame
        The chosen ``results`` rows plus ``rank`` (1 = the best recomputed score of that year among
        every unit of the district), sorted by unit and year; money 万元, rate a fraction, scores points.
    units, years : list
        The codes and years it holds.
    district : pandas.DataFrame
        Every unit's rows of the chosen years, with ``rank`` (for the rank chart).
    findings : pandas.DataFrame
        The findings of the chosen units and years.
    ruleset : str or None
        The ruleset the units were re-scored under (its family's units only), None for their own.

    Examples
    --------
    >>> t = Trends(pd.DataFrame({"unit_code": ["A"], "year": [2023], "rank": [1]}), ["A"], [2023])
    >>> t.units, t.years, list(t.table.columns)
    (['A'], [2023], ['单位编码', '年度', '全区排名'])
    """

    results: pd.DataFrame
    units: list[str]
    years: list[int]
    district: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    ruleset: str | None = None
    all_units: bool = False

    @property
    def table(self) -> pd.DataFrame:
        """The results to keep exploring, as a reader sees them: Chinese headers, rounded values.

        Money in 万元 with 2 decimals, the execution rate in percent with 1 decimal, scores with 2
        decimals; the full-precision canonical columns are in :attr:`results`.
        """
        shown = self.results[[c for c in TABLE_COLUMNS if c in self.results.columns]].copy()
        for column in ("budget_final", "executed", "score", "claimed_score", "score_gap"):
            if column in shown.columns:
                shown[column] = pd.to_numeric(shown[column], errors="coerce").round(2)
        if "execution_rate" in shown.columns:
            shown["execution_rate"] = (pd.to_numeric(shown["execution_rate"], errors="coerce") * 100).round(1)
        return shown.rename(columns=TABLE_COLUMNS)


def as_list(value, name: str, kind=str) -> list | None:
    """A notebook parameter given as a list, a JSON list in a string, or a comma-separated string.

    ``papermill -p units '["D001","D009"]'`` and ``-p units D001,D009`` both pass a string; iterating it
    would give single characters.

    Parameters
    ----------
    value : list, tuple, str or None
        The parameter.
    name : str
        Its name, for the message.
    kind : type, default str
        ``str`` or ``int`` (years).

    Returns
    -------
    list or None
        ``None`` for ``None``, ``""`` or an empty list (meaning: all).

    Raises
    ------
    PerfevalError
        When the value cannot be read as a list of ``kind``; the message says how to pass one.

    Examples
    --------
    >>> as_list('["D001", "D009"]', "units"), as_list("D001, D009", "units"), as_list([], "units")
    (['D001', 'D009'], ['D001', 'D009'], None)
    >>> as_list("2021,2023", "years", int), as_list(2023, "years", int)
    ([2021, 2023], [2023])
    """
    how = (f"请这样传入列表 / pass a list as: papermill -p {name} '[\"D001\", \"D009\"]' 或 or -p {name} D001,D009"
           if kind is str else f"请这样传入列表 / pass a list as: papermill -p {name} '[2021, 2022]' 或 or -p {name} 2021,2022")
    if value is None:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                raise PerfevalError(f"参数 {name} 不是有效的列表 / {name} is not a valid list: {value!r}；{how}") from None
        else:
            value = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise PerfevalError(f"参数 {name} 应为列表 / {name} must be a list, not {value!r}；{how}")
    try:
        items = [kind(item) if kind is int else str(item).strip() for item in value]
    except (TypeError, ValueError):
        raise PerfevalError(f"参数 {name} 应为年份列表 / {name} must be a list of years: {value!r}；{how}") from None
    if kind is int and any(isinstance(item, float) and not float(item).is_integer() for item in value):
        raise PerfevalError(f"参数 {name} 应为年份列表 / {name} must be a list of years: {value!r}；{how}")
    return items or None


def resolve_choice(results: pd.DataFrame, units=None, years=None) -> tuple[list[str] | None, list[int] | None]:
    """The units and years asked for, as the results spell them; an unknown one is an error.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code`` and ``year``.
    units, years
        As :func:`as_list` reads them (lists, JSON lists or comma-separated strings); codes in any case.

    Returns
    -------
    tuple of (list of str or None, list of int or None)
        The codes as the data spells them (each once, in the order asked) and the years; ``None`` for all.

    Raises
    ------
    UnitNotFound
        When a unit or a year is not in ``results``.
    PerfevalError
        When a value cannot be read as a list (:func:`as_list`).

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["D001", "D009"], "year": [2022, 2023]})
    >>> resolve_choice(r, "d009, D001", "2023"), resolve_choice(r)
    ((['D009', 'D001'], [2023]), (None, None))
    """
    units, years = as_list(units, "units"), as_list(years, "years", int)
    if units:
        units, unknown = match_codes(units, results["unit_code"].dropna())
        if unknown:
            raise UnitNotFound(f"未知的单位编码 / unknown unit codes: {', '.join(unknown)}")
    if years:
        unknown_years = sorted(set(years) - set(results["year"]))
        if unknown_years:
            shown = "、".join(str(y) for y in sorted(results["year"].unique()))
            raise UnitNotFound(f"没有这些年份的结果 / no results for: {', '.join(map(str, unknown_years))}（已有：{shown}）")
    return units, years


def _evaluated(tables: dict, ruleset: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Results and findings with the units of ``ruleset``'s family re-scored under it."""
    ev = evaluate(with_variant(tables["units"], ruleset), tables["budget"], tables["indicators"], tables["claims"],
                  tables["spending"])
    return ev.results, ev.findings


def trends(units=None, years=None, processed_dir=None, ruleset: str | None = None) -> Trends:
    """Select units and years (None = all) from the results, ranked within the whole district each year.

    Parameters
    ----------
    units : list of str, or str, optional
        Unit codes (a JSON list or a comma-separated string is read too, see :func:`as_list`); default all.
    years : list of int, or str, optional
        Years; default every year.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    ruleset : str, optional
        Re-score the units of this ruleset's family under it (e.g. ``mof-2020-strict``); findings are then
        the re-evaluated ones. Default: the processed results (each unit's own ruleset).

    Returns
    -------
    Trends
        The chosen ``results`` rows with ``rank`` among all units of their year.

    Raises
    ------
    UnitNotFound
        When a unit code (typed in any case) is not in the results.
    PerfevalError
        When a year is not in the results, or ``units`` / ``years`` cannot be read as lists.
    RulesetError
        When ``ruleset`` cannot be loaded.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> t = trends(units="D001,D009", years=[2021, 2022, 2023])        # doctest: +SKIP
    >>> t.table[["单位编码", "年度", "复核得分", "全区排名"]]              # doctest: +SKIP
    """
    tables = processed_tables(processed_dir)
    results, findings = (tables["results"], tables["findings"]) if not ruleset else _evaluated(tables, ruleset)
    units, years = resolve_choice(results, units, years)
    if years:
        results = results[results["year"].isin(years)]
    district = results.assign(rank=district_ranks(results)).sort_values(["unit_code", "year"]).reset_index(drop=True)
    chosen = district[district["unit_code"].isin(units)] if units else district
    if len(findings):
        findings = findings[findings["unit_code"].isin(chosen["unit_code"]) & findings["year"].isin(chosen["year"])]
    return Trends(chosen.reset_index(drop=True), sorted(chosen["unit_code"].unique()),
                  sorted(int(y) for y in chosen["year"].unique()), district, findings.reset_index(drop=True),
                  ruleset or None, all_units=not units)


def trends_title(t: Trends) -> Fragment:
    """The title of the trends page: how many units, which years, the ruleset when one was chosen.

    Parameters
    ----------
    t : Trends
        The selection.

    Returns
    -------
    Fragment
        HTML.

    Examples
    --------
    >>> "2021" in trends_title(Trends(pd.DataFrame(), ["A", "B"], [2021, 2023]))
    True
    """
    return Fragment(render_html("html/trends_title.html.j2", units=len(t.units), years=t.years, ruleset=t.ruleset))


def _yearly_means(t: Trends) -> pd.DataFrame:
    """Per year: the selection's overall rate (executed / budget) and mean scores."""
    grouped = t.results.groupby("year").agg(budget_final=("budget_final", "sum"), executed=("executed", "sum"),
                                            score=("score", "mean"), claimed_score=("claimed_score", "mean"))
    grouped["execution_rate"] = grouped["executed"] / grouped["budget_final"]
    return grouped.reset_index()[["year", "execution_rate", "score", "claimed_score"]]


def chart_trend(t: Trends) -> Fragment:
    """Execution rate and recomputed score over the years: one line per unit when a few are chosen.

    Up to :data:`MAX_UNIT_LINES` chosen units get a line each (:func:`perfeval_lib.render.svg.unit_lines`);
    all units, or more than that, are drawn as the overall rate and mean scores
    (:func:`perfeval_lib.render.svg.trend`).

    Parameters
    ----------
    t : Trends
        The selection (``budget_final``, ``executed`` in 万元, ``execution_rate``, ``score``,
        ``claimed_score`` per unit-year).

    Returns
    -------
    Fragment
        图1, or a note when there are fewer than two years.

    Examples
    --------
    >>> show(chart_trend(trends(units=["D001", "D009"])))              # doctest: +SKIP
    """
    missing = "所选年份少于两年，无法绘制趋势。"
    if not t.all_units and len(t.units) <= MAX_UNIT_LINES:
        chart = svg.unit_lines(t.results[["unit_code", "unit_name", "year", "execution_rate", "score"]])
        return figure(chart, "图1 所选单位历年预算执行率与复核得分（每个单位一条线）", missing)
    return figure(svg.trend(_yearly_means(t)), f"图1 {len(t.units)} 个单位的整体执行率与平均得分", missing)


def yearly_table(t: Trends) -> Fragment:
    """一、历年执行率与得分: the trend chart (:func:`chart_trend`), then per unit and year its recomputed
    score and grade, claimed score, execution rate and district rank.

    Parameters
    ----------
    t : Trends
        The selection.

    Returns
    -------
    Fragment
        The heading, 图1 and an HTML table, one row per unit, one column per year.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["A"], "unit_name": ["财政局"], "year": [2023], "score": [91.0], "grade": ["优"],
    ...                   "claimed_score": [95.0], "execution_rate": [0.98], "rank": [1]})
    >>> "财政局" in yearly_table(Trends(r, ["A"], [2023]))
    True
    """
    cells = {(row["unit_code"], row["year"]): row for row in records(t.results)}
    rows = []
    for code in t.units:
        years = [cells.get((code, year)) for year in t.years]
        name = next((c["unit_name"] for c in years if c and c.get("unit_name")), code)
        rows.append({"unit_code": code, "unit_name": name, "years": years})
    return Fragment(render_html("html/trends_units.html.j2", rows=rows, years=t.years, chart=chart_trend(t)))


def _rank_table(t: Trends) -> pd.DataFrame:
    """Per chosen unit: score and district rank in the first and last year, and the changes."""
    first, last = t.years[0], t.years[-1]
    rows = []
    for code, group in t.results.groupby("unit_code", sort=True):
        by_year = group.set_index("year")
        a = by_year.loc[first] if first in by_year.index else None
        b = by_year.loc[last] if last in by_year.index else None
        value = lambda row, column: row[column] if row is not None and pd.notna(row[column]) else np.nan  # noqa: E731
        rank_a, rank_b = value(a, "rank"), value(b, "rank")
        score_a, score_b = value(a, "score"), value(b, "score")
        rows.append({"unit_code": code, "unit_name": group["unit_name"].dropna().iloc[-1] if group["unit_name"].notna().any() else code,
                     "first": rank_a, "last": rank_b, "change": rank_a - rank_b, "score_first": score_a,
                     "score_last": score_b, "score_change": score_b - score_a})
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "first", "last", "change", "score_first", "score_last",
                                       "score_change"])


def _movers(t: Trends) -> list[str]:
    """The chosen units ordered by the size of their rank change, largest first (then by code)."""
    table = _rank_table(t)
    order = table.assign(size=table["change"].abs().fillna(-1)).sort_values(["size", "unit_code"], ascending=[False, True])
    return order["unit_code"].tolist()


def chart_ranks(t: Trends) -> Fragment:
    """Rank within the district over the years for each chosen unit.

    Up to :data:`MAX_MOVERS` units share one chart (:func:`perfeval_lib.render.svg.ranks_over_years`);
    more are drawn as small multiples, one panel per unit, the largest movers first
    (:func:`perfeval_lib.render.svg.rank_panels`), so 24 units stay readable.

    Parameters
    ----------
    t : Trends
        The selection; ranks come from :attr:`Trends.district`.

    Returns
    -------
    Fragment
        图2, or a note when fewer than two years are selected.

    Raises
    ------
    InputError
        When a unit appears twice in one year.

    Examples
    --------
    >>> show(chart_ranks(trends(years=[2022, 2023])))                 # doctest: +SKIP
    """
    missing = "所选年份少于两年，无法绘制排名变化。"
    if len(t.years) < 2:
        return Fragment(render_html("html/note.html.j2", text=missing))
    district = (t.district if len(t.district) else t.results)[["unit_code", "unit_name", "year", "score"]]
    if len(t.units) <= MAX_MOVERS:
        return figure(svg.ranks_over_years(district, t.units), "图2 所选单位在全区的复核得分排名", missing)
    order = _movers(t)
    grid = rank_grid(district, order)
    drawn = len(grid.codes) if grid else 0
    scored = len(set(order) & set(district.dropna(subset=["score"])["unit_code"]))
    shown = "" if drawn == scored else f"，排名变化最大的 {drawn} 个"
    unscored = f"；{len(order) - scored} 个单位没有复核得分，未画出" if scored < len(order) else ""
    return figure(svg.rank_panels(district, order),
                  f"图2 各单位全区排名（{scored} 个单位{shown}，按排名变化从大到小{unscored}）", missing)


def rank_changes(t: Trends) -> Fragment:
    """Score and rank within the district in the first and the last selected year, and the changes.

    Parameters
    ----------
    t : Trends
        The selection (``unit_code``, ``unit_name``, ``year``, ``score``, ``rank``).

    Returns
    -------
    Fragment
        HTML table, the units that moved up most first; a note when fewer than two years are selected.

    Examples
    --------
    >>> table = pd.DataFrame({"unit_code": ["A", "A", "B", "B"], "unit_name": ["财政局", "财政局", "教育局", "教育局"],
    ...                       "year": [2022, 2023, 2022, 2023], "rank": [2, 1, 1, 2], "score": [88.0, 93.0, 90.0, 91.0]})
    >>> "财政局" in rank_changes(Trends(table, ["A", "B"], [2022, 2023]))
    True
    """
    if len(t.years) < 2:
        return Fragment(render_html("html/note.html.j2", text="所选年份少于两年，没有排名变化。"))
    table = _rank_table(t)
    table = table.assign(_key=-table["change"].fillna(-999)).sort_values(["_key", "unit_code"])
    return Fragment(render_html("html/rank_changes.html.j2", rows=records(table.drop(columns="_key")), first=t.years[0],
                                last=t.years[-1]))


def grade_moves(t: Trends) -> Fragment:
    """Units whose recomputed grade changed from one selected year to the next.

    Parameters
    ----------
    t : Trends
        The selection (``unit_code``, ``unit_name``, ``year``, ``grade``).

    Returns
    -------
    Fragment
        HTML list of moves (from year and grade, to year and grade, up or down). A year without a
        recomputed grade (no indicator table, weights that do not add up) is no move.

    Examples
    --------
    >>> table = pd.DataFrame({"unit_code": ["A", "A"], "unit_name": ["财政局"] * 2, "year": [2022, 2023],
    ...                       "grade": ["良", "优"]})
    >>> "财政局" in grade_moves(Trends(table, ["A"], [2022, 2023]))
    True
    >>> "财政局" in grade_moves(Trends(table.assign(grade=[None, "优"]), ["A"], [2022, 2023]))
    False
    """
    moves = []
    for code, group in t.results.sort_values("year").groupby("unit_code"):
        previous = None
        for row in group.itertuples():
            if previous is not None and row.grade in GRADES and previous.grade in GRADES and row.grade != previous.grade:
                moves.append({"unit_code": code, "unit_name": row.unit_name, "from_year": previous.year,
                              "to_year": row.year, "from": previous.grade, "to": row.grade,
                              "up": GRADES.index(row.grade) < GRADES.index(previous.grade)})
            previous = row
    return Fragment(render_html("html/grade_moves.html.j2", moves=moves))


def _names(t: Trends) -> dict:
    """Unit code → name, from the selection."""
    named = t.results.dropna(subset=["unit_name"]) if "unit_name" in t.results.columns else t.results.iloc[0:0]
    return dict(zip(named["unit_code"], named["unit_name"]))


def recurring(t: Trends) -> Fragment:
    """四、反复出现的问题: the same kind of finding for a unit in two or more consecutive years.

    Parameters
    ----------
    t : Trends
        The selection; its ``findings`` (audit codes) are read.

    Returns
    -------
    Fragment
        HTML table (kind, unit, years, findings), most serious first
        (:func:`perfeval_lib.review.history.recurring_findings`).

    Examples
    --------
    >>> f = pd.DataFrame({"unit_code": ["A", "A"], "year": [2022, 2023], "code": ["spending_lag"] * 2,
    ...                   "severity": ["warning"] * 2})
    >>> "支出进度" in recurring(Trends(pd.DataFrame({"unit_code": ["A"], "unit_name": ["财政局"]}), ["A"], [2022, 2023],
    ...                                findings=f))
    True
    """
    table = recurring_findings(t.findings)
    names = _names(t)
    rows = [{**row, "label": FINDING_LABELS.get(row["code"], row["code"]), "unit_name": names.get(row["unit_code"])}
            for row in records(table)]
    return Fragment(render_html("html/recurring.html.j2", rows=rows, units=len({r["unit_code"] for r in rows})))


def overclaims(t: Trends) -> Fragment:
    """五、自评连年高于复核: units whose claimed score stayed ≥ 0.5 point above the recomputed one.

    Parameters
    ----------
    t : Trends
        The selection (``unit_code``, ``year``, ``score_gap`` in points).

    Returns
    -------
    Fragment
        HTML table (unit, years, each year's gap, mean gap), longest runs first
        (:func:`perfeval_lib.review.history.persistent_overclaims`).

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["A", "A"], "unit_name": ["财政局"] * 2, "year": [2022, 2023],
    ...                   "score_gap": [1.5, 2.0]})
    >>> "+1.75" in overclaims(Trends(r, ["A"], [2022, 2023]))
    True
    """
    table = persistent_overclaims(t.results)
    names = _names(t)
    rows = [{**row, "unit_name": names.get(row["unit_code"])} for row in records(table)]
    return Fragment(render_html("html/overclaims.html.j2", rows=rows))

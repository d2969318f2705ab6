"""Cross-unit views: the year overview (league table, grades, gaps, findings) and multi-year trends.

Like :mod:`perfeval_lib.render.report`, every function returns an HTML fragment or a figure fragment, so the
overview and trends notebooks only call and show.

Examples
--------
>>> from perfeval_lib.render import overview as ov
>>> o = ov.year_overview(2023)                                       # doctest: +SKIP
>>> ov.show(ov.league_table(o))                                     # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.version import __version__
from . import charts
from ..review.audit import FINDING_LABELS
from ..core import config
from ..core.errors import PerfevalError
from ..review.rulesets import load_ruleset
from .report import Fragment, figure, show
from ..core.store import processed_tables
from ..core.templating import records, render_html
from ..core.vocab import GRADES, SEVERITY_ORDER



@dataclass
class YearOverview:
    """One year, all units."""

    year: int
    results: pd.DataFrame
    findings: pd.DataFrame
    inputs: pd.DataFrame
    generated_at: str


def _ranked(results: pd.DataFrame) -> pd.DataFrame:
    ordered = results.sort_values(["score", "claimed_score", "unit_code"], ascending=[False, False, True],
                                  na_position="last").reset_index(drop=True)
    rank = ordered["score"].rank(ascending=False, method="min")
    return ordered.assign(rank=pd.array(rank, dtype="Int64"))


def year_overview(year: int, processed_dir=None) -> YearOverview:
    """Gather every unit's results and findings for ``year``.

    >>> o = year_overview(2023)                                       # doctest: +SKIP
    """
    tables = processed_tables(processed_dir)
    results = tables["results"]
    rows = results[results["year"] == year]
    if rows.empty:
        years = "、".join(str(y) for y in sorted(results["year"].unique())) or "无"
        raise PerfevalError(f"没有 {year} 年的结果（已有：{years}）/ no results for {year}")
    findings = tables["findings"]
    findings = findings[findings["year"] == year] if len(findings) else findings
    return YearOverview(year, _ranked(rows), findings.reset_index(drop=True), tables["inputs"],
                        dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"))


def title(o: YearOverview) -> Fragment:
    """Title and the summary strip of the year."""
    r = o.results
    counts = {g: int((r["grade"] == g).sum()) for g in GRADES}
    summary = {
        "units": len(r), "budget": r["budget_final"].sum(), "executed": r["executed"].sum(),
        "rate": r["executed"].sum() / r["budget_final"].sum() if r["budget_final"].sum() else np.nan,
        "scored": int(r["score"].notna().sum()), "unscored": int(r["score"].isna().sum()),
        "mean_score": r["score"].mean(), "mean_claimed": r["claimed_score"].mean(),
        "inflated": int((r["score_gap"] >= 0.5).sum()), "findings": len(o.findings),
    }
    return Fragment(render_html("html/overview_title.html.j2", year=o.year, s=summary, counts=counts))


def league_table(o: YearOverview, links: bool = True) -> Fragment:
    """Every unit ranked by recomputed score (units without one last), with a link to its report."""
    return Fragment(render_html("html/league.html.j2", rows=records(o.results), links=links))


def chart_grades(o: YearOverview) -> Fragment:
    return figure(charts.grade_counts(o.results[["grade", "claimed_grade"]]), "图1 复核等级与自评等级分布",
                  "没有等级可统计。")


def grade_bands(results: pd.DataFrame) -> tuple[tuple[float, str], ...]:
    """The grade bands of the year's ruleset (the one most units use), as ``(lowest total, grade)``.

    >>> grade_bands(pd.DataFrame({"ruleset": ["mof-2020", "mof-2020", None]}))[0]
    (90.0, '优')
    """
    names = results["ruleset"].dropna() if "ruleset" in results.columns else pd.Series(dtype="object")
    return load_ruleset(names.mode().iloc[0] if len(names) else config.DEFAULT_RULESET).grade_bands


def chart_rate_vs_score(o: YearOverview) -> Fragment:
    return figure(charts.rate_vs_score(o.results[["unit_name", "execution_rate", "score"]], grade_bands(o.results)),
                  "图2 预算执行率与复核得分", "没有同时具备执行率和复核得分的单位。")


def _largest_gaps(o: YearOverview, n: int = 10) -> pd.DataFrame:
    r = o.results.dropna(subset=["score_gap"])
    return r.reindex(r["score_gap"].abs().sort_values(ascending=False).index).head(n)


def gaps(o: YearOverview, n: int = 10) -> Fragment:
    """The units whose claimed score is farthest from the recomputed one."""
    return Fragment(render_html("html/gaps.html.j2", rows=records(_largest_gaps(o, n))))


def chart_gaps(o: YearOverview, n: int = 10) -> Fragment:
    return figure(charts.score_gaps(o.results[["unit_name", "score", "claimed_score"]], n=n),
                  "图3 自评与复核得分差异最大的单位", "没有可比较的自评与复核得分。")


def findings_summary(o: YearOverview) -> Fragment:
    """Findings by kind and severity, with how many units each concerns."""
    f = o.findings
    rows = []
    if len(f):
        grouped = f.groupby(["severity", "code"]).agg(n=("code", "size"), units=("unit_code", "nunique")).reset_index()
        grouped["order"] = grouped["severity"].map(SEVERITY_ORDER)
        for g in grouped.sort_values(["order", "n"], ascending=[True, False]).itertuples():
            rows.append({"label": FINDING_LABELS.get(g.code, g.code), "code": g.code, "severity": g.severity,
                         "n": g.n, "units": g.units})
    return Fragment(render_html("html/findings_summary.html.j2", rows=rows))


def chart_findings(o: YearOverview) -> Fragment:
    return figure(charts.findings_by_kind(o.findings[["code", "severity"]], labels=FINDING_LABELS)
                  if len(o.findings) else None, "图4 问题类型分布", "没有发现问题。")


def footer(o: YearOverview) -> Fragment:
    return Fragment(render_html("html/overview_footer.html.j2", inputs=records(o.inputs),
                                version=__version__, generated_at=o.generated_at))


# ---------------------------------------------------------------------------------------------
# Trends across years
# ---------------------------------------------------------------------------------------------

@dataclass
class Trends:
    """Results of the chosen units and years (one row per unit-year) with ranks within each year."""

    table: pd.DataFrame
    units: list[str]
    years: list[int]


def trends(units=None, years=None, processed_dir=None) -> Trends:
    """Select units and years (None = all) from the results table and rank units within each year.

    >>> t = trends(units=["D001", "D009"], years=[2021, 2022, 2023])  # doctest: +SKIP
    """
    results = processed_tables(processed_dir)["results"]
    if units:
        unknown = sorted(set(units) - set(results["unit_code"]))
        if unknown:
            raise PerfevalError(f"未知的单位编码 / unknown unit codes: {', '.join(unknown)}")
        results = results[results["unit_code"].isin(units)]
    if years:
        results = results[results["year"].isin(years)]
    rank = results.groupby("year")["score"].rank(ascending=False, method="min")
    table = results.assign(rank=pd.array(rank, dtype="Int64")).sort_values(["unit_code", "year"]).reset_index(drop=True)
    return Trends(table, sorted(table["unit_code"].unique()), sorted(int(y) for y in table["year"].unique()))


def trends_title(t: Trends) -> Fragment:
    return Fragment(render_html("html/trends_title.html.j2", units=len(t.units), years=t.years))


def _yearly_means(t: Trends) -> pd.DataFrame:
    grouped = t.table.groupby("year").agg(budget_final=("budget_final", "sum"), executed=("executed", "sum"),
                                          score=("score", "mean"), claimed_score=("claimed_score", "mean"))
    grouped["execution_rate"] = grouped["executed"] / grouped["budget_final"]
    return grouped.reset_index()[["year", "execution_rate", "score", "claimed_score"]]


def chart_trend(t: Trends) -> Fragment:
    """Execution rate and mean scores of the selection over the years."""
    return figure(charts.trend(_yearly_means(t)), "图1 所选单位的整体执行率与平均得分", "所选年份少于两年，无法绘制趋势。")


def chart_ranks(t: Trends) -> Fragment:
    """Each unit's rank by recomputed score over the years (at most 12 units drawn)."""
    return figure(charts.ranks_over_years(t.table[["unit_code", "unit_name", "year", "score"]], t.units[:12]),
                  "图2 各单位复核得分排名变化", "所选年份少于两年，无法绘制排名变化。")


def rank_changes(t: Trends) -> Fragment:
    """Rank in the first and the last selected year, and the change."""
    if len(t.years) < 2:
        return Fragment(render_html("html/note.html.j2", text="所选年份少于两年，没有排名变化。"))
    first, last = t.years[0], t.years[-1]
    pivot = t.table.pivot_table(index=["unit_code", "unit_name"], columns="year", values="rank", aggfunc="first")
    rows = []
    for (code, name), row in pivot.iterrows():
        a, b = row.get(first), row.get(last)
        change = (a - b) if pd.notna(a) and pd.notna(b) else np.nan
        rows.append({"unit_code": code, "unit_name": name, "first": a, "last": b, "change": change})
    rows.sort(key=lambda r: (-(r["change"] if pd.notna(r["change"]) else -999), r["unit_code"]))
    return Fragment(render_html("html/rank_changes.html.j2", rows=rows, first=first, last=last))


def grade_moves(t: Trends) -> Fragment:
    """Units whose recomputed grade changed from one selected year to the next."""
    moves = []
    for code, group in t.table.sort_values("year").groupby("unit_code"):
        previous = None
        for row in group.itertuples():
            if previous is not None and row.grade and previous.grade and row.grade != previous.grade:
                moves.append({"unit_code": code, "unit_name": row.unit_name, "from_year": previous.year,
                              "to_year": row.year, "from": previous.grade, "to": row.grade,
                              "up": GRADES.index(row.grade) < GRADES.index(previous.grade)})
            previous = row
    return Fragment(render_html("html/grade_moves.html.j2", moves=moves))

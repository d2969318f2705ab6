"""Cross-unit views: the year overview (league table, grades, gaps, findings) and multi-year trends.

Like :mod:`perfeval_lib.render.report`, every function returns an HTML fragment or a figure fragment, so the
overview and trends notebooks only call and show. The trends across years live in
:mod:`perfeval_lib.render.trends`; their names, and the report's :func:`show`, are importable from here, the
one module both notebooks import. Money is in 万元, rates are fractions (shown as percent), scores in points.

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

from ..core import config
from ..core.errors import PerfevalError
from ..core.store import processed_tables
from ..core.templating import records, render_html
from ..core.version import __version__
from ..core.vocab import GRADES, SEVERITY_ORDER
from ..review.audit import FINDING_LABELS
from ..review.rulesets import load_ruleset
from . import svg
from .comparison import ruleset_comparison
from .fragments import Fragment, figure, show
from .trends import (Trends, chart_ranks, chart_trend, grade_moves, overclaims, rank_changes, recurring, trends,
                     trends_title, yearly_table)

__all__ = [
    "YearOverview", "year_overview", "title", "league_table", "chart_grades", "grade_bands", "chart_rate_vs_score",
    "gaps", "chart_gaps", "findings_summary", "chart_findings", "footer", "Trends", "trends", "trends_title",
    "chart_trend", "chart_ranks", "rank_changes", "grade_moves", "yearly_table", "recurring", "overclaims", "ruleset_comparison", "show",
]


@dataclass
class YearOverview:
    """One year, all units (see :func:`year_overview`).

    ``results`` holds the year's ``results`` rows ranked by recomputed score, with ``rank``; ``findings``
    the year's findings; ``inputs`` the input files the year's figures come from, with their sha256.

    Examples
    --------
    >>> o = year_overview(2023)                                       # doctest: +SKIP
    >>> o.results[["unit_code", "score", "rank"]].head(1)             # doctest: +SKIP
    """

    year: int
    results: pd.DataFrame
    findings: pd.DataFrame
    inputs: pd.DataFrame
    generated_at: str


def _ranked(results: pd.DataFrame) -> pd.DataFrame:
    """Rows by recomputed score (ties: claimed score, then code; no score last), with ``rank`` (ties share)."""
    ordered = results.sort_values(["score", "claimed_score", "unit_code"], ascending=[False, False, True],
                                  na_position="last").reset_index(drop=True)
    rank = ordered["score"].rank(ascending=False, method="min")
    return ordered.assign(rank=pd.array(rank, dtype="Int64"))


def year_overview(year: int, processed_dir=None) -> YearOverview:
    """Gather every unit's results and findings for ``year``.

    Parameters
    ----------
    year : int
        The year.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    YearOverview
        The year's ``results`` rows (``unit_code``, ``unit_name``, ``budget_final`` and ``executed`` in
        万元, ``execution_rate`` a fraction, ``score``, ``claimed_score`` and ``score_gap`` in points,
        ``grade``, ``claimed_grade``, ``ruleset``) ranked, with ``rank``; its findings; the inputs.

    Raises
    ------
    PerfevalError
        When there are no results for ``year``.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> o = year_overview(2023)                                       # doctest: +SKIP
    >>> len(o.results), o.results["rank"].iloc[0]                     # doctest: +SKIP
    (12, 1)
    """
    tables = processed_tables(processed_dir)
    results = tables["results"]
    rows = results[results["year"] == year]
    if rows.empty:
        years = "、".join(str(y) for y in sorted(results["year"].unique())) or "无"
        raise PerfevalError(f"没有 {year} 年的结果（已有：{years}）/ no results for {year}")
    findings = tables["findings"]
    findings = findings[findings["year"] == year] if len(findings) else findings
    return YearOverview(year, _ranked(rows), findings.reset_index(drop=True),
                        year_inputs(tables["inputs"], tables["sources"], year, set(rows["unit_code"])),
                        dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"))


def year_inputs(inputs: pd.DataFrame, sources: pd.DataFrame, year: int, units: set) -> pd.DataFrame:
    """The input files a year's figures come from: a row of that year, or a yearless row (the unit register)
    of one of its units.

    Parameters
    ----------
    inputs : DataFrame
        Every input file (``file``, ``bytes``, ``sha256``).
    sources : DataFrame
        Which file gave which unit's rows: ``file``, ``unit_code``, ``year`` (missing for yearless tables).
    year : int
        The year.
    units : set of str
        The year's unit codes.

    Returns
    -------
    DataFrame
        The rows of ``inputs`` used by the year (all of them when ``sources`` is empty).

    Examples
    --------
    >>> inputs = pd.DataFrame({"file": ["budget_2022.csv", "budget_2023.csv", "units.csv", "other/units.csv"]})
    >>> sources = pd.DataFrame({"file": ["budget_2022.csv", "budget_2023.csv", "units.csv", "other/units.csv"],
    ...                         "unit_code": ["A", "A", "A", "Z"], "year": [2022, 2023, None, None]})
    >>> year_inputs(inputs, sources, 2023, {"A"})["file"].tolist()
    ['budget_2023.csv', 'units.csv']
    """
    if inputs.empty or sources is None or sources.empty:
        return inputs.reset_index(drop=True)
    years = pd.to_numeric(sources["year"], errors="coerce")
    used = sources[(years == year) | (years.isna() & sources["unit_code"].isin(units))]
    return inputs[inputs["file"].isin(set(used["file"]))].reset_index(drop=True)


def title(o: YearOverview) -> Fragment:
    """Title and the summary strip of the year.

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        HTML: units, budget and executed (万元), the overall rate, mean scores, units per grade, units
        claiming at least 0.5 point more than recomputed, findings.

    Examples
    --------
    >>> show(title(year_overview(2023)))                              # doctest: +SKIP
    """
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
    """Every unit ranked by recomputed score (units without one last), with a link to its report.

    Parameters
    ----------
    o : YearOverview
        The year.
    links : bool
        Link each unit's name to ``<unit_code>.html``.

    Returns
    -------
    Fragment
        HTML table: rank, unit, rate (percent), recomputed and claimed scores and grades.

    Examples
    --------
    >>> show(league_table(year_overview(2023), links=False))          # doctest: +SKIP
    """
    return Fragment(render_html("html/league.html.j2", rows=records(o.results), links=links))


def chart_grades(o: YearOverview) -> Fragment:
    """图1: units per grade, recomputed beside claimed (:func:`perfeval_lib.render.svg.grade_counts`).

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        The figure with its caption, or a note when no unit has a grade.

    Examples
    --------
    >>> show(chart_grades(year_overview(2023)))                       # doctest: +SKIP
    """
    return figure(svg.grade_counts(o.results[["grade", "claimed_grade"]]), "图1 复核等级与自评等级分布", "没有等级可统计。")


def grade_bands(results: pd.DataFrame) -> tuple[tuple[float, str], ...]:
    """The grade bands of the year's ruleset (the one most units use), as ``(lowest total, grade)``.

    Parameters
    ----------
    results : DataFrame
        The year's results; its ``ruleset`` column (when there is one) names each unit's ruleset.

    Returns
    -------
    tuple of (float, str)
        The bands from the highest, e.g. ``((90.0, '优'), (80.0, '良'), (60.0, '中'), (0.0, '差'))``; the
        default ruleset's when no unit names one.

    Raises
    ------
    RulesetError
        When that ruleset does not exist or is invalid.

    Examples
    --------
    >>> grade_bands(pd.DataFrame({"ruleset": ["mof-2020", "mof-2020", None]}))[0]
    (90.0, '优')
    """
    names = results["ruleset"].dropna() if "ruleset" in results.columns else pd.Series(dtype="object")
    return load_ruleset(names.mode().iloc[0] if len(names) else config.DEFAULT_RULESET).grade_bands


def chart_rate_vs_score(o: YearOverview) -> Fragment:
    """图2: execution rate against recomputed score, with the grade bands, and a numbered key beside it.

    Each point is numbered with its unit's row in the league order (:func:`perfeval_lib.render.svg.rate_vs_score`
    places the numbers so that none overlaps another number or point); the key beside the chart lists every
    unit with its number, rate and score, and says which points had no room for their number.

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        The figure with its caption and the key, or a note when no unit has both a rate and a score.

    Raises
    ------
    RulesetError
        When the year's ruleset does not exist or is invalid (see :func:`grade_bands`).

    Examples
    --------
    >>> show(chart_rate_vs_score(year_overview(2023)))                # doctest: +SKIP
    """
    rows = o.results.assign(label=[str(i + 1) for i in range(len(o.results))])
    rows = rows[rows["execution_rate"].notna() & rows["score"].notna()]
    drawn = svg.rate_vs_score(rows[["unit_name", "execution_rate", "score", "label"]], grade_bands(o.results))
    chart = figure(drawn, "图2 预算执行率与复核得分（点旁数字为图下所列序号）", "没有同时具备执行率和复核得分的单位。")
    if drawn is None:
        return chart
    shown = set(drawn.labelled)
    key = [{**row, "placed": row["label"] in shown} for row in records(rows)]
    return Fragment(render_html("html/rate_key.html.j2", chart=chart, rows=key))


def _largest_gaps(o: YearOverview, n: int = 10) -> pd.DataFrame:
    """The ``n`` rows with the largest claimed − recomputed gap, either way."""
    r = o.results.dropna(subset=["score_gap"])
    return r.reindex(r["score_gap"].abs().sort_values(ascending=False).index).head(n)


def gaps(o: YearOverview, n: int = 10) -> Fragment:
    """The units whose claimed score is farthest from the recomputed one.

    Parameters
    ----------
    o : YearOverview
        The year.
    n : int
        How many units.

    Returns
    -------
    Fragment
        HTML table: unit, claimed and recomputed scores and the gap (points), largest gap first.

    Examples
    --------
    >>> show(gaps(year_overview(2023), n=5))                          # doctest: +SKIP
    """
    return Fragment(render_html("html/gaps.html.j2", rows=records(_largest_gaps(o, n))))


def chart_gaps(o: YearOverview, n: int = 10) -> Fragment:
    """图3: the ``n`` largest gaps 自评 − 复核 as bars (:func:`perfeval_lib.render.svg.score_gaps`).

    Parameters
    ----------
    o : YearOverview
        The year.
    n : int
        How many units.

    Returns
    -------
    Fragment
        The figure with its caption, or a note when no unit has both scores.

    Raises
    ------
    ValueError
        When ``n`` is not a positive integer.

    Examples
    --------
    >>> show(chart_gaps(year_overview(2023)))                         # doctest: +SKIP
    """
    return figure(svg.score_gaps(o.results[["unit_name", "score", "claimed_score"]], n=n),
                  "图3 自评与复核得分差异最大的单位", "没有可比较的自评与复核得分。")


def findings_summary(o: YearOverview) -> Fragment:
    """Findings by kind and severity, with how many units each concerns.

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        HTML table: severity, kind (Chinese label), number of findings, number of units; errors first.

    Examples
    --------
    >>> show(findings_summary(year_overview(2023)))                   # doctest: +SKIP
    """
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
    """图4: findings per kind, coloured by severity (:func:`perfeval_lib.render.svg.findings_by_kind`).

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        The figure with its caption, or a note when there are no findings.

    Examples
    --------
    >>> show(chart_findings(year_overview(2023)))                     # doctest: +SKIP
    """
    return figure(svg.findings_by_kind(o.findings[["code", "severity"]], labels=FINDING_LABELS)
                  if len(o.findings) else None, "图4 问题类型分布", "没有发现问题。")


def footer(o: YearOverview) -> Fragment:
    """The provenance footer: input files and their sha256, library version, time.

    Parameters
    ----------
    o : YearOverview
        The year.

    Returns
    -------
    Fragment
        HTML.

    Examples
    --------
    >>> show(footer(year_overview(2023)))                             # doctest: +SKIP
    """
    return Fragment(render_html("html/overview_footer.html.j2", inputs=records(o.inputs),
                                version=__version__, generated_at=o.generated_at))

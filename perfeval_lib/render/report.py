"""Everything a unit report shows, computed here so the notebook stays thin.

:func:`unit_report` gathers one unit-year (re-evaluated under the chosen ruleset, with its history,
budget lines, spending progress, indicator scores, findings, the analyst's text and the provenance of
every input). The section functions turn it into HTML fragments (autoescaped jinja2 templates under
``templates/html``) and figures; :func:`show` displays either in a notebook.

Examples
--------
>>> from perfeval_lib.render import report as rp
>>> r = rp.unit_report("D001", 2023)                                 # doctest: +SKIP
>>> rp.show(rp.title(r))                                            # doctest: +SKIP
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from ..core.codes import match_codes
from ..core import config
from ..core.errors import PerfevalError, UnitNotFound
from ..core.files import shown_path
from ..core.store import processed_tables
from ..core.templating import none_if_missing, records, render_html
from ..core.version import __version__
from ..core.vocab import PLACEHOLDER
from ..ingest.narratives import analyst_text
from ..narrate.draft import Draft, Figure as DraftFigure, Paragraph, Section, build_draft
from ..review.evaluation import evaluate
from ..review.rulesets import Ruleset, load_ruleset
from . import svg
from .fragments import Fragment, figure, show  # noqa: F401  (show: the notebooks call rp.show)

#: Findings that come from reading files (kept from ingest); the rest are recomputed per report.
_LOAD_CODES = {"bad_value", "missing_column", "duplicate_key", "negative_amount", "out_of_range", "unsafe_code",
               "missing_value", "unreadable_file", "unknown_table", "no_header", "duplicate_column", "total_mismatch",
               "unknown_section"}


def _of_unit(frame: pd.DataFrame, unit_code: str, year: int | None = None) -> pd.DataFrame:
    """The rows of one unit (and one year, when given)."""
    if frame.empty or "unit_code" not in frame.columns:
        return frame
    rows = frame["unit_code"] == unit_code
    if year is not None and "year" in frame.columns:
        rows &= frame["year"] == year
    return frame[rows].reset_index(drop=True)


@dataclass
class UnitReport:
    """One unit-year, with everything its report shows (see :func:`unit_report`).

    ``result`` is the unit-year's ``results`` row as a dict (money 万元, ``execution_rate`` a fraction,
    scores in points, grades); ``history`` its ``results`` rows up to ``year``; ``lines`` its budget lines;
    ``progress`` the monthly ``month`` / ``progress`` / ``target`` (fractions); ``scored`` the indicator
    rows with ``score``; ``findings`` the audit findings; ``analyst`` the analyst's narrative by part;
    ``inputs`` the input files with their sha256; ``placeholders`` whether the draft's 【待补充】 gaps are
    shown (drafts: yes; the shared pages of ``perfeval run``: no, unless ``--show-placeholders``).

    Examples
    --------
    >>> r = unit_report("D001", 2023)                                 # doctest: +SKIP
    >>> r.name, r.result["grade"]                                     # doctest: +SKIP
    ('财政局', '优')
    """

    unit_code: str
    year: int
    unit: dict
    ruleset: Ruleset
    result: dict
    history: pd.DataFrame
    lines: pd.DataFrame
    progress: pd.DataFrame
    scored: pd.DataFrame
    findings: pd.DataFrame
    analyst: dict
    inputs: pd.DataFrame
    parameters: dict = field(default_factory=dict)
    generated_at: str = ""
    draft: Draft | None = None
    placeholders: bool = True

    @property
    def name(self) -> str:
        """The unit's name (its code when it has none)."""
        return self.unit.get("unit_name") or self.unit_code

    @property
    def missing(self) -> list[str]:
        """What data this unit-year lacks, in words for the reader (empty when nothing is missing)."""
        gaps = []
        if self.lines.empty:
            gaps.append("预算执行数据")
        elif self.lines["category"].eq("合计").all():
            gaps.append("按支出类别、资金来源的预算明细")
        if self.progress.empty:
            gaps.append("月度支出数据")
        if self.scored.empty:
            gaps.append("绩效指标自评表")
        return gaps


def unit_report(unit_code: str, year: int, processed_dir: str | Path | None = None,
                ruleset: str | None = None, parameters: dict | None = None, placeholders: bool = True) -> UnitReport:
    """Gather one unit-year for its report, re-evaluated under ``ruleset`` (default: the unit's own).

    The first report of a process evaluates its unit alone; from the second on, the reports of a process
    share one evaluation of the whole district (under the units' own rulesets), made once and kept while
    the processed tables and the ruleset files are unchanged — a batch kernel's reports then cost what
    their pages cost. Both give the same report (sums are exact, see
    :func:`perfeval_lib.review.metrics.exact_sum`).

    Parameters
    ----------
    unit_code : str
        The unit (typed in any case: ``d009`` is ``D009``).
    year : int
        The year evaluated; the history is every year of the unit up to it.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    ruleset : str, optional
        A ruleset name (``params/rulesets/<name>.yaml``) or path; default the unit's own.
    parameters : dict, optional
        The notebook's parameters, shown in the provenance footer.
    placeholders : bool, default True
        Show the draft's 【待补充】 gaps in :func:`section` (False on pages shared with readers).

    Returns
    -------
    UnitReport
        The unit-year, with its result, history, budget lines, spending progress, indicator scores,
        findings, the analyst's text and the input files.

    Raises
    ------
    UnitNotFound
        When the unit or the year is not in the processed data.
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).
    RulesetError
        When the ruleset does not exist or is invalid.

    Examples
    --------
    >>> r = unit_report("HZFL", 2022)                                 # doctest: +SKIP
    >>> r.result["claimed_score"], r.missing                         # doctest: +SKIP
    (98.0, ['按支出类别、资金来源的预算明细', '月度支出数据', '绩效指标自评表'])
    """
    tables = processed_tables(processed_dir)
    unit_code, year = _resolve(tables, unit_code, year)
    return _gather(tables, _evaluation(tables, unit_code, ruleset), unit_code, year, parameters, placeholders)


#: The evaluation this process shares between unit reports: the tables and ruleset it is for (and the
#: ruleset files' modification times), how many reports asked for them, and the whole district's
#: evaluation once a second report asked (``False`` when some unit's data cannot be evaluated).
_SHARED: dict = {"key": None, "tables": None, "asked": 0, "evaluation": None}


def _rulesets_stamp(ruleset: str | None) -> tuple:
    """The ruleset files' names and modification times (a changed file is a new evaluation)."""
    files = sorted(config.rulesets_dir().glob("*.yaml"))
    if ruleset and Path(ruleset).suffix in (".yaml", ".yml"):
        files.append(Path(ruleset))
    return tuple((str(path), path.stat().st_mtime_ns) for path in files if path.is_file())


def _evaluation(tables: dict, unit_code: str, ruleset: str | None):
    """The evaluation covering ``unit_code``: the unit's own for the first report of these tables in this
    process, the whole district's — evaluated once and shared — from the second on.

    A batch's kernel writes one report after another from the same tables: one evaluation of the district
    costs about what one unit's does (most of it is fixed cost), so from the second report on each report
    only reads its rows. The first report of a process (a run of one unit) evaluates its unit alone, and so
    does every report under an explicit ``ruleset`` (its warning names the units it overrides: this unit's
    alone). When the district cannot be evaluated as a whole (one unit's ruleset is broken, say), every
    unit is evaluated alone, so that unit fails by itself.
    """
    key = (id(tables), ruleset, _rulesets_stamp(ruleset))
    if _SHARED["key"] != key or _SHARED["tables"] is not tables:
        _SHARED.update(key=key, tables=tables, asked=0, evaluation=None)
    _SHARED["asked"] += 1
    if _SHARED["evaluation"] is None and _SHARED["asked"] >= 2 and ruleset is None:
        try:
            _SHARED["evaluation"] = evaluate(tables["units"] if len(tables["units"]) else None, tables["budget"],
                                             tables["indicators"], tables["claims"], tables["spending"],
                                             ruleset=ruleset, narratives=tables["narratives"])
        except PerfevalError:
            _SHARED["evaluation"] = False
    if _SHARED["evaluation"]:
        return _SHARED["evaluation"]
    unit_rows = _of_unit(tables["units"], unit_code)
    picked = {name: _of_unit(tables[name], unit_code) for name in ("budget", "indicators", "claims", "spending")}
    return evaluate(unit_rows if len(unit_rows) else None, picked["budget"], picked["indicators"], picked["claims"],
                    picked["spending"], ruleset=ruleset, narratives=_of_unit(tables["narratives"], unit_code))


def unit_reports(processed_dir: str | Path | None = None, years=None):
    """Every unit-year's report (each unit under its own ruleset), from one evaluation of all the data.

    The same reports as :func:`unit_report` gives one at a time, for the whole district at the cost
    of one evaluation: for checking or writing every draft.

    Parameters
    ----------
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    years : iterable of int, optional
        Only these years (default every year).

    Yields
    ------
    UnitReport
        One per unit-year of the results, by unit code and year.

    Raises
    ------
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).

    Examples
    --------
    >>> [r.unit_code for r in unit_reports(years=[2022])][:2]           # doctest: +SKIP
    ['D001', 'D002']
    """
    tables = processed_tables(processed_dir)
    ev = evaluate(tables["units"] if len(tables["units"]) else None, tables["budget"], tables["indicators"],
                  tables["claims"], tables["spending"], narratives=tables["narratives"])
    chosen = ev.results if years is None else ev.results[ev.results["year"].isin(list(years))]
    for row in chosen.sort_values(["unit_code", "year"]).itertuples():
        yield _gather(tables, ev, row.unit_code, int(row.year), None)


def _resolve(tables: dict, unit_code: str, year: int) -> tuple[str, int]:
    """The unit's code as the data spells it (typed in any case), checked to have ``year``."""
    known = set(tables["results"]["unit_code"]) | (set(tables["units"]["unit_code"]) if len(tables["units"]) else set())
    matched, _ = match_codes([unit_code], known)
    if not matched:
        raise UnitNotFound(f"单位「{unit_code}」不在已处理的数据中 / unit {unit_code!r} is not in the processed data")
    unit_code = matched[0]
    known_years = set(_of_unit(tables["results"], unit_code)["year"])
    if year not in known_years:
        shown = "、".join(str(y) for y in sorted(known_years)) or "无"
        raise UnitNotFound(f"单位「{unit_code}」没有 {year} 年的数据（已有：{shown}）/ no data for {unit_code} in {year}")
    return unit_code, int(year)


def _gather(tables: dict, ev, unit_code: str, year: int, parameters: dict | None,
            placeholders: bool = True) -> UnitReport:
    """One unit-year's report from an evaluation that covers it."""
    known_years = set(_of_unit(tables["results"], unit_code)["year"])
    history_years = sorted(y for y in known_years if y <= year)
    results = _of_unit(ev.results, unit_code)
    history = results[results["year"].isin(history_years)].reset_index(drop=True)
    result = {k: none_if_missing(v) for k, v in history[history["year"] == year].iloc[0].to_dict().items()}
    load_findings = _of_unit(tables["findings"], unit_code, year)
    if len(load_findings):
        load_findings = load_findings[load_findings["code"].isin(_LOAD_CODES)]
    findings = pd.concat([_of_unit(ev.findings, unit_code, year), load_findings], ignore_index=True)
    sources = _of_unit(tables["sources"], unit_code)
    if len(sources):
        sources = sources[sources["year"].isna() | (sources["year"] == year)]
    inputs = tables["inputs"]
    if len(inputs) and len(sources):
        inputs = inputs[inputs["file"].isin(set(sources["file"]))].reset_index(drop=True)
    unit_rows = _of_unit(tables["units"], unit_code)
    unit = {k: none_if_missing(v) for k, v in unit_rows.iloc[0].to_dict().items()} if len(unit_rows) else {"unit_code": unit_code}
    return UnitReport(
        unit_code=unit_code, year=int(year), unit=unit, ruleset=load_ruleset(result["ruleset"]), result=result,
        history=history, lines=_of_unit(tables["budget"], unit_code, year),
        progress=_of_unit(ev.progress, unit_code, year) if len(ev.progress) else pd.DataFrame(),
        scored=_of_unit(ev.scored, unit_code, year), findings=findings,
        analyst=analyst_text(tables["narratives"], unit_code, year), inputs=inputs,
        parameters=dict(parameters or {}),
        generated_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"), placeholders=bool(placeholders))


# ---------------------------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------------------------

def title(r: UnitReport) -> Fragment:
    """The report's title and the summary strip (budget, executed, rate, scores, grade, gap).

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    Fragment
        HTML: the title, budget and executed (万元), the rate (percent), both scores and grades.

    Examples
    --------
    >>> show(title(unit_report("D001", 2023)))                          # doctest: +SKIP
    """
    return Fragment(render_html("html/title.html.j2", r=r, result=r.result, missing=r.missing))


def draft(r: UnitReport) -> Draft:
    """The unit-year's 自评报告 draft (built once per report and kept on it).

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    perfeval_lib.narrate.draft.Draft
        The draft: title and sections 一 to 四 (paragraphs, tables, figure slots).

    Examples
    --------
    >>> [s.heading for s in draft(unit_report("D001", 2023)).sections]  # doctest: +SKIP
    ['一、基本情况', '二、综合评价分析', '三、存在的主要问题', '四、下一步改进措施']
    """
    if r.draft is None:
        r.draft = build_draft(r)
    return r.draft


def budget_lines(r: UnitReport) -> pd.DataFrame:
    """The unit-year's budget lines as its charts draw them.

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    DataFrame
        Columns ``label`` (category · funding source · project, the parts stated), ``budget_final`` and
        ``executed`` (万元); one row per budget line.

    Examples
    --------
    >>> budget_lines(unit_report("D001", 2023)).columns.tolist()          # doctest: +SKIP
    ['label', 'budget_final', 'executed']
    """
    labels = r.lines[["category", "funding_source", "project"]].fillna("").agg(
        lambda row: "·".join(p for p in row if p), axis=1)
    return pd.DataFrame({"label": labels, "budget_final": r.lines["budget_final"], "executed": r.lines["executed"]})


def level1_totals(r: UnitReport) -> pd.DataFrame:
    """分值, 复核得分 and 自评得分 summed per 一级指标, as the unit's charts draw them.

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    DataFrame
        Columns ``level1``, ``weight``, ``score``, ``claimed_score`` (points); one row per 一级指标.

    Examples
    --------
    >>> level1_totals(unit_report("D001", 2023))["level1"].tolist()      # doctest: +SKIP
    ['决策', '过程', '产出', '效益']
    """
    return r.scored.groupby("level1", sort=False).agg(weight=("weight", "sum"), score=("score", "sum"),
                                                     claimed_score=("claimed_score", "sum")).reset_index()


def monthly(r: UnitReport) -> pd.DataFrame:
    """The unit-year's ``month``, ``progress`` and ``target`` (fractions), as its spending chart draws them."""
    return r.progress[["month", "progress", "target"]]


#: The charts a draft can ask for, by the key of its figure slots: the data (from the report), the page's
#: SVG chart of it, and the sentence shown when there is nothing to draw. The Word draft draws the same
#: data as PNG (:mod:`perfeval_lib.render.draft_figures`).
FIGURES = {
    "budget": (budget_lines, svg.budget_vs_executed, "没有可绘制的预算数据。"),
    "spending": (monthly, svg.spending_curve, "月度支出数据不完整，无法绘制支出进度曲线。"),
    "scores": (level1_totals, svg.score_by_level1, "没有可绘制的得分。"),
}


def draft_figures(r: UnitReport) -> list[tuple[str, str]]:
    """The figure slots of the draft (sections and annex) that perfeval can draw, in order.

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    list of (str, str)
        (figure key of :data:`FIGURES`, caption) for each slot.

    Examples
    --------
    >>> [key for key, _ in draft_figures(unit_report("D001", 2023))]    # doctest: +SKIP
    ['budget', 'spending', 'scores']
    """
    return [(block.key, block.caption) for section in _all_sections(draft(r)) for block in _blocks(section)
            if isinstance(block, DraftFigure) and block.key in FIGURES]


def _all_sections(d: Draft) -> list:
    """The draft's sections, then its annex."""
    return [*d.sections, *([d.annex] if d.annex else [])]


def _blocks(section):
    """Every block of a draft section and of its subsections, in order."""
    yield from section.blocks
    for sub in section.subsections:
        yield from _blocks(sub)


def section(r: UnitReport, number: int) -> Fragment:
    """Section ``number`` (1–4: 一、基本情况 … 四、下一步改进措施) of the draft, with its charts, as HTML.

    Parameters
    ----------
    r : UnitReport
        The unit-year.
    number : int
        1 to 4.

    Returns
    -------
    Fragment
        The section's headings, paragraphs and tables, each figure slot drawn (or a note why not);
        without the 【待补充】 gaps when ``r.placeholders`` is False (:func:`without_placeholders`).

    Raises
    ------
    IndexError
        When ``number`` is not a section of the draft.

    Examples
    --------
    >>> show(section(unit_report("D001", 2023), 2))                     # doctest: +SKIP
    """
    chosen = draft(r).sections[number - 1]
    if not r.placeholders:
        chosen = without_placeholders(chosen)
    return _section_fragment(r, chosen)


def annex(r: UnitReport) -> Fragment:
    """附件：复核意见 — the review's annex of the draft (the reviewer's voice), with its chart, as HTML.

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    Fragment
        The annex: the totals compared, the 复核表 and its chart, the findings and recommendations.

    Examples
    --------
    >>> show(annex(unit_report("D001", 2023)))                          # doctest: +SKIP
    """
    return _section_fragment(r, draft(r).annex)


def _section_fragment(r: UnitReport, chosen) -> Fragment:
    """One section of the draft as HTML, each figure slot drawn (or a note why not)."""
    figures = {}
    for block in _blocks(chosen):
        if isinstance(block, DraftFigure) and block.key in FIGURES:
            data, chart, missing = FIGURES[block.key]
            figures[block.key] = figure(chart(data(r)), block.caption, missing)
    return Fragment(render_html("html/draft_section.html.j2", section=chosen, figures=figures))


def without_placeholders(chosen: Section) -> Section:
    """A copy of a draft section without its 【待补充】 gaps, for pages shared with readers.

    A paragraph holding ``【待补充】`` is left out; a heading left with nothing under it says 未提供 instead.

    Parameters
    ----------
    chosen : perfeval_lib.narrate.draft.Section
        A section of the draft (with its subsections).

    Returns
    -------
    perfeval_lib.narrate.draft.Section
        A new section; ``chosen`` is not changed.

    Examples
    --------
    >>> s = Section("（一）部门概况", 2, [Paragraph("【待补充】部门概况。", "todo")])
    >>> [(b.text, b.kind) for b in without_placeholders(s).blocks]
    [('未提供。', 'note')]
    """
    blocks = [b for b in chosen.blocks if not (isinstance(b, Paragraph) and PLACEHOLDER in b.text)]
    subsections = [without_placeholders(sub) for sub in chosen.subsections]
    if not blocks and not subsections:
        blocks = [Paragraph("未提供。", "note")]
    return dataclasses.replace(chosen, blocks=blocks, subsections=subsections)


def draft_page(r: UnitReport) -> str:
    """The draft alone as one self-contained HTML page (title and sections 一 to 四, with charts).

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    str
        A whole HTML document (styles and SVG charts inline): the title, sections 一 to 四 and
        the review's annex.

    Examples
    --------
    >>> Path("D001_draft.html").write_text(draft_page(unit_report("D001", 2023)), encoding="utf-8")  # doctest: +SKIP
    """
    body = "".join([title(r), *(section(r, n) for n in range(1, 5)), annex(r)])
    return render_html("html/page.html.j2", title=draft(r).title, body=Markup(body))


def trend(r: UnitReport) -> Fragment:
    """五、历年趋势: rate and score over the years, when there is history.

    Parameters
    ----------
    r : UnitReport
        The unit-year; its ``history`` holds ``year``, ``execution_rate`` (fraction), ``score`` and
        ``claimed_score`` (points).

    Returns
    -------
    Fragment
        The table of the years and the trend chart, or a note when there is only one year.

    Examples
    --------
    >>> show(trend(unit_report("D001", 2023)))                          # doctest: +SKIP
    """
    history = r.history.sort_values("year")
    if len(history) < 2:
        return Fragment(render_html("html/trend.html.j2", rows=[], fig=None))
    number = 1 + sum(caption.startswith("图") for _, caption in draft_figures(r))   # after the draft's 图1, 图2 …
    fig = figure(svg.trend(history[["year", "execution_rate", "score", "claimed_score"]]),
                 f"图{number} 历年预算执行率与得分", "历年数据不足，无法绘制趋势。")
    return Fragment(render_html("html/trend.html.j2", rows=records(history), fig=fig))


def _sha256(path: Path) -> str:
    """The file's hex SHA-256 ("" when it is not a file)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def footer(r: UnitReport) -> Fragment:
    """The provenance footer: input files and their sha256, ruleset, parameters, library version, time.

    Parameters
    ----------
    r : UnitReport
        The unit-year.

    Returns
    -------
    Fragment
        HTML: the input files (shown relative to the project) with their sha256, the ruleset file and
        its sha256, the notebook's parameters, the library version and the generation time.

    Examples
    --------
    >>> show(footer(unit_report("D001", 2023)))                         # doctest: +SKIP
    """
    ruleset_path = Path(r.ruleset.path)
    return Fragment(render_html(
        "html/footer.html.j2", r=r, inputs=records(r.inputs), ruleset=r.ruleset,
        ruleset_file=shown_path(ruleset_path), ruleset_sha=_sha256(ruleset_path), parameters=r.parameters, version=__version__,
        generated_at=r.generated_at))


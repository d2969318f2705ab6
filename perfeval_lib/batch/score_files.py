"""``perfeval score``: score forms and tidy tables as they are, with no registry needed.

Each official 自评表 (any sheet holding one) is read and scored alone — two project forms of one unit
are two evaluations — while tidy tables (indicators, budget, claims, units files) are pooled and scored
per unit-year. What a file does not state stays empty; every guess and every gap is an issue naming
the file, sheet and cell. One unreadable file never stops the others.

Examples
--------
>>> run = score_files(["自评表.xlsx"], ruleset="mof-2020")            # doctest: +SKIP
>>> run.summary[["unit_name", "year", "score", "grade", "status"]]     # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.files import shown_path
from ..core.issues import Issue
from ..core.schema import FINDINGS_COLUMNS
from ..ingest import forms
from ..ingest.folder import read_workbook
from ..ingest.tables import Loaded, read_table
from ..review.evaluation import evaluate

#: Columns of ``scores.csv``: one row per indicator.
SCORE_COLUMNS = ["file", "sheet", "row", "unit_code", "unit_name", "project", "year", "level1", "level2", "level3", "indicator",
                 "kind", "direction", "direction_source", "weight", "target_text", "actual_text", "claimed_score",
                 "score", "rule", "score_note"]
#: Columns of ``summary.csv``: one row per form (and per unit-year of tidy tables).
SUMMARY_COLUMNS = ["file", "sheet", "unit_code", "unit_name", "unit_label", "project", "project_code", "year",
                   "year_source", "budget_initial", "budget_final", "executed", "execution_rate", "rate_basis",
                   "stated_execution_rate", "claimed_score", "score", "grade", "claimed_grade", "score_gap",
                   "status", "n_indicators", "n_errors", "n_warnings"]
#: The year a form stating none is keyed by while it is scored; shown as empty.
PLACEHOLDER_YEAR = 1990
_TIDY = ("units", "budget", "indicators", "claims")


@dataclass
class ScoreRun:
    """What :func:`score_files` found.

    Parameters
    ----------
    scores : pandas.DataFrame
        :data:`SCORE_COLUMNS`: weights and scores in points, targets and actuals as typed.
    summary : pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: money in 万元, ``execution_rate`` a fraction recomputed from the
        budget (``rate_basis`` says over which figure), ``stated_execution_rate`` the form's own,
        ``status`` ``scored`` / ``incomplete`` / ``weights_invalid`` / ``no_indicators`` /
        ``unreadable``.
    issues : list of perfeval_lib.core.issues.Issue
        Every error, warning and note, file by file.
    findings : pandas.DataFrame
        The review's findings (:func:`perfeval_lib.review.audit.audit`) of every unit-year scored:
        ``unit_code, year, code, severity, message, indicator, file, row``.

    Examples
    --------
    >>> ScoreRun(pd.DataFrame(columns=SCORE_COLUMNS), pd.DataFrame(columns=SUMMARY_COLUMNS)).n_errors
    0
    """

    scores: pd.DataFrame
    summary: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDINGS_COLUMNS))

    @property
    def n_errors(self) -> int:
        """The number of issues of severity ``error``."""
        return sum(i.severity == "error" for i in self.issues)


def _located(loaded_frame: pd.DataFrame, provenance: pd.DataFrame | None) -> pd.DataFrame:
    if provenance is None or len(provenance) != len(loaded_frame):
        return loaded_frame.assign(_file=None, _sheet=None, _row=None)
    return pd.concat([loaded_frame.reset_index(drop=True), provenance.reset_index(drop=True)], axis=1)


def _summary_rows(ev, units: pd.DataFrame | None, counts: dict, base: dict) -> list[dict]:
    rows = []
    names = dict(zip(units["unit_code"], units["unit_name"])) if units is not None and len(units) else {}
    rates = ev.rates.set_index(["unit_code", "year"]) if len(ev.rates) else None
    for result in ev.results.itertuples():
        key = (result.unit_code, int(result.year))
        rate = rates.loc[key] if rates is not None and key in rates.index else None
        status = "scored" if result.score_status == "recomputed" else result.score_status
        rows.append({**base, "unit_code": result.unit_code, "unit_name": names.get(result.unit_code),
                     "year": int(result.year),
                     "budget_initial": np.nan if rate is None else rate.get("budget_initial", np.nan),
                     "budget_final": result.budget_final, "executed": result.executed,
                     "execution_rate": result.execution_rate,
                     "rate_basis": "budget_final" if pd.notna(result.execution_rate) else None,
                     "claimed_score": result.claimed_score, "score": result.score, "grade": result.grade,
                     "claimed_grade": result.claimed_grade, "score_gap": result.score_gap, "status": status,
                     "n_indicators": result.n_indicators, **counts})
    return rows


def _form_summary(row: dict, stated: dict, claims: pd.DataFrame) -> dict:
    """Fill what the canonical tables lack from what the form's budget block states, saying over what."""
    row = dict(row)
    for key in ("budget_initial", "budget_final", "executed"):
        if pd.isna(row.get(key)) and pd.notna(stated.get(key, np.nan)):
            row[key] = stated[key]
    row["stated_execution_rate"] = stated.get("stated_rate", np.nan)
    if pd.isna(row.get("execution_rate")) and pd.notna(row.get("executed")):
        for basis in ("budget_final", "budget_initial"):
            if pd.notna(row.get(basis)) and row[basis] > 0:
                row["execution_rate"], row["rate_basis"] = round(row["executed"] / row[basis], 6), basis
                break
    if claims.empty:  # no 总分 row: the claim is not the sum of what happens to be there
        row["claimed_score"], row["score_gap"] = np.nan, np.nan
    return row


def _read_form(path: Path, shown: str, registry, context: forms.FormContext, ruleset: str | None, sheets
               ) -> tuple[list[dict], list[dict], list[Issue], list[pd.DataFrame]]:
    form = forms.read_form(path, registry, shown, context, sheets=sheets)
    scores, summary, findings = [], [], []
    for read in form.forms:
        in_sheet = form.provenance.get("indicators", pd.DataFrame(columns=["_sheet"]))["_sheet"].eq(read["sheet"])
        indicators = _located(form.indicators, form.provenance.get("indicators"))[in_sheet.to_numpy()] \
            if len(form.indicators) else form.indicators
        keyed = [(t, f[f["unit_code"].eq(read["unit_code"])] if len(f) else f)
                 for t, f in (("budget", form.budget), ("claims", form.claims))]
        budget, claims = (frame for _, frame in keyed)
        units = form.units[form.units["unit_code"].eq(read["unit_code"])] if len(form.units) else None
        ev = evaluate(units, budget, indicators, claims, ruleset=ruleset)
        mine = [i for i in form.issues if i.sheet in (read["sheet"], None) or i.code == "hidden_sheet"]
        counts = {"n_errors": sum(i.severity == "error" for i in mine),
                  "n_warnings": sum(i.severity == "warning" for i in mine)}
        base = {"file": shown, "sheet": read["sheet"], "unit_label": read["unit_label"], "project": read["project"],
                "project_code": read["project_code"], "year_source": read["year_source"]}
        rows = _summary_rows(ev, units, counts, base) or [dict(base, unit_code=read["unit_code"], status="no_indicators",
                                                               **counts)]
        for row in rows:
            row["unit_name"] = row.get("unit_name") or read["unit_name"]
            summary.append(_form_summary(row, read["budget"], claims))
        scored = ev.scored.assign(unit_name=read["unit_name"], project=read["project"])
        scores.extend(scored.to_dict("records"))
        findings.append(ev.findings)
    return scores, summary, form.issues, findings


def score_files(paths: list[str | Path], ruleset: str | None = None, unit: str | None = None, year: int | None = None,
                registry: pd.DataFrame | None = None) -> ScoreRun:
    """Score official forms and tidy tables, each file read as it is.

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Workbooks (.xlsx, .xlsm, .xls, .ods) holding a 自评表, or tidy table files (CSV, XLSX, parquet)
        of indicators, budget, claims or units.
    ruleset : str, optional
        The ruleset to score with (default ``mof-2020``, or each unit's own from a units file).
    unit : str, optional
        The unit's name, for forms that name none (``--unit``).
    year : int, optional
        The year, for forms whose title, 年度 cell, sheet and file name state none (``--year``).
    registry : pandas.DataFrame, optional
        A units table: a form naming its unit without a code gets the registry's code.

    Returns
    -------
    ScoreRun
        ``scores`` and ``summary`` (see :class:`ScoreRun`) and every issue. Nothing is raised for bad
        input: an unreadable file is a summary row with status ``unreadable`` and an error.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "indicators.csv"
    >>> _ = path.write_text("单位编码,年度,一级指标,三级指标,分值,年度指标值,实际完成值\\n"
    ...                     "D001,2022,产出指标,事故发生率,100,≤2%,5%\\n", encoding="utf-8")
    >>> run = score_files([path])
    >>> run.scores[["level3", "direction", "score", "rule"]].values.tolist()
    [['事故发生率', '≤', 40.0, 'reverse_linear']]
    """
    scores, summary, issues, findings = [], [], [], []
    tidy: dict[str, list[pd.DataFrame]] = {t: [] for t in _TIDY}
    tidy_files: list[str] = []
    for path in map(Path, paths):
        shown = shown_path(path)
        try:
            # a workbook is checked, then parsed once in a child process, before anything reads it
            sheets, loaded = read_workbook(path, shown) if path.suffix.lower() in forms.FORM_SUFFIXES else (None, None)
            if sheets is not None:
                form_scores, form_summary, form_issues, form_findings = _read_form(
                    path, shown, registry, forms.FormContext(unit, year, path.name, PLACEHOLDER_YEAR), ruleset, sheets)
                scores += form_scores
                summary += form_summary
                issues += form_issues
                findings += form_findings
                continue
            loaded = loaded or read_table(path, shown_as=shown)
        except InputError as error:  # a reader's own refusal, never a traceback
            loaded = Loaded("unknown", pd.DataFrame(), [Issue.from_error(error, "unreadable_file")], [shown])
        issues += loaded.issues
        if loaded.table not in tidy or (loaded.frame.empty and loaded.errors):
            summary.append({"file": shown, "status": "unreadable", "n_errors": len(loaded.errors),
                            "n_warnings": sum(i.severity == "warning" for i in loaded.issues)})
            continue
        tidy[loaded.table].append(_located(loaded.frame, loaded.provenance))
        if loaded.claims is not None:
            tidy["claims"].append(loaded.claims)
        tidy_files.append(shown)
    if tidy_files:
        frames = {t: pd.concat(f, ignore_index=True) if f else None for t, f in tidy.items()}
        units = frames["units"] if frames["units"] is not None else registry
        ev = evaluate(units, frames["budget"], frames["indicators"], frames["claims"], ruleset=ruleset)
        mine = [i for i in issues if i.file in tidy_files]
        counts = {"n_errors": sum(i.severity == "error" for i in mine),
                  "n_warnings": sum(i.severity == "warning" for i in mine)}
        summary += _summary_rows(ev, units, counts, {"file": "、".join(tidy_files)})
        findings.append(ev.findings)
        names = dict(zip(units["unit_code"], units["unit_name"])) if units is not None and len(units) else {}
        scores += ev.scored.assign(unit_name=ev.scored["unit_code"].map(names) if len(ev.scored) else None,
                                   project=None).to_dict("records")
    found = [f for f in findings if len(f)]
    return ScoreRun(_scores_frame(scores), _summary_frame(summary), issues,
                    pd.concat(found, ignore_index=True)[FINDINGS_COLUMNS] if found
                    else pd.DataFrame(columns=FINDINGS_COLUMNS))


def _scores_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    if frame.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    frame = frame.rename(columns={"_file": "file", "_sheet": "sheet", "_row": "row"})
    frame = frame.reindex(columns=SCORE_COLUMNS)
    frame["year"] = frame["year"].astype("Int64").mask(frame["year"].eq(PLACEHOLDER_YEAR))
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _summary_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records).reindex(columns=SUMMARY_COLUMNS)
    if len(frame):
        frame["year"] = frame["year"].astype("Int64").mask(frame["year"].eq(PLACEHOLDER_YEAR))
        for column in ("n_indicators", "n_errors", "n_warnings"):
            frame[column] = frame[column].fillna(0).astype("int64")
    return frame

"""``perfeval ingest``: every raw file → validated canonical tables → results and findings, as parquet.

Examples
--------
>>> report = run_ingest()                                             # doctest: +SKIP
>>> report.n_errors, sorted(report.written)                            # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core import config
from ..core.files import shown_path
from ..core.issues import Issue, issues_frame
from ..core.schema import FINDINGS_COLUMNS
from ..core.errors import UsageError
from ..core.schema import INPUT_TABLES
from ..core.store import write_tables
from ..ingest.folder import load_folder, raw_files
from ..ingest.narratives import narrative_files, read_narratives, unit_datasets
from ..ingest.tables import Loaded
from ..review.evaluation import evaluate


@dataclass
class IngestReport:
    """What an ingest run read, found and wrote.

    ``issues`` are the load issues of every file; ``written`` maps each table to its parquet file,
    ``rows`` to its number of rows; ``files`` lists the raw files read.

    Examples
    --------
    >>> IngestReport([]).n_errors, IngestReport([]).n_warnings
    (0, 0)
    """

    issues: list[Issue]
    written: dict[str, Path] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: Error findings of the evaluation (e.g. weights that do not add up: no recomputed total).
    scoring_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every finding kept in ``findings.parquet`` (the review's and the load's errors and warnings).
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The review's findings alone (the ``n_findings`` — 问题数 — of the results counts these).
    review_findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Rows read into the input tables (units, budget, spending, indicators, claims), before evaluation.
    rows_read: int = 0

    @property
    def n_errors(self) -> int:
        """Load errors plus error findings of the evaluation."""
        return self.n_load_errors + len(self.scoring_errors)

    @property
    def n_load_errors(self) -> int:
        """Errors met while reading: the rows or files they concern were not loaded."""
        return sum(i.severity == "error" for i in self.issues)

    @property
    def n_warnings(self) -> int:
        """Load warnings."""
        return sum(i.severity == "warning" for i in self.issues)

    @property
    def nothing_read(self) -> bool:
        """No row was read from any file: nothing was written, the processed tables are as they were."""
        return self.rows_read == 0


def run_ingest(raw: str | Path | None = None, out: str | Path | None = None, ruleset: str | None = None) -> IngestReport:
    """Load every table file below ``raw``, evaluate, and write one parquet file per table to ``out``.

    Load issues (errors and warnings) are kept in ``findings.parquet`` beside the audit's findings.
    Valid rows are written even when other rows or files have errors. Raw files are only read.
    The processed tables are replaced only as a whole, after the evaluation succeeded
    (:func:`~perfeval_lib.core.store.write_tables`); a run that read no row at all (an empty or
    unmounted folder) writes nothing and leaves them as they were.

    Parameters
    ----------
    raw : str or Path, optional
        The raw folder (default ``data/raw``).
    out : str or Path, optional
        The processed folder (default ``data/processed``).
    ruleset : str, optional
        Score every unit with this ruleset instead of its own.

    Returns
    -------
    IngestReport
        The issues, every finding kept, the rows read, and the tables written (none when no row was
        read): the canonical tables (``units``, ``budget``, ``spending``,
        ``indicators``, ``claims``; money in 万元, rates as fractions), ``results``, ``findings``,
        ``scored``, ``narratives``, ``sources`` and ``inputs`` (each raw file read: ``file`` its real path,
        a link resolved; ``found_as`` where it was found below ``raw``; its size and sha256).

    Raises
    ------
    UsageError
        When ``raw`` does not exist or is not a folder (nothing is read or written).
    RulesetError
        When ``ruleset`` (or a unit's own) does not exist or is invalid (nothing is written).

    Examples
    --------
    >>> report = run_ingest("data/raw", "data/processed")            # doctest: +SKIP
    >>> report.n_errors, report.rows["results"]                      # doctest: +SKIP
    (0, 24)
    """
    raw = Path(raw) if raw else config.raw_dir()
    if not raw.is_dir():
        what = "不是文件夹 / is not a folder" if raw.exists() else "不存在 / does not exist"
        raise UsageError(f"原始数据文件夹 {raw} {what}；未读取、未改动任何文件 / nothing was read or changed "
                         f"(a typo, or a network share not mounted?)")
    tables = load_folder(raw)
    narratives, narrative_issues = read_narratives(raw, unit_datasets(tables, raw))
    issues = [i for loaded in tables.values() for i in loaded.issues] + narrative_issues
    frames = {name: loaded.frame for name, loaded in tables.items()}
    evaluation = evaluate(frames["units"], frames["budget"], frames["indicators"], frames["claims"],
                          frames["spending"], ruleset=ruleset, narratives=narratives)
    load_findings = issues_frame([i for i in issues if i.severity != "info"])
    load_findings = load_findings.assign(
        message=load_findings["message"] + load_findings.apply(_where, axis=1))[FINDINGS_COLUMNS]
    findings = pd.concat([evaluation.findings, load_findings], ignore_index=True) if len(load_findings) \
        else evaluation.findings
    inputs = _inputs([*raw_files(raw), *narrative_files(raw)[0]])
    outputs = dict(frames, results=evaluation.results, findings=findings, scored=evaluation.scored,
                   narratives=narratives, sources=_sources(tables, narratives), inputs=inputs)
    report = IngestReport(issues, files=inputs["file"].tolist(),
                          scoring_errors=evaluation.findings[evaluation.findings["severity"] == "error"],
                          findings=findings, review_findings=evaluation.findings, rows_read=sum(len(frames[name]) for name in INPUT_TABLES if name in frames))
    if report.nothing_read:
        return report
    report.written = write_tables(outputs, out)
    report.rows = {name: len(frame) for name, frame in outputs.items()}
    return report


def _where(issue_row: pd.Series) -> str:
    """Where in the file an issue is, appended to its message (the column, when known)."""
    parts = [str(issue_row[c]) for c in ("column",) if pd.notna(issue_row[c])]
    return f"（列「{parts[0]}」）" if parts else ""


def _sources(tables: dict[str, Loaded], narratives: pd.DataFrame) -> pd.DataFrame:
    """Which raw file fed which unit-year of which table (for each report's provenance footer)."""
    parts = []
    for name, loaded in tables.items():
        if loaded.frame.empty or loaded.provenance is None:
            continue
        year = loaded.frame["year"] if "year" in loaded.frame.columns else pd.Series(pd.NA, index=loaded.frame.index)
        parts.append(pd.DataFrame({"table": name, "unit_code": loaded.frame["unit_code"], "year": year,
                                   "file": loaded.provenance["_file"].astype(str)}))
    if len(narratives):
        parts.append(narratives[["unit_code", "year", "file"]].assign(table="narratives"))
    if not parts:
        return pd.DataFrame(columns=["table", "unit_code", "year", "file"])
    frame = pd.concat(parts, ignore_index=True).drop_duplicates()
    return frame.assign(year=pd.array(frame["year"], dtype="Int64"))


def _inputs(paths: list[Path]) -> pd.DataFrame:
    """Every raw file read: its real path (a link resolved, as every message names it), where it was
    found below the raw folder (the link itself), its size and sha256.

    Only regular files are opened (streamed: a file over the size limit is still hashed, not loaded);
    anything else gets no size or hash.
    """
    rows = []
    for path in paths:
        real = path.resolve()
        info = real.stat() if real.exists() else None
        digest = None
        if info is not None and stat.S_ISREG(info.st_mode):
            with open(real, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        rows.append({"file": shown_path(real), "found_as": shown_path(path.parent.resolve() / path.name),
                     "bytes": info.st_size if digest else None, "sha256": digest})
    return pd.DataFrame(rows, columns=["file", "found_as", "bytes", "sha256"])

"""A folder of raw files → one canonical table each: every file read alone, then combined and checked.

Table files (CSV, XLSX, parquet) are read with :func:`perfeval_lib.ingest.tables.read_table`; an
official 自评表 workbook (:func:`perfeval_lib.ingest.forms.layout_of_sheets`) with
:func:`perfeval_lib.ingest.forms.read_form_tables`, after the unit registry, so a form naming its unit
without a code is resolved against it. A workbook is opened once: its sheets, read to tell a form from
a table, are what the table or the form is read from. A claims file wins over a claimed total read from the 合计 row
of an indicator table or form for the same unit-year.

Examples
--------
>>> import pathlib, tempfile
>>> raw = pathlib.Path(tempfile.mkdtemp())
>>> _ = (raw / "units.csv").write_text("单位编码,单位名称\\nD001,示例区教育局\\n", encoding="utf-8")
>>> _ = (raw / "claims.csv").write_text("单位编码,年度,自评总分\\nD001,2022,92.5\\nD001,2022,93\\n", encoding="utf-8")
>>> tables = load_folder(raw)
>>> len(tables["units"].frame), len(tables["claims"].frame), [i.code for i in tables["claims"].errors]
(1, 0, ['duplicate_key', 'duplicate_key'])
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import InputError
from ..core.files import shown_path
from ..core.isolation import run_isolated
from ..core.issues import Issue
from ..core.schema import INPUT_TABLES
from . import forms
from .filecheck import capped_issues, check_workbook, raw_tree
from .normalise import TOTAL_ROW_SOURCE
from .readers import TABLE_SUFFIXES, RawSheet, read_file
from .tables import Loaded, canonical_columns, empty_table, provenance, read_table
from .validate import case_clashes, validate


def raw_files(folder: str | Path) -> list[Path]:
    """Every table file below ``folder``, sorted (see :func:`scan_raw_files` for the links left out).

    Parameters
    ----------
    folder : str or pathlib.Path
        The raw-data folder.

    Returns
    -------
    list of pathlib.Path
        Files with a suffix of :data:`perfeval_lib.ingest.readers.TABLE_SUFFIXES`, at any depth,
        skipping hidden files and folders, ``narratives/``, READMEs and links leaving ``folder``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("units.csv", "README.csv", "notes.md", ".old/budget.csv", "2022/budget.xlsx"):
    ...     (raw / name).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (raw / name).write_text("x")
    >>> [p.relative_to(raw).as_posix() for p in raw_files(raw)]
    ['2022/budget.xlsx', 'units.csv']
    """
    return scan_raw_files(folder)[0]


def scan_raw_files(folder: str | Path) -> tuple[list[Path], list[Issue]]:
    """The table files below ``folder`` and the links that were not followed.

    A link to a file inside ``folder`` is read like the file; a link leaving it (to another folder's
    data, to a system file, to /dev/zero) is an error and is not read; a linked folder is never walked
    into (:func:`perfeval_lib.ingest.filecheck.raw_tree`).

    Parameters
    ----------
    folder : str or pathlib.Path
        The raw-data folder.

    Returns
    -------
    files : list of pathlib.Path
        As :func:`raw_files`.
    issues : list of perfeval_lib.core.issues.Issue
        ``link_outside_raw`` errors and ``linked_folder`` warnings.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp()); (base / "raw").mkdir()
    >>> _ = (base / "other.csv").write_text("单位编码,单位名称\\nX1,外部单位\\n", encoding="utf-8")
    >>> os.symlink(base / "other.csv", base / "raw" / "units.csv")
    >>> files, issues = scan_raw_files(base / "raw")
    >>> files, [(i.code, i.file.endswith("units.csv")) for i in issues]
    ([], [('link_outside_raw', True)])
    """
    return raw_tree(Path(folder), lambda p: p.suffix.lower() in TABLE_SUFFIXES and p.stem.lower() != "readme",
                    frozenset({"narratives"}))


def _read_workbook_file(path: Path, shown: str) -> tuple[list[RawSheet] | None, Loaded | None]:
    """In an isolated child, the workbook read once: (an official form's sheets, None), or (None, the
    table read from them). The check is remembered from the parent's: nothing is inflated again."""
    sheets = read_file(path, shown)
    if forms.layout_of_sheets(sheets) is not None:
        return sheets, None
    return None, read_table(path, shown_as=shown, sheets=sheets)


def read_workbook(path: str | Path, shown_as: str | None = None) -> tuple[list[RawSheet] | None, Loaded | None]:
    """A workbook read safely and once: checked on one streamed pass, then parsed in a child process.

    The check (:func:`perfeval_lib.ingest.filecheck.check_workbook`, for .xlsx and .xlsm) measures what
    every part really inflates to before any reader opens it; the parse runs in a child process with a
    memory limit and a timeout (:func:`perfeval_lib.core.isolation.run_isolated`), so a bomb or a crash is
    this file's error. The sheets read then tell an official form from a table.

    Parameters
    ----------
    path : str or pathlib.Path
        An .xlsx, .xlsm, .xls or .ods workbook.
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).

    Returns
    -------
    tuple
        ``(sheets, None)`` for an official 自评表 (its visible sheets, as
        :func:`perfeval_lib.ingest.forms.read_form` takes them), or ``(None, loaded)`` for a table (read
        and validated as :func:`perfeval_lib.ingest.tables.read_table` reads it).

    Raises
    ------
    InputError
        What the check refuses (a bomb, a renamed or truncated file …) and what the child reports (out of
        memory, too slow, crashed, unreadable).

    Examples
    --------
    >>> sheets, loaded = read_workbook("tests/fixtures/real_forms/08_yunnan_lijiang_guchengqu_weipian_project_2020.xlsx")  # doctest: +SKIP
    >>> forms.layout_of_sheets(sheets) is not None                                             # doctest: +SKIP
    True
    """
    path = Path(path)
    shown = shown_as or str(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        check_workbook(path, shown)
    return run_isolated(_read_workbook_file, path, shown, file=shown)


def _read_form_file(path: Path, registry: pd.DataFrame | None, shown: str, sheets: list[RawSheet]
                    ) -> dict[str, Loaded]:
    """In an isolated child: an official form's tables from its sheets (every issue with ``indicators``, capped)."""
    parts = forms.read_form_tables(path, registry, shown, sheets=sheets)
    parts["indicators"].issues = capped_issues(parts["indicators"].issues, shown)
    return parts


def load_folder(folder: str | Path | None = None) -> dict[str, Loaded]:
    """Read every table file below ``folder`` and combine them per table.

    One bad file never hides the others: each file is read and validated alone, then the valid
    rows are combined and checked again across files (a key repeated in two files is an error).

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        The raw-data folder (default :func:`perfeval_lib.core.config.raw_dir`, ``data/raw``).

    Returns
    -------
    dict
        Every input table (``units``, ``budget``, ``spending``, ``indicators``, ``claims``) →
        :class:`~perfeval_lib.ingest.tables.Loaded`: the valid rows with the canonical columns (money
        in 万元, rates as fractions 0–1), their provenance, every issue and the files read. Files
        that cannot be read or told apart are reported with ``units``. Nothing is raised for bad
        input.

    Examples
    --------
    >>> tables = load_folder("data/raw/demo")                         # doctest: +SKIP
    >>> tables["budget"].frame[["budget_final", "executed"]].sum()    # doctest: +SKIP
    """
    folder = Path(folder) if folder else config.raw_dir()
    per_table: dict[str, list[Loaded]] = {name: [] for name in INPUT_TABLES}
    paths, stray = scan_raw_files(folder)
    form_files: list[tuple[Path, list[RawSheet]]] = []
    for path in paths:
        shown = shown_path(path)
        if path.suffix.lower() in forms.FORM_SUFFIXES:
            try:
                form_sheets, loaded = read_workbook(path, shown)
            except InputError as error:
                stray.append(Issue.from_error(error, "unreadable_file"))
                continue
            if form_sheets is not None:
                form_files.append((path, form_sheets))  # read below, once the unit registry is known
                continue
        else:
            loaded = read_table(path, shown_as=shown)
        if loaded.table == "unknown":
            stray.extend(loaded.issues)
            continue
        per_table[loaded.table].append(loaded)
        if loaded.claims is not None:
            per_table["claims"].append(Loaded("claims", canonical_columns(loaded.claims, "claims"), [], loaded.files,
                                              provenance=provenance(loaded.claims)))
    registry = [p.frame for p in per_table["units"] if len(p.frame)]
    for path, sheets in form_files:  # a form naming its unit without a code is resolved against the registry
        try:
            parts = run_isolated(_read_form_file, path, pd.concat(registry) if registry else None, shown_path(path),
                                 sheets, file=shown_path(path))
        except InputError as error:
            stray.append(Issue.from_error(error, "unreadable_file"))
            continue
        for name, part in parts.items():
            per_table[name].append(part)
        registry.append(parts["units"].frame)  # a unit known from one form is not added again by the next
    combined: dict[str, Loaded] = {}
    frames = {}
    for name, parts in per_table.items():
        located = [pd.concat([p.frame, p.provenance], axis=1) for p in parts if len(p.frame)]
        frames[name] = pd.concat(located, ignore_index=True) if located else empty_table(name)
    frames, clashes = case_clashes(frames)  # D001 and d001: one file name on Windows and macOS
    for name, parts in per_table.items():
        issues = [i for p in parts for i in p.issues] + clashes[name]
        files = [f for p in parts for f in p.files]
        frame = frames[name]
        if name == "claims" and len(frame):
            frame = _prefer_stated_claims(frame)
        valid, more = validate(frame, name, key_only=True)
        combined[name] = Loaded(name, canonical_columns(valid, name), issues + more, files,
                                provenance=provenance(valid))
    if stray:
        combined["units"].issues.extend(stray)
    return combined


def _prefer_stated_claims(frame: pd.DataFrame) -> pd.DataFrame:
    """A claims file wins over a 合计 row of the indicator table for the same unit-year."""
    from_total_row = frame["source"].eq(TOTAL_ROW_SOURCE).fillna(False).to_numpy(dtype=bool)
    stated_keys = set(zip(frame.loc[~from_total_row, "unit_code"], frame.loc[~from_total_row, "year"]))
    shadowed = from_total_row & np.array([k in stated_keys for k in zip(frame["unit_code"], frame["year"])])
    return frame[~shadowed].reset_index(drop=True)

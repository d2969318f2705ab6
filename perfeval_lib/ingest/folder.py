"""A folder of raw files → one canonical table each: every file read alone, then combined and checked.
"""
from __future__ import annotations

from pathlib import Path
import numpy as np
import pandas as pd

from ..core import config
from ..core.files import shown_path
from ..core.issues import Issue
from ..core.schema import INPUT_TABLES
from . import forms
from .tables import Loaded, TABLE_SUFFIXES, _provenance, canonical_columns, empty_table, read_table
from .validate import validate


def raw_files(folder: str | Path) -> list[Path]:
    """Every table file below ``folder`` (skipping hidden folders, ``narratives/`` and READMEs)."""
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p == "narratives" for p in parts):
            continue
        if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES and path.stem.lower() != "readme":
            found.append(path)
    return found


def load_folder(folder: str | Path | None = None) -> dict[str, Loaded]:
    """Read every table file below ``folder`` (default ``data/raw``) and combine them per table.

    One bad file never hides the others: each file is read and validated alone, then the valid
    rows are combined and checked again across files (a key repeated in two files is an error).

    >>> tables = load_folder("data/raw")                              # doctest: +SKIP
    >>> tables["budget"].frame.shape                                  # doctest: +SKIP
    """
    folder = Path(folder) if folder else config.raw_dir()
    per_table: dict[str, list[Loaded]] = {name: [] for name in INPUT_TABLES}
    stray: list[Issue] = []
    form_files: list[Path] = []
    for path in raw_files(folder):
        if path.suffix.lower() in forms.FORM_SUFFIXES and forms.detect_layout(path) is not None:
            form_files.append(path)  # read below, once the unit registry is known
            continue
        loaded = read_table(path, shown_as=shown_path(path))
        if loaded.table == "unknown":
            stray.extend(loaded.issues)
            continue
        per_table[loaded.table].append(loaded)
        if loaded.claims is not None:
            per_table["claims"].append(Loaded("claims", canonical_columns(loaded.claims, "claims"), [], loaded.files,
                                              provenance=_provenance(loaded.claims)))
    registry = [p.frame for p in per_table["units"] if len(p.frame)]
    for path in form_files:  # a form naming its unit without a code is resolved against the registry
        parts = forms.read_form_tables(path, pd.concat(registry) if registry else None, shown_path(path))
        for name, part in parts.items():
            per_table[name].append(part)
        registry.append(parts["units"].frame)  # a unit known from one form is not added again by the next
    # --- end of the forms hook ---
    combined: dict[str, Loaded] = {}
    for name, parts in per_table.items():
        located = [pd.concat([p.frame, p.provenance], axis=1) for p in parts if len(p.frame)]
        issues = [i for p in parts for i in p.issues]
        files = [f for p in parts for f in p.files]
        frame = pd.concat(located, ignore_index=True) if located else empty_table(name)
        if name == "claims" and len(frame):
            frame = _prefer_stated_claims(frame)
        valid, more = validate(frame, name, key_only=True)
        combined[name] = Loaded(name, canonical_columns(valid, name), issues + more, files,
                                provenance=_provenance(valid))
    if stray:
        combined["units"].issues.extend(stray)
    return combined


def _prefer_stated_claims(frame: pd.DataFrame) -> pd.DataFrame:
    """A claims file wins over a 合计 row of the indicator table for the same unit-year."""
    from_total_row = frame["source"].eq("指标表合计行").fillna(False).to_numpy(dtype=bool)
    stated_keys = set(zip(frame.loc[~from_total_row, "unit_code"], frame.loc[~from_total_row, "year"]))
    shadowed = from_total_row & np.array([k in stated_keys for k in zip(frame["unit_code"], frame["year"])])
    return frame[~shadowed].reset_index(drop=True)

"""When a report is unchanged: the fingerprint of a notebook task, and the manifest of the last successful runs.

A unit's fingerprint is a digest of the notebook, its parameters, the library version, the unit's ruleset
file and the unit's rows (up to the year) in every input table; the overview's, of every processed table
and ruleset file. ``.manifest.json`` in the year's folder keeps the fingerprint of every unit's last
successful run: an unchanged fingerprint with its page still there means the run can be skipped.

Examples
--------
>>> sha256_bytes(b"perfeval")[:12]
'f17b6675aed4'
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import PerfevalError
from ..core.files import atomic_path
from ..review.rulesets import ruleset_path
from .summary import RunResult

__all__ = ["DATA_TABLES", "Manifest", "data_digests", "file_digest", "files_digest", "ruleset_digest", "sha256_bytes"]

#: The input tables a unit's rows are digested from.
DATA_TABLES = ("units", "budget", "spending", "indicators", "claims", "narratives")


def sha256_bytes(data: bytes) -> str:
    """The hex SHA-256 of ``data``.

    Examples
    --------
    >>> len(sha256_bytes(b""))
    64
    """
    return hashlib.sha256(data).hexdigest()


def data_digests(tables: dict[str, pd.DataFrame], codes: list[str], year: int) -> dict[str, str]:
    """Per unit: a digest of its rows (up to ``year``) in every input table.

    Rows are hashed once per table, then grouped by unit: linear in the table's size however many
    units there are (a 1,000,000-row indicator table included).

    Parameters
    ----------
    tables : dict of str to DataFrame
        The processed tables by name (those of :data:`DATA_TABLES` are read; each has ``unit_code``, and
        ``year`` when it is per year).
    codes : list of str
        The units.
    year : int
        Rows of later years are left out.

    Returns
    -------
    dict
        Unit code → hex digest; a unit's digest changes only when its own rows do.

    Examples
    --------
    >>> budget = pd.DataFrame({"unit_code": ["A", "B"], "year": [2022, 2022], "budget_final": [1.0, 2.0]})
    >>> before = data_digests({"budget": budget}, ["A", "B"], 2022)
    >>> after = data_digests({"budget": budget.assign(budget_final=[1.0, 3.0])}, ["A", "B"], 2022)
    >>> before["A"] == after["A"], before["B"] == after["B"]
    (True, False)
    """
    digests = {code: hashlib.sha256() for code in codes}
    for name in DATA_TABLES:
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        rows = frame[frame["unit_code"].isin(codes)]
        if "year" in rows.columns:
            rows = rows[rows["year"] <= year]
        hashes = pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy()
        positions = rows.reset_index(drop=True).groupby("unit_code", sort=False).indices
        for code in codes:
            digests[code].update(name.encode())
            digests[code].update(hashes[np.asarray(positions.get(code, []), dtype=np.intp)].tobytes())
    return {code: digest.hexdigest() for code, digest in digests.items()}


@functools.lru_cache(maxsize=256)
def file_digest(path: Path, mtime_ns: int) -> str:
    """The SHA-256 of a file, cached on its modification time (``mtime_ns``, part of the cache key only).

    Examples
    --------
    >>> path = Path(config.rulesets_dir()) / "mof-2020.yaml"
    >>> file_digest(path, path.stat().st_mtime_ns) == sha256_bytes(path.read_bytes())
    True
    """
    return sha256_bytes(path.read_bytes())


def ruleset_digest(params: dict, unit_ruleset: str | None) -> str:
    """The digest of the ruleset file a unit is scored with (``missing:<name>`` when there is none).

    The ruleset is the parameters' ``ruleset``, else the unit's own (``unit_ruleset``), else the default.

    Examples
    --------
    >>> ruleset_digest({"ruleset": "no-such-ruleset"}, None)
    'missing:no-such-ruleset'
    >>> ruleset_digest({}, "mof-2020") == ruleset_digest({"ruleset": "mof-2020"}, None)
    True
    """
    name = params.get("ruleset") or unit_ruleset or config.DEFAULT_RULESET
    try:
        path = ruleset_path(name)
        return file_digest(path, path.stat().st_mtime_ns)
    except (PerfevalError, OSError):  # the unit's own run will fail and say why; the batch goes on
        return f"missing:{name}"


def files_digest(folder: Path, pattern: str) -> dict[str, str]:
    """File name → SHA-256 of every file of ``folder`` matching ``pattern`` (cached on modification times).

    Examples
    --------
    >>> "mof-2020.yaml" in files_digest(Path(config.rulesets_dir()), "*.yaml")
    True
    """
    return {path.name: file_digest(path, path.stat().st_mtime_ns) for path in sorted(folder.glob(pattern))}


class Manifest:
    """``.manifest.json``: the fingerprint of every unit's last successful run, saved after each result.

    Parameters
    ----------
    out : Path
        The year's report folder.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     task = {"name": "D001", "fingerprint": "f1", "out_dir": folder, "html": "D001.html"}
    ...     _ = (Path(folder) / "D001.html").write_text("page", encoding="utf-8")
    ...     manifest = Manifest(Path(folder))
    ...     manifest.record(RunResult("D001", "ok", fingerprint="f1"))
    ...     Manifest(Path(folder)).unchanged(task), Manifest(Path(folder)).unchanged({**task, "fingerprint": "f2"})
    (True, False)
    """

    def __init__(self, out: Path) -> None:
        self.path = out / ".manifest.json"
        self.entries = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def unchanged(self, task: dict) -> bool:
        """The task's fingerprint is that of its last successful run, and its report is still there."""
        return self.entries.get(task["name"]) == task["fingerprint"] and (Path(task["out_dir"]) / task["html"]).exists()

    def record(self, result: RunResult) -> None:
        """Remember a successful run's fingerprint (forget a failed unit's) and save the file."""
        if result.status == "ok":
            self.entries[result.unit_code] = result.fingerprint
        else:
            self.entries.pop(result.unit_code, None)
        with atomic_path(self.path) as temporary:
            temporary.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")

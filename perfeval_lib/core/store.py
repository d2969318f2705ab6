"""The processed tables (``data/processed/*.parquet``): written atomically, read back with a cache.

This module is the only place that knows where and how the processed tables are stored: one parquet
file per table, replaced in one rename, and read once per process until a file changes.
"""
from __future__ import annotations

from pathlib import Path
import contextlib
import functools
import pandas as pd

from . import config
from .errors import DataMissing
from .files import atomic_path


def write_table(frame: pd.DataFrame, name: str, folder: str | Path | None = None) -> Path:
    """Write ``frame`` as ``<folder>/<name>.parquet`` atomically (temporary file, then rename).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; the index is not written.
    name : str
        The table name (``results``, ``findings`` …), the file's stem.
    folder : str or pathlib.Path, optional
        Where to write; default :func:`perfeval_lib.core.config.processed_dir`. Created when missing.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OSError
        When the folder cannot be created or written.
    ValueError, TypeError
        From pyarrow, when a column cannot be stored as parquet (mixed types in one object column).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_table(pd.DataFrame({"unit_code": ["A"], "score": [98.0]}), "results", folder)
    ...     path.name, read_processed("results", folder)["score"].tolist()
    ('results.parquet', [98.0])
    """
    folder = Path(folder) if folder else config.processed_dir()
    target = folder / f"{name}.parquet"
    with atomic_path(target) as temporary:
        frame.to_parquet(temporary, index=False)
    return target


def write_tables(frames: dict[str, pd.DataFrame], folder: str | Path | None = None) -> dict[str, Path]:
    """Write several tables as one: every file is written to a temporary file first, and only when all
    are written are they renamed into place — a failure on any leaves every previous table untouched.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Table name → table (the file stem, as for :func:`write_table`).
    folder : str or pathlib.Path, optional
        Where to write; default :func:`perfeval_lib.core.config.processed_dir`. Created when missing.

    Returns
    -------
    dict of str to pathlib.Path
        Table name → the file written.

    Raises
    ------
    OSError, ValueError, TypeError
        As :func:`write_table`; then no table was replaced.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_table(pd.DataFrame({"a": [1]}), "units", folder)
    ...     try:
    ...         write_tables({"units": pd.DataFrame({"a": [2]}), "results": pd.DataFrame({"b": [object()]})}, folder)
    ...     except Exception:
    ...         pass
    ...     read_processed("units", folder)["a"].tolist(), sorted(p.name for p in Path(folder).iterdir())
    ([1], ['units.parquet'])
    """
    folder = Path(folder) if folder else config.processed_dir()
    written = {}
    with contextlib.ExitStack() as stack:
        for name, frame in frames.items():
            target = folder / f"{name}.parquet"
            temporary = stack.enter_context(atomic_path(target))
            frame.to_parquet(temporary, index=False)
            written[name] = target
    return written


def read_processed(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """A table built by ``perfeval ingest``, e.g. ``read_processed("results")``.

    Parameters
    ----------
    name : str
        The table name: ``units``, ``budget``, ``spending``, ``indicators``, ``claims``, ``results``,
        ``findings``, ``scored`` … (columns as in :mod:`perfeval_lib.core.schema`; money in 万元,
        rates as fractions 0–1, scores in points).
    folder : str or pathlib.Path, optional
        Default :func:`perfeval_lib.core.config.processed_dir`.

    Returns
    -------
    pandas.DataFrame
        The table as written.

    Raises
    ------
    DataMissing
        When ``<folder>/<name>.parquet`` does not exist (run ``perfeval ingest`` first).

    Examples
    --------
    >>> results = read_processed("results")                          # doctest: +SKIP
    >>> read_processed("results", "/no/such/folder")                  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.DataMissing: /no/such/folder/results.parquet 不存在，请先运行 perfeval ingest / ...
    """
    folder = Path(folder) if folder else config.processed_dir()
    path = folder / f"{name}.parquet"
    if not path.exists():
        raise DataMissing(f"{path} 不存在，请先运行 perfeval ingest / {path} is missing: run `perfeval ingest` first")
    return pd.read_parquet(path)


#: The processed tables a report reads (loaded once per process and folder).
REPORT_TABLES = ("units", "budget", "spending", "indicators", "claims", "findings", "narratives", "sources", "inputs",
                 "results")


@functools.lru_cache(maxsize=4)
def _tables(folder: str, stamp: tuple) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in REPORT_TABLES:
        try:
            tables[name] = read_processed(name, folder)
        except DataMissing:
            if name in ("units", "budget", "results"):
                raise
            tables[name] = pd.DataFrame()
    return tables


def processed_tables(folder: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The processed tables, read once per process (again only when a parquet file changes).

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Default :func:`perfeval_lib.core.config.processed_dir`.

    Returns
    -------
    dict of str to pandas.DataFrame
        One entry per name in :data:`REPORT_TABLES`; a table other than units, budget and results
        that has not been built is an empty DataFrame. The frames are shared between callers (cached):
        do not modify them in place.

    Raises
    ------
    DataMissing
        When ``units``, ``budget`` or ``results`` has not been built.

    Examples
    --------
    >>> tables = processed_tables()                                   # doctest: +SKIP
    >>> tables["results"][["unit_code", "year", "score", "grade"]]    # doctest: +SKIP
    """
    folder = Path(folder) if folder else config.processed_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.parquet")))
    return _tables(str(folder), stamp)

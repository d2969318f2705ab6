"""The processed tables (``data/processed/*.parquet``): written atomically, read back with a cache.
"""
from __future__ import annotations

from pathlib import Path
import functools
import pandas as pd

from . import config
from .errors import DataMissing
from .files import atomic_path


def write_table(frame: pd.DataFrame, name: str, folder: str | Path | None = None) -> Path:
    """Write ``frame`` as ``<folder>/<name>.parquet`` atomically (temporary file, then rename).

    >>> write_table(results, "results")                              # doctest: +SKIP
    PosixPath('.../data/processed/results.parquet')
    """
    folder = Path(folder) if folder else config.processed_dir()
    target = folder / f"{name}.parquet"
    with atomic_path(target) as temporary:
        frame.to_parquet(temporary, index=False)
    return target


def read_processed(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """A table built by ``perfeval ingest``, e.g. ``read_processed("results")``.

    >>> results = read_processed("results")                          # doctest: +SKIP
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
    """The processed tables, read once per process (again only when a parquet file changes)."""
    folder = Path(folder) if folder else config.processed_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.parquet")))
    return _tables(str(folder), stamp)

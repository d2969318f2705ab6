"""Paths used across perfeval, in one place.

Every path derives from the project root, which is the folder holding ``params/`` and ``data/``.
Set ``PERFEVAL_ROOT`` to point the library at another project folder (a copy of the data, a test
fixture); set ``PERFEVAL_RAW``, ``PERFEVAL_PROCESSED`` or ``PERFEVAL_REPORTS`` to move one folder alone.

Examples
--------
>>> from perfeval_lib.core import config
>>> config.processed_dir().name
'processed'
"""
from __future__ import annotations

import os
from pathlib import Path

#: The installed package folder (``perfeval_lib/``), which holds ``templates/``.
PACKAGE_DIR = Path(__file__).resolve().parents[1]

#: The ruleset used when neither the caller nor the unit registry names one.
DEFAULT_RULESET = "mof-2020"


def project_root() -> Path:
    """The project folder: ``$PERFEVAL_ROOT``, else the folder above the package."""
    env = os.environ.get("PERFEVAL_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def _folder(env_name: str, *default_parts: str) -> Path:
    env = os.environ.get(env_name)
    return Path(env).resolve() if env else project_root().joinpath(*default_parts)


def raw_dir() -> Path:
    """Data as received (``data/raw``); never modified by perfeval."""
    return _folder("PERFEVAL_RAW", "data", "raw")


def processed_dir() -> Path:
    """Tidy parquet tables built by ``perfeval ingest`` (``data/processed``)."""
    return _folder("PERFEVAL_PROCESSED", "data", "processed")


def reports_dir() -> Path:
    """Generated HTML reports (``reports``)."""
    return _folder("PERFEVAL_REPORTS", "reports")


def params_dir() -> Path:
    """Run parameters and rulesets (``params``)."""
    return _folder("PERFEVAL_PARAMS", "params")


def rulesets_dir() -> Path:
    """Scoring rulesets, one YAML file each (``params/rulesets``)."""
    return params_dir() / "rulesets"


def available_rulesets() -> list[str]:
    """Names of the rulesets in ``params/rulesets``."""
    folder = rulesets_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.exists() else []

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
    """The project folder: ``$PERFEVAL_ROOT``, else the folder above the package.

    Returns
    -------
    pathlib.Path
        The folder holding ``params/``, ``data/`` and ``reports/`` (absolute).

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_ROOT": "/srv/perfeval"}):
    ...     project_root().as_posix()
    '/srv/perfeval'
    """
    env = os.environ.get("PERFEVAL_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def _folder(env_name: str, *default_parts: str) -> Path:
    env = os.environ.get(env_name)
    return Path(env).resolve() if env else project_root().joinpath(*default_parts)


def raw_dir() -> Path:
    """Data as received (``data/raw``); never modified by perfeval.

    Returns
    -------
    pathlib.Path
        ``$PERFEVAL_RAW`` when set, else ``<project root>/data/raw``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_RAW": "/srv/received"}):
    ...     raw_dir().as_posix()
    '/srv/received'
    """
    return _folder("PERFEVAL_RAW", "data", "raw")


def processed_dir() -> Path:
    """Tidy parquet tables built by ``perfeval ingest`` (``data/processed``).

    Returns
    -------
    pathlib.Path
        ``$PERFEVAL_PROCESSED`` when set, else ``<project root>/data/processed``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_ROOT": "/srv/perfeval"}, clear=True):
    ...     processed_dir().as_posix()
    '/srv/perfeval/data/processed'
    """
    return _folder("PERFEVAL_PROCESSED", "data", "processed")


def reports_dir() -> Path:
    """Generated HTML reports (``reports``).

    Returns
    -------
    pathlib.Path
        ``$PERFEVAL_REPORTS`` when set, else ``<project root>/reports``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_ROOT": "/srv/perfeval"}, clear=True):
    ...     reports_dir().as_posix()
    '/srv/perfeval/reports'
    """
    return _folder("PERFEVAL_REPORTS", "reports")


def params_dir() -> Path:
    """Run parameters and rulesets (``params``).

    Returns
    -------
    pathlib.Path
        ``$PERFEVAL_PARAMS`` when set, else ``<project root>/params``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_ROOT": "/srv/perfeval"}, clear=True):
    ...     params_dir().as_posix()
    '/srv/perfeval/params'
    """
    return _folder("PERFEVAL_PARAMS", "params")


def rulesets_dir() -> Path:
    """Scoring rulesets, one YAML file each (``params/rulesets``).

    Returns
    -------
    pathlib.Path
        ``<params dir>/rulesets``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_PARAMS": "/srv/params"}):
    ...     rulesets_dir().as_posix()
    '/srv/params/rulesets'
    """
    return params_dir() / "rulesets"


def available_rulesets() -> list[str]:
    """Names of the rulesets in ``params/rulesets``.

    Returns
    -------
    list of str
        The file stems of ``params/rulesets/*.yaml``, sorted; empty when the folder does not exist.

    Examples
    --------
    >>> {"mof-2020", "mof-2013-dept"} <= set(available_rulesets())
    True
    """
    folder = rulesets_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.exists() else []

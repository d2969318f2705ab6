"""A unit's run parameters: ``params/units/<unit_code>.yaml``, checked against the notebook before anything runs.

``perfeval run`` executes ``notebooks/unit_report.ipynb`` once per unit with the parameters of the
unit's YAML file (written by :func:`write_params` when missing, editable by hand) plus ``unit_code``
and ``year``. :func:`check_params` compares them with the notebook's ``parameters`` cell (as papermill
reads it, :func:`perfeval_lib.batch.execute.notebook_parameters`), so a typo or a wrong type is reported
for every unit at once instead of failing one notebook after another. A unit code becomes a file
name only through :func:`safe_name`.

Examples
--------
>>> params_path("D001").name, params_path("D001").parent.name
('D001.yaml', 'units')
>>> check_params({"unit_code": "D001", "year": 2023}, {"unit_code": {"inferred_type_name": "str"},
...                                                   "year": {"inferred_type_name": "int"}}, "D001.yaml")
[]
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from ..core import config
from ..core.errors import ParamsError, PerfevalError
from ..core.files import atomic_path
from ..core.store import read_processed
from .project import OVERVIEW_NOTEBOOK, UNIT_NOTEBOOK, notebooks_dir

__all__ = ["OVERVIEW_NOTEBOOK", "UNIT_NOTEBOOK", "check_params", "notebooks_dir", "params_path", "read_params",
           "safe_name", "write_params"]

_SAFE_NAME = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_\-\u4e00-\u9fff.]{0,63}$")
_TYPE_NAMES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}


def safe_name(unit_code: str) -> str:
    """The unit code as a file name, refused when it could escape the reports folder.

    Parameters
    ----------
    unit_code : str
        Letters, digits, Chinese characters, ``_``, ``-`` and ``.`` (not first, never ``..``); at most
        64 characters.

    Returns
    -------
    str
        ``unit_code`` unchanged.

    Raises
    ------
    PerfevalError
        When the code is not such a name (``../etc``, ``a/b``, empty, too long).

    Examples
    --------
    >>> safe_name("D001")
    'D001'
    >>> safe_name("../etc")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.PerfevalError: 单位编码「../etc」不能用作文件名 / unit code '../etc' is not a safe file name
    """
    if not isinstance(unit_code, str) or not _SAFE_NAME.match(unit_code) or ".." in unit_code:
        raise PerfevalError(f"单位编码「{unit_code}」不能用作文件名 / unit code {unit_code!r} is not a safe file name")
    return unit_code


def check_params(params: dict, declared: dict, source: str) -> list[str]:
    """Problems of one parameter set against the notebook's declared parameters (empty when fine).

    Parameters
    ----------
    params : dict
        Parameter name → value, e.g. from :func:`read_params`.
    declared : dict
        The notebook's parameters as papermill describes them (name → dict with ``inferred_type_name``),
        from :func:`perfeval_lib.batch.execute.notebook_parameters`.
    source : str
        Where ``params`` came from (a file name), the start of every message.

    Returns
    -------
    list of str
        One message (Chinese / English) per unknown parameter or value of the wrong type.

    Examples
    --------
    >>> declared = {"year": {"inferred_type_name": "int"}, "ruleset": {"inferred_type_name": "str"}}
    >>> check_params({"year": "2023", "colour": 1}, declared, "x.yaml")
    ['x.yaml: 参数「year」应为 int，实为 str / year must be int, got str', 'x.yaml: 未知参数「colour」/ unknown parameter (可用 allowed: year, ruleset)']
    """
    problems = []
    for key, value in params.items():
        if key not in declared:
            problems.append(f"{source}: 未知参数「{key}」/ unknown parameter (可用 allowed: {', '.join(declared)})")
            continue
        wanted = _TYPE_NAMES.get(declared[key].get("inferred_type_name") or "")
        if wanted and (not isinstance(value, wanted) or (wanted is int and isinstance(value, bool))):
            problems.append(f"{source}: 参数「{key}」应为 {declared[key]['inferred_type_name']}，实为 "
                            f"{type(value).__name__} / {key} must be {declared[key]['inferred_type_name']}, "
                            f"got {type(value).__name__}")
    return problems


def params_path(unit_code: str) -> Path:
    """The parameters file of a unit: ``params/units/<unit_code>.yaml``.

    Parameters
    ----------
    unit_code : str
        The unit (checked by :func:`safe_name`).

    Returns
    -------
    pathlib.Path
        The file, whether it exists or not.

    Raises
    ------
    PerfevalError
        When the unit code is not a safe file name.

    Examples
    --------
    >>> params_path("D001").name
    'D001.yaml'
    """
    return config.params_dir() / "units" / f"{safe_name(unit_code)}.yaml"


def read_params(unit_code: str) -> dict:
    """A unit's run parameters from its YAML file ({} when there is none, or it is empty).

    Parameters
    ----------
    unit_code : str
        The unit.

    Returns
    -------
    dict
        Parameter name → value as the file states it (not yet checked, see :func:`check_params`).

    Raises
    ------
    ParamsError
        When the file is not valid YAML or not a mapping of parameter: value.
    PerfevalError
        When the unit code is not a safe file name.

    Examples
    --------
    >>> read_params("D001")                                          # doctest: +SKIP
    {'unit_code': 'D001', 'ruleset': ''}
    """
    path = params_path(unit_code)
    if not path.exists():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: 不是有效的 YAML / not valid YAML: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParamsError(f"{path}: 应为“参数: 值”的映射 / expected a mapping of parameter: value")
    return loaded


def write_params(year: int, units: list[str] | None = None, force: bool = False, processed_dir=None) -> list[Path]:
    """Write ``params/units/<unit_code>.yaml`` for the units of ``year`` (existing files kept unless ``force``).

    A new file names the unit in a comment and holds ``unit_code`` and an empty ``ruleset`` (the unit's
    own ruleset); it is written atomically.

    Parameters
    ----------
    year : int
        The units with a ``results`` row in this year.
    units : list of str, optional
        Only these unit codes (others are ignored).
    force : bool
        Replace files that exist.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``): ``units`` (``unit_code``, ``unit_name``) and
        ``results`` (``unit_code``, ``year``).

    Returns
    -------
    list of pathlib.Path
        The files written (none when every file existed).

    Raises
    ------
    DataMissing
        When the processed tables are not there (run ``perfeval ingest`` first).
    PerfevalError
        When a unit code is not a safe file name.

    Examples
    --------
    >>> write_params(2023)                                           # doctest: +SKIP
    [PosixPath('.../params/units/D001.yaml'), ...]
    """
    registry = read_processed("units", processed_dir)
    results = read_processed("results", processed_dir)
    codes = sorted(results.loc[results["year"] == year, "unit_code"].unique())
    if units:
        codes = [c for c in codes if c in set(units)]
    names = dict(zip(registry["unit_code"], registry["unit_name"]))
    written = []
    for code in codes:
        path = params_path(code)
        if path.exists() and not force:
            continue
        text = (f"# {names.get(code, code)} — perfeval run 的参数 / run parameters of notebooks/{UNIT_NOTEBOOK}\n"
                f"# 可手工编辑；year 由 perfeval run --year 给出。Editable; the year comes from perfeval run --year.\n"
                f"unit_code: {json.dumps(code, ensure_ascii=False)}\n"
                f"ruleset: \"\"   # 空 = 单位登记的评价体系 / empty: the unit's own ruleset\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
        written.append(path)
    return written

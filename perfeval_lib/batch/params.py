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

import difflib
from pathlib import Path

import yaml

from ..core import config
from ..core.codes import code_problem, safe_code
from ..core.errors import ParamsError, PerfevalError
from ..core.files import atomic_path, shown_path
from ..core.store import read_processed
from .project import OVERVIEW_NOTEBOOK, UNIT_NOTEBOOK, notebooks_dir

__all__ = ["OVERVIEW_NOTEBOOK", "UNIT_NOTEBOOK", "check_params", "notebooks_dir", "params_path", "read_params",
           "safe_name", "write_params"]

#: The keys a parameter file may hold: what :func:`write_params` writes. ``year`` comes from ``perfeval run
#: --year`` and ``processed_dir`` from ``--processed``, never from a file.
PARAMS_FILE_KEYS = ("unit_code", "ruleset")
_TYPE_NAMES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}
#: PyYAML's safe loader, on libyaml's C parser where the wheel has it: the same documents, the same tags, the
#: same errors, ≈ 5× faster — a run reads one parameter file per unit.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_name(unit_code: str) -> str:
    """The unit code as a file name, refused when it is not a safe unit code.

    The rule is :func:`perfeval_lib.core.codes.code_problem` (the one ingest applies to every row):
    letters, digits, Chinese characters, ``_``, ``-`` and ``.`` (not first, never ``..``, not last), at
    most 64 characters, no Windows device name (CON, NUL, COM1 …).

    Parameters
    ----------
    unit_code : str
        The unit code.

    Returns
    -------
    str
        ``unit_code`` unchanged.

    Raises
    ------
    PerfevalError
        When the code is not such a name (``../etc``, ``a/b``, empty, too long, ``CON``).

    Examples
    --------
    >>> safe_name("D001")
    'D001'
    >>> safe_name("../etc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.PerfevalError: 单位编码「../etc」不能用作文件名（...）/ unit code '../etc' is not a safe file name (...)
    """
    return safe_code(unit_code)


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


def read_params(unit_code: str, year: int | None = None) -> dict:
    """A unit's run parameters from its YAML file ({} when there is none, or it is empty).

    The file may hold only what :func:`write_params` writes (:data:`PARAMS_FILE_KEYS`: ``unit_code`` and
    ``ruleset``, both text): anything else — a key data slipped in, ``processed_dir`` pointing the
    report at another folder's figures, ``year`` — is refused, so data never becomes configuration.

    Parameters
    ----------
    unit_code : str
        The unit.
    year : int, optional
        The year run, for the command a message suggests (default: ``<年度>``).

    Returns
    -------
    dict
        Parameter name → value as the file states it (types checked against the notebook by
        :func:`check_params`).

    Raises
    ------
    ParamsError
        When the file is not a regular file, not valid YAML (with the line and column), not a mapping of
        parameter: value, or holds a key other than :data:`PARAMS_FILE_KEYS` (with the key meant, when
        it is close to one) or a value that is not text; the message names the file (relative to the
        project) and the command that writes it again.
    PerfevalError
        When the unit code is not a safe file name.

    Examples
    --------
    >>> read_params("D001")                                          # doctest: +SKIP
    {'unit_code': 'D001', 'ruleset': ''}
    >>> read_params("D002", 2023)                                    # doctest: +SKIP
    ParamsError: params/units/D002.yaml: 未知参数「rulset」（是否应为「ruleset」？/ did you mean ruleset?）…
    """
    path = params_path(unit_code)
    shown = shown_path(path)
    rewrite = (f"可用 perfeval params --year {year or '<年度>'} --units {unit_code} --force 重写 / rewrite it with "
               f"perfeval params --year {year or '<year>'} --units {unit_code} --force")
    if not path.exists():
        return {}
    if not path.is_file() or path.stat().st_size > 64 * 1024:
        raise ParamsError(f"{shown}: 不是普通的小文件 / not a small regular file")
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError:
        raise ParamsError(f"{shown}: 不是 UTF-8 文本 / not UTF-8 text；{rewrite}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列 / line {mark.line + 1}, column {mark.column + 1}: " \
            if mark is not None else ""
        said = getattr(exc, "problem", None) or type(exc).__name__
        raise ParamsError(f"{shown}: 不是有效的 YAML（{where}{said}）/ not valid YAML；{rewrite}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParamsError(f"{shown}: 应为“参数: 值”的映射 / expected a mapping of parameter: value；{rewrite}")
    keys, types = [], []
    for key, value in loaded.items():
        if key in ("year", "processed_dir"):
            keys.append(f"参数「{key}」不能写在参数文件中（由 perfeval run --{key.split('_')[0]} 给出）/ {key} is "
                        "not set in a parameter file")
        elif key not in PARAMS_FILE_KEYS:
            meant = difflib.get_close_matches(str(key), PARAMS_FILE_KEYS, n=1, cutoff=0.6)
            hint = f"（是否应为「{meant[0]}」？/ did you mean {meant[0]}?）" if meant else ""
            keys.append(f"未知参数「{_shown(key)}」{hint}/ unknown parameter (参数文件只含 {', '.join(PARAMS_FILE_KEYS)})")
        elif not isinstance(value, str):
            types.append(f"参数「{key}」应为文本 str，实为 {type(value).__name__} / {key} must be str, got "
                         f"{type(value).__name__}")
    if keys or types:
        why = " — 参数文件只能含 perfeval 写入的键，已拒绝 / a parameter file holds only the keys perfeval writes: " \
              "refused" if keys else ""
        raise ParamsError(f"{shown}: " + "；".join(keys + types) + f"{why}；{rewrite}")
    return loaded


def _shown(value: object) -> str:
    """A value for a message: printable, at most 60 characters."""
    text = str(value)
    return "".join(c if c.isprintable() else "\ufffd" for c in text)[:60]


def write_params(year: int, units: list[str] | None = None, force: bool = False, processed_dir=None) -> list[Path]:
    """Write ``params/units/<unit_code>.yaml`` for the units of ``year`` (existing files kept unless ``force``).

    A new file names the unit in a comment and holds ``unit_code`` and an empty ``ruleset`` (the unit's
    own ruleset), written by a YAML serialiser (:func:`params_text`), atomically. A unit whose code is
    not a safe file name gets no file: the others are written, then the error is raised.

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
        When a unit code is not a safe file name (after the other units' files are written).

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
    written, refused = [], []
    for code in codes:
        if code_problem(code) is not None:
            refused.append(code)
            continue
        path = params_path(code)
        if path.exists() and not force:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            temporary.write_text(params_text(code, names.get(code)), encoding="utf-8")
        written.append(path)
    for code in refused:
        safe_name(code)  # raises, naming the first code refused, once the others are written
    return written


def params_text(unit_code: str, unit_name: object = None) -> str:
    """The content of a new parameter file: a comment naming the unit, then ``unit_code`` and ``ruleset``.

    The values are written by a YAML serialiser and the unit's name only in a comment, stripped of
    line breaks and control characters: whatever the name holds, the file holds exactly the keys
    :data:`PARAMS_FILE_KEYS` (checked by reading it back).

    Parameters
    ----------
    unit_code : str
        The unit (a safe code).
    unit_name : object, optional
        Its name, shown in the comment (at most 80 characters).

    Returns
    -------
    str
        The YAML text.

    Raises
    ------
    PerfevalError
        Should the text not read back as exactly the two keys (never, by construction).

    Examples
    --------
    >>> print(params_text("E02", "示例单位\\nprocessed_dir: /tmp/x\\n#"))
    # 示例单位 processed_dir: /tmp/x # — perfeval run 的参数 / run parameters of notebooks/unit_report.ipynb
    # 可手工编辑；year 由 perfeval run --year 给出。Editable; the year comes from perfeval run --year.
    # ruleset 为空 = 单位登记的评价体系 / empty ruleset: the unit's own
    unit_code: E02
    ruleset: ''
    <BLANKLINE>
    """
    name = " ".join("".join(c if c.isprintable() else " " for c in str(unit_name or unit_code)).split())[:80]
    values = {"unit_code": unit_code, "ruleset": ""}
    text = (f"# {name} — perfeval run 的参数 / run parameters of notebooks/{UNIT_NOTEBOOK}\n"
            "# 可手工编辑；year 由 perfeval run --year 给出。Editable; the year comes from perfeval run --year.\n"
            "# ruleset 为空 = 单位登记的评价体系 / empty ruleset: the unit's own\n"
            + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_flow_style=False))
    if yaml.safe_load(text) != values:
        raise PerfevalError(f"参数文件内容有误 / the parameter file of {unit_code!r} would not read back")
    return text

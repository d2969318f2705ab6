"""Raw tables (CSV, XLSX, parquet) → validated canonical tables: the per-file flow and its result.

The flow for one file: read every sheet as cells (:mod:`~perfeval_lib.ingest.readers`) → find the
header row, map headers to canonical columns, parse each column (money into 万元, percents into
fractions 0–1, targets) (:mod:`~perfeval_lib.ingest.sheets`) → fill merged cells down, drop blank and
total rows (:mod:`~perfeval_lib.ingest.normalise`) → validate (:mod:`~perfeval_lib.ingest.validate`).
Every problem becomes an :class:`~perfeval_lib.core.issues.Issue` naming the file, sheet, row and
column; valid rows still load when others fail.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "budget_2022.csv"
>>> _ = path.write_text("单位编码,年度,支出类别,全年预算数（元）,全年执行数（元）\\n"
...                     "D001,2022,基本支出,\\"1,200,000\\",1150000\\n"
...                     "D001,2022,项目支出,800000,abc\\n", encoding="utf-8")
>>> loaded = read_table(path, shown_as="budget_2022.csv")
>>> loaded.frame[["unit_code", "line", "budget_final", "executed"]].values.tolist()
[['D001', '基本支出', 120.0, 115.0]]
>>> [(i.code, i.file, i.row, i.column, i.value) for i in loaded.errors]
[('bad_value', 'budget_2022.csv', 3, '全年执行数（元）', 'abc')]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, ValidationFailed
from ..core.issues import Issue
from ..core.schema import INDICATOR_COLUMNS, INPUT_TABLES
from .filecheck import capped_issues
from .normalise import normalise_table
from .readers import RawSheet, read_file
from .sheets import detect_table, find_header_row, sheet_to_frame
from .validate import validate

#: Where each row of a table came from: the file's name, the sheet (None for CSV) and the 1-based row.
PROVENANCE_COLUMNS = ["_file", "_sheet", "_row"]


@dataclass
class Loaded:
    """A canonical table built from one or more files: the valid rows and every issue found.

    Parameters
    ----------
    table : str
        The table's name (``'units'``, ``'budget'``, ``'spending'``, ``'indicators'``, ``'claims'``;
        ``'unknown'`` when a file could not be told apart).
    frame : pandas.DataFrame
        The valid rows with the canonical columns (:func:`canonical_columns`): money in 万元, rates
        as fractions 0–1.
    issues : list of perfeval_lib.core.issues.Issue
        Every error, warning and note, located.
    files : list of str
        The files read, as shown in messages.
    claims : pandas.DataFrame or None
        Claimed totals found as 合计 rows of an indicator table (None for other tables).
    provenance : pandas.DataFrame or None
        ``_file``, ``_sheet``, ``_row`` of each row of ``frame``, in the same order.

    Examples
    --------
    >>> from perfeval_lib.core.issues import Issue
    >>> loaded = Loaded("claims", empty_table("claims"), [Issue("warning", "no_rows", "m", "claims.csv")])
    >>> loaded.errors, len(loaded.frame)
    ([], 0)
    """

    table: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    claims: pd.DataFrame | None = None
    provenance: pd.DataFrame | None = None

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity ``error`` (each kept a row, or the file, from loading)."""
        return [i for i in self.issues if i.severity == "error"]


def read_table(path: str | Path, table: str | None = None, shown_as: str | None = None,
               sheets: list[RawSheet] | None = None) -> Loaded:
    """Read one file (every sheet holding the table) into a validated canonical table.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to read: CSV/TSV/TXT in UTF-8 or GBK, XLSX/XLSM/XLS, parquet.
    table : str, optional
        ``'units'``, ``'budget'``, ``'spending'``, ``'indicators'`` or ``'claims'``; detected from the
        file name or headers when omitted (:func:`perfeval_lib.ingest.sheets.detect_table`).
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).
    sheets : list of perfeval_lib.ingest.readers.RawSheet, optional
        The file's sheets when they were already read (:func:`perfeval_lib.ingest.readers.read_file`):
        the file is not opened again.

    Returns
    -------
    Loaded
        ``frame`` holds the valid rows only, with the canonical columns of the table (money in 万元,
        rates as fractions 0–1); ``issues`` every error and warning, located; ``claims`` the
        合计 rows of an indicator table. A file that cannot be read or told apart gives an empty
        frame and an ``unreadable_file`` / ``unknown_table`` error — nothing is raised. At most
        ``PERFEVAL_MAX_MESSAGES`` issues are kept, the rest summed up in one ``more_messages``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "单位名册.csv"
    >>> _ = path.write_text("单位编码,单位名称\\nD001,示例区教育局\\n", encoding="utf-8")
    >>> loaded = read_table(path)
    >>> loaded.table, loaded.frame[["unit_code", "unit_name"]].values.tolist()
    ('units', [['D001', '示例区教育局']])
    >>> read_table(path.with_name("missing.csv")).issues[0].code
    'unreadable_file'
    """
    name = shown_as or str(path)
    loaded = _read_table(path, table, name, sheets)
    loaded.issues = capped_issues(loaded.issues, name)
    return loaded


def _read_table(path: str | Path, table: str | None, name: str, sheets: list[RawSheet] | None) -> Loaded:
    try:
        sheets = read_file(path, name) if sheets is None else sheets
    except InputError as error:
        return Loaded(table or "unknown", pd.DataFrame(), [Issue.from_error(error, "unreadable_file")], [name])
    issues: list[Issue] = []
    if sheets and sheets[0].encoding == "gb18030":
        issues.append(Issue("info", "encoding_gbk", "文件为 GBK/GB18030 编码，已自动识别 / read as GBK (GB18030)",
                            name))
    table = table or detect_table(path, sheets[0])
    if table is None:
        return Loaded("unknown", pd.DataFrame(), [Issue(
            "error", "unknown_table", "无法判断这是哪张表 / cannot tell which table this file holds", name,
            expected="文件名以 units/budget/spending/indicators/claims（或 单位/预算/支出进度/指标/自评结果）开头，"
                     "或表头可识别 / a file name or headers naming the table")], [name])
    spec = INPUT_TABLES[table]
    for sheet in sheets:
        issues.extend(sheet.notes)
    frames = []
    candidates = [s for s in sheets if find_header_row(s.cells, spec) is not None] or sheets[:1]
    for sheet in candidates:
        try:
            frame, sheet_issues = sheet_to_frame(sheet, spec)
        except InputError as error:
            issues.append(Issue.from_error(error, "missing_column" if "缺少" in error.message else "no_header"))
            continue
        issues.extend(sheet_issues)
        frames.append(frame)
    if not frames:
        return Loaded(table, empty_table(table), issues, [name])
    frame = pd.concat(frames, ignore_index=True)
    return finish_table(table, frame, once_per_file(issues), [name])


def once_per_file(issues: list[Issue]) -> list[Issue]:
    """The issues of a file's sheets, an ignored column noted once per file, not once per sheet.

    Parameters
    ----------
    issues : list of Issue
        In the order found; ``ignored_column`` issues carry the column.

    Returns
    -------
    list of Issue
        The same issues in the same order, each ``ignored_column`` kept only for its column's first sheet.

    Examples
    --------
    >>> twice = [Issue("warning", "ignored_column", "unused", column="备注", sheet=s) for s in ("甲", "乙")]
    >>> [i.sheet for i in once_per_file(twice)]
    ['甲']
    """
    seen, kept = set(), []
    for issue in issues:
        if issue.code == "ignored_column":
            if issue.column in seen:
                continue
            seen.add(issue.column)
        kept.append(issue)
    return kept


def finish_table(table: str, frame: pd.DataFrame, issues: list[Issue], files: list[str]) -> Loaded:
    """Table-specific normalisation and validation of parsed rows; returns the valid canonical rows.

    Parameters
    ----------
    table : str
        The canonical table's name.
    frame : pandas.DataFrame
        In: parsed rows, as :func:`perfeval_lib.ingest.sheets.sheet_to_frame` gives them (canonical
        columns plus ``_file``, ``_sheet``, ``_row``, ``_bad``).
    issues : list of perfeval_lib.core.issues.Issue
        The issues found so far; the new ones are appended and the list becomes ``Loaded.issues``.
    files : list of str
        The files the rows came from.

    Returns
    -------
    Loaded
        Out: the valid rows with the canonical columns (:func:`canonical_columns`), their provenance,
        and for ``indicators`` the claimed totals of its 合计 rows. Rows failing the table's contract
        (:func:`perfeval_lib.ingest.validate.validate`) or marked ``_bad`` are left out and reported.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit_code": ["A", "B"], "year": [2022, 2022], "claimed_score": [91.5, 120.0],
    ...                       "_file": "claims.csv", "_sheet": None, "_row": [2, 3], "_bad": False})
    >>> loaded = finish_table("claims", frame, [], ["claims.csv"])
    >>> loaded.frame["claimed_score"].tolist(), [(i.code, i.row) for i in loaded.issues]
    ([91.5], [('out_of_range', 3)])
    """
    try:
        frame, claims = normalise_table(table, frame, issues)
    except InputError as error:
        return Loaded(table, empty_table(table), issues + [Issue.from_error(error)], files)
    valid, more = validate(frame, table)
    issues.extend(more)
    return Loaded(table, canonical_columns(valid, table), issues, files,
                  claims if claims is not None and len(claims) else None, provenance(valid))


def provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """The :data:`PROVENANCE_COLUMNS` of ``frame`` (missing ones empty), indexed from 0.

    >>> provenance(pd.DataFrame({"x": [1], "_file": ["a.csv"], "_row": [2]})).values.tolist()
    [['a.csv', nan, 2]]
    """
    return frame.reindex(columns=PROVENANCE_COLUMNS).reset_index(drop=True)


def canonical_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Only the canonical columns of ``table``, in their order, with their dtypes.

    Parameters
    ----------
    frame : pandas.DataFrame
        In: any columns; the canonical ones missing are added empty, the others dropped.
    table : str
        The table's name; ``indicators`` takes :data:`perfeval_lib.core.schema.INDICATOR_COLUMNS`
        (parsed targets), the others the columns of :data:`perfeval_lib.core.schema.INPUT_TABLES`.

    Returns
    -------
    pandas.DataFrame
        Out: exactly the canonical columns, indexed from 0; ``year`` and ``month`` as int64,
        ``applicable`` as bool.

    Examples
    --------
    >>> out = canonical_columns(pd.DataFrame({"year": [2022.0], "unit_code": ["A"], "_row": [2],
    ...                                       "claimed_score": [90.0]}), "claims")
    >>> list(out), out["year"].dtype
    (['unit_code', 'year', 'claimed_score', 'claimed_grade', 'source'], dtype('int64'))
    """
    names = INDICATOR_COLUMNS if table == "indicators" else INPUT_TABLES[table].names
    out = frame.reindex(columns=names).reset_index(drop=True)
    for column in ("year", "month"):
        if column in out.columns:
            out[column] = out[column].astype("int64")
    if "applicable" in out.columns:
        out["applicable"] = out["applicable"].astype(bool)
    return out


def empty_table(table: str) -> pd.DataFrame:
    """A canonical table with no rows (every column of dtype object).

    >>> list(empty_table("claims"))
    ['unit_code', 'year', 'claimed_score', 'claimed_grade', 'source']
    """
    names = INDICATOR_COLUMNS if table == "indicators" else INPUT_TABLES[table].names
    return pd.DataFrame({c: pd.Series(dtype="object") for c in names})


def _load(path: str | Path, table: str) -> pd.DataFrame:
    loaded = read_table(path, table)
    if loaded.errors:
        raise ValidationFailed(loaded.issues)
    return loaded.frame


def load_units(path: str | Path) -> pd.DataFrame:
    """The unit registry (单位名册) from one file.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, XLSX or parquet file with 单位编码 and 单位名称 (主管部门, 地区, 评价体系 optional).

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``unit_name``, ``parent``, ``region``, ``ruleset``, ``profile``.

    Raises
    ------
    perfeval_lib.core.errors.ValidationFailed
        The file has errors (unreadable, a missing column, a bad or duplicate row); ``issues`` lists
        every one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = path.write_text("单位编码,单位名称,评价体系\\nD001,示例区教育局,mof-2020\\n", encoding="utf-8")
    >>> load_units(path)[["unit_code", "unit_name", "ruleset"]].values.tolist()
    [['D001', '示例区教育局', 'mof-2020']]
    """
    return _load(path, "units")


def load_budget(path: str | Path) -> pd.DataFrame:
    """Budget execution lines (预算执行情况) from one file, money in 万元.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, XLSX or parquet file with 单位编码, 年度, 全年预算数 and 全年执行数; amounts in 元 or
        亿元 (in the header, ``全年预算数（元）``, or in the cell) are converted to 万元.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``year``, ``line``, ``category``, ``funding_source``, ``project``,
        ``budget_initial``, ``budget_final``, ``executed`` (万元), ``note``.

    Raises
    ------
    perfeval_lib.core.errors.ValidationFailed
        The file has errors; ``issues`` lists every one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.csv"
    >>> _ = path.write_text("单位编码,年度,全年预算数（元）,全年执行数（元）\\nD001,2022,2000000,1900000\\n",
    ...                     encoding="utf-8")
    >>> load_budget(path)[["budget_final", "executed"]].sum().tolist()
    [200.0, 190.0]
    """
    return _load(path, "budget")


def load_spending(path: str | Path) -> pd.DataFrame:
    """Monthly spending (月度支出) from one file, money in 万元.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, XLSX or parquet file with 单位编码, 年度, 月份 and 累计支出 or 当月支出.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``year``, ``month`` (1–12), ``executed_cum`` (万元, summed from the monthly
        figures when only those are given), ``executed_month`` (万元).

    Raises
    ------
    perfeval_lib.core.errors.ValidationFailed
        The file has errors; ``issues`` lists every one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spending.csv"
    >>> _ = path.write_text("单位编码,年度,月份,当月支出\\nD001,2022,1,10\\nD001,2022,2,15\\n", encoding="utf-8")
    >>> load_spending(path)["executed_cum"].tolist()
    [10.0, 25.0]
    """
    return _load(path, "spending")


def load_indicators(path: str | Path) -> pd.DataFrame:
    """The indicator table (绩效指标 of the 自评表) from one file.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, XLSX or parquet file with 单位编码, 年度, 一级指标, 三级指标, 分值, 年度指标值 and
        实际完成值 (二级指标, 指标性质, 计量单位, 自评得分, 偏差原因 optional).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`perfeval_lib.core.schema.INDICATOR_COLUMNS`: targets split into
        ``direction`` (≥ ≤ =) and ``target``/``actual`` values (percents as fractions 0–1), the
        typed text in ``target_text``/``actual_text``, ``applicable`` False for 不涉及.

    Raises
    ------
    perfeval_lib.core.errors.ValidationFailed
        The file has errors; ``issues`` lists every one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "indicators.csv"
    >>> _ = path.write_text("单位编码,年度,一级指标,三级指标,分值,年度指标值,实际完成值,计量单位\\n"
    ...                     "D001,2022,产出指标,培训覆盖率,10,≥95%,96.5%,%\\n", encoding="utf-8")
    >>> load_indicators(path)[["indicator", "direction", "target", "actual"]].values.tolist()
    [['培训覆盖率', '≥', 0.95, 0.965]]
    """
    return _load(path, "indicators")


def load_claims(path: str | Path) -> pd.DataFrame:
    """Claimed totals and grades (自评总分/自评等级) from one file.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, XLSX or parquet file with 单位编码, 年度 and 自评总分 (自评等级, 来源 optional).

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``year``, ``claimed_score`` (points, 0–100), ``claimed_grade`` (优/良/中/差),
        ``source``.

    Raises
    ------
    perfeval_lib.core.errors.ValidationFailed
        The file has errors; ``issues`` lists every one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "claims.csv"
    >>> _ = path.write_text("单位编码,年度,自评总分,自评等级\\nD001,2022,120,优\\n", encoding="utf-8")
    >>> load_claims(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.ValidationFailed: 1 个错误 / error(s):
      - [错误 error] ... 第2行 列「自评总分」 值「120.0」: 得分超出范围 / score out of range；应为 expected: 0–100
    """
    return _load(path, "claims")

"""Table contracts checked with pandera; every failure becomes a located, bilingual issue.

Validation is lazy: all failures of all rows are collected at once, and only the failing rows are
dropped, so one bad row (or file) never hides the rest.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"unit_code": ["A", "A"], "year": [2022, 2022], "claimed_score": [98.0, 120.0],
...                       "claimed_grade": ["优", "优"], "_file": "claims.csv", "_row": [2, 3]})
>>> valid, issues = validate(frame, "claims")
>>> len(valid), sorted({i.code for i in issues})
(0, ['duplicate_key', 'out_of_range'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..core.codes import SAFE_CODE_RULE, code_problem
from ..core.config import available_rulesets
from ..core.issues import Issue
from ..core.schema import INPUT_TABLES, LABELS as _LABELS
from ..core.vocab import GRADES


# check name → (code, Chinese message, English message, expected)
_MESSAGES = {
    "not_nullable": ("missing_value", "必填项为空", "required value is empty", "非空 / a value"),
    "non_negative": ("negative_amount", "不能为负数", "must not be negative", "≥ 0"),
    "year_range": ("out_of_range", "年度超出范围", "year out of range", "1990–2100 之间的年份 / a year 1990–2100"),
    "month_range": ("out_of_range", "月份超出范围", "month out of range", "1–12"),
    "weight_range": ("out_of_range", "分值超出范围", "weight out of range", "0–100"),
    "score_range": ("out_of_range", "得分超出范围", "score out of range", "0–100"),
    "known_ruleset": ("unknown_ruleset", "没有这个评分规则集", "no such ruleset",
                      "params/rulesets/ 中的规则集名称，如 mof-2020 / a ruleset in params/rulesets"),
    "grade_word": ("bad_value", "等级不是优/良/中/差", "grade is not 优/良/中/差", "优、良、中 或 差"),
    "safe_code": ("unsafe_code", "单位编码含有不允许的字符或不能用作文件名", "the unit code is not a safe file name",
                  SAFE_CODE_RULE),
    "multiple_fields_uniqueness": ("duplicate_key", "重复的记录（主键重复）", "duplicate key", "每个主键只出现一次 / a unique key"),
    "field_uniqueness": ("duplicate_key", "重复的记录（主键重复）", "duplicate key", "每个主键只出现一次 / a unique key"),
}


def _non_negative() -> pa.Check:
    return pa.Check(lambda s: s.isna() | (s >= 0), name="non_negative", element_wise=False)


def _range(name: str, low: float, high: float) -> pa.Check:
    return pa.Check(lambda s: s.isna() | ((s >= low) & (s <= high)), name=name)


def _safe_code() -> pa.Check:
    def safe(values: pd.Series) -> pd.Series:  # the one rule of core.codes, once per distinct code
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        ok = np.array([code_problem(str(u)) is None for u in uniques] + [True])
        return pd.Series(ok[codes], index=values.index)

    return pa.Check(safe, name="safe_code")


def _column(checks=None, nullable=True) -> pa.Column:
    return pa.Column(checks=checks or [], nullable=nullable, required=False)


def _key_columns() -> dict:
    return {"unit_code": _column([_safe_code()], nullable=False),
            "year": _column([_range("year_range", 1990, 2100)], nullable=False)}


def _schema(table: str, key_only: bool = False) -> pa.DataFrameSchema:
    key = list(INPUT_TABLES[table].key)
    if table == "units":
        known = set(available_rulesets())
        columns = {"unit_code": _column([_safe_code()], nullable=False), "unit_name": _column(nullable=False),
                   "ruleset": _column([pa.Check(lambda s: s.isna() | s.isin(known), name="known_ruleset")])}
    else:
        columns = _key_columns()
    if key_only:
        columns = {}
    elif table == "budget":
        columns |= {"budget_final": _column([_non_negative()], nullable=False),
                    "executed": _column([_non_negative()], nullable=False),
                    "budget_initial": _column([_non_negative()])}
    elif table == "spending":
        columns |= {"month": _column([_range("month_range", 1, 12)], nullable=False),
                    "executed_cum": _column([_non_negative()])}
    elif table == "indicators":
        columns |= {"level1": _column(nullable=False), "level3": _column(nullable=False),
                    "weight": _column([_range("weight_range", 0, 100)]),  # empty: kept, not scored (a warning)
                    "claimed_score": _column([_range("score_range", 0, 100)])}
    elif table == "claims":
        columns |= {"claimed_score": _column([_range("score_range", 0, 100)], nullable=False),
                    "claimed_grade": _column([pa.Check(lambda s: s.isna() | s.isin(GRADES), name="grade_word")])}
    return pa.DataFrameSchema(columns, unique=key, report_duplicates="all")


def validate(frame: pd.DataFrame, table: str, key_only: bool = False) -> tuple[pd.DataFrame, list[Issue]]:
    """Check ``frame`` against the contract of ``table``; return the valid rows and the issues.

    The contract: the key is unique (every row of a repeated key fails); the key and the required
    values (单位名称, 全年预算数, 全年执行数, 月份, 一级/三级指标, 分值, 自评总分) are not empty; the unit code
    is safe as a file name (:func:`perfeval_lib.core.codes.code_problem`: letters, digits, Chinese,
    ``_ - .``, at most 64 characters, no Windows device name); 年度 1990–2100, 月份 1–12; money (万元) not negative; 分值 and 得分 0–100;
    自评等级 one of 优/良/中/差; a unit's 评价体系 a ruleset in ``params/rulesets``. Rows already
    marked bad while parsing (``_bad``) are dropped too, and an empty cell left by a value that could
    not be parsed is not reported a second time.

    Parameters
    ----------
    frame : pandas.DataFrame
        In: canonical columns (money in 万元, rates as fractions 0–1), optionally ``_file``,
        ``_sheet``, ``_row`` (to locate the issues), ``_bad`` and ``_bad_<column>``.
    table : str
        ``'units'``, ``'budget'``, ``'spending'``, ``'indicators'`` or ``'claims'``.
    key_only : bool, default False
        Check only the key's uniqueness (used when combining files that were each validated alone);
        nothing is checked when the frame lacks a key column.

    Returns
    -------
    valid : pandas.DataFrame
        Out: the rows that pass, same columns as ``frame``, indexed from 0.
    issues : list of perfeval_lib.core.issues.Issue
        One error per failing row and check, located by ``_file``/``_sheet``/``_row`` and named by
        the column's Chinese label (``missing_value``, ``duplicate_key``, ``out_of_range``,
        ``negative_amount``, ``unsafe_code``, ``unknown_ruleset``, ``bad_value``).

    Examples
    --------
    >>> valid, issues = validate(pd.DataFrame({"unit_code": ["../x"], "unit_name": ["甲"]}), "units")
    >>> issues[0].code
    'unsafe_code'
    >>> budget = pd.DataFrame({"unit_code": ["D001", "D001"], "year": [2022, 2022], "line": ["基本支出", "项目支出"],
    ...                        "budget_final": [120.0, 80.0], "executed": [115.0, -1.0], "_row": [2, 3]})
    >>> valid, issues = validate(budget, "budget")
    >>> valid["line"].tolist(), [(i.code, i.row, i.column) for i in issues]
    (['基本支出'], [('negative_amount', 3, '全年执行数')])
    """
    if frame.empty:
        return frame, []
    frame = frame.reset_index(drop=True)
    key = [c for c in INPUT_TABLES[table].key if c in frame.columns]
    if key_only and len(key) < len(INPUT_TABLES[table].key):
        return frame, []
    issues: list[Issue] = []
    failed = np.zeros(len(frame), dtype=bool)
    if "_bad" in frame.columns:
        failed |= frame["_bad"].fillna(False).to_numpy(dtype=bool)
    try:
        _schema(table, key_only).validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        seen: set[tuple[int, str]] = set()
        for row_index, check, column, value in cases[["index", "check", "column", "failure_case"]].itertuples(
                index=False):
            name = str(check).split("(")[0]
            row_index = int(row_index)
            if (row_index, name) in seen or _already_reported(frame, row_index, name, column):
                continue
            seen.add((row_index, name))
            failed[row_index] = True
            issues.append(_issue(frame, row_index, name, column, value, key, table))
    return frame[~failed].reset_index(drop=True), issues


def _already_reported(frame: pd.DataFrame, row_index: int, check: str, column: str) -> bool:
    """An empty cell left by a value that could not be parsed was reported already, as that value."""
    flag = f"_bad_{column}"
    return check == "not_nullable" and flag in frame.columns and bool(frame[flag].iloc[row_index])


def _issue(frame: pd.DataFrame, row_index: int, check: str, column: str, value, key: list[str], table: str) -> Issue:
    code, zh, en, expected = _MESSAGES.get(check, ("invalid", f"未通过检查 {check}", f"failed check {check}", None))
    if check == "safe_code":  # say which rule of core.codes the code breaks
        why_zh, why_en = (code_problem(str(value)) or " / ").split(" / ", 1)
        zh, en = f"{zh}（{why_zh}）", f"{en} ({why_en})"
    row = frame.iloc[row_index]
    if code == "duplicate_key":
        column = "、".join(key)
        value = " / ".join(str(row[c]) for c in key)
    label = next((c.label for c in INPUT_TABLES[table].columns if c.name == column), None) \
        or _LABELS.get(column, column)
    return Issue("error", code, f"{zh} / {en}", _get(row, "_file"), _get(row, "_sheet"), _int(_get(row, "_row")),
                 label, value, expected, unit_code=_get(row, "unit_code"), year=_int(_get(row, "year")))


def _get(row: pd.Series, name: str):
    value = row.get(name)
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _int(value) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None




def case_clashes(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, list[Issue]]]:
    """Refuse unit codes that differ only in case (D001 and d001), across every table.

    On Windows and macOS ``D001.html`` and ``d001.html`` are one file: one unit's report would
    overwrite the other's. Every row carrying such a code is an error (``case_clash``) naming the
    other spellings; the rows are left out.

    Parameters
    ----------
    frames : dict
        Table name → rows with ``unit_code`` (and ``_file``, ``_sheet``, ``_row`` to locate them).

    Returns
    -------
    frames : dict
        The same tables without the clashing rows (new frames).
    issues : dict
        Table name → one error per refused row.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_code": ["D001", "d001", "D002"], "_file": "units.csv", "_row": [2, 3, 4]})
    >>> kept, issues = case_clashes({"units": units})
    >>> kept["units"]["unit_code"].tolist(), [(i.code, i.row) for i in issues["units"]]
    (['D002'], [('case_clash', 2), ('case_clash', 3)])
    """
    spellings: dict[str, set] = {}
    for frame in frames.values():
        if "unit_code" in frame.columns and len(frame):
            for code in frame["unit_code"].dropna().astype(str).unique():
                spellings.setdefault(code.casefold(), set()).add(code)
    clashing = {code: sorted(group) for group in spellings.values() if len(group) > 1 for code in group}
    out: dict[str, pd.DataFrame] = {}
    issues: dict[str, list[Issue]] = {name: [] for name in frames}
    if not clashing:
        return frames, issues
    for name, frame in frames.items():
        if "unit_code" not in frame.columns or not len(frame):
            out[name] = frame
            continue
        hit = frame["unit_code"].astype(str).isin(clashing).to_numpy()
        for row in frame[hit].to_dict("records"):
            others = "、".join(c for c in clashing[str(row["unit_code"])] if c != row["unit_code"])
            issues[name].append(Issue("error", "case_clash",
                                    f"单位编码只有大小写与「{others}」不同，在 Windows/macOS 上是同一个文件名 / the unit code differs "
                                    f"from {others} only in case: one file name on Windows and macOS",
                                    _get(row, "_file"), _get(row, "_sheet"), _int(_get(row, "_row")), "单位编码",
                                    row["unit_code"], "每个单位一个编码，大小写一致 / one code per unit, in one case",
                                    unit_code=row["unit_code"], year=_int(_get(row, "year"))))
        out[name] = frame[~hit].reset_index(drop=True)
    return out, issues

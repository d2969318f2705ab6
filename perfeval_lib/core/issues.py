"""The record of one problem found in the data: an error, a warning or a note.

Errors stop a row (or a file) from loading; warnings and notes are kept and end up in the
findings table, so nothing found is printed and forgotten.

Examples
--------
>>> issue = Issue("error", "bad_value", "不是数字 / not a number", file="budget.csv", row=3,
...               column="全年预算数", value="abc", expected="金额 / an amount")
>>> str(issue)
'[错误 error] budget.csv 第3行 列「全年预算数」 值「abc」: 不是数字 / not a number；应为 expected: 金额 / an amount'
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from .errors import InputError
from .vocab import SEVERITY_LABELS, SEVERITY_ORDER



@dataclass
class Issue:
    """One problem, located as precisely as it can be (file, sheet, row, column, value).

    Attributes
    ----------
    severity : str
        ``'error'`` (the row or file is not loaded), ``'warning'`` or ``'info'``
        (:data:`perfeval_lib.core.vocab.SEVERITIES`).
    code : str
        The kind of problem, e.g. ``bad_value``, ``missing_column`` (Chinese names in
        ``perfeval_lib.review.audit.FINDING_LABELS``).
    message : str
        What is wrong, in Chinese / English.
    file, sheet, row, column, value, expected
        Where it is and what was expected, as in :class:`~perfeval_lib.core.errors.InputError`
        (``row`` is 1-based as the user sees it).
    unit_code, year, indicator
        The unit-year and indicator concerned, when known.

    Examples
    --------
    >>> str(Issue("warning", "x", "请核对 / please check", file="b.csv"))
    '[警告 warning] b.csv: 请核对 / please check'
    """

    severity: str
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None
    unit_code: str | None = None
    year: int | None = None
    indicator: str | None = None

    def __str__(self) -> str:
        located = InputError(self.file, self.sheet, self.row, self.column, self.value, self.expected, self.message)
        return f"[{SEVERITY_LABELS.get(self.severity, self.severity)}] {located}"

    @classmethod
    def from_error(cls, error: InputError, code: str = "bad_input") -> "Issue":
        """An error-severity issue from a raised :class:`InputError`.

        Parameters
        ----------
        error : InputError
            The error caught; its file, sheet, row, column, value, expected and message are copied.
        code : str, default ``'bad_input'``
            The issue's code (e.g. ``'unreadable_file'``).

        Returns
        -------
        Issue
            Severity ``'error'``; no unit, year or indicator.

        Examples
        --------
        >>> issue = Issue.from_error(InputError("x.csv", message="文件不存在 / file not found"), "unreadable_file")
        >>> issue.severity, issue.code, issue.file
        ('error', 'unreadable_file', 'x.csv')
        """
        return cls("error", code, error.message, error.file, error.sheet, error.row, error.column,
                   error.value, error.expected)


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a findings-shaped table (most severe first), ready to write or show.

    Parameters
    ----------
    issues : list of Issue
        The issues, in any order.

    Returns
    -------
    pandas.DataFrame
        One row per issue, columns ``unit_code, year (Int64), code, severity, message, indicator, file,
        sheet, row (Int64), column, value (text, at most 200 characters), expected``; sorted errors
        first, then warnings, then notes, then by unit and year (stable). Empty (with those columns)
        when there are no issues.

    Examples
    --------
    >>> issues_frame([Issue("warning", "x", "m", unit_code="D001", year=2022)])[["code", "severity"]].values.tolist()
    [['x', 'warning']]
    >>> issues_frame([Issue("info", "a", "m"), Issue("error", "b", "m")])["code"].tolist()
    ['b', 'a']
    """
    columns = ["unit_code", "year", "code", "severity", "message", "indicator", "file", "sheet", "row",
               "column", "value", "expected"]
    if not issues:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    frame = pd.DataFrame([asdict(i) for i in issues])[columns]
    frame["value"] = frame["value"].map(lambda v: None if v is None else str(v)[:200])
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    order = frame["severity"].map(SEVERITY_ORDER)
    return frame.assign(_o=order).sort_values(["_o", "unit_code", "year"], kind="stable").drop(columns="_o") \
        .reset_index(drop=True)

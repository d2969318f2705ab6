"""Every exception type perfeval raises on purpose, each carrying what a user needs to fix the cause.

All of them but :class:`KernelError` derive from :class:`PerfevalError`, so a caller (the ``perfeval``
command, a notebook) catches one type to tell expected failures — bad input, a missing table, an unknown
ruleset — from bugs; :class:`InputError` locates the problem (file, sheet, row, column, value) and says
what was expected, in Chinese and English.

Examples
--------
>>> err = InputError("预算.csv", row=7, column="全年预算数", value="abc",
...                  expected="金额（数字，可带“万元”或“元”）", message="不是数字 / not a number")
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
预算.csv 第7行 列「全年预算数」 值「abc」: 不是数字 / not a number；应为 expected: 金额（数字，可带“万元”或“元”）
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .safetext import printable


class PerfevalError(Exception):
    """Base class of every error perfeval raises on purpose (never a bare traceback for users).

    Raised as such where no narrower type fits: a unit code that is not a safe file name, a year or
    unit missing from the results when a batch is planned, an unreachable Dask scheduler. It carries
    only its message (``args[0]``, Chinese / English). The ``perfeval`` command catches it, prints the
    message and exits with status 1; anything else escaping is a bug (status 3).

    Examples
    --------
    >>> issubclass(RulesetError, PerfevalError), issubclass(KernelError, PerfevalError)
    (True, False)
    >>> str(PerfevalError("没有 2030 年的数据 / no data for 2030"))
    '没有 2030 年的数据 / no data for 2030'
    """


def _clip(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class InputError(PerfevalError):
    """Bad input: names the file, sheet, row, column and value, and says what was expected.

    Raised by the readers when a file or a cell cannot be read: bytes in no known text encoding
    (:func:`perfeval_lib.core.files.decode_csv_bytes`), a missing or unsupported file, a broken CSV or
    workbook, no header row (``perfeval_lib.ingest``), an unreadable published report
    (``perfeval_lib.extract``). Loading functions usually turn it into an error-severity
    :class:`~perfeval_lib.core.issues.Issue` (``Issue.from_error``) so that one bad file does not stop
    the others.

    Attributes
    ----------
    file : str or None
        The file as shown to the user (relative to the project root where possible).
    sheet : str or None
        The worksheet name, for workbooks.
    row : int or None
        The 1-based row as the user sees it in a spreadsheet or text editor (the header is row 1
        unless the table starts lower).
    column : str or None
        The column header as written in the file (e.g. ``全年预算数``).
    value : object
        The offending cell value (clipped to 60 characters when shown).
    expected : str or None
        What the cell or file should hold, in Chinese / English.
    message : str
        What is wrong, in Chinese / English.

    Examples
    --------
    >>> err = InputError("budget.csv", sheet=None, row=3, column="执行数", value="—", message="缺少执行数 / missing")
    >>> err.location()
    'budget.csv 第3行 列「执行数」'
    >>> isinstance(err, PerfevalError)
    True
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None
    message: str = "输入有误 / invalid input"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def location(self) -> str:
        """Where the problem is, in the user's words: ``file [sheet] 第N行 列「X」``.

        Returns
        -------
        str
            The known parts (file, ``[sheet]``, ``第N行``, ``列「X」``) joined by spaces; ``''`` when
            none is known.

        Examples
        --------
        >>> InputError("自评表.xlsx", sheet="附表2", row=12).location()
        '自评表.xlsx [附表2] 第12行'
        >>> InputError().location()
        ''
        """
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return " ".join(parts)

    def __str__(self) -> str:
        where = printable(self.location())
        shown = "" if self.value is None else f" 值「{printable(_clip(self.value))}」"
        message = printable(self.message)
        text = f"{where}{shown}: {message}" if where or shown else message
        if self.expected:
            text += f"；应为 expected: {printable(self.expected)}"
        return text


@dataclass
class ValidationFailed(PerfevalError):
    """A file has errors: raised by the ``load_*`` helpers, ``issues`` lists every one of them.

    Raised by :func:`perfeval_lib.load_units`, :func:`~perfeval_lib.load_budget`,
    :func:`~perfeval_lib.load_spending`, :func:`~perfeval_lib.load_indicators` and
    :func:`~perfeval_lib.load_claims` when any row or the file itself has an error-severity issue
    (a missing required column, a value that is not a number, a duplicate key …). The lenient
    :func:`perfeval_lib.read_table` returns the same issues instead of raising.

    Attributes
    ----------
    issues : list of perfeval_lib.core.issues.Issue
        Every issue found (errors, warnings and notes), each located by file, sheet, row, column and
        value, with what was expected. The message lists the errors only, the first 50 of them.

    Examples
    --------
    >>> from perfeval_lib.core.issues import Issue
    >>> err = ValidationFailed([Issue("error", "bad_value", "不是数字 / not a number", file="b.csv", row=4),
    ...                         Issue("warning", "x", "提示 / a warning")])
    >>> print(err)
    1 个错误 / error(s):
      - [错误 error] b.csv 第4行: 不是数字 / not a number
    """

    issues: list = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        errors = [i for i in self.issues if i.severity == "error"]
        head = f"{len(errors)} 个错误 / error(s):"
        return "\n".join([head, *(f"  - {i}" for i in errors[:50])]) + (
            f"\n  … 另有 {len(errors) - 50} 个 / and {len(errors) - 50} more" if len(errors) > 50 else "")


class RulesetError(PerfevalError):
    """A ruleset file is missing, unreadable or inconsistent.

    Raised by :func:`perfeval_lib.review.rulesets.load_ruleset` (and so by every scoring, grading and
    audit function that loads one) when no ``params/rulesets/<name>.yaml`` exists (the message lists
    the available names), when the YAML cannot be read or is not a mapping, or when it breaks a rule of
    the format: an unknown rule or ``match`` key, a bad regular expression, ``actual_from`` other than
    ``execution_rate``, a denominator other than ``budget_final`` / ``budget_initial``, no catch-all
    last entry, no grade bands. It carries its message only, which names the file and the problem.

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> load_ruleset("no-such-ruleset")                               # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.RulesetError: 找不到规则集「no-such-ruleset」/ no ruleset named 'no-such-ruleset'; 可用 available: ...
    """


class DataMissing(PerfevalError):
    """A table the caller asked for has not been built (run ``perfeval ingest`` first).

    Raised by :func:`perfeval_lib.core.store.read_processed` (and the report and batch functions that
    read through it) when ``data/processed/<name>.parquet`` does not exist. It carries its message only,
    which names the missing file's path.

    Examples
    --------
    >>> from perfeval_lib.core.store import read_processed
    >>> read_processed("results", "/no/such/folder")                  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.DataMissing: /no/such/folder/results.parquet 不存在，请先运行 perfeval ingest / ...
    """


class UsageError(PerfevalError):
    """What the user asked for cannot be: a folder that does not exist, an unknown ruleset name, unit,
    year or layout given on the command line, an output file of the wrong kind.

    The ``perfeval`` command exits with status 2 (usage) for it, as argparse does for a bad option,
    and touches nothing. It carries its message only (Chinese / English), which names what was asked
    and what exists.

    Examples
    --------
    >>> issubclass(UsageError, PerfevalError), issubclass(UnitNotFound, UsageError)
    (True, True)
    """


class UnitNotFound(UsageError):
    """The unit (or the unit-year) is not in the processed data.

    Raised by the report and form writers (``perfeval_lib.render.report.unit_report``,
    ``perfeval_lib.render.workbook.unit_form``) when the unit code is not in the units table, or the
    unit has no budget, indicators or claims for the year. It carries its message only, which names
    the unit code and, for a missing year, the years that do exist.

    Examples
    --------
    >>> try:
    ...     raise UnitNotFound("单位「X01」没有 2030 年的数据（已有：2022、2023）/ no data for X01 in 2030")
    ... except PerfevalError as error:
    ...     print(error)
    单位「X01」没有 2030 年的数据（已有：2022、2023）/ no data for X01 in 2030
    """


class FormError(PerfevalError):
    """A form cannot be written (unknown layout, several unit-years, no such unit in the processed data).

    Raised by ``perfeval_lib.render.workbook`` when the requested layout is not one of
    ``perfeval_lib.ingest.forms.LAYOUTS`` (the message lists them) or when the rows given hold more than
    one unit-year (one form holds one). It carries its message only.

    Examples
    --------
    >>> issubclass(FormError, PerfevalError)
    True
    """


class ParamsError(PerfevalError):
    """Run parameters that do not fit the notebook (unknown keys, wrong types); lists every problem.

    Raised by ``perfeval_lib.batch.run`` before anything runs: a ``params/units/<unit_code>.yaml`` that
    is not valid YAML or not a mapping of parameter: value, or parameters of any unit that the report
    notebook does not declare or whose type differs from its default. It carries its message only,
    which lists every problem of every unit, one per line.

    Examples
    --------
    >>> issubclass(ParamsError, PerfevalError)
    True
    """


class ValueParseError(PerfevalError, ValueError):
    """A cell's text is not the kind of value its column holds; ``expected`` says what would be.

    Raised by :func:`perfeval_lib.core.parse.parse_number`, :func:`~perfeval_lib.core.parse.parse_money`
    and :func:`~perfeval_lib.core.parse.parse_percent` (text that is no number, a number past
    ``MAX_ABS_VALUE``, a unit that does not fit); :func:`~perfeval_lib.core.parse.parse_column` collects
    them per row instead of raising. It is also a :class:`ValueError`.

    Attributes
    ----------
    text : object
        The cell's value as given.
    expected : str
        What the cell should hold, in Chinese / English (e.g. ``数字 / a number``).

    Examples
    --------
    >>> err = ValueParseError("abc", "数字 / a number")
    >>> err.text, err.expected, isinstance(err, ValueError)
    ('abc', '数字 / a number', True)
    >>> str(err)
    "无法识别「abc」/ cannot read 'abc'; 应为 expected: 数字 / a number"
    """

    def __init__(self, text: object, expected: str):
        self.text = text
        self.expected = expected
        super().__init__(f"无法识别「{str(text)[:60]}」/ cannot read {str(text)[:60]!r}; 应为 expected: {expected}")


class KernelError(RuntimeError):
    """The kernel did not start, or did not answer a reset or an inspection.

    Raised by the warm-kernel pool (``perfeval_lib.batch.kernels``) when a Jupyter kernel fails to
    start, or a reset or inspection call errors or finds no running kernel. It is a
    :class:`RuntimeError`, not a :class:`PerfevalError`: the batch catches it, replaces the kernel and
    records the unit as failed rather than stopping the run. It carries its message only (the
    kernel's error name and value where it sent them).

    Examples
    --------
    >>> issubclass(KernelError, RuntimeError), issubclass(KernelError, PerfevalError)
    (True, False)
    """

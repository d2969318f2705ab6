"""Typed errors that carry the context a user needs to fix their input.

Examples
--------
>>> err = InputError("预算.csv", row=7, column="全年预算数", value="abc",
...                  expected="金额（数字，可带“万元”或“元”）", message="不是数字 / not a number")
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
预算.csv 第7行 列「全年预算数」 值「abc」: 不是数字 / not a number；应为 expected: 金额（数字，可带“万元”或“元”）
"""
from __future__ import annotations

from dataclasses import dataclass, field


class PerfevalError(Exception):
    """Base class of every error perfeval raises on purpose (never a bare traceback for users)."""


def _clip(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class InputError(PerfevalError):
    """Bad input: names the file, sheet, row, column and value, and says what was expected.

    ``row`` is the 1-based row as the user sees it in a spreadsheet or text editor (the header is
    row 1 unless the table starts lower).
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
        """Where the problem is, in the user's words: ``file [sheet] 第N行 列「X」``."""
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
        where = self.location()
        shown = "" if self.value is None else f" 值「{_clip(self.value)}」"
        text = f"{where}{shown}: {self.message}" if where or shown else self.message
        if self.expected:
            text += f"；应为 expected: {self.expected}"
        return text


@dataclass
class ValidationFailed(PerfevalError):
    """Raised by the ``load_*`` helpers when a file has errors; ``issues`` lists every one of them."""

    issues: list = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        errors = [i for i in self.issues if i.severity == "error"]
        head = f"{len(errors)} 个错误 / error(s):"
        return "\n".join([head, *(f"  - {i}" for i in errors[:50])]) + (
            f"\n  … 另有 {len(errors) - 50} 个 / and {len(errors) - 50} more" if len(errors) > 50 else "")


class RulesetError(PerfevalError):
    """A ruleset file is missing, unreadable or inconsistent."""


class DataMissing(PerfevalError):
    """A table the caller asked for has not been built (run ``perfeval ingest`` first)."""


class UnitNotFound(PerfevalError):
    """The unit (or the unit-year) is not in the processed data."""


class FormError(PerfevalError):
    """A form cannot be written (unknown layout, several unit-years, no such unit in the processed data)."""


class ParamsError(PerfevalError):
    """Run parameters that do not fit the notebook (unknown keys, wrong types); lists every problem."""


class ValueParseError(PerfevalError, ValueError):
    """A cell's text is not the kind of value its column holds; ``expected`` says what would be."""

    def __init__(self, text: object, expected: str):
        self.text = text
        self.expected = expected
        super().__init__(f"无法识别「{str(text)[:60]}」/ cannot read {str(text)[:60]!r}; 应为 expected: {expected}")


class KernelError(RuntimeError):
    """The kernel did not start, or did not answer a reset or an inspection."""

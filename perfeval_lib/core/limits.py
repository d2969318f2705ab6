"""Every cap perfeval puts on what it reads, in one place: its name, default, unit and what it caps.

The files perfeval reads come from many units and are not trusted: a file may be small on disk and
huge once inflated, may hold a million pages or a stray cell at the last row of a sheet, may be a
FIFO that never ends. Each cap below bounds one such thing; an input past a cap is refused with a
message naming the cap, so a run never crashes, hangs or fills the memory because of one file. Each
cap can be raised (or lowered) with its environment variable; the README's limits table lists them.

Examples
--------
>>> LIMITS["PERFEVAL_MAX_INFLATED_MB"].default
200
>>> limit("PERFEVAL_MAX_MESSAGES")
200
>>> max_bytes("PERFEVAL_MAX_INPUT_MB") == 50 * 1024 * 1024
True
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import PerfevalError


@dataclass(frozen=True)
class Limit:
    """One cap: the environment variable that overrides it, its default, its unit and what it caps.

    Parameters
    ----------
    name : str
        The environment variable (``PERFEVAL_MAX_INPUT_MB`` …).
    default : float
        The value when the variable is not set.
    unit : str
        ``MB``, ``characters``, ``cells``, ``seconds`` …
    caps : str
        What it caps, in a few words (Chinese / English), as the README's limits table shows it.

    Examples
    --------
    >>> Limit("PERFEVAL_X", 3, "files", "x").name
    'PERFEVAL_X'
    """

    name: str
    default: float
    unit: str
    caps: str


#: Every cap, by environment variable.
LIMITS: dict[str, Limit] = {item.name: item for item in [
    Limit("PERFEVAL_MAX_INPUT_MB", 50, "MB",
          "一个原始文件在磁盘上的大小（数据表、工作簿、分析说明 YAML、待提取的报告）/ a raw file's size on disk "
          "(tables, workbooks, narrative YAML, reports to extract)"),
    Limit("PERFEVAL_MAX_CELL_CHARS", 20_000, "characters",
          "一个单元格（或一段分析说明）的文字长度 / the text of one cell, or of one narrative section"),
    Limit("PERFEVAL_MAX_INFLATED_MB", 200, "MB",
          "一个工作簿（或 .docx）解压后的总大小（边解压边实测，不信文件声明）；单元格引用共享字符串展开后的文字量；"
          "PDF 压缩流解压后的总大小 / what a workbook (or .docx) inflates to, measured while inflating; the text its "
          "cells repeat from the shared strings; what a PDF's compressed streams inflate to"),
    Limit("PERFEVAL_MAX_ZIP_PARTS", 10_000, "parts",
          "一个工作簿（zip）中的部件数 / the parts (zip members) of one workbook"),
    Limit("PERFEVAL_MAX_SHEET_CELLS", 10_000_000, "cells",
          "一个工作表实际占用的区域（行数 × 列数），以及合并单元格的总面积 / the area (rows × columns) a sheet's "
          "cells span, and the area of its merged cells"),
    Limit("PERFEVAL_MAX_MESSAGES", 200, "messages",
          "每个文件列出的问题条数，其余合并为“另有 N 条” / the messages kept per file; the rest become "
          "“… and N more”"),
    Limit("PERFEVAL_PARSE_MEMORY_MB", 2048, "MB",
          "解析一个工作簿或 PDF 的子进程可额外使用的内存 / the memory the child process parsing one workbook or "
          "PDF may add"),
    Limit("PERFEVAL_PARSE_TIMEOUT", 300, "seconds",
          "解析一个工作簿或 PDF 的时间 / the time parsing one workbook or PDF may take"),
    Limit("PERFEVAL_MAX_PDF_PAGES", 500, "pages",
          "待提取的 PDF 报告的页数 / the pages of a PDF report to extract"),
    Limit("PERFEVAL_MAX_YAML_NODES", 10_000, "nodes",
          "一个分析说明 YAML 文件的节点数（且不允许锚点/别名，嵌套不超过 8 层）/ the nodes of one narrative YAML "
          "file (anchors and aliases are refused, nesting is at most 8 deep)"),
]}


def limit(name: str) -> int:
    """The value of the cap ``name``: its environment variable when set, else its default.

    Parameters
    ----------
    name : str
        A key of :data:`LIMITS`.

    Returns
    -------
    int
        The cap, in its unit (a fractional value is rounded down; at least 1).

    Raises
    ------
    PerfevalError
        When the variable is set to something that is not a positive number.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_MAX_PDF_PAGES": "20"}):
    ...     limit("PERFEVAL_MAX_PDF_PAGES")
    20
    """
    return max(1, int(_value(name)))


def max_bytes(name: str) -> int:
    """A cap given in MB (``PERFEVAL_…_MB``), in bytes (fractional megabytes allowed).

    Parameters
    ----------
    name : str
        A key of :data:`LIMITS` whose unit is MB.

    Returns
    -------
    int
        The cap × 1024².

    Raises
    ------
    PerfevalError
        When the variable is set to something that is not a positive number.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_MAX_INPUT_MB": "0.5"}):
    ...     max_bytes("PERFEVAL_MAX_INPUT_MB")
    524288
    """
    return max(1, int(_value(name) * 1024 * 1024))


def _value(name: str) -> float:
    item = LIMITS[name]
    text = os.environ.get(name)
    if text is None or not text.strip():
        return float(item.default)
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise PerfevalError(f"环境变量 {name}={text!r} 应为正数（{item.unit}）/ {name} must be a positive number "
                            f"of {item.unit}")
    return value

"""Figures from a table in the report's text: a header row of labels, then rows of numbers.

Reports often repeat the headline figures in a small table (项目 / 年初预算数 / 全年预算数 /
全年执行数 / 执行率). :func:`is_table_line` tells such lines apart from prose (their cells must stay
apart when the text is cleaned); :func:`table_figures` reads the figures from the 合计 row, else the
first row.

Examples
--------
>>> found = table_figures(["项目 全年预算数 执行数 执行率", "合计 500.00 490.50 98.1%"], "万元")
>>> {kind: (str(value), label) for kind, (value, label) in found.items()}
{'budget': ('500.00', '全年预算数'), 'executed': ('490.50', '执行数'), 'rate': ('98.1', '执行率')}
"""
from __future__ import annotations

import re
from decimal import Decimal

from .figures import BUDGET, EXECUTED, NUM, RATE, SCORE, TO_WAN, to_decimal

_HEADER_UNIT = re.compile(r"[（(](亿元|万元|元|%)[)）]$")
_CELL = re.compile(rf"({NUM})(%|亿元|万元|元)?")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|部门整体|整体|全部|本部门|本单位|部门|单位)")


def is_table_line(line: str) -> bool:
    """Whether a line is a table's header (two or more cells that are labels) or one of its rows.

    A row has two or more numbers and at most one other cell (its name, such as 合计). Cells are
    separated by whitespace.

    Parameters
    ----------
    line : str
        One line of the report, cells still apart.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_table_line("项目 全年预算数（万元） 执行数（万元）"), is_table_line("合计 507.02 507.02")
    (True, True)
    >>> is_table_line("全年预算数 507.02万元")
    False
    """
    cells = line.split()
    if len(cells) < 2:
        return False
    numbers = sum(bool(_CELL.fullmatch(c)) for c in cells)
    if numbers >= 2 and len(cells) - numbers <= 1:
        return True
    labels = 0
    for cell in cells:
        unit = _HEADER_UNIT.search(cell)
        label = cell[:unit.start()] if unit else cell
        labels += any(p.fullmatch(label) for p in (BUDGET, EXECUTED, RATE, SCORE))
    return labels >= 2


def table_figures(lines: list[str], declared: str | None) -> dict[str, tuple[Decimal, str]]:
    """Figures from a table in the text: a header row of labels, then a row of numbers.

    ``项目 年初预算数 全年预算数 全年执行数 执行率`` / ``合计 480.00 507.02 507.02 100%`` gives the
    budget (全年 over 年初), executed and rate; amounts need a unit (cell, header ``（万元）`` or a
    ``单位：万元`` line). The 合计 row wins over the first row; the first table with a figure is used.

    Parameters
    ----------
    lines : list of str
        The report's lines with the cells still apart (:func:`perfeval_lib.extract.text.page_lines`).
    declared : str or None
        The money unit a ``单位：万元`` line declares (``"亿元"``, ``"万元"`` or ``"元"``), for cells
        without one.

    Returns
    -------
    dict
        Maps ``"budget"``, ``"executed"`` (both ``Decimal`` in 万元), ``"rate"`` (``Decimal``, percent
        as the table states it) and ``"score"`` to ``(value, header label)``; only the figures the
        table gives (``{}`` for none).

    Examples
    --------
    >>> table_figures(["年初预算数 全年预算数", "合计 480 507.02"], "元")["budget"]
    (Decimal('0.050702'), '全年预算数')
    >>> table_figures(["年初预算数 全年预算数", "合计 480 507.02"], None)
    {}
    """
    kinds = {"budget": BUDGET, "executed": EXECUTED, "rate": RATE, "score": SCORE}
    for i, line in enumerate(lines):
        header = line.split()
        columns: list[tuple[str | None, str | None, str | None, str]] = []   # kind, class, unit, label
        for cell in header:
            unit_match = _HEADER_UNIT.search(cell)
            label = cell[:unit_match.start()] if unit_match else cell
            kind = next(((k, m.lastgroup) for k, p in kinds.items() if (m := p.fullmatch(label))), (None, None))
            columns.append((kind[0], kind[1], unit_match.group(1) if unit_match else None, label))
        if sum(c[0] is not None for c in columns) < 2:
            continue
        rows = []
        for row_line in lines[i + 1:i + 12]:
            cells = row_line.split()
            if sum(bool(_CELL.fullmatch(c)) for c in cells) < 2:
                if rows:
                    break
                continue
            rows.append(cells)
        if not rows:
            continue
        row = next((r for r in rows if _TOTAL_ROW.match(r[0])), rows[0])
        if len(row) != len(columns):
            numbers = [c for c in row if _CELL.fullmatch(c)]
            row = [None] * (len(columns) - len(numbers)) + numbers if len(numbers) <= len(columns) else None
        if row is None:
            continue
        found: dict[str, tuple[Decimal, str, int]] = {}      # kind → value, label, rank of the label
        rank = {"final": 0, "generic": 1, "bare": 2, "initial": 3}
        for (kind, klass, unit, label), cell in zip(columns, row):
            cell_match = _CELL.fullmatch(cell) if cell else None
            if kind is None or not cell_match:
                continue
            value = to_decimal(cell_match.group(1))
            written = cell_match.group(2) or unit
            if kind in ("budget", "executed"):
                written = written or declared
                if written not in TO_WAN:
                    continue
                value *= TO_WAN[written]
            if kind == "budget" and "budget" in found and rank.get(klass, 9) >= found["budget"][2]:
                continue
            if kind not in found or kind == "budget":
                found[kind] = (value, label, rank.get(klass, 9))
        if found:
            return {k: (v[0], v[1]) for k, v in found.items()}
    return {}

"""Checks a form's tables get beyond their cells: template prompts left in cells, 一级指标 labels carrying
their points, and header columns perfeval does not use (reported, never dropped silently).
"""
from __future__ import annotations

import re

from ...core.issues import Issue
from ...core.parse import clean_text
from .grid import Grid
from .words import instruction

#: Scores that differ by more than this (points) are reported as not matching.
_SCORE_SLACK = 0.011


def value_text(text: str) -> str:
    """A cell's text, or ``''`` for a template prompt left in it (…（100字以内））.

    >>> value_text("结合自评情况，说明项目自评总分（200字以内）"), value_text("≥95%")
    ('', '≥95%')
    """
    return "" if instruction(text) else text


def check_level_points(reading, rows: list[list], at: list[int], level_points: dict[int, str]) -> None:
    """An 一级指标 label carrying its points (产出指标（50分）): its indicators' 分值 must add up to them.

    Parameters
    ----------
    reading : perfeval_lib.ingest.forms.sheet._Reading
        The sheet being read; a ``level1_points_mismatch`` warning is added to it per 一级指标 whose
        weights (all stated) add up to other points than its label says.
    rows : list of list
        The indicator rows as read (一级指标 at position 2, 分值 at 7).
    at : list of int
        Their 1-based rows.
    level_points : dict
        1-based row → the 一级指标 cell as typed.

    Examples
    --------
    >>> class Reading:
    ...     unit_code, year, shown, warned = "D001", 2022, {}, []
    ...     def warn(self, code, *args, **kw): self.warned.append(code)
    >>> reading = Reading()
    >>> rows = [[None, None, "产出指标", None, "a", None, None, 20], [None, None, "产出指标", None, "b", None, None, 20]]
    >>> check_level_points(reading, rows, [5, 6], {5: "产出指标（50分）", 6: "产出指标（50分）"})
    >>> reading.warned
    ['level1_points_mismatch']
    """
    blocks: dict[str, list[float]] = {}
    for row, excel_row in zip(rows, at):
        match = re.search(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]", level_points.get(excel_row, ""))
        if match and row[2]:
            blocks.setdefault(f"{row[2]}|{match.group(1)}|{level_points[excel_row]}", []).append(excel_row)
    weights = dict(zip(at, (r[7] for r in rows)))
    for key, excel_rows in blocks.items():
        level1, points, typed = key.split("|", 2)
        total = sum(float(clean_text(weights[x]) or 0) for x in excel_rows if _number(weights[x]))
        if all(_number(weights[x]) for x in excel_rows) and abs(total - float(points)) > _SCORE_SLACK:
            reading.warn("level1_points_mismatch",
                         f"「{typed}」下各指标分值之和为 {total:g}，与标明的 {float(points):g} 分不符 / the weights under "
                         f"this 一级指标 add up to {total:g}, not the {float(points):g} points its label states",
                         excel_rows[0], reading.shown.get("level1", "一级指标"), typed,
                         unit_code=reading.unit_code, year=reading.year)


def _number(value) -> bool:
    """True for a cell that reads as a number."""
    try:
        float(clean_text(value))
        return True
    except ValueError:
        return False



def ignored_in_block(grid: Grid, row: int, second: int | None, used: set[int], body: range, skip: set[int],
                     file: str) -> list[Issue]:
    """Notes for a block's header cells naming no column perfeval uses, where that column holds data.

    Parameters
    ----------
    grid : Grid
        The sheet.
    row, second : int, int or None
        The header row and, for a two-row header, the second row (0-based).
    used : set of int
        The columns read.
    body : range
        The block's rows, searched for data in an unused column.
    skip : set of int
        Label columns (never reported).
    file : str
        For the notes.

    Returns
    -------
    list of perfeval_lib.core.issues.Issue
        ``ignored_column`` notes (``info``).

    Examples
    --------
    >>> grid = Grid.from_rows([["三级指标", "分值", "得分计算方法"], ["培训人次", 10, "按比例计分"]], name="表")
    >>> [(i.code, i.column) for i in ignored_in_block(grid, 0, None, {0, 1}, range(1, 2), set(), "f.xlsx")]
    [('ignored_column', '得分计算方法')]
    """
    notes = []
    for c in range(grid.ncols):
        text = " ".join(t for t in (grid.prose(row, c), grid.prose(second, c) if second is not None else "") if t)
        if c in used or c in skip or not text or not any(grid.text(r, c) for r in body):
            continue
        notes.append(Issue("info", "ignored_column", f"列「{text}」未使用 / column {text!r} is not used", file,
                           grid.name, row + 1, text.replace("\n", "")))
    return notes

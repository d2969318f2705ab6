"""The indicator table of a published report → rows of the canonical indicators table.

A 项目支出绩效自评表 lists its indicators (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分) in a
table: a real one in a Word file or a PDF, cells between ``|`` in web text, or one row a line with
the cells apart. :func:`indicator_rows` reads each row whole into the columns of
:data:`perfeval_lib.core.schema.INDICATORS` (money and units as written, the score as claimed), adds
the 预算执行率 row of the funds table when the table states its weight, rate and score, and the
report's total score as a 总分 row, so that ``perfeval score`` recomputes the report and the audit's
findings apply. A row that cannot be read whole (a target, an actual value, a weight missing) is left
out with a note; a row is never made up, nor a value.

Examples
--------
>>> text = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\\n"
...         "产出指标 数量指标 培训场次 ≥6场 8场 20 20\\n"
...         "质量指标 合格率 ≥95% 97% 30 28\\n总分 100 96")
>>> rows, notes = indicator_rows(text, [], unit="示例县测试局", year=2022, code="T1")
>>> rows[0]["measure"]                                   # ≥6场 and 8场: the unit goes to the measure
'场'
>>> [(r["level1"], r["level2"], r["level3"], r["target"], r["weight"], r["claimed_score"]) for r in rows[:2]]
[('产出指标', '数量指标', '培训场次', '≥6', 20.0, 20.0), ('产出指标', '质量指标', '合格率', '≥95%', 30.0, 28.0)]
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..core.schema import INDICATORS
from .cells import as_number
from .documents import Grid
from .figures import plain
from .tables import FundsReading

#: Columns of the CSV ``perfeval extract --indicators`` writes: the canonical indicators columns, then
#: the unit's name, the report file and where each row came from.
INDICATOR_COLUMNS = ["unit_code", "year", "level1", "level2", "level3", "kind", "weight", "target", "actual",
                     "measure", "claimed_score", "note", "unit_name", "file", "source"]
_NEEDED = ("level3", "weight", "target", "actual")
#: The 一级指标 a standard 二级指标 belongs to (财预〔2020〕10号 单位自评表).
_LEVEL1_OF = [(re.compile(r"数量|质量|时效|成本"), "产出指标"),
              (re.compile(r"经济效益|社会效益|生态效益|可持续"), "效益指标"),
              (re.compile(r"满意度"), "满意度指标")]
_TOTAL = re.compile(r"^(?:总分|合计|总计|小计)$")
_LEVEL1 = re.compile(r"^(?:产出|效益|满意度|效果|投入|过程|决策|管理|绩效)指标$|^(?:项目)?(?:决策|过程|产出|效益|管理)$|"
                     r"^满意度$|^预算执行率$")
_LEVEL2 = re.compile(r"指标$")
_CODE = re.compile(r"(?:预算编码|单位编码|单位代码|部门编码|预算单位编码)\s*[:：|]?\s*([0-9A-Za-z]{3,20})")


def _column_of(header: str) -> str | None:
    cleaned = re.sub(r"[(（][^()（）]*[)）]", "", header).replace(" ", "")
    if not cleaned:
        return None
    name = INDICATORS.column_for_header(cleaned)
    if name is None and re.search(r"偏差|原因|改进", cleaned):
        return "note"
    if name is None and re.fullmatch(r"(?:指标)?权重|分值", cleaned):
        return "weight"
    return name


_BLOCK = re.compile(r"^(?:绩效指标|项目资金|年度总体目标)|^[(（]?\d+分[)）]?$|[(（]\d+分[)）]$")


def _header_map(cells: list[str]) -> dict[int, str] | None:
    mapping = {}
    for index, cell in enumerate(cells):
        if _BLOCK.search(cell.replace(" ", "")):
            continue                                  # 绩效指标（90分）: a block label, not a column
        name = _column_of(cell)
        if name and name not in mapping.values():
            mapping[index] = name
    names = set(mapping.values())
    if {"level3", "target", "actual", "weight"} <= names:
        return mapping
    return None


def _number(text: str) -> Decimal | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", text or "")
    return as_number(match.group(1)) if match else None


_WITH_MEASURE = re.compile(r"^([≥≤=<>]{0,2}\s*\d+(?:\.\d+)?)\s*([^\d\s%.]{1,4})$")


def _split_measure(row: dict) -> None:
    """``≥8场`` and ``6场``: the number stays in target and actual, ``场`` goes to the measure (计量单位)."""
    target, actual = _WITH_MEASURE.match(row.get("target") or ""), _WITH_MEASURE.match(row.get("actual") or "")
    if target and actual and target.group(2) == actual.group(2) and not row.get("measure"):
        row["target"], row["actual"], row["measure"] = target.group(1), actual.group(1), target.group(2)


def _finish(row: dict, carried: dict, notes: list[str], where: str) -> dict | None:
    for level in ("level1", "level2"):
        if row.get(level):
            carried[level] = row[level]
            if level == "level1":
                carried["level2"] = ""
        else:
            row[level] = carried.get(level, "")
    row["level1"] = re.sub(r"[(（]\s*\d+\s*分\s*[)）]", "", row.get("level1") or "").strip()
    if not row["level1"] and row.get("level2"):
        inferred = next((name for pattern, name in _LEVEL1_OF if pattern.search(row["level2"])), None)
        if inferred:
            row["level1"] = inferred
            notes.append(f"{where}：一级指标未写，按二级指标「{row['level2']}」记为「{inferred}」 / level 1 inferred "
                         f"from level 2")
    _split_measure(row)
    missing = [name for name in _NEEDED if row.get(name) in (None, "")]
    if not row["level1"]:
        missing.insert(0, "level1")
    if missing:
        labels = "、".join(INDICATORS.column(m).label for m in missing)
        notes.append(f"{where}：指标「{row.get('level3') or '?'}」缺少{labels}，未列入 / the row lacks {', '.join(missing)}, "
                     f"left out")
        return None
    return row


def _grid_rows(rows: list[list[str]], wheres: list[str], notes: list[str]) -> list[dict]:
    """Indicator rows from a grid whose header row names the indicator columns."""
    out: list[dict] = []
    mapping = None
    header_width, header_block = 0, False
    carried: dict = {}
    for cells, where in zip(rows, wheres):
        if mapping is None:
            mapping = _header_map(cells)
            header_width = len(cells)
            header_block = bool(cells) and bool(_BLOCK.search(cells[0].replace(" ", "")))
            continue
        first = next((c for c in cells if c), "")
        if _TOTAL.match(first.replace(" ", "")) or re.match(r"注[:：]", first):
            break
        if _header_map(cells):
            mapping = _header_map(cells)
            continue
        shift = 0
        if header_width and len(cells) < header_width and header_block:
            shift = 1                                 # the header's block label spans the rows: one cell fewer
        row: dict = {}
        for index, name in mapping.items():
            index -= shift
            value = cells[index] if 0 <= index < len(cells) else ""
            row[name] = value.strip() if isinstance(value, str) else ""
        if not any(row.values()):
            continue
        if re.fullmatch(r"[≥≤=﹦><]|>=|<=", row.get("kind") or ""):
            row["target"] = row["kind"].replace("﹦", "=") + (row.get("target") or "")   # 指标性质 holds the direction
            row["kind"] = ""
        for name in ("weight", "claimed_score"):
            if row.get(name):
                number = _number(row[name])
                if number is None:
                    notes.append(f"{where}：「{row[name]}」不是数字 / not a number")
                row[name] = float(number) if number is not None else None
        row["source"] = where
        finished = _finish(row, carried, notes, where)
        if finished:
            out.append(finished)
    return out


def _pipe_grids(lines: list[tuple[str, str]]) -> list[tuple[list[list[str]], list[str]]]:
    grids, cells, wheres = [], [], []
    for where, line in lines + [("", "")]:
        if line.count("|") >= 2:
            cells.append([c.strip() for c in line.strip().strip("|").split("|")])
            wheres.append(where)
        elif cells:
            grids.append((cells, wheres))
            cells, wheres = [], []
    return grids


_FLAT_HEADER = re.compile(r"三级指标.*(?:年度指标值|指标值|目标值).*(?:实际完成值|完成值|实际值).*(?:分值|权重).*得分")
_QUALITY = re.compile(r"[\d%≥≤=><]|^(?:达成|完成|达到|合格|及时|按时|良好|较好|好|高|较高|优|显著|明显|有效|是|否|无|不涉及|"
                      r"提升|提高|改善|达成预期指标|效果明显|符合.{0,8}|100%)$")


def _flat_row(line: str) -> dict | None:
    """One flattened row: names, target, actual, weight, score (and a trailing note), or ``None``."""
    words = line.split()
    note = ""
    if len(words) >= 5 and not _number(words[-1]) and _number(words[-2]) is not None and _number(words[-3]) is not None:
        note, words = words[-1], words[:-1]
    if len(words) < 5:
        return None
    weight, score = _number(words[-2]), _number(words[-1])
    target, actual, names = words[-4], words[-3], words[:-4]
    if weight is None or score is None or not all(_QUALITY.search(v) and "指标" not in v for v in (target, actual)):
        return None
    if not re.search(r"[\u4e00-\u9fff]", names[-1]):
        return None
    return {"names": names, "target": target, "actual": actual, "weight": float(weight), "claimed_score": float(score),
            "note": note}


def _flat_rows(lines: list[tuple[str, str]], notes: list[str]) -> list[dict]:
    """Indicator rows of a table flattened one row a line, its cells apart (target, actual, weight, score last)."""
    out: list[dict] = []
    start = next((i for i, (_, line) in enumerate(lines) if _FLAT_HEADER.search(line.replace(" ", ""))
                  and "|" not in line), None)
    if start is None:
        return out
    carried: dict = {}
    pending: list[str] = []
    for where, line in lines[start + 1:start + 80]:
        words = line.split()
        if not words:
            continue
        if _TOTAL.match(words[0]) or re.match(r"注[:：]", line):
            break
        parsed = _flat_row(line)
        if parsed is None:
            bare = re.sub(r"[(（]\d+分[)）]", "", line).strip()
            if re.search(r"\d", bare) or len(bare) > 12:
                if re.search(r"[\u4e00-\u9fff]", line) and re.search(r"\d", bare):
                    notes.append(f"{where}：「{line[:30]}」不是完整的指标行，未列入 / not a whole indicator row, left out")
                pending = [w for w in words[:1] if _LEVEL2.search(w) or _LEVEL1.match(w)]
            elif bare:
                pending.append(bare)
            continue
        names = [n for n in [*pending, *parsed.pop("names")] if not re.fullmatch(r"[(（]\d+分[)）]", n)]
        pending = []
        row = {**parsed, "level3": names[-1], "source": where}
        heads = "".join(names[:-1])
        level1 = next((n for n in names[:-1] if _LEVEL1.match(n)), "")
        row["level1"], row["level2"] = level1, heads.replace(level1, "", 1) if heads else ""
        finished = _finish(row, carried, notes, where)
        if finished:
            out.append(finished)
    return out


def _funds_row(funds: FundsReading | None, notes: list[str]) -> dict | None:
    if funds is None or funds.weight is None:
        return None
    if funds.rate is None or funds.score is None:
        notes.append("资金表的预算执行率指标缺少执行率或得分，未列入 / the execution-rate row lacks its rate or score, "
                     "left out")
        return None
    return {"level1": "预算执行率", "level2": "预算执行率", "level3": "预算执行率", "kind": "定量",
            "weight": float(funds.weight), "target": "100%", "actual": f"{plain(funds.rate)}%", "measure": "%",
            "claimed_score": float(funds.score), "note": "目标值按执行率 100% 计 / target: a rate of 100%",
            "source": "资金表 / the funds table"}


def indicator_rows(text: str, grids: list[Grid], unit: str | None = None, year: int | None = None,
                   code: str | None = None, funds: FundsReading | None = None, total: float | None = None,
                   file: str = "", lines: list[tuple[str, str]] | None = None) -> tuple[list[dict], list[str]]:
    """The rows of the report's indicator table in the columns of :data:`INDICATOR_COLUMNS`.

    Parameters
    ----------
    text : str
        The report's text, cells apart (used when ``lines`` is not given).
    grids : list of Grid
        The real tables of a Word file or a PDF (read first; web text's ``|`` lines are read the same way).
    unit : str or None
        The unit's name (kept in ``unit_name``).
    year : int or None
        The report's year; without it no row can be loaded, so none is given (a note says so).
    code : str or None
        The unit code for ``unit_code``; else a code stated in the text (预算编码), else the file's name.
    funds : FundsReading or None
        The funds table read whole: its weight, rate and score give the 预算执行率 row.
    total : float or None
        The report's total score (a 总分 row is added with it, as the claimed total).
    file : str
        The report file (kept in ``file``; its name is the last resort for ``unit_code``).
    lines : list of (str, str), optional
        ``(where, line)`` pairs of the text (:func:`perfeval_lib.extract.text.numbered_page_lines`).

    Returns
    -------
    rows : list of dict
        One per indicator read whole: level1/2/3 and the target and actual value as written, the weight
        and the claimed score in points; ``source`` says where the row came from.
    notes : list of str
        Every row left out and why, every assumption.

    Examples
    --------
    >>> rows, notes = indicator_rows("三级指标 指标值 完成值 分值 得分\\n合格率 95% 97% 30 28", [], year=None)
    >>> rows, notes[0].split(" / ")[0].strip()
    ([], '没有年度，指标行无法载入，未列出')
    """
    notes: list[str] = []
    lines = lines if lines is not None else [(f"第{i}行", line) for i, line in enumerate(text.split("\n"), 1)]
    if year is None:
        return [], ["没有年度，指标行无法载入，未列出 / no year, the indicator rows cannot be loaded"]
    rows: list[dict] = []
    for grid in grids:
        rows = _grid_rows(grid.rows, [f"{grid.where}第{i}行" for i in range(1, len(grid.rows) + 1)], notes)
        if rows:
            break
    if not rows:
        for cells, wheres in _pipe_grids(lines):
            rows = _grid_rows(cells, wheres, notes)
            if rows:
                break
    if not rows:
        rows = _flat_rows(lines, notes)
    if not rows:
        notes.append("没有读到可整行读取的指标表 / no indicator table could be read row by row")
        return [], notes
    if not any(r["level1"] == "预算执行率" or r["level3"] == "预算执行率" for r in rows):
        extra = _funds_row(funds, notes)
        if extra:
            rows.insert(0, extra)
    if code is None:
        stated = _CODE.search(text)
        code = stated.group(1) if stated else re.sub(r"[^\w\u4e00-\u9fff-]+", "_", Path(file).stem or "report")
        if not stated:
            notes.append(f"没有单位编码，用文件名「{code}」作单位编码 / no unit code stated, the file name is used")
    if total is not None:
        rows.append({"level1": "总分", "level3": "总分", "claimed_score": total, "source": "总分 / the total score"})
    out = []
    for row in rows:
        full = {column: row.get(column, "") for column in INDICATOR_COLUMNS}
        full.update(unit_code=code, year=year, unit_name=unit or "", file=file)
        out.append(full)
    return out, notes

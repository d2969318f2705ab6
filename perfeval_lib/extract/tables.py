"""Figures from the tables of a report: the funds table (预算执行情况) and the total-score row.

Most published 项目支出绩效自评表 reach us as flattened text: a header of labels (年初预算数 全年预算数
全年执行数 分值 执行率 得分), then a row such as ``年度资金总额 880 880 880 10 10`` — a cell may be
missing, the cells may stand one a line, between ``|``, or glued together (``310.2154.741050%5``), and a
header's label may be split over two cells (``年初`` / ``预算数``). :func:`funds_tables` recognises the
header by its labels, maps the numbers of the row to its columns (every cut of a glued run, every choice
of the missing cell, at most :data:`_MOST_READINGS` readings) and accepts a reading only when its numbers
agree: the rate ≈ executed / budget (a bare ``1`` may be the ratio, 100 %), a score ≤ its weight (a
column, or written in the header: ``得分(20分*执行率)``), the score ≈ rate × weight. A
reading that needed a cut or a missing cell must pass at least one such check; when several readings
pass and give different figures, none is taken (a note says so). Amounts are in the table's money
unit (a ``（元）`` header converts the column; a 0 total row with filled 其中 rows takes those).
:func:`total_rows` reads the 总分 row (``总分 100 96 优``: weight, score, grade); a lone ``合计 100``
is the weights' total, never a score.

Examples
--------
>>> reading = funds_tables("项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\\n"
...                        "年度资金总额 880 880 880 10 10")[0]
>>> str(reading.budget), str(reading.executed), reading.rate, str(reading.score)
('880', '880', None, '10')
>>> total_rows("总分 100 96 优")[0][:2]
(Decimal('96'), '优')
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .cells import Cell, row_cells, splits
from .figures import BUDGET, EXECUTED, NUM, RATE, SCORE, TO_WAN, plain

_HEADER_UNIT = re.compile(r"[（(](亿元|万元|元|%)[)）]$")
_CELL = re.compile(rf"({NUM})(%|亿元|万元|元)?")

#: The column labels of a funds table; the group name is the column's kind. A label may be split over two
#: cells at its words (``年初`` / ``预算数``, ``全年`` / ``执行数``: a narrow column, one cell a line).
_S = r"[ \t]*\n?[ \t]*\n?[ \t]*"
FUND_LABEL = re.compile(
    r"(?P<other>得分计算方法|计算方法|产生差异的原因|偏差原因(?:分析)?|未完成原因(?:分析)?|原因)"
    r"|(?P<weight>执行率权重|权重|分值)"
    r"|(?P<score>执行率得分|得分)"
    rf"|(?P<initial>年初{_S}(?:部门)?预[算匏]{_S}(?:资金总额|资金|数|金额)?)"
    rf"|(?P<final>(?:全年|调整后的?|调整)\s*(?:[(（][^()（）\n]{{0,4}}[)）])?\s*预[算匏]{_S}(?:数|资金|金额)?)"
    rf"|(?P<executed>(?:全年|预算|实际|年度)?{_S}执行{_S}(?:数|金额)|实际{_S}支出(?:数|金额)?|决算数"
    rf"|实际投入资金(?:额|总额)?)"
    rf"|(?P<rate>(?:预算{_S})?执行{_S}率)"
    rf"|(?P<generic>(?:年度)?预[算匏]{_S}(?:数|资金总额|金额))")
_AMOUNTS = ("initial", "final", "generic", "executed")
_PAREN = re.compile(r"[(（][^()（）\n]{0,14}[)）]")
_GAP_NOISE = re.compile(r"[\s|:：,，、*/%()（）A-Za-z\d]")
_ROW_LABEL = re.compile(r"(?:年度)?(?:财政\s*)?资金\s*总额\s*[:：]?|总\s*额|合\s*计|总\s*计")
_SUB_ROW = re.compile(r"(?:其中\s*[:：]?\s*)?[\u4e00-\u9fff]{0,8}?(?:拨款|资金|结转)[\u4e00-\u9fff]{0,2}?\s*[:：]?")
_MONEY_NEAR = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]|单位\s*[:：]\s*(亿元|万元|元)")
_MONEY_AFTER = re.compile(r"(?:资金|金额|预算|执行数)\s*[(（]\s*(亿元|万元|元)\s*[)）]")
_RATE_TOLERANCE = Decimal("0.6")       # percentage points: a rate printed rounded to a whole percent
_MOST_READINGS = 20000                 # readings of one row tried at most (glued runs multiply them)
_RATIO_MOST = Decimal("1.5")           # a bare rate up to this may be a ratio (1 = 100 %)
_STATED_WEIGHT = re.compile(r"(?:得分|分值|权重)\s*[(（]\s*(\d{1,3}(?:\.\d+)?)\s*分")


@dataclass
class FundsReading:
    """One funds table read whole.

    Attributes
    ----------
    budget, executed : Decimal or None
        In 万元 (``None`` when the table's money unit is unknown or the cell is empty).
    budget_label : str
        The label of the budget used (``全年预算数`` over ``预算数`` over ``年初预算数``).
    rate : Decimal or None
        The execution rate in percent, as the table states it.
    weight, score : Decimal or None
        The execution-rate indicator's 分值 and 得分 (not the report's total score).
    start, end : int
        Where the header starts and the row ends in the text.
    notes : list of str
        What was ambiguous or assumed.
    """

    budget: Decimal | None = None
    budget_label: str = ""
    executed: Decimal | None = None
    rate: Decimal | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    start: int = 0
    end: int = 0
    notes: list[str] = field(default_factory=list)


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


# ---------------------------------------------------------------------------------------------
# Headers

@dataclass
class _Header:
    start: int
    end: int
    kinds: list[str]
    labels: list[str]
    percent: bool           # the rate column's header says (%)
    weight: Decimal | None = None   # the weight a header writes in brackets: 得分(20分*执行率), 分值(10分)


def _headers(text: str) -> list[_Header]:
    parens = [m.span() for m in _PAREN.finditer(text)]          # in order, never overlapping
    starts = [start for start, _ in parens]

    def in_parens(match: re.Match) -> bool:                    # 得分(20分*执行率)
        index = bisect.bisect_left(starts, match.start()) - 1
        return index >= 0 and match.end() <= parens[index][1]

    matches = [m for m in FUND_LABEL.finditer(text) if not in_parens(m)]
    groups: list[list[re.Match]] = []
    for match in matches:
        if groups:
            raw_gap = _PAREN.sub("", text[groups[-1][-1].end():match.start()])
            gap = _GAP_NOISE.sub("", raw_gap)
            if len(gap) <= 4 and not re.search(r"[。；;]", gap) and not re.search(r"(?<![A-Za-z])\d", raw_gap):
                groups[-1].append(match)
                continue
        groups.append([match])
    headers = []
    for group in groups:
        kinds = [m.lastgroup for m in group]
        if sum(k in _AMOUNTS for k in kinds) < 1 or sum(k != "other" for k in kinds) < 2:
            continue
        columns = [(m.lastgroup, m.group(0)) for m in group if m.lastgroup != "other"]
        kept = [c for i, c in enumerate(columns)           # 年度预算数（万元）| 年初预算 | 调整后预算数: a group label
                if not (c[0] == "generic" and i + 1 < len(columns) and columns[i + 1][0] in ("initial", "final"))]
        end = group[-1].end()
        trailing = _PAREN.match(text, end)
        percent = any(m.lastgroup == "rate" and re.match(r"\s*[(（]%[)）]", text[m.end():m.end() + 5]) for m in group)
        if trailing:
            end = trailing.end()
        stated = _STATED_WEIGHT.search(text, group[0].start(), end)
        weight = Decimal(stated.group(1)) if stated and "weight" not in kinds else None
        headers.append(_Header(group[0].start(), end, [k for k, _ in kept], [re.sub(r"\s", "", label) for _, label in kept],
                               percent, weight))
    return headers


def _money_unit(text: str, header: _Header, declared: str | None) -> tuple[str | None, str]:
    inside = _MONEY_NEAR.search(text, max(0, header.start - 60), header.end)
    if inside:
        return inside.group(1) or inside.group(2), "表头 / the header"
    after = _MONEY_AFTER.search(text, header.end, header.end + 400)
    if after:
        return after.group(1), "表中「资金（…）」/ the table's 资金 label"
    return declared, "全文的「单位：」/ the document's 单位 line"


# ---------------------------------------------------------------------------------------------
# Rows

def _budget_of(values: dict) -> tuple[Decimal | None, str]:
    for kind in ("final", "generic", "initial"):
        if values.get(kind) is not None:
            return values[kind], kind
    return None, ""


def _check(values: dict, percent_header: bool, bare_rate: bool,
           stated_weight: Decimal | None = None) -> tuple[bool, int]:
    """Whether the numbers of a reading agree; and how many agreement checks ran and passed.

    A bare rate (no %) that agrees only as a ratio (``1`` for 100 %) is turned into percent in ``values``
    (marked ``_ratio``); ``stated_weight`` is a weight the header writes in its brackets (得分(20分*执行率)).
    """
    weight, score, rate = values.get("weight"), values.get("score"), values.get("rate")
    weight = weight if weight is not None else stated_weight
    executed = values.get("executed")
    if weight is not None and not (0 < weight <= 100):
        return False, 0
    if score is not None and not (0 <= score <= (weight if weight is not None else 100)):
        return False, 0
    if rate is not None and rate > 1000:
        return False, 0
    passed = 0
    budgets = [values[k] for k in ("final", "generic", "initial") if values.get(k)]
    if rate is not None and executed is not None and budgets:
        computed = executed / budgets[0] * 100
        if (abs(rate - computed) > _RATE_TOLERANCE and bare_rate and not percent_header and 0 < rate <= _RATIO_MOST
                and abs(rate * 100 - computed) <= _RATE_TOLERANCE):
            rate = values["rate"] = rate * 100                # 1 for 100 %: a ratio, as some forms write it
            values["_ratio"] = True
        if abs(rate - computed) > _RATE_TOLERANCE:
            return False, 0                               # the rate of the budget used (全年 over 年初)
        passed += bool(rate and executed)                 # 0 = 0 / anything is no evidence
    elif rate is not None and bare_rate and not percent_header and rate != 0:
        return False, 0                                   # a bare number taken for the rate, with nothing to check it
    if rate is not None and weight is not None and score is not None:
        if abs(score - min(rate / 100, Decimal(1)) * weight) <= max(Decimal("0.06"), weight / 100):
            passed += 1
    elif rate is None and weight is not None and score is not None and executed is not None and budgets:
        share = min(executed / budgets[0], Decimal(1))
        if abs(score - share * weight) <= max(Decimal("0.06"), weight / 100):
            passed += 1
        else:
            return False, 0
    return True, passed


def _cuts(cell: Cell, most: int, glued: bool) -> list[list[tuple[Decimal | None, bool]]]:
    """The ways to read one cell: itself, or cut into numbers (only a run long enough to hold two, in a row
    whose cells are too few for its columns, or a run with two decimal points)."""
    if cell.text == "":
        return [[(None, False)]]
    out = []
    cuttable = (glued and len(cell.text.replace(".", "")) >= 3) or cell.text.count(".") >= 2
    longest = most if cuttable else 1
    for parts in range(1, min(4, longest) + 1):
        for cut in splits(cell.text, parts):
            out.append([(n, cell.percent and i == len(cut) - 1) for i, n in enumerate(cut)])
    return out


def _token_lists(cells: list[Cell], columns: int, glued: bool):
    """Every list of tokens the cells can give (at most ``columns`` of them) and its number of cuts."""

    def walk(index: int, tokens: list, cuts: int):
        if index == len(cells):
            yield tokens, cuts
            return
        for option in _cuts(cells[index], columns - len(tokens) - (len(cells) - index - 1), glued):
            if len(tokens) + len(option) + (len(cells) - index - 1) <= columns:
                yield from walk(index + 1, tokens + option, cuts + len(option) - 1)

    yield from walk(0, [], 0)


def _readings(cells: list[Cell], kinds: list[str], percent_header: bool, stated_weight: Decimal | None = None,
              tried: list[int] | None = None):
    """Every reading of a row: (values, tokens used, cuts, empty columns, checks passed).

    At most :data:`_MOST_READINGS` readings are tried; ``tried`` (one counter) tells how many were.
    """
    columns = len(kinds)
    tried = [0] if tried is None else tried
    for used in range(min(len(cells), columns), 0, -1):
        for tokens, cut_count in _token_lists(cells[:used], columns, len(cells) < columns - 1):
            for slots in itertools.combinations(range(columns), len(tokens)):
                tried[0] += 1
                if tried[0] > _MOST_READINGS:
                    return
                values: dict = {}
                bare_rate = False
                valid = True
                for (number, percent), slot in zip(tokens, slots):
                    kind = kinds[slot]
                    if percent and kind != "rate":
                        valid = False
                        break
                    if number is None or kind in values:
                        continue
                    values[kind] = number
                    bare_rate |= kind == "rate" and not percent
                if not valid:
                    continue
                ok, passed = _check(values, percent_header, bare_rate, stated_weight)
                if ok:
                    yield values, used, cut_count, columns - len(tokens), passed


def _read_row(cells: list[Cell], kinds: list[str], percent_header: bool,
              stated_weight: Decimal | None = None) -> tuple[dict | None, str | None]:
    """The one reading of a row whose numbers agree, or ``(None, why)``."""
    best_key, best = None, []
    tried = [0]
    for values, used, cuts, empty, passed in _readings(cells, kinds, percent_header, stated_weight, tried):
        straight = cuts == 0 and empty == 0 and used == len(cells)
        if not straight and passed == 0:
            continue                                          # a cut or a missing cell needs a check that held
        key = (used, passed, -empty, -cuts)
        if best_key is None or key > best_key:
            best_key, best = key, [values]
        elif key == best_key:
            best.append(values)
        if len(best) > 50:
            break
    if tried[0] > _MOST_READINGS:
        return None, (f"数字连写，可能的读法超过 {_MOST_READINGS} 种 / more than {_MOST_READINGS} possible readings of the "
                      f"glued numbers")
    if not best:
        return None, "没有一种读法使数字相符 / no reading of the row whose numbers agree"
    figures = {(_budget_of(v)[0], v.get("executed"), v.get("rate")) for v in best}
    if len(figures) > 1:
        return None, "数字有多种相符的读法 / several readings of the row agree"
    chosen = dict(best[0])
    for kind in ("weight", "score"):
        if len({v.get(kind) for v in best}) > 1:
            chosen.pop(kind, None)
    return chosen, None


def _rows(text: str, position: int) -> list[tuple[str, list[Cell], int]]:
    """The rows after a header: each one's label (``""`` for none) and its number cells, until a row without numbers."""
    rows = []
    for _ in range(12):
        start = position
        while start < len(text) and text[start] in " \t\n|:：":
            start += 1
        label = _ROW_LABEL.match(text, start) or _SUB_ROW.match(text, start) or re.compile(
            r"[\u4e00-\u9fff（）()、]{1,16}?(?=\s*[|:：]?\s*\d)").match(text, start)
        name = label.group(0).strip(" :：") if label else ""
        cells, end = row_cells(text, label.end() if label else start)
        if not any(c.text for c in cells):
            break
        rows.append((name, cells, end))
        position = end
    return rows


def _main_row(rows: list[tuple[str, list[Cell], int]]) -> int | None:
    """The row holding the whole: the total row (合计, 年度资金总额 …), else the only row or a first row without a label."""
    for index, (label, _, _) in enumerate(rows):
        if _ROW_LABEL.fullmatch(label) or re.fullmatch(r"(?:年度)?(?:财政)?(?:资金)?(?:合计|总计|总额)", label):
            return index
    if len(rows) == 1 or (rows and rows[0][0] == ""):
        return 0
    return None


def _straight(cells: list[Cell], kinds: list[str]) -> dict | None:
    """The amounts of a 其中 row read one cell a column, or ``None`` when it does not fit."""
    while cells and cells[-1].text == "":
        cells = cells[:-1]
    if not cells or len(cells) > len(kinds) or any(c.percent for c in cells):
        return None
    values = {}
    for kind, cell in zip(kinds, cells):
        if cell.text:
            number = splits(cell.text, 1)
            if not number:
                return None
            values.setdefault(kind, number[0][0])
    return values


def funds_tables(text: str, declared: str | None = None) -> list[FundsReading]:
    """Every funds table of the text read whole: budget, executed, rate (and the rate's weight and score).

    Parameters
    ----------
    text : str
        The report's lines with the cells still apart, joined with ``\\n``
        (:func:`perfeval_lib.extract.text.page_lines`); glued cells are fine too.
    declared : str or None
        The money unit a ``单位：万元`` line of the document declares, used when the table has none.

    Returns
    -------
    list of FundsReading
        In the order of the text; amounts in 万元, the rate in percent as stated. A table whose row
        cannot be read whole gives a reading with only ``notes``.

    Examples
    --------
    >>> r = funds_tables("年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分 年度资金总额:310.2154.741050%5", "万元")[0]
    >>> [str(v) for v in (r.budget, r.executed, r.weight, r.rate, r.score)], r.budget_label
    (['310.2', '154.74', '10', '50', '5'], '年初预算数')
    """
    readings = []
    for header in _headers(text):
        rows = _rows(text, header.end)
        reading = FundsReading(start=header.start, end=header.end)
        chosen = _main_row(rows)
        if chosen is None:
            if len(rows) > 1:
                reading.notes.append(f"资金表「{' '.join(header.labels)}」有多行而没有合计行，未采用 / the funds table has "
                                     f"several rows and no total row, not used")
                readings.append(reading)
            continue
        _, cells, end = rows[chosen]
        reading.end = end
        values, why = _read_row(cells, header.kinds, header.percent, header.weight)
        if values is None:
            reading.notes.append(f"资金表「{' '.join(header.labels)}」的数字读不通：{why}，未采用 / the funds table's "
                                 f"row was not used")
            readings.append(reading)
            continue
        amount_kinds = [k for k in header.kinds if k in _AMOUNTS]
        budget, kind = _budget_of(values)
        if not budget and not values.get("executed"):
            subs = [(label, _straight(cells, amount_kinds)) for label, cells, _ in rows[chosen + 1:]]
            filled = [(label, v) for label, v in subs if v and any(v.values())]
            if filled:
                values = {**values, **{k: sum((v[k] for _, v in filled if v.get(k) is not None), Decimal(0))
                                       for k in amount_kinds if any(v.get(k) is not None for _, v in filled)}}
                if values.get("rate") == 0:
                    values.pop("rate")
                budget, kind = _budget_of(values)
                reading.notes.append(f"资金表总额行为 0，取其中行（{'、'.join(label for label, _ in filled)}）之和 / "
                                     f"the total row is 0, the 其中 rows are used")
                reading.end = rows[-1][2]
        unit, unit_from = _money_unit(text, header, declared)
        if unit in TO_WAN:
            reading.budget = budget * TO_WAN[unit] if budget else None
            reading.executed = (values["executed"] * TO_WAN[unit] if values.get("executed") is not None
                                and (budget or values["executed"]) else None)
            if unit != "万元" and (reading.budget or reading.executed):
                reading.notes.append(f"资金表金额单位为「{unit}」（据{unit_from}），已换算为万元 / amounts in {unit}, "
                                     f"converted to 万元")
        elif budget or values.get("executed"):
            reading.notes.append("资金表没有金额单位，金额未采用 / the funds table states no money unit, amounts "
                                 "not used")
        reading.budget_label = header.labels[header.kinds.index(kind)] if kind else ""
        rate = values.get("rate")
        reading.rate = rate if rate else None
        if rate and values.get("_ratio"):
            reading.notes.append(f"资金表执行率写作比值 {plain(rate / 100)}，记为 {plain(rate)}% / the rate is written as a "
                                 f"ratio, recorded in percent")
        reading.weight, reading.score = values.get("weight", header.weight), values.get("score")
        readings.append(reading)
    return readings


def detached_rate(text: str, reading: FundsReading, limit: int = 400) -> Decimal | None:
    """A rate standing apart from its row (scrambled PDF text) that agrees with executed / budget.

    Only a percentage standing on its own (not glued to a label such as 完成率) within ``limit``
    characters after the row, before the indicator table (一级指标, 绩效指标), agreeing within 0.05
    percentage points, and the only one that does.

    Parameters
    ----------
    text : str
        The text the reading came from.
    reading : FundsReading
        With ``budget`` and ``executed`` and no ``rate``.
    limit : int
        How far after the row to look.

    Returns
    -------
    Decimal or None

    Examples
    --------
    >>> r = FundsReading(budget=Decimal(25), executed=Decimal("21.54576"), end=0)
    >>> detached_rate("其中 目标 86.19% 一级指标 100%", r)
    Decimal('86.19')
    """
    if not reading.budget or reading.executed is None or reading.rate is not None:
        return None
    window = text[reading.end:reading.end + limit]
    stop = re.search(r"[一二三]级\s*指标|绩效\s*指标|指标\s*1", window)
    window = window if not stop else window[:stop.start()]
    computed = reading.executed / reading.budget * 100
    found = {Decimal(m.group(1)) for m in re.finditer(r"(?<![\d.=≥≤><\u4e00-\u9fff])(\d{1,3}(?:\.\d{1,2})?)%", window)
             if abs(Decimal(m.group(1)) - computed) <= Decimal("0.05")}
    return found.pop() if len(found) == 1 else None


_TOTAL_LABEL = re.compile(r"(?:^|(?<=[\s|]))(总分|总计|合计|综合得分|自评总分)\s*[|:：]?")
_GRADE_AFTER = re.compile(r"[\s|]*[“\"「]?(优秀|良好|合格|不合格|优|良|中|差)(?![\u4e00-\u9fff])")


def total_rows(text: str) -> list[tuple[Decimal, str | None, int]]:
    """The total-score rows of the tables: ``总分 100 96 优`` → ``(96, '优', position)``.

    Two numbers are the weights' total (100) and the score; one number followed by a grade is the
    score; a lone ``合计 100`` is the weights' total and gives nothing. A 合计/总计 row counts only
    after a scoring header (得分, 分值, 权重 within the 400 characters before) and not in a money
    table.

    Parameters
    ----------
    text : str
        The report's lines with the cells apart, joined with ``\\n``.

    Returns
    -------
    list of (Decimal, str or None, int)
        The score, the grade stated beside it (one of the words 优秀/良好/优/良/中/差/合格, or
        ``None``) and where the row starts, in order.

    Examples
    --------
    >>> total_rows("合计 | 100 | | |"), total_rows("分值 得分\\n合计 100 95.5")[0][0]
    ([], Decimal('95.5'))
    """
    found = []
    for label in _TOTAL_LABEL.finditer(text):
        if label.group(1) in ("合计", "总计"):
            before = text[max(0, label.start() - 400):label.start()]
            if not re.search(r"得分|分值|权重", before) or re.search(r"预算数|执行数|万元|资金", before[-150:]):
                continue
        cells, end = row_cells(text, label.end())
        numbers = []
        for cell in cells:
            if cell.text == "" or cell.percent:
                break
            parsed = splits(cell.text, 1)
            if not parsed:
                break
            numbers.append(parsed[0][0])
        grade = _GRADE_AFTER.match(text, end)
        grade_word = grade.group(1) if grade and len(cells) == len(numbers) else None
        if len(numbers) >= 2 and numbers[0] == 100 and numbers[1] <= 100:
            found.append((numbers[1], grade_word, label.start()))
        elif len(numbers) == 1 and grade_word and numbers[0] <= 100:
            found.append((numbers[0], grade_word, label.start()))
    return found


def describe(reading: FundsReading) -> str:
    """A reading as the notes show it: ``全年预算数 880、执行数 880、执行率 100%``.

    Parameters
    ----------
    reading : FundsReading

    Returns
    -------
    str

    Examples
    --------
    >>> describe(FundsReading(budget=Decimal(880), budget_label="全年预算数", executed=Decimal(880)))
    '全年预算数 880、执行数 880'
    """
    parts = []
    if reading.budget is not None:
        parts.append(f"{reading.budget_label or '预算数'} {plain(reading.budget)}")
    if reading.executed is not None:
        parts.append(f"执行数 {plain(reading.executed)}")
    if reading.rate is not None:
        parts.append(f"执行率 {plain(reading.rate)}%")
    return "、".join(parts)

"""Headline figures from published 部门整体支出绩效自评报告 (text or PDF).

A published self-evaluation report states, in prose, the unit, the year, the whole budget
(全年预算数), what was executed (执行数), the execution rate, the self-assessed score and the grade,
followed by 存在的主要问题 and 下一步改进措施. This module reads those back out of the text — as
stated, never computed: a rate the text does not give stays empty even when budget and executed are
both known, and a grade is never derived from the score.

The flow for one report: normalise characters (full-width digits and signs, Kangxi radicals,
odd spaces) → drop page marks (``— 1 —``, ``- 2 -``, ``第 3 页``) → undo letter-spacing and the
spaces PDF text puts between characters → join the broken lines (also inside numbers:
``507.\\n02``) → find the numbered headings (一、… （一）…) and the sections → read each figure from
the first statement after one of its labels, preferring the 收支情况 section (figures) or the
自评结论 section (score, grade) and then the whole text. Everything ambiguous becomes a note.

Examples
--------
>>> ex = extract_text("2023年度示例区测试局部门整体支出绩效自评报告\\n"
...                   "全年预算数 120.50万元，执行数 118.09万元，执行率为98.0%。\\n"
...                   "自评得分为 92 分，等级为“优”。")
>>> ex.unit, ex.year, ex.budget_wan, ex.executed_wan, ex.execution_rate_pct, ex.self_score, ex.grade
('示例区测试局', 2023, 120.5, 118.09, 98.0, 92.0, '优')
>>> extract_files(["reports/"])                                    # doctest: +SKIP
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import pandas as pd
from ..core.errors import InputError, PerfevalError
from ..core.files import atomic_path, decode_csv_bytes

#: The columns of :meth:`Extracted.row`, :func:`extract_files` and the CSV, in this order.
COLUMNS = ["file", "unit", "year", "budget_wan", "executed_wan", "execution_rate_pct", "self_score", "grade"]
#: File types read from a folder (case-insensitive).
SUFFIXES = (".txt", ".pdf")
#: Section keys of :attr:`Extracted.sections` (always present; ``""`` when the report has none).
SECTION_KEYS = ("finance", "conclusion", "problems", "measures")
#: Chinese labels for the printed table.
DISPLAY = {"file": "文件", "unit": "单位", "year": "年度", "budget_wan": "全年预算数(万元)",
           "executed_wan": "执行数(万元)", "execution_rate_pct": "执行率", "self_score": "自评得分",
           "grade": "自评等级"}



@dataclass
class Extracted:
    """What one report states. Figures the text does not state are ``None`` (never guessed).

    Attributes
    ----------
    file : str
        The file as given (``""`` for :func:`extract_text` without a name).
    unit, year : str or None, int or None
        From the title, else the first mention (then a note says so).
    budget_wan, executed_wan : float or None
        In 万元 (amounts written in 元 or 亿元 are converted). ``budget_wan`` is the 全年/调整后
        budget when the text also states a 年初 one.
    execution_rate_pct : float or None
        As stated, in percent (``100.0`` for "100.0%").
    self_score : float or None
        The unit's own total score.
    grade : str or None
        One of 优 / 良 / 中 / 差 (优秀 → 优, 良好 → 良, 中等/合格 → 中, 较差/不合格 → 差, with a note).
    sections : dict of str
        ``finance`` (部门整体收支情况), ``conclusion`` (自评结论), ``problems`` (存在的主要问题),
        ``measures`` (下一步改进措施): the body text with lines re-joined, ``""`` when not found.
    notes : list of str
        What was ambiguous or could not be read.
    error : str or None
        Set when the file could not be read at all (then only ``file`` is filled).

    Examples
    --------
    >>> Extracted(file="a.txt", budget_wan=1.5).row()["budget_wan"]
    1.5
    """

    file: str = ""
    unit: str | None = None
    year: int | None = None
    budget_wan: float | None = None
    executed_wan: float | None = None
    execution_rate_pct: float | None = None
    self_score: float | None = None
    grade: str | None = None
    sections: dict[str, str] = field(default_factory=lambda: dict.fromkeys(SECTION_KEYS, ""))
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def row(self) -> dict:
        """The CSV row: exactly :data:`COLUMNS`.

        >>> list(Extracted().row()) == COLUMNS
        True
        """
        return {column: getattr(self, column) for column in COLUMNS}


# ---------------------------------------------------------------------------------------------
# Characters and lines

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—–―…·《》「」『』【】"
_NUMERALS = "一二三四五六七八九十"


def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),  # full-width digits and letters
              (0x2F00, 0x2FD5), (0x2E80, 0x2EF3),                      # Kangxi radicals, radicals supplement
              (0xF900, 0xFAFF)]                                          # CJK compatibility ideographs
    for low, high in ranges:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code) and len(folded) == 1:
                table[code] = folded
    table.update({ord("．"): ".", ord("％"): "%", ord("﹪"): "%", ord("﹒"): ".", ord("＋"): "+",
                  ord("－"): "-", ord("／"): "/", ord("\u3000"): " ", ord("\u00a0"): " ", ord("\t"): " ",
                  ord("\u200b"): "", ord("\u200c"): "", ord("\u200d"): "", ord("\u2060"): "", ord("\ufeff"): "",
                  ord("\u00ad"): ""})
    for code in range(0x2000, 0x200B):
        table[code] = " "
    return table


_CHARS = _char_table()

_PAGE_MARK_RES = [
    re.compile(r"^[—–―\-~·•]+\s*\d{1,4}\s*[—–―\-~·•]+$"),          # — 1 —   - 2 -
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),  # 第 3 页 / 第3页 共10页
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),                              # 3/10
]
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_CHINESE_YEAR = re.compile(r"([〇○零一二][〇○零一二三四五六七八九]{3})(?=\s*年)")
_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_INLINE_PAGE_MARK = re.compile(r"[—–―]{1,2}\s*\d{1,4}\s*[—–―]{1,2}")


def _is_page_mark(line: str) -> bool:
    return any(pattern.match(line) for pattern in _PAGE_MARK_RES)


def _despace(line: str) -> str:
    """Remove the spaces PDF text puts between characters; keep those between two plain numbers."""
    line = line.strip()
    tokens = line.split()
    if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.6 * len(tokens):
        return "".join(tokens)                                  # 全 年 预 算 数 5 0 7 . 0 2 万 元
    line = re.sub(rf"(?<=[{_CJK}{_CJK_PUNCT}])\s+|\s+(?=[{_CJK}{_CJK_PUNCT}])", "", line)
    line = re.sub(r"(?<=\d)\s+(?=\.\d)|(?<=\d\.)\s+(?=\d)|(?<=\d)\s+(?=%)", "", line)  # 507 .02, 507. 02, 100 %
    line = re.sub(r"(?<=\d[,，])\s+(?=\d{3}(?!\d))", "", line)                        # 5,070, 200
    return re.sub(r"\s{2,}", " ", line)


def _strip_page_edges(lines: list[str]) -> list[str]:
    """Drop page marks and bare page numbers at the top and bottom of one page."""
    while lines and (_is_page_mark(lines[0]) or _BARE_NUMBER.match(lines[0])):
        lines = lines[1:]
    while lines and (_is_page_mark(lines[-1]) or _BARE_NUMBER.match(lines[-1])):
        lines = lines[:-1]
    return lines


def clean_lines(text: str, pages: list[str] | None = None) -> list[str]:
    """The report's non-empty lines, normalised, without page marks, spaces between characters undone.

    ``pages`` (text of each page, as from a PDF) lets bare page numbers at a page's top or bottom
    go too; a form feed in ``text`` separates pages the same way.

    Examples
    --------
    >>> clean_lines("— 1 —\\n全 年 预 算 数 ５０７．０２ 万元\\n第 2 页\\n执行数")
    ['全年预算数507.02万元', '执行数']
    """
    out = [re.sub(r"\s+", " ", line) if _is_table_line(line) else _despace(line)
           for line in _page_lines(text, pages)]
    return [line for i, line in enumerate(out) if not _is_stray_page_number(out, i)]


def _page_lines(text: str, pages: list[str] | None) -> list[str]:
    """Normalised non-empty lines without page marks (spaces still as in the source)."""
    paged = pages is not None
    if pages is None:
        pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
        paged = len(pages) > 1
    out: list[str] = []
    for page in pages:
        page = page.translate(_CHARS).replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.strip() for line in page.split("\n")]
        lines = [line for line in lines if line]
        if paged:
            lines = _strip_page_edges(lines)
        for line in lines:
            if _is_page_mark(line):
                continue
            line = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_YEAR_DIGITS), line)
            line = _INLINE_PAGE_MARK.sub("", line).strip()
            if line:
                out.append(line)
    return out


def _is_table_line(line: str) -> bool:
    """A table's header (two or more cells that are labels) or one of its rows (numbers, one name)."""
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
        labels += any(p.fullmatch(label) for p in (_BUDGET, _EXECUTED, _RATE, _SCORE))
    return labels >= 2


def _is_stray_page_number(lines: list[str], i: int) -> bool:
    """A line that is only a short number, with no number-ish context either side: a page number."""
    if not _BARE_NUMBER.match(lines[i]):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    if re.search(r"[\d.,，:：为是达约共计]$", before):
        return False
    return not re.match(r"[\d.,，%万元亿千分名个项次人年月日]", after)


def _join_pair(left: str, right: str) -> str:
    """Glue the next line on: nothing between Chinese text or the pieces of a broken number."""
    if not left:
        return right
    if left[-1] in "。！？；!?;":
        return left + "\n" + right
    if left[-1].isdigit() and right[:1].isdigit():
        # "507.02\n507.02" (a table's cells) stays two numbers; "5\n07.02", "507.0\n2" are one
        if re.search(r"\d\.\d{2,}$", left) and re.match(r"\d+\.\d", right):
            return left + " " + right
        return left + right
    if left[-1].isascii() and left[-1].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right


# ---------------------------------------------------------------------------------------------
# Headings and sections

_TOP = re.compile(rf"^(?:第([{_NUMERALS}]{{1,3}})部分|([{_NUMERALS}]{{1,3}})[、.，])\s*")
_SUB = re.compile(rf"^[（(]\s*([{_NUMERALS}]{{1,3}})\s*[）)]\s*")
_ARABIC = re.compile(r"^(?:(\d{1,2})[、.](?!\d)|[（(](\d{1,2})[）)])\s*")
_SECTION_PATTERNS = {
    "finance": [re.compile(r"收支"), re.compile(r"预算执行情况|资金(?:使用|执行)情况|(?:整体|部门)支出情况|"
                                               r"预算(?:安排|情况)|财务情况")],
    "conclusion": [re.compile(r"结论"), re.compile(r"自评(?:结果|得分|情况)|评价结果|总体评价|综合评价(?!分析)")],
    "problems": [re.compile(r"^(?!.*(?:其他|说明|整改情况|问题整改)).*问题")],
    "measures": [re.compile(r"下一步|改进措施|改进意见|改进建议|整改措施|工作计划|工作打算|努力方向|意见和建议|有关建议"),
                 re.compile(r"改进|整改|措施|建议|意见")],
}


def _numeral(text: str) -> int:
    values = {c: i + 1 for i, c in enumerate(_NUMERALS)}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + values.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return values.get(tens, 0) * 10 + values.get(ones, 0)
    return values.get(text, 0)


@dataclass
class _Heading:
    level: int
    number: int
    title: str
    start: int       # where the heading starts in the flat text
    body: int        # where its body starts


def _title_of(rest: str) -> tuple[str, int] | None:
    """The heading title at the start of ``rest`` and its length, or None when it is a sentence."""
    match = re.match(r"[^。：:；;！？!?]{1,30}", rest)
    if not match:
        return None
    title = match.group(0)
    end = match.end()
    if end < len(rest) and rest[end] not in "。：:；;！？!?":
        return None                                      # a long line without a stop: prose, not a heading
    if end < len(rest) and rest[end] in "：:。":
        end += 1
    return title, end


def _headings(lines: list[str]) -> tuple[str, list[_Heading]]:
    """The flat text and its numbered headings (一、 level 1, （一） level 2), in order."""
    text = ""
    headings: list[_Heading] = []
    last = {0: 0, 1: 0, 2: 0, 3: 0}
    block_end = False      # the previous line was a whole heading or the title: never glue onto it
    seen: set[tuple[int, str]] = set()
    for line in lines:
        heading = None
        for level, pattern in ((1, _TOP), (2, _SUB), (3, _ARABIC)):
            match = pattern.match(line)
            if not match:
                continue
            numeral = next(g for g in match.groups() if g)
            number = int(numeral) if numeral.isdigit() else _numeral(numeral)
            if level == 1 and line.startswith("第"):
                level = 0
            titled = _title_of(line[match.end():])
            if not titled or (number <= last[level] and (level, titled[0]) not in seen):
                break                       # "一、" inside a list, or prose; a heading seen before is the
            seen.add((level, titled[0]))    # real one after a table of contents (目录)
            last[level] = number
            for deeper in range(level + 1, 4):
                last[deeper] = 0
            heading = (level, number, titled[0], match.end() + titled[1])
            break
        # a heading starts a new line, and nothing is glued onto a whole-line heading or the title
        table = _is_table_line(line)
        joined = text + "\n" + line if text and (block_end or heading or table) else _join_pair(text, line)
        start = len(joined) - len(line)
        text = joined
        block_end = table or (bool(re.search(r"报告[)）]?$", line)) and len(line) <= 60)
        if heading:
            level, number, title, body = heading
            headings.append(_Heading(level, number, title, start, start + body))
            block_end = body >= len(line)
    return text, headings


_HEADING_END = re.compile(r"^.{0,20}?(?:情况|问题|措施|建议|意见|分析|综述|结论|概况|成效|计划|打算|方向|原因|说明)"
                          r"(?:(?:及|和|与)(?:原因|改进措施|整改措施|改进建议|建议|措施)(?:分析)?)?(?:分析|综述)?")


def _inline_headings(text: str) -> list[_Heading]:
    """Fallback for text without line breaks: numbered headings after a sentence end."""
    headings = []
    pattern = re.compile(rf"(?:^|(?<=[。；;！？!?\n]))\s*(?:([{_NUMERALS}]{{1,3}})[、.]|[（(]([{_NUMERALS}]{{1,3}})[）)])")
    for match in pattern.finditer(text):
        level = 1 if match.group(1) else 2
        rest = text[match.end():match.end() + 40]
        title = re.match(r"[^。：:；;，,！？!?]{1,25}", rest)
        if title:
            word = _HEADING_END.search(title.group(0))   # no line break: the title ends with its last word
            if word:
                title = word
            end = match.end() + title.end()
            if end < len(text) and text[end] in "：:":
                end += 1
            headings.append(_Heading(level, _numeral(match.group(1) or match.group(2)), title.group(0),
                                     match.start(), end))
    return headings


def _sections(text: str, headings: list[_Heading], notes: list[str]) -> dict[str, str]:
    sections = dict.fromkeys(SECTION_KEYS, "")
    spans: dict[str, _Heading] = {}

    def body(heading: _Heading) -> str:
        index = headings.index(heading)
        end = next((h.start for h in headings[index + 1:] if h.level <= heading.level), len(text))
        return text[heading.body:end].strip(" \n：:")

    for key, patterns in _SECTION_PATTERNS.items():
        for pattern in patterns:
            found = sorted((h for h in headings if pattern.search(h.title)), key=lambda h: (h.level, h.start))
            if key == "measures":
                found = [h for h in found if "问题" not in h.title or "措施" in h.title or "建议" in h.title]
            if key == "problems":
                found = [h for h in found if not re.search(r"(?<!存在的)(?<!存在)问题整改|整改情况", h.title)]
            found = [h for h in found if body(h)] or found          # a table of contents has empty bodies
            if found:
                spans[key] = found[0]
                break

    for key, heading in spans.items():
        sections[key] = body(heading)
    if "problems" in spans and "measures" in spans and spans["problems"] is spans["measures"]:
        # one heading "存在的问题及改进措施": split on its sub-headings when it has them
        combined = spans["problems"]
        index = headings.index(combined)
        subs = []
        for h in headings[index + 1:]:
            if h.level <= combined.level:
                break
            subs.append(h)
        problem = next((h for h in subs if "问题" in h.title), None)
        measure = next((h for h in subs if _SECTION_PATTERNS["measures"][0].search(h.title) and h is not problem), None)
        if problem and measure:
            sections["problems"], sections["measures"] = body(problem), body(measure)
        else:
            notes.append(f"问题与措施同在一节「{combined.title}」，两栏文字相同 / problems and measures share one "
                         f"section, both hold its text")
    return sections


# ---------------------------------------------------------------------------------------------
# Numbers and labels

_NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?<![\d.])({_NUM})")
_MONEY_UNIT = re.compile(r"\s*(亿元|万元|千元|元|亿(?![\u4e00-\u9fff])|万(?![\u4e00-\u9fff]))")
_TO_WAN = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1),
           "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_NOT_MONEY_AFTER = "%‰年月日号名个项次人户件场期分天倍家所条篇套台辆间亩"
_DECLARED_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_VERBS = r"[\s为是共计达到约合总:：,，]*"

_BUDGET = re.compile(
    r"(?P<initial>年初(?:部门)?(?:整体)?(?:支出)?预算(?:数|总额|总数|金额|资金|安排)?)"
    r"|(?P<final>(?:全年|全年度|调整后的?|年中调整后的?|追加后的?|变更后的?)(?:部门)?(?:整体)?(?:支出)?预算"
    r"(?:数|总额|总数|金额|资金|安排)?|预算调整后的?(?:数|金额)?|调整预算数?)"
    r"|(?P<generic>(?:部门整体支出|部门整体|整体支出|部门|单位|年度|本年|当年)?(?:支出)?预算(?:数|总额|总数|金额|资金|总计|合计)"
    r"|总预算(?:数|额)?)"
    r"|(?P<bare>(?:部门整体支出|部门整体|整体支出|支出|部门)?预算)")
_EXECUTED = re.compile(
    r"(?P<strong>(?:全年|全年度|年度|实际|累计|本年|当年|预算)?执行(?:数|金额|总额|资金|合计)"
    r"|(?:全年|全年度|年度|实际|本年|当年)?决算(?:支出)?(?:数|总额|金额)?"
    r"|实际(?:完成)?支出(?:数|总额|金额|资金)?|实际使用(?:资金|金额)?"
    r"|(?:全年|全年度|累计|共|共计|合计|总|已|实际已|本年|当年|年度)(?:完成|累计)?支出(?:数|总额|金额|资金)?"
    r"|支出(?:数|总额|合计|总计|金额))"
    r"|(?P<bare>(?:实际|全年|累计|共)?执行|支出)")
_RATE = re.compile(
    r"(?P<strong>完成(?:全年|年度|调整后)?预算(?:数)?的|占(?:全年|年度|调整后|年初)?预算(?:数)?的?(?:比例|比重)?"
    r"|为(?:全年|年度|调整后)?预算(?:数)?的|(?:预算|资金|支出|整体支出|部门整体支出|部门整体|全年)?执行率"
    r"|预算完成率|预算支出率)"
    r"|(?P<weak>(?:预算|资金)?支出(?:执行)?进度|执行进度)")
_SCORE = re.compile(
    r"(?P<strong>自评(?:结果|总得分|得分|总分|分数|综合得分|评分|分值)?|综合(?:评分|得分|评价得分|评定得分)"
    r"|(?:评价|绩效评价|最终|总|合计)得分|评分结果|评价结果|考核得分)"
    r"|(?P<bare>得分|评分|分数)")
_SUBITEM_BEFORE = re.compile(r"(?:基本|项目|人员|公用|三公|经费|其中|收入|预算|工资|专项)$")
#: In the sentence before a label: the figure is a project's or a part's, not the whole budget's.
#: ("项目支出" alone is the budget category beside 基本支出, not a project.)
_PROJECT_CLAUSE = re.compile(r"项目[”\"'」』】》)）](?:的)?(?:年初|全年|调整后|本年|当年)?(?:预算|资金|支出|执行|决算|经费)"
                             r"|项目(?:的)?(?:年初|全年|调整后|本年|当年)?(?:预算|资金|执行|决算|经费)"
                             r"|项目[”\"'」』】》)）]?[，,：:]|子项|专项资金")
_WHOLE_CLAUSE = re.compile(r"部门整体|整体支出|单位整体|基本支出和项目支出|基本支出、项目支出|项目支出和基本支出|"
                           r"含基本支出|包括基本支出")
_WHOLE_SCORE = re.compile(r"自评|整体|综合|总|绩效评价")
_RESPECTIVELY = "分别"
_CAP = re.compile(r"满分|分值|总分值|权重|满分为|共计\d*项")


def _declared_unit(text: str) -> str | None:
    """The unit a ``单位：万元`` line declares for the numbers written without one."""
    match = _DECLARED_UNIT.search(text)
    return match.group(1) if match else None


@dataclass
class _Found:
    value: Decimal
    position: int
    label: str
    klass: str
    subitem: bool


def _to_decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "").replace("，", ""))


def _money_at(text: str, match: re.Match, declared: str | None) -> tuple[Decimal | None, bool]:
    """The amount in 万元 of a number match; ``(None, True)`` when it has no unit at all."""
    unit = _MONEY_UNIT.match(text, match.end())
    if unit:
        return _to_decimal(match.group(1)) * _TO_WAN[unit.group(1)], False
    following = text[match.end():match.end() + 1]
    if following and ((following.isascii() and following.isalnum()) or following in _NOT_MONEY_AFTER):
        return None, False
    if declared:
        return _to_decimal(match.group(1)) * _TO_WAN[declared], False
    return None, True


def _other_labels(kind: str) -> list[re.Pattern]:
    return [p for k, p in (("budget", _BUDGET), ("executed", _EXECUTED), ("rate", _RATE), ("score", _SCORE))
            if k != kind]


def _scan(text: str, kind: str, notes: list[str], region: str = "text") -> list[_Found]:
    """Every statement of one figure in ``text``: a label, then (before the sentence ends) its value."""
    pattern = {"budget": _BUDGET, "executed": _EXECUTED, "rate": _RATE, "score": _SCORE}[kind]
    declared = _declared_unit(text)
    found: list[_Found] = []
    for label in pattern.finditer(text):
        klass = label.lastgroup
        before = text[max(0, label.start() - 4):label.start()]
        if kind in ("budget", "executed") and _SUBITEM_BEFORE.search(before):
            continue
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, label.start())), default=0)
        prefix = text[sentence_start:label.start()]
        clause = prefix[max((m.end() for m in re.finditer(r"[，,]", prefix)), default=0):]
        subitem = ((bool(_PROJECT_CLAUSE.search(text[sentence_start:label.end()])) or "其中" in clause)
                   and not _WHOLE_CLAUSE.search(prefix))
        if kind == "score" and klass == "bare":
            # a bare 得分 is an indicator's unless the sentence is about the whole evaluation
            subitem = "指标" in prefix or not (region == "conclusion" or _WHOLE_SCORE.search(prefix))
        end_match = _SENTENCE_END.search(text, label.end())
        window_end = min(end_match.start() if end_match else len(text), label.end() + 60)
        value = _value_after(text, label, window_end, kind, klass, declared, notes)
        if value is not None:
            found.append(_Found(value, label.start(), label.group(0), klass, subitem))
    return found


def _value_after(text, label, window_end, kind, klass, declared, notes) -> Decimal | None:
    for number in _NUMBER.finditer(text, label.end(), window_end):
        filler = text[label.end():number.start()]
        if _RESPECTIVELY in filler:
            return _respectively(text, label, number, window_end, kind, declared)
        if kind == "score" and _CAP.search(text[max(label.end(), number.start() - 6):number.start()]):
            continue                                              # 满分100分 is the cap, not the score
        if len(filler) > 16 or any(p.search(filler) for p in _other_labels(kind)):
            return None
        if kind == "score" and (_SCORE.search(filler) or "指标" in filler):
            return None                   # 经自评，投入指标得分18分…: the nearer label (or an indicator) owns it
        if klass == "bare" and not re.fullmatch(_VERBS, filler):
            return None
        if kind in ("budget", "executed"):
            in_label = re.search(r"[（(](亿元|万元|元)[)）]", filler)          # 全年预算数（万元）507.02
            value, unitless = _money_at(text, number, in_label.group(1) if in_label else declared)
            if unitless:
                notes.append(f"「{label.group(0)}{filler}{number.group(1)}」没有金额单位，未采用 / "
                             f"amount without a unit, not used")
            return value
        following = text[number.end():number.end() + 2].lstrip()
        if kind == "rate":
            return _to_decimal(number.group(1)) if following.startswith("%") else None
        if following.startswith("分") and not following.startswith("分之"):
            return _to_decimal(number.group(1))
        if klass == "strong" and re.match(r"(?:$|[，,。；;）)\s])", text[number.end():number.end() + 1]):
            return _to_decimal(number.group(1))                   # 自评得分：93。
        return None
    return None


def _respectively(text, label, first_number, window_end, kind, declared) -> Decimal | None:
    """``全年预算数、执行数分别为 507.02万元、500.00万元``: the n-th label takes the n-th value."""
    clause_start = max((m.end() for m in re.finditer(r"[。；;！？!?\n，,：:]", text[:label.start()])), default=0)
    head = text[clause_start:text.index(_RESPECTIVELY, label.end())]
    labels = []
    for k, p in (("budget", _BUDGET), ("executed", _EXECUTED), ("rate", _RATE), ("score", _SCORE)):
        for m in p.finditer(head):
            if not any(s <= m.start() < e for s, e, _ in labels):
                labels.append((m.start(), m.end(), k))
    labels.sort()
    mine = [i for i, (start, _, k) in enumerate(labels) if k == kind and start == label.start() - clause_start]
    if not mine:
        return None
    numbers = list(_NUMBER.finditer(text, first_number.start(), window_end))
    if len(numbers) < len(labels):
        return None
    number = numbers[mine[0]]
    if kind in ("budget", "executed"):
        value, _ = _money_at(text, number, declared)
        if value is None:  # 507.02、500.00万元: the unit written once, after the last value
            unit = _MONEY_UNIT.match(text, numbers[len(labels) - 1].end())
            value = _to_decimal(number.group(1)) * _TO_WAN[unit.group(1)] if unit else None
        return value
    return _to_decimal(number.group(1))


def _pick(regions: list[tuple[str, str]], kind: str, classes: list[str], notes: list[str],
          what: str, noted: tuple[str, ...] | None = None) -> Decimal | None:
    """The first statement in the first region that has one, by class; a note when statements differ."""
    chosen: _Found | None = None
    everything: list[_Found] = []
    parts: list[_Found] = []
    for name, text in regions:
        scanned = _scan(text, kind, notes if name == "text" else [], name)
        parts.extend(f for f in scanned if f.subitem)
        found = [f for f in scanned if not f.subitem]
        everything.extend(found)
        if chosen is None:
            for klass in classes:
                of_class = [f for f in found if f.klass == klass]
                if of_class:
                    chosen = of_class[0]
                    break
    if chosen is None:
        if parts and kind != "score":
            notes.append(f"只找到项目或其中一部分的{what}（{parts[0].label} {_plain(parts[0].value)}），未采用 / "
                         f"only a project's or a part's {kind} figure is stated, not used")
        return None
    distinct = {}
    for f in everything:
        if f.klass in (noted or classes):
            distinct.setdefault(_plain(f.value), f.label)
    if len(distinct) > 1:
        listed = "、".join(f"{label} {value}" for value, label in distinct.items())
        notes.append(f"{what}有多个不同的数：{listed}；采用 {_plain(chosen.value)}（{chosen.label}） / "
                     f"several different {kind} figures stated, used {_plain(chosen.value)}")
    return chosen.value


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


_HEADER_UNIT = re.compile(r"[（(](亿元|万元|元|%)[)）]$")
_CELL = re.compile(rf"({_NUM})(%|亿元|万元|元)?")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|部门整体|整体|全部|本部门|本单位|部门|单位)")


def _table_figures(lines: list[str], declared: str | None) -> dict[str, tuple[Decimal, str]]:
    """Figures from a table in the text: a header row of labels, then a row of numbers.

    ``项目 年初预算数 全年预算数 全年执行数 执行率`` / ``合计 480.00 507.02 507.02 100%`` gives the
    budget (全年 over 年初), executed and rate; amounts need a unit (cell, header ``（万元）`` or a
    ``单位：万元`` line). The 合计 row wins over the first row.
    """
    kinds = {"budget": _BUDGET, "executed": _EXECUTED, "rate": _RATE, "score": _SCORE}
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
            value = _to_decimal(cell_match.group(1))
            written = cell_match.group(2) or unit
            if kind in ("budget", "executed"):
                written = written or declared
                if written not in _TO_WAN:
                    continue
                value *= _TO_WAN[written]
            if kind == "budget" and "budget" in found and rank.get(klass, 9) >= found["budget"][2]:
                continue
            if kind not in found or kind == "budget":
                found[kind] = (value, label, rank.get(klass, 9))
        if found:
            return {k: (v[0], v[1]) for k, v in found.items()}
    return {}


# ---------------------------------------------------------------------------------------------
# Grade, unit, year

_GRADE_WORDS = "不合格|不及格|优秀|良好|中等|合格|及格|较差|优|良|中|差"
_GRADE_MAP = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
              "及格": "中", "差": "差", "较差": "差", "不合格": "差", "不及格": "差"}
_OPEN, _CLOSE = "“\"'‘「『【《", "”\"'’」』】》"
_AFTER_GRADE = rf"(?![{_CJK}])|(?=等级|等次|级|档)"
_GRADE_RES = [
    re.compile(rf"(?:等级|等次|级别|评级|档次|评价结果|自评结果|评定结果|考核结果|评价为|评定为|评为)\s*(?:评定)?\s*"
               rf"(?:为|是|属于|达到|定为|评定为|:|：)?\s*[{_OPEN}]?({_GRADE_WORDS})[{_CLOSE}]?(?:{_AFTER_GRADE})"),
    re.compile(rf"(?:达到|为|评为|评定为|定为|属于|获得|被评为|结果为|等级为)\s*[{_OPEN}]({_GRADE_WORDS})[{_CLOSE}]"),
    re.compile(rf"[{_OPEN}]({_GRADE_WORDS})[{_CLOSE}]\s*(?:等级|等次|级|档)"),
    re.compile(rf"(?:为|达到|达|是|定为|属于|评为)({_GRADE_WORDS})\s*(?:等级|等次|级|档)"),
    re.compile(rf"\d分\s*[（(]({_GRADE_WORDS})[)）]"),                         # 98分（优）
    re.compile(rf"[√☑✓✔■▣]\s*({_GRADE_WORDS})(?![{_CJK}])"),                  # 自评等级：√优 □良 □中 □差
]
#: Outside the conclusion section, a grade in a sentence about an award or an appraisal is not the self-evaluation's.
_AWARD = re.compile(r"考核|荣获|获评|获得|表彰|评选|被评为|授予|评比")


def _sentence(text: str, at: int) -> str:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    end = _SENTENCE_END.search(text, at)
    return text[start:end.start() if end else len(text)]


def _grade(regions: list[tuple[str, str]], notes: list[str]) -> str | None:
    for name, text in regions:
        hits = sorted((m.start(1), m.group(1)) for pattern in _GRADE_RES for m in pattern.finditer(text)
                      if name == "conclusion" or not _AWARD.search(_sentence(text, m.start(1))))
        if not hits:
            continue
        word = hits[0][1]
        grade = _GRADE_MAP[word]
        if word != grade:
            notes.append(f"等级写作「{word}」，记为「{grade}」 / grade stated as {word}, recorded as {grade}")
        others = {_GRADE_MAP[w] for _, w in hits} - {grade}
        if others:
            notes.append(f"文中还有其他等级：{'、'.join(sorted(others))}；采用第一个「{grade}」 / "
                         f"other grades also stated, used the first")
        return grade
    return None


_TITLE_CUT = re.compile(r"关于|(?:的)?(?:部门|单位)?(?:整体)?支出(?:绩效|情况)|(?:的)?(?:部门|单位)?整体支出|"
                        r"(?:的)?(?:部门|单位)?(?:整体)?绩效|自评|自我评价|(?:的)?(?:部门|单位)(?:整体)?(?:支出)?评价")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(度)?")
_UNIT_SUFFIX = (r"(?:联合会|委员会|管理局|局|办公室|中心|研究院|院|馆|所|站|队|处|办|委|会|厅|部|团|社|学校|学院|医院|"
                r"公司|政府|街道办事处|法院|检察院|协会|联社)")


def _parse_title(title: str) -> tuple[str | None, int | None]:
    title = re.sub(r"\s", "", title)
    year_match = _YEAR.search(title)
    year = int(year_match.group(1)) if year_match else None
    rest = title[:year_match.start()] + title[year_match.end():] if year_match else title
    rest = re.sub(r"^关于", "", rest)
    cut = _TITLE_CUT.search(rest)
    unit = rest[:cut.start()] if cut else ""
    unit = unit.strip("的，,：:、 ")
    unit = re.sub(r"[（(]盖章[）)]$", "", unit)
    if not (2 <= len(unit) <= 40) or re.search(r"\d|[。，；]", unit) or not re.search(f"[{_CJK}]", unit):
        unit = None
    elif len(unit) < 4 and not re.search(f"{_UNIT_SUFFIX}$", unit):
        unit = None                                     # "财政部门整体支出…": 财政 is not a unit's name
    return unit, year


def _title(lines: list[str]) -> str | None:
    def title_like(line: str) -> bool:
        return (len(line) <= 45 and not re.search(r"[。，；,;]", line) and not _is_page_mark(line)
                and not re.match(r"附件|附表", line) and not re.search(r"[〔\[]\d{4}[〕\]]|号$", line))

    for i, line in enumerate(lines[:20]):
        if not (re.search(r"报告$|报告[)）]?$", line) or (re.search(r"自评|自我评价|绩效评价", line) and "报告" in line)):
            continue
        if not title_like(line):
            continue
        title = line
        j = i
        while j > 0 and i - j < 3 and title_like(lines[j - 1]) and (
                _parse_title(title)[0] is None                          # 整体支出绩效自评报告 alone
                or (re.search(r"[省市区县镇乡]$", lines[j - 1]) and not _YEAR.search(lines[j - 1])
                    and not re.match(r"\d|关于", title))):             # 广州市海珠区 / 妇女联合会2022年度…
            j -= 1
            title = lines[j] + title
        if re.search(r"自评|自我评价|绩效|评价", title):
            return title
    return None


def _unit_from_text(text: str, lines: list[str]) -> str | None:
    named = re.search(r"(?:(?:部门（单位）|部门\(单位\)|部门|单位)名称|填报单位|项目单位|预算单位)\s*[:：]\s*"
                      r"([^\s，,。；;：:]{2,40})", "\n".join(lines))
    if named:
        return named.group(1)
    match = re.search(rf"(?:^|\n|[一二三四五六七八九十][、.]|[)）])(?:基本情况|部门概况|单位概况|部门基本情况|单位基本情况)?"
                      rf"[:：]?(?:[（(][一二三四五六七八九十][)）])?(?:部门概况|单位概况|基本情况|部门基本情况|单位基本情况)?"
                      rf"(?:我单位|本单位|我局|本局|我部门|本部门)?([{_CJK}（）()]{{2,40}}?{_UNIT_SUFFIX})"
                      rf"(?=[，,（(是为于成内设主系（])", text[:1500])
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------
# The extraction

def extract_text(text: str, file: str = "", pages: list[str] | None = None) -> Extracted:
    """Read the headline figures and the sections out of one report's text.

    Parameters
    ----------
    text : str
        The whole report (lines broken anywhere, page marks, full-width characters all fine).
    file : str, optional
        Kept in :attr:`Extracted.file` and shown in the notes.
    pages : list of str, optional
        The text of each page when known (as from a PDF): bare page numbers at page edges go too.

    Returns
    -------
    Extracted
        ``None`` for every figure the text does not state.

    Examples
    --------
    >>> ex = extract_text("关于示例局2021年度部门整体支出绩效自评的报告\\n"
    ...                   "年初预算数100万元，调整后预算数 1,200,000.00 元，实际支出 118 万元。")
    >>> ex.unit, ex.year, ex.budget_wan, ex.executed_wan, ex.execution_rate_pct
    ('示例局', 2021, 120.0, 118.0, None)
    >>> print(ex.notes[0].split(" / ")[0])
    预算数有多个不同的数：年初预算数 100、调整后预算数 120；采用 120（调整后预算数）
    """
    ex = Extracted(file=file)
    notes = ex.notes
    lines = clean_lines(text, pages)
    flat, headings = _headings(lines)
    if not any(h.level <= 1 for h in headings):
        headings = sorted(headings + [h for h in _inline_headings(flat)
                                      if not any(abs(h.start - g.start) < 3 for g in headings)],
                          key=lambda h: h.start)
    ex.sections = _sections(flat, headings, notes)
    if "(cid:" in flat:
        notes.append("PDF 文字含 (cid:…) 乱码：字体没有 Unicode 映射，部分数字可能读不到 / the PDF's font has no "
                     "Unicode map, some text is unreadable")

    title = _title(lines)
    unit, year = _parse_title(title) if title else (None, None)
    if unit is None and not title:
        unit, year_head = _parse_title(flat[:80]) if _TITLE_CUT.search(flat[:80]) else (None, None)
        year = year or year_head
    if unit is None:
        unit = _unit_from_text(flat, lines)
        if unit:
            notes.append(f"单位名称取自正文「{unit}」（标题中没有） / unit name taken from the text, not the title")
    if year is None:
        year_match = next((m for m in _YEAR.finditer(flat) if m.group(2)), None) or _YEAR.search(flat)
        if year_match:
            year = int(year_match.group(1))
            notes.append(f"年度取自正文第一次出现的「{year_match.group(0)}」 / year taken from its first mention")
    ex.unit, ex.year = unit, year

    finance_regions = [("finance", ex.sections["finance"]), ("text", flat)]
    score_regions = [("conclusion", ex.sections["conclusion"]), ("text", flat)]
    budget = _pick(finance_regions, "budget", ["final", "generic", "bare", "initial"], notes, "预算数")
    if budget is not None:
        stated = [f for _, region in finance_regions for f in _scan(region, "budget", []) if not f.subitem]
        if stated and all(f.klass == "initial" for f in stated):
            notes.append("只写了年初预算数，预算数取年初数 / only the 年初 budget is stated; it is used")
    executed = _pick(finance_regions, "executed", ["strong", "bare"], notes, "执行数", ("strong",))
    rate = _pick(finance_regions, "rate", ["strong", "weak"], notes, "执行率", ("strong",))
    score = _pick(score_regions, "score", ["strong", "bare"], notes, "自评得分", ("strong",))
    if score is not None and not (0 <= score <= 100):
        notes.append(f"自评得分 {_plain(score)} 不在 0–100 之间，未采用 / score outside 0–100, not used")
        score = None
    table = _table_figures(_page_lines(text, pages), _declared_unit(flat))
    figures = {"budget": budget, "executed": executed, "rate": rate, "score": score}
    for kind, (value, label) in table.items():
        if figures[kind] is None:
            figures[kind] = value
            notes.append(f"「{label}」{_plain(value)} 取自文中表格 / read from a table in the text")
        elif figures[kind] != value:
            notes.append(f"表格中「{label}」为 {_plain(value)}，与正文 {_plain(figures[kind])} 不同；采用正文 / "
                         f"the table differs from the prose, used the prose")
    budget, executed, rate, score = figures["budget"], figures["executed"], figures["rate"], figures["score"]
    ex.budget_wan, ex.executed_wan = _as_float(budget), _as_float(executed)
    ex.execution_rate_pct, ex.self_score = _as_float(rate), _as_float(score)
    ex.grade = _grade(score_regions, notes)
    if budget and executed is not None and rate is not None:
        computed = executed / budget * 100
        if abs(computed - rate) > Decimal("0.15"):
            notes.append(f"所写执行率 {_plain(rate)}% 与 执行数/预算数 = {computed:.2f}% 不符 / stated rate "
                         f"differs from executed/budget")
    ex.notes = list(dict.fromkeys(notes))
    return ex


def read_report_text(path: str | Path) -> tuple[str, list[str] | None]:
    """The text of a .txt (UTF-8, UTF-8 with BOM, GBK/GB18030) or .pdf report, and its pages (PDF).

    Raises
    ------
    perfeval_lib.core.errors.InputError
        When the file is missing, of another type, undecodable, or a PDF without a text layer.

    Examples
    --------
    >>> read_report_text("reports/2022.pdf")                          # doctest: +SKIP
    """

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(name, message="文件不存在 / file not found")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text, _ = decode_csv_bytes(path.read_bytes(), name)
        return text, None
    if suffix != ".pdf":
        raise InputError(name, message=f"不支持的文件类型 {suffix or '（无后缀）'} / unsupported file type",
                         expected=".txt 或 .pdf / a .txt or .pdf file")
    try:
        import pdfplumber
    except ImportError as error:  # pragma: no cover - pdfplumber is a pinned requirement
        raise InputError(name, message="未安装 pdfplumber，无法读取 PDF / pdfplumber is not installed") from error
    try:
        with pdfplumber.open(path) as pdf:
            # dedupe_chars: "bold" CJK is often printed twice, one glyph on top of the other
            pages = [page.dedupe_chars().extract_text() or "" for page in pdf.pages]
    except Exception as error:  # pdfminer raises many types for broken, encrypted or non-PDF files
        raise InputError(name, message=f"PDF 无法读取 / unreadable PDF ({type(error).__name__}: {error})") from error
    if not "".join(pages).strip():
        raise InputError(name, message="PDF 没有文字层（可能是扫描件，需先 OCR） / the PDF has no text layer "
                                       "(a scan? run OCR first)")
    return "\n".join(pages), pages


def extract_file(path: str | Path) -> Extracted:
    """:func:`extract_text` of one .txt or .pdf file; an unreadable file gives ``error`` and a note.

    Examples
    --------
    >>> extract_file("no/such/report.txt").error
    'no/such/report.txt: 文件不存在 / file not found'
    """

    name = str(path)
    try:
        text, pages = read_report_text(path)
    except (PerfevalError, OSError) as error:
        message = str(error) if isinstance(error, PerfevalError) else f"{name}: {error}"
        return Extracted(file=name, notes=[message], error=message)
    try:
        return extract_text(text, file=name, pages=pages)
    except Exception as error:  # a bug: one odd report must not stop a batch, but it is reported as one
        message = (f"{name}: 内部错误，请报告 / internal error, please report ({type(error).__name__}: {error})")
        return Extracted(file=name, notes=[message], error=message)


def report_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into their .txt/.pdf files (sorted); return the files and the problems.

    >>> report_files(["no/such/report.txt"])
    ([PosixPath('no/such/report.txt')], [])
    """
    files: list[Path] = []
    problems: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES),
                            key=lambda p: p.name)
            if not inside:
                problems.append(f"{path}: 文件夹中没有 .txt 或 .pdf 文件 / no .txt or .pdf file in this folder")
            files.extend(inside)
        else:
            files.append(path)  # a missing file becomes a row with the error, like any unreadable file
    return files, problems


def extract_all(paths: Iterable[str | Path]) -> tuple[list[Extracted], list[str]]:
    """:func:`extract_file` of every file (folders expanded); the results and every problem.

    A problem is a file that could not be read (its result has ``error`` set) or a folder with no
    report in it.

    >>> results, problems = extract_all(["no/such/report.txt"])
    >>> results[0].row()["unit"] is None, len(problems)
    (True, 1)
    """
    files, problems = report_files(paths)
    results = [extract_file(path) for path in files]
    problems.extend(r.error for r in results if r.error)
    return results, problems


def to_frame(results: Iterable[Extracted]) -> pd.DataFrame:
    """One row per result with exactly :data:`COLUMNS` (year ``Int64``, figures ``float64``)."""
    frame = pd.DataFrame([r.row() for r in results], columns=COLUMNS)
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    for column in ("budget_wan", "executed_wan", "execution_rate_pct", "self_score"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("file", "unit", "grade"):
        frame[column] = frame[column].astype("str")
    return frame


def extract_files(paths: Iterable[str | Path]) -> pd.DataFrame:
    """One row per report file (folders give every .txt/.pdf inside, sorted), :data:`COLUMNS` only.

    Never raises for a bad file: its row has only ``file``. ``frame.attrs["problems"]`` lists what
    could not be read and ``frame.attrs["notes"]`` maps each file to its notes.

    Examples
    --------
    >>> frame = extract_files(["no/such/report.txt"])
    >>> list(frame.columns) == COLUMNS, frame.attrs["problems"]
    (True, ['no/such/report.txt: 文件不存在 / file not found'])
    """
    results, problems = extract_all(paths)
    frame = to_frame(results)
    frame.attrs["problems"] = problems
    frame.attrs["notes"] = {r.file: list(r.notes) for r in results if r.notes}
    return frame


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the table as UTF-8 with BOM (Excel opens it correctly), atomically.

    >>> write_csv(extract_files(["a.txt"]), "out/extracted.csv")        # doctest: +SKIP
    PosixPath('out/extracted.csv')
    """

    target = Path(path)
    with atomic_path(target) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig")
    return target


# ---------------------------------------------------------------------------------------------
# Command line: perfeval extract FILE_OR_DIR... [-o out.csv]

"""Numbered headings (一、 （一） 1.) and the four sections the extraction reads.

The lines are joined back into one flat text (a broken line glued onto the one before, a heading
always starting a new line); the numbered headings found on the way mark the sections. Text without
line breaks falls back to headings after a sentence end. The sections are 部门整体收支情况
(``finance``), 自评结论 (``conclusion``), 存在的主要问题 (``problems``) and 下一步改进措施
(``measures``), each found by the words of its heading.

Examples
--------
>>> flat, sections = find_sections(["一、收支情况", "全年预算数120", "万元。", "二、自评结论", "得分92分。"], [])
>>> sections["finance"], sections["conclusion"], sections["problems"]
('全年预算数120万元。', '得分92分。', '')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import is_table_line
from .text import join_pair

#: Section keys of :attr:`perfeval_lib.extract.Extracted.sections` (always present; ``""`` when the
#: report has none).
SECTION_KEYS = ("finance", "conclusion", "problems", "measures")

_NUMERALS = "一二三四五六七八九十"

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
        table = is_table_line(line)
        joined = text + "\n" + line if text and (block_end or heading or table) else join_pair(text, line)
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


def find_sections(lines: list[str], notes: list[str]) -> tuple[str, dict[str, str]]:
    """The flat text of the report and its sections.

    Parameters
    ----------
    lines : list of str
        The report's clean lines (:func:`perfeval_lib.extract.text.clean_lines`).
    notes : list of str
        Appended to when a section is ambiguous (problems and measures under one heading).

    Returns
    -------
    flat : str
        The lines joined: a broken line glued onto the one before (see
        :func:`perfeval_lib.extract.text.join_pair`),
        each heading, table line and the title on a line of its own.
    sections : dict of str
        ``finance``, ``conclusion``, ``problems``, ``measures`` (:data:`SECTION_KEYS`): the body text
        under the heading, ``""`` when the report has no such section.

    Examples
    --------
    >>> notes = []
    >>> flat, sections = find_sections(["三、存在的问题及改进措施", "宣传不够。"], notes)
    >>> sections["problems"] == sections["measures"] == "宣传不够。", len(notes)
    (True, 1)
    """
    flat, headings = _headings(lines)
    if not any(h.level <= 1 for h in headings):
        headings = sorted(headings + [h for h in _inline_headings(flat)
                                      if not any(abs(h.start - g.start) < 3 for g in headings)],
                          key=lambda h: h.start)
    return flat, _sections(flat, headings, notes)

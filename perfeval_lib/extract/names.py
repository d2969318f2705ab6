"""The words a report states: the unit and the year (from the title) and the self-assessed grade.

The title (``关于××局2022年度部门整体支出绩效自评的报告``, possibly over two or three lines) gives
the unit and the year; without a title, the unit comes from a ``单位名称：`` field or the first
sentence about the unit, and the year from its first mention, each with a note. The grade is the
first one stated after 等级/评价结果/… (or ticked ``√优``), preferring the 自评结论 section; outside
it, grades in sentences about awards are not the self-evaluation's. A grade is never derived from
the score.

Examples
--------
>>> notes = []
>>> stated_unit_and_year(["关于示例局2021年度部门整体支出", "绩效自评的报告"], "", notes), notes
(('示例局', 2021), [])
>>> stated_grade([("text", "荣获优秀单位称号。自评等级为良好。")], notes), len(notes)
('良', 1)
"""
from __future__ import annotations

import re

from .figures import SENTENCE_END
from .text import CJK, is_page_mark

_GRADE_WORDS = "不合格|不及格|优秀|良好|中等|合格|及格|较差|优|良|中|差"
_GRADE_MAP = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
              "及格": "中", "差": "差", "较差": "差", "不合格": "差", "不及格": "差"}
_OPEN, _CLOSE = "“\"'‘「『【《", "”\"'’」』】》"
_AFTER_GRADE = rf"(?![{CJK}])|(?=等级|等次|级|档)"
_GRADE_RES = [
    re.compile(rf"(?:等级|等次|级别|评级|档次|评价结果|自评结果|评定结果|考核结果|评价为|评定为|评为)\s*(?:评定)?\s*"
               rf"(?:为|是|属于|达到|定为|评定为|:|：)?\s*[{_OPEN}]?({_GRADE_WORDS})[{_CLOSE}]?(?:{_AFTER_GRADE})"),
    re.compile(rf"(?:达到|为|评为|评定为|定为|属于|获得|被评为|结果为|等级为)\s*[{_OPEN}]({_GRADE_WORDS})[{_CLOSE}]"),
    re.compile(rf"[{_OPEN}]({_GRADE_WORDS})[{_CLOSE}]\s*(?:等级|等次|级|档)"),
    re.compile(rf"(?:为|达到|达|是|定为|属于|评为)({_GRADE_WORDS})\s*(?:等级|等次|级|档)"),
    re.compile(rf"\d分\s*[（(]({_GRADE_WORDS})[)）]"),                         # 98分（优）
    re.compile(rf"[√☑✓✔■▣]\s*({_GRADE_WORDS})(?![{CJK}])"),                  # 自评等级：√优 □良 □中 □差
]
#: Outside the conclusion section, a grade in a sentence about an award or an appraisal is not the self-evaluation's.
_AWARD = re.compile(r"考核|荣获|获评|获得|表彰|评选|被评为|授予|评比")


def _sentence(text: str, at: int) -> str:
    start = max((m.end() for m in SENTENCE_END.finditer(text, 0, at)), default=0)
    end = SENTENCE_END.search(text, at)
    return text[start:end.start() if end else len(text)]


def stated_grade(regions: list[tuple[str, str]], notes: list[str]) -> str | None:
    """The self-assessed grade as stated, one of 优 / 良 / 中 / 差.

    优秀 → 优, 良好 → 良, 中等/合格/及格 → 中, 较差/不合格/不及格 → 差, with a note. The first
    region that states a grade is used, and in it the first grade stated (another one becomes a note).

    Parameters
    ----------
    regions : list of (str, str)
        ``(name, text)`` pairs in order of preference; in a region named ``"conclusion"`` a grade in a
        sentence about an award or an appraisal (荣获, 考核, 被评为 …) counts too.
    notes : list of str
        Appended to when the grade is written another way or several grades are stated.

    Returns
    -------
    str or None
        ``None`` when no region states a grade.

    Examples
    --------
    >>> stated_grade([("conclusion", ""), ("text", "自评得分92分，等级为“优”。")], [])
    '优'
    >>> stated_grade([("text", "自评得分92分。")], []) is None
    True
    """
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
    if not (2 <= len(unit) <= 40) or re.search(r"\d|[。，；]", unit) or not re.search(f"[{CJK}]", unit):
        unit = None
    elif len(unit) < 4 and not re.search(f"{_UNIT_SUFFIX}$", unit):
        unit = None                                     # "财政部门整体支出…": 财政 is not a unit's name
    return unit, year


def _title(lines: list[str]) -> str | None:
    def title_like(line: str) -> bool:
        return (len(line) <= 45 and not re.search(r"[。，；,;]", line) and not is_page_mark(line)
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
                      rf"(?:我单位|本单位|我局|本局|我部门|本部门)?([{CJK}（）()]{{2,40}}?{_UNIT_SUFFIX})"
                      rf"(?=[，,（(是为于成内设主系（])", text[:1500])
    return match.group(1) if match else None


def stated_unit_and_year(lines: list[str], flat: str, notes: list[str]) -> tuple[str | None, int | None]:
    """The unit and the year of the report: from its title, else from the text (with a note).

    Parameters
    ----------
    lines : list of str
        The report's clean lines (:func:`perfeval_lib.extract.text.clean_lines`); the title is
        looked for in the first 20.
    flat : str
        The report as one text (:func:`perfeval_lib.extract.sections.find_sections`).
    notes : list of str
        Appended to when the unit or the year is not taken from the title.

    Returns
    -------
    unit : str or None
        The unit's name as written (``None`` when neither the title nor the text gives one).
    year : int or None
        The budget year (``2022`` for 2022年度).

    Examples
    --------
    >>> notes = []
    >>> lines = ["绩效自评报告", "单位名称：示例县测试馆", "2022年度全年预算数…"]
    >>> stated_unit_and_year(lines, "\\n".join(lines), notes)
    ('示例县测试馆', 2022)
    >>> len(notes)
    2
    """
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
    return unit, year

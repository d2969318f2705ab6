"""The words a report states: the unit and the year (from the title) and the self-assessed grade.

The title (``关于××局2022年度部门整体支出绩效自评的报告``, possibly over two or three lines) gives
the unit and the year (a title naming a project or a fund names no unit, unless a name from a place
begins it); without a title, the unit comes from a ``单位名称：`` field or the first sentence about the
unit (``××局是…``, ``××局（以下简称…）``), and the year from its first mention, each with a note. A short
name gets the full name another line states (``自治区文化和旅游厅`` → ``广西壮族自治区文化和旅游厅``). The grade is the
first one stated after 等级/评价结果/… (or ticked ``√优``), preferring the 自评结论 section; outside
it, grades in sentences about awards are not the self-evaluation's. A grade is never derived from
the score.

Examples
--------
>>> notes = []
>>> stated_unit_and_year(["关于示例县测试局2021年度部门整体支出", "绩效自评的报告"], "", notes), notes
(('示例县测试局', 2021), [])
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
                      if (name == "conclusion" or not _AWARD.search(_sentence(text, m.start(1))))
                      and not _GRADE_LIST.match(text, m.end(1)))
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


#: A grade word followed by the other grades or by its score band is template text: 优（90-100分）、良…
_GRADE_LIST = re.compile(r"[”\"」』]?\s*(?:[、,，/和及]\s*[“\"「『]?(?:良|中|差|合格|较好|一般)|[(（:：]?\s*(?:\d{2}\s*[-—~～至]|≥|>=))")

_TITLE_WORDS = re.compile(r"自评|自我评价|绩效评价|绩效报告|评价报告|绩效自评")
_TITLE_END = re.compile(r"(?:报告|自评表|评价表|评分表|自评公开|评价公开)(?:[(（][^()（）]{0,30}[)）])?")
_TITLE_CUT = re.compile(r"关于|(?:的)?(?:部门|单位|机关)?(?:[(（]单位[)）])?(?:整体)?(?:和|及)?(?:项目)?支出(?:绩效|情况|及)|"
                        r"(?:的)?(?:部门|单位|机关)(?:[(（]单位[)）])?整体|(?:的)?(?:部门|单位|机关)?(?:整体)?绩效|自评|"
                        r"自我评价|(?:的)?(?:部门|单位)(?:整体)?(?:支出)?评价|(?:财政)?项目(?:支出)?(?:绩效|自评)|"
                        r"专项资金|预算资金")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(度)?")
#: A unit's name that starts from a place (示例县…, 广西壮族自治区…, 中共…): more than a project's words.
_PLACE_NAMED = re.compile(r"^(?:中共|中国|国家|省|市|县|区|州|自治区|自治州)|"
                          r"^[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|州|盟|旗|镇|乡|自治区|街道)(?!$)")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年度|年|(?=绩效|部门|整体|项目|预算))")
_DATE = re.compile(r"\s*(?:\d{1,2}\s*月|[-/.]\s*\d{1,2})")
_YEAR_LABEL = re.compile(r"(?:评价年度|预算年度|所属年度|评价年份|年度)\s*[:：]\s*((?:19|20)\d{2})(?!\d)")
_DATE_LABEL = re.compile(r"(?:日期|时间|发布|印发|成文)\s*[:：]?\s*$")
_UNIT_SUFFIX = (r"(?:联合会|委员会|管理局|人民政府|街道办事处|办事处|政府|局|办公室|中心|研究院|院|馆|所|站|队|处|办|委|会|厅|部|团|"
                r"社|学校|中学校|小学校|中学|小学|幼儿园|学院|医院|公司|法院|检察院|协会|联社|集团)")
_SUFFIX_END = re.compile(f"{_UNIT_SUFFIX}")
#: A suffix character followed by these is inside a word, not the end of a name: 部门, 会议, 处室 …
_NOT_AN_END = ("部门", "部分", "会议", "处室", "处理", "所属", "所在", "所有", "站点", "队伍", "社会", "团体", "委员",
               "局长", "办理", "办法", "馆藏", "院区", "会计", "会同", "社区", "中心城")
_TEMPLATE_NAME = re.compile(r"部门[(（]单位[)）]|^\*+$|^[×xX*]+")
_UNIT_LABEL = re.compile(
    r"(?P<own>部门[(（]单位[)）]名称|单位名称|部门名称|填报单位|评价单位|预算单位|预算部门(?:单位)?|单位[(（]盖章[)）])"
    r"|(?P<doer>项目实施单位|实施单位|项目单位)"
    r"|(?P<parent>项目主管部门|主管部门|主管单位)")
_LABEL_VALUE = re.compile(r"(?:及代码)?\s*(?:[(（](?:盖章|公章)[)）])?\s*[|:：]?\s*[|:：]?\s*(?:\d{2,}\s*[-－—]\s*)?"
                          rf"([{CJK}（）()]{{2,60}})")
_LABEL_WORD = re.compile(r"^(?:单位|部门|名称|主管|实施|项目|预算|填报|评价|金额|资金|年度|联系|负责)")
_REGION_END = re.compile(r"[省市区县州盟旗镇乡]$")


def unit_in(text: str) -> str | None:
    """The unit's name at the start of ``text``: its longest beginning that ends like a unit's name.

    The unit over the project or the sub-body after it: ``天长市水利局水旱灾害防御股`` →
    ``天长市水利局``. A name needs at least four characters, no digits, and cannot be a template's
    placeholder (``部门（单位）``, ``****``).

    Parameters
    ----------
    text : str
        Text that starts with a name (a title's beginning, a label's value).

    Returns
    -------
    str or None

    Examples
    --------
    >>> unit_in("天长市水利局水旱灾害防御股"), unit_in("大英县司法局部门"), unit_in("雨花区")
    ('天长市水利局', '大英县司法局', None)
    """
    text = re.sub(r"\s", "", text)
    if _TEMPLATE_NAME.search(text[:8]):
        return None
    run = re.match(rf"[{CJK}（）()]+", text)
    if not run:
        return None
    run_text = run.group(0)
    best = None
    for match in _SUFFIX_END.finditer(run_text):
        if run_text[match.end() - 1:match.end() + 1] in _NOT_AN_END:
            continue
        if match.end() >= 4:
            best = run_text[:match.end()]
    if best and best.count("(") + best.count("（") != best.count(")") + best.count("）"):
        best = re.sub(r"[(（][^()（）]*$", "", best) or None
    if best and re.match(r"[我现对为该此其各由在从按据]|本(?:单位|部门|局|中心|委|院|校|级)|根据|关于|通过|经过", best):
        return None                                   # 现将我局…, 本单位…: words of a sentence, not a name
    return best if best and len(best) >= 4 and not re.fullmatch(r"[省市区县镇乡州旗]+", best) else None


def _clean_title(title: str) -> str:
    title = re.sub(r"\s", "", title)
    title = re.sub(r"^(?:\d{1,2}[、.]|附件\d*[:：]?|[《〈]|关于)+", "", title)
    return re.sub(r"(?:\.(?:pdf|docx?|wps|txt))?[》〉]?$", "", title, flags=re.IGNORECASE)


def parse_title(title: str) -> tuple[str | None, int | None]:
    """The unit and the year a report's title names.

    The unit is read before the year when the title starts with it (``××局2022年度部门整体支出
    绩效自评报告``), else after it (``2021年度××委员会部门整体支出绩效自评表``), up to the title's
    words, and only when it ends like a unit's name (a region alone, a project alone give ``None``).

    Parameters
    ----------
    title : str
        One title (attachment marks, 《》, ``.pdf`` / ``.docx`` allowed).

    Returns
    -------
    unit : str or None
    year : int or None

    Examples
    --------
    >>> parse_title("附件3:2021年度示例区测试委员会部门整体支出绩效自评表.pdf")
    ('示例区测试委员会', 2021)
    >>> parse_title("示例县2020年度大中型水库移民后期扶持资金项目绩效评价报告")
    (None, 2020)
    """
    title = _clean_title(title)
    year_match = _TITLE_YEAR.search(title)
    year = int(year_match.group(1)) if year_match else None
    if year_match:
        before, after = title[:year_match.start()], title[year_match.end():]
        if before:
            unit = _title_unit(before) if not _TITLE_CUT.match(before) else None
            return unit, year
        cut = _TITLE_CUT.search(after)
        return (_title_unit(after[:cut.start()]) if cut else None), year
    cut = _TITLE_CUT.search(title)
    return (_title_unit(title[:cut.start()]) if cut else None), None


def _title_unit(named: str) -> str | None:
    """The unit at the start of what a title names before its words (项目, 资金, 部门整体 …).

    When a title names more than a unit (a project, a fund: ``健全现代医院管理制度项目绩效自评报告``,
    ``公立医院综合改革补助资金绩效自评报告``), its first words are the project's: only a name that is the
    whole of what is named, or that starts with a place and ends where a unit's name can end only once
    (``示例县测试局测试股项目…``), is a unit.
    """
    named = re.sub(r"(?:关于|的|对)$", "", re.sub(r"\s", "", named))
    unit = unit_in(named)
    if unit and unit != named:
        shorter = [end for end in range(4, len(unit)) if unit_in(unit[:end]) == unit[:end]]
        if not _PLACE_NAMED.search(unit) or shorter:
            return None                   # 示例县卫健委健全现代医院管理制度项目: where the unit ends is a guess
    return unit


def _titles(lines: list[str]) -> list[str]:
    """The title-like lines of the report's head (two or three broken lines joined), in order."""
    def title_like(line: str) -> bool:
        return (len(line) <= 60 and not re.search(r"[。，；,;]", line) and not is_page_mark(line)
                and not re.search(r"[〔\[]\d{4}[〕\]]|号$", line))

    titles = []
    for i, line in enumerate(lines[:40]):
        for inner in re.findall(r"[《〈]([^《》〈〉]{4,80})[》〉]", line):
            if _TITLE_WORDS.search(inner) and _TITLE_END.search(inner) and not re.search(r"通知|办法|意见|方案|规定", inner):
                titles.append(inner)
        if not _TITLE_WORDS.search(line) and not (re.search(r"报告$", line) and "绩效" in line):
            continue
        end = _TITLE_END.search(line)
        title = line[:end.end()] if end else line
        if not title_like(title) and not end:
            continue
        j = i
        while (j > 0 and i - j < 2 and title_like(lines[j - 1]) and len(lines[j - 1]) <= 30
               and not _TITLE_WORDS.search(lines[j - 1]) and not re.search(r"[:：|]", lines[j - 1])
               and (parse_title(title)[0] is None or (_REGION_END.search(lines[j - 1])
                                                      and not _YEAR.search(lines[j - 1])))):
            j -= 1
            title = lines[j] + title
        titles.append(title)
    return titles


def _label_units(text: str) -> dict[str, list[str]]:
    """The names given after unit labels (单位名称, 实施单位, 主管部门 …), by kind of label."""
    found: dict[str, list[str]] = {"own": [], "doer": [], "parent": []}
    for label in _UNIT_LABEL.finditer(text):
        value = _LABEL_VALUE.match(text, label.end())
        if not value or _LABEL_WORD.match(value.group(1)):
            continue
        name = unit_in(re.sub(r"本级$", "", value.group(1)))
        if name and not _LABEL_WORD.match(name):
            found[label.lastgroup].append(name)
    return found


_SENTENCE_UNIT = re.compile(rf"([{CJK}（）()]{{4,40}}?{_UNIT_SUFFIX})(?:部门|单位|机关)?整体(?:支出)?(?:绩效|自评)")


def _unit_from_text(text: str, lines: list[str]) -> str | None:
    sentence = _SENTENCE_UNIT.search(text)
    if sentence:
        name = unit_in(re.split(r"[，,。；、:：]", sentence.group(1))[-1])
        if name:
            return name
    match = re.search(rf"(?:^|\n|[一二三四五六七八九十][、.]|[)）])(?:基本情况|部门概况|单位概况|部门基本情况|单位基本情况)?"
                      rf"[:：]?(?:[（(][一二三四五六七八九十][)）])?(?:部门概况|单位概况|基本情况|部门基本情况|单位基本情况)?"
                      rf"(?:我单位|本单位|我局|本局|我部门|本部门)?([{CJK}（）()]{{2,40}}?{_UNIT_SUFFIX})"
                      rf"(?=[，,（(是为于成内设主系（])", text[:1500])
    name = unit_in(match.group(1)) if match else None
    if name and (_PLACE_NAMED.search(name) or _SELF.search(text)):
        return name
    return _subject_unit(text) or _subject_unit("\n".join(lines), text)


_NAME = rf"[{CJK}（）()]{{4,40}}?{_UNIT_SUFFIX}"
#: ``××局（以下简称“市局”）``: the body a report names for short.
_SHORT_FOR = re.compile(rf"({_NAME})\s*[（(]\s*(?:以下简称|以下称|下称|简称)")
#: A sentence whose subject is a unit: ``保山市交通运输局是全市主管交通运输工作的行政机关``.
_SUBJECT = re.compile(rf"(?:^|[\n。；;！？!?])\s*(?:(?:[一二三四五六七八九十]{{1,3}}[、.]|[（(][一二三四五六七八九十]{{1,3}}[)）]|\d{{1,2}}[、.])\s*)?"
                      rf"(?:(?:部门|单位)?(?:基本情况|概况)\s*[:：]?\s*)?(?:我单位|本单位|我局|本局|我部门|本部门|我委|我中心)?"
                      rf"({_NAME})(?=是(?!否)|系|作为|成立于|始建于|于(?:19|20)\d{{2}}年|内设|下设|共有|现有|主要职责|位于|隶属|为[^，,。；]{{0,20}}(?:机关|机构|单位|部门))")
#: ``我局（××局）``: the text names itself.
_SELF_NAMED = re.compile(rf"[我本](?:局|单位|中心|委|院|校|部门|馆|所|站|队|办)\s*[（(]\s*(?:全称|即)?\s*[:：]?\s*({_NAME})\s*[)）]")
#: The text speaks of its unit as 我局 / 本单位 …
_SELF = re.compile(r"[我本](?:局|委|中心|院|馆|办|厅|会|校|所|站|队|部|单位|部门)")


def _subject_unit(text: str, whole: str | None = None) -> str | None:
    """The unit the body introduces as its subject (``××局是…``, ``××局（以下简称…）``, ``我局（××局）``).

    Only a name that starts from a place, or in a text (``whole``, else ``text``) that speaks of ``我局`` /
    ``本单位``.
    """
    head = text[:4000]
    whole = text if whole is None else whole
    for pattern in (_SELF_NAMED, _SHORT_FOR, _SUBJECT):
        for match in pattern.finditer(head):
            name = unit_in(re.split(r"[，,。；、:：]", match.group(1))[-1])
            if name and (_PLACE_NAMED.search(name) or _SELF.search(whole)):
                return name
    return None


def _full_name(unit: str | None, lines: list[str], notes: list[str]) -> str | None:
    """The full name a line gives for a unit named short (自治区文化和旅游厅 → 广西壮族自治区文化和旅游厅).

    A publisher line, a signature or a cell that names a body ending with ``unit``, longer by a place
    (the extra words end with 省/市/县/区… or ``unit`` starts with one); one such name only.
    """
    if not unit:
        return unit
    longer: set[str] = set()
    for line in lines:
        if unit not in line:
            continue
        for cell in re.split(r"[|｜\s:：,，。；]+", line):
            name = unit_in(cell)
            if not name or len(name) <= len(unit) or not name.endswith(unit):
                continue
            extra = name[:-len(unit)]
            if _REGION_END.search(extra) or re.match(r"(?:自治区|自治州|省|市|县|区|州|盟|旗)", unit):
                longer.add(name)
    if len(longer) == 1:
        full = longer.pop()
        notes.append(f"单位名称「{unit}」取全称「{full}」（文中另有一行写全称） / the full name stated elsewhere is used")
        return full
    return unit


def _stated_year(lines: list[str], flat: str, titles: list[str], notes: list[str]) -> int | None:
    label = _YEAR_LABEL.search(flat)
    if label:
        return int(label.group(1))
    for title in titles:
        year = parse_title(title)[1]
        if year:
            return year
    for pattern in (re.compile(r"((?:19|20)\d{2})\s*年度"), _YEAR):
        for match in pattern.finditer(flat):
            if (_DATE.match(flat, match.end()) or _DATE_LABEL.search(flat[max(0, match.start() - 8):match.start()])
                    or re.search(r"[〔\[【(（]\s*$", flat[max(0, match.start() - 1):match.start()])
                    and re.match(r"\s*[〕\]】]", flat[match.end(1):match.end(1) + 2])):
                continue
            notes.append(f"年度取自正文第一次出现的「{match.group(0)}」 / year taken from its first mention")
            return int(match.group(1))
    return None


def stated_unit_and_year(lines: list[str], flat: str, notes: list[str]) -> tuple[str | None, int | None]:
    """The unit and the year of the report, from its titles, its unit labels and its text.

    The unit: from a title (``××局2022年度部门整体支出绩效自评报告``) and from the labels of a form
    (单位名称 / 部门（单位）名称 / 填报单位 / 预算单位, then 实施单位 / 项目单位, then 主管部门); the
    unit is preferred over a project or a sub-body named after it, the full name over a short one;
    else a sentence about the unit (``××局整体绩效自评分95分``), with a note; else ``None``. The year:
    a ``评价年度：`` label, else a title's year, else the first ``2022年度``, else the first ``2022年``
    that is not a date (``2023年5月``) nor a document number (``〔2022〕``), with a note.

    Parameters
    ----------
    lines : list of str
        The report's clean lines (:func:`perfeval_lib.extract.text.clean_lines`); titles are looked
        for in the first 40.
    flat : str
        The report as one text (:func:`perfeval_lib.extract.sections.find_sections`).
    notes : list of str
        Appended to when the unit or the year is not taken from a title, or sources disagree.

    Returns
    -------
    unit : str or None
        The unit's name as written (``None`` when the text names none).
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
    titles = _titles(lines)
    title_unit = next((unit for unit in (parse_title(t)[0] for t in titles) if unit), None)
    labels = _label_units("\n".join(lines))
    own = labels["own"][0] if labels["own"] else None
    doer = labels["doer"][0] if labels["doer"] else None
    parent = labels["parent"][0] if labels["parent"] else None
    label_unit = own or doer
    if parent and not label_unit and not title_unit:
        notes.append(f"只写了主管部门「{parent}」，没有写实施单位，单位留空 / only the supervising department is named, "
                     f"the unit is left empty")
    if doer and parent and doer != parent and not own:
        notes.append(f"主管部门「{parent}」与实施单位「{doer}」不同，单位取实施单位 / the supervising department and "
                     f"the implementing unit differ, the implementing unit is used")
    if title_unit and label_unit and title_unit != label_unit:
        longer_label = label_unit.endswith(title_unit) and _REGION_END.search(label_unit[:-len(title_unit)])
        if longer_label or title_unit.startswith(label_unit):
            unit = label_unit                    # the full name, or the unit over what the title adds to it
        else:
            unit = title_unit
            if not (title_unit.endswith(label_unit) and _REGION_END.search(title_unit[:-len(label_unit)])):
                notes.append(f"标题中的单位「{title_unit}」与表中「{label_unit}」不同；采用标题 / the title and the form "
                             f"name different units, the title's is used")
    else:
        unit = title_unit or label_unit
        if unit and not title_unit:
            notes.append(f"单位名称取自表中标注「{unit}」（标题中没有） / unit name taken from a form label")
    if unit is None:
        unit = _unit_from_text(flat, lines)
        if unit:
            notes.append(f"单位名称取自正文「{unit}」（标题中没有） / unit name taken from the text, not the title")
    return _full_name(unit, lines, notes), _stated_year(lines, flat, titles, notes)

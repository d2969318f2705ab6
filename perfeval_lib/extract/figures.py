"""The headline figures a report states in prose: the labels, the numbers after them, the choice.

Each figure (``budget``, ``executed``, ``rate``, ``score``) has a label pattern whose named groups
rank the labels (``final`` 全年/调整后 over ``generic`` over ``bare`` over ``arranged`` 安排…资金 over
``granted`` over ``initial`` 年初 for the budget; ``strong`` over ``bare`` or ``weak`` for the others). A
statement is a label followed, before the sentence ends, by its value: an amount with its money unit
(converted to 万元), a percentage, a score in 分. Figures of a project or a part (其中, 项目资金, 基本支出,
the items after 一是 / 二是) are not the whole's, unless the sentence covers several projects. In a
project's report the amount granted to its fund (``granted``: 下达…专项资金, 资金共下达, 资金105万元已全部到位,
财政资金) is its budget. The first statement in the preferred region wins; different statements become a
note, and when statements of the same rank give different figures (a summary of several funds) none is
taken.

Examples
--------
>>> notes = []
>>> figures = stated_figures("全年预算数120.5万元，执行数1,180,900元，执行率为98.0%。自评得分92分。",
...                          {"finance": "", "conclusion": ""}, notes)
>>> {kind: plain(value) for kind, value in figures.items()}, notes
({'budget': '120.5', 'executed': '118.09', 'rate': '98', 'score': '92'}, [])
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

#: A number as written: ``507.02``, ``1,200,000.00`` (full-width commas too).
NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?<![\d.])({NUM})")
_MONEY_UNIT = re.compile(r"\s*(亿元|万元|千元|元|亿(?![\u4e00-\u9fff])|万(?![\u4e00-\u9fff]))")
#: Money units → the factor to 万元.
TO_WAN = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1),
          "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_NOT_MONEY_AFTER = "%‰年月日号名个项次人户件场期分天倍家所条篇套台辆间亩宗座处栋批"
_DECLARED_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
#: The end of a sentence (or a clause the figures never cross).
SENTENCE_END = re.compile(r"[。；;！？!?\n]")
#: How far a sentence reaches either side of a label at most (text without stops: flattened tables).
_SENTENCE_MOST = 500
_VERBS = r"[\s为是共计达到约合总:：,，]*"

#: The labels of each figure; the name of the group that matched ranks the label.
BUDGET = re.compile(
    r"(?P<initial>年初(?:部门)?(?:整体)?(?:支出)?预算(?:数|总额|总数|金额|资金|安排)?)"
    r"|(?P<final>(?:全年|全年度|调整后的?|年中调整后的?|追加后的?|变更后的?)(?:部门)?(?:整体)?(?:支出)?预算"
    r"(?:数|总额|总数|金额|资金|安排)?|预算调整后的?(?:数|金额)?|调整预算数?)"
    r"|(?P<generic>(?:部门整体支出|部门整体|整体支出|部门|单位|年度|本年|当年)?(?:支出)?预算(?:数|总额|总数|金额|资金|总计|合计)"
    r"|总预算(?:数|额)?|预算安排(?=[\s为是共计达到约合总:：,，]*\d))"
    r"|(?P<bare>(?:部门整体支出|部门整体|整体支出|支出|部门)?预算)"
    r"|(?P<arranged>(?:财政)?(?:安排|下达|批复下达|批复)[\u4e00-\u9fff]{0,10}?(?:资金|经费)(?:总额|总计|合计)?"
    r"|安排[，,]?(?=共计|合计|总计))"
    # only in a project's report (the fund's own amount): 下达…专项资金, 资金共下达, 资金105万元已全部到位, 财政资金
    r"|(?P<granted>(?:财政)?(?:安排|下达|批复下达|批复)(?:(?:19|20)\d{2}年度?|[\u4e00-\u9fff“”\"]){0,30}?(?:资金|经费)"
    r"(?:总额|总计|合计|共计)?"
    r"|(?:资金|经费)(?:共|共计|合计|总计|累计)?(?:下达|安排)(?!及时|率|情况|性|方面|进度|使用|[\u4e00-\u9fff]{0,4}指标)"
    rf"|(?:资金|经费)(?=\s*(?:{NUM})\s*(?:亿元|万元|元)[，,]?\s*(?:已|均已)?(?:全部|足额|及时)?(?:下达|到位|拨付到位))"
    r"|(?:中央|省级?|市级?|县级?|区级?|各级)?财政(?:专项|补助)?资金(?:专项资金)?(?:总额|合计|共计|共)?)")
EXECUTED = re.compile(
    r"(?P<strong>(?:全年|全年度|年度|实际|累计|本年|当年|预算)?执行(?:数|金额|总额|资金|合计)"
    r"|(?:全年|全年度|年度|实际|本年|当年)?决算(?:支出)?(?:数|总额|金额)?"
    r"|实际(?:完成)?支出(?:数|总额|金额|资金)?|(?:实际|已|累计)使用(?:资金|金额)?"
    r"|(?:全年|全年度|累计|共|共计|合计|总|已|实际已|本年|当年|年度)(?:完成|累计)?支出(?:数|总额|金额|资金)?"
    r"|支出(?:数|总额|合计|总计|金额)|(?:资金|实际|累计|已)支付(?:金额|资金)?)"
    r"|(?P<bare>(?:实际|全年|累计|共)?执行|支出)")
RATE = re.compile(
    r"(?P<strong>完成(?:全年|年度|调整后)?预算(?:数)?的|占(?:全年|年度|调整后|年初)?预算(?:数)?的?(?:比例|比重)?"
    r"|为(?:全年|年度|调整后)?预算(?:数)?的|(?:预算|资金|支出|整体支出|部门整体支出|部门整体|全年)?执行率"
    r"|预算完成率|(?:预算|资金|经费|财政资金|项目资金)(?:支出|使用)率|(?:预算|资金|经费|财政资金|项目资金)?支付率"
    r")|(?P<used>使用率)"
    r"|(?P<weak>(?:预算|资金)?支出(?:执行)?进度|执行进度)")
SCORE = re.compile(
    r"(?P<strong>自评(?:结果|总得分|得分|总分|分数|综合得分|评分|分值|分)|综合(?:评分|得分|评价得分|评定得分)"
    r"|(?:评价|绩效评价|最终|总|合计)得分|评分结果|评价结果|考核得分)"
    r"|(?P<bare>得分|评分|分数|自评)")
_SUBITEM_BEFORE = re.compile(r"(?:基本|项目|人员|公用|三公|经费|其中|收入|预算|工资|专项)$")
#: In a project's report the project (项目执行金额) and its fund (专项资金) are the whole.
#: (部门预算项目支出 / 预算项目支出 is the budget category 项目支出, a part, even in a project's report.)
_PROJECT_SUBITEM_BEFORE = re.compile(r"(?:基本|人员|公用|三公|经费|其中|收入|预算|工资|预算项目)$")
#: Before a fund's label: the money spent or left, not granted (已拨付财政资金, 结余资金).
_SPENT_BEFORE = re.compile(r"支出|支付|使用|拨付|执行|完成|投入|结余|结转|剩余|节约|收回|统筹|自筹|配套|其中")
#: The sentence covers several projects (计划实施8个项目, 项目共计113个): its amount is the whole, not one project's.
_SEVERAL_PROJECTS = re.compile(r"\d+\s*个(?:子)?项目|项目(?:共计|共|合计|总计|数量)?\s*\d+\s*个|[二两三四五六七八九十]个(?:子)?项目")
#: Before a figure in its sentence: an enumerated item (一是…, 其一, ①), so the figure is a part of a whole stated before.
_ENUMERATED = re.compile(r"[一二三四五六七八九十]是|其[一二三四五六七八九十][，,、：:]|[①②③④⑤⑥⑦⑧⑨⑩]")
#: Right before a label: a word naming what the figure is of (政府采购执行率), not a verb or a particle.
_QUALIFIER_BEFORE = re.compile(r"[\u4e00-\u9fff](?<![为是的已共了于本内达约和及与并均其总计际年度])$")
#: A label that is a predicate (资金已支出251万元): the word before it is its subject, not a qualifier.
_PREDICATE_LABEL = re.compile(r"已|实际|累计|共|截至|下达|安排|批复")
#: Before a bare 使用率 in its sentence: an amount, so the rate is the funds' (实际支付2700万元，使用率90%).
_MONEY_BEFORE = re.compile(rf"(?:{NUM})\s*(?:亿元|万元|元)")
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
#: Before a rate in the same clause: a criterion or an instruction, not a figure (未达到90%的需说明原因).
_RATE_RULE_BEFORE = re.compile(r"(?:未达到|未达|低于|不足|不低于|不得低于|应达到|需达到|要求|每超过|每低于|以)[\d.]*$"
                               r"|[≥≤><=＝]\s*$")
#: After a percentage: another one in the same cell run (资金使用率 100% 98% 10 10): an indicator row, target first.
_ROW_OF_RATES = re.compile(r"%\s*(?:[|]\s*)?[≥≤><=]?\s*\d+(?:\.\d+)?\s*%")
#: After a number: the rule of a template (100%计满分, 90分以上为优), not a figure.
_RULE_AFTER = re.compile(r"[%分]?\s*(?:计满分|得满分|为满分|为标准|的需|需说明|以上|以下|及以上|及以下|[（(]含[)）]|"
                         r"的[,，]|扣|计\d|[-—~～至]\s*\d|为优|为良|为中|为差)")
#: Between a label and its number: a part named, so the number is the part's (决算数 三公经费 29.08).
#: Between a label and its number: a table row's name, so the label was a column header.
_ROW_IN_FILLER = re.compile(r"资金\s*总额|合\s*计|总\s*计|小\s*计|当年财政拨款|上年结转")
_PART_IN_FILLER = re.compile(r"三公|公用经费|人员经费|基本支出|项目支出|其中|公务接待|公务用车|会议费|培训费")
#: Before an amount: a per-pupil or per-capita figure, never the budget (按生均1000元).
_PER_HEAD = re.compile(r"(?:生均|人均|户均|每人|每生|每户|每亩|每平方米|每名|每个|标准为?|单价)[^\d，,。；]{0,3}$")


def declared_unit(text: str) -> str | None:
    """The unit a ``单位：万元`` line declares for the numbers written without one.

    Parameters
    ----------
    text : str
        The report's text (the first declaration counts).

    Returns
    -------
    str or None
        ``"亿元"``, ``"万元"`` or ``"元"``; ``None`` when nothing is declared.

    Examples
    --------
    >>> declared_unit("表1 收支情况（金额单位：元）"), declared_unit("全年预算数120万元")
    ('元', None)
    """
    match = _DECLARED_UNIT.search(text)
    return match.group(1) if match else None


@dataclass
class Statement:
    """One statement of a figure: its value, where its label starts in its region, the label, its class.

    Attributes
    ----------
    value : Decimal
        In 万元 (amounts), percent (rate) or points (score).
    position : int
        Where the label starts in the region's text.
    label : str
        The label as written (``全年预算数``).
    klass : str
        The label's rank (``final``, ``generic``, ``strong``, ``bare`` …).
    subitem : bool
        A project's or a part's figure, not the whole's.
    region : str
        The region it was read from: ``finance``, ``conclusion`` or ``text``.
    qualified : bool
        A word stands right before the label (政府采购执行率, 基本支出执行率): the figure of something named.
    """

    value: Decimal
    position: int
    label: str
    klass: str
    subitem: bool
    region: str = "text"
    qualified: bool = False


def to_decimal(number: str) -> Decimal:
    """A number as written (thousands separators allowed) as a ``Decimal``.

    Parameters
    ----------
    number : str
        Digits, an optional decimal point, and ``,`` or ``，`` between thousands (as :data:`NUM`).

    Returns
    -------
    Decimal
        Exact: no rounding through ``float``.

    Raises
    ------
    decimal.InvalidOperation
        When ``number`` is not a number.

    Examples
    --------
    >>> to_decimal("1,200,000.50")
    Decimal('1200000.50')
    """
    return Decimal(number.replace(",", "").replace("，", ""))


def _money_at(text: str, match: re.Match, declared: str | None) -> tuple[Decimal | None, bool]:
    """The amount in 万元 of a number match; ``(None, True)`` when it has no unit at all."""
    unit = _MONEY_UNIT.match(text, match.end())
    if unit:
        return to_decimal(match.group(1)) * TO_WAN[unit.group(1)], False
    following = text[match.end():match.end() + 1]
    if following and ((following.isascii() and following.isalnum()) or following in _NOT_MONEY_AFTER):
        return None, False
    if declared:
        return to_decimal(match.group(1)) * TO_WAN[declared], False
    return None, True


def _other_labels(kind: str) -> list[re.Pattern]:
    return [p for k, p in (("budget", BUDGET), ("executed", EXECUTED), ("rate", RATE), ("score", SCORE))
            if k != kind]


def _scan(text: str, kind: str, notes: list[str], region: str = "text", project: bool = False) -> list[Statement]:
    """Every statement of one figure in ``text``: a label, then (before the sentence ends) its value.

    In a project's report (``project``) the project's figures are the figures: only 其中 marks a part.
    """
    pattern = {"budget": BUDGET, "executed": EXECUTED, "rate": RATE, "score": SCORE}[kind]
    declared = declared_unit(text)
    found: list[Statement] = []
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    for label in pattern.finditer(text):
        klass = label.lastgroup
        before = text[max(0, label.start() - 4):label.start()]
        if klass == "granted" and (not project or _SPENT_BEFORE.search(text[max(0, label.start() - 8):label.start()])):
            continue                                              # 已拨付财政资金: spent, not granted
        if klass == "granted" and re.match(r"(?:财政)?(?:安排|下达|批复)", label.group(0)):
            klass = "arranged"                                    # 安排…项目预算资金: as 安排…资金, however long
        if kind in ("budget", "executed") and (_PROJECT_SUBITEM_BEFORE if project else _SUBITEM_BEFORE).search(
                before) and not (klass in ("arranged", "granted") and before.endswith("预算")):  # 部门预算财政安排…资金
            continue
        index = bisect.bisect_right(ends, label.start())
        sentence_start = max(ends[index - 1] if index else 0, label.start() - _SENTENCE_MOST)
        after = bisect.bisect_right(ends, label.end())
        sentence_end = min(ends[after] - 1 if after < len(ends) else len(text), label.end() + _SENTENCE_MOST)
        sentence = text[sentence_start:sentence_end]
        prefix = text[sentence_start:label.start()]
        clause = prefix[max((m.end() for m in re.finditer(r"[，,]", prefix)), default=0):]
        project_clause = (not project and bool(_PROJECT_CLAUSE.search(text[sentence_start:label.end()]))
                          and not _SEVERAL_PROJECTS.search(sentence))      # 3000万元，计划实施8个项目: the whole
        parts = "其中" in clause or prefix.lstrip().startswith("其中") or bool(_ENUMERATED.search(prefix))
        subitem = (project_clause or parts) and not _WHOLE_CLAUSE.search(prefix)
        if klass == "used":
            if not _MONEY_BEFORE.search(prefix):
                continue                                          # 设备使用率: not about the funds
            klass = "strong"                                      # 实际支付2700万元，使用率90%
        if kind == "score" and klass == "bare":
            # a bare 得分 is an indicator's unless the sentence is about the whole evaluation
            subitem = "指标" in prefix or not (region == "conclusion" or _WHOLE_SCORE.search(prefix))
        window_end = min(sentence_end, label.end() + 60)
        value = _value_after(text, label, window_end, kind, klass, declared, notes)
        if value is not None:
            qualified = (bool(_QUALIFIER_BEFORE.search(text[max(0, label.start() - 1):label.start()]))
                         and not _PREDICATE_LABEL.match(label.group(0)))
            found.append(Statement(value, label.start(), label.group(0), klass, subitem, region, qualified))
    return found


def _value_after(text, label, window_end, kind, klass, declared, notes) -> Decimal | None:
    for number in _NUMBER.finditer(text, label.end(), window_end):
        filler = text[label.end():number.start()]
        if _RESPECTIVELY in filler:
            return _respectively(text, label, number, window_end, kind, declared)
        if kind == "score" and _CAP.search(text[max(label.end(), number.start() - 6):number.start()]):
            continue                                              # 满分100分 is the cap, not the score
        if kind in ("budget", "executed") and _PER_HEAD.search(text[max(label.end(), number.start() - 8):number.start()]):
            continue                                              # 按生均1000元: a per-pupil figure
        if kind in ("rate", "score") and (_RULE_AFTER.match(text, number.end())
                                          or kind == "rate" and _RATE_RULE_BEFORE.search(filler)):
            return None                                           # 未达到90%的需说明原因: an instruction
        if len(filler) > 16 or any(p.search(filler) for p in _other_labels(kind)):
            return None
        if _ROW_IN_FILLER.search(filler):
            return None                                           # 执行率 年度资金总额 56.8 …: a table's header, then a row
        if kind in ("budget", "executed") and _PART_IN_FILLER.search(filler):
            return None                                           # 决算数 三公经费 29.08: the part's figure
        line_start = text.rfind("\n", 0, label.start()) + 1
        if "|" in filler and ("序号" in text[line_start:label.start()]
                              or text.count("|", line_start, label.start()) >= 3):
            return None                                           # a column header, then the next row's first cell
        if kind == "score" and (SCORE.search(filler) or "指标" in filler):
            return None                   # 经自评，投入指标得分18分…: the nearer label (or an indicator) owns it
        if klass == "bare" and not re.fullmatch(_VERBS, filler):
            return None
        if kind in ("budget", "executed"):
            in_label = re.search(r"[（(](亿元|万元|元)[)）]", filler)          # 全年预算数（万元）507.02
            value, unitless = _money_at(text, number, in_label.group(1) if in_label else declared)
            if unitless:
                notes.append(f"「{label.group(0)}{filler}{number.group(1)}」没有金额单位，未采用 / "
                             f"amount without a unit, not used")
            if value is None and not unitless and klass in ("arranged", "granted") and re.match(
                    r"\s*[个项宗批]", text[number.end():]):
                continue                                          # 安排…资金项目共计113个，财政资金3267.28万元
            return value
        following = text[number.end():number.end() + 2].lstrip()
        if kind == "rate":
            rate = to_decimal(number.group(1))
            if _ROW_OF_RATES.match(text, number.end()):
                return None                                       # 资金使用率 100% 98%: a target and its actual
            return rate if following.startswith("%") and rate <= 1000 else None
        if following.startswith("分") and not following.startswith("分之"):
            return to_decimal(number.group(1))
        if klass == "strong" and re.match(r"(?:$|[，,。；;）)\s])", text[number.end():number.end() + 1]):
            return to_decimal(number.group(1))                   # 自评得分：93。
        after = text[number.end():number.end() + 1]
        if (klass == "strong" and not re.search(r"\d\.\d+\s*$", text[max(0, label.start() - 6):label.start()])
                and re.fullmatch(r"\s*(?:[(（]分[)）])?\s*[:：]?\s*", filler) and after
                and after not in _NOT_MONEY_AFTER + "%.万元亿千" and not after.isascii()):
            return to_decimal(number.group(1))                   # a form's cell: 自评总分(分)97.6部门联系人
        return None
    return None


def _respectively(text, label, first_number, window_end, kind, declared) -> Decimal | None:
    """``全年预算数、执行数分别为 507.02万元、500.00万元``: the n-th label takes the n-th value."""
    clause_start = max((m.end() for m in re.finditer(r"[。；;！？!?\n，,：:]", text[:label.start()])), default=0)
    head = text[clause_start:text.index(_RESPECTIVELY, label.end())]
    labels = []
    for k, p in (("budget", BUDGET), ("executed", EXECUTED), ("rate", RATE), ("score", SCORE)):
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
            value = to_decimal(number.group(1)) * TO_WAN[unit.group(1)] if unit else None
        return value
    return to_decimal(number.group(1))


def _pick(regions: list[tuple[str, str]], kind: str, classes: list[str], notes: list[str],
          what: str, noted: tuple[str, ...] | None = None, project: bool = False, after: int = 0) -> Statement | None:
    """The first statement in the first region that has one, by class; a note when statements differ."""
    chosen: Statement | None = None
    everything: list[Statement] = []
    parts: list[Statement] = []
    for name, text in regions:
        scanned = _scan(text, kind, notes if name == "text" else [], name, project)
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
            notes.append(f"只找到项目或其中一部分的{what}（{parts[0].label} {plain(parts[0].value)}），未采用 / "
                         f"only a project's or a part's {kind} figure is stated, not used")
        return None
    if kind != "score" and _competing(chosen, everything, notes, what, kind, after, project):
        return None
    distinct = {}
    for f in everything:
        if f.klass in (noted or classes):
            distinct.setdefault(plain(f.value), f.label)
    if len(distinct) > 1:
        listed = "、".join(f"{label} {value}" for value, label in distinct.items())
        notes.append(f"{what}有多个不同的数：{listed}；采用 {plain(chosen.value)}（{chosen.label}） / "
                     f"several different {kind} figures stated, used {plain(chosen.value)}")
    return chosen


def _competing(chosen: Statement, everything: list[Statement], notes: list[str], what: str, kind: str,
               after: int, project: bool) -> bool:
    """Whether other statements of the chosen one's rank give other figures (then none is taken).

    The rivals of a statement are in its region, their labels not qualified by a word before them (政府采购执行率
    is another rate); in a project's report, those of a statement of the finance section are also in the whole
    text from where that section starts (``after``), not before it.

    A summary of several funds (“三区”人才经费合计75万元，已支出75万元；营养餐资金已支出300万元 …) states one
    figure per fund: the first is one fund's, not the whole's. The first is kept only when it is the sum of the
    others (the whole, then its parts).
    """
    rivals = {f.value for f in everything if f.klass == chosen.klass and not f.qualified and (
        f.region == chosen.region or (project and chosen.region == "finance" and f.region == "text"
                                      and f.position >= after))}
    others = rivals - {chosen.value}
    if not others or abs(sum(others) - chosen.value) <= Decimal("0.01"):
        return False
    listed = "、".join(plain(v) for v in [chosen.value, *sorted(others)])
    notes.append(f"{what}有多个同等的不同说法（{chosen.label} 等：{listed}），无法判断哪个是整体，留空 / several different "
                 f"{kind} figures of the same rank, none is taken")
    return True


def plain(value: Decimal) -> str:
    """A figure as the notes show it: no exponent, no trailing zeros.

    Parameters
    ----------
    value : Decimal

    Returns
    -------
    str

    Examples
    --------
    >>> plain(Decimal("507.020")), plain(Decimal("1.2E+2"))
    ('507.02', '120')
    """
    text = format(value.normalize(), "f")
    return text


def stated_statements(flat: str, sections: dict[str, str], notes: list[str],
                      project: bool = False) -> dict[str, Statement | None]:
    """The statements :func:`stated_figures` takes its figures from, with where each one stands.

    Parameters
    ----------
    flat, sections, notes
        As for :func:`stated_figures`.
    project : bool
        The report is a project's (项目支出绩效自评): the project's figures are the figures.

    Returns
    -------
    dict
        ``{"budget": …, "executed": …, "rate": …, "score": …}``, each a :class:`Statement` or ``None``.

    Examples
    --------
    >>> found = stated_statements("一、收支\\n全年预算数120万元。", {"finance": "全年预算数120万元。", "conclusion": ""}, [])
    >>> found["budget"].label, found["budget"].region, found["budget"].position
    ('全年预算数', 'finance', 0)
    """
    finance_regions = [("finance", sections["finance"]), ("text", flat)]
    score_regions = [("conclusion", sections["conclusion"]), ("text", flat)]
    after = flat.find(sections["finance"]) if sections["finance"] else len(flat)
    after = len(flat) if after < 0 else after
    budget = _pick(finance_regions, "budget", ["final", "generic", "bare", "arranged", "granted", "initial"], notes, "预算数",
                   project=project, after=after)
    if budget is not None:
        stated = [f for _, region in finance_regions for f in _scan(region, "budget", [], project=project)
                  if not f.subitem]
        if stated and all(f.klass == "initial" for f in stated):
            notes.append("只写了年初预算数，预算数取年初数 / only the 年初 budget is stated; it is used")
    executed = _pick(finance_regions, "executed", ["strong", "bare"], notes, "执行数", ("strong",), project, after)
    rate = _pick(finance_regions, "rate", ["strong", "weak"], notes, "执行率", ("strong",), project, after)
    score = _pick(score_regions, "score", ["strong", "bare"], notes, "自评得分", ("strong",), project)
    if score is not None and not (0 <= score.value <= 100):
        notes.append(f"自评得分 {plain(score.value)} 不在 0–100 之间，未采用 / score outside 0–100, not used")
        score = None
    return {"budget": budget, "executed": executed, "rate": rate, "score": score}


def stated_figures(flat: str, sections: dict[str, str], notes: list[str]) -> dict[str, Decimal | None]:
    """The budget, executed amount, execution rate and self-assessed score the prose states.

    Never computed: a rate the text does not give stays ``None`` even when budget and executed are
    both known. The budget, executed amount and rate are read from the ``finance`` section first,
    then the whole text; the score from the ``conclusion`` section first. A score outside 0–100 is
    not used; a rate or a score in an instruction (未达到90%的需说明原因, 90分以上为优) is not a figure.

    Parameters
    ----------
    flat : str
        The whole report as one text (:func:`perfeval_lib.extract.sections.find_sections`).
    sections : dict of str
        At least ``"finance"`` and ``"conclusion"`` (``""`` when the report has none).
    notes : list of str
        Appended to for everything ambiguous: several different statements of a figure, an amount
        without a unit, only a project's figure, only the 年初 budget, a score out of range.

    Returns
    -------
    dict
        ``{"budget": …, "executed": …, "rate": …, "score": …}``, each a ``Decimal`` or ``None``:
        amounts in 万元 (元 and 亿元 converted), the rate in percent as stated (``100`` for
        "100%"), the score in points.

    Examples
    --------
    >>> notes = []
    >>> figures = stated_figures("年初预算数100万元，调整后预算数120万元，其中项目支出执行数50万元。",
    ...                          {"finance": "", "conclusion": ""}, notes)
    >>> figures["budget"], figures["executed"], len(notes)
    (Decimal('120'), None, 2)
    """
    return {kind: (found.value if found else None)
            for kind, found in stated_statements(flat, sections, notes).items()}

"""The words of the official 自评表 layouts: titles, headers, labels and row names real forms use.

Finance offices fill the bureau's template, but the wording drifts between regions and years
(指标权重 / 指标分值 / 标准分, 实际完成情况 / 全年目标实际完成情况 …). These tables map every wording
met in practice to one key; a header is compared after :func:`normalise_label` (the schema's header
normalisation, then no trailing colon or bracketed note). The same words serve the reader
(:mod:`perfeval_lib.ingest.forms`) and the writer (:mod:`perfeval_lib.render.workbook`).

Examples
--------
>>> normalise_label("全年预算数（A）：")
'全年预算数'
>>> indicator_key("指标权重（分）"), budget_key("预算执行率"), budget_row_kind("其中：财政拨款")
('weight', 'rate', ('source', '财政拨款'))
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.parse import MISSING_TOKENS
from ...core.schema import TABLES, normalise_header
from ..normalise import TOTAL_ROW_SOURCE


@dataclass(frozen=True)
class Layout:
    """One official layout: its name, title and what it holds beyond the common blocks.

    Parameters
    ----------
    name : str
        The key in :data:`LAYOUTS`.
    title : str
        The form's title; ``{year}`` is replaced by the evaluated year where the layout shows it.
    description : str
        What the layout holds, in the finance office's words.
    budget_scored : bool
        True when the 预算执行率 分值/执行率/得分 cells sit in the budget block (the rate is an
        indicator scored there, not in the indicator table).

    Examples
    --------
    >>> LAYOUTS["guangzhou"].title.format(year=2022)
    '2022年度部门整体支出绩效自评表'
    >>> [name for name, layout in LAYOUTS.items() if layout.budget_scored]
    ['chongqing', 'mof10']
    """

    name: str
    title: str
    description: str
    budget_scored: bool


#: The official layouts read and written: 广州式 (部门整体支出绩效自评表: 投入/过程/产出/效果 or
#: 产出/效益/满意度), 重庆式 (部门整体绩效自评表 with 得分系数 and 是否核心指标) and the attachment of
#: 财预〔2020〕10号 (预算执行率 10 分 in the budget block + 绩效指标 90 分).
LAYOUTS = {
    "guangzhou": Layout("guangzhou", "{year}年度部门整体支出绩效自评表",
                        "广州式部门整体支出绩效自评表：单位信息、预算执行情况（按资金来源）、年度绩效目标、"
                        "一级/二级/三级指标表（指标性质、计量单位）与总分、自评等级", budget_scored=False),
    "chongqing": Layout("chongqing", "{year}年度部门整体绩效自评表",
                        "重庆式部门整体绩效自评表：自评总分在表头，预算执行率（执行率权重、执行率得分），"
                        "年初/全年（调整）绩效目标，指标表含年初/调整指标值、得分系数、是否核心指标", budget_scored=True),
    "mof10": Layout("mof10", "部门整体支出绩效自评表",
                    "财预〔2020〕10号附件式自评表：项目资金（预算执行率10分）、年度总体目标、"
                    "绩效指标（产出50、效益30、满意度10）与总分", budget_scored=True),
}

#: The indicator row made from the budget block's 预算执行率 (分值 / 执行率 / 得分) cells.
RATE_INDICATOR = "预算执行率"
#: Its target: the whole budget spent.
RATE_TARGET = "100%"
#: ``claims.source`` of a claimed total read from a form: the indicator table's total row, so a
#: separate claims file for the same unit-year wins, as it does over a CSV indicator table's 合计 row.
CLAIM_SOURCE = TOTAL_ROW_SOURCE
#: ``FormData.reviewed`` holds the recomputed total under this indicator name.
TOTAL_KEY = "总分"
#: The budget block's money columns (万元): 年初预算数, 全年预算数, 全年执行数.
MONEY = ("budget_initial", "budget_final", "executed")

_BRACKET_TAIL = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]$")


def normalise_label(text: object) -> str:
    """Header or label text reduced for matching.

    :func:`perfeval_lib.core.schema.normalise_header` (NFKC, no spaces, no unit tail, lower case),
    then without a trailing colon or bracketed note (``全年预算数(A)``, ``指标权重（分）``,
    ``填报单位（盖章）：``).

    Parameters
    ----------
    text : object
        A cell's value.

    Returns
    -------
    str
        The key the word tables of this module are looked up with (``''`` for an empty cell).

    Examples
    --------
    >>> normalise_label("填报单位（盖章）："), normalise_label("指标权重（分）"), normalise_label(None)
    ('填报单位', '指标权重', '')
    """
    norm = normalise_header(text).rstrip(":：")
    previous = None
    while norm != previous:
        previous = norm
        norm = _BRACKET_TAIL.sub("", norm).rstrip(":：")
    return norm


def _lookup(words: dict[str, str]) -> dict[str, str]:
    return {normalise_label(word): key for word, key in words.items()}


#: Indicator-table headers beyond the schema's aliases (keys outside the canonical columns are extras).
INDICATOR_WORDS = _lookup({
    "指标权重": "weight", "指标分值": "weight", "标准分": "weight", "指标得分": "claimed_score", "评价得分": "claimed_score",
    "得分系数": "coefficient", "完成系数": "coefficient", "是否核心指标": "core", "核心指标": "core",
    "复核得分": "reviewed", "复核分": "reviewed", "年初指标值": "target_initial", "调整指标值": "target",
    "年初目标值": "target_initial", "年初目标": "target_initial",
    "全年(调整)指标值": "target", "调整后指标值": "target", "全年指标值": "target",
    "偏差原因分析及改进措施": "note", "偏差原因及改进措施": "note",
})
#: A section label of the 10号 form that is also an alias of 三级指标: used only when nothing better maps.
WEAK_HEADERS = {"绩效指标"}
#: Budget-block headers beyond the schema's money aliases.
BUDGET_WORDS = _lookup({
    "执行率": "rate", "预算执行率": "rate", "资金执行率": "rate", "全年执行率": "rate",
    "分值": "weight", "执行率权重": "weight", "执行率分值": "weight", "权重": "weight",
    "得分": "score", "执行率得分": "score", "自评得分": "score", "复核得分": "reviewed",
})
#: Row labels of the budget block: the total (年度资金总额), funding sources, spending categories.
BUDGET_ROW_TOTAL = {"年度资金总额", "资金总额", "合计", "总计", "年度支出总额", "支出总额", "总额", "部门整体支出",
                    "年度部门整体支出", "预算支出合计", "年度部门整体支出规模"}
BUDGET_ROW_SOURCE = {"财政拨款": "财政拨款", "本年财政拨款": "财政拨款", "财政拨款资金": "财政拨款", "当年财政拨款": "财政拨款",
                     "财政资金": "财政拨款", "一般公共预算拨款": "财政拨款", "本年一般公共预算拨款": "财政拨款",
                     "上年结转": "上年结转资金", "上年结转资金": "上年结转资金",
                     "其他资金": "其他资金", "其他来源资金": "其他资金", "财政专户管理资金": "财政专户管理资金",
                     "单位资金": "单位资金"}
BUDGET_ROW_CATEGORY = {"基本支出", "项目支出", "人员经费", "公用经费"}
#: Labels of the unit-information block above the tables.
INFO_WORDS = _lookup({
    "单位名称": "unit_name", "部门名称": "unit_name", "部门(单位)名称": "unit_name", "单位(部门)名称": "unit_name",
    "预算单位": "unit_name", "填报单位": "unit_name", "单位全称": "unit_name", "部门": "unit_name",
    "预算部门、单位名称": "unit_name", "预算部门": "unit_name",
    "实施单位": "unit_impl", "项目单位": "unit_impl", "项目实施单位": "unit_impl", "项目承担单位": "unit_impl",
    "单位编码": "unit_code", "单位代码": "unit_code", "部门编码": "unit_code", "部门代码": "unit_code",
    "预算编码": "unit_code", "预算单位编码": "unit_code", "单位编号": "unit_code",
    "主管部门": "parent", "主管单位": "parent", "上级主管部门": "parent", "主管部门及代码": "parent",
    "填报日期": "filled_on", "填表日期": "filled_on",
    "联系人": "contact", "部门联系人": "contact", "填报人": "contact", "经办人": "contact",
    "联系电话": "phone", "电话": "phone", "财政处室": "office", "业务处室": "office",
    "自评总分": "claimed_score", "自评得分": "claimed_score", "自评等级": "claimed_grade", "评价等级": "claimed_grade",
    "项目名称": "project", "年度": "year", "评价年度": "year", "预算年度": "year", "金额单位": "money_unit",
    # written by perfeval beside the claims: labels, so they are never read as a claim's value
    "复核总分": "reviewed_total", "复核得分": "reviewed", "复核等级": "reviewed_grade",
})
#: Labels of the goals block (年度总体目标 / 实际完成情况 / 未完成原因).
GOAL_WORDS = _lookup({
    "年度总体目标": "target", "年度绩效目标": "target", "预期目标": "target", "年度目标": "target", "总体目标": "target",
    "年度整体绩效目标": "target", "整体绩效目标": "target", "全年(调整)绩效目标": "target", "全年绩效目标": "target",
    "年度主要任务": "target", "年初绩效目标": "target_initial", "项目年度目标": "target",
    "年度目标完成情况": "actual",
    "实际完成情况": "actual", "全年目标实际完成情况": "actual", "年度总体目标完成情况": "actual",
    "整体绩效目标完成情况": "actual", "目标完成情况": "actual", "全年实际完成情况": "actual", "实际完成": "actual",
    "未完成原因": "reason", "未能完成原因": "reason", "未完成原因分析": "reason", "目标未完成原因": "reason",
    "偏差原因": "reason",
})
#: Unit labels from the most specific (the unit evaluated) to the least (its parent): 实施单位/项目单位,
#: then 单位名称/预算单位/部门, then 主管部门.
UNIT_LABEL_RANK = ("unit_impl", "unit_name", "parent")
#: Template prompts left in cells (对照年度目标，说明…（100字以内）): never read as values.
INSTRUCTION = re.compile(r"[(（]\s*\d+\s*字以[内上下]\s*[)）]|^(请|应)(填写|根据|按照)|^(填报|填表)说明")


def instruction(text: str) -> bool:
    """True for a template prompt left in a cell, which is never a value.

    >>> instruction("对照年度目标，说明相关任务目标的完成情况（100字以内）"), instruction("完成年度目标。")
    (True, False)
    """
    return bool(INSTRUCTION.search(text or ""))


#: The indicator table's total row, its subtotal rows, and what ends the table (notes, signatures).
TOTAL_ROW = {normalise_label(w) for w in ("总分", "合计", "总计", "得分合计", "合计得分", "总得分", "自评总分", "综合得分")}
SUBTOTAL_ROW = {"小计"}
STOP_PREFIXES = ("注", "说明", "备注", "填表", "填报", "审核", "单位负责人", "负责人", "联系人", "自评等级", "评价等级",
                 "复核等级")
#: Labels of the 自评等级 cell below the indicator table.
GRADE_LABELS = {"自评等级", "评价等级", "等级"}
#: Grade words a form may use for the four grades 优/良/中/差.
GRADE_WORDS = {"优秀": "优", "良好": "良"}
#: 是否核心指标 answers.
CORE_TRUE = {"是", "y", "yes", "true", "√", "核心", "核心指标"}
CORE_FALSE = {"否", "n", "no", "false", "×", "非核心", "一般"}
#: What stands in an empty line of the printed template (``指标2：`` / ``……``).
PLACEHOLDERS = {"……", "…", "...", "......", "指标"} | MISSING_TOKENS
#: ``单位：万元`` written above or beside the budget block.
MONEY_STATEMENT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
#: A year in a title (``2022年度…``).
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
#: A number as text, with thousands separators and an optional percent sign.
NUMERIC_TEXT = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")
_LEVEL_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]\s*")
_LEVEL_POINTS = re.compile(r"\s*[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")


def valueish(text: str) -> bool:
    """True for a cell of the budget block holding a figure (or a dash for none), not words.

    Parameters
    ----------
    text : str
        The cell as text.

    Returns
    -------
    bool

    Examples
    --------
    >>> valueish("1,234.50万元"), valueish("—"), valueish("财政拨款"), valueish("")
    (True, True, False, False)
    """
    text = text.replace(" ", "")
    return bool(text) and (text.lower() in MISSING_TOKENS or bool(NUMERIC_TEXT.match(re.sub(r"(万元|亿元|元)$", "", text))))


def indicator_key(text: object) -> str | None:
    """What an indicator-table header means: a canonical column or an extra of the form.

    Parameters
    ----------
    text : object
        The header cell.

    Returns
    -------
    str or None
        A column of the ``indicators`` table (``level3``, ``weight`` …) or an extra (``coefficient``,
        ``core``, ``reviewed``, ``target_initial``); None when the text is no such header.

    Examples
    --------
    >>> indicator_key("三级指标"), indicator_key("得分系数"), indicator_key("填报人")
    ('level3', 'coefficient', None)
    """
    norm = normalise_label(text)
    if not norm:
        return None
    return INDICATOR_WORDS.get(norm) or TABLES["indicators"].column_for_header(norm)


def budget_key(text: object) -> str | None:
    """What a budget-block header means: a money column (万元), ``note``, or a 预算执行率 cell.

    Parameters
    ----------
    text : object
        The header cell.

    Returns
    -------
    str or None
        ``budget_initial``, ``budget_final``, ``executed``, ``note``, ``rate`` (执行率), ``weight``
        (分值), ``score`` (得分) or ``reviewed`` (复核得分); None otherwise.

    Examples
    --------
    >>> budget_key("全年执行数（万元）"), budget_key("执行率权重"), budget_key("单位编码")
    ('executed', 'weight', None)
    """
    norm = normalise_label(text)
    if not norm:
        return None
    if norm in BUDGET_WORDS:
        return BUDGET_WORDS[norm]
    key = TABLES["budget"].column_for_header(norm)
    return key if key in (*MONEY, "note") else None


def any_label(text: str) -> bool:
    """True when ``text`` is a label or header of any block (so never a value beside a label).

    Parameters
    ----------
    text : str
        A cell as text.

    Returns
    -------
    bool
        True for a label of the unit-information or goals block, or a budget or indicator header.

    Examples
    --------
    >>> any_label("联系电话："), any_label("020-12345678")
    (True, False)
    """
    norm = normalise_label(text)
    return bool(norm) and (norm in INFO_WORDS or norm in GOAL_WORDS or budget_key(norm) is not None
                           or indicator_key(norm) is not None)


def budget_row_kind(label: str) -> tuple[str, str | None] | None:
    """What a row of the budget block is, by its label.

    Parameters
    ----------
    label : str
        The row's label cells joined (``其中：财政拨款``, ``（一）基本支出``, ``年度资金总额``).

    Returns
    -------
    tuple or None
        ``('total', None)``, ``('source', 资金来源)`` with the canonical source (财政拨款 /
        上年结转资金 / 其他资金), ``('category', 支出类别)``; None for any other label.

    Examples
    --------
    >>> budget_row_kind("年度资金总额"), budget_row_kind("（二）项目支出"), budget_row_kind("上年结转")
    (('total', None), ('category', '项目支出'), ('source', '上年结转资金'))
    """
    norm = normalise_label(label)
    norm = re.sub(r"^(其中|包括)[:：,，、]?", "", norm)
    norm = re.sub(r"^([(（]?[一二三四五六七八九十\d]+[)）、.．]|[-—])", "", norm).strip(":：")
    if norm in BUDGET_ROW_TOTAL:
        return "total", None
    if norm in BUDGET_ROW_SOURCE:
        return "source", BUDGET_ROW_SOURCE[norm]
    if norm in BUDGET_ROW_CATEGORY:
        return "category", norm
    return None


def level_text(text: str) -> str | None:
    """An 一级/二级/三级指标 name without the template's numbering and points.

    Parameters
    ----------
    text : str
        The cell as text (``指标1：产出指标（50分）``).

    Returns
    -------
    str or None
        The name, or None when nothing is left.

    Examples
    --------
    >>> level_text("指标1：产出指标（50分）"), level_text("指标2：")
    ('产出指标', None)
    """
    text = text.replace("\n", "").replace("\r", "")
    text = _LEVEL_POINTS.sub("", _LEVEL_PREFIX.sub("", text)).strip()
    return text or None


def percent_text(value: float) -> str:
    """A fraction written as the percent text a form shows.

    Parameters
    ----------
    value : float
        A rate as a fraction (0.9503 for 95.03%).

    Returns
    -------
    str
        Up to six decimals of the percentage, trailing zeros dropped.

    Examples
    --------
    >>> percent_text(0.9503), percent_text(1.0), percent_text(-0.021)
    ('95.03%', '100%', '-2.1%')
    """
    text = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    return ("0" if text in ("", "-0") else text) + "%"

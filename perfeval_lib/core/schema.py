"""Canonical tables: their columns, the Chinese headers accepted for each, kinds and keys — the one
definition every reader, check and writer uses.

Money is in 万元, rates are fractions (0–1, may exceed 1), years and months are integers.
A header is matched after normalisation (full-width → ASCII, spaces and a trailing unit such as
``（万元）`` removed), so ``全年预算数（万元）`` and ``全年预算数`` both map to ``budget_final``.

Examples
--------
>>> TABLES["budget"].column_for_header("调整后预算数（万元）")
'budget_final'
>>> TABLES["indicators"].key
('unit_code', 'year', 'indicator')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import to_simplified
from .parse import clean_text


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``kind`` drives parsing: ``text``, ``code`` (an identifier), ``int``, ``money`` (→ 万元),
    ``percent`` (→ fraction), ``number``, ``target`` (direction + value + state).

    Attributes
    ----------
    name : str
        The canonical name (``budget_final``).
    kind : str
        One of the kinds above.
    aliases : tuple of str
        Chinese (and English) headers accepted for it on load (``全年预算数``, ``调整后预算数`` …).
    required : bool
        A file of the table without this column is an error.
    label : str
        The Chinese label shown to users (``全年预算数``).

    Examples
    --------
    >>> BUDGET.column("budget_final").kind, BUDGET.column("budget_final").label
    ('money', '全年预算数')
    """

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    label: str = ""  # the Chinese label shown to users


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns, key and the words that identify its files.

    Attributes
    ----------
    name : str
        ``units``, ``budget``, ``spending``, ``indicators`` or ``claims``.
    label : str
        Its Chinese name (``预算执行``).
    columns : tuple of Column
        Its columns, in order.
    key : tuple of str
        The columns that identify a row (``unit_code, year, line`` for budget).
    file_words : tuple of str
        Words in a file name that mark a file as holding this table (``budget``, ``预算``).

    Examples
    --------
    >>> BUDGET.key, BUDGET.required
    (('unit_code', 'year', 'line'), ['unit_code', 'year', 'budget_final', 'executed'])
    """

    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    file_words: tuple[str, ...] = ()
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for alias in (column.name, column.label, *column.aliases):
                if alias:
                    self._lookup[normalise_header(alias)] = column.name

    @property
    def names(self) -> list[str]:
        """The canonical column names, in order.

        Examples
        --------
        >>> SPENDING.names
        ['unit_code', 'year', 'month', 'executed_cum', 'executed_month']
        """
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """The names of the columns a file of this table must have.

        Examples
        --------
        >>> CLAIMS.required
        ['unit_code', 'year', 'claimed_score']
        """
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The :class:`Column` of a canonical name.

        Parameters
        ----------
        name : str
            A canonical column name of this table.

        Returns
        -------
        Column

        Raises
        ------
        StopIteration
            When the table has no column of that name.

        Examples
        --------
        >>> INDICATORS.column("weight").aliases[:2]
        ('分值', '权重')
        """
        return next(c for c in self.columns if c.name == name)

    def column_for_header(self, header: object) -> str | None:
        """The canonical column a raw header means, or None when it is not one of ours.

        Parameters
        ----------
        header : object
            A header cell as written; compared after :func:`normalise_header` with each column's name,
            label and aliases.

        Returns
        -------
        str or None
            The canonical column name.

        Examples
        --------
        >>> BUDGET.column_for_header("全年执行数（万元）"), BUDGET.column_for_header("经办人")
        ('executed', None)
        """
        return self._lookup.get(normalise_header(header))


_UNIT_TAIL = re.compile(r"[(\[（【]\s*(?:单位[:：]?\s*)?(?:万元|亿元|元|%|个|人|天|月)?\s*[)\]）】]$")


def normalise_header(header: object) -> str:
    """Header text reduced for matching: NFKC, simplified characters, no spaces or line breaks, no unit
    tail, lower case.

    Parameters
    ----------
    header : object
        A header cell as written.

    Returns
    -------
    str
        The header after :func:`~perfeval_lib.core.parse.clean_text` and
        :func:`~perfeval_lib.core.names.to_simplified` (全年預算數 → 全年预算数), with all whitespace and a
        trailing bracketed unit (``（万元）``, ``(%)``, ``【单位：元】`` …) removed, in lower case.

    Examples
    --------
    >>> normalise_header(" 全年 执行数（万元）")
    '全年执行数'
    """
    text = to_simplified(clean_text(header))
    text = re.sub(r"\s+", "", text)
    text = _UNIT_TAIL.sub("", text)
    return text.lower()


UNIT_CODE = Column("unit_code", "code", ("单位编码", "单位代码", "部门编码", "部门代码", "预算单位编码", "code"),
                   required=True, label="单位编码")
YEAR = Column("year", "int", ("年度", "年份", "预算年度", "评价年度"), required=True, label="年度")

UNITS = Table("units", "单位", (
    UNIT_CODE,
    Column("unit_name", "text", ("单位名称", "部门名称", "预算单位", "单位", "name"), required=True, label="单位名称"),
    Column("parent", "text", ("主管部门", "主管单位", "上级单位"), label="主管部门"),
    Column("region", "text", ("地区", "行政区划", "区域"), label="地区"),
    Column("ruleset", "text", ("评价体系", "评分规则", "规则集", "适用规则"), label="评价体系"),
    Column("profile", "text", ("部门概况", "单位概况", "概况"), label="部门概况"),
), key=("unit_code",), file_words=("units", "单位", "unit_registry"))

BUDGET = Table("budget", "预算执行", (
    UNIT_CODE, YEAR,
    Column("line", "text", ("行次", "序号", "预算项目", "line"), label="行次"),
    Column("category", "text", ("支出类别", "支出类型", "支出功能", "预算类别", "类别"), label="支出类别"),
    Column("funding_source", "text", ("资金来源", "资金性质", "经费来源"), label="资金来源"),
    Column("project", "text", ("项目名称", "项目"), label="项目名称"),
    Column("budget_initial", "money", ("年初预算数", "年初预算", "年初数", "年初预算金额"), label="年初预算数"),
    Column("budget_final", "money", ("全年预算数", "调整后预算数", "全年(调整)预算数", "全年调整预算数", "调整预算数",
                                     "全年预算", "预算数"), required=True, label="全年预算数"),
    Column("executed", "money", ("执行数", "全年执行数", "实际支出", "支出数", "决算数", "实际执行数", "预算执行数"),
           required=True, label="全年执行数"),
    Column("note", "text", ("说明", "备注", "偏差原因", "未完成原因", "情况说明", "原因"), label="说明"),
), key=("unit_code", "year", "line"), file_words=("budget", "预算"))

SPENDING = Table("spending", "月度支出", (
    UNIT_CODE, YEAR,
    Column("month", "int", ("月份", "月", "期间"), required=True, label="月份"),
    Column("executed_cum", "money", ("累计支出", "累计执行数", "累计支出数", "截至本月累计支出"), label="累计支出"),
    Column("executed_month", "money", ("当月支出", "本月支出", "月支出"), label="当月支出"),
), key=("unit_code", "year", "month"), file_words=("spending", "支出进度", "月度"))

INDICATORS = Table("indicators", "绩效指标", (
    UNIT_CODE, YEAR,
    Column("level1", "text", ("一级指标",), required=True, label="一级指标"),
    Column("level2", "text", ("二级指标",), label="二级指标"),
    Column("level3", "text", ("三级指标", "指标名称", "绩效指标"), required=True, label="三级指标"),
    Column("kind", "text", ("指标性质", "指标类型", "定量/定性"), label="指标性质"),
    Column("direction", "text", ("指标方向", "方向", "运算符号", "比较符", "比较符号", "指标值类型", "指标方向性"),
           label="指标方向"),
    Column("weight", "number", ("分值", "权重", "指标分值", "标准分值"), required=True, label="分值"),
    Column("target", "target", ("年度指标值", "指标值", "目标值", "年度目标值", "预期指标值", "全年指标值",
                                "调整后指标值", "全年(调整)指标值"), required=True,
           label="年度指标值"),
    Column("actual", "target", ("实际完成值", "全年实际值", "完成值", "实际值", "全年完成值"), required=True,
           label="实际完成值"),
    Column("measure", "text", ("计量单位", "度量单位", "单位"), label="计量单位"),
    Column("claimed_score", "number", ("自评得分", "得分", "单位自评得分"), label="自评得分"),
    Column("note", "text", ("偏差原因", "偏差原因分析", "未完成原因", "偏差原因分析及改进措施", "备注", "未完成原因分析",
                            "偏差原因及改进措施"), label="偏差原因"),
    Column("rule", "text", ("评分规则", "计分方法"), label="评分规则"),
), key=("unit_code", "year", "indicator"), file_words=("indicator", "指标", "自评表"))

CLAIMS = Table("claims", "自评结果", (
    UNIT_CODE, YEAR,
    Column("claimed_score", "number", ("自评总分", "自评得分", "自评结果", "综合评分", "总分"), required=True,
           label="自评总分"),
    Column("claimed_grade", "text", ("自评等级", "评价等级", "等级"), label="自评等级"),
    Column("source", "text", ("来源", "出处"), label="来源"),
), key=("unit_code", "year"), file_words=("claims", "自评结果", "自评总分"))

#: Tables read from data/raw, in load order.
INPUT_TABLES = {t.name: t for t in (UNITS, BUDGET, SPENDING, INDICATORS, CLAIMS)}
TABLES = dict(INPUT_TABLES)

#: Columns of the derived tables (written by the library, not read from raw files).
RESULTS_COLUMNS = ["unit_code", "unit_name", "year", "ruleset", "budget_final", "executed", "execution_rate",
                   "score", "score_status", "claimed_score", "score_gap", "grade", "claimed_grade",
                   "n_indicators", "n_findings", "claimed_basis", "rate_note"]
FINDINGS_COLUMNS = ["unit_code", "year", "code", "severity", "message", "indicator", "file", "row"]
SCORED_EXTRA_COLUMNS = ["rule", "score", "score_note"]

#: The indicators table after parsing: target/actual split into direction, value and text.
#: ``direction_source`` says where the direction was read (rules.md §2b): ``column`` (a 指标方向 column,
#: or 指标性质 holding ≥/≤/=), ``target`` (the target's own sign or words), None when neither states it.
INDICATOR_COLUMNS = ["unit_code", "year", "indicator", "level1", "level2", "level3", "kind", "weight",
                     "direction", "direction_source", "target", "actual", "target_text", "actual_text", "measure",
                     "applicable", "claimed_score", "note", "rule"]

#: Labels used in tables shown to users.
LABELS = {c.name: c.label for t in INPUT_TABLES.values() for c in t.columns if c.label} | {
    "execution_rate": "执行率", "score": "复核得分", "grade": "复核等级", "claimed_score": "自评得分",
    "claimed_grade": "自评等级", "score_gap": "自评−复核", "score_status": "复核状态", "indicator": "指标",
    "n_indicators": "指标数", "n_findings": "问题数", "severity": "严重程度", "message": "说明", "code": "类型",
    "target_text": "年度指标值", "actual_text": "实际完成值", "rule": "评分规则", "score_note": "计分说明",
    "claimed_basis": "自评总分来源", "rate_note": "执行情况说明", "met": "达到年度指标值", "file": "文件", "row": "行",
}

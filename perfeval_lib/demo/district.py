"""An invented demo district, 示例区, and the raw files its finance office would hold.

Every unit, amount, indicator and score made here is invented. :func:`generate` writes the
files a district finance office really receives for a 部门整体支出绩效自评 — a unit register,
budget execution tables (one per year, in mixed encodings and formats), monthly spending,
indicator self-evaluation tables and the claimed totals — with the dirt real files have
(unit suffixes, thousands separators, full-width digits, blank rows, a unit reporting in 元)
and a documented set of planted errors (:func:`planted_errors`) that an audit should find.

Output is deterministic: everything random comes from ``numpy.random.default_rng`` seeded by
``seed`` (one independent stream per part), and xlsx files carry fixed dates, so the same seed
gives byte-identical files (with the same openpyxl/zlib versions).

:func:`synthetic_indicators` and :func:`synthetic_budget` make large canonical tables fast,
for benchmarks.

Examples
--------
>>> import tempfile
>>> from perfeval_lib import demo
>>> paths = demo.generate(tempfile.mkdtemp())
>>> sorted(p.name for p in paths)[:3]
['README.md', 'budget_2019.csv', 'budget_2020.csv']
>>> demo.planted_errors()["kind"].isin(["claim_grade_inconsistent"]).sum()
np.int64(1)

Run ``python -m perfeval_lib.demo data/raw/demo`` to (re)write the demo folder.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

# ---------------------------------------------------------------------------------------------
# Names and constants
# ---------------------------------------------------------------------------------------------

DISTRICT = "示例区"
DEFAULT_SEED = 2023
DEFAULT_N_UNITS = 24
DEFAULT_YEARS = range(2019, 2024)
RULESET_2020 = "mof-2020"
RULESET_2013 = "mof-2013-dept"
YUAN_UNIT = "D017"   # reports money in 元, in its own file
GBK_YEAR = 2020      # this year's budget csv is saved in GBK
XLSX_YEAR = 2023     # this year's budget and indicators come as xlsx
FIXED_TIMESTAMP = datetime(2024, 1, 1)
_ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)

UNITS_FILE = "units.csv"
SPENDING_FILE = "spending.xlsx"
CLAIMS_FILE = "claims.csv"
README_FILE = "README.md"
YUAN_BUDGET_FILE = f"budget_{YUAN_UNIT}.csv"
BUDGET_SHEET = "预算执行情况"
SPENDING_SHEET = "月度支出"
INDICATOR_SHEET = "绩效指标"
BUDGET_TITLE = "{year}年度预算执行情况表（单位：万元）"

UNITS_HEADER = ["单位编码", "单位名称", "主管部门", "地区", "评价体系"]
BUDGET_HEADER = ["单位编码", "年度", "支出类别", "资金来源", "项目名称",
                 "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "说明"]
BUDGET_HEADER_YUAN = [h.replace("（万元）", "（元）") for h in BUDGET_HEADER]
SPENDING_HEADER = ["单位编码", "年度", "月份", "累计支出（万元）"]
INDICATOR_HEADER = ["单位编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "分值",
                    "年度指标值", "实际完成值", "计量单位", "自评得分", "偏差原因"]
CLAIMS_HEADER = ["单位编码", "年度", "自评总分", "自评等级"]

BASIC, PROJECT, TOTAL = "基本支出", "项目支出", "合计"
FISCAL, OTHER = "财政拨款", "其他资金"
QUANT, QUAL = "定量", "定性"
NOT_APPLICABLE = "不涉及"
GOVERNMENT = f"{DISTRICT}人民政府"

#: Unit catalogue: (name without the district prefix, parent, project names).
#: parent None means the unit is its own 主管部门; "政府" means the district government.
_UNIT_CATALOGUE: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("教育局", None, ("学前教育普惠补助项目", "义务教育校舍维修项目", "教师培训专项", "学生资助项目")),
    ("卫生健康局", None, ("基本公共卫生服务项目", "家庭医生签约服务项目", "卫生应急物资储备项目", "健康教育宣传项目")),
    ("文化广电旅游体育局", None, ("公共文化惠民演出项目", "全民健身设施维护项目", "文物保护修缮项目", "旅游宣传推广项目")),
    ("妇女联合会", "政府", ("妇女儿童维权服务项目", "妇女技能培训项目", "家庭教育指导服务项目")),
    ("档案馆", "政府", ("档案数字化项目", "档案库房改造项目", "档案史料征集项目")),
    ("民政局", None, ("城乡低保资金项目", "养老服务补贴项目", "社区治理创新项目", "殡葬改革补助项目")),
    ("人力资源和社会保障局", None, ("就业创业补贴项目", "职业技能提升培训项目", "劳动保障监察项目")),
    ("住房和城乡建设局", None, ("老旧小区改造项目", "建筑工地扬尘治理项目", "保障性住房维护项目")),
    ("交通运输局", None, ("农村公路养护项目", "公交运营补贴项目", "交通安全设施完善项目")),
    ("农业农村局", None, ("高标准农田建设项目", "农业技术推广项目", "动物疫病防控项目", "农村人居环境整治项目")),
    ("市场监督管理局", None, ("食品安全抽检项目", "特种设备安全检查项目", "消费维权服务项目")),
    ("应急管理局", None, ("应急救援物资储备项目", "安全生产宣传培训项目", "森林防火项目")),
    ("退役军人事务局", None, ("退役军人就业培训项目", "优抚对象走访慰问项目", "烈士纪念设施维护项目")),
    ("残疾人联合会", "政府", ("残疾人康复服务项目", "残疾人就业扶持项目", "无障碍设施改造项目")),
    ("图书馆", "文化广电旅游体育局", ("图书采购项目", "全民阅读推广项目", "数字图书馆建设项目")),
    ("疾病预防控制中心", "卫生健康局", ("免疫规划项目", "传染病监测项目", "慢性病防控项目")),
    ("第一实验小学", "教育局", ("校园安全保障项目", "教学设备更新项目", "课后服务项目")),
    ("科学技术协会", "政府", ("科普宣传活动项目", "青少年科技创新大赛项目", "科普基地建设项目")),
    ("统计局", None, ("统计调查项目", "经济普查项目", "统计数据质量核查项目")),
    ("司法局", None, ("法律援助项目", "人民调解以奖代补项目", "普法宣传项目")),
    ("城市管理局", None, ("市容环境整治项目", "生活垃圾分类项目", "城市绿化养护项目")),
    ("机关事务服务中心", "政府", ("公务用车运行维护项目", "办公楼维修改造项目", "节约型机关建设项目")),
    ("融媒体中心", "政府", ("新闻宣传项目", "融媒体平台建设项目", "应急广播维护项目")),
    ("公共资源交易中心", "政府", ("电子交易平台运维项目", "评标专家管理项目", "交易场所运维项目")),
)
_GENERIC_PROJECTS = ("业务运行保障项目", "专项业务工作经费", "信息化建设项目")

_MISS_REASONS = ("受疫情影响，部分活动延期或取消", "项目实施进度滞后，部分资金结转下年",
                 "政府采购流程延长，合同签订推迟", "人员调整，工作衔接不到位",
                 "服务对象需求变化，实际发生数少于预期", "部分工程尚未完成竣工验收")
_LOW_EXECUTION_NOTES = ("受疫情影响，部分项目延期实施，资金结转下年使用", "项目尚未完成验收，尾款未支付",
                        "政府采购流程延长，资金未能在年内支付")
_TOP_UP_NOTE = "含年中追加预算"
_OVERSPEND_NOTE = "含其他资金列支"
_CANCELLED_NOTE = "项目取消，预算全部调减"

#: 定性 scales: the target word, then (actual word, share of the score) from best to worst.
_QUAL_SCALES = {"达成": (("达成", 1.0), ("部分达成", 0.8), ("未达成", 0.0)),
                "好": (("好", 1.0), ("较好", 0.8), ("一般", 0.6))}
_QUAL_FACTOR = {word: factor for scale in _QUAL_SCALES.values() for word, factor in scale}
_QUAL_PROBS = (0.85, 0.12, 0.03)
_MET_SHARE = 0.85        # share of quantitative indicators that meet their target
#: Invented weaker performers, so the district's grades spread beyond 优 and some grades move between
#: years: the share of their quantitative targets met (D023's falls each year), and misses are larger.
_WEAK_UNITS = {"D012": 0.6, "D016": 0.4, "D023": 0.3}
_REASON_SHARE = 0.7      # share of missed targets with a 偏差原因
_GRADES = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (-math.inf, "差"))

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

# Independent random streams, so changing one part does not shift the others.
_STREAMS = {"plan": 1, "budget": 2, "spending": 3, "indicators": 4, "claims": 5, "dirt": 6,
            "unit_indicators": 7, "synthetic": 8}


def _rng(seed: int, stream: str, *more: int) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[stream], *more])


# ---------------------------------------------------------------------------------------------
# Indicator specifications
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    """One 三级指标 template. ``target`` is percent points, an (lo, hi) count range or a 定性 word."""

    level3: str
    measure: str = "%"
    direction: str | None = "≥"
    target: object = 90.0
    high: float = 100.0        # upper end of an actual that meets a ≥ percent target
    decimals: int = 1
    signed: bool = False       # actual written with "+" when positive
    source: str | None = None  # "execution" / "adjustment" / "carryover": actual comes from the budget
    target_text: str | None = None


def _pct(name: str, direction: str, target: float, **kw) -> _Spec:
    return _Spec(name, "%", direction, float(target), **kw)


def _count(name: str, measure: str, direction: str, lo: int, hi: int) -> _Spec:
    return _Spec(name, measure, direction, (lo, hi), decimals=0)


def _qual(name: str, word: str = "达成") -> _Spec:
    return _Spec(name, "", None, word)


# mof-2020: 二级指标 pools and (min, max) rows drawn from each, per 一级指标.
_POOLS_2020: dict[str, dict[str, tuple[tuple[int, int], tuple[_Spec, ...]]]] = {
    "产出指标": {
        "数量指标": ((5, 7), (
            _count("开展宣讲活动场次", "场", "≥", 8, 20), _count("组织业务培训次数", "次", "≥", 4, 12),
            _count("培训人次", "人次", "≥", 200, 1500), _count("服务对象覆盖人数", "人", "≥", 1000, 20000),
            _count("发放宣传资料份数", "份", "≥", 2000, 10000), _count("完成督导检查次数", "次", "≥", 6, 24),
            _count("办理业务事项件数", "件", "≥", 300, 3000), _count("组织志愿服务活动次数", "次", "≥", 10, 40),
            _count("更新信息公开条目数", "条", "≥", 50, 300))),
        "质量指标": ((3, 5), (
            _pct("培训合格率", "≥", 90), _pct("项目验收合格率", "=", 100), _pct("检查问题整改率", "≥", 95),
            _pct("服务规范达标率", "≥", 95), _pct("数据填报准确率", "≥", 98), _pct("信息公开完整率", "=", 100))),
        "时效指标": ((2, 3), (
            _pct("资金按时拨付率", "=", 100), _pct("项目按期完成率", "≥", 95), _pct("投诉办结及时率", "≥", 95),
            _pct("信息按时公开率", "=", 100))),
        "成本指标": ((2, 3), (
            _pct("项目成本控制率", "≤", 100), _count("人均培训成本", "元", "≤", 300, 800),
            _pct("公用经费支出控制率", "≤", 100), _count("单场活动平均成本", "元", "≤", 3000, 20000))),
    },
    "效益指标": {
        "社会效益指标": ((4, 7), (
            _pct("群众政策知晓率", "≥", 85), _qual("服务对象权益保障水平"), _qual("公共服务水平提升"),
            _pct("投诉问题解决率", "≥", 90), _qual("部门履职能力提升"), _pct("突发事件处置率", "=", 100),
            _qual("社会影响力", "好"), _qual("重点工作社会知晓度", "好"))),
        "可持续影响指标": ((2, 4), (
            _qual("长效管理机制建立情况"), _qual("制度建设完善程度", "好"), _qual("数字化管理水平"),
            _qual("人才队伍建设"), _pct("设施设备完好率", "≥", 95))),
        "经济效益指标": ((0, 1), (_qual("带动相关产业发展"),)),
    },
    "满意度指标": {
        "服务对象满意度指标": ((1, 2), (_pct("服务对象满意度", "≥", 90), _pct("社会公众满意度", "≥", 85))),
    },
}
_EXECUTION_2020 = _Spec("预算执行率", "%", "≥", 100.0, source="execution", target_text="100%")
_LEVEL1_2020 = {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}

# mof-2013-dept (财预〔2013〕53号 共性指标框架): fixed rows and weights.
_TEMPLATE_2013: tuple[tuple[str, str, _Spec, int], ...] = (
    ("投入", "目标设定", _qual("绩效目标合理性"), 3),
    ("投入", "目标设定", _qual("绩效指标明确性"), 2),
    ("投入", "预算配置", _pct("在职人员控制率", "≤", 100), 3),
    ("投入", "预算配置", _pct("\"三公\"经费变动率", "≤", 0, signed=True), 4),
    ("投入", "预算配置", _pct("重点支出安排率", "≥", 60, high=85.0), 3),
    ("过程", "预算执行", _pct("预算完成率", "=", 100, decimals=2, source="execution"), 6),
    ("过程", "预算执行", _pct("预算调整率", "≤", 10, source="adjustment"), 4),
    ("过程", "预算执行", _pct("支付进度率", "≥", 90), 4),
    ("过程", "预算执行", _pct("结转结余率", "≤", 5, source="carryover"), 4),
    ("过程", "预算执行", _pct("公用经费控制率", "≤", 100), 4),
    ("过程", "预算执行", _pct("\"三公\"经费控制率", "≤", 100), 4),
    ("过程", "预算执行", _pct("政府采购执行率", "=", 100), 4),
    ("过程", "预算管理", _qual("管理制度健全性"), 4),
    ("过程", "预算管理", _qual("资金使用合规性"), 5),
    ("过程", "预算管理", _qual("预决算信息公开性"), 4),
    ("过程", "预算管理", _qual("基础信息完善性"), 3),
    ("过程", "资产管理", _qual("管理制度健全性（资产）"), 3),
    ("过程", "资产管理", _qual("资产管理安全性"), 3),
    ("过程", "资产管理", _pct("固定资产利用率", "≥", 90), 3),
    ("产出", "职责履行", _pct("实际完成率", "≥", 95), 4),
    ("产出", "职责履行", _pct("完成及时率", "≥", 95), 4),
    ("产出", "职责履行", _pct("质量达标率", "≥", 95), 4),
    ("产出", "职责履行", _pct("重点工作办结率", "=", 100), 3),
    ("效果", "履职效益", _qual("经济效益"), 3),
    ("效果", "履职效益", _qual("社会效益"), 4),
    ("效果", "履职效益", _qual("生态效益"), 3),
    ("效果", "履职效益", _pct("社会公众或服务对象满意度", "≥", 90), 5),
)
_NA_SHARE_2013 = {"生态效益": 0.6, "经济效益": 0.25}  # often 不涉及 for a department
#: The 一级指标 that loses 5 points in the unit-year whose weights sum to 95.
_SHORTED_LEVEL1 = {RULESET_2020: "产出指标", RULESET_2013: "过程"}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _fmt_num(value: float, decimals: int, signed: bool = False) -> str:
    """``96.50`` → ``'96.5'``, ``100.0`` → ``'100'``; ``signed`` writes ``+`` before positives."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"+{text}" if signed and value > 0 and not text.startswith("+") and text != "0" else text


def _blank(value: object) -> str:
    """Cell text for an optional value: '' for None/NaN."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _nice_count(value: int) -> int:
    """Round a target count to two significant digits, as people write them (1234 → 1200)."""
    if value < 100:
        return int(value)
    step = 10 ** (len(str(int(value))) - 2)
    return int(round(value / step) * step)


def _split_weight(total: int, shares: np.ndarray) -> np.ndarray:
    """Integer weights ≥ 1 summing to ``total``, proportional to ``shares`` (largest remainder)."""
    n = len(shares)
    raw = np.asarray(shares, dtype=float) / np.sum(shares) * (total - n)
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - n - base.sum()]] += 1
    return base + 1


def grade_of(total: float) -> str:
    """Grade for a total score: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.

    Examples
    --------
    >>> grade_of(86.5), grade_of(90)
    ('良', '优')
    """
    return next(grade for floor, grade in _GRADES if total >= floor)


def _direction_codes(direction: Sequence[object]) -> np.ndarray:
    lookup = {"≥": 0, "≤": 1, "=": 2}
    return np.array([lookup.get(d, -1) for d in direction], dtype=np.int8)


def _honest_scores(weight, direction_code, target, actual, qual_factor, applicable):
    """Scores an honest unit would claim, and whether each target was met.

    Met → full 分值. Missed: ≥ → 分值×actual/target; ≤ → 分值×target/actual (0 when the target is
    0, e.g. "三公"经费变动率 ≤0%); = → 分值×min/max. 定性 → 分值 × the word's share. 不涉及 → full.
    Rounded to 1 decimal, halves up.
    """
    weight = np.asarray(weight, dtype=float)
    t = np.asarray(target, dtype=float)
    a = np.asarray(actual, dtype=float)
    eps = 1e-9
    ge, le, eq = direction_code == 0, direction_code == 1, direction_code == 2
    met = (ge & (a >= t - eps)) | (le & (a <= t + eps)) | (eq & (np.abs(a - t) <= eps))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ge, a / t, np.where(le, np.where(t > 0, t / a, 0.0),
                                            np.minimum(a, t) / np.maximum(a, t)))
    ratio = np.clip(np.nan_to_num(ratio, nan=0.0, posinf=0.0, neginf=0.0), 0.0, 1.0)
    factor = np.where(met, 1.0, ratio)
    qualitative = direction_code < 0
    factor = np.where(qualitative, qual_factor, factor)
    met = np.where(qualitative, qual_factor >= 1.0, met)
    factor = np.where(applicable, factor, 1.0)
    met = np.where(applicable, met, True)
    return _round_half_up(weight * factor), met.astype(bool)


def _round_half_up(values) -> np.ndarray:
    """1 decimal, halves up (四舍五入: 9.55 → 9.6), not numpy's round-half-even on binary floats."""
    return np.floor(np.asarray(values, dtype=float) * 10 + 0.5 + 1e-9) / 10


# ---------------------------------------------------------------------------------------------
# Units and the plan of planted errors
# ---------------------------------------------------------------------------------------------


def _units(n_units: int) -> pd.DataFrame:
    rows = []
    for i in range(n_units):
        code = f"D{i + 1:03d}"
        if i < len(_UNIT_CATALOGUE):
            short, parent, projects = _UNIT_CATALOGUE[i]
        else:
            short, parent, projects = f"第{i + 1 - len(_UNIT_CATALOGUE)}服务中心", "政府", _GENERIC_PROJECTS
        name = DISTRICT + short
        parent_name = name if parent is None else GOVERNMENT if parent == "政府" else DISTRICT + parent
        ruleset = RULESET_2013 if i % 3 == 2 else RULESET_2020  # every third unit: ~1/3
        rows.append({"unit_code": code, "unit_name": name, "parent": parent_name, "region": DISTRICT,
                     "ruleset": ruleset, "projects": projects})
    return pd.DataFrame(rows)


@dataclass
class _Plan:
    """Which unit-years carry which planted error (indicator/claims picks that depend on
    generated values are made later)."""

    total_mismatch: tuple[str, int]
    overspend: tuple[str, int]
    zero_line: tuple[str, int]
    low_explained: list[tuple[str, int]]
    low_unexplained: list[tuple[str, int]]
    weights_95: tuple[str, int]
    full_marks: list[tuple[str, int]]
    deduction: list[tuple[str, int]]
    slow_units: list[str]
    used: set = field(default_factory=set)

    def budget_mode(self, key: tuple[str, int]) -> str:
        if key == self.overspend:
            return "overspend"
        if key == self.zero_line:
            return "zero_line"
        if key in self.low_explained:
            return "low_explained"
        if key in self.low_unexplained:
            return "low_unexplained"
        return "normal"


_PLAN_SIZES = {"total_mismatch": 1, "overspend": 1, "zero_line": 1, "low_explained": 2, "low_unexplained": 2,
               "weights_95": 1, "full_marks": 6, "deduction": 3}
_CLAIM_PICKS = 4  # 3 inflated totals + 1 inconsistent grade


def _plan(units: pd.DataFrame, years: Sequence[int], rng: np.random.Generator) -> _Plan:
    codes = [c for c in units["unit_code"] if c != YUAN_UNIT]
    keys = [(c, y) for c in codes for y in years]
    needed = sum(_PLAN_SIZES.values()) + _CLAIM_PICKS
    if len(keys) < needed or len(codes) < 2:
        raise ValueError(f"the demo needs at least {needed} unit-years besides {YUAN_UNIT}; got {len(keys)}")
    order = [keys[i] for i in rng.permutation(len(keys))]
    picks = {}
    for name, size in _PLAN_SIZES.items():
        picks[name], order = order[:size], order[size:]
    slow = sorted(str(c) for c in rng.choice(codes, size=2, replace=False))
    plan = _Plan(picks["total_mismatch"][0], picks["overspend"][0], picks["zero_line"][0],
                 picks["low_explained"], picks["low_unexplained"], picks["weights_95"][0],
                 picks["full_marks"], picks["deduction"], slow)
    plan.used = {k for v in picks.values() for k in v}
    return plan


def _error(errors: list, code: str, year: int, kind: str, detail: str) -> None:
    errors.append({"unit_code": code, "year": int(year), "kind": kind, "detail": detail})


# ---------------------------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------------------------


def _unit_year_lines(rng, code, year, projects, basic_base, mode) -> list[dict]:
    chosen = [str(p) for p in rng.choice(projects, size=int(rng.integers(1, min(3, len(projects)) + 1)),
                                         replace=False)]
    spec = [(BASIC, FISCAL, None, basic_base * rng.uniform(0.92, 1.12)),
            (BASIC, OTHER, None, _log_uniform(rng, 50, 200))]
    spec += [(PROJECT, FISCAL, name, _log_uniform(rng, 50, 2000)) for name in chosen]
    if rng.random() < 0.3:
        spare = [p for p in projects if p not in chosen]
        spec.append((PROJECT, OTHER, spare[0] if spare else chosen[0], _log_uniform(rng, 50, 300)))
    lines = []
    for category, source, project, initial in spec:
        initial = round(float(np.clip(initial, 50, 5000)), 2)
        final = round(initial * rng.uniform(0.9, 1.2), 2)
        ratio = rng.uniform(0.6, 0.89) if mode.startswith("low") else rng.uniform(0.92, 1.0)
        top_up = final > initial * 1.12 and rng.random() < 0.3
        note = _TOP_UP_NOTE if top_up and mode == "normal" else None  # low-execution 说明 stay unambiguous
        lines.append({"unit_code": code, "year": year, "category": category, "funding_source": source,
                      "project": project, "budget_initial": initial, "budget_final": final,
                      "executed": round(final * ratio, 2), "note": note})
    first_project = next(i for i, line in enumerate(lines) if line["category"] == PROJECT)
    if mode == "low_explained":
        lines[first_project]["note"] = str(rng.choice(_LOW_EXECUTION_NOTES))
    elif mode == "zero_line":
        lines[first_project].update(budget_final=0.0, executed=0.0, note=_CANCELLED_NOTE)
    elif mode == "overspend":
        # every other line fully spent, so the unit-year total also exceeds its budget
        biggest = max((i for i, line in enumerate(lines) if line["category"] == PROJECT),
                      key=lambda i: lines[i]["budget_final"])
        for i, line in enumerate(lines):
            ratio = rng.uniform(1.06, 1.12) if i == biggest else 1.0
            line.update(executed=round(line["budget_final"] * ratio, 2), note=_OVERSPEND_NOTE if i == biggest else None)
    return lines


def _budget(units: pd.DataFrame, years: Sequence[int], plan: _Plan, rng, errors: list) -> pd.DataFrame:
    rows = []
    for code, projects in zip(units["unit_code"], units["projects"]):
        basic_base = _log_uniform(rng, 300, 3000)
        for year in years:
            rows += _unit_year_lines(rng, code, year, projects, basic_base, plan.budget_mode((code, year)))
    lines = pd.DataFrame(rows)
    _budget_errors(lines, plan, errors)
    return lines


def _budget_errors(lines: pd.DataFrame, plan: _Plan, errors: list) -> None:
    sums = lines.groupby(["unit_code", "year"])[["budget_final", "executed"]].sum()
    for kind, keys in (("low_execution_explained", plan.low_explained),
                       ("low_execution_unexplained", plan.low_unexplained)):
        for code, year in keys:
            rate = sums.loc[(code, year), "executed"] / sums.loc[(code, year), "budget_final"]
            said = "，说明栏已填写原因" if kind.endswith("_explained") else "，说明栏为空 / no explanation"
            _error(errors, code, year, kind, f"预算执行率 {rate:.1%}{said}")
    code, year = plan.overspend
    line = lines[(lines["unit_code"] == code) & (lines["year"] == year) & lines["note"].eq(_OVERSPEND_NOTE)].iloc[0]
    rate = sums.loc[(code, year), "executed"] / sums.loc[(code, year), "budget_final"]
    _error(errors, code, year, "budget_overspend",
           f"{line['project']}：全年执行数 {line['executed']:.2f} > 全年预算数 {line['budget_final']:.2f} 万元"
           f"（说明：{_OVERSPEND_NOTE}）；单位执行率 {rate:.1%}")
    code, year = plan.zero_line
    line = lines[(lines["unit_code"] == code) & (lines["year"] == year) & lines["note"].eq(_CANCELLED_NOTE)].iloc[0]
    _error(errors, code, year, "budget_zero_line",
           f"{line['project']}：年初预算数 {line['budget_initial']:.2f}，全年预算数 0，执行数 0（执行率无法计算）")


def _budget_totals(lines: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    """The 合计 row per unit-year as the unit states it (one deliberately wrong)."""
    money = ["budget_initial", "budget_final", "executed"]
    totals = lines.groupby(["unit_code", "year"], sort=False)[money].sum().round(2).reset_index()
    code, year = plan.total_mismatch
    row = (totals["unit_code"] == code) & (totals["year"] == year)
    true_sum = float(totals.loc[row, "executed"].iloc[0])
    stated = round(true_sum + rng.uniform(2, 8), 2)
    totals.loc[row, "executed"] = stated
    _error(errors, code, year, "budget_total_mismatch",
           f"合计行全年执行数 {stated:.2f} 与明细之和 {true_sum:.2f} 不符（差 {stated - true_sum:.2f} 万元）")
    return totals


def _unit_year_budget(lines: pd.DataFrame) -> pd.DataFrame:
    """True unit-year sums and rates from the detail lines."""
    sums = lines.groupby(["unit_code", "year"], sort=False)[["budget_initial", "budget_final", "executed"]].sum()
    sums["execution"] = sums["executed"] / sums["budget_final"] * 100
    sums["adjustment"] = (sums["budget_final"] - sums["budget_initial"]) / sums["budget_initial"] * 100
    sums["carryover"] = np.maximum(0.0, 100 - sums["execution"])
    return sums


# ---------------------------------------------------------------------------------------------
# Monthly spending
# ---------------------------------------------------------------------------------------------


def _spending(sums: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    rows = []
    for (code, year), executed in sums["executed"].items():
        weights = np.empty(12)
        if code in plan.slow_units:  # almost nothing paid until July, then a rush
            weights[:6] = rng.uniform(0.05, 0.3, 6)
            weights[6:11] = rng.uniform(1.0, 1.6, 5)
            weights[11] = rng.uniform(2.5, 4.0)
        else:
            weights[:11] = rng.uniform(0.6, 1.2, 11)
            weights[11] = rng.uniform(1.5, 3.0)  # December spike, as everywhere
        total = round(float(executed), 2)
        cumulative = np.round(total * np.cumsum(weights) / weights.sum(), 2)
        cumulative = np.minimum(np.maximum.accumulate(cumulative), total)
        cumulative[-1] = total
        rows += [{"unit_code": code, "year": year, "month": m + 1, "executed_cum": float(cumulative[m])}
                 for m in range(12)]
        if code in plan.slow_units:
            _error(errors, code, year, "slow_spending",
                   f"6月末累计支出 {cumulative[5]:.2f} 万元，仅占全年执行数 {cumulative[5] / total:.1%}，"
                   f"低于序时进度 50%")
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------


def _layout_2020(rng) -> tuple[list[tuple[str, str, _Spec]], np.ndarray]:
    rows = [("预算执行率", "预算执行率", _EXECUTION_2020)]
    for level1, pools in _POOLS_2020.items():
        for level2, ((lo, hi), specs) in pools.items():
            n = int(rng.integers(lo, hi + 1))
            rows += [(level1, level2, specs[i]) for i in sorted(rng.choice(len(specs), size=n, replace=False))]
    return rows, rng.dirichlet(np.full(len(rows), 4.0))


def _layout_2013() -> tuple[list[tuple[str, str, _Spec]], np.ndarray]:
    rows = [(level1, level2, spec) for level1, level2, spec, _ in _TEMPLATE_2013]
    return rows, np.array([w for *_, w in _TEMPLATE_2013], dtype=float)


def _weights(rows, shares, ruleset: str, short: bool) -> np.ndarray:
    totals = dict(_LEVEL1_2020) if ruleset == RULESET_2020 else {"投入": 15, "过程": 55, "产出": 15, "效果": 15}
    if short:
        totals[_SHORTED_LEVEL1[ruleset]] -= 5
    level1 = np.array([r[0] for r in rows])
    weights = np.zeros(len(rows), dtype=int)
    for name, total in totals.items():
        idx = np.flatnonzero(level1 == name)
        weights[idx] = _split_weight(total, shares[idx])
    return weights


def _unit_target(rng, spec: _Spec) -> float | str:
    if isinstance(spec.target, tuple):
        return float(_nice_count(int(rng.integers(spec.target[0], spec.target[1] + 1))))
    return spec.target


def _draw_actual(rng, direction: str, target: float, percent: bool, decimals: int, met: bool,
                 high: float = 100.0) -> float:
    step = 10.0 ** -decimals
    if not percent:  # counts
        t = int(target)
        if direction == "≥":
            return float(t + rng.integers(0, t // 3 + 1) if met else rng.integers(max(1, int(t * 0.6)), t))
        return float(rng.integers(int(t * 0.8), t + 1) if met else rng.integers(t + 1, int(t * 1.2) + 2))
    if direction == "≥":
        value = rng.uniform(target, max(target, high)) if met else rng.uniform(target * 0.85, target - step)
    elif direction == "=":
        value = target if met else rng.uniform(target * 0.85, target - step)
    elif target <= 0:  # "三公"经费变动率 ≤0%
        value = rng.uniform(-15.0, 0.0) if met else rng.uniform(0.1, 5.0)
    else:
        value = rng.uniform(target * 0.88, target) if met else rng.uniform(target + step, target * 1.08 + step)
    return round(float(value), decimals)


def _miss_badly(rng, direction: str, target: float, percent: bool, decimals: int) -> float:
    """An actual clearly short of the target (for rows scored full marks regardless)."""
    if not percent:
        factor = rng.uniform(0.5, 0.8) if direction == "≥" else rng.uniform(1.2, 1.4)
        return float(int(target * factor) + (direction != "≥"))
    if direction == "≤":
        return round(float(rng.uniform(2.0, 6.0) if target <= 0 else target * rng.uniform(1.1, 1.3)), decimals)
    return round(float(target * rng.uniform(0.7, 0.9)), decimals)


def _indicator_row(rng, spec: _Spec, target, budget: pd.Series, met_share: float = _MET_SHARE) -> dict:
    row = {"level3": spec.level3, "measure": spec.measure, "direction": spec.direction, "decimals": spec.decimals,
           "signed": spec.signed, "percent": spec.measure == "%", "tied": spec.source is not None,
           "applicable": True}
    if spec.direction is None:
        scale = _QUAL_SCALES[target]
        word = scale[int(rng.choice(3, p=_QUAL_PROBS))][0]
        return row | {"kind": QUAL, "target": np.nan, "actual": np.nan, "target_text": target, "actual_text": word}
    if spec.source:
        actual = round(float(budget[spec.source]), spec.decimals)
    else:
        met = rng.random() < met_share
        if not met and met_share < _MET_SHARE and rng.random() < 0.6:  # the weak units miss by a lot
            actual = _miss_badly(rng, spec.direction, target, row["percent"], spec.decimals)
        else:
            actual = _draw_actual(rng, spec.direction, target, row["percent"], spec.decimals, met, spec.high)
    suffix = "%" if row["percent"] else ""
    return row | {"kind": QUANT, "target": float(target), "actual": actual,
                  "target_text": spec.target_text or f"{spec.direction}{_fmt_num(target, spec.decimals)}{suffix}",
                  "actual_text": _fmt_num(actual, spec.decimals, spec.signed) + suffix}


def _met_share(code: str, year: int) -> float:
    """How likely a quantitative target is met: lower for the weak units, and lower in their later years."""
    if code not in _WEAK_UNITS:
        return _MET_SHARE
    return max(0.2, _WEAK_UNITS[code] - 0.05 * (year - 2019) if code == "D023" else _WEAK_UNITS[code])


def _indicator_rows(units: pd.DataFrame, years: Sequence[int], sums: pd.DataFrame, plan: _Plan,
                    seed: int) -> pd.DataFrame:
    rows = []
    for i, (code, ruleset) in enumerate(zip(units["unit_code"], units["ruleset"])):
        rng = _rng(seed, "unit_indicators", i)  # one stream per unit: its indicator set is stable
        layout, shares = _layout_2020(rng) if ruleset == RULESET_2020 else _layout_2013()
        targets = [_unit_target(rng, spec) for _, _, spec in layout]
        for year in years:
            weights = _weights(layout, shares, ruleset, short=(code, year) == plan.weights_95)
            met_share = _met_share(code, year)
            for (level1, level2, spec), target, weight in zip(layout, targets, weights):
                row = _indicator_row(rng, spec, target, sums.loc[(code, year)], met_share)
                na = spec.level3 in _NA_SHARE_2013 and ruleset == RULESET_2013 \
                    and rng.random() < _NA_SHARE_2013[spec.level3]
                rows.append(row | {"unit_code": code, "year": year, "level1": level1, "level2": level2,
                                   "weight": float(weight), "ruleset": ruleset, "applicable": not na})
    return pd.DataFrame(rows)


def _mark_not_applicable(frame: pd.DataFrame, years: Sequence[int], plan: _Plan, rng) -> pd.DataFrame:
    """A few mof-2020 rows per year are 不涉及 (2013 units' 生态/经济效益 already are, often)."""
    for year in years:
        pool = frame[(frame["year"] == year) & (frame["ruleset"] == RULESET_2020) & ~frame["tied"]
                     & frame["level1"].isin(["产出指标", "效益指标"])
                     & ~frame["unit_code"].isin([c for c, y in plan.used if y == year])]
        units = pool["unit_code"].unique()
        for code in rng.choice(units, size=min(2, len(units)), replace=False):
            index = rng.choice(pool.index[pool["unit_code"] == code])
            frame.loc[index, "applicable"] = False
    na = ~frame["applicable"]
    frame.loc[na, ["target_text", "actual_text"]] = NOT_APPLICABLE
    frame.loc[na, ["target", "actual"]] = np.nan
    return frame


def _score(frame: pd.DataFrame, rng) -> pd.DataFrame:
    factor = frame["actual_text"].map(_QUAL_FACTOR).astype(float).fillna(0.0).to_numpy()
    score, met = _honest_scores(frame["weight"].to_numpy(), _direction_codes(frame["direction"]),
                                frame["target"].to_numpy(), frame["actual"].to_numpy(), factor,
                                frame["applicable"].to_numpy())
    frame["claimed_score"] = score
    frame["met"] = met
    reasons = rng.choice(_MISS_REASONS, size=len(frame))
    explain = ~met & (rng.random(len(frame)) < _REASON_SHARE)
    frame["note"] = pd.Series(np.where(explain, reasons, None), index=frame.index, dtype=object)
    return frame


def _execution_notes(frame: pd.DataFrame, plan: _Plan, lines: pd.DataFrame) -> pd.DataFrame:
    """The execution-rate row's 偏差原因 agrees with the budget: the budget's 说明 where the unit
    explained its low execution, nothing where it did not."""
    execution = frame["level3"].isin(["预算执行率", "预算完成率"])
    for keys, explained in ((plan.low_explained, True), (plan.low_unexplained, False)):
        for code, year in keys:
            row = execution & (frame["unit_code"] == code) & (frame["year"] == year)
            said = lines.loc[(lines["unit_code"] == code) & (lines["year"] == year), "note"]
            said = said[said.isin(_LOW_EXECUTION_NOTES)]
            frame.loc[row, "note"] = str(said.iloc[0]) if explained and len(said) else None
    return frame


def _plant_indicator_errors(frame: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    candidates = frame["applicable"] & ~frame["tied"]
    for code, year in plan.full_marks:
        pool = frame[candidates & (frame["unit_code"] == code) & (frame["year"] == year) & frame["kind"].eq(QUANT)]
        procurement = pool[pool["level3"] == "政府采购执行率"]
        index = procurement.index[0] if len(procurement) else rng.choice(pool.index)
        row = frame.loc[index]
        actual = _miss_badly(rng, row["direction"], row["target"], row["percent"], row["decimals"])
        text = _fmt_num(actual, row["decimals"], row["signed"]) + ("%" if row["percent"] else "")
        frame.loc[index, ["actual", "actual_text"]] = [actual, text]
        frame.loc[index, ["claimed_score", "met", "note"]] = [row["weight"], False, None]
        _error(errors, code, year, "full_marks_on_miss",
               f"「{row['level3']}」年度指标值 {row['target_text']}，实际完成值 {text}，未达标却自评满分 "
               f"{_fmt_num(row['weight'], 1)}")
    for code, year in plan.deduction:
        pool = frame[candidates & frame["met"] & (frame["unit_code"] == code) & (frame["year"] == year)
                     & (frame["weight"] >= 3)]
        index = pool.index[np.argmax(pool["weight"].to_numpy())]
        row = frame.loc[index]
        frame.loc[index, ["claimed_score", "note"]] = [row["weight"] - 1, None]
        _error(errors, code, year, "unexplained_deduction",
               f"「{row['level3']}」已达成（{row['target_text']} / {row['actual_text']}），自评得分 "
               f"{_fmt_num(row['weight'] - 1, 1)} / 分值 {_fmt_num(row['weight'], 1)}，无偏差原因")
    code, year = plan.weights_95
    total = frame.loc[(frame["unit_code"] == code) & (frame["year"] == year), "weight"].sum()
    _error(errors, code, year, "weights_not_100", f"分值合计 {_fmt_num(total, 1)}（应为 100）")
    return frame


def _indicators(units, years, lines, sums, plan, seed, errors) -> pd.DataFrame:
    rng = _rng(seed, "indicators")
    frame = _indicator_rows(units, years, sums, plan, seed)
    frame = _mark_not_applicable(frame, years, plan, rng)
    frame = _score(frame, rng)
    frame = _execution_notes(frame, plan, lines)
    return _plant_indicator_errors(frame, plan, rng, errors)


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------


def _claims(indicators: pd.DataFrame, plan: _Plan, rng, errors: list) -> pd.DataFrame:
    claims = (indicators.groupby(["unit_code", "year"], sort=False)["claimed_score"].sum().round(1)
              .rename("detail_sum").reset_index())
    claims["claimed_total"] = claims["detail_sum"]
    free = ~pd.Series([k in plan.used for k in zip(claims["unit_code"], claims["year"])], index=claims.index)
    free &= claims["unit_code"].ne(YUAN_UNIT)
    room = claims.index[free & (claims["detail_sum"] <= 97)]  # leaves room for +3 below 100
    if len(room) < 3:
        room = claims[free].nsmallest(3, "detail_sum").index
    inflated = rng.choice(room, size=3, replace=False)
    for index in inflated:
        bump = rng.uniform(3, 6)
        claims.loc[index, "claimed_total"] = round(min(100.0, claims.loc[index, "detail_sum"] + bump), 1)
    claims["claimed_grade"] = claims["claimed_total"].map(grade_of)
    for index in sorted(inflated):
        row = claims.loc[index]
        _error(errors, row["unit_code"], row["year"], "claim_total_inflated",
               f"自评总分 {row['claimed_total']:.1f} 高于指标自评得分之和 {row['detail_sum']:.1f}"
               f"（+{row['claimed_total'] - row['detail_sum']:.1f}）")
    free.loc[inflated] = False
    below = claims.index[free & (claims["claimed_total"] < 90)]
    index = rng.choice(below) if len(below) else rng.choice(claims.index[free])
    right = claims.loc[index, "claimed_grade"]
    grades = [g for _, g in _GRADES]
    wrong = grades[grades.index(right) - 1] if right != "优" else "良"
    claims.loc[index, "claimed_grade"] = wrong
    _error(errors, claims.loc[index, "unit_code"], claims.loc[index, "year"], "claim_grade_inconsistent",
           f"自评总分 {claims.loc[index, 'claimed_total']:.1f} 应为「{right}」，填报为「{wrong}」")
    return claims


# ---------------------------------------------------------------------------------------------
# The whole district
# ---------------------------------------------------------------------------------------------


@dataclass
class _Demo:
    units: pd.DataFrame
    lines: pd.DataFrame
    totals: pd.DataFrame
    spending: pd.DataFrame
    indicators: pd.DataFrame
    claims: pd.DataFrame
    errors: pd.DataFrame


_ERROR_ORDER = ("budget_total_mismatch", "budget_overspend", "budget_zero_line", "low_execution_explained",
                "low_execution_unexplained", "slow_spending", "weights_not_100", "full_marks_on_miss",
                "unexplained_deduction", "claim_total_inflated", "claim_grade_inconsistent")
_ERROR_FILES = {"budget_total_mismatch": "budget_<year>", "budget_overspend": "budget_<year>",
                "budget_zero_line": "budget_<year>", "low_execution_explained": "budget_<year>",
                "low_execution_unexplained": "budget_<year>", "slow_spending": SPENDING_FILE,
                "weights_not_100": "indicators_<year>", "full_marks_on_miss": "indicators_<year>",
                "unexplained_deduction": "indicators_<year>", "claim_total_inflated": CLAIMS_FILE,
                "claim_grade_inconsistent": CLAIMS_FILE}


def _build(seed: int, n_units: int, years: Sequence[int]) -> _Demo:
    years = [int(y) for y in years]
    errors: list[dict] = []
    units = _units(n_units)
    plan = _plan(units, years, _rng(seed, "plan"))
    budget_rng = _rng(seed, "budget")
    lines = _budget(units, years, plan, budget_rng, errors)
    totals = _budget_totals(lines, plan, budget_rng, errors)
    sums = _unit_year_budget(lines)
    spending = _spending(sums, plan, _rng(seed, "spending"), errors)
    indicators = _indicators(units, years, lines, sums, plan, seed, errors)
    claims = _claims(indicators, plan, _rng(seed, "claims"), errors)
    table = pd.DataFrame(errors, columns=["unit_code", "year", "kind", "detail"])
    table["year"] = table["year"].astype("int64")
    rank = table["kind"].map({k: i for i, k in enumerate(_ERROR_ORDER)})
    table = table.assign(_rank=rank).sort_values(["_rank", "unit_code", "year"], kind="stable")
    table = table.drop(columns="_rank").reset_index(drop=True)
    return _Demo(units, lines, totals, spending, indicators, claims, table)


def planted_errors(seed: int = DEFAULT_SEED, n_units: int = DEFAULT_N_UNITS,
                   years: Iterable[int] = DEFAULT_YEARS) -> pd.DataFrame:
    """The deliberate errors :func:`generate` plants, one row per finding an audit should make.

    Parameters
    ----------
    seed, n_units, years
        As given to :func:`generate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_code``, ``year`` (int64), ``kind`` and ``detail`` (Chinese, with the
        figures). Kinds: ``budget_total_mismatch``, ``budget_overspend``, ``budget_zero_line``,
        ``low_execution_explained``, ``low_execution_unexplained``, ``slow_spending``,
        ``weights_not_100``, ``full_marks_on_miss``, ``unexplained_deduction``,
        ``claim_total_inflated``, ``claim_grade_inconsistent``.

    Examples
    --------
    >>> errors = planted_errors()
    >>> list(errors.columns)
    ['unit_code', 'year', 'kind', 'detail']
    >>> int((errors["kind"] == "full_marks_on_miss").sum())
    6
    """
    return _build(seed, n_units, list(years)).errors


# ---------------------------------------------------------------------------------------------
# Writing the files, with the dirt
# ---------------------------------------------------------------------------------------------


def _dirty_money(value: float, rng, counts: Counter) -> str:
    """Mostly ``1234.50``; sometimes ``1234.50万元``, ``1,234.50`` or full-width ``１２３４．５０``."""
    u = rng.random()
    if u < 0.03:
        counts["金额带“万元”后缀 / amount with 万元 suffix"] += 1
        return f"{value:.2f}万元"
    if u < 0.12 and value >= 1000:
        counts["千分位逗号 / thousands separators"] += 1
        return f"{value:,.2f}"
    if 0.12 <= u < 0.124:
        counts["全角数字 / full-width digits"] += 1
        return f"{value:.2f}".translate(_FULLWIDTH)
    return f"{value:.2f}"


def _with_blank_rows(rows: list[list], n: int, rng, counts: Counter) -> list[list]:
    width = len(rows[0]) if rows else 1
    rows = list(rows)
    for position in sorted(rng.choice(np.arange(1, len(rows)), size=n, replace=False), reverse=True):
        rows.insert(int(position), [""] * width)
    counts["整行空白 / fully blank rows"] += n
    return rows


def _budget_table_rows(lines: pd.DataFrame, totals: pd.DataFrame, money, as_text: bool) -> list[list]:
    """Detail rows then the 合计 row, per unit-year; ``money(value)`` formats an amount."""
    out = []
    for (code, year), group in lines.groupby(["unit_code", "year"], sort=False):
        for line in group.itertuples():
            out.append([code, int(year), line.category, line.funding_source, _blank(line.project),
                        money(line.budget_initial), money(line.budget_final), money(line.executed),
                        _blank(line.note)])
        total = totals[(totals["unit_code"] == code) & (totals["year"] == year)].iloc[0]
        out.append([code, int(year), TOTAL, "", "", money(total["budget_initial"]), money(total["budget_final"]),
                    money(total["executed"]), ""])
    if as_text:
        out = [[str(v) for v in row] for row in out]
    return out


def _write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _save_workbook(workbook: Workbook, path: Path) -> Path:
    """Save with fixed document dates and zip timestamps, so the bytes never change."""
    workbook.properties.creator = "perfeval_lib.demo"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook() would stamp "modified" with now
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # zipfile stamps each entry with the wall clock: replace it
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    path.write_bytes(out.getvalue())
    return path


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], start_row: int = 1):
    sheet = workbook.active
    sheet.title = title
    for col, name in enumerate(header, start=1):
        sheet.cell(row=start_row, column=col, value=name)
    for r, row in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(row, start=1):
            if value != "" and value is not None:
                cell = sheet.cell(row=r, column=col, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # "=100%" is a target, not a formula
    return sheet


def _write_units(out: Path, units: pd.DataFrame) -> Path:
    rows = units[["unit_code", "unit_name", "parent", "region", "ruleset"]].to_numpy().tolist()
    return _write_csv(out / UNITS_FILE, UNITS_HEADER, rows, encoding="utf-8-sig")


def _write_budgets(out: Path, demo: _Demo, rng, counts: dict) -> list[Path]:
    paths = []
    lines, totals = demo.lines, demo.totals
    in_yuan = lines["unit_code"].eq(YUAN_UNIT)
    for year in sorted(lines["year"].unique()):
        yearly = lines[(lines["year"] == year) & ~in_yuan]
        if year == XLSX_YEAR:
            name = f"budget_{year}.xlsx"
            tally = counts.setdefault(name, Counter())
            rows = _budget_table_rows(yearly, totals, lambda v: _xlsx_money(v, rng, tally), as_text=False)
            rows = _with_blank_rows(rows, 2, rng, tally)
            workbook = Workbook()
            sheet = _sheet(workbook, BUDGET_SHEET, BUDGET_HEADER, rows, start_row=2)
            sheet.cell(row=1, column=1, value=BUDGET_TITLE.format(year=year))
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(BUDGET_HEADER))
            tally["标题行合并单元格，表头在第 2 行 / merged title row, header on row 2"] += 1
            paths.append(_save_workbook(workbook, out / name))
            continue
        name = f"budget_{year}.csv"
        tally = counts.setdefault(name, Counter())
        rows = _budget_table_rows(yearly, totals, lambda v: _dirty_money(v, rng, tally), as_text=True)
        rows = _with_blank_rows(rows, int(rng.integers(1, 3)), rng, tally)
        encoding = "gbk" if year == GBK_YEAR else "utf-8"
        if encoding == "gbk":
            tally["GBK 编码 / GBK encoded"] += 1
        paths.append(_write_csv(out / name, BUDGET_HEADER, rows, encoding=encoding))
    yuan = lines[in_yuan]
    if len(yuan):
        tally = counts.setdefault(YUAN_BUDGET_FILE, Counter())
        rows = _budget_table_rows(yuan, totals, lambda v: f"{v * 10000:,.2f}", as_text=True)
        tally["金额单位为元（表头“（元）”），千分位逗号 / amounts in 元 with separators"] += 1
        paths.append(_write_csv(out / YUAN_BUDGET_FILE, BUDGET_HEADER_YUAN, rows))
    return paths


def _xlsx_money(value: float, rng, counts: Counter) -> float | str:
    text = _dirty_money(value, rng, counts)
    return float(text) if text == f"{value:.2f}" else text  # clean amounts are real numbers


def _write_spending(out: Path, spending: pd.DataFrame) -> Path:
    rows = [[code, int(year), int(month), float(value)] for code, year, month, value
            in spending[["unit_code", "year", "month", "executed_cum"]].itertuples(index=False)]
    workbook = Workbook()
    _sheet(workbook, SPENDING_SHEET, SPENDING_HEADER, rows)
    return _save_workbook(workbook, out / SPENDING_FILE)


def _dirty_indicator_text(text: str, percent: bool, rng, counts: Counter, actual: bool) -> str:
    if text in (NOT_APPLICABLE, "") or not any(ch.isdigit() for ch in text):
        return text
    u = rng.random()
    if percent and actual and u < 0.04:  # re-typed by hand: 1 decimal and a full-width ％
        counts["全角百分号 ％（如 100.0％） / full-width percent sign"] += 1
        number = text.rstrip("%")
        return f"{number}{'' if '.' in number else '.0'}％"  # keep every written decimal
    if percent and not actual and u < 0.03:
        counts["全角百分号 ％（如 100.0％） / full-width percent sign"] += 1
        return text.replace("%", "％")
    if 0.04 <= u < 0.046:
        counts["全角数字 / full-width digits"] += 1
        return text.translate(_FULLWIDTH)
    return text


def _indicator_table_rows(frame: pd.DataFrame, rng, counts: Counter, as_text: bool) -> list[list]:
    out = []
    for row in frame.itertuples():
        if not row.applicable:
            counts["“不涉及”指标（分值保留，自评给满分） / 不涉及 rows"] += 1
        target = _dirty_indicator_text(row.target_text, row.percent, rng, counts, actual=False)
        actual = _dirty_indicator_text(row.actual_text, row.percent, rng, counts, actual=True)
        weight, score = row.weight, row.claimed_score
        if as_text:
            weight, score = _fmt_num(weight, 1), _fmt_num(score, 1)
        else:
            weight = int(weight) if float(weight).is_integer() else float(weight)
            score = int(score) if float(score).is_integer() else float(score)
        out.append([row.unit_code, int(row.year), row.level1, row.level2, row.level3, row.kind, weight,
                    target, actual, row.measure, score, _blank(row.note)])
    if as_text:
        out = [[str(v) for v in r] for r in out]
    return out


def _write_indicators(out: Path, indicators: pd.DataFrame, rng, counts: dict) -> list[Path]:
    paths = []
    for year in sorted(indicators["year"].unique()):
        yearly = indicators[indicators["year"] == year]
        xlsx = year == XLSX_YEAR
        name = f"indicators_{year}.{'xlsx' if xlsx else 'csv'}"
        tally = counts.setdefault(name, Counter())
        rows = _indicator_table_rows(yearly, rng, tally, as_text=not xlsx)
        rows = _with_blank_rows(rows, int(rng.integers(1, 3)), rng, tally)
        if xlsx:
            workbook = Workbook()
            _sheet(workbook, INDICATOR_SHEET, INDICATOR_HEADER, rows)
            paths.append(_save_workbook(workbook, out / name))
        else:
            paths.append(_write_csv(out / name, INDICATOR_HEADER, rows))
    return paths


def _write_claims(out: Path, claims: pd.DataFrame) -> Path:
    rows = [[code, int(year), f"{total:.1f}", grade] for code, year, total, grade
            in claims[["unit_code", "year", "claimed_total", "claimed_grade"]].itertuples(index=False)]
    return _write_csv(out / CLAIMS_FILE, CLAIMS_HEADER, rows)


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------

_README_HEAD = """# 示例区 演示数据 / 示例区 demo data

> **全部数据均为虚构。** 示例区、各单位、金额、指标、得分均由程序随机生成，与任何真实地区、单位或数据无关，
> 仅用于演示和测试 perfeval 的读取、清洗、复核评分与审核功能。
>
> **Every figure here is invented.** The district 示例区, its units, amounts, indicators and scores are
> generated at random by a program; they describe no real place, body or budget. They exist to
> demonstrate and test loading, cleaning, re-scoring and auditing in perfeval.

## 生成方式 / How these files were made

```
python -m perfeval_lib.demo data/raw/demo            # seed {seed}
python -m perfeval_lib.demo data/raw/demo --seed 7   # another invented district
```

生成过程是确定性的：同一 seed 重新运行得到逐字节相同的文件（xlsx 的文档属性和 zip 时间戳均为固定值；
需相同版本的 openpyxl/zlib）。可用 `sha256sum data/raw/demo/*` 对照下方校验和。

Generation is deterministic: rerunning with the same seed gives byte-identical files (xlsx document
dates and zip timestamps are fixed; same openpyxl/zlib versions assumed). Compare
`sha256sum data/raw/demo/*` with the checksums at the end. The planted errors are also available
in code: `perfeval_lib.demo.planted_errors()`.

示例区共 {n_units} 个单位（D001–D{last:03d}），年度 {first_year}–{last_year}；约 2/3 单位适用 `mof-2020`
（预算执行率 10 / 产出 50 / 效益 30 / 满意度 10），其余适用 `mof-2013-dept`（投入 15 / 过程 55 / 产出 15 / 效果 15）。
{n_units} units (D001–D{last:03d}), years {first_year}–{last_year}; about 2/3 use `mof-2020`, the rest `mof-2013-dept`.
"""

_FILE_NOTES = {
    UNITS_FILE: ("UTF-8 with BOM", "单位名录 / unit register"),
    "budget_csv": ("UTF-8", "预算执行明细 + 每单位每年一行“合计” / budget lines + one 合计 row per unit-year"),
    "budget_gbk": ("GBK", "同上，GBK 编码 / as above, GBK-encoded"),
    "budget_xlsx": (f"xlsx, sheet “{BUDGET_SHEET}”", "同上；第 1 行为合并的标题行，表头在第 2 行 / "
                                                    "as above; merged title on row 1, header on row 2"),
    YUAN_BUDGET_FILE: ("UTF-8", f"{YUAN_UNIT} 各年预算执行，金额单位为元 / {YUAN_UNIT}'s budget, all years, in 元"),
    SPENDING_FILE: (f"xlsx, sheet “{SPENDING_SHEET}”", "月度累计支出（万元），12 月 = 全年执行数 / "
                                                      "cumulative monthly spending, December = year's executed"),
    "indicators_csv": ("UTF-8", "绩效指标自评表 / indicator self-evaluation"),
    "indicators_xlsx": (f"xlsx, sheet “{INDICATOR_SHEET}”", "同上 / as above"),
    CLAIMS_FILE: ("UTF-8", "自评总分与等级 / claimed total and grade per unit-year"),
}

_SCORING_NOTE = """## 诚实自评得分的口径 / How the honest 自评得分 were computed

未被预埋错误改动的行，自评得分按以下简单口径计算（保留 1 位小数）：达到目标得满分；定量未达标时，
“≥”按 实际/目标、“≤”按 目标/实际（目标为 0 时不得分，如“三公”经费变动率 ≤0%）、“=”按 较小值/较大值 乘以分值；
定性：达成/好 = 满分，部分达成/较好 = 0.8，一般 = 0.6，未达成 = 0；“不涉及”给满分。
mof-2020 的“预算执行率”（年度指标值写作 “100%”）和 mof-2013-dept 的“预算完成率”“预算调整率”“结转结余率”
由预算执行明细计算（明细之和，不用合计行）。未达标的行约 70% 填写了偏差原因。自评总分 = 指标自评得分之和（1 位小数），
等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60。

Rows not touched by a planted error are scored simply (1 decimal): target met → full 分值; a missed
quantitative target → 分值 × actual/target for ≥, × target/actual for ≤ (0 when the target is 0),
× min/max for =; qualitative: 达成/好 full, 部分达成/较好 0.8, 一般 0.6, 未达成 0; 不涉及 full marks.
The mof-2020 预算执行率 row and the mof-2013 预算完成率/预算调整率/结转结余率 rows are computed from the
budget detail lines (their sum, not the 合计 row). About 70 % of missed targets give a 偏差原因.
自评总分 = the sum of the rows' 自评得分; grades 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60.

Other things an audit will see that are *not* planted errors: honestly missed targets (scored
down, mostly explained); mof-2013 units' 预算调整率 and 结转结余率 targets often missed because
全年预算 is 年初 × 0.9–1.2; 不涉及 rows scored full; mid-year top-ups noted “含年中追加预算”.
"""


def _file_kind(name: str) -> str:
    if name.startswith("budget_") and name != YUAN_BUDGET_FILE:
        if name.endswith(".xlsx"):
            return "budget_xlsx"
        return "budget_gbk" if name == f"budget_{GBK_YEAR}.csv" else "budget_csv"
    if name.startswith("indicators_"):
        return "indicators_xlsx" if name.endswith(".xlsx") else "indicators_csv"
    return name


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _readme(out: Path, demo: _Demo, paths: list[Path], counts: dict, seed: int) -> Path:
    years = sorted(demo.lines["year"].unique())
    parts = [_README_HEAD.format(seed=seed, n_units=len(demo.units), last=len(demo.units),
                                 first_year=years[0], last_year=years[-1])]
    parts.append("## 文件 / Files\n\n| 文件 file | 格式 format | 内容 content | 字节 bytes |\n|---|---|---|---|")
    for path in paths:
        fmt, content = _FILE_NOTES[_file_kind(path.name)]
        parts.append(f"| `{path.name}` | {fmt} | {content} | {path.stat().st_size} |")
    parts.append("\n表头 / headers:\n")
    parts.append(f"- `{UNITS_FILE}`: {','.join(UNITS_HEADER)}")
    parts.append(f"- `budget_<year>`: {','.join(BUDGET_HEADER)}")
    parts.append(f"- `{YUAN_BUDGET_FILE}`: {','.join(BUDGET_HEADER_YUAN)}")
    parts.append(f"- `{SPENDING_FILE}`: {','.join(SPENDING_HEADER)}")
    parts.append(f"- `indicators_<year>`: {','.join(INDICATOR_HEADER)}")
    parts.append(f"- `{CLAIMS_FILE}`: {','.join(CLAIMS_HEADER)}")
    parts.append("\n## 格式“脏点” / Deliberate dirt (format problems a loader must clean)\n")
    parts.append(f"- `budget_<year>`：{YUAN_UNIT} 不在年度文件中，单独见 `{YUAN_BUDGET_FILE}`（金额单位为元）。"
                 f"“合计”行的资金来源、项目名称为空；基本支出行项目名称为空。 / {YUAN_UNIT} is only in "
                 f"`{YUAN_BUDGET_FILE}` (in 元); 合计 rows and 基本支出 rows have empty text columns.")
    parts.append(f"- `{SPENDING_FILE}`：{YUAN_UNIT} 已换算为万元 / {YUAN_UNIT} converted to 万元 here.\n")
    parts.append("| 文件 file | 脏点 dirt | 个数 count |\n|---|---|---|")
    for path in paths:
        for what, n in sorted(counts.get(path.name, Counter()).items()):
            parts.append(f"| `{path.name}` | {what} | {n} |")
    parts.append("\n## 预埋错误 / Planted errors (findings an audit should make)\n")
    parts.append("| 单位 unit | 年度 year | 类型 kind | 文件 file | 详情 detail |\n|---|---|---|---|---|")
    for row in demo.errors.itertuples():
        file = _ERROR_FILES[row.kind].replace("<year>", str(row.year))
        if file.startswith(("budget_", "indicators_")):
            file += ".xlsx" if row.year == XLSX_YEAR else ".csv"
            if row.unit_code == YUAN_UNIT and file.startswith("budget_"):
                file = YUAN_BUDGET_FILE
        parts.append(f"| {row.unit_code} | {row.year} | `{row.kind}` | `{file}` | {_md_cell(row.detail)} |")
    parts.append("\n## 分析人员文字 / The analyst's text (`narratives/`)\n\n"
                 "`narratives/<单位编码>/<年度>.yaml` 是手写的示例文字（同样是虚构的），不由本脚本生成、也不会被它覆盖。"
                 " / `narratives/<unit_code>/<year>.yaml` are hand-written example texts (invented as well); this "
                 "script neither makes nor overwrites them.")
    parts.append("\n" + _SCORING_NOTE)
    parts.append("## 校验和 / SHA-256 checksums\n\n```")
    parts += [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in paths]
    parts.append("```\n")
    path = out / README_FILE
    path.write_text("\n".join(parts), encoding="utf-8", newline="\n")
    return path


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED, n_units: int = DEFAULT_N_UNITS,
             years: Iterable[int] = DEFAULT_YEARS) -> list[Path]:
    """Write the invented 示例区 raw files (and their README) into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write into; created if missing. Existing files of the same names are replaced.
    seed
        Seed of every random choice; the same seed gives byte-identical files.
    n_units
        Number of units (D001…). The planted errors need 21 unit-years besides D017 (e.g. 6 units
        over 5 years); beyond the 24 catalogued names, units are called 示例区第N服务中心.
    years
        Budget years. The budget for 2020 is written in GBK; 2023 budget and indicators as xlsx.

    Returns
    -------
    list of pathlib.Path
        The files written: ``units.csv``, ``budget_<year>.csv|xlsx``, ``budget_D017.csv``,
        ``spending.xlsx``, ``indicators_<year>.csv|xlsx``, ``claims.csv`` and ``README.md`` last.

    Examples
    --------
    >>> import tempfile
    >>> paths = generate(tempfile.mkdtemp(), seed=2023)
    >>> [p.name for p in paths][:2]
    ['units.csv', 'budget_2019.csv']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    demo = _build(seed, n_units, list(years))
    dirt = _rng(seed, "dirt")
    counts: dict[str, Counter] = {}
    paths = [_write_units(out, demo.units)]
    paths += _write_budgets(out, demo, dirt, counts)
    paths.append(_write_spending(out, demo.spending))
    paths += _write_indicators(out, demo.indicators, dirt, counts)
    paths.append(_write_claims(out, demo.claims))
    paths.append(_readme(out, demo, paths, counts, seed))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m perfeval_lib.demo OUT_DIR [--seed N]``.

    Examples
    --------
    >>> import tempfile
    >>> main([tempfile.mkdtemp(), "--seed", "5"])  # doctest: +ELLIPSIS
    wrote 15 files to ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m perfeval_lib.demo",
                                     description="Write the invented 示例区 demo raw files.")
    parser.add_argument("out_dir", type=Path, help="folder to write, e.g. data/raw/demo")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--units", type=int, default=DEFAULT_N_UNITS, help="number of units (default 24)")
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, seed=args.seed, n_units=args.units)
    print(f"wrote {len(paths)} files to {args.out_dir}")
    return 0


# ---------------------------------------------------------------------------------------------
# Fast synthetic canonical tables (benchmarks)
# ---------------------------------------------------------------------------------------------

# 30 slots of the mof-2020 structure: (level1, level2, level3, weight, measure, direction, target)
# target: a fraction for "%", (lo, hi) for counts, the word for 定性 (direction None).
_SYNTHETIC_SLOTS = (
    ("预算执行率", "预算执行率", "预算执行率", 10, "%", "≥", 1.0),
    ("产出指标", "数量指标", "开展宣讲活动场次", 4, "场", "≥", (8, 20)),
    ("产出指标", "数量指标", "组织业务培训次数", 4, "次", "≥", (4, 12)),
    ("产出指标", "数量指标", "培训人次", 3, "人次", "≥", (200, 1500)),
    ("产出指标", "数量指标", "服务对象覆盖人数", 3, "人", "≥", (1000, 20000)),
    ("产出指标", "数量指标", "发放宣传资料份数", 3, "份", "≥", (2000, 10000)),
    ("产出指标", "数量指标", "完成督导检查次数", 3, "次", "≥", (6, 24)),
    ("产出指标", "质量指标", "培训合格率", 3, "%", "≥", 0.9),
    ("产出指标", "质量指标", "项目验收合格率", 3, "%", "≥", 0.95),
    ("产出指标", "质量指标", "检查问题整改率", 3, "%", "≥", 0.95),
    ("产出指标", "质量指标", "服务规范达标率", 3, "%", "≥", 0.95),
    ("产出指标", "时效指标", "资金按时拨付率", 3, "%", "=", 1.0),
    ("产出指标", "时效指标", "项目按期完成率", 3, "%", "≥", 0.95),
    ("产出指标", "时效指标", "投诉办结及时率", 3, "%", "≥", 0.95),
    ("产出指标", "成本指标", "项目成本控制率", 3, "%", "≤", 1.0),
    ("产出指标", "成本指标", "人均培训成本", 3, "元", "≤", (300, 800)),
    ("产出指标", "成本指标", "公用经费支出控制率", 3, "%", "≤", 1.0),
    ("效益指标", "社会效益指标", "群众政策知晓率", 3, "%", "≥", 0.85),
    ("效益指标", "社会效益指标", "服务对象权益保障水平", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "公共服务水平提升", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "投诉问题解决率", 3, "%", "≥", 0.9),
    ("效益指标", "社会效益指标", "部门履职能力提升", 3, "", None, "达成"),
    ("效益指标", "社会效益指标", "突发事件处置率", 3, "%", "=", 1.0),
    ("效益指标", "可持续影响指标", "长效管理机制建立情况", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "制度建设完善程度", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "数字化管理水平", 3, "", None, "达成"),
    ("效益指标", "可持续影响指标", "设施设备完好率", 3, "%", "≥", 0.95),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", 3, "%", "≥", 0.9),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", 3, "%", "≥", 0.85),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", 4, "%", "≥", 0.9),
)
_SYNTHETIC_YEARS = np.arange(2019, 2024)
SYNTHETIC_INDICATOR_COLUMNS = ["unit_code", "year", "indicator", "level1", "level2", "level3", "weight", "kind",
                     "direction", "target", "actual", "measure", "claimed_score", "note", "applicable",
                     "target_text", "actual_text"]
SYNTHETIC_BUDGET_COLUMNS = ["unit_code", "year", "line", "category", "funding_source", "project", "budget_initial",
                  "budget_final", "executed", "note"]


def _str_take(values: Sequence[object], codes: np.ndarray) -> pd.arrays.ArrowStringArray:
    """A pandas ``str`` column of ``values[codes]``, built without touching each row in Python."""
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(codes)


def _texts(values: np.ndarray, fmt) -> tuple[list[str], np.ndarray]:
    """Format each distinct value once: (texts, codes) with ``texts[codes]`` the formatted column."""
    uniques, codes = np.unique(values, return_inverse=True)
    return [fmt(v) for v in uniques], codes.ravel()


def synthetic_indicators(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """Canonical indicator rows, fast, for benchmarks (invented; mof-2020 structure).

    Every unit-year has the same 30 indicators (预算执行率 10 / 产出指标 50 / 效益指标 30 /
    满意度指标 10; weights sum to exactly 100). Rates are fractions. To keep every unit-year whole,
    ``ceil(n_rows / 30) * 30`` rows are returned (at most 29 more than asked). Each unit has
    five years, 2019–2023. About 85 % of targets are met; scores are the honest ones except that
    about 1 % of missed targets claim full marks; about 1 % of rows are 不涉及.

    Parameters
    ----------
    n_rows
        Rows wanted (rounded up to whole unit-years).
    seed
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Columns unit_code, year (int64), indicator, level1, level2, level3, weight (float64),
        kind (定量/定性), direction (≥/≤/= or NA), target, actual (float64, NaN for 定性 and
        不涉及), measure, claimed_score (float64), note, applicable (bool), target_text,
        actual_text.

    Examples
    --------
    >>> frame = synthetic_indicators(60, seed=1)
    >>> len(frame), frame["unit_code"].iloc[0]
    (60, 'B000001')
    >>> frame.groupby(["unit_code", "year"])["weight"].sum().tolist()
    [100.0, 100.0]
    """
    n_slots = len(_SYNTHETIC_SLOTS)
    n_uy = max(0, math.ceil(n_rows / n_slots))
    n = n_uy * n_slots
    rng = _rng(seed, "synthetic")
    level1, level2, level3, weights, measures, directions, targets = zip(*_SYNTHETIC_SLOTS)
    slot = np.tile(np.arange(n_slots), n_uy)
    uy = np.repeat(np.arange(n_uy), n_slots)

    is_qual = np.array([d is None for d in directions])[slot]
    is_pct = np.array([m == "%" for m in measures])[slot]
    dir_code = _direction_codes(directions)[slot]
    pct_target = np.array([t if isinstance(t, float) else np.nan for t in targets])[slot]
    lo = np.array([t[0] if isinstance(t, tuple) else 0 for t in targets])[slot]
    hi = np.array([t[1] if isinstance(t, tuple) else 0 for t in targets])[slot]
    count_target = rng.integers(lo, hi + 1).astype(float)
    target = np.where(is_pct, pct_target, count_target)

    met = rng.random(n) < _MET_SHARE
    u = rng.random(n)
    ge, le, eq = dir_code == 0, dir_code == 1, dir_code == 2
    pct_actual = np.select(
        [ge & met, ge, eq & met, eq, le & met],
        [target + u * (1 - target), target * (0.85 + 0.149 * u), target, target * (0.85 + 0.149 * u),
         target * (0.88 + 0.12 * u)],
        target * (1.001 + 0.1 * u))
    pct_actual = np.where(slot == 0, 0.88 + 0.13 * u, pct_actual)  # 预算执行率 can exceed 100 %
    pct_actual = np.round(pct_actual, 3)
    count_actual = np.select(
        [ge & met, ge, le & met],
        [target + np.floor(u * (target // 3 + 1)), np.floor(target * (0.6 + 0.39 * u)),
         np.floor(target * (0.8 + 0.2 * u))],
        np.ceil(target * (1.01 + 0.19 * u)))
    actual = np.where(is_pct, pct_actual, count_actual)
    target = np.where(is_qual, np.nan, target)
    actual = np.where(is_qual, np.nan, actual)

    qual_level = np.searchsorted(np.cumsum(_QUAL_PROBS), rng.random(n), side="right").clip(0, 2)
    qual_words = [w for w, _ in _QUAL_SCALES["达成"]]
    qual_factor = np.array([f for _, f in _QUAL_SCALES["达成"]])[qual_level]
    applicable = (rng.random(n) >= 0.01) | (slot == 0)
    target = np.where(applicable, target, np.nan)
    actual = np.where(applicable, actual, np.nan)
    weight = np.array(weights, dtype=float)[slot]
    score, met = _honest_scores(weight, dir_code, target, actual, np.where(is_qual, qual_factor, 0.0), applicable)
    score = np.where(~met & (rng.random(n) < 0.01), weight, score)

    # Text columns: codes into small tables of distinct strings.
    # target_text/actual_text codes: [不涉及, 达成, 部分达成, 未达成, <formatted numbers…>]
    fixed = [NOT_APPLICABLE, *qual_words]
    num_target = np.where(is_pct, np.round(target * 1000), target)  # per-mille or count
    key_t = np.where(is_pct, 0, 1) * 1e9 + np.nan_to_num(num_target) + dir_code * 1e10
    t_texts, t_codes = _texts(np.where(applicable & ~is_qual, key_t, -1), lambda k: _synthetic_text(k, True))
    a_key = np.where(is_pct, 0, 1) * 1e9 + np.nan_to_num(np.where(is_pct, np.round(actual * 1000), actual))
    a_texts, a_codes = _texts(np.where(applicable & ~is_qual, a_key, -1), lambda k: _synthetic_text(k, False))
    base = len(fixed)
    t_codes = np.where(~applicable, 0, np.where(is_qual, 1, t_codes + base))
    a_codes = np.where(~applicable, 0, np.where(is_qual, 1 + qual_level, a_codes + base))

    n_units = math.ceil(n_uy / len(_SYNTHETIC_YEARS)) if n_uy else 0
    unit_codes = [f"B{i + 1:06d}" for i in range(n_units)]
    note_pool = [None, *_MISS_REASONS]
    note_code = np.where(~met & (rng.random(n) < 0.5), 1 + rng.integers(0, len(_MISS_REASONS), n), 0)
    level3_col = _str_take(level3, slot)
    return pd.DataFrame({
        "unit_code": _str_take(unit_codes, uy // len(_SYNTHETIC_YEARS)),
        "year": _SYNTHETIC_YEARS[uy % len(_SYNTHETIC_YEARS)].astype("int64"),
        "indicator": level3_col,
        "level1": _str_take(level1, slot),
        "level2": _str_take(level2, slot),
        "level3": level3_col.copy(),
        "weight": weight,
        "kind": _str_take([QUANT, QUAL], is_qual.astype(np.intp)),
        "direction": _str_take(["≥", "≤", "=", None], np.where(dir_code < 0, 3, dir_code).astype(np.intp)),
        "target": target,
        "actual": actual,
        "measure": _str_take(measures, slot),
        "claimed_score": score.astype("float64"),
        "note": _str_take(note_pool, note_code.astype(np.intp)),
        "applicable": applicable.astype(bool),
        "target_text": _str_take(fixed + t_texts, t_codes.astype(np.intp)),
        "actual_text": _str_take(fixed + a_texts, a_codes.astype(np.intp)),
    }, columns=SYNTHETIC_INDICATOR_COLUMNS)


def _synthetic_text(key: float, with_sign: bool) -> str:
    """Decode a packed (direction, percent-or-count, value) key into ``≥90%`` / ``96.5%`` / ``12``."""
    if key < 0:
        return ""
    direction, rest = divmod(key, 1e10)
    is_count, value = divmod(rest, 1e9)
    sign = ("≥", "≤", "=")[int(direction)] if with_sign and direction < 3 else ""
    if is_count:
        return f"{sign}{_fmt_num(value, 0)}"
    return f"{sign}{_fmt_num(value / 10, 1)}%"


def synthetic_budget(unit_years: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Canonical budget lines, fast, for benchmarks (invented): 4 lines per unit-year.

    Lines: 基本支出/财政拨款, 基本支出/其他资金, 项目支出/财政拨款/<project>,
    项目支出/其他资金/<project>. Money in 万元 with 2 decimals; about 5 % of unit-years execute
    only 60–89 %, the rest 92–100 %.

    Parameters
    ----------
    unit_years
        A frame with ``unit_code`` and ``year`` columns (other columns are ignored; duplicates kept).
    seed
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Columns unit_code, year (int64), line, category, funding_source, project (NA for 基本支出),
        budget_initial, budget_final, executed (float64), note (NA or an explanation).

    Examples
    --------
    >>> import pandas as pd
    >>> budget = synthetic_budget(pd.DataFrame({"unit_code": ["B000001"], "year": [2023]}), seed=1)
    >>> budget["line"].tolist()[:2]
    ['基本支出/财政拨款', '基本支出/其他资金']
    """
    n_uy = len(unit_years)
    rng = _rng(seed, "synthetic", 1)
    uy = np.repeat(np.arange(n_uy), 4)
    slot = np.tile(np.arange(4), n_uy)
    categories = np.array([0, 0, 1, 1])[slot]
    sources = np.array([0, 1, 0, 1])[slot]
    project = rng.integers(0, len(_GENERIC_PROJECTS) + 4, n_uy)[uy]
    projects = list(_GENERIC_PROJECTS) + ["培训宣传项目", "设备购置项目", "维修改造项目", "专项调研项目"]
    low, high = np.array([300, 50, 50, 50])[slot], np.array([3000, 200, 2000, 300])[slot]
    initial = np.round(np.exp(rng.uniform(np.log(low), np.log(high))), 2)
    final = np.round(initial * rng.uniform(0.9, 1.2, len(slot)), 2)
    slow = (rng.random(n_uy) < 0.05)[uy]
    ratio = np.where(slow, rng.uniform(0.6, 0.89, len(slot)), rng.uniform(0.92, 1.0, len(slot)))
    executed = np.round(final * ratio, 2)
    line_names = [f"{c}/{s}" for c, s in ((BASIC, FISCAL), (BASIC, OTHER))]
    line_names += [f"{PROJECT}/{s}/{p}" for s in (FISCAL, OTHER) for p in projects]
    line_code = np.where(categories == 0, slot, 2 + sources * len(projects) + project)
    note_code = np.where(slow & (slot == 2), 1 + rng.integers(0, len(_LOW_EXECUTION_NOTES), len(slot)), 0)
    return pd.DataFrame({
        "unit_code": pd.array(np.asarray(unit_years["unit_code"], dtype=object), dtype="str").take(uy),
        "year": np.asarray(unit_years["year"], dtype="int64")[uy],
        "line": _str_take(line_names, line_code.astype(np.intp)),
        "category": _str_take([BASIC, PROJECT], categories.astype(np.intp)),
        "funding_source": _str_take([FISCAL, OTHER], sources.astype(np.intp)),
        "project": _str_take([None, *projects], np.where(categories == 0, 0, 1 + project).astype(np.intp)),
        "budget_initial": initial,
        "budget_final": final,
        "executed": executed,
        "note": _str_take([None, *_LOW_EXECUTION_NOTES], note_code.astype(np.intp)),
    }, columns=SYNTHETIC_BUDGET_COLUMNS)


if __name__ == "__main__":
    raise SystemExit(main())

"""The indicator templates: which 三级指标 a unit may report, with unit of measure, direction, target and
weight rules, for both rulesets. ``mof-2020`` units draw a stable set from pools per 二级指标 (weights
预算执行率 10 / 产出 50 / 效益 30 / 满意度 10, split at random within each 一级指标); ``mof-2013-dept`` units
use the fixed 财预〔2013〕53号 共性指标 rows and weights (投入 15 / 过程 55 / 产出 15 / 效果 15). Targets are
percent points (``90.0`` is 90 %), a (lo, hi) count range, or a 定性 word scored on its scale.
"""
from __future__ import annotations

from dataclasses import dataclass

from .names import RULESET_2013, RULESET_2020

#: 定性 scales: the target word, then (actual word, share of the score) from best to worst.
_QUAL_SCALES = {"达成": (("达成", 1.0), ("部分达成", 0.8), ("未达成", 0.0)),
                "好": (("好", 1.0), ("较好", 0.8), ("一般", 0.6))}
_QUAL_FACTOR = {word: factor for scale in _QUAL_SCALES.values() for word, factor in scale}
_QUAL_PROBS = (0.85, 0.12, 0.03)  # chance of each word of a scale, best first
_MET_SHARE = 0.85        # share of quantitative indicators that meet their target


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
    """A percent indicator; ``target`` in percent points."""
    return _Spec(name, "%", direction, float(target), **kw)


def _count(name: str, measure: str, direction: str, lo: int, hi: int) -> _Spec:
    """A count indicator in ``measure`` (场, 人次, 元…); each unit's target is drawn from ``lo``–``hi``."""
    return _Spec(name, measure, direction, (lo, hi), decimals=0)


def _qual(name: str, word: str = "达成") -> _Spec:
    """A 定性 indicator whose target is ``word`` (达成 or 好) and whose actual is a word of its scale."""
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

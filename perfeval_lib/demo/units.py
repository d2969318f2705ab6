"""The invented units of 示例区 and their profiles: code, name, 主管部门, ruleset and projects. Units
``D001``–``D024`` come from a fixed catalogue of 24 invented bodies (beyond that, 示例区第N服务中心 with
generic projects); every third unit is scored by ``mof-2013-dept``, the rest by ``mof-2020``; three
invented weak performers (``D012``, ``D016``, ``D023``) meet fewer quantitative targets, so grades spread
beyond 优 and move between years.
"""
from __future__ import annotations

import pandas as pd

from .names import DISTRICT, GOVERNMENT, RULESET_2013, RULESET_2020
from .specs import _MET_SHARE

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

#: Invented weaker performers, so the district's grades spread beyond 优 and some grades move between
#: years: the share of their quantitative targets met (D023's falls each year), and misses are larger.
_WEAK_UNITS = {"D012": 0.6, "D016": 0.4, "D023": 0.3}


def _units(n_units: int) -> pd.DataFrame:
    """The unit register: columns unit_code (D001…), unit_name, parent (主管部门), region, ruleset and
    projects (a tuple of project names, not written to the register)."""
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


def _met_share(code: str, year: int) -> float:
    """How likely a quantitative target is met: lower for the weak units, and lower in their later years."""
    if code not in _WEAK_UNITS:
        return _MET_SHARE
    return max(0.2, _WEAK_UNITS[code] - 0.05 * (year - 2019) if code == "D023" else _WEAK_UNITS[code])

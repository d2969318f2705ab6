"""The demo's fixed vocabulary: defaults, file and sheet names, Chinese headers and words, and the
seeded random streams. Every name the demo writes into a file (headers, 支出类别, 资金来源, 指标性质,
不涉及, the 说明 and 偏差原因 notes) is defined once here, with the defaults of
:func:`~perfeval_lib.demo.generate` (seed 2023, 24 units, 2019–2023) and the unit, years and files that
carry a format quirk (``D017`` in 元, 2020 in GBK, 2023 as xlsx); :func:`_rng` gives each part of the
generator its own independent ``numpy`` stream, so changing one part never shifts another's draws.
"""
from __future__ import annotations

import numpy as np

DISTRICT = "示例区"
DEFAULT_SEED = 2023
DEFAULT_N_UNITS = 24
DEFAULT_YEARS = range(2019, 2024)
RULESET_2020 = "mof-2020"
RULESET_2013 = "mof-2013-dept"
YUAN_UNIT = "D017"   # reports money in 元, in its own file
GBK_YEAR = 2020      # this year's budget csv is saved in GBK
XLSX_YEAR = 2023     # this year's budget and indicators come as xlsx

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

#: 偏差原因 of missed targets, and 说明 of the budget lines (low execution, top-ups, overspend, cancelled).
_MISS_REASONS = ("受疫情影响，部分活动延期或取消", "项目实施进度滞后，部分资金结转下年",
                 "政府采购流程延长，合同签订推迟", "人员调整，工作衔接不到位",
                 "服务对象需求变化，实际发生数少于预期", "部分工程尚未完成竣工验收")
_LOW_EXECUTION_NOTES = ("受疫情影响，部分项目延期实施，资金结转下年使用", "项目尚未完成验收，尾款未支付",
                        "政府采购流程延长，资金未能在年内支付")
_TOP_UP_NOTE = "含年中追加预算"
_OVERSPEND_NOTE = "含其他资金列支"
_CANCELLED_NOTE = "项目取消，预算全部调减"

# Independent random streams, so changing one part does not shift the others.
_STREAMS = {"plan": 1, "budget": 2, "spending": 3, "indicators": 4, "claims": 5, "dirt": 6,
            "unit_indicators": 7, "synthetic": 8}


def _rng(seed: int, stream: str, *more: int) -> np.random.Generator:
    """The generator of one named stream (a key of ``_STREAMS``), seeded by ``[seed, stream, *more]``."""
    return np.random.default_rng([seed, _STREAMS[stream], *more])

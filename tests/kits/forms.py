"""Builders of official 自评表 workbooks for the tests — deterministic, cell by cell with openpyxl.

Each builder lays a form out the way a finance office fills the bureau's template (merged title and
headers, merged 一级/二级 cells, money and rates as numbers with formats or as typed text), independent
of :func:`perfeval_lib.render.workbook.write_form`. The same data, in the tidy form ``read_table`` reads, is in
``tests/fixtures/forms/<layout>/`` (units.csv, budget.csv, indicators.csv, claims.csv): the CSV twins.

The three units are invented for the tests (not real units): GZ01 (guangzhou layout, 2022, 部门整体
共性指标 投入/过程/产出/效果), CQ01 (chongqing layout, 2023, 得分系数/是否核心指标) and MF01 (mof10 layout,
2022, 预算执行率 10 + 产出 50 + 效益 30 + 满意度 10).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .paths import FIXTURES

TWINS = FIXTURES / "forms"


@dataclass(frozen=True)
class Pct:
    """A number typed into a percent-formatted cell (Excel stores 0.965 and shows 96.5%)."""

    value: float


# --- the data ------------------------------------------------------------------------------------

GZ = {
    "code": "GZ01", "name": "测试区妇女儿童活动中心", "parent": "测试区妇女联合会", "year": 2022,
    "contact": "王某", "phone": "020-12345678",
    # label, 年初预算数, 全年预算数, 全年执行数 (万元)
    "budget": [("年度资金总额", 500.00, 519.80, 512.22), ("其中：财政拨款", 480.00, 495.30, 490.12),
               ("其他资金", 20.00, 24.50, 22.10)],
    "goals": ("围绕妇女儿童发展规划，全年开展维权服务不少于40场，家庭教育指导覆盖不少于5000人，重点工作全部按期办结。",
              "全年开展维权服务46场，家庭教育指导覆盖4620人，重点工作全部办结，服务对象满意度93.2%。",
              "受疫情影响，线下家庭教育活动减少。"),
    # 一级, 二级, 三级, 指标性质, 年度指标值, 实际完成值, 计量单位, 分值, 得分, 偏差原因
    "indicators": [
        ("投入", "预算配置", "在职人员控制率", "定量", "≤100%", Pct(0.965), "%", 5, 5, None),
        ("投入", "预算配置", "“三公”经费变动率", "定量", "≤0%", Pct(-0.021), "%", 5, 5, None),
        ("投入", "目标设定", "绩效目标合理性", "定性", "合理", "合理", None, 5, 5, None),
        ("过程", "预算执行", "预算完成率", "定量", "=100%", "98.54%", "%", 10, 10, None),
        ("过程", "预算执行", "预算控制率", "定量", "≤10%", "5%", "%", 5, 4, None),
        ("过程", "预算管理", "管理制度健全性", "定性", "健全", "健全", None, 5, 5, None),
        ("过程", "资产管理", "固定资产利用率", "定量", "≥90", 95, "%", 5, 5, None),
        ("产出", "职责履行", "开展维权服务场次", "定量", "≥40", 46, "场", 15, 15, None),
        ("产出", "职责履行", "家庭教育指导覆盖人数", "定量", "≥5000", 4620, "人", 10, 9.2,
         "受疫情影响线下活动减少，下年度增加线上课程"),
        ("产出", "职责履行", "重点工作办结率", "定量", "=100%", "100%", "%", 5, 5, None),
        ("效果", "履职效益", "服务对象满意度", "定量", "≥90%", Pct(0.932), "%", 10, 10, None),
        ("效果", "履职效益", "社会效益", "定性", "显著", "较好", None, 10, 8, "宣传覆盖面仍需扩大"),
        ("效果", "履职效益", "政务信息公开情况", "定性", "不涉及", "不涉及", None, 10, 10, None),
    ],
    "total": (100, 96.2), "grade": "优",
}

CQ = {
    "code": "CQ01", "name": "测试县档案馆", "parent": "测试县委办公室", "year": 2023,
    "office": "行政政法处", "contact": "李某", "phone": "023-87654321", "claimed": 97.05,
    # 年初预算数, 全年（调整）预算数, 全年执行数, 执行率, 执行率权重, 执行率得分
    "budget": (312.40, 330.00, 318.45, Pct(0.965), 10, 9.65),
    "goals": ("保障档案馆正常运转，完成档案接收、数字化和查档利用服务。",
              "全年接收进馆档案不少于12000卷，完成档案数字化280万页，提供查档服务8000人次。",
              "接收进馆档案12680卷，完成数字化286万页，提供查档服务7520人次，未发生档案安全事故。"),
    # 一级, 指标名称, 计量单位, 指标性质, 年初指标值, 调整指标值, 全年完成值, 得分系数, 权重, 得分, 是否核心指标, 偏差原因
    "indicators": [
        ("产出指标", "档案接收进馆数量", "卷", "定量", "≥12000", "≥12000", 12680, Pct(1.0), 15, 15, "是", None),
        ("产出指标", "档案数字化页数", "万页", "定量", "≥300", "≥280", 286, Pct(1.0), 15, 15, "是", "年中调整数字化外包计划"),
        ("产出指标", "查档利用服务人次", "人次", "定量", "≥8000", None, 7520, Pct(0.94), 10, 9.4, "否",
         "线上查档分流部分到馆需求"),
        ("产出指标", "档案安全事故发生数", "次", "定量", "=0", "=0", 0, Pct(1.0), 10, 10, "是", None),
        ("效益指标", "档案开放鉴定完成率", "%", "定量指标", "≥90%", "≥90%", "92%", Pct(1.0), 10, 10, "否", None),
        ("效益指标", "档案资源共享水平", None, "定性指标", "提高", "提高", "基本达成", Pct(0.8), 10, 8, "否", "共享平台二期尚未完工"),
        ("效益指标", "社会公众档案意识", None, "定性", "增强", "增强", "增强", Pct(1.0), 10, 10, "否", None),
        ("满意度指标", "查档群众满意度", "%", "定量", "≥95%", "≥95%", Pct(0.973), Pct(1.0), 10, 10, "否", None),
    ],
}

MF = {
    "code": "MF01", "name": "测试区文化馆", "parent": "测试区文化广电旅游体育局", "year": 2022,
    # label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
    "budget": [("年度资金总额：", 150, 168.5, 160.12, 10, Pct(0.9503), 9.5),
               ("其中：本年财政拨款", 140, 158.5, 151.12, "—", "—", "—"),
               ("上年结转资金", "—", "—", "—", "—", "—", "—"),
               ("其他资金", 10, 10, 9, "—", "—", "—")],
    "goals": ("开展公益展览和群众文化培训，提升公共文化服务水平。", "举办公益展览14场，培训群众3350人次，群众满意度95%。"),
    # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因 (None rows: the printed template's empty lines)
    "indicators": [
        ("产出指标（50分）", "数量指标", "指标1：举办公益展览场次", "≥12", 14, 10, 10, None),
        (None, "数量指标", "指标2：开展群众文化培训人次", "≥3000", 3350, 10, 10, None),
        (None, "质量指标", "指标1：活动安全事故发生率", "≤1%", "0%", 10, 10, None),
        (None, "时效指标", "指标1：活动按计划完成率", "≥95%", "92%", 10, 9, "两场活动因场馆维修延期"),
        (None, "成本指标", "指标1：活动成本控制率", "≤100%", Pct(0.976), 10, 10, None),
        (None, "成本指标", "指标2：", None, None, None, None, None),
        ("效益指标（30分）", "社会效益指标", "指标1：群众文化参与率提升", "≥5%", "6.2%", 10, 10, None),
        (None, "社会效益指标", "指标2：公共文化服务水平", "提升", "提升", 10, 10, None),
        (None, "生态效益指标", "指标1：/", "/", "/", "/", "/", None),
        (None, "可持续影响指标", "指标1：文化服务长效机制", "健全", "基本健全", 10, 8, "制度尚在修订"),
        (None, "可持续影响指标", "……", None, None, None, None, None),
        ("满意度指标（10分）", "服务对象满意度指标", "指标1：参与群众满意度", "≥90%", "95%", 10, 10, None),
    ],
    "total": (100, 96.5), "grade": "优",
}

_SIDE = Side(style="thin")
_BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)


def _put(ws, row: int, col: int, value=None, to_row: int | None = None, to_col: int | None = None,
         fmt: str | None = None, border: bool = True) -> None:
    """One cell (a merged range when to_row/to_col are given), bordered like the template."""
    if isinstance(value, Pct):
        value, fmt = value.value, fmt or "0.00%"
    cell = ws.cell(row=row, column=col, value=value)
    if fmt:
        cell.number_format = fmt
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.font = Font(name="宋体", size=10)
    if border:
        for r in range(row, (to_row or row) + 1):
            for c in range(col, (to_col or col) + 1):
                ws.cell(row=r, column=c).border = _BORDER
    if (to_row or row, to_col or col) != (row, col):
        ws.merge_cells(start_row=row, start_column=col, end_row=to_row or row, end_column=to_col or col)


def _notes_sheet(ws) -> None:
    ws.title = "填表说明"
    ws["A1"] = "填表说明"
    ws["A2"] = "1. 一级指标、二级指标、三级指标按财政局下达的指标体系填写，分值合计100分。"
    ws["A3"] = "2. 金额单位为万元，执行率=全年执行数/全年预算数。"
    ws["A4"] = "3. 实际完成值与年度指标值有偏差的，须填写偏差原因分析及改进措施。"


# --- guangzhou -----------------------------------------------------------------------------------

_GZ_KEYS = ["level1", "level2", "level3", "kind", "target", "actual", "measure", "weight", "claimed", "note"]
_GZ_HEADERS = {"level1": ("一级指标", None), "level2": ("二级指标", None), "level3": ("三级指标", None),
               "kind": ("指标性质", None), "target": ("指标值", "年度指标值"), "actual": ("指标值", "实际完成值"),
               "measure": ("计量单位", None), "weight": ("分值", None), "claimed": ("得分", None),
               "note": ("偏差原因分析及改进措施", None)}
_GZ_WORDING = {"level1": "一级指标", "level2": "二级指标", "level3": "指标名称", "kind": "指标类型", "target": "目标值",
               "actual": "完成值", "measure": "度量单位", "weight": "权重", "claimed": "自评得分", "note": "偏差原因分析"}


def build_guangzhou(path: Path, *, order: list[str] | None = None, budget_order: list[int] | None = None,
                    offset: int = 0, gaps: int = 0, money: str = "万元", wording: bool = False,
                    second_sheet: bool = False, total_executed: float | None = None,
                    with_code: bool = True) -> Path:
    """The Guangzhou-style 部门整体支出绩效自评表 of GZ01, and its variants.

    ``order``: indicator columns in another order; ``budget_order``: the three money columns permuted;
    ``offset``: blank columns on the left; ``gaps``: blank rows between blocks (and one inside the table);
    ``money="元"``: the budget block in 元; ``wording``: other header and label words, a one-row header;
    ``second_sheet``: a 填表说明 sheet first; ``total_executed``: a 合计 row that disagrees.
    """
    d = GZ
    book = Workbook()
    if second_sheet:
        _notes_sheet(book.active)
        ws = book.create_sheet("自评表")
    else:
        ws = book.active
        ws.title = "自评表"
    keys = order or _GZ_KEYS
    width = len(keys)

    def c(n: int) -> int:  # column n of the form (1-based) → sheet column
        return n + offset

    scale = 10000 if money == "元" else 1
    title = f"部门整体支出绩效自评表（{d['year']}年度）" if wording else f"{d['year']}年度部门整体支出绩效自评表"
    _put(ws, 1, c(1), title, to_col=c(width), border=False)
    _put(ws, 2, c(1), f"填报单位（盖章）：{d['name']}", to_col=c(6), border=False)
    _put(ws, 2, c(8), f"金额单位：{money}", to_col=c(width), border=False)
    r = 3
    _put(ws, r, c(1), "部门（单位）名称" if wording else "单位名称")
    _put(ws, r, c(2), d["name"], to_col=c(4))
    if with_code:
        _put(ws, r, c(5), "预算编码" if wording else "单位编码")
        _put(ws, r, c(6), d["code"], to_col=c(7))
    _put(ws, r, c(8), "主管部门")
    _put(ws, r, c(9), d["parent"], to_col=c(width))
    r += 1
    _put(ws, r, c(1), "联系人")
    _put(ws, r, c(2), d["contact"], to_col=c(4))
    _put(ws, r, c(5), "联系电话")
    _put(ws, r, c(6), d["phone"], to_col=c(7))
    _put(ws, r, c(8), None, to_col=c(width))
    r += 1 + gaps
    _put(ws, r, c(1), "一、预算执行情况", to_col=c(width), border=False)
    r += 1 + gaps
    money_heads = (["年初预算", "调整后预算数", "实际支出"] if wording else ["年初预算数", "全年预算数", "全年执行数"])
    slots = budget_order or [0, 1, 2]
    _put(ws, r, c(1), "资金来源", to_col=c(2))
    for position, which in enumerate(slots):
        _put(ws, r, c(3 + 2 * position), money_heads[which], to_col=c(4 + 2 * position))
    _put(ws, r, c(9), "预算执行率" if wording else "执行率", to_col=c(width))
    for n, (label, *amounts) in enumerate(d["budget"]):
        r += 1
        if wording:
            label = {"年度资金总额": "合计", "其中：财政拨款": "其中：本年财政拨款"}.get(label, label)
        if n == 0 and total_executed is not None:
            amounts[2] = total_executed
        _put(ws, r, c(1), label, to_col=c(2))
        for position, which in enumerate(slots):
            value = amounts[which] * scale
            if scale != 1 and n == 1:
                value = f"{value:,.2f}"  # typed as text with thousands separators
            _put(ws, r, c(3 + 2 * position), value, to_col=c(4 + 2 * position), fmt="#,##0.00")
        _put(ws, r, c(9), Pct(round(amounts[2] / amounts[1], 4)), to_col=c(width))
    r += 1 + gaps
    _put(ws, r, c(1), "二、年度绩效目标完成情况", to_col=c(width), border=False)
    r += 1 + gaps
    goal_heads = ("年度整体绩效目标", "目标完成情况", "未能完成原因") if wording else ("年度绩效目标", "实际完成情况", "未完成原因")
    for (start, end), head, text in zip(((1, 4), (5, 7), (8, width)), goal_heads, d["goals"]):
        _put(ws, r, c(start), head, to_col=c(end))
        _put(ws, r + 1, c(start), text, to_col=c(end))
    r += 2 + gaps
    _put(ws, r, c(1), "三、绩效指标完成情况", to_col=c(width), border=False)
    r += 1 + gaps
    col = {key: c(i + 1) for i, key in enumerate(keys)}
    if wording:
        for key in keys:
            _put(ws, r, col[key], _GZ_WORDING[key])
        r += 1
    else:
        done = set()
        for key in keys:
            top, bottom = _GZ_HEADERS[key]
            if bottom is None:
                _put(ws, r, col[key], top, to_row=r + 1)
            elif key not in done:
                group = [k for k in keys if _GZ_HEADERS[k][0] == top]
                _put(ws, r, min(col[k] for k in group), top, to_col=max(col[k] for k in group))
                for k in group:
                    _put(ws, r + 1, col[k], _GZ_HEADERS[k][1])
                    done.add(k)
        r += 2
    rows = d["indicators"]
    first = r
    spans: dict[str, list[list[int]]] = {"level1": [], "level2": []}
    for n, values in enumerate(rows):
        if gaps and n and values[0] != rows[n - 1][0] and values[0] == "产出":
            r += 1  # a stray blank row between two 一级 groups
        record = dict(zip(_GZ_KEYS, values))
        for key in keys:
            if key in ("level1", "level2"):
                continue
            value = record[key]
            _put(ws, r, col[key], value)
        for key in ("level1", "level2"):
            same = spans[key] and rows[spans[key][-1][2]][:1 if key == "level1" else 2] == values[:1 if key == "level1"
                                                                                              else 2]
            if same and spans[key][-1][1] == r - 1:
                spans[key][-1][1] = r
            else:
                spans[key].append([r, r, n])
        r += 1
    for key in ("level1", "level2"):
        index = 0 if key == "level1" else 1
        for start, end, n in spans[key]:
            _put(ws, start, col[key], rows[n][index], to_row=end)
    weight_col, claim_col = col["weight"], col["claimed"]
    label_end = min(weight_col, claim_col) - 1
    total_label = "合计" if wording else "总分"
    _put(ws, r, c(1), total_label, to_col=max(label_end, c(1)))
    _put(ws, r, weight_col, d["total"][0])
    _put(ws, r, claim_col, d["total"][1])
    r += 1
    _put(ws, r, c(1), "自评等级", to_col=max(label_end, c(1)))
    _put(ws, r, label_end + 1, d["grade"], to_col=c(width))
    r += 1
    _put(ws, r, c(1), "注：得分保留两位小数；偏差原因须逐项说明。", to_col=c(width), border=False)
    _put(ws, r + 1, c(1), f"填表人：{d['contact']}    填报日期：{d['year'] + 1}年3月1日", to_col=c(width), border=False)
    for n in range(1, c(width) + 2):
        ws.column_dimensions[get_column_letter(n)].width = 12
    assert first > 0
    book.save(path)
    return path


# --- chongqing -----------------------------------------------------------------------------------

def build_chongqing(path: Path, *, coefficient_mismatch: bool = False, with_code: bool = False) -> Path:
    """The Chongqing-style 部门整体绩效自评表 of CQ01: 自评总分 at the top, 执行率权重/执行率得分 in the
    budget row, 年初/调整指标值, 得分系数 and 是否核心指标. No 单位编码 cell unless ``with_code``: the unit is
    found through the registry. ``coefficient_mismatch``: one 得分 that 得分系数 × 权重 does not give."""
    d = CQ
    book = Workbook()
    ws = book.active
    ws.title = "部门整体绩效自评表"
    rows = [list(x) for x in d["indicators"]]
    claimed = d["claimed"]
    if coefficient_mismatch:
        rows[-1][9] = 9
        claimed = round(claimed - 1, 2)
    _put(ws, 1, 1, f"{d['year']}年度部门整体绩效自评表", to_col=12, border=False)
    _put(ws, 2, 1, "主管部门")
    _put(ws, 2, 2, d["parent"], to_col=4)
    _put(ws, 2, 5, "财政处室")
    _put(ws, 2, 6, d["office"], to_col=7)
    _put(ws, 2, 8, "自评总分（分）", to_col=9)
    _put(ws, 2, 10, claimed)
    _put(ws, 2, 11, None, to_col=12)
    _put(ws, 3, 1, "单位名称")
    _put(ws, 3, 2, d["name"], to_col=4)
    _put(ws, 3, 5, "部门联系人")
    _put(ws, 3, 6, d["contact"], to_col=7)
    _put(ws, 3, 8, "联系电话", to_col=9)
    _put(ws, 3, 10, d["phone"], to_col=12)
    r = 4
    if with_code:
        _put(ws, r, 1, "单位编码")
        _put(ws, r, 2, d["code"], to_col=12)
        r += 1
    _put(ws, r, 1, "部门预算执行情况（万元）", to_row=r + 1)
    for (start, end), head in zip(((2, 3), (4, 5), (6, 7), (8, 8), (9, 9), (10, 10)),
                                  ("年初预算数", "全年（调整）预算数", "全年执行数", "执行率（%）", "执行率权重", "执行率得分（分）")):
        _put(ws, r, start, head, to_col=end)
    _put(ws, r, 11, None, to_col=12, to_row=r + 1)
    initial, final, executed, rate, weight, score = d["budget"]
    for (start, end), value in zip(((2, 3), (4, 5), (6, 7), (8, 8), (9, 9), (10, 10)),
                                   (initial, final, executed, rate, weight, score)):
        _put(ws, r + 1, start, value, to_col=end, fmt=None if isinstance(value, Pct) else "0.00")
    r += 2
    _put(ws, r, 1, "当年绩效目标", to_row=r + 1)
    for (start, end), head, text in zip(((2, 4), (5, 8), (9, 12)), ("年初绩效目标", "全年（调整）绩效目标", "全年目标实际完成情况"),
                                        d["goals"]):
        _put(ws, r, start, head, to_col=end)
        _put(ws, r + 1, start, text, to_col=end)
    r += 2
    heads = ["一级指标", "指标名称", "计量单位", "指标性质", None, None, None, "得分系数（%）", "指标权重（分）", "指标得分（分）",
             "是否核心指标", "偏差原因"]
    for n, head in enumerate(heads, start=1):
        if head:
            _put(ws, r, n, head, to_row=r + 1)
    _put(ws, r, 5, "指标值", to_col=7)
    for n, head in zip((5, 6, 7), ("年初指标值", "调整指标值", "全年完成值")):
        _put(ws, r + 1, n, head)
    r += 2
    start = r
    for n, values in enumerate(rows):
        for col, value in enumerate(values[1:], start=2):
            _put(ws, r + n, col, value)
    groups: list[list] = []
    for n, values in enumerate(rows):
        if groups and groups[-1][0] == values[0]:
            groups[-1][2] = start + n
        else:
            groups.append([values[0], start + n, start + n])
    for name, first, last in groups:
        _put(ws, first, 1, name, to_row=last)
    r = start + len(rows) + 1
    _put(ws, r, 1, "注：得分系数=指标得分/指标权重；核心指标未完成的，需说明原因。", to_col=12, border=False)
    for n in range(1, 13):
        ws.column_dimensions[get_column_letter(n)].width = 11
    book.save(path)
    return path


# --- mof10 ---------------------------------------------------------------------------------------

def build_mof10(path: Path) -> Path:
    """The 财预〔2020〕10号-style form of MF01: 项目资金 with 分值/执行率/得分, a one-row indicator header,
    一级指标 written as ``产出指标（50分）``, 三级 as ``指标1：…``, and the template's empty lines left in."""
    d = MF
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    _put(ws, 1, 1, "部门整体支出绩效自评表", to_col=9, border=False)
    _put(ws, 2, 1, f"（{d['year']}年度）", to_col=9, border=False)
    _put(ws, 3, 1, "项目名称", to_col=2)
    _put(ws, 3, 3, f"{d['name']}部门整体支出", to_col=9)
    _put(ws, 4, 1, "主管部门", to_col=2)
    _put(ws, 4, 3, d["parent"], to_col=5)
    _put(ws, 4, 6, "实施单位")
    _put(ws, 4, 7, d["name"], to_col=9)
    _put(ws, 5, 1, "单位编码", to_col=2)
    _put(ws, 5, 3, d["code"], to_col=5)
    _put(ws, 5, 6, "联系电话")
    _put(ws, 5, 7, None, to_col=9)
    _put(ws, 6, 1, "项目资金（万元）", to_row=10)
    _put(ws, 6, 2, None, to_col=3)
    for col, head in zip(range(4, 10), ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        _put(ws, 6, col, head)
    for n, (label, *values) in enumerate(d["budget"], start=7):
        _put(ws, n, 2, label, to_col=3)
        for col, value in zip(range(4, 10), values):
            _put(ws, n, col, value, fmt="0.00" if isinstance(value, (int, float)) else None)
    _put(ws, 11, 1, "年度总体目标", to_row=12)
    _put(ws, 11, 2, "预期目标", to_col=5)
    _put(ws, 11, 6, "实际完成情况", to_col=9)
    _put(ws, 12, 2, d["goals"][0], to_col=5)
    _put(ws, 12, 6, d["goals"][1], to_col=9)
    r = 13
    for col, head in zip(range(2, 10), ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                        "偏差原因分析及改进措施")):
        _put(ws, r, col, head)
    rows = d["indicators"]
    start = r + 1
    _put(ws, r, 1, "绩效指标", to_row=start + len(rows) - 1)
    for n, (level1, level2, level3, target, actual, weight, score, note) in enumerate(rows):
        for col, value in zip(range(4, 10), (level3, target, actual, weight, score, note)):
            _put(ws, start + n, col, value)
    for index, col in ((0, 2), (1, 3)):
        n = 0
        while n < len(rows):
            m = n
            while m + 1 < len(rows) and (rows[m + 1][0] is None if index == 0 else rows[m + 1][1] == rows[n][1]):
                m += 1
            _put(ws, start + n, col, rows[n][index], to_row=start + m)
            n = m + 1
    r = start + len(rows)
    _put(ws, r, 1, "总分", to_col=6)
    _put(ws, r, 7, d["total"][0])
    _put(ws, r, 8, d["total"][1])
    _put(ws, r, 9, None)
    _put(ws, r + 1, 1, "自评等级", to_col=6)
    _put(ws, r + 1, 7, None)
    _put(ws, r + 1, 8, d["grade"])
    _put(ws, r + 1, 9, None)
    _put(ws, r + 2, 1, "注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分。",
         to_col=9, border=False)
    for n in range(1, 10):
        ws.column_dimensions[get_column_letter(n)].width = 12
    book.save(path)
    return path


# --- the fixtures by name -------------------------------------------------------------------------

#: name → (builder, keyword arguments, layout, twin folder)
FIXTURE_FORMS = {
    "guangzhou": (build_guangzhou, {}, "guangzhou", "guangzhou"),
    "chongqing": (build_chongqing, {}, "chongqing", "chongqing"),
    "mof10": (build_mof10, {}, "mof10", "mof10"),
    "gz_reordered": (build_guangzhou, {"order": ["level3", "level1", "level2", "weight", "claimed", "target", "actual",
                                                 "measure", "kind", "note"], "budget_order": [2, 1, 0]},
                     "guangzhou", "guangzhou"),
    "gz_blank_rows_cols": (build_guangzhou, {"offset": 2, "gaps": 2}, "guangzhou", "guangzhou"),
    "gz_yuan": (build_guangzhou, {"money": "元"}, "guangzhou", "guangzhou"),
    "gz_wording": (build_guangzhou, {"wording": True}, "guangzhou", "guangzhou"),
    "gz_second_sheet": (build_guangzhou, {"second_sheet": True}, "guangzhou", "guangzhou"),
    "cq_with_code": (build_chongqing, {"with_code": True}, "chongqing", "chongqing"),
}


def build(name: str, folder: Path) -> Path:
    """Build the fixture form ``name`` (a key of :data:`FIXTURE_FORMS`) in ``folder``."""
    builder, kwargs, _, _ = FIXTURE_FORMS[name]
    return builder(folder / f"{name}_自评表.xlsx", **kwargs)

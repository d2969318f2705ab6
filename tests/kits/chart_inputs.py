"""The hand-made inputs of the chart tests: small frames, one or two per chart, and the names they use.

Everything here is invented for the tests (the unit names are ordinary bureau names, not any real district's
figures). Each frame is small enough to check by hand, and the tests rely on the facts written beside it:
a bar's rate, a rank, a count. Change a number here and recompute the facts in its docstring.

Unit page (``perfeval_lib.render.charts`` PNG and ``perfeval_lib.render.svg`` SVG): :func:`lines_frame`,
:func:`progress_frame`, :func:`level1_frame`, :func:`history_frame`. Year overview: :func:`grades_frame`,
:func:`year_frame`, :func:`findings_frame` (with :data:`FINDING_LABELS`). Trends page: :func:`results_frame`,
:func:`two_units`. :func:`none_inputs` derives from them the inputs every chart must turn into ``None``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Fourteen bureau names, in the order the frames below hand them out (``NAMES[:6]`` …).
NAMES = ["财政局", "教育局", "卫生健康委员会", "公安局", "自然资源和规划局", "住房和城乡建设局", "交通运输局",
         "农业农村局", "文化广电旅游局", "市场监督管理局", "生态环境局", "民政局", "人力资源和社会保障局", "司法局"]

#: Chinese names of three finding codes (a subset of the audit's own); ``note`` in :func:`findings_frame` has none.
FINDING_LABELS = {"bad_value": "数值无效", "claim_gap": "自评得分偏高", "missing_month": "缺少月度数据"}


# ---------------------------------------------------------------------------------------------
# a unit's page

def lines_frame() -> pd.DataFrame:
    """Three budget lines (万元). Rates by hand: 1180/1200 = 98.3 %, 640/800 = 80.0 %, 0/50 = 0.0 %;
    the largest amount is 1,200, so a value axis of round steps runs 0 … 1,250 (ticks of 250)."""
    return pd.DataFrame({"label": ["基本支出·财政拨款", "项目支出·财政拨款", "项目支出·其他资金"],
                         "budget_final": [1200.0, 800.0, 50.0], "executed": [1180.0, 640.0, 0.0]})


def progress_frame() -> pd.DataFrame:
    """Cumulative spending progress (fractions) by month 1–12, ending at 0.97, against the even line month / 12.
    From 0.05 (month 1) to 0.97 (month 12) is 0.92; 0.45 (month 6) lies 0.40 of that above month 1."""
    return pd.DataFrame({"month": list(range(1, 13)),
                         "progress": [0.05, 0.12, 0.2, 0.28, 0.35, 0.45, 0.52, 0.6, 0.7, 0.78, 0.86, 0.97],
                         "target": [m / 12 for m in range(1, 13)]})


def level1_frame() -> pd.DataFrame:
    """Four 一级指标 (points): weights 20/20/30/30; 效益 has no recomputed score (three score bars, four of
    the others); 产出's weight bar is 30/20 as tall as 决策's."""
    return pd.DataFrame({"level1": ["决策", "过程", "产出", "效益"], "weight": [20.0, 20.0, 30.0, 30.0],
                         "score": [18.0, 17.5, 27.0, np.nan], "claimed_score": [20.0, 19.0, 29.0, 28.0]})


def history_frame() -> pd.DataFrame:
    """One unit over 2021–2023: execution rate (fraction) 0.91 → 0.975, score 86 → 92, claimed score 92 → 95."""
    return pd.DataFrame({"year": [2021, 2022, 2023], "execution_rate": [0.91, 0.95, 0.975],
                         "score": [86.0, 90.5, 92.0], "claimed_score": [92.0, 94.0, 95.0]})


# ---------------------------------------------------------------------------------------------
# the year overview

def grades_frame() -> pd.DataFrame:
    """Five units' grades. Recomputed: 优 1, 良 2, 差 1, none 1; claimed: 优 2, 良 2, none 1."""
    return pd.DataFrame({"grade": ["良", "优", "良", None, "差"], "claimed_grade": ["优", "优", "良", "良", None]})


def year_frame() -> pd.DataFrame:
    """Six units of one year (``NAMES[:6]``); the sixth has no recomputed score. Claimed − recomputed:
    +1, +11, −1, +15, −1 (and none for the sixth)."""
    return pd.DataFrame({"unit_name": NAMES[:6], "execution_rate": [0.98, 0.93, 0.86, 0.79, 0.95, 0.91],
                         "score": [95.0, 84.0, 81.0, 70.0, 90.0, np.nan],
                         "claimed_score": [96.0, 95.0, 80.0, 85.0, 89.0, 96.0]})


def findings_frame() -> pd.DataFrame:
    """Ten findings: bad_value 4 (error), claim_gap 3 and missing_month 2 (warning), note 1 (info) — bars of
    4 : 3 : 2 : 1."""
    return pd.DataFrame({"code": ["bad_value"] * 4 + ["claim_gap"] * 3 + ["missing_month"] * 2 + ["note"],
                         "severity": ["error"] * 4 + ["warning"] * 3 + ["warning"] * 2 + ["info"]})


# ---------------------------------------------------------------------------------------------
# the trends page

def results_frame() -> pd.DataFrame:
    """Six units over 2021–2023; D06 has no 2023 score. Ranks by hand:
    2021: D06 95 (1), D01 91 (2), D05 88 (3), D02 85 (4), D03 72 (5), D04 58 (6)
    2022: D01 93 (1), D06 91 (2), D02 88 (3), D05 86 (4), D03 79 (5), D04 66 (6)
    2023: D01 95 (1), D05 90 (2), D02 84 (3), D03 81 (4), D04 70 (5)"""
    scores = {"D01": [91.0, 93.0, 95.0], "D02": [85.0, 88.0, 84.0], "D03": [72.0, 79.0, 81.0],
              "D04": [58.0, 66.0, 70.0], "D05": [88.0, 86.0, 90.0], "D06": [95.0, 91.0, np.nan]}
    rates = {"D01": [0.98, 0.97, 0.99], "D02": [0.93, 0.9, 0.95], "D03": [0.86, 0.88, 0.9], "D04": [0.79, 0.8, 0.82],
             "D05": [0.95, 0.96, 0.97], "D06": [0.91, 0.92, np.nan]}
    rows = [{"unit_code": code, "unit_name": NAMES[i], "year": year, "score": scores[code][j],
             "execution_rate": rates[code][j]}
            for i, code in enumerate(scores) for j, year in enumerate((2021, 2022, 2023))]
    return pd.DataFrame(rows)


def two_units() -> pd.DataFrame:
    """D01 财政局 and D04 公安局 of :func:`results_frame` (scores 91/93/95 and 58/66/70)."""
    return results_frame().query("unit_code in ['D01', 'D04']").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# inputs every chart turns into None

def blanked(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with every value of ``columns`` missing (an object column of ``None``), as a new frame."""
    return frame.assign(**{column: pd.Series([None] * len(frame), dtype="object", index=frame.index)
                           for column in columns})


#: The kinds of input every chart turns into ``None`` (the keys of :func:`none_inputs`).
NONE_KINDS = ("no rows", "bare columns", "all values missing")


def none_inputs(frame: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    """The inputs made from ``frame`` that leave a chart nothing to draw, by kind (:data:`NONE_KINDS`): its rows
    sliced away (dtypes kept), its bare column names, and its rows with every value of ``columns`` missing."""
    return dict(zip(NONE_KINDS, (frame.iloc[0:0], pd.DataFrame(columns=frame.columns), blanked(frame, columns))))

"""Qualitative (定性) results: the words units write, judged 达成 / 部分达成 / 未达成, and the bands of each.

rules.md §2 ``qualitative_band``: 达成 → 80–100 % of the weight, 部分达成 → 60–80 %, 未达成 → 0–60 %
(unverified, so the coefficients and the bands are ruleset settings: ``qualitative`` and
``qualitative_bands``). This module only reads words; :func:`perfeval_lib.review.scoring.qualitative_band`
turns a judgement into points.

Examples
--------
>>> judge("基本完成"), judge("未完成"), judge("好", "好")
('部分达成', '未达成', '达成')
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.parse import clean_text

_NOT_MET = {"未达成", "未完成", "未实现", "否", "差", "较差", "低", "无效", "不合格", "不达标", "不及时", "不满意"}
_PARTLY = {"部分达成", "部分完成", "部分实现", "基本达成", "基本完成", "基本实现", "基本", "较好", "一般", "良",
           "中", "较高", "基本满意", "基本及时", "基本合规", "基本健全", "部分"}
_MET = {"达成", "已达成", "完成", "已完成", "实现", "已实现", "是", "好", "优", "优秀", "高", "良好", "有效", "合规",
        "健全", "完善", "及时", "达标", "合格", "显著", "明显", "提高", "提升", "改善", "满意", "符合", "规范", "100%"}

#: How close to a band's edge a claimed share still counts as inside it (rounding of published scores).
BAND_SLACK = 1e-6


def judge(actual_text: object, target_text: object = None) -> str | None:
    """Judge a qualitative result: ``'达成'``, ``'部分达成'``, ``'未达成'``, or None when unclear.

    In order: the actual equal to the target, or a word of success (达成, 完成, 好, 满意 …) → 达成;
    a word of failure, or text starting with 未 / 不 / 没有 → 未达成; a partial word (较好, 基本, 一般 …)
    or text starting with 部分 / 基本 → 部分达成; text containing 达成 / 完成 / 实现 → 达成; else None.

    Parameters
    ----------
    actual_text : object
        The 实际完成值 as written.
    target_text : object, optional
        The 年度指标值 as written (an actual equal to it is 达成).

    Returns
    -------
    str or None

    Examples
    --------
    >>> judge("部分达成"), judge("较好", "好"), judge("好", "好"), judge("未完成"), judge("???")
    ('部分达成', '部分达成', '达成', '未达成', None)
    """
    actual = clean_text(actual_text)
    if not actual:
        return None
    if actual == clean_text(target_text) or actual in _MET:
        return "达成"
    if actual in _NOT_MET or actual.startswith(("未", "不", "没有")):
        return "未达成"
    if actual in _PARTLY or actual.startswith(("部分", "基本")):
        return "部分达成"
    if any(word in actual for word in ("达成", "完成", "实现")):
        return "达成"
    return None


def judge_all(actual_text, target_text) -> np.ndarray:
    """:func:`judge` for whole columns, computed once per distinct (actual, target) pair.

    Parameters
    ----------
    actual_text, target_text : array-like
        实际完成值 and 年度指标值 texts, aligned; missing values count as ``''``.

    Returns
    -------
    numpy.ndarray
        object dtype: the :func:`judge` verdict per row.

    Examples
    --------
    >>> judge_all(["达成", "部分达成", "达成"], ["达成", "达成", "达成"]).tolist()
    ['达成', '部分达成', '达成']
    """
    actual = pd.Series(actual_text, dtype="object").fillna("").astype(str).to_numpy(dtype=object)
    target = pd.Series(target_text, dtype="object").fillna("").astype(str).to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(actual + "\x1f" + target, dtype="object"))
    verdicts = np.array([judge(*pair.split("\x1f", 1)) for pair in uniques] + [None], dtype=object)
    return verdicts[codes]


def claimed_in_band(verdicts, claimed, weight, bands: dict) -> np.ndarray:
    """Where a claimed score's share of the weight lies inside the band of the row's judgement.

    Parameters
    ----------
    verdicts : array-like
        Judgements (``'达成'``, ``'部分达成'``, ``'未达成'`` or None), from :func:`judge_all`.
    claimed : array-like of float
        Claimed scores in points (NaN where none).
    weight : array-like of float
        Weights in points.
    bands : dict of str to (float, float)
        The ruleset's ``qualitative_bands``: (lowest, highest) share of the weight per judgement.

    Returns
    -------
    numpy.ndarray
        bool, one per row; False where there is no claim, no judgement, no band or no weight.

    Examples
    --------
    >>> bands = {"达成": (0.8, 1.0), "部分达成": (0.6, 0.8), "未达成": (0.0, 0.6)}
    >>> claimed_in_band(["达成", "达成", "未达成", None], [9.0, 7.0, 0.0, 5.0], [10, 10, 10, 10], bands).tolist()
    [True, False, True, False]
    """
    verdicts = pd.Series(np.asarray(verdicts, dtype=object), dtype="object")
    low = verdicts.map(lambda v: bands[v][0] if v in bands else np.nan).to_numpy(dtype="float64")
    high = verdicts.map(lambda v: bands[v][1] if v in bands else np.nan).to_numpy(dtype="float64")
    claimed = np.asarray(claimed, dtype="float64")
    weight = np.asarray(weight, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(weight > 0, claimed / weight, np.nan)
    return np.isfinite(share) & (share >= low - BAND_SLACK) & (share <= high + BAND_SLACK)

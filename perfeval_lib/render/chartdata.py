"""What a chart shows, apart from how it is drawn: the input frame checked, read and summed.

Both drawings of a unit's charts — the vector charts of the HTML pages (:mod:`perfeval_lib.render.svg`)
and the PNG charts of the Word draft (:mod:`perfeval_lib.render.charts`) — take their numbers from the
functions here, so the two never disagree. Nothing here draws, and nothing imports a plotting library.

Inputs are read without touching the caller's frame: a column as float64 (:func:`numbers`) or as
text (:func:`texts`), missing stays missing; a missing column is an :class:`InputError` naming it.
Money is in 万元, rates are fractions (0.95), scores are points.

Examples
--------
>>> import pandas as pd
>>> bars = budget_bars(pd.DataFrame({"label": ["基本支出", "基本支出", "项目支出"],
...                                  "budget_final": [100.0, 20.0, 80.0], "executed": [110.0, 10.0, 40.0]}))
>>> bars.frame.to_dict("list"), bars.left_out
({'label': ['基本支出', '项目支出'], 'budget': [120.0, 80.0], 'executed': [120.0, 40.0], 'rate': [1.0, 0.5]}, 0)
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import formatting
from ..core.errors import InputError
from ..core.vocab import GRADES, SEVERITY_ORDER

#: Horizontal bar charts show at most this many rows (the largest; the label says how many were left out).
MAX_BARS = 15


def check_columns(frame: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    """Raise :class:`InputError` naming every column of ``columns`` that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(column="、".join(missing), expected="、".join(columns),
                         message=f"图表 {chart} 的数据缺少列 / missing columns")


def is_empty(frame: pd.DataFrame | None) -> bool:
    """No frame, or a frame without rows."""
    return frame is None or len(frame) == 0


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 (text and missing values become NaN), without touching the frame."""
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, missing stays missing (NaN)."""
    values = frame[column]
    text = np.where(values.isna().to_numpy(), None, values.astype("str").to_numpy(dtype=object))
    return pd.Series(text, index=values.index, dtype="str")


def num_label(value: float) -> str:
    """Points as every page shows them (:func:`perfeval_lib.core.formatting.score`): 18.5 -> '18.50'."""
    return formatting.score(value)


def signed_label(value: float) -> str:
    """A difference as every page shows it (:func:`perfeval_lib.core.formatting.diff`): 2.5 -> '+2.50', 0.0 -> '0.00'."""
    return formatting.diff(value)


def wrap(text: str, width: int, max_lines: int = 4) -> str:
    """Break a (Chinese) label into lines of at most ``width`` characters, at most ``max_lines`` of them (…)."""
    text = str(text)
    if len(text) > width * max_lines:  # a 300-character unit name stays a label, not a page of text
        text = text[:width * max_lines - 1] + "…"
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def shorten(text: object, limit: int = 40) -> str:
    """A label of at most ``limit`` characters (…): a legend entry for a 300-character name stays one line."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def unit_labels(frame: pd.DataFrame) -> pd.Series:
    """``unit_name``, with the year added when the frame holds several years."""
    names = texts(frame, "unit_name")
    if "unit_code" in frame.columns:
        names = names.fillna(texts(frame, "unit_code"))
    names = names.fillna("（未命名）")
    if "year" in frame.columns:
        years = pd.to_numeric(frame["year"], errors="coerce")
        if years.nunique() > 1:
            suffix = years.map(lambda y: "" if pd.isna(y) else f"（{int(y)}）")
            names = names + suffix
    return names


@dataclass(frozen=True)
class BudgetBars:
    """The budget lines a chart draws (see :func:`budget_bars`).

    ``frame`` has columns ``label``, ``budget`` and ``executed`` (万元, NaN where not stated) and ``rate``
    (executed / budget, a fraction; NaN without a non-zero budget), at most :data:`MAX_BARS` rows in the
    input's order; ``left_out`` counts the smaller lines not drawn.
    """

    frame: pd.DataFrame
    left_out: int


def budget_bars(lines: pd.DataFrame) -> BudgetBars | None:
    """全年预算数 and 执行数 per budget line, with the execution rate, ready to draw.

    Rows with the same ``label`` are added up; at most the :data:`MAX_BARS` (15) lines with the largest
    budget are kept, in their first-seen order.

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (e.g. ``"基本支出·财政拨款"``), ``budget_final`` and ``executed`` (万元).

    Returns
    -------
    BudgetBars or None
        ``None`` when there are no rows or no amounts.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> b = budget_bars(pd.DataFrame({"label": ["甲", "乙"], "budget_final": [200.0, 0.0], "executed": [150.0, 5.0]}))
    >>> b.frame["rate"].tolist()
    [0.75, nan]
    """
    if is_empty(lines):
        return None
    check_columns(lines, ["label", "budget_final", "executed"], "budget_vs_executed")
    data = pd.DataFrame({"label": texts(lines, "label").fillna("（未命名）").to_numpy(),
                         "budget": numbers(lines, "budget_final"),
                         "executed": numbers(lines, "executed")})
    data = data[data[["budget", "executed"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.groupby("label", sort=False).sum(min_count=1).reset_index()
    left_out = max(len(data) - MAX_BARS, 0)
    if left_out:
        data = data.loc[data["budget"].fillna(-np.inf).nlargest(MAX_BARS).index.sort_values()]
    budget = data["budget"].to_numpy()
    executed = data["executed"].to_numpy()
    rate = np.full(len(data), np.nan)
    np.divide(executed, budget, out=rate, where=np.isfinite(budget) & (budget != 0))
    return BudgetBars(data.assign(rate=rate).reset_index(drop=True), left_out)


def monthly_progress(progress: pd.DataFrame) -> pd.DataFrame | None:
    """Cumulative spending progress and the 序时进度 line by month (1–12), ready to draw.

    Parameters
    ----------
    progress : DataFrame
        Columns ``month`` (1–12), ``progress`` (cumulative executed / budget, a fraction) and ``target``
        (the progress line, a fraction), one row per month of one unit-year, as from
        :func:`perfeval_lib.review.metrics.spending_progress`.

    Returns
    -------
    DataFrame or None
        Columns ``month`` (int64, sorted), ``progress`` and ``target`` (fractions, NaN where missing);
        months outside 1–12 and months with neither value are left out. ``None`` when nothing is left.

    Raises
    ------
    InputError
        When a column named above is missing, or a month appears twice (several units or years mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> monthly_progress(pd.DataFrame({"month": [12, 6, 13], "progress": [0.98, 0.45, 1.0],
    ...                                "target": [1.0, 0.5, 1.0]}))["month"].tolist()
    [6, 12]
    """
    if is_empty(progress):
        return None
    check_columns(progress, ["month", "progress", "target"], "spending_curve")
    data = pd.DataFrame({"month": numbers(progress, "month"), "progress": numbers(progress, "progress"),
                         "target": numbers(progress, "target")})
    data = data[data["month"].between(1, 12) & data[["progress", "target"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.assign(month=data["month"].round().astype("int64")).sort_values("month")
    doubled = data["month"][data["month"].duplicated()]
    if len(doubled):
        raise InputError(column="month", value=int(doubled.iloc[0]),
                         expected="每月一行（一个单位、一个年度） / one row per month",
                         message="月份重复 / a month appears twice")
    return data.reset_index(drop=True)


def level1_scores(frame: pd.DataFrame) -> pd.DataFrame | None:
    """分值, 复核得分 and 自评得分 summed per 一级指标, ready to draw.

    Parameters
    ----------
    frame : DataFrame
        Columns ``level1``, ``weight``, ``score`` (recomputed) and ``claimed_score`` (points), e.g. one
        row per indicator.

    Returns
    -------
    DataFrame or None
        Columns ``level1``, ``weight``, ``score``, ``claimed_score``, one row per 一级指标 in first-seen
        order; a sum with no number stays NaN (drawn as no bar, not as 0). ``None`` when there are no
        rows or no numbers.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> level1_scores(pd.DataFrame({"level1": ["决策", "决策", "产出"], "weight": [10.0, 10.0, 30.0],
    ...                             "score": [9.0, 8.5, None], "claimed_score": [10.0, 10.0, 28.0]})).to_dict("list")
    {'level1': ['决策', '产出'], 'weight': [20.0, 30.0], 'score': [17.5, nan], 'claimed_score': [20.0, 28.0]}
    """
    if is_empty(frame):
        return None
    columns = ["weight", "score", "claimed_score"]
    check_columns(frame, ["level1", *columns], "score_by_level1")
    data = pd.DataFrame({"level1": texts(frame, "level1").fillna("（未分类）").to_numpy(),
                         **{c: numbers(frame, c) for c in columns}})
    data = data[data[columns].notna().any(axis=1)]
    if data.empty:
        return None
    return data.groupby("level1", sort=False).sum(min_count=1).reset_index()


def yearly(history: pd.DataFrame) -> pd.DataFrame | None:
    """One unit's (or the district's) 预算执行率, 复核得分 and 自评得分 by year, ready to draw.

    Parameters
    ----------
    history : DataFrame
        Columns ``year``, ``execution_rate`` (fraction), ``score`` and ``claimed_score`` (points); one
        row per year.

    Returns
    -------
    DataFrame or None
        The same columns, ``year`` as int64 and sorted, years with no value left out; ``None`` when fewer
        than two years are left (no trend to draw).

    Raises
    ------
    InputError
        When a column named above is missing, or a year appears twice (several units mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> yearly(pd.DataFrame({"year": [2023, 2022], "execution_rate": [0.97, 0.95],
    ...                      "score": [92.0, None], "claimed_score": [95.0, 94.0]}))["year"].tolist()
    [2022, 2023]
    """
    if is_empty(history):
        return None
    columns = ["execution_rate", "score", "claimed_score"]
    check_columns(history, ["year", *columns], "trend")
    data = pd.DataFrame({"year": numbers(history, "year"), **{c: numbers(history, c) for c in columns}})
    data = data[data["year"].notna() & data[columns].notna().any(axis=1)]
    data = data.assign(year=data["year"].round().astype("int64")).sort_values("year")
    doubled = data["year"][data["year"].duplicated()]
    if len(doubled):
        raise InputError(column="year", value=int(doubled.iloc[0]),
                         expected="每年一行（一个单位） / one row per year",
                         message="年度重复 / a year appears twice")
    return data.reset_index(drop=True) if len(data) >= 2 else None


# ---------------------------------------------------------------------------------------------
# across the units of a year (the overview's charts)

def grade_tally(results: pd.DataFrame) -> pd.DataFrame | None:
    """Units per grade, 复核 beside 自评, in the order 优 良 中 差, ready to draw.

    A missing recomputed grade is counted as 无复核 and a missing claimed grade as 无自评 (each a row only
    when it occurs); any other grade text comes after 差, in text order. Grades are compared after
    trimming spaces.

    Parameters
    ----------
    results : DataFrame
        Columns ``grade`` (优/良/中/差 or missing) and ``claimed_grade``.

    Returns
    -------
    DataFrame or None
        Columns ``grade`` (the category), ``recomputed`` and ``claimed`` (int64 counts). ``None`` when
        there are no rows or no grade at all.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = grade_tally(pd.DataFrame({"grade": ["优", "良", "良", None], "claimed_grade": ["优", "优", "良", "良"]}))
    >>> t.to_dict("list")
    {'grade': ['优', '良', '中', '差', '无复核'], 'recomputed': [1, 2, 0, 0, 1], 'claimed': [2, 2, 0, 0, 0]}
    """
    if is_empty(results):
        return None
    check_columns(results, ["grade", "claimed_grade"], "grade_counts")
    recomputed = texts(results, "grade").str.strip().replace("", np.nan)
    claimed = texts(results, "claimed_grade").str.strip().replace("", np.nan)
    if recomputed.isna().all() and claimed.isna().all():
        return None
    others = sorted((set(recomputed.dropna()) | set(claimed.dropna())) - set(GRADES))
    rows = [(c, int((recomputed == c).sum()), int((claimed == c).sum())) for c in (*GRADES, *others)]
    if recomputed.isna().any():
        rows.append(("无复核", int(recomputed.isna().sum()), 0))
    if claimed.isna().any():
        rows.append(("无自评", 0, int(claimed.isna().sum())))
    return pd.DataFrame(rows, columns=["grade", "recomputed", "claimed"]).astype({"recomputed": "int64", "claimed": "int64"})


def rate_score_points(results: pd.DataFrame) -> pd.DataFrame | None:
    """The units that have both an execution rate and a recomputed score, with the label of each point.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``execution_rate`` (fraction) and ``score`` (points); ``label`` (optional,
        default the row's position from 1; a missing label is empty).

    Returns
    -------
    DataFrame or None
        Columns ``label`` (text), ``rate`` and ``score`` in the input's order. ``None`` when no row has both.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_score_points(pd.DataFrame({"unit_name": ["甲", "乙"], "execution_rate": [0.9, None],
    ...                                 "score": [88.0, 91.0]})).to_dict("list")
    {'label': ['1'], 'rate': [0.9], 'score': [88.0]}
    """
    if is_empty(results):
        return None
    check_columns(results, ["unit_name", "execution_rate", "score"], "rate_vs_score")
    labels = texts(results, "label") if "label" in results.columns else pd.Series(
        [str(i + 1) for i in range(len(results))], index=results.index)
    data = pd.DataFrame({"label": labels.fillna("").to_numpy(), "rate": numbers(results, "execution_rate"),
                         "score": numbers(results, "score")})
    data = data[np.isfinite(data["rate"]) & np.isfinite(data["score"])]
    return None if data.empty else data.reset_index(drop=True)


def largest_gaps(results: pd.DataFrame, n: int = 10) -> pd.DataFrame | None:
    """The ``n`` units whose 自评得分 − 复核得分 is largest either way, largest first (ties: input order).

    Units with no gap (equal scores, or a score missing) are left out.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``score`` (recomputed) and ``claimed_score`` (points); with a ``year`` column
        holding several years, the year is added to the names (:func:`unit_labels`).
    n : int, default 10
        How many units.

    Returns
    -------
    DataFrame or None
        Columns ``name`` and ``gap`` (points, positive when the claim is higher). ``None`` when no unit has a gap.

    Raises
    ------
    InputError
        When a column named above is missing.
    ValueError
        When ``n`` is not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> largest_gaps(pd.DataFrame({"unit_name": ["甲", "乙", "丙"], "score": [90.0, 80.0, 70.0],
    ...                            "claimed_score": [92.0, 80.0, 65.0]})).to_dict("list")
    {'name': ['丙', '甲'], 'gap': [-5.0, 2.0]}
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, not {n!r}")
    if is_empty(results):
        return None
    check_columns(results, ["unit_name", "score", "claimed_score"], "score_gaps")
    gap = numbers(results, "claimed_score") - numbers(results, "score")
    data = pd.DataFrame({"name": unit_labels(results).to_numpy(), "gap": gap})
    data = data[np.isfinite(data["gap"]) & (data["gap"].abs() > 1e-9)]
    if data.empty:
        return None
    order = data["gap"].abs().sort_values(ascending=False, kind="stable").index[:int(n)]
    return data.loc[order].reset_index(drop=True)


@dataclass(frozen=True)
class FindingKinds:
    """The kinds of finding a chart draws (see :func:`finding_kinds`).

    ``frame`` has columns ``code``, ``count`` (int64) and ``severity`` (``error`` / ``warning`` / ``info``,
    or ``other``), at most :data:`MAX_BARS` rows, the most frequent first; ``left_out`` counts the kinds
    not drawn.
    """

    frame: pd.DataFrame
    left_out: int


def finding_kinds(findings: pd.DataFrame) -> FindingKinds | None:
    """The number of findings per ``code``, with the most severe severity each code was found with.

    Ties in number go to the more severe code, then to the code seen first; at most :data:`MAX_BARS` (15)
    codes are kept. A severity is compared after trimming and lower-casing; one not known counts as ``other``.

    Parameters
    ----------
    findings : DataFrame
        Columns ``code`` and ``severity``.

    Returns
    -------
    FindingKinds or None
        ``None`` when there are no findings with a code.

    Raises
    ------
    InputError
        When a column named above is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> k = finding_kinds(pd.DataFrame({"code": ["claim_gap", "bad_value", "bad_value", "claim_gap"],
    ...                                 "severity": ["warning", "error", "error", "info"]}))
    >>> k.frame.to_dict("list"), k.left_out
    ({'code': ['bad_value', 'claim_gap'], 'count': [2, 2], 'severity': ['error', 'warning']}, 0)
    """
    if is_empty(findings):
        return None
    check_columns(findings, ["code", "severity"], "findings_by_kind")
    data = pd.DataFrame({"code": texts(findings, "code").to_numpy(),
                         "severity": texts(findings, "severity").str.strip().str.lower().to_numpy()})
    data = data.dropna(subset=["code"])
    if data.empty:
        return None
    data = data.assign(order=data["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER)))
    table = (data.groupby("code", sort=False)
             .agg(count=("code", "size"), order=("order", "min"))
             .reset_index()
             .sort_values(["count", "order"], ascending=[False, True], kind="stable"))
    left_out = max(len(table) - MAX_BARS, 0)
    table = table.head(MAX_BARS)
    by_order = {order: severity for severity, order in SEVERITY_ORDER.items()}
    severity = [by_order.get(int(order), "other") for order in table["order"]]
    frame = pd.DataFrame({"code": table["code"].to_numpy(), "count": table["count"].to_numpy(dtype="int64"),
                          "severity": severity})
    return FindingKinds(frame, left_out)

"""The facts a report states more than once, each computed in one place: was a target met, was a low
execution rate explained, and which claimed total is compared with the recomputed one.

Every sentence, table and finding that speaks of one of these facts reads the value computed here
(the ``met`` column of the scored rows, the ``rate_note`` and ``claimed_basis`` columns of the
results), so no two places of a report can disagree about it.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"direction": ["≥", "≤"], "kind": "定量", "target": [0.9, 0.1], "actual": [0.85, 0.05],
...                      "actual_text": None, "target_text": None, "rule": "linear_capped"})
>>> target_met(rows).tolist()
[False, True]
>>> gives_reason("农村公路养护项目因招标延期，部分工程款在次年支付。"), gives_reason("全年完成培训 12 场。")
(True, False)
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .qualitative import judge_all

KEY = ["unit_code", "year"]

#: Words that make a sentence an explanation (a cause or a deferral), in the analyst's narrative.
REASON = re.compile(r"因|由于|原因|延期|延迟|推迟|滞后|暂缓|未能|尚未|结转|次年|跨年|调减|收回")

#: The analyst's narrative sections read for the reason of a low execution rate, in this order:
#: 执行说明 (its own section), then 重点项目 and 问题 paragraphs that give a reason.
EXPLAINING_SECTIONS = ("execution", "projects", "problems")


def target_met(scored: pd.DataFrame) -> pd.Series:
    """Per indicator row: True when the actual value meets the target, False when it misses it, NA when
    it cannot be told (no actual, a qualitative result that cannot be read, a not-applicable row).

    A ≥ or = target is met by an actual at or above it, a ≤ target by one at or below it; a qualitative
    result (定性, or a row without a numeric target) is met when judged 达成. Full marks do not mean
    met: under a step rule 98.85 % against =100 % keeps full marks but misses the target.

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows; reads ``direction, kind, target, actual`` (``actual_used`` instead when present;
        rates as fractions), ``target_text, actual_text`` and, when present, ``rule``.

    Returns
    -------
    pandas.Series
        ``boolean`` dtype (True / False / NA), index of ``scored``.

    Examples
    --------
    >>> rows = pd.DataFrame({"direction": ["=", "≥", None, None], "kind": ["定量", "定量", "定性", "定性"],
    ...     "target": [1.0, 0.9, np.nan, np.nan], "actual": [0.9885, np.nan, np.nan, np.nan],
    ...     "target_text": ["=100%", "≥90%", "达成", "达成"], "actual_text": ["98.85%", None, "部分达成", "???"],
    ...     "rule": ["step_deduction", "linear_capped", "qualitative_band", "qualitative_band"]})
    >>> target_met(rows).tolist()
    [False, <NA>, False, <NA>]
    """
    if scored.empty:
        return pd.Series(pd.array([], dtype="boolean"), index=scored.index)
    target = scored["target"].to_numpy(dtype="float64", na_value=np.nan)
    actual = scored["actual_used" if "actual_used" in scored.columns else "actual"].to_numpy(dtype="float64",
                                                                                              na_value=np.nan)
    reverse = scored["direction"].fillna("").eq("≤").to_numpy()
    met = np.where(reverse, actual <= target + 1e-9, actual >= target - 1e-9).astype(object)
    met[np.isnan(actual) | np.isnan(target)] = None
    is_text = scored["kind"].eq("定性").to_numpy() | np.isnan(target)
    if is_text.any():
        verdicts = judge_all(scored["actual_text"].to_numpy()[is_text], scored["target_text"].to_numpy()[is_text])
        met[is_text] = [None if v is None else v == "达成" for v in verdicts]
    if "rule" in scored.columns:
        met[scored["rule"].eq("not_applicable").to_numpy()] = None
    return pd.Series(pd.array(list(met), dtype="boolean"), index=scored.index)


def met_of(scored: pd.DataFrame) -> pd.Series:
    """The ``met`` column when the rows carry it (as :func:`perfeval_lib.evaluate` writes them), else
    :func:`target_met` computed now.

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows.

    Returns
    -------
    pandas.Series
        ``boolean`` dtype, index of ``scored``.

    Examples
    --------
    >>> met_of(pd.DataFrame({"met": [True, None]})).tolist()
    [True, <NA>]
    """
    if "met" in scored.columns:
        return scored["met"].astype("boolean")
    return target_met(scored)


def gives_reason(text) -> bool:
    """Whether a paragraph gives a reason (因, 由于, 原因, 延期, 推迟, 结转, 次年 …: :data:`REASON`).

    Examples
    --------
    >>> gives_reason("项目延期至次年实施"), gives_reason(None)
    (True, False)
    """
    return isinstance(text, str) and bool(REASON.search(text))


def execution_explanations(budget: pd.DataFrame | None, narratives: pd.DataFrame | None = None) -> pd.DataFrame:
    """The unit's own explanation of its execution, per unit-year: the 说明 of its budget lines, else the
    analyst's paragraph that gives a reason (:data:`EXPLAINING_SECTIONS`, :func:`gives_reason`).

    rules.md §1: a rate below 90 % needs a written explanation (Sichuan template). A unit-year with an
    explanation here is "explained" everywhere: no finding says it is not, and the draft quotes it.

    Parameters
    ----------
    budget : pandas.DataFrame or None
        Budget lines; reads ``unit_code, year, note`` (说明).
    narratives : pandas.DataFrame, optional
        The analyst's narrative table (:func:`perfeval_lib.ingest.narratives.read_narratives`): ``unit_code,
        year, section, text``.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, rate_note`` (text): one row per unit-year that has an explanation. Budget
        notes of a unit-year are joined with ``；`` (each once).

    Examples
    --------
    >>> budget = pd.DataFrame({"unit_code": ["A", "A", "B"], "year": [2022] * 3,
    ...                        "note": ["项目延期至次年实施", None, None]})
    >>> narratives = pd.DataFrame({"unit_code": ["B", "B"], "year": [2022] * 2, "section": ["achievements", "projects"],
    ...                            "text": ["完成培训 12 场。", "养护工程因招标延期，工程款次年支付。"]})
    >>> execution_explanations(budget, narratives).values.tolist()
    [['A', 2022, '项目延期至次年实施'], ['B', 2022, '养护工程因招标延期，工程款次年支付。']]
    """
    parts = []
    if budget is not None and len(budget) and "note" in budget.columns:
        notes = budget[KEY + ["note"]].dropna(subset=["note"])
        notes = notes[notes["note"].astype(str).str.strip().ne("")].drop_duplicates()
        if len(notes):
            joined = notes.groupby(KEY, sort=True)["note"].agg(lambda s: "；".join(dict.fromkeys(s.astype(str))))
            parts.append(joined.rename("rate_note").reset_index().assign(_order=0))
    if narratives is not None and len(narratives):
        rows = []
        for order, section in enumerate(EXPLAINING_SECTIONS, start=1):
            of_section = narratives[narratives["section"] == section]
            for row in of_section.itertuples():
                paragraphs = [p for p in str(row.text).split("\n") if p.strip()]
                reasons = paragraphs if section == "execution" else [p for p in paragraphs if gives_reason(p)]
                if reasons:
                    rows.append({"unit_code": row.unit_code, "year": int(row.year), "rate_note": "".join(reasons),
                                 "_order": order})
        if rows:
            parts.append(pd.DataFrame(rows))
    if not parts:
        return pd.DataFrame({"unit_code": pd.Series(dtype="object"), "year": pd.Series(dtype="int64"),
                             "rate_note": pd.Series(dtype="object")})
    found = pd.concat(parts, ignore_index=True).sort_values([*KEY, "_order"], kind="stable")
    found = found.drop_duplicates(KEY).drop(columns="_order").reset_index(drop=True)
    return found.astype({"year": "int64"})


def claimed_sums(scored: pd.DataFrame, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit-year, the indicators' claimed scores summed as written and as the rules rescale them.

    Parameters
    ----------
    scored : pandas.DataFrame
        Indicator rows; reads ``unit_code, year, weight, claimed_score`` (points) and ``rule``
        (``not_applicable`` rows are the ones rescaled away).
    totals : pandas.DataFrame, optional
        ``unit_code, year, total``: the ruleset's total (points) per unit-year; default 100.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, claimed_detail`` (Σ of every row's claimed score), ``claimed_applicable``
        (Σ over the applicable rows), ``weight_not_applicable`` and ``claimed_rescaled`` (the applicable
        rows' sum × total / (total − weight not applicable); equal to ``claimed_applicable`` when every
        row applies), all in points; NaN where an applicable row states no claimed score (a gap is not
        a zero, so no sum stands for the unit's claim).

    Examples
    --------
    >>> scored = pd.DataFrame({"unit_code": "A", "year": 2022, "weight": [88.0, 12.0],
    ...                        "rule": ["linear_capped", "not_applicable"], "claimed_score": [80.0, 12.0]})
    >>> claimed_sums(scored)[["claimed_detail", "claimed_applicable", "claimed_rescaled"]].round(4).values.tolist()
    [[92.0, 80.0, 90.9091]]
    >>> gap = scored.assign(rule="linear_capped", claimed_score=[80.0, None])
    >>> claimed_sums(gap)["claimed_detail"].isna().tolist()
    [True]
    """
    columns = [*KEY, "claimed_detail", "claimed_applicable", "weight_not_applicable", "claimed_rescaled"]
    if scored.empty or "claimed_score" not in scored.columns:
        return pd.DataFrame(columns=columns)
    na = scored["rule"].eq("not_applicable") if "rule" in scored.columns else pd.Series(False, index=scored.index)
    frame = scored[KEY].assign(claimed=scored["claimed_score"].astype("float64"),
                               applicable=scored["claimed_score"].astype("float64").where(~na),
                               w_na=scored["weight"].astype("float64").where(na, 0.0))
    # the sum stands for a claim only when every applicable indicator states its 得分: a gap is not a zero
    frame = frame.assign(gap=frame["claimed"].isna() & ~na.to_numpy())
    grouped = frame.groupby(KEY).agg(claimed_detail=("claimed", lambda s: s.sum(min_count=1)),
                                     claimed_applicable=("applicable", lambda s: s.sum(min_count=1)),
                                     weight_not_applicable=("w_na", "sum"), gaps=("gap", "sum")).reset_index()
    complete = grouped["gaps"].eq(0)
    grouped = grouped.assign(claimed_detail=grouped["claimed_detail"].where(complete),
                             claimed_applicable=grouped["claimed_applicable"].where(complete))
    if totals is not None and len(totals):
        grouped = grouped.merge(totals[[*KEY, "total"]], on=KEY, how="left")
    else:
        grouped["total"] = 100.0
    total = grouped["total"].fillna(100.0).to_numpy(dtype="float64")
    scorable = total - grouped["weight_not_applicable"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rescaled = np.where(scorable > 0, grouped["claimed_applicable"] * total / scorable, np.nan)
    return grouped.assign(claimed_rescaled=np.round(rescaled, 6))[columns]


def claimed_totals(claims: pd.DataFrame | None, sums: pd.DataFrame) -> pd.DataFrame:
    """The claimed total compared with the recomputed one, per unit-year, and which one it is.

    Like is compared with like (rules.md §2 ``not_applicable``: drop the indicator, rescale the rest):

    - ``stated``: the total the unit stated (claims table, or a form's 总分 row);
    - ``rows``: no total stated — the sum of the indicators' claimed scores;
    - ``rows_rescaled``: no total stated and some indicators are not applicable — the claimed scores
      of the applicable indicators rescaled to the ruleset's total, exactly as the recomputed total is.

    Parameters
    ----------
    claims : pandas.DataFrame or None
        ``unit_code, year, claimed_score (points), claimed_grade``.
    sums : pandas.DataFrame
        From :func:`claimed_sums`.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, claimed_score (points), claimed_grade, claimed_basis`` (``stated``, ``rows``
        or ``rows_rescaled``), one row per unit-year with a claim or claimed rows.

    Examples
    --------
    >>> scored = pd.DataFrame({"unit_code": "A", "year": 2022, "weight": [88.0, 12.0],
    ...                        "rule": ["linear_capped", "not_applicable"], "claimed_score": [88.0, np.nan]})
    >>> claimed_totals(None, claimed_sums(scored))[["claimed_score", "claimed_basis"]].values.tolist()
    [[100.0, 'rows_rescaled']]
    >>> claims = pd.DataFrame({"unit_code": ["A"], "year": [2022], "claimed_score": [88.0], "claimed_grade": ["良"]})
    >>> claimed_totals(claims, claimed_sums(scored))[["claimed_score", "claimed_basis"]].values.tolist()
    [[88.0, 'stated']]
    """
    columns = [*KEY, "claimed_score", "claimed_grade", "claimed_basis"]
    stated = (claims[[*KEY, "claimed_score", "claimed_grade"]] if claims is not None and len(claims)
              else pd.DataFrame({"unit_code": pd.Series(dtype="object"), "year": pd.Series(dtype="int64"),
                                 "claimed_score": pd.Series(dtype="float64"), "claimed_grade": pd.Series(dtype="object")}))
    stated = stated.assign(claimed_score=stated["claimed_score"].astype("float64"))
    stated = stated.assign(claimed_basis=pd.Series(np.where(stated["claimed_score"].notna(), "stated", None),
                                                   index=stated.index, dtype="object"))
    if sums.empty:
        return stated[columns]
    rescale = sums["weight_not_applicable"].to_numpy(dtype="float64") > 0
    summed = sums[KEY].assign(_summed=np.where(rescale, sums["claimed_rescaled"], sums["claimed_detail"]),
                              _basis=np.where(rescale, "rows_rescaled", "rows"))
    merged = summed.merge(stated, on=KEY, how="outer")
    use_rows = merged["claimed_score"].isna() & merged["_summed"].notna()
    merged["claimed_score"] = merged["claimed_score"].where(~use_rows, merged["_summed"])
    merged["claimed_basis"] = merged["claimed_basis"].where(~use_rows, merged["_basis"])
    return merged[columns]


#: How each claimed basis is said to readers.
BASIS_WORDS = {"stated": "单位填报的自评总分", "rows": "各指标自评得分合计",
               "rows_rescaled": "各指标自评得分合计，不涉及指标不计分、其余指标按比例折算"}

"""三、存在的主要问题, in the unit's own voice: its shortfalls, with the numbers, from the same facts the
rest of the draft states.

A unit's report lists what the unit fell short of — indicators that missed their targets, a low or
slow execution, money carried over, spending over budget — not the reviewer's remarks on how it
scored itself (those go to the annex, :mod:`perfeval_lib.narrate.review`). Each problem reads one
computed fact: ``met`` of the scored rows (:func:`perfeval_lib.review.facts.target_met`), the
results' ``execution_rate`` and ``rate_note`` (the unit's own explanation), the June progress lag.
What only the unit can say (its causes) is left as ``【待补充】``.

Examples
--------
>>> from perfeval_lib.review.rulesets import load_ruleset
>>> result = {"budget_final": 100.0, "executed": 80.0, "execution_rate": 0.8, "rate_note": None}
>>> [p["code"] for p in unit_problems(result, pd.DataFrame(), pd.DataFrame(), load_ruleset("mof-2020"))]
['low_rate']
"""
from __future__ import annotations

import math

import pandas as pd

from ..core.templating import render_text
from ..core.vocab import CHINESE_NUMBERS
from ..review.facts import met_of
from ..review.rulesets import Ruleset

#: A June lag (fraction of the budget) above this is "slower than the progress line" in the draft (both in
#: 一（三） and in 三); above 0.20 it is 明显滞后 and also a review finding (``spending_lag``).
SLOW_PACE = 0.05
BEHIND_PACE = 0.20


def _value(record, name):
    value = record.get(name) if hasattr(record, "get") else getattr(record, name, None)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def pace(lag) -> str:
    """How the June spending progress compares with the line: ``behind``, ``slow`` or ``on_track``.

    Parameters
    ----------
    lag : float
        Target − progress at the end of June (fraction of the budget; positive means behind).

    Returns
    -------
    str

    Examples
    --------
    >>> pace(0.25), pace(0.10), pace(0.01)
    ('behind', 'slow', 'on_track')
    """
    if lag is None or (isinstance(lag, float) and math.isnan(lag)):
        return "on_track"
    return "behind" if lag > BEHIND_PACE else "slow" if lag > SLOW_PACE else "on_track"


def _missed(scored: pd.DataFrame) -> dict | None:
    if scored.empty:
        return None
    rows = scored[scored["rule"].ne("not_applicable")] if "rule" in scored.columns else scored
    missed = rows[met_of(scored).loc[rows.index].eq(False).fillna(False).to_numpy()]
    if missed.empty:
        return None
    items = [{"indicator": r.indicator, "target": r.target_text or "—", "actual": r.actual_text or "—",
              "note": r.note if isinstance(getattr(r, "note", None), str) and r.note.strip() else None}
             for r in missed.assign(note=missed["note"] if "note" in missed.columns else None).itertuples()]
    return {"code": "missed_target", "label": "部分绩效指标未达到年度指标值",
            "text": render_text("narrative/problem_missed.txt.j2", items=items)}


def _execution(result, ruleset: Ruleset) -> dict | None:
    rate = _value(result, "execution_rate")
    budget, executed = _value(result, "budget_final"), _value(result, "executed")
    if rate is None or budget is None or executed is None:
        return None
    note = _value(result, "rate_note")
    if rate > 1.0:
        return {"code": "over_budget", "label": "执行数超过预算数",
                "text": render_text("narrative/problem_execution.txt.j2", kind="over", budget=budget,
                                    executed=executed, rate=rate, note=note, threshold=None, unspent=None)}
    good = ruleset.judgement[0][0] if ruleset.judgement else 0.95
    low = rate < ruleset.note_required_below
    if not low and rate >= good:
        return None
    return {"code": "low_rate" if low else "carry_over", "label": "预算执行率偏低" if low else "年末结转结余较多",
            "text": render_text("narrative/problem_execution.txt.j2", kind="low" if low else "carry", budget=budget,
                                executed=executed, rate=rate, note=note, threshold=ruleset.note_required_below,
                                unspent=budget - executed)}


def _spending(progress: pd.DataFrame) -> dict | None:
    if progress.empty:
        return None
    june = progress[progress["month"] == 6]
    if june.empty or pace(june["lag"].iloc[0]) == "on_track":
        return None
    row = june.iloc[0]
    return {"code": "spending_lag", "label": "支出进度慢于序时进度",
            "text": render_text("narrative/problem_pace.txt.j2", progress=row["progress"], target=row["target"],
                                behind=pace(row["lag"]) == "behind")}


def unit_problems(result, scored: pd.DataFrame, progress: pd.DataFrame, ruleset: Ruleset) -> list[dict]:
    """The unit's own shortfalls of the year, most telling first: missed targets, then execution, then pace.

    Parameters
    ----------
    result : dict or pandas.Series
        The unit-year's results row: ``budget_final, executed`` (万元), ``execution_rate`` (fraction),
        ``rate_note`` (the unit's explanation, or None).
    scored : pandas.DataFrame
        The unit-year's indicator rows: ``indicator, rule, target_text, actual_text, note`` (偏差原因)
        and ``met`` (else what :func:`~perfeval_lib.review.facts.target_met` reads). May be empty.
    progress : pandas.DataFrame
        Monthly spending progress: ``month, progress, target, lag`` (fractions). May be empty.
    ruleset : Ruleset
        ``note_required_below`` (a rate below it is low) and the first ``judgement`` threshold (a rate
        below it leaves money carried over worth saying).

    Returns
    -------
    list of dict
        ``code`` (``missed_target``, ``low_rate``, ``carry_over``, ``over_budget``, ``spending_lag``),
        ``label`` and ``text`` (the sentence, with the numbers).

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> scored = pd.DataFrame({"indicator": ["质量达标率"], "rule": ["linear_capped"], "target_text": ["≥95%"],
    ...     "actual_text": ["85.4%"], "note": [None], "met": [False]})
    >>> result = {"budget_final": 4091.41, "executed": 3188.70, "execution_rate": 3188.70 / 4091.41,
    ...           "rate_note": "农村公路养护项目因招标延期，部分工程款在次年支付。"}
    >>> [p["text"] for p in unit_problems(result, scored, pd.DataFrame(), load_ruleset("mof-2020"))]
    ['「质量达标率」年度指标值 ≥95%，实际完成 85.4%。', '全年预算数 4091.41 万元，执行数 3188.70 万元，预算执行率 77.9%，低于 90%，年末结转结余 902.71 万元。单位说明：农村公路养护项目因招标延期，部分工程款在次年支付。']
    """
    found = [_missed(scored), _execution(result, ruleset), _spending(progress)]
    return [p for p in found if p is not None]


def problem_text(position: int, problem: dict) -> str:
    """（一）<label>：<text> — one numbered problem.

    Parameters
    ----------
    position : int
        0-based: numbered （一）（二）… (arabic past 十).
    problem : dict
        From :func:`unit_problems`: ``label`` and ``text``.

    Returns
    -------
    str

    Examples
    --------
    >>> problem_text(1, {"label": "预算执行率偏低", "text": "预算执行率 80.0%。"})
    '（二）预算执行率偏低：预算执行率 80.0%。'
    """
    number = CHINESE_NUMBERS[position] if position < len(CHINESE_NUMBERS) else str(position + 1)
    return f"（{number}）{problem['label']}：{problem['text']}"

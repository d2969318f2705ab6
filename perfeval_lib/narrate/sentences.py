"""The report's Chinese sentences, written from data with jinja2 templates (``templates/narrative``).

Each function writes the sentences of one part of the 自评报告 (rules.md §5: the worked example's
sections); money is shown in 万元 with 2 decimals, rates with 1 decimal, scores as given. Figures come
from the results table, problems from the audit's findings, measures from an editable catalogue
(``params/narrative/measures.yaml``); free text (部门概况, 重点工作, 成效 …) comes from the analyst's
own file ``data/raw/<dataset>/narratives/<unit_code>/<year>.yaml``.

Examples
--------
>>> from perfeval_lib.review.rulesets import load_ruleset
>>> figures_sentence({"budget_final": 507.02, "executed": 507.02, "execution_rate": 1.0}, load_ruleset("mof-2020"))
'全年预算数 507.02 万元，执行数 507.02 万元，完成预算的 100.0%，预算完成情况较好，收支规模、支出进度处于合理水平。'
"""
from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core import config
from ..review.audit import FINDING_LABELS, SCORE_TOLERANCE, TOTAL_TOLERANCE
from ..review.facts import BASIS_WORDS, met_of
from ..review.rulesets import Ruleset
from ..core.templating import render_text
from ..core.vocab import CHINESE_NUMBERS, PLACEHOLDER, SEVERITY_ORDER
from .problems import pace



def _value(record, name):
    value = record.get(name) if hasattr(record, "get") else getattr(record, name, None)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def judgement(rate: float | None, ruleset: Ruleset) -> str:
    """The ruleset's words for an execution rate (thresholds live in the ruleset, not here).

    Parameters
    ----------
    rate : float or None
        The execution rate as a fraction.
    ruleset : Ruleset
        Its ``judgement`` list gives (lowest rate, words), highest first.

    Returns
    -------
    str
        The words of the first threshold the rate reaches (the last entry's below them all); ``''``
        for a missing rate.

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> judgement(0.80, load_ruleset("mof-2020"))
    '预算执行进度较慢，需加快支出进度'
    >>> judgement(0.92, load_ruleset("mof-2020"))
    '预算完成情况基本达到要求'
    """
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return ""
    for low, word in ruleset.judgement:
        if rate >= low:
            return word
    return ruleset.judgement[-1][1] if ruleset.judgement else ""


def figures_sentence(result, ruleset: Ruleset) -> str:
    """一（三）: 全年预算数 X 万元，执行数 Y 万元，完成预算的 Z%，<judgement>。

    rules.md §5: the figures sentence of (三) 部门整体收支情况. A rate above 100 % says the executed
    amount includes other funds (rules.md §1); a zero or missing budget says the rate cannot be
    computed.

    Parameters
    ----------
    result : dict, pandas.Series or a row tuple
        A results row (:func:`perfeval_lib.results`); missing values may be None or NaN.
        Reads ``budget_final (万元), executed (万元), execution_rate (fraction)``.
    ruleset : Ruleset
        For the :func:`judgement` words.

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> figures_sentence({"budget_final": 0.0, "executed": 5.0, "execution_rate": None}, load_ruleset("mof-2020"))
    '全年预算数为 0，执行数 5.00 万元，预算执行率无法计算。'
    """
    rate = _value(result, "execution_rate")
    words = judgement(rate, ruleset)
    if rate is not None and rate > 1.0:
        words = "执行数超过预算数，含其他资金列支，需说明资金来源"
    return render_text("narrative/figures.txt.j2", budget=_value(result, "budget_final"),
                       executed=_value(result, "executed"), rate=rate, judgement=words)


def conclusion_sentences(result, year: int, ruleset: Ruleset | None = None) -> list[str]:
    """二（一）自评结论综述, in the unit's own voice: its score and grade as it claims them.

    rules.md §5: conclusion 自评结果为 S 分，达到"G"等级 — S is the unit's claimed total (what it
    reports, and what ``perfeval extract`` reads back). The grade is the unit's stated one, else the one
    its score reaches under the ruleset's bands. A claimed total the unit did not state itself says
    how it was summed. Without a claim, a ``【待补充】`` sentence asks for it. The recomputed score is
    never written as the unit's: see :func:`review_note`.

    Parameters
    ----------
    result : dict, pandas.Series or a row tuple
        A results row (:func:`perfeval_lib.results`); reads ``claimed_score, claimed_grade,
        claimed_basis``.
    year : int
    ruleset : Ruleset, optional
        Its grade bands give the grade of an unstated one.

    Returns
    -------
    list of str
        One sentence.

    Examples
    --------
    >>> conclusion_sentences({"claimed_score": 96.5, "claimed_grade": "优", "claimed_basis": "stated"}, 2023)
    ['按照《部门整体支出绩效自评表》的评价指标，2023年本部门整体支出绩效自评结果为 96.50 分，达到“优”等级。']
    >>> conclusion_sentences({"claimed_score": None}, 2023)
    ['【待补充】2023年本部门整体支出绩效自评结果（按《部门整体支出绩效自评表》填写得分和等级）。']
    """
    claimed = _value(result, "claimed_score")
    grade = _value(result, "claimed_grade")
    if claimed is not None and grade is None and ruleset is not None:
        grade = ruleset.grade(claimed)
    basis = _value(result, "claimed_basis")
    text = render_text("narrative/conclusion.txt.j2", year=year, claimed=claimed, grade=grade,
                       basis=BASIS_WORDS.get(basis, "") if basis not in (None, "stated") else "",
                       PLACEHOLDER=PLACEHOLDER)
    return [s + "。" for s in text.split("。") if s.strip()]


def review_note(result, scored: pd.DataFrame, ruleset: Ruleset | None = None) -> str:
    """The reviewer's note under 二（一）: the recomputed score where it differs from the claim (and why),
    or why the claim could not be recomputed; ``''`` when they agree.

    A claimed total differing by :data:`~perfeval_lib.core.vocab.TOTAL_TOLERANCE` (0.5 points) or more
    from the recomputed one differs; the (up to three) indicators that differ most in the same
    direction are named.

    Parameters
    ----------
    result : dict, pandas.Series or a row tuple
        A results row; reads ``score, grade, claimed_score, score_status``.
    scored : pandas.DataFrame
        The unit-year's indicator rows; reads ``indicator, score, claimed_score`` (points). May be empty.
    ruleset : Ruleset, optional
        Its ``basis`` names the rules.

    Returns
    -------
    str
        One paragraph starting with ``复核意见：``, or ``''``.

    Examples
    --------
    >>> scored = pd.DataFrame({"indicator": ["A", "B"], "score": [5.0, 10.0], "claimed_score": [8.0, 10.0]})
    >>> review_note({"score": 84.0, "grade": "良", "claimed_score": 87.0, "score_status": "recomputed"}, scored)
    '复核意见：按评分规则复核计算为 84.00 分（“良”），比单位所报低 3.00 分，差异主要在「A」（单位所报 8.00 分，复核 5.00 分）；详见附件“复核意见”。'
    >>> review_note({"score": 96.43, "grade": "优", "claimed_score": 96.5, "score_status": "recomputed"}, scored)
    ''
    """
    score, claimed = _value(result, "score"), _value(result, "claimed_score")
    status = _value(result, "score_status")
    gap = None if score is None or claimed is None else claimed - score
    if score is not None and gap is not None and abs(gap) < TOTAL_TOLERANCE:
        return ""
    drivers = []
    if gap is not None and len(scored):
        rows = scored.dropna(subset=["score", "claimed_score"])
        rows = rows.assign(gap=rows["claimed_score"] - rows["score"])
        rows = rows[np.sign(rows["gap"]) == np.sign(gap)].reindex(
            rows["gap"].abs().sort_values(ascending=False).index).head(3)
        drivers = [{"indicator": r.indicator, "claimed": r.claimed_score, "score": r.score}
                   for r in rows.itertuples() if abs(r.gap) >= SCORE_TOLERANCE]
    return render_text("narrative/review_note.txt.j2", score=score, grade=_value(result, "grade"), claimed=claimed,
                       gap=gap, status=status, drivers=drivers,
                       ruleset=ruleset.basis if ruleset and ruleset.basis else "评分规则")


def category_sentences(lines: pd.DataFrame) -> list[str]:
    """一（三）: budget and executed per 支出类别 when the lines are split by category.

    Parameters
    ----------
    lines : pandas.DataFrame
        The unit-year's budget lines; reads ``category, budget_final (万元), executed (万元)``.

    Returns
    -------
    list of str
        One sentence, categories in sorted order; empty when there are fewer than two categories
        (or only 合计 rows). A category with a zero budget has no rate.

    Examples
    --------
    >>> lines = pd.DataFrame({"category": ["基本支出", "项目支出"], "budget_final": [100.0, 50.0], "executed": [99.0, 25.0]})
    >>> category_sentences(lines)
    ['其中，基本支出全年预算数 100.00 万元，执行数 99.00 万元，执行率 99.0%，项目支出全年预算数 50.00 万元，执行数 25.00 万元，执行率 50.0%。']
    """
    if lines.empty or lines["category"].isna().all() or lines["category"].eq("合计").all():
        return []
    sums = lines.groupby("category", sort=True)[["budget_final", "executed"]].sum()
    if len(sums) < 2:
        return []
    categories = [{"name": name, "budget": row.budget_final, "executed": row.executed,
                   "rate": row.executed / row.budget_final if row.budget_final else None}
                  for name, row in sums.iterrows()]
    return [render_text("narrative/categories.txt.j2", categories=categories)]


def progress_sentence(progress: pd.DataFrame) -> str:
    """一（三）: spending progress at the end of June and at the last month, against the even line.

    The June words (:func:`perfeval_lib.narrate.problems.pace`, the same words 三 uses): more than 0.20
    behind → 上半年支出明显滞后; more than 0.05 → 略慢于序时进度; else 基本符合序时进度 (this library's
    thresholds; the even line itself is unverified, rules.md §2).

    Parameters
    ----------
    progress : pandas.DataFrame
        One unit-year's rows from :func:`perfeval_lib.spending_progress`; reads ``month, progress
        (fraction), target (fraction), lag (fraction)``.

    Returns
    -------
    str
        One sentence; the June part only when June is there.

    Raises
    ------
    IndexError
        When ``progress`` is empty.

    Examples
    --------
    >>> p = pd.DataFrame({"month": [6, 12], "progress": [0.3, 0.98], "target": [0.5, 1.0], "lag": [0.2, 0.02]})
    >>> progress_sentence(p)
    '截至 6 月底累计支出进度为 30.0%（序时进度 50.0%），略慢于序时进度；截至 12 月底累计支出进度为 98.0%。'
    """
    ordered = progress.sort_values("month")
    june = ordered[ordered["month"] == 6]
    mid = june.iloc[0].to_dict() if len(june) else None
    last = ordered.iloc[-1].to_dict()
    last["month"] = int(last["month"])
    return render_text("narrative/progress.txt.j2", mid=mid, last=last, pace=pace(mid["lag"]) if mid else None)


def management_sentence(scored: pd.DataFrame, ruleset: Ruleset) -> str:
    """一（四）: how the evaluation was organised, from the indicator table (counts by 一级指标, kinds, met).

    Parameters
    ----------
    scored : pandas.DataFrame
        The unit-year's rows from :func:`perfeval_lib.score`; reads ``level1, kind, rule`` and ``met``
        (else the columns :func:`~perfeval_lib.review.facts.target_met` reads). May be empty.
    ruleset : Ruleset
        Its ``basis`` names the rules followed.

    Returns
    -------
    str
        One sentence; with no indicator table, a ``【待补充】`` request for the analyst.

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> scored = pd.DataFrame({"level1": ["产出指标"] * 2, "kind": ["定量"] * 2, "rule": ["linear_capped"] * 2,
    ...     "direction": ["≥"] * 2, "target": [10.0, 10.0], "actual": [10.0, 8.0],
    ...     "target_text": ["≥10", "≥10"], "actual_text": ["10", "8"]})
    >>> management_sentence(scored, load_ruleset("mof-2020"))
    '本单位按照财政部单位自评评分规则（财预〔2020〕10号）开展部门整体支出绩效自评，共设置绩效指标 2 项（产出指标 2 项），其中定量指标 2 项、定性指标 0 项；1 项达到年度指标值，1 项未达到。'
    """

    if scored.empty:
        return render_text("narrative/management.txt.j2", total=0, PLACEHOLDER=PLACEHOLDER, ruleset=ruleset.basis)
    applicable = scored[scored["rule"].ne("not_applicable")]
    met = met_of(scored).loc[applicable.index]
    levels = [{"name": name, "count": len(group)} for name, group in scored.groupby("level1", sort=False)]
    return render_text("narrative/management.txt.j2", total=len(scored), levels=levels, ruleset=ruleset.basis,
                       quantitative=int(scored["kind"].eq("定量").sum()), qualitative=int(scored["kind"].eq("定性").sum()),
                       not_applicable=len(scored) - len(applicable), met=int(met.eq(True).sum()),
                       missed=int(met.eq(False).sum()), unknown=int(met.isna().sum()), PLACEHOLDER=PLACEHOLDER)


def project_sentences(projects: pd.DataFrame) -> list[str]:
    """二（三）: one sentence per 项目支出 line.

    Parameters
    ----------
    projects : pandas.DataFrame
        Budget lines of projects; reads ``project`` (else ``category`` names the line),
        ``funding_source, budget_final (万元), executed (万元), note``.

    Returns
    -------
    list of str
        One sentence per line, in the given order; a zero budget says the rate cannot be computed,
        a note is appended.

    Examples
    --------
    >>> lines = pd.DataFrame({"project": ["档案数字化项目"], "funding_source": ["财政拨款"], "category": ["项目支出"],
    ...                       "budget_final": [80.0], "executed": [70.5], "note": [None]})
    >>> project_sentences(lines)
    ['「档案数字化项目」（财政拨款）全年预算数 80.00 万元，执行数 70.50 万元，执行率 88.1%。']
    """
    sentences = []
    for line in projects.itertuples():
        name = line.project if isinstance(line.project, str) and line.project else line.category
        rate = line.executed / line.budget_final if line.budget_final else None
        note = line.note if isinstance(line.note, str) and line.note else None
        source = line.funding_source if isinstance(line.funding_source, str) else None
        sentences.append(render_text("narrative/projects.txt.j2", name=name, source=source, budget=line.budget_final,
                                     executed=line.executed, rate=rate, note=note))
    return sentences


def problem_sentence(position: int, group: dict, limit: int = 5) -> str:
    """三: one sentence per kind of problem, its first ``limit`` findings spelled out.

    Parameters
    ----------
    position : int
        0-based position of the group: numbered （一）（二）… (arabic past 十).
    group : dict
        From :func:`problem_groups`: ``label`` and ``messages``.
    limit : int, default 5
        Findings spelled out; more are summed up by 等 and the count.

    Returns
    -------
    str

    Examples
    --------
    >>> problem_sentence(0, {"label": "支出进度滞后", "messages": ["6月底累计支出进度 20.0%，落后于序时进度 50.0%"]})
    '（一）支出进度滞后：6月底累计支出进度 20.0%，落后于序时进度 50.0%。'
    """

    number = CHINESE_NUMBERS[position] if position < len(CHINESE_NUMBERS) else str(position + 1)
    return render_text("narrative/problem_group.txt.j2", number=number, label=group["label"],
                       messages=group["messages"][:limit], total=len(group["messages"]))


def goal_lines(scored: pd.DataFrame) -> list[str]:
    """二（二）: per 一级指标, how many indicators met their targets and which missed, with the numbers.

    Parameters
    ----------
    scored : pandas.DataFrame
        The unit-year's rows from :func:`perfeval_lib.score`; reads ``level1, indicator, rule,
        target_text, actual_text`` and ``met`` (else the columns
        :func:`~perfeval_lib.review.facts.target_met` reads). Not-applicable rows are left out; a row
        whose result cannot be told is counted apart (无法判断).

    Returns
    -------
    list of str
        One sentence per 一级指标, in order of appearance; empty for no rows.

    Examples
    --------
    >>> scored = pd.DataFrame({"level1": ["产出指标"] * 2, "indicator": ["培训场次", "宣传场次"], "kind": ["定量"] * 2,
    ...     "rule": ["linear_capped"] * 2, "direction": ["≥"] * 2, "target": [10.0, 10.0], "actual": [8.0, 12.0],
    ...     "target_text": ["≥10", "≥10"], "actual_text": ["8", "12"]})
    >>> goal_lines(scored)
    ['产出指标共 2 项，达到年度指标值 1 项；未达到：「培训场次」（目标 ≥10，实际 8）。']
    """
    if scored.empty:
        return []
    rows = scored[scored["rule"].ne("not_applicable")]
    met = met_of(scored).loc[rows.index]
    lines = []
    for level1, group in rows.groupby("level1", sort=False):
        of_group = met.loc[group.index]
        misses = group[of_group.eq(False).fillna(False).to_numpy()]
        lines.append(render_text("narrative/goals.txt.j2", level1=level1, total=len(group),
                                 met=int(of_group.eq(True).sum()), unknown=int(of_group.isna().sum()),
                                 misses=[{"indicator": r.indicator, "target": r.target_text, "actual": r.actual_text}
                                         for r in misses.itertuples()]))
    return lines


def problem_groups(findings: pd.DataFrame) -> list[dict]:
    """三、存在的主要问题: findings grouped by kind, most serious first; each group has its messages.

    Parameters
    ----------
    findings : pandas.DataFrame
        The unit-year's findings; reads ``code, severity, message``.

    Returns
    -------
    list of dict
        One dict per code, errors first, then warnings, then notes, codes sorted within a severity:
        ``code``, ``label`` (Chinese, from ``FINDING_LABELS``), ``severity`` and ``messages``.

    Examples
    --------
    >>> findings = pd.DataFrame({"code": ["vague_target", "spending_lag", "spending_lag"],
    ...     "severity": ["info", "warning", "warning"], "message": ["m1", "m2", "m3"]})
    >>> [(g["label"], g["messages"]) for g in problem_groups(findings)]
    [('支出进度滞后', ['m2', 'm3']), ('指标值不可衡量', ['m1'])]
    """
    if findings.empty:
        return []
    ordered = findings.assign(_o=findings["severity"].map(SEVERITY_ORDER)).sort_values(["_o", "code"], kind="stable")
    groups = []
    for code, group in ordered.groupby("code", sort=False):
        groups.append({"code": code, "label": FINDING_LABELS.get(code, code), "severity": group["severity"].iloc[0],
                       "messages": group["message"].tolist()})
    return groups


@functools.lru_cache(maxsize=4)
def _catalogue(path: Path, mtime: float) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def measure_catalogue() -> dict:
    """The editable catalogue of measures (``params/narrative/measures.yaml``).

    Read again only when the file changes.

    Returns
    -------
    dict
        ``measures``: a list of ``{codes, order, text}`` (one measure per kind of finding);
        ``default``: the measure used when no finding matches. Without the file:
        ``{"measures": [], "default": ""}``.

    Raises
    ------
    yaml.YAMLError
        When the file is not valid YAML.

    Examples
    --------
    >>> catalogue = measure_catalogue()
    >>> sorted(catalogue), catalogue["measures"][0]["codes"]
    (['default', 'measures'], ['missed_target'])
    """
    path = config.params_dir() / "narrative" / "measures.yaml"
    return _catalogue(path, path.stat().st_mtime) if path.exists() else {"measures": [], "default": ""}


def measures(findings: pd.DataFrame) -> list[str]:
    """四、下一步改进措施: one measure per kind of problem found, in the catalogue's order; a default otherwise.

    Parameters
    ----------
    findings : pandas.DataFrame
        The unit-year's findings (or the unit's problems, :func:`perfeval_lib.narrate.problems.unit_problems`);
        reads ``code``.

    Returns
    -------
    list of str
        Each catalogue measure whose ``codes`` meet a finding's code, once, sorted by ``order``; the
        catalogue's ``default`` when none does (empty without one).

    Raises
    ------
    yaml.YAMLError
        When the catalogue is not valid YAML.

    Examples
    --------
    >>> measures(pd.DataFrame({"code": ["spending_lag", "spending_lag"]}))
    ['建立支出进度月度通报机制，对照序时进度督促资金及早支出，避免年底集中支出。']
    """
    return measures_for(set(findings["code"]) if len(findings) else set())


def measures_for(codes: set, default: bool = True) -> list[str]:
    """The catalogue's measures for these problem codes, in the catalogue's order (see :func:`measures`).

    Parameters
    ----------
    codes : set of str
        Finding or problem codes.
    default : bool, default True
        Give the catalogue's ``default`` measure when no measure matches.

    Returns
    -------
    list of str

    Examples
    --------
    >>> measures_for({"missed_target"})[0][:10]
    '对未达到年度指标值的'
    >>> measures_for(set(), default=False)
    []
    """
    catalogue = measure_catalogue()
    chosen = [m for m in sorted(catalogue.get("measures", []), key=lambda m: m.get("order", 99))
              if set(codes) & set(m.get("codes", []))]
    texts = [m["text"] for m in chosen]
    return texts or ([catalogue["default"]] if default and catalogue.get("default") else [])

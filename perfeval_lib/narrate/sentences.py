"""The report's Chinese sentences, written from data with jinja2 templates (``templates/narrative``).

Figures come from the results table, problems from the audit's findings, measures from an editable
catalogue (``params/narrative/measures.yaml``); free text (部门概况, 重点工作, 成效 …) comes from the
analyst's own file ``data/raw/<dataset>/narratives/<unit_code>/<year>.yaml``.

Examples
--------
>>> from perfeval_lib.review.rulesets import load_ruleset
>>> figures_sentence({"budget_final": 507.02, "executed": 507.02, "execution_rate": 1.0}, load_ruleset("mof-2020"))
'全年预算数 507.02 万元，执行数 507.02 万元，完成预算的 100.0%，预算完成情况较好，收支规模、支出进度处于合理水平。'
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core import config
from ..review.audit import FINDING_LABELS, SCORE_TOLERANCE, TOTAL_TOLERANCE, missed_target
from ..core.files import shown_path
from ..core.issues import Issue
from ..review.rulesets import Ruleset
from ..core.templating import render_text
from ..core.vocab import CHINESE_NUMBERS, PLACEHOLDER, SEVERITY_ORDER



def _value(record, name):
    value = record.get(name) if hasattr(record, "get") else getattr(record, name, None)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def judgement(rate: float | None, ruleset: Ruleset) -> str:
    """The ruleset's words for an execution rate (thresholds live in the ruleset, not here).

    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> judgement(0.80, load_ruleset("mof-2020"))
    '预算执行进度较慢，需加快支出进度'
    """
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return ""
    for low, word in ruleset.judgement:
        if rate >= low:
            return word
    return ruleset.judgement[-1][1] if ruleset.judgement else ""


def figures_sentence(result, ruleset: Ruleset) -> str:
    """一（三）: 全年预算数 X 万元，执行数 Y 万元，完成预算的 Z%，<judgement>。"""
    rate = _value(result, "execution_rate")
    words = judgement(rate, ruleset)
    if rate is not None and rate > 1.0:
        words = "执行数超过预算数，含其他资金列支，需说明资金来源"
    return render_text("narrative/figures.txt.j2", budget=_value(result, "budget_final"),
                       executed=_value(result, "executed"), rate=rate, judgement=words)


def conclusion_sentences(result, scored: pd.DataFrame, year: int, ruleset: Ruleset | None = None) -> list[str]:
    """二（一）自评结论综述: the recomputed score and grade, and the claimed one where it differs (why)."""
    score, claimed = _value(result, "score"), _value(result, "claimed_score")
    status = _value(result, "score_status")
    gap = None if score is None or claimed is None else claimed - score
    drivers = []
    if gap is not None and abs(gap) >= TOTAL_TOLERANCE and len(scored):
        rows = scored.dropna(subset=["score", "claimed_score"])
        rows = rows.assign(gap=rows["claimed_score"] - rows["score"])
        rows = rows[np.sign(rows["gap"]) == np.sign(gap)].reindex(
            rows["gap"].abs().sort_values(ascending=False).index).head(3)
        drivers = [{"indicator": r.indicator, "claimed": r.claimed_score, "score": r.score}
                   for r in rows.itertuples() if abs(r.gap) >= SCORE_TOLERANCE]
    text = render_text("narrative/conclusion.txt.j2", year=year, score=score, grade=_value(result, "grade"),
                       claimed=claimed, claimed_grade=_value(result, "claimed_grade"), gap=gap, status=status,
                       drivers=drivers, tolerance=TOTAL_TOLERANCE, ruleset=ruleset.basis if ruleset else "")
    return [s + "。" for s in text.split("。") if s.strip()]


def category_sentences(lines: pd.DataFrame) -> list[str]:
    """一（三）: budget and executed per 支出类别 when the lines are split by category.

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

    >>> p = pd.DataFrame({"month": [6, 12], "progress": [0.3, 0.98], "target": [0.5, 1.0], "lag": [0.2, 0.02]})
    >>> progress_sentence(p)
    '截至 6 月底累计支出进度为 30.0%（序时进度 50.0%），略慢于序时进度；截至 12 月底累计支出进度为 98.0%。'
    """
    ordered = progress.sort_values("month")
    june = ordered[ordered["month"] == 6]
    mid = june.iloc[0].to_dict() if len(june) else None
    last = ordered.iloc[-1].to_dict()
    last["month"] = int(last["month"])
    return render_text("narrative/progress.txt.j2", mid=mid, last=last)


def management_sentence(scored: pd.DataFrame, ruleset: Ruleset) -> str:
    """一（四）: how the evaluation was organised, from the indicator table (counts by 一级指标, kinds, met)."""

    if scored.empty:
        return render_text("narrative/management.txt.j2", total=0, PLACEHOLDER=PLACEHOLDER, ruleset=ruleset.basis)
    applicable = scored[scored["rule"].ne("not_applicable")]
    levels = [{"name": name, "count": len(group)} for name, group in scored.groupby("level1", sort=False)]
    return render_text("narrative/management.txt.j2", total=len(scored), levels=levels, ruleset=ruleset.basis,
                       quantitative=int(scored["kind"].eq("定量").sum()), qualitative=int(scored["kind"].eq("定性").sum()),
                       not_applicable=len(scored) - len(applicable),
                       met=int((~missed_target(applicable)).sum()), PLACEHOLDER=PLACEHOLDER)


def project_sentences(projects: pd.DataFrame) -> list[str]:
    """二（三）: one sentence per 项目支出 line.

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

    >>> problem_sentence(0, {"label": "支出进度滞后", "messages": ["6月底累计支出进度 20.0%，落后于序时进度 50.0%"]})
    '（一）支出进度滞后：6月底累计支出进度 20.0%，落后于序时进度 50.0%。'
    """

    number = CHINESE_NUMBERS[position] if position < len(CHINESE_NUMBERS) else str(position + 1)
    return render_text("narrative/problem_group.txt.j2", number=number, label=group["label"],
                       messages=group["messages"][:limit], total=len(group["messages"]))


def goal_lines(scored: pd.DataFrame) -> list[str]:
    """二（二）: per 一级指标, how many indicators met their targets and which missed, with the numbers."""
    if scored.empty:
        return []
    rows = scored[scored["rule"].ne("not_applicable")]
    missed = missed_target(rows)
    lines = []
    for level1, group in rows.groupby("level1", sort=False):
        misses = group[missed.loc[group.index]]
        lines.append(render_text("narrative/goals.txt.j2", level1=level1, total=len(group),
                                 met=len(group) - len(misses),
                                 misses=[{"indicator": r.indicator, "target": r.target_text, "actual": r.actual_text}
                                         for r in misses.itertuples()]))
    return lines


def problem_groups(findings: pd.DataFrame) -> list[dict]:
    """三、存在的主要问题: findings grouped by kind, most serious first; each group has its messages."""
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
    """The editable catalogue of measures (``params/narrative/measures.yaml``)."""
    path = config.params_dir() / "narrative" / "measures.yaml"
    return _catalogue(path, path.stat().st_mtime) if path.exists() else {"measures": [], "default": ""}


def measures(findings: pd.DataFrame) -> list[str]:
    """四、下一步改进措施: one measure per kind of problem found, in the catalogue's order; a default otherwise.

    >>> measures(pd.DataFrame({"code": ["spending_lag", "spending_lag"]}))
    ['建立支出进度月度通报机制，对照序时进度督促资金及早支出，避免年底集中支出。']
    """
    catalogue = measure_catalogue()
    codes = set(findings["code"]) if len(findings) else set()
    chosen = [m for m in sorted(catalogue.get("measures", []), key=lambda m: m.get("order", 99))
              if codes & set(m.get("codes", []))]
    texts = [m["text"] for m in chosen]
    return texts or ([catalogue["default"]] if catalogue.get("default") else [])


# ---------------------------------------------------------------------------------------------
# The analyst's own text
# ---------------------------------------------------------------------------------------------








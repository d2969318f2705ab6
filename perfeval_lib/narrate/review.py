"""The review (复核) annex of a draft: the reviewer's voice, kept apart from the unit's report.

The four sections of the draft speak as the unit. What the review found — the recomputed scores, the
indicators scored differently, the audit's findings and the reviewer's recommendations — is written
here, under a heading that says whose words they are. Every finding is a sentence of the audit
(:mod:`perfeval_lib.review.audit`), computed from the same facts as the report, so the annex and the
report never disagree.

Examples
--------
>>> from types import SimpleNamespace
>>> import pandas as pd
>>> from perfeval_lib.review.rulesets import load_ruleset
>>> r = SimpleNamespace(result={"score": 96.43, "grade": "优", "claimed_score": 96.5, "claimed_grade": "优",
...                             "score_status": "recomputed", "claimed_basis": "stated"},
...                     ruleset=load_ruleset("mof-2020"), scored=pd.DataFrame(), findings=pd.DataFrame())
>>> [b.text for b in review_annex(r).blocks][1]
'复核计算为 96.43 分（“优”），与单位所报 96.50 分（“优”）基本一致。'
"""
from __future__ import annotations

import math

from ..core.templating import render_text
from ..core.vocab import TOTAL_TOLERANCE
from ..review.facts import BASIS_WORDS
from . import sentences as narrative
from .document import Figure, Paragraph, Section, indicator_table

#: The annex's heading: whose words these are.
ANNEX_HEADING = "附件：复核意见（复核人出具，不属于单位自评报告正文）"


def _value(record, name):
    value = record.get(name) if hasattr(record, "get") else getattr(record, name, None)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def review_summary(result, ruleset) -> str:
    """The annex's first finding: the recomputed total against the claimed one (or why there is none).

    Parameters
    ----------
    result : dict or pandas.Series
        Reads ``score, grade, claimed_score, claimed_grade, claimed_basis, score_status``.
    ruleset : Ruleset
        Its ``basis`` names the rules.

    Returns
    -------
    str

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> review_summary({"score": 88.91, "grade": "良", "claimed_score": 94.0, "claimed_grade": "优",
    ...                 "score_status": "recomputed", "claimed_basis": "stated"}, load_ruleset("mof-2020"))
    '复核计算为 88.91 分（“良”），单位所报 94.00 分（“优”），比复核计算高 5.09 分。'
    """
    score, claimed = _value(result, "score"), _value(result, "claimed_score")
    gap = None if score is None or claimed is None else claimed - score
    basis = _value(result, "claimed_basis")
    return render_text("narrative/review_summary.txt.j2", score=score, grade=_value(result, "grade"),
                       claimed=claimed, claimed_grade=_value(result, "claimed_grade"), gap=gap,
                       agree=gap is not None and abs(gap) < TOTAL_TOLERANCE,
                       basis=BASIS_WORDS.get(basis, "") if basis not in (None, "stated") else "",
                       status=_value(result, "score_status"), ruleset=ruleset.basis or ruleset.title)


def review_annex(r) -> Section:
    """附件：复核意见 — the reviewer's part of the draft.

    Parameters
    ----------
    r : perfeval_lib.render.report.UnitReport or any object with ``result``, ``ruleset``, ``scored`` and
        ``findings``
        ``findings`` are the unit-year's audit findings (``code, severity, message``).

    Returns
    -------
    Section
        Level 1, heading :data:`ANNEX_HEADING`: what the annex is, the totals compared, the 复核表
        and its chart (when there are indicators), the findings grouped by kind (most serious first),
        and the reviewer's recommendations; every paragraph of kind ``review``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> r = SimpleNamespace(result={"score": None, "claimed_score": 98.0, "score_status": "no_indicators"},
    ...                     ruleset=load_ruleset("mof-2020"), scored=pd.DataFrame(),
    ...                     findings=pd.DataFrame({"code": ["no_indicator_table"], "severity": ["info"],
    ...                                            "message": ["未提供绩效指标自评表，只有总体数字：无法复核得分，自评结果照录"]}))
    >>> [b.text for b in review_annex(r).blocks][2]
    '复核发现以下事项（按严重程度排列）：'
    """
    basis = r.ruleset.basis or r.ruleset.title
    blocks: list = [Paragraph(f"本附件由复核人按{basis}对单位自评表逐项重新计分、并检查预算执行和支出进度后写出，"
                              "供单位核对修改自评报告时参考。", "review"),
                    Paragraph(review_summary(r.result, r.ruleset), "review")]
    table = indicator_table(r.scored)
    if table:
        table.caption = "附表 绩效指标复核表"
        blocks += [table, Figure("scores", "附图 各一级指标复核得分、自评得分与分值")]
    groups = narrative.problem_groups(r.findings)
    if groups:
        blocks.append(Paragraph("复核发现以下事项（按严重程度排列）：", "review"))
        blocks += [Paragraph(narrative.problem_sentence(i, g), "review") for i, g in enumerate(groups)]
        advice = narrative.measures_for({g["code"] for g in groups}, default=False)
        if advice:
            blocks.append(Paragraph("复核建议：" + "".join(f"{i + 1}. {t}" for i, t in enumerate(advice)), "review"))
    else:
        blocks.append(Paragraph("除上述得分比对外，复核没有其他意见。", "review"))
    return Section(ANNEX_HEADING, 1, blocks)

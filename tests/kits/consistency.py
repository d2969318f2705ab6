"""Reads a draft as a reader would and lists every pair of sentences that disagree about a fact.

Facts checked (each stated in several places of a draft):

- an indicator met or missed its target (二（二） lists, 三's shortfalls, the annex's findings);
- how many indicators met their targets (一（四） against the 二（二） lines);
- the execution explained or not (a 说明 in 表1, a quoted reason, "单位说明：" against "未说明原因");
- the spending pace (一（三） against 三) and the execution judgement (一（三） against 三);
- the unit's claimed score and the recomputed one (二（一）, its reviewer's note and the annex);
- never "未发现问题" in a unit's report.

The reading is independent of how the draft was built: it only looks at the words.
"""
from __future__ import annotations

import re
from collections import defaultdict

from perfeval_lib.narrate.document import Draft, Paragraph, Section, Table

REASON = re.compile(r"因|由于|原因|延期|延迟|推迟|滞后|暂缓|未能|尚未|结转|次年")


def _paragraphs(section: Section, path: tuple = ()):
    here = (*path, section.heading)
    for block in section.blocks:
        yield here, block
    for sub in section.subsections:
        yield from _paragraphs(sub, here)


def contradictions(draft: Draft) -> list[str]:
    """Every disagreement found in ``draft``, as a sentence saying which fact and where (empty: none)."""
    blocks = [pair for s in [*draft.sections, *([draft.annex] if draft.annex else [])] for pair in _paragraphs(s)]
    texts = [(path, b.text, b.kind) for path, b in blocks if isinstance(b, Paragraph)]
    tables = [(path, b) for path, b in blocks if isinstance(b, Table)]
    found = []

    # met / missed per indicator
    met = defaultdict(set)
    for path, text, _ in texts:
        for name in re.findall(r"「([^」]+)」（目标 ", text):
            met[name].add(("missed", path[-1]))
        for name in re.findall(r"「([^」]+)」年度指标值 [^「」]*?，实际完成", text):
            met[name].add(("missed", path[-1]))
        for name in re.findall(r"「([^」]+)」未达到年度指标值", text):
            met[name].add(("missed", path[-1]))
        for name in re.findall(r"「([^」]+)」已达到年度指标值", text):
            met[name].add(("met", path[-1]))
    for name, stances in met.items():
        if {s for s, _ in stances} == {"met", "missed"}:
            found.append(f"「{name}」: met and missed — {sorted(stances)}")

    # counts: 一（四） against the 二（二） lines
    level_met = level_missed = 0
    counted = False
    for path, text, _ in texts:
        line = re.match(r"(.+?)共 (\d+) 项，达到年度指标值 (\d+) 项", text)
        if line and path[-1].startswith("（二）各项工作任务"):
            counted = True
            level_met += int(line.group(3))
            level_missed += len(re.findall(r"「[^」]+」（目标 ", text))
    for path, text, _ in texts:
        summary = re.search(r"；(\d+) 项达到年度指标值(?:，(\d+) 项未达到)?", text)
        if summary and counted:
            if (int(summary.group(1)), int(summary.group(2) or 0)) != (level_met, level_missed):
                found.append(f"met counts: 一（四） says {summary.group(0)}, 二（二） lines say {level_met} met, "
                             f"{level_missed} missed")

    # explained / not explained
    says_unexplained = [t for _, t, _ in texts if "未说明原因" in t]
    explanations = [t for _, t, _ in texts if "单位说明：" in t]
    explanations += [t for path, t, kind in texts if kind == "analyst" and REASON.search(t)
                     and not path[-1].startswith(("（一）部门概况", "（四）主要工作成效"))]
    for path, table in tables:
        if "说明" in table.header:
            column = table.header.index("说明")
            explanations += [row[column] for row in table.rows if row[column].strip()]
    if says_unexplained and explanations:
        found.append(f"execution explained and not: {says_unexplained[0]!r} against {explanations[0]!r}")

    # the spending pace and the execution judgement
    everything = "\n".join(t for _, t, _ in texts)
    if "基本符合序时进度" in everything and re.search(r"(慢于|落后于)序时进度 \d", everything):
        found.append("spending pace: on track in 一（三）, slow in 三")
    if "预算完成情况较好" in everything and "预算执行率偏低" in everything:
        found.append("execution: 较好 in 一（三）, 偏低 in 三")

    # the claimed and the recomputed score
    unit_scores = {m for _, t, k in texts if k != "review" for m in re.findall(r"自评结果为 ([\d.]+) 分", t)}
    annex_claimed = set(re.findall(r"(?<!（)单位所报 ([\d.]+) 分", everything))
    if len(unit_scores) > 1 or (unit_scores and annex_claimed and unit_scores != annex_claimed):
        found.append(f"claimed score: {sorted(unit_scores)} in the report, {sorted(annex_claimed)} in the annex")
    note_scores = set(re.findall(r"复核意见：按.+?复核计算为 ([\d.]+) 分", everything))
    annex_scores = set(re.findall(r"^复核计算为 ([\d.]+) 分", everything, flags=re.M))
    if note_scores and annex_scores and note_scores != annex_scores:
        found.append(f"recomputed score: {sorted(note_scores)} in the note, {sorted(annex_scores)} in the annex")
    if unit_scores & note_scores:
        found.append(f"the recomputed score {sorted(unit_scores & note_scores)} written as the unit's own")

    if "未发现问题" in draft.text():
        found.append("the report says 未发现问题")
    return found

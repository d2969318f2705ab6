"""Shared words and numbers: grades, severities, tolerances and the words a report uses, in one place.

What varies by place or year (grade bands, rule coefficients) lives in the rulesets
(``params/rulesets/*.yaml``); this module holds only what every layer must spell the same way.

Examples
--------
>>> GRADES
('优', '良', '中', '差')
>>> GRADE_ALIASES["优秀"], SEVERITY_ORDER["warning"], SEVERITY_LABELS["error"]
('优', 1, '错误 error')
>>> CHINESE_NUMBERS[2], PLACEHOLDER
('三', '【待补充】')
"""
from __future__ import annotations

#: The four grade words, best first ("财政部预算司 standard bands", rules.md §3: 优 90–100, 良 80–89,
#: 中 60–79, 差 0–59, on the unrounded total). The bands themselves live in the rulesets.
GRADES = ("优", "良", "中", "差")

#: How forms and reports also write the grades.
GRADE_ALIASES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
                 "及格": "中", "差": "差", "较差": "差", "不合格": "差", "不及格": "差"}

#: Severities of an issue or finding, most serious first; their order, and the labels users read.
SEVERITIES = ("error", "warning", "info")
SEVERITY_ORDER = {name: position for position, name in enumerate(SEVERITIES)}
SEVERITY_LABELS = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

#: A claimed indicator score within this many points of the recomputed one agrees with it.
SCORE_TOLERANCE = 0.05
#: A claimed total within this many points of the recomputed total agrees with it.
TOTAL_TOLERANCE = 0.5
#: Two amounts (万元) within this much of each other are equal (a 合计 row against its details, rounding of 元).
MONEY_TOLERANCE = 0.01

#: What an analyst still has to write, in drafts and forms.
PLACEHOLDER = "【待补充】"

#: Chinese numerals for the numbered headings of a report (一、二、…; （一）（二）…).
CHINESE_NUMBERS = "一二三四五六七八九十"

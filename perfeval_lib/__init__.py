"""perfeval: 部门整体支出绩效自评 — load, score, audit and report a unit's whole-budget self-evaluation.

The public API an analyst uses in a notebook::

    import perfeval_lib as pe
    budget = pe.load_budget("data/raw/demo/budget_2021.csv")
    indicators = pe.load_indicators("data/raw/demo/indicators_2021.csv")
    scored = pe.score(indicators, ruleset="mof-2020")
    rates = pe.execution_rate(budget)
    ev = pe.evaluate(units, budget, indicators, claims)   # results + findings
    pe.grade(89.99)                                       # '良'
"""
from .audit import audit
from .errors import DataMissing, InputError, PerfevalError, RulesetError, ValidationFailed
from .evaluation import Evaluation, evaluate, results
from .io import (load_budget, load_claims, load_folder, load_indicators, load_spending, load_units,
                 read_processed, read_table, write_table)
from .metrics import change_rate, execution_rate, safe_ratio, spending_progress
from .parse import parse_money, parse_percent, parse_target
from .rulesets import available_rulesets, load_ruleset
from .scoring import grade, score, totals

__version__ = "0.1.0"

__all__ = [
    "audit", "available_rulesets", "change_rate", "DataMissing", "evaluate", "Evaluation", "execution_rate",
    "grade", "InputError", "load_budget", "load_claims", "load_folder", "load_indicators", "load_ruleset",
    "load_spending", "load_units", "parse_money", "parse_percent", "parse_target", "PerfevalError",
    "read_processed", "read_table", "results", "RulesetError", "safe_ratio", "score", "spending_progress",
    "totals", "ValidationFailed", "write_table", "__version__",
]

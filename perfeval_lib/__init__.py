"""perfeval: 部门整体支出绩效自评 — load, score, audit and report a unit's whole-budget self-evaluation.

The package is built in layers, each importing only the ones before it::

    core      vocabulary and plumbing: paths, errors, tables, cell values, words, files, the processed store
    ingest    raw files of any layout → canonical tables
    review    复核: rulesets, rates, indicator scores, totals, grades, findings
    extract   published reports → headline figures
    narrate   results → sentences and the draft as a document
    render    charts, HTML pages, Word, the official workbook written back
    batch     whole runs: the ingest run, papermill per unit, warm kernels, executors
    cli       the ``perfeval`` command

The public API an analyst uses in a notebook::

    import perfeval_lib as pe
    units = pe.load_units("data/raw/demo/units.csv")
    budget = pe.load_budget("data/raw/demo/budget_2021.csv")
    indicators = pe.load_indicators("data/raw/demo/indicators_2021.csv")
    claims = pe.load_claims("data/raw/demo/claims.csv")
    rates = pe.execution_rate(budget)
    scored = pe.score(indicators, units=units, rates=rates)   # each unit under its own ruleset
    ev = pe.evaluate(units, budget, indicators, claims)        # results + findings
    pe.grade(89.99)                                       # '良'
    pe.compare(2023, ["mof-2013-dept", "mof-2013-dept-strict"])   # two rulesets side by side
"""
from .core.errors import DataMissing, InputError, PerfevalError, RulesetError, ValidationFailed
from .core.parse import parse_money, parse_percent, parse_target
from .core.store import read_processed, write_table
from .core.version import __version__
from .ingest.folder import load_folder
from .ingest.tables import (load_budget, load_claims, load_indicators, load_spending, load_units, read_table)
from .review.audit import audit
from .review.compare import Comparison, compare
from .review.evaluation import Evaluation, evaluate, results
from .review.metrics import change_rate, execution_rate, safe_ratio, spending_progress
from .review.rulesets import available_rulesets, load_ruleset
from .review.scoring import RulesetOverride, grade, score, totals

__all__ = [
    "audit", "available_rulesets", "change_rate", "compare", "Comparison", "DataMissing", "evaluate", "Evaluation", "execution_rate",
    "grade", "InputError", "load_budget", "load_claims", "load_folder", "load_indicators", "load_ruleset",
    "load_spending", "load_units", "parse_money", "parse_percent", "parse_target", "PerfevalError",
    "read_processed", "read_table", "results", "RulesetError", "RulesetOverride", "safe_ratio", "score",
    "spending_progress",
    "totals", "ValidationFailed", "write_table", "__version__",
]

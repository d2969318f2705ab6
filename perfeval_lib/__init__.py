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
import importlib

from .core.version import __version__

# The public API, name → the module that defines it. Imported on first use (PEP 562), so that
# ``import perfeval_lib`` — which every ``perfeval`` command and every report kernel does first — costs
# nothing until a name is used: ``perfeval --version`` never loads pandas.
_PUBLIC = {
    **dict.fromkeys(["DataMissing", "InputError", "PerfevalError", "RulesetError", "ValidationFailed"], "core.errors"),
    **dict.fromkeys(["parse_money", "parse_percent", "parse_target"], "core.parse"),
    **dict.fromkeys(["read_processed", "write_table"], "core.store"),
    "load_folder": "ingest.folder",
    **dict.fromkeys(["load_budget", "load_claims", "load_indicators", "load_spending", "load_units", "read_table"],
                    "ingest.tables"),
    "audit": "review.audit",
    **dict.fromkeys(["Comparison", "compare"], "review.compare"),
    **dict.fromkeys(["Evaluation", "evaluate", "results"], "review.evaluation"),
    **dict.fromkeys(["change_rate", "execution_rate", "safe_ratio", "spending_progress"], "review.metrics"),
    **dict.fromkeys(["available_rulesets", "load_ruleset"], "review.rulesets"),
    **dict.fromkeys(["RulesetOverride", "grade", "score", "totals"], "review.scoring"),
}
_LAYERS = ("core", "ingest", "review", "extract", "narrate", "render", "batch", "cli")


def __getattr__(name: str):
    """``pe.score`` and the rest of the public API, imported from their module on first use."""
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    elif name in _LAYERS:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC, *_LAYERS})


__all__ = [
    "audit", "available_rulesets", "change_rate", "compare", "Comparison", "DataMissing", "evaluate", "Evaluation", "execution_rate",
    "grade", "InputError", "load_budget", "load_claims", "load_folder", "load_indicators", "load_ruleset",
    "load_spending", "load_units", "parse_money", "parse_percent", "parse_target", "PerfevalError",
    "read_processed", "read_table", "results", "RulesetError", "RulesetOverride", "safe_ratio", "score",
    "spending_progress",
    "totals", "ValidationFailed", "write_table", "__version__",
]

"""The invented demo district (示例区): a deterministic generator of raw files with planted errors.

Nothing in the library imports this package; run it as ``python -m perfeval_lib.demo data/raw/demo``.
"""
from .district import generate, main, planted_errors, synthetic_budget, synthetic_indicators

__all__ = ["generate", "main", "planted_errors", "synthetic_budget", "synthetic_indicators"]

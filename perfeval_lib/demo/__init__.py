"""The invented demo district (示例区): a deterministic generator of the raw files a finance office holds
for a 部门整体支出绩效自评 — unit register, budget execution tables, monthly spending, indicator
self-evaluation tables and claimed totals — with the dirt real files have and a documented set of
planted errors an audit should find (:func:`planted_errors`), plus fast large tables for benchmarks
(:func:`synthetic_indicators`, :func:`synthetic_budget`). Every figure is invented. The parts:
``names`` (vocabulary, random streams), ``units``, ``specs`` (indicator templates), ``scoring``,
``planted`` (the plan of planted errors), ``budget``, ``indicators``, ``district`` (the whole district
in memory), ``formats`` and ``files`` (writing, :func:`generate`), ``readme``, ``cli`` (:func:`main`)
and ``synthetic``. Nothing in the library imports this package; run it as
``python -m perfeval_lib.demo data/raw/demo``.
"""
from .cli import main
from .district import planted_errors
from .files import generate
from .synthetic import synthetic_budget, synthetic_indicators

__all__ = ["generate", "main", "planted_errors", "synthetic_budget", "synthetic_indicators"]

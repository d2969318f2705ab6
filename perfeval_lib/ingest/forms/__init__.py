"""The official 自评表 workbook read into canonical tables.

Finance offices keep the 部门整体支出绩效自评表 as an Excel workbook in the layout their finance
bureau issued: a title, a unit-information block, the 预算执行情况 block, the goals block and the
indicator table with a two-row merged header, merged 一级/二级 cells and a 总分 row. This package

* finds those blocks wherever they sit (other column order, blank rows and columns, several sheets,
  other header wording — the header aliases of :mod:`perfeval_lib.core.schema` plus the words of
  :mod:`~perfeval_lib.ingest.forms.words`): :mod:`~perfeval_lib.ingest.forms.grid` (a sheet as cells),
  :mod:`~perfeval_lib.ingest.forms.blocks` (where the blocks sit, :func:`detect_layout`,
  :func:`layout_of_sheets`);
* turns them into the canonical ``units``, ``budget``, ``indicators`` and ``claims`` tables through the
  same parsing and validation as a CSV file, so a form and its CSV twin load to the same rows:
  :mod:`~perfeval_lib.ingest.forms.info` (unit, year, goals), :mod:`~perfeval_lib.ingest.forms.sheet`
  (one sheet), :mod:`~perfeval_lib.ingest.forms.read` (:func:`read_form`, :func:`read_form_tables`).

Writing a unit-year back in the same layout, with the recomputed score (复核得分) beside the claimed
one, is :mod:`perfeval_lib.render.workbook`; it shares the words of this package.

Layouts (:data:`LAYOUTS`): ``guangzhou`` (部门整体支出绩效自评表: 投入/过程/产出/效果 or 产出/效益/满意度),
``chongqing`` (部门整体绩效自评表 with 得分系数 and 是否核心指标) and ``mof10`` (财预〔2020〕10号: 预算执行率 10
in the budget block + 绩效指标 90).

Examples
--------
>>> from perfeval_lib.core import config
>>> from perfeval_lib.ingest import forms
>>> forms.detect_layout(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx") is None  # a plain table
True
>>> sorted(forms.LAYOUTS)
['chongqing', 'guangzhou', 'mof10']
"""
from .blocks import FORM_SUFFIXES, MAX_FORM_ROWS, SCAN_ROWS, detect_layout, layout_of_sheets, only_long_sheets
from .info import FormContext
from .read import FormData, read_form, read_form_tables
from .sheet import EXTRAS_COLUMNS, REVIEWED_COLUMNS
from .words import (CLAIM_SOURCE, LAYOUTS, MONEY, NUMERIC_TEXT, RATE_INDICATOR, RATE_TARGET, TOTAL_KEY, Layout,
                    percent_text)

__all__ = [
    "CLAIM_SOURCE", "detect_layout", "FormContext", "EXTRAS_COLUMNS", "FORM_SUFFIXES", "FormData", "Layout", "LAYOUTS",
    "layout_of_sheets", "MAX_FORM_ROWS", "MONEY", "NUMERIC_TEXT", "only_long_sheets", "percent_text", "RATE_INDICATOR", "RATE_TARGET",
    "read_form", "read_form_tables", "REVIEWED_COLUMNS", "SCAN_ROWS", "TOTAL_KEY",
]

"""``perfeval score``: score 自评表 forms and tidy tables as they are, no registry needed.

Examples
--------
    perfeval score 自评表.xlsx                                   # print each indicator, the total and grade
    perfeval score forms/*.xlsx --ruleset mof-2020 -o scores.csv --summary summary.csv
    perfeval score 塘湖镇自评表.xlsx --year 2020 --unit 塘湖镇人民政府   # what the form does not state
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..batch.score_files import score_files
from ..core import config
from ..core import formatting
from ..core.schema import LABELS
from ..core.vocab import SEVERITY_LABELS
from ..ingest.tables import read_table
from .common import ruleset_arg, table_file_arg
from .tables import write_out

_SHOWN = {"file": "文件", "sheet": "工作表", "row": "行", "unit_name": "单位名称", "project": "项目", "year": "年度",
          "level3": "三级指标", "direction": "方向", "direction_source": "方向来源", "weight": "分值",
          "target_text": "年度指标值", "actual_text": "实际完成值", "claimed_score": "自评得分", "score": "复核得分",
          "rule": "评分规则", "budget_final": "全年预算数", "executed": "全年执行数", "execution_rate": "执行率",
          "grade": "复核等级", "claimed_grade": "自评等级", "status": "状态"}


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``perfeval score`` arguments to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        ``parser``, now taking ``files`` (one or more), ``--ruleset``, ``--unit``, ``--year``,
        ``--units`` (a registry file), ``-o/--output`` (scores.csv) and ``--summary`` (summary.csv).

    Examples
    --------
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(["a.xlsx", "b.xlsx", "--year", "2022"])
    >>> args.files, args.year, args.ruleset
    (['a.xlsx', 'b.xlsx'], 2022, None)
    """
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="自评表 workbooks (.xlsx .xlsm .xls .ods) or tidy tables (CSV/XLSX)")
    parser.add_argument("--ruleset", type=ruleset_arg, default=None,
                        help=f"ruleset name or YAML path (default {config.DEFAULT_RULESET}, or each unit's own)")
    parser.add_argument("--unit", default=None, help="the unit's name, for forms that name none")
    parser.add_argument("--year", type=int, default=None, help="the year, for forms that state none")
    parser.add_argument("--units", default=None, help="a units file (单位编码, 单位名称): codes for forms without one")
    parser.add_argument("-o", "--output", type=table_file_arg, default=None,
                        help="各指标得分写入 .csv 或 .xlsx / write one row per indicator here (scores.csv or .xlsx)")
    parser.add_argument("--summary", type=table_file_arg, default=None,
                        help="每张表的汇总写入 .csv 或 .xlsx / write one row per form and unit-year here (.csv or .xlsx)")
    return parser


def _write(frame: pd.DataFrame, path: str) -> None:
    write_out(frame, path, labels={**LABELS, **_SHOWN})
    print(f"已写入 / written: {path}")


def _number(value) -> str:
    return formatting.score(value)


def main(args: argparse.Namespace) -> int:
    """Run ``perfeval score``: print every issue, each indicator's score and each form's total.

    Parameters
    ----------
    args : argparse.Namespace
        As :func:`add_arguments` defines.

    Returns
    -------
    int
        1 when any file had an error, or the review found one (a unit-year that cannot be scored, such as
        weights that do not add up to 100), as ``perfeval ingest`` does; the others are still scored and
        written. Else 0.

    Raises
    ------
    perfeval_lib.core.errors.PerfevalError
        An unknown ruleset, or a units file that cannot be read (printed by the caller).

    Examples
    --------
    >>> main(add_arguments(argparse.ArgumentParser()).parse_args(["自评表.xlsx"]))  # doctest: +SKIP
    0
    """
    registry = None
    if args.units:
        loaded = read_table(args.units, "units")
        registry = loaded.frame if len(loaded.frame) else None
        for issue in loaded.errors:
            print(f"  {issue}", file=sys.stderr)
    run = score_files(args.files, ruleset=args.ruleset, unit=args.unit, year=args.year, registry=registry)
    for issue in run.issues:
        print(f"  {issue}", file=sys.stderr)
    if args.output:
        _write(run.scores, args.output)
    elif len(run.scores):
        shown = run.scores[["unit_name", "year", "level3", "direction", "weight", "target_text", "actual_text",
                            "claimed_score", "score", "rule"]].copy()
        for column in ("weight", "claimed_score", "score"):
            shown[column] = shown[column].map(_number)
        print(shown.astype(object).fillna("—").rename(columns=_SHOWN).to_string(index=False))
    if args.summary:
        _write(run.summary, args.summary)
    if len(run.summary):
        shown = run.summary[["file", "unit_name", "year", "budget_final", "executed", "execution_rate",
                             "claimed_score", "score", "grade", "claimed_grade", "status"]].copy()
        shown["execution_rate"] = shown["execution_rate"].map(formatting.rate)
        for column in ("budget_final", "executed"):
            shown[column] = shown[column].map(formatting.money)
        for column in ("claimed_score", "score"):
            shown[column] = shown[column].map(_number)
        shown["file"] = shown["file"].map(lambda f: Path(str(f)).name if pd.notna(f) else "—")
        print()
        print(shown.astype(object).fillna("—").rename(columns={**LABELS, **_SHOWN}).to_string(index=False))
    problems = run.findings[run.findings["severity"] != "info"] if len(run.findings) else run.findings
    if len(problems):
        print()
        for row in problems.itertuples():
            print(f"  [{SEVERITY_LABELS.get(row.severity, row.severity)}] {row.unit_code} {row.year}: {row.message}")
    review_errors = int((run.findings["severity"] == "error").sum()) if len(run.findings) else 0
    return 1 if run.n_errors or review_errors else 0

"""``perfeval findings``: every finding of the review and of the load, on screen or as CSV / Excel.

``perfeval ingest`` keeps them in ``data/processed/findings.parquet`` (the 问题数 of the results table
counts them per unit-year); this command shows them, filtered by year, unit and severity.

Examples
--------
>>> args = build_parser().parse_args(["--year", "2023", "--unit", "d009", "--severity", "warning"])
>>> args.year, args.unit, args.severity
([2023], ['d009'], ['warning'])
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core.vocab import SEVERITY_LABELS, SEVERITY_ORDER
from .common import EXIT_OK, add_command, pick_units, pick_years, table_file_arg

# pandas, the store, the audit's labels and the table writers are imported by the functions that need
# them: registering the command costs nothing when another one runs.

#: The columns shown on screen, in order.
SHOWN = ["unit_code", "unit_name", "year", "severity", "code", "message", "indicator", "file", "row"]
EXAMPLES = ("perfeval findings --year 2023", "perfeval findings --unit D009 --severity warning",
            "perfeval findings --year 2023 -o findings.xlsx")


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``findings`` arguments to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        Taking ``--year`` and ``--unit`` (repeatable), ``--severity`` (error / warning / info,
        repeatable), ``--processed`` and ``-o/--output`` (.csv or .xlsx).
    """
    parser.add_argument("--year", type=int, action="append", help="只看这一年 only this year (repeatable)")
    parser.add_argument("--unit", action="append", help="只看这个单位 only this unit code (repeatable; any case)")
    parser.add_argument("--severity", action="append", choices=list(SEVERITY_ORDER),
                        help="只看这一级 only this severity: error, warning, info (repeatable)")
    parser.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    parser.add_argument("-o", "--output", type=table_file_arg,
                        help="写入 .csv（列名不变）或 .xlsx（中文表头）/ write a .csv or .xlsx instead of printing")
    return parser


def build_parser(prog: str = "perfeval findings") -> argparse.ArgumentParser:
    """The parser of ``perfeval findings`` on its own (the ``perfeval`` command adds it as a subcommand).

    Examples
    --------
    >>> build_parser().parse_args([]).output is None
    True
    """
    parser = argparse.ArgumentParser(prog=prog, description="复核与载入发现的问题 / the findings of the review and the load",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    return add_arguments(parser)


def register(commands) -> argparse.ArgumentParser:
    """Add ``findings`` to the ``perfeval`` subcommands.

    Parameters
    ----------
    commands : argparse._SubParsersAction

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = add_command(commands, "findings", "复核与载入发现的问题（findings.parquet）",
                         "the findings of the review and of the load", *EXAMPLES)
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def select(findings, results, years=None, units=None, severities=None):
    """The findings asked for, most serious first, with the unit's name.

    Parameters
    ----------
    findings : pandas.DataFrame
        ``findings.parquet``: ``unit_code, year, code, severity, message, indicator, file, row``.
    results : pandas.DataFrame
        ``results.parquet`` (for the known units, years and names).
    years, units, severities : list, optional
        Filters; units typed in any case.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SHOWN`, sorted by severity, unit, year and code. A finding of a file (no unit)
        is kept when no unit is asked for.

    Raises
    ------
    UsageError
        For a year or a unit not in the data.

    Examples
    --------
    >>> import pandas as pd
    >>> findings = pd.DataFrame({"unit_code": ["D001", None], "year": [2023, None], "code": ["spending_lag", "bad_value"],
    ...     "severity": ["warning", "error"], "message": ["m1", "m2"], "indicator": [None, None],
    ...     "file": [None, "x.csv"], "row": [None, 3]})
    >>> results = pd.DataFrame({"unit_code": ["D001"], "year": [2023], "unit_name": ["教育局"]})
    >>> select(findings, results)[["unit_code", "code"]].fillna("—").values.tolist()
    [['—', 'bad_value'], ['D001', 'spending_lag']]
    >>> select(findings, results, units=["d001"])["code"].tolist()
    ['spending_lag']
    """
    chosen = findings
    if years:
        pick_years(years, results["year"])
        chosen = chosen[chosen["year"].isin(years)]
    if units:
        codes = pick_units(units, results["unit_code"])
        chosen = chosen[chosen["unit_code"].isin(codes)]
    if severities:
        chosen = chosen[chosen["severity"].isin(severities)]
    names = results.drop_duplicates("unit_code").set_index("unit_code")["unit_name"] if len(results) else {}
    chosen = chosen.assign(unit_name=chosen["unit_code"].map(names), _o=chosen["severity"].map(SEVERITY_ORDER))
    chosen = chosen.sort_values(["_o", "unit_code", "year", "code"], kind="stable", na_position="first")
    chosen = chosen.astype({"year": "Int64", "row": "Int64"}) if len(chosen) else chosen
    return chosen.reindex(columns=SHOWN).reset_index(drop=True)


def run(args: argparse.Namespace) -> int:
    """``perfeval findings``: print the findings (or write them), then their count by severity.

    Parameters
    ----------
    args : argparse.Namespace
        As :func:`add_arguments` defines them.

    Returns
    -------
    int
        0.

    Raises
    ------
    DataMissing
        Before ``perfeval ingest`` has run.
    UsageError
        For a year or unit not in the data (exit status 2).
    """
    from ..core.store import read_processed
    from ..review.audit import FINDING_LABELS
    from .tables import screen, write_out

    findings = read_processed("findings", args.processed)
    results = read_processed("results", args.processed)
    chosen = select(findings, results, args.year, args.unit, args.severity)
    counts = chosen["severity"].value_counts()
    summary = "、".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITY_ORDER if s in counts) or "无 none"
    if args.output:
        path = write_out(chosen, args.output)
        print(f"已写入 / written: {path}（{len(chosen)} 条 findings: {summary}）")
        return EXIT_OK
    if chosen.empty:
        print("没有符合条件的问题 / no findings match")
        return EXIT_OK
    shown = chosen.assign(severity=chosen["severity"].map(SEVERITY_LABELS),
                          code=chosen["code"].map(lambda c: FINDING_LABELS.get(c, c)))
    print(screen(shown))
    print(f"\n共 {len(chosen)} 条 / {len(chosen)} findings: {summary}")
    return EXIT_OK

"""``perfeval extract``: headline figures from published reports into one CSV."""
from __future__ import annotations

import argparse
import pandas as pd
import sys

from ..core.safetext import printable
from ..extract.reports import COLUMNS, DISPLAY, extract_all, indicators_frame, to_frame, write_csv
EXIT_OK, EXIT_UNREADABLE = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``extract`` arguments to ``parser`` (a subparser of ``perfeval`` or a parser of its own).

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        ``parser``, now taking ``paths`` (one or more files or folders), ``-o/--output`` and
        ``-q/--quiet``.

    Examples
    --------
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(["a.txt", "reports", "-q"])
    >>> args.paths, args.output, args.quiet
    (['a.txt', 'reports'], None, True)
    """
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="自评报告 .txt/.pdf/.docx, or folders of them / report files or folders")
    parser.add_argument("-o", "--output", help="write the table as CSV (UTF-8 with BOM) here instead of printing; "
                                               "with *_from columns (where each field came from) and notes")
    parser.add_argument("--indicators", metavar="CSV",
                        help="also write the reports' indicator tables here, in the canonical indicators columns "
                             "(perfeval score CSV recomputes them) / 指标表写成规范指标表")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print the notes")
    return parser


def build_parser(prog: str = "perfeval extract") -> argparse.ArgumentParser:
    """The argument parser of ``perfeval extract``.

    Parameters
    ----------
    prog : str, default ``'perfeval extract'``
        The program name shown in usage messages.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> build_parser().parse_args(["report.pdf", "-o", "figures.csv"]).output
    'figures.csv'
    """
    parser = argparse.ArgumentParser(
        prog=prog, description="从已发布的绩效自评报告（txt/pdf/docx）中提取单位、年度、预算数、执行数、执行率、自评得分和等级，"
                               "以及指标表 / headline figures and indicator tables from published self-evaluation "
                               "reports")
    return add_arguments(parser)


def _show(frame: pd.DataFrame) -> str:
    def money(value: float) -> str:                       # 507.02, 481.669, 12,500.00: never rounded away
        whole, _, decimals = f"{value:,.6f}".partition(".")
        return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"

    formats = {"year": lambda v: str(int(v)), "budget_wan": money,
               "executed_wan": money, "execution_rate_pct": lambda v: f"{v:g}%",
               "self_score": lambda v: f"{v:g}"}
    shown = pd.DataFrame({column: [("—" if pd.isna(v) else formats.get(column, str)(v)) for v in frame[column]]
                          for column in COLUMNS}, dtype=object).rename(columns=DISPLAY).map(printable)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_rows", 1000, "display.max_colwidth", 60):
        return shown.to_string(index=False)


def run(args: argparse.Namespace) -> int:
    """Run ``perfeval extract`` with parsed arguments; 0, or 1 when a file could not be read.

    Prints the table (columns: file, unit, year, budget and executed in 万元, execution rate in
    percent, self score, grade) or writes it as CSV (UTF-8 with BOM), then the extraction notes unless
    quiet, then every unreadable file on stderr.

    Parameters
    ----------
    args : argparse.Namespace
        ``paths`` (list of str: ``.txt``/``.pdf`` reports or folders of them), ``output`` (str or
        None), ``quiet`` (bool, optional).

    Returns
    -------
    int
        :data:`EXIT_UNREADABLE` (1) when a file could not be read or a folder held no report (the
        others are still extracted), else :data:`EXIT_OK` (0).

    Raises
    ------
    OSError
        When the CSV cannot be written.

    Examples
    --------
    >>> run(build_parser().parse_args(["reports/2022", "-o", "figures.csv"]))  # doctest: +SKIP
    0
    """
    results, problems = extract_all(args.paths)
    frame = to_frame(results, sources=True)
    if args.output:
        write_csv(frame, args.output)
        print(f"已写入 / written: {args.output}  ({len(frame)} 行 rows)")
    elif len(frame):
        print(_show(frame))
    indicator_notes: list[str] = []
    if getattr(args, "indicators", None):
        indicators, indicator_notes = indicators_frame(results)
        write_csv(indicators, args.indicators)
        print(f"已写入指标表 / indicators written: {args.indicators}  ({len(indicators)} 行 rows; "
              f"perfeval score {args.indicators})")
    if not getattr(args, "quiet", False):
        noted = [r for r in results if r.notes and not r.error]
        if noted:
            print("\n说明 / notes:")
            for result in noted:
                for note in result.notes:
                    print(f"  {printable(result.file)}: {printable(note)}")
        if indicator_notes:
            print("\n指标表说明 / indicator table notes:")
            for note in indicator_notes:
                print(f"  {printable(note)}")
    for problem in problems:
        print(f"  [错误 error] {printable(problem)}", file=sys.stderr)
    return EXIT_UNREADABLE if problems else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """``perfeval extract FILE_OR_DIR... [-o out.csv]``: print the table or write the CSV.

    Returns 0, 1 when a file could not be read (the others are still extracted), 2 for bad usage.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0; 1 when a file could not be read; 2 for a usage error (argparse prints the message; its
        ``SystemExit`` is caught); 0 after ``--help``.

    Examples
    --------
    >>> main(["no/such/report.txt", "-q"])                             # doctest: +SKIP
    1
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help or a usage error: argparse already printed the message
        return int(exit_.code or 0)
    return run(args)

"""``perfeval`` — the command line. Thin: parse arguments, call the library, print, set the exit code.

Every expected failure (bad input, missing table, unknown ruleset) prints a message and exits
non-zero; a traceback only ever means a bug in perfeval.

Examples
--------
    perfeval ingest                       # data/raw → data/processed/*.parquet
    perfeval results --year 2022          # the results table in the terminal
    perfeval score 自评表.xlsx --ruleset mof-2013-dept -o scores.csv
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..core.version import __version__
from ..core import config
from ..core.codes import safe_code
from ..core.csvout import write_csv
from ..core.errors import PerfevalError
from ..core.safetext import printable
from ..core.schema import LABELS
from . import extract as extract_cli
from . import form as form_cli

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _display_options() -> None:
    pd.set_option("display.unicode.east_asian_width", True)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 30)


def _show(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if column == "execution_rate" or column.endswith("_rate"):
            shown[column] = shown[column].map(lambda v: "—" if pd.isna(v) else f"{v * 100:.1f}%")
        elif column in {"budget_final", "executed", "budget_initial"}:
            shown[column] = shown[column].map(lambda v: "—" if pd.isna(v) else f"{v:,.2f}")
        elif column in {"score", "claimed_score", "score_gap"}:
            shown[column] = shown[column].map(lambda v: "—" if pd.isna(v) else f"{v:.2f}".rstrip("0").rstrip("."))
    shown = shown.fillna("—").rename(columns=LABELS)
    shown = shown.map(lambda v: printable(v) if isinstance(v, str) else v)  # data never drives the terminal
    return shown.to_string(index=False)


# ---------------------------------------------------------------------------------------------

def cmd_ingest(args: argparse.Namespace) -> int:
    """``perfeval ingest``: data/raw → data/processed, printing every issue grouped by file.

    Parameters
    ----------
    args : argparse.Namespace
        ``raw`` (Path or None: the raw folder, default ``data/raw``), ``out`` (Path or None: the
        processed folder), ``ruleset`` (str or None: one ruleset for every unit), ``verbose`` (bool:
        also print notes).

    Returns
    -------
    int
        :data:`EXIT_DATA_ERRORS` (1) when any row or file had an error (the valid rows are still
        written), else :data:`EXIT_OK` (0).

    Raises
    ------
    PerfevalError
        Any expected failure (RulesetError for an unknown ``--ruleset``) propagates to :func:`main`,
        which prints it and returns 1.

    Examples
    --------
    >>> cmd_ingest(build_parser().parse_args(["ingest", "--raw", "data/raw"]))   # doctest: +SKIP
    0
    """
    from ..batch.ingest_run import run_ingest

    report = run_ingest(args.raw, args.out, args.ruleset)
    shown = [i for i in report.issues if i.severity != "info" or args.verbose]
    by_file: dict[str, list] = {}
    for issue in shown:
        by_file.setdefault(issue.file or "（跨文件 / across files）", []).append(issue)
    for file, issues in by_file.items():
        print(f"\n{file}")
        for issue in issues:
            print(f"  {issue}")
    if len(report.scoring_errors):
        print("\n复核错误 / scoring errors (该单位年度不计算复核总分 / no recomputed total):")
        for row in report.scoring_errors.itertuples():
            print(f"  [错误 error] {printable(row.unit_code)} {row.year}: {printable(row.message)}")
    print(f"\n读取 {len(report.files)} 个文件 / read {len(report.files)} files: "
          f"{report.n_errors} 个错误 errors, {report.n_warnings} 个警告 warnings")
    for name, path in report.written.items():
        print(f"  {path}  ({report.rows[name]} 行 rows)")
    if report.n_errors:
        print("有错误的行未载入，其余已载入；请按上面的提示修正后重新运行。 / Rows with errors were not loaded; "
              "fix them as described above and run again.", file=sys.stderr)
        return EXIT_DATA_ERRORS
    return EXIT_OK


def cmd_results(args: argparse.Namespace) -> int:
    """``perfeval results``: print the results table (or write it as CSV).

    Parameters
    ----------
    args : argparse.Namespace
        ``processed`` (Path or None), ``year`` (list of int or None), ``unit`` (list of str or None),
        ``output`` (str or None: a CSV path, UTF-8 with BOM, all columns).

    Returns
    -------
    int
        :data:`EXIT_OK` (0). The printed table shows money in 万元 with 2 decimals, rates as percent
        with 1 decimal and scores as given, then the count of each ``score_status``.

    Raises
    ------
    PerfevalError
        Any expected failure (DataMissing when ``results.parquet`` has not been built) propagates to
        :func:`main`, which prints it and returns 1.

    Examples
    --------
    >>> args = build_parser().parse_args(["results", "--processed", "/no/such/folder"])
    >>> cmd_results(args)                                              # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.DataMissing: /no/such/folder/results.parquet 不存在，请先运行 perfeval ingest / ...
    """
    from ..core.store import read_processed

    results = read_processed("results", args.processed)
    if args.year:
        results = results[results["year"].isin(args.year)]
    if args.unit:
        results = results[results["unit_code"].isin(args.unit)]
    columns = ["unit_code", "unit_name", "year", "budget_final", "executed", "execution_rate", "score", "grade",
               "claimed_score", "claimed_grade", "score_gap", "n_findings"]
    if args.output:
        _write_csv(results, args.output)
        print(f"已写入 / written: {args.output}")
    else:
        print(_show(results[columns]))
        status = results["score_status"].value_counts()
        print("\n复核状态 / score status: " + ", ".join(f"{k} {v}" for k, v in status.items()))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    """``perfeval score FILE``: score one indicator table (自评表) and print the total and findings.

    A form alone is enough: no unit registry or budget is needed (the execution-rate indicator is
    then scored from the actual value the form states).

    Parameters
    ----------
    args : argparse.Namespace
        ``file`` (str: a CSV or XLSX with Chinese or canonical headers), ``ruleset`` (str: a name or a
        YAML path), ``output`` (str or None: write the per-indicator scores as CSV).

    Returns
    -------
    int
        :data:`EXIT_DATA_ERRORS` (1) when no row could be read or a row had an error (the other rows
        are still scored), else :data:`EXIT_OK` (0).

    Raises
    ------
    PerfevalError
        Any expected failure (RulesetError for an unknown ``--ruleset``) propagates to :func:`main`,
        which prints it and returns 1.

    Examples
    --------
    >>> cmd_score(build_parser().parse_args(["score", "自评表.xlsx", "--ruleset", "mof-2013-dept"]))  # doctest: +SKIP
    0
    """
    from ..review.evaluation import evaluate
    from ..ingest.tables import read_table

    loaded = read_table(args.file, "indicators")
    for issue in loaded.issues:
        if issue.severity != "info":
            print(f"  {issue}", file=sys.stderr)
    if loaded.frame.empty:
        print("没有可计分的指标行 / no indicator rows could be read", file=sys.stderr)
        return EXIT_DATA_ERRORS
    ev = evaluate(None, None, loaded.frame, loaded.claims, ruleset=args.ruleset)
    scored = ev.scored[["unit_code", "year", "level1", "indicator", "weight", "target_text", "actual_text",
                        "claimed_score", "score", "rule"]]
    if args.output:
        _write_csv(scored, args.output)
        print(f"已写入 / written: {args.output}")
    else:
        print(_show(scored))
    print()
    print(_show(ev.results[["unit_code", "year", "score", "grade", "claimed_score", "claimed_grade", "score_gap"]]))
    problems = ev.findings[ev.findings["severity"] != "info"]
    for row in problems.itertuples():
        print(f"  [{row.severity}] {printable(row.unit_code)} {row.year}: {printable(row.message)}")
    return EXIT_DATA_ERRORS if loaded.errors else EXIT_OK


def cmd_params(args: argparse.Namespace) -> int:
    """``perfeval params``: write ``params/units/<unit_code>.yaml`` for the units of a year.

    Parameters
    ----------
    args : argparse.Namespace
        ``year`` (int), ``units`` (list of str or None: only these), ``force`` (bool: overwrite
        existing files), ``processed`` (Path or None).

    Returns
    -------
    int
        :data:`EXIT_OK` (0), printing each file written, or that none was (all exist; a year or
        unit not in the results writes nothing either).

    Raises
    ------
    PerfevalError
        Any expected failure (DataMissing without processed data, PerfevalError for a unit code that
        is not a safe file name) propagates to :func:`main`, which prints it and returns 1.

    Examples
    --------
    >>> cmd_params(build_parser().parse_args(["params", "--year", "2022"]))  # doctest: +SKIP
    0
    """
    from ..batch.params import write_params

    written = write_params(args.year, args.units, force=args.force, processed_dir=args.processed)
    for path in written:
        print(f"已写入 / written: {path}")
    if not written:
        print("参数文件都已存在（--force 覆盖）/ all parameter files exist (use --force to overwrite)")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """``perfeval run``: one HTML report per unit of a year (papermill + nbconvert), the overview and index.

    Parameters
    ----------
    args : argparse.Namespace
        ``year`` (int), ``units`` (list of str or None), ``jobs`` (int or None: parallel workers),
        ``force`` (bool: rerun unchanged units), ``out`` (Path or None: default ``reports/<year>``),
        ``cell_timeout`` (int: seconds per notebook cell), ``processed`` (Path or None),
        ``quiet`` (bool: no progress bar), ``kernel_reuse`` (int ≥ 1: units per warm kernel),
        ``scheduler`` (str or None: a Dask scheduler address).

    Returns
    -------
    int
        :data:`EXIT_DATA_ERRORS` (1) when any unit or the overview failed (the others are still
        written; failures are printed with their failing cell), else :data:`EXIT_OK` (0).

    Raises
    ------
    PerfevalError
        Any expected failure (DataMissing without processed data, ParamsError for invalid run
        parameters, PerfevalError for an unknown year or unit, a bad ``--kernel-reuse`` or an
        unreachable scheduler) propagates to :func:`main`, which prints it and returns 1.

    Examples
    --------
    >>> cmd_run(build_parser().parse_args(["run", "--year", "2022", "-q"]))  # doctest: +SKIP
    0
    """
    from ..batch.run import run_batch

    summary = run_batch(args.year, args.units, jobs=args.jobs, force=args.force, out_dir=args.out,
                        cell_timeout=args.cell_timeout, processed_dir=args.processed, progress=not args.quiet,
                        kernel_reuse=args.kernel_reuse, scheduler=args.scheduler)
    counts = {status: sum(r.status == status for r in summary.results) for status in ("ok", "skipped", "failed")}
    print(f"{summary.year}: {counts['ok']} 个已生成 generated, {counts['skipped']} 个未变化 unchanged, "
          f"{counts['failed']} 个失败 failed — {summary.seconds} s → {summary.out_dir}/index.html")
    for failed in summary.failed:
        cell = "" if failed.failing_cell is None else f" 第 {failed.failing_cell} 个单元格 cell {failed.failing_cell}"
        print(f"  失败 failed: {printable(failed.unit_code)}{cell}: {printable(failed.error)}  "
              f"(notebook: {summary.out_dir}/failed/{printable(failed.unit_code)}.ipynb)", file=sys.stderr)
    if summary.overview and summary.overview.status != "ok":
        print(f"  总览失败 overview failed: {printable(summary.overview.error)}", file=sys.stderr)
    return EXIT_DATA_ERRORS if summary.failed or (summary.overview and summary.overview.status != "ok") else EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    """``perfeval draft``: the 自评报告 draft of one unit-year as Word, text or HTML.

    Parameters
    ----------
    args : argparse.Namespace
        ``unit`` (str), ``year`` (int), ``format`` (``'docx'``, ``'txt'`` or ``'html'``), ``output``
        (str or None: default ``reports/<year>/drafts/<unit>_<year>_自评报告.<format>``), ``ruleset``
        (str or None: default the unit's own), ``processed`` (Path or None).

    Returns
    -------
    int
        :data:`EXIT_OK` (0), printing the path written (atomically).

    Raises
    ------
    PerfevalError
        Any expected failure (UnitNotFound for an unknown unit or year, DataMissing without
        processed data, RulesetError) propagates to :func:`main`, which prints it and returns 1.

    Examples
    --------
    >>> cmd_draft(build_parser().parse_args(["draft", "--unit", "HZFL", "--year", "2022"]))  # doctest: +SKIP
    0
    """
    from ..render import report
    from ..core.files import atomic_path
    from ..render.word import write_docx

    if not args.output:
        safe_code(args.unit)  # the default file name is made from the code: refuse one that cannot be
    r = report.unit_report(args.unit, args.year, processed_dir=args.processed, ruleset=args.ruleset)
    suffix = {"docx": ".docx", "txt": ".txt", "html": ".html"}[args.format]
    target = Path(args.output) if args.output else \
        config.reports_dir() / str(args.year) / "drafts" / f"{r.unit_code}_{args.year}_自评报告{suffix}"
    if args.format == "docx":
        write_docx(report.draft(r), target, report.figure_pngs(r))
    else:
        text = report.draft(r).text() if args.format == "txt" else report.draft_page(r)
        with atomic_path(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
    print(f"已写入 / written: {target}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """``perfeval extract``: headline figures from published reports (see :func:`perfeval_lib.cli.extract.run`).

    Parameters
    ----------
    args : argparse.Namespace
        ``paths`` (list of str: files or folders), ``output`` (str or None), ``quiet`` (bool).

    Returns
    -------
    int
        0, or 1 when a file could not be read (the others are still extracted).

    Examples
    --------
    >>> cmd_extract(build_parser().parse_args(["extract", "reports/2022", "-o", "figures.csv"]))  # doctest: +SKIP
    0
    """
    return extract_cli.run(args)


def _write_csv(frame: pd.DataFrame, path: str) -> None:
    write_csv(frame, path)  # the one CSV writer: no cell is a live formula


# ---------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The ``perfeval`` argument parser, one subcommand per ``cmd_*`` function.

    Returns
    -------
    argparse.ArgumentParser
        Subcommands ``ingest``, ``results``, ``score``, ``extract``, ``form``, ``draft``, ``params``
        and ``run``; each sets ``func`` to the function that runs it.

    Examples
    --------
    >>> args = build_parser().parse_args(["results", "--year", "2022", "--year", "2023"])
    >>> args.year, args.func is cmd_results
    ([2022, 2023], True)
    >>> build_parser().parse_args(["score", "自评表.csv"]).ruleset
    'mof-2020'
    """
    parser = argparse.ArgumentParser(prog="perfeval", description="部门整体支出绩效自评：载入、复核、审查、出报告")
    parser.add_argument("--version", action="version", version=f"perfeval {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="data/raw → data/processed (校验、计分、审查)")
    ingest.add_argument("--raw", type=Path, default=None, help=f"raw data folder (default {config.raw_dir()})")
    ingest.add_argument("--out", type=Path, default=None, help=f"output folder (default {config.processed_dir()})")
    ingest.add_argument("--ruleset", default=None, help="one ruleset for every unit (default: each unit's own)")
    ingest.add_argument("-v", "--verbose", action="store_true", help="also show notes (info)")
    ingest.set_defaults(func=cmd_ingest)

    results = commands.add_parser("results", help="show the results table (复核结果)")
    results.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
    results.add_argument("--unit", action="append", help="only this unit code (repeatable)")
    results.add_argument("--processed", type=Path, default=None, help="processed data folder")
    results.add_argument("-o", "--output", help="write CSV here instead of printing")
    results.set_defaults(func=cmd_results)

    score = commands.add_parser("score", help="score one indicator table (自评表) file")
    score.add_argument("file", help="CSV or XLSX with Chinese or canonical headers")
    score.add_argument("--ruleset", default=config.DEFAULT_RULESET, help="ruleset name or YAML path")
    score.add_argument("-o", "--output", help="write per-indicator scores as CSV here")
    score.set_defaults(func=cmd_score)

    extract_parser = commands.add_parser("extract", help="figures from published 自评报告 (.txt/.pdf) → CSV")
    extract_cli.add_arguments(extract_parser)
    extract_parser.set_defaults(func=cmd_extract)

    form = commands.add_parser("form", help="a unit-year's official 自评表 workbook, with 复核得分 beside 得分")
    form_cli.add_arguments(form)
    form.set_defaults(func=form_cli.main)

    draft = commands.add_parser("draft", help="the 自评报告 draft of one unit-year as Word (or text / HTML)")
    draft.add_argument("--unit", required=True, help="unit code")
    draft.add_argument("--year", type=int, required=True)
    draft.add_argument("-o", "--output", help="output file (default reports/<year>/drafts/<unit>_<year>_自评报告.docx)")
    draft.add_argument("--format", choices=["docx", "txt", "html"], default="docx")
    draft.add_argument("--ruleset", default=None, help="ruleset (default: the unit's own)")
    draft.add_argument("--processed", type=Path, default=None, help="processed data folder")
    draft.set_defaults(func=cmd_draft)

    params = commands.add_parser("params", help="write params/units/<unit_code>.yaml for the units of a year")
    params.add_argument("--year", type=int, required=True)
    params.add_argument("--units", nargs="+", help="only these unit codes")
    params.add_argument("--force", action="store_true", help="overwrite existing files")
    params.add_argument("--processed", type=Path, default=None, help="processed data folder")
    params.set_defaults(func=cmd_params)

    run = commands.add_parser("run", help="per-unit HTML reports for a year (papermill + nbconvert), overview, index")
    run.add_argument("--year", type=int, required=True)
    run.add_argument("--units", nargs="+", help="only these unit codes")
    run.add_argument("--jobs", type=int, default=None, help="parallel workers (default: number of cores)")
    run.add_argument("--force", action="store_true", help="rerun units whose inputs are unchanged")
    run.add_argument("--out", type=Path, default=None, help="output folder (default reports/<year>)")
    run.add_argument("--cell-timeout", type=int, default=600, help="seconds a notebook cell may run (default 600)")
    run.add_argument("--processed", type=Path, default=None, help="processed data folder")
    run.add_argument("--kernel-reuse", type=int, default=50, metavar="K",
                     help="units a worker's kernel runs before it is replaced (default 50; 1 = a fresh kernel per unit)")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                     help="run the notebooks on this Dask scheduler's workers instead of local processes")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``perfeval`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``perfeval``; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: :data:`EXIT_OK` (0); :data:`EXIT_DATA_ERRORS` (1) when the command reports
        data errors or raises a :class:`~perfeval_lib.core.errors.PerfevalError` (its message is
        printed, no traceback); 130 when interrupted; :data:`EXIT_BUG` (3) for any other exception
        (a bug: the traceback is printed).

    Raises
    ------
    SystemExit
        From argparse: status 2 (:data:`EXIT_USAGE`) for a usage error, 0 after ``--help`` or
        ``--version``.

    Examples
    --------
    >>> EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_BUG
    (0, 1, 2, 3)
    >>> main(["results", "--year", "2022"])                            # doctest: +SKIP
    0
    """
    _display_options()
    args = build_parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = TerminalSafe(stdout)  # whatever a command prints, data never drives the terminal
    try:
        return args.func(args)
    except PerfevalError as error:
        print("perfeval: " + "\n".join(printable(line) for line in str(error).split("\n")), file=sys.stderr)
        return EXIT_DATA_ERRORS
    except KeyboardInterrupt:
        print("perfeval: 已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug in perfeval, not bad input: show everything needed to report it
        import traceback

        traceback.print_exc()
        print(f"perfeval {__version__}: 内部错误，请报告上面的信息 / internal error, please report the traceback above",
              file=sys.stderr)
        return EXIT_BUG
    finally:
        sys.stdout = stdout


class TerminalSafe:
    r"""A text stream that escapes control characters (but line feeds and tabs) before they reach the terminal.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> _ = TerminalSafe(out).write("单位\x1b]0;title\x07\n")
    >>> out.getvalue()
    '单位\\x1b]0;title\\x07\n'
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with every control character but line feeds and tabs escaped."""
        return self._stream.write(printable(text, keep="\n\t"))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


if __name__ == "__main__":
    sys.exit(main())

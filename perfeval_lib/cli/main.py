"""``perfeval`` — the command line. Thin: parse arguments, call the library, print, set the exit code.

Every expected failure (bad input, missing table, unknown ruleset) prints a message and exits
non-zero; a traceback only ever means a bug in perfeval.

Exit codes: 0 fine, 1 data errors (the valid rows were still processed), 2 usage (an unknown option,
folder, ruleset, unit, year or layout: nothing is touched), 3 an internal error (a bug).

Examples
--------
    perfeval ingest                       # data/raw → data/processed/*.parquet
    perfeval results --year 2022          # the results table in the terminal
    perfeval findings --unit D009         # what the review found
    perfeval score 自评表.xlsx --ruleset mof-2013-dept -o scores.xlsx
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.version import __version__
from ..core import config
from ..core.codes import safe_code
from ..core.errors import PerfevalError, UsageError
from ..core.safetext import printable
from ..core.vocab import SEVERITY_LABELS, SEVERITY_ORDER
from .common import (EXIT_BUG, EXIT_CODES, EXIT_DATA_ERRORS, EXIT_OK, EXIT_USAGE, add_command, folder_arg,  # noqa: F401
                     pick_units, pick_years, positive_int, ruleset_arg, rulesets_arg, table_file_arg)
from .streams import closed_pipes_end_quietly

if TYPE_CHECKING:
    import pandas as pd

#: Commands whose code lives in a module of their own, imported only when that command runs
#: (``perfeval --version``, ``--help`` and the other commands never load them): command → (module:function
#: that runs the parsed arguments, what it does in Chinese, in English, examples). Adding such a command
#: is adding one entry here; the module gives ``add_arguments(parser)``.
COMMAND_MODULES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "findings": ("findings:run", "复核与载入发现的问题（findings.parquet）", "the findings of the review and of the load",
                 ("perfeval findings --year 2023", "perfeval findings --unit d009 --severity warning -o findings.xlsx")),
    "score": ("score:main", "给自评表或指标表计分（无需单位名册）：各指标得分、总分、等级",
              "score 自评表 forms or indicator tables as they are (no registry needed)",
              ("perfeval score 自评表.xlsx --ruleset mof-2013-dept",
               "perfeval score 表1.xlsx 表2.xlsx -o scores.csv --summary summary.csv")),
    "extract": ("extract:run", "从已发布的自评报告（.txt/.pdf/.docx）提取主要数字",
                "headline figures from published 自评报告 (.txt/.pdf/.docx) → CSV",
                ("perfeval extract 报告.pdf 报告文件夹/ -o extracted.csv",
                 "perfeval extract 报告.docx --indicators indicators.csv")),
    "form": ("form:main", "写出单位年度的官方自评表（复核得分在得分旁）",
             "a unit-year's official 自评表 workbook, with 复核得分 beside 得分",
             ("perfeval form --unit D009 --year 2022 --layout guangzhou",)),
    "compare": ("compare:main", "同一年度在两套规则下并列复核：等级变化的单位及原因",
                "one year under two rulesets side by side: grades that change and why",
                ("perfeval compare --year 2023 --ruleset mof-2013-dept --ruleset mof-2013-dept-strict",
                 "perfeval compare --year 2020 --ruleset mof-2020-strict -o compare.xlsx")),
    "trends": ("trends:main", "历年趋势页 reports/trends.html 与总入口 reports/index.html",
               "reports/trends.html over all years, and the landing page reports/index.html",
               ("perfeval trends", "perfeval trends --units D001 D009 --years 2021 2022 2023")),
}


def _show(frame: pd.DataFrame) -> str:
    """A table as the terminal shows it (Chinese headers, the one formatting rule)."""
    from .tables import screen

    return screen(frame)


def _by_severity(findings: pd.DataFrame) -> str:
    """'错误 error 1、警告 warning 5' — the findings counted by severity."""
    counts = findings["severity"].value_counts() if len(findings) else {}
    return "、".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITY_ORDER if s in counts) or "无 none"


def _write_table(frame: pd.DataFrame, path: str) -> None:
    """``-o``: the table as .csv (canonical names) or .xlsx (Chinese headers), rounded as on screen."""
    from .tables import write_out

    print(f"已写入 / written: {write_out(frame, path)}")


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
        written), or when no row could be read at all (then nothing is written), else
        :data:`EXIT_OK` (0).

    Raises
    ------
    PerfevalError
        Any expected failure propagates to :func:`main`, which prints it and returns 1 (2 for a
        :class:`~perfeval_lib.core.errors.UsageError`: a ``--raw`` folder that does not exist).

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
    if report.nothing_read:
        print(f"没有从 {args.raw or config.raw_dir()} 读到任何数据（{len(report.files)} 个文件）；data/processed 中已有的表"
              f"未改动 / nothing was read ({len(report.files)} files): the processed tables were left as they were",
              file=sys.stderr)
        return EXIT_DATA_ERRORS
    if len(report.scoring_errors):
        print("\n复核错误 / scoring errors (该单位年度不计算复核总分 / no recomputed total):")
        for row in report.scoring_errors.itertuples():
            print(f"  [错误 error] {printable(row.unit_code)} {row.year}: {printable(row.message)}")
    print(f"\n读取 {len(report.files)} 个文件 / read {len(report.files)} files: 载入时 {report.n_load_errors} 个错误、"
          f"{report.n_warnings} 个警告 / on load {report.n_load_errors} errors, {report.n_warnings} warnings")
    n_review, n_load = len(report.review_findings), len(report.findings) - len(report.review_findings)
    print(f"问题共 {len(report.findings)} 条，已存入 findings.parquet，用 perfeval findings 查看 / {len(report.findings)} "
          f"findings kept: see `perfeval findings`\n  复核 review: {n_review} 条（{_by_severity(report.review_findings)}），"
          f"即结果表“问题数”之和 / the 问题数 column's total\n  读取文件 load: {n_load} 条（错误 {report.n_load_errors}、"
          f"警告 {report.n_warnings}）")
    for name, path in report.written.items():
        print(f"  {path}  ({report.rows[name]} 行 rows)")
    if report.n_load_errors:
        print(f"有错误的行或文件未载入（{report.n_load_errors} 处），其余已载入；请按上面的提示修正后重新运行。 / "
              "Rows or files with errors were not loaded; the rest were. Fix them as described above and run again.",
              file=sys.stderr)
    if len(report.scoring_errors):
        print(f"{len(report.scoring_errors)} 个单位年度无法复核总分（见上）；其数据已载入。 / {len(report.scoring_errors)} "
              "unit-years have no recomputed total (see above); their data was loaded.", file=sys.stderr)
    return EXIT_DATA_ERRORS if report.n_errors else EXIT_OK


def cmd_results(args: argparse.Namespace) -> int:
    """``perfeval results``: print the results table (or write it as CSV).

    Parameters
    ----------
    args : argparse.Namespace
        ``processed`` (Path or None), ``year`` (list of int or None), ``unit`` (list of str or None,
        any case), ``output`` (str or None: a ``.csv`` with the canonical column names or a ``.xlsx``
        with the Chinese headers; all columns, rounded as on screen).

    Returns
    -------
    int
        :data:`EXIT_OK` (0). The printed table shows money in 万元 with 2 decimals, rates as percent
        with 1 decimal and scores with 2 decimals (:mod:`perfeval_lib.core.formatting`), then the
        count of each ``score_status``.

    Raises
    ------
    PerfevalError
        Any expected failure propagates to :func:`main`, which prints it: DataMissing when
        ``results.parquet`` has not been built (1); UsageError for a unit or year that is not in the
        data, or a unit without data in the year asked (2).

    Examples
    --------
    >>> args = build_parser().parse_args(["results", "--processed", "/no/such/folder"])
    >>> cmd_results(args)                                              # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.DataMissing: /no/such/folder/results.parquet 不存在，请先运行 perfeval ingest / ...
    """
    from ..core.store import read_processed

    everything = read_processed("results", args.processed)
    results = everything
    if args.year:
        results = results[results["year"].isin(pick_years(args.year, everything["year"]))]
    if args.unit:
        results = results[results["unit_code"].isin(pick_units(args.unit, everything["unit_code"]))]
    if results.empty:
        raise UsageError("没有符合条件的结果（该单位在所选年度没有数据）/ no results for this unit and year")
    columns = ["unit_code", "unit_name", "year", "budget_final", "executed", "execution_rate", "score", "grade",
               "claimed_score", "claimed_grade", "score_gap", "n_findings"]
    if args.output:
        _write_table(results, args.output)
    else:
        print(_show(results[columns]))
        status = results["score_status"].value_counts()
        print("\n复核状态 / score status: " + ", ".join(f"{k} {v}" for k, v in status.items()))
    return EXIT_OK


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
    from ..core.store import read_processed

    units = args.units
    if units:
        results = read_processed("results", args.processed)
        units = pick_units(units, results.loc[results["year"] == args.year, "unit_code"], f"{args.year} 年")
    written = write_params(args.year, units, force=args.force, processed_dir=args.processed)
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
        ``scheduler`` (str or None: a Dask scheduler address), ``show_placeholders`` (bool: keep the
        draft's 【待补充】 on the pages), ``second_ruleset`` (str: rulesets the overview compares).

    Returns
    -------
    int
        :data:`EXIT_DATA_ERRORS` (1) when any unit or the overview failed (the others are still
        written; failures are printed with their failing cell), else :data:`EXIT_OK` (0).

    Raises
    ------
    PerfevalError
        Any expected failure (DataMissing without processed data, PerfevalError for an unknown year
        or unit, a bad ``--kernel-reuse`` or an unreachable scheduler) propagates to :func:`main`, which prints it and returns 1.

    Examples
    --------
    >>> cmd_run(build_parser().parse_args(["run", "--year", "2022", "-q"]))  # doctest: +SKIP
    0
    """
    if not args.scheduler:   # the first kernel boots while the rest of perfeval loads and the run is planned
        from ..batch.project import prestart_kernel

        prestart_kernel(units_only=bool(args.units))
    from ..batch.run import DEFAULT_KERNEL_REUSE, run_batch

    reuse = DEFAULT_KERNEL_REUSE if args.kernel_reuse is None else args.kernel_reuse
    summary = run_batch(args.year, args.units, jobs=args.jobs, force=args.force, out_dir=args.out,
                        cell_timeout=args.cell_timeout, processed_dir=args.processed, progress=not args.quiet,
                        kernel_reuse=reuse, scheduler=args.scheduler,
                        show_placeholders=args.show_placeholders, second_ruleset=args.second_ruleset)
    counts = {status: sum(r.status == status for r in summary.results) for status in ("ok", "skipped", "failed")}
    print(f"{summary.year}: {counts['ok']} 个已生成 generated, {counts['skipped']} 个未变化 unchanged, "
          f"{counts['failed']} 个失败 failed — {summary.seconds} s → {summary.out_dir}/index.html")
    for failed in summary.failed:
        cell = "" if failed.failing_cell is None else f" 第 {failed.failing_cell} 个单元格 cell {failed.failing_cell}"
        kept = summary.out_dir / "failed" / f"{failed.unit_code}.ipynb"
        kept = kept if kept.exists() else kept.with_suffix(".error.txt")
        where = f"  ({printable(kept)})" if kept.exists() else ""   # nothing kept for a unit that did not run
        print(f"  失败 failed: {printable(failed.unit_code)}{cell}: {printable(failed.error)}{where}", file=sys.stderr)
    earlier = [kept.unit_code for kept in summary.kept if kept.status == "failed"]
    if earlier:   # a partial run: its own units went well, but the year still has failures
        print(f"  另有 {len(earlier)} 个单位上次运行失败、本次未运行 / failed in an earlier run, not run now: "
              f"{printable(', '.join(earlier))}", file=sys.stderr)
    overview_failed = summary.overview is not None and summary.overview.status == "failed"
    if overview_failed:
        print(f"  总览失败 overview failed: {printable(summary.overview.error)}", file=sys.stderr)
    return EXIT_DATA_ERRORS if summary.failed or overview_failed else EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    """``perfeval draft``: the 自评报告 draft of one unit-year as Word, text or HTML.

    Parameters
    ----------
    args : argparse.Namespace
        ``unit`` (str), ``year`` (int), ``format`` (``'docx'``, ``'txt'``, ``'html'`` or ``'pdf'``), ``output``
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
        processed data, RulesetError, no LibreOffice for ``pdf``) propagates to :func:`main`, which prints
        it and returns 1.

    Examples
    --------
    >>> cmd_draft(build_parser().parse_args(["draft", "--unit", "HZFL", "--year", "2022"]))  # doctest: +SKIP
    0
    """
    from ..render import report
    from ..core.files import atomic_path
    from ..render.draft_figures import figure_pngs
    from ..render.word import write_docx

    if not args.output:
        safe_code(args.unit.strip())  # the default file name is made from the code: refuse one that cannot be
    r = report.unit_report(args.unit, args.year, processed_dir=args.processed, ruleset=args.ruleset)
    suffix = {"docx": ".docx", "txt": ".txt", "html": ".html", "pdf": ".pdf"}[args.format]
    default = config.reports_dir() / str(args.year) / "drafts" / f"{r.unit_code}_{args.year}_自评报告{suffix}"
    target = Path(args.output) if args.output else default
    if args.format == "docx":
        write_docx(report.draft(r), target, figure_pngs(r))
    elif args.format == "pdf":
        from ..render.pdf import write_pdf

        write_pdf(report.draft(r), target, figure_pngs(r))
    else:
        text = report.draft(r).text() if args.format == "txt" else report.draft_page(r)
        with atomic_path(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
    print(f"已写入 / written: {target}")
    return EXIT_OK




# ---------------------------------------------------------------------------------------------

def _add_module_commands(commands, command: str | None) -> None:
    """Add the :data:`COMMAND_MODULES` subcommands; load the arguments of ``command`` (None: of all)."""
    for name, (target, zh, en, examples) in COMMAND_MODULES.items():
        sub = add_command(commands, name, zh, en, *examples)
        if command is None or command == name:
            module_name, function = target.split(":")
            module = importlib.import_module(f".{module_name}", __package__)
            module.add_arguments(sub)
            sub.set_defaults(func=getattr(module, function))


def command_of(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option), or None.

    Examples
    --------
    >>> command_of(["--version"]), command_of(["form", "--unit", "D001"])
    (None, 'form')
    """
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``perfeval`` argument parser, one subcommand per ``cmd_*`` function or :data:`COMMAND_MODULES` entry.

    Parameters
    ----------
    command : str, optional
        Load the arguments of this one :data:`COMMAND_MODULES` command only (importing its module;
        ``""``: of none, for ``--help`` and ``--version``); default: of every command. Every subcommand
        is still listed by ``--help``.

    Every subcommand's ``--help`` says what it does in Chinese and English, with examples and the exit
    codes (:func:`perfeval_lib.cli.common.add_command`). Folders, rulesets and output files given on
    the command line are checked here: a wrong one is a usage error (exit status 2) before anything
    is read or written.

    Returns
    -------
    argparse.ArgumentParser
        Subcommands ``ingest``, ``results``, ``findings``, ``score``, ``extract``, ``form``, ``draft``,
        ``compare``, ``params``, ``run`` and ``trends``; each sets ``func`` to the function that runs it.

    Examples
    --------
    >>> args = build_parser().parse_args(["results", "--year", "2022", "--year", "2023"])
    >>> args.year, args.func is cmd_results
    ([2022, 2023], True)
    >>> build_parser().parse_args(["score", "自评表.xlsx", "--year", "2022"]).files
    ['自评表.xlsx']
    >>> build_parser("form").parse_args(["form", "--unit", "D001", "--year", "2023"]).func.__module__
    'perfeval_lib.cli.form'
    """
    parser = argparse.ArgumentParser(
        prog="perfeval", description="部门整体支出绩效自评：载入、复核、审查、出报告 / public-sector whole-budget "
                                     "performance self-evaluation: load, recompute, check, report",
        epilog="每个命令的说明和示例：perfeval COMMAND --help / each command's help and examples: perfeval COMMAND "
               "--help\n\n" + EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"perfeval {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = add_command(commands, "ingest", "data/raw → data/processed：读取、校验、计分、审查",
                         "read, check, score and audit every raw file into the processed tables",
                         "perfeval ingest", "perfeval ingest --raw /mnt/share/2025 --ruleset mof-2013-dept")
    ingest.add_argument("--raw", type=folder_arg, default=None,
                        help=f"原始数据文件夹 raw data folder (default {config.raw_dir()}); must exist")
    ingest.add_argument("--out", type=Path, default=None, help=f"输出文件夹 output folder (default {config.processed_dir()})")
    ingest.add_argument("--ruleset", type=ruleset_arg, default=None,
                        help="所有单位用这一规则集 one ruleset for every unit (default: each unit's own)")
    ingest.add_argument("-v", "--verbose", action="store_true", help="也显示提示 also show notes (info)")
    ingest.set_defaults(func=cmd_ingest)

    results = add_command(commands, "results", "复核结果表：预算、执行率、复核与自评得分和等级",
                          "the results table: budget, execution rate, recomputed and claimed scores and grades",
                          "perfeval results --year 2023", "perfeval results --unit d009 -o d009.xlsx")
    results.add_argument("--year", type=int, action="append", help="只看这一年 only this year (repeatable)")
    results.add_argument("--unit", action="append", help="只看这个单位 only this unit code (repeatable; any case)")
    results.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    results.add_argument("-o", "--output", type=table_file_arg,
                         help="写入 .csv（列名不变）或 .xlsx（中文表头）/ write a .csv or .xlsx instead of printing")
    results.set_defaults(func=cmd_results)

    _add_module_commands(commands, command)

    draft = add_command(commands, "draft", "单位年度的自评报告草稿（Word / 文本 / HTML）",
                        "the 自评报告 draft of one unit-year as Word (or text / HTML)",
                        "perfeval draft --unit HZFL --year 2022", "perfeval draft --unit d009 --year 2022 --format txt -o d009.txt")
    draft.add_argument("--unit", required=True, help="单位编码 unit code (any case)")
    draft.add_argument("--year", type=int, required=True, help="年度 year")
    draft.add_argument("-o", "--output", help="输出文件 output file (default reports/<year>/drafts/<unit>_<year>_自评报告.docx)")
    draft.add_argument("--format", choices=["docx", "txt", "html", "pdf"], default="docx",
                       help="格式 format; pdf: the Word draft converted by LibreOffice (needs libreoffice-writer)")
    draft.add_argument("--ruleset", type=ruleset_arg, default=None, help="规则集 ruleset (default: the unit's own)")
    draft.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    draft.set_defaults(func=cmd_draft)


    params = add_command(commands, "params", "写出各单位的运行参数 params/units/<unit_code>.yaml",
                         "write params/units/<unit_code>.yaml for the units of a year",
                         "perfeval params --year 2023", "perfeval params --year 2023 --units D001 D009 --force")
    params.add_argument("--year", type=int, required=True, help="年度 year")
    params.add_argument("--units", nargs="+", help="只写这些单位 only these unit codes (any case)")
    params.add_argument("--force", action="store_true", help="覆盖已有文件 overwrite existing files")
    params.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    params.set_defaults(func=cmd_params)

    run = add_command(commands, "run", "生成一年的单位报告（HTML）、总览和目录",
                      "per-unit HTML reports for a year (papermill + nbconvert), the overview and the index",
                      "perfeval run --year 2023", "perfeval run --year 2023 --units D009 --force -q")
    run.add_argument("--year", type=int, required=True, help="年度 year")
    run.add_argument("--units", nargs="+",
                     help="只运行这些单位（目录和 runs.csv 保留其他单位）only these unit codes (the index and runs.csv "
                          "keep the others)")
    run.add_argument("--jobs", type=positive_int, default=None, help="同时运行的单位数（各用一个内核）units run at once, each on a kernel of its own (default: number of cores)")
    run.add_argument("--force", action="store_true", help="重新运行未变化的单位 rerun units whose inputs are unchanged")
    run.add_argument("--out", type=Path, default=None, help="本年度报告文件夹 the year's report folder (default reports/<year>)")
    run.add_argument("--cell-timeout", type=positive_int, default=600, help="每个单元格的秒数上限 seconds a notebook cell may run (default 600)")
    run.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    run.add_argument("--kernel-reuse", type=positive_int, default=None, metavar="K",
                     help="一个内核运行多少个单位后更换 units a kernel runs before it is replaced (default 200; 1 = a fresh kernel per unit)")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                     help="在此 Dask 调度器的工作进程上运行 run the notebooks on this Dask scheduler's workers instead of here")
    run.add_argument("--show-placeholders", action="store_true",
                     help="单位页面保留【待补充】 keep the draft's 【待补充】 gaps on the unit pages (default: hidden on shared pages)")
    run.add_argument("--second-ruleset", type=rulesets_arg, default="", metavar="NAME[,NAME]",
                     help="总览并列第二套规则 the overview also scores each unit under this ruleset (its family's units), side by side")
    run.add_argument("-q", "--quiet", action="store_true", help="不显示进度条 no progress bar")
    run.set_defaults(func=cmd_run)

    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``perfeval`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``perfeval``; default ``sys.argv[1:]`` — the process's own command line,
        which ends when the command does: everything then in memory is frozen out of the garbage
        collector (:func:`gc.freeze`), so the interpreter's shutdown does not walk it all once more
        (≈ 0.25 s of every command that loaded pandas).

    Returns
    -------
    int
        The exit status: :data:`EXIT_OK` (0); :data:`EXIT_DATA_ERRORS` (1) when the command reports
        data errors or raises a :class:`~perfeval_lib.core.errors.PerfevalError` (its message is
        printed, no traceback); :data:`EXIT_USAGE` (2) for a
        :class:`~perfeval_lib.core.errors.UsageError` (an unknown unit, year or output kind); 130 when interrupted; :data:`EXIT_BUG` (3) for any other exception
        (a bug: the traceback is printed). A reader that closes the pipe early (``| head``) only ends
        the output: the command still finishes and returns its own status.

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
    own_command_line = argv is None
    argv = sys.argv[1:] if own_command_line else list(argv)
    with closed_pipes_end_quietly():   # `perfeval … | head`: a closed pipe ends the output, not the command
        status = _main(argv)
    if own_command_line:
        gc.freeze()
    return status


def _main(argv: list[str]) -> int:
    args = build_parser(command_of(argv) or "").parse_args(argv)
    stdout = sys.stdout
    sys.stdout = TerminalSafe(stdout)  # whatever a command prints, data never drives the terminal
    try:
        return args.func(args)
    except UsageError as error:
        print(f"perfeval {args.command}: {printable(error)}", file=sys.stderr)
        return EXIT_USAGE
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

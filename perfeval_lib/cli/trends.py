"""``perfeval trends``: ``reports/trends.html`` (the trends notebook for all units and years, or a choice's own page)
and the landing page."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import positive_int


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``perfeval trends`` arguments to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        ``parser``, now taking ``--units`` and ``--years`` (default all), ``--ruleset``, ``--out`` (the
        reports folder), ``--cell-timeout`` and ``--processed``.

    Examples
    --------
    >>> add_arguments(argparse.ArgumentParser()).parse_args(["--years", "2022", "2023,2024"]).years
    [[2022], [2023, 2024]]
    """
    parser.add_argument("--units", nargs="+",
                        help="只看这些单位（另存为 trends-<单位>.html）only these unit codes (default: all; a page of its own)")
    parser.add_argument("--years", nargs="+", type=years_arg,
                        help="只看这些年度（另存页面）only these years (default: all; a page of its own)")
    parser.add_argument("--ruleset", default="",
                        help="按此规则集重新评分（另存页面）re-score the units of this ruleset's family under it")
    parser.add_argument("--out", type=Path, default=None,
                        help="报告根文件夹，趋势页写在其中 the reports folder the page goes in (default reports/, "
                             "not a year's folder)")
    parser.add_argument("--cell-timeout", type=positive_int, default=600,
                        help="每个单元格的秒数上限 seconds a notebook cell may run (default 600)")
    parser.add_argument("--processed", type=Path, default=None, help="已处理数据目录 processed data folder")
    return parser


def years_arg(text: str) -> list[int]:
    """``--years`` values: ``2021 2023`` or ``2021,2023`` (each a year of four digits).

    Examples
    --------
    >>> years_arg("2021,2023"), years_arg("2022")
    ([2021, 2023], [2022])
    """
    try:
        years = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        years = []
    if not years or any(not 1900 <= year <= 2100 for year in years):
        raise argparse.ArgumentTypeError(f"年度应为四位数字，如 2023 或 2021,2023 / a year such as 2023: {text!r}")
    return years


def main(args: argparse.Namespace) -> int:
    """Write ``trends.html`` — or, for chosen units, years or a ruleset, that choice's own page — and refresh
    ``reports/index.html``; print where, or the failing cell.

    Parameters
    ----------
    args : argparse.Namespace
        As :func:`add_arguments` defines them.

    Returns
    -------
    int
        0 when the page was written; 1 when the notebook failed (the executed notebook is kept in
        ``failed/trends.ipynb``).

    Raises
    ------
    PerfevalError
        DataMissing without processed data (the ``perfeval`` command prints it and exits 1); UnitNotFound
        or UsageError for a unit, year or ruleset not in the data (exit 2, nothing run).

    Examples
    --------
    >>> from perfeval_lib.cli.main import build_parser
    >>> main(build_parser().parse_args(["trends"]))                      # doctest: +SKIP
    0
    """
    from ..batch.trends import run_trends
    from ..core import config

    years = [year for group in args.years for year in group] if args.years else None
    result = run_trends(args.out, args.units, years, args.ruleset, args.cell_timeout, args.processed)
    out = Path(args.out) if args.out else config.reports_dir()
    if result.status != "ok":
        cell = "" if result.failing_cell is None else f" 第 {result.failing_cell} 个单元格 cell {result.failing_cell}"
        print(f"多年趋势失败 trends failed{cell}: {result.error}  (notebook: {out}/failed/trends.ipynb)", file=sys.stderr)
        return 1
    print(f"已写入 / written: {out / result.html}" + ("" if args.out else f"  ·  {out / 'index.html'}"))
    if result.html != "trends.html" and (out / "trends.html").is_file():
        print(f"  （所选单位、年度或规则集的页面；全区的 {out / 'trends.html'} 未改动 / a page of this choice; "
              f"the district's trends.html is left as it was）")
    return 0

"""``perfeval form``: write a unit-year's official 自评表 workbook."""
from __future__ import annotations

from pathlib import Path
import argparse
import sys

from ..core.errors import PerfevalError
from ..core.safetext import printable
from ..ingest.forms import LAYOUTS
from ..render.workbook import unit_form


def build_parser(prog: str = "perfeval form") -> argparse.ArgumentParser:
    """The ``perfeval form`` argument parser.

    Parameters
    ----------
    prog : str, default ``'perfeval form'``
        The program name shown in usage messages.

    Returns
    -------
    argparse.ArgumentParser
        Takes ``--unit`` and ``--year`` (required), ``--layout``, ``-o/--output``, ``--processed``.

    Examples
    --------
    >>> build_parser().parse_args(["--unit", "D001", "--year", "2023"]).layout is None
    True
    """
    parser = argparse.ArgumentParser(prog=prog, description="写出一个单位年度的自评表（官方版式，含复核得分） / write a "
                                                            "unit-year's official self-evaluation form")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``perfeval form`` arguments to ``parser`` (e.g. a ``cli`` subcommand parser).

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        ``parser``, now taking ``--unit`` (单位编码) and ``--year`` (年度), both required,
        ``--layout`` (one of ``perfeval_lib.ingest.forms.LAYOUTS``), ``-o/--output`` (the .xlsx),
        ``--processed`` (the processed data folder).

    Examples
    --------
    >>> add_arguments(argparse.ArgumentParser()).parse_args(["--unit", "D001", "--year", "2023", "-o", "x.xlsx"]).output
    'x.xlsx'
    """
    parser.add_argument("--unit", required=True, help="unit code (单位编码)")
    parser.add_argument("--year", type=int, required=True, help="year (年度)")
    parser.add_argument("--layout", default=None,
                        help=f"one of {', '.join(LAYOUTS)} (default: guangzhou for mof-2013-dept units, else mof10)")
    parser.add_argument("-o", "--output", default=None,
                        help="the .xlsx to write (default reports/<year>/forms/<unit>_<year>_自评表.xlsx)")
    parser.add_argument("--processed", type=Path, default=None, help="processed data folder")
    return parser


def main(argv: list[str] | argparse.Namespace | None = None) -> int:
    """``perfeval form --unit U --year Y [--layout NAME] [-o out.xlsx] [--processed DIR]``.

    Prints the written path and returns 0; prints a message and returns 1 for an unknown unit, year
    or layout, or missing processed data (never a traceback for those).

    Parameters
    ----------
    argv : list of str or argparse.Namespace, optional
        The arguments (default ``sys.argv[1:]``), or a Namespace already parsed by the ``perfeval``
        command.

    Returns
    -------
    int
        0 when the workbook was written; 1 when a
        :class:`~perfeval_lib.core.errors.PerfevalError` was caught (UnitNotFound, FormError,
        DataMissing …), its message printed on stderr.

    Raises
    ------
    SystemExit
        From argparse, for a usage error (status 2) or ``--help`` (0), when ``argv`` is a list.

    Examples
    --------
    >>> main(["--unit", "D001", "--year", "2023"])                       # doctest: +SKIP
    0
    """
    args = argv if isinstance(argv, argparse.Namespace) else build_parser().parse_args(argv)
    try:
        path = unit_form(args.unit, args.year, args.layout, args.output, args.processed)
    except PerfevalError as error:
        print(f"perfeval form: {printable(error)}", file=sys.stderr)
        return 1
    print(path)
    return 0

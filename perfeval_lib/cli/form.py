"""``perfeval form``: write a unit-year's official 自评表 workbook."""
from __future__ import annotations

from pathlib import Path
import argparse
import sys

from ..core.errors import PerfevalError, UsageError
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
    parser.add_argument("--unit", required=True, help="unit code (单位编码, any case)")
    parser.add_argument("--year", type=int, required=True, help="year (年度)")
    parser.add_argument("--layout", default=None, type=layout_arg,
                        help=f"one of {', '.join(LAYOUTS)} (default: guangzhou for mof-2013-dept units, else mof10)")
    parser.add_argument("-o", "--output", default=None,
                        help="the .xlsx to write (default reports/<year>/forms/<unit>_<year>_自评表.xlsx)")
    parser.add_argument("--processed", type=Path, default=None, help="processed data folder")
    return parser


def layout_arg(value: str) -> str:
    """argparse type of ``--layout``: one of :data:`perfeval_lib.ingest.forms.LAYOUTS` (else a usage error, exit 2).

    Examples
    --------
    >>> layout_arg("guangzhou")
    'guangzhou'
    """
    if value not in LAYOUTS:
        raise argparse.ArgumentTypeError(f"未知的自评表版式「{value}」，可用：{'、'.join(LAYOUTS)} / unknown layout "
                                         f"{value!r}; available: {', '.join(LAYOUTS)}")
    return value


def main(argv: list[str] | argparse.Namespace | None = None) -> int:
    """``perfeval form --unit U --year Y [--layout NAME] [-o out.xlsx] [--processed DIR]``.

    Prints the written path and returns 0; prints a message and returns 2 for an unknown unit or year
    (argparse exits with 2 for an unknown layout), 1 for missing processed data (never a traceback).

    Parameters
    ----------
    argv : list of str or argparse.Namespace, optional
        The arguments (default ``sys.argv[1:]``), or a Namespace already parsed by the ``perfeval``
        command.

    Returns
    -------
    int
        0 when the workbook was written; 2 for an unknown unit or year
        (:class:`~perfeval_lib.core.errors.UsageError`); 1 when another
        :class:`~perfeval_lib.core.errors.PerfevalError` was caught (FormError, DataMissing …), its
        message printed on stderr.

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
    except UsageError as error:
        print(f"perfeval form: {printable(error)}", file=sys.stderr)
        return 2
    except PerfevalError as error:
        print(f"perfeval form: {printable(error)}", file=sys.stderr)
        return 1
    print(path)
    return 0

"""``perfeval compare``: one year scored under two rulesets, side by side — the grades that change and why."""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..core.errors import PerfevalError, RulesetError, UnitNotFound, UsageError
from ..core.templating import points, signed
from ..review.compare import COMPARE_LABELS
from .tables import write_out


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``perfeval compare`` arguments to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Returns
    -------
    argparse.ArgumentParser
        ``parser``, now taking ``--year`` (optional, default every year), ``--ruleset`` (one or two times:
        A and B; once: each unit's own against it), ``--unit`` (repeatable), ``--all-units``,
        ``-o/--output`` (a .csv or .xlsx file), ``--processed``.

    Examples
    --------
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(
    ...     ["--year", "2023", "--ruleset", "mof-2020", "--ruleset", "mof-2020-strict"])
    >>> args.ruleset, args.year
    (['mof-2020', 'mof-2020-strict'], 2023)
    """
    parser.add_argument("--year", type=int, default=None, help="only this year (default: every year)")
    parser.add_argument("--ruleset", action="append", required=True, metavar="NAME",
                        help="ruleset A, then ruleset B (once: each unit's own ruleset against it)")
    parser.add_argument("--unit", action="append", help="only this unit code (repeatable)")
    parser.add_argument("--all-units", action="store_true",
                        help="score every unit under both rulesets, not only the units of their families")
    parser.add_argument("-o", "--output", help="各单位对比表写入 .csv 或 .xlsx / write the per-unit table as .csv or .xlsx here")
    parser.add_argument("--processed", type=Path, default=None, help="processed data folder")
    return parser


def screen_table(frame: pd.DataFrame, labels: dict) -> str:
    """The table as the terminal shows it: Chinese headers, scores as given (≤ 2 decimals), ``—`` for missing.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of :attr:`~perfeval_lib.review.compare.Comparison.units` or ``.indicators`` (scores in points).
    labels : dict
        Canonical column name → Chinese header.

    Returns
    -------
    str

    Examples
    --------
    >>> print(screen_table(pd.DataFrame({"score_a": [92.4134], "score_change": [-3.96], "grade_changed": [True]}),
    ...                    {"score_a": "A复核得分", "score_change": "B−A", "grade_changed": "等级变化"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    A复核得分   B−A 等级变化
        92.41 -3.96       是
    """
    shown = frame.copy()
    for column in shown.columns:
        if column in {"score_a", "score_b", "claimed_score", "weight"}:
            shown[column] = shown[column].map(points)
        elif column in {"score_change", "total_change"}:
            shown[column] = shown[column].map(signed)
        elif column == "grade_changed":
            shown[column] = shown[column].map(lambda v: "是" if v else "")
    return shown.astype("object").where(shown.notna(), "—").rename(columns=labels).to_string(index=False)


def write_output(frame: pd.DataFrame, path: str) -> Path:
    """Write a table for ``-o``: ``.csv`` (canonical column names) or ``.xlsx`` (the screen's Chinese headers).

    Both are rounded as on screen (scores 2 decimals, signed changes) by the one table writer
    (:func:`perfeval_lib.cli.tables.write_out`), written atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The per-unit comparison (scores in points).
    path : str
        A ``.csv`` or ``.xlsx`` file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    PerfevalError
        When ``path`` ends in neither ``.csv`` nor ``.xlsx``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = write_output(pd.DataFrame({"unit_code": ["D021"], "score_a": [92.413402]}), folder + "/c.csv")
    ...     target.read_text(encoding="utf-8-sig").splitlines()
    ['unit_code,score_a', 'D021,92.41']
    """
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        raise PerfevalError(f"输出文件应为 .csv 或 .xlsx / the output must be a .csv or .xlsx file: {path}")
    kinds = {c: "score" for c in ("score_a", "score_b", "claimed_score", "weight") if c in frame.columns}
    if "score_change" in frame.columns:
        kinds["score_change"] = "diff"
    return write_out(frame, path, labels=COMPARE_LABELS, kinds=kinds)


def main(args: argparse.Namespace) -> int:
    """Run ``perfeval compare`` with parsed arguments; print the comparison or write it.

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
    PerfevalError
        For more than two ``--ruleset``, an unknown ruleset, year or unit, no unit in the rulesets'
        families or missing processed data; the ``perfeval`` command prints the message and exits 1.
    UsageError
        For more than two ``--ruleset``, an unknown ruleset, year or unit, or an output that is neither
        ``.csv`` nor ``.xlsx``: the command exits 2 and writes nothing.

    Examples
    --------
    >>> from perfeval_lib.cli.main import build_parser
    >>> main(build_parser().parse_args(["compare", "--year", "2023", "--ruleset", "mof-2013-dept-strict"]))  # doctest: +SKIP
    0
    """
    from ..review.compare import compare

    if len(args.ruleset) > 2:
        raise UsageError(f"--ruleset 最多给两次 / give --ruleset at most twice (got {len(args.ruleset)})")
    if args.output and Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"输出文件应为 .csv 或 .xlsx / the output must be a .csv or .xlsx file: {args.output}")
    try:
        result = compare(args.year, args.ruleset, units=args.unit, processed_dir=args.processed,
                         all_units=args.all_units)
    except (RulesetError, UnitNotFound) as error:  # an unknown ruleset, year or unit: a usage error
        raise UsageError(str(error)) from None
    a, b = result.rulesets
    if args.output:
        print(f"已写入 / written: {write_output(result.units, args.output)}")
        return 0
    print(f"规则集A / ruleset A: {a}    规则集B / ruleset B: {b}\n")
    print(screen_table(result.units.drop(columns=["ruleset_a", "ruleset_b"]), COMPARE_LABELS))
    changed = result.changed
    print(f"\n等级变化 / grade changes: {len(changed)} 个单位年度 unit-years")
    for row in changed.itertuples():
        print(f"  {row.unit_code} {row.unit_name or ''} {row.year}: {row.grade_a or '—'} → {row.grade_b or '—'}"
              f"（{signed(row.score_change)} 分，影响最大：{row.main_indicator or '—'}）")
    drivers = result.drivers()
    if len(drivers):
        print("\n造成差异的指标 / indicators that make the difference:")
        print(screen_table(drivers[["indicator", "units", "total_change", "rule_a", "rule_b"]], COMPARE_LABELS))
    if len(result.left_out):
        shown = "、".join(f"{r.unit_code}（{r.ruleset}）" for r in result.left_out.itertuples())
        print(f"\n未比较（属于其他规则集，--all-units 可一并计分）/ not compared (other rulesets): {shown}")
    return 0

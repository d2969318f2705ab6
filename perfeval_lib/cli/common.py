"""What every ``perfeval`` command shares: exit codes, help texts, checked arguments, tables on screen and in files.

Light to import (no pandas at import time), so the command line starts fast.

Examples
--------
>>> EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_BUG
(0, 1, 2, 3)
>>> "退出码" in epilog("perfeval results --year 2023")
True
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core import config
from ..core.codes import match_codes
from ..core.errors import UnitNotFound, UsageError

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

EXIT_CODES = ("退出码 exit codes:\n"
              "  0  正常 / fine\n"
              "  1  有数据、文件或单位出错，其余的仍已处理 / errors in data, files or units; the rest was still\n"
              "     processed (valid rows read, other units' reports written)\n"
              "  2  用法错误：未知的选项或值（文件夹、规则集、单位、年度……），什么也没改动 / usage: an unknown\n"
              "     option or value (folder, ruleset, unit, year …) — nothing was changed\n"
              "  3  内部错误，请报告 / an internal error (a bug: please report it)")


def epilog(*examples: str) -> str:
    """The end of a command's ``--help``: its examples and the exit codes.

    Parameters
    ----------
    *examples : str
        Command lines, each shown on its own line.

    Returns
    -------
    str

    Examples
    --------
    >>> print(epilog("perfeval findings --year 2023"))  # doctest: +ELLIPSIS
    示例 example:
      perfeval findings --year 2023
    <BLANKLINE>
    退出码 exit codes:
      0  正常 / fine
    ...
    """
    return "示例 example:\n" + "\n".join(f"  {e}" for e in examples) + "\n\n" + EXIT_CODES


def add_command(commands, name: str, zh: str, en: str, *examples: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` says what it does in Chinese and English, with examples and exit codes.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    name : str
        The subcommand.
    zh, en : str
        What it does, in Chinese and in English.
    *examples : str
        Example command lines.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="perfeval")
    >>> sub = add_command(parser.add_subparsers(), "results", "结果表", "the results table", "perfeval results")
    >>> sub.description
    '结果表 / the results table'
    """
    return commands.add_parser(name, help=f"{zh} / {en}", description=f"{zh} / {en}", epilog=epilog(*examples),
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def ruleset_arg(value: str) -> str:
    """argparse type of ``--ruleset``: a ruleset name in ``params/rulesets/`` or a YAML file that exists.

    Raises
    ------
    argparse.ArgumentTypeError
        For an unknown name (argparse then exits with status 2, listing the available names).

    Examples
    --------
    >>> ruleset_arg("mof-2020")
    'mof-2020'
    >>> ruleset_arg("nope")                                    # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 找不到规则集「nope」/ no ruleset named 'nope'; 可用 available: ...
    """
    candidate = Path(value)
    if (candidate.suffix in {".yaml", ".yml"} and candidate.is_file()) or (config.rulesets_dir() / f"{value}.yaml").is_file():
        return value
    available = ", ".join(config.available_rulesets()) or "无 / none"
    raise argparse.ArgumentTypeError(f"找不到规则集「{value}」/ no ruleset named {value!r}; 可用 available: {available}")


def rulesets_arg(value: str) -> str:
    """argparse type of ``--second-ruleset``: ruleset names separated by commas, each as :func:`ruleset_arg` checks.

    Raises
    ------
    argparse.ArgumentTypeError
        For the first unknown name (argparse then exits with status 2); an empty value is allowed (none).

    Examples
    --------
    >>> rulesets_arg("mof-2020-strict,mof-2013-dept-strict")
    'mof-2020-strict,mof-2013-dept-strict'
    >>> rulesets_arg("mof-2020,nope")                          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 找不到规则集「nope」/ no ruleset named 'nope'; 可用 available: ...
    """
    for name in value.split(","):
        if name.strip():
            ruleset_arg(name.strip())
    return value


def positive_int(value: str) -> int:
    """argparse type of a count (``--jobs``, ``--kernel-reuse``, ``--cell-timeout``): a whole number ≥ 1.

    Raises
    ------
    argparse.ArgumentTypeError
        For anything else (argparse then exits with status 2).

    Examples
    --------
    >>> positive_int("4")
    4
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 应为正整数 / must be a positive whole number, not '0'
    """
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 / must be a positive whole number, not {value!r}")
    return number


def folder_arg(value: str) -> Path:
    """argparse type of an input folder (``--raw``): it must exist and be a folder.

    Raises
    ------
    argparse.ArgumentTypeError
        When it does not (argparse then exits with status 2 before anything is read or written).

    Examples
    --------
    >>> folder_arg("/no/such/folder")                          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 文件夹 /no/such/folder 不存在 ...
    """
    path = Path(value)
    if not path.is_dir():
        what = "不是文件夹 / is not a folder" if path.exists() else "不存在 / does not exist"
        raise argparse.ArgumentTypeError(f"文件夹 {value} {what}；未读取、未改动任何文件 / nothing was read or changed")
    return path


def table_file_arg(value: str) -> str:
    """argparse type of ``-o`` for a table: a ``.csv`` or ``.xlsx`` path.

    Examples
    --------
    >>> table_file_arg("r.xlsx"), table_file_arg("r.CSV")
    ('r.xlsx', 'r.CSV')
    """
    if Path(value).suffix.lower() not in {".csv", ".xlsx"}:
        raise argparse.ArgumentTypeError(f"输出文件应为 .csv 或 .xlsx / the output must be a .csv or .xlsx file: {value}")
    return value


def pick_units(requested, known, year_text: str = "") -> list[str]:
    """The unit codes the user typed, as the data spells them (any case); unknown ones are a usage error.

    Parameters
    ----------
    requested : list of str
        Codes as typed.
    known : iterable of str
        The codes in the data.
    year_text : str, optional
        Said in the message (``2023 年``).

    Returns
    -------
    list of str

    Raises
    ------
    UnitNotFound
        Naming the unknown codes and a few of the known ones.

    Examples
    --------
    >>> pick_units(["d009"], ["D001", "D009"])
    ['D009']
    >>> pick_units(["D999"], ["D001", "D009"])
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.UnitNotFound: 没有这些单位 / unknown units: D999（已有 known: D001、D009）
    """
    known = sorted({str(k) for k in known})
    matched, unknown = match_codes(requested, known)
    if unknown:
        shown = "、".join(known[:12]) + ("…" if len(known) > 12 else "")
        raise UnitNotFound(f"{year_text}没有这些单位 / unknown units: {', '.join(unknown)}（已有 known: {shown or '无'}）")
    return matched


def pick_years(requested, known) -> list[int]:
    """The years asked for; one that is not in the data is a usage error naming the years there are.

    Examples
    --------
    >>> pick_years([2023], [2022, 2023])
    [2023]
    >>> pick_years([2030], [2022, 2023])
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.UsageError: 没有 2030 年的数据（已有：2022、2023）/ no data for 2030
    """
    known = sorted({int(y) for y in known})
    missing = [y for y in requested if int(y) not in known]
    if missing:
        shown = "、".join(map(str, known)) or "无"
        raise UsageError(f"没有 {'、'.join(map(str, missing))} 年的数据（已有：{shown}）/ no data for "
                         f"{', '.join(map(str, missing))}")
    return [int(y) for y in requested]

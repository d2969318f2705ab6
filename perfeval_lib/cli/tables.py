"""Tables on screen and in files, for every command that shows one (results, score, findings, compare).

The screen and the files follow one formatting rule (:mod:`perfeval_lib.core.formatting`): money with
2 decimals, rates as percent with 1 decimal, scores with 2 decimals, signed differences without ±0.
``-o`` writes ``.csv`` (canonical column names, rounded the same way) or ``.xlsx`` (the screen's Chinese
headers and number formats): :func:`perfeval_lib.render.tables_out.write_table_file`.

Examples
--------
>>> import pandas as pd
>>> print(screen(pd.DataFrame({"unit_code": ["D001"], "score": [93.0796], "score_gap": [-0.001]})))
... # doctest: +NORMALIZE_WHITESPACE
单位编码 复核得分 自评−复核
    D001    93.08 0.00
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.formatting import display_frame
from ..core.safetext import printable
from ..core.schema import LABELS
from ..render.tables_out import write_table_file


def _display_options() -> None:
    pd.set_option("display.unicode.east_asian_width", True)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 80)


def screen(frame: pd.DataFrame, labels: dict | None = None, kinds: dict | None = None) -> str:
    """The table as the terminal shows it: Chinese headers, every number by the one formatting rule.

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical columns.
    labels : dict, optional
        Column → header (default :data:`perfeval_lib.core.schema.LABELS`).
    kinds : dict, optional
        Column → kind for columns the formatting rule does not know by name.

    Returns
    -------
    str
    """
    _display_options()
    shown = display_frame(frame, labels if labels is not None else LABELS, kinds)
    shown = shown.map(lambda v: printable(v) if isinstance(v, str) else v)  # data never drives the terminal
    return shown.to_string(index=False)


def write_out(frame: pd.DataFrame, path: str | Path, labels: dict | None = None, kinds: dict | None = None) -> Path:
    """``-o``: the table as ``.csv`` or ``.xlsx`` (see :func:`perfeval_lib.render.tables_out.write_table_file`).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    return write_table_file(frame, path, labels=labels, kinds=kinds)

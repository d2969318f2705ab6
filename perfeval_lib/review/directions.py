"""The direction of each indicator (正向 ≥ / 反向 ≤ / 持平 =), and where it was read (rules.md §2b).

Getting it wrong silently turns a missed reverse target into full marks. The ingest layer reads what
the form states — an explicit 指标方向 column, else the target's own sign or words — into
``direction`` and ``direction_source`` (``column`` / ``target``). Here, only for a quantitative row the
form leaves without a direction, the ruleset's list of reverse-indicator names (``reverse_names``:
事故率, 超支率, 变动率 …, matched on the normalised name) is applied as a stated assumption
(``direction_source = 'ruleset'``); a row that matches none is scored as positive and says so
(``direction_source = 'default'``). Never a silent default.

Examples
--------
>>> import pandas as pd
>>> from perfeval_lib.review.rulesets import load_ruleset
>>> rows = pd.DataFrame({"level3": ["安全事故发生率", "培训人次", "满意度"], "kind": ["定量", "定量", "定量"],
...                      "direction": [None, None, "≥"], "direction_source": [None, None, "target"]})
>>> out = resolve_directions(rows, load_ruleset("mof-2020"))
>>> out[["direction", "direction_source"]].values.tolist()
[['≤', 'ruleset'], [None, 'default'], ['≥', 'target']]
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..core.names import name_key
from .rulesets import Ruleset

#: ``score_note`` of a row whose direction is the ruleset's assumption, or the positive default.
ASSUMED_REVERSE = "方向未注明，按规则集的反向指标名称推定为反向（≤）/ no direction stated: assumed reverse from the ruleset's names"
ASSUMED_POSITIVE = "方向未注明，按正向（≥）计分 / no direction stated: scored as positive"


def resolve_directions(frame: pd.DataFrame, ruleset: Ruleset) -> pd.DataFrame:
    """Fill the direction of quantitative rows the form leaves without one, saying how.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indicator rows; reads ``level3``, ``kind``, ``direction`` and, when present,
        ``direction_source``.
    ruleset : Ruleset
        Its ``reverse_names`` (regular expressions on :func:`~perfeval_lib.core.names.name_key`).

    Returns
    -------
    pandas.DataFrame
        A new frame: ``direction`` ≤ where a reverse name matched; ``direction_source`` ``'column'``
        or ``'target'`` (as read), ``'ruleset'`` (assumed from a name), ``'default'`` (a quantitative row
        with no direction anywhere: scored as positive) or None (qualitative rows); ``direction_note``
        the sentence saying which assumption was made (None where the form stated it).

    Examples
    --------
    >>> from perfeval_lib.review.rulesets import load_ruleset
    >>> rows = pd.DataFrame({"level3": ["“三公”经费变动率"], "kind": ["定量"], "direction": [None]})
    >>> resolve_directions(rows, load_ruleset("mof-2013-dept"))[["direction", "direction_source"]].values.tolist()
    [['≤', 'ruleset']]
    """
    n = len(frame)
    direction = frame["direction"].to_numpy(dtype=object).copy() if "direction" in frame.columns \
        else np.full(n, None, dtype=object)
    stated = pd.notna(direction)
    direction[~stated] = None
    source = frame["direction_source"].to_numpy(dtype=object).copy() if "direction_source" in frame.columns \
        else np.where(stated, "target", None).astype(object)
    source = np.where(stated & pd.isna(source), "target", source).astype(object)
    kind = frame["kind"].fillna("").astype(str).to_numpy() if "kind" in frame.columns else np.full(n, "")
    open_rows = ~stated & (kind != "定性")
    note = np.full(n, None, dtype=object)
    if open_rows.any():
        names = frame["level3"] if "level3" in frame.columns else pd.Series("", index=frame.index)
        codes, uniques = pd.factorize(names.fillna(""))
        keys = [name_key(u) for u in uniques]
        reverse = np.array([any(re.search(p, k) for p in ruleset.reverse_names) for k in keys], dtype=bool)
        matched = open_rows & (reverse[codes] if len(uniques) else np.zeros(n, dtype=bool))
        direction[matched] = "≤"
        source[matched] = "ruleset"
        note[matched] = ASSUMED_REVERSE
        rest = open_rows & ~matched
        source[rest] = "default"
        note[rest] = ASSUMED_POSITIVE
    column = {"direction": direction, "direction_source": source, "direction_note": note}
    return frame.assign(**{k: pd.Series(v, index=frame.index, dtype="object") for k, v in column.items()})

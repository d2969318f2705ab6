"""六、评分规则对比: the overview's section when a second ruleset is set (rulesets side by side).

Each unit of the year is scored under its own ruleset and under the second one named for its family
(:func:`perfeval_lib.review.compare.compare`): per unit the score and grade under each, the units whose
grade changes, and the indicators that make the difference.

Examples
--------
>>> from perfeval_lib.render import overview as ov
>>> ov.show(ov.ruleset_comparison(2023, "mof-2020-strict,mof-2013-dept-strict"))   # doctest: +SKIP
"""
from __future__ import annotations

from ..core.errors import PerfevalError
from ..core.templating import records, render_html
from ..review.compare import Comparison, compare
from .report import Fragment
from .trends import as_list

__all__ = ["comparisons", "ruleset_comparison"]


def comparisons(year: int, second_ruleset, processed_dir=None) -> list[Comparison]:
    """Each unit's own ruleset against each named second ruleset (the units of its family).

    Parameters
    ----------
    year : int
        The year.
    second_ruleset : str or list of str
        Ruleset names; a comma-separated string or JSON list is read too. Empty: none.
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).

    Returns
    -------
    list of Comparison
        One per ruleset named, in order.

    Raises
    ------
    PerfevalError
        When no unit of the year belongs to a named ruleset's family, or the names cannot be read.
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> [c.rulesets for c in comparisons(2023, "mof-2020-strict")]       # doctest: +SKIP
    [('(各单位规则集)', 'mof-2020-strict')]
    """
    return [compare(year, [name], processed_dir=processed_dir) for name in as_list(second_ruleset, "second_ruleset") or []]


def ruleset_comparison(year: int, second_ruleset, processed_dir=None) -> Fragment | None:
    """The overview's section comparing each unit's own ruleset with ``second_ruleset``.

    Parameters
    ----------
    year : int
        The year.
    second_ruleset : str or list of str
        One or more rulesets (e.g. ``"mof-2020-strict,mof-2013-dept-strict"``); empty: no section.
    processed_dir : str or Path, optional
        The processed tables.

    Returns
    -------
    Fragment or None
        HTML: per ruleset a table of every unit compared (score and grade under each, the change, the
        indicator that moved most; changed grades highlighted) and the indicators that make the
        difference; ``None`` when no second ruleset is set. A ruleset that fits no unit of the year is
        named in a note instead.

    Raises
    ------
    RulesetError
        When a ruleset cannot be loaded.

    Examples
    --------
    >>> ruleset_comparison(2023, "") is None
    True
    """
    names = as_list(second_ruleset, "second_ruleset")
    if not names:
        return None
    parts = []
    for name in names:
        try:
            (c,) = comparisons(year, [name], processed_dir)
        except PerfevalError as error:
            parts.append({"name": name, "error": str(error)})
            continue
        own = sorted(set(c.units["ruleset_a"].dropna()))
        parts.append({"name": name, "own": "、".join(own), "rows": records(c.units), "n_changed": len(c.changed),
                      "drivers": records(c.drivers().head(10)), "left_out": len(c.left_out), "error": None})
    return Fragment(render_html("html/comparison.html.j2", year=year, parts=parts))


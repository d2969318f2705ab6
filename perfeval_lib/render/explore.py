"""Controls for JupyterLab: pick units, years and a ruleset, and the tables and charts redraw.

:func:`explore_trends` (trends.ipynb) and :func:`explore_overview` (overview.ipynb) return a panel of
ipywidgets controls above an output area only in an interactive session — a notebook opened in
JupyterLab or Jupyter Notebook (:func:`interactive_session`). Under papermill, nbconvert or plain Python
they return ``None`` and the notebook's outputs, and so the exported pages, stay as they are: no
widget, no script. Every redraw goes through :meth:`TrendsExplorer.redraw` / :meth:`OverviewExplorer.redraw`,
which fill :attr:`fragments` (the HTML shown) and the output widget, so the callbacks can be exercised
from plain Python.

Examples
--------
>>> x = TrendsExplorer(processed_dir="data/processed")              # doctest: +SKIP
>>> x.units.value = ("D001", "D009")                                 # the panel redraws   # doctest: +SKIP
>>> "图1" in x.fragments[1]                                          # doctest: +SKIP
True
"""
from __future__ import annotations

import os

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import HTML, display

from ..core.config import available_rulesets
from ..core.errors import PerfevalError
from ..core.store import processed_tables
from ..core.templating import render_html
from . import overview as ov
from .comparison import ruleset_comparison
from .report import Fragment
from .trends import as_list

__all__ = ["interactive_session", "TrendsExplorer", "OverviewExplorer", "explore_trends", "explore_overview"]

#: The ruleset choice meaning each unit's own ruleset (or: no comparison, in the overview).
OWN_CHOICE = ""


def interactive_session() -> bool:
    """True in a notebook a person opened in JupyterLab / Jupyter Notebook; False under papermill or plain Python.

    A Jupyter server starts the kernels of the notebooks it opens with ``JPY_SESSION_NAME`` set to the
    notebook's path; papermill and nbconvert do not.

    Returns
    -------
    bool

    Examples
    --------
    >>> interactive_session()
    False
    """
    shell = get_ipython()
    return bool(os.environ.get("JPY_SESSION_NAME")) and shell is not None and getattr(shell, "kernel", None) is not None


def _note(text: str) -> Fragment:
    return Fragment(render_html("html/note.html.j2", text=text))


class _Explorer:
    """Controls above an output area; subclasses build the controls and the fragments."""

    def __init__(self) -> None:
        self.output = widgets.Output()
        self.fragments: list[str] = []
        self.error: str | None = None

    def _controls(self) -> list:  # pragma: no cover - overridden
        raise NotImplementedError

    def _build(self) -> list:  # pragma: no cover - overridden
        raise NotImplementedError

    def _watch(self) -> None:
        for control in self._controls():
            control.observe(lambda _change: self.redraw(), names="value")

    def redraw(self) -> list[str]:
        """Recompute and show the fragments for the current choice (an error is shown as a note).

        Returns
        -------
        list of str
            The HTML fragments now shown (also in :attr:`fragments`).
        """
        try:
            fragments = [f for f in self._build() if f is not None]
            self.error = None
        except PerfevalError as error:
            self.error = str(error)
            fragments = [_note(self.error)]
        self.fragments = [str(f) for f in fragments]
        self.output.outputs = ()
        for fragment in self.fragments:
            self.output.append_display_data(HTML(fragment))
        return self.fragments

    @property
    def panel(self) -> widgets.VBox:
        """The controls above the output area."""
        return widgets.VBox([widgets.HBox(self._controls()), self.output])

    def _ipython_display_(self) -> None:
        if not self.fragments and self.error is None:
            self.redraw()
        display(self.panel)


class TrendsExplorer(_Explorer):
    """Units, a year range and a ruleset for the trends: the page's sections redraw on every change.

    Parameters
    ----------
    processed_dir : str or Path, optional
        The processed tables (default ``data/processed``).
    units, years : list or str, optional
        The first choice (as the notebook's parameters; empty: all).
    ruleset : str, optional
        The first ruleset choice (empty: each unit's own).

    Attributes
    ----------
    units : ipywidgets.SelectMultiple
        Unit codes (none selected: all units).
    years : ipywidgets.SelectionRangeSlider
        First and last year.
    ruleset : ipywidgets.Dropdown
        ``""`` (each unit's own) or a ruleset name.
    fragments : list of str
        What the last redraw showed: title, 一 (chart and table), 二 (table and chart), 三, 四, 五.
    trends : Trends or None
        The last selection.

    Examples
    --------
    >>> x = TrendsExplorer(processed_dir="data/processed", units="D001,D009")   # doctest: +SKIP
    >>> x.redraw()[0]                                                            # doctest: +SKIP
    """

    def __init__(self, processed_dir=None, units=None, years=None, ruleset: str | None = None) -> None:
        super().__init__()
        self.processed_dir = processed_dir
        results = processed_tables(processed_dir)["results"]
        named = results.dropna(subset=["unit_name"]).drop_duplicates("unit_code", keep="last")
        names = dict(zip(named["unit_code"], named["unit_name"]))
        codes = sorted(results["unit_code"].unique())
        all_years = sorted(int(y) for y in results["year"].unique())
        chosen_years = as_list(years, "years", int) or all_years
        self.trends = None
        self.units = widgets.SelectMultiple(options=[(f"{c} {names.get(c, '')}".strip(), c) for c in codes],
                                            value=tuple(as_list(units, "units") or ()), rows=8, description="单位")
        self.years = widgets.SelectionRangeSlider(options=all_years, value=(min(chosen_years), max(chosen_years)),
                                                  description="年度", continuous_update=False)
        self.ruleset = widgets.Dropdown(options=[("各单位规则集", OWN_CHOICE)] + [(n, n) for n in available_rulesets()],
                                        value=ruleset or OWN_CHOICE, description="规则集")
        self._watch()

    def _controls(self) -> list:
        return [self.units, self.years, self.ruleset]

    def _build(self) -> list:
        first, last = self.years.value
        years = [y for y in self.years.options if first <= y <= last]
        t = ov.trends(units=list(self.units.value) or None, years=years, processed_dir=self.processed_dir,
                      ruleset=self.ruleset.value or None)
        self.trends = t
        return [ov.trends_title(t), ov.yearly_table(t), ov.rank_changes(t), ov.chart_ranks(t), ov.grade_moves(t),
                ov.recurring(t), ov.overclaims(t)]


class OverviewExplorer(_Explorer):
    """A year and a second ruleset for the overview: its sections and the comparison redraw.

    Parameters
    ----------
    processed_dir : str or Path, optional
        The processed tables.
    year : int, optional
        The first year shown (default the latest).
    second_ruleset : str, optional
        The first comparison choice (empty: none).

    Attributes
    ----------
    year : ipywidgets.Dropdown
    second_ruleset : ipywidgets.Dropdown
        ``""`` (no comparison) or a ruleset name.
    fragments : list of str
        What the last redraw showed: title, league table, 图1–图4 with their tables, the comparison.

    Examples
    --------
    >>> x = OverviewExplorer(processed_dir="data/processed", year=2023)   # doctest: +SKIP
    >>> x.second_ruleset.value = "mof-2013-dept-strict"                   # doctest: +SKIP
    """

    def __init__(self, processed_dir=None, year: int | None = None, second_ruleset: str | None = None,
                 links: bool = False) -> None:
        super().__init__()
        self.processed_dir, self.links = processed_dir, links
        years = sorted(int(y) for y in processed_tables(processed_dir)["results"]["year"].unique())
        self.year = widgets.Dropdown(options=years, value=year if year in years else years[-1], description="年度")
        choices = [n for n in available_rulesets()]
        first = (as_list(second_ruleset, "second_ruleset") or [OWN_CHOICE])[0]
        self.second_ruleset = widgets.Dropdown(options=[("不对比", OWN_CHOICE)] + [(n, n) for n in choices],
                                               value=first if first in choices else OWN_CHOICE, description="对比规则集")
        self._watch()

    def _controls(self) -> list:
        return [self.year, self.second_ruleset]

    def _build(self) -> list:
        o = ov.year_overview(self.year.value, processed_dir=self.processed_dir)
        return [ov.title(o), ov.league_table(o, links=self.links), ov.chart_grades(o), ov.chart_rate_vs_score(o),
                ov.gaps(o), ov.chart_gaps(o), ov.findings_summary(o), ov.chart_findings(o),
                ruleset_comparison(o.year, self.second_ruleset.value, self.processed_dir)]


def explore_trends(units=None, years=None, processed_dir=None, ruleset: str | None = None) -> TrendsExplorer | None:
    """The trends controls in an interactive session; ``None`` elsewhere (papermill, exported pages).

    Parameters
    ----------
    units, years, processed_dir, ruleset
        The notebook's parameters, as the first choice (see :class:`TrendsExplorer`).

    Returns
    -------
    TrendsExplorer or None

    Examples
    --------
    >>> explore_trends() is None      # not in JupyterLab
    True
    """
    return TrendsExplorer(processed_dir or None, units, years, ruleset) if interactive_session() else None


def explore_overview(year: int | None = None, processed_dir=None, second_ruleset: str | None = None) -> OverviewExplorer | None:
    """The overview controls in an interactive session; ``None`` elsewhere (papermill, exported pages).

    Parameters
    ----------
    year, processed_dir, second_ruleset
        The notebook's parameters, as the first choice (see :class:`OverviewExplorer`).

    Returns
    -------
    OverviewExplorer or None

    Examples
    --------
    >>> explore_overview(2023) is None   # not in JupyterLab
    True
    """
    return OverviewExplorer(processed_dir or None, year, second_ruleset) if interactive_session() else None

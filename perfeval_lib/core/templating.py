"""The two jinja2 environments, HTML (autoescaped) and plain text, and the filters that format numbers in them.

Plain text serves the sentences placed into HTML, Word and the terminal.

Templates are files under ``perfeval_lib/templates``; data is only ever passed as variables, never
rendered as a template, so a unit's text containing ``{{ }}`` or ``<script>`` stays literal text (and is
escaped when it reaches HTML).

Examples
--------
>>> render_text("narrative/figures.txt.j2", budget=507.02, executed=507.02, rate=1.0,
...             judgement="预算完成情况较好")
'全年预算数 507.02 万元，执行数 507.02 万元，完成预算的 100.0%，预算完成情况较好。'
"""
from __future__ import annotations

import functools
import math

import jinja2
import pandas as pd

from . import formatting


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def none_if_missing(value):
    """None for a missing value (None, NaN, NA, NaT), the value otherwise — so nothing prints as 'nan'.

    Parameters
    ----------
    value : object
        Any cell value.

    Returns
    -------
    object
        None, or ``value`` unchanged (also for values whose missingness cannot be tested).

    Examples
    --------
    >>> none_if_missing(float("nan")), none_if_missing("甲")
    (None, '甲')
    """
    try:
        return None if _missing(value) else value
    except (TypeError, ValueError):
        return value


#: The template filters are the one formatting rule (:mod:`perfeval_lib.core.formatting`): money 2 decimals,
#: rates 1 decimal %, scores 2 decimals, signed differences without ±0.
money, pct, points, signed = formatting.money, formatting.rate, formatting.score, formatting.diff


def records(frame) -> list[dict]:
    """DataFrame rows as dicts with every missing value (NaN, NA, NaT) as None, for templates.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table.

    Returns
    -------
    list of dict
        One dict per row, column → value, missing values as None.

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1.0, float("nan")], "b": ["x", None]}))
    [{'a': 1.0, 'b': 'x'}, {'a': None, 'b': None}]
    """
    return [{k: none_if_missing(v) for k, v in row.items()} for row in frame.to_dict("records")]


FILTERS = {"money": money, "pct": pct, "points": points, "signed": signed}


def bytecode_cache(kind: str) -> jinja2.BytecodeCache | None:
    """jinja2's cache of compiled templates on disk, or None where it cannot have its private folder.

    The folder is jinja2's own: ``_jinja2-cache-<uid>`` in the temporary directory, mode 0700 and owned by
    the user (jinja2 refuses any other), files written atomically, each keyed on the template's source and
    on jinja2's and Python's versions. A new process — every kernel of a run — then loads the templates
    instead of compiling them again (≈ 40 ms a report).

    Parameters
    ----------
    kind : str
        Which templates (``html``, ``text``, ``nbconvert``): each kind has its own files, so templates
        compiled with different settings (autoescaping) never share a file.

    Returns
    -------
    jinja2.BytecodeCache or None
        For ``jinja2.Environment(bytecode_cache=...)``.

    Examples
    --------
    >>> bytecode_cache("html").pattern
    '__perfeval_html_%s.cache'
    """
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__perfeval_{kind}_%s.cache")
    except (OSError, RuntimeError):   # no safe temporary folder: compile in memory, as without a cache
        return None


def _environment(autoescape: bool) -> jinja2.Environment:
    kind = "html" if autoescape else "text"
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("perfeval_lib", "templates"),
        autoescape=autoescape, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
        bytecode_cache=bytecode_cache(kind),
    )
    env.filters.update(FILTERS)
    env.tests["missing"] = _missing
    return env


@functools.lru_cache(maxsize=None)
def html_environment() -> jinja2.Environment:
    """Autoescaping environment for ``*.html.j2`` templates.

    Returns
    -------
    jinja2.Environment
        Loads from ``perfeval_lib/templates``, escapes every value, fails on an undefined variable
        (``StrictUndefined``), has the filters ``money``, ``pct``, ``points``, ``signed`` and the test
        ``missing``. Built once per process.

    Examples
    --------
    >>> html_environment().autoescape, "money" in html_environment().filters
    (True, True)
    """
    return _environment(autoescape=True)


@functools.lru_cache(maxsize=None)
def text_environment() -> jinja2.Environment:
    """Plain-text environment for ``*.txt.j2`` sentence templates (escape when placing into HTML).

    Returns
    -------
    jinja2.Environment
        As :func:`html_environment`, without autoescaping. Built once per process.

    Examples
    --------
    >>> text_environment().autoescape
    False
    """
    return _environment(autoescape=False)


def render_html(template: str, **context) -> str:
    """Render an HTML template with every value escaped.

    Parameters
    ----------
    template : str
        Path under ``perfeval_lib/templates``, e.g. ``'html/note.html.j2'``.
    **context
        The template's variables (data only; never rendered as a template itself).

    Returns
    -------
    str
        The HTML fragment or page.

    Raises
    ------
    jinja2.TemplateNotFound
        When no such template exists.
    jinja2.UndefinedError
        When the template uses a variable not given in ``context``.

    Examples
    --------
    >>> render_html("html/note.html.j2", text="<b>甲</b>")
    '<p class="pe-note">&lt;b&gt;甲&lt;/b&gt;</p>'
    """
    return html_environment().get_template(template).render(**context)


def render_text(template: str, **context) -> str:
    """Render a sentence template; surrounding whitespace and line breaks are folded.

    Parameters
    ----------
    template : str
        Path under ``perfeval_lib/templates``, e.g. ``'narrative/figures.txt.j2'``.
    **context
        The template's variables (money in 万元, rates as fractions, scores in points: the filters
        format them).

    Returns
    -------
    str
        One line: the template's non-blank lines stripped and joined, with no space after ``，`` or
        ``。``. Not escaped: escape it before placing it into HTML.

    Raises
    ------
    jinja2.TemplateNotFound
        When no such template exists.
    jinja2.UndefinedError
        When the template uses a variable not given in ``context``.

    Examples
    --------
    >>> render_text("narrative/figures.txt.j2", budget=0.0, executed=5.0, rate=None, judgement="")
    '全年预算数为 0，执行数 5.00 万元，预算执行率无法计算。'
    """
    text = text_environment().get_template(template).render(**context)
    return " ".join(line.strip() for line in text.splitlines() if line.strip()).replace("， ", "，").replace("。 ", "。")

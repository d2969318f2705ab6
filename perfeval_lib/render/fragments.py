"""HTML fragments: what every page function returns, how a notebook shows it, and a figure with its caption.

A :class:`Fragment` is safe markup (autoescaped jinja2 output) that Jupyter displays as HTML; :func:`show`
displays fragments in a notebook; :func:`figure` places an SVG chart
(:class:`perfeval_lib.render.svg.SvgChart`, embedded as it is) above its caption, or says why there is none.

Examples
--------
>>> str(figure(None, "图2 月度累计支出进度", "没有月度支出数据。"))
'<p class="pe-note">没有月度支出数据。</p>'
"""
from __future__ import annotations

from IPython.display import HTML, display
from markupsafe import Markup

from ..core.templating import render_html
from .svg import SvgChart


class Fragment(Markup):
    """A rendered HTML fragment: safe markup (jinja2 does not escape it again when it is placed in
    another template) that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def show(*items) -> None:
    """Display HTML fragments in a notebook, as one output (a figure fragment carries its chart); ``None`` is skipped.

    One output however many fragments: a cell showing four sections sends the notebook one message, not
    four (each costs the kernel and papermill a round of serialising and recording).

    Parameters
    ----------
    *items : Fragment or str or None
        What to display, in order.

    Examples
    --------
    >>> show(Fragment("<p>预算执行率 97.5%</p>"), None)   # outside a notebook, the display object's text
    <IPython.core.display.HTML object>
    """
    shown = [str(item) for item in items if item is not None]
    if shown:
        display(HTML("".join(shown)))


def figure(chart: SvgChart | None, caption: str, missing: str) -> Fragment:
    """A chart with its caption, or a sentence saying why there is none.

    Parameters
    ----------
    chart : SvgChart or None
        An SVG chart (:mod:`perfeval_lib.render.svg`; its markup was written by an XML writer, so it is
        embedded as it is), or ``None`` when there was nothing to draw.
    caption : str
        The caption under the figure, e.g. ``"图1 预算数与执行数"``.
    missing : str
        The sentence shown instead when ``chart`` is ``None``.

    Returns
    -------
    Fragment
        A ``<figure>`` with the chart and its caption, or a note.

    Examples
    --------
    >>> str(figure(SvgChart("<svg></svg>", "图"), "图1 预算数与执行数", ""))
    '<figure class="pe-fig"><svg></svg><figcaption>图1 预算数与执行数</figcaption></figure>'
    """
    if chart is None:
        return Fragment(render_html("html/note.html.j2", text=missing))
    return Fragment(render_html("html/figure.html.j2", caption=caption, svg=Markup(chart.svg)))

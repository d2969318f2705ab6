"""The look every chart shares: the bundled Chinese font, sizes, colours, rcParams and PNG encoding.

The Chinese font is the OFL *Noto Sans SC* shipped by the pip package ``pylopdf-fonts-zh-cn``;
:func:`setup_fonts` registers it with matplotlib and sets a clean report style (every chart function
calls it first, so nothing needs a system CJK font). :func:`figure_png` turns a figure into a small PNG
(adaptive palette, at most ``PNG_BUDGET`` bytes for any chart of this package). Figures are
:class:`matplotlib.figure.Figure` objects made by :func:`new_figure`, never through ``pyplot`` (see
:mod:`perfeval_lib.render.charts`).

Examples
--------
>>> setup_fonts()
'Noto Sans SC'
>>> fig = new_figure()
>>> fig.get_size_inches().tolist(), figure_png(fig)[:4]
([7.0, 3.5], b'\\x89PNG')
"""
from __future__ import annotations

import importlib.resources
import sys
from io import BytesIO

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from ..palette import AXIS, FONT_FAMILY, GRID

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"

WIDTH = 7.0                     # inches; at dpi 100 a 700-px wide PNG
HEIGHT = 3.5
PNG_BUDGET = 60_000             # bytes; figure_png keeps every chart of this package below it

# The fonts and the report style; applied by setup_fonts().
FONT_PARAMS = {
    "font.family": ["sans-serif"],
    "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": False,
    # text is text: a unit named "$a^{$" must not be parsed as math (and fail the whole chart)
    "text.parse_math": False,
}
STYLE_PARAMS = {
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "normal",
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.frameon": False,
    "figure.titlesize": 12.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": AXIS,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100.0,
    "savefig.dpi": 100.0,
}

_font_registered = False


def _font_path():
    return importlib.resources.files(FONT_PACKAGE).joinpath(FONT_FILE)


def setup_fonts() -> str:
    """Register the bundled Noto Sans SC font and set the report style; return the family name.

    The one place fonts are set up. The font file is registered with matplotlib's font manager
    once per process; the rcParams (font family, ``axes.unicode_minus = False``, ``text.parse_math = False``
    — no text is ever read as math —, no top/right
    spines, a light grid, readable sizes, ``figure.dpi`` and ``savefig.dpi`` 100) are set on the
    first call, and again only if something later changed the font settings (for example
    ``matplotlib.rcdefaults()``), so a second call costs a few dictionary look-ups and leaves any
    other rcParams the user changed alone.

    Returns
    -------
    str
        ``"Noto Sans SC"``.

    Raises
    ------
    ImportError
        When the ``pylopdf-fonts-zh-cn`` package is not installed.

    Examples
    --------
    >>> setup_fonts()
    'Noto Sans SC'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0], matplotlib.rcParams["axes.unicode_minus"]
    ('Noto Sans SC', False)
    """
    global _font_registered
    if not _font_registered:
        try:
            resource = _font_path()
        except ModuleNotFoundError as exc:
            raise ImportError("中文字体包未安装 / the Chinese font package is missing: "
                              "pip install pylopdf-fonts-zh-cn") from exc
        with importlib.resources.as_file(resource) as path:
            if not any(entry.name == FONT_FAMILY for entry in font_manager.fontManager.ttflist):
                font_manager.fontManager.addfont(str(path))
        _font_registered = True
        mpl.rcParams.update(STYLE_PARAMS)
        mpl.rcParams.update(FONT_PARAMS)
    elif any(mpl.rcParams[key] != value for key, value in FONT_PARAMS.items()):
        mpl.rcParams.update(STYLE_PARAMS)
        mpl.rcParams.update(FONT_PARAMS)
    return FONT_FAMILY


class _ReportFigure(Figure):
    """A Figure that shows itself as a PNG in a notebook without pyplot (see :mod:`perfeval_lib.render.charts`)."""

    def _repr_png_(self) -> bytes:
        return _png_bytes(self)


def _png_bytes(fig: Figure) -> bytes:
    """Render ``fig`` and store it as a PNG with an adaptive colour palette.

    Charts use a few flat colours plus anti-aliasing shades, so a 256-colour palette (octree, no
    dithering) looks the same as the full-colour file and is 2–4 times smaller — a chart with a
    dozen crossing lines drops from ~100 KB to ~25 KB. Should that still exceed ``PNG_BUDGET``
    (a dozen lines zig-zagging over ten years), 128 and then 64 colours are tried, and the
    full-colour file is kept if it is smaller still.

    The figure is rendered once, to raw pixels (``savefig(format="rgba")``), and encoded once: no
    full-colour PNG is written and decoded again on the way (the same file, 15 % less work).
    """
    dpi = mpl.rcParams["savefig.dpi"]
    dpi = float(fig.dpi if dpi == "figure" else dpi)
    for text in fig.findobj(Text):  # every text already made; those drawn now follow the rcParam below
        text.set_parse_math(False)
    raw = BytesIO()
    with mpl.rc_context({"text.parse_math": False}):
        fig.savefig(raw, format="rgba", dpi=dpi)
    size = (int(fig.get_figwidth() * dpi), int(fig.get_figheight() * dpi))
    if size[0] * size[1] * 4 != raw.getbuffer().nbytes:   # a size Agg rounded otherwise: ask for a PNG
        buffer = BytesIO()
        with mpl.rc_context({"text.parse_math": False}):
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        image = Image.open(BytesIO(buffer.getvalue()))
        image.load()
    else:
        image = Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1)
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    best = b""
    # fast octree, no extra zlib passes: measured 3 ms a chart against 23 ms for median cut with
    # optimize=True, and the files come out smaller still
    for colours in (256, 128, 64):
        out = BytesIO()
        image.quantize(colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            out, format="png", dpi=(dpi, dpi))
        if not best or len(out.getvalue()) < len(best):
            best = out.getvalue()
        if len(best) <= PNG_BUDGET:
            return best
    full = BytesIO()
    image.save(full, format="png", dpi=(dpi, dpi))
    return min(best, full.getvalue(), key=len)


def figure_png(fig: Figure | None) -> bytes | None:
    """The PNG bytes of ``fig`` (at ``savefig.dpi``, 100), closing the figure afterwards; ``None`` for ``None``.

    The file is stored with an adaptive 256-colour palette when that is smaller (it looks the same
    for charts and is 2–4 times smaller than ``fig.savefig``), so any chart of this package is at
    most 60 KB.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or None
        A figure from one of the chart functions (or any figure, pyplot-made ones included), or the
        ``None`` a chart function returns when it has nothing to draw.

    Returns
    -------
    bytes or None
        The PNG file, e.g. for a size check or a ``data:image/png;base64,`` URI; ``None`` for ``None``.

    Examples
    --------
    >>> from perfeval_lib.render.charts import spending_curve
    >>> import pandas as pd
    >>> fig = spending_curve(pd.DataFrame({"month": [6, 12], "progress": [0.4, 0.97], "target": [0.5, 1.0]}))
    >>> figure_png(fig)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    if fig is None:
        return None
    png = _png_bytes(fig)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:          # a pyplot-made figure: drop it from pyplot's list
        pyplot.close(fig)
    return png


def new_figure(height: float = HEIGHT) -> Figure:
    """An empty report figure, ``WIDTH`` (7 in) by ``height`` inches, with a constrained layout.

    Parameters
    ----------
    height : float
        Inches (default ``HEIGHT``, 3.5).

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot; shown once in a notebook through its ``_repr_png_``.

    Examples
    --------
    >>> new_figure(4.0).get_size_inches().tolist()
    [7.0, 4.0]
    """
    return _ReportFigure(figsize=(WIDTH, height), layout="constrained")


def bar_height(n: int) -> float:
    """Figure height for ``n`` horizontal bars: 3 to 4 inches.

    Parameters
    ----------
    n : int
        The number of bars.

    Returns
    -------
    float
        Inches.

    Examples
    --------
    >>> bar_height(2), bar_height(10), bar_height(40)
    (3.0, 4.0, 4.0)
    """
    return float(np.clip(1.2 + 0.3 * n, 3.0, 4.0))

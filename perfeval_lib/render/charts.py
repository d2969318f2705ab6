"""matplotlib figures for the HTML reports, with Chinese text that renders on any machine.

The Chinese font is the OFL *Noto Sans SC* shipped by the pip package ``pylopdf-fonts-zh-cn``;
:func:`setup_fonts` registers it with matplotlib and sets a clean report style, and every chart
function calls it first, so nothing needs a system CJK font.

Every chart function takes a plain DataFrame (never modified), returns a
:class:`matplotlib.figure.Figure` about 7 in wide and 3–4 in high, or ``None`` when there is
nothing to draw (no rows, or only missing values) — the caller then writes a sentence instead.
Money is in 万元; rates are fractions in the data (0.95) and shown as percent (95%).

Backend
-------
This module never touches the matplotlib backend and never uses ``pyplot``: figures are built
directly as :class:`matplotlib.figure.Figure` objects, which need no backend at all (``savefig``
to PNG always renders with Agg). So

* a headless machine (no display) works without ``matplotlib.use("Agg")``;
* a notebook keeps its inline backend (a global ``matplotlib.use`` would break it), and a
  figure is not also registered with pyplot, so it is neither shown twice at the end of a cell
  nor kept alive in pyplot's figure list when a report draws hundreds of charts;
* a figure returned as the last expression of a notebook cell still displays, once, through
  the ``_repr_png_`` of the small :class:`Figure` subclass used here.

Examples
--------
>>> import pandas as pd
>>> fig = grade_counts(pd.DataFrame({"grade": ["优", "良", None], "claimed_grade": ["优", "优", "良"]}))
>>> fig.axes[0].get_title()
'复核与自评等级分布'
>>> len(figure_png(fig)) < 60_000
True
"""
from __future__ import annotations

import importlib.resources
import sys
from collections.abc import Iterable, Mapping
from io import BytesIO

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from ..core.errors import InputError
from ..core.vocab import GRADES, SEVERITY_NAMES, SEVERITY_ORDER

__all__ = [
    "setup_fonts", "figure_png", "budget_vs_executed", "spending_curve", "score_by_level1", "trend",
    "grade_counts", "rate_vs_score", "score_gaps", "findings_by_kind", "ranks_over_years",
]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FONT_FAMILY = "Noto Sans SC"

WIDTH = 7.0                     # inches; at dpi 100 a 700-px wide PNG
HEIGHT = 3.5
MAX_BARS = 15                   # horizontal bar charts show at most this many rows
MAX_LINES = 12                  # ranks_over_years draws at most this many units …
MAX_YEARS = 10                  # … over at most this many (latest) years
PNG_BUDGET = 60_000             # bytes; figure_png keeps every chart of this module below it

# Colours: recomputed (复核) blue, claimed (自评) orange, reference amounts light grey.
BLUE = "#3B6FB6"
ORANGE = "#E08A3C"
GREY = "#C9CED6"
DARK = "#555555"
RED = "#C8453A"
SEVERITY_COLOURS = {"error": "#C8453A", "warning": "#E0A030", "info": "#5B8DB8"}

# The fonts and the report style; applied by setup_fonts().
FONT_PARAMS = {
    "font.family": ["sans-serif"],
    "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": False,
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
    "axes.edgecolor": "#888888",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#E3E3E3",
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
    once per process; the rcParams (font family, ``axes.unicode_minus = False``, no top/right
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
    """A Figure that shows itself as a PNG in a notebook without pyplot (see the module notes)."""

    def _repr_png_(self) -> bytes:
        return _png_bytes(self)


def _png_bytes(fig: Figure) -> bytes:
    """Render ``fig`` to PNG, then store it with an adaptive colour palette when that is smaller.

    Charts use a few flat colours plus anti-aliasing shades, so a 256-colour palette (octree, no
    dithering) looks the same as the full-colour file and is 2–4 times smaller — a chart with a
    dozen crossing lines drops from ~100 KB to ~25 KB. Should that still exceed ``PNG_BUDGET``
    (a dozen lines zig-zagging over ten years), 128 and then 64 colours are tried.
    """
    buffer = BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    best = buffer.getvalue()
    with Image.open(BytesIO(best)) as image:
        image.load()
        dpi = image.info.get("dpi", (100, 100))
        if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
            image = image.convert("RGB")
        # fast octree, no extra zlib passes: measured 3 ms a chart against 23 ms for median cut with
        # optimize=True, and the files come out smaller still
        for colours in (256, 128, 64):
            out = BytesIO()
            image.quantize(colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
                out, format="png", dpi=dpi)
            if len(out.getvalue()) < len(best):
                best = out.getvalue()
            if len(best) <= PNG_BUDGET:
                break
    return best


def figure_png(fig: Figure) -> bytes:
    """The PNG bytes of ``fig`` (at ``savefig.dpi``, 100), closing the figure afterwards.

    The file is stored with an adaptive 256-colour palette when that is smaller (it looks the same
    for charts and is 2–4 times smaller than ``fig.savefig``), so any chart of this module is at
    most 60 KB.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure from one of the chart functions (or any figure, pyplot-made ones included).

    Returns
    -------
    bytes
        The PNG file, e.g. for a size check or a ``data:image/png;base64,`` URI.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = spending_curve(pd.DataFrame({"month": [6, 12], "progress": [0.4, 0.97], "target": [0.5, 1.0]}))
    >>> figure_png(fig)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    png = _png_bytes(fig)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:          # a pyplot-made figure: drop it from pyplot's list
        pyplot.close(fig)
    return png


# ----------------------------------------------------------------------------------------------
# helpers

def _new_figure(height: float = HEIGHT) -> Figure:
    return _ReportFigure(figsize=(WIDTH, height), layout="constrained")


def _bar_height(n: int) -> float:
    """Figure height for ``n`` horizontal bars: 3 to 4 inches."""
    return float(np.clip(1.2 + 0.3 * n, 3.0, 4.0))


def _check_columns(frame: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(column="、".join(missing), expected="、".join(columns),
                         message=f"图表 {chart} 的数据缺少列 / missing columns")


def _is_empty(frame: pd.DataFrame | None) -> bool:
    return frame is None or len(frame) == 0


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 (text and missing values become NaN), without touching the frame."""
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, missing stays missing (NaN)."""
    values = frame[column]
    text = np.where(values.isna().to_numpy(), None, values.astype("str").to_numpy(dtype=object))
    return pd.Series(text, index=values.index, dtype="str")


def _num_label(value: float) -> str:
    """18.5 -> '18.5', 20.0 -> '20', 18.333 -> '18.33'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _signed_label(value: float) -> str:
    return ("+" if value > 0 else "") + _num_label(value)


def _wrap(text: str, width: int) -> str:
    """Break a (Chinese) label into lines of at most ``width`` characters."""
    text = str(text)
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) or text


def _unit_labels(frame: pd.DataFrame) -> pd.Series:
    """``unit_name``, with the year added when the frame holds several years."""
    names = _texts(frame, "unit_name")
    if "unit_code" in frame.columns:
        names = names.fillna(_texts(frame, "unit_code"))
    names = names.fillna("（未命名）")
    if "year" in frame.columns:
        years = pd.to_numeric(frame["year"], errors="coerce")
        if years.nunique() > 1:
            suffix = years.map(lambda y: "" if pd.isna(y) else f"（{int(y)}）")
            names = names + suffix
    return names


def _year_axis(ax, years: Iterable[int]) -> None:
    years = sorted(set(int(y) for y in years))
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 6 else 0)
    if len(years) == 1:
        ax.set_xlim(years[0] - 1, years[0] + 1)
    else:
        ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)


def _percent_axis(axis) -> None:
    """Fractions shown as percent, ticks on round percentages (2%, 5%, 10%, …, not 97.5% as 98%)."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{round(value * 100, 6):g}%"))


def _money_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))


# ----------------------------------------------------------------------------------------------
# charts

def budget_vs_executed(lines: pd.DataFrame) -> Figure | None:
    """Grouped horizontal bars of 全年预算数 and 执行数 per budget line, with the execution rate.

    Rows with the same ``label`` are added up; at most the 15 lines with the largest budget are
    drawn (the axis label says how many were left out).

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (e.g. ``"基本支出·财政拨款"``), ``budget_final`` and ``executed`` (万元).

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no amounts.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"label": ["基本支出·财政拨款", "项目支出·财政拨款"],
    ...                       "budget_final": [1200.0, 800.0], "executed": [1180.0, 640.0]})
    >>> fig = budget_vs_executed(lines)
    >>> fig.axes[0].get_title()
    '预算数与执行数（万元）'
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['98.3%', '80.0%']
    """
    setup_fonts()
    if _is_empty(lines):
        return None
    _check_columns(lines, ["label", "budget_final", "executed"], "budget_vs_executed")
    data = pd.DataFrame({"label": _texts(lines, "label").fillna("（未命名）").to_numpy(),
                         "budget": _numbers(lines, "budget_final"),
                         "executed": _numbers(lines, "executed")})
    data = data[data[["budget", "executed"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.groupby("label", sort=False).sum(min_count=1).reset_index()
    left_out = max(len(data) - MAX_BARS, 0)
    if left_out:
        data = data.loc[data["budget"].fillna(-np.inf).nlargest(MAX_BARS).index.sort_values()]
    n = len(data)
    budget = data["budget"].to_numpy()
    executed = data["executed"].to_numpy()
    valid = np.isfinite(budget) & (budget != 0)
    rate = np.full(n, np.nan)
    np.divide(executed, budget, out=rate, where=valid)

    fig = _new_figure(_bar_height(n * 1.6))
    ax = fig.subplots()
    y = np.arange(n)
    bar = 0.38
    has_budget = np.isfinite(budget)
    has_executed = np.isfinite(executed)
    ax.barh(y[has_budget] - bar / 2, budget[has_budget], height=bar, color=GREY, label="全年预算数")
    ax.barh(y[has_executed] + bar / 2, executed[has_executed], height=bar, color=BLUE, label="执行数")
    end = np.fmax(np.nan_to_num(budget, nan=0.0), np.nan_to_num(executed, nan=0.0))
    top = float(np.max(end)) if np.max(end) > 0 else 1.0
    for i in range(n):
        text = f"{rate[i]:.1%}" if np.isfinite(rate[i]) else "—"
        ax.text(max(end[i], 0.0) + top * 0.01, y[i], text, va="center", fontsize=9, color=DARK)
    ax.set_yticks(y, [_wrap(label, 12) for label in data["label"]])
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, float(np.nanmin(np.append(budget, executed)))) * 1.1, top * 1.15)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    _money_axis(ax.xaxis)
    ax.set_xlabel("万元" + (f"（仅显示预算最大的 {MAX_BARS} 项，另有 {left_out} 项）" if left_out else "")
                  + "；条末为执行率")
    ax.set_title("预算数与执行数（万元）")
    ax.legend(loc="lower right")
    return fig


def spending_curve(progress: pd.DataFrame) -> Figure | None:
    """Monthly cumulative spending progress against the 序时进度 line, for one unit-year.

    Parameters
    ----------
    progress : DataFrame
        Columns ``month`` (1–12), ``progress`` (cumulative executed / budget, a fraction) and
        ``target`` (the progress line, a fraction) — one row per month, as from
        :func:`perfeval_lib.review.metrics.spending_progress` filtered to one unit and year.

    Returns
    -------
    Figure or None
        ``None`` when there is no month with a progress or target value.

    Raises
    ------
    InputError
        When a month appears twice (several units or years mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"month": [3, 6, 9, 12], "progress": [0.2, 0.45, 0.7, 0.98],
    ...                   "target": [0.25, 0.5, 0.75, 1.0]})
    >>> fig = spending_curve(p)
    >>> fig.axes[0].get_title(), fig.axes[0].get_xticklabels()[0].get_text()
    ('月度累计支出进度', '1月')
    """
    setup_fonts()
    if _is_empty(progress):
        return None
    _check_columns(progress, ["month", "progress", "target"], "spending_curve")
    data = pd.DataFrame({"month": _numbers(progress, "month"), "progress": _numbers(progress, "progress"),
                         "target": _numbers(progress, "target")})
    data = data[data["month"].between(1, 12) & data[["progress", "target"]].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.assign(month=data["month"].round().astype("int64")).sort_values("month")
    doubled = data["month"][data["month"].duplicated()]
    if len(doubled):
        raise InputError(column="month", value=int(doubled.iloc[0]),
                         expected="每月一行（一个单位、一个年度） / one row per month",
                         message="月份重复 / a month appears twice")

    fig = _new_figure()
    ax = fig.subplots()
    line = data.dropna(subset=["progress"])
    goal = data.dropna(subset=["target"])
    if len(line):
        ax.plot(line["month"], line["progress"], marker="o", color=BLUE, linewidth=2, label="累计支出进度")
        last = line.iloc[-1]
        ax.annotate(f"{last['progress']:.1%}", (last["month"], last["progress"]), xytext=(0, 8),
                    textcoords="offset points", ha="center", fontsize=9, color=BLUE)
    if len(goal):
        ax.plot(goal["month"], goal["target"], linestyle="--", color=DARK, linewidth=1.2, label="序时进度")
    ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
    ax.set_xlim(0.5, 12.5)
    highest = float(np.nanmax(data[["progress", "target"]].to_numpy()))
    ax.set_ylim(0, max(1.0, highest) * 1.1)
    _percent_axis(ax.yaxis)
    ax.set_ylabel("占全年预算")
    ax.set_title("月度累计支出进度")
    ax.legend(loc="upper left")
    return fig


def score_by_level1(frame: pd.DataFrame) -> Figure | None:
    """Bars of 分值, 复核得分 and 自评得分 for each 一级指标.

    Rows with the same ``level1`` (for example one row per indicator) are added up; a missing
    score is left out (no bar), not drawn as 0.

    Parameters
    ----------
    frame : DataFrame
        Columns ``level1``, ``weight``, ``score`` (recomputed) and ``claimed_score``.

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"level1": ["决策", "过程", "产出", "效益"], "weight": [20.0, 20.0, 30.0, 30.0],
    ...                   "score": [18.0, 17.5, 27.0, None], "claimed_score": [20.0, 19.0, 29.0, 28.0]})
    >>> score_by_level1(f).axes[0].get_title()
    '各一级指标得分与分值'
    """
    setup_fonts()
    if _is_empty(frame):
        return None
    columns = ["weight", "score", "claimed_score"]
    _check_columns(frame, ["level1", *columns], "score_by_level1")
    data = pd.DataFrame({"level1": _texts(frame, "level1").fillna("（未分类）").to_numpy(),
                         **{c: _numbers(frame, c) for c in columns}})
    data = data[data[columns].notna().any(axis=1)]
    if data.empty:
        return None
    data = data.groupby("level1", sort=False).sum(min_count=1).reset_index()

    fig = _new_figure()
    ax = fig.subplots()
    x = np.arange(len(data))
    width = 0.26
    for offset, column, colour, name in ((-width, "weight", GREY, "分值"), (0.0, "score", BLUE, "复核得分"),
                                         (width, "claimed_score", ORANGE, "自评得分")):
        values = data[column].to_numpy()
        shown = np.isfinite(values)
        bars = ax.bar(x[shown] + offset, values[shown], width=width, color=colour, label=name)
        ax.bar_label(bars, labels=[_num_label(v) for v in values[shown]], padding=2, fontsize=8,
                     color=DARK)
    ax.set_xticks(x, [_wrap(name, 6) for name in data["level1"]])
    highest = float(np.nanmax(data[columns].to_numpy()))
    ax.set_ylim(0, max(highest, 1.0) * 1.18)
    ax.set_ylabel("分")
    ax.set_title("各一级指标得分与分值")
    ax.legend(loc="upper left", ncols=3)
    return fig


def trend(history: pd.DataFrame) -> Figure | None:
    """Two panels over the years: 预算执行率, and 复核得分 beside 自评得分 (one unit).

    Parameters
    ----------
    history : DataFrame
        Columns ``year`` (int), ``execution_rate`` (fraction), ``score`` and ``claimed_score``;
        one row per year.

    Returns
    -------
    Figure or None
        ``None`` when fewer than two years have any value.

    Raises
    ------
    InputError
        When a year appears twice (several units mixed).

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"year": [2021, 2022, 2023], "execution_rate": [0.91, 0.95, 0.97],
    ...                   "score": [86.0, 90.5, 92.0], "claimed_score": [92.0, 94.0, 95.0]})
    >>> fig = trend(h)
    >>> fig.get_suptitle(), [ax.get_title() for ax in fig.axes]
    ('历年预算执行率与得分', ['预算执行率', '复核得分与自评得分'])
    >>> trend(h.head(1)) is None
    True
    """
    setup_fonts()
    if _is_empty(history):
        return None
    columns = ["execution_rate", "score", "claimed_score"]
    _check_columns(history, ["year", *columns], "trend")
    data = pd.DataFrame({"year": _numbers(history, "year"), **{c: _numbers(history, c) for c in columns}})
    data = data[data["year"].notna() & data[columns].notna().any(axis=1)]
    data = data.assign(year=data["year"].round().astype("int64")).sort_values("year")
    doubled = data["year"][data["year"].duplicated()]
    if len(doubled):
        raise InputError(column="year", value=int(doubled.iloc[0]),
                         expected="每年一行（一个单位） / one row per year",
                         message="年度重复 / a year appears twice")
    if len(data) < 2:
        return None

    fig = _new_figure()
    left, right = fig.subplots(1, 2)
    rates = data.dropna(subset=["execution_rate"])
    if len(rates):
        left.plot(rates["year"], rates["execution_rate"], marker="o", color=BLUE, linewidth=2)
        low = min(float(rates["execution_rate"].min()), 0.9)
        high = max(float(rates["execution_rate"].max()), 1.0)
        left.set_ylim(low - 0.05, high + 0.03)
        left.axhline(0.9, linestyle=":", color=DARK, linewidth=0.8)
    else:
        left.text(0.5, 0.5, "无数据", transform=left.transAxes, ha="center", va="center", color=DARK)
    _percent_axis(left.yaxis)
    left.set_title("预算执行率")
    plotted = False
    for column, colour, style, name in (("score", BLUE, "-", "复核得分"),
                                        ("claimed_score", ORANGE, "--", "自评得分")):
        points = data.dropna(subset=[column])
        if len(points):
            right.plot(points["year"], points[column], marker="o", linestyle=style, color=colour,
                       linewidth=2, label=name)
            plotted = True
    if plotted:
        right.legend(loc="lower right")
        scores = data[["score", "claimed_score"]].to_numpy()
        right.set_ylim(min(float(np.nanmin(scores)), 80.0) - 5, max(float(np.nanmax(scores)), 100.0) + 2)
    else:
        right.text(0.5, 0.5, "无数据", transform=right.transAxes, ha="center", va="center", color=DARK)
    right.set_ylabel("分")
    right.set_title("复核得分与自评得分")
    for ax in (left, right):
        _year_axis(ax, data["year"])
        ax.set_xlabel("年度")
    fig.suptitle("历年预算执行率与得分")
    return fig


def grade_counts(results: pd.DataFrame) -> Figure | None:
    """Number of units per grade, 复核 beside 自评, in the order 优 良 中 差.

    A missing recomputed grade is counted as 无复核 and a missing claimed grade as 无自评 (each
    shown only when it occurs); any other grade text is shown after 差.

    Parameters
    ----------
    results : DataFrame
        Columns ``grade`` (优/良/中/差 or missing) and ``claimed_grade``.

    Returns
    -------
    Figure or None
        ``None`` when there are no rows or no grade at all.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"grade": ["优", "良", "良", None], "claimed_grade": ["优", "优", "良", "良"]})
    >>> fig = grade_counts(r)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['优', '良', '中', '差', '无复核']
    """
    setup_fonts()
    if _is_empty(results):
        return None
    _check_columns(results, ["grade", "claimed_grade"], "grade_counts")
    recomputed = _texts(results, "grade").str.strip().replace("", np.nan)
    claimed = _texts(results, "claimed_grade").str.strip().replace("", np.nan)
    if recomputed.isna().all() and claimed.isna().all():
        return None
    others = sorted((set(recomputed.dropna()) | set(claimed.dropna())) - set(GRADES))
    categories = [*GRADES, *others]
    counts_recomputed = [int((recomputed == c).sum()) for c in categories]
    counts_claimed = [int((claimed == c).sum()) for c in categories]
    if recomputed.isna().any():
        categories.append("无复核")
        counts_recomputed.append(int(recomputed.isna().sum()))
        counts_claimed.append(0)
    if claimed.isna().any():
        categories.append("无自评")
        counts_recomputed.append(0)
        counts_claimed.append(int(claimed.isna().sum()))

    fig = _new_figure()
    ax = fig.subplots()
    x = np.arange(len(categories))
    width = 0.38
    for offset, counts, colour, name in ((-width / 2, counts_recomputed, BLUE, "复核"),
                                         (width / 2, counts_claimed, ORANGE, "自评")):
        bars = ax.bar(x + offset, counts, width=width, color=colour, label=name)
        ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=2, fontsize=9, color=DARK)
    ax.set_xticks(x, categories)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(max(counts_recomputed), max(counts_claimed), 1) * 1.18)
    ax.set_ylabel("单位数")
    ax.set_title("复核与自评等级分布")
    ax.legend(loc="upper right")
    return fig


def rate_vs_score(results: pd.DataFrame, bands: Iterable[tuple[float, str]] = ()) -> Figure | None:
    """Scatter of 预算执行率 against 复核得分, with the grade bands and the 5 lowest scores named.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``execution_rate`` (fraction) and ``score``; with a ``year``
        column holding several years, the year is added to the names.
    bands : iterable of (float, str)
        The ruleset's grade bands as ``(lowest total, grade word)``, e.g. ``Ruleset.grade_bands``;
        a dotted line is drawn at each lower bound above 0. Empty: no band lines.

    Returns
    -------
    Figure or None
        ``None`` when no row has both a rate and a score.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_name": ["财政局", "教育局", "卫健委"], "execution_rate": [0.97, 0.85, 0.92],
    ...                   "score": [93.0, 74.5, 85.0]})
    >>> fig = rate_vs_score(r, bands=[(90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差")])
    >>> fig.axes[0].get_title(), len(fig.axes[0].texts) >= 3
    ('预算执行率与复核得分', True)
    """
    setup_fonts()
    if _is_empty(results):
        return None
    _check_columns(results, ["unit_name", "execution_rate", "score"], "rate_vs_score")
    data = pd.DataFrame({"name": _unit_labels(results).to_numpy(), "rate": _numbers(results, "execution_rate"),
                         "score": _numbers(results, "score")}).dropna(subset=["rate", "score"])
    if data.empty:
        return None

    fig = _new_figure()
    ax = fig.subplots()
    ax.scatter(data["rate"], data["score"], s=28, color=BLUE, alpha=0.8, edgecolors="white",
               linewidths=0.5, zorder=3)
    ax.axvline(0.9, linestyle="--", color=DARK, linewidth=1)
    for level, word in bands:
        if level <= 0:
            continue
        text = f"{word} ≥{level:g}"
        ax.axhline(level, linestyle=":", color="#999999", linewidth=0.8)
        ax.text(1.0, level, text, transform=ax.get_yaxis_transform(), ha="right", va="bottom",
                fontsize=8, color="#777777")
    lowest = data.sort_values(["score", "rate"], kind="stable").head(5)
    for i, row in enumerate(lowest.itertuples(index=False)):
        ax.annotate(_wrap(row.name, 10), (row.rate, row.score), xytext=(6, 6 if i % 2 else -10),
                    textcoords="offset points", fontsize=8, color=DARK)
    rates = data["rate"].to_numpy()
    scores = data["score"].to_numpy()
    span = max(float(rates.max()), 0.9) - min(float(rates.min()), 0.9)
    pad = max(span * 0.08, 0.02)
    ax.set_xlim(min(float(rates.min()), 0.9) - pad, max(float(rates.max()), 0.9) + pad * 2)
    ax.set_ylim(min(float(scores.min()), 60.0) - 5, max(float(scores.max()), 100.0) + 3)
    _percent_axis(ax.xaxis)
    ax.grid(axis="x")
    ax.set_xlabel("预算执行率（%）")
    ax.set_ylabel("复核得分")
    ax.set_title("预算执行率与复核得分")
    return fig


def score_gaps(results: pd.DataFrame, n: int = 10) -> Figure | None:
    """Horizontal bars of the ``n`` largest gaps 自评得分 − 复核得分, largest on top.

    A positive gap (自评高于复核) is drawn red, a negative one blue; units with no gap are left out.

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_name``, ``score`` (recomputed) and ``claimed_score``; with a ``year``
        column holding several years, the year is added to the names.
    n : int, default 10
        How many units to show.

    Returns
    -------
    Figure or None
        ``None`` when no unit has both scores and a non-zero gap.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_name": ["财政局", "教育局", "卫健委"], "score": [93.0, 74.5, 85.0],
    ...                   "claimed_score": [95.0, 90.0, 83.0]})
    >>> fig = score_gaps(r)
    >>> fig.axes[0].get_title(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('自评与复核得分差异最大的单位', ['教育局', '财政局', '卫健委'])
    """
    setup_fonts()
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, not {n!r}")
    if _is_empty(results):
        return None
    _check_columns(results, ["unit_name", "score", "claimed_score"], "score_gaps")
    gap = _numbers(results, "claimed_score") - _numbers(results, "score")
    data = pd.DataFrame({"name": _unit_labels(results).to_numpy(), "gap": gap})
    data = data[np.isfinite(data["gap"]) & (data["gap"].abs() > 1e-9)]
    if data.empty:
        return None
    data = data.assign(size=data["gap"].abs()).sort_values("size", ascending=False, kind="stable").head(int(n))

    fig = _new_figure(_bar_height(len(data)))
    ax = fig.subplots()
    y = np.arange(len(data))
    gaps = data["gap"].to_numpy()
    colours = [RED if g > 0 else BLUE for g in gaps]
    bars = ax.barh(y, gaps, color=colours, height=0.6)
    ax.bar_label(bars, labels=[_signed_label(g) for g in gaps], padding=3, fontsize=8, color=DARK)
    ax.axvline(0, color=DARK, linewidth=0.8)
    ax.set_yticks(y, [_wrap(name, 14) for name in data["name"]])
    ax.invert_yaxis()
    reach = float(np.abs(gaps).max())
    ax.set_xlim(min(float(gaps.min()), 0.0) - reach * 0.18, max(float(gaps.max()), 0.0) + reach * 0.18)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("自评得分 - 复核得分（分）")
    ax.set_title("自评与复核得分差异最大的单位")
    ax.legend(handles=[Patch(color=RED, label="自评高于复核"), Patch(color=BLUE, label="自评低于复核")],
              loc="lower right")
    return fig


def findings_by_kind(findings: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Figure | None:
    """Horizontal bars of the number of findings per ``code``, coloured by severity.

    A code found with several severities takes the most severe one; at most 15 codes are drawn
    (the most frequent).

    Parameters
    ----------
    findings : DataFrame
        Columns ``code`` and ``severity`` (``error`` / ``warning`` / ``info``).
    labels : mapping, optional
        Chinese label for each code; codes without one are shown as they are.

    Returns
    -------
    Figure or None
        ``None`` when there are no findings with a code.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"code": ["bad_value", "bad_value", "claim_gap"], "severity": ["error", "error", "warning"]})
    >>> fig = findings_by_kind(f, labels={"bad_value": "数值无效"})
    >>> fig.axes[0].get_title(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('审核发现按类型统计', ['数值无效', 'claim_gap'])
    """
    setup_fonts()
    if _is_empty(findings):
        return None
    _check_columns(findings, ["code", "severity"], "findings_by_kind")
    data = pd.DataFrame({"code": _texts(findings, "code").to_numpy(),
                         "severity": _texts(findings, "severity").str.strip().str.lower().to_numpy()})
    data = data.dropna(subset=["code"])
    if data.empty:
        return None
    data = data.assign(order=data["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER)))
    table = (data.groupby("code", sort=False)
             .agg(count=("code", "size"), order=("order", "min"))
             .reset_index()
             .sort_values(["count", "order"], ascending=[False, True], kind="stable"))
    left_out = max(len(table) - MAX_BARS, 0)
    table = table.head(MAX_BARS)
    by_order = {order: severity for severity, order in SEVERITY_ORDER.items()}
    severities = [by_order.get(int(order), "other") for order in table["order"]]
    labels = dict(labels or {})

    fig = _new_figure(_bar_height(len(table)))
    ax = fig.subplots()
    y = np.arange(len(table))
    counts = table["count"].to_numpy()
    bars = ax.barh(y, counts, height=0.6, color=[SEVERITY_COLOURS.get(s, GREY) for s in severities])
    ax.bar_label(bars, padding=3, fontsize=8, color=DARK)
    ax.set_yticks(y, [_wrap(labels.get(code, code), 16) for code in table["code"]])
    ax.invert_yaxis()
    ax.set_xlim(0, counts.max() * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("条数" + (f"（仅显示最多的 {MAX_BARS} 类，另有 {left_out} 类）" if left_out else ""))
    ax.set_title("审核发现按类型统计")
    shown = [s for s in (*SEVERITY_ORDER, "other") if s in severities]
    ax.legend(handles=[Patch(color=SEVERITY_COLOURS.get(s, GREY), label=SEVERITY_NAMES.get(s, "其他"))
                       for s in shown], loc="lower right")
    return fig


def ranks_over_years(results: pd.DataFrame, unit_codes: Iterable[str] | None = None) -> Figure | None:
    """Each unit's rank (1 = best 复核得分 of that year) over the years; rank 1 at the top.

    Ranks are taken among all units of a year (ties share the better rank), then the chosen units
    are drawn — at most 12, the best ranked in their latest year, over at most the latest 10 years
    (the axis label says when some were left out).

    Parameters
    ----------
    results : DataFrame
        Columns ``unit_code``, ``unit_name``, ``year`` and ``score``; one row per unit and year.
    unit_codes : iterable of str, optional
        The units to draw; default all.

    Returns
    -------
    Figure or None
        ``None`` when no row has a year and a score, or none of ``unit_codes`` has one.

    Raises
    ------
    InputError
        When a unit appears twice in one year.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_name": ["财政局", "教育局"] * 2,
    ...                   "year": [2022, 2022, 2023, 2023], "score": [91.0, 85.0, 84.0, 88.0]})
    >>> fig = ranks_over_years(r)
    >>> fig.axes[0].get_title(), bool(fig.axes[0].yaxis_inverted())
    ('各单位历年得分排名', True)
    """
    setup_fonts()
    if _is_empty(results):
        return None
    _check_columns(results, ["unit_code", "unit_name", "year", "score"], "ranks_over_years")
    data = pd.DataFrame({"code": _texts(results, "unit_code").to_numpy(),
                         "name": _texts(results, "unit_name").to_numpy(),
                         "year": _numbers(results, "year"), "score": _numbers(results, "score")})
    data = data.dropna(subset=["code", "year", "score"])
    if data.empty:
        return None
    data = data.assign(year=data["year"].round().astype("int64"))
    doubled = data[data.duplicated(["code", "year"])]
    if len(doubled):
        raise InputError(column="unit_code", value=f"{doubled['code'].iloc[0]} {doubled['year'].iloc[0]}",
                         expected="每个单位每年一行 / one row per unit and year",
                         message="单位年度重复 / a unit appears twice in one year")
    data = data.assign(rank=data.groupby("year")["score"].rank(method="min", ascending=False).astype("int64"))
    if unit_codes is not None:
        wanted = {str(code) for code in unit_codes}
        data = data[data["code"].isin(wanted)]
        if data.empty:
            return None
    years = sorted(data["year"].unique())
    early_years = max(len(years) - MAX_YEARS, 0)
    data = data[data["year"] >= years[early_years]]
    latest = data.sort_values("year").groupby("code", sort=False).tail(1)
    order = latest.sort_values(["rank", "code"])["code"].tolist()
    left_out = max(len(order) - MAX_LINES, 0)
    order = order[:MAX_LINES]

    fig = _new_figure(4.0 if len(order) > 6 else HEIGHT)
    ax = fig.subplots()
    colours = mpl.colormaps["tab20"].colors
    markersize = 5.0 if data["year"].nunique() <= 6 else 3.5
    for i, code in enumerate(order):
        unit = data[data["code"] == code].sort_values("year")
        names = unit["name"].dropna()
        name = names.iloc[-1] if len(names) else code
        ax.plot(unit["year"], unit["rank"], marker="o", markersize=markersize, linewidth=1.5,
                color=colours[(2 * i) % 20 + (i // 10)], label=name)
    ax.invert_yaxis()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top_rank = int(data.loc[data["code"].isin(order), "rank"].max())
    ax.set_ylim(top_rank + 0.5, 0.5)
    _year_axis(ax, data["year"])
    ax.grid(axis="x")
    ax.set_ylabel("排名（1 = 得分最高）")
    notes = ([f"最近 {MAX_YEARS} 年"] if early_years else []) + (
        [f"按最新排名显示前 {MAX_LINES} 个单位，另有 {left_out} 个"] if left_out else [])
    ax.set_xlabel("年度" + (f"（{'；'.join(notes)}）" if notes else ""))
    ax.set_title("各单位历年得分排名")
    fig.legend(loc="outside right upper", fontsize=8)
    return fig

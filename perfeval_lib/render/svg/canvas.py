"""A small SVG drawing kit for the report pages' charts: Chinese text measured, round axis ticks, one style.

A chart is drawn on a :class:`Canvas` (an :mod:`xml.etree.ElementTree` tree, so every text is escaped by
the XML writer, never by hand) in pixels, and handed out as an :class:`SvgChart`: a string of SVG that
the HTML pages embed as it is, which a notebook also shows through ``_repr_svg_``.

Text is real text in the page (it can be searched, copied and read aloud) in the pages' Chinese fonts
(:data:`perfeval_lib.render.palette.FONT_STACK`). Its width is estimated, not measured: a full-width
character (汉字, full-width punctuation) is one em, any other character 0.6 em — slightly wide for
Latin digits in Noto Sans SC (≈ 0.55 em), so labels get room to spare.

Examples
--------
>>> c = Canvas(200, 100, "示例")
>>> c.text(10, 20, "预算 <1>")
>>> svg = c.chart().svg
>>> svg.startswith("<svg"), "预算 &lt;1&gt;" in svg
(True, True)
>>> text_width("预算执行率", 12), text_width("98.5%", 10)
(60.0, 30.0)
>>> nice_ticks(0, 1180)
[0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0]
"""
from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..palette import AXIS, DARK, FONT_STACK, GRID

#: Pixel sizes of the text every chart uses.
TITLE_SIZE = 14
LABEL_SIZE = 12
TICK_SIZE = 11
VALUE_SIZE = 10
#: The width every chart is drawn at (pixels; the page scales it down on a narrow screen).
WIDTH = 700

_NAMESPACE = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class SvgChart:
    """One chart as SVG text, ready to embed in an HTML page.

    Attributes
    ----------
    svg : str
        The ``<svg>`` element (no XML declaration), ``width`` and ``height`` in pixels and a ``viewBox``.
    title : str
        The chart's title (also the SVG's ``<title>``, what a screen reader says).

    Examples
    --------
    >>> SvgChart("<svg/>", "图").svg
    '<svg/>'
    """

    svg: str
    title: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of one line of ``text`` at font size ``size``.

    Parameters
    ----------
    text : str
        One line.
    size : float
        Font size in pixels.

    Returns
    -------
    float
        Full-width characters count one em, every other character 0.6 em.

    Examples
    --------
    >>> text_width("项目支出", 10), text_width("2023", 10)
    (40.0, 24.0)
    """
    return size * sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6 for char in text)


def block_width(text: str, size: float) -> float:
    """The widest line of a text of several lines (``\\n``), in pixels (see :func:`text_width`)."""
    return max((text_width(line, size) for line in str(text).split("\n")), default=0.0)


def nice_ticks(low: float, high: float, intervals: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from at or below ``low`` to at or above ``high``, about ``intervals`` apart.

    The step is 1, 2, 2.5 or 5 times a power of ten, the smallest not below ``(high − low) / intervals``;
    the first tick is the largest multiple of the step not above ``low``, the last the smallest not
    below ``high`` (so a range between round numbers may get one or two intervals more).

    Parameters
    ----------
    low, high : float
        The values to cover (``high`` below ``low`` is swapped; equal values get a range of one step).
    intervals : int
        About how many intervals are wanted.
    integer : bool
        Whole-number steps only (counts, ranks): at least 1, never 2.5.

    Returns
    -------
    list of float
        At least two ticks, ascending.

    Examples
    --------
    >>> nice_ticks(0, 1.08)
    [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]
    >>> nice_ticks(75, 100)
    [75.0, 80.0, 85.0, 90.0, 95.0, 100.0]
    >>> nice_ticks(-30, 120)
    [-50.0, 0.0, 50.0, 100.0, 150.0]
    >>> nice_ticks(5, 5)
    [4.0, 4.5, 5.0, 5.5, 6.0]
    >>> nice_ticks(0, 2.4, integer=True)
    [0.0, 1.0, 2.0, 3.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    low, high = min(low, high), max(low, high)
    if high == low:
        spread = abs(low) * 0.2 or 1.0
        low, high = low - spread, high + spread
    raw = (high - low) / max(intervals, 1)
    if integer:
        raw = max(raw, 1.0)
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = multiple * power
        if integer and not float(step).is_integer():
            continue
        if step >= raw * (1 - 1e-9):
            break
    start = math.floor(low / step + 1e-9) * step
    stop = math.ceil(high / step - 1e-9) * step
    count = int(round((stop - start) / step))
    return [round(start + i * step, 10) + 0.0 for i in range(count + 1)]


def ticks_within(low: float, high: float, intervals: int = 5, integer: bool = False) -> list[float]:
    """The round ticks of :func:`nice_ticks` that fall between ``low`` and ``high`` (an axis with set limits).

    Examples
    --------
    >>> ticks_within(0.78, 1.04)
    [0.8, 0.9, 1.0]
    """
    low, high = min(low, high), max(low, high)
    return [t for t in nice_ticks(low, high, intervals, integer) if low - 1e-9 <= t <= high + 1e-9]


def percent_label(value: float) -> str:
    """An axis tick of a fraction as a round percentage.

    Examples
    --------
    >>> percent_label(0.25), percent_label(0.975)
    ('25%', '97.5%')
    """
    return f"{round(value * 100, 6):g}%"


def finite(values) -> list[float]:
    """The finite numbers of ``values`` (NaN and infinities left out), as floats.

    Examples
    --------
    >>> finite([1, float("nan"), 2.5, float("inf")])
    [1.0, 2.5]
    """
    return [float(v) for v in values if math.isfinite(v)]


def fit_text(text: str, width: float, size: float) -> str:
    """``text`` cut (…) to at most ``width`` pixels at font size ``size`` (see :func:`text_width`).

    Examples
    --------
    >>> fit_text("自然资源和规划局", 60, 10)
    '自然资源和…'
    >>> fit_text("财政局", 60, 10)
    '财政局'
    """
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Scale:
    """A linear map from data values (``low`` … ``high``) to pixels (``start`` … ``end``).

    Examples
    --------
    >>> Scale(0, 100, 50, 650)(25)
    200.0
    """

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        return self.start + (value - self.low) / span * (self.end - self.start) if span else self.start


@dataclass(frozen=True)
class Box:
    """The plotting area of a chart, in pixels from the canvas's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return (self.left < other.right and other.left < self.right and self.top < other.bottom
                and other.top < self.bottom)

    def contains(self, x: float, y: float, margin: float = 0.0) -> bool:
        """Whether the point lies inside the box grown by ``margin`` on every side."""
        return (self.left - margin <= x <= self.right + margin) and (self.top - margin <= y <= self.bottom + margin)

    def within(self, other: Box) -> bool:
        """Whether this box lies wholly inside ``other``."""
        return (other.left <= self.left and self.right <= other.right and other.top <= self.top
                and self.bottom <= other.bottom)


def _number(value: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clean(text: object) -> str:
    """Text without control characters (XML cannot hold them)."""
    return "".join(char for char in str(text) if char == "\n" or unicodedata.category(char) != "Cc")


class Canvas:
    """An SVG drawing of ``width`` × ``height`` pixels named ``title``; see the module's example.

    Parameters
    ----------
    width, height : float
        Pixels.
    title : str
        What the chart shows (its ``<title>``).
    """

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width, self.height = width, height
        self.title = _clean(title)
        self.root = ET.Element("svg", {
            "xmlns": _NAMESPACE, "width": _number(width), "height": _number(height),
            "viewBox": f"0 0 {_number(width)} {_number(height)}", "role": "img", "class": "pe-chart",
            "font-family": FONT_STACK, "font-size": str(LABEL_SIZE), "fill": DARK})
        ET.SubElement(self.root, "title").text = self.title
        ET.SubElement(self.root, "rect", {"width": "100%", "height": "100%", "fill": "white"})

    def set_height(self, height: float) -> None:
        """Change the drawing's height (when it is known only after laying out, e.g. below a legend)."""
        self.height = height
        self.root.set("height", _number(height))
        self.root.set("viewBox", f"0 0 {_number(self.width)} {_number(height)}")

    def heading(self) -> None:
        """The chart's title, centred at the top."""
        self.text(self.width / 2, 18, self.title, TITLE_SIZE, "middle")

    def text(self, x: float, y: float, text: object, size: float = LABEL_SIZE, anchor: str = "start",
             colour: str = DARK, rotate: float = 0.0, bold: bool = False, kind: str = "") -> None:
        """Text whose lines (``\\n``) are centred vertically on ``y``; ``anchor``: start, middle or end;
        ``kind`` becomes its ``class`` (e.g. ``"pe-point-label"``)."""
        lines = _clean(text).split("\n")
        attributes = {"x": _number(x), "y": _number(y), "font-size": _number(size), "fill": colour,
                      "text-anchor": anchor, "dominant-baseline": "central"}
        if kind:
            attributes["class"] = kind
        if rotate:
            attributes["transform"] = f"rotate({_number(rotate)} {_number(x)} {_number(y)})"
        if bold:
            attributes["font-weight"] = "bold"
        element = ET.SubElement(self.root, "text", attributes)
        if len(lines) == 1:
            element.text = lines[0]
            return
        first = -(len(lines) - 1) / 2 * 1.2
        for i, line in enumerate(lines):
            ET.SubElement(element, "tspan", {"x": _number(x), "dy": f"{first if i == 0 else 1.2:.2f}em"}).text = line

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = AXIS, width: float = 1.0,
             dash: str = "") -> None:
        """A straight line; ``dash`` an SVG dash pattern such as ``"6 4"``."""
        attributes = {"x1": _number(x1), "y1": _number(y1), "x2": _number(x2), "y2": _number(y2),
                      "stroke": colour, "stroke-width": _number(width)}
        if dash:
            attributes["stroke-dasharray"] = dash
        ET.SubElement(self.root, "line", attributes)

    def rect(self, x: float, y: float, width: float, height: float, colour: str, opacity: float = 1.0) -> None:
        """A filled rectangle (a negative width or height is drawn the other way)."""
        if width < 0:
            x, width = x + width, -width
        if height < 0:
            y, height = y + height, -height
        attributes = {"x": _number(x), "y": _number(y), "width": _number(width), "height": _number(height),
                      "fill": colour}
        if opacity < 1.0:
            attributes["fill-opacity"] = f"{opacity:g}"
        ET.SubElement(self.root, "rect", attributes)

    def circle(self, x: float, y: float, radius: float, colour: str, opacity: float = 1.0, outline: str = "") -> None:
        """A filled dot; ``outline`` a colour for a thin ring around it."""
        attributes = {"cx": _number(x), "cy": _number(y), "r": _number(radius), "fill": colour}
        if opacity < 1.0:
            attributes["fill-opacity"] = f"{opacity:g}"
        if outline:
            attributes.update({"stroke": outline, "stroke-width": "0.6"})
        ET.SubElement(self.root, "circle", attributes)

    def polyline(self, points: list[tuple[float, float]], colour: str, width: float = 2.0, dash: str = "",
                 markers: bool = False, radius: float = 3.5) -> None:
        """Points joined by straight lines, with a dot of ``radius`` on each point when ``markers``."""
        if len(points) > 1:
            attributes = {"points": " ".join(f"{_number(x)},{_number(y)}" for x, y in points), "fill": "none",
                          "stroke": colour, "stroke-width": _number(width), "stroke-linejoin": "round"}
            if dash:
                attributes["stroke-dasharray"] = dash
            ET.SubElement(self.root, "polyline", attributes)
        if markers or len(points) == 1:
            for x, y in points:
                self.circle(x, y, radius, colour)

    def legend(self, right: float, y: float, entries: list[tuple[str, str, str]]) -> None:
        """One row of legend entries ending at ``right``: (name, colour, ``"bar"``, ``"line"`` or ``"dash"``)."""
        x = right
        for name, colour, kind in reversed(entries):
            x -= text_width(name, TICK_SIZE)
            self.text(x, y, name, TICK_SIZE)
            x -= 22
            if kind == "bar":
                self.rect(x + 4, y - 5, 12, 10, colour)
            else:
                self.line(x, y, x + 16, y, colour, 2.0, "4 3" if kind == "dash" else "")
            x -= 14

    def legend_rows(self, left: float, right: float, top: float, entries: list[tuple[str, str, str]]) -> float:
        """Legend entries (name, colour, ``"bar"``, ``"line"`` or ``"dash"``) in rows from ``top``, each row
        filled from ``left`` up to ``right``, the rows centred; returns the y below the last row."""
        rows: list[list[tuple[str, str, str, float]]] = [[]]
        used = 0.0
        for name, colour, kind in entries:
            width = 22 + text_width(name, TICK_SIZE) + 14
            if rows[-1] and used + width > right - left:
                rows.append([])
                used = 0.0
            rows[-1].append((name, colour, kind, width))
            used += width
        y = top + 8
        for row in rows:
            x = (left + right - sum(w for *_, w in row) + 14) / 2
            for name, colour, kind, width in row:
                if kind == "bar":
                    self.rect(x + 4, y - 5, 12, 10, colour)
                else:
                    self.line(x, y, x + 16, y, colour, 2.0, "4 3" if kind == "dash" else "")
                self.text(x + 22, y, name, TICK_SIZE)
                x += width
            y += 18
        return y - 8

    def value_axis_y(self, box: Box, scale: Scale, ticks: list[float], label) -> None:
        """Horizontal grid lines at ``ticks`` with their labels (``label(value)``) left of the box."""
        for tick in ticks:
            y = scale(tick)
            self.line(box.left, y, box.right, y, GRID, 0.8)
            self.text(box.left - 6, y, label(tick), TICK_SIZE, "end")
        self.line(box.left, box.top, box.left, box.bottom)

    def value_axis_x(self, box: Box, scale: Scale, ticks: list[float], label) -> None:
        """Vertical grid lines at ``ticks`` with their labels (``label(value)``) under the box."""
        for tick in ticks:
            x = scale(tick)
            self.line(x, box.top, x, box.bottom, GRID, 0.8)
            self.text(x, box.bottom + 12, label(tick), TICK_SIZE, "middle")
        self.line(box.left, box.bottom, box.right, box.bottom)

    def category_axis_x(self, box: Box, positions: list[float], labels: list[str], rotate: bool = False) -> None:
        """The bottom axis line and one label (of one or more lines) under each position."""
        self.line(box.left, box.bottom, box.right, box.bottom)
        for x, text in zip(positions, labels):
            lines = str(text).count("\n") + 1
            if rotate:
                self.text(x + 4, box.bottom + 14, text, TICK_SIZE, "end", rotate=-45)
            else:
                self.text(x, box.bottom + 8 + lines * TICK_SIZE * 0.6, text, TICK_SIZE, "middle")

    def year_panel(self, box: Box, years: list[int], title: str = "", label: str = "年度") -> Scale:
        """A panel's title (bold, above its box), its year axis and its ``label``; returns the year → pixel scale.

        Years beyond six are slanted; a single year gets a year of room on both sides.
        """
        if title:
            self.text(box.left, box.top - 34, title, LABEL_SIZE, bold=True)
        pad = 1.0 if len(years) == 1 else 0.4
        x = Scale(years[0] - pad, years[-1] + pad, box.left, box.right)
        self.category_axis_x(box, [x(year) for year in years], [str(year) for year in years], rotate=len(years) > 6)
        self.text((box.left + box.right) / 2, box.bottom + (42 if len(years) > 6 else 30), label, TICK_SIZE, "middle")
        return x

    def chart(self) -> SvgChart:
        """The drawing as an :class:`SvgChart`."""
        return SvgChart(ET.tostring(self.root, encoding="unicode"), self.title)

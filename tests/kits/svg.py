"""Reading an SVG chart back: its texts, rectangles, lines, points, axis ticks, and where its text ends.

Text extents are estimated the way a reader's eye would count them, independently of the drawing kit:
a full-width character (汉字, full-width punctuation) is one em wide, any other character 0.6 em; a line
of text is 1.2 em high.
"""
from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

NS = {"s": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    """The chart's ``<svg>`` element (fails when the SVG is not well-formed XML)."""
    return ET.fromstring(chart.svg)


def texts(root: ET.Element) -> list[str]:
    """Every text drawn, a text of several lines joined without its breaks."""
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def rects(root: ET.Element, fill: str) -> list[dict]:
    """The attributes of every rectangle filled with ``fill``, in drawing order."""
    return [r.attrib for r in root.findall("s:rect", NS) if r.get("fill") == fill]


def lines(root: ET.Element, stroke: str | None = None) -> list[tuple[float, float, float, float]]:
    """Every straight line as (x1, y1, x2, y2), only those of colour ``stroke`` when given."""
    return [tuple(float(l.get(k)) for k in ("x1", "y1", "x2", "y2")) for l in root.findall("s:line", NS)
            if stroke is None or l.get("stroke") == stroke]


def polylines(root: ET.Element) -> list[list[tuple[float, float]]]:
    """The points of every polyline, in drawing order."""
    return [[tuple(map(float, p.split(","))) for p in line.get("points").split()] for line in root.findall("s:polyline", NS)]


def circles(root: ET.Element, fill: str | None = None) -> list[tuple[float, float, float]]:
    """Every dot as (cx, cy, r), only those filled with ``fill`` when given."""
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.findall("s:circle", NS)
            if fill is None or c.get("fill") == fill]


def width_em(text: str) -> float:
    """Width of one line in em: 1 for a full-width character, 0.6 for any other."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def text_boxes(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """(text, left, top, right, bottom) of every line of every unrotated text, as estimated (see the module)."""
    boxes = []
    for t in root.iter(f"{SVG}text"):
        if "rotate" in t.get("transform", ""):
            continue
        size, x, y = float(t.get("font-size")), float(t.get("x")), float(t.get("y"))
        spans = t.findall("s:tspan", NS)
        rows = [t.text or ""] if not spans else [s.text or "" for s in spans]
        first = y - (len(rows) - 1) / 2 * 1.2 * size
        for i, row in enumerate(rows):
            width = width_em(row) * size
            anchor = t.get("text-anchor", "start")
            left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
            middle = first + i * 1.2 * size
            boxes.append((row, left, middle - 0.6 * size, left + width, middle + 0.6 * size))
    return boxes


def ticks(root: ET.Element, anchor: str, test, value) -> list[tuple[float, float]]:
    """(value, position) of the tick labels with ``text-anchor`` ``anchor`` whose text passes ``test``:
    the y position for ``"end"`` (labels left of a value axis), the x position otherwise."""
    found = []
    for t in root.iter(f"{SVG}text"):
        if t.get("text-anchor") == anchor and t.text and test(t.text) and "transform" not in t.attrib:
            found.append((value(t.text), float(t.get("y" if anchor == "end" else "x"))))
    return found


def linear(pairs: list[tuple[float, float]]):
    """The value → pixel map through the first and last of ``pairs`` (value, pixel)."""
    (v0, p0), (v1, p1) = pairs[0], pairs[-1]
    return lambda v: p0 + (v - v0) / (v1 - v0) * (p1 - p0)


def problems_outside(root: ET.Element) -> list[str]:
    """Every coordinate, and every unrotated text's estimated extent, that leaves the canvas."""
    width, height = float(root.get("width")), float(root.get("height"))
    found = []
    for element in root.iter():
        for key in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            if key in element.attrib and not element.get(key).endswith("%"):
                limit = width if key.startswith(("x", "cx")) else height
                if not -0.5 <= float(element.get(key)) <= limit + 0.5:
                    found.append(f"{element.tag} {key}={element.get(key)}")
    for text, left, top, right, bottom in text_boxes(root):
        if left < -0.5 or right > width + 0.5 or top < -0.5 or bottom > height + 0.5:
            found.append(f"text {text!r} at {left:.0f}–{right:.0f} × {top:.0f}–{bottom:.0f}")
    return found


def overlapping_texts(root: ET.Element) -> list[tuple[str, str]]:
    """Pairs of unrotated texts whose estimated boxes overlap (by more than a pixel each way)."""
    boxes = text_boxes(root)
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] + 1 < b[3] and b[1] + 1 < a[3] and a[2] + 1 < b[4] and b[2] + 1 < a[4]:
                pairs.append((a[0], b[0]))
    return pairs

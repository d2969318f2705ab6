"""The colours and fonts every chart shares, whichever way it is drawn (PNG or SVG).

Recomputed (复核) values are blue, claimed (自评) values orange, reference amounts light grey; text and
reference lines dark grey. The Chinese font is the OFL *Noto Sans SC* of the ``pylopdf-fonts-zh-cn``
package (PNG charts embed it; SVG charts name it first and fall back to the reader's Chinese fonts).

Examples
--------
>>> BLUE, ORANGE
('#3B6FB6', '#E08A3C')
"""
from __future__ import annotations

BLUE = "#3B6FB6"
ORANGE = "#E08A3C"
GREY = "#C9CED6"
DARK = "#555555"
RED = "#C8453A"
GRID = "#E3E3E3"
AXIS = "#888888"
MUTED = "#777777"
SEVERITY_COLOURS = {"error": "#C8453A", "warning": "#E0A030", "info": "#5B8DB8"}
#: One colour per unit when several units are drawn as lines (matplotlib's "tab10", then two light ones).
SERIES = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22",
          "#17BECF", "#AEC7E8", "#FFBB78")

#: The bundled font's family name.
FONT_FAMILY = "Noto Sans SC"
#: What an SVG chart asks the reader's browser for, in order (the pages' own CSS names the same fonts).
FONT_STACK = ('"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", sans-serif')

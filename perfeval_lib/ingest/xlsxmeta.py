"""What an .xlsx workbook says about its cells besides their values: hidden sheets, rows and columns,
and the number formats that carry a meaning.

calamine reads the values fast but not the formats or what is hidden; this module reads just that from
the workbook's XML (``xl/workbook.xml``, ``xl/styles.xml`` and each sheet), without building a cell
model: the styles table says which style numbers have a meaningful format
(:func:`perfeval_lib.ingest.numfmt.format_kind`), and only the cells carrying one of those styles are
looked at. A workbook with no such format and nothing hidden costs one pass over bytes.

Examples
--------
>>> import pathlib, tempfile, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
>>> book = openpyxl.Workbook()
>>> book.active["A1"], book.active["B2"] = 0.9557, "x"
>>> book.active["A1"].number_format = "0.00%"
>>> book.active.row_dimensions[2].hidden = True
>>> hidden = book.create_sheet("旧版")
>>> hidden.sheet_state = "hidden"
>>> book.save(path)
>>> meta = workbook_meta(path)
>>> meta["Sheet"].formats, meta["Sheet"].hidden_rows, meta["旧版"].state
({(0, 0): ('percent', 0)}, [1], 'hidden')
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .filecheck import sheet_names
from .numfmt import BUILTIN_FORMATS, format_kind


@dataclass
class SheetMeta:
    """What one worksheet's XML says beyond its values.

    Parameters
    ----------
    name : str
        The sheet's name.
    state : str
        ``'visible'``, ``'hidden'`` or ``'veryHidden'`` (hidden so that Excel's menu cannot show it).
    hidden_rows, hidden_cols : list of int
        0-based rows and columns marked hidden.
    formats : dict
        (row, column) 0-based → :func:`~perfeval_lib.ingest.numfmt.format_kind` of the cell's format,
        for cells whose format has a meaning only.

    Examples
    --------
    >>> SheetMeta("预算").state
    'visible'
    """

    name: str
    state: str = "visible"
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    formats: dict = field(default_factory=dict)


_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', re.S)
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_NUMFMT_ID = re.compile(rb'numFmtId="(\d+)"')
_SHEET = re.compile(r'<(?:\w+:)?sheet\b([^>]*)/?>')
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_ROW_HIDDEN = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&apos;", "'")


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def meaningful_styles(styles_xml: bytes) -> dict[int, tuple[str, int]]:
    """Style number (the ``s`` of a cell) → meaning of its number format, for the styles that have one.

    Parameters
    ----------
    styles_xml : bytes
        ``xl/styles.xml``.

    Returns
    -------
    dict
        Index into ``cellXfs`` → :func:`~perfeval_lib.ingest.numfmt.format_kind` (percent, literal
        percent, zero-padded); styles with any other format are left out.

    Examples
    --------
    >>> xml = (b'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0&quot;%&quot;"/></numFmts>'
    ...        b'<cellXfs><xf numFmtId="0"/><xf numFmtId="10"/><xf numFmtId="164"/></cellXfs></styleSheet>')
    >>> meaningful_styles(xml)
    {1: ('percent', 0), 2: ('literal_percent', 0)}
    """
    codes = {number: code for number, code in BUILTIN_FORMATS.items()}
    for number, code in _NUMFMT.findall(styles_xml):
        codes[int(number)] = _unescape(code.decode("utf-8", "replace"))
    block = _CELLXFS.search(styles_xml)
    found = {}
    if block is None:
        return found
    for index, attributes in enumerate(_XF.findall(block.group(1))):
        number = _NUMFMT_ID.search(attributes)
        kind = format_kind(codes.get(int(number.group(1)))) if number else None
        if kind is not None:
            found[index] = kind
    return found


def _hidden_cols(data: bytes) -> list[int]:
    cols = []
    for attributes in _COL.findall(data[: data.find(b"<sheetData")] if b"<sheetData" in data else data):
        values = dict(re.findall(rb'(\w+)="([^"]*)"', attributes))
        if values.get(b"hidden") in (b"1", b"true") and b"min" in values and b"max" in values:
            first, last = int(values[b"min"]), int(values[b"max"])
            cols.extend(range(first - 1, min(last, 16384)))
    return cols


def sheet_meta(data: bytes, name: str, state: str, styles: dict[int, tuple[str, int]]) -> SheetMeta:
    """Hidden rows and columns and meaningful cell formats of one worksheet's XML.

    Parameters
    ----------
    data : bytes
        The worksheet's XML.
    name, state : str
        The sheet's name and visibility (from the workbook).
    styles : dict
        :func:`meaningful_styles` of the workbook.

    Returns
    -------
    SheetMeta

    Examples
    --------
    >>> xml = (b'<worksheet><cols><col min="2" max="3" hidden="1"/></cols><sheetData><row r="1">'
    ...        b'<c r="A1" s="1"><v>0.5</v></c><c r="B1" s="0"><v>1</v></c></row>'
    ...        b'<row r="4" hidden="1"/></sheetData></worksheet>')
    >>> meta = sheet_meta(xml, "预算", "visible", {1: ("percent", 0)})
    >>> meta.formats, meta.hidden_rows, meta.hidden_cols
    ({(0, 0): ('percent', 0)}, [3], [1, 2])
    """
    meta = SheetMeta(name, state)
    if b'hidden="' in data:
        meta.hidden_rows = sorted({int(a or b) - 1 for a, b in _ROW_HIDDEN.findall(data)})
        meta.hidden_cols = _hidden_cols(data)
    if styles:
        # find the wanted style attributes first (few cells carry them), then the cell each belongs to
        wanted = re.compile(rb'\ss="(' + b"|".join(str(s).encode() for s in sorted(styles)) + rb')"')
        for match in wanted.finditer(data):
            start = data.rfind(b"<", 0, match.start())
            tag = data[start:match.start()]
            if not (tag.startswith(b"<c ") or tag.startswith(b"<x:c ")) or b">" in tag:
                continue  # a row's or column's style, not a cell's
            ref = _CELL_REF.search(data, start, data.find(b">", match.end()) + 1)
            if ref is not None:
                meta.formats[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = styles[int(match.group(1))]
    return meta


def workbook_meta(path: str | Path) -> dict[str, SheetMeta]:
    """Every worksheet's visibility, hidden rows and columns, and meaningful cell formats.

    Parameters
    ----------
    path : str or pathlib.Path
        An .xlsx or .xlsm file (checked to be a complete workbook before).

    Returns
    -------
    dict
        Sheet name → :class:`SheetMeta`, in the workbook's order.

    Raises
    ------
    zipfile.BadZipFile, KeyError
        The file is not a workbook (the reader reports it as unreadable).

    Examples
    --------
    >>> from perfeval_lib.core import config
    >>> meta = workbook_meta(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx")
    >>> [(m.state, m.hidden_rows) for m in meta.values()][:1]
    [('visible', [])]
    """
    path = Path(path)
    members = sheet_names(path)
    by_name = {name: member for member, name in members.items()}
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        listed = set(archive.namelist())
        styles = meaningful_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in listed else {}
        found = {}
        for match in _SHEET.finditer(workbook):
            attributes = dict(_ATTR.findall(match.group(1)))
            name = _unescape(attributes.get("name", ""))
            member = by_name.get(attributes.get("name", ""), by_name.get(name))
            state = attributes.get("state", "visible")
            if member is None or member not in listed:
                found[name] = SheetMeta(name, state)
                continue
            found[name] = sheet_meta(archive.read(member), name, state, styles)
    return found

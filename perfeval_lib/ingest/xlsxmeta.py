"""What an .xlsx workbook says about its cells besides their values: hidden sheets, rows and columns,
and the number formats that carry a meaning — read on the streamed pass that measures the workbook.

calamine reads the values fast but not the formats or what is hidden. The safety pass of
:func:`perfeval_lib.ingest.xlsxscan.scan_workbook` inflates every part once anyway, so it reads these on
the way, from the same bytes: :class:`StylesReader` takes ``xl/styles.xml`` as it streams (expat) and
says which style numbers have a meaningful format (:func:`perfeval_lib.ingest.numfmt.format_kind`);
a :class:`SheetMetaReader` is fed each piece of a sheet's XML as it streams by and keeps the hidden rows
and columns and the cells carrying one of those styles (only those cells are looked at). No sheet is
inflated or parsed a second time for them. The result, one :class:`SheetMeta` per sheet, travels with
:class:`perfeval_lib.ingest.filecheck.WorkbookCheck`.

Examples
--------
>>> styles = meaningful_styles(b'<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="10"/></cellXfs></styleSheet>')
>>> reader = SheetMetaReader("预算", "visible", styles)
>>> reader.feed(b'<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>0.9557</v></c></row>', plain=True)
>>> reader.feed(b'<row r="2" hidden="1"><c r="B2"><v>1</v></c></row></sheetData></worksheet>', plain=True)
>>> meta = reader.finish()
>>> meta.cell_formats(), meta.hidden_rows.tolist()
({(0, 0): ('percent', 0)}, [1])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

import numpy as np

from ..core.issues import Issue
from .cellrefs import MAX_COLUMN, MAX_ROW, cell_positions
from .numfmt import BUILTIN_FORMATS, format_kind

#: Most cell styles and custom number formats read from a styles part (Excel allows about 65,000 and
#: 250): past them the part is not one a spreadsheet program wrote, and the rest is left unread.
MAX_STYLES = 65_536
#: Longest tag of the styles part (an attribute of megabytes is no number format).
MAX_STYLE_TAG = 1 << 20
#: Up to this many meaningful styles, the cells carrying one are matched by their style numbers;
#: past it, every styled cell is matched and the others are dropped (no pattern of thousands of branches).
FEW_STYLES = 32


@dataclass
class SheetMeta:
    """What one worksheet's XML says beyond its values.

    Parameters
    ----------
    name : str
        The sheet's name.
    state : str
        ``'visible'``, ``'hidden'`` or ``'veryHidden'`` (hidden so that Excel's menu cannot show it).
    hidden_rows, hidden_cols : numpy.ndarray of int
        0-based rows and columns marked hidden, ascending (rows beyond Excel's 1,048,576 are left out).
    formats : dict
        :func:`~perfeval_lib.ingest.numfmt.format_kind` of a meaningful format → int32 array of shape
        (n, 2): the (row, column), 0-based, of each cell carrying it (8 bytes a formatted cell, so a
        large workbook stays small in memory). :meth:`cell_formats` gives them cell by cell.

    Examples
    --------
    >>> SheetMeta("预算").state
    'visible'
    """

    name: str
    state: str = "visible"
    hidden_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    hidden_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    formats: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """Bytes the formatted cells and hidden rows and columns take."""
        return sum(cells.nbytes for cells in self.formats.values()) + self.hidden_rows.nbytes + self.hidden_cols.nbytes

    def cell_formats(self) -> dict[tuple[int, int], tuple[str, int]]:
        """(row, column), 0-based → the kind of the cell's format, for every formatted cell.

        >>> SheetMeta("预算", formats={("percent", 0): np.array([[1, 9]], dtype=np.int32)}).cell_formats()
        {(1, 9): ('percent', 0)}
        """
        return {(r, c): kind for kind, cells in self.formats.items() for r, c in cells.tolist()}


class StylesReader:
    """``xl/styles.xml`` fed chunk by chunk (as it inflates) to expat; :meth:`close` gives
    :func:`meaningful_styles`.

    Only ``numFmt`` elements inside ``numFmts`` and ``xf`` elements inside ``cellXfs`` are kept (a few
    numbers each, at most :data:`MAX_STYLES` of either); nothing else is built in memory. A part expat
    cannot parse, one declaring a DTD, one with more styles than that or a tag longer than
    :data:`MAX_STYLE_TAG` (no spreadsheet program writes these) stops the reading: :attr:`error` says
    why, and the styles read up to there are kept.

    Examples
    --------
    >>> reader = StylesReader()
    >>> for chunk in (b'<styleSheet><cellXfs><xf numFmtId="9"/>', b'</cellXfs></styleSheet>'):
    ...     reader.feed(chunk)
    >>> reader.close(), reader.error
    ({0: ('percent', 0)}, None)
    """

    def __init__(self) -> None:
        self.error: str | None = None
        self._codes = dict(BUILTIN_FORMATS)
        self._xfs: list[str | None] = []
        self._inside: set[str] = set()
        self._open = 0  # bytes fed since the last ">"
        self._parser = expat.ParserCreate()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.StartDoctypeDeclHandler = self._refuse_dtd

    def _start(self, tag: str, attributes: dict) -> None:
        local = tag.rpartition(":")[2]
        if len(self._xfs) >= MAX_STYLES or len(self._codes) >= MAX_STYLES:
            raise ValueError(f"more than {MAX_STYLES:,} cell styles or number formats")
        if local == "xf" and "cellXfs" in self._inside:
            self._xfs.append(attributes.get("numFmtId"))
        elif local == "numFmt" and "numFmts" in self._inside and attributes.get("numFmtId", "").isdigit():
            self._codes[int(attributes["numFmtId"])] = attributes.get("formatCode", "")
        elif local in ("cellXfs", "numFmts"):
            self._inside.add(local)

    def _end(self, tag: str) -> None:
        self._inside.discard(tag.rpartition(":")[2])

    @staticmethod
    def _refuse_dtd(*_) -> None:
        raise ValueError("a DTD in the styles part")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Parse the next chunk (nothing more once :attr:`error` is set)."""
        if self.error is not None:
            return
        end = chunk.rfind(b">")
        self._open = self._open + len(chunk) if end < 0 else len(chunk) - end - 1
        if self._open > MAX_STYLE_TAG:
            self.error = f"a tag longer than {MAX_STYLE_TAG:,} bytes"
            return
        try:
            self._parser.Parse(chunk, final)
        except (expat.ExpatError, ValueError) as exc:
            self.error = str(exc)[:120]

    def close(self) -> dict[int, tuple[str, int]]:
        """End the part; style number → meaning of its format, for the styles that have one."""
        self.feed(b"", final=True)
        found = {}
        for index, number in enumerate(self._xfs):
            kind = format_kind(self._codes.get(int(number))) if number and number.isdigit() else None
            if kind is not None:
                found[index] = kind
        return found


def meaningful_styles(styles_xml: bytes) -> dict[int, tuple[str, int]]:
    """Style number (the ``s`` of a cell) → meaning of its number format, for the styles that have one.

    Parameters
    ----------
    styles_xml : bytes
        ``xl/styles.xml`` (whole; :class:`StylesReader` takes it chunk by chunk).

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
    reader = StylesReader()
    reader.feed(styles_xml)
    return reader.close()


def number_styles(chunks, name: str, notes: list[Issue]) -> dict[int, tuple[str, int]]:
    """:func:`meaningful_styles` of ``xl/styles.xml`` given chunk by chunk (as it inflates).

    Parameters
    ----------
    chunks : iterable of bytes
        The styles part, streamed; every chunk is consumed (the caller measures and CRC-checks them).
    name : str
        The workbook's name in messages.
    notes : list of perfeval_lib.core.issues.Issue
        Gets a warning (``unreadable_styles``) when the part cannot be parsed whole: the styles read
        up to there are kept, the cells of the others are read as stored.

    Returns
    -------
    dict
        As :func:`meaningful_styles`.

    Examples
    --------
    >>> notes = []
    >>> number_styles([b'<styleSheet><cellXfs><xf numFmtId="10"/>', b'</cellXfs></styleSheet>'], "b.xlsx", notes)
    {0: ('percent', 0)}
    >>> number_styles([b'<styleSheet><cellXfs><xf numFmtId="10"/><xf'], "b.xlsx", notes), [n.code for n in notes]
    ({0: ('percent', 0)}, ['unreadable_styles'])
    """
    reader = StylesReader()
    for chunk in chunks:
        reader.feed(chunk)
    styles = reader.close()
    if reader.error is not None:
        notes.append(Issue("warning", "unreadable_styles", "工作簿的样式部件（xl/styles.xml）无法完整读取，部分单元格的"
                           "百分比、前导零等数字格式可能未按显示读取 / the workbook's styles part could not be read whole: "
                           "some cells' number formats (percent, leading zeros) may be read as stored", name,
                           value=reader.error, expected="在 Excel/WPS 中打开并保存 / open and save it in Excel/WPS"))
    return styles


_ROW_HIDDEN = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<(?:[\w.-]+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_COL = re.compile(rb"<(?:[\w.-]+:)?col\b([^>]*)/?>")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")


class SheetMetaReader:
    """One worksheet's hidden rows and columns and formatted cells, from its XML fed piece by piece.

    Parameters
    ----------
    name, state : str
        The sheet's name and visibility (from the workbook).
    styles : dict
        :func:`meaningful_styles` of the workbook.

    Notes
    -----
    Each piece given to :meth:`feed` must hold whole elements (the pieces of
    :func:`perfeval_lib.ingest.xlsxscan.scan_workbook` do). The formatted cells are found by their style
    attribute (few cells carry a meaningful one), with one regular expression over the piece when every
    cell is written ``<c r="A1" …>`` (``plain``, as Excel, WPS and openpyxl write them), else tag by tag.

    Examples
    --------
    >>> reader = SheetMetaReader("预算", "visible", {1: ("percent", 0)})
    >>> reader.feed(b'<worksheet><cols><col min="2" max="3" hidden="1"/></cols><sheetData><row r="1">'
    ...             b'<x:c r="A1" s="1"><v>0.5</v></x:c><c r="B1" s="0"><v>1</v></c></row>'
    ...             b'<row r="4" hidden="1"/></sheetData></worksheet>', plain=False)
    >>> meta = reader.finish()
    >>> meta.cell_formats(), meta.hidden_rows.tolist(), meta.hidden_cols.tolist()
    ({(0, 0): ('percent', 0)}, [3], [1, 2])
    """

    def __init__(self, name: str, state: str, styles: dict[int, tuple[str, int]]) -> None:
        self.meta = SheetMeta(name, state)
        self._styles = styles
        self._in_data = False
        self._rows: np.ndarray | None = None      # hidden rows, one flag a row up to Excel's last
        self._cols = np.zeros(MAX_COLUMN + 2, dtype=np.int64)  # +1 where a hidden range starts, -1 after it
        self._col_elements = 0
        self._found: dict[tuple[str, int], list[np.ndarray]] = {}
        if styles:
            ids = b"|".join(str(s).encode() for s in sorted(styles)) if len(styles) <= FEW_STYLES else rb"[0-9]{1,9}"
            self._wanted = re.compile(rb'\ss="(' + ids + rb')"')
            self._plain = re.compile(rb'<c r="([A-Z]{1,3}+[0-9]{1,7}+)"(?:\s++[\w:.-]++="[^"]*+")*?\s++s="('
                                     + ids + rb')"')

    def feed(self, piece: bytes, plain: bool) -> None:
        """Read one piece of the sheet's XML; ``plain``: every cell in it starts ``<c r="``."""
        if b'hidden="' in piece:
            rows = [int(a or b) for a, b in _ROW_HIDDEN.findall(piece) if len(a or b) <= 7]
            if rows:
                if self._rows is None:
                    self._rows = np.zeros(MAX_ROW + 1, dtype=bool)
                rows = np.array(rows, dtype=np.int64)
                self._rows[rows[(rows >= 1) & (rows <= MAX_ROW)] - 1] = True
            if not self._in_data:
                end = piece.find(b"sheetData")
                self._hidden_cols(piece if end < 0 else piece[:end])
        if not self._in_data and b"sheetData" in piece:
            self._in_data = True
        if self._styles and b' s="' in piece:
            self._add(self._plain.findall(piece) if plain else self._tagged(piece))

    def _hidden_cols(self, data: bytes) -> None:
        """Hidden column ranges; at most one ``<col>`` element a column is looked at (Excel writes no more)."""
        found = _COL.findall(data)[:MAX_COLUMN - self._col_elements]
        self._col_elements += len(found)
        for attributes in found:
            values = dict(re.findall(rb'(\w+)="([^"]*)"', attributes))
            if values.get(b"hidden") in (b"1", b"true") and values.get(b"min", b"").isdigit() \
                    and values.get(b"max", b"").isdigit():
                first, last = min(int(values[b"min"]), MAX_COLUMN + 1), min(int(values[b"max"]), MAX_COLUMN)
                if 1 <= first <= last:
                    self._cols[first - 1] += 1
                    self._cols[last] -= 1

    def _tagged(self, piece: bytes) -> list[tuple[bytes, bytes]]:
        """(reference, style) of the cells with a wanted style, attribute by attribute."""
        found = []
        for match in self._wanted.finditer(piece):
            start = piece.rfind(b"<", 0, match.start())
            if _CELL_START.match(piece, start) is None or b">" in piece[start:match.start()]:
                continue  # a row's or column's style, not a cell's
            ref = _CELL_REF.search(piece, start, piece.find(b">", match.end()) + 1)
            if ref is not None:
                found.append((ref.group(1), match.group(1)))
        return found

    def _add(self, found: list[tuple[bytes, bytes]]) -> None:
        if not found:
            return
        found = np.array(found)
        cells = cell_positions(found[:, 0]).astype(np.int32)  # 3 letters, 7 digits at most: no overflow
        styles, style_of = np.unique(found[:, 1], return_inverse=True)
        for number, style in enumerate(styles):
            kind = self._styles.get(int(style))
            if kind is not None:  # (when every styled cell was matched, the others are dropped here)
                self._found.setdefault(kind, []).append(cells[style_of == number])

    def finish(self) -> SheetMeta:
        """The sheet's :class:`SheetMeta`, once every piece was fed."""
        if self._rows is not None:
            self.meta.hidden_rows = np.flatnonzero(self._rows).astype(np.int32)
        self.meta.hidden_cols = np.flatnonzero(np.cumsum(self._cols)[:MAX_COLUMN] > 0).astype(np.int32)
        self.meta.formats = {kind: np.concatenate(parts) for kind, parts in self._found.items()}
        return self.meta

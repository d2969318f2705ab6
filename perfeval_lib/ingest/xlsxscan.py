"""One streamed pass over a workbook before any reader opens it: what it really holds, and whether it is safe.

Every part of the .xlsx (a zip) is inflated once, chunk by chunk (:mod:`perfeval_lib.core.archive`),
and measured as it really inflates; the sheets' XML is scanned on the way, never parsed whole:

* the cells each sheet spans (rows × columns from the first row and column to the last cell that
  holds anything) — a reader builds that whole rectangle in memory, so one stray cell in XFD1048576
  makes a two-line sheet 17 billion cells; the area of its merged cells (openpyxl creates every one);
* how much text the cells repeat from the shared strings (one long string used by a million cells);
* the cells perfeval must not read as values: formulas without a stored result, Excel errors;
* from the same bytes, what the readers need besides the values (:mod:`~perfeval_lib.ingest.xlsxmeta`):
  hidden sheets, rows and columns, the cells whose number format carries a meaning (percent, 000000).

:func:`scan_workbook` returns a :class:`WorkbookScan`; a sheet whose span is past the cap only because
of a few cells far from the table gets a cleaned copy without them (:func:`write_clean_copy`) and a
warning naming each; anything else past a cap is an :class:`~perfeval_lib.core.errors.InputError`.

Examples
--------
>>> import pathlib, tempfile, openpyxl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
>>> book = openpyxl.Workbook(); book.active["B3"] = 1; book.save(path)
>>> [(s.sheet, s.last_row, s.last_column) for s in scan_workbook(path, "budget.xlsx").sheets]
[('Sheet', 3, 2)]
"""
from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.archive import Budget, inflate, size_text, zip_members
from ..core.errors import InputError
from ..core.issues import Issue
from ..core.limits import limit, max_bytes
from .cellrefs import MAX_COLUMN, MAX_ROW, cell_name, cell_positions, column_number
from .xlsxmeta import SheetMeta, SheetMetaReader, number_styles

#: Empty rows (columns) that separate a stray cell from the table.
ROW_GAP, COLUMN_GAP = 1_000, 100
#: A cluster of cells this small (rows or columns) beyond such a gap is stray content, not table …
STRAY_SPAN = 10
#: … as long as no more than this many cells with a value are dropped (more: the file is refused).
MAX_STRAY_CELLS = 10
#: Most formulas-without-value and error cells kept per workbook (each rejects its row).
MAX_FLAGGED = 100_000
#: Largest workbook index part (workbook.xml, its rels) read into memory.
MAX_INDEX_PART = 16 * 1024 * 1024

_P = rb"(?:[\w.-]+:)?"  # an optional namespace prefix: <x:c …> is as valid as <c …>
_CELL_REF = re.compile(rb"<" + _P + rb'c\b[^>]*?\sr="([A-Z]+[0-9]+)"')
_FAST_REF = re.compile(rb'<c r="([A-Z]+[0-9]+)"')
_CELL_TAG = re.compile(rb"<" + _P + rb"c[\s/>]")
_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?)(/>|>(.*?)</" + _P + rb"c>)", re.S)
_REF_ATTR = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<" + _P + rb"f\b[^>]*>(.*?)</" + _P + rb"f>|<" + _P + rb"f\b[^>]*/>", re.S)
_VALUE = re.compile(rb"<" + _P + rb"v>(.*?)</" + _P + rb"v>", re.S)
_SHARED = re.compile(rb"<" + _P + rb'c\b[^>]*?\st="s"[^>]*>\s*<' + _P + rb"v>\s*([0-9]+)")
_MERGE = re.compile(rb"<" + _P + rb'mergeCell\b[^>]*?\sref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_SI = re.compile(rb"<" + _P + rb"si\b(?:[^>]*?/>|.*?</" + _P + rb"si>)", re.S)
_TEXT = re.compile(rb"<" + _P + rb"t\b[^>]*>(.*?)</" + _P + rb"t>", re.S)
_DIMENSION = re.compile(rb"<(" + _P + rb')dimension\b[^>]*?ref="[^"]*"[^>]*?/>')
_ROW_TAG = re.compile(rb"<[\w.-]+:row\b")
#: Two-byte marks counted by :func:`_marks`: a tag starting c or f, a prefixed name starting c, r or f.
_OPEN_C, _OPEN_F, _PREFIXED_C, _PREFIXED_R, _PREFIXED_F = (m[0] << 8 | m[1]
                                                          for m in (b"<c", b"<f", b":c", b":r", b":f"))


def _marks(piece: bytes) -> np.ndarray:
    """How often each two bytes starting with ``<`` or ``:`` occur in ``piece``, indexed ``first << 8 | second``:
    one vectorised pass instead of a search per mark."""
    data = np.frombuffer(piece, dtype=np.uint8)
    at = np.flatnonzero((data[:-1] == 60) | (data[:-1] == 58))
    return np.bincount((data[at].astype(np.int64) << 8) | data[at + 1], minlength=1 << 16)


@dataclass
class SheetScan:
    """What one sheet's XML holds, as measured by the pass.

    Attributes
    ----------
    sheet : str
        The sheet's name as the workbook shows it.
    part : str
        Its zip member (``xl/worksheets/sheet1.xml``).
    last_row, last_column : int
        The farthest row and column (1-based) holding a cell: a reader builds the rectangle from A1
        to there.
    cells : int
        Cell elements found.
    unplaced : int
        Cells without an ``r="A1"`` reference (placed after the previous one by readers).
    row_elements : int
        Row elements found.
    merged_area : int
        Cells covered by merged ranges.
    flagged : dict
        (row, column), 0-based → (``'formula'`` or ``'excel_error'``, text).
    keep : tuple of int or None
        (last row, last column) to keep when a few stray cells far from the table make the span
        implausible (see :func:`write_clean_copy`); None when the sheet is read as it is.
    """

    sheet: str
    part: str
    last_row: int = 0
    last_column: int = 0
    cells: int = 0
    unplaced: int = 0
    row_elements: int = 0
    merged_area: int = 0
    flagged: dict = field(default_factory=dict)
    keep: tuple[int, int] | None = None


@dataclass
class WorkbookScan:
    """The outcome of :func:`scan_workbook`.

    Attributes
    ----------
    inflated : int
        Bytes the workbook's parts inflate to.
    sheets : list of SheetScan
        Every worksheet part.
    shared_text : int
        Bytes of text the cells repeat from the shared strings.
    meta : dict
        Sheet name → :class:`~perfeval_lib.ingest.xlsxmeta.SheetMeta`, in the workbook's order.
    notes : list of perfeval_lib.core.issues.Issue
        Warnings about the workbook as a whole (a styles part that could not be read).
    """

    inflated: int = 0
    sheets: list[SheetScan] = field(default_factory=list)
    shared_text: int = 0
    meta: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def stray(self) -> dict[str, tuple[int, int]]:
        """Sheet part → (last row, last column) to keep, for the sheets that need a cleaned copy."""
        return {s.part: s.keep for s in self.sheets if s.keep is not None}

    def bad_cells(self) -> dict[str, dict]:
        """Sheet name → flagged cells, for sheets that have any."""
        return {s.sheet: s.flagged for s in self.sheets if s.flagged}


def _pieces(chunks, ends: tuple[bytes, ...], keep: int = 4 << 20):
    """Re-cut streamed chunks so that no element ending in one of ``ends`` is split between pieces.

    Each chunk is searched from its end: a piece ends after the last end found in it (later ends only
    looked for after it); without one, chunks gather (never copied twice) until ``keep`` bytes, then
    go out cut before their last tag.
    """
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        cut = 0
        for end in ends:
            at = chunk.rfind(end, max(0, cut - len(end) + 1))
            cut = at + len(end) if at >= 0 else cut
        if cut:
            yield b"".join([*parts, chunk[:cut]])
            parts, size = [chunk[cut:]], len(chunk) - cut
            continue
        parts.append(chunk)
        size += len(chunk)
        if size > keep:
            data = b"".join(parts)
            start = data.rfind(b"<")
            start = start if start > 0 else len(data)
            yield data[:start]
            parts, size = [data[start:]], len(data) - start
    if size:
        yield b"".join(parts)


def _read_small(handle, member, budget: Budget, name: str) -> bytes:
    parts, size = [], 0
    for chunk in inflate(handle, member, budget, name):
        size += len(chunk)
        if size > MAX_INDEX_PART:
            raise InputError(name, value=member.filename, message="工作簿索引部件过大 / a workbook index part is "
                                                                  "far too large",
                             expected="正常保存的文件 / a normally saved file")
        parts.append(chunk)
    return b"".join(parts)


def _attributes(tag: bytes) -> dict[str, str]:
    found = re.findall(rb'([\w.:-]+)\s*=\s*"([^"]*)"', tag)
    return {k.decode("utf-8", "replace").split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in found}


def _sheet_parts(workbook: bytes, rels: bytes) -> dict[str, str]:
    """Worksheet part → sheet name, from ``xl/workbook.xml`` and its relationships."""
    targets = {}
    for tag in re.findall(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", rels):
        attrs = _attributes(tag)
        if attrs.get("Type", "").endswith("/worksheet") and attrs.get("Id"):
            target = attrs.get("Target", "")
            targets[attrs["Id"]] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    names = {}
    for tag in re.findall(rb"<(?:[\w.-]+:)?sheet\b[^>]*>", workbook):
        attrs = _attributes(tag)
        if attrs.get("id") in targets:
            names[re.sub(r"[^/]+/\.\./", "", targets[attrs["id"]])] = attrs.get("name", "")
    return names


def _scan_shared(chunks) -> np.ndarray:
    """Byte length of every shared string, in index order."""
    lengths: list[np.ndarray] = []
    for piece in _pieces(chunks, (b"</si>", b":si>")):
        lengths.append(np.array([len(m) for m in _SI.findall(piece)], dtype=np.int64))
    return np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)


def _flag_cells(piece: bytes, scan: SheetScan, name: str) -> None:
    for match in _CELL.finditer(piece):
        attributes, inner = match.group(1), match.group(3) or b""
        ref = _REF_ATTR.search(b" " + attributes)
        if ref is None:
            continue
        key = (int(ref.group(2)) - 1, column_number(ref.group(1).decode()) - 1)
        if b't="e"' in attributes:
            value = _VALUE.search(inner)
            scan.flagged[key] = ("excel_error", (value.group(1) if value else b"#ERROR").decode("utf-8", "replace"))
        else:
            formula = _FORMULA.search(inner)
            value = _VALUE.search(inner)
            if formula is not None and (value is None or not value.group(1).strip()):
                scan.flagged[key] = ("formula", "=" + html.unescape(
                    (formula.group(1) or b"").decode("utf-8", "replace"))[:80])
        if len(scan.flagged) > MAX_FLAGGED:
            raise InputError(name, scan.sheet, message=f"公式没有计算结果或为错误值的单元格超过 {MAX_FLAGGED} 个 / more than "
                                                       f"{MAX_FLAGGED} cells are formulas without a value or errors",
                             expected="在 Excel/WPS 中打开并保存（保存计算结果）/ open and save it in Excel/WPS")


def _positions(piece: bytes, marks: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """(row, column), 1-based, of the cells of ``piece`` that have a reference; the cells found; whether
    every cell is written the plain way.

    The fast way first (every cell written ``<c r="A1" …>``, as Excel, WPS and openpyxl write them:
    plain); the general one (namespace prefixes, attributes in another order) when it does not account
    for every cell. A reference longer than Excel's (``XFD1048576``) gives a row past ``MAX_ROW``.
    """
    refs = _FAST_REF.findall(piece)
    cells = len(refs)
    plain = not marks[_PREFIXED_C] and (cells == marks[_OPEN_C]  # every tag starting <c a plain cell, or every cell
                                        or cells == piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>"))
    if not plain:
        cells, refs = len(_CELL_TAG.findall(piece)), _CELL_REF.findall(piece)
    if not refs:
        return np.zeros((0, 2), dtype=np.int64), cells, plain
    refs = np.array(refs)
    if refs.dtype.itemsize > 10:  # more than 3 letters or 7 digits somewhere
        return np.array([[MAX_ROW + 1, 1]]), cells, plain
    return cell_positions(refs) + 1, cells, plain


def _scan_sheet(chunks, scan: SheetScan, lengths: np.ndarray, name: str, cap: int, meta: SheetMetaReader) -> int:
    """Measure one sheet's XML (filling ``scan``, and ``meta`` from the same pieces); return the bytes of
    shared-string text its cells repeat."""
    shared = 0
    rows = np.zeros(MAX_ROW + 1, dtype=bool)  # which rows hold a cell; freed when the sheet is done
    columns = np.zeros(MAX_COLUMN + 1, dtype=bool)
    for piece in _pieces(chunks, (b"</c>", b":c>", b"</row>", b":row>")):
        if b"<c" not in piece and b":c" not in piece and b"<row" not in piece and b"mergeCell" not in piece:
            if b":row" in piece:
                meta.feed(piece, plain=False)  # prefixed rows without cells: hidden ones count
            continue  # nothing but other elements, text or filler
        marks = _marks(piece)
        found, cells, plain = _positions(piece, marks)
        if len(found):
            if found[:, 0].max() > MAX_ROW or found.min() < 1 or found[:, 1].max() > MAX_COLUMN:
                raise _beyond_excel(name, scan.sheet)
            rows[found[:, 0]] = True
            columns[found[:, 1]] = True
        meta.feed(piece, plain)  # every reference in it is within Excel's range
        scan.cells += cells
        scan.unplaced += max(0, cells - len(found))
        scan.row_elements += piece.count(b"<row") + (len(_ROW_TAG.findall(piece)) if marks[_PREFIXED_R] else 0)
        if b'"s"' in piece and len(lengths):
            indices = np.array(_SHARED.findall(piece))
            if len(indices):
                indices = indices.astype(np.int64)
                shared += int(lengths[indices[indices < len(lengths)]].sum())
        if b"mergeCell" in piece:
            for first_col, first_row, last_col, last_row in _MERGE.findall(piece):
                height = abs(int(last_row or first_row) - int(first_row)) + 1
                width = abs(column_number((last_col or first_col).decode()) - column_number(first_col.decode())) + 1
                scan.merged_area += height * width
        if marks[_OPEN_F] or marks[_PREFIXED_F] or b't="e"' in piece:
            _flag_cells(piece, scan, name)
    filled, columns = np.flatnonzero(rows), np.flatnonzero(columns)
    scan.last_row = int(filled[-1]) if len(filled) else 0
    scan.last_column = int(columns[-1]) if len(columns) else 0
    if scan.unplaced:  # cells without a reference: count rows by element, columns at the widest
        scan.last_row = max(scan.last_row, scan.row_elements)
        scan.last_column = max(scan.last_column, min(MAX_COLUMN, scan.unplaced))
    scan.keep = _plan(scan, filled, columns, name, cap)
    return shared


def _beyond_excel(name: str, sheet: str) -> InputError:
    return InputError(name, sheet, message="单元格位置超出 Excel 的范围（1048576 行 × XFD 列）/ a cell lies beyond what "
                                           "Excel allows", expected="由 Excel 或 WPS 正常保存的工作簿 / a workbook saved "
                                                                    "by Excel or WPS")


def _clusters(numbers: np.ndarray, gap: int) -> list[np.ndarray]:
    if not len(numbers):
        return []
    breaks = np.flatnonzero(np.diff(numbers) > gap) + 1
    return np.split(numbers, breaks)


def _trim(numbers: np.ndarray, gap: int) -> np.ndarray:
    """``numbers`` without the small clusters (:data:`STRAY_SPAN` or fewer) lying beyond a gap after the first."""
    groups = _clusters(numbers, gap)
    kept = [groups[0], *(g for g in groups[1:] if len(g) > STRAY_SPAN)] if groups else []
    return np.concatenate(kept) if kept else numbers


def _plan(scan: SheetScan, rows: np.ndarray, columns: np.ndarray, name: str, cap: int) -> tuple[int, int] | None:
    """None when the sheet's span is fine; else the (last row, last column) to keep once stray cells go.

    Raises the span error when dropping a few far cells does not bring the span under the cap.
    """
    last_row, last_column = scan.last_row, scan.last_column
    if scan.merged_area > cap:
        raise InputError(name, scan.sheet, value=f"{scan.merged_area:,}",
                         message=f"合并单元格的总面积超过 {cap:,} 个单元格 / merged ranges cover more than {cap:,} cells",
                         expected="取消整行整列的合并，或设置 PERFEVAL_MAX_SHEET_CELLS / unmerge whole rows or columns, "
                                  "or raise PERFEVAL_MAX_SHEET_CELLS")
    if last_row * last_column <= cap:
        return None
    if not scan.unplaced:
        columns, rows = _trim(columns, COLUMN_GAP), _trim(rows, ROW_GAP)
        keep = (int(rows.max()) if len(rows) else 0, int(columns.max()) if len(columns) else 0)
        if keep[0] * keep[1] <= cap:
            return keep
    area = f"A1:{cell_name(last_row, last_column)}"
    raise InputError(name, scan.sheet, value=area,
                     message=f"工作表的使用范围 {area} 不合理：{last_row:,} 行 × {last_column:,} 列 = "
                             f"{last_row * last_column:,} 个单元格，超过 {cap:,} / the sheet's used range {area} is "
                             f"implausible: {last_row * last_column:,} cells, more than {cap:,}",
                     expected="删除表格外远处的内容（Ctrl+End 查看）后另存，或设置 PERFEVAL_MAX_SHEET_CELLS / delete "
                              "the far-away content (Ctrl+End shows it) and save, or raise PERFEVAL_MAX_SHEET_CELLS")


def scan_workbook(path: Path, name: str) -> WorkbookScan:
    """Inflate every part of an .xlsx/.xlsm once, streamed, and measure it (see the module docstring).

    Parameters
    ----------
    path : pathlib.Path
        The workbook (a zip, already told apart from OLE2 and text files).
    name : str
        The file's name in messages.

    Returns
    -------
    WorkbookScan
        What the workbook inflates to, each sheet's span and flagged cells, the sheets that need a
        cleaned copy (stray far cells), and each sheet's hidden rows and columns and formatted cells.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        A corrupt or truncated zip (CRC, sizes, a missing ``xl/workbook.xml``); more parts than
        ``PERFEVAL_MAX_ZIP_PARTS``; parts inflating past ``PERFEVAL_MAX_INFLATED_MB`` (whatever their
        declared sizes say); cells repeating more shared-string text than that cap; a sheet spanning
        more than ``PERFEVAL_MAX_SHEET_CELLS`` cells (rows × columns) that is not just a few stray
        cells; merged ranges past that cap; cells beyond Excel's 1048576 × XFD.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
    >>> book = openpyxl.Workbook()
    >>> book.active.append(["全年预算数", "执行率"])
    >>> book.active.append(["=SUM(C1:C9)", "#DIV/0!"])
    >>> book.save(path)
    >>> scan = scan_workbook(path, "budget.xlsx")
    >>> (scan.sheets[0].last_row, scan.sheets[0].last_column), scan.bad_cells()
    ((2, 2), {'Sheet': {(1, 0): ('formula', '=SUM(C1:C9)'), (1, 1): ('excel_error', '#DIV/0!')}})
    """
    members = zip_members(path, name, limit("PERFEVAL_MAX_ZIP_PARTS"))
    by_name = {m.filename: m for m in members}
    if "xl/workbook.xml" not in by_name:
        raise InputError(name, message="工作簿文件已损坏或不完整（缺少 xl/workbook.xml）/ the workbook is corrupt or "
                                       "truncated (no xl/workbook.xml)",
                         expected="重新导出或重新下载该文件 / export or download it again")
    cap = max_bytes("PERFEVAL_MAX_INFLATED_MB")
    budget = Budget(cap, name)
    result = WorkbookScan()
    with open(path, "rb") as handle:
        workbook = _read_small(handle, by_name["xl/workbook.xml"], budget, name)
        rels_member = by_name.get("xl/_rels/workbook.xml.rels")
        rels = _read_small(handle, rels_member, budget, name) if rels_member else b""
        parts = _sheet_parts(workbook, rels)
        parts.update({m: m for m in by_name if m.startswith("xl/worksheets/") and m.endswith(".xml")
                      and m not in parts})
        shared_member = by_name.get("xl/sharedStrings.xml")
        lengths = _scan_shared(inflate(handle, shared_member, budget, name)) if shared_member \
            else np.zeros(0, dtype=np.int64)
        styles_member = by_name.get("xl/styles.xml")
        styles = number_styles(inflate(handle, styles_member, budget, name), name, result.notes) if styles_member \
            else {}
        states = {a.get("name", ""): a.get("state", "visible")  # every sheet's visibility, in the book's order
                  for a in map(_attributes, re.findall(rb"<(?:[\w.-]+:)?sheet\b[^>]*>", workbook))}
        done = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"}
        cells_cap = limit("PERFEVAL_MAX_SHEET_CELLS")
        for part, sheet in parts.items():
            if part not in by_name or part in done:
                continue
            scan, meta = SheetScan(sheet, part), SheetMetaReader(sheet, states.get(sheet, "visible"), styles)
            result.shared_text += _scan_sheet(inflate(handle, by_name[part], budget, name), scan, lengths, name,
                                              cells_cap, meta)
            result.meta[sheet] = meta.finish()
            if result.shared_text > cap:
                raise InputError(name, sheet, value=size_text(result.shared_text),
                                 message=f"单元格引用的共享字符串展开后超过 {size_text(cap)} / the cells repeat more than "
                                         f"{size_text(cap)} of shared text (a bomb of one long string used by many cells)",
                                 expected="正常保存的文件，或设置 PERFEVAL_MAX_INFLATED_MB / a normally saved file, or "
                                          "raise PERFEVAL_MAX_INFLATED_MB")
            done.add(part)
            result.sheets.append(scan)
        for member in members:  # the other parts: measured (and CRC-checked) only
            if member.filename not in done:
                for _ in inflate(handle, member, budget, name):
                    pass
    result.inflated = budget.used
    result.meta = {sheet: SheetMeta(sheet, state) for sheet, state in states.items()} | result.meta  # in book order
    return result


def _shared_texts(handle, member, wanted: set[int], name: str) -> dict[int, str]:
    found: dict[int, str] = {}
    if member is None or not wanted:
        return found
    index = 0
    budget = Budget(max_bytes("PERFEVAL_MAX_INFLATED_MB"), name)
    for piece in _pieces(inflate(handle, member, budget, name), (b"</si>", b":si>")):
        for match in _SI.findall(piece):
            if index in wanted:
                found[index] = html.unescape(b"".join(_TEXT.findall(match)).decode("utf-8", "replace"))
            index += 1
    return found


def _removed_preview(attributes: bytes, inner: bytes) -> tuple[bool, object]:
    """(holds a value, what it shows) of a cell being removed; shared strings resolved later."""
    value = _VALUE.search(inner)
    text = _TEXT.findall(inner)
    if b't="s"' in attributes and value is not None:
        return True, ("shared", int(value.group(1).strip() or 0))
    if text:
        return True, html.unescape(b"".join(text).decode("utf-8", "replace"))
    if value is not None:
        return True, html.unescape(value.group(1).decode("utf-8", "replace"))
    return bool(_FORMULA.search(inner)), None


def write_clean_copy(path: Path, name: str, scan: WorkbookScan, target: Path) -> list[Issue]:
    """Write ``target``: the workbook without the stray cells of :attr:`WorkbookScan.stray`.

    Every other part is copied as it is; in a cleaned sheet, the cells beyond the kept rows and
    columns are removed and the declared dimension set to what is kept. The raw file is only read.

    Parameters
    ----------
    path : pathlib.Path
        The workbook as received.
    name : str
        Its name in messages.
    scan : WorkbookScan
        From :func:`scan_workbook`, with ``stray`` not empty.
    target : pathlib.Path
        Where the cleaned copy goes (a private temporary folder).

    Returns
    -------
    list of perfeval_lib.core.issues.Issue
        A warning (``stray_cell``) for each removed cell that held something, naming the file,
        sheet, cell and what it held; a note for removed empty (formatting-only) cells.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        More than :data:`MAX_STRAY_CELLS` cells with a value would go: that is not stray content,
        and the file is refused with the range it spans.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> book = openpyxl.Workbook(); book.active.append(["单位编码", "年度"]); book.active["XFD1048576"] = " "
    >>> book.save(folder / "b.xlsx")
    >>> scan = scan_workbook(folder / "b.xlsx", "b.xlsx")
    >>> scan.stray
    {'xl/worksheets/sheet1.xml': (1, 2)}
    >>> [(i.code, i.column) for i in write_clean_copy(folder / "b.xlsx", "b.xlsx", scan, folder / "clean.xlsx")]
    [('stray_cell', 'XFD1048576')]
    """
    issues: list[Issue] = []
    members = zip_members(path, name, limit("PERFEVAL_MAX_ZIP_PARTS"))
    sheets = {s.part: s.sheet for s in scan.sheets}
    budget = Budget(max_bytes("PERFEVAL_MAX_INFLATED_MB"), name)
    removed: list[tuple[str, int, int, object]] = []
    with open(path, "rb") as handle, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for member in members:
            with out.open(member.filename, "w") as sink:
                if member.filename not in scan.stray:
                    for chunk in inflate(handle, member, budget, name):
                        sink.write(chunk)
                    continue
                last_row, last_column = scan.stray[member.filename]
                sheet, empty = sheets[member.filename], 0

                def keep_or_drop(match: re.Match) -> bytes:
                    nonlocal empty
                    ref = _REF_ATTR.search(b" " + match.group(1))
                    if ref is None:
                        return match.group(0)
                    row, column = int(ref.group(2)), column_number(ref.group(1).decode())
                    if row <= last_row and column <= last_column:
                        return match.group(0)
                    held, shown = _removed_preview(match.group(1), match.group(3) or b"")
                    if held:
                        removed.append((sheet, row, column, shown))
                    else:
                        empty += 1
                    return b""

                dimension = f"A1:{cell_name(last_row, last_column)}".encode()
                for piece in _pieces(inflate(handle, member, budget, name), (b"</c>", b":c>", b"</row>", b":row>")):
                    piece = _DIMENSION.sub(lambda m: b"<" + m.group(1) + b'dimension ref="' + dimension + b'"/>', piece)
                    sink.write(_CELL.sub(keep_or_drop, piece))
                if empty:
                    issues.append(Issue("info", "stray_cell", f"删除了表格外远处 {empty} 个只有格式的空单元格 / {empty} "
                                                              "formatting-only cells far from the table were dropped",
                                        name, sheet))
        if len(removed) > MAX_STRAY_CELLS:
            sheet, row, column, _ = removed[0]
            scan_of = next(x for x in scan.sheets if x.sheet == sheet)
            area = f"A1:{cell_name(scan_of.last_row, scan_of.last_column)}"
            raise InputError(name, sheet, value=area,
                             message=f"工作表的使用范围 {area} 不合理：表格外远处有 {len(removed)} 个有内容的单元格（如 "
                                     f"{cell_name(row, column)}）/ the sheet's used range {area} is implausible: "
                                     f"{len(removed)} cells far from the table (such as {cell_name(row, column)})",
                             expected="删除表格外远处的内容（Ctrl+End 查看）后另存，或把它们移到表格旁 / delete the far-away "
                                      "content (Ctrl+End shows it) and save, or move it next to the table")
        wanted = {shown[1] for *_, shown in removed if isinstance(shown, tuple)}
        texts = _shared_texts(handle, next((m for m in members if m.filename == "xl/sharedStrings.xml"), None),
                              wanted, name)
    for sheet, row, column, shown in removed:
        value = texts.get(shown[1], "") if isinstance(shown, tuple) else shown
        issues.append(Issue("warning", "stray_cell",
                            "表格外远处的单元格（使工作表的使用范围大得不合理），已忽略 / stray content far from the table "
                            "(it made the sheet's used range implausibly large) was ignored",
                            name, sheet, row, cell_name(row, column), repr(value)[:60] if value is not None else None,
                            "删除该单元格后另存 / delete that cell and save"))
    return issues

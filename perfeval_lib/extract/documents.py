"""Report files → text and tables: .txt, .pdf (its text, or its real tables when it has them) and Word .docx.

A published report reaches us as web text (.txt), as a PDF or as a Word file. :func:`read_document`
gives one :class:`Document` for each: the text in reading order, the pages of a PDF, and the real
tables of a PDF or a Word file as grids of cells. A table's rows are also written into the text, one
line a row with `` | `` between the cells, where the table stands, so that the text readers see
them like the flattened tables of web pages.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     report = Path(folder) / "报告.txt"
...     _ = report.write_text("全年预算数 120万元", encoding="utf-8")
...     doc = read_document(report)
>>> doc.text, doc.pages, doc.grids
('全年预算数 120万元', None, [])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

try:
    import pdfplumber
except ImportError:  # pragma: no cover - pdfplumber is a pinned requirement
    pdfplumber = None
try:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph
except ImportError:  # pragma: no cover - python-docx is a pinned requirement
    docx = None

from ..core.errors import InputError
from ..core.files import decode_csv_bytes
from ..core.isolation import run_isolated
from .limits import check_docx, read_limited, read_pdf

#: File types read (case-insensitive), also when a folder is given.
SUFFIXES = (".txt", ".pdf", ".docx")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Grid:
    """One real table of a PDF or a Word file.

    Attributes
    ----------
    rows : list of list of str
        The cells as shown (``""`` for an empty cell; a merged cell once).
    where : str
        Where the table is: ``表2`` (Word), ``第3页表1`` (PDF).
    """

    rows: list[list[str]]
    where: str


@dataclass
class Document:
    """What a report file holds, as read.

    Attributes
    ----------
    text : str
        The text in reading order (a table's rows as `` | ``-separated lines).
    pages : list of str or None
        The text of each page of a PDF; ``None`` otherwise.
    grids : list of Grid
        The real tables (PDF tables found by pdfplumber, Word tables).
    kind : str
        ``"txt"``, ``"pdf"`` or ``"docx"``.
    cid : int
        How many ``(cid:…)`` glyphs the text layer had (a font without a Unicode map: OCR needed).
    """

    text: str
    pages: list[str] | None = None
    grids: list[Grid] = field(default_factory=list)
    kind: str = "txt"
    cid: int = 0


def _cell(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _row_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _read_docx(path: Path, name: str) -> Document:
    if docx is None:  # pragma: no cover - python-docx is a pinned requirement
        raise InputError(name, message="未安装 python-docx，无法读取 Word 文件 / python-docx is not installed")
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many types for a broken or non-Word file
        raise InputError(name, message=f"Word 文件无法读取 / unreadable .docx ({type(error).__name__}: {error})",
                         expected="Word 2007 及以后的 .docx 文件 / a .docx file") from error
    lines: list[str] = []
    grids: list[Grid] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(DocxParagraph(element, document).text)
        elif tag == "tbl":
            table = DocxTable(element, document)
            rows = []
            for row in table.rows:
                seen, cells = set(), []
                for cell in row.cells:                       # a merged cell comes back once per column
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_cell(cell.text))
                rows.append(cells)
            grids.append(Grid(rows, f"表{len(grids) + 1}"))
            lines.extend(_row_line(cells) for cells in rows)
    return Document("\n".join(lines), None, grids, "docx")


def _pdf_page(page, number: int, grids: list[Grid]) -> str:
    """One page's text in reading order, its real tables (ruled cells) as `` | `` lines where they stand."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    if not tables:
        return page.extract_text() or ""
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    items = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
    for index, table in enumerate(tables, 1):
        rows = [[_cell(c) for c in row] for row in table.extract()]
        grids.append(Grid(rows, f"第{number}页表{index}"))
        items.append((table.bbox[1], "\n".join(_row_line(r) for r in rows)))
    return "\n".join(text for _, text in sorted(items, key=lambda item: item[0]))


def _read_pdf(path: Path, name: str) -> Document:
    if pdfplumber is None:  # pragma: no cover - pdfplumber is a pinned requirement
        raise InputError(name, message="未安装 pdfplumber，无法读取 PDF / pdfplumber is not installed")
    grids: list[Grid] = []
    try:
        with pdfplumber.open(path) as pdf:
            # dedupe_chars: "bold" CJK is often printed twice, one glyph on top of the other
            pages = [_pdf_page(page.dedupe_chars(), number, grids) for number, page in enumerate(pdf.pages, 1)]
    except Exception as error:  # pdfminer raises many types for broken, encrypted or non-PDF files
        raise InputError(name, message=f"PDF 无法读取 / unreadable PDF ({type(error).__name__}: {error})") from error
    if not "".join(pages).strip():
        raise InputError(name, message="PDF 没有文字层（可能是扫描件，需先 OCR） / the PDF has no text layer "
                                       "(a scan? run OCR first)")
    text = "\n".join(pages)
    return Document(text, pages, grids, "pdf", len(_CID.findall(text)))


def read_document(path: str | Path) -> Document:
    """Read a .txt (UTF-8, UTF-8 with BOM, GBK/GB18030), .pdf or Word .docx report.

    Parameters
    ----------
    path : str or Path
        The file (its suffix in any case decides how it is read).

    Returns
    -------
    Document
        The text in reading order, the pages (PDF), the real tables (PDF, Word) and the count of
        undecodable ``(cid:…)`` glyphs.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        When the file is missing, not a regular file, of another type, undecodable, a PDF or Word file
        that cannot be read, a PDF without a text layer (a scan), or past a limit of
        :mod:`perfeval_lib.extract.limits` (size, pages, inflated streams or parts, memory, time). The
        message names the file.
    OSError
        When the file exists but cannot be read.

    Examples
    --------
    >>> read_document("no/such/report.docx")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: no/such/report.docx: 文件不存在 / file not found
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(name, message="文件不存在 / file not found")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text, _ = decode_csv_bytes(read_limited(path, name), name)  # a regular file within the size cap
        return Document(text, None, [], "txt", len(_CID.findall(text)))
    if suffix == ".pdf":
        return read_pdf(path, name, _read_pdf)  # limits: size, pages, inflated streams, memory, time (limits.py)
    if suffix == ".docx":
        check_docx(path, name)  # a regular file; parts measured as they really inflate (limits.py)
        return run_isolated(_read_docx, path, name, file=name)
    raise InputError(name, message=f"不支持的文件类型 {suffix or '（无后缀）'} / unsupported file type",
                     expected=".txt、.pdf 或 .docx / a .txt, .pdf or .docx file")


def read_report_text(path: str | Path) -> tuple[str, list[str] | None]:
    """The text of a report file and its pages (PDF): :func:`read_document` without the tables.

    Parameters
    ----------
    path : str or Path
        A ``.txt``, ``.pdf`` or ``.docx`` file.

    Returns
    -------
    text : str
        The whole text.
    pages : list of str or None
        The text of each page of a PDF; ``None`` otherwise.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        As :func:`read_document`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     report = Path(folder) / "报告.txt"
    ...     _ = report.write_bytes("全年预算数 120万元".encode("gbk"))
    ...     read_report_text(report)
    ('全年预算数 120万元', None)
    """
    document = read_document(path)
    return document.text, document.pages

"""Report text → clean lines: characters normalised, page marks gone, spaces between characters undone.

PDF text and copied text come with full-width digits and signs, Kangxi radicals, odd spaces, page
marks (``— 1 —``, ``- 2 -``, ``第 3 页``), letter-spacing (``全 年 预 算 数``) and lines broken
anywhere, even inside a number (``507.\\n02``). :func:`clean_lines` undoes the characters, the marks
and the spacing line by line; :func:`join_pair` glues broken lines back together;
:func:`read_report_text` reads a .txt or .pdf file.

Examples
--------
>>> lines = clean_lines("— 1 —\\n全 年 预 算 数 ５０７．\\n第 2 页\\n０２ 万元")
>>> lines
['全年预算数507.', '02万元']
>>> join_pair(*lines)
'全年预算数507.02万元'
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

try:
    import pdfplumber
except ImportError:  # pragma: no cover - pdfplumber is a pinned requirement
    pdfplumber = None

from ..core.errors import InputError
from ..core.files import decode_csv_bytes
from .limits import read_limited, read_pdf
from .tables import is_table_line

#: The CJK ideographs, as a range for a regular-expression character class.
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—–―…·《》「」『』【】"


def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),  # full-width digits and letters
              (0x2F00, 0x2FD5), (0x2E80, 0x2EF3),                      # Kangxi radicals, radicals supplement
              (0xF900, 0xFAFF)]                                          # CJK compatibility ideographs
    for low, high in ranges:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code) and len(folded) == 1:
                table[code] = folded
    table.update({ord("．"): ".", ord("％"): "%", ord("﹪"): "%", ord("﹒"): ".", ord("＋"): "+",
                  ord("－"): "-", ord("／"): "/", ord("\u3000"): " ", ord("\u00a0"): " ", ord("\t"): " ",
                  ord("\u200b"): "", ord("\u200c"): "", ord("\u200d"): "", ord("\u2060"): "", ord("\ufeff"): "",
                  ord("\u00ad"): ""})
    for code in range(0x2000, 0x200B):
        table[code] = " "
    return table


_CHARS = _char_table()

_PAGE_MARK_RES = [
    re.compile(r"^[—–―\-~·•]+\s*\d{1,4}\s*[—–―\-~·•]+$"),          # — 1 —   - 2 -
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),  # 第 3 页 / 第3页 共10页
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),                              # 3/10
]
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_CHINESE_YEAR = re.compile(r"([〇○零一二][〇○零一二三四五六七八九]{3})(?=\s*年)")
_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_INLINE_PAGE_MARK = re.compile(r"[—–―]{1,2}\s*\d{1,4}\s*[—–―]{1,2}")


def is_page_mark(line: str) -> bool:
    """Whether a whole line is a page mark: ``— 1 —``, ``- 2 -``, ``第 3 页``, ``共10页 第3页``, ``Page 3``, ``3/10``.

    Parameters
    ----------
    line : str
        One line, stripped.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_page_mark("— 12 —"), is_page_mark("第3页 共10页"), is_page_mark("12")
    (True, True, False)
    """
    return any(pattern.match(line) for pattern in _PAGE_MARK_RES)


def _despace(line: str) -> str:
    """Remove the spaces PDF text puts between characters; keep those between two plain numbers."""
    line = line.strip()
    tokens = line.split()
    if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.6 * len(tokens):
        return "".join(tokens)                                  # 全 年 预 算 数 5 0 7 . 0 2 万 元
    line = re.sub(rf"(?<=[{CJK}{_CJK_PUNCT}])\s+|\s+(?=[{CJK}{_CJK_PUNCT}])", "", line)
    line = re.sub(r"(?<=\d)\s+(?=\.\d)|(?<=\d\.)\s+(?=\d)|(?<=\d)\s+(?=%)", "", line)  # 507 .02, 507. 02, 100 %
    line = re.sub(r"(?<=\d[,，])\s+(?=\d{3}(?!\d))", "", line)                        # 5,070, 200
    return re.sub(r"\s{2,}", " ", line)


def _strip_page_edges(lines: list[str]) -> list[str]:
    """Drop page marks and bare page numbers at the top and bottom of one page."""
    while lines and (is_page_mark(lines[0]) or _BARE_NUMBER.match(lines[0])):
        lines = lines[1:]
    while lines and (is_page_mark(lines[-1]) or _BARE_NUMBER.match(lines[-1])):
        lines = lines[:-1]
    return lines


def clean_lines(text: str, pages: list[str] | None = None) -> list[str]:
    """The report's non-empty lines, normalised, without page marks, spaces between characters undone.

    A table line (a header of labels or a row of numbers, see
    :func:`perfeval_lib.extract.tables.is_table_line`) keeps one space between its cells; a bare short
    number with no number-ish context either side is taken for a page number and dropped.

    Parameters
    ----------
    text : str
        The whole report; a form feed (``\\f``) separates pages.
    pages : list of str, optional
        The text of each page (as from a PDF): bare page numbers at a page's top or bottom go too.
        When given, ``text`` is not read.

    Returns
    -------
    list of str
        The lines, in order, none empty.

    Examples
    --------
    >>> clean_lines("— 1 —\\n全 年 预 算 数 ５０７．０２ 万元\\n第 2 页\\n执行数")
    ['全年预算数507.02万元', '执行数']
    """
    out = [re.sub(r"\s+", " ", line) if is_table_line(line) else _despace(line)
           for line in page_lines(text, pages)]
    return [line for i, line in enumerate(out) if not _is_stray_page_number(out, i)]


def page_lines(text: str, pages: list[str] | None) -> list[str]:
    """Normalised non-empty lines without page marks (spaces still as in the source).

    The first step of :func:`clean_lines`; tables are read from these lines, where the cells are
    still apart.

    Parameters
    ----------
    text : str
        The whole report; a form feed (``\\f``) separates pages.
    pages : list of str or None
        The text of each page, or ``None`` (then ``text`` is split at form feeds).

    Returns
    -------
    list of str
        The lines, stripped, in order, none empty; years written ``二〇二二年`` become ``2022年``.

    Examples
    --------
    >>> page_lines("二〇二二年 预算\\n- 2 -\\n合计  480.00  507.02", None)
    ['2022年 预算', '合计  480.00  507.02']
    """
    paged = pages is not None
    if pages is None:
        pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
        paged = len(pages) > 1
    out: list[str] = []
    for page in pages:
        page = page.translate(_CHARS).replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.strip() for line in page.split("\n")]
        lines = [line for line in lines if line]
        if paged:
            lines = _strip_page_edges(lines)
        for line in lines:
            if is_page_mark(line):
                continue
            line = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_YEAR_DIGITS), line)
            line = _INLINE_PAGE_MARK.sub("", line).strip()
            if line:
                out.append(line)
    return out


def _is_stray_page_number(lines: list[str], i: int) -> bool:
    """A line that is only a short number, with no number-ish context either side: a page number."""
    if not _BARE_NUMBER.match(lines[i]):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    if re.search(r"[\d.,，:：为是达约共计]$", before):
        return False
    return not re.match(r"[\d.,，%万元亿千分名个项次人年月日]", after)


def join_pair(left: str, right: str) -> str:
    """Glue the next line on: nothing between Chinese text or the pieces of a broken number.

    A line ending a sentence (``。；！？``) keeps its line break; two whole numbers with decimals
    (a table's cells) and two Latin words keep a space between them.

    Parameters
    ----------
    left : str
        The text so far (``""`` for none).
    right : str
        The next line.

    Returns
    -------
    str
        ``left`` and ``right`` joined.

    Examples
    --------
    >>> join_pair("全年预算数507.", "02万元"), join_pair("执行率100%。", "自评得分")
    ('全年预算数507.02万元', '执行率100%。\\n自评得分')
    >>> join_pair("507.02", "500.00")
    '507.02 500.00'
    """
    if not left:
        return right
    if left[-1] in "。！？；!?;":
        return left + "\n" + right
    if left[-1].isdigit() and right[:1].isdigit():
        # "507.02\n507.02" (a table's cells) stays two numbers; "5\n07.02", "507.0\n2" are one
        if re.search(r"\d\.\d{2,}$", left) and re.match(r"\d+\.\d", right):
            return left + " " + right
        return left + right
    if left[-1].isascii() and left[-1].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right


def pdf_pages(path: Path, name: str) -> list[str]:
    """The text of each page of a PDF (pdfplumber, doubled "bold" glyphs removed).

    Called through :func:`perfeval_lib.extract.limits.read_pdf` (in a child process, within limits).

    Parameters
    ----------
    path : pathlib.Path
        The PDF.
    name : str
        Its name in messages.

    Returns
    -------
    list of str
        One text per page (``''`` for a page without text).

    Raises
    ------
    perfeval_lib.core.errors.InputError
        pdfplumber is missing, or the file is not a readable PDF.

    Examples
    --------
    >>> pdf_pages(Path(__file__), "text.py")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: text.py: PDF 无法读取 / unreadable PDF (...)
    """
    if pdfplumber is None:  # pragma: no cover - pdfplumber is a pinned requirement
        raise InputError(name, message="未安装 pdfplumber，无法读取 PDF / pdfplumber is not installed")
    try:
        with pdfplumber.open(path) as pdf:
            # dedupe_chars: "bold" CJK is often printed twice, one glyph on top of the other
            return [page.dedupe_chars().extract_text() or "" for page in pdf.pages]
    except Exception as error:  # pdfminer raises many types for broken, encrypted or non-PDF files
        raise InputError(name, message=f"PDF 无法读取 / unreadable PDF ({type(error).__name__}: {error})") from None


def read_report_text(path: str | Path) -> tuple[str, list[str] | None]:
    """The text of a .txt (UTF-8, UTF-8 with BOM, GBK/GB18030) or .pdf report, and its pages (PDF).

    Parameters
    ----------
    path : str or Path
        A ``.txt`` or ``.pdf`` file (the suffix in any case).

    Returns
    -------
    text : str
        The whole text (a PDF's pages joined with line breaks).
    pages : list of str or None
        The text of each page of a PDF (read with pdfplumber, doubled "bold" glyphs removed);
        ``None`` for a .txt.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        When the file is missing, not a regular file, over ``PERFEVAL_MAX_INPUT_MB``, of another type,
        undecodable, or a PDF that cannot be read, has no text layer (a scan), or passes a limit of
        :mod:`perfeval_lib.extract.limits` (pages, inflated streams, memory, time).
    OSError
        When the file exists but cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     report = Path(folder) / "报告.txt"
    ...     _ = report.write_bytes("全年预算数 120万元".encode("gbk"))
    ...     read_report_text(report)
    ('全年预算数 120万元', None)
    >>> read_report_text("no/such/report.pdf")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: no/such/report.pdf: 文件不存在 / file not found
    """

    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(name, message="文件不存在 / file not found")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text, _ = decode_csv_bytes(read_limited(path, name), name)
        return text, None
    if suffix != ".pdf":
        raise InputError(name, message=f"不支持的文件类型 {suffix or '（无后缀）'} / unsupported file type",
                         expected=".txt 或 .pdf / a .txt or .pdf file")
    pages = read_pdf(path, name, pdf_pages)  # limits: size, pages, inflated streams, memory, time (limits.py)
    if not "".join(pages).strip():
        raise InputError(name, message="PDF 没有文字层（可能是扫描件，需先 OCR） / the PDF has no text layer "
                                       "(a scan? run OCR first)")
    return "\n".join(pages), pages

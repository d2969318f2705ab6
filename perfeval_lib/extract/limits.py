"""Limits for reading published reports: size, pages, inflated streams, memory and time.

A report to extract comes from anywhere, and PDF is a format of compressed streams and page trees:
a 1 MB PDF can declare 100,000 pages (pdfplumber then takes minutes and gigabytes), a Flate stream
can inflate to gigabytes, a .docx is a zip that can be a bomb. Before a PDF is parsed,
:func:`read_pdf` checks that it is a regular file within ``PERFEVAL_MAX_INPUT_MB``, measures what
its compressed streams inflate to (``PERFEVAL_MAX_INFLATED_MB``, streamed, stopping at the cap) and
counts its pages as pdfminer walks them (``PERFEVAL_MAX_PDF_PAGES``, stopping at the cap); the
parsing itself runs in a child process limited to ``PERFEVAL_PARSE_MEMORY_MB`` of memory and
``PERFEVAL_PARSE_TIMEOUT`` seconds. Every refusal is an
:class:`~perfeval_lib.core.errors.InputError` naming the file and the cap.

Examples
--------
>>> import pathlib, tempfile
>>> report = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
>>> _ = report.write_bytes("全年预算数 120万元".encode("utf-8"))
>>> read_limited(report, "报告.txt").decode("utf-8")
'全年预算数 120万元'
"""
from __future__ import annotations

import itertools
import mmap
import re
import stat
import zlib
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from ..core.archive import Budget, inflate, size_text, zip_members
from ..core.errors import InputError
from ..core.isolation import run_isolated
from ..core.limits import limit, max_bytes

_STREAM = re.compile(rb"stream\r?\n")


def check_file(path: Path, name: str) -> int:
    """A report file's size, refused when it is not a regular file or over ``PERFEVAL_MAX_INPUT_MB``.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        Its name in messages.

    Returns
    -------
    int
        Its size in bytes.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        Not a regular file (a folder, a FIFO that would never end, a device such as /dev/zero), or
        too large.

    Examples
    --------
    >>> check_file(Path("/dev/zero"), "报告.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: 报告.pdf: 不是普通文件（文件夹、管道或设备），未读取 / not a regular file ...
    """
    info = Path(path).stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, message="不是普通文件（文件夹、管道或设备），未读取 / not a regular file (a folder, a pipe "
                                       "or a device): not read", expected="一个报告文件 / a report file")
    cap = max_bytes("PERFEVAL_MAX_INPUT_MB")
    if info.st_size > cap:
        raise InputError(name, value=size_text(info.st_size),
                         message=f"文件超过大小上限 {size_text(cap)} / the file is larger than the {size_text(cap)} limit",
                         expected="设置 PERFEVAL_MAX_INPUT_MB 提高上限 / raise PERFEVAL_MAX_INPUT_MB")
    return info.st_size


def read_limited(path: Path, name: str) -> bytes:
    """The bytes of a report file after :func:`check_file` (never more than the cap, even if it grows).

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        Its name in messages.

    Returns
    -------
    bytes
        The whole file.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        As :func:`check_file`.

    Examples
    --------
    >>> read_limited(Path("/dev/null"), "空.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: 空.txt: 不是普通文件（文件夹、管道或设备），未读取 / ...
    """
    check_file(path, name)
    with open(path, "rb") as handle:
        data = handle.read(max_bytes("PERFEVAL_MAX_INPUT_MB") + 1)
    if len(data) > max_bytes("PERFEVAL_MAX_INPUT_MB"):
        raise InputError(name, message="文件超过大小上限 / the file is larger than the limit")
    return data


def inflated_streams(path: Path, name: str) -> int:
    """What a PDF's Flate streams inflate to, measured stream by stream, stopping at the cap.

    Every ``stream`` keyword is tried as the start of zlib data and inflated in 1 MB steps until
    the data ends or stops being zlib (images, encrypted streams); nothing is kept.

    Parameters
    ----------
    path : pathlib.Path
        The PDF.
    name : str
        Its name in messages.

    Returns
    -------
    int
        Bytes the streams inflate to.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        They inflate past ``PERFEVAL_MAX_INFLATED_MB`` (a Flate bomb).

    Examples
    --------
    >>> import pathlib, tempfile, zlib
    >>> pdf = pathlib.Path(tempfile.mkdtemp()) / "r.pdf"
    >>> _ = pdf.write_bytes(b"%PDF-1.4\\n1 0 obj<</Length 9>>stream\\n" + zlib.compress(b"x" * 5000) + b"\\nendstream")
    >>> inflated_streams(pdf, "r.pdf")
    5000
    """
    budget = Budget(max_bytes("PERFEVAL_MAX_INFLATED_MB"), name, "PDF 的压缩流解压后 / the PDF's compressed streams "
                                                                "inflate")
    if Path(path).stat().st_size == 0:
        return 0
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _STREAM.finditer(data):
            inflater = zlib.decompressobj()
            position = match.end()
            try:
                while not inflater.eof:
                    chunk = inflater.unconsumed_tail
                    if not chunk and position < len(data):
                        chunk = data[position:position + (1 << 18)]
                        position += len(chunk)
                    out = inflater.decompress(chunk, 1 << 20)  # b"" at the end: what is still pending
                    if out:
                        budget.spend(len(out), f"offset {match.start()}")
                    elif not chunk:
                        break
            except zlib.error:
                continue
    return budget.used


def count_pages(path: Path, name: str) -> int:
    """The pages of a PDF as pdfminer walks its page tree, refused past ``PERFEVAL_MAX_PDF_PAGES``.

    The walk stops at the cap: a PDF declaring a million pages costs what the cap allows, not more.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        More pages than the cap, or not a readable PDF.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> pdf = pathlib.Path(tempfile.mkdtemp()) / "r.pdf"
    >>> _ = pdf.write_bytes(b"%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\\n"
    ...                     b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\\n"
    ...                     b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\\n"
    ...                     b"trailer<</Root 1 0 R>>\\n%%EOF\\n")
    >>> count_pages(pdf, "r.pdf")
    1
    """
    cap = limit("PERFEVAL_MAX_PDF_PAGES")
    try:
        with open(path, "rb") as handle:
            document = PDFDocument(PDFParser(handle))
            pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(document), cap + 1))
    except (MemoryError, RecursionError):
        raise
    except Exception as error:  # pdfminer raises many types for broken, encrypted or non-PDF files
        raise InputError(name, message=f"PDF 无法读取 / unreadable PDF ({type(error).__name__}: {error})") from None
    if pages > cap:
        raise InputError(name, value=f"> {cap}",
                         message=f"PDF 超过 {cap} 页 / the PDF has more than {cap} pages",
                         expected="只提取报告本身，或设置 PERFEVAL_MAX_PDF_PAGES 提高上限 / extract the report alone, or "
                                  "raise PERFEVAL_MAX_PDF_PAGES")
    return pages


def _checked_read(path: Path, name: str, reader):
    inflated_streams(path, name)
    count_pages(path, name)
    return reader(path, name)


def read_pdf(path: str | Path, name: str, reader):
    """Read a PDF with ``reader(path, name)`` within every limit of this module.

    Parameters
    ----------
    path : str or pathlib.Path
        The PDF.
    name : str
        Its name in messages.
    reader : callable
        A module-level function ``reader(path, name)`` returning something picklable (the document
        read); it runs in the child process after the checks.

    Returns
    -------
    object
        What ``reader`` returned.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        Not a regular file, over ``PERFEVAL_MAX_INPUT_MB``, streams inflating past
        ``PERFEVAL_MAX_INFLATED_MB``, more than ``PERFEVAL_MAX_PDF_PAGES`` pages, parsing past
        ``PERFEVAL_PARSE_MEMORY_MB`` or ``PERFEVAL_PARSE_TIMEOUT``, or the parser crashing; or what
        ``reader`` raises.

    Examples
    --------
    >>> from perfeval_lib.extract.documents import _read_pdf
    >>> read_pdf("报告.pdf", "报告.pdf", _read_pdf).pages              # doctest: +SKIP
    ['2022年度部门整体支出绩效自评报告 …', …]
    """
    path = Path(path)
    check_file(path, name)
    return run_isolated(_checked_read, path, name, reader, file=name)


def check_docx(path: str | Path, name: str) -> None:
    """Check a Word report (a zip) before it is parsed: size, parts, what they really inflate to.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        As :func:`check_file`; more parts than ``PERFEVAL_MAX_ZIP_PARTS``; parts inflating past
        ``PERFEVAL_MAX_INFLATED_MB`` (measured, whatever they declare); a corrupt zip.

    Examples
    --------
    >>> import pathlib, tempfile, zipfile
    >>> docx = pathlib.Path(tempfile.mkdtemp()) / "报告.docx"
    >>> with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as archive:
    ...     archive.writestr("word/document.xml", "<w:document/>")
    >>> check_docx(docx, "报告.docx")
    """
    path = Path(path)
    check_file(path, name)
    label = "Word 文件 / the Word file"
    members = zip_members(path, name, limit("PERFEVAL_MAX_ZIP_PARTS"), label)
    budget = Budget(max_bytes("PERFEVAL_MAX_INFLATED_MB"), name, label=label)
    with open(path, "rb") as handle:
        for member in members:
            for _ in inflate(handle, member, budget, name):
                pass

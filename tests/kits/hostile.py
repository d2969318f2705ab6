"""Hostile inputs built at test time: small files that inflate, span or nest far beyond what they look like.

Every builder writes invented data. The bombs are made without ever holding what they inflate to: a
deflate segment ending with a full flush is independent of the ones before it, so one compressed
megabyte of filler repeated N times is a valid stream of N megabytes.
"""
from __future__ import annotations

import csv
import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

from perfeval_lib.batch.ingest_run import run_ingest

from .paths import ROOT
from .project import make_project

BUDGET_HEADER = ["单位编码", "年度", "支出类别", "资金来源", "全年预算数（万元）", "全年执行数（万元）"]
MB = 1024 * 1024
#: 64 bytes of XML comment: a filler whose length divides 1 MB.
COMMENT = b"<!--" + b"x" * 57 + b"-->"

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                  'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                  '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                  'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
                  'formats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                  '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="预算执行情况" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                  'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                  'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                  'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                  'Target="sharedStrings.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><sheetData>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def budget_rows_xml(rows: list[list]) -> str:
    """The header and ``rows`` as <row> elements (inline strings)."""
    out = []
    for r, values in enumerate([BUDGET_HEADER, *rows], start=1):
        cells = "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def write_workbook(path: Path, sheet_xml: bytes | str, shared: str = "<sst xmlns=\"http://schemas.openxmlformats.org/"
                   "spreadsheetml/2006/main\"/>", extra: dict | None = None) -> Path:
    """A minimal valid .xlsx with one sheet (``预算执行情况``) holding ``sheet_xml`` as its whole part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/sharedStrings.xml", shared)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return path


def good_budget_workbook(path: Path, code: str = "G01") -> Path:
    """A small well-formed budget workbook (one unit, 100.00 / 95.00 万元)."""
    rows = budget_rows_xml([[code, 2023, "基本支出", "财政拨款", 100, 95]])
    return write_workbook(path, _SHEET_HEAD + rows + "</sheetData></worksheet>")


def shared_string_bomb(path: Path, cells: int = 20_000, length: int = 20_000) -> Path:
    """One shared string of ``length`` characters used by ``cells`` cells: ~40 KB on disk, 400 MB of text."""
    sheet = [_SHEET_HEAD, budget_rows_xml([["B01", 2023, "基本支出", "财政拨款", 100, 95]])]
    sheet += [f'<row r="{r}"><c r="G{r}" t="s"><v>0</v></c></row>' for r in range(3, 3 + cells)]
    sheet.append("</sheetData></worksheet>")
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              f"<si><t>{'说明' * (length // 2)}</t></si></sst>")
    return write_workbook(path, "".join(sheet), shared)


def _filler_stream(filler: bytes, megabytes: int) -> bytes:
    """Non-final deflate segments making ``megabytes`` MB of ``filler`` (its length divides 1 MB)."""
    assert MB % len(filler) == 0, "the filler's length must divide 1 MB"
    segment = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = segment.compress(filler * (MB // len(filler))) + segment.flush(zlib.Z_FULL_FLUSH)
    return piece * megabytes


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib's crc32_combine, which Python's zlib lacks)."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def crc32_repeated(block: bytes, times: int) -> int:
    """The CRC-32 of ``block`` repeated ``times`` times, without building it."""
    result, result_length = 0, 0
    power, power_length = zlib.crc32(block), len(block)
    while times:
        if times & 1:
            result, result_length = crc32_combine(result, power, power_length), result_length + power_length
        power, power_length = crc32_combine(power, power, power_length), power_length * 2
        times >>= 1
    return result


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of (name, raw deflate data, declared size, CRC-32) members, written by hand (sizes may lie)."""
    with open(path, "wb") as out:
        entries = []
        for name, data, size, crc in members:
            encoded = name.encode()
            entries.append((encoded, out.tell(), crc, len(data), size))
            out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 33, crc, len(data), size,
                                  len(encoded), 0) + encoded + data)
        directory = out.tell()
        for encoded, offset, crc, compressed, size in entries:
            out.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, 33, crc, compressed, size,
                                  len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        end = out.tell()
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), end - directory,
                              directory, 0))


def _deflate(data: bytes, final: bool = True) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def filler_bomb(path: Path, filler: bytes, megabytes: int, declared_size: int | None = None) -> Path:
    """A budget workbook whose sheet holds ``megabytes`` MB of ``filler`` (whitespace, XML comments) inside
    its sheetData: about 1 KB on disk per inflated MB, a valid zip (true size and CRC-32, under 4 GB) that
    Python's zipfile tests clean — unless ``declared_size`` makes the directory lie about the size."""
    good_budget_workbook(path, "W01")
    with zipfile.ZipFile(path) as old:
        members = [(i.filename, _deflate(old.read(i.filename)), i.file_size, i.CRC) for i in old.infolist()
                   if i.filename != "xl/worksheets/sheet1.xml"]
    head = (_SHEET_HEAD + budget_rows_xml([["W01", 2023, "基本支出", "财政拨款", 100, 95]])).encode()
    tail = b"</sheetData></worksheet>"
    block = filler * (MB // len(filler))
    data = _deflate(head, final=False) + _filler_stream(filler, megabytes) + _deflate(tail)
    size = len(head) + megabytes * MB + len(tail)
    crc = crc32_combine(crc32_combine(zlib.crc32(head), crc32_repeated(block, megabytes), megabytes * MB),
                        zlib.crc32(tail), len(tail))
    members.append(("xl/worksheets/sheet1.xml", data, size if declared_size is None else declared_size, crc))
    _write_zip(path, members)
    return path


def stray_cell_workbook(path: Path, far: str = "XFD1048576", value: str = " ") -> Path:
    """Two budget lines of unit S02 (122.50 / 121.30 万元) and one stray cell far away."""
    rows = budget_rows_xml([["S02", 2023, "基本支出", "财政拨款", 90.5, 90.1],
                            ["S02", 2023, "项目支出", "财政拨款", 32, 31.2]])
    row = "".join(ch for ch in far if ch.isdigit())
    sheet = (_SHEET_HEAD.replace("<sheetData>", f'<dimension ref="A1:{far}"/><sheetData>') + rows
             + f'<row r="{row}">{_cell(far, value)}</row></sheetData></worksheet>')
    return write_workbook(path, sheet)


def merged_bomb(path: Path) -> Path:
    """A budget sheet with one merged range over the whole sheet (openpyxl would create 17 billion cells)."""
    rows = budget_rows_xml([["M01", 2023, "基本支出", "财政拨款", 100, 95]])
    sheet = (_SHEET_HEAD + rows + '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
             "</worksheet>")
    return write_workbook(path, sheet)


def many_parts_workbook(path: Path, parts: int) -> Path:
    """A budget workbook padded with ``parts`` tiny extra members."""
    rows = budget_rows_xml([["P01", 2023, "基本支出", "财政拨款", 100, 95]])
    return write_workbook(path, _SHEET_HEAD + rows + "</sheetData></worksheet>",
                          extra={f"xl/media/pad{i}.bin": b"" for i in range(parts)})


def run_capped(args: list[str], cwd: Path, env: dict | None = None, memory_gb: float = 4.0,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m perfeval_lib.cli …`` in a subprocess with an address-space limit, a timeout, its output kept."""
    def limit() -> None:
        cap = int(memory_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "perfeval_lib.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (bodies numbered from 1; object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def many_pages_pdf(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` empty pages (2,000 pages: 200 KB; 100,000 pages: 10 MB)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages
    path.write_bytes(pdf_bytes(objects))
    return path


def flate_bomb_pdf(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of spaces (~1 KB on disk per MB).

    The zlib checksum is right up to 64 MB (a complete stream); a bigger bomb is refused long before it.
    """
    checksum = 1
    if megabytes <= 64:
        for _ in range(megabytes):
            checksum = zlib.adler32(b" " * MB, checksum)
    data = (b"\x78\xda" + _filler_stream(b" ", megabytes) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
            + struct.pack(">L", checksum if megabytes <= 64 else 0))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    path.write_bytes(pdf_bytes(objects))
    return path


def hostile_project(base: Path, raw: Path, monkeypatch) -> dict[str, Path]:
    """A temporary project over ``raw`` (rulesets and measures copied), the environment pointing at it, ingested."""
    folders = make_project(base, raw)
    for name, key in (("PERFEVAL_PROCESSED", "processed"), ("PERFEVAL_REPORTS", "reports"),
                      ("PERFEVAL_PARAMS", "params"), ("PERFEVAL_RAW", "raw")):
        monkeypatch.setenv(name, str(folders[key]))
    run_ingest(folders["raw"], folders["processed"])
    return folders


def live_formulas(path: Path) -> list[str]:
    """Every cell of a CSV that Excel or WPS would run as a formula (text starting with = + - @ tab CR)."""
    found = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
                    try:
                        float(cell.rstrip("%"))
                    except ValueError:
                        found.append(cell)
    return found

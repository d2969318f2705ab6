"""Zip archives (.xlsx, .docx) inflated once, streamed, measured as they really inflate.

A zip member declares its size, but the declaration can lie, and a few kilobytes can inflate to
gigabytes. :func:`zip_members` reads the archive's directory after checking how many members it
says it holds; :func:`inflate` yields a member's bytes chunk by chunk, counting what the compressed
data really inflates to (not what the directory says) against a :class:`Budget` shared by the whole
archive, and checks the CRC and the declared size at the end. Nothing is ever held whole in memory.

Examples
--------
>>> import io, tempfile, zipfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.xlsx"
>>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
...     archive.writestr("xl/workbook.xml", "<workbook/>" * 1000)
>>> budget = Budget(1_000_000, "book.xlsx")
>>> members = zip_members(path, "book.xlsx", 100)
>>> with open(path, "rb") as handle:
...     sum(len(chunk) for chunk in inflate(handle, members[0], budget, "book.xlsx"))
11000
>>> budget.used
11000
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

#: Bytes read from disk, and inflated, per step.
CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def _corrupt(name: str, detail: str, label: str = "工作簿文件 / the workbook") -> InputError:
    zh, en = label.split(" / ")
    return InputError(name, message=f"{zh}已损坏或不完整（{detail}）/ {en} is corrupt or truncated ({detail})",
                      expected="重新导出或重新下载该文件 / export or download it again")


class Budget:
    """How many bytes an archive may still inflate to; every chunk inflated is counted against it.

    Parameters
    ----------
    limit : int
        Bytes (``PERFEVAL_MAX_INFLATED_MB`` × 1024²).
    file : str
        The file's name in messages.
    what : str
        What is inflated, for the message (Chinese / English).
    label : str
        What the file is, for messages about a corrupt member (``工作簿文件 / the workbook``).

    Examples
    --------
    >>> budget = Budget(10, "x.xlsx")
    >>> budget.spend(4, "xl/a.xml")
    >>> budget.spend(7, "xl/b.xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: x.xlsx 值「xl/b.xml」: 解压后超过 10 bytes 上限 / inflated to more than ...
    """

    def __init__(self, limit: int, file: str, what: str = "解压后 / inflated",
                 label: str = "工作簿文件 / the workbook") -> None:
        self.limit, self.file, self.what, self.label, self.used = limit, file, what, label, 0

    def spend(self, size: int, part: str) -> None:
        """Count ``size`` more bytes of ``part``; raise when the total passes the limit.

        Raises
        ------
        perfeval_lib.core.errors.InputError
            The archive inflates to more than the limit (a decompression bomb, or a file too large):
            the message names the part and the cap ``PERFEVAL_MAX_INFLATED_MB``.
        """
        self.used += size
        if self.used > self.limit:
            shown = size_text(self.limit)
            zh, en = self.what.split(" / ")
            raise InputError(self.file, value=part,
                             message=f"{zh}超过 {shown} 上限 / {en} to more than the {shown} limit (a decompression "
                                     "bomb, or a file far too large)",
                             expected="正常保存的文件；确属正常的大文件可设置 PERFEVAL_MAX_INFLATED_MB 提高上限 / a normally "
                                      "saved file; for a genuinely large one raise PERFEVAL_MAX_INFLATED_MB")


def size_text(size: int) -> str:
    """A size for messages: whole MB from 1 MB up, else bytes.

    >>> size_text(200 * 1024 * 1024), size_text(10)
    ('200 MB', '10 bytes')
    """
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def declared_members(path: Path) -> int | None:
    """How many members the archive's end record says it holds (None when there is no end record).

    Read from the last 64 KB of the file (and the zip64 end record when there is one), before the
    directory itself is read, so an archive claiming millions of members is refused cheaply.

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.zip"
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("a", "1"); archive.writestr("b", "2")
    >>> declared_members(path)
    2
    """
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        start = max(0, size - (65_535 + 22))
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            return None
        entries = struct.unpack("<H", tail[at + 10:at + 12])[0]
        locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
        if locator >= 0 and at - locator == 20:
            offset = struct.unpack("<Q", tail[locator + 8:locator + 16])[0]
            if offset < size:
                handle.seek(offset)
                record = handle.read(56)
                if record[:4] == _ZIP64_EOCD and len(record) == 56:
                    entries = struct.unpack("<Q", record[32:40])[0]
        return entries


def zip_members(path: Path, name: str, max_parts: int, label: str = "工作簿文件 / the workbook") -> list[zipfile.ZipInfo]:
    """The members of a zip archive, after checking their number, names and compression.

    Parameters
    ----------
    path : pathlib.Path
        The archive.
    name : str
        The file's name in messages.
    max_parts : int
        Most members accepted (``PERFEVAL_MAX_ZIP_PARTS``).
    label : str
        What the file is, for messages (Chinese / English).

    Returns
    -------
    list of zipfile.ZipInfo
        In the directory's order.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        Not a zip or a truncated one; more members than ``max_parts``; two members with one name;
        an encrypted member; a compression method other than stored or deflate (what Excel, WPS and
        Word write).

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.xlsx"
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("a", "1"); archive.writestr("b", "2")
    >>> [m.filename for m in zip_members(path, "a.xlsx", 10)]
    ['a', 'b']
    >>> zip_members(path, "a.xlsx", 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: a.xlsx 值「2」: 压缩包中的部件过多（上限 1）/ ...
    """
    declared = declared_members(path)
    if declared is not None and declared > max_parts:
        raise InputError(name, value=declared,
                         message=f"压缩包中的部件过多（上限 {max_parts}）/ the archive holds more parts than the "
                                 f"limit of {max_parts}",
                         expected="正常保存的文件，或设置 PERFEVAL_MAX_ZIP_PARTS 提高上限 / a normally saved file, or "
                                  "raise PERFEVAL_MAX_ZIP_PARTS")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error) as exc:
        raise _corrupt(name, str(exc), label) from None
    if len(members) > max_parts:
        raise InputError(name, value=len(members), message=f"压缩包中的部件过多（上限 {max_parts}）/ the archive "
                                                           f"holds more parts than the limit of {max_parts}")
    seen: set[str] = set()
    for member in members:
        if member.filename in seen:
            raise _corrupt(name, f"部件 {member.filename[:80]} 出现两次 / part listed twice", label)
        seen.add(member.filename)
        if member.flag_bits & 0x1:
            raise InputError(name, value=member.filename[:80],
                             message="压缩包中的部件已加密 / an encrypted part",
                             expected="去掉密码后另存 / remove the password and save again")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(name, value=member.filename[:80],
                             message=f"不支持的压缩方式 {member.compress_type} / unsupported compression method",
                             expected="由 Excel、WPS 或 Word 正常保存的文件 / a file saved by Excel, WPS or Word")
    return members


def inflate(handle, member: zipfile.ZipInfo, budget: Budget, name: str) -> Iterator[bytes]:
    """Yield a member's bytes in chunks of at most :data:`CHUNK`, as its data really inflates.

    The compressed data is read from the member's local header on, and inflated until the deflate
    stream ends — however large the directory says the member is — each chunk counted against
    ``budget``. At the end, the size and CRC-32 must match the directory (a corrupt or forged member
    otherwise).

    Parameters
    ----------
    handle : binary file
        The archive, opened for reading.
    member : zipfile.ZipInfo
        From :func:`zip_members`.
    budget : Budget
        The archive's inflation budget.
    name : str
        The file's name in messages.

    Yields
    ------
    bytes
        The member's content, chunk by chunk.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        Past the budget (a decompression bomb), or a corrupt, truncated or forged member.
    """
    handle.seek(member.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _corrupt(name, f"{member.filename[:80]} 的文件头无效 / bad local header", budget.label)
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(member.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11])
    crc, size = 0, 0
    if member.compress_type == zipfile.ZIP_STORED:
        left = member.compress_size
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                raise _corrupt(name, f"{member.filename[:80]} 不完整 / truncated", budget.label)
            left -= len(chunk)
            budget.spend(len(chunk), member.filename[:80])
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            yield chunk
    else:
        inflater = zlib.decompressobj(-15)
        try:
            while not inflater.eof:
                data = inflater.unconsumed_tail or handle.read(CHUNK // 4)
                chunk = inflater.decompress(data, CHUNK)  # b"" at the end of the file: what is pending
                if chunk:
                    budget.spend(len(chunk), member.filename[:80])
                    crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                    yield chunk
                elif not data:
                    raise _corrupt(name, f"{member.filename[:80]} 不完整 / truncated", budget.label)
        except zlib.error as exc:
            raise _corrupt(name, f"{member.filename[:80]}: {exc}", budget.label) from None
    if size != member.file_size:
        raise _corrupt(name, f"{member.filename[:80]} 声明 {member.file_size} 字节，实际解压出 {size} 字节 / declares "
                             f"{member.file_size} bytes but inflates to {size}", budget.label)
    if crc != member.CRC:
        raise _corrupt(name, f"{member.filename[:80]} 的校验和不符 / CRC-32 mismatch", budget.label)

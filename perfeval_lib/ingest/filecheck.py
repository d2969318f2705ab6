"""Checks on a raw file before it is parsed: size, emptiness, what kind of file it really is.

Finance staff send whatever they have: an old .xls or a WPS .et renamed .xlsx, a workbook with an
open password, a truncated download, a workbook whose formulas were never calculated. Each gets a
message that says what the file is and what to do, instead of a parser's traceback.

Examples
--------
>>> sniff_kind(b"PK\\x03\\x04...")
'zip'
>>> sniff_kind(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1...")
'ole2'
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..core.errors import InputError

#: Largest raw input file read, in MB (``PERFEVAL_MAX_INPUT_MB`` overrides it).
DEFAULT_MAX_INPUT_MB = 50
#: Longest text accepted in one cell (``PERFEVAL_MAX_CELL_CHARS`` overrides it): a 10 MB "note" is a mistake.
DEFAULT_MAX_CELL_CHARS = 20_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def max_input_bytes() -> int:
    """The size limit of one raw file, in bytes.

    Returns
    -------
    int
        ``PERFEVAL_MAX_INPUT_MB`` (megabytes, may be fractional) × 1024², default
        :data:`DEFAULT_MAX_INPUT_MB`.

    Examples
    --------
    >>> import os
    >>> max_input_bytes() == float(os.environ.get("PERFEVAL_MAX_INPUT_MB", 50)) * 1024 * 1024
    True
    """
    return int(float(os.environ.get("PERFEVAL_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB)) * 1024 * 1024)


def max_cell_chars() -> int:
    """The longest text accepted in one cell, in characters.

    Returns
    -------
    int
        ``PERFEVAL_MAX_CELL_CHARS``, default :data:`DEFAULT_MAX_CELL_CHARS`.

    Examples
    --------
    >>> import os
    >>> max_cell_chars() == int(os.environ.get("PERFEVAL_MAX_CELL_CHARS", 20_000))
    True
    """
    return int(os.environ.get("PERFEVAL_MAX_CELL_CHARS", DEFAULT_MAX_CELL_CHARS))


def sniff_kind(head: bytes) -> str:
    """What the first bytes say a file is, whatever its name says.

    Parameters
    ----------
    head : bytes
        The file's first bytes (8 are enough).

    Returns
    -------
    str
        ``'zip'`` (an .xlsx/.xlsm, or any zip), ``'ole2'`` (an old .xls, a WPS .et, or an encrypted
        .xlsx), else ``'text'``.

    Examples
    --------
    >>> sniff_kind(b"PK\\x05\\x06"), sniff_kind("单位编码,年度".encode("gbk"))
    ('zip', 'text')
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    return "text"


def check_size(path: Path, name: str) -> None:
    """Refuse empty files and files over the size limit (:func:`max_input_bytes`), before reading them.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        The file's name in messages.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        The file is empty, or larger than the limit (the message gives its size in MB).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.csv"
    >>> _ = path.write_bytes(b"")
    >>> check_size(path, "budget.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: budget.csv: 文件是空的 / the file is empty；应为 expected: 含表头和数据的文件 / ...
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError(name, message="文件是空的 / the file is empty",
                         expected="含表头和数据的文件 / a file with a header and rows")
    limit = max_input_bytes()
    if size > limit:
        raise InputError(name, value=f"{size / 1024 / 1024:.1f} MB",
                         message=f"文件超过大小上限 {limit / 1024 / 1024:.0f} MB / the file is larger than the limit",
                         expected="拆分文件，或设置 PERFEVAL_MAX_INPUT_MB 提高上限 / split it, or raise PERFEVAL_MAX_INPUT_MB")


def check_workbook(path: Path, name: str) -> None:
    """Make sure an .xlsx/.xlsm file really is one: a complete zip holding ``xl/workbook.xml``.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        The file's name in messages.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        An OLE2 file (an encrypted workbook — it has an ``EncryptedPackage`` stream — or an old .xls
        or WPS .et renamed .xlsx), a file that is not a zip, or a truncated or corrupt zip; each
        message says what to do.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
    >>> _ = path.write_bytes(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(504))
    >>> check_workbook(path, "budget.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.InputError: budget.xlsx: 这是旧版 Excel .xls 或 WPS .et 文件，扩展名却是 .xlsx / ...
    """
    with open(path, "rb") as handle:
        head = handle.read(8)
    kind = sniff_kind(head)
    if kind == "ole2":
        data = path.read_bytes()
        if _ENCRYPTED_STREAM in data:
            raise InputError(name, message="工作簿设置了打开密码（已加密），无法读取 / the workbook is password-protected",
                             expected="在 Excel/WPS 中去掉打开密码后另存为 .xlsx / remove the password and save as .xlsx")
        raise InputError(name, message="这是旧版 Excel .xls 或 WPS .et 文件，扩展名却是 .xlsx / an old .xls or WPS .et file "
                                       "renamed .xlsx",
                         expected="在 Excel/WPS 中“另存为” .xlsx 格式 / open it and “save as” .xlsx")
    if kind != "zip":
        raise InputError(name, message="不是 Excel 工作簿（文件内容不是 .xlsx 格式）/ not an .xlsx workbook",
                         expected="有效的 .xlsx 文件 / a valid .xlsx file")
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(name, message=f"工作簿文件已损坏或不完整（{exc}）/ the workbook is corrupt or truncated",
                         expected="重新导出或重新下载该文件 / export or download it again") from None
    if broken is not None or "xl/workbook.xml" not in names:
        raise InputError(name, message="工作簿文件已损坏或不完整 / the workbook is corrupt or truncated",
                         expected="重新导出或重新下载该文件 / export or download it again")


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>(.*?)</c>)', re.S)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def unreadable_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """Per sheet: the cells that hold no usable value — a formula with no stored result, or an Excel
    error (#DIV/0!, #N/A …).

    perfeval reads the values Excel stored with each formula and never evaluates formulas itself; a
    workbook written by a program (not saved by Excel/WPS) may have formulas with no stored value.
    Only the sheets' XML is scanned; nothing is parsed as a workbook.

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx/.xlsm file (checked by :func:`check_workbook`).

    Returns
    -------
    dict
        Sheet name → {(row, column) 0-based → (kind, what the cell holds)}, kind ``'formula'`` (with
        the formula, up to 80 characters) or ``'excel_error'`` (with the error); sheets without such
        cells are left out.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
    >>> book = openpyxl.Workbook()
    >>> book.active.title = "预算"
    >>> book.active.append(["全年预算数", "执行率"])
    >>> book.active.append(["=SUM(C1:C9)", "#DIV/0!"])  # openpyxl stores no result for a formula
    >>> book.save(path)
    >>> unreadable_cells(path)
    {'预算': {(1, 0): ('formula', '=SUM(C1:C9)'), (1, 1): ('excel_error', '#DIV/0!')}}
    """
    found: dict[str, dict] = {}
    names = sheet_names(path)
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not (member.startswith("xl/worksheets/sheet") and member.endswith(".xml")):
                continue
            data = archive.read(member)
            if b"<f" not in data and b't="e"' not in data:
                continue
            cells = {}
            for match in _CELL.finditer(data):
                attributes, inner = match.group(3), match.group(5) or b""
                formula = re.search(rb"<f[^>]*>(.*?)</f>|<f[^>]*/>", inner, re.S)
                value = re.search(rb"<v>(.*?)</v>", inner, re.S)
                key = (int(match.group(2)) - 1, _column_index(match.group(1).decode()))
                if b't="e"' in attributes:
                    cells[key] = ("excel_error", (value.group(1) if value else b"#ERROR").decode("utf-8", "replace"))
                elif formula is not None and (value is None or not value.group(1).strip()):
                    cells[key] = ("formula", "=" + (formula.group(1) or b"").decode("utf-8", "replace")[:80])
            if cells:
                found[names.get(member, member)] = cells
    return found


def sheet_names(path: Path) -> dict[str, str]:
    """Sheet XML file → sheet name, from the workbook's own index (``xl/workbook.xml`` and its rels).

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx/.xlsm file.

    Returns
    -------
    dict
        ``'xl/worksheets/sheet1.xml'`` → the sheet's name as the workbook shows it.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
    >>> book = openpyxl.Workbook()
    >>> book.active.title = "预算执行"
    >>> book.save(path)
    >>> sheet_names(path)
    {'xl/worksheets/sheet1.xml': '预算执行'}
    """
    names = {}
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace") \
            if "xl/_rels/workbook.xml.rels" in archive.namelist() else ""
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels)) | \
        {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets.get(rid, "")
        names["xl/" + target.lstrip("/").removeprefix("xl/")] = name
    return names

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

import atexit
import os
import shutil
import stat
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError
from ..core.files import shown_path
from ..core.issues import Issue
from ..core.limits import LIMITS, limit, max_bytes
from .xlsxscan import scan_workbook, write_clean_copy

#: Largest raw input file read, in MB (``PERFEVAL_MAX_INPUT_MB`` overrides it).
DEFAULT_MAX_INPUT_MB = LIMITS["PERFEVAL_MAX_INPUT_MB"].default
#: Longest text accepted in one cell (``PERFEVAL_MAX_CELL_CHARS`` overrides it): a 10 MB "note" is a mistake.
DEFAULT_MAX_CELL_CHARS = LIMITS["PERFEVAL_MAX_CELL_CHARS"].default

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
    return max_bytes("PERFEVAL_MAX_INPUT_MB")


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
    return limit("PERFEVAL_MAX_CELL_CHARS")


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
        The file is not a regular file (a folder, a FIFO, a device such as /dev/zero), is empty, or
        is larger than the limit (the message gives its size in MB).

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
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, message="不是普通文件（文件夹、管道或设备），未读取 / not a regular file (a folder, a "
                                       "pipe or a device): not read",
                         expected="普通的数据文件 / a plain data file")
    size = info.st_size
    if size == 0:
        raise InputError(name, message="文件是空的 / the file is empty",
                         expected="含表头和数据的文件 / a file with a header and rows")
    limit = max_input_bytes()
    if size > limit:
        raise InputError(name, value=f"{size / 1024 / 1024:.1f} MB",
                         message=f"文件超过大小上限 {limit / 1024 / 1024:.0f} MB / the file is larger than the limit",
                         expected="拆分文件，或设置 PERFEVAL_MAX_INPUT_MB 提高上限 / split it, or raise PERFEVAL_MAX_INPUT_MB")


@dataclass
class WorkbookCheck:
    """A workbook that passed :func:`check_workbook`: what to parse, and what the pass found.

    Attributes
    ----------
    path : pathlib.Path
        The file to give the reader: the workbook as received, or a cleaned copy without the stray
        cells far from the table (in a private temporary folder; the raw file is never modified).
    bad_cells : dict
        Sheet name → {(row, column) 0-based → (kind, text)}: formulas without a stored result
        (``formula``) and Excel errors (``excel_error``), as :func:`unreadable_cells` gives them.
    issues : list of perfeval_lib.core.issues.Issue
        Warnings and notes about the workbook as a whole (stray cells ignored, a styles part that
        could not be read).
    inflated : int
        Bytes its parts inflate to, measured.
    meta : dict
        Sheet name → :class:`~perfeval_lib.ingest.xlsxmeta.SheetMeta` (visibility, hidden rows and
        columns, cells with a meaningful number format), read on the same pass.
    """

    path: Path
    bad_cells: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    inflated: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """Bytes the remembered metadata takes (the formatted cells, mostly)."""
        return sum(sheet.nbytes for sheet in self.meta.values())


_CHECKED: OrderedDict = OrderedDict()  # (real path, size, mtime, inode) → WorkbookCheck or InputError
_CLEAN_DIR: list[Path] = []
#: Most outcomes of :func:`check_workbook` remembered, and most bytes of metadata they may hold (the
#: latest outcome is always kept).
REMEMBERED, REMEMBERED_BYTES = 32, 64 * 1024 * 1024


def _clean_dir() -> Path:
    if not _CLEAN_DIR:
        _CLEAN_DIR.append(Path(tempfile.mkdtemp(prefix="perfeval-clean-")))
        atexit.register(shutil.rmtree, _CLEAN_DIR[0], True)
    return _CLEAN_DIR[0]


def check_workbook(path: Path, name: str) -> WorkbookCheck:
    """Make sure an .xlsx/.xlsm file really is one and is safe to parse; measure it in one streamed pass.

    An OLE2 file (encrypted, or an old .xls / WPS .et renamed), a file that is not a zip, a corrupt
    or truncated zip are refused with a message saying what to do. Then every part is inflated
    once, streamed, by :func:`perfeval_lib.ingest.xlsxscan.scan_workbook`: what the parts really
    inflate to (``PERFEVAL_MAX_INFLATED_MB``, whatever sizes they declare), the number of parts
    (``PERFEVAL_MAX_ZIP_PARTS``), the cells each sheet spans and its merged area
    (``PERFEVAL_MAX_SHEET_CELLS``), the text the cells repeat from the shared strings, and the
    cells holding a formula without a value or an Excel error — and, from the same bytes, what the reader
    needs besides the values (hidden sheets, rows and columns, meaningful number formats:
    :attr:`WorkbookCheck.meta`). A sheet whose span is implausible only
    because of a few cells far from the table is read from a cleaned copy, with a warning naming each
    such cell. The outcome is remembered for the file (same path, size and time), so the reader that
    follows (in a child process, which inherits it) does not inflate it again.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        The file's name in messages.

    Returns
    -------
    WorkbookCheck
        The path to parse (the file, or its cleaned copy), the flagged cells, the warnings.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        Any of the problems above: the file is refused, with its name and the cap it passed.

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
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        raise InputError(name, message="文件不存在 / file not found") from None
    key = (str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino, name, _limits_now())
    if key in _CHECKED:
        _CHECKED.move_to_end(key)
        found = _CHECKED[key]
        if isinstance(found, InputError):
            raise found
        return found
    try:
        found = _check(path, name)
    except InputError as error:
        found = error
    _CHECKED[key] = found
    while len(_CHECKED) > 1 and (len(_CHECKED) > REMEMBERED or sum(
            c.nbytes for c in _CHECKED.values() if isinstance(c, WorkbookCheck)) > REMEMBERED_BYTES):
        _, old = _CHECKED.popitem(last=False)
        if isinstance(old, WorkbookCheck) and old.path != path and _CLEAN_DIR and _CLEAN_DIR[0] in old.path.parents:
            shutil.rmtree(old.path.parent, ignore_errors=True)
    if isinstance(found, InputError):
        raise found
    return found


def forget_checks() -> None:
    """Forget every remembered :func:`check_workbook` outcome: the next read of a workbook scans it again.

    For benchmarks and long-lived processes; a changed file is never served from memory anyway (its
    size and time are part of the key).

    >>> forget_checks()
    """
    _CHECKED.clear()


def _limits_now() -> tuple:
    return tuple(os.environ.get(name, "") for name in ("PERFEVAL_MAX_INFLATED_MB", "PERFEVAL_MAX_ZIP_PARTS",
                                                       "PERFEVAL_MAX_SHEET_CELLS"))


def _check(path: Path, name: str) -> WorkbookCheck:
    with open(path, "rb") as handle:
        head = handle.read(8)
    kind = sniff_kind(head)
    if kind == "ole2":
        if _has_encrypted_stream(path):
            raise InputError(name, message="工作簿设置了打开密码（已加密），无法读取 / the workbook is password-protected",
                             expected="在 Excel/WPS 中去掉打开密码后另存为 .xlsx / remove the password and save as .xlsx")
        raise InputError(name, message="这是旧版 Excel .xls 或 WPS .et 文件，扩展名却是 .xlsx / an old .xls or WPS .et file "
                                       "renamed .xlsx",
                         expected="在 Excel/WPS 中“另存为” .xlsx 格式 / open it and “save as” .xlsx")
    if kind != "zip":
        raise InputError(name, message="不是 Excel 工作簿（文件内容不是 .xlsx 格式）/ not an .xlsx workbook",
                         expected="有效的 .xlsx 文件 / a valid .xlsx file")
    scan = scan_workbook(path, name)
    if not scan.stray:
        return WorkbookCheck(path, scan.bad_cells(), list(scan.notes), scan.inflated, scan.meta)
    folder = Path(tempfile.mkdtemp(dir=_clean_dir()))
    target = folder / path.name
    issues = write_clean_copy(path, name, scan, target)
    return WorkbookCheck(target, scan.bad_cells(), scan.notes + issues, scan.inflated, scan.meta)


def _has_encrypted_stream(path: Path) -> bool:
    """An OLE2 file holding an ``EncryptedPackage`` stream (read in 1 MB steps, never whole)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_STREAM):]
    return False


def unreadable_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """Per sheet: the cells that hold no usable value — a formula with no stored result, or an Excel
    error (#DIV/0!, #N/A …).

    perfeval reads the values Excel stored with each formula and never evaluates formulas itself; a
    workbook written by a program (not saved by Excel/WPS) may have formulas with no stored value.
    Found by the streamed pass of :func:`check_workbook` (remembered: a second call costs nothing).

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx/.xlsm file.

    Returns
    -------
    dict
        Sheet name → {(row, column) 0-based → (kind, what the cell holds)}, kind ``'formula'`` (with
        the formula, up to 80 characters) or ``'excel_error'`` (with the error); sheets without such
        cells are left out.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        When :func:`check_workbook` refuses the file.

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
    return check_workbook(Path(path), str(path)).bad_cells


def capped_issues(issues: list[Issue], file: str | None = None) -> list[Issue]:
    """At most ``PERFEVAL_MAX_MESSAGES`` issues per file, the rest summed up in one “… and N more”.

    Errors come first, then warnings, then notes (each in their order); the summary has the severity
    of the worst issue it stands for and counts them by kind.

    Parameters
    ----------
    issues : list of perfeval_lib.core.issues.Issue
        The issues of one file (or several: each file is capped on its own).
    file : str, optional
        The file, when ``issues`` do not all name one.

    Returns
    -------
    list of perfeval_lib.core.issues.Issue
        The kept issues, plus one ``more_messages`` issue per file that had more.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> many = [Issue("error", "bad_value", "m", "b.csv", row=r) for r in range(2, 9)]
    >>> with mock.patch.dict(os.environ, {"PERFEVAL_MAX_MESSAGES": "3"}):
    ...     kept = capped_issues(many)
    >>> [i.row for i in kept[:3]], kept[3].message
    ([2, 3, 4], '另有 4 条问题未列出（bad_value 4）/ … and 4 more (bad_value 4)')
    """
    cap = limit("PERFEVAL_MAX_MESSAGES")
    by_file: dict = {}
    for issue in issues:
        by_file.setdefault(issue.file or file, []).append(issue)
    if all(sum(i.code != "more_messages" for i in group) <= cap for group in by_file.values()):
        return issues
    order = {"error": 0, "warning": 1, "info": 2}
    out: list[Issue] = []
    for shown, group in by_file.items():
        plain = [i for i in group if i.code != "more_messages"]
        if len(plain) <= cap:
            out.extend(group)
            continue
        ranked = sorted(plain, key=lambda i: order.get(i.severity, 3))
        hidden = ranked[cap:] + [i for i in group if i.code == "more_messages"]
        counts: dict[str, int] = {}
        for issue in hidden:
            for code, count in getattr(issue, "counts", {issue.code: 1}).items():
                counts[code] = counts.get(code, 0) + count
        total = sum(counts.values())
        kinds = ", ".join(f"{code} {count}" for code, count in sorted(counts.items(), key=lambda kv: -kv[1]))
        worst = min((i.severity for i in hidden), key=lambda s: order.get(s, 3))
        out.extend(ranked[:cap])
        summary = Issue(worst, "more_messages", f"另有 {total} 条问题未列出（{kinds}）/ … and {total} more ({kinds})",
                        shown)
        summary.counts = counts  # what it stands for, should the list be capped again
        out.append(summary)
    return out


def raw_tree(folder: Path, accept, skip_folders: frozenset = frozenset()) -> tuple[list[Path], list[Issue]]:
    """The files below a raw folder that ``accept``, never following a link out of the folder.

    Hidden files and folders (a name starting with ``.``) and the folders named in ``skip_folders``
    are left out. A link to a file inside the folder is read (the inputs table records its real
    path); a link leaving the folder — to another project's data, to /etc, to /dev/zero — is not
    followed and is an error naming the link and its target; a linked folder is never walked into
    (a warning, or an error when it leaves the folder). Anything that is not a folder is returned
    when ``accept`` takes it, FIFOs and devices included: the readers refuse them with a message
    instead of hanging on them.

    Parameters
    ----------
    folder : pathlib.Path
        The raw-data folder.
    accept : callable
        ``accept(path) -> bool`` for a candidate file (its name and suffix).
    skip_folders : frozenset of str
        Folder names not walked into (``narratives`` for the table files).

    Returns
    -------
    files : list of pathlib.Path
        The files, sorted, as found below ``folder`` (links not resolved).
    issues : list of perfeval_lib.core.issues.Issue
        The links not followed.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> (base / "raw").mkdir(); _ = (base / "raw/units.csv").write_text("x"); _ = (base / "secret.csv").write_text("y")
    >>> os.symlink(base / "secret.csv", base / "raw/budget.csv")
    >>> files, issues = raw_tree(base / "raw", lambda p: p.suffix == ".csv")
    >>> [p.name for p in files], [i.code for i in issues]
    (['units.csv'], ['link_outside_raw'])
    """
    folder = Path(folder)
    root = folder.resolve()
    files: list[Path] = []
    issues: list[Issue] = []
    for current, folders, names in os.walk(folder, followlinks=False):
        here = Path(current)
        for sub in sorted(folders):
            if sub.startswith(".") or sub in skip_folders:
                folders.remove(sub)
                continue
            if (here / sub).is_symlink():
                target = (here / sub).resolve()
                inside = target == root or root in target.parents
                issues.append(link_issue(here / sub, target, "folder", inside))
        folders[:] = sorted(f for f in folders if not (here / f).is_symlink())
        for name in sorted(names):
            path = here / name
            if name.startswith(".") or not accept(path):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not (root in target.parents):
                    issues.append(link_issue(path, target, "file", False))
                    continue
            files.append(path)
    files, seen = sorted(files), {}
    for path in list(files):  # a link to a file that is also found as itself: read once
        real = path.resolve()
        if real in seen:
            keep, drop = (seen[real], path) if path.is_symlink() else (path, seen[real])
            files.remove(drop)
            seen[real] = keep
            issues.append(Issue("warning", "linked_twice", f"与 {shown_path(keep)} 是同一个文件（链接），只读取一次 / the same "
                                                           "file as another one (a link): read once",
                                str(Path(shown_path(drop.parent)) / drop.name), value=shown_path(real)))
        else:
            seen[real] = path
    return files, issues


def link_issue(path: Path, target: Path, kind: str, inside: bool) -> Issue:
    """The issue for a link that is not followed: an error when it leaves the raw folder, else a warning.

    >>> link_issue(Path("raw/units.csv"), Path("/etc/passwd"), "file", False).code
    'link_outside_raw'
    """
    shown_target = shown_path(target)
    where = str(Path(shown_path(path.parent)) / path.name)  # the link itself, not where it points
    if kind == "folder" and inside:
        return Issue("warning", "linked_folder", f"文件夹链接未读取（指向 {shown_target}）/ a linked folder was not "
                                                 "followed", where, value=shown_target,
                     expected="把文件放进 data/raw 本身 / put the files in data/raw itself")
    what = "文件夹" if kind == "folder" else "文件"
    return Issue("error", "link_outside_raw",
                 f"这个{what}是指向原始数据文件夹之外的链接（{shown_target}），未读取 / a link leaving the raw folder "
                 f"({shown_target}): not read", where, value=shown_target,
                 expected="把文件复制进 data/raw，而不是链接 / copy the file into data/raw instead of linking it")


def workbook_meta(path: Path) -> dict:
    """Every sheet's visibility, hidden rows and columns, and cells with a meaningful number format.

    Read by the streamed pass of :func:`check_workbook` (remembered: a second call costs nothing).

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx/.xlsm file.

    Returns
    -------
    dict
        Sheet name → :class:`~perfeval_lib.ingest.xlsxmeta.SheetMeta`, in the workbook's order.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        When :func:`check_workbook` refuses the file.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
    >>> book = openpyxl.Workbook()
    >>> book.active["A1"], book.active["B2"] = 0.9557, "x"
    >>> book.active["A1"].number_format = "0.00%"
    >>> book.active.row_dimensions[2].hidden = True
    >>> book.create_sheet("旧版").sheet_state = "hidden"
    >>> book.save(path)
    >>> meta = workbook_meta(path)
    >>> meta["Sheet"].cell_formats(), meta["Sheet"].hidden_rows.tolist(), meta["旧版"].state
    ({(0, 0): ('percent', 0)}, [1], 'hidden')
    """
    return check_workbook(Path(path), str(path)).meta

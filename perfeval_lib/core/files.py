"""Files written safely and shown plainly: atomic writes, paths in messages, text decoding.

Every output perfeval writes goes through :func:`atomic_path` (a temporary file renamed into place),
so a crash never leaves a half-written file; :func:`shown_path` is how a path appears in a message.
"""
from __future__ import annotations

from pathlib import Path
import contextlib
import os
import tempfile

from charset_normalizer import from_bytes

from . import config
from .errors import InputError


def decode_csv_bytes(data: bytes, file: str) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK).

    The encoding is detected, never assumed: bytes that are neither raise an :class:`InputError`
    that names the most likely encoding.

    Parameters
    ----------
    data : bytes
        The whole file as read from disk.
    file : str
        The file's name as shown in messages.

    Returns
    -------
    tuple of (str, str)
        The text (a UTF-8 BOM removed) and the encoding used: ``'utf-8-sig'`` or ``'gb18030'``.

    Raises
    ------
    InputError
        When the file starts with a UTF-8 BOM but is not UTF-8 further on (GBK content saved with a
        UTF-8 mark; the message gives the byte offset), or when the bytes are neither UTF-8 nor
        GB18030 (the message names the encoding ``charset_normalizer`` guesses).

    Examples
    --------
    >>> decode_csv_bytes("单位".encode("gbk"), "x.csv")
    ('单位', 'gb18030')
    >>> decode_csv_bytes("\ufeff单位".encode("utf-8"), "x.csv")
    ('单位', 'utf-8-sig')
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
                raise InputError(file, message=f"文件开头标明是 UTF-8（带 BOM），第 {exc.start} 字节起却不是 UTF-8 "
                                               f"（可能是 GBK 内容被加了 UTF-8 标记）/ the file declares UTF-8 (BOM) but "
                                               f"is not UTF-8 from byte {exc.start}",
                                 expected="整个文件统一另存为 UTF-8 或 GBK / save the whole file as UTF-8 or as GBK") from None
    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best else "unknown"
    raise InputError(file, message=f"文件编码无法识别（可能是 {guess}）/ unreadable text encoding (looks like {guess})",
                     expected="UTF-8 或 GBK/GB18030 编码的 CSV / a CSV saved as UTF-8 or GBK")


def shown_path(path: Path) -> str:
    """A path as users see it in messages: relative to the project root, else to the working folder.

    Parameters
    ----------
    path : pathlib.Path or str
        Any path, relative or absolute.

    Returns
    -------
    str
        The path relative to :func:`perfeval_lib.core.config.project_root`, else relative to the
        current working folder, else ``path`` unchanged.

    Examples
    --------
    >>> shown_path(config.project_root() / "data" / "raw" / "budget.csv")
    'data/raw/budget.csv'
    """
    resolved = Path(path).resolve()
    for base in (config.project_root(), Path.cwd()):
        try:
            return str(resolved.relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one rename.

    A crash or an error leaves the previous ``target`` untouched and no partial file behind. The
    target's folder is created when missing; the file gets the usual permissions (``0666`` less the
    umask), not ``mkstemp``'s private ``0600``.

    Parameters
    ----------
    target : pathlib.Path or str
        The file to write.

    Yields
    ------
    pathlib.Path
        A temporary file (``.<name>.*.tmp``) in the target's folder; write the content there.

    Raises
    ------
    OSError
        When the folder cannot be created or the file cannot be renamed into place.
    Exception
        Whatever the ``with`` body raises is re-raised after the temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "out" / "note.txt"
    ...     with atomic_path(target) as temporary:
    ...         _ = temporary.write_text("甲", encoding="utf-8")
    ...     target.read_text(encoding="utf-8"), sorted(p.name for p in target.parent.iterdir())
    ('甲', ['note.txt'])
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)

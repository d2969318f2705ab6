"""Unit codes: the one rule for a safe code (it becomes file names), and codes as users type them.

A unit code names ``reports/<year>/<code>.html``, ``params/units/<code>.yaml``,
``<code>_<year>_自评表.xlsx`` and ``<code>_<year>_自评报告.docx`` on Linux, Windows and macOS alike, and
is shown in spreadsheets. So it is at most :data:`MAX_CODE_CHARS` characters (the longest file name
made from it stays under 255 bytes even in Chinese), starts with a letter, digit or Chinese character,
then holds only those and ``_`` ``-`` ``.`` (no ``..``, not ending with ``.``), and is not a name
Windows reserves for a device (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with any extension). Ingest
refuses any other code as a row error (:mod:`perfeval_lib.ingest.validate`); a batch fails only the
unit whose code breaks it (:mod:`perfeval_lib.batch.run`). Two codes that differ only in case
(D001, d001) would be one file on Windows and macOS: ingest refuses them too.

A code typed on the command line or in a notebook is matched to the codes in the data exactly, else
ignoring case (and surrounding spaces) when that finds exactly one code (:func:`match_codes`).

Examples
--------
>>> match_codes(["d009", "D001", "X"], ["D001", "D009"])
(['D009', 'D001'], ['X'])
>>> code_problem("D001") is None, code_problem("海珠妇联") is None
(True, True)
>>> code_problem("CON")
'Windows 保留的设备名 / a name Windows reserves for a device'
>>> code_problem("=1+2")
'只能含字母、数字、汉字、_ - .，且以字母、数字或汉字开头 / only letters, digits, Chinese, _ - . (starting with a letter, digit or Chinese)'
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import PerfevalError

#: Longest unit code: 64 Chinese characters are 192 bytes, so ``<code>_<year>_自评报告.docx`` stays under 255.
MAX_CODE_CHARS = 64
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_SAFE = re.compile(f"[0-9A-Za-z{_CJK}][0-9A-Za-z_.\\-{_CJK}]*")
#: Names Windows reserves for devices, whatever the extension or case.
WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                             *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
                             *(f"COM{c}" for c in "¹²³"), *(f"LPT{c}" for c in "¹²³")})

#: What a safe code is, for messages.
SAFE_CODE_RULE = (f"字母、数字、汉字、_ - .，以字母、数字或汉字开头，不超过 {MAX_CODE_CHARS} 个字符 / letters, digits, "
                  f"Chinese, _ - . starting with a letter, digit or Chinese, at most {MAX_CODE_CHARS} characters")


def code_problem(code: object) -> str | None:
    """Why ``code`` is not a safe unit code (Chinese / English), or None when it is.

    Parameters
    ----------
    code : object
        A unit code as loaded (text).

    Returns
    -------
    str or None
        The first rule it breaks: empty, too long, a character not allowed (spaces, ``=``,
        full-width brackets, path and control characters …), ``..`` or a final ``.``, a Windows
        device name.

    Examples
    --------
    >>> code_problem("x" * 65)
    '超过 64 个字符 / longer than 64 characters'
    >>> code_problem("lpt1.txt"), code_problem("a..b") is not None, code_problem("D 001") is not None
    ('Windows 保留的设备名 / a name Windows reserves for a device', True, True)
    """
    if not isinstance(code, str) or not code:
        return "为空 / empty"
    if len(code) > MAX_CODE_CHARS:
        return f"超过 {MAX_CODE_CHARS} 个字符 / longer than {MAX_CODE_CHARS} characters"
    if not _SAFE.fullmatch(code):
        return ("只能含字母、数字、汉字、_ - .，且以字母、数字或汉字开头 / only letters, digits, Chinese, _ - . (starting "
                "with a letter, digit or Chinese)")
    if ".." in code or code.endswith("."):
        return "不能含“..”或以“.”结尾 / no “..” and no final “.”"
    if code.split(".")[0].upper() in WINDOWS_DEVICES:
        return "Windows 保留的设备名 / a name Windows reserves for a device"
    return None


def safe_code(code: object) -> str:
    """``code`` unchanged when it is a safe unit code (:func:`code_problem`), else an error.

    Parameters
    ----------
    code : object
        A unit code.

    Returns
    -------
    str
        ``code``.

    Raises
    ------
    PerfevalError
        Naming the code (escaped) and the rule it breaks.

    Examples
    --------
    >>> safe_code("D001")
    'D001'
    >>> safe_code("../etc")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.PerfevalError: 单位编码「../etc」不能用作文件名（只能含字母、数字、汉字、_ - .，且以字母、数字或汉字开头）/ unit code '../etc' is not a safe file name (only letters, digits, Chinese, _ - . (starting with a letter, digit or Chinese))
    """
    problem = code_problem(code)
    if problem is not None:
        shown = repr(code)[1:-1][:80] if isinstance(code, str) else repr(code)
        zh, en = problem.split(" / ", 1)
        raise PerfevalError(f"单位编码「{shown}」不能用作文件名（{zh}）/ unit code {repr(code)[:82]} is not a safe file "
                            f"name ({en})")
    return code


def match_codes(requested: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """The known codes the requested ones name, and the requested ones that name none.

    Parameters
    ----------
    requested : iterable of str
        Codes as typed (any case, surrounding spaces allowed).
    known : iterable of str
        The codes in the data.

    Returns
    -------
    matched : list of str
        The known code of each requested one that names exactly one (exactly, else ignoring case), in
        the order requested, each once.
    unknown : list of str
        The requested codes (as typed) that name none, or more than one ignoring case.

    Examples
    --------
    >>> match_codes([" hzfl "], ["HZFL"])
    (['HZFL'], [])
    >>> match_codes(["ab"], ["AB", "Ab"])
    ([], ['ab'])
    """
    known = [str(code) for code in known if code is not None]
    exact = set(known)
    folded: dict[str, list[str]] = {}
    for code in dict.fromkeys(known):
        folded.setdefault(code.casefold(), []).append(code)
    matched, unknown = [], []
    for typed in requested:
        text = str(typed).strip()
        candidates = [text] if text in exact else folded.get(text.casefold(), [])
        if len(candidates) == 1:
            if candidates[0] not in matched:
                matched.append(candidates[0])
        else:
            unknown.append(str(typed))
    return matched, unknown

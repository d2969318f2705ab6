"""Control characters in data: removed on the way in, escaped on the way to a terminal.

The units' files may hold ESC, BEL and other C0/C1 control characters — by accident (copied from a
terminal, a legacy system) or on purpose: printed raw they retitle a terminal, clear it, hide text
(``\\r`` returns to the start of the line), and they are not allowed in the XML of a Word or Excel
file. Ingest removes them from every text cell and narrative (:func:`strip_controls`, with a warning);
whatever perfeval prints shows data through :func:`printable`, so nothing in the data can drive the
terminal.

Examples
--------
>>> strip_controls("示例\\x1b]0;PWNED\\x07单位")
'示例单位'
>>> printable("甲\\x1b[31m乙\\r丙")
'甲\\\\x1b[31m乙\\\\r丙'
"""
from __future__ import annotations

import re

#: C0 controls except tab and line feed, DEL and the C1 controls: removed from data.
CONTROL = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)])
_STRIP = dict.fromkeys(CONTROL)
#: Whole terminal escape sequences (CSI, OSC, two-character ESC sequences, C1 CSI): removed with their
#: parameters, so "\x1b[31m" leaves nothing behind rather than "[31m".
_SEQUENCES = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-Z\\\\-_]"
                        "|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x1b\x9c]*[\x07\x9c]?")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without control characters; tab and line feed are kept, a carriage return becomes a line feed.

    Parameters
    ----------
    text : str
        Text from a data file.

    Returns
    -------
    str
        The text without terminal escape sequences (``ESC [ 31 m``, ``ESC ] 0 ; title BEL``) and without
        any other C0 (but ``\\t``, ``\\n``), DEL and C1 character; ``\\r\\n`` and a lone ``\\r``
        become ``\\n``.

    Examples
    --------
    >>> strip_controls("第一段\\r\\n第二段\\r第三段\\x07")
    '第一段\\n第二段\\n第三段'
    >>> strip_controls("\\x1b]0;PWNED\\x07\\x1b[31m示例区档案馆\\x1b[0m")
    '示例区档案馆'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _SEQUENCES.sub("", text)
    return text.translate(_STRIP)


def has_controls(text: object) -> bool:
    """Whether ``text`` is a string holding a character :func:`strip_controls` removes.

    >>> has_controls("a\\x1bb"), has_controls("a\\nb"), has_controls(3)
    (True, False, False)
    """
    return isinstance(text, str) and (not CONTROL.isdisjoint(map(ord, text)) or "\r" in text)


def printable(text: object, keep: str = "") -> str:
    """Text safe to print on a terminal: control, line-separator and direction characters shown escaped.

    Parameters
    ----------
    text : object
        Anything; it is turned into ``str`` first.
    keep : str
        Characters to leave as they are (``"\\n\\t"`` for a whole block of output).

    Returns
    -------
    str
        ``\\x1b``, ``\\r``, ``\\n``, ``\\u202e`` … written out as such (so data can neither drive the
        terminal nor fake a line of output).

    Examples
    --------
    >>> printable("D001\\n[错误 error] 伪造的一行")
    'D001\\\\n[错误 error] 伪造的一行'
    """
    text = str(text)
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda match: match.group(0) if match.group(0) in keep else _escape(match.group(0)), text)


def _escape(char: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

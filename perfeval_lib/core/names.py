"""Names compared as a reader would: one indicator, however its quotes, brackets, width or script.

Forms write the same indicator as “三公经费”变动率, "三公"经费变动率, ‘三公’经费变动率 or 三公经费变动率, with
full-width or half-width brackets, stray spaces, and sometimes in traditional characters (a page
converted by a mirror site). :func:`name_key` reduces a name to what is compared (rules.md §2b);
:func:`to_simplified` brings traditional characters to simplified for matching labels and names —
the values themselves are always kept as typed.

Examples
--------
>>> name_key("“三公”经费变动率") == name_key('"三公"经费变动率') == name_key("‘三公’经费 变动率") == name_key("三公经费变动率")
True
>>> to_simplified("年度資金總額")
'年度资金总额'
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_QUOTES = dict.fromkeys(map(ord, "\"'“”‘’「」『』〝〞〃＂＇`´"))
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")",
                           "《": "", "》": "", "〈": "", "〉": ""})
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified (OpenCC ``t2s``); other text unchanged.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str

    Examples
    --------
    >>> to_simplified("實施單位"), to_simplified("单位名称"), to_simplified("")
    ('实施单位', '单位名称', '')
    """
    if not text or text.isascii():
        return text
    return _converter().convert(text)


@functools.lru_cache(maxsize=65536)
def name_key(name: object) -> str:
    """An indicator's or unit's name reduced for comparison (never shown).

    NFKC (full-width forms and brackets to ASCII), traditional characters to simplified, quote marks
    removed, square and lenticular brackets as round ones, all whitespace removed.

    Parameters
    ----------
    name : object
        A name as typed (None or NaN give ``''``).

    Returns
    -------
    str

    Examples
    --------
    >>> name_key("足额保障率（参保率）") == name_key("足额保障率 (参保率)"), name_key("【体制】清扫经费")
    (True, '(体制)清扫经费')
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKC", str(name)).translate(_QUOTES).translate(_BRACKETS)
    return to_simplified(_SPACES.sub("", text))

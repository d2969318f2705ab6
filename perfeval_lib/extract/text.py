"""Report text → clean lines: characters normalised, page marks gone, spaces between characters undone.

PDF text and copied text come with full-width digits and signs, Kangxi radicals, odd spaces, page
marks (``— 1 —``, ``- 2 -``, ``第 3 页``), letter-spacing (``全 年 预 算 数``) and lines broken
anywhere, even inside a number (``507.\\n02``). :func:`clean_lines` undoes the characters, the marks
and the spacing line by line (traditional characters of labels become simplified, pinyin put after
characters and OCR's 万兀 for 万元 go); :func:`join_pair` glues broken lines back together.

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

#: Traditional characters (only those never written in simplified text) → simplified, so that labels such as
#: 預算數 / 執行率 / 評價年度 read as 预算数 / 执行率 / 评价年度.
_TRADITIONAL = ("預预數数執执額额資资單单實实際际項项總总評评價价績绩級级類类據据說说開开門门區区縣县鎮镇鄉乡辦办"
                "會会員员務务財财撥拨結结轉转餘余專专戶户準准確确達达標标時时質质滿满經经濟济態态續续響响計计劃划"
                "檢检監监規规設设備备購购買买維维護护產产業业發发農农報报處处優优較较們们這这個个為为與与從从應应"
                "對对關关進进導导構构體体積积證证調调過过還还錢钱銀银給给補补貼贴億亿萬万兩两問问題题決决議议權权"
                "責责義义稱称機机製制書书號号條条線线網网電电話话聯联當当將将並并於于內内學学醫医衛卫顧顾勞劳動动"
                "傳传統统廣广東东陽阳審审庫库險险灣湾壇坛觀观圖图測测繪绘費费運运營营場场館馆園园團团黨党紀纪檔档"
                "協协節节約约災灾況况狀状歷历屬属兒儿婦妇勵励獎奖違违麗丽圍围環环綠绿認认識识參参絡络織织組组練练"
                "綜综細细終终編编繳缴納纳紅红記记許许訪访詢询試试課课談谈請请論论講讲讀读變变讓让貧贫貨货貫贯貸贷"
                "貿贸賬账輔辅輕轻輸输轄辖邊边遞递遠远適适選选隊队隨随難难頁页順顺須须領领頭头頻频顯显風风養养馬马"
                "驗验範范築筑簡简籌筹糧粮緊紧罰罚職职臨临興兴舉举舊旧藝艺術术裝装複复見见視视親亲覺觉訂订討讨訓训"
                "託托該该語语譯译負负貢贡趨趋辭辞陳陈陸陆階阶雙双靜静頂顶頓顿頒颁點点齊齐後后裡里幹干")
_CHARS.update({ord(_TRADITIONAL[i]): _TRADITIONAL[i + 1] for i in range(0, len(_TRADITIONAL), 2)})
#: Pinyin that mirror sites put after characters: 項(xiàng)目 → 項目.
_PINYIN = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
#: OCR confusions that never occur in real text: 万兀 for 万元.
_OCR_FIXES = [(re.compile(r"(?<=[万亿千])兀|(?<=[(（])兀(?=[)）])"), "元")]

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
    return [line for _, line in numbered_clean_lines(text, pages)]


def numbered_clean_lines(text: str, pages: list[str] | None = None) -> list[tuple[str, str]]:
    """:func:`clean_lines`, each line with where it is in the source (``第12行``, ``第2页第5行``).

    Parameters
    ----------
    text, pages
        As for :func:`clean_lines`.

    Returns
    -------
    list of (str, str)
        ``(where, line)`` pairs, in order.

    Examples
    --------
    >>> numbered_clean_lines("甲乙\\n\\n全 年 预 算 数")
    [('第1行', '甲乙'), ('第3行', '全年预算数')]
    """
    numbered = numbered_page_lines(text, pages)
    out = [(where, re.sub(r"\s+", " ", line) if is_table_line(line) else _despace(line)) for where, line in numbered]
    lines = [line for _, line in out]
    return [pair for i, pair in enumerate(out) if not _is_stray_page_number(lines, i)]


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
    return [line for _, line in numbered_page_lines(text, pages)]


def numbered_page_lines(text: str, pages: list[str] | None) -> list[tuple[str, str]]:
    """:func:`page_lines`, each line with where it is in the source (``第12行``, ``第2页第5行``).

    Parameters
    ----------
    text, pages
        As for :func:`page_lines`.

    Returns
    -------
    list of (str, str)
        ``(where, line)`` pairs, in order.

    Examples
    --------
    >>> numbered_page_lines("页一\\f页二", None)
    [('第1页第1行', '页一'), ('第2页第1行', '页二')]
    """
    paged = pages is not None
    if pages is None:
        pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
        paged = len(pages) > 1
    out: list[tuple[str, str]] = []
    for page_number, page in enumerate(pages, 1):
        page = page.translate(_CHARS).replace("\r\n", "\n").replace("\r", "\n")
        numbered = [(n, line.strip()) for n, line in enumerate(page.split("\n"), 1)]
        numbered = [(n, line) for n, line in numbered if line]
        if paged:
            kept = _strip_page_edges([line for _, line in numbered])
            first = next((i for i, (_, line) in enumerate(numbered) if kept and line == kept[0]), 0)
            numbered = numbered[first:first + len(kept)]
        for n, line in numbered:
            if is_page_mark(line):
                continue
            line = _PINYIN.sub("", line)
            for pattern, replacement in _OCR_FIXES:
                line = pattern.sub(replacement, line)
            line = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_YEAR_DIGITS), line)
            line = _INLINE_PAGE_MARK.sub("", line).strip()
            if line:
                out.append((f"第{page_number}页第{n}行" if paged else f"第{n}行", line))
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
        if re.search(r"\d\.\d{2,}$", left[-64:]) and re.match(r"\d+\.\d", right):
            return left + " " + right
        return left + right
    if left[-1].isascii() and left[-1].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right

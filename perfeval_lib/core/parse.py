"""Parse the values real finance tables contain into numbers, directions and states.

Money comes out in 万元 and rates as fractions (0.955, not 95.5), whatever unit the cell or its
header wrote.

A cell may say ``507.02``, ``507.02万元``, ``5,070,200.00元``, ``100%``, ``100.0％``, ``１２３``, ``≥90%``,
``—`` (no value given) or ``不涉及`` (not applicable). The single-value functions below parse one
cell; :func:`parse_column` applies them to a whole column, fast: clean numbers go through
``pandas.to_numeric`` and only the remaining distinct texts are parsed one by one.

Missing (``—``, ``-``, ``/``, blank) and not applicable (``无``, ``不涉及``, ``不适用``) are kept apart:
the first is a gap in the data, the second drops an indicator from scoring.

Examples
--------
>>> parse_money("5,070,200.00元")
507.02
>>> parse_percent("100.0％")
1.0
>>> parse_target("≥90%")
Target(direction='≥', value=0.9, percent=True, state='value')
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ValueParseError
from .safetext import strip_controls

#: Texts that mean "no value was given".
MISSING_TOKENS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "nan", "none", "null", "#n/a", "n/a"})
#: Texts that mean "this does not apply to the unit" (the indicator is dropped and the rest rescaled).
NOT_APPLICABLE_TOKENS = frozenset({"无", "不涉及", "不适用", "未涉及", "本年度不涉及"})

#: Zero-width and bidirectional-control characters: invisible, and able to make text display as
#: something it is not; removed from every value.
INVISIBLE = frozenset(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"))
_ZERO_WIDTH = dict.fromkeys(INVISIBLE)
_DIRECTIONS = {"≥": "≥", ">=": "≥", "＞=": "≥", "≧": "≥", ">": "≥", "不低于": "≥", "不少于": "≥", "大于等于": "≥",
               "至少": "≥", "大于": "≥", "高于": "≥", "超过": "≥", "多于": "≥",
               "≤": "≤", "<=": "≤", "≦": "≤", "<": "≤", "不高于": "≤", "不超过": "≤", "小于等于": "≤",
               "不大于": "≤", "不多于": "≤", "低于": "≤", "小于": "≤", "少于": "≤", "控制在": "≤",
               "=": "=", "＝": "=", "==": "=", "等于": "=", "达到": "="}
_DIRECTION_RE = re.compile("^(" + "|".join(sorted(map(re.escape, _DIRECTIONS), key=len, reverse=True)) + ")")
#: Words after the number that state the direction (rules.md §2b): 98%以上 (≥), 20个工作日以内 (≤), 9月前 (≤).
_SUFFIX_DIRECTIONS = {"及以上": "≥", "或以上": "≥", "以上": "≥", "之上": "≥",
                      "及以下": "≤", "或以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤",
                      "以前": "≤", "之前": "≤", "前": "≤"}
_SUFFIX_RE = re.compile("(" + "|".join(sorted(map(re.escape, _SUFFIX_DIRECTIONS), key=len, reverse=True)) + r")(完成)?$")
_NUMBER_IN_TEXT = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d.])")
_PERCENT_AFTER = re.compile(r"^\s*(%|％|百分比|个百分点)")
_NUMBER_RE = re.compile(r"^([+-]?)(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:[eE]([+-]?\d+))?$")
_UNIT_SUFFIXES = (("万元", "万元"), ("亿元", "亿元"), ("元", "元"), ("%", "%"), ("‰", "‰"))
_TO_WAN = {"万元": 1.0, "元": 1e-4, "亿元": 1e4}

#: Largest magnitude accepted for any amount or rate; larger is a typing error, not data.
MAX_ABS_VALUE = 1e12




def clean_text(value: object) -> str:
    """NFKC-normalise (full-width digits and signs to ASCII), drop zero-width/bidi marks and control
    characters (ESC, BEL …, :func:`perfeval_lib.core.safetext.strip_controls`), trim.

    Parameters
    ----------
    value : object
        A cell as read: text, a number, None or NaN.

    Returns
    -------
    str
        The cleaned text; ``''`` for None or NaN. A whole float becomes an integer first
        (``101.0`` → ``'101'``: a code or year Excel stored as a number). Ideographic spaces are
        removed everywhere, other spaces only at the ends.

    Examples
    --------
    >>> clean_text(" １２３．４５％\u200b ")
    '123.45%'
    >>> clean_text(2022.0), clean_text(None)
    ('2022', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or year typed as a number in Excel: 101.0 → "101"
    text = strip_controls(unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH))
    return text.strip().replace("\u3000", "")


def clean_column(series: pd.Series) -> pd.Series:
    """:func:`clean_text` of every cell of a column, computed once per distinct value.

    Parameters
    ----------
    series : pandas.Series
        Cells of any type.

    Returns
    -------
    pandas.Series
        Object dtype, same index; missing cells become ``''``.

    Examples
    --------
    >>> clean_column(pd.Series([" 甲 ", None, 101.0, " 甲 "])).tolist()
    ['甲', '', '101', '甲']
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = np.array([clean_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=series.index, dtype="object")


def state_of(text: str) -> str:
    """``'missing'``, ``'na'`` (not applicable) or ``'value'`` for a cleaned cell text.

    Parameters
    ----------
    text : str
        A cell already passed through :func:`clean_text`.

    Returns
    -------
    str
        ``'missing'`` for :data:`MISSING_TOKENS` (blank, ``—``, ``-``, ``/``, ``nan`` …, any case),
        ``'na'`` for :data:`NOT_APPLICABLE_TOKENS` (``无``, ``不涉及``, ``不适用`` …), else ``'value'``.

    Examples
    --------
    >>> state_of("—"), state_of("不涉及"), state_of("N/A"), state_of("95%")
    ('missing', 'na', 'missing', 'value')
    """
    lowered = text.lower()
    if lowered in MISSING_TOKENS:
        return "missing"
    if text in NOT_APPLICABLE_TOKENS:
        return "na"
    return "value"


@dataclass(frozen=True)
class Number:
    """A parsed number with the unit written next to it (``'万元'``, ``'元'``, ``'%'`` … or None).

    Attributes
    ----------
    value : float
        The number as written (no unit conversion: ``'95%'`` has value 95.0).
    unit : str or None
        ``'万元'``, ``'亿元'``, ``'元'``, ``'%'`` or ``'‰'`` when the text ends with it, else None.

    Examples
    --------
    >>> parse_number("95%")
    Number(value=95.0, unit='%')
    """

    value: float
    unit: str | None


def parse_number(text: object) -> Number:
    """Parse one number that may carry thousands separators and a unit suffix.

    Parameters
    ----------
    text : object
        A cell: ``'1,234.50万元'``, ``'95%'``, ``'１２３'``, ``'-3e2'``, a float …

    Returns
    -------
    Number
        The value as written and the unit suffix (not converted).

    Raises
    ------
    ValueParseError
        When the text (after :func:`clean_text`, spaces and the unit suffix removed) is not a number,
        or its magnitude exceeds :data:`MAX_ABS_VALUE` (10¹²) or is not finite.

    Examples
    --------
    >>> parse_number("1,234.50万元")
    Number(value=1234.5, unit='万元')
    >>> parse_number("约100")
    Traceback (most recent call last):
    ...
    perfeval_lib.core.errors.ValueParseError: 无法识别「约100」/ cannot read '约100'; 应为 expected: 数字 / a number
    """
    cleaned = clean_text(text).replace(" ", "")
    unit = None
    for suffix, name in _UNIT_SUFFIXES:
        if cleaned.endswith(suffix):
            cleaned, unit = cleaned[: -len(suffix)], name
            break
    match = _NUMBER_RE.match(cleaned)
    if not match:
        raise ValueParseError(text, "数字 / a number")
    sign, digits, exponent = match.groups()
    value = float(sign + digits.replace(",", "") + (f"e{exponent}" if exponent else ""))
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise ValueParseError(text, f"绝对值不超过 {MAX_ABS_VALUE:.0e} 的有限数字 / a finite number")
    return Number(value, unit)


def parse_money(text: object, header_unit: str = "万元") -> float:
    """Parse an amount into 万元; a unit written in the cell wins over the column header's unit.

    Mixed units are common in published tables (rules.md §4: 7,800,000.00 元 in one table = 780 万元 in
    another), so every amount is brought to 万元 here.

    Parameters
    ----------
    text : object
        A cell: ``'507.02'``, ``'507.02万元'``, ``'5,070,200.00元'``, ``'0.05亿元'`` …
    header_unit : str, default ``'万元'``
        The unit the column header states (``'万元'``, ``'元'`` or ``'亿元'``), used when the cell has none.

    Returns
    -------
    float
        The amount in 万元, rounded to 6 decimals (1 元 = 0.0001 万元).

    Raises
    ------
    ValueParseError
        When the text is not a number (see :func:`parse_number`), or its unit (written or from the
        header) is not 万元, 元 or 亿元 (e.g. ``'95%'``).

    Examples
    --------
    >>> parse_money("507.02")
    507.02
    >>> parse_money("5,070,200.00", header_unit="元")
    507.02
    >>> parse_money("7,800,000.00元")
    780.0
    """
    number = parse_number(text)
    unit = number.unit or header_unit
    if unit not in _TO_WAN:
        raise ValueParseError(text, "金额，单位万元或元 / an amount in 万元 or 元")
    return round(number.value * _TO_WAN[unit], 6)


def parse_percent(text: object, bare_is_percent: bool = True) -> float:
    """Parse a rate into a fraction: ``'96.5%'`` → 0.965.

    A bare number is read as percent points when ``bare_is_percent`` (``95`` → 0.95), as a fraction
    otherwise (``0.95`` → 0.95).

    Parameters
    ----------
    text : object
        A cell: ``'96.5%'``, ``'96.5％'``, ``'5‰'``, ``'95'`` …
    bare_is_percent : bool, default True
        How to read a number written without ``%`` or ``‰``.

    Returns
    -------
    float
        The rate as a fraction (0–1, may exceed 1); converted values are rounded to 12 decimals.

    Raises
    ------
    ValueParseError
        When the text is not a number, or carries a money unit (``'12万元'``).

    Examples
    --------
    >>> parse_percent("99.27%")
    0.9927
    >>> parse_percent("5‰"), parse_percent("95"), parse_percent("0.95", bare_is_percent=False)
    (0.005, 0.95, 0.95)
    """
    number = parse_number(text)
    if number.unit == "%" or (number.unit is None and bare_is_percent):
        return round(number.value / 100.0, 12)
    if number.unit == "‰":
        return round(number.value / 1000.0, 12)
    if number.unit is None:
        return number.value
    raise ValueParseError(text, "百分比 / a percentage")


@dataclass(frozen=True)
class Target:
    """An indicator value split into direction, number and state.

    ``state`` is ``'value'`` (a number), ``'text'`` (qualitative words such as 达成/好),
    ``'missing'`` or ``'na'`` (not applicable). ``percent`` says the number was written with ``%``
    (and is stored as a fraction).

    Attributes
    ----------
    direction : str or None
        ``'≥'``, ``'≤'`` or ``'='`` when the text starts with a comparison (``≥ >= > 不低于 不少于``,
        ``≤ <= < 不高于 不超过``, ``= 达到``), else None.
    value : float or None
        The number (a fraction when written with ``%``); None unless ``state == 'value'``.
    percent : bool
        True when the number was written with ``%``.
    state : str
        ``'value'``, ``'text'``, ``'missing'`` or ``'na'``.

    Examples
    --------
    >>> target = parse_target("不超过 5%")
    >>> target.direction, target.value, target.percent
    ('≤', 0.05, True)
    """

    direction: str | None
    value: float | None
    percent: bool
    state: str


def parse_target(text: object) -> Target:
    """Split ``'≥90%'`` / ``'≤2%'`` / ``'=100%'`` / ``'12'`` / ``'达成'`` into a :class:`Target`.

    The direction is read from a comparison or word before the number (≥ > 不低于 不少于 至少 …; ≤ <
    不高于 不超过 低于 控制在 …; = 等于 达到) or after it (…以上 ≥; …以下 …以内 …前 ≤), rules.md §2b; a 指标方向
    column, which wins over these, is resolved by the ingest layer. Text with one number and words
    around it keeps the number; text with no number, several, or a date is qualitative
    (``state='text'``), never an error.

    Parameters
    ----------
    text : object
        A 年度指标值 or 实际完成值 cell.

    Returns
    -------
    Target
        Direction, value (a fraction when written with ``%``), ``percent`` and state.

    Examples
    --------
    >>> parse_target("≤2%")
    Target(direction='≤', value=0.02, percent=True, state='value')
    >>> parse_target("不涉及").state
    'na'
    >>> parse_target("不低于 12")
    Target(direction='≥', value=12.0, percent=False, state='value')
    >>> parse_target("达成")
    Target(direction=None, value=None, percent=False, state='text')

    Words around one number are part of the text, not a reason to drop the value (rules.md §2b):

    >>> parse_target("不超过20个工作日"), parse_target("98%以上")
    (Target(direction='≤', value=20.0, percent=False, state='value'), Target(direction='≥', value=0.98, percent=True, state='value'))
    >>> parse_target("9月前").direction, parse_target("168起").value, parse_target("2023年12月底前完成").state
    ('≤', 168.0, 'text')
    """
    cleaned = clean_text(text)
    state = state_of(cleaned)
    if state != "value":
        return Target(None, None, False, state)
    direction = None
    match = _DIRECTION_RE.match(cleaned)
    if match:
        direction = _DIRECTIONS[match.group(1)]
        cleaned = cleaned[match.end():].strip()
    try:
        number = parse_number(cleaned)
    except ValueParseError:
        return _target_in_words(cleaned, direction)
    if number.unit == "%":
        return Target(direction, round(number.value / 100.0, 12), True, "value")
    return Target(direction, number.value, False, "value")


def _target_in_words(text: str, direction: str | None) -> Target:
    """One number with words around it (30个工作日, 98%以上, 不超过20天, 9月前): the number, and the
    direction the words state. Text with no number, several numbers or a date stays qualitative."""
    numbers = list(_NUMBER_IN_TEXT.finditer(text))
    if len(numbers) != 1 or re.search(r"\d{4}\s*年", text):
        return Target(direction, None, False, "text")
    found = numbers[0]
    before = text[:found.start()].strip()
    if before and (word := _DIRECTION_RE.match(before)) and word.end() == len(before):
        direction = direction or _DIRECTIONS[word.group(1)]
    suffix = _SUFFIX_RE.search(text[found.end():])
    if suffix and direction in (None, "="):  # 达到95%以上: the words after the number are the more precise
        direction = _SUFFIX_DIRECTIONS[suffix.group(1)]
    value = float(found.group(0).replace(",", ""))
    if _PERCENT_AFTER.match(text[found.end():]):
        return Target(direction, round(value / 100.0, 12), True, "value")
    return Target(direction, value, False, "value")


@dataclass
class ParsedColumn:
    """Result of :func:`parse_column`: values (float64), per-row state, and the rows that failed.

    Attributes
    ----------
    values : numpy.ndarray
        float64, one per row: money in 万元, rates as fractions, other numbers as written; NaN where
        the state is not ``'value'``.
    state : numpy.ndarray
        object, one per row: ``'value'``, ``'missing'``, ``'na'`` or ``'error'``.
    errors : dict of int to ValueParseError
        Positional row index → the error of that cell (rows whose state is ``'error'``).

    Examples
    --------
    >>> parsed = parse_column(pd.Series(["12", "约12"]), "number")
    >>> parsed.state.tolist(), parsed.errors[1].expected
    (['value', 'error'], '数字 / a number')
    """

    values: np.ndarray
    state: np.ndarray
    errors: dict[int, ValueParseError]


def parse_column(series: pd.Series, kind: str, header_unit: str = "万元") -> ParsedColumn:
    """Parse a whole column of ``kind`` ``'money'`` (into 万元), ``'percent'`` or ``'number'``.

    Plain numeric cells take a vectorised path; each distinct remaining text is parsed once.
    ``errors`` maps positional row index to the error of that cell.

    Parameters
    ----------
    series : pandas.Series
        The cells of one column, numbers or text.
    kind : {'money', 'percent', 'number'}
        How to read them: :func:`parse_money` (into 万元), :func:`parse_percent` (a bare number is
        percent points: ``95`` → 0.95) or :func:`parse_number`.
    header_unit : str, default ``'万元'``
        For ``'money'``: the unit the header states (``'万元'``, ``'元'``, ``'亿元'``), applied to
        cells that write none.

    Returns
    -------
    ParsedColumn
        Values, per-row state and per-row errors. Unreadable cells are reported, not raised.

    Raises
    ------
    KeyError
        When ``kind`` is not one of the three.

    Examples
    --------
    >>> parsed = parse_column(pd.Series(["1", "2万元", "—", "x"]), "money")
    >>> parsed.values.tolist()
    [1.0, 2.0, nan, nan]
    >>> parsed.state.tolist(), sorted(parsed.errors)
    (['value', 'value', 'missing', 'error'], [3])
    >>> parse_column(pd.Series(["95%", "不涉及"]), "percent").values.tolist()
    [0.95, nan]
    """
    n = len(series)
    values = np.full(n, np.nan)
    state = np.full(n, "value", dtype=object)
    errors: dict[int, ValueParseError] = {}
    if n == 0:
        return ParsedColumn(values, state, errors)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numeric = series.to_numpy(dtype="float64", na_value=np.nan)
        fast = np.isfinite(numeric) & (np.abs(numeric) <= MAX_ABS_VALUE)
    else:
        numeric = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        fast = np.isfinite(numeric) & (np.abs(numeric) <= MAX_ABS_VALUE)
    factor = {"money": _TO_WAN.get(header_unit, 1.0), "percent": 0.01, "number": 1.0}[kind]
    values[fast] = numeric[fast] * factor
    slow = np.flatnonzero(~fast)
    if len(slow):
        texts = clean_column(series.iloc[slow])
        for text, positions in texts.groupby(texts, sort=False).indices.items():
            rows = slow[positions]
            cell_state = state_of(text)
            if cell_state != "value":
                state[rows] = cell_state
                continue
            try:
                if kind == "money":
                    parsed = parse_money(text, header_unit)
                elif kind == "percent":
                    parsed = parse_percent(text)
                else:
                    parsed = parse_number(text).value
                values[rows] = parsed
            except ValueParseError as exc:
                state[rows] = "error"
                for row in rows:
                    errors[int(row)] = exc
        # NaN cells read from a typed column are missing, not errors
    return ParsedColumn(values, state, errors)


def parse_target_column(series: pd.Series, percent_measure: np.ndarray | None = None) -> pd.DataFrame:
    """Parse a column of targets/actuals into ``direction``, ``value``, ``state``, ``percent`` columns.

    ``percent_measure`` (bool per row) marks rows whose 计量单位 is ``%``: a bare number there is
    read as percent points (``95`` → 0.95), as real forms write it.

    Parameters
    ----------
    series : pandas.Series
        年度指标值 or 实际完成值 cells.
    percent_measure : numpy.ndarray of bool, optional
        One per row: True where the row's 计量单位 is ``%``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``series``; columns ``direction`` (``'≥'``/``'≤'``/``'='`` or None), ``value``
        (float64; rates as fractions), ``state`` (``'value'``, ``'text'``, ``'missing'``, ``'na'``) and
        ``percent`` (bool), as :func:`parse_target` gives them.

    Examples
    --------
    >>> parse_target_column(pd.Series(["≥90%", "12", "达成"]))["value"].tolist()
    [0.9, 12.0, nan]
    >>> parse_target_column(pd.Series(["95", "95"]), np.array([True, False]))["value"].tolist()
    [0.95, 95.0]
    """
    texts = clean_column(series)
    uniques, codes = np.unique(texts.to_numpy(dtype=object).astype(str), return_inverse=True)
    parsed = [parse_target(u) for u in uniques]
    direction = np.array([p.direction for p in parsed], dtype=object)[codes]
    value = np.array([np.nan if p.value is None else p.value for p in parsed], dtype="float64")[codes]
    state = np.array([p.state for p in parsed], dtype=object)[codes]
    percent = np.array([p.percent for p in parsed], dtype=bool)[codes]
    if percent_measure is not None:
        bare = percent_measure & ~percent & (state == "value")
        value = np.where(bare, value / 100.0, value)
        percent = percent | bare
    return pd.DataFrame({"direction": direction, "value": value, "state": state, "percent": percent},
                        index=series.index)


def header_unit(header: str) -> str | None:
    """The money unit a column header states: ``'全年预算数（元）'`` → ``'元'``; None when not stated.

    Parameters
    ----------
    header : str
        A column header as written, e.g. ``'年初预算数(万元)'`` or ``'执行数（单位：元）'``.

    Returns
    -------
    str or None
        ``'万元'``, ``'亿元'`` or ``'元'`` when the header holds brackets naming it (``（万元）``,
        ``[元]``, ``【单位：元】``), else None.

    Examples
    --------
    >>> header_unit("年初预算数(万元)"), header_unit("执行数（元）"), header_unit("执行数")
    ('万元', '元', None)
    """
    cleaned = clean_text(header)
    match = re.search(r"[(\[（【]\s*(?:单位[:：]?\s*)?(万元|亿元|元)\s*[)\]）】]", cleaned)
    return match.group(1) if match else None

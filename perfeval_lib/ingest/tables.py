"""Read raw tables (CSV, XLSX, parquet), normalise them to the canonical tables, write parquet.

The flow for one file: read every sheet as text-like cells → find the header row → map headers to
canonical columns → parse each column (money into 万元, percents, targets) → drop blank and total
rows → validate (:mod:`perfeval_lib.ingest.validate`). Every problem becomes an :class:`~perfeval_lib.core.issues.Issue`
naming the file, sheet, row and column; valid rows still load when others fail.

Examples
--------
>>> import perfeval_lib as pe
>>> budget = pe.load_budget("data/raw/demo/budget_2021.csv")          # doctest: +SKIP
>>> loaded = pe.read_table("data/raw/demo/budget_2021.csv")          # doctest: +SKIP
>>> loaded.frame, loaded.issues                                      # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import csv
import io as iolib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import config
from ..core.errors import DataMissing, InputError, ValidationFailed
from .filecheck import check_size, check_workbook, max_cell_chars, unreadable_cells
from ..core.issues import Issue
from ..core.parse import INVISIBLE, clean_column, header_unit, parse_column, parse_target_column
from ..core.schema import INDICATOR_COLUMNS, INPUT_TABLES, LABELS, Table, normalise_header
from .validate import validate
from ..core.files import decode_csv_bytes

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".parquet"}
#: How many leading rows may hold a title before the header row.
HEADER_SEARCH_ROWS = 15
_TOTAL_WORDS = re.compile(r"^(合计|总计|小计|总分|合计数|总计数)$")
_SUBTOTAL_WORD = "小计"


@dataclass
class RawSheet:
    """One sheet (or a CSV file) as read: every cell as found, nothing interpreted yet."""

    file: str
    sheet: str | None
    cells: pd.DataFrame
    encoding: str | None = None
    #: Cells perfeval must not read as values: (row, column), 0-based → (kind, text); kind is
    #: ``formula`` (a formula with no stored result) or ``excel_error`` (#DIV/0!, #N/A …).
    bad_cells: dict = field(default_factory=dict)


@dataclass
class Loaded:
    """A canonical table built from one or more files: the valid rows and every issue found."""

    table: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Claimed totals found as 合计 rows of an indicator table (None for other tables).
    claims: pd.DataFrame | None = None
    #: Where each row of ``frame`` came from: ``_file``, ``_sheet``, ``_row`` (same order as ``frame``).
    provenance: pd.DataFrame | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------



def csv_cells(text: str, delimiter: str | None, name: str) -> pd.DataFrame:
    r"""Every CSV cell as text, rows of any length (title lines above the header are often shorter).

    >>> csv_cells("标题\na,b\n1,2\n", None, "x.csv").values.tolist()
    [['标题', ''], ['a', 'b'], ['1', '2']]
    """
    if delimiter is None:
        sample = text[:20_000]
        delimiter = max([",", "\t", ";", "，"], key=sample.count) if sample else ","
    csv.field_size_limit(2**31 - 1)  # the file-size limit bounds memory; overlong cells are reported per cell
    try:
        rows = list(csv.reader(iolib.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(name, message=f"不是有效的 CSV（{exc}）/ not a valid CSV",
                         expected="逗号分隔、引号成对的 CSV / a comma-separated file with balanced quotes") from None
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def read_file(path: str | Path, shown_as: str | None = None) -> list[RawSheet]:
    """Read every sheet of a CSV/XLSX/parquet file without interpreting any cell.

    >>> sheets = read_file("data/raw/demo/units.csv")                 # doctest: +SKIP
    """
    path = Path(path)
    name = shown_as or str(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(name, message="文件不存在 / file not found")
    check_size(path, name)
    if suffix in {".csv", ".txt", ".tsv"}:
        text, encoding = decode_csv_bytes(path.read_bytes(), name)
        return [RawSheet(name, None, csv_cells(text, "\t" if suffix == ".tsv" else None, name), encoding)]
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        if suffix != ".xls":
            check_workbook(path, name)
        try:
            sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
        except Exception as exc:  # calamine raises its own types for corrupt files
            raise InputError(name, message=f"无法读取工作簿 / cannot read the workbook ({type(exc).__name__}: {exc})",
                             expected="有效的 .xlsx 文件 / a valid .xlsx file") from None
        flagged = unreadable_cells(path) if suffix != ".xls" else {}
        return [RawSheet(name, str(sheet), cells, bad_cells=flagged.get(str(sheet), {}))
                for sheet, cells in sheets.items()]
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        header = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]))
        body = frame.set_axis(range(frame.shape[1]), axis=1)
        return [RawSheet(name, None, pd.concat([header, body], ignore_index=True))]
    raise InputError(name, message="不支持的文件类型 / unsupported file type",
                     expected="CSV、XLSX 或 parquet / CSV, XLSX or parquet")


def _header_matches(cells: pd.DataFrame, table: Table) -> list[tuple[int, int]]:
    """(row index, number of canonical headers) for the first rows of a sheet."""
    scores = []
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        mapped = {table.column_for_header(v) for v in cells.iloc[i].tolist()} - {None}
        scores.append((i, len(mapped)))
    return scores


def find_header_row(cells: pd.DataFrame, table: Table) -> int | None:
    """The row (0-based) holding the header: the first row with the most canonical headers (≥ 2)."""
    best_row, best_count = None, 1
    for row, count in _header_matches(cells, table):
        if count > best_count:
            best_row, best_count = row, count
    return best_row


def detect_table(path: str | Path, sheet: RawSheet | None = None) -> str | None:
    """Which canonical table a file holds: by its name first, then by its headers.

    >>> detect_table("data/raw/x/budget_2021.csv")
    'budget'
    """
    stem = normalise_header(Path(path).stem)
    for table in INPUT_TABLES.values():
        if any(stem.startswith(word.lower()) for word in table.file_words):
            return table.name
    if sheet is None:
        return None
    best, best_count = None, 2
    for table in INPUT_TABLES.values():
        count = max((c for _, c in _header_matches(sheet.cells, table)), default=0)
        if count > best_count and all(
                c in _mapped_columns(sheet.cells, table) for c in table.required):
            best, best_count = table.name, count
    return best


def _mapped_columns(cells: pd.DataFrame, table: Table) -> set[str]:
    row = find_header_row(cells, table)
    if row is None:
        return set()
    return {table.column_for_header(v) for v in cells.iloc[row].tolist()} - {None}


# ---------------------------------------------------------------------------------------------
# From cells to a canonical frame
# ---------------------------------------------------------------------------------------------

def _column_map(header: list, table: Table, sheet: RawSheet, header_row: int, issues: list[Issue]) -> dict:
    """Canonical column → (position, raw header). Duplicated canonical columns are an error."""
    mapping: dict[str, tuple[int, str]] = {}
    for position, raw in enumerate(header):
        name = table.column_for_header(raw)
        if name is None:
            continue
        if name in mapping:
            issues.append(Issue("error", "duplicate_column",
                                f"列重复：「{mapping[name][1]}」与「{raw}」都表示 {name} / two columns mean {name}",
                                sheet.file, sheet.sheet, header_row + 1, str(raw),
                                expected="每个字段只出现一列 / each field in one column only"))
            continue
        mapping[name] = (position, str(raw))
    return mapping


def _text_column(values: pd.Series) -> pd.Series:
    cleaned = clean_column(values)
    return cleaned.where(cleaned != "", None)


def _no_header(sheet: RawSheet, table: Table) -> InputError:
    """The error for a sheet without a recognisable header: say why if we can tell (mis-decoded text)."""
    required = "、".join(c.label for c in table.columns if c.required)
    repaired = _repair_mojibake(sheet.cells.head(HEADER_SEARCH_ROWS))
    if repaired is not None and find_header_row(repaired, table) is not None:
        return InputError(sheet.file, sheet.sheet, row=1,
                          message="表头是乱码：UTF-8 文字曾被当作 GBK 打开后再保存 / the header is mojibake: UTF-8 text "
                                  "was opened as GBK and saved again",
                          expected="用原始文件，或在 Excel/WPS 中以 UTF-8 编码重新导入后另存 / use the original file, or "
                                   "re-import it as UTF-8 and save again")
    return InputError(sheet.file, sheet.sheet, row=1,
                      message=f"找不到{table.label}表的表头 / no header row of the {table.name} table found",
                      expected=f"前{HEADER_SEARCH_ROWS}行中有一行表头，如：{required} / a header row within the first "
                               f"{HEADER_SEARCH_ROWS} rows")


def _repair_mojibake(cells: pd.DataFrame) -> pd.DataFrame | None:
    def repair(value):
        if not isinstance(value, str):
            return value
        try:
            return value.encode("gb18030").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value

    repaired = cells.map(repair)
    return None if repaired.equals(cells) else repaired


def _cell_checks(sheet: RawSheet, body: pd.DataFrame, rows: np.ndarray, position: int, raw_header: str,
                 issues: list[Issue]) -> np.ndarray:
    """Cells of one column that cannot be used: formulas with no stored result, Excel errors, overlong text.

    Returns the rows (positions in ``body``) to reject.
    """
    rejected = np.zeros(len(body), dtype=bool)
    if sheet.bad_cells:
        where = {int(original): index for index, original in enumerate(body.index)}
        for (row, column), (kind, text) in sorted(sheet.bad_cells.items()):
            if column != position or row not in where:
                continue
            index = where[row]
            message, expected = (
                ("公式没有计算结果（perfeval 不计算公式）/ a formula with no stored result (formulas are never evaluated)",
                 "在 Excel/WPS 中打开并保存（保存计算结果），或粘贴为数值 / open and save it in Excel/WPS, or paste values")
                if kind == "formula" else
                ("单元格是 Excel 错误值 / the cell is an Excel error", "修正公式或填入数值 / fix the formula or type the value"))
            issues.append(Issue("error", "formula_without_value" if kind == "formula" else "excel_error", message,
                                sheet.file, sheet.sheet, int(rows[index]), raw_header, text, expected))
            rejected[index] = True
    limit = max_cell_chars()
    codes, uniques = pd.factorize(body.iloc[:, position])
    long_values = [i for i, v in enumerate(uniques) if isinstance(v, str) and len(v) > limit]
    for index in np.flatnonzero(np.isin(codes, long_values)):
        value = body.iat[index, position]
        issues.append(Issue("error", "cell_too_long",
                            f"单元格内容过长（{len(value)} 个字符，上限 {limit}）/ the cell holds {len(value)} characters",
                            sheet.file, sheet.sheet, int(rows[index]), raw_header, value[:40] + "…",
                            "精简内容，或设置 PERFEVAL_MAX_CELL_CHARS 提高上限 / shorten it, or raise PERFEVAL_MAX_CELL_CHARS"))
        rejected[index] = True
    return rejected


def _invisible_characters(sheet: RawSheet, values: pd.Series, rows: np.ndarray, raw_header: str,
                          issues: list[Issue]) -> None:
    """Zero-width and direction-changing characters are removed from text; say where, once per column."""
    codes, uniques = pd.factorize(values)
    marked = [i for i, v in enumerate(uniques) if isinstance(v, str) and not INVISIBLE.isdisjoint(map(ord, v))]
    hidden = np.isin(codes, marked)
    if hidden.any():
        first = int(np.flatnonzero(hidden)[0])
        issues.append(Issue("warning", "invisible_characters",
                            f"含有不可见字符（零宽或改变文字方向的字符），已删除；共 {int(hidden.sum())} 处 / invisible "
                            "(zero-width or bidirectional) characters were removed",
                            sheet.file, sheet.sheet, int(rows[first]), raw_header, repr(values.iloc[first])[:60]))


def sheet_to_frame(sheet: RawSheet, table: Table) -> tuple[pd.DataFrame, list[Issue]]:
    """Turn one raw sheet into canonical columns plus ``_file``, ``_sheet`` and ``_row`` (1-based).

    Cells that cannot be parsed are reported and left empty; the row is marked in ``_bad``.
    """
    issues: list[Issue] = []
    cells = sheet.cells
    header_row = find_header_row(cells, table)
    if header_row is None:
        raise _no_header(sheet, table)
    header = cells.iloc[header_row].tolist()
    mapping = _column_map(header, table, sheet, header_row, issues)
    missing = [c for c in table.required if c not in mapping]
    if missing:
        labels = "、".join(table.column(c).label for c in missing)
        raise InputError(sheet.file, sheet.sheet, row=header_row + 1,
                         message=f"缺少必需的列：{labels} / missing required column(s): {', '.join(missing)}",
                         expected="表头包含 / a header with: " + "、".join(table.column(c).label for c in table.required))
    body = cells.iloc[header_row + 1:]
    rows = np.arange(header_row + 2, header_row + 2 + len(body))
    blank = np.logical_and.reduce([clean_column(body.iloc[:, i]).eq("").to_numpy() for i in range(body.shape[1])]) \
        if body.shape[1] else np.zeros(len(body), dtype=bool)
    body, rows = body.iloc[~blank], rows[~blank]
    if body.empty:
        issues.append(Issue("warning", "no_rows", "只有表头，没有数据行 / a header but no rows", sheet.file, sheet.sheet,
                            header_row + 1))

    frame = pd.DataFrame(index=range(len(body)))
    bad = np.zeros(len(body), dtype=bool)
    for name, (position, raw_header) in mapping.items():
        column = table.column(name)
        bad |= _cell_checks(sheet, body, rows, position, raw_header, issues)
        values = body.iloc[:, position].reset_index(drop=True)
        if column.kind in {"text", "code", "target"}:
            _invisible_characters(sheet, values, rows, raw_header, issues)
            frame[name if column.kind != "target" else name + "_raw"] = _text_column(values)
            continue
        parsed = parse_column(values, "number" if column.kind == "int" else column.kind,
                              header_unit=header_unit(raw_header) or "万元")
        cell_errors = {i: e.expected for i, e in parsed.errors.items()}
        problem = f"{column.label}不是有效的值 / not a valid {name}"
        if column.kind == "int":
            whole = np.isfinite(parsed.values) & (np.floor(parsed.values) == parsed.values)
            for index in np.flatnonzero(np.isfinite(parsed.values) & ~whole):
                cell_errors[int(index)] = "整数 / a whole number"
            frame[name] = pd.Series(np.where(whole, parsed.values, np.nan)).astype("Int64")
        else:
            frame[name] = parsed.values
        for index, expected in sorted(cell_errors.items()):
            issues.append(Issue("error", "bad_value", problem, sheet.file, sheet.sheet, int(rows[index]),
                                raw_header, values.iloc[index], expected))
        if cell_errors:
            flagged = np.isin(np.arange(len(body)), list(cell_errors))
            frame["_bad_" + name] = flagged
            bad |= flagged
    frame["_file"] = sheet.file
    frame["_sheet"] = sheet.sheet
    frame["_row"] = rows
    frame["_bad"] = bad
    return frame, issues


def _fill_down(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Merged cells come back empty below their first row: carry the value down."""
    present = [c for c in columns if c in frame.columns]
    return frame.assign(**{c: frame[c].ffill() for c in present}) if present else frame


def _fill_down_levels(frame: pd.DataFrame) -> pd.DataFrame:
    """Merged 一级/二级指标 cells: carry 一级 down, and 二级 down only within its 一级 block.

    >>> f = pd.DataFrame({"level1": ["预算执行率", "产出指标", None], "level2": ["预算执行率", None, None]})
    >>> _fill_down_levels(f)["level2"].tolist()
    ['预算执行率', None, None]
    """
    block = frame["level1"].notna().cumsum()
    filled = frame.assign(level1=frame["level1"].ffill())
    if "level2" in frame.columns:
        level2 = frame["level2"].groupby(block).ffill()
        filled = filled.assign(level2=level2.astype(object).where(level2.notna(), None))
    return filled


def _is_total(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if column in frame.columns:
            text = frame[column].fillna("").astype(str).str.replace(r"\s+", "", regex=True)
            mask |= text.str.match(_TOTAL_WORDS).to_numpy()
    return mask


# ---------------------------------------------------------------------------------------------
# Table-specific normalisation
# ---------------------------------------------------------------------------------------------

def _normalise_budget(frame: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    frame = _fill_down(frame, ["unit_code", "year"])
    label_columns = ["line", "category", "funding_source", "project"]
    total = _is_total(frame, label_columns)
    subtotal = np.zeros(len(frame), dtype=bool)
    for column in label_columns:
        if column in frame.columns:
            subtotal |= frame[column].fillna("").str.replace(r"\s+", "", regex=True).eq(_SUBTOTAL_WORD).to_numpy()
    details = frame[~total]
    totals = frame[total & ~subtotal]
    keep_totals = []
    detail_keys = set(zip(details["unit_code"], details["year"]))
    money = [c for c in ("budget_initial", "budget_final", "executed") if c in frame.columns]
    sums = details.groupby(["unit_code", "year"], dropna=False)[money].sum(min_count=1) if len(details) else None
    for index, row in totals.iterrows():
        key = (row["unit_code"], row["year"])
        if key not in detail_keys:
            keep_totals.append(index)  # headline figures only: the total row is the data
            continue
        for column in money:
            stated, summed = row[column], sums.loc[key, column]
            if pd.notna(stated) and pd.notna(summed) and abs(stated - summed) > 0.011:
                issues.append(Issue("warning", "total_mismatch",
                                    f"合计行与明细之和不符：合计 {stated:.2f} 万元，明细合计 {summed:.2f} 万元 / "
                                    f"total row {stated:.2f} differs from the sum of detail rows {summed:.2f}",
                                    row["_file"], row["_sheet"], int(row["_row"]), LABELS[column], f"{stated:.2f}",
                                    unit_code=row["unit_code"], year=_int_or_none(row["year"])))
    frame = pd.concat([details, frame.loc[keep_totals].assign(category="合计")]) if keep_totals else details
    for column in label_columns:
        if column not in frame.columns:
            frame[column] = None
    if frame["line"].isna().any():
        parts = frame[["category", "funding_source", "project"]].fillna("")
        made = parts["category"].str.cat([parts["funding_source"], parts["project"]], sep="/").str.strip("/")
        made = made.str.replace("//", "/", regex=False)
        frame["line"] = frame["line"].fillna(made.where(made != "", "未分类"))
    for column in ("budget_initial", "note"):
        if column not in frame.columns:
            frame[column] = np.nan if column == "budget_initial" else None
    return frame


def _normalise_spending(frame: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    frame = _fill_down(frame, ["unit_code", "year"])
    if "executed_cum" not in frame.columns and "executed_month" not in frame.columns:
        raise InputError(frame["_file"].iloc[0] if len(frame) else None,
                         message="缺少累计支出或当月支出列 / neither a cumulative nor a monthly spending column",
                         expected="累计支出 或 当月支出 / executed_cum or executed_month")
    if "executed_cum" not in frame.columns:
        ordered = frame.sort_values(["unit_code", "year", "month"])
        frame = ordered.assign(executed_cum=ordered.groupby(["unit_code", "year"])["executed_month"].cumsum())
    return frame


def _normalise_indicators(frame: pd.DataFrame, issues: list[Issue]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split targets, infer kinds, mark not-applicable rows; pull out total rows as claimed totals."""
    frame = _fill_down_levels(_fill_down(frame, ["unit_code", "year"]))
    total = _is_total(frame, ["level1", "level2", "level3"])
    totals = frame[total]
    frame = frame[~total].reset_index(drop=True)
    claims = pd.DataFrame({
        "unit_code": totals["unit_code"], "year": totals["year"],
        "claimed_score": totals.get("claimed_score", pd.Series(np.nan, index=totals.index)),
        "claimed_grade": None, "source": "指标表合计行",
        "_file": totals["_file"], "_sheet": totals["_sheet"], "_row": totals["_row"], "_bad": totals["_bad"],
    }).dropna(subset=["claimed_score"])

    measure = frame["measure"] if "measure" in frame.columns else pd.Series(None, index=frame.index, dtype="object")
    percent_measure = clean_column(measure).isin(["%", "百分比"]).to_numpy()
    target = parse_target_column(frame["target_raw"], percent_measure)
    actual = parse_target_column(frame["actual_raw"], percent_measure)
    kind = frame["kind"] if "kind" in frame.columns else pd.Series(None, index=frame.index, dtype="object")
    inferred = np.where(target["state"].eq("text"), "定性", "定量")
    kind = kind.map(lambda k: k if not isinstance(k, str) else "定性" if "定性" in k else "定量" if "定量" in k else k)
    _check_percent_scale(frame, target, actual, percent_measure, issues)
    applicable = ~(target["state"].eq("na") | actual["state"].eq("na"))
    out = frame.assign(
        kind=np.where(kind.isna(), inferred, kind.astype(object)),
        direction=target["direction"],
        target=target["value"], actual=actual["value"],
        target_text=frame["target_raw"], actual_text=frame["actual_raw"],
        measure=measure, applicable=applicable.to_numpy(),
    )
    for column in ("level2", "claimed_score", "note", "rule"):
        if column not in out.columns:
            out[column] = np.nan if column == "claimed_score" else None
    out["indicator"] = _indicator_ids(out)
    return out, claims


def _check_percent_scale(frame: pd.DataFrame, target: pd.DataFrame, actual: pd.DataFrame,
                         percent_measure: np.ndarray, issues: list[Issue]) -> None:
    """A % indicator whose value is written as a fraction (0.95) while others are written 95% or 95.

    Both readings are plausible (0.95 % or 95 %), so the row is rejected rather than guessed.
    """
    for parsed, column, label in ((target, "target_raw", "年度指标值"), (actual, "actual_raw", "实际完成值")):
        bare = percent_measure & (parsed["state"] == "value").to_numpy() & ~_has_percent_sign(frame[column])
        fraction_like = bare & (parsed["value"].to_numpy() * 100 <= 1.0) & (parsed["value"].to_numpy() > 0)
        if not fraction_like.any():
            continue
        for index in np.flatnonzero(fraction_like):
            row = frame.iloc[index]
            issues.append(Issue("error", "mixed_percent_scale",
                                f"计量单位为 %，值却写成小数「{row[column]}」：是 {row[column]}% 还是 "
                                f"{float(parsed['value'].iloc[index]) * 10000:g}%？/ a % value written as a fraction",
                                row["_file"], row["_sheet"], int(row["_row"]), label, row[column],
                                "统一写成 95% 或 95（计量单位 %）/ write it as 95% or 95 like the other rows",
                                unit_code=row.get("unit_code")))
        frame.loc[frame.index[fraction_like], "_bad"] = True


def _has_percent_sign(values: pd.Series) -> np.ndarray:
    return values.fillna("").astype(str).str.contains("%|％", regex=True).to_numpy()


def _indicator_ids(frame: pd.DataFrame) -> pd.Series:
    """An indicator's key is its 三级指标 name, prefixed by its 二级指标 where the name repeats."""
    ids = frame["level3"].fillna("")
    repeated = ids.groupby([frame["unit_code"], frame["year"], ids], dropna=False).transform("size").gt(1)
    prefixed = frame["level2"].fillna("").str.cat(ids, sep="·")
    return ids.where(~repeated, prefixed)


def _int_or_none(value) -> int | None:
    return None if pd.isna(value) else int(value)


_NORMALISERS = {"budget": _normalise_budget, "spending": _normalise_spending}


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def read_table(path: str | Path, table: str | None = None, shown_as: str | None = None) -> Loaded:
    """Read one file (every sheet holding the table) into a validated canonical table.

    Parameters
    ----------
    path : file to read (CSV in UTF-8 or GBK, XLSX, parquet).
    table : ``'units'``, ``'budget'``, ``'spending'``, ``'indicators'`` or ``'claims'``; detected
        from the file name or headers when omitted.
    shown_as : the file's name in messages (default: ``path`` as given).

    Returns
    -------
    Loaded
        ``frame`` holds the valid rows only; ``issues`` every error and warning, located.

    Examples
    --------
    >>> loaded = read_table("data/raw/demo/budget_2020.csv")          # doctest: +SKIP
    >>> len(loaded.errors)                                            # doctest: +SKIP
    0
    """
    name = shown_as or str(path)
    try:
        sheets = read_file(path, name)
    except InputError as error:
        return Loaded(table or "unknown", pd.DataFrame(), [Issue.from_error(error, "unreadable_file")], [name])
    issues: list[Issue] = []
    if sheets and sheets[0].encoding == "gb18030":
        issues.append(Issue("info", "encoding_gbk", "文件为 GBK/GB18030 编码，已自动识别 / read as GBK (GB18030)",
                            name))
    table = table or detect_table(path, sheets[0])
    if table is None:
        return Loaded("unknown", pd.DataFrame(), [Issue(
            "error", "unknown_table", "无法判断这是哪张表 / cannot tell which table this file holds", name,
            expected="文件名以 units/budget/spending/indicators/claims（或 单位/预算/支出进度/指标/自评结果）开头，"
                     "或表头可识别 / a file name or headers naming the table")], [name])
    spec = INPUT_TABLES[table]
    frames = []
    candidates = [s for s in sheets if find_header_row(s.cells, spec) is not None] or sheets[:1]
    for sheet in candidates:
        try:
            frame, sheet_issues = sheet_to_frame(sheet, spec)
        except InputError as error:
            issues.append(Issue.from_error(error, "missing_column" if "缺少" in error.message else "no_header"))
            continue
        issues.extend(sheet_issues)
        frames.append(frame)
    if not frames:
        return Loaded(table, empty_table(table), issues, [name])
    frame = pd.concat(frames, ignore_index=True)
    return finish_table(table, frame, issues, [name])


def finish_table(table: str, frame: pd.DataFrame, issues: list[Issue], files: list[str]) -> Loaded:
    """Table-specific normalisation and validation of parsed rows; returns the valid canonical rows."""
    claims = None
    try:
        if table == "indicators":
            frame, claims = _normalise_indicators(frame, issues)
        elif table in _NORMALISERS:
            frame = _NORMALISERS[table](frame, issues)
    except InputError as error:
        return Loaded(table, empty_table(table), issues + [Issue.from_error(error)], files)
    valid, more = validate(frame, table)
    issues.extend(more)
    return Loaded(table, canonical_columns(valid, table), issues, files,
                  claims if claims is not None and len(claims) else None, _provenance(valid))


_PROVENANCE = ["_file", "_sheet", "_row"]


def _provenance(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=_PROVENANCE).reset_index(drop=True)


def canonical_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Only the canonical columns, in their order, with their dtypes."""
    names = INDICATOR_COLUMNS if table == "indicators" else INPUT_TABLES[table].names
    out = frame.reindex(columns=names).reset_index(drop=True)
    for column in ("year", "month"):
        if column in out.columns:
            out[column] = out[column].astype("int64")
    if "applicable" in out.columns:
        out["applicable"] = out["applicable"].astype(bool)
    return out


def empty_table(table: str) -> pd.DataFrame:
    """A canonical table with no rows."""
    names = INDICATOR_COLUMNS if table == "indicators" else INPUT_TABLES[table].names
    return pd.DataFrame({c: pd.Series(dtype="object") for c in names})


def _load(path: str | Path, table: str) -> pd.DataFrame:
    loaded = read_table(path, table)
    if loaded.errors:
        raise ValidationFailed(loaded.issues)
    return loaded.frame


def load_units(path: str | Path) -> pd.DataFrame:
    """The unit registry from one file; raises :class:`ValidationFailed` listing every error.

    >>> units = load_units("data/raw/demo/units.csv")                # doctest: +SKIP
    """
    return _load(path, "units")


def load_budget(path: str | Path) -> pd.DataFrame:
    """Budget execution lines (money in 万元) from one file; raises :class:`ValidationFailed` on errors.

    >>> budget = load_budget("data/raw/demo/budget_2021.csv")        # doctest: +SKIP
    >>> budget[["budget_final", "executed"]].sum()                   # doctest: +SKIP
    """
    return _load(path, "budget")


def load_spending(path: str | Path) -> pd.DataFrame:
    """Monthly cumulative spending from one file; raises :class:`ValidationFailed` on errors.

    >>> spending = load_spending("data/raw/demo/spending.xlsx")       # doctest: +SKIP
    """
    return _load(path, "spending")


def load_indicators(path: str | Path) -> pd.DataFrame:
    """The indicator table (自评表) from one file; raises :class:`ValidationFailed` on errors.

    >>> indicators = load_indicators("data/raw/demo/indicators_2022.csv")  # doctest: +SKIP
    >>> indicators[["indicator", "weight", "target", "actual"]].head()      # doctest: +SKIP
    """
    return _load(path, "indicators")


def load_claims(path: str | Path) -> pd.DataFrame:
    """Claimed totals and grades (自评总分/自评等级) from one file.

    >>> claims = load_claims("data/raw/demo/claims.csv")              # doctest: +SKIP
    """
    return _load(path, "claims")

















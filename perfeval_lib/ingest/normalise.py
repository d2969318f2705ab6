"""Table-specific tidy-up of parsed rows: merged cells filled down, 合计 rows, derived columns.

What a finance table does that a canonical table must not: merged 单位编码/年度/一级指标 cells (empty
below their first row), 合计/小计 rows mixed with the detail rows, a monthly column where the
cumulative one is wanted, targets such as ``≥95%`` in one cell. Each input table has its rules here;
:func:`normalise_table` applies them between parsing (:func:`perfeval_lib.ingest.sheets.sheet_to_frame`)
and validation (:func:`perfeval_lib.ingest.validate.validate`).

Examples
--------
>>> frame = pd.DataFrame({"unit_code": ["D001", None], "year": [2022, None], "month": [1, 2],
...                       "executed_month": [10.0, 5.0], "_file": "spending.csv", "_sheet": None, "_row": [2, 3]})
>>> normalise_table("spending", frame, [])[0]["executed_cum"].tolist()
[10.0, 15.0]
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.issues import Issue
from ..core.parse import clean_column, parse_target_column
from ..core.schema import LABELS

#: ``claims.source`` of a claimed total read from the 合计/总分 row of an indicator table: a claims
#: file for the same unit-year wins over it (:func:`perfeval_lib.ingest.folder.load_folder`).
TOTAL_ROW_SOURCE = "指标表合计行"
_TOTAL_WORDS = re.compile(r"^(合计|总计|小计|总分|合计数|总计数)$")
_SUBTOTAL_WORD = "小计"


def _blind(frame: pd.DataFrame) -> pd.Series:
    """Rows whose file lost its merges (a CSV): an empty cell there is filled from the row above."""
    if "_merges_known" not in frame.columns:
        return pd.Series(True, index=frame.index)
    return ~frame["_merges_known"].fillna(False).astype(bool)


def _fill_down(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Merged cells of a CSV come back empty below their first row: carry the value down.

    A workbook's merged ranges are filled from its merge list when it is read
    (:func:`perfeval_lib.ingest.sheets.fill_merged_down`), so its other blank cells stay blank.
    """
    present = [c for c in columns if c in frame.columns]
    if not present:
        return frame
    blind = _blind(frame)
    return frame.assign(**{c: frame[c].where(~blind | frame[c].notna(), frame[c].ffill()) for c in present})


def _fill_down_levels(frame: pd.DataFrame) -> pd.DataFrame:
    """Merged 一级/二级指标 cells of a CSV: carry 一级 down, and 二级 down only within its 一级 block.

    >>> f = pd.DataFrame({"level1": ["预算执行率", "产出指标", None], "level2": ["预算执行率", None, None]})
    >>> _fill_down_levels(f)["level2"].tolist()
    ['预算执行率', None, None]
    """
    blind = _blind(frame)
    block = frame["level1"].notna().cumsum()
    level1 = frame["level1"].where(~blind | frame["level1"].notna(), frame["level1"].ffill())
    filled = frame.assign(level1=level1)
    if "level2" in frame.columns:
        level2 = frame["level2"].groupby(block).ffill().where(blind, frame["level2"])
        filled = filled.assign(level2=level2.astype(object).where(level2.notna(), None))
    return filled


def _blank_outside_merges(frame: pd.DataFrame, columns: list[str], issues: list[Issue]) -> None:
    """A warning for each blank cell of a workbook that no merged range covers: it is not filled."""
    known = ~_blind(frame)
    for column in columns:
        if column not in frame.columns or not known.any():
            continue
        blank = known & frame[column].isna()
        if column == "level2" and "level1" in frame.columns:
            blank &= frame["level1"].notna()
        # a sheet without any 二级指标 has no such column to fill
        groups = [frame["_file"].fillna(""), frame["_sheet"].fillna("")]
        named = frame[column].notna() & frame[column].ne(frame.get("level1"))  # not a 预算执行率 row labelled alike
        blank &= named.groupby(groups).transform("any").astype(bool)
        for _, row in frame[blank].iterrows():
            issues.append(Issue("warning", "blank_not_merged",
                                f"{LABELS[column]}为空，且不在合并单元格内：不沿用上一行 / the cell is empty and not part of "
                                "a merged range: it is not filled from the row above",
                                row["_file"], row["_sheet"], int(row["_row"]), LABELS[column], None,
                                "填写该单元格，或与上一行合并 / fill it in, or merge it with the cell above",
                                unit_code=row.get("unit_code")))


def _is_total(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if column in frame.columns:
            text = frame[column].fillna("").astype(str).str.replace(r"\s+", "", regex=True)
            mask |= text.str.match(_TOTAL_WORDS).to_numpy()
    return mask


def _int_or_none(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _normalise_budget(frame: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    """Check 合计 rows against the sum of their detail rows (kept only where there are no details),
    drop 小计 rows, make a ``line`` from category/source/project where none is given."""
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
    """Cumulative spending from the monthly column when only that is given."""
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
    _blank_outside_merges(frame[~total], ["level2"], issues)
    totals = frame[total]
    frame = frame[~total].reset_index(drop=True)
    claims = pd.DataFrame({
        "unit_code": totals["unit_code"], "year": totals["year"],
        "claimed_score": totals.get("claimed_score", pd.Series(np.nan, index=totals.index)),
        "claimed_grade": None, "source": TOTAL_ROW_SOURCE,
        "_file": totals["_file"], "_sheet": totals["_sheet"], "_row": totals["_row"], "_bad": totals["_bad"],
    }).dropna(subset=["claimed_score"])

    measure = frame["measure"] if "measure" in frame.columns else pd.Series(None, index=frame.index, dtype="object")
    percent_measure = clean_column(measure).isin(["%", "百分比"]).to_numpy()
    target = parse_target_column(frame["target_raw"], percent_measure)
    actual = parse_target_column(frame["actual_raw"], percent_measure)
    kind = frame["kind"] if "kind" in frame.columns else pd.Series(None, index=frame.index, dtype="object")
    inferred = np.where(target["state"].eq("text"), "定性", "定量")
    kind_direction = clean_column(kind).map(direction_word)  # 指标性质 holding ≥ / = (Sichuan, Yunnan forms)
    kind = kind.where(kind_direction.isna(), None)
    kind = kind.map(lambda k: k if not isinstance(k, str) else "定性" if "定性" in k else "定量" if "定量" in k else k)
    _check_percent_scale(frame, target, actual, percent_measure, issues)
    _align_percent_scale(frame, target, actual, percent_measure, issues)
    direction, source = _directions(frame, target, kind_direction, issues)
    _no_weight(frame, issues)
    applicable = ~(target["state"].eq("na") | actual["state"].eq("na"))
    out = frame.assign(
        kind=np.where(kind.isna(), inferred, kind.astype(object)),
        direction=direction, direction_source=source,
        target=target["value"], actual=actual["value"],
        target_text=frame["target_raw"], actual_text=frame["actual_raw"],
        measure=measure, applicable=applicable.to_numpy(),
    )
    for column in ("level2", "claimed_score", "note", "rule"):
        if column not in out.columns:
            out[column] = np.nan if column == "claimed_score" else None
    out["indicator"] = _indicator_ids(out)
    return out, claims


#: What a 指标方向 column says (rules.md §2b): 正向 ≥, 反向 ≤, 持平/等于 =, or the sign itself.
DIRECTION_WORDS = {"正向": "≥", "正向指标": "≥", "正": "≥", "越大越好": "≥", "反向": "≤", "反向指标": "≤", "反": "≤",
                   "越小越好": "≤", "持平": "=", "等于": "=", "中性": "=", "≥": "≥", ">=": "≥", ">": "≥", "≧": "≥",
                   "大于等于": "≥", "≤": "≤", "<=": "≤", "<": "≤", "≦": "≤", "小于等于": "≤", "=": "=", "==": "="}


def direction_word(text: object) -> str | None:
    """The direction a 指标方向 cell (or a 指标性质 cell holding a sign) states, None for anything else.

    >>> direction_word("反向"), direction_word("≥"), direction_word("定量")
    ('≤', '≥', None)
    """
    return DIRECTION_WORDS.get(str(text).strip()) if isinstance(text, str) else None


def _directions(frame: pd.DataFrame, target: pd.DataFrame, kind_direction: pd.Series,
                issues: list[Issue]) -> tuple[pd.Series, pd.Series]:
    """Each row's direction and where it was read (rules.md §2b): an explicit column, else the target's
    own sign or words; a column that contradicts the target's sign wins, with a warning."""
    column = clean_column(frame["direction"]).map(direction_word) if "direction" in frame.columns \
        else pd.Series(None, index=frame.index, dtype="object")
    column = column.where(column.notna(), kind_direction)
    if "direction" in frame.columns:
        unread = clean_column(frame["direction"]).ne("") & column.isna()
        for _, row in frame[unread.to_numpy()].iterrows():
            issues.append(Issue("warning", "bad_direction", "指标方向无法识别 / the direction is not understood",
                                row["_file"], row["_sheet"], int(row["_row"]), "指标方向", row["direction"],
                                "正向、反向、持平，或 ≥ ≤ = / 正向, 反向, 持平, or ≥ ≤ =", unit_code=row.get("unit_code")))
    from_target = pd.Series(target["direction"].to_numpy(), index=frame.index, dtype="object")
    clash = column.notna() & from_target.notna() & column.ne(from_target) & from_target.ne("=")
    for _, row in frame[clash.to_numpy()].iterrows():
        issues.append(Issue("warning", "direction_conflict",
                            f"指标方向（{column[_]}）与年度指标值的写法（{from_target[_]}）不一致，按指标方向列计分 / the "
                            "direction column and the target's sign disagree: the column is used",
                            row["_file"], row["_sheet"], int(row["_row"]), "指标方向", row.get("target_raw"),
                            unit_code=row.get("unit_code")))
    direction = column.where(column.notna(), from_target)
    source = np.where(column.notna(), "column", np.where(from_target.notna(), "target", None))
    return direction.astype(object).where(direction.notna(), None), pd.Series(source, index=frame.index, dtype="object")


def _no_weight(frame: pd.DataFrame, issues: list[Issue]) -> None:
    """An indicator row with no 分值 is kept (its other cells are data) but cannot be scored: say so."""
    if "weight" not in frame.columns:
        return
    missing = frame["weight"].isna() & ~frame["_bad"].fillna(False).astype(bool)
    for _, row in frame[missing.to_numpy()].iterrows():
        issues.append(Issue("warning", "no_weight", "分值为空：该指标不计分，总分无法复核 / no weight: the indicator is not "
                            "scored and no total can be recomputed", row["_file"], row["_sheet"], int(row["_row"]),
                            "分值", None, "填写分值 / state the weight", unit_code=row.get("unit_code")))


def _align_percent_scale(frame: pd.DataFrame, target: pd.DataFrame, actual: pd.DataFrame,
                         percent_measure: np.ndarray, issues: list[Issue]) -> None:
    """A row whose target is a percentage (≥100%) and whose actual a bare number above 1.5 (100), or
    the other way round, with no 计量单位 saying %: the bare number is read in percent points (100 →
    100 %), with a warning (rules.md §2c: read the way that fits the row). ``target``/``actual`` are
    updated."""
    for parsed, other, column, label in ((actual, target, "actual_raw", "实际完成值"),
                                         (target, actual, "target_raw", "年度指标值")):
        bare = (~percent_measure & parsed["state"].eq("value").to_numpy() & ~parsed["percent"].to_numpy()
                & other["state"].eq("value").to_numpy() & other["percent"].to_numpy()
                & (parsed["value"].to_numpy() > 1.5) & (parsed["value"].to_numpy() <= 1000))
        for index in np.flatnonzero(bare):
            row = frame.iloc[index]
            value = float(parsed["value"].iloc[index])
            parsed.iloc[index, parsed.columns.get_loc("value")] = round(value / 100.0, 12)
            parsed.iloc[index, parsed.columns.get_loc("percent")] = True
            issues.append(Issue("warning", "percent_points",
                                f"「{row[column]}」没有 % 号，按同行的百分数读作 {value:g}% / read as {value:g}% like "
                                "the row's other value", row["_file"], row["_sheet"], int(row["_row"]), label,
                                row[column], "写成带 % 的值 / write it with a % sign", unit_code=row.get("unit_code")))


def _check_percent_scale(frame: pd.DataFrame, target: pd.DataFrame, actual: pd.DataFrame,
                         percent_measure: np.ndarray, issues: list[Issue]) -> None:
    """A % indicator whose value is written as a bare fraction (0.92) while the row's other value is a
    percentage (rules.md §2c): both readings (0.92 % or 92 %) are possible.

    The reading that fits the row is taken — the one nearer the row's other value (0.92 beside a
    ``≥90%`` target is 92 %) — and a warning says so; with nothing to compare against, the row is
    rejected rather than guessed (``mixed_percent_scale``). ``target`` and ``actual`` are updated.
    """
    pairs = ((target, actual, "target_raw", "年度指标值"), (actual, target, "actual_raw", "实际完成值"))
    for parsed, other, column, label in pairs:
        bare = percent_measure & (parsed["state"] == "value").to_numpy() & ~_has_percent_sign(frame[column])
        value = parsed["value"].to_numpy(dtype="float64")
        fraction_like = bare & (value * 100 <= 1.0) & (value > 0)
        for index in np.flatnonzero(fraction_like):
            row = frame.iloc[index]
            reference = other["value"].iloc[index]
            as_percent, as_points = value[index] * 100.0, value[index]
            if other["state"].iloc[index] == "value" and bool(other["percent"].iloc[index]) and reference > 0:
                if abs(np.log(as_percent / reference)) < abs(np.log(as_points / reference)):
                    parsed.iloc[index, parsed.columns.get_loc("value")] = round(as_percent, 12)
                    issues.append(Issue("warning", "percent_read_as_fraction",
                                        f"计量单位为 %，「{row[column]}」按小数读作 {as_percent * 100:g}%（与同行的 "
                                        f"{reference * 100:g}% 相符）/ read as {as_percent * 100:g}%, which fits the row",
                                        row["_file"], row["_sheet"], int(row["_row"]), label, row[column],
                                        "写成带 % 的值，如 92% / write it with a % sign, e.g. 92%",
                                        unit_code=row.get("unit_code")))
                    continue
            issues.append(Issue("error", "mixed_percent_scale",
                                f"计量单位为 %，值却写成小数「{row[column]}」：是 {row[column]}% 还是 "
                                f"{float(value[index]) * 10000:g}%？/ a % value written as a fraction",
                                row["_file"], row["_sheet"], int(row["_row"]), label, row[column],
                                "统一写成 95% 或 95（计量单位 %）/ write it as 95% or 95 like the other rows",
                                unit_code=row.get("unit_code")))
            frame.loc[frame.index[index], "_bad"] = True


def _has_percent_sign(values: pd.Series) -> np.ndarray:
    return values.fillna("").astype(str).str.contains("%|％", regex=True).to_numpy()


def _indicator_ids(frame: pd.DataFrame) -> pd.Series:
    """An indicator's key is its 三级指标 name, prefixed by its 二级指标 where the name repeats."""
    ids = frame["level3"].fillna("")
    repeated = ids.groupby([frame["unit_code"], frame["year"], ids], dropna=False).transform("size").gt(1)
    prefixed = frame["level2"].fillna("").str.cat(ids, sep="·")
    return ids.where(~repeated, prefixed)


_NORMALISERS = {"budget": _normalise_budget, "spending": _normalise_spending}


def normalise_table(table: str, frame: pd.DataFrame, issues: list[Issue]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Apply the tidy-up rules of ``table`` to parsed rows.

    * ``budget``, ``spending``, ``indicators``: 单位编码 and 年度 carried down into the empty cells
      below a merged cell;
    * ``budget`` (money in 万元): a 合计/总计 row is checked against the sum of its unit-year's detail
      rows (``total_mismatch`` when they differ by more than 0.01 万元) and dropped, or kept as the
      unit-year's only line (category 合计) when there are no detail rows; 小计 rows are dropped;
      ``line`` is made from 支出类别/资金来源/项目名称 where the file has none;
    * ``spending``: ``executed_cum`` (万元) summed month by month from ``executed_month`` when only
      the monthly column is given;
    * ``indicators``: 一级指标 carried down, 二级指标 only within its 一级 block; targets such as
      ``≥95%`` split into ``direction`` and ``target`` (a fraction 0–1 for percents); ``kind``
      inferred (定性 for a text target, else 定量); 不涉及/无 marks a row not ``applicable``; a % value
      written as a fraction (0.95) is rejected (``mixed_percent_scale``); the 合计/总分 row becomes a
      claimed total; ``indicator`` is the 三级指标 name, prefixed with the 二级指标 where it repeats.

    Parameters
    ----------
    table : str
        ``'units'``, ``'budget'``, ``'spending'``, ``'indicators'`` or ``'claims'``.
    frame : pandas.DataFrame
        In: the output of :func:`perfeval_lib.ingest.sheets.sheet_to_frame` (canonical columns,
        ``target_raw``/``actual_raw`` for indicators, ``_file``, ``_sheet``, ``_row``, ``_bad``).
    issues : list of perfeval_lib.core.issues.Issue
        Warnings and errors found are appended to it.

    Returns
    -------
    frame : pandas.DataFrame
        Out: the rows to validate; for ``indicators`` also ``indicator``, ``direction``, ``target``,
        ``actual``, ``target_text``, ``actual_text``, ``applicable``. ``units`` and ``claims`` pass
        through unchanged.
    claims : pandas.DataFrame or None
        For ``indicators``: the 合计 rows with a 得分 as ``unit_code``, ``year``, ``claimed_score``,
        ``claimed_grade``, ``source`` (:data:`TOTAL_ROW_SOURCE`) and the provenance columns; else None.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        A spending table with neither a cumulative nor a monthly column.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit_code": ["D001", None, None], "year": [2022, None, None],
    ...                       "level1": ["产出指标", None, "合计"], "level2": ["数量指标", None, None],
    ...                       "level3": ["培训人次", "覆盖率", None], "claimed_score": [20.0, 10.0, 30.0],
    ...                       "target_raw": ["≥500", "≥95%", None], "actual_raw": ["520", "不涉及", None],
    ...                       "_file": "indicators.csv", "_sheet": None, "_row": [2, 3, 4], "_bad": False})
    >>> out, claims = normalise_table("indicators", frame, [])
    >>> out[["indicator", "direction", "target", "applicable"]].values.tolist()
    [['培训人次', '≥', 500.0, True], ['覆盖率', '≥', 0.95, False]]
    >>> claims[["unit_code", "claimed_score", "source"]].values.tolist()
    [['D001', 30.0, '指标表合计行']]
    """
    if table == "indicators":
        return _normalise_indicators(frame, issues)
    if table in _NORMALISERS:
        return _NORMALISERS[table](frame, issues), None
    return frame, None

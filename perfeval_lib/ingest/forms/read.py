"""An official 自评表 workbook → canonical tables: every sheet holding a form, read and combined.

Examples
--------
>>> from perfeval_lib.core import config
>>> form = read_form(config.PACKAGE_DIR.parent / "data/raw/demo/indicators_2023.xlsx", shown_as="indicators_2023.xlsx")
>>> form.layout, [i.code for i in form.errors], len(form.indicators)
('', ['no_form'], 0)
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.issues import Issue
from ..readers import RawSheet, read_file
from ..tables import PROVENANCE_COLUMNS, Loaded, canonical_columns, empty_table, once_per_file
from ..validate import validate
from .blocks import locate_form
from .grid import Grid
from .info import FormContext
from .sheet import EXTRAS_COLUMNS, FORM_TABLES, REVIEWED_COLUMNS, SheetRead, blank_frame, read_sheet


@dataclass
class FormData:
    """What an official form holds, as canonical tables plus the form's own parts.

    Parameters
    ----------
    layout : str
        A key of :data:`~perfeval_lib.ingest.forms.words.LAYOUTS` (``''`` when no form was read).
    units, budget, indicators, claims : pandas.DataFrame
        The canonical tables, valid rows only, with exactly the columns of
        :func:`perfeval_lib.ingest.tables.canonical_columns` (``indicators``:
        :data:`perfeval_lib.core.schema.INDICATOR_COLUMNS`); money in 万元, rates as fractions 0–1.
    goals : dict
        ``target`` / ``target_initial`` / ``actual`` / ``reason`` → the goals block's text.
    issues : list of perfeval_lib.core.issues.Issue
        Every error and warning, with the form's sheet, row and header text.
    extras : pandas.DataFrame
        Per indicator row (:data:`~perfeval_lib.ingest.forms.sheet.EXTRAS_COLUMNS`), what only some
        layouts have: ``core`` (是否核心指标, True/False), ``coefficient`` (得分系数, a fraction 0–1)
        and ``target_initial`` (年初指标值 when an adjusted target replaced it).
    reviewed : pandas.DataFrame
        A 复核得分 column found on the form (one written by perfeval), never mixed into the claims:
        ``unit_code``, ``year``, ``indicator``, ``score`` (points); the recomputed total has indicator
        :data:`~perfeval_lib.ingest.forms.words.TOTAL_KEY`.
    info : dict
        The unit-information labels (``unit_name``, ``contact``, ``phone`` …) → their values.
    file : str
        The file's name in messages.
    sheets : list of str
        The sheets a form was read from.
    provenance : dict
        Per table: ``_file``, ``_sheet``, ``_row`` of each row (same order as the table).
    forms : list of dict
        Per sheet read, what was read about the form itself (unit, label, project, year and its
        source, the budget block's stated figures): :attr:`perfeval_lib.ingest.forms.sheet.SheetRead.form`.

    Examples
    --------
    >>> from perfeval_lib.ingest.tables import empty_table
    >>> form = FormData("mof10", *(empty_table(t) for t in ("units", "budget", "indicators", "claims")))
    >>> sorted(form.tables()), form.errors, list(form.reviewed)
    (['budget', 'claims', 'indicators', 'units'], [], ['unit_code', 'year', 'indicator', 'score'])
    """

    layout: str
    units: pd.DataFrame
    budget: pd.DataFrame
    indicators: pd.DataFrame
    claims: pd.DataFrame
    goals: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    extras: pd.DataFrame = field(default_factory=lambda: blank_frame(EXTRAS_COLUMNS))
    reviewed: pd.DataFrame = field(default_factory=lambda: blank_frame(REVIEWED_COLUMNS))
    info: dict = field(default_factory=dict)
    file: str = ""
    sheets: list[str] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    forms: list = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name."""
        return {"units": self.units, "budget": self.budget, "indicators": self.indicators, "claims": self.claims}


def _nothing(name: str, issues: list[Issue]) -> FormData:
    return FormData("", empty_table("units"), empty_table("budget"), empty_table("indicators"),
                    empty_table("claims"), {}, issues, file=name)


def _combine(reads: list[SheetRead]) -> tuple[dict, dict, list[Issue]]:
    """The tables of several sheets as one per table, the key checked across sheets."""
    tables, provenance, issues = {}, {}, [i for read in reads for i in read.issues]
    for table in FORM_TABLES:
        parts = [read.loaded[table] for read in reads]
        if len(parts) == 1:
            tables[table], provenance[table] = parts[0].frame, parts[0].provenance
            continue
        located = [pd.concat([p.frame, p.provenance], axis=1) for p in parts if len(p.frame)]
        frame = pd.concat(located, ignore_index=True) if located else empty_table(table)
        valid, more = validate(frame, table, key_only=True)
        issues += more
        tables[table] = canonical_columns(valid, table)
        provenance[table] = valid.reindex(columns=PROVENANCE_COLUMNS).reset_index(drop=True)
    return tables, provenance, issues


def read_form(path: str | Path, registry: pd.DataFrame | None = None, shown_as: str | None = None,
              context: FormContext | None = None, sheets: list[RawSheet] | None = None) -> FormData:
    """Read an official 自评表 workbook into canonical tables, checked like any input file.

    Every sheet that holds a form is read (填表说明, 目录 and other sheets are skipped). The unit is the
    form's 单位编码 cell when it has one, else the ``registry`` unit whose 单位名称 matches the form's;
    otherwise an error names the cell and nothing is loaded (a code is never invented). The year comes
    from the title. 财政拨款 / 其他资金 rows become budget lines and the 合计 (年度资金总额) row is
    checked against them; a budget block with 分值 (the 财预〔2020〕10号 and Chongqing forms) also
    gives the indicator row 预算执行率 (target 100%, actual the stated rate). The 总分 row (or a
    自评总分 cell) is the claim, with 自评等级 when the form has it. Formulas are never evaluated:
    their values as Excel saved them are read.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (.xlsx / .xlsm).
    registry : pandas.DataFrame, optional
        The unit registry (canonical ``units`` table) to resolve a unit named without a code.
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).
    context : FormContext, optional
        ``--unit`` / ``--year`` for forms that do not state them (see
        :class:`~perfeval_lib.ingest.forms.info.FormContext`).
    sheets : list of perfeval_lib.ingest.readers.RawSheet, optional
        The workbook's sheets when they were already read (:func:`perfeval_lib.ingest.readers.read_file`):
        the file is not opened again.

    Returns
    -------
    FormData
        The canonical ``units``, ``budget`` (万元), ``indicators``, ``claims`` (valid rows only),
        ``goals``, ``layout``, ``extras``, ``reviewed`` and every issue (file, sheet, row, column,
        value). Nothing is raised: a file that is not a workbook gives an ``unreadable_file`` error,
        a workbook without a form a ``no_form`` error.

    Examples
    --------
    >>> form = read_form("自评表.xlsx", registry=units)                   # doctest: +SKIP
    >>> form.layout, form.indicators[["indicator", "weight", "claimed_score"]]   # doctest: +SKIP
    >>> read_form("missing.xlsx").issues[0].code
    'unreadable_file'
    """
    name = shown_as or str(path)
    context = replace(context or FormContext(), file_name=Path(path).name)
    try:
        raw_sheets = read_file(path, name) if sheets is None else sheets
    except InputError as error:
        return _nothing(name, [Issue.from_error(error, "unreadable_file")])
    reads: list[SheetRead] = []
    sheets: list[str] = []
    notes = [note for raw in raw_sheets for note in raw.notes]
    for raw in raw_sheets:
        grid = Grid.from_raw(raw)
        blocks = locate_form(grid)
        if blocks is not None:
            reads.append(read_sheet(grid, blocks, name, registry, context))
            sheets.append(raw.sheet)
    if not reads:
        return _nothing(name, notes + [Issue("error", "no_form", "工作簿中没有找到自评表（指标表表头）/ no self-evaluation form "
                                     "(indicator table header) found in the workbook", name,
                                     expected="含一级指标、三级指标、分值等表头的自评表 / a form with an indicator table")])
    tables, provenance, issues = _combine(reads)
    issues = once_per_file(notes + issues)
    extras = pd.concat([r.extras for r in reads], ignore_index=True) if len(reads) > 1 else reads[0].extras
    if len(reads) > 1:
        keep = tables["indicators"][["unit_code", "year", "indicator"]]
        extras = keep.merge(extras.drop_duplicates(["unit_code", "year", "indicator"]), how="left")
    reviewed = pd.concat([r.reviewed for r in reads], ignore_index=True) if len(reads) > 1 else reads[0].reviewed
    return FormData(reads[0].layout, tables["units"], tables["budget"], tables["indicators"], tables["claims"],
                    reads[0].goals, issues, extras, reviewed, reads[0].info, name, sheets, provenance,
                    [r.form for r in reads])


def read_form_tables(path: str | Path, registry: pd.DataFrame | None = None, shown_as: str | None = None,
                     context: FormContext | None = None, sheets: list[RawSheet] | None = None) -> dict[str, Loaded]:
    """A form as :class:`~perfeval_lib.ingest.tables.Loaded` parts per table, for
    :func:`perfeval_lib.ingest.folder.load_folder`.

    The form's unit row is left out when the registry already holds that unit (the registry wins;
    two rows for one unit would be a duplicate key). All the form's issues travel with ``indicators``.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (.xlsx / .xlsm).
    registry : pandas.DataFrame, optional
        The unit registry (canonical ``units`` table).
    shown_as : str, optional
        The file's name in messages (default: ``path`` as given).
    context : FormContext, optional
        As for :func:`read_form`.
    sheets : list of perfeval_lib.ingest.readers.RawSheet, optional
        As for :func:`read_form`: the sheets already read.

    Returns
    -------
    dict
        ``units``, ``budget``, ``indicators``, ``claims`` → :class:`~perfeval_lib.ingest.tables.Loaded`
        (valid rows with their provenance).

    Examples
    --------
    >>> parts = read_form_tables("data/raw/forms/自评表.xlsx", registry)   # doctest: +SKIP
    >>> sorted(parts)                                                      # doctest: +SKIP
    ['budget', 'claims', 'indicators', 'units']
    >>> [i.code for i in read_form_tables("missing.xlsx")["indicators"].issues]
    ['unreadable_file']
    """
    form = read_form(path, registry, shown_as, context, sheets)
    name = form.file
    parts = {}
    for table, frame in form.tables().items():
        provenance = form.provenance.get(table, blank_frame(PROVENANCE_COLUMNS))
        if table == "units" and registry is not None and len(registry) and len(frame):
            new = ~frame["unit_code"].isin(set(registry["unit_code"])).to_numpy()
            frame, provenance = frame[new].reset_index(drop=True), provenance[new].reset_index(drop=True)
        parts[table] = Loaded(table, frame, form.issues if table == "indicators" else [], [name],
                              provenance=provenance)
    return parts

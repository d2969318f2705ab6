"""The 自评报告 draft as a Word file, styled as a government document (python-docx).

A4 with the margins of 党政机关公文格式 (GB/T 9704), 仿宋 body in 三号 (16 pt) with 28 pt line spacing and a
two-character first-line indent, 黑体 level-one headings, 楷体 level-two headings, a 小标宋-style title,
page numbers "— n —" centred in the footer, the 收支 and 指标 tables and the charts. Text the analyst
still has to write (【待补充】) is highlighted; the reviewer's words (复核意见) are set in 楷体, and the
review's annex starts on a page of its own after 四、下一步改进措施.

Examples
--------
>>> from perfeval_lib.render import report
>>> r = report.unit_report("HZFL", 2022)                             # doctest: +SKIP
>>> write_docx(report.draft(r), "draft.docx", figure_pngs(r))  # doctest: +SKIP
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..narrate.draft import Draft, Figure, Paragraph, Section, Table
from ..core.files import atomic_path
from ..core.safetext import strip_controls

BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TITLE_FONT = "仿宋", "黑体", "楷体", "方正小标宋简体"
#: Fonts Word falls back to on machines without the Chinese ones (Latin text).
LATIN_FONT = "Times New Roman"
BODY_SIZE, TABLE_SIZE, TITLE_SIZE = Pt(16), Pt(9), Pt(22)


def _set_font(run_or_style, east_asian: str, size=None, bold=None) -> None:
    """Set both the Latin and the East Asian font (python-docx only sets the Latin one by itself)."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(footer.add_run("— "), BODY_FONT, Pt(14))
    _page_field(footer)
    _set_font(footer.add_run(" —"), BODY_FONT, Pt(14))


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    _set_font(run, BODY_FONT, Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_SIZE)
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = Pt(28)
    spacing.space_before = spacing.space_after = Pt(0)
    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        style = document.styles[name]
        _set_font(style, font, BODY_SIZE, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(28)
        style.paragraph_format.keep_with_next = True


#: Longest text Word accepts in a document property (title, subject …).
MAX_PROPERTY_CHARS = 255


def _xml(text: object) -> str:
    """Text as XML allows it: control characters (ESC, BEL …) are not allowed in a .docx."""
    return strip_controls(str(text))


def core_property(text: object) -> str:
    """Text for a document property: one line, no control characters, at most 255 characters (Word's limit).

    A unit name of 300 characters would otherwise make the Word file impossible to write.

    Parameters
    ----------
    text : object
        The title (or any property value).

    Returns
    -------
    str
        Whitespace runs made single spaces; cut to :data:`MAX_PROPERTY_CHARS` with “…”.

    Examples
    --------
    >>> core_property("2023年度" + "很长的单位名称" * 50 + "自评报告")[-3:], len(core_property("甲" * 400))
    ('长的…', 255)
    """
    line = " ".join(_xml(text).split())
    return line if len(line) <= MAX_PROPERTY_CHARS else line[:MAX_PROPERTY_CHARS - 1] + "…"


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run(_xml(block.text))
    _set_font(run, SUBHEADING_FONT if block.kind == "review" else BODY_FONT, BODY_SIZE)
    if block.kind == "todo":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _cell_text(cell, text: str, bold: bool = False, right: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    _set_font(paragraph.add_run(_xml(text)), BODY_FONT, TABLE_SIZE, bold=bold)


def _table(document, block: Table) -> None:
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(caption.add_run(_xml(block.caption)), HEADING_FONT, Pt(12))
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, text in enumerate(block.header):
        _cell_text(table.rows[0].cells[column], text, bold=True)
    for position, row in enumerate(block.rows, start=1):
        total = block.total_last and position == len(block.rows)
        for column, text in enumerate(row):
            _cell_text(table.rows[position].cells[column], text, bold=total, right=block.numeric[column])
            if block.flagged and block.flagged[position - 1]:
                _shade(table.rows[position].cells[column], "FDECEA")
    _repeat_header(table.rows[0])
    _fit_columns(table, block)


def _fit_columns(table, block: Table, text_width_cm: float = 15.6) -> None:
    """Share the text width between columns by how much each holds (Word's autofit squeezes text columns)."""
    weights = []
    for column, header in enumerate(block.header):
        longest = max([len(header)] + [len(row[column]) for row in block.rows])
        weights.append(min(max(longest, 2), 14))
    total = sum(weights)
    table.autofit = False
    for column, weight in enumerate(weights):
        width = Cm(text_width_cm * weight / total)
        for row in table.rows:
            row.cells[column].width = width


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _figure(document, block: Figure, figures: dict) -> None:
    if block.key not in figures:
        return
    png, caption = figures[block.key]
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(15))
    label = document.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(label.add_run(_xml(caption)), BODY_FONT, Pt(12))


def _section(document, section: Section, figures: dict) -> None:
    document.add_heading(_xml(section.heading), level=section.level)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block, figures)
    for sub in section.subsections:
        _section(document, sub, figures)


def build_document(draft: Draft, figures: dict | None = None):
    """The python-docx Document of a draft; ``figures`` maps a figure key to (PNG bytes, caption).

    Parameters
    ----------
    draft : perfeval_lib.narrate.draft.Draft
        The draft (:func:`perfeval_lib.render.report.draft`).
    figures : dict, optional
        Figure key → (PNG bytes, caption), e.g. :func:`perfeval_lib.render.draft_figures.figure_pngs`; a figure
        slot without one is left out.

    Returns
    -------
    docx.document.Document
        The document, not yet saved: A4, 公文 margins and fonts, page numbers, tables and charts.

    Examples
    --------
    >>> from perfeval_lib.narrate.draft import Draft, Paragraph, Section
    >>> doc = build_document(Draft("2023年度部门整体支出绩效自评报告", "", [Section("一、基本情况", 1, [Paragraph("略。")])]))
    >>> doc.core_properties.title, doc.paragraphs[0].text
    ('2023年度部门整体支出绩效自评报告', '2023年度部门整体支出绩效自评报告')
    """
    document = Document()
    _page_setup(document)
    _styles(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(16)
    _set_font(title.add_run(_xml(draft.title)), TITLE_FONT, TITLE_SIZE)
    document.core_properties.title = core_property(draft.title)
    for section in draft.sections:
        _section(document, section, figures or {})
    if draft.annex is not None:
        document.add_page_break()
        _section(document, draft.annex, figures or {})
    return document


def write_docx(draft: Draft, path: str | Path, figures: dict | None = None) -> Path:
    """Write the draft as a .docx (atomically) and return its path.

    Parameters
    ----------
    draft : perfeval_lib.narrate.draft.Draft
        The draft.
    path : str or Path
        The .docx to write; replaced atomically.
    figures : dict, optional
        Figure key → (PNG bytes, caption), as for :func:`build_document`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> from perfeval_lib.render import report
    >>> r = report.unit_report("D001", 2023)                             # doctest: +SKIP
    >>> write_docx(report.draft(r), "D001_2023.docx", figure_pngs(r))  # doctest: +SKIP
    PosixPath('D001_2023.docx')
    """
    path = Path(path)
    with atomic_path(path) as temporary:
        build_document(draft, figures).save(str(temporary))
    return path

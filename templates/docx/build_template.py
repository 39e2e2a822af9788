"""Build ``report.docx``, the default Word template of ``lgcb render --format docx``.

A .docx is binary, so this script is its source: run it after changing the layout and commit both
(``python templates/docx/build_template.py``).  The output is byte-for-byte reproducible (fixed
dates in the package and the zip), so a test can check that the committed template is current.

The template is an ordinary Word document with docxtpl (Jinja) tags in it, laid out as a UN
document annex: the annex line, the title in capitals (by style), the subtitle, a source note,
a contents field that Word updates on opening, then one section per objective, with the document
symbol (when the plan records one) in the header and page numbers in the footer.  Word users can
restyle it freely — the styles named in ``layout.STYLES`` carry all the looks — as long as the
tags stay.  Style names, labels and wording come from
``lgcb.word.layout``, the contract that ``lgcb import`` reads back (docs/word-layout.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TARGET = HERE / "report.docx"
if importlib.util.find_spec("lgcb") is None:  # run from a checkout without lgcb installed
    sys.path.insert(0, str(HERE.parent.parent / "src"))

from lgcb.word import layout  # noqa: E402
from lgcb.word.package import drop_thumbnail, set_application  # noqa: E402

ID_STYLE = layout.ID_STYLE
FIELD_STYLE = layout.FIELD_STYLE
GROUP_STYLE = layout.GROUP_STYLE
BULLETS = list(layout.BULLETS)
STYLES = list(layout.STYLES)
"""Every style a template must have: the renderer refers to them by name."""
COLUMNS = list(layout.COLUMNS)
PROGRESS_COLUMNS = list(layout.PROGRESS_COLUMNS)
DERIVED_HEADINGS = layout.DERIVED_HEADINGS

FIXED_TIME = dt.datetime(2012, 3, 16, tzinfo=dt.timezone.utc)
GREY = RGBColor.from_string(layout.ID_COLOUR)
BLACK = RGBColor(0, 0, 0)
FONT = "Times New Roman"
"""The UN's document font; LibreOffice substitutes the metric-compatible Liberation Serif."""
TEXT_WIDTH = Cm(26.1)
"""A4 landscape less two 1.8 cm margins."""


def _set(parent, tag: str, **attributes: str):  # type: ignore[no-untyped-def]
    """The child ``tag`` of ``parent`` (created at the end when missing) with ``attributes`` set."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _font(style, size: float | None = None, *, bold: bool | None = None, colour=BLACK) -> None:  # type: ignore[no-untyped-def]
    """The document font in ``size`` points, without the theme fonts python-docx's styles name."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    style.font.name = FONT
    rpr.find(qn("w:rFonts")).set(qn("w:cs"), FONT)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour
        colour_element = rpr.find(qn("w:color"))
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour_element.attrib.pop(qn(attribute), None)


def _document_defaults(document) -> None:  # type: ignore[no-untyped-def]
    """Times New Roman and English for everything not styled otherwise (the defaults name theme fonts)."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = _set(rpr, "w:rFonts")
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{name}"), FONT)
    _set(rpr, "w:lang", val="en-GB")


def _bullet_numbering(document, level: int) -> int:  # type: ignore[no-untyped-def]
    """A bullet list definition for depth ``level`` with its own glyph; returns its numId."""
    numbering = document.part.numbering_part.element
    number = 90 + level
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(number))
    _set(abstract, "w:multiLevelType", val="singleLevel")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    _set(lvl, "w:start", val="1")
    _set(lvl, "w:numFmt", val="bullet")
    _set(lvl, "w:pStyle", val=layout.BULLETS[level].replace(" ", ""))
    _set(lvl, "w:lvlText", val=layout.BULLET_GLYPHS[level])
    _set(lvl, "w:lvlJc", val="left")
    ppr = _set(lvl, "w:pPr")
    _set(ppr, "w:ind", left=str(284 * (level + 1)), hanging="284")
    rpr = _set(lvl, "w:rPr")
    _set(rpr, "w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, hint="default")
    abstract.append(lvl)
    numbering.find(qn("w:num")).addprevious(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(number))
    _set(num, "w:abstractNumId", val=str(number))
    numbering.append(num)
    return number


def _bullet_style(document, level: int) -> None:  # type: ignore[no-untyped-def]
    """ "List Bullet", "List Bullet 2" … with the glyph of their depth (python-docx's base stops at 3)."""
    name = layout.BULLETS[level]
    styles = document.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.element.set(qn("w:styleId"), name.replace(" ", ""))
    ppr = style.element.get_or_add_pPr()
    old = ppr.find(qn("w:numPr"))
    if old is not None:
        ppr.remove(old)
    numpr = OxmlElement("w:numPr")
    _set(numpr, "w:numId", val=str(_bullet_numbering(document, level)))
    ppr.insert(0, numpr)
    style.paragraph_format.space_after = Pt(2)


def add_styles(document) -> None:  # type: ignore[no-untyped-def]
    """The lgcb styles, in the plain look of a UN document: one serif font, black text, grey IDs."""
    _document_defaults(document)
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, 10)
    normal.paragraph_format.space_after = Pt(3)
    for level in range(len(layout.BULLETS)):
        _bullet_style(document, level)

    title = styles[layout.TITLE_STYLE]
    _font(title, 14, bold=True)
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(4)
    title.paragraph_format.keep_with_next = True
    subtitle = styles[layout.SUBTITLE_STYLE]
    _font(subtitle, 11, bold=False)
    subtitle.font.italic = False
    spacing = subtitle.element.get_or_add_rPr().find(qn("w:spacing"))
    if spacing is not None:
        spacing.getparent().remove(spacing)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(12)
    caps = styles.add_style(layout.TITLE_CAPS_STYLE, WD_STYLE_TYPE.CHARACTER)
    caps.font.all_caps = True
    annex = styles.add_style(layout.ANNEX_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    annex.base_style = normal
    annex.font.bold = True
    annex.font.size = Pt(12)
    annex.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    annex.paragraph_format.space_after = Pt(18)
    annex.paragraph_format.keep_with_next = True
    note = styles.add_style(layout.SOURCE_NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.paragraph_format.space_after = Pt(2)

    for name, size in ((layout.OBJECTIVE_HEADING_STYLE, 12), (layout.PROGRESS_HEADING_STYLE, 11)):
        heading = styles[name]
        _font(heading, size, bold=True)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
    contents = styles.add_style(layout.CONTENTS_HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    contents.base_style = normal
    contents.font.bold = True
    contents.font.size = Pt(12)
    contents.paragraph_format.space_before = Pt(24)
    contents.paragraph_format.space_after = Pt(6)
    contents.paragraph_format.keep_with_next = True
    toc = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    notice = styles.add_style(layout.NOTICE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    notice.font.bold = True
    notice.paragraph_format.keep_with_next = True

    item_id = styles.add_style(ID_STYLE, WD_STYLE_TYPE.CHARACTER)
    item_id.font.size = Pt(7.5)
    item_id.font.color.rgb = GREY
    field = styles.add_style(FIELD_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    field.base_style = normal
    field.font.size = Pt(8)
    field.font.color.rgb = GREY
    field.paragraph_format.left_indent = Cm(0.5)
    field.paragraph_format.space_after = Pt(2)
    group = styles.add_style(GROUP_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    group.base_style = normal
    group.paragraph_format.space_before = Pt(4)
    group.paragraph_format.space_after = Pt(2)
    group.paragraph_format.keep_with_next = True


def landscape_a4(document, margin: float = 1.8) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin))


def _field(paragraph, instruction: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    """A simple field (``PAGE``, ``NUMPAGES``) whose last result is ``shown``; readers recompute it."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def add_header(document) -> None:  # type: ignore[no-untyped-def]
    """The document symbol at the top right of every page, when the plan records one (else empty)."""
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("{{ document_symbol }}")


def add_footer(document) -> None:  # type: ignore[no-untyped-def]
    """Page numbers, "3 / 16", centred in the footer of every page."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES", "1")


def update_fields_on_open(document) -> None:  # type: ignore[no-untyped-def]
    """``w:updateFields``: Word recomputes the contents (and page numbers) when the file is opened."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _complex_field_char(paragraph, kind: str) -> None:  # type: ignore[no-untyped-def]
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def add_contents(document) -> None:  # type: ignore[no-untyped-def]
    """A "Contents" heading and a TOC field over the objective headings.

    The field's stored result lists the objectives (so that a reader that does not update fields
    still shows them); Word replaces it with page numbers when the document is opened.
    """
    document.add_paragraph(layout.CONTENTS_HEADING, style=layout.CONTENTS_HEADING_STYLE)
    begin = document.add_paragraph(style="TOC 1")
    _complex_field_char(begin, "begin")
    instruction = begin.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = ' TOC \\o "1-1" \\h \\z \\u '
    instruction._r.append(text)
    _complex_field_char(begin, "separate")
    _control(document, "for o in objectives")
    document.add_paragraph("{{ o.heading }}: {{ o.title }}", style="TOC 1")
    _control(document, "endfor")
    end = document.add_paragraph(style="TOC 1")
    _complex_field_char(end, "end")
    for holder in (begin, end):  # the field's start and end hold no text: take no room on the page
        holder.paragraph_format.line_spacing = Pt(1)
        holder.paragraph_format.space_after = Pt(0)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """A header row Word and LibreOffice repeat on every page (w:tblHeader), shaded, never split."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.insert(0, cant_split)
    for cell in row.cells:
        tcpr = cell._tc.get_or_add_tcPr()
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), layout.HEADER_FILL)
        tcpr.append(shading)
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _padding(table, vertical: int = 57, horizontal: int = 99) -> None:  # type: ignore[no-untyped-def]
    """Cell margins of a table in twentieths of a point (57 ≈ 1 mm, 99 ≈ 1.75 mm)."""
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(width))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    after = tblpr.find(qn("w:tblLook"))
    if after is not None:
        after.addprevious(margins)
    else:
        tblpr.append(margins)


def _widths(table, widths: list) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths (grid and cells), which both Word and LibreOffice honour."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _control(container, tag: str) -> None:  # type: ignore[no-untyped-def]
    """A docxtpl paragraph tag (``{%p ... %}``): the whole paragraph is replaced by the Jinja tag."""
    container.add_paragraph("{%p " + tag + " %}")


ID_RUN = "{% if ids %}{{ e.id }} {% endif %}"
"""The ID run of a line: the ID and a space, or nothing at all in a report without IDs."""


def _entry_block(cell, column: int) -> None:  # type: ignore[no-untyped-def]
    """The paragraphs of one body cell: a loop over the column's lines, one branch per kind of line."""
    lines = f"o.columns[{column}].lines"
    _control(cell, f"for e in {lines}")
    _control(cell, 'if e.kind == "group"')
    p = cell.add_paragraph(style=GROUP_STYLE)
    p.add_run(ID_RUN, style=ID_STYLE)
    p.add_run("{{ e.text }}").bold = True
    _control(cell, 'elif e.kind == "field"')
    cell.add_paragraph("{{ e.text }}", style=FIELD_STYLE)
    for depth, style in enumerate(BULLETS):
        last = depth == len(BULLETS) - 1
        _control(cell, "else" if last else f"elif e.depth == {depth}")
        p = cell.add_paragraph(style=style)
        p.add_run(ID_RUN, style=ID_STYLE)
        p.add_run("{{ e.number }}")
        p.add_run("{{ e.text }}")
    _control(cell, "endif")
    _control(cell, "endfor")
    # A cell must keep one paragraph: an empty column gets an empty one.
    _control(cell, f"if not {lines}")
    cell.add_paragraph("")
    _control(cell, "endif")


def add_title_block(document) -> None:  # type: ignore[no-untyped-def]
    """Annex line, title (capitals by style), subtitle, and the note that cites the source."""
    _control(document, "if plan.source.annex")
    document.add_paragraph("{{ plan.source.annex }}", style=layout.ANNEX_STYLE)
    _control(document, "endif")
    document.add_paragraph(style=layout.TITLE_STYLE).add_run("{{ plan.title }}", style=layout.TITLE_CAPS_STYLE)
    _control(document, "if plan.subtitle")
    document.add_paragraph(style=layout.SUBTITLE_STYLE).add_run("{{ plan.subtitle }}", style=layout.TITLE_CAPS_STYLE)
    _control(document, "endif")
    document.add_paragraph("{{ source_note }}", style=layout.SOURCE_NOTE_STYLE)
    document.add_paragraph("{{ timeframe_note }}", style=layout.SOURCE_NOTE_STYLE)


def add_body(document) -> None:  # type: ignore[no-untyped-def]
    """The tagged body: title block, contents, then one section per objective, each on a new page."""
    add_title_block(document)
    add_contents(document)

    _control(document, "for o in objectives")
    heading = document.add_paragraph("{{ o.heading }}", style=layout.OBJECTIVE_HEADING_STYLE)
    heading.paragraph_format.page_break_before = True
    p = document.add_paragraph()
    p.add_run("{{ o.title }}").bold = True
    p.add_run(": {{ o.aim }}")
    p.paragraph_format.keep_with_next = True
    p = document.add_paragraph(
        "Strategic Plan operational objective {{ o.strategic_plan.number }}"
        "{% if o.strategic_plan.title %}: {{ o.strategic_plan.title }}{% endif %}"
    )
    p.paragraph_format.keep_with_next = True
    table = document.add_table(rows=2, cols=4)
    table.style = document.styles[layout.TABLE_STYLE]
    for i, title in enumerate(COLUMNS):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].add_run(title).bold = True
        body = table.rows[1].cells[i]
        body._tc.remove(body.paragraphs[0]._p)
        _entry_block(body, i)
    _repeat_header(table.rows[0])
    _widths(table, [Cm(6.525)] * 4)
    _padding(table)
    add_progress(document)
    _control(document, "endfor")
    # Without any monitoring data, the report says so once, after the objectives.
    _control(document, "if progress_message")
    document.add_paragraph(DERIVED_HEADINGS[1], style=layout.OBJECTIVE_HEADING_STYLE)
    document.add_paragraph("{{ progress_message }}")
    _control(document, "endif")


def add_progress(document) -> None:  # type: ignore[no-untyped-def]
    """An objective's progress table, when it has monitoring data (computed, never imported back)."""
    _control(document, "if o.has_progress")
    document.add_paragraph(DERIVED_HEADINGS[0], style=layout.PROGRESS_HEADING_STYLE)
    _control(document, "if progress_notice")
    document.add_paragraph("{{ progress_notice }}", style=layout.NOTICE_STYLE)
    _control(document, "endif")
    table = document.add_table(rows=4, cols=len(PROGRESS_COLUMNS))
    table.style = document.styles[layout.TABLE_STYLE]
    for i, title in enumerate(PROGRESS_COLUMNS):
        table.rows[0].cells[i].paragraphs[0].add_run(title).bold = True
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for p in o.progress %}"
    first = table.rows[2].cells[0].paragraphs[0]
    first.add_run("{% if ids %}{{ p.id }} {% endif %}", style=ID_STYLE)
    first.add_run("{{ p.text }}")
    for i, value in enumerate(("baseline", "latest", "target", "percent"), start=1):
        table.rows[2].cells[i].paragraphs[0].text = "{{ p.display." + value + " }}"
    table.rows[2].cells[5].paragraphs[0].text = "{{ p.status }}"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    _repeat_header(table.rows[0])
    _widths(table, [Cm(9.1), Cm(3.4), Cm(3.4), Cm(3.4), Cm(2.6), Cm(4.2)])
    _padding(table)
    _control(document, "endif")


def new_document():  # type: ignore[no-untyped-def]
    """python-docx's base document with the lgcb styles, page set-up and footer, and clean properties."""
    document = Document()
    landscape_a4(document)
    add_styles(document)
    add_header(document)
    add_footer(document)
    update_fields_on_open(document)
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = "Capacity-building action plan"
    props.language = layout.LANGUAGE
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    drop_thumbnail(document)
    set_application(document, "lgcb")
    return document


def reproducible(document) -> bytes:  # type: ignore[no-untyped-def]
    """The document's bytes with every zip entry dated 1980-01-01, so that builds are identical."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = copy.copy(info)
            entry.date_time = (1980, 1, 1, 0, 0, 0)
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def build() -> bytes:
    document = new_document()
    # The base document starts with no paragraphs; the body is all tags.
    add_body(document)
    return reproducible(document)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

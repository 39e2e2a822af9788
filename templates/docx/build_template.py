"""Build ``report.docx``, the default Word template of ``lgcb render --format docx``.

A .docx is binary, so this script is its source: run it after changing the layout and commit both
(``python templates/docx/build_template.py``).  The output is byte-for-byte reproducible (fixed
dates in the package and the zip), so a test can check that the committed template is current.

The template is an ordinary Word document with docxtpl (Jinja) tags in it.  Word users can restyle
it freely — the styles named in ``STYLES`` carry all the looks — as long as the tags stay.  The
layout follows docs/word-layout.md, which ``lgcb import`` relies on.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TARGET = HERE / "report.docx"

ID_STYLE = "Item ID"
"""Character style of the item IDs: small and grey, visible but unobtrusive."""
FIELD_STYLE = "Item Field"
"""Paragraph style of our own fields under an item ("serves: 1.R1"), small and grey."""
GROUP_STYLE = "Group Heading"
"""Paragraph style of a group heading inside a column ("Related to the checkpoints")."""
BULLETS = ["List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 4", "List Bullet 5"]
"""Bullet style per nesting depth (0–4, the deepest the plan allows)."""
STYLES = ["Title", "Subtitle", "Heading 1", "Heading 2", "Table Grid", ID_STYLE, FIELD_STYLE, GROUP_STYLE, *BULLETS]
"""Every style a template must have: the renderer refers to them by name."""

COLUMNS = ["Outcomes", "Indicators", "Results/Outputs", "Activities"]

PROGRESS_COLUMNS = ["Indicator", "Baseline", "Latest", "Target", "Progress", "Status"]
DERIVED_HEADINGS = ("Progress on the indicators", "Monitoring")
"""Headings of the sections lgcb computes from the plan and its progress files: shown in the
report, skipped by ``lgcb import`` (they are regenerated, not plan data)."""
FIXED_TIME = dt.datetime(2012, 3, 16, tzinfo=dt.timezone.utc)
GREY = RGBColor(0x80, 0x80, 0x80)


def _add_bullet_style(document, name: str, level: int) -> None:  # type: ignore[no-untyped-def]
    """Add "List Bullet 4/5" (python-docx's base template stops at 3) with its own bullet numbering."""
    numbering = document.part.numbering_part.element
    abstract_id = 90 + level
    num_id = 90 + level
    indent = 360 * (level + 1)
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    multi = OxmlElement("w:multiLevelType")
    multi.set(qn("w:val"), "singleLevel")
    abstract.append(multi)
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:pStyle", name.replace(" ", ""))):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        lvl.append(child)
    text = OxmlElement("w:lvlText")
    text.set(qn("w:val"), "\u2022")
    lvl.append(text)
    jc = OxmlElement("w:lvlJc")
    jc.set(qn("w:val"), "left")
    lvl.append(jc)
    ppr = OxmlElement("w:pPr")
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(indent))
    ind.set(qn("w:hanging"), "360")
    ppr.append(ind)
    lvl.append(ppr)
    abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(abstract_id))
    num.append(ref)
    numbering.append(num)

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.element.set(qn("w:styleId"), name.replace(" ", ""))
    spr = style.element.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    numid = OxmlElement("w:numId")
    numid.set(qn("w:val"), str(num_id))
    numpr.append(numid)
    spr.insert(0, numpr)


def add_styles(document) -> None:  # type: ignore[no-untyped-def]
    """The lgcb styles: bullets 4–5, ID runs, field lines, group headings; compact cells."""
    styles = document.styles
    for level, name in enumerate(BULLETS):
        if name not in [s.name for s in styles]:
            _add_bullet_style(document, name, level)
    for name in BULLETS:
        styles[name].paragraph_format.space_after = Pt(2)
    item_id = styles.add_style(ID_STYLE, WD_STYLE_TYPE.CHARACTER)
    item_id.font.size = Pt(7.5)
    item_id.font.color.rgb = GREY
    field = styles.add_style(FIELD_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    field.base_style = styles["Normal"]
    field.font.size = Pt(7.5)
    field.font.color.rgb = GREY
    field.paragraph_format.left_indent = Cm(0.63)
    field.paragraph_format.space_after = Pt(2)
    group = styles.add_style(GROUP_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    group.base_style = styles["Normal"]
    group.paragraph_format.space_before = Pt(4)
    group.paragraph_format.space_after = Pt(2)
    group.paragraph_format.keep_with_next = True


def landscape_a4(document, margin: float = 1.8) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin))


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """Mark a table row as a header row Word and LibreOffice repeat on every page (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.insert(0, cant_split)


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


def _entry_block(cell, column: int) -> None:  # type: ignore[no-untyped-def]
    """The paragraphs of one body cell: a loop over the column's lines, one branch per kind of line."""
    lines = f"o.columns[{column}].lines"
    _control(cell, f"for e in {lines}")
    _control(cell, 'if e.kind == "group"')
    p = cell.add_paragraph(style=GROUP_STYLE)
    p.add_run("{{ e.id }} ", style=ID_STYLE)
    p.add_run("{{ e.text }}").bold = True
    _control(cell, 'elif e.kind == "field"')
    cell.add_paragraph("{{ e.text }}", style=FIELD_STYLE)
    for depth, style in enumerate(BULLETS):
        last = depth == len(BULLETS) - 1
        _control(cell, "else" if last else f"elif e.depth == {depth}")
        p = cell.add_paragraph(style=style)
        p.add_run("{{ e.id }} ", style=ID_STYLE)
        p.add_run("{{ e.number }}")
        p.add_run("{{ e.text }}")
    _control(cell, "endif")
    _control(cell, "endfor")
    # A cell must keep one paragraph: an empty column gets an empty one.
    _control(cell, f"if not {lines}")
    cell.add_paragraph("")
    _control(cell, "endif")


def add_body(document) -> None:  # type: ignore[no-untyped-def]
    """The tagged body: title block, "About this plan" table, then one section per objective."""
    document.add_paragraph("{{ plan.title }}", style="Title")
    _control(document, "if plan.subtitle")
    document.add_paragraph("{{ plan.subtitle }}", style="Subtitle")
    _control(document, "endif")

    about = document.add_table(rows=4, cols=2)
    about.style = document.styles["Table Grid"]
    head = about.rows[0].cells[0].merge(about.rows[0].cells[1])
    head.paragraphs[0].add_run("About this plan").bold = True
    about.rows[1].cells[0].paragraphs[0].text = "{%tr for row in about %}"
    about.rows[2].cells[0].paragraphs[0].text = "{{ row.label }}"
    about.rows[2].cells[1].paragraphs[0].text = "{{ row.value }}"
    about.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    _widths(about, [Cm(5.5), Cm(20.6)])

    _control(document, "for o in objectives")
    document.add_paragraph("{{ o.heading }}", style="Heading 1")
    p = document.add_paragraph()
    p.add_run("{{ o.title }}").bold = True
    p.add_run(": {{ o.aim }}")
    document.add_paragraph(
        "Strategic Plan operational objective {{ o.strategic_plan.number }}"
        "{% if o.strategic_plan.title %}: {{ o.strategic_plan.title }}{% endif %}"
    )
    table = document.add_table(rows=2, cols=4)
    table.style = document.styles["Table Grid"]
    for i, title in enumerate(COLUMNS):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].add_run(title).bold = True
        body = table.rows[1].cells[i]
        body._tc.remove(body.paragraphs[0]._p)
        _entry_block(body, i)
    _repeat_header(table.rows[0])
    _widths(table, [Cm(6.525)] * 4)
    add_progress(document)
    _control(document, "endfor")
    # Without any monitoring data, the report says so once, after the objectives.
    _control(document, "if progress_message")
    document.add_paragraph(DERIVED_HEADINGS[1], style="Heading 1")
    document.add_paragraph("{{ progress_message }}")
    _control(document, "endif")


def add_progress(document) -> None:  # type: ignore[no-untyped-def]
    """An objective's progress table, when it has monitoring data (computed, never imported back)."""
    _control(document, "if o.has_progress")
    document.add_paragraph(DERIVED_HEADINGS[0], style="Heading 2")
    _control(document, "if progress_notice")
    document.add_paragraph().add_run("{{ progress_notice }}").bold = True
    _control(document, "endif")
    table = document.add_table(rows=4, cols=len(PROGRESS_COLUMNS))
    table.style = document.styles["Table Grid"]
    for i, title in enumerate(PROGRESS_COLUMNS):
        table.rows[0].cells[i].paragraphs[0].add_run(title).bold = True
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for p in o.progress %}"
    first = table.rows[2].cells[0].paragraphs[0]
    first.add_run("{{ p.id }} ", style=ID_STYLE)
    first.add_run("{{ p.text }}")
    for i, value in enumerate(("baseline", "latest", "target", "percent"), start=1):
        table.rows[2].cells[i].paragraphs[0].text = "{{ p.display." + value + " }}"
    table.rows[2].cells[5].paragraphs[0].text = "{{ p.status }}"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    _repeat_header(table.rows[0])
    _widths(table, [Cm(9.1), Cm(3.4), Cm(3.4), Cm(3.4), Cm(2.6), Cm(4.2)])
    _control(document, "endif")


def new_document():  # type: ignore[no-untyped-def]
    """python-docx's base document with the lgcb styles and page set-up, and fixed properties."""
    document = Document()
    landscape_a4(document)
    add_styles(document)
    props = document.core_properties
    props.author = "lgcb"
    props.last_modified_by = "lgcb"
    props.title = "Capacity-building action plan"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
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

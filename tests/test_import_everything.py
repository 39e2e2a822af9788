"""Plain ``lgcb import`` reads every piece of text in a Word package, or says where it left it.

The document here is built with the Word constructs that hide text from a reader of plain runs:
tracked insertions, deletions and moves, hyperlinks, simple and complex fields, content controls
(block and inline), runs split by revision ids (rsid), a text box (with its fallback copy), a
footnote, a comment and a header.  Every ``w:t`` and ``w:delText`` in the package is then found
either in the plan written or in what the import reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from review_support import all_text_nodes

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
)


def drawing(data: str) -> str:
    """A run holding an inline drawing whose graphic is ``data`` (its text lives in a part of its own)."""
    return f"<w:r><w:drawing><wp:inline><a:graphic><a:graphicData>{data}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"


REV = 'w:author="Reviewer" w:date="2026-11-30T10:00:00Z"'


def p(inner: str) -> str:
    return f"<w:p {NS}>{inner}</w:p>"


def r(text: str, attrs: str = "") -> str:
    return f'<w:r{attrs}><w:t xml:space="preserve">{text}</w:t></w:r>'


CELLS = {
    "outcomes": [
        p(r("· Biosafety frameworks ") + f'<w:ins w:id="1" {REV}>{r("adopted")}</w:ins>' + r(" nationally")),
        p(
            r("· Functional ")
            + f'<w:del w:id="2" {REV}><w:r><w:delText xml:space="preserve">obsolete </w:delText></w:r></w:del>'
            + r("systems")
        ),
        p(r("· See ") + f'<w:hyperlink r:id="rIdLink">{r("the portal")}</w:hyperlink>'),
        f"<w:sdt {NS}><w:sdtPr><w:alias w:val='box'/></w:sdtPr><w:sdtContent>"
        + p(r("· Controlled outcome wording"))
        + "</w:sdtContent></w:sdt>",
    ],
    "indicators": [
        p(
            r("· Number of Parties ")
            + f'<w:fldSimple w:instr=" DOCPROPERTY Scope ">{r("with frameworks")}</w:fldSimple>'
        ),
        p(r("· Indicator ") + f"<w:sdt><w:sdtPr/><w:sdtContent>{r('in a content control')}</w:sdtContent></w:sdt>"),
        p(r("· Number of ", ' w:rsidR="00A1B2C3"') + r("laboratories", ' w:rsidR="00D4E5F6"')),
        p(
            r("· Share of ")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF scope </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + r("certified laboratories")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        ),
    ],
    "results": [
        p(r("1.1 Laws in place")),
        p(
            f'<w:pPr><w:rPr><w:moveFrom w:id="3" {REV}/></w:rPr></w:pPr>'
            f'<w:moveFromRangeStart w:id="4" w:name="move1" {REV}/>'
            f'<w:moveFrom w:id="5" {REV}>{r("1.2 Structures in place")}</w:moveFrom>'
            '<w:moveFromRangeEnd w:id="4"/>'
        ),
        p(r("1.3 Staff trained")),
        p(
            f'<w:moveToRangeStart w:id="6" w:name="move1" {REV}/>'
            f'<w:moveTo w:id="7" {REV}>{r("1.2 Structures in place")}</w:moveTo>'
            '<w:moveToRangeEnd w:id="6"/>'
        ),
    ],
    "activities": [
        p(
            r("· Training workshops ")
            + "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor><a:graphic>"
            + "<a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
            + p(r("Sidebar kumquat note"))
            + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            + "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
            + p(r("Sidebar kumquat note"))
            + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        ),
        # a table a reviewer pasted into the cell: its paragraphs are the cell's lines, in order
        f"<w:tbl {NS}><w:tblPr/><w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='2000'/></w:tblGrid>"
        + "<w:tr><w:tc>"
        + p(r("· Pasted quince workshops"))
        + "</w:tc><w:tc>"
        + p(r("· Pasted plum courses"))
        + "</w:tc></w:tr><w:tr><w:tc>"
        + p(r("· Pasted damson visits"))
        + "</w:tc><w:tc>"
        + p("")
        + "</w:tc></w:tr></w:tbl>",
        p(r("· Evaluation after the pasted table")),
        # Insert > Symbol: a Unicode font's character is read, a symbol font's own glyph reported
        p(
            r("· Coverage ")
            + '<w:r><w:sym w:font="Cambria Math" w:char="2265"/></w:r>'
            + r(" 80 % ")
            + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
        ),
        # text the reader does not take from a paragraph's runs: an equation, a phonetic guide
        p(r("· Sites where ") + "<m:oMath><m:r><m:t>damsonratio≥0.5</m:t></m:r></m:oMath>"),
        p(
            r("· Courses in ")
            + "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>nihongo</w:t></w:r></w:rt>"
            + "<w:rubyBase><w:r><w:t>日本語</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        ),
        # a SmartArt diagram (shown again as a picture for older programs) and a chart
        p(
            r("· Steps ")
            + "<w:r><mc:AlternateContent><mc:Choice Requires='dgm'><w:drawing><wp:inline><a:graphic><a:graphicData>"
            + '<dgm:relIds r:dm="rIdDiagramData" r:lo="rIdL" r:qs="rIdQ" r:cs="rIdC"/>'
            + "</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:drawing><wp:inline>"
            + '<a:graphic><a:graphicData><dgm:relIds r:dm="rIdDiagramData"/></a:graphicData></a:graphic>'
            + "</wp:inline></w:drawing></mc:Fallback></mc:AlternateContent></w:r>"
        ),
        p(r("· Budget ") + drawing('<c:chart r:id="rIdChart"/>')),
    ],
}

FOOTNOTES = f"""<w:footnotes {NS}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Footnote on the frameworks of Ruritania</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Annex I's front matter and one objective, its table full of hidden text."""
    d = docx.Document()
    d.add_paragraph("Annex I")
    d.add_paragraph("results-oriented CAPACITY-BUILDING ACTION PLAN")
    d.add_paragraph("(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)")
    d.add_paragraph("OPerational objective 1")
    title = d.add_paragraph("National Biosafety Frameworks: To further support national systems")
    title._p.append(parse_xml(f'<w:r {NS}><w:footnoteReference w:id="1"/></w:r>'))
    d.add_paragraph("Strategic Plan operational objective 2.1: National Biosafety Framework development")
    table = d.add_table(rows=2, cols=4)
    for cell, header in zip(
        table.rows[0].cells, ["Outcomes", "Indicators", "Results/Outputs", "Activities"], strict=True
    ):
        cell.text = header
    for cell, key in zip(table.rows[1].cells, CELLS, strict=True):
        tc = cell._tc
        tc.remove(tc.p_lst[0])
        for xml in CELLS[key]:
            tc.append(parse_xml(xml))
    d.part.rels.add_relationship(RT.HYPERLINK, "https://bch.cbd.int/", is_external=True, rId="rIdLink")
    workshops = table.rows[1].cells[3].paragraphs[0]
    d.add_comment(workshops.runs[0], text="Which workshops, reviewer apricot?", author="Reviewer", initials="R")
    d.sections[0].header.paragraphs[0].text = "Secretariat letterhead mango"
    footnotes = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES.encode("utf-8"),
        d.part.package,
    )
    d.part.relate_to(footnotes, RT.FOOTNOTES)
    path = tmp_path_factory.mktemp("tracked") / "tracked.docx"
    d.save(str(path))
    return path


def test_tracked_changes_are_refused_until_accepted_or_rejected(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    result = invoke("import", str(tracked), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    lines = result.stderr.splitlines()
    assert (
        "tracked.docx: table 1, row 2, cell 1, paragraph 1: error: tracked change not accepted or rejected: "
        "insertion by Reviewer: 'adopted'" in lines
    )
    assert (
        "tracked.docx: table 1, row 2, cell 1, paragraph 2: error: tracked change not accepted or rejected: "
        "deletion by Reviewer: 'obsolete'" in lines
    )
    assert any("move (from) by Reviewer: '1.2 Structures in place'" in line for line in lines)
    assert lines[-1] == (
        "tracked.docx has 4 tracked changes: accept or reject them in Word (Review > Accept > Accept All "
        "Changes) and import again, or pass --changes accept (or --changes reject)."
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_][\w.]*", text))


@pytest.mark.parametrize("mode", ["accept", "reject"])
def test_every_piece_of_text_is_read_or_reported(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path, mode: str
) -> None:
    out = tmp_path / "plan"
    result = invoke("import", str(tracked), "-o", str(out), "--changes", mode)
    assert result.exit_code == 1  # the text box and the footnote are not plan text: reported as errors
    written = "\n".join(f.read_text(encoding="utf-8") for f in sorted(out.rglob("*.yaml")))
    read, reported = _words(written), _words(result.stderr)
    nodes = all_text_nodes(tracked)
    assert len(nodes) >= 25
    missing = [(name, text) for name, text in nodes if not _words(text) <= read | reported]
    # the layout itself is read as structure: the objective heading, the Strategic Plan line (its
    # title is in plan.yaml) and the column headers
    assert missing == [
        ("word/document.xml", "OPerational objective 1"),
        ("word/document.xml", "Strategic Plan operational objective 2.1: National Biosafety Framework development"),
        ("word/document.xml", "Outcomes"),
        ("word/document.xml", "Indicators"),
        ("word/document.xml", "Results/Outputs"),
        ("word/document.xml", "Activities"),
    ]
    assert invoke("validate", plan=out).exit_code == 0


def test_inserted_text_is_read_and_deleted_text_is_not_applied_silently(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    from lgcb.checks.load import load_plan

    accepted, rejected = tmp_path / "accepted", tmp_path / "rejected"
    result = invoke("import", str(tracked), "-o", str(accepted), "--changes", "accept")
    assert (
        "tracked.docx: table 1, row 2, cell 1, paragraph 2: warning: tracked change accepted: deletion by "
        "Reviewer: 'obsolete' [tracked-change]" in result.stderr.splitlines()
    )
    invoke("import", str(tracked), "-o", str(rejected), "--changes", "reject")
    a, b = load_plan(accepted).plan, load_plan(rejected).plan
    assert a is not None and b is not None
    outcomes_a = [e.text for e in a.objectives[0].items("outcomes")]
    outcomes_b = [e.text for e in b.objectives[0].items("outcomes")]
    assert outcomes_a == [
        "Biosafety frameworks adopted nationally",
        "Functional systems",
        "See the portal",
        "Controlled outcome wording",
    ]
    assert outcomes_b[:2] == ["Biosafety frameworks nationally", "Functional obsolete systems"]
    assert [(e.number, e.text) for e in a.objectives[0].items("results")] == [
        ("1.1", "Laws in place"),
        ("1.3", "Staff trained"),
        ("1.2", "Structures in place"),
    ]
    assert [e.number for e in b.objectives[0].items("results")] == ["1.1", "1.2", "1.3"]
    indicators = [e.text for e in a.objectives[0].items("indicators")]
    assert indicators == [
        "Number of Parties with frameworks",
        "Indicator in a content control",
        "Number of laboratories",
        "Share of certified laboratories",
    ]


def test_a_table_pasted_into_a_cell_is_read_as_the_cells_lines(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    """The importer reads a cell's own paragraphs: a table inside the cell is read as its
    paragraphs, row by row, between the lines around it (not left out, as it once was)."""
    from lgcb.checks.load import load_plan

    out = tmp_path / "plan"
    invoke("import", str(tracked), "-o", str(out), "--changes", "accept")
    plan = load_plan(out).plan
    assert plan is not None
    assert [e.text for e in plan.objectives[0].items("activities")] == [
        "Training workshops",
        "Pasted quince workshops",
        "Pasted plum courses",
        "Pasted damson visits",
        "Evaluation after the pasted table",
        "Coverage ≥ 80 %",
        "Sites where",
        "Courses in",
        "Steps",
        "Budget",
    ]


def test_symbols_equations_and_phonetic_guides_are_reported_where_they_are(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    result = invoke("import", str(tracked), "-o", str(tmp_path / "plan"), "--changes", "accept")
    place = "tracked.docx: table 1, row 2, cell 4"
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{place}, paragraph 7: error: a symbol of the Wingdings font (character F0FC), not imported: "
        "type the character itself (Insert > Symbol, a Unicode font) [unplaced-text]"
    ) in lines
    assert f"{place}, paragraph 8: error: an equation, not imported: 'damsonratio≥0.5' [unplaced-text]" in lines
    assert f"{place}, paragraph 9: error: a phonetic guide (ruby), not imported: 'nihongo' [unplaced-text]" in lines
    assert (
        f"{place}, paragraph 9: error: text under a phonetic guide (ruby), not imported: '日本語' [unplaced-text]"
    ) in lines
    assert "Cambria" not in result.stderr  # that symbol is read as its character
    assert (
        f"{place}, paragraph 10: error: a SmartArt diagram, its content not imported: copy its text into the "
        "document as text [unplaced-text]"
    ) in lines
    assert sum("SmartArt" in line for line in lines) == 1  # not again for its picture for older programs
    assert (
        f"{place}, paragraph 11: error: a chart, its content not imported: copy its text into the document as text "
        "[unplaced-text]"
    ) in lines


def test_what_is_not_plan_text_is_listed_with_where_it_is(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    result = invoke("import", str(tracked), "-o", str(tmp_path / "plan"), "--changes", "accept")
    lines = result.stderr.splitlines()
    assert (
        "tracked.docx: table 1, row 2, cell 4, paragraph 1: error: text in a text box, not imported: "
        "'Sidebar kumquat note' [unplaced-text]" in lines
    )
    assert (
        "tracked.docx: paragraph 5: error: footnote 1, not imported: 'Footnote on the frameworks of Ruritania' "
        "[unplaced-text]" in lines
    )
    assert "tracked.docx: warning: header text, not imported: 'Secretariat letterhead mango' [not-read]" in lines
    assert (
        "tracked.docx: table 1, row 2, cell 4, paragraph 1: warning: comment by Reviewer, not imported: "
        "'Which workshops, reviewer apricot?' [not-read]" in lines
    )


def test_annex_front_matter_becomes_the_plan_title_and_subtitle(
    invoke: Callable[..., Result], tracked: Path, tmp_path: Path
) -> None:
    from lgcb.checks.load import load_plan

    out = tmp_path / "plan"
    result = invoke("import", str(tracked), "-o", str(out), "--changes", "accept")
    assert "before the first objective" not in result.stderr
    plan = load_plan(out).plan
    assert plan is not None
    assert plan.info.title == "results-oriented CAPACITY-BUILDING ACTION PLAN"
    assert plan.info.subtitle == "(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)"
    assert plan.info.source.annex == "Annex I"


def annex_as_typed(path: Path) -> Path:
    """Annex I typed into Word the plain way: its lines as paragraphs, each objective's columns as the
    cells of a four-column table (a new cell where the source's text starts one, with a tab)."""
    from annex import SOURCE

    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Annex I")
    d = docx.Document()
    cells: list[list[str]] | None = None
    table: Any = None
    after_heading = False
    for raw in lines[start:]:
        line = raw.strip()
        if not line:
            continue
        if re.match(r"(?i)^operational objective \d+$", line):
            d.add_paragraph(line)
            cells, after_heading = None, True
        elif cells is None and after_heading:
            d.add_paragraph(line)  # "Title: aim"
            after_heading = False
        elif cells is None and line == "Outcomes":
            cells = []
            table = d.add_table(rows=2, cols=4)
            for cell, title in zip(
                table.rows[0].cells, ["Outcomes", "Indicators", "Results/Outputs", "Activities"], strict=True
            ):
                cell.text = title
        elif cells is not None and not cells and line in ("Indicators", "Results/Outputs", "Activities"):
            continue
        elif cells is None:
            d.add_paragraph(line)  # the annex heading, the title, the subtitle
        else:
            if raw.startswith("\t") or not cells:
                cells.append([])
                table.rows[1].cells[len(cells) - 1].paragraphs[0].text = line
            else:
                table.rows[1].cells[len(cells) - 1].add_paragraph(line)
            cells[-1].append(line)
    d.save(str(path))
    return path


def test_annex_i_as_a_secretariat_would_type_it_imports_with_every_line(
    invoke: Callable[..., Result], tmp_path: Path
) -> None:
    from annex import content_units, normalise
    from lgcb.checks.load import load_plan

    source = annex_as_typed(tmp_path / "annex.docx")
    out = tmp_path / "plan"
    result = invoke("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert " error: " not in result.stderr
    plan = load_plan(out).plan
    assert plan is not None
    assert plan.info.title == "results-oriented CAPACITY-BUILDING ACTION PLAN"
    assert plan.info.subtitle == "(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)"
    read = {plan.info.title, plan.info.subtitle}
    for objective in plan.objectives:
        read |= {objective.title, objective.aim}
        read |= {normalise(x.text) for x in objective.walk()}
    missing = [unit for unit in content_units() if normalise(unit) not in read]
    assert missing == []

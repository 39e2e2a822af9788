"""``lgcb import``: Word documents, made by lgcb or not, read back into the plan, item by item."""

from __future__ import annotations

import copy
import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PLAN_DIR, require_tool
from lgcb.checks.load import load_plan
from lgcb.checks.problem import Problem
from lgcb.model import Plan
from lgcb.render import RenderOptions, render
from lgcb.word.read import ImportFailed, read_document

# ---------------------------------------------------------------------------------------------
# Documents not made by lgcb, built the way people build them in Word


def said(problem: Problem) -> str:
    """A problem of the import without the document's name and rule: where, level, message."""
    return (
        f"{problem.where}: {problem.level}: {problem.message}"
        if problem.where
        else f"{problem.level}: {problem.message}"
    )


def numbered(paragraph: Any, level: int, num_id: int = 1) -> Any:
    """Make a paragraph a real Word list item at ``level`` (w:numPr with w:ilvl)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def fill(cell: Any, lines: list[str | tuple[str, float]]) -> None:
    """Paragraphs in a cell; a (text, cm) pair is indented by that much."""
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    for line in lines:
        text, indent = line if isinstance(line, tuple) else (line, 0.0)
        p = cell.add_paragraph(text)
        if indent:
            p.paragraph_format.left_indent = Cm(indent)


HEADER = ["Outcomes", "Indicators", "Results/Outputs", "Activities"]


def objective_table(document: Any, body: list[list[Any]], header: bool = True) -> Any:
    table = document.add_table(rows=int(header) + 1, cols=4)
    if header:
        for cell, title in zip(table.rows[0].cells, HEADER, strict=True):
            cell.text = title
    for cell, lines in zip(table.rows[-1].cells, body, strict=True):
        fill(cell, lines)
    return table


@pytest.fixture(scope="module")
def word_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three objectives in three conventions, plus a table that is not part of the plan."""
    d = docx.Document()
    d.add_paragraph("Capacity-building action plan of Ruritania 2013–2018", style="Title")
    other = d.add_table(rows=2, cols=2)
    other.rows[0].cells[0].text, other.rows[0].cells[1].text = "Prepared by", "National Biosafety Office"
    other.rows[1].cells[0].text, other.rows[1].cells[1].text = "Version", "3"

    # Objective 1: typed bullets ("·", "•", "-", "–"), nesting by indentation, a group heading.
    d.add_paragraph("OPerational objective 1", style="Heading 2")
    d.add_paragraph("National Biosafety Frameworks: To further support national systems")
    d.add_paragraph("Strategic Plan operational objective 2.1: National Biosafety Framework development")
    objective_table(
        d,
        [
            ["· Frameworks developed", "· Functional systems"],
            ["• Number of Parties with frameworks"],
            ["1.1 Laws in place", "1.2 Structures in place"],
            [
                "· Development of a guide on:",
                ("- Implementation", 0.63),
                ("- Enforcement", 0.63),
                "· Organization of workshops",
                "Related to the checkpoints",
                "· Training of customs officers",
                "– Forms and manuals",
            ],
        ],
    )

    # Objective 2: real Word lists (ilvl 0/1); heading and "Title: aim" in merged rows of the
    # table; a header cell merged across two grid columns; no Strategic Plan line.
    table = d.add_table(rows=4, cols=5)
    table.rows[0].cells[0].merge(table.rows[0].cells[4]).text = "Operational objective 2"
    title = table.rows[1].cells[0].merge(table.rows[1].cells[4]).paragraphs[0]
    title.add_run("Risk assessment").bold = True
    title.add_run(": To enable Parties to carry out risk assessments")
    head = table.rows[2].cells
    head[0].text, head[1].text, head[4].text = "Outcomes", "Indicators", "Activities"
    head[2].merge(head[3]).text = "Results/Outputs"
    body = table.rows[3].cells
    fill(body[0], ["Risk assessments carried out"])
    numbered(body[0].paragraphs[0], 0)
    fill(body[1], ["Number of risk assessments"])
    numbered(body[1].paragraphs[0], 0)
    results = body[2].merge(body[3])
    fill(results, ["2.1 Experts trained"])
    fill(body[4], ["Training on:", "Risk assessment", "Risk management", "Case studies"])
    for paragraph, level in zip(body[4].paragraphs, (0, 1, 1, 0), strict=True):
        numbered(paragraph, level)

    # Objective 3: one table split across pages: the header repeated in the second part, no
    # header in the third; items and nesting continue from part to part.
    d.add_paragraph("Operational objective 3")
    d.add_paragraph("Information sharing: To enhance the use of the BCH")
    d.add_paragraph("Strategic Plan operational objective 2.6: Information sharing")
    objective_table(d, [["· BCH used"], ["· Number of records"], ["3.1 Nodes in place"], ["· Training on:"]])
    objective_table(d, [[], [], ["3.2 Records up to date"], [("· the central portal", 0.63)]])
    objective_table(d, [[], [], [], ["· Regional workshops"]], header=False)

    path = tmp_path_factory.mktemp("word") / "ruritania.docx"
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def imported(word_document: Path) -> Any:
    return read_document(word_document)


def objective_data(result: Any, number: int) -> dict[str, Any]:
    objective = result.plan.objective(number)
    assert objective is not None
    return objective.model_dump(exclude_defaults=True)


def test_typed_bullets_indentation_and_group_headings(imported: Any) -> None:
    assert objective_data(imported, 1) == {
        "number": 1,
        "title": "National Biosafety Frameworks",
        "aim": "To further support national systems",
        "strategic_plan_objective": "2.1",
        "outcomes": [
            {"id": "1.O1", "text": "Frameworks developed"},
            {"id": "1.O2", "text": "Functional systems"},
        ],
        "indicators": [{"id": "1.I1", "text": "Number of Parties with frameworks"}],
        "results": [
            {"id": "1.R1", "number": "1.1", "text": "Laws in place"},
            {"id": "1.R2", "number": "1.2", "text": "Structures in place"},
        ],
        "activities": [
            {
                "id": "1.A1",
                "text": "Development of a guide on:",
                "items": [{"id": "1.A1.1", "text": "Implementation"}, {"id": "1.A1.2", "text": "Enforcement"}],
            },
            {"id": "1.A2", "text": "Organization of workshops"},
            {
                "id": "1.G1",
                "group": "Related to the checkpoints",
                "items": [
                    {"id": "1.A3", "text": "Training of customs officers"},
                    {"id": "1.A4", "text": "Forms and manuals"},
                ],
            },
        ],
    }


def test_word_lists_merged_rows_and_merged_header_cells(imported: Any) -> None:
    assert objective_data(imported, 2) == {
        "number": 2,
        "title": "Risk assessment",
        "aim": "To enable Parties to carry out risk assessments",
        "strategic_plan_objective": "0",
        "outcomes": [{"id": "2.O1", "text": "Risk assessments carried out"}],
        "indicators": [{"id": "2.I1", "text": "Number of risk assessments"}],
        "results": [{"id": "2.R1", "number": "2.1", "text": "Experts trained"}],
        "activities": [
            {
                "id": "2.A1",
                "text": "Training on:",
                "items": [{"id": "2.A1.1", "text": "Risk assessment"}, {"id": "2.A1.2", "text": "Risk management"}],
            },
            {"id": "2.A2", "text": "Case studies"},
        ],
    }


def test_a_table_split_across_pages_continues_the_same_objective(imported: Any) -> None:
    data = objective_data(imported, 3)
    assert data["results"] == [
        {"id": "3.R1", "number": "3.1", "text": "Nodes in place"},
        {"id": "3.R2", "number": "3.2", "text": "Records up to date"},
    ]
    assert data["activities"] == [
        {"id": "3.A1", "text": "Training on:", "items": [{"id": "3.A1.1", "text": "the central portal"}]},
        {"id": "3.A2", "text": "Regional workshops"},
    ]


def test_what_the_document_does_not_say_is_filled_and_reported(imported: Any) -> None:
    info = imported.plan.info
    assert info.title == "Capacity-building action plan of Ruritania 2013–2018"
    assert (info.timeframe.start, info.timeframe.end) == (2013, 2018)
    assert info.source.document == "ruritania.docx"
    assert [(s.number, s.title) for s in info.strategic_plan.objectives] == [
        ("2.1", "National Biosafety Framework development"),
        ("0", "(not stated in the imported document)"),
        ("2.6", "Information sharing"),
    ]
    messages = [said(f) for f in imported.findings]
    assert (
        "table 1: warning: not an objective table (2 rows × 2 columns, "
        "no Outcomes/Indicators/Results/Activities header): ignored" in messages
    )
    assert (
        "table 3, row 1 (objective 2): warning: no 'Strategic Plan operational objective' line; "
        "set to 0, which plan.yaml declares as not stated"
    ) in messages
    assert imported.errors == []


def test_the_imported_files_load_without_problems(imported: Any, tmp_path: Path) -> None:
    from lgcb.word.read import write_plan

    write_plan(imported, tmp_path, force=False)
    loaded = load_plan(tmp_path)
    assert loaded.problems == [] and loaded.plan == imported.plan


# ---------------------------------------------------------------------------------------------
# Round trips through lgcb's own Word output


def test_the_shipped_plan_survives_render_then_import(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(render(plan, "docx"))
    result = read_document(path)
    assert result.findings == []
    assert result.plan == plan


def test_damaged_property_values_are_read_as_word_reads_them_not_a_crash(plan: Plan, tmp_path: Path) -> None:
    """A list level, numbering ID, indent or on/off value that is not what the format allows (only
    a damaged or hand-made file has one) is read as absent or on; the text is all read."""
    import zipfile

    rendered = render(plan, "docx")
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    first_entry = xml.index('<w:pStyle w:val="ListBullet"/></w:pPr>')
    damaged = '<w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="x"/><w:numId w:val="?"/></w:numPr>'
    damaged += '<w:ind w:left="wide"/></w:pPr>'
    xml = xml[:first_entry] + damaged + xml[first_entry + len('<w:pStyle w:val="ListBullet"/></w:pPr>') :]
    empty_run = xml.index('<w:r><w:t xml:space="preserve"/></w:r>', first_entry)  # "no result number"
    xml = xml[:empty_run] + '<w:r><w:rPr><w:b w:val="maybe"/></w:rPr>' + xml[empty_run + len("<w:r>") :]
    parts["word/document.xml"] = xml.encode("utf-8")
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    result = read_document(path)

    assert result.findings == []
    assert result.plan == plan


def _docx_with(plan: Plan, path: Path, old: str, new: str, count: int) -> Path:
    """The plan's Word report with the first ``count`` occurrences of ``old`` in its body made ``new``."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render(plan, "docx"))) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count(old) >= count
    parts["word/document.xml"] = xml.replace(old, new, count).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_damaged_bold_title_is_read_as_bold(plan: Plan, tmp_path: Path) -> None:
    path = _docx_with(plan, tmp_path / "title.docx", "<w:b/>", '<w:b w:val="maybe"/>', 3)
    result = read_document(path)
    assert result.findings == []
    assert result.plan == plan


def test_a_table_with_a_damaged_value_is_reported_and_the_rest_is_read(
    invoke: Callable[..., Result], plan: Plan, tmp_path: Path
) -> None:
    """A value python-docx cannot read (a cell spanning "x" columns) is an error at its table, and
    the rest of the document is read; LibreOffice saves the file mended."""
    path = _docx_with(plan, tmp_path / "span.docx", "<w:tcPr>", '<w:tcPr><w:gridSpan w:val="x"/>', 1)

    result = invoke("import", str(path), "-o", str(tmp_path / "out"), "--dry-run")

    assert result.exit_code == 1
    assert "span.docx: table 1: error: a damaged value in the document (invalid literal for int()" in result.stderr
    assert "the rest of this table was not read; open the file in Word or LibreOffice, save it" in result.stderr
    assert "Traceback" not in result.output
    assert "8 objectives" in result.stderr

    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    saved = tmp_path / "saved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(path),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    mended = read_document(saved / "span.docx")
    assert mended.errors == []
    assert mended.plan.count() == plan.count()


def test_a_report_without_ids_imports_to_the_same_plan(plan: Plan, tmp_path: Path) -> None:
    # Without ID runs the importer assigns IDs the way the plan does: in source order.
    path = tmp_path / "publication.docx"
    path.write_bytes(render(plan, "docx", RenderOptions(ids=False)))
    result = read_document(path)
    assert result.findings == []
    assert result.plan == plan


def test_imported_files_have_the_layout_of_the_shipped_files(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(render(plan, "docx"))
    files = read_document(path).files

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("#")]

    shipped = {p.name[:2]: p for p in (PLAN_DIR / "objectives").iterdir()}
    for name, text in files.items():
        if name.startswith("objectives/"):
            assert body(text) == body(shipped[name[11:13]].read_text(encoding="utf-8")), name
    assert body(files["plan.yaml"]) == body((PLAN_DIR / "plan.yaml").read_text(encoding="utf-8"))


def test_links_monitoring_fields_and_notes_survive_the_round_trip(plan: Plan, tmp_path: Path) -> None:
    data = plan.model_dump(exclude_defaults=True)
    first = data["objectives"][0]
    first["indicators"][0] |= {
        "measures": ["1.O1", "1.O2"],
        "measure": "percentage",
        "unit": "Parties",
        "baseline": {"value": 12.5, "year": 2012, "source": "Second national reports (2011)"},
        "targets": [{"year": 2016, "value": 30}, {"year": 2020, "value": "all Parties"}],
        "means_of_verification": "National reports; BCH",
        "note": "Counted: once per Party",
    }
    first["indicators"][1] |= {"baseline": {"value": 3, "year": 2011}}
    first["activities"][0]["items"][1]["serves"] = ["1.R1"]
    first["activities"][1] |= {"serves": ["1.R1", "1.R2"], "note": "With UNEP-GEF"}
    first["results"][0]["note"] = "Laws & <regulations>"
    third = data["objectives"][2]
    third["activities"][1]["items"][0]["serves"] = ["3.R2"]
    linked = Plan.model_validate(data)
    path = tmp_path / "linked.docx"
    path.write_bytes(render(linked, "docx"))
    result = read_document(path)
    assert result.findings == []
    assert result.plan == linked


# ---------------------------------------------------------------------------------------------
# A document saved by LibreOffice from HTML

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Action plan</title></head><body>
<h1>National capacity-building action plan</h1>
<h2>Operational objective 1</h2>
<p><b>National Biosafety Frameworks</b>: To further support the development of national systems</p>
<p>Strategic Plan operational objective 2.1: National Biosafety Framework development and implementation</p>
<table border="1">
<thead><tr><th>Outcomes</th><th>Indicators</th><th>Results/Outputs</th><th>Activities</th></tr></thead>
<tbody><tr>
<td><ul><li>Frameworks developed &amp; implemented</li><li>Functional national systems</li></ul></td>
<td><ul><li>Number of Parties with operational frameworks</li></ul></td>
<td><p>1.1 Biosafety laws in place</p><p>1.2 Institutional structures in place</p></td>
<td><ul><li>Development of a best practice guide on:<ul><li>Implementation of frameworks</li>
<li>Enforcement of frameworks</li></ul></li><li>Organization of workshops</li></ul></td>
</tr></tbody></table>
</body></html>
"""


@pytest.fixture(scope="module")
def libreoffice_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("from-html")
    (folder / "plan.html").write_text(HTML, encoding="utf-8")
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(folder / "plan.html"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0 and (folder / "plan.docx").is_file(), run.stderr
    return folder / "plan.docx"


def test_a_document_saved_by_libreoffice_from_html(libreoffice_document: Path) -> None:
    result = read_document(libreoffice_document)
    assert result.errors == []
    assert result.plan.info.title == "National capacity-building action plan"
    assert objective_data(result, 1) == {
        "number": 1,
        "title": "National Biosafety Frameworks",
        "aim": "To further support the development of national systems",
        "strategic_plan_objective": "2.1",
        "outcomes": [
            {"id": "1.O1", "text": "Frameworks developed & implemented"},
            {"id": "1.O2", "text": "Functional national systems"},
        ],
        "indicators": [{"id": "1.I1", "text": "Number of Parties with operational frameworks"}],
        "results": [
            {"id": "1.R1", "number": "1.1", "text": "Biosafety laws in place"},
            {"id": "1.R2", "number": "1.2", "text": "Institutional structures in place"},
        ],
        "activities": [
            {
                "id": "1.A1",
                "text": "Development of a best practice guide on:",
                "items": [
                    {"id": "1.A1.1", "text": "Implementation of frameworks"},
                    {"id": "1.A1.2", "text": "Enforcement of frameworks"},
                ],
            },
            {"id": "1.A2", "text": "Organization of workshops"},
        ],
    }


# ---------------------------------------------------------------------------------------------
# The command


@pytest.fixture
def rendered_docx(plan: Plan, tmp_path: Path) -> Path:
    path = tmp_path / "annex.docx"
    path.write_bytes(render(plan, "docx"))
    return path


def test_dry_run_prints_the_files_and_writes_nothing(
    invoke: Callable[..., Result], rendered_docx: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke("import", str(rendered_docx), "-o", str(out), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"# --- {out / 'plan.yaml'}\n# The plan as a whole, imported by `lgcb import` from annex.docx."
    )
    assert f"# --- {out / 'objectives' / '03-handling-transport-packaging-and-identification.yaml'}\n" in result.stdout
    assert "  - id: 3.G2\n    group: Related to the checkpoints\n" in result.stdout
    assert result.stderr == f"Dry run: 8 objectives, 169 entries; would write 9 files to {out}.\n"
    assert not out.exists()


def test_import_writes_a_plan_that_validates(
    invoke: Callable[..., Result], rendered_docx: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke("import", str(rendered_docx), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"wrote {out / 'plan.yaml'}"
    assert (
        result.stdout.splitlines()[-1]
        == f"Imported annex.docx: 8 objectives, 169 entries. Check it with: lgcb --plan {out} validate"
    )
    assert invoke("validate", plan=out).exit_code == 0


def test_an_existing_plan_is_kept_unless_forced(
    invoke: Callable[..., Result], rendered_docx: Path, copy_plan: Path
) -> None:
    stale = copy_plan / "objectives" / "09-extra.yaml"
    stale.write_text(
        (copy_plan / "objectives" / "01-national-biosafety-frameworks.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    before = (copy_plan / "plan.yaml").read_text(encoding="utf-8")
    result = invoke("import", str(rendered_docx), "-o", str(copy_plan))
    assert result.exit_code == 2
    assert f"{copy_plan} already holds a plan (plan.yaml); use --force to overwrite it" in result.stderr
    assert (copy_plan / "plan.yaml").read_text(encoding="utf-8") == before
    result = invoke("import", str(rendered_docx), "-o", str(copy_plan), "--force")
    assert result.exit_code == 0
    assert f"removed {stale} (not in the imported document)" in result.stdout
    assert not stale.exists()
    assert invoke("validate", plan=copy_plan).exit_code == 0


def test_text_it_cannot_place_is_reported_with_where_it_was(invoke: Callable[..., Result], tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Biosafety action plan")  # the first two lines are the title and subtitle
    d.add_paragraph("(aligned with the Strategic Plan)")
    d.add_paragraph("Draft for consultation")
    d.add_paragraph("Operational objective 1")
    d.add_paragraph("Liability and redress: To assist Parties")
    objective_table(d, [["· Rules in place"], [], [], ["· Study"]])
    d.add_paragraph("Budget to be confirmed")
    source = tmp_path / "draft.docx"
    d.save(str(source))
    out = tmp_path / "out"
    result = invoke("import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert (
        "draft.docx: paragraph 3: error: text before the first objective, not placed: 'Draft for consultation'"
        in result.stderr
    )
    assert (
        "draft.docx: paragraph 6: error: a line in objective 1 outside its table, not placed: 'Budget to be confirmed'"
        in result.stderr
    )
    assert result.stderr.rstrip().endswith(
        "2 pieces of text could not be placed (listed above): "
        "add them to the YAML by hand, or fix the document and import again."
    )
    assert invoke("validate", plan=out).exit_code == 0  # what could be placed is written


def test_a_file_that_is_not_a_word_document(invoke: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "plan.docx"
    source.write_text("title: not Word", encoding="utf-8")
    result = invoke("import", str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {source}: not a Word .docx file (it is not a zip package); "
        "open it in Word or LibreOffice and save it as .docx\n"
    )
    with pytest.raises(ImportFailed, match="no 'Operational objective N' heading found"):
        empty = tmp_path / "empty.docx"
        docx.Document().save(str(empty))
        read_document(empty)


def test_help_shows_examples(invoke: Callable[..., Result]) -> None:
    result = invoke("import", "--help")
    assert result.exit_code == 0
    assert "lgcb import annex.docx -o plan --dry-run" in result.stdout
    assert "import    Import a plan from Word (.docx), or edits made in a workbook." in invoke("--help").stdout


def test_ids_moved_or_copied_in_word_are_renewed_and_broken_links_reported(tmp_path: Path) -> None:
    from docx.shared import RGBColor

    d = docx.Document()
    d.add_paragraph("Operational objective 1")
    d.add_paragraph("Liability and redress: To assist Parties")
    d.add_paragraph("Strategic Plan operational objective 2.4: Liability and Redress")
    table = objective_table(d, [[], [], [], []])

    def item(cell: Any, item_id: str, text: str) -> None:
        p = cell.add_paragraph(style="List Bullet")
        p.add_run(f"{item_id} ")
        p.add_run(text)

    cells = table.rows[1].cells
    item(cells[0], "1.O1", "Rules in place")
    item(cells[2], "1.R1", "Experts trained")
    item(cells[3], "1.O1", "Moved here from the outcomes")
    item(cells[3], "1.A1", "Study")
    item(cells[3], "1.A1", "Copied row")
    grey = cells[3].add_paragraph().add_run("serves: 1.R1, 1.R9")
    grey.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    path = tmp_path / "edited.docx"
    d.save(str(path))

    result = read_document(path)
    assert objective_data(result, 1)["activities"] == [
        {"id": "1.A2", "text": "Moved here from the outcomes"},
        {"id": "1.A1", "text": "Study"},
        {"id": "1.A3", "text": "Copied row", "serves": ["1.R1"]},
    ]
    where = "table 1, row 2, column Activities"
    assert [said(f) for f in result.findings if f.where.startswith(where)] == [
        f"{where}, paragraph 1: warning: the ID 1.O1 is not an ID for an activity: a new ID is assigned",
        f"{where}, paragraph 3: warning: the ID 1.A1 is used twice: a new ID is assigned",
        f"{where}, paragraph 3: error: 1.A3 serves 1.R9, which is not a result in the document: the link is not placed",
    ]


def test_the_example_in_docs_imports_as_documented(invoke: Callable[..., Result], tmp_path: Path) -> None:
    source = PLAN_DIR.parent / "examples" / "import" / "national-plan.docx"
    result = invoke("import", str(source), "-o", str(tmp_path / "national"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "national-plan.docx: paragraph 5: error: a line in objective 1 outside its table, not placed: "
        "'To be discussed with the Ministry of Agriculture' [unplaced-text]",
        "national-plan.docx: warning: no 'Strategic Plan' in an 'About this plan' table; "
        "its title set to '(not stated in the imported document)' [import-assumed]",
        "1 piece of text could not be placed (listed above): add it to the YAML by hand, "
        "or fix the document and import again.",
    ]
    activities = load_plan(tmp_path / "national").plan.objective(2).activities  # type: ignore[union-attr]
    assert [(g.id, g.group, [(a.id, a.text) for a in g.items]) for g in activities] == [
        (
            "2.G1",
            "Related to the checkpoints",
            [("2.A1", "Workshops for customs officers"), ("2.A2", "Checklists for documentation")],
        ),
        ("2.G2", "Related to the laboratory", [("2.A3", "Purchase of detection equipment")]),
    ]


def test_a_fifth_column_is_reported_not_mixed_into_the_activities(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Operational objective 4")
    d.add_paragraph("Liability and redress: To assist Parties")
    table = d.add_table(rows=2, cols=5)
    for cell, title in zip(table.rows[0].cells, [*HEADER, "Responsible"], strict=True):
        cell.text = title
    for cell, text in zip(
        table.rows[1].cells, ["Rules", "Number of rules", "4.1 Rules drafted", "Study", "Ministry"], strict=True
    ):
        cell.text = text
    path = tmp_path / "five.docx"
    d.save(str(path))
    result = read_document(path)
    assert objective_data(result, 4)["activities"] == [{"id": "4.A1", "text": "Study"}]
    assert [said(f) for f in result.errors] == [
        "table 1, row 2, column 'Responsible', paragraph 1: error: a column that is not one of the four, "
        "not placed: 'Ministry'"
    ]


# ---------------------------------------------------------------------------------------------
# Any plan survives the round trip, not only the shipped one

_WORDS = st.text(alphabet="abcXYZ019.:;,-–·•<>&'\"/()ñé ", min_size=1, max_size=25).map(lambda t: " ".join(t.split()))
TEXTS = _WORDS.filter(bool)


@st.composite
def entries(draw: st.DrawFn, prefix: str, letter: str, groups: bool) -> list[dict[str, Any]]:
    """A column: items nested up to two levels, optionally under group headings (IDs as the plan gives them)."""
    counter = iter(range(1, 100))

    def item(item_id: str, depth: int) -> dict[str, Any]:
        children = draw(st.integers(0, 2)) if depth < 2 else 0
        entry: dict[str, Any] = {"id": item_id, "text": draw(TEXTS)}
        if letter == "R" and depth == 0 and draw(st.booleans()):
            entry["number"] = draw(st.from_regex(r"\A[1-9]\.[1-9]\Z"))
        if children:
            entry["items"] = [item(f"{item_id}.{k}", depth + 1) for k in range(1, children + 1)]
        return entry

    if groups:
        return [
            {
                "id": f"{prefix}.G{g}",
                "group": draw(TEXTS),
                "items": [item(f"{prefix}.{letter}{next(counter)}", 0) for _ in range(draw(st.integers(1, 2)))],
            }
            for g in range(1, draw(st.integers(1, 2)) + 1)
        ]
    return [item(f"{prefix}.{letter}{next(counter)}", 0) for _ in range(draw(st.integers(0, 3)))]


@st.composite
def plans(draw: st.DrawFn, base: Plan) -> Plan:
    info = base.info.model_dump(exclude_defaults=True) | {"title": draw(TEXTS)}
    objective = {
        "number": 1,
        "title": draw(TEXTS),
        "aim": draw(TEXTS),
        "strategic_plan_objective": "2.1",
        "outcomes": draw(entries("1", "O", False)),
        "indicators": draw(entries("1", "I", False)),
        "results": draw(entries("1", "R", False)),
        "activities": draw(entries("1", "A", draw(st.booleans()))),
    }
    return Plan.model_validate({"info": info, "objectives": [objective]})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_plan_survives_render_then_import(plan: Plan, tmp_path: Path, data: st.DataObject) -> None:
    generated = data.draw(plans(plan))
    path = tmp_path / "generated.docx"
    path.write_bytes(render(generated, "docx"))
    result = read_document(path)
    assert result.findings == []
    assert result.plan == generated


def test_field_lines_that_cannot_be_read_are_reported(tmp_path: Path) -> None:
    from docx.shared import RGBColor

    d = docx.Document()
    d.add_paragraph("Operational objective 1")
    d.add_paragraph("Liability and redress: To assist Parties")
    table = objective_table(d, [[], [], [], []])
    cells = table.rows[1].cells

    def grey(cell: Any, text: str) -> None:
        cell.add_paragraph().add_run(text).font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    cells[1].add_paragraph("· Number of Parties")
    grey(cells[1], "measure: lots")
    grey(cells[1], "baseline: 12 in 2012")
    grey(cells[1], "target: 40 by 1850")
    grey(cells[1], "unit: Parties")
    cells[2].add_paragraph("1.1 Rules drafted")
    grey(cells[2], "serves: 1.R1")
    path = tmp_path / "fields.docx"
    d.save(str(path))

    result = read_document(path)
    assert objective_data(result, 1)["indicators"] == [{"id": "1.I1", "text": "Number of Parties", "unit": "Parties"}]
    column = "table 1, row 2, column"
    assert [said(f) for f in result.errors] == [
        f"{column} Indicators, paragraph 2: error: a measure is one of number, percentage, ratio, amount, "
        "qualitative; not placed: 'lots'",
        f"{column} Indicators, paragraph 3: error: a baseline reads 'baseline: VALUE (YEAR, source)', "
        "not placed: '12 in 2012'",
        f"{column} Indicators, paragraph 4: error: a target reads 'target: VALUE by YEAR', not placed: '40 by 1850'",
        f"{column} Results/Outputs, paragraph 2: error: not a field a result can have, not placed: 'serves: 1.R1'",
    ]


def test_lgcbs_document_after_word_has_merged_split_and_dropped_runs(plan: Plan, tmp_path: Path) -> None:
    """Word rewrites runs when it saves: runs with the same formatting merge, empty runs go, an
    edited run splits. The plan must still come back whole."""
    document = docx.Document(io.BytesIO(render(plan, "docx")))
    for table in document.tables[1:]:
        for cell in table.rows[1].cells:
            for p in cell.paragraphs:
                runs = p.runs
                if len(runs) != 3:
                    continue
                id_run, number, text = runs
                text.text = number.text + text.text  # "3.1 " merged into the text, or the empty run…
                number._r.getparent().remove(number._r)  # …dropped
                if id_run.text == "3.A7 ":
                    id_run.text = "3.A"  # an ID run split in two
                    tail = copy.deepcopy(id_run._r)
                    id_run._r.addnext(tail)
                    tail.find(qn("w:t")).text = "7 "
    path = tmp_path / "saved-by-word.docx"
    document.save(str(path))
    check = docx.Document(str(path))
    three = [p for t in check.tables[1:] for c in t.rows[1].cells for p in c.paragraphs if p.text.startswith("3.R1")]
    assert [r.text for r in three[0].runs] == ["3.R1 ", "3.1 Systems identification of LMOs for established"]
    result = read_document(path)
    assert result.findings == []
    assert result.plan == plan


def test_a_heading_with_title_and_aim_on_the_same_line(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Operational objective 6: Information sharing: To enhance the use of the BCH", style="Heading 1")
    objective_table(d, [["· BCH used"], [], [], []])
    path = tmp_path / "one-line.docx"
    d.save(str(path))
    objective = read_document(path).plan.objective(6)
    assert objective is not None
    assert (objective.title, objective.aim) == ("Information sharing", "To enhance the use of the BCH")


def test_the_files_an_import_writes_are_checked_as_validate_reads_them(imported: Any) -> None:
    from lgcb.word.read import ImportResult, check_written

    assert check_written(imported) == []
    name = next(n for n in imported.files if n.startswith("objectives/"))
    broken = ImportResult(imported.plan, {**imported.files, name: imported.files[name] + "number: 2\n"})
    changed = ImportResult(
        imported.plan, {**imported.files, name: imported.files[name].replace("National", "Nation", 1)}
    )

    assert [m.split(": ", 1)[0].rsplit(":", 2)[0] for m in check_written(broken)] == [f"/{name}"]
    assert check_written(changed) == ["the written files do not read back as the imported plan"]

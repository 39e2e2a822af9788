"""The Word output, read back with python-docx and converted by LibreOffice as a reader would."""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from annex import content_units, normalise
from conftest import ROOT, require_tool
from lgcb.model import Indicator, Plan
from lgcb.render import RenderError, RenderOptions, render

TEMPLATE = ROOT / "templates" / "docx" / "report.docx"
LETTERHEAD = ROOT / "examples" / "templates" / "letterhead.docx"


def _module(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def all_text(document: DocxDocument) -> str:
    """Every paragraph of the document, tables included, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(normalise(line) for line in lines)


def objective_tables(document: DocxDocument) -> list:  # type: ignore[type-arg]
    return [t for t in document.tables if [c.text for c in t.rows[0].cells][:1] == ["Outcomes"]]


def paragraph_of(document: DocxDocument, item_id: str):  # type: ignore[no-untyped-def]
    for table in objective_tables(document):
        for cell in table.rows[1].cells:
            for p in cell.paragraphs:
                if p.runs and p.runs[0].text == f"{item_id} ":
                    return p
    raise AssertionError(f"no paragraph for {item_id}")


@pytest.fixture(scope="module")
def rendered(plan: Plan) -> bytes:
    return render(plan, "docx")


@pytest.fixture(scope="module")
def document(rendered: bytes) -> DocxDocument:
    return read(rendered)


def test_the_committed_template_is_what_its_build_script_makes() -> None:
    build = _module(ROOT / "templates" / "docx" / "build_template.py")
    assert build.build() == TEMPLATE.read_bytes(), "run python templates/docx/build_template.py and commit"


def test_the_letterhead_example_is_what_its_build_script_makes() -> None:
    build = _module(ROOT / "examples" / "templates" / "build_letterhead.py")
    assert build.build() == LETTERHEAD.read_bytes(), "run python examples/templates/build_letterhead.py"


def test_the_template_has_every_style_the_layout_names() -> None:
    names = {s.name for s in docx.Document(str(TEMPLATE)).styles}
    build = _module(ROOT / "templates" / "docx" / "build_template.py")
    assert set(build.STYLES) <= names


def test_every_line_of_annex_i_is_in_the_word_document(document: DocxDocument) -> None:
    text = all_text(document)
    missing = [unit for unit in content_units() if unit not in text]
    assert missing == []


def test_the_first_page_is_laid_out_as_a_un_annex(document: DocxDocument) -> None:
    first = document.paragraphs[:5]
    assert [(p.style.name, p.text) for p in first] == [
        ("Annex Line", "Annex I"),
        ("Title", "results-oriented CAPACITY-BUILDING ACTION PLAN"),
        ("Subtitle", "(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)"),
        (
            "Source Note",
            "Source: Report of the ninth meeting of the Liaison Group on Capacity-Building for Biosafety "
            "(Prague, Czech Republic, 15–16 March 2012), Annex I.",
        ),
        (
            "Source Note",
            "Timeframe: 2011–2020, aligned with the Strategic Plan for the Cartagena Protocol on Biosafety.",
        ),
    ]
    # Capitals by style: the text keeps the source's casing, the run's character style sets w:caps.
    title_run = first[1].runs[0]
    assert title_run.style.name == "Annex Title" and title_run.style.font.all_caps
    # No table before the objectives: the plan-level fields are in the document's properties.
    assert len(objective_tables(document)) == len(document.tables)


def test_a_contents_field_that_word_updates_on_opening(document: DocxDocument) -> None:
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-1" \\h \\z \\u ']
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # Until Word updates it, the field shows the objectives, each under its own number.
    entries = [p.text for p in document.paragraphs if p.style.name == "TOC 1" and p.text]
    assert entries[0] == "Operational objective 1: National Biosafety Frameworks" and len(entries) == 8


def test_page_numbers_are_fields_in_the_footer(document: DocxDocument) -> None:
    footer = document.sections[0].footer._element
    fields = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]


def test_document_properties_name_the_plan_and_lgcb_and_nothing_of_the_template(rendered: bytes) -> None:
    from lgcb import __version__

    document = read(rendered)
    core = document.core_properties
    assert core.title == "results-oriented CAPACITY-BUILDING ACTION PLAN"
    assert (
        core.subject == "Annex I, Report of the ninth meeting of the Liaison Group on Capacity-Building for Biosafety"
    )
    assert core.language == "en"
    assert (core.author, core.last_modified_by, core.comments) == ("", "", "")
    with zipfile.ZipFile(io.BytesIO(rendered)) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode("utf-8")
        everything = b"".join(package.read(n) for n in names if n.endswith((".xml", ".rels")))
    assert not any("thumbnail" in n for n in names)
    assert f"<Application>lgcb {__version__}</Application>" in app
    assert b"python-docx" not in everything and b"Macintosh" not in everything


def test_the_plan_level_fields_are_custom_document_properties(document: DocxDocument) -> None:
    from lgcb.word.package import custom_properties

    properties = custom_properties(document)
    assert properties["Source document"] == (
        "Report of the ninth meeting of the Liaison Group on Capacity-Building for Biosafety"
    )
    assert properties["Timeframe"] == "2011–2020"
    assert properties["Strategic Plan objective 1"] == "2.1 National Biosafety Framework development and implementation"
    assert len(properties) == 8 + 8


def test_one_heading_1_and_one_four_column_table_per_objective(document: DocxDocument) -> None:
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # No monitoring data in the shipped plan: the report says so once, under "Monitoring".
    assert headings == [f"Operational objective {n}" for n in range(1, 9)] + ["Monitoring"]
    tables = objective_tables(document)
    assert len(tables) == 8 and len(document.tables) == 8
    for table in tables:
        assert len(table.columns) == 4 and len(table.rows) == 2
        assert [c.text for c in table.rows[0].cells] == ["Outcomes", "Indicators", "Results/Outputs", "Activities"]
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_title_aim_and_strategic_plan_link_follow_each_heading(document: DocxDocument) -> None:
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Operational objective 3")
    assert texts[at + 1] == (
        "Handling, transport, packaging and identification: To develop capacity for handling, transport, "
        "packaging and identification of living modified organisms"
    )
    title_run = document.paragraphs[at + 1].runs[0]
    assert title_run.bold and title_run.text == "Handling, transport, packaging and identification"
    assert (
        texts[at + 2] == "Strategic Plan operational objective 2.3: Handling, transport, packaging and identification"
    )


def test_pages_are_landscape_a4(document: DocxDocument) -> None:
    section = document.sections[0]
    assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)


def test_items_are_word_bullets_nested_by_depth_with_a_small_grey_id(document: DocxDocument) -> None:
    top = paragraph_of(document, "1.A1")
    nested = paragraph_of(document, "1.A1.2")
    assert top.style.name == "List Bullet" and nested.style.name == "List Bullet 2"
    assert [r.text for r in nested.runs if r.text] == [
        "1.A1.2 ",
        "Enforcement of national biosafety regulatory frameworks",
    ]
    id_style = nested.runs[0].style
    assert id_style.name == "Item ID"
    assert id_style.font.size.pt == 7.5 and str(id_style.font.color.rgb) == "595959"
    # The bullet styles carry Word numbering, so every reader (LibreOffice too) draws bullets,
    # with a glyph of their own at each depth.
    glyphs = []
    numbering = document.part.numbering_part.element
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 4", "List Bullet 5"):
        num_id = document.styles[name].element.pPr.numPr.numId.val
        num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(a for a in numbering.iter(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
        glyphs.append(abstract.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")))
    assert glyphs == ["•", "–", "◦", "▪", "·"]


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_ids_and_field_lines_have_a_contrast_of_at_least_4_5_to_1(document: DocxDocument) -> None:
    for name in ("Item ID", "Item Field"):
        colour = str(document.styles[name].font.color.rgb)
        contrast = (1 + 0.05) / (_luminance(colour) + 0.05)
        assert contrast >= 4.5, (name, colour, contrast)


def test_table_headers_are_shaded_and_bold_and_cells_padded(document: DocxDocument) -> None:
    for table in document.tables:
        for cell in table.rows[0].cells:
            shading = cell._tc.tcPr.find(qn("w:shd"))
            assert shading is not None and shading.get(qn("w:fill")) == "E8EEF4"
            assert all(r.bold for r in cell.paragraphs[0].runs)
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert margins is not None and margins.find(qn("w:left")).get(qn("w:w")) == "99"


def test_headings_and_the_lines_under_them_are_kept_with_what_follows(plan: Plan) -> None:
    from lgcb.checks.load import load_plan

    document = read(render(plan, "docx"))
    assert document.styles["Heading 1"].paragraph_format.keep_with_next
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Operational objective 3")
    heading, title, link = document.paragraphs[at : at + 3]
    assert heading.paragraph_format.page_break_before
    assert title.paragraph_format.keep_with_next and link.paragraph_format.keep_with_next
    example = load_plan(ROOT / "examples" / "monitoring").plan
    assert example is not None
    banners = [p for p in read(render(example, "docx")).paragraphs if p.text.startswith("ILLUSTRATIVE DATA")]
    assert banners and all(p.style.name == "Monitoring Notice" for p in banners)
    assert document.styles["Monitoring Notice"].paragraph_format.keep_with_next
    assert document.styles["Heading 2"].paragraph_format.keep_with_next


def test_results_keep_their_source_number_in_its_own_run(document: DocxDocument) -> None:
    result = paragraph_of(document, "3.R1")
    assert [r.text for r in result.runs] == ["3.R1 ", "3.1 ", "Systems identification of LMOs for established"]


def test_group_headings_are_bold_unbulleted_lines_with_their_items_below(document: DocxDocument) -> None:
    group = paragraph_of(document, "3.G2")
    assert group.style.name == "Group Heading" and group.style.element.pPr.numPr is None
    assert group.runs[1].bold and group.runs[1].text == "Related to the checkpoints"
    assert paragraph_of(document, "3.A7").style.name == "List Bullet"


def test_own_fields_are_grey_lines_under_their_item(plan: Plan) -> None:
    objective = plan.objective(1)
    assert objective is not None
    indicator = Indicator.model_validate(
        {
            **objective.indicators[0].model_dump(exclude_defaults=True),
            "measures": ["1.O1"],
            "measure": "number",
            "unit": "Parties",
            "baseline": {"value": 12, "year": 2012, "source": "BCH"},
            "targets": [{"year": 2016, "value": 30}, {"year": 2020, "value": 40}],
            "means_of_verification": "National reports",
            "note": "Counted each year",
        }
    )
    changed = objective.model_copy(update={"indicators": [indicator, *objective.indicators[1:]]})
    edited = plan.model_copy(update={"objectives": [changed]})
    cell = objective_tables(read(render(edited, "docx")))[0].rows[1].cells[1]
    assert [(p.style.name, p.text) for p in cell.paragraphs[:9]] == [
        ("List Bullet", "1.I1 Number of Parties with operational regulatory frameworks"),
        ("Item Field", "Measures: 1.O1"),
        ("Item Field", "Measure: number (Parties)"),
        ("Item Field", "Baseline: 12 (2012, BCH)"),
        ("Item Field", "Target: 30 by 2016"),
        ("Item Field", "Target: 40 by 2020"),
        ("Item Field", "Means of verification: National reports"),
        ("Item Field", "Note: Counted each year"),
        ("List Bullet", "1.I2 Number of Parties with functional administrative arrangements"),
    ]


def test_text_that_looks_like_markup_is_written_as_text(plan: Plan) -> None:
    objective = plan.objectives[0]
    outcome = objective.outcomes[0].model_copy(update={"text": "Frameworks <b>developed</b> & {{ implemented }}"})
    edited = plan.model_copy(
        update={"objectives": [objective.model_copy(update={"outcomes": [outcome, *objective.outcomes[1:]]})]}
    )
    cell = objective_tables(read(render(edited, "docx")))[0].rows[1].cells[0]
    assert cell.paragraphs[0].text == "1.O1 Frameworks <b>developed</b> & {{ implemented }}"


def test_only_the_chosen_objectives(plan: Plan) -> None:
    document = read(render(plan, "docx", RenderOptions(objectives=(3, 5))))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Operational objective 3",
        "Operational objective 5",
        "Monitoring",
    ]


def test_an_unknown_objective_is_a_clear_error(plan: Plan) -> None:
    with pytest.raises(RenderError, match=r"there is no objective 9 in the plan \(objectives: 1, 2, 3"):
        render(plan, "docx", RenderOptions(objectives=(9,)))


def test_an_organisations_template_keeps_its_letterhead_and_styles(plan: Plan) -> None:
    document = read(render(plan, "docx", RenderOptions(template=LETTERHEAD)))
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("Ministry of Environment · National Biosafety Office")
    assert document.tables[0].rows[0].cells[1].text.startswith("Produced with lgcb ")  # the organisation's own line
    assert str(document.styles["Heading 1"].font.color.rgb) == "1F5C3A"
    assert len(objective_tables(document)) == 8
    text = all_text(document)
    assert [unit for unit in content_units() if unit not in text] == []


def test_a_file_that_is_not_a_docx_is_refused(plan: Plan, tmp_path: Path) -> None:
    fake = tmp_path / "letter.docx"
    fake.write_text("not a Word file", encoding="utf-8")
    with pytest.raises(RenderError, match=r"letter\.docx: not a Word \.docx file"):
        render(plan, "docx", RenderOptions(template=fake))
    with pytest.raises(RenderError, match=r"template not found: .*missing\.docx"):
        render(plan, "docx", RenderOptions(template=tmp_path / "missing.docx"))


def _template_with(tmp_path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "custom.docx"
    document.save(str(path))
    return path


def test_templates_run_in_the_sandbox(plan: Plan, tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ ''.__class__.__mro__ }}")
    with pytest.raises(RenderError, match=r"custom\.docx: the template tried something the sandbox forbids"):
        render(plan, "docx", RenderOptions(template=path))


def test_a_broken_tag_names_the_template_and_the_text_near_it(plan: Plan, tmp_path: Path) -> None:
    path = _template_with(tmp_path, "Plan: {{ plan.title ")
    with pytest.raises(RenderError, match=r"custom\.docx: template syntax error: .*\(near: Plan: \{\{ plan\.title"):
        render(plan, "docx", RenderOptions(template=path))
    path = _template_with(tmp_path, "{{ plan.budget }}")
    with pytest.raises(RenderError, match=r"custom\.docx: the template uses something the context does not have"):
        render(plan, "docx", RenderOptions(template=path))


@pytest.fixture(scope="module")
def pdf_raw(rendered: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The document converted once by LibreOffice headless, as text (pdftotext)."""
    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    pdftotext = require_tool("pdftotext", "apt-get install poppler-utils")
    folder = tmp_path_factory.mktemp("docx-pdf")
    source = folder / "plan.docx"
    source.write_bytes(rendered)
    profile = (folder / "profile").as_uri()
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    pdf = folder / "plan.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stderr
    out = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def pdf_pages(pdf_raw: str) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return [page for page in pdf_raw.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def pdf_text(pdf_raw: str) -> str:
    return normalise(pdf_raw)


def test_libreoffice_converts_the_document_to_pdf(pdf_text: str) -> None:
    assert "Operational objective 8" in pdf_text
    assert "Outcomes" in pdf_text and "Results/Outputs" in pdf_text
    assert "3.G2 Related to the checkpoints" in pdf_text
    assert "1.A4.1 handling of notifications" in pdf_text


def test_libreoffice_prints_a_page_number_on_every_page(pdf_pages: list[str]) -> None:
    count = len(pdf_pages)
    assert count > 8  # the title page, then each objective on pages of its own
    numbered = [bool(re.search(rf"(?m)^{n} / {count}$", page)) for n, page in enumerate(pdf_pages, start=1)]
    assert numbered == [True] * count


def test_a_template_directory_can_override_the_word_template(plan: Plan, tmp_path: Path) -> None:
    (tmp_path / "docx").mkdir()
    (tmp_path / "docx" / "report.docx").write_bytes(LETTERHEAD.read_bytes())
    document = read(render(plan, "docx", RenderOptions(template_dir=tmp_path, objectives=(1,))))
    assert document.sections[0].header.paragraphs[0].text.startswith("Ministry of Environment")


def test_progress_tables_where_monitoring_data_exists_and_a_plain_statement_where_not(plan: Plan) -> None:
    from lgcb.checks.load import load_plan

    texts = [p.text for p in read(render(plan, "docx")).paragraphs]
    assert texts[-2:] == [
        "Monitoring",
        "No baselines, targets or observations are recorded for the 29 indicators of this plan.",
    ]
    example = load_plan(ROOT / "examples" / "monitoring").plan
    assert example is not None
    document = read(render(example, "docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["Progress on the indicators"] * 6
    assert "Monitoring" not in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    progress = [t for t in document.tables if t.rows[0].cells[0].text == "Indicator"]
    assert len(progress) == 6
    assert [c.text for c in progress[0].rows[0].cells] == [
        "Indicator",
        "Baseline",
        "Latest",
        "Target",
        "Progress",
        "Status",
    ]
    assert [c.text for c in progress[0].rows[1].cells] == [
        "1.I1 Number of Parties with operational regulatory frameworks",
        "98 Parties (2011)",
        "131 Parties (2018-2019)",
        "150 Parties by 2020",
        "63.5%",
        "off track",
    ]
    assert progress[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "ILLUSTRATIVE DATA — not recorded by the Liaison Group" in [p.text for p in document.paragraphs]


def test_the_header_shows_a_document_symbol_only_where_the_plan_records_one(plan: Plan, tmp_path: Path) -> None:
    from lgcb.model import PlanInfo
    from lgcb.word import layout
    from lgcb.word.read import read_document

    # The shipped plan records no symbol (the source states none): the header stays empty.
    assert read(render(plan, "docx")).sections[0].header.paragraphs[0].text == ""
    masthead = {"symbol": "UNEP/CBD/BS/LG-CB/9/2", "distribution": "General"}
    info = {**plan.info.model_dump(mode="json"), "document": masthead}
    assert ("Document symbol", "UNEP/CBD/BS/LG-CB/9/2") in layout.plan_properties(info)
    assert ("Distribution", "General") in layout.plan_properties(info)
    assert layout.document_symbol(info) == "UNEP/CBD/BS/LG-CB/9/2"
    if "document" in PlanInfo.model_fields:  # plans that record a masthead
        recorded = plan.model_copy(update={"info": PlanInfo.model_validate(info)})
        path = tmp_path / "symbol.docx"
        path.write_bytes(render(recorded, "docx"))
        assert read(path.read_bytes()).sections[0].header.paragraphs[0].text == "UNEP/CBD/BS/LG-CB/9/2"
        assert read_document(path).plan == recorded

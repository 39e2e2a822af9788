"""The Word output, read back with python-docx and converted by LibreOffice as a reader would."""

from __future__ import annotations

import importlib.util
import io
import subprocess
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


def test_title_block_and_about_table(document: DocxDocument) -> None:
    first = document.paragraphs[:2]
    assert [(p.style.name, p.text) for p in first] == [
        ("Title", "results-oriented CAPACITY-BUILDING ACTION PLAN"),
        ("Subtitle", "(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)"),
    ]
    about = document.tables[0]
    rows = [tuple(c.text for c in row.cells) for row in about.rows]
    assert rows[0] == ("About this plan", "About this plan")
    assert rows[7] == ("Timeframe", "2011–2020")
    assert rows[9] == ("Strategic Plan objective", "2.1 National Biosafety Framework development and implementation")
    assert len(rows) == 1 + 8 + 8


def test_one_heading_1_and_one_four_column_table_per_objective(document: DocxDocument) -> None:
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # No monitoring data in the shipped plan: the report says so once, under "Monitoring".
    assert headings == [f"Operational objective {n}" for n in range(1, 9)] + ["Monitoring"]
    tables = objective_tables(document)
    assert len(tables) == 8 and len(document.tables) == 9
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
    assert id_style.font.size.pt == 7.5 and str(id_style.font.color.rgb) == "808080"
    # The bullet styles carry Word numbering, so every reader (LibreOffice too) draws bullets.
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 4", "List Bullet 5"):
        assert document.styles[name].element.pPr.numPr is not None, name


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
        ("Item Field", "measures: 1.O1"),
        ("Item Field", "measure: number"),
        ("Item Field", "unit: Parties"),
        ("Item Field", "baseline: 12 (2012, BCH)"),
        ("Item Field", "target: 30 by 2016"),
        ("Item Field", "target: 40 by 2020"),
        ("Item Field", "means of verification: National reports"),
        ("Item Field", "note: Counted each year"),
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
    assert document.tables[0].rows[0].cells[1].text.startswith("Produced with lgcb ")
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
def pdf_text(rendered: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
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
    return normalise(out.stdout)


def test_libreoffice_converts_the_document_to_pdf(pdf_text: str) -> None:
    assert "Operational objective 8" in pdf_text
    assert "Outcomes" in pdf_text and "Results/Outputs" in pdf_text
    assert "3.G2 Related to the checkpoints" in pdf_text
    assert "1.A4.1 handling of notifications" in pdf_text


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
        "No baselines, targets or observations are recorded for the 29 indicators of this plan. The action plan "
        "(Annex I) names its indicators but sets no baselines or targets, and lgcb invents none.",
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

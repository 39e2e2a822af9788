"""The PDF output, read back with poppler (pdfinfo, pdffonts, pdftotext) as a reader's tools see it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import typst

from annex import content_units, normalise
from conftest import ROOT, require_tool
from lgcb import __version__
from lgcb.checks.load import load_plan
from lgcb.model import Plan
from lgcb.render import RenderError, RenderOptions, render
from lgcb.render.pdf import typst_string
from render_support import plan_with_monitoring, plan_with_result_text

MONITORING = ROOT / "examples" / "monitoring"
POPPLER = "apt-get install poppler-utils"
HOSTILE = 'Hostile #set text(red) $x^2$ *bold* _under_ ] [ \\ ` <label> @ref = - + / ~ "quoted" GenØk – “curly”'


def poppler(tool: str, *args: str) -> str:
    path = require_tool(tool, POPPLER)
    done = subprocess.run([path, *args], capture_output=True, text=True, encoding="utf-8", check=True)
    return done.stdout


def write(tmp_path: Path, data: bytes, name: str = "plan.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def info(path: Path) -> dict[str, str]:
    lines = poppler("pdfinfo", str(path)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pages(path: Path) -> list[str]:
    """The text of each page in reading order, whitespace-normalised (pdftotext ends a page with a form feed).

    A line that breaks after the hyphen of a compound ("decision-" / "making") is joined back; the
    word joiner Typst puts before page numbers in the contents is dropped.
    """
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    text = re.sub(r"(?<=\w)-\n(?=\w)", "-", text.replace("\u2060", ""))
    return [normalise(page) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def shipped_pdf(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("pdf"), render(plan, "pdf"))


@pytest.fixture(scope="module")
def shipped_pages(shipped_pdf: Path) -> list[str]:
    return pages(shipped_pdf)


def test_the_pdf_is_a4_landscape(shipped_pdf: Path) -> None:
    assert info(shipped_pdf)["Page size"] == "841.89 x 595.276 pts (A4)"


def test_every_font_is_embedded(shipped_pdf: Path) -> None:
    rows = poppler("pdffonts", str(shipped_pdf)).splitlines()[2:]
    assert rows, "the PDF names no fonts"
    # Columns: name type encoding emb sub uni object ID; the type may be two words ("CID Type 0C").
    embedded = [re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row) for row in rows]
    assert all(m is not None and m.group(1) == "yes" for m in embedded), rows


def test_the_first_page_is_laid_out_as_an_annex_with_contents(shipped_pages: list[str], plan: Plan) -> None:
    first = shipped_pages[0]
    assert first.startswith("Annex I RESULTS-ORIENTED CAPACITY-BUILDING ACTION PLAN (ALIGNED WITH THE STRATEGIC PLAN")
    assert "Contents" in first
    # The contents give each objective with the page it starts on.
    for objective in plan.objectives:
        entry = re.search(rf"Operational objective {objective.number}: {re.escape(objective.title)}[ .]*(\d+)", first)
        assert entry is not None, objective.number
        page = shipped_pages[int(entry.group(1)) - 1]
        assert f"Operational objective {objective.number}: {objective.title}" in page


def test_no_masthead_is_invented_for_the_shipped_plan(shipped_pages: list[str], plan: Plan) -> None:
    assert plan.info.document is None
    assert "Distr." not in shipped_pages[0] and "Original:" not in shipped_pages[0]


def test_each_objective_starts_a_page_of_its_own(shipped_pages: list[str], plan: Plan) -> None:
    header = "Annex I RESULTS-ORIENTED CAPACITY-BUILDING ACTION PLAN"
    starts = [re.match(rf"{header} Operational objective (\d+):", page) for page in shipped_pages]
    numbers = [int(m.group(1)) for m in starts if m]
    assert numbers == [o.number for o in plan.objectives]


def test_the_table_header_is_repeated_on_every_page_a_table_runs_over(shipped_pages: list[str]) -> None:
    header = "Outcomes Indicators Results/Outputs Activities"
    assert all(header in page for page in shipped_pages[1:] if "Monitoring" not in page[:40])


def test_every_page_has_its_number_out_of_the_total(shipped_pages: list[str]) -> None:
    total = len(shipped_pages)
    assert total >= 1 + 8
    for number, page in enumerate(shipped_pages, 1):
        assert page.endswith(f"{number} / {total}"), number


def test_every_line_of_annex_i_is_in_the_pdf_text(shipped_pages: list[str], plan: Plan) -> None:
    """Every content unit is selectable text; the title and subtitle are printed in capitals by style."""
    text = " ".join(shipped_pages)
    capitals = {plan.info.title, plan.info.subtitle}
    missing = [u for u in content_units() if (u.upper() if u in capitals else u) not in text]
    assert missing == []


def test_the_metadata_give_title_language_producer_and_standards(shipped_pdf: Path, plan: Plan) -> None:
    meta = info(shipped_pdf)
    assert meta["Title"] == plan.info.title
    assert meta["Author"].startswith("lgcb ")
    assert meta["Tagged"] == "yes"
    xmp = poppler("pdfinfo", "-meta", str(shipped_pdf))
    assert "<dc:language><rdf:Bag><rdf:li>en</rdf:li>" in xmp
    assert "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>" in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_the_producing_tool_is_named_only_in_the_metadata(shipped_pages: list[str]) -> None:
    assert not any(f"lgcb {__version__}" in page or "Generated by" in page for page in shipped_pages)


def test_objective_option_renders_only_that_objective(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "three.pdf"
    result = invoke("render", "--format", "pdf", "--objective", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(pages(out))
    assert "Operational objective 3: Handling, transport, packaging and identification" in text
    assert not re.search(r"Operational objective [12456789]:", text)


def test_the_format_follows_the_output_files_extension(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "action-plan.pdf"
    result = invoke("render", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_without_ids_results_show_only_the_source_number(plan: Plan, tmp_path: Path) -> None:
    text = " ".join(pages(write(tmp_path, render(plan, "pdf", RenderOptions(objectives=(1,), ids=False)))))
    assert "1.1 Biosafety laws and implementing regulations in place" in text
    assert not re.search(r"\b1\.[ORIAG]\d", text)


def test_with_ids_each_entry_starts_with_its_id(shipped_pages: list[str]) -> None:
    text = " ".join(shipped_pages)
    assert "1.R1 1.1 Biosafety laws and implementing regulations in place" in text
    assert "1.A1.2 Enforcement of national biosafety regulatory frameworks" in text


def test_group_headings_come_before_their_entries(shipped_pages: list[str]) -> None:
    text = " ".join(shipped_pages)
    assert "Related to establishment of the system 3.G1 • 3.A1 Establishing and implementing measures" in text


def test_the_monitoring_example_renders_its_progress_tables_and_charts(tmp_path: Path) -> None:
    loaded = load_plan(MONITORING)
    assert loaded.plan is not None, loaded.problems
    path = write(tmp_path, render(loaded.plan, "pdf"))
    text = " ".join(pages(path))
    assert "Progress on the indicators ILLUSTRATIVE DATA — not recorded by the Liaison Group" in text
    assert "Indicator Baseline Latest Target Progress Status" in text
    assert "1.I1 Number of Parties with operational regulatory frameworks 98 Parties (2011)" in text
    assert "Measure: number (Parties)" in text and "Baseline: 98 (2011, second national reports)" in text
    # Each chart is captioned with its indicator's status and the reason for it.
    assert "1.I1 off track: short of the 144 Parties expected by 2019" in text


def test_links_notes_and_monitoring_fields_are_shown_under_their_item(copy_plan: Path, tmp_path: Path) -> None:
    plan = plan_with_monitoring(copy_plan)
    text = " ".join(pages(write(tmp_path, render(plan, "pdf", RenderOptions(objectives=(3,))))))
    assert "3.I1 Number of customs officers and laboratory personnel trained Measures 3.O1" in text
    assert "Measure: number (people trained) Baseline: 120 (2012, National reports)" in text
    assert "Targets: 300 by 2015; 600 by 2020 Means of verification: Third national reports" in text
    assert "Developing forms, manuals and checklists Note: Drafted with 3.A9 Serves 3.R1, 3.R2" in text


def test_markup_in_plan_text_is_printed_as_written(copy_plan: Path, tmp_path: Path) -> None:
    plan = plan_with_result_text(copy_plan, HOSTILE)
    text = " ".join(pages(write(tmp_path, render(plan, "pdf", RenderOptions(objectives=(3,))))))
    assert f"3.R1 3.1 {HOSTILE}" in text


@pytest.mark.parametrize(
    "value",
    [
        "#",
        "[",
        "]",
        "*",
        "_",
        "`",
        "$",
        "<",
        ">",
        "@",
        "=",
        "-",
        "+",
        "/",
        "\\",
        "~",
        '"',
        "- item",
        "+ item",
        "1. item",
        "= Heading",
        "// not a comment",
        "/* nor this */",
        "end with a backslash \\",
        "\\u{41} stays six characters",
        "line\nbreak\ttab\x01control",
        HOSTILE,
    ],
)
def test_typst_strings_hold_any_text_exactly(value: str, tmp_path: Path) -> None:
    """What the ``typst`` filter writes, Typst reads back as the same text, character for character."""
    source = f"#metadata({typst_string(value)}) <value>\n"
    read_back = typst.query(source.encode("utf-8"), "<value>", field="value", one=True, root=str(tmp_path))
    assert json.loads(read_back) == value


def test_the_document_title_goes_through_the_typst_filter(copy_plan: Path, tmp_path: Path) -> None:
    plan_yaml = copy_plan / "plan.yaml"
    source = plan_yaml.read_text(encoding="utf-8")
    title = "title: results-oriented CAPACITY-BUILDING ACTION PLAN\n"
    assert title in source
    plan_yaml.write_text(source.replace(title, "title: 'Plan \"#1\" $x$ ] \\ end'\n"), encoding="utf-8")
    loaded = load_plan(copy_plan)
    assert loaded.plan is not None, loaded.problems
    path = write(tmp_path, render(loaded.plan, "pdf", RenderOptions(objectives=(8,))))
    assert info(path)["Title"] == 'Plan "#1" $x$ ] \\ end'
    assert pages(path)[0].startswith('Annex I PLAN "#1" $X$ ] \\ END')


def test_a_recorded_masthead_is_printed_on_the_first_page(copy_plan: Path, tmp_path: Path) -> None:
    with (copy_plan / "plan.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "document:\n  symbol: XX/TEST/1\n  distribution: General\n  date: 1 April 2012\n"
            "  original_language: English\n"
        )
    loaded = load_plan(copy_plan)
    assert loaded.plan is not None, loaded.problems
    path = write(tmp_path, render(loaded.plan, "pdf", RenderOptions(objectives=(8,))))
    first, second = pages(path)[:2]
    assert first.startswith("XX/TEST/1 Distr.: General 1 April 2012 Original: English Annex I")
    assert second.startswith("XX/TEST/1 RESULTS-ORIENTED CAPACITY-BUILDING ACTION PLAN")


def test_only_the_masthead_fields_recorded_are_printed(copy_plan: Path, tmp_path: Path) -> None:
    with (copy_plan / "plan.yaml").open("a", encoding="utf-8") as handle:
        handle.write("document:\n  original_language: French\n")
    loaded = load_plan(copy_plan)
    assert loaded.plan is not None, loaded.problems
    first = pages(write(tmp_path, render(loaded.plan, "pdf", RenderOptions(objectives=(8,)))))[0]
    assert first.startswith("Original: French Annex I")
    assert "Distr." not in first


def _template_dir(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "templates"
    (directory / "pdf").mkdir(parents=True)
    (directory / "pdf" / name).write_text(text, encoding="utf-8")
    return directory


def test_a_jinja_error_in_a_template_names_its_file_and_line(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    templates = _template_dir(tmp_path, "title.typ.j2", "#let title-page(data) = []\n{% if %}\n")
    out = tmp_path / "out.pdf"
    result = invoke("render", "--format", "pdf", "--template-dir", str(templates), "-o", str(out))
    assert result.exit_code == 1
    assert "title.typ.j2:2: template syntax error" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_typst_error_in_a_template_names_its_file_and_line(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = '#let title-page(data) = {\n  text(size: 12pt weight: "bold", data.plan.title)\n}\n'
    templates = _template_dir(tmp_path, "title.typ.j2", broken)
    out = tmp_path / "out.pdf"
    out.write_bytes(b"the previous report")
    result = invoke("render", "--format", "pdf", "--template-dir", str(templates), "-o", str(out))
    assert result.exit_code == 1
    assert "Error: pdf/title.typ.j2:2: Typst error: expected comma" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"the previous report"


def test_a_template_cannot_read_files(plan: Plan, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish", encoding="utf-8")
    templates = _template_dir(tmp_path, "title.typ.j2", f'#let title-page(data) = read("{secret.as_posix()}")\n')
    with pytest.raises(RenderError, match=r"title\.typ\.j2:1: Typst error: file not found"):
        render(plan, "pdf", RenderOptions(objectives=(8,), template_dir=templates))


def test_text_no_font_can_show_still_renders_with_a_warning(invoke, copy_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Typst's fonts have no Chinese: PDF/A is impossible, so the PDF is written without it, and says so."""
    plan_with_result_text(copy_plan, "Systems identification 中文 of LMOs")
    out = tmp_path / "out.pdf"
    result = invoke("render", "--objective", "3", "-o", str(out), plan=copy_plan)
    assert result.exit_code == 0, result.output
    assert 'Warning: the PDF is not PDF/A or PDF/UA: the text `"中"` could not be displayed' in result.output
    text = " ".join(pages(out))
    assert "3.R1 3.1 Systems identification" in text and "of LMOs • 3.R2 3.2 Local experts" in text
    assert "pdfaid" not in poppler("pdfinfo", "-meta", str(out))


def test_a_whole_template_of_ones_own_keeps_the_shipped_parts(plan: Plan, tmp_path: Path) -> None:
    """``--template FILE``: the file is the top template; the shipped parts it includes still resolve."""
    shipped = (ROOT / "templates" / "pdf" / "report.typ.j2").read_text(encoding="utf-8")
    mine = tmp_path / "mine.typ.j2"
    mine.write_text(shipped.replace("#title-page(plan)", "#title-page(plan)\nOur own cover note."), encoding="utf-8")
    first = pages(write(tmp_path, render(plan, "pdf", RenderOptions(objectives=(8,), template=mine))))[0]
    assert "Our own cover note." in first and "Contents" in first


def test_one_request_file_serves_a_run_with_the_standards_and_one_without(tmp_path: Path) -> None:
    """The data travels as ASCII JSON in a file after the source's line; a second run reads it again whole."""
    from lgcb.render.typeset import DEFAULT_MEMORY, typeset, write_request

    source = '#set document(title: "Test")\n#set text(lang: "en")\n#json(bytes(sys.inputs.at("lgcb-data"))).text\n'
    text = "GenØk – “curly” # ] $x$ " + "long " * 50_000
    with write_request(source, json.dumps({"text": text}, ensure_ascii=True)) as request:
        first = request.readline()
        assert json.loads(first) == {"source": source} and first.endswith(b"\n")
        runs = [typeset(request, s, None, timeout=60, memory=DEFAULT_MEMORY) for s in (["a-2a", "ua-1"], [])]
    for number, pdf in enumerate(runs):
        shown = pages(write(tmp_path, pdf, f"{number}.pdf"))
        assert shown[0].startswith("GenØk – “curly” # ] $x$ long long")
        assert " ".join(shown).count("long") == 50_000
    assert "pdfaid" in poppler("pdfinfo", "-meta", str(tmp_path / "0.pdf"))

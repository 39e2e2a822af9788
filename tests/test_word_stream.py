"""A Word document imported into a new plan is read one top-level block at a time.

The body of a large report is a tree of a million elements; read as a stream, only one block of
it is held at once.  Whatever the stream cannot prepare on its own (tracked changes, text boxes,
comments and notes anchored in the body, an element it does not know at the top level) makes the
import read the whole tree instead.  Either way the import gives exactly the same plan, files and
findings: each document below is read both ways and compared.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from lgcb.model import Plan
from lgcb.render import render
from lgcb.word import read as word_read
from lgcb.word.read import ImportFailed

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "import" / "national-plan.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REV = 'w:id="901" w:author="Reviewer" w:date="2026-11-30T10:00:00Z"'
STREAM = word_read._read_streamed


def _outcome(path: Path, monkeypatch: pytest.MonkeyPatch, *, streamed: bool) -> tuple[bool, Any]:
    """(whether the body was read as a stream, what the import gave: its plan, files and findings,
    or the message it failed with)."""
    used: list[bool] = []

    def spy(package: bytes, name: str) -> Any:
        result = STREAM(package, name) if streamed else None
        used.append(result is not None)
        return result

    monkeypatch.setattr(word_read, "_read_streamed", spy)
    try:
        result = word_read.read_document(path, "accept")
    except ImportFailed as e:
        return any(used), str(e)
    return any(used), (result.plan, result.files, [str(f) for f in result.findings])


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, Any]:
    """Whether the stream read ``path``, and what the import gave, checked equal to the whole tree's."""
    used, streamed = _outcome(path, monkeypatch, streamed=True)
    _, whole = _outcome(path, monkeypatch, streamed=False)
    assert streamed == whole
    return used, streamed


def _edited(report: bytes, path: Path, edit: Any) -> Path:
    """``report`` with ``edit`` applied to its main document's XML text, saved at ``path``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(report)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def report(plan: Plan) -> bytes:
    return render(plan, "docx")


def test_lgcb_reports_and_typed_documents_are_read_as_a_stream(
    report: bytes, plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(report)
    used, (imported, files, _) = _both(path, monkeypatch)
    assert used and imported.objectives == plan.objectives and files

    used, (imported, _, _) = _both(EXAMPLE, monkeypatch)
    assert used and len(imported.objectives) == 2


def _first_paragraphs_in_a_content_control(xml: str) -> str:
    """The report's first two paragraphs inside a block-level content control, as LibreOffice
    saves a table of contents; a hyperlink, a simple field and an inline control in a table cell."""
    start = xml.index("<w:p>", xml.index("<w:body"))
    second = xml.index("</w:p>", xml.index("</w:p>", start) + 1) + len("</w:p>")
    xml = (
        xml[:start]
        + '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        + f"<w:sdtContent>{xml[start:second]}</w:sdtContent></w:sdt>"
        + xml[second:]
    )
    cell = xml.index("<w:tc>", xml.index("<w:tbl>", xml.index("Operational objective 1")))
    run = xml.index("<w:r>", cell)
    end = xml.index("</w:r>", run) + len("</w:r>")
    wrapped = f'<w:hyperlink w:anchor="x"><w:fldSimple w:instr=" QUOTE "><w:sdt><w:sdtContent>{xml[run:end]}'
    return xml[:run] + wrapped + "</w:sdtContent></w:sdt></w:fldSimple></w:hyperlink>" + xml[end:]


def test_containers_are_unwrapped_block_by_block_as_in_the_whole_tree(
    report: bytes, plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(report, tmp_path / "containers.docx", _first_paragraphs_in_a_content_control)
    assert "<w:sdt>" in zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    used, (imported, _, _) = _both(path, monkeypatch)
    assert used and imported.objectives == plan.objectives and imported.info == plan.info


def _entry_in_a_table_in_its_cell(xml: str) -> str:
    """Objective 3's first Results/Outputs paragraph moved into a one-cell table inside its cell."""
    table = xml.index("<w:tbl>", xml.index(">Operational objective 3<"))  # the heading, not the contents
    rows = [m.start() for m in re.finditer(r"<w:tr[ >]", xml[table:])]
    cell = xml.index("<w:tc>", table + rows[1])
    cell = xml.index("<w:tc>", cell + 1)
    cell = xml.index("<w:tc>", cell + 1)  # the third column
    start = xml.index("<w:p>", cell)
    end = xml.index("</w:p>", start) + len("</w:p>")
    table = '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc>'
    return xml[:start] + table + xml[start:end] + "</w:tc></w:tr></w:tbl><w:p/>" + xml[end:]


def test_a_table_inside_a_cell_is_read_as_its_paragraphs_both_ways(
    report: bytes, plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(report, tmp_path / "nested.docx", _entry_in_a_table_in_its_cell)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert re.search(r"<w:tc><w:p>(?:(?!</w:p>).)*3\.R1 .*?</w:p></w:tc></w:tr></w:tbl><w:p/>", xml)
    used, (imported, _, _) = _both(path, monkeypatch)
    assert used and imported.objectives == plan.objectives


def _tracked_insertion(xml: str) -> str:
    at = xml.index("<w:r>", xml.index("Operational objective 1"))
    return xml[:at] + f'<w:ins {REV}><w:r><w:t xml:space="preserve">inserted </w:t></w:r></w:ins>' + xml[at:]


def _removed_paragraph_mark(xml: str) -> str:
    """A deleted paragraph mark: accepting it joins the paragraph to the next block."""
    at = xml.index("<w:p>", xml.index("<w:body"))
    return xml[:at] + f"<w:p><w:pPr><w:rPr><w:del {REV}/></w:rPr></w:pPr><w:r><w:t>Joined</w:t></w:r></w:p>" + xml[at:]


def _text_box(xml: str) -> str:
    at = xml.index("<w:r>", xml.index("Operational objective 1"))
    box = (
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Boxed text</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    return xml[:at] + box + xml[at:]


def _comment_anchor(xml: str) -> str:
    at = xml.index("<w:r>", xml.index("Operational objective 1"))
    return xml[:at] + '<w:commentRangeStart w:id="0"/>' + xml[at:]


def _unknown_block(xml: str) -> str:
    at = xml.index("<w:p>", xml.index("<w:body"))
    return xml[:at] + f'<w:altChunk {W} r:id="rId99" xmlns:r="urn:x"/>' + xml[at:]


def _equation(xml: str) -> str:
    """An equation after the first entry of objective 1's Outcomes."""
    table = xml.index("<w:tbl>", xml.index(">Operational objective 1<"))
    rows = [m.start() for m in re.finditer(r"<w:tr[ >]", xml[table:])]
    at = xml.index("</w:p>", xml.index("<w:tc>", table + rows[1]))
    return (
        xml[:at]
        + '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        + ("<m:r><m:t>x+y</m:t></m:r></m:oMath>" + xml[at:])
    )


def _damaged_midway(xml: str) -> str:
    at = xml.index("<w:tbl>", len(xml) // 2)
    return xml[:at] + "<w:p><w:r>" + xml[at:]


@pytest.mark.parametrize(
    "edit",
    [
        _tracked_insertion,
        _removed_paragraph_mark,
        _text_box,
        _comment_anchor,
        _unknown_block,
        _equation,
        _damaged_midway,
    ],
)
def test_what_only_the_whole_document_can_prepare_is_read_from_the_whole_tree(
    edit: Any, report: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(report, tmp_path / f"{edit.__name__}.docx", edit)
    used, outcome = _both(path, monkeypatch)
    assert not used
    if edit is _damaged_midway:
        assert "a damaged Word file" in outcome
    else:
        assert outcome[1]  # read, with what it found reported
    if edit is _unknown_block:
        assert any("an embedded document (w:altChunk), its content not imported" in f for f in outcome[2])
    if edit is _equation:
        assert any(
            "table 1, row 2, cell 1, paragraph 1: error: an equation, not imported: 'x+y'" in f for f in outcome[2]
        )

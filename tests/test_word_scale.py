"""Reading and comparing Word reports without per-run XPath or per-cell alignment of what did not change."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from lgcb.model import Plan
from lgcb.render import render
from lgcb.word import read as word_read
from lgcb.word.revisions import TBL, align, parser, w


def _body(package: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        root = etree.fromstring(z.read("word/document.xml"), parser())
    body = root.find(w("body"))
    assert body is not None
    return body


def test_an_unchanged_table_is_one_equal_operation(plan: Plan) -> None:
    objective = plan.objectives[1]
    first = objective.outcomes[0]
    changed = objective.model_copy(
        update={"outcomes": [first.model_copy(update={"text": "Revised"}), *objective.outcomes[1:]]}
    )
    edited = plan.model_copy(update={"objectives": [plan.objectives[0], changed, *plan.objectives[2:]]})
    old, new = _body(render(plan, "docx")), _body(render(edited, "docx"))
    ops = align([c for c in old], [c for c in new], None, top=True)
    tables = [op for op in ops if op.new is not None and op.new.tag == TBL]
    assert len(tables) == len(plan.objectives)
    assert [op.kind for op in tables].count("table") == 1  # objective 2's, compared row by row
    assert all(op.kind == "equal" and not op.rows for op in tables if op.objective != changed.number)


def test_run_and_paragraph_text_read_as_python_docx_reads_them() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("plain ")
    run = paragraph.add_run("tab\there")
    run.add_break()
    run.add_text("after a break")
    hyphen = run._r.makeelement(qn("w:noBreakHyphen"), {})
    run._r.append(hyphen)
    link = paragraph._p.makeelement(qn("w:hyperlink"), {})
    inner = document.add_paragraph("linked").runs[0]._r
    link.append(inner)
    paragraph._p.append(link)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("one")
    cell.add_paragraph("two\tthree")
    for each in paragraph.runs:
        assert word_read.run_text(each) == each.text
    assert word_read.paragraph_text(paragraph) == paragraph.text
    assert "\t" in paragraph.text and "\n" in paragraph.text and "-" in paragraph.text and "linked" in paragraph.text
    assert word_read.cell_text(cell) == cell.text == "one\ntwo\tthree"


def test_only_the_blocks_that_changed_are_parsed_and_the_rest_written_as_read(plan: Plan) -> None:
    """The revision document reads both bodies as stored text: a change in one objective parses
    that objective's two tables (and nothing else), and the document is what building the revision
    in whole element trees gives."""
    from lgcb.word import revisions

    objective = plan.objectives[1]
    first = objective.outcomes[0]
    changed = objective.model_copy(
        update={"outcomes": [first.model_copy(update={"text": "Revised"}), *objective.outcomes[1:]]}
    )
    edited = plan.model_copy(update={"objectives": [plan.objectives[0], changed, *plan.objectives[2:]]})
    old_docx, new_docx = render(plan, "docx"), render(edited, "docx")

    def stamp(objective: int | None) -> revisions.Stamp:
        return revisions.Stamp("lgcb", "2026-01-01T00:00:00Z")

    parsed: list[str] = []
    element = revisions._Stored.element

    def counting(self: revisions._Stored) -> etree._Element:
        if not self.parsed:
            parsed.append(self.tag)
        return element(self)

    revisions._Stored.element = counting  # type: ignore[method-assign]
    try:
        streamed = revisions.revision_document(old_docx, new_docx, stamp)
    finally:
        revisions._Stored.element = element  # type: ignore[method-assign]
    assert parsed == [TBL, TBL]

    old_root, new_root = (etree.fromstring(_part(d), parser()) for d in (old_docx, new_docx))
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    ops = align(revisions._blocks(old_body), revisions._blocks(new_body), None, top=True)
    revisions.find_moves(ops)
    revisions.build(new_body, ops, revisions.Marks(stamp))
    whole = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    assert _part(streamed.data) == whole
    assert streamed.revisions == 2  # the old words deleted, the new inserted


def _part(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return z.read("word/document.xml")


def _same_as_packaged(plan: Plan, edited: Plan, old: tuple[bytes, Any], new: tuple[bytes, Any]) -> int:
    """The revision document made from two reports kept as rendered (package with an empty body,
    kept blocks) is the one made from the two packaged reports: the number of its revisions."""
    from lgcb.word import revisions

    def stamp(objective: int | None) -> revisions.Stamp:
        return revisions.Stamp("lgcb", "2026-01-01T00:00:00Z")

    kept = revisions.revision_document(old[0], new[0], stamp, old[1], new[1])
    packaged = revisions.revision_document(render(plan, "docx"), render(edited, "docx"), stamp)
    assert _part(kept.data) == _part(packaged.data)
    assert kept.revisions == packaged.revisions
    return kept.revisions


def test_reports_kept_as_rendered_give_the_same_revision_document(plan: Plan) -> None:
    """``diff --format docx`` takes the two reports' blocks as the renderer makes them (their
    packages' bodies left empty) instead of zipping and parsing them again: the same document."""
    from lgcb.render import checked_options
    from lgcb.render.docx import render as render_docx
    from lgcb.word import revisions

    edited = plan.model_copy(update={"objectives": plan.objectives[:3] + plan.objectives[4:]})
    old_kept, new_kept = revisions.Kept(), revisions.Kept()
    old_empty = render_docx(plan, checked_options(plan, None), old_kept)
    new_empty = render_docx(edited, checked_options(edited, None), new_kept)
    assert etree.tostring(_body(old_empty)).count(b"<w:p") == 0  # the body went to old_kept
    assert len(old_kept.blocks) > len(new_kept.blocks) > 10

    assert _same_as_packaged(plan, edited, (old_empty, old_kept), (new_empty, new_kept)) > 0


def test_the_second_report_shares_what_was_kept_of_the_blocks_written_alike(plan: Plan) -> None:
    """OLD's report is kept ``like`` NEW's: a block written exactly like one of NEW's takes its
    facts and compressed XML; a block that changed is kept on its own. The revision document is
    the same, byte for byte, as when each report is read out of its own package."""
    from lgcb.render import checked_options
    from lgcb.render.docx import render as render_docx
    from lgcb.word import revisions

    first = plan.objectives[0]
    entry = first.outcomes[0]
    changed = first.model_copy(
        update={"outcomes": [entry.model_copy(update={"text": "Revised " + entry.text}), *first.outcomes[1:]]}
    )
    edited = plan.model_copy(update={"objectives": [changed, *plan.objectives[1:3], *plan.objectives[4:]]})
    new_kept = revisions.Kept(indexed=True)
    new_empty = render_docx(edited, checked_options(edited, None), new_kept)
    old_kept = revisions.Kept(like=new_kept)
    old_empty = render_docx(plan, checked_options(plan, None), old_kept)
    by_xml = {b.xml: b for b in new_kept.blocks}
    shared = [b for b in old_kept.blocks if any(b.packed is n.packed for n in new_kept.blocks)]
    alone = [b for b in old_kept.blocks if b not in shared]
    assert len(shared) > 5 * len(alone) > 0
    for block in shared:  # shared only with a block of the same XML, whose facts are its own too
        twin = by_xml[block.xml]
        assert block.facts == twin.facts == revisions._facts(block.element())
    for block in alone:  # objective 1's table, which has the edit, and objective 4, which NEW lacks
        assert block.xml not in by_xml
    assert any("Revised" in n.facts.text or b"Revised" in n.xml for n in new_kept.blocks)

    assert _same_as_packaged(plan, edited, (old_empty, old_kept), (new_empty, new_kept)) > 1
    with pytest.raises(ValueError, match="indexed"):
        revisions.Kept(like=revisions.Kept())


def test_a_new_plan_lets_go_of_the_document_before_it_is_built_and_a_review_keeps_it(plan: Plan, tmp_path) -> None:
    """Reading a report into a new plan needs nothing of the body once it is read, so its element
    tree (most of the memory of a large import) is freed before the plan is built; a review
    still needs it to anchor comments and compare sections, and frees it itself, before the plan
    it goes onto is loaded: what it read stays and builds the same plan."""
    report = tmp_path / "report.docx"
    report.write_bytes(render(plan, "docx"))

    new = word_read.read_document(report)
    assert new.prepared.root is None and new.reader.document is None and new.prepared.where == {}
    assert new.plan.objectives == plan.objectives and new.files

    review = word_read.read_body(report, "accept", protect=True)
    assert review.prepared.root is not None and review.reader.document is not None
    review.release()
    assert review.prepared.root is None and review.reader.document is None
    assert review.result(files=False).plan.objectives == plan.objectives

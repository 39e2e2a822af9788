"""The Word body is rendered as a stream: the same document as docxtpl's whole-body render, one block held at a time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from jinja2 import StrictUndefined
from lxml import etree

import lgcb.render.docx as word
from lgcb.model import Plan
from lgcb.render import RenderError, RenderOptions, render
from lgcb.render.bounds import BoundedEnvironment, LimitError
from lgcb.word.package import set_properties

ROOT = Path(__file__).resolve().parent.parent
LETTERHEAD = ROOT / "examples" / "templates" / "letterhead.docx"


def _canonical(package: bytes) -> bytes:
    """word/document.xml as python-docx reads it (blank text dropped), in canonical form."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        xml = z.read("word/document.xml")
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    return etree.tostring(etree.fromstring(xml, parser), method="c14n")


def _whole_body(plan: Plan, options: RenderOptions) -> bytes:
    """The document as docxtpl itself renders it: the whole body as one text, parsed at once."""
    from docxtpl import DocxTemplate

    path = word.template_path(options)
    template = DocxTemplate(io.BytesIO(word.template_bytes(path, options)))
    context = word.docx_context(plan, options)
    env = BoundedEnvironment(autoescape=True, undefined=StrictUndefined)
    template.render(context, jinja_env=env, autoescape=True)
    set_properties(template.docx, context["plan"], context["generator"])
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _with_breaks(plan: Plan) -> Plan:
    """The plan with a tab and a line break in an entry's text (docxtpl's listing rewrite) and markup-like text."""
    objective = plan.objectives[0]
    first = objective.outcomes[0]
    edited = first.model_copy(update={"text": "Before\ta tab,\nthen a new line & <markup> {{ not a tag }}"})
    changed = objective.model_copy(update={"outcomes": [edited, *objective.outcomes[1:]]})
    return plan.model_copy(update={"objectives": [changed, *plan.objectives[1:]]})


@pytest.mark.parametrize("chunk", [word._CHUNK, 97])
@pytest.mark.parametrize("template", [None, LETTERHEAD])
def test_the_streamed_body_is_the_document_docxtpl_renders(
    plan: Plan, monkeypatch: pytest.MonkeyPatch, chunk: int, template: Path | None
) -> None:
    """Small stretches (97 characters) cut the text everywhere a cut is allowed: still the same XML."""
    monkeypatch.setattr(word, "_CHUNK", chunk)
    edited = _with_breaks(plan)
    for options in (RenderOptions(template=template), RenderOptions(template=template, ids=False)):
        streamed = render(edited, "docx", options)
        assert _canonical(streamed) == _canonical(_whole_body(edited, options))
    document = docx.Document(io.BytesIO(render(edited, "docx")))
    assert any(
        "Before\ta tab,\nthen a new line & <markup> {{ not a tag }}" in p.text
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
    )


def test_the_body_is_written_one_block_at_a_time(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fed a piece at a time, the parsed tree holds the block being written and the few after it that
    one piece of the template's text starts, never the plan's blocks."""
    monkeypatch.setattr(word, "_CHUNK", 1)
    held: list[int] = []
    write = word._Blocks.write

    def counting(self: Any, block: Any) -> None:
        held.append(len(block.getparent()))
        write(self, block)

    monkeypatch.setattr(word._Blocks, "write", counting)
    render(plan, "docx")
    assert len(held) > 5 * len(plan.objectives)  # headings, titles, links, tables…
    assert max(held) <= 3


def test_the_size_cap_counts_the_whole_streamed_body(plan: Plan) -> None:
    with pytest.raises(RenderError, match="the template builds a text of more than 10,000 characters"):
        render(plan, "docx", RenderOptions(max_size=10_000, max_output=10_000))


def test_the_body_is_taken_from_jinja_in_texts_counted_as_they_come() -> None:
    """The template's pieces are joined into texts of at least the size asked (the last may be
    shorter), one loop counting them against the output cap and the deadline."""
    env = BoundedEnvironment(max_size=100)
    assert list(env.chunked(iter(["ab"] * 10), 5)) == ["ababab", "ababab", "ababab", "ab"]
    assert list(env.chunked(iter([]), 5)) == []

    thrown: list[BaseException] = []

    def template_lines() -> Any:
        try:
            for _ in range(20):
                yield "a"
        except LimitError as error:  # raised where the template made the piece
            thrown.append(error)
            raise

    with pytest.raises(LimitError, match="more than 10 "):
        list(BoundedEnvironment(max_size=10).chunked(template_lines(), 4))
    assert len(thrown) == 1
    with pytest.raises(LimitError, match="ran longer than 0 s"):
        list(BoundedEnvironment(timeout=0).chunked(template_lines(), 4))


def test_an_error_in_the_body_names_the_text_near_it(plan: Plan, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{%p for o in objectives %}")
    document.add_paragraph("Objective {{ o.budget }}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "loop.docx"
    document.save(str(path))
    with pytest.raises(RenderError, match=r"loop\.docx: the template uses something the context does not have"):
        render(plan, "docx", RenderOptions(template=path))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _table(grid: list[int], rows: list[list[int]]) -> str:
    """A table: its grid's column widths, and each row's cells by how many columns each spans."""

    def cell(span: int) -> str:
        spanning = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return f"<w:tc><w:tcPr>{spanning}</w:tcPr><w:p/></w:tc>"

    cols = "".join(f'<w:gridCol w:w="{width}"/>' for width in grid)
    body = "".join("<w:tr>" + "".join(cell(span) for span in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


@pytest.mark.parametrize(
    "grid, rows",
    [
        ([100, 100, 100, 100], [[1, 1, 1, 1], [1, 1, 1, 1]]),  # lgcb's own: nothing to fix
        ([100, 100], [[1, 1, 1], [1, 1]]),  # a row with more cells than the grid has columns
        ([100, 100, 100, 100], [[1, 1], [1, 1]]),  # fewer: the grid's extra columns go
        ([100, 100, 100], [[2, 1], [1, 1, 1]]),  # a cell spanning two columns
        ([100, 100, 100], [[3]]),
        ([100, 100], []),  # a grid and no rows
    ],
)
def test_table_grids_are_fixed_as_docxtpl_fixes_them(grid: list[int], rows: list[list[int]]) -> None:
    from docxtpl import DocxTemplate

    xml = f'<w:body xmlns:w="{_W}"><w:p/>{_table(grid, rows)}<w:p/></w:body>'
    ours = etree.fromstring(xml)
    for block in list(ours):
        word._fix_tables(block)
    theirs = DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]  # a method that uses no state

    assert etree.tostring(ours, method="c14n") == etree.tostring(theirs, method="c14n")


@pytest.mark.parametrize(
    "rendered, cleaned",
    [
        (
            "<w:p>a</w:p>\n<w:p w:x='1'>b</w:p>\n<w:p>c</w:p>\n<w:pPr/>",
            "<w:p>a</w:p><w:p w:x='1'>b</w:p><w:p>c</w:p>\n<w:pPr/>",
        ),
        ("{_{ x }_} {_% if %_} {_ _}", "{{ x }} {% if %} {_ _}"),
        ("{_{ only opening", "{{ only opening"),
        ("only closing %_}", "only closing %}"),
    ],
)
def test_the_rendered_text_is_cleaned_as_docxtpl_cleans_it(rendered: str, cleaned: str) -> None:
    """No line break before a paragraph (the one docxtpl put there), escaped braces back to braces."""
    assert word._cleaned(rendered) == cleaned

"""Every piece of text in a Word package is read into the plan or reported: nothing vanishes.

python-docx reads the runs directly inside a paragraph.  Text can also sit inside tracked
changes (``w:ins``, ``w:del``, moves), hyperlinks, simple fields, content controls (``w:sdt``),
smart tags and custom XML — all of which are body text — or in places that are not plan text at
all: text boxes, footnotes and endnotes, comments, headers and footers.  Before the importer
reads a document, :func:`prepare`

- resolves tracked changes as asked (accept or reject all, listing each with where it was), or
  refuses a document that still has them, listing them, so that a deletion is never applied and
  an insertion never dropped without the user knowing;
- unwraps the containers around body text so the importer reads their runs like any other;
- reports, with where it is, every text it will not read (text boxes, notes, comments, headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lgcb.ids import key as id_key
from lgcb.office import quoted
from lgcb.word.layout import DERIVED_HEADINGS, OBJECTIVE_HEADING
from lgcb.word.revisions import (
    DEL,
    FORMAT_CHANGES,
    INS,
    MOVE_FROM,
    MOVE_TO,
    TBL,
    TC,
    P,
    R,
    Revision,
    T,
    locations,
    paragraph_text,
    parser,
    place_of,
    resolve,
    w,
)

Changes = Literal["accept", "reject", "fail"]

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
DIAGRAM_NS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
UNWRAP = tuple(w(n) for n in ("hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir"))
"""Containers whose content is ordinary body text: replaced by their children."""
NOTES = {"footnotes": ("footnote", "footnoteReference"), "endnotes": ("endnote", "endnoteReference")}


class UnresolvedRevisions(Exception):
    """The document has tracked changes and the import was not told what to do with them."""

    def __init__(self, revisions: list[Revision]) -> None:
        super().__init__(f"{len(revisions)} tracked changes")
        self.revisions = revisions


@dataclass
class Prepared:
    """What :func:`prepare` did: the revisions it resolved, and the text the import will not read."""

    revisions: list[Revision] = field(default_factory=list)
    mode: Changes | None = None
    unread: list[tuple[str, str, Literal["error", "warning"]]] = field(default_factory=list)
    """(where, message, level) for each piece of text left out of the plan."""
    comments: list[Comment] = field(default_factory=list)
    refused: list[tuple[Revision, str]] = field(default_factory=list)
    """Tracked changes not applied, with why: an edited ID, an edit in a computed section."""
    root: Any = None
    """The document's XML after all this (what the importer read)."""
    where: dict[Any, str] = field(default_factory=dict)
    """Where each of ``root``'s paragraphs and rows is (:func:`lgcb.word.revisions.locations`)."""
    proposed_ids: set[str] = field(default_factory=set)
    """IDs (case-folded) in text the resolved tracked changes put in: entries a revision adds."""
    removed_objectives: set[int] = field(default_factory=set)
    """Objectives whose heading the resolved tracked changes took out."""


@dataclass(frozen=True)
class Comment:
    """A Word comment: who wrote it, its text, and the paragraph it is anchored to."""

    id: str
    author: str
    date: str
    text: str
    where: str
    anchor: Any = None
    """The body paragraph the comment starts in (an lxml element), or None."""


def describe(revision: Revision) -> str:
    text = " ".join(revision.text.split())
    shown = f": {text[:120]!r}" if text else ""
    by = f" by {revision.author}" if revision.author else ""
    return f"{revision.kind}{by}{shown}"


def _unwrap_all(root: Any) -> None:
    """Replace every container of body text by its content (``w:sdt`` by its ``w:sdtContent``)."""
    while True:
        found = [el for el in root.iter(*UNWRAP, w("sdt"))]
        if not found:
            return
        for el in found:
            parent = el.getparent()
            if parent is None:
                continue
            if el.tag == w("sdt"):
                content = el.find(w("sdtContent"))
                children = list(content) if content is not None else []
            else:
                children = [c for c in el if c.tag not in (w("rPr"), w("instrText"))]
            index = list(parent).index(el)
            for offset, child in enumerate(children):
                parent.insert(index + offset, child)
            parent.remove(el)


def _flatten_cell_tables(root: Any) -> None:
    """Replace a table inside a table's cell (one a reviewer pasted there) by its paragraphs, in
    document order: the importer reads a cell's own paragraphs, so the table's text would otherwise
    be left out of the cell (and its entries taken as removed)."""
    for table in [t for t in root.iter(TBL) if (parent := t.getparent()) is not None and parent.tag == TC]:
        parent = table.getparent()  # a table inside one flattened before is still in its cell, now detached
        index = parent.index(table)
        for offset, p in enumerate(list(table.iter(P))):
            parent.insert(index + offset, p)
        parent.remove(table)


def _parts(document: Any) -> dict[str, Any]:
    """The parts the main document refers to, by the last word of their relationship type."""
    parts: dict[str, Any] = {}
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        parts.setdefault(kind, []).append(rel.target_part)
    return parts


def _xml(part: Any) -> Any:
    from lxml import etree

    return etree.fromstring(part.blob, parser())


def read_comments(document: Any, root: Any, where: dict[Any, str]) -> list[Comment]:
    """The comments of the document with the paragraph each is anchored to."""
    starts: dict[str, Any] = {}
    for el in root.iter(w("commentRangeStart"), w("commentReference")):
        starts.setdefault(el.get(w("id"), ""), el)
    out = []
    for part in _parts(document).get("comments", []):
        for comment in _xml(part).iter(w("comment")):
            cid = comment.get(w("id"), "")
            text = "\n".join(paragraph_text(p) for p in comment.iter(P)).strip()
            marker = starts.get(cid)
            anchor = None
            if marker is not None:
                anchor = marker
                while anchor is not None and anchor.tag != P:
                    anchor = anchor.getparent()
                if anchor is None:  # a range starting between paragraphs: the next paragraph
                    anchor = next(marker.itersiblings(P), None)
            place = place_of(anchor, where) if anchor is not None else "the document"
            author, date = comment.get(w("author"), ""), comment.get(w("date"), "")
            out.append(Comment(cid, author, date, text, place, anchor))
    return out


_READ_PARAGRAPH_HOLDERS = frozenset({w("body"), w("tc"), w("txbxContent")})
_NOT_READ_TAGS = (
    T,
    f"{{{MATH_NS}}}t",
    w("sym"),
    w("altChunk"),
    w("subDoc"),
    w("object"),
    f"{{{DIAGRAM_NS}}}relIds",
    f"{{{CHART_NS}}}chart",
)


def _not_read(root: Any) -> Iterator[Any]:
    """Text in the body that the importer does not read, in document order: a ``w:t`` that is not
    in a run of a paragraph of the body, of a table cell or of a text box (a phonetic guide, or any
    container a program may put around runs), an equation's text (``m:t``), every symbol
    (``w:sym``: those :func:`symbol_text` cannot give are not read), and what keeps its content
    outside the document's text: an embedded document (``w:altChunk``), a subdocument, an embedded
    object (``w:object``: a worksheet, an old equation), a SmartArt diagram and a chart (their
    text is in parts of their own).

    One walk of the tree, filtered by tag in lxml: an XPath union walks it once per kind (0.65 s
    against 0.14 s for a million elements)."""
    for el in root.iter(*_NOT_READ_TAGS):
        if el.tag == T:
            run = el.getparent()
            paragraph = run.getparent() if run.tag == R else None
            holder = paragraph.getparent() if paragraph is not None and paragraph.tag == P else None
            if holder is not None and holder.tag in _READ_PARAGRAPH_HOLDERS:
                continue
        yield el


def symbol_text(sym: Any) -> str:
    """The character of a ``w:sym`` (Word's Insert > Symbol), or "" when it has none but a code
    point of a symbol font's own (U+F000–U+F0FF: Symbol, Wingdings), whose glyph only that font
    knows: such a symbol is reported, not guessed."""
    try:
        code = int(sym.get(w("char"), ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF or not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""
    return chr(code)


def _not_read_in(root: Any) -> list[Any]:
    """The elements of :func:`_not_read` whose text is left out (once: not again in the copy a
    document keeps for programs that cannot show the first, ``mc:Fallback``)."""
    return [
        el
        for el in _not_read(root)
        if (el.tag != _SYM or not symbol_text(el)) and next(el.iterancestors(_FALLBACK), None) is None
    ]


_SYM = w("sym")
_FALLBACK = f"{{{MC_NS}}}Fallback"


_ELSEWHERE = {
    w("altChunk"): "an embedded document (w:altChunk)",
    w("subDoc"): "a subdocument (w:subDoc)",
    w("object"): "an embedded object (w:object)",
    f"{{{DIAGRAM_NS}}}relIds": "a SmartArt diagram",
    f"{{{CHART_NS}}}chart": "a chart",
}
"""What keeps its content outside the document's text, as a person would name it."""


def _kind_not_read(el: Any) -> str:
    """What holds a piece of text the importer does not read, for a person who sees the document."""
    if el.tag in _ELSEWHERE:
        return _ELSEWHERE[el.tag]
    if el.tag == _SYM:
        return f"a symbol of the {el.get(w('font')) or 'unnamed'} font (character {el.get(w('char')) or '?'})"
    if el.tag.startswith(f"{{{MATH_NS}}}"):
        return "an equation"
    ruby = next((a.tag for a in el.iterancestors(w("rt"), w("rubyBase"))), None)
    if ruby is not None:
        return "a phonetic guide (ruby)" if ruby == w("rt") else "text under a phonetic guide (ruby)"
    holder = next((a for a in el.iterancestors() if a.tag not in (w("r"), w("t"))), None)
    name = holder.tag.rsplit("}", 1)[-1] if holder is not None else "?"
    return f"text inside a w:{name} element"


def text_not_read(root: Any, where: dict[Any, str]) -> list[tuple[str, str, Any]]:
    """(where, message, level) of the text in ``root`` the importer leaves out (:func:`_not_read`),
    one for each place and kind of container, with its text."""
    out: list[tuple[str, str, Any]] = []
    last: tuple[str, str] | None = None
    pieces: list[str] = []

    def flush() -> None:
        if last is None:
            return
        place, kind = last
        if kind.startswith("a symbol"):
            message = f"{kind}, not imported: type the character itself (Insert > Symbol, a Unicode font)"
        elif kind in _ELSEWHERE.values():
            message = f"{kind}, its content not imported: copy its text into the document as text"
        else:
            message = f"{kind}, not imported: {quoted(''.join(pieces))}"
        out.append((place, message, "error"))

    for el in _not_read_in(root):
        place = place_of(el, where)
        key = ("" if place == "the document" else place, _kind_not_read(el))
        if key != last:
            flush()
            last, pieces = key, []
        pieces.append(el.text or "")
    flush()
    return out


def _unread(document: Any, root: Any, where: dict[Any, str], comments: list[Comment]) -> list[tuple[str, str, Any]]:
    unread: list[tuple[str, str, Any]] = []
    unread += text_not_read(root, where)
    for box in root.iter(w("txbxContent")):
        if next(box.iterancestors(_FALLBACK), None) is not None:
            continue  # the same text box again, for programs that cannot read the first
        text = "\n".join(paragraph_text(p) for p in box.iter(P))
        if text.strip():
            unread.append((place_of(box, where), f"text in a text box, not imported: {quoted(text)}", "error"))
    parts = _parts(document)
    for kind, (tag, reference) in NOTES.items():
        refs = {el.get(w("id")): el for el in root.iter(w(reference))}
        for part in parts.get(kind, []):
            for note in _xml(part).iter(w(tag)):
                if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(paragraph_text(p) for p in note.iter(P))
                if not text.strip():
                    continue
                ref = refs.get(note.get(w("id")))
                place = place_of(ref, where) if ref is not None else "the document"
                unread.append((place, f"{tag} {note.get(w('id'))}, not imported: {quoted(text)}", "error"))
    for kind in ("header", "footer"):
        for part in parts.get(kind, []):
            text = "\n".join(paragraph_text(p) for p in _xml(part).iter(P))
            if any(c.isalpha() for c in text):  # not page numbers ("3 / 11")
                unread.append(("", f"{kind} text, not imported: {quoted(text)}", "warning"))
    for comment in comments:
        by = f" by {comment.author}" if comment.author else ""
        message = f"comment{by}, not imported: {quoted(comment.text)}"
        unread.append((comment.where if comment.where != "the document" else "", message, "warning"))
    return unread


_STYLE, _VAL = f"{w('pPr')}/{w('pStyle')}", w("val")


class Sections:
    """Whether each top-level block, taken in order, is in a section lgcb computes (progress
    tables, the monitoring note): from such a heading to the next objective heading."""

    def __init__(self) -> None:
        self.inside = False

    def computed(self, block: Any) -> bool:
        if block.tag == P:
            text = " ".join(paragraph_text(block).split())
            style = block.find(_STYLE)
            heading = style is not None and style.get(_VAL, "").lower().startswith("heading")
            if OBJECTIVE_HEADING.match(text):
                self.inside = False
            elif heading and text in DERIVED_HEADINGS:
                self.inside = True
        return self.inside


def derived_paragraphs(root: Any) -> set[Any]:
    """The paragraphs of the sections lgcb computes (:class:`Sections`), at the top level or in tables."""
    body = root.find(w("body"))
    out: set[Any] = set()
    sections = Sections()
    for block in body if body is not None else []:
        if sections.computed(block):
            out.add(block)
            out.update(block.iter(P))
    return out


def _paragraph_of(el: Any) -> Any:
    node = el
    while node is not None and node.tag != P:
        node = node.getparent()
    return node


def _edits_an_id(el: Any) -> bool:
    """An insertion or deletion inside an entry's ID run, in a paragraph whose other text is unrevised
    (a paragraph wholly deleted, inserted or replaced is an entry removed or added, not an ID edit)."""
    from lgcb.word.revisions import DEL_TEXT, R, T

    in_id = any(
        (style := run.find(f"{w('rPr')}/{w('rStyle')}")) is not None and style.get(w("val")) == "ItemID"
        for run in el.iter(R)
    )
    if not in_id:
        return False
    p = _paragraph_of(el)
    if p is None:
        return False
    revised = (w("ins"), w("del"), w("moveFrom"), w("moveTo"))
    for text in p.iter(T, DEL_TEXT):
        holder = text.getparent()
        while holder is not None and holder is not p and holder.tag not in revised:
            holder = holder.getparent()
        if holder is p:
            return True  # the entry's text stays as it was around it: the ID itself was edited
    return False


def _revert(el: Any) -> None:
    """Undo one tracked change: an insertion goes, a deletion's text comes back."""
    from lgcb.word.revisions import DEL_TEXT, INS, T

    parent = el.getparent()
    if el.tag == INS:
        parent.remove(el)
        return
    for t in el.iter(DEL_TEXT):
        t.tag = T
    index = list(parent).index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _protect(root: Any) -> list[tuple[Revision, str]]:
    """Take out the tracked changes that edit an ID, as they must not apply."""
    from lgcb.word.revisions import DEL, INS

    where: dict[Any, str] | None = None
    refused: list[tuple[Revision, str]] = []
    for el in list(root.iter(INS, DEL)):
        if el.getparent() is None or el.getparent().tag in (w("rPr"), w("trPr")):
            continue
        if not _edits_an_id(el):
            continue
        if where is None:  # the places, named only when an ID edit is to be reported
            where = locations(root)
        reason = "an entry's ID (IDs are lgcb's own; change them in the YAML)"
        kind = "insertion" if el.tag == INS else "deletion"
        text = paragraph_text(el, deleted=True)
        revision = Revision(kind, el.get(w("author"), ""), el.get(w("date"), ""), place_of(el, where), text)
        refused.append((revision, reason))
        _revert(el)
    return refused


def _revised(root: Any, mode: str) -> tuple[set[str], set[int]]:
    """IDs that resolving adds to the text, and objective headings that it takes out."""
    from lgcb.word.revisions import DEL, DEL_TEXT, INS, MOVE_FROM, MOVE_TO, RPR, TRPR, R, T

    keep, drop = ((INS, MOVE_TO), (DEL, MOVE_FROM)) if mode == "accept" else ((DEL, MOVE_FROM), (INS, MOVE_TO))
    ids: set[str] = set()
    for el in root.iter(*keep):
        if el.getparent() is None or el.getparent().tag in (RPR, TRPR):
            continue
        for run in el.iter(R):
            style = run.find(f"{w('rPr')}/{w('rStyle')}")
            if style is not None and style.get(w("val")) == "ItemID":
                ids.add(id_key(paragraph_text(run, deleted=True).strip()))
    headings: set[int] = set()
    body = root.find(w("body"))
    # A heading taken out has all its text in what is dropped: only paragraphs holding (or held
    # in) a dropped piece are looked at, in document order.
    candidates: dict[Any, None] = {}
    for el in body.iter(*drop) if body is not None else []:
        holder = _paragraph_of(el)
        if holder is not None:
            candidates[holder] = None
        for inner in el.iter(P):
            candidates[inner] = None
    for p in candidates:
        text = " ".join(paragraph_text(p, deleted=True).split())
        m = OBJECTIVE_HEADING.match(text)
        if m and all(any(a.tag in drop for a in t.iterancestors()) for t in p.iter(T, DEL_TEXT)):
            headings.add(int(m.group(1)))
    return ids, headings


def prepare(document: Any, changes: Changes, *, protect: bool = False) -> Prepared:
    """Resolve tracked changes (or refuse them), unwrap containers (a table inside a cell becomes
    the cell's paragraphs), and list what will not be read.

    Raises :class:`UnresolvedRevisions` when the document has tracked changes and ``changes`` is
    ``fail``.
    """
    from lgcb.word.revisions import list_revisions

    root = document.element
    _unwrap_all(root)
    refused = _protect(root) if protect else []
    found = list_revisions(root)
    prepared = Prepared(mode=changes if found or refused else None, refused=refused, root=root)
    if found:
        text_changes = [r for r in found if r.kind != "formatting"]
        if changes == "fail" and text_changes:
            raise UnresolvedRevisions(text_changes)
        mode = "accept" if changes == "fail" else changes
        prepared.proposed_ids, prepared.removed_objectives = _revised(root, mode)
        prepared.revisions = resolve(root, mode, found)
    _flatten_cell_tables(root)  # after the tracked changes of its rows are resolved
    where = prepared.where = locations(root)
    prepared.comments = read_comments(document, root, where)
    # a reviewed report lists its comments with their entries; a plain import reports them as unread
    prepared.unread = _unread(document, root, where, [] if protect else prepared.comments)
    return prepared


class WholeDocument(Exception):
    """A block of a body read as a stream holds what only the whole document can prepare."""


_STREAMED_BLOCKS = frozenset((P, TBL, w("sectPr"), w("bookmarkStart"), w("bookmarkEnd")))
"""Top-level elements a body read block by block may have: a container of blocks (``w:sdt``, which
is unwrapped into the body) or anything else needs the whole document."""
_NEEDS_WHOLE = (
    INS,
    DEL,
    MOVE_FROM,
    MOVE_TO,
    *FORMAT_CHANGES,
    w("txbxContent"),
    w("commentRangeStart"),
    w("commentReference"),
    w("footnoteReference"),
    w("endnoteReference"),
)
"""What :func:`prepare` resolves or places across blocks: tracked changes (a removed paragraph mark
joins a paragraph to the next block), and the text boxes, comments and notes it reports with where
they are."""


def prepare_block(block: Any) -> list[Any]:
    """One top-level block of a body read one block at a time, prepared as :func:`prepare` prepares
    the whole body: the blocks it stands for, their containers unwrapped (a block-level content
    control stands for the blocks inside it, unwrapped from a copy: the stream keeps its own).
    Raises :class:`WholeDocument` when the block holds what :func:`prepare` must see the whole
    document for, or is an element it does not know at that level."""
    if next(block.iter(*_NEEDS_WHOLE), None) is not None:
        raise WholeDocument
    if block.tag in _STREAMED_BLOCKS:
        _unwrap_all(block)
        _flatten_cell_tables(block)
        if _not_read_in(block):  # reported with where it is, which the whole document names
            raise WholeDocument
        return [block]
    if block.tag not in (*UNWRAP, w("sdt")):
        raise WholeDocument
    import copy

    holder = block.makeelement(w("body"))  # made as the stream makes elements: the same element classes
    holder.append(copy.deepcopy(block))
    _unwrap_all(holder)
    return [prepared for child in holder for prepared in prepare_block(child)]


def prepare_streamed(document: Any) -> Prepared:
    """What :func:`prepare` gives for a document whose every block :func:`prepare_block` took: no
    revision to resolve, and of the text not read only what is outside the body (headers, footers,
    comments and notes, none of them anchored in it)."""
    from lxml import etree

    body = etree.Element(w("document"))  # none of the body's blocks anchors anything
    comments = read_comments(document, body, {})
    return Prepared(comments=comments, unread=_unread(document, body, {}, comments))

"""Word tracked changes: every change between two Word reports as a real revision, and back.

:func:`revision_document` takes two reports rendered through the same template (OLD and NEW) and
returns NEW's report in which every difference is Word revision markup: word-level ``w:ins`` and
``w:del`` inside a changed paragraph, whole paragraphs (content and paragraph mark) for added and
removed entries, ``w:moveFrom``/``w:moveTo`` with their range markers for an entry that moved,
``w:pPrChange`` when only a paragraph's formatting changed (an entry nested deeper), and tracked
table rows for an added or removed objective.  It works on the rendered XML, not on the
template: paragraphs are aligned by the IDs lgcb writes at the start of each entry (and by their
text elsewhere), so a restyled or reorganised template still gives a correct revision document.

The paragraph marks are chosen so that "Accept all" leaves exactly NEW's paragraphs and "Reject
all" exactly OLD's — no empty paragraph left behind, even at the end of a table cell, whose last
paragraph mark Word cannot remove.

:func:`resolve` is the other direction: it accepts or rejects every revision in a document tree
(as Word's "Accept all"/"Reject all" do) and returns what it resolved, with where each was.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from lgcb.ids import key as id_key
from lgcb.office import Compressing
from lgcb.word import MAIN_PART, block_xml, namespaces_at, qname, xml_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute (``w("p")`` → ``{…}p``)."""
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, R, T, DEL_TEXT = w("p"), w("tbl"), w("tr"), w("tc"), w("r"), w("t"), w("delText")
PPR, RPR, TRPR = w("pPr"), w("rPr"), w("trPr")
INS, DEL, MOVE_FROM, MOVE_TO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
RANGE_MARKERS = tuple(w(n) for n in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"))
FORMAT_CHANGES = tuple(
    w(n)
    for n in (
        "pPrChange",
        "rPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "sectPrChange",
        "tblGridChange",
        "tblPrExChange",
        "numberingChange",
    )
)
_ID = re.compile(r"^\d+\.[A-Z]\d+(?:\.\d+)*$")
_FIELD = re.compile(r"(?i)^(serves|measures|measure|unit|baseline|target|means of verification|note): ")
_OBJECTIVE = re.compile(r"^\s*Operational objective (\d+)\s*$")
_TOKENS = re.compile(r"\s+|\S+")


def parser() -> Any:
    """An XML parser for untrusted Office parts: no entities, no network, no huge trees."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


# --- who and when --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """The author and date a revision carries (``date`` in ISO 8601, as Word writes it)."""

    author: str
    date: str


Stamper = Callable[[int | None], Stamp]
"""The stamp of a change in an objective (``None``: the plan as a whole, plan.yaml)."""


class Marks:
    """Makes revision elements with unique ``w:id`` values and counts them."""

    def __init__(self, stamper: Stamper) -> None:
        self.stamper = stamper
        self.next_id = 1
        self.count = 0
        self.moves = 0

    def element(self, tag: str, objective: int | None, *, counted: bool = True) -> Any:
        from lxml import etree

        stamp = self.stamper(objective)
        el = etree.Element(tag)
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), stamp.author)
        el.set(w("date"), stamp.date)
        self.next_id += 1
        if counted:
            self.count += 1
        return el

    def range_marker(self, tag: str, objective: int | None, name: str | None, marker_id: int) -> Any:
        from lxml import etree

        el = etree.Element(tag)
        el.set(w("id"), str(marker_id))
        if name is not None:
            stamp = self.stamper(objective)
            el.set(w("name"), name)
            el.set(w("author"), stamp.author)
            el.set(w("date"), stamp.date)
        return el

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


# --- reading paragraphs -----------------------------------------------------------------------------


_TAB, _BR, _CR, _TYPE = w("tab"), w("br"), w("cr"), w("type")
_LAYOUT = ("page", "column")
"""Break types that are layout, not text."""


def paragraph_text(p: Any, *, deleted: bool = False) -> str:
    """The visible text of a paragraph (``deleted``: also the text inside deletions)."""
    if not deleted and next(p.iter(_TAB, _BR, _CR), None) is None:
        return "".join(p.itertext(T, with_tail=False))
    parts = []
    for el in p.iter(T, DEL_TEXT, _TAB, _BR, _CR):
        if el.tag == T:
            parts.append(el.text or "")
        elif el.tag == DEL_TEXT:
            if deleted:
                parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        elif el.get(_TYPE) not in _LAYOUT:  # a page break is layout, not text
            parts.append("\n")
    return "".join(parts)


def paragraph_style(p: Any) -> str:
    style = p.find(f"{PPR}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


_ITEM_ID_RUN = "w:rPr[1]/w:rStyle[1]/@w:val = 'ItemID'"


@functools.cache
def _id_parts() -> Any:
    """The visible text of the leading runs of a paragraph in the "ItemID" character style (or of
    its first run, if that is not in it), as the pieces :func:`paragraph_text` joins: the texts of
    ``w:t`` (strings) and the tabs and breaks (elements), in document order.  One XPath, so that no
    element proxy is made for the runs and their properties (a large report has 100,000 entries)."""
    from lxml import etree

    leading = f"w:r[{_ITEM_ID_RUN}][not(preceding-sibling::w:r[not({_ITEM_ID_RUN})])]"
    runs = f"({leading} | w:r[1][not({_ITEM_ID_RUN})])"
    pieces = "node()[(self::text() and parent::w:t) or self::w:tab or self::w:br or self::w:cr]"
    return etree.XPath(f"{runs}//{pieces}", namespaces={"w": W_NS}, smart_strings=False)


def paragraph_id(p: Any) -> str | None:
    """The entry ID lgcb writes as the first run(s) of an entry's paragraph ("3.R1 "), or None:
    the text of the leading runs in the "ItemID" character style, or else of the first run."""
    pieces = _id_parts()(p)
    if not pieces:
        return None
    text = "".join(
        piece if isinstance(piece, str) else "\t" if piece.tag == _TAB else "" if piece.get(_TYPE) in _LAYOUT else "\n"
        for piece in pieces
    )
    return text[:-1] if text.endswith(" ") and _ID.match(text[:-1]) else None


def _blocks(container: Any) -> list[Any]:
    return [child for child in container if child.tag in (P, TBL)]


Key = tuple[Any, ...]


@dataclass(frozen=True)
class _Facts:
    """What aligning reads of a block: a paragraph's visible text, entry ID, style and formatting;
    for a table, the text of its first cell."""

    text: str
    entry_id: str | None = None
    style: str = ""
    ppr: tuple[Any, ...] = ()


def _facts(block: Any) -> _Facts:
    if isinstance(block, _Stored):
        return block.facts
    if block.tag == TBL:
        first = block.find(f".//{TC}")
        return _Facts(paragraph_text(first).strip() if first is not None else "")
    return _Facts(paragraph_text(block), paragraph_id(block), paragraph_style(block), _ppr_key(block))


def _keys(blocks: list[Any], facts: list[_Facts], objective: int | None = None) -> list[Key]:
    """What identifies each block across versions: an objective's heading by its number, an entry
    by its ID, an entry's field by name, else its text (and tables and text by the objective they
    are in, so that the many alike — every objective's table — are told apart)."""
    keys: list[Key] = []
    last_id: str | None = None
    seen: dict[tuple[str, str], int] = {}
    for block, fact in zip(blocks, facts, strict=True):
        if block.tag == TBL:
            keys.append(("tbl", fact.text, objective))
            continue
        text = fact.text
        entry_id = fact.entry_id
        if m := _OBJECTIVE.match(text):
            objective = int(m.group(1))
            keys.append(("objective", objective))  # an objective's heading: its identity
            last_id = None
        elif entry_id is not None:
            last_id = id_key(entry_id)
            keys.append(("id", last_id))
        elif last_id is not None and (m := _FIELD.match(text)):
            name = m.group(1).lower()
            n = seen.get((last_id, name), 0) + 1
            seen[(last_id, name)] = n
            keys.append(("field", last_id, name, n))
        else:
            keys.append(("p", fact.style, text, objective))
    return keys


def _kind_key(block: Any, key: Key) -> Key:
    """Blocks that may be paired as "the same block, changed": tables; paragraphs of one style."""
    if block.tag == TBL:
        return ("tbl",)
    if key[0] in ("id", "field", "objective"):
        return key
    return ("p", key[1])


# --- aligning two versions ------------------------------------------------------------------------


@dataclass
class Op:
    """One block of the merged document: kept, changed, deleted, inserted, or moved."""

    kind: Literal["equal", "modify", "delete", "insert", "table"]
    old: Any
    new: Any
    key: Key
    objective: int | None
    rows: list[RowOp] = field(default_factory=list)
    move: str | None = None
    """The move's name when a deleted/inserted entry is the same entry moved."""


@dataclass
class RowOp:
    kind: Literal["pair", "delete", "insert"]
    old: Any
    new: Any
    cells: list[list[Op]] = field(default_factory=list)


def _objectives(blocks: list[Any], facts: list[_Facts], start: int | None) -> list[int | None]:
    """The objective each top-level block belongs to, from the "Operational objective N" headings."""
    current, out = start, []
    for block, fact in zip(blocks, facts, strict=True):
        if block.tag == P and (m := _OBJECTIVE.match(fact.text)):
            current = int(m.group(1))
        out.append(current)
    return out


def _objective_of(key: Key, fallback: int | None) -> int | None:
    if key[0] in ("id", "field"):
        return int(key[1].split(".")[0])
    return fallback


def align(old: list[Any], new: list[Any], context: int | None = None, top: bool = False) -> list[Op]:
    """The blocks of two containers (the body, a cell) as one merged sequence of operations."""
    ofacts, nfacts = [_facts(b) for b in old], [_facts(b) for b in new]
    okeys, nkeys = _keys(old, ofacts, context), _keys(new, nfacts, context)
    oobj = _objectives(old, ofacts, context) if top else [context] * len(old)
    nobj = _objectives(new, nfacts, context) if top else [context] * len(new)
    ops: list[Op] = []

    def pair(i: int, j: int) -> None:
        o, n = old[i], new[j]
        objective = _objective_of(nkeys[j], nobj[j])
        if o.tag == TBL and n.tag == TBL:
            if _same_xml(o, n):  # an objective's table the revision left alone: nothing to compare inside
                ops.append(Op("equal", o, n, nkeys[j], objective))
            else:
                rows = _align_rows(_element(o), _element(n), objective)
                ops.append(Op("table", o, n, nkeys[j], objective, rows=rows))
        elif o.tag == P and n.tag == P:
            same = ofacts[i].text == nfacts[j].text and ofacts[i].ppr == nfacts[j].ppr
            ops.append(Op("equal" if same else "modify", o, n, nkeys[j], objective))
        else:
            delete(i)
            insert(j)

    def delete(i: int) -> None:
        ops.append(Op("delete", old[i], None, okeys[i], _objective_of(okeys[i], oobj[i])))

    def insert(j: int) -> None:
        ops.append(Op("insert", None, new[j], nkeys[j], _objective_of(nkeys[j], nobj[j])))

    matcher = SequenceMatcher(None, okeys, nkeys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                pair(i, j)
            continue
        # Blocks of the same kind (a paragraph of the same style, a table) in a changed stretch
        # are the same block edited; the rest were deleted or inserted (deletions first).
        a = [_kind_key(old[i], okeys[i]) for i in range(i1, i2)]
        b = [_kind_key(new[j], nkeys[j]) for j in range(j1, j2)]
        for tag2, k1, k2, l1, l2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag2 == "equal":
                for i, j in zip(range(i1 + k1, i1 + k2), range(j1 + l1, j1 + l2), strict=True):
                    pair(i, j)
                continue
            for i in range(i1 + k1, i1 + k2):
                delete(i)
            for j in range(j1 + l1, j1 + l2):
                insert(j)
    return ops


def _same_xml(old: Any, new: Any) -> bool:
    """Whether two elements are written alike: aligning such a table's rows and cells would pair
    every block with its equal and change nothing, at the cost of a key and an operation each."""
    from lxml import etree

    if isinstance(old, _Stored) and isinstance(new, _Stored) and old.namespaces == new.namespaces:
        return old.packed == new.packed
    return bool(etree.tostring(_element(old)) == etree.tostring(_element(new)))


def _row_key(row: Any) -> str:
    first = row.find(TC)
    return paragraph_text(first.find(P)) if first is not None and first.find(P) is not None else ""


def _align_rows(old: Any, new: Any, objective: int | None) -> list[RowOp]:
    orows, nrows = old.findall(TR), new.findall(TR)
    ops: list[RowOp] = []

    def pair(o: Any, n: Any) -> None:
        ocells, ncells = o.findall(TC), n.findall(TC)
        if len(ocells) != len(ncells):
            ops.extend([RowOp("delete", o, None), RowOp("insert", None, n)])
            return
        cells = [align(_blocks(a), _blocks(b), objective) for a, b in zip(ocells, ncells, strict=True)]
        ops.append(RowOp("pair", o, n, cells))

    matcher = SequenceMatcher(None, [_row_key(r) for r in orows], [_row_key(r) for r in nrows], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                pair(orows[i], nrows[j])
            continue
        ops.extend(RowOp("delete", orows[i], None) for i in range(i1, i2))
        ops.extend(RowOp("insert", None, nrows[j]) for j in range(j1, j2))
    return ops


def _walk_ops(ops: list[Op]) -> Iterator[Op]:
    for op in ops:
        yield op
        for row in op.rows:
            for cell in row.cells:
                yield from _walk_ops(cell)


def find_moves(ops: list[Op]) -> int:
    """Pair an entry deleted in one place with the same entry (by ID) inserted in another: a move."""
    deleted: dict[Key, Op] = {}
    inserted: dict[Key, Op] = {}
    for op in _walk_ops(ops):
        if op.key[0] in ("id", "field"):
            if op.kind == "delete":
                deleted.setdefault(op.key, op)
            elif op.kind == "insert":
                inserted.setdefault(op.key, op)
    moves = 0
    for key, op in deleted.items():
        if key in inserted:
            moves += 1
            name = f"lgcb-move-{moves}"
            op.move = inserted[key].move = name
    return moves


# --- writing revision markup ----------------------------------------------------------------------


def _canon(el: Any) -> tuple[Any, ...]:
    return (el.tag, tuple(sorted(el.attrib.items())), tuple(_canon(c) for c in el))


def _ppr_key(p: Any) -> tuple[Any, ...]:
    """A paragraph's formatting (without its mark's run properties and revision records)."""
    ppr = p.find(PPR)
    if ppr is None:
        return ()
    return tuple(_canon(c) for c in ppr if c.tag not in (RPR, w("sectPr"), w("pPrChange")))


def _ensure_ppr(p: Any) -> Any:
    from lxml import etree

    ppr = p.find(PPR)
    if ppr is None:
        ppr = etree.Element(PPR)
        p.insert(0, ppr)
    return ppr


def _mark_rpr(p: Any) -> Any:
    """The run properties of the paragraph mark (``w:pPr/w:rPr``), created in schema order."""
    from lxml import etree

    ppr = _ensure_ppr(p)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        later = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def _mark(p: Any, tag: str, marks: Marks, objective: int | None) -> None:
    _mark_rpr(p).insert(0, marks.element(tag, objective, counted=False))


def _content(p: Any) -> list[Any]:
    return [child for child in p if child.tag != PPR]


def _to_deleted_text(el: Any) -> None:
    for t in list(el.iter(T, w("instrText"))):
        t.tag = DEL_TEXT if t.tag == T else w("delInstrText")


def _wrap_content(p: Any, tag: str, marks: Marks, objective: int | None, move: str | None) -> None:
    """Put all of a paragraph's content inside one revision (``w:ins``, ``w:del``, a move)."""
    content = _content(p)
    if tag in (DEL, MOVE_FROM):
        for el in content:
            _to_deleted_text(el)
    if content:
        wrapper = marks.element(tag, objective)
        content[0].addprevious(wrapper)
        for el in content:
            wrapper.append(el)
    elif tag in (INS, DEL):
        marks.count += 1  # an empty paragraph: the paragraph mark is the whole revision
    if move is not None:
        kind = "moveFrom" if tag == MOVE_FROM else "moveTo"
        marker_id = marks.new_id()
        start = marks.range_marker(w(f"{kind}RangeStart"), objective, move, marker_id)
        end = marks.range_marker(w(f"{kind}RangeEnd"), objective, None, marker_id)
        ppr = p.find(PPR)
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)


def _tokens(p: Any) -> list[tuple[Any, str]] | None:
    """(run properties, word or space) of a simple paragraph; None when it holds more than runs of text."""
    out: list[tuple[Any, str]] = []
    for child in p:
        if child.tag == PPR:
            continue
        if child.tag != R:
            return None
        rpr = None
        for part in child:
            if part.tag == RPR:
                rpr = part
            elif part.tag == T:
                out.extend((rpr, token) for token in _TOKENS.findall(part.text or ""))
            else:
                return None
    return out


def _run(rpr: Any, text: str, deleted: bool) -> Any:
    from lxml import etree

    run = etree.Element(R)
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, DEL_TEXT if deleted else T)
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(f"{{{XML_NS}}}space", "preserve")
    return run


def _word_diff(old: Any, new: Any, marks: Marks, objective: int | None) -> None:
    """Rewrite ``new``'s runs as the word-level changes from ``old``: kept, deleted, inserted words."""

    a, b = _tokens(old), _tokens(new)
    pieces: list[tuple[str, Any, str]] = []
    """(op, run properties, text), op being equal, delete or insert."""
    if a is None or b is None:  # fields, tabs, hyperlinks…: the whole content, deleted then inserted
        deleted = copy.deepcopy(_content(old))
        inserted = _content(new)
        for el in inserted:
            new.remove(el)
        if deleted:
            d = marks.element(DEL, objective)
            for el in deleted:
                _to_deleted_text(el)
                d.append(el)
            new.append(d)
        if inserted:
            i = marks.element(INS, objective)
            for el in inserted:
                i.append(el)
            new.append(i)
        return
    # words match only in runs of the same formatting: an entry's ID run never pairs with its text
    style: dict[int, tuple[Any, ...]] = {}

    def unit(rpr: Any, text: str) -> tuple[str, tuple[Any, ...]]:
        if rpr is None:
            return text, ()
        if id(rpr) not in style:
            style[id(rpr)] = _canon(rpr)
        return text, style[id(rpr)]

    matcher = SequenceMatcher(None, [unit(*x) for x in a], [unit(*x) for x in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces += [("equal", rpr, text) for rpr, text in b[j1:j2]]
            continue
        pieces += [("delete", rpr, text) for rpr, text in a[i1:i2]]
        pieces += [("insert", rpr, text) for rpr, text in b[j1:j2]]
    for el in _content(new):
        new.remove(el)
    merged: list[list[Any]] = []
    for op, rpr, text in pieces:
        key = _canon(rpr) if rpr is not None else ()
        if merged and merged[-1][0] == op and merged[-1][3] == key:
            merged[-1][2] += text
        else:
            merged.append([op, rpr, text, key])
    wrapper = None
    for kind, rpr, text, _ in merged:
        run = _run(rpr, text, kind == "delete")
        if kind == "equal":
            new.append(run)
            wrapper = None
            continue
        element = DEL if kind == "delete" else INS
        if wrapper is None or wrapper.tag != element:
            wrapper = marks.element(element, objective)
            new.append(wrapper)
        wrapper.append(run)


def _format_change(old: Any, new: Any, marks: Marks, objective: int | None) -> None:
    """Record ``old``'s paragraph formatting in ``new`` (``w:pPrChange``): Reject restores it."""
    if _ppr_key(old) == _ppr_key(new):
        return
    change = marks.element(w("pPrChange"), objective)
    previous = copy.deepcopy(old.find(PPR)) if old.find(PPR) is not None else None
    from lxml import etree

    inner = etree.SubElement(change, PPR)
    if previous is not None:
        for child in previous:
            if child.tag not in (RPR, w("sectPr"), w("pPrChange")):
                inner.append(child)
    _ensure_ppr(new).append(change)


def _whole_table(tbl: Any, tag: str, marks: Marks, objective: int | None) -> None:
    """Mark every row of an added (``w:ins``) or removed (``w:del``) table, and all its text."""
    from lxml import etree

    for row in tbl.iter(TR):
        trpr = row.find(TRPR)
        if trpr is None:
            trpr = etree.Element(TRPR)
            ex = row.find(w("tblPrEx"))
            (ex.addnext(trpr) if ex is not None else row.insert(0, trpr))
        trpr.append(marks.element(tag, objective))
    for cell in tbl.iter(TC):
        paragraphs = [c for c in cell if c.tag == P]
        for i, p in enumerate(paragraphs):
            _wrap_content(p, tag, marks, objective, None)
            if i < len(paragraphs) - 1:
                _mark(p, tag, marks, objective)


VISIBLE = {
    "equal": (True, True),
    "modify": (True, True),
    "insert": (True, False),
    "delete": (False, True),
}
"""(visible after Accept all, visible after Reject all) of a block by its operation."""


def build(container: Any, ops: list[Op], marks: Marks) -> None:
    """Replace ``container``'s blocks by the merged sequence, with revision markup and marks."""
    slots = _slots(ops, marks, container.tag == TC)
    blocks = _blocks(container)
    anchor = blocks[0] if blocks else None
    index = list(container).index(anchor) if anchor is not None else len(container)
    for block in blocks:
        container.remove(block)
    for offset, (block, _) in enumerate(slots):
        container.insert(index + offset, block)


def _slots(ops: list[Op], marks: Marks, in_cell: bool) -> list[tuple[Any, Op]]:
    """The merged sequence of blocks, with revision markup and marks (a block kept as it was may be
    a :class:`_Stored` block, written as it was read)."""
    slots: list[tuple[Any, Op]] = []
    for op in ops:
        if op.kind == "table":
            _build_rows(op, marks)
            slots.append((op.new, op))
        elif op.kind in ("equal", "modify"):
            if op.kind == "modify":
                old, new = _element(op.old), _element(op.new)
                if paragraph_text(old) != paragraph_text(new):
                    _word_diff(old, new, marks, op.objective)
                _format_change(old, new, marks, op.objective)
            slots.append((op.new, op))
        elif op.kind == "delete":
            block = copy.deepcopy(_element(op.old))
            if block.tag == TBL:
                _whole_table(block, DEL, marks, op.objective)
            else:
                _wrap_content(block, MOVE_FROM if op.move else DEL, marks, op.objective, op.move)
            slots.append((block, op))
        else:
            new = _element(op.new)
            if new.tag == TBL:
                _whole_table(new, INS, marks, op.objective)
            else:
                _wrap_content(new, MOVE_TO if op.move else INS, marks, op.objective, op.move)
            slots.append((op.new, op))
    _paragraph_marks(slots, marks, in_cell)
    return slots


def _mark_tag(op: Op, accept: bool) -> str:
    if accept:
        return MOVE_TO if op.move else INS
    return MOVE_FROM if op.move else DEL


def _paragraph_marks(slots: list[tuple[Any, Op]], marks: Marks, in_cell: bool) -> None:
    """Give added and removed paragraphs revised marks so that each view keeps exactly its own.

    A deleted paragraph's mark is deleted and an inserted one's inserted.  The last paragraph of
    a container keeps a plain mark (Word cannot remove it), so a changed stretch at the end
    borrows one: after only insertions the kept paragraph before them gets an inserted mark; after
    only deletions a deleted one; with both, the last deleted and last inserted paragraphs share
    one paragraph (deleted words, then inserted words) ending the container.
    """
    tail: list[int] = []
    for index in range(len(slots) - 1, -1, -1):
        block, op = slots[index]
        if block.tag != P or op.kind in ("equal", "modify"):
            break
        tail.append(index)
    tail.reverse()
    plain = None
    if tail:
        accepts = [i for i in tail if VISIBLE[slots[i][1].kind][0]]
        rejects = [i for i in tail if VISIBLE[slots[i][1].kind][1]]
        if accepts and rejects:
            keep, take = slots[accepts[-1]], slots[rejects[-1]]
            target, donor = _element(keep[0]), _element(take[0])
            first = _content(target)
            for el in _content(donor):
                (first[0].addprevious(el) if first else target.append(el))
            slots.remove(take)
            slots.remove(keep)
            slots.append(keep)
            plain = slots[-1][0]
        elif tail[0] > 0 and slots[tail[0] - 1][0].tag == P:
            before = slots[tail[0] - 1]
            _mark(_element(before[0]), INS if accepts else DEL, marks, before[1].objective)
            plain = slots[-1][0]
        elif not in_cell:
            plain = None  # the body may end with a table (Word adds the closing paragraph itself)
        else:
            plain = slots[-1][0]
    for block, op in slots:
        if block.tag != P or op.kind in ("equal", "modify") or block is plain:
            continue
        _mark(_element(block), _mark_tag(op, accept=op.kind == "insert"), marks, op.objective)


def _build_rows(op: Op, marks: Marks) -> None:
    """A table on both sides: rows kept (their cells compared), added or removed."""
    table = _element(op.new)
    for row in table.findall(TR):
        table.remove(row)
    for row_op in op.rows:
        if row_op.kind == "pair":
            for cell, cell_ops in zip(row_op.new.findall(TC), row_op.cells, strict=True):
                build(cell, cell_ops, marks)
            table.append(row_op.new)
            continue
        row = copy.deepcopy(row_op.old) if row_op.kind == "delete" else row_op.new
        holder = copy.deepcopy(table)
        for child in list(holder):
            holder.remove(child)
        holder.append(row)
        _whole_table(holder, DEL if row_op.kind == "delete" else INS, marks, op.objective)
        table.append(row)


# --- whole documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionDocument:
    data: bytes
    revisions: int
    """How many revisions the document holds (insertions, deletions, moves, formatting changes)."""


def _read_part(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return z.read(name)


class _Stored:
    """A block of a body read as a stream: what aligning needs of it, its XML as written, and its
    element, parsed from that XML only when a revision needs it.

    A large report's body holds a million elements; as lxml trees, the two reports compared would
    take most of a gigabyte.  Kept as their text, compressed (WordprocessingML compresses about
    tenfold, and equal blocks compress alike), with the few blocks that changed parsed again, they
    take a few megabytes.
    """

    __slots__ = ("_element", "cut", "facts", "namespaces", "packed", "tag", "tail")
    facts: _Facts
    packed: bytes

    def __init__(
        self,
        element: Any,
        namespaces: bytes,
        like: dict[bytes, _Stored] | None = None,
        index: dict[bytes, _Stored] | None = None,
    ) -> None:
        """``like``: blocks stored before, by the digest of their XML (:class:`Kept`); a block written
        exactly like one of them takes its facts and compressed XML instead of working them out.
        ``index``: where this block is put by that digest."""
        self.tag: str = element.tag
        self.namespaces = namespaces
        xml, self.cut = block_xml(element, namespaces, tail=False)
        """``cut``: where the body's namespace declarations were taken out of the XML (0: they were not)."""
        self.tail = xml_text(element.tail or "")
        """The text after the block (written after it, wherever it goes)."""
        self._element: Any = None
        if like is not None or index is not None:
            digest = _digest(xml)
            if index is not None:
                index.setdefault(digest, self)
            twin = like.get(digest) if like is not None else None
            if twin is not None and twin.namespaces == namespaces and twin.tag == self.tag:
                self.facts, self.packed = twin.facts, twin.packed  # the same XML: the same facts
                return
        self.facts = _facts(element) if element.tag in (P, TBL) else _Facts("")
        self.packed = zlib.compress(xml, 1)

    @property
    def xml(self) -> bytes:
        """The block's XML as written in the body (without the body's namespace declarations)."""
        return zlib.decompress(self.packed)

    @property
    def parsed(self) -> bool:
        return self._element is not None

    def element(self) -> Any:
        """The block as an element of its own (changes made to it are what is written)."""
        if self._element is None:
            from lxml import etree

            xml = self.xml
            data = xml[: self.cut] + self.namespaces + xml[self.cut :] if self.cut else xml
            self._element = etree.fromstring(data, parser())
        return self._element


def _element(block: Any) -> Any:
    return block.element() if isinstance(block, _Stored) else block


_CHUNK = 1 << 20


@dataclass
class _Body:
    """A document part with its body read block by block (see :class:`_Stored`)."""

    head: bytes
    """The part up to the body's first block, as lxml writes the whole document."""
    children: list[_Stored]
    tail: bytes
    namespaces: bytes
    """What lxml writes in front of a block's attributes: the namespaces in scope at the body."""

    @property
    def blocks(self) -> list[_Stored]:
        return [c for c in self.children if c.tag in (P, TBL)]


class BodyStream:
    """The top-level blocks of a package's main document body, parsed from the zip in pieces.

    Iterating yields each block once it is complete (its tail too), and lets it go when the next
    one is asked for: memory holds one block, not the document's tree.  ``namespaces`` is set
    when the body starts; ``root`` (the document, its body emptied) once the last block is out.
    """

    def __init__(self, package: bytes, *, as_python_docx: bool = False) -> None:
        self.package = package
        self.as_python_docx = as_python_docx
        """Parse as python-docx parses a package (blank text dropped, its element classes), so that
        its proxies (``Paragraph``, ``Table``) read the blocks as they read a document's own."""
        self.body: Any = None
        self.root: Any = None
        self.namespaces = b""

    def __iter__(self) -> Iterator[Any]:
        from lxml import etree

        stream = etree.XMLPullParser(
            events=("start",),
            tag=w("body"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_blank_text=self.as_python_docx,
        )
        if self.as_python_docx:
            from docx.oxml.parser import element_class_lookup

            stream.set_element_class_lookup(element_class_lookup)
        with zipfile.ZipFile(io.BytesIO(self.package)) as z, z.open(MAIN_PART) as part:
            for piece in iter(lambda: part.read(_CHUNK), b""):
                stream.feed(piece)
                if self.body is None:
                    self.body = next((element for _, element in stream.read_events()), None)
                    if self.body is None:
                        continue
                    self.namespaces = namespaces_at(self.body)
                while len(self.body) > 1:  # every child but the last is complete once the next has started
                    yield self.body[0]
                    _drop_first(self.body)
        self.root = stream.close()
        if self.body is None:
            raise ValueError("the document has no body")
        while len(self.body):
            yield self.body[0]
            _drop_first(self.body)


def _digest(xml: bytes) -> bytes:
    return hashlib.blake2b(xml, digest_size=16).digest()


class Kept:
    """The blocks of a report's body as the renderer gives them (``lgcb.render.docx.render``'s
    ``keep``), stored as :func:`_read_body` stores the blocks it reads.

    ``like``: the blocks of the other report of a comparison, kept before these.  Most blocks of
    two versions of a plan are written alike; each of those shares the other's facts and
    compressed XML (found by a 128-bit BLAKE2 digest of the XML), instead of reading its text and
    compressing it again: a third of the time spent keeping the second report."""

    def __init__(self, like: Kept | None = None, *, indexed: bool = False) -> None:
        """``indexed``: keep the blocks by digest too, for a :class:`Kept` to be made ``like`` this one."""
        self.blocks: list[_Stored] = []
        self.namespaces = b""
        if like is not None and like._by_digest is None:
            raise ValueError("a Kept made like another needs that one indexed")
        self._like = like._by_digest if like is not None else None
        self._by_digest: dict[bytes, _Stored] | None = {} if indexed else None

    def __call__(self, block: Any, namespaces: bytes) -> None:
        self.namespaces = namespaces
        self.blocks.append(_Stored(block, namespaces, self._like, self._by_digest))


def _read_body(package: bytes, kept: Kept | None = None) -> _Body:
    """The main document part of ``package``, its body's children stored one at a time as they are
    parsed; or, for a package rendered with its body ``kept`` aside, those blocks."""
    from lxml import etree

    stream = BodyStream(package)
    children = [_Stored(block, stream.namespaces) for block in stream]
    if kept is not None:
        if children or (kept.blocks and kept.namespaces != stream.namespaces):
            raise ValueError("the report's body was not kept aside as rendered")
        children = kept.blocks
    root, body = stream.root, stream.body
    marker = etree.SubElement(body, w("lgcb-blocks"))
    shell = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    body.remove(marker)
    head, _, tail = shell.partition(b"<" + qname(marker) + b"/>")
    return _Body(head, children, tail, stream.namespaces)


def _drop_first(parent: Any) -> None:
    """Let go of ``parent``'s first child, emptied first: lxml frees an emptied element's nodes
    directly, where removing a whole subtree first moves it into a document of its own (twice the
    time for a report's body)."""
    parent[0].clear()
    del parent[0]


def _written(block: Any, namespaces: bytes) -> bytes:
    """A block's XML in the body, without the body's namespace declarations."""
    tail = block.tail if isinstance(block, _Stored) else xml_text(block.tail or "")
    if isinstance(block, _Stored) and not block.parsed:
        stored = block.xml
        if block.namespaces == namespaces or not block.cut:
            return stored + tail
        return stored[: block.cut] + block.namespaces + stored[block.cut :] + tail
    return block_xml(_element(block), namespaces, tail=False)[0] + tail


def revision_document(
    old_docx: bytes, new_docx: bytes, stamper: Stamper, old_kept: Kept | None = None, new_kept: Kept | None = None
) -> RevisionDocument:
    """NEW's report with every change from OLD as a Word revision (both rendered by lgcb).

    Both bodies are read as streams of stored blocks (or taken as the renderer gave them,
    ``*_kept``), and only the blocks that changed are parsed into elements, so memory grows with
    the reports' text and what changed, not their trees.
    """
    old = _read_body(old_docx, old_kept)
    new = _read_body(new_docx, new_kept)
    ops = align(old.blocks, new.blocks, None, top=True)
    del old
    marks = Marks(stamper)
    find_moves(ops)
    moves = sum(1 for op in _walk_ops(ops) if op.move and op.kind == "insert")
    blocks = [block for block, _ in _slots(ops, marks, in_cell=False)]
    del ops  # and with them OLD's blocks, but those NEW took
    # As build() places them: other children before the first block stay before, the rest follow.
    first = next((i for i, c in enumerate(new.children) if c.tag in (P, TBL)), len(new.children))
    before = new.children[:first]
    after = [c for c in new.children[first:] if c.tag not in (P, TBL)]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(new_docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != MAIN_PART:
                dst.writestr(info, src.read(info))
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w") as member, Compressing(member) as part:
                part.write(new.head)
                for child in before:
                    part.write(_written(child, new.namespaces))
                for block in blocks:
                    part.write(_written(block, new.namespaces))
                for child in after:
                    part.write(_written(child, new.namespaces))
                part.write(new.tail)
    return RevisionDocument(out.getvalue(), marks.count - moves)


# --- accepting and rejecting ----------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """One revision found in a document: what kind, by whom, when, where, and its text."""

    kind: str
    """insertion, deletion, move (from), move (to), formatting, row insertion, row deletion."""
    author: str
    date: str
    where: str
    text: str


def locations(root: Any) -> dict[Any, str]:
    """Where each paragraph and row is, as the importer names places: "paragraph 3", "table 2,
    row 2, cell 3, paragraph 4" (counting the body's paragraphs and tables in order, and a table's
    own rows, cells and paragraphs: not those of a text box or a table inside a cell, which are
    placed where what holds them is)."""
    body = root.find(w("body"))
    where: dict[Any, str] = {}
    if body is None:
        return where
    paragraphs = tables = 0
    for block in body:  # the body's own paragraphs and tables (not every paragraph's parent checked)
        if block.tag != P and block.tag != TBL:
            continue
        if block.tag == P:
            paragraphs += 1
            where[block] = f"paragraph {paragraphs}"
            continue
        tables += 1
        for r, row in enumerate(block.iterchildren(TR), start=1):
            where[row] = f"table {tables}, row {r}"
            for c, cell in enumerate(row.iterchildren(TC), start=1):
                for n, p in enumerate(cell.iterchildren(P), start=1):
                    where[p] = f"table {tables}, row {r}, cell {c}, paragraph {n}"
    return where


def place_of(el: Any, where: dict[Any, str]) -> str:
    """Where ``el`` is: the place (:func:`locations`) of the nearest paragraph or row holding it."""
    node = el
    while node is not None:
        if node in where:
            return where[node]
        node = node.getparent()
    return "the document"


_KIND = {INS: "insertion", DEL: "deletion", MOVE_FROM: "move (from)", MOVE_TO: "move (to)"}


def list_revisions(root: Any) -> list[Revision]:
    """Every revision in a part, in document order (a paragraph mark only when nothing else in the
    paragraph is revised the same way)."""
    found: list[Revision] = []
    revised = root.iter(INS, DEL, MOVE_FROM, MOVE_TO, *FORMAT_CHANGES)
    first = next(revised, None)
    if first is None:
        return found  # no revision: no need to name every place in the document
    where = locations(root)
    for el in (first, *revised):
        parent = el.getparent()
        author, date = el.get(w("author"), ""), el.get(w("date"), "")
        if el.tag in FORMAT_CHANGES:
            found.append(Revision("formatting", author, date, place_of(el, where), ""))
            continue
        if parent.tag == TRPR:
            kind = "row insertion" if el.tag == INS else "row deletion"
            found.append(Revision(kind, author, date, place_of(el, where), ""))
            continue
        if parent.tag == RPR:  # a paragraph mark
            p = parent.getparent().getparent()
            if p.tag == P and any(c.tag == el.tag for c in p):
                continue
            kind = {INS: "paragraph break inserted", DEL: "paragraph break deleted"}.get(el.tag, _KIND[el.tag])
            found.append(Revision(kind, author, date, place_of(el, where), ""))
            continue
        text = paragraph_text(el, deleted=True)
        found.append(Revision(_KIND[el.tag], author, date, place_of(el, where), text))
    return found


def _unwrap(el: Any) -> None:
    parent = el.getparent()
    index = list(parent).index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _remove(el: Any) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _has_content(p: Any) -> bool:
    return any(True for _ in p.iter(T, DEL_TEXT, w("tab"), w("br"), w("drawing"), w("pict"), w("object")))


def _join_next(p: Any) -> None:
    """A removed paragraph mark: the paragraph's content joins the next paragraph (an empty one goes)."""
    following = p.getnext()
    if not _has_content(p):
        parent = p.getparent()
        siblings = [c for c in parent if c.tag == P]
        if parent.tag == TC and len(siblings) == 1:
            return  # a cell keeps its last paragraph
        _remove(p)
        return
    if following is None or following.tag != P:
        return
    at = 1 if following.find(PPR) is not None else 0
    for offset, child in enumerate(_content(p)):
        following.insert(at + offset, child)
    _remove(p)


def resolve(root: Any, mode: Literal["accept", "reject"], found: list[Revision] | None = None) -> list[Revision]:
    """Accept or reject every revision in a part (as Word's "Accept all"/"Reject all"); returns them
    (``found``: what :func:`list_revisions` gives for ``root``, if it was just asked)."""
    found = list_revisions(root) if found is None else found
    if not found:
        return found
    keep, drop = ((INS, MOVE_TO), (DEL, MOVE_FROM)) if mode == "accept" else ((DEL, MOVE_FROM), (INS, MOVE_TO))
    # Rows first: a row removed takes its content with it.
    for marker in list(root.iter(*drop)):
        if marker.getparent() is not None and marker.getparent().tag == TRPR:
            row = marker.getparent().getparent()
            table = row.getparent()
            _remove(row)
            if table is not None and table.find(TR) is None:
                _remove(table)
    marks_removed: list[Any] = []
    for el in list(root.iter(*keep, *drop)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in (RPR, TRPR):
            if el.tag in drop and parent.tag == RPR and parent.getparent() is not None:
                p = parent.getparent().getparent()
                if p is not None and p.tag == P:
                    marks_removed.append(p)
            _remove(el)
            continue
        if el.tag in drop:
            _remove(el)
        else:
            if mode == "reject":
                for t in el.iter(DEL_TEXT, w("delInstrText")):
                    t.tag = T if t.tag == DEL_TEXT else w("instrText")
            _unwrap(el)
    for marker in list(root.iter(*RANGE_MARKERS)):
        _remove(marker)
    for change in list(root.iter(*FORMAT_CHANGES)):
        owner = change.getparent()
        if mode == "reject" and change.tag == w("pPrChange"):
            previous = change.find(PPR)
            for child in list(owner):
                if child.tag not in (RPR, w("sectPr")):
                    owner.remove(child)
            for offset, child in enumerate(list(previous) if previous is not None else []):
                owner.insert(offset, child)
        elif mode == "reject" and change.tag == w("rPrChange"):
            previous = change.find(RPR)
            for child in list(owner):
                if child.tag not in (INS, DEL, MOVE_FROM, MOVE_TO):
                    owner.remove(child)
            for child in list(previous) if previous is not None else []:
                owner.append(child)
        else:
            _remove(change)
    for p in marks_removed:
        if p.getparent() is not None:
            _join_next(p)
    return found


def document_paragraphs(docx: bytes, mode: Literal["accept", "reject"] | None = None) -> list[str]:
    """The text of every paragraph of a .docx's body, in order (after accepting or rejecting all)."""
    from lxml import etree

    root = etree.fromstring(_read_part(docx, MAIN_PART), parser())
    if mode is not None:
        resolve(root, mode)
    return [paragraph_text(p) for p in root.iter(P)]

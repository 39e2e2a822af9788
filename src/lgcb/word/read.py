"""``lgcb import``: turn a plan kept in Word (laid out like Annex I) into a plan directory.

The reader walks the document body in order with python-docx: an "Operational objective N" line
starts an objective, the next line gives "Title: aim", a "Strategic Plan operational objective"
line its link, and four-column tables (Outcomes | Indicators | Results/Outputs | Activities)
its entries — one entry per bullet or paragraph, nested by list level or indentation, with group
headings (unbulleted or bold lines among bullets) and the source numbering of results.  Documents
written by ``lgcb render --format docx`` carry every ID in its own run and read back exactly
(docs/word-layout.md); other documents get IDs assigned the way the plan assigns them.

Nothing is dropped silently: text that cannot be placed becomes an error (a problem) naming the
table, row, column and paragraph; fields the document does not give are filled and reported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path
from typing import Any

from lgcb.checks.problem import Level, Problem
from lgcb.ids import assign_ids
from lgcb.ids import key as id_key
from lgcb.memory import collector_paused, return_freed_memory
from lgcb.model import COLUMN_TITLES, ID_LETTERS, KINDS, MEASURES, Objective, Plan, PlanInfo
from lgcb.word import MAIN_PART, layout
from lgcb.word.account import symbol_text
from lgcb.word.layout import DERIVED_HEADINGS, ID_STYLE, OBJECTIVE_HEADING

NOT_STATED = "(not stated in the imported document)"
"""The value given to a required plan field the document does not state (and reported)."""

_STRATEGIC = re.compile(r"(?i)^\s*strategic\s+plan\s+operational\s+objective\s+(\d+(?:\.\d+)*)\s*(?::\s*(.*?))?\s*$")
_ID = re.compile(r"^(\d+)\.([A-Z])(\d+)((?:\.\d+)*)$")
_NUMBER_RUN = re.compile(r"^(\d+(?:\.\d+)*) $")
_NUMBERED = re.compile(r"^(\d+\.\d+(?:\.\d+)*)\s+(\S.*)$")
_BULLETS = ("·", "•", "-", "–", "—", "▪", "◦", "\uf0b7", "*")
"""Characters typed as bullets (U+F0B7 is the Symbol-font bullet of pasted Word lists)."""
_BULLET_STYLE = re.compile(r"(?i)^list (?:bullet|number|continue)(?: (\d+))?$")
_FIELD = layout.FIELD_LINE
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)\b")
_ANNEX = re.compile(r"(?i)^annex\s+(?:[IVXLC]+|\d+)$")

HEADERS: dict[str, str] = {
    "outcomes": "outcomes",
    "outcome": "outcomes",
    "indicators": "indicators",
    "indicator": "indicators",
    "results/outputs": "results",
    "results / outputs": "results",
    "results": "results",
    "outputs": "results",
    "activities": "activities",
    "activity": "activities",
}
"""Header cell text (lower case) → column key."""

ABOUT_FIELDS = {
    "source document": "document",
    "annex": "annex",
    "meeting": "meeting",
    "place": "place",
    "dates": "dates",
    "paragraphs": "paragraphs",
}


class ImportFailed(Exception):
    """The file cannot be read as a Word document, or holds no objective: the message says why."""


def found(where: str, message: str, level: Level = "error", rule: str | None = None) -> Problem:
    """A problem of the document being read, placed by table, row, column and paragraph (``where``).

    Its path is the document's name, set when the document is read whole (:func:`read_document`).
    Errors are text not placed (``unplaced-text``); warnings, values the document did not state and
    the import set (``import-assumed``), unless a rule is named.
    """
    chosen = rule or ("unplaced-text" if level == "error" else "import-assumed")
    return Problem("", None, None, message, chosen, level, where=where)


@dataclass
class ImportResult:
    plan: Plan
    files: dict[str, str]
    """Path relative to the plan directory → YAML text, in writing order."""
    findings: list[Problem] = field(default_factory=list)
    reader: Any = None
    """The :class:`Reader` that read the document (what it found before filling in defaults)."""
    prepared: Any = None
    """What was done before reading (:class:`lgcb.word.account.Prepared`): tracked changes resolved,
    comments, text not read."""

    @property
    def errors(self) -> list[Problem]:
        return [f for f in self.findings if f.level == "error"]


@dataclass
class ReadBody:
    """A document whose body is read (:func:`read_body`), before its plan is built
    (:meth:`result`): for a review, its element tree is still there to anchor comments and compare
    sections, until :meth:`release`."""

    path: Path
    document: Any
    prepared: Any
    reader: Reader

    def release(self) -> None:
        """Let go of the document's element tree (a few hundred megabytes for a large plan): what
        was read from it stays (the reader's findings, what was prepared, as text)."""
        _let_go(self.prepared, self.reader)

    def result(self, reserved: dict[int, set[str]] | None = None, *, files: bool = True) -> ImportResult:
        """The plan the document holds; new entries never get an ID in ``reserved`` (objective
        number → IDs a plan has used); ``files``: with its YAML texts."""
        if files:  # a new plan needs nothing more of the body: its tree goes now
            self.release()
        with collector_paused():  # the plan's data, models and files: tens of thousands, no cycles
            result = _finish(self.reader, self.document, self.path, reserved or {}, files=files)
        result.prepared = self.prepared
        result.reader = self.reader
        result.findings += _prepared_findings(self.prepared)
        result.findings = [dataclasses.replace(f, path=self.path.name) for f in result.findings]
        return result


def _let_go(prepared: Any, reader: Any) -> None:
    """Drop every reference the import keeps to the document's element tree, so that it is freed
    at once: python-docx's package and its parts refer to each other, so they would wait for the
    cyclic collector (a second's pass over everything read)."""
    if prepared is not None:
        prepared.root = None
        prepared.where = {}
        prepared.comments = [dataclasses.replace(c, anchor=None) for c in prepared.comments]
    document = reader.document if reader is not None else None
    if document is not None:
        reader.document = None
        for holder in (document, document.part):
            if hasattr(holder, "_element"):
                holder._element = None
        if hasattr(document, "_Document__body"):
            document._Document__body = None
    return_freed_memory()


# ---------------------------------------------------------------------------------------------
# Reading paragraphs


@dataclass
class Line:
    """One paragraph of a cell, classified."""

    text: str
    where: str
    level: int | None
    """List level (0 at the top) for a bullet; None for a paragraph that is not a bullet."""
    indent: int
    bold: bool
    id: str | None = None
    number: str | None = None
    number_known: bool = False
    """True when lgcb's runs say whether a result has a number (so the text is not searched for one)."""
    field_line: bool = False


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R, _HYPERLINK, _P, _TBL = f"{_W}r", f"{_W}hyperlink", f"{_W}p", f"{_W}tbl"
_RUN_CONTENT = frozenset(f"{_W}{name}" for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab", "sym"))
"""The children of a ``w:r`` that python-docx's ``Run.text`` reads (each element gives its own text),
and the symbols Word inserts (``w:sym``), which it does not."""
_SYM = f"{_W}sym"


def run_text(run: Any) -> str:
    """The text of a python-docx run, as ``run.text`` gives it.

    python-docx finds the run's text elements with one XPath query per call, whose setup (its
    namespace map) costs some 70 µs: more than a minute for a plan of 1,000 objectives.  The
    children are read here directly, in the same order, each turned into text by its own element
    class (a tab gives "\t", a line break "\n"); a symbol of Word's Insert > Symbol gives its
    character (:func:`lgcb.word.account.symbol_text`).
    """
    return _run_element_text(run._r)


def _run_element_text(r: Any) -> str:
    """The text of a ``w:r`` element, as :func:`run_text` gives it."""
    return "".join([(str(e) if e.tag != _SYM else symbol_text(e)) for e in r if e.tag in _RUN_CONTENT])


def _p_text(p: Any) -> str:
    """The text of a ``w:p`` element as python-docx's ``Paragraph.text`` gives it (runs, and runs in links)."""
    parts = []
    for child in p:
        if child.tag == _R:
            parts.append(_run_element_text(child))
        elif child.tag == _HYPERLINK:
            for run in child:
                if run.tag == _R:
                    parts.append(_run_element_text(run))
    return "".join(parts)


def paragraph_text(paragraph: Any) -> str:
    """``paragraph.text`` of a python-docx paragraph, without an XPath query per run."""
    return _p_text(paragraph._p)


def cell_text(cell: Any) -> str:
    """``cell.text`` of a python-docx table cell: its paragraphs' texts, one per line."""
    return "\n".join([_p_text(p) for p in cell._tc.p_lst])


def _style_level(paragraph: Any) -> int | None:
    """The list level a paragraph has by its style ("List Bullet 2" → 1), or None."""
    style = paragraph.style
    while style is not None:
        match = _BULLET_STYLE.match(style.name or "")
        if match:
            return int(match.group(1) or 1) - 1
        ppr = style.element.pPr
        num_pr = ppr.find(_NUM_PR) if ppr is not None else None
        if num_pr is not None:
            ilvl = num_pr.find(_ILVL)
            return _number(ilvl.get(_VAL) if ilvl is not None else None, 0)
        style = style.base_style
    return None


def _number(value: str | None, default: int) -> int:
    """A decimal attribute (a list level, a numbering ID); ``default`` when it is absent or not a
    number (a damaged file: Word itself would not open it, and its text is still read)."""
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


_PPR, _RPR, _VAL = f"{_W}pPr", f"{_W}rPr", f"{_W}val"
_NUM_PR, _NUM_ID, _ILVL, _IND = f"{_W}numPr", f"{_W}numId", f"{_W}ilvl", f"{_W}ind"
_P_STYLE, _R_STYLE, _BOLD, _LEFT = f"{_W}pStyle", f"{_W}rStyle", f"{_W}b", f"{_W}left"
# The properties below are read from the elements directly, as python-docx reads them (each of its
# property lookups costs a qualified-name conversion and a search per call: seconds on a large plan).


_UNREAD = object()


def _style_id(element: Any, properties: str, style: str) -> str | None:
    """A paragraph's (``w:pPr/w:pStyle``) or run's (``w:rPr/w:rStyle``) style ID, or None."""
    props = element.find(properties)
    found = props.find(style) if props is not None else None
    return found.get(_VAL) if found is not None else None


def _numbering_level(ppr: Any) -> int | None:
    """The Word list level (w:numPr/w:ilvl) of a paragraph's own numbering (``ppr``: its w:pPr), or None."""
    num_pr = ppr.find(_NUM_PR) if ppr is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(_NUM_ID)
    if num_id is not None and _number(num_id.get(_VAL), 1) == 0:
        return None  # numbering switched off
    ilvl = num_pr.find(_ILVL)
    return _number(ilvl.get(_VAL) if ilvl is not None else None, 0)


_INDENTS: dict[str | None, int] = {}
"""A w:ind's w:left as python-docx reads it (twips or a unit, in EMU), each written value once."""


def _indent(ppr: Any, paragraph: Any) -> int:
    """``paragraph.paragraph_format.left_indent`` as a number (0 for none); ``ppr`` is its w:pPr."""
    ind = ppr.find(_IND) if ppr is not None else None
    if ind is None:
        return 0
    written = ind.get(_LEFT)
    known = _INDENTS.get(written)
    if known is None:
        from docx.exceptions import InvalidXmlError

        try:
            value = paragraph.paragraph_format.left_indent
        except (ValueError, InvalidXmlError):  # not a measure: a damaged file, read unindented
            value = None
        known = int(value) if value is not None else 0
        if len(_INDENTS) < 1000:
            _INDENTS[written] = known
    return known


def _bold(run: Any) -> bool | None:
    """``run.bold``: the run's own w:b (on unless its w:val says off), or None."""
    rpr = run._r.find(_RPR)
    b = rpr.find(_BOLD) if rpr is not None else None
    if b is None:
        return None
    return _on(b.get(_VAL))


def _on(value: str | None) -> bool:
    """An on/off property's w:val: on unless it says off (a value that is neither, which only a
    damaged file has, counts as on: the element is there)."""
    return value not in ("0", "false", "off")


def _style_bold(style: Any) -> bool:
    """Whether a character style's own properties make its runs bold (python-docx's ``font.bold``)."""
    rpr = style.element.find(_RPR) if style is not None else None
    b = rpr.find(_BOLD) if rpr is not None else None
    return b is not None and _on(b.get(_VAL))


def _is_grey(run: Any) -> bool:
    from docx.exceptions import InvalidXmlError

    try:
        color = run.font.color.rgb
    except (AttributeError, ValueError, InvalidXmlError):
        return False
    if color is None and run.style is not None:
        color = run.style.font.color.rgb if run.style.font.color.type is not None else None
    return str(color) in layout.GREYS if color is not None else False


class Styles:
    """Style facts by style ID, looked up once per document: python-docx searches the styles part
    on every ``paragraph.style``, which would make reading a large plan slow."""

    def __init__(self) -> None:
        self.paragraphs: dict[str | None, tuple[str, int | None]] = {}
        self.characters: dict[str | None, bool] = {}
        self.names: dict[str | None, str] = {}
        self.runs: dict[tuple[str | None, bool, str | None], tuple[str, bool]] = {}

    def paragraph(self, paragraph: Any, ppr: Any = _UNREAD) -> tuple[str, int | None]:
        """(style name, list level the style gives) of a paragraph (``ppr``: its w:pPr, if found)."""
        if ppr is _UNREAD:
            ppr = paragraph._p.find(_PPR)
        found = ppr.find(_P_STYLE) if ppr is not None else None
        key = found.get(_VAL) if found is not None else None
        if key not in self.paragraphs:
            style = paragraph.style
            self.paragraphs[key] = (style.name if style is not None else "", _style_level(paragraph))
        return self.paragraphs[key]

    def character(self, run: Any) -> str:
        """The name of a run's character style ("" for none)."""
        key = _style_id(run._r, _RPR, _R_STYLE)
        if key not in self.names:
            self.names[key] = run.style.name if key is not None and run.style is not None else ""
        return self.names[key]

    def bold(self, run: Any) -> bool:
        own = _bold(run)
        if own is not None:
            return own
        key = _style_id(run._r, _RPR, _R_STYLE)
        if key not in self.characters:
            self.characters[key] = _style_bold(run.style)
        return self.characters[key]

    def run(self, r: Any, paragraph: Any) -> tuple[str, bool]:
        """(character style name, bold) of a ``w:r`` element of ``paragraph``, as :meth:`character`
        and :meth:`bold` give them: looked up once for each style and w:b the document uses."""
        rpr = r.find(_RPR)
        if rpr is None:
            key: tuple[str | None, bool, str | None] = (None, False, None)
        else:
            style, b = rpr.find(_R_STYLE), rpr.find(_BOLD)
            style_id = style.get(_VAL) if style is not None else None
            key = (style_id, b is not None, b.get(_VAL) if b is not None else None)
        known = self.runs.get(key)
        if known is None:
            from docx.text.run import Run

            run = Run(r, paragraph)
            known = self.runs[key] = (self.character(run), self.bold(run))
        return known


def read_line(paragraph: Any, where: str, styles: Styles | None = None) -> Line | None:
    """Classify a paragraph of a cell; None when it is empty.

    The runs are read as elements (python-docx's ``paragraph.runs``: the w:r children), their
    styles and bold once per kind (:meth:`Styles.run`): a proxy object per run and several
    searches per property cost seconds on a large plan.
    """
    styles = styles or Styles()
    p = paragraph._p
    every = [r for r in p if r.tag == _R]
    texts = [_run_element_text(r) for r in every]
    text = " ".join("".join(texts).split())
    if not text:
        return None
    ppr = p.find(_PPR)
    style_name, style_level = styles.paragraph(paragraph, ppr)
    level = _numbering_level(ppr)
    if level is None:
        level = style_level
    elif style_level is not None:
        # "List Bullet 2" carries its depth in the style; LibreOffice saves it with the style's own
        # numbering copied onto the paragraph at level 0, Word demotes with Tab by raising the level
        level = max(level, style_level)
    facts = [styles.run(r, paragraph) for r in every]
    bold = all(b for (_, b), t in zip(facts, texts, strict=True) if t.strip())
    line = Line(text, where, level, _indent(ppr, paragraph), False)
    if style_name == layout.FIELD_STYLE or (_FIELD.match(text) and _all_grey(every, texts, paragraph)):
        line.field_line = True
        return line
    # lgcb's own layout: the ID run (character style "Item ID"; Word may split it), then the
    # result number in its own run, or an empty run for "no number" (Word may merge or drop those).
    id_runs = sum(1 for _ in takewhile(lambda f: f[0] == ID_STYLE, facts)) or 1
    id_text = "".join(texts[:id_runs])
    if id_text.endswith(" ") and _ID.match(id_text.strip()):
        line.id = id_text.strip()
        rest_facts = facts[id_runs:]
        rest_texts = texts[id_runs:]
        if rest_texts and _NUMBER_RUN.match(rest_texts[0]):
            line.number = rest_texts[0].strip()
            line.number_known = True
            rest_facts, rest_texts = rest_facts[1:], rest_texts[1:]
        elif rest_texts and rest_texts[0] == "":
            line.number_known = True
        line.text = " ".join("".join(rest_texts).split())
        line.bold = bool(rest_texts) and all(b for (_, b), t in zip(rest_facts, rest_texts, strict=True) if t.strip())
        return line
    # A literal bullet character typed (or pasted) before the text.
    for bullet in _BULLETS:
        if text.startswith(bullet + " ") or (bullet in ("·", "•", "▪", "◦", "\uf0b7") and text.startswith(bullet)):
            text = text[len(bullet) :].strip()
            if level is None:
                level = -1  # a bullet whose depth comes from its indentation
            break
    line.text, line.level, line.bold = text, level, bold
    return line


def _all_grey(runs: list[Any], texts: list[str], paragraph: Any) -> bool:
    """Whether every run with text is grey (lgcb's field lines)."""
    from docx.text.run import Run

    return all(_is_grey(Run(r, paragraph)) for r, t in zip(runs, texts, strict=True) if t)


# ---------------------------------------------------------------------------------------------
# Building an objective from its lines


@dataclass
class Column:
    """The entries of one column being read, with the state that nesting needs."""

    key: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    stack: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(level, entry) of the current chain of open items."""
    indents: list[int] = field(default_factory=list)
    group: dict[str, Any] | None = None
    last: dict[str, Any] | None = None


@dataclass
class Builder:
    number: int
    where: str
    title: str | None = None
    aim: str | None = None
    strategic: str | None = None
    strategic_title: str | None = None
    columns: dict[str, Column] = field(default_factory=lambda: {k: Column(k) for k in KINDS})
    tables: int = 0

    def data(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "aim": self.aim,
            "strategic_plan_objective": self.strategic,
            **{key: column.entries for key, column in self.columns.items()},
        }


def _add_lines(column: Column, lines: list[Line], findings: list[Problem]) -> None:
    """Place a cell's lines into the column: fields, group headings, items nested by level."""
    has_bullets = any(line.level is not None for line in lines if not line.field_line)
    for line in lines:
        if line.field_line:
            if column.last is None:
                findings.append(found(line.where, f"a field line with no item above it, not placed: {line.text!r}"))
            else:
                _add_field(column, line, findings)
            continue
        is_group = (line.id is not None and _ID.match(line.id).group(2) == "G") or (  # type: ignore[union-attr]
            line.id is None
            and line.level is None
            and not (column.key == "results" and _NUMBERED.match(line.text))
            and (has_bullets or line.bold)
        )
        if is_group:
            group: dict[str, Any] = {"id": line.id, "group": line.text, "items": [], "_where": line.where}
            column.entries.append(group)
            column.group, column.stack, column.indents, column.last = group, [], [], None
            continue
        level = _level(column, line)
        entry: dict[str, Any] = {"id": line.id, "text": line.text, "items": [], "_where": line.where}
        if column.key == "results":
            if line.number is not None:
                entry["number"] = line.number
            elif not line.number_known and (m := _NUMBERED.match(line.text)):
                entry["number"], entry["text"] = m.group(1), m.group(2)
        while column.stack and column.stack[-1][0] >= level:
            column.stack.pop()
        if column.stack:
            column.stack[-1][1]["items"].append(entry)
        elif column.group is not None:
            column.group["items"].append(entry)
        else:
            column.entries.append(entry)
        column.stack.append((level, entry))
        column.last = entry


def _level(column: Column, line: Line) -> int:
    """A line's depth: its list level, or for typed bullets and plain lines its indentation rank."""
    if line.level is not None and line.level >= 0:
        return line.level
    while column.indents and column.indents[-1] > line.indent:
        column.indents.pop()
    if not column.indents or column.indents[-1] < line.indent:
        column.indents.append(line.indent)
    return len(column.indents) - 1


def _values(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _scalar(text: str) -> int | float | str:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def _add_field(column: Column, line: Line, findings: list[Problem]) -> None:
    """Read a "name: value" line back into the item above it."""
    match = _FIELD.match(line.text)
    entry = column.last
    assert entry is not None
    allowed = {
        "outcomes": {"note"},
        "indicators": {"note", "measures", "measure", "unit", "baseline", "target", "means of verification"},
        "results": {"note"},
        "activities": {"note", "serves"},
    }[column.key]
    if not match or match.group(1).lower() not in allowed:
        kind = KINDS[column.key]
        article = "an" if kind[0] in "aeiou" else "a"
        findings.append(found(line.where, f"not a field {article} {kind} can have, not placed: {line.text!r}"))
        return
    name, value = match.group(1).lower(), match.group(2).strip()
    if name in ("serves", "measures"):
        entry[name] = _values(value)
    elif name == "measure":
        # "Measure: number (Parties)": the measure, then the unit (lgcb 0.1.0 wrote a "unit:" line).
        measure = layout.MEASURE_VALUE.match(value)
        if measure is None or measure.group(1) not in MEASURES:
            findings.append(found(line.where, f"a measure is one of {', '.join(MEASURES)}; not placed: {value!r}"))
            return
        entry["measure"] = measure.group(1)
        if measure.group(2) is not None:
            entry["unit"] = measure.group(2)
    elif name == "baseline":
        m = re.fullmatch(r"(.*?) \((\d{4})(?:, (.*))?\)", value)
        if not m or not 1900 <= int(m.group(2)) <= 2200:
            findings.append(
                found(line.where, f"a baseline reads 'baseline: VALUE (YEAR, source)', not placed: {value!r}")
            )
            return
        baseline: dict[str, Any] = {"value": _scalar(m.group(1)), "year": int(m.group(2))}
        if m.group(3):
            baseline["source"] = m.group(3)
        entry["baseline"] = baseline
    elif name == "target":
        m = re.fullmatch(r"(.*) by (\d{4})", value)
        if not m or not 1900 <= int(m.group(2)) <= 2200:
            findings.append(found(line.where, f"a target reads 'target: VALUE by YEAR', not placed: {value!r}"))
            return
        entry.setdefault("targets", []).append({"year": int(m.group(2)), "value": _scalar(m.group(1))})
    else:
        entry[name.replace(" ", "_")] = value


# ---------------------------------------------------------------------------------------------
# Tables


def _unique_cells(row: Any) -> list[tuple[int, Any]]:
    """(grid column, cell) of a row, a horizontally merged cell once at its first grid column."""
    seen: set[int] = set()
    cells = []
    for index, cell in enumerate(row.cells):
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append((index, cell))
    return cells


def _header(row: Any) -> list[tuple[int, str | None, str]] | None:
    """(grid column, column key or None, header text) of a header row, or None when the row is
    not one (it needs at least three of the four column titles)."""
    unique = _unique_cells(row)
    cells = []
    keys: set[str] = set()
    for n, (index, cell) in enumerate(unique):
        if len(keys) + len(unique) - n < 3:
            return None  # too few cells left to make one (a body row: two cells read, not four)
        text = " ".join(cell_text(cell).split())
        key = HEADERS.get(text.lower())
        if key:
            keys.add(key)
        cells.append((index, key, text))
    return cells if len(keys) >= 3 else None


def _cell_text(cell: Any) -> str:
    return " ".join(cell_text(cell).split())


# ---------------------------------------------------------------------------------------------
# The document


def _blocks(document: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in order, as python-docx's ``iter_inner_content`` gives
    them: its XPath union (``./w:p | ./w:tbl``) merges node sets pairwise, in time that grows with
    the square of the blocks (seconds for a plan of 3,000 objectives)."""
    body = document._body
    return _proxies(body._element, body)


def _proxies(elements: Iterable[Any], body: Any) -> Iterator[Any]:
    """python-docx's ``Paragraph`` and ``Table`` for the paragraphs and tables among ``elements``."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in elements:
        if element.tag == _P:
            yield Paragraph(element, body)
        elif element.tag == _TBL:
            yield Table(element, body)


_BODY_START = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?body)\b[^>]*?(/?)>")


def _without_body(package: bytes) -> bytes | None:
    """``package`` with its main document's body emptied (stored, not compressed): what python-docx
    needs to read styles, numbering and properties, without the body's tree.  None when the main
    document is not where lgcb's reports and Word put it, or its body is not found."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        if MAIN_PART not in source.namelist():
            return None
        for info in source.infolist():
            data = source.read(info)
            if info.filename == MAIN_PART:
                start = _BODY_START.search(data)
                if start is None:
                    return None
                if not start.group(2):  # not an empty <w:body/>
                    end = data.rfind(b"</" + start.group(1) + b">")
                    if end < start.end():
                        return None
                    data = data[: start.end()] + data[end:]
            target.writestr(info.filename, data)
    return out.getvalue()


def _read_streamed(package: bytes, name: str) -> tuple[Any, Any, Reader] | None:
    """The document read one top-level block at a time, each let go of once read: (document with
    its body emptied, what was prepared, the reader).  None when the document needs its whole
    tree: tracked changes, or text boxes, comments or notes anchored in the body (see
    :func:`lgcb.word.account.prepare_block`), or a package python-docx reads only whole."""
    import docx
    from lxml import etree

    from lgcb.word.account import WholeDocument, prepare_block, prepare_streamed
    from lgcb.word.revisions import BodyStream

    try:
        shell = _without_body(package)
        document = docx.Document(io.BytesIO(shell)) if shell is not None else None
    except Exception:  # a damaged package: read whole, to report it as such
        return None
    if document is None:
        return None
    if document.part.partname != "/" + MAIN_PART:
        return None
    prepared = prepare_streamed(document)
    reader = Reader(document, name)

    def prepared_blocks() -> Iterator[Any]:
        for block in BodyStream(package, as_python_docx=True):
            yield from prepare_block(block)
            # python-docx's ``row.cells`` leaves a reference cycle per row (a recursive closure)
            # that holds the row's elements: the youngest objects are collected after each block,
            # which frees them without the passes over everything read so far.  (Collecting every
            # few dozen blocks instead halves the collector's time, but the command is slower: the
            # blocks' elements are freed later.)
            gc.collect(0)

    try:
        reader.run(_proxies(prepared_blocks(), document._body))
    except (WholeDocument, etree.XMLSyntaxError, ValueError):
        return None
    return document, prepared, reader


class Reader:
    """Walks the body once, in order, building the plan's data and the findings."""

    def __init__(self, document: Any, name: str) -> None:
        self.document = document
        self.name = name
        self.findings: list[Problem] = []
        self.title: str | None = None
        self.subtitle: str | None = None
        self.about: dict[str, Any] = {}
        self.strategic: list[dict[str, str]] = []
        self.objectives: list[Builder] = []
        self.current: Builder | None = None
        self.expect_title = False
        self.previous_was_table = False
        self.mapping: list[tuple[int, str | None, str]] | None = None
        self.paragraphs = 0
        self.tables = 0
        self.loose: list[tuple[str, str]] = []
        self.front: list[tuple[str, str, str]] = []
        """(where, text, style) of the lines before the first objective."""
        self.annex: str | None = None
        self.styles = Styles()
        self.properties = False
        self.masthead: dict[str, str] = {}
        """The masthead fields (``plan.document``) from the document properties."""
        """Whether the document's properties carried the plan-level fields (lgcb's own reports)."""
        self.derived = False
        """Inside a section lgcb computes (progress, monitoring): regenerated on render, not plan data."""

    def front_matter(self) -> None:
        """The lines before the first objective: the title and subtitle (styled so, or else the first
        two lines, as Annex I sets them: "results-oriented CAPACITY-BUILDING ACTION PLAN", "(aligned
        with …)"), an "Annex I" line; anything more is reported as not placed."""
        rest = []
        for where, text, style in self.front:
            if style == "Title" and self.title is None:
                self.title = text
            elif style == "Subtitle" and self.subtitle is None:
                self.subtitle = text
            else:
                rest.append((where, text, style))
        for where, text, style in rest:
            if self.annex is None and _ANNEX.match(text):
                self.annex = text
            elif self.title is None:
                self.title = text
            elif self.subtitle is None and not style.startswith("Heading"):
                self.subtitle = text
            else:
                self.loose.append((where, text))

    def error(self, where: str, message: str) -> None:
        self.findings.append(found(where, message))

    def warn(self, where: str, message: str) -> None:
        self.findings.append(found(where, message, "warning"))

    def run(self, blocks: Iterable[Any] | None = None) -> None:
        """Read the document's body, or ``blocks`` (its blocks as python-docx proxies, in order)."""
        from docx.exceptions import InvalidXmlError
        from docx.table import Table

        self.read_properties()
        for block in _blocks(self.document) if blocks is None else blocks:
            if isinstance(block, Table):
                self.tables += 1
                where = f"table {self.tables}"
            else:
                self.paragraphs += 1
                where = f"paragraph {self.paragraphs}"
            try:
                if isinstance(block, Table):
                    self.table(block, where)
                    self.previous_was_table = True
                else:
                    text = " ".join(paragraph_text(block).split())
                    if text:
                        self.paragraph(block, text, where)
                        self.previous_was_table = False
            except (ValueError, InvalidXmlError) as e:  # python-docx reading a value the format does not allow
                unread = "the rest of this table" if isinstance(block, Table) else "this paragraph"
                self.error(
                    where,
                    f"a damaged value in the document ({e}): {unread} was not read; open the file in Word or "
                    "LibreOffice, save it, and import it again",
                )

    # Paragraphs outside tables -----------------------------------------------------------------

    def read_properties(self) -> None:
        """The plan-level fields from the custom document properties lgcb writes (docs/word-layout.md)."""
        from lgcb.word.package import custom_properties

        properties = custom_properties(self.document)
        labels = {*layout.SOURCE_LABELS, layout.TIMEFRAME_LABEL, layout.STRATEGIC_PLAN_LABEL}
        masthead = {label: key for key, label in layout.MASTHEAD_LABELS.items()}
        for name, value in properties.items():
            if name in masthead and "document" in PlanInfo.model_fields:
                self.masthead[masthead[name]] = value
            elif name in labels:
                self.about_row(name, value, f"document property {name!r}")
            elif re.fullmatch(rf"{layout.STRATEGIC_OBJECTIVE_LABEL} \d+", name):
                self.about_row(layout.STRATEGIC_OBJECTIVE_LABEL, value, f"document property {name!r}")
            else:
                continue
            self.properties = True

    def paragraph(self, paragraph: Any, text: str, where: str) -> None:
        style = self.styles.paragraph(paragraph)[0]
        if self.current is None and (style.lower().startswith("toc ") or style == layout.CONTENTS_HEADING_STYLE):
            return  # the contents: regenerated from the headings, not plan data
        if self.current is None and style == layout.SOURCE_NOTE_STYLE and self.properties:
            return  # the source note: written from the document properties read above
        if self.current is None and style == layout.ANNEX_STYLE:
            self.about.setdefault("annex", text)
            return
        if self.heading(text, where):
            return
        if style.startswith("Heading") and text in DERIVED_HEADINGS and self.current is not None:
            self.derived = True
            return
        if self.derived:
            return
        if self.current is None:
            self.front.append((where, text, style))
            return
        self.objective_line(paragraph, text, where)

    def heading(self, text: str, where: str) -> bool:
        match = OBJECTIVE_HEADING.match(text)
        if not match:
            return False
        self.current = Builder(int(match.group(1)), where)
        self.derived = False
        self.objectives.append(self.current)
        self.expect_title, self.mapping = True, None
        if match.group(2):  # "Operational objective 1: National Biosafety Frameworks: To further …"
            self.objective_line(None, match.group(2), where)
        return True

    def objective_line(self, paragraph: Any | None, text: str, where: str) -> None:
        current = self.current
        assert current is not None
        strategic = _STRATEGIC.match(text)
        if strategic:
            current.strategic = strategic.group(1)
            current.strategic_title = strategic.group(2) or None
            return
        if self.expect_title and current.tables == 0:
            self.expect_title = False
            runs = [(r, t) for r in paragraph.runs if (t := run_text(r))] if paragraph is not None else []
            bold = ""
            for run, run_words in runs:
                if not _bold(run):
                    break
                bold += run_words
            title = " ".join(bold.split())
            if title and text.startswith(title):
                rest = text[len(title) :]
                if rest.startswith(":"):
                    rest = rest[1:]  # lgcb's layout: bold title, then ": aim"
                elif title.endswith(":"):
                    title = title[:-1].rstrip()  # the colon typed inside the bold run
                current.title, current.aim = title, rest.strip() or None
            else:
                title, sep, aim = text.partition(": ")
                current.title, current.aim = (title.strip(), aim.strip()) if sep else (text, None)
            return
        self.error(where, f"a line in objective {current.number} outside its table, not placed: {text!r}")

    # Tables -----------------------------------------------------------------------------------

    def table(self, table: Any, where: str) -> None:
        if self.derived:
            return
        rows = list(table.rows)
        header_at = next((i for i, row in enumerate(rows) if _header(row)), None)
        if header_at is None:
            if self.previous_was_table and self.mapping and self.current is not None and len(table.columns) >= 4:
                self.body_rows(rows, 0, where)  # a table split across pages without a repeated header
                return
            if self.about_table(rows, where):
                return
            size = f"{len(rows)} row{'s' if len(rows) != 1 else ''} × {len(table.columns)} columns"
            self.warn(
                where, f"not an objective table ({size}, no Outcomes/Indicators/Results/Activities header): ignored"
            )
            return
        for i, row in enumerate(rows[:header_at]):
            # Rows above the header: e.g. one merged cell "Operational objective 1" or "Title: aim".
            for _, cell in _unique_cells(row):
                for p in cell.paragraphs:
                    text = " ".join(paragraph_text(p).split())
                    if not text:
                        continue
                    cell_where = f"{where}, row {i + 1}"
                    if not self.heading(text, cell_where):
                        if self.current is None:
                            self.error(
                                cell_where, f"a table above any 'Operational objective' heading, not placed: {text!r}"
                            )
                        else:
                            self.objective_line(p, text, cell_where)
        if self.current is None:
            self.error(where, "a four-column table before any 'Operational objective N' heading: not placed")
            return
        self.mapping = _header(rows[header_at])
        self.current.tables += 1
        self.body_rows(rows, header_at + 1, where)

    def body_rows(self, rows: list[Any], start: int, where: str) -> None:
        assert self.current is not None and self.mapping is not None
        for r in range(start, len(rows)):
            row = rows[r]
            if _header(row):
                continue  # a header row repeated inside the table
            for index, cell in _unique_cells(row):
                _, key, header = next((c for c in reversed(self.mapping) if c[0] <= index), (0, None, ""))
                title = COLUMN_TITLES[key] if key else (repr(header) if header else f"column {index + 1}")
                lines = []
                for p_index, paragraph in enumerate(cell.paragraphs, start=1):
                    line = read_line(
                        paragraph, f"{where}, row {r + 1}, column {title}, paragraph {p_index}", self.styles
                    )
                    if line is not None:
                        lines.append(line)
                if not lines:
                    continue
                if key is None:
                    for line in lines:
                        self.error(line.where, f"a column that is not one of the four, not placed: {line.text!r}")
                    continue
                _add_lines(self.current.columns[key], lines, self.findings)

    def about_table(self, rows: list[Any], where: str) -> bool:
        labels = [_cell_text(_unique_cells(r)[0][1]).lower() for r in rows if _unique_cells(r)]
        known = {*ABOUT_FIELDS, "timeframe", "strategic plan", "strategic plan objective"}
        if not any(label in known for label in labels):
            return False
        for i, row in enumerate(rows):
            cells = _unique_cells(row)
            label = _cell_text(cells[0][1])
            value = " ".join(_cell_text(c) for _, c in cells[1:]).strip()
            if len(cells) == 1 and label.lower() == "about this plan":
                continue
            self.about_row(label, value, f"{where}, row {i + 1}")
        return True

    def about_row(self, label: str, value: str, where: str) -> None:
        """One plan-level field, from a row of an "About this plan" table or a document property."""
        key = label.lower()
        if key in ABOUT_FIELDS and value:
            self.about[ABOUT_FIELDS[key]] = value
        elif key == "timeframe" and (m := _YEARS.search(value)):
            self.about["timeframe"] = {"start": int(m.group(1)), "end": int(m.group(2))}
        elif key == "strategic plan" and value:
            self.about["strategic_plan"] = value
        elif key == "strategic plan objective" and (m := re.fullmatch(r"(\d+(?:\.\d+)*) (.+)", value)):
            self.strategic.append({"number": m.group(1), "title": m.group(2)})
        elif label or value:
            table = "a row of the 'About this plan' table"
            what = "a document property" if where.startswith("document property") else table
            self.error(where, f"{what}, not placed: {label!r} {value!r}")


# ---------------------------------------------------------------------------------------------
# IDs, plan-level fields, validation


def _kinds(objective: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, entry) of every entry of an objective's data, groups included."""
    for key, kind in KINDS.items():
        stack = list(reversed(objective[key]))
        while stack:
            entry = stack.pop()
            yield ("group" if "group" in entry else kind), entry
            stack.extend(reversed(entry.get("items", [])))


def check_ids(objectives: list[dict[str, Any]], findings: list[Problem]) -> None:
    """Keep the document's IDs where they can stay; an ID in the wrong column (an item moved in
    Word) or used twice (a row copied) is replaced by a new one, and reported."""
    seen: set[str] = set()
    for objective in objectives:
        for kind, entry in _kinds(objective):
            item_id = entry.get("id")
            if not item_id:
                continue
            letter = ID_LETTERS[kind]
            if _ID.match(item_id).group(2) != letter:  # type: ignore[union-attr]
                reason = f"is not an ID for {'a group heading' if kind == 'group' else 'an ' + kind}"
            elif id_key(item_id) in seen:
                reason = "is used twice"
            else:
                seen.add(id_key(item_id))
                continue
            entry["id"] = None
            findings.append(found(entry["_where"], f"the ID {item_id} {reason}: a new ID is assigned", "warning"))


def check_links(objectives: list[dict[str, Any]], findings: list[Problem]) -> None:
    """``serves``/``measures`` must name results/outcomes of the document: other links are not
    placed (the item is kept without them) and reported."""
    kinds = {id_key(entry["id"]): kind for o in objectives for kind, entry in _kinds(o)}
    for objective in objectives:
        for _, entry in _kinds(objective):
            for name, want in (("serves", "result"), ("measures", "outcome")):
                if name not in entry:
                    continue
                kept = [t for t in entry[name] if kinds.get(id_key(t)) == want]
                for target in entry[name]:
                    if target not in kept:
                        findings.append(
                            found(
                                entry["_where"],
                                f"{entry['id']} {name} {target}, which is not {'a' if want == 'result' else 'an'} "
                                f"{want} in the document: the link is not placed",
                            )
                        )
                if kept:
                    entry[name] = kept
                else:
                    del entry[name]


def _entries(objective: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = [e for key in KINDS for e in objective[key]]
    while stack:
        entry = stack.pop()
        yield entry
        stack.extend(entry.get("items", []))


def _prune(entry: dict[str, Any]) -> dict[str, Any]:
    """Drop empty ``items`` (as a person writes them, and as the shipped files are) and our notes."""
    entry.pop("_where", None)
    if entry.get("items"):
        entry["items"] = [_prune(e) for e in entry["items"]]
    elif "items" in entry and "group" not in entry:
        del entry["items"]
    return entry


def read_document(
    path: Path, changes: str = "fail", reserved: dict[int, set[str]] | None = None, *, protect: bool = False
) -> ImportResult:
    """Read ``path`` (a .docx) into a plan; raises :class:`ImportFailed` when nothing can be read.

    ``changes`` says what to do with tracked changes: ``accept`` or ``reject`` them all (each is
    listed), or ``fail`` (:class:`lgcb.word.account.UnresolvedRevisions` lists them).  New entries
    never get an ID in ``reserved`` (objective number → IDs the plan has used).  ``protect`` reads
    a reviewed report for ``--onto`` (tracked edits of IDs refused; no YAML texts made, and the
    document's tree kept until :meth:`ReadBody.release`).
    """
    return read_body(path, changes, protect=protect).result(reserved, files=not protect)


def read_body(path: Path, changes: str = "fail", *, protect: bool = False) -> ReadBody:
    """Read the body of ``path`` (see :func:`read_document`); raises :class:`ImportFailed`.

    A new plan's document is read one block at a time where it can be; a review (``protect``) is
    read whole, as its comments are anchored and its sections compared over the tree."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from lgcb.office import OfficeFileError, check_package
    from lgcb.word.account import prepare

    hint = "open it in Word or LibreOffice and save it as Word (.docx)"
    try:
        data = check_package(path, "docx")  # bounded: no zip bomb, FIFO or macros reaches python-docx
    except OfficeFileError as e:
        raise ImportFailed(str(e)) from None
    with collector_paused():
        streamed = None if protect else _read_streamed(data, path.name)  # a review anchors in the whole tree
    if streamed is not None:
        return ReadBody(path, *streamed)
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ImportFailed(f"{path}: not a Word .docx file ({hint})") from None
    except OSError as e:
        raise ImportFailed(f"{path}: cannot read the file: {e.strerror or e}") from None
    except Exception as e:  # zipfile.BadZipFile, KeyError, lxml errors: a damaged package
        raise ImportFailed(f"{path}: a damaged Word file ({type(e).__name__}: {e}); {hint}") from None
    with collector_paused():
        prepared = prepare(document, changes, protect=protect)  # type: ignore[arg-type]
        reader = Reader(document, path.name)
        reader.run()
    return ReadBody(path, document, prepared, reader)


def _prepared_findings(prepared: Any) -> list[Problem]:
    """Tracked changes resolved and text not read, as findings with where each was."""
    from lgcb.word.account import describe

    verb = {"accept": "accepted", "reject": "rejected"}.get(prepared.mode or "", "accepted")
    out = [
        found(r.where, f"tracked change {verb}: {describe(r)}", "warning", "tracked-change") for r in prepared.revisions
    ]
    out += [
        found(where, message, level, None if level == "error" else "not-read")
        for where, message, level in prepared.unread
    ]
    return out


def _finish(
    reader: Reader, document: Any, path: Path, reserved: dict[int, set[str]] | None = None, files: bool = True
) -> ImportResult:
    from pydantic import ValidationError

    findings = reader.findings
    name = path.name
    if not reader.objectives:
        raise ImportFailed(
            f"{path}: no 'Operational objective N' heading found, so there is nothing to import "
            "(each objective needs a line such as 'Operational objective 1' before its table)"
        )
    reader.front_matter()
    for where, text in reader.loose:
        findings.append(found(where, f"text before the first objective, not placed: {text!r}"))

    strategic = list(reader.strategic)
    numbers = {s["number"] for s in strategic}
    objectives: list[dict[str, Any]] = []
    seen: set[int] = set()
    for b in reader.objectives:
        subject = f"{b.where} (objective {b.number})"
        if b.number in seen:
            findings.append(
                found(b.where, f"a second 'Operational objective {b.number}' heading: its content is not placed")
            )
            continue
        seen.add(b.number)
        if not b.title:
            b.title = f"Operational objective {b.number}"
            findings.append(found(subject, f"no 'Title: aim' line; title set to {b.title!r}", "warning"))
        if not b.aim:
            b.aim = NOT_STATED
            findings.append(
                found(subject, f'no aim after the title ("Title: aim"); aim set to {NOT_STATED!r}', "warning")
            )
        if b.strategic is None:
            b.strategic = "0"
            findings.append(
                found(
                    subject,
                    "no 'Strategic Plan operational objective' line; set to 0, which plan.yaml declares as not stated",
                    "warning",
                )
            )
        if b.strategic not in numbers:
            numbers.add(b.strategic)
            strategic.append({"number": b.strategic, "title": b.strategic_title or NOT_STATED})
        if b.tables == 0:
            findings.append(
                found(
                    subject, "no Outcomes/Indicators/Results/Activities table: the objective has no entries", "warning"
                )
            )
        objectives.append(b.data())
    objectives.sort(key=lambda o: o["number"])
    check_ids(objectives, findings)
    for data in objectives:
        # IDs the plan has used count as taken (as stand-ins), so a new entry never gets one again
        taken = [{"id": i} for i in sorted((reserved or {}).get(data["number"], ()))]
        data["outcomes"].extend(taken)
        assign_ids(data)
        if taken:
            del data["outcomes"][-len(taken) :]
    check_links(objectives, findings)
    for data in objectives:
        for key in KINDS:
            data[key] = [_prune(e) for e in data[key]]

    info = _plan_info(reader, document, name, strategic, findings)
    try:
        plan = Plan(
            info=PlanInfo.model_validate(info),
            objectives=[Objective.model_validate(o) for o in objectives],
        )
    except ValidationError as e:
        first = e.errors()[0]
        location = ".".join(str(p) for p in first["loc"] if not str(p).startswith("<"))
        raise ImportFailed(f"{path}: the imported plan is not valid at {location}: {first['msg']}") from None

    return ImportResult(plan, imported_texts(plan, name) if files else {}, findings)


def _plan_info(
    reader: Reader, document: Any, name: str, strategic: list[dict[str, str]], findings: list[Problem]
) -> dict[str, Any]:
    """plan.yaml's data: from the title block and "About this plan" table, filled where missing."""
    about = reader.about
    title = reader.title
    if not title:
        title = document.core_properties.title or Path(name).stem
        findings.append(found("", f"no title (a paragraph in style 'Title'); title set to {title!r}", "warning"))
    source: dict[str, Any] = {"document": about.get("document")}
    if not source["document"]:
        source["document"] = name
        findings.append(found("", f"no 'Source document' in an 'About this plan' table; set to {name!r}", "warning"))
    for key in ("annex",):
        if about.get(key):
            source[key] = about[key]
    if "annex" not in source and reader.annex:
        source["annex"] = reader.annex
    for key in ("meeting", "place", "dates"):
        source[key] = about.get(key) or NOT_STATED
        if not about.get(key):
            label = {"meeting": "Meeting", "place": "Place", "dates": "Dates"}[key]
            findings.append(found("", f"no '{label}' in an 'About this plan' table; set to {NOT_STATED!r}", "warning"))
    if about.get("paragraphs"):
        source["paragraphs"] = about["paragraphs"]
    timeframe = about.get("timeframe")
    if timeframe is None:
        # A year range in the title block ("… action plan 2011–2020") or in a line before the objectives.
        for text in [reader.title or "", reader.subtitle or "", *(t for _, t in reader.loose)]:
            if m := _YEARS.search(text):
                timeframe = {"start": int(m.group(1)), "end": int(m.group(2))}
                break
    if timeframe is None:
        year = (document.core_properties.created or dt.datetime.now(dt.timezone.utc)).year
        timeframe = {"start": year, "end": year}
        findings.append(
            found("", f"no 'Timeframe' (e.g. 2011–2020); set to {year}–{year}: correct it in plan.yaml", "warning")
        )
    sp_title = about.get("strategic_plan")
    if not sp_title:
        sp_title = NOT_STATED
        findings.append(
            found("", f"no 'Strategic Plan' in an 'About this plan' table; its title set to {NOT_STATED!r}", "warning")
        )
    info: dict[str, Any] = {"title": title}
    if reader.subtitle:
        info["subtitle"] = reader.subtitle
    info |= {"source": source, "timeframe": timeframe, "strategic_plan": {"title": sp_title, "objectives": strategic}}
    if reader.masthead:
        info["document"] = dict(reader.masthead)
    return info


# ---------------------------------------------------------------------------------------------
# Writing YAML in the shipped layout


def imported_texts(plan: Plan, source: str) -> dict[str, str]:
    """The plan's files (``lgcb.planfile.write``), each headed by a comment saying where it came from."""
    from lgcb.planfile.layout import PLAN_FILE
    from lgcb.planfile.write import plan_texts

    files = plan_texts(plan)
    for rel in files:
        if rel == PLAN_FILE:
            header = (
                f"# The plan as a whole, imported by `lgcb import` from {source}.\n"
                "# The objectives are in objectives/, one file each.\n"
            )
        else:
            header = (
                f"# Imported by `lgcb import` from {source}.\n"
                "# `title`, `aim`, `text` and `group` are the document's words; IDs, links and monitoring\n"
                "# fields are lgcb's own. Check the import with `lgcb validate`.\n"
            )
        files[rel] = header + files[rel]
    return files


# ---------------------------------------------------------------------------------------------
# Writing the plan directory


class PlanExists(Exception):
    """The output directory already holds a plan and --force was not given."""


def existing_plan(directory: Path) -> list[Path]:
    """The plan files already in ``directory`` (plan.yaml and the objective files)."""
    from lgcb.planfile.layout import PLAN_FILE, objective_files

    found = [directory / PLAN_FILE] if (directory / PLAN_FILE).exists() else []
    return found + objective_files(directory)


def check_written(result: ImportResult) -> list[str]:
    """Load the files as ``lgcb validate`` would read them once written (in an empty directory of
    our own, where nothing is written): the problems, if any."""
    from lgcb.checks.load import load_plan

    with tempfile.TemporaryDirectory(prefix="lgcb-import-") as temp:
        root = Path(temp)
        loaded = load_plan(root, edits={root / name: text.encode("utf-8") for name, text in result.files.items()})
    problems = [f"{p.path.removeprefix(temp)}:{p.line}:{p.col}: {p.message}" for p in loaded.problems]
    if not problems and loaded.plan != result.plan:
        problems.append("the written files do not read back as the imported plan")
    return problems


def write_plan(result: ImportResult, directory: Path, *, force: bool) -> tuple[list[Path], list[Path]]:
    """Write the plan files atomically; with ``force`` replace an existing plan (and remove its
    objective files that the import does not have).  Returns (written, removed)."""
    from lgcb.fileio import write_all
    from lgcb.planfile.layout import OBJECTIVES_DIR

    existing = existing_plan(directory)
    if existing and not force:
        raise PlanExists(f"{directory} already holds a plan ({existing[0].name}); use --force to overwrite it")
    changes: dict[Path, bytes | None] = {directory / name: text.encode("utf-8") for name, text in result.files.items()}
    removed = [p for p in existing if p not in changes and p.parent.name == OBJECTIVES_DIR]
    changes.update(dict.fromkeys(removed))
    write_all(changes)
    return [directory / name for name in result.files], removed

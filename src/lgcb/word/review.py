"""``lgcb import REVIEWED.docx --onto DIR``: a reviewer's Word report back into the plan.

The report was made by lgcb (``render --format docx`` or ``diff --format docx``), so every entry
carries its ID.  The document is read as the importer reads any report — tracked changes
accepted or rejected first (:mod:`lgcb.word.account`) — and its objectives replace the plan's,
entry by entry, keyed by those IDs: what the reviewer typed, deleted or added is the edit.  What
the report does not show stays as it is in DIR (objectives left out of the report, progress files,
the ``illustrative`` flag).  :func:`lgcb.planfile.onto.plan_onto` then writes only the files that
change, keeping their comments and layout, all or none.

Refused, and reported: an ID the plan in DIR does not have (the report was made from another
version of the plan, or the ID was edited), an ID used twice, tracked changes to an ID or to a
section lgcb computes (:func:`lgcb.word.account.prepare`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgcb.ids import key as id_key
from lgcb.model import Objective, Plan, PlanInfo
from lgcb.word.account import Changes, Comment, derived_paragraphs
from lgcb.word.layout import OBJECTIVE_HEADING
from lgcb.word.revisions import TBL, TC, P, locations, paragraph_id, paragraph_text, w

if TYPE_CHECKING:
    from lgcb.checks.problem import Problem
    from lgcb.planfile.onto import Onto
    from lgcb.word.read import ImportResult


class NotMadeByLgcb(Exception):
    """The document has no entry IDs: it is a plan to import afresh, not a reviewed report."""


class PlanInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("the plan in the target directory is not valid")
        self.problems = problems


@dataclass(frozen=True)
class AnchoredComment:
    """A Word comment with the entry (ID) or part of the plan it is attached to."""

    anchor: str
    author: str
    date: str
    text: str
    where: str


@dataclass
class Review:
    result: ImportResult
    onto: Onto
    comments: list[AnchoredComment] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    """Reasons to write nothing (unless forced): unknown IDs, IDs used twice."""
    refused: list[str] = field(default_factory=list)
    """Edits reported and not applied."""

    @property
    def findings(self) -> list[Problem]:
        return self.result.findings


def _anchors(
    root: Any, where: dict[Any, str], derived: set[Any], wanted: set[Any]
) -> tuple[dict[Any, str], list[tuple[str, str]]]:
    """The anchor (the entry ID above it, "objective 3", "plan") of each body paragraph in
    ``wanted`` (those comments start in), and every (ID, where) of the entries in the plan's own
    sections (``where``: :func:`locations`, ``derived``: :func:`derived_paragraphs` of ``root``)."""
    body = root.find(w("body"))
    anchors: dict[Any, str] = {}
    ids: list[tuple[str, str]] = []
    objective: str = "plan"
    for block in body if body is not None else []:
        if block.tag == P:
            if m := OBJECTIVE_HEADING.match(paragraph_text(block)):
                objective = f"objective {m.group(1)}"
            if block in wanted:
                anchors[block] = objective
            continue
        if block.tag != TBL:
            continue
        last = objective
        for el in block.iter(TC, P):  # each paragraph once, even in a table inside a cell
            if el.tag == TC:
                last = objective  # a cell's comments anchor to the entry above them in that cell
                continue
            entry_id = paragraph_id(el)
            if entry_id is not None:
                last = entry_id
                if el not in derived:
                    ids.append((entry_id, where.get(el, "")))
            if el in wanted:
                anchors[el] = last
    return anchors, ids


def anchored_comments(comments: list[Comment], anchors: dict[Any, str]) -> list[AnchoredComment]:
    return [
        AnchoredComment(
            anchors.get(c.anchor, "plan") if c.anchor is not None else "plan", c.author, c.date, c.text, c.where
        )
        for c in comments
    ]


def comments_markdown(comments: list[AnchoredComment], source: str) -> str:
    """The comments as a Markdown list, for a pull-request description."""
    from lgcb.outputs.markdown import escape as md_escape

    lines = [f"Comments from {md_escape(source)}:", ""]
    for c in comments:
        by = f" ({md_escape(c.author)})" if c.author else ""
        text = " ".join(c.text.split())
        lines.append(f"- **{md_escape(c.anchor)}**{by}: {md_escape(text)}")
    return "\n".join(lines) + "\n"


def edited_plan(before: Plan, result: ImportResult) -> Plan:
    """The plan in DIR with what the document shows put in its place."""
    reader = result.reader
    doc = result.plan
    info = before.info.model_dump()
    if reader.title:
        info["title"] = reader.title
        info["subtitle"] = reader.subtitle
    about = reader.about
    if about:
        source = info["source"]
        for key in ("document", "meeting", "place", "dates"):
            if about.get(key):
                source[key] = about[key]
        for key in ("annex", "paragraphs"):
            source[key] = about.get(key)
        if about.get("timeframe"):
            info["timeframe"] = about["timeframe"]
        if about.get("strategic_plan"):
            info["strategic_plan"]["title"] = about["strategic_plan"]
    if reader.strategic:
        info["strategic_plan"]["objectives"] = doc.info.strategic_plan.model_dump()["objectives"]
    shown = {o.number: o for o in doc.objectives}
    removed = result.prepared.removed_objectives
    kept = [shown.get(o.number, o) for o in before.objectives if o.number in shown or o.number not in removed]
    added = [o for o in doc.objectives if before.objective(o.number) is None]
    objectives = sorted(kept + added, key=lambda o: o.number)
    return Plan(info=PlanInfo.model_validate(info), objectives=objectives, progress=before.progress)


def _derived_texts(
    root: Any, where: dict[Any, str] | None = None, derived: set[Any] | None = None
) -> list[tuple[str, str]]:
    """(where, text) of the paragraphs of the sections lgcb computes, in document order."""
    derived = derived_paragraphs(root) if derived is None else derived
    if not derived:
        return []
    where = locations(root) if where is None else where
    body = root.find(w("body"))
    out = []
    # derived_paragraphs holds whole top-level blocks: only those are walked, in document order
    for block in body if body is not None else []:
        if block not in derived:
            continue
        for p in block.iter(P):
            text = " ".join(paragraph_text(p).split())
            if text:
                out.append((where.get(p, ""), text))
    return out


def _computed_edits(result: ImportResult, after: Plan, before: Plan, shown: list[tuple[str, str]]) -> list[str]:
    """The sections lgcb computes (progress tables, the monitoring note) as the document has them
    (``shown``: :func:`_derived_texts`), compared with what lgcb computes for the plan before and
    after the edits (a report made from either shows one of them): any other text there is an
    edit, not applied."""
    from lgcb.render import RenderOptions, checked_options
    from lgcb.render.docx import render as render_docx
    from lgcb.word.account import Sections

    if not shown:
        return []

    def computed_for(plan: Plan) -> list[str]:
        numbers = tuple(o.number for o in result.plan.objectives if plan.objective(o.number) is not None)
        if set(numbers) == {o.number for o in plan.objectives}:
            numbers = ()  # all of them (the report then speaks of "this plan")
        # the computed sections come from the indicators and the progress files alone: render only those
        empty: dict[str, list[Any]] = {"outcomes": [], "results": [], "activities": []}
        slim = plan.model_copy(update={"objectives": [o.model_copy(update=empty) for o in plan.objectives]})
        texts: list[str] = []
        sections = Sections()

        def keep(block: Any, _namespaces: bytes) -> None:
            if sections.computed(block):
                texts.extend(text for p in block.iter(P) if (text := " ".join(paragraph_text(p).split())))

        # each block of the body is read as it is rendered: the report is neither zipped nor read back
        render_docx(slim, checked_options(slim, RenderOptions(objectives=numbers)), keep)
        return texts

    texts = [text for _, text in shown]
    computed = computed_for(after)
    if texts == computed or (before != after and texts == computed_for(before)):
        return []
    for i, (where, text) in enumerate(shown):
        expected = computed[i] if i < len(computed) else None
        if text != expected:
            wanted = f"lgcb computes {expected!r}" if expected is not None else "lgcb computes nothing there"
            return [
                f"{where}: an edit in a section lgcb computes from the plan and its progress files (progress, "
                f"monitoring), not applied: the document has {text!r}, {wanted}; record progress in progress/ instead"
            ]
    return [
        f"a section lgcb computes (progress, monitoring) is missing text: lgcb computes {computed[len(shown)]!r}; "
        "edits there are not applied"
    ]


def _finding(message: str) -> Problem:
    from lgcb.word.read import found

    return found("", message, "warning")


def _split(entry_id: str) -> tuple[str, int]:
    """ "3.a15" → ("3.a", 15); "3.a5.2" → ("3.a5.", 2)."""
    import re

    m = re.match(r"^(.*?)(\d+)$", entry_id)
    return (m.group(1), int(m.group(2))) if m else (entry_id, 0)


def _highest(ids: set[str]) -> dict[str, int]:
    """The highest number used after each ID prefix: the plan gives new entries numbers above it."""
    out: dict[str, int] = {}
    for entry_id in ids:
        prefix, number = _split(entry_id)
        out[prefix] = max(out.get(prefix, 0), number)
    return out


def review_onto(source: Path, plan_dir: Path, changes: Changes = "accept", *, freeze: bool = False) -> Review:
    """Read a reviewed report and work out its edits to the plan in ``plan_dir`` (nothing is written).

    ``freeze``: the process keeps the plan to its end (lgcb's own process), so it is moved out of
    the garbage collector's sight once loaded (see :func:`lgcb.checks.load.load_plan`).

    Raises :class:`PlanInvalid`, :class:`NotMadeByLgcb`, and what :func:`read_body` raises.

    The document is read, and its tree let go of, before the plan is loaded: the two (a few hundred
    megabytes each for a large plan) are never held at once.
    """
    from lgcb.checks.load import load_plan
    from lgcb.memory import collector_paused
    from lgcb.planfile.onto import plan_onto
    from lgcb.word.read import ImportFailed, read_body

    read = read_body(source, changes, protect=True)
    with collector_paused():
        prepared = read.prepared
        root = prepared.root
        placed, derived = prepared.where, derived_paragraphs(root)  # the document is not changed again
        wanted = {c.anchor for c in prepared.comments if c.anchor is not None}
        anchors, ids = _anchors(root, placed, derived, wanted)
        sections_shown = _derived_texts(root, placed, derived)
        comments = anchored_comments(prepared.comments, anchors)
        del root, placed, derived, wanted, anchors
    read.release()  # all that is needed of the document's tree is read
    # from here on: the plan, its entries, the edited plan and its files, none with cycles
    with collector_paused():
        reuse: dict[str, Objective] = {}  # the check of the edited plan parses only the files that change
        loaded = load_plan(plan_dir, reuse=reuse, freeze=freeze)
        if loaded.plan is None:
            raise PlanInvalid(loaded.problems)
        before = loaded.plan
        entries = list(before.walk())
        reserved: dict[int, set[str]] = {}
        for located in entries:
            reserved.setdefault(located.objective.number, set()).add(located.id)
        try:
            result = read.result(reserved, files=False)
        except ImportFailed as e:
            if "no 'Operational objective N' heading" in str(e):
                raise NotMadeByLgcb(str(e)) from None
            raise
        if not ids:
            raise NotMadeByLgcb(f"{source}: no entry IDs (such as 3.R1) in the document")
        keyed = [(id_key(located.id), located) for located in entries]
        known = {key for key, _ in keyed}
        conflicts: list[str] = []
        places: dict[str, list[str]] = {}
        for entry_id, where in ids:
            places.setdefault(id_key(entry_id), []).append(where)
        spelled = {id_key(entry_id): entry_id for entry_id, _ in ids}
        highest = _highest(known)
        in_document = {id_key(located.id): located for located in result.plan.walk()}
        dropped = {(located.kind, located.text): located.id for key, located in keyed if key not in in_document}
        for key, where_list in places.items():
            if len(where_list) > 1:
                conflicts.append(f"the ID {spelled[key]} appears {len(where_list)} times: {'; '.join(where_list)}")
            if key in known or key in result.prepared.proposed_ids:
                continue
            prefix, number = _split(key)
            shown = in_document.get(key)
            was = dropped.get((shown.kind, shown.text)) if shown is not None else None
            if was is not None:
                conflicts.append(
                    f"{where_list[0]}: the ID {was} was changed to {spelled[key]} (the entry's text is the same): "
                    f"IDs are lgcb's own, change them in the YAML; not applied"
                )
                continue
            if number > highest.get(prefix, 0):
                continue  # past every ID the plan has used there: an entry the revision adds
            conflicts.append(
                f"{where_list[0]}: the ID {spelled[key]} is not in {plan_dir}, which has used IDs up to "
                f"{prefix.upper()}{highest[prefix]} there: the entry was removed from the plan after this "
                "document was made, or the ID was edited"
            )
        refused = [f"{r.where}: {r.kind} not applied, it edits {reason}" for r, reason in result.prepared.refused]
        kept = {o.number for o in result.plan.objectives}
        for objective in before.objectives:
            if objective.number not in kept and objective.number not in result.prepared.removed_objectives:
                result.findings.append(
                    _finding(
                        f"objective {objective.number} is in {plan_dir} but not in the document: kept as it is "
                        "(a report of some objectives only); to remove it, delete its file"
                    )
                )
        after = edited_plan(before, result)
        refused += _computed_edits(result, after, before, sections_shown)
        onto = plan_onto(plan_dir, after, loaded=loaded, reuse=reuse)
        return Review(result, onto, comments, conflicts, refused)

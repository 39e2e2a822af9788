"""Diff reports: what changed between two plans, entry by entry, as text, Markdown or JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lgcb.model import COLUMN_TITLES
from lgcb.outputs import Pieces
from lgcb.outputs.markdown import code, escape
from lgcb.outputs.terminal import Line, Lines, Segment
from lgcb.results.diff import EntryChange, FieldChange, Place, PlanDiff, WordOp

DELETED = "red strike"
INSERTED = "green bold"
"""Rich styles of deleted and inserted words; in plain text they become ``[-…-]`` and ``{+…+}``."""
MARKS = {DELETED: ("[-", "-]"), INSERTED: ("{+", "+}")}
"""Deleted and inserted words in plain text, as ``git diff --word-diff`` marks them."""


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def summary(diff: PlanDiff) -> str:
    """One line of counts, e.g. "1 entry added, 2 entries modified, 1 plan field changed"."""
    c = diff.counts()
    parts = [
        _plural(c[f"entries_{what}"], f"entry {what}", f"entries {what}")
        for what in ("added", "removed", "modified", "moved", "reordered")
        if c[f"entries_{what}"]
    ]
    parts += [
        _plural(c[f"objectives_{what}"], f"objective {what}", f"objectives {what}")
        for what in ("added", "removed")
        if c[f"objectives_{what}"]
    ]
    if c["objective_fields_changed"]:
        parts.append(_plural(c["objective_fields_changed"], "objective field changed", "objective fields changed"))
    if c["plan_fields_changed"]:
        parts.append(_plural(c["plan_fields_changed"], "plan field changed", "plan fields changed"))
    return ", ".join(parts) if parts else "no changes"


def show_value(value: Any) -> str:
    """A field value as an editor would write it; ``(none)`` for an absent one."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    return str(value)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def kind_name(kind: str) -> str:
    return "group heading" if kind == "group" else kind


def _place(place: Place, other: Place) -> str:
    parts = []
    if place.objective != other.objective:
        parts.append(f"objective {place.objective}")
    if parts or place.column != other.column:
        parts.append(COLUMN_TITLES[place.column])
    parts.append(f"under {place.parent}" if place.parent else "top level")
    return ", ".join(parts)


def movement(change: EntryChange) -> str:
    """ "from under 3.G1 to under 3.G2", or "now 1st of 2 in Outcomes (was 2nd)"; "" if neither."""
    old, new = change.old, change.new
    if old is None or new is None:
        return ""
    if change.moved:
        return f"from {_place(old, new)} to {_place(new, old)}"
    if change.reordered:
        where = f"under {new.parent}" if new.parent else f"in {COLUMN_TITLES[new.column]}"
        return f"now {_ordinal(new.position)} of {new.siblings} {where} (was {_ordinal(old.position)})"
    return ""


def verb(change: EntryChange) -> str:
    """ "Added", "Removed", "Modified", "Moved and modified"…"""
    aspects = change.aspects
    text = (", ".join(aspects[:-1]) + " and " + aspects[-1]) if len(aspects) > 1 else aspects[0]
    return text.capitalize()


def headline(change: EntryChange) -> str:
    """ "Moved and modified activity 3.A5", "Added result 3.R4 under 3.G1"…"""
    text = f"{verb(change)} {kind_name(change.kind)} {change.id}"
    if change.status == "added" and change.new and change.new.parent:
        text += f" under {change.new.parent}"
    return text


_VERB_STYLES = {"added": "bold green", "removed": "bold red", "changed": "bold yellow"}


def _word_segments(words: Iterable[WordOp]) -> list[Segment]:
    segments: list[Segment] = []
    for op in words:
        if segments:
            segments.append((" ", ""))
        style = {"equal": "", "delete": DELETED, "insert": INSERTED}[op.op]
        segments.append((op.text, style))
    return segments


def _field_line(change: FieldChange, indent: int) -> Line:
    segments: list[Segment] = [(f"{change.field}: ", "dim")]
    if change.words is not None:
        segments += _word_segments(change.words)
    else:
        segments += [(show_value(change.old), "red"), (" → ", ""), (show_value(change.new), "green")]
    return Line(segments, indent)


def _entry_lines(change: EntryChange) -> list[Line]:
    detail = movement(change)
    head: list[Segment] = [(headline(change), _VERB_STYLES[change.status])]
    body: list[Line] = []
    if change.status == "added":
        body.append(Line([(change.text, "green")], 6))
    elif change.status == "removed":
        body.append(Line([(change.text, "red")], 6))
    body += [_field_line(f, 6) for f in change.fields]
    if detail:
        head.append((f": {detail}", ""))
    elif body:
        head.append((":", ""))
    return [Line(head, 2), *body]


def text_lines(diff: PlanDiff) -> list[Line]:
    """The diff as styled lines: rich on a terminal, or plain with :func:`plain` in a pipe."""
    if diff.empty:
        return [Line([("No changes.", "")])]
    lines = [Line([(f"Changes from {diff.old_label} to {diff.new_label}", "bold")])]
    if diff.plan:
        lines += [Line(), Line([("Plan (plan.yaml)", "bold")])]
        lines += [_field_line(f, 2) for f in diff.plan]
    for objective in diff.objectives:
        status = f" ({objective.status})" if objective.status != "changed" else ""
        lines += [Line(), Line([(f"Objective {objective.number}{status}: {objective.title}", "bold")])]
        lines += [_field_line(f, 2) for f in objective.fields]
        for change in objective.entries:
            lines += _entry_lines(change)
    lines += [Line(), Line([(f"Summary: {summary(diff)}.", "bold")])]
    return lines


def text(diff: PlanDiff) -> Lines:
    """Coloured on a terminal; in a pipe, plain with ``[-deleted-]{+inserted+}`` words."""
    return Lines(text_lines(diff), MARKS)


def _md_words(words: Iterable[WordOp]) -> str:
    wrap = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return " ".join(wrap[op.op].format(escape(op.text)) for op in words)


def _md_field(change: FieldChange) -> str:
    if change.words is not None:
        return f"`{change.field}`: {_md_words(change.words)}"
    return f"`{change.field}`: {escape(show_value(change.old))} → {escape(show_value(change.new))}"


def _md_entry(change: EntryChange) -> list[str]:
    line = f"- **{verb(change)}** {kind_name(change.kind)} `{change.id}`"
    if change.status == "added" and change.new and change.new.parent:
        line += f" under `{change.new.parent}`"
    detail = movement(change)
    if change.status in ("added", "removed"):
        line += f": {escape(change.text)}"
    elif detail:
        line += f": {escape(detail)}"
    return [line, *(f"  - {_md_field(f)}" for f in change.fields)]


def markdown(diff: PlanDiff) -> str:
    """A pull-request comment: a heading, a summary line, then one section per objective."""
    if diff.empty:
        return "No changes.\n"
    out = [
        f"## Plan changes: {code(diff.old_label)} → {code(diff.new_label)}",
        "",
        f"**Summary:** {summary(diff)}.",
    ]
    if diff.plan:
        out += ["", "### Plan (`plan.yaml`)", "", *(f"- {_md_field(f)}" for f in diff.plan)]
    for objective in diff.objectives:
        status = f" ({objective.status})" if objective.status != "changed" else ""
        out += ["", f"### Objective {objective.number}{status}: {escape(objective.title)}", ""]
        out += [f"- {_md_field(f)}" for f in objective.fields]
        for change in objective.entries:
            out += _md_entry(change)
    return "\n".join(out) + "\n"


JSON_FORMAT = "lgcb-diff/1"


def _json_place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "objective": place.objective,
        "column": place.column,
        "parent": place.parent,
        "position": place.position,
        "siblings": place.siblings,
    }


def _json_field(change: FieldChange) -> dict[str, Any]:
    words = None if change.words is None else [{"op": w.op, "text": w.text} for w in change.words]
    return {"field": change.field, "old": change.old, "new": change.new, "words": words}


def _json_entry(change: EntryChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "kind": change.kind,
        "status": change.status,
        "changes": change.aspects,
        "text": change.text,
        "old": _json_place(change.old),
        "new": _json_place(change.new),
        "fields": [_json_field(f) for f in change.fields],
    }


def to_json(diff: PlanDiff) -> dict[str, Any]:
    """The documented JSON form (docs/diff.md): stable keys, every list in plan order."""
    return {
        "format": JSON_FORMAT,
        "old": diff.old_label,
        "new": diff.new_label,
        "changed": not diff.empty,
        "summary": diff.counts(),
        "plan": [_json_field(f) for f in diff.plan],
        "objectives": [
            {
                "number": o.number,
                "title": o.title,
                "status": o.status,
                "fields": [_json_field(f) for f in o.fields],
                "entries": [_json_entry(e) for e in o.entries],
            }
            for o in diff.objectives
        ],
    }


def json(diff: PlanDiff) -> Pieces:
    """The keys are documented in docs/diff.md."""
    from lgcb.outputs.jsontext import document

    return document(to_json(diff))

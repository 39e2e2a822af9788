"""What changed between two versions of the plan, item by item, in the plan's own terms.

Reviewers of a plan edit need "result 3.R1: text changed, these words" rather than a YAML line
diff.  :func:`diff_plans` matches entries (items and group headings) by ID, ignoring case, and
reports each one as added, removed, or changed — modified (a field differs; text fields come
with a word-level diff), moved (to another objective, column or parent) and/or reordered
(among the same siblings).  Objectives are matched by number; ``plan.yaml`` is compared field by
field.  The result is plain data, rendered here as text lines, Markdown or JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from lgcb.model import COLUMN_TITLES, KINDS, Objective, Plan
from lgcb.outputs.show import Line, Segment

Op = Literal["equal", "delete", "insert"]
Status = Literal["added", "removed", "changed"]

DELETED = "red strike"
INSERTED = "green bold"
"""Rich styles of deleted and inserted words; in plain text they become ``[-…-]`` and ``{+…+}``."""

OBJECTIVE_FIELDS = ("title", "aim", "strategic_plan_objective")
KEYED_LISTS = ("number", "year")
"""A list of mappings that each carry one of these keys, all different, is compared entry by entry."""


@dataclass(frozen=True)
class WordOp:
    """A run of words that is the same on both sides, only in the old text, or only in the new."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; ``words`` is the word diff when both values are text."""

    field: str
    old: Any
    new: Any
    words: tuple[WordOp, ...] | None = None


@dataclass(frozen=True)
class Place:
    """Where an entry sits: objective, column, parent ID (``None`` at the top of the column), position."""

    objective: int
    column: str
    parent: str | None
    position: int
    """1-based, among its siblings."""
    siblings: int

    @property
    def container(self) -> tuple[Any, ...]:
        """What the entry hangs from: its parent's ID, or the top of a column of an objective.

        Children of an entry that moved keep their parent, so they are not reported as moved too.
        """
        return ("parent", self.parent.casefold()) if self.parent else ("top", self.objective, self.column)


@dataclass(frozen=True)
class EntryChange:
    """An item or group heading that was added, removed, or changed in place, parent or order."""

    id: str
    kind: str
    """outcome, indicator, result, activity or group."""
    status: Status
    text: str
    """The entry's text (a group's heading) on the new side, or the old side if it was removed."""
    old: Place | None
    new: Place | None
    fields: tuple[FieldChange, ...] = ()
    moved: bool = False
    reordered: bool = False

    @property
    def aspects(self) -> list[str]:
        """For a changed entry: which of moved, reordered, modified apply, in that order."""
        if self.status != "changed":
            return [self.status]
        return [
            name for name, on in (("moved", self.moved), ("reordered", self.reordered), ("modified", self.fields)) if on
        ]


@dataclass(frozen=True)
class ObjectiveChange:
    number: int
    title: str
    status: Status
    fields: tuple[FieldChange, ...] = ()
    entries: tuple[EntryChange, ...] = ()


@dataclass(frozen=True)
class PlanDiff:
    """Every change from ``old`` to ``new``; empty when the two plans hold the same content."""

    old_label: str
    new_label: str
    plan: tuple[FieldChange, ...] = ()
    objectives: tuple[ObjectiveChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.plan and not self.objectives

    def counts(self) -> dict[str, int]:
        """The numbers the summary line reports (stable keys, also in the JSON output)."""
        entries = [e for o in self.objectives for e in o.entries]
        aspects = Counter(a for e in entries for a in e.aspects)
        status = Counter(o.status for o in self.objectives)
        return {
            "entries_added": aspects["added"],
            "entries_removed": aspects["removed"],
            "entries_modified": aspects["modified"],
            "entries_moved": aspects["moved"],
            "entries_reordered": aspects["reordered"],
            "objectives_added": status["added"],
            "objectives_removed": status["removed"],
            "objective_fields_changed": sum(len(o.fields) for o in self.objectives),
            "plan_fields_changed": len(self.plan),
        }


# --- comparing ------------------------------------------------------------------------------------


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level diff (words are runs of non-spaces, as in ``git diff --word-diff``)."""
    a, b = old.split(), new.split()
    if a == b:
        return (WordOp("equal", new),) if old == new else (WordOp("delete", old), WordOp("insert", new))
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("insert", " ".join(b[j1:j2])))
    return tuple(ops)


def _keyed_by(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return None
    for key in KEYED_LISTS:
        keys = [v.get(key) for v in value]
        if None not in keys and len(set(map(str, keys))) == len(keys):
            return key
    return None


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested fields as dotted names (``baseline.year``, ``targets[2020].value``) → leaf values."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        path = f"{prefix}{name}"
        key = _keyed_by(value)
        if isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        elif key:
            for entry in value:
                rest = {k: v for k, v in entry.items() if k != key}
                out.update(flatten(rest, f"{path}[{entry[key]}]."))
        else:
            out[path] = value
    return out


def _empty(value: Any) -> bool:
    return value is None or value == []


def compare_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Fields that differ, in the new side's order, then fields only the old side has."""
    changes = []
    for name in [*new, *(n for n in old if n not in new)]:
        a, b = old.get(name), new.get(name)
        if a == b or (_empty(a) and _empty(b)):
            continue
        a, b = (None if _empty(a) else a), (None if _empty(b) else b)
        words = word_diff(a, b) if isinstance(a, str) and isinstance(b, str) else None
        changes.append(FieldChange(name, a, b, words))
    return tuple(changes)


@dataclass
class _Entry:
    id: str
    kind: str
    text: str
    fields: dict[str, Any]
    place: Place
    index: int
    """Position in the whole plan's walk order: sorts the changes of an objective like the file."""


def _entries(plan: Plan) -> dict[str, _Entry]:
    walked = list(plan.walk())
    siblings = Counter((x.objective.number, x.column, x.parent.casefold() if x.parent else None) for x in walked)
    entries: dict[str, _Entry] = {}
    for index, x in enumerate(walked):
        container = (x.objective.number, x.column, x.parent.casefold() if x.parent else None)
        place = Place(x.objective.number, x.column, x.parent, x.loc[-1] + 1, siblings[container])
        data = x.entry.model_dump(mode="json", exclude={"items", "id"})
        entries[x.id.casefold()] = _Entry(x.id, x.kind, x.text, flatten(data), place, index)
    return entries


def _longest_common_subsequence(a: list[str], b: list[str]) -> set[str]:
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = lengths[i + 1][j + 1] + 1 if a[i] == b[j] else max(lengths[i + 1][j], lengths[i][j + 1])
    kept, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _reordered(old: dict[str, _Entry], new: dict[str, _Entry]) -> set[str]:
    """Entries that stayed under the same parent but left the longest run kept in the same order."""
    stayed: dict[tuple[Any, ...], list[str]] = {}
    for key, entry in new.items():
        if key in old and old[key].place.container == entry.place.container:
            stayed.setdefault(entry.place.container, []).append(key)
    moved: set[str] = set()
    for keys in stayed.values():
        before = sorted(keys, key=lambda k: old[k].place.position)
        moved |= set(keys) - _longest_common_subsequence(before, keys)
    return moved


def _objective_fields(objective: Objective) -> dict[str, Any]:
    return {name: getattr(objective, name) for name in OBJECTIVE_FIELDS}


def diff_plans(old: Plan, new: Plan, old_label: str = "old", new_label: str = "new") -> PlanDiff:
    """Every change from ``old`` to ``new``: plan fields, objectives, and entries matched by ID."""
    plan_changes = compare_fields(flatten(old.info.model_dump(mode="json")), flatten(new.info.model_dump(mode="json")))
    before, after = _entries(old), _entries(new)
    reordered = _reordered(before, after)
    columns = list(KINDS)
    by_objective: dict[int, list[tuple[tuple[int, ...], EntryChange]]] = {}

    def add(number: int, sort_key: tuple[int, ...], change: EntryChange) -> None:
        by_objective.setdefault(number, []).append((sort_key, change))

    for key, b in after.items():
        a = before.get(key)
        sort_key = (columns.index(b.place.column), b.index, 0, 0)
        if a is None:
            add(b.place.objective, sort_key, EntryChange(b.id, b.kind, "added", b.text, None, b.place))
            continue
        fields = compare_fields(a.fields, b.fields)
        if a.id != b.id:
            fields = (FieldChange("id", a.id, b.id), *fields)
        moved = a.place.container != b.place.container
        if fields or moved or key in reordered:
            change = EntryChange(b.id, b.kind, "changed", b.text, a.place, b.place, fields, moved, key in reordered)
            add(b.place.objective, sort_key, change)

    # A removed entry is listed after the nearest entry before it that kept its objective and column.
    anchor: dict[tuple[int, str], int] = {}
    for key, a in before.items():
        spot = (a.place.objective, a.place.column)
        b = after.get(key)
        if b is None:
            sort_key = (columns.index(a.place.column), anchor.get(spot, -1), 1, a.index)
            add(a.place.objective, sort_key, EntryChange(a.id, a.kind, "removed", a.text, a.place, None))
        elif (b.place.objective, b.place.column) == spot:
            anchor[spot] = b.index

    objectives = []
    for number in sorted({o.number for o in old.objectives} | {o.number for o in new.objectives}):
        was, now = old.objective(number), new.objective(number)
        entries = tuple(change for _, change in sorted(by_objective.get(number, []), key=lambda pair: pair[0]))
        if was is None or now is None:
            status: Status = "added" if was is None else "removed"
            title = (now or was).title  # type: ignore[union-attr]
            objectives.append(ObjectiveChange(number, title, status, (), entries))
            continue
        fields = compare_fields(_objective_fields(was), _objective_fields(now))
        if fields or entries:
            objectives.append(ObjectiveChange(number, now.title, "changed", fields, entries))
    return PlanDiff(old_label, new_label, plan_changes, tuple(objectives))


# --- describing -----------------------------------------------------------------------------------


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


# --- text -----------------------------------------------------------------------------------------

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


def plain(lines: list[Line]) -> str:
    """Lines as plain text, with deleted and inserted words marked as ``git diff --word-diff`` does."""
    out = []
    for line in lines:
        text = "".join(
            f"[-{t}-]" if style == DELETED else f"{{+{t}+}}" if style == INSERTED else t for t, style in line.segments
        )
        out.append(" " * line.indent + text if text else "")
    return "\n".join(out) + "\n"


# --- Markdown -------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_~[]<>|&#"})


def md_escape(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def md_code(text: str) -> str:
    """``text`` as an inline code span (for labels such as revision names and paths)."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _md_words(words: Iterable[WordOp]) -> str:
    wrap = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return " ".join(wrap[op.op].format(md_escape(op.text)) for op in words)


def _md_field(change: FieldChange) -> str:
    if change.words is not None:
        return f"`{change.field}`: {_md_words(change.words)}"
    return f"`{change.field}`: {md_escape(show_value(change.old))} → {md_escape(show_value(change.new))}"


def _md_entry(change: EntryChange) -> list[str]:
    line = f"- **{verb(change)}** {kind_name(change.kind)} `{change.id}`"
    if change.status == "added" and change.new and change.new.parent:
        line += f" under `{change.new.parent}`"
    detail = movement(change)
    if change.status in ("added", "removed"):
        line += f": {md_escape(change.text)}"
    elif detail:
        line += f": {md_escape(detail)}"
    return [line, *(f"  - {_md_field(f)}" for f in change.fields)]


def markdown(diff: PlanDiff) -> str:
    """A pull-request comment: a heading, a summary line, then one section per objective."""
    if diff.empty:
        return "No changes.\n"
    out = [
        f"## Plan changes: {md_code(diff.old_label)} → {md_code(diff.new_label)}",
        "",
        f"**Summary:** {summary(diff)}.",
    ]
    if diff.plan:
        out += ["", "### Plan (`plan.yaml`)", "", *(f"- {_md_field(f)}" for f in diff.plan)]
    for objective in diff.objectives:
        status = f" ({objective.status})" if objective.status != "changed" else ""
        out += ["", f"### Objective {objective.number}{status}: {md_escape(objective.title)}", ""]
        out += [f"- {_md_field(f)}" for f in objective.fields]
        for change in objective.entries:
            out += _md_entry(change)
    return "\n".join(out) + "\n"


# --- JSON -----------------------------------------------------------------------------------------

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


def json_text(diff: PlanDiff) -> str:
    return json.dumps(to_json(diff), indent=2, ensure_ascii=False) + "\n"


FORMATS = ("text", "md", "json")


def render(diff: PlanDiff, fmt: str) -> str:
    """The diff in ``fmt`` (text here is the plain form; the CLI styles it on a terminal)."""
    if fmt == "md":
        return markdown(diff)
    if fmt == "json":
        return json_text(diff)
    return plain(text_lines(diff))

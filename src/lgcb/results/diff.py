"""What changed between two versions of the plan, item by item, in the plan's own terms.

Reviewers of a plan edit need "result 3.R1: text changed, these words" rather than a YAML line
diff.  :func:`diff_plans` matches entries (items and group headings) by ID, ignoring case, and
reports each one as added, removed, or changed — modified (a field differs; text fields come
with a word-level diff), moved (to another objective, column or parent) and/or reordered
(among the same siblings).  Objectives are matched by number; ``plan.yaml`` is compared field by
field.  The result is plain data; :mod:`lgcb.outputs.diff` shows it as text, Markdown or JSON.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from lgcb import ids
from lgcb.model import KINDS, Objective, Plan

Op = Literal["equal", "delete", "insert"]
Status = Literal["added", "removed", "changed"]


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
        return ("parent", ids.key(self.parent)) if self.parent else ("top", self.objective, self.column)


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


def _entries(plan: Plan, unchanged: set[int]) -> dict[str, _Entry]:
    """The entries of the objectives not in ``unchanged``, by ID key."""
    walked = [x for o in plan.objectives if o.number not in unchanged for x in o.walk()]
    siblings = Counter((x.objective.number, x.column, ids.key(x.parent) if x.parent else None) for x in walked)
    entries: dict[str, _Entry] = {}
    for index, x in enumerate(walked):
        container = (x.objective.number, x.column, ids.key(x.parent) if x.parent else None)
        place = Place(x.objective.number, x.column, x.parent, x.loc[-1] + 1, siblings[container])
        data = x.entry.model_dump(mode="json", exclude={"items", "id"})
        entries[ids.key(x.id)] = _Entry(x.id, x.kind, x.text, flatten(data), place, index)
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
    # An objective equal on both sides holds no change: an entry cannot have moved into or out of
    # it (its IDs would then be in two places on one side).  Two versions of a large plan mostly
    # share their objectives (often the very same model, see ``load_plan(reuse=…)``): skip them.
    olds = {o.number: o for o in old.objectives}
    unchanged = {o.number for o in new.objectives if (was := olds.get(o.number)) is not None and (was is o or was == o)}
    before, after = _entries(old, unchanged), _entries(new, unchanged)
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
        later = after.get(key)
        if later is None:
            sort_key = (columns.index(a.place.column), anchor.get(spot, -1), 1, a.index)
            add(a.place.objective, sort_key, EntryChange(a.id, a.kind, "removed", a.text, a.place, None))
        elif (later.place.objective, later.place.column) == spot:
            anchor[spot] = later.index

    objectives = []
    news = {o.number: o for o in new.objectives}
    for number in sorted((olds.keys() | news.keys()) - unchanged):
        was, now = olds.get(number), news.get(number)
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

"""Rules across entries and files: unique numbers and IDs, ID form, file names, nesting, links, Strategic Plan."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from lgcb import ids
from lgcb.model import Activity, Indicator, Located, Objective, PlanInfo
from lgcb.planfile.layout import PLAN_FILE, number_in_name
from lgcb.planfile.read import Document

MAX_NESTING = 4
"""Items may nest this many levels below a top-level item (the source uses one)."""


class _Seen(NamedTuple):
    """Where an ID was first seen (a tuple: one is made for every entry of the plan)."""

    doc: Document
    loc: tuple[Any, ...]


def check_plan(
    info: PlanInfo | None,
    info_doc: Document | None,
    objectives: list[tuple[Objective, Document]],
    *,
    references: bool = True,
) -> ids.Index:
    """Rules that span items and files; each problem is attached to the document it concerns.

    Returns every entry by ID (any case) → (kind, entry), the first of a duplicated ID, for the
    rules that follow (progress files name indicators by ID)."""
    numbers: dict[int, Document] = {}
    seen: dict[str, _Seen] = {}
    kinds_by_id: dict[str, str] = {}
    original: dict[str, str] = {}
    found: dict[str, tuple[str, tuple[str, Any]]] = {}
    linking: list[tuple[Located, Document]] = []
    """Entries with links, in walk order: checked once every ID is known."""
    declared = {s.number for s in info.strategic_plan.objectives} if info else None

    if info and info_doc:
        if info.timeframe.start > info.timeframe.end:
            line, col = info_doc.position(("timeframe", "start"))
            info_doc.problem(
                line,
                col,
                f"plan: the timeframe starts ({info.timeframe.start}) after it ends ({info.timeframe.end})",
                "invalid-value",
            )
        seen_sp: set[str] = set()
        for i, sp in enumerate(info.strategic_plan.objectives):
            if sp.number in seen_sp:
                line, col = info_doc.position(("strategic_plan", "objectives", i, "number"))
                info_doc.problem(
                    line,
                    col,
                    f"plan: Strategic Plan objective {sp.number} is listed twice",
                    "duplicate-strategic-objective",
                )
            seen_sp.add(sp.number)

    for objective, doc in objectives:
        subject = f"objective {objective.number}"
        if objective.number in numbers:
            line, col = doc.position(("number",))
            doc.problem(
                line,
                col,
                f"{subject}: objective number {objective.number} is already used by "
                f"{numbers[objective.number].display}",
                "duplicate-objective",
            )
        else:
            numbers[objective.number] = doc
        in_name = number_in_name(doc.path)
        if in_name != objective.number:
            line, col = doc.position(("number",))
            expected = f"{objective.number:02d}-{re.sub(r'^[0-9]+-?', '', doc.path.stem) or 'objective'}.yaml"
            doc.problem(
                line,
                col,
                f"{subject}: the file name should start with the objective's number, e.g. {expected}",
                "file-name",
            )
        if declared is not None and objective.strategic_plan_objective not in declared:
            line, col = doc.position(("strategic_plan_objective",))
            doc.problem(
                line,
                col,
                f"{subject}: Strategic Plan objective {objective.strategic_plan_objective} "
                f"is not declared in {PLAN_FILE} (declared: {', '.join(sorted(declared))})",
                "unknown-strategic-objective",
            )
        for located in objective.walk():
            entry, kind = located.entry, located.kind
            key = ids.key(entry.id)
            name = "group heading" if kind == "group" else kind
            if key in seen:
                line, col = doc.position((*located.loc, "id"))
                first = seen[key]
                fline, _ = first.doc.position((*first.loc, "id"))
                doc.problem(
                    line,
                    col,
                    f"{name} {located.id}: the ID is already used at {first.doc.display}:{fline}; "
                    "IDs must be unique across the plan",
                    "duplicate-id",
                )
            else:
                seen[key] = _Seen(doc, located.loc)
                kinds_by_id[key] = kind
                original[key] = entry.id
                found[key] = (entry.id, (kind, entry))
            if not ids.has_form(entry.id, kind):
                letter = ids.ID_LETTERS[located.kind]
                line, col = doc.position((*located.loc, "id"))
                doc.problem(
                    line,
                    col,
                    f"{name} {located.id}: {name} IDs have the form "
                    f"<objective>.{letter}<n>, e.g. {ids.example(located.kind, objective.number)}",
                    "id-format",
                )
            if located.depth > MAX_NESTING:
                line, col = doc.position(located.loc)
                doc.problem(
                    line, col, f"{name} {located.id}: items nest more than {MAX_NESTING} levels deep", "nesting-depth"
                )
            if located.kind == "group" and located.depth > 0:
                line, col = doc.position(located.loc)
                doc.problem(line, col, f"group heading {located.id}: group headings cannot be nested", "nesting-depth")
            if (isinstance(entry, Indicator) and entry.measures) or (isinstance(entry, Activity) and entry.serves):
                linking.append((located, doc))

    if not references:
        return ids.Index.keyed(found)
    # References are checked once every ID is known, so forward references across files work.
    all_ids = {k: kinds_by_id[k] for k in seen}
    suggestions: dict[str, ids.Suggestions] = {}
    for located, doc in linking:
        entry = located.entry
        refs: list[tuple[str, list[str], str]] = []
        if isinstance(entry, Indicator):
            refs.append(("measures", entry.measures, "outcome"))
        if isinstance(entry, Activity):
            refs.append(("serves", entry.serves, "result"))
        for field_name, targets, want in refs:
            for i, target in enumerate(targets):
                named = all_ids.get(ids.key(target))
                if named == want:
                    continue
                if doc.full:
                    doc.more += 1  # beyond the problems listed: counted, not looked up
                    continue
                line, col = doc.position((*located.loc, field_name, i))
                if named is None:
                    if want not in suggestions:
                        suggestions[want] = ids.Suggestions(original[k] for k in seen if all_ids[k] == want)
                    close = suggestions[want](target)
                    hint = f"; did you mean {close}?" if close else ""
                    message = (
                        f"{located.kind} {located.id}: `{field_name}` names {target}, which is not "
                        f"an ID in the plan{hint}"
                    )
                else:
                    message = (
                        f"{located.kind} {located.id}: `{field_name}` must name {want}s, but "
                        f"{target} is {'a group heading' if named == 'group' else 'an ' + named}"
                    )
                doc.problem(line, col, message, "unknown-reference")
    return ids.Index.keyed(found)

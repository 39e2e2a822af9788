"""``lgcb list``, ``show`` and ``search``: the plan, an objective, an entry or matches, as text, JSON or YAML.

Text views are :class:`~lgcb.outputs.terminal.Lines` (rich on a terminal, plain in a pipe); JSON and
YAML give the entries' fields as the plan files hold them, plus where each entry sits.
"""

from __future__ import annotations

from typing import Any

from lgcb.model import COLUMN_TITLES, KINDS, Group, Located, Objective, Plan
from lgcb.outputs import Pieces
from lgcb.outputs.terminal import Line, Lines, Segment, Table
from lgcb.results.query import Match, counts


def _heading(objective: Objective) -> str:
    return f"Operational objective {objective.number}"


def strategic_label(plan: Plan, objective: Objective) -> str:
    sp = plan.strategic_objective(objective.strategic_plan_objective)
    return f"{objective.strategic_plan_objective} {sp.title}" if sp else objective.strategic_plan_objective


def _item_line(located: Located, indent: int) -> Line:
    entry = located.entry
    if isinstance(entry, Group):
        return Line([(entry.group, "bold italic"), (f"  [{entry.id}]", "dim")], indent)
    segments: list[Segment] = [(f"{entry.id:<8}", "cyan"), (" ", "")]
    number = located.number
    if number:
        segments.append((f"{number} ", "bold"))
    segments.append((entry.text, ""))
    return Line(segments, indent, label=2)


def _extras(located: Located, indent: int) -> list[Line]:
    """Our own fields of an item (links, monitoring), each on its own dim line."""
    lines = []
    for name, values in (("serves", located.serves), ("measures", located.measures)):
        if values:
            lines.append(Line([(f"{name}: {', '.join(values)}", "dim")], indent))
    indicator = located.indicator
    fields = [("measure", indicator.measure), ("unit", indicator.unit)] if indicator else []
    fields += [("means of verification", indicator.means_of_verification)] if indicator else []
    fields += [("note", located.note)]
    for label, value in fields:
        if value:
            lines.append(Line([(f"{label}: {value}", "dim")], indent))
    if indicator and indicator.baseline:
        lines.append(Line([(f"baseline: {indicator.baseline.value} ({indicator.baseline.year})", "dim")], indent))
    for target in indicator.targets if indicator else []:
        lines.append(Line([(f"target: {target.value} by {target.year}", "dim")], indent))
    return lines


def objective_view(plan: Plan, objective: Objective) -> list[Line]:
    lines = [
        Line([(_heading(objective), "bold"), (" — ", ""), (objective.title, "bold")]),
        Line([(objective.aim, "italic")]),
        Line([("Strategic Plan: ", "dim"), (strategic_label(plan, objective), "")]),
    ]
    for key in KINDS:
        lines.append(Line())
        lines.append(Line([(COLUMN_TITLES[key], "bold underline")]))
        for located in objective.walk():
            if located.column != key:
                continue
            lines.append(_item_line(located, 2 + 4 * located.depth))
            lines.extend(_extras(located, 2 + 4 * located.depth + 9))
        if not objective.column(key):
            lines.append(Line([("(none)", "dim")], 2))
    return lines


def item_view(plan: Plan, located: Located) -> list[Line]:
    objective = located.objective
    kind = "group heading" if located.kind == "group" else located.kind
    lines = [
        Line([(located.id, "bold cyan"), (f" · {kind} · ", "dim"), (f"{_heading(objective)}: {objective.title}", "")]),
    ]
    if located.parent:
        lines.append(Line([(f"under {located.parent}", "dim")]))
    for other in objective.walk():
        if other.id == located.id or _is_below(other, located):
            lines.append(_item_line(other, 2 + 4 * (other.depth - located.depth)))
            lines.extend(_extras(other, 2 + 4 * (other.depth - located.depth) + 9))
    return lines


def _is_below(other: Located, ancestor: Located) -> bool:
    prefix = ancestor.loc
    return len(other.loc) > len(prefix) and other.loc[: len(prefix)] == prefix


def list_view(plan: Plan) -> list[list[str]]:
    """Rows for the objectives table: number, title, Strategic Plan objective and item counts."""
    rows = []
    for objective in plan.objectives:
        c = counts(objective)
        rows.append(
            [str(objective.number), objective.title, strategic_label(plan, objective), *(str(c[k]) for k in KINDS)]
        )
    return rows


LIST_HEADERS = ["No.", "Title", "Strategic Plan", "Outcomes", "Indicators", "Results", "Activities"]


def search_view(matches: list[Match]) -> list[Line]:
    lines = []
    for match in matches:
        text = match.located.text
        segments: list[Segment] = [(f"{match.located.id:<8}", "cyan"), (f" {match.located.kind:<9} ", "dim")]
        position = 0
        for start, end in match.spans:
            segments.append((text[position:start], ""))
            segments.append((text[start:end], "bold reverse"))
            position = end
        segments.append((text[position:], ""))
        lines.append(Line(segments, label=2))
    return lines


def _json(data: object) -> Pieces:
    from lgcb.outputs.jsontext import document

    return document(data)


def _yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def list_text(plan: Plan) -> Table:
    return Table(LIST_HEADERS, list_view(plan), numeric={0, 3, 4, 5, 6})


def list_json(plan: Plan) -> Pieces:
    """``[{"number", "title", "strategic_plan_objective", "counts": {column: n}}]``."""
    return _json(
        [
            {
                "number": o.number,
                "title": o.title,
                "strategic_plan_objective": o.strategic_plan_objective,
                "counts": counts(o),
            }
            for o in plan.objectives
        ]
    )


def _shown_data(target: Objective | Located) -> dict[str, Any]:
    if isinstance(target, Objective):
        return target.model_dump(mode="json", exclude_defaults=True)
    return {
        "objective": target.objective.number,
        "column": target.column,
        "kind": target.kind,
        "parent": target.parent,
        **target.entry.model_dump(mode="json", exclude_defaults=True),
    }


def show_text(target: Objective | Located, *, plan: Plan) -> Lines:
    return Lines(objective_view(plan, target) if isinstance(target, Objective) else item_view(plan, target))


def show_json(target: Objective | Located, *, plan: Plan) -> Pieces:
    """An objective's fields as its file holds them; an entry's, with its objective, column, kind and parent."""
    return _json(_shown_data(target))


def show_yaml(target: Objective | Located, *, plan: Plan) -> str:
    return _yaml(_shown_data(target))


def search_text(matches: list[Match]) -> Lines:
    return Lines(search_view(matches))


def search_json(matches: list[Match]) -> Pieces:
    """``[{"id", "kind", "objective", "text", "spans": [[start, end]]}]``; spans index ``text``."""
    return _json(
        [
            {
                "id": m.located.id,
                "kind": m.located.kind,
                "objective": m.located.objective.number,
                "text": m.located.text,
                "spans": [list(s) for s in m.spans],
            }
            for m in matches
        ]
    )

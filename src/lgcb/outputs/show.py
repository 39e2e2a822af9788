"""Terminal views of a plan: styled lines that print as rich text on a terminal and plain text in a pipe.

A view is a list of :class:`Line`; each line is indented segments of ``(text, style)``.  Keeping
views as data lets the CLI print them either way and lets tests assert exact output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lgcb.model import COLUMN_TITLES, KINDS, Group, Located, Objective, Plan
from lgcb.results.query import Match, counts

Segment = tuple[str, str]


@dataclass
class Line:
    segments: list[Segment] = field(default_factory=list)
    indent: int = 0
    label: int = 0
    """How many leading segments form a label column (an ID): wrapped text then hangs beside it."""

    def plain(self) -> str:
        return " " * self.indent + "".join(text for text, _ in self.segments)


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
    number = getattr(entry, "number", None)
    if number:
        segments.append((f"{number} ", "bold"))
    segments.append((entry.text, ""))
    return Line(segments, indent, label=2)


def _extras(entry: Any, indent: int) -> list[Line]:
    """Our own fields of an item (links, monitoring), each on its own dim line."""
    lines = []
    for name in ("serves", "measures"):
        values = getattr(entry, name, None)
        if values:
            lines.append(Line([(f"{name}: {', '.join(values)}", "dim")], indent))
    for name in ("measure", "unit", "means_of_verification", "note"):
        value = getattr(entry, name, None)
        if value:
            lines.append(Line([(f"{name.replace('_', ' ')}: {value}", "dim")], indent))
    baseline = getattr(entry, "baseline", None)
    if baseline:
        lines.append(Line([(f"baseline: {baseline.value} ({baseline.year})", "dim")], indent))
    for target in getattr(entry, "targets", []) or []:
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
            lines.extend(_extras(located.entry, 2 + 4 * located.depth + 9))
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
            lines.extend(_extras(other.entry, 2 + 4 * (other.depth - located.depth) + 9))
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

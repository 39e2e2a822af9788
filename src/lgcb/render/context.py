"""The data every template sees: plain dicts and lists built from the plan, documented here.

Templates get data, not models, so that what they can reach is exactly what is listed below.

Context
-------
``plan``
    ``title``, ``subtitle`` (or None), ``source`` (``document``, ``annex``, ``meeting``, ``place``,
    ``dates``, ``paragraphs``), ``timeframe`` (``start``, ``end``), ``strategic_plan``
    (``title``, ``objectives``: list of ``number``, ``title``).
``objectives``
    The objectives rendered (all, or those chosen with ``--objective``), each with ``number``,
    ``heading`` ("Operational objective 3"), ``title``, ``aim``, ``anchor`` ("objective-3"),
    ``strategic_plan`` (``number``, ``title`` or None) and ``columns``: four dicts with ``key``
    (outcomes, indicators, results, activities), ``title`` ("Results/Outputs") and ``entries``.
``entries`` (recursive)
    Each entry has ``id``, ``kind`` (outcome, indicator, result, activity, or group for a group
    heading), ``is_group``, ``text`` (the source's words; a group's heading), ``number`` (the
    source's result number, or None), ``depth`` (0 at the top), ``items`` (nested entries),
    ``serves``/``measures`` (link IDs), ``note`` (our editorial note, or None), ``monitoring``
    (dict of our monitoring fields, or None).  Entries are dicts: templates must write
    ``entry["items"]``, since ``entry.items`` is the dict's method.
``columns``
    The four column titles in source order: Outcomes, Indicators, Results/Outputs, Activities.
``generator``
    "lgcb <version>".
"""

from __future__ import annotations

from typing import Any

from lgcb import __version__
from lgcb.model import COLUMN_TITLES, KINDS, Group, Objective, Plan

_MONITORING = ("measure", "unit", "baseline", "targets", "means_of_verification")


def _entry(entry: Any, kind: str, depth: int) -> dict[str, Any]:
    if isinstance(entry, Group):
        return {
            "id": entry.id,
            "kind": "group",
            "is_group": True,
            "text": entry.group,
            "number": None,
            "depth": depth,
            "items": [_entry(i, kind, depth + 1) for i in entry.items],
            "serves": [],
            "measures": [],
            "monitoring": None,
            "note": None,
        }
    monitoring = None
    if kind == "indicator":
        values = {name: getattr(entry, name) for name in _MONITORING}
        if any(v not in (None, []) for v in values.values()):
            monitoring = {
                "measure": entry.measure,
                "unit": entry.unit,
                "baseline": entry.baseline.model_dump() if entry.baseline else None,
                "targets": [t.model_dump() for t in entry.targets],
                "means_of_verification": entry.means_of_verification,
            }
    return {
        "id": entry.id,
        "kind": kind,
        "is_group": False,
        "text": entry.text,
        "number": getattr(entry, "number", None),
        "depth": depth,
        "items": [_entry(i, kind, depth + 1) for i in entry.items],
        "serves": list(getattr(entry, "serves", [])),
        "measures": list(getattr(entry, "measures", [])),
        "monitoring": monitoring,
        "note": entry.note,
    }


def objective_context(plan: Plan, objective: Objective) -> dict[str, Any]:
    sp = plan.strategic_objective(objective.strategic_plan_objective)
    return {
        "number": objective.number,
        "heading": f"Operational objective {objective.number}",
        "title": objective.title,
        "aim": objective.aim,
        "anchor": f"objective-{objective.number}",
        "strategic_plan": {"number": objective.strategic_plan_objective, "title": sp.title if sp else None},
        "columns": [
            {
                "key": key,
                "title": COLUMN_TITLES[key],
                "entries": [_entry(e, KINDS[key], 0) for e in objective.column(key)],
            }
            for key in KINDS
        ],
    }


def build_context(plan: Plan, objectives: tuple[int, ...] = ()) -> dict[str, Any]:
    chosen = [o for o in plan.objectives if not objectives or o.number in objectives]
    return {
        "plan": plan.info.model_dump(mode="json"),
        "objectives": [objective_context(plan, o) for o in chosen],
        "columns": list(COLUMN_TITLES.values()),
        "generator": f"lgcb {__version__}",
    }

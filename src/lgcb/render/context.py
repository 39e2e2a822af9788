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
``progress`` (in each objective)
    One dict per indicator of the objective (nested ones included), in source order, from
    :func:`lgcb.outputs.progress.indicator_dict`: ``id``, ``text``, ``measure``, ``unit``,
    ``means_of_verification``, ``has_data`` (any baseline, target or observation),
    ``baseline`` (``value``, ``year``, ``source``, or None), ``targets`` (list of ``year``,
    ``value``), ``observations`` (list of ``period`` such as "2015" or "2014-2015", ``start``,
    ``end``, ``value``, ``source``, ``note``; oldest first), ``latest`` (the last observation,
    or None), ``target`` (the target compared with, or None), ``expected`` (value on the
    baseline-to-target path in the latest observation's year, or None), ``percent`` (of the way
    from baseline to target, or None), ``status`` (achieved, on track, off track, not assessed,
    no data), ``reason`` (the status in words), ``display`` (``baseline``, ``latest``,
    ``target``, ``percent``: the same values formatted as text, "—" when absent) and ``svg``
    (an accessible inline SVG chart, "" when there is nothing numeric to draw; produced by
    lgcb with every plan text escaped, so an HTML template may mark it ``|safe``; drawn for the
    HTML and PDF reports only, "" in Markdown and Word reports, which cannot show it).
``progress_summary`` (in each objective)
    ``indicators`` (count) and the count of each status, e.g. ``progress_summary["on track"]``.
``has_progress`` (in each objective, and at the top level)
    Whether any baseline, target or observation is recorded (in the objective; in the
    objectives rendered).  Without it, templates should say that none is recorded.
``progress_notice``
    "ILLUSTRATIVE DATA — not recorded by the Liaison Group" for an example plan (``illustrative:
    true`` in plan.yaml), else None: show it wherever monitoring data is shown.
``progress_message``
    The plain statement that no baselines, targets or observations are recorded, or None.
``ids``
    Whether to show lgcb's IDs (``lgcb render --ids``, the default) or leave them out
    (``--no-ids``: a publication showing only the source's numbers, "1.1"). Without IDs, the
    templates also leave out the links between entries (``serves``, ``measures``), which are IDs,
    and the charts' titles name no ID.
``columns``
    The four column titles in source order: Outcomes, Indicators, Results/Outputs, Activities.
``generator``
    "lgcb <version>": for the file's metadata (HTML ``<meta name="generator">``, Word's
    application property), not for the published text.
"""

from __future__ import annotations

from typing import Any

from lgcb import __version__
from lgcb.model import COLUMN_TITLES, KINDS, Activity, Group, Indicator, Objective, Plan, Result


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
    if kind == "indicator" and (
        entry.measure is not None
        or entry.unit is not None
        or entry.baseline is not None
        or entry.targets
        or entry.means_of_verification is not None
    ):
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
        "number": entry.number if isinstance(entry, Result) else None,
        "depth": depth,
        "items": [_entry(i, kind, depth + 1) for i in entry.items],
        "serves": list(entry.serves) if isinstance(entry, Activity) else [],
        "measures": list(entry.measures) if isinstance(entry, Indicator) else [],
        "monitoring": monitoring,
        "note": entry.note,
    }


def _progress_entry(p: Any, index: int, ids: bool, charts: bool) -> dict[str, Any]:
    from lgcb.outputs.progress import display, indicator_dict, progress_svg

    ident = None if ids else f"lgcb-progress-{p.objective}-{index}"
    svg = progress_svg(p, ident=ident, show_id=ids) if charts and p.has_data else ""
    return {**indicator_dict(p), "display": display(p), "svg": svg}


def objective_context(plan: Plan, objective: Objective, ids: bool = True, charts: bool = True) -> dict[str, Any]:
    from lgcb.results.progress import objective_progress

    sp = plan.strategic_objective(objective.strategic_plan_objective)
    progress = objective_progress(plan, objective)
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
        "progress": [_progress_entry(p, i, ids, charts) for i, p in enumerate(progress.indicators, start=1)],
        "progress_summary": progress.summary,
        "has_progress": any(p.has_data for p in progress.indicators),
    }


def build_context(
    plan: Plan, objectives: tuple[int, ...] = (), *, ids: bool = True, charts: bool = True
) -> dict[str, Any]:
    """The context above; ``charts`` False leaves ``svg`` empty, for a format that cannot show it."""
    from lgcb.model import ILLUSTRATIVE_NOTICE
    from lgcb.results.progress import plan_progress

    chosen = [o for o in plan.objectives if not objectives or o.number in objectives]
    contexts = [objective_context(plan, o, ids, charts) for o in chosen]
    has_progress = any(c["has_progress"] for c in contexts)
    return {
        "plan": plan.info.model_dump(mode="json"),
        "objectives": contexts,
        "has_progress": has_progress,
        "progress_notice": ILLUSTRATIVE_NOTICE if plan.info.illustrative else None,
        "progress_message": None if has_progress else plan_progress(plan, objectives).message,
        "columns": list(COLUMN_TITLES.values()),
        "ids": ids,
        "generator": f"lgcb {__version__}",
    }

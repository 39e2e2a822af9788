"""JSON Schemas of the plan files, generated from the pydantic models, for editors and other tools.

The models are the single source of truth: the schemas are derived from ``PlanInfo`` and
``Objective`` and only decorated here (``$id``, titles, and a description for every field), so an
editor reading the ``# yaml-language-server: $schema=...`` line of a plan file can complete field
names and explain them while the user types.  The schemas check what one file can check (types,
required and unknown fields, patterns); rules that span files (unique IDs, references, the
objective's number in the file name) stay with ``lgcb validate``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

DIALECT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the dialect the YAML language server (VS Code's YAML extension and others) supports; for
a 2020-12 schema it shows "Draft 2020-12 schemas are not yet fully supported" on every file.  The
schemas use nothing that differs between draft 7 and 2020-12, and the tests check them with both."""

KINDS: dict[str, tuple[str, str, str, str]] = {
    "plan": (
        "plan.schema.json",
        "urn:lgcb:schema:plan",
        "lgcb plan file (plan/plan.yaml)",
        "The plan as a whole: its title, source, timeframe and the Strategic Plan it is aligned with. "
        "The objectives are in objectives/, one file each.",
    ),
    "objective": (
        "objective.schema.json",
        "urn:lgcb:schema:objective",
        "lgcb objective file (plan/objectives/NN-slug.yaml)",
        "One operational objective of the plan: a row of the annex with its four columns "
        "(outcomes, indicators, results, activities).",
    ),
}
"""Schema kind → (file name, ``$id``, title, description)."""

_SOURCE_WORDS = " These are the source's words, verbatim: do not edit them to improve them."

FIELD_HELP: dict[str, dict[str, str]] = {
    "PlanInfo": {
        "title": "The plan's title, as in the annex heading." + _SOURCE_WORDS,
        "subtitle": "The line under the title in the annex heading." + _SOURCE_WORDS,
        "source": "Where the plan's text comes from: document, annex, meeting, place, dates.",
        "timeframe": "The years the plan covers (start and end).",
        "strategic_plan": "The Strategic Plan whose operational objectives this plan's objectives serve.",
    },
    "Source": {
        "document": "The document the plan is annexed to.",
        "annex": 'The annex that holds the plan, e.g. "Annex I".',
        "meeting": "The meeting that adopted the report.",
        "place": "Where the meeting was held.",
        "dates": 'When the meeting was held, e.g. "15–16 March 2012".',
        "paragraphs": "The report's paragraphs about the plan.",
    },
    "Timeframe": {"start": "First year of the plan, e.g. 2011.", "end": "Last year of the plan, e.g. 2020."},
    "StrategicPlan": {
        "title": "The Strategic Plan's title.",
        "objectives": "Its operational objectives, each with a number and a title.",
    },
    "StrategicObjective": {
        "number": 'The Strategic Plan objective\'s number, in quotes, e.g. "2.3".',
        "title": "The Strategic Plan objective's title.",
    },
    "Objective": {
        "number": "The operational objective's number in the annex (1, 2, ...); the file name starts with it.",
        "title": "The objective's title." + _SOURCE_WORDS,
        "aim": 'The objective\'s aim ("To ...").' + _SOURCE_WORDS,
        "outcomes": "The Outcomes column: items (id + text) or group headings (id + group + items).",
        "indicators": "The Indicators column: items (id + text) or group headings (id + group + items).",
        "results": "The Results/Outputs column: items (id + number + text) or group headings.",
        "activities": "The Activities column: items (id + text) or group headings (id + group + items).",
    },
    "Item": {
        "id": "The item's ID, unique in the plan: <objective>.<letter><n>, e.g. 3.A12; nested: 1.A1.2.",
        "text": "The item's text." + _SOURCE_WORDS,
        "items": "Entries nested under this one (the source's sub-items), of the same kind.",
        "measure": "What kind of measure the indicator is.",
        "unit": 'What the indicator counts, e.g. "Parties" or "laboratories".',
        "baseline": "Where the indicator started: value and year (and optionally the source).",
        "targets": "What the indicator should reach, one entry (year and value) per target year.",
        "means_of_verification": "Where the indicator's values come from (reports, databases, surveys).",
    },
    "Group": {
        "id": "The heading's ID, unique in the plan: <objective>.G<n>, e.g. 3.G1.",
        "group": "The heading's text." + _SOURCE_WORDS,
        "items": "The items under this heading.",
    },
    "Baseline": {
        "value": "The indicator's value in the baseline year (a number, or text for a qualitative measure).",
        "year": "The year of the baseline value.",
        "source": "Where the baseline value comes from.",
    },
    "Target": {
        "year": "The year by which the target should be reached.",
        "value": "The value to reach (a number, or text for a qualitative measure).",
    },
}
"""Model name → field → help shown by editors (the pydantic description wins where there is one)."""

_ITEMS = ("Outcome", "Indicator", "Result", "Activity")
_GROUPS = ("OutcomeGroup", "IndicatorGroup", "ResultGroup", "ActivityGroup")


def _help_for(model: str) -> dict[str, str]:
    if model in _ITEMS:
        return FIELD_HELP["Item"]
    if model in _GROUPS:
        return FIELD_HELP["Group"]
    return FIELD_HELP.get(model, {})


def _decorate(node: dict[str, Any], model: str) -> None:
    """Add a description to every field of one model's schema that lacks one."""
    help_texts = _help_for(model)
    for name, prop in node.get("properties", {}).items():
        if "description" not in prop and name in help_texts:
            prop["description"] = help_texts[name]
    if model in _ITEMS and "description" not in node:
        node["description"] = f"An item of the {model} column: its ID, the source's text, and our own fields."
    if model in _GROUPS and "description" not in node:
        node["description"] = "A heading inside a column (the source's own grouping) with the items under it."


def _generate(model: Any, kind: str) -> dict[str, Any]:
    raw = model.model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs", {})
    _decorate(raw, model.__name__)
    for name, node in definitions.items():
        _decorate(node, name)
    _name, schema_id, title, description = KINDS[kind]
    raw.pop("title", None)
    raw["description"] = description
    schema: dict[str, Any] = {"$schema": DIALECT, "$id": schema_id, "title": title, **raw}
    if definitions:
        schema["definitions"] = dict(sorted(definitions.items()))
    return schema


def plan_schema() -> dict[str, Any]:
    """The schema of ``plan.yaml``."""
    from lgcb.model import PlanInfo

    return _generate(PlanInfo, "plan")


def objective_schema() -> dict[str, Any]:
    """The schema of one file in ``objectives/``."""
    from lgcb.model import Objective

    return _generate(Objective, "objective")


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {"plan": plan_schema, "objective": objective_schema}


def schema_text(kind: str) -> str:
    """The schema as committed: indented JSON, non-ASCII kept, one trailing newline."""
    return json.dumps(GENERATORS[kind](), indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write both schemas into ``directory`` (created if needed), atomically; returns the files written."""
    from lgcb.fileio import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (file_name, *_rest) in KINDS.items():
        path = directory / file_name
        write_atomic(path, schema_text(kind).encode("utf-8"))
        written.append(path)
    return written

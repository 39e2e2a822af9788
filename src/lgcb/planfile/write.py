"""Writing a :class:`~lgcb.model.Plan` as plan files, in the one canonical layout.

The inverse of :func:`lgcb.checks.load.load_plan`: loading what :func:`write_plan` wrote gives back
an equal plan, monitoring data (``progress/``) included.  The layout is the one ``lgcb fmt`` makes,
so that ``fmt(write(plan)) == write(plan)``: keys in the order the models declare their fields
(an entry's ``id`` and a result's ``number`` first, nested ``items`` last), defaults left out,
block style with list dashes indented under their key, quotes only where YAML needs them, text
with a line break in double quotes (where the break is escaped and reads back as written), no
line folding, a blank line before each top-level section.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, RootModel

from lgcb.model import Objective, Observation, Plan, PlanInfo, ProgressFile
from lgcb.planfile.layout import (
    OBJECTIVES_DIR,
    PLAN_FILE,
    PROGRESS_DIR,
    objective_file_name,
    progress_file_name,
)

FIRST = ("id", "number")
"""Keys written before the others, in this order, when a mapping has them."""
LAST = ("items",)
"""Keys written after the others: nested entries follow the entry they belong to."""

SECTIONS = ("source", "timeframe", "strategic_plan", "document", "outcomes", "indicators", "results", "activities")
"""Top-level keys preceded by a blank line, as in the shipped files."""

BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
"""Line breaks of every kind YAML knows: text holding one is written in double quotes."""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model class an annotation can hold (through lists, unions and ``Annotated``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found += [m for m in _models_in(arg) if m not in found]
    return found


@cache
def fields_of(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], ...]]:
    """Field name → the models its value (or its list's entries) may be, in declared order."""
    return {name: tuple(_models_in(info.annotation)) for name, info in model.model_fields.items()}


def choose(candidates: tuple[type[BaseModel], ...], value: Any) -> type[BaseModel] | None:
    """Item or group heading: the same choice the model's discriminator makes."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    wanted = isinstance(value, dict) and "group" in value
    return next((c for c in candidates if ("group" in c.model_fields) == wanted), candidates[0])


@cache
def key_rank(model: type[BaseModel]) -> dict[str, int]:
    """The canonical position of each field of ``model``: the one key order of every plan file."""
    names = list(fields_of(model))
    ordered = [k for k in FIRST if k in names]
    ordered += [k for k in names if k not in FIRST and k not in LAST]
    ordered += [k for k in LAST if k in names]
    return {name: i for i, name in enumerate(ordered)}


def ordered(value: Any, candidates: tuple[type[BaseModel], ...]) -> Any:
    """Plain data with every mapping's keys in canonical order for the model it holds."""
    if isinstance(value, list):
        return [ordered(v, candidates) for v in value]
    if not isinstance(value, dict):
        return value
    model = choose(candidates, value)
    if model is None:
        return {k: ordered(v, candidates) for k, v in value.items()}
    if issubclass(model, RootModel):  # a progress file: indicator ID → observations
        inner = fields_of(model)["root"]
        return {k: ordered(v, inner) for k, v in value.items()}
    rank, fields = key_rank(model), fields_of(model)
    keys = sorted(value, key=lambda k: rank.get(k, len(rank)))
    return {k: ordered(value[k], fields.get(k, ())) for k in keys}


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, no line wrapping."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def to_yaml(data: Any, model: type[BaseModel]) -> str:
    """YAML text for one plan file's data (plain dicts and lists) in the canonical layout.

    PyYAML writes the data and ``lgcb fmt``'s formatter lays it out, so that what lgcb writes is by
    construction what ``lgcb fmt`` makes (the two emitters differ in corners such as escapes).
    """
    from lgcb.planfile.fmt import format_text

    text = yaml.dump(
        ordered(data, (model,)),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    if isinstance(data, dict) and model is not ProgressFile:
        text = re.sub(rf"(?m)^(?=(?:{'|'.join(SECTIONS)}):)", "\n", text)
    return format_text(text, model, data)


def model_text(value: BaseModel) -> str:
    """The file text of a plan file's model: ``PlanInfo``, ``Objective`` or ``ProgressFile``."""
    return to_yaml(value.model_dump(mode="python", exclude_defaults=True), type(value))


def objective_yaml(objective: Objective) -> str:
    return model_text(objective)


def info_yaml(info: PlanInfo) -> str:
    return model_text(info)


def progress_by_year(progress: Mapping[str, list[Observation]]) -> dict[int, ProgressFile]:
    """Observations filed as ``progress/<year>.yaml`` by the last year of their period."""
    years: dict[int, dict[str, list[Observation]]] = {}
    for indicator, observations in progress.items():
        for observation in observations:
            years.setdefault(observation.end, {}).setdefault(indicator, []).append(observation)
    return {year: ProgressFile(years[year]) for year in sorted(years)}


def plan_texts(plan: Plan, names: Mapping[int, str] | None = None) -> dict[str, str]:
    """Path relative to the plan directory → file text, for every file of ``plan``.

    ``names`` maps objective numbers to file names to keep (e.g. the ones a plan was read from);
    others get :func:`~lgcb.planfile.layout.objective_file_name`.
    """
    files = {PLAN_FILE: info_yaml(plan.info)}
    width = max([2, *(len(str(o.number)) for o in plan.objectives)])
    for objective in plan.objectives:
        name = (names or {}).get(objective.number) or objective_file_name(objective.number, objective.title, width)
        files[f"{OBJECTIVES_DIR}/{name}"] = objective_yaml(objective)
    for year, progress in progress_by_year(plan.progress).items():
        files[f"{PROGRESS_DIR}/{progress_file_name(year)}"] = model_text(progress)
    return files


def write_plan(plan: Plan, directory: Path, names: Mapping[int, str] | None = None) -> Path:
    """Write every file of ``plan`` under ``directory``, all or none; returns ``directory``."""
    from lgcb.fileio import write_all

    write_all({directory / rel: text.encode("utf-8") for rel, text in plan_texts(plan, names).items()})
    return directory

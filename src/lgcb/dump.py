"""Writing a :class:`~lgcb.model.Plan` back to a plan directory, laid out like the shipped files.

The inverse of :func:`lgcb.validate.load_plan`: ``load_plan(dump_plan(plan, d))`` gives back an
equal plan.  Keys come in the order an editor expects (``id``, ``number``, ``text`` … ``items``
last), defaults are left out, long texts stay on one line, and sequences are indented under their
key, as in ``plan/``.  Used to write synthetic plans, and by commands that rewrite plan files.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from lgcb.load import OBJECTIVES_DIR, PLAN_FILE
from lgcb.model import Objective, Plan, PlanInfo

KEY_ORDER = (
    # plan.yaml and objectives
    "number",
    "title",
    "subtitle",
    "aim",
    "strategic_plan_objective",
    "source",
    "timeframe",
    "strategic_plan",
    "outcomes",
    "indicators",
    "results",
    "activities",
    # entries
    "id",
    "group",
    "text",
    "note",
    "measures",
    "serves",
    "measure",
    "unit",
    "baseline",
    "targets",
    "means_of_verification",
    "items",
)
"""Where a key goes in a mapping; keys not listed keep their model order after these."""

_RANK = {key: i for i, key in enumerate(KEY_ORDER)}
_ENTRY_RANK = {"id": -3, "number": -2}
"""In an entry, ``id`` and a result's ``number`` come first (``number: 3`` heads an objective)."""

_COLUMNS = ("source", "timeframe", "strategic_plan", "outcomes", "indicators", "results", "activities")


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, no line wrapping."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Text with a line break of any kind goes in double quotes, where the break is escaped:
    in other styles YAML folds breaks, and NEL or U+2028 would not read back as written."""
    style = '"' if _BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        entry = "id" in value
        ranked = sorted(
            enumerate(value.items()),
            key=lambda pair: (
                _ENTRY_RANK.get(pair[1][0], _RANK.get(pair[1][0], len(_RANK))) if entry else _RANK.get(pair[1][0], 99),
                pair[0],
            ),
        )
        return {k: _ordered(v) for _, (k, v) in ranked}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def to_yaml(data: dict[str, Any]) -> str:
    """YAML text for one plan file, with a blank line before each column (as in ``plan/``)."""
    text = yaml.dump(
        _ordered(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    return re.sub(rf"(?m)^(?=(?:{'|'.join(_COLUMNS)}):)", "\n", text)


def objective_yaml(objective: Objective) -> str:
    return to_yaml(objective.model_dump(mode="python", exclude_defaults=True))


def info_yaml(info: PlanInfo) -> str:
    return to_yaml(info.model_dump(mode="python", exclude_defaults=True))


def slug(title: str, limit: int = 60) -> str:
    """A file-name slug of a title: lower-case ASCII words joined by '-' ("Évaluation" → "evaluation")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    text = "-".join(words)[:limit].rstrip("-")
    return text or "objective"


def objective_file_name(objective: Objective, width: int = 2) -> str:
    """``NN-slug.yaml``; ``width`` pads the number so that name order is number order."""
    return f"{objective.number:0{width}d}-{slug(objective.title)}.yaml"


def dump_plan(plan: Plan, directory: Path, names: dict[int, str] | None = None) -> Path:
    """Write ``plan`` as ``directory/plan.yaml`` and ``directory/objectives/*.yaml``; returns ``directory``.

    ``names`` maps objective numbers to file names to keep (e.g. the ones a plan was read from);
    others get :func:`objective_file_name`.  Each file is written atomically.
    """
    from lgcb.render import write_atomic

    folder = directory / OBJECTIVES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(directory / PLAN_FILE, info_yaml(plan.info).encode("utf-8"))
    width = max([2, *(len(str(o.number)) for o in plan.objectives)])
    for objective in plan.objectives:
        name = (names or {}).get(objective.number) or objective_file_name(objective, width)
        write_atomic(folder / name, objective_yaml(objective).encode("utf-8"))
    return directory

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
from lgcb.planfile.block import STR, resolve
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

    :func:`canonical_text` writes it directly.  What that leaves aside (a list in a list, a text
    only the full formatter can quote), and any text that would not read back as ``data``, is
    written by PyYAML and laid out by ``lgcb fmt``'s formatter, which is by construction what
    ``lgcb fmt`` makes (the two emitters differ in corners such as escapes).
    """
    from lgcb.planfile.read import parse_yaml

    text = canonical_text(data, model)
    if text is not None and same_data(parse_yaml(text), data):
        return text
    return _formatted(data, model)


def _formatted(data: Any, model: type[BaseModel]) -> str:
    """What :func:`to_yaml` gives, made by PyYAML and the round-trip formatter (the slow, general way)."""
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


def same_data(a: Any, b: Any) -> bool:
    """Equal in value and in type (``True`` is not ``1``), so no scalar quietly changes kind."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# ---------------------------------------------------------------------------------------------
# The canonical layout, written directly

_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff"
"""Characters a plain or single-quoted scalar may not hold as written: controls (a tab too), NEL,
the Unicode line and paragraph separators, surrogates, the byte-order mark, the non-characters;
and, left to the formatter to be safe, every character beyond the Basic Multilingual Plane."""

_SIMPLE = re.compile(f"[^{_UNSAFE}\\s\\-?:,\\[\\]{{}}#&*!|>'\"%@`][^{_UNSAFE}:#]*(?<! )")
"""A text plain YAML can hold if it reads back as text: no indicator first (``- ? : , [ ] { } #
& * ! | > ' " % @ ```), no space last, no ``:`` or ``#`` at all (where they may be plain is the
formatter's to decide), nothing unprintable."""


def _simple(text: str) -> bool:
    """Plain if it reads back as text: :data:`_SIMPLE`, and not a document end marker first."""
    return _SIMPLE.fullmatch(text) is not None and not text.startswith("...")


_QUOTABLE = re.compile(f"[^{_UNSAFE}]*")
"""A text that single quotes can hold (all of it printable, no line break)."""

_QUOTED_FIRST = frozenset("#,[]{}&*!|>'\"%@` ")


def _not_plain(text: str) -> bool:
    """A printable text that plain YAML can never hold: empty, an indicator or a space first, a
    space last, ": " or " #" inside, ":" last, or a document marker first."""
    return (
        not text
        or text[0] in _QUOTED_FIRST
        or text[-1] in " :"
        or ": " in text
        or " #" in text
        or text.startswith(("- ", "? ", ": ", "---", "..."))
        or text in ("-", "?", ":")
    )


class _Unwritable(Exception):
    """Data :func:`canonical_text` leaves to the formatter."""


_TEXTS: dict[str, str] = {}
"""Texts the formatter had to quote, each asked once (a plan repeats few of them)."""


def _text_scalar(text: str) -> str:
    if _simple(text):
        return text if resolve(text) == STR else f"'{text}'"
    if "'" not in text and _QUOTABLE.fullmatch(text) and _not_plain(text):
        return f"'{text}'"  # (a text with a quote in it gets double quotes)
    known = _TEXTS.get(text)
    if known is None:
        from lgcb.planfile.fmt import scalar_text

        known = scalar_text(text)
        if len(_TEXTS) < 10_000:
            _TEXTS[text] = known
    return known


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _text_scalar(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return float_text(value)
    raise _Unwritable


def _key(key: Any) -> str:
    if type(key) is not str or len(key) > 100 or not _simple(key) or resolve(key) != STR:
        raise _Unwritable  # a key YAML would quote, or write as a complex key ("? …")
    return key


def _value(value: Any, candidates: tuple[type[BaseModel], ...], pad: str, key: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{pad}{key}: {{}}\n")
            return
        out.append(f"{pad}{key}:\n")
        _mapping(value, candidates, pad + "  ", out, sections=False)
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}{key}: []\n")
            return
        out.append(f"{pad}{key}:\n")
        _sequence(value, candidates, pad + "  ", out)
    elif value is None:
        out.append(f"{pad}{key}:\n")
    else:
        out.append(f"{pad}{key}: {_scalar(value)}\n")


def _mapping(
    value: dict[Any, Any], candidates: tuple[type[BaseModel], ...], pad: str, out: list[str], *, sections: bool
) -> None:
    model = choose(candidates, value)
    keys: list[Any] = list(value)
    if model is None:
        inner: dict[str, tuple[type[BaseModel], ...]] = {}
        default = candidates
    elif issubclass(model, RootModel):  # a progress file: indicator ID → observations
        inner, default = {}, fields_of(model)["root"]
    else:
        rank = key_rank(model)
        keys.sort(key=lambda k: rank.get(k, len(rank)))
        inner, default = fields_of(model), ()
    for name in keys:
        key = _key(name)
        if sections and name in SECTIONS:
            if not out:
                raise _Unwritable  # a file that would start with a blank line
            out.append("\n")
        _value(value[name], inner.get(name, default), pad, key, out)


def _sequence(items: list[Any], candidates: tuple[type[BaseModel], ...], pad: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item:
            first = len(out)
            _mapping(item, candidates, pad + "  ", out, sections=False)
            out[first] = f"{pad}- {out[first][len(pad) + 2 :]}"  # its first key on the dash's line
        elif isinstance(item, (dict, list)):
            raise _Unwritable  # an empty mapping or a list in a list
        elif item is None:
            out.append(f"{pad}- \n")
        else:
            out.append(f"{pad}- {_scalar(item)}\n")


def canonical_text(data: Any, model: type[BaseModel]) -> str | None:
    """One plan file's data in the canonical layout, written line by line; None for data it
    leaves to the round-trip formatter (a list in a list, a key YAML would quote, a text whose
    quoting only the formatter knows): the text :func:`to_yaml` gives, without its cost."""
    if not isinstance(data, dict) or not data:
        return None
    out: list[str] = []
    try:
        _mapping(data, (model,), "", out, sections=model is not ProgressFile)
    except _Unwritable:
        return None
    return "".join(out)


def float_text(value: float) -> str:
    """A float as PyYAML writes it, which reads back as the same float: ruamel.yaml rounds some
    (4.681415124512801e+16) and tags others (``!!float '1e+16'``), and plan files carry no tags."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(float(value)).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


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

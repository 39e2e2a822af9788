"""Pydantic's validation errors in the plan's language: where (the entry's kind and ID), what, and the fix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from lgcb.ids import key as id_key
from lgcb.model import KINDS

_TYPE_NAMES = {
    bool: "a yes/no value",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    str: "text",
    type(None): "empty",
}


def _describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def _model_at(root: type[BaseModel], data: Any, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class expected for the mapping at ``loc`` (for "did you mean" suggestions).

    Follows ``loc`` through the data too, because a column entry is an item or a group heading
    depending on what it holds.
    """
    from lgcb import model as m

    columns: dict[str, tuple[type[BaseModel], type[BaseModel]]] = {
        "outcomes": (m.Outcome, m.OutcomeGroup),
        "indicators": (m.Indicator, m.IndicatorGroup),
        "results": (m.Result, m.ResultGroup),
        "activities": (m.Activity, m.ActivityGroup),
    }
    nested: dict[str, type[BaseModel]] = {
        "baseline": m.Baseline,
        "targets": m.Target,
        "source": m.Source,
        "timeframe": m.Timeframe,
        "strategic_plan": m.StrategicPlan,
        "objectives": m.StrategicObjective,
    }
    model: type[BaseModel] | None = root
    node, column, entries = data, None, False
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int):
            if entries and column:
                item, group = columns[column]
                model = group if isinstance(node, dict) and "group" in node else item
                entries = False
            continue
        if part in columns and model is m.Objective:
            column, entries = part, True
        elif part == "items" and column:
            entries = True
        else:
            model = nested.get(part)
    return model


def _where(data: Any, loc: Sequence[Any], fallback: str) -> str:
    """The plan's name for the place of an error: the innermost item's kind and ID."""
    where = fallback
    node = data
    column = None
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue
        if isinstance(node, dict):
            if part in KINDS:
                column = part
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        if isinstance(node, dict) and column and isinstance(part, int):
            kind = "group heading" if "group" in node else KINDS[column]
            if isinstance(node.get("id"), str):
                where = f"{kind} {node['id']}"
            else:
                where = f"{where}, entry {part + 1} of `{column if where == fallback else 'items'}`"
    return where


@dataclass(frozen=True)
class Message:
    """A problem's words, its rule, whether it points at the key, and the text that mends it.

    ``replacement`` replaces the node pointed at (the value, or the key with ``at_key``); it is set
    only when that surely gives a file that passes.
    """

    text: str
    rule: str
    at_key: bool = False
    replacement: str | None = None


_CURLY_PAIRS = {"“": "”", "‘": "’", "„": "“", "‚": "‘", "”": "”", "’": "’"}
_DATE = re.compile(r"^(\d{4})-\d\d-\d\d")


def _curly(raw: str | None) -> str | None:
    """The value inside curly quotes, when an editor typed them as YAML quotes (“2.3”)."""
    if raw and len(raw) >= 2 and raw[0] in _CURLY_PAIRS and raw[-1] in "”’“‘":
        return raw[1:-1]
    return None


def _column_kind(data: Any, loc: Sequence[Any]) -> str | None:
    """The kind of the entry at ``loc`` in an objective file's data (from its column)."""
    column = next((part for part in loc if part in KINDS), None)
    if column is None:
        return None
    node: Any = data
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "group" in node and part != loc[-1]:
            continue
    return KINDS[column]


def _ids_in(data: Any) -> list[str]:
    """Every ``id`` in a file's data, in file order."""
    found: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.append(node["id"])
            stack[:0] = list(node.values())
        elif isinstance(node, list):
            stack[:0] = list(node)
    return found


def _all_ids(data: Any) -> set[str]:
    return {id_key(entry_id) for entry_id in _ids_in(data)}


def _suggested_id(data: Any, loc: Sequence[Any], raw: str) -> str | None:
    """An ID of the right form for the entry at ``loc``, from what was typed (5.2 → 5.R2), unused in the file."""
    from lgcb.ids import ID_LETTERS

    kind = _column_kind(data, loc)
    number = data.get("number") if isinstance(data, dict) else None
    if kind is None or not isinstance(number, int):
        return None
    in_group = False
    node: Any = data
    for part in loc[:-1]:
        if isinstance(part, str) and part.startswith("<"):
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    in_group = isinstance(node, dict) and "group" in node
    letter = ID_LETTERS["group" if in_group else kind]
    used = _all_ids(data)
    digits = re.findall(r"\d+", raw)
    n = int(digits[-1]) if len(digits) >= 2 else 1
    while id_key(f"{number}.{letter}{n}") in used:
        n += 1
    return f"{number}.{letter}{n}"


def message(
    err: ErrorDetails, data: Any, root: type[BaseModel], subject: str, raw: str | None, quoted_style: bool = False
) -> Message:
    """A message for one pydantic error, in the plan's words, with the fix where it is mechanical."""
    from lgcb.planfile.verbatim import quoted

    loc = err["loc"]
    where = _where(data, loc, subject)
    name = next((p for p in reversed(loc) if isinstance(p, str) and not p.startswith("<")), None)
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return Message(f"{where}: the required field `{name}` is missing", "missing-field")
    if kind == "extra_forbidden":
        model = _model_at(root, data, loc[:-1])
        if model is not None:
            import difflib  # only for messages: a valid plan never needs it

            close = difflib.get_close_matches(str(name), _fields(model), n=1, cutoff=0.6)
            if close:
                return Message(
                    f"{where}: unknown field `{name}`; did you mean `{close[0]}`?", "unknown-field", True, close[0]
                )
            hint = f"; allowed fields: {', '.join(_fields(model))}"
        else:
            hint = ""
        return Message(f"{where}: unknown field `{name}`{hint}", "unknown-field", True)
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            shown = raw if raw is not None else str(value)
            if isinstance(loc[-1], int) and len(loc) >= 2 and loc[-2] in ("measures", "serves"):
                want = "outcome" if loc[-2] == "measures" else "result"
                from lgcb.ids import has_form, suggest

                pool = [i for i in _ids_in(data) if has_form(i, want)]
                nearest = suggest(shown.replace("0", "O") if want == "outcome" else shown, pool)
                hint = f"; did you mean {nearest}?" if nearest else ""
                return Message(
                    f"{where}: `{loc[-2]}` lists the IDs of {want}s, such as {pool[0] if pool else '3.R1'}, "
                    f"not the number {shown}{hint}",
                    "unknown-reference",
                    replacement=nearest,
                )
            if name == "id":
                suggestion = _suggested_id(data, loc, shown)
                form = f"e.g. {suggestion}" if suggestion else "such as 3.R1"
                return Message(
                    f"{where}: `id` must be an ID of the form <objective>.<letter><n>, {form}, not the number {shown}",
                    "id-format",
                    replacement=suggestion,
                )
            return Message(
                f"{where}: `{name}` must be text, but YAML reads {shown} as {_describe(value)}; "
                f"put it in quotes: {quoted(shown)}",
                "text-expected",
                replacement=quoted(shown),
            )
        if value is None:
            return Message(f"{where}: `{name}` is empty; write its text", "empty-text")
        return Message(f"{where}: `{name}` must be text, not {_describe(value)}", "wrong-type")
    if kind == "string_too_short":
        return Message(f"{where}: `{name}` is empty; write its text", "empty-text")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, str):
            text = value.strip()
            inner = _curly(text)
            if inner is not None and inner.isdigit():
                return Message(
                    f"{where}: `{name}` must be a whole number; {inner} is in curly quotes, which YAML reads as "
                    f"text: write {int(inner)}",
                    "wrong-type",
                    replacement=str(int(inner)),
                )
            if quoted_style and text.isdigit():
                return Message(
                    f"{where}: `{name}` must be a whole number, not text: write it without quotes: {int(text)}",
                    "wrong-type",
                    replacement=str(int(text)),
                )
            if text.isdigit():
                return Message(
                    f"{where}: `{name}` must be a whole number; YAML reads {text} as text because of its leading "
                    f"0: write {int(text)}",
                    "wrong-type",
                    replacement=str(int(text)),
                )
            date = _DATE.match(text)
            if date and name == "year":
                return Message(
                    f"{where}: `year` is a year such as {date.group(1)}, not the date {text}",
                    "wrong-type",
                    replacement=date.group(1),
                )
            return Message(f"{where}: `{name}` must be a whole number, not the text {text!r}", "wrong-type")
        return Message(f"{where}: `{name}` must be a whole number, not {_describe(value)}", "wrong-type")
    if kind in ("list_type", "too_short") and name in (*KINDS, "items", "objectives", "targets", "measures", "serves"):
        if kind == "too_short":
            return Message(f"{where}: `{name}` needs at least one entry", "missing-field")
        return Message(
            f"{where}: `{name}` must be a list (each entry on a line starting with '- '), not {_describe(value)}",
            "wrong-type",
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Message(
            f"{where}: each entry here must be a mapping of fields (`id: ...`, `text: ...`), not {_describe(value)}",
            "wrong-type",
        )
    if kind == "string_pattern_mismatch":
        if name == "id":
            return Message(f"{where}: the ID {value!r} may only hold letters, digits, '.', '-' and '_'", "id-format")
        inner = _curly(str(value))
        if inner is not None and re.fullmatch(r"\d+(\.\d+)*", inner):
            return Message(
                f"{where}: `{name}` is in curly quotes ({value}), which YAML reads as part of the text: use straight "
                f"quotes: {quoted(inner)}",
                "invalid-value",
                replacement=quoted(inner),
            )
        return Message(
            f'{where}: `{name}` must be a number such as "2.3" (digits separated by dots), not {value!r}',
            "invalid-value",
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Message(f"{where}: `{name}` must be one of {expected}, not {value!r}", "invalid-value")
    if kind in ("bool_type", "bool_parsing"):
        return Message(f"{where}: `{name}` must be true or false (without quotes), not {value!r}", "wrong-type")
    if kind == "value_error":
        return Message(f"{where}: `{name}` {err['msg'].removeprefix('Value error, ')}", "invalid-value")
    if kind in ("greater_than_equal", "less_than_equal", "string_too_long"):
        return Message(f"{where}: `{name}` {err['msg'].lower().replace('input ', '')}", "invalid-value")
    return Message(f"{where}: `{name}`: {err['msg']}", "invalid-value")

"""Pydantic's validation errors in the plan's language: where (the entry's kind and ID), what, and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

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


def message(
    err: ErrorDetails, data: Any, root: type[BaseModel], subject: str, raw: str | None
) -> tuple[str, str, bool]:
    """A message for one pydantic error: (message, rule, point at the key rather than the value)."""
    loc = err["loc"]
    where = _where(data, loc, subject)
    name = next((p for p in reversed(loc) if isinstance(p, str) and not p.startswith("<")), None)
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"{where}: the required field `{name}` is missing", "missing-field", False
    if kind == "extra_forbidden":
        model = _model_at(root, data, loc[:-1])
        hint = ""
        if model is not None:
            import difflib  # only for messages: a valid plan never needs it

            close = difflib.get_close_matches(str(name), _fields(model), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; allowed fields: {', '.join(_fields(model))}"
        return f"{where}: unknown field `{name}`{hint}", "unknown-field", True
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            shown = raw if raw is not None else str(value)
            quoted = f'"{shown}"' if '"' not in shown else f"'{shown}'"
            return (
                f"{where}: `{name}` must be text, but YAML reads {shown} as {_describe(value)}; "
                f"put it in quotes: {quoted}",
                "text-expected",
                False,
            )
        if value is None:
            return f"{where}: `{name}` is empty; write its text", "empty-text", False
        return f"{where}: `{name}` must be text, not {_describe(value)}", "wrong-type", False
    if kind == "string_too_short":
        return f"{where}: `{name}` is empty; write its text", "empty-text", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            f"{where}: `{name}` must be a whole number, not {_describe(value)} (write it without quotes)",
            "wrong-type",
            False,
        )
    if kind in ("list_type", "too_short") and name in (*KINDS, "items", "objectives", "targets", "measures", "serves"):
        if kind == "too_short":
            return f"{where}: `{name}` needs at least one entry", "missing-field", False
        return (
            f"{where}: `{name}` must be a list (each entry on a line starting with '- '), not {_describe(value)}",
            "wrong-type",
            False,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"{where}: each entry here must be a mapping of fields (`id: ...`, `text: ...`), not {_describe(value)}",
            "wrong-type",
            False,
        )
    if kind == "string_pattern_mismatch":
        if name == "id":
            return f"{where}: the ID {value!r} may only hold letters, digits, '.', '-' and '_'", "id-format", False
        return (
            f'{where}: `{name}` must be a number such as "2.3" (digits separated by dots), not {value!r}',
            "invalid-value",
            False,
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where}: `{name}` must be one of {expected}, not {value!r}", "invalid-value", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{where}: `{name}` must be true or false (without quotes), not {value!r}", "wrong-type", False
    if kind == "value_error":
        return f"{where}: `{name}` {err['msg'].removeprefix('Value error, ')}", "invalid-value", False
    if kind in ("greater_than_equal", "less_than_equal", "string_too_long"):
        return f"{where}: `{name}` {err['msg'].lower().replace('input ', '')}", "invalid-value", False
    return f"{where}: `{name}`: {err['msg']}", "invalid-value", False

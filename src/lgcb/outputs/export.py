"""The whole plan flattened, one row per entry, for spreadsheets (CSV) and other programs (JSON).

Rows come in source order (objective by objective, column by column, depth first), with the
same fields in both formats.  JSON keeps types (numbers, lists, null); CSV is what Excel and
LibreOffice open without an import dialog: UTF-8 with a byte-order mark, CRLF line ends,
RFC 4180 quoting.  Both outputs are stable: the same plan always gives the same bytes.
"""

from __future__ import annotations

import csv as csv_module
import io
import json as json_module
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lgcb.model import Plan

FORMAT_VERSION = 1
"""Bumped when a field is renamed or removed (adding a field at the end does not bump it)."""

FIELDS: tuple[str, ...] = (
    "objective",
    "column",
    "kind",
    "id",
    "parent_id",
    "group",
    "depth",
    "number",
    "text",
    "serves",
    "measures",
    "measure",
    "unit",
    "baseline_value",
    "baseline_year",
    "baseline_source",
    "targets",
    "means_of_verification",
    "note",
)
"""The columns, in this order, in both formats."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet cell starting with one of these is read as a formula: such text gets a leading '."""


def rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per item and group heading, in source order, with typed values."""
    return list(iter_rows(plan))


def iter_rows(plan: Plan) -> Iterator[dict[str, Any]]:
    """The rows of :func:`rows` one at a time, so that a large plan's export never holds them all."""
    under: dict[str, str | None] = {}
    """Entry ID → the group heading its items sit under (its own text, for a heading)."""
    for objective in plan.objectives:
        for located in objective.walk():
            entry = located.entry
            indicator = located.indicator
            baseline = indicator.baseline if indicator else None
            group = under.get(located.parent) if located.parent else None
            under[entry.id] = located.text if located.kind == "group" else group
            yield {
                "objective": objective.number,
                "column": located.column,
                "kind": located.kind,
                "id": entry.id,
                "parent_id": located.parent,
                "group": group,
                "depth": located.depth,
                "number": located.number,
                "text": located.text,
                "serves": list(located.serves),
                "measures": list(located.measures),
                "measure": indicator.measure if indicator else None,
                "unit": indicator.unit if indicator else None,
                "baseline_value": baseline.value if baseline else None,
                "baseline_year": baseline.year if baseline else None,
                "baseline_source": baseline.source if baseline else None,
                "targets": [{"year": t.year, "value": t.value} for t in (indicator.targets if indicator else [])],
                "means_of_verification": indicator.means_of_verification if indicator else None,
                "note": located.note,
            }


def _plan_info(plan: Plan) -> dict[str, Any]:
    return plan.info.model_dump(mode="json")


def _objectives(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "number": o.number,
            "title": o.title,
            "aim": o.aim,
            "strategic_plan_objective": o.strategic_plan_objective,
        }
        for o in plan.objectives
    ]


def json(plan: Plan) -> bytes:
    """``{"format", "version", "plan", "objectives", "fields", "rows"}``, keys in a fixed order.

    Indented, except that each row is one line: a diff of two exports then shows one line per
    changed entry, and each row is encoded by the json module's C encoder, which indented output
    cannot use.
    """
    head = {
        "format": "lgcb-export",
        "version": FORMAT_VERSION,
        "plan": _plan_info(plan),
        "objectives": _objectives(plan),
        "fields": list(FIELDS),
    }
    text = json_module.dumps(head, indent=2, ensure_ascii=False)
    parts = [text[: text.rindex("\n}")].encode("utf-8"), b',\n  "rows": [']
    encode = json_module.JSONEncoder(ensure_ascii=False).encode
    for i, row in enumerate(iter_rows(plan)):
        parts += (b",\n    " if i else b"\n    ", encode(row).encode("utf-8"))
    parts.append(b"\n  ]\n}\n" if len(parts) > 2 else b"]\n}\n")
    return b"".join(parts)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def cell(value: Any) -> str:
    """A value as spreadsheet text: lists joined by '; ', targets as 'year: value', nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(f"{t['year']}: {_number(t['value'])}" for t in value)
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv(plan: Plan) -> bytes:
    """UTF-8 with BOM (so Excel reads it as UTF-8), CRLF line ends, a header row, then one row per entry."""
    buffer = io.StringIO(newline="")
    writer = csv_module.writer(buffer, lineterminator="\r\n", quoting=csv_module.QUOTE_MINIMAL)
    writer.writerow(FIELDS)
    for row in iter_rows(plan):
        writer.writerow([cell(row[name]) for name in FIELDS])
    return buffer.getvalue().encode("utf-8-sig")

"""An edited plan workbook → the edited plan: the cells a person changed become edits, keyed by ID.

Each row of "Entries" is compared with what ``lgcb export`` wrote for its entry: a cell that still
holds the exported value changes nothing (so exporting and importing again changes nothing at
all); a changed editable cell becomes the new value of its field; a changed structural cell
(objective, column, kind, ID, parent, group, depth) is an error, since moving entries is an edit
of the YAML.  A row without an ID is a new entry (its ID assigned with :func:`lgcb.ids.assign_ids`),
an entry whose row is gone is removed.  Every problem is reported at its cell, all in one pass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lgcb import ids
from lgcb.excel import layout
from lgcb.excel.read import CellProblem, EntriesSheet, SheetRow
from lgcb.model import COLUMN_TITLES, KINDS, MEASURES, Objective, Plan

STRUCTURE = ("objective", "column", "kind", "id", "parent_id", "group", "depth")
"""The columns lgcb fills from the plan's structure: not edited for an existing row."""

FIELDS_OF_KIND: dict[str, set[str]] = {
    "outcome": {"text", "note"},
    "indicator": {
        "text",
        "note",
        "measures",
        "measure",
        "unit",
        "baseline_value",
        "baseline_year",
        "baseline_source",
        "targets",
        "means_of_verification",
    },
    "result": {"text", "note", "number"},
    "activity": {"text", "note", "serves"},
    "group": {"text"},
}
"""Which editable columns an entry of each kind has; the others stay empty for it."""

_HEADERS = {c.key: c.header for c in layout.ENTRY_COLUMNS}
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_TARGET = re.compile(r"^\s*(\d{4})\s*:\s*(.+?)\s*$")


@dataclass
class Applied:
    """The edited plan (None when there are problems), and what the rows added and removed."""

    plan: Plan | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _exported(plan: Plan) -> dict[str, dict[str, Any]]:
    """Entry ID → each column's value exactly as the workbook stores it."""
    from lgcb.excel.write import _entry_values
    from lgcb.outputs.export import rows

    return {row["id"]: _entry_values(row) for row in rows(plan)}


def _shown(value: Any) -> str:
    return layout.format_number(value) if isinstance(value, (int, float)) else str(value)


class _Editor:
    def __init__(self, plan: Plan, sheet: EntriesSheet) -> None:
        self.plan = plan
        self.sheet = sheet
        self.result = Applied(problems=list(sheet.problems))
        self.exported = _exported(plan)
        self.index = ids.Index((i, i) for i in self.exported)
        self.kind = {i: row["kind"] for i, row in self.exported.items()}

    def problem(self, row: SheetRow, key: str, message: str) -> None:
        self.result.problems.append(CellProblem(self.sheet.file, layout.ENTRIES, row.cell(key), message))

    # Values of edited cells -------------------------------------------------------------------

    def text(self, row: SheetRow, key: str) -> str | None:
        value = row.values.get(key)
        if value is None:
            return None
        text = _shown(value).strip()
        return text or None

    def links(self, row: SheetRow, key: str, kind: str) -> list[str] | None:
        text = self.text(row, key)
        if text is None:
            return []
        found = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            spelled = self.index.spelling(part)
            if spelled is None or self.kind.get(spelled) != kind:
                pool = [i for i, k in self.kind.items() if k == kind]
                close = ids.suggest(part, pool)
                hint = f"; did you mean {close}?" if close else ""
                self.problem(row, key, f"{part} is not {'an' if kind[0] in 'aeiou' else 'a'} {kind} of the plan{hint}")
                return None
            found.append(spelled)
        return found

    def number_or_text(self, value: Any, measure: str | None) -> Any:
        if isinstance(value, (int, float)):
            return value
        text = str(value).strip()
        if measure != "qualitative" and _NUMBER.match(text):
            return float(text) if "." in text else int(text)
        return text

    def year(self, row: SheetRow, key: str) -> int | None:
        value = row.values.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            return int(value)
        self.problem(row, key, f"{_HEADERS[key]} must be a year such as 2011, not {_shown(value)!r}")
        return None

    def targets(self, row: SheetRow, measure: str | None) -> list[dict[str, Any]] | None:
        text = self.text(row, "targets")
        if text is None:
            return []
        targets = []
        for part in re.split(r";\s*(?=\d{4}\s*:)", text):
            m = _TARGET.match(part)
            if m is None:
                self.problem(
                    row,
                    "targets",
                    f"cannot read the targets {text!r}: write each as year: value, separated by '; ' "
                    "(e.g. 2015: 50; 2020: 100)",
                )
                return None
            targets.append({"year": int(m.group(1)), "value": self.number_or_text(m.group(2), measure)})
        return targets

    # Edits of one existing entry --------------------------------------------------------------

    def edit(self, row: SheetRow, entry: Callable[[], dict[str, Any]], kind: str, exported: dict[str, Any]) -> bool:
        """Apply the row's changed cells to ``entry()`` (plan data, asked for only when a cell changed);
        False if a cell cannot be used."""
        ok = True
        changed = [
            c.key
            for c in layout.ENTRY_COLUMNS
            if c.editable and c.key not in row.bad and row.values.get(c.key) != exported.get(c.key)
        ]
        if not changed:
            return True
        target = entry()
        for key in changed:
            ok &= self.set_field(row, target, kind, key)
        return ok

    def set_field(self, row: SheetRow, entry: dict[str, Any], kind: str, key: str) -> bool:
        allowed = FIELDS_OF_KIND[kind]
        if key not in allowed:
            if row.values.get(key) is None:
                return True
            what = "a group heading" if kind == "group" else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
            self.problem(row, key, f"{what} has no {_HEADERS[key]}: leave this cell empty")
            return False
        if key == "text":
            text = self.text(row, key)
            if text is None:
                self.problem(
                    row, key, "the text is empty: an entry needs its text (delete the row to remove the entry)"
                )
                return False
            entry["group" if kind == "group" else "text"] = text
            return True
        if key in ("serves", "measures"):
            links = self.links(row, key, "result" if key == "serves" else "outcome")
            if links is None:
                return False
            _put(entry, key, links)
            return True
        if key == "measure":
            text = self.text(row, key)
            if text is not None and text.lower() not in MEASURES:
                self.problem(row, key, f"the measure must be one of {', '.join(MEASURES)} (or empty), not {text!r}")
                return False
            _put(entry, key, text.lower() if text else None)
            return True
        if key == "number":
            text = self.text(row, key)
            if text is not None and not re.match(r"^\d+(\.\d+)*$", text):
                self.problem(row, key, f'a result number is digits separated by dots, e.g. "3.1", not {text!r}')
                return False
            _put(entry, key, text)
            return True
        if key.startswith("baseline_"):
            return self.baseline(row, entry)
        if key == "targets":
            targets = self.targets(row, entry.get("measure"))
            if targets is None:
                return False
            _put(entry, key, targets)
            return True
        _put(entry, key, self.text(row, key))  # unit, means of verification, note
        return True

    def baseline(self, row: SheetRow, entry: dict[str, Any]) -> bool:
        value, year, source = (row.values.get(f"baseline_{k}") for k in ("value", "year", "source"))
        if value is None and year is None and source is None:
            entry.pop("baseline", None)
            return True
        if value is None or year is None:
            missing = "baseline_value" if value is None else "baseline_year"
            self.problem(row, missing, "a baseline needs both its value and its year")
            return False
        number = self.year(row, "baseline_year")
        if number is None:
            return False
        baseline: dict[str, Any] = {"value": self.number_or_text(value, entry.get("measure")), "year": number}
        if source is not None:
            baseline["source"] = self.text(row, "baseline_source")
        entry["baseline"] = baseline
        return True


def _put(entry: dict[str, Any], key: str, value: Any) -> None:
    if value in (None, []):
        entry.pop(key, None)
    else:
        entry[key] = value


def _walk(entries: list[dict[str, Any]]) -> Any:
    for entry in entries:
        yield entry
        yield from _walk(entry.get("items", []))


def _prune(entries: list[dict[str, Any]], removed: set[str]) -> list[dict[str, Any]]:
    kept = []
    for entry in entries:
        if entry.get("id") in removed:
            continue
        if "items" in entry:
            entry["items"] = _prune(entry["items"], removed)
            if not entry["items"]:
                del entry["items"]
        kept.append(entry)
    return kept


def _column_key(value: Any) -> str | None:
    text = _shown(value).strip().lower() if value is not None else ""
    for key, title in COLUMN_TITLES.items():
        if text in (key, title.lower(), KINDS[key]):
            return key
    return None


class _Data:
    """The plan's objectives as plan data, each dumped from its model only once a row edits it.

    An objective no row changes keeps its model as it is: a workbook with a few edits costs the
    dump and validation of the objectives it edits, not of the whole plan.
    """

    def __init__(self, plan: Plan, exported: dict[str, dict[str, Any]]) -> None:
        self.models = {o.number: o for o in plan.objectives}
        self.exported = exported
        self.objectives: dict[int, dict[str, Any]] = {}
        self.entries: dict[str, tuple[dict[str, Any], int]] = {}

    def objective(self, number: int) -> dict[str, Any]:
        if number not in self.objectives:
            dumped = self.models[number].model_dump(mode="python", exclude_defaults=True)
            self.objectives[number] = dumped
            for key in KINDS:
                for entry in _walk(dumped.get(key, [])):
                    self.entries[entry["id"]] = (entry, number)
        return self.objectives[number]

    def data_of(self, ident: str) -> dict[str, Any]:
        return self.entry(ident)[0]

    def entry(self, ident: str) -> tuple[dict[str, Any], int]:
        """The plan data of entry ``ident`` (an ID of the plan) and its objective's number."""
        self.objective(self.exported[ident]["objective"])
        return self.entries[ident]


def apply_workbook(plan: Plan, sheet: EntriesSheet) -> Applied:
    """The plan with the sheet's edits, additions and removals; problems at their cells.

    The collector is paused: the plan's rows as exported, to compare with, are a dict for each of
    tens of thousands of entries, with no cycles (its passes over them grew faster than the plan)."""
    from lgcb.memory import collector_paused

    with collector_paused():
        return _apply(plan, sheet)


def _apply(plan: Plan, sheet: EntriesSheet) -> Applied:
    editor = _Editor(plan, sheet)
    result = editor.result
    data = _Data(plan, editor.exported)

    seen: dict[str, SheetRow] = {}
    new_rows: list[SheetRow] = []
    for row in sheet.rows:
        raw_id = row.values.get("id")
        if "id" in row.bad:
            continue
        if raw_id is None:
            new_rows.append(row)
            continue
        spelled = editor.index.spelling(_shown(raw_id))
        if spelled is None:
            close = ids.suggest(_shown(raw_id), editor.exported)
            hint = f" (did you mean {close}?)" if close else ""
            editor.problem(
                row,
                "id",
                f"{_shown(raw_id)} is not an entry of the plan{hint}: the ID cell says which entry a row edits; "
                "leave it empty for a new entry",
            )
            continue
        if spelled in seen:
            editor.problem(row, "id", f"{spelled} is on row {seen[spelled].number} too: keep one row per entry")
            continue
        seen[spelled] = row
        exported = editor.exported[spelled]
        kind = exported["kind"]
        bad = False
        for key in STRUCTURE:
            if key == "id" or key in row.bad:
                continue
            if row.values.get(key) != exported.get(key) and _shown(row.values.get(key) or "").strip() != _shown(
                exported.get(key) or ""
            ):
                shown = _shown(exported[key]) if exported.get(key) is not None else "empty"
                editor.problem(
                    row,
                    key,
                    f"the {_HEADERS[key]} of {spelled} is filled in from the plan's structure ({shown}) and cannot be "
                    "changed here: put it back (to move an entry, edit the plan's YAML)",
                )
                bad = True
        if not bad:
            editor.edit(row, functools.partial(data.data_of, spelled), kind, exported)

    removed = [i for i in editor.exported if i not in seen]
    removed_set = set(removed)
    for spelled, row in seen.items():
        parent = editor.exported[spelled]["parent_id"]
        if parent in removed_set:
            editor.problem(
                row,
                "parent_id",
                f"{spelled} sits under {parent}, whose row was deleted: delete this row too, "
                f"or put {parent}'s row back",
            )
    for row in new_rows:
        _place_new(editor, row, data, removed_set)
    if result.problems:
        return result

    for ident in removed:
        data.objective(editor.exported[ident]["objective"])
    objectives = []
    from pydantic import ValidationError

    for number, model in data.models.items():
        objective = data.objectives.get(number)
        if objective is None:  # no row changed it
            objectives.append(model)
            continue
        for key in KINDS:
            if key in objective:
                objective[key] = _prune(objective[key], removed_set)
        given = ids.assign_ids(objective)
        try:
            objectives.append(Objective.model_validate(objective))
        except ValidationError as e:
            for err in e.errors(include_url=False):
                where = ".".join(str(p) for p in err["loc"])
                result.problems.append(
                    CellProblem(sheet.file, layout.ENTRIES, None, f"objective {number}, {where}: {err['msg']}")
                )
        result.added.extend(given)
    result.removed = removed
    if not result.problems:
        result.plan = Plan(info=plan.info, objectives=objectives, progress=plan.progress)
    return result


def _place_new(editor: _Editor, row: SheetRow, data: _Data, removed: set[str]) -> bool:
    """Put a new row's entry into the plan data (without an ID yet); False if the row cannot be placed."""
    if row.bad:  # its unreadable cells are reported already
        return False
    number = row.values.get("objective")
    if not isinstance(number, int) or number not in data.models:
        numbers = ", ".join(str(n) for n in data.models)
        editor.problem(
            row,
            "objective",
            f"a new entry needs the number of its objective ({numbers}), not {_shown(number) if number else 'nothing'}",
        )
        return False
    column = _column_key(row.values.get("column"))
    if column is None:
        editor.problem(row, "column", f"a new entry needs its column: one of {', '.join(KINDS)}")
        return False
    kind_text = _shown(row.values.get("kind") or "").strip().lower()
    if kind_text not in ("", KINDS[column], "group"):
        editor.problem(
            row, "kind", f"the kind of a new entry in {column} is {KINDS[column]} or group, not {kind_text!r}"
        )
        return False
    kind = "group" if kind_text == "group" else KINDS[column]
    entry: dict[str, Any] = {}
    parent_id = row.values.get("parent_id")
    target: list[dict[str, Any]]
    if parent_id is not None:
        spelled = editor.index.spelling(_shown(parent_id).strip())
        if spelled is None or spelled in removed or spelled not in editor.exported:
            editor.problem(
                row,
                "parent_id",
                f"{_shown(parent_id)} is not an entry of the plan: give the ID of the "
                "entry to nest this one under, or leave it empty",
            )
            return False
        parent, parent_objective = data.entry(spelled)
        parent_kind = editor.kind[spelled]
        parent_column = next(k for k, v in KINDS.items() if v == parent_kind) if parent_kind != "group" else None
        if parent_objective != number or (parent_column is not None and parent_column != column) or kind == "group":
            editor.problem(
                row,
                "parent_id",
                f"a new {kind} of objective {number}, {column}, cannot sit under {spelled}: give a parent of the same "
                "objective and column (group headings have no parent)",
            )
            return False
        if parent_kind == "group" and _column_of_group(data.objective(number), spelled) != column:
            editor.problem(row, "parent_id", f"{spelled} is a group heading of another column")
            return False
        target = parent.setdefault("items", [])
    else:
        target = data.objective(number).setdefault(column, [])
    if kind == "group":
        entry["group"] = ""
    ok = True
    for c in layout.ENTRY_COLUMNS:
        if c.editable and row.values.get(c.key) is not None:
            ok &= editor.set_field(row, entry, kind, c.key)
    if "text" not in entry and not entry.get("group"):
        editor.problem(row, "text", "a new entry needs its text")
        return False
    if not ok:
        return False
    target.append(entry)
    return True


def _column_of_group(objective: dict[str, Any], group_id: str) -> str | None:
    for key in KINDS:
        if any(e.get("id") == group_id for e in objective.get(key, [])):
            return key
    return None

"""The layout of every workbook lgcb writes and reads: sheets, columns, editable cells, styles.

Writer and reader both follow these definitions, so a workbook lgcb wrote reads back exactly; a
header that is not where the layout puts it is an error when reading, never a guess.

Two workbooks:

* the plan (``lgcb export --format xlsx``): "Entries" (one row per entry, the fields of
  :data:`lgcb.outputs.export.FIELDS`), "Results matrix" (per indicator, for reading) and "Plan"
  (the plan's details and objectives, for reading).  In "Entries" the columns lgcb fills from
  the plan's structure (objective, column, kind, ID, parent, group, depth) are shaded grey and
  their headers carry a note; the others may be edited and are read back by ``lgcb import``.
* the monitoring form (``lgcb progress form``): "Instructions" (first, with the year), and
  "Form", one row per indicator; only its Value and Source cells are unlocked (the sheet is
  protected without a password: protection here guards against slips, not against people).
"""

from __future__ import annotations

from dataclasses import dataclass

ENTRIES = "Entries"
MATRIX = "Results matrix"
PLAN = "Plan"
INSTRUCTIONS = "Instructions"
FORM = "Form"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it holds, its header, width (characters) and whether it may be edited."""

    key: str
    header: str
    width: int
    editable: bool = False
    wrap: bool = False


ENTRY_COLUMNS: tuple[Column, ...] = (
    Column("objective", "Objective", 10),
    Column("column", "Column", 12),
    Column("kind", "Kind", 10),
    Column("id", "ID", 10),
    Column("parent_id", "Parent ID", 10),
    Column("group", "Group", 28, wrap=True),
    Column("depth", "Depth", 7),
    Column("number", "Number", 9, editable=True),
    Column("text", "Text", 70, editable=True, wrap=True),
    Column("serves", "Serves", 14, editable=True, wrap=True),
    Column("measures", "Measures", 14, editable=True, wrap=True),
    Column("measure", "Measure", 12, editable=True),
    Column("unit", "Unit", 12, editable=True),
    Column("baseline_value", "Baseline value", 14, editable=True),
    Column("baseline_year", "Baseline year", 10, editable=True),
    Column("baseline_source", "Baseline source", 24, editable=True, wrap=True),
    Column("targets", "Targets", 20, editable=True, wrap=True),
    Column("means_of_verification", "Means of verification", 30, editable=True, wrap=True),
    Column("note", "Note", 30, editable=True, wrap=True),
)
"""The "Entries" sheet, left to right; the keys are the export fields, in the same order."""

STRUCTURE_NOTE = (
    "Filled in by lgcb from the plan's structure: do not change it for an existing row. "
    "For a new row (no ID), give the objective and column (and a parent ID to nest it); "
    "lgcb import assigns the ID."
)
"""The note on the header of each grey (structural) column of "Entries"."""

ID_NOTE = "The entry's ID: how lgcb import finds the entry a row edits. Do not change it; leave it empty on a new row."


def entry_notes() -> dict[str, str]:
    """Column key → the note lgcb puts on that header cell of "Entries"."""
    notes = {c.key: STRUCTURE_NOTE for c in ENTRY_COLUMNS if not c.editable}
    notes["id"] = ID_NOTE
    return notes


def note_cells(columns: tuple[Column, ...], notes: dict[str, str]) -> dict[str, str]:
    """Header cell ("D1") → the note lgcb puts there, for ``notes`` by column key."""
    return {f"{letter(column_index(columns, key))}1": text for key, text in notes.items()}


def form_notes(year: int) -> dict[str, str]:
    """Column key → the note lgcb puts on that header cell of a monitoring form's "Form"."""
    return {
        "value": f"Type the value observed for {year}; leave empty if there is none.",
        "source": "Where the value comes from, e.g. fourth national reports.",
    }


MATRIX_COLUMNS: tuple[Column, ...] = (
    Column("objective", "Objective", 10),
    Column("objective_title", "Operational objective", 30, wrap=True),
    Column("outcome_ids", "Outcome IDs", 12, wrap=True),
    Column("outcomes", "Outcomes measured", 45, wrap=True),
    Column("id", "Indicator ID", 12),
    Column("text", "Indicator", 55, wrap=True),
    Column("measure", "Measure", 12),
    Column("unit", "Unit", 12),
    Column("baseline_value", "Baseline value", 14),
    Column("baseline_year", "Baseline year", 10),
    Column("targets", "Targets", 20, wrap=True),
    Column("means_of_verification", "Means of verification", 35, wrap=True),
)
"""The "Results matrix" sheet: one row per indicator, the outcomes it measures (its ``measures`` links)."""

PLAN_OBJECTIVE_COLUMNS: tuple[Column, ...] = (
    Column("number", "Objective", 10),
    Column("title", "Title", 40, wrap=True),
    Column("aim", "Aim", 70, wrap=True),
    Column("strategic_plan_objective", "Strategic Plan objective", 14),
)
"""The objectives table on the "Plan" sheet, below the plan's details."""

FORM_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 10),
    Column("objective", "Objective", 10),
    Column("text", "Indicator", 60, wrap=True),
    Column("measure", "Measure", 12),
    Column("unit", "Unit", 12),
    Column("baseline", "Baseline", 16, wrap=True),
    Column("target", "Target", 18, wrap=True),
    Column("latest", "Latest recorded value", 22, wrap=True),
    Column("value", "Value", 16, editable=True),
    Column("source", "Source", 30, editable=True, wrap=True),
)
"""The "Form" sheet: a person fills Value and Source; everything else is locked."""

FORM_YEAR_CELL = "B3"
"""Where the "Instructions" sheet holds the form's year (its label is in the cell to the left)."""

FORM_YEAR_LABEL = "Year"
FORM_TITLE = "Monitoring form"

# Styles, as openpyxl arguments (colours are ARGB hex).
HEADER_FILL = "FF1F4E79"
HEADER_FONT = "FFFFFFFF"
LOCKED_FILL = "FFE7E6E6"
"""The grey of cells lgcb fills and a person should not change."""
EDITABLE_FILL = "FFFFF2CC"
"""The pale yellow of the cells a person fills in a form."""


def letter(index: int) -> str:
    """The column letter of a 0-based column index (0 → A, 26 → AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def column_number(letters: str) -> int:
    """The 0-based index of a column letter (A → 0, AA → 26): the inverse of :func:`letter`."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def column_index(columns: tuple[Column, ...], key: str) -> int:
    return next(i for i, c in enumerate(columns) if c.key == key)


LIST_SEPARATOR = "; "
"""Between the IDs of a ``serves`` or ``measures`` cell, and between the targets of a ``targets`` cell."""


def format_number(value: float | int) -> str:
    """A number as a person writes it: 50 rather than 50.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def format_targets(targets: list[dict[str, object]]) -> str:
    """``2015: 50; 2020: 100`` — a year, a colon and the value, per target."""
    return LIST_SEPARATOR.join(
        f"{t['year']}: {format_number(t['value']) if isinstance(t['value'], (int, float)) else t['value']}"
        for t in targets
    )

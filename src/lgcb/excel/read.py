"""Reading workbooks by :mod:`lgcb.excel.layout`: filled monitoring forms, and edited plan workbooks.

Every file passes :func:`lgcb.office.check_package` first (size, zip bombs, macros) and is opened
from the checked bytes.  Formulas are never computed: a cell holding one is reported, as are
dates, merged cells and headers that are not where the layout puts them.  Each problem names the
file, sheet and cell: ``form.xlsx: sheet 'Form' cell I12: …``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lgcb.excel import layout
from lgcb.excel.cells import Cell, Sheet, SheetError, Workbook
from lgcb.fileio import display_path
from lgcb.office import quoted


@dataclass(frozen=True)
class CellProblem:
    """A problem at a cell (or, with ``cell`` empty, with the file as a whole)."""

    file: str
    sheet: str | None
    cell: str | None
    message: str

    def order(self) -> tuple[str, str, int, int]:
        """File, sheet, then row and column: the order a person reads the cells in."""
        match = re.match(r"^([A-Z]+)(\d+)$", self.cell or "")
        row, column = (int(match.group(2)), layout.column_number(match.group(1))) if match else (0, 0)
        return self.file, self.sheet or "", row, column

    def __str__(self) -> str:
        where = f" sheet '{self.sheet}'" if self.sheet else ""
        where += f" cell {self.cell}" if self.cell else ""
        return f"{self.file}:{where}: {self.message}" if where else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class FormEntry:
    """One filled row of a form: the indicator ID as typed, the value and source, and where they are."""

    file: str
    row: int
    id: str
    value: Any
    source: str | None

    def cell(self, key: str) -> str:
        return f"{layout.letter(layout.column_index(layout.FORM_COLUMNS, key))}{self.row}"


@dataclass
class Form:
    file: str
    year: int | None = None
    entries: list[FormEntry] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    unread: list[CellProblem] = field(default_factory=list)
    """Warnings: what the workbook holds that is not read (:func:`not_read`)."""
    shape: Sheet = field(default_factory=Sheet)
    """The "Form" sheet's merged ranges and links, read after its rows."""


def open_workbook(path: Path) -> Workbook:
    """The workbook at ``path``, checked by the Office guard first; raises ``OfficeFileError``."""
    from lgcb.excel.cells import SheetError
    from lgcb.office import OfficeFileError, check_package

    data = check_package(path, "xlsx")
    try:
        return Workbook(data)
    except SheetError as e:
        raise OfficeFileError(_unreadable(path, e)) from None


def _unreadable(path: Path, error: Exception) -> str:
    return (
        f"{display_path(path)}: cannot read the workbook ({error}); "
        "open it in Excel or LibreOffice and save it as .xlsx"
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def cell_value(cell: Any) -> tuple[Any, str | None]:
    """A cell's value as plan data (text stripped, whole numbers as int), or None and why it cannot be one."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and cell.data_type == "f"):
        return None, f"holds a formula ({value}); lgcb never computes formulas: type the value itself"
    if isinstance(value, bool):
        return None, f"holds the yes/no value {str(value).upper()}; type a number or a text"
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return None, "holds a date or time; type the value as a number or a text (format the cell as Text first)"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value), None
    if isinstance(value, str):
        return value.strip() or None, None
    return value, None


def read_form(path: Path) -> Form:
    """A filled form: its year and every row with a value; problems located by sheet and cell."""
    from lgcb.office import OfficeFileError

    name = display_path(path)
    form = Form(name)
    try:
        workbook = open_workbook(path)
    except OfficeFileError as e:
        form.problems.append(CellProblem(name, None, None, str(e).removeprefix(f"{name}: ")))
        return form
    try:
        _read_form(workbook, form)
        if not form.problems:
            notes = layout.note_cells(layout.FORM_COLUMNS, layout.form_notes(form.year or 0))
            form.unread = not_read(workbook, name, layout.FORM, (layout.INSTRUCTIONS,), notes, form.shape)
    except SheetError as e:  # a sheet's XML is damaged: what was read of it is not used
        form.entries.clear()
        form.problems.append(CellProblem(name, None, None, _unreadable(path, e).removeprefix(f"{name}: ")))
    finally:
        workbook.close()
    return form


def _read_form(workbook: Any, form: Form) -> None:
    def problem(sheet: str | None, cell: str | None, message: str) -> None:
        form.problems.append(CellProblem(form.file, sheet, cell, message))

    missing = [s for s in (layout.INSTRUCTIONS, layout.FORM) if s not in workbook.sheetnames]
    if missing:
        problem(
            None,
            None,
            f"no sheet {', '.join(repr(s) for s in missing)}: this is not a form made by `lgcb progress form` "
            "(make one with: lgcb progress form --year YEAR)",
        )
        return
    year_row, year_column = int(layout.FORM_YEAR_CELL[1:]), layout.column_number(layout.FORM_YEAR_CELL[0]) + 1
    about: dict[int, Cell] = {}
    for number, row_cells in workbook.rows(layout.INSTRUCTIONS):
        if number == year_row:
            about = {c.column: c for c in row_cells}
        if number >= year_row:
            break
    year_cell, label_cell = about.get(year_column), about.get(year_column - 1)
    year, why = cell_value(year_cell) if year_cell is not None else (None, None)
    label = _text(label_cell.value) if label_cell is not None else ""
    if label != layout.FORM_YEAR_LABEL or why or not isinstance(year, int):
        problem(
            layout.INSTRUCTIONS,
            layout.FORM_YEAR_CELL,
            "the form's year is missing or not a year; make a new form with: lgcb progress form --year YEAR",
        )
    else:
        form.year = year

    rows = _rows(workbook.rows(layout.FORM, form.shape), len(layout.FORM_COLUMNS))
    number, header, header_beyond = next(rows, (1, [], []))
    if number != 1:
        rows = itertools.chain([(number, header, header_beyond)], rows)
        header, header_beyond = [], []
    expected = [c.header for c in layout.FORM_COLUMNS]
    found = [_text(c.value) if c is not None else "" for c in header]
    found += [""] * (len(expected) - len(found))
    for i, (want, have) in enumerate(zip(expected, found, strict=False)):
        if want != have:
            problem(
                layout.FORM,
                f"{layout.letter(i)}1",
                f"the header is {have!r} where the form has {want!r}: columns were moved, renamed or removed; "
                "fill in a new form (lgcb progress form) or put the columns back",
            )
            return
    extra = [c for c in header_beyond if _text(c.value)]
    if extra:
        problem(
            layout.FORM,
            extra[0].coordinate,
            f"a column {_text(extra[0].value)!r} was added; lgcb reads only Value and Source",
        )
    ids = layout.column_index(layout.FORM_COLUMNS, "id")
    values = layout.column_index(layout.FORM_COLUMNS, "value")
    sources = layout.column_index(layout.FORM_COLUMNS, "source")
    for number, cells, _ in rows:
        id_cell, value_cell, source_cell = cells[ids], cells[values], cells[sources]
        value, why = cell_value(value_cell) if value_cell is not None else (None, None)
        source, source_why = cell_value(source_cell) if source_cell is not None else (None, None)
        ident = _text(id_cell.value) if id_cell is not None else ""
        where = f"{layout.letter(values)}{number}"
        if why:
            problem(layout.FORM, where, f"the value {why}")
            continue
        if source_why:
            problem(layout.FORM, f"{layout.letter(sources)}{number}", f"the source {source_why}")
            continue
        if value is None:
            if source is not None:
                problem(layout.FORM, where, "a source is given but no value: type the value, or clear the source")
            continue
        if not ident:
            problem(
                layout.FORM, f"{layout.letter(ids)}{number}", "a value without an indicator ID: the ID cell is empty"
            )
            continue
        form.entries.append(FormEntry(form.file, number, ident, value, None if source is None else str(source)))


@dataclass(frozen=True)
class SheetRow:
    """One row of the "Entries" sheet: its number and each column's cell (raw value and coordinate)."""

    number: int
    values: dict[str, Any]
    """Column key → the cell's value as stored (text unstripped, whole numbers as int), None for empty."""
    bad: frozenset[str] = frozenset()
    """Columns whose cell could not be read (a formula, a date): already reported, not to be used."""

    def cell(self, key: str) -> str:
        return f"{layout.letter(layout.column_index(layout.ENTRY_COLUMNS, key))}{self.number}"


@dataclass
class EntriesSheet:
    file: str
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    unread: list[CellProblem] = field(default_factory=list)
    """Warnings: what the workbook holds that is not read (:func:`not_read`)."""
    shape: Sheet = field(default_factory=Sheet)
    """The sheet's merged ranges and links, read after its rows."""


def not_read(
    workbook: Workbook,
    file: str,
    read: str,
    for_reading: tuple[str, ...],
    notes: dict[str, str],
    shape: Sheet | None = None,
) -> list[CellProblem]:
    """Warnings for what a workbook lgcb made holds that its import does not read, sheet by sheet:
    a comment on a cell (but the ``notes`` lgcb writes on the header of ``read``, header cell →
    text), a link on a cell of ``read`` (``shape``: what its rows' pass found), a text box, shape
    or chart drawn on a sheet, a sheet lgcb did not make that has values, and a sheet for reading
    (``for_reading``) that is no longer protected, so that an edit there may have been made and
    would be lost without a word."""
    own = {(cell, _note_key(text)) for cell, text in notes.items()}
    out: list[CellProblem] = []
    if shape is not None and shape.links:
        targets = workbook.link_targets(read)
        for cell, rid, place in shape.links:
            target = targets.get(rid) or (f"#{place}" if place else "")
            to = f" to {target}" if target else ""
            out.append(
                CellProblem(
                    file,
                    read,
                    cell,
                    f"warning: a link{to}, not imported: lgcb reads the cell's text; type the address into it "
                    "if it belongs to the plan",
                )
            )
    for name in workbook.sheetnames:
        try:
            out += _not_read_in(workbook, file, name, read, for_reading, own if name == read else set())
        except SheetError as e:
            out.append(CellProblem(file, name, None, f"warning: the sheet cannot be read ({e}): not imported"))
    return out


def _note_key(text: str) -> str:
    """A note's text as compared with lgcb's own: spaces folded, a year (a form's) as any year."""
    return re.sub(r"\b\d{4}\b", "YEAR", " ".join(text.split()))


def _not_read_in(
    workbook: Workbook, file: str, name: str, read: str, for_reading: tuple[str, ...], own: set[tuple[str, str]]
) -> list[CellProblem]:
    out: list[CellProblem] = []
    if name in for_reading and not workbook.protected(name):
        out.append(
            CellProblem(
                file,
                name,
                None,
                f"warning: the sheet is for reading and is not protected: lgcb import reads only {read!r}, "
                f"so an edit made here is not applied; make it in {read!r} (or in the plan's YAML)",
            )
        )
    elif name != read and name not in for_reading and workbook.has_values(name):
        message = f"warning: a sheet lgcb did not make: not imported (lgcb import reads {read!r})"
        out.append(CellProblem(file, name, None, message))
    for cell, text, chart in workbook.drawings(name):
        what = "a chart" if chart else "a text box or shape"
        message = f"warning: {what} drawn on the sheet, not imported" + (f": {quoted(text)}" if text.strip() else "")
        out.append(CellProblem(file, name, cell or None, message))
    for cell, author, text in workbook.comments(name):
        if (cell, _note_key(text)) in own:
            continue  # a note lgcb wrote (a spreadsheet may drop its author; a person may change the year)
        author = author.strip()
        by = f" by {author}" if author else ""
        out.append(CellProblem(file, name, cell, f"warning: a comment{by}, not imported: {quoted(text)}"))
    return out


def _raw(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str) and value == "":
        return None
    return value


def read_entries(path: Path) -> EntriesSheet:
    """The "Entries" sheet of a plan workbook: every non-empty row, and what makes it unreadable.

    Refused, each at its cell: a header that is not the layout's (a column moved, renamed, added or
    removed), a merged cell, a formula, a date or a yes/no value where text belongs.
    """
    from lgcb.memory import collector_paused
    from lgcb.office import OfficeFileError

    name = display_path(path)
    sheet_data = EntriesSheet(name)

    def problem(cell: str | None, message: str, sheet: str | None = layout.ENTRIES) -> None:
        sheet_data.problems.append(CellProblem(name, sheet, cell, message))

    try:
        workbook = open_workbook(path)
    except OfficeFileError as e:
        problem(None, str(e).removeprefix(f"{name}: "), None)
        return sheet_data
    try:
        with collector_paused():  # a cell and a value for each of hundreds of thousands, no cycles
            _read_entries(workbook, sheet_data, problem)
            if not sheet_data.problems:
                notes = layout.note_cells(layout.ENTRY_COLUMNS, layout.entry_notes())
                read = (layout.MATRIX, layout.PLAN)
                sheet_data.unread = not_read(workbook, name, layout.ENTRIES, read, notes, sheet_data.shape)
    except SheetError as e:  # a sheet's XML is damaged: what was read of it is not used
        sheet_data.rows.clear()
        sheet_data.problems[:] = [CellProblem(name, None, None, _unreadable(path, e).removeprefix(f"{name}: "))]
    finally:
        workbook.close()
    return sheet_data


def _read_entries(workbook: Workbook, sheet_data: EntriesSheet, problem: Any) -> None:
    if layout.ENTRIES not in workbook.sheetnames:
        problem(
            None,
            f"no sheet {layout.ENTRIES!r}: this is not a plan workbook made by `lgcb export --format xlsx`",
            None,
        )
        return
    expected = [c.header for c in layout.ENTRY_COLUMNS]
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    width = len(keys)
    shape = sheet_data.shape
    rows = _rows(workbook.rows(layout.ENTRIES, shape), width)
    number, first, first_beyond = next(rows, (1, [], []))
    if number != 1:
        rows = itertools.chain([(number, first, first_beyond)], rows)
        first, first_beyond = [], []
    header = [_text(c.value) if c is not None else "" for c in first]
    while header and not header[-1]:
        header.pop()
    for i, want in enumerate(expected):
        have = header[i] if i < len(header) else ""
        if have != want:
            moved = f" (it is now column {layout.letter(header.index(want))})" if want in header else ""
            problem(
                f"{layout.letter(i)}1",
                f"the header is {have!r} where the workbook has {want!r}{moved}: a column was moved, renamed, added "
                "or removed; put the columns back as `lgcb export` wrote them",
            )
            return
    added = next((c for c in first_beyond if _text(c.value)), None)
    if added is not None:
        problem(
            added.coordinate,
            f"a column {_text(added.value)!r} was added; lgcb import reads only the columns it wrote: remove it",
        )
        return
    found: list[SheetRow] = []
    cell_problems: list[CellProblem] = []
    sheet_data.problems, kept = cell_problems, sheet_data.problems
    for number, cells, beyond in rows:
        values = dict.fromkeys(keys)
        bad: set[str] = set()
        for cell in cells:
            if cell is None:
                continue
            key = keys[cell.column - 1]
            value, kind = cell.value, cell.data_type
            if kind == "s":  # text, most cells: "" is no text
                values[key] = value or None
            elif kind == "n":
                values[key] = _raw(value)
            elif kind == "f":
                problem(
                    cell.coordinate,
                    f"a formula ({value}) where text belongs; lgcb never computes formulas: type the text itself",
                )
                bad.add(key)
            elif kind == "b":
                problem(cell.coordinate, f"the yes/no value {str(value).upper()} where text belongs: type the text")
                bad.add(key)
            elif kind == "d":
                problem(cell.coordinate, "a date where text belongs: format the cell as Text and type it again")
                bad.add(key)
            else:  # an error value such as #N/A, as its text
                values[key] = _raw(value)
        extra = [c for c in beyond if c.value not in (None, "")]
        if extra:
            problem(
                extra[0].coordinate,
                "a cell outside the table's columns: lgcb import would not read it; move or remove it",
            )
        if any(v is not None for v in values.values()):
            found.append(SheetRow(number, values, frozenset(bad)))
    # Merged ranges come after the rows in the sheet: they are reported first, as a person reads the sheet.
    sheet_data.problems = kept
    for merged in sorted(shape.merged, key=_range_start):
        start = merged.split(":", 1)[0]
        problem(start, f"the cells {merged} are merged; unmerge them: every entry needs cells of its own")
    sheet_data.problems.extend(cell_problems)
    sheet_data.rows = found


def _range_start(ref: str) -> tuple[int, int]:
    start = ref.split(":", 1)[0].replace("$", "")
    match = re.match(r"^([A-Za-z]+)(\d+)$", start)
    return (int(match.group(2)), layout.column_number(match.group(1).upper())) if match else (0, 0)


def _rows(stream: Iterator[tuple[int, list[Cell]]], width: int) -> Iterator[tuple[int, list[Cell | None], list[Cell]]]:
    """Each stored row: its number, its first ``width`` columns as a list by column (index 0 for
    column A, None where no cell is), and the cells stored beyond them, left to right.

    The cells past the table are kept as they are, not spread over a list: a damaged sheet can
    put a cell in any column, in any order (its reference is all a row says of where it goes).
    """
    for number, stored in stream:
        cells: list[Cell | None] = [None] * width
        beyond = []
        for cell in stored:
            if 1 <= cell.column <= width:
                cells[cell.column - 1] = cell
            elif cell.column > width:
                beyond.append(cell)
        beyond.sort(key=lambda c: c.column)
        yield number, cells, beyond

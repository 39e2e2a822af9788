"""Writing workbooks by :mod:`lgcb.excel.layout`: the plan (``lgcb export``) and monitoring forms.

Every text is stored as a text cell, whatever it starts with: ``=HYPERLINK(…)`` in a plan entry is
shown as those characters, never computed, and "3.1" or "2014-2015" never become a number or a
date.  Numbers the plan holds as numbers (objective numbers, years, numeric values) are number
cells.  Sheets are written in openpyxl's write-only mode, row by row, to keep large plans fast.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lgcb.excel import layout
from lgcb.excel.layout import Column

if TYPE_CHECKING:
    import zipfile

    from lgcb.model import Plan

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an .xlsx cannot hold (XML 1.0 forbids them)."""


class WorkbookError(Exception):
    """The plan holds something a workbook cannot store; the message names the entry."""


class _Styles:
    """The few cell styles of a workbook, made once and shared by every cell."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill, Protection

        self.header_font = Font(bold=True, color=layout.HEADER_FONT)
        self.header_fill = PatternFill("solid", fgColor=layout.HEADER_FILL)
        self.locked_fill = PatternFill("solid", fgColor=layout.LOCKED_FILL)
        self.editable_fill = PatternFill("solid", fgColor=layout.EDITABLE_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.header_alignment = Alignment(wrap_text=True, vertical="center")
        self.unlocked = Protection(locked=False)
        self.bold = Font(bold=True)


def _cell(sheet: Any, value: Any, where: str) -> Any:
    """A write-only cell: text as a text cell (never a formula), numbers as numbers, None as empty."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        if _ILLEGAL.search(value):
            char = _ILLEGAL.search(value).group()  # type: ignore[union-attr]
            raise WorkbookError(
                f"{where}: the text holds the control character U+{ord(char):04X}, which a workbook cannot store"
            )
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would make "=…" a formula
        return cell
    return WriteOnlyCell(sheet, value=value)


def _header(sheet: Any, columns: tuple[Column, ...], styles: _Styles, notes: dict[str, str] | None = None) -> list[Any]:
    from openpyxl.comments import Comment

    cells = []
    for column in columns:
        cell = _cell(sheet, column.header, "header")
        cell.font = styles.header_font
        cell.fill = styles.header_fill
        cell.alignment = styles.header_alignment
        note = (notes or {}).get(column.key)
        if note:
            cell.comment = Comment(note, "lgcb", width=300, height=120)
        cells.append(cell)
    return cells


def _setup(sheet: Any, columns: tuple[Column, ...], rows: int) -> None:
    """Widths, the frozen header row, a filter over the whole table; printed landscape, one page wide."""
    for i, column in enumerate(columns):
        sheet.column_dimensions[layout.letter(i)].width = column.width
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{layout.letter(len(columns) - 1)}{max(rows, 1) + 1}"


def _print_setup(sheet: Any) -> None:
    """Printed landscape, one page wide."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _row(
    sheet: Any,
    columns: tuple[Column, ...],
    values: dict[str, Any],
    styles: _Styles,
    where: str,
    *,
    shade_locked: bool = True,
    unlock_editable: bool = False,
) -> list[Any]:
    cells = []
    for column in columns:
        cell = _cell(sheet, values.get(column.key), where)
        cell.alignment = styles.wrap if column.wrap else styles.top
        if column.editable:
            if unlock_editable:
                cell.protection = styles.unlocked
                cell.fill = styles.editable_fill
        elif shade_locked:
            cell.fill = styles.locked_fill
        cells.append(cell)
    return cells


def _height(columns: tuple[Column, ...], values: dict[str, Any]) -> float | None:
    """A row height (points) that shows all of its wrapped text: spreadsheets do not grow a row when
    they open a file, so a long text would otherwise be cut off (on screen and in print)."""
    lines = 1
    for column in columns:
        if not column.wrap:
            continue
        value = values.get(column.key)
        if not isinstance(value, str):
            continue
        per_line = int(column.width * 1.2) or 1  # a width unit holds a little more than a character
        if "\n" in value:
            count = sum(-(-max(len(part), 1) // per_line) for part in value.split("\n"))
        else:
            count = -(-len(value) // per_line)
        lines = max(lines, count)
    return 15.0 * lines if lines > 1 else None


def _append(sheet: Any, number: int, columns: tuple[Column, ...], values: dict[str, Any], cells: list[Any]) -> None:
    """Append row ``number`` (write-only sheets do not count their rows), as tall as its text needs."""
    height = _height(columns, values)
    if height is not None:
        sheet.row_dimensions[number].height = height
    sheet.append(cells)


class _Tables:
    """The data rows of large sheets, written as sheet XML directly rather than cell by cell.

    openpyxl spends some 40 µs on each styled cell, a minute for the million cells of a plan of
    1,000 objectives.  So a table's header is written by openpyxl (with its notes and styles), and
    its data rows are made here as XML text, streamed into the saved package: text as inline
    strings, numbers as numbers, each cell with the style of its column.  Empty cells whose style
    does not show are left out; the columns carry the same styles, for the rows a person adds.
    """

    def __init__(self) -> None:
        self.sheets: dict[int, tuple[Callable[[], Iterator[str]], int, int]] = {}
        """Sheet position (0-based) → (the rows' XML, in chunks; last row; column count)."""

    def add(
        self,
        workbook: Any,
        sheet: Any,
        columns: tuple[Column, ...],
        table: list[dict[str, Any]],
        styles: list[_Style],
        label: str,
        shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        """Give ``sheet`` the rows of ``table`` (after its header), column ``i`` styled as ``styles[i]``;
        ``shape`` turns each row into the cell values as it is written (no second table in memory)."""
        from openpyxl.cell import WriteOnlyCell

        ids = []
        for i, style in enumerate(styles):
            template = WriteOnlyCell(sheet)
            dimension = sheet.column_dimensions[layout.letter(i)]
            for name in ("font", "fill", "alignment", "protection"):
                value = getattr(style, name, None)
                if value is not None:
                    setattr(template, name, value)
                    setattr(dimension, name, value)
            ids.append(template.style_id)
        # An empty cell is written when its style shows (a fill, an unlocked cell): spreadsheets
        # do not all apply a column's style to the cells a file leaves out (LibreOffice does not).
        shown = [style.fill is not None or style.protection is not None for style in styles]
        position = sheet.parent.worksheets.index(sheet)
        rows = functools.partial(_rows_xml, columns, table, ids, shown, label, shape)
        self.sheets[position] = (rows, len(table) + 1, len(columns))

    def finish(self, package: bytes) -> bytes:
        """The saved package with each table's rows put into its sheet."""
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(package))
        out = io.BytesIO()
        with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                data = source.read(info)
                match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
                table = self.sheets.get(int(match.group(1)) - 1) if match else None
                if table is None:
                    target.writestr(info, data)
                    continue
                rows, last, width = table
                text = data.decode("utf-8")
                end = text.index("</sheetData>")
                ref = f"A1:{layout.letter(width - 1)}{last}"
                head = _with_dimension(text[:end], ref)
                info.compress_type = zipfile.ZIP_DEFLATED
                _fast_level(info)
                with target.open(info, "w") as stream:
                    stream.write(head.encode("utf-8"))
                    for chunk in rows():
                        stream.write(chunk.encode("utf-8"))
                    stream.write(text[end:].encode("utf-8"))
        return out.getvalue()


def _fast_level(info: zipfile.ZipInfo) -> None:
    """Compress a streamed sheet at level 1, as the rest of the package: ``ZipFile.open(info, "w")``
    takes the level from the entry, which would otherwise be zlib's default (6), three times slower
    for a file a fifth smaller."""
    if hasattr(info, "compress_level"):  # Python 3.13 and later
        info.compress_level = 1
    else:
        info._compresslevel = 1  # type: ignore[attr-defined]


def _with_dimension(head: str, ref: str) -> str:
    """The sheet XML before its rows, with ``<dimension ref>`` giving the table's extent.

    openpyxl's write-only sheets have none; readers that size a sheet by it (openpyxl's read-only
    mode) would otherwise parse the whole sheet to find its size.  It comes after ``sheetPr``.
    """
    element = f'<dimension ref="{ref}"/>'
    if re.search(r"<dimension\b", head):
        return re.sub(r"<dimension\b[^>]*/>", element, head, count=1)
    match = re.search(r"</sheetPr>|<sheetPr\b[^>]*/>", head) or re.search(r"<worksheet\b[^>]*>", head)
    assert match is not None
    return head[: match.end()] + element + head[match.end() :]


def _rows_xml(
    columns: tuple[Column, ...],
    table: list[dict[str, Any]],
    ids: list[int],
    shown: list[bool],
    label: str,
    shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Iterator[str]:
    """The ``<row>`` elements of ``table`` from row 2 on, a few hundred rows at a time.

    The hot loop of a large export: per column, the fixed parts of its cells are made once.
    """
    cells = [
        (c.key, f'<c r="{layout.letter(i)}', f'" s="{style}"', keep)
        for i, (c, style, keep) in enumerate(zip(columns, ids, shown, strict=True))
    ]
    wrapped = [(c.key, int(c.width * 1.2) or 1) for c in columns if c.wrap]  # a width unit: ~1.2 characters
    special = _SPECIAL.search
    parts: list[str] = []
    append = parts.append
    for number, row in enumerate(table, start=2):
        values = shape(row) if shape else row
        lines = 1
        for key, per_line in wrapped:
            value = values.get(key)
            if value.__class__ is str and (len(value) > per_line or "\n" in value):
                lines = max(lines, _lines(value, per_line))
        append(f'<row r="{number}" ht="{15.0 * lines}" customHeight="1">' if lines > 1 else f'<row r="{number}">')
        for key, start, style, keep in cells:
            value = values.get(key)
            if value is None:
                if keep:
                    append(f"{start}{number}{style}/>")
                continue
            kind = value.__class__
            if kind is int or kind is float:
                append(f"{start}{number}{style}><v>{value!r}</v></c>")
            elif kind is bool:  # never in a plan; kept out of the number branch
                append(f'{start}{number}{style} t="b"><v>{int(value)}</v></c>')
            else:
                text = value if kind is str else str(value)
                if special(text) is not None:
                    text = _xml_text(text, label, values)
                # xml:space keeps spaces at the ends (which spreadsheets otherwise trim); most texts have none
                if text[:1].isspace() or text[-1:].isspace():
                    append(f'{start}{number}{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
                else:
                    append(f'{start}{number}{style} t="inlineStr"><is><t>{text}</t></is></c>')
        append("</row>")
        if len(parts) > 4000:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)


def _lines(value: str, per_line: int) -> int:
    if "\n" in value:
        return sum(-(-max(len(part), 1) // per_line) for part in value.split("\n"))
    return -(-len(value) // per_line)


_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
"""Text that OOXML reads as an escaped character (``_x0041_`` is "A"): its ``_`` is escaped in turn."""


_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")
"""What a text needs escaped in sheet XML; most texts have none of it and are written as they are."""


def _xml_text(value: str, label: str, values: dict[str, Any]) -> str:
    if _SPECIAL.search(value) is None:
        return value
    if _ILLEGAL.search(value):
        char = _ILLEGAL.search(value).group()  # type: ignore[union-attr]
        where = f"{label} {values.get('id', '')}".strip()
        raise WorkbookError(
            f"{where}: the text holds the control character U+{ord(char):04X}, which a workbook cannot store"
        )
    value = _ESCAPED.sub(lambda m: "_x005F" + m.group(), value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


@dataclass
class _Style:
    """The style of one column's cells (openpyxl style objects; None for openpyxl's default)."""

    alignment: Any = None
    fill: Any = None
    protection: Any = None
    font: Any = None


def _column_styles(
    columns: tuple[Column, ...], styles: _Styles, *, shade_locked: bool = True, unlock_editable: bool = False
) -> list[_Style]:
    result = []
    for column in columns:
        style = _Style(alignment=styles.wrap if column.wrap else styles.top)
        if column.editable:
            if unlock_editable:
                style.protection = styles.unlocked
                style.fill = styles.editable_fill
        elif shade_locked:
            style.fill = styles.locked_fill
        result.append(style)
    return result


def _entry_values(row: dict[str, Any]) -> dict[str, Any]:
    values = dict(row)
    values["serves"] = layout.LIST_SEPARATOR.join(row["serves"]) or None
    values["measures"] = layout.LIST_SEPARATOR.join(row["measures"]) or None
    values["targets"] = layout.format_targets(row["targets"]) or None
    return values


def _matrix_rows(plan: Plan, table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per indicator, from the export rows (``table``): no second walk through the plan."""
    texts = {row["id"]: row["text"] for row in table}
    titles = {o.number: o.title for o in plan.objectives}
    return [
        {
            "objective": row["objective"],
            "objective_title": titles[row["objective"]],
            "outcome_ids": layout.LIST_SEPARATOR.join(row["measures"]) or None,
            "outcomes": "\n".join(texts.get(i, i) for i in row["measures"]) or None,
            "id": row["id"],
            "text": row["text"],
            "measure": row["measure"],
            "unit": row["unit"],
            "baseline_value": row["baseline_value"],
            "baseline_year": row["baseline_year"],
            "targets": layout.format_targets(row["targets"]) or None,
            "means_of_verification": row["means_of_verification"],
        }
        for row in table
        if row["kind"] == "indicator"
    ]


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _workbook() -> Any:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "lgcb"
    return workbook


def plan_workbook(plan: Plan) -> bytes:
    """The plan as an .xlsx: "Entries", "Results matrix" and "Plan" (see :mod:`lgcb.excel.layout`)."""
    from lgcb.outputs.export import rows

    styles = _Styles()
    workbook = _workbook()

    tables = _Tables()
    entries = workbook.create_sheet(layout.ENTRIES)
    exported = rows(plan)
    table = exported
    _setup(entries, layout.ENTRY_COLUMNS, len(table))
    entries.append(_header(entries, layout.ENTRY_COLUMNS, styles, layout.entry_notes()))
    column_styles = _column_styles(layout.ENTRY_COLUMNS, styles)
    tables.add(workbook, entries, layout.ENTRY_COLUMNS, table, column_styles, "entry", _entry_values)

    matrix = workbook.create_sheet(layout.MATRIX)
    indicators = _matrix_rows(plan, exported)
    _setup(matrix, layout.MATRIX_COLUMNS, len(indicators))
    matrix.append(_header(matrix, layout.MATRIX_COLUMNS, styles))
    column_styles = _column_styles(layout.MATRIX_COLUMNS, styles, shade_locked=False)
    tables.add(workbook, matrix, layout.MATRIX_COLUMNS, indicators, column_styles, "indicator")

    plan_sheet = workbook.create_sheet(layout.PLAN)
    _plan_sheet(plan_sheet, plan, styles)
    for sheet in (matrix, plan_sheet):  # for reading: lgcb import reads "Entries" only
        _protect(sheet)
    return tables.finish(_save(workbook))


def _protect(sheet: Any) -> None:
    """Protect a sheet without a password, as a guard against slips (not people): its cells cannot
    be typed over, while filtering, sorting and resizing stay allowed."""
    protection = sheet.protection
    protection.sheet = True
    protection.autoFilter = False
    protection.sort = False
    protection.formatColumns = False
    protection.formatRows = False


def _plan_sheet(sheet: Any, plan: Plan, styles: _Styles) -> None:
    info = plan.info
    source = info.source
    details = [
        ("Title", info.title),
        ("Subtitle", info.subtitle),
        ("Source document", source.document),
        ("Annex", source.annex),
        ("Meeting", source.meeting),
        ("Place", source.place),
        ("Dates", source.dates),
        ("Paragraphs", source.paragraphs),
        ("Timeframe", f"{info.timeframe.start}–{info.timeframe.end}"),
        ("Strategic Plan", info.strategic_plan.title),
    ]
    sheet.column_dimensions["A"].width = 24
    for i, column in enumerate(layout.PLAN_OBJECTIVE_COLUMNS[1:], start=1):
        sheet.column_dimensions[layout.letter(i)].width = column.width
    for label, value in details:
        name = _cell(sheet, label, "plan")
        name.font = styles.bold
        text = _cell(sheet, value, f"plan {label.lower()}")
        text.alignment = styles.wrap
        sheet.append([name, text])
    if info.illustrative:
        from lgcb.model import ILLUSTRATIVE_NOTICE

        sheet.append([_cell(sheet, "Note", "plan"), _cell(sheet, ILLUSTRATIVE_NOTICE, "plan")])
    sheet.append([])
    sheet.append(_header(sheet, layout.PLAN_OBJECTIVE_COLUMNS, styles))
    first = len(details) + int(info.illustrative) + 3  # the details, a blank row, the header
    for number, objective in enumerate(plan.objectives, start=first):
        values = objective.model_dump(include={"number", "title", "aim", "strategic_plan_objective"})
        where = f"objective {objective.number}"
        cells = _row(sheet, layout.PLAN_OBJECTIVE_COLUMNS, values, styles, where, shade_locked=False)
        _append(sheet, number, layout.PLAN_OBJECTIVE_COLUMNS, values, cells)
    sheet.append([])
    strategic = (Column("number", "Strategic Plan objective", 24), Column("title", "Title", 40, wrap=True))
    sheet.append(_header(sheet, strategic, styles))
    for item in info.strategic_plan.objectives:
        sheet.append(_row(sheet, strategic, item.model_dump(), styles, "strategic plan", shade_locked=False))


def _form_instructions(plan: Plan, year: int, objectives: tuple[int, ...]) -> list[str]:
    scope = ", ".join(str(n) for n in objectives) if objectives else "all"
    lines = [
        f"Sheet '{layout.FORM}' has one row per indicator of the plan (objectives: {scope}).",
        f"In the column Value, type the value observed for {year}: a number for an indicator measured as a "
        "number, amount or ratio (not negative); a number from 0 to 100 for a percentage (without the % sign); "
        "a short text for a qualitative indicator.",
        "In the column Source, say where the value comes from (e.g. fourth national reports).",
        "Leave Value empty for an indicator you have no value for: the row is skipped.",
        "Only Value and Source can be changed; the other cells are locked (the protection has no password and "
        "guards against slips). Do not add or delete rows, columns or sheets.",
        "Save the file as Excel (.xlsx) — not .xlsm, .xls or .ods — and send it back. It is recorded in the "
        "plan with: lgcb progress record <this file>",
    ]
    if plan.info.illustrative:
        from lgcb.model import ILLUSTRATIVE_NOTICE

        lines.insert(0, f"{ILLUSTRATIVE_NOTICE}.")
    return lines


def _form_rows(plan: Plan, year: int, objectives: tuple[int, ...]) -> list[dict[str, Any]]:
    from lgcb.model import Indicator

    result = []
    for objective in plan.objectives:
        if objectives and objective.number not in objectives:
            continue
        for indicator in objective.items("indicators"):
            assert isinstance(indicator, Indicator)
            baseline = indicator.baseline
            latest = max(plan.observations(indicator.id), key=lambda o: o.sort_key, default=None)
            result.append(
                {
                    "id": indicator.id,
                    "objective": objective.number,
                    "text": indicator.text,
                    "measure": indicator.measure,
                    "unit": indicator.unit,
                    "baseline": f"{_value_text(baseline.value)} ({baseline.year})" if baseline else None,
                    "target": layout.format_targets([t.model_dump() for t in indicator.targets]) or None,
                    "latest": f"{_value_text(latest.value)} ({latest.period})" if latest else None,
                    "value": None,
                    "source": None,
                }
            )
    return result


def _value_text(value: Any) -> str:
    return layout.format_number(value) if isinstance(value, (int, float)) else str(value)


def _validations(measures: dict[str, list[str]], year: int) -> list[Any]:
    """Data validation of the Value cells, by measure: spreadsheets then refuse a value that cannot fit."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rules = {
        "number": ("decimal", "greaterThanOrEqual", "0", None, "a number, not negative"),
        "amount": ("decimal", "greaterThanOrEqual", "0", None, "an amount: a number, not negative"),
        "ratio": ("decimal", "greaterThanOrEqual", "0", None, "a ratio: a number, not negative"),
        "percentage": ("decimal", "between", "0", "100", "a percentage: a number from 0 to 100, without %"),
        "qualitative": ("textLength", "greaterThan", "0", None, "a short text describing the state in the year"),
    }
    result = []
    for measure, cells in measures.items():
        if measure not in rules or not cells:
            continue
        kind, operator, low, high, what = rules[measure]
        validation = DataValidation(
            type=kind,
            operator=operator,
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Not a value for this indicator",
            error=f"This indicator is measured as {measure}: type {what}.",
            promptTitle=f"Value for {year}",
            prompt=f"Type {what}.",
        )
        validation.sqref = " ".join(cells)
        result.append(validation)
    return result


def form_workbook(plan: Plan, year: int, objectives: tuple[int, ...] = ()) -> bytes:
    """A monitoring form for ``year``: "Instructions" first, then "Form" with one row per indicator."""
    from openpyxl.styles import Font

    styles = _Styles()
    workbook = _workbook()

    about = workbook.create_sheet(layout.INSTRUCTIONS)
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 100
    _print_setup(about)
    title = _cell(about, layout.FORM_TITLE, "form")
    title.font = Font(bold=True, size=14)
    about.append([title])
    label = _cell(about, "Plan", "form")
    label.font = styles.bold
    about.append([label, _cell(about, plan.info.title, "plan title")])
    label = _cell(about, layout.FORM_YEAR_LABEL, "form")
    label.font = styles.bold
    year_cell = _cell(about, year, "form")
    year_cell.font = styles.bold
    year_cell.alignment = layout_left()
    about.append([label, year_cell])  # row 3: layout.FORM_YEAR_CELL
    about.append([])
    for number, line in enumerate(_form_instructions(plan, year, objectives), start=1):
        text = _cell(about, line, "form")
        text.alignment = styles.wrap
        about.row_dimensions[4 + number].height = 15.0 * (1 + len(line) // 110)
        about.append([_cell(about, f"{number}.", "form"), text])
    about.protection.sheet = True

    form = workbook.create_sheet(layout.FORM)
    table = _form_rows(plan, year, objectives)
    _setup(form, layout.FORM_COLUMNS, len(table))
    form.append(_header(form, layout.FORM_COLUMNS, styles, layout.form_notes(year)))
    value_letter = layout.letter(layout.column_index(layout.FORM_COLUMNS, "value"))
    measures: dict[str, list[str]] = {}
    for number, values in enumerate(table, start=2):
        if values["measure"]:
            measures.setdefault(values["measure"], []).append(f"{value_letter}{number}")
    tables = _Tables()
    column_styles = _column_styles(layout.FORM_COLUMNS, styles, unlock_editable=True)
    tables.add(workbook, form, layout.FORM_COLUMNS, table, column_styles, "indicator")
    for validation in _validations(measures, year):
        form.data_validations.append(validation)
    _protect(form)
    return tables.finish(_save(workbook))


def layout_left() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="left")

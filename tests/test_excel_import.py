"""``lgcb import plan.xlsx --onto DIR``: an edited workbook read back as edits of the plan, keyed by ID."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from lgcb.excel import layout

OBJECTIVE_3 = "objectives/03-handling-transport-packaging-identification.yaml"
COLUMN = {c.key: i for i, c in enumerate(layout.ENTRY_COLUMNS)}


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def exported(invoke: Callable[..., Result], copy_plan: Path, tmp_path: Path) -> Path:
    target = tmp_path / "plan.xlsx"
    assert invoke("export", "-o", str(target), plan=copy_plan).exit_code == 0
    return target


def edit(path: Path, change: Callable[[openpyxl.worksheet.worksheet.Worksheet, dict[str, int]], None]) -> Path:
    """Open the workbook, let ``change`` edit "Entries" (given the row of each ID), save it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Entries"]
    change(sheet, {row[3].value: row[0].row for row in sheet.iter_rows(min_row=2)})
    workbook.save(path)
    return path


def cell(key: str, row: int) -> str:
    return f"{layout.letter(COLUMN[key])}{row}"


def test_exporting_and_importing_again_changes_nothing(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    before = snapshot(copy_plan)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"No changes: the plan in {copy_plan} already matches {exported}.\n"
    assert result.stderr == ""  # lgcb's own header notes and protected sheets are not reported
    assert snapshot(copy_plan) == before


def test_a_workbook_saved_by_libreoffice_calc_changes_nothing_either(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path, tmp_path: Path
) -> None:
    from excel_support import saved_by_calc

    before = snapshot(copy_plan)

    saved = saved_by_calc(exported, tmp_path)
    assert [s.protection.sheet for s in openpyxl.load_workbook(saved)] == [False, True, True]

    result = invoke("import", str(saved), "--onto", str(copy_plan))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No changes")
    assert result.stderr == ""  # Calc kept the protection and lgcb's notes as they were
    assert snapshot(copy_plan) == before


def test_what_the_import_does_not_read_is_reported_and_the_edits_still_apply(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    """Only "Entries" is read: a reviewer's comment, a sheet of their own, and an edit in a sheet
    for reading (whose protection they took off) are each named, so that nothing is lost silently."""
    from openpyxl.comments import Comment

    workbook = openpyxl.load_workbook(exported)
    entries = workbook["Entries"]
    rows = {row[3].value: row[0].row for row in entries.iter_rows(min_row=2)}
    entries[cell("text", rows["3.R2"])].comment = Comment("Is this still true in 2026?", "Ana")
    entries[cell("text", rows["3.R1"])] = "Local experts trained"
    matrix = workbook["Results matrix"]
    matrix.protection.sheet = False
    matrix["I3"] = 99
    workbook.create_sheet("My notes")["B2"] = "ask about 3.R2"
    workbook.create_sheet("Empty")
    workbook.save(exported)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{exported}: sheet 'Entries' cell {cell('text', rows['3.R2'])}: warning: a comment by Ana, not imported: "
        "'Is this still true in 2026?'",
        f"{exported}: sheet 'Results matrix': warning: the sheet is for reading and is not protected: lgcb import "
        "reads only 'Entries', so an edit made here is not applied; make it in 'Entries' (or in the plan's YAML)",
        f"{exported}: sheet 'My notes': warning: a sheet lgcb did not make: not imported (lgcb import reads 'Entries')",
    ]
    assert "Local experts trained" in (copy_plan / OBJECTIVE_3).read_text(encoding="utf-8")


_TEXT_BOX = (
    '<xdr:twoCellAnchor xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
    "<xdr:from><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
    "<xdr:to><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
    '<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="9" name="Text box"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
    "<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Ask the Secretariat about </a:t></a:r><a:r><a:t>3.R2</a:t></a:r></a:p>"
    "</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
)


def test_links_text_boxes_and_charts_on_a_sheet_are_reported(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    """A link on a cell keeps an address the cell's text does not show; a text box or a chart
    keeps its text out of the cells: each is named with the cell it is on."""
    import zipfile

    from openpyxl.chart import BarChart, Reference

    workbook = openpyxl.load_workbook(exported)
    entries = workbook["Entries"]
    rows = {row[3].value: row[0].row for row in entries.iter_rows(min_row=2)}
    entries[cell("text", rows["3.R2"])].hyperlink = "https://bch.cbd.int/"
    chart = BarChart()
    chart.add_data(Reference(entries, min_col=7, min_row=1, max_row=5), titles_from_data=True)
    entries.add_chart(chart, "T2")
    workbook.save(exported)
    with zipfile.ZipFile(exported) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    (drawing,) = [name for name in parts if name.startswith("xl/drawings/drawing")]
    assert parts[drawing].endswith(b"</wsDr>")  # openpyxl's drawing, in the default namespace
    parts[drawing] = parts[drawing].replace(b"</wsDr>", _TEXT_BOX.encode() + b"</wsDr>")
    with zipfile.ZipFile(exported, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)

    result = invoke("import", str(exported), "--onto", str(copy_plan), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{exported}: sheet 'Entries' cell {cell('text', rows['3.R2'])}: warning: a link to https://bch.cbd.int/, "
        "not imported: lgcb reads the cell's text; type the address into it if it belongs to the plan",
        f"{exported}: sheet 'Entries' cell T2: warning: a chart drawn on the sheet, not imported",
        f"{exported}: sheet 'Entries' cell K5: warning: a text box or shape drawn on the sheet, not imported: "
        "'Ask the Secretariat about 3.R2'",
    ]
    assert result.stdout.startswith("No changes")


def test_edits_additions_and_removals_are_written_and_shown_as_a_diff(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    def change(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        sheet[cell("text", rows["3.I1"])] = "Number of customs officers trained"
        sheet[cell("measure", rows["3.I1"])] = "number"
        sheet[cell("baseline_value", rows["3.I1"])] = 250
        sheet[cell("baseline_year", rows["3.I1"])] = 2011
        sheet[cell("targets", rows["3.I1"])] = "2015: 500; 2020: 1000"
        sheet[cell("serves", rows["3.A9"])] = "3.R2; 3.r3"  # IDs in any case
        sheet.delete_rows(rows["3.A4"])
        sheet.append([3, "activities", "activity", None, "3.G2", None, None, None, "A new activity"])
        sheet.append([3, "outcomes", None, None, None, None, None, None, "A new outcome"])

    edit(exported, change)
    before = snapshot(copy_plan)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 0, result.output
    assert (
        "  Modified indicator 3.I1:\n      text: Number of customs officers [-and laboratory personnel-] trained\n"
        in (result.stdout)
    )
    assert "  Removed activity 3.A4:\n" in result.stdout
    assert "  Added activity 3.A16 under 3.G2:\n      A new activity\n" in result.stdout
    assert "New entries (IDs assigned): 3.O3, 3.A16\nRemoved entries (their rows were deleted): 3.A4\n" in result.stdout
    after = snapshot(copy_plan)
    assert [name for name in after if after[name] != before[name]] == [OBJECTIVE_3]  # the others byte for byte
    text = after[OBJECTIVE_3].decode("utf-8")
    assert "  - id: 3.O3\n    text: A new outcome\n" in text
    assert "    measure: number\n    baseline:\n      value: 250\n      year: 2011\n" in text
    assert "        serves:\n          - 3.R2\n          - 3.R3\n" in text
    assert "3.A4" not in text
    assert text.startswith("# yaml-language-server:")  # the file's comments are kept
    assert invoke("validate", plan=copy_plan).exit_code == 0
    assert invoke("fmt", "--check", plan=copy_plan).exit_code == 0


def test_a_dry_run_writes_nothing(invoke: Callable[..., Result], copy_plan: Path, exported: Path) -> None:
    edit(exported, lambda sheet, rows: sheet.delete_rows(rows["8.A1"]))
    before = snapshot(copy_plan)

    result = invoke("import", str(exported), "--onto", str(copy_plan), "--dry-run")

    assert result.exit_code == 0
    assert result.stdout.endswith(f"Dry run: would change 1 file in {copy_plan}.\n")
    assert snapshot(copy_plan) == before


def test_every_mistake_is_reported_at_its_cell_and_nothing_is_written(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    spots: dict[str, int] = {}

    def change(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        spots.update(rows)
        sheet[cell("id", rows["2.A3"])] = "2.A99"  # an ID the plan does not have
        sheet[cell("text", rows["2.A4"])] = '=HYPERLINK("http://example.invalid")'  # a formula
        sheet[cell("kind", rows["2.R1"])] = "activity"  # structure is not edited here
        sheet[cell("measure", rows["2.I1"])] = "numbr"
        sheet[cell("serves", rows["2.A5"])] = "2.R77"
        sheet[cell("targets", rows["2.I2"])] = "in 2015, fifty"
        sheet[cell("number", rows["2.O1"])] = "1"  # an outcome has no number
        sheet[cell("text", rows["2.O2"])] = None
        sheet.merge_cells(f"{cell('note', rows['2.A6'])}:{cell('note', rows['2.A7'])}")

    edit(exported, change)
    before = snapshot(copy_plan)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    def at(key: str, ident: str) -> str:
        return f"{exported}: sheet 'Entries' cell {cell(key, spots[ident])}"

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{at('number', '2.O1')}: an outcome has no Number: leave this cell empty",
        f"{at('text', '2.O2')}: the text is empty: an entry needs its text (delete the row to remove the entry)",
        f"{at('measure', '2.I1')}: the measure must be one of number, percentage, ratio, amount, qualitative "
        "(or empty), not 'numbr'",
        f"{at('targets', '2.I2')}: cannot read the targets 'in 2015, fifty': write each as year: value, separated "
        "by '; ' (e.g. 2015: 50; 2020: 100)",
        f"{at('kind', '2.R1')}: the Kind of 2.R1 is filled in from the plan's structure (result) and cannot be "
        "changed here: put it back (to move an entry, edit the plan's YAML)",
        f"{at('id', '2.A3')}: 2.A99 is not an entry of the plan (did you mean 2.A9?): the ID cell says which entry "
        "a row edits; leave it empty for a new entry",
        f'{at("text", "2.A4")}: a formula (=HYPERLINK("http://example.invalid")) where text belongs; lgcb never '
        "computes formulas: type the text itself",
        f"{at('serves', '2.A5')}: 2.R77 is not a result of the plan; did you mean 2.R7?",
        f"{at('note', '2.A6')}: the cells {cell('note', spots['2.A6'])}:{cell('note', spots['2.A7'])} are merged; "
        "unmerge them: every entry needs cells of its own",
        f"9 problems in {exported}; nothing was written.",
    ]
    assert snapshot(copy_plan) == before


def test_a_moved_or_renamed_column_is_refused(invoke: Callable[..., Result], copy_plan: Path, exported: Path) -> None:
    def swap(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        sheet.move_range("I1:I200", cols=11)  # Text moved to the far right
        sheet.delete_cols(9)

    edit(exported, swap)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{exported}: sheet 'Entries' cell I1: the header is 'Serves' where the workbook has 'Text' (it is now column "
        "S): a column was moved, renamed, added or removed; put the columns back as `lgcb export` wrote them"
    )


def test_a_deleted_parent_with_children_left_is_refused(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    spots: dict[str, int] = {}

    def change(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        spots.update(rows)
        sheet.delete_rows(rows["1.A1"])

    edit(exported, change)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{exported}: sheet 'Entries' cell {cell('parent_id', spots['1.A1.1'] - 1)}: 1.A1.1 sits under 1.A1, whose "
        "row was deleted: delete this row too, or put 1.A1's row back"
    )


def test_edits_that_break_a_plan_rule_are_reported_and_not_written(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    def change(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        sheet[cell("measure", rows["3.I2"])] = "percentage"
        sheet[cell("baseline_value", rows["3.I2"])] = 140
        sheet[cell("baseline_year", rows["3.I2"])] = 2011

    edit(exported, change)
    before = snapshot(copy_plan)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 1
    assert "the plan would not be valid; nothing was written" in result.stderr
    assert "indicator 3.I2: the baseline `value` is a percentage, which lies between 0 and 100, not 140" in (
        result.stderr
    )
    assert snapshot(copy_plan) == before


def test_a_workbook_needs_onto_and_a_plan_there(
    invoke: Callable[..., Result], exported: Path, tmp_path: Path, copy_plan: Path
) -> None:
    missing = invoke("import", str(exported), plan=copy_plan)
    with_output = invoke("import", str(exported), "-o", str(tmp_path / "out"), plan=copy_plan)
    form = tmp_path / "form.xlsx"
    shutil.copy(exported, form)
    workbook = openpyxl.load_workbook(form)
    del workbook["Entries"]
    workbook.save(form)
    not_a_plan = invoke("import", str(form), "--onto", str(copy_plan))

    assert missing.exit_code == 2 and "add --onto DIR (e.g. --onto plan)" in missing.stderr
    assert with_output.exit_code == 2 and "use --onto DIR instead of -o" in with_output.stderr
    assert not_a_plan.exit_code == 1
    assert not_a_plan.stderr.splitlines()[0] == (
        f"{form}: no sheet 'Entries': this is not a plan workbook made by `lgcb export --format xlsx`"
    )


def test_only_the_objectives_a_row_changes_are_rebuilt(copy_plan: Path, exported: Path) -> None:
    """An objective no row edits keeps its model; the check of the written files parses only those that change."""
    from lgcb.checks.load import load_plan
    from lgcb.excel.apply import apply_workbook
    from lgcb.excel.read import read_entries
    from lgcb.model import Objective
    from lgcb.planfile.onto import plan_onto

    def change(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: dict[str, int]) -> None:
        sheet[cell("text", rows["3.I1"])] = "Number of customs officers trained"

    edit(exported, change)
    reuse: dict[str, Objective] = {}
    loaded = load_plan(copy_plan, reuse=reuse)
    assert loaded.plan is not None
    applied = apply_workbook(loaded.plan, read_entries(exported))
    assert applied.plan is not None and not applied.problems
    same = [a is b for a, b in zip(applied.plan.objectives, loaded.plan.objectives, strict=True)]
    assert same == [o.number != 3 for o in loaded.plan.objectives]
    known = len(reuse)
    onto = plan_onto(copy_plan, applied.plan, loaded=loaded, reuse=reuse)
    assert onto.ok and [p.name for p in onto.files] == [Path(OBJECTIVE_3).name]
    assert len(reuse) == known + 1  # the changed file was parsed; the others were taken from the first load


def test_a_cell_stored_far_outside_the_table_and_out_of_order_is_reported_at_its_cell(
    invoke: Callable[..., Result], copy_plan: Path, exported: Path
) -> None:
    """A row's cells say where they go by their references, in any order and in any column: a
    cell in XFD (Excel's last column) stored before column A is a cell outside the table."""
    import re
    import zipfile

    with zipfile.ZipFile(exported) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    row = re.search(r'<row r="3"[^>]*>', sheet)
    assert row is not None
    stray = '<c r="XFD3" t="inlineStr"><is><t>stray</t></is></c>'
    parts["xl/worksheets/sheet1.xml"] = (sheet[: row.end()] + stray + sheet[row.end() :]).encode("utf-8")
    with zipfile.ZipFile(exported, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    result = invoke("import", str(exported), "--onto", str(copy_plan))

    assert result.exit_code == 1
    assert f"{exported}: sheet 'Entries' cell XFD3: a cell outside the table's columns" in result.stderr
    assert "Traceback" not in result.output

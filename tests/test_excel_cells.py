"""The cell stream of :mod:`lgcb.excel.cells`: the values openpyxl gives, read one row at a time."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lgcb.excel import layout
from lgcb.excel.cells import Sheet, SheetError, Workbook
from lgcb.excel.read import read_entries, read_form


def _package(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, part: str, change: dict[str, str]) -> bytes:
    """The package with the text of ``part`` changed (each key replaced by its value)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                text = content.decode("utf-8")
                for old, new in change.items():
                    assert old in text
                    text = text.replace(old, new)
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def test_every_kind_of_cell_reads_as_openpyxl_reads_it() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet.append(["text", 3, 2.5, True, dt.datetime(2015, 3, 1), "=SUM(B1:C1)", None, "  spaced  "])
    sheet.append([None, None, "x"])
    sheet["A4"] = "_x0041_ escaped"
    sheet.merge_cells("A5:B6")
    data = _package(book)
    expected = openpyxl.load_workbook(io.BytesIO(data))["S"]
    workbook = Workbook(data)
    shape = Sheet()
    rows = list(workbook.rows("S", shape))
    assert workbook.sheetnames == ["S"]
    assert [n for n, _ in rows] == [1, 2, 4, 5, 6]  # the merged cells are stored
    for _, cells in rows:
        for cell in cells:
            want = expected.cell(cell.row, cell.column)
            assert (cell.value, cell.data_type) == (want.value, want.data_type), cell.coordinate
    assert [c.coordinate for c in rows[1][1]] == ["C2"]
    assert shape.merged == ["A5:B6"]


def _add_shared_strings(data: bytes, items: str) -> bytes:
    """The package with a shared-string table of ``items`` (``<si>`` elements), A1 pointing at the first."""
    data = _replace(
        data,
        "xl/worksheets/sheet1.xml",
        {'<c r="A1" t="inlineStr"><is><t>swapped for a shared string</t></is></c>': '<c r="A1" t="s"><v>0</v></c>'},
    )
    data = _replace(
        data,
        "xl/_rels/workbook.xml.rels",
        {
            "</Relationships>": '<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
        },
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    data = _replace(
        data,
        "[Content_Types].xml",
        {"</Types>": f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'},
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        table = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + items + "</sst>"
        target.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


def test_shared_strings_with_runs_and_phonetic_text_read_as_their_visible_text() -> None:
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"] = "swapped for a shared string"
    items = '<si><r><t>bio</t></r><r><rPr><b/></rPr><t>safety</t></r><rPh sb="0" eb="3"><t>x</t></rPh></si>'
    data = _add_shared_strings(_package(book), items)
    want = openpyxl.load_workbook(io.BytesIO(data))["S"]["A1"]
    assert want.value == "biosafety"
    (_, cells), *_ = Workbook(data).rows("S")
    assert (cells[0].value, cells[0].data_type) == (want.value, "s")


def test_a_damaged_sheet_is_an_error_not_a_partial_read() -> None:
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"] = "x"
    data = _replace(_package(book), "xl/worksheets/sheet1.xml", {"</sheetData>": "</sheetDat>"})
    with pytest.raises(SheetError):
        list(Workbook(data).rows("S"))


def test_a_damaged_entries_sheet_is_reported_for_the_file(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Entries"
    book.active.append([c.header for c in layout.ENTRY_COLUMNS])
    book.active.append([1, "outcomes", "outcome", "1.O1"])
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_replace(_package(book), "xl/worksheets/sheet1.xml", {"</sheetData>": "<row>"}))
    sheet = read_entries(path)
    assert sheet.rows == []
    assert len(sheet.problems) == 1 and "cannot read the workbook" in str(sheet.problems[0])
    form = read_form(path)
    assert "no sheet 'Instructions'" in str(form.problems[0])


def test_the_exported_tables_state_their_extent(invoke: object, copy_plan: Path, tmp_path: Path) -> None:
    """Readers that size a sheet by its ``<dimension>`` (openpyxl's read-only mode) need not parse it all."""
    target = tmp_path / "plan.xlsx"
    assert invoke("export", "-o", str(target), plan=copy_plan).exit_code == 0  # type: ignore[operator]
    full = openpyxl.load_workbook(target)
    with zipfile.ZipFile(target) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = full["Entries"].max_row
    assert f'<dimension ref="A1:S{rows}"/>' in xml
    assert xml.index("</sheetPr>") < xml.index("<dimension") < xml.index("<sheetViews")
    fast = openpyxl.load_workbook(target, read_only=True)
    assert fast["Entries"].max_row == rows
    assert fast["Results matrix"].max_row == full["Results matrix"].max_row

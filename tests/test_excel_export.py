"""``lgcb export --format xlsx``: the plan as a workbook a person can filter, read and edit safely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from annex import content_units, normalise
from lgcb.excel import layout
from lgcb.model import Plan
from lgcb.office import check_package
from lgcb.outputs.export import rows
from test_export import _add_monitoring, _source

HOSTILE = '=HYPERLINK("http://example.invalid","click")'


def _export(invoke: Callable[..., Result], plan: Path, target: Path) -> openpyxl.Workbook:
    result = invoke("export", "-o", str(target), plan=plan)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(target)


def test_the_workbook_has_entries_a_results_matrix_and_the_plan(
    invoke: Callable[..., Result], plan_dir: Path, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "plan.xlsx"
    result = invoke("export", "-o", str(target))
    workbook = openpyxl.load_workbook(target)

    assert result.stderr == f"Wrote {target}: 169 rows from 8 objectives.\n"
    assert workbook.sheetnames == ["Entries", "Results matrix", "Plan"]
    entries = workbook["Entries"]
    assert [c.value for c in entries[1]] == [c.header for c in layout.ENTRY_COLUMNS]
    assert entries.max_row == len(rows(plan)) + 1
    assert [c.value for c in entries[2]][:9] == [
        1,
        "outcomes",
        "outcome",
        "1.O1",
        None,
        None,
        0,
        None,
        ("National Biosafety Frameworks developed and implemented"),
    ]
    matrix = workbook["Results matrix"]
    indicators = [r for r in rows(plan) if r["kind"] == "indicator"]
    assert matrix.max_row == len(indicators) + 1
    assert [c.value for c in matrix[2]][4:6] == ["1.I1", indicators[0]["text"]]
    assert workbook["Plan"]["B1"].value == plan.info.title


def test_it_looks_like_a_table_a_person_expects(invoke: Callable[..., Result], plan_dir: Path, tmp_path: Path) -> None:
    sheet = _export(invoke, plan_dir, tmp_path / "plan.xlsx")["Entries"]
    header = sheet[1]
    text = layout.column_index(layout.ENTRY_COLUMNS, "text")
    ident = layout.column_index(layout.ENTRY_COLUMNS, "id")

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:S{sheet.max_row}"
    assert all(c.font.bold and c.fill.fgColor.rgb == layout.HEADER_FILL for c in header)
    assert sheet.column_dimensions["I"].width == 70
    assert sheet.cell(2, text + 1).alignment.wrap_text
    assert header[ident].comment.text.startswith("The entry's ID: how lgcb import finds the entry a row edits.")
    assert sheet.cell(2, ident + 1).fill.fgColor.rgb == layout.LOCKED_FILL  # the ID is shaded: not to be edited
    assert sheet.cell(2, text + 1).fill.fill_type is None  # the text is not


def test_text_is_stored_as_text_never_as_a_formula_number_or_date(
    invoke: Callable[..., Result], copy_plan: Path, tmp_path: Path
) -> None:
    _add_monitoring(copy_plan)  # a note '=HYPERLINK(...)'
    path = copy_plan / "objectives" / "03-handling-transport-packaging-identification.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("text: Number of certified laboratories in operation", f"text: '{HOSTILE}'")
        .replace("text: Local experts able", "text: +1 Local experts able")
        .replace("text: Capacity for identification", "text: -2014-2015 Capacity for identification"),
        encoding="utf-8",
    )
    workbook = _export(invoke, copy_plan, tmp_path / "plan.xlsx")

    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert all(isinstance(c.value, (str, int, float)) for c in cells)  # no dates
    by_id = {r[3].value: r for r in workbook["Entries"].iter_rows(min_row=2)}
    assert (by_id["3.I4"][8].value, by_id["3.I4"][8].data_type) == (HOSTILE, "s")
    assert by_id["3.R2"][7].value == "3.2"  # a result number stays text
    assert by_id["3.R2"][8].value.startswith("+1 Local")
    assert by_id["3.I1"][13].value == 0 and by_id["3.I1"][14].value == 2011  # numbers stay numbers


def test_the_workbook_passes_the_office_guard(invoke: Callable[..., Result], plan_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    _export(invoke, plan_dir, target)

    assert check_package(target, "xlsx") == target.read_bytes()


def test_the_format_follows_the_file_name_and_never_goes_to_a_terminal(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = invoke("export", "--format", "xlsx")
    monkeypatch.setattr("click.testing._NamedTextIOWrapper.isatty", lambda self: True)  # stdout is a terminal
    shown = invoke("export", "--format", "xlsx")

    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")
    assert shown.exit_code == 2 and shown.stdout_bytes == b""
    assert "this format is binary and is not written to a terminal: add -o FILE" in shown.stderr
    assert invoke("export", "-o", str(tmp_path / "plan.ods")).exit_code == 2


def test_libreoffice_calc_reads_the_workbook_cell_for_cell(
    invoke: Callable[..., Result], copy_plan: Path, tmp_path: Path
) -> None:
    from excel_support import calc_sheets

    _add_monitoring(copy_plan)
    target = tmp_path / "plan.xlsx"
    workbook = _export(invoke, copy_plan, target)
    sheets = calc_sheets(target, tmp_path)

    assert set(sheets) == {"Entries", "Results matrix", "Plan"}
    for name, shown in sheets.items():
        written = [
            [
                ""
                if c.value is None
                else layout.format_number(c.value)
                if isinstance(c.value, (int, float))
                else c.value
                for c in row
            ]
            for row in workbook[name].iter_rows()
        ]
        width = max(len(r) for r in written)
        assert [r + [""] * (width - len(r)) for r in shown] == [r + [""] * (width - len(r)) for r in written], name
    entry = {row[3]: row for row in sheets["Entries"][1:]}["3.I1"]
    assert entry[17] == "Reports of the training institutions (GenØk, Norway)"
    assert entry[18] == '=HYPERLINK("http://example.invalid")'  # shown as text, not computed
    assert entry[16] == "2015: 10; 2020: 40.5"


def test_every_content_unit_of_annex_i_is_in_the_workbook(
    invoke: Callable[..., Result], plan_dir: Path, tmp_path: Path
) -> None:
    workbook = _export(invoke, plan_dir, tmp_path / "plan.xlsx")
    texts = {
        normalise(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
    }
    units = content_units(_source())

    assert len(units) == 187
    assert [unit for unit in units if unit not in texts] == []

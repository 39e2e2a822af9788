"""Monitoring data collected in workbooks: ``lgcb progress form`` makes the form, ``lgcb progress record`` reads it back.

The example data set (examples/monitoring) is the fixture: its indicators have measures,
baselines, targets and observations.  Forms are filled here as a person would (openpyxl writing
the Value and Source cells), and once saved by LibreOffice Calc itself.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from lgcb.excel import layout

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"
VALUE, SOURCE = "I", "J"


@pytest.fixture
def monitoring(tmp_path: Path) -> Path:
    """A writable copy of the example plan with monitoring data."""
    target = tmp_path / "monitoring"
    shutil.copytree(EXAMPLE, target)
    return target


def make_form(invoke: Callable[..., Result], plan: Path, target: Path, *args: str) -> Path:
    result = invoke("progress", "form", "--year", "2019", "-o", str(target), *args, plan=plan)
    assert result.exit_code == 0, result.output
    return target


def fill(path: Path, values: dict[str, tuple[object, object]], *, ids: dict[str, str] | None = None) -> Path:
    """Type Value and Source for the rows of the given IDs (and retype ID cells, as ``ids`` says)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Form"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for ident, (value, source) in values.items():
        rows[ident][8].value = value
        rows[ident][9].value = source
    for old, new in (ids or {}).items():
        rows[old][0].value = new
    workbook.save(path)
    return path


def progress_files(plan: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((plan / "progress").glob("*.yaml"))}


def test_the_form_opens_on_instructions_and_has_a_row_per_indicator(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    path = make_form(invoke, monitoring, tmp_path / "form.xlsx")
    workbook = openpyxl.load_workbook(path)
    form = workbook["Form"]
    rows = {row[0].value: [c.value for c in row] for row in form.iter_rows(min_row=2)}

    assert workbook.sheetnames == ["Instructions", "Form"]
    assert workbook["Instructions"]["A3"].value == "Year" and workbook["Instructions"]["B3"].value == 2019
    assert [c.value for c in form[1]] == [c.header for c in layout.FORM_COLUMNS]
    assert [c.header for c in layout.FORM_COLUMNS][-2:] == ["Value", "Source"]
    assert len(rows) == 29
    assert rows["3.I1"] == [
        "3.I1",
        3,
        "Number of customs officers and laboratory personnel trained",
        "number",
        "people",
        "250 (2011)",
        "2016: 1000; 2020: 2000",
        "900 (2015)",
        None,
        None,
    ]
    assert rows["1.I1"][7] == "131 (2018-2019)"


def test_only_value_and_source_can_be_edited(invoke: Callable[..., Result], monitoring: Path, tmp_path: Path) -> None:
    form = openpyxl.load_workbook(make_form(invoke, monitoring, tmp_path / "form.xlsx"))["Form"]

    assert form.protection.sheet and not form.protection.password
    row = form[2]
    assert [c.protection.locked for c in row] == [True] * 8 + [False, False]
    assert openpyxl.load_workbook(tmp_path / "form.xlsx")["Instructions"].protection.sheet


def test_values_are_validated_by_measure_as_they_are_typed(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    form = openpyxl.load_workbook(make_form(invoke, monitoring, tmp_path / "form.xlsx"))["Form"]
    rows = {row[0].value: row[0].row for row in form.iter_rows(min_row=2)}
    rules = {}
    for validation in form.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row, _column in cell_range.cells:
                rules[row] = (validation.type, validation.operator, validation.formula1, validation.formula2)

    assert rules[rows["3.I1"]] == ("decimal", "greaterThanOrEqual", "0", None)  # number
    assert rules[rows["3.I2"]] == ("decimal", "between", "0", "100")  # percentage
    assert rules[rows["2.I1"]] == ("decimal", "greaterThanOrEqual", "0", None)  # ratio
    assert rules[rows["3.I3"]][0] == "textLength"  # qualitative
    assert rows["3.I4"] not in rules  # no measure: anything goes


def test_a_form_for_one_objective_and_its_default_name(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("progress", "form", "--year", "2019", "--objective", "3", plan=monitoring)
    again = invoke("progress", "form", "--year", "2019", "--objective", "3", plan=monitoring)
    form = openpyxl.load_workbook(tmp_path / "form-2019-objective-3.xlsx")["Form"]

    assert result.exit_code == 0
    assert result.stdout == (
        "Wrote form-2019-objective-3.xlsx: a form for 2019 with 4 indicators. "
        "Record it with: lgcb progress record form-2019-objective-3.xlsx\n"
    )
    assert [row[0].value for row in form.iter_rows(min_row=2)] == ["3.I1", "3.I2", "3.I3", "3.I4"]
    assert again.exit_code == 2 and "form-2019-objective-3.xlsx exists (it may hold values already filled in)" in (
        again.stderr
    )


def test_a_form_for_a_year_outside_the_timeframe_is_refused(invoke: Callable[..., Result], monitoring: Path) -> None:
    result = invoke("progress", "form", "--year", "2021", plan=monitoring)

    assert result.exit_code == 2
    assert "2021 is outside the plan's timeframe (2011–2020)" in result.stderr


def test_recording_a_filled_form_writes_the_progress_file(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    form = fill(
        make_form(invoke, monitoring, tmp_path / "form.xlsx"),
        {"3.I1": (1200, "training records"), "3.I2": (55.5, None), "3.I3": ("two laboratories certified", "BCH")},
        ids={"3.I2": "3.i2"},  # IDs are matched ignoring case
    )
    before = progress_files(monitoring)

    result = invoke("progress", "record", str(form), plan=monitoring)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "3.I1: 1200 — training records\n"
        "3.I2: 55.5\n"
        "3.I3: two laboratories certified — BCH\n"
        f"Recorded 3 values for 2019 in {monitoring / 'progress' / '2019.yaml'}. See them with: lgcb progress\n"
    )
    after = progress_files(monitoring)
    assert {k: v for k, v in after.items() if k != "2019.yaml"} == {k: v for k, v in before.items() if k != "2019.yaml"}
    text = after["2019.yaml"].decode("utf-8")
    assert text.startswith("# ILLUSTRATIVE DATA — not recorded by the Liaison Group.\n")  # comments are kept
    assert (
        "3.I1:\n  - period: 2019\n    value: 1200\n    source: training records\n"
        "3.I2:\n  - period: 2019\n    value: 55.5\n"
        "3.I3:\n  - period: 2019\n    value: two laboratories certified\n    source: BCH\n"
        "5.I1:\n"
    ) in text
    assert invoke("validate", plan=monitoring).exit_code == 0
    assert invoke("fmt", "--check", str(monitoring / "progress" / "2019.yaml"), plan=monitoring).exit_code == 0
    shown = invoke("progress", "--objective", "3", plan=monitoring).output
    assert "latest 1,200 people (2019)" in shown and "latest 55.5% (2019)" in shown


def test_a_new_year_gets_a_new_file_laid_out_like_a_hand_written_one(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    path = tmp_path / "form.xlsx"
    assert invoke("progress", "form", "--year", "2017", "-o", str(path), plan=monitoring).exit_code == 0
    fill(path, {"6.I1": (3600, "BCH statistics"), "1.I1": (120, "national reports")})

    result = invoke("progress", "record", str(path), plan=monitoring)

    assert result.exit_code == 0, result.output
    assert (monitoring / "progress" / "2017.yaml").read_text(encoding="utf-8") == (
        "1.I1:\n  - period: 2017\n    value: 120\n    source: national reports\n"
        "6.I1:\n  - period: 2017\n    value: 3600\n    source: BCH statistics\n"
    )
    assert invoke("fmt", "--check", str(monitoring / "progress" / "2017.yaml"), plan=monitoring).exit_code == 0


def test_every_mistake_is_reported_by_cell_and_nothing_is_written(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    form = fill(
        make_form(invoke, monitoring, tmp_path / "form.xlsx"),
        {
            "1.I1": (-3, None),
            "2.I1": ("about half", None),
            "3.I2": (150, "survey"),
            "3.I3": (42, None),
            "3.I4": ("=2+2", None),
            "5.I1": (dt.datetime(2019, 5, 1), None),
            "5.I2": (None, "a source alone"),
            "6.I1": (True, None),
            "7.I1": (12, None),
        },
        ids={"7.I1": "7.I9", "7.I2": "7.A1"},
    )
    workbook = openpyxl.load_workbook(form)
    rows = {row[0].value: row[0].row for row in workbook["Form"].iter_rows(min_row=2)}
    workbook["Form"][f"{VALUE}{rows['7.A1']}"] = 5
    workbook.save(form)
    before = progress_files(monitoring)

    result = invoke("progress", "record", str(form), plan=monitoring)

    def at(ident: str, column: str = VALUE) -> str:
        return f"{form}: sheet 'Form' cell {column}{rows[ident]}"

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{at('1.I1')}: indicator 1.I1: the value must not be negative for a number indicator, not -3",
        f"{at('2.I1')}: indicator 2.I1: the value must be a number for a ratio indicator, not the text 'about half'",
        f"{at('3.I2')}: indicator 3.I2: the value is a percentage, which lies between 0 and 100, not 150",
        f"{at('3.I3')}: indicator 3.I3: the value must be a text for a qualitative indicator, not the number 42; "
        "describe it in words",
        f"{at('3.I4')}: the value holds a formula (=2+2); lgcb never computes formulas: type the value itself",
        f"{at('5.I1')}: the value holds a date or time; type the value as a number or a text (format the cell as Text "
        "first)",
        f"{at('5.I2')}: a source is given but no value: type the value, or clear the source",
        f"{at('6.I1')}: the value holds the yes/no value TRUE; type a number or a text",
        f"{at('7.I9', 'A')}: 7.I9 is not an indicator of the plan; did you mean 7.I2?",
        f"{at('7.A1', 'A')}: 7.A1 is an activity, not an indicator: progress files record observations of indicators",
        "10 problems in the forms; nothing was recorded. Correct the forms and run this again.",
    ]
    assert progress_files(monitoring) == before


def test_a_year_outside_the_timeframe_is_reported_at_each_value(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    form = fill(make_form(invoke, monitoring, tmp_path / "form.xlsx"), {"3.I1": (5, None)})
    workbook = openpyxl.load_workbook(form)
    workbook["Instructions"]["B3"] = 2031
    workbook.save(form)

    result = invoke("progress", "record", str(form), plan=monitoring)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{form}: sheet 'Form' cell I10: indicator 3.I1: the period 2031 is outside the plan's timeframe (2011–2020)"
    )
    assert not (monitoring / "progress" / "2031.yaml").exists()


def test_a_recorded_value_is_replaced_only_with_force(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    path = tmp_path / "form-2015.xlsx"
    assert invoke("progress", "form", "--year", "2015", "-o", str(path), plan=monitoring).exit_code == 0
    fill(path, {"3.I1": (900, "training records"), "2.I1": (0.7, "BCH records")})  # 3.I1 is recorded as it was
    before = progress_files(monitoring)

    refused = invoke("progress", "record", str(path), plan=monitoring)
    assert progress_files(monitoring) == before
    forced = invoke("progress", "record", str(path), "--force", plan=monitoring)

    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f"{path}: sheet 'Form' cell I4: 2.I1 already has the value 0.6 for 2015 in "
        f"{monitoring / 'progress' / '2015.yaml'}; record with --force to replace it with 0.7"
    )
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[:2] == [
        "3.I1: already recorded with the same value; unchanged",
        "2.I1: 0.7 — BCH records (replacing 0.6)",
    ]
    text = (monitoring / "progress" / "2015.yaml").read_text(encoding="utf-8")
    assert "2.I1:\n  - period: 2015\n    value: 0.7\n    source: BCH records\n3.I1:" in text
    assert invoke("validate", plan=monitoring).exit_code == 0


def test_two_forms_that_disagree_are_both_named(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    first = fill(make_form(invoke, monitoring, tmp_path / "a.xlsx"), {"3.I1": (1200, "training records")})
    second = fill(make_form(invoke, monitoring, tmp_path / "b.xlsx"), {"3.I1": (1250, "training records")})
    agreeing = fill(make_form(invoke, monitoring, tmp_path / "c.xlsx"), {"3.I1": (1200, "training records")})

    result = invoke("progress", "record", str(first), str(second), plan=monitoring)
    agreed = invoke("progress", "record", str(first), str(agreeing), "--dry-run", plan=monitoring)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{second}: sheet 'Form' cell I10: 3.I1 is given as 1250 (source training records) here, but as 1200 "
        f"(source training records) in {first} cell I10; the forms must agree: correct one of them"
    )
    assert agreed.exit_code == 0 and agreed.stdout.endswith(
        f"Would record 1 value for 2019 in {monitoring / 'progress' / '2019.yaml'}.\n"
    )


def test_files_that_are_not_forms_are_refused(invoke: Callable[..., Result], monitoring: Path, tmp_path: Path) -> None:
    plan_workbook = tmp_path / "plan.xlsx"
    assert invoke("export", "-o", str(plan_workbook), plan=monitoring).exit_code == 0
    macro = tmp_path / "form.xlsm"
    shutil.copy(plan_workbook, macro)

    result = invoke("progress", "record", str(macro), str(plan_workbook), plan=monitoring)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{macro}: a macro-enabled Excel file (.xlsm) is refused: lgcb never runs macros; save it as .xlsx and try again",
        f"{plan_workbook}: no sheet 'Instructions', 'Form': this is not a form made by `lgcb progress form` "
        "(make one with: lgcb progress form --year YEAR)",
    ]


def test_an_empty_form_records_nothing(invoke: Callable[..., Result], monitoring: Path, tmp_path: Path) -> None:
    before = progress_files(monitoring)

    result = invoke("progress", "record", str(make_form(invoke, monitoring, tmp_path / "form.xlsx")), plan=monitoring)

    assert result.exit_code == 0
    assert result.stdout == "Nothing to record for 2019: no new value in the forms.\n"
    assert progress_files(monitoring) == before


def test_a_comment_on_a_form_is_reported_not_lost(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    from openpyxl.comments import Comment

    form = fill(make_form(invoke, monitoring, tmp_path / "form.xlsx"), {"3.I1": (1200, "training records")})
    workbook = openpyxl.load_workbook(form)
    row = next(r[0].row for r in workbook["Form"].iter_rows(min_row=2) if r[0].value == "3.I1")
    workbook["Form"][f"I{row}"].comment = Comment("Estimated: the 2019 survey was not finished", "Focal point")
    workbook.save(form)

    result = invoke("progress", "record", str(form), plan=monitoring)

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{form}: sheet 'Form' cell I{row}: warning: a comment by Focal point, not imported: "
        "'Estimated: the 2019 survey was not finished'"
    ]
    assert result.stdout.startswith("3.I1: 1200 — training records\n")


def test_a_form_saved_by_libreoffice_calc_records_the_same(
    invoke: Callable[..., Result], monitoring: Path, tmp_path: Path
) -> None:
    from excel_support import saved_by_calc

    filled = fill(
        make_form(invoke, monitoring, tmp_path / "form.xlsx"),
        {"3.I1": (1200, "training records"), "3.I2": (55.5, "third national reports"), "3.I3": ("two labs", None)},
    )
    saved = saved_by_calc(filled, tmp_path)
    with zipfile.ZipFile(saved) as package:
        assert b"<Application>LibreOffice" in package.read("docProps/app.xml")  # written by Calc, not openpyxl
    assert [c.protection.locked for c in openpyxl.load_workbook(saved)["Form"][2]] == [True] * 8 + [False, False]

    result = invoke("progress", "record", str(saved), plan=monitoring)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # lgcb's own notes on the header are not reported
    assert result.stdout.splitlines()[:3] == [
        "3.I1: 1200 — training records",
        "3.I2: 55.5 — third national reports",
        "3.I3: two labs",
    ]
    assert invoke("validate", plan=monitoring).exit_code == 0


def test_a_progress_file_is_written_directly_as_the_formatter_writes_it() -> None:
    from lgcb.model import ProgressFile
    from lgcb.planfile.write import _formatted, canonical_text

    data = {
        "1.I1": [
            {"period": 2015, "value": 5, "source": "yes"},
            {"period": "2014-2015", "value": "a: b", "note": "line\nbreak"},
        ],
        "2.I1": [{"period": 2016, "value": "2015", "source": "Ünïcode – “quotes”"}],
        "3.I1": [{"period": 2017, "value": 0.5, "source": "'quoted'"}],
        "4.I1": [{"period": 2017, "value": "- dash", "source": "#hash"}],
        "5.I1": [{"period": 2017, "value": 1e20}],
        "6.I1": [
            {"period": 2018, "value": text, "source": text}
            for text in ("null", "~", "no", "1e3", "12:30", "2015-01-01", "a #b", "[x]", "*x", "&x", "!x", "%x", "@x")
        ],
        "7.I1": [{"period": 2018, "value": "3.10", "source": "trailing ", "note": " leading"}],
        "8.I1": [{"period": 2019, "value": "Réseau d’experts — 2e phase (voir p. 3)", "source": "BCH: records"}],
    }

    assert canonical_text(data, ProgressFile) == _formatted(data, ProgressFile)

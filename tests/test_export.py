"""`lgcb export`: the whole plan flattened, one row per entry, as CSV (for spreadsheets) or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from annex import SOURCE, content_units, normalise
from lgcb.model import Plan
from lgcb.outputs import output
from lgcb.outputs.export import FIELDS, cell, rows

HEADER = (
    "objective,column,kind,id,parent_id,group,depth,number,text,serves,measures,measure,unit,"
    "baseline_value,baseline_year,baseline_source,targets,means_of_verification,note"
)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def by_id(table: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in table}


def test_csv_has_a_header_and_one_row_per_entry(plan: Plan) -> None:
    data = output("export", "csv", plan)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER
    assert lines[-1] == "", "every record ends with CRLF (RFC 4180)"
    assert len(read_csv(data)) == sum(1 for _ in plan.walk()) == 169


def test_reading_the_csv_back_gives_the_same_rows(plan: Plan) -> None:
    expected = [{name: cell(row[name]) for name in FIELDS} for row in rows(plan)]
    assert read_csv(output("export", "csv", plan)) == expected


def test_rows_say_where_each_entry_sits(plan: Plan) -> None:
    table = by_id(read_csv(output("export", "csv", plan)))
    assert table["3.G1"] == {
        **{name: "" for name in FIELDS},
        "objective": "3",
        "column": "activities",
        "kind": "group",
        "id": "3.G1",
        "depth": "0",
        "text": "Related to establishment of the system",
    }
    a1 = table["3.A1"]
    assert (a1["kind"], a1["parent_id"], a1["group"], a1["depth"]) == (
        "activity",
        "3.G1",
        "Related to establishment of the system",
        "1",
    )
    nested = table["1.A1.2"]
    assert (nested["parent_id"], nested["group"], nested["depth"]) == ("1.A1", "", "1")
    assert (table["3.R2"]["number"], table["3.R2"]["text"]) == (
        "3.2",
        "Local experts able to detect and identify LMOs in shipments",
    )


def test_non_ascii_text_is_intact(plan: Plan) -> None:
    table = by_id(read_csv(output("export", "csv", plan)))
    assert "Protocol’s requirements" in table["3.O1"]["text"]
    assert any("–" in row["text"] for row in table.values())


def _add_monitoring(copy_plan: Path) -> None:
    path = copy_plan / "objectives" / "03-handling-transport-packaging-identification.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    text: Number of customs officers and laboratory personnel trained\n",
        "    text: Number of customs officers and laboratory personnel trained\n"
        "    measures: [3.O1, 3.O2]\n"
        "    measure: number\n"
        "    unit: people trained\n"
        "    baseline: {value: 0, year: 2011, source: GenØk survey}\n"
        "    targets: [{year: 2015, value: 10}, {year: 2020, value: 40.5}]\n"
        "    means_of_verification: Reports of the training institutions (GenØk, Norway)\n"
        "    note: '=HYPERLINK(\"http://example.invalid\")'\n",
    )
    path.write_text(text, encoding="utf-8")


def test_monitoring_fields_and_links_are_exported(
    invoke: Callable[..., Result], copy_plan: Path, tmp_path: Path
) -> None:
    _add_monitoring(copy_plan)
    target = tmp_path / "plan.csv"
    result = invoke("export", "-o", str(target), plan=copy_plan)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {target}: 169 rows from 8 objectives.\n"
    row = by_id(read_csv(target.read_bytes()))["3.I1"]
    assert {k: v for k, v in row.items() if k in FIELDS[9:]} == {
        "serves": "",
        "measures": "3.O1; 3.O2",
        "measure": "number",
        "unit": "people trained",
        "baseline_value": "0",
        "baseline_year": "2011",
        "baseline_source": "GenØk survey",
        "targets": "2015: 10; 2020: 40.5",
        "means_of_verification": "Reports of the training institutions (GenØk, Norway)",
        "note": '\'=HYPERLINK("http://example.invalid")',
    }
    assert "GenØk".encode() in target.read_bytes()


def test_json_keeps_types_and_holds_the_plan_metadata(invoke: Callable[..., Result], copy_plan: Path) -> None:
    _add_monitoring(copy_plan)
    result = invoke("export", "--format", "json", plan=copy_plan)
    assert result.exit_code == 0
    document = json.loads(result.stdout_bytes.decode("utf-8"))
    assert list(document) == ["format", "version", "plan", "objectives", "fields", "rows"]
    assert (document["format"], document["version"]) == ("lgcb-export", 1)
    assert document["plan"]["timeframe"] == {"start": 2011, "end": 2020}
    assert document["objectives"][2] == {
        "number": 3,
        "title": "Handling, transport, packaging and identification",
        "aim": "To develop capacity for handling, transport, packaging and identification of living modified organisms",
        "strategic_plan_objective": "2.3",
    }
    assert document["fields"] == list(FIELDS)
    indicator = next(row for row in document["rows"] if row["id"] == "3.I1")
    assert list(indicator) == list(FIELDS)
    assert indicator["measures"] == ["3.O1", "3.O2"]
    assert indicator["targets"] == [{"year": 2015, "value": 10}, {"year": 2020, "value": 40.5}]
    assert (indicator["baseline_value"], indicator["baseline_year"]) == (0, 2011)
    assert indicator["note"] == '=HYPERLINK("http://example.invalid")', "JSON carries the text as it is"
    assert "GenØk survey" in result.stdout_bytes.decode("utf-8"), "JSON keeps non-ASCII text as it is"


def test_the_output_is_stable(plan: Plan) -> None:
    assert output("export", "json", plan) == output("export", "json", plan)
    assert output("export", "csv", plan) == output("export", "csv", plan)


def test_the_format_follows_the_output_file_name(invoke: Callable[..., Result], tmp_path: Path) -> None:
    assert invoke("export", "-o", str(tmp_path / "plan.json")).exit_code == 0
    assert json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["format"] == "lgcb-export"
    result = invoke("export", "-o", str(tmp_path / "plan.ods"))
    assert result.exit_code == 2
    assert "cannot tell the format from 'plan.ods': add --format csv or --format json or --format xlsx" in result.output


def test_an_invalid_plan_is_not_exported(invoke: Callable[..., Result], copy_plan: Path) -> None:
    path = copy_plan / "objectives" / "05-public-awareness-education-participation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: 5", "number: five", 1), encoding="utf-8")
    result = invoke("export", "--format", "csv", plan=copy_plan)
    assert result.exit_code == 1
    assert "`number` must be a whole number" in result.stderr
    assert result.stdout == ""


def test_spreadsheet_cells_never_start_a_formula() -> None:
    assert [cell(v) for v in ["=1+1", "+A1", "-x", "@SUM(A1)", "-inf", "-5", "plain", None, 3, 2.0, ["a", "b"]]] == [
        "'=1+1",
        "'+A1",
        "'-x",
        "'@SUM(A1)",
        "'-inf",
        "-5",
        "plain",
        "",
        "3",
        "2",
        "a; b",
    ]


def _source() -> Path:
    """The source report: next to the repository (as tests/annex.py expects) or next to a parent."""
    name = Path("shared") / "source" / "lg-cb-9-report.txt"
    here = Path(__file__).resolve()
    return next((p / name for p in here.parents if (p / name).is_file()), SOURCE)


def test_every_content_unit_of_annex_i_is_in_the_json_export(plan: Plan) -> None:
    document = json.loads(output("export", "json", plan))
    texts = {normalise(row["text"]) for row in document["rows"]}
    texts |= {normalise(o[key]) for o in document["objectives"] for key in ("title", "aim")}
    texts |= {normalise(document["plan"]["title"]), normalise(document["plan"]["subtitle"])}
    units = content_units(_source())
    assert len(units) == 187
    assert [unit for unit in units if unit not in texts] == []


def test_an_output_file_that_cannot_be_written_is_reported(invoke: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "plan.csv"
    result = invoke("export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"lgcb: cannot write {target}: No such file or directory\n"


def test_libreoffice_calc_reads_the_csv_cell_for_cell(
    invoke: Callable[..., Result], copy_plan: Path, tmp_path: Path
) -> None:
    """Opened in a real spreadsheet (LibreOffice Calc, as UTF-8 — what its import dialog picks for a
    file with a byte-order mark), every row and cell comes out as written: commas, quotes, "GenØk"."""
    import subprocess
    from html.parser import HTMLParser

    from conftest import require_tool

    soffice = require_tool("soffice", "apt-get install libreoffice-calc-nogui")
    _add_monitoring(copy_plan)
    target = tmp_path / "plan.csv"
    assert invoke("export", "-o", str(target), plan=copy_plan).exit_code == 0
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "html",
            "--outdir",
            str(tmp_path / "out"),
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    converted = tmp_path / "out" / "plan.html"
    assert converted.exists(), f"LibreOffice Calc could not open the CSV: {done.stdout}{done.stderr}"

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag == "td":
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag == "td" and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(converted.read_text(encoding="utf-8"))
    written = read_csv(target.read_bytes())
    assert len(parser.rows) == len(written) + 1
    assert parser.rows[0] == list(FIELDS)
    shown = {row[3]: dict(zip(FIELDS, row, strict=False)) for row in parser.rows[1:]}
    assert shown["3.I1"]["means_of_verification"] == "Reports of the training institutions (GenØk, Norway)"
    assert shown["3.O1"]["text"] == by_id(written)["3.O1"]["text"]
    assert "Protocol’s" in shown["3.O1"]["text"]


def test_json_gives_each_row_one_line(plan: Plan) -> None:
    """One line per entry: a diff of two exports shows one line per changed entry."""
    from lgcb.outputs.export import json as export_json

    text = export_json(plan).decode("utf-8")
    table = rows(plan)
    row_lines = [line for line in text.splitlines() if line.startswith('    {"objective": ')]
    assert [json.loads(line.rstrip(",")) for line in row_lines] == json.loads(json.dumps(table))
    assert json.loads(text)["rows"] == json.loads(json.dumps(table))
    assert text.endswith("}\n  ]\n}\n")

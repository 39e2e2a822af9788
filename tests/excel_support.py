"""Workbooks in tests: what LibreOffice Calc reads from one, sheet by sheet, and what it saves."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
"""Calc's CSV export: comma, double quote, UTF-8, every sheet to its own file (``<name>-<sheet>.csv``)."""


def soffice() -> str:
    from conftest import require_tool

    return require_tool("soffice", "apt-get install libreoffice-calc-nogui")


def _convert(source: Path, to: str, out: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def calc_sheets(workbook: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Each sheet of ``workbook`` as LibreOffice Calc shows it: rows of cell texts, by sheet name."""
    out = tmp_path / "calc-csv"
    done = _convert(workbook, CSV_ALL_SHEETS, out, tmp_path / "lo-profile")
    sheets = {}
    for path in sorted(out.glob(f"{workbook.stem}-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix(f"{workbook.stem}-")] = list(csv.reader(handle))
    assert sheets, f"LibreOffice Calc could not open {workbook.name}: {done.stdout}{done.stderr}"
    return sheets


def saved_by_calc(workbook: Path, tmp_path: Path) -> Path:
    """``workbook`` opened and saved again as .xlsx by LibreOffice Calc (its own writer, not openpyxl's)."""
    out = tmp_path / "calc-saved"
    done = _convert(workbook, "xlsx:Calc MS Excel 2007 XML", out, tmp_path / "lo-profile")
    saved = out / f"{workbook.stem}.xlsx"
    assert saved.exists(), f"LibreOffice Calc could not save {workbook.name}: {done.stdout}{done.stderr}"
    return saved

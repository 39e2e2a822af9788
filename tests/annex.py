"""The content of Annex I, read straight from the source report, for fidelity tests.

``content_units()`` gives every piece of text a faithful transcription or rendering must contain,
whitespace-normalised: each line of the annex, minus structure (the annex heading, objective
headings, column headers, bullets).  An objective's "Title: aim" line counts as two units (title,
aim), and a numbered result "3.1 Text" as the text alone, since outputs lay those out apart.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "lg-cb-9-report.txt"
"""A copy of the report kept in the repository, so every clone can check fidelity."""
SHARED = ROOT.parent / "shared" / "source" / "lg-cb-9-report.txt"
"""Where the workplace keeps the original, when present."""
COLUMN_HEADERS = {"Outcomes", "Indicators", "Results/Outputs", "Activities"}
_HEADING = re.compile(r"(?i)^operational objective (\d+)$")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def annex_lines(source: Path = SOURCE) -> list[str]:
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Annex I")
    return [normalise(line) for line in lines[start + 1 :] if normalise(line)]


def content_units(source: Path = SOURCE) -> list[str]:
    units: list[str] = []
    after_heading = False
    for line in annex_lines(source):
        if _HEADING.match(line):
            after_heading = True
            continue
        if line in COLUMN_HEADERS:
            continue
        if after_heading:
            title, _, aim = line.partition(": ")
            units.extend([title, aim])
            after_heading = False
            continue
        line = line.removeprefix("· ")
        numbered = re.match(r"^\d+\.\d+ (.*)$", line)
        units.append(numbered.group(1) if numbered else line)
    return units


def objective_numbers(source: Path = SOURCE) -> list[int]:
    return [int(m.group(1)) for line in annex_lines(source) if (m := _HEADING.match(line))]

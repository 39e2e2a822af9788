"""Build ``national-plan.docx``: a Word plan *not* made by lgcb, to try ``lgcb import`` on.

It is laid out the way such plans are typed by hand: a title, a small table of document details,
then per objective a heading, "Title: aim", the Strategic Plan line and a four-column table with
typed "·" bullets, indented sub-items, a group heading, numbered results — and one stray line
under a table, which the import reports.  ``python examples/import/build_national_plan.py``;
docs/import.md walks through importing it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm

HERE = Path(__file__).resolve().parent
TARGET = HERE / "national-plan.docx"

OBJECTIVES = [
    {
        "heading": "Operational objective 1",
        "title": "National Biosafety Frameworks",
        "aim": "To complete and implement the national biosafety framework",
        "strategic": "Strategic Plan operational objective 2.1: "
        "National Biosafety Framework development and implementation",
        "cells": [
            ["· Biosafety law adopted", "· Competent authority operational"],
            ["· Number of regulations adopted", "· Number of decisions taken in time"],
            ["1.1 Biosafety law in place", "1.2 Procedures for handling applications in place"],
            [
                "· Drafting of implementing regulations on:",
                ("· contained use", 0.63),
                ("· field trials", 0.63),
                "· Training of the competent authority staff",
            ],
        ],
        "after": "To be discussed with the Ministry of Agriculture",
    },
    {
        "heading": "Operational objective 2",
        "title": "Handling, transport, packaging and identification",
        "aim": "To enable border officials to identify LMOs",
        "strategic": "Strategic Plan operational objective 2.3: Handling, transport, packaging and identification",
        "cells": [
            ["· Customs officers able to check shipments"],
            ["· Number of customs officers trained"],
            ["2.1 Detection laboratory accredited"],
            [
                "Related to the checkpoints",
                "· Workshops for customs officers",
                "· Checklists for documentation",
                "Related to the laboratory",
                "· Purchase of detection equipment",
            ],
        ],
    },
]


def _reproducible():  # type: ignore[no-untyped-def]
    path = HERE.parent.parent / "templates" / "docx" / "build_template.py"
    spec = importlib.util.spec_from_file_location("lgcb_build_template", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reproducible


def build() -> bytes:
    document = Document()
    props = document.core_properties
    props.author = props.last_modified_by = "National Biosafety Office"
    props.title = "National capacity-building action plan"
    document.add_paragraph("National capacity-building action plan for biosafety 2013–2020", style="Title")
    details = document.add_table(rows=4, cols=2)
    details.style = document.styles["Table Grid"]
    for row, (label, value) in zip(
        details.rows,
        [
            ("Source document", "National biosafety capacity-building plan, second edition"),
            ("Meeting", "National Biosafety Committee, 4th session"),
            ("Place", "Capital City"),
            ("Dates", "12 June 2013"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    for objective in OBJECTIVES:
        document.add_paragraph(objective["heading"], style="Heading 1")
        line = document.add_paragraph()
        line.add_run(objective["title"]).bold = True
        line.add_run(f": {objective['aim']}")
        document.add_paragraph(objective["strategic"])
        table = document.add_table(rows=2, cols=4)
        table.style = document.styles["Table Grid"]
        for cell, title in zip(
            table.rows[0].cells, ["Outcomes", "Indicators", "Results/Outputs", "Activities"], strict=True
        ):
            cell.text = title
        for cell, lines in zip(table.rows[1].cells, objective["cells"], strict=True):
            cell._tc.remove(cell.paragraphs[0]._p)
            for entry in lines:
                text, indent = entry if isinstance(entry, tuple) else (entry, 0)
                paragraph = cell.add_paragraph(text)
                if indent:
                    paragraph.paragraph_format.left_indent = Cm(indent)
        if objective.get("after"):
            document.add_paragraph(objective["after"])
    return _reproducible()(document)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

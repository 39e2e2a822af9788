"""Build ``letterhead.docx``: an example of an organisation's own Word template for lgcb.

It shows what ``lgcb render --format docx --template FILE`` needs from a template: the lgcb tags
(the same body as the default template, see templates/docx/build_template.py) and the styles they
name, here restyled in the organisation's colours and font, with a letterhead in the page header
and a reference table at the top of the body (which ``lgcb import`` ignores).  Run
``python examples/templates/build_letterhead.py`` and commit the result; the build is reproducible.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TARGET = HERE / "letterhead.docx"
GREEN = RGBColor(0x1F, 0x5C, 0x3A)


def _base():  # type: ignore[no-untyped-def]
    """The default template's build script, loaded by path (templates/ is not a package)."""
    path = HERE.parent.parent / "templates" / "docx" / "build_template.py"
    spec = importlib.util.spec_from_file_location("lgcb_build_template", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> bytes:
    base = _base()
    document = base.new_document()
    styles = document.styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1"):
        styles[name].font.name = "Liberation Sans"
    styles["Normal"].font.size = Pt(9.5)
    styles["Title"].font.color.rgb = GREEN
    styles["Heading 1"].font.color.rgb = GREEN
    styles["Heading 1"].font.size = Pt(15)
    styles["Group Heading"].font.color.rgb = GREEN

    header = document.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run("Ministry of Environment · National Biosafety Office")
    run.bold = True
    run.font.color.rgb = GREEN
    header.add_run("\nCapacity-building for biosafety — working document").font.size = Pt(8)

    reference = document.add_table(rows=1, cols=2)
    reference.style = styles["Table Grid"]
    reference.rows[0].cells[0].paragraphs[0].add_run("Reference: NBO/CB/2012").font.size = Pt(8)
    reference.rows[0].cells[1].paragraphs[0].add_run("Produced with {{ generator }}").font.size = Pt(8)
    for cell, width in zip(reference.rows[0].cells, (Cm(13), Cm(13.1)), strict=True):
        cell.width = width
    base.add_body(document)
    return base.reproducible(document)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Helpers for the review-loop tests: plan versions to compare, and LibreOffice driven for real.

``edit_plan`` makes a NEW version of the shipped plan the way an editor would (text edits, entries
added, removed and moved, objective fields, monitoring fields, the plan title).  ``LibreOffice``
runs soffice headless in a private profile with a small Basic macro that opens a document, runs
"Accept All" or "Reject All" (the same commands as the Review menu) and saves it.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from conftest import PLAN_DIR, require_tool
from lgcb.word.revisions import P, document_paragraphs, paragraph_text, parser

A5 = (
    "      - id: 3.A5\n"
    "        text: Conducting awareness raising and education measures addressing all relevant stakeholders\n"
)
A6 = "      - id: 3.A6\n        text: Conducting audits on operationality and efficacy of the established system\n"
A7 = (
    "      - id: 3.A7\n"
    "        text: Organizing national, (sub)regional, international workshops on LMO documentation and "
    "identification requirements for customs and other border control officials\n"
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def objective_file(plan: Path, number: int) -> Path:
    return next((plan / "objectives").glob(f"{number:02d}-*.yaml"))


def edit_plan(target: Path) -> Path:
    """A copy of the shipped plan with one of each kind of change a revision makes."""
    shutil.copytree(PLAN_DIR, target)
    o3 = objective_file(target, 3)
    # a word moved inside a result's text; the aim; the Strategic Plan link
    _edit(
        o3,
        "text: Systems identification of LMOs for established",
        "text: Systems for identification of LMOs established",
    )
    _edit(o3, "aim: To develop capacity", "aim: To strengthen capacity")
    _edit(o3, "strategic_plan_objective: '2.3'", "strategic_plan_objective: '2.2'")
    # an entry added, one removed; an entry reordered; one moved to another group
    _edit(o3, "  - id: 3.I4\n    text: Number of certified laboratories in operation\n", "")
    _edit(
        o3,
        "    text: Personnel are trained and equipped for sampling, detection and identification of LMOs\n",
        "    text: Personnel are trained and equipped for sampling, detection and identification of LMOs\n"
        "  - id: 3.O3\n    text: Laboratories share detection methods\n",
    )
    _edit(o3, A5 + A6, A6 + A5)
    _edit(o3, A7, "")
    _edit(o3, A5, A5 + A7)
    # monitoring fields of an indicator (its progress table is computed from them)
    _edit(
        o3,
        "  - id: 3.I1\n    text: Number of customs officers and laboratory personnel trained\n",
        "  - id: 3.I1\n    text: Number of customs officers and laboratory personnel trained\n"
        "    measure: number\n    targets:\n      - year: 2020\n        value: 500\n",
    )
    # the last entry of a cell removed; one added at the end of another; the last one replaced
    _edit(objective_file(target, 1), "      - id: 1.A5.2\n        text: registration of application and approval\n", "")
    o2 = objective_file(target, 2)
    o2.write_text(
        o2.read_text(encoding="utf-8").rstrip("\n") + "\n  - id: 2.A11\n    text: A new activity at the end\n",
        encoding="utf-8",
    )
    o4 = objective_file(target, 4)
    text = o4.read_text(encoding="utf-8")
    o4.write_text(
        text[: text.index("  - id: 4.A7\n")] + "  - id: 4.A8\n    text: Another activity replacing the last\n",
        encoding="utf-8",
    )
    _edit(
        target / "plan.yaml",
        "title: results-oriented CAPACITY-BUILDING ACTION PLAN",
        "title: Results-oriented capacity-building action plan",
    )
    return target


def part(docx: Path | bytes, name: str = "word/document.xml") -> etree._Element:
    data = docx if isinstance(docx, bytes) else docx.read_bytes()
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name), parser())


def texts(docx: Path | bytes) -> list[str]:
    return document_paragraphs(docx if isinstance(docx, bytes) else docx.read_bytes())


def all_text_nodes(docx: Path) -> list[tuple[str, str]]:
    """(part, text) of every w:t and w:delText in every XML part of a package."""
    found = []
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name), parser())
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            found += [(name, el.text or "") for el in root.iter(f"{w}t", f"{w}delText")]
    return found


MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inPath As String, outPath As String, command As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  helper.executeDispatch(doc.CurrentController.Frame, command, &quot;&quot;, 0, Array())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
"""


class LibreOffice:
    """soffice headless in a private profile, with the Accept/Reject All macro installed."""

    def __init__(self, folder: Path) -> None:
        self.soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
        self.folder = folder
        self.profile = folder / "profile"
        seed = folder / "seed.txt"
        seed.write_text("profile", encoding="utf-8")
        self.convert(seed, "txt")  # creates the profile, with its Standard Basic library
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        assert module.is_file(), "LibreOffice did not create its Basic library"
        module.write_text(MACRO, encoding="utf-8")

    def _run(self, *args: str) -> None:
        run = subprocess.run(
            [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert run.returncode == 0, run.stderr

    def convert(self, source: Path, fmt: str) -> Path:
        """``--convert-to`` (e.g. ``fodt``, ``docx:MS Word 2007 XML``) into a folder of its own."""
        out = self.folder / f"{source.stem}-{fmt.split(':')[0]}"
        self._run("--convert-to", fmt, "--outdir", str(out), str(source))
        (result,) = out.iterdir()
        return result

    def resolve_all(self, source: Path, accept: bool) -> Path:
        """The document after LibreOffice's Accept All (or Reject All) tracked changes, as .docx."""
        command = ".uno:AcceptAllTrackedChanges" if accept else ".uno:RejectAllTrackedChanges"
        target = self.folder / f"{source.stem}-{'accepted' if accept else 'rejected'}.docx"
        self._run(f'macro:///Standard.Module1.Resolve("{source}","{target}","{command}")')
        assert target.is_file(), "the macro did not save the document"
        return target


def paragraph_texts(root: etree._Element) -> list[str]:
    return [paragraph_text(p) for p in root.iter(P)]

"""Helpers for the review-loop tests: plan versions to compare, and LibreOffice driven for real.

``edit_plan`` makes a NEW version of the shipped plan the way an editor would (text edits, entries
added, removed and moved, objective fields, monitoring fields, the plan title).  ``LibreOffice``
runs soffice headless in a private profile with a small Basic macro that opens a document, runs
"Accept All" or "Reject All" (the same commands as the Review menu) and saves it.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from lxml import etree

from conftest import PLAN_DIR, require_tool
from lgcb.checks.load import load_plan
from lgcb.render import render
from lgcb.word.revisions import W_NS, P, document_paragraphs, paragraph_id, paragraph_text, parser

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
    """(part, text) of every w:t, w:delText and (an equation's) m:t in every XML part of a package."""
    found = []
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name), parser())
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            m = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
            found += [(name, el.text or "") for el in root.iter(f"{w}t", f"{w}delText", f"{m}t")]
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


# --- a reviewer's Word report --------------------------------------------------------------

W = f"{{{W_NS}}}"
NS = f'xmlns:w="{W_NS}"'
BY = 'w:author="Reviewer" w:date="2026-11-30T10:00:00Z"'


def rendered(tmp_path: Path, plan_dir: Path = PLAN_DIR) -> Path:
    loaded = load_plan(plan_dir)
    assert loaded.plan is not None
    path = tmp_path / "report.docx"
    path.write_bytes(render(loaded.plan, "docx"))
    return path


def entry(document: Any, entry_id: str) -> Any:
    """The paragraph of an entry in the objective tables (not the computed progress tables)."""
    return next(p for p in document.element.body.iter(f"{W}p") if paragraph_id(p) == entry_id)


def runs(p: Any) -> list[Any]:
    return [r for r in p if r.tag == f"{W}r"]


def text_run(p: Any) -> Any:
    """The run holding an entry's text (after its ID run, and a result's number run)."""
    return runs(p)[-1]


def run(text: str, rsid: str = "", deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    attr = f' w:rsidR="{rsid}"' if rsid else ""
    return f'<w:r {NS}{attr}><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def replace_text_run(p: Any, xml: list[str]) -> None:
    old = text_run(p)
    for fragment in xml:
        old.addprevious(parse_xml(fragment))
    p.remove(old)


def track_delete_paragraph(p: Any) -> None:
    """Delete a whole paragraph with Track Changes on: its runs and its paragraph mark."""
    ppr = p.find(f"{W}pPr")
    ppr.append(parse_xml(f'<w:rPr {NS}><w:del w:id="901" {BY}/></w:rPr>'))
    wrapper = parse_xml(f'<w:del {NS} w:id="902" {BY}/>')
    for r in runs(p):
        for t in r.iter(f"{W}t"):
            t.tag = f"{W}delText"
        wrapper.append(r)
    p.append(wrapper)


def track_move_after(p: Any, after: Any) -> None:
    """Move a paragraph with Track Changes on: a moveFrom copy where it was, a moveTo where it goes."""
    moved = copy.deepcopy(p)
    for target, kind, ids in ((p, "moveFrom", (903, 904, 905)), (moved, "moveTo", (906, 907, 908))):
        target.find(f"{W}pPr").append(parse_xml(f'<w:rPr {NS}><w:{kind} w:id="{ids[0]}" {BY}/></w:rPr>'))
        wrapper = parse_xml(f'<w:{kind} {NS} w:id="{ids[1]}" {BY}/>')
        for r in runs(target):
            wrapper.append(r)
        target.append(parse_xml(f'<w:{kind}RangeStart {NS} w:id="{ids[2]}" w:name="move1" {BY}/>'))
        target.append(wrapper)
        target.append(parse_xml(f'<w:{kind}RangeEnd {NS} w:id="{ids[2]}"/>'))
    after.addnext(moved)


NEW_BULLET = "Training of laboratory staff on new detection methods"


def reviewed_report(folder: Path) -> Path:
    """The shipped plan's Word report as a reviewer sends it back: Track Changes (a word inserted and
    one deleted in 3.R1, indicator 3.I4 deleted, 3.A5 moved), typing (3.O2, a new bullet, 1.A5.2
    deleted) and a comment on 3.R2."""
    document = docx.Document(str(rendered(folder)))
    # Track Changes: a word inserted and one deleted in 3.R1, indicator 3.I4 deleted, 3.A5 moved
    replace_text_run(
        entry(document, "3.R1"),
        [
            run("Systems ", "00C0FFEE"),
            f'<w:ins {NS} w:id="911" {BY}>{run("for ", "00BEEF00")}</w:ins>',
            run("identification of LMOs ", "00C0FFEE"),
            f'<w:del {NS} w:id="912" {BY}>{run("for ", "00C0FFEE", deleted=True)}</w:del>',
            run("established", "00C0FFEE"),
        ],
    )
    track_delete_paragraph(entry(document, "3.I4"))
    track_move_after(entry(document, "3.A5"), entry(document, "3.A6"))
    # typed directly: a word in 3.O2 (Word splits the run), a new bullet, a bullet deleted
    replace_text_run(
        entry(document, "3.O2"),
        [
            run("Personnel are trained and well ", "00AAAA01"),
            run("equipped for sampling, detection and identification of LMOs", "00AAAA02"),
        ],
    )
    last = entry(document, "3.A15")
    bullet = copy.deepcopy(last)
    for r in runs(bullet):
        bullet.remove(r)
    bullet.append(parse_xml(run(NEW_BULLET, "00AAAA03")))
    last.addnext(bullet)
    gone = entry(document, "1.A5.2")
    gone.getparent().remove(gone)
    # a comment on result 3.R2
    cell_paragraph = _paragraph_object(document, "3.R2")
    document.add_comment(cell_paragraph.runs, text="Is 'local' the right word here?", author="Reviewer")
    path = folder / "reviewed.docx"
    document.save(str(path))
    return path


def _paragraph_object(document: Any, entry_id: str) -> Any:
    from docx.text.paragraph import Paragraph

    return Paragraph(entry(document, entry_id), document.part)

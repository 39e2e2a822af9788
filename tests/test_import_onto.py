"""``lgcb import REVIEWED.docx --onto DIR``: a reviewer's Word report back into the plan, by ID.

The reviewed documents are lgcb's own Word report of the shipped plan, edited the way Word edits
a document: typing (runs split by revision ids), Track Changes (insertions, deletions, a move),
a new bullet, a deleted bullet, a comment on an entry.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result
from docx.oxml import parse_xml

from conftest import PLAN_DIR
from lgcb.checks.load import load_plan
from review_support import (
    BY,
    NEW_BULLET,
    NS,
    W,
    entry,
    objective_file,
    rendered,
    reviewed_report,
    runs,
)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reviewed_report(tmp_path_factory.mktemp("reviewed"))


@pytest.fixture
def target(tmp_path: Path) -> Path:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    return tmp_path / "plan"


def snapshot(plan_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(plan_dir)): p.read_bytes() for p in sorted(plan_dir.rglob("*")) if p.is_file()}


def test_a_report_imported_unedited_changes_nothing(
    invoke: Callable[..., Result], tmp_path: Path, target: Path
) -> None:
    report = rendered(tmp_path)
    before = snapshot(target)
    result = invoke("import", str(report), "--onto", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No changes: the plan in " + str(target) + " already says what report.docx says.\n"
    assert snapshot(target) == before


def test_a_reviewers_edits_become_the_plans_edits(
    invoke: Callable[..., Result], reviewed: Path, target: Path, tmp_path: Path
) -> None:
    before = snapshot(target)
    comments = tmp_path / "comments.md"
    result = invoke("import", str(reviewed), "--onto", str(target), "--comments", str(comments))
    assert result.exit_code == 0, result.stderr
    plan = load_plan(target).plan
    assert plan is not None
    three = plan.objective(3)
    assert three is not None
    texts = {e.id: e.text for e in three.items()}
    assert texts["3.R1"] == "Systems for identification of LMOs established"
    assert texts["3.O2"] == "Personnel are trained and well equipped for sampling, detection and identification of LMOs"
    assert "3.I4" not in texts
    assert texts["3.A16"] == NEW_BULLET  # a new bullet gets the next ID, as the plan assigns them
    activities = [e.id for e in three.items("activities")]
    assert activities.index("3.A5") == activities.index("3.A6") + 1
    assert "1.A5.2" not in {e.id for e in plan.walk()}
    # printed as lgcb diff prints it
    assert "Modified result 3.R1:" in result.stdout
    assert "text: Systems {+for+} identification of LMOs [-for-] established" in result.stdout
    assert "Removed indicator 3.I4:" in result.stdout and "Added activity 3.A16 under 3.G4:" in result.stdout
    assert "Removed activity 1.A5.2:" in result.stdout
    # the tracked changes, counted and located
    assert "Tracked changes: 5 accepted (listed above)." in result.stderr
    assert (
        "reviewed.docx: table 3, row 2, cell 3, paragraph 1: warning: tracked change accepted: insertion by "
        "Reviewer: 'for' [tracked-change]" in result.stderr.splitlines()
    )
    # the comment, with the entry it is anchored to
    assert "  3.R2 (Reviewer): Is 'local' the right word here?" in result.stdout.splitlines()
    assert comments.read_text(encoding="utf-8") == (
        "Comments from reviewed.docx:\n\n- **3.R2** (Reviewer): Is 'local' the right word here?\n"
    )
    # only the two edited files changed; the edited one keeps its comments
    after = snapshot(target)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {
        "objectives/" + objective_file(PLAN_DIR, 1).name,
        "objectives/" + objective_file(PLAN_DIR, 3).name,
    }
    header = before["objectives/" + objective_file(PLAN_DIR, 3).name].decode("utf-8").split("number:")[0]
    assert after["objectives/" + objective_file(PLAN_DIR, 3).name].decode("utf-8").startswith(header)
    assert invoke("validate", plan=target).exit_code == 0


def test_rejecting_the_tracked_changes_keeps_only_what_was_typed(
    invoke: Callable[..., Result], reviewed: Path, target: Path
) -> None:
    result = invoke("import", str(reviewed), "--onto", str(target), "--changes", "reject")
    assert result.exit_code == 0, result.stderr
    assert "Tracked changes: 5 rejected (listed above)." in result.stderr
    plan = load_plan(target).plan
    assert plan is not None
    texts = {e.id: e.text for e in plan.objective(3).items()}  # type: ignore[union-attr]
    assert texts["3.R1"] == "Systems identification of LMOs for established"
    assert "3.I4" in texts and texts["3.A16"] == NEW_BULLET


def test_fail_refuses_a_document_with_tracked_changes(
    invoke: Callable[..., Result], reviewed: Path, target: Path
) -> None:
    before = snapshot(target)
    result = invoke("import", str(reviewed), "--onto", str(target), "--changes", "fail")
    assert result.exit_code == 1
    assert "reviewed.docx has 5 tracked changes" in result.stderr
    assert snapshot(target) == before


def test_an_entry_removed_from_the_plan_since_the_report_is_a_conflict(
    invoke: Callable[..., Result], tmp_path: Path, target: Path
) -> None:
    report = rendered(tmp_path)
    o3 = objective_file(target, 3)
    text = o3.read_text(encoding="utf-8")
    o3.write_text(
        text.replace(
            "      - id: 3.A5\n        text: Conducting awareness raising and education measures addressing all "
            "relevant stakeholders\n",
            "",
        ),
        encoding="utf-8",
    )
    before = snapshot(target)
    result = invoke("import", str(report), "--onto", str(target))
    assert result.exit_code == 1
    assert (
        f"report.docx: conflict: table 3, row 2, cell 4, paragraph 6: the ID 3.A5 is not in {target}, which has "
        "used IDs up to 3.A15 there: the entry was removed from the plan after this document was made, or the "
        "ID was edited" in result.stderr.splitlines()
    )
    assert "Nothing written: 1 conflict (listed above)." in result.stderr
    assert snapshot(target) == before
    forced = invoke("import", str(report), "--onto", str(target), "--force")
    assert forced.exit_code == 1  # written, and still reported
    assert "3.A5" in {e.id for e in load_plan(target).plan.walk()}  # type: ignore[union-attr]


def test_a_duplicated_id_is_located(invoke: Callable[..., Result], tmp_path: Path, target: Path) -> None:
    document = docx.Document(str(rendered(tmp_path)))
    p = entry(document, "3.R2")
    p.addnext(copy.deepcopy(p))
    path = tmp_path / "copied.docx"
    document.save(str(path))
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 1
    assert (
        "copied.docx: conflict: the ID 3.R2 appears 2 times: table 3, row 2, cell 3, paragraph 2; "
        "table 3, row 2, cell 3, paragraph 3" in result.stderr.splitlines()
    )


def test_an_entry_in_a_table_pasted_into_its_cell_is_still_the_entry(
    invoke: Callable[..., Result], tmp_path: Path, target: Path
) -> None:
    """A reviewer's table inside a cell is read as the cell's paragraphs: the entry in it is
    neither removed nor counted twice."""
    document = docx.Document(str(rendered(tmp_path)))
    p = entry(document, "3.R2")
    table = parse_xml(
        f'<w:tbl {NS}><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc/></w:tr></w:tbl>'
    )
    p.addprevious(table)
    table.find(f"{W}tr/{W}tc").append(p)
    path = tmp_path / "nested.docx"
    document.save(str(path))
    before = snapshot(target)
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 0, result.stderr
    assert "No changes" in result.output and "conflict" not in result.stderr
    assert snapshot(target) == before


def test_a_tracked_edit_of_an_id_is_reported_and_not_applied(
    invoke: Callable[..., Result], tmp_path: Path, target: Path
) -> None:
    document = docx.Document(str(rendered(tmp_path)))
    p = entry(document, "3.R3")
    id_run = runs(p)[0]
    style = '<w:rPr><w:rStyle w:val="ItemID"/></w:rPr>'
    id_run.addprevious(
        parse_xml(
            f'<w:del {NS} w:id="921" {BY}><w:r>{style}<w:delText xml:space="preserve">3.R3 </w:delText></w:r></w:del>'
        )
    )
    id_run.addprevious(
        parse_xml(f'<w:ins {NS} w:id="922" {BY}><w:r>{style}<w:t xml:space="preserve">3.R9 </w:t></w:r></w:ins>')
    )
    p.remove(id_run)
    path = tmp_path / "renumbered.docx"
    document.save(str(path))
    before = snapshot(target)
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 1
    assert (
        "renumbered.docx: table 3, row 2, cell 3, paragraph 3: insertion not applied, it edits an entry's ID "
        "(IDs are lgcb's own; change them in the YAML)" in result.stderr.splitlines()
    )
    assert snapshot(target) == before


def test_a_document_lgcb_did_not_make_points_to_plain_import(
    invoke: Callable[..., Result], tmp_path: Path, target: Path
) -> None:
    d = docx.Document()
    d.add_paragraph("Operational objective 1")
    d.add_paragraph("Liability and redress: To assist Parties")
    table = d.add_table(rows=2, cols=4)
    for cell, title in zip(
        table.rows[0].cells, ["Outcomes", "Indicators", "Results/Outputs", "Activities"], strict=True
    ):
        cell.text = title
    table.rows[1].cells[0].text = "Rules in place"
    path = tmp_path / "typed.docx"
    d.save(str(path))
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 1
    assert "this is not a Word report made by lgcb" in result.stderr
    assert "Import it as a plan of its own: lgcb import typed.docx -o DIR" in result.stderr


def test_an_edit_in_a_computed_section_is_reported_and_not_applied(
    invoke: Callable[..., Result], tmp_path: Path
) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "monitoring"
    shutil.copytree(example, tmp_path / "plan")
    target = tmp_path / "plan"
    document = docx.Document(str(rendered(tmp_path, target)))
    status = next(t for t in document.element.body.iter(f"{W}t") if t.text in ("on track", "off track", "achieved"))
    was = status.text
    status.text = "completed"
    path = tmp_path / "progress-edited.docx"
    document.save(str(path))
    before = snapshot(target)
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 1
    assert (
        f"an edit in a section lgcb computes from the plan and its progress files (progress, monitoring), not "
        f"applied: the document has 'completed', lgcb computes {was!r}; record progress in progress/ instead"
        in result.stderr
    )
    assert snapshot(target) == before


def test_an_id_typed_over_is_a_conflict(invoke: Callable[..., Result], tmp_path: Path, target: Path) -> None:
    document = docx.Document(str(rendered(tmp_path)))
    id_text = runs(entry(document, "3.R3"))[0].find(f"{W}t")
    id_text.text = "3.R9 "
    path = tmp_path / "typed-over.docx"
    document.save(str(path))
    before = snapshot(target)
    result = invoke("import", str(path), "--onto", str(target))
    assert result.exit_code == 1
    assert (
        "typed-over.docx: conflict: table 3, row 2, cell 3, paragraph 3: the ID 3.R3 was changed to 3.R9 (the "
        "entry's text is the same): IDs are lgcb's own, change them in the YAML; not applied"
        in result.stderr.splitlines()
    )
    assert snapshot(target) == before

"""``lgcb diff``: what a reviewer sees for each kind of plan edit, in text, Markdown and JSON.

The fixtures are copies of the shipped plan edited as an editor would edit the YAML; the
expected outputs are exact, so they double as the reference for docs/diff.md.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from lgcb.checks.load import load_plan
from lgcb.model import Plan
from lgcb.results.diff import WordOp, diff_plans, word_diff

O3 = "objectives/03-handling-transport-packaging-identification.yaml"
O4 = "objectives/04-liability-and-redress.yaml"
Invoke = Callable[..., Result]


def edit(plan_dir: Path, name: str, old: str, new: str) -> None:
    """Replace one exact passage of a plan file (failing loudly if the shipped text changed)."""
    path = plan_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_within_objective_3(plan_dir: Path) -> None:
    """One edit of each kind inside objective 3, plus one plan.yaml field."""
    edit(plan_dir, "plan.yaml", "  end: 2020", "  end: 2030")
    edit(plan_dir, O3, "strategic_plan_objective: '2.3'", "strategic_plan_objective: '2.4'")
    # reordered: 3.O2 now comes first
    o1 = "  - id: 3.O1\n    text: Customs/border officials are able to enforce the implementation of the Protocol’s"
    o2 = (
        "  - id: 3.O2\n"
        "    text: Personnel are trained and equipped for sampling, detection and identification of LMOs\n"
    )
    edit(plan_dir, O3, o2, "")
    edit(plan_dir, O3, o1, o2 + o1)
    # modified: monitoring fields and a link added to an indicator
    edit(
        plan_dir,
        O3,
        "    text: Number of customs officers and laboratory personnel trained\n",
        "    text: Number of customs officers and laboratory personnel trained\n"
        "    measures: [3.O1]\n    measure: number\n    baseline: {value: 0, year: 2012}\n"
        "    targets:\n      - {year: 2020, value: 500}\n",
    )
    # removed
    edit(plan_dir, O3, "  - id: 3.I4\n    text: Number of certified laboratories in operation\n", "")
    # modified text: a word moved
    edit(
        plan_dir,
        O3,
        "Systems identification of LMOs for established",
        "Systems for identification of LMOs established",
    )
    # moved to another group
    a5 = (
        "      - id: 3.A5\n"
        "        text: Conducting awareness raising and education measures addressing all relevant stakeholders\n"
    )
    edit(plan_dir, O3, a5, "")
    edit(plan_dir, O3, "      - id: 3.A11\n", a5 + "      - id: 3.A11\n")
    # added, with a link
    edit(
        plan_dir,
        O3,
        "traceability and labelling of LMOs\n",
        "traceability and labelling of LMOs\n      - id: 3.A16\n        text: Reviewing the system\n"
        "        serves: [3.R1]\n",
    )


@pytest.fixture
def edited(copy_plan: Path) -> Path:
    edit_within_objective_3(copy_plan)
    return copy_plan


EXPECTED_TEXT = """\
Changes from {old} to {new}

Plan (plan.yaml)
  timeframe.end: 2020 → 2030

Objective 3: Handling, transport, packaging and identification
  strategic_plan_objective: [-2.3-] {{+2.4+}}
  Reordered outcome 3.O1: now 2nd of 2 in Outcomes (was 1st)
  Modified indicator 3.I1:
      measures: (none) → 3.O1
      measure: (none) → number
      baseline.value: (none) → 0
      baseline.year: (none) → 2012
      targets[2020].value: (none) → 500
  Removed indicator 3.I4:
      Number of certified laboratories in operation
  Modified result 3.R1:
      text: Systems {{+for+}} identification of LMOs [-for-] established
  Moved activity 3.A5: from under 3.G1 to under 3.G2
  Added activity 3.A16 under 3.G4:
      Reviewing the system

Summary: 1 entry added, 1 entry removed, 2 entries modified, 1 entry moved, 1 entry reordered, \
1 objective field changed, 1 plan field changed.
"""

EXPECTED_MD = """\
## Plan changes: `{old}` → `{new}`

**Summary:** 1 entry added, 1 entry removed, 2 entries modified, 1 entry moved, 1 entry reordered, \
1 objective field changed, 1 plan field changed.

### Plan (`plan.yaml`)

- `timeframe.end`: 2020 → 2030

### Objective 3: Handling, transport, packaging and identification

- `strategic_plan_objective`: ~~2.3~~ **2.4**
- **Reordered** outcome `3.O1`: now 2nd of 2 in Outcomes (was 1st)
- **Modified** indicator `3.I1`
  - `measures`: (none) → 3.O1
  - `measure`: (none) → number
  - `baseline.value`: (none) → 0
  - `baseline.year`: (none) → 2012
  - `targets[2020].value`: (none) → 500
- **Removed** indicator `3.I4`: Number of certified laboratories in operation
- **Modified** result `3.R1`
  - `text`: Systems **for** identification of LMOs ~~for~~ established
- **Moved** activity `3.A5`: from under 3.G1 to under 3.G2
- **Added** activity `3.A16` under `3.G4`: Reviewing the system
"""


def test_text_shows_each_change_in_the_plans_terms_with_a_word_diff(invoke: Invoke, plan_dir: Path, edited: Path):
    result = invoke("diff", str(plan_dir), str(edited))
    assert result.exit_code == 0
    assert result.output == EXPECTED_TEXT.format(old=plan_dir, new=edited)


def test_markdown_is_a_pull_request_comment_with_one_section_per_objective(
    invoke: Invoke, plan_dir: Path, edited: Path
):
    result = invoke("diff", str(plan_dir), str(edited), "--format", "md")
    assert result.exit_code == 0
    assert result.output == EXPECTED_MD.format(old=plan_dir, new=edited)


def test_json_lists_every_change_with_stable_keys(invoke: Invoke, plan_dir: Path, edited: Path):
    data = json.loads(invoke("diff", str(plan_dir), str(edited), "--format", "json").output)
    assert list(data) == ["format", "old", "new", "changed", "summary", "plan", "objectives"]
    assert data["format"] == "lgcb-diff/1" and data["changed"] is True
    assert data["summary"] == {
        "entries_added": 1,
        "entries_removed": 1,
        "entries_modified": 2,
        "entries_moved": 1,
        "entries_reordered": 1,
        "objectives_added": 0,
        "objectives_removed": 0,
        "objective_fields_changed": 1,
        "plan_fields_changed": 1,
    }
    assert data["plan"] == [{"field": "timeframe.end", "old": 2020, "new": 2030, "words": None}]
    [objective] = data["objectives"]
    assert (objective["number"], objective["status"]) == (3, "changed")
    assert [(e["id"], e["status"], e["changes"]) for e in objective["entries"]] == [
        ("3.O1", "changed", ["reordered"]),
        ("3.I1", "changed", ["modified"]),
        ("3.I4", "removed", ["removed"]),
        ("3.R1", "changed", ["modified"]),
        ("3.A5", "changed", ["moved"]),
        ("3.A16", "added", ["added"]),
    ]
    entries = {e["id"]: e for e in objective["entries"]}
    assert entries["3.R1"]["fields"] == [
        {
            "field": "text",
            "old": "Systems identification of LMOs for established",
            "new": "Systems for identification of LMOs established",
            "words": [
                {"op": "equal", "text": "Systems"},
                {"op": "insert", "text": "for"},
                {"op": "equal", "text": "identification of LMOs"},
                {"op": "delete", "text": "for"},
                {"op": "equal", "text": "established"},
            ],
        }
    ]
    assert entries["3.A5"]["old"] == {
        "objective": 3,
        "column": "activities",
        "parent": "3.G1",
        "position": 5,
        "siblings": 6,
    }
    assert entries["3.A5"]["new"] == {
        "objective": 3,
        "column": "activities",
        "parent": "3.G2",
        "position": 5,
        "siblings": 6,
    }
    assert entries["3.A16"]["old"] is None and entries["3.A16"]["new"]["parent"] == "3.G4"
    assert entries["3.I4"]["new"] is None and entries["3.I4"]["text"] == "Number of certified laboratories in operation"


def test_identical_plans_have_no_changes(invoke: Invoke, plan_dir: Path, copy_plan: Path):
    assert invoke("diff", str(plan_dir), str(copy_plan)).output == "No changes.\n"
    assert invoke("diff", str(plan_dir), str(copy_plan), "--format", "md").output == "No changes.\n"
    data = json.loads(invoke("diff", str(plan_dir), str(copy_plan), "--format", "json").output)
    assert data["changed"] is False and data["plan"] == [] and data["objectives"] == []
    assert invoke("diff", str(plan_dir), str(copy_plan), "--exit-code").exit_code == 0


def test_exit_code_is_1_when_the_plan_changed_like_git_diff(invoke: Invoke, plan_dir: Path, edited: Path):
    assert invoke("diff", str(plan_dir), str(edited)).exit_code == 0
    assert invoke("diff", str(plan_dir), str(edited), "--exit-code").exit_code == 1


def test_moves_between_objectives_and_parents_group_headings_notes_and_new_objectives(
    invoke: Invoke, plan_dir: Path, copy_plan: Path
):
    a6 = "  - id: 4.A6\n    text: Analysis of mechanisms for providing financial security\n"
    edit(copy_plan, O4, a6, "")
    edit(
        copy_plan,
        O3,
        "traceability and labelling of LMOs\n",
        "traceability and labelling of LMOs\n"
        "      - id: 4.A6\n        text: Analysis of mechanisms for providing financial security\n",
    )
    r34 = "      - id: 4.R3.4\n        text: Determining appropriate response\n"
    edit(copy_plan, O4, r34, "")
    edit(
        copy_plan,
        O4,
        "  - id: 4.R4\n",
        "  - id: 4.R3.4\n    text: Determining appropriate response\n  - id: 4.R4\n",
    )
    edit(copy_plan, O3, "group: Related to the checkpoints", "group: Related to checkpoints")
    edit(
        copy_plan,
        O3,
        "    text: Local experts able to detect and identify LMOs in shipments\n",
        "    text: Local experts able to detect and identify LMOs in shipments\n    note: Checked against the annex.\n",
    )
    edit(
        copy_plan,
        "plan.yaml",
        "title: Handling, transport, packaging and identification",
        "title: Handling, transport, packaging and identification (HTPI)",
    )
    (copy_plan / "objectives" / "09-review.yaml").write_text(
        "number: 9\ntitle: Review\naim: To review the plan\nstrategic_plan_objective: '1.2'\n"
        "outcomes:\n  - id: 9.O1\n    text: The plan is reviewed\n",
        encoding="utf-8",
    )
    result = invoke("diff", str(plan_dir), str(copy_plan))
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"""\
Changes from {plan_dir} to {copy_plan}

Plan (plan.yaml)
  strategic_plan.objectives[2.3].title: Handling, transport, packaging and identification {{+(HTPI)+}}

Objective 3: Handling, transport, packaging and identification
  Modified result 3.R2:
      note: (none) → Checked against the annex.
  Modified group heading 3.G2:
      group: Related to [-the-] checkpoints
  Moved activity 4.A6: from objective 4, Activities, top level to objective 3, Activities, under 3.G4

Objective 4: Liability and Redress
  Moved result 4.R3.4: from under 4.R3 to top level

Objective 9 (added): Review
  Added outcome 9.O1:
      The plan is reviewed

Summary: 1 entry added, 2 entries modified, 2 entries moved, 1 objective added, 1 plan field changed.
"""
    )


def test_a_group_moved_with_its_items_is_one_move(plan: Plan, copy_plan: Path):
    group = (
        "  - id: 3.G4\n    group: Related to other stakeholders\n    items:\n"
        "      - id: 3.A14\n        text: Supporting the development of strategies for the management of LMOs "
        "during transport, handling and storage\n"
        "      - id: 3.A15\n        text: Supporting the development of tools and systems for traceability and "
        "labelling of LMOs\n"
    )
    edit(copy_plan, O3, group, "")
    (copy_plan / O4).write_text((copy_plan / O4).read_text(encoding="utf-8") + group, encoding="utf-8")
    changed = load_plan(copy_plan).plan
    assert changed is not None
    diff = diff_plans(plan, changed)
    assert [(o.number, [(e.id, e.aspects) for e in o.entries]) for o in diff.objectives] == [(4, [("3.G4", ["moved"])])]
    from lgcb.outputs.diff import movement

    assert movement(diff.objectives[0].entries[0]) == (
        "from objective 3, Activities, top level to objective 4, Activities, top level"
    )


def test_the_sides_of_a_comparison_read_the_files_they_share_once(plan_dir: Path, copy_plan: Path):
    """A file with the same text on both sides is parsed once and its model shared; the checks
    across files still run on each side."""
    edit(copy_plan, O4, "title: Liability and Redress", "title: Liability and redress")
    shutil.copy(copy_plan / O3, copy_plan / "objectives" / "09-copy-of-3.yaml")
    reuse: dict = {}
    old = load_plan(plan_dir, reuse=reuse)
    new = load_plan(copy_plan, reuse=reuse)
    assert old.plan is not None and new.plan is None
    assert {"duplicate-objective", "duplicate-id"} <= {p.rule for p in new.problems}
    (copy_plan / "objectives" / "09-copy-of-3.yaml").unlink()
    new = load_plan(copy_plan, reuse=reuse)
    assert new.plan is not None
    assert new.plan.objective(3) is old.plan.objective(3)
    assert new.plan.objective(4) is not old.plan.objective(4)
    diff = diff_plans(old.plan, new.plan)
    assert [(o.number, [f.field for f in o.fields]) for o in diff.objectives] == [(4, ["title"])]


def test_a_removed_objective_lists_its_entries_as_removed(plan: Plan, copy_plan: Path):
    (copy_plan / O4).unlink()
    changed = load_plan(copy_plan).plan
    assert changed is not None
    diff = diff_plans(plan, changed, "before", "after")
    [objective] = diff.objectives
    assert (objective.number, objective.status, objective.title) == (4, "removed", "Liability and Redress")
    assert [e.id for e in objective.entries][:4] == ["4.O1", "4.I1", "4.I2", "4.R1"]
    assert {e.status for e in objective.entries} == {"removed"}
    assert diff.counts()["objectives_removed"] == 1
    assert diff.counts()["entries_removed"] == len(list(plan.objective(4).walk()))


def test_word_diff_works_on_words_like_git_word_diff():
    assert word_diff("a b c", "a x c") == (
        WordOp("equal", "a"),
        WordOp("delete", "b"),
        WordOp("insert", "x"),
        WordOp("equal", "c"),
    )
    assert word_diff("same  words", "same words") == (WordOp("delete", "same  words"), WordOp("insert", "same words"))


def test_markdown_escapes_text_so_it_shows_as_written(plan: Plan, copy_plan: Path):
    from lgcb.outputs.diff import markdown

    edit(copy_plan, O3, "Developing forms, manuals and checklists", "Developing *forms*, <manuals> and `checklists`")
    changed = load_plan(copy_plan).plan
    assert changed is not None
    text = markdown(diff_plans(plan, changed, "old", "new"))
    assert (
        "  - `text`: Developing ~~forms, manuals~~ **\\*forms\\*, \\<manuals\\>** and "
        "~~checklists~~ **\\`checklists\\`**" in text.splitlines()
    )


def test_an_invalid_side_is_reported_with_its_problems_and_exit_1(invoke: Invoke, plan_dir: Path, copy_plan: Path):
    edit(copy_plan, O3, "number: 3\n", "number: three\n")
    result = invoke("diff", str(plan_dir), str(copy_plan))
    assert result.exit_code == 1
    assert result.output.startswith(f"The new side ({copy_plan}) is not a valid plan:\n")
    assert "03-handling-transport-packaging-identification.yaml:7:9: error:" in result.output


def test_a_folder_holding_a_plan_folder_is_read_as_that_plan(invoke: Invoke, plan_dir: Path, edited: Path):
    result = invoke("diff", str(plan_dir), str(edited.parent))
    assert result.output == EXPECTED_TEXT.format(old=plan_dir, new=edited.parent)


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(6)))
def test_reordering_siblings_reports_only_reordered_entries_and_the_rest_keep_their_order(
    plan: Plan, order: list[int]
) -> None:
    objective = plan.objective(3)
    assert objective is not None
    group = objective.activities[0]
    shuffled = group.model_copy(update={"items": [group.items[i] for i in order]})
    edited_objective = objective.model_copy(update={"activities": [shuffled, *objective.activities[1:]]})
    edited = plan.model_copy(update={"objectives": [edited_objective if o.number == 3 else o for o in plan.objectives]})
    entries = [e for o in diff_plans(plan, edited).objectives for e in o.entries]
    assert all(e.aspects == ["reordered"] and e.new and e.new.parent == "3.G1" for e in entries)
    flagged = {e.id for e in entries}
    kept_before = [item.id for item in group.items if item.id not in flagged]
    kept_after = [item.id for item in shuffled.items if item.id not in flagged]
    assert kept_before == kept_after
    assert (not flagged) == (order == list(range(6)))
    # as few as possible: all but the longest run of items still in their old order
    longest = [1] * len(order)
    for i in range(len(order)):
        longest[i] = 1 + max((longest[j] for j in range(i) if order[j] < order[i]), default=0)
    assert len(flagged) == len(order) - max(longest)


def test_a_directory_without_a_plan_is_a_usage_error(invoke: Invoke, plan_dir: Path, tmp_path: Path):
    result = invoke("diff", str(plan_dir), str(tmp_path))
    assert result.exit_code == 2
    assert f"Error: {tmp_path} is a directory but holds no plan: expected {tmp_path}/plan.yaml" in result.output
    result = invoke("diff", str(plan_dir / "plan.yaml"), str(plan_dir))
    assert result.exit_code == 2
    assert f"Error: {plan_dir}/plan.yaml is a file: give a plan directory (holding plan.yaml) or a git revision" in (
        result.output
    )


# --- git revisions ------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the shipped plan (commit 1) and the objective-3 edits (commit 2)."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for lgcb diff with revisions")
    for name, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    git("init", "-q", "-b", "main")
    shutil.copytree(Path(__file__).resolve().parent.parent / "plan", root / "plan")
    git("add", "plan")
    git("commit", "-q", "-m", "The plan as adopted")
    edit_within_objective_3(root / "plan")
    git("commit", "-q", "-a", "-m", "Edits")
    return root


def git(*args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], check=True, capture_output=True)


def test_two_revisions_are_compared_without_touching_the_working_tree(invoke: Invoke, repo: Path):
    (repo / "plan" / O3).write_text("not: [valid", encoding="utf-8")  # the working copy is not read
    result = invoke("diff", "HEAD~1", "HEAD", plan=None)
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED_TEXT.format(old="HEAD~1", new="HEAD")
    assert (repo / "plan" / O3).read_text(encoding="utf-8") == "not: [valid"


def test_a_revision_is_compared_with_the_working_copy(invoke: Invoke, repo: Path):
    assert invoke("diff", "HEAD", plan=None).output == "No changes.\n"
    edit(repo / "plan", "plan.yaml", "  start: 2011", "  start: 2012")
    result = invoke("diff", "main", "--format", "md", "--exit-code", plan=None)
    assert result.exit_code == 1
    assert result.output == (
        "## Plan changes: `main` → `plan (working copy)`\n\n**Summary:** 1 plan field changed.\n\n"
        "### Plan (`plan.yaml`)\n\n- `timeframe.start`: 2011 → 2012\n"
    )


def test_a_directory_wins_over_a_revision_of_the_same_name(invoke: Invoke, repo: Path):
    shutil.copytree(repo / "plan", repo / "main")
    edit(repo / "main", "plan.yaml", "  end: 2030", "  end: 2040")
    result = invoke("diff", "main", "plan", plan=None)
    assert result.output.splitlines()[:4] == [
        "Changes from main to plan",
        "",
        "Plan (plan.yaml)",
        "  timeframe.end: 2040 → 2030",
    ]


def test_an_unknown_revision_is_a_usage_error(invoke: Invoke, repo: Path):
    result = invoke("diff", "no-such-branch", plan=None)
    assert result.exit_code == 2
    assert (
        "Error: no such revision: no-such-branch (neither a plan directory nor a branch, tag or commit" in result.output
    )


def test_a_revision_without_the_plan_is_a_usage_error(invoke: Invoke, repo: Path):
    git("mv", "plan", "data")
    git("commit", "-q", "-m", "Move the plan")
    result = invoke("--plan", "data", "diff", "HEAD~1", plan=None)
    assert result.exit_code == 2
    assert "Error: HEAD~1 has no plan at data/: data/plan.yaml is not in that revision" in result.output


def test_an_invalid_plan_in_a_revision_is_located_as_rev_colon_path(invoke: Invoke, repo: Path):
    edit(repo / "plan", O3, "number: 3\n", "number: three\n")
    git("commit", "-q", "-a", "-m", "Broken")
    result = invoke("diff", "HEAD~1", "HEAD", plan=None)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "The new side (HEAD) is not a valid plan:",
        f"HEAD:plan/{O3}:7:9: error: objective three: `number` must be a whole number, "
        "not the text 'three' [wrong-type]",
    ]


def test_outside_a_git_repository_a_revision_is_a_usage_error(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", "main", plan=None)
    assert result.exit_code == 2
    assert "Error: not inside a git repository" in result.output


def test_on_a_terminal_words_are_coloured_instead_of_marked(
    invoke: Invoke, plan_dir: Path, edited: Path, monkeypatch: pytest.MonkeyPatch
):
    import lgcb.cli._common

    monkeypatch.setattr(lgcb.cli._common, "is_terminal", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = invoke("diff", str(plan_dir), str(edited)).output
    assert "{+for+}" not in coloured and "[-for-]" not in coloured
    assert "\x1b[1;32mfor\x1b[0m" in coloured  # inserted: bold green
    assert "\x1b[9;31mfor\x1b[0m" in coloured  # deleted: red, struck through
    monkeypatch.setenv("NO_COLOR", "1")
    assert (
        "Systems {+for+} identification of LMOs [-for-] established"
        in invoke("diff", str(plan_dir), str(edited)).output
    )


def test_a_revision_is_checked_as_a_working_copy_would_be(invoke: Invoke, repo: Path) -> None:
    """Links, stray files and oversized blobs in a revision are reported, never skipped or read whole."""
    plan = repo / "plan"
    (plan / "objectives" / "09-secret.yaml").symlink_to("/etc/hostname")
    (plan / "objectives" / "notes.md").write_text("draft\n", encoding="utf-8")
    big = plan / "objectives" / "10-big.yaml"
    big.write_bytes(b"x" * (2 * 1024 * 1024))
    (plan / "progress").mkdir()
    (plan / "progress" / "2015.yaml").write_text("3.I1:\n  - period: 2015\n    value: 12\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "Hostile files")
    for path in (plan / "objectives" / "09-secret.yaml", plan / "objectives" / "notes.md", big):
        path.unlink()
    result = invoke("diff", "HEAD", plan=None)
    assert result.exit_code == 1
    assert "HEAD:plan/objectives/09-secret.yaml:1:1: error: the file is a link to" in result.output
    assert "HEAD:plan/objectives/notes.md:1:1: error: not a plan file" in result.output
    assert "HEAD:plan/objectives/10-big.yaml:1:1: error: the file is larger than 1 MiB" in result.output


def test_monitoring_data_of_a_revision_is_compared_too(invoke: Invoke, repo: Path) -> None:
    plan = repo / "plan"
    (plan / "progress").mkdir()
    (plan / "progress" / "2015.yaml").write_text("3.I1:\n  - period: 2015\n    value: 12\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "A first observation")
    (plan / "progress" / "2015.yaml").write_text("3.I1:\n  - period: 2015\n    value: 14\n", encoding="utf-8")
    old = invoke("diff", "HEAD~1", "HEAD", plan=None)
    assert old.exit_code == 0, old.output

"""Reading YAML safely, with bounded cost, and locating problems at their node."""

from __future__ import annotations

import time
from pathlib import Path

from lgcb.checks.load import load_plan
from lgcb.checks.problem import Problem
from lgcb.outputs import output
from lgcb.planfile.layout import find_plan, shipped_plan
from lgcb.planfile.read import MAX_FILE_BYTES, read_yaml


def write(tmp_path: Path, text: str | bytes, name: str = "01-x.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n"))
    assert [(p.line, p.col, p.rule) for p in doc.problems] == [(3, 1, "duplicate-key"), (6, 3, "duplicate-key")]


def test_byte_order_mark_is_accepted_and_dates_stay_text(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "\ufeffwhen: 2012-03-15\n".encode()))
    assert doc.problems == []
    assert doc.data == {"when": "2012-03-15"}


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, b"text: '" + b"x" * (MAX_FILE_BYTES + 10) + b"'\n")
    started = time.perf_counter()
    doc = read_yaml(path)
    assert time.perf_counter() - started < 0.5
    assert [(p.rule, p.message) for p in doc.problems] == [
        ("file-too-large", "the file is larger than 1 MiB, the most a plan file may be")
    ]


def test_long_single_line_within_the_limit_loads(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "text: " + "word " * 200_000 + "\n"))
    assert doc.problems == []


def test_control_character_is_located(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: 1\nb: x\x07y\n"))
    assert [(p.line, p.col, p.rule) for p in doc.problems] == [(2, 5, "yaml-syntax")]


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    doc = read_yaml(tmp_path)  # a directory
    assert doc.problems[0].rule in ("unreadable", "file-too-large")


def test_problems_in_all_files_are_reported_in_one_run(copy_plan: Path) -> None:
    for name in ("01-national-biosafety-frameworks.yaml", "07-biosafety-education-and-training.yaml"):
        path = copy_plan / "objectives" / name
        path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    result = load_plan(copy_plan)
    assert result.plan is None
    assert [(Path(p.path).name, p.rule) for p in result.problems] == [
        ("01-national-biosafety-frameworks.yaml", "missing-field"),
        ("01-national-biosafety-frameworks.yaml", "unknown-field"),
        ("07-biosafety-education-and-training.yaml", "missing-field"),
        ("07-biosafety-education-and-training.yaml", "unknown-field"),
    ]
    unknown = result.problems[1]
    assert unknown.message == "objective 1: unknown field `titel`; did you mean `title`?"
    assert (unknown.line, unknown.col) == (8, 1)


def test_valid_plan_never_composes_node_trees(copy_plan: Path, monkeypatch) -> None:
    """Finding line numbers costs nothing on the valid path."""
    import lgcb.planfile.read

    def fail(*args, **kwargs):
        raise AssertionError("compose() called on a valid plan")

    monkeypatch.setattr(lgcb.planfile.read.yaml, "compose", fail)
    assert load_plan(copy_plan).ok


def test_a_read_file_leaves_no_node_tree_behind() -> None:
    """Loading pauses the garbage collector, so a reference cycle would keep every file's node tree
    (most of a large plan's memory) alive until the end: once released, the tree must be gone."""
    import gc
    import weakref

    gc.disable()
    try:
        doc = read_yaml(shipped_plan() / "objectives" / "02-risk-assessment-and-risk-management.yaml")
        assert doc.root is not None
        tree = weakref.ref(doc.root)
        doc.release()
        del doc
        assert tree() is None
    finally:
        gc.enable()


def test_github_reporter_escapes_properties_and_data() -> None:
    problem = Problem("a,b:c.yaml", 3, 4, "50% done\nnext", "invalid-value")
    assert output("problems", "github", [problem]) == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=lgcb invalid-value::50%25 done%0Anext\n"
    )


def test_shipped_plan_is_found_when_nothing_else_is(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("LGCB_PLAN", raising=False)
    location = find_plan(cwd=tmp_path)
    assert location.origin == "shipped"
    assert location.path == shipped_plan()
    assert load_plan(location.path).ok


def test_unknown_field_suggestions_know_an_item_from_a_group_heading(copy_plan: Path) -> None:
    path = copy_plan / "objectives" / "03-handling-transport-packaging-identification.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    group: Related to the checkpoints\n", "    group: Related to the checkpoints\n    text: x\n"
    )
    text = text.replace("      - id: 3.A1\n", "      - id: 3.A1\n        serve: [3.R1]\n")
    path.write_text(text, encoding="utf-8")
    messages = [p.message for p in load_plan(copy_plan).problems]
    assert messages == [
        "activity 3.A1: unknown field `serve`; did you mean `serves`?",
        "group heading 3.G2: unknown field `text`; allowed fields: id, group, items",
    ]


def test_a_plan_counts_its_entries_as_its_walk_lists_them() -> None:
    plan = load_plan(shipped_plan()).plan
    assert plan is not None
    assert plan.count() == len(list(plan.walk())) == 169
    assert [o.count() for o in plan.objectives] == [len(list(o.walk())) for o in plan.objectives]
    three = plan.objectives[2]
    assert [x.id for x in three.walk("indicators")] == [x.id for x in three.walk() if x.column == "indicators"]


def _tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_edits_are_read_as_if_written_and_nothing_is_written(copy_plan: Path) -> None:
    before = _tree(copy_plan)
    first, second = sorted((copy_plan / "objectives").glob("*.yaml"))[:2]
    renamed = first.with_name("01-renamed.yaml")
    broken = second.read_text(encoding="utf-8").replace("number: 2", "number: two", 1).encode()

    result = load_plan(copy_plan, edits={first: None, renamed: first.read_bytes(), second: broken})

    assert [(Path(p.path).name, p.rule) for p in result.problems] == [(second.name, "wrong-type")]
    assert _tree(copy_plan) == before
    renamed_only = load_plan(copy_plan, edits={first: None, renamed: first.read_bytes()})
    assert renamed_only.problems == []
    assert renamed_only.documents[1].path == renamed


def test_an_edit_removing_an_objective_file_leaves_it_out(copy_plan: Path) -> None:
    last = sorted((copy_plan / "objectives").glob("*.yaml"))[-1]

    result = load_plan(copy_plan, edits={last: None})

    assert result.plan is not None
    assert [o.number for o in result.plan.objectives] == list(range(1, 8))
    assert last.exists()

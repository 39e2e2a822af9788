"""``lgcb.planfile.write``: a plan written back reads as the same plan, in the one layout ``lgcb fmt`` makes."""

from __future__ import annotations

import sys
from pathlib import Path

from lgcb.checks.load import load_plan
from lgcb.model import Activity, Objective, Plan
from lgcb.planfile.layout import objective_file_name
from lgcb.planfile.write import objective_yaml, write_plan

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#")).lstrip("\n")


def test_the_shipped_plan_dumps_to_its_own_text_comments_aside(plan_dir: Path, tmp_path: Path) -> None:
    result = load_plan(plan_dir)
    assert result.plan is not None
    names = {number: doc.path.name for number, doc in result.documents.items()}

    write_plan(result.plan, tmp_path, names)

    for original in sorted((plan_dir / "objectives").glob("*.yaml")):
        written = tmp_path / "objectives" / original.name
        assert written.read_text(encoding="utf-8") == _without_comments(original.read_text(encoding="utf-8"))
    assert load_plan(tmp_path).plan == result.plan


def test_keys_come_in_editing_order_and_defaults_are_left_out() -> None:
    objective = Objective(
        number=9,
        title="Example",
        aim="To show the layout",
        strategic_plan_objective="2.1",
        activities=[Activity(id="9.A1", text="Lead-in: 'quoted'", serves=[], items=[Activity(id="9.A1.1", text="x")])],
    )

    assert objective_yaml(objective) == (
        "number: 9\n"
        "title: Example\n"
        "aim: To show the layout\n"
        "strategic_plan_objective: '2.1'\n"
        "\n"
        "activities:\n"
        "  - id: 9.A1\n"
        "    text: \"Lead-in: 'quoted'\"\n"
        "    items:\n"
        "      - id: 9.A1.1\n"
        "        text: x\n"
    )


def test_text_with_a_line_break_is_double_quoted_so_it_reads_back() -> None:
    objective = Objective(number=1, title="A\u2028B", aim="C\nD", strategic_plan_objective="1.2")

    assert 'title: "A\\LB"\naim: "C\\nD"\n' in objective_yaml(objective)


def test_file_names_are_padded_so_that_name_order_is_number_order(plan: Plan) -> None:
    objective = plan.objectives[1]

    assert objective_file_name(objective.number, objective.title) == "02-risk-assessment-and-risk-management.yaml"
    assert objective_file_name(objective.number, objective.title, 4) == "0002-risk-assessment-and-risk-management.yaml"


def test_synthetic_plans_are_valid_deterministic_and_shaped_like_the_shipped_plan(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import count_entries, synthetic_plan, write_synthetic
    finally:
        sys.path.remove(str(BENCHMARKS))

    plan = synthetic_plan(8)

    assert plan == synthetic_plan(8)
    assert plan != synthetic_plan(8, seed=1)
    assert 300 <= count_entries(plan) <= 500  # about 50 entries per objective
    kinds = {located.kind for located in plan.walk()}
    assert kinds == {"outcome", "indicator", "result", "activity", "group"}
    assert any(located.depth == 1 and located.kind != "group" for located in plan.walk())
    write_synthetic(8, tmp_path / "plan")  # asserts that load_plan finds no problem
    assert len(list((tmp_path / "plan" / "objectives").glob("*.yaml"))) == 8


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"


def test_monitoring_data_is_written_too_and_reads_back_equal(tmp_path: Path) -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None and loaded.plan.progress

    write_plan(loaded.plan, tmp_path / "plan")

    assert sorted(p.name for p in (tmp_path / "plan" / "progress").iterdir()) == sorted(
        p.name for p in (EXAMPLE / "progress").iterdir()
    )
    assert load_plan(tmp_path / "plan").plan == loaded.plan


def test_what_the_writer_writes_is_already_in_the_canonical_layout(tmp_path: Path) -> None:
    from lgcb.planfile.fmt import format_paths

    for source in (Path(__file__).resolve().parent.parent / "plan", EXAMPLE):
        plan = load_plan(source).plan
        assert plan is not None
        target = write_plan(plan, tmp_path / source.name)

        formatted = format_paths([target], apply=False)

        assert len(formatted) > 8
        assert [f.display for f in formatted if f.changed or f.problems] == []

"""Links (`serves`, `measures`) are checked after every file is read, in one pass with the ID rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result


def _insert_after(path: Path, line: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"\n{line}\n" in text
    path.write_text(text.replace(f"\n{line}\n", f"\n{line}\n{addition}\n", 1), encoding="utf-8")


def test_links_to_missing_or_wrong_kinds_of_items_are_located(copy_plan: Path, invoke: Callable[..., Result]) -> None:
    first = copy_plan / "objectives" / "01-national-biosafety-frameworks.yaml"
    second = copy_plan / "objectives" / "02-risk-assessment-and-risk-management.yaml"
    _insert_after(first, "  - id: 1.A2", "    serves: [1.R9, 1.O1, 2.R1]")
    _insert_after(second, "  - id: 2.I1", "    measures: [1.O1, 2.O9]")

    result = invoke("validate", plan=copy_plan)

    assert result.exit_code == 1
    assert result.stdout == (
        f"{first}:52:14: error: activity 1.A2: `serves` names 1.R9, which is not an ID in the plan; "
        "did you mean 1.R5? [unknown-reference]\n"
        f"{first}:52:20: error: activity 1.A2: `serves` must name results, but 1.O1 is an outcome "
        "[unknown-reference]\n"
        f"{second}:22:22: error: indicator 2.I1: `measures` names 2.O9, which is not an ID in the plan; "
        "did you mean 2.O3? [unknown-reference]\n"
    )


def test_a_link_to_a_later_file_is_valid(copy_plan: Path, invoke: Callable[..., Result]) -> None:
    first = copy_plan / "objectives" / "01-national-biosafety-frameworks.yaml"
    _insert_after(first, "  - id: 1.A2", "    serves: [8.R2]")

    result = invoke("validate", plan=copy_plan)

    assert result.exit_code == 0, result.output


def test_a_file_naming_hundreds_of_unknown_ids_lists_200_and_counts_the_rest(
    copy_plan: Path, invoke: Callable[..., Result]
) -> None:
    first = copy_plan / "objectives" / "01-national-biosafety-frameworks.yaml"
    _insert_after(first, "  - id: 1.A2", f"    serves: [{', '.join(f'1.R{n}x' for n in range(300))}]")

    result = invoke("validate", plan=copy_plan)

    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert len([line for line in lines if "[unknown-reference]" in line]) == 200
    assert lines[1].endswith("names 1.R1x, which is not an ID in the plan; did you mean 1.R1? [unknown-reference]")
    assert "and 100 more problems in this file, not listed" in lines[-1]


def test_suggestions_in_a_large_plan_look_among_the_ids_of_the_same_objective() -> None:
    from lgcb.ids import Suggestions

    pool = [f"{o}.R{n}" for o in range(1, 1001) for n in range(1, 30)]
    suggest = Suggestions(pool)
    assert [suggest(wanted) for wanted in ("500.r7", "500.7R", "500.R7x", "500.Rx", "1001.R7")] == [
        "500.R7",
        "500.R7",
        "500.R7",
        "500.R9",
        None,
    ]

"""Edits put onto an existing plan directory: only changed files are written, comments are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lgcb.checks.load import load_plan
from lgcb.ids import assign_ids
from lgcb.model import Objective, Plan
from lgcb.planfile.onto import OntoError, plan_onto

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _edited(plan: Plan, number: int, change: dict) -> Plan:
    objective = plan.objective(number)
    assert objective is not None
    data = objective.model_dump(exclude_defaults=True)
    change_data = change(data) if callable(change) else change
    assign_ids(change_data)
    new = Objective.model_validate(change_data)
    return plan.model_copy(update={"objectives": [new if o.number == number else o for o in plan.objectives]})


def test_the_same_plan_onto_itself_changes_nothing(copy_plan: Path) -> None:
    plan = load_plan(copy_plan).plan
    assert plan is not None

    onto = plan_onto(copy_plan, plan)

    assert onto.empty and onto.ok and onto.diff().empty


def test_one_edited_entry_rewrites_one_file_and_keeps_its_comments(copy_plan: Path) -> None:
    before = _snapshot(copy_plan)
    plan = load_plan(copy_plan).plan
    assert plan is not None

    def edit(data: dict) -> dict:
        data["results"][0]["text"] = "Improved mechanisms for PAEP, as reviewed"
        return data

    onto = plan_onto(copy_plan, _edited(plan, 5, edit))
    written = onto.write()

    assert [p.name for p in written] == ["05-public-awareness-education-participation.yaml"]
    after = _snapshot(copy_plan)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["objectives/05-public-awareness-education-participation.yaml"]
    new_text = after[changed[0]].decode("utf-8")
    old_comments = [line for line in before[changed[0]].decode("utf-8").splitlines() if line.lstrip().startswith("#")]
    assert old_comments and all(line in new_text.splitlines() for line in old_comments)
    assert "Improved mechanisms for PAEP, as reviewed" in new_text
    reloaded = load_plan(copy_plan).plan
    assert reloaded is not None and reloaded.objective(5).results[0].text.endswith("as reviewed")  # type: ignore[union-attr]


def test_a_new_entry_gets_the_next_id_and_a_removed_one_goes(copy_plan: Path) -> None:
    plan = load_plan(copy_plan).plan
    assert plan is not None

    def edit(data: dict) -> dict:
        data["activities"] = [*data["activities"][1:], {"text": "A new activity typed by a reviewer"}]
        return data

    onto = plan_onto(copy_plan, _edited(plan, 7, edit))
    change = onto.diff()

    assert onto.ok
    kinds = sorted((e.status, e.id) for o in change.objectives for e in o.entries)
    highest = max(int(a.id.split(".A")[1]) for a in plan.objective(7).activities)  # type: ignore[union-attr]
    assert ("added", f"7.A{highest + 1}") in kinds
    assert ("removed", plan.objective(7).activities[0].id) in kinds  # type: ignore[union-attr]


def test_an_edit_that_makes_the_plan_invalid_is_refused_and_nothing_is_written(copy_plan: Path) -> None:
    before = _snapshot(copy_plan)
    plan = load_plan(copy_plan).plan
    assert plan is not None

    def edit(data: dict) -> dict:
        data["strategic_plan_objective"] = "9.9"
        return data

    onto = plan_onto(copy_plan, _edited(plan, 2, edit))

    assert not onto.ok
    assert any(p.rule == "unknown-strategic-objective" for p in onto.problems)
    with pytest.raises(OntoError):
        onto.write()
    assert _snapshot(copy_plan) == before


def test_monitoring_observations_go_to_their_year_file(tmp_path: Path) -> None:
    target = tmp_path / "monitoring"
    shutil.copytree(EXAMPLE, target)
    loaded = load_plan(target)
    plan = loaded.plan
    assert plan is not None and plan.progress
    indicator, observations = next(iter(plan.progress.items()))
    dropped = {indicator: observations[:-1], **{k: v for k, v in plan.progress.items() if k != indicator}}
    edited = plan.model_copy(update={"progress": {k: v for k, v in dropped.items() if v}})

    onto = plan_onto(target, edited)

    assert onto.ok
    assert [p.parent.name for p in onto.files] == ["progress"]
    onto.write()
    assert load_plan(target).plan == edited

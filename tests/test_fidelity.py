"""The plan is a record: every content line of Annex I is in plan/, verbatim, and nothing else is."""

from __future__ import annotations

from collections import Counter

from annex import SHARED, SOURCE, content_units, normalise, objective_numbers
from lgcb.model import Plan


def _plan_texts(plan: Plan) -> list[str]:
    texts = [plan.info.title, plan.info.subtitle or ""]
    for objective in plan.objectives:
        texts += [objective.title, objective.aim]
        texts += [located.text for located in objective.walk()]
    return [normalise(t) for t in texts]


def test_every_content_line_of_annex_i_is_in_the_plan(plan: Plan) -> None:
    texts = Counter(_plan_texts(plan))
    missing = [unit for unit in content_units() if texts[unit] == 0]
    assert missing == []


def test_the_plan_holds_no_text_that_is_not_in_the_annex(plan: Plan) -> None:
    """Nothing paraphrased, merged or split: each text field is exactly one unit of the source."""
    units = Counter(content_units())
    texts = Counter(_plan_texts(plan))
    assert texts == units


def test_objective_numbers_and_result_numbers_follow_the_source(plan: Plan) -> None:
    assert [o.number for o in plan.objectives] == objective_numbers()
    numbers = {o.number: [r.number for r in o.items("results") if r.number] for o in plan.objectives}
    assert numbers[1] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert numbers[2] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    assert numbers[3] == ["3.1", "3.2", "3.3"]
    assert all(not numbers[n] for n in range(4, 9))


def test_typos_of_the_record_are_kept(plan: Plan) -> None:
    texts = " ".join(_plan_texts(plan))
    for typo in (
        "responsibities",
        "intermisterial",
        "Systems identification of LMOs for established",
        "on the use of the of best practice guide",
    ):
        assert typo in texts


def test_structure_is_kept_not_flattened(plan: Plan) -> None:
    guide = plan.objective(1).activities[0]
    assert guide.text == "Development of a best practice guide on:"
    assert [i.id for i in guide.items] == ["1.A1.1", "1.A1.2", "1.A1.3"]
    capacity = plan.objective(4).results[2]
    assert capacity.text == "Competent authorities have the institutional and human resource capacity for:"
    assert [i.text for i in capacity.items] == [
        "Measurement of adverse effect and determination of significance of the damage",
        "Establishment of causal links",
        "Identifying the operator",
        "Determining appropriate response",
    ]
    groups = [g.group for g in plan.objective(3).activities]
    assert groups == [
        "Related to establishment of the system",
        "Related to the checkpoints",
        "Related to identification and detection systems",
        "Related to other stakeholders",
    ]


def test_strategic_plan_alignment_follows_paragraph_10(plan: Plan) -> None:
    links = {o.number: o.strategic_plan_objective for o in plan.objectives}
    assert links == {1: "2.1", 2: "2.2", 3: "2.3", 4: "2.4", 5: "2.5", 6: "2.6", 7: "2.7", 8: "1.2"}
    assert [s.number for s in plan.info.strategic_plan.objectives] == [
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "2.7",
        "1.2",
    ]
    assert (plan.info.timeframe.start, plan.info.timeframe.end) == (2011, 2020)


def test_no_monitoring_values_are_invented(plan: Plan) -> None:
    for objective in plan.objectives:
        for indicator in objective.items("indicators"):
            assert indicator.baseline is None and indicator.targets == [] and indicator.unit is None


def test_the_repository_copy_of_the_source_is_the_original() -> None:
    if SHARED.exists():
        assert SOURCE.read_bytes() == SHARED.read_bytes()
    assert "results-oriented CAPACITY-BUILDING ACTION PLAN" in SOURCE.read_text(encoding="utf-8")

"""Validation of monitoring data: indicator baselines/targets and ``progress/<year>.yaml`` files.

Every problem is reported in one run at ``file:line:col`` with a message that says how to fix it.
The plans here are tmp copies of the shipped plan with fixture data; the shipped plan has none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgcb.checks.load import load_plan, validate_files
from lgcb.model import Observation, Plan

OBJECTIVE_3 = "objectives/03-handling-transport-packaging-identification.yaml"
I2 = "    text: Percentage of Parties that have established or have reliable access to detection laboratories\n"


@pytest.fixture
def monitored(copy_plan: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped plan whose 3.I2 is a percentage with a baseline and targets; paths print as plan/..."""
    monkeypatch.chdir(copy_plan.parent)
    add_to_indicator(
        copy_plan,
        I2,
        "    measure: percentage\n"
        "    baseline: {value: 35, year: 2011}\n"
        "    targets:\n"
        "      - {year: 2015, value: 60}\n"
        "      - {year: 2020, value: 75}\n",
    )
    return copy_plan


def add_to_indicator(plan: Path, after: str, fields: str) -> None:
    path = plan / OBJECTIVE_3
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + fields), encoding="utf-8")


def write_progress(plan: Path, name: str, text: str) -> None:
    folder = plan / "progress"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def problems(plan: Path) -> list[str]:
    return [str(p) for p in load_plan(plan).problems]


def test_the_shipped_plan_has_no_progress_and_equals_a_plan_built_without_it(plan: Plan) -> None:
    assert plan.progress == {}
    assert Plan(info=plan.info, objectives=plan.objectives) == plan
    assert plan.info.illustrative is False


def test_observations_load_from_every_file_oldest_first(monitored: Path) -> None:
    write_progress(monitored, "2015.yaml", '3.I2:\n  - period: "2014-2015"\n    value: 52\n    source: third reports\n')
    write_progress(monitored, "2013.yaml", "3.I2:\n  - period: 2013\n    value: 40.5\n    note: partial\n")
    result = load_plan(monitored)
    assert result.problems == []
    assert result.plan is not None
    assert result.plan.observations("3.I2") == [
        Observation(period="2013", value=40.5, note="partial"),
        Observation(period="2014-2015", value=52, source="third reports"),
    ]
    assert result.plan.observations("3.I1") == []
    assert [d.display for d in result.progress_documents] == ["plan/progress/2013.yaml", "plan/progress/2015.yaml"]


def test_observation_values_must_fit_the_measure(monitored: Path) -> None:
    add_to_indicator(
        monitored,
        "    text: Number of customs officers and laboratory personnel trained\n",
        "    measure: number\n",
    )
    add_to_indicator(
        monitored,
        "    text: National and regional laboratories certified with the capacity to detect LMOs\n",
        "    measure: qualitative\n",
    )
    write_progress(
        monitored,
        "2015.yaml",
        "3.I2:\n"
        "  - period: 2015\n"
        "    value: 120\n"
        "3.I1:\n"
        "  - period: 2014-2015\n"
        "    value: -3\n"
        "  - period: 2015\n"
        '    value: "45%"\n'
        "3.I3:\n"
        "  - period: 2015\n"
        "    value: 2\n",
    )
    assert problems(monitored) == [
        "plan/progress/2015.yaml:3:12: error: indicator 3.I2, observation 1: `value` is a percentage, which lies "
        "between 0 and 100, not 120 [measure-value]",
        "plan/progress/2015.yaml:6:12: error: indicator 3.I1, observation 1: `value` must not be negative for a "
        "number indicator, not -3 [measure-value]",
        "plan/progress/2015.yaml:8:12: error: indicator 3.I1, observation 2: `value` must be a number for a number "
        "indicator, not the text '45%'; write it as a plain number without quotes or %: 45 [measure-value]",
        "plan/progress/2015.yaml:11:12: error: indicator 3.I3, observation 1: `value` must be a text for a "
        'qualitative indicator, not the number 2; put it in quotes: "2" [measure-value]',
    ]


def test_the_indicator_must_exist(monitored: Path) -> None:
    write_progress(
        monitored,
        "2015.yaml",
        "3.I22:\n  - period: 2015\n    value: 1\n"
        "3.O1:\n  - period: 2015\n    value: 1\n"
        "3.G1:\n  - period: 2015\n    value: 1\n",
    )
    assert problems(monitored) == [
        "plan/progress/2015.yaml:1:1: error: 3.I22 is not an indicator of the plan; did you mean 3.I2? "
        "[unknown-indicator]",
        "plan/progress/2015.yaml:4:1: error: 3.O1 is an outcome, not an indicator: progress files record "
        "observations of indicators [unknown-indicator]",
        "plan/progress/2015.yaml:7:1: error: 3.G1 is a group heading, not an indicator: progress files record "
        "observations of indicators [unknown-indicator]",
    ]


def test_ids_of_an_unreadable_objective_file_are_not_called_unknown(monitored: Path) -> None:
    path = monitored / "objectives" / "04-liability-and-redress.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: 4", "number: four"), encoding="utf-8")
    write_progress(monitored, "2015.yaml", "4.I1:\n  - period: 2015\n    value: 3\n")
    assert [p.rule for p in load_plan(monitored).problems] == ["wrong-type"]


def test_periods_fit_the_file_and_the_timeframe_once_per_indicator(monitored: Path) -> None:
    write_progress(
        monitored,
        "2015.yaml",
        "3.I2:\n  - period: 2015\n    value: 50\n  - period: 2014\n    value: 45\n  - period: 2015\n    value: 51\n",
    )
    write_progress(monitored, "2021.yaml", "3.I2:\n  - period: 2021\n    value: 80\n")
    write_progress(monitored, "latest.yaml", "3.I1:\n  - period: 2016\n    value: 1\n")
    assert problems(monitored) == [
        "plan/progress/2015.yaml:4:13: error: indicator 3.I2, observation 2: the period 2014 ends in 2014, so it "
        "belongs in progress/2014.yaml (this file holds periods ending in 2015) [file-year]",
        "plan/progress/2015.yaml:6:13: error: indicator 3.I2, observation 3: the period 2015 is already recorded "
        "for 3.I2 at plan/progress/2015.yaml:2; keep one observation per indicator and period "
        "[duplicate-observation]",
        "plan/progress/2021.yaml:2:13: error: indicator 3.I2, observation 1: the period 2021 is outside the plan's "
        "timeframe (2011–2020) [outside-timeframe]",
        "plan/progress/latest.yaml:1:1: error: progress files are named after the year their periods end in, "
        "e.g. progress/2015.yaml; rename latest.yaml [file-name]",
    ]


def test_observations_are_checked_field_by_field(monitored: Path) -> None:
    write_progress(
        monitored,
        "2015.yaml",
        "3.I2:\n"
        "  - period: 15\n"
        "    value: yes\n"
        '  - period: "2016-2015"\n'
        "    value: 5\n"
        "    sorce: national reports\n"
        "  - value: 5\n"
        "3.I1: 12\n",
    )
    assert problems(monitored) == [
        "plan/progress/2015.yaml:2:13: error: indicator 3.I2, observation 1: `period` must be a year such as 2015 "
        "or a range of years such as \"2014-2015\", not '15' [invalid-value]",
        "plan/progress/2015.yaml:3:12: error: indicator 3.I2, observation 1: `value` must be a number or a text, "
        'but YAML reads this as a yes/no value; put a text in quotes, e.g. "yes" [invalid-value]',
        "plan/progress/2015.yaml:4:13: error: indicator 3.I2, observation 2: `period` the range '2016-2015' ends "
        'before it starts; write it as "2015-2016" [invalid-value]',
        "plan/progress/2015.yaml:6:5: error: indicator 3.I2, observation 2: unknown field `sorce`; did you mean "
        "`source`? [unknown-field]",
        "plan/progress/2015.yaml:7:5: error: indicator 3.I2, observation 3: the required field `period` is missing "
        "[missing-field]",
        "plan/progress/2015.yaml:8:7: error: indicator 3.I1: give a list of observations, each starting with "
        "'- period:' [wrong-type]",
    ]


def test_baseline_and_targets_fit_the_measure_the_timeframe_and_each_other(copy_plan: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(copy_plan.parent)
    add_to_indicator(
        copy_plan,
        I2,
        "    measure: percentage\n"
        "    baseline: {value: -1, year: 2010}\n"
        "    targets:\n"
        "      - {year: 2015, value: 101}\n"
        "      - {year: 2015, value: 50}\n"
        "      - {year: 2030, value: 90}\n",
    )
    add_to_indicator(
        copy_plan,
        "    text: Number of certified laboratories in operation\n",
        "    measure: number\n    baseline: {value: 3, year: 2016}\n    targets:\n      - {year: 2014, value: 9}\n",
    )
    assert problems(copy_plan) == [
        f"plan/{OBJECTIVE_3}:24:23: error: indicator 3.I2: the baseline `value` must not be negative for a "
        "percentage indicator, not -1 [measure-value]",
        f"plan/{OBJECTIVE_3}:24:33: error: indicator 3.I2: the baseline year 2010 is outside the plan's timeframe "
        "(2011–2020) [outside-timeframe]",
        f"plan/{OBJECTIVE_3}:26:29: error: indicator 3.I2: the target `value` for 2015 is a percentage, which lies "
        "between 0 and 100, not 101 [measure-value]",
        f"plan/{OBJECTIVE_3}:27:16: error: indicator 3.I2: there are two targets for 2015; keep one target per year "
        "[duplicate-target]",
        f"plan/{OBJECTIVE_3}:28:16: error: indicator 3.I2: the target year 2030 is outside the plan's timeframe "
        "(2011–2020) [outside-timeframe]",
        f"plan/{OBJECTIVE_3}:36:16: error: indicator 3.I4: the target year 2014 must come after the baseline year "
        "(2016) [target-year]",
    ]


def test_a_single_progress_file_can_be_checked_on_its_own(invoke, monitored: Path) -> None:  # type: ignore[no-untyped-def]
    write_progress(monitored, "2015.yaml", "3.I2:\n  - period: 2014\n    value: 1\n")
    path = monitored / "progress" / "2015.yaml"
    assert [str(p) for p in validate_files([path])] == [
        "plan/progress/2015.yaml:2:13: error: indicator 3.I2, observation 1: the period 2014 ends in 2014, so it "
        "belongs in progress/2014.yaml (this file holds periods ending in 2015) [file-year]"
    ]
    result = invoke("validate", str(path), plan=None)
    assert result.exit_code == 1


def test_lgcb_validate_reports_progress_problems_and_fails(invoke, monitored: Path) -> None:  # type: ignore[no-untyped-def]
    write_progress(monitored, "2015.yaml", "3.I2:\n  - period: 2015\n    value: 160\n")
    result = invoke("validate", plan=monitored)
    assert result.exit_code == 1
    assert "plan/progress/2015.yaml:3:12: error: indicator 3.I2, observation 1: `value` is a percentage" in (
        result.output
    )


def test_a_valid_plan_with_progress_validates(invoke, monitored: Path) -> None:  # type: ignore[no-untyped-def]
    write_progress(monitored, "2015.yaml", "3.I2:\n  - period: 2015\n    value: 52\n")
    result = invoke("validate", plan=monitored)
    assert result.exit_code == 0


def test_the_illustrative_flag_must_be_yes_or_no(copy_plan: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(copy_plan.parent)
    info = copy_plan / "plan.yaml"
    info.write_text(info.read_text(encoding="utf-8") + 'illustrative: "maybe"\n', encoding="utf-8")
    assert problems(copy_plan) == [
        "plan/plan.yaml:42:15: error: plan: `illustrative` must be true or false (without quotes), not 'maybe' "
        "[wrong-type]"
    ]


# --- the example data set --------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"


def test_the_example_data_set_validates_and_is_flagged_illustrative() -> None:
    result = load_plan(EXAMPLE)
    assert result.problems == []
    assert result.plan is not None
    assert result.plan.info.illustrative is True
    assert len(result.plan.progress) == 7


def test_every_example_file_says_it_is_illustrative() -> None:
    files = sorted(EXAMPLE.rglob("*.yaml"))
    assert len(files) == 1 + 8 + 4
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(
            "# ILLUSTRATIVE DATA — not recorded by the Liaison Group.\n"
        ), path


def test_the_example_keeps_the_shipped_plan_text(plan: Plan) -> None:
    """Only monitoring fields are added: without them the example is the shipped plan."""
    example = load_plan(EXAMPLE).plan
    assert example is not None
    monitoring = {"measure", "unit", "baseline", "targets", "means_of_verification"}

    def text_only(p: Plan) -> list[dict[str, object]]:
        def strip(node: object) -> object:
            if isinstance(node, dict):
                return {k: strip(v) for k, v in node.items() if k not in monitoring}
            if isinstance(node, list):
                return [strip(v) for v in node]
            return node

        return [strip(o.model_dump()) for o in p.objectives]  # type: ignore[misc]

    assert text_only(example) == text_only(plan)
    assert example.info.model_copy(update={"illustrative": False}) == plan.info

"""``lgcb coverage``: each rule on a small plan built to trip it, and the shipped plan's honest report."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lgcb.checks.coverage import CHECKS, CoverageReport, Tally, check_coverage, score
from lgcb.checks.load import load_plan
from lgcb.model import Plan
from lgcb.outputs.coverage import markdown as to_markdown
from lgcb.outputs.coverage import plain as to_text

COMPLETE = Path(__file__).resolve().parent / "fixtures" / "coverage" / "complete"
"""A fictitious two-objective plan that is complete, aligned, linked and monitorable."""

O1 = "objectives/01-frameworks.yaml"
O2 = "objectives/02-risk-assessment.yaml"

Edit = tuple[str, str, str]


def variant(tmp_path: Path, *edits: Edit) -> Path:
    """A copy of the complete plan with text edits ``(file, old, new)``; each ``old`` must be there once."""
    target = tmp_path / "plan"
    shutil.copytree(COMPLETE, target)
    for name, old, new in edits:
        path = target / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def coverage_of(plan_dir: Path) -> CoverageReport:
    result = load_plan(plan_dir)
    assert result.plan is not None, result.problems
    return check_coverage(result.plan, result)


def tallies(report: CoverageReport) -> dict[str, tuple[int, int]]:
    return {key: (t.passed, t.total) for key, t in report.overall.items()}


# --- The fixture plan and one rule at a time ----------------------------------------------------------


def test_the_complete_fixture_scores_100_with_no_findings(tmp_path: Path) -> None:
    report = coverage_of(variant(tmp_path))
    assert report.findings == []
    assert report.score == 100.0
    assert tallies(report) == {
        "alignment": (4, 4),  # 2 objectives linked to declared ones, 2 declared ones served
        "completeness": (12, 12),  # title, aim and the 4 columns, of 2 objectives
        "chain": (8, 8),  # per objective: 1 result, 1 outcome, 1 activity, 1 indicator
        "monitoring": (8, 8),  # baseline, targets, unit, means of verification of 2 indicators
        "measurable": (2, 2),
    }


SERVES_1 = (O1, "        serves: [1.R1]\n", "")
SERVES_2 = (O2, "    serves: [2.R1]\n", "")
MEASURES_1 = (O1, "    measures: [1.O1]\n", "")
MEASURES_2 = (O2, "    measures: [2.O1]\n", "")

CASES: dict[str, tuple[list[Edit], str, float]] = {
    # rule: (edits to the complete plan, the one finding as printed, the score)
    "strategic-objective-not-served": (
        [
            (
                "plan.yaml",
                "      title: Risk assessment\n",
                "      title: Risk assessment\n    - number: '2.3'\n      title: Handling\n",
            )
        ],
        "plan/plan.yaml:19:7: error: Strategic Plan objective 2.3 (Handling) is declared but no objective serves it: "
        "set `strategic_plan_objective: '2.3'` on the objective that does, or remove the declaration "
        "[strategic-objective-not-served]",
        96.0,  # alignment 4/5
    ),
    "missing-column": (
        [(O2, "outcomes:\n  - id: 2.O1\n    text: Risk assessments are done\n", ""), (O2, "[2.O1]", "[1.O1]")],
        "plan/objectives/02-risk-assessment.yaml:1:1: error: objective 2: the outcomes column has no outcome; every "
        "objective needs at least one outcome (add it under `outcomes:` with its ID and text) [missing-column]",
        98.3,  # completeness 11/12
    ),
    "empty-text": (
        [(O2, "text: Assessors trained", "text: '  '")],
        "plan/objectives/02-risk-assessment.yaml:20:11: error: result 2.R1: `text` is blank; write its text or "
        "remove the result [empty-text]",
        98.3,
    ),
    "empty-group": (
        [(O1, "activities:\n", "activities:\n  - id: 1.G2\n    group: Related to review\n")],
        "plan/objectives/01-frameworks.yaml:21:5: warning: group heading 1.G2: nothing is listed under it; add its "
        "items under `items:` or remove the heading [empty-group]",
        100.0,  # a heading is not an item: the column still has its activity
    ),
    "links-not-recorded": (
        [SERVES_1, SERVES_2, MEASURES_1, MEASURES_2],
        "plan: warning: the plan records no results chain yet: no activity lists the results it `serves` and no "
        "indicator the outcomes it `measures`, so every result, outcome, activity and indicator counts as unlinked; "
        "add the links as they are agreed (e.g. `serves: [1.R1]` on activity 1.A1, `measures: [1.O1]` on "
        "indicator 1.I1) [links-not-recorded]",
        80.0,  # chain 0/8
    ),
    "result-without-activity": (
        [(O1, "results:\n", "results:\n  - id: 1.R2\n    text: Frameworks adopted\n")],
        "plan/objectives/01-frameworks.yaml:18:5: warning: result 1.R2: no activity serves it; add `serves: [1.R2]` "
        "to the activity that serves it [result-without-activity]",
        97.8,  # chain 8/9
    ),
    "outcome-without-indicator": (
        [(O1, "outcomes:\n", "outcomes:\n  - id: 1.O2\n    text: Frameworks are used\n")],
        "plan/objectives/01-frameworks.yaml:6:5: warning: outcome 1.O2: no indicator measures it; add "
        "`measures: [1.O2]` to the indicator that measures it [outcome-without-indicator]",
        97.8,
    ),
    "activity-serves-nothing": (
        [(O2, "activities:\n", "activities:\n  - id: 2.A2\n    text: Reviewing assessments\n")],
        "plan/objectives/02-risk-assessment.yaml:22:5: warning: activity 2.A2: it lists no result under `serves`; "
        "say which results it serves [activity-serves-nothing]",
        97.8,
    ),
    "indicator-measures-nothing": (
        [
            (
                O2,
                "indicators:\n",
                "indicators:\n  - id: 2.I2\n    text: Number of assessments\n    unit: assessments\n"
                "    baseline: {value: 0, year: 2011}\n    targets: [{year: 2020, value: 100}]\n"
                "    means_of_verification: BCH\n",
            )
        ],
        "plan/objectives/02-risk-assessment.yaml:9:5: warning: indicator 2.I2: it lists no outcome under `measures`; "
        "say which outcomes it measures [indicator-measures-nothing]",
        97.8,
    ),
    "monitoring-incomplete": (
        [(O1, "    unit: Parties\n", ""), (O1, "    means_of_verification: National reports\n", "")],
        "plan/objectives/01-frameworks.yaml:9:5: warning: indicator 1.I1: no unit or means of verification "
        "recorded; add `unit`, `means_of_verification` from real data as they are agreed [monitoring-incomplete]",
        95.0,  # monitoring 6/8
    ),
    "indicator-not-countable": (
        [(O1, "text: Number of Parties with frameworks", "text: Parties with frameworks")],
        "plan/objectives/01-frameworks.yaml:9:5: warning: indicator 1.I1 is not countable as written: “Parties with "
        "frameworks”: its text names no quantity (it does not start with “Number of”, “Percentage of”, “Ratio of”, "
        "“Amount of” or the like); the text is the source's and stays as it is: record how it is counted in "
        "`measure` (number, percentage, ratio or amount) and `unit` [indicator-not-countable]",
        90.0,  # measurable 1/2
    ),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_rule_is_tripped_exactly_once_by_its_fixture(tmp_path: Path, rule: str) -> None:
    edits, expected, expected_score = CASES[rule]
    report = coverage_of(variant(tmp_path, *edits))
    assert report.rules() == [rule]
    assert str(report.findings[0]).replace(f"{tmp_path}/", "") == expected
    assert report.score == expected_score


def test_a_plan_recording_only_one_kind_of_link_is_told_once_about_the_other(tmp_path: Path) -> None:
    report = coverage_of(variant(tmp_path, SERVES_1, SERVES_2))
    assert [str(f) for f in report.findings] == [
        "plan: warning: no activity records `serves` yet, so no result is linked to an activity; add "
        "`serves: [...]` to the activities as the links are agreed [links-not-recorded]"
    ]
    assert report.overall["chain"] == Tally(4, 8)  # outcomes and indicators linked; results and activities not


def test_a_countable_measure_makes_an_indicator_measurable_without_rewording_it(tmp_path: Path) -> None:
    edit = (O1, "text: Number of Parties with frameworks", "text: Parties with frameworks\n    measure: number")
    assert coverage_of(variant(tmp_path, edit)).findings == []


def test_a_qualitative_indicator_is_not_countable_and_needs_no_unit(tmp_path: Path) -> None:
    edits = (
        (O1, "text: Number of Parties with frameworks", "text: Frameworks are effective\n    measure: qualitative"),
        (O1, "    unit: Parties\n", ""),
        (O1, "{value: 10, year: 2011", "{value: Frameworks drafted, year: 2011"),
        (O1, "{year: 2020, value: 40}", "{year: 2020, value: Frameworks in force}"),
    )
    report = coverage_of(variant(tmp_path, *edits))
    assert report.rules() == ["indicator-not-countable"]
    assert report.findings[0].message.endswith(
        "it is recorded as `measure: qualitative`, so progress on it cannot be counted; if it can be counted after "
        "all, record `measure` as number, percentage, ratio or amount"
    )
    assert report.overall["monitoring"] == Tally(7, 7)


# Rules that `lgcb validate` already enforces can only be met in a model built without validation
# (from another tool, say); coverage still reports them, placed at the objective.


def _fixture_plan() -> Plan:
    result = load_plan(COMPLETE)
    assert result.plan is not None
    return result.plan


def test_a_link_to_an_undeclared_strategic_plan_objective_is_an_error() -> None:
    plan = _fixture_plan()
    strategic = plan.info.strategic_plan
    narrowed = strategic.model_copy(update={"objectives": strategic.objectives[1:]})  # 2.1 no longer declared
    plan = plan.model_copy(update={"info": plan.info.model_copy(update={"strategic_plan": narrowed})})
    report = check_coverage(plan)
    assert [str(f) for f in report.findings] == [
        "objective 1: error: objective 1: it serves Strategic Plan objective 2.1, which plan.yaml does not declare "
        "(declared: 2.2); correct `strategic_plan_objective` or declare the objective under `strategic_plan` "
        "[unknown-strategic-objective]"
    ]
    assert report.objectives[0].checks["alignment"] == Tally(0, 1)


def test_a_link_to_an_id_that_is_not_a_result_counts_for_nothing() -> None:
    """Links that name no result are validate's `unknown-reference` (a plan with them does not load);
    on a plan built in memory the chain simply does not count them."""
    plan = _fixture_plan()
    objective = plan.objectives[1]
    activity = objective.activities[0].model_copy(update={"serves": ["2.R9", "2.O1"]})
    plan = plan.model_copy(
        update={"objectives": [plan.objectives[0], objective.model_copy(update={"activities": [activity]})]}
    )
    report = check_coverage(plan)
    assert "activity-serves-nothing" not in report.rules()
    assert report.overall["chain"].passed < report.overall["chain"].total


def test_the_score_is_the_plain_mean_of_the_checks_leaving_out_checks_with_nothing_to_check() -> None:
    assert score({"a": Tally(1, 2), "b": Tally(3, 3), "c": Tally(0, 0)}) == 75.0
    assert score({"a": Tally(1, 3), "b": Tally(0, 1)}) == 16.7
    assert score({"a": Tally(0, 0)}) is None


# --- The shipped plan ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(plan_dir: Path) -> CoverageReport:
    result = load_plan(plan_dir)
    assert result.plan is not None
    return check_coverage(result.plan, result)


def test_shipped_plan_is_aligned_and_complete_but_has_no_chain_and_no_monitoring_data(
    shipped: CoverageReport, plan: Plan
) -> None:
    items = sum(1 for located in plan.walk() if located.kind != "group")
    indicators = sum(1 for _ in plan.walk() if _.kind == "indicator")
    assert (items, indicators) == (165, 29)
    assert tallies(shipped) == {
        "alignment": (16, 16),  # 8 objectives linked to 8 declared Strategic Plan objectives, all served
        "completeness": (48, 48),  # every objective has its title, aim and four columns
        "chain": (0, 165),  # no links recorded
        "monitoring": (0, 116),  # no indicator has a baseline, target, unit or means of verification yet
        "measurable": (28, 29),
    }
    assert shipped.score == 59.3
    assert [(o.number, o.score) for o in shipped.objectives] == [(n, 55.0 if n == 3 else 60.0) for n in range(1, 9)]


def test_shipped_plan_findings_one_links_notice_then_every_indicator_then_3_i3(shipped: CoverageReport) -> None:
    assert shipped.errors == 0
    assert shipped.warnings == 31
    assert (
        shipped.rules()
        == ["links-not-recorded"]
        + ["monitoring-incomplete"] * 12
        + ["indicator-not-countable"]
        + ["monitoring-incomplete"] * 17
    )
    not_countable = [f.item for f in shipped.findings if f.rule == "indicator-not-countable"]
    assert not_countable == ["3.I3"]
    finding = next(f for f in shipped.findings if f.rule == "indicator-not-countable")
    assert (finding.path, finding.line, finding.col) == (
        "plan/objectives/03-handling-transport-packaging-identification.yaml",
        23,
        5,
    )
    assert "“National and regional laboratories certified with the capacity to detect LMOs”" in finding.message


# --- The command ----------------------------------------------------------------------------------


SHIPPED_TABLE = [
    ["Objective", "Alignment", "Completeness", "Results chain", "Monitoring", "Measurable", "Score"],
    ["1 National Biosafety Frameworks", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["2 Risk assessment and risk management", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["3 Handling, transport, packaging and identification", "100 %", "100 %", "0 %", "0 %", "75 %", "55 %"],
    ["4 Liability and Redress", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["5 Public awareness, education and participation", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["6 Information sharing", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["7 Biosafety education and training", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["8 Coordination and support", "100 %", "100 %", "0 %", "0 %", "100 %", "60 %"],
    ["Plan", "100 %", "100 %", "0 %", "0 %", "96.6 %", "59.3 %"],
]


def test_piped_output_is_the_table_then_one_finding_per_line(invoke: Callable[..., Result]) -> None:
    result = invoke("coverage")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [re.split(r"\s{2,}", line) for line in lines[:10]] == SHIPPED_TABLE
    assert lines[0].index("Alignment") == lines[9].index("100 %") - 4  # percentages are right-aligned
    assert lines[10] == ""
    assert lines[11].startswith("plan: warning: the plan records no results chain yet")
    assert lines[12] == (
        "plan/objectives/01-national-biosafety-frameworks.yaml:19:5: warning: indicator 1.I1: no baseline, target, "
        "unit or means of verification recorded; add `baseline`, `targets`, `unit`, `means_of_verification` from "
        "real data as they are agreed [monitoring-incomplete]"
    )
    assert lines[-1] == "Coverage score 59.3 % · 0 errors, 31 warnings"
    assert len(lines) == 10 + 1 + 31 + 1 + 1


@pytest.mark.parametrize(
    ("args", "exit_code", "stderr"),
    [
        ((), 0, ""),
        (("--strict",), 1, "Coverage check failed: 31 warnings (--strict).\n"),
        (("--fail-under", "59.3"), 0, ""),
        (("--fail-under", "59.4"), 1, "Coverage check failed: the score 59.3 % is under --fail-under 59.4.\n"),
        (("--objective", "6", "--strict"), 1, "Coverage check failed: 3 warnings (--strict).\n"),
        (("--objective", "6", "--fail-under", "60"), 0, ""),
    ],
)
def test_exit_codes_on_the_shipped_plan(
    invoke: Callable[..., Result], args: tuple[str, ...], exit_code: int, stderr: str
) -> None:
    result = invoke("coverage", *args)
    assert (result.exit_code, result.stderr) == (exit_code, stderr)


def test_errors_fail_the_check_even_without_strict(invoke: Callable[..., Result], tmp_path: Path) -> None:
    plan_dir = variant(tmp_path, *CASES["empty-text"][0])
    result = invoke("coverage", plan=plan_dir)
    assert result.exit_code == 1
    assert result.stderr == "Coverage check failed: 1 error.\n"


def test_bad_usage_exits_2(invoke: Callable[..., Result]) -> None:
    result = invoke("coverage", "--objective", "9")
    assert result.exit_code == 2
    assert "there is no objective 9 in the plan (objectives: 1, 2, 3, 4, 5, 6, 7, 8)" in result.stderr
    assert invoke("coverage", "--fail-under", "101").exit_code == 2


def test_an_invalid_plan_exits_1_with_its_problems(invoke: Callable[..., Result], tmp_path: Path) -> None:
    plan_dir = variant(tmp_path, (O1, "number: 1\n", "number: one\n"))
    result = invoke("coverage", plan=plan_dir)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "01-frameworks.yaml:1:9: error: objective one: `number` must be a whole number" in result.stderr
    assert "Run `lgcb validate` for details; the plan must be valid." in result.stderr


def test_json_has_stable_documented_keys(invoke: Callable[..., Result]) -> None:
    data = json.loads(invoke("coverage", "--format", "json").stdout)
    assert list(data) == ["version", "objective", "score", "errors", "warnings", "checks", "objectives", "findings"]
    assert (data["version"], data["objective"], data["score"], data["errors"], data["warnings"]) == (
        1,
        None,
        59.3,
        0,
        31,
    )
    assert list(data["checks"]) == list(CHECKS)
    assert data["checks"]["monitoring"] == {"percent": 0.0, "passed": 0, "total": 116}
    assert list(data["objectives"][0]) == ["number", "title", "strategic_plan_objective", "score", "checks"]
    assert data["objectives"][2]["strategic_plan_objective"] == {
        "number": "2.3",
        "title": "Handling, transport, packaging and identification",
    }
    assert data["objectives"][2]["checks"]["measurable"] == {"percent": 75.0, "passed": 3, "total": 4}
    assert data["findings"][0] == {
        "path": None,
        "line": None,
        "col": None,
        "where": None,
        "level": "warning",
        "rule": "links-not-recorded",
        "check": "chain",
        "objective": None,
        "item": None,
        "message": data["findings"][0]["message"],
        "fix": None,
    }
    assert {key: data["findings"][13][key] for key in ("rule", "objective", "item", "path", "line", "col")} == {
        "rule": "indicator-not-countable",
        "objective": 3,
        "item": "3.I3",
        "path": "plan/objectives/03-handling-transport-packaging-identification.yaml",
        "line": 23,
        "col": 5,
    }


def test_objective_filter_keeps_its_row_its_findings_and_the_plan_wide_notice(invoke: Callable[..., Result]) -> None:
    data = json.loads(invoke("coverage", "--objective", "3", "--format", "json").stdout)
    assert (data["objective"], data["score"], [o["number"] for o in data["objectives"]]) == (3, 55.0, [3])
    assert [(f["rule"], f["item"]) for f in data["findings"]] == [
        ("links-not-recorded", None),
        ("monitoring-incomplete", "3.I1"),
        ("monitoring-incomplete", "3.I2"),
        ("monitoring-incomplete", "3.I3"),
        ("monitoring-incomplete", "3.I4"),
        ("indicator-not-countable", "3.I3"),
    ]


def test_markdown_is_a_pull_request_comment(invoke: Callable[..., Result]) -> None:
    md = invoke("coverage", "--format", "md").stdout
    lines = md.splitlines()
    assert lines[:7] == [
        "<!-- lgcb coverage -->",
        "### Plan coverage: 59.3 %",
        "",
        "| Objective | Alignment | Completeness | Results chain | Monitoring | Measurable | Score |",
        "|:---|---:|---:|---:|---:|---:|---:|",
        "| 1 National Biosafety Frameworks | 100 % | 100 % | 0 % | 0 % | 100 % | 60 % |",
        "| 2 Risk assessment and risk management | 100 % | 100 % | 0 % | 0 % | 100 % | 60 % |",
    ]
    assert lines[13] == "| **Plan** | **100 %** | **100 %** | **0 %** | **0 %** | **96.6 %** | **59.3 %** |"
    assert lines[15] == "**0** errors, **31** warnings."
    assert lines[17] == "<details><summary>Findings (31)</summary>"
    assert lines[-1] == "</details>"
    assert (
        "- **warning** `indicator-not-countable` `plan/objectives/03-handling-transport-packaging-identification"
        ".yaml:23:5`: indicator 3.I3 is not countable as written" in md
    )


def test_markdown_escapes_table_cells(tmp_path: Path) -> None:
    plan_dir = variant(tmp_path, (O1, "title: Frameworks\n", "title: Frameworks | laws\n"))
    assert "| 1 Frameworks \\| laws | 100 % |" in str(to_markdown(coverage_of(plan_dir)))


def test_help_explains_the_score_and_gives_examples(invoke: Callable[..., Result]) -> None:
    text = " ".join(invoke("coverage", "--help").stdout.split())
    assert "The score is the plain mean of the five checks' percentages" in text
    assert "lgcb coverage --strict --fail-under 50" in text
    assert "coverage" in invoke("--help").stdout


def test_on_a_terminal_the_table_fits_80_columns_and_titles_are_cut_short(
    invoke: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lgcb.cli._common.is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    lines = [line.rstrip() for line in invoke("coverage").stdout.splitlines()]
    assert max(len(line) for line in lines) <= 80
    assert lines[:2] == [
        "                                         Results",
        "Objective       Alignment  Completeness    chain  Monitoring  Measurable   Score",
    ]
    assert lines[4] == "3 Handling, t…      100 %         100 %      0 %         0 %        75 %    55 %"
    assert lines[10] == "Plan                100 %         100 %      0 %         0 %      96.6 %  59.3 %"
    assert lines[-1] == "Coverage score 59.3 % · 0 errors, 31 warnings"


def test_the_documented_report_is_the_real_one(invoke: Callable[..., Result]) -> None:
    """docs/coverage.md shows the shipped plan's report: every line it shows must be a line lgcb prints."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "coverage.md").read_text(encoding="utf-8")
    block = docs.split("`lgcb coverage | cat`", 1)[1].split("```\n", 2)[1]
    shown = [line for line in block.splitlines() if line != "..."]
    printed = invoke("coverage").stdout.splitlines()
    assert len(shown) == 10 + 1 + 7 + 1 + 1
    assert [line for line in shown if line not in printed] == []


def test_a_check_with_nothing_to_check_shows_a_dash_and_is_left_out_of_the_score(tmp_path: Path) -> None:
    start = "indicators:\n  - id: 2.I1\n"
    text = (COMPLETE / O2).read_text(encoding="utf-8")
    indicators = text[text.index(start) : text.index("results:\n")]
    report = coverage_of(variant(tmp_path, (O2, indicators, "")))
    assert report.rules() == ["missing-column", "outcome-without-indicator"]
    row = next(r for r in str(to_text(report)).splitlines() if r.startswith("2 "))
    assert row.split() == ["2", "Risk", "assessment", "100", "%", "83.3", "%", "66.7", "%", "—", "—", "83.3", "%"]
    assert report.objectives[1].score == 83.3  # (100 + 5/6 + 2/3) / 3


def test_findings_are_located_from_positions_kept_while_loading(monkeypatch) -> None:
    """With ``positions``, the findings of the shipped plan (one on nearly every indicator) get the
    same ``file:line:col`` as by composing each file again, and no file is composed again."""
    import lgcb.planfile.read
    from lgcb.planfile.layout import shipped_plan

    first = load_plan(shipped_plan())
    assert first.plan is not None
    composed = check_coverage(first.plan, first).findings

    def fail(*args, **kwargs):
        raise AssertionError("a file was composed again")

    monkeypatch.setattr(lgcb.planfile.read.yaml, "compose", fail)
    loaded = load_plan(shipped_plan(), positions=True)
    assert loaded.plan is not None
    kept = check_coverage(loaded.plan, loaded).findings
    assert len(kept) > 20
    assert [(p.path, p.line, p.col) for p in kept] == [(p.path, p.line, p.col) for p in composed]
    assert all(p.line for p in kept if p.item)

"""The command line as a user meets it: exact output in a pipe, exit codes, help, bad usage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from lgcb import __version__
from lgcb.cli import COMMANDS


def test_version(invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"lgcb {__version__}\n"


def test_every_command_has_help_with_an_example(invoke) -> None:
    for name in COMMANDS:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
    top = invoke("--help").output
    assert all(name in top for name in COMMANDS)


def test_list(invoke) -> None:
    result = invoke("list")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "No.  Title                                              Strategic Plan                                                   Outcomes  Indicators  Results  Activities",
        "  1  National Biosafety Frameworks                      2.1 National Biosafety Framework development and implementation         2           2        5          12",
        "  2  Risk assessment and risk management                2.2 Risk assessment and risk management                                 3           6        7          10",
        "  3  Handling, transport, packaging and identification  2.3 Handling, transport, packaging and identification                   2           4        3          15",
        "  4  Liability and Redress                              2.4 Liability and Redress                                               1           2        9           7",
        "  5  Public awareness, education and participation      2.5 Public awareness, education and participation                       2           3        3           3",
        "  6  Information sharing                                2.6 Information sharing                                                 3           2        5          11",
        "  7  Biosafety education and training                   2.7 Biosafety education and training                                    3           2        7           9",
        "  8  Coordination and support                           1.2 Coordination and support                                            7           8        2           5",
    ]


def test_list_json(invoke) -> None:
    data = json.loads(invoke("list", "--format", "json").output)
    assert data[2] == {
        "number": 3,
        "title": "Handling, transport, packaging and identification",
        "strategic_plan_objective": "2.3",
        "counts": {"outcomes": 2, "indicators": 4, "results": 3, "activities": 15},
    }


def test_show_objective_lists_all_four_columns_with_groups_and_ids(invoke) -> None:
    result = invoke("show", "objective", "3")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Operational objective 3 — Handling, transport, packaging and identification",
        "To develop capacity for handling, transport, packaging and identification of living modified organisms",
        "Strategic Plan: 2.3 Handling, transport, packaging and identification",
        "",
    ]
    assert [line for line in lines if line and not line.startswith(" ")][3:] == [
        "Outcomes",
        "Indicators",
        "Results/Outputs",
        "Activities",
    ]
    assert "  3.R1     3.1 Systems identification of LMOs for established" in lines
    assert "  Related to the checkpoints  [3.G2]" in lines
    assert "      3.A9     Implementing the documentation requirements under article 18.2 of the Protocol" in lines
    assert invoke("show", "3").output == result.output


def test_show_item_by_id_case_insensitively_and_result_by_number(invoke) -> None:
    expected = (
        "4.R3 · result · Operational objective 4: Liability and Redress\n"
        "  4.R3     Competent authorities have the institutional and human resource capacity for:\n"
        "      4.R3.1   Measurement of adverse effect and determination of significance of the damage\n"
        "      4.R3.2   Establishment of causal links\n"
        "      4.R3.3   Identifying the operator\n"
        "      4.R3.4   Determining appropriate response\n"
    )
    assert invoke("show", "4.r3").output == expected
    assert invoke("show", "result", "4.R3").output == expected
    assert invoke("show", "result", "3.1").output.splitlines()[1] == (
        "  3.R1     3.1 Systems identification of LMOs for established"
    )


def test_show_nested_item_names_its_parent(invoke) -> None:
    assert invoke("show", "1.A4.2").output.splitlines()[:2] == [
        "1.A4.2 · activity · Operational objective 1: National Biosafety Frameworks",
        "under 1.A4",
    ]


def test_show_formats_for_scripts(invoke) -> None:
    data = json.loads(invoke("show", "1.A1", "--format", "json").output)
    assert data["objective"] == 1 and data["kind"] == "activity" and data["parent"] is None
    assert [i["id"] for i in data["items"]] == ["1.A1.1", "1.A1.2", "1.A1.3"]
    as_yaml = yaml.safe_load(invoke("show", "objective", "4", "--format", "yaml").output)
    assert as_yaml["results"][2]["items"][3] == {"id": "4.R3.4", "text": "Determining appropriate response"}


def test_show_unknown_things_is_bad_usage(invoke) -> None:
    result = invoke("show", "3.R9")
    assert result.exit_code == 2
    assert "there is no item 3.R9 in the plan; did you mean 3.R3?" in result.output
    result = invoke("show", "objective", "9")
    assert result.exit_code == 2
    assert "there is no objective 9 in the plan (objectives: 1, 2, 3, 4, 5, 6, 7, 8)" in result.output
    assert invoke("show", "outcome", "3.R1").exit_code == 2
    assert invoke("show").exit_code == 2


def test_search_ignores_case_and_accents_and_filters(invoke) -> None:
    result = invoke("search", "PROTOCOL’S")
    assert result.exit_code == 0
    assert result.stdout.startswith("3.O1     outcome   Customs/border officials")
    assert invoke("search", "protocól’s").stdout == result.stdout
    result = invoke("search", "risk", "assessment", "--kind", "indicator")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["2.I1", "2.I2", "2.I3"]
    result = invoke("search", "training", "--objective", "7", "--format", "json")
    data = json.loads(result.stdout)
    assert {d["objective"] for d in data} == {7}
    first = data[0]
    start, end = first["spans"][0]
    assert first["text"][start:end].lower() == "training"


def test_search_without_matches_says_so(invoke) -> None:
    result = invoke("search", "nothing-like-this")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No item matches 'nothing-like-this'." in result.stderr


def test_validate_shipped_plan(invoke) -> None:
    result = invoke("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Valid: 8 objectives, 169 entries.\n"


def test_validate_json_and_github(invoke, copy_plan: Path, monkeypatch) -> None:
    target = copy_plan / "objectives" / "02-risk-assessment-and-risk-management.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("number: 2", "number: two"), encoding="utf-8")
    monkeypatch.chdir(copy_plan.parent)
    result = invoke("validate", "--format", "json", plan=copy_plan)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"] == [
        {
            "path": "plan/objectives/02-risk-assessment-and-risk-management.yaml",
            "line": 7,
            "col": 9,
            "where": None,
            "level": "error",
            "rule": "wrong-type",
            "check": None,
            "objective": None,
            "item": None,
            "message": "objective two: `number` must be a whole number, not the text 'two'",
            "fix": None,
        }
    ]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunnerHelper.run(["--plan", str(copy_plan), "validate"])
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=plan/objectives/02-risk-assessment-and-risk-management.yaml,line=7,col=9,"
        "title=lgcb wrong-type::objective two: `number` must be a whole number, not the text 'two'\n"
    )


class CliRunnerHelper:
    @staticmethod
    def run(args: list[str]):
        from click.testing import CliRunner

        from lgcb.cli import cli

        return CliRunner().invoke(cli, args)


def test_validate_single_files(invoke, plan_dir: Path) -> None:
    files = sorted((plan_dir / "objectives").glob("*.yaml"))[:2]
    result = invoke("validate", *map(str, files))
    assert result.exit_code == 0
    assert result.stderr == "Valid: 2 files.\n"


def test_commands_other_than_validate_refuse_an_invalid_plan(invoke, copy_plan: Path) -> None:
    (copy_plan / "plan.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = invoke("list", plan=copy_plan)
    assert result.exit_code == 1
    assert "plan.yaml:2:1: error:" in result.stderr
    assert "Run `lgcb validate` for details" in result.stderr


def test_plan_option_that_is_not_a_directory_is_bad_usage(invoke, tmp_path: Path) -> None:
    result = invoke("list", plan=tmp_path / "missing")
    assert result.exit_code == 2
    assert "is not a directory" in result.output


def test_plan_discovery_prefers_option_then_environment_then_cwd(invoke, copy_plan: Path, monkeypatch) -> None:
    (copy_plan / "objectives" / "08-coordination-and-support.yaml").unlink()
    monkeypatch.chdir(copy_plan.parent)
    assert invoke("list", plan=None).output.count("\n") == 8  # ./plan: 7 objectives + header
    monkeypatch.setenv("LGCB_PLAN", str(Path(__file__).resolve().parent.parent / "plan"))
    assert invoke("list", plan=None).output.count("\n") == 9


def test_shipped_plan_is_used_from_any_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lgcb", "show", "objective", "3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": "", "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Operational objective 3 — Handling")


def test_search_treats_curly_and_straight_apostrophes_alike(invoke) -> None:
    """The annex writes "Protocol’s" with a curly apostrophe; people type a straight one."""
    result = invoke("search", "protocol's")
    assert result.exit_code == 0
    assert "3.O1" in result.stdout
    assert "Protocol’s" in result.stdout


def test_show_with_the_wrong_kind_says_what_the_entry_is(invoke) -> None:
    result = invoke("show", "outcome", "3.A1")
    assert result.exit_code == 2
    assert "3.A1 is an activity, not an outcome: `lgcb show 3.A1` shows it" in result.stderr
    assert "did you mean" not in result.stderr


def test_near_miss_ids_suggest_the_transposition_first(invoke) -> None:
    result = invoke("show", "3.1I")
    assert result.exit_code == 2
    assert "did you mean 3.I1?" in result.stderr

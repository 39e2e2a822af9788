"""The GitHub Actions example: a valid workflow that runs the checks the docs describe."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

WORKFLOW = Path(__file__).resolve().parent.parent / "examples" / "github-actions" / "lgcb.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_example_is_a_valid_github_workflow() -> None:
    """Checked against the workflow schema that check-jsonschema ships (SchemaStore's)."""
    schema_file = files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-workflows.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    data = workflow()
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true; GitHub reads it as "on"
    assert [e.message for e in Draft7Validator(schema).iter_errors(data)] == []


def test_the_example_validates_with_annotations_reports_coverage_and_posts_the_diff() -> None:
    steps = workflow()["jobs"]["plan"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "lgcb validate --format github" in runs
    assert "lgcb fmt --check --diff" in runs
    assert 'lgcb coverage --format md >> "$GITHUB_STEP_SUMMARY"' in runs
    assert 'lgcb diff "origin/$BASE_REF" --format md > plan-changes.md' in runs
    assert 'gh pr comment "$PR_NUMBER" --edit-last --create-if-none --body-file plan-changes.md' in runs
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "lgcb diff needs the base branch's history"
    assert workflow()["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_untrusted_values_reach_scripts_only_through_the_environment() -> None:
    """A branch name pasted into a script could run code: expressions stay out of `run:`."""
    for step in workflow()["jobs"]["plan"]["steps"]:
        assert not re.search(r"\$\{\{", step.get("run", "")), step["name"]

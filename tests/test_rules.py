"""The rule registry: every problem names a registered rule, and docs/rules.md is generated from it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lgcb.checks.problem import Problem
from lgcb.checks.rules import RULES, STAGES, markdown

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_current() -> None:
    """docs/rules.md (from the registry) and docs/cli.md (from --help): regenerate with
    `cog -r docs/cli.md docs/rules.md`."""
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "docs/cli.md", "docs/rules.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert markdown() in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_every_rule_in_the_broken_corpus_is_registered() -> None:
    named = {
        rule
        for expected in (ROOT / "tests" / "broken").glob("*/expected.txt")
        for rule in re.findall(r"\[([a-z-]+)\]", expected.read_text(encoding="utf-8"))
    }
    assert named and named <= set(RULES)


def test_every_rule_in_the_source_is_registered() -> None:
    """A rule name passed as a string anywhere in lgcb's source is one of the registry's."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "lgcb").rglob("*.py"))
    used = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    rule_like = {name for name in used if name in RULES or name.endswith(("-id", "-field", "-text", "-link"))}
    assert rule_like <= set(RULES)


def test_a_problem_with_an_unknown_rule_is_a_bug_caught_at_once() -> None:
    with pytest.raises(ValueError, match="not a rule"):
        Problem("plan.yaml", 1, 1, "message", "no-such-rule")


def test_each_rule_says_what_it_means_and_how_to_fix_it() -> None:
    for rule in RULES.values():
        assert rule.stage in STAGES
        assert rule.summary.endswith(".") and rule.fix.endswith(".")
        assert rule.level in ("error", "warning")
        assert rule.check is None or rule.stage in ("coverage", "plan")

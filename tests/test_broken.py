"""The broken-plan corpus: each case under tests/broken/ breaks the shipped plan in one way.

A case holds the files that replace the shipped plan's (``plan/...``), an optional ``REMOVE`` list,
a ``README`` saying what is wrong, and ``expected.txt``: the exact output of ``lgcb validate``.
Every case must exit 1 with problems located at ``file:line:col``, in bounded time, and never
with a traceback.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgcb.cli import cli

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def build_case(name: str, plan_dir: Path, into: Path) -> Path:
    """The shipped plan with the case's files laid over it, at ``into/plan``."""
    target = into / "plan"
    shutil.copytree(plan_dir, target)
    case = BROKEN / name
    remove = case / "REMOVE"
    if remove.exists():
        for rel in remove.read_text(encoding="utf-8").split():
            (target / rel).unlink()
    overlay = case / "plan"
    if overlay.exists():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


def validate_case(name: str, plan_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    build_case(name, plan_dir, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("LGCB_PLAN", raising=False)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


@pytest.mark.parametrize("name", CASES)
def test_broken_plan_is_reported_exactly(
    name: str, plan_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.perf_counter()
    code, out = validate_case(name, plan_dir, tmp_path, monkeypatch)
    elapsed = time.perf_counter() - started
    assert code == 1
    assert out == (BROKEN / name / "expected.txt").read_text(encoding="utf-8")
    assert elapsed < 5, f"{name} took {elapsed:.1f} s"


def test_every_case_says_what_it_breaks() -> None:
    for name in CASES:
        assert (BROKEN / name / "README").read_text(encoding="utf-8").strip(), name
        assert (BROKEN / name / "expected.txt").exists(), name


def _problems(plan: Path) -> list[dict]:
    import json

    result = CliRunner().invoke(cli, ["--plan", str(plan), "validate", "--format", "json"])
    return json.loads(result.stdout)["problems"]


@pytest.mark.parametrize("name", CASES)
def test_every_fix_lgcb_suggests_leads_to_a_file_that_passes(name: str, plan_dir: Path, tmp_path: Path) -> None:
    """Apply every mechanical fix (put a text in quotes, add the missing `- `, …) and validate again, as
    an editor following the advice would: what was fixed is gone and nothing new is wrong; a case whose
    every problem carries a fix ends valid."""
    from lgcb.checks.problem import Fix, apply_fixes

    target = build_case(name, plan_dir, tmp_path)
    first = _problems(target)
    all_fixable = all(p["fix"] for p in first)
    problems = first
    for _ in range(5):  # a YAML parser stops at its first syntax error: fixing it can reveal the next
        fixes: dict[str, list[Fix]] = {}
        for p in problems:
            if p["fix"]:
                fixes.setdefault(p["path"], []).append(Fix(**p["fix"]))
        if not fixes:
            break
        for path, file_fixes in fixes.items():
            file = tmp_path / path
            file.write_text(apply_fixes(file.read_text(encoding="utf-8"), file_fixes), encoding="utf-8")
        fixed = {(p["path"], p["line"], p["rule"]) for p in problems if p["fix"]}
        problems = _problems(target)
        assert not {(p["path"], p["line"], p["rule"]) for p in problems} & fixed
    if all_fixable:
        assert problems == [], problems
    else:
        unfixed_rules = {p["rule"] for p in first if not p["fix"]}
        assert {p["rule"] for p in problems} <= unfixed_rules | {p["rule"] for p in first}

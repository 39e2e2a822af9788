"""Shared fixtures: the real shipped plan is the main fixture; tools the tests drive for real.

A test that needs an outside program (Chromium, LibreOffice, Java) uses ``require_tool``: on a
developer's machine without it the test is skipped with the install command, but under CI
(``CI`` set) a missing tool fails the run, because .ci/run installs them all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from lgcb.checks.load import load_plan
from lgcb.cli import cli
from lgcb.model import Plan

# Under CI the property-based tests draw the same examples every run, so a red build always means a
# change broke something (and can be reproduced); on a developer's machine they keep exploring.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "plan"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def plan_dir() -> Path:
    return PLAN_DIR


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = load_plan(PLAN_DIR)
    assert result.plan is not None, result.problems
    return result.plan


@pytest.fixture
def copy_plan(tmp_path: Path) -> Path:
    """A writable copy of the shipped plan, for tests that edit it."""
    target = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, target)
    return target


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI in-process against the shipped plan unless ``--plan`` is given."""
    monkeypatch.delenv("LGCB_PLAN", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str, plan: Path | None = PLAN_DIR, **kwargs: object) -> Result:
        argv = (["--plan", str(plan)] if plan is not None else []) + list(args)
        return CliRunner().invoke(cli, argv, catch_exceptions=False, **kwargs)  # type: ignore[arg-type]

    return run


def require_tool(name: str, install: str) -> str:
    """The path of an outside program; skip locally without it, fail under CI."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is missing; .ci/run should have installed it ({install})")
    pytest.skip(f"{name} is not installed ({install})")

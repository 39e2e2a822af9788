"""The pre-commit hooks in .pre-commit-hooks.yaml, run as pre-commit runs them, on good and broken plans.

Each hook's ``entry`` is run as a subprocess in a temporary repository holding a plan, with the
file names pre-commit would pass (``pre-commit run --all-files``) when the hook takes them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lgcb.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
LOCAL = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def lgcb_command() -> list[str]:
    script = Path(sys.executable).parent / "lgcb"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lgcb"]


def run_hook(hook_id: str, repo: Path) -> subprocess.CompletedProcess[str]:
    hook = HOOKS[hook_id]
    argv = shlex.split(hook["entry"])
    assert argv[0] == "lgcb"
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    matching = [f for f in files if re.search(hook["files"], f)]
    env = {k: v for k, v in os.environ.items() if k not in ("LGCB_PLAN", "GITHUB_ACTIONS")}
    return subprocess.run(
        [*lgcb_command(), *argv[1:], *(matching if hook.get("pass_filenames", True) else [])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def available(hook_id: str) -> bool:
    """A hook whose command another branch provides is exercised once that command is in lgcb."""
    return shlex.split(HOOKS[hook_id]["entry"])[1] in COMMANDS


@pytest.fixture
def repo(tmp_path: Path, plan_dir: Path) -> Path:
    shutil.copytree(plan_dir, tmp_path / "plan")
    return tmp_path


def test_the_hooks_are_declared_for_plan_files() -> None:
    assert list(HOOKS) == ["lgcb-validate", "lgcb-coverage", "lgcb-fmt"]
    assert [HOOKS[h]["entry"] for h in HOOKS] == ["lgcb validate", "lgcb coverage", "lgcb fmt --check"]
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"^plan/.*\.ya?ml$"
        assert re.search(hook["files"], "plan/objectives/03-handling-transport-packaging-identification.yaml")
        assert not re.search(hook["files"], "docs/plan.yaml")
    assert (HOOKS["lgcb-validate"]["pass_filenames"], HOOKS["lgcb-coverage"]["pass_filenames"]) == (False, False)


def test_this_repository_runs_the_same_hooks_on_itself() -> None:
    (local,) = LOCAL["repos"]
    assert local["repo"] == "local"
    mine = {hook["id"]: hook for hook in local["hooks"]}
    for hook_id, hook in HOOKS.items():
        keys = ("entry", "files", "pass_filenames", "require_serial")
        assert {k: mine[hook_id].get(k) for k in keys} == {k: hook.get(k) for k in keys}


@pytest.mark.parametrize("hook_id", ["lgcb-validate", "lgcb-fmt"])
def test_a_good_plan_passes(hook_id: str, repo: Path) -> None:
    result = run_hook(hook_id, repo)
    assert result.returncode == 0, result.stderr
    expected = {"lgcb-validate": "Valid: 8 objectives, 169 entries.\n", "lgcb-fmt": "9 files already formatted.\n"}
    assert result.stderr == expected[hook_id]


def test_a_plan_with_a_yaml_error_is_stopped_by_every_hook(repo: Path) -> None:
    broken = repo / "plan" / "objectives" / "06-information-sharing.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("title: ", "title: [", 1),
        encoding="utf-8",
    )
    ran = [h for h in HOOKS if available(h)]
    assert {"lgcb-validate", "lgcb-fmt"} <= set(ran)
    for hook_id in ran:
        result = run_hook(hook_id, repo)
        assert result.returncode == 1, hook_id
        assert "plan/objectives/06-information-sharing.yaml:" in result.stdout + result.stderr, hook_id
        assert "Traceback" not in result.stderr


def test_a_valid_plan_with_a_needless_change_of_layout_is_stopped_by_the_fmt_hook(repo: Path) -> None:
    messy = repo / "plan" / "objectives" / "02-risk-assessment-and-risk-management.yaml"
    messy.write_text(messy.read_text(encoding="utf-8").replace("'2.2'", '"2.2"'), encoding="utf-8")
    result = run_hook("lgcb-fmt", repo)
    assert result.returncode == 1
    assert result.stdout == "would reformat plan/objectives/02-risk-assessment-and-risk-management.yaml\n"

"""Plan files from a pull request are hostile until checked: links, special files, huge and repetitive
files.  Each is refused or fully reported in bounded time and memory, never read without limit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
O3 = "objectives/03-handling-transport-packaging-identification.yaml"


def _validate(plan: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """lgcb validate in a process of its own, capped in time and (on Linux) memory."""
    prelude = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        if sys.platform == "linux"
        else ""
    )
    code = (
        prelude
        + "import sys; from lgcb.cli import main; sys.argv = ['lgcb', '--plan', sys.argv[1], 'validate']; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(plan)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", target)
    return target


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_plan_file_linked_to_dev_zero_is_refused_not_read(plan: Path) -> None:
    (plan / "plan.yaml").unlink()
    (plan / "plan.yaml").symlink_to("/dev/zero")
    result = _validate(plan)
    assert result.returncode == 1
    assert "plan/plan.yaml:1:1: error: the file is a link to /dev/zero, outside the plan directory" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_waiting_on_it(plan: Path) -> None:
    os.mkfifo(plan / "objectives" / "09-pipe.yaml")
    result = _validate(plan)
    assert result.returncode == 1
    assert (
        "objectives/09-pipe.yaml:1:1: error: the file is not a regular file (a device, pipe or socket); "
        "lgcb reads only regular files [unreadable]"
    ) in result.stdout


def test_a_link_to_a_file_outside_the_plan_is_refused_and_its_content_never_shown(plan: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("number: 9\ntitle: TOKEN-1234567\n", encoding="utf-8")
    (plan / "objectives" / "09-secret.yaml").symlink_to(secret)
    result = _validate(plan)
    assert result.returncode == 1
    assert "09-secret.yaml:1:1: error: the file is a link to" in result.stdout
    assert "[link-outside]" in result.stdout
    assert "TOKEN-1234567" not in result.stdout + result.stderr


def test_a_link_inside_the_plan_is_read(plan: Path) -> None:
    target = plan / O3
    moved = plan / "objectives" / "03-real.yaml.orig"
    target.rename(moved)
    target.symlink_to(moved.name)
    result = _validate(plan)
    assert "[link-outside]" not in result.stdout
    assert result.stdout.count("error:") == 1 and "03-real.yaml.orig:1:1: error: not a plan file" in result.stdout


def test_a_loop_of_links_is_reported(plan: Path) -> None:
    (plan / "objectives" / "09-a.yaml").symlink_to("09-b.yaml")
    (plan / "objectives" / "09-b.yaml").symlink_to("09-a.yaml")
    result = _validate(plan)
    assert result.returncode == 1
    assert "09-a.yaml:1:1: error: the file is a link that leads nowhere (a loop, or a missing target) [unreadable]" in (
        result.stdout
    )


def test_twenty_thousand_unknown_fields_are_reported_up_to_a_cap_quickly(plan: Path) -> None:
    """Locating problems is linear: a 0.4 MB file of unknown keys is reported in seconds, not minutes."""
    path = plan / O3
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(f"unknown_field_{i}: x\n" for i in range(20_000)), encoding="utf-8")
    result = _validate(plan, timeout=30)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 201
    assert "error: and 19800 more problems in this file, not listed" in result.stdout
    assert lines[1].endswith("unknown field `unknown_field_0`; did you mean `number`? [unknown-field]") or (
        "unknown field `unknown_field_0`" in result.stdout
    )


def test_twenty_thousand_unknown_indicators_in_a_progress_file_are_reported_quickly(plan: Path) -> None:
    (plan / "progress").mkdir()
    (plan / "progress" / "2015.yaml").write_text(
        "".join(f"9.I{i}:\n  - period: 2015\n    value: 1\n" for i in range(20_000)), encoding="utf-8"
    )
    result = _validate(plan, timeout=30)
    assert result.returncode == 1
    assert "progress/2015.yaml" in result.stdout
    assert "more problems in this file, not listed" in result.stdout


def test_progress_files_match_indicator_ids_ignoring_case(plan: Path) -> None:
    (plan / "progress").mkdir()
    (plan / "progress" / "2015.yaml").write_text("3.i1:\n  - period: 2015\n    value: 12\n", encoding="utf-8")
    result = _validate(plan)
    assert result.returncode == 0, result.stdout

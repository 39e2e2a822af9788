"""Which plan a command uses: --plan, then $LGCB_PLAN, then the nearest plan directory from the working
directory up (as git finds .git), then the shipped plan — which is said on stderr and never written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lgcb.planfile.layout import find_plan, shipped_plan

ROOT = Path(__file__).resolve().parent.parent
Invoke = Callable[..., Result]


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a plan whose objective 3 is broken."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "plan", root / "plan")
    broken = root / "plan" / "objectives" / "03-handling-transport-packaging-identification.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("number: 3\n", "number: three\n"), encoding="utf-8")
    monkeypatch.delenv("LGCB_PLAN", raising=False)
    return root


@pytest.mark.parametrize("where", [".", "plan", "plan/objectives", "docs/deep/er"])
def test_the_nearest_plan_is_found_from_any_folder_of_a_repository(
    invoke: Invoke, repository: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    folder = repository / where
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)

    result = invoke("validate", plan=None)

    assert result.exit_code == 1, "the broken plan of the repository is checked, not the shipped one"
    assert "03-handling-transport-packaging-identification.yaml" in result.output
    assert "shipped" not in result.stderr
    assert find_plan().path.resolve() == (repository / "plan").resolve()


def test_outside_any_repository_the_shipped_plan_is_used_and_said(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LGCB_PLAN", raising=False)

    result = invoke("show", "3.R1", plan=None)

    assert result.exit_code == 0
    assert result.stdout.startswith("3.R1 · result")
    assert result.stderr == (
        "lgcb: no plan/ directory here or above; using the plan shipped with lgcb "
        "(read-only; --plan DIR or $LGCB_PLAN chooses another)\n"
    )
    assert find_plan().path == shipped_plan()


def test_fmt_never_writes_inside_the_installed_package(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LGCB_PLAN", raising=False)
    before = {p: p.read_bytes() for p in shipped_plan().rglob("*.yaml")}

    result = invoke("fmt", plan=None)

    assert result.exit_code == 2
    assert "the plan shipped with lgcb is read-only" in result.stderr
    assert {p: p.read_bytes() for p in shipped_plan().rglob("*.yaml")} == before


def test_no_writer_writes_into_the_package_even_when_pointed_there(invoke: Invoke, tmp_path: Path) -> None:
    from lgcb.fileio import FileError, package_dir, write_atomic

    with pytest.raises(FileError, match="shipped inside lgcb, which lgcb never changes"):
        write_atomic(package_dir() / "plan.yaml", b"x")
    assert not (package_dir() / "plan.yaml").exists()


def test_an_error_about_the_environment_variable_names_it(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LGCB_PLAN", str(tmp_path / "nowhere"))

    result = invoke("list", plan=None)

    assert result.exit_code == 2
    assert f"$LGCB_PLAN: {tmp_path / 'nowhere'} is not a directory" in result.stderr
    assert "--plan" not in result.stderr.split("Error:")[1]


def test_the_option_wins_over_the_environment_and_the_working_directory(
    invoke: Invoke, repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository)
    monkeypatch.setenv("LGCB_PLAN", str(repository / "plan"))
    assert invoke("validate", plan=ROOT / "plan").exit_code == 0
    assert invoke("validate", plan=None).exit_code == 1

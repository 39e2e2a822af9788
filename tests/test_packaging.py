"""The plan and the templates ship inside the wheel, so `pip install .` works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_plan_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("lgcb-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    plan_files = {n for n in names if n.startswith("lgcb/data/plan/")}
    shipped = {f"lgcb/data/plan/{p.relative_to(ROOT / 'plan').as_posix()}" for p in (ROOT / "plan").rglob("*.yaml")}
    assert shipped <= plan_files
    assert "lgcb/data/plan/plan.yaml" in names
    assert len([n for n in plan_files if n.startswith("lgcb/data/plan/objectives/")]) == 8
    assert any(n.startswith("lgcb/data/templates/") for n in names)
    assert "lgcb/cli/__init__.py" in names

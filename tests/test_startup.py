"""What a command imports is its start-up time: these tests keep the measured floors (docs/performance.md).

Each runs lgcb in a fresh interpreter, as a user's shell does, and lists the modules it loaded.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lgcb.cli import cli

PLAN_DIR = Path(__file__).resolve().parent.parent / "plan"

_RUN = """
import sys
from lgcb.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, check=True)
    return set(done.stderr.splitlines()[-1].split())


def test_help_imports_click_and_nothing_heavy() -> None:
    loaded = _modules("--help")

    assert "click" in loaded
    assert not loaded & {"yaml", "pydantic", "rich", "jinja2", "docx", "ruamel", "json", "lgcb.model"}


def test_validating_a_valid_plan_imports_only_yaml_pydantic_and_click() -> None:
    loaded = _modules("--plan", str(PLAN_DIR), "validate")

    assert {"yaml", "pydantic", "click", "lgcb.model"} <= loaded
    assert not loaded & {"rich", "jinja2", "docx", "ruamel", "json", "difflib"}


def test_inside_another_program_the_garbage_collector_is_left_alone() -> None:
    frozen = gc.get_freeze_count()

    result = CliRunner().invoke(cli, ["--plan", str(PLAN_DIR), "validate"])

    assert result.exit_code == 0
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()

"""What a command imports is its start-up time: these tests keep the measured floors (docs/performance.md).

Each runs lgcb in a fresh interpreter, as a user's shell does, and lists the modules it loaded.
"""

from __future__ import annotations

import gc
import os
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


def _fake_pydantic_plugin(root: Path) -> Path:
    """An installed package declaring a pydantic plugin that leaves a mark when it is loaded."""
    marker = root / "plugin-loaded"
    dist = root / "fakeplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nfake = fakeplugin:plugin\n", encoding="utf-8")
    (root / "fakeplugin.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('seen', encoding='utf-8')\n"
        "class _Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = _Plugin()\n",
        encoding="utf-8",
    )
    return marker


def _validate_with(root: Path, **env: str) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environ |= {"PYTHONPATH": str(root), **env}
    subprocess.run(
        [sys.executable, "-c", _RUN, "--plan", str(PLAN_DIR), "validate"], env=environ, capture_output=True, check=True
    )


def test_pydantic_plugins_installed_beside_lgcb_do_not_see_the_plan(tmp_path: Path) -> None:
    marker = _fake_pydantic_plugin(tmp_path)

    _validate_with(tmp_path)

    assert not marker.exists()


def test_pydantic_plugins_load_when_the_user_asks_for_them(tmp_path: Path) -> None:
    marker = _fake_pydantic_plugin(tmp_path)

    _validate_with(tmp_path, PYDANTIC_DISABLE_PLUGINS="")

    assert marker.read_text(encoding="utf-8") == "seen"


def test_in_its_own_process_the_collector_stops_once_the_plan_is_loaded() -> None:
    """What a command makes after the load holds no cycles; the collector's passes would only cost
    time, more the larger the plan (lgcb.memory.freeze_for_the_process)."""
    code = (
        "import gc, sys\nfrom lgcb.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    before = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True, check=True)
    after = subprocess.run(
        [sys.executable, "-c", code, "--plan", str(PLAN_DIR), "list"], capture_output=True, text=True, check=True
    )

    assert before.stdout.splitlines()[-1] == "True False"
    assert after.stdout.splitlines()[-1] == "False True"


def test_a_pause_that_ends_after_the_process_stopped_the_collector_leaves_it_stopped() -> None:
    """``import REVIEWED.docx --onto`` loads its plan (and stops the collector) inside a pause."""
    code = (
        "import gc\nfrom lgcb.memory import collector_paused, freeze_for_the_process\n"
        "with collector_paused():\n    pass\nprint(gc.isenabled())\n"
        "with collector_paused():\n    freeze_for_the_process()\nprint(gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.split() == ["True", "False"]

"""Helpers shared by the render tests: text out of HTML, and plans with edited text."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annex import normalise
from lgcb.checks.load import load_plan
from lgcb.model import Plan

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".ci" / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
OBJECTIVE_3 = "objectives/03-handling-transport-packaging-identification.yaml"
RESULT_3_1 = "Systems identification of LMOs for established"

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "dt", "dd", "caption", "ul", "ol", "title", "tr", "table", "div"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in {"style", "script"}
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in {"style", "script"}
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The page's text as a reader gets it (styles and scripts left out), whitespace-normalised."""
    parser = _Text()
    parser.feed(html)
    return normalise("".join(parser.parts))


def plan_with_result_text(plan_dir: Path, text: str) -> Plan:
    """The shipped plan copied at ``plan_dir`` with result 3.1's text replaced by ``text``."""
    path = plan_dir / OBJECTIVE_3
    source = path.read_text(encoding="utf-8")
    assert RESULT_3_1 in source
    quoted = "'" + text.replace("'", "''") + "'"
    path.write_text(source.replace(RESULT_3_1, quoted, 1), encoding="utf-8")
    result = load_plan(plan_dir)
    assert result.plan is not None, result.problems
    return result.plan


def plan_with_monitoring(plan_dir: Path) -> Plan:
    """The shipped plan copied at ``plan_dir``, with our own fields filled in on 3.I1 and 3.A10."""
    path = plan_dir / OBJECTIVE_3
    source = path.read_text(encoding="utf-8")
    indicator = "    text: Number of customs officers and laboratory personnel trained\n"
    activity = "        text: Developing forms, manuals and checklists\n"
    assert indicator in source and activity in source
    source = source.replace(
        indicator,
        indicator
        + "    measures: [3.O1]\n    measure: number\n    unit: people trained\n"
        + "    baseline: {value: 120, year: 2012, source: National reports}\n"
        + "    targets: [{year: 2015, value: 300}, {year: 2020, value: 600}]\n"
        + "    means_of_verification: Third national reports\n",
    )
    source = source.replace(activity, activity + "        serves: [3.R1, 3.R2]\n        note: Drafted with 3.A9\n")
    path.write_text(source, encoding="utf-8")
    result = load_plan(plan_dir)
    assert result.plan is not None, result.problems
    return result.plan


def require_file(path: Path, install: str) -> Path:
    """Like ``require_tool`` for a file fetched by .ci/run: skip locally without it, fail under CI."""
    if path.is_file():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing; .ci/run should have fetched it ({install})")
    pytest.skip(f"{path.name} is not installed ({install})")


def nu_check(*pages: Path) -> tuple[int, str, str]:
    """The W3C Nu HTML checker over ``pages``: (exit status, stdout, stderr); (0, "", "") when clean."""
    import subprocess

    from conftest import require_tool

    java = require_tool("java", "apt-get install default-jre-headless")
    jar = require_file(VNU_JAR, "npm install --prefix .ci/tools vnu-jar@26")
    done = subprocess.run(
        # C1-only JIT starts the checker about twice as fast; it then needs a larger thread stack.
        [java, "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(jar), "--errors-only", "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return done.returncode, done.stdout, done.stderr

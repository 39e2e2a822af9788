"""The README's examples are true: every ``$ lgcb …`` line in a console block is run, and what the
README shows under it is what lgcb prints (stdout and stderr, as a terminal shows them, in a pipe).

In the README's output a line ``…`` stands for any number of lines left out, and ``…`` inside a line
for the rest of that line (or a part of it).  A block is run in a scratch directory holding a copy of
the shipped ``plan/`` and the repository's ``examples/``, the commands of one block in turn; the
comment ``<!-- checked by tests/test_readme.py after: … -->`` before a block names the edit made first.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgcb.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    line: int
    setup: str
    steps: list[Step]


def blocks() -> list[Block]:
    found: list[Block] = []
    lines = README.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            indent = len(lines[i]) - len(lines[i].lstrip())
            before = lines[i - 1].strip() if i else ""
            setup = re.match(r"<!-- checked by tests/test_readme.py after: (.*) -->", before)
            steps: list[Step] = []
            i += 1
            while lines[i].strip() != "```":
                text = lines[i][indent:]
                if text.startswith("$ "):
                    steps.append(Step(text[2:]))
                elif steps:
                    steps[-1].expected.append(text.rstrip())
                i += 1
            found.append(Block(i, setup.group(1) if setup else "", steps))
        i += 1
    return found


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = line.split("…")
            pieces = [p.rstrip() if i < len(pieces) - 1 else p for i, p in enumerate(pieces)]
            pieces = [p.lstrip() if i > 0 else p for i, p in enumerate(pieces)]
            parts.append(".*?".join(re.escape(piece) for piece in pieces) + r"\n")
    return re.compile("".join(parts))


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _edit_in_git(root: Path) -> None:
    for name, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }.items():
        pytest.MonkeyPatch().setenv(name, value)
    _git("init", "-q", "-b", "main", cwd=root)
    _git("add", "plan", cwd=root)
    _git("commit", "-q", "-m", "The plan as adopted", cwd=root)
    path = root / "plan" / "objectives" / "03-handling-transport-packaging-identification.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Systems identification of LMOs for established", "Systems for identification of LMOs established"
    )
    anchor = "      - id: 3.A15\n"
    start = text.index(anchor)
    end = text.index("\n", text.index("text:", start)) + 1
    text = text[:end] + "      - id: 3.A16\n        text: Reviewing the system\n" + text[end:]
    path.write_text(text, encoding="utf-8")


def _break_plan(root: Path) -> None:
    objectives = root / "plan" / "objectives"
    o3 = objectives / "03-handling-transport-packaging-identification.yaml"
    o3.write_text(
        o3.read_text(encoding="utf-8").replace("strategic_plan_objective: '2.3'", "strategic_plan_objective: 2.3"),
        encoding="utf-8",
    )
    o5 = objectives / "05-public-awareness-education-participation.yaml"
    text = o5.read_text(encoding="utf-8").replace("\nindicators:", "\nindicator:", 1)
    first = text.index("text:", text.index("\nresults:"))
    end = text.index("\n", first)
    o5.write_text(text[:first] + "text: yes" + text[end:], encoding="utf-8")
    info = root / "plan" / "plan.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("start: 2011", "start: 2021"), encoding="utf-8")


def _import_national(root: Path) -> None:
    CliRunner().invoke(cli, ["import", "examples/import/national-plan.docx", "-o", "national"], catch_exceptions=False)
    assert (root / "national" / "plan.yaml").is_file()


def _copy_monitoring(root: Path) -> None:
    shutil.copytree(ROOT / "examples" / "monitoring", root / "monitoring")


def _filled_form(percentage: int) -> Callable[[Path], None]:
    """The monitoring example's form for 2019, objective 3, filled in as the README's step 2 says."""

    def setup(root: Path) -> None:
        import openpyxl

        _copy_monitoring(root)
        made = CliRunner().invoke(
            cli, ["--plan", "monitoring", "progress", "form", "--year", "2019", "--objective", "3"]
        )
        assert made.exit_code == 0, made.output
        path = root / "form-2019-objective-3.xlsx"
        book = openpyxl.load_workbook(path)
        rows = {row[0].value: row for row in book["Form"].iter_rows(min_row=2)}
        for ident, value, source in (
            ("3.I1", 1450, "training records"),
            ("3.I2", percentage, "fourth national reports"),
            ("3.I3", "certification schemes in three regions", None),
        ):
            rows[ident][8].value, rows[ident][9].value = value, source
        book.save(path)

    return setup


def _recorded_form(root: Path) -> None:
    _filled_form(62)(root)
    done = CliRunner().invoke(cli, ["--plan", "monitoring", "progress", "record", "form-2019-objective-3.xlsx"])
    assert done.exit_code == 0, done.output


def _edit_a_copy(root: Path) -> None:
    from review_support import edit_plan

    edit_plan(root / "my-edit")


def _review_in_word(root: Path) -> None:
    from review_support import reviewed_report

    reviewed_report(root)


SETUPS: dict[str, Callable[[Path], None]] = {
    "edit a copy of the plan as my-edit": _edit_a_copy,
    "a reviewer edits the Word report": _review_in_word,
    "the import in step 2": _import_national,
    "edit 3.R1 and add 3.A16 in a git working copy": _edit_in_git,
    "break the plan as the output shows": _break_plan,
    "copy examples/monitoring to ./monitoring": _copy_monitoring,
    "fill in the form of step 1, typing 150 for 3.I2": _filled_form(150),
    "fill in the form of step 1, typing 62 for 3.I2": _filled_form(62),
    "record the form of step 3": _recorded_form,
}

BLOCKS = blocks()


def test_the_readme_has_examples_to_check() -> None:
    assert len(BLOCKS) >= 10
    assert {b.setup for b in BLOCKS} - {""} == set(SETUPS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line-{b.line}" for b in BLOCKS])
def test_a_readme_example_prints_what_the_readme_shows(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "plan", tmp_path / "plan")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    for name in ("LGCB_PLAN", "GITHUB_ACTIONS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    if block.setup:
        if block.setup.startswith("edit") and shutil.which("git") is None:
            pytest.fail("git is needed for this example")
        SETUPS[block.setup](tmp_path)
    for step in block.steps:
        words = shlex.split(step.command, comments=True)
        assert words[0] == "lgcb"
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        else:
            target = None
        result = CliRunner().invoke(cli, words[1:], prog_name="lgcb", catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        if target:
            Path(target).write_bytes(result.stdout_bytes)
        if step.expected:
            assert _pattern(step.expected).fullmatch(result.output), (
                f"README line {block.line}: `{step.command}` printed:\n{result.output}"
            )

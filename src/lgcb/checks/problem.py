"""A problem found in a plan or in a file read into one: the one type every check reports.

Problems are values: every stage collects them instead of raising, so one run reports every
problem in every file (yamllint's ``LintProblem`` is the model).  A problem is placed as precisely
as its input allows: ``file:line:col`` in a YAML file, ``file: paragraph 12`` or ``file: sheet
'Entries' cell E12`` in an Office file, ``objective 3`` for a plan built in memory.  Its rule is
one of :data:`lgcb.checks.rules.RULES`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Fix:
    """The change that mends a problem: replace the text from (line, col) up to (end_line, end_col).

    Lines and columns count from 1, the end is exclusive.  Only advice that is sure to lead to a
    file that passes carries a fix (a test applies every fix of the broken-plan corpus and checks).
    """

    line: int
    col: int
    end_line: int
    end_col: int
    replacement: str


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """``text`` with every fix applied (fixes must not overlap)."""
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n":
            starts.append(i + 1)

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    for fix in sorted(fixes, key=lambda f: (f.line, f.col), reverse=True):
        text = text[: offset(fix.line, fix.col)] + fix.replacement + text[offset(fix.end_line, fix.end_col) :]
    return text


@functools.cache
def _rules() -> Mapping[str, object]:
    from lgcb.checks.rules import RULES  # imported on first use: the registry imports this module

    return RULES


@dataclass(frozen=True)
class Problem:
    """One problem: where, what, which rule, how serious; line and column count from 1."""

    path: str
    line: int | None
    col: int | None
    message: str
    rule: str
    level: Level = "error"
    where: str = ""
    """The place inside a file without lines ("paragraph 12", "sheet 'Entries' cell E12")."""
    objective: int | None = None
    item: str | None = None
    """The ID of the entry concerned, where there is one."""
    check: str | None = None
    """The coverage check the problem counts against (``lgcb coverage``), else ``None``."""
    fix: Fix | None = field(default=None, compare=False)
    """A change that mends it, where the advice is mechanical (put a text in quotes, add a ``- ``)."""

    def __post_init__(self) -> None:
        if self.rule not in _rules():
            raise ValueError(f"{self.rule!r} is not a rule of lgcb.checks.rules.RULES")

    def location(self) -> str:
        """``file:line:col``, ``file: where``, else the objective, else ``plan``."""
        if self.path and self.line is not None:
            return f"{self.path}:{self.line}:{self.col or 1}"
        if self.path:
            return f"{self.path}: {self.where}" if self.where else self.path
        if self.where:
            return self.where
        return f"objective {self.objective}" if self.objective is not None else "plan"

    def __str__(self) -> str:
        return f"{self.location()}: {self.level}: {self.message} [{self.rule}]"

    def sort_key(self) -> tuple[str, bool, int, int, str, str, str]:
        """File by file, in file order; the line counting a file's problems beyond those listed last."""
        last = self.rule == "too-many-problems"
        return (self.path, last, self.line or 0, self.col or 0, self.where, self.message, self.rule)

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    def as_dict(self) -> dict[str, Any]:
        """The problem for JSON output; the keys are documented in docs/rules.md."""
        return {
            "path": self.path or None,
            "line": self.line,
            "col": self.col,
            "where": self.where or None,
            "level": self.level,
            "rule": self.rule,
            "check": self.check,
            "objective": self.objective,
            "item": self.item,
            "message": self.message,
            "fix": None
            if self.fix is None
            else {
                "line": self.fix.line,
                "col": self.fix.col,
                "end_line": self.fix.end_line,
                "end_col": self.fix.end_col,
                "replacement": self.fix.replacement,
            },
        }


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == "error" for p in problems)


def summary(problems: list[Problem]) -> str:
    """``Found 2 errors and 1 warning in 2 files.``"""
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    parts = [f"{errors} error{'s' * (errors != 1)}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"Found {' and '.join(parts)} in {files} file{'s' * (files != 1)}."

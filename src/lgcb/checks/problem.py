"""A problem found in a plan, located at a YAML node, and the reporters that print them.

Problems are values: every stage collects them instead of raising, so one run reports every
problem in every file (yamllint's ``LintProblem`` is the model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """``path:line:col: message``; line and column count from 1."""

    path: str
    line: int
    col: int
    message: str
    rule: str
    level: Level = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} [{self.rule}]"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == "error" for p in problems)


def summary(problems: list[Problem]) -> str:
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    parts = [f"{errors} error{'s' * (errors != 1)}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"Found {' and '.join(parts)} in {files} file{'s' * (files != 1)}."


def _text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in problems)


def _json(problems: list[Problem]) -> str:
    import json  # only for this reporter: keeps `lgcb validate`'s start-up at the yaml + pydantic floor

    return json.dumps({"valid": not has_errors(problems), "problems": [asdict(p) for p in problems]}, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""
    lines = []
    for p in problems:
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (("file", p.path), ("line", p.line), ("col", p.col), ("title", f"lgcb {p.rule}"))
        )
        lines.append(f"::{p.level} {props}::{_escape_data(p.message)}\n")
    return "".join(lines)


REPORTERS: dict[str, Callable[[list[Problem]], str]] = {"text": _text, "json": _json, "github": _github}
"""Format name → function turning problems into the text to print."""


def report(problems: list[Problem], fmt: str = "text") -> str:
    return REPORTERS[fmt](sorted(problems))

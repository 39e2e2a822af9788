"""Problems as text, JSON or GitHub Actions annotations: the output of ``lgcb validate`` and every check."""

from __future__ import annotations

from lgcb.checks.problem import Problem, has_errors
from lgcb.outputs import Pieces


def text(problems: list[Problem]) -> str:
    """One ``file:line:col: level: message [rule]`` line per problem."""
    return "".join(f"{p}\n" for p in sorted(problems))


def json(problems: list[Problem]) -> Pieces:
    """``{"valid": bool, "problems": [...]}``; each problem's keys are documented in docs/rules.md.
    Written as it is made, the problems one by one."""
    from lgcb.outputs.jsontext import document  # only for this format: keeps `lgcb validate`'s start-up low

    return document({"valid": not has_errors(problems), "problems": (p.as_dict() for p in sorted(problems))})


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""
    lines = []
    for p in sorted(problems):
        fields = [("file", p.path), ("line", p.line), ("col", p.col), ("title", f"lgcb {p.rule}")]
        props = ",".join(f"{k}={_escape_property(str(v))}" for k, v in fields if v not in (None, ""))
        where = f"{p.where}: " if p.where and p.line is None else ""
        lines.append(f"::{p.level} {props}::{_escape_data(where + p.message)}\n")
    return "".join(lines)

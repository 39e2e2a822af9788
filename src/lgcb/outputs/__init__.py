"""Every report lgcb prints or writes, chosen by name through one registry.

A report (``problems``, ``show``, ``coverage``, ``progress``, ``diff``, ``export``) has formats;
each format is a function ``result -> str | bytes | Pieces | Styled`` in a module of this package, imported
only when used.  ``text`` formats give :mod:`lgcb.outputs.terminal` objects, which print styled on a
terminal and plain in a pipe; the others give the exact text or bytes to write.  The command line
offers exactly the formats registered here (``--format``), and ``--help`` lists them.

JSON formats carry a ``version`` (or ``format``) key that changes only when a key changes meaning
or disappears; their keys are documented in docs/ (rules.md, coverage.md, monitoring.md, diff.md,
export.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


class Pieces:
    """Text given in pieces, written one after another as they are made (a large JSON report:
    :mod:`lgcb.outputs.jsontext`); ``str(pieces)`` joins them, for a caller that wants the whole text.
    The pieces are made once: print them or join them, not both."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = pieces

    def __iter__(self) -> Iterator[str]:
        return iter(self._pieces)

    def __str__(self) -> str:
        return "".join(self._pieces)


@dataclass(frozen=True)
class Format:
    name: str
    target: str
    """``module:function`` giving the output."""
    description: str
    binary: bool = False
    extension: str = ""

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


def _formats(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


REPORTS: dict[str, dict[str, Format]] = {
    "problems": _formats(
        Format("text", "lgcb.outputs.problems:text", "file:line:col: level: message [rule]"),
        Format("json", "lgcb.outputs.problems:json", "for scripts", extension=".json"),
        Format("github", "lgcb.outputs.problems:github", "GitHub Actions annotations"),
    ),
    "list": _formats(
        Format("text", "lgcb.outputs.show:list_text", "a table"),
        Format("json", "lgcb.outputs.show:list_json", "for scripts", extension=".json"),
    ),
    "show": _formats(
        Format("text", "lgcb.outputs.show:show_text", "for reading"),
        Format("json", "lgcb.outputs.show:show_json", "for scripts", extension=".json"),
        Format("yaml", "lgcb.outputs.show:show_yaml", "for scripts", extension=".yaml"),
    ),
    "search": _formats(
        Format("text", "lgcb.outputs.show:search_text", "matches highlighted"),
        Format("json", "lgcb.outputs.show:search_json", "for scripts", extension=".json"),
    ),
    "coverage": _formats(
        Format("text", "lgcb.outputs.coverage:text", "a table and the findings"),
        Format("json", "lgcb.outputs.coverage:json", "for scripts", extension=".json"),
        Format("md", "lgcb.outputs.coverage:markdown", "a pull-request comment", extension=".md"),
    ),
    "progress": _formats(
        Format("text", "lgcb.outputs.progress:text", "for reading"),
        Format("json", "lgcb.outputs.progress:json", "for scripts", extension=".json"),
        Format("md", "lgcb.outputs.progress:markdown", "a report or an issue", extension=".md"),
    ),
    "diff": _formats(
        Format("text", "lgcb.outputs.diff:text", "[-deleted-]{+inserted+} words in a pipe"),
        Format("md", "lgcb.outputs.diff:markdown", "a pull-request comment", extension=".md"),
        Format("json", "lgcb.outputs.diff:json", "for scripts", extension=".json"),
    ),
    "export": _formats(
        Format("csv", "lgcb.outputs.export:csv", "for Excel, LibreOffice", extension=".csv"),
        Format("json", "lgcb.outputs.export:json", "for scripts", extension=".json"),
        Format("xlsx", "lgcb.excel.write:plan_workbook", "an Excel workbook", binary=True, extension=".xlsx"),
    ),
}
"""Report → format name → format."""


def names(report: str) -> list[str]:
    """The format names of a report, for ``--format``."""
    return list(REPORTS[report])


def output(report: str, fmt: str, result: Any, **options: Any) -> Any:
    """The report of ``result`` in format ``fmt``."""
    return REPORTS[report][fmt].load()(result, **options)


def help_text(report: str) -> str:
    """``text (for reading), json (for scripts) …`` for a ``--format`` option's help."""
    return ", ".join(f"{f.name} ({f.description})" for f in REPORTS[report].values()) + "."

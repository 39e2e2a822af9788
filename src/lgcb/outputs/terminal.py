"""Text for people: styled on a terminal (rich), plain in a pipe, from the same data.

A text report is :class:`Lines` (indented segments of ``(text, style)``) or a :class:`Table`, or
any object with the same two methods (:class:`Styled`).  Each prints as rich text on a terminal and
as plain text in a pipe, so tests can assert exact output and scripts get no escape codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Segment = tuple[str, str]


@dataclass
class Line:
    segments: list[Segment] = field(default_factory=list)
    indent: int = 0
    label: int = 0
    """How many leading segments form a label column (an ID): wrapped text then hangs beside it."""

    def plain(self, marks: Mapping[str, tuple[str, str]] | None = None) -> str:
        """The text without styles; ``marks`` wraps segments of a style (``[-deleted-]``)."""
        marks = marks or {}
        text = "".join(f"{marks[style][0]}{t}{marks[style][1]}" if style in marks else t for t, style in self.segments)
        return " " * self.indent + text if text else ""


class Styled(Protocol):
    def plain(self) -> str: ...

    def print_rich(self, console: Any) -> None: ...


@dataclass
class Lines:
    lines: list[Line]
    marks: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def plain(self) -> str:
        return "".join(line.plain(self.marks) + "\n" for line in self.lines)

    def print_rich(self, console: Any) -> None:
        from rich.padding import Padding
        from rich.table import Table as RichTable
        from rich.text import Text

        for line in self.lines:
            renderable: Text | RichTable = Text.assemble(*line.segments)
            if line.label:
                label = Text.assemble(*line.segments[: line.label])
                grid = RichTable.grid(padding=(0, 1))
                grid.add_column(no_wrap=True, width=label.cell_len)
                grid.add_column()
                grid.add_row(label, Text.assemble(*line.segments[line.label :]))
                renderable = grid
            console.print(Padding(renderable, (0, 0, 0, line.indent)) if line.indent else renderable)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)
    """Columns aligned right."""

    def plain(self) -> str:
        widths = [max([len(h), *(len(r[i]) for r in self.rows)]) for i, h in enumerate(self.headers)]

        def fmt(cells: list[str]) -> str:
            return "  ".join(
                c.rjust(w) if i in self.numeric else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=False))
            ).rstrip()

        return "".join(fmt(r) + "\n" for r in [self.headers, *self.rows])

    def print_rich(self, console: Any) -> None:
        from rich.table import Table as RichTable

        table = RichTable(box=None, header_style="bold")
        for i, h in enumerate(self.headers):
            table.add_column(h, justify="right" if i in self.numeric else "left", overflow="fold")
        for r in self.rows:
            table.add_row(*r)
        console.print(table)


def is_terminal() -> bool:
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)

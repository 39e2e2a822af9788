"""What every command shares: finding and loading the plan, and printing for a terminal or a pipe."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from lgcb.planfile.layout import PlanLocation, PlanNotFound, find_plan

if TYPE_CHECKING:
    from lgcb.checks.load import LoadResult
    from lgcb.model import Plan
    from lgcb.outputs.show import Line

FORMAT_HELP = "Output format."


def locate(ctx: click.Context) -> PlanLocation:
    try:
        return find_plan(ctx.find_root().obj.get("plan"))
    except PlanNotFound as e:
        raise click.UsageError(str(e), ctx) from None


def load_plan_once(path: Path) -> LoadResult:
    """``load_plan`` for a command, which loads a plan once and then exits.

    When lgcb runs as its own process, the loaded plan is moved out of the garbage collector's
    sight (``gc.freeze``): it lives until the process ends, so the collector's passes over its
    hundreds of thousands of objects, set off by whatever the command allocates next, would only
    cost time on a large plan.  Inside another program (a test runner) the collector is left alone.
    """
    import gc

    from lgcb import cli
    from lgcb.checks.load import load_plan

    result = load_plan(path)
    if cli.OWN_PROCESS:
        gc.freeze()
    return result


def load(ctx: click.Context) -> Plan:
    """The plan, or exit 1 with its problems on stderr: commands other than validate need a valid plan."""
    from lgcb.checks.problem import report, summary

    location = locate(ctx)
    result = load_plan_once(location.path)
    if result.plan is None:
        click.echo(report(result.problems), err=True, nl=False)
        click.echo(f"{summary(result.problems)} Run `lgcb validate` for details; the plan must be valid.", err=True)
        ctx.exit(1)
    return result.plan  # type: ignore[return-value]


def is_terminal() -> bool:
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def print_lines(lines: list[Line]) -> None:
    """Rich text on a terminal (NO_COLOR honoured by rich), plain lines in a pipe."""
    if not is_terminal():
        click.echo("\n".join(line.plain() for line in lines))
        return
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    console = _console()
    for line in lines:
        renderable: object = Text.assemble(*line.segments)
        if line.label:
            label = Text.assemble(*line.segments[: line.label])
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, width=label.cell_len)
            grid.add_column()
            grid.add_row(label, Text.assemble(*line.segments[line.label :]))
            renderable = grid
        console.print(Padding(renderable, (0, 0, 0, line.indent)) if line.indent else renderable)


def print_table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> None:
    numeric = numeric or set()
    if not is_terminal():
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

        def fmt(cells: list[str]) -> str:
            return "  ".join(
                c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
            ).rstrip()

        click.echo("\n".join([fmt(headers), *(fmt(r) for r in rows)]))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in numeric else "left", overflow="fold")
    for r in rows:
        table.add_row(*r)
    _console().print(table)


def fail(ctx: click.Context, message: str) -> NoReturn:
    """A bad argument: message on stderr, exit 2 (as for any usage error)."""
    raise click.UsageError(message, ctx)


def write_stdout(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def paths(values: tuple[str, ...]) -> list[Path]:
    return [Path(v) for v in values]

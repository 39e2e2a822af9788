"""What every command shares: finding and loading the plan, the ``--format``/``-o`` options, and output.

Commands are thin: they parse arguments, call one core function and hand its result to an output
format chosen by name (:mod:`lgcb.outputs`).  Output goes one way for every command: styled text on
a terminal and plain text in a pipe; a file given with ``-o`` is written atomically (``-o -`` is
standard output); a binary format without ``-o`` goes to standard output only when that is not a
terminal.  A file that cannot be written is reported as ``lgcb: cannot write PATH: reason``, exit 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from lgcb.planfile.layout import PlanLocation, PlanNotFound, find_plan

if TYPE_CHECKING:
    from lgcb.checks.load import LoadResult
    from lgcb.model import Plan

F = TypeVar("F", bound=Callable[..., Any])


def _root(ctx: click.Context) -> dict[str, Any]:
    obj = ctx.find_root().ensure_object(dict)
    return obj


def locate(ctx: click.Context) -> PlanLocation:
    """The plan to use (see :func:`~lgcb.planfile.layout.find_plan`); says on stderr when it is the shipped one."""
    obj = _root(ctx)
    if "location" not in obj:
        try:
            obj["location"] = find_plan(obj.get("plan"))
        except PlanNotFound as e:
            raise click.UsageError(str(e), ctx) from None
        if obj["location"].shipped:
            click.echo(
                "lgcb: no plan/ directory here or above; using the plan shipped with lgcb "
                "(read-only; --plan DIR or $LGCB_PLAN chooses another)",
                err=True,
            )
    location: PlanLocation = obj["location"]
    return location


def owns_process(ctx: click.Context) -> bool:
    """Whether lgcb runs as its own process (``lgcb.cli.main``), and so may move what it loads out of
    the garbage collector's sight for the rest of the run; inside another program (a test runner)
    the collector is left alone."""
    return bool(_root(ctx).get("own_process"))


def load_result(ctx: click.Context, *, positions: bool = False) -> LoadResult:
    """The plan read and checked once per command, with every problem.

    When lgcb runs as its own process, the loaded plan is moved out of the garbage collector's
    sight (``gc.freeze``): it lives until the process ends, so the collector's passes over its
    hundreds of thousands of objects, set off by whatever the command allocates next, would only
    cost time on a large plan; and the collector stays off for the rest of the command
    (:func:`lgcb.memory.freeze_for_the_process`).  Inside another program (a test runner) the collector is
    left alone.  ``positions``: the command will locate findings on many entries (see ``load_plan``).
    """
    obj = _root(ctx)
    if "loaded" not in obj:
        from lgcb.checks.load import load_plan

        obj["loaded"] = load_plan(locate(ctx).path, freeze=owns_process(ctx), positions=positions)
    result: LoadResult = obj["loaded"]
    return result


def load(ctx: click.Context, *, positions: bool = False) -> Plan:
    """The plan, or exit 1 with its problems on stderr: commands other than validate need a valid plan."""
    from lgcb.checks.problem import summary
    from lgcb.outputs.problems import text

    result = load_result(ctx, positions=positions)
    if result.plan is None:
        click.echo(text(result.problems), err=True, nl=False)
        click.echo(f"{summary(result.problems)} Run `lgcb validate` for details; the plan must be valid.", err=True)
        ctx.exit(1)
    return result.plan


def check_objectives(ctx: click.Context, plan: Plan, numbers: tuple[int, ...] | list[int]) -> None:
    """Exit 2 when an ``--objective N`` names no objective of the plan (one wording for every command)."""
    from lgcb.results.query import missing_objective

    message = missing_objective(plan, numbers)
    if message:
        fail(ctx, message)


def fail(ctx: click.Context, message: str) -> NoReturn:
    """A bad argument: message on stderr, exit 2 (as for any usage error)."""
    raise click.UsageError(message, ctx)


def format_option(report: str, default: str | None = "text", **kwargs: Any) -> Callable[[F], F]:
    """``--format`` with exactly the formats :data:`lgcb.outputs.REPORTS` registers for ``report``."""
    from lgcb.outputs import help_text, names

    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names(report)),
        default=default,
        show_default=default is not None,
        help=kwargs.pop("help", None) or help_text(report),
        **kwargs,
    )


def output_option(help_text: str = "Write to FILE (replaced atomically; - for standard output).") -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        type=click.Path(dir_okay=True, path_type=Path, allow_dash=True),
        default=None,
        help=help_text,
    )


def is_terminal() -> bool:
    from lgcb.outputs import terminal

    return terminal.is_terminal()


def emit(result: Any) -> None:
    """Print an output: styled text on a terminal, plain text in a pipe (and with ``NO_COLOR``, where the
    plain form's marks, such as ``[-deleted-]``, stand in for colours); text and bytes as they are."""
    if isinstance(result, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(result)
        sys.stdout.buffer.flush()
        return
    if isinstance(result, str):
        click.echo(result, nl=not result.endswith("\n") and bool(result))
        return
    from lgcb.outputs import Pieces

    if isinstance(result, Pieces):
        _print_pieces(result)
        return
    if is_terminal() and not os.environ.get("NO_COLOR"):
        from lgcb.outputs.terminal import console

        result.print_rich(console())
        return
    plain = result.plain()
    if isinstance(plain, Pieces):
        _print_pieces(plain)
        return
    click.echo(plain, nl=False)


def _print_pieces(pieces: Iterable[str]) -> None:
    """Text printed as it is made, a few tens of kilobytes at a time."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= _PRINTED_AT_ONCE:
            click.echo("".join(held), nl=False)
            held, size = [], 0
    click.echo("".join(held), nl=False)


_PRINTED_AT_ONCE = 1 << 16
"""Characters of a report in pieces printed at a time."""


def write_output(ctx: click.Context, data: str | bytes, output: Path | None, *, binary: bool = False) -> Path | None:
    """Write ``data`` to ``output`` atomically, or to standard output (``-``, or no ``-o``).

    A binary format is never written to a terminal: without ``-o`` it needs standard output to be a
    file or a pipe.  Returns the path written, if any.
    """
    if output is None or str(output) == "-":
        if binary and output is None and sys.stdout.isatty():
            fail(ctx, "this format is binary and is not written to a terminal: add -o FILE, or redirect (> FILE)")
        emit(data)
        return None
    from lgcb.fileio import FileError, write_atomic

    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        write_atomic(output, raw)
    except (FileError, OSError) as e:
        unwritable(ctx, output, e)
    return output


def unwritable(ctx: click.Context, path: Path, error: OSError | Exception) -> NoReturn:
    """Report a file that cannot be written, the same way for every command, and exit 1."""
    from lgcb.fileio import FileError

    if isinstance(error, FileError):
        click.echo(f"lgcb: {error}", err=True)
    else:
        click.echo(f"lgcb: cannot write {path}: {getattr(error, 'strerror', None) or error}", err=True)
    ctx.exit(1)
    raise AssertionError  # pragma: no cover - ctx.exit raises

"""``lgcb diff``: what changed in the plan between two revisions or directories, for reviewers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from lgcb.cli._common import emit, is_terminal, locate, owns_process, unwritable
from lgcb.outputs import help_text, names

if TYPE_CHECKING:
    from lgcb.results.revision import InvalidSide


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*names("diff"), "docx"]),
    default="text",
    show_default=True,
    help=help_text("diff")[:-1] + ", or docx (NEW's Word report with every change as a tracked change; needs -o).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    metavar="FILE",
    help="docx: the Word file to write ('-' for standard output, never a terminal).",
)
@click.option(
    "--author",
    default="lgcb",
    show_default=True,
    help="docx: the author of the tracked changes when a side is not a git revision "
    "(between two revisions each change carries its commit's author and date).",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="docx: render both sides with this .docx template (as lgcb render --template).",
)
@click.option(
    "--template-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="docx: a directory of templates searched before the shipped ones.",
)
@click.option("--exit-code", is_flag=True, help="Exit with 1 when there are changes (like git diff --exit-code).")
@click.pass_context
def diff(
    ctx: click.Context,
    old: str,
    new: str | None,
    fmt: str,
    output: Path | None,
    author: str,
    template: Path | None,
    template_dir: Path | None,
    exit_code: bool,
) -> None:
    """Show what changed in the plan: entries added, removed, modified, moved.

    OLD and NEW are each a plan directory or a git revision (branch, tag, commit) of the
    repository you are in; a directory of that name wins. Without NEW, OLD is compared with
    the working plan. Revisions are read from git without touching your files; the plan is
    read at the same path as the working plan. Entries are matched by ID; text changes are
    shown word by word. Exit status: 0 (1 with --exit-code when there are changes), 1 if a
    side is not a valid plan, 2 for a bad argument or revision.

    \b
    Examples:
      lgcb diff main                      your edits, compared with main
      lgcb diff HEAD~1 HEAD               what the last commit changed
      lgcb diff v1.0 v1.1 --format md     a pull-request comment
      lgcb diff old-copy/plan plan        two directories
      lgcb diff origin/main --exit-code   exit 1 when the plan changed
      lgcb diff v1.0 v1.1 --format docx -o changes.docx
                                          the revision as tracked changes in Word
    """
    if fmt == "docx":
        _docx(ctx, old, new, output, author, template, template_dir, exit_code)
    if output is not None:
        raise click.UsageError("-o is for --format docx; redirect the other formats (> changes.md)", ctx)
    from lgcb import outputs
    from lgcb.results.revision import InvalidSide, SideError, compare

    working = locate(ctx).path
    try:
        result = compare(old, new, working)
    except SideError as e:
        raise click.UsageError(str(e), ctx) from None
    except InvalidSide as e:
        _invalid(ctx, e)
    emit(outputs.output("diff", fmt, result))
    ctx.exit(1 if exit_code and not result.empty else 0)


def _docx(
    ctx: click.Context,
    old: str,
    new: str | None,
    output: Path | None,
    author: str,
    template: Path | None,
    template_dir: Path | None,
    exit_code: bool,
) -> None:
    """``--format docx``: write NEW's Word report with the changes since OLD as tracked changes."""
    from lgcb.outputs.diff import summary as change_summary
    from lgcb.render import RenderError, RenderOptions
    from lgcb.render.publish import STDOUT, Request, RequestError, check_templates, target_path
    from lgcb.results.revision import InvalidSide, SideError
    from lgcb.word.changes import revision_report

    if (output is None or output == STDOUT) and is_terminal():
        raise click.UsageError("a Word file is binary: give a file name with -o changes.docx", ctx)
    request = Request("docx", (), output or STDOUT, template_dir, template)
    try:
        check_templates(request, "docx")
        path = target_path(request, "docx")
    except RequestError as e:
        raise click.UsageError(str(e), ctx) from None
    options = RenderOptions(template_dir=template_dir, template=template)
    try:
        changes = revision_report(old, new, locate(ctx).path, options, author, freeze=owns_process(ctx))
    except SideError as e:
        raise click.UsageError(str(e), ctx) from None
    except InvalidSide as e:
        _invalid(ctx, e)
    except RenderError as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    document = changes.document
    if document is None:
        click.echo("No changes: nothing written.", err=True)
        ctx.exit(0)
    if path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(document.data)
        sys.stdout.buffer.flush()
    else:
        from lgcb.fileio import FileError, write_atomic

        try:
            write_atomic(path, document.data)
        except (OSError, FileError) as e:
            unwritable(ctx, path, e)
        count = document.revisions
        click.echo(
            f"Wrote {path}: {count} tracked change{'s' * (count != 1)} ({change_summary(changes.diff)}).", err=True
        )
    ctx.exit(1 if exit_code else 0)


def _invalid(ctx: click.Context, error: InvalidSide) -> NoReturn:
    """A side that is not a valid plan: its problems, as validate reports them, and exit 1."""
    from lgcb.checks.problem import summary
    from lgcb.outputs.problems import text

    click.echo(f"The {error.role} side ({error.label}) is not a valid plan:", err=True)
    click.echo(text(error.problems), err=True, nl=False)
    click.echo(f"{summary(error.problems)} Fix the plan (lgcb validate) before comparing.", err=True)
    ctx.exit(1)
    raise AssertionError  # pragma: no cover - ctx.exit raises

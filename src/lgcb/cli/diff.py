"""``lgcb diff``: what changed in the plan between two revisions or directories, for reviewers."""

from __future__ import annotations

import os

import click

from lgcb.cli._common import is_terminal, locate, write_stdout


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text (coloured on a terminal, [-deleted-]{+inserted+} words in a pipe), md (a pull-request comment) or json.",
)
@click.option("--exit-code", is_flag=True, help="Exit with 1 when there are changes (like git diff --exit-code).")
@click.pass_context
def diff(ctx: click.Context, old: str, new: str | None, fmt: str, exit_code: bool) -> None:
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
    """
    from lgcb.checks.problem import report, summary
    from lgcb.results.diff import plain, render, text_lines
    from lgcb.results.revision import InvalidSide, SideError, compare

    working = locate(ctx).path
    try:
        result = compare(old, new, working)
    except SideError as e:
        raise click.UsageError(str(e), ctx) from None
    except InvalidSide as e:
        click.echo(f"The {e.role} side ({e.label}) is not a valid plan:", err=True)
        click.echo(report(e.problems), err=True, nl=False)
        click.echo(f"{summary(e.problems)} Fix the plan (lgcb validate) before comparing.", err=True)
        ctx.exit(1)
    if fmt == "text" and is_terminal() and not os.environ.get("NO_COLOR"):
        from lgcb.cli._common import print_lines

        print_lines(text_lines(result))
    elif fmt == "text":
        write_stdout(plain(text_lines(result)))
    else:
        write_stdout(render(result, fmt))
    ctx.exit(1 if exit_code and not result.empty else 0)

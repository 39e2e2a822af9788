"""``lgcb import plan.xlsx --onto DIR``: an edited plan workbook read back onto the plan in DIR."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import emit, fail, owns_process


def import_workbook(ctx: click.Context, source: Path, onto: Path | None, output: Path | None, dry_run: bool) -> None:
    """Read the edits of ``source`` (from ``lgcb export --format xlsx``) and write them onto ``onto``."""
    from lgcb.checks.load import load_plan
    from lgcb.checks.problem import summary
    from lgcb.excel.apply import apply_workbook
    from lgcb.excel.read import read_entries
    from lgcb.fileio import FileError, display_path
    from lgcb.model import Objective
    from lgcb.outputs import output as report_of
    from lgcb.outputs.problems import text as report
    from lgcb.planfile.onto import OntoError, plan_onto
    from lgcb.results.diff import diff_plans

    if output is not None:
        fail(ctx, "a workbook is read onto an existing plan: use --onto DIR instead of -o (-o is for Word documents)")
    if onto is None:
        fail(ctx, f"say which plan the edits of {source.name} go onto: add --onto DIR (e.g. --onto plan)")
    reuse: dict[str, Objective] = {}  # the check of the edited files parses only those that change
    loaded = load_plan(onto, reuse=reuse, freeze=owns_process(ctx))
    if loaded.plan is None:
        click.echo(report(loaded.problems), err=True, nl=False)
        click.echo(f"{summary(loaded.problems)} The plan in {onto} must be valid before edits go onto it.", err=True)
        ctx.exit(1)
    sheet = read_entries(source)
    for unread in sheet.unread:  # sheet by sheet, as the workbook has them
        click.echo(str(unread), err=True)
    applied = apply_workbook(loaded.plan, sheet)
    if applied.problems or applied.plan is None:
        for problem in sorted(applied.problems, key=lambda p: p.order()):
            click.echo(str(problem), err=True)
        count = len(applied.problems)
        click.echo(f"{count} problem{'s' * (count != 1)} in {sheet.file}; nothing was written.", err=True)
        ctx.exit(1)
    try:
        change = plan_onto(onto, applied.plan, loaded=loaded, reuse=reuse)
    except OntoError as e:  # pragma: no cover - the plan was loaded just above
        click.echo(report(e.problems), err=True, nl=False)
        ctx.exit(1)
    if not change.ok:
        click.echo(f"With the edits of {sheet.file}, the plan would not be valid; nothing was written:", err=True)
        click.echo(report(change.problems), err=True, nl=False)
        ctx.exit(1)
    shown = display_path(onto)
    if change.empty:
        click.echo(f"No changes: the plan in {shown} already matches {sheet.file}.")
        return
    emit(report_of("diff", "text", diff_plans(change.before, change.after, shown, sheet.file)))
    if applied.added:
        click.echo(f"New entries (IDs assigned): {', '.join(applied.added)}")
    if applied.removed:
        click.echo(f"Removed entries (their rows were deleted): {', '.join(applied.removed)}")
    if dry_run:
        click.echo(f"Dry run: would change {len(change.files)} file{'s' * (len(change.files) != 1)} in {shown}.")
        return
    try:
        written = change.write()
    except (OSError, FileError) as e:
        click.echo(
            f"Error: cannot write to {shown}: {getattr(e, 'strerror', None) or e}; nothing was changed", err=True
        )
        ctx.exit(1)
    for path in written:
        click.echo(f"{'wrote' if change.files[path] is not None else 'removed'} {display_path(path)}")
    click.echo(f"Imported the edits of {sheet.file} onto {shown}. Check them with: lgcb --plan {shown} validate")

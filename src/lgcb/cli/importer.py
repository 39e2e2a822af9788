"""``lgcb import``: a Word document laid out like Annex I → a plan directory (core: lgcb.word.read)."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, write_stdout


@click.command("import")
@click.argument("source", metavar="FILE.docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    metavar="DIR",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The plan directory to write (plan.yaml and objectives/).",
)
@click.option("--dry-run", is_flag=True, help="Print the files it would write (names and YAML); write nothing.")
@click.option("--force", is_flag=True, help="Overwrite a plan already in DIR (its other objective files are removed).")
@click.pass_context
def import_command(ctx: click.Context, source: Path, output: Path, dry_run: bool, force: bool) -> None:
    """Import a plan kept in Word (a .docx laid out like Annex I) into DIR as YAML.

    It reads each "Operational objective N" heading, the "Title: aim" line, the "Strategic Plan
    operational objective" line and the four-column table Outcomes | Indicators | Results/Outputs |
    Activities: one entry per bullet or paragraph, nesting from list levels or indentation, group
    headings, result numbers ("1.1"). IDs written by `lgcb render --format docx` are kept; other
    entries get IDs the way the plan assigns them. Text it cannot place is listed with where it was
    found, and the exit code is then 1 (the files are still written).

    \b
    Examples:
      lgcb import annex.docx -o plan --dry-run     show what would be written
      lgcb import annex.docx -o plan               write plan/plan.yaml and plan/objectives/
      lgcb import annex.docx -o plan --force       replace the plan already there
      lgcb --plan plan validate                    then check it
    """
    from lgcb.word.read import ImportFailed, PlanExists, check_written, existing_plan, read_document, write_plan

    if not dry_run and existing_plan(output) and not force:
        fail(ctx, f"{output} already holds a plan ({existing_plan(output)[0].name}); use --force to overwrite it")
    try:
        result = read_document(source)
    except ImportFailed as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    problems = check_written(result)
    if problems:  # the importer's own guarantee failed: say so rather than write a broken plan
        click.echo("\n".join(f"Error: {p}" for p in problems), err=True)
        ctx.exit(1)
    for finding in result.findings:
        click.echo(f"{source.name}: {finding}", err=True)

    plan = result.plan
    entries = sum(1 for _ in plan.walk())
    summary = f"{len(plan.objectives)} objectives, {entries} entries"
    if dry_run:
        for name, text in result.files.items():
            write_stdout(f"# --- {output / name}\n{text}")
        click.echo(f"Dry run: {summary}; would write {len(result.files)} files to {output}.", err=True)
    else:
        try:
            written, removed = write_plan(result, output, force=force)
        except PlanExists as e:
            fail(ctx, str(e))
        except OSError as e:
            click.echo(f"Error: cannot write to {output}: {e.strerror or e}", err=True)
            ctx.exit(1)
        for path in written:
            click.echo(f"wrote {path}")
        for path in removed:
            click.echo(f"removed {path} (not in the imported document)")
        click.echo(f"Imported {source.name}: {summary}. Check it with: lgcb --plan {output} validate")
    errors = result.errors
    if errors:
        count = f"{len(errors)} pieces of text" if len(errors) != 1 else "1 piece of text"
        click.echo(
            f"{count} could not be placed (listed above): add {'them' if len(errors) != 1 else 'it'} "
            "to the YAML by hand, or fix the document and import again.",
            err=True,
        )
        ctx.exit(1)

"""``lgcb export``: the whole plan flattened, for spreadsheets and other programs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lgcb.cli._common import fail, load


def stdout_is_terminal() -> bool:
    """A terminal would show a binary workbook as garbage (and may act on its bytes)."""
    return sys.stdout.isatty()


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xlsx"]),
    default=None,
    help="xlsx (an Excel workbook), csv (for any spreadsheet) or json. Default: from the -o file's "
    "extension, else json.",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (replaced atomically) instead of standard output.",
)
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path | None) -> None:
    """Export the whole plan, one row per entry (item or group heading), as Excel, CSV or JSON.

    Each row has the objective, column, kind, ID, parent ID, group heading, depth, source
    number, text, links (serves, measures) and the indicator monitoring fields. The workbook
    (xlsx) also has a results matrix (per indicator: outcomes measured, baseline, targets,
    means of verification) and the plan's details; edit it and read it back with
    `lgcb import plan.xlsx --onto DIR` (docs/excel.md). The CSV opens directly in Excel and
    LibreOffice (UTF-8 with BOM); the JSON also holds the plan's metadata. See docs/export.md
    for every field.

    \b
    Examples:
      lgcb export -o plan.xlsx              an Excel workbook
      lgcb export -o plan.csv               for any spreadsheet
      lgcb export --format json > plan.json
      lgcb export --format csv | head -3
    """
    from lgcb.fileio import write_atomic
    from lgcb.outputs.export import export as run_export

    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        if output is not None and suffix not in ("csv", "json", "xlsx"):
            fail(ctx, f"cannot tell the format from {output.name!r}: add --format xlsx, csv or json")
        fmt = suffix or "json"
    if fmt == "xlsx" and output is None and stdout_is_terminal():
        fail(ctx, "a workbook is binary and is not shown on a terminal: add -o plan.xlsx")
    plan = load(ctx)
    if fmt == "xlsx":
        from lgcb.excel.write import WorkbookError, plan_workbook

        try:
            data = plan_workbook(plan)
        except WorkbookError as e:
            click.echo(f"lgcb export: {e}", err=True)
            ctx.exit(1)
    else:
        data = run_export(plan, fmt)
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream untouched (BOM, CRLF)
        return
    try:
        write_atomic(output, data)
    except OSError as e:
        click.echo(f"lgcb export: cannot write {output}: {e.strerror or e}", err=True)
        ctx.exit(1)
    rows = sum(1 for _ in plan.walk())
    click.echo(f"Wrote {output}: {rows} rows from {len(plan.objectives)} objectives.", err=True)

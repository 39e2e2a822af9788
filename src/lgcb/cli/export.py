"""``lgcb export``: the whole plan flattened, for spreadsheets and other programs."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, load


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default=None,
    help="csv (for Excel, LibreOffice) or json. Default: from the -o file's extension, else json.",
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
    """Export the whole plan, one row per entry (item or group heading), as CSV or JSON.

    Each row has the objective, column, kind, ID, parent ID, group heading, depth, source
    number, text, links (serves, measures) and the indicator monitoring fields. The CSV
    opens directly in Excel and LibreOffice (UTF-8 with BOM); the JSON also holds the
    plan's metadata. See docs/export.md for every field.

    \b
    Examples:
      lgcb export -o plan.csv               for a spreadsheet
      lgcb export --format json > plan.json
      lgcb export --format csv | head -3
    """
    from lgcb.fileio import write_atomic
    from lgcb.outputs.export import export as run_export

    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        if output is not None and suffix not in ("csv", "json"):
            fail(ctx, f"cannot tell the format from {output.name!r}: add --format csv or --format json")
        fmt = suffix or "json"
    plan = load(ctx)
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

"""``lgcb export``: the whole plan flattened, for spreadsheets and other programs."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, format_option, load, output_option, write_output


@click.command()
@format_option(
    "export",
    default=None,
    help="csv (for Excel, LibreOffice) or json. Default: from the -o file's extension, else json.",
)
@output_option()
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
    from lgcb.outputs import REPORTS

    formats = REPORTS["export"]
    if fmt is None:
        suffix = output.suffix.lower() if output and str(output) != "-" else ""
        chosen = next((f.name for f in formats.values() if suffix and f.extension == suffix), None)
        if suffix and chosen is None:
            names = " or ".join(f"--format {name}" for name in formats)
            fail(ctx, f"cannot tell the format from {output.name!r}: add {names}")  # type: ignore[union-attr]
        fmt = chosen or "json"
    plan = load(ctx)
    data = formats[fmt].load()(plan)
    written = write_output(ctx, data, output, binary=formats[fmt].binary)
    if written is not None:
        rows = sum(1 for _ in plan.walk())
        click.echo(f"Wrote {written}: {rows} rows from {len(plan.objectives)} objectives.", err=True)

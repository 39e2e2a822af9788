"""``lgcb export``: the whole plan flattened, for spreadsheets and other programs."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, format_option, load, output_option, write_output


@click.command()
@format_option(
    "export",
    default=None,
    help="xlsx (an Excel workbook), csv (for any spreadsheet) or json. Default: from the -o file's "
    "extension, else json.",
)
@output_option()
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
    from lgcb.excel.write import WorkbookError

    try:
        data = formats[fmt].load()(plan)
    except WorkbookError as e:  # a text a workbook cannot hold (a control character)
        click.echo(f"lgcb export: {e}", err=True)
        ctx.exit(1)
    written = write_output(ctx, data, output, binary=formats[fmt].binary)
    if written is not None:
        rows = plan.count()
        click.echo(f"Wrote {written}: {rows} rows from {len(plan.objectives)} objectives.", err=True)

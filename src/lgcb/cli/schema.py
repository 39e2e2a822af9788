"""``lgcb schema``: the JSON Schemas of the plan files, for editors and other tools."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import emit, fail, locate, unwritable
from lgcb.fileio import FileError


@click.command()
@click.option(
    "--kind",
    type=click.Choice(["plan", "objective"]),
    default=None,
    help="Print the schema of one kind of file to stdout: plan (plan.yaml) or objective (objectives/*.yaml).",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write both schemas (plan.schema.json, objective.schema.json) into DIR. "
    "Default: the schema/ folder beside the plan, where its files' `$schema` lines point.",
)
@click.pass_context
def schema(ctx: click.Context, kind: str | None, output: Path | None) -> None:
    """Write the JSON Schema of the plan files, generated from lgcb's plan model.

    Editors that read a `# yaml-language-server: $schema=...` line (VS Code with the YAML
    extension, and others) use these schemas to complete and check fields while you type.
    The repository keeps them in schema/ beside plan/; `lgcb schema` regenerates them there.

    \b
    Examples:
      lgcb schema                           write schema/plan.schema.json and objective.schema.json
      lgcb schema --kind objective          the objective file's schema, on stdout
      lgcb schema -o my-schemas/            write both into another directory
    """
    from lgcb.schema import schema_text, write_schemas

    if kind and output:
        fail(ctx, "give either --kind (print one schema) or -o DIR (write both), not both")
    if kind is None and output is None:
        location = locate(ctx)
        if location.shipped:
            fail(
                ctx,
                "there is no plan here (no plan/ directory here or above) to write schema/ beside; "
                "give -o DIR, or --kind plan|objective to print one",
            )
        output = location.path.resolve().parent / "schema"
    if output is not None:
        try:
            written = write_schemas(output)
        except (OSError, FileError) as e:
            unwritable(ctx, output, e)
        for path in written:
            click.echo(f"Wrote {path}", err=True)
        return
    emit(schema_text(kind or "plan"))

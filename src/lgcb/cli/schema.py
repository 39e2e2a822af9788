"""``lgcb schema``: the JSON Schemas of the plan files, for editors and other tools."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, write_stdout


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
    help="Write both schemas (plan.schema.json, objective.schema.json) into DIR.",
)
@click.pass_context
def schema(ctx: click.Context, kind: str | None, output: Path | None) -> None:
    """Write the JSON Schema of the plan files, generated from lgcb's plan model.

    Editors that read a `# yaml-language-server: $schema=...` line (VS Code with the YAML
    extension, and others) use these schemas to complete and check fields while you type.
    The repository keeps them in schema/; regenerate them there after changing the model.

    \b
    Examples:
      lgcb schema --kind objective          the objective file's schema, on stdout
      lgcb schema -o schema/                write plan.schema.json and objective.schema.json
    """
    from lgcb.schema import schema_text, write_schemas

    if kind and output:
        fail(ctx, "give either --kind (print one schema) or -o DIR (write both), not both")
    if output is not None:
        try:
            written = write_schemas(output)
        except OSError as e:
            click.echo(f"lgcb schema: cannot write to {output}: {e.strerror or e}", err=True)
            ctx.exit(1)
        for path in written:
            click.echo(f"Wrote {path}", err=True)
        return
    if kind is None:
        fail(ctx, "say which schema to print (--kind plan or --kind objective), or write both with -o DIR")
    write_stdout(schema_text(kind))

"""``lgcb render``: publish the plan as Markdown, HTML, Word or PDF through templates."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from lgcb.cli._common import fail, is_terminal, load
from lgcb.render import RENDERERS

_FORMATS = ", ".join(f"{name} ({r.description})" for name, r in RENDERERS.items())


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(RENDERERS)),
    default=None,
    help=f"Output format: {_FORMATS}. Default: from the -o file's extension.",
)
@click.option(
    "--objective",
    "objectives",
    type=int,
    multiple=True,
    metavar="N",
    help="Only objective N (repeat for several). Default: all objectives.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    metavar="PATH",
    help="Write to this file (or into this directory; '-' for stdout). Default: stdout for text formats, "
    "action-plan.docx or action-plan.pdf in the current directory for Word or PDF.",
)
@click.option(
    "--template-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="A directory of templates searched before the shipped ones: override one part, keep the rest.",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Render with this template: a Jinja file for md/html/pdf (its directory is searched first), "
    "your own .docx for Word.",
)
@click.pass_context
def render(
    ctx: click.Context,
    fmt: str | None,
    objectives: tuple[int, ...],
    output: Path | None,
    template_dir: Path | None,
    template: Path | None,
) -> None:
    """Publish the plan as Markdown, HTML, a Word document or a PDF.

    Text formats go to standard output unless -o is given; a Word document or PDF is written to
    -o, or to action-plan.docx / action-plan.pdf. The file is written whole or not at all: after an error, an existing
    file is left as it was. Exit status: 0 written, 1 invalid plan or broken template, 2 bad usage.

    \b
    Examples:
      lgcb render --format md -o ACTION-PLAN.md
      lgcb render --format html -o report.html      then open report.html#3.R1
      lgcb render --format docx                     writes action-plan.docx
      lgcb render -o action-plan.pdf                A4 landscape PDF (format from the extension)
      lgcb render --format html --objective 3 --objective 4
      lgcb render --format html --template-dir my-templates -o report.html
                                  (my-templates/html/title.html.j2 replaces only the title block)
    """
    from lgcb.render import RenderError, RenderWarning
    from lgcb.render.publish import STDOUT, Request, RequestError, publish

    plan = load(ctx)
    request = Request(fmt, objectives, output, template_dir, template)
    if output == STDOUT and fmt in RENDERERS and RENDERERS[fmt].binary and is_terminal():
        fail(ctx, f"a {fmt} file is binary: give a file name with -o, or pipe standard output")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            published = publish(plan, request)
    except RequestError as e:
        fail(ctx, str(e))
    except RenderError as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    for warning in caught:
        if issubclass(warning.category, RenderWarning):
            click.echo(f"Warning: {warning.message}", err=True)
    if published.path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(published.data)
        sys.stdout.buffer.flush()
        return
    count = len(set(objectives)) if objectives else len(plan.objectives)
    size = len(published.data)
    click.echo(
        f"Wrote {published.path} ({published.fmt}, {count} objective{'s' * (count != 1)}, {size / 1024:.0f} KB).",
        err=True,
    )

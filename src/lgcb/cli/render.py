"""``lgcb render``: publish the plan as Markdown, HTML, Word or PDF through templates."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from lgcb.cli._common import fail, is_terminal, load, unwritable, write_output
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
    help="Write to this file, or into this directory as action-plan.<ext>; '-' or no -o: standard output "
    "(a Word or PDF file only when standard output is redirected, never to a terminal).",
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
@click.option(
    "--ids/--no-ids",
    default=True,
    help="Show lgcb's IDs (1.R1) with the entries (default), or publish without them: results then show "
    "only the source's number (1.1), and the links between entries, which are IDs, are left out.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Stop a template that runs longer than this (templates from a pull request are not trusted).",
)
@click.pass_context
def render(
    ctx: click.Context,
    fmt: str | None,
    objectives: tuple[int, ...],
    output: Path | None,
    template_dir: Path | None,
    template: Path | None,
    ids: bool,
    timeout: float,
) -> None:
    """Publish the plan as Markdown, HTML, a Word document or a PDF.

    The result goes to -o, or to standard output; a Word document or a PDF goes to standard output
    only when it is redirected to a file or a pipe. The file is written whole or not at all: after an error,
    an existing file is left as it was. Exit status: 0 written, 1 invalid plan, broken template or
    unwritable file, 2 bad usage.

    Templates run in a sandbox: they must be regular files inside their template directory (no
    links out of it), and a render is stopped after --timeout seconds or when the template builds
    more than 64 MiB in one text (the whole output may have 4,096 characters per plan entry).

    \b
    Examples:
      lgcb render --format md -o ACTION-PLAN.md
      lgcb render --format html -o report.html      then open report.html#3.R1
      lgcb render --format docx -o action-plan.docx
      lgcb render --format docx > action-plan.docx  the same
      lgcb render -o action-plan.pdf                A4 landscape PDF (format from the extension)
      lgcb render --format html --objective 3 --objective 4
      lgcb render --format docx --no-ids -o annex.docx   a publication without lgcb's IDs
      lgcb render --format html --template-dir my-templates -o report.html
                                  (my-templates/html/title.html.j2 replaces only the title block)
    """
    from lgcb.fileio import FileError
    from lgcb.render import RenderError, RenderWarning
    from lgcb.render.publish import STDOUT, Request, RequestError, format_for, publish

    plan = load(ctx)
    request = Request(fmt, objectives, output, template_dir, template, ids, timeout)
    try:
        chosen = format_for(request)
    except RequestError as e:
        fail(ctx, str(e))
    if chosen in RENDERERS and RENDERERS[chosen].binary and output in (None, STDOUT) and is_terminal():
        fail(
            ctx,
            f"a {chosen} file is binary and is not written to a terminal: add -o action-plan"
            f"{RENDERERS[chosen].extension}, or redirect (> FILE)",
        )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            published = publish(plan, request)
    except RequestError as e:
        fail(ctx, str(e))
    except RenderError as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    except FileError as e:
        unwritable(ctx, e.path, e)
    for warning in caught:
        if issubclass(warning.category, RenderWarning):
            click.echo(f"Warning: {warning.message}", err=True)
    if published.path is None:
        write_output(ctx, published.data, None, binary=True)
        return
    write_output(ctx, published.data, published.path)
    count = len(set(objectives)) if objectives else len(plan.objectives)
    size = len(published.data)
    click.echo(
        f"Wrote {published.path} ({published.fmt}, {count} objective{'s' * (count != 1)}, {size / 1024:.0f} KB).",
        err=True,
    )

"""``lgcb render``: publish the plan as Markdown, HTML or Word through templates."""

from __future__ import annotations

import sys
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
    "action-plan.docx in the current directory for Word.",
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
    help="Render with this template: a Jinja file for md/html (its directory is searched first), "
    "your own .docx for Word.",
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
    timeout: float,
) -> None:
    """Publish the plan as Markdown, HTML or a Word document.

    Text formats go to standard output unless -o is given; a Word document is written to -o, or
    to action-plan.docx. The file is written whole or not at all: after an error, an existing
    file is left as it was. Exit status: 0 written, 1 invalid plan or broken template, 2 bad usage.

    Templates run in a sandbox: they must be regular files inside their template directory (no
    links out of it), and a render is stopped after --timeout seconds or when the template builds
    more than 64 MiB of text.

    \b
    Examples:
      lgcb render --format md -o ACTION-PLAN.md
      lgcb render --format html -o report.html      then open report.html#3.R1
      lgcb render --format docx                     writes action-plan.docx
      lgcb render --format html --objective 3 --objective 4
      lgcb render --format html --template-dir my-templates -o report.html
                                  (my-templates/html/title.html.j2 replaces only the title block)
    """
    from lgcb.render import RenderError
    from lgcb.render.publish import STDOUT, Request, RequestError, publish

    plan = load(ctx)
    request = Request(fmt, objectives, output, template_dir, template, timeout)
    if output == STDOUT and fmt in RENDERERS and RENDERERS[fmt].binary and is_terminal():
        fail(ctx, f"a {fmt} file is binary: give a file name with -o, or pipe standard output")
    try:
        published = publish(plan, request)
    except RequestError as e:
        fail(ctx, str(e))
    except RenderError as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
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

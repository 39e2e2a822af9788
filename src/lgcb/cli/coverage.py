"""``lgcb coverage``: is the plan complete, aligned with the Strategic Plan, and monitorable?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from lgcb.cli._common import fail, is_terminal, load, locate, write_stdout

if TYPE_CHECKING:
    from lgcb.checks.coverage import CoverageReport


def _style(percent: float | None) -> str:
    if percent is None:
        return "dim"
    return "green" if percent >= 100 else "yellow" if percent >= 50 else "red"


def _print_rich(report: CoverageReport) -> None:
    """The table with percentages coloured (green complete, yellow half or more, red less), then the findings."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from lgcb.checks.coverage import CHECKS, summary_line, table_rows

    console = Console(highlight=False)
    headers, rows = table_rows(report)
    # Narrow terminals: titles are cut short (the number stays), "Results chain" takes two lines.
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    widths = []
    for i, header in enumerate(headers[1:], start=1):
        label = header.replace(" ", "\n")
        widths.append(max(len(word) for word in [*label.split("\n"), *(row[i] for row in rows)]))
    room = max(12, console.width - sum(widths) - 2 * len(widths))
    table.add_column(headers[0], no_wrap=True, overflow="ellipsis", max_width=room)
    for header, width in zip(headers[1:], widths, strict=True):
        table.add_column(header.replace(" ", "\n"), justify="right", no_wrap=True, min_width=width)
    percents = [[o.checks[k].percent for k in CHECKS] + [o.score] for o in report.objectives]
    if report.objective is None:
        percents.append([report.overall[k].percent for k in CHECKS] + [report.score])
    for i, (row, values) in enumerate(zip(rows, percents, strict=True)):
        last = report.objective is None and i == len(rows) - 1
        cells = [Text(row[0], style="bold" if last else "")]
        cells += [
            Text(cell, style=_style(value) + (" bold" if last else ""))
            for cell, value in zip(row[1:], values, strict=True)
        ]
        table.add_row(*cells, end_section=i == len(rows) - 2)
    console.print(table)
    if report.findings:
        console.print()
    for finding in report.findings:
        console.print(
            Text.assemble(
                (finding.location(), "dim"),
                " ",
                (finding.level, "bold red" if finding.level == "error" else "yellow"),
                " ",
                finding.message,
                (f" [{finding.rule}]", "dim"),
            )
        )
    console.print()
    console.print(Text(summary_line(report), style="bold"))


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="text (a table and the findings; coloured on a terminal), json (for scripts) or md "
    "(Markdown for a pull-request comment).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option(
    "--fail-under",
    "fail_under",
    type=click.FloatRange(0, 100),
    metavar="PCT",
    default=None,
    help="Fail (exit 1) when the score is below PCT (0-100).",
)
@click.option(
    "--objective", "objective", type=int, metavar="N", default=None, help="Only objective N: its row and findings."
)
@click.pass_context
def coverage(ctx: click.Context, fmt: str, strict: bool, fail_under: float | None, objective: int | None) -> None:
    """Check that the plan is complete, aligned and monitorable, and score it.

    Five checks, each a percentage per objective and for the plan:

    \b
      Alignment      each objective serves a declared Strategic Plan objective,
                     and each declared one is served
      Completeness   title, aim and the four columns hold text
      Results chain  activities serve results, indicators measure outcomes
                     (the optional `serves` and `measures` links)
      Monitoring     indicators record baseline, target, unit and means of verification
      Measurable     indicators count something ("Number of ...", or a recorded `measure`)

    A check's percentage is the share of the things it checks that pass. The score is the plain
    mean of the five checks' percentages (a check with nothing to check is left out),
    rounded to one decimal; an objective's score is the mean of its row.

    Each finding names its item ID and file:line:col. Exit status: 0 with no errors; 1 with
    an error, with a warning under --strict, with the score below --fail-under, or when the
    plan is invalid; 2 for bad usage.

    \b
    Examples:
      lgcb coverage
      lgcb coverage --objective 3
      lgcb coverage --format md > coverage.md       (a pull-request comment)
      lgcb coverage --format json | jq .score
      lgcb coverage --strict --fail-under 50        (in CI)
    """
    from lgcb.checks.coverage import check_coverage, percent_text, to_json, to_markdown, to_text
    from lgcb.checks.load import load_plan

    result = load_plan(locate(ctx).path)
    if result.plan is None:
        load(ctx)  # prints the plan's problems and exits 1, as every command does
        return
    report = check_coverage(result.plan, result)
    if objective is not None:
        numbers = [o.number for o in result.plan.objectives]
        if objective not in numbers:
            fail(ctx, f"there is no objective {objective}; the plan's objectives are {', '.join(map(str, numbers))}")
        report = report.only(objective)

    if fmt == "json":
        write_stdout(to_json(report))
    elif fmt == "md":
        write_stdout(to_markdown(report))
    elif is_terminal():
        _print_rich(report)
    else:
        write_stdout(to_text(report))

    reasons = []
    if report.errors:
        reasons.append(f"{report.errors} error{'s' * (report.errors != 1)}")
    if strict and report.warnings:
        reasons.append(f"{report.warnings} warning{'s' * (report.warnings != 1)} (--strict)")
    score = report.score
    if fail_under is not None and (score is None or score < fail_under):
        reasons.append(f"the score {percent_text(score)} is under --fail-under {fail_under:g}")
    if reasons:
        click.echo(f"Coverage check failed: {'; '.join(reasons)}.", err=True)
        ctx.exit(1)

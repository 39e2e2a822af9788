"""``lgcb coverage``: is the plan complete, aligned with the Strategic Plan, and monitorable?"""

from __future__ import annotations

import click

from lgcb.cli._common import check_objectives, emit, format_option, load, load_result


@click.command()
@format_option("coverage")
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
    from lgcb.checks.coverage import check_coverage
    from lgcb.outputs import output
    from lgcb.outputs.coverage import percent_text

    plan = load(ctx, positions=True)
    report = check_coverage(plan, load_result(ctx))
    if objective is not None:
        check_objectives(ctx, plan, [objective])
        report = report.only(objective)
    emit(output("coverage", fmt, report))

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

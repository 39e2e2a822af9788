"""``lgcb progress``: baselines, latest values, targets and a status for every indicator."""

from __future__ import annotations

import click

from lgcb.cli._common import check_objectives, emit, format_option, load


@click.command()
@click.option("--objective", "objective", type=int, metavar="N", help="Only operational objective N.")
@format_option("progress")
@click.pass_context
def progress(ctx: click.Context, objective: int | None, fmt: str) -> None:
    """Show progress on the indicators: baseline, latest value, target, status.

    For each indicator: its baseline, the latest observed value (from progress/<year>.yaml),
    the target it is compared with, how far along it is from baseline to target, and a status
    (achieved, on track, off track, not assessed, no data), with a summary per objective.
    "On track" means at or beyond the straight-line path from the baseline to the targets in
    the year of the latest observation; docs/monitoring.md defines every status.

    A plan without baselines, targets or observations (the shipped plan has none) is said to
    have none; this is not an error. Example data sets are labelled ILLUSTRATIVE DATA.

    \b
    Examples:
      lgcb progress
      lgcb progress --objective 3
      lgcb --plan examples/monitoring progress --format md > progress.md
      lgcb progress --format json
    """
    from lgcb.outputs import output
    from lgcb.results.progress import plan_progress

    plan = load(ctx)
    chosen: tuple[int, ...] = ()
    if objective is not None:
        check_objectives(ctx, plan, [objective])
        chosen = (objective,)
    emit(output("progress", fmt, plan_progress(plan, chosen)))

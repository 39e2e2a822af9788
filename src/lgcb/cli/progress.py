"""``lgcb progress``: baselines, latest values, targets and a status for every indicator."""

from __future__ import annotations

import json

import click

from lgcb.cli._common import fail, load, print_lines, write_stdout


@click.command()
@click.option("--objective", "objective", type=int, metavar="N", help="Only operational objective N.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="text for reading, json for scripts, md (Markdown) for a report or an issue.",
)
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
    from lgcb.results.progress import plan_progress, text_lines, to_json_data, to_markdown

    plan = load(ctx)
    chosen: tuple[int, ...] = ()
    if objective is not None:
        if plan.objective(objective) is None:
            numbers = ", ".join(str(o.number) for o in plan.objectives)
            fail(ctx, f"there is no operational objective {objective}; the plan has objectives {numbers}")
        chosen = (objective,)
    report = plan_progress(plan, chosen)
    if fmt == "json":
        write_stdout(json.dumps(to_json_data(report), indent=2, ensure_ascii=False))
    elif fmt == "md":
        write_stdout(to_markdown(report))
    else:
        print_lines(text_lines(report))

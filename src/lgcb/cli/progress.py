"""``lgcb progress``: baselines, latest values, targets and a status for every indicator;
``lgcb progress form`` and ``lgcb progress record``: monitoring data collected in workbooks."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import check_objectives, emit, fail, format_option, load, locate, unwritable


@click.group(invoke_without_command=True)
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

    To collect the values of a year in a workbook: `lgcb progress form --year 2019` makes a form
    to fill in (Value and Source, one row per indicator); `lgcb progress record form-2019.xlsx`
    checks the filled forms and writes progress/2019.yaml (docs/excel.md).
    """
    if ctx.invoked_subcommand is not None:
        return
    from lgcb.outputs import output
    from lgcb.results.progress import plan_progress

    plan = load(ctx)
    chosen: tuple[int, ...] = ()
    if objective is not None:
        check_objectives(ctx, plan, [objective])
        chosen = (objective,)
    emit(output("progress", fmt, plan_progress(plan, chosen)))


@progress.command("form")
@click.option("--year", "year", type=int, required=True, metavar="YEAR", help="The year the values are for.")
@click.option(
    "--objective",
    "objectives",
    type=int,
    multiple=True,
    metavar="N",
    help="Only the indicators of objective N (repeat for several). Default: every objective.",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The workbook to write. Default: form-YEAR.xlsx (form-YEAR-objective-N.xlsx for one objective).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists (it may hold values already filled in).")
@click.pass_context
def form(ctx: click.Context, year: int, objectives: tuple[int, ...], output: Path | None, force: bool) -> None:
    """Make a monitoring form (.xlsx) to collect the values of YEAR.

    The workbook opens on its instructions; sheet "Form" has one row per indicator (ID,
    indicator, measure, unit, baseline, target, latest recorded value) and two columns to fill,
    Value and Source. Values are checked as they are typed (a number; a percentage from 0 to
    100); every other cell is locked. Send it out, then record the filled forms with
    `lgcb progress record`.

    \b
    Examples:
      lgcb progress form --year 2019
      lgcb progress form --year 2019 --objective 3 -o form-2019-objective-3.xlsx
    """
    from lgcb.fileio import FileError, write_atomic

    plan = load(ctx)
    check_objectives(ctx, plan, objectives)
    chosen = tuple(sorted(set(objectives)))
    timeframe = plan.info.timeframe
    if not timeframe.start <= year <= timeframe.end:
        fail(ctx, f"{year} is outside the plan's timeframe ({timeframe.start}–{timeframe.end})")
    if output is None:
        scope = f"-objective-{chosen[0]}" if len(chosen) == 1 else ""
        output = Path(f"form-{year}{scope}.xlsx")
    if output.exists() and not force:
        fail(ctx, f"{output} exists (it may hold values already filled in); choose another -o FILE, or add --force")
    from lgcb.excel.write import WorkbookError, form_workbook

    try:
        data = form_workbook(plan, year, chosen)
        write_atomic(output, data)
    except WorkbookError as e:
        click.echo(f"lgcb progress form: {e}", err=True)
        ctx.exit(1)
    except (OSError, FileError) as e:
        unwritable(ctx, output, e)
    count = sum(1 for o in plan.objectives if not chosen or o.number in chosen for _ in o.items("indicators"))
    click.echo(
        f"Wrote {output}: a form for {year} with {count} indicators. Record it with: lgcb progress record {output}"
    )


@progress.command("record")
@click.argument("forms", nargs=-1, required=True, metavar="FORM.xlsx...", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace values already recorded for the year.")
@click.option("--dry-run", is_flag=True, help="Check the forms and say what would be recorded; write nothing.")
@click.pass_context
def record(ctx: click.Context, forms: tuple[Path, ...], force: bool, dry_run: bool) -> None:
    """Record the values of filled forms in progress/YEAR.yaml.

    Every form is checked first, with the rules of hand-written progress files: unknown IDs,
    values that do not fit the indicator's measure, a year outside the plan's timeframe, two
    forms disagreeing about an indicator, and values that would replace ones already recorded
    (allowed with --force). Each problem is reported as `form.xlsx: sheet 'Form' cell I12: ...`;
    if there is any, nothing is written and the exit code is 1. IDs are matched ignoring case.

    \b
    Examples:
      lgcb progress record form-2019.xlsx
      lgcb progress record returned/*.xlsx --dry-run
      lgcb progress record form-2019.xlsx --force     replace values recorded before
    """
    from lgcb.excel.record import record_forms
    from lgcb.fileio import FileError, display_path, write_atomic

    plan = load(ctx)
    location = locate(ctx)
    result = record_forms(plan, location.path, list(forms), force=force)
    for unread in result.unread:
        click.echo(str(unread), err=True)
    if result.problems:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        count = len(result.problems)
        click.echo(
            f"{count} problem{'s' * (count != 1)} in the forms; nothing was recorded. Correct the forms and run "
            "this again.",
            err=True,
        )
        ctx.exit(1)
    assert result.path is not None and result.year is not None
    shown = display_path(result.path)
    for ident in result.unchanged:
        click.echo(f"{ident}: already recorded with the same value; unchanged")
    if not result.recorded:
        click.echo(f"Nothing to record for {result.year}: no new value in the forms.")
        return
    if not dry_run:
        try:
            result.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(result.path, result.text.encode("utf-8"))
        except (OSError, FileError) as e:
            unwritable(ctx, result.path, e)
    from lgcb.excel.layout import format_number

    for item in result.recorded:
        value = format_number(item.value) if isinstance(item.value, (int, float)) else item.value
        replaced = ""
        if item.replaced is not None:
            old = item.replaced.value
            replaced = f" (replacing {format_number(old) if isinstance(old, (int, float)) else old})"
        source = f" — {item.source}" if item.source else ""
        click.echo(f"{item.id}: {value}{source}{replaced}")
    verb = "Would record" if dry_run else "Recorded"
    click.echo(
        f"{verb} {len(result.recorded)} value{'s' * (len(result.recorded) != 1)} for {result.year} in {shown}."
        + ("" if dry_run else " See them with: lgcb progress"),
    )

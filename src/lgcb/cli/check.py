"""``lgcb validate``: the check CI runs on every edit."""

from __future__ import annotations

import os
from pathlib import Path

import click

from lgcb.cli._common import emit, format_option, load_result


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(
    "problems",
    default=None,
    help="text (default), json, or github (workflow annotations; the default when GITHUB_ACTIONS is set).",
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str | None) -> None:
    """Check the plan files and report every problem.

    PATHS are plan directories, or single plan files (checked on their own, without the
    rules that span files). Without PATHS the current plan is checked. Each problem is
    reported as file:line:col. Exit status: 0 valid, 1 invalid, 2 bad usage.

    \b
    Examples:
      lgcb validate
      lgcb validate plan/
      lgcb validate plan/objectives/03-handling-transport-packaging-identification.yaml
      lgcb validate --format json
    """
    from lgcb.checks.load import load_plan, validate_files
    from lgcb.checks.problem import has_errors, summary
    from lgcb.outputs import output

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    problems = []
    checked: list[str] = []
    if not paths:
        result = load_result(ctx)
        problems.extend(result.problems)
        if result.plan:
            items = result.plan.count()
            checked.append(f"{len(result.plan.objectives)} objectives, {items} entries")
    files = [p for p in paths if p.is_file()]
    for directory in (p for p in paths if p.is_dir()):
        result = load_plan(directory)
        problems.extend(result.problems)
        if result.plan:
            items = result.plan.count()
            checked.append(f"{len(result.plan.objectives)} objectives, {items} entries")
    if files:
        problems.extend(validate_files(files))
        checked.append(f"{len(files)} file{'s' * (len(files) != 1)}")
    problems.sort()
    emit(output("problems", fmt, problems))
    failed = has_errors(problems)
    if fmt != "json":
        if problems:
            click.echo(summary(problems), err=True)
        if not failed:
            click.echo(f"Valid: {'; '.join(checked)}.", err=True)
    ctx.exit(1 if failed else 0)

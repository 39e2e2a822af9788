"""``lgcb fmt``: lay out plan files the one canonical way (or, with --check, list those that differ)."""

from __future__ import annotations

from pathlib import Path

import click

from lgcb.cli._common import fail, locate


def _files(n: int) -> str:
    return f"{n} file{'s' * (n != 1)}"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing: list the files that would change, and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check, also show the changes as a unified diff.")
@click.pass_context
def fmt(ctx: click.Context, paths: tuple[Path, ...], check: bool, show_diff: bool) -> None:
    """Lay out the plan files in the one canonical way, keeping comments and content.

    Key order as in the plan model (id first, nested items last), 2-space indentation,
    quotes only where YAML needs them, no line folding. The content never changes: lgcb
    reads each result back and refuses any layout that would change a value. PATHS are
    plan directories or plan files; without PATHS, the current plan. A file that is not
    valid YAML is left alone and reported (exit 1).

    Exit status: 0 done (or, with --check, nothing to change), 1 files would change or
    could not be read, 2 bad usage.

    \b
    Examples:
      lgcb fmt                      reformat the plan in place
      lgcb fmt --check              list the files that would change (for CI, pre-commit)
      lgcb fmt --check --diff       ... and show how
      lgcb fmt plan/objectives/03-handling-transport-packaging-identification.yaml
    """
    from lgcb.outputs.problems import text
    from lgcb.planfile.fmt import format_paths

    if not paths and locate(ctx).shipped and not check:
        fail(
            ctx,
            "there is no plan here to format (no plan/ directory here or above); the plan shipped with "
            "lgcb is read-only. Run lgcb fmt inside your repository, or give --plan DIR",
        )
    targets = list(paths) or [locate(ctx).path]
    results = format_paths(targets, apply=not check)
    if not results:
        raise click.UsageError("no plan files found in " + ", ".join(str(p) for p in targets), ctx)
    broken = [r for r in results if r.problems]
    changed = [r for r in results if r.changed]
    clean = len(results) - len(broken) - len(changed)
    for item in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {item.display}")
        if check and show_diff:
            click.echo(item.diff(), nl=False)
    if broken:
        click.echo(text([p for r in broken for p in r.problems]), err=True, nl=False)
    parts = []
    if changed:
        parts.append(f"{_files(len(changed))} {'would be reformatted' if check else 'reformatted'}")
    if clean:
        parts.append(f"{_files(clean)} already formatted")
    if broken:
        parts.append(f"{_files(len(broken))} left alone (fix the problems above first)")
    summary = "; ".join(parts) + "."
    if check and changed:
        summary += " Run `lgcb fmt` to reformat."
    click.echo(summary[0].upper() + summary[1:], err=True)
    ctx.exit(1 if broken or (check and changed) else 0)
